"""Design arrays: the data of a model, sorted by cluster and checked.

Outcomes are encoded for their families (missing values kept as NaN: FIML);
rows with a missing covariate, trials count, weight or cluster id are dropped
with a warning that says how many and why, and so are rows whose outcomes are
all missing (they carry no information and, as in Mplus, do not count in
``nobs`` and BIC).  Data that cannot make a model (repeated column names,
numbers with stray text, an outcome without variation) are refused
(:mod:`mixlevel.data.checks`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..errors import SpecificationError
from ..utils.warn import warn_user
from .checks import check_numeric_column, check_outcome, check_unique_columns

__all__ = ["Design", "build_design"]


@dataclass
class Design:
    """Cluster-sorted, contiguous arrays for the engine.

    Attributes
    ----------
    y, trials : ndarray (N, P)
        Outcome codes (NaN = missing) and binomial trials (1 elsewhere).
    const : ndarray (N,)
        Sum over a row's observed outcomes of the parameter-free part of log f.
    columns : dict of ndarray (N,)
        Design columns used by the terms ("1" is the constant).
    indptr : ndarray (J + 1,)
        Rows of cluster j are ``indptr[j]:indptr[j + 1]``.
    row_weight, cluster_weight : ndarray
        Frequency weights: a row weight replicates a row inside its cluster,
        a cluster weight replicates a whole cluster.
    order : ndarray (N,)
        Position in the user's data (after dropped rows) of each sorted row.
    cache : dict
        Arrays derived from the data that every engine on this design shares
        (the statistics of tabulated outcomes), made by the first one.
    """

    y: np.ndarray
    trials: np.ndarray
    const: np.ndarray
    columns: dict
    indptr: np.ndarray
    row_weight: np.ndarray
    cluster_weight: np.ndarray
    order: np.ndarray
    cluster_labels: np.ndarray
    single_level: bool
    n_categories: dict = field(default_factory=dict)
    levels: dict = field(default_factory=dict)
    index: pd.Index | None = None
    cache: dict = field(default_factory=dict, repr=False, compare=False)  # shared by engines

    @property
    def n_rows(self):
        return self.y.shape[0]

    @property
    def n_clusters(self):
        return len(self.indptr) - 1

    @property
    def cluster_of_row(self):
        return np.repeat(np.arange(self.n_clusters), np.diff(self.indptr))

    @classmethod
    def for_rows(cls, like, columns, n_rows, n_outcomes, y=None, trials=None, indptr=None,
                 cluster_weight=None, labels=None):
        """A design of ``n_rows`` other rows for the model of ``like`` (same levels).

        ``columns`` holds the design columns of the new rows; outcomes (N,
        ``n_outcomes``) default to missing, trials to 1, clusters to one row
        each, cluster weights to 1.  For predictions and model-implied
        quantities.
        """
        n, P = int(n_rows), int(n_outcomes)
        cols = {k: np.ascontiguousarray(v, float) for k, v in columns.items()}
        cols["1"] = np.ones(n)
        indptr = np.arange(n + 1, dtype=np.int64) if indptr is None else \
            np.asarray(indptr, np.int64)
        J = len(indptr) - 1
        return cls(
            y=np.ascontiguousarray(np.full((n, P), np.nan) if y is None else y, float),
            trials=np.ascontiguousarray(np.ones((n, P)) if trials is None else trials, float),
            const=np.zeros(n), columns=cols, indptr=indptr, row_weight=np.ones(n),
            cluster_weight=np.ones(J) if cluster_weight is None else
            np.asarray(cluster_weight, float),
            order=np.arange(n), cluster_labels=np.arange(J) if labels is None else labels,
            single_level=like.single_level, n_categories=dict(like.n_categories),
            levels=dict(like.levels), index=None)

    def subset_clusters(self, clusters):
        """The design of the clusters ``clusters`` (sorted positions), rows in order.

        Every row array is cut to those clusters' rows; levels and categories
        are kept (the model's coding).  The accuracy check of large fits uses it.
        """
        clusters = np.asarray(clusters, np.int64)
        start, stop = self.indptr[clusters], self.indptr[clusters + 1]
        rows = np.concatenate([np.arange(a, b) for a, b in zip(start, stop, strict=True)]) \
            if len(clusters) else np.zeros(0, np.int64)
        indptr = np.concatenate([[0], np.cumsum(stop - start)]).astype(np.int64)
        return Design(
            y=np.ascontiguousarray(self.y[rows]), trials=np.ascontiguousarray(self.trials[rows]),
            const=self.const[rows], columns={k: np.ascontiguousarray(v[rows])
                                             for k, v in self.columns.items()},
            indptr=indptr, row_weight=self.row_weight[rows],
            cluster_weight=self.cluster_weight[clusters], order=self.order[rows],
            cluster_labels=self.cluster_labels[clusters], single_level=self.single_level,
            n_categories=dict(self.n_categories), levels=dict(self.levels), index=None)

    def cluster_values(self, name):
        """A column's value per cluster; error if it varies within a cluster."""
        col = self.columns[name]
        first = col[self.indptr[:-1]]
        if not np.allclose(np.repeat(first, np.diff(self.indptr)), col, equal_nan=True):
            raise SpecificationError(
                f"{name!r} varies within clusters, so it cannot predict a between-level "
                "class variable; use its cluster mean instead"
            )
        return first


def build_design(spec, data, columns=None, cluster=None, weights=None, cluster_weights=None):
    """Check and encode the data of a (not yet finalised) :class:`ModelSpec`.

    Parameters
    ----------
    spec : ModelSpec
    data : pandas.DataFrame
        Holds the outcomes, trials, cluster and weight columns.
    columns : dict or DataFrame, optional
        Design columns named as in the terms (the formula layer builds them);
        defaults to ``data``'s columns of those names.
    cluster : str, optional
        Cluster id column; None for a single-level model (each row a cluster).
    weights : str or array, optional
        Frequency weights per row: a row weight replicates the row *inside*
        its cluster.
    cluster_weights : str or array, optional
        Frequency weights per cluster (constant within each cluster): a
        cluster weight replicates the whole cluster, so a two-level model can
        be fitted on distinct clusters (response patterns of persons in long
        form) with their counts.  Needs ``cluster``.
    """
    if not isinstance(data, pd.DataFrame):
        raise SpecificationError("data must be a pandas DataFrame")
    check_unique_columns(data)
    n = len(data)
    needed = spec.columns()
    cols = {}
    for name in needed:
        if columns is not None and name in columns:
            cols[name] = np.asarray(columns[name], float)
        elif name in data.columns:
            check_numeric_column(data, name)
            cols[name] = pd.to_numeric(data[name], errors="coerce").to_numpy(float)
        else:
            raise SpecificationError(
                f"column {name!r} is not in the data; the data have "
                f"{', '.join(map(str, list(data.columns)[:12]))}"
            )
    for o in spec.outcomes:
        if o.name not in data.columns:
            raise SpecificationError(f"outcome column {o.name!r} is not in the data")
    drop = np.zeros(n, bool)
    reasons = []
    for name, col in cols.items():
        bad = ~np.isfinite(col)
        if bad.any():
            reasons.append(f"{int(bad.sum())} with missing {name!r}")
            drop |= bad
    trial_cols = {}
    for o in spec.outcomes:
        if o.family.needs_trials:
            if o.trials is None:
                raise SpecificationError(
                    f"{o.family.name} outcome {o.name!r} needs a trials column (trials=...)"
                )
            if o.trials not in data.columns:
                raise SpecificationError(f"trials column {o.trials!r} is not in the data")
            t = pd.to_numeric(data[o.trials], errors="coerce").to_numpy(float)
            bad = ~np.isfinite(t)
            if bad.any():
                reasons.append(f"{int(bad.sum())} with missing trials {o.trials!r}")
                drop |= bad
            trial_cols[o.name] = t
    if cluster is not None:
        if cluster not in data.columns:
            raise SpecificationError(f"cluster column {cluster!r} is not in the data")
        cl = data[cluster]
        bad = cl.isna().to_numpy()
        if bad.any():
            reasons.append(f"{int(bad.sum())} with missing cluster {cluster!r}")
            drop |= bad
    w = _read_weights(weights, data, "weights", drop, reasons)
    if w is None:
        w = np.ones(n)
    cw = _read_weights(cluster_weights, data, "cluster_weights", drop, reasons)
    if cw is not None and cluster is None:
        raise SpecificationError(
            "cluster_weights= needs clusters: give cluster='<cluster id column>' (a "
            "single-level model has one row per cluster, so use weights= there)")
    if drop.any():
        warn_user(
            f"{int(drop.sum())} of {n} rows dropped: " + "; ".join(reasons)
            + " (missing outcomes are kept; covariates must be complete)",
            UserWarning)
    keep = ~drop
    if keep.sum() == 0:
        raise SpecificationError("no rows left after dropping rows with missing covariates")

    ys, trials = [], []
    n_cat, levels = {}, {}
    for o in spec.outcomes:
        # the column itself: a pd.Categorical keeps its category order
        codes, lev = o.family.encode(data[o.name][keep], o.name)
        if lev is not None:
            n_cat[o.name] = len(lev)
            levels[o.name] = lev
        t = trial_cols.get(o.name, np.ones(n))[keep]
        if o.name in trial_cols:
            obs = ~np.isnan(codes)
            if (codes[obs] > t[obs]).any():
                raise SpecificationError(
                    f"{o.family.name} outcome {o.name!r} has more successes than trials "
                    f"{o.trials!r} in some rows"
                )
        check_outcome(o.name, o.family.name, codes, t, o.trials)
        ys.append(codes)
        trials.append(t)
    y = np.column_stack(ys) if ys else np.zeros((int(keep.sum()), 0))
    tr = np.column_stack(trials) if trials else np.ones_like(y)
    empty = np.isnan(y).all(axis=1) if y.shape[1] else np.zeros(len(y), bool)
    if empty.any():
        _warn_empty_rows(empty, keep, w, data, cluster, n)
        keep = keep.copy()
        keep[np.flatnonzero(keep)[empty]] = False
        y, tr = y[~empty], tr[~empty]
    const = np.zeros(len(y))
    for p, o in enumerate(spec.outcomes):
        const += o.family.constant(y[:, p], tr[:, p])
    if cluster is not None:
        codes, labels = pd.factorize(data[cluster][keep], sort=True)
        order = np.argsort(codes, kind="stable")
        counts = np.bincount(codes, minlength=len(labels))
        indptr = np.concatenate([[0], np.cumsum(counts)])
        single = bool((counts == 1).all())
    else:
        order = np.arange(int(keep.sum()))
        labels = np.asarray(data.index[keep])
        indptr = np.arange(int(keep.sum()) + 1)
        single = True
    w = w[keep][order]
    cl_w = np.ones(len(indptr) - 1)
    if cw is not None:
        cl_w = _per_cluster(cw[keep][order], indptr, labels, cluster_weights, cluster)
    elif weights is not None and not single:
        _flag_cluster_constant(w, indptr, weights, cluster)
    if single:
        row_w, cl_w = np.ones_like(w), w * cl_w
    else:
        row_w = w
    cols_sorted = {k: np.ascontiguousarray(v[keep][order]) for k, v in cols.items()}
    cols_sorted["1"] = np.ones(len(order))
    return Design(
        y=np.ascontiguousarray(y[order]), trials=np.ascontiguousarray(tr[order]),
        const=const[order], columns=cols_sorted, indptr=indptr.astype(np.int64),
        row_weight=np.ascontiguousarray(row_w), cluster_weight=np.ascontiguousarray(cl_w),
        order=order, cluster_labels=np.asarray(labels), single_level=single,
        n_categories=n_cat, levels=levels, index=data.index[keep][order])


def _read_weights(arg, data, what, drop, reasons):
    """Frequency weights from a column name or an array (None stays None)."""
    if arg is None:
        return None
    if isinstance(arg, str):
        if arg not in data.columns:
            raise SpecificationError(f"{what}={arg!r} is not a column of the data")
        w = data[arg]
    else:
        w = np.asarray(arg, float)
        if w.shape != (len(data),):
            raise SpecificationError(f"{what}= has {w.size} values for {len(data)} rows; "
                                     "give one value per row (or a column name)")
        w = pd.Series(w, index=data.index)
    w = pd.to_numeric(w, errors="coerce").to_numpy(float)
    bad = ~np.isfinite(w)
    if bad.any():
        reasons.append(f"{int(bad.sum())} with missing {what}")
        drop |= bad
    if (w[~bad] < 0).any():
        raise SpecificationError(f"{what} must be non-negative")
    return w


def _label_of(arg):
    return repr(arg) if isinstance(arg, str) else "the array"


def _per_cluster(cw, indptr, labels, arg, cluster):
    """One cluster weight per cluster; error if the column varies within a cluster."""
    first = cw[indptr[:-1]]
    varies = np.flatnonzero(np.maximum.reduceat(cw, indptr[:-1])
                            != np.minimum.reduceat(cw, indptr[:-1]))
    if varies.size:
        j = varies[0]
        vals = np.unique(cw[indptr[j]:indptr[j + 1]])
        raise SpecificationError(
            f"cluster_weights={_label_of(arg)} varies within {varies.size} cluster(s) of "
            f"{cluster!r} (cluster {labels[j]!r} has {', '.join(f'{v:g}' for v in vals[:4])});"
            " a cluster weight counts identical clusters, so it must be constant within "
            "each cluster; weights= replicates single rows inside their cluster")
    return first


def _flag_cluster_constant(w, indptr, arg, cluster):
    """Warn when row weights of a two-level model are constant within every cluster.

    Such weights usually count identical clusters (response patterns of
    persons in long form), but weights= replicates each row *inside* its
    cluster, which changes the likelihood.
    """
    lo = np.minimum.reduceat(w, indptr[:-1])
    hi = np.maximum.reduceat(w, indptr[:-1])
    sizes = np.diff(indptr)
    if np.all(lo == hi) and np.any(sizes > 1) and not np.all(w == w[0]):
        warn_user(
            f"weights={_label_of(arg)} is constant within every cluster of {cluster!r}. "
            "weights= are row weights: each row is replicated inside its cluster.  If the "
            "weights count identical clusters (e.g. persons with the same response "
            f"pattern), pass them as cluster_weights={_label_of(arg)} instead", UserWarning)


def _warn_empty_rows(empty, keep, w, data, cluster, n):
    """Warn that rows without any observed outcome are dropped (and clusters emptied)."""
    rows = np.flatnonzero(keep)
    weight = float(w[rows[empty]].sum())
    msg = f"{int(empty.sum())} of {n} rows dropped: every outcome is missing"
    if not np.allclose(w[rows], 1.0):
        msg += f" (frequency weight {weight:g})"
    if cluster is not None:
        before = data[cluster].iloc[rows].nunique()
        after = data[cluster].iloc[rows[~empty]].nunique()
        if after < before:
            msg += f"; {before - after} cluster(s) of {cluster!r} have no rows left"
    warn_user(msg + ".  Such rows carry no information; as in Mplus they do not "
              "count in nobs and BIC", UserWarning)
