"""Predictions with standard errors and intervals (statsmodels' ``get_prediction``).

:meth:`PredictionMixin.get_prediction` evaluates :meth:`predict` as a
function of the parameters and propagates the covariance of the estimates by
the delta method (a central-difference Jacobian on the working scale).
Intervals of probabilities are computed on the logit scale and those of
log-link means on the log scale, then transformed back, so they stay in the
outcome's range; linear predictors and normal means get symmetric intervals.
The random effects and classes of a conditional prediction are treated as
known given the parameters (their posterior is recomputed at each parameter
value, but its own sampling error is not added: lme4's ``predict(se.fit=)``
convention for the fixed part).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from .implied import logit_interval

__all__ = ["PredictionMixin", "MixturePrediction"]


class MixturePrediction:
    """Predicted values with delta-method standard errors.

    Attributes
    ----------
    predicted : pandas.DataFrame
        One column per predicted value (as :meth:`MixtureResults.predict`).
    se : pandas.DataFrame
        Their standard errors.
    scales : list of str
        Per column, the scale of its interval: "logit", "log" or "linear".
    """

    def __init__(self, predicted, se, scales, alpha=0.05):
        self.predicted, self.se, self.scales, self.alpha = predicted, se, list(scales), alpha

    @staticmethod
    def _squeeze(frame):
        return frame.iloc[:, 0] if frame.shape[1] == 1 else frame

    @property
    def predicted_mean(self):
        """The predictions (a Series for one column, as statsmodels)."""
        return self._squeeze(self.predicted)

    @property
    def se_mean(self):
        """Their standard errors."""
        return self._squeeze(self.se)

    def _bounds(self, alpha):
        q = stats.norm.ppf(1 - alpha / 2)
        lo = pd.DataFrame(np.nan, index=self.predicted.index, columns=self.predicted.columns)
        hi = lo.copy()
        for k, scale in enumerate(self.scales):
            m = self.predicted.iloc[:, k].to_numpy(float)
            s = self.se.iloc[:, k].to_numpy(float)
            if scale == "logit":
                a, b = logit_interval(m, s, q)
            elif scale == "log":
                with np.errstate(divide="ignore", invalid="ignore"):
                    half = q * s / m
                a, b = m * np.exp(-half), m * np.exp(half)
            else:
                a, b = m - q * s, m + q * s
            lo.iloc[:, k], hi.iloc[:, k] = a, b
        return lo, hi

    def conf_int(self, alpha=None):
        """Intervals: an (n, 2) array for one predicted column, else a DataFrame with
        columns ``(value, "lower")`` and ``(value, "upper")``."""
        lo, hi = self._bounds(self.alpha if alpha is None else alpha)
        if lo.shape[1] == 1:
            return np.column_stack([lo.iloc[:, 0], hi.iloc[:, 0]])
        parts = {}
        for col in lo.columns:
            parts[(col, "lower")] = lo[col]
            parts[(col, "upper")] = hi[col]
        return pd.DataFrame(parts)

    def summary_frame(self, alpha=None):
        """``mean``, ``mean_se``, ``mean_ci_lower``, ``mean_ci_upper`` (statsmodels' names);
        for several predicted columns one block of these per column."""
        lo, hi = self._bounds(self.alpha if alpha is None else alpha)
        blocks = {}
        for col in self.predicted.columns:
            blocks[col] = pd.DataFrame({"mean": self.predicted[col], "mean_se": self.se[col],
                                        "mean_ci_lower": lo[col], "mean_ci_upper": hi[col]})
        if len(blocks) == 1:
            return next(iter(blocks.values()))
        return pd.concat(blocks, axis=1)


class PredictionMixin:
    """:meth:`get_prediction`."""

    def get_prediction(self, newdata=None, which="mean", conditional=False, alpha=0.05,
                       new_levels="population", effects="mean"):
        """Predictions with delta-method standard errors and intervals.

        Parameters
        ----------
        newdata, conditional, new_levels, effects
            As :meth:`predict`.
        which : {"mean", "linear", "prob", "class"}
            "mean": expected outcomes; "linear": the linear predictor of each
            one-channel outcome (models without class variables: ``x'b`` at
            random effects 0, or ``x'b + z'u`` at the posterior modes with
            ``conditional=True, effects="mode"``, lme4's ``type="link"``);
            "prob": class probabilities; "class": expected outcomes within
            each joint class pattern.
        alpha : float
            Default level of :meth:`MixturePrediction.conf_int`.

        Returns
        -------
        MixturePrediction
            ``predicted_mean``, ``se_mean``, ``conf_int()``, ``summary_frame()``.
        """
        if which not in ("mean", "linear", "prob", "class"):
            raise ValueError("which must be 'mean', 'linear', 'prob' or 'class'")
        outcomes = self._outcome_layout()
        if which == "linear":
            if self.model.spec.classes:
                raise ValueError("which='linear' is for models without class variables; use "
                                 "which='class' for the expected outcomes within each class")
            if any(o.family.n_channels(self.model.layout.n_categories[o.name]) != 1
                   for _, o, _ in outcomes):
                raise ValueError("which='linear' needs outcomes with one linear predictor; "
                                 "ordinal and nominal outcomes have one per category")
            if conditional and effects != "mode":
                raise ValueError("the conditional linear predictor uses the posterior modes "
                                 "of the random effects: pass effects='mode'")
        eng, _es, inv, pos = self._prediction_setup(newdata, conditional, new_levels, effects)
        kind = "mean" if which in ("mean", "linear") else ("prob" if which == "prob"
                                                           else "class")
        zero = which == "linear" and not conditional and eng.kl.qb + eng.kl.qw > 0

        def values(w):
            if zero:
                with eng.at_zero_nodes():
                    es = eng.estep(w)
            else:
                es = eng.estep(w)
            frame = self._frame_from(kind, eng, es, inv, pos, newdata)
            if which == "linear":
                for k, (_, o, _) in enumerate(outcomes):
                    frame.iloc[:, k] = o.family.link_function(frame.iloc[:, k].to_numpy())
            return frame

        est = values(self.model._work(self.params))
        _, jac = self._jacobian_working(lambda w: values(w).to_numpy().ravel())
        cov = self._delta_cov()
        var = np.einsum("ij,jk,ik->i", jac, cov, jac)
        se = pd.DataFrame(np.sqrt(np.clip(var, 0, None)).reshape(est.shape), index=est.index,
                          columns=est.columns)
        if which == "linear":
            scales = ["linear"] * est.shape[1]
        elif which == "prob":
            scales = ["logit"] * est.shape[1]
        else:
            per_value = [_scale_of(o) for _, o, _ in outcomes]
            scales = per_value * (est.shape[1] // len(per_value))
        return MixturePrediction(est, se, scales, alpha)


def _scale_of(outcome):
    fam = outcome.family
    if fam.mean_scale == "probability":
        return "logit"
    return "log" if getattr(fam, "link", None) == "log" else "linear"
