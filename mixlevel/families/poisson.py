"""Poisson count outcome with log link."""

from __future__ import annotations

import numpy as np
from scipy import special

from .base import Family, FamilyCode, observed, whole_counts

__all__ = ["Poisson"]


class Poisson(Family):
    """Count outcome with log link: log f = y eta - exp(eta) - log y!."""

    name = "poisson"
    link = "log"
    code = FamilyCode.POISSON

    def encode(self, values, column):
        return whole_counts(values, column, "poisson"), None

    def constant(self, y, trials):
        return np.where(np.isnan(y), 0.0, -special.gammaln(np.nan_to_num(y) + 1))

    def placeholder(self, n, n_categories):
        return (np.arange(n) % 3).astype(float)

    def mean(self, eta, fp):
        return np.exp(eta[..., :1])

    def link_function(self, mu):
        return np.log(mu)

    def variance(self, mu, trials):
        return mu

    def null_loglike(self, y, trials, weights, n_categories):
        ok = ~np.isnan(y)
        w, yy = weights[ok], y[ok]
        lam = (w @ yy) / w.sum()
        return float(w @ (special.xlogy(yy, lam) - lam + self.constant(yy, None)))

    def draw(self, rng, eta, fp, trials):
        return rng.poisson(np.exp(eta[:, 0])).astype(float)

    # statistics (1, y): log f = -exp(eta) + y eta
    def n_statistics(self, n_categories):
        return 2

    def row_statistics(self, y, trials, n_categories, out):
        obs, yy = observed(y)
        out[:, 0] = obs
        out[:, 1] = yy
        return out

    def table(self, eta, fp, n_categories):
        e = eta[0]
        return np.stack([-np.exp(e), e])

    def table_gradient(self, eta, fp, n_categories, E):
        e = eta[0]
        return (-E[0] * np.exp(e) + E[1])[None], np.zeros((0,) + e.shape)

    def closed_form_eta(self, E):
        """The log of the pooled mean count (clipped to 1e-300)."""
        if not E[0] > 0:
            return None
        return np.array([np.log(max(E[1] / E[0], 1e-300))])
