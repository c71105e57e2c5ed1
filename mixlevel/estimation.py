"""Estimation: EM, quasi-Newton on the marginal log-likelihood, random starts.

The paper's section 10: random starting values with partial optimisation of
all initial sets and complete optimisation of the best few; EM (monotone with
non-adaptive rules thanks to the Cholesky parameterisation) followed by a
quasi-Newton method with the exact gradient (Fisher's identity).

Everything here works on the free *working* vector of an :class:`Engine`.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np
from joblib import Parallel, delayed
from scipy import optimize

from .errors import ConvergenceWarning, EstimationWarning

__all__ = ["FitOutcome", "em", "quasi_newton", "maximize", "random_posterior_start"]


@dataclass
class FitOutcome:
    """What one optimisation run produced."""

    work: np.ndarray
    loglike: float
    converged: bool
    n_em: int = 0
    n_qn: int = 0
    seed: int | None = None
    history: list = field(default_factory=list)
    message: str = ""


def m_step(engine, work, estep, maxiter=6):
    """Maximise the Q-function at fixed posterior weights (one EM M-step).

    The equations separate (each a weighted GLM on the expanded rows); they
    are solved jointly here by L-BFGS on Q with its exact gradient, started at
    the current values, so Q never decreases.
    """
    closed = engine.closed_form_m_step(work, estep)
    if closed is not None:
        return closed
    scale = max(1.0, float(engine.design.cluster_weight.sum()))

    def f(w):
        q, g = engine.expected(w, estep)
        if not np.isfinite(q):
            return np.inf, np.zeros_like(w)
        return -q / scale, -g / scale

    q0 = f(work)[0]
    res = optimize.minimize(f, work, jac=True, method="L-BFGS-B",
                            options={"maxiter": maxiter, "gtol": 1e-9, "ftol": 1e-13})
    if np.isfinite(res.fun) and res.fun <= q0:
        return res.x
    return work


def em(engine, work, maxiter=50, tol=1e-7, m_iter=6, history=None):
    """EM iterations from ``work``; returns (work, loglike, n_iter, converged).

    Stops when the log-likelihood gains less than ``tol`` (relative).  With
    non-adaptive integration every iteration raises the log-likelihood.
    """
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


def quasi_newton(engine, work, maxiter=500, gtol=1e-6):
    """BFGS on the marginal log-likelihood with the exact gradient.

    The objective is scaled by the number of clusters; ``gtol`` applies to
    that scaled gradient (max norm).  Returns (work, loglike, n_iter, converged).
    """
    scale = max(1.0, float(engine.design.cluster_weight.sum()))
    cache = {}

    def f(w):
        ll, g, _ = engine.loglike_and_score(w)
        cache["last"] = (ll, g)
        if not np.isfinite(ll):
            return np.inf, np.zeros_like(w)
        return -ll / scale, -g / scale

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        res = optimize.minimize(f, work, jac=True, method="BFGS",
                                options={"maxiter": maxiter, "gtol": gtol})
    ll = -res.fun * scale
    grad = np.abs(res.jac).max() if res.jac is not None and len(res.jac) else 0.0
    # BFGS also stops when the line search can no longer improve the objective in
    # floating point ("precision loss"): that is the numerical optimum when the
    # gradient per cluster is small as well
    converged = bool(res.success or grad < max(10 * gtol, 1e-5))
    return res.x, ll, int(res.nit), converged


def maximize(engine, work, em_iter=50, maxiter=500, gtol=1e-6, adaptive_rounds=6):
    """EM warm-up then BFGS; with adaptive nodes, re-centre and repeat until stable."""
    history = []
    work, ll, n_em, _ = em(engine, work, maxiter=em_iter, history=history)
    work, ll, n_qn, conv = quasi_newton(engine, work, maxiter, gtol)
    if engine.adaptive and engine.dims_b:
        for _ in range(adaptive_rounds):
            before = engine.loglike(work)
            if not settle_nodes(engine, work):
                warnings.warn("adaptive quadrature failed; continuing with non-adaptive "
                              "nodes", EstimationWarning, stacklevel=2)
                engine.reset_nodes()
                work, ll, k, conv = quasi_newton(engine, work, maxiter, gtol)
                break
            work, ll, k, conv = quasi_newton(engine, work, maxiter, gtol)
            n_qn += k
            if abs(ll - before) < 1e-9 * (1 + abs(ll)) and k <= 1:
                break
        if engine.adapted:
            settle_nodes(engine, work)
            ll = engine.loglike(work)
    return FitOutcome(work, ll, conv, n_em, n_qn, history=history)


def settle_nodes(engine, work):
    """Re-centre adaptive nodes at ``work``: posterior mode and curvature per cluster.

    Falls back to the posterior mean and covariance on the current nodes,
    iterated to a fixed point (Naylor & Smith 1982), when the mode search
    fails.  Returns False when both fail.
    """
    if engine.adapt_nodes_at_mode(work):
        return True
    last = None
    for _ in range(100):
        es = engine.estep(work)
        if last is not None and abs(es.loglike - last) < 1e-11 * (1 + abs(last)):
            return True
        if not np.isfinite(es.loglike) or not engine.adapt_nodes(es):
            return False
        last = es.loglike
    return True


def random_posterior_start(engine, base, rng, concentration=1.0, m_iter=50):
    """A random starting vector: one M-step from random soft class assignments.

    Each cluster gets Dirichlet weights over between patterns and each row
    over within patterns; nodes keep their prior weights.  The M-step then
    turns the random partition into parameter values on the data's own scale.
    """
    es = engine.estep(base)
    J, D, G = es.post_dg.shape
    N = engine.design.n_rows
    C, H = engine.C, engine.zh.shape[0]
    pd_rand = rng.dirichlet(np.full(D, concentration), size=J)
    wg = np.exp(engine.lwg)
    wg = np.broadcast_to(wg / wg.sum(axis=1, keepdims=True), (J, G))
    es.post_dg[:] = pd_rand[:, :, None] * wg[:, None, :]
    pc_rand = rng.dirichlet(np.full(C, concentration), size=N)
    wh = np.exp(engine.lwh)
    wh = wh / wh.sum()
    rp = np.broadcast_to(pc_rand[:, None, None, :, None] * wh[None, None, None, None, :],
                         (N, D, G, C, H))
    es.rowpost[:] = rp.reshape(-1)
    return m_step(engine, base, es, maxiter=m_iter)


def run_starts(engine_factory, base, n_initial, n_final, seed, initial_iter=10,
               n_jobs=1, callback=None, perturb_scale=None, **maximize_kw):
    """Random starts as in the paper (sec. 10) and Mplus STARTS = n_initial n_final.

    Every initial set gets ``initial_iter`` EM iterations (latent class models
    with closed-form M-steps) or quasi-Newton iterations (others); the best
    ``n_final`` are optimised completely.  Returns (best FitOutcome, table rows).
    The unperturbed start ``base`` is always one of the initial sets; the others
    add normal noise with standard deviations ``perturb_scale`` to ``base`` (as
    Mplus perturbs its default starts), or, without scales, come from random
    soft class assignments.
    ``callback(stage, k, loglike)``, if given, is called after every start
    ("initial" or "final"), possibly from worker threads (progress bars).
    """
    seeds = np.random.SeedSequence(seed).generate_state(n_initial)

    def initial(k):
        eng = engine_factory()
        if k == 0:
            w0 = base
        else:
            rng = np.random.default_rng(seeds[k])
            if perturb_scale is not None and np.any(perturb_scale > 0):
                w0 = base + rng.normal(size=len(base)) * perturb_scale
            else:
                w0 = random_posterior_start(eng, base, rng)
        if eng.has_closed_form_m_step():  # cheap EM iterations
            w, ll, it, _ = em(eng, w0, maxiter=initial_iter)
        else:  # partial optimisation by quasi-Newton: more progress per E-step
            w, ll, it, _ = quasi_newton(eng, w0, maxiter=initial_iter)
        if callback is not None:
            callback("initial", k, ll)
        return k, w, ll

    runs = Parallel(n_jobs=n_jobs, prefer="threads")(
        delayed(initial)(k) for k in range(n_initial))
    runs.sort(key=lambda r: -r[2] if np.isfinite(r[2]) else np.inf)

    def final(k, w):
        out = maximize(engine_factory(), w, **maximize_kw)
        out.seed = int(seeds[k])
        if callback is not None:
            callback("final", k, out.loglike)
        return k, out

    finals = Parallel(n_jobs=n_jobs, prefer="threads")(
        delayed(final)(k, w) for k, w, _ in runs[:n_final])
    table = []  # every start: final-stage ones first, then those stopped after stage one
    initial_ll = {k: ll for k, _, ll in runs}
    for k, out in finals:
        eng = engine_factory()  # smallest joint class share, to spot empty classes
        w_row = eng.design.row_weight * eng.design.cluster_weight[eng.cluster_of_row]
        share = w_row @ pattern_posterior(eng, eng.estep(out.work)).reshape(len(w_row), -1)
        table.append({"start": k, "seed": int(seeds[k]), "stage": "final",
                      "initial_loglike": initial_ll[k], "loglike": out.loglike,
                      "converged": out.converged, "iterations": out.n_em + out.n_qn,
                      "smallest_class": float(share.min() / max(share.sum(), 1e-300))})
    done = {k for k, _ in finals}
    for k, _, ll in runs:
        if k not in done:
            table.append({"start": k, "seed": int(seeds[k]), "stage": "initial",
                          "initial_loglike": ll, "loglike": np.nan, "converged": False,
                          "iterations": initial_iter, "smallest_class": np.nan})
    best = max((o for _, o in finals), key=lambda o: o.loglike if np.isfinite(o.loglike)
               else -np.inf)
    if not best.converged:
        warnings.warn("the best solution did not converge; raise maxiter",
                      ConvergenceWarning, stacklevel=2)
    return best, table


def pattern_posterior(engine, estep):
    """P(d, c | data) per row, shape (N, D, C)."""
    N = engine.design.n_rows
    G, H = estep.post_dg.shape[2], engine.zh.shape[0]
    rp = estep.rowpost.reshape(N, engine.D, G, engine.C, H).sum(axis=4)
    return np.einsum("ndg,ndgc->ndc", estep.post_dg[engine.cluster_of_row], rp)


def canonical_order(engine, work, maxiter=1000, gtol=1e-6):
    """Relabel classes by decreasing estimated size (label switching).

    The posterior weights are permuted and one M-step plus BFGS carries the
    parameters to the relabelled optimum; the relabelled solution is kept only
    when it reaches the same log-likelihood.
    """
    es = engine.estep(work)
    d = engine.design
    w = d.row_weight * d.cluster_weight[engine.cluster_of_row]
    mass = np.einsum("n,ndc->dc", w, pattern_posterior(engine, es)).reshape(-1)
    pats = engine.patterns
    perm = {}
    for cv in engine.spec.classes:
        size = [mass[[p[cv.name] == k for p in pats]].sum() for k in range(cv.n_classes)]
        perm[cv.name] = np.argsort(-np.asarray(size), kind="stable")
    if all((v == np.arange(len(v))).all() for v in perm.values()):
        return work
    index = {tuple(sorted(p.items())): i for i, p in enumerate(pats)}
    old_of_new = np.array([index[tuple(sorted({k: int(perm[k][v]) for k, v in p.items()}
                                              .items()))] for p in pats])
    d_map = old_of_new.reshape(engine.D, engine.C)[:, 0] // engine.C
    c_map = old_of_new.reshape(engine.D, engine.C)[0, :] % engine.C
    N, G, H = d.n_rows, es.post_dg.shape[2], engine.zh.shape[0]
    es.post_dg[:] = es.post_dg[:, d_map, :]
    rp = es.rowpost.reshape(N, engine.D, G, engine.C, H)
    es.rowpost[:] = rp[:, d_map][:, :, :, c_map].reshape(-1)
    new = m_step(engine, work, es, maxiter=500)
    new, ll_new, _, _ = quasi_newton(engine, new, maxiter, gtol)
    ll_old = engine.loglike(work)
    if ll_new >= ll_old - 1e-6 * (1 + abs(ll_old)):
        return new
    return work
