"""The outcome family interface: everything mixlevel knows about a distribution.

A family turns data into codes (:meth:`Family.encode`), gives the kernel its
code (:attr:`Family.code`; the log-density itself is one inline function in
``mixlevel/_kernels/_families.pxi``), the data constant of log f, the mean
given the linear predictor (statsmodels' ``Family.fitted``), a random draw,
the scale of random starts, the names and kind of its parameters (residual
variance, thresholds) and the tabulated statistics of latent class models
(DESIGN.md section 4b): ``log f[i, cell] = stats[i] @ T[:, cell]`` when the
linear predictor does not vary over rows.  A family without tables says so
(:class:`NoTables`); the engine then leaves its outcomes to the kernel.

Family parameters reach :meth:`~Family.mean`, :meth:`~Family.draw` and the
tables as the kernel holds them: the log residual variance of a normal
outcome, the thresholds of an ordinal one.
"""

from __future__ import annotations

import numpy as np
from scipy import special

from .._kernels._families import FamilyCode
from ..errors import SpecificationError

__all__ = ["Family", "FamilyCode", "NoTables", "as_float", "cdf", "check_link", "draw_category",
           "log_cdf", "log_pdf", "observed", "whole_counts"]

LINKS = ("logit", "probit")


class NoTables(NotImplementedError):
    """The family has no tabulated statistics; the kernel computes its outcomes."""


def check_link(link):
    if link not in LINKS:
        raise SpecificationError(f"link must be 'logit' or 'probit', got {link!r}")
    return link


def log_cdf(x, link):
    """log F(x) of the logistic or standard normal distribution."""
    return special.log_ndtr(x) if link == "probit" else -np.logaddexp(0.0, -x)


def log_pdf(x, link):
    """log of the logistic or standard normal density."""
    if link == "probit":
        return -0.5 * x * x - 0.5 * np.log(2 * np.pi)
    return -np.logaddexp(0.0, x) - np.logaddexp(0.0, -x)


def cdf(x, link):
    return special.ndtr(x) if link == "probit" else special.expit(x)


def as_float(values, column):
    """Float array of an outcome column (NaN for missing); error if not numeric."""
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


def whole_counts(values, column, family, minimum=0, fix=""):
    """Float counts >= ``minimum`` (NaN for missing); the error names the first bad value."""
    y = as_float(values, column)
    obs = y[~np.isnan(y)]
    bad = (obs < minimum) | (obs != np.round(obs))
    if bad.any():
        kind = "non-negative" if minimum == 0 else f"at least {minimum}"
        raise SpecificationError(
            f"{family} outcome {column!r} must hold {kind} whole counts; found "
            f"{obs[bad][0]:g}{fix}")
    return y


class Family:
    """An outcome distribution with a linear predictor ``eta``.

    Subclasses set :attr:`name`, :attr:`link` and :attr:`code` and implement
    :meth:`encode`, :meth:`mean`, :meth:`draw` and (for tabulation) the four
    table methods.  Class attributes:

    ``param_kind``
        ``None``, ``"variance"`` (one residual variance, kernel scale log) or
        ``"thresholds"`` (``K - 1`` increasing thresholds, natural scale in
        the kernel); the :class:`~mixlevel.spec.ParamGroup` kind.
    ``needs_trials``
        The outcome needs a trials column (binomial).
    ``categorical``
        Values are categories with labels (ordinal, nominal).
    ``has_intercept``
        The outcome's equation gets an intercept by default (not ordinal:
        its thresholds play that part).
    ``closed_form_intercept``
        Class-specific intercepts alone have a closed-form EM update from the
        expected counts of the statistics (:meth:`closed_form_shares`, then
        :meth:`intercepts_from_shares`): binary and nominal items.
    ``closed_form_clip_both``
        Those shares are (p, 1 - p) with p kept off 0 and 1 (binary), rather
        than every share raised to 1e-13 and renormalised (categories).
    ``mean_scale``
        What :meth:`mean` gives: ``"mean"`` or ``"probability"`` (of success,
        of each category); results tables and plots group outcomes by it.
    """

    name = "family"
    link = "identity"
    code: int = -1
    param_kind: str | None = None
    needs_trials = False
    categorical = False
    has_intercept = True
    closed_form_intercept = False
    closed_form_clip_both = False
    mean_scale = "mean"

    # -- layout -----------------------------------------------------------------------
    def n_channels(self, n_categories):
        """Linear predictors of an outcome with ``n_categories`` categories."""
        return 1

    def n_params(self, n_categories):
        """Family parameters (residual variance, thresholds)."""
        return 0

    def param_names(self, outcome, n_params, suffix=""):
        """Names of the family parameters, e.g. ``Var(y)[c=1]``."""
        return []

    def param_start(self, n_params):
        """Natural-scale start values of the family parameters."""
        return []

    # -- data -------------------------------------------------------------------------
    def encode(self, values, column):
        """Return float codes (NaN for missing) and the category labels (or None).

        Raises :class:`SpecificationError` naming ``column`` when the values do
        not fit the family.
        """
        raise NotImplementedError

    def encode_like(self, values, levels, column):
        """Codes of new values (``predict(newdata)``) with the fitted model's levels."""
        codes, _ = self.encode(values, column)
        return codes

    def decode(self, codes, levels):
        """Values in the data's terms from codes (simulated outcomes)."""
        return codes

    def constant(self, y, trials):
        """Part of ``log f(y)`` that does not depend on parameters (NaN-safe)."""
        return np.zeros_like(y)

    def placeholder(self, n, n_categories):
        """``n`` valid outcome values, to build a model before outcomes are drawn."""
        return (np.arange(n) % 2).astype(float)

    def n_categories_from(self, params, outcome):
        """Number of categories read off parameter names (None: not categorical)."""
        return None

    def value_label(self, outcome, category):
        """Label of one value column of the outcome's expected values."""
        return outcome

    def value_categories(self, levels, n_categories):
        """The category of each value column of :meth:`mean` ("" for a plain mean)."""
        return [""]

    # -- the model --------------------------------------------------------------------
    def mean(self, eta, fp):
        """E[y | eta] with the values last (one, or one per category).

        ``eta`` has the channels last; ``fp`` (family parameters last) broadcasts
        against ``eta``'s other axes.
        """
        raise NotImplementedError

    def draw(self, rng, eta, fp, trials):
        """One draw per row: eta (N, channels), fp (N, parameters), trials (N,)."""
        raise NotImplementedError

    def link_function(self, mu):
        """The link g(mu) = eta (inverse of the mean of a one-channel family)."""
        raise NotImplementedError

    def closed_form_shares(self, counts):
        """EM shares of the statistics from pooled expected counts (pools, statistics)."""
        raise NotImplementedError(f"the {self.name} family has no closed-form M-step")

    def intercepts_from_shares(self, shares):
        """The intercepts (pools, channels) whose statistics have the probabilities
        ``shares`` (pools, statistics)."""
        raise NotImplementedError(f"the {self.name} family has no closed-form M-step")

    # -- residuals and the null model (results/protocol.py) -------------------------------
    def observed_values(self, y, trials, n_categories):
        """Observed values on the scale of :meth:`mean`: (N, value columns), NaN if missing."""
        return np.asarray(y, float)[:, None]

    def variance(self, mu, trials):
        """Variance of an observed value with expectation ``mu`` (Pearson residuals).

        None when it is not a function of the mean (normal outcomes: the
        residual variance is a parameter).
        """
        return None

    def null_loglike(self, y, trials, weights, n_categories):
        """Maximised log-likelihood of the intercept-only model of one outcome (llnull)."""
        raise NotImplementedError(f"the null log-likelihood of {self.name} outcomes is not "
                                  "available")

    def start_scale(self, sd_y, sd_x):
        """SD of the random-start perturbation of a class-specific coefficient.

        ``sd_y`` is the outcome's SD, ``sd_x`` the SD of the term's covariate (1
        for intercepts).  By default 1.5 on the link scale.
        """
        return 1.5

    def latent_start_scale(self, fparams, sd_x, sd_y):
        """Start SD of a random effect on this outcome from its family parameters.

        ``sd_x`` is the SD of the effect's covariate, ``sd_y`` the outcome's SD
        (floors in the data's own units).

        None: the family gives no scale (the random effect starts at SD 1).
        """
        return None

    # -- tabulated statistics ---------------------------------------------------------
    def n_statistics(self, n_categories):
        """Statistics per row; log f = stats @ T is linear in them."""
        raise NoTables(f"the {self.name} family has no tabulated statistics")

    def row_statistics(self, y, trials, n_categories, out):
        """Write the (N, S) statistics of one outcome into ``out`` (zeros if missing)."""
        raise NoTables(f"the {self.name} family has no tabulated statistics")

    def table(self, eta, fp, n_categories):
        """T[s, cell] from eta (channels, cells) and fp (parameters, cells)."""
        raise NoTables(f"the {self.name} family has no tabulated statistics")

    def table_gradient(self, eta, fp, n_categories, E):
        """dQ/deta (channels, cells) and dQ/dfp (parameters, cells) of Q = sum(E * T)."""
        raise NoTables(f"the {self.name} family has no tabulated statistics")

    def closed_form_eta(self, E):
        """The linear predictor (channels,) maximising ``sum(E * table(eta, fp))`` for
        pooled expected statistics ``E`` (S,) of class-specific intercepts, or None
        when it has no closed form or ``E`` holds no observation.  Used by closed-form
        EM M-steps; the answer must not depend on the family parameters ``fp``."""
        return None

    def closed_form_params(self, E, eta):
        """Family parameters (kernel scale, (n_params,)) maximising
        ``sum(E * table(eta, fp))`` over cells sharing them: ``E`` (S, cells), ``eta``
        (channels, cells); None when there is no closed form (or no observation)."""
        return None

    # -- identity ---------------------------------------------------------------------
    def _key(self):
        return (type(self).__name__, self.link)

    def __repr__(self):
        return f"{type(self).__name__}(link={self.link!r})"

    def __eq__(self, other):
        return type(self) is type(other) and self._key() == other._key()

    def __hash__(self):
        return hash(self._key())


def observed(y):
    """(observed mask, y with missing values set to 0)."""
    obs = ~np.isnan(y)
    return obs, np.where(obs, y, 0.0)


def draw_category(rng, logits):
    """One category per row from (N, K) logits, by the inverse cdf of one uniform."""
    p = np.exp(logits - special.logsumexp(logits, axis=1, keepdims=True))
    u = rng.uniform(size=(p.shape[0], 1))
    return np.minimum((np.cumsum(p, axis=1) < u).sum(axis=1), p.shape[1] - 1)
