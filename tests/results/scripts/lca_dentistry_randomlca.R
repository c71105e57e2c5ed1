## Generator: latent class models with and without a continuous random effect (randomLCA) for dentistry.
## Run from the repository root:
##   R_LIBS=/opt/peers/Rlib-rfast-shim:/opt/peers/Rlib Rscript tests/results/scripts/lca_dentistry_randomlca.R
##   (writes $PEER_PARTS/randomlca_*.json; see tests/results/README.md on the Rfast shim)
source("tests/results/scripts/peer_helpers.R")
suppressMessages(library(randomLCA))
d <- read.csv("tests/data/dentistry.csv")
pats <- d[, paste0("V", 1:5)]
summ <- function(tf) {
  f <- tf$value
  K <- f$nclass
  ## optimiser parameters in randomLCA's order: class logits (classes 2..K against class 1), outcome
  ## logits/probits at u = 0 (class x item, column-major), loadings
  nm <- c(if (K > 1) paste0("classx", 2:K),
          as.vector(outer(paste0("c", 1:K), paste0("V", 1:5), function(a, b) paste0("outcomex_", a, "_", b))))
  if (f$random) nm <- c(nm, paste0("lambda", seq_along(f$lambdacoef)))
  est <- f$fit$estimate
  se <- if (is.null(f$se)) NULL else setNames(as.list(unname(f$se)), nm[seq_along(f$se)])
  marg <- if (f$random) randomLCA:::calcMargProb(f)$outcomep else NULL
  list(loglike = as.numeric(f$logLik), penloglike = as.numeric(f$penlogLik), np = f$np, nobs = f$nobs,
       bic = BIC(f), classp = as.vector(f$classp), outcomep = f$outcomep, lambdacoef = as.vector(f$lambdacoef),
       marginal_outcomep = marg, estimate = setNames(as.list(est), nm[seq_along(est)]), se = se,
       times = tf$times, median = tf$median, cpu = tf$cpu, cpu_median = tf$cpu_median)
}
run <- function(random, constload = TRUE, probit = FALSE, penalty = 0.01, quadpoints = 21) {
  summ(timed(randomLCA(pats, freq = d$freq, nclass = 2, random = random, constload = constload,
                       probit = probit, penalty = penalty, quadpoints = quadpoints, seed = 20261203,
                       cores = 1)))
}
## each fit goes to $PEER_PARTS/randomlca_<name>.json when done (slow shared machine); ML fits first
info <- list(R = R.version.string, randomLCA = pkg_version("randomLCA"))
## a fit that stops with an error (randomLCA: "divergence - increase quadrature points") is recorded as such
part <- function(name, expr) {
  x <- tryCatch(expr, error = function(e) list(error = conditionMessage(e)))
  emit_part(paste0("randomlca_", name), c(info, x))
}
key <- function(pr, cl) paste0("lcr2_", if (pr) "probit" else "logit", if (cl) "_constload" else "_itemload")
part("lca2_pen0", run(FALSE, penalty = 0))
for (pr in c(FALSE, TRUE)) for (cl in c(TRUE, FALSE)) part(paste0(key(pr, cl), "_pen0"), run(TRUE, constload = cl, probit = pr, penalty = 0))
part("lca2", run(FALSE))
for (pr in c(FALSE, TRUE)) for (cl in c(TRUE, FALSE)) part(key(pr, cl), run(TRUE, constload = cl, probit = pr))
## quadrature check: 61 adaptive points for the unpenalised fits
for (pr in c(FALSE, TRUE)) for (cl in c(TRUE, FALSE))
  part(paste0(key(pr, cl), "_pen0_q61"), run(TRUE, constload = cl, probit = pr, penalty = 0, quadpoints = 61))
