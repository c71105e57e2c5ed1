"""Bad input ends in the right answer or a mixlevel error/warning that names the culprit.

One test (or a few) per item of the bad-input list (docs/estimation.rst, "What mixlevel
refuses, and why"): rows without outcomes, numbers with stray text, outcomes without
variation, outcomes on their own right-hand side and single-indicator factors,
integration and fit options, units of the data, duplicated columns, identical
classes, and what is degenerate when the information matrix is singular.
"""

import re
import warnings

import numpy as np
import pandas as pd
import pytest

from mixlevel import MixtureModel, ModelSpec
from mixlevel.api import mixture, response_patterns
from mixlevel.errors import ConvergenceWarning, EstimationWarning, SpecificationError
from mixlevel.estimation import diagnostics
from mixlevel.families import Binary


def _quiet_fit(model, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return model.fit(**kw)


@pytest.fixture(scope="module")
def two_level():
    """40 clusters of 5 rows: a random intercept, a covariate, a count and a binary item."""
    rng = np.random.default_rng(1)
    n, J = 200, 40
    df = pd.DataFrame({"x": rng.normal(size=n), "g": np.repeat(np.arange(J), 5)})
    b = rng.normal(size=J)[df["g"]]
    df["y"] = 1 + 0.5 * df["x"] + b + rng.normal(size=n)
    df["y2"] = df["y"] + rng.normal(size=n)
    df["u"] = (rng.random(n) < 1 / (1 + np.exp(-df["y"]))).astype(float)
    df["cnt"] = rng.poisson(np.exp(0.3 + 0.4 * df["x"] + 0.5 * b))
    df["k"] = rng.binomial(3, 0.4, n).astype(float)
    df["nt"] = 3.0
    return df


# -- 1. rows whose outcomes are all missing ------------------------------------------------
def test_rows_without_outcomes_are_dropped_and_do_not_count(two_level):
    df = two_level.copy()
    gone = df.index[(df["g"] == 3) | (df.index.isin([0, 1]))]  # cluster 3 loses every row
    df.loc[gone, ["y", "y2"]] = np.nan
    df.loc[[10, 11], "y"] = np.nan  # one outcome missing: the rows stay (FIML)
    with pytest.warns(UserWarning, match=r"7 of 200 rows dropped: every outcome is missing"
                      r".*1 cluster\(s\) of 'g' have no rows left"):
        model = mixture("y + y2 ~ x + (1 | g)", df)
    kept = df.drop(index=gone)
    reference = mixture("y + y2 ~ x + (1 | g)", kept)
    assert model.nobs == 193 and reference.nobs == 193
    assert model.n_clusters == 39
    p = reference.start_params
    assert model.loglike(p) == pytest.approx(reference.loglike(p), rel=1e-12)
    res = _quiet_fit(model)
    k = len(res.params)
    assert res.bic == pytest.approx(-2 * res.llf + k * np.log(193), rel=1e-12)


def test_rows_without_outcomes_with_frequency_weights():
    rng = np.random.default_rng(5)
    n = 60
    df = pd.DataFrame({f"u{k}": (rng.random(n) < 0.3 + 0.1 * k).astype(float)
                       for k in range(1, 4)})
    df["w"] = rng.integers(1, 4, n).astype(float)
    df.loc[:4, ["u1", "u2", "u3"]] = np.nan
    spec = ModelSpec()
    for u in ("u1", "u2", "u3"):
        spec.add_outcome(u, Binary())
        spec.add_term(u)
    with pytest.warns(UserWarning, match=r"5 of 60 rows dropped: every outcome is missing "
                      rf"\(frequency weight {df['w'][:5].sum():g}\)"):
        model = MixtureModel(spec, df, weights="w")
    assert model.nobs == df["w"][5:].sum()


# -- 2. numbers with a stray string ----------------------------------------------------------
def test_numeric_covariate_with_stray_text_is_refused(two_level):
    df = two_level.copy()
    df["x"] = df["x"].astype(object)
    df.loc[3, "x"] = "n/a"
    df.loc[8, "x"] = "12,5"
    with pytest.raises(SpecificationError, match=r"'x'.*2 text value\(s\): 'n/a', '12,5'"):
        mixture("y ~ x", df)
    spec = ModelSpec()
    spec.add_outcome("y")
    spec.add_term("y", "x")
    with pytest.raises(SpecificationError, match=r"covariate column 'x'.*'n/a'"):
        MixtureModel(spec, df)
    # text categories, and codes inside C(), are meant as categories and stay so
    df["grp"] = np.where(df["g"] % 2 == 0, "a", "b")
    assert mixture("y ~ grp", df).nparams == 3
    df["code"] = np.where(df["g"] % 2 == 0, "1", "2")
    df.loc[5, "code"] = "n/a"
    assert mixture("y ~ C(code)", df).nparams == 4
    with pytest.raises(SpecificationError, match=r"'code'.*'n/a'"):
        mixture("y ~ code", df)


# -- 3. outcomes with nothing to fit -----------------------------------------------------------
@pytest.mark.parametrize("change, formula, kw, pattern", [
    ({"y": 2.0}, "y ~ x", {}, r"normal outcome 'y' is constant"),
    ({"u": 1.0}, "u ~ x", {"family": "binary"}, r"binary outcome 'u' is 1 in every"),
    ({"y": np.nan}, "y + y2 ~ x", {}, r"outcome 'y' is missing in every row"),
    ({"nt": 0.0, "k": 0.0}, "k ~ x", {"family": "binomial", "trials": "nt"},
     r"binomial outcome 'k' has 0 trials \('nt'\)"),
    ({"cnt": 0.0}, "cnt ~ x + (1 | g)", {"family": "poisson"},
     r"poisson outcome 'cnt' is 0 in every"),
])
def test_outcome_without_variation_is_refused(two_level, change, formula, kw, pattern):
    df = two_level.assign(**change)
    with pytest.raises(SpecificationError, match=pattern):
        mixture(formula, df, **kw)


# -- 4. an outcome among its own covariates; one-indicator factors ------------------------------
def test_outcome_on_its_own_right_hand_side_is_refused(two_level):
    with pytest.raises(SpecificationError, match=r"statement 1 \('y ~ y \+ x'\): the outcome "
                       r"'y' is also on the right-hand side"):
        mixture("y ~ y + x", two_level)
    with pytest.raises(SpecificationError, match=r"statement 2 .*'y2' is also on the "
                       r"right-hand side \(in the random term \(y2 \| g\)\)"):
        mixture("y ~ x; y2 ~ x + (y2 | g)", two_level)
    with pytest.raises(SpecificationError, match=r"'y' is also on the right-hand side"):
        mixture("y ~ np.log(y ** 2)", two_level)


def test_factor_with_one_indicator_is_refused(two_level):
    with pytest.raises(SpecificationError, match=r"statement 1 \('f =~ y'\): the factor 'f' "
                       r"has a single indicator, 'y'"):
        mixture("f =~ y", two_level)
    # a second outcome loading on the factor through a regression is a second indicator
    names = mixture("f =~ y; y2 ~ f", two_level).param_names
    assert "f=~y" in names and "y2~f" in names


# -- 5. integration options ------------------------------------------------------------------
def test_one_integration_point_with_random_effects_is_refused(two_level):
    for integration in ("trapezoid", "gauss-hermite"):
        with pytest.raises(SpecificationError, match=r"n_points=1: one integration point sits "
                           r"at the mean .*Use "):
            mixture("y ~ x + (1 | g)", two_level, integration=integration, n_points=1)
    # without latent variables there is nothing to integrate: one point is right
    assert mixture("y ~ x", two_level, n_points=1).nparams == 3


@pytest.mark.parametrize("kw, pattern", [
    ({"integration": "simpson"}, r"integration='simpson' is not an integration rule"),
    ({"n_points": 2.5}, r"n_points=2.5: give a whole number"),
    ({"n_points": -3}, r"n_points=-3: give a whole number"),
    ({"n_points_within": 0}, r"n_points_within=0: give a whole number"),
    ({"adaptive": "yes"}, r"adaptive='yes': give True"),
    ({"seed": -1}, r"seed=-1: give a whole number"),
])
def test_nonsense_integration_options_name_the_argument(two_level, kw, pattern):
    with pytest.raises(SpecificationError, match=pattern):
        mixture("y ~ x + (1 | g)", two_level, **kw)


# -- 6. maxiter=0 is not convergence ---------------------------------------------------------
def test_maxiter_zero_is_not_converged(two_level):
    model = mixture("y ~ x + (1 | g)", two_level)
    with pytest.warns(ConvergenceWarning, match="did not converge"):
        res = model.fit(maxiter=0)
    assert not res.converged and res.iterations == 0
    assert res.llf == pytest.approx(model.loglike(model.start_params), rel=1e-12)
    for bad, pattern in ((-1, r"maxiter=-1: give a whole number >= 0"),
                         (2.5, r"maxiter=2.5")):
        with pytest.raises(SpecificationError, match=pattern):
            model.fit(maxiter=bad)
    with pytest.raises(SpecificationError, match=r"gtol=0"):
        model.fit(gtol=0)


# -- 7. units of the data ----------------------------------------------------------------------
@pytest.mark.parametrize("c", [1e-8, 1e6])
def test_random_intercept_fit_is_invariant_to_units_of_the_outcome(two_level, c):
    base = _quiet_fit(mixture("y ~ x + (1 | g)", two_level))
    res = _quiet_fit(mixture("y ~ x + (1 | g)", two_level.assign(y=c * two_level["y"])))
    assert res.converged and res.hessian_ok
    n = len(two_level)
    assert res.llf + n * np.log(c) == pytest.approx(base.llf, abs=1e-6)
    unit = np.array([c, c, c * c, c * c])  # y~1, y~x, Var(1|g), Var(y)
    np.testing.assert_allclose(res.params / unit, base.params, rtol=1e-5)
    np.testing.assert_allclose(res.bse / unit, base.bse, rtol=1e-3)


@pytest.mark.parametrize("c", [1e-6, 1e4])
def test_poisson_glmm_is_invariant_to_units_of_a_covariate(two_level, c):
    base = _quiet_fit(mixture("cnt ~ x + (1 | g)", two_level, family="poisson"))
    res = _quiet_fit(mixture("cnt ~ x + (1 | g)", two_level.assign(x=c * two_level["x"]),
                             family="poisson"))
    assert res.converged
    assert res.llf == pytest.approx(base.llf, abs=1e-6)
    unit = np.array([1.0, 1.0 / c, 1.0])  # cnt~1, cnt~x, Var(1|g)
    np.testing.assert_allclose(res.params * unit ** -1, base.params, rtol=1e-5)
    np.testing.assert_allclose(res.bse / unit, base.bse, rtol=1e-3)


def test_latent_profile_model_is_invariant_to_units(two_level):
    rng = np.random.default_rng(7)
    z = rng.random(150) < 0.4
    df = pd.DataFrame({"y1": np.where(z, 2.0, -1.0) + rng.normal(size=150),
                       "y2": np.where(z, 1.5, 0.0) + rng.normal(size=150)})
    fits = {}
    for c in (1.0, 1e-7):
        fits[c] = _quiet_fit(mixture("y1 + y2 ~ c", df * c, classes={"c": 2}),
                             starts=(6, 2))
    n = 2 * len(df)  # outcome values
    assert fits[1e-7].llf + n * np.log(1e-7) == pytest.approx(fits[1.0].llf, abs=1e-6)
    p, q = fits[1.0].params, fits[1e-7].params
    unit = np.array([1e-14 if k.startswith("Var(") else 1e-7 if k.startswith("y") else 1.0
                     for k in p.index])
    np.testing.assert_allclose(q / unit, p, rtol=1e-5)


# -- 8. duplicated column names -------------------------------------------------------------
def test_duplicated_column_names_are_refused(two_level):
    df = pd.concat([two_level, two_level[["x", "y"]]], axis=1)
    with pytest.raises(SpecificationError, match=r"more than one column named 'x', 'y'"):
        mixture("y ~ x", df)
    spec = ModelSpec()
    spec.add_outcome("y2")
    spec.add_term("y2")
    with pytest.raises(SpecificationError, match=r"more than one column named 'x', 'y'"):
        MixtureModel(spec, df)
    with pytest.raises(SpecificationError, match=r"more than one column named 'x', 'y'"):
        response_patterns(df, ["x", "g"])
    res = _quiet_fit(mixture("y ~ x", two_level))
    with pytest.raises(SpecificationError, match=r"new data have more than one column "
                       r"named 'x'"):
        res.model.design_columns(pd.concat([two_level[["x"]], two_level[["x"]]], axis=1))


# -- 9. identical classes ----------------------------------------------------------------------
def test_identical_classes_are_not_a_usable_solution():
    rng = np.random.default_rng(11)
    z = rng.random(300) < 0.5
    df = pd.DataFrame({f"u{k}": (rng.random(300) < np.where(z, 0.8, 0.2)).astype(float)
                       for k in range(1, 5)})
    model = mixture("u1 + u2 + u3 + u4 ~ c", df, classes={"c": 2}, family="binary")
    start = pd.Series(0.0, index=model.param_names)  # a symmetric start: the saddle point
    with pytest.warns(EstimationWarning, match=r"classes 1 and 2 of 'c' are identical"):
        res = model.fit(start_params=start)
    assert "classes 1 and 2 of 'c' are identical" in _singular_message(res)
    assert any("Classes 1 and 2 of 'c' are identical" in n for n in res._notes())
    assert "identical" in str(res.summary())
    # the independence model's log-likelihood: the saddle is the one-class fit
    p = df.mean()
    ll1 = float((df * np.log(p) + (1 - df) * np.log(1 - p)).to_numpy().sum())
    assert res.llf == pytest.approx(ll1, abs=1e-6)
    # from random starts the two classes are found, without the warning
    with warnings.catch_warnings():
        warnings.simplefilter("error", EstimationWarning)
        good = model.fit(starts=(6, 2))
    assert good.llf > ll1 + 50


def test_collapsed_class_is_not_a_usable_solution():
    """A normal mixture with class-specific variances has an unbounded likelihood; a
    class sitting on one observation with a vanishing variance is named as spurious."""
    rng = np.random.default_rng(5)
    df = pd.DataFrame({"y": rng.normal(size=200)})
    spec = ModelSpec()
    spec.add_class("c", 2)
    spec.add_outcome("y", "normal", residual_by=["c"])
    spec.add_term("y", by=["c"])
    spec.add_term("c")
    model = MixtureModel(spec, df)
    start = pd.Series({"y~1[c=1]": 0.0, "y~1[c=2]": df.y[0], "c#1~1": 4.0,
                       "Var(y)[c=1]": 1.0, "Var(y)[c=2]": 1e-6})[model.param_names]
    with pytest.warns(EstimationWarning, match=r"class 2 of 'c' has collapsed"):
        res = model.fit(start_params=start)
    assert res.params["Var(y)[c=2]"] < 1e-3 * df.y.var()
    # from random starts: two proper classes or one, never a spike
    with warnings.catch_warnings():
        warnings.simplefilter("error", EstimationWarning)
        good = model.fit(starts=(8, 2), seed=1)
    assert good.params[["Var(y)[c=1]", "Var(y)[c=2]"]].min() > 0.05


# -- 10. what is degenerate when the information is singular -------------------------------------
def _singular_message(res):
    with pytest.warns(EstimationWarning, match="information matrix is singular") as rec:
        assert len(res.bse) == len(res.params)  # the covariance is computed on first use
    return " ".join(str(w.message) for w in rec if "singular" in str(w.message))


def test_singular_information_names_collinear_covariates(two_level):
    df = two_level.assign(x2=2 * two_level["x"] + 1)
    res = _quiet_fit(mixture("y ~ x + x2", df))
    msg = _singular_message(res)
    assert re.search(r"covariates of 'y' are collinear: the intercept, 'x', 'x2'", msg)
    assert re.search(r"in the direction of .*y~x2", msg)
    assert not res.hessian_ok
    assert any("collinear" in n for n in res._notes())


def test_complete_separation_names_the_covariate(two_level):
    df = two_level.assign(u=(two_level["x"] > 0.1).astype(float))
    with pytest.warns(EstimationWarning, match=r"complete separation: the covariate 'x' "
                      r"predicts 'u' perfectly"):
        res = mixture("u ~ x", df, family="binary").fit()
    assert any("separation" in n and "'x'" in n for n in res._notes())


def test_more_parameters_than_response_patterns():
    rng = np.random.default_rng(2)
    df = pd.DataFrame({f"u{k}": (rng.random(200) < 0.5).astype(float) for k in range(1, 4)})
    res = _quiet_fit(mixture("u1 + u2 + u3 ~ c", df, classes={"c": 3}, family="binary"),
                     starts=(4, 1))
    msg = _singular_message(res)
    assert "the model has 11 free parameters but the data have only 8 distinct response " \
        "patterns (7 degrees of freedom)" in msg


def test_item_with_probability_one_in_a_class_is_named():
    rng = np.random.default_rng(4)
    z = rng.random(300) < 0.5
    df = pd.DataFrame({f"u{k}": (rng.random(300) < np.where(z, 0.85, 0.2)).astype(float)
                       for k in range(1, 5)})
    df.loc[z, "u1"] = 1.0  # u1 is 1 for every member of one class
    model = mixture("u1 + u2 + u3 + u4 ~ c", df, classes={"c": 2}, family="binary")
    good = _quiet_fit(model, starts=(6, 2))
    start = good.params.copy()
    big = start[["u1~1[c=1]", "u1~1[c=2]"]].abs().idxmax()
    start[big] = 45.0 * np.sign(start[big])  # where a drifting logit ends
    res = _quiet_fit(model, start_params=start)
    # as Mplus: the logit is held fixed at the boundary, without a standard error,
    # and the other parameters keep theirs (the information is judged without it)
    with warnings.catch_warnings():
        warnings.simplefilter("error", EstimationWarning)
        bse = res.bse
    assert res.boundary_params == [big]
    assert np.isnan(bse[big]) and bse.drop(big).notna().all()
    note = res.cov_type_text()
    assert "1 logit(s) ran to the boundary" in note and big in note
    # the diagnosis still names the item when asked directly
    msg = diagnostics.singular_information_message(res.model, res.params,
                                                   res._compute_information()["hessian"])
    cls = big[-4:-1]
    assert f"the item 'u1' has probability 1 in class {cls}" in msg
    assert big in msg


def test_variance_on_its_boundary_is_named():
    rng = np.random.default_rng(3)
    g = np.repeat(np.arange(30), 4)
    e = rng.normal(size=120)
    e = e - pd.Series(e).groupby(g).transform("mean").to_numpy()  # no cluster variance
    df = pd.DataFrame({"g": g, "x": rng.normal(size=120)}).assign(y=lambda d: d["x"] + e)
    res = _quiet_fit(mixture("y ~ x + (1 | g)", df))
    assert res.params["Var(1|g)"] < 1e-8
    assert "Var(1|g) is near its boundary (0); its test is not standard." in res._notes()
    # the same on the scale of nanometres: the verdict does not depend on the units
    small = _quiet_fit(mixture("y ~ x + (1 | g)", df.assign(y=1e-9 * df["y"])))
    notes = small._notes()
    assert [n for n in notes if "boundary" in n] == \
        ["Var(1|g) is near its boundary (0); its test is not standard."]
