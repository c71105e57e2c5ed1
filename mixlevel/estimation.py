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


def _positive_definite(A, floor=1e-8, invert=False):
    """Symmetric A (or its inverse) with eigenvalues raised to ``floor`` x the largest."""
    ev, V = np.linalg.eigh(0.5 * (A + A.T))
    top = ev.max() if len(ev) and ev.max() > 0 else 1.0
    ev = np.maximum(ev, floor * top)
    out = (V / ev) @ V.T if invert else (V * ev) @ V.T
    return 0.5 * (out + out.T)


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
    return _positive_definite(B, invert=True)


def complete_information_inverse(engine, work, estep, scale):
    """Inverse of the complete-data information -d2Q/dw2 at ``work``, positive definite.

    The Hessian of the EM Q-function at the posterior weights of ``estep``
    (computed at ``work``), by forward differences of its exact gradient: the
    curvature EM sees.  Where little information is missing it is close to the
    observed information, so BFGS started from it behaves like an accelerated
    EM (Jamshidian & Jennrich 1997).  Each column costs one Q-gradient, cheap
    only when the tabulated outcomes give Q without the kernel.
    """
    _, g0 = engine.expected(work, estep)
    k = len(work)
    H = np.empty((k, k))
    for j in range(k):
        h = 1e-5 * max(1.0, abs(work[j]))
        w = np.array(work, float, copy=True)
        w[j] += h
        H[:, j] = (engine.expected(w, estep)[1] - g0) / h
    return _positive_definite(-0.5 * (H + H.T) / scale, invert=True)


# BFGS recomputes its outer-product start once, when the predicted gain of a step
# falls below this many log-likelihood units: the start's estimate was made far from
# the maximum, the new one near it (sim2pl_20k: 16 evaluations -> 11)
REFRESH_GAIN = 10.0


def quasi_newton(engine, work, maxiter=500, gtol=1e-6, hess_inv=None, gain_tol=1e-10):
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

    Converged when the scaled gradient's max norm is below ``gtol``, or when
    the log-likelihood gain the next quasi-Newton step predicts, g'Hg / 2, is
    below ``gain_tol`` (then the step is about sqrt(2 gain_tol), under 2e-5
    standard errors, away from the maximum).  When the line search cannot see
    a decrease in floating point, the point counts as converged if the
    gradient or the predicted gain is small.
    Returns (work, loglike, steps taken, converged, hess_inv).
    """
    scale = max(1.0, float(engine.design.cluster_weight.sum()))
    last = {}

    def fun(w):
        if "x" in last and np.array_equal(w, last["x"]):
            return last["f"], last["g"]
        ll, g, _ = engine.loglike_and_score(w)
        f, g = (-ll / scale, -g / scale) if np.isfinite(ll) else (np.inf, np.zeros_like(w))
        last.update(x=np.array(w, copy=True), f=f, g=g)
        return f, g

    x = np.array(work, float, copy=True)
    refresh = False
    if not len(x) or maxiter <= 0:
        ll = engine.loglike(x)
        return x, ll, 0, True, hess_inv
    if hess_inv is None:
        ll0, scores, es = engine.loglike_and_score(x, per_cluster=True)
        if np.isfinite(ll0) and np.all(np.isfinite(scores)):
            if scores.shape[0] < len(x) and engine.has_tabulated_q():
                # fewer clusters than parameters: their outer product is rank deficient
                hess_inv = complete_information_inverse(engine, x, es, scale)
            else:
                hess_inv = outer_product_inverse(scores, scale, engine.design.cluster_weight)
                refresh = True
            last.update(x=x.copy(), f=-ll0 / scale, g=-scores.sum(axis=0) / scale)
    H = _positive_definite(np.asarray(hess_inv, float)) if hess_inv is not None \
        else np.eye(len(x))
    f, g = fun(x)
    converged, steps = False, 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        for _ in range(maxiter + 1):
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
                _, scores, _ = engine.loglike_and_score(x, per_cluster=True)
                if np.all(np.isfinite(scores)):
                    H = outer_product_inverse(scores, scale, engine.design.cluster_weight)
                    p = -H @ g
                    slope = float(g @ p)
            if -0.5 * slope * scale < gain_tol:
                converged = True
                break
            if steps == maxiter:
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
    return x, -f * scale, steps, converged, H


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


FIRST_ROUND = 10


def maximize(engine, work, em_iter=50, maxiter=500, gtol=1e-6, adaptive_rounds=6,
             first_round=FIRST_ROUND):
    """EM warm-up then BFGS; with adaptive nodes, re-centre and repeat until stable.

    Adaptive nodes are placed at the start values before the first BFGS run,
    which stops after ``first_round`` iterations (the nodes will move); each
    later run starts from the curvature the previous one learnt.
    """
    history = []
    work, ll, n_em, _ = em(engine, work, maxiter=em_iter, history=history)
    adaptive = bool(engine.adaptive and engine.dims_b)
    hinv, n_qn, conv = None, 0, False
    for r in range(adaptive_rounds + 1 if adaptive else 1):
        before = engine.loglike(work) if adaptive else None
        if adaptive and not settle_nodes(engine, work):
            warnings.warn("adaptive quadrature failed; continuing with non-adaptive "
                          "nodes", EstimationWarning, stacklevel=2)
            engine.reset_nodes()
            work, ll, k, conv, _ = quasi_newton(engine, work, maxiter, gtol)
            n_qn += k
            break
        limit = min(maxiter, first_round) if adaptive and r == 0 else maxiter
        work, ll, k, conv, hinv = quasi_newton(engine, work, limit, gtol, hinv)
        n_qn += k
        if adaptive and r > 0 and abs(ll - before) < 1e-9 * (1 + abs(ll)) and k <= 1:
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
    new, ll_new, _, _, _ = quasi_newton(engine, new, maxiter, gtol)
    ll_old = engine.loglike(work)
    if ll_new >= ll_old - 1e-6 * (1 + abs(ll_old)):
        return new
    return work
