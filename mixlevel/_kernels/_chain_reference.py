"""Pure-numpy reference (test oracle) of the latent Markov chain kernel.

Mirrors :mod:`mixlevel._kernels._chain`: :func:`chain_estep` and
:func:`forward_backward` take the same arguments and give the same numbers.
It is written from the model, not from the Cython code, and by a different
route: Rabiner's *scaled* recursions in probability space, vectorised over
rows and cells,

    alpha_t = (alpha_{t-1} P_t) * f_t / c_t,        c_t = sum(alpha_{t-1} P_t * f_t),
    beta_{t-1} = P_t (f_t * beta_t) / c_t,          log L = sum_t log c_t,

with each wave's emission densities divided by their largest value first (the
log of that value is added back), so nothing underflows however long the chain.
A second-order chain is run as a first-order chain on the K^2 pair states
(C_{t-1}, C_t), whose transitions are zero unless the pairs overlap, and its
posteriors are summed back to waves.  Used only in tests.
"""

from __future__ import annotations

import numpy as np

__all__ = ["chain_estep", "forward_backward"]


def _full(x, shape):
    return np.broadcast_to(np.asarray(x, float), shape)


def _first_order(E, P0, P):
    """Scaled forward-backward; E (N,R,T,S), P0 (N,R,S), P (N,R,T-1,S,S), logs.

    Returns ll (N,R), gamma (N,R,T,S), xi (N,R,T-1,S,S).
    """
    N, R, T, S = E.shape
    m = E.max(axis=-1, keepdims=True)
    m = np.where(np.isfinite(m), m, 0.0)
    f = np.exp(E - m)
    p0, p = np.exp(P0), np.exp(P)
    alpha = np.zeros((N, R, T, S))
    scale = np.zeros((N, R, T))
    with np.errstate(divide="ignore", invalid="ignore"):
        a = p0 * f[:, :, 0]
        for t in range(T):
            if t > 0:
                a = np.einsum("nrk,nrkl->nrl", alpha[:, :, t - 1], p[:, :, t - 1]) * f[:, :, t]
            scale[:, :, t] = a.sum(axis=-1)
            alpha[:, :, t] = a / scale[:, :, t, None]
        beta = np.ones((N, R, T, S))
        xi = np.zeros((N, R, max(T - 1, 0), S, S))
        for t in range(T - 1, 0, -1):
            fb = f[:, :, t] * beta[:, :, t]
            beta[:, :, t - 1] = np.einsum("nrkl,nrl->nrk", p[:, :, t - 1], fb) \
                / scale[:, :, t, None]
            xi[:, :, t - 1] = (alpha[:, :, t - 1, :, None] * p[:, :, t - 1]
                               * fb[:, :, None, :] / scale[:, :, t, None, None])
        ll = np.log(scale).sum(axis=-1) + m[..., 0].sum(axis=-1)
        gamma = alpha * beta
    dead = ~np.isfinite(ll)
    gamma[dead] = 0.0
    xi[dead] = 0.0
    return ll, gamma, xi


def _second_order(E, P0, P1, P2):
    """Second order through pair states; P1 (N,R,K,K) wave 1, P2 (N,R,T-2,K,K,K)."""
    N, R, T, K = E.shape
    KK = K * K
    Ea = np.empty((N, R, T - 1, KK))
    Ea[:, :, 0] = (E[:, :, 0, :, None] + E[:, :, 1, None, :]).reshape(N, R, KK)
    for s in range(1, T - 1):
        Ea[:, :, s] = np.broadcast_to(E[:, :, s + 1, None, :], (N, R, K, K)).reshape(N, R, KK)
    P0a = (P0[:, :, :, None] + P1).reshape(N, R, KK)
    Pa = np.full((N, R, T - 2, K, K, K, K), -np.inf)  # [(j, k) -> (k', l)]
    for k in range(K):
        Pa[:, :, :, :, k, k, :] = P2[:, :, :, :, k, :]
    Pa = Pa.reshape(N, R, T - 2, KK, KK)
    ll, ga, xa = _first_order(Ea, P0a, Pa)
    ga = ga.reshape(N, R, T - 1, K, K)
    gamma = np.zeros((N, R, T, K))
    gamma[:, :, 0] = ga[:, :, 0].sum(axis=-1)
    gamma[:, :, 1:] = ga.sum(axis=-2)
    xi = ga
    xa = xa.reshape(N, R, T - 2, K, K, K, K)
    xi2 = np.einsum("nrtjkkl->nrtjkl", xa)
    return ll, gamma, xi, xi2


def _reduce(x, weight, mode):
    if mode == "cell":
        return x
    tail = "abcd"[:x.ndim - 2]
    y = np.einsum(f"nr{tail},nr->n{tail}", x, weight)
    return y if mode == "row" else y.sum(axis=0)


def chain_estep(E, P0, P, ll_out, gamma_out=None, xi_out=None, P2=None, xi2_out=None,
                weight=None, num_threads=1):
    """Same arguments and outputs as :func:`mixlevel._kernels._chain.chain_estep`."""
    N, R = ll_out.shape
    E = np.asarray(E, float)
    T, K = E.shape[2], E.shape[3]
    E = _full(E, (N, R, T, K))
    P0 = _full(P0, (N, R, K))
    order2 = P2 is not None and T >= 3
    if T > 1:
        P = np.asarray(P, float)
        P = _full(P, (N, R, T - 1, K, K)) if not order2 else _full(P, (N, R) + P.shape[2:])
    W = np.ones((N, R)) if weight is None else _full(weight, (N, R))
    if order2:
        ll, gamma, xi, xi2 = _second_order(E, P0, P[:, :, 0], _full(P2, (N, R, T - 2, K, K, K)))
    else:
        ll, gamma, xi = _first_order(E, P0, P if T > 1 else np.zeros((N, R, 0, K, K)))
        xi2 = None
    ll_out[...] = ll
    for out, val, per_cell_ndim in ((gamma_out, gamma, 4), (xi_out, xi, 5),
                                    (xi2_out, xi2, 6)):
        if out is None:
            continue
        mode = {per_cell_ndim: "cell", per_cell_ndim - 1: "row",
                per_cell_ndim - 2: "total"}[out.ndim]
        out[...] = _reduce(val, W, mode)


def forward_backward(E, P0, P=None, P2=None, weight=None, reduce="cell", posteriors=True,
                     num_threads=1):
    """Same arguments and result as :func:`mixlevel._kernels._chain.forward_backward`."""
    E = np.asarray(E, float)
    shapes = [E.shape, np.shape(P0)] + [np.shape(x) for x in (P, P2, weight) if x is not None]
    N = max(s[0] for s in shapes)
    R = max(s[1] for s in shapes)
    T, K = E.shape[2], E.shape[3]
    lead = {"cell": (N, R), "row": (N,), "total": ()}[reduce]
    out = {"ll": np.empty((N, R))}
    if posteriors:
        out["gamma"] = np.empty(lead + (T, K))
        out["xi"] = np.empty(lead + (max(T - 1, 0), K, K))
        if P2 is not None and T >= 3:
            out["xi2"] = np.empty(lead + (T - 2, K, K, K))
    chain_estep(E, P0, P, out["ll"], out.get("gamma"), out.get("xi"), P2=P2,
                xi2_out=out.get("xi2"), weight=weight)
    return out
