"""The statsmodels model class of mixlevel.

:class:`MixtureModel` is a :class:`statsmodels.base.model.GenericLikelihoodModel`
whose ``loglike``, ``loglikeobs`` (one value per cluster), ``score``,
``score_obs`` and ``hessian`` come from the compiled engine.  Parameters are
on the natural scale (coefficients, logits, variances, covariances,
thresholds); the optimiser works on the Cholesky / log working scale.
"""

from __future__ import annotations

import contextlib
import functools
import warnings

import numpy as np
import pandas as pd
from statsmodels.base.model import GenericLikelihoodModel
from threadpoolctl import ThreadpoolController

from . import estimation
from .data import build_design
from .engine import Engine
from .errors import ConvergenceWarning, EstimationWarning, SpecificationError
from .spec import ParamTable, to_working

__all__ = ["MixtureModel"]


@functools.lru_cache(maxsize=1)
def _blas_controller():
    """threadpoolctl's view of the loaded libraries, made once (a scan costs ~6 ms a fit)."""
    return ThreadpoolController()


class MixtureModel(GenericLikelihoodModel):
    """A two-level mixture model fitted by maximum likelihood.

    Parameters
    ----------
    spec : ModelSpec
        The model (built by hand or by the formula layer); finalised here.
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
    integration : {"trapezoid", "gauss-hermite", "monte-carlo", "quasi-monte-carlo", "exact"}
        Default (None): the exact likelihood where all outcomes are normal and
        the latent variables enter linearly without within classes beside
        cluster random effects (:mod:`mixlevel.engine.gaussian`), otherwise
        "trapezoid".  Any integration option asks for quadrature.
    n_points : int
        Integration points per dimension (default 15, as Mplus's trapezoid).
    adaptive : bool
        Adaptive quadrature for the cluster-level latent variables.

    Notes
    -----
    ``nobs`` is the number of rows (frequency-weighted), and BIC uses it, as
    Mplus does for two-level models; ``n_clusters`` is reported alongside.
    ``loglikeobs`` returns one contribution per cluster (the independent units),
    so ``score_obs`` rows are cluster scores and the MLR sandwich is
    cluster-robust.
    """

    _formula_max_endog = None

    def __init__(self, spec, data, cluster=None, weights=None, columns=None, fix=None,
                 equal=None, integration=None, n_points=None, adaptive=False,
                 n_points_within=None, seed=0, num_threads=None, **kwargs):
        design = build_design(spec, data, columns=columns, cluster=cluster, weights=weights)
        spec.finalize(design.n_categories)
        table = ParamTable(spec.groups, fix=fix, equal=equal)
        self.spec, self.design, self.table = spec, design, table
        self.cluster = cluster
        self._engine_kw = dict(integration=integration, n_points=n_points, adaptive=adaptive,
                               n_points_within=n_points_within, seed=seed,
                               num_threads=num_threads)
        self.engine = Engine(spec, design, table, **self._engine_kw)
        # the rule the engine chose ("exact" for normal models without options)
        self._engine_kw.update(integration=self.engine.integration,
                               n_points=self.engine.n_points)
        endog = pd.DataFrame(design.y, columns=spec.outcome_names)  # pandas: labelled results
        super().__init__(endog, None, missing="none", **kwargs)
        self.data.param_names = list(table.free_names)
        self.k_constant = 0
        self.k_extra = 0
        self.nparams = table.n_free
        self.df_model = table.n_free
        self.nobs = float(design.cluster_weight @ np.diff(design.indptr)
                          if design.single_level else design.row_weight.sum())
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
        return Engine(self.spec, self.design, self.table, **self._engine_kw)

    def _base_start(self, engine=None):
        """Single-class-like start: one M-step from uniform posterior weights.

        Random-effect covariances are not taken from that M-step (with the
        nodes' prior weights it would shrink them to zero, a saddle point);
        they start at a quarter of the residual variance of the normal
        outcomes they enter (per unit of their covariate), 1 otherwise.
        """
        eng = engine or self.engine
        tab = self.table
        w0 = tab.free_working_from_natural(tab.natural_full()[tab.free_index])
        # normal models without classes: that GLM is least squares (engine/gaussian.py)
        w = eng.exact.least_squares_start(eng, w0) if eng.exact is not None else None
        with eng.at_zero_nodes():  # latent variables at their mean: a GLM per equation
            es = eng.estep(w0)
            es.post_dg[:] = 1.0 / eng.D
            es.rowpost[:] = 1.0 / eng.C
            w = estimation.m_step(eng, w0, es, maxiter=100) if w is None else w
        free_pos = {full: k for k, full in enumerate(tab.free_index)}
        for _t, _, latent, slots in self.spec.term_slots:  # loadings start at 1, not 0
            if latent is None or latent[0].covariance != "identity":
                continue
            for slot in slots:
                if isinstance(slot, tuple) and tab.offsets[slot[0]] in free_pos:
                    w[free_pos[tab.offsets[slot[0]]]] = 1.0
        nat = tab.expand_natural(tab.free_natural_from_working(w))
        scale = self._latent_start_scale(nat)
        pos = 0
        for gi in tab.free_groups:
            g = tab.groups[gi]
            if g.kind == "covariance":
                q = tab._q(g)
                sd = np.array([scale.get(e, 1.0) for e in self._block_effects(g)])
                cov = np.diag(sd ** 2)[np.tril_indices(q)] if len(sd) == q else g.values
                w[pos:pos + g.size] = to_working("covariance", cov)
            pos += g.size
        return w

    def start_perturbation(self):
        """Standard deviations of the random-start perturbation (working scale).

        Class-specific coefficients and class logits are perturbed: by 1.5 on
        the logit scale, by the outcome's standard deviation (per unit of the
        covariate) for normal outcomes; other parameters keep the base start.
        """
        tab = self.table
        free_pos = {full: k for k, full in enumerate(tab.free_index)}
        scale = np.zeros(tab.n_free)
        names = self.spec.outcome_names
        for t, _, latent, slots in self.spec.term_slots:
            is_class = t.target in self.spec.class_names
            if latent is not None or not (t.by or is_class):
                continue
            sd = 1.5
            if not is_class:
                o = self.spec.outcomes[names.index(t.target)]
                if o.family.name == "normal":
                    y = self.design.y[:, names.index(t.target)]
                    x = self.design.columns[t.column]
                    sdx = x.std() if t.column != "1" and x.std() > 0 else 1.0
                    sd = np.nanstd(y) / sdx
            for slot in slots:
                if isinstance(slot, tuple) and slot[0] != "chol":
                    pos = free_pos.get(tab.offsets[slot[0]] + slot[1])
                    if pos is not None:
                        scale[pos] = sd
        return scale

    def _block_effects(self, group):
        for blk in self.spec.blocks:
            if group.names[0].startswith(f"Var({blk.effects[0]})"):
                return blk.effects
        return []

    def _latent_start_scale(self, nat):
        """Start SD of each random effect from the normal outcomes it enters."""
        scale = {}
        tab = self.table
        for t in self.spec.terms:
            if t.latent is None or t.target not in self.spec.outcome_names:
                continue
            o = self.spec.outcomes[self.spec.outcome_names.index(t.target)]
            if o.family.name != "normal":
                continue
            var = [nat[tab.index[n]] for n in tab.names if n.startswith(f"Var({o.name})")]
            x = self.design.columns[t.column]
            sdx = x.std() if t.column != "1" and x.std() > 0 else 1.0
            scale[t.latent] = 0.5 * np.sqrt(max(np.mean(var), 1e-8)) / sdx
        return scale

    @property
    def start_params(self):
        w = self._base_start()
        return self.table.free_natural_from_working(w)

    # -- likelihood interface (natural scale) ------------------------------------------------
    def _work(self, params):
        return self.table.free_working_from_natural(np.asarray(params, float))

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
        params = np.asarray(params, float)
        k = len(params)
        H = np.zeros((k, k))
        kinds = self._kinds()
        for j in range(k):
            h = 1e-5 * max(abs(params[j]), 1.0)
            if kinds[j] in ("variance",) and params[j] > 0:
                h = min(h, 0.5 * params[j])
            e = np.zeros(k)
            e[j] = h
            H[:, j] = (self.score(params + e) - self.score(params - e)) / (2 * h)
        return 0.5 * (H + H.T)

    def _kinds(self):
        return [self.table.groups[int(np.searchsorted(self.table.offsets, i, "right") - 1)].kind
                for i in self.table.free_index]

    # -- new data ---------------------------------------------------------------------
    def design_columns(self, data):
        """Design columns of new data, ``{column name: array}``, for prediction.

        The hook through which :meth:`MixtureResults.predict` turns new rows
        into the columns the terms use.  This default takes each column of
        ``spec.columns()`` from ``data`` by name; a formula layer overrides it
        to re-apply its stored transforms (centring, dummy codes, ...).
        """
        compiled = getattr(self, "formula", None)
        if compiled is not None:
            return compiled.design_columns(data)
        out = {}
        for name in self.spec.columns():
            if name not in data.columns:
                raise SpecificationError(
                    f"column {name!r} is needed to predict but is not in the new data")
            out[name] = pd.to_numeric(data[name], errors="coerce").to_numpy(float)
        return out

    # -- fitting ----------------------------------------------------------------------
    def fit(self, start_params=None, starts=None, em_iter=None, maxiter=1000, gtol=1e-8,
            cov_type="MLR", seed=0, n_jobs=1, initial_iter=10, canonical=True, progress=None,
            reml=False, **kwargs):
        """Maximum likelihood by EM then BFGS, with random starts.

        Parameters
        ----------
        start_params : array, optional
            Natural-scale starting values (skips random starts).
        starts : (int, int), optional
            (initial sets, final optimisations) as Mplus STARTS; default (20, 4)
            when the model has class variables, none otherwise.
        em_iter, maxiter, gtol : EM iterations (default 50 for latent class models
            with closed-form M-steps, else 0: there quasi-Newton iterations make more
            progress per E-step), BFGS iterations, BFGS tolerance.
        cov_type : {"MLR", "ML"}
            Sandwich (default, as Mplus) or inverse observed information.  For
            normal models fitted exactly without class variables, "ML" gives
            the fixed effects' covariance (X'V^-1X)^-1 given the covariance
            parameters, as lme4, nlme and SAS (docs: "Normal outcomes: the exact
            likelihood").
        reml : bool
            Restricted maximum likelihood (as lme4 and MixedLM) instead of ML:
            one normal outcome, no class variables, exact likelihood (no
            integration options).  ``llf`` is then the REML criterion.
        seed : int
            Seed of the random starts (reproducible).
        n_jobs : int
            Parallel starts through joblib.
        canonical : bool
            Order classes by decreasing size so results do not depend on labels.
        progress : bool, optional
            Progress bar over the random starts; default: only on a terminal.

        Returns
        -------
        MixtureResultsWrapper
        """
        self._set_reml(reml)
        # BLAS threads are limited to one: fits make many small BLAS calls, and
        # OpenBLAS worker threads spinning between them starve the main thread on
        # small machines (16 s instead of 4 s for a 118-row LCA).  The kernel has
        # its own OpenMP threads.
        with _blas_controller().limit(limits=1, user_api="blas"):
            return self._fit(start_params, starts, em_iter, maxiter, gtol, cov_type, seed,
                             n_jobs, initial_iter, canonical, progress)

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

    def _fit(self, start_params, starts, em_iter, maxiter, gtol, cov_type, seed, n_jobs,
             initial_iter, canonical, progress=None):
        from .results import MixtureResults, MixtureResultsWrapper

        has_classes = bool(self.spec.classes) and any(
            c.n_classes > 1 for c in self.spec.classes)
        if em_iter is None:  # EM is cheap with closed-form M-steps; else BFGS does more
            em_iter = 50 if has_classes and self.engine.has_closed_form_m_step() else 0
        if start_params is not None:
            work = self._work(start_params)
            best = estimation.maximize(self.engine, work, em_iter, maxiter, gtol)
            start_table = []
        elif has_classes and (starts is None or starts[0] > 1):
            n_init, n_final = starts or (20, 4)
            base = self._base_start()
            from .utils.progress import progress_bar

            with progress_bar(n_init + min(n_final, n_init), "random starts",
                              progress) as bar:
                best, start_table = estimation.run_starts(
                    self.new_engine, base, n_init, min(n_final, n_init), seed,
                    initial_iter=initial_iter, n_jobs=n_jobs,
                    perturb_scale=self.start_perturbation(), em_iter=em_iter,
                    maxiter=maxiter, gtol=gtol, callback=lambda *_: bar.update(1))
            best = estimation.maximize(self.engine, best.work, 5, maxiter, gtol) \
                if self.engine.adaptive else best
        else:
            best = estimation.maximize(self.engine, self._base_start(), em_iter, maxiter, gtol)
            start_table = []
        if not best.converged and not start_table:  # run_starts warns for its own
            warnings.warn("the fit did not converge: the optimiser stopped before its "
                          "criteria were met; raise maxiter or check the model (a "
                          "parameter may be drifting to a boundary)", ConvergenceWarning,
                          stacklevel=3)
        work = best.work
        if canonical and has_classes and not self.table_has_equalities():
            work = estimation.canonical_order(self.engine, work, maxiter, gtol)
        params = self.table.free_natural_from_working(work)
        res = MixtureResults.from_fit(self, params, best, start_table, cov_type=cov_type)
        res.reml = self.reml  # the criterion of this fit; its covariance is computed later
        return MixtureResultsWrapper(res)

    def table_has_equalities(self):
        return any(a != i for i, a in enumerate(self.table.alias))

    def _check_information(self, H):
        try:
            eig = np.linalg.eigvalsh(-H)
        except np.linalg.LinAlgError:
            eig = np.array([np.nan])
        if not np.all(np.isfinite(eig)) or eig.min() <= 1e-10 * max(1.0, abs(eig).max()):
            warnings.warn(
                "the information matrix is singular or not positive definite: a parameter "
                "may be on its boundary or not identified; standard errors are unreliable",
                EstimationWarning, stacklevel=3)
            return False
        return True
