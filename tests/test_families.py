"""Outcome families: category order, encoding of new data, means and draws.

The category order of an ordinal outcome decides the sign of its slopes, so it
must come from the data (an ordered ``pd.Categorical``, numeric codes) or from
the user (``Ordinal(levels=...)``), never from sorting text.  Fits are checked
against statsmodels' ``OrderedModel`` (an independent implementation) and
against the same data coded numerically; the family means against the average
of many draws, and the draws against scipy's distributions.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from scipy import special, stats
from statsmodels.miscmodels.ordinal_model import OrderedModel

import mixlevel as ml
from mixlevel.errors import SpecificationError
from mixlevel.families import (
    Binary,
    Binomial,
    Nominal,
    Normal,
    Ordinal,
    Poisson,
    ZeroTruncatedPoisson,
    get_family,
)

LEVELS = ["low", "mid", "high"]  # alphabetical order: high < low < mid


def ordinal_data(n=400, seed=1, slope=1.2):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=n)
    z = slope * x + rng.logistic(size=n)
    k = (z > -0.5).astype(int) + (z > 1.0).astype(int)
    return pd.DataFrame({"x": x, "k": k, "text": np.array(LEVELS)[k],
                         "y": pd.Categorical(np.array(LEVELS)[k], categories=LEVELS,
                                             ordered=True)})


def quiet_fit(model, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return model.fit(**kw)


# ---------------------------------------------------------------------------------------
# category order
# ---------------------------------------------------------------------------------------
def test_ordered_categorical_keeps_its_order_in_formulas_and_specs():
    """An ordered categorical with non-alphabetical categories gives the fit of its
    numeric codes (slope > 0), through ml.mixture and through a hand-built spec, and
    statsmodels' OrderedModel agrees."""
    df = ordinal_data()
    by_codes = quiet_fit(ml.mixture("k ~ x", df, family="ordinal"))
    by_cat = quiet_fit(ml.mixture("y ~ x", df, family="ordinal"))
    spec = ml.ModelSpec()
    spec.add_outcome("y", "ordinal")
    spec.add_term("y", "x")
    by_spec = quiet_fit(ml.MixtureModel(spec, df))
    assert by_cat.params["y~x"] > 0.8
    for res in (by_cat, by_spec):
        np.testing.assert_allclose(res.params.to_numpy(), by_codes.params.to_numpy(),
                                   rtol=1e-6, atol=1e-8)
        assert res.llf == pytest.approx(by_codes.llf, abs=1e-8)
    peer = OrderedModel(df["y"], df[["x"]], distr="logit").fit(method="bfgs", disp=False,
                                                              gtol=1e-10)
    t1, log_step = peer.params["low/mid"], peer.params["mid/high"]
    np.testing.assert_allclose(by_cat.params[["y~x", "y|t1", "y|t2"]].to_numpy(),
                               [peer.params["x"], t1, t1 + np.exp(log_step)], atol=2e-4)
    assert by_cat.llf == pytest.approx(peer.llf, abs=1e-6)
    # the expected category probabilities are labelled in the categorical's order
    pred = by_cat.predict(pd.DataFrame({"x": [0.0]}))
    assert list(pred.columns) == ["y[low]", "y[mid]", "y[high]"]


def test_text_ordinal_needs_an_order():
    df = ordinal_data()
    with pytest.raises(SpecificationError) as err:
        ml.mixture("text ~ x", df, family="ordinal")
    msg = str(err.value)
    assert "'text'" in msg and "ordered=True" in msg and "Ordinal(levels=" in msg
    spec = ml.ModelSpec()
    spec.add_outcome("text", "ordinal")
    spec.add_term("text", "x")
    with pytest.raises(SpecificationError, match="'text'.*ordered=True"):
        ml.MixtureModel(spec, df)
    # an unordered categorical of text is no order either
    with pytest.raises(SpecificationError, match="ordered=True"):
        Ordinal().encode(pd.Categorical(df["text"]), "text")


def test_ordinal_levels_argument_orders_text():
    df = ordinal_data()
    by_levels = quiet_fit(ml.mixture("text ~ x", df, family={"text": Ordinal(levels=LEVELS)}))
    by_codes = quiet_fit(ml.mixture("k ~ x", df, family="ordinal"))
    np.testing.assert_allclose(by_levels.params.to_numpy(), by_codes.params.to_numpy(),
                               rtol=1e-6, atol=1e-8)
    with pytest.raises(SpecificationError, match="'text' has the value 'mid'"):
        Ordinal(levels=["low", "high"]).encode(df["text"], "text")
    with pytest.raises(SpecificationError, match="distinct"):
        Ordinal(levels=["a", "a"])


def test_numeric_codes_are_ordered_numerically():
    for values in ([10, 2, 1, 2, 10], ["10", "2", "1", "2", "10"],
                   pd.Categorical([10, 2, 1, 2, 10], categories=[10, 1, 2])):
        codes, levels = Ordinal().encode(values, "y")
        np.testing.assert_array_equal(codes, [2, 1, 0, 1, 2])
        np.testing.assert_array_equal(levels, [1.0, 2.0, 10.0])


def test_nominal_keeps_the_category_order_of_a_categorical():
    """The last category of the categorical is the reference: intercept-only logits are
    log(p_k / p_ref) of the sample proportions (the closed-form maximum)."""
    rng = np.random.default_rng(3)
    cats = ["c", "a", "b"]
    y = rng.choice(cats, size=600, p=[0.5, 0.3, 0.2])
    df = pd.DataFrame({"y": pd.Categorical(y, categories=cats)})
    codes, levels = Nominal().encode(df["y"], "y")
    assert list(levels) == cats
    res = quiet_fit(ml.mixture("y ~ 1", df, family="nominal"))
    p = pd.Series(y).value_counts(normalize=True)
    np.testing.assert_allclose([res.params["y#1~1"], res.params["y#2~1"]],
                               [np.log(p["c"] / p["b"]), np.log(p["a"] / p["b"])], atol=1e-5)
    # plain text: sorted, the last ("c") the reference
    assert list(Nominal().encode(y, "y")[1]) == ["a", "b", "c"]


def test_missing_values_and_unused_categories():
    values = pd.Categorical(["b", None, "d", "b"], categories=["d", "c", "b"], ordered=True)
    with pytest.warns(UserWarning, match=r"categories 'c' do not occur"):
        codes, levels = Ordinal().encode(values, "y")
    np.testing.assert_array_equal(codes, [1, np.nan, 0, 1])
    assert list(levels) == ["d", "b"]
    with pytest.raises(SpecificationError, match="fewer than two"):
        Nominal().encode(["a", None, "a"], "y")


def test_unseen_category_in_new_data_is_an_error():
    df = ordinal_data()
    rng = np.random.default_rng(5)
    df["u"] = (rng.uniform(size=len(df)) < 0.5).astype(float)
    res = quiet_fit(ml.mixture("y + u ~ c", df, classes={"c": 2}, family={"y": "ordinal",
                                                                           "u": "binary"}),
                    starts=(4, 2))
    new = pd.DataFrame({"y": ["mid", "huge"], "u": [1.0, 0.0]})
    with pytest.raises(SpecificationError, match="'y' has the category 'huge'"):
        res.predict(new, which="prob", conditional=True)
    probs = res.predict(new.iloc[:1], which="prob", conditional=True)
    assert np.isfinite(probs.to_numpy()).all()
    # known categories (text, or the categorical itself) are accepted
    ok = Ordinal().encode_like(pd.Categorical(["high", "low"]), np.array(LEVELS, object), "y")
    np.testing.assert_array_equal(ok, [2, 0])


def test_simulated_categories_keep_the_order():
    """A parametric bootstrap of an ordered categorical outcome is an ordered categorical
    with the fitted categories, so refitting it keeps the order."""
    df = ordinal_data(n=300)
    res = quiet_fit(ml.mixture("y ~ x", df, family="ordinal"))
    sim = ml.simulate(res, seed=2)
    assert isinstance(sim["y"].dtype, pd.CategoricalDtype) and sim["y"].cat.ordered
    assert list(sim["y"].cat.categories) == LEVELS
    refit = quiet_fit(ml.mixture("y ~ x", sim, family="ordinal"))
    assert refit.params["y~x"] > 0.5


# ---------------------------------------------------------------------------------------
# means and draws
# ---------------------------------------------------------------------------------------
FAMILY_POINTS = [
    # family, eta (channels), family parameters as the kernel holds them, trials
    (Normal(), [0.7], [np.log(2.0)], 1),
    (Binary(), [0.4], [], 1),
    (Binary("probit"), [-0.3], [], 1),
    (Binomial(), [0.2], [], 5),
    (Binomial("probit"), [0.5], [], 4),
    (Poisson(), [1.1], [], 1),
    (ZeroTruncatedPoisson(), [-0.5], [], 1),
    (ZeroTruncatedPoisson(), [1.5], [], 1),
    (Ordinal(), [0.3], [-0.5, 0.4, 1.2], 1),
    (Ordinal("probit"), [-0.2], [-0.8, 0.6], 1),
    (Nominal(), [0.5, -0.3, 0.2], [], 1),
]


@pytest.mark.parametrize("family,eta,fp,trials", FAMILY_POINTS,
                         ids=[f"{f!r} {e}" for f, e, _, _ in FAMILY_POINTS])
def test_mean_is_the_average_of_draws(family, eta, fp, trials):
    n = 200_000
    rng = np.random.default_rng(11)
    draws = family.draw(rng, np.tile(eta, (n, 1)), np.tile(fp, (n, 1)), np.full(n, trials))
    mean = family.mean(np.array(eta)[None], np.array(fp)[None])[0]
    if family.categorical:
        k = np.bincount(draws.astype(int), minlength=len(mean))
        got, se = k / n, np.sqrt(mean * (1 - mean) / n)
    else:
        mean = mean * (trials if family.needs_trials else 1)  # binomial: P(success)
        got, se = np.array([draws.mean()]), draws.std() / np.sqrt(n)
    assert np.all(np.abs(got - mean) < 5 * se + 1e-12), (got, mean)


def test_truncated_poisson_draws_follow_scipy():
    mu = 0.8
    y = ZeroTruncatedPoisson().draw(np.random.default_rng(4), np.full((100_000, 1), np.log(mu)),
                                    np.zeros((100_000, 0)), np.ones(100_000))
    assert y.min() == 1
    k = np.arange(1, 8)
    want = stats.poisson.pmf(k, mu) / stats.poisson.sf(0, mu)
    got = np.array([(y == v).mean() for v in k])
    assert np.all(np.abs(got - want) < 5 * np.sqrt(want * (1 - want) / len(y)) + 1e-4)
    assert ZeroTruncatedPoisson().mean(np.array([[np.log(mu)]]), None)[0, 0] == \
        pytest.approx((k * want).sum() + sum(v * stats.poisson.pmf(v, mu) for v in
                                              range(8, 40)) / stats.poisson.sf(0, mu))


def test_family_names_and_errors():
    assert get_family("truncated_poisson") == ZeroTruncatedPoisson()
    assert get_family("probit") == Binary("probit") != Binary()
    assert Ordinal(levels=["a", "b"]) != Ordinal()
    with pytest.raises(SpecificationError, match="at least 1 whole counts; found 0"):
        ZeroTruncatedPoisson().encode([1, 0, 3], "stay")
    with pytest.raises(SpecificationError, match="family='poisson'"):
        ZeroTruncatedPoisson().encode([1, 0, 3], "stay")
    with pytest.raises(SpecificationError, match="'c' must hold non-negative whole"):
        Poisson().encode([1, 2.5], "c")
    assert special.logit(0.3) == pytest.approx(Binary().link_function(0.3))
