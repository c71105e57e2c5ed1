"""The Monte Carlo runner: seeding, parallel equality, summaries, failures, bootstrap."""

import warnings

import numpy as np
import pandas as pd
import pytest

from mixlevel.api import mixture
from mixlevel.errors import EstimationWarning
from mixlevel.simulation.montecarlo import Analysis, MonteCarloResults, montecarlo, summarise
from mixlevel.simulation.simulate import Covariate, Population

MIX = {"y~1[c=1]": 2.0, "y~1[c=2]": -1.0, "y~x": 0.5, "c#1~1": 0.4, "Var(y)": 1.0}


@pytest.fixture(scope="module")
def pop():
    return Population("y ~ c + x", MIX, classes={"c": 2}, n_clusters=150, cluster_size=1,
                      covariates={"x": "normal"})


@pytest.fixture(scope="module")
def study(pop):
    return montecarlo(pop, n_reps=6, seed=5, fit_kw={"em_iter": 3})


def test_table_columns_and_values(study):
    assert isinstance(study, MonteCarloResults)
    t = study.table
    assert list(t.columns) == ["true", "mean", "sd", "mean_se", "bias", "mse", "coverage",
                               "significant", "n"]
    assert list(t.index) == list(MIX)
    assert (t["n"] == 6).all() and study.converged == 1.0 and study.n_failed == 0
    e, s = study.estimates["y~x"], study.bse["y~x"]
    assert t.loc["y~x", "mean"] == pytest.approx(e.mean())
    assert t.loc["y~x", "sd"] == pytest.approx(e.std(ddof=1))
    assert t.loc["y~x", "mean_se"] == pytest.approx(s.mean())
    assert t.loc["y~x", "mse"] == pytest.approx(((e - 0.5) ** 2).mean())
    assert t.loc["y~x", "coverage"] == pytest.approx((abs(e - 0.5) <= 1.959964 * s).mean())
    # the estimates recover the truth on average
    assert (abs(t["bias"]) < 3 * t["sd"] / np.sqrt(6) + 0.05).all()
    text = study.summary()
    assert "6 replications" in text and "coverage" in text


def test_summarise_by_hand():
    est = pd.DataFrame({"a": [1.0, 2.0, 3.0, np.nan]})
    se = pd.DataFrame({"a": [1.0, 1.0, 1.0, np.nan]})
    t = summarise(est, se, {"a": 2.0}, np.array([True, True, True, True]))
    row = t.loc["a"]
    assert row["mean"] == 2 and row["sd"] == 1 and row["mse"] == pytest.approx(2 / 3)
    assert row["coverage"] == 1 and row["significant"] == pytest.approx(2 / 3)
    assert row["n"] == 3


def test_replications_are_reproducible_and_independent_of_jobs(pop, study):
    again = montecarlo(pop, n_reps=3, seed=5, fit_kw={"em_iter": 3}, n_jobs=2)
    pd.testing.assert_frame_equal(again.estimates, study.estimates.iloc[:3], rtol=1e-7)
    # functions named in a formula reach the workers (here numpy as np)
    logpop = Population("y ~ np.log(x)", {"y~1": 1.0, "y~np.log(x)": 2.0, "Var(y)": 1.0},
                        n_clusters=50, cluster_size=1,
                        covariates={"x": Covariate("uniform", low=1, high=3)})
    assert logpop.context == {"np": np}
    ok = montecarlo(logpop, n_reps=2, seed=1, n_jobs=2)
    assert ok.replications["status"].eq("ok").all(), ok.replications["error"].tolist()
    # the data of one replication can be drawn again and refitted alone
    data = study.data(4)
    model = mixture("y ~ c + x", data, classes={"c": 2})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", EstimationWarning)
        res = model.fit(start_params=np.array([MIX[n] for n in model.param_names]),
                        canonical=False, em_iter=3)
    np.testing.assert_allclose(res.params, study.estimates.loc[4], rtol=1e-6)


def test_failed_replications_are_recorded_not_fatal():
    def generate(rng):
        x = rng.normal(size=80)
        y = 1.0 + 0.5 * x + rng.normal(size=80)
        if rng.uniform() < 0.4:
            y[3] = np.inf  # the model refuses infinite outcomes
        return pd.DataFrame({"y": y, "x": x})

    mc = montecarlo(generate, n_reps=8, analysis="y ~ x",
                    truth={"y~1": 1.0, "y~x": 0.5, "Var(y)": 1.0}, seed=3)
    reps = mc.replications
    failed = reps["status"] == "failed"
    assert 0 < failed.sum() < 8
    assert reps.loc[failed, "error"].str.contains("infinite").all()
    assert mc.converged == pytest.approx(1 - failed.mean())
    assert (mc.table["n"] == (~failed).sum()).all()
    assert mc.estimates.loc[failed].isna().all().all()


def test_analysis_model_differs_from_truth_and_extract():
    pop = Population("y ~ x", {"y~1": 0.0, "y~x": 1.0, "Var(y)": 1.0}, n_clusters=60,
                     cluster_size=1, covariates={"x": "normal", "w": "normal"})
    mc = montecarlo(pop, n_reps=4, analysis="y ~ x + w", seed=1,
                    extract=lambda res: res.llf)
    assert np.isnan(mc.table.loc["y~w", "true"]) and np.isnan(mc.table.loc["y~w", "mse"])
    assert mc.table.loc["y~w", "n"] == 4
    assert mc.extra == pytest.approx(list(mc.replications["llf"]))
    mc2 = montecarlo(pop, n_reps=4, analysis="y ~ x + w", seed=1,
                     truth={"y~1": 0.0, "y~x": 1.0, "y~w": 0.0, "Var(y)": 1.0})
    assert mc2.table.loc["y~w", "coverage"] >= 0.5
    built = Analysis("y ~ x").build(pop.simulate(1))
    assert built.param_names == ["y~1", "y~x", "Var(y)"]


def test_parametric_bootstrap_and_random_starts(pop):
    data = pop.simulate(seed=9)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", EstimationWarning)
        res = mixture("y ~ c + x", data, classes={"c": 2}).fit(starts=(4, 2))
    boot = montecarlo(res, n_reps=3, seed=2, fit_kw={"em_iter": 3})
    assert boot.table["true"].to_dict() == pytest.approx(dict(res.params))
    assert boot.converged == 1.0
    mc = montecarlo(pop, n_reps=2, seed=4, starts=(3, 1), fit_kw={"em_iter": 3})
    assert mc.replications["status"].eq("ok").all()
    assert mc.replications["aligned"].dtype == bool
