## Generator: simulated logistic random-intercept GLMM with variance 16 (tests/data/sim_glmm_var16.csv),
## GLMMadaptive nAGQ 25 and 50, lme4 nAGQ 25.
## Run from the repository root:
##   R_LIBS=/opt/peers/Rlib Rscript tests/results/scripts/glmm_sim_var16_peers.R > /tmp/refs/var16_peers.json
source("tests/results/scripts/peer_helpers.R")
suppressMessages({library(lme4); library(GLMMadaptive)})
d <- read.csv("tests/data/sim_glmm_var16.csv"); d$cluster <- factor(d$cluster)
tight_ga <- list(tol1 = 1e-8, tol2 = 1e-8, tol3 = 1e-12, numeric_deriv = "cd", iter_qN_outer = 50)
ctrl <- glmerControl(optimizer = "bobyqa", optCtrl = list(rhoend = 1e-12, maxfun = 1e5))
ga <- function(tf) {
  f <- tf$value; fe <- fixef(f)
  list(loglike = as.numeric(logLik(f)), fixef = as.list(fe), bse = as.list(sqrt(diag(vcov(f)))[names(fe)]),
       re_var_Intercept = f$D[1, 1], converged = f$converged, times = tf$times, median = tf$median, cpu = tf$cpu, cpu_median = tf$cpu_median)
}
lm4 <- function(tf) {
  f <- tf$value
  list(loglike = as.numeric(logLik(f)), fixef = as.list(fixef(f)), bse = as.list(sqrt(diag(as.matrix(vcov(f))))),
       re_var_Intercept = VarCorr(f)$cluster[1, 1], times = tf$times, median = tf$median, cpu = tf$cpu, cpu_median = tf$cpu_median)
}
mm <- function(q, ...) mixed_model(y ~ x, random = ~ 1 | cluster, data = d, family = binomial(), nAGQ = q, ...)
out <- list(R = R.version.string, lme4 = pkg_version("lme4"), GLMMadaptive = pkg_version("GLMMadaptive"),
            ga_agq25 = ga(timed(mm(25))), ga_agq50 = ga(timed(mm(50))),
            ga_agq25_tight = ga(timed(mm(25, control = tight_ga))), ga_agq50_tight = ga(timed(mm(50, control = tight_ga))),
            lme4_agq25 = lm4(timed(glmer(y ~ x + (1 | cluster), data = d, family = binomial, nAGQ = 25))),
            lme4_agq25_tight = lm4(timed(glmer(y ~ x + (1 | cluster), data = d, family = binomial, nAGQ = 25, control = ctrl))),
            lme4_laplace = lm4(timed(glmer(y ~ x + (1 | cluster), data = d, family = binomial, control = ctrl))))
emit(out)
