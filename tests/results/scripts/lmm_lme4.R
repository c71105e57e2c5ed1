## Generator: linear mixed models by ML and REML with R lme4 (tight bobyqa), for
## tests/results/results_lmm_exam.py, results_lmm_hsb82.py and the REML part of
## results_glmm_sleepstudy.py.  Run from the repository root:
##   Rscript tests/results/scripts/lmm_lme4.R exam > /tmp/refs/lmm_exam_lme4.json
##   (likewise hsb82 and sleepstudy)
## Prints JSON: per model and method the log-likelihood (the REML criterion for REML fits),
## fixed effects, vcov() and its SEs, VarCorr (variances, covariances, SDs, correlations),
## sigma^2, theta, AIC/BIC, profile confidence intervals; predictions for the ML fits of
## the random-slope models.
suppressMessages({library(lme4); library(jsonlite); library(mlmRev)})
what <- commandArgs(trailingOnly = TRUE)[1]
## two tight optimisers: bobyqa as in glmm_sleepstudy_lme4.R, and nloptwrap (NLopt's BOBYQA)
## with tolerances at machine precision.  bobyqa's rhoend = 1e-12 stops up to 2e-6 (in units
## of max(|estimate|, SE)) from the optimum in the flat REML surface of hsb82's random-slope
## model; nloptwrap gets within 1e-7 everywhere, so it is the primary reference for exam and
## hsb82 ("lme4"); the bobyqa fit is kept beside it ("_bobyqa").  sleepstudy: bobyqa primary.
ctrl_bobyqa <- lmerControl(optimizer = "bobyqa", optCtrl = list(rhobeg = 0.2, rhoend = 1e-12))
ctrl_nlopt <- lmerControl(optimizer = "nloptwrap",
                          optCtrl = list(xtol_abs = 1e-14, ftol_abs = 1e-16, xtol_rel = 1e-14,
                                         ftol_rel = 1e-16, maxeval = 1e5))
if (what == "exam") {
  d <- read.csv("tests/data/exam.csv")
  data(Exam)  # the CSV is mlmRev's Exam (same rows and order)
  stopifnot(isTRUE(all.equal(d$normexam, Exam$normexam)),
            isTRUE(all.equal(d$standLRT, Exam$standLRT)),
            all(d$school == as.integer(as.character(Exam$school))))
  d$school <- factor(d$school)
  models <- list(ri = normexam ~ standLRT + (1 | school),
                 rs = normexam ~ standLRT + (standLRT | school))
  predict_for <- "rs"
  newdata <- data.frame(school = factor(c("1", "20", "65", "999")),
                        standLRT = c(0.5, -1, 2, 0.3))
} else if (what == "hsb82") {
  d <- read.csv("tests/data/hsb82.csv")
  data(Hsb82)
  stopifnot(isTRUE(all.equal(d$mAch, Hsb82$mAch)), isTRUE(all.equal(d$cses, Hsb82$cses)),
            isTRUE(all.equal(d$meanses, Hsb82$meanses)),
            all(d$school == as.integer(as.character(Hsb82$school))))
  d$school <- factor(d$school)
  models <- list(anova = mAch ~ 1 + (1 | school),
                 slopes = mAch ~ meanses * cses + (cses | school))
  predict_for <- character(0)
} else {
  d <- read.csv("tests/data/sleepstudy.csv")
  stopifnot(isTRUE(all.equal(d$Reaction, sleepstudy$Reaction)), all(d$Days == sleepstudy$Days))
  d$Subject <- factor(d$Subject)
  models <- list(rs = Reaction ~ Days + (Days | Subject))
  predict_for <- "rs"
  newdata <- data.frame(Subject = factor(c("308", "309", "372", "999")),
                        Days = c(0.5, 3, 10, 2))
}
summ <- function(fit, name, reml) {
  vc <- as.data.frame(VarCorr(fit), order = "lower.tri")
  V <- as.matrix(vcov(fit))
  ci <- confint(fit, method = "profile", oldNames = FALSE)
  out <- list(loglike = as.numeric(logLik(fit)), df = attr(logLik(fit), "df"),
              reml = isREML(fit), fixef = as.list(fixef(fit)),
              bse = as.list(sqrt(diag(V))), vcov = unname(V),
              varcorr = lapply(seq_len(nrow(vc)), function(k) as.list(vc[k, ])),
              sigma2 = sigma(fit)^2, theta = unname(getME(fit, "theta")),
              aic = AIC(fit), bic = BIC(fit), nobs = nobs(fit),
              n_clusters = as.integer(ngrps(fit)),
              optimizer_messages = fit@optinfo$conv$lme4$messages,
              confint_profile = list(names = rownames(ci), lower = unname(ci[, 1]),
                                     upper = unname(ci[, 2])))
  if (name %in% predict_for && !reml) {
    out$predict <- unname(predict(fit))
    out$predict_population <- unname(predict(fit, re.form = NA))
    out$newdata <- newdata
    out$predict_newdata <- unname(predict(fit, newdata = newdata, allow.new.levels = TRUE))
    out$predict_newdata_population <- unname(predict(fit, newdata = newdata, re.form = NA))
    re <- ranef(fit, condVar = TRUE)[[1]]
    pv <- attr(re, "postVar")
    out$ranef <- list(names = colnames(re), clusters = rownames(re), mean = unname(as.matrix(re)),
                      condvar = lapply(seq_len(dim(pv)[3]), function(k) unname(pv[, , k])))
  }
  out
}
brief <- function(fit) {
  vc <- as.data.frame(VarCorr(fit), order = "lower.tri")
  list(loglike = as.numeric(logLik(fit)), fixef = as.list(fixef(fit)),
       bse = as.list(sqrt(diag(as.matrix(vcov(fit))))), vcov_re = vc$vcov,
       sigma2 = sigma(fit)^2, theta = unname(getME(fit, "theta")))
}
res <- list(R = R.version.string, lme4 = as.character(packageVersion("lme4")),
            primary = if (what == "sleepstudy") "bobyqa" else "nloptwrap")
for (name in names(models)) {
  for (reml in c(FALSE, TRUE)) {
    fb <- lmer(models[[name]], d, REML = reml, control = ctrl_bobyqa)
    fn <- lmer(models[[name]], d, REML = reml, control = ctrl_nlopt)
    key <- paste0(name, if (reml) "_reml" else "_ml")
    primary <- if (what == "sleepstudy") fb else fn
    res[[key]] <- c(list(formula = paste(deparse(models[[name]]), collapse = "")),
                    summ(primary, name, reml))
    res[[paste0(key, "_other")]] <- brief(if (what == "sleepstudy") fn else fb)
  }
}
cat(toJSON(res, auto_unbox = TRUE, digits = NA, pretty = FALSE, matrix = "rowmajor"))
