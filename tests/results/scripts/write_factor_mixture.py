"""Write tests/results/results_factor_mixture.py from $REFS_DIR/fmm_cfa_lavaan.json (fmm_cfa_lavaan.R).

Run from the repository root after the R script. Generator helper only; tests never import it.
"""
import os
import sys

import numpy as np
import pandas as pd
from scipy.stats import multivariate_normal

sys.path.insert(0, os.path.dirname(__file__))
import reflib  # noqa: E402

j = reflib.load("fmm_cfa_lavaan")
items = [f"y{k}" for k in range(1, 7)]
Y = pd.read_csv("tests/data/demo_cfa500.csv")[items].to_numpy()


def own_ll(p):
    """Exact normal LL of the one-factor model at lavaan's estimates (independent of lavaan and mixlevel)."""
    lam = np.array([p[f"f=~{it}"] for it in items])
    mu = np.array([p[f"{it}~1"] for it in items])
    cov = np.outer(lam, lam) + np.diag([p[f"Var({it})"] for it in items])
    return float(multivariate_normal(mu, cov).logpdf(Y).sum())


ent, lines = [], []
for key, name in (("expected", "cfa_lavaan"), ("observed", "cfa_lavaan_observed")):
    m = j[key]
    own = own_ll(m["params"])
    ent.append((name, {
        "software": f"R lavaan {j['lavaan']} (Debian r-cran-lavaan; {j['R']})",
        "call": ('d <- read.csv("tests/data/demo_cfa500.csv"); cfa("f =~ y1 + y2 + y3 + y4 + y5 + y6", '
                 f'data = d, std.lv = TRUE, meanstructure = TRUE, estimator = "ML", information = "{key}")'),
        "loglike": float(m["loglike"]), "params": m["params"], "bse": m["bse"],
        "n_params": int(m["npar"]), "nobs": int(Y.shape[0]), "n_clusters": None,
        "converged": bool(m["converged"]), "loglike_own_at_estimates": own,
        "seconds": reflib.secs(m)}, None))
    lines.append(f"  {name:20s} LL {m['loglike']:.8f}; own exact normal LL at the estimates minus lavaan's "
                 f"{own - m['loglike']:+.1e}.")
doc = f"""Reference results: the one-class factor mixture model (a one-factor model) with normal items, R lavaan.

Generated {reflib.DATE}. Generator scripts: tests/results/scripts/fmm_cfa_lavaan.R (lavaan) and
tests/results/scripts/write_factor_mixture.py (this module; our own exact normal LL at lavaan's estimates,
scipy multivariate_normal, as the second route).
Data: tests/data/demo_cfa500.csv (y1..y6 of the first 500 rows of shared/data/demo_twolevel.csv, lavaan's
Demo.twolevel, rounded to 6 decimals; the clustering is ignored here).
Model: y_j = nu_j + lambda_j f + e_j, f ~ N(0, 1) (std.lv = TRUE), e_j ~ N(0, theta_j); ML with free
intercepts (meanstructure = TRUE). Keys: params "f=~y<j>" (lambda), "y<j>~1" (nu), "Var(y<j>)" (theta);
bse: lavaan's SEs from the expected information (cfa_lavaan, lavaan's default) or the observed
information (cfa_lavaan_observed); the estimates are the same fit. n_params = 18.
""" + "\n".join(lines) + "\n"
reflib.write_module("tests/results/results_factor_mixture.py", doc, ent)
print("factor mixture done")
