"""Closed-form EM M-step of latent class models.

When every free parameter is a binary item's class-specific logit (or
probit), a within class logit or a between class logit, each intercept only,
the M-step has a closed form: the logit of pooled expected counts (Goodman
1974; the EM of poLCA and Latent GOLD).  :class:`ClosedFormMStep` plans that
update once from an :class:`~mixlevel.engine.Engine`'s kernel layout and
applies it to the expected statistics of an E-step.
"""

from __future__ import annotations

import numpy as np

__all__ = ["ClosedFormMStep"]


class ClosedFormMStep:
    """The closed-form update of one engine's latent class model.

    Use :meth:`plan`, which returns None when some free parameter has no closed
    form (covariates, latent variables, equality constraints, other families).
    """

    def __init__(self, engine, plan_items, plan_classes):
        self.plan_classes = plan_classes
        self._pool_items(engine, plan_items)

    @classmethod
    def plan(cls, eng):
        """A ClosedFormMStep for ``eng``, or None if the model does not allow one.

        Planned once per kernel layout and design (engines spawned for random
        starts share it).
        """
        key = ("closed-form M-step", id(eng.kl), bool(eng.fast))
        hit = eng.design.cache.get(key)
        if hit is not None and hit[0] is eng.kl:
            return hit[1]
        planned = cls._plan(eng)
        eng.design.cache[key] = (eng.kl, planned)
        return planned

    @classmethod
    def _plan(cls, eng):
        kl = eng.kl
        if not eng.fast or kl.qb or kl.qw or kl.family_entries:
            return None
        tab = eng.table
        n_full = len(tab.names)
        if (np.asarray(tab.source) != np.arange(n_full)).any():
            return None  # equality constraints: leave to the generic M-step
        by_channel = {}
        for ch, m, col, idx, val in kl.entries:
            by_channel.setdefault(ch, []).append((m, col, idx, val))
        plan_items, plan_classes, covered = [], [], set()
        for p in eng.tab_outcomes:
            if not eng.spec.outcomes[p].family.closed_form_intercept:
                return None
            ents = by_channel.get(kl.och[p], [])
            if len(ents) != 1 or ents[0][0] != 0:
                return None
            idx = ents[0][2]
            plan_items.append((p, idx))
            covered.update(idx[idx >= 0].tolist())
        for v, (K, ch0) in enumerate(zip(kl.kv, kl.chv, strict=True)):
            idx = []
            for k in range(K - 1):
                ents = by_channel.get(ch0 + k, [])
                if len(ents) != 1 or ents[0][0] != 0 or (ents[0][2] < 0).any():
                    return None
                idx.append(ents[0][2])
            idx = np.array(idx, dtype=np.int64).reshape(K - 1, kl.DC)
            configs = {}
            for dc in range(kl.DC):
                configs.setdefault(tuple(idx[:, dc]), []).append(dc)
            used = [i for key in configs for i in key]
            if len(used) != len(set(used)):
                return None
            plan_classes.append((v, list(configs.items())))
            covered.update(used)
        for w, cv in enumerate(eng.spec.between_classes):
            ents = [e for e in kl.between_entries if e[0] == w]
            if any(e[2] != "1" or (e[3] < 0).any() for e in ents) or \
                    len(ents) != cv.n_classes - 1:
                return None
            covered.update(i for e in ents for i in e[3].tolist())
        if not set(tab.free_index.tolist()) <= covered:
            return None
        return cls(eng, plan_items, plan_classes)

    def _pool_items(self, eng, plan_items):
        """Flat arrays pooling item counts per parameter: (parameter, E row, cell)."""
        par, row, cell = [], [], []
        for p, idx in plan_items:
            first = eng.tables.stat_slice[p].start  # statistics y, n - y
            for dc in np.nonzero(idx >= 0)[0]:
                par.append(idx[dc])
                row.append(first)
                cell.append(dc)  # no latent variables: cells are (d, c)
        self.params, self.slot = np.unique(np.asarray(par, np.int64), return_inverse=True)
        self.row, self.cell = np.asarray(row, np.int64), np.asarray(cell, np.int64)
        by_family = {}  # the update is the family's link of the pooled share of successes
        for p, idx in plan_items:
            fam = eng.spec.outcomes[p].family
            by_family.setdefault(fam, []).extend(idx[idx >= 0].tolist())
        self.links = [(fam, np.isin(self.params, ids)) for fam, ids in by_family.items()]

    def item_counts(self, E):
        """Pooled expected counts (successes, failures) per item parameter."""
        n1 = np.bincount(self.slot, weights=E[self.row, self.cell], minlength=len(self.params))
        n0 = np.bincount(self.slot, weights=E[self.row + 1, self.cell],
                         minlength=len(self.params))
        return n1, n0

    @staticmethod
    def item_shares(n1, n0):
        """The M-step's share of successes per item parameter (kept off 0 and 1)."""
        return np.clip(n1 / np.maximum(n1 + n0, 1e-300), 1e-13, 1 - 1e-13)

    @staticmethod
    def class_shares(n):
        """The M-step's class shares of one class variable's counts (kept off 0)."""
        return np.clip(n / max(n.sum(), 1e-300), 1e-13, None)

    def class_counts(self, kl, counts):
        """Expected counts per (variable, logit configuration): [(key, n)] lists."""
        cnt = counts.reshape(kl.D, kl.C)
        C = kl.C
        out = []
        for v, configs in self.plan_classes:
            K = kl.kv[v]
            out.append([(key, np.array([sum(cnt[dc // C, dc % C] for dc in cells
                                            if kl.cpat[dc % C, v] == k) for k in range(K)]))
                        for key, cells in configs])
        return out

    def set_work(self, work, prob, class_shares):
        """Write the item parameters (links of ``prob``) and class logits into ``work``.

        ``class_shares`` is [(key, shares)] per class variable, as
        :meth:`class_counts` gives counts; the logits are log(q_k / q_K).
        """
        for fam, mask in self.links:
            work[self.params[mask]] = fam.link_function(prob[mask])
        for groups in class_shares:
            for key, q in groups:
                for k in range(len(key)):
                    work[key[k]] = np.log(q[k] / q[-1])
        return work

    def from_statistics(self, kl, E, counts, work):
        """``work`` (every parameter, working scale) with the item parameters and class
        logits that maximise Q at the expected statistics E and class counts."""
        prob = self.item_shares(*self.item_counts(E)) if len(self.params) else np.zeros(0)
        shares = [[(key, self.class_shares(n)) for key, n in groups]
                  for groups in self.class_counts(kl, counts)]
        return self.set_work(work, prob, shares)

    def update(self, eng, estep):
        """The free working vector that maximises the Q-function of ``estep`` (of ``eng``)."""
        kl = eng.kl
        E, counts = eng.expected_statistics(estep)
        D = kl.D
        work = self.from_statistics(kl, E, counts, estep.inputs.work.copy())
        if eng.spec.between_classes:
            post_d = (estep.post_dg.sum(axis=2) * eng.design.cluster_weight[:, None]).sum(0)
            for w, cv in enumerate(eng.spec.between_classes):
                ents = sorted((e for e in kl.between_entries if e[0] == w),
                              key=lambda e: e[1])
                configs = {}
                for dd in range(D):
                    configs.setdefault(tuple(e[3][dd] for e in ents), []).append(dd)
                for key, cells in configs.items():
                    n = np.array([sum(post_d[dd] for dd in cells if kl.dpat[dd, w] == k)
                                  for k in range(cv.n_classes)])
                    n = self.class_shares(n)
                    for k in range(cv.n_classes - 1):
                        work[key[k]] = np.log(n[k] / n[-1])
        return work[eng.table.free_index]
