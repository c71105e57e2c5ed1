"""The parametric bootstrap likelihood ratio test of K - 1 against K classes (Mplus TECH14).

McLachlan & Peel (2000, sec. 6.6): the distribution of ``LR = 2 (l_K -
l_{K-1})`` under the K - 1 class model is estimated by drawing data sets from
the fitted K - 1 class model and fitting both models to each; the p-value is
the share of draws whose LR reaches the observed one.

Each draw, as Mplus does it (LRTSTARTS = 0 0 20 5):

1. new outcomes are drawn at the K - 1 class estimates on the data's own rows
   and clusters (:func:`mixlevel.simulate` of the fitted result: whole clusters
   for two-level models, between classes drawn per cluster).  A
   frequency-weighted row stands for that many independent rows: the rows are
   expanded before drawing and the draws collapsed to distinct rows again;
2. the K - 1 class model is fitted from the generating values (no random starts);
3. the K class model is fitted with random starts and once from the K class
   estimates of the real data; the best of these is kept.  When that best
   log-likelihood was reached only once, a second round of random starts is
   run, and a draw still without a replicated best log-likelihood is flagged.

Draw ``r`` uses the r-th child of ``numpy.random.SeedSequence(seed).spawn``
(its first grandchild draws the data, its second seeds the random starts), so
a draw is reproducible on its own and the result does not depend on
``n_jobs`` or on the joblib backend (``joblib.parallel_config(backend="dask")``
sends the draws to a Dask cluster).

Sequential stopping rule
------------------------
Draws are made in batches; after each, the draws are examined in their order:
with ``h`` of the first ``n`` draws reaching the observed LR, the exact
(Clopper-Pearson) one-sided ``1 - stop_error`` confidence bounds of the
bootstrap p-value are computed, and the test stops at the first ``n >= 2``
where the lower bound exceeds ``alpha`` (clearly not significant) or the upper
bound falls below it (clearly significant), otherwise at ``max_draws``.  With
the defaults (``alpha = 0.05``, ``stop_error = 0.01``, ``max_draws = 100``)
two exceedances in two draws stop the test, and a significant result needs at
least 90 draws without an exceedance: as Mplus, between 2 and 100 draws.
Draws after the stopping point (from the last batch) are discarded, so the
answer is the same for any batch size.
"""

from __future__ import annotations

import time
import uuid
import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

from ..errors import EstimationWarning, SpecificationError
from ..utils.warn import warn_user

__all__ = ["bootstrap_lrt", "BootstrapLRT", "ModelBuilder", "stopping_point"]

_REL_TOL = 1e-6  # two log-likelihoods are "the same" within this relative tolerance


def _unwrap(res):
    return getattr(res, "_results", res)


def _same_ll(a, b):
    return abs(a - b) <= _REL_TOL * (1.0 + abs(b))


# ---------------------------------------------------------------------------------------
# rebuilding a model on new data
# ---------------------------------------------------------------------------------------
@dataclass
class ModelBuilder:
    """How to build a model from a data set: ``mixture(formula, data, **kwargs)``.

    Picklable (the formula's namespace is reduced to the names it uses), so
    joblib workers and Dask clusters can rebuild models.
    """

    formula: str
    classes: dict
    kwargs: dict = field(default_factory=dict)

    def build(self, data):
        from ..api import mixture

        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            return mixture(self.formula, data, classes=self.classes, **self.kwargs)

    def with_classes(self, classes):
        return ModelBuilder(self.formula, dict(classes), dict(self.kwargs))

    @classmethod
    def of_results(cls, res, **overrides):
        """The builder of a fitted formula model; ``overrides`` replace its options.

        The options come from the fitted model (formula text, classes,
        families, cluster, weights, trials, integration settings).  ``fix=``,
        ``equal=`` and ``re_cov=`` are not recorded by the model: pass them
        again.  :func:`check_same_parameters` verifies the rebuilt model.
        """
        from ..formula.compile import Between
        from ..simulation.simulate import slim_context

        r = _unwrap(res)
        model = r.model
        compiled = getattr(model, "formula", None)
        if compiled is None:
            raise SpecificationError(
                "the bootstrap needs a model built from a formula (ml.mixture); this one "
                "was built from a ModelSpec")
        spec = model.spec
        classes = {c.name: Between(c.n_classes) if c.level == "between" else c.n_classes
                   for c in spec.classes}
        kwargs = {"family": {o.name: o.family for o in spec.outcomes},
                  "cluster": model.cluster, "weights": compiled.weights,
                  "context": slim_context(compiled.context, compiled.text)}
        trials = {o.name: o.trials for o in spec.outcomes if o.trials is not None}
        if trials:
            kwargs["trials"] = trials
        kwargs.update(getattr(model, "_engine_kw", {}))
        kwargs.update(overrides)
        return cls(compiled.text, classes, kwargs)


def check_same_parameters(model, res):
    """Raise unless ``model`` has the free parameters of the fitted ``res``."""
    names = list(_unwrap(res).model.param_names)
    if list(model.param_names) != names:
        extra = sorted(set(model.param_names) - set(names))
        missing = sorted(set(names) - set(model.param_names))
        raise SpecificationError(
            "the rebuilt model does not have the fitted model's parameters "
            f"(extra: {extra[:4]}, missing: {missing[:4]}); pass the options the fit used "
            "that the model does not record (fix=, equal=, re_cov=) to bootstrap_lrt")


# ---------------------------------------------------------------------------------------
# one bootstrap draw
# ---------------------------------------------------------------------------------------
@dataclass
class _Task:
    """Everything a worker needs for a draw (picklable; no fitted objects)."""

    null: ModelBuilder
    alt: ModelBuilder
    data: pd.DataFrame
    weights: str | None
    null_params: pd.Series
    alt_params: pd.Series
    starts: tuple
    null_starts: tuple
    fit_kw: dict
    key: str
    lr: float = np.inf


_GENERATORS = {}  # per process: the generating model of a task (built once)


def _generator(task):
    gen = _GENERATORS.get(task.key)
    if gen is None:
        data = task.data
        if task.weights is not None:
            w = data[task.weights].to_numpy()
            data = data.loc[data.index.repeat(w.astype(np.int64))].reset_index(drop=True)
            data[task.weights] = 1.0
        gen = task.null.build(data)
        _GENERATORS.clear()  # keep one: tasks of a study run one after another
        _GENERATORS[task.key] = gen
    return gen


def _collapse(frame, weights):
    """Identical rows (and clusters) merged into one row with their count."""
    cols = [c for c in frame.columns if c != weights]
    out = frame.groupby(cols, dropna=False, sort=False).size().rename(weights)
    return out.reset_index().astype({weights: float})


def _final_lls(res):
    st = res.start_table
    if st.empty:
        return [float(res.llf)]
    if "stage" in st.columns:
        st = st[st["stage"] == "final"]
    return [float(v) for v in st["loglike"] if np.isfinite(v)]


def _replicated(fits):
    """Final-stage starts of all ``fits`` that reached the best log-likelihood."""
    best = max(_finite_llf(f) for f in fits)
    return int(sum(_same_ll(ll, best) for f in fits for ll in _final_lls(f)))


def _finite_llf(res):
    return res.llf if np.isfinite(res.llf) else -np.inf


def _draw(task, r, seq):
    """Bootstrap draw ``r``; never raises (the error is returned in the record)."""
    from ..simulation.simulate import simulate

    t0, c0 = time.perf_counter(), time.process_time()
    rec = {"draw": r, "lr": np.nan, "loglike_null": np.nan, "loglike_alt": np.nan,
           "replicated": 0, "converged": False, "seconds": np.nan, "cpu_seconds": np.nan,
           "error": ""}
    data_seq, fit_seq = seq.spawn(2)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            frame = simulate(_generator(task), params=task.null_params, seed=data_seq)
            if task.weights is not None:
                frame = _collapse(frame, task.weights)
            kw = dict(task.fit_kw, progress=False, canonical=False)
            seed0, seed1, seed2 = (int(s) for s in fit_seq.generate_state(3))
            m0 = task.null.build(frame)
            nulls = [m0.fit(start_params=task.null_params.to_numpy(), **kw)]
            if task.null_starts is not None and task.null_starts[0] > 1:
                nulls.append(m0.fit(starts=task.null_starts, seed=seed0, **kw))
            r0 = max(nulls, key=_finite_llf)
            m1 = task.alt.build(frame)
            fits = [m1.fit(start_params=task.alt_params.to_numpy(), **kw)]
            if task.starts is not None and task.starts[0] > 1:
                fits.append(m1.fit(starts=task.starts, seed=seed1, **kw))
                # one more round before calling the best a local maximum, unless the draw
                # already reaches the observed LR (a better maximum cannot change that)
                lr_b = 2.0 * (max(_finite_llf(f) for f in fits) - r0.llf)
                if _replicated(fits) < 2 and lr_b < task.lr:
                    fits.append(m1.fit(starts=task.starts, seed=seed2, **kw))
        best = max(fits, key=_finite_llf)
        rec.update(lr=2.0 * (best.llf - r0.llf), loglike_null=float(r0.llf),
                   loglike_alt=float(best.llf), replicated=_replicated(fits),
                   converged=bool(r0.converged and best.converged))
    except Exception as exc:  # a failed draw is recorded and left out
        rec["error"] = f"{type(exc).__name__}: {exc}"
    rec["seconds"] = time.perf_counter() - t0
    rec["cpu_seconds"] = time.process_time() - c0  # of the worker process
    return rec


# ---------------------------------------------------------------------------------------
# the sequential rule
# ---------------------------------------------------------------------------------------
def stopping_point(exceed, alpha=0.05, stop_error=0.01, min_draws=2, start=1):
    """First n at which the sequential rule stops, given the draws' exceedance flags.

    Parameters
    ----------
    exceed : sequence of bool
        Whether each successful draw (in draw order) reached the observed LR.
    alpha, stop_error, min_draws : see :func:`bootstrap_lrt`.
    start : int
        First n to examine (the rule did not stop before it).

    Returns
    -------
    int or None
        The number of draws to keep, or None if the rule has not stopped.
    """
    h = np.cumsum(np.asarray(exceed, bool))
    for n in range(max(min_draws, start, 1), len(h) + 1):
        k = int(h[n - 1])
        lower = stats.beta.ppf(stop_error, k, n - k + 1) if k > 0 else 0.0
        upper = stats.beta.ppf(1 - stop_error, k + 1, n - k) if k < n else 1.0
        if lower > alpha or upper < alpha:
            return n
    return None


# ---------------------------------------------------------------------------------------
# results
# ---------------------------------------------------------------------------------------
@dataclass
class BootstrapLRT:
    """Result of :func:`bootstrap_lrt`.

    Attributes
    ----------
    lr : float
        Observed ``2 (l_K - l_{K-1})``.
    pvalue : float
        Share of the used draws whose LR reached ``lr`` (McLachlan & Peel; Mplus).
    n_draws : int
        Draws used (successful, up to the stopping point).
    n_exceed : int
        Used draws with LR >= the observed one.
    n_not_replicated : int
        Used draws whose best K class log-likelihood was reached only once.
    n_suspect : int
        Of those, the draws whose LR is below the observed one: had their K
        class fit missed its maximum, they might belong to ``n_exceed``
        (Mplus's TECH14 warning counts the same draws).
    n_failed : int
        Draws that raised (left out; see ``draws["error"]``).
    stopped_early : bool
        Whether the sequential rule stopped before ``max_draws``.
    seconds : float
        Wall time of the bootstrap.
    draws : pandas.DataFrame
        One row per draw made: ``lr``, ``loglike_null``, ``loglike_alt``,
        ``replicated``, ``converged``, ``used``, ``seconds`` (wall), ``cpu_seconds``
        (of the process that made it), ``error``.
    """

    lr: float
    pvalue: float
    n_draws: int
    n_exceed: int
    n_not_replicated: int
    n_suspect: int
    n_failed: int
    stopped_early: bool
    seconds: float
    draws: pd.DataFrame
    classes: tuple = (None, None)

    def to_series(self):
        keys = ("lr", "pvalue", "n_draws", "n_exceed", "n_not_replicated", "n_suspect",
                "n_failed", "stopped_early", "seconds")
        return pd.Series({k: getattr(self, k) for k in keys}, dtype=object)

    def __repr__(self):
        k0, k1 = self.classes
        head = f"Bootstrap LRT of {k0} against {k1} classes" if k0 else "Bootstrap LRT"
        return (f"{head}: LR = {self.lr:.3f}, p = {self.pvalue:.4f} "
                f"({self.n_exceed} of {self.n_draws} draws reached it"
                f"{', stopped early' if self.stopped_early else ''}); "
                f"{self.n_not_replicated} draws with the best LL not replicated "
                f"({self.n_suspect} of them below the observed LR), "
                f"{self.n_failed} failed; {self.seconds:.1f} s")


# ---------------------------------------------------------------------------------------
# the test
# ---------------------------------------------------------------------------------------
def _n_classes(res):
    return ", ".join(f"{c.name}={c.n_classes}" for c in _unwrap(res).model.spec.classes)


def bootstrap_lrt(restricted, full, *, max_draws=100, alpha=0.05, sequential=True,
                  stop_error=0.01, starts=(20, 5), null_starts=None, seed=0, n_jobs=1,
                  batch_size=None,
                  fit_kw=None, builders=None, progress=None, **mixture_kw):
    """Parametric bootstrap LRT of K - 1 classes (``restricted``) against K (``full``).

    Parameters
    ----------
    restricted, full : MixtureResults
        The K - 1 and K class models fitted to the same data by
        :func:`mixlevel.mixture` (their formulas are rebuilt on each draw).
    max_draws : int
        Largest number of bootstrap draws (Mplus: 100).
    alpha : float
        Level the sequential rule decides at.
    sequential : bool
        Stop early when the p-value is clearly above or below ``alpha`` (see
        the module docstring); False makes all ``max_draws`` draws.
    stop_error : float
        Error probability of each look of the sequential rule.
    starts : (int, int) or None
        Random starts of the K class fit on each draw, besides the start at
        the K class estimates (Mplus LRTSTARTS: 20 5).
    null_starts : (int, int), optional
        Random starts of the K - 1 class fit besides the start at the
        generating values (Mplus LRTSTARTS: none).  A K - 1 class fit that
        misses its maximum inflates that draw's LR (a conservative error).
    seed : int
        Seed of the study.
    n_jobs : int
        Parallel draws (joblib; -1: every core).  Processes (loky) by default,
        a Dask cluster under ``joblib.parallel_config(backend="dask")``.
    batch_size : int, optional
        Draws between looks of the sequential rule; default 1 without
        parallelism, else twice the number of workers.
    fit_kw : dict, optional
        Passed to ``fit`` (``maxiter``, ``gtol``, ``em_iter``, ...).
    builders : (ModelBuilder, ModelBuilder), optional
        How to rebuild the two models (default: from the fitted models).
    progress : bool, optional
        Progress bar (default: on a terminal only).
    **mixture_kw
        Options of :func:`mixlevel.mixture` the fitted models do not record
        (``fix=``, ``equal=``, ``re_cov=``); checked against the fits.

    Returns
    -------
    BootstrapLRT

    Examples
    --------
    >>> res3 = ml.mixture(f, df, classes={"c": 3}, family="binary").fit()  # doctest: +SKIP
    >>> res4 = ml.mixture(f, df, classes={"c": 4}, family="binary").fit()  # doctest: +SKIP
    >>> ml.bootstrap_lrt(res3, res4, n_jobs=2)                           # doctest: +SKIP
    Bootstrap LRT of 3 against 4 classes: LR = 8.838, p = 0.3333 (...)
    """
    from joblib import Parallel, delayed, effective_n_jobs

    from ..utils.progress import progress_bar

    t0 = time.perf_counter()
    r0, r1 = _unwrap(restricted), _unwrap(full)
    if r1.k_params <= r0.k_params:
        raise ValueError("full must be the model with more classes; pass the K - 1 class "
                         "model first")
    if r0.nobs != r1.nobs or r0.n_clusters != r1.n_clusters:
        raise ValueError("the two models must be fitted to the same data")
    if max_draws < 2:
        raise ValueError("max_draws must be at least 2")
    if builders is None:
        builders = (ModelBuilder.of_results(r0, **mixture_kw),
                    ModelBuilder.of_results(r1, **mixture_kw))
    data = r0.model.formula.data
    weights = builders[0].kwargs.get("weights")
    if weights is not None and not isinstance(weights, str):
        raise SpecificationError("the bootstrap needs weights= as a column name of the data")
    if weights is not None:
        w = data[weights].to_numpy(float)
        if np.any(w < 0) or not np.allclose(w, np.round(w)):
            raise SpecificationError(
                f"the weights column {weights!r} must hold frequency weights (whole "
                "numbers): a bootstrap draws that many independent rows")
    for b, res in zip(builders, (r0, r1), strict=True):
        check_same_parameters(b.build(data), res)
    lr = 2.0 * (r1.llf - r0.llf)
    names0, names1 = list(r0.model.param_names), list(r1.model.param_names)
    task = _Task(builders[0], builders[1], data, weights,
                 pd.Series(np.asarray(r0.params, float), index=names0),
                 pd.Series(np.asarray(r1.params, float), index=names1),
                 tuple(starts) if starts is not None else None,
                 tuple(null_starts) if null_starts is not None else None, dict(fit_kw or {}),
                 uuid.uuid4().hex, float(lr))
    children = np.random.SeedSequence(seed).spawn(max_draws)
    workers = max(1, int(effective_n_jobs(n_jobs)))
    batch = batch_size or (1 if workers == 1 else 2 * workers)
    records, stop, checked = [], None, 0
    with progress_bar(max_draws, "bootstrap draws", progress) as bar, \
            Parallel(n_jobs=n_jobs) as parallel:
        while stop is None and len(records) < max_draws:
            todo = range(len(records), min(len(records) + batch, max_draws))
            records.extend(parallel(delayed(_draw)(task, r, children[r]) for r in todo))
            bar.update(len(todo))
            ok = [rec for rec in records if not rec["error"]]
            if sequential:
                stop_n = stopping_point([rec["lr"] >= lr for rec in ok], alpha, stop_error,
                                        start=checked + 1)
                checked = len(ok)
                if stop_n is not None:
                    stop = ok[stop_n - 1]["draw"]
    draws = pd.DataFrame(records).set_index("draw")
    last = stop if stop is not None else draws.index.max()
    draws["used"] = (draws.index <= last) & (draws["error"] == "")
    used = draws[draws["used"]]
    n = len(used)
    n_exceed = int((used["lr"] >= lr).sum())
    # without random starts there is nothing to replicate
    lonely = (used["replicated"] < 2) & (starts is not None)
    n_suspect = int((lonely & (used["lr"] < lr)).sum())
    out = BootstrapLRT(
        lr=float(lr), pvalue=n_exceed / n if n else float("nan"), n_draws=n,
        n_exceed=n_exceed, n_not_replicated=int(lonely.sum()), n_suspect=n_suspect,
        n_failed=int((draws["error"] != "").sum()),
        stopped_early=bool(stop is not None and n < max_draws),
        seconds=time.perf_counter() - t0, draws=draws,
        classes=(_n_classes(r0), _n_classes(r1)))
    if out.n_failed:
        first = draws.loc[draws["error"] != "", "error"].iloc[0]
        warn_user(f"{out.n_failed} bootstrap draws failed and were left out (first: "
                  f"{first})", EstimationWarning)
    if n and out.pvalue < alpha <= (n_exceed + n_suspect) / n:
        warn_user(
            f"{n_suspect} of the {n} bootstrap draws have an LR below the observed one and "
            "a K class log-likelihood reached only once: if those fits missed their "
            f"maximum, the p-value could be up to {(n_exceed + n_suspect) / n:.3f} instead "
            f"of {out.pvalue:.3f}; use more random starts (starts=(n_initial, n_final))",
            EstimationWarning)
    return out
