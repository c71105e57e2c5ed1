# Run: R_LIBS=/opt/peers/Rlib Rscript benchmarks/peers/probit_sleepstudy.R tests/data/sleepstudy.csv
# probit random intercept on sleepstudy-sized data: GLMMadaptive (AGQ 25) and lme4 (AGQ 25)
suppressMessages({library(GLMMadaptive); library(lme4)})
d <- read.csv(commandArgs(TRUE)[1])
d$hi <- as.numeric(d$Reaction > median(d$Reaction))
t1 <- function(expr) { t <- proc.time(); v <- eval.parent(substitute(expr)); t <- proc.time() - t; list(v = v, cpu = t[["user.self"]] + t[["sys.self"]], wall = t[["elapsed"]]) }
for (r in 1:3) {
  a <- t1(mixed_model(hi ~ Days, random = ~ 1 | Subject, data = d, family = binomial(link = "probit"), nAGQ = 25))
  b <- t1(glmer(hi ~ Days + (1 | Subject), data = d, family = binomial(link = "probit"), nAGQ = 25))
  cat(sprintf("GLMMadaptive %s cpu %.3f wall %.3f loglik %.6f | lme4 %s cpu %.3f wall %.3f loglik %.6f\n",
      packageVersion("GLMMadaptive"), a$cpu, a$wall, as.numeric(logLik(a$v)),
      packageVersion("lme4"), b$cpu, b$wall, as.numeric(logLik(b$v))))
}
print(fixef(a$v)); print(a$v$D)
