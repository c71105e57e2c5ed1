"""Tabulated outcomes: log-densities as matrix products over sufficient statistics.

When an outcome's linear predictor does not vary over rows (intercepts, class
effects, loadings on latent variables: LCA, IRT, factor mixtures) and the
quadrature nodes are shared by all clusters, its log-density at every cell
(between pattern, node, within pattern, row node) is linear in a few
statistics of the row, ``log f[i, cell] = stats[i] @ T[:, cell]`` (one BLAS
product for all outcomes), and the EM Q-function and its gradient need only
the expected statistics E = stats' @ posterior (DESIGN.md section 4b).

The statistics and tables are the family's (``n_statistics``,
``row_statistics``, ``table``, ``table_gradient`` of
:class:`~mixlevel.families.Family`): binary and binomial (y, n - y), ordinal
and nominal the one-hot category, normal (1, y, y^2), Poisson (1, y), ...
Constants (log C(n, y), -lgamma(y + 1), -0.5 log 2 pi) are left out, as in the
kernel.  A family without tables raises :class:`~mixlevel.families.NoTables`;
:func:`has_tables` tells the engine to leave such outcomes to the kernel.
"""

from __future__ import annotations

import numpy as np

from ..families import NoTables

__all__ = ["OutcomeTables", "has_tables", "stat_derivatives"]


def has_tables(family, n_cat):
    """True when ``family`` has tabulated statistics (else the kernel computes it)."""
    try:
        family.n_statistics(n_cat)
    except NoTables:
        return False
    return True


def stat_derivatives(family, eta, fp, n_cat):
    """dT[s, cell] / d(eta, fp): (S, channels, cells) and (S, n_params, cells).

    Q = sum(E * T) is linear in E, so the derivative of row ``s`` of the table
    is the family's ``table_gradient`` at the unit statistic ``E = e_s``.
    Cells where a table entry is -inf (a category of probability zero) get 0:
    their posterior weight is zero.
    """
    n_stat = family.n_statistics(n_cat)
    d_eta, d_fp = [], []
    for s in range(n_stat):
        unit = np.zeros((n_stat,) + eta.shape[1:])
        unit[s] = 1.0
        g_eta, g_fp = family.table_gradient(eta, fp, n_cat, unit)
        d_eta.append(g_eta)
        d_fp.append(g_fp)
    d_eta, d_fp = np.stack(d_eta), np.stack(d_fp)
    return (np.where(np.isfinite(d_eta), d_eta, 0.0),
            np.where(np.isfinite(d_fp), d_fp, 0.0))


class _Group:
    """Tabulated outcomes of one family, category count and parameter layout."""

    def __init__(self, family, n_cat, n_channels, n_fp, outcomes, channels, rows):
        self.family, self.n_cat, self.n_channels, self.n_fp = family, n_cat, n_channels, n_fp
        self.outcomes = np.asarray(outcomes, np.int64)   # model outcome indexes
        self.channels = np.asarray(channels, np.int64)   # (outcomes, channels) kernel channels
        self.rows = rows                                  # slice of the statistics columns
        self.n_stat = family.n_statistics(n_cat)
        # the channels as a slice when consecutive: slice assignment is 10x faster
        flat = self.channels.reshape(-1)
        consecutive = len(flat) and np.array_equal(flat, np.arange(flat[0], flat[0] + len(flat)))
        self.channel_index = slice(int(flat[0]), int(flat[0]) + len(flat)) if consecutive \
            else self.channels


class OutcomeTables:
    """The tabulated outcomes of a model, grouped by family.

    Outcomes of one family (and category count) share their table formulas,
    so each group is one vectorised call with the outcomes stacked along the
    cells.  ``stats`` (rows, statistics) holds the row statistics in group
    order, the row order of the tables.

    Parameters
    ----------
    outcomes : list of int
        Model outcome indexes that are tabulated.
    families, n_cat, first_channel, n_channels, n_fp : sequences over all outcomes
        Family, categories, first kernel channel, number of channels and of
        family parameters (residual log-variance, thresholds).
    y, trials : (N, outcomes) arrays of the design.

    Raises :class:`~mixlevel.families.NoTables` when an outcome's family has
    no tables.
    """

    def __init__(self, outcomes, families, n_cat, first_channel, n_channels, n_fp, y, trials):
        keyed = {}
        for p in outcomes:
            keyed.setdefault((families[p], n_cat[p], n_channels[p], n_fp[p]), []).append(p)
        self.groups, self.stat_slice = [], {}
        start = 0
        for (family, k_cat, nch, nfp), ps in keyed.items():
            first = start
            for p in ps:
                self.stat_slice[p] = slice(start, start + family.n_statistics(k_cat))
                start = self.stat_slice[p].stop
            chans = [[first_channel[p] + k for k in range(nch)] for p in ps]
            self.groups.append(_Group(family, k_cat, nch, nfp, ps, chans, slice(first, start)))
        self.stats = np.zeros((len(y), start))
        for grp in self.groups:
            for p in grp.outcomes:
                grp.family.row_statistics(y[:, p], trials[:, p], grp.n_cat,
                                          out=self.stats[:, self.stat_slice[int(p)]])

    def tables(self, A0, U, FP, shape):
        """Tables T (statistics, cells) and the per-group (eta, fp) they came from.

        A0 (channels, D, C, M) are the coefficients, U (G, H, M) the node
        monomials, FP (outcomes, D*C, kf) the family parameters; cells are laid
        out as ``shape`` = (D, G, C, H).
        """
        D, G, C, H = shape
        out, cache = [], []
        for grp in self.groups:
            n = len(grp.outcomes)
            eta = np.einsum("okdcm,ghm->kodgch", A0[grp.channels], U).reshape(
                grp.n_channels, -1)
            fp = FP[grp.outcomes][:, :, :grp.n_fp].reshape(n, D, C, grp.n_fp)
            fp = np.broadcast_to(fp.transpose(3, 0, 1, 2)[:, :, :, None, :, None],
                                 (grp.n_fp, n, D, G, C, H)).reshape(grp.n_fp, eta.shape[1])
            t = grp.family.table(eta, fp, grp.n_cat)
            out.append(t.reshape(grp.n_stat, n, -1).transpose(1, 0, 2).reshape(
                n * grp.n_stat, -1))
            cache.append((eta, fp))
        T = np.concatenate(out) if out else np.zeros((0, D * G * C * H))
        return T, cache

    def gradient(self, E, cache, U, shape, dA):
        """Add dQ/dA of Q = sum(E * T) into dA (channels, D, C, M); dQ/dfp per outcome.

        Returns {outcome: (n_fp, D, C)} for outcomes with family parameters.
        """
        D, G, C, H = shape
        fam = {}
        for grp, (eta, fp) in zip(self.groups, cache, strict=True):
            n = len(grp.outcomes)
            e = E[grp.rows].reshape(n, grp.n_stat, -1).transpose(1, 0, 2).reshape(
                grp.n_stat, -1)
            g_eta, g_fp = grp.family.table_gradient(eta, fp, grp.n_cat, e)
            dA[grp.channels] = np.einsum("kodgch,ghm->okdcm",
                                         g_eta.reshape(grp.n_channels, n, D, G, C, H), U)
            if g_fp.shape[0]:
                per = g_fp.reshape(-1, n, D, G, C, H).sum(axis=(3, 5))  # (n_fp, n, D, C)
                for i, p in enumerate(grp.outcomes):
                    fam[int(p)] = per[:, i]
        return fam

    def row_scores(self, P, cache, U, shape, S, GF):
        """Add each row's expected scores into S (N, channels, D, C, M) and GF.

        P (N, cells) are the rows' posterior weights; GF is (N, outcomes, D, C,
        kf).  Row i's score in coefficient m of channel k is sum_s stats[i, s]
        sum_cell P[i, cell] dT[s, cell]/deta_k U[cell, m]: one matrix product of
        P with the table derivatives per group.
        """
        D, G, C, H = shape
        N, cells = P.shape
        M = U.shape[2]
        eye_d, eye_c = np.eye(D), np.eye(C)
        for grp, (eta, fp) in zip(self.groups, cache, strict=True):
            n, ns, nch = len(grp.outcomes), grp.n_stat, grp.n_channels
            d_eta, d_fp = stat_derivatives(grp.family, eta, fp, grp.n_cat)
            stats = self.stats[:, grp.rows].reshape(N, n, ns)
            v = np.einsum("skodgch,ghm,de,cf->dgchoskefm",
                          d_eta.reshape(ns, nch, n, D, G, C, H), U, eye_d, eye_c)
            r = (P @ v.reshape(cells, -1)).reshape(N, n, ns, nch, D, C, M)
            val = np.einsum("ios,ioskdcm->iokdcm", stats, r)
            if isinstance(grp.channel_index, slice):  # (outcome, channel) flattened in order
                val = val.reshape(N, n * nch, D, C, M)
            S[:, grp.channel_index] = val
            if grp.n_fp:
                v = np.einsum("sjodgch,de,cf->dgchosjef",
                              d_fp.reshape(ns, grp.n_fp, n, D, G, C, H), eye_d, eye_c)
                r = (P @ v.reshape(cells, -1)).reshape(N, n, ns, grp.n_fp, D, C)
                GF[:, grp.outcomes, :, :, :grp.n_fp] = np.einsum("ios,iosjdc->iodcj",
                                                                 stats, r)
