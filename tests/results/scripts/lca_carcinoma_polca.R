## Generator: poLCA on carcinoma, 2 and 3 classes (probabilities, their SEs, class proportions and SEs).
## Run from the repository root:
##   R_LIBS=/opt/peers/Rlib Rscript tests/results/scripts/lca_carcinoma_polca.R > /tmp/refs/carc_polca.json
source("tests/results/scripts/peer_helpers.R")
suppressMessages(library(poLCA))
d <- read.csv("tests/data/carcinoma.csv")          # A..G coded 1 = no carcinoma, 2 = carcinoma
fm <- cbind(A, B, C, D, E, F, G) ~ 1
one <- function(k, nrep, seed) {
  set.seed(seed)
  tf <- timed(poLCA(fm, d, nclass = k, nrep = nrep, maxiter = 100000, tol = 1e-12, verbose = FALSE,
                    calc.se = TRUE))
  f <- tf$value
  o <- order(-f$P)                                   # canonical order: decreasing class proportion
  p2 <- sapply(f$probs, function(m) m[o, 2])         # P(item = 2 | class), classes x items
  s2 <- sapply(f$probs.se, function(m) m[o, 2])
  list(loglike = f$llik, P = f$P[o], P_se = f$P.se[o], p_item2 = p2, p_item2_se = s2,
       npar = f$npar, aic = f$aic, bic = f$bic, numiter = f$numiter, maxiter_hit = f$numiter >= 100000,
       attempts = f$attempts, nrep = nrep, seed = seed, times = tf$times, median = tf$median, cpu = tf$cpu, cpu_median = tf$cpu_median)
}
## a second seed as a check that the best LL is replicated
emit(list(R = R.version.string, poLCA = pkg_version("poLCA"),
          k2 = one(2, 200, 2026), k3 = one(3, 200, 2026), k2_check = one(2, 200, 7), k3_check = one(3, 200, 7)))
