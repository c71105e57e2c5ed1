"""Natural and working scales of the parameters, and the Jacobian between them.

Natural scale (what users read, fix and test): coefficients and logits,
residual variances, ordinal thresholds, random-effect variances and
covariances.  Working scale (what the optimiser moves and the kernel reads):

============ ================================ ===============================
kind         natural                          working
============ ================================ ===============================
coef         beta                             beta
variance     theta > 0                        log theta
thresholds   tau_1 < ... < tau_K-1            tau_1, log(tau_k - tau_k-1)
covariance   vech(Sigma)                      vech(L), Sigma = L L' (Cholesky)
============ ================================ ===============================

The Cholesky working scale is the paper's (section 10): with b = L z and fixed
standard normal nodes z, L enters the linear predictor like a coefficient.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

__all__ = ["to_working", "to_natural", "working_jacobian", "vech_to_mat", "vech_dim",
           "tril_indices"]


@lru_cache(maxsize=64)
def tril_indices(q):
    """``np.tril_indices(q)``, cached and read-only (numpy's takes ~0.2 ms a call,
    and every likelihood evaluation transforms each covariance block several times)."""
    rows, cols = np.tril_indices(q)
    rows.flags.writeable = cols.flags.writeable = False
    return rows, cols


def vech_dim(n):
    """Order q of a symmetric matrix whose lower triangle has ``n`` elements."""
    return int(round((np.sqrt(8 * n + 1) - 1) / 2))


def vech_to_mat(v, q):
    m = np.zeros((q, q))
    m[tril_indices(q)] = v
    return m


def _chol_jacobian(L):
    """d vech(L L') / d vech(L) for lower-triangular L (square, q(q+1)/2)."""
    q = L.shape[0]
    idx = list(zip(*tril_indices(q), strict=True))
    jac = np.zeros((len(idx), len(idx)))
    for r, (a, b) in enumerate(idx):  # Sigma_ab = sum_k L_ak L_bk
        for s, (c, d) in enumerate(idx):
            val = 0.0
            if a == c:
                val += L[b, d] if d <= b else 0.0
            if b == c:
                val += L[a, d] if d <= a else 0.0
            jac[r, s] = val
    return jac


def to_working(kind, nat):
    nat = np.asarray(nat, float)
    if kind == "coef":
        return nat.copy()
    if kind == "variance":
        return np.log(nat)
    if kind == "thresholds":
        return np.concatenate([nat[:1], np.log(np.diff(nat))])
    q = vech_dim(len(nat))
    sig = vech_to_mat(nat, q)
    sig = sig + np.tril(sig, -1).T
    try:
        L = np.linalg.cholesky(sig)
    except np.linalg.LinAlgError:  # semi-definite (e.g. a variance fixed at 0)
        w, v = np.linalg.eigh(sig)
        L = np.linalg.qr((v * np.sqrt(np.clip(w, 0, None))).T)[1].T
        L = L * np.sign(np.diag(L) + (np.diag(L) == 0))
    return L[tril_indices(q)]


def to_natural(kind, work):
    work = np.asarray(work, float)
    if kind == "coef":
        return work.copy()
    if kind == "variance":
        return np.exp(work)
    if kind == "thresholds":
        return np.cumsum(np.concatenate([work[:1], np.exp(work[1:])]))
    q = vech_dim(len(work))
    L = vech_to_mat(work, q)
    return (L @ L.T)[tril_indices(q)]


def working_jacobian(kind, work):
    """d natural / d working (square, per group)."""
    work = np.asarray(work, float)
    n = len(work)
    if kind == "coef":
        return np.eye(n)
    if kind == "variance":
        return np.diag(np.exp(work))
    if kind == "thresholds":
        jac = np.zeros((n, n))
        jac[:, 0] = 1.0
        for m in range(1, n):
            jac[m:, m] = np.exp(work[m])
        return jac
    q = vech_dim(n)
    return _chol_jacobian(vech_to_mat(work, q))
