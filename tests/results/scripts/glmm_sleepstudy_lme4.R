## Generator: sleepstudy LMM by ML with R lme4 (default control, and bobyqa with rhoend 1e-12).
## Run from the repository root:  Rscript tests/results/scripts/glmm_sleepstudy_lme4.R > out.json
suppressMessages({library(lme4); library(jsonlite)})
d <- read.csv("tests/data/sleepstudy.csv")
## the CSV is lme4's sleepstudy (same rows and order)
stopifnot(isTRUE(all.equal(d$Reaction, sleepstudy$Reaction)), all(d$Days == sleepstudy$Days),
          all(d$Subject == as.integer(as.character(sleepstudy$Subject))))
summ <- function(fit) {
  G <- VarCorr(fit)$Subject
  list(loglike = as.numeric(logLik(fit)), df = attr(logLik(fit), "df"),
       fixef = as.list(fixef(fit)), bse = as.list(sqrt(diag(as.matrix(vcov(fit))))),
       re_var_Intercept = G[1, 1], re_cov_Intercept_Days = G[1, 2], re_var_Days = G[2, 2],
       resid_var = sigma(fit)^2, aic = AIC(fit), bic = BIC(fit),
       nobs = nobs(fit), n_clusters = as.integer(ngrps(fit)))
}
fit <- lmer(Reaction ~ Days + (Days | Subject), sleepstudy, REML = FALSE)
fit2 <- lmer(Reaction ~ Days + (Days | Subject), sleepstudy, REML = FALSE,
             control = lmerControl(optimizer = "bobyqa", optCtrl = list(rhobeg = 0.2, rhoend = 1e-12)))
cat(toJSON(list(R = R.version.string, lme4 = as.character(packageVersion("lme4")),
                default = summ(fit), tight = summ(fit2)), auto_unbox = TRUE, digits = NA, pretty = TRUE))
