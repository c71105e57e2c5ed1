"""Stepwise auxiliary models: 3-step ML, BCH and naive, within and between classes."""

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import mixlevel as ml
from mixlevel.errors import EstimationWarning, SpecificationError
from mixlevel.inference.stepwise import classification_error, three_step

from .results import results_stepwise_stepmix as ref

DATA = Path(__file__).parent / "data"
GSS_ITEMS = ["DEFECT", "HLTH", "RAPE", "POOR", "SINGLE", "NOMORE"]
NYTS_ITEMS = ["ECIGT", "ECIGAR", "ESLT", "EELCIGT", "EHOOKAH"]


def quiet(fn, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return fn(*args, **kwargs)


@pytest.fixture(scope="module")
def gss():
    """The StepMix reference data: complete cases, items recoded yes = 1, no = 0."""
    df = pd.read_csv(DATA / "gss08.csv").dropna(subset=GSS_ITEMS).reset_index(drop=True)
    df[GSS_ITEMS] = 2 - df[GSS_ITEMS]
    df["FEMALE"] = (df["SEX"] == "FEMALE").astype(float)
    return df


@pytest.fixture(scope="module")
def gss_fit(gss):
    model = ml.mixture(" + ".join(GSS_ITEMS) + " ~ c", gss, classes={"c": 3},
                       family="binary")
    return quiet(model.fit, starts=(40, 8), progress=False)


def fixed_modal_logits(D, c="c"):
    """fix= for a nominal indicator W ~ c whose error probabilities are D[k, s].

    The logit of category s against the last; with two categories mixlevel names the
    one logit ``W~1[c=k]``."""
    K = D.shape[0]
    return {(f"W#{s + 1}~1[{c}={k + 1}]" if K > 2 else f"W~1[{c}={k + 1}]"):
            float(np.log(D[k, s] / D[k, K - 1])) for k in range(K) for s in range(K - 1)}


# ---------------------------------------------------------------------------------------
# StepMix on the same data and measurement model
# ---------------------------------------------------------------------------------------
def test_measurement_model_is_stepmix(gss_fit):
    assert gss_fit.llf == pytest.approx(ref.covariate_ML["measurement_loglike"], abs=1e-6)
    props = quiet(lambda: gss_fit.class_proportions)
    np.testing.assert_allclose(props, ref.covariate_ML["class_proportions"], atol=1e-6)


@pytest.mark.parametrize("method", ["ML", "BCH"])
def test_covariate_matches_stepmix(gss_fit, method):
    out = three_step(gss_fit, covariates="AGE + FEMALE", method=method)
    expected = getattr(ref, f"covariate_{method}")["params"]
    for name, value in expected.items():
        assert out.params[name] == pytest.approx(value, abs=2e-5, rel=1e-4), name


@pytest.mark.parametrize("method", ["ML", "BCH"])
def test_distal_matches_stepmix(gss_fit, method):
    # StepMix's ML distal model holds the class proportions at their step-1 values
    kw = {"proportions": "fixed"} if method == "ML" else {}
    for name, family in (("AGE", "normal"), ("FEMALE", "binary")):
        out = three_step(gss_fit, distal={name: family}, method=method, **kw)
        expected = getattr(ref, f"distal_{name}_{method}")["params"]
        for pname, value in expected.items():
            # StepMix adds reg_covar = 1e-6 to its variances
            assert out.params[pname] == pytest.approx(value, rel=2e-6, abs=2e-6), pname


# ---------------------------------------------------------------------------------------
# 3-step ML is the mixture model with the modal class as an indicator of known error
# ---------------------------------------------------------------------------------------
def test_ml_covariate_is_mixture_with_fixed_modal_indicator(gss_fit, gss):
    out = three_step(gss_fit, covariates="AGE + FEMALE", method="ML")
    D = out.D.to_numpy()
    data = gss.assign(W=gss_fit.modal_class()["c"].to_numpy())
    model = ml.mixture("W ~ c\nc ~ AGE + FEMALE", data, classes={"c": 3},
                       family={"W": "nominal"}, fix=fixed_modal_logits(D))
    res = quiet(model.fit, starts=(10, 3), progress=False, canonical=False, gtol=1e-10)
    assert res.llf == pytest.approx(out.loglike, abs=1e-6)
    for name in out.params.index:
        assert res.params[name] == pytest.approx(out.params[name], abs=1e-5)
        # same likelihood, same sandwich: mixlevel's MLR standard errors
        assert res.bse[name] == pytest.approx(out.table.loc[name, "se_step3"], rel=2e-3)


def test_ml_distal_is_mixture_with_fixed_modal_indicator(gss_fit, gss):
    out = three_step(gss_fit, distal={"AGE": "normal", "FEMALE": "binary"}, method="ML")
    data = gss.assign(W=gss_fit.modal_class()["c"].to_numpy())
    model = ml.mixture("W ~ c\nAGE ~ c\nvar(AGE) ~ c\nFEMALE ~ c", data, classes={"c": 3},
                       family={"W": "nominal", "FEMALE": "binary"},
                       fix=fixed_modal_logits(out.D.to_numpy()))
    res = quiet(model.fit, starts=(10, 3), progress=False, canonical=False, gtol=1e-10)
    assert res.llf == pytest.approx(out.loglike, abs=1e-6)
    for k in (1, 2, 3):
        assert res.params[f"AGE~1[c={k}]"] == pytest.approx(
            out.params[f"mean(AGE)[c={k}]"], abs=1e-4)
        assert res.params[f"Var(AGE)[c={k}]"] == pytest.approx(
            out.params[f"Var(AGE)[c={k}]"], rel=1e-5)
        p = 1 / (1 + np.exp(-res.params[f"FEMALE~1[c={k}]"]))
        assert p == pytest.approx(out.params[f"mean(FEMALE)[c={k}]"], abs=1e-6)
    np.testing.assert_allclose(out.proportions["step3"], res.class_proportions, atol=1e-6)


def test_poisson_distal_ml_and_bch():
    """A count distal outcome: ML against the mixture with the modal indicator, BCH
    against the weighted means it is defined by."""
    rng = np.random.default_rng(4)
    n = 500
    cls = rng.random(n) < 0.4
    p = np.where(cls[:, None], [0.9, 0.8, 0.85, 0.8, 0.9], [0.15, 0.2, 0.1, 0.3, 0.2])
    df = pd.DataFrame((rng.random((n, 5)) < p).astype(float),
                      columns=[f"u{i}" for i in range(1, 6)])
    df["visits"] = rng.poisson(np.where(cls, 3.0, 1.0)).astype(float)
    res = quiet(ml.mixture("u1 + u2 + u3 + u4 + u5 ~ c", df, classes={"c": 2},
                           family="binary").fit, starts=(20, 4), progress=False)
    out_ml = three_step(res, distal={"visits": "count"}, method="ML")
    W = res.modal_class()["c"].to_numpy()
    D = out_ml.D.to_numpy()
    model = ml.mixture("W ~ c\nvisits ~ c", df.assign(W=W), classes={"c": 2},
                       family={"W": "nominal", "visits": "poisson"}, fix=fixed_modal_logits(D))
    one = quiet(model.fit, starts=(10, 3), progress=False, canonical=False)
    for k in (1, 2):
        assert np.exp(one.params[f"visits~1[c={k}]"]) == pytest.approx(
            out_ml.params[f"mean(visits)[c={k}]"], rel=1e-5)
    out_bch = three_step(res, distal={"visits": "poisson"}, method="BCH")
    w = np.linalg.inv(D)[W - 1]
    expected = (w * df["visits"].to_numpy()[:, None]).sum(axis=0) / w.sum(axis=0)
    np.testing.assert_allclose(out_bch.params[["mean(visits)[c=1]", "mean(visits)[c=2]"]],
                               expected, rtol=1e-7)
    # the truth is (3, 1) or (1, 3) depending on the labels
    assert sorted(out_bch.params[["mean(visits)[c=1]", "mean(visits)[c=2]"]]) == \
        pytest.approx([1.0, 3.0], abs=0.35)


# ---------------------------------------------------------------------------------------
# standard errors and checks
# ---------------------------------------------------------------------------------------
def test_classification_error_matrix(gss_fit):
    out = three_step(gss_fit, distal="AGE", method="naive")
    post = gss_fit.posterior().to_numpy()
    W = post.argmax(axis=1)
    D = np.array([[post[W == s, k].sum() for s in range(3)] for k in range(3)])
    D /= post.sum(axis=0)[:, None]
    np.testing.assert_allclose(out.D.to_numpy(), D, atol=1e-12)
    np.testing.assert_allclose(classification_error(post, W, np.ones(len(W))), D)
    # naive: the modal classes taken as true, no step-1 term
    np.testing.assert_allclose(out.table["se"], out.table["se_step3"])
    for k in range(3):
        assert out.params[f"mean(AGE)[c={k + 1}]"] == pytest.approx(
            gss_fit.model.formula.data["AGE"][W == k].mean())


def test_step1_term_equals_refits_at_perturbed_step1_parameters(gss_fit):
    """The step-1 term J V1 J' with J from re-estimating step 3 at perturbed step-1
    parameters (central differences), against the implicit-function J of three_step."""
    out = three_step(gss_fit, covariates="FEMALE", method="ML")
    params = np.asarray(gss_fit.params, float)
    V1 = np.asarray(quiet(gss_fit.cov_params), float)
    names = list(out.params.index)
    J = np.zeros((len(names), len(params)))
    for j in range(len(params)):
        h = 1e-4 * max(abs(params[j]), 1e-3)
        ests = []
        for sign in (1, -1):
            p = params.copy()
            p[j] += sign * h
            r = quiet(gss_fit.model.fit, start_params=p, em_iter=0, maxiter=0,
                      canonical=False, progress=False)
            assert (r.modal_class()["c"] == gss_fit.modal_class()["c"]).all()
            ests.append(three_step(r, covariates="FEMALE", method="ML",
                                   correct_se=False).params[names].to_numpy())
        J[:, j] = (ests[0] - ests[1]) / (2 * h)
    ok = np.isfinite(np.diag(V1))
    V1 = np.where(np.outer(ok, ok), V1, 0.0)
    expected = np.sqrt(out.table["se_step3"] ** 2 + np.diag(J @ V1 @ J.T))
    np.testing.assert_allclose(out.table["se"], expected, rtol=2e-3)
    assert (out.table["se"] >= out.table["se_step3"] - 1e-12).all()


def test_wald_tests(gss_fit):
    out = three_step(gss_fit, covariates="AGE + FEMALE", method="BCH")
    b = out.params[["c#1~FEMALE", "c#2~FEMALE"]].to_numpy()
    V = out.cov_params.loc[["c#1~FEMALE", "c#2~FEMALE"], ["c#1~FEMALE", "c#2~FEMALE"]]
    assert out.wald.loc["FEMALE = 0", "chi2"] == pytest.approx(b @ np.linalg.solve(V, b))
    assert out.wald.loc["FEMALE = 0", "df"] == 2


def test_low_entropy_warns():
    rng = np.random.default_rng(2)
    n = 1000
    cls = rng.random(n) < 0.5
    p = np.where(cls[:, None], [0.7, 0.7, 0.7, 0.7], [0.3, 0.3, 0.3, 0.3])
    df = pd.DataFrame((rng.random((n, 4)) < p).astype(float),
                      columns=[f"u{i}" for i in range(1, 5)])
    df["x"] = rng.normal(size=n)
    res = quiet(ml.mixture("u1 + u2 + u3 + u4 ~ c", df, classes={"c": 2}, family="binary").fit,
                starts=(10, 2), progress=False)
    assert res.entropy < 0.6
    with pytest.warns(EstimationWarning, match="entropy"):
        three_step(res, covariates="x", method="ML", correct_se=False)


def test_errors(gss_fit, gss):
    with pytest.raises(SpecificationError, match="0/1"):
        three_step(gss_fit, distal={"AGE": "binary"})
    with pytest.raises(SpecificationError, match="covariates="):
        three_step(gss_fit)
    with pytest.raises(SpecificationError, match="not a column"):
        three_step(gss_fit, distal="INCOME")
    with pytest.raises(ValueError, match="method"):
        three_step(gss_fit, distal="AGE", method="LTB")


# ---------------------------------------------------------------------------------------
# between classes of a two-level model
# ---------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def nyts_fit():
    df = pd.read_csv(DATA / "nyts18.csv")
    df[NYTS_ITEMS] = 2 - df[NYTS_ITEMS]
    df["HS"] = (df["SCH_LEV"] == "High School").astype(float)
    df["MALE"] = df["SEX"].map({"Male": 1.0, "Female": 0.0})
    df = df.dropna(subset=["MALE"]).reset_index(drop=True)
    model = ml.mixture(" + ".join(NYTS_ITEMS) + " ~ d", df, classes={"d": ml.Between(2)},
                       family="binary", cluster="SCH_ID")
    return quiet(model.fit, starts=(20, 4), progress=False), df


def test_between_class_ml_is_mixture_with_fixed_modal_indicator(nyts_fit):
    """Units are schools: W once per school (first row), a school covariate and a
    student-level distal outcome; the two-level mixture with W of known error."""
    res, df = nyts_fit
    out = three_step(res, covariates="HS", distal={"MALE": "binary"}, method="ML")
    assert out.level == "between" and out.n_units == 45
    modal = res.modal_class(level="cluster")["d"]
    first = ~df["SCH_ID"].duplicated()
    W = np.where(first, df["SCH_ID"].map(modal), np.nan)
    fix = fixed_modal_logits(out.D.to_numpy(), "d")
    model = ml.mixture("W ~ d\nMALE ~ d\nd ~ HS", df.assign(W=W), classes={"d": ml.Between(2)},
                       family={"W": "nominal", "MALE": "binary"}, cluster="SCH_ID", fix=fix)
    one = quiet(model.fit, starts=(10, 3), progress=False, canonical=False, gtol=1e-10)
    assert one.llf == pytest.approx(out.loglike, abs=1e-5)
    assert one.params["d#1~HS"] == pytest.approx(out.params["d#1~HS"], abs=1e-4)
    for k in (1, 2):
        p = 1 / (1 + np.exp(-one.params[f"MALE~1[d={k}]"]))
        assert p == pytest.approx(out.params[f"mean(MALE)[d={k}]"], abs=1e-5)


def test_between_class_needs_cluster_covariates(nyts_fit):
    res, _ = nyts_fit
    with pytest.raises(SpecificationError, match="vary within clusters"):
        three_step(res, covariates="MALE")
    out = three_step(res, distal={"MALE": "binary"}, method="BCH")
    assert out.level == "between"
    means = out.params[["mean(MALE)[d=1]", "mean(MALE)[d=2]"]]
    assert ((means > 0.3) & (means < 0.7)).all()


# ---------------------------------------------------------------------------------------
# Monte Carlo: the corrections remove the attenuation of the naive method
# ---------------------------------------------------------------------------------------
@pytest.mark.slow
def test_corrections_recover_effects_monte_carlo():
    """LCA with entropy ~0.7, class logit 1.0 * x, distal means 0 and 1: over 40 data sets
    the naive estimates are attenuated; ML and BCH are much less biased."""
    reps, est = 40, {m: [] for m in ("ML", "BCH", "naive")}
    dist = {m: [] for m in est}
    for s in range(reps):
        rng = np.random.default_rng(500 + s)
        n = 600
        x = rng.normal(size=n)
        cls = rng.random(n) < 1 / (1 + np.exp(-(0.0 + 1.0 * x)))  # class 1 ~ x
        p = np.where(cls[:, None], [0.8, 0.75, 0.8, 0.7, 0.75, 0.8],
                     [0.25, 0.3, 0.2, 0.3, 0.25, 0.2])
        df = pd.DataFrame((rng.random((n, 6)) < p).astype(float),
                          columns=[f"u{i}" for i in range(1, 7)])
        df["x"] = x
        df["z"] = np.where(cls, 1.0, 0.0) + rng.normal(size=n)
        res = quiet(ml.mixture("u1 + u2 + u3 + u4 + u5 + u6 ~ c", df, classes={"c": 2},
                               family="binary").fit, starts=(10, 2), progress=False)
        sign = 1 if res.params["u1~1[c=1]"] > res.params["u1~1[c=2]"] else -1  # class 1 = cls
        for m in est:
            o = quiet(three_step, res, covariates="x", method=m, correct_se=False)
            est[m].append(sign * o.params["c#1~x"])
            d = quiet(three_step, res, distal="z", method=m, correct_se=False)
            gap = d.params["mean(z)[c=1]"] - d.params["mean(z)[c=2]"]
            dist[m].append(sign * gap)
    bias = {m: abs(np.mean(v) - 1.0) for m, v in est.items()}
    bias_d = {m: abs(np.mean(v) - 1.0) for m, v in dist.items()}
    assert bias["naive"] > 0.1 and bias_d["naive"] > 0.1
    for m in ("ML", "BCH"):
        assert bias[m] < 0.5 * bias["naive"] and bias[m] < 0.08
        assert bias_d[m] < 0.5 * bias_d["naive"] and bias_d[m] < 0.08


def test_frequency_weighted_patterns_give_the_raw_rows_numbers(gss, gss_fit):
    """Response patterns with counts (weights=) stand for the raw rows, also in step 3."""
    patterns = ml.response_patterns(gss, GSS_ITEMS + ["FEMALE"])
    res = quiet(ml.mixture(" + ".join(GSS_ITEMS) + " ~ c", patterns, classes={"c": 3},
                           family="binary", weights="n").fit, starts=(40, 8), progress=False)
    assert res.llf == pytest.approx(gss_fit.llf, abs=1e-6)
    for method in ("ML", "BCH"):
        raw = three_step(gss_fit, covariates="FEMALE", method=method)
        pat = three_step(res, covariates="FEMALE", method=method)
        np.testing.assert_allclose(pat.D, raw.D, atol=1e-6)  # two fits, each to its gtol
        np.testing.assert_allclose(pat.params, raw.params, atol=1e-6)
        np.testing.assert_allclose(pat.table["se_step3"], raw.table["se_step3"], rtol=1e-5)
        np.testing.assert_allclose(pat.table["se"], raw.table["se"], rtol=1e-3)
        assert pat.n_units == raw.n_units == len(gss)
