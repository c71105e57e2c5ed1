## Generator: Rasch model for VerbAgg as a GLMM, r2 ~ 0 + item + (1 | id), lme4 nAGQ 25 and GLMMadaptive nAGQ 25.
## Run from the repository root:
##   R_LIBS=/opt/peers/Rlib Rscript tests/results/scripts/glmm_verbagg_peers.R   (writes $PEER_PARTS/verbagg_*.json)
source("tests/results/scripts/peer_helpers.R")
suppressMessages({library(lme4); library(GLMMadaptive)})
d <- read.csv("tests/data/verbagg.csv")
items <- unique(d$item)                       # the source factor order (rows are sorted by item)
d$item <- factor(d$item, levels = items); d$id <- factor(d$id)
stopifnot(nrow(d) == 7584, nlevels(d$id) == 316, nlevels(d$item) == 24)
ctrl <- glmerControl(optimizer = "bobyqa", optCtrl = list(rhoend = 1e-12, maxfun = 1e5))
lm4 <- function(tf) {
  f <- tf$value
  list(loglike = as.numeric(logLik(f)), fixef = as.list(fixef(f)), bse = as.list(sqrt(diag(as.matrix(vcov(f))))),
       re_var_Intercept = VarCorr(f)$id[1, 1], times = tf$times, median = tf$median, cpu = tf$cpu,
       cpu_median = tf$cpu_median)
}
## each fit goes to $PEER_PARTS/verbagg_<name>.json when done (slow shared machine)
info <- list(R = R.version.string, lme4 = pkg_version("lme4"), GLMMadaptive = pkg_version("GLMMadaptive"),
             items = items)
part <- function(name, x) emit_part(paste0("verbagg_", name), c(info, x))
part("lme4_agq25", lm4(timed(glmer(r2 ~ 0 + item + (1 | id), data = d, family = binomial, nAGQ = 25))))
g25 <- timed(mixed_model(r2 ~ 0 + item, random = ~ 1 | id, data = d, family = binomial(), nAGQ = 25))
gf <- g25$value; fe <- fixef(gf)
part("ga_agq25", list(loglike = as.numeric(logLik(gf)), fixef = as.list(fe),
                      bse = as.list(sqrt(diag(vcov(gf)))[names(fe)]), re_var_Intercept = gf$D[1, 1],
                      converged = gf$converged, times = g25$times, median = g25$median, cpu = g25$cpu,
                      cpu_median = g25$cpu_median))
part("lme4_laplace", lm4(timed(glmer(r2 ~ 0 + item + (1 | id), data = d, family = binomial))))
part("lme4_agq25_tight", lm4(timed(glmer(r2 ~ 0 + item + (1 | id), data = d, family = binomial, nAGQ = 25,
                                         control = ctrl), max_single = 0)))
