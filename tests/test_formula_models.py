"""Every model sketch of DESIGN.md section 3, written in the formula language, fits.

Each model is simulated from known parameters (small data, fixed seeds) and
fitted; the estimates must lie within 3 standard errors of the truth.  The
heavier models start at the true values (as Mplus Monte Carlo studies do), so
the suite stays fast; the random-start machinery is exercised by the LCA and
Model 5 tests.  The second half writes the peer-comparison models of
tests/test_peers.py as formulas and checks the same numbers.
"""

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy.special import expit
from scipy.stats import norm

from mixlevel import families
from mixlevel.api import Between, mixture, parameter_table
from mixlevel.errors import EstimationWarning
from mixlevel.model import MixtureModel
from mixlevel.spec import ModelSpec
from tests.results import (
    results_glmm_cbpp,
    results_glmm_sleepstudy,
    results_irt_lsat7,
    results_lca_carcinoma,
    results_mlca_datatoy,
)

DATA = Path(__file__).parent / "data"


def quiet_fit(model, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", EstimationWarning)
        res = model.fit(**kw)
        res.bse  # noqa: B018 (standard errors computed here, warnings silenced)
        return res


def fit_from_truth(model, truth, **kw):
    """Fit starting at the true values (canonical relabelling off: labels are known)."""
    start = np.array([truth[n] for n in model.param_names])
    return quiet_fit(model, start_params=start, canonical=False, em_iter=3, **kw)


def assert_recovered(res, truth, k=3.0):
    est, se = res.params, res.bse
    bad = {n: (truth[n], round(est[n], 3), round(se[n], 3)) for n in truth
           if not abs(est[n] - truth[n]) <= k * se[n]}
    assert not bad, f"not within {k} SE (truth, estimate, se): {bad}"


# ---------------------------------------------------------------------------------------
# DESIGN.md section 3 sketches
# ---------------------------------------------------------------------------------------
def test_lca_single_level():
    rng = np.random.default_rng(11)
    n = 500
    c = (rng.uniform(size=n) > 0.6).astype(int)           # P(class 1) = 0.6
    logits = np.array([[1.5, 1.0, 2.0, -1.0], [-1.5, -1.2, -0.5, 1.2]])
    df = pd.DataFrame((rng.uniform(size=(n, 4)) < expit(logits[c])).astype(float),
                      columns=["u1", "u2", "u3", "u4"])
    model = mixture("u1 + u2 + u3 + u4 ~ c", data=df, classes={"c": 2}, family="binary")
    assert model.param_names == [f"u{k}~1[c={j}]" for k in range(1, 5) for j in (1, 2)] + \
        ["c#1~1"]
    res = quiet_fit(model)
    truth = {f"u{k + 1}~1[c={j + 1}]": logits[j, k] for k in range(4) for j in range(2)}
    truth["c#1~1"] = np.log(0.6 / 0.4)
    assert_recovered(res, truth)


def _model56_data(seed, within_between):
    rng = np.random.default_rng(seed)
    J, m = 50, 10
    g = np.repeat(np.arange(J), m)
    if within_between:
        a = rng.normal(scale=np.sqrt(2.0), size=J)[g]       # alpha_1j, Var 2
        c = (rng.uniform(size=J * m) > expit(a)).astype(int)
    else:
        c = (rng.uniform(size=J) > 0.5).astype(int)[g]
    x = rng.normal(size=J * m)
    u = rng.normal(scale=np.sqrt(0.2), size=J)[g]
    y = np.where(c == 0, 1.0 + 0.2 * x, -0.5 + 0.8 * x) + u + rng.normal(size=J * m)
    return pd.DataFrame({"y": y, "x": x, "school": g})


def test_model5_between_class_random_intercept():
    df = _model56_data(5, within_between=False)
    model = mixture("y ~ c * x + (1 | school)", data=df, classes={"c": Between(2)},
                    n_points=10)
    assert model.spec.classes[0].level == "between"
    assert model.cluster == "school" and model.n_clusters == 50
    res = quiet_fit(model, starts=(6, 2))
    assert res.best_loglike_replicated >= 2
    truth = {"y~1[c=1]": 1.0, "y~1[c=2]": -0.5, "y~x[c=1]": 0.2, "y~x[c=2]": 0.8,
             "Var(1|school)": 0.2, "Var(y)": 1.0}
    if res.params["y~1[c=1]"] < res.params["y~1[c=2]"]:  # canonical order: by size
        truth = {k.replace("c=1", "c=X").replace("c=2", "c=1").replace("c=X", "c=2"): v
                 for k, v in truth.items()}
    assert_recovered(res, truth)


def test_model6_within_between_class():
    df = _model56_data(6, within_between=True)
    model = mixture("y ~ c * x + (1 | school); c ~ 1 + (1 | school)", data=df,
                    classes={"c": 2}, n_points=10)
    assert model.param_names == ["y~1[c=1]", "y~1[c=2]", "y~x[c=1]", "y~x[c=2]", "c#1~1",
                                 "Var(1|school)", "Var(c#1|school)", "Var(y)"]
    truth = {"y~1[c=1]": 1.0, "y~1[c=2]": -0.5, "y~x[c=1]": 0.2, "y~x[c=2]": 0.8,
             "c#1~1": 0.0, "Var(1|school)": 0.2, "Var(c#1|school)": 2.0, "Var(y)": 1.0}
    res = fit_from_truth(model, truth)
    assert_recovered(res, truth)


def _lta_data(seed):
    rng = np.random.default_rng(seed)
    J, m = 40, 15
    g = np.repeat(np.arange(J), m)
    a1 = rng.normal(size=J)                                        # Var(alpha_1) = 1
    a2 = 0.8 * a1 + rng.normal(scale=0.5, size=J)                  # eq. 15
    c1 = (rng.uniform(size=J * m) > expit(0.2 + a1[g])).astype(int)
    c2 = (rng.uniform(size=J * m) > expit(np.where(c1 == 0, 1.8, -1.2) + a2[g])).astype(int)
    prof = np.array([[1.5, 1.0, 2.0, 1.2, 0.8], [-1.5, -1.2, -1.0, -2.0, -0.8]])
    df = pd.DataFrame({"classroom": g})
    for k in range(5):
        df[f"f{k + 1}"] = (rng.uniform(size=J * m) < expit(prof[c1, k])).astype(float)
        df[f"s{k + 1}"] = (rng.uniform(size=J * m) < expit(prof[c2, k])).astype(float)
    truth = {f"f{k + 1}~1[c1={j + 1}]": prof[j, k] for k in range(5) for j in range(2)}
    truth.update({"c1#1~1": 0.2, "c2#1~1[c1=1]": 1.8, "c2#1~1[c1=2]": -1.2,
                  "Var(c1#1|classroom)": 1.0, "Cov(c1#1|classroom,c2#1|classroom)": 0.8,
                  "Var(c2#1|classroom)": 0.89})
    return df, truth


def test_two_level_lta():
    df, truth = _lta_data(4)
    model = mixture("""f1 + ... + f5 ~ c1
                       s1 + ... + s5 ~ c2
                       c1 ~ 1 + (1 | classroom)
                       c2 ~ c1 + (1 | classroom)""",
                    data=df, classes={"c1": 2, "c2": 2}, family="binary",
                    equal=[("f*~1[c1=*]", "s*~1[c2=*]")], re_cov="full", n_points=8)
    # items invariant over time: the s-item parameters are the f-item parameters
    assert "s1~1[c2=1]" not in model.param_names
    table = parameter_table(model, start_values=False).set_index("name")
    assert table.loc["s3~1[c2=2]", "status"] == "= f3~1[c1=2]"
    assert sorted(truth) == sorted(model.param_names)
    res = fit_from_truth(model, truth)
    assert_recovered(res, truth)


def _gom_data(seed, n_persons):
    rng = np.random.default_rng(seed)
    n_items = 6
    person = np.repeat(np.arange(n_persons), n_items)
    item = np.tile(np.arange(1, n_items + 1), n_persons)
    a = rng.normal(scale=np.sqrt(2.0), size=n_persons)[person]     # alpha_cj, Var 2
    c = (rng.uniform(size=person.size) > expit(0.3 + a)).astype(int)
    prof = np.array([[1.2, 1.0, 0.8, 1.5, 0.7, 1.1], [-1.0, -1.3, -0.7, -1.1, -1.5, -0.6]])
    y = (rng.uniform(size=person.size) < norm.cdf(prof[c, item - 1])).astype(float)
    df = pd.DataFrame({"y": y, "item": item, "person": person})
    truth = {f"y~C(item)[{k + 1}][c={j + 1}]": prof[j, k] for k in range(n_items)
             for j in range(2)}
    truth.update({"c#1~1": 0.3, "Var(c#1|person)": 2.0})
    return df, truth


GOM = "y ~ 0 + C(item):c; c ~ 1 + (1 | person)"


def test_gom_long_format_probit_compiles_to_the_hand_built_model():
    """Sec. 7 GoM on long data: the formula gives the model written by hand."""
    df, truth = _gom_data(7, 120)
    model = mixture(GOM, data=df, classes={"c": 2}, family=families.Binary(link="probit"),
                    n_points=10)
    assert sorted(truth) == sorted(model.param_names)
    spec = ModelSpec()
    spec.add_class("c", 2)
    spec.add_outcome("y", families.Binary(link="probit"))
    cols = {}
    for k in range(1, 7):
        cols[f"i{k}"] = (df["item"] == k).to_numpy(float)
        spec.add_term("y", f"i{k}", by=["c"], name=f"y~C(item)[{k}]")
    spec.add_term("c")
    spec.add_block("a", ["c#1|person"])
    spec.add_term("c", latent="c#1|person")
    hand = MixtureModel(spec, df, cluster="person", columns=cols, n_points=10)
    assert hand.param_names == model.param_names
    start = np.array([truth[n] for n in model.param_names])
    assert np.isclose(model.loglike(start), hand.loglike(start), rtol=1e-12)
    res = fit_from_truth(model, truth)
    assert np.isfinite(res.llf) and res.llf >= model.loglike(start) - 1e-8


@pytest.mark.slow
def test_gom_long_format_probit_recovers_truth():
    # GoM is weakly identified in small samples (the random-logit variance runs off to
    # the between-class solution), so recovery needs a couple of thousand persons.
    df, truth = _gom_data(1, 2000)
    model = mixture(GOM, data=df, classes={"c": 2}, family=families.Binary(link="probit"),
                    n_points=10)
    res = fit_from_truth(model, truth)
    assert_recovered(res, truth)


def test_mixture_regression_class_specific_variance_and_covariate():
    """y ~ c + x (slope shared), var(y) ~ c, c ~ w: eq. 2-4 single level."""
    rng = np.random.default_rng(8)
    n = 600
    w = rng.normal(size=n)
    c = (rng.uniform(size=n) > expit(0.5 + 1.0 * w)).astype(int)
    x = rng.normal(size=n)
    y = np.where(c == 0, 2.0, -1.0) + 0.5 * x + rng.normal(size=n) * np.where(c == 0, 0.6, 1.2)
    df = pd.DataFrame({"y": y, "x": x, "w": w})
    model = mixture("y ~ c + x\nvar(y) ~ c\nc ~ w", data=df, classes={"c": 2})
    assert model.param_names == ["y~1[c=1]", "y~1[c=2]", "y~x", "c#1~1", "c#1~w",
                                 "Var(y)[c=1]", "Var(y)[c=2]"]
    truth = {"y~1[c=1]": 2.0, "y~1[c=2]": -1.0, "y~x": 0.5, "c#1~1": 0.5, "c#1~w": 1.0,
             "Var(y)[c=1]": 0.36, "Var(y)[c=2]": 1.44}
    res = fit_from_truth(model, truth)
    assert_recovered(res, truth)


def test_ordinal_thresholds_by_class_and_factor():
    """Ordinal items with class-specific thresholds; a factor measured by normal items."""
    rng = np.random.default_rng(9)
    n = 500
    c = (rng.uniform(size=n) > 0.5).astype(int)
    tau = np.array([[-2.0, -0.5], [0.5, 2.0]])
    out = {}
    for k in range(3):
        z = rng.logistic(size=n)
        out[f"o{k + 1}"] = (z > tau[c, 0]).astype(int) + (z > tau[c, 1]).astype(int)
    f = rng.normal(size=n)
    for k, lam in enumerate([0.8, 1.0, 0.6]):
        out[f"y{k + 1}"] = 0.5 * k + lam * f + rng.normal(scale=0.7, size=n)
    df = pd.DataFrame(out)
    model = mixture("o1 + o2 + o3 ~ c; f =~ y1 + y2 + y3", data=df, classes={"c": 2},
                    family={"o*": "ordinal"})
    names = model.param_names
    assert "o1|t1[c=1]" in names and "o1|t2[c=2]" in names and "f=~y2" in names
    truth = {f"o{k}|t{t + 1}[c={j + 1}]": tau[j, t] for k in (1, 2, 3) for j in range(2)
             for t in range(2)}
    truth.update({"f=~y1": 0.8, "f=~y2": 1.0, "f=~y3": 0.6, "y1~1": 0.0, "y2~1": 0.5,
                  "y3~1": 1.0, "Var(y1)": 0.49, "Var(y2)": 0.49, "Var(y3)": 0.49,
                  "c#1~1": 0.0})
    res = fit_from_truth(model, truth, maxiter=2000)
    assert_recovered(res, truth)


def test_between_class_lca_with_cluster_argument():
    """A between class needs cluster= when there are no random terms (datatoy layout)."""
    rng = np.random.default_rng(10)
    J, m = 40, 12
    g = np.repeat(np.arange(J), m)
    d = (rng.uniform(size=J) > 0.5).astype(int)[g]
    c = (rng.uniform(size=J * m) > expit(np.where(d == 0, 1.5, -1.5))).astype(int)
    prof = np.array([[1.5, 1.5, 1.5, 1.5], [-1.5, -1.5, -1.5, -1.5]])
    df = pd.DataFrame((rng.uniform(size=(J * m, 4)) < expit(prof[c])).astype(float),
                      columns=["u1", "u2", "u3", "u4"])
    df["g"] = g
    model = mixture("u1 + ... + u4 ~ c; c ~ d", data=df,
                    classes={"d": Between(2), "c": 2}, family="binary", cluster="g")
    truth = {f"u{k + 1}~1[c={j + 1}]": prof[j, k] for k in range(4) for j in range(2)}
    truth.update({"c#1~1[d=1]": 1.5, "c#1~1[d=2]": -1.5, "d#1~1": 0.0})
    assert sorted(truth) == sorted(model.param_names)
    res = fit_from_truth(model, truth)
    assert_recovered(res, truth)


def test_predict_columns_reuse_training_transforms():
    rng = np.random.default_rng(12)
    n = 200
    df = pd.DataFrame({"x": rng.normal(loc=5.0, size=n), "g": rng.choice(list("abc"), n),
                       "w": rng.normal(size=n)})
    df["y"] = 1.0 + 0.5 * (df["x"] - 5) + (df["g"] == "b") + df["w"] + rng.normal(size=n)

    def double(v):
        return 2 * v

    model = mixture("y ~ center(x) + C(g) + double(w)", data=df)
    new = pd.DataFrame({"x": [5.0, 6.0], "g": ["c", "a"], "w": [5.0, 6.0]})
    cols = model.formula.design_columns(new)
    mean = df["x"].mean()
    assert np.allclose(cols["center(x)"], [5.0 - mean, 6.0 - mean])   # training mean
    assert np.allclose(cols["C(g)[T.c]"], [1.0, 0.0])                  # training levels
    assert np.allclose(cols["C(g)[T.b]"], [0.0, 0.0])
    assert np.allclose(cols["double(w)"], [10.0, 12.0])                # caller's function
    res = quiet_fit(model)
    assert abs(res.params["y~C(g)[T.b]"] - 1.0) < 3 * res.bse["y~C(g)[T.b]"]


def test_from_formula_classmethod_same_model():
    rng = np.random.default_rng(13)
    df = pd.DataFrame({"x": rng.normal(size=50)})
    df["y"] = 1 + df["x"] + rng.normal(size=50)
    a = mixture("y ~ x", data=df)
    b = MixtureModel.from_formula("y ~ x", data=df)
    assert a.param_names == b.param_names
    assert np.isclose(a.loglike(a.start_params), b.loglike(b.start_params))


def test_missing_outcomes_kept_and_covariates_dropped():
    rng = np.random.default_rng(14)
    n = 100
    df = pd.DataFrame({"x": rng.normal(size=n)})
    df["y"] = df["x"] + rng.normal(size=n)
    df["y2"] = df["x"] + rng.normal(size=n)
    df.loc[:9, "y"] = np.nan          # one outcome missing: kept (FIML)
    df.loc[10:12, "x"] = np.nan       # covariate missing: dropped
    with pytest.warns(UserWarning, match=r"3 of 100 rows dropped: 3 with missing 'x'"):
        model = mixture("y + y2 ~ x", data=df)
    assert model.nobs == 97  # (rows missing every outcome are dropped: test_bad_input.py)


# ---------------------------------------------------------------------------------------
# peer comparisons (same numbers as tests/test_peers.py)
# ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("k, ref", [(2, results_lca_carcinoma.lca2),
                                    (3, results_lca_carcinoma.lca3)])
def test_peer_lca_carcinoma(k, ref):
    df = pd.read_csv(DATA / "carcinoma.csv") - 1
    model = mixture("A + B + C + D + E + F + G ~ c", data=df,
                    classes={"c": k}, family="binary")
    res = quiet_fit(model, starts=(10, 3), gtol=1e-8)
    assert abs(res.llf - ref["loglike"]) < 1e-6
    props = res.class_proportions.to_numpy()
    assert np.allclose(props, [ref["params"][f"prop_c{j + 1}"] for j in range(k)], atol=1e-4)
    for it in "ABCDEFG":
        for j in range(k):
            p = expit(res.params[f"{it}~1[c={j + 1}]"])
            assert abs(p - ref["params"][f"{it}_c{j + 1}"]) < 1e-4, (it, j)
    assert abs(res.aic - ref["aic"]) < 1e-5


def test_peer_sleepstudy_random_slope():
    ref = results_glmm_sleepstudy.ml
    df = pd.read_csv(DATA / "sleepstudy.csv")
    model = mixture("Reaction ~ Days + (1 + Days | Subject)", data=df,
                    integration="gauss-hermite", n_points=5, adaptive=True)
    assert model.param_names == ["Reaction~1", "Reaction~Days", "Var(1|Subject)",
                                 "Cov(1|Subject,Days|Subject)", "Var(Days|Subject)",
                                 "Var(Reaction)"]
    res = quiet_fit(model, gtol=1e-8)
    assert abs(res.llf - ref["loglike"]) < 1e-4
    p = ref["params"]
    want = [p["Intercept"], p["Days"], p["re_var_Intercept"], p["re_cov_Intercept_Days"],
            p["re_var_Days"], p["resid_var"]]
    assert np.allclose(res.params.to_numpy(), want, rtol=2e-4)
    assert res.model.nobs == 180 and res.model.n_clusters == 18


def test_peer_cbpp_binomial():
    ref = results_glmm_cbpp.agq11
    df = pd.read_csv(DATA / "cbpp.csv")
    model = mixture("incidence ~ C(period) + (1 | herd)", data=df, family="binomial",
                    trials="size", integration="gauss-hermite", n_points=11, adaptive=True)
    assert model.param_names == ["incidence~1", "incidence~C(period)[T.2]",
                                 "incidence~C(period)[T.3]", "incidence~C(period)[T.4]",
                                 "Var(1|herd)"]
    res = quiet_fit(model)
    assert abs(res.llf - (-91.98337)) < 1e-3
    assert abs(res.llf - ref["loglike"]) < 1e-4
    want = [ref["params"][k] for k in ("Intercept", "period2", "period3", "period4",
                                       "re_var_Intercept")]
    assert np.allclose(res.params.to_numpy(), want, atol=2e-3)


def test_peer_lsat7_2pl():
    ref = results_irt_lsat7.twopl
    df = pd.read_csv(DATA / "lsat7.csv")
    model = mixture("theta =~ item1 + ... + item5", data=df, family="binary",
                    integration="gauss-hermite", n_points=61)
    res = quiet_fit(model, gtol=1e-8)
    assert abs(res.llf - (-2658.805)) < 1e-3
    slopes = np.abs([res.params[f"theta=~item{k}"] for k in range(1, 6)])
    assert np.allclose(slopes, [ref["params"][f"a{k}"] for k in range(1, 6)], atol=2e-3)
    intercepts = [res.params[f"item{k}~1"] for k in range(1, 6)]
    assert np.allclose(intercepts, [ref["params"][f"d{k}"] for k in range(1, 6)], atol=2e-3)


def test_peer_datatoy_multilevel_lca():
    ref = results_mlca_datatoy.twolevel
    df = pd.read_csv(DATA / "datatoy.csv")
    model = mixture("Y_1 + ... + Y_10 ~ c\nc ~ d", data=df,
                    classes={"d": Between(2), "c": 3}, family="binary", cluster="id_high")
    res = quiet_fit(model, starts=(4, 2), gtol=1e-8)
    assert abs(res.llf - ref["loglike"]) < 1e-4
    props = res.class_proportions
    assert np.allclose(sorted(props[["d=1", "d=2"]]), [1 / 3, 2 / 3], atol=1e-4)


def test_peer_datatoy_single_level_lca():
    ref = results_mlca_datatoy.single
    df = pd.read_csv(DATA / "datatoy.csv")
    model = mixture("Y_1 + ... + Y_10 ~ c", data=df, classes={"c": 3}, family="binary")
    res = quiet_fit(model, starts=(4, 2), gtol=1e-8)
    assert abs(res.llf - ref["loglike"]) < 1e-4


def test_response_patterns_fit_equals_raw_rows():
    """Carcinoma LCA on its response patterns with counts: the raw rows' numbers."""
    import mixlevel as ml

    raw = pd.read_csv(DATA / "carcinoma.csv") - 1
    raw.loc[[3, 40, 41], "B"] = np.nan  # missing responses make patterns of their own
    items = list(raw.columns)
    patterns = ml.response_patterns(raw, items)
    assert patterns["n"].sum() == len(raw) and len(patterns) < len(raw) / 2
    assert patterns["B"].isna().sum() >= 1
    formula = " + ".join(items) + " ~ c"
    fits = [ml.mixture(formula, data=d, classes={"c": 2}, family="binary", **kw)
            .fit(starts=(6, 2), gtol=1e-9)
            for d, kw in ((raw, {}), (patterns, {"weights": "n"}))]
    assert abs(fits[0].llf - fits[1].llf) < 1e-8
    # on the probability scale: a logit at the boundary (probability 1) is any large value
    np.testing.assert_allclose(expit(fits[1].params), expit(fits[0].params), atol=1e-6)
    assert fits[1].nobs == fits[0].nobs == len(raw)


def test_response_patterns_errors_name_the_column():
    import mixlevel as ml

    df = pd.DataFrame({"u1": [0, 1], "u2": [1, 1]})
    with pytest.raises(ml.SpecificationError, match="u3"):
        ml.response_patterns(df, ["u1", "u3"])
    with pytest.raises(ml.SpecificationError, match="count column"):
        ml.response_patterns(df, ["u1", "u2"], name="u1")
