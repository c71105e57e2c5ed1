## Generator: cbpp binomial GLMM with GLMMadaptive (nAGQ 25) and lme4 (nAGQ 25).
## Run from the repository root:
##   R_LIBS=/opt/peers/Rlib Rscript tests/results/scripts/glmm_cbpp_peers.R > /tmp/refs/cbpp_peers.json
source("tests/results/scripts/peer_helpers.R")
suppressMessages({library(lme4); library(GLMMadaptive)})
d <- read.csv("tests/data/cbpp.csv")
d$herd <- factor(d$herd); d$period <- factor(d$period)
ga <- function(tf) {
  f <- tf$value; fe <- fixef(f)
  list(loglike = as.numeric(logLik(f)), fixef = as.list(fe), bse = as.list(sqrt(diag(vcov(f)))[names(fe)]),
       re_var_Intercept = f$D[1, 1], converged = f$converged, times = tf$times, median = tf$median, cpu = tf$cpu, cpu_median = tf$cpu_median)
}
lm4 <- function(tf) {
  f <- tf$value
  list(loglike_reported = as.numeric(logLik(f)), fixef = as.list(fixef(f)),
       bse = as.list(sqrt(diag(as.matrix(vcov(f))))), re_var_Intercept = VarCorr(f)$herd[1, 1],
       times = tf$times, median = tf$median, cpu = tf$cpu, cpu_median = tf$cpu_median)
}
tight_ga <- list(tol1 = 1e-8, tol2 = 1e-8, tol3 = 1e-12, numeric_deriv = "cd", iter_qN_outer = 50)
ctrl <- glmerControl(optimizer = "bobyqa", optCtrl = list(rhoend = 1e-12, maxfun = 1e5))
fm <- cbind(incidence, size - incidence) ~ period + (1 | herd)
g25 <- timed(mixed_model(cbind(incidence, size - incidence) ~ period, random = ~ 1 | herd, data = d,
                         family = binomial(), nAGQ = 25))
g25t <- timed(mixed_model(cbind(incidence, size - incidence) ~ period, random = ~ 1 | herd, data = d,
                          family = binomial(), nAGQ = 25, control = tight_ga))
l25 <- timed(glmer(fm, data = d, family = binomial, nAGQ = 25))
l25t <- timed(glmer(fm, data = d, family = binomial, nAGQ = 25, control = ctrl))
emit(list(R = R.version.string, lme4 = pkg_version("lme4"), GLMMadaptive = pkg_version("GLMMadaptive"),
          sum_lchoose = sum(lchoose(d$size, d$incidence)),
          ga_agq25 = ga(g25), ga_agq25_tight = ga(g25t), lme4_agq25 = lm4(l25), lme4_agq25_tight = lm4(l25t)))
