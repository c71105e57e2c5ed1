## Generator: cbpp binomial random-intercept GLMM with R lme4 (Laplace and nAGQ = 11) and glmmTMB (Laplace).
## Run from the repository root:  Rscript tests/results/scripts/glmm_cbpp_lme4.R > out.json
suppressMessages({library(lme4); library(glmmTMB); library(jsonlite)})
d <- read.csv("tests/data/cbpp.csv")
d$herd <- factor(d$herd); d$period <- factor(d$period)   # level "1" is the reference
## the CSV is lme4's cbpp (same rows and order)
stopifnot(all(d$incidence == cbpp$incidence), all(d$size == cbpp$size),
          all(as.character(d$period) == as.character(cbpp$period)),
          all(as.character(d$herd) == as.character(cbpp$herd)))
summ <- function(fit) {
  list(loglike = as.numeric(logLik(fit)), deviance = deviance(fit),
       fixef = as.list(fixef(fit)), bse = as.list(sqrt(diag(as.matrix(vcov(fit))))),
       re_var_Intercept = VarCorr(fit)$herd[1, 1], nobs = nobs(fit), n_clusters = as.integer(ngrps(fit)))
}
ctrl <- glmerControl(optimizer = "bobyqa", optCtrl = list(rhoend = 1e-12, maxfun = 1e5))
fm <- cbind(incidence, size - incidence) ~ period + (1 | herd)
f1 <- glmer(fm, data = d, family = binomial, nAGQ = 1)
f1b <- glmer(fm, data = d, family = binomial, nAGQ = 1, control = ctrl)
f11 <- glmer(fm, data = d, family = binomial, nAGQ = 11)
f11b <- glmer(fm, data = d, family = binomial, nAGQ = 11, control = ctrl)
ft <- glmmTMB(fm, data = d, family = binomial)
tmb <- list(loglike = as.numeric(logLik(ft)), fixef = as.list(fixef(ft)$cond),
            bse = as.list(sqrt(diag(vcov(ft)$cond))), re_var_Intercept = VarCorr(ft)$cond$herd[1, 1],
            nobs = nobs(ft), n_clusters = 15L)
cat(toJSON(list(R = R.version.string, lme4 = as.character(packageVersion("lme4")),
                glmmTMB = as.character(packageVersion("glmmTMB")),
                sum_lchoose = sum(lchoose(d$size, d$incidence)),
                laplace_default = summ(f1), laplace_tight = summ(f1b),
                agq11_default = summ(f11), agq11_tight = summ(f11b), glmmTMB_laplace = tmb),
           auto_unbox = TRUE, digits = NA, pretty = TRUE))
