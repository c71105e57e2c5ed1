"""Outer products of cluster scores and the MLR sandwich (White 1980)."""

from __future__ import annotations

import numpy as np

__all__ = ["outer_product", "positive_definite", "sandwich", "observed_hessian",
           "information_is_regular"]


def outer_product(scores, weights=None):
    """sum_j w_j s_j s_j' from the clusters' weighted scores w_j s_j.

    A cluster with frequency weight w_j stands for w_j independent clusters
    (collapsed response patterns), so its weighted score enters once divided
    by w_j, not squared.
    """
    if weights is None:
        return scores.T @ scores
    w = np.asarray(weights, float)
    unweighted = np.divide(scores, w[:, None], out=np.zeros_like(scores), where=w[:, None] > 0)
    return unweighted.T @ scores



def positive_definite(A, floor=1e-8, invert=False):
    """Symmetric A (or its inverse) with eigenvalues raised to ``floor`` x the largest."""
    ev, V = np.linalg.eigh(0.5 * (A + A.T))
    top = ev.max() if len(ev) and ev.max() > 0 else 1.0
    ev = np.maximum(ev, floor * top)
    out = (V / ev) @ V.T if invert else (V * ev) @ V.T
    return 0.5 * (out + out.T)


def sandwich(hessian, scores, weights=None):
    """MLR covariance H^-1 (sum_j s_j s_j') H^-1 (White 1980) and the ML one.

    ``scores`` are the clusters' weighted contributions w_j s_j; a cluster with
    frequency weight w_j stands for w_j independent clusters, so the meat is
    sum_j w_j s_j s_j' = sum_j (w_j s_j)(w_j s_j)' / w_j.
    """
    info = -hessian
    try:
        inv = np.linalg.inv(info)
    except np.linalg.LinAlgError:
        inv = np.linalg.pinv(info)
    meat = outer_product(scores, weights)
    return inv @ meat @ inv, inv


def observed_hessian(score, params, kinds, units=None):
    """Observed Hessian by central differences of the analytic score (natural scale).

    ``kinds`` gives each parameter's kind; a variance's step stays below half
    its value so no evaluation leaves the parameter space.  ``units`` are the
    parameters' typical magnitudes (:func:`~mixlevel.estimation.scales.natural_scales`;
    default 1): a step is 1e-5 of the parameter or of its unit, whichever is
    larger, so the derivatives do not depend on the units of the data.
    """
    params = np.asarray(params, float)
    k = len(params)
    units = np.ones(k) if units is None else np.asarray(units, float)
    H = np.zeros((k, k))
    for j in range(k):
        h = 1e-5 * max(abs(params[j]), units[j])
        if kinds[j] == "variance" and params[j] > 0:
            h = min(h, 0.5 * params[j])
        e = np.zeros(k)
        e[j] = h
        H[:, j] = (score(params + e) - score(params - e)) / (2 * h)
    return 0.5 * (H + H.T)


def information_is_regular(H, units=None):
    """False when -H is singular or not positive definite.

    Judged on the information in the parameters' units, ``U (-H) U`` with
    ``U = diag(units)`` (:func:`~mixlevel.estimation.scales.natural_scales`;
    default 1): its eigenvalues must exceed 1e-10 of the largest.  In those
    units the verdict does not depend on the units of the data.
    """
    H = np.asarray(H, float)
    if not len(H):
        return True
    u = np.ones(len(H)) if units is None else np.asarray(units, float)
    info = -0.5 * (H + H.T) * u[:, None] * u[None, :]
    if not np.all(np.isfinite(info)):
        return False
    try:
        eig = np.linalg.eigvalsh(info)
    except np.linalg.LinAlgError:
        return False
    return bool(eig.max() > 0 and eig.min() > 1e-10 * eig.max())
