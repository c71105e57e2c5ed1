"""Own independent log-likelihoods evaluated at peer software's estimates (second route for the writers).

Generator helper only; tests never import it. Every function integrates or sums the model's likelihood
directly from its definition, without any code of the peer package:
  * lm_loglike: basic latent Markov model (forward recursion with scaling);
  * lta2_loglike: two-wave latent transition model with binary items, missing items skipped (MAR);
  * lcr_loglike: latent class model with one N(0, 1) random effect and item loadings (Qu et al. 1996),
    logit or probit, by Gauss-Hermite quadrature (fixed grid, `nq` points);
  * irt_loglike: unidimensional 1PL/2PL/3PL marginal likelihood, theta ~ N(mean, var), Gauss-Hermite.
"""
import numpy as np
from scipy.special import log_expit, logsumexp
from scipy.stats import norm


def lm_loglike(Y, piv, Pi, Psi):
    """Y: (n, T) categories 0..C-1; piv (k,); Pi: (k, k) or list of T-1 (k, k); Psi: (C, k)."""
    Y = np.asarray(Y, int)
    n, T = Y.shape
    Psi = np.asarray(Psi, float)
    Pis = [np.asarray(Pi, float)] * (T - 1) if np.ndim(Pi) == 2 else [np.asarray(p, float) for p in Pi]
    alpha = np.asarray(piv, float)[None, :] * Psi[Y[:, 0], :]
    c = alpha.sum(axis=1)
    ll = np.log(c)
    alpha /= c[:, None]
    for t in range(1, T):
        alpha = (alpha @ Pis[t - 1]) * Psi[Y[:, t], :]
        c = alpha.sum(axis=1)
        ll += np.log(c)
        alpha /= c[:, None]
    return float(ll.sum())


def _logf_binary(Y, p1):
    """log P(y | class) for binary 0/1 data with NaN = missing; p1: (items, classes) P(y = 1)."""
    Y = np.asarray(Y, float)
    obs = ~np.isnan(Y)
    y = np.where(obs, Y, 0.0)
    lp, lq = np.log(p1), np.log1p(-p1)
    return (y * obs) @ lp + ((1 - y) * obs) @ lq


def lta2_loglike(Y1, Y2, pi, tau, p1_w1, p1_w2):
    """Two waves; Y1, Y2: (n, J) 0/1 with NaN; pi (K,); tau (K, L) rows = wave-1 status;
    p1_w*: (J, K) P(item = 1 | status). Rows with every item missing in both waves are dropped."""
    keep = ~(np.isnan(Y1).all(axis=1) & np.isnan(Y2).all(axis=1))
    l1 = _logf_binary(Y1[keep], np.asarray(p1_w1, float)) + np.log(pi)[None, :]
    l2 = _logf_binary(Y2[keep], np.asarray(p1_w2, float))
    inner = logsumexp(l2[:, None, :] + np.log(np.asarray(tau, float))[None, :, :], axis=2)
    return float(logsumexp(l1 + inner, axis=1).sum())


def lcr_loglike(Y, freq, classp, alpha, lam, probit=False, nq=201):
    """Y: (P, J) 0/1 patterns with frequencies; alpha (K, J) linear predictor at u = 0; lam (J,)."""
    x, w = np.polynomial.hermite_e.hermegauss(nq)
    lw = np.log(w / w.sum())
    Y = np.asarray(Y, float)
    tot = np.empty((Y.shape[0], len(classp)))
    for c in range(len(classp)):
        eta = np.asarray(alpha[c], float)[None, :] + np.outer(x, lam)      # (nq, J)
        if probit:
            lp, lq = norm.logcdf(eta), norm.logcdf(-eta)
        else:
            lp, lq = log_expit(eta), log_expit(-eta)
        tot[:, c] = logsumexp(Y @ lp.T + (1 - Y) @ lq.T + lw[None, :], axis=1) + np.log(classp[c])
    return float(np.asarray(freq, float) @ logsumexp(tot, axis=1))


def irt_loglike(Y, a, d, g=None, mean=0.0, var=1.0, nq=201):
    """Y: (n, J) 0/1; P(y_j = 1 | theta) = g_j + (1 - g_j) expit(a_j theta + d_j), theta ~ N(mean, var)."""
    x, w = np.polynomial.hermite_e.hermegauss(nq)
    theta = mean + np.sqrt(var) * x
    eta = np.outer(theta, a) + np.asarray(d, float)
    if g is None:
        lp, lq = log_expit(eta), log_expit(-eta)
    else:
        g = np.asarray(g, float)
        lp = np.logaddexp(np.log(g), np.log1p(-g) + log_expit(eta))   # log(g + (1 - g) expit(eta))
        lq = np.log1p(-g) + log_expit(-eta)                            # log((1 - g) expit(-eta))
    Y = np.asarray(Y, float)
    return float(logsumexp(Y @ lp.T + (1 - Y) @ lq.T + np.log(w / w.sum())[None, :], axis=1).sum())
