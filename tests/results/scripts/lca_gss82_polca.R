# poLCA on gss82 (polytomous items), 2 and 3 classes; the log-likelihoods of
# tests/results/results_lca_gss82.py.  Run from the repository root:
#   R_LIBS=/opt/peers/Rlib Rscript tests/results/scripts/lca_gss82_polca.R
suppressMessages(library(poLCA))
d <- read.csv("tests/data/gss82.csv")
set.seed(1)
for (k in 2:3) {
  m <- poLCA(cbind(PURPOSE, ACCURACY, UNDERSTA, COOPERAT) ~ 1, d, nclass = k, nrep = 20,
             maxiter = 100000, tol = 1e-12, verbose = FALSE)
  cat(k, sprintf("%.10f", m$llik), "\n")
}
