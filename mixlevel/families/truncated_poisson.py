"""Zero-truncated Poisson counts (y >= 1) with log link."""

from __future__ import annotations

import numpy as np
from scipy import special

from .base import Family, FamilyCode, observed, whole_counts

__all__ = ["ZeroTruncatedPoisson"]


def _log1mexp(mu):
    """log(1 - exp(-mu)) for mu > 0, accurate at both ends (Maechler 2012)."""
    with np.errstate(divide="ignore"):
        return np.where(mu <= np.log(2.0), np.log(-np.expm1(-np.minimum(mu, np.log(2.0)))),
                        np.log1p(-np.exp(-np.maximum(mu, np.log(2.0)))))


def _log_normaliser(e):
    """log(1 - exp(-exp(e))): the log probability of y >= 1 under Poisson(exp(e))."""
    mu = np.exp(e)
    # below e = -20 the series e - mu/2 keeps y e - log(...) exact as mu underflows
    return np.where(e < -20.0, e - 0.5 * mu, _log1mexp(mu))


def _d_log_normaliser(e):
    """d/de log(1 - exp(-exp(e))) = mu / expm1(mu)."""
    mu = np.exp(e)
    with np.errstate(over="ignore", invalid="ignore"):
        r = mu / np.expm1(mu)
    return np.where(e < -20.0, 1.0 - 0.5 * mu, np.where(mu < 700.0, r, 0.0))


class ZeroTruncatedPoisson(Family):
    """Counts that cannot be zero (lengths of stay, group sizes), log link:

    log f(y) = y eta - exp(eta) - log(1 - exp(-exp(eta))) - log y!,  y = 1, 2, ...

    the Poisson distribution conditional on y >= 1 (statsmodels'
    ``TruncatedLFPoisson`` with ``truncation=0``).  ``exp(eta)`` is the mean of
    the untruncated Poisson; the mean of y is ``exp(eta) / (1 - exp(-exp(eta)))``.
    """

    name = "truncated_poisson"
    link = "log"
    code = FamilyCode.TRUNCATED_POISSON

    def encode(self, values, column):
        fix = "; counts with zeros are family='poisson'"
        return whole_counts(values, column, "zero-truncated poisson", minimum=1, fix=fix), None

    def constant(self, y, trials):
        return np.where(np.isnan(y), 0.0, -special.gammaln(np.nan_to_num(y) + 1))

    def placeholder(self, n, n_categories):
        return (1 + np.arange(n) % 3).astype(float)

    def mean(self, eta, fp):
        mu = np.exp(eta[..., :1])
        return np.where(mu > 1e-12, mu / -np.expm1(-np.maximum(mu, 1e-12)), 1.0 + 0.5 * mu)

    def draw(self, rng, eta, fp, trials):
        """y = 1 + Poisson(mu (1 - t)) with t the first event time of a Poisson process of
        rate mu on [0, 1], drawn conditional on t <= 1 (exact, no rejection)."""
        mu = np.maximum(np.exp(eta[:, 0]), 1e-300)
        u = rng.uniform(size=len(mu))
        t = -np.log1p(u * np.expm1(-mu)) / mu
        return 1.0 + rng.poisson(mu * np.clip(1.0 - t, 0.0, 1.0))

    # statistics (1, y): log f = -exp(eta) - log(1 - exp(-exp(eta))) + y eta
    def n_statistics(self, n_categories):
        return 2

    def row_statistics(self, y, trials, n_categories, out):
        obs, yy = observed(y)
        out[:, 0] = obs
        out[:, 1] = yy
        return out

    def table(self, eta, fp, n_categories):
        e = eta[0]
        return np.stack([-np.exp(e) - _log_normaliser(e), e])

    def table_gradient(self, eta, fp, n_categories, E):
        e = eta[0]
        g = -E[0] * (np.exp(e) + _d_log_normaliser(e)) + E[1]
        return g[None], np.zeros((0,) + e.shape)
