## Generator: IRT models with R mirt: LSAT7 (1PL in two parametrisations, 2PL, 3PL), the 30-item
## simulated 2PL data (2PL, 3PL) and mixture 2PL models.
## Run from the repository root:
##   R_LIBS=/opt/peers/Rlib Rscript tests/results/scripts/irt_mirt.R lsat7     (or sim2pl, or mixture [sim|lsat7])
## Each fit is written to $PEER_PARTS/mirt_<what>_<name>.json (default /tmp/refs/parts) when done.
source("tests/results/scripts/peer_helpers.R")
suppressMessages(library(mirt))
what <- commandArgs(trailingOnly = TRUE)[1]
TIGHT <- list(TOL = 1e-9, technical = list(NCYCLES = 100000))

## item parameters (slope-intercept and IRT form) with SEs, latent mean/variance, LL
summ <- function(tf, se_type) {
  f <- tf$value
  cs <- coef(f, printSE = TRUE)
  ci <- coef(f, printSE = TRUE, IRTpars = TRUE)
  items <- colnames(f@Data$data)
  grab <- function(cc, nm) lapply(setNames(items, items), function(it) {
    m <- cc[[it]]; as.list(setNames(m[1, ], colnames(m)))
  })
  grabse <- function(cc) lapply(setNames(items, items), function(it) {
    m <- cc[[it]]; if (nrow(m) > 1) as.list(setNames(m[2, ], colnames(m))) else NULL
  })
  gp <- cs$GroupPars
  list(loglike = extract.mirt(f, "logLik"), converged = extract.mirt(f, "converged"),
       iterations = extract.mirt(f, "iterations"), nest = extract.mirt(f, "nest"),
       aic = extract.mirt(f, "AIC"), bic = extract.mirt(f, "BIC"), se_type = se_type,
       slope_intercept = grab(cs), slope_intercept_se = grabse(cs),
       irt = grab(ci), irt_se = grabse(ci),
       group = as.list(setNames(gp[1, ], colnames(gp))),
       group_se = if (nrow(gp) > 1) as.list(setNames(gp[2, ], colnames(gp))) else NULL,
       quadpts = f@Options$quadpts, times = tf$times, median = tf$median, cpu = tf$cpu, cpu_median = tf$cpu_median)
}
## once = TRUE: a single timed run (for the tightened fits, which are references, not timings)
fit <- function(dat, model, itemtype, se_type = "Oakes", tight = FALSE, once = FALSE, ...) {
  args <- list(data = dat, model = model, itemtype = itemtype, SE = TRUE, SE.type = se_type, verbose = FALSE, ...)
  if (tight) args <- c(args, TIGHT)
  tf <- timed(do.call(mirt, args), max_single = if (once) 0 else 60)
  summ(tf, se_type)
}
common <- function(J) mirt.model(sprintf("F = 1-%d\nCONSTRAIN = (1-%d, a1)", J, J))

if (what == "lsat7") {
  ## each fit goes to $PEER_PARTS/mirt_lsat7_<name>.json as soon as it is done (slow shared machine)
  d <- read.csv("tests/data/lsat7.csv")
  info <- list(R = R.version.string, mirt = pkg_version("mirt"))
  part <- function(name, x) emit_part(paste0("mirt_lsat7_", name), c(info, x))
  part("twopl", fit(d, 1, "2PL"))
  part("rasch_var", fit(d, 1, "Rasch"))
  part("onepl_common", fit(d, common(5), "2PL"))
  part("threepl", fit(d, 1, "3PL"))
  part("twopl_tight", fit(d, 1, "2PL", tight = TRUE, once = TRUE))
  part("rasch_var_tight", fit(d, 1, "Rasch", tight = TRUE, once = TRUE))
  part("onepl_common_tight", fit(d, common(5), "2PL", tight = TRUE, once = TRUE))
  part("threepl_tight", fit(d, 1, "3PL", tight = TRUE, once = TRUE))
  part("twopl_tight_richardson", fit(d, 1, "2PL", se_type = "Richardson", tight = TRUE, once = TRUE))
  part("threepl_tight_richardson", fit(d, 1, "3PL", se_type = "Richardson", tight = TRUE, once = TRUE))
  out <- list()
} else if (what == "sim2pl") {
  ## each fit goes to $PEER_PARTS/mirt_sim2pl_<name>.json as soon as it is done (slow on a shared machine)
  d <- if (file.exists(file.path("..", "shared", "data", "sim2pl_20k.csv")))
    read.csv(file.path("..", "shared", "data", "sim2pl_20k.csv")) else read.csv("/work/shared/data/sim2pl_20k.csv")
  d5 <- read.csv("tests/data/sim2pl_5k.csv")
  stopifnot(all(d5 == d[1:5000, ]))
  info <- list(R = R.version.string, mirt = pkg_version("mirt"))
  part <- function(name, x) emit_part(paste0("mirt_sim2pl_", name), c(info, x))
  part("twopl_5k_tight", fit(d5, 1, "2PL", tight = TRUE, once = TRUE))
  part("twopl_5k", fit(d5, 1, "2PL"))
  part("twopl_20k", fit(d, 1, "2PL"))
  part("threepl_5k_tight", fit(d5, 1, "3PL", tight = TRUE, once = TRUE))
  part("threepl_5k", fit(d5, 1, "3PL"))
  part("twopl_20k_tight", fit(d, 1, "2PL", tight = TRUE, once = TRUE))
  part("threepl_20k", fit(d, 1, "3PL"))
  out <- list()
} else if (what == "mixture") {
  ## mixture 2PL: random starts; each class has its own item parameters, theta ~ N(0, 1) within class
  ## (mirt fixes MEAN_1 = 0 and COV_11 = 1 in every class; PI is the class logit, class 1 the reference).
  ## mirt 1.45.1: mirt(..., dentype = "mixture-2") gives every response pattern frequency 0 (mirt() labels
  ## the rows group "all", the mixture code counts rows of group "full") and stops with "Could not compute
  ## observed log-likelihood" at the first E-step whatever the start; multipleGroup() without a group
  ## labels them "full" and fits the same model, so it is called here.
  ## Each start is wrapped in tryCatch (a failed start is recorded with its error, the others go on)
  ## and goes to $PEER_PARTS/mirt_mix_<label>_s<seed>.json when done.
  mix <- function(dat, seeds, label, se = TRUE) {
    res <- list()
    for (s in seeds) {
      tf <- tryCatch(timed({set.seed(s); multipleGroup(dat, 1, dentype = "mixture-2", GenRandomPars = TRUE,
                                                       verbose = FALSE, SE = se, TOL = 1e-7,
                                                       technical = list(NCYCLES = 20000))}, max_single = 0),
                     error = function(e) e)
      info <- list(R = R.version.string, mirt = pkg_version("mirt"))
      if (inherits(tf, "error")) {
        r <- list(seed = s, error = conditionMessage(tf))
        emit_part(paste0("mirt_mix_", label, "_s", s), c(info, r))
        res[[as.character(s)]] <- r
        next
      }
      f <- tf$value
      cf <- coef(f, printSE = TRUE)
      res[[as.character(s)]] <- r <- list(seed = s, loglike = extract.mirt(f, "logLik"), pis = extract.mirt(f, "pis"),
                                     converged = extract.mirt(f, "converged"),
                                     iterations = extract.mirt(f, "iterations"),
                                     secondordertest = extract.mirt(f, "secondordertest"),
                                     coef = lapply(cf, function(g) lapply(g, function(m) {
                                       list(par = as.list(setNames(m[1, ], colnames(m))),
                                            se = if (nrow(m) > 1) as.list(setNames(m[2, ], colnames(m))) else NULL)})),
                                     times = tf$times, median = tf$median, cpu = tf$cpu, cpu_median = tf$cpu_median)
      emit_part(paste0("mirt_mix_", label, "_s", s), c(info, r))
    }
    res
  }
  l7 <- read.csv("tests/data/lsat7.csv")
  sm <- read.csv("tests/data/sim_mix2pl.csv")
  ## second argument: "sim" or "lsat7" (default both); MIX_SEEDS starts each (default 10 and 3).
  ## LSAT7 (5 items, 21 parameters, flat likelihood) needs ~10^4 EM cycles of ~40 ms, so few starts and
  ## no SEs there.
  which <- commandArgs(trailingOnly = TRUE)[2]
  which <- if (is.na(which)) c("sim", "lsat7") else which
  out <- list()
  if ("sim" %in% which)
    out$sim <- mix(sm[, grepl("^i", names(sm))], seq_len(as.integer(Sys.getenv("MIX_SEEDS", "10"))), "sim")
  if ("lsat7" %in% which)
    out$lsat7 <- mix(l7, seq_len(as.integer(Sys.getenv("MIX_SEEDS", "3"))), "lsat7", se = FALSE)
}
out$R <- R.version.string; out$mirt <- pkg_version("mirt")
emit(out)
