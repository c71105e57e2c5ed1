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


def re_log_joint_grad(const double[:, :, :, :] A, const double[:, ::1] Y,
                      const double[:, ::1] T, const double[:, :, ::1] FP,
                      const double[::1] RW, const double[:, :, ::1] ZB,
                      const double[:, ::1] LWG, const double[:, ::1] ZH,
                      const double[::1] LWH, const int64_t[::1] FAM, const int64_t[::1] OCH,
                      const int64_t[::1] NCAT, const int64_t[:, ::1] MONO,
                      const int64_t[::1] KV, const int64_t[::1] CHV,
                      const int64_t[:, ::1] CPAT, const int64_t[::1] INDPTR,
                      const double[:, ::1] LOGPD, double[::1] ll_out, double[:, ::1] grad_out,
                      int num_threads=1):
    """log p(Y_j, z_j) and the data part of its gradient in z at one point per cluster.

    ZB (J, 1, Qb) holds the point z_j and LWG (J, 1) its log-weight; ``ll_out[j]``
    receives LOGPD[j, 0] + LWG[j, 0] + sum_i RW_i (LWH[0] + sum_p log f(y_ip | eta_ip))
    (the random-effect sweep's value at G = 1) and ``grad_out[j, k]`` the sum over
    rows and outcomes of RW_i dlog f / deta * deta / dz_k, with
    deta / dz_k = sum_m A[i, ch, 0, m] dU_m / dz_k from the monomials U_m: no
    per-row score arrays (the mode search's calls: :func:`re_loglik_and_scores`
    at G = 1 wrote N x M scores that numpy then reduced).  The same models as
    :func:`random_effects_applies`, without row-level nodes.
    """
    if not random_effects_applies(FAM, LOGPD.shape[1], A.shape[2], ZH.shape[0], KV.shape[0],
                                  False) or ZB.shape[1] != 1 or ZH.shape[1] != 0:
        raise ValueError("re_log_joint_grad: one point per cluster of a random-effect model "
                         "without row-level nodes")
    cdef int64_t[::1] ACT = np.flatnonzero(np.asarray(FAM) >= 0).astype(np.int64)
    cdef Layout L = make_layout(A, Y, T, FP, RW, ZB, LWG, ZH, LWH, FAM, OCH, NCAT, MONO,
                                KV, CHV, CPAT, INDPTR, 1, ACT)
    cdef Py_ssize_t M = L.M, KF = L.KF, NA = L.NACT, Qb = L.Qb
    if grad_out.shape[0] != L.J or grad_out.shape[1] != Qb:
        raise ValueError("grad_out must be (J, Qb)")
    cdef Py_ssize_t j, r, i, m, k, ia, p, ch, a, b
    cdef double lwh = L.LWH[0]
    cdef double *lv, *U, *DU, *gk, *dp
    cdef const double* arow
    cdef double y, acc, lf, de, eta, s
    with nogil, parallel(num_threads=num_threads):
        lv = <double*> malloc((1 + Qb) * sizeof(double))
        U = <double*> malloc(M * sizeof(double))
        DU = <double*> malloc((M * Qb + 1) * sizeof(double))
        gk = <double*> malloc((Qb + 1) * sizeof(double))
        dp = <double*> malloc((KF + 1) * sizeof(double))
        for j in prange(L.J, schedule="static"):
            lv[0] = 1.0
            for k in range(Qb):
                lv[1 + k] = L.ZB[j * L.zb_js + k]
                gk[k] = 0.0
            for m in range(M):
                a = L.MONO[2 * m]
                b = L.MONO[2 * m + 1]
                U[m] = lv[a] * lv[b]
                for k in range(Qb):
                    DU[m * Qb + k] = (lv[b] if a == 1 + k else 0.0) + \
                        (lv[a] if b == 1 + k else 0.0)
            acc = LOGPD[j, 0] + L.LWG[j * L.lwg_js]
            for r in range(L.INDPTR[j + 1] - L.INDPTR[j]):
                i = L.INDPTR[j] + r
                lf = lwh
                for ia in range(NA):
                    p = L.ACT[ia]
                    y = L.Y[i * L.P + p]
                    if isnan(y):  # missing: drops out (FIML)
                        continue
                    ch = L.OCH[p]
                    arow = L.A + i * L.a_rs + ch * M
                    eta = 0.0
                    for m in range(M):
                        eta = eta + arow[m] * U[m]
                    de = 0.0
                    family_cells(L.FAM[p], y, L.T[i * L.P + p], L.NCAT[p], L.FP + p * KF,
                                 &eta, 1, &lf, &de, dp, KF, True)
                    de = de * L.RW[i]
                    for k in range(Qb):
                        s = 0.0
                        for m in range(M):
                            s = s + arow[m] * DU[m * Qb + k]
                        gk[k] += de * s
                acc = acc + L.RW[i] * lf
            ll_out[j] = acc
            for k in range(Qb):
                grad_out[j, k] = gk[k]
        free(lv)
        free(U)
        free(DU)
        free(gk)
        free(dp)
