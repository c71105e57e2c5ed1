"""The E-step of first-order chains without covariates by scaled forward-backward.

The log-space kernel (:mod:`mixlevel._kernels._chain`) takes a log-sum-exp
at every row, wave and class pair: about three ``exp`` per cell, which is most
of an EM iteration of a latent Markov model.  When the class logits do not
vary over rows (no covariates) and the chain is first order, the recursions
can run on probabilities with one scale factor per row and wave (Rabiner
1989, eq. 91-93), as matrix products over all rows at once:

    a_0 = P0 e_0 / c_0,     a_t = (a_{t-1} P_t) e_t / c_t,
    b_{T-1} = 1,            b_{t-1} = P_t (e_t b_t) / c_t,
    log L = sum_t log c_t + sum_t max_k E_tk,

with ``e_t = exp(E_t - max_k E_tk)`` (so no emission underflows to zero in every
class).  ``gamma_t = a_t b_t`` are the marginal posteriors and the expected
transition counts of wave t, summed over rows with weights, are
``P_t * (a_{t-1}' W (e_t b_t / c_t))``: what the closed-form M-step and the
gradient need, without the per-row pairwise posteriors.  Rows whose scale
factor underflows (a transition of probability zero into the only classes
their data allow) are left to the log-space kernel: the caller falls back.
"""

from __future__ import annotations

import numpy as np

from .._kernels import _chain_scaled

__all__ = ["scaled_forward_backward"]


def scaled_forward_backward(E, logp, weight):
    """Log-likelihoods, marginal posteriors and weighted expected class counts.

    Parameters
    ----------
    E : ndarray (N, T, K)
        Emission log-densities (0 for a missing wave).
    logp : list of ndarray
        Per wave: log P(C_0) (1, K), then log P(C_t | C_{t-1}) (1, K, K).
    weight : ndarray (N,)
        Row weights of the summed counts.

    Returns
    -------
    (ll (N,), gamma (N, T, K), {wave: (parents, K) weighted expected counts}) or None
        None when a row's scale factor is zero or not finite (use the log kernel).
    """
    N, T, K = E.shape
    P0 = np.exp(logp[0].reshape(K))
    P = np.exp(np.stack([lp.reshape(K, K) for lp in logp[1:]]))
    ll = np.empty(N)
    gamma = np.empty((N, T, K))
    init = np.empty(K)
    counts = np.empty((T - 1, K, K))
    bad = _chain_scaled.scaled_estep(np.ascontiguousarray(E, dtype=float), P0, P,
                                     np.ascontiguousarray(weight, dtype=float), ll, gamma,
                                     init, counts)
    if bad:
        return None
    out = {t: counts[t - 1] for t in range(1, T)}
    out[0] = init[None, :]
    return ll, gamma, out
