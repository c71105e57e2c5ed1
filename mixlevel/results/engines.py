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

    def _known_cluster_engine(self, newdata, new_levels="population"):
        """Engine on the new rows appended to the training rows of their clusters.

        The empirical Bayes prediction of lme4 and MixedLM: a row of a cluster
        seen in the fit is predicted from the posterior of that cluster's
        random effects and between classes given its training data (the new
        row's own outcomes are not used: they would count twice when
        ``newdata`` is the training data).  Rows of new clusters get the
        population level (``new_levels="population"``, lme4's
        ``allow.new.levels``; their own outcomes in ``newdata`` are used if
        present) or an error (``new_levels="error"``).

        Returns (engine, kept row positions in newdata, position of each kept
        new row in the engine's design).
        """
        model = self.model
        spec, d = model.spec, model.design
        self._need_data("predict(newdata, conditional=True) for known clusters")
        if new_levels not in ("population", "error"):
            raise ValueError(f"new_levels={new_levels!r}: use 'population' (new clusters at "
                             "the population level) or 'error'")
        cl = self._meta["cluster"]
        if cl not in newdata.columns:
            raise ValueError(
                f"predict(newdata, conditional=True) uses the fitted random effects and "
                f"classes of the rows' clusters, so newdata needs the cluster column {cl!r}; "
                "for the population level use conditional=False")
        if not np.allclose(d.row_weight, 1.0):
            raise ValueError("conditional predictions for known clusters are not available "
                             "for models with frequency weights of rows")
        cols = model.design_columns(newdata)
        keep = np.ones(len(newdata), bool)
        for c in spec.columns():
            keep &= np.isfinite(np.asarray(cols[c], float))
        pos = np.flatnonzero(keep)
        new_cols = {c: np.asarray(cols[c], float)[keep] for c in spec.columns()}
        y_new, t_new = self._new_outcomes(newdata, keep)
        labels = newdata[cl].to_numpy()[keep]
        known = {lab: j for j, lab in enumerate(d.cluster_labels)}
        unseen = sorted({str(lab) for lab in labels if lab not in known})
        if unseen and new_levels == "error":
            shown = ", ".join(unseen[:5]) + (", ..." if len(unseen) > 5 else "")
            raise ValueError(f"newdata has {len(unseen)} cluster(s) of {cl!r} not in the fit "
                             f"({shown}); pass new_levels='population' to predict them at "
                             "the population level")
        codes, groups = pd.factorize(labels)
        rows, where, sizes = [], np.empty(len(pos), np.int64), []
        start = 0
        for g, lab in enumerate(groups):
            mine = np.flatnonzero(codes == g)
            j = known.get(lab)
            train = np.arange(d.indptr[j], d.indptr[j + 1]) if j is not None else \
                np.zeros(0, np.int64)
            rows.append((train, mine, j is not None))
            where[mine] = start + len(train) + np.arange(len(mine))
            start += len(train) + len(mine)
            sizes.append(len(train) + len(mine))

        def stack(old, new, own_outcomes):
            parts = []
            for train, mine, is_known in rows:
                parts.append(old[train])
                block = new[mine]
                if is_known and own_outcomes:
                    block = np.full_like(block, np.nan)
                parts.append(block)
            return np.concatenate(parts)

        columns = {c: np.ascontiguousarray(stack(d.columns[c], new_cols[c], False))
                   for c in spec.columns()}
        y = stack(d.y, y_new, True)
        trials = stack(d.trials, t_new, False)
        indptr = np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)
        eng = self._design_engine(columns, start, y=y, trials=trials, indptr=indptr)
        return eng, pos, where

    def _new_outcomes(self, newdata, keep):
        """Encoded outcomes (missing where absent) and trials of the kept rows of newdata."""
        spec = self.model.spec
        nk = int(keep.sum())
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
        return y, trials

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
        y, trials = self._new_outcomes(newdata, keep)
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
