"""The likelihood engine on data that stay on Dask workers (one engine per partition).

A Dask DataFrame partitioned by cluster (no cluster in two partitions) is a
sum of independent parts: the log-likelihood, its gradient (Fisher's
identity), the E-step and the EM Q-function are sums over clusters
(DESIGN.md section 2).  :class:`DistributedEngine` builds one
:class:`~mixlevel.engine.Engine` per partition on the worker that holds it
(:func:`~mixlevel.data.build_design` on the partition's pandas frame, with the
categories and the level of the whole data), keeps it there, and answers the
calls the optimiser makes (:func:`mixlevel.estimation.maximize`) by a map over
the partitions and a reduction on the client.  What crosses the network per
call is the parameter vector one way and per-cluster log-likelihoods and
score sums the other; E-steps stay on the workers as futures
(:class:`DistributedEStep`) and the Q-function of an EM M-step is evaluated
against them where they are.

Adaptive quadrature: each partition's engine keeps its clusters' nodes; a
re-centring maps over the partitions and replaces each engine by a copy with
the new nodes (the old futures are released), so no worker state is changed
in place.

Cluster order: the clusters come partition by partition (sorted within each),
not sorted over the whole data as in-process; sums agree to rounding.
"""

from __future__ import annotations

import contextlib
import copy
import operator

import numpy as np

from ..data import build_design
from ..errors import SpecificationError
from .engine import Engine

__all__ = ["DistributedEngine", "DistributedEStep"]



# -- on the workers ------------------------------------------------------------------------
def _design(pdf, spec, cluster, weights):
    return build_design(spec, pdf, cluster=cluster, weights=weights) if len(pdf) else None


def _summary(design, spec):
    """What the client needs to know of a partition's design (small)."""
    if design is None:
        return None
    col_moments = {}
    for name, col in design.columns.items():  # for the start values' scales
        col_moments[name] = (col.size, float(col.mean()), float(((col - col.mean()) ** 2).sum()))
    y_moments = []
    for p in range(design.y.shape[1]):
        v = design.y[:, p][~np.isnan(design.y[:, p])]
        y_moments.append((v.size, float(v.mean()) if v.size else 0.0,
                          float(((v - v.mean()) ** 2).sum()) if v.size else 0.0))
    return {"rows": design.n_rows, "labels": np.asarray(design.cluster_labels),
            "single": design.single_level, "cluster_weight": design.cluster_weight,
            "levels": {o.name: list(design.levels.get(o.name, []))
                       for o in spec.outcomes if o.family.categorical},
            "columns": col_moments, "y": y_moments}


def _conform(design, spec, single, levels):
    """The partition's design on the whole data's terms (level, category codes)."""
    if design.single_level and not single:  # singleton clusters of a two-level model
        design.row_weight, design.cluster_weight = design.cluster_weight.copy(), \
            np.ones(design.n_clusters)
        design.single_level = False
    for p, o in enumerate(spec.outcomes):
        if o.name not in levels:
            continue
        own = list(design.levels.get(o.name, []))
        if own != levels[o.name]:
            where = np.array([levels[o.name].index(v) for v in own], float)
            col = design.y[:, p]
            ok = ~np.isnan(col)
            col[ok] = where[col[ok].astype(int)]
        design.levels[o.name] = np.asarray(levels[o.name])
        design.n_categories[o.name] = len(levels[o.name])
    return design


def _engine(design, spec, layout, table, single, levels, engine_kw):
    return Engine(layout, _conform(design, spec, single, levels), table, **engine_kw)


def _estep(engine, work, zero):
    if zero:
        with engine.at_zero_nodes():
            return engine.estep(work)
    return engine.estep(work)


def _ll_cluster(es):
    return es.ll_cluster


def _apply(es, fn, args):
    return fn(es, *args)


def _loglike_and_score(engine, work, per_cluster):
    ll, g, es = engine.loglike_and_score(work, per_cluster=per_cluster)
    return es.ll_cluster, g


def _expected(engine, work, es, per_cluster):
    return engine.expected(work, es, per_cluster=per_cluster)


def _adapted(engine, how, arg):
    """A copy of ``engine`` with re-centred nodes, and whether that worked."""
    new = copy.copy(engine)
    if how == "mode":
        ok = new.adapt_nodes_at_mode(arg)
    elif how == "moments":
        ok = new.adapt_nodes(arg)
    else:
        new.reset_nodes()
        ok = True
    return new, bool(ok)


def _kernel_layout(engine):
    return engine.kl


def _rule(engine):
    return engine.rule


def _has_tabulated_q(engine):
    return engine.has_tabulated_q()


# -- on the client -------------------------------------------------------------------------
class _GlobalDesign:
    """What the estimation code reads of the whole data's design (no rows)."""

    def __init__(self, summaries, n_outcomes):
        self.cluster_weight = np.concatenate([s["cluster_weight"] for s in summaries])
        self.n_rows = int(sum(s["rows"] for s in summaries))
        self.n_clusters = len(self.cluster_weight)
        self.single_level = all(s["single"] for s in summaries)
        self.cache = {}  # what estimation derives from the design (parameter scales)
        self._columns = _pool([s["columns"] for s in summaries])
        self._y = [_pool_one([s["y"][p] for s in summaries]) for p in range(n_outcomes)]

    def column_sd(self, name):
        """Standard deviation of a design column over all rows (np.std)."""
        n, _, m2 = self._columns[name]
        return float(np.sqrt(m2 / n)) if n else 0.0

    def outcome_sd(self, p):
        """Standard deviation of outcome ``p`` over its observed values (np.nanstd)."""
        n, _, m2 = self._y[p]
        return float(np.sqrt(m2 / n)) if n else np.nan


def _pool_one(parts):
    """Pooled (n, mean, sum of squared deviations) of parts (Chan et al. 1979)."""
    n, mean, m2 = 0, 0.0, 0.0
    for nb, mb, m2b in parts:
        if nb == 0:
            continue
        delta = mb - mean
        tot = n + nb
        mean += delta * nb / tot
        m2 += m2b + delta * delta * n * nb / tot
        n = tot
    return n, mean, m2


def _pool(dicts):
    return {k: _pool_one([d[k] for d in dicts]) for k in dicts[0]}


class DistributedEStep:
    """An E-step whose posteriors stay on the workers (one future per partition).

    ``ll_cluster`` (J,) and ``loglike`` are on the client.
    """

    def __init__(self, engine, parts, ll_cluster):
        self._engine, self.parts, self.ll_cluster = engine, parts, ll_cluster

    @property
    def loglike(self):
        return float(self.ll_cluster.sum())

    def apply(self, fn, *args):
        """A new E-step with ``fn(estep_part, *args)`` applied to each part on its worker."""
        client = self._engine.client
        parts = [client.submit(_apply, es, fn, args, pure=False) for es in self.parts]
        return DistributedEStep(self._engine, parts, self.ll_cluster)


class DistributedEngine:
    """The engine interface of :mod:`mixlevel.estimation` over Dask partitions.

    Parameters
    ----------
    spec : ModelSpec
    data : dask.dataframe.DataFrame
        Partitioned by cluster: every cluster's rows in one partition (e.g.
        ``ddf.shuffle(on=cluster)`` or ``ddf.set_index(cluster)`` with the
        cluster column kept).
    client : distributed.Client
    cluster, weights : str, optional
        As for :class:`~mixlevel.model.MixtureModel` (column names).
    table_kw : dict
        ``fix`` and ``equal`` of the parameter table.
    engine_kw : dict
        Integration options, as for :class:`~mixlevel.engine.Engine`.
    """

    def __init__(self, spec, data, client, cluster=None, weights=None, table_kw=None,
                 engine_kw=None):
        from ..spec import ParamTable

        engine_kw = dict(engine_kw or {})
        self.client, self.spec = client, spec
        frames = client.compute(data.to_delayed())
        designs = [client.submit(_design, f, spec, cluster, weights) for f in frames]
        summaries = client.gather([client.submit(_summary, d, spec) for d in designs])
        keep = [i for i, s in enumerate(summaries) if s is not None]
        if not keep:
            raise SpecificationError("the Dask DataFrame has no rows")
        summaries = [summaries[i] for i in keep]
        designs = [designs[i] for i in keep]
        del frames  # the engines hold the arrays they need
        if cluster is not None:
            labels = np.concatenate([s["labels"] for s in summaries])
            uniq, counts = np.unique(labels, return_counts=True)
            if (counts > 1).any():
                raise SpecificationError(
                    f"the data are not partitioned by cluster: cluster {uniq[counts > 1][0]!r} "
                    f"of {cluster!r} has rows in more than one partition; repartition with "
                    f"data.shuffle(on={cluster!r}) (or set_index({cluster!r}, drop=False))")
        self.design = _GlobalDesign(summaries, len(spec.outcomes))
        levels = {}
        for s in summaries:
            for name, lev in s["levels"].items():
                levels[name] = sorted(set(levels.get(name, [])) | set(lev))
        self.layout = spec.finalize({k: len(v) for k, v in levels.items()})
        self.table = ParamTable(self.layout.groups, **(table_kw or {}))
        self.parts = [client.submit(_engine, d, spec, self.layout, self.table,
                                    self.design.single_level, levels, engine_kw)
                      for d in designs]
        self.kl = client.submit(_kernel_layout, self.parts[0]).result()
        self.rule = client.submit(_rule, self.parts[0]).result()  # the workers' rule
        self.adaptive, self.adapted = self.rule.adaptive and self.kl.qb > 0, False
        self.exact = None  # the client has no rows (exact starts are a worker matter)
        self.D, self.C = self.kl.D, self.kl.C
        self._zero = False
        self._tabulated_q = None

    # -- the engine interface of the estimation code ---------------------------------------
    def _map(self, fn, *args, **kwargs):
        futs = [self.client.submit(fn, e, *args, pure=False, **kwargs) for e in self.parts]
        return self.client.gather(futs)

    def estep(self, work):
        work = np.asarray(work, float)
        parts = [self.client.submit(_estep, e, work, self._zero, pure=False)
                 for e in self.parts]
        ll = self.client.gather([self.client.submit(_ll_cluster, es) for es in parts])
        return DistributedEStep(self, parts, np.concatenate(ll))

    def loglike(self, work):
        return self.estep(work).loglike

    def loglike_and_score(self, work, per_cluster=False):
        """Log-likelihood and gradient (or (J, k) cluster scores); no E-step is kept."""
        out = self._map(_loglike_and_score, np.asarray(work, float), per_cluster)
        ll_cluster = np.concatenate([o[0] for o in out])
        g = np.concatenate([o[1] for o in out]) if per_cluster else \
            np.sum([o[1] for o in out], axis=0)
        return float(ll_cluster.sum()), g, None

    def expected(self, work, estep, per_cluster=False):
        """Q-function and its gradient at ``work`` under the posteriors of ``estep``."""
        work = np.asarray(work, float)
        futs = [self.client.submit(_expected, e, work, es, per_cluster, pure=False)
                for e, es in zip(self.parts, estep.parts, strict=True)]
        out = self.client.gather(futs)
        if per_cluster:
            return np.concatenate([o[0] for o in out]), np.concatenate([o[1] for o in out])
        return float(sum(o[0] for o in out)), np.sum([o[1] for o in out], axis=0)

    def score_obs(self, work):
        return self.loglike_and_score(work, per_cluster=True)[1]

    def has_closed_form_m_step(self):
        return False  # M-steps by L-BFGS on the distributed Q-function

    def closed_form_m_step(self, work, estep):
        return None

    def has_tabulated_q(self):
        if self._tabulated_q is None:
            self._tabulated_q = bool(self.client.submit(_has_tabulated_q,
                                                        self.parts[0]).result())
        return self._tabulated_q

    @contextlib.contextmanager
    def at_zero_nodes(self):
        """E-steps inside the block use one node at z = 0 (start values)."""
        self._zero = True
        try:
            yield
        finally:
            self._zero = False

    # -- adaptive nodes: new engines with re-centred nodes (see the module docstring) ------
    def _renode(self, how, args):
        futs = [self.client.submit(_adapted, e, how, a, pure=False)
                for e, a in zip(self.parts, args, strict=True)]
        oks = self.client.gather([self.client.submit(operator.getitem, f, 1) for f in futs])
        if not all(oks):  # as in-process: the previous nodes stay
            return False
        self.parts = [self.client.submit(operator.getitem, f, 0) for f in futs]
        self.adapted = how != "reset"
        return True

    def adapt_nodes_at_mode(self, work):
        """Every cluster's nodes at its posterior mode and curvature (False: unchanged)."""
        return self._renode("mode", [np.asarray(work, float)] * len(self.parts))

    def adapt_nodes(self, estep):
        """Nodes at the posterior moments of ``estep`` (False: unchanged)."""
        return self._renode("moments", estep.parts)

    def reset_nodes(self):
        self._renode("reset", [None] * len(self.parts))

    def close(self):
        """Release the partition engines on the workers."""
        for f in self.parts:
            f.release()
        self.parts = []
