"""Binary 0/1 outcome with a logit or probit link."""

from __future__ import annotations

import numpy as np
from scipy import special

from ..errors import SpecificationError
from .base import Family, FamilyCode, as_float, cdf, check_link, log_cdf, log_pdf, observed

__all__ = ["Binary"]


class Successes(Family):
    """Successes out of a number of trials, ``P(success) = F(eta)`` (F logistic or normal).

    Shared by :class:`Binary` (one trial) and :class:`~mixlevel.families.Binomial`.
    """

    mean_scale = "probability"

    def __init__(self, link="logit"):
        self.link = check_link(link)

    def mean(self, eta, fp):
        return cdf(eta[..., :1], self.link)

    def link_function(self, mu):
        return special.ndtri(mu) if self.link == "probit" else special.logit(mu)

    def observed_values(self, y, trials, n_categories):
        return (np.asarray(y, float) / trials)[:, None]  # the share of successes

    def variance(self, mu, trials):
        return mu * (1.0 - mu) / trials

    def null_loglike(self, y, trials, weights, n_categories):
        ok = ~np.isnan(y)
        w, yy, n = weights[ok], y[ok], trials[ok]
        p = (w @ yy) / (w @ n)
        ll = special.xlogy(yy, p) + special.xlogy(n - yy, 1.0 - p)
        return float(w @ (ll + self.constant(yy, n)))

    # statistics (y, n - y): log f = y log F(eta) + (n - y) log F(-eta)
    def n_statistics(self, n_categories):
        return 2

    def row_statistics(self, y, trials, n_categories, out):
        obs, yy = observed(y)
        out[:, 0] = yy
        out[:, 1] = np.where(obs, trials, 0.0) - yy
        return out

    def table(self, eta, fp, n_categories):
        e = eta[0]
        return np.stack([log_cdf(e, self.link), log_cdf(-e, self.link)])

    def table_gradient(self, eta, fp, n_categories, E):
        e = eta[0]
        d_pos = np.exp(log_pdf(e, self.link) - log_cdf(e, self.link))
        d_neg = np.exp(log_pdf(e, self.link) - log_cdf(-e, self.link))
        return (E[0] * d_pos - E[1] * d_neg)[None], np.zeros((0,) + e.shape)

    def closed_form_eta(self, E):
        """The link of the pooled share of successes (shares clipped to 1e-13)."""
        n = E[0] + E[1]
        if not n > 0:
            return None
        return np.atleast_1d(self.link_function(np.clip(E[0] / n, 1e-13, 1 - 1e-13)))


class Binary(Successes):
    """Binary 0/1 outcome, ``P(y = 1) = F(eta)`` with a logit or probit link."""

    name = "binary"
    closed_form_intercept = True
    closed_form_clip_both = True

    def closed_form_shares(self, counts):
        """(p, 1 - p) with p the pooled share of successes, kept within [1e-13, 1 - 1e-13]."""
        p = np.clip(counts[:, 0] / np.maximum(counts[:, 0] + counts[:, 1], 1e-300),
                    1e-13, 1 - 1e-13)
        return np.stack([p, 1.0 - p], axis=1)

    def intercepts_from_shares(self, shares):
        return self.link_function(shares[:, :1])

    @property
    def code(self):
        return FamilyCode.LOGIT if self.link == "logit" else FamilyCode.PROBIT

    def value_categories(self, levels, n_categories):
        return ["1"]  # the mean is P(y = 1)

    def encode(self, values, column):
        y = as_float(values, column)
        seen = np.unique(y[~np.isnan(y)])
        if not np.isin(seen, (0.0, 1.0)).all():
            shown = ", ".join(f"{v:g}" for v in seen[:6])
            raise SpecificationError(
                f"binary outcome {column!r} must be coded 0/1 but has values {shown}; "
                f"recode it (e.g. {column} - 1 for 1/2 codes) or use family='ordinal' "
                "or 'nominal'"
            )
        return y, np.array([0, 1])

    def draw(self, rng, eta, fp, trials):
        return (rng.uniform(size=len(eta)) < cdf(eta[:, 0], self.link)).astype(float)
