"""The EM of a latent class model as one compiled loop.

For the models whose M-step has a closed form (:class:`.closed_form.ClosedFormMStep`)
and whose rows are independent given their class (no between classes, no
latent variables), an EM iteration needs only the items' sufficient statistics
per distinct response pattern and the tables of log probabilities.
:class:`FusedEM` prepares those once per model and data and runs the whole
loop -- E-step over the patterns with their frequency weights, the closed-form
M-step, the convergence test of :func:`.em_algorithm.em` -- in
:func:`mixlevel._kernels._lca_em.lca_em`, a few microseconds per iteration
instead of the generic E-step's Python overhead.  The update rule is
:meth:`.closed_form.ClosedFormMStep.update`'s (its numpy oracle in the tests);
the parameters come back through the same :meth:`~.closed_form.ClosedFormMStep.set_work`.
"""

from __future__ import annotations

import numpy as np

from .._kernels._lca_em import lca_em

__all__ = ["FusedEM"]


class FusedEM:
    """The compiled EM of one engine's latent class model; see :meth:`of`."""

    @classmethod
    def of(cls, eng):
        """The FusedEM of ``eng``, or None when its model is outside the plan.

        Needs the closed-form M-step, no between classes, no latent variables
        and every outcome tabulated.  Prepared once per kernel layout and
        design (engines spawned for random starts share it).
        """
        if getattr(eng, "remaining_outcomes", True):
            return None  # engines without tabulated outcomes (chains, Dask) have none
        kl = eng.kl
        if kl.D != 1 or kl.qb or kl.qw or eng.nodes.adapted or eng.nodes.G != 1 \
                or eng.nodes.H != 1 or not eng.has_closed_form_m_step():
            return None
        if len(kl.kv) and not eng.tab_classes:
            return None
        key = ("fused EM", id(kl))
        hit = eng.design.cache.get(key)
        if hit is not None and hit[0] is kl:
            return hit[1]
        fused = cls(eng, eng._closed_form)
        eng.design.cache[key] = (kl, fused)
        return fused

    def __init__(self, eng, plan):
        kl, d, tables = eng.kl, eng.design, eng.tables
        self.plan = plan
        w = d.row_weight * d.cluster_weight[eng.cluster_of_row]
        patterns, inverse = np.unique(eng.stats, axis=0, return_inverse=True)
        self.weight = np.bincount(inverse.ravel(), weights=w, minlength=len(patterns))
        nz = patterns != 0
        self.indptr = np.concatenate([[0], np.cumsum(nz.sum(axis=1))]).astype(np.int64)
        rows, cols = np.nonzero(nz)
        self.sidx, self.sval = cols.astype(np.int64), np.ascontiguousarray(patterns[rows, cols])
        self.n_stat, C = eng.stats.shape[1], kl.C
        items = sorted(eng.tab_outcomes, key=lambda p: tables.stat_slice[p].start)
        starts = [tables.stat_slice[p].start for p in items]
        self.item_start = np.array(starts + [self.n_stat], np.int64)
        self.item_upper = np.array([eng.spec.outcomes[p].family.closed_form_clip_both
                                    for p in items], np.int64)
        item_of_row = np.searchsorted(self.item_start, plan.row, side="right") - 1
        self.pool_of = np.full((len(items), C), -1, np.int64)
        self.pool_of[item_of_row, plan.cell] = plan.pool
        V = len(kl.kv)
        self.group_of = np.zeros((V, C), np.int64)
        self.groups = []  # (variable, key) per group, in plan order
        for v, configs in plan.plan_classes:
            for key, cells in configs:
                self.group_of[v, cells] = len(self.groups)
                self.groups.append((v, key))
        self.cpat = np.ascontiguousarray(kl.cpat, np.int64).reshape(C, V)
        self.kv = np.ascontiguousarray(kl.kv, np.int64)
        self.k_max = int(max(self.kv.max(initial=1), 1))
        self.const = float((d.cluster_weight * eng.const_cluster).sum())
        self.cells = len(self.weight) * C  # patterns x class patterns: an iteration's work
        self.runs = 0  # calls that ran the compiled loop (tests assert the path)

    def random_start(self, eng, base, rng, concentration=1.0):
        """:func:`~.starts.random_posterior_start` without an E-step: the M-step of
        random soft class assignments of the rows (the same draws: it has one between
        pattern, drawn as there, and no nodes)."""
        d, kl = eng.design, eng.kl
        rng.dirichlet(np.full(1, concentration), size=d.n_clusters)
        post = rng.dirichlet(np.full(kl.C, concentration), size=d.n_rows)
        post *= (d.row_weight * d.cluster_weight[eng.cluster_of_row])[:, None]
        E = (post.T @ eng.stats).T
        full = eng.table.working_full(eng.table.expand_natural(
            eng.table.free_natural_from_working(base)))
        full = self.plan.from_statistics(kl, E, post.sum(axis=0), full)
        return full[eng.table.free_index]

    def run(self, eng, work, maxiter, tol, history=None):
        """EM from ``work``: (work, loglike, iterations, converged), as ``em``; None when
        the start's log-likelihood is not finite (the generic loop handles that)."""
        inputs = eng.inputs(work)
        C = eng.kl.C
        logT = np.array(inputs.tab.T, float).reshape(self.n_stat, C)
        logprior = np.zeros(C) if inputs.tab.logprior is None else \
            np.array(inputs.tab.logprior, float).reshape(C)
        pool_share = np.zeros((self.plan.n_pool, self.plan.k_max))
        group_share = np.zeros((len(self.groups), self.k_max))
        trace = np.empty(max(int(maxiter), 1))
        ll, it, status = lca_em(logT, logprior, self.indptr, self.sidx, self.sval,
                                self.weight, self.item_start, self.item_upper, self.pool_of,
                                pool_share, self.cpat, self.kv, self.group_of, group_share,
                                int(maxiter), float(tol), self.const, trace)
        if status == 3:
            return None
        self.runs += 1
        if history is not None:
            history.extend(float(v) for v in trace[:it])
        if it - (status == 2) == 0:  # no iterate accepted
            return work, float(ll), int(it), False
        shares = [[] for _ in eng.kl.kv]
        for g, (v, key) in enumerate(self.groups):
            shares[v].append((key, group_share[g, :eng.kl.kv[v]]))
        full = self.plan.set_work(inputs.work.copy(), pool_share, shares)
        return full[eng.table.free_index], float(ll), int(it), status == 0
