"""Simulate tests/data/sim_glmm_var16.csv: a logistic random-intercept GLMM with a large variance.

300 clusters of 10 rows; x ~ N(0, 1); u_j ~ N(0, 16); logit P(y = 1) = -1 + 0.5 x + u_j.
numpy default_rng(20261203), drawn in this order: u (300), x (3000), uniform (3000) for y.
Run from the repository root:  python tests/results/scripts/sim_glmm_var16_data.py
"""
import numpy as np
import pandas as pd

N_CLUSTERS, SIZE = 300, 10
rng = np.random.default_rng(20261203)
u = rng.normal(0.0, 4.0, N_CLUSTERS)
x = rng.normal(0.0, 1.0, N_CLUSTERS * SIZE)
cluster = np.repeat(np.arange(1, N_CLUSTERS + 1), SIZE)
eta = -1.0 + 0.5 * x + u[cluster - 1]
y = (rng.uniform(size=eta.size) < 1.0 / (1.0 + np.exp(-eta))).astype(int)
pd.DataFrame({"cluster": cluster, "x": np.round(x, 6), "y": y}).to_csv(
    "tests/data/sim_glmm_var16.csv", index=False)
