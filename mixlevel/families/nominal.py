"""Unordered categories: multinomial logit with the last category as reference."""

from __future__ import annotations

import re

import numpy as np
from scipy import special

from .base import FamilyCode, draw_category
from .categories import CategoricalFamily

__all__ = ["Nominal"]


class Nominal(CategoricalFamily):
    """Unordered categories, multinomial logit; the last category is the reference.

    Parameters
    ----------
    levels : sequence, optional
        The categories in the order of their logits (the last is the reference).
        Default: the category order of a ``pd.Categorical``, else sorted values.
    """

    name = "nominal"
    link = "mlogit"
    code = FamilyCode.NOMINAL
    closed_form_intercept = True

    def closed_form_shares(self, counts):
        """Category shares of the pooled counts, each raised to 1e-13, renormalised."""
        q = np.maximum(counts / np.maximum(counts.sum(axis=1, keepdims=True), 1e-300), 1e-13)
        return q / q.sum(axis=1, keepdims=True)

    def intercepts_from_shares(self, shares):
        return np.log(shares[:, :-1] / shares[:, -1:])  # the last category is the reference

    def __init__(self, levels=None):
        super().__init__(levels)

    def n_channels(self, n_categories):
        return n_categories - 1

    def n_categories_from(self, params, outcome):
        if self.levels is not None:
            return len(self.levels)
        pat = re.compile(re.escape(outcome) + r"#(\d+)~")
        ks = [int(m.group(1)) for n in params for m in [pat.match(n)] if m]
        return max(ks) + 1 if ks else None

    @staticmethod
    def _logits(eta):
        return np.concatenate([eta, np.zeros(eta.shape[:-1] + (1,))], axis=-1)

    def mean(self, eta, fp):
        return special.softmax(self._logits(eta), axis=-1)

    def draw(self, rng, eta, fp, trials):
        return draw_category(rng, self._logits(eta)).astype(float)

    # statistics: the one-hot category (CategoricalFamily); T[k, cell] = log P(y = k)
    def table(self, eta, fp, n_categories):
        full = np.concatenate([eta, np.zeros((1,) + eta.shape[1:])])
        return full - special.logsumexp(full, axis=0, keepdims=True)

    def table_gradient(self, eta, fp, n_categories, E):
        full = np.concatenate([eta, np.zeros((1,) + eta.shape[1:])])
        prob = np.exp(full - special.logsumexp(full, axis=0, keepdims=True))
        total = E.sum(axis=0)
        return E[:-1] - total * prob[:-1], np.zeros((0,) + eta.shape[1:])

    def closed_form_eta(self, E):
        """Logs of the pooled category counts against the last (shares clipped to 1e-13)."""
        n = E.sum()
        if not n > 0:
            return None
        share = np.log(np.clip(E / n, 1e-13, None))
        return share[:-1] - share[-1]
