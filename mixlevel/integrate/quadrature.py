"""Numerical integration rules for normally distributed random effects.

Random effects ``z`` in ``R^q`` are integrated against the standard normal
measure::

    L = int f(z) phi_q(z) dz  ~=  sum_g exp(logw_g) f(z_g)

Every rule stores natural-log weights. For the non-adaptive rules they are
normalised to the ``N(0, I)`` measure, ``logsumexp(logw) == 0``, so each rule
integrates constants exactly.

Rules
-----
``"trapezoid"`` (alias ``"rectangular"``)
    Mplus's default rectangular rule: ``n_points`` equally spaced nodes per
    dimension on ``[-bound, bound]``, weights proportional to
    ``h * phi(z)`` (no half weights at the ends), then normalised to sum 1.
    Default ``bound = 5.0``: Mplus does not publish its range; +-5 SD loses
    < 6e-7 of the normal mass. Integrands that grow in the tails (e.g.
    ``exp(z)``, whose mass beyond 5 SD is ~5e-5) need a wider ``bound``.
``"gauss-hermite"`` (alias ``"gh"``)
    Probabilists' Gauss-Hermite nodes per dimension, weights divided by
    ``sqrt(2 pi)``; exact for polynomials of degree ``<= 2 n - 1`` per
    dimension.
``"monte-carlo"`` (alias ``"mc"``)
    ``n_points`` draws in total from ``N(0, I_q)``, equal weights.
``"quasi-monte-carlo"`` (alias ``"qmc"``)
    ``n_points`` scrambled Sobol points in total, mapped through the normal
    quantile function, equal weights.

Product grids enumerate nodes in :func:`itertools.product` order (last
dimension fastest).

:func:`adapt` shifts and scales any rule per cluster (adaptive quadrature,
Liu & Pierce 1994; Rabe-Hesketh, Skrondal & Pickles 2005) and
:func:`posterior_moments` supplies the per-cluster posterior mean and
Cholesky factor used for the centring.
"""

from __future__ import annotations

import functools
import inspect
import math
import operator
import warnings
from dataclasses import dataclass

import numpy as np
from numpy.polynomial.hermite_e import hermegauss
from scipy.special import logsumexp, ndtri

__all__ = [
    "Rule",
    "KINDS",
    "DEFAULT_BOUND",
    "COV_JITTER",
    "EIG_FLOOR",
    "make_rule",
    "canonical_kind",
    "adapt",
    "posterior_moments",
    "check_options",
    "check_seed",
]

#: Canonical rule kinds.
KINDS = ("trapezoid", "gauss-hermite", "monte-carlo", "quasi-monte-carlo")
#: Rules for one model class only: random class logits on one factor
#: (:mod:`mixlevel.integrate.logit_window`).
SPECIAL_KINDS = ("logit-window",)

_ALIASES = {
    "trapezoid": "trapezoid",
    "rectangular": "trapezoid",
    "gauss-hermite": "gauss-hermite",
    "gh": "gauss-hermite",
    "monte-carlo": "monte-carlo",
    "mc": "monte-carlo",
    "quasi-monte-carlo": "quasi-monte-carlo",
    "qmc": "quasi-monte-carlo",
    "logit-window": "logit-window",
    "logit": "logit-window",
}

#: Default half-width (in SD units) of the trapezoid grid.
DEFAULT_BOUND = 5.0
#: Ridge added to posterior covariances in :func:`posterior_moments`.
COV_JITTER = 1e-8
#: Floor on the eigenvalues of posterior covariances (variance units).
EIG_FLOOR = 1e-6
#: Clipping of Sobol points away from 0 and 1 before ``ndtri``.
_U_CLIP = 1e-12
_HALF_LOG_2PI = 0.5 * math.log(2.0 * math.pi)


def _as_array(x) -> np.ndarray:
    """Return a read-only float64 C-contiguous copy of ``x``."""
    a = np.array(x, dtype=np.float64, order="C", copy=True)
    a.flags.writeable = False
    return a


@dataclass(frozen=True, eq=False)
class Rule:
    """A quadrature rule for ``int f(z) phi_q(z) dz``.

    Attributes
    ----------
    nodes : ndarray, shape (G, q)
        Nodes on the standard-normal scale (read-only).
    logw : ndarray, shape (G,)
        Natural-log weights; ``logsumexp(logw) == 0`` (read-only).
    kind : str
        Canonical kind, one of :data:`KINDS`.
    n_points : int
        Points per dimension (product rules) or total draws (MC/QMC).
    """

    nodes: np.ndarray
    logw: np.ndarray
    kind: str
    n_points: int

    def __post_init__(self):
        nodes = _as_array(self.nodes)
        logw = _as_array(self.logw)
        if nodes.ndim != 2:
            raise ValueError(f"nodes must be 2-D (G, q), got shape {nodes.shape}")
        if logw.shape != (nodes.shape[0],):
            raise ValueError(
                f"logw shape {logw.shape} does not match nodes shape {nodes.shape}"
            )
        object.__setattr__(self, "nodes", nodes)
        object.__setattr__(self, "logw", logw)

    @property
    def dim(self) -> int:
        """Number of random effects ``q``."""
        return self.nodes.shape[1]

    @property
    def size(self) -> int:
        """Total number of nodes ``G``."""
        return self.nodes.shape[0]

    def __repr__(self) -> str:
        return (
            f"Rule(kind={self.kind!r}, n_points={self.n_points}, "
            f"dim={self.dim}, size={self.size})"
        )


def canonical_kind(kind) -> str:
    """The rule's canonical name from any accepted spelling ("gh" -> "gauss-hermite")."""
    if not isinstance(kind, str):
        raise ValueError(f"kind must be a string, one of {KINDS}; got {kind!r}")
    key = kind.strip().lower().replace("_", "-")
    try:
        return _ALIASES[key]
    except KeyError:
        raise ValueError(
            f"unknown quadrature kind {kind!r}; valid kinds are {', '.join(KINDS)} "
            "(aliases: 'rectangular', 'gh', 'mc', 'qmc'), and 'logit-window' for random "
            "class logits"
        ) from None


def _positive_int(value, name: str, minimum: int) -> int:
    if isinstance(value, (bool, np.bool_)):
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value!r}")
    try:
        v = operator.index(value)
    except TypeError:
        raise ValueError(
            f"{name} must be an integer >= {minimum}, got {value!r}"
        ) from None
    if v < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {v}")
    return v


def _product(x: np.ndarray, logw: np.ndarray, dim: int):
    """Tensor product of a 1-D rule in itertools.product order."""
    grids = np.meshgrid(*([x] * dim), indexing="ij")
    nodes = np.stack([g.reshape(-1) for g in grids], axis=1)
    lgrids = np.meshgrid(*([logw] * dim), indexing="ij")
    lw = np.sum([g.reshape(-1) for g in lgrids], axis=0)
    return nodes, lw


def _sobol(dim: int, n: int, seed):
    from scipy.stats import qmc

    params = inspect.signature(qmc.Sobol).parameters
    key = "rng" if "rng" in params else "seed"
    sampler = qmc.Sobol(d=dim, scramble=True, **{key: seed})
    m = n.bit_length() - 1
    if n == 1 << m:
        u = sampler.random_base2(m)
    else:
        with warnings.catch_warnings():
            # Balance-property warning for n not a power of 2: the caller asked
            # for exactly n points, which is legitimate.
            warnings.filterwarnings("ignore", message=".*balance properties.*")
            u = sampler.random(n)
    return ndtri(np.clip(u, _U_CLIP, 1.0 - _U_CLIP))


def check_options(integration, n_points, n_points_within=None, adaptive=False, seed=0,
                  cluster_dims=0, row_dims=0):
    """Refuse integration options of a model that make no sense, in the user's terms.

    ``cluster_dims`` and ``row_dims`` are the numbers of cluster-level and
    row-level latent variables.  One point per dimension (``n_points=1``) puts
    a single node at the mean of the latent variables, where the model sees no
    random effect at all: their variances would stay at their start values.

    Raises
    ------
    SpecificationError
        Naming the argument (``integration=``, ``n_points=``,
        ``n_points_within=``, ``adaptive=``, ``seed=``) and the fix.
    """
    from ..errors import SpecificationError

    try:
        kind = canonical_kind(integration)
    except ValueError:
        raise SpecificationError(
            f"integration={integration!r} is not an integration rule; use 'gauss-hermite' "
            "('gh'), 'trapezoid' (as Mplus), 'monte-carlo' ('mc') or 'quasi-monte-carlo' "
            "('qmc'), or leave integration= out for the default rule") from None
    if kind == "logit-window" and cluster_dims not in (1, 2):
        raise SpecificationError(
            f"integration='logit-window' integrates random class logits on one cluster-level "
            f"factor (and at most one other factor, e.g. an FMA-GoM's item factor), but the "
            f"model has {cluster_dims} cluster-level latent variables; use "
            "integration='quasi-monte-carlo' (or leave integration= out)")
    product = kind in ("trapezoid", "gauss-hermite", "logit-window")
    advice = ("no n_points= (the default rule), or 10 to 25 Gauss-Hermite points per "
              "dimension with adaptive=True" if product else
              "a few hundred points or more in total, e.g. n_points=500")
    within_dims = row_dims if n_points_within is None else 0
    for name, value, dims in (("n_points", n_points, cluster_dims + within_dims),
                              ("n_points_within", n_points_within, row_dims)):
        if value is None and name == "n_points_within":
            continue
        try:
            v = _positive_int(value, name, 1)
        except ValueError:
            raise SpecificationError(
                f"{name}={value!r}: give a whole number of integration points >= 2 "
                f"({'per dimension' if product else 'in total'}), e.g. {advice}") from None
        if v < 2 and dims:
            raise SpecificationError(
                f"{name}={v}: one integration point sits at the mean of the random effects "
                "(z = 0), where the model sees no random effect: their variances would stay "
                f"at the start values.  Use {advice}")
    if not isinstance(adaptive, (bool, np.bool_)):
        raise SpecificationError(f"adaptive={adaptive!r}: give True (adaptive quadrature) or "
                                 "False (fixed nodes)")
    check_seed(seed)


def check_seed(seed):
    """Refuse a seed of Monte Carlo rules that is not a whole number >= 0 (or a Generator)."""
    from ..errors import SpecificationError

    if seed is not None and not isinstance(seed, np.random.Generator) and (
            isinstance(seed, (bool, np.bool_)) or not isinstance(seed, (int, np.integer))
            or seed < 0):
        raise SpecificationError(f"seed={seed!r}: give a whole number >= 0 (the seed of "
                                 "Monte Carlo integration rules)")


@functools.lru_cache(maxsize=64)
def _gauss_hermite_1d(n):
    """Gauss-Hermite nodes and log-weights for the standard normal density (n points).

    Cached: the eigenvalue problem behind them costs ~0.5 ms, a small fit makes
    several rules (fitted, coarse, finer, start) with the same n.
    """
    x, w = hermegauss(n)
    with np.errstate(divide="ignore"):
        lw1 = np.log(w) - _HALF_LOG_2PI
    x.flags.writeable = False
    lw1.flags.writeable = False
    return x, lw1


def make_rule(kind="trapezoid", n_points=15, dim=1, *, seed=None, bound=None) -> Rule:
    """Build a (non-adaptive) integration rule for the ``N(0, I_dim)`` measure.

    Parameters
    ----------
    kind : str
        ``"trapezoid"`` (``"rectangular"``), ``"gauss-hermite"`` (``"gh"``),
        ``"monte-carlo"`` (``"mc"``) or ``"quasi-monte-carlo"`` (``"qmc"``).
        Case-insensitive; ``_`` is accepted for ``-``.
    n_points : int
        Points per dimension (trapezoid, Gauss-Hermite; ``G = n_points**dim``)
        or total number of draws (MC, QMC; ``G = n_points``). Must be >= 1.
    dim : int
        Number of random effects ``q >= 0``. ``dim=0`` gives a single node
        (nodes shape ``(1, 0)``, ``logw = [0.]``) for every kind.
    seed : None, int or numpy.random.Generator, optional
        Seed for MC (``numpy.random.default_rng``) and QMC (Sobol scrambling).
        Ignored by deterministic rules.
    bound : float, optional
        Trapezoid half-width in SD units (default :data:`DEFAULT_BOUND` = 5).
        Ignored by other kinds.

    Returns
    -------
    Rule
        Rule with ``logsumexp(rule.logw) == 0``.

    Raises
    ------
    ValueError
        Unknown ``kind``, ``n_points < 1``, ``dim < 0``, non-integer counts
        or a non-positive/non-finite ``bound``.
    """
    kind = canonical_kind(kind)
    n = _positive_int(n_points, "n_points", 1)
    q = _positive_int(dim, "dim", 0)
    if bound is None:
        bound = DEFAULT_BOUND
    bound = float(bound)
    if kind == "trapezoid" and not (math.isfinite(bound) and bound > 0):
        raise ValueError(f"bound must be a positive finite number, got {bound!r}")

    if q == 0:
        return Rule(np.zeros((1, 0)), np.zeros(1), kind, n)

    if kind == "trapezoid":
        x = np.zeros(1) if n == 1 else np.linspace(-bound, bound, n)
        # log(h * phi(x)); h and the normal constant cancel on normalisation.
        lw1 = -0.5 * x * x
        lw1 = lw1 - logsumexp(lw1)
        nodes, logw = _product(x, lw1, q)
    elif kind == "gauss-hermite":
        x, lw1 = _gauss_hermite_1d(n)
        nodes, logw = _product(x, lw1, q)
    elif kind == "monte-carlo":
        rng = np.random.default_rng(seed)
        nodes = rng.standard_normal((n, q))
        logw = np.full(n, -math.log(n))
    elif kind == "logit-window":
        if q > 2:
            raise ValueError("the logit-window rule integrates the random class logits' "
                             f"factor and at most one other factor, not {q} latent variables")
        from .logit_window import window_rule, with_other_dims

        z, logw = window_rule([(0.0, 1.0)], n)  # placed at the model's crossings later
        nodes, logw = with_other_dims(z[None, :], logw[None, :], q, 0, n)
        nodes, logw = nodes[0], logw[0]
    else:  # quasi-monte-carlo
        nodes = _sobol(q, n, seed)
        logw = np.full(n, -math.log(n))

    # Remove residual rounding so that logsumexp(logw) == 0 to machine precision.
    logw = logw - logsumexp(logw)
    return Rule(nodes, logw, kind, n)


def adapt(rule: Rule, mean, chol):
    """Shift and scale a rule per cluster (adaptive quadrature).

    With ``z*_jg = mean_j + chol_j @ z_g`` and::

        logw_jg = logw_g + log phi_q(z*_jg) - log phi_q(z_g) + log|det chol_j|

    ``sum_g exp(logw_jg) f(z*_jg)`` approximates ``int f(z) phi_q(z) dz`` with
    the nodes centred on cluster ``j``'s posterior of ``z``.

    Parameters
    ----------
    rule : Rule
        Base rule with ``rule.dim == q``.
    mean : array_like, shape (J, q)
        Per-cluster posterior means.
    chol : array_like, shape (J, q, q)
        Lower-triangular Cholesky factors of the posterior covariances. Only
        the lower triangle (including the diagonal) is used.

    Returns
    -------
    nodes_j : ndarray, shape (J, G, q)
    logw_j : ndarray, shape (J, G)

    Raises
    ------
    ValueError
        On shape mismatch, non-finite ``mean``, or a non-finite or
        non-positive diagonal element of any ``chol`` (callers may then fall
        back to the non-adaptive rule).
    """
    q = rule.dim
    mean = np.asarray(mean, dtype=np.float64)
    chol = np.asarray(chol, dtype=np.float64)
    if mean.ndim != 2 or mean.shape[1] != q:
        raise ValueError(f"mean must have shape (J, {q}), got {mean.shape}")
    J = mean.shape[0]
    if chol.shape != (J, q, q):
        raise ValueError(f"chol must have shape ({J}, {q}, {q}), got {chol.shape}")
    if not np.all(np.isfinite(mean)):
        bad = np.flatnonzero(~np.all(np.isfinite(mean), axis=1))
        raise ValueError(f"adapt: non-finite posterior mean for clusters {bad[:10].tolist()}")
    L = np.tril(chol)
    diag = np.diagonal(L, axis1=1, axis2=2)
    ok = np.isfinite(diag) & (diag > 0)
    if not np.all(ok):
        bad = np.flatnonzero(~np.all(ok, axis=1))
        raise ValueError(
            "adapt: Cholesky factor has a non-positive or non-finite diagonal for "
            f"{bad.size} cluster(s), e.g. {bad[:10].tolist()}"
        )
    if not np.all(np.isfinite(L)):
        bad = np.flatnonzero(~np.all(np.isfinite(L), axis=(1, 2)))
        raise ValueError(f"adapt: non-finite Cholesky factor for clusters {bad[:10].tolist()}")

    z = rule.nodes  # (G, q)
    nodes_j = np.matmul(z, np.swapaxes(L, 1, 2))  # (J, G, q): chol_j @ z_g
    nodes_j += mean[:, None, :]
    logdet = np.sum(np.log(diag), axis=1)  # (J,)
    # log phi_q(z*) - log phi_q(z): normalising constants cancel.
    base = rule.logw + 0.5 * np.einsum("ga,ga->g", z, z)  # (G,)
    logw_j = np.einsum("jga,jga->jg", nodes_j, nodes_j)
    logw_j *= -0.5
    logw_j += base[None, :]
    logw_j += logdet[:, None]
    return np.ascontiguousarray(nodes_j), np.ascontiguousarray(logw_j)


def posterior_moments(nodes_j, post_j):
    """Posterior mean and Cholesky factor of the covariance from node posteriors.

    Parameters
    ----------
    nodes_j : array_like, shape (J, G, q) or (G, q)
        Per-cluster nodes, or one node set shared by all clusters.
    post_j : array_like, shape (J, G)
        Posterior node probabilities; each row should sum to 1.

    Returns
    -------
    mean : ndarray, shape (J, q)
    chol : ndarray, shape (J, q, q)
        Lower Cholesky factor of the regularised covariance: the weighted
        covariance plus :data:`COV_JITTER` (1e-8) times ``I``, with its
        eigenvalues then floored at :data:`EIG_FLOOR` (1e-6, i.e. SD >= 1e-3),
        so the factor always exists, even for a posterior concentrated on a
        single node.

    Raises
    ------
    ValueError
        On shape mismatch or non-finite input.
    """
    post = np.asarray(post_j, dtype=np.float64)
    nodes = np.asarray(nodes_j, dtype=np.float64)
    if post.ndim != 2:
        raise ValueError(f"post_j must have shape (J, G), got {post.shape}")
    J, G = post.shape
    if nodes.ndim == 2:
        nodes = np.broadcast_to(nodes, (J,) + nodes.shape)
    if nodes.ndim != 3 or nodes.shape[:2] != (J, G):
        raise ValueError(
            f"nodes_j must have shape ({J}, {G}, q) or ({G}, q), got {np.shape(nodes_j)}"
        )
    if not (np.all(np.isfinite(post)) and np.all(np.isfinite(nodes))):
        raise ValueError("posterior_moments: non-finite nodes or posterior probabilities")
    q = nodes.shape[2]
    mean = np.matmul(post[:, None, :], nodes)[:, 0, :]  # (J, q)
    dev = nodes - mean[:, None, :]  # centred: no cancellation in E[zz'] - mm'
    cov = np.matmul(np.swapaxes(dev * post[:, :, None], 1, 2), dev)  # (J, q, q)
    cov = 0.5 * (cov + np.swapaxes(cov, 1, 2)) + COV_JITTER * np.eye(q)
    evals, evecs = np.linalg.eigh(cov)
    evals = np.maximum(evals, EIG_FLOOR)
    cov = np.einsum("jab,jb,jcb->jac", evecs, evals, evecs)
    cov = 0.5 * (cov + np.swapaxes(cov, 1, 2))
    chol = np.linalg.cholesky(cov)
    return np.ascontiguousarray(mean), np.ascontiguousarray(chol)
