"""The optimiser: BFGS started at the outer product of the cluster scores."""

import numpy as np
import pandas as pd
import pytest

from mixlevel import estimation
from mixlevel.estimation.starts import base_start
from mixlevel.model import MixtureModel
from tests.peer_models import DATA, cbpp_model, lca_spec, lsat7_model, sleepstudy_model


def finite_difference_gradient(engine, w, h=1e-6):
    out = np.empty(len(w))
    for k in range(len(w)):
        e = np.zeros(len(w))
        e[k] = h
        out[k] = (engine.loglike(w + e) - engine.loglike(w - e)) / (2 * h)
    return out


def test_gradient_with_negative_cholesky_diagonal():
    """The optimiser may move a Cholesky diagonal below zero: the gradient follows it.

    Sigma = L L' does not see the sign of a column of L, so the kernel works
    with the positive-diagonal factor; the gradient on the optimiser's own
    vector must flip that column's entries (a BFGS line search failed here).
    """
    model = sleepstudy_model(integration="gauss-hermite", n_points=7)
    eng, tab = model.engine, model.table
    w = base_start(model.engine)
    cov = [i for i, n in enumerate(model.param_names) if n.startswith(("Var(1|", "Cov("))]
    assert len(cov) == 2
    w_flip = w.copy()
    w_flip[cov] *= -1  # the first column of L: same Sigma
    assert abs(eng.loglike(w_flip) - eng.loglike(w)) < 1e-9
    _, g, _ = eng.loglike_and_score(w_flip)
    np.testing.assert_allclose(g, finite_difference_gradient(eng, w_flip), rtol=1e-5,
                               atol=1e-5)
    _, g0, _ = eng.loglike_and_score(w)
    np.testing.assert_allclose(g[cov], -g0[cov], rtol=1e-10)
    # the per-cluster scores carry the same signs
    np.testing.assert_allclose(eng.score_obs(w_flip).sum(axis=0), g, rtol=1e-9, atol=1e-9)
    assert tab.working_signs(w_flip)[cov].tolist() == [-1.0, -1.0]


def test_outer_product_inverse_is_positive_definite_with_few_clusters():
    rng = np.random.default_rng(0)
    scores = rng.normal(size=(5, 12))  # 5 clusters, 12 parameters: rank 5
    H = estimation.bfgs.outer_product_inverse(scores, 5.0)
    assert np.allclose(H, H.T)
    assert np.linalg.eigvalsh(H).min() > 0
    # many clusters: close to the plain inverse of the outer product
    scores = rng.normal(size=(4000, 3))
    H = estimation.bfgs.outer_product_inverse(scores, 4000.0)
    plain = np.linalg.inv(scores.T @ scores / 4000.0)
    np.testing.assert_allclose(H, plain, rtol=2e-3, atol=2e-3)


@pytest.mark.parametrize("make, peer_ll", [
    (lambda: sleepstudy_model(integration="gauss-hermite", n_points=5, adaptive=True),
     -875.969672232),
    (lambda: cbpp_model(integration="gauss-hermite", n_points=11, adaptive=True),
     -91.98336939),
    (lambda: lsat7_model(integration="gauss-hermite", n_points=61), -2658.80511),
])
def test_quasi_newton_reaches_the_peer_maximum_in_few_iterations(make, peer_ll):
    """From the default start, BFGS needs a few dozen iterations, not hundreds."""
    model = make()
    res = model.fit()
    assert res.converged
    assert abs(res.llf - peer_ll) < 1e-5
    assert res.mle_retvals["iterations"] <= 40
    # the scaled gradient at the returned point is at the optimum's noise level
    g = model.score(res.params) / model.engine.design.n_clusters
    assert np.abs(g).max() < 1e-4


def test_quasi_newton_stops_at_an_optimum_without_steps():
    df = pd.read_csv(DATA / "carcinoma.csv") - 1
    model = MixtureModel(lca_spec(list(df.columns), 2), df)
    res = model.fit()
    work = model._work(res.params)
    w, ll, n_iter, converged, H = estimation.quasi_newton(model.engine, work, maxiter=100,
                                                          gtol=1e-8)
    assert converged and n_iter <= 2
    assert abs(ll - res.llf) < 1e-9
    np.testing.assert_allclose(w, work, atol=1e-6)
    assert np.linalg.eigvalsh(H).min() > 0


def test_a_fit_stopped_early_warns_and_says_so():
    from mixlevel.errors import ConvergenceWarning

    model = sleepstudy_model(integration="gauss-hermite", n_points=5)
    with pytest.warns(ConvergenceWarning, match="did not converge"):
        res = model.fit(maxiter=3)
    assert not res.converged
