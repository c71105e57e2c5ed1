"""Tests for mixlevel.integrate.quadrature."""

import itertools
import math
import warnings

import numpy as np
import pytest
from scipy import integrate
from scipy.special import logsumexp, ndtr
from scipy.stats import multivariate_normal, norm

from mixlevel.integrate.quadrature import (
    COV_JITTER,
    DEFAULT_BOUND,
    EIG_FLOOR,
    KINDS,
    Rule,
    adapt,
    make_rule,
    posterior_moments,
)


def expect(rule, values):
    """sum_g w_g f(z_g) for a non-adaptive rule."""
    return float(np.exp(rule.logw) @ values)


# --------------------------------------------------------------------------
# make_rule: basics
# --------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("dim", [1, 2, 3])
def test_weights_normalised(kind, dim):
    n = 7 if kind in ("trapezoid", "gauss-hermite") else 100
    r = make_rule(kind, n, dim, seed=3)
    assert abs(logsumexp(r.logw)) < 1e-12
    assert r.dim == dim
    assert r.nodes.shape == (r.size, dim)
    assert r.logw.shape == (r.size,)
    assert r.nodes.dtype == np.float64 and r.logw.dtype == np.float64
    assert r.nodes.flags.c_contiguous and r.logw.flags.c_contiguous
    assert np.all(np.isfinite(r.nodes)) and np.all(np.isfinite(r.logw))
    assert r.kind == kind and r.n_points == n


@pytest.mark.parametrize("kind", KINDS)
def test_dim_zero_single_node(kind):
    r = make_rule(kind, 9, 0, seed=1)
    assert r.nodes.shape == (1, 0)
    np.testing.assert_array_equal(r.logw, [0.0])
    assert r.dim == 0 and r.size == 1


@pytest.mark.parametrize(
    "alias, canonical",
    [
        ("gh", "gauss-hermite"),
        ("mc", "monte-carlo"),
        ("qmc", "quasi-monte-carlo"),
        ("rectangular", "trapezoid"),
        ("Gauss_Hermite", "gauss-hermite"),
    ],
)
def test_aliases(alias, canonical):
    a = make_rule(alias, 8, 2, seed=5)
    b = make_rule(canonical, 8, 2, seed=5)
    assert a.kind == canonical
    np.testing.assert_array_equal(a.nodes, b.nodes)
    np.testing.assert_array_equal(a.logw, b.logw)


def test_unknown_kind_names_valid_ones():
    with pytest.raises(ValueError) as exc:
        make_rule("simpson", 5, 1)
    for k in KINDS:
        assert k in str(exc.value)


@pytest.mark.parametrize("bad", [0, -3, 2.5, 5.0, "5", None, True])
def test_bad_n_points(bad):
    with pytest.raises(ValueError, match="n_points"):
        make_rule("gh", bad, 1)


def test_numpy_integer_n_points_ok():
    r = make_rule("gh", np.int64(4), np.int32(2))
    assert r.size == 16 and r.n_points == 4


def test_bad_dim_and_bound():
    with pytest.raises(ValueError, match="dim"):
        make_rule("gh", 5, -1)
    for b in (0.0, -1.0, np.inf, np.nan):
        with pytest.raises(ValueError, match="bound"):
            make_rule("trapezoid", 5, 1, bound=b)


def test_rule_arrays_read_only():
    r = make_rule("gh", 3, 1)
    with pytest.raises(ValueError):
        r.nodes[0, 0] = 1.0
    with pytest.raises(ValueError):
        r.logw[0] = 1.0


@pytest.mark.parametrize("kind", ["trapezoid", "gauss-hermite"])
@pytest.mark.parametrize("n, q", [(3, 1), (4, 2), (3, 3), (2, 4)])
def test_product_grid_order_and_shape(kind, n, q):
    r = make_rule(kind, n, q)
    one = make_rule(kind, n, 1)
    assert r.size == n**q
    x, lw = one.nodes[:, 0], one.logw
    expected_nodes = np.array(list(itertools.product(x, repeat=q)))
    expected_logw = np.array([sum(t) for t in itertools.product(lw, repeat=q)])
    np.testing.assert_array_equal(r.nodes, expected_nodes)
    np.testing.assert_allclose(r.logw, expected_logw, rtol=0, atol=1e-13)
    # last dimension varies fastest
    if n > 1 and q > 1:
        assert r.nodes[0, -1] != r.nodes[1, -1]
        assert r.nodes[0, 0] == r.nodes[1, 0]


# --------------------------------------------------------------------------
# Gauss-Hermite
# --------------------------------------------------------------------------


def test_gh_moments_1d():
    r = make_rule("gh", 5, 1)
    z = r.nodes[:, 0]
    for k, m in [(0, 1.0), (1, 0.0), (2, 1.0), (3, 0.0), (4, 3.0), (6, 15.0), (9, 0.0)]:
        assert abs(expect(r, z**k) - m) < 1e-10, k
    # degree 2n = 10 is no longer exact (E z^10 = 945)
    assert abs(expect(r, z**10) - 945.0) > 1.0


@pytest.mark.parametrize("n", [1, 2, 3, 8, 20])
def test_gh_exact_to_degree_2n_minus_1(n):
    r = make_rule("gh", n, 1)
    z = r.nodes[:, 0]
    for k in range(2 * n):
        exact = 0.0 if k % 2 else float(np.prod(np.arange(k - 1, 0, -2, dtype=float)))
        # exact in exact arithmetic; rounding is relative to the term sizes
        scale = max(1.0, expect(r, np.abs(z) ** k))
        assert abs(expect(r, z**k) - exact) < 1e-10 * scale, (n, k)


def test_gh_2d_moments():
    r = make_rule("gh", 4, 2)
    z1, z2 = r.nodes.T
    assert abs(expect(r, z1**2 * z2**2) - 1.0) < 1e-10
    assert abs(expect(r, z1**4 * z2**2) - 3.0) < 1e-10
    assert abs(expect(r, z1 * z2)) < 1e-12
    assert abs(expect(r, z1**3 * z2**5)) < 1e-10


def test_gh_matches_hermegauss():
    from numpy.polynomial.hermite_e import hermegauss

    x, w = hermegauss(6)
    r = make_rule("gh", 6, 1)
    np.testing.assert_allclose(r.nodes[:, 0], x, rtol=0, atol=1e-14)
    np.testing.assert_allclose(np.exp(r.logw), w / np.sqrt(2 * np.pi), rtol=1e-13)


# --------------------------------------------------------------------------
# Trapezoid (rectangular)
# --------------------------------------------------------------------------


def test_trapezoid_nodes_default_bound():
    r = make_rule("trapezoid", 15, 1)
    z = r.nodes[:, 0]
    assert DEFAULT_BOUND == 5.0
    np.testing.assert_allclose(z, np.linspace(-5, 5, 15), rtol=0, atol=1e-15)
    w = np.exp(r.logw)
    np.testing.assert_allclose(w, norm.pdf(z) / norm.pdf(z).sum(), rtol=1e-13)


def test_trapezoid_single_point_is_origin():
    r = make_rule("trapezoid", 1, 2)
    np.testing.assert_array_equal(r.nodes, [[0.0, 0.0]])
    np.testing.assert_array_equal(r.logw, [0.0])


def test_trapezoid_accuracy_15():
    r = make_rule("trapezoid", 15, 1)
    z = r.nodes[:, 0]
    assert abs(expect(r, z**2) - 1.0) < 1e-3
    assert abs(expect(r, ndtr(z)) - 0.5) < 1e-10
    assert abs(expect(r, z)) < 1e-14


def test_trapezoid_exp_61():
    # The tail of exp(z) phi(z) = e^{1/2} phi(z - 1) beyond 5 SD is ~5e-5, so
    # 1e-6 accuracy for this integrand needs a wider grid than the default.
    r = make_rule("trapezoid", 61, 1, bound=6.0)
    assert abs(expect(r, np.exp(r.nodes[:, 0])) - math.exp(0.5)) < 1e-6
    r = make_rule("trapezoid", 61, 1, bound=7.0)
    assert abs(expect(r, np.exp(r.nodes[:, 0])) - math.exp(0.5)) < 1e-8
    # default bound: the error is the documented tail truncation (~3.5e-5)
    r = make_rule("trapezoid", 61, 1)
    err = abs(expect(r, np.exp(r.nodes[:, 0])) - math.exp(0.5))
    assert 1e-6 < err < 1e-4


def test_trapezoid_2d_product():
    r = make_rule("rectangular", 15, 2)
    z1, z2 = r.nodes.T
    assert abs(expect(r, z1**2 * z2**2) - 1.0) < 2e-3
    assert abs(expect(r, ndtr(z1) * ndtr(z2)) - 0.25) < 1e-10


# --------------------------------------------------------------------------
# Monte Carlo / quasi-Monte Carlo
# --------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["monte-carlo", "quasi-monte-carlo"])
def test_random_rules_reproducible(kind):
    a = make_rule(kind, 4096, 2, seed=123)
    b = make_rule(kind, 4096, 2, seed=123)
    c = make_rule(kind, 4096, 2, seed=124)
    np.testing.assert_array_equal(a.nodes, b.nodes)
    assert not np.allclose(a.nodes, c.nodes)
    assert a.size == 4096 and a.n_points == 4096
    np.testing.assert_allclose(a.logw, -math.log(4096), rtol=0, atol=1e-15)
    for d in range(2):
        assert abs(expect(a, a.nodes[:, d] ** 2) - 1.0) < 0.05
        assert abs(expect(a, a.nodes[:, d])) < 0.05
    assert abs(expect(a, a.nodes[:, 0] * a.nodes[:, 1])) < 0.05


def test_mc_matches_default_rng():
    r = make_rule("mc", 10, 3, seed=42)
    expected = np.random.default_rng(42).standard_normal((10, 3))
    np.testing.assert_array_equal(r.nodes, expected)


def test_mc_total_not_per_dim():
    assert make_rule("mc", 50, 3, seed=0).size == 50
    assert make_rule("qmc", 50, 3, seed=0).size == 50


@pytest.mark.parametrize("n", [1, 64, 100, 1000])
def test_qmc_warning_free_and_finite(n):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        r = make_rule("qmc", n, 3, seed=7)
    assert r.nodes.shape == (n, 3)
    assert np.all(np.isfinite(r.nodes))
    # ndtri of clipped uniforms is bounded by |ndtri(1e-12)| ~ 7.03
    assert np.max(np.abs(r.nodes)) <= -float(norm.ppf(1e-12)) + 1e-9


def test_qmc_better_than_mc():
    # Scrambled Sobol has far lower error than MC for a smooth integrand.
    errs_q, errs_m = [], []
    for s in range(5):
        q = make_rule("qmc", 1024, 2, seed=s)
        m = make_rule("mc", 1024, 2, seed=s)
        f = lambda r: ndtr(r.nodes[:, 0] + r.nodes[:, 1])  # noqa: E731
        errs_q.append(abs(expect(q, f(q)) - 0.5))
        errs_m.append(abs(expect(m, f(m)) - 0.5))
    assert np.mean(errs_q) < 1e-3
    assert np.mean(errs_q) < np.mean(errs_m)


# --------------------------------------------------------------------------
# adapt
# --------------------------------------------------------------------------


def _adapted_integral(rule, mean, chol, f):
    nodes_j, logw_j = adapt(rule, mean, chol)
    return np.exp(logw_j) * f(nodes_j)


def test_adapt_identity_reproduces_rule():
    r = make_rule("gh", 5, 2)
    nodes_j, logw_j = adapt(r, np.zeros((3, 2)), np.tile(np.eye(2), (3, 1, 1)))
    assert nodes_j.shape == (3, 25, 2) and logw_j.shape == (3, 25)
    for j in range(3):
        np.testing.assert_allclose(nodes_j[j], r.nodes, atol=1e-15)
        np.testing.assert_allclose(logw_j[j], r.logw, atol=1e-14)


def test_adapt_matches_formula_with_scipy_logpdf():
    rng = np.random.default_rng(0)
    r = make_rule("gh", 4, 3)
    J = 4
    mean = rng.normal(size=(J, 3))
    A = rng.normal(size=(J, 3, 3))
    cov = A @ np.swapaxes(A, 1, 2) + 0.5 * np.eye(3)
    chol = np.linalg.cholesky(cov)
    nodes_j, logw_j = adapt(r, mean, chol)
    mvn = multivariate_normal(np.zeros(3), np.eye(3))
    for j in range(J):
        zs = mean[j] + r.nodes @ chol[j].T
        lw = (
            r.logw
            + mvn.logpdf(zs)
            - mvn.logpdf(r.nodes)
            + np.log(abs(np.linalg.det(chol[j])))
        )
        np.testing.assert_allclose(nodes_j[j], zs, rtol=1e-13, atol=1e-13)
        np.testing.assert_allclose(logw_j[j], lw, rtol=1e-12, atol=1e-11)


def _peak_1d(c=3.0, s=0.2):
    h = lambda z: np.exp(-((z - c) ** 2) / (2 * s * s))  # noqa: E731
    exact = s * math.sqrt(2 * math.pi) * norm.pdf(c, 0.0, math.sqrt(1 + s * s))
    post_var = s * s / (1 + s * s)
    post_mean = c / (1 + s * s)
    return h, exact, post_mean, post_var


def test_adaptive_gh_narrow_peak_1d():
    h, exact, pm, pv = _peak_1d()
    # sanity-check the closed form itself
    ref, _ = integrate.quad(lambda z: h(z) * norm.pdf(z), 1, 5, epsabs=0, epsrel=1e-12)
    assert abs(ref / exact - 1) < 1e-9

    r = make_rule("gh", 11, 1)
    naive = expect(r, h(r.nodes[:, 0]))
    assert abs(naive / exact - 1) > 1e-2

    mean = np.array([[pm]])
    chol = np.array([[[math.sqrt(pv)]]])
    val = _adapted_integral(r, mean, chol, lambda z: h(z[..., 0])).sum()
    assert abs(val / exact - 1) < 1e-8


def test_adaptive_gh_narrow_peak_2d_correlated():
    c = np.array([2.0, -1.5])
    P = np.linalg.inv(np.array([[0.05, 0.03], [0.03, 0.04]]))  # correlated, narrow
    h = lambda z: np.exp(  # noqa: E731
        -0.5 * np.einsum("...a,ab,...b->...", z - c, P, z - c)
    )
    A = np.eye(2) + P
    b = P @ c
    exact = math.exp(-0.5 * c @ P @ c + 0.5 * b @ np.linalg.solve(A, b)) / math.sqrt(
        np.linalg.det(A)
    )
    post_cov = np.linalg.inv(A)
    post_mean = post_cov @ b
    L = np.linalg.cholesky(post_cov)
    assert abs(L[1, 0]) > 0.01  # genuinely correlated

    r = make_rule("gh", 11, 2)
    naive = expect(r, h(r.nodes))
    assert abs(naive / exact - 1) > 1e-2

    # several clusters in one call: the true one plus shifted/rescaled copies
    mean = np.stack([post_mean, post_mean + 0.05, post_mean])
    chol = np.stack([L, L, 1.2 * L])
    vals = _adapted_integral(r, mean, chol, h).sum(axis=1)
    assert abs(vals[0] / exact - 1) < 1e-8
    # slightly off centring still accurate (not exact) with 11 points
    assert np.all(np.abs(vals[1:] / exact - 1) < 1e-4)


def test_adapt_general_integrand_1d():
    # logistic likelihood, centring not exactly at the posterior
    f = lambda z: 1.0 / (1.0 + np.exp(-(1.7 * z - 0.8)))  # noqa: E731
    ref, _ = integrate.quad(lambda z: f(z) * norm.pdf(z), -12, 12, epsabs=1e-14)
    mean = np.array([[0.0], [0.4], [-0.3]])
    chol = np.array([[[1.0]], [[0.8]], [[1.3]]])
    g = lambda z: f(z[..., 0])  # noqa: E731
    # any valid shift/scale converges to the integral
    vals = _adapted_integral(make_rule("gh", 80, 1), mean, chol, g).sum(axis=1)
    np.testing.assert_allclose(vals, ref, rtol=1e-9)
    # centring near the posterior (mean ~0.4, sd ~0.8) beats the plain rule
    vals = _adapted_integral(make_rule("gh", 20, 1), mean, chol, g).sum(axis=1)
    err = np.abs(vals / ref - 1)
    assert err[1] < 1e-8
    assert err[1] < err[0] / 100 and err[1] < err[2] / 100


def test_adapt_monte_carlo_importance_sampling():
    r = make_rule("qmc", 4096, 2, seed=1)
    mean = np.array([[0.5, -0.3]])
    # proposal wider than N(0, I) keeps the importance weights bounded
    chol = np.array([[[1.2, 0.0], [0.2, 1.1]]])
    nodes_j, logw_j = adapt(r, mean, chol)
    assert abs(np.exp(logsumexp(logw_j[0])) - 1.0) < 0.01
    z = nodes_j[0]
    m2 = np.exp(logw_j[0]) @ (z[:, 0] ** 2)
    assert abs(m2 - 1.0) < 0.03


def test_adapt_dim_zero():
    r = make_rule("gh", 5, 0)
    nodes_j, logw_j = adapt(r, np.zeros((4, 0)), np.zeros((4, 0, 0)))
    assert nodes_j.shape == (4, 1, 0)
    np.testing.assert_array_equal(logw_j, np.zeros((4, 1)))


def test_adapt_ignores_upper_triangle():
    r = make_rule("gh", 3, 2)
    L = np.array([[[1.1, 0.0], [0.3, 0.7]]])
    U = L.copy()
    U[0, 0, 1] = 99.0
    a = adapt(r, np.zeros((1, 2)), L)
    b = adapt(r, np.zeros((1, 2)), U)
    np.testing.assert_array_equal(a[0], b[0])
    np.testing.assert_array_equal(a[1], b[1])


@pytest.mark.parametrize("bad", [0.0, -0.5, np.nan, np.inf])
def test_adapt_rejects_bad_diagonal(bad):
    r = make_rule("gh", 5, 2)
    chol = np.tile(np.eye(2), (3, 1, 1))
    chol[1, 1, 1] = bad
    with pytest.raises(ValueError, match="diagonal"):
        adapt(r, np.zeros((3, 2)), chol)


def test_adapt_rejects_bad_shapes_and_mean():
    r = make_rule("gh", 5, 2)
    with pytest.raises(ValueError, match="mean"):
        adapt(r, np.zeros((3, 1)), np.tile(np.eye(2), (3, 1, 1)))
    with pytest.raises(ValueError, match="chol"):
        adapt(r, np.zeros((3, 2)), np.tile(np.eye(2), (2, 1, 1)))
    mean = np.zeros((3, 2))
    mean[2, 0] = np.nan
    with pytest.raises(ValueError, match="mean"):
        adapt(r, mean, np.tile(np.eye(2), (3, 1, 1)))
    chol = np.tile(np.eye(2), (3, 1, 1))
    chol[0, 1, 0] = np.inf
    with pytest.raises(ValueError, match="non-finite"):
        adapt(r, np.zeros((3, 2)), chol)


# --------------------------------------------------------------------------
# posterior_moments
# --------------------------------------------------------------------------


def test_posterior_moments_by_hand():
    # cluster 0: 1-D-like discrete distribution in 2-D
    nodes = np.array(
        [
            [[0.0, 0.0], [1.0, 2.0], [2.0, 1.0]],
            [[-1.0, 1.0], [1.0, -1.0], [3.0, 3.0]],
        ]
    )
    post = np.array([[0.5, 0.25, 0.25], [0.2, 0.3, 0.5]])
    mean, chol = posterior_moments(nodes, post)
    # by hand: cluster 0 mean = (0.75, 0.75)
    # E[x^2] = .25*1 + .25*4 = 1.25 -> var 1.25 - .5625 = .6875 (same for y)
    # E[xy] = .25*2 + .25*2 = 1.0 -> cov 1 - .5625 = .4375
    # cluster 1 mean = (-.2+.3+1.5, .2-.3+1.5) = (1.6, 1.4)
    # E[x^2] = .2 + .3 + 4.5 = 5.0 -> var 5 - 2.56 = 2.44
    # E[y^2] = .2 + .3 + 4.5 = 5.0 -> var 5 - 1.96 = 3.04
    # E[xy] = -.2 - .3 + 4.5 = 4.0 -> cov 4 - 2.24 = 1.76
    np.testing.assert_allclose(mean, [[0.75, 0.75], [1.6, 1.4]], rtol=0, atol=1e-14)
    cov_expected = np.array([[[0.6875, 0.4375], [0.4375, 0.6875]], [[2.44, 1.76], [1.76, 3.04]]])
    cov = chol @ np.swapaxes(chol, 1, 2)
    np.testing.assert_allclose(cov, cov_expected + COV_JITTER * np.eye(2), rtol=0, atol=1e-12)
    assert np.allclose(chol, np.tril(chol))
    assert np.all(np.diagonal(chol, axis1=1, axis2=2) > 0)


def test_posterior_moments_shared_nodes_broadcast():
    r = make_rule("gh", 7, 2)
    rng = np.random.default_rng(3)
    post = rng.dirichlet(np.ones(r.size), size=5)
    m1, c1 = posterior_moments(r.nodes, post)
    m2, c2 = posterior_moments(np.broadcast_to(r.nodes, (5,) + r.nodes.shape), post)
    np.testing.assert_allclose(m1, m2, atol=1e-15)
    np.testing.assert_allclose(c1, c2, atol=1e-15)
    for j in range(5):
        np.testing.assert_allclose(m1[j], post[j] @ r.nodes, atol=1e-14)
        cov = np.cov(r.nodes.T, aweights=post[j], bias=True)
        np.testing.assert_allclose(c1[j] @ c1[j].T, cov + COV_JITTER * np.eye(2), atol=1e-12)


def test_posterior_moments_floors_degenerate():
    nodes = np.array([[0.0, 0.0], [1.0, 1.0], [2.0, 2.0]])
    post = np.array(
        [
            [0.0, 1.0, 0.0],  # point mass -> zero covariance
            [0.5, 0.0, 0.5],  # rank 1 along (1, 1)
        ]
    )
    mean, chol = posterior_moments(nodes, post)
    np.testing.assert_allclose(mean, [[1.0, 1.0], [1.0, 1.0]], atol=1e-15)
    assert np.all(np.isfinite(chol))
    cov = chol @ np.swapaxes(chol, 1, 2)
    ev = np.linalg.eigvalsh(cov)
    np.testing.assert_allclose(ev[0], [EIG_FLOOR, EIG_FLOOR], rtol=1e-6)
    np.testing.assert_allclose(ev[1, 0], EIG_FLOOR, rtol=1e-6)
    np.testing.assert_allclose(ev[1, 1], 2.0 + COV_JITTER, rtol=1e-10)  # var 1 each, cov 1
    # the floored factor is usable by adapt
    nodes_j, logw_j = adapt(make_rule("gh", 3, 2), mean, chol)
    assert np.all(np.isfinite(nodes_j)) and np.all(np.isfinite(logw_j))


def test_posterior_moments_roundtrip_with_adapt():
    # posterior of z for a Gaussian "likelihood" computed on a fine GH grid,
    # then used to centre a coarse adaptive rule
    h, exact, pm, pv = _peak_1d(c=2.0, s=0.5)
    fine = make_rule("gh", 60, 1)
    lp = fine.logw + np.log(h(fine.nodes[:, 0]))
    post = np.exp(lp - logsumexp(lp))[None, :]
    mean, chol = posterior_moments(fine.nodes, post)
    assert abs(mean[0, 0] - pm) < 1e-8
    assert abs(chol[0, 0, 0] ** 2 - pv) < 1e-7
    val = _adapted_integral(make_rule("gh", 5, 1), mean, chol, lambda z: h(z[..., 0])).sum()
    assert abs(val / exact - 1) < 1e-6


def test_posterior_moments_errors_and_dim0():
    with pytest.raises(ValueError):
        posterior_moments(np.zeros((4, 2)), np.full((2, 3), 1 / 3))
    with pytest.raises(ValueError):
        posterior_moments(np.zeros((3, 1)), np.array([[np.nan, 0.5, 0.5]]))
    m, c = posterior_moments(np.zeros((1, 0)), np.ones((3, 1)))
    assert m.shape == (3, 0) and c.shape == (3, 0, 0)


def test_rule_constructor_validates():
    with pytest.raises(ValueError):
        Rule(np.zeros(3), np.zeros(3), "gauss-hermite", 3)
    with pytest.raises(ValueError):
        Rule(np.zeros((3, 1)), np.zeros(2), "gauss-hermite", 3)


def test_engine_refuses_a_grid_too_large_for_memory():
    """Four random effects with 41-point product rules on 20,000 rows: a clear error."""
    import pandas as pd

    from mixlevel.errors import SpecificationError
    from mixlevel.model import MixtureModel
    from mixlevel.spec import ModelSpec

    rng = np.random.default_rng(0)
    n = 20_000
    df = pd.DataFrame({"y": rng.normal(size=n), "g": np.repeat(np.arange(n // 10), 10)})
    for k in range(3):
        df[f"x{k}"] = rng.normal(size=n)
    spec = ModelSpec()
    spec.add_outcome("y", "normal")
    spec.add_term("y")
    spec.add_block("g", ["1|g"] + [f"x{k}|g" for k in range(3)])
    spec.add_term("y", latent="1|g")
    for k in range(3):
        spec.add_term("y", f"x{k}", latent=f"x{k}|g")
    with pytest.raises(SpecificationError, match=r"too large.*quasi-monte-carlo"):
        MixtureModel(spec, df, cluster="g", n_points=41)
    # the advice works: 500 quasi-Monte Carlo points build at once
    model = MixtureModel(spec, df, cluster="g", integration="quasi-monte-carlo", n_points=500)
    assert model.engine.rule_b.nodes.shape == (500, 4)
