"""``ml.IRT(..., classes=K)``: the mixture 2PL against R mirt and brute-force integration.

Reference: tests/results/results_irt_mixture.py (mirt 1.45.1,
``multipleGroup(d, 1, dentype = "mixture-2")`` -- class-specific a and d,
theta ~ N(0, 1) in each class, one mixing logit -- with an own 201-point
Gauss-Hermite LL at mirt's estimates) on tests/data/sim_mix2pl.csv.
"""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import integrate
from scipy.special import expit, log_expit, logit, logsumexp

import mixlevel as ml
from mixlevel.errors import SpecificationError
from tests.results import results_irt_mixture as ref

DATA = Path(__file__).parent / "data"
ITEMS = [f"i{j:02d}" for j in range(1, 11)]


@pytest.fixture(scope="module")
def sim():
    return pd.read_csv(DATA / "sim_mix2pl.csv")


@pytest.fixture(scope="module")
def fitted(sim):
    return ml.IRT(ITEMS, sim, classes=2).fit()


def _mirt_params(model):
    """mirt's estimates as mixlevel's parameter Series (classes by decreasing size)."""
    p = ref.mix2pl_sim["params"]
    out = {}
    for j, it in enumerate(ITEMS, 1):
        for k in (1, 2):
            out[f"{it}~1[c={k}]"] = p[f"d{j}_c{k}"]
            out[f"theta=~{it}[c={k}]"] = p[f"a{j}_c{k}"]
    out["c#1~1"] = logit(p["prop_c1"])
    return pd.Series(out)[model.param_names]


def test_mixture_2pl_equals_mirt(fitted):
    want = ref.mix2pl_sim
    res = fitted
    assert res.k_params == want["n_params"] == 41
    # mirt integrates on 61 equally spaced points, we by Gauss-Hermite: ~1e-6 apart here
    assert abs(res.llf - want["loglike"]) < 2e-5
    assert res.class_proportions.iloc[0] == pytest.approx(want["params"]["prop_c1"], abs=1e-3)
    tab = res.irt.coef()
    for k in (1, 2):
        a = [want["params"][f"a{j}_c{k}"] for j in range(1, 11)]
        d = [want["params"][f"d{j}_c{k}"] for j in range(1, 11)]
        se_a = [want["bse"][f"a{j}_c{k}"] for j in range(1, 11)]
        assert np.allclose(tab.loc[k, "a"], a, atol=5e-3)
        assert np.allclose(tab.loc[k, "d"], d, atol=5e-3)
        # mirt's Oakes SEs of the mixture are below the inverse observed information
        # (see test_standard_errors_are_the_observed_information) by up to 20%
        assert np.all(tab.loc[k, "se_a"] >= np.array(se_a) * 0.999)
        assert np.allclose(tab.loc[k, "se_a"], se_a, rtol=0.1)


def test_standard_errors_are_the_observed_information(fitted):
    # central differences of the analytic score at the MLE, inverted: the ML SEs
    model, x = fitted.model, fitted.params.to_numpy()
    h = 1e-4
    H = np.array([(model.score(x + h * e) - model.score(x - h * e)) / (2 * h)
                  for e in np.eye(len(x))])
    se = np.sqrt(np.diag(np.linalg.inv(-(H + H.T) / 2)))
    assert np.allclose(fitted.bse.to_numpy(), se, rtol=1e-4)


def test_loglike_at_mirt_estimates_equals_own_quadrature(sim):
    model = ml.IRT(ITEMS, sim, classes=2, integration="gauss-hermite", n_points=201)
    ll = model.loglike(_mirt_params(model).to_numpy())
    assert ll == pytest.approx(ref.mix2pl_sim["loglike_own_at_estimates"], abs=1e-8)


def test_mixture_recovers_the_generating_classes(fitted, sim):
    # the true class (cls; class 2 = 40%) against the modal class: the larger class is cls 1
    modal = fitted.modal_class()
    labels = np.asarray(modal).ravel()
    counts = pd.Series(fitted.model.person_pattern.map(dict(enumerate(labels))).to_numpy())
    agree = np.mean((counts.to_numpy() == 1) == (sim["cls"].to_numpy() == 1))
    assert agree > 0.75


def _brute_force_ll(Y, a, d, pis):
    total = 0.0
    for y in Y:
        like = 0.0
        for k in range(len(pis)):
            def f(t, k=k, y=y):
                p = expit(a[k] * t + d[k])
                return np.prod(np.where(y == 1, p, 1 - p)) * np.exp(-t * t / 2) / np.sqrt(2 * np.pi)
            like += pis[k] * integrate.quad(f, -12, 12, epsabs=1e-14, epsrel=1e-12)[0]
        total += np.log(like)
    return total


def test_loglike_equals_brute_force_integration():
    Y = np.array([[1, 0, 1], [0, 0, 1], [1, 1, 1], [0, 1, 0], [1, 1, 0], [0, 0, 0]])
    data = pd.DataFrame(Y, columns=["u1", "u2", "u3"]).assign(n=3.0)   # each row 3 times
    model = ml.IRT(["u1", "u2", "u3"], data, classes=2, weights="n",
                   integration="gauss-hermite", n_points=61)
    a = np.array([[1.3, 0.7, 2.0], [0.4, 1.8, 0.9]])
    d = np.array([[0.5, -1.0, 0.2], [-0.3, 1.1, -2.0]])
    pis = np.array([0.65, 0.35])
    p = {}
    for j, it in enumerate(["u1", "u2", "u3"]):
        for k in (1, 2):
            p[f"{it}~1[c={k}]"] = d[k - 1, j]
            p[f"theta=~{it}[c={k}]"] = a[k - 1, j]
    p["c#1~1"] = logit(pis[0])
    ll = model.loglike(pd.Series(p)[model.param_names].to_numpy())
    assert ll == pytest.approx(3 * _brute_force_ll(Y, a, d, pis), abs=1e-8)


def test_score_equals_finite_differences():
    rng = np.random.default_rng(2)
    data = pd.DataFrame((rng.random((80, 4)) < 0.5).astype(int), columns=["a", "b", "e", "d"])
    model = ml.IRT(["a", "b", "e", "d"], data, classes=2)
    x = rng.uniform(0.3, 1.2, len(model.param_names))
    h = 1e-5
    fd = np.array([(model.loglike(x + h * e) - model.loglike(x - h * e)) / (2 * h)
                   for e in np.eye(len(x))])
    assert np.allclose(model.score(x), fd, atol=1e-6)


def test_classes_refused_where_no_mixture_version(sim):
    with pytest.raises(SpecificationError, match="model='2PL'"):
        ml.IRT(ITEMS, sim, model="3PL", classes=2)
    with pytest.raises(SpecificationError, match="whole number"):
        ml.IRT(ITEMS, sim, classes=0)
    with pytest.raises(SpecificationError, match="rename"):
        ml.IRT(["c", "i01"], sim.rename(columns={"i02": "c"}), classes=2)
    one = ml.IRT(ITEMS[:3], sim, classes=1)
    assert one.param_names == ml.IRT(ITEMS[:3], sim).param_names


def test_summary_of_a_factor_model_without_variance_components(fitted):
    # binary items with a factor have no SDs to show; summary() used to raise ValueError
    text = str(fitted.summary())
    assert "Outcome equations: class c=2" in text and "theta=~i01" in text


def test_lsat7_mixture_warns_and_beats_mirt_on_the_exact_likelihood():
    # 5 items, 21 parameters: slopes of class 2 run toward infinity, the quadrature can no
    # longer integrate the step they make: the fit must say so
    lsat7 = pd.read_csv(DATA / "lsat7.csv")
    items = list(lsat7.columns)
    with pytest.warns(ml.EstimationWarning, match="slopes ran toward infinity"):
        res = ml.IRT(items, lsat7, classes=2).fit()
    # own 201-point Gauss-Hermite LL at our estimates against the same at mirt's
    # (mirt stopped at 20000 EM cycles without converging)
    Y = lsat7.to_numpy(float)
    x, w = np.polynomial.hermite_e.hermegauss(201)
    per = []
    for k in (1, 2):
        a = np.array([res.params[f"theta=~{it}[c={k}]"] for it in items])
        d = np.array([res.params[f"{it}~1[c={k}]"] for it in items])
        eta = np.outer(x, a) + d
        ll_k = logsumexp(Y @ log_expit(eta).T + (1 - Y) @ log_expit(-eta).T
                         + np.log(w / w.sum()), axis=1)
        per.append(ll_k + np.log(res.class_proportions.iloc[k - 1]))
    ours = logsumexp(np.column_stack(per), axis=1).sum()
    assert ours > ref.mix2pl_lsat7["loglike_own_at_estimates"] + 0.5
