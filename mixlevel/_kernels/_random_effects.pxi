# The random-effect sweep: loglik_and_scores for models whose rows have one cell per node.
#
# Included by _estep.pyx after its helpers.  When there are no class variables
# (D = C = 1), no row-level nodes (H = 1), no tabulated parts (EXTRA) and no
# nominal outcome, every row has exactly one cell per cluster node g, so the
# general sweep's per-cell bookkeeping (monomials rebuilt per row and node,
# records of every cell's derivatives, the family if-chain and the score loops
# per cell) is overhead.  This sweep computes, per cluster,
#
#   * the monomials of the cluster's G nodes once, stored node-fastest, UT[m*G + g];
#   * per row and outcome, the linear predictor at all G nodes by an axpy over the
#     monomials, then the log-densities of all G cells by one family loop;
#   * the scores S[i, ch, m] = sum_g w_g dlog f/deta(g) U_m(g) as dot products over g.
#
# It writes the same outputs as loglik_and_scores (tests/test_kernel_random_effects.py
# compares the two on every family it takes).  An empty rowpost_out is allowed
# even with scores: each row's single cell has P = 1, which EStep supplies.

cdef inline void family_cells(int64_t f, double y, double n, Py_ssize_t K, const double* fp,
                              const double* eta, Py_ssize_t G, double* lf, double* de,
                              double* dp, Py_ssize_t KF, bint grad) noexcept nogil:
    """lf[g] += log f(y | eta[g]) for g < G; d/deta into de[g], d/dfparam into dp[g*KF + k]."""
    cdef Py_ssize_t g
    if f == LOGIT:
        for g in range(G):
            lf[g] += logf_logit(y, eta[g], de + g, grad)
    elif f == NORMAL:
        for g in range(G):
            lf[g] += logf_normal(y, eta[g], fp, de + g, dp + g * KF, grad)
    elif f == PROBIT:
        for g in range(G):
            lf[g] += logf_probit(y, eta[g], de + g, grad)
    elif f == BINOMIAL_LOGIT:
        for g in range(G):
            lf[g] += logf_binomial_logit(y, n, eta[g], de + g, grad)
    elif f == BINOMIAL_PROBIT:
        for g in range(G):
            lf[g] += logf_binomial_probit(y, n, eta[g], de + g, grad)
    elif f == POISSON:
        for g in range(G):
            lf[g] += logf_poisson(y, eta[g], de + g, grad)
    elif f == ORDINAL_LOGIT:
        for g in range(G):
            lf[g] += logf_ordinal(<Py_ssize_t> y, K, eta[g], fp, False, de + g, dp + g * KF,
                                  grad)
    elif f == ORDINAL_PROBIT:
        for g in range(G):
            lf[g] += logf_ordinal(<Py_ssize_t> y, K, eta[g], fp, True, de + g, dp + g * KF,
                                  grad)
    elif f == TRUNCATED_POISSON:
        for g in range(G):
            lf[g] += logf_truncated_poisson(y, eta[g], de + g, grad)


def random_effects_applies(const int64_t[::1] FAM, Py_ssize_t D, Py_ssize_t DC, Py_ssize_t H,
                           Py_ssize_t V, bint has_extra):
    """True when :func:`re_loglik_and_scores` computes this model (see the module note)."""
    cdef Py_ssize_t p
    if D != 1 or DC != 1 or H != 1 or V != 0 or has_extra:
        return False
    for p in range(FAM.shape[0]):
        if FAM[p] == NOMINAL:
            return False
    return True


def re_loglik_and_scores(const double[:, :, :, :] A, const double[:, ::1] Y,
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
    """:func:`loglik_and_scores` for random-effect models (one cell per row and node).

    Same arguments and outputs; raises ValueError when
    :func:`random_effects_applies` is false for the model.
    """
    if not random_effects_applies(FAM, LOGPD.shape[1], A.shape[2], ZH.shape[0], KV.shape[0],
                                  EXTRA is not None):
        raise ValueError("re_loglik_and_scores: the model has classes, row-level nodes, "
                         "tabulated parts or nominal outcomes; use loglik_and_scores")
    cdef int64_t[::1] ACT = np.flatnonzero(np.asarray(FAM) >= 0).astype(np.int64)
    cdef Layout L = make_layout(A, Y, T, FP, RW, ZB, LWG, ZH, LWH, FAM, OCH, NCAT, MONO,
                                KV, CHV, CPAT, INDPTR, 1, ACT)
    cdef Py_ssize_t G = L.G, M = L.M, KF = L.KF, NA = L.NACT
    cdef bint store_rp = rowpost_out.shape[0] > 0
    if store_rp and rowpost_out.shape[0] != L.N * G:
        raise ValueError("rowpost_out has the wrong size")
    if want_scores and (S_out.shape[0] != L.N or GFP_out.shape[0] != L.N):
        raise ValueError("S_out and GFP_out need one row per data row")
    cdef Py_ssize_t j, jj, r, i, g, m, k, ia, p, ch, nrow, nmax = 1
    for j in range(L.J):
        if INDPTR[j + 1] - INDPTR[j] > nmax:
            nmax = INDPTR[j + 1] - INDPTR[j]
    cdef Py_ssize_t nbuf = nmax if want_scores else 1
    cdef double lwh = L.LWH[0]
    cdef double *lv, *UT, *acc, *pw, *eta, *lfb, *dlb, *dpb, *wg  # per-thread buffers
    cdef double *rl, *de, *dp, *S, *GF
    cdef const double* arow
    cdef double y, ll, q, s, cell
    with nogil, parallel(num_threads=num_threads):
        lv = <double*> malloc((1 + L.Qb + L.Qw) * sizeof(double))
        UT = <double*> malloc(M * G * sizeof(double))
        acc = <double*> malloc(G * sizeof(double))
        pw = <double*> malloc(G * sizeof(double))
        eta = <double*> malloc(G * sizeof(double))
        wg = <double*> malloc(G * sizeof(double))
        lfb = <double*> malloc(nbuf * G * sizeof(double))
        dlb = <double*> malloc((nbuf * NA * G + 1) * sizeof(double))
        dpb = <double*> malloc((nbuf * NA * G * KF + 1) * sizeof(double))
        for j in prange(L.J, schedule="dynamic"):
            jj = j
            nrow = L.INDPTR[j + 1] - L.INDPTR[j]
            # the monomials of this cluster's nodes, node-fastest
            lv[0] = 1.0
            for k in range(L.Qw):
                lv[1 + L.Qb + k] = L.ZH[k]
            for g in range(G):
                for k in range(L.Qb):
                    lv[1 + k] = L.ZB[jj * L.zb_js + g * L.Qb + k]
                for m in range(M):
                    UT[m * G + g] = lv[L.MONO[2 * m]] * lv[L.MONO[2 * m + 1]]
                acc[g] = LOGPD[j, 0] + L.LWG[jj * L.lwg_js + g]
            # sweep 1: each row's log-density at every node (and its derivatives)
            for r in range(nrow):
                i = L.INDPTR[j] + r
                rl = lfb + (r if want_scores else 0) * G
                for g in range(G):
                    rl[g] = 0.0
                for ia in range(NA):
                    p = L.ACT[ia]
                    y = L.Y[i * L.P + p]
                    if isnan(y):  # missing: drops out (FIML)
                        continue
                    ch = L.OCH[p]
                    arow = L.A + i * L.a_rs + ch * M
                    for g in range(G):
                        eta[g] = arow[0] * UT[g]
                    for m in range(1, M):
                        for g in range(G):
                            eta[g] += arow[m] * UT[m * G + g]
                    de = dlb + ((r if want_scores else 0) * NA + ia) * G
                    dp = dpb + ((r if want_scores else 0) * NA + ia) * G * KF
                    family_cells(L.FAM[p], y, L.T[i * L.P + p], L.NCAT[p], L.FP + p * KF,
                                 eta, G, rl, de, dp, KF, want_scores)
                for g in range(G):
                    cell = lwh + rl[g]
                    acc[g] += L.RW[i] * cell
                    if store_rp:
                        rowpost_out[i * G + g] = 0.0 if cell == -INFINITY else 1.0
            ll = lse_normalize(acc, G, pw)
            ll_out[j] = ll
            for g in range(G):
                post_dg_out[j, 0, g] = pw[g]
            if not want_scores:
                continue
            # sweep 2: posterior-weighted scores of every row
            q = 0.0
            for r in range(nrow):
                i = L.INDPTR[j] + r
                rl = lfb + r * G
                S = &S_out[i, 0, 0, 0]
                GF = &GFP_out[i, 0, 0, 0]
                for g in range(G):
                    wg[g] = CW[j] * L.RW[i] * pw[g]
                    if wg[g] < 1e-300:  # cells without weight (perhaps impossible) add nothing
                        wg[g] = 0.0
                    else:
                        q = q + wg[g] * rl[g]
                for ia in range(NA):
                    p = L.ACT[ia]
                    if isnan(L.Y[i * L.P + p]):
                        continue
                    ch = L.OCH[p]
                    de = dlb + (r * NA + ia) * G
                    for g in range(G):
                        eta[g] = wg[g] * de[g] if wg[g] != 0.0 else 0.0
                    for m in range(M):
                        s = 0.0
                        for g in range(G):
                            s = s + eta[g] * UT[m * G + g]
                        S[ch * M + m] += s
                    dp = dpb + (r * NA + ia) * G * KF
                    for k in range(family_scored_params(L.FAM[p], L.NCAT[p])):
                        s = 0.0
                        for g in range(G):
                            if wg[g] != 0.0:
                                s = s + wg[g] * dp[g * KF + k]
                        GF[p * KF + k] += s
            q_out[j] = q
        free(lv)
        free(UT)
        free(acc)
        free(pw)
        free(eta)
        free(wg)
        free(lfb)
        free(dlb)
        free(dpb)
