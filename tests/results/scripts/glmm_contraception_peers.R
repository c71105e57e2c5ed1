## Generator: contraception GLMMs with GLMMadaptive and lme4 (random intercept and random urban slope),
## lme4 profile confidence intervals, VarCorr and predictions.
## Run from the repository root (writes $PEER_PARTS/contra_*.json, default /tmp/refs/parts):
##   R_LIBS=/opt/peers/Rlib Rscript tests/results/scripts/glmm_contraception_peers.R
source("tests/results/scripts/peer_helpers.R")
suppressMessages({library(lme4); library(glmmTMB); library(GLMMadaptive)})
d <- read.csv("tests/data/contraception.csv")
d$district <- factor(d$district)
d$livch <- factor(d$livch, levels = c("0", "1", "2", "3+"))

ga_summ <- function(tf) {
  f <- tf$value
  V <- vcov(f)
  fe <- fixef(f)
  list(loglike = as.numeric(logLik(f)), fixef = as.list(fe),
       bse = as.list(sqrt(diag(V))[names(fe)]), D = f$D, converged = f$converged,
       times = tf$times, median = tf$median, cpu = tf$cpu, cpu_median = tf$cpu_median)
}
lme_summ <- function(tf) {
  f <- tf$value
  vc <- VarCorr(f)$district
  list(loglike = as.numeric(logLik(f)), fixef = as.list(fixef(f)),
       bse = as.list(sqrt(diag(as.matrix(vcov(f))))), D = unclass(vc)[, ], sd = attr(vc, "stddev"),
       corr = attr(vc, "correlation"), times = tf$times, median = tf$median, cpu = tf$cpu, cpu_median = tf$cpu_median)
}
tight_ga <- list(tol1 = 1e-8, tol2 = 1e-8, tol3 = 1e-12, numeric_deriv = "cd", iter_qN_outer = 50)
ctrl <- glmerControl(optimizer = "bobyqa", optCtrl = list(rhoend = 1e-12, maxfun = 1e5))

## Each result is written to $PEER_PARTS/contra_<name>.json as soon as it is done (slow shared machine).
info <- list(R = R.version.string, lme4 = pkg_version("lme4"), glmmTMB = pkg_version("glmmTMB"),
             GLMMadaptive = pkg_version("GLMMadaptive"))
part <- function(name, x) emit_part(paste0("contra_", name), c(info, x))
fi <- use ~ urban + age + livch + (1 | district)
fs <- use ~ urban + age + livch + (urban | district)

## random intercept: GLMMadaptive, 25 adaptive points (default and tight control)
part("ga_ri25", ga_summ(timed(mixed_model(use ~ urban + age + livch, random = ~ 1 | district, data = d,
                                           family = binomial(), nAGQ = 25))))
## lme4 random intercept nAGQ = 25 (as in results_glmm_contraception): VarCorr and predictions
l25 <- timed(glmer(fi, data = d, family = binomial, nAGQ = 25, control = ctrl))
part("lme4_ri_agq25", lme_summ(l25))
rows <- c(1L, 2L, 118L, 500L, 1000L, 1500L, 1934L)
nd <- d[rows, c("district", "urban", "age", "livch")]
newd <- data.frame(district = "999", urban = 1L, age = 0, livch = "2")
newd$livch <- factor(newd$livch, levels = levels(d$livch))
f <- l25$value
vc <- function(f) { v <- VarCorr(f)$district; list(sd = attr(v, "stddev")[[1]], var = v[1, 1]) }
part("predict_agq25", list(value = list(
  rows = rows, newdata = nd, new_district = newd,
  conditional = unname(predict(f, newdata = nd, type = "response")),
  marginal_re_form_NA = unname(predict(f, newdata = nd, type = "response", re.form = NA)),
  link_conditional = unname(predict(f, newdata = nd)),
  new_district_response = unname(predict(f, newdata = newd, type = "response", allow.new.levels = TRUE)),
  new_district_re_form_NA = unname(predict(f, newdata = newd, type = "response", re.form = NA)),
  ranef = as.list(setNames(ranef(f)$district[as.character(nd$district), 1], as.character(nd$district)))),
  varcorr = vc(f)))
## random intercept and urban slope: GLMMadaptive nAGQ 15 (tight and default) and 25, lme4 Laplace, glmmTMB
part("ga_rs15_tight", ga_summ(timed(mixed_model(use ~ urban + age + livch, random = ~ urban | district, data = d,
                                                family = binomial(), nAGQ = 15, control = tight_ga), max_single = 0)))
part("lme4_rs_laplace_tight", lme_summ(timed(glmer(fs, data = d, family = binomial, control = ctrl))))
rstmb <- timed(glmmTMB(fs, data = d, family = binomial))
tmbf <- rstmb$value
part("glmmTMB_rs", list(loglike = as.numeric(logLik(tmbf)), fixef = as.list(fixef(tmbf)$cond),
                        bse = as.list(sqrt(diag(vcov(tmbf)$cond))), D = unclass(VarCorr(tmbf)$cond$district)[, ],
                        times = rstmb$times, median = rstmb$median, cpu = rstmb$cpu, cpu_median = rstmb$cpu_median))
part("lme4_rs_laplace", lme_summ(timed(glmer(fs, data = d, family = binomial))))
part("ga_rs15", ga_summ(timed(mixed_model(use ~ urban + age + livch, random = ~ urban | district, data = d,
                                          family = binomial(), nAGQ = 15))))
## profile confidence intervals of the random-intercept fits
ci <- function(f) {
  t0 <- proc.time()[["elapsed"]]
  x <- confint(f, method = "profile")
  list(rows = rownames(x), lower = unname(x[, 1]), upper = unname(x[, 2]),
       seconds = proc.time()[["elapsed"]] - t0)
}
l1 <- timed(glmer(fi, data = d, family = binomial, control = ctrl))
part("lme4_ri_laplace", c(lme_summ(l1), list(varcorr = vc(l1$value))))
part("confint_laplace", ci(l1$value))
part("ga_ri25_tight", ga_summ(timed(mixed_model(use ~ urban + age + livch, random = ~ 1 | district, data = d,
                                                family = binomial(), nAGQ = 25, control = tight_ga))))
part("ga_rs25_tight", ga_summ(timed(mixed_model(use ~ urban + age + livch, random = ~ urban | district, data = d,
                                                family = binomial(), nAGQ = 25, control = tight_ga), max_single = 0)))
part("lme4_ri_agq25_default", lme_summ(timed(glmer(fi, data = d, family = binomial, nAGQ = 25))))
part("confint_agq25", tryCatch(ci(l25$value), error = function(e) list(error = conditionMessage(e))))
