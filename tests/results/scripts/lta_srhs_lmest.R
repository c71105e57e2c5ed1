## Generator: basic latent Markov models for self-rated health (srhs) with LMest, k = 2, 3, 4.
## Run from the repository root:
##   see below (one call per k)
## LMest wants categories from 0, so srhs is recoded as 5 - srhs (0 = poor ... 4 = excellent), as in
## LMest's examples. The JSON maps Psi back to the original codes (row c = srhs category c, 1 = excellent).
source("tests/results/scripts/peer_helpers.R")
suppressMessages(library(LMest))
w <- read.csv("tests/data/srhs_wide.csv")                # id, srhs1..srhs8 (1 = excellent ... 5 = poor)
d <- data.frame(id = rep(w$id, each = 8), t = rep(1:8, nrow(w)), srhs = as.vector(t(as.matrix(w[, paste0("srhs", 1:8)]))))
stopifnot(nrow(d) == 56592)
d$srhs <- 5 - d$srhs
fitone <- function(k, modBasic, start, seed = NULL, ntry = 0, tol = 1e-8, maxit = 1000, time_it = TRUE,
                   out_se = FALSE) {
  call <- quote(lmest(responsesFormula = srhs ~ NULL, index = c("id", "t"), data = d, k = k,
                      modBasic = modBasic, start = start, seed = seed, ntry = ntry, tol = tol,
                      maxit = maxit, out_se = out_se))
  tf <- if (time_it) timed(eval(call)) else {
    t0 <- proc.time()[["elapsed"]]; v <- eval(call); e <- proc.time()[["elapsed"]] - t0
    list(value = v, times = e, median = e)
  }
  f <- tf$value
  Psi <- f$Psi[, , 1]                       # (category 0..4) x state
  Psi <- Psi[5:1, , drop = FALSE]           # rows: original srhs 1..5
  Pi <- f$Pi                                # k x k x TT; Pi[, , 1] is unused
  res <- list(k = k, modBasic = modBasic, start = start, seed = seed, ntry = ntry, tol = tol,
              loglike = f$lk, np = f$np, aic = f$aic, bic = f$bic, n = f$n, TT = f$TT,
              iterations = length(f$lkv), piv = as.vector(f$piv), Psi = Psi,
              Pi = lapply(2:dim(Pi)[3], function(t) Pi[, , t]), times = tf$times, median = tf$median, cpu = tf$cpu, cpu_median = tf$cpu_median)
  if (out_se) {
    res$sepiv <- as.vector(f$sepiv)
    res$sePsi <- f$sePsi[5:1, , 1]
    res$sePi <- if (length(dim(f$sePi)) == 3) lapply(2:dim(f$sePi)[3], function(t) f$sePi[, , t]) else f$sePi
  }
  res
}
## one k per call (the fits are slow on a shared machine); each fit is written to
## $PEER_PARTS/lmest_k<k>_<fit>.json as soon as it is done:
##   for k in 2 3 4; do R_LIBS=/opt/peers/Rlib Rscript tests/results/scripts/lta_srhs_lmest.R $k; done
k <- as.integer(commandArgs(trailingOnly = TRUE)[1])
info <- list(R = R.version.string, LMest = pkg_version("LMest"))
emit_part(paste0("lmest_k", k, "_start0"), c(info, fitone(k, 1, 0)))
emit_part(paste0("lmest_k", k, "_tight"), c(info, fitone(k, 1, 0, tol = 1e-12, maxit = 100000, time_it = FALSE, out_se = TRUE)))
emit_part(paste0("lmest_k", k, "_hetero"), c(info, fitone(k, 0, 0, time_it = FALSE)))
emit_part(paste0("lmest_k", k, "_start1"), c(info, fitone(k, 1, 1, seed = 123, ntry = 3, time_it = FALSE)))
