"""Relabelling classes by moving parameters (estimation.labels.permuted_parameters):
exact where the relabelled model can be written by moving parameters, and the
refit route otherwise."""

import warnings

import numpy as np
import pandas as pd
import pytest

import mixlevel as ml
from mixlevel import Between
from mixlevel.estimation import labels
from tests.peer_models import DATA


def _quiet(model, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return model.fit(canonical=False, **kw)


def _work(model, res):
    return model.table.free_working_from_natural(np.asarray(res.params, float))


@pytest.fixture(scope="module")
def between_within():
    df = pd.read_csv(DATA / "datatoy.csv")
    model = ml.mixture("Y_1 + ... + Y_6 ~ c\nc ~ d + Z_low\nd ~ Z_high", data=df,
                       classes={"d": Between(2), "c": 3}, family="binary", cluster="id_high")
    return model, _quiet(model, starts=(2, 1), seed=3)


@pytest.mark.parametrize("perm", [{"c": [2, 0, 1], "d": [1, 0]}, {"c": [1, 2, 0]}])
def test_moved_parameters_keep_the_likelihood_and_the_classes(between_within, perm):
    model, res = between_within
    eng = model.engine
    work = _work(model, res)
    moved = labels.permuted_parameters(eng, work, perm)
    assert moved is not None
    assert eng.loglike(moved) == pytest.approx(eng.loglike(work), abs=1e-8)
    new = pd.Series(model.table.free_natural_from_working(moved), index=model.param_names)
    pc, pd_ = perm["c"], perm.get("d", [0, 1])
    for k in range(3):  # an item's class-specific intercept moves with its class
        assert new[f"Y_1~1[c={k + 1}]"] == res.params[f"Y_1~1[c={pc[k] + 1}]"]
    # class logits: eta'_k = eta_perm[k] - eta_perm[K] (reference last), the intercepts
    # per between class, the covariate's slope shared
    for term in [f"~1[d={j + 1}]" for j in range(2)] + ["~Z_low"]:
        src = term if "d=" not in term else f"~1[d={pd_[int(term[-2]) - 1] + 1}]"
        old = np.array([res.params[f"c#{k + 1}{src}"] for k in range(2)] + [0.0])
        for k in range(2):
            assert new[f"c#{k + 1}{term}"] == pytest.approx(old[pc[k]] - old[pc[2]], abs=1e-12)
    # the class posteriors are the old ones, relabelled
    a = labels.pattern_posterior(eng, eng.estep(work)).reshape(len(model.design.y), 2, 3)
    b = labels.pattern_posterior(eng, eng.estep(moved)).reshape(len(model.design.y), 2, 3)
    np.testing.assert_allclose(b, a[:, pd_][:, :, pc], atol=1e-10)


def test_moved_parameters_equal_the_refit_route():
    rng = np.random.default_rng(0)
    g = np.repeat(np.arange(60), 10)
    x, z = rng.normal(size=600), rng.random(600) < 0.4
    y = (np.where(z, 1 + 2 * x, -1 - x) + 0.5 * rng.normal(size=60)[g]
         + rng.normal(size=600) * np.where(z, 0.5, 1.0))
    model = ml.mixture("y ~ c * x + (1 | g)", pd.DataFrame({"y": y, "x": x, "g": g}),
                       classes={"c": 2})
    res = _quiet(model, starts=(2, 1))
    eng, work = model.engine, _work(model, res)
    moved = labels.permuted_parameters(eng, work, {"c": [1, 0]})
    orig = labels.permuted_parameters  # force the refit route
    labels.permuted_parameters = lambda *a: None
    try:
        refit = labels.relabel(eng, work, {"c": [1, 0]})
    finally:
        labels.permuted_parameters = orig
    np.testing.assert_allclose(model.table.free_natural_from_working(moved),
                               model.table.free_natural_from_working(refit), atol=1e-5)


def test_random_class_logits_are_moved():
    """A class logit with a random effect: alpha' = -alpha keeps Var (z is symmetric), so
    the classes are relabelled by moving parameters, as the refit route would."""
    rng = np.random.default_rng(1)
    df = pd.DataFrame({k: (rng.random(320) < 0.5).astype(float) for k in ("u1", "u2", "u3")})
    df["g"] = np.repeat(np.arange(40), 8)
    model = ml.mixture("u1 + u2 + u3 ~ c; c ~ 1 + (1 | g)", df, classes={"c": 2},
                       family="binary")
    start = pd.Series(0.3, index=model.param_names)
    start["Var(c#1|g)"] = 1.0
    work = model.table.free_working_from_natural(start.to_numpy())
    moved = labels.permuted_parameters(model.engine, work, {"c": [1, 0]})
    new = pd.Series(model.table.free_natural_from_working(moved), index=model.param_names)
    assert new["c#1~1"] == pytest.approx(-0.3) and new["Var(c#1|g)"] == pytest.approx(1.0)
    assert model.loglike(new.to_numpy()) == pytest.approx(model.loglike(start.to_numpy()),
                                                          abs=1e-9)
