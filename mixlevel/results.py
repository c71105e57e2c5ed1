"""Results of a fitted :class:`~mixlevel.model.MixtureModel` (statsmodels style).

``params``, ``bse``, ``pvalues``, ``conf_int()``, ``t_test`` and friends come
from statsmodels' likelihood results; the covariance is MLR (White's sandwich
with per-cluster scores, the Mplus default) or ML (inverse observed
information).  Mixture-specific pieces: class proportions, posterior class
probabilities, entropy, the table of random starts.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import statsmodels.base.wrapper as wrap
from statsmodels.base.model import (
    GenericLikelihoodModelResults,
    LikelihoodModelResults,
    LikelihoodResultsWrapper,
)
from statsmodels.iolib.summary import Summary

__all__ = ["MixtureResults", "MixtureResultsWrapper"]


def sandwich(hessian, scores):
    """MLR covariance H^-1 (sum_j s_j s_j') H^-1 (White 1980) and the ML one."""
    info = -hessian
    try:
        inv = np.linalg.inv(info)
    except np.linalg.LinAlgError:
        inv = np.linalg.pinv(info)
    meat = scores.T @ scores
    return inv @ meat @ inv, inv


class MixtureResults(GenericLikelihoodModelResults):
    """Fitted two-level mixture model."""

    @classmethod
    def from_fit(cls, model, params, outcome, start_table, cov_type="MLR"):
        H = model.hessian(params)
        ok = model._check_information(H)
        scores = model.score_obs(params)
        cov_mlr, cov_ml = sandwich(H, scores)
        if cov_type.upper() == "MLR":
            cov = cov_mlr
        elif cov_type.upper() == "ML":
            cov = cov_ml
        else:
            raise ValueError("cov_type must be 'MLR' or 'ML'")
        mlefit = LikelihoodModelResults(model, params, normalized_cov_params=cov, scale=1.0)
        mlefit.mle_retvals = {"converged": outcome.converged, "iterations":
                              outcome.n_em + outcome.n_qn, "em_iterations": outcome.n_em}
        mlefit.mle_settings = {"optimizer": "EM + BFGS"}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            res = cls(model, mlefit)
        res.nobs = model.nobs
        res.n_clusters = model.n_clusters
        res.cov_type = cov_type.upper()
        res.cov_params_ml = cov_ml
        res.cov_params_mlr = cov_mlr
        res.hessian_ok = ok
        res.converged = outcome.converged
        res.start_table = pd.DataFrame(start_table)
        res._estep = model.engine.estep(model._work(params))
        return res

    # -- fit statistics ----------------------------------------------------------------
    @property
    def llf(self):
        return self._estep.loglike

    @property
    def k_params(self):
        return len(self.params)

    @property
    def aic(self):
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
        if self.start_table.empty:
            return None
        best = self.start_table["loglike"].max()
        return int((np.abs(self.start_table["loglike"] - best)
                    <= 1e-6 * (1 + abs(best))).sum())

    # -- classes -----------------------------------------------------------------------
    def posterior_patterns(self):
        """P(between pattern d, within pattern c | data) per row, shape (N, D, C)."""
        eng = self.model.engine
        es = self._estep
        N = self.model.design.n_rows
        G, H = es.post_dg.shape[2], eng.zh.shape[0]
        rp = es.rowpost.reshape(N, eng.D, G, eng.C, H).sum(axis=4)
        pdg = es.post_dg[eng.cluster_of_row]  # (N, D, G)
        return np.einsum("ndg,ndgc->ndc", pdg, rp)

    def posterior(self, variable=None):
        """Posterior class probabilities per row (in the data's row order) as a DataFrame."""
        spec = self.model.spec
        joint = self.posterior_patterns()
        N = joint.shape[0]
        flat = joint.reshape(N, -1)
        pats = spec.patterns()
        out = {}
        for cv in spec.classes:
            if variable is not None and cv.name != variable:
                continue
            for k in range(cv.n_classes):
                mask = np.array([p[cv.name] == k for p in pats])
                out[f"{cv.name}={k + 1}"] = flat[:, mask].sum(axis=1)
        frame = pd.DataFrame(out)
        inv = np.empty_like(self.model.design.order)
        inv[self.model.design.order] = np.arange(N)
        frame = frame.iloc[inv].reset_index(drop=True)
        frame.index = self.model.design.index[inv] if self.model.design.index is not None \
            else frame.index
        return frame

    @property
    def class_proportions(self):
        """Estimated class proportions per class variable (posterior-weighted)."""
        post = self.posterior()
        w = self.model.design.row_weight * self.model.design.cluster_weight[
            self.model.engine.cluster_of_row]
        inv = np.empty_like(self.model.design.order)
        inv[self.model.design.order] = np.arange(len(w))
        w = w[inv]
        return (post.mul(w, axis=0).sum() / w.sum()).rename("proportion")

    @property
    def entropy(self):
        """Relative entropy of the within-pattern classification (1 = perfect)."""
        joint = self.posterior_patterns().reshape(self.posterior_patterns().shape[0], -1)
        K = joint.shape[1]
        if K < 2:
            return np.nan
        w = self.model.design.row_weight * self.model.design.cluster_weight[
            self.model.engine.cluster_of_row]
        p = np.clip(joint, 1e-300, 1)
        ent = -(w[:, None] * p * np.log(p)).sum()
        return float(1 - ent / (w.sum() * np.log(K)))

    # -- output ------------------------------------------------------------------------
    def summary(self, alpha=0.05, title=None):
        """A statsmodels Summary: model and fit, then parameters by kind."""
        model = self.model
        spec = model.spec
        eng = model.engine
        smry = Summary()
        classes = ", ".join(f"{c.name}: {c.n_classes} ({c.level})" for c in spec.classes) \
            or "none"
        integ = (f"{eng.integration}{' adaptive' if eng.adaptive else ''}, "
                 f"{eng.n_points} points" if eng.dims_b or eng.dims_w else "none")
        left = [("Outcomes:", [", ".join(spec.outcome_names)[:40]]),
                ("Families:", [", ".join(sorted({o.family.name for o in spec.outcomes}))]),
                ("Class variables:", [classes[:40]]),
                ("Integration:", [integ]),
                ("Rows:", [f"{model.nobs:g}"]),
                ("Clusters:", [f"{model.n_clusters:g}"])]
        right = [("Log-likelihood:", [f"{self.llf:.4f}"]),
                 ("Parameters:", [f"{self.k_params}"]),
                 ("AIC:", [f"{self.aic:.3f}"]),
                 ("BIC:", [f"{self.bic:.3f}"]),
                 ("aBIC:", [f"{self.abic:.3f}"]),
                 ("SE:", [self.cov_type])]
        smry.add_table_2cols(self, gleft=left, gright=right,
                             title=title or "Multilevel mixture model results")
        smry.add_table_params(self, alpha=alpha, use_t=False)
        notes = []
        if not self.converged:
            notes.append("The optimiser did not converge.")
        if not self.hessian_ok:
            notes.append("The information matrix is singular: standard errors unreliable.")
        rep = self.best_loglike_replicated
        if rep is not None:
            notes.append(f"Best log-likelihood reached by {rep} of "
                         f"{len(self.start_table)} final-stage starts.")
            if rep < 2:
                notes.append("The best log-likelihood was not replicated; use more starts.")
        if notes:
            smry.add_extra_txt(notes)
        return smry


class MixtureResultsWrapper(LikelihoodResultsWrapper):
    pass


wrap.populate_wrapper(MixtureResultsWrapper, MixtureResults)
