"""Random starts as in the paper (sec. 10) and Mplus STARTS."""

from __future__ import annotations

import numpy as np

from ..engine.threads import ThreadPlan, one_blas_thread
from ..errors import ConvergenceWarning
from ..spec.transforms import to_working
from ..utils.checkpoint import Checkpoint
from ..utils.parallel import concurrent_tasks, run_tasks
from ..utils.warn import warn_user
from .bfgs import quasi_newton
from .em_algorithm import em, m_step
from .fused_em import FusedEM
from .labels import class_shares
from .optimize import FitOutcome, maximize
from .scales import column_sd, outcome_sd

__all__ = ["random_posterior_start", "posterior_start", "run_starts", "base_start",
           "perturbation_scale", "latent_start_scale"]


def random_posterior_start(engine, base, rng, concentration=1.0, m_iter=50):
    """A random starting vector: one M-step from random soft class assignments.

    Each cluster gets Dirichlet weights over between patterns and each row
    over within patterns; nodes keep their prior weights.  The M-step then
    turns the random partition into parameter values on the data's own scale.
    """
    fused = FusedEM.of(engine)
    if fused is not None:  # the same start without an E-step
        return fused.random_start(engine, base, rng, concentration)
    es = engine.estep(base)
    J, D, G = es.post_dg.shape
    N = engine.design.n_rows
    C, H = engine.C, engine.nodes.H
    pd_rand = rng.dirichlet(np.full(D, concentration), size=J)
    wg = np.exp(engine.nodes.lwg)
    wg = np.broadcast_to(wg / wg.sum(axis=1, keepdims=True), (J, G))
    es.post_dg[:] = pd_rand[:, :, None] * wg[:, None, :]
    pc_rand = rng.dirichlet(np.full(C, concentration), size=N)
    wh = np.exp(engine.nodes.lwh)
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
    C, H = engine.C, engine.nodes.H
    post = np.asarray(row_post, float)[engine.design.order]
    wg = np.exp(engine.nodes.lwg)
    es.post_dg[:] = np.broadcast_to(wg / wg.sum(axis=1, keepdims=True), (J, G))[:, None, :] / D
    wh = np.exp(engine.nodes.lwh)
    wh = wh / wh.sum()
    rp = np.broadcast_to(post[:, None, None, :, None] * wh[None, None, None, None, :],
                         (post.shape[0], D, G, C, H))
    es.rowpost[:] = rp.reshape(-1)
    return m_step(engine, base, es, maxiter=m_iter)


def _spawn(engine, concurrent):
    """An engine for one start; starts running side by side share the cores."""
    eng = engine.spawn()
    if concurrent > 1 and eng.threads.measured:
        eng.threads = ThreadPlan(max(1, eng.threads.max_threads // concurrent))
    return eng


def _initial_start(engine, base, seed_k, perturb_scale, initial_iter, concurrent):
    """One initial set: a start vector from ``seed_k`` (None: ``base`` itself), then
    ``initial_iter`` EM or quasi-Newton iterations.  Returns (work, loglike)."""
    with one_blas_thread():  # as fit(); same numbers anywhere
        eng = _spawn(engine, concurrent)
        if seed_k is None:
            w0 = base
        else:
            rng = np.random.default_rng(seed_k)
            if perturb_scale is not None and np.any(perturb_scale > 0):
                w0 = base + rng.normal(size=len(base)) * perturb_scale
            else:
                w0 = random_posterior_start(eng, base, rng)
        if eng.has_closed_form_m_step():  # cheap EM iterations
            w, ll, _, _ = em(eng, w0, maxiter=initial_iter)
        else:  # partial optimisation by quasi-Newton: more progress per E-step
            w, ll, _, _, _ = quasi_newton(eng, w0, maxiter=initial_iter)
        return w, float(ll)


def _final_start(engine, w, seed_k, concurrent, maximize_kw):
    """One complete optimisation from the initial set ``w`` (a FitOutcome)."""
    with one_blas_thread():
        out = maximize(_spawn(engine, concurrent), w, **maximize_kw)
        out.seed = int(seed_k)
        return out


def _outcome_record(out):
    return {"work": out.work, "loglike": out.loglike, "converged": out.converged,
            "n_em": out.n_em, "n_qn": out.n_qn, "seed": out.seed, "history": out.history,
            "message": out.message}


def _outcome_from_record(rec):
    return FitOutcome(np.array(rec["work"], float), float(rec["loglike"]),
                      bool(rec["converged"]), int(rec["n_em"]), int(rec["n_qn"]),
                      rec["seed"], [float(v) for v in rec["history"]], rec["message"])


def _starts_checkpoint(path, engine, base, n_initial, n_final, seed, initial_iter,
                       perturb_scale, maximize_kw):
    header = {"job": "random starts", "seed": int(seed), "n_initial": int(n_initial),
              "n_final": int(n_final), "initial_iter": int(initial_iter),
              "parameters": list(engine.table.names), "base": base,
              "perturb_scale": perturb_scale, "n_rows": int(engine.design.n_rows),
              "options": repr(sorted(maximize_kw.items()))}
    return Checkpoint(path, header)


def run_starts(engine, base, n_initial, n_final, seed, initial_iter=10,
               n_jobs=1, callback=None, perturb_scale=None, checkpoint=None, keep_base=False,
               **maximize_kw):
    """Random starts as in the paper (sec. 10) and Mplus STARTS = n_initial n_final.

    Every initial set gets ``initial_iter`` EM iterations (latent class models
    with closed-form M-steps) or quasi-Newton iterations (others); the best
    ``n_final`` are optimised completely, each on its own engine
    (:meth:`~mixlevel.engine.Engine.spawn` of ``engine``: adaptive nodes are
    per run).  Returns (best FitOutcome, table rows).
    The unperturbed start ``base`` is always one of the initial sets; the others
    add normal noise with standard deviations ``perturb_scale`` to ``base`` (as
    Mplus perturbs its default starts), or, without scales, come from random
    soft class assignments.  Start ``k`` draws from the ``k``-th seed of
    ``numpy.random.SeedSequence(seed)``, so the result is the same whatever
    runs the starts: ``n_jobs`` joblib threads by default, or any joblib
    backend configured around the call (processes, a Dask cluster through
    ``joblib.parallel_config(backend="dask")``).
    ``callback(stage, k, loglike)``, if given, is called on the calling
    thread after every start ("initial" or "final"; progress bars).
    ``checkpoint`` names a file to which each finished start is written; a
    run that finds it (same data, model and settings) continues from it.
    ``keep_base`` sends the unperturbed start to the final stage whatever its
    initial log-likelihood (an informed start, such as the per-wave start of a
    latent transition model, whose short initial run ranks it poorly).
    """
    seeds = np.random.SeedSequence(seed).generate_state(n_initial)
    concurrent = concurrent_tasks(n_jobs)
    ckpt = None if checkpoint is None else _starts_checkpoint(
        checkpoint, engine, base, n_initial, n_final, seed, initial_iter, perturb_scale,
        maximize_kw)

    def initial_args(k):  # a lone start is perturbed: base is symmetric
        seed_k = None if k == 0 and n_initial > 1 else seeds[k]
        return engine, base, seed_k, perturb_scale, initial_iter, concurrent

    initial = run_tasks(
        _initial_start, range(n_initial), initial_args, n_jobs=n_jobs, prefer="threads",
        checkpoint=ckpt, encode=lambda r: {"work": r[0], "loglike": r[1]},
        decode=lambda v: (np.array(v["work"], float), float(v["loglike"])),
        on_result=None if callback is None else lambda k, r: callback("initial", k, r[1]))
    runs = [(k, *initial[k]) for k in range(n_initial)]
    runs.sort(key=lambda r: -r[2] if np.isfinite(r[2]) else np.inf)
    finalists = runs[:n_final]
    if keep_base and n_final and n_initial > 1 and all(k != 0 for k, _, _ in finalists):
        finalists = finalists[:-1] + [r for r in runs if r[0] == 0]
    chosen = {n_initial + k: w for k, w, _ in finalists}  # final stage: keys after
    finals = run_tasks(
        _final_start, chosen,
        lambda key: (engine, chosen[key], seeds[key - n_initial], concurrent, maximize_kw),
        n_jobs=n_jobs, prefer="threads", checkpoint=ckpt, encode=_outcome_record,
        decode=_outcome_from_record,
        on_result=None if callback is None
        else lambda key, out: callback("final", key - n_initial, out.loglike))
    finals = [(key - n_initial, finals[key]) for key in chosen]
    table = []  # every start: final-stage ones first, then those stopped after stage one
    initial_ll = {k: ll for k, _, ll in runs}
    for k, out in finals:
        eng = engine.spawn()  # smallest joint class share, to spot empty classes
        share = class_shares(eng, eng.estep(out.work))
        table.append({"start": k, "seed": int(seeds[k]), "stage": "final",
                      "initial_loglike": initial_ll[k], "loglike": out.loglike,
                      "converged": out.converged, "iterations": out.n_em + out.n_qn,
                      "smallest_class": float(share.min())})
    done = {k for k, _ in finals}
    for k, _, ll in runs:
        if k not in done:
            table.append({"start": k, "seed": int(seeds[k]), "stage": "initial",
                          "initial_loglike": ll, "loglike": np.nan, "converged": False,
                          "iterations": initial_iter, "smallest_class": np.nan})
    best = max((o for _, o in finals), key=lambda o: o.loglike if np.isfinite(o.loglike)
               else -np.inf)
    if not best.converged:
        warn_user("the best solution did not converge; raise maxiter",
                  ConvergenceWarning)
    return best, table


# ------------------------------------------------------------------------------------------
# start values
# ------------------------------------------------------------------------------------------
def _uniform_posteriors(es, D, C):
    """Posterior weights 1 / D and 1 / C, in place (an E-step kept on Dask workers
    applies this on each worker)."""
    if hasattr(es, "apply"):
        return es.apply(_uniform_posteriors, D, C)
    if hasattr(es, "uniform"):  # a latent Markov chain's E-step (engine/chain.py)
        return es.uniform()
    es.post_dg[:] = 1.0 / D
    es.rowpost[:] = 1.0 / C
    return es


def latent_start_scale(engine, nat):
    """Start SD of each random effect from the outcomes it enters, on their families'
    scale (half the residual SD of a normal outcome, per unit of the covariate, at
    least 1e-4 of the outcome's SD: a floor in the outcome's own units)."""
    layout, design = engine.layout, engine.design
    spec = layout.spec
    scale = {}
    for t in spec.terms:
        if t.latent is None or t.target not in spec.outcome_names:
            continue
        o = spec.outcomes[spec.outcome_names.index(t.target)]
        fparams = nat[layout.select(equation=o.name, kind=o.family.param_kind)] \
            if o.family.param_kind else np.zeros(0)
        s = o.family.latent_start_scale(fparams, column_sd(design, t.column),
                                        outcome_sd(design, spec, o.name))
        if s is not None:
            scale[t.latent] = s
    return scale


def base_start(engine):
    """Single-class-like start (working scale): one M-step from uniform posterior weights.

    The latent variables sit at their mean (one node at z = 0), so each
    equation is a GLM.  Loadings of factors start at 1, not 0.  Random-effect
    covariances are not taken from that M-step (with the nodes' prior weights
    it would shrink them to zero, a saddle point); they start at a quarter of
    the residual variance of the normal outcomes they enter (per unit of their
    covariate), 1 otherwise.
    """
    tab, layout = engine.table, engine.layout
    w0 = tab.free_working_from_natural(tab.natural_full()[tab.free_index])
    # normal models without classes: that GLM is least squares (engine/gaussian.py)
    w = engine.exact.least_squares_start(engine, w0) if engine.exact is not None else None
    if w is None:
        with engine.at_zero_nodes():
            es = _uniform_posteriors(engine.estep(w0), engine.D, engine.C)
            w = m_step(engine, w0, es, maxiter=100)
    free_pos = {int(full): k for k, full in enumerate(tab.free_index)}
    blocks = {b.name: b for b in layout.spec.blocks}
    for ts in layout.terms:  # loadings start at 1
        if ts.latent is None or blocks[ts.latent[0]].covariance != "identity":
            continue
        for i in ts.index[ts.index >= 0].ravel():
            if int(i) in free_pos:
                w[free_pos[int(i)]] = 1.0
    nat = tab.expand_natural(tab.free_natural_from_working(w))
    scale = latent_start_scale(engine, nat)
    pos = 0
    for gi in tab.free_groups:
        g = tab.groups[gi]
        if g.kind == "covariance":
            blk = blocks[layout.info[tab.offsets[gi]].equation]
            sd = np.array([scale.get(e, 1.0) for e in blk.effects])
            cov = np.diag(sd ** 2)[np.tril_indices(blk.dim)]
            w[pos:pos + g.size] = to_working("covariance", cov)
        pos += g.size
    return w


def perturbation_scale(engine):
    """Standard deviations of the random-start perturbation (free working scale).

    Class-specific coefficients and class logits are perturbed: class logits by
    1.5, outcome coefficients by their family's start scale (1.5 on a logit or
    log scale, the standard deviation of a normal outcome per unit of the
    covariate); other parameters keep the base start.
    """
    layout, tab, design = engine.layout, engine.table, engine.design
    spec = layout.spec
    free_pos = {int(full): k for k, full in enumerate(tab.free_index)}
    scale = np.zeros(tab.n_free)
    for ts in layout.terms:
        t = ts.term
        is_class = t.target in spec.class_names
        if ts.latent is not None or not (t.by or is_class):
            continue
        sd = 1.5
        if not is_class:
            p = spec.outcome_names.index(t.target)
            sd = spec.outcomes[p].family.start_scale(outcome_sd(design, spec, t.target),
                                                     column_sd(design, t.column))
        for i in ts.index[ts.index >= 0].ravel():
            if int(i) in free_pos:
                scale[free_pos[int(i)]] = sd
    return scale
