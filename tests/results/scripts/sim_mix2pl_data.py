"""Simulate tests/data/sim_mix2pl.csv: a two-class mixture 2PL (class-specific item parameters).

2000 persons, 10 binary items i01..i10; class 2 with probability 0.4; theta ~ N(0, 1) in each class;
logit P(y_j = 1 | theta, class c) = a_cj theta + d_cj. numpy default_rng(20261204), drawn in this order:
a_1 ~ U(0.8, 2.0) (10), d_1 ~ N(0, 1) (10), a_2 ~ U(0.8, 2.0) (10), class (2000 uniforms),
theta (2000), responses (2000 x 10 uniforms). d_2 = d_1 + 1.5 (-1)^j for items j = 1..10 (odd items
harder, even items easier in class 2). The true class is saved as `cls` (1/2) for checks only.
Run from the repository root:  python tests/results/scripts/sim_mix2pl_data.py
"""
import numpy as np
import pandas as pd

N, J = 2000, 10
rng = np.random.default_rng(20261204)
a1 = rng.uniform(0.8, 2.0, J)
d1 = rng.normal(0.0, 1.0, J)
a2 = rng.uniform(0.8, 2.0, J)
d2 = d1 + 1.5 * (-1.0) ** np.arange(1, J + 1)
cls = np.where(rng.uniform(size=N) < 0.4, 2, 1)
theta = rng.normal(0.0, 1.0, N)
a = np.where(cls[:, None] == 1, a1, a2)
d = np.where(cls[:, None] == 1, d1, d2)
p = 1.0 / (1.0 + np.exp(-(a * theta[:, None] + d)))
y = (rng.uniform(size=(N, J)) < p).astype(int)
df = pd.DataFrame(y, columns=[f"i{j:02d}" for j in range(1, J + 1)])
df.insert(0, "cls", cls)
df.to_csv("tests/data/sim_mix2pl.csv", index=False)
if __name__ == "__main__":
    print({"a1": a1.round(4).tolist(), "d1": d1.round(4).tolist(), "a2": a2.round(4).tolist(),
           "d2": d2.round(4).tolist(), "share_class2": float((cls == 2).mean())})
