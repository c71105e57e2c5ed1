"""Class variables at every level (paper sections 2, 5, 6; Table 4), end to end.

Each class-level combination is simulated from known values (one data set,
fixed seed, moderate size) with :func:`mixlevel.simulation.simulate.simulate` and fitted
through the formula language (the class-specific between-level covariance of
eq. 18 through a hand-built ModelSpec: the formula language has no syntax for
it yet); every true parameter must lie within 3 standard errors.  The fits
start at the true values, as Mplus Monte Carlo runs do, so labels are known.

Then Table 3 of the paper: one data set from Model 5 (between C), fitted as
Model 5 and as Model 6 (within-between C), with the ICC of eq. 20 and the LRT.
"""

import warnings

import numpy as np
import pytest
from scipy.stats import norm

from mixlevel.api import Between, mixture
from mixlevel.errors import EstimationWarning
from mixlevel.inference.compare import lrt
from mixlevel.inference.derived import icc, lrt_class_level, r_squared
from mixlevel.model import MixtureModel
from mixlevel.simulation.simulate import Covariate, simulate
from mixlevel.spec import ModelSpec


def fit_at_truth(model, truth, **kw):
    start = np.array([truth[n] for n in model.param_names])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", EstimationWarning)
        return model.fit(start_params=start, canonical=False, **kw)


def assert_recovered(res, truth, k=3.0):
    est, se = res.params, res.bse
    assert sorted(truth) == sorted(est.index)
    bad = {n: (truth[n], round(est[n], 3), round(se[n], 3)) for n in truth
           if not abs(est[n] - truth[n]) <= k * se[n]}
    assert not bad, f"not within {k} SE (truth, estimate, se): {bad}"


# ---------------------------------------------------------------------------------------
# recovery, one class-level combination each
# ---------------------------------------------------------------------------------------
def test_within_class_with_random_intercept_and_slope_and_covariate():
    """Sec. 2, eq. 2-5: within C; random intercept and slope; C regressed on x."""
    f = "y ~ c * x + (1 + x | school); c ~ w"
    truth = {"y~1[c=1]": 2.0, "y~1[c=2]": -1.0, "y~x[c=1]": 0.5, "y~x[c=2]": -0.5,
             "c#1~1": 0.3, "c#1~w": 0.8, "Var(1|school)": 0.5,
             "Cov(1|school,x|school)": 0.1, "Var(x|school)": 0.2, "Var(y)": 1.0}
    df = simulate(f, truth, classes={"c": 2}, n_clusters=60, cluster_size=15,
                  covariates={"x": "normal", "w": "normal"}, seed=21)
    res = fit_at_truth(mixture(f, df, classes={"c": 2}, n_points=10), truth, em_iter=2)
    assert_recovered(res, truth)


def between_spec():
    """Eq. 16-18 by hand: D-specific random-intercept mean, regression on w_j, variance."""
    spec = ModelSpec()
    spec.add_class("d", 2, level="between")
    spec.add_outcome("y", "normal")
    spec.add_term("y", by=["d"])              # mu_d: class-specific random-effect means
    spec.add_term("y", "w", by=["d"])         # Gamma_d w_j: class-specific regression
    spec.add_term("y", "x")                   # a within covariate, shared slope
    spec.add_block("re", ["1|school"], by=["d"])  # class-specific variance (eq. 18)
    spec.add_term("y", latent="1|school")
    spec.add_term("d")
    spec.add_term("d", "z")                   # eq. 17: D regressed on a cluster covariate
    return spec


def test_between_class_with_class_specific_between_model():
    truth = {"y~1[d=1]": 1.5, "y~1[d=2]": -1.0, "y~w[d=1]": 0.8, "y~w[d=2]": -0.3,
             "y~x": 0.5, "d#1~1": 0.2, "d#1~z": 1.0, "Var(1|school)[d=1]": 0.2,
             "Var(1|school)[d=2]": 0.8, "Var(y)": 1.0}
    df = simulate(between_spec(), truth, n_clusters=200, cluster_size=8, cluster="school",
                  covariates={"x": "normal", "w": Covariate("normal", level="cluster"),
                              "z": Covariate("normal", level="cluster")}, seed=22)
    assert (df.groupby("school")["w"].nunique() == 1).all()
    model = MixtureModel(between_spec(), df, cluster="school", n_points=15)
    res = fit_at_truth(model, truth)
    assert_recovered(res, truth)


def test_between_class_formula_with_cluster_covariates():
    """The formula form of eq. 16-18 (one random-intercept variance for both classes)."""
    f = "y ~ d * w + x + (1 | school); d ~ z"
    truth = {"y~1[d=1]": 1.5, "y~1[d=2]": -1.0, "y~w[d=1]": 0.8, "y~w[d=2]": -0.3,
             "y~x": 0.5, "d#1~1": 0.2, "d#1~z": 1.0, "Var(1|school)": 0.3, "Var(y)": 1.0}
    cl = {"d": Between(2)}
    df = simulate(f, truth, classes=cl, n_clusters=150, cluster_size=8,
                  covariates={"x": "normal", "w": Covariate("normal", level="cluster"),
                              "z": Covariate("normal", level="cluster")}, seed=23)
    res = fit_at_truth(mixture(f, df, classes=cl), truth)
    assert_recovered(res, truth)


def test_within_between_class_random_logit_intercept():
    """Table 4 / Model 6: within C with a random logit intercept and a covariate."""
    f = "y ~ c * x + (1 | school); c ~ w + (1 | school)"
    truth = {"y~1[c=1]": 1.5, "y~1[c=2]": -1.0, "y~x[c=1]": 0.2, "y~x[c=2]": 0.8,
             "c#1~1": 0.2, "c#1~w": 0.7, "Var(1|school)": 0.3, "Var(c#1|school)": 1.5,
             "Var(y)": 1.0}
    df = simulate(f, truth, classes={"c": 2}, n_clusters=100, cluster_size=12,
                  covariates={"x": "normal", "w": "normal"}, seed=24)
    res = fit_at_truth(mixture(f, df, classes={"c": 2}, n_points=12), truth, em_iter=2)
    assert_recovered(res, truth)
    table = icc(res)
    expected = 1.5 / (1.5 + np.pi ** 2 / 3)
    assert table.loc["Var(c#1|school)", "icc"] == pytest.approx(
        res.params["Var(c#1|school)"] / (res.params["Var(c#1|school)"] + np.pi ** 2 / 3))
    row = table.iloc[0]
    assert row["lower"] < expected < row["upper"] and 0 < row["se"] < 0.2


def test_within_and_between_classes_c_on_d_with_covariates_at_both_levels():
    """Sec. 6, eq. 22-26: within C regressed on between D and on x; D on w_j."""
    f = "u1 + u2 + u3 + u4 ~ c; c ~ d + x; d ~ w"
    truth = {"u1~1[c=1]": 1.5, "u1~1[c=2]": -1.5, "u2~1[c=1]": 1.0, "u2~1[c=2]": -1.0,
             "u3~1[c=1]": 2.0, "u3~1[c=2]": -0.5, "u4~1[c=1]": 0.5, "u4~1[c=2]": -2.0,
             "d#1~1": -0.3, "d#1~w": 0.8, "c#1~1[d=1]": 1.5, "c#1~1[d=2]": -1.5,
             "c#1~x": 0.6}
    cl = {"c": 2, "d": Between(2)}
    df = simulate(f, truth, classes=cl, family="binary", cluster="school", n_clusters=150,
                  cluster_size=20, covariates={"x": "normal",
                                               "w": Covariate("normal", level="cluster")},
                  seed=25)
    res = fit_at_truth(mixture(f, df, classes=cl, family="binary", cluster="school"), truth)
    assert_recovered(res, truth)
    # eq. 14: R^2 of D as a predictor of C (gamma = 3, P(D = 1) from the model)
    r2 = r_squared(res, "c", "d")
    p = res.class_proportions["d=1"]
    g = res.params["c#1~1[d=1]"] - res.params["c#1~1[d=2]"]
    assert r2["estimate"].iloc[0] == pytest.approx(
        g ** 2 * p * (1 - p) / (g ** 2 * p * (1 - p) + np.pi ** 2 / 3), rel=1e-6)
    assert 0 < r2["se"].iloc[0] < 0.2


# ---------------------------------------------------------------------------------------
# Table 3: Model 5 (between C) and Model 6 (within-between C) on one data set
# ---------------------------------------------------------------------------------------
TABLE3_TRUTH = {"y~1[c=1]": 1.0, "y~1[c=2]": 0.0, "y~x[c=1]": 0.2, "y~x[c=2]": 0.8,
                "c#1~1": 0.0, "Var(1|school)": 0.2, "Var(y)": 1.0}
MODEL5 = "y ~ c * x + (1 | school)"
MODEL6 = "y ~ c * x + (1 | school); c ~ 1 + (1 | school)"
#: Model 6 integration: scrambled Sobol points (see docs/section5.rst, "Integration").
#: Every point has its own value of alpha_1, so the class probability P(C=1 | alpha_1),
#: a near step function when Var(alpha_1) is in the hundreds, is resolved; product
#: trapezoid rules give every node row one alpha_1 value and quantise it.
MODEL6_INTEGRATION = {"integration": "quasi-monte-carlo", "n_points": 512}
TABLE3_SEED = 1


def fit_table3(seed=TABLE3_SEED):
    df = simulate(MODEL5, TABLE3_TRUTH, classes={"c": Between(2)}, n_clusters=100,
                  cluster_size=10, covariates={"x": "normal"}, seed=seed)
    m5 = mixture(MODEL5, df, classes={"c": Between(2)})
    r5 = fit_at_truth(m5, TABLE3_TRUTH)
    # Model 6 starts from Model 5 (paper sec. 10: build models up from simpler ones):
    # Var(alpha_1) = 100 and the logit mean that gives Model 5's class proportion
    start = dict(r5.params)
    p1 = 1 / (1 + np.exp(-start["c#1~1"]))
    start["Var(c#1|school)"] = 100.0
    start["c#1~1"] = np.sqrt(100.0 + np.pi ** 2 / 3) * norm.ppf(p1)
    m6 = mixture(MODEL6, df, classes={"c": 2}, **MODEL6_INTEGRATION)
    r6 = fit_at_truth(m6, start, em_iter=3)
    return df, r5, r6


@pytest.fixture(scope="module")
def table3():
    return fit_table3()


def test_table3_model5_and_model6_agree(table3):
    _, r5, r6 = table3
    assert r5.converged and r6.converged
    for res in (r5, r6):
        for n, v in TABLE3_TRUTH.items():
            if n == "c#1~1" and res is r6:
                continue  # Model 6's logit mean is on the scale of SD(alpha_1)
            assert abs(res.params[n] - v) <= 2 * res.bse[n], (n, res.params[n], res.bse[n])
    assert abs(r5.llf - r6.llf) < 1.0
    assert r6.params["Var(c#1|school)"] > 100  # the paper: 609 (ICC 0.995)
    shared = [n for n in TABLE3_TRUTH if n != "c#1~1"]
    np.testing.assert_allclose(r6.params[shared], r5.params[shared], atol=0.15)


def test_table3_icc_and_lrt(table3):
    _, r5, r6 = table3
    table = icc(r6)
    row = table.loc["Var(c#1|school)"]
    assert row["variable"] == "c" and row["icc"] > 0.97
    assert row["lower"] < row["icc"] < row["upper"] <= 1.0
    assert "near 1" in row["note"]
    test = lrt_class_level(r5, r6)
    assert test["df"] == 1 and abs(test["lr"]) < 2.0
    assert "boundary" in test["note"] and "infinity" in test["note"]
    # compare.lrt alone cannot see the nesting (the class changes level)
    assert "classes" in lrt(r5, r6)["note"]
    # other pairs go to compare.lrt: Model 6 against the within model (Var(alpha) = 0)
    df = table3[0]
    within = mixture("y ~ c * x + (1 | school)", df, classes={"c": 2})
    start = {n: r6.params[n] for n in within.param_names}
    start["c#1~1"] = 0.0
    rw = fit_at_truth(within, start)
    test0 = lrt_class_level(rw, r6)
    assert test0["df"] == 1 and test0["lr"] > 0 and "boundary" in test0["note"]
    assert np.isfinite(test0["pvalue_boundary"])


def test_icc_errors_without_random_logit(table3):
    _, r5, _ = table3
    with pytest.raises(ValueError, match="random class-logit intercepts"):
        icc(r5)


def test_conditional_class_probability_plot(table3):
    """Figures 2 and 3: P(C = 1 | alpha_1) against standardised alpha_1."""
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from mixlevel.graphics.plotting import conditional_class_probability

    fig = conditional_class_probability([100, 10000])
    lines = fig.axes[0].get_lines()
    assert len(lines) == 2
    z, p = lines[1].get_data()
    assert p[np.argmin(abs(z - 0.05))] == pytest.approx(1 / (1 + np.exp(-5.0)))
    assert p[0] < 1e-12 and p[-1] > 1 - 1e-12
    fig2 = conditional_class_probability(table3[2])  # a fitted Model 6
    assert "Var(c#1|school)" in fig2.axes[0].get_lines()[0].get_label()
    with pytest.raises(ValueError, match="positive"):
        conditional_class_probability(-1)
    plt.close("all")
