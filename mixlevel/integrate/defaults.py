"""Default integration rules by model class, and the finer rule of the accuracy check.

A user who gives no integration options gets a rule chosen from what must be
integrated (the measurements behind each choice are in docs/estimation.rst,
"Integration by default"):

================================================  ==========================================
what is integrated                                default rule (points per dimension)
================================================  ==========================================
nothing (no continuous latent variables)          none
normal outcomes, normal latent variables          the exact normal likelihood (no nodes)
cluster random effects or factors, q dimensions   adaptive Gauss-Hermite: 25, 11, 7, 5 points
                                                  for q = 1, 2, 3, 4; adaptive quasi-Monte
                                                  Carlo with 1,000 points for q > 4
single-level IRT / factor (mixture) models whose  Gauss-Hermite on shared nodes (tabulated
items are tabulated (latent class, IRT items)     products): 61, 21, 11 points for q = 1, 2,
                                                  3; quasi-Monte Carlo 2,000 for q > 3
random class logits on one cluster-level         logit windows: Gauss-Legendre panels, 10
factor (within-between classes, grade of          points each, fine where the class logits
membership, restricted GoM, FMA-GoM)              cross (:mod:`~mixlevel.integrate.logit_window`;
                                                  accurate up to the latent class limit); an
                                                  FMA-GoM's item factor: 31 Gauss-Hermite
random class logits on several factors            quasi-Monte Carlo with 1,000 points (the
(unrestricted K-class GoM)                        posteriors are one-sided: adaptive fails)
row-level factors of two-level models             Gauss-Hermite, 15 points per dimension
================================================  ==========================================

After every fit that integrates, the log-likelihood and its gradient are
evaluated once more with :func:`finer_rule` at the estimates (the
"Integration check" of the summary).
"""

from __future__ import annotations

from dataclasses import dataclass

from .quadrature import canonical_kind, check_options

__all__ = ["IntegrationRule", "default_rule", "rule_from_options", "finer_rule"]

ADAPTIVE_POINTS = {1: 25, 2: 11, 3: 7, 4: 5}
SHARED_POINTS = {1: 61, 2: 21, 3: 11}
QMC_POINTS = 1000
WINDOW_POINTS = 10
QMC_SHARED_POINTS = 2000
WITHIN_POINTS = 15


@dataclass(frozen=True)
class IntegrationRule:
    """How the latent variables are integrated.

    ``kind`` is a quadrature kind (see :mod:`mixlevel.integrate.quadrature`),
    or "exact" (normal outcomes and latent variables: no nodes) or "none"
    (nothing to integrate).  ``n_points`` counts points per dimension for
    product rules, in total for (quasi-)Monte Carlo.  ``default`` records that
    the rule was chosen by :func:`default_rule`, not by the user.
    """

    kind: str
    n_points: int
    adaptive: bool
    n_points_within: int
    default: bool = False

    def describe(self, qb, qw=0):
        """One line for the summary, e.g. "adaptive Gauss-Hermite, 25 points"."""
        if self.kind in ("none", "exact"):
            return {"none": "none needed", "exact": "exact (normal)"}[self.kind]
        if self.kind == "logit-window":
            text = f"logit windows, {self.n_points} Gauss-Legendre points per panel"
            if qb == 2:
                from .logit_window import other_points

                text += f" x {other_points(self.n_points)} Gauss-Hermite (item factor)"
            return text + (f"; rows {self.n_points_within}" if qw else "")
        names = {"trapezoid": "trapezoid", "gauss-hermite": "Gauss-Hermite",
                 "monte-carlo": "Monte Carlo", "quasi-monte-carlo": "quasi-Monte Carlo"}
        text = ("adaptive " if self.adaptive and qb else "") + names[self.kind]
        per = self.kind in ("trapezoid", "gauss-hermite")
        if qb:
            text += f", {self.n_points} {'per dim.' if per else 'points'}"
        if qw:
            text += f"; rows {self.n_points_within}"
        return text


def default_rule(qb, qw, exact=False, shared=False, random_logits=False, logit_dims=None):
    """The default :class:`IntegrationRule` of a model.

    Parameters
    ----------
    qb, qw : int
        Cluster-level and row-level latent dimensions.
    exact : bool
        Every outcome is normal given normal latent variables (closed form).
    shared : bool
        The outcomes (and class prior) are tabulated on nodes shared by all
        clusters: single-level latent class, IRT and factor mixture items.
    random_logits : bool
        A within class variable has random logit intercepts.
    logit_dims : int, optional
        How many cluster-level latent variables the class logits load on
        (default ``qb``): logit windows when it is 1 and at most one other
        factor is integrated (an FMA-GoM's item factor, Gauss-Hermite).
    """
    within = WITHIN_POINTS
    if qb == 0 and qw == 0:
        return IntegrationRule("none", 1, False, 1, default=True)
    if exact:
        return IntegrationRule("exact", 1, False, 1, default=True)
    if qb == 0:
        return IntegrationRule("gauss-hermite", 1, False, within, default=True)
    if random_logits and (qb if logit_dims is None else logit_dims) == 1 and qb <= 2:
        return IntegrationRule("logit-window", WINDOW_POINTS, True, within, default=True)
    if random_logits:
        return IntegrationRule("quasi-monte-carlo", QMC_POINTS, False, within, default=True)
    if shared:
        if qb in SHARED_POINTS:
            return IntegrationRule("gauss-hermite", SHARED_POINTS[qb], False, within,
                                   default=True)
        return IntegrationRule("quasi-monte-carlo", QMC_SHARED_POINTS, False, within,
                               default=True)
    if qb in ADAPTIVE_POINTS:
        return IntegrationRule("gauss-hermite", ADAPTIVE_POINTS[qb], True, within,
                               default=True)
    return IntegrationRule("quasi-monte-carlo", QMC_POINTS, True, within, default=True)


def rule_from_options(default, integration, n_points, adaptive, n_points_within, seed, qb,
                      qw):
    """The rule of the user's integration options, ``default`` where they gave none.

    ``integration`` is a quadrature kind (not "exact": the engine decides
    that); options are checked (:func:`~mixlevel.integrate.quadrature.check_options`).
    """
    if integration is None and n_points is None and adaptive is None \
            and n_points_within is None:
        return default
    check_options(integration or "gauss-hermite", n_points or 15, n_points_within,
                  False if adaptive is None else adaptive, seed, qb, qw)
    if integration is not None:
        kind = canonical_kind(integration)
    else:
        kind = default.kind if default.kind not in ("none", "exact") else "gauss-hermite"
    if adaptive is None:
        adaptive = default.adaptive if integration is None else False
    if n_points_within is None:
        n_points_within = n_points if n_points is not None else default.n_points_within
    if n_points is None:
        n_points = default.n_points if kind == default.kind else 15
    return IntegrationRule(kind, int(n_points), bool(adaptive), int(n_points_within))


def finer_rule(rule, qb, qw):
    """A clearly finer rule than ``rule`` for the accuracy check.

    Product rules get about twice the points per dimension (2n - 1 for
    Gauss-Hermite, so its nodes differ from the original's), capped so the
    grid has at most 50,000 nodes; (quasi-)Monte Carlo four times the points,
    with other draws; logit windows twice the points per panel on panels half
    as wide.
    """
    kind = canonical_kind(rule.kind)

    def finer(n, q):
        if kind in ("monte-carlo", "quasi-monte-carlo"):
            return 4 * n
        if kind == "logit-window":
            return 2 * n
        m = max(2 * n - 1, n + 4) if kind == "gauss-hermite" else 2 * n
        while q and m > n + 1 and m ** q > 50_000:
            m -= 1
        return m

    return IntegrationRule(kind, finer(rule.n_points, qb) if qb else rule.n_points,
                           rule.adaptive, finer(rule.n_points_within, qw) if qw else
                           rule.n_points_within)
