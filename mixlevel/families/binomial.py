"""Binomial outcome: successes out of a trials column."""

from __future__ import annotations

import numpy as np
from scipy import special

from .base import FamilyCode, cdf, whole_counts
from .binary import Successes

__all__ = ["Binomial"]


class Binomial(Successes):
    """Number of successes out of ``trials`` (a column named in the model)."""

    name = "binomial"
    needs_trials = True

    @property
    def code(self):
        return FamilyCode.BINOMIAL_LOGIT if self.link == "logit" else FamilyCode.BINOMIAL_PROBIT

    def encode(self, values, column):
        return whole_counts(values, column, "binomial"), None

    def constant(self, y, trials):
        """log C(n, y)."""
        ok = ~np.isnan(y)
        out = np.zeros_like(y)
        n, k = trials[ok], y[ok]
        out[ok] = special.gammaln(n + 1) - special.gammaln(k + 1) - special.gammaln(n - k + 1)
        return out

    def placeholder(self, n, n_categories):
        return np.zeros(n)

    def draw(self, rng, eta, fp, trials):
        return rng.binomial(trials.astype(np.int64), cdf(eta[:, 0], self.link)).astype(float)
