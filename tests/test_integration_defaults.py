"""Integration by default: the rule chosen per model class, and the accuracy check that
every fit which integrates reports."""

import warnings

import numpy as np
import pandas as pd
import pytest

import mixlevel as ml
from mixlevel.errors import EstimationWarning
from mixlevel.estimation.optimize import settle_nodes
from mixlevel.integrate.defaults import IntegrationRule, default_rule, finer_rule
from tests.peer_models import DATA


def glmm_var16(J=200, n=10, seed=16):
    """Logistic random-intercept data with a large variance (16): many clusters have only
    0s or only 1s, whose posteriors are one-sided."""
    rng = np.random.default_rng(seed)
    u = rng.normal(scale=4.0, size=J)
    x = rng.normal(size=J * n)
    g = np.repeat(np.arange(J), n)
    y = (rng.random(J * n) < 1 / (1 + np.exp(-(-1 + 0.5 * x + u[g])))).astype(float)
    return pd.DataFrame({"y": y, "x": x, "g": g})


def loglike_with(model, params, **rule):
    """The model's log-likelihood at ``params`` under another rule (adaptive: re-centred)."""
    eng = model.engine.with_rule(IntegrationRule(**rule))
    w = model._work(np.asarray(params))
    if eng.adaptive:
        settle_nodes(eng, w)
    return eng.loglike(w)


def test_default_glmm_rule_is_accurate_for_a_large_variance():
    df = glmm_var16()
    with warnings.catch_warnings():
        warnings.simplefilter("error", EstimationWarning)  # no integration warning
        res = ml.mixture("y ~ x + (1 | g)", data=df, family="binary").fit(cov_type="ML")
    rule = res.model.engine.rule
    assert (rule.kind, rule.n_points, rule.adaptive, rule.default) == (
        "gauss-hermite", 25, True, True)
    ref = loglike_with(res.model, res.params, kind="gauss-hermite", n_points=100,
                       adaptive=True, n_points_within=1)
    assert abs(res.llf - ref) < 0.01
    var, se = res.params["Var(1|g)"], res.bse["Var(1|g)"]
    assert abs(var - 16.0) < 2 * se
    check = res.integration_check
    assert check.n_points == 49 and abs(check.difference) < 0.01 and check.shift < 0.1
    assert abs(res.integration_error - (check.loglike - res.llf)) < 1e-12
    assert "Integration check:" in res.summary().as_text()


def test_the_check_flags_a_coarse_rule_and_says_what_to_change():
    df = glmm_var16()
    model = ml.mixture("y ~ x + (1 | g)", data=df, family="binary",
                       integration="gauss-hermite", n_points=5)
    with pytest.warns(EstimationWarning, match=r"n_points=9"):
        res = model.fit()
    assert not res.integration_check.ok
    assert abs(res.integration_error) > 1.0  # 5 fixed nodes for a variance of 16
    ref = loglike_with(model, res.params, kind="gauss-hermite", n_points=100, adaptive=True,
                       n_points_within=1)
    assert abs(res.integration_check.loglike - ref) < abs(res.llf - ref)
    assert "WARNING: numerical integration may be inaccurate" in res.summary().as_text()


def test_default_rules_by_model_class():
    lca = ml.mixture("A + B + C ~ c", data=pd.read_csv(DATA / "carcinoma.csv") - 1,
                     classes={"c": 2}, family="binary")
    assert lca.engine.rule.kind == "none"
    items = [f"item{k}" for k in range(1, 6)]
    irt = ml.mixture("f =~ " + " + ".join(items) + "\n" + " + ".join(items) + " ~ 1",
                     data=pd.read_csv(DATA / "lsat7.csv"), family="binary")
    rule = irt.engine.rule
    assert (rule.kind, rule.n_points, rule.adaptive) == ("gauss-hermite", 61, False)
    assert irt.engine.fast  # shared nodes: tabulated products
    gom = default_rule(1, 0, random_logits=True)
    assert (gom.kind, gom.n_points, gom.adaptive) == ("logit-window", 10, True)
    gom3 = default_rule(2, 0, random_logits=True)  # unrestricted 3-class GoM
    assert (gom3.kind, gom3.n_points, gom3.adaptive) == ("quasi-monte-carlo", 1000, False)
    assert default_rule(2, 0).n_points == 11 and default_rule(3, 0).n_points == 7
    assert default_rule(5, 0).kind == "quasi-monte-carlo" and default_rule(5, 0).adaptive


def test_explicit_options_keep_their_meaning():
    df = glmm_var16(J=20)
    eng = ml.mixture("y ~ x + (1 | g)", data=df, family="binary",
                     integration="trapezoid").engine
    assert (eng.rule.kind, eng.rule.n_points, eng.adaptive) == ("trapezoid", 15, False)
    eng = ml.mixture("y ~ x + (1 | g)", data=df, family="binary", n_points=9).engine
    assert (eng.rule.kind, eng.rule.n_points, eng.adaptive) == ("gauss-hermite", 9, True)
    with pytest.raises(ml.SpecificationError, match="integration='simpson'"):
        ml.mixture("y ~ x + (1 | g)", data=df, family="binary", integration="simpson")


def test_finer_rules():
    agq = IntegrationRule("gauss-hermite", 25, True, 15)
    assert finer_rule(agq, 1, 0).n_points == 49
    assert finer_rule(IntegrationRule("gauss-hermite", 7, True, 15), 3, 0).n_points == 13
    assert finer_rule(IntegrationRule("quasi-monte-carlo", 1000, False, 15), 1, 0).n_points \
        == 4000
    big = finer_rule(IntegrationRule("gauss-hermite", 11, True, 15), 4, 0)
    assert big.n_points ** 4 <= 50_000 and big.n_points > 11
