"""Results of factor mixture models: class sizes, item parameters per class, nested models.

:class:`FactorMixtureResults` is ``res.factor_mixture`` of a fitted
:func:`~mixlevel.models.factor_mixture.FactorMixture`.  The item parameters
are read from the results' parameters (class-invariant ones repeated in each
class); :meth:`FactorMixtureResults.compare` fits the two nested models of
paper section 8 -- the latent class model (all loadings 0) and the one-class
factor model -- and compares them with this one (:func:`mixlevel.compare`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["FactorMixtureResults"]


class FactorMixtureResults:
    """Factor mixture quantities of a fitted :class:`FactorMixtureModel`."""

    def __init__(self, res):
        self._res = res
        model = res.model
        self.items, self.factors = list(model.items), dict(model.factors)
        self.n_classes = model.n_fmm_classes
        self.nested = {}

    def _classes(self):
        return list(range(1, self.n_classes + 1))

    def _get(self, name, k):
        """A parameter's estimate in class k: its class-specific name first, then the invariant."""
        p = self._res.params
        for n in (f"{name}[c={k}]", name):
            if n in p.index:
                return float(p[n])
        return np.nan

    def class_sizes(self):
        """Model-implied class proportions (a Series ``c=1``, ...; 1.0 for one class)."""
        if self.n_classes == 1:
            return pd.Series([1.0], index=pd.Index(["c=1"], name="class"), name="proportion")
        return self._res.class_proportions

    def item_params(self):
        """Item parameters per class: intercept or thresholds, loadings, residual variance.

        Returns
        -------
        DataFrame
            Index ``(class, item)``; columns ``intercept`` (normal, binary),
            ``t1``, ``t2``, ... (ordinal thresholds), ``loading`` (on the
            item's factor; 0 for the latent class model), ``factor`` and
            ``residual_var`` (normal items).  Parameters that are equal across
            classes are repeated in every class.
        """
        factor_of = {it: f for f, its in self.factors.items() for it in its}
        names = list(self._res.params.index)
        rows = []
        for k in self._classes():
            for it in self.items:
                row = {"class": k, "item": it, "intercept": self._get(f"{it}~1", k)}
                ts = sorted({n.split("[")[0] for n in names if n.startswith(f"{it}|t")},
                            key=lambda n: int(n.split("|t")[1]))
                for t in ts:
                    row[t.split("|")[1]] = self._get(t, k)
                f = factor_of.get(it)
                row["factor"] = f or ""
                if f is None:
                    row["loading"] = 0.0
                else:
                    lam = self._get(f"{it}~{f}", k)
                    row["loading"] = lam if np.isfinite(lam) else self._get(f"{f}=~{it}", k)
                row["residual_var"] = self._get(f"Var({it})", k)
                rows.append(row)
        out = pd.DataFrame(rows).set_index(["class", "item"])
        return out.dropna(axis=1, how="all")

    def factor_moments(self):
        """Factor means and variances per class as the model identifies them.

        The mean is 0 and the variance 1 in every class: class differences in
        the factor mean are carried by the class-specific intercepts
        (thresholds), and class differences in the factor variance by the
        class-specific loadings (``loadings="class"``).  Returns a DataFrame
        with index ``(class, factor)``, columns ``mean``, ``variance``, ``note``.
        """
        rows = [{"class": k, "factor": f, "mean": 0.0, "variance": 1.0,
                 "note": "fixed (identification; see the FactorMixture docstring)"}
                for k in self._classes() for f in self.factors]
        return pd.DataFrame(rows, columns=["class", "factor", "mean", "variance", "note"]
                            ).set_index(["class", "factor"])

    def compare(self, **fit_kwargs):
        """This model against the latent class model and the one-class factor model.

        Fits the nested models on the same data (kept in ``self.nested``):
        ``"LCA"`` (the same classes, all loadings 0) and ``"factor"`` (one
        class, the same factors, invariant loadings).  Returns one row per
        model (fit statistics of :func:`mixlevel.compare`); the factor
        mixture's row tests it against the LCA (an LRT with one df per loading
        fixed at 0).  The one-class factor model has fewer classes, so no
        chi-square LRT applies against it: compare it by BIC (or
        :func:`mixlevel.bootstrap_lrt`).

        Parameters
        ----------
        **fit_kwargs
            Passed to each nested model's ``fit()`` (``seed=``, ``starts=``, ...).
        """
        from ..inference import compare as compare_models

        m, K = self._res.model, self.n_classes
        self.nested["factor"] = m.variant(1, self.factors).fit(**fit_kwargs)
        self.nested["LCA"] = m.variant(K, 0, m.covariates).fit(**fit_kwargs)
        names = [f"LCA ({K} classes)", f"factor mixture ({K} classes)"]
        table = compare_models(self.nested["LCA"], self._res, names=names)
        one = compare_models(self.nested["factor"], names=["factor (1 class)"])
        out = pd.concat([one, table])
        out["tested_against"] = ["", "", names[0]]
        return out
