"""Monte Carlo studies in the spirit of Mplus MONTECARLO.

Draw ``n_reps`` data sets from a true model (a :class:`~mixlevel.simulate.Population`),
fit an analysis model (the same one or another) to each, and summarise the
estimates per parameter::

    import mixlevel as ml
    pop = ml.Population("y ~ c * x", truth, classes={"c": 2}, n_clusters=50,
                        cluster_size=10, covariates={"x": "normal"})
    mc = ml.montecarlo(pop, n_reps=100, seed=1, n_jobs=2)
    print(mc.summary())
    mc.table            # one row per parameter
    mc.replications     # one row per replication (status, log-likelihood, error)

Replications are independent fits run through joblib (any backend:
``joblib.parallel_config(backend="dask")`` sends them to a Dask cluster).
Replication ``r`` draws its data with ``numpy.random.SeedSequence(seed,
spawn_key=(r, 0))`` and its random starts with ``spawn_key=(r, 1)``, so every
replication is reproducible on its own (:meth:`MonteCarloResults.data`) and
the study does not depend on ``n_jobs``, the backend or the order of
completion.  With ``checkpoint="study.jsonl"`` every finished replication is
written to that file at once; a study interrupted (or with a lost worker) and
run again with the same file reruns only the replications it has not
recorded, and ends with the same table as an uninterrupted run
(:mod:`mixlevel.utils.checkpoint`).

A replication that raises is recorded (status ``"failed"`` and the error
message) and the study goes on; replications that fail or do not converge
are left out of the parameter table, as Mplus does, and counted in
:attr:`MonteCarloResults.converged`.

Label switching: as Mplus, each analysis starts at the true values (the
population parameters with the analysis model's names), so the classes keep
the population's labels.  With ``starts=(n_initial, n_final)`` random starts
are run too; their best solution is used when it beats the start at the truth
(then its labels may differ from the population's, flagged in
``replications["aligned"]``).
"""

from __future__ import annotations

import base64
import pickle
import time
import warnings

import numpy as np
import pandas as pd
from scipy import stats

from ..errors import SpecificationError
from ..utils.checkpoint import Checkpoint
from ..utils.parallel import run_tasks

__all__ = ["montecarlo", "MonteCarloResults", "Analysis"]


# ---------------------------------------------------------------------------------------
# the analysis model
# ---------------------------------------------------------------------------------------
class Analysis:
    """How to build the analysis model from a data set (picklable for joblib).

    Parameters
    ----------
    model : str, ModelSpec or callable
        A formula, a hand-built specification or ``f(data) -> MixtureModel``.
    **kwargs
        For a formula, the arguments of :func:`mixlevel.api.mixture`
        (``classes``, ``family``, ``cluster``, ``n_points``, ...); for a
        specification, those of :class:`~mixlevel.model.MixtureModel`.
    """

    def __init__(self, model, **kwargs):
        from ..spec import ModelSpec

        if isinstance(model, str):
            self.kind = "formula"
        elif isinstance(model, ModelSpec):
            self.kind = "spec"
        elif callable(model):
            self.kind = "callable"
        else:
            raise SpecificationError(
                "the analysis model must be a formula, a ModelSpec or a callable "
                "f(data) -> MixtureModel")
        self.model, self.kwargs = model, kwargs

    def __getstate__(self):
        state = self.__dict__.copy()
        ctx = self.kwargs.get("context")
        if ctx is not None and not isinstance(ctx, dict):
            state["kwargs"] = {k: v for k, v in self.kwargs.items() if k != "context"}
        return state

    def build(self, data):
        from ..model import MixtureModel

        if self.kind == "callable":
            return self.model(data)
        if self.kind == "spec":
            return MixtureModel(self.model, data, **self.kwargs)
        from ..pipeline import build_model

        kw = dict(self.kwargs)
        ctx = kw.pop("context", None)
        return build_model(MixtureModel, self.model, data,
                           context=ctx if ctx is not None else {}, **kw)

    @classmethod
    def of_population(cls, pop):
        """The population's own model as the analysis model."""
        if pop.kind == "formula":
            return cls(pop.formula, classes=pop.classes, family=pop.family,
                       cluster=pop.cluster, trials=pop.trials, re_cov=pop.re_cov,
                       context=pop.context, **pop.model_kw)
        if pop.kind == "spec":
            return cls(pop.spec, cluster=pop.cluster, **pop.model_kw)
        return cls.of_model(pop._fixed_model)

    @classmethod
    def of_model(cls, model):
        """Refit ``model``'s specification (fixes, equalities, integration) to new data."""
        tab = model.table
        nat = tab.natural_full()
        fix = {}
        for gi, g in enumerate(tab.groups):
            if tab.fixed[gi] and tab.alias[gi] == gi:
                for k, n in enumerate(g.names):
                    fix[n] = float(nat[tab.offsets[gi] + k])
        equal = [(tab.groups[a].names[0], tab.groups[gi].names[0])
                 for gi, a in enumerate(tab.alias) if a != gi]
        engine_kw = dict(model._engine_kw)
        compiled = getattr(model, "formula", None)
        if compiled is not None:
            from ..formula.compile import Between

            spec = model.spec
            classes = {c.name: Between(c.n_classes) if c.level == "between" else c.n_classes
                       for c in spec.classes}
            family = {o.name: o.family for o in spec.outcomes}
            trials = {o.name: o.trials for o in spec.outcomes if o.trials is not None}
            return cls(compiled.text, classes=classes, family=family,
                       cluster=compiled.cluster, trials=trials or None,
                       fix=fix or None, equal=equal or None, context=compiled.context,
                       **engine_kw)
        return cls(model.spec, cluster=model.cluster, fix=fix or None,
                   equal=equal or None, **engine_kw)


# ---------------------------------------------------------------------------------------
# one replication
# ---------------------------------------------------------------------------------------
def data_seed(seed, r):
    """The SeedSequence that draws the data of replication ``r``."""
    return np.random.SeedSequence(seed, spawn_key=(r, 0))


def _fit_seed(seed, r):
    return int(np.random.SeedSequence(seed, spawn_key=(r, 1)).generate_state(1)[0])


def _start_vector(model, truth):
    base = pd.Series(np.asarray(model.start_params, float), index=model.param_names)
    known = {n: v for n, v in truth.items() if n in base.index and np.isfinite(v)}
    for n, v in known.items():
        base[n] = v
    return base.to_numpy(float), len(known)


def _one(population, analysis, r, seed, truth, fit_kw, starts, extract):
    """Run replication ``r``; never raises (the error is returned)."""
    from ..errors import EstimationWarning

    t0 = time.perf_counter()
    rec = {"rep": r, "status": "failed", "converged": False, "llf": np.nan,
           "aligned": True, "se_ok": True, "seconds": np.nan, "warnings": "", "error": ""}
    est = se = None
    extra = None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", EstimationWarning)
        warnings.simplefilter("ignore", RuntimeWarning)
        try:
            ss = data_seed(seed, r)
            if hasattr(population, "simulate"):
                data = population.simulate(ss)
            else:
                data = population(np.random.default_rng(ss))
            model = analysis.build(data)
            start, n_known = _start_vector(model, truth)
            kw = dict(fit_kw)
            kw.setdefault("canonical", False)
            res = model.fit(start_params=start, **kw) if n_known or starts is None else None
            if starts is not None:
                rnd = model.fit(starts=starts, seed=_fit_seed(seed, r),
                                **{k: v for k, v in fit_kw.items() if k != "canonical"})
                if res is None or rnd.llf > res.llf + 1e-6 * (1 + abs(res.llf)):
                    res = rnd
                    rec["aligned"] = False
            est = pd.Series(np.asarray(res.params, float), index=model.param_names)
            rec["llf"] = float(res.llf)
            rec["converged"] = bool(res.converged)
            rec["status"] = "ok" if res.converged else "not converged"
            try:  # standard errors can fail (e.g. a variance estimated at 0)
                se = pd.Series(np.asarray(res.bse, float), index=model.param_names)
            except Exception as exc:
                se = pd.Series(np.nan, index=model.param_names)
                rec["se_ok"] = False
                rec["error"] = f"standard errors: {type(exc).__name__}: {exc}"
            if extract is not None:
                try:
                    extra = extract(res)
                except Exception as exc:
                    rec["error"] = (rec["error"] + "; " if rec["error"] else "") + \
                        f"extract: {type(exc).__name__}: {exc}"
        except Exception as exc:  # a failed replication is recorded, not fatal
            rec["status"], rec["converged"] = "failed", False
            rec["error"] = f"{type(exc).__name__}: {exc}"
            est = se = None
    msgs = list(dict.fromkeys(str(w.message) for w in caught))
    rec["warnings"] = " | ".join(m[:120] for m in msgs)
    rec["seconds"] = time.perf_counter() - t0
    return rec, est, se, extra


# ---------------------------------------------------------------------------------------
# results
# ---------------------------------------------------------------------------------------
class MonteCarloResults:
    """What a Monte Carlo study produced.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per analysis parameter: ``true`` (population value; NaN when
        the analysis parameter has none), ``mean`` (average estimate), ``sd``
        (standard deviation of the estimates), ``mean_se`` (average standard
        error), ``bias``, ``mse`` (mean squared error around the true value),
        ``coverage`` (share of 95% intervals holding the true value),
        ``significant`` (share of estimates with p < 0.05) and ``n`` (the
        replications used: converged, finite estimate).  ``mean_se``,
        ``coverage`` and ``significant`` use the replications with a
        standard error.
    replications : pandas.DataFrame
        One row per replication: ``status`` ("ok", "not converged",
        "failed"), ``converged``, ``llf``, ``aligned``, ``se_ok`` (False when
        the standard errors could not be computed: the estimates are kept,
        the SEs are missing and the replication drops out of ``mean_se``,
        ``coverage`` and ``significant`` only), ``seconds``, ``warnings`` and
        ``error``.
    estimates, bse : pandas.DataFrame
        Estimates and standard errors, one row per replication (NaN where a
        replication failed).
    extra : list
        What ``extract(results)`` returned per replication (None if failed).
    """

    def __init__(self, table, replications, estimates, bse, extra, truth, seed, population,
                 alpha):
        self.table, self.replications = table, replications
        self.estimates, self.bse, self.extra = estimates, bse, extra
        self.truth, self.seed, self.population, self.alpha = truth, seed, population, alpha

    @property
    def n_reps(self):
        return len(self.replications)

    @property
    def converged(self):
        """Share of the replications that converged (failures count as not)."""
        return float(self.replications["converged"].mean()) if self.n_reps else np.nan

    @property
    def n_failed(self):
        return int((self.replications["status"] == "failed").sum())

    def data(self, r):
        """The data set of replication ``r`` (drawn again from its seed)."""
        ss = data_seed(self.seed, r)
        if hasattr(self.population, "simulate"):
            return self.population.simulate(ss)
        return self.population(np.random.default_rng(ss))

    def summary(self, digits=3):
        """The table as text, Mplus style, with the replication counts."""
        rep = self.replications
        head = [f"Monte Carlo study: {self.n_reps} replications, seed {self.seed}",
                f"  converged: {int(rep['converged'].sum())} "
                f"({100 * self.converged:.0f}%), failed: {self.n_failed}, "
                f"not converged: {int((rep['status'] == 'not converged').sum())}"]
        if not rep["se_ok"].all():
            head.append(f"  without standard errors (estimates kept): "
                        f"{int((~rep['se_ok']).sum())}")
        if not rep["aligned"].all():
            head.append(f"  random-start solutions used (labels may differ from the "
                        f"population's): {int((~rep['aligned']).sum())}")
        t = self.table.copy()
        fmt = {c: (lambda v, d=digits: "" if pd.isna(v) else f"{v:.{d}f}")
               for c in ("true", "mean", "sd", "mean_se", "bias", "mse", "coverage",
                         "significant")}
        fmt["n"] = lambda v: f"{int(v)}"
        body = t.to_string(formatters=fmt)
        return "\n".join(head) + "\n\n" + body

    def __repr__(self):
        return (f"<MonteCarloResults: {self.n_reps} replications, "
                f"{100 * self.converged:.0f}% converged, {len(self.table)} parameters>")


def summarise(estimates, bse, truth, use, alpha=0.05):
    """The per-parameter table from estimates, standard errors and true values."""
    q = stats.norm.ppf(1 - alpha / 2)
    rows = {}
    for n in estimates.columns:
        e = estimates.loc[use, n].to_numpy(float)
        s = bse.loc[use, n].to_numpy(float)
        ok = np.isfinite(e)
        e, s = e[ok], s[ok]
        tv = float(truth.get(n, np.nan))
        good = np.isfinite(s) & (s > 0)
        with np.errstate(invalid="ignore", divide="ignore"):
            rows[n] = {
                "true": tv,
                "mean": e.mean() if len(e) else np.nan,
                "sd": e.std(ddof=1) if len(e) > 1 else np.nan,
                "mean_se": s[good].mean() if good.any() else np.nan,
                "bias": e.mean() - tv if len(e) else np.nan,
                "mse": np.mean((e - tv) ** 2) if len(e) else np.nan,
                "coverage": (np.mean(np.abs(e[good] - tv) <= q * s[good])
                             if good.any() and np.isfinite(tv) else np.nan),
                "significant": np.mean(np.abs(e[good] / s[good]) > q) if good.any() else np.nan,
                "n": int(len(e)),
            }
    frame = pd.DataFrame.from_dict(rows, orient="index")
    frame.index.name = "parameter"
    return frame


def montecarlo(population, n_reps=100, analysis=None, *, truth=None, seed=0, n_jobs=1,
               fit_kw=None, starts=None, extract=None, include_nonconverged=False,
               alpha=0.05, progress=None, checkpoint=None, callback=None, **analysis_kw):
    """Run a Monte Carlo study: simulate, fit, summarise.

    Parameters
    ----------
    population : Population, fitted results or callable
        The true model and design (:class:`~mixlevel.simulate.Population`);
        a fitted result (parametric bootstrap: data drawn at the estimates on
        the model's own rows); or ``f(rng) -> DataFrame`` (then give
        ``analysis`` and ``truth``).
    n_reps : int
        Number of replications (data sets).
    analysis : str, ModelSpec, callable or Analysis, optional
        The analysis model; default the population's own model.  A formula
        takes ``**analysis_kw`` (``classes``, ``family``, ``cluster``,
        ``n_points``, ...), defaulting to the population's ``classes``,
        ``family`` and cluster column.
    truth : dict, optional
        True values by analysis parameter name; default the population's
        parameters (analysis parameters without one get NaN).  The fits start
        at these values.
    seed : int
        Seed of the study (see the module docstring).
    n_jobs : int
        Parallel replications (joblib; -1: all cores).
    fit_kw : dict, optional
        Passed to ``model.fit`` (``em_iter``, ``maxiter``, ``cov_type``, ...).
    starts : (int, int), optional
        Random starts in addition to the start at the true values.
    extract : callable, optional
        ``f(results) -> anything`` kept per replication in ``.extra`` (runs in
        the worker; e.g. an ICC or a test statistic).
    include_nonconverged : bool
        Keep non-converged replications in the table.
    alpha : float
        Level of the coverage intervals and of the significance share.
    progress : bool, optional
        Progress bar (default: on a terminal only).
    checkpoint : str or path, optional
        File to which every finished replication is written (JSON lines); a
        study run again with the same file continues where it stopped (a
        study with more ``n_reps`` extends it).  A file of another study
        (seed, population, analysis, settings) is refused.
    callback : callable, optional
        ``callback(r, record)`` on the calling process after each replication
        (``record`` is its row of :attr:`MonteCarloResults.replications` as a
        dict); raising from it stops the study (what is in the checkpoint
        stays).

    Returns
    -------
    MonteCarloResults
    """
    from ..utils.progress import progress_bar
    from .simulate import Population, slim_context

    res = getattr(population, "_results", population)
    if not isinstance(population, Population) and hasattr(res, "params") and \
            hasattr(res, "model"):
        population = Population(res)
    if isinstance(analysis, Analysis):
        pass
    elif analysis is None:
        if analysis_kw:
            if not isinstance(population, Population) or population.kind != "formula":
                raise SpecificationError("analysis options need an analysis model; give "
                                         "analysis=formula")
            analysis = Analysis(population.formula, **_population_kw(population, analysis_kw))
        elif isinstance(population, Population):
            analysis = Analysis.of_population(population)
        else:
            raise SpecificationError(
                "with a data-generating function give the analysis model: analysis=...")
    else:
        if isinstance(analysis, str) and analysis_kw.get("context") is None:
            from formulaic.utils.context import capture_context

            analysis_kw["context"] = slim_context(capture_context(1), analysis)
        if isinstance(analysis, str) and isinstance(population, Population) and \
                population.kind == "formula":
            analysis = Analysis(analysis, **_population_kw(population, analysis_kw))
        else:
            analysis = Analysis(analysis, **analysis_kw)
    if truth is None:
        if not isinstance(population, Population):
            raise SpecificationError("give the true values: truth={name: value}")
        truth = dict(population.params)
    truth = {str(k): float(v) for k, v in dict(truth).items()}
    fit_kw = dict(fit_kw or {})
    if n_reps < 1:
        raise ValueError("n_reps must be at least 1")
    ckpt = None if checkpoint is None else Checkpoint(
        checkpoint, _study_header(population, analysis, seed, truth, fit_kw, starts))
    with progress_bar(n_reps, "replications", progress) as bar:
        failed = []

        def on_result(r, item):
            bar.update(1)
            if item[0]["status"] != "ok":
                failed.append(r)
                bar.set_postfix_str(f"{len(failed)} not ok")
            if callback is not None:
                callback(r, dict(item[0]))

        done = run_tasks(_one, range(n_reps), lambda r: (population, analysis, r, seed, truth,
                                                          fit_kw, starts, extract),
                         n_jobs=n_jobs, checkpoint=ckpt, encode=_encode_replication,
                         decode=_decode_replication, on_result=on_result)
    out = [done[r] for r in range(n_reps)]
    reps = pd.DataFrame([o[0] for o in out]).set_index("rep")
    names = []
    for _, e, _, _ in out:
        if e is not None:
            names.extend(n for n in e.index if n not in names)
    estimates = pd.DataFrame([e if e is not None else pd.Series(dtype=float)
                              for _, e, _, _ in out], index=reps.index).reindex(
        columns=names)
    bse = pd.DataFrame([s if s is not None else pd.Series(dtype=float)
                        for _, _, s, _ in out], index=reps.index).reindex(columns=names)
    use = reps["status"].eq("ok") | (include_nonconverged &
                                     reps["status"].eq("not converged"))
    table = summarise(estimates, bse, truth, use.to_numpy(), alpha)
    return MonteCarloResults(table, reps, estimates, bse, [o[3] for o in out], truth, seed,
                             population, alpha)


def _series_record(x):
    return None if x is None else {"names": list(x.index), "values": x.to_numpy(float)}


def _series_from_record(x):
    return None if x is None else pd.Series(np.array(x["values"], float), index=x["names"])


def _encode_replication(item):
    """A replication's (record, estimates, SEs, extra) for a checkpoint (extra pickled)."""
    rec, est, se, extra = item
    return {"record": rec, "estimates": _series_record(est), "bse": _series_record(se),
            "extra": None if extra is None else
            base64.b64encode(pickle.dumps(extra)).decode("ascii")}


def _decode_replication(value):
    extra = value["extra"]
    return (value["record"], _series_from_record(value["estimates"]),
            _series_from_record(value["bse"]),
            None if extra is None else pickle.loads(base64.b64decode(extra)))


def _study_header(population, analysis, seed, truth, fit_kw, starts):
    """What a checkpoint must match to continue a study: the seed and settings, the
    data of replication 0 (population and design) and the analysis model's parameters."""
    ss = data_seed(seed, 0)
    data = population.simulate(ss) if hasattr(population, "simulate") \
        else population(np.random.default_rng(ss))
    names = list(analysis.build(data).param_names)
    return {"job": "montecarlo", "seed": int(seed), "truth": truth,
            "fit_kw": repr(sorted(fit_kw.items())), "starts": starts,
            "data_0": int(pd.util.hash_pandas_object(data).sum() % 2**63),
            "analysis": analysis.kind, "parameters": names}


def _population_kw(pop, kw):
    """Analysis-formula options, defaulting to the population's."""
    out = {"classes": pop.classes, "family": pop.family, "cluster": pop.cluster,
           "trials": pop.trials, "context": pop.context}
    out.update(kw)
    return out
