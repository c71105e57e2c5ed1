"""BFGS on the marginal log-likelihood with the exact gradient (Fisher's identity).

The first inverse Hessian comes from the curvature the first evaluation
yields (the outer product of the cluster scores, or the complete-data
information); see :func:`quasi_newton`.
"""

from __future__ import annotations

import warnings

import numpy as np
from scipy import optimize

from .covariance import outer_product, positive_definite
from .scales import working_scales

__all__ = ["quasi_newton", "outer_product_inverse", "complete_information_inverse", "REFRESH_GAIN"]


def outer_product_inverse(scores, scale, weights=None):
    """Inverse of the scaled outer product of cluster scores (BHHH), positive definite.

    ``sum_j w_j s_j s_j' / scale`` approximates the Hessian of the scaled
    negative log-likelihood (Berndt, Hall, Hall & Hausman 1974).  With J
    clusters and k parameters it is an estimate from J outer products, so its
    diagonal is added with weight min(1, k / J), a shrinkage that keeps the
    inverse well conditioned when the clusters are few (J < k leaves it rank
    deficient).
    """
    J, k = scores.shape
    B = outer_product(scores, weights) / scale
    B[np.diag_indices(k)] *= 1.0 + min(1.0, k / max(J, 1))
    return positive_definite(B, invert=True)


def complete_information_inverse(engine, work, estep, scale, units=None):
    """Inverse of the complete-data information -d2Q/du2 at ``work``, positive definite.

    The Hessian of the EM Q-function at the posterior weights of ``estep``
    (computed at ``work``), by forward differences of its exact gradient: the
    curvature EM sees.  Where little information is missing it is close to the
    observed information, so BFGS started from it behaves like an accelerated
    EM (Jamshidian & Jennrich 1997).  Each column costs one Q-gradient, cheap
    only when the tabulated outcomes give Q without the kernel.  The
    derivatives are taken in the parameters' own units ``u = w / units``
    (:mod:`.scales`; default 1), and the inverse is on that scale.
    """
    k = len(work)
    units = np.ones(k) if units is None else np.asarray(units, float)
    _, g0 = engine.expected(work, estep)
    H = np.empty((k, k))
    for j in range(k):
        h = 1e-5 * max(1.0, abs(work[j]) / units[j])
        w = np.array(work, float, copy=True)
        w[j] += h * units[j]
        H[:, j] = (engine.expected(w, estep)[1] - g0) * units / h
    return positive_definite(-0.5 * (H + H.T) / scale, invert=True)


# BFGS recomputes its outer-product start once, when the predicted gain of a step
# falls below this many log-likelihood units: the start's estimate was made far from
# the maximum, the new one near it (sim2pl_20k: 16 evaluations -> 11)
REFRESH_GAIN = 10.0


def quasi_newton(engine, work, maxiter=500, gtol=1e-6, hess_inv=None, gain_tol=1e-10,
                 check_first=False, keep=None):
    """BFGS on the marginal log-likelihood with the exact gradient.

    The objective is the negative log-likelihood over the number of clusters.
    The initial inverse Hessian is ``hess_inv`` (from an earlier run, e.g.
    before the adaptive nodes moved) or else the inverse outer product of the
    cluster scores at ``work``, which the first evaluation yields at no extra
    cost: the first steps then have the right size and direction instead of
    learning the curvature from the identity (LSAT7 2PL: 49 evaluations with
    the identity, 10 with the outer product).  With fewer clusters than
    parameters that outer product is rank deficient; for tabulated models the
    complete-data information is used instead (ICCS 2-level LCA, 22 countries
    and 55 parameters: 230 BFGS iterations per start with the outer product,
    28 with it).  The outer product is made once more near the maximum, when a
    step promises less than ``REFRESH_GAIN`` log-likelihood units.

    The iterations run in the parameters' own units, ``u = w / s`` with the
    typical magnitudes ``s`` of :func:`~mixlevel.estimation.scales.working_scales`,
    so that the path and the stopping point do not depend on the units of the
    data (an outcome in nanometres or in metres).  ``hess_inv`` is on that
    scale too (the one this function returns).

    Converged when the scaled gradient's max norm (per cluster, in those
    units) is below ``gtol``, or when the log-likelihood gain the next
    quasi-Newton step predicts, g'Hg / 2, is below ``gain_tol`` (then the step
    is about sqrt(2 gain_tol), under 2e-5 standard errors, away from the
    maximum).  When the line search cannot see a decrease in floating point,
    the point counts as converged if the gradient or the predicted gain is
    small.  With ``maxiter=0`` the start is returned, converged only if it
    meets these criteria.
    ``check_first``: test the gradient at ``work`` before making the initial
    inverse Hessian, and stop there if it is met (for starts that are most likely
    the maximum already: a tightly converged EM).
    Returns (work, loglike, steps taken, converged, hess_inv); a dict ``keep``
    receives the E-step at the returned work as "estep" (when it was computed).
    """
    scale = max(1.0, float(engine.design.cluster_weight.sum()))
    units = working_scales(engine)
    last = {}

    def fun(u):
        if "x" in last and np.array_equal(u, last["x"]):
            return last["f"], last["g"]
        ll, g, es = engine.loglike_and_score(u * units)
        f, g = (-ll / scale, -g * units / scale) if np.isfinite(ll) else \
            (np.inf, np.zeros_like(u))
        last.update(x=np.array(u, copy=True), f=f, g=g, es=es)
        return f, g

    x = np.array(work, float, copy=True) / units
    refresh = False
    if not len(x):
        return x, engine.loglike(x), 0, True, hess_inv
    if check_first:
        f, g = fun(x)
        if np.isfinite(f) and np.abs(g).max() <= gtol:
            return x * units, -f * scale, 0, True, hess_inv
    if hess_inv is None:
        ll0, scores, es = engine.loglike_and_score(x * units, per_cluster=True)
        if np.isfinite(ll0) and np.all(np.isfinite(scores)):
            scores = scores * units
            if scores.shape[0] < len(x) and engine.has_tabulated_q():
                # fewer clusters than parameters: their outer product is rank deficient
                hess_inv = complete_information_inverse(engine, x * units, es, scale, units)
            else:
                hess_inv = outer_product_inverse(scores, scale, engine.design.cluster_weight)
                refresh = True
            last.update(x=x.copy(), f=-ll0 / scale, g=-scores.sum(axis=0) / scale, es=es)
    H = positive_definite(np.asarray(hess_inv, float)) if hess_inv is not None \
        else np.eye(len(x))
    f, g = fun(x)
    converged, steps = False, 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        for _ in range(max(int(maxiter), 0) + 1):
            if not np.isfinite(f) or np.abs(g).max() <= gtol:
                converged = bool(np.isfinite(f))
                break
            p = -H @ g
            slope = float(g @ p)
            if slope >= 0:  # curvature lost: restart from a scaled identity
                H = np.eye(len(x)) / max(np.abs(g).max(), 1.0)
                p, slope = -H @ g, float(-g @ H @ g)
            if refresh and steps and -0.5 * slope * scale < REFRESH_GAIN:
                refresh = False
                _, scores, _ = engine.loglike_and_score(x * units, per_cluster=True)
                if np.all(np.isfinite(scores)):
                    H = outer_product_inverse(scores * units, scale,
                                              engine.design.cluster_weight)
                    p = -H @ g
                    slope = float(g @ p)
            if -0.5 * slope * scale < gain_tol:
                converged = True
                break
            if steps >= maxiter:
                break
            step = _line_search(fun, x, f, g, p, slope)
            if step is None:  # no decrease visible in floating point
                converged = bool(np.abs(g).max() < max(10 * gtol, 1e-5)
                                 or -0.5 * slope * scale < 1e3 * gain_tol)
                break
            x_new = x + step * p
            f_new, g_new = fun(x_new)
            s, y = x_new - x, g_new - g
            sy = float(s @ y)
            if sy > 1e-12 * np.linalg.norm(s) * np.linalg.norm(y):
                Hy = H @ y
                H = H + ((sy + y @ Hy) / sy ** 2) * np.outer(s, s) \
                    - (np.outer(Hy, s) + np.outer(s, Hy)) / sy
            x, f, g = x_new, f_new, g_new
            steps += 1
    if keep is not None and "x" in last and np.array_equal(last["x"], x):
        keep["estep"] = last["es"]
    return x * units, -f * scale, steps, converged, H


def _line_search(fun, x, f, g, p, slope):
    """Step length along ``p``: strong Wolfe (scipy), else backtracking (Armijo)."""
    alpha = optimize.line_search(lambda z: fun(z)[0], lambda z: fun(z)[1], x, p, gfk=g,
                                 old_fval=f, c2=0.9, maxiter=20)[0]
    if alpha is not None and alpha > 0:
        return alpha
    alpha = 1.0
    for _ in range(40):
        f_try, _ = fun(x + alpha * p)
        if np.isfinite(f_try) and f_try <= f + 1e-4 * alpha * slope:
            return alpha
        alpha *= 0.5 if np.isfinite(f_try) else 0.1
    return None
