# lme4 glmer (Laplace) on a CSV, timed in R: Rscript lme4_glmer.R data.csv "y ~ x1 + x2 + (1 + x1 | g)"
# (data: python benchmarks/bench_large_glmm.py --write-csv data.csv [--q 3])
args <- commandArgs(TRUE)
d <- read.csv(args[1])
suppressMessages(library(lme4))
t <- proc.time()
f <- glmer(as.formula(args[2]), data = d, family = binomial)
t <- proc.time() - t
cat(sprintf("lme4 %s wall %.2f cpu %.2f loglik %.6f\n", packageVersion("lme4"), t[["elapsed"]], t[["user.self"]] + t[["sys.self"]], as.numeric(logLik(f))))
print(summary(f)$varcor); print(fixef(f))
