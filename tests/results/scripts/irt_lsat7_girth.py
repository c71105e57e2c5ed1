"""Generator: 2PL on lsat7 with girth (PyPI) marginal ML, as a peer-software cross-check.

Run from the repository root (girth installed):  python tests/results/scripts/irt_lsat7_girth.py
girth returns discrimination a and difficulty b (logit P = a (theta - b)); d = -a b.
The log-likelihood at girth's estimates is evaluated with our own 201-point GH integral.
"""
import json
import numpy as np
import pandas as pd
from scipy.special import log_expit, logsumexp
from girth import twopl_mml

df = pd.read_csv("tests/data/lsat7.csv")
Y = df[[f"item{j}" for j in range(1, 6)]].to_numpy(int)
res = twopl_mml(Y.T.astype(int), options={"max_iteration": 5000, "quadrature_n": 121,
                                           "quadrature_bounds": (-8, 8), "use_LUT": False})
a, b = np.asarray(res["Discrimination"]), np.asarray(res["Difficulty"])
d = -a * b
x, w = np.polynomial.hermite_e.hermegauss(201)
eta = np.outer(x, a) + d
lp = Y @ log_expit(eta).T + (1 - Y) @ log_expit(-eta).T + np.log(w / w.sum())
print(json.dumps({"a": a.tolist(), "b": b.tolist(), "d": d.tolist(),
                  "loglike_at_estimates": float(logsumexp(lp, axis=1).sum())}, indent=1))
