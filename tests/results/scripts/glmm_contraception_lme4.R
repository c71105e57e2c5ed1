## Generator: contraception random-intercept logistic GLMM with R lme4 (Laplace and nAGQ = 25) and glmmTMB.
## Run from the repository root:  Rscript tests/results/scripts/glmm_contraception_lme4.R > out.json
suppressMessages({library(lme4); library(glmmTMB); library(mlmRev); library(jsonlite)})
d <- read.csv("tests/data/contraception.csv")
d$district <- factor(d$district)
d$livch <- factor(d$livch, levels = c("0", "1", "2", "3+"))
## the CSV is mlmRev's Contraception (same rows and order)
stopifnot(all(d$use == (Contraception$use == "Y")), all(d$urban == (Contraception$urban == "Y")),
          all(as.character(d$livch) == as.character(Contraception$livch)),
          max(abs(d$age - Contraception$age)) < 1e-8,
          all(as.integer(as.character(d$district)) == as.integer(as.character(Contraception$district))))
summ <- function(fit) {
  list(loglike = as.numeric(logLik(fit)), fixef = as.list(fixef(fit)),
       bse = as.list(sqrt(diag(as.matrix(vcov(fit))))),
       re_var_Intercept = VarCorr(fit)$district[1, 1], nobs = nobs(fit), n_clusters = as.integer(ngrps(fit)))
}
ctrl <- glmerControl(optimizer = "bobyqa", optCtrl = list(rhoend = 1e-12, maxfun = 1e5))
fm <- use ~ urban + age + livch + (1 | district)
f1 <- glmer(fm, data = d, family = binomial, nAGQ = 1, control = ctrl)
f25 <- glmer(fm, data = d, family = binomial, nAGQ = 25)
f25b <- glmer(fm, data = d, family = binomial, nAGQ = 25, control = ctrl)
ft <- glmmTMB(fm, data = d, family = binomial)
tmb <- list(loglike = as.numeric(logLik(ft)), fixef = as.list(fixef(ft)$cond),
            bse = as.list(sqrt(diag(vcov(ft)$cond))), re_var_Intercept = VarCorr(ft)$cond$district[1, 1],
            nobs = nobs(ft), n_clusters = 60L)
cat(toJSON(list(R = R.version.string, lme4 = as.character(packageVersion("lme4")),
                glmmTMB = as.character(packageVersion("glmmTMB")),
                laplace_tight = summ(f1), agq25_default = summ(f25), agq25_tight = summ(f25b),
                glmmTMB_laplace = tmb), auto_unbox = TRUE, digits = NA, pretty = TRUE))
