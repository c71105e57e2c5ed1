"""Generator: LCA of carcinoma (2 and 3 classes) with StepMix (PyPI).

Run from the repository root:  python tests/results/scripts/lca_carcinoma_stepmix.py
Prints the estimates, sorted in canonical class order (decreasing class proportion).
"""
import json
import numpy as np
import pandas as pd
import stepmix
from stepmix import StepMix

df = pd.read_csv("tests/data/carcinoma.csv")
X = df[list("ABCDEFG")] - 1  # recode 1/2 -> 0/1

out = {"stepmix_version": stepmix.__version__}
for k in (2, 3):
    model = StepMix(n_components=k, measurement="binary", n_init=200,
                    abs_tol=1e-14, rel_tol=1e-14, max_iter=100000,
                    random_state=123, verbose=0, progress_bar=0)
    model.fit(X)
    n = X.shape[0]
    ll = model.score(X) * n  # score() is the mean log-likelihood per row
    p = model.get_parameters()
    w = np.asarray(p["weights"])
    pis = np.asarray(p["measurement"]["pis"])  # (k, n_items): P(item = 1 | class)
    order = np.argsort(-w, kind="stable")
    w, pis = w[order], pis[order]
    npar = int(model.n_parameters)
    out[k] = {
        "loglike": float(ll),
        "class_proportions": w.tolist(),
        "p_item1": {it: pis[:, j].tolist() for j, it in enumerate("ABCDEFG")},
        "n_params": npar,
        "aic": float(-2 * ll + 2 * npar),
        "bic": float(-2 * ll + np.log(n) * npar),
        "stepmix_aic": float(model.aic(X)),
        "stepmix_bic": float(model.bic(X)),
    }
print(json.dumps(out, indent=1))
