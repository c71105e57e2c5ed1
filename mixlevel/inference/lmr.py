"""The Vuong-Lo-Mendell-Rubin test of K - 1 against K classes (Mplus TECH11).

Twice the log-likelihood difference of a K - 1 and a K class model is not
chi-square: the smaller model lies on the boundary of the larger one, where
some of its parameters are not identified (McLachlan & Peel 2000, sec. 6.4).
Lo, Mendell & Rubin (2001) apply Vuong's (1989, Theorem 3.3) distribution of
the likelihood ratio of two models that both contain the truth: with ``f``
the K class model (p parameters) and ``g`` the K - 1 class one (q),

.. math::

    2\\,(\\ell_f - \\ell_g) \\;\\to\\; \\sum_{j=1}^{p+q} \\lambda_j Z_j^2,
    \\qquad Z_j \\sim N(0, 1) \\text{ independent},

where the weights ``lambda_j`` are the eigenvalues of

.. math::

    W = \\begin{pmatrix} -B_f A_f^{-1} & -B_{fg} A_g^{-1} \\\\
                         B_{gf} A_f^{-1} & B_g A_g^{-1} \\end{pmatrix},

``A`` the expected Hessian of one observation's log-likelihood, ``B`` the
expected outer product of its scores and ``B_fg`` the cross product of the
two models' scores.  They are estimated from the per-observation
log-likelihoods and scores of the two fitted models (``loglikeobs``,
``score_obs`` and the observed Hessian, divided by n).  ``W = E B A^-1``
with ``E = diag(-I_p, I_q)``, ``B`` the joint score outer product and
``A = diag(A_f, A_g)``, so its eigenvalues are those of the symmetric
``B^(1/2) diag(-A_f^-1, A_g^-1) B^(1/2)``: they are real and computed that
way.  The tail probability of the weighted sum of chi-squares is computed by
Imhof's (1961) integral.

"Observations" are the model's independent units: rows of a single-level
model, clusters of a two-level one (as ``loglikeobs``); a frequency-weighted
row counts as that many units.

The adjusted test (Lo, Mendell & Rubin 2001, eq. 15) divides the statistic by
``1 + 1 / (d ln n)``, with ``d`` the difference in the number of parameters
(their ``(3k - 1) - (3k_0 - 1)`` for univariate normal mixtures; Mplus uses
the difference in parameters as here) and ``n`` the number of units, and
refers it to the same distribution.

Mplus obtains the K - 1 class model by deleting the first class of the K class
estimates and re-estimating; here it is whatever K - 1 class fit is passed in
(:func:`~mixlevel.inference.enumeration.enumerate_classes` passes its best
one), which is the same model when both fits reached their global maximum.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import integrate, stats

__all__ = ["lmr_test", "weighted_chi2_sf", "unit_weights"]


def _unwrap(res):
    return getattr(res, "_results", res)


def unit_weights(res):
    """Frequency weight of each independent unit (row or cluster) of a fitted model."""
    return np.asarray(_unwrap(res).model.design.cluster_weight, float)


def weighted_chi2_sf(x, weights):
    """P(sum_j w_j Z_j^2 > x) for independent standard normal Z_j (Imhof 1961).

    Parameters
    ----------
    x : float
    weights : array_like
        The weights; they may be negative.  Weights below 1e-10 times the
        largest absolute weight are dropped.

    Returns
    -------
    float

    Notes
    -----
    ``P(Q > x) = 1/2 + (1/pi) int_0^inf sin(theta(u)) / (u rho(u)) du`` with
    ``theta(u) = sum_j arctan(w_j u) / 2 - x u / 2`` and
    ``rho(u) = prod_j (1 + w_j^2 u^2)^(1/4)``.
    """
    lam = np.asarray(weights, float).ravel()
    if lam.size == 0 or not np.all(np.isfinite(lam)):
        return float("nan")
    top = np.abs(lam).max()
    lam = lam[np.abs(lam) > 1e-10 * top] if top > 0 else lam[:0]
    if lam.size == 0:
        return float(x < 0)
    lam = lam / top  # scale-free: Q / top > x / top
    x = float(x) / top

    omega = 0.5 * x

    def phi(u):
        return 0.5 * np.arctan(lam * u).sum()

    def amplitude(u):
        return u * np.exp(0.25 * np.log1p((lam * u) ** 2).sum())

    def full(u):  # sin(theta(u)) / (u rho(u)), with its limit at u = 0
        if u == 0.0:
            return 0.5 * (lam.sum() - x)
        return np.sin(phi(u) - omega * u) / amplitude(u)

    # sin(phi - omega u) = sin(phi) cos(omega u) - cos(phi) sin(omega u): beyond u = a
    # the amplitudes are smooth and decay, so QUADPACK's Fourier integrator (QAWF)
    # takes the oscillation exactly, however slowly the amplitude decays; the head
    # [0, a] holds less than a period of the oscillation
    a = min(1.0, 1.0 / abs(omega)) if omega != 0.0 else 1.0
    head, _ = integrate.quad(full, 0.0, a, limit=200)
    if omega == 0.0:
        tail, _ = integrate.quad(lambda u: np.sin(phi(u)) / amplitude(u), a, np.inf,
                                 limit=200)
    else:
        w = abs(omega)
        tail_cos, _ = integrate.quad(lambda u: np.sin(phi(u)) / amplitude(u), a, np.inf,
                                     weight="cos", wvar=w, limlst=100)
        tail_sin, _ = integrate.quad(lambda u: np.cos(phi(u)) / amplitude(u), a, np.inf,
                                     weight="sin", wvar=w, limlst=100)
        tail = tail_cos - np.sign(omega) * tail_sin
    total = head + tail
    # Q <= max(w) chi-square(number of positive w): an upper bound that also settles
    # the far tail, where the integral is below its own rounding error
    positive = lam[lam > 0]
    bound = float(stats.chi2.sf(x / positive.max(), positive.size)) if positive.size \
        else float(x < 0)
    return float(min(max(0.5 + total / np.pi, 0.0), bound, 1.0))


def _symmetric_sqrt(B):
    ev, V = np.linalg.eigh(0.5 * (B + B.T))
    return (V * np.sqrt(np.clip(ev, 0.0, None))) @ V.T


def _inverse(A, rcond=1e-8):
    """Pseudo-inverse of a symmetric Hessian and its number of flat directions.

    Directions with less than ``rcond`` times the largest curvature are
    parameters on their boundary (a probability of 0 or 1: a logit drifting
    to infinity, whose score is zero too).  They are treated as fixed, as
    Mplus fixes such logits, instead of inverting a curvature of 1e-13.
    """
    A = 0.5 * (A + A.T)
    ev = np.abs(np.linalg.eigvalsh(A))
    flat = int(np.sum(ev <= rcond * ev.max())) if ev.size else 0
    return np.linalg.pinv(A, rcond=rcond, hermitian=True), flat


def _same_data(a, b):
    return (a.nobs == b.nobs and a.n_clusters == b.n_clusters
            and list(a.model.spec.outcome_names) == list(b.model.spec.outcome_names))


def lmr_test(restricted, full):
    """Vuong-Lo-Mendell-Rubin and adjusted LMR tests of K - 1 against K classes.

    Parameters
    ----------
    restricted : MixtureResults
        The model with one class fewer (K - 1).
    full : MixtureResults
        The model with K classes, fitted to the same data.

    Returns
    -------
    pandas.Series
        ``lr`` (2 x the log-likelihood difference), ``df`` (difference in the
        number of parameters), ``mean`` and ``sd`` of the reference
        distribution (as Mplus TECH11 prints them), ``pvalue`` (VLMR),
        ``lr_adjusted`` and ``pvalue_adjusted`` (the adjusted LMR test),
        ``n_units``, ``n_boundary`` (parameters of the K and K - 1 class
        models on their boundary, treated as fixed: see :func:`_inverse`) and
        ``note``.  ``.attrs["eigenvalues"]`` holds the weights of the
        chi-squares.

    Notes
    -----
    See the module docstring.  The statistic is computed from the two
    models' per-unit log-likelihoods, so it equals ``2 * (full.llf -
    restricted.llf)``.  Like every test of the number of classes it assumes
    both models reached their global maximum; check ``best_loglike_replicated``.

    Examples
    --------
    >>> lmr_test(res2, res3)          # doctest: +SKIP
    lr                  47.1
    df                  8
    pvalue              0.0012
    ...
    """
    g, f = _unwrap(restricted), _unwrap(full)
    if not _same_data(g, f):
        raise ValueError("the two models must be fitted to the same data and outcomes")
    if f.k_params <= g.k_params:
        raise ValueError("full must have more parameters than restricted (K classes "
                         "against K - 1): pass the smaller model first")
    w = unit_weights(f)
    if not np.array_equal(w, unit_weights(g)):
        raise ValueError("the two models weight their units differently; fit both with "
                         "the same weights=")
    n = float(w.sum())
    safe = np.where(w > 0, w, 1.0)
    parts = []
    for res in (f, g):
        params = np.asarray(res.params, float)
        ll = res.model.loglikeobs(params)
        scores = res.model.score_obs(params) / safe[:, None]
        parts.append((ll, scores, res.model.hessian(params) / n))
    (ll_f, s_f, A_f), (ll_g, s_g, A_g) = parts
    lr = 2.0 * float(np.sum(ll_f) - np.sum(ll_g))
    U = np.hstack([s_f, s_g])
    B = (U * w[:, None]).T @ U / n
    inv_f, flat_f = _inverse(A_f)
    inv_g, flat_g = _inverse(A_g)
    p, q = s_f.shape[1], s_g.shape[1]
    S = np.zeros((p + q, p + q))
    S[:p, :p] = -inv_f
    S[p:, p:] = inv_g
    Bh = _symmetric_sqrt(B)
    lam = np.linalg.eigvalsh(Bh @ (0.5 * (S + S.T)) @ Bh)
    df = p - q
    notes = []
    if n < p + q:
        notes.append(f"fewer independent units ({n:g}) than parameters of the two models "
                     f"({p + q}): the scores' outer product is singular and the test is "
                     "unreliable")
    if lr < 0:
        notes.append("the K class log-likelihood is below the K - 1 class one: the K class "
                     "fit missed its maximum; use more random starts")
    adjust = 1.0 + 1.0 / (df * np.log(n)) if n > 1 else np.nan
    lr_adj = lr / adjust
    out = {
        "lr": lr, "df": df, "mean": float(lam.sum()),
        "sd": float(np.sqrt(2.0 * np.sum(lam ** 2))),
        "pvalue": weighted_chi2_sf(lr, lam),
        "lr_adjusted": lr_adj, "pvalue_adjusted": weighted_chi2_sf(lr_adj, lam),
        "n_units": n, "n_boundary": (flat_f, flat_g), "note": "; ".join(notes),
    }
    series = pd.Series(out, dtype=object)
    series.attrs["eigenvalues"] = lam
    return series
