"""Closed-form EM M-step of latent class models.

When every free parameter is a binary item's class-specific logit (or
probit), a nominal item's class-specific category logits, a within class
logit or a between class logit, each intercept only, the M-step has a closed
form: the link of the shares of pooled expected counts (Goodman 1974; the EM
of poLCA and Latent GOLD).  :class:`ClosedFormMStep` plans that
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
        plan_items, plan_classes, covered, keys = [], [], set(), set()
        free_index = np.asarray(tab.free_index)
        for p in eng.tab_outcomes:
            if not eng.spec.outcomes[p].family.closed_form_intercept:
                return None
            idx = []
            for ch in kl.outcome_channels(p):  # one intercept per channel (category)
                ents = by_channel.get(ch, [])
                if len(ents) != 1 or ents[0][0] != 0:
                    return None
                idx.append(ents[0][2])
            idx = np.array(idx, dtype=np.int64).reshape(len(idx), kl.DC)
            # a cell's intercepts are estimated (free), or fixed (a constant or fix=)
            free = np.isin(idx, free_index)
            if (free.any(axis=0) != free.all(axis=0)).any():
                return None  # some categories of a cell fixed, others free
            idx = np.where(free, idx, -1)
            plan_items.append((p, idx))
            keys.update(tuple(idx[:, dc].tolist()) for dc in np.nonzero(free[0])[0])
        used = [i for key in keys for i in key]
        if len(used) != len(set(used)):
            return None  # a parameter shared by two pools: no closed form
        covered.update(used)
        for v, (K, ch0) in enumerate(zip(kl.kv, kl.chv, strict=True)):
            idx = []
            for k in range(K - 1):
                ents = by_channel.get(ch0 + k, [])
                if len(ents) != 1 or ents[0][0] != 0 or not np.isin(ents[0][2],
                                                                     free_index).all():
                    return None  # a fixed class logit: the shares are not the optimum
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
            if any(e[2] != "1" or not np.isin(e[3], free_index).all() for e in ents) or \
                    len(ents) != cv.n_classes - 1:
                return None
            covered.update(i for e in ents for i in e[3].tolist())
        if not set(tab.free_index.tolist()) <= covered:
            return None
        return cls(eng, plan_items, plan_classes)

    def _pool_items(self, eng, plan_items):
        """Item pools (cells of an item sharing their intercepts) and flat arrays of their
        entries: (pool, first statistic row, cell)."""
        keys, pool_of_key, pool, row, cell = [], {}, [], [], []
        groups = {}  # (family, statistics) -> pools: the update is the family's
        for p, idx in plan_items:
            fam = eng.spec.outcomes[p].family
            rows = eng.tables.stat_slice[p]
            for dc in np.nonzero(idx[0] >= 0)[0]:
                key = tuple(idx[:, dc].tolist())
                if key not in pool_of_key:
                    pool_of_key[key] = len(keys)
                    keys.append(key)
                    groups.setdefault((fam, rows.stop - rows.start), []).append(len(keys) - 1)
                pool.append(pool_of_key[key])
                row.append(rows.start)
                cell.append(dc)  # no latent variables: cells are (d, c)
        self.n_pool = len(keys)
        self.pool = np.asarray(pool, np.int64)
        self.row, self.cell = np.asarray(row, np.int64), np.asarray(cell, np.int64)
        self.groups = [(fam, np.asarray(pools, np.int64), n_stat,
                        np.array([keys[g] for g in pools], np.int64))
                       for (fam, n_stat), pools in groups.items()]
        self.k_max = max([n for _, _, n, _ in self.groups], default=2)
        self.n_stat = np.zeros(self.n_pool, np.int64)
        for _, pools, n_stat, _ in self.groups:
            self.n_stat[pools] = n_stat

    def item_counts(self, E):
        """Pooled expected counts of the statistics per item pool (pools, k_max)."""
        counts = np.zeros((self.n_pool, self.k_max))
        for k in range(self.k_max):
            ok = k < self.n_stat[self.pool]
            counts[:, k] = np.bincount(self.pool[ok], weights=E[self.row[ok] + k, self.cell[ok]],
                                       minlength=self.n_pool)
        return counts

    def item_shares(self, counts):
        """The M-step's shares of the statistics per pool (the family's rule)."""
        shares = np.zeros_like(counts)
        for fam, pools, n_stat, _ in self.groups:
            shares[pools, :n_stat] = fam.closed_form_shares(counts[pools, :n_stat])
        return shares

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

    def set_work(self, work, shares, class_shares):
        """Write the item intercepts and class logits into ``work``.

        ``shares`` (pools, k_max) are the items' (:meth:`item_shares`), the
        intercepts the family's (binary: the link of the share of successes;
        nominal: log(q_k / q_K)); ``class_shares`` is [(key, shares)] per class
        variable, as :meth:`class_counts` gives counts, the logits log(q_k / q_K).
        """
        for fam, pools, n_stat, keys in self.groups:
            work[keys] = fam.intercepts_from_shares(shares[pools, :n_stat])
        for groups in class_shares:
            for key, q in groups:
                for k in range(len(key)):
                    work[key[k]] = np.log(q[k] / q[-1])
        return work

    def from_statistics(self, kl, E, counts, work):
        """``work`` (every parameter, working scale) with the item parameters and class
        logits that maximise Q at the expected statistics E and class counts."""
        shares = [[(key, self.class_shares(n)) for key, n in groups]
                  for groups in self.class_counts(kl, counts)]
        return self.set_work(work, self.item_shares(self.item_counts(E)), shares)

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
