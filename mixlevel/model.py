"""The statsmodels model class of mixlevel.

:class:`MixtureModel` is a :class:`statsmodels.base.model.GenericLikelihoodModel`
whose ``loglike``, ``loglikeobs`` (one value per cluster), ``score``,
``score_obs`` and ``hessian`` come from the engine.  Parameters are on the
natural scale (coefficients, logits, variances, covariances, thresholds); the
optimiser works on the Cholesky / log working scale.
"""

from __future__ import annotations

import contextlib
import difflib

import numpy as np
import pandas as pd
from statsmodels.base.model import GenericLikelihoodModel

from . import estimation
from .data import build_design
from .engine import make_engine
from .engine.threads import one_blas_thread
from .errors import ConvergenceWarning, EstimationWarning, SpecificationError
from .estimation import diagnostics
from .estimation.covariance import observed_hessian
from .estimation.integration_check import check_integration
from .estimation.scales import natural_scales
from .estimation.starts import base_start, perturbation_scale
from .model_data import NewDataMixin
from .results.covtypes import check_cov_type
from .spec import ParamTable
from .utils.warn import warn_user

__all__ = ["MixtureModel"]

#: Options of the model (``mixture()`` / ``MixtureModel``) that choose the integration.
ENGINE_OPTIONS = ("integration", "n_points", "adaptive", "n_points_within", "seed",
                  "num_threads")
#: Options of :meth:`MixtureModel.fit`.
FIT_OPTIONS = ("start_params", "starts", "em_iter", "maxiter", "gtol", "cov_type", "seed",
               "n_jobs", "initial_iter", "canonical", "progress", "reml", "checkpoint",
               "cov_kwds")
MODEL_OPTIONS = ("cluster", "weights", "cluster_weights", "columns", "fix",
                 "equal") + ENGINE_OPTIONS


def unknown_option(where, name, known, elsewhere=(), elsewhere_name=""):
    """TypeError for an unknown keyword, with a did-you-mean and where it belongs."""
    msg = f"{where} got an unexpected keyword argument {name!r}"
    if name in elsewhere:
        msg += f"; {name!r} is an option of {elsewhere_name}"
    else:
        close = difflib.get_close_matches(name, list(known) + list(elsewhere), n=2)
        if close:
            owner = [f"{c!r}" + (f" (an option of {elsewhere_name})" if c in elsewhere
                                 and c not in known else "") for c in close]
            msg += f"; did you mean {' or '.join(owner)}?"
    return TypeError(msg)


def check_starts(starts):
    """(n_initial, n_final) from ``starts`` (None: the default), or a clear error."""
    if starts is None:
        return None
    ok = isinstance(starts, (tuple, list)) and len(starts) == 2 and all(
        isinstance(v, (int, np.integer)) and not isinstance(v, bool) and v >= 1
        for v in starts)
    if not ok:
        raise SpecificationError(
            f"starts={starts!r}: give a pair (initial sets, final optimisations) of whole "
            "numbers >= 1, as Mplus STARTS, e.g. starts=(20, 4); starts=(1, 1) is a "
            "single start")
    return int(starts[0]), int(min(starts[1], starts[0]))


class MixtureModel(NewDataMixin, GenericLikelihoodModel):
    """A two-level mixture model fitted by maximum likelihood.

    Parameters
    ----------
    spec : ModelSpec
        The model (built by hand or by the formula layer); not changed.
    data : pandas.DataFrame
        Outcomes, covariates, cluster, trials and weight columns.
    cluster : str, optional
        Cluster id column (level 2).  None: single level.
    weights : str or array, optional
        Frequency weights (counts of identical rows).
    columns : dict, optional
        Design columns by name when they are not columns of ``data``.
    fix : dict, optional
        ``{parameter name or glob: value}`` on the natural scale.
    equal : list of tuples, optional
        Parameter names (or globs) constrained equal.
    integration : str, optional
        "gauss-hermite", "trapezoid", "monte-carlo", "quasi-monte-carlo" or "exact".
        How latent variables are integrated; default: chosen from the model
        (the exact likelihood where all outcomes are normal given normal latent
        variables, adaptive Gauss-Hermite for random effects, ...; see
        docs/estimation.rst "Integration by default"); every fit that
        integrates reports an accuracy check.  "exact" insists on the exact
        normal likelihood.
    n_points : int, optional
        Integration points per dimension (product rules) or in total (Monte
        Carlo); default by rule and dimension.
    adaptive : bool, optional
        Adaptive quadrature for the cluster-level latent variables; default
        True for random effects, False when ``integration`` is given.
    n_points_within : int, optional
        Points per dimension of row-level latent variables.
    seed : int
        Seed of Monte Carlo integration rules.
    num_threads : int, optional
        Kernel threads of every call.  Default: one for small problems, else
        one or all cores, whichever timed calls show to be faster (so a fit
        beside other work never waits for its threads; docs/scaling.rst).

    Notes
    -----
    ``nobs`` is the number of rows (frequency-weighted), and BIC uses it, as
    Mplus does for two-level models; ``n_clusters`` is reported alongside.
    ``loglikeobs`` returns one contribution per cluster (the independent units),
    so ``score_obs`` rows are cluster scores and the MLR sandwich is
    cluster-robust.
    """

    _formula_max_endog = None
    #: random starts: send the unperturbed start to the final stage (run_starts keep_base)
    keep_base_start = False

    def __init__(self, spec, data, cluster=None, weights=None, columns=None, fix=None,
                 equal=None, cluster_weights=None, integration=None, n_points=None, adaptive=None,
                 n_points_within=None, seed=0, num_threads=None, **kwargs):
        for name in kwargs:
            raise unknown_option("the model (mixture() or MixtureModel)", name, MODEL_OPTIONS,
                                 FIT_OPTIONS, "fit()")
        if num_threads is not None and (not isinstance(num_threads, (int, np.integer))
                                        or isinstance(num_threads, bool) or num_threads < 1):
            raise SpecificationError(f"num_threads={num_threads!r}: give a whole number >= 1, "
                                     "or None for the default")
        design = build_design(spec, data, columns=columns, cluster=cluster, weights=weights,
                              cluster_weights=cluster_weights)
        self.spec, self.design = spec, design
        self.layout = spec.finalize(design.n_categories)
        self.table = ParamTable(self.layout.groups, fix=fix, equal=equal)
        self.cluster = cluster
        self._engine_kw = dict(integration=integration, n_points=n_points, adaptive=adaptive,
                               n_points_within=n_points_within, seed=seed,
                               num_threads=num_threads)
        self.engine = make_engine(self.layout, design, self.table, **self._engine_kw)
        endog = pd.DataFrame(design.y, columns=spec.outcome_names)  # pandas: labelled results
        super().__init__(endog, None, missing="none")
        table = self.table
        self.data.param_names = list(table.free_names)
        self.k_constant = 0
        self.k_extra = 0
        self.nparams = table.n_free
        self.df_model = table.n_free
        self.nobs = float(design.row_weight @ design.cluster_weight[design.cluster_of_row])
        self.df_resid = self.nobs - table.n_free
        self.n_clusters = float(design.cluster_weight.sum())
        if table.n_free >= self.nobs:
            raise SpecificationError(
                f"the model has {table.n_free} free parameters but only {self.nobs:g} rows; "
                "simplify the model or add data"
            )

    @classmethod
    def from_formula(cls, formula, data, *args, eval_env=0, context=None, **kwargs):
        """Build the model from a formula; arguments as :func:`mixlevel.api.mixture`.

        ``eval_env`` (frames above the caller) or ``context`` (a mapping) gives
        the namespace of functions used in the formula.
        """
        from formulaic.utils.context import capture_context

        from .pipeline import build_model

        if context is None:
            context = capture_context(eval_env + 1)
        return build_model(cls, formula, data, *args, context=context, **kwargs)

    # -- names and starts --------------------------------------------------------------
    @property
    def param_names(self):
        return list(self.table.free_names)

    @property
    def exog_names(self):
        return list(self.table.free_names)

    def parameter_table(self):
        """Name, kind, free / fixed / equal status and start value of every parameter."""
        return self.table.table()

    def new_engine(self):
        """A fresh engine of this model (non-adaptive nodes), sharing its layouts."""
        return self.engine.spawn()

    def _start_work(self):
        """The base start (free working vector); model constructors may override it."""
        return base_start(self.engine)

    @property
    def start_params(self):
        return self.table.free_natural_from_working(self._start_work())

    # -- likelihood interface (natural scale) ------------------------------------------------
    def _work(self, params):
        """Working vector of ``params``; rules whose nodes follow the parameters (logit
        windows: cheap, no search) place them there first."""
        w = self.table.free_working_from_natural(np.asarray(params, float))
        if self.engine.rule.kind == "logit-window":
            self.engine.adapt_nodes_at_mode(w)
        return w

    def loglike(self, params):
        return self.engine.loglike(self._work(params))

    def loglikeobs(self, params):
        """Log-likelihood contribution of each cluster (frequency-weighted)."""
        return self.engine.estep(self._work(params)).ll_cluster

    def score(self, params):
        w = self._work(params)
        _, g, _ = self.engine.loglike_and_score(w)
        return self.table.natural_gradient(g, w)

    def score_obs(self, params):
        """Per-cluster scores (J x k), natural scale."""
        w = self._work(params)
        return self.table.natural_gradient(self.engine.score_obs(w), w)

    def hessian(self, params):
        """Observed Hessian from central differences of the analytic score."""
        return observed_hessian(self.score, params, self._kinds(), natural_scales(self.engine))

    def _kinds(self):
        tab = self.table
        return [tab.groups[self.layout.group_of(i)].kind for i in tab.free_index]

    # -- fitting ----------------------------------------------------------------------
    def fit(self, start_params=None, starts=None, em_iter=None, maxiter=1000, gtol=1e-8,
            cov_type="MLR", seed=0, n_jobs=1, initial_iter=10, canonical=True, progress=None,
            reml=False, checkpoint=None, cov_kwds=None, **kwargs):
        """Maximum likelihood by EM then BFGS, with random starts.

        Parameters
        ----------
        start_params : array or Series, optional
            Natural-scale starting values (skips random starts); a Series is
            matched to the parameters by name.
        starts : (int, int), optional
            (initial sets, final optimisations) as Mplus STARTS; default (20, 4)
            when the model has class variables, none otherwise.
        em_iter, maxiter, gtol : EM iterations (default up to 1000 for latent class
            models whose EM runs compiled, to a relative gain of 1e-14, fewer on many
            response patterns; 50 for other closed-form M-steps, else 0: there
            quasi-Newton iterations make more progress per E-step), BFGS iterations,
            BFGS tolerance.
        cov_type : {"MLR", "ML", "MLF", "cluster"}
            The covariance of the estimates: "MLR" the sandwich over the
            clusters (default, as Mplus), "ML" the inverse observed information
            (as lme4 and MixedLM; for normal models fitted exactly without class
            variables the fixed effects get (X'V^-1X)^-1, as lme4, nlme and SAS),
            "MLF" the inverse outer product of the cluster scores, "cluster" the
            sandwich over a higher grouping level (``cov_kwds``); see
            :mod:`mixlevel.results.covtypes`.  ``res.with_cov_type()`` changes it
            after the fit.
        cov_kwds : dict, optional
            For ``cov_type="cluster"``: ``{"groups": column name or values,
            "use_correction": True}`` (statsmodels' small-sample factor).
        reml : bool
            Restricted maximum likelihood (as lme4 and MixedLM) instead of ML:
            one normal outcome, no class variables, exact likelihood (no
            integration options).  ``llf`` is then the REML criterion.
        seed : int
            Seed of the random starts (reproducible).
        n_jobs : int
            Parallel starts through joblib (threads; any backend configured with
            ``joblib.parallel_config``, e.g. Dask, is used instead).
        canonical : bool
            Order classes by decreasing size so results do not depend on labels.
        progress : bool, optional
            Progress bar over the random starts; default: only on a terminal.
        checkpoint : str or path, optional
            File to which every finished random start is written; a fit
            interrupted and called again with the same file continues from it
            (same result as an uninterrupted fit).

        Returns
        -------
        MixtureResultsWrapper
        """
        for name in kwargs:
            raise unknown_option("fit()", name, FIT_OPTIONS, MODEL_OPTIONS,
                                 "the model (mixture() or MixtureModel)")
        check_cov_type(cov_type, cov_kwds)
        starts = check_starts(starts)
        estimation.check_fit_options(maxiter=maxiter, gtol=gtol, em_iter=em_iter,
                                     initial_iter=initial_iter, n_jobs=n_jobs)
        self._set_reml(reml)
        if start_params is not None:
            start_params = self._check_start_params(start_params)
        # BLAS threads are limited to one: fits make many small BLAS calls, and
        # OpenBLAS worker threads spinning between them starve the main thread on
        # small machines (16 s instead of 4 s for a 118-row LCA).  The kernel has
        # its own OpenMP threads.
        with one_blas_thread():
            return self._fit(start_params, starts, em_iter, maxiter, gtol, (cov_type, cov_kwds),
                             seed, n_jobs, initial_iter, canonical, progress, checkpoint)

    # -- REML and the covariance convention of exact normal models (engine/gaussian.py) -----
    @property
    def reml(self):
        """True while the likelihood functions evaluate the REML criterion (see fit)."""
        return self.engine.exact is not None and self.engine.exact.reml

    def _set_reml(self, reml):
        exact = self.engine.exact
        if exact is None:
            if reml:
                raise SpecificationError(
                    "reml=True needs the exact normal likelihood: one normal outcome with "
                    "normal random effects and no integration=, n_points= or adaptive= "
                    "options")
            return
        exact.set_reml(reml)

    @contextlib.contextmanager
    def criterion(self, reml):
        """Evaluate loglike, score and hessian as ML (False) or REML (True) inside."""
        old = self.reml
        self._set_reml(reml)
        try:
            yield
        finally:
            self._set_reml(old)

    def ml_covariance(self, hessian, cov):
        """The ML covariance under the convention of exact normal models without classes.

        ``cov`` is the inverse observed information -hessian^-1.  Where the
        fixed effects are separable from the covariance parameters (exact
        normal likelihood, no class variables) their expected cross
        information is zero, and the fixed effects get (X'V^-1X)^-1, the
        inverse of their own block (lme4's ``vcov``, nlme, SAS), the
        covariance parameters keep their block of the inverse information
        (the inverse Hessian of the likelihood profiled over the fixed
        effects), and the cross covariances are zero.  Elsewhere ``cov``.
        """
        exact = self.engine.exact
        if exact is None or exact.D * exact.C > 1 or not exact.separable:
            return cov
        beta = exact.mean_free
        if not len(beta):
            return cov
        out = np.array(cov, float, copy=True)
        theta = np.setdiff1d(np.arange(len(out)), beta)
        out[np.ix_(beta, theta)] = 0.0
        out[np.ix_(theta, beta)] = 0.0
        out[np.ix_(beta, beta)] = np.linalg.inv(-hessian[np.ix_(beta, beta)])
        return out

    def _check_start_params(self, start_params):
        names = self.param_names
        if isinstance(start_params, pd.Series):
            missing = [n for n in names if n not in start_params.index]
            extra = [n for n in start_params.index if n not in names]
            if missing or extra:
                raise SpecificationError(
                    "start_params (a Series) must name every free parameter: "
                    + (f"missing {missing[:5]}" if missing else "")
                    + ("; " if missing and extra else "")
                    + (f"unknown {extra[:5]}" if extra else "") + "; see model.param_names")
            start_params = start_params[names]
        values = np.asarray(start_params, float)
        if values.shape != (len(names),):
            raise SpecificationError(
                f"start_params has {values.size} values but the model has {len(names)} free "
                "parameters; see model.param_names for their order")
        if not np.isfinite(values).all():
            bad = [n for n, v in zip(names, values, strict=True) if not np.isfinite(v)]
            raise SpecificationError(f"start_params must be finite; not finite: {bad[:5]}")
        return values

    def _fit(self, start_params, starts, em_iter, maxiter, gtol, cov_type, seed, n_jobs,
             initial_iter, canonical, progress=None, checkpoint=None):
        from .results import MixtureResults, MixtureResultsWrapper

        has_classes = any(c.n_classes > 1 for c in self.spec.classes)
        if em_iter is None:  # EM is cheap with closed-form M-steps; else BFGS does more
            em_iter = estimation.default_em_iter(self.engine, has_classes)
        start_table = []
        if checkpoint is not None and (start_params is not None or not has_classes):
            raise SpecificationError(
                f"checkpoint={str(checkpoint)!r} records random starts, and this fit has none "
                "(" + ("start_params is given" if start_params is not None else
                       "the model has no latent classes") + "); leave checkpoint out")
        if start_params is not None:
            best = estimation.maximize(self.engine, self._work(start_params), em_iter, maxiter,
                                       gtol)
        elif has_classes:
            n_init, n_final = starts or (20, 4)
            from .utils.progress import progress_bar

            with progress_bar(n_init + n_final, "random starts", progress) as bar:
                best, start_table = estimation.run_starts(
                    self.engine, self._start_work(), n_init, n_final, seed,
                    initial_iter=initial_iter, n_jobs=n_jobs,
                    perturb_scale=perturbation_scale(self.engine), em_iter=em_iter,
                    maxiter=maxiter, gtol=gtol, callback=lambda *_: bar.update(1),
                    checkpoint=checkpoint, keep_base=self.keep_base_start)
            best = estimation.maximize(self.engine, best.work, 5, maxiter, gtol) \
                if self.engine.adaptive else best
        else:
            best = estimation.maximize(self.engine, self._start_work(), em_iter, maxiter,
                                       gtol)
        if not best.converged and not start_table:  # run_starts warns for its own
            warn_user("the fit did not converge: the optimiser stopped before its "
                      "criteria were met; raise maxiter or check the model (a "
                      "parameter may be drifting to a boundary)", ConvergenceWarning)
        work = best.work
        if canonical and has_classes and not self.table_has_equalities():
            work = estimation.canonical_order(self.engine, work, maxiter, gtol)
        params = self.table.free_natural_from_working(work)
        for msg in diagnostics.fit_problems(self, params):
            warn_user(msg, EstimationWarning)
        # the fit's last E-step serves when it was computed at these estimates and nodes
        final = best.estep if best.estep is not None and work is best.work \
            and best.estep.nodes is self.engine.nodes else None
        check = check_integration(self.engine, work, final.loglike if final is not None
                                  else self.engine.loglike(work), self.param_names)
        if check is not None and not check.ok:
            warn_user(f"numerical integration may be inaccurate: {check.advice()}",
                      EstimationWarning)
        res = MixtureResults.from_fit(self, params, best, start_table, cov_type=cov_type[0],
                                      integration_check=check, cov_kwds=cov_type[1],
                                      estep=final)
        res.reml = self.reml  # the criterion of this fit; its covariance is computed later
        return MixtureResultsWrapper(res)

    def table_has_equalities(self):
        return any(a != i for i, a in enumerate(self.table.alias))

    def _check_information(self, H, params=None, keep=None):
        if diagnostics.information_is_singular(self, H, keep):  # says what is degenerate
            warn_user(diagnostics.singular_information_message(self, params, H),
                      EstimationWarning)
            return False
        return True
