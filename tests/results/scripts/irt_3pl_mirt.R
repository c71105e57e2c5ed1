## Generator: the 3PL on LSAT7 with R mirt (reference for tests/test_irt_constructor.py).
## Run from the repository root:
##   R_LIBS=/opt/peers/Rlib Rscript tests/results/scripts/irt_3pl_mirt.R > /tmp/irt_3pl_mirt.txt
## Prints, per fit (mirt's defaults; EM with TOL = 1e-6), logLik, the slope-intercept
## coefficients with SEs and the IRTpars = TRUE form (a, b, g) with delta-method SEs.
suppressMessages(library(mirt))
d <- read.csv("tests/data/lsat7.csv")
cat("R:", R.version.string, "\nmirt:", as.character(packageVersion("mirt")), "\n")
cat("date:", format(Sys.time(), tz = "UTC", usetz = TRUE), "\n")
show <- function(label, m) {
  cat("\n=== ", label, "\n", sep = "")
  cat(sprintf("logLik %.10f converged %s iterations %d\n", extract.mirt(m, "logLik"),
              extract.mirt(m, "converged"), extract.mirt(m, "iterations")))
  cs <- coef(m, printSE = TRUE)
  ci <- coef(m, printSE = TRUE, IRTpars = TRUE)
  for (it in colnames(d)) {
    cat(it, "slope-intercept:", sprintf("%s=%.10g(%.10g)", colnames(cs[[it]]), cs[[it]][1, ],
                                         cs[[it]][2, ]), "\n")
    cat(it, "IRTpars:", sprintf("%s=%.10g(%.10g)", colnames(ci[[it]]), ci[[it]][1, ],
                                 ci[[it]][2, ]), "\n")
  }
}
m1 <- mirt(d, 1, itemtype = "3PL", SE = TRUE, verbose = FALSE)
show('mirt(d, 1, itemtype = "3PL", SE = TRUE)', m1)
m2 <- mirt(d, 1, itemtype = "3PL", SE = TRUE, verbose = FALSE, TOL = 1e-6,
           technical = list(NCYCLES = 20000))
show('mirt(d, 1, itemtype = "3PL", SE = TRUE, TOL = 1e-6, technical = list(NCYCLES = 20000))', m2)
