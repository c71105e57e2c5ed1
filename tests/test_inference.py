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

DATA = Path(__file__).parent / "data"


def cbpp_model():
    df = pd.read_csv(DATA / "cbpp.csv")
    spec = ModelSpec()
    spec.add_outcome("incidence", "binomial", trials="size")
    spec.add_term("incidence")
    for k in (2, 3, 4):
        df[f"period{k}"] = (df["period"] == k).astype(float)
        spec.add_term("incidence", f"period{k}")
    spec.add_block("herd", ["1|herd"])
    spec.add_term("incidence", latent="1|herd")
    return MixtureModel(spec, df, cluster="herd", integration="gauss-hermite", n_points=15)


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


@pytest.mark.parametrize("make", [cbpp_model, mixture_regression_model])
def test_mlr_equals_independent_sandwich(make):
    model = make()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", EstimationWarning)
        res = model.fit(starts=(4, 2), gtol=1e-9)
    p = np.asarray(res.params)
    scores = approx_fprime(p, model.loglikeobs, epsilon=1e-6, centered=True)  # (J, k)
    assert np.allclose(scores, model.score_obs(p), rtol=1e-4, atol=1e-5)
    H = approx_hess3(p, model.loglike)
    inv = np.linalg.inv(-H)
    cov_mlr = inv @ (scores.T @ scores) @ inv
    assert np.allclose(np.sqrt(np.diag(cov_mlr)), res.bse, rtol=1e-4)
    assert np.allclose(np.sqrt(np.diag(inv)), np.sqrt(np.diag(res.cov_params_ml)), rtol=1e-4)
    # the score is zero at the optimum and sums the cluster scores
    assert np.abs(model.score(p)).max() < 1e-3
    assert np.allclose(model.score_obs(p).sum(0), model.score(p), atol=1e-8)
