"""Reference results: latent class analysis of the gss82 data (polytomous items), 2 and 3 classes.

Generated 2026-12-03 with R poLCA 1.6.0.2 (built from the CRAN GitHub mirror cran/poLCA; R 4.2.2
Patched (2022-11-10 r83330)).  Generator script: tests/results/scripts/lca_gss82_polca.R.

Data: tests/data/gss82.csv (poLCA `gss82`), 1202 respondents, single level; PURPOSE (3
categories), ACCURACY (2), UNDERSTA (2), COOPERAT (3), no missing values.  The model is an
unrestricted LCA: K classes, the items independent given the class, each item's category
probabilities free in every class (in mixlevel: nominal items with class-specific intercepts).

Only the maximised log-likelihoods are kept (``loglike``); ``params`` and ``bse`` are None.
nobs = 1202, n_clusters = None.
"""

# ruff: noqa: E501

lca2_polca = {
    'software': 'R poLCA 1.6.0.2',
    'call': 'd <- read.csv("tests/data/gss82.csv"); set.seed(1); poLCA(cbind(PURPOSE, ACCURACY, UNDERSTA, COOPERAT) ~ 1, d, nclass = 2, nrep = 20, maxiter = 100000, tol = 1e-12, verbose = FALSE)$llik',
    'loglike': -2783.2680095931,
    'params': None,
    'bse': None,
    'nobs': 1202,
    'n_clusters': None,
}

lca3_polca = {
    'software': 'R poLCA 1.6.0.2',
    'call': 'the same with nclass = 3 (after the nclass = 2 fit, same seed sequence)',
    'loglike': -2754.5454047892,
    'params': None,
    'bse': None,
    'nobs': 1202,
    'n_clusters': None,
}
