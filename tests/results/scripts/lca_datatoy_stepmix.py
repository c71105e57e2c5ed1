"""Generator: single-level 3-class LCA of datatoy items Y_1..Y_10 with StepMix (PyPI).

Run from the repository root:  python tests/results/scripts/lca_datatoy_stepmix.py
"""
import json
import numpy as np
import pandas as pd
import stepmix
from stepmix import StepMix

df = pd.read_csv("tests/data/datatoy.csv")
X = df[[f"Y_{k}" for k in range(1, 11)]]
model = StepMix(n_components=3, measurement="binary", n_init=50, abs_tol=1e-12, rel_tol=1e-14,
                max_iter=100000, random_state=123, verbose=0, progress_bar=0)
model.fit(X)
ll = model.score(X) * len(X)
p = model.get_parameters()
w = np.asarray(p["weights"]); pis = np.asarray(p["measurement"]["pis"])
o = np.argsort(-w, kind="stable")
print(json.dumps({"stepmix_version": stepmix.__version__, "loglike": float(ll),
                  "class_proportions": w[o].tolist(), "p_item1": pis[o].tolist(),
                  "n_params": int(model.n_parameters), "aic": float(model.aic(X)),
                  "bic": float(model.bic(X))}, indent=1))
