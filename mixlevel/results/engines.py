"""Engines of the fitted model on other rows.

The model's prior (every outcome missing) on the rows' distinct covariate
values, for model-implied quantities, and engines on new data, for
prediction: a :class:`~mixlevel.data.Design` of the rows
(:meth:`~mixlevel.data.Design.for_rows`) and the fitted engine moved onto it
(:meth:`~mixlevel.engine.Engine.on_rows`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["EngineMixin"]


class EngineMixin:
    """Builds engines for model-implied quantities and for new data."""

    # -- model-implied quantities (prior engine) --------------------------------------------
    def _prior_engine(self, kind="all"):
        """An engine on the rows' distinct covariate values with every outcome missing.

        Its E-step gives the model's prior probabilities ``P(d, g, c, h | x)``:
        posterior weights without data.  Two frequency weights per distinct
        row: rows, and cluster shares (for between class variables).
        ``kind="classes"`` keeps only the covariates of the class equations
        (the others are set to 0: with every outcome missing they do not
        matter), so class quantities are cheap however many outcome
        covariates there are.
        """
        engines = self.__dict__.setdefault("_prior_engine_obj", {})
        if kind in engines:
            return engines[kind]
        self._need_data("model-implied quantities")
        model = self.model
        spec = model.spec
        d = model.design
        all_cols = list(spec.columns())
        if kind == "classes":
            cols = [c for c in all_cols if any(t.column == c and t.target in spec.class_names
                                               for t in spec.terms)]
        else:
            cols = all_cols
        w_row = self._row_weights()
        sizes = np.add.reduceat(d.row_weight, d.indptr[:-1])
        w_clu = d.cluster_weight[d.cluster_of_row] * d.row_weight / sizes[d.cluster_of_row]
        if cols:
            X = np.column_stack([d.columns[c] for c in cols])
            uniq, inv = np.unique(X, axis=0, return_inverse=True)
            inv = inv.ravel()
        else:
            uniq, inv = np.zeros((1, 0)), np.zeros(d.n_rows, int)
        n = uniq.shape[0]
        wr = np.bincount(inv, weights=w_row, minlength=n)
        wc = np.bincount(inv, weights=w_clu, minlength=n)
        columns = {c: np.zeros(n) for c in all_cols}
        columns.update({c: np.ascontiguousarray(uniq[:, k]) for k, c in enumerate(cols)})
        eng = self._design_engine(columns, n, weights=wr)
        engines[kind] = eng
        self.__dict__.setdefault("_prior_weights", {})[kind] = (wr, wc)
        return eng

    def _design_engine(self, columns, n, y=None, trials=None, indptr=None, weights=None,
                       labels=None):
        """An Engine of the model on new design columns (non-adaptive nodes)."""
        from ..data import Design

        model = self.model
        design = Design.for_rows(model.design, columns, n, len(model.spec.outcomes), y=y,
                                 trials=trials, indptr=indptr, cluster_weight=weights,
                                 labels=labels)
        return model.engine.on_rows(design)

    def _new_engine(self, newdata, conditional):
        """Engine on new data (see :meth:`predict`); returns (engine, kept row positions)."""
        model = self.model
        spec = model.spec
        if not isinstance(newdata, pd.DataFrame):
            raise TypeError("newdata must be a pandas DataFrame")
        cols = model.design_columns(newdata)
        n = len(newdata)
        keep = np.ones(n, bool)
        for c in spec.columns():
            keep &= np.isfinite(np.asarray(cols[c], float))
        pos = np.flatnonzero(keep)
        columns = {c: np.asarray(cols[c], float)[keep] for c in spec.columns()}
        nk = len(pos)
        if not conditional:
            return self._design_engine(columns, nk), pos, None
        P = len(spec.outcomes)
        y = np.full((nk, P), np.nan)
        trials = np.ones((nk, P))
        for p, o in enumerate(spec.outcomes):
            if o.name not in newdata.columns:
                continue
            vals = newdata[o.name].to_numpy()[keep]
            y[:, p] = o.family.encode_like(vals, self._meta["levels"].get(o.name), o.name)
            if o.family.needs_trials:
                if o.trials not in newdata.columns:
                    raise ValueError(f"binomial outcome {o.name!r} needs its trials column "
                                     f"{o.trials!r} in newdata")
                trials[:, p] = pd.to_numeric(newdata[o.trials], errors="coerce").to_numpy(
                    float)[keep]
        cl = self._meta["cluster"]
        if cl is not None and cl in newdata.columns:
            codes, labels = pd.factorize(newdata[cl].to_numpy()[keep], sort=True)
            order = np.argsort(codes, kind="stable")
            indptr = np.concatenate([[0], np.cumsum(np.bincount(codes,
                                                                minlength=len(labels)))])
        else:
            order = np.arange(nk)
            indptr = None
        columns = {c: np.ascontiguousarray(v[order]) for c, v in columns.items()}
        eng = self._design_engine(columns, nk, y=y[order], trials=trials[order], indptr=indptr)
        return eng, pos, order
