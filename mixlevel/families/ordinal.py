"""Ordered categories with cumulative logit or probit thresholds (eq. 1)."""

from __future__ import annotations

import re

import numpy as np

from .base import FamilyCode, cdf, check_link, log_cdf, log_pdf
from .categories import CategoricalFamily

__all__ = ["Ordinal"]


class Ordinal(CategoricalFamily):
    """Ordered categories, ``P(y <= k) = F(tau_k - eta)`` (eq. 1), F logistic or normal.

    Parameters
    ----------
    link : {"logit", "probit"}
    levels : sequence, optional
        The categories from lowest to highest.  Needed for text categories
        that are not an ordered ``pd.Categorical``.
    """

    name = "ordinal"
    param_kind = "thresholds"
    ordered = True
    has_intercept = False  # the thresholds take its place

    def __init__(self, link="logit", levels=None):
        self.link = check_link(link)
        super().__init__(levels)

    @property
    def code(self):
        return FamilyCode.ORDINAL_LOGIT if self.link == "logit" else FamilyCode.ORDINAL_PROBIT

    def n_params(self, n_categories):
        return n_categories - 1

    def param_names(self, outcome, n_params, suffix=""):
        return [f"{outcome}|t{k + 1}{suffix}" for k in range(n_params)]

    def param_start(self, n_params):
        return np.linspace(-1, 1, n_params) if n_params > 1 else [0.0]

    def n_categories_from(self, params, outcome):
        if self.levels is not None:
            return len(self.levels)
        pat = re.compile(re.escape(outcome) + r"\|t(\d+)")
        ks = [int(m.group(1)) for n in params for m in [pat.match(n)] if m]
        return max(ks) + 1 if ks else None

    def mean(self, eta, fp):
        """P(y = k), k = 0..K-1: differences of F(tau_k - eta)."""
        e = eta[..., :1]
        cum = cdf(np.asarray(fp) - e, self.link)
        shape = cum.shape[:-1] + (1,)
        return np.diff(np.concatenate([np.zeros(shape), cum, np.ones(shape)], axis=-1),
                       axis=-1)

    def draw(self, rng, eta, fp, trials):
        """The category of a latent y* = eta + e (e logistic or normal) among the thresholds."""
        n = len(eta)
        eps = rng.standard_normal(n) if self.link == "probit" else rng.logistic(size=n)
        star = eta[:, 0] + eps
        return (star[:, None] > fp).sum(axis=1).astype(float)

    # statistics: the one-hot category (CategoricalFamily); T[k, cell] = log P(y = k)
    def _cells(self, eta, tau):
        """log P(y = k) (K, cells) and the bounds a = tau_k - eta, b = tau_{k-1} - eta."""
        K = tau.shape[0] + 1
        inf = np.full((1,) + eta.shape, np.inf)
        upper = np.concatenate([tau - eta, inf])          # (K, cells)
        lower = np.concatenate([-inf, tau - eta])
        # log(F(a) - F(b)) with the upper-tail form when b > 0
        flip = lower > 0
        la = np.where(flip, log_cdf(-lower, self.link), log_cdf(upper, self.link))
        lb = np.where(flip, log_cdf(-upper, self.link), log_cdf(lower, self.link))
        with np.errstate(divide="ignore", invalid="ignore"):
            logp = la + np.log(-np.expm1(lb - la))
        logp = np.where(np.isfinite(la) & (lb < la), logp, -np.inf)
        return logp.reshape(K, -1), upper, lower

    def table(self, eta, fp, n_categories):
        logp, _, _ = self._cells(eta[0], fp[: n_categories - 1])
        return logp

    def table_gradient(self, eta, fp, n_categories, E):
        logp, upper, lower = self._cells(eta[0], fp[: n_categories - 1])
        logp = logp.reshape(upper.shape)
        with np.errstate(invalid="ignore", over="ignore"):
            ra = np.where(np.isfinite(upper), np.exp(log_pdf(upper, self.link) - logp), 0.0)
            rb = np.where(np.isfinite(lower), np.exp(log_pdf(lower, self.link) - logp), 0.0)
        ra = np.where(E > 0, ra, 0.0)
        rb = np.where(E > 0, rb, 0.0)
        g_eta = (E * (rb - ra)).sum(axis=0)
        g_tau = E[:-1] * ra[:-1] - E[1:] * rb[1:]
        return g_eta[None], g_tau
