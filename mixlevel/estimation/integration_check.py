"""The integration accuracy check: the fitted model re-evaluated with a finer rule.

After a fit that integrates numerically, the log-likelihood and the cluster
scores are evaluated once more at the estimates with a clearly finer rule
(:func:`mixlevel.integrate.defaults.finer_rule`; adaptive rules are centred
again at the estimates).  Two numbers say how accurate the integration was:

* the change of the log-likelihood, ``LL_fine - LL``;
* how far the estimates would move: one Newton step from the estimates on the
  finer likelihood, ``delta = B^-1 g_fine`` with ``g_fine`` the finer rule's
  gradient (the fitted rule's is zero) and ``B`` the outer product of the
  finer rule's cluster scores (BHHH), in standard errors
  ``|delta_k| / sqrt(B^-1_kk)`` (invariant to the parameterisation to first
  order, so the working scale serves).

No refit: one extra evaluation (and the mode search of adaptive rules).

On large data (the finer rule's sweep over more than ``SUBSET_ABOVE_CELLS``
kernel cells) both rules are evaluated on a random subset of ``m`` of the
``J`` clusters (a fixed seed) and the sums over all clusters are estimated from
the per-cluster differences, which are small and vary little:

* ``LL_fine - LL ~ (J/m) sum_j (ll_fine_j - ll_j)``, with the sampling standard
  error ``J sd(ll_fine_j - ll_j) / sqrt(m) * sqrt(1 - m/J)`` (``difference_se``);
  the check passes only when ``|difference| + 3 difference_se`` is within
  ``LL_TOLERANCE``;
* ``g_fine ~ (J/m) sum_j (s_fine_j - s_j)`` (the fitted rule's gradient over
  all clusters is zero at the estimates) and ``B ~ (J/m) sum_j s_fine_j
  s_fine_j'``.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from ..integrate.defaults import finer_rule
from .bfgs import outer_product_inverse
from .optimize import settle_nodes

__all__ = ["IntegrationCheck", "check_integration", "LL_TOLERANCE", "SHIFT_TOLERANCE"]

#: Log-likelihood change (units) beyond which a fit's integration is flagged.
LL_TOLERANCE = 0.01
#: Movement of an estimate, in standard errors, beyond which it is flagged.
SHIFT_TOLERANCE = 0.1
#: Finer-rule kernel cells (rows x nodes) above which a subset of clusters is checked.
SUBSET_ABOVE_CELLS = 50_000_000
#: Fewest clusters a subset check evaluates.
SUBSET_MIN_CLUSTERS = 500
SUBSET_SEED = 20261203


@dataclass(frozen=True)
class IntegrationCheck:
    """The outcome of :func:`check_integration`.

    Attributes
    ----------
    rule : str
        The finer rule, as the summary shows it (with the subset when one was checked).
    n_points : int
        Its points (per dimension for product rules).
    loglike : float
        The log-likelihood at the estimates with the finer rule.
    difference : float
        ``loglike`` minus the fitted log-likelihood.
    shift : float
        The largest movement of an estimate, in standard errors.
    parameter : str
        The parameter that moves most.
    n_checked : int or None
        Clusters evaluated when a random subset was (large data), else None.
    difference_se : float
        The sampling standard error of ``difference`` (0 when every cluster was).
    """

    rule: str
    n_points: int
    loglike: float
    difference: float
    shift: float
    parameter: str
    n_checked: int | None = None
    difference_se: float = 0.0

    @property
    def ok(self):
        return bool(abs(self.difference) + 3.0 * self.difference_se <= LL_TOLERANCE
                    and self.shift <= SHIFT_TOLERANCE)

    def advice(self):
        """What to change, for warnings and the summary."""
        return (f"the log-likelihood changes by {self.difference:+.4g} with a finer rule "
                f"({self.rule}) and {self.parameter!r} moves by {self.shift:.2g} standard "
                f"errors; refit with more integration points (n_points={self.n_points}), "
                "or another rule (integration=...)")


def check_integration(engine, work, loglike, names, subset_above=SUBSET_ABOVE_CELLS):
    """Re-evaluate a fitted model with a finer rule (see the module docstring).

    Parameters
    ----------
    engine : Engine
        The fitted model's engine (its rule is refined).
    work : ndarray
        The estimates (free working vector).
    loglike : float
        The fitted log-likelihood.
    names : list of str
        Names of the free parameters.
    subset_above : float
        Finer-rule kernel cells above which a random subset of clusters is
        evaluated (module docstring).

    Returns
    -------
    IntegrationCheck, or None when nothing is integrated numerically.
    """
    rule = engine.rule
    kl = engine.kl
    if rule.kind in ("none", "exact") or (kl.qb == 0 and kl.qw == 0):
        return None
    fine_rule = finer_rule(rule, kl.qb, kl.qw)
    fine = engine.with_rule(fine_rule)
    d = engine.design
    if hasattr(engine, "on_rows"):  # an in-process engine: a subset of clusters can be cut
        cells = d.n_rows * engine.DC * fine.rule_b.size * fine.rule_w.size
        m = max(SUBSET_MIN_CLUSTERS, int(np.ceil(d.n_clusters * subset_above / max(cells, 1))))
        if m < d.n_clusters:
            return _check_subset(engine, fine, fine_rule, work, loglike, names, m)
    if fine.adaptive:  # the search starts at the fitted rule's modes and curvatures
        fine.nodes = dataclasses.replace(fine.nodes, modes=engine.nodes.modes,
                                         curvature=engine.nodes.curvature)
        settle_nodes(fine, work)
    ll, scores, _ = fine.loglike_and_score(work, per_cluster=True)
    shift, name = _shift(scores.sum(axis=0), scores, 1.0, d.cluster_weight, names)
    return IntegrationCheck(fine_rule.describe(kl.qb, kl.qw), fine_rule.n_points, float(ll),
                            float(ll - loglike), shift, name)


def _shift(grad, scores, scale, weights, names):
    """Largest Newton step ``B^-1 grad`` in standard errors, and its parameter."""
    if not len(grad) or not np.all(np.isfinite(scores)):
        return 0.0, ""
    binv = outer_product_inverse(scores, scale, weights)
    ratio = np.abs(binv @ grad) / np.sqrt(np.clip(np.diag(binv), 1e-300, None))
    k = int(np.argmax(ratio))
    return float(ratio[k]), names[k]


def _on_clusters(engine, design, clusters):
    """``engine`` on the clusters ``clusters`` alone, with their nodes."""
    sub = engine.on_rows(design)
    sub.adaptive = engine.adaptive  # on_rows turns adaptation off (it is for predictions)
    sub.nodes = engine.nodes.for_clusters(clusters)
    return sub


def _check_subset(engine, fine, fine_rule, work, loglike, names, m):
    """:func:`check_integration` on ``m`` random clusters (the module docstring)."""
    kl, d = engine.kl, engine.design
    J = d.n_clusters
    clusters = np.sort(np.random.default_rng(SUBSET_SEED).choice(J, m, replace=False))
    design = d.subset_clusters(clusters)
    fitted = _on_clusters(engine, design, clusters)
    _, s_fit, es_fit = fitted.loglike_and_score(work, per_cluster=True)
    fine_sub = fine.on_rows(design)
    fine_sub.adaptive = fine.adaptive
    if fine.adaptive:  # the search starts at the fitted rule's modes and curvatures
        fine_sub.nodes = dataclasses.replace(fine_sub.nodes, modes=fitted.nodes.modes,
                                             curvature=fitted.nodes.curvature)
        settle_nodes(fine_sub, work)
    _, s_fine, es_fine = fine_sub.loglike_and_score(work, per_cluster=True)
    dll = es_fine.ll_cluster - es_fit.ll_cluster
    diff = J / m * dll.sum()
    se = J * dll.std(ddof=1) / np.sqrt(m) * np.sqrt(1.0 - m / J)
    shift, name = _shift(J / m * (s_fine - s_fit).sum(axis=0), s_fine, m / J,
                         design.cluster_weight, names)
    text = f"{fine_rule.describe(kl.qb, kl.qw)} on {m:,} of {J:,} random clusters " \
        f"(change estimated, s.e. {se:.2g})"
    return IntegrationCheck(text, fine_rule.n_points, float(loglike + diff), float(diff),
                            shift, name, n_checked=m, difference_se=float(se))
