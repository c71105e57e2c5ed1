"""Parametric and cluster bootstrap of a fitted formula model (lme4's ``bootMer``).

:meth:`BootstrapMixin.bootstrap` refits the model on ``n_boot`` data sets:

"parametric"
    outcomes drawn from the fitted model at the estimates, the covariates and
    clusters of the data kept (:func:`mixlevel.simulation.simulate`; lme4's
    ``bootMer(type = "parametric")``);
"cluster"
    whole clusters (rows of a single-level model) drawn with replacement, a
    drawn cluster counting as a new cluster each time it is drawn.

Each refit starts from the estimates (``canonical=False``, so the classes keep
their labels).  The draws run through :func:`mixlevel.utils.parallel.run_tasks`
(joblib: ``n_jobs``, a Dask backend, ``checkpoint=``); a draw that fails is
recorded and left out.  :class:`BootstrapResults` gives the draws, their
standard deviations and percentile intervals of the parameters and of any
function of them (e.g. the SD of a random effect).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..utils.parallel import run_tasks
from ..utils.warn import warn_user

__all__ = ["BootstrapMixin", "BootstrapResults"]


@dataclass
class _BootTask:
    """What a worker needs for one draw (picklable; no fitted objects)."""

    builder: object
    data: pd.DataFrame
    params: pd.Series
    kind: str
    cluster: str | None
    fit_kw: dict = field(default_factory=dict)


def _resample(task, rng):
    data = task.data
    if task.cluster is None:
        return data.iloc[rng.integers(0, len(data), len(data))].reset_index(drop=True)
    codes, labels = pd.factorize(data[task.cluster])
    pick = rng.integers(0, len(labels), len(labels))
    rows = [np.flatnonzero(codes == g) for g in pick]
    frame = data.iloc[np.concatenate(rows)].reset_index(drop=True)
    frame[task.cluster] = np.repeat(np.arange(len(pick)), [len(r) for r in rows])
    return frame


def _boot_draw(task, r, seq):
    """Bootstrap draw ``r``: the refit's parameters, or NaN and the error."""
    from ..simulation.simulate import simulate

    out = {"draw": r, "params": np.full(len(task.params), np.nan), "converged": False,
           "loglike": np.nan, "error": ""}
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if task.kind == "parametric":
                frame = simulate(task.builder.build(task.data), params=task.params, seed=seq)
            else:
                frame = _resample(task, np.random.default_rng(seq))
            model = task.builder.build(frame)
            if list(model.param_names) != list(task.params.index):
                raise ValueError("the resampled data give other parameters (a factor level "
                                 "or a category is missing)")
            res = model.fit(start_params=task.params.to_numpy(), canonical=False,
                            progress=False, **task.fit_kw)
        out.update(params=np.asarray(res.params, float), converged=bool(res.converged),
                   loglike=float(res.llf))
    except Exception as exc:  # recorded, left out of the summaries
        out["error"] = f"{type(exc).__name__}: {exc}"
    return out


class BootstrapResults:
    """Bootstrap draws of the parameters.

    Attributes
    ----------
    draws : pandas.DataFrame
        One row per successful draw, one column per parameter.
    estimates : pandas.Series
        The fit's estimates.
    kind : str
    n_failed : int
    errors : list of str
    """

    def __init__(self, draws, estimates, kind, errors):
        self.draws, self.estimates, self.kind = draws, estimates, kind
        self.errors = errors
        self.n_failed = len(errors)

    @property
    def bse(self):
        """Bootstrap standard errors (SD of the draws)."""
        return self.draws.std(ddof=1)

    def conf_int(self, alpha=0.05, func=None):
        """Percentile intervals of the parameters, or of ``func(params Series)``.

        Returns
        -------
        pandas.DataFrame
            ``lower`` and ``upper``.
        """
        draws = self.draws if func is None else pd.DataFrame(
            [np.atleast_1d(func(row)) for _, row in self.draws.iterrows()])
        q = draws.quantile([alpha / 2, 1 - alpha / 2]).T
        q.columns = ["lower", "upper"]
        return q

    def summary_frame(self, alpha=0.05):
        """estimate, bootstrap SE, bias (mean of the draws minus the estimate), interval."""
        ci = self.conf_int(alpha)
        return pd.DataFrame({"estimate": self.estimates, "bse_boot": self.bse,
                             "bias": self.draws.mean() - self.estimates,
                             "lower": ci["lower"], "upper": ci["upper"]})


class BootstrapMixin:
    """:meth:`bootstrap`."""

    def bootstrap(self, n_boot=200, kind="parametric", seed=0, n_jobs=1, checkpoint=None,
                  **fit_kw):
        """Refit the model on bootstrap samples (see :mod:`mixlevel.results.bootstrap`).

        Parameters
        ----------
        n_boot : int
        kind : {"parametric", "cluster"}
        seed : int
        n_jobs : int
            joblib workers (processes); a ``joblib.parallel_config`` with a Dask
            backend around the call sends the draws to a cluster.
        checkpoint : str or Path, optional
            A file that keeps finished draws (a rerun continues).
        **fit_kw
            Passed to ``fit`` (``maxiter``, ``em_iter``, ...).

        Returns
        -------
        BootstrapResults
        """
        from ..inference.blrt import ModelBuilder
        from ..utils.checkpoint import Checkpoint

        if kind not in ("parametric", "cluster"):
            raise ValueError(f"kind={kind!r}: use 'parametric' or 'cluster'")
        if int(n_boot) < 2:
            raise ValueError("n_boot must be at least 2")
        self._need_data("bootstrap()")
        compiled = getattr(self.model, "formula", None)
        data = getattr(compiled, "data", None)
        if compiled is None or data is None:
            raise ValueError("bootstrap() needs a model built from a formula (ml.mixture) "
                             "with its data")
        names = list(self.model.param_names)
        task = _BootTask(ModelBuilder.of_results(self), data.reset_index(drop=True),
                         pd.Series(np.asarray(self.params, float), index=names), kind,
                         None if self._meta["single_level"] else self.model.cluster, fit_kw)
        seqs = np.random.SeedSequence(seed).spawn(int(n_boot))
        ck = None
        if checkpoint is not None:
            ck = Checkpoint(checkpoint, {"what": "bootstrap", "kind": kind, "seed": seed,
                                         "params": names})
        out = run_tasks(_boot_draw, range(int(n_boot)), lambda r: (task, r, seqs[r]),
                        n_jobs=n_jobs, prefer="processes", checkpoint=ck,
                        encode=_encode, decode=_decode)
        rows = [out[r] for r in range(int(n_boot))]
        ok = [o for o in rows if not o["error"]]
        errors = [o["error"] for o in rows if o["error"]]
        if errors:
            warn_user(f"{len(errors)} of {n_boot} bootstrap draws failed and are left out "
                      f"(first: {errors[0]})")
        draws = pd.DataFrame([o["params"] for o in ok], columns=names,
                             index=pd.Index([o["draw"] for o in ok], name="draw"))
        return BootstrapResults(draws, task.params, kind, errors)


def _encode(rec):
    return {**rec, "params": [float(v) for v in rec["params"]]}


def _decode(rec):
    return {**rec, "params": np.asarray(rec["params"], float)}
