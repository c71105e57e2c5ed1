"""Standard errors: MLR sandwich and ML information against independent numerics."""

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from statsmodels.tools.numdiff import approx_fprime, approx_hess3

from mixlevel.errors import EstimationWarning
from mixlevel.model import MixtureModel
from mixlevel.spec import ModelSpec
from tests.peer_models import cbpp_model, lsat7_model, sleepstudy_model

DATA = Path(__file__).parent / "data"


def mixture_regression_model():
    rng = np.random.default_rng(3)
    n = 300
    x = rng.normal(size=n)
    cls = rng.random(n) < 0.4
    y = np.where(cls, 1.0 + 0.5 * x, -1.0 - 0.5 * x) + rng.normal(scale=0.6, size=n)
    df = pd.DataFrame({"y": y, "x": x})
    spec = ModelSpec()
    spec.add_class("c", 2)
    spec.add_outcome("y", "normal")
    spec.add_term("y", by=["c"])
    spec.add_term("y", "x", by=["c"])
    spec.add_term("c")
    return MixtureModel(spec, df)


def two_level_lca_model():
    rng = np.random.default_rng(11)
    J, n = 40, 15
    d = np.repeat(rng.random(J) < 0.5, n)
    c = rng.random(J * n) < np.where(d, 0.75, 0.25)
    items = {f"u{k}": (rng.random(J * n) < np.where(c, 0.8, 0.25)).astype(float)
             for k in range(4)}
    df = pd.DataFrame(dict(items, g=np.repeat(np.arange(J), n)))
    spec = ModelSpec()
    spec.add_class("d", 2, level="between")
    spec.add_class("c", 2)
    for it in items:
        spec.add_outcome(it, "binary")
        spec.add_term(it, by=["c"])
    spec.add_term("c", by=["d"])
    spec.add_term("d")
    return MixtureModel(spec, df, cluster="g")


def cbpp_gh15():
    return cbpp_model(integration="gauss-hermite", n_points=15)


def sleepstudy_agq5():
    return sleepstudy_model(integration="gauss-hermite", n_points=5, adaptive=True)


def lsat7_gh21():
    return lsat7_model(integration="gauss-hermite", n_points=21)


@pytest.mark.parametrize("make", [cbpp_gh15, mixture_regression_model, sleepstudy_agq5,
                                  lsat7_gh21, two_level_lca_model])
def test_mlr_equals_independent_sandwich(make):
    model = make()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", EstimationWarning)
        res = model.fit(starts=(4, 2), gtol=1e-9)
    p = np.asarray(res.params)
    scores = approx_fprime(p, model.loglikeobs, epsilon=1e-6, centered=True)  # (J, k)
    assert np.allclose(scores, model.score_obs(p), rtol=1e-4, atol=1e-5)
    # the meat from numerical per-cluster scores, the bread from the model's Hessian
    inv = np.linalg.inv(-model.hessian(p))
    cov_mlr = inv @ (scores.T @ scores) @ inv
    assert np.allclose(np.sqrt(np.diag(cov_mlr)), res.bse, rtol=1e-5)
    # ML standard errors against a Hessian from second differences of the log-likelihood;
    # statsmodels' default step (eps^(1/4) |p|) is too coarse for the weakly identified
    # class logits of the two-level LCA (1e-4 relative error), a step of 3e-4 |p| is not
    step = 3e-4 * np.maximum(np.abs(p), 1.0)
    inv_num = np.linalg.inv(-approx_hess3(p, model.loglike, epsilon=step))
    assert np.allclose(np.sqrt(np.diag(inv_num)), np.sqrt(np.diag(res.cov_params_ml)),
                       rtol=1e-4)
    # the score is zero at the optimum and sums the cluster scores
    assert np.abs(model.score(p)).max() < 1e-3
    assert np.allclose(model.score_obs(p).sum(0), model.score(p), atol=1e-8)


def test_mlr_with_frequency_weights_equals_expanded_data():
    """Collapsed response patterns with counts give the MLR errors of the raw rows.

    A pattern seen w times is w independent clusters: its weighted score w s
    enters the sandwich's meat as w s s', not (w s)(w s)'.  (LSAT7 2PL: 1000
    rows, 30 patterns.)
    """
    raw = pd.read_csv(DATA / "lsat7.csv")
    patterns = raw.value_counts().rename("n").reset_index()
    assert len(patterns) < len(raw) / 10
    fits = [lsat7_model(data, integration="gauss-hermite", n_points=21, **kw).fit(gtol=1e-9)
            for data, kw in ((raw, {}), (patterns, {"weights": "n"}))]
    raw_fit, collapsed = fits
    assert collapsed.model.engine.design.n_clusters == len(patterns)
    assert abs(raw_fit.llf - collapsed.llf) < 1e-8
    np.testing.assert_allclose(collapsed.params, raw_fit.params, rtol=1e-6, atol=1e-7)
    np.testing.assert_allclose(collapsed.bse, raw_fit.bse, rtol=1e-5)
    np.testing.assert_allclose(collapsed.cov_params_ml, raw_fit.cov_params_ml, rtol=1e-4,
                               atol=1e-7)
