"""Model-implied quantities: class proportions, outcome profiles and transitions.

They average the model's probabilities over the rows' own covariates and
integrate the random effects over their distribution: for a model without
covariates and random effects they are plain functions of the parameters
(e.g. the inverse logit of an item's class intercept).  Standard errors come
from the delta method (:meth:`MixtureResults._jacobian_working`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from .classes import _label

__all__ = ["ImpliedMixin"]


class ImpliedMixin:
    """Profiles, transition tables and the implied class proportions, with SEs."""

    def _outcome_layout(self):
        """Value columns of the outcomes: list of (outcome index, outcome, category label)."""
        out = []
        for p, o in enumerate(self.model.spec.outcomes):
            cats = o.family.value_categories(self._meta["levels"].get(o.name),
                                             self.model.layout.n_categories[o.name])
            out.extend((p, o, cat) for cat in cats)
        return out

    def _means(self, eng, es):
        """Per row and joint pattern: sum over nodes of P(d,g,c,h | .) E[y | ...].

        Returns ``num`` (N, DC, V) and ``den`` (N, DC) = P(pattern | .), so
        that ``num.sum(1)`` is the expected outcome and ``num / den`` the
        expectation within a pattern.
        """
        d = eng.design
        N, D, C = d.n_rows, eng.D, eng.C
        DC = D * C
        zb, zh = es.nodes.zb, es.nodes.zh
        G, H = es.post_dg.shape[2], zh.shape[0]
        W = es.post_dg[d.cluster_of_row][:, :, :, None, None] * \
            es.rowpost.reshape(N, D, G, C, H)
        W = W.transpose(0, 1, 3, 2, 4).reshape(N, DC, G, H)
        den = W.sum(axis=(2, 3))
        if getattr(eng, "exact", None) is not None:  # exact normal path: posterior moments
            return den[:, :, None] * eng.exact.cell_means(es.inputs.A, es.inputs.moments), den
        Qb, Qw = zb.shape[2], zh.shape[1]
        Jz = zb.shape[0]
        lv = np.ones((Jz, G, H, 1 + Qb + Qw))
        lv[:, :, :, 1:1 + Qb] = zb[:, :, None, :]
        lv[:, :, :, 1 + Qb:] = zh[None, None, :, :]
        mono = eng.kl.mono
        U = lv[..., mono[:, 0]] * lv[..., mono[:, 1]]  # (Jz, G, H, M)
        A = es.inputs.A
        FP = es.inputs.FP
        layout = self._outcome_layout()
        V = len(layout)
        num = np.zeros((N, DC, V))
        v = 0
        for p, o in enumerate(eng.spec.outcomes):
            ch0 = eng.kl.och[p]
            nch = eng.kl.n_channels[p]
            Ap = A[:, ch0:ch0 + nch]  # (n_a, nch, DC, M)
            if Jz == 1:
                eta = np.einsum("iqdm,ghm->idghq", Ap, U[0])
            else:
                Ui = U[d.cluster_of_row]
                if Ap.shape[0] == 1:
                    eta = np.einsum("qdm,ighm->idghq", Ap[0], Ui)
                else:
                    eta = np.einsum("iqdm,ighm->idghq", Ap, Ui)
            n_par = self.model.layout.n_family_params(o)
            fp = FP[p][:, None, None, :n_par]  # (DC, 1, 1, n_par)
            mu = o.family.mean(eta, fp)  # (n_a|N, DC, G, H, nv)
            nv = mu.shape[-1]
            num[:, :, v:v + nv] = np.einsum("idgh,idghv->idv", W,
                                            np.broadcast_to(mu, (N,) + mu.shape[1:]))
            v += nv
        return num, den

    def _value_labels(self):
        """Column names of expected values: the outcome, or ``y[level]`` per category."""
        return [o.family.value_label(o.name, cat) for _p, o, cat in self._outcome_layout()]

    def _outcome_class_vars(self):
        """Class variables each outcome's parameters depend on (between first)."""
        spec = self.model.spec
        out = {}
        for o in spec.outcomes:
            s = set(spec.residual_by.get(o.name, [])) | set(spec.threshold_by.get(o.name, []))
            for t in spec.terms:
                if t.target != o.name:
                    continue
                s |= set(t.by)
                if t.latent is not None:
                    blk, _ = spec.effect_block(t.latent)
                    s |= set(blk.by)
            out[o.name] = [n for n in self._class_order if n in s]
        return out

    def _dependencies(self):
        """(source, target) pairs where the logits of target depend on source."""
        spec = self.model.spec
        pairs = []
        for t in spec.terms:
            if t.target in spec.class_names:
                for b in t.by:
                    if (b, t.target) not in pairs:
                        pairs.append((b, t.target))
        return pairs

    def _prior_eval(self, work, kind="all"):
        """Model-implied quantities at the free working vector ``work``.

        ``kind="classes"``: joint and marginal class proportions and
        transitions; ``"all"`` adds the outcome profiles.
        """
        eng = self._prior_engine(kind)
        es = eng.estep(work)
        wr, wc = self.__dict__["_prior_weights"][kind]
        D, C = eng.D, eng.C
        den = self._joint_from(eng, es)
        DEN = wr @ den
        joint_rows = DEN / wr.sum()
        between_clu = (wc @ den).reshape(D, C).sum(axis=1) / wc.sum()
        between = {c.name for c in self.model.spec.between_classes}
        marg = []
        for name in self._class_order:
            for _assign, mask in self._pattern_masks([name]):
                if name in between:
                    marg.append(between_clu[mask.reshape(D, C)[:, 0]].sum())
                else:
                    marg.append(joint_rows[mask].sum())
        trans = []
        for src, tgt in self._dependencies():
            src_m, tgt_m = self._pattern_masks([src]), self._pattern_masks([tgt])
            trans.extend(self._trans_from_joint(joint_rows, src_m, tgt_m))
        out = {"joint": joint_rows, "marginal": np.array(marg), "transitions": np.array(trans)}
        if kind == "all":
            num, den2 = self._means(eng, es)
            NUM = np.einsum("i,idv->dv", wr, num)
            DEN2 = wr @ den2
            prof = []
            ocv = self._outcome_class_vars()
            for v, (_p, o, _cat) in enumerate(self._outcome_layout()):
                for _assign, mask in self._pattern_masks(ocv[o.name]):
                    prof.append(NUM[mask, v].sum() / DEN2[mask].sum())
            out["profiles"] = np.array(prof)
        return out

    def _prior_delta(self, kind="classes"):
        """Model-implied quantities and their delta-method SEs (cached per kind)."""
        def compute():
            keys = ["joint", "marginal", "transitions"] + (["profiles"] if kind == "all"
                                                          else [])
            sizes = {}

            def fw(w):
                out = self._prior_eval(w, kind)
                for k in keys:
                    sizes[k] = out[k].size
                return np.concatenate([out[k] for k in keys])
            est, jac = self._jacobian_working(fw)
            cov = self._delta_cov()
            se = np.sqrt(np.clip(np.einsum("ij,jk,ik->i", jac, cov, jac), 0, None))
            res, pos = {}, 0
            for k in keys:
                n = sizes[k]
                res[k] = (est[pos:pos + n], se[pos:pos + n])
                pos += n
            return res
        return self._cached(("prior_delta", kind), compute)

    # -- profiles and transitions --------------------------------------------------------
    @property
    def profiles(self):
        """Outcome probabilities or means by class, long format, with delta-method SEs.

        Intervals of probabilities are computed on the logit scale and
        transformed back, so they stay inside [0, 1] (a probability at 0 or 1
        gets the interval [0, 0] or [1, 1]).

        One row per outcome value (the probability of 1 for a binary outcome,
        of each category for ordinal and nominal outcomes, the probability of
        success for binomial, the mean for normal and Poisson outcomes) and
        class of the class variables the outcome depends on (``classes`` =
        "all" for an outcome that depends on none).  Columns: outcome,
        category, scale, classes, one column per class variable (1-based,
        missing when not used), estimate, se, lower, upper (normal 95%).

        Values are model-implied: averaged over the rows' covariates with the
        rows' class probabilities as weights and integrated over the random
        effects, i.e. E[y | class].
        """
        return self._cached("profiles", self._build_profiles)

    def _build_profiles(self):
        est, se = self._prior_delta("all")["profiles"]
        rows = []
        ocv = self._outcome_class_vars()
        for _p, o, cat in self._outcome_layout():
            scale = o.family.mean_scale
            for assign, _ in self._pattern_masks(ocv[o.name]):
                row = {"outcome": o.name, "category": cat, "scale": scale,
                       "classes": _label(assign)}
                for n in self._class_order:
                    row[n] = assign[n] + 1 if n in assign else pd.NA
                rows.append(row)
        frame = pd.DataFrame(rows)
        for n in self._class_order:
            frame[n] = frame[n].astype("Int64")
        q = stats.norm.ppf(0.975)
        frame["estimate"] = est
        frame["se"] = se
        lower, upper = est - q * se, est + q * se
        prob = (frame["scale"] == "probability").to_numpy()
        lower[prob], upper[prob] = logit_interval(est[prob], se[prob], q)
        frame["lower"] = lower
        frame["upper"] = upper
        return frame

    def transition_table(self, source=None, target=None, kind="model", se=False):
        """P(target class | source class) where one class variable depends on another.

        Parameters
        ----------
        source, target : str, optional
            Class variables; default the first dependency of the model (a
            ``target`` whose logits have ``by=[source]``).  Any two class
            variables may be given.
        kind : {"model", "posterior"}
            Implied by the estimates (averaged over the rows' covariates and
            random effects), or from the rows' posterior probabilities.
        se : bool
            Return a long table (one row per ``"source->target"`` transition)
            with delta-method SEs, z, p and confidence limits (``kind="model"``).

        Returns
        -------
        pandas.DataFrame
            Rows: source classes; columns: target classes; rows sum to one.
        """
        deps = self._dependencies()
        if source is None or target is None:
            if not deps:
                raise ValueError("no class variable depends on another; give source= and "
                                 "target= to tabulate any two class variables")
            source, target = deps[0]
        for n in (source, target):
            self._class_var(n)
        if kind not in ("model", "posterior"):
            raise ValueError("kind must be 'model' or 'posterior'")
        src_m = self._pattern_masks([source])
        tgt_m = self._pattern_masks([target])
        idx = pd.Index([_label(a) for a, _ in src_m], name=source)
        cols = pd.Index([_label(b) for b, _ in tgt_m], name=target)
        if se:
            if kind != "model":
                raise ValueError("standard errors are available for kind='model' only")
            names = [f"{a}->{b}" for a in idx for b in cols]
            if (source, target) in deps:
                est, sd = self._prior_delta()["transitions"]
                pos = 0
                for s_, t_ in deps:
                    if (s_, t_) == (source, target):
                        break
                    pos += len(self._pattern_masks([s_])) * len(self._pattern_masks([t_]))
                est, sd = est[pos:pos + len(names)], sd[pos:pos + len(names)]
            else:
                est, sd = self._delta_transitions(source, target)
            return self._inference_frame(est, sd, names, index_name="transition")
        out = self._transition_estimate(source, target, kind).reshape(len(src_m), len(tgt_m))
        return pd.DataFrame(out, index=idx, columns=cols)

    def _transition_estimate(self, source, target, kind):
        """P(target | source), flat (source-major), from the joint class patterns."""
        if kind == "posterior":
            jp = self._row_weights() @ self._joint_sorted()
        else:
            jp = self._prior_delta()["joint"][0]
        return self._trans_from_joint(jp, self._pattern_masks([source]),
                                      self._pattern_masks([target]))

    def _delta_transitions(self, source, target):
        src_m = self._pattern_masks([source])
        tgt_m = self._pattern_masks([target])
        est, jac = self._jacobian_working(lambda w: self._trans_from_joint(
            self._prior_eval(w, "classes")["joint"], src_m, tgt_m))
        cov = self._delta_cov()
        return est, np.sqrt(np.clip(np.einsum("ij,jk,ik->i", jac, cov, jac), 0, None))

    @staticmethod
    def _trans_from_joint(jp, src_m, tgt_m):
        out = np.array([[jp[ms & mt].sum() for _, mt in tgt_m] for _, ms in src_m])
        return (out / out.sum(axis=1, keepdims=True)).ravel()

    @staticmethod
    def _joint_from(eng, es):
        N = eng.design.n_rows
        G, H = es.nodes.G, es.nodes.H
        rp = es.rowpost.reshape(N, eng.D, G, eng.C, H).sum(axis=4)
        pdg = es.post_dg[eng.design.cluster_of_row]
        return np.einsum("ndg,ndgc->ndc", pdg, rp).reshape(N, eng.D * eng.C)


def logit_interval(p, se, q):
    """Wald interval of a probability ``p`` (delta-method ``se``) on the logit scale.

    The standard error of ``logit(p)`` is ``se / (p (1 - p))``; the interval
    ``logit(p) +- q se_logit`` is mapped back by the logistic function.
    """
    p = np.clip(np.asarray(p, float), 0.0, 1.0)
    se = np.asarray(se, float)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        inner = (p > 1e-12) & (p < 1 - 1e-12)
        lo, hi = p.copy(), p.copy()
        pi = p[inner]
        mid = np.log(pi / (1 - pi))
        half = q * se[inner] / (pi * (1 - pi))
        lo[inner] = 1 / (1 + np.exp(-(mid - half)))
        hi[inner] = 1 / (1 + np.exp(-(mid + half)))
    return lo, hi
