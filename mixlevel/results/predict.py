"""Prediction on new data and empirical Bayes random effects."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..spec.transforms import to_working
from .classes import _label

__all__ = ["PredictMixin"]


class PredictMixin:
    """:meth:`predict` and :meth:`random_effects`."""

    # -- random effects ------------------------------------------------------------------
    def _block_cholesky(self):
        """Per cluster-level latent dimension block and between pattern: L_d (q x q)."""
        model = self.model
        spec, tab = model.spec, model.table
        nat = tab.expand_natural(np.asarray(self.params, float))
        eng = model.engine
        out = {}
        names_b = [b for b, _ in eng.kl.dims_b]
        for blk in spec.blocks:
            if blk.name not in names_b:
                continue
            if blk.covariance != "free":
                out[blk.name] = [np.eye(blk.dim)] * eng.D
                continue
            mats = []
            size = blk.dim * (blk.dim + 1) // 2
            for first in model.layout.block_covariance(blk):
                vech = nat[first:first + size]
                L = np.zeros((blk.dim, blk.dim))
                L[np.tril_indices(blk.dim)] = to_working("covariance", vech)
                mats.append(L)
            out[blk.name] = mats
        return out

    def random_effects(self):
        """Empirical Bayes (posterior) means and SDs of the cluster random effects.

        Returns
        -------
        pandas.DataFrame
            One row per cluster; columns ``("mean", effect)`` and ``("sd",
            effect)`` for every cluster-level random effect or factor (row-level
            factors of a single-level model are per row).  The effects are the
            deviations ``b = L z`` (their class-specific fixed means are in
            the parameters); posterior moments mix over the between classes.
        """
        def compute():
            self._need_data("random_effects()")
            eng = self.model.engine
            if not eng.kl.qb:
                raise ValueError("the model has no cluster-level random effects")
            es = self._estep
            zb = es.nodes.zb  # (1 or J, G, Qb)
            chol = self._block_cholesky()
            J = es.post_dg.shape[0]
            names, means, sds = [], [], []
            pos = 0
            for blk in self.model.spec.blocks:
                if blk.name not in chol:
                    continue
                q = blk.dim
                z = zb[:, :, pos:pos + q]  # (Jz, G, q)
                m1 = np.zeros((J, q))
                m2 = np.zeros((J, q))
                for dd, L in enumerate(chol[blk.name]):
                    if eng.exact is not None:  # exact normal path: posterior moments of z
                        mz, sz = eng.exact.cluster_moments(es, pos, q, dd)
                        m1 += mz @ L.T
                        m2 += np.einsum("kl,jlm,km->jk", L, sz, L)
                        continue
                    b = np.einsum("kl,jgl->jgk", L, z)  # (Jz, G, q)
                    wdg = es.post_dg[:, dd, :]  # (J, G)
                    m1 += np.einsum("jg,jgk->jk", wdg, np.broadcast_to(b, (J,) + b.shape[1:]))
                    m2 += np.einsum("jg,jgk->jk", wdg,
                                    np.broadcast_to(b ** 2, (J,) + b.shape[1:]))
                names.extend(blk.effects)
                means.append(m1)
                sds.append(np.sqrt(np.clip(m2 - m1 ** 2, 0, None)))
                pos += q
            cols = pd.MultiIndex.from_tuples([("mean", n) for n in names] +
                                             [("sd", n) for n in names],
                                             names=["statistic", "effect"])
            return pd.DataFrame(np.hstack(means + sds), index=self._cluster_index(),
                                columns=cols)
        return self._cached("random_effects", compute)

    # -- prediction ----------------------------------------------------------------------
    def predict(self, newdata=None, which="mean", conditional=False, new_levels="population",
                effects="mean"):
        """Expected outcomes or class probabilities.

        Parameters
        ----------
        newdata : pandas.DataFrame, optional
            Rows to predict; it needs the model's design columns (the formula
            layer recomputes them from the raw variables through
            ``model.design_columns``); outcome and cluster columns may be
            absent.  Default: the estimation data.
        which : {"mean", "class", "prob", "joint"}
            "mean": expected outcomes marginal over the classes (and random
            effects); "class": expected outcomes within each joint class
            pattern (columns ``(pattern, outcome)``); "prob": class
            probabilities per class variable; "joint": probabilities of the
            joint class patterns.
        conditional : bool
            False (default): the population level, the model's prior given the
            covariates only (lme4's ``re.form = NA``).  True: given the data
            of the row's cluster, as lme4's and MixedLM's predictions with
            random effects.  Without ``newdata`` these are the fitted values
            (each row's cluster and own outcomes).  With ``newdata`` of a
            two-level model, a row of a cluster seen in the fit is predicted
            from that cluster's random effects and between classes given its
            training data, and a row of a new cluster as ``new_levels`` says;
            ``newdata`` then needs the cluster column.  For a single-level
            model the rows' own outcomes in ``newdata`` are used (to predict
            missing items from observed ones).
        new_levels : {"population", "error"}
            Rows of clusters not in the fit: predicted at the population level
            given their own outcomes in ``newdata`` if any (lme4's
            ``allow.new.levels = TRUE``), or an error.
        effects : {"mean", "mode"}
            With ``conditional=True``: "mean" (default) averages the
            prediction over the posterior of the random effects and classes
            (empirical Bayes posterior mean); "mode" plugs in the posterior
            modes of the random effects, as lme4's ``predict`` does with its
            conditional modes (models without class variables; for normal
            outcomes the two agree).

        Returns
        -------
        pandas.DataFrame
            Indexed like ``newdata`` (rows with a missing covariate are NaN).
            Expected values: the probability of 1 for binary, of success for
            binomial, of each category (``y[level]``) for ordinal and nominal
            outcomes, the mean for normal and Poisson outcomes.
        """
        if which not in ("mean", "class", "prob", "joint"):
            raise ValueError("which must be 'mean', 'class', 'prob' or 'joint'")
        eng, es, inv, pos = self._prediction_setup(newdata, conditional, new_levels, effects)
        return self._frame_from(which, eng, es, inv, pos, newdata)

    def _frame_from(self, which, eng, es, inv, pos, newdata):
        """The prediction frame of an E-step ``es`` of ``eng`` (see :meth:`predict`)."""
        if which in ("mean", "class"):
            num, den = self._means(eng, es)
        else:
            num, den = None, self._joint_from(eng, es)
        if pos is None:  # the estimation rows
            return self._predict_frame(which, num, den, inv, self._data_index())
        frame = self._predict_frame(which, num, den, inv, pd.RangeIndex(len(pos)))
        out = pd.DataFrame(np.nan, index=newdata.index, columns=frame.columns)
        out.iloc[pos] = frame.to_numpy()
        return out

    def _prediction_setup(self, newdata, conditional, new_levels, effects):
        """(engine, its E-step at the estimates, row order, kept rows of newdata or None)."""
        if effects not in ("mean", "mode"):
            raise ValueError(f"effects={effects!r}: use 'mean' (posterior mean) or 'mode' "
                             "(plug-in posterior modes, as lme4)")
        work = self.model._work(self.params)
        if newdata is None:
            self._need_data("predict() without newdata")
            d = self.model.design
            columns = {c: d.columns[c] for c in self.model.spec.columns()}
            if conditional and effects == "mean":
                eng, es = self.model.engine, self._estep
            elif conditional:
                eng = self._design_engine(columns, d.n_rows, y=d.y, trials=d.trials,
                                          indptr=d.indptr)
                es = self._conditional_estep(eng, effects)
            else:
                eng = self._design_engine(columns, d.n_rows)
                es = eng.estep(work)
            return eng, es, self._inverse_order(), None
        if not isinstance(newdata, pd.DataFrame):
            raise TypeError("newdata must be a pandas DataFrame")
        if conditional and not self._meta["single_level"] and \
                self._meta["cluster"] is not None:
            eng, pos, inv = self._known_cluster_engine(newdata, new_levels)
            return eng, self._conditional_estep(eng, effects), inv, pos
        eng, pos, order = self._new_engine(newdata, conditional)
        es = self._conditional_estep(eng, effects) if conditional else eng.estep(work)
        if order is not None:
            inv = np.empty_like(order)
            inv[order] = np.arange(len(order))
        else:
            inv = np.arange(len(pos))
        return eng, es, inv, pos

    def _conditional_estep(self, eng, effects):
        """E-step of ``eng`` given its outcomes, with nodes at each cluster's posterior.

        The cluster nodes are centred at the posterior modes (adaptive
        Gauss-Hermite) so that the posterior of large clusters is integrated
        accurately; ``effects="mode"`` keeps one node at the mode.
        """
        from ..engine.nodes import NodeState

        work = self.model._work(self.params)
        if effects == "mode" and self.model.spec.classes:
            raise ValueError("effects='mode' plugs in the modes of the random effects of "
                             "models without class variables; use effects='mean'")
        if eng.kl.qb and eng.exact is None:
            if not eng.adapt_nodes_at_mode(work):
                if effects == "mode":
                    raise RuntimeError("the posterior modes of the random effects were not "
                                       "found; use effects='mean'")
            elif effects == "mode":
                modes = eng.nodes.modes
                eng.nodes = NodeState(np.ascontiguousarray(modes[:, None, :]),
                                      np.zeros((modes.shape[0], 1)), eng.nodes.zh,
                                      eng.nodes.lwh, adapted=True, modes=modes)
        return eng.estep(work)

    def _predict_frame(self, which, num, den, inv, index):
        pats = [_label(p) for p in self._ordered_patterns()]
        if which == "mean":
            vals = num.sum(axis=1)[inv]
            return pd.DataFrame(vals, index=index, columns=self._value_labels())
        if which == "class":
            with np.errstate(invalid="ignore", divide="ignore"):
                vals = (num / den[:, :, None])[inv]
            labs = self._value_labels()
            cols = pd.MultiIndex.from_tuples([(p, v) for p in pats for v in labs],
                                             names=["classes", "outcome"])
            return pd.DataFrame(vals.reshape(len(inv), -1), index=index, columns=cols)
        joint = den[inv]
        if which == "joint":
            return pd.DataFrame(joint, index=index, columns=pats)
        cols = {_label(a): joint[:, m].sum(axis=1) for a, m in self._marginal_masks()}
        return pd.DataFrame(cols, index=index)
