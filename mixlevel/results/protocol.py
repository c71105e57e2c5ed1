"""What statsmodels and lme4 users reach for after the parameters.

Fitted values and residuals, the null log-likelihood, Wald tests by formula
term, pairwise comparisons of a factor's levels and ``summary2``:

``fittedvalues``
    The expected outcomes of the estimation rows.  For two-level models they
    are given the data of the row's cluster (its random effects and between
    classes at their posterior, lme4's ``fitted`` and MixedLM's
    ``fittedvalues``); for single-level models they are the model's
    expectation given the covariates (statsmodels GLM's ``fittedvalues``).
``resid`` / ``resid_response``, ``resid_pearson``
    Observed minus fitted, on the scale of the fitted values (the share of
    successes for binomial outcomes, the indicator of each category for
    ordinal and nominal ones), and the same divided by the standard deviation
    implied by the fitted value (``sqrt(mu (1 - mu))``, ``sqrt(mu)``; for a
    normal outcome the residual SD, as lme4's Pearson residuals).
``llnull``
    The log-likelihood of the independence model: every outcome with its
    intercept(s) (and residual variance) only, no covariates, random effects
    or classes (statsmodels' ``llnull`` of a GLM with a constant).
    ``df_model`` counts the parameters beyond that model, so the likelihood
    ratio ``2 (llf - llnull)`` has ``df_model`` degrees of freedom.
"""

from __future__ import annotations

import re
from itertools import combinations

import numpy as np
import pandas as pd
from scipy import stats

__all__ = ["ProtocolMixin"]

_LEVEL = re.compile(r"\[(?:T\.)?([^\]]*)\]")


def _term_of(column):
    """The formula term of a design column: ``livch[T.2]`` -> ``livch``."""
    return _LEVEL.sub("", column)


class ProtocolMixin:
    """Fitted values, residuals, ``llnull``, tests by term, ``summary2``."""

    # -- fitted values and residuals ------------------------------------------------------
    def _fitted_frame(self):
        def compute():
            two_level = not self._meta["single_level"] and self._meta["cluster"] is not None
            return self.predict(conditional=two_level)
        return self._cached("fitted_frame", compute)

    @staticmethod
    def _squeeze(frame):
        return frame.iloc[:, 0] if frame.shape[1] == 1 else frame

    @property
    def fittedvalues(self):
        """Expected outcomes of the estimation rows (see the module docstring).

        A Series for a model of one outcome with one value column, else a
        DataFrame with one column per value (``y[level]`` for categories).
        """
        return self._squeeze(self._fitted_frame())

    def _observed_frame(self):
        self._need_data("residuals")
        d = self.model.design
        cols = []
        for p, o in enumerate(self.model.spec.outcomes):
            K = self.model.layout.n_categories[o.name]
            cols.append(o.family.observed_values(d.y[:, p], d.trials[:, p], K))
        values = np.hstack(cols)[self._inverse_order()]
        return pd.DataFrame(values, index=self._data_index(), columns=self._value_labels())

    @property
    def resid_response(self):
        """Observed minus fitted values (NaN where the outcome is missing)."""
        return self._squeeze(self._observed_frame() - self._fitted_frame())

    @property
    def resid(self):
        """Response residuals (as :attr:`resid_response`)."""
        return self.resid_response

    @property
    def resid_pearson(self):
        """Response residuals divided by the SD implied by the fitted value.

        ``sqrt(mu (1 - mu) / n)`` for binary and binomial outcomes and for the
        indicator of each category, ``sqrt(mu)`` for Poisson counts; for a
        normal outcome the residual SD (as lme4), which needs one residual
        variance for all classes.
        """
        fitted = self._fitted_frame()
        resid = self._observed_frame() - fitted
        d = self.model.design
        inv = self._inverse_order()
        params = pd.Series(np.asarray(self.params, float), index=self.model.param_names)
        out = resid.copy()
        col = 0
        for p, o in enumerate(self.model.spec.outcomes):
            K = self.model.layout.n_categories[o.name]
            width = len(o.family.value_categories(self._meta["levels"].get(o.name), K))
            mu = fitted.iloc[:, col:col + width].to_numpy()
            var = o.family.variance(mu, d.trials[inv, p][:, None])
            if var is None:
                var = np.full(mu.shape, self._residual_variance(o.name, params))
            out.iloc[:, col:col + width] = resid.iloc[:, col:col + width].to_numpy() / \
                np.sqrt(var)
            col += width
        return self._squeeze(out)

    def _residual_variance(self, outcome, params):
        info = self.parameter_info
        sel = [n for n in self.model.param_names if info.loc[n, "equation"] == outcome
               and info.loc[n, "kind"] == "variance"]
        if len(sel) != 1:
            raise NotImplementedError(
                f"Pearson residuals of {outcome!r} need one residual variance; it has "
                f"{len(sel)} (class-specific variances): use resid_response")
        return float(params[sel[0]])

    # -- the null model ------------------------------------------------------------------
    @property
    def llnull(self):
        """Log-likelihood of the independence model (intercepts only; see the module)."""
        def compute():
            self._need_data("llnull")
            d = self.model.design
            w = d.row_weight * d.cluster_weight[d.cluster_of_row]
            return sum(o.family.null_loglike(d.y[:, p], d.trials[:, p], w,
                                             self.model.layout.n_categories[o.name])
                       for p, o in enumerate(self.model.spec.outcomes))
        return self._cached("llnull", compute)

    @property
    def k_null(self):
        """Free parameters of the independence model (intercepts, thresholds, variances)."""
        total = 0
        for o in self.model.spec.outcomes:
            K = self.model.layout.n_categories[o.name]
            total += o.family.n_channels(K) + o.family.n_params(K)
        return total

    @property
    def llr(self):
        """Likelihood ratio statistic against the independence model, 2 (llf - llnull)."""
        return 2.0 * (self.llf - self.llnull)

    @property
    def llr_pvalue(self):
        """Chi-square p-value of :attr:`llr` on ``df_model`` degrees of freedom."""
        return float(stats.chi2.sf(self.llr, self.df_model))

    # -- tests by formula term -------------------------------------------------------------
    def _term_groups(self):
        """Coefficients grouped by (equation, formula term), in parameter order."""
        info = self.parameter_info
        groups = {}
        for i, n in enumerate(self.model.param_names):
            if info.loc[n, "kind"] != "coef" or info.loc[n, "section"] not in ("outcome",
                                                                              "class"):
                continue
            label = info.loc[n, "label"]
            eq, _, column = label.partition("~")
            column = re.sub(r"\[[a-zA-Z_][\w.]*=\d+\]$", "", column)  # a class suffix
            groups.setdefault((eq, _term_of(column)), []).append(i)
        return groups

    def wald_test_terms(self, skip_single=False):
        """Joint Wald chi-square test of every formula term, per equation.

        A term's coefficients in all classes are tested together (a factor's
        dummies, an interaction's columns).  Returns a DataFrame indexed by
        ``equation~term`` with ``chi2``, ``df_constraint`` and ``pvalue``
        (as the table of statsmodels' ``wald_test_terms``).
        """
        k = len(self.model.param_names)
        rows = {}
        for (eq, term), idx in self._term_groups().items():
            if skip_single and len(idx) == 1:
                continue
            R = np.zeros((len(idx), k))
            R[np.arange(len(idx)), idx] = 1.0
            w = self.wald_test(R, scalar=True)
            rows[f"{eq}~{term}"] = {"chi2": float(w.statistic), "df_constraint": len(idx),
                                    "pvalue": float(w.pvalue)}
        return pd.DataFrame.from_dict(rows, orient="index",
                                      columns=["chi2", "df_constraint", "pvalue"])

    def t_test_pairwise(self, term_name, equation=None, classes=None, method="hs",
                        alpha=0.05):
        """All pairwise differences between the levels of a factor.

        Parameters
        ----------
        term_name : str
            The factor's formula term, e.g. ``"livch"``; its first level is the
            reference (coefficient 0).
        equation : str, optional
            The outcome or class variable whose equation holds the term
            (needed when several do).
        classes : str, optional
            The class of a class-specific coefficient, e.g. ``"c=1"``.
        method : str
            Multiple-testing correction (:func:`statsmodels.stats.multitest.multipletests`).
        alpha : float

        Returns
        -------
        pandas.DataFrame
            One row per pair ``"b-a"``: coef, std err, z, P>|z|, the interval,
            and ``pvalue-<method>`` / ``reject-<method>`` (statsmodels'
            ``result_frame``).
        """
        from statsmodels.stats.multitest import multipletests

        info = self.parameter_info
        names = list(self.model.param_names)
        found = []
        for i, n in enumerate(names):
            if info.loc[n, "kind"] != "coef":
                continue
            eq, _, column = info.loc[n, "label"].partition("~")
            if _term_of(column) != term_name or "[" not in column:
                continue
            if equation is not None and eq != equation:
                continue
            if classes is not None and info.loc[n, "classes"] != classes:
                continue
            found.append((eq, info.loc[n, "classes"], i, _LEVEL.findall(column)[-1]))
        keys = {(eq, cl) for eq, cl, _, _ in found}
        if not found:
            raise ValueError(f"no factor term {term_name!r} among the coefficients; terms: "
                             f"{sorted({t for _, t in self._term_groups()})}")
        if len(keys) > 1:
            raise ValueError(f"the term {term_name!r} is in several equations or classes "
                             f"{sorted(keys)}: choose one with equation= and classes=")
        levels = ["reference"] + [lev for *_, lev in found]
        idx = [None] + [i for _, _, i, _ in found]
        ref = self._reference_level(term_name, levels[1:])
        levels[0] = ref
        k = len(names)
        R, labels = [], []
        for a, b in combinations(range(len(levels)), 2):
            r = np.zeros(k)
            r[idx[b]] = 1.0
            if idx[a] is not None:
                r[idx[a]] = -1.0
            R.append(r)
            labels.append(f"{levels[b]}-{levels[a]}")
        tt = self.t_test(np.array(R))
        frame = tt.summary_frame(alpha=alpha)
        frame.index = labels
        frame.columns = ["coef", "std err", "z", "P>|z|", "Conf. Int. Low",
                         "Conf. Int. Upp."]
        reject, padj, _, _ = multipletests(frame["P>|z|"].to_numpy(), alpha=alpha,
                                           method=method)
        frame[f"pvalue-{method}"] = padj
        frame[f"reject-{method}"] = reject
        return frame

    def _reference_level(self, term, others):
        """The omitted level of a factor (from the data if the model has it)."""
        compiled = getattr(self.model, "formula", None)
        data = getattr(compiled, "data", None)
        if data is not None and term in getattr(data, "columns", ()):
            levels = [str(v) for v in pd.unique(data[term].dropna())]
            rest = [v for v in sorted(levels) if v not in others]
            if len(rest) == 1:
                return rest[0]
        return "reference"

    # -- summary2 ----------------------------------------------------------------------
    def summary2(self, alpha=0.05, float_format="%.4f", title=None):
        """statsmodels' ``summary2`` layout: a dictionary of facts and one table.

        Returns
        -------
        statsmodels.iolib.summary2.Summary
        """
        from statsmodels.iolib import summary2

        smry = summary2.Summary()
        info = {"Model:": "Multilevel mixture", "Outcomes:": ", ".join(
                    self.model.spec.outcome_names),
                "No. observations:": f"{self.nobs:g}",
                "Clusters:": "-" if self._meta["single_level"] else f"{self.n_clusters:g}",
                "Log-likelihood:": f"{self.llf:.4f}", "AIC:": f"{self.aic:.4f}",
                "BIC:": f"{self.bic:.4f}", "Parameters:": f"{self.k_params}",
                "Converged:": "yes" if self.converged else "NO",
                "Covariance type:": self.cov_type}
        smry.add_dict(info)
        ci = np.asarray(self.conf_int(alpha))
        table = pd.DataFrame({"Coef.": np.asarray(self.params), "Std.Err.": np.asarray(self.bse),
                              "z": np.asarray(self.tvalues), "P>|z|": np.asarray(self.pvalues),
                              f"[{alpha / 2:g}": ci[:, 0], f"{1 - alpha / 2:g}]": ci[:, 1]},
                             index=list(self.model.param_names))
        smry.add_df(table, float_format=float_format)
        smry.add_title(title=title or "Results: multilevel mixture model")
        smry.add_text(self.cov_type_text())
        return smry
