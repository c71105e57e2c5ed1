"""The zero-truncated Poisson family against statsmodels, simulation and recovery.

Its kernel density, tables and numpy oracle are checked with every other family
in test_kernel_oracle.py, test_engine_bruteforce.py (brute-force likelihood and
finite-difference gradients, mpmath tails) and test_tabulate.py.  Here:
statsmodels' ``TruncatedLFPoisson`` (an independent implementation) for a
single-level regression, a two-class mixture of regressions fitted to data drawn
by plain numpy, and mixlevel's own simulation against scipy's distribution.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy import stats
from statsmodels.discrete.truncated_model import TruncatedLFPoisson

import mixlevel as ml


def truncated_poisson_draws(rng, mu):
    """Poisson draws given y >= 1, by redrawing zeros (independent of mixlevel's draw)."""
    y = rng.poisson(mu)
    while (y == 0).any():
        y = np.where(y == 0, rng.poisson(mu), y)
    return y.astype(float)


def quiet_fit(model, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return model.fit(**kw)


def test_regression_matches_statsmodels():
    rng = np.random.default_rng(7)
    n = 500
    x = rng.normal(size=n)
    df = pd.DataFrame({"x": x, "y": truncated_poisson_draws(rng, np.exp(0.2 + 0.6 * x))})
    peer = TruncatedLFPoisson(df["y"], sm.add_constant(df[["x"]]), truncation=0).fit(
        method="newton", maxiter=100, disp=0)
    res = quiet_fit(ml.mixture("y ~ x", df, family="truncated_poisson"), cov_type="ML")
    np.testing.assert_allclose(res.params[["y~1", "y~x"]].to_numpy(), peer.params.to_numpy(),
                               rtol=1e-6, atol=1e-7)
    assert res.llf == pytest.approx(peer.llf, abs=1e-7)  # log y! included by both
    np.testing.assert_allclose(res.bse[["y~1", "y~x"]].to_numpy(), peer.bse.to_numpy(),
                               rtol=1e-4)


def test_two_class_mixture_recovers_parameters():
    rng = np.random.default_rng(21)
    n = 2500
    x = rng.normal(size=n)
    c = (rng.uniform(size=n) < 0.4).astype(int)
    b0, b1 = np.where(c == 1, 1.5, -0.2), np.where(c == 1, 0.3, 0.8)
    df = pd.DataFrame({"x": x, "y": truncated_poisson_draws(rng, np.exp(b0 + b1 * x))})
    res = quiet_fit(ml.mixture("y ~ c * x", df, classes={"c": 2},
                               family="truncated_poisson"), starts=(8, 3))
    p, se = res.params, res.bse
    # the class with the larger intercept is the 40% class of the simulation
    hi = 1 if p["y~1[c=1]"] > p["y~1[c=2]"] else 2
    lo = 3 - hi
    truth = {f"y~1[c={hi}]": 1.5, f"y~x[c={hi}]": 0.3, f"y~1[c={lo}]": -0.2,
             f"y~x[c={lo}]": 0.8, "c#1~1": np.log(0.4 / 0.6) * (1 if hi == 1 else -1)}
    for name, value in truth.items():
        assert abs(p[name] - value) < 4 * se[name], (name, p[name], value, se[name])
    # the class profiles are means (not probabilities): E[y | c] averaged over the rows' x
    prof = res.profiles[res.profiles["outcome"] == "y"].set_index("classes")
    assert set(prof["scale"]) == {"mean"}
    k = np.arange(1, 80)[:, None]
    for c in (1, 2):
        mu = np.exp(p[f"y~1[c={c}]"] + p[f"y~x[c={c}]"] * x)[None]
        mean = (k * stats.poisson.pmf(k, mu)).sum(axis=0) / stats.poisson.sf(0, mu[0])
        assert prof.loc[f"c={c}", "estimate"] == pytest.approx(mean.mean(), rel=1e-8)


def test_simulated_counts_follow_the_model():
    """ml.simulate draws y >= 1 with P(y = k | x) of scipy's Poisson given y >= 1."""
    sim = ml.simulate("y ~ x", {"y~1": 0.1, "y~x": 0.5}, family="truncated_poisson",
                      n_clusters=40_000, cluster_size=1, covariates={"x": "normal"}, seed=3)
    assert sim["y"].min() == 1
    mu = np.exp(0.1 + 0.5 * sim["x"].to_numpy())
    for k in (1, 2, 3, 5):
        want = stats.poisson.pmf(k, mu) / stats.poisson.sf(0, mu)
        got = (sim["y"] == k).to_numpy(float)
        assert abs(got.mean() - want.mean()) < 5 * np.sqrt(want.mean() / len(mu)), k
