"""Same data, same model as established software (numbers in tests/results/).

These models are written with the hand-built specification API; the formula
language compiles into the same object.
"""

import warnings

import numpy as np
import pandas as pd
import pytest
from scipy.special import expit

from mixlevel.errors import EstimationWarning
from mixlevel.model import MixtureModel
from mixlevel.spec import ModelSpec
from tests.peer_models import DATA, cbpp_model, lca_spec, lsat7_model, sleepstudy_model
from tests.results import (
    results_glmm_cbpp,
    results_glmm_sleepstudy,
    results_irt_lsat7,
    results_lca_carcinoma,
    results_mlca_datatoy,
)


def fit_quiet(model, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", EstimationWarning)
        return model.fit(**kw)


@pytest.mark.parametrize("k, ref", [(2, results_lca_carcinoma.lca2),
                                    (3, results_lca_carcinoma.lca3)])
def test_lca_carcinoma(k, ref):
    items = list("ABCDEFG")
    df = pd.read_csv(DATA / "carcinoma.csv") - 1
    res = fit_quiet(MixtureModel(lca_spec(items, k), df), starts=(10, 3), gtol=1e-8)
    assert abs(res.llf - ref["loglike"]) < 1e-6
    props = res.class_proportions.to_numpy()
    assert np.allclose(props, [ref["params"][f"prop_c{j + 1}"] for j in range(k)], atol=1e-4)
    for it in items:
        for j in range(k):
            p = expit(res.params[f"{it}~1[c={j + 1}]"])
            assert abs(p - ref["params"][f"{it}_c{j + 1}"]) < 1e-4, (it, j)
    assert res.best_loglike_replicated >= 2
    assert abs(res.aic - ref["aic"]) < 1e-5


def test_sleepstudy_random_slope():
    ref = results_glmm_sleepstudy.ml
    model = sleepstudy_model(integration="gauss-hermite", n_points=5, adaptive=True)
    res = fit_quiet(model, gtol=1e-8)
    assert abs(res.llf - ref["loglike"]) < 1e-4
    p = ref["params"]
    want = [p["Intercept"], p["Days"], p["re_var_Intercept"], p["re_cov_Intercept_Days"],
            p["re_var_Days"], p["resid_var"]]
    assert np.allclose(res.params.to_numpy(), want, rtol=2e-4)
    assert res.model.nobs == 180 and res.model.n_clusters == 18


def test_cbpp_binomial_adaptive_gh():
    ref = results_glmm_cbpp.agq11
    model = cbpp_model(integration="gauss-hermite", n_points=11, adaptive=True)
    res = fit_quiet(model)
    assert abs(res.llf - (-91.98337)) < 1e-3
    assert abs(res.llf - ref["loglike"]) < 1e-4
    var = res.params["Var(1|herd)"]
    assert abs(var - ref["params"][[k for k in ref["params"] if "var" in k.lower()][0]]) < 2e-3


def test_lsat7_2pl():
    ref = results_irt_lsat7.twopl
    model = lsat7_model(integration="gauss-hermite", n_points=61)
    res = fit_quiet(model, gtol=1e-8)
    items = model.spec.outcome_names
    assert abs(res.llf - (-2658.805)) < 1e-3
    slopes = np.abs([res.params[f"{it}~1*theta"] for it in items])
    assert np.allclose(slopes, [ref["params"][f"a{k}"] for k in range(1, 6)], atol=2e-3)
    intercepts = [res.params[f"{it}~1"] for it in items]
    assert np.allclose(intercepts, [ref["params"][f"d{k}"] for k in range(1, 6)], atol=2e-3)


def test_datatoy_multilevel_lca():
    ref = results_mlca_datatoy.twolevel
    df = pd.read_csv(DATA / "datatoy.csv")
    items = [f"Y_{k}" for k in range(1, 11)]
    spec = ModelSpec()
    spec.add_class("d", 2, level="between")
    spec.add_class("c", 3)
    for it in items:
        spec.add_outcome(it, "binary")
        spec.add_term(it, by=["c"])
    spec.add_term("c", by=["d"])
    spec.add_term("d")
    res = fit_quiet(MixtureModel(spec, df, cluster="id_high"), starts=(4, 2), gtol=1e-8)
    assert abs(res.llf - ref["loglike"]) < 1e-4
    props = res.class_proportions
    assert np.allclose(sorted(props[["d=1", "d=2"]]), [1 / 3, 2 / 3], atol=1e-4)


def test_datatoy_single_level_lca():
    ref = results_mlca_datatoy.single
    df = pd.read_csv(DATA / "datatoy.csv")
    items = [f"Y_{k}" for k in range(1, 11)]
    res = fit_quiet(MixtureModel(lca_spec(items, 3), df), starts=(4, 2), gtol=1e-8)
    assert abs(res.llf - ref["loglike"]) < 1e-4
