"""Random starts as in the paper (sec. 10) and Mplus STARTS."""

from __future__ import annotations

import warnings

import numpy as np
from joblib import Parallel, delayed

from ..errors import ConvergenceWarning
from .bfgs import quasi_newton
from .em_algorithm import em, m_step
from .labels import pattern_posterior
from .optimize import maximize

__all__ = ["random_posterior_start", "posterior_start", "run_starts"]


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


def posterior_start(engine, base, row_post, m_iter=50):
    """A start from given class posteriors: one M-step from soft assignments ``row_post``.

    ``row_post`` (rows in the data's order x within patterns) holds each row's
    probabilities of the joint within class patterns; between patterns are
    uniform and nodes keep their prior weights.
    """
    es = engine.estep(base)
    J, D, G = es.post_dg.shape
    C, H = engine.C, engine.zh.shape[0]
    post = np.asarray(row_post, float)[engine.design.order]
    wg = np.exp(engine.lwg)
    es.post_dg[:] = np.broadcast_to(wg / wg.sum(axis=1, keepdims=True), (J, G))[:, None, :] / D
    wh = np.exp(engine.lwh)
    wh = wh / wh.sum()
    rp = np.broadcast_to(post[:, None, None, :, None] * wh[None, None, None, None, :],
                         (post.shape[0], D, G, C, H))
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
            w, ll, it, _, _ = quasi_newton(eng, w0, maxiter=initial_iter)
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
