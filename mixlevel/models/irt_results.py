"""Results of IRT models: item parameters in the IRT form with delta-method SEs.

mixlevel estimates the slope-intercept form ``logit P = a_j theta + d_j``
(plus ``logit(g_j)`` for the 3PL); :meth:`IRTResults.coef` adds the difficulty
``b_j = -d_j / a_j`` and the guessing probability ``g_j``, each with a
delta-method standard error from the results' ``cov_params()`` (mirt's
``coef(IRTpars = TRUE, printSE = TRUE)``).  The direction of ``theta`` is not
identified: the slopes are reported with a positive sum (per class for the
mixture 2PL, where each class has its own theta).
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
from scipy.special import expit

__all__ = ["IRTResults"]

G_BOUNDARY = 1e-4   # g_j below this: the guessing probability ran to its boundary 0


class IRTResults:
    """IRT quantities of a fitted :class:`~mixlevel.models.irt.ItemResponseModel`."""

    def __init__(self, res):
        self._res = res
        model = res.model
        self.items, self.model_type = list(model.items), model.irt_model
        self.n_classes = getattr(model, "n_irt_classes", 1)
        p = res.params
        self._sign = {}
        for k in self._classes():
            total = sum(p[self._names(it, k)[0]] for it in self.items)
            self._sign[k] = -1.0 if total < 0 else 1.0

    def _classes(self):
        return list(range(1, self.n_classes + 1)) if self.n_classes > 1 else [None]

    def _names(self, item, k=None):
        """Parameter names of an item's slope, intercept (and guessing logit) in class k."""
        if k is not None:
            return f"theta=~{item}[c={k}]", f"{item}~1[c={k}]", None
        if self.model_type == "3PL":
            return f"theta=~{item}[c=2]", f"{item}~1[c=2]", f"guess~{item}"
        if self.model_type in ("1PL", "Rasch"):
            return f"theta=~{self.items[0]}", f"{item}~1", None
        return f"theta=~{item}", f"{item}~1", None

    def _values(self, p):
        """a, d, b (and g) of all items (and classes) as one vector (for the delta method)."""
        ks = self._classes()
        a = np.array([self._sign[k] * p[self._names(it, k)[0]] for k in ks for it in self.items])
        d = np.array([p[self._names(it, k)[1]] for k in ks for it in self.items])
        if self.model_type == "Rasch":
            b = -d
        else:
            b = -d / a
        out = [a, d, b]
        if self.model_type == "3PL":
            out.append(expit([p[self._names(it)[2]] for it in self.items]))
        return np.concatenate(out)

    def coef(self, alpha=0.05):
        """Item parameters a, d, b (and g for the 3PL) with delta-method SEs.

        Returns
        -------
        DataFrame
            One row per item (per class and item, index ``(class, item)``,
            for the mixture 2PL): ``a``, ``se_a`` (slope; 1 without SE for the
            Rasch model), ``d``, ``se_d`` (intercept), ``b``, ``se_b``
            (difficulty ``-d / a``) and, for the 3PL, ``g``, ``se_g`` (the
            probability of the class "guess", paper eq. 48; b by eq. 50) and ``note``.
            A ``g`` that ran to its boundary 0 has no standard error (NaN):
            the item shows no guessing, and the likelihood is flat there.
        """
        res = self._res
        cols = ["a", "d", "b"] + (["g"] if self.model_type == "3PL" else [])
        ks = self._classes()
        names = [f"{c}:{it}" + (f"[c={k}]" if k else "") for c in cols for k in ks
                 for it in self.items]
        with warnings.catch_warnings():
            if self.model_type == "3PL":
                # a g_j at its boundary 0 makes the information singular in logit(g_j);
                # the note column says so, item by item
                warnings.filterwarnings("ignore", message=".*information matrix is singular.*")
            frame = res.delta_method(self._values, names=names, alpha=alpha)
        J = len(self.items) * len(ks)
        if self.n_classes > 1:
            index = pd.MultiIndex.from_product([ks, self.items], names=["class", "item"])
        else:
            index = pd.Index(self.items, name="item")
        out = pd.DataFrame(index=index)
        for k, c in enumerate(cols):
            block = frame.iloc[k * J:(k + 1) * J]
            out[c] = block["estimate"].to_numpy()
            out[f"se_{c}"] = block["se"].to_numpy()
        if self.model_type == "Rasch":
            out["a"], out["se_a"] = 1.0, np.nan
        if self.model_type == "3PL":
            edge = out["g"] < G_BOUNDARY
            out.loc[edge, "se_g"] = np.nan
            out["note"] = np.where(
                edge, "g at its boundary 0: no guessing on this item (no SE; the 2PL "
                "fits it)", "")
        return out

    def theta_var(self, alpha=0.05):
        """The Rasch model's factor variance ``Var(theta) = a^2`` with its delta-method SE.

        The Rasch model (slopes 1, ``Var(theta)`` free) is the 1PL (common
        slope a, ``Var(theta) = 1``) reparametrised; the intercepts and the
        likelihood are the same.
        """
        if self.model_type not in ("1PL", "Rasch"):
            raise ValueError(f"theta_var() is for the Rasch and 1PL models, not the "
                             f"{self.model_type}: its factor variance is fixed at 1")
        name = self._names(self.items[0])[0]
        return self._res.delta_method(lambda p: p[name] ** 2, names=["Var(theta)"],
                                      alpha=alpha).iloc[0]
