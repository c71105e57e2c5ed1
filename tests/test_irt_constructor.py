"""``ml.IRT``: the Rasch, 1PL, 2PL and 3PL constructors against R mirt on LSAT7.

References: tests/results/results_irt_lsat7.py (mirt 1.45.1, EM tightened to
TOL 1e-9, Oakes SEs) and tests/results/results_irt_3pl.py (mirt 3PL).  The
IRT form (a, b = -d / a, g) and its delta-method SEs are compared with mirt's
``coef(IRTpars = TRUE, printSE = TRUE)``.
"""

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import integrate
from scipy.special import expit

import mixlevel as ml
from mixlevel.errors import SpecificationError
from tests.results import results_irt_3pl as ref3
from tests.results import results_irt_lsat7 as ref

DATA = Path(__file__).parent / "data"
ITEMS = [f"item{k}" for k in range(1, 6)]


@pytest.fixture(scope="module")
def lsat7():
    return pd.read_csv(DATA / "lsat7.csv")


def _mirt(model, key):
    return np.array([model["params"][f"{key}{k}"] for k in range(1, 6)])


def _mirt_se(model, key):
    return np.array([model["bse"][f"{key}{k}"] for k in range(1, 6)])


def test_2pl_equals_mirt(lsat7):
    want = ref.twopl_mirt
    res = ml.IRT(ITEMS, lsat7, model="2PL").fit()
    assert abs(res.llf - want["loglike"]) < 1e-4
    assert abs(res.bic - want["bic"]) < 1e-3 and res.k_params == want["n_params"]
    tab = res.irt.coef()
    assert list(tab.index) == ITEMS
    assert np.allclose(tab["a"], _mirt(want, "a"), atol=2e-3)
    assert np.allclose(tab["d"], _mirt(want, "d"), atol=2e-3)
    assert np.allclose(tab["b"], want["irt"]["b"], atol=2e-3)
    # observed-information SEs (mirt's Oakes) and delta-method SEs of b
    assert np.allclose(tab["se_a"], _mirt_se(want, "a"), rtol=1e-3)
    assert np.allclose(tab["se_d"], _mirt_se(want, "d"), rtol=1e-3)
    assert np.allclose(tab["se_b"], want["irt_se"]["b"], rtol=1e-3)


def test_1pl_equals_mirt(lsat7):
    want = ref.onepl_mirt
    res = ml.IRT(ITEMS, lsat7, model="1PL").fit()
    assert abs(res.llf - want["loglike"]) < 1e-4
    assert res.k_params == want["n_params"] == 6
    tab = res.irt.coef()
    assert np.allclose(tab["a"], want["params"]["a"], atol=2e-3)
    assert np.allclose(tab["d"], _mirt(want, "d"), atol=2e-3)
    assert np.allclose(tab["b"], want["irt"]["b"], atol=2e-3)
    assert np.allclose(tab["se_a"], want["bse"]["a"], rtol=1e-3)
    assert np.allclose(tab["se_d"], _mirt_se(want, "d"), rtol=1e-3)
    assert np.allclose(tab["se_b"], want["irt_se"]["b"], rtol=1e-3)


def test_rasch_equals_mirt(lsat7):
    want = ref.rasch_var_mirt
    res = ml.IRT(ITEMS, lsat7, model="Rasch").fit()
    assert abs(res.llf - want["loglike"]) < 1e-4
    tab = res.irt.coef()
    assert (tab["a"] == 1).all() and tab["se_a"].isna().all()
    assert np.allclose(tab["d"], _mirt(want, "d"), atol=2e-3)
    assert np.allclose(tab["b"], want["irt"]["b"], atol=2e-3)
    assert np.allclose(tab["se_b"], want["irt_se"]["b"], rtol=1e-3)
    var = res.irt.theta_var()
    assert abs(var["estimate"] - want["params"]["theta_var"]) < 2e-3
    assert abs(var["se"] - want["bse"]["theta_var"]) < 1e-3 * want["bse"]["theta_var"]


def test_patterns_with_weights_equal_raw_rows(lsat7):
    raw = lsat7.copy()
    raw.loc[[0, 500, 999], "item2"] = np.nan      # missing responses are kept (FIML)
    patterns = ml.response_patterns(raw, ITEMS)
    assert len(patterns) < 40
    fits = [ml.IRT(ITEMS, d, model="2PL", **kw).fit()
            for d, kw in ((raw, {}), (patterns, {"weights": "n"}))]
    assert abs(fits[0].llf - fits[1].llf) < 1e-8
    assert np.allclose(fits[0].irt.coef()["b"], fits[1].irt.coef()["b"], atol=1e-6)
    assert abs(fits[0].llf - ref.twopl_mirt["loglike"]) > 1.0   # the NaNs changed the data


def test_slopes_reported_positive(lsat7):
    """theta's direction is not identified: a fit with negative loadings reports a > 0."""
    model = ml.IRT(ITEMS, lsat7, model="2PL")
    start = pd.Series(model.start_params, index=model.param_names)
    start[[n for n in model.param_names if n.startswith("theta=~")]] = -1.0
    res = model.fit(start_params=start.to_numpy())
    assert (res.irt.coef()["a"] > 0).all()
    assert np.allclose(res.irt.coef()["b"], ref.twopl_mirt["irt"]["b"], atol=2e-3)


def test_bad_input_names_the_problem(lsat7):
    with pytest.raises(SpecificationError, match="model='4PL'"):
        ml.IRT(ITEMS, lsat7, model="4PL")
    with pytest.raises(SpecificationError, match="'item9'"):
        ml.IRT(ITEMS + ["item9"], lsat7)
    bad = lsat7.assign(item3=lsat7["item3"] + 1)
    with pytest.raises(SpecificationError, match="'item3'.*0/1"):
        ml.IRT(ITEMS, bad)
    with pytest.raises(SpecificationError, match="weights='w'"):
        ml.IRT(ITEMS, lsat7, weights="w")
    with pytest.raises(SpecificationError, match="named 'n'"):
        ml.IRT(ITEMS[:2] + ["n"], lsat7.assign(n=lsat7["item3"]))
    with pytest.raises(ValueError, match="theta_var"):
        ml.IRT(ITEMS, lsat7, model="2PL").fit().irt.theta_var()


# --- the 3PL (paper section 9, eq. 42-50) ---------------------------------------------------

@pytest.fixture(scope="module")
def fit3(lsat7):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        res = ml.IRT(ITEMS, lsat7, model="3PL").fit()
        tab = res.irt.coef()
    return res, tab, [str(w.message) for w in caught]


def test_3pl_equals_mirt(fit3):
    want = ref3.threepl_mirt
    res, tab, _ = fit3
    assert res.k_params == want["n_params"] and res.nobs == want["nobs"]
    # EM creeps along the flat g direction: mirt stops a little below the maximum
    assert abs(res.llf - want["loglike"]) < 1e-3
    assert res.llf > want["loglike"] - 1e-6
    assert abs(res.llf - ref3.threepl_mirt_default["loglike"]) < 1e-3
    # parameters within a twentieth of their SEs (item 2's slope has SE 1.1)
    for key in ("a", "d"):
        assert np.allclose(tab[key], _mirt(want, key), rtol=0, atol=0.05 * _mirt_se(want, key))
    assert np.allclose(tab["b"], want["irt"]["b"], rtol=0,
                       atol=0.05 * np.array(want["irt_se"]["b"]))
    assert abs(tab.loc["item2", "g"] - want["params"]["g2"]) < 0.05 * want["bse"]["g2"]
    # SEs: mirt's g of items 1, 3-5 sit near (not at) 0 with some information left,
    # which widens its a, d SEs a little (item 3: d 1.4%, b 5.5%)
    for key in ("a", "d"):
        assert np.allclose(tab[f"se_{key}"], _mirt_se(want, key), rtol=0.1)
    assert np.allclose(tab["se_b"], want["irt_se"]["b"], rtol=0.1)
    assert abs(tab.loc["item2", "se_g"] - want["bse"]["g2"]) < 0.05 * want["bse"]["g2"]


def test_3pl_notes_g_at_zero(fit3):
    res, tab, caught = fit3
    edge = ["item1", "item3", "item4", "item5"]
    assert (tab.loc[edge, "g"] < 1e-4).all()
    assert tab.loc[edge, "se_g"].isna().all()
    assert tab.loc[edge, "note"].str.contains("boundary 0").all()
    assert tab.loc["item2", "note"] == "" and tab.loc["item2", "g"] > 0.2
    # the fixed "guess" intercepts (+40) are not reported as complete separation
    assert not [m for m in caught if "separation" in m]


def test_3pl_loglike_equals_quadrature():
    """The 3PL likelihood at fixed parameters: direct integration of eq. 42 per person."""
    data = pd.DataFrame({"u1": [1, 0, 1, 1, 0, 1, 0], "u2": [1, 1, 0, 1, 0, 0, 1],
                         "u3": [0, 1, 1, 1, 0, np.nan, 1]})
    items = list(data.columns)
    a, d, g = np.array([1.3, 0.6, 2.1]), np.array([0.4, -0.8, 1.1]), np.array([0.2, 0.05, 0.35])
    model = ml.IRT(items, data, model="3PL")
    p = pd.Series(0.0, index=model.param_names)
    for j, it in enumerate(items):
        p[f"theta=~{it}[c=2]"], p[f"{it}~1[c=2]"] = a[j], d[j]
        p[f"guess~{it}"] = np.log(g[j] / (1 - g[j]))

    def person(y):
        obs = ~np.isnan(y)

        def h(t):
            prob = g + (1 - g) * expit(a * t + d)
            f = np.where(y == 1, prob, 1 - prob)[obs]
            return np.prod(f) * np.exp(-0.5 * t * t) / np.sqrt(2 * np.pi)

        return np.log(integrate.quad(h, -12, 12, epsabs=0, epsrel=1e-13, limit=200)[0])

    want = sum(person(row) for row in data[items].to_numpy(float))
    assert abs(model.loglike(p.to_numpy()) - want) < 1e-8
