## Generator: the 5-status depression LTA of Add Health at two waves with slca, with and without
## measurement invariance (the slca documentation's addhealth example, on all 2061 rows).
## Run from the repository root:
##   R_LIBS=/opt/peers/Rlib Rscript tests/results/scripts/lta_addhealth_slca.R   (writes $PEER_PARTS/slca_*.json)
source("tests/results/scripts/peer_helpers.R")
suppressMessages({library(slca); library(magrittr)})
d <- read.csv("tests/data/addhealth.csv")
items <- c("S1", "S2", "S3", "S4", "D1", "D2", "F1", "F2")
for (v in c(paste0(items, "w1"), paste0(items, "w2"))) d[[v]] <- factor(d[[v]], levels = 1:2)
m_free <- slca(DEP1(5) ~ S1w1 + S2w1 + S3w1 + S4w1 + D1w1 + D2w1 + F1w1 + F2w1,
               DEP2(5) ~ S1w2 + S2w2 + S3w2 + S4w2 + D1w2 + D2w2 + F1w2 + F2w2,
               DEP1 ~ DEP2)
m_inv <- slca(DEP1(5) ~ S1w1 + S2w1 + S3w1 + S4w1 + D1w1 + D2w1 + F1w1 + F2w1,
              DEP2(5) ~ S1w2 + S2w2 + S3w2 + S4w2 + D1w2 + D2w2 + F1w2 + F2w2,
              DEP1 ~ DEP2, constraints = c("DEP1", "DEP2"))
one <- function(m, seed, nrep, tol = 1e-8, time_it = TRUE) {
  set.seed(seed)
  ctrl <- slcaControl(em.tol = tol, em.iterlim = 100000, nrep = nrep)
  tf <- if (time_it) timed(estimate(m, d, control = ctrl)) else {
    t0 <- proc.time()[["elapsed"]]; v <- estimate(m, d, control = ctrl)
    list(value = v, times = proc.time()[["elapsed"]] - t0, median = proc.time()[["elapsed"]] - t0)
  }
  f <- tf$value
  p <- param(f)
  se <- tryCatch(param(f, se = TRUE), error = function(e) NULL)
  unl <- function(x) if (is.null(x)) NULL else lapply(unclass(x), function(g) lapply(g, function(m) unclass(m)))
  list(seed = seed, nrep = nrep, em_tol = tol, loglike = as.numeric(logLik(f)), df = attr(logLik(f), "df"),
       nobs = attr(logLik(f), "nobs"), convergence = f$convergence, param = unl(p), se = unl(se),
       times = tf$times, median = tf$median, cpu = tf$cpu, cpu_median = tf$cpu_median)
}
## each fit goes to $PEER_PARTS/slca_<name>.json when done (slow shared machine)
info <- list(R = R.version.string, slca = pkg_version("slca"), nrow = nrow(d),
             n_all_w2_missing = sum(rowSums(is.na(d[, paste0(items, "w2")])) == 8))
part <- function(name, x) emit_part(paste0("slca_", name), c(info, x))
## many starts, two seeds, tight tolerance: the best LL and whether it is reached again
part("inv_s1", one(m_inv, 1, 20, tol = 1e-10, time_it = FALSE))
part("free_s1", one(m_free, 1, 20, tol = 1e-10, time_it = FALSE))
## the documentation's call (em.tol = 1e-6, one start) on all rows, timed
part("inv_doc", one(m_inv, 1, 1, tol = 1e-6))
part("free_doc", one(m_free, 1, 1, tol = 1e-6))
part("inv_s2", one(m_inv, 2, 20, tol = 1e-10, time_it = FALSE))
part("free_s2", one(m_free, 2, 20, tol = 1e-10, time_it = FALSE))
