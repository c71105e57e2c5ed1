# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
# cython: initializedcheck=False
"""Per-cluster log-likelihood, posterior weights and expected complete-data scores.

The general two-level mixture likelihood of a cluster j is

    L_j = sum_d P(D_j=d) sum_g w_g prod_i [ sum_c P(C_ij=c | d, g)
                                            sum_h w_h prod_p f(y_ijp | c, d, g, h) ]^rw_i

where d runs over joint patterns of the between class variables, g over the
cluster-level quadrature nodes, c over joint patterns of the within class
variables and h over row-level nodes.  Every linear predictor (outcome channels
and within class logit channels) is

    eta[i, ch, d*C + c](g, h) = sum_m A[i, ch, d*C + c, m] * U_m(g, h),

with U_m(g, h) = lv[mono[m, 0]] * lv[mono[m, 1]] and lv = (1, z_b(g), z_w(h)).

Everything is computed in logs (log-sum-exp), without the GIL and in parallel
over clusters when OpenMP is available.  This module knows nothing of formulas
or parameter names: it receives arrays only.
"""

from cython.parallel cimport prange, parallel
from libc.math cimport exp, log, isnan, INFINITY
from libc.stdlib cimport malloc, free
from libc.stdint cimport int64_t

import numpy as np

include "_families.pxi"


# ----------------------------------------------------------------------------
# array helpers
# ----------------------------------------------------------------------------

cdef inline double lse_normalize(const double* x, Py_ssize_t n, double* w) noexcept nogil:
    """log sum exp(x), writing the normalised weights exp(x - lse) to w (zeros if -inf).

    One exp per element, where logsumexp and then exp(x - lse) would take two.
    """
    cdef Py_ssize_t k
    cdef double mx = -INFINITY, s = 0.0, inv
    for k in range(n):
        if x[k] > mx:
            mx = x[k]
    if mx == -INFINITY:
        for k in range(n):
            w[k] = 0.0
        return -INFINITY
    for k in range(n):
        w[k] = exp(x[k] - mx)
        s += w[k]
    inv = 1.0 / s
    for k in range(n):
        w[k] *= inv
    return mx + log(s)


cdef inline double row_cells(double* cell, Py_ssize_t n, bint store, double* rp) noexcept nogil:
    """log sum over a row's n (c, h) cells at one (d, g); P(c, h | d, g, y_i) into rp.

    With one cell the weight is 1 (0 if the cell is impossible), written only
    when ``store``.
    """
    if n == 1:
        if store:
            rp[0] = 0.0 if cell[0] == -INFINITY else 1.0
        return cell[0]
    return lse_normalize(cell, n, rp)


cdef inline double dot(const double* a, const double* u, Py_ssize_t m) noexcept nogil:
    cdef Py_ssize_t k
    cdef double s = 0.0
    for k in range(m):
        s += a[k] * u[k]
    return s


# ----------------------------------------------------------------------------
# the model layout, shared by both passes
# ----------------------------------------------------------------------------

cdef struct Layout:
    Py_ssize_t N, J, P, CH, D, C, DC, M, G, H, Qb, Qw, V, KF, KMAX
    Py_ssize_t a_rs          # row stride of A (0 when A does not vary over rows)
    Py_ssize_t zb_js, lwg_js # cluster strides of the between nodes (0: shared)
    const double* A
    const double* Y
    const double* T          # trials
    const double* FP
    const double* RW
    const double* ZB
    const double* LWG
    const double* ZH
    const double* LWH
    const int64_t* FAM
    const int64_t* OCH
    const int64_t* NCAT
    const int64_t* MONO
    const int64_t* KV
    const int64_t* CHV
    const int64_t* CPAT
    const int64_t* INDPTR
    const int64_t* ACT       # outcomes computed here (family code >= 0)
    Py_ssize_t NACT


cdef inline void fill_monomials(Layout* L, Py_ssize_t jj, Py_ssize_t g, double* lv,
                                double* U) noexcept nogil:
    """U[h*M + m] for every row node h at cluster node g."""
    cdef Py_ssize_t q, h, m
    lv[0] = 1.0
    for q in range(L.Qb):
        lv[1 + q] = L.ZB[jj * L.zb_js + g * L.Qb + q]
    for h in range(L.H):
        for q in range(L.Qw):
            lv[1 + L.Qb + q] = L.ZH[h * L.Qw + q]
        for m in range(L.M):
            U[h * L.M + m] = lv[L.MONO[2 * m]] * lv[L.MONO[2 * m + 1]]


cdef inline double class_logprior(Layout* L, Py_ssize_t i, Py_ssize_t dc, Py_ssize_t c,
                                  const double* U, double* eta, double* dlog,
                                  bint want_grad) noexcept nogil:
    """log P(C = c | d, g, x_i) of a joint within pattern; optionally its logit scores.

    dlog receives, per class variable v and logit k < K_v - 1, the derivative
    1[c_v = k] - P_v(k) laid out at the variable's channel offset.
    """
    cdef Py_ssize_t v, k, K, ch0, cv
    cdef double lp = 0.0, lse
    cdef const double* arow = L.A + i * L.a_rs
    for v in range(L.V):
        K = L.KV[v]
        ch0 = L.CHV[v]
        for k in range(K - 1):
            eta[k] = dot(arow + ((ch0 + k) * L.DC + dc) * L.M, U, L.M)
        eta[K - 1] = 0.0
        lse = logsumexp(eta, K)
        cv = L.CPAT[c * L.V + v]
        lp += eta[cv] - lse
        if want_grad:
            for k in range(K - 1):
                dlog[ch0 + k] = (1.0 if cv == k else 0.0) - exp(eta[k] - lse)
    return lp


cdef inline double outcome_logf(Layout* L, Py_ssize_t i, Py_ssize_t dc, const double* U,
                                double* eta, double* dl, double* dfp,
                                bint want_grad) noexcept nogil:
    """sum_p log f(y_ip | eta) without constants; optionally d/deta and d/dfparam.

    dl[ch] receives d log f / d eta_ch (outcome channels), dfp[p*KF + k] the
    derivative in the family parameter k of outcome p (normal: log-variance,
    ordinal: thresholds).  One flat if-chain over the family codes calls the
    inline log-densities of _families.pxi.
    """
    cdef Py_ssize_t p, k, K, ch, ia
    cdef int64_t f
    cdef double y, e, n, s = 0.0
    cdef const double* arow = L.A + i * L.a_rs
    cdef const double* fp
    cdef double* de = NULL
    cdef double* dp = NULL
    for ia in range(L.NACT):  # outcomes with a negative code are tabulated by the caller
        p = L.ACT[ia]
        y = L.Y[i * L.P + p]
        if isnan(y):  # missing: drops out (FIML)
            continue
        f = L.FAM[p]
        ch = L.OCH[p]
        if want_grad:
            de = dl + ch
        if f == NOMINAL:
            K = L.NCAT[p]
            for k in range(K - 1):
                eta[k] = dot(arow + ((ch + k) * L.DC + dc) * L.M, U, L.M)
            s += logf_nominal(<Py_ssize_t> y, K, eta, de, want_grad)
            continue
        e = dot(arow + (ch * L.DC + dc) * L.M, U, L.M)
        if f == NORMAL or f == ORDINAL_LOGIT or f == ORDINAL_PROBIT:  # family parameters
            fp = L.FP + (p * L.DC + dc) * L.KF
            if want_grad:
                dp = dfp + p * L.KF
        if f == NORMAL:
            s += logf_normal(y, e, fp, de, dp, want_grad)
        elif f == LOGIT:
            s += logf_logit(y, e, de, want_grad)
        elif f == PROBIT:
            s += logf_probit(y, e, de, want_grad)
        elif f == BINOMIAL_LOGIT:
            n = L.T[i * L.P + p]
            s += logf_binomial_logit(y, n, e, de, want_grad)
        elif f == BINOMIAL_PROBIT:
            n = L.T[i * L.P + p]
            s += logf_binomial_probit(y, n, e, de, want_grad)
        elif f == POISSON:
            s += logf_poisson(y, e, de, want_grad)
        elif f == ORDINAL_LOGIT:
            s += logf_ordinal(<Py_ssize_t> y, L.NCAT[p], e, fp, False, de, dp, want_grad)
        elif f == ORDINAL_PROBIT:
            s += logf_ordinal(<Py_ssize_t> y, L.NCAT[p], e, fp, True, de, dp, want_grad)
        elif f == TRUNCATED_POISSON:
            s += logf_truncated_poisson(y, e, de, want_grad)
    return s


cdef inline void add_outcome_scores(Layout* L, Py_ssize_t i, Py_ssize_t dc, double w,
                                    const double* dl, const double* dfp, const double* Uh,
                                    double* S, double* GF) noexcept nogil:
    """S[ch, dc, m] += w dl[ch] Uh[m] and GF[p, dc, k] += w dfp[p * KF + k] (row i).

    Over the outcomes computed here that row i observes; dl and dfp are laid out
    as :func:`outcome_logf` writes them, Uh holds the monomials of one row node.
    The channels and scored family parameters of an outcome are properties of
    its family code (_families.pxi).
    """
    cdef Py_ssize_t ia, p, ch, k, m, K
    for ia in range(L.NACT):
        p = L.ACT[ia]
        if isnan(L.Y[i * L.P + p]):
            continue
        ch = L.OCH[p]
        K = L.NCAT[p]
        for k in range(ch, ch + family_channels(L.FAM[p], K)):
            for m in range(L.M):
                S[(k * L.DC + dc) * L.M + m] += w * dl[k] * Uh[m]
        for k in range(family_scored_params(L.FAM[p], K)):
            GF[(p * L.DC + dc) * L.KF + k] += w * dfp[p * L.KF + k]


cdef inline void add_class_scores(Layout* L, Py_ssize_t dc, double w, const double* dcls,
                                  Py_ssize_t first, const double* U, double* S) noexcept nogil:
    """S[ch, dc, m] += w dcls[ch - first] U[m] over the class-logit channels."""
    cdef Py_ssize_t ch, m
    if L.V == 0:
        return
    for ch in range(L.CHV[0], L.CH):
        for m in range(L.M):
            S[(ch * L.DC + dc) * L.M + m] += w * dcls[ch - first] * U[m]


cdef Layout make_layout(const double[:, :, :, :] A, const double[:, ::1] Y,
                        const double[:, ::1] T, const double[:, :, ::1] FP,
                        const double[::1] RW, const double[:, :, ::1] ZB,
                        const double[:, ::1] LWG, const double[:, ::1] ZH,
                        const double[::1] LWH, const int64_t[::1] FAM, const int64_t[::1] OCH,
                        const int64_t[::1] NCAT, const int64_t[:, ::1] MONO, const int64_t[::1] KV,
                        const int64_t[::1] CHV, const int64_t[:, ::1] CPAT,
                        const int64_t[::1] INDPTR, Py_ssize_t D,
                        const int64_t[::1] ACT) except *:
    cdef Layout L
    L.N = Y.shape[0]
    L.P = Y.shape[1]
    L.J = INDPTR.shape[0] - 1
    L.CH = A.shape[1]
    L.DC = A.shape[2]
    L.M = A.shape[3]
    L.D = D
    L.C = L.DC // D
    L.G = ZB.shape[1]
    L.Qb = ZB.shape[2]
    L.H = ZH.shape[0]
    L.Qw = ZH.shape[1]
    L.V = KV.shape[0]
    L.KF = FP.shape[2]
    L.KMAX = 2
    cdef Py_ssize_t p, v
    for p in range(L.P):
        if NCAT[p] > L.KMAX:
            L.KMAX = NCAT[p]
    for v in range(L.V):
        if KV[v] > L.KMAX:
            L.KMAX = KV[v]
    if A.shape[0] == 1:
        L.a_rs = 0
    elif A.shape[0] == L.N:
        L.a_rs = A.shape[1] * A.shape[2] * A.shape[3]
    else:
        raise ValueError("A must have one row or one row per data row")
    if not (A.strides[3] == 8 and A.strides[2] == 8 * L.M and A.strides[1] == 8 * L.M * L.DC):
        raise ValueError("A must be C-contiguous in its last three axes")
    if A.shape[0] == L.N and L.N > 1 and A.strides[0] != 8 * L.a_rs:
        raise ValueError("A must be C-contiguous")
    L.zb_js = L.G * L.Qb if ZB.shape[0] > 1 else 0
    L.lwg_js = L.G if LWG.shape[0] > 1 else 0
    if L.Qb == 0:
        L.zb_js = 0
    L.A = &A[0, 0, 0, 0]
    L.Y = &Y[0, 0]
    L.T = &T[0, 0]
    L.FP = &FP[0, 0, 0]
    L.RW = &RW[0]
    L.ZB = &ZB[0, 0, 0] if L.Qb > 0 else NULL
    L.LWG = &LWG[0, 0]
    L.ZH = &ZH[0, 0] if L.Qw > 0 else NULL
    L.LWH = &LWH[0]
    L.FAM = &FAM[0] if L.P > 0 else NULL
    L.OCH = &OCH[0] if L.P > 0 else NULL
    L.NCAT = &NCAT[0] if L.P > 0 else NULL
    L.MONO = &MONO[0, 0]
    L.KV = &KV[0] if L.V > 0 else NULL
    L.CHV = &CHV[0] if L.V > 0 else NULL
    L.CPAT = &CPAT[0, 0] if L.V > 0 else NULL
    L.INDPTR = &INDPTR[0]
    L.NACT = ACT.shape[0]
    L.ACT = &ACT[0] if L.NACT > 0 else NULL
    return L


# ----------------------------------------------------------------------------
# pass 1: log-likelihood and posterior weights
# ----------------------------------------------------------------------------

def loglik_posterior(const double[:, :, :, :] A, const double[:, ::1] Y,
                     const double[:, ::1] T, const double[:, :, ::1] FP,
                     const double[::1] RW, const double[:, :, ::1] ZB,
                     const double[:, ::1] LWG, const double[:, ::1] ZH,
                     const double[::1] LWH, const int64_t[::1] FAM, const int64_t[::1] OCH,
                     const int64_t[::1] NCAT, const int64_t[:, ::1] MONO, const int64_t[::1] KV,
                     const int64_t[::1] CHV, const int64_t[:, ::1] CPAT,
                     const int64_t[::1] INDPTR, const double[:, ::1] LOGPD,
                     double[::1] ll_out, double[:, :, ::1] post_dg_out,
                     double[::1] rowpost_out, int num_threads=1,
                     const double[::1] EXTRA=None):
    """Per-cluster log-likelihoods and posterior weights.

    Writes ``ll_out[j]`` (without the data constants), ``post_dg_out[j, d, g]``
    = P(d, g | Y_j) and ``rowpost_out`` laid out as [i, d, g, c, h] = P(c, h |
    d, g, y_i).  ``EXTRA`` (optional, laid out as rowpost) is added to every
    cell's log-density: the caller's tabulated outcomes (those given a negative
    family code) and class prior.  Returns nothing.  This is the first sweep
    of :func:`loglik_and_scores` without the scores.
    """
    cdef double[:, :, :, ::1] no_s = np.zeros((0, 1, 1, 1))
    loglik_and_scores(A, Y, T, FP, RW, ZB, LWG, ZH, LWH, FAM, OCH, NCAT, MONO, KV, CHV, CPAT,
                      INDPTR, LOGPD, np.ones(INDPTR.shape[0] - 1), ll_out, post_dg_out,
                      rowpost_out, no_s, no_s, np.zeros(0), num_threads, EXTRA, False)


# ----------------------------------------------------------------------------
# pass 2: expected complete-data log-likelihood and its scores
# ----------------------------------------------------------------------------

def expected_scores(const double[:, :, :, :] A, const double[:, ::1] Y,
                    const double[:, ::1] T, const double[:, :, ::1] FP,
                    const double[::1] RW, const double[:, :, ::1] ZB,
                    const double[:, ::1] LWG, const double[:, ::1] ZH,
                    const double[::1] LWH, const int64_t[::1] FAM, const int64_t[::1] OCH,
                    const int64_t[::1] NCAT, const int64_t[:, ::1] MONO, const int64_t[::1] KV,
                    const int64_t[::1] CHV, const int64_t[:, ::1] CPAT,
                    const int64_t[::1] INDPTR, const double[::1] CW,
                    const double[:, :, ::1] post_dg, const double[::1] rowpost,
                    double[:, :, :, ::1] S_out, double[:, :, :, ::1] GFP_out,
                    double[::1] q_out, int num_threads=1):
    """Posterior expectations of the complete-data log-likelihood and its scores.

    With posterior weights w = CW[j] RW[i] P(d, g | Y_j) P(c, h | d, g, y_i)
    (fixed, from pass 1) and the linear predictors of A:

    * ``q_out[j]``: sum of w * (log f + log P(c | d, g)) over the cluster (the
      EM Q-function, without data constants);
    * ``S_out[i, ch, dc, m]``: sum over g, h of w * dlog/deta_ch * U_m(g, h);
      for the class logit channels dlog/deta = 1[c_v = k] - P_v(k);
    * ``GFP_out[i, p, dc, k]``: sum of w * dlog f / d(family parameter k).

    At the parameters of pass 1 the sums over rows of S and GFP are the exact
    gradient of the marginal log-likelihood (Fisher's identity).
    """
    cdef int64_t[::1] ACT = np.flatnonzero(np.asarray(FAM) >= 0).astype(np.int64)
    cdef Layout L = make_layout(A, Y, T, FP, RW, ZB, LWG, ZH, LWH, FAM, OCH, NCAT, MONO,
                                KV, CHV, CPAT, INDPTR, post_dg.shape[1], ACT)
    cdef Py_ssize_t j, i, jj, d, g, c, h, dc, CHH = L.C * L.H
    cdef Py_ssize_t NOCH = L.CH
    cdef double *lv, *U, *eta, *dl, *dfp, *dcls, *S, *GF  # per-thread buffers
    cdef double lpc, lf, w, wdg, wc, q
    cdef const double* rp = &rowpost[0]
    with nogil, parallel(num_threads=num_threads):
        lv = <double*> malloc((1 + L.Qb + L.Qw) * sizeof(double))
        U = <double*> malloc(L.H * L.M * sizeof(double))
        eta = <double*> malloc(L.KMAX * sizeof(double))
        dl = <double*> malloc(NOCH * sizeof(double))
        dfp = <double*> malloc((L.P * L.KF + 1) * sizeof(double))
        dcls = <double*> malloc(NOCH * sizeof(double))
        for j in prange(L.J, schedule="dynamic"):
            jj = j
            q = 0.0
            for i in range(L.INDPTR[j], L.INDPTR[j + 1]):
                S = &S_out[i, 0, 0, 0]
                GF = &GFP_out[i, 0, 0, 0]
                for g in range(L.G):
                    fill_monomials(&L, jj, g, lv, U)
                    for d in range(L.D):
                        wdg = CW[j] * L.RW[i] * post_dg[j, d, g]
                        if wdg < 1e-300:
                            continue
                        for c in range(L.C):
                            dc = d * L.C + c
                            wc = 0.0
                            for h in range(L.H):
                                wc = wc + rp[((i * L.D + d) * L.G + g) * CHH + c * L.H + h]
                            wc = wc * wdg
                            if wc < 1e-300:
                                continue
                            lpc = class_logprior(&L, i, dc, c, U, eta, dcls, True)
                            q = q + wc * lpc
                            add_class_scores(&L, dc, wc, dcls, 0, U, S)
                            for h in range(L.H):
                                w = wdg * rp[((i * L.D + d) * L.G + g) * CHH + c * L.H + h]
                                if w < 1e-300:
                                    continue
                                lf = outcome_logf(&L, i, dc, U + h * L.M, eta, dl, dfp, True)
                                q = q + w * lf
                                add_outcome_scores(&L, i, dc, w, dl, dfp, U + h * L.M, S, GF)
            q_out[j] = q
        free(lv)
        free(U)
        free(eta)
        free(dl)
        free(dfp)
        free(dcls)


# ----------------------------------------------------------------------------
# passes 1 and 2 fused: log-likelihood, posteriors and scores in one sweep
# ----------------------------------------------------------------------------

def loglik_and_scores(const double[:, :, :, :] A, const double[:, ::1] Y,
                      const double[:, ::1] T, const double[:, :, ::1] FP,
                      const double[::1] RW, const double[:, :, ::1] ZB,
                      const double[:, ::1] LWG, const double[:, ::1] ZH,
                      const double[::1] LWH, const int64_t[::1] FAM, const int64_t[::1] OCH,
                      const int64_t[::1] NCAT, const int64_t[:, ::1] MONO,
                      const int64_t[::1] KV, const int64_t[::1] CHV,
                      const int64_t[:, ::1] CPAT, const int64_t[::1] INDPTR,
                      const double[:, ::1] LOGPD, const double[::1] CW,
                      double[::1] ll_out, double[:, :, ::1] post_dg_out,
                      double[::1] rowpost_out, double[:, :, :, ::1] S_out,
                      double[:, :, :, ::1] GFP_out, double[::1] q_out,
                      int num_threads=1, const double[::1] EXTRA=None,
                      bint want_scores=True):
    """:func:`loglik_posterior` and :func:`expected_scores` at the same parameters.

    The cell log-densities and their derivatives are computed once per cluster
    and kept in a buffer until the cluster's posterior is known, instead of
    being recomputed by a second pass.  Outputs as the two functions; with
    ``want_scores=False`` only the first sweep runs (S, GFP and q untouched).
    """
    cdef int64_t[::1] ACT = np.flatnonzero(np.asarray(FAM) >= 0).astype(np.int64)
    cdef Layout L = make_layout(A, Y, T, FP, RW, ZB, LWG, ZH, LWH, FAM, OCH, NCAT, MONO,
                                KV, CHV, CPAT, INDPTR, LOGPD.shape[1], ACT)
    cdef Py_ssize_t j, i, r, jj, d, g, c, h, dc, k, ch, nrow
    cdef Py_ssize_t DG = L.D * L.G, CHH = L.C * L.H, NC = DG * CHH
    cdef Py_ssize_t NOUT = L.CHV[0] if L.V > 0 else L.CH
    cdef Py_ssize_t RO = 1 + NOUT + L.P * L.KF        # per cell: lf, d/deta, d/dfp
    cdef Py_ssize_t RC = 1 + (L.CH - NOUT)            # per (d, g, c): lpc, class scores
    cdef Py_ssize_t nmax = 1
    for j in range(L.J):
        if INDPTR[j + 1] - INDPTR[j] > nmax:
            nmax = INDPTR[j + 1] - INDPTR[j]
    cdef double rp_dummy = 0.0
    cdef double* rp = &rowpost_out[0] if rowpost_out.shape[0] > 0 else &rp_dummy
    cdef const double* ex = NULL
    # an empty rowpost_out: rows have one cell per (d, g), P = 1 there, not written
    cdef bint store_rp = rowpost_out.shape[0] > 0
    if store_rp and rowpost_out.shape[0] != L.N * NC:
        raise ValueError("rowpost_out has the wrong size")
    if not store_rp and (CHH != 1 or want_scores):
        raise ValueError("rowpost_out may be empty only for rows with one cell per "
                         "(d, g) and without scores")
    if EXTRA is not None:
        if EXTRA.shape[0] != L.N * NC:
            raise ValueError("EXTRA has the wrong size")
        ex = &EXTRA[0]
    cdef Py_ssize_t nbuf = nmax if want_scores else 0
    cdef bint prior_only = (not want_scores and ex != NULL and L.NACT == 0 and L.V == 0)
    cdef double *lv, *U, *eta, *dl, *dfp, *dcls, *cell, *acc, *pw  # per-thread buffers
    cdef double *ob, *cb, *rec, *S, *GF
    cdef double lpc, li, ll, w, wdg, wc, q
    with nogil, parallel(num_threads=num_threads):
        lv = <double*> malloc((1 + L.Qb + L.Qw) * sizeof(double))
        U = <double*> malloc(L.H * L.M * sizeof(double))
        eta = <double*> malloc(L.KMAX * sizeof(double))
        dl = <double*> malloc((L.CH + 1) * sizeof(double))
        dfp = <double*> malloc((L.P * L.KF + 1) * sizeof(double))
        dcls = <double*> malloc((L.CH + 1) * sizeof(double))
        cell = <double*> malloc(CHH * sizeof(double))
        acc = <double*> malloc(DG * sizeof(double))
        pw = <double*> malloc(DG * sizeof(double))
        ob = <double*> malloc((nbuf * NC * RO + 1) * sizeof(double))
        cb = <double*> malloc((nbuf * DG * L.C * RC + 1) * sizeof(double))
        for j in prange(L.J, schedule="dynamic"):
            jj = j
            nrow = L.INDPTR[j + 1] - L.INDPTR[j]
            for d in range(L.D):
                for g in range(L.G):
                    acc[d * L.G + g] = LOGPD[j, d] + L.LWG[jj * L.lwg_js + g]
            # sweep 1: densities and derivatives of every cell, kept in ob / cb
            for r in range(nrow):
                i = L.INDPTR[j] + r
                for g in range(L.G):
                    if prior_only:  # all outcomes and class priors come in EXTRA
                        for d in range(L.D):
                            k = ((i * L.D + d) * L.G + g) * CHH
                            for c in range(CHH):
                                cell[c] = L.LWH[c % L.H] + ex[k + c]
                            li = row_cells(cell, CHH, store_rp, rp + k)
                            acc[d * L.G + g] += L.RW[i] * li
                        continue
                    fill_monomials(&L, jj, g, lv, U)
                    for d in range(L.D):
                        for c in range(L.C):
                            dc = d * L.C + c
                            if not want_scores:
                                lpc = class_logprior(&L, i, dc, c, U, eta, NULL, False)
                                for h in range(L.H):
                                    cell[c * L.H + h] = lpc + L.LWH[h] + outcome_logf(
                                        &L, i, dc, U + h * L.M, eta, NULL, NULL, False)
                                continue
                            rec = cb + (((r * L.D + d) * L.G + g) * L.C + c) * RC
                            lpc = class_logprior(&L, i, dc, c, U, eta, dcls, True)
                            rec[0] = lpc
                            for ch in range(NOUT, L.CH):
                                rec[1 + ch - NOUT] = dcls[ch]
                            for h in range(L.H):
                                rec = ob + ((((r * L.D + d) * L.G + g) * L.C + c) * L.H + h) * RO
                                rec[0] = outcome_logf(&L, i, dc, U + h * L.M, eta, dl, dfp,
                                                      True)
                                for ch in range(NOUT):
                                    rec[1 + ch] = dl[ch]
                                for k in range(L.P * L.KF):
                                    rec[1 + NOUT + k] = dfp[k]
                                cell[c * L.H + h] = lpc + L.LWH[h] + rec[0]
                        k = ((i * L.D + d) * L.G + g) * CHH
                        if ex != NULL:
                            for c in range(CHH):
                                cell[c] = cell[c] + ex[k + c]
                        li = row_cells(cell, CHH, store_rp, rp + k)
                        acc[d * L.G + g] += L.RW[i] * li
            ll = lse_normalize(acc, DG, pw)
            ll_out[j] = ll
            for d in range(L.D):
                for g in range(L.G):
                    post_dg_out[j, d, g] = pw[d * L.G + g]
            # sweep 2: posterior-weighted scores from the kept derivatives
            if not want_scores:
                continue
            q = 0.0
            for r in range(nrow):
                i = L.INDPTR[j] + r
                S = &S_out[i, 0, 0, 0]
                GF = &GFP_out[i, 0, 0, 0]
                for g in range(L.G):
                    fill_monomials(&L, jj, g, lv, U)
                    for d in range(L.D):
                        wdg = CW[j] * L.RW[i] * post_dg_out[j, d, g]
                        if wdg < 1e-300:
                            continue
                        k = ((i * L.D + d) * L.G + g) * CHH
                        for c in range(L.C):
                            dc = d * L.C + c
                            wc = 0.0
                            for h in range(L.H):
                                wc = wc + rp[k + c * L.H + h]
                            wc = wc * wdg
                            if wc < 1e-300:
                                continue
                            rec = cb + (((r * L.D + d) * L.G + g) * L.C + c) * RC
                            q = q + wc * rec[0]
                            add_class_scores(&L, dc, wc, rec + 1, NOUT, U, S)
                            for h in range(L.H):
                                w = wdg * rp[k + c * L.H + h]
                                if w < 1e-300:
                                    continue
                                rec = ob + ((((r * L.D + d) * L.G + g) * L.C + c) * L.H + h) * RO
                                q = q + w * rec[0]
                                add_outcome_scores(&L, i, dc, w, rec + 1, rec + 1 + NOUT,
                                                   U + h * L.M, S, GF)
            q_out[j] = q
        free(lv)
        free(U)
        free(eta)
        free(dl)
        free(dfp)
        free(dcls)
        free(cell)
        free(acc)
        free(pw)
        free(ob)
        free(cb)


include "_random_effects.pxi"
