# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
# cython: initializedcheck=False
"""Forward-backward recursions of a latent Markov chain (latent transition analysis).

A row i (a person) is observed at T waves; its class C_t at wave t takes the
values 0..K-1.  Given an integration cell r (the caller's between pattern x
cluster node; a row may have a single cell) the row's likelihood is

    L_ir = sum_{c_0..c_{T-1}} P0[c_0] prod_{t>=1} P_t[c_{t-1}, c_t] prod_t f_t(c_t)

(first order; the paper's eq. 8-9 with C_t depending on C_{t-1} only), or with
P(c_t | c_{t-2}, c_{t-1}) from wave 2 on (second order).  Summing over the K^T
class patterns is replaced by the forward and backward recursions, cost
O(T K^2) per row and cell (O(T K^3) for second order), memory O(T K) (O(T K^2)).

Inputs, all on the log scale (N rows, R cells, T waves, K classes); an axis
of length 1 where the full array has N rows, R cells or T - 1 (T - 2)
transitions is broadcast (stride 0: no copy), so transition matrices that
do not vary over rows, cells or time are given once:

* ``E[i, r, t, k]`` = log f(y_it | C_t = k): the emission log-density of wave
  t (the sum over that wave's items; 0 for a wave with no observed item, which
  is full-information ML under MAR);
* ``P0[i, r, k]`` = log P(C_0 = k);
* ``P[i, r, t - 1, k, l]`` = log P(C_t = l | C_{t-1} = k), t = 1..T-1;
* second order only: ``P2[i, r, t - 2, j, k, l]`` = log P(C_t = l | C_{t-2} = j,
  C_{t-1} = k), t = 2..T-1 (wave 1 still uses ``P[:, :, 0]``).

Outputs:

* ``ll[i, r]`` = log L_ir;
* ``gamma[., t, k]`` = P(C_t = k | y_i, r) (marginal posteriors);
* ``xi[., t - 1, k, l]`` = P(C_{t-1} = k, C_t = l | y_i, r) (pairwise);
* second order: ``xi2[., t - 2, j, k, l]`` = P(C_{t-2} = j, C_{t-1} = k, C_t = l | y_i, r).

Each posterior output is optional and its number of dimensions chooses what it
holds: per row and cell (``gamma[i, r, t, k]``), per row summed over the cells
with weights ``weight[i, r]`` (``gamma[i, t, k]``: the caller passes the
posterior probability of each cell times the row's frequency weight), or summed
over rows as well (``gamma[t, k]``: one thread-local buffer per thread, added up
at the end).  Memory is linear in T in every case.

Scores (Fisher's identity).  The derivative of ``ll[i, r]`` with respect to an
emission log-density is its posterior, d ll / d E[t, k] = gamma[t, k], so the
outcome scores are the gamma-weighted complete-data scores of each wave.  With
multinomial logits, last class the reference,

    P0[k] = exp(a_k) / sum_m exp(a_m),          a_{K-1} = 0,
    P_t[k, l] = exp(b_tkl) / sum_m exp(b_tkm),   b_{tk,K-1} = 0,

the scores of the logits are

    d ll / d a_k     = gamma[0, k] - P0[k],
    d ll / d b_tkl   = xi[t - 1, k, l] - gamma[t - 1, k] P_t[k, l],

and for second order d ll / d b2_tjkl = xi2[t - 2, j, k, l] - (sum_m xi2[t - 2, j, k, m])
P2_t[j, k, l].  A logit that is a linear function of coefficients
(a = X beta, covariates x_i, class-specific or time-invariant coefficients)
gets its score by the chain rule: sum over rows, cells (with the cell
posteriors), waves and classes of the expression above times the coefficient's
design value.  Time-homogeneous transitions add the scores of every t.

The kernel knows nothing of formulas or parameters: it receives arrays only.
``mixlevel._kernels._chain_reference`` is its numpy test oracle.
"""

from cython.parallel cimport prange, parallel, threadid
from libc.math cimport exp, log, INFINITY
from libc.stdlib cimport malloc, free

import numpy as np

__all__ = ["forward_backward", "chain_estep"]

# how an output is laid out (chosen by its number of dimensions)
cdef enum:
    PER_CELL = 0
    PER_ROW = 1
    TOTAL = 2
    CELL_SUM = 3


cdef struct Chain:
    Py_ssize_t N, R, T, K, order
    const double* E
    Py_ssize_t e_i, e_r, e_t, e_k
    const double* P0
    Py_ssize_t p0_i, p0_r, p0_k
    const double* P
    Py_ssize_t p_i, p_r, p_t, p_k, p_l
    const double* P2
    Py_ssize_t q_i, q_r, q_t, q_j, q_k, q_l
    const double* W
    Py_ssize_t w_i, w_r
    double* ll
    double* gamma
    double* xi
    double* xi2
    int g_mode, x_mode, x2_mode
    Py_ssize_t g_size, x_size, x2_size     # elements of one cell's output block


cdef inline double lse_weights(const double* x, Py_ssize_t n, double* w, double* mx_out,
                               double* s_out) noexcept nogil:
    """log sum exp(x); w[k] = exp(x[k] - max), the maximum and the sum of w returned too."""
    cdef Py_ssize_t k
    cdef double mx = -INFINITY, s = 0.0
    for k in range(n):
        if x[k] > mx:
            mx = x[k]
    mx_out[0] = mx
    if mx == -INFINITY:
        for k in range(n):
            w[k] = 0.0
        s_out[0] = 0.0
        return -INFINITY
    for k in range(n):
        w[k] = exp(x[k] - mx)
        s += w[k]
    s_out[0] = s
    return mx + log(s)


cdef inline double lse(const double* x, Py_ssize_t n) noexcept nogil:
    cdef Py_ssize_t k
    cdef double mx = -INFINITY, s = 0.0
    for k in range(n):
        if x[k] > mx:
            mx = x[k]
    if mx == -INFINITY:
        return -INFINITY
    for k in range(n):
        s = s + exp(x[k] - mx)
    return mx + log(s)


cdef inline void put(double* base, Py_ssize_t idx, double v, double w, int mode) noexcept nogil:
    if mode == PER_CELL:
        base[idx] = v
    else:
        base[idx] += w * v


cdef inline double* out_block(double* out, int mode, Py_ssize_t size, Py_ssize_t i,
                              Py_ssize_t r, Py_ssize_t R, Py_ssize_t tid) noexcept nogil:
    """Where cell (i, r) writes: its own block, its row's block, or its thread's buffer."""
    if out == NULL:
        return NULL
    if mode == PER_CELL:
        return out + (i * R + r) * size
    if mode == PER_ROW:
        return out + i * size
    if mode == CELL_SUM:
        return out + (tid * R + r) * size
    return out + tid * size


cdef void chain_cell(Chain* c, Py_ssize_t i, Py_ssize_t r, Py_ssize_t tid, double* la,
                     double* lb, double* lbn, double* tmp, double* w) noexcept nogil:
    """Forward-backward of a first-order chain for row i in cell r."""
    cdef Py_ssize_t T = c.T, K = c.K, t, k, l
    cdef const double* E = c.E + i * c.e_i + r * c.e_r
    cdef const double* P0 = c.P0 + i * c.p0_i + r * c.p0_r
    cdef const double* Pt
    cdef double ll, mx, s, f, wt = 1.0
    cdef double* lbx
    cdef double* G = out_block(c.gamma, c.g_mode, c.g_size, i, r, c.R, tid)
    cdef double* X = out_block(c.xi, c.x_mode, c.x_size, i, r, c.R, tid)
    if c.W != NULL:
        wt = c.W[i * c.w_i + r * c.w_r]
    # forward: la[t, l] = log P(y_0..y_t, C_t = l)
    for k in range(K):
        la[k] = P0[k * c.p0_k] + E[k * c.e_k]
    for t in range(1, T):
        Pt = c.P + i * c.p_i + r * c.p_r + (t - 1) * c.p_t
        for l in range(K):
            for k in range(K):
                tmp[k] = la[(t - 1) * K + k] + Pt[k * c.p_k + l * c.p_l]
            la[t * K + l] = E[t * c.e_t + l * c.e_k] + lse(tmp, K)
    ll = lse(la + (T - 1) * K, K)
    c.ll[i * c.R + r] = ll
    if G == NULL and X == NULL:
        return
    if ll == -INFINITY or ll != ll:  # impossible row (or NaN input): no posterior mass
        if c.g_mode == PER_CELL and G != NULL:
            for k in range(T * K):
                G[k] = 0.0 if ll == -INFINITY else ll
        if c.x_mode == PER_CELL and X != NULL:
            for k in range((T - 1) * K * K):
                X[k] = 0.0 if ll == -INFINITY else ll
        return
    # backward: lbn[l] = log P(y_{t+1}.. | C_t = l), starting at 0 for t = T - 1
    for l in range(K):
        lbn[l] = 0.0
        if G != NULL:
            put(G, (T - 1) * K + l, exp(la[(T - 1) * K + l] - ll), wt, c.g_mode)
    for t in range(T - 1, 0, -1):
        Pt = c.P + i * c.p_i + r * c.p_r + (t - 1) * c.p_t
        for k in range(K):
            for l in range(K):
                tmp[l] = Pt[k * c.p_k + l * c.p_l] + E[t * c.e_t + l * c.e_k] + lbn[l]
            lb[k] = lse_weights(tmp, K, w, &mx, &s)
            if mx == -INFINITY:
                f = 0.0
            else:
                f = exp(la[(t - 1) * K + k] + mx - ll)
            if X != NULL:
                for l in range(K):
                    put(X, ((t - 1) * K + k) * K + l, w[l] * f, wt, c.x_mode)
            if G != NULL:
                put(G, (t - 1) * K + k, s * f, wt, c.g_mode)
        lbx = lb
        lb = lbn
        lbn = lbx


cdef void chain_cell2(Chain* c, Py_ssize_t i, Py_ssize_t r, Py_ssize_t tid, double* la,
                      double* lb, double* lbn, double* tmp, double* w) noexcept nogil:
    """Forward-backward of a second-order chain (states: pairs (C_{t-1}, C_t))."""
    cdef Py_ssize_t T = c.T, K = c.K, KK = c.K * c.K, t, j, k, l
    cdef const double* E = c.E + i * c.e_i + r * c.e_r
    cdef const double* P0 = c.P0 + i * c.p0_i + r * c.p0_r
    cdef const double* P1 = c.P + i * c.p_i + r * c.p_r
    cdef const double* Q
    cdef double ll, mx, s, f, v, gw, wt = 1.0
    cdef double* lbx
    cdef double* G = out_block(c.gamma, c.g_mode, c.g_size, i, r, c.R, tid)
    cdef double* X = out_block(c.xi, c.x_mode, c.x_size, i, r, c.R, tid)
    cdef double* X2 = out_block(c.xi2, c.x2_mode, c.x2_size, i, r, c.R, tid)
    if c.W != NULL:
        wt = c.W[i * c.w_i + r * c.w_r]
    # forward.  la[0, k] (first K entries) = log P(y_0, C_0 = k); for t >= 1
    # la[t, k, l] = log P(y_0..y_t, C_{t-1} = k, C_t = l) at offset t * KK.
    for k in range(K):
        la[k] = P0[k * c.p0_k] + E[k * c.e_k]
    if T == 1:
        ll = lse(la, K)
    else:
        for k in range(K):
            for l in range(K):
                la[KK + k * K + l] = la[k] + P1[k * c.p_k + l * c.p_l] + E[c.e_t + l * c.e_k]
        for t in range(2, T):
            Q = c.P2 + i * c.q_i + r * c.q_r + (t - 2) * c.q_t
            for k in range(K):
                for l in range(K):
                    for j in range(K):
                        tmp[j] = la[(t - 1) * KK + j * K + k] + Q[j * c.q_j + k * c.q_k
                                                                   + l * c.q_l]
                    la[t * KK + k * K + l] = E[t * c.e_t + l * c.e_k] + lse(tmp, K)
        ll = lse(la + (T - 1) * KK, KK)
    c.ll[i * c.R + r] = ll
    if G == NULL and X == NULL and X2 == NULL:
        return
    if ll == -INFINITY or ll != ll:
        if c.g_mode == PER_CELL and G != NULL:
            for k in range(T * K):
                G[k] = 0.0 if ll == -INFINITY else ll
        if c.x_mode == PER_CELL and X != NULL:
            for k in range((T - 1) * KK):
                X[k] = 0.0 if ll == -INFINITY else ll
        if c.x2_mode == PER_CELL and X2 != NULL:
            for k in range((T - 2) * KK * K):
                X2[k] = 0.0 if ll == -INFINITY else ll
        return
    if T == 1:
        if G != NULL:
            for k in range(K):
                put(G, k, exp(la[k] - ll), wt, c.g_mode)
        return
    # backward over pair states: lbn[k, l] = log P(y_{t+1}.. | C_{t-1} = k, C_t = l)
    for k in range(KK):
        lbn[k] = 0.0
    # the marginals are sums of pair posteriors: a cell's own block is accumulated too
    gw = wt
    if G != NULL and c.g_mode == PER_CELL:
        gw = 1.0
        for k in range(T * K):
            G[k] = 0.0
    for t in range(T - 1, 0, -1):
        # pairwise posterior of (C_{t-1}, C_t) and the marginals it implies
        for k in range(K):
            for l in range(K):
                v = exp(la[t * KK + k * K + l] + lbn[k * K + l] - ll)
                if X != NULL:
                    put(X, (t - 1) * KK + k * K + l, v, wt, c.x_mode)
                if G != NULL:
                    G[t * K + l] += gw * v
                    if t == 1:
                        G[k] += gw * v
        if t < 2:
            break
        # step back to the pairs (C_{t-2}, C_{t-1}); triples on the way
        Q = c.P2 + i * c.q_i + r * c.q_r + (t - 2) * c.q_t
        for j in range(K):
            for k in range(K):
                for l in range(K):
                    tmp[l] = (Q[j * c.q_j + k * c.q_k + l * c.q_l]
                              + E[t * c.e_t + l * c.e_k] + lbn[k * K + l])
                lb[j * K + k] = lse_weights(tmp, K, w, &mx, &s)
                if X2 != NULL:
                    f = 0.0 if mx == -INFINITY else exp(la[(t - 1) * KK + j * K + k] + mx - ll)
                    for l in range(K):
                        put(X2, (t - 2) * KK * K + (j * K + k) * K + l, w[l] * f, wt,
                            c.x2_mode)
        lbx = lb
        lb = lbn
        lbn = lbx


# ----------------------------------------------------------------------------
# Python entry points
# ----------------------------------------------------------------------------

def _as_input(x, name, ndim, lead, tail):
    """float64 array with ``ndim`` axes; element strides with 0 on broadcast axes.

    ``lead`` are the full lengths of the leading axes (rows, cells[, time]) and
    ``tail`` the exact lengths of the trailing ones.
    """
    a = np.asarray(x, dtype=np.float64)
    if a.ndim != ndim:
        raise ValueError(f"{name} must have {ndim} axes, has {a.ndim} (shape {a.shape})")
    for ax, full in enumerate(lead):
        if a.shape[ax] not in (1, full):
            raise ValueError(f"{name}: axis {ax} has length {a.shape[ax]}, expected 1 or "
                             f"{full}")
    if tuple(a.shape[len(lead):]) != tuple(tail):
        raise ValueError(f"{name}: trailing shape {a.shape[len(lead):]}, expected {tail}")
    if any(s % 8 for s in a.strides):
        a = np.ascontiguousarray(a)
    strides = [0 if (ax < len(lead) and a.shape[ax] == 1) else a.strides[ax] // 8
               for ax in range(ndim)]
    return a, strides


def _mode(out, name, per_cell, per_row, total, cell_sums=False):
    if out is None:
        return None, -1, 0
    if not (isinstance(out, np.ndarray) and out.dtype == np.float64
            and out.flags.c_contiguous and out.flags.writeable):
        raise ValueError(f"{name} must be a writeable C-contiguous float64 array")
    if cell_sums:
        shape = (per_cell[1],) + tuple(total)
        if out.shape != shape:
            raise ValueError(f"{name} has shape {out.shape}; expected {shape} (per cell, "
                             "summed over rows)")
        return out, CELL_SUM, int(np.prod(total))
    for mode, shape in ((PER_CELL, per_cell), (PER_ROW, per_row), (TOTAL, total)):
        if out.shape == shape:
            return out, mode, int(np.prod(total))
    raise ValueError(f"{name} has shape {out.shape}; expected {per_cell} (per row and "
                     f"cell), {per_row} (per row) or {total} (total)")


def chain_estep(E, P0, P, ll_out, gamma_out=None, xi_out=None, P2=None, xi2_out=None,
                weight=None, int num_threads=1, cell_sums=False):
    """Forward-backward for every row and cell; fills the outputs in place.

    Parameters
    ----------
    E : array (N|1, R|1, T, K)
        Emission log-densities (0 for a missing wave).
    P0 : array (N|1, R|1, K)
        Log initial probabilities.
    P : array (N|1, R|1, T-1|1, K, K) or None
        Log transition probabilities, ``P[i, r, t - 1, k, l]`` = log P(C_t = l |
        C_{t-1} = k).  None (or an empty time axis) when T = 1.  For second order
        only ``P[:, :, 0]`` (wave 1) is used, and its time axis may have length 1.
    ll_out : array (N, R)
        Receives the log-likelihood of each row and cell.
    gamma_out : array (N, R, T, K), (N, T, K) or (T, K), optional
        Marginal posteriors: per cell, per row (weighted sum over cells) or
        summed over rows too.  Reduced outputs are overwritten, not accumulated.
    xi_out : array (N, R, T-1, K, K), (N, T-1, K, K) or (T-1, K, K), optional
        Pairwise posteriors of (C_{t-1}, C_t).
    P2 : array (N|1, R|1, T-2|1, K, K, K), optional
        Second-order transitions ``log P(C_t = l | C_{t-2} = j, C_{t-1} = k)``,
        t = 2..T-1.  Given: the chain is second order.
    xi2_out : array (N, R, T-2, K, K, K), (N, T-2, K, K, K) or (T-2, K, K, K), optional
        Second order: posteriors of the triples (C_{t-2}, C_{t-1}, C_t).
    weight : array (N|1, R|1), optional
        Cell weights of the reduced outputs (default 1).
    num_threads : int
        OpenMP threads over rows.
    cell_sums : bool
        The posterior outputs are per cell summed over the rows with ``weight``:
        ``gamma_out`` (R, T, K), ``xi_out`` (R, T-1, K, K), ``xi2_out`` (R, T-2,
        K, K, K) (what scores of cell-specific, row-invariant logits need).
    """
    cdef Chain c
    cdef Py_ssize_t N, R, T, K, i, r, nt, S, tid
    cdef int order
    cdef double* la
    cdef double* lb
    cdef double* lbn
    cdef double* tmp
    cdef double* w
    cdef double[::1] llv, gv, xv, x2v, gbuf, xbuf, x2buf
    E = np.asarray(E, dtype=np.float64)
    if E.ndim != 4:
        raise ValueError(f"E must have 4 axes (rows, cells, waves, classes), has {E.ndim}")
    ll_arr = ll_out
    if not (isinstance(ll_arr, np.ndarray) and ll_arr.dtype == np.float64
            and ll_arr.ndim == 2 and ll_arr.flags.c_contiguous and ll_arr.flags.writeable):
        raise ValueError("ll_out must be a writeable C-contiguous float64 array (N, R)")
    N, R = ll_arr.shape[0], ll_arr.shape[1]
    T, K = E.shape[2], E.shape[3]
    if T < 1 or K < 1 or N < 1 or R < 1:
        raise ValueError("need at least one row, cell, wave and class")
    order = 1 if P2 is None or T < 3 else 2
    Ea, es = _as_input(E, "E", 4, (N, R), (T, K))
    P0a, p0s = _as_input(P0, "P0", 3, (N, R), (K,))
    if T > 1:
        if P is None:
            raise ValueError("P (transitions) is needed when T > 1")
        Pa, ps = _as_input(P, "P", 5, (N, R, T - 1 if order == 1 else np.asarray(P).shape[2]),
                           (K, K))
        if order == 2 and Pa.shape[2] < 1:
            raise ValueError("P must hold the wave-1 transition P[:, :, 0]")
    else:
        Pa, ps = np.zeros((1, 1, 1, K, K)), [0, 0, 0, K, 1]
    if order == 2:
        Qa, qs = _as_input(P2, "P2", 6, (N, R, T - 2), (K, K, K))
    else:
        Qa, qs = np.zeros((1, 1, 1, K, K, K)), [0, 0, 0, 0, 0, 0]
    if weight is not None:
        Wa, ws = _as_input(weight, "weight", 2, (N, R), ())
    else:
        Wa, ws = None, [0, 0]
    g, c.g_mode, c.g_size = _mode(gamma_out, "gamma_out", (N, R, T, K), (N, T, K), (T, K),
                                  cell_sums)
    x, c.x_mode, c.x_size = _mode(xi_out, "xi_out", (N, R, T - 1, K, K), (N, T - 1, K, K),
                                  (T - 1, K, K), cell_sums)
    if order == 2:
        x2, c.x2_mode, c.x2_size = _mode(xi2_out, "xi2_out", (N, R, T - 2, K, K, K),
                                         (N, T - 2, K, K, K), (T - 2, K, K, K), cell_sums)
    else:
        if xi2_out is not None:
            raise ValueError("xi2_out needs a second-order chain (P2) with T >= 3")
        x2, c.x2_mode, c.x2_size = None, -1, 0
    if T == 1:
        x = None
    nt = max(1, num_threads)
    # reduced outputs start at zero; totals go through one buffer per thread
    bufs = {}
    for key, arr, mode, size in (("g", g, c.g_mode, c.g_size), ("x", x, c.x_mode, c.x_size),
                                 ("x2", x2, c.x2_mode, c.x2_size)):
        if arr is None:
            bufs[key] = None
        elif mode == TOTAL:
            bufs[key] = np.zeros(nt * max(size, 1))
        elif mode == CELL_SUM:
            bufs[key] = np.zeros(nt * R * max(size, 1))
        else:
            if mode == PER_ROW:
                arr[...] = 0.0
            bufs[key] = arr.reshape(-1) if arr.size else None
    c.N, c.R, c.T, c.K, c.order = N, R, T, K, order
    c.E = _addr(Ea)
    c.e_i, c.e_r, c.e_t, c.e_k = es[0], es[1], es[2], es[3]
    c.P0 = _addr(P0a)
    c.p0_i, c.p0_r, c.p0_k = p0s[0], p0s[1], p0s[2]
    c.P = _addr(Pa)
    c.p_i, c.p_r, c.p_t, c.p_k, c.p_l = ps[0], ps[1], ps[2], ps[3], ps[4]
    c.P2 = _addr(Qa)
    c.q_i, c.q_r, c.q_t, c.q_j, c.q_k, c.q_l = qs[0], qs[1], qs[2], qs[3], qs[4], qs[5]
    if Wa is not None:
        c.W = _addr(Wa)
    else:
        c.W = NULL
    c.w_i, c.w_r = ws[0], ws[1]
    llv = ll_arr.reshape(-1)
    c.ll = &llv[0]
    c.gamma = c.xi = c.xi2 = NULL
    if bufs["g"] is not None:
        gv = bufs["g"]
        c.gamma = &gv[0]
    if bufs["x"] is not None:
        xv = bufs["x"]
        c.xi = &xv[0]
    if bufs["x2"] is not None:
        x2v = bufs["x2"]
        c.xi2 = &x2v[0]
    S = K if order == 1 else K * K
    with nogil, parallel(num_threads=nt):
        la = <double*> malloc((T * S + 1) * sizeof(double))
        lb = <double*> malloc((S + 1) * sizeof(double))
        lbn = <double*> malloc((S + 1) * sizeof(double))
        tmp = <double*> malloc((K + 1) * sizeof(double))
        w = <double*> malloc((K + 1) * sizeof(double))
        for i in prange(N, schedule="dynamic"):
            tid = threadid()
            for r in range(R):
                if order == 1:
                    chain_cell(&c, i, r, tid, la, lb, lbn, tmp, w)
                else:
                    chain_cell2(&c, i, r, tid, la, lb, lbn, tmp, w)
        free(la)
        free(lb)
        free(lbn)
        free(tmp)
        free(w)
    for key, arr, mode, size in (("g", g, c.g_mode, c.g_size), ("x", x, c.x_mode, c.x_size),
                                 ("x2", x2, c.x2_mode, c.x2_size)):
        if arr is not None and mode in (TOTAL, CELL_SUM):
            arr[...] = bufs[key].reshape(nt, -1).sum(axis=0).reshape(arr.shape)


cdef const double* _addr(a) except NULL:
    """Pointer to the first element of the float64 array ``a`` (any strides)."""
    cdef size_t p = a.__array_interface__["data"][0]
    return <const double*> p


def forward_backward(E, P0, P=None, P2=None, weight=None, reduce="cell", posteriors=True,
                     num_threads=1):
    """Allocate the outputs and run :func:`chain_estep`.

    Parameters
    ----------
    E, P0, P, P2, weight, num_threads
        As :func:`chain_estep`.
    reduce : {"cell", "row", "total", "cell-sum"}
        Posteriors per row and cell, per row (weighted sum over cells), summed
        over rows too, or per cell summed over the rows (weighted).
    posteriors : bool
        Compute gamma and xi (and xi2 for second order); else only ``ll``.

    Returns
    -------
    dict
        ``ll`` (N, R); ``gamma``, ``xi`` and (second order) ``xi2`` when asked.
    """
    E = np.asarray(E, dtype=np.float64)
    P0 = np.asarray(P0, dtype=np.float64)
    N = max(E.shape[0], P0.shape[0], 1 if P is None else np.shape(P)[0],
            1 if weight is None else np.shape(weight)[0])
    R = max(E.shape[1], P0.shape[1], 1 if P is None else np.shape(P)[1],
            1 if weight is None else np.shape(weight)[1])
    T, K = E.shape[2], E.shape[3]
    if P2 is not None:
        N = max(N, np.shape(P2)[0])
        R = max(R, np.shape(P2)[1])
    order2 = P2 is not None and T >= 3
    lead = {"cell": (N, R), "row": (N,), "total": (), "cell-sum": (R,)}
    if reduce not in lead:
        raise ValueError("reduce must be 'cell', 'row', 'total' or 'cell-sum'")
    out = {"ll": np.empty((N, R))}
    if posteriors:
        out["gamma"] = np.empty(lead[reduce] + (T, K))
        out["xi"] = np.empty(lead[reduce] + (max(T - 1, 0), K, K))
        if order2:
            out["xi2"] = np.empty(lead[reduce] + (T - 2, K, K, K))
    chain_estep(E, P0, P, out["ll"], out.get("gamma"), out.get("xi"), P2=P2,
                xi2_out=out.get("xi2"), weight=weight, num_threads=num_threads,
                cell_sums=reduce == "cell-sum")
    return out
