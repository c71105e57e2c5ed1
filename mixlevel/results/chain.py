"""Results of latent Markov chain models without joint class patterns.

A model fitted by the chain engine (:mod:`mixlevel.engine.chain`) has K^T
joint class patterns, far too many to list (3^8 = 6,561 for the
self-rated-health model, 4^20 for twenty waves), so its results are built from
the per-wave posteriors of the forward-backward E-step instead:

* posterior probabilities and modal classes per wave (``c_t``), from gamma;
* class proportions per wave: model-implied (the forward recursion of the
  initial and transition probabilities at the rows' covariates, i.e. the
  E-step of the prior engine with every outcome missing), mean posterior and
  modal, with delta-method SEs;
* transition tables ``P(c_t | c_{t-1})`` (and ``P(c_t | c_{t-2})`` in second
  order): model-implied from the prior pairwise probabilities, or from the
  posterior pairwise probabilities xi;
* outcome profiles by class of the outcome's own wave;
* entropy, defined per wave and averaged over the waves (below).

:class:`ChainResultsMixin` overrides the joint-pattern implementations of
:class:`~mixlevel.results.classes.ClassesMixin` and
:class:`~mixlevel.results.implied.ImpliedMixin`; joint-pattern views
(``posterior(joint=True)``, ``class_proportions_table(joint=True)``,
``posterior_patterns``, predictions) raise an error that says so.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd

from .classes import _label
from .results import MixtureResults

__all__ = ["ChainResultsMixin", "ChainMixtureResults"]

_JOINT = ("a latent Markov chain fitted by the chain engine has {n} joint class patterns, "
          "which are not enumerated; use the per-wave quantities (posterior(variable=...), "
          "class_proportions_table(), transition_table(), res.lta)")


class ChainResultsMixin:
    """Per-wave classes, proportions, transitions and profiles of a latent Markov chain."""

    _joint_patterns_shown = False

    def _chain(self):
        return self.model.layout.chain

    def _joint_error(self):
        ch = self._chain()
        return ValueError(_JOINT.format(n=f"{float(ch.k) ** ch.n_waves:,.0f}"))

    def _gamma_sorted(self):
        """P(c_t = k | data) per row (design order): (N, T, K)."""
        self._need_data("posterior probabilities")
        return self._estep.gamma

    @property
    def entropy(self):
        """Relative entropy of the per-wave classification, averaged over the waves.

        ``1 - sum_t sum_i w_i sum_k -p_itk log p_itk / (n T log K)`` with
        ``p_itk = P(C_t = k | y_i)``: the mean over waves of Mplus's relative
        entropy of each wave's class variable (Mplus reports one entropy over
        the most likely latent class patterns; per-wave posteriors are what a
        chain's forward-backward gives without enumerating the K^T patterns).
        """
        def compute():
            g = self._gamma_sorted()
            N, T, K = g.shape
            if K < 2:
                return float("nan")
            w = self._row_weights()
            ent = -(w[:, None, None] * g * np.log(np.clip(g, 1e-300, 1))).sum()
            return float(1 - ent / (w.sum() * T * np.log(K)))
        return self._cached("entropy", compute)

    def _joint_sorted(self):
        raise self._joint_error()

    def posterior_patterns(self):
        raise self._joint_error()

    def _pattern_masks(self, names):
        """Assignments of ``names`` (no masks: there is no joint pattern axis)."""
        ranges = [range(self._class_var(n).n_classes) for n in names]
        return [(dict(zip(names, combo, strict=True)), None)
                for combo in itertools.product(*ranges)]

    def posterior(self, level="row", variable=None, joint=False):
        """Posterior class probabilities of each wave (see :meth:`MixtureResults.posterior`;
        ``joint=True`` is not available for chains)."""
        if level not in ("row", "cluster"):
            raise ValueError("level must be 'row' or 'cluster'")
        if joint:
            raise self._joint_error()
        ch = self._chain()
        g = self._gamma_sorted()
        names = list(ch.classes) if variable is None else [variable]
        cols = {}
        for name in names:
            if name not in ch.classes:
                raise ValueError(f"no class variable {variable!r}; the model has "
                                 f"{', '.join(ch.classes)}")
            t = ch.classes.index(name)
            for k in range(ch.k):
                cols[_label({name: k})] = g[:, t, k]
        frame = pd.DataFrame(cols).iloc[self._inverse_order()].reset_index(drop=True)
        if level == "row":
            frame.index = self._data_index()
            return frame
        frame.index = self._cluster_index()  # single level: a row is a cluster
        return frame

    def _build_proportions(self, joint):
        if joint:
            raise self._joint_error()
        est, se = self._prior_delta()["marginal"]
        ch = self._chain()
        g = self._gamma_sorted()
        w = self._row_weights()
        rows = []
        for t, name in enumerate(ch.classes):
            post = g[:, t]
            modal = post.argmax(axis=1)
            for k in range(ch.k):
                npost = float(w @ post[:, k])
                nmod = float(w[modal == k].sum())
                i = t * ch.k + k
                rows.append({"class": _label({name: k}), "variable": name, "model": est[i],
                             "se": se[i], "posterior": npost / w.sum(),
                             "modal": nmod / w.sum(), "n_posterior": npost, "n_modal": nmod})
        return pd.DataFrame(rows).set_index("class")

    # -- model-implied quantities ----------------------------------------------------------
    def _pair(self, es, source, target, w):
        """P(target | source) from an E-step's pairwise posteriors weighted by ``w``."""
        ch = self._chain()
        ts, tt = ch.classes.index(source), ch.classes.index(target)
        if tt - ts == 1:
            joint = np.einsum("n,njk->jk", w, es.xi[:, ts])
        elif tt - ts == 2 and es.xi2 is not None:
            joint = np.einsum("n,njmk->jk", w, es.xi2[:, ts])
        else:
            raise ValueError(f"P({target} | {source}) is tabulated for a class variable and "
                             "the one (or, second order, two) before it in a latent Markov "
                             "chain")
        return (joint / joint.sum(axis=1, keepdims=True)).ravel()

    def _prior_eval(self, work, kind="all"):
        """Per-wave class proportions, transitions and (``kind="all"``) profiles at ``work``."""
        eng = self._prior_engine(kind)
        es = eng.estep(work)
        wr, _ = self.__dict__["_prior_weights"][kind]
        marg = np.einsum("n,ntk->tk", wr, es.gamma).ravel() / wr.sum()
        trans = [self._pair(es, s, t, wr) for s, t in self._dependencies()]
        out = {"joint": np.zeros(0), "marginal": marg,
               "transitions": np.concatenate(trans) if trans else np.zeros(0)}
        if kind == "all":
            out["profiles"] = self._chain_profiles(eng, es.inputs)
        return out

    def _chain_profiles(self, eng, inputs):
        """E[y | class of the outcome's wave], in :meth:`_build_profiles` order."""
        A0, FP = eng.outcome_parameters(inputs)
        ocv = self._outcome_class_vars()
        plan = eng.plan
        means = {}
        for p, o in enumerate(self.model.spec.outcomes):
            ch0, nch = plan.och[p], plan.nch[p]
            eta = A0[ch0:ch0 + nch, 0, :, 0].T                     # (K, nch)
            fp = FP[p, :, :plan.n_fp[p]]                            # (K, n_fp)
            means[p] = o.family.mean(eta[None, :, None, None, :], fp[:, None, None, :])[
                0, :, 0, 0, :]                                      # (K, values)
        prof, seen = [], {}
        for p, o, _cat in self._outcome_layout():
            v = seen[p] = seen.get(p, -1) + 1
            for assign, _ in self._pattern_masks(ocv[o.name]):
                k = next(iter(assign.values())) if assign else 0
                prof.append(means[p][k, v])
        return np.array(prof)

    def _transition_estimate(self, source, target, kind):
        """P(target | source) as a flat array: model-implied or from the posteriors."""
        if kind == "posterior":
            self._need_data("posterior transition tables")
            return self._pair(self._estep, source, target, self._row_weights())
        work = self.model.table.free_working_from_natural(np.asarray(self.params, float))
        eng = self._prior_engine("classes")
        return self._pair(eng.estep(work), source, target,
                          self.__dict__["_prior_weights"]["classes"][0])

    def _delta_transitions(self, source, target):
        est, jac = self._jacobian_working(lambda w: self._pair(
            self._prior_engine("classes").estep(w), source, target,
            self.__dict__["_prior_weights"]["classes"][0]))
        cov = np.asarray(self.cov_params())
        return est, np.sqrt(np.clip(np.einsum("ij,jk,ik->i", jac, cov, jac), 0, None))

    def _means(self, eng, es):
        raise ValueError("predictions and fitted values of latent Markov chains fitted by the "
                         "chain engine are not available yet: " + str(self._joint_error()))


class ChainMixtureResults(ChainResultsMixin, MixtureResults):
    """:class:`~mixlevel.results.MixtureResults` of a latent Markov chain model."""
