"""Outcome families: validation, encoding and the numpy log-densities.

The compiled kernel (``mixlevel._kernels._estep``) evaluates the same densities
cell by cell; the numpy versions here are used for checking data, for constants
of the log-likelihood and by the test oracle.

Every family works on a linear predictor ``eta`` (one channel, or ``K - 1``
channels for a nominal outcome) and optional family parameters:

========== ========= ========================================================
family     channels  family parameters (natural scale)
========== ========= ========================================================
normal     1         residual variance ``theta`` (optimised as log-variance)
binary     1         none; ``P(y = 1) = F(eta)``, F logistic or normal
binomial   1         none; ``y`` successes out of ``trials``
ordinal    1         thresholds ``tau_1 < ... < tau_{K-1}``: eq. (1),
                     ``P(y <= k) = F(tau_k - eta)``
nominal    K - 1     none; multinomial logit, last category the reference
poisson    1         none; log link
========== ========= ========================================================
"""

from __future__ import annotations

import numpy as np
from scipy import special

from ..errors import SpecificationError

__all__ = [
    "Family",
    "Normal",
    "Binary",
    "Binomial",
    "Ordinal",
    "Nominal",
    "Poisson",
    "get_family",
]

# codes shared with the compiled kernel (_estep.pyx)
NORMAL, LOGIT, PROBIT, BINOMIAL_LOGIT, BINOMIAL_PROBIT, POISSON = 0, 1, 2, 3, 4, 5
ORDINAL_LOGIT, ORDINAL_PROBIT, NOMINAL = 6, 7, 8

_LINKS = ("logit", "probit")


def _check_link(link):
    if link not in _LINKS:
        raise SpecificationError(f"link must be 'logit' or 'probit', got {link!r}")
    return link


def _log_cdf(x, link):
    return -np.logaddexp(0.0, -x) if link == "logit" else special.log_ndtr(x)


class Family:
    """Base class: an outcome distribution with a linear predictor."""

    name = "family"
    link = "identity"

    def n_channels(self, n_categories):
        return 1

    def n_params(self, n_categories):
        return 0

    def kernel_code(self):
        raise NotImplementedError

    def encode(self, values, column):
        """Return float codes (NaN for missing) and the category labels.

        Raises :class:`SpecificationError` naming ``column`` when the values do
        not fit the family.
        """
        raise NotImplementedError

    def constant(self, y, trials):
        """Part of ``log f(y)`` that does not depend on parameters (NaN-safe)."""
        return np.zeros_like(y)

    def __repr__(self):
        return f"{type(self).__name__}(link={self.link!r})"

    def __eq__(self, other):
        return type(self) is type(other) and self.link == other.link

    def __hash__(self):
        return hash((type(self).__name__, self.link))


def _as_float(values, column):
    try:
        arr = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise SpecificationError(
            f"outcome {column!r} is not numeric; recode it, or use family='nominal' "
            "or 'ordinal' for categories"
        ) from None
    if np.isinf(arr).any():
        raise SpecificationError(f"outcome {column!r} has infinite values")
    return arr


class Normal(Family):
    """Normal outcome with identity link and residual variance."""

    name = "normal"

    def n_params(self, n_categories):
        return 1

    def kernel_code(self):
        return NORMAL

    def encode(self, values, column):
        return _as_float(values, column), None

    def constant(self, y, trials):
        return np.where(np.isnan(y), 0.0, -0.5 * np.log(2 * np.pi))

    def logpdf(self, y, eta, fparams, trials=None):
        var = fparams[0]
        return -0.5 * np.log(2 * np.pi * var) - 0.5 * (y - eta[..., 0]) ** 2 / var


class Binary(Family):
    """Binary 0/1 outcome, ``P(y = 1) = F(eta)`` with a logit or probit link."""

    name = "binary"

    def __init__(self, link="logit"):
        self.link = _check_link(link)

    def kernel_code(self):
        return LOGIT if self.link == "logit" else PROBIT

    def encode(self, values, column):
        y = _as_float(values, column)
        seen = np.unique(y[~np.isnan(y)])
        if not np.isin(seen, (0.0, 1.0)).all():
            shown = ", ".join(f"{v:g}" for v in seen[:6])
            raise SpecificationError(
                f"binary outcome {column!r} must be coded 0/1 but has values {shown}; "
                f"recode it (e.g. {column} - 1 for 1/2 codes) or use family='ordinal' "
                "or 'nominal'"
            )
        return y, np.array([0, 1])

    def logpdf(self, y, eta, fparams, trials=None):
        e = eta[..., 0]
        return np.where(y == 1, _log_cdf(e, self.link), _log_cdf(-e, self.link))


class Binomial(Family):
    """Number of successes out of ``trials`` (a column named in the model)."""

    name = "binomial"

    def __init__(self, link="logit"):
        self.link = _check_link(link)

    def kernel_code(self):
        return BINOMIAL_LOGIT if self.link == "logit" else BINOMIAL_PROBIT

    def encode(self, values, column):
        y = _as_float(values, column)
        obs = y[~np.isnan(y)]
        if (obs < 0).any() or (obs != np.round(obs)).any():
            raise SpecificationError(
                f"binomial outcome {column!r} must hold non-negative whole counts"
            )
        return y, None

    def constant(self, y, trials):
        ok = ~np.isnan(y)
        out = np.zeros_like(y)
        n, k = trials[ok], y[ok]
        out[ok] = special.gammaln(n + 1) - special.gammaln(k + 1) - special.gammaln(n - k + 1)
        return out

    def logpdf(self, y, eta, fparams, trials=None):
        e = eta[..., 0]
        return y * _log_cdf(e, self.link) + (trials - y) * _log_cdf(-e, self.link)


class Poisson(Family):
    """Count outcome with log link."""

    name = "poisson"
    link = "log"

    def kernel_code(self):
        return POISSON

    def encode(self, values, column):
        y = _as_float(values, column)
        obs = y[~np.isnan(y)]
        if (obs < 0).any() or (obs != np.round(obs)).any():
            bad = obs[(obs < 0) | (obs != np.round(obs))][0]
            raise SpecificationError(
                f"poisson outcome {column!r} must hold non-negative whole counts; "
                f"found {bad:g}"
            )
        return y, None

    def constant(self, y, trials):
        return np.where(np.isnan(y), 0.0, -special.gammaln(np.nan_to_num(y) + 1))

    def logpdf(self, y, eta, fparams, trials=None):
        e = eta[..., 0]
        return y * e - np.exp(e)


def _encode_categories(values, column):
    """Codes 0..K-1 in sorted order of the observed values (numeric or text)."""
    s = np.asarray(values, dtype=object)
    missing = np.array([v is None or (isinstance(v, float) and np.isnan(v)) for v in s],
                       dtype=bool)
    observed = s[~missing]
    try:
        observed = observed.astype(float)
    except (TypeError, ValueError):
        observed = observed.astype(str)
    levels = np.unique(observed)
    if len(levels) < 2:
        raise SpecificationError(
            f"outcome {column!r} has fewer than two observed categories; drop it"
        )
    codes = np.full(len(s), np.nan)
    codes[~missing] = np.searchsorted(levels, observed)
    return codes, levels


class Ordinal(Family):
    """Ordered categories with cumulative logit or probit thresholds (eq. 1)."""

    name = "ordinal"

    def __init__(self, link="logit"):
        self.link = _check_link(link)

    def n_params(self, n_categories):
        return n_categories - 1

    def kernel_code(self):
        return ORDINAL_LOGIT if self.link == "logit" else ORDINAL_PROBIT

    def encode(self, values, column):
        return _encode_categories(values, column)

    def logpdf(self, y, eta, fparams, trials=None):
        tau = np.concatenate([[-np.inf], np.asarray(fparams, float), [np.inf]])
        k = np.nan_to_num(y).astype(int)
        e = eta[..., 0]
        up, lo = tau[k + 1] - e, tau[k] - e
        cdf = special.expit if self.link == "logit" else special.ndtr
        return np.log(cdf(up) - cdf(lo))


class Nominal(Family):
    """Unordered categories, multinomial logit with the last category as reference."""

    name = "nominal"
    link = "mlogit"

    def n_channels(self, n_categories):
        return n_categories - 1

    def kernel_code(self):
        return NOMINAL

    def encode(self, values, column):
        return _encode_categories(values, column)

    def logpdf(self, y, eta, fparams, trials=None):
        full = np.concatenate([eta, np.zeros(eta.shape[:-1] + (1,))], axis=-1)
        k = np.nan_to_num(y).astype(int)
        lse = special.logsumexp(full, axis=-1)
        return np.take_along_axis(full, k[..., None], axis=-1)[..., 0] - lse


_BY_NAME = {
    "normal": Normal,
    "gaussian": Normal,
    "binary": Binary,
    "bernoulli": Binary,
    "logit": Binary,
    "probit": lambda: Binary("probit"),
    "binomial": Binomial,
    "ordinal": Ordinal,
    "ordered": Ordinal,
    "nominal": Nominal,
    "multinomial": Nominal,
    "poisson": Poisson,
    "count": Poisson,
}


def get_family(family):
    """Turn a name ("binary", "probit", ...) or a Family into a Family."""
    if isinstance(family, Family):
        return family
    if isinstance(family, str) and family.lower() in _BY_NAME:
        return _BY_NAME[family.lower()]()
    raise SpecificationError(
        f"unknown family {family!r}; use one of {sorted(set(_BY_NAME))} or a "
        "mixlevel.families object"
    )
