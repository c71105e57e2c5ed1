"""The engine's tabulated path: outcomes and class priors as matrix products.

When an outcome's linear predictor does not vary over rows and the nodes are
shared by all clusters, its cell log-densities are products of row statistics
with tables (:mod:`mixlevel.engine.tabulate`), and the EM Q-function and its
gradient need only expected statistics.  The within class prior is tabulated
the same way when the class logits do not vary over rows.  This mixin adds
that path to :class:`~mixlevel.engine.Engine`; it reads the engine's kernel
layout (``self.kl``), design and nodes.
"""

from __future__ import annotations

import numpy as np

from . import tabulate
from .inputs import TabulatedInputs
from .kernel import KernelSelection
from .numeric import logsumexp

__all__ = ["TabulatedMixin"]


class TabulatedMixin:
    """Tabulated outcomes and class prior of an :class:`~mixlevel.engine.Engine`."""

    def _layout_tabulation(self):
        """Which outcomes and class priors are computed by matrix products.

        An outcome is tabulated when all its terms use the constant column; the
        within class prior when all class-logit terms do.  Needs nodes shared by
        all clusters, so adaptive rules switch it off.
        """
        kl, d = self.kl, self.design
        self.tab_outcomes = list(kl.tabulable_outcomes)
        self.tab_classes = kl.tabulable_classes
        self.fast = not self.adaptive and self.exact is None and (
            bool(self.tab_outcomes) or self.tab_classes)
        self.remaining_outcomes = len(self.tab_outcomes) < len(self.spec.outcomes)
        self.selection_full = KernelSelection.full(kl)
        if not self.fast:
            self.selection_fast = self.selection_full
            return
        n_fp = [self.layout.n_family_params(o) for o in self.spec.outcomes]
        fams = [o.family for o in self.spec.outcomes]
        key = ("outcome tables", tuple(self.tab_outcomes), tuple(fams), tuple(kl.ncat),
               tuple(kl.och), tuple(kl.n_channels), tuple(n_fp))
        if key not in d.cache:  # every engine of the design shares them
            d.cache[key] = tabulate.OutcomeTables(self.tab_outcomes, fams, kl.ncat, kl.och,
                                                  kl.n_channels, n_fp, d.y, d.trials)
        self.tables = d.cache[key]
        self.stats = self.tables.stats
        fam_fast = kl.fam.copy()
        fam_fast[self.tab_outcomes] = -1
        if self.tab_classes:
            no = np.zeros(0, np.int64)
            self.selection_fast = KernelSelection(fam_fast, no, no, np.zeros((kl.C, 0), np.int64))
        else:
            self.selection_fast = KernelSelection(fam_fast, kl.kv, kl.chv, kl.cpat)

    def tab_channels(self):
        """Channels whose scores come from the tables."""
        chans = []
        for p in self.tab_outcomes:
            chans.extend(self.kl.outcome_channels(p))
        if self.tab_classes:
            chans.extend(self.kl.class_channels())
        return chans

    def _node_monomials(self):
        """U[g, h, m] at the shared nodes (cached while the nodes stay)."""
        cached = getattr(self, "_monomials", None)  # holds the node state it was made of
        if cached is not None and cached[0] is self.nodes:
            return cached[1]
        nodes, mono = self.nodes, self.kl.mono
        G, H = nodes.G, nodes.H
        lv = np.concatenate([np.ones((G, H, 1)),
                             np.broadcast_to(nodes.zb[0][:, None, :], (G, H, nodes.zb.shape[2])),
                             np.broadcast_to(nodes.zh[None, :, :], (G, H, nodes.zh.shape[1]))],
                            axis=2)
        U = lv[:, :, mono[:, 0]] * lv[:, :, mono[:, 1]]
        self._monomials = (nodes, U)
        return U

    def _tabulated_inputs(self, A, FP):
        """Tables of the tabulated outcomes and the class log-prior at ``A``, ``FP``."""
        kl = self.kl
        D, C, G, H = kl.D, kl.C, self.nodes.G, self.nodes.H
        U = self._node_monomials()
        A0 = A[0].reshape(kl.CH, D, C, kl.M)
        T, cache = self.tables.tables(A0, U, FP, (D, G, C, H))
        logprior, probs = self._class_logprior(A0, U) if self.tab_classes else (None, None)
        return TabulatedInputs(T, cache, U, logprior, probs)

    def _extra(self, inputs):
        """Cell log-densities of the tabulated parts per row: stats @ T + log prior."""
        kl = self.kl
        D, C, G, H = kl.D, kl.C, self.nodes.G, self.nodes.H
        tab = inputs.tab
        extra = self.stats @ tab.T if len(tab.T) else \
            np.zeros((self.design.n_rows, D * G * C * H))
        if tab.logprior is not None:
            extra = extra + np.broadcast_to(tab.logprior[:, :, :, None],
                                            (D, G, C, H)).reshape(1, -1)
        return np.ascontiguousarray(extra.reshape(-1))

    def _class_logprior(self, A0, U):
        """log P(c | d, g) (D, G, C) and per variable the class probabilities."""
        kl = self.kl
        D, C, G = kl.D, kl.C, self.nodes.G
        logprior = np.zeros((D, G, C))
        probs = []
        for v, (K, ch0) in enumerate(zip(kl.kv, kl.chv, strict=True)):
            eta = np.zeros((K, D, G, C))
            eta[:K - 1] = np.einsum("kdcm,gm->kdgc", A0[ch0:ch0 + K - 1], U[:, 0, :])
            lp = eta - logsumexp(eta, axis=0, keepdims=True)
            cv = kl.cpat[:, v]
            logprior += np.take_along_axis(lp, cv[None, None, None, :].repeat(D, 1)
                                           .repeat(G, 2), axis=0)[0]
            probs.append(np.exp(lp))
        return logprior, probs

    def _row_posterior(self, estep):
        """Weighted posterior of every row over the cells (N, D*G*C*H)."""
        kl = self.kl
        D, C, G, H = kl.D, kl.C, estep.nodes.G, estep.nodes.H
        d = self.design
        N = d.n_rows
        w = d.row_weight * d.cluster_weight[self.cluster_of_row]
        post = estep.post_dg if d.single_level else estep.post_dg[self.cluster_of_row]
        if C * H == 1:  # P(c, h | d, g, y_i) = 1 wherever P(d, g | Y_j) > 0
            return post.reshape(N, -1) if self._unit_weights else post.reshape(N, -1) * w[:, None]
        P = post[:, :, :, None, None] * estep.rowpost.reshape(N, D, G, C, H) \
            * w[:, None, None, None, None]
        return P.reshape(N, -1)

    def expected_statistics(self, estep):
        """Expected statistics E (S, cells) and pattern counts (D, G, C), cached."""
        if estep.tab_stats is None:
            kl = self.kl
            D, C, G, H = kl.D, kl.C, estep.nodes.G, estep.nodes.H
            P = self._row_posterior(estep)
            E = (P.T @ self.stats).T  # this order: OpenBLAS is 50x slower on stats.T @ P
            counts = P.sum(axis=0).reshape(D, G, C, H).sum(axis=3)
            estep.tab_stats = (E, counts)
        return estep.tab_stats

    def _tab_expected(self, inputs, estep, g):
        """Q and gradient of the tabulated parts from the expected statistics."""
        kl = self.kl
        D, C, G, H = kl.D, kl.C, self.nodes.G, self.nodes.H
        E, counts = self.expected_statistics(estep)
        tab = inputs.tab
        U = tab.U
        q = float((E * tab.T).sum()) if len(E) else 0.0
        dA = np.zeros((kl.CH, D, C, kl.M))
        fam_grad = self.tables.gradient(E, tab.cache, U, (D, G, C, H), dA)
        if self.tab_classes:
            q += float((counts * tab.logprior).sum())
            for v, (K, ch0) in enumerate(zip(kl.kv, kl.chv, strict=True)):
                prob = tab.class_probs[v]  # (K, D, G, C)
                ind = (kl.cpat[:, v][None, :] == np.arange(K)[:, None])  # (K, C)
                resid = ind[:, None, None, :] - prob
                dA[ch0:ch0 + K - 1] = np.einsum("kdgc,gm->kdcm",
                                                (counts[None] * resid)[:K - 1], U[:, 0, :])
        # dA is zero outside the tabulated channels
        g += dA.reshape(-1) @ self._coefficient_map(skip_tabulated=False)
        for p, dc, off, n_par, _ in kl.family_entries:
            if p in fam_grad:
                g[off:off + n_par] += fam_grad[p][:n_par, dc // C, dc % C]
        return q

    def _tab_row_scores(self, inputs, estep):
        """Per-row scores of the tabulated parts, in the kernel's layout.

        Returns S (N, CH, DC, M) and GF (N, outcomes, DC, kf), the expected
        complete-data scores of each row in the linear-predictor coefficients and
        family parameters, and q (N,), each row's share of the Q-function.  Row
        i's score in a coefficient of channel k is
        sum_s stats[i, s] sum_cell P[i, cell] dT[s, cell]/deta_k U[cell, m],
        one matrix product of the row posteriors P with the table derivatives.
        """
        kl = self.kl
        D, C, G, H, M = kl.D, kl.C, self.nodes.G, self.nodes.H, kl.M
        N = self.design.n_rows
        tab = inputs.tab
        U = tab.U  # (G, H, M)
        P = self._row_posterior(estep)
        S = np.zeros((N, kl.CH, D, C, M))
        GF = np.zeros((N, max(len(self.spec.outcomes), 1), D, C, kl.kf))
        self.tables.row_scores(P, tab.cache, U, (D, G, C, H), S, GF)
        eye_d, eye_c = np.eye(D), np.eye(C)
        cell_ll = self.stats @ tab.T if len(tab.T) else np.zeros_like(P)
        if self.tab_classes:
            cell_ll = cell_ll + np.broadcast_to(tab.logprior[:, :, :, None],
                                                (D, G, C, H)).reshape(1, -1)
            for v_, (K, ch0) in enumerate(zip(kl.kv, kl.chv, strict=True)):
                prob = tab.class_probs[v_]  # (K, D, G, C)
                ind = (kl.cpat[:, v_][None, :] == np.arange(K)[:, None])  # (K, C)
                resid = (ind[:, None, None, :] - prob)[:K - 1]
                v = np.einsum("kdgc,gm,h,de,cf->dgchkefm", resid, U[:, 0, :], np.ones(H),
                              eye_d, eye_c)
                S[:, ch0:ch0 + K - 1] = (P @ v.reshape(P.shape[1], -1)).reshape(
                    N, K - 1, D, C, M)
        q = np.einsum("ij,ij->i", P, cell_ll)
        return (S.reshape(N, kl.CH, kl.DC, M), GF.reshape(N, GF.shape[1], kl.DC, kl.kf), q)
