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


@dataclass(frozen=True)
class IntegrationCheck:
    """The outcome of :func:`check_integration`.

    Attributes
    ----------
    rule : str
        The finer rule, as the summary shows it.
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
    """

    rule: str
    n_points: int
    loglike: float
    difference: float
    shift: float
    parameter: str

    @property
    def ok(self):
        return bool(abs(self.difference) <= LL_TOLERANCE and self.shift <= SHIFT_TOLERANCE)

    def advice(self):
        """What to change, for warnings and the summary."""
        return (f"the log-likelihood changes by {self.difference:+.4g} with a finer rule "
                f"({self.rule}) and {self.parameter!r} moves by {self.shift:.2g} standard "
                f"errors; refit with more integration points (n_points={self.n_points}), "
                "or another rule (integration=...)")


def check_integration(engine, work, loglike, names):
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
    if fine.adaptive:  # the search starts at the fitted rule's modes and curvatures
        fine.nodes = dataclasses.replace(fine.nodes, modes=engine.nodes.modes,
                                         curvature=engine.nodes.curvature)
        settle_nodes(fine, work)
    ll, scores, _ = fine.loglike_and_score(work, per_cluster=True)
    shift, name = 0.0, ""
    if len(work) and np.all(np.isfinite(scores)):
        binv = outer_product_inverse(scores, 1.0, engine.design.cluster_weight)
        delta = binv @ scores.sum(axis=0)
        ratio = np.abs(delta) / np.sqrt(np.clip(np.diag(binv), 1e-300, None))
        k = int(np.argmax(ratio))
        shift, name = float(ratio[k]), names[k]
    return IntegrationCheck(fine_rule.describe(kl.qb, kl.qw), fine_rule.n_points, float(ll),
                            float(ll - loglike), shift, name)
