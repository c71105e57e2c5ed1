## Generator: the one-factor model on tests/data/demo_cfa500.csv with R lavaan (the one-class
## factor mixture model with normal items; reference for tests/test_factor_mixture.py).
## Run from the repository root:
##   Rscript tests/results/scripts/fmm_cfa_lavaan.R > /tmp/refs/fmm_cfa_lavaan.json
## Factor variance 1 (std.lv = TRUE), intercepts free (meanstructure = TRUE), ML, lavaan defaults (nlminb;
## SEs from the expected (lavaan default) and the observed information;
## a tightened rel.tol = 1e-14 stops without convergence).
source("tests/results/scripts/peer_helpers.R")
suppressMessages(library(lavaan))
d <- read.csv("tests/data/demo_cfa500.csv")
one <- function(information) {
  tf <- timed(cfa("f =~ y1 + y2 + y3 + y4 + y5 + y6", data = d, std.lv = TRUE, meanstructure = TRUE,
                  estimator = "ML", information = information))
  fit <- tf$value
  pe <- parameterEstimates(fit)
  lab <- ifelse(pe$op == "=~", paste0(pe$lhs, "=~", pe$rhs),
         ifelse(pe$op == "~1", paste0(pe$lhs, "~1"),
         ifelse(pe$op == "~~" & pe$lhs == pe$rhs, paste0("Var(", pe$lhs, ")"), NA)))
  keep <- !is.na(lab) & !(pe$lhs == "f" & pe$op != "=~")
  list(loglike = as.numeric(logLik(fit)), npar = as.numeric(fitMeasures(fit, "npar")),
       converged = lavInspect(fit, "converged"), information = information,
       params = as.list(setNames(pe$est[keep], lab[keep])),
       bse = as.list(setNames(pe$se[keep], lab[keep])),
       times = tf$times, median = tf$median, cpu = tf$cpu, cpu_median = tf$cpu_median)
}
emit(list(R = R.version.string, lavaan = pkg_version("lavaan"),
          expected = one("expected"), observed = one("observed")))
