"""The model's view of data other than its estimation rows: the covariate columns
(``exog``), predictions at given parameters and the design columns of new data.

A mixin of :class:`mixlevel.model.MixtureModel`; it reads the model's ``design``,
``spec``, ``table`` and (for formula models) ``formula``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .errors import SpecificationError

__all__ = ["NewDataMixin"]


class NewDataMixin:
    """``exog``, ``predict`` and ``design_columns`` of a mixture model."""

    @property
    def exog(self):
        """The covariate columns the terms use, one row per estimation row (data order).

        A DataFrame (None after ``remove_data()``); the intercept is not included.
        """
        d = self.__dict__.get("design")
        if d is None or d.index is None or d.y is None:
            return None
        cols = [c for c in self.spec.columns() if c != "1"]
        inv = np.empty_like(d.order)
        inv[d.order] = np.arange(len(d.order))
        return pd.DataFrame({c: np.asarray(d.columns[c])[inv] for c in cols},
                            index=d.index[inv])

    @exog.setter
    def exog(self, value):  # statsmodels assigns its (empty) exog; the design is the source
        pass

    def predict(self, params, exog=None, which="mean", **kwargs):
        """Expected outcomes at ``params`` for the rows of ``exog`` (statsmodels' signature).

        Parameters
        ----------
        params : array_like
            Free parameters on the natural scale (``res.params``).
        exog : pandas.DataFrame, optional
            New data, as ``newdata`` of :meth:`MixtureResults.predict` (default:
            the estimation data).
        which, **kwargs
            As :meth:`MixtureResults.predict` (``conditional``, ...).

        Returns
        -------
        pandas.DataFrame
        """
        from types import SimpleNamespace

        from .results import MixtureResults

        params = np.asarray(params, float)
        if params.shape != (self.table.n_free,):
            raise ValueError(f"params has {params.size} values; the model has "
                             f"{self.table.n_free} free parameters ({self.param_names[:3]} ...)")
        done = SimpleNamespace(converged=True, n_em=0, n_qn=0)
        res = MixtureResults.from_fit(self, params, done, [], cov_type="ML")
        return res.predict(exog, which=which, **kwargs)

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
