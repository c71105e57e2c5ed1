"""Adaptive quadrature: centre and scale each cluster's nodes at its posterior.

Two ways to find where a cluster's posterior of the standard normal latent
values z lies (Liu & Pierce 1994; Rabe-Hesketh, Skrondal & Pickles 2005):

* :func:`centre_at_mode`: Newton's method per cluster on ``log p(y_j, z)``,
  with derivatives by central differences at one point per cluster, as
  GLMMadaptive and lme4 centre their rules;
* :func:`centre_at_moments`: the posterior mean and covariance on the current
  nodes (the fixed point of Naylor & Smith 1982).

Both take what they need as arguments (a callable for ``log p(y_j, z)`` or
the posterior node weights) and know nothing of models.
"""

from __future__ import annotations

import numpy as np

from .quadrature import adapt, posterior_moments

__all__ = ["centre_at_mode", "centre_at_moments"]


def _hessian_and_gradient(log_joint, z, h=1e-3):
    """Value, gradient (J, q) and Hessian (J, q, q) of ``log_joint`` at z (J, q)."""
    J, q = z.shape
    eye = np.eye(q) * h
    f0 = log_joint(z)
    grad = np.empty((J, q))
    hess = np.empty((J, q, q))
    fp = [log_joint(z + eye[a]) for a in range(q)]
    fm = [log_joint(z - eye[a]) for a in range(q)]
    for a in range(q):
        grad[:, a] = (fp[a] - fm[a]) / (2 * h)
        hess[:, a, a] = (fp[a] - 2 * f0 + fm[a]) / h ** 2
        for b in range(a):
            fpp = log_joint(z + eye[a] + eye[b])
            fmm = log_joint(z - eye[a] - eye[b])
            hess[:, a, b] = hess[:, b, a] = (
                fpp - fp[a] - fp[b] + 2 * f0 - fm[a] - fm[b] + fmm) / (2 * h ** 2)
    return f0, grad, hess


def centre_at_mode(rule, log_joint, start, max_iter=30, tol=1e-7):
    """Nodes of ``rule`` centred per cluster at the posterior mode and curvature.

    Parameters
    ----------
    rule : Rule
        The base rule (dimension q).
    log_joint : callable
        ``log_joint(Z)`` with Z (J, q) returns ``log p(y_j, z_j)`` (J,) up to
        constants, the standard normal density of z included.
    start : ndarray (J, q)
        Where the search starts (the previous modes, or zeros).

    Returns
    -------
    (nodes (J, G, q), logw (J, G), modes (J, q)), or None when a cluster's
    curvature is not negative definite at its mode (the caller falls back).
    """
    z = np.array(start, float, copy=True)
    for _ in range(max_iter):
        f0, grad, hess = _hessian_and_gradient(log_joint, z)
        try:
            step = -np.linalg.solve(hess, grad[:, :, None])[:, :, 0]
        except np.linalg.LinAlgError:
            return None
        ok = np.linalg.eigvalsh(hess).max(axis=1) < 0
        step = np.where(ok[:, None], step, 0.1 * grad)
        for _half in range(20):  # step halving per cluster
            f1 = log_joint(z + step)
            worse = ~(f1 >= f0 - 1e-12)
            if not worse.any():
                break
            step[worse] *= 0.5
        z = z + step
        if np.abs(step).max() < tol:
            break
    _, _, hess = _hessian_and_gradient(log_joint, z)
    try:
        chol = np.linalg.cholesky(np.linalg.inv(-hess))
        nodes, logw = adapt(rule, z, chol)
    except (np.linalg.LinAlgError, ValueError):
        return None
    if not (np.isfinite(nodes).all() and np.isfinite(logw).all()):
        return None
    return nodes, logw, z


def centre_at_moments(rule, nodes, post_g):
    """Nodes of ``rule`` centred at the posterior mean and covariance on ``nodes``.

    ``nodes`` (J or 1, G, q) are the current nodes and ``post_g`` (J, G) the
    clusters' posterior node probabilities.  Returns (nodes (J, G, q), logw
    (J, G)), or None when the moments are unusable.
    """
    nodes = nodes if nodes.shape[0] > 1 else nodes[0]
    try:
        mean, chol = posterior_moments(nodes, post_g)
        new, logw = adapt(rule, mean, chol)
    except (ValueError, np.linalg.LinAlgError, FloatingPointError):
        return None
    if not (np.isfinite(new).all() and np.isfinite(logw).all()):
        return None
    return new, logw
