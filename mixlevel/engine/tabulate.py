"""Tabulated outcomes: log-densities as matrix products over sufficient statistics.

When an outcome's linear predictor does not vary over rows (intercepts, class
effects, loadings on latent variables: LCA, IRT, factor mixtures) and the
quadrature nodes are shared by all clusters, its log-density at every cell
(between pattern, node, within pattern, row node) is linear in a few
statistics of the row:

=================  ===========================  ===============================
family             statistics of a row          table T[s, cell]
=================  ===========================  ===============================
binary, binomial   y, n - y                     log F(eta), log F(-eta)
ordinal, nominal   one-hot of the category      log P(y = k | eta, tau)
normal             1, y, y^2                    coefficients of the quadratic
poisson            1, y                         -exp(eta), eta
=================  ===========================  ===============================

so log f[i, cell] = stats[i] @ T[:, cell] (one BLAS product for all outcomes),
and the EM Q-function and its gradient need only the expected statistics
E = stats' @ posterior (DESIGN.md section 4b).  Constants (log C(n, y),
-lgamma(y + 1), -0.5 log 2 pi) are left out, as in the kernel.
"""

from __future__ import annotations

import numpy as np
from scipy import special

from ..families import (
    BINOMIAL_LOGIT,
    BINOMIAL_PROBIT,
    LOGIT,
    NOMINAL,
    NORMAL,
    ORDINAL_PROBIT,
    POISSON,
    PROBIT,
)

__all__ = ["OutcomeTables", "row_statistics", "table", "table_gradient", "stat_derivatives",
           "n_statistics"]

_PROBIT = {PROBIT, BINOMIAL_PROBIT, ORDINAL_PROBIT}


def n_statistics(code, n_cat):
    if code in (LOGIT, PROBIT, BINOMIAL_LOGIT, BINOMIAL_PROBIT, POISSON):
        return 2
    if code == NORMAL:
        return 3
    return n_cat


def row_statistics(code, y, trials, n_cat, out=None):
    """(N, S) statistics of one outcome; missing values give zero rows.

    Written into ``out`` (an (N, S) view, e.g. columns of a larger array) when given.
    """
    obs = ~np.isnan(y)
    yy = np.where(obs, y, 0.0)
    if out is None:
        out = np.zeros((len(y), n_statistics(code, n_cat)))
    if code in (LOGIT, PROBIT, BINOMIAL_LOGIT, BINOMIAL_PROBIT):
        out[:, 0] = yy
        out[:, 1] = np.where(obs, trials, 0.0) - yy
    elif code == NORMAL:
        out[:, 0] = obs
        out[:, 1] = yy
        out[:, 2] = yy * yy
    elif code == POISSON:
        out[:, 0] = obs
        out[:, 1] = yy
    else:
        out[:] = 0.0
        out[np.nonzero(obs)[0], yy[obs].astype(int)] = 1.0
    return out


def _log_cdf(x, probit):
    return special.log_ndtr(x) if probit else -np.logaddexp(0.0, -x)


def _log_pdf(x, probit):
    if probit:
        return -0.5 * x * x - 0.5 * np.log(2 * np.pi)
    return -np.logaddexp(0.0, x) - np.logaddexp(0.0, -x)


def _ordinal_cells(eta, tau, probit):
    """log P(y = k) for k = 0..K-1 and the bounds a = tau_k - eta, b = tau_{k-1} - eta."""
    K = tau.shape[0] + 1
    inf = np.full((1,) + eta.shape, np.inf)
    upper = np.concatenate([tau - eta, inf])          # (K, cells)
    lower = np.concatenate([-inf, tau - eta])
    # log(F(a) - F(b)) with the upper-tail form when b > 0
    flip = lower > 0
    la = np.where(flip, _log_cdf(-lower, probit), _log_cdf(upper, probit))
    lb = np.where(flip, _log_cdf(-upper, probit), _log_cdf(lower, probit))
    with np.errstate(divide="ignore", invalid="ignore"):
        logp = la + np.log(-np.expm1(lb - la))
    logp = np.where(np.isfinite(la) & (lb < la), logp, -np.inf)
    return logp.reshape(K, -1), upper, lower


def table(code, eta, fp, n_cat):
    """T[s, cell]: eta (channels, cells), fp (n_params, cells)."""
    probit = code in _PROBIT
    if code in (LOGIT, PROBIT, BINOMIAL_LOGIT, BINOMIAL_PROBIT):
        e = eta[0]
        return np.stack([_log_cdf(e, probit), _log_cdf(-e, probit)])
    if code == NORMAL:
        e, lv = eta[0], fp[0]
        iv = np.exp(-lv)
        return np.stack([-0.5 * lv - 0.5 * e * e * iv, e * iv, -0.5 * iv])
    if code == POISSON:
        e = eta[0]
        return np.stack([-np.exp(e), e])
    if code == NOMINAL:
        full = np.concatenate([eta, np.zeros((1,) + eta.shape[1:])])
        return full - special.logsumexp(full, axis=0, keepdims=True)
    logp, _, _ = _ordinal_cells(eta[0], fp[: n_cat - 1], probit)
    return logp


def table_gradient(code, eta, fp, n_cat, E):
    """dQ/deta (channels, cells) and dQ/dfp (n_params, cells) for Q = sum(E * T)."""
    probit = code in _PROBIT
    if code in (LOGIT, PROBIT, BINOMIAL_LOGIT, BINOMIAL_PROBIT):
        e = eta[0]
        d_pos = np.exp(_log_pdf(e, probit) - _log_cdf(e, probit))
        d_neg = np.exp(_log_pdf(e, probit) - _log_cdf(-e, probit))
        return (E[0] * d_pos - E[1] * d_neg)[None], np.zeros((0,) + e.shape)
    if code == NORMAL:
        e, lv = eta[0], fp[0]
        iv = np.exp(-lv)
        g_eta = (-E[0] * e + E[1]) * iv
        g_lv = E[0] * (-0.5 + 0.5 * e * e * iv) - E[1] * e * iv + 0.5 * E[2] * iv
        return g_eta[None], g_lv[None]
    if code == POISSON:
        e = eta[0]
        return (-E[0] * np.exp(e) + E[1])[None], np.zeros((0,) + e.shape)
    if code == NOMINAL:
        full = np.concatenate([eta, np.zeros((1,) + eta.shape[1:])])
        prob = np.exp(full - special.logsumexp(full, axis=0, keepdims=True))
        total = E.sum(axis=0)
        return E[:-1] - total * prob[:-1], np.zeros((0,) + eta.shape[1:])
    tau = fp[: n_cat - 1]
    logp, upper, lower = _ordinal_cells(eta[0], tau, probit)
    logp = logp.reshape(upper.shape)
    with np.errstate(invalid="ignore", over="ignore"):
        ra = np.where(np.isfinite(upper), np.exp(_log_pdf(upper, probit) - logp), 0.0)
        rb = np.where(np.isfinite(lower), np.exp(_log_pdf(lower, probit) - logp), 0.0)
    ra = np.where(E > 0, ra, 0.0)
    rb = np.where(E > 0, rb, 0.0)
    g_eta = (E * (rb - ra)).sum(axis=0)
    g_tau = E[:-1] * ra[:-1] - E[1:] * rb[1:]
    return g_eta[None], g_tau


def stat_derivatives(code, eta, fp, n_cat):
    """dT[s, cell] / d(eta, fp): (S, channels, cells) and (S, n_params, cells).

    Q = sum(E * T) is linear in E, so the derivative of row ``s`` of the table
    is :func:`table_gradient` at the unit statistic ``E = e_s``.  Cells where a
    table entry is -inf (a category of probability zero) get 0: their posterior
    weight is zero.
    """
    n_stat = n_statistics(code, n_cat)
    d_eta, d_fp = [], []
    for s in range(n_stat):
        unit = np.zeros((n_stat,) + eta.shape[1:])
        unit[s] = 1.0
        g_eta, g_fp = table_gradient(code, eta, fp, n_cat, unit)
        d_eta.append(g_eta)
        d_fp.append(g_fp)
    d_eta, d_fp = np.stack(d_eta), np.stack(d_fp)
    return (np.where(np.isfinite(d_eta), d_eta, 0.0),
            np.where(np.isfinite(d_fp), d_fp, 0.0))


class _Group:
    """Tabulated outcomes of one family, category count and parameter layout."""

    def __init__(self, code, n_cat, n_channels, n_fp, outcomes, channels, rows):
        self.code, self.n_cat, self.n_channels, self.n_fp = code, n_cat, n_channels, n_fp
        self.outcomes = np.asarray(outcomes, np.int64)   # model outcome indexes
        self.channels = np.asarray(channels, np.int64)   # (outcomes, channels) kernel channels
        self.rows = rows                                  # slice of the statistics columns
        self.n_stat = n_statistics(code, n_cat)
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
    codes, n_cat, first_channel, n_channels, n_fp : sequences over all outcomes
        Family code, categories, first kernel channel, number of channels and
        of family parameters (residual log-variance, thresholds).
    y, trials : (N, outcomes) arrays of the design.
    """

    def __init__(self, outcomes, codes, n_cat, first_channel, n_channels, n_fp, y, trials):
        keyed = {}
        for p in outcomes:
            keyed.setdefault((codes[p], n_cat[p], n_channels[p], n_fp[p]), []).append(p)
        self.groups, self.stat_slice = [], {}
        start = 0
        for (code, k_cat, nch, nfp), ps in keyed.items():
            first = start
            for p in ps:
                self.stat_slice[p] = slice(start, start + n_statistics(code, k_cat))
                start = self.stat_slice[p].stop
            chans = [[first_channel[p] + k for k in range(nch)] for p in ps]
            self.groups.append(_Group(code, k_cat, nch, nfp, ps, chans, slice(first, start)))
        self.stats = np.zeros((len(y), start))
        for grp in self.groups:
            for p in grp.outcomes:
                row_statistics(grp.code, y[:, p], trials[:, p], grp.n_cat,
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
            t = table(grp.code, eta, fp, grp.n_cat)
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
            g_eta, g_fp = table_gradient(grp.code, eta, fp, grp.n_cat, e)
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
            d_eta, d_fp = stat_derivatives(grp.code, eta, fp, grp.n_cat)
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
