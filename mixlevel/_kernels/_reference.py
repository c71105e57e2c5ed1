"""Pure-numpy reference implementation (test oracle) of the compiled E-step kernel.

This module mirrors :mod:`mixlevel._kernels._estep` function for function:
:func:`loglik_posterior` and :func:`expected_scores` take the same arguments
(``num_threads`` is accepted and ignored) and fill the same output arrays with
the same numbers.  It exists **only as a test oracle for tiny problems**: it
loops over clusters in Python, builds dense ``(rows, channels, patterns, nodes,
row nodes)`` arrays per cluster and is never used at run time.

It is written independently of the Cython code, straight from the model:

    L_j = sum_d P(d) sum_g w_g prod_i [ sum_c P(c | d, g) sum_h w_h
                                        prod_p f(y_ip | c, d, g, h) ]^rw_i

with every linear predictor

    eta[i, ch, d*C + c](g, h) = sum_m A[i or 0, ch, d*C + c, m] U_m(g, h),
    U_m(g, h) = lv[MONO[m, 0]] * lv[MONO[m, 1]],   lv = (1, z_b(g), z_w(h)).

Within class variable v has K_v classes whose logits (classes k < K_v - 1) are
channels ``CHV[v] + k`` evaluated at row node h = 0 (the last class has logit
0).  Family codes (:class:`FamilyCode`, the kernel's own enum) and
log-densities, all without data constants, one function per family in
:data:`DENSITIES`:

* NORMAL, ``FP[p, dc, 0]`` = log variance lv: ``-lv/2 - (y - eta)^2 e^{-lv} / 2``;
* LOGIT, PROBIT (``n = 1``), BINOMIAL_LOGIT, BINOMIAL_PROBIT (``n = T[i, p]``):
  ``y log F(eta) + (n - y) log F(-eta)``;
* POISSON, log link: ``y eta - exp(eta)``;
* TRUNCATED_POISSON, log link, y >= 1: ``y eta - mu - log(1 - exp(-mu))``,
  ``mu = exp(eta)``;
* ORDINAL_LOGIT, ORDINAL_PROBIT, y in 0..K-1, thresholds ``FP[p, dc, 0..K-2]``,
  ``P(y <= k) = F(tau_k - eta)``;
* NOMINAL: K categories, channels ``OCH[p] .. OCH[p] + K - 2`` are the logits
  of categories 0..K-2, category K-1 has logit 0.

Missing outcomes (NaN) drop out of the density and all its derivatives.
"""

from __future__ import annotations

import numpy as np
from scipy import special
from scipy.special import logsumexp

from ._families import FamilyCode

__all__ = ["loglik_posterior", "expected_scores", "DENSITIES"]

_HALF_LOG_2PI = 0.5 * np.log(2.0 * np.pi)


# ----------------------------------------------------------------------------
# distribution functions of the links
# ----------------------------------------------------------------------------

def _log_F(x, probit):
    """log of the standard normal or logistic cdf."""
    return special.log_ndtr(x) if probit else special.log_expit(x)


def _log_density(x, probit):
    """log of the standard normal or logistic density (-inf at +-inf)."""
    if probit:
        return -0.5 * np.square(x) - _HALF_LOG_2PI
    # logistic density F(x) (1 - F(x)) = F(x) F(-x)
    return special.log_expit(x) + special.log_expit(-x)


def _log_F_interval(a, b, probit):
    """log(F(a) - F(b)) for a > b (a may be +inf, b -inf).

    Both links are symmetric, F(a) - F(b) = F(-b) - F(-a); the form whose
    larger term is further from 1 is used (b > 0: upper tail).
    """
    upper = b > 0
    hi = np.where(upper, -b, a)
    lo = np.where(upper, -a, b)
    l_hi = _log_F(hi, probit)
    l_lo = _log_F(lo, probit)
    return l_hi + np.log1p(-np.exp(l_lo - l_hi))


def _mills(x):
    """phi(x) / Phi(x), the derivative of log Phi."""
    return np.exp(-0.5 * np.square(x) - _HALF_LOG_2PI - special.log_ndtr(x))


# ----------------------------------------------------------------------------
# one cluster: monomials, linear predictors, class log-priors, outcome log f
# ----------------------------------------------------------------------------

def _monomials(ZB, ZH, MONO, j):
    """U[g, h, m] of cluster j."""
    zb = ZB[j if ZB.shape[0] > 1 else 0]            # (G, Qb)
    G, Qb = zb.shape
    H, Qw = ZH.shape
    lv = np.empty((G, H, 1 + Qb + Qw))
    lv[..., 0] = 1.0
    lv[..., 1:1 + Qb] = zb[:, None, :]
    lv[..., 1 + Qb:] = ZH[None, :, :]
    return lv[..., MONO[:, 0]] * lv[..., MONO[:, 1]]


def _linear_predictors(A, r0, r1, U):
    """eta[n, ch, dc, g, h] for the rows r0:r1."""
    n = r1 - r0
    if A.shape[0] == 1:
        Ar = np.broadcast_to(A[0], (n,) + A.shape[1:])
    else:
        Ar = A[r0:r1]
    return np.einsum("nkem,ghm->nkegh", Ar, U)


def _class_terms(eta, KV, CHV, CPAT, C):
    """log P(c | d, g) per (n, dc, g) and the class logit scores.

    Returns ``lpc`` (n, DC, G) and a list of (channel, score) with score
    (n, DC, G) = 1[c_v = k] - P_v(k) for the logit channel of class k of
    variable v.
    """
    n, _, DC, G, _ = eta.shape
    c_of_dc = np.arange(DC) % C
    lpc = np.zeros((n, DC, G))
    scores = []
    for v in range(len(KV)):
        K, ch0 = int(KV[v]), int(CHV[v])
        logits = np.concatenate(
            [eta[:, ch0:ch0 + K - 1, :, :, 0], np.zeros((n, 1, DC, G))], axis=1)
        logp = logits - logsumexp(logits, axis=1, keepdims=True)      # (n, K, DC, G)
        cls = CPAT[c_of_dc, v]                                          # (DC,)
        lpc += logp[:, cls, np.arange(DC), :]
        for k in range(K - 1):
            ind = (cls == k).astype(float)[None, :, None]
            scores.append((ch0 + k, ind - np.exp(logp[:, k])))
    return lpc, scores


# ----------------------------------------------------------------------------
# one log-density per family: (y, eta, tau, K, n) -> (log f, [d/deta per channel],
# {k: d/dFP_k}); y, n (n, 1, 1, 1), eta (n, channels of the outcome, DC, G, H),
# FP of the outcome (DC, KF)
# ----------------------------------------------------------------------------

def _normal(y, eta, fp, K, n):
    lvar = fp[None, :, 0, None, None]
    prec = np.exp(-lvar)
    r = y - eta[:, 0]
    return -0.5 * lvar - 0.5 * r * r * prec, [r * prec], {0: -0.5 + 0.5 * r * r * prec}


def _successes(probit, binomial):
    def density(y, eta, fp, K, n):
        e = eta[:, 0]
        nt = n if binomial else 1.0
        if probit:
            lf = y * special.log_ndtr(e) + (nt - y) * special.log_ndtr(-e)
            return lf, [y * _mills(e) - (nt - y) * _mills(-e)], {}
        lf = y * special.log_expit(e) + (nt - y) * special.log_expit(-e)
        return lf, [y - nt * special.expit(e)], {}
    return density


def _poisson(y, eta, fp, K, n):
    e = eta[:, 0]
    mu = np.exp(e)
    return y * e - mu, [y - mu], {}


def _truncated_poisson(y, eta, fp, K, n):
    """P(y | y >= 1): the Poisson density over 1 - P(0); d/deta = y - mu / (1 - e^-mu)."""
    e = eta[:, 0]
    mu = np.exp(e)
    p_pos = -np.expm1(-mu)
    return y * e - mu - np.log(p_pos), [y - mu / p_pos], {}


def _ordinal(probit):
    def density(y, eta, fp, K, n):
        e = eta[:, 0]
        yi = y[:, 0, 0, 0].astype(np.int64)
        DC = fp.shape[0]
        tau = np.concatenate([np.full((DC, 1), -np.inf), fp[:, :K - 1],
                              np.full((DC, 1), np.inf)], axis=1)  # (DC, K+1)
        a = tau[:, yi + 1].T[:, :, None, None] - e   # upper: tau_y - eta
        b = tau[:, yi].T[:, :, None, None] - e       # lower: tau_{y-1} - eta
        lf = _log_F_interval(a, b, probit)
        ra = np.exp(_log_density(a, probit) - lf)   # f(a) / P
        rb = np.exp(_log_density(b, probit) - lf)   # f(b) / P
        ycol = yi[:, None, None, None]
        # tau_k is the upper bound when y = k, the lower when y = k + 1
        gfp = {k: np.where(ycol == k, ra, 0.0) - np.where(ycol == k + 1, rb, 0.0)
               for k in range(K - 1)}
        return lf, [rb - ra], gfp
    return density


def _nominal(y, eta, fp, K, n):
    n_rows = eta.shape[0]
    logits = np.concatenate([eta, np.zeros((n_rows, 1) + eta.shape[2:])], axis=1)
    logp = logits - logsumexp(logits, axis=1, keepdims=True)    # (n, K, DC, G, H)
    yi = y[:, 0, 0, 0].astype(np.int64)
    deta = [(yi == k).astype(float)[:, None, None, None] - np.exp(logp[:, k])
            for k in range(K - 1)]
    return logp[np.arange(n_rows), yi], deta, {}


#: the oracle's log-density of every family code
DENSITIES = {
    FamilyCode.NORMAL: _normal,
    FamilyCode.LOGIT: _successes(probit=False, binomial=False),
    FamilyCode.PROBIT: _successes(probit=True, binomial=False),
    FamilyCode.BINOMIAL_LOGIT: _successes(probit=False, binomial=True),
    FamilyCode.BINOMIAL_PROBIT: _successes(probit=True, binomial=True),
    FamilyCode.POISSON: _poisson,
    FamilyCode.ORDINAL_LOGIT: _ordinal(probit=False),
    FamilyCode.ORDINAL_PROBIT: _ordinal(probit=True),
    FamilyCode.NOMINAL: _nominal,
    FamilyCode.TRUNCATED_POISSON: _truncated_poisson,
}


def _outcome_terms(eta, Y, T, FP, FAM, OCH, NCAT, r0, r1):
    """sum_p log f per (n, DC, G, H), d log f / d eta per channel and d/dFP.

    Returns ``lf`` (n, DC, G, H), ``dl`` (CH, n, DC, G, H) and ``dfp``
    (P, KF, n, DC, G, H); entries of missing outcomes are zero.
    """
    n, CH, DC, G, H = eta.shape
    P = len(FAM)
    KF = FP.shape[2]
    lf = np.zeros((n, DC, G, H))
    dl = np.zeros((CH, n, DC, G, H))
    dfp = np.zeros((P, KF, n, DC, G, H))
    for p in range(P):
        y_raw = Y[r0:r1, p]
        obs = ~np.isnan(y_raw)
        mask = obs[:, None, None, None]
        y = np.where(obs, y_raw, 0.0)[:, None, None, None]
        nt = np.where(obs, T[r0:r1, p], 1.0)[:, None, None, None]
        fam, ch, K = int(FAM[p]), int(OCH[p]), int(NCAT[p])
        if fam not in DENSITIES:
            raise ValueError(f"unknown family code {fam}")
        nch = K - 1 if fam == FamilyCode.NOMINAL else 1
        lfp, deta, gfp = DENSITIES[fam](y, eta[:, ch:ch + nch], FP[p], K, nt)
        lf += np.where(mask, lfp, 0.0)
        for k, d in enumerate(deta):
            dl[ch + k] += np.where(mask, d, 0.0)
        for k, d in gfp.items():
            dfp[p, k] += np.where(mask, d, 0.0)
    return lf, dl, dfp


# ----------------------------------------------------------------------------
# pass 1
# ----------------------------------------------------------------------------

def loglik_posterior(A, Y, T, FP, RW, ZB, LWG, ZH, LWH, FAM, OCH, NCAT, MONO, KV, CHV,
                     CPAT, INDPTR, LOGPD, ll_out, post_dg_out, rowpost_out, num_threads=1):
    """Reference of ``_estep.loglik_posterior`` (``num_threads`` is ignored).

    Writes ``ll_out[j]``, ``post_dg_out[j, d, g]`` = P(d, g | Y_j) and
    ``rowpost_out`` (flat [i, d, g, c, h]) = P(c, h | d, g, y_i).
    """
    A, Y, T, FP = (np.asarray(x, float) for x in (A, Y, T, FP))
    MONO, KV, CHV, CPAT = (np.asarray(x, np.int64) for x in (MONO, KV, CHV, CPAT))
    J = len(INDPTR) - 1
    D = LOGPD.shape[1]
    DC = A.shape[2]
    C = DC // D
    G = ZB.shape[1]
    H = ZH.shape[0]
    cell_size = D * G * C * H
    if rowpost_out.shape[0] != Y.shape[0] * cell_size:
        raise ValueError("rowpost_out has the wrong size")
    with np.errstate(all="ignore"):
        for j in range(J):
            r0, r1 = int(INDPTR[j]), int(INDPTR[j + 1])
            n = r1 - r0
            U = _monomials(ZB, ZH, MONO, j)
            eta = _linear_predictors(A, r0, r1, U)
            lpc, _ = _class_terms(eta, KV, CHV, CPAT, C)
            lf, _, _ = _outcome_terms(eta, Y, T, FP, FAM, OCH, NCAT, r0, r1)
            cell = lpc[..., None] + LWH[None, None, None, :] + lf        # (n, DC, G, H)
            cell = cell.reshape(n, D, C, G, H).transpose(0, 1, 3, 2, 4)  # (n, D, G, C, H)
            li = logsumexp(cell, axis=(3, 4))                            # (n, D, G)
            finite = (li > -np.inf)[..., None, None]
            rp = np.where(finite, np.exp(cell - li[..., None, None]), 0.0)
            rowpost_out[r0 * cell_size:r1 * cell_size] = rp.ravel()
            acc = (LOGPD[j][:, None] + LWG[j if LWG.shape[0] > 1 else 0][None, :]
                   + np.sum(RW[r0:r1, None, None] * li, axis=0))
            ll = logsumexp(acc)
            ll_out[j] = ll
            post_dg_out[j] = np.exp(acc - ll) if ll > -np.inf else 0.0


# ----------------------------------------------------------------------------
# pass 2
# ----------------------------------------------------------------------------

def expected_scores(A, Y, T, FP, RW, ZB, LWG, ZH, LWH, FAM, OCH, NCAT, MONO, KV, CHV,
                    CPAT, INDPTR, CW, post_dg, rowpost, S_out, GFP_out, q_out,
                    num_threads=1):
    """Reference of ``_estep.expected_scores`` (``num_threads`` is ignored).

    With w = CW[j] RW[i] post_dg[j, d, g] rowpost[i, d, g, c, h]:
    ``q_out[j]`` is set to sum w (log f + log P(c | d, g)); ``S_out`` and
    ``GFP_out`` are *added to* (like the kernel, which accumulates into arrays
    the caller zeroes): ``S_out[i, ch, dc, m] += sum_{g,h} w dlog/deta_ch
    U_m(g, h)`` (class channels: ``(sum_h w) (1[c_v = k] - P_v(k)) U_m(g, 0)``)
    and ``GFP_out[i, p, dc, k] += sum_{g,h} w dlog f / dFP[p, dc, k]``.
    """
    A, Y, T, FP = (np.asarray(x, float) for x in (A, Y, T, FP))
    MONO, KV, CHV, CPAT = (np.asarray(x, np.int64) for x in (MONO, KV, CHV, CPAT))
    J = len(INDPTR) - 1
    D = post_dg.shape[1]
    DC = A.shape[2]
    C = DC // D
    G = ZB.shape[1]
    H = ZH.shape[0]
    P = len(FAM)
    cell_size = D * G * C * H
    d_of_dc = np.arange(DC) // C
    with np.errstate(all="ignore"):
        for j in range(J):
            r0, r1 = int(INDPTR[j]), int(INDPTR[j + 1])
            n = r1 - r0
            U = _monomials(ZB, ZH, MONO, j)
            eta = _linear_predictors(A, r0, r1, U)
            lpc, cscores = _class_terms(eta, KV, CHV, CPAT, C)
            lf, dl, dfp = _outcome_terms(eta, Y, T, FP, FAM, OCH, NCAT, r0, r1)
            rp = np.asarray(rowpost[r0 * cell_size:r1 * cell_size]).reshape(n, D, G, C, H)
            rp = rp.transpose(0, 1, 3, 2, 4).reshape(n, DC, G, H)      # (n, DC, G, H)
            wdg = CW[j] * RW[r0:r1, None, None] * post_dg[j][d_of_dc][None]  # (n, DC, G)
            w = wdg[..., None] * rp                                      # (n, DC, G, H)
            pos = w > 0
            q_out[j] = np.sum(np.where(pos, w * (lf + lpc[..., None]), 0.0))
            # outcome channels
            dl = np.where(pos[None], dl, 0.0)
            S_out[r0:r1] += np.einsum("knegh,negh,ghm->nkem", dl, w, U)
            if P:
                dfp = np.where(pos[None, None], dfp, 0.0)
                GFP_out[r0:r1, :P] += np.einsum("pknegh,negh->npek", dfp, w)
            # class logit channels, at row node h = 0
            wc = w.sum(axis=3)                                           # (n, DC, G)
            for ch, sc in cscores:
                S_out[r0:r1, ch] += np.einsum("neg,neg,gm->nem", sc, wc, U[:, 0, :])
