## Generator: LCA of carcinoma (2 and 3 classes) with R flexmix (FLXMCmvbinary), 100 random starts each.
## Run from the repository root:  Rscript tests/results/scripts/lca_carcinoma_flexmix.R > out.json
suppressMessages({library(flexmix); library(jsonlite)})
d <- read.csv("tests/data/carcinoma.csv")
Y <- as.matrix(d[, LETTERS[1:7]] - 1)          # recode 1/2 -> 0/1
out <- list(R = R.version.string, flexmix = as.character(packageVersion("flexmix")))
for (k in 2:3) {
  set.seed(2024)
  best <- NULL
  for (r in 1:100) {
    fit <- try(flexmix(Y ~ 1, k = k, model = FLXMCmvbinary(),
                       control = list(iter.max = 100000, tolerance = 1e-13, minprior = 0)),
               silent = TRUE)
    if (inherits(fit, "try-error") || length(fit@prior) < k) next
    if (is.null(best) || logLik(fit) > logLik(best)) best <- fit
  }
  o <- order(-best@prior)
  P <- parameters(best)[, o, drop = FALSE]      # items x classes: P(item = 1 | class)
  out[[paste0("k", k)]] <- list(loglike = as.numeric(logLik(best)), n_params = attr(logLik(best), "df"),
                                class_proportions = best@prior[o],
                                p_item1 = setNames(lapply(1:7, function(j) unname(P[j, ])), LETTERS[1:7]),
                                aic = AIC(best), bic = BIC(best))
}
cat(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE))
