"""Integration of random class logits on the logit scale: Gauss-Legendre windows.

A grade-of-membership model (paper section 7, eq. 27-35) integrates the class
probabilities ``p_k = softmax(mu_k + lambda_k z)`` over ``z ~ N(0, 1)``.  As
the variance of the random logits grows (the latent class model is the limit),
the probabilities switch from 0 to 1 over an interval of ``z`` of width about
``1 / |lambda_k - lambda_l|`` around the point where two logits cross.  A rule
with fixed nodes in ``z`` (Gauss-Hermite, quasi-Monte Carlo) then sees a step
and turns the integral into a discrete mixture, and the optimiser exploits it;
adaptive Gauss-Hermite fails too, because a cluster whose responses are all 0
or all 1 has a one-sided posterior.

This rule places its nodes where the integrand changes, on the logit scale:

* ``z`` is covered by Gauss-Legendre panels of width ``10 / n`` on
  ``[-Z_MAX, Z_MAX]`` (the normal density there; beyond, mass < 1e-19);
* around every crossing ``z_t = -(mu_k - mu_l) / (lambda_k - lambda_l)`` (and
  each logit against the reference, whose logit is 0) the panels are
  ``20 / n`` wide *on the logit scale* (``20 / (n |lambda_k - lambda_l|)`` in
  ``z``) for ``LOGIT_HALF_WIDTH`` logit units on either side, beyond which a
  probability differs from 0 or 1 by less than ``exp(-40)``;
* each panel has ``n`` Gauss-Legendre points (default 10), weights
  ``w_GL * phi(z)``.

The class probabilities are analytic in a strip of half-width pi around the
real logit axis and the normal density is entire, so each panel is integrated
to about machine precision, whatever the variance: from no random effect to
the latent class limit.  The nodes depend on the parameters (the crossings),
so they are placed again at the current estimates between optimisation rounds,
exactly as adaptive quadrature re-centres its nodes
(:func:`mixlevel.estimation.optimize.settle_nodes`).

An FMA-GoM (eq. 38-41) has a second cluster-level factor, measured by the
items, on which the class logits do not load: it gets Gauss-Hermite points
(:func:`other_points`) in a product with the windows.
"""

from __future__ import annotations

import numpy as np
from numpy.polynomial.legendre import leggauss

__all__ = ["window_rule", "crossings", "other_points", "with_other_dims", "Z_MAX",
           "LOGIT_HALF_WIDTH", "KIND"]

KIND = "logit-window"
#: Half-width of the covered standard normal range.
Z_MAX = 9.0
#: Logit units on either side of a crossing that get fine panels.
LOGIT_HALF_WIDTH = 40.0
#: Log-weight of padding nodes (clusters with fewer nodes than the largest).
PAD_LOGW = -700.0


def _breakpoints(transitions, n):
    """Panel ends: a coarse grid on [-Z_MAX, Z_MAX] refined around each crossing."""
    coarse = 10.0 / n
    pts = [np.linspace(-Z_MAX, Z_MAX, int(np.ceil(2 * Z_MAX / coarse)) + 1)]
    for centre, slope in transitions:
        if not (np.isfinite(centre) and np.isfinite(slope)) or slope <= 0:
            continue
        half = LOGIT_HALF_WIDTH / slope
        lo, hi = max(centre - half, -Z_MAX), min(centre + half, Z_MAX)
        if hi <= lo:
            continue
        step = 20.0 / (n * slope)
        if step >= coarse:
            continue  # the coarse panels are finer already
        k = int(np.ceil((hi - lo) / step))
        pts.append(np.linspace(lo, hi, k + 1))
    b = np.unique(np.concatenate(pts))
    keep = np.concatenate([[True], np.diff(b) > 1e-12])
    return b[keep]


def window_rule(transitions, n=10):
    """Nodes and log-weights for ``int f(z) phi(z) dz`` with fine panels at crossings.

    Parameters
    ----------
    transitions : iterable of (centre, slope)
        Where two class logits cross (in ``z``) and how fast their difference
        changes with ``z`` (``|lambda_k - lambda_l|``, > 0).
    n : int
        Gauss-Legendre points per panel; panel widths scale as ``1 / n``.

    Returns
    -------
    nodes : ndarray (G,)
    logw : ndarray (G,)
        ``log(w_GL * (b - a) / 2 * phi(z))``; the weights sum to 1 up to the
        normal mass beyond ``Z_MAX`` (about 2e-19).
    """
    b = _breakpoints(transitions, n)
    x, w = leggauss(n)
    a, c = b[:-1, None], b[1:, None]
    half = 0.5 * (c - a)
    z = (a + c) * 0.5 + half * x[None, :]
    logw = np.log(half * w[None, :]) - 0.5 * z * z - 0.5 * np.log(2 * np.pi)
    return z.ravel(), logw.ravel()


def other_points(n):
    """Gauss-Hermite points of each other cluster dimension (an FMA-GoM's item factor):
    ``3 n + 1`` (31 for the default 10 points per panel, 61 in the accuracy check)."""
    return 3 * int(n) + 1


def with_other_dims(z, logw, q, d, n):
    """Windows in dimension ``d`` times Gauss-Hermite in the other ``q - 1`` dimensions.

    The class logits load on one cluster-level factor only (``d``); the others
    (an item factor, eq. 38-41) are smooth and get ``other_points(n)``
    Gauss-Hermite points each.  ``z`` (J, G) and ``logw`` (J, G) are the
    windows; returns nodes (J, G * H, q) and log-weights (J, G * H).
    """
    from numpy.polynomial.hermite_e import hermegauss

    if q == 1:
        return z[:, :, None], logw
    x, w = hermegauss(other_points(n))
    lw1 = np.log(w) - 0.5 * np.log(2 * np.pi)
    grids = np.meshgrid(*([x] * (q - 1)), indexing="ij")
    other = np.stack([g.ravel() for g in grids], axis=1)           # (H, q - 1)
    lwo = sum(np.meshgrid(*([lw1] * (q - 1)), indexing="ij")).ravel()
    J, G = z.shape
    H = len(other)
    Z = np.empty((J, G, H, q))
    Z[..., d] = z[:, :, None]
    rest = [k for k in range(q) if k != d]
    Z[..., rest] = other[None, None, :, :]
    LW = logw[:, :, None] + lwo[None, None, :]
    return Z.reshape(J, G * H, q), LW.reshape(J, G * H)


def crossings(mu, lam):
    """Crossings of a class variable's logits (reference logit 0).

    Parameters
    ----------
    mu : ndarray (R, K - 1)
        Fixed parts of the K - 1 logits in R settings (rows, patterns).
    lam : ndarray (R, K - 1)
        Their loadings on z.

    Returns
    -------
    list of (centre, slope), distinct to 1e-9.
    """
    mu = np.atleast_2d(np.asarray(mu, float))
    lam = np.atleast_2d(np.asarray(lam, float))
    R, K1 = mu.shape
    m = np.concatenate([mu, np.zeros((R, 1))], axis=1)
    la = np.concatenate([lam, np.zeros((R, 1))], axis=1)
    out = []
    for k in range(K1 + 1):
        for ll in range(k + 1, K1 + 1):
            dl = la[:, k] - la[:, ll]
            ok = np.abs(dl) > 1e-10
            if not ok.any():
                continue
            centre = -(m[ok, k] - m[ok, ll]) / dl[ok]
            pairs = np.unique(np.round(np.column_stack([centre, np.abs(dl[ok])]), 9),
                              axis=0)
            out.extend(map(tuple, pairs))
    return out


def cluster_windows(per_cluster, n=10, q=1, d=0):
    """Nodes (J or 1, G, q) and log-weights for each cluster's crossings.

    The windows lie in dimension ``d`` of ``q`` (:func:`with_other_dims`).

    ``per_cluster`` is a list of transition lists, one per cluster.  Clusters
    with the same crossings share nodes; when all do, one set is returned
    (shape ``(1, G, 1)``).  Shorter sets are padded with nodes of weight
    ``exp(PAD_LOGW)`` at z = 0.
    """
    keys = [tuple(sorted(t)) for t in per_cluster]
    uniq = {}
    for key in keys:
        if key not in uniq:
            uniq[key] = window_rule(key, n)
    if len(uniq) == 1:
        z, lw = next(iter(uniq.values()))
        return with_other_dims(z[None, :], lw[None, :], q, d, n)
    G = max(len(z) for z, _ in uniq.values())
    Z = np.zeros((len(keys), G))
    LW = np.full((len(keys), G), PAD_LOGW)
    for j, key in enumerate(keys):
        z, lw = uniq[key]
        Z[j, :len(z)] = z
        LW[j, :len(z)] = lw
    return with_other_dims(Z, LW, q, d, n)
