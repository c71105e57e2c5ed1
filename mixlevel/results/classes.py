"""Classes of a fitted model: posterior probabilities, modal classes, proportions,
classification tables and entropy.

Posterior probabilities per row are ``P(joint pattern | the data of the row's
cluster)`` (the kernel's E-step); proportions are given three ways, as Mplus
prints them (model-implied, mean posterior, modal).  Proportions of a
*between* class variable are per cluster; all others are per row.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd

__all__ = ["ClassesMixin"]


def _label(assign):
    """``"d=1,c=2"`` from an ordered dict of 0-based classes; ``"all"`` when empty."""
    if not assign:
        return "all"
    return ",".join(f"{k}={v + 1}" for k, v in assign.items())


class ClassesMixin:
    """Posterior probabilities, modal classes, class proportions and classification."""

    #: The summary lists joint class patterns (not for latent Markov chains: results/chain.py)
    _joint_patterns_shown = True

    @property
    def entropy(self):
        """Relative entropy of the classification (Mplus), over joint class patterns.

        ``1 - sum_i w_i sum_k -p_ik log p_ik / (n log K)`` with ``p_ik`` the
        posterior probability of joint pattern k for row i, ``w_i`` its
        frequency weight, ``n = sum_i w_i`` and K the number of joint patterns.
        1 is a perfect classification; NaN without classes.
        """
        def compute():
            joint = self._joint_sorted()
            K = joint.shape[1]
            if K < 2:
                return float("nan")
            w = self._row_weights()
            p = np.clip(joint, 1e-300, 1)
            ent = -(w[:, None] * joint * np.log(p)).sum()
            return float(1 - ent / (w.sum() * np.log(K)))
        return self._cached("entropy", compute)

    # -- posterior probabilities -------------------------------------------------------
    def _joint_sorted(self):
        """P(joint pattern | data) per row in the design's (cluster-sorted) order, (N, DC)."""
        def compute():
            self._need_data("posterior probabilities")
            eng = self.model.engine
            es = self._estep
            N = self.model.design.n_rows
            G, H = es.nodes.G, es.nodes.H
            rp = es.rowpost.reshape(N, eng.D, G, eng.C, H).sum(axis=4)
            pdg = es.post_dg[self.model.design.cluster_of_row]
            return np.einsum("ndg,ndgc->ndc", pdg, rp).reshape(N, eng.D * eng.C)
        return self._cached("joint_sorted", compute)

    def _pattern_masks(self, names):
        """For each assignment of the class variables ``names``: mask over joint patterns."""
        pats = self._patterns
        out = []
        ranges = [range(self._class_var(n).n_classes) for n in names]
        for combo in itertools.product(*ranges):
            assign = dict(zip(names, combo, strict=True))
            mask = np.array([all(p[k] == v for k, v in assign.items()) for p in pats])
            out.append((assign, mask))
        return out

    def _marginal_masks(self, variable=None):
        res = []
        for name in self._class_order:
            if variable is not None and name != variable:
                continue
            res.extend(self._pattern_masks([name]))
        if variable is not None and not res:
            raise ValueError(f"no class variable {variable!r}; the model has "
                             f"{', '.join(self._class_order) or 'none'}")
        return res

    def posterior_patterns(self):
        """P(between pattern d, within pattern c | data) per row, shape (N, D, C), data order."""
        eng = self.model.engine
        joint = self._joint_sorted()[self._inverse_order()]
        return joint.reshape(-1, eng.D, eng.C)

    def posterior(self, level="row", variable=None, joint=False):
        """Posterior class probabilities.

        Parameters
        ----------
        level : {"row", "cluster"}
            "row": per row in data order, ``P(class | the data of the row's
            cluster)``.  "cluster": per cluster, the average over its rows
            (frequency-weighted) of the row probabilities, which for a between
            class variable is ``P(D_j = d | Y_j)`` and for a within class
            variable the cluster's expected class composition.
        variable : str, optional
            Only this class variable (marginal columns).
        joint : bool
            Columns for the joint class patterns (``"d=1,c=2"``) instead of one
            block of columns per class variable.

        Returns
        -------
        pandas.DataFrame
            Rows sum to one per class variable (per block of columns).
        """
        if level not in ("row", "cluster"):
            raise ValueError("level must be 'row' or 'cluster'")
        flat = self._joint_sorted()
        if joint:
            cols = {_label(p): flat[:, k] for k, p in enumerate(self._ordered_patterns())}
        else:
            cols = {_label(a): flat[:, m].sum(axis=1) for a, m in self._marginal_masks(variable)}
        frame = pd.DataFrame(cols)
        if level == "row":
            frame = frame.iloc[self._inverse_order()].reset_index(drop=True)
            frame.index = self._data_index()
            return frame
        d = self.model.design
        w = d.row_weight
        sums = np.add.reduceat(frame.to_numpy() * w[:, None], d.indptr[:-1], axis=0)
        tot = np.add.reduceat(w, d.indptr[:-1])
        return pd.DataFrame(sums / tot[:, None], columns=frame.columns,
                            index=self._cluster_index())

    def _ordered_patterns(self):
        order = self._class_order
        return [{k: p[k] for k in order} for p in self._patterns]

    def modal_class(self, level="row", joint=False):
        """Most likely class (1-based) per row or cluster.

        Parameters
        ----------
        level : {"row", "cluster"}
            At the cluster level only between class variables have a class.
        joint : bool
            The most likely joint pattern (a label such as ``"d=1,c=2"``)
            instead of one column per class variable.

        Returns
        -------
        pandas.DataFrame or pandas.Series
        """
        if joint:
            if level == "cluster" and self.model.spec.within_classes:
                raise ValueError("joint modal classes are per row; use level='row'")
            post = self.posterior(level=level, joint=True)
            return post.idxmax(axis=1).rename("modal")
        names = self._class_order
        if level == "cluster":
            names = [c.name for c in self.model.spec.between_classes]
            if not names:
                raise ValueError("the model has no between class variable: modal classes "
                                 "are per row (level='row')")
        out = {}
        for n in names:
            post = self.posterior(level=level, variable=n)
            out[n] = (post.to_numpy().argmax(axis=1) + 1).astype(int)
        return pd.DataFrame(out, index=post.index)

    # -- class proportions ----------------------------------------------------------------
    @property
    def class_proportions(self):
        """Model-implied class proportions per class variable (a Series, ``"c=1"`` ...).

        Per row for within class variables, per cluster for between ones; see
        :meth:`class_proportions_table` for the posterior and modal versions.
        """
        tab = self.class_proportions_table()
        return tab["model"].rename("proportion")

    def class_proportions_table(self, joint=False):
        """Class proportions three ways, as Mplus prints them.

        Parameters
        ----------
        joint : bool
            Joint class patterns instead of one block per class variable.

        Returns
        -------
        pandas.DataFrame
            Indexed by class label, with ``variable``; ``model`` (implied by
            the estimates, with its delta-method ``se``), ``posterior`` (mean
            posterior probability), ``modal`` (share of modal assignments), and
            the counts ``n_posterior`` and ``n_modal``.  Between class variables
            count clusters; everything else counts rows.
        """
        key = "proportions_joint" if joint else "proportions"
        return self._cached(key, lambda: self._build_proportions(joint))

    def _build_proportions(self, joint):
        prior = self._prior_delta()
        flat = self._joint_sorted()
        w = self._row_weights()
        d = self.model.design
        between = {c.name for c in self.model.spec.between_classes}
        rows = []
        if joint:
            est, se = prior["joint"]
            modal = flat.argmax(axis=1)
            for k, pat in enumerate(self._ordered_patterns()):
                npost = float(w @ flat[:, k])
                nmod = float(w[modal == k].sum())
                rows.append({"class": _label(pat), "variable": "joint", "model": est[k],
                             "se": se[k], "posterior": npost / w.sum(),
                             "modal": nmod / w.sum(), "n_posterior": npost, "n_modal": nmod})
            return pd.DataFrame(rows).set_index("class")
        est, se = prior["marginal"]
        k = 0
        wc = d.cluster_weight
        for name in self._class_order:
            masks = self._pattern_masks([name])
            if name in between:
                # cluster level: P(d | Y_j) is shared by the cluster's rows
                first = flat[d.indptr[:-1]]
                post = np.column_stack([first[:, m].sum(axis=1) for _, m in masks])
                ww = wc
            else:
                post = np.column_stack([flat[:, m].sum(axis=1) for _, m in masks])
                ww = w
            modal = post.argmax(axis=1)
            for j, (assign, _) in enumerate(masks):
                npost = float(ww @ post[:, j])
                nmod = float(ww[modal == j].sum())
                rows.append({"class": _label(assign), "variable": name, "model": est[k],
                             "se": se[k], "posterior": npost / ww.sum(),
                             "modal": nmod / ww.sum(), "n_posterior": npost, "n_modal": nmod})
                k += 1
        return pd.DataFrame(rows, columns=["class", "variable", "model", "se", "posterior",
                                           "modal", "n_posterior", "n_modal"]).set_index("class")

    @property
    def classification_table(self):
        """Average posterior probabilities by modal class (Mplus), joint patterns.

        Row r, column k: the mean posterior probability of pattern k among rows
        whose most likely pattern is r (frequency-weighted).  A good
        classification has a diagonal near one.  See :meth:`classification`.
        """
        return self.classification()

    def classification(self, variable=None):
        """Average posterior probability by modal class.

        Parameters
        ----------
        variable : str, optional
            One class variable (per cluster for a between variable); default
            the joint class patterns per row.

        Returns
        -------
        pandas.DataFrame
            Index: modal class; columns: class; NaN rows for empty modal classes.
        """
        def compute():
            if variable is None:
                post = self.posterior(joint=True)
                w = self._row_weights()[self._inverse_order()]
            else:
                is_between = variable in {c.name for c in self.model.spec.between_classes}
                post = self.posterior(level="cluster" if is_between else "row",
                                      variable=variable)
                w = (self.model.design.cluster_weight if is_between
                     else self._row_weights()[self._inverse_order()])
            p = post.to_numpy()
            modal = p.argmax(axis=1)
            out = np.full((p.shape[1], p.shape[1]), np.nan)
            for r in range(p.shape[1]):
                sel = modal == r
                if sel.any():
                    out[r] = (w[sel, None] * p[sel]).sum(axis=0) / w[sel].sum()
            frame = pd.DataFrame(out, index=pd.Index(post.columns, name="modal"),
                                 columns=pd.Index(post.columns, name="posterior"))
            return frame
        return self._cached(("classification", variable), compute)

    # -- relabelling ---------------------------------------------------------------------
    def relabel(self, order):
        """The same fit with the classes in another order.

        Parameters
        ----------
        order : list of int or dict
            The old class labels (1-based) in their new order, e.g. ``[2, 1]``
            swaps two classes; a dict ``{variable: order}`` when the model has
            several class variables (others keep their order).

        Returns
        -------
        MixtureResultsWrapper
            The relabelled estimates (the same log-likelihood; class logits are
            re-estimated against the new reference class), with their own
            covariance.
        """
        from types import SimpleNamespace

        from ..estimation.labels import relabel
        from .results import MixtureResults, MixtureResultsWrapper

        spec = self.model.spec
        if not spec.classes:
            raise ValueError("the model has no class variables to relabel")
        if not isinstance(order, dict):
            if len(spec.classes) != 1:
                raise ValueError("the model has several class variables: give "
                                 "{variable: order}, e.g. {'c': [2, 1]}")
            order = {spec.classes[0].name: order}
        perm = {}
        for name, new in order.items():
            cv = self._class_var(name)
            new = [int(k) for k in new]
            if sorted(new) != list(range(1, cv.n_classes + 1)):
                raise ValueError(f"order of {name!r}: give each of the labels 1..{cv.n_classes} "
                                 f"once, got {new}")
            perm[name] = np.asarray(new) - 1
        self._need_data("relabel()")
        model = self.model
        work = model._work(self.params)
        moved = relabel(model.engine, work, perm)
        if moved is work and any((p != np.arange(len(p))).any() for p in perm.values()):
            raise RuntimeError("the relabelled estimates did not reach the same "
                               "log-likelihood; refit with start values in the new order")
        params = model.table.free_natural_from_working(moved)
        done = SimpleNamespace(converged=self.converged, n_em=self.em_iterations,
                               n_qn=self.iterations - self.em_iterations)
        cov_type = self.cov_type if self.cov_type != "cluster" else "MLR"
        res = MixtureResults.from_fit(model, params, done, self.start_table, cov_type=cov_type,
                                      integration_check=self.integration_check)
        res.reml = self.__dict__.get("reml", False)
        return MixtureResultsWrapper(res)
