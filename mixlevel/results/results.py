"""Results of a fitted :class:`~mixlevel.model.MixtureModel` (statsmodels style).

``params``, ``bse``, ``pvalues``, ``conf_int()``, ``cov_params()``, ``t_test``,
``wald_test``, ``f_test``, ``save`` / ``load`` and ``remove_data`` come from
statsmodels' likelihood results (constraints may be written with mixlevel's
parameter names, brackets and all).  The covariance of the estimates is MLR
(the cluster sandwich, the Mplus default), ML (inverse observed information),
MLF (outer product of the cluster scores) or cluster-robust over a higher
grouping level (:mod:`.covtypes`).

What mixture users read besides the parameters:

* fit: log-likelihood, AIC, BIC, sample-size adjusted BIC, entropy, how many
  random starts reached the best log-likelihood (:attr:`start_table`);
* classes: proportions implied by the model, from the posterior probabilities
  and from the modal classes, per class variable and per joint pattern
  (:meth:`class_proportions_table`), posterior probabilities and modal classes
  per row and cluster, the classification table, transition tables;
* outcomes by class (:attr:`profiles`) and predictions for new data
  (:meth:`predict`), with delta-method standard errors;
* empirical Bayes random effects per cluster (:meth:`random_effects`);
* a statsmodels :meth:`summary` organised the way mixture users read, and the
  whole result as a dictionary, JSON or a long DataFrame.

Model-implied quantities ("model" proportions, profiles, transitions,
marginal predictions) average the model's probabilities over the rows' own
covariates and integrate the random effects over their distribution: for a
model without covariates and random effects they are plain functions of the
parameters (e.g. the inverse logit of an item's class intercept).  Proportions
of a *between* class variable are per cluster; all others are per row.

The class is assembled from one mixin per topic: :mod:`.classes` (posterior
probabilities, modal classes, proportions, classification, entropy),
:mod:`.implied` (profiles, transitions and implied proportions with their
delta-method SEs), :mod:`.predict` (prediction, random effects),
:mod:`.summary`, :mod:`.export`, :mod:`.persistence` (pickle, ``save``,
``remove_data``), :mod:`.plots` (the ``plot_*`` methods), :mod:`.parameters`
(parameter metadata) and :mod:`.engines` (engines on new design columns).
This module holds construction, the covariance of the estimates (computed on
first use), bookkeeping, fit statistics, tests on parameter names and the
delta method.
"""

from __future__ import annotations

import re
import warnings

import numpy as np
import pandas as pd
import statsmodels.base.wrapper as wrap
from scipy import stats
from statsmodels.base.model import (
    GenericLikelihoodModelResults,
    LikelihoodModelResults,
    LikelihoodResultsWrapper,
)

from ..errors import EstimationWarning
from ..spec.transforms import working_jacobian
from ..utils.warn import warn_user
from .bootstrap import BootstrapMixin
from .classes import ClassesMixin
from .covtypes import CovarianceMixin
from .engines import EngineMixin
from .export import ExportMixin
from .implied import ImpliedMixin
from .parameters import ParametersMixin
from .persistence import PersistenceMixin, save_pickle
from .plots import PlotMixin
from .predict import PredictMixin
from .prediction import PredictionMixin
from .profile import ProfileMixin
from .protocol import ProtocolMixin
from .summary import MixtureSummary, SummaryMixin
from .varcomp import VarCompMixin

__all__ = ["MixtureResults", "MixtureResultsWrapper", "MixtureSummary"]


class MixtureResults(CovarianceMixin, ProfileMixin, ProtocolMixin, VarCompMixin, ClassesMixin,
                     ImpliedMixin, PredictMixin, PredictionMixin, EngineMixin, SummaryMixin,
                     ExportMixin, PersistenceMixin, PlotMixin, ParametersMixin,
                     BootstrapMixin, GenericLikelihoodModelResults):
    """Fitted two-level mixture model.

    Built by :meth:`MixtureModel.fit`; see the module docstring for what it
    holds.  All tables are pandas objects; rows are in the order of the data
    given to the model (rows dropped for missing covariates are left out),
    clusters in sorted order of their labels.
    """

    # -- construction ------------------------------------------------------------------
    @classmethod
    def from_fit(cls, model, params, outcome, start_table, cov_type="MLR",
                 integration_check=None, cov_kwds=None, estep=None):
        """Results at ``params`` (natural scale) after an optimisation ``outcome``.

        Parameters
        ----------
        model : MixtureModel
        params : ndarray
            Free parameters on the natural scale.
        outcome : FitOutcome
            The best run (convergence, iterations).
        start_table : list of dict or DataFrame
            One row per random start (empty without random starts).
        cov_type : {"MLR", "ML", "MLF", "cluster"}
            The covariance of the estimates (:mod:`.covtypes`).
        integration_check : IntegrationCheck, optional
            The fit re-evaluated with a finer integration rule.
        cov_kwds : dict, optional
            ``{"groups": column, "use_correction": bool}`` for ``cov_type="cluster"``.
        estep : EStep, optional
            The E-step at the working vector ``params`` came from, on the
            engine's current nodes (the fit's last); computed when not given.

        Returns
        -------
        MixtureResults
        """
        # the covariance is computed on first use (see normalized_cov_params): the
        # observed information costs 2k score evaluations, more than many fits
        mlefit = LikelihoodModelResults(model, params, normalized_cov_params=None, scale=1.0)
        mlefit.mle_retvals = {"converged": outcome.converged, "iterations":
                              outcome.n_em + outcome.n_qn, "em_iterations": outcome.n_em}
        mlefit.mle_settings = {"optimizer": "EM + BFGS"}
        if getattr(model.engine, "is_chain", False):  # no joint class patterns
            from .chain import ChainMixtureResults

            cls = ChainMixtureResults
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            res = cls(model, mlefit)
        res.nobs = model.nobs
        res.n_clusters = model.n_clusters
        # as statsmodels: parameters beyond the intercept-only (independence) model
        res.df_model = res.k_params - res.k_null
        res.df_resid = res.nobs - res.k_params
        res._information = None
        res._cluster_weight = np.array(model.design.cluster_weight, float, copy=True)
        res._set_cov_type(cov_type, cov_kwds)
        res.converged = bool(outcome.converged)
        res.iterations = int(outcome.n_em + outcome.n_qn)
        res.em_iterations = int(outcome.n_em)
        res.start_table = pd.DataFrame(start_table)
        res.integration_check = integration_check
        eng = model.engine
        res._estep = estep if estep is not None else eng.estep(model._work(params))
        res._llf = float(res._estep.loglike)
        res._nodes = eng.nodes  # immutable: the E-step's node state
        d = model.design
        res._meta = {
            "single_level": bool(d.single_level),
            "n_categories": dict(d.n_categories),
            "levels": {k: np.asarray(v) for k, v in d.levels.items()},
            "cluster": model.cluster,
            "cluster_sizes": np.diff(d.indptr),
            "n_rows": int(d.n_rows),
        }
        res._store = {}
        rep = res.best_loglike_replicated
        if rep == 1 and res._final_starts().shape[0] > 1:
            warn_user(
                "the best log-likelihood was reached by only one of "
                f"{res._final_starts().shape[0]} final-stage starts: it may be a local "
                "maximum; use more random starts (starts=(n_initial, n_final))",
                EstimationWarning)
        return res

    # -- bookkeeping -------------------------------------------------------------------
    def _cached(self, key, fn):
        store = self.__dict__.setdefault("_store", {})
        if key not in store:
            store[key] = fn()
        return store[key]

    def _need_data(self, what):
        if getattr(self, "_estep", None) is None:
            raise RuntimeError(
                f"{what} needs the data, which remove_data() removed; compute it before "
                "calling remove_data(), or refit")

    @property
    def _patterns(self):
        """Joint class patterns in kernel order d*C + c: list of dicts (between first)."""
        return self.model.spec.patterns()

    @property
    def _class_order(self):
        spec = self.model.spec
        return [c.name for c in spec.between_classes + spec.within_classes]

    def _class_var(self, name):
        return self.model.spec.class_var(name)

    def _row_weights(self):
        d = self.model.design
        return d.row_weight * d.cluster_weight[d.cluster_of_row]

    def _inverse_order(self):
        order = self.model.design.order
        inv = np.empty_like(order)
        inv[order] = np.arange(len(order))
        return inv

    def _data_index(self):
        d = self.model.design
        inv = self._inverse_order()
        return d.index[inv] if d.index is not None else pd.RangeIndex(len(inv))

    def _cluster_index(self):
        d = self.model.design
        name = self.model.cluster if self.model.cluster is not None else None
        return pd.Index(d.cluster_labels, name=name)

    def _final_starts(self):
        st = self.start_table
        if st.empty:
            return st
        if "stage" in st.columns:
            return st[st["stage"] == "final"]
        return st

    # -- fit statistics ----------------------------------------------------------------
    @property
    def llf(self):
        """Log-likelihood at the estimates (frequency-weighted, data constants included)."""
        return self._llf

    @property
    def integration_error(self):
        """Log-likelihood change when the fit is re-evaluated with a finer integration rule.

        0.0 when nothing is integrated numerically (no continuous latent
        variables, or the exact normal likelihood); see :attr:`integration_check`
        for the finer rule and how far the estimates would move.
        """
        check = getattr(self, "integration_check", None)
        return 0.0 if check is None else check.difference

    @property
    def k_params(self):
        """Number of free parameters."""
        return len(self.params)

    @property
    def df_modelwc(self):
        return self.k_params

    @property
    def aic(self):
        """AIC = -2 LL + 2 k."""
        return -2 * self.llf + 2 * self.k_params

    @property
    def bic(self):
        """BIC with n = number of rows (as Mplus for two-level models)."""
        return -2 * self.llf + np.log(self.nobs) * self.k_params

    @property
    def abic(self):
        """Sample-size adjusted BIC, n* = (n + 2) / 24 (Sclove 1987)."""
        return -2 * self.llf + np.log((self.nobs + 2) / 24) * self.k_params

    @property
    def best_loglike_replicated(self):
        """How many final-stage starts reached the best log-likelihood (to 1e-6 rel.)."""
        st = self._final_starts()
        if st.empty:
            return None
        ll = st["loglike"].astype(float)
        best = ll.max()
        return int((np.abs(ll - best) <= 1e-6 * (1 + abs(best))).sum())

    # -- tests on parameter names ------------------------------------------------------
    def _constraints(self, r_matrix):
        """Translate constraint text written with parameter names into (R, q)."""
        texts = None
        if isinstance(r_matrix, str):
            texts = r_matrix
        elif isinstance(r_matrix, (list, tuple)) and r_matrix and all(
                isinstance(s, str) for s in r_matrix):
            texts = ", ".join(r_matrix)
        if texts is None:
            return r_matrix
        from statsmodels.formula._manager import FormulaManager

        names = list(self.model.param_names)
        alias = {n: f"mlpar{i}x" for i, n in enumerate(names)}
        pattern = re.compile("|".join(re.escape(n) for n in sorted(names, key=len,
                                                                     reverse=True)))
        text = pattern.sub(lambda m: alias[m.group(0)], texts)
        lc = FormulaManager().get_linear_constraints(text, [alias[n] for n in names])
        return lc.constraint_matrix, lc.constraint_values

    def t_test(self, r_matrix, cov_p=None, use_t=None):
        """Wald t (z) tests of linear constraints.

        ``r_matrix`` may be text using the parameter names, e.g.
        ``"u1~1[c=1] - u1~1[c=2] = 0"``, a list of such strings, an array or a
        tuple ``(R, q)``; see :meth:`statsmodels.base.model.LikelihoodModelResults.t_test`.
        """
        return super().t_test(self._constraints(r_matrix), cov_p=cov_p, use_t=use_t)

    def wald_test(self, r_matrix, cov_p=None, invcov=None, use_f=None, df_constraints=None,
                  scalar=True):
        """Joint Wald test; constraints may use parameter names (see :meth:`t_test`)."""
        return super().wald_test(self._constraints(r_matrix), cov_p=cov_p, invcov=invcov,
                                 use_f=use_f, df_constraints=df_constraints, scalar=scalar)

    def f_test(self, r_matrix, cov_p=None, invcov=None):
        """F test of joint constraints; constraints may use parameter names."""
        return self.wald_test(r_matrix, cov_p=cov_p, invcov=invcov, use_f=True)

    # -- delta method ------------------------------------------------------------------
    def _jacobian_working(self, fw, rel_step=1e-5):
        """Central-difference Jacobian of ``fw(free working vector)`` at the estimates,
        mapped to the natural scale."""
        tab = self.model.table
        p = np.asarray(self.params, float)
        w0 = tab.free_working_from_natural(p)
        f0 = np.asarray(fw(w0), float)
        k = len(w0)
        jw = np.zeros((f0.size, k))
        for j in range(k):
            h = rel_step * max(1.0, abs(w0[j]))
            wp, wm = w0.copy(), w0.copy()
            wp[j] += h
            wm[j] -= h
            jw[:, j] = (np.ravel(fw(wp)) - np.ravel(fw(wm))) / (2 * h)
        dnat = np.zeros((k, k))  # d natural / d working, block diagonal
        pos = 0
        for gi in tab.free_groups:
            g = tab.groups[gi]
            s = slice(pos, pos + g.size)
            dnat[s, s] = working_jacobian(g.kind, w0[s])
            pos += g.size
        try:
            jn = np.linalg.solve(dnat.T, jw.T).T
        except np.linalg.LinAlgError:
            jn = jw @ np.linalg.pinv(dnat)
        return f0.ravel(), jn

    def delta_method(self, func, names=None, alpha=0.05):
        """Estimates and delta-method standard errors of ``func(params)``.

        Parameters
        ----------
        func : callable
            Takes the free parameters (natural scale, a pandas Series with the
            parameter names) and returns a scalar or 1-d array.
        names : list of str, optional
            Names of the outputs.
        alpha : float
            Level of the (normal) confidence intervals.

        Returns
        -------
        pandas.DataFrame
            estimate, se, z, pvalue, lower, upper.

        Notes
        -----
        The Jacobian is a central difference on the working scale (log
        variances, Cholesky factors), so no step leaves the parameter space,
        mapped to the natural scale by the chain rule; the covariance is the
        results' (MLR or ML).
        """
        tab = self.model.table
        pnames = list(self.model.param_names)

        def fw(w):
            return np.atleast_1d(np.asarray(func(pd.Series(tab.free_natural_from_working(w),
                                                               index=pnames)), float))
        est, jac = self._jacobian_working(fw)
        cov = jac @ self._delta_cov() @ jac.T
        return self._inference_frame(est, np.sqrt(np.clip(np.diag(cov), 0, None)), names,
                                     alpha)

    @staticmethod
    def _inference_frame(est, se, names, alpha=0.05, index_name=None):
        q = stats.norm.ppf(1 - alpha / 2)
        with np.errstate(divide="ignore", invalid="ignore"):
            z = est / se
        frame = pd.DataFrame({"estimate": est, "se": se, "z": z,
                              "pvalue": 2 * stats.norm.sf(np.abs(z)),
                              "lower": est - q * se, "upper": est + q * se},
                             index=names)
        if index_name:
            frame.index.name = index_name
        return frame


class MixtureResultsWrapper(LikelihoodResultsWrapper):
    def save(self, fname, remove_data=False):
        """Pickle the result (with its labels) to ``fname``; see :meth:`MixtureResults.save`."""
        if remove_data:
            self.remove_data()
        save_pickle(self, fname)


wrap.populate_wrapper(MixtureResultsWrapper, MixtureResults)
