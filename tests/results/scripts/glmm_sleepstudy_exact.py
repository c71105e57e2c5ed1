"""Generator: high-precision ML optimum of the sleepstudy LMM (own independent check).

Reaction ~ Days + (Days | Subject), ML.  Profiled log-likelihood (beta and sigma^2
profiled out) in the relative Cholesky factor theta (3 numbers), optimised with
scipy BFGS then polished with Newton steps on a finite-difference Hessian.
Run from the repository root:  python tests/results/scripts/glmm_sleepstudy_exact.py
"""
import json
import numpy as np
import pandas as pd
from scipy import optimize

df = pd.read_csv("tests/data/sleepstudy.csv")
groups = [g for _, g in df.groupby("Subject", sort=False)]
Xs = [np.column_stack([np.ones(len(g)), g["Days"].to_numpy(float)]) for g in groups]
ys = [g["Reaction"].to_numpy(float) for g in groups]
n = len(df)


def parts(theta):
    L = np.array([[theta[0], 0.0], [theta[1], theta[2]]])
    D = L @ L.T  # relative covariance (G / sigma^2)
    XtVX = np.zeros((2, 2)); XtVy = np.zeros(2); logdet = 0.0; Vinv = []
    for X, y in zip(Xs, ys):
        V = np.eye(len(y)) + X @ D @ X.T
        c = np.linalg.cholesky(V)
        logdet += 2 * np.log(np.diag(c)).sum()
        Vi = np.linalg.inv(V)
        Vinv.append(Vi)
        XtVX += X.T @ Vi @ X; XtVy += X.T @ Vi @ y
    beta = np.linalg.solve(XtVX, XtVy)
    rss = sum((y - X @ beta) @ Vi @ (y - X @ beta) for X, y, Vi in zip(Xs, ys, Vinv))
    s2 = rss / n
    ll = -0.5 * (n * np.log(2 * np.pi * s2) + logdet + n)
    return ll, beta, s2, D, XtVX


def negll(theta):
    return -parts(theta)[0]


th = optimize.minimize(negll, [1.0, 0.0, 0.3], method="BFGS", options={"gtol": 1e-10}).x
# Newton polish with central-difference gradient/Hessian
for _ in range(8):
    h = 1e-5
    g = np.zeros(3); H = np.zeros((3, 3))
    for i in range(3):
        e = np.zeros(3); e[i] = h
        g[i] = (negll(th + e) - negll(th - e)) / (2 * h)
        for j in range(3):
            f = np.zeros(3); f[j] = h
            H[i, j] = (negll(th + e + f) - negll(th + e - f) - negll(th - e + f) + negll(th - e - f)) / (4 * h * h)
    th = th - np.linalg.solve(H, g)
ll, beta, s2, D, XtVX = parts(th)
G = D * s2
bse = np.sqrt(np.diag(np.linalg.inv(XtVX) * s2))
print(json.dumps({"theta": th.tolist(), "max_abs_grad": float(np.abs(g).max()),
                  "loglike": float(ll), "fixef": {"Intercept": beta[0], "Days": beta[1]},
                  "bse": {"Intercept": bse[0], "Days": bse[1]},
                  "re_var_Intercept": G[0, 0], "re_cov_Intercept_Days": G[0, 1], "re_var_Days": G[1, 1],
                  "resid_var": float(s2)}, indent=1))
