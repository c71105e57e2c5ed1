"""Where an engine evaluates its cluster-level latent variables: node states and adaptation.

:class:`NodesMixin` gives an engine (:class:`~mixlevel.engine.Engine`,
:class:`~mixlevel.engine.chain.ChainEngine`) its node operations: the rule's
own nodes, one node at z = 0 for start values, and adaptive quadrature, which
centres and scales each cluster's nodes at its posterior
(:mod:`mixlevel.integrate.adaptive`).  The engine provides ``rule_b``,
``rule_w``, ``kl.qb``, ``nodes``, ``exact``, ``design``, ``inputs(free_work,
tabulate=False)`` and ``_log_joint_at(inputs, Z)`` (``log p(Y_j, z_j)`` at one
point per cluster).
"""

from __future__ import annotations

import contextlib

import numpy as np

from ..integrate import adaptive
from ..integrate.logit_window import KIND as LOGIT_WINDOW
from . import kernel
from .nodes import NodeState, logit_window_nodes, nonadaptive_nodes, zero_nodes

__all__ = ["NodesMixin"]


class NodesMixin:
    """Node states of an engine: non-adaptive, at zero, adapted per cluster."""

    @property
    def adapted(self):
        return self.nodes.adapted

    def reset_nodes(self):
        """Non-adaptive nodes (also the fallback when adaptation fails)."""
        self.nodes = nonadaptive_nodes(self.rule_b, self.rule_w)

    @contextlib.contextmanager
    def at_zero_nodes(self):
        """Temporarily one node at z = 0 for every latent variable (start values)."""
        saved = self.nodes, self.exact
        self.nodes = zero_nodes(self.kl.qb, self.kl.qw)
        self.exact = None  # the kernel at z = 0: a GLM per equation
        try:
            yield
        finally:
            self.nodes, self.exact = saved

    def adapt_nodes(self, estep):
        """Centre and scale the cluster nodes at each cluster's posterior mean and covariance.

        Returns False (and keeps the previous nodes) when the moments are unusable.
        """
        if not self.kl.qb:
            return True
        out = adaptive.centre_at_moments(self.rule_b, estep.nodes.zb, estep.post_dg.sum(axis=1))
        if out is None:
            return False
        self.nodes = NodeState(out[0], out[1], self.nodes.zh, self.nodes.lwh, adapted=True,
                               modes=self.nodes.modes)
        return True

    def adapt_nodes_at_mode(self, free_work):
        """Centre and scale every cluster's nodes at its posterior mode and curvature.

        Returns False when a cluster's curvature is not negative definite (the
        caller falls back).
        """
        q = self.kl.qb
        if q == 0:
            return True
        inputs = self.inputs(free_work, tabulate=False)
        if self.rule.kind == LOGIT_WINDOW:  # nodes at the class logits' crossings
            self.nodes = logit_window_nodes(self.kl, inputs.A, self.design.indptr,
                                            self.nodes.zh, self.nodes.lwh, self.rule.n_points)
            return True
        J = self.design.n_clusters
        start = self.nodes.modes if self.nodes.modes is not None and \
            self.nodes.modes.shape == (J, q) else np.zeros((J, q))
        grad = None  # speed hook: the exact gradient in z from one sweep (kernel.py)
        if hasattr(self, "selection_full"):
            grad = kernel.log_joint_gradient_fn(self.kl, self.selection_full, self.design,
                                                inputs, self.nodes, self.threads)
        out = adaptive.centre_at_mode(self.rule_b, lambda Z: self._log_joint_at(inputs, Z),
                                      start, log_joint_grad=grad, curvature=self.nodes.curvature)
        if out is None:
            return False
        nodes, logw, modes, curvature = out
        self.nodes = NodeState(nodes, logw, self.nodes.zh, self.nodes.lwh, adapted=True,
                               modes=modes, curvature=curvature)
        return True
