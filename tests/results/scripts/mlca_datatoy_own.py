"""Generator: two-level (nonparametric multilevel) LCA and single-level LCA on datatoy
(own independent EM implementation, not peer software).

Two-level model (Vermunt 2003): cluster j has a between class D_j in 1..2 with P(D_j = d);
unit i in cluster j has a within class C_ij in 1..3 with P(C_ij = c | D_j = d); the ten
binary items are independent given C_ij with P(Y_k = 1 | C = c) (not depending on D).
E-step: upward-downward recursion in log space. Many random starts; each run iterates EM
until the LL change is below 1e-10 (at most 100000 iterations).
Run from the repository root:  python tests/results/scripts/mlca_datatoy_own.py
"""
import json
import numpy as np
import pandas as pd
from scipy.special import logsumexp

df = pd.read_csv("tests/data/datatoy.csv")
items = [f"Y_{k}" for k in range(1, 11)]
Y = df[items].to_numpy(float)
g = pd.factorize(df["id_high"])[0]
J = g.max() + 1
N, K = Y.shape
C, D = 3, 2
EPS = 1e-300


def item_loglik(p):
    lp1, lp0 = np.log(np.maximum(p, EPS)), np.log(np.maximum(1 - p, EPS))
    return Y @ lp1.T + (1 - Y) @ lp0.T  # (N, C)


def em_twolevel(rng, tol=1e-10, maxit=100000, init=None):
    if init is None:
        pd_ = rng.dirichlet(np.ones(D))
        pcd = rng.dirichlet(np.ones(C), size=D)  # (D, C)
        p = rng.uniform(0.1, 0.9, size=(C, K))
    else:
        pd_, pcd, p = init
    old = -np.inf
    for it in range(maxit):
        lf = item_loglik(p)  # (N, C)
        lic = lf[:, None, :] + np.log(pcd)[None, :, :]  # (N, D, C)
        lid = logsumexp(lic, axis=2)  # (N, D)
        ljd = np.zeros((J, D))
        np.add.at(ljd, g, lid)
        ljd += np.log(pd_)
        lj = logsumexp(ljd, axis=1)
        ll = lj.sum()
        postd = np.exp(ljd - lj[:, None])  # (J, D)
        post = postd[g][:, :, None] * np.exp(lic - lid[:, :, None])  # (N, D, C)
        pd_ = postd.mean(axis=0)
        pcd = post.sum(axis=0); pcd /= pcd.sum(axis=1, keepdims=True)
        pc = post.sum(axis=1)  # (N, C)
        p = (pc.T @ Y) / pc.sum(axis=0)[:, None]
        if ll - old < tol and it > 10:
            break
        old = ll
    # LL at the final parameters
    lf = item_loglik(p)
    lid = logsumexp(lf[:, None, :] + np.log(pcd)[None], axis=2)
    ljd = np.zeros((J, D)); np.add.at(ljd, g, lid); ljd += np.log(pd_)
    return logsumexp(ljd, axis=1).sum(), pd_, pcd, p, it


def em_single(rng, tol=1e-10, maxit=100000, init=None):
    if init is None:
        pc_ = rng.dirichlet(np.ones(C)); p = rng.uniform(0.1, 0.9, size=(C, K))
    else:
        pc_, p = init
    old = -np.inf
    for it in range(maxit):
        l = item_loglik(p) + np.log(pc_)
        li = logsumexp(l, axis=1); ll = li.sum()
        post = np.exp(l - li[:, None])
        pc_ = post.mean(axis=0); p = (post.T @ Y) / post.sum(axis=0)[:, None]
        if ll - old < tol and it > 10:
            break
        old = ll
    l = item_loglik(p) + np.log(pc_)
    return logsumexp(l, axis=1).sum(), pc_, p, it


rng = np.random.default_rng(20240601)
runs = [em_twolevel(rng) for _ in range(100)]
lls = np.array([r[0] for r in runs])
best = runs[int(np.argmax(lls))]
# polish the best solution with 5000 further EM iterations (no stopping rule)
ll, pd_, pcd, p, it = em_twolevel(None, tol=-1.0, maxit=5000, init=best[1:4])
# canonical order: between classes by decreasing P(D = d); within classes by decreasing
# marginal proportion sum_d P(d) P(c | d)
od = np.argsort(-pd_, kind="stable"); pd_, pcd = pd_[od], pcd[od]
oc = np.argsort(-(pd_ @ pcd), kind="stable"); pcd, p = pcd[:, oc], p[oc]
n_best = int(np.sum(lls > ll - 1e-6))
out = {"twolevel": {"loglike": ll, "polish_iterations": it + 1, "n_starts": len(runs), "n_starts_at_best": n_best,
                    "distinct_local_maxima": sorted(set(np.round(lls, 4).tolist()), reverse=True)[:6],
                    "p_between": pd_.tolist(), "p_within_given_between": pcd.tolist(),
                    "marginal_within": (pd_ @ pcd).tolist(), "p_item1": p.tolist(),
                    "n_params": (D - 1) + D * (C - 1) + C * K}}
runs1 = [em_single(rng) for _ in range(50)]
lls1 = np.array([r[0] for r in runs1])
b1 = runs1[int(np.argmax(lls1))]
ll1, pc_, p1, it1 = em_single(None, tol=-1.0, maxit=5000, init=b1[1:3])
o = np.argsort(-pc_, kind="stable")
out["single"] = {"loglike": ll1, "polish_iterations": it1 + 1, "n_starts": len(runs1),
                 "n_starts_at_best": int(np.sum(lls1 > ll1 - 1e-6)),
                 "class_proportions": pc_[o].tolist(), "p_item1": p1[o].tolist(), "n_params": (C - 1) + C * K}
print(json.dumps(out, indent=1))
