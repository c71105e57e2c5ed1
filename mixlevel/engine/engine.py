"""The likelihood engine: from parameters to kernel arrays and back to scores.

One :class:`Engine` serves every model of the paper (DESIGN.md section 2): it
turns the parameter vector into linear-predictor arrays for the compiled
kernel (:class:`~mixlevel.engine.inputs.KernelInputs`), calls the kernel for
the per-cluster log-likelihood and posterior weights (the E-step), and maps
the kernel's expected complete-data scores back to parameters: the exact
gradient by Fisher's identity, per-cluster scores for the MLR sandwich, and
the EM Q-function.

Optimisation runs on the free *working* vector (see
:mod:`mixlevel.spec.transforms`).  What the kernel computes is fixed by the
model's :class:`~mixlevel.engine.layout.KernelLayout`; where it evaluates the
latent variables by the :class:`~mixlevel.engine.nodes.NodeState`.
"""

from __future__ import annotations

import copy

import numpy as np

from ..errors import SpecificationError
from ..estimation.closed_form import ClosedFormMStep
from ..integrate import quadrature
from ..integrate.defaults import IntegrationRule, default_rule, rule_from_options
from ..integrate.logit_window import KIND as LOGIT_WINDOW
from . import gaussian, kernel
from .adapt import NodesMixin
from .between import BetweenPrior
from .inputs import KernelInputs, free_gradient, parameter_values
from .layout import build_kernel_layout, check_enumeration
from .nodes import nonadaptive_nodes, window_logit_dims
from .tabulated import TabulatedMixin
from .threads import ThreadPlan

__all__ = ["Engine", "EStep"]

MAX_CELL_BYTES = 4 * 2**30  # posterior arrays (rows x classes x nodes) beyond 4 GB


def _add_columns(g, cols, values):
    """g[:, cols] += values, adding up repeated columns (np.add.at is slow on 2-D)."""
    uniq, inverse = np.unique(cols, return_inverse=True)
    if len(uniq) == len(cols):
        g[:, cols] += values
    else:
        onehot = np.zeros((len(cols), len(uniq)))
        onehot[np.arange(len(cols)), inverse] = 1.0
        g[:, uniq] += values @ onehot


def check_grid_size(kl, integration, n_points, n_points_within, n_rows, n_clusters=None):
    """Refuse integration grids whose posterior arrays would not fit in memory.

    With ``n_clusters`` (adaptive rules, nothing tabulated) a model with one
    cell per row and node keeps clusters x nodes arrays only, and those count.
    """
    product = quadrature.canonical_kind(integration) in ("trapezoid", "gauss-hermite")
    qb, qw = kl.qb, kl.qw
    G = n_points ** qb if product else (n_points if qb else 1)
    nw = n_points_within or n_points
    H = nw ** qw if product else (nw if qw else 1)
    units = "rows"
    if n_clusters is not None and kernel.one_cell_per_node(kl, H):
        n_rows, units = n_clusters, "clusters"
    cells = float(n_rows) * kl.DC * G * H
    if cells * 8 > MAX_CELL_BYTES:
        dims = f"{qb} cluster-level and {qw} row-level" if qw else f"{qb}"
        raise SpecificationError(
            f"the integration grid is too large: {dims} random effects with "
            f"{integration} rules of {n_points} points per dimension give "
            f"{G * H:,.0f} nodes, {cells:,.0f} posterior cells for {n_rows:,} {units} "
            f"({cells * 8 / 2**30:.1f} GB).  Use fewer points per dimension "
            "(n_points=...), or integration='quasi-monte-carlo' (or 'monte-carlo') "
            "with a total number of points (n_points=500), or fewer random effects.")


class EStep:
    """Result of one E-step at given parameters.

    ``rowpost`` (N, D, G, C, H), P(c, h | d, g, y_i), is all ones when rows
    have no classes or nodes of their own (C = H = 1: single-level IRT, random
    effect models); then the kernel does not write it and it is made only if
    asked for.  ``nodes`` is the node state the E-step was computed on.
    """

    def __init__(self, ll_cluster, post_dg, rowpost, inputs, nodes, n_rowpost=0):
        self.ll_cluster = ll_cluster  # (J,) weighted log-likelihood per cluster
        self.post_dg = post_dg        # (J, D, G) P(d, g | Y_j)
        self._rowpost = rowpost       # None: all ones, n_rowpost of them
        self._n_rowpost = n_rowpost
        self.inputs = inputs          # kernel inputs at these parameters
        self.nodes = nodes
        self.tab_stats = None         # expected statistics of tabulated outcomes (cached)

    @property
    def rowpost(self):
        if self._rowpost is None:
            self._rowpost = np.ones(self._n_rowpost)
        return self._rowpost

    @property
    def logpd(self):
        return self.inputs.logpd

    @property
    def loglike(self):
        return float(self.ll_cluster.sum())


class Engine(NodesMixin, TabulatedMixin):
    """Likelihood, gradient and E-step of a model on its design.

    Parameters
    ----------
    layout : ParamLayout
        The model's parameter layout (:func:`mixlevel.spec.layout.build_layout`).
    design : Design
    table : ParamTable
    integration : str, optional
        "gauss-hermite", "trapezoid", "monte-carlo" or "quasi-monte-carlo";
        default: chosen from the model (:func:`mixlevel.integrate.defaults.default_rule`).
    n_points : int, optional
        Points per dimension (product rules) or draws (Monte Carlo).
    adaptive : bool, optional
        Shift and scale the cluster-level nodes per cluster to the posterior.
    n_points_within : int, optional
        Points per dimension of row-level latent variables.
    seed : int
        Seed of Monte Carlo rules.
    num_threads : int, optional
        Kernel threads of every call.  Default: one for small problems, else
        one or all cores, whichever the timed calls show to be faster
        (:class:`~mixlevel.engine.threads.ThreadPlan`).
    kernel_layout : KernelLayout, optional
        Reuse the kernel layout of another engine of the same model.
    rule : IntegrationRule, optional
        The rule itself (overrides the four integration options).
    """

    def __init__(self, layout, design, table, integration=None, n_points=None,
                 adaptive=None, n_points_within=None, seed=0, num_threads=None,
                 kernel_layout=None, rule=None):
        self.layout, self.design, self.table = layout, design, table
        if kernel_layout is None:
            check_enumeration(layout, design)  # before any array of joint patterns
        self.kl = kernel_layout or build_kernel_layout(layout, design.single_level)
        quadrature.check_seed(seed)
        self.seed = seed
        self.rule = rule or self._resolve_rule(integration, n_points, adaptive,
                                               n_points_within)
        # the exact normal likelihood (gaussian.py, one node at 0) when the rule is "exact"
        self.exact = None
        if self.rule.kind == "exact":
            self.exact = self.__dict__.pop("_exact_candidate", None) or \
                gaussian.ExactNormal.for_engine(self)[0]
        self.__dict__.pop("_exact_candidate", None)
        kind = "gauss-hermite" if self.rule.kind in ("none", "exact") else self.rule.kind
        self.integration, self.n_points = self.rule.kind, self.rule.n_points
        self.adaptive = self.rule.adaptive and self.kl.qb > 0
        check_grid_size(self.kl, kind, self.rule.n_points, self.rule.n_points_within,
                        design.n_rows, design.n_clusters if self.adaptive else None)
        self.rule_b = quadrature.make_rule(kind, self.rule.n_points, self.kl.qb, seed=seed)
        self.rule_w = quadrature.make_rule(
            "gauss-hermite" if kind == LOGIT_WINDOW else kind, self.rule.n_points_within,
            self.kl.qw, seed=seed)
        self.nodes = nonadaptive_nodes(self.rule_b, self.rule_w)
        self._num_threads = num_threads  # None: threads by measurement
        self._bind_design(design)
        self._layout_tabulation()

    def _resolve_rule(self, integration, n_points, adaptive, n_points_within):
        """The integration rule from the user's options, defaults where they gave none."""
        kl = self.kl
        chans = set(kl.class_channels())
        exact, reason = gaussian.ExactNormal.for_engine(self)
        self._exact_candidate = exact
        if isinstance(integration, str) and integration.strip().lower() == "exact":
            if adaptive or n_points is not None or n_points_within is not None:
                raise SpecificationError("integration='exact' uses no nodes: drop n_points=, "
                                         "n_points_within= and adaptive=")
            if exact is None:
                raise SpecificationError(
                    "integration='exact' needs normal outcomes with normal latent variables, "
                    f"but {reason}; use a quadrature rule (e.g. integration='gauss-hermite')")
            return IntegrationRule("exact", 1, False, 1)
        default = default_rule(
            kl.qb, kl.qw, exact=exact is not None,
            shared=self.design.single_level and len(kl.tabulable_outcomes) == len(kl.fam)
            and (not len(kl.kv) or kl.tabulable_classes),
            random_logits=any(ch in chans and m > 0 for ch, m, *_ in kl.entries),
            logit_dims=window_logit_dims(kl, self.spec))
        return rule_from_options(default, integration, n_points, adaptive, n_points_within,
                                 self.seed, kl.qb, kl.qw)

    def with_rule(self, rule):
        """An engine of the same model and data integrating with ``rule``."""
        return Engine(self.layout, self.design, self.table, seed=self.seed,
                      num_threads=self._num_threads, kernel_layout=self.kl, rule=rule)

    def _bind_design(self, design):
        d = self.design = design
        # scale-out: kernel threads by measurement (engine/threads.py)
        cells = d.n_rows * max(len(self.spec.outcomes), 1) * self.DC * self.rule_b.size \
            * self.rule_w.size
        self.threads = ThreadPlan.for_kernel(cells, self._num_threads)
        self.const_cluster = np.add.reduceat(d.row_weight * d.const, d.indptr[:-1]) \
            if d.n_rows else np.zeros(0)
        self.cluster_of_row = d.cluster_of_row
        self._unit_weights = bool(np.all(d.row_weight == 1) and np.all(d.cluster_weight == 1))
        self.between = BetweenPrior(
            [c.n_classes for c in self.spec.between_classes], self.kl.between_entries,
            self.kl.dpat, {e[2]: d.cluster_values(e[2]) for e in self.kl.between_entries})

    @property
    def num_threads(self):
        """Most kernel threads a call may use (the plan decides per call)."""
        return self.threads.max_threads

    @num_threads.setter
    def num_threads(self, n):  # scale-out: a fixed count, as num_threads=n at construction
        self._num_threads = n
        self.threads = ThreadPlan(n, measured=False)

    def __sizeof__(self):  # scale-out: the design's bytes, so Dask ships an engine once
        d = self.design
        arrays = (d.y, d.trials, d.const, d.row_weight, *d.columns.values())
        return object.__sizeof__(self) + sum(a.nbytes for a in arrays)

    # -- the model's shape -------------------------------------------------------------
    @property
    def spec(self):
        return self.layout.spec

    @property
    def D(self):
        return self.kl.D

    @property
    def C(self):
        return self.kl.C

    @property
    def DC(self):
        return self.kl.DC

    @property
    def patterns(self):
        """Joint class patterns in kernel order (dicts)."""
        return self.layout.patterns()

    # -- engines sharing this one's model ------------------------------------------------
    def spawn(self):
        """An engine of the same model and data with its own (non-adaptive) nodes.

        Shares the layouts, design, rules and tables; random starts use one each.
        """
        new = copy.copy(self)
        new.nodes = nonadaptive_nodes(self.rule_b, self.rule_w)
        new.__dict__.pop("_closed_form", None)
        return new

    def on_rows(self, design):
        """An engine of the same model on other rows (``design``), with non-adaptive nodes.

        For model-implied quantities and predictions: the parameters, layout
        and rules are this engine's; tabulation is left to the kernel.
        """
        new = copy.copy(self)
        for key in ("_closed_form", "_monomials", "_coef_map_skip", "_coef_map_all"):
            new.__dict__.pop(key, None)
        new.nodes = nonadaptive_nodes(self.rule_b, self.rule_w)
        new.adaptive = False
        new._bind_design(design)
        if new.exact is not None:
            new.exact = gaussian.ExactNormal.for_engine(new)[0]
        new._layout_tabulation()
        return new

    # -- closed-form M-step (latent class models: mixlevel.estimation.closed_form) --------
    def has_closed_form_m_step(self):
        if "_closed_form" not in self.__dict__:
            self._closed_form = ClosedFormMStep.plan(self)
        return self._closed_form is not None

    def closed_form_m_step(self, free_work, estep):
        """EM update of a latent class model in closed form (None if not applicable)."""
        return self._closed_form.update(self, estep) if self.has_closed_form_m_step() else None

    # -- nodes (adaptation: mixlevel.engine.adapt) ------------------------------------
    def _log_joint_at(self, inputs, Z):
        """log p(Y_j, z_j) (up to constants) at one point per cluster, Z (J, q)."""
        d = self.design
        J = d.n_clusters
        ll = np.empty(J)
        post = np.empty((J, self.D, 1))
        rp = np.empty(d.n_rows * self.D * self.C * self.nodes.H)
        kernel.loglik_posterior(self.kl, self.selection_full, d, inputs, self.nodes, ll, post,
                                rp, self.threads, zb=np.ascontiguousarray(Z[:, None, :]),
                                lwg=np.ascontiguousarray(-0.5 * (Z * Z).sum(axis=1)[:, None]))
        return ll

    # -- parameters -> kernel inputs -----------------------------------------------------
    def inputs(self, free_work, tabulate=True):
        """Kernel inputs at the free working vector (tabulated parts where they apply)."""
        kl, tab, d = self.kl, self.table, self.design
        work, nat, signs = parameter_values(tab, free_work)
        pos, idx, val = kl.const_entries
        coef = np.where(idx >= 0, work[idx], val)
        A = np.bincount(pos, weights=coef, minlength=kl.CH * kl.DC * kl.M).astype(float)
        A = A.reshape(1, kl.CH, kl.DC, kl.M)
        if kl.row_varying and d.n_rows > 1:
            A = np.repeat(A, d.n_rows, axis=0)
        for ch, m, col, idx, val in kl.entries:
            if col != "1":
                A[:, ch, :, m] += d.columns[col][:, None] * np.where(idx >= 0, work[idx], val)
        FP = np.zeros((max(len(self.spec.outcomes), 1), kl.DC, kl.kf))
        for p, dc, off, n_par, thresholds in kl.family_entries:
            FP[p, dc, :n_par] = nat[off:off + n_par] if thresholds else work[off:off + n_par]
        logpd, pd_prob = self.between.logprior(work, d.n_clusters)
        inputs = KernelInputs(A, FP, logpd, pd_prob, work, nat, signs,
                              np.array(free_work, float, copy=True))
        if tabulate and self.fast and not self.nodes.adapted:
            inputs.tab = self._tabulated_inputs(A, FP)
        return inputs

    def _selection(self, inputs, full=False):
        return self.selection_fast if inputs.tab is not None and not full \
            else self.selection_full

    # -- E-step, likelihood, scores --------------------------------------------------------
    def estep(self, free_work):
        inputs = self.inputs(free_work)
        d, nodes = self.design, self.nodes
        J, G = d.n_clusters, nodes.G
        ll = np.empty(J)
        post_dg = np.empty((J, self.D, G))
        n_rowpost = d.n_rows * self.D * G * self.C * nodes.H
        trivial = self.C * nodes.H == 1
        rowpost = np.empty(0 if trivial else n_rowpost)
        if self.exact is not None:  # exact normal likelihood (gaussian.py)
            with np.errstate(all="ignore"):
                inputs.moments = self.exact.loglik_posterior(inputs.A, inputs.FP, inputs.logpd,
                                                             ll, post_dg, rowpost)
        else:
            kernel.loglik_posterior(self.kl, self._selection(inputs), d, inputs, nodes, ll,
                                    post_dg, rowpost, self.threads,
                                    extra=self._extra(inputs) if inputs.tab is not None
                                    else None)
        ll_cluster = d.cluster_weight * (ll + self.const_cluster)
        return EStep(ll_cluster, post_dg, None if trivial else rowpost, inputs, nodes,
                     n_rowpost)

    def loglike(self, free_work):
        return self.estep(free_work).loglike

    def expected(self, free_work, estep, per_cluster=False, kernel_out=None):
        """Q-function value and its gradient on the free working vector.

        With ``estep`` computed at ``free_work`` this is the log-likelihood's
        exact gradient (Fisher's identity).  ``per_cluster=True`` returns the
        (J, n_free) matrix of cluster scores instead of the sum.  ``kernel_out``
        passes the kernel's (S, GFP, q) when a fused sweep computed them.
        """
        kl, d = self.kl, self.design
        same = np.array_equal(free_work, estep.inputs.free_work)
        inputs = estep.inputs if same else self.inputs(free_work)
        N, J = d.n_rows, d.n_clusters
        n_full = len(self.table.names)
        g = np.zeros((J, n_full)) if per_cluster else np.zeros(n_full)
        fast = inputs.tab is not None
        summed = fast and not per_cluster  # tabulated parts from expected statistics
        q_tab = self._tab_expected(inputs, estep, g) if summed else 0.0
        need_kernel = self.remaining_outcomes or (len(kl.kv) > 0 and not self.tab_classes)
        if summed and not need_kernel:
            qb, gb = self._between_scores(inputs, estep, per_cluster)
            return float(q_tab + qb), self._to_free(g + gb, inputs)
        if kernel_out is not None:  # from the fused sweep at these parameters
            S, GF, q = kernel_out
        else:
            S = np.zeros((N, kl.CH, kl.DC, kl.M))
            GF = np.zeros((N, max(len(self.spec.outcomes), 1), kl.DC, kl.kf))
            q = np.zeros(J)
            if self.exact is not None:  # exact normal likelihood (gaussian.py)
                with np.errstate(all="ignore"):
                    self.exact.expected_scores(inputs.A, inputs.FP, d.cluster_weight,
                                               estep.post_dg, estep.rowpost,
                                               estep.inputs.moments, S, GF, q)
            elif need_kernel or not fast:
                kernel.expected_scores(kl, self._selection(inputs, full=not fast), d, inputs,
                                       estep.nodes, estep.post_dg, estep.rowpost, S, GF, q,
                                       self.threads)
        if fast and per_cluster:  # tabulated parts row by row
            S_tab, GF_tab, q_rows = self._tab_row_scores(inputs, estep)
            S, GF = (S + S_tab, GF + GF_tab) if need_kernel or kernel_out else (S_tab, GF_tab)
            if N:
                q = q + self._by_cluster(q_rows)
        # constant-column coefficients: one product with the (channel, dc, m) -> parameter map
        coef_map = self._coefficient_map(skip_tabulated=summed)
        flat = S.reshape(N, -1)
        g += (self._by_cluster(flat) if per_cluster else flat.sum(axis=0)) @ coef_map
        skip = set(self.tab_channels()) if summed else set()
        for ch, m, col, idx, _ in kl.entries:
            ok = idx >= 0
            if col == "1" or ch in skip or not ok.any():
                continue
            contrib = S[:, ch, :, m] * d.columns[col][:, None]
            if per_cluster:
                _add_columns(g, idx[ok], self._by_cluster(contrib)[:, ok])
            else:
                np.add.at(g, idx[ok], contrib.sum(axis=0)[ok])
        for p, dc, off, n_par, _ in kl.family_entries:
            if summed and p in self.tab_outcomes:
                continue
            contrib = GF[:, p, dc, :n_par]
            if per_cluster:
                g[:, off:off + n_par] += self._by_cluster(contrib)
            else:
                g[off:off + n_par] += contrib.sum(axis=0)
        qb, gb = self._between_scores(inputs, estep, per_cluster)
        g = g + gb
        q_total = q if per_cluster else float(q.sum() + qb + q_tab)
        return q_total, self._to_free(g, inputs)

    def _coefficient_map(self, skip_tabulated):
        """(CH * DC * M, parameters) 0/1 map of the constant-column coefficients.

        Scores on the kernel's (channel, dc, monomial) layout times this map are
        scores on the parameters.  ``skip_tabulated`` leaves out the tabulated
        channels (their gradient comes from the expected statistics).
        """
        key = "_coef_map_skip" if skip_tabulated else "_coef_map_all"
        if key not in self.__dict__:  # the transpose of the scatter that builds A
            kl = self.kl
            pos, idx, _ = kl.const_entries
            keep = idx >= 0
            if skip_tabulated:
                keep &= ~np.isin(pos // (kl.DC * kl.M), self.tab_channels())
            cmap = np.zeros((kl.CH * kl.DC * kl.M, len(self.table.names)))
            np.add.at(cmap, (pos[keep], idx[keep]), 1.0)
            self.__dict__[key] = cmap
        return self.__dict__[key]

    def _by_cluster(self, rows):
        """Sums of row contributions per cluster (rows are cluster-sorted)."""
        if self.design.single_level:
            return rows
        return np.add.reduceat(rows, self.design.indptr[:-1], axis=0)

    def _between_scores(self, inputs, estep, per_cluster):
        post_d = estep.post_dg.sum(axis=2) * self.design.cluster_weight[:, None]
        return self.between.scores(inputs.logpd, inputs.pd_prob, post_d,
                                   len(self.table.names), per_cluster)

    def _to_free(self, g_kernel, inputs):
        """Kernel-value gradient -> free working gradient (thresholds chained)."""
        return free_gradient(self.table, self.kl.is_threshold, g_kernel, inputs)

    def has_tabulated_q(self):
        """True when the EM Q-function and its gradient need no kernel sweep."""
        return not self._needs_kernel_scores()

    def _needs_kernel_scores(self):
        return not self.fast or self.nodes.adapted or self.remaining_outcomes or (
            len(self.kl.kv) > 0 and not self.tab_classes)

    def loglike_and_score(self, free_work, per_cluster=False):
        """Log-likelihood, its exact gradient and the E-step, in one kernel sweep.

        ``per_cluster=True`` gives the (J, n_free) cluster scores instead of
        their sum (Fisher's identity per cluster).
        """
        if not self._needs_kernel_scores():
            es = self.estep(free_work)
            _, g = self.expected(free_work, es, per_cluster=per_cluster)
            return es.loglike, g, es
        kl, d, nodes = self.kl, self.design, self.nodes
        inputs = self.inputs(free_work)
        J, G, N = d.n_clusters, nodes.G, d.n_rows
        ll = np.empty(J)
        post_dg = np.empty((J, self.D, G))
        trivial = self.C * nodes.H == 1  # one cell per row and node: P = 1, not stored
        rowpost = np.empty(0 if trivial else N * self.D * G * self.C * nodes.H)
        S = np.zeros((N, kl.CH, kl.DC, kl.M))
        GF = np.zeros((N, max(len(self.spec.outcomes), 1), kl.DC, kl.kf))
        q = np.zeros(J)
        if self.exact is not None:  # exact normal likelihood (gaussian.py)
            with np.errstate(all="ignore"):
                inputs.moments = self.exact.loglik_and_scores(
                    inputs.A, inputs.FP, inputs.logpd, d.cluster_weight, ll, post_dg, rowpost,
                    S, GF, q)
        else:
            kernel.loglik_and_scores(kl, self._selection(inputs), d, inputs, nodes, ll,
                                     post_dg, rowpost, S, GF, q, self.threads,
                                     extra=self._extra(inputs) if inputs.tab is not None
                                     else None)
        es = EStep(d.cluster_weight * (ll + self.const_cluster), post_dg,
                   None if trivial else rowpost, inputs, nodes, N * self.D * G)
        _, g = self.expected(free_work, es, per_cluster=per_cluster, kernel_out=(S, GF, q))
        return es.loglike, g, es

    def score_obs(self, free_work, estep=None):
        es = estep or self.estep(free_work)
        _, g = self.expected(free_work, es, per_cluster=True)
        return g
