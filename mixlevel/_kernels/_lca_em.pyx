# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
# cython: initializedcheck=False
"""The whole EM of a latent class model with closed-form M-steps, in one call.

The model (Goodman 1974; the paper's eq. 1-2 without covariates or random
effects): row i's log-density in within class pattern c is

    log f_i(c) = logprior[c] + sum_s stats[i, s] logT[s, c]

where ``stats`` are the items' sufficient statistics (binary: y, n - y; a
category's indicator for polytomous items) and ``logT[s, c]`` the log
probability of statistic s in class pattern c.  Rows are the distinct
response patterns with their frequency weights ``weight``; ``stats`` is
given sparsely (CSR: ``indptr``, ``sidx``, ``sval``).

An E-step gives the expected statistics E[s, c] = sum_i w_i P(c | y_i)
stats[i, s] and class counts n[c]; the M-step (the update rule of
:class:`mixlevel.estimation.closed_form.ClosedFormMStep`, its numpy oracle)
pools them:

* items: pool g (the cells c of one item that share parameters) gets the
  shares of its pooled counts, n_k / sum n; with ``item_upper`` (binary
  items) the share of successes p is clipped to [1e-13, 1 - 1e-13] and the
  table is (log p, log(1 - p)), else every share is raised to 1e-13 and the
  table is log(q_k / sum q);
* class variables: group g (the cells that share one variable's logits)
  gets q_k = max(n_k / sum n, 1e-13) and the prior log(q_k / sum q), summed
  over the variables of a class pattern.

Cells of an item with ``pool_of = -1`` keep their tables (fixed parameters).
The loop stops when the log-likelihood gains less than ``tol (1 + |ll|)``, as
:func:`mixlevel.estimation.em_algorithm.em`.
"""

import numpy as np

from libc.math cimport exp, log, fabs, isfinite, INFINITY
from libc.stdint cimport int64_t
from libc.string cimport memcpy

__all__ = ["lca_em"]

cdef double SHARE_FLOOR = 1e-13


cdef double estep(const int64_t[::1] indptr, const int64_t[::1] sidx,
                  const double[::1] sval, const double[::1] weight,
                  const double[:, ::1] logT, const double[::1] logprior,
                  double[:, ::1] E, double[::1] cnt, double[::1] lp) noexcept nogil:
    """One E-step: returns the weighted log-likelihood (without constants) and
    writes the expected statistics E and class counts cnt."""
    cdef Py_ssize_t N = weight.shape[0], C = logprior.shape[0], S = logT.shape[0]
    cdef Py_ssize_t i, c, k, s
    cdef double ll = 0.0, mx, tot, lse, w, post, v
    for s in range(S):
        for c in range(C):
            E[s, c] = 0.0
    for c in range(C):
        cnt[c] = 0.0
    for i in range(N):
        w = weight[i]
        if w == 0.0:
            continue
        mx = -INFINITY
        for c in range(C):
            v = logprior[c]
            for k in range(indptr[i], indptr[i + 1]):
                v = v + sval[k] * logT[sidx[k], c]
            lp[c] = v
            if v > mx:
                mx = v
        if not isfinite(mx):
            return -INFINITY if mx < 0 else mx
        tot = 0.0
        for c in range(C):
            lp[c] = exp(lp[c] - mx)
            tot = tot + lp[c]
        lse = mx + log(tot)
        ll = ll + w * lse
        for c in range(C):
            post = w * lp[c] / tot
            cnt[c] = cnt[c] + post
            for k in range(indptr[i], indptr[i + 1]):
                E[sidx[k], c] = E[sidx[k], c] + sval[k] * post
    return ll


cdef void mstep(const double[:, ::1] E, const double[::1] cnt,
                const int64_t[::1] item_start, const int64_t[::1] item_upper,
                const int64_t[:, ::1] pool_of, double[:, ::1] pool_share,
                const int64_t[:, ::1] cpat, const int64_t[::1] kv,
                const int64_t[:, ::1] group_of, double[:, ::1] group_share,
                int64_t[::1] done, double[:, ::1] logT, double[::1] logprior) noexcept nogil:
    """The closed-form M-step: shares of pooled counts, then the tables.

    ``done`` is workspace (one flag per pool and group)."""
    cdef Py_ssize_t P = item_start.shape[0] - 1, C = cnt.shape[0], V = kv.shape[0]
    cdef Py_ssize_t n_pool = pool_share.shape[0], n_group = group_share.shape[0]
    cdef Py_ssize_t p, c, k, g, v, K, s0
    cdef double tot, q, p1
    for g in range(n_pool + n_group):
        done[g] = 0
    for g in range(n_pool):
        for k in range(pool_share.shape[1]):
            pool_share[g, k] = 0.0
    for p in range(P):
        s0 = item_start[p]
        for c in range(C):
            g = pool_of[p, c]
            if g >= 0:
                for k in range(item_start[p + 1] - s0):
                    pool_share[g, k] = pool_share[g, k] + E[s0 + k, c]
    for p in range(P):
        s0 = item_start[p]
        K = item_start[p + 1] - s0
        for c in range(C):
            g = pool_of[p, c]
            if g < 0 or done[g]:
                continue
            done[g] = 1
            tot = 0.0
            for k in range(K):
                tot = tot + pool_share[g, k]
            if tot < 1e-300:
                tot = 1e-300
            if item_upper[p]:  # binary: the share of successes, clipped on both sides
                p1 = pool_share[g, 0] / tot
                p1 = SHARE_FLOOR if p1 < SHARE_FLOOR else p1
                p1 = 1.0 - SHARE_FLOOR if p1 > 1.0 - SHARE_FLOOR else p1
                pool_share[g, 0] = p1
                pool_share[g, 1] = 1.0 - p1
            else:  # categories: shares raised to the floor, then renormalised
                q = 0.0
                for k in range(K):
                    pool_share[g, k] = pool_share[g, k] / tot
                    if pool_share[g, k] < SHARE_FLOOR:
                        pool_share[g, k] = SHARE_FLOOR
                    q = q + pool_share[g, k]
                for k in range(K):
                    pool_share[g, k] = pool_share[g, k] / q
        for c in range(C):
            g = pool_of[p, c]
            if g >= 0:
                for k in range(K):
                    logT[s0 + k, c] = log(pool_share[g, k])
    for g in range(n_group):
        for k in range(group_share.shape[1]):
            group_share[g, k] = 0.0
    for v in range(V):
        for c in range(C):
            g = group_of[v, c]
            group_share[g, cpat[c, v]] = group_share[g, cpat[c, v]] + cnt[c]
    for v in range(V):
        K = kv[v]
        for c in range(C):
            g = group_of[v, c]
            if done[n_pool + g]:
                continue
            done[n_pool + g] = 1
            tot = 0.0
            for k in range(K):
                tot = tot + group_share[g, k]
            if tot < 1e-300:
                tot = 1e-300
            for k in range(K):
                q = group_share[g, k] / tot
                group_share[g, k] = SHARE_FLOOR if q < SHARE_FLOOR else q
    for c in range(C):
        logprior[c] = 0.0
    for v in range(V):
        K = kv[v]
        for c in range(C):
            g = group_of[v, c]
            tot = 0.0
            for k in range(K):
                tot = tot + group_share[g, k]
            logprior[c] = logprior[c] + log(group_share[g, cpat[c, v]] / tot)


cdef inline void _copy2(double[:, ::1] dst, double[:, ::1] src) noexcept nogil:
    """dst[...] = src for two C-contiguous arrays of one shape (empty arrays too)."""
    if src.shape[0] * src.shape[1]:
        memcpy(&dst[0, 0], &src[0, 0], src.shape[0] * src.shape[1] * sizeof(double))


def lca_em(double[:, ::1] logT, double[::1] logprior,
           const int64_t[::1] indptr, const int64_t[::1] sidx, const double[::1] sval,
           const double[::1] weight, const int64_t[::1] item_start,
           const int64_t[::1] item_upper, const int64_t[:, ::1] pool_of,
           double[:, ::1] pool_share, const int64_t[:, ::1] cpat, const int64_t[::1] kv,
           const int64_t[:, ::1] group_of, double[:, ::1] group_share,
           int maxiter, double tol, double ll_const, double[::1] trace):
    """EM iterations from the tables ``logT`` (S, C) and ``logprior`` (C,).

    ``pool_of`` (items, C) gives each item cell's pool (-1: fixed), ``group_of``
    (variables, C) each class variable's group of a cell, ``cpat`` (C,
    variables) the class of each variable in a pattern, ``kv`` the variables'
    class counts, ``item_start`` the items' first statistic (and the end).
    ``ll_const`` is added to every log-likelihood (the data constants).

    On return ``logT`` and ``logprior`` hold the last accepted iterate and
    ``pool_share`` (pools, max categories) and ``group_share`` (groups, max
    classes) the shares of its M-step (the parameters; see the module
    docstring); ``trace[t]`` the log-likelihood after iteration t + 1.

    Returns (loglike, iterations, status): status 0 converged, 1 ``maxiter``
    reached, 2 stopped at a non-finite log-likelihood (the last finite iterate
    is kept; the iterations count the failed one), as
    :func:`mixlevel.estimation.em_algorithm.em`; 3 the start's log-likelihood
    is not finite (nothing done).
    """
    cdef Py_ssize_t S = logT.shape[0], C = logT.shape[1]
    cdef double[:, ::1] E = np.zeros((S, C))
    cdef double[::1] cnt = np.zeros(C)
    cdef double[::1] lp = np.zeros(C)
    cdef double[:, ::1] keepT = np.empty((S, C))
    cdef double[::1] keepP = np.empty(C)
    cdef double[:, ::1] keep_pool = np.empty((pool_share.shape[0], pool_share.shape[1]))
    cdef double[:, ::1] keep_group = np.empty((group_share.shape[0], group_share.shape[1]))
    cdef int64_t[::1] done = np.zeros(pool_share.shape[0] + group_share.shape[0], np.int64)
    cdef int it, status = 1
    cdef double ll, ll_new, gain
    with nogil:
        ll = estep(indptr, sidx, sval, weight, logT, logprior, E, cnt, lp) + ll_const
        it = 0
        if not isfinite(ll):
            status = 3
            maxiter = 0
        while it < maxiter:
            _copy2(keepT, logT)
            memcpy(&keepP[0], &logprior[0], C * sizeof(double))
            _copy2(keep_pool, pool_share)
            _copy2(keep_group, group_share)
            mstep(E, cnt, item_start, item_upper, pool_of, pool_share, cpat, kv, group_of,
                  group_share, done, logT, logprior)
            ll_new = estep(indptr, sidx, sval, weight, logT, logprior, E, cnt, lp) + ll_const
            trace[it] = ll_new
            it = it + 1
            if not isfinite(ll_new):  # keep the last finite iterate
                _copy2(logT, keepT)
                memcpy(&logprior[0], &keepP[0], C * sizeof(double))
                _copy2(pool_share, keep_pool)
                _copy2(group_share, keep_group)
                status = 2
                break
            gain = ll_new - ll
            ll = ll_new
            if fabs(gain) < tol * (1.0 + fabs(ll)):
                status = 0
                break
    return ll, it, status
