"""The statsmodels / lme4 results protocol (issue 15): covariance types,
boundary logits, probabilities, predictions with random effects and the
variance components, each against established software or a direct computation."""

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy import stats
from scipy.integrate import trapezoid

from mixlevel import mixture
from mixlevel.errors import ConvergenceWarning, SpecificationError
from tests.results import (
    results_glmm_contraception,
    results_glmm_sleepstudy,
    results_lca_carcinoma,
    results_protocol_contraception,
)

DATA = Path(__file__).parent / "data"
Z975 = stats.norm.ppf(0.975)


@pytest.fixture(scope="module")
def carcinoma_mlf():
    df = pd.read_csv(DATA / "carcinoma.csv") - 1
    model = mixture("A + B + C + D + E + F + G ~ c", data=df, classes={"c": 2},
                    family="binary")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # boundary items must not make the SEs "unreliable"
        res = model.fit(starts=(10, 3), cov_type="MLF")
        assert res.bse.notna().sum() == 10  # computed on first use: 15 minus 5 on the boundary
    return res


def test_mlf_probabilities_and_their_ses_equal_polca(carcinoma_mlf):
    """poLCA's SEs are the inverse outer product of the scores with the boundary
    estimates dropped, mapped to probabilities by the delta method."""
    res, ref = carcinoma_mlf, results_lca_carcinoma.lca2_polca
    assert res.llf == pytest.approx(ref["loglike"], abs=1e-6)
    prof = res.profiles.set_index(["outcome", "c"])
    for item in "ABCDEFG":
        for k in (1, 2):
            key = f"{item}_c{k}"
            assert prof.loc[(item, k), "estimate"] == pytest.approx(ref["params"][key],
                                                                    abs=1e-6)
            assert prof.loc[(item, k), "se"] == pytest.approx(ref["bse"][key], rel=1e-4,
                                                              abs=1e-9)
    props = res.class_proportions_table()
    np.testing.assert_allclose(props["se"], [ref["bse"]["prop_c1"], ref["bse"]["prop_c2"]],
                               rtol=1e-4)


def test_boundary_logits_are_fixed_and_named_in_the_summary(carcinoma_mlf):
    res = carcinoma_mlf
    ref = results_lca_carcinoma.lca2_polca["params"]
    on_boundary = {f"{k[0]}~1[c={k[-1]}]" for k, v in ref.items()
                   if not k.startswith("prop") and v in (0.0, 1.0)}
    assert set(res.boundary_params) == on_boundary
    assert res.bse[sorted(on_boundary)].isna().all()
    assert res.bse.drop(sorted(on_boundary)).notna().all()
    text = str(res.summary())
    assert "Standard errors: MLF" in text
    assert "treated as fixed there" in text and "A~1[c=1]" in text
    assert "singular" not in text


def test_probability_intervals_are_logit_intervals_inside_0_1(carcinoma_mlf):
    prof = carcinoma_mlf.profiles
    assert (prof["lower"] >= 0).all() and (prof["upper"] <= 1).all()
    p, se = prof["estimate"].to_numpy(), prof["se"].to_numpy()
    inner = (p > 1e-6) & (p < 1 - 1e-6)
    logit = np.log(p[inner] / (1 - p[inner]))
    half = Z975 * se[inner] / (p[inner] * (1 - p[inner]))
    np.testing.assert_allclose(prof["lower"].to_numpy()[inner], 1 / (1 + np.exp(half - logit)),
                               rtol=1e-10)
    np.testing.assert_allclose(prof["upper"].to_numpy()[inner],
                               1 / (1 + np.exp(-half - logit)), rtol=1e-10)


@pytest.fixture(scope="module")
def logistic():
    rng = np.random.default_rng(7)
    n, groups = 400, 25
    df = pd.DataFrame({"x": rng.normal(size=n), "region": rng.integers(0, groups, n)})
    u = rng.normal(scale=0.8, size=groups)[df["region"]]
    df["y"] = (rng.uniform(size=n) < 1 / (1 + np.exp(-(0.3 + 0.7 * df["x"] + u)))).astype(float)
    res = mixture("y ~ x", data=df, family="binary").fit()
    glm = sm.GLM(df["y"], sm.add_constant(df[["x"]]), family=sm.families.Binomial())
    return df, res, glm


def test_cluster_covariance_equals_statsmodels_glm(logistic):
    df, res, glm = logistic
    for corr in (True, False):
        ref = glm.fit(cov_type="cluster", cov_kwds={"groups": df["region"],
                                                    "use_correction": corr})
        got = res.with_cov_type("cluster", {"groups": "region", "use_correction": corr})
        np.testing.assert_allclose(got.params, ref.params, rtol=1e-5)
        np.testing.assert_allclose(got.bse, ref.bse, rtol=1e-4)
        assert "25 groups of region" in str(got.summary())
    # by values rather than by name, and chosen at the fit
    by_values = res.model.fit(cov_type="cluster", cov_kwds={"groups": df["region"]})
    np.testing.assert_allclose(by_values.bse, got.with_cov_type(
        "cluster", {"groups": "region"}).bse, rtol=1e-10)


def test_ml_mlr_mlf_on_a_glm_equal_their_formulas(logistic):
    df, res, glm = logistic
    ref = glm.fit()
    X = sm.add_constant(df[["x"]]).to_numpy()
    mu = ref.fittedvalues.to_numpy()
    info = X.T @ (X * (mu * (1 - mu))[:, None])
    s = X * (df["y"].to_numpy() - mu)[:, None]
    opg = s.T @ s
    inv = np.linalg.inv(info)
    want = {"ML": inv, "MLF": np.linalg.inv(opg), "MLR": inv @ opg @ inv}
    for name, cov in want.items():
        got = res.with_cov_type(name)
        assert got.cov_type == name
        np.testing.assert_allclose(got.cov_params().to_numpy(), cov, rtol=2e-4)
        assert f"Standard errors: {name}" in str(got.summary())
    np.testing.assert_allclose(res.with_cov_type("ML").bse, ref.bse, rtol=1e-4)


def test_bad_covariance_types_say_what_to_use(logistic):
    df, res, _ = logistic
    with pytest.raises(SpecificationError, match="use 'MLR'.*'MLF'.*'cluster'"):
        res.model.fit(cov_type="HC0")
    with pytest.raises(SpecificationError, match="needs the grouping column"):
        res.with_cov_type("cluster")
    with pytest.raises(SpecificationError, match="no column 'zone'"):
        res.with_cov_type("cluster", {"groups": "zone"})
    with pytest.raises(SpecificationError, match="applies to cov_type='cluster'"):
        res.with_cov_type("MLR", {"groups": "region"})


# ---------------------------------------------------------------------------------------
# warnings name the caller's line
# ---------------------------------------------------------------------------------------
def test_warnings_point_at_the_callers_line(logistic):
    df = logistic[0].copy()
    df.loc[[3, 5], "x"] = np.nan
    with pytest.warns(UserWarning, match="2 of 400 rows dropped") as rec:
        mixture("y ~ x", data=df, family="binary")
    assert {Path(w.filename).name for w in rec} == {Path(__file__).name}
    items = pd.read_csv(DATA / "carcinoma.csv") - 1
    lca = mixture("A + B + C + D + E + F + G ~ c", data=items, classes={"c": 2},
                  family="binary")
    with pytest.warns(ConvergenceWarning, match="did not converge") as rec:
        lca.fit(maxiter=2, em_iter=0)
    assert {Path(w.filename).name for w in rec} == {Path(__file__).name}


# ---------------------------------------------------------------------------------------
# predictions with random effects (lme4's predict, MixedLM's fitted values)
# ---------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def sleepstudy():
    df = pd.read_csv(DATA / "sleepstudy.csv")
    return df, mixture("Reaction ~ Days + (1 + Days | Subject)", data=df).fit()


@pytest.fixture(scope="module")
def contraception():
    df = pd.read_csv(DATA / "contraception.csv")
    model = mixture("use ~ urban + age + livch + (1 | district)", data=df, family="binary")
    return df, model.fit()


def test_fitted_and_newdata_predictions_equal_lme4_for_a_normal_model(sleepstudy):
    df, res = sleepstudy
    ref = results_glmm_sleepstudy.ml_profile
    np.testing.assert_allclose(res.predict(conditional=True)["Reaction"], ref["predict"],
                               rtol=1e-7)
    np.testing.assert_allclose(res.predict()["Reaction"], ref["predict_population"],
                               rtol=1e-7)
    nd = pd.DataFrame(ref["newdata"]).astype({"Subject": int})  # subject 999 is new
    for effects in ("mean", "mode"):  # the same for normal outcomes
        got = res.predict(nd, conditional=True, effects=effects)["Reaction"]
        np.testing.assert_allclose(got, ref["predict_newdata"], rtol=1e-7)
    np.testing.assert_allclose(res.predict(nd)["Reaction"], ref["predict_newdata_population"],
                               rtol=1e-7)
    with pytest.raises(ValueError, match=r"1 cluster\(s\) of 'Subject' not in the fit \(999\)"):
        res.predict(nd, conditional=True, new_levels="error")
    with pytest.raises(ValueError, match="needs the cluster column 'Subject'"):
        res.predict(nd.drop(columns="Subject"), conditional=True)


def test_conditional_modes_plugged_in_equal_lme4_predict_on_contraception(contraception):
    df, res = contraception
    ref = results_glmm_contraception.predict_agq25
    nd = pd.DataFrame(ref["newdata"])
    got = res.predict(nd, conditional=True, effects="mode")["use"]
    np.testing.assert_allclose(got, ref["conditional"], atol=2e-5)
    np.testing.assert_allclose(res.predict(nd, conditional=True, effects="mode"),
                               res.predict(nd.assign(use=1 - np.arange(7) % 2),
                                           conditional=True, effects="mode"), rtol=1e-12)
    new = pd.DataFrame({"district": [999], "urban": [1], "age": [0.0], "livch": ["2"]})
    assert float(res.predict(new, conditional=True, effects="mode")["use"].iloc[0]) == \
        pytest.approx(ref["new_district_response"], abs=2e-5)


def test_posterior_mean_prediction_equals_direct_integration(contraception):
    """effects='mean': E[expit(x'b + u) | the district's data], by quadrature."""
    df, res = contraception
    p = res.params
    sd = np.sqrt(p["Var(1|district)"])
    X = np.column_stack([np.ones(len(df)), df["urban"], df["age"]] +
                        [(df["livch"] == lev).astype(float) for lev in ("1", "2", "3+")])
    beta = np.array([p["use~1"], p["use~urban"], p["use~age"]] +
                    [p[f"use~livch[T.{lev}]"] for lev in ("1", "2", "3+")])
    eta = X @ beta
    nd = df.iloc[[0, 117, 999]]
    got = res.predict(nd, conditional=True)["use"].to_numpy()
    u = np.linspace(-8, 8, 4001)
    for k, (i, dist) in enumerate(zip(nd.index, nd["district"], strict=True)):
        rows = (df["district"] == dist).to_numpy()
        e = eta[rows][:, None] + sd * u[None, :]
        y = df["use"].to_numpy()[rows][:, None]
        like = np.exp((y * e - np.log1p(np.exp(e))).sum(axis=0)) * stats.norm.pdf(u)
        want = trapezoid(like / (1 + np.exp(-(eta[i] + sd * u))), u) / trapezoid(like, u)
        assert got[k] == pytest.approx(want, rel=1e-6)


# ---------------------------------------------------------------------------------------
# fitted values, residuals, llnull, tests by term: statsmodels GLM on the same data
# ---------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def contraception_glm():
    import statsmodels.formula.api as smf

    df = pd.read_csv(DATA / "contraception.csv")
    res = mixture("use ~ urban + age + livch", data=df, family="binary").fit(cov_type="ML")
    glm = smf.glm("use ~ urban + age + livch", df, family=sm.families.Binomial()).fit()
    return res, glm


def test_fitted_residuals_llnull_and_df_equal_statsmodels_glm(contraception_glm):
    res, glm = contraception_glm
    np.testing.assert_allclose(res.fittedvalues, glm.fittedvalues, rtol=1e-6)
    np.testing.assert_allclose(res.resid_response, glm.resid_response, rtol=1e-5, atol=1e-7)
    np.testing.assert_allclose(res.resid_pearson, glm.resid_pearson, rtol=1e-5, atol=1e-7)
    assert res.llnull == pytest.approx(glm.llnull, rel=1e-10)
    llr = 2 * (glm.llf - glm.llnull)
    assert res.llr == pytest.approx(llr, rel=1e-6)
    assert (res.df_model, res.df_resid) == (glm.df_model, glm.df_resid)
    assert res.llr_pvalue == pytest.approx(stats.chi2.sf(llr, glm.df_model), rel=1e-4)


def test_wald_test_terms_and_pairwise_levels_equal_statsmodels_glm(contraception_glm):
    res, glm = contraception_glm
    ours = res.wald_test_terms()
    theirs = glm.wald_test_terms(scalar=True).table
    for term, want in (("urban", "urban"), ("age", "age"), ("livch", "livch"),
                       ("1", "Intercept")):
        row = ours.loc[f"use~{term}"]
        assert row["chi2"] == pytest.approx(theirs.loc[want, "statistic"], rel=1e-5)
        assert row["df_constraint"] == theirs.loc[want, "df_constraint"]
    got = res.t_test_pairwise("livch")
    want = glm.t_test_pairwise("livch").result_frame
    want.index = [i.replace("livch[T.", "").replace("]", "") for i in want.index]
    assert list(got.index) == ["1-0", "2-0", "3+-0", "2-1", "3+-1", "3+-2"]
    for col in ("coef", "std err", "pvalue-hs"):
        np.testing.assert_allclose(got[col], want.loc[got.index, col], rtol=1e-4)
    assert list(got["reject-hs"]) == list(want.loc[got.index, "reject-hs"])
    with pytest.raises(ValueError, match="no factor term 'parity'"):
        res.t_test_pairwise("parity")


def test_summary2_has_every_parameter_and_the_covariance_type(contraception_glm):
    res, _ = contraception_glm
    text = str(res.summary2())
    for name in res.model.param_names:
        assert name in text
    assert f"{res.llf:.4f}" in text and "Standard errors: ML" in text


# ---------------------------------------------------------------------------------------
# variance components as SDs and correlations (lme4 VarCorr)
# ---------------------------------------------------------------------------------------
def test_var_components_equal_lme4_varcorr_on_sleepstudy(sleepstudy):
    _, res = sleepstudy
    ref = results_glmm_sleepstudy.ml_profile["sd_cor"]
    vc = res.var_components().set_index("name")
    assert vc.loc["1|Subject", "estimate"] == pytest.approx(ref["re_sd_Intercept"], rel=1e-5)
    assert vc.loc["Days|Subject", "estimate"] == pytest.approx(ref["re_sd_Days"], rel=1e-5)
    assert vc.loc["1|Subject,Days|Subject", "estimate"] == pytest.approx(
        ref["re_cor_Intercept_Days"], abs=1e-5)
    assert vc.loc["Reaction", "estimate"] == pytest.approx(ref["sigma"], rel=1e-5)
    # delta method: se(SD) = se(Var) / (2 SD)
    row = vc.loc["1|Subject"]
    assert row["se"] == pytest.approx(res.bse["Var(1|Subject)"] / (2 * row["estimate"]),
                                      rel=1e-4)
    assert row["lower"] < row["estimate"] < row["upper"]
    assert "standard deviations and correlations" in str(res.summary())


def test_var_components_equal_lme4_varcorr_on_contraception(contraception):
    _, res = contraception
    ref = results_glmm_contraception.varcorr["agq25"]
    vc = res.var_components().set_index("name")
    assert vc.loc["1|district", "estimate"] == pytest.approx(ref["re_sd_Intercept"], rel=2e-3)
    assert vc.loc["1|district", "variance"] == pytest.approx(ref["re_var_Intercept"], rel=4e-3)


# ---------------------------------------------------------------------------------------
# get_prediction: delta-method standard errors and intervals
# ---------------------------------------------------------------------------------------
def test_get_prediction_equals_statsmodels_glm(contraception_glm):
    res, glm = contraception_glm
    nd = pd.read_csv(DATA / "contraception.csv").iloc[[0, 5, 100, 1500]]
    for which in ("mean", "linear"):
        ours = res.get_prediction(nd, which=which).summary_frame()
        theirs = glm.get_prediction(nd, which=which).summary_frame().to_numpy()
        np.testing.assert_allclose(ours.to_numpy(), theirs, rtol=1e-5, atol=1e-8)
    pred = res.get_prediction(nd)
    np.testing.assert_allclose(pred.predicted_mean, res.predict(nd)["use"], rtol=1e-12)
    assert pred.conf_int().shape == (4, 2)


def test_get_prediction_of_a_mixed_model_equals_the_fixed_part_formula(sleepstudy):
    _, res = sleepstudy
    res = res.with_cov_type("ML")
    nd = pd.DataFrame({"Days": [0.0, 4.5, 9.0], "Subject": [308, 309, 999]})
    X = np.column_stack([np.ones(3), nd["Days"]])
    cov = res.cov_params().loc[["Reaction~1", "Reaction~Days"],
                               ["Reaction~1", "Reaction~Days"]].to_numpy()
    frame = res.get_prediction(nd).summary_frame()
    np.testing.assert_allclose(frame["mean_se"], np.sqrt(np.einsum("ij,jk,ik->i", X, cov, X)),
                               rtol=1e-5)
    np.testing.assert_allclose(frame["mean_ci_upper"] - frame["mean"],
                               Z975 * frame["mean_se"], rtol=1e-10)


def test_conditional_linear_predictor_equals_lme4_link_prediction(contraception):
    _, res = contraception
    ref = results_glmm_contraception.predict_agq25
    nd = pd.DataFrame(ref["newdata"])
    pred = res.get_prediction(nd, which="linear", conditional=True, effects="mode")
    np.testing.assert_allclose(pred.predicted_mean, ref["link_conditional"], atol=1e-4)
    assert (pred.se_mean > 0).all()
    with pytest.raises(ValueError, match="effects='mode'"):
        res.get_prediction(nd, which="linear", conditional=True)


# ---------------------------------------------------------------------------------------
# profile-likelihood intervals (lme4 confint(method = "profile"))
# ---------------------------------------------------------------------------------------
def test_profile_intervals_equal_lme4_on_sleepstudy(sleepstudy):
    _, res = sleepstudy
    ref = results_glmm_sleepstudy.ml_profile["confint_profile"]
    cols = ["Reaction~Days", "Var(1|Subject)", "Var(Reaction)"]
    ci = res.conf_int(method="profile", cols=cols)
    np.testing.assert_allclose(ci.loc["Reaction~Days"], ref["Days"], rtol=1e-5)
    # lme4 profiles the SDs; the interval of a variance maps to the SD's by square roots
    np.testing.assert_allclose(np.sqrt(ci.loc["Var(1|Subject)"]),
                               ref["sd_(Intercept)|Subject"], rtol=1e-5)
    np.testing.assert_allclose(np.sqrt(ci.loc["Var(Reaction)"]), ref["sigma"], rtol=1e-5)
    assert ci.drop(cols).isna().all().all()
    # at an end the profile deviance is the chi-square cut-off
    lo = ci.loc["Reaction~Days"].iloc[0]
    ll, _ = res.profile_loglike("Reaction~Days", lo)
    assert 2 * (res.llf - ll) == pytest.approx(stats.chi2.ppf(0.95, 1), rel=1e-5)
    np.testing.assert_allclose(res.conf_int(), res.conf_int(method="wald"))
    with pytest.raises(ValueError, match="'wald' or 'profile'"):
        res.conf_int(method="boot")


def test_profile_intervals_equal_lme4_on_contraception():
    """A GLMM: the default rule's profile intervals equal lme4 nAGQ = 25
    confint(method="profile") (which took lme4 about 20 minutes)."""
    ref = results_protocol_contraception.agq25_profile
    df = pd.read_csv(DATA / "contraception.csv")
    df["livch"] = pd.Categorical(df["livch"].astype(str), categories=["0", "1", "2", "3+"])
    res = mixture("use ~ urban + age + livch + (1 | district)", df,
                  family="binary").fit(cov_type="ML")
    assert res.llf == pytest.approx(ref["loglike"], abs=1e-6)
    ci = res.conf_int(method="profile")
    names = {"use~1": "(Intercept)", "use~urban": "urban", "use~age": "age",
             "use~livch[T.1]": "livch1", "use~livch[T.2]": "livch2",
             "use~livch[T.3+]": "livch3+"}
    for ours, theirs in names.items():
        np.testing.assert_allclose(ci.loc[ours], ref["confint_profile"][theirs], atol=2e-5)
    np.testing.assert_allclose(np.sqrt(ci.loc["Var(1|district)"]),
                               ref["confint_profile"][".sig01"], atol=2e-5)


def test_relabel_swaps_the_classes_at_the_same_likelihood(carcinoma_mlf):
    res = carcinoma_mlf
    new = res.relabel([2, 1])
    assert new.llf == pytest.approx(res.llf, abs=1e-6)
    np.testing.assert_allclose(new.class_proportions.to_numpy(),
                               res.class_proportions.to_numpy()[::-1], atol=1e-6)
    old = res.profiles.set_index(["outcome", "c"])
    got = new.profiles.set_index(["outcome", "c"])
    for item in "ABCDEFG":
        for k in (1, 2):
            assert got.loc[(item, k), "estimate"] == pytest.approx(
                old.loc[(item, 3 - k), "estimate"], abs=1e-6)
            assert got.loc[(item, k), "se"] == pytest.approx(old.loc[(item, 3 - k), "se"],
                                                             rel=1e-3, abs=1e-8)
    assert new.cov_type == "MLF"
    with pytest.raises(ValueError, match="each of the labels 1..2 once"):
        res.relabel([1, 1])


# ---------------------------------------------------------------------------------------
# bootstrap (lme4 bootMer): the mechanics here, the accuracy in slow tests
# ---------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def regression():
    rng = np.random.default_rng(3)
    df = pd.DataFrame({"x": rng.normal(size=200)})
    df["y"] = 1 + 0.5 * df["x"] + rng.normal(size=200)
    return mixture("y ~ x", data=df).fit(cov_type="ML")


def test_bootstrap_draws_are_reproducible_and_checkpointed(regression, tmp_path):
    res = regression
    boot = res.bootstrap(4, seed=5)
    assert boot.draws.shape == (4, 3) and boot.n_failed == 0
    assert list(boot.draws.columns) == res.model.param_names
    np.testing.assert_allclose(boot.bse, boot.draws.std(ddof=1))
    again = res.bootstrap(4, seed=5, checkpoint=tmp_path / "boot.jsonl")
    pd.testing.assert_frame_equal(again.draws, boot.draws)
    resumed = res.bootstrap(4, seed=5, checkpoint=tmp_path / "boot.jsonl")  # read back
    np.testing.assert_allclose(resumed.draws, boot.draws, rtol=1e-12)
    assert not np.allclose(res.bootstrap(4, seed=6).draws, boot.draws)
    ci = boot.conf_int(func=lambda p: np.sqrt(p["Var(y)"]))
    assert ci.shape == (1, 2) and 0 < ci.iloc[0, 0] < ci.iloc[0, 1]
    with pytest.raises(ValueError, match="'parametric' or 'cluster'"):
        res.bootstrap(4, kind="case")


@pytest.mark.slow
def test_parametric_bootstrap_se_agrees_with_the_information(regression):
    res = regression
    boot = res.bootstrap(300, seed=1)
    np.testing.assert_allclose(boot.bse, res.bse, rtol=0.2)  # MC error of an SD: ~4%


@pytest.mark.slow
def test_cluster_bootstrap_se_agrees_with_the_cluster_sandwich(sleepstudy):
    _, res = sleepstudy
    boot = res.bootstrap(100, kind="cluster", seed=2)
    cols = ["Reaction~1", "Reaction~Days"]
    np.testing.assert_allclose(boot.bse[cols], res.with_cov_type("MLR").bse[cols], rtol=0.35)


def test_variance_test_on_the_boundary_equals_the_nested_fits(sleepstudy):
    import statsmodels.formula.api as smf

    df, slope = sleepstudy
    intercept = mixture("Reaction ~ Days + (1 | Subject)", data=df).fit()
    ols = smf.ols("Reaction ~ Days", df).fit()  # the model with Var(1|Subject) = 0
    t = intercept.test_variance("Var(1|Subject)")
    assert t["lr"] == pytest.approx(2 * (intercept.llf - ols.llf), rel=1e-6)
    assert t["df"] == 1 and t["pvalue"] == pytest.approx(t["pvalue_naive"] / 2, rel=1e-12)
    # a slope variance: its covariance vanishes too, a 50:50 mixture of chi2(1) and chi2(2)
    t = slope.test_variance("Var(Days|Subject)")
    lr = 2 * (slope.llf - intercept.llf)
    assert t["lr"] == pytest.approx(lr, rel=1e-4) and t["df"] == 2
    assert t["pvalue"] == pytest.approx(0.5 * stats.chi2.sf(t["lr"], 1) +
                                        0.5 * stats.chi2.sf(t["lr"], 2), rel=1e-12)
    with pytest.raises(ValueError, match="not a random-effect variance"):
        slope.test_variance("Reaction~Days")
