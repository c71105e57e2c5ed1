"""One complete optimisation: EM warm-up, then BFGS, with adaptive nodes re-centred."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

import numpy as np

from ..errors import EstimationWarning, SpecificationError
from ..utils.warn import warn_user
from .bfgs import quasi_newton
from .em_algorithm import em
from .fused_em import FusedEM

__all__ = ["FitOutcome", "maximize", "settle_nodes", "check_fit_options", "FIRST_ROUND",
           "default_em_iter", "FUSED_EM_TOL", "FUSED_EM_ITER"]


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
    estep: object = None  # the E-step at ``work`` on the engine's final nodes, if kept



FIRST_ROUND = 10

# Compiled EM iterations (estimation/fused_em.py) cost microseconds, so the EM warm-up of
# such models runs until the log-likelihood gains less than FUSED_EM_TOL (relative) or for
# FUSED_EM_ITER iterations, and BFGS only confirms the maximum: carcinoma LCA, 2-4
# classes, 0 BFGS steps instead of 6-39 after 50 EM iterations at 1e-7.  On many
# response patterns an iteration costs more and linear EM loses to BFGS: the cap is then
# FUSED_EM_WORK / (patterns x class patterns), at least 50 (ICCS, 2,906 patterns and 6
# classes: 1000 iterations 1.08 s CPU, 50 iterations 0.46 s, same maximum).
FUSED_EM_TOL = 1e-14
FUSED_EM_ITER = 1000
FUSED_EM_WORK = 1e6


def default_em_iter(engine, has_classes):
    """EM iterations before BFGS when ``fit(em_iter=None)``.

    Up to FUSED_EM_ITER for latent class models whose EM runs compiled (fewer on
    many response patterns, see FUSED_EM_WORK), 50 for other closed-form M-steps
    (cheap), else 0: there quasi-Newton iterations make more progress per E-step.
    """
    if not has_classes or not engine.has_closed_form_m_step():
        return 0
    fused = FusedEM.of(engine)
    if fused is None:
        return 50
    return int(min(FUSED_EM_ITER, max(50, FUSED_EM_WORK / fused.cells)))


def check_fit_options(maxiter, gtol, em_iter=None, initial_iter=10, n_jobs=1):
    """Refuse iteration counts and tolerances of ``fit()`` that make no sense.

    ``maxiter=0`` is allowed (the start is evaluated, and converged only if it
    meets the criteria); negative counts, non-integers and a tolerance that
    is not a positive number are errors naming the argument.
    """
    for name, value, low in (("maxiter", maxiter, 0), ("em_iter", em_iter, 0),
                             ("initial_iter", initial_iter, 0), ("n_jobs", n_jobs, None)):
        if value is None and name == "em_iter":
            continue
        whole = isinstance(value, (int, np.integer)) and not isinstance(value, bool)
        if not whole or (low is not None and value < low) or (low is None and value == 0):
            what = "a whole number >= 0" if low is not None else \
                "a whole number (-1: all cores)"
            raise SpecificationError(f"{name}={value!r}: give {what}")
    if isinstance(gtol, bool) or not isinstance(gtol, (int, float, np.floating, np.integer)) \
            or not np.isfinite(gtol) or gtol <= 0:
        raise SpecificationError(f"gtol={gtol!r}: give a small positive number (the default "
                                 "is 1e-8: the gradient per cluster in the parameters' units)")


# A large adaptive fit first converges with COARSE_POINTS Gauss-Hermite points per
# dimension (centred at the modes like the full rule), then finishes with the full
# rule from there: the full rule's sweeps, 3^q / n^q of the work each, are then
# only the last few BFGS steps.  The optimum is the full rule's either way.
COARSE_POINTS = 3
COARSE_ABOVE_CELLS = 2_000_000


def maximize(engine, work, em_iter=50, maxiter=500, gtol=1e-6, adaptive_rounds=6,
             first_round=FIRST_ROUND):
    """EM warm-up then BFGS; with adaptive nodes, re-centre and repeat until stable.

    Adaptive nodes are placed at the start values before the first BFGS run,
    which stops after ``first_round`` iterations (the nodes will move); each
    later run starts from the curvature the previous one learnt.  On large data
    (more than ``COARSE_ABOVE_CELLS`` kernel cells per sweep) the rounds run
    first with a coarse adaptive rule (:func:`coarse_engine`), whose estimates,
    BFGS curvature, modes and node curvatures start the full rule's rounds.
    """
    history = []
    # the exact normal likelihood (engine/gaussian.py) is smooth to rounding: stop when a
    # step gains < 1e-14 (estimates within ~1e-7 SE: lme4 agreement), not 1e-10
    gain_tol = 1e-14 if getattr(engine, "exact", None) is not None else 1e-10
    fused = FusedEM.of(engine) is not None
    adaptive = bool(engine.adaptive and engine.kl.qb)
    coarse = coarse_engine(engine) if adaptive else None
    # without EM iterations em() only evaluates the start: on the coarse rule when there is one
    work, ll, n_em, em_conv = em(coarse if coarse is not None and not em_iter else engine, work,
                                 maxiter=em_iter, tol=FUSED_EM_TOL if fused else 1e-7,
                                 history=history)
    hinv, n_qn = None, 0
    if coarse is not None:
        out = _rounds(coarse, work, maxiter, gtol, adaptive_rounds, first_round, gain_tol,
                      None, fall_back=False)
        if out is not None:
            work, _, n_qn, _, hinv = out
            engine.nodes = dataclasses.replace(engine.nodes, modes=coarse.nodes.modes,
                                               curvature=coarse.nodes.curvature)
            first_round = maxiter  # the nodes will hardly move from the coarse modes
    keep = {}
    work, ll, k, conv, _ = _rounds(engine, work, maxiter, gtol, adaptive_rounds, first_round,
                                   gain_tol, hinv, check_first=fused and em_conv, keep=keep)
    n_qn += k
    final = None
    if engine.adapted:
        # the last round's E-step serves when its nodes were settled at these estimates
        final = keep.get("settled")
        if final is None:
            settle_nodes(engine, work)
            final = engine.estep(work)
        ll = final.loglike
    return FitOutcome(work, ll, conv, n_em, n_qn, history=history, estep=final)


def coarse_engine(engine):
    """``engine`` with ``COARSE_POINTS`` adaptive points per dimension, or None.

    None unless the engine integrates by adaptive Gauss-Hermite with more
    points than that on more than ``COARSE_ABOVE_CELLS`` cells per sweep.
    """
    rule = getattr(engine, "rule", None)
    if rule is None or not hasattr(engine, "with_rule") or not engine.adaptive \
            or rule.kind != "gauss-hermite" or rule.n_points <= COARSE_POINTS:
        return None
    cells = engine.design.n_rows * engine.DC * engine.rule_b.size * engine.rule_w.size
    if cells <= COARSE_ABOVE_CELLS:
        return None
    return engine.with_rule(dataclasses.replace(rule, n_points=COARSE_POINTS))


def _rounds(engine, work, maxiter, gtol, adaptive_rounds, first_round, gain_tol, hinv,
            fall_back=True, check_first=False, keep=None):
    """BFGS runs with the adaptive nodes re-centred before each, until stable.

    Returns (work, loglike, BFGS iterations, converged, inverse Hessian).  When
    the nodes cannot be centred: with ``fall_back`` a warning and BFGS on
    non-adaptive nodes, else None.  A dict ``keep`` receives as "settled" the
    E-step at the returned work when the last run took no step from nodes
    settled there (the adaptive rule's E-step at the estimates).
    """
    adaptive = bool(engine.adaptive and engine.kl.qb)
    n_qn, conv, ll = 0, False, None
    for r in range(adaptive_rounds + 1 if adaptive else 1):
        # before re-centring: the last run's value (same estimates, same nodes), no sweep
        before = ll if adaptive and r > 0 else None
        if adaptive and not settle_nodes(engine, work):
            if not fall_back:
                return None
            warn_user("adaptive quadrature failed; continuing with non-adaptive "
                      "nodes", EstimationWarning)
            engine.reset_nodes()
            if keep is not None:
                keep["settled"] = None
            work, ll, k, conv, _ = quasi_newton(engine, work, maxiter, gtol)
            n_qn += k
            break
        limit = min(maxiter, first_round) if adaptive and r == 0 else maxiter
        last = {}
        work, ll, k, conv, hinv = quasi_newton(engine, work, limit, gtol, hinv,
                                               gain_tol=gain_tol, check_first=check_first,
                                               keep=last)
        n_qn += k
        if keep is not None:
            keep["settled"] = last.get("estep") if adaptive and k == 0 else None
        if adaptive and r > 0 and abs(ll - before) < 1e-9 * (1 + abs(ll)) and k <= 1:
            break
    return work, ll, n_qn, conv, hinv


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
