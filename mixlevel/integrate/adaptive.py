"""Adaptive quadrature: centre and scale each cluster's nodes at its posterior.

Two ways to find where a cluster's posterior of the standard normal latent
values z lies (Liu & Pierce 1994; Rabe-Hesketh, Skrondal & Pickles 2005):

* :func:`centre_at_mode`: Newton's method per cluster on ``log p(y_j, z)``,
  as GLMMadaptive and lme4 centre their rules.  With the exact gradient (one
  kernel sweep at one point per cluster) the curvature comes from central
  differences of the gradient, and Newton keeps it while the steps shrink
  fast (a chord iteration: one sweep per step); without it, value, gradient
  and curvature are central differences of ``log p`` itself;
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


def _curvature_from_gradient(log_joint_grad, z, h=1e-4):
    """Hessian (J, q, q) of log p at z by central differences of the exact gradient."""
    J, q = z.shape
    hess = np.empty((J, q, q))
    for a in range(q):
        e = np.zeros(q)
        e[a] = h
        hess[:, :, a] = (log_joint_grad(z + e)[1] - log_joint_grad(z - e)[1]) / (2 * h)
    return 0.5 * (hess + np.swapaxes(hess, 1, 2))


def _newton_step(hess, grad):
    """-hess^-1 grad per cluster; 0.1 grad where hess is not negative definite."""
    try:
        step = -np.linalg.solve(hess, grad[:, :, None])[:, :, 0]
    except np.linalg.LinAlgError:
        return None
    ok = np.linalg.eigvalsh(hess).max(axis=1) < 0
    return np.where(ok[:, None], step, 0.1 * grad)


def _nodes_at(rule, z, hess):
    """The rule centred at z with the curvature ``hess`` (None if unusable)."""
    try:
        chol = np.linalg.cholesky(np.linalg.inv(-hess))
        nodes, logw = adapt(rule, z, chol)
    except (np.linalg.LinAlgError, ValueError):
        return None
    if not (np.isfinite(nodes).all() and np.isfinite(logw).all()):
        return None
    return nodes, logw


def centre_at_mode(rule, log_joint, start, max_iter=30, tol=1e-7, log_joint_grad=None,
                   curvature=None):
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
    log_joint_grad : callable, optional
        ``log_joint_grad(Z)`` returns ``(log p (J,), its gradient in z (J, q))``.
        With it the search needs one call per Newton step (plus 2q for each
        curvature); without it, ``1 + 2q + q(q - 1)`` calls of ``log_joint``.
    curvature : ndarray (J, q, q), optional
        A Hessian to start from (the previous search's at its mode).

    Returns
    -------
    (nodes (J, G, q), logw (J, G), modes (J, q), Hessian at the modes (J, q, q)),
    or None when a cluster's curvature is not negative definite at its mode
    (the caller falls back).
    """
    if log_joint_grad is None:
        return _centre_by_differences(rule, log_joint, start, max_iter, tol)
    z = np.array(start, float, copy=True)
    f0, grad = log_joint_grad(z)
    hess = curvature if curvature is not None and curvature.shape == (z.shape + z.shape[1:]) \
        else _curvature_from_gradient(log_joint_grad, z)
    last = np.inf
    for _ in range(max_iter):
        step = _newton_step(hess, grad)
        if step is None:
            return None
        size = np.abs(step).max() if step.size else 0.0
        if size < tol:
            break
        for _half in range(20):  # step halving per cluster
            f1, g1 = log_joint_grad(z + step)
            worse = ~(f1 >= f0 - 1e-12)
            if not worse.any():
                break
            step[worse] *= 0.5
        better = ~worse
        z[better] += step[better]
        f0[better], grad[better] = f1[better], g1[better]
        if size > 0.25 * last:  # slow (chord) progress: refresh the curvature
            hess = _curvature_from_gradient(log_joint_grad, z)
        last = size
    hess = _curvature_from_gradient(log_joint_grad, z)
    out = _nodes_at(rule, z, hess)
    return None if out is None else (out[0], out[1], z, hess)


def _centre_by_differences(rule, log_joint, start, max_iter, tol):
    """:func:`centre_at_mode` with value, gradient and Hessian by differences of log p."""
    z = np.array(start, float, copy=True)
    for _ in range(max_iter):
        f0, grad, hess = _hessian_and_gradient(log_joint, z)
        step = _newton_step(hess, grad)
        if step is None:
            return None
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
    out = _nodes_at(rule, z, hess)
    return None if out is None else (out[0], out[1], z, hess)


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
