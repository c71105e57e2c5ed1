"""EM for two-level mixture models (the paper's section 10).

The M-step maximises the expected complete-data log-likelihood (the
Q-function) at fixed posterior weights: in closed form for latent class
models (:mod:`.closed_form`), otherwise by L-BFGS on Q with its exact
gradient.  With non-adaptive rules and the Cholesky parameterisation every
iteration raises the log-likelihood.
"""

from __future__ import annotations

import numpy as np
from scipy import optimize

from .fused_em import FusedEM
from .scales import working_scales

__all__ = ["m_step", "em"]


def m_step(engine, work, estep, maxiter=6):
    """Maximise the Q-function at fixed posterior weights (one EM M-step).

    The equations separate (each a weighted GLM on the expanded rows); they
    are solved jointly here by L-BFGS on Q with its exact gradient, started at
    the current values, so Q never decreases.  L-BFGS moves the parameters in
    their own units (:mod:`.scales`), so its tolerances do not depend on the
    units of the data.
    """
    closed = engine.closed_form_m_step(work, estep)
    if closed is not None:
        return closed
    scale = max(1.0, float(engine.design.cluster_weight.sum()))
    units = working_scales(engine)

    def f(u):
        q, g = engine.expected(u * units, estep)
        if not np.isfinite(q):
            return np.inf, np.zeros_like(u)
        return -q / scale, -g * units / scale

    u0 = np.asarray(work, float) / units
    q0 = f(u0)[0]
    res = optimize.minimize(f, u0, jac=True, method="L-BFGS-B",
                            options={"maxiter": maxiter, "gtol": 1e-9, "ftol": 1e-13})
    if np.isfinite(res.fun) and res.fun <= q0:
        return res.x * units
    return work


def em(engine, work, maxiter=50, tol=1e-7, m_iter=6, history=None, fused=True):
    """EM iterations from ``work``; returns (work, loglike, n_iter, converged).

    Stops when the log-likelihood gains less than ``tol`` (relative).  With
    non-adaptive integration every iteration raises the log-likelihood.
    Latent class models with closed-form M-steps run the whole loop compiled
    (:class:`.fused_em.FusedEM`) unless ``fused=False``.
    """
    runner = FusedEM.of(engine) if fused else None
    if runner is not None:
        out = runner.run(engine, work, maxiter, tol, history)
        if out is not None:
            return out
    es = engine.estep(work)
    ll = es.loglike
    for it in range(1, maxiter + 1):
        new = m_step(engine, work, es, m_iter)
        es_new = engine.estep(new)
        gain = es_new.loglike - ll
        if history is not None:
            history.append(es_new.loglike)
        if not np.isfinite(es_new.loglike):
            return work, ll, it, False
        work, es, ll = new, es_new, es_new.loglike
        if abs(gain) < tol * (1.0 + abs(ll)):
            return work, ll, it, True
    return work, ll, maxiter, False
