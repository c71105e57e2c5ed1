"""The forward-backward kernel of latent Markov chains against two independent routes.

``mixlevel._kernels._chain`` (Cython, log scale) is compared with
``_chain_reference`` (numpy, scaled probabilities, second order through pair
states) to 1e-12, and both with brute-force enumeration of all K^T class
patterns to 1e-10: log-likelihood, marginal, pairwise and (second order)
triple posteriors; with missing waves, inputs varying per row and per cell or
broadcast (stride 0), T = 1 and 2, reductions over cells and rows, and 200
waves.  The scores of the initial and transition logits computed from the
posteriors (the module docstring's formula) equal finite differences.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from scipy.special import log_softmax, logsumexp

from mixlevel._kernels import _chain
from mixlevel._kernels import _chain_reference as ref


def problem(seed, N=3, R=2, T=4, K=3, order=1, missing=0.25, vary=("E", "P0", "P", "P2")):
    """Random log inputs; an input not in ``vary`` is shared (axis length 1)."""
    rng = np.random.default_rng(seed)

    def lead(name):
        return (N, R) if name in vary else (1, 1)

    E = rng.normal(scale=1.5, size=lead("E") + (T, K)) - 2.0
    if missing:
        miss = rng.uniform(size=E.shape[:3]) < missing
        E[miss] = 0.0                                   # a wave without items
    P0 = log_softmax(rng.normal(size=lead("P0") + (K,)), axis=-1)
    P = log_softmax(rng.normal(scale=1.5, size=lead("P") + (max(T - 1, 1), K, K)), axis=-1)
    P2 = None
    if order == 2:
        P2 = log_softmax(rng.normal(scale=1.5, size=lead("P2") + (max(T - 2, 1), K, K, K)),
                         axis=-1)
    return E, P0, P, P2


def brute_force(E, P0, P, P2=None):
    """ll, gamma, xi, xi2 of every row and cell by enumerating the K^T patterns."""
    N = max(E.shape[0], P0.shape[0], P.shape[0])
    R = max(E.shape[1], P0.shape[1], P.shape[1])
    T, K = E.shape[2], E.shape[3]
    E = np.broadcast_to(E, (N, R, T, K))
    P0 = np.broadcast_to(P0, (N, R, K))
    P = np.broadcast_to(P, (N, R) + P.shape[2:])
    if P2 is not None:
        P2 = np.broadcast_to(P2, (N, R) + P2.shape[2:])
    pats = np.array(list(itertools.product(range(K), repeat=T)))
    ll = np.empty((N, R))
    gamma = np.zeros((N, R, T, K))
    xi = np.zeros((N, R, max(T - 1, 0), K, K))
    xi2 = np.zeros((N, R, max(T - 2, 0), K, K, K))
    for i in range(N):
        for r in range(R):
            lj = np.empty(len(pats))
            for n, c in enumerate(pats):
                v = P0[i, r, c[0]] + sum(E[i, r, t, c[t]] for t in range(T))
                for t in range(1, T):
                    pt = P[i, r, 0 if P.shape[2] == 1 else t - 1]
                    if P2 is not None and t >= 2:
                        q = P2[i, r, 0 if P2.shape[2] == 1 else t - 2]
                        v += q[c[t - 2], c[t - 1], c[t]]
                    else:
                        v += pt[c[t - 1], c[t]]
                lj[n] = v
            ll[i, r] = logsumexp(lj)
            post = np.exp(lj - ll[i, r])
            for n, c in enumerate(pats):
                for t in range(T):
                    gamma[i, r, t, c[t]] += post[n]
                for t in range(1, T):
                    xi[i, r, t - 1, c[t - 1], c[t]] += post[n]
                for t in range(2, T):
                    xi2[i, r, t - 2, c[t - 2], c[t - 1], c[t]] += post[n]
    return ll, gamma, xi, xi2


def run(module, E, P0, P, P2=None, **kw):
    T = E.shape[2]
    if P2 is None and T > 1 and P.shape[2] not in (1, T - 1):
        P = P[:, :, :T - 1]
    return module.forward_backward(E, P0, P if T > 1 else None, P2, **kw)


def assert_same(a, b, atol, keys=("ll", "gamma", "xi", "xi2")):
    for k in keys:
        if k in a or k in b:
            np.testing.assert_allclose(a[k], b[k], rtol=0, atol=atol, err_msg=k)


CASES = [
    dict(seed=1),
    dict(seed=2, K=2, T=5),
    dict(seed=3, K=4, T=3, R=1),
    dict(seed=4, vary=("E",)),                       # P0, P shared by rows and cells
    dict(seed=5, vary=("P0", "P")),                  # emissions shared (stride 0)
    dict(seed=6, T=1),
    dict(seed=7, T=2),
    dict(seed=8, missing=0.6),
    dict(seed=9, order=2, T=5, K=2),
    dict(seed=10, order=2, T=4, K=3, vary=("E", "P2")),
    dict(seed=11, order=2, T=3, K=3, N=2, R=3),
]


@pytest.mark.parametrize("case", CASES, ids=[str(i) for i in range(len(CASES))])
def test_kernel_equals_brute_force_and_reference(case):
    E, P0, P, P2 = problem(**case)
    if case.get("order") != 2 and E.shape[2] > 1:
        P = P[:, :, :E.shape[2] - 1]
    got = run(_chain, E, P0, P, P2, num_threads=2)
    oracle = run(ref, E, P0, P, P2)
    ll, gamma, xi, xi2 = brute_force(E, P0, P, P2)
    bf = {"ll": ll, "gamma": gamma, "xi": xi}
    if P2 is not None and E.shape[2] >= 3:
        bf["xi2"] = xi2
    assert_same(got, oracle, 1e-12)
    assert_same(got, bf, 1e-10)
    assert_same(oracle, bf, 1e-10)
    np.testing.assert_allclose(got["gamma"].sum(axis=-1), 1.0, atol=1e-12)


@pytest.mark.parametrize("order", [1, 2])
def test_time_homogeneous_transitions_broadcast_over_time(order):
    E, P0, P, P2 = problem(21, T=5, K=3, order=order)
    P1 = P[:, :, :1]                                 # one matrix for every wave
    P2h = None if P2 is None else P2[:, :, :1]
    got = run(_chain, E, P0, P1, P2h)
    full = run(_chain, E, P0, np.repeat(P1, 4, axis=2),
               None if P2h is None else np.repeat(P2h, 3, axis=2))
    assert_same(got, full, 1e-13)
    ll, gamma, xi, xi2 = brute_force(E, P0, P1, P2h)
    np.testing.assert_allclose(got["ll"], ll, atol=1e-10)
    np.testing.assert_allclose(got["xi"], xi, atol=1e-10)


@pytest.mark.parametrize("order", [1, 2])
@pytest.mark.parametrize("reduce", ["row", "total"])
def test_reductions_over_cells_and_rows(order, reduce):
    E, P0, P, P2 = problem(31, N=5, R=4, T=4, K=3, order=order)
    if order == 1:
        P = P[:, :, :3]
    w = np.random.default_rng(3).uniform(size=(5, 4))
    cell = run(_chain, E, P0, P, P2)
    got = run(_chain, E, P0, P, P2, weight=w, reduce=reduce, num_threads=2)
    oracle = run(ref, E, P0, P, P2, weight=w, reduce=reduce)
    assert_same(got, oracle, 1e-12)
    for k in ("gamma", "xi", "xi2"):
        if k not in cell:
            continue
        want = np.einsum("nr...,nr->n...", cell[k], w)
        if reduce == "total":
            want = want.sum(axis=0)
        np.testing.assert_allclose(got[k], want, atol=1e-12)
    # a weight shared by rows (stride 0) gives the same as the repeated weights
    w1 = w[:1]
    a = run(_chain, E, P0, P, P2, weight=w1, reduce=reduce)
    b = run(_chain, E, P0, P, P2, weight=np.repeat(w1, 5, axis=0), reduce=reduce)
    assert_same(a, b, 1e-13)


def test_long_chain_does_not_underflow():
    """200 waves of emission log-densities near -6: the likelihood is about e^-1300."""
    E, P0, P, _ = problem(41, N=4, R=2, T=200, K=3, missing=0.1)
    E = E - 4.0 * (E != 0)
    P = P[:, :, :199]
    got = run(_chain, E, P0, P)
    oracle = run(ref, E, P0, P)
    assert np.all(np.isfinite(got["ll"])) and got["ll"].max() < -700
    np.testing.assert_allclose(got["ll"], oracle["ll"], rtol=1e-12)
    assert_same(got, oracle, 1e-10, keys=("gamma", "xi"))
    np.testing.assert_allclose(got["gamma"].sum(axis=-1), 1.0, atol=1e-12)
    np.testing.assert_allclose(got["xi"].sum(axis=(-1, -2)), 1.0, atol=1e-12)
    # the log-likelihood is additive over a split of the chain at a known class
    E2 = E.copy()
    E2[:, :, 100, 1:] = -np.inf                       # class 0 at wave 100 for certain
    whole = run(_chain, E2, P0, P)["ll"]
    first = run(_chain, E2[:, :, :101], P0, P[:, :, :100])["ll"]
    P0b = P[:, :, 100, 0, :]                        # C_101 given C_100 = 0
    second = run(_chain, E2[:, :, 101:], P0b, P[:, :, 101:])["ll"]
    np.testing.assert_allclose(whole, first + second, rtol=1e-12)


def test_impossible_row_has_no_posterior_mass():
    E, P0, P, _ = problem(51, N=3, R=2, T=3, K=2)
    P = P[:, :, :2]
    E[1, 0, 2, :] = -np.inf
    got = run(_chain, E, P0, P)
    assert got["ll"][1, 0] == -np.inf and np.isfinite(got["ll"][0]).all()
    assert not got["gamma"][1, 0].any() and not got["xi"][1, 0].any()
    row = run(_chain, E, P0, P, weight=np.ones((3, 2)), reduce="row")
    np.testing.assert_allclose(row["gamma"][1].sum(axis=-1), 1.0)   # only cell 1 counts


def _logits_to_logs(a, b):
    """Initial logits a (K-1), transition logits b (T-1, K, K-1): last class reference."""
    P0 = log_softmax(np.append(a, 0.0))
    z = np.concatenate([b, np.zeros(b.shape[:-1] + (1,))], axis=-1)
    return P0, log_softmax(z, axis=-1)


@pytest.mark.parametrize("order", [1, 2])
def test_scores_of_logits_from_posteriors_equal_finite_differences(order):
    """d ll / d a_k = gamma_0k - P0_k, d ll / d b_tkl = xi_tkl - gamma_{t-1,k} P_tkl."""
    rng = np.random.default_rng(61)
    T, K = 5, 3
    E = rng.normal(size=(1, 1, T, K)) - 1.0
    E[0, 0, 2] = 0.0                                  # a missing wave
    a = rng.normal(size=K - 1)
    b = rng.normal(size=(T - 1, K, K - 1))
    c2 = rng.normal(size=(T - 2, K, K, K - 1)) if order == 2 else None

    def logs(a, b, c2):
        P0, P = _logits_to_logs(a, b)
        P2 = None
        if c2 is not None:
            z = np.concatenate([c2, np.zeros(c2.shape[:-1] + (1,))], axis=-1)
            P2 = log_softmax(z, axis=-1)[None, None]
        return P0[None, None], P[None, None], P2

    def ll(a, b, c2):
        P0, P, P2 = logs(a, b, c2)
        return run(_chain, E, P0, P, P2, posteriors=False)["ll"][0, 0]

    P0, P, P2 = logs(a, b, c2)
    out = run(_chain, E, P0, P, P2)
    gamma, xi = out["gamma"][0, 0], out["xi"][0, 0]
    p0, p = np.exp(P0[0, 0]), np.exp(P[0, 0])
    score_a = (gamma[0] - p0)[:K - 1]
    score_b = (xi - gamma[:-1, :, None] * p)[..., :K - 1]
    h = 1e-6
    fd_a = np.array([(ll(a + h * e, b, c2) - ll(a - h * e, b, c2)) / (2 * h)
                     for e in np.eye(K - 1)])
    np.testing.assert_allclose(score_a, fd_a, atol=1e-7)
    fd_b = np.zeros_like(b)
    for idx in np.ndindex(b.shape):
        e = np.zeros_like(b)
        e[idx] = h
        fd_b[idx] = (ll(a, b + e, c2) - ll(a, b - e, c2)) / (2 * h)
    if order == 1:
        np.testing.assert_allclose(score_b, fd_b, atol=1e-7)
    else:  # only wave 1 uses the first-order transition
        np.testing.assert_allclose(score_b[0], fd_b[0], atol=1e-7)
        np.testing.assert_allclose(fd_b[1:], 0.0, atol=1e-8)
        xi2 = out["xi2"][0, 0]
        p2 = np.exp(P2[0, 0])
        score_c = (xi2 - xi2.sum(axis=-1, keepdims=True) * p2)[..., :K - 1]
        fd_c = np.zeros_like(c2)
        for idx in np.ndindex(c2.shape):
            e = np.zeros_like(c2)
            e[idx] = h
            fd_c[idx] = (ll(a, b, c2 + e) - ll(a, b, c2 - e)) / (2 * h)
        np.testing.assert_allclose(score_c, fd_c, atol=1e-7)
    # the emission scores are the marginal posteriors
    fd_e = np.zeros((T, K))
    for t, k in np.ndindex(T, K):
        Ep, Em = E.copy(), E.copy()
        Ep[0, 0, t, k] += h
        Em[0, 0, t, k] -= h
        fd_e[t, k] = (run(_chain, Ep, P0, P, P2, posteriors=False)["ll"][0, 0]
                      - run(_chain, Em, P0, P, P2, posteriors=False)["ll"][0, 0]) / (2 * h)
    np.testing.assert_allclose(gamma, fd_e, atol=1e-7)


def test_bad_shapes_are_refused_with_the_argument_named():
    E, P0, P, _ = problem(71, N=2, R=2, T=3, K=2)
    with pytest.raises(ValueError, match="P0"):
        _chain.forward_backward(E, P0[..., :1], P[:, :, :2])
    with pytest.raises(ValueError, match="P: axis 2"):
        _chain.forward_backward(E, P0, np.repeat(P, 2, axis=2)[:, :, :3])
    with pytest.raises(ValueError, match="gamma_out"):
        _chain.chain_estep(E, P0, P[:, :, :2], np.empty((2, 2)), gamma_out=np.empty((2, 3)))
    with pytest.raises(ValueError, match="needed when T > 1"):
        _chain.forward_backward(E, P0, None)
