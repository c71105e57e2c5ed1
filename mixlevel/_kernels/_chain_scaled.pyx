# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
# cython: initializedcheck=False
"""Forward-backward of first-order latent Markov chains on probabilities.

The log-space kernel (:mod:`mixlevel._kernels._chain`) takes a log-sum-exp at
every row, wave and pair of classes.  When the initial and transition
probabilities are the same for every row (no covariates) and the chain is first
order, the recursions run on probabilities with one scale factor per row and
wave (Rabiner 1989, eq. 91-93), and the expected transition counts are summed
over rows inside the loop: what the closed-form EM M-step
(:mod:`mixlevel.estimation.chain_mstep`) and the gradient need.  Its caller is
:mod:`mixlevel.engine.chain_scaled`.
"""

from libc.math cimport exp, log, INFINITY

import numpy as np

__all__ = ["scaled_estep"]


def scaled_estep(const double[:, :, ::1] E, const double[::1] P0,
                 const double[:, :, ::1] P, const double[::1] weight,
                 double[::1] ll_out, double[:, :, ::1] gamma_out,
                 double[::1] init_out, double[:, :, ::1] counts_out):
    """Forward-backward of a first-order chain on probabilities, one scale per wave.

    For transition probabilities that are the same for every row (no
    covariates): ``E`` (N, T, K) log emissions, ``P0`` (K,) initial and ``P``
    (T-1 or 1, K, K) transition *probabilities* (one matrix: homogeneous).
    Fills ``ll_out`` (N,), ``gamma_out`` (N, T, K) and the weighted expected
    counts summed over rows, ``init_out`` (K,) of C_0 and ``counts_out``
    (T-1, K, K) of (C_{t-1}, C_t), without a log or exp per transition cell
    (Rabiner 1989, eq. 91-93; ``mixlevel.engine.chain_scaled``).  Returns the
    number of rows whose scale factor was not positive and finite (the caller
    then uses :func:`chain_estep`, whose log-space recursions keep them).
    """
    cdef Py_ssize_t N = E.shape[0], T = E.shape[1], K = E.shape[2]
    cdef Py_ssize_t nP = P.shape[0], i, t, k, l, pt
    cdef double mx, s, ll, wt, v
    cdef Py_ssize_t bad = 0
    if P0.shape[0] != K or P.shape[1] != K or P.shape[2] != K or weight.shape[0] != N \
            or ll_out.shape[0] != N or gamma_out.shape[0] != N or gamma_out.shape[1] != T \
            or gamma_out.shape[2] != K or init_out.shape[0] != K \
            or counts_out.shape[0] != T - 1 or (T > 1 and nP < 1):
        raise ValueError("scaled_estep: inconsistent shapes")
    e_arr = np.empty(T * K)
    a_arr = np.empty(T * K)
    c_arr = np.empty(T)
    b_arr = np.empty(2 * K)
    cdef double[::1] e = e_arr, a = a_arr, c = c_arr, b = b_arr
    init_out[:] = 0.0
    counts_out[:, :, :] = 0.0
    with nogil:
        for i in range(N):
            ll = 0.0
            wt = weight[i]
            for t in range(T):
                mx = -INFINITY
                for k in range(K):
                    if E[i, t, k] > mx:
                        mx = E[i, t, k]
                if mx == -INFINITY or mx != mx:
                    break
                ll += mx
                for k in range(K):
                    e[t * K + k] = exp(E[i, t, k] - mx)
                s = 0.0
                if t == 0:
                    for k in range(K):
                        a[k] = P0[k] * e[k]
                        s += a[k]
                else:
                    pt = t - 1 if nP > 1 else 0
                    for l in range(K):
                        v = 0.0
                        for k in range(K):
                            v += a[(t - 1) * K + k] * P[pt, k, l]
                        a[t * K + l] = v * e[t * K + l]
                        s += a[t * K + l]
                if not (s > 0.0 and s < INFINITY):
                    break
                c[t] = s
                ll += log(s)
                for k in range(K):
                    a[t * K + k] /= s
            else:
                ll_out[i] = ll
                for k in range(K):
                    b[k] = 1.0
                    gamma_out[i, T - 1, k] = a[(T - 1) * K + k]
                for t in range(T - 1, 0, -1):
                    pt = t - 1 if nP > 1 else 0
                    for l in range(K):  # e_t b_t / c_t
                        b[l] = e[t * K + l] * b[l] / c[t]
                    for k in range(K):
                        v = 0.0
                        for l in range(K):
                            s = P[pt, k, l] * b[l]
                            counts_out[t - 1, k, l] += wt * a[(t - 1) * K + k] * s
                            v += s
                        b[K + k] = v
                    for k in range(K):
                        b[k] = b[K + k]
                        gamma_out[i, t - 1, k] = a[(t - 1) * K + k] * b[k]
                for k in range(K):
                    init_out[k] += wt * gamma_out[i, 0, k]
                continue
            bad += 1
    return bad
