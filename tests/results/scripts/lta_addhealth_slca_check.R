## Reference for tests/test_lta.py (results_lta_addhealth_slca.py): the 5-status Add Health LTA
## with measurement invariance (the slca documentation's `lta5inv`, on all 2061 rows), many
## starts, tight tolerance, two seeds.  Run from the repository root (about 5 minutes per seed):
##   R_LIBS=/opt/peers/Rlib Rscript tests/results/scripts/lta_addhealth_slca_check.R
## slca 1.4.0 was built from github:cran/slca @ a68974b; it imports DiagrammeR, built from
## github:cran/DiagrammeR @ aaa173a (1.0.10: the current 1.0.11 needs newer rlang/igraph than
## Debian 12 has), visNetwork (cran/visNetwork HEAD) and Debian's r-cran-viridis, r-cran-downloader.
suppressMessages({library(slca); library(magrittr)})
d <- read.csv("tests/data/addhealth.csv")
items <- c("S1", "S2", "S3", "S4", "D1", "D2", "F1", "F2")
for (v in c(paste0(items, "w1"), paste0(items, "w2"))) d[[v]] <- factor(d[[v]], levels = 1:2)
m_inv <- slca(DEP1(5) ~ S1w1 + S2w1 + S3w1 + S4w1 + D1w1 + D2w1 + F1w1 + F2w1,
              DEP2(5) ~ S1w2 + S2w2 + S3w2 + S4w2 + D1w2 + D2w2 + F1w2 + F2w2,
              DEP1 ~ DEP2, constraints = c("DEP1", "DEP2"))
for (s in 1:2) {
  set.seed(s)
  t0 <- proc.time()[["elapsed"]]
  f <- estimate(m_inv, d, control = slcaControl(em.tol = 1e-10, em.iterlim = 100000, nrep = 30))
  cat("inv seed", s, sprintf("%.6f", as.numeric(logLik(f))), attr(logLik(f), "df"),
      proc.time()[["elapsed"]] - t0, "\n")
}
print(param(f))   # PI: P(DEP1); TAU: P(DEP2 = row | DEP1 = column); RHO: P(item = 1 (yes) | class)
