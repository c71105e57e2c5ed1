"""Generator: 2PL on lsat7 by marginal ML (own independent implementation, not peer software).

logit P(item_j = 1 | theta) = a_j * theta + d_j, theta ~ N(0, 1)  (mirt's slope-intercept form).
The integral over theta uses 61-point Gauss-Hermite (probabilists' rule); the negative
log-likelihood is minimised with scipy BFGS using the analytic gradient (gtol 1e-8), then
polished with Newton steps on the finite-difference Hessian of the analytic gradient.
SEs are from the inverse of that observed-information matrix.
Run from the repository root:  python tests/results/scripts/irt_lsat7_own.py
"""
import json
import numpy as np
import pandas as pd
from scipy import optimize
from scipy.special import expit, log_expit, logsumexp

df = pd.read_csv("tests/data/lsat7.csv")
items = [f"item{j}" for j in range(1, 6)]
pat, cnt = np.unique(df[items].to_numpy(int), axis=0, return_counts=True)
J = len(items)
NQ = 61
x, w = np.polynomial.hermite_e.hermegauss(NQ)
logw = np.log(w / w.sum())


def nll_grad(par, nq_x=x, nq_logw=logw):
    a, d = par[:J], par[J:]
    eta = np.outer(nq_x, a) + d  # (Q, J)
    lp1, lp0 = log_expit(eta), log_expit(-eta)
    lpat = pat @ lp1.T + (1 - pat) @ lp0.T + nq_logw  # (P, Q)
    lmarg = logsumexp(lpat, axis=1)
    ll = cnt @ lmarg
    post = np.exp(lpat - lmarg[:, None]) * cnt[:, None]  # (P, Q)
    resid = pat[:, None, :] - expit(eta)[None, :, :]  # (P, Q, J)
    gd = np.einsum("pq,pqj->j", post, resid)
    ga = np.einsum("pq,pqj,q->j", post, resid, nq_x)
    return -ll, -np.r_[ga, gd]


start = np.r_[np.ones(J), np.zeros(J)]
res = optimize.minimize(nll_grad, start, jac=True, method="BFGS", options={"gtol": 1e-8, "maxiter": 10000})
par = res.x
for _ in range(5):
    h = 1e-6
    H = np.empty((2 * J, 2 * J))
    for i in range(2 * J):
        e = np.zeros(2 * J); e[i] = h
        H[:, i] = (nll_grad(par + e)[1] - nll_grad(par - e)[1]) / (2 * h)
    H = 0.5 * (H + H.T)
    g = nll_grad(par)[1]
    par = par - np.linalg.solve(H, g)
nll, g = nll_grad(par)
se = np.sqrt(np.diag(np.linalg.inv(H)))
a, d = par[:J], par[J:]
out = {"bfgs_success": bool(res.success), "final_grad_norm": float(np.linalg.norm(g)), "n_quad": NQ,
       "loglike": float(-nll), "a": a.tolist(), "d": d.tolist(), "se_a": se[:J].tolist(), "se_d": se[J:].tolist(),
       "b": (-d / a).tolist(), "loglike_other_quad": {}}
for q in (21, 41, 101, 201):
    xq, wq = np.polynomial.hermite_e.hermegauss(q)
    out["loglike_other_quad"][q] = float(-nll_grad(par, xq, np.log(wq / wq.sum()))[0])
print(json.dumps(out, indent=1))
