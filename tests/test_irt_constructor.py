"""``ml.IRT``: the Rasch, 1PL, 2PL and 3PL constructors against R mirt on LSAT7.

References: tests/results/results_irt_lsat7.py (mirt 1.45.1, EM tightened to
TOL 1e-9, Oakes SEs) and tests/results/results_irt_3pl.py (mirt 3PL).  The
IRT form (a, b = -d / a, g) and its delta-method SEs are compared with mirt's
``coef(IRTpars = TRUE, printSE = TRUE)``.
"""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import mixlevel as ml
from mixlevel.errors import SpecificationError
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
    with pytest.raises(ValueError, match="theta_var"):
        ml.IRT(ITEMS, lsat7, model="2PL").fit().irt.theta_var()
