"""The results layer: every accessor checked against numbers computed by hand.

The models are small simulated ones fitted from near-true start values, so
each fit takes a fraction of a second; hand computations use the fitted
parameters (they do not depend on how close the fit is to the truth).
"""

import io
import json
import pickle
import warnings

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from scipy.special import expit

import mixlevel as ml
from mixlevel.errors import EstimationWarning
from mixlevel.inference.compare import compare, lrt
from mixlevel.integrate import quadrature
from mixlevel.results import MixtureResults
from mixlevel.utils.progress import progress_bar, progress_enabled, track
from tests.models import (
    ITEMS,
    bw_frame,
    lca_data,
    lca_spec,
    make_lca,
    make_ordinal_lca,
    make_random_intercept,
    quiet_fit,
    twolevel_data,
)

# fitted models: the session fixtures lca, bw, twolevel, ri, covlca of conftest.py


# ---------------------------------------------------------------------------------------
# hand computations
# ---------------------------------------------------------------------------------------
def lca_posterior_by_hand(res, y):
    p = res.params
    probs = np.array([[expit(p[f"{it}~1[c={k}]"]) for it in ITEMS] for k in (1, 2)])
    pi = expit(p["c#1~1"])
    prior = np.array([pi, 1 - pi])
    like = np.stack([np.prod(probs[k] ** y * (1 - probs[k]) ** (1 - y), axis=1)
                     for k in range(2)], axis=1)
    joint = prior * like
    return joint / joint.sum(axis=1, keepdims=True)


def bw_by_hand(res, df):
    """P(d | Y_j) per cluster and P(d, c | Y) per row for the between-within model."""
    p = res.params
    items = ITEMS[:3]
    probs = np.array([[expit(p[f"{it}~1[c={k}]"]) for it in items] for k in (1, 2)])
    pd1 = expit(p["d#1~1"])
    prior_d = np.array([pd1, 1 - pd1])
    pc = np.array([[expit(p[f"c#1~1[d={k}]"]), 1 - expit(p[f"c#1~1[d={k}]"])]
                   for k in (1, 2)])  # [d, c]
    y = df[items].to_numpy()
    f = np.stack([np.prod(probs[c] ** y * (1 - probs[c]) ** (1 - y), axis=1)
                  for c in range(2)], axis=1)  # rows x c
    clusters = np.unique(df["school"])
    post_d = np.zeros((len(clusters), 2))
    row_joint = np.zeros((len(df), 2, 2))
    for j, g in enumerate(clusters):
        rows = np.flatnonzero(df["school"].to_numpy() == g)
        lik = np.array([np.prod(f[rows] @ pc[dd]) for dd in range(2)])
        post_d[j] = prior_d * lik / (prior_d * lik).sum()
        for dd in range(2):
            within = f[rows] * pc[dd]
            row_joint[rows, dd, :] = post_d[j, dd] * within / within.sum(axis=1, keepdims=True)
    return clusters, post_d, row_joint


# ---------------------------------------------------------------------------------------
# statsmodels accessors
# ---------------------------------------------------------------------------------------
def test_accessors_are_labelled_pandas(lca):
    names = lca.model.param_names
    assert isinstance(lca.params, pd.Series) and list(lca.params.index) == names
    cov = lca.cov_params()
    assert isinstance(cov, pd.DataFrame) and list(cov.columns) == names
    assert np.allclose(lca.bse, np.sqrt(np.diag(cov)))
    z = lca.params / lca.bse
    assert np.allclose(lca.pvalues, 2 * stats.norm.sf(np.abs(z)))
    ci = lca.conf_int()
    q = stats.norm.ppf(0.975)
    assert np.allclose(ci[0], lca.params - q * lca.bse)
    assert np.allclose(ci[1], lca.params + q * lca.bse)
    assert np.allclose(lca.cov_params_mlr, cov)
    ml_res = make_lca(cov_type="ML")
    assert ml_res.cov_type == "ML"
    assert np.allclose(ml_res.bse, np.sqrt(np.diag(ml_res.cov_params_ml)))
    assert "ML (information)" in str(ml_res.summary())


def test_information_criteria(lca):
    n, k, ll = 600, 9, lca.llf
    assert lca.k_params == k
    assert lca.aic == pytest.approx(-2 * ll + 2 * k)
    assert lca.bic == pytest.approx(-2 * ll + np.log(n) * k)
    assert lca.abic == pytest.approx(-2 * ll + np.log((n + 2) / 24) * k)


def test_loglike_by_hand(lca):
    y = lca_data()[ITEMS].to_numpy()
    p = lca.params
    probs = np.array([[expit(p[f"{it}~1[c={k}]"]) for it in ITEMS] for k in (1, 2)])
    pi = expit(p["c#1~1"])
    like = pi * np.prod(probs[0] ** y * (1 - probs[0]) ** (1 - y), axis=1) + \
        (1 - pi) * np.prod(probs[1] ** y * (1 - probs[1]) ** (1 - y), axis=1)
    assert lca.llf == pytest.approx(np.log(like).sum(), rel=1e-10)


def test_tests_on_parameter_names(lca):
    p, cov = lca.params, lca.cov_params()
    a, b = "u1~1[c=1]", "u1~1[c=2]"
    t = lca.t_test(f"{a} - {b} = 0")
    diff = p[a] - p[b]
    sd = np.sqrt(cov.loc[a, a] + cov.loc[b, b] - 2 * cov.loc[a, b])
    assert float(np.squeeze(t.effect)) == pytest.approx(diff)
    assert float(np.squeeze(t.sd)) == pytest.approx(sd)
    names = ["u1~1[c=1]", "c#1~1"]
    R = np.zeros((2, len(p)))
    R[0, list(p.index).index(names[0])] = 1
    R[1, list(p.index).index(names[1])] = 1
    q = np.array([2.0, 0.0])
    w = lca.wald_test(f"{names[0]} = 2, {names[1]} = 0")
    dev = R @ p.to_numpy() - q
    chi2 = dev @ np.linalg.solve(R @ cov.to_numpy() @ R.T, dev)
    assert float(np.squeeze(w.statistic)) == pytest.approx(chi2)
    assert float(np.squeeze(w.pvalue)) == pytest.approx(stats.chi2.sf(chi2, 2))
    f = lca.f_test([f"{names[0]} = 2", f"{names[1]} = 0"])
    assert float(np.squeeze(f.fvalue)) == pytest.approx(chi2 / 2)
    w2 = lca.wald_test((R, q))  # arrays still work
    assert float(np.squeeze(w2.statistic)) == pytest.approx(chi2)


# ---------------------------------------------------------------------------------------
# classes
# ---------------------------------------------------------------------------------------
def test_posterior_matches_hand_computation(lca):
    y = lca_data()[ITEMS].to_numpy()
    hand = lca_posterior_by_hand(lca, y)
    post = lca.posterior()
    assert list(post.columns) == ["c=1", "c=2"]
    assert np.allclose(post.sum(axis=1), 1, atol=1e-12)
    assert np.allclose(post.to_numpy(), hand, atol=1e-10)
    joint = lca.posterior(joint=True)
    assert np.allclose(joint.to_numpy(), hand, atol=1e-10)
    # single level: the cluster level is the row level
    assert np.allclose(lca.posterior(level="cluster").to_numpy(), hand, atol=1e-10)
    modal = lca.modal_class()
    assert (modal["c"].to_numpy() == hand.argmax(axis=1) + 1).all()
    assert (lca.modal_class(joint=True).to_numpy() ==
            np.where(hand.argmax(axis=1) == 0, "c=1", "c=2")).all()


def test_entropy_equals_its_formula(lca):
    p = lca.posterior().to_numpy()
    n, K = p.shape
    ent = 1 - (-(p * np.log(p)).sum()) / (n * np.log(K))
    assert lca.entropy == pytest.approx(ent, rel=1e-10)
    assert 0 < lca.entropy < 1


def test_class_proportions_three_ways(lca):
    post = lca.posterior().to_numpy()
    tab = lca.class_proportions_table()
    pi = expit(lca.params["c#1~1"])
    assert np.allclose(tab["model"], [pi, 1 - pi])
    se_logit = lca.bse["c#1~1"]
    assert np.allclose(tab["se"], pi * (1 - pi) * se_logit, rtol=1e-5)
    assert np.allclose(tab["posterior"], post.mean(axis=0))
    modal = post.argmax(axis=1)
    assert np.allclose(tab["modal"], [np.mean(modal == 0), np.mean(modal == 1)])
    assert np.allclose(tab["n_modal"], [np.sum(modal == 0), np.sum(modal == 1)])
    # at the MLE of an LCA without covariates, mean posterior = model proportion
    assert np.allclose(tab["model"], tab["posterior"], atol=1e-5)
    s = lca.class_proportions
    assert isinstance(s, pd.Series) and list(s.index) == ["c=1", "c=2"]


def test_classification_table_by_hand(lca):
    post = lca.posterior().to_numpy()
    modal = post.argmax(axis=1)
    want = np.array([post[modal == r].mean(axis=0) for r in range(2)])
    ct = lca.classification_table
    assert ct.index.name == "modal" and list(ct.columns) == ["c=1", "c=2"]
    assert np.allclose(ct.to_numpy(), want)
    assert np.allclose(ct.sum(axis=1), 1)


def test_between_and_within_posteriors_by_hand(bw):
    df = bw_frame()
    clusters, post_d, row_joint = bw_by_hand(bw, df)
    cl = bw.posterior(level="cluster")
    assert list(cl.index) == list(clusters)
    assert np.allclose(cl[["d=1", "d=2"]].to_numpy(), post_d, atol=1e-10)
    joint = bw.posterior(joint=True)
    assert list(joint.columns) == ["d=1,c=1", "d=1,c=2", "d=2,c=1", "d=2,c=2"]
    assert np.allclose(joint.to_numpy(), row_joint.reshape(len(df), 4), atol=1e-10)
    rows = bw.posterior()
    assert np.allclose(rows[["c=1", "c=2"]].to_numpy(), row_joint.sum(axis=1), atol=1e-10)
    assert np.allclose(rows[["d=1", "d=2"]].sum(axis=1), 1)
    # cluster level for a within class variable: mean of its rows
    comp = rows[["c=1", "c=2"]].groupby(df["school"].to_numpy()).mean()
    assert np.allclose(cl[["c=1", "c=2"]].to_numpy(), comp.to_numpy())
    modal = bw.modal_class(level="cluster")
    assert list(modal.columns) == ["d"]
    assert (modal["d"].to_numpy() == post_d.argmax(axis=1) + 1).all()
    with pytest.raises(ValueError, match="joint modal classes are per row"):
        bw.modal_class(level="cluster", joint=True)
    ct = bw.classification("d")  # per cluster
    modal = post_d.argmax(axis=1)
    for r in range(2):
        if (modal == r).any():
            assert np.allclose(ct.iloc[r], post_d[modal == r].mean(axis=0))


def test_between_proportions_are_per_cluster(bw):
    tab = bw.class_proportions_table()
    pd1 = expit(bw.params["d#1~1"])
    assert np.allclose(tab.loc[["d=1", "d=2"], "model"], [pd1, 1 - pd1])
    post = bw.posterior(level="cluster")[["d=1", "d=2"]].to_numpy()
    assert np.allclose(tab.loc[["d=1", "d=2"], "posterior"], post.mean(axis=0))
    assert tab.loc["d=1", "n_posterior"] + tab.loc["d=2", "n_posterior"] == pytest.approx(30)
    # within: P(c=1) = sum_d P(d) P(c=1 | d), per row (equal cluster sizes)
    pc1 = [expit(bw.params[f"c#1~1[d={k}]"]) for k in (1, 2)]
    assert tab.loc["c=1", "model"] == pytest.approx(pd1 * pc1[0] + (1 - pd1) * pc1[1])
    joint = bw.class_proportions_table(joint=True)
    assert joint["model"].sum() == pytest.approx(1)
    assert joint.loc["d=2,c=1", "model"] == pytest.approx((1 - pd1) * pc1[1])


def test_transition_table_by_hand(bw):
    tt = bw.transition_table()
    assert tt.index.name == "d" and tt.columns.name == "c"
    for k in (1, 2):
        p = expit(bw.params[f"c#1~1[d={k}]"])
        assert np.allclose(tt.loc[f"d={k}"], [p, 1 - p])
    long = bw.transition_table(se=True)
    for k in (1, 2):
        p = expit(bw.params[f"c#1~1[d={k}]"])
        se = p * (1 - p) * bw.bse[f"c#1~1[d={k}]"]
        assert long.loc[f"d={k}->c=1", "se"] == pytest.approx(se, rel=1e-4)
        assert long.loc[f"d={k}->c=2", "se"] == pytest.approx(se, rel=1e-4)
    post = bw.transition_table(kind="posterior")
    jp = bw.posterior(joint=True).to_numpy().sum(axis=0).reshape(2, 2)
    assert np.allclose(post.to_numpy(), jp / jp.sum(axis=1, keepdims=True))
    # the table of the other direction exists too (any two class variables)
    assert bw.transition_table("c", "d").shape == (2, 2)


def test_transition_table_needs_a_dependency(lca):
    with pytest.raises(ValueError, match="no class variable depends on another"):
        lca.transition_table()


def test_model_proportions_average_over_covariates(covlca):
    res, df = covlca
    p = res.params
    want = expit(p["c#1~1"] + p["c#1~x"] * df["x"].to_numpy()).mean()
    assert res.class_proportions["c=1"] == pytest.approx(want, rel=1e-10)
    se = res.class_proportions_table()["se"]
    assert np.isfinite(se).all() and (se > 0).all()


# ---------------------------------------------------------------------------------------
# profiles
# ---------------------------------------------------------------------------------------
def test_profiles_are_inverse_logits_with_delta_se(lca):
    prof = lca.profiles
    assert list(prof.columns[:5]) == ["outcome", "category", "scale", "classes", "c"]
    assert len(prof) == 8
    for _, row in prof.iterrows():
        name = f"{row['outcome']}~1[{row['classes']}]"
        p = expit(lca.params[name])
        assert row["estimate"] == pytest.approx(p, rel=1e-10)
        assert row["se"] == pytest.approx(p * (1 - p) * lca.bse[name], rel=1e-4)
        # the interval is the logit's Wald interval mapped back: inside (0, 1)
        z = 1.959964 * lca.bse[name]
        assert row["lower"] == pytest.approx(expit(lca.params[name] - z), rel=1e-5)
        assert row["upper"] == pytest.approx(expit(lca.params[name] + z), rel=1e-5)


def test_profiles_delta_se_agree_with_parametric_draws(lca):
    """Draws from the estimates' normal distribution (fast): within 10%."""
    rng = np.random.default_rng(11)
    draws = rng.multivariate_normal(lca.params.to_numpy(), lca.cov_params().to_numpy(),
                                    size=20000)
    prof = lca.profiles
    names = [f"{o}~1[{c}]" for o, c in zip(prof["outcome"], prof["classes"], strict=True)]
    cols = [list(lca.params.index).index(n) for n in names]
    sd = expit(draws[:, cols]).std(axis=0)
    assert np.allclose(prof["se"].to_numpy(), sd, rtol=0.10)


@pytest.mark.slow
def test_profiles_delta_se_agree_with_parametric_bootstrap():
    """Simulate from the fitted model and refit, 300 times: the delta-method SEs of the
    replicates estimate the SD of the replicates' profiles to within 10%."""
    res = make_lca(n=1000, seed=3)
    rng = np.random.default_rng(12)
    p = res.params
    probs = np.array([[expit(p[f"{it}~1[c={k}]"]) for it in ITEMS] for k in (1, 2)])
    pi = expit(p["c#1~1"])
    est, ses = [], []
    for _ in range(300):
        c = np.where(rng.random(1000) < pi, 0, 1)
        y = (rng.random((1000, 4)) < probs[c]).astype(float)
        r = quiet_fit(ml.MixtureModel(lca_spec(), pd.DataFrame(y, columns=ITEMS)),
                      start_params=p.to_numpy(), em_iter=0)
        est.append(r.profiles["estimate"].to_numpy())
        ses.append(r.profiles["se"].to_numpy())
    boot_sd = np.std(est, axis=0, ddof=1)
    assert np.allclose(np.mean(ses, axis=0), boot_sd, rtol=0.10)
    # and the fitted model's own SEs are of the same size (one sample: looser)
    assert np.allclose(res.profiles["se"].to_numpy(), boot_sd, rtol=0.35)


def test_ordinal_profiles_and_predictions():
    res = make_ordinal_lca()
    prof = res.profiles
    o = prof[prof["outcome"] == "o"]
    assert list(o["category"].unique()) == ["1", "2", "3"]
    p = res.params
    cats = []
    for k in (1, 2):
        t1, t2 = p[f"o|t1[c={k}]"], p[f"o|t2[c={k}]"]
        want = [expit(t1), expit(t2) - expit(t1), 1 - expit(t2)]
        cats.append(want)
        got = o[o["classes"] == f"c={k}"]["estimate"].to_numpy()
        assert np.allclose(got, want)
    assert (o["se"] > 0).all()
    mean = res.predict(pd.DataFrame(index=[0]))
    assert list(mean.columns) == ["u1", "u2", "o[1]", "o[2]", "o[3]"]
    pi = res.class_proportions.to_numpy()
    assert np.allclose(mean[["o[1]", "o[2]", "o[3]"]].to_numpy()[0], pi @ np.array(cats))
    text = str(res.summary(probabilities=True))
    assert "o[2]" in text


def test_normal_profiles_average_covariates(twolevel):
    prof = twolevel.profiles
    y = prof[prof["outcome"] == "y"].set_index("classes")
    assert list(y.index) == ["c=1", "c=2"]
    p = twolevel.params
    x = twolevel_data()["x"].to_numpy()
    # E[y | c] = mu_c + beta * E[x | c], weighted by the rows' P(c) (no covariate on c
    # here: the plain mean of x)
    for k in (1, 2):
        assert y.loc[f"c={k}", "estimate"] == pytest.approx(p[f"y~1[c={k}]"] +
                                                            p["y~x"] * x.mean(), rel=1e-8)


# ---------------------------------------------------------------------------------------
# random effects
# ---------------------------------------------------------------------------------------
def test_random_effects_equal_closed_form(ri):
    res, df = ri
    re = res.random_effects()
    assert list(re.columns) == [("mean", "1|g"), ("sd", "1|g")]
    p = res.params
    mu, s2b, s2 = p["y~1"], p["Var(1|g)"], p["Var(y)"]
    g = df.groupby("g")["y"]
    n, ybar = g.size().to_numpy(), g.mean().to_numpy()
    shrink = n * s2b / (n * s2b + s2)
    assert np.allclose(re[("mean", "1|g")], shrink * (ybar - mu), atol=1e-6)
    assert np.allclose(re[("sd", "1|g")], np.sqrt(s2b * s2 / (n * s2b + s2)), rtol=1e-5)


def test_random_effects_with_classes_by_hand(twolevel):
    """P(d, g | Y_j) by hand on the model's trapezoid nodes; E[b] and SD[b] per cluster."""
    df = twolevel_data()
    p = twolevel.params
    rule = quadrature.make_rule("trapezoid", 15, 1)
    z, w = rule.nodes[:, 0], np.exp(rule.logw)
    L = np.sqrt(p["Var(1|school)"])
    probs = np.array([[expit(p[f"{it}~1[c={k}]"]) for it in ITEMS] for k in (1, 2)])
    pd1 = expit(p["d#1~1"])
    prior_d = [pd1, 1 - pd1]
    u = df[ITEMS].to_numpy()
    fu = np.stack([np.prod(probs[c] ** u * (1 - probs[c]) ** (1 - u), axis=1)
                   for c in range(2)], axis=1)
    mu = np.array([p["y~1[c=1]"], p["y~1[c=2]"]])
    school, y, x = (df[k].to_numpy() for k in ("school", "y", "x"))
    mean, sd = [], []
    for g in range(40):
        rows = school == g
        loc = mu[None, :, None] + p["y~x"] * x[rows, None, None] + L * z[None, None, :]
        fy = stats.norm.pdf(y[rows, None, None], loc, np.sqrt(p["Var(y)"]))  # (i, c, k)
        post = np.zeros((2, len(z)))
        for dd in range(2):
            pc1 = expit(p[f"c#1~1[d={dd + 1}]"])
            pc = np.array([pc1, 1 - pc1])
            lik = np.prod(np.einsum("c,ic,ick->ik", pc, fu[rows], fy), axis=0)
            post[dd] = prior_d[dd] * w * lik
        post /= post.sum()
        b = L * z
        mean.append((post.sum(0) * b).sum())
        sd.append(np.sqrt((post.sum(0) * b ** 2).sum() - mean[-1] ** 2))
    re = twolevel.random_effects()
    assert np.allclose(re[("mean", "1|school")], mean, atol=1e-8)
    assert np.allclose(re[("sd", "1|school")], sd, atol=1e-8)


def test_random_effects_needs_them(lca):
    with pytest.raises(ValueError, match="no cluster-level random effects"):
        lca.random_effects()


# ---------------------------------------------------------------------------------------
# prediction
# ---------------------------------------------------------------------------------------
def test_predict_marginal_and_by_class(lca):
    p = lca.params
    probs = np.array([[expit(p[f"{it}~1[c={k}]"]) for it in ITEMS] for k in (1, 2)])
    pi = expit(p["c#1~1"])
    new = pd.DataFrame(index=[10, 11, 12])  # no outcomes, no covariates needed
    mean = lca.predict(new)
    assert list(mean.index) == [10, 11, 12] and list(mean.columns) == ITEMS
    assert np.allclose(mean.to_numpy(), pi * probs[0] + (1 - pi) * probs[1])
    by = lca.predict(new, which="class")
    assert np.allclose(by["c=1"].to_numpy(), probs[0])
    assert np.allclose(by["c=2"].to_numpy(), probs[1])
    prob = lca.predict(new, which="prob")
    assert np.allclose(prob.to_numpy(), [pi, 1 - pi])
    fitted = lca.predict()
    assert len(fitted) == 600 and np.allclose(fitted.iloc[0], mean.iloc[0])


def test_predict_conditional_fills_a_missing_item(lca):
    y = lca_data()
    new = y.iloc[:5].copy()
    new["u1"] = np.nan
    p = lca.params
    probs = np.array([[expit(p[f"{it}~1[c={k}]"]) for it in ITEMS] for k in (1, 2)])
    pi = expit(p["c#1~1"])
    obs = new[ITEMS[1:]].to_numpy()
    like = np.stack([np.prod(probs[k, 1:] ** obs * (1 - probs[k, 1:]) ** (1 - obs), axis=1)
                     for k in range(2)], axis=1) * [pi, 1 - pi]
    post = like / like.sum(axis=1, keepdims=True)
    got = lca.predict(new, conditional=True)
    assert np.allclose(got["u1"], post @ probs[:, 0])
    assert np.allclose(lca.predict(new, which="prob", conditional=True).to_numpy(), post)
    # fitted values: conditional on the data itself
    fit = lca.predict(conditional=True)
    hand = lca_posterior_by_hand(lca, y[ITEMS].to_numpy())
    assert np.allclose(fit.to_numpy(), hand @ probs)


def test_predict_with_covariates_and_random_effects(covlca, twolevel):
    res, _ = covlca
    new = pd.DataFrame({"x": [-1.0, 0.0, np.nan, 2.0]})
    prob = res.predict(new, which="prob")
    p = res.params
    want = expit(p["c#1~1"] + p["c#1~x"] * new["x"])
    assert np.allclose(prob["c=1"].to_numpy()[[0, 1, 3]], want.to_numpy()[[0, 1, 3]])
    assert prob.iloc[2].isna().all()  # a missing covariate gives NaN
    mean = res.predict(new)
    assert list(mean.columns) == ["u1", "u2"] and mean.iloc[2].isna().all()
    with pytest.raises(ml.SpecificationError, match="'x' is needed to predict"):
        res.predict(pd.DataFrame({"z": [1.0]}))
    # two-level: the random intercept has mean zero, so E[y] = sum_c P(c) mu_c + beta x
    p2 = twolevel.params
    pc = twolevel.class_proportions
    newx = pd.DataFrame({"x": [0.0, 1.5]})
    got = twolevel.predict(newx)["y"].to_numpy()
    want = pc["c=1"] * p2["y~1[c=1]"] + pc["c=2"] * p2["y~1[c=2]"] + p2["y~x"] * newx["x"]
    assert np.allclose(got, want, atol=1e-8)


# ---------------------------------------------------------------------------------------
# summary
# ---------------------------------------------------------------------------------------
def test_twolevel_summary_fits_in_100_columns(twolevel):
    text = str(twolevel.summary(probabilities=True))
    lines = text.split("\n")
    assert max(len(line) for line in lines) <= 100
    for part in ("Multilevel mixture model results", "Log-likelihood:", "aBIC:", "Entropy:",
                 "Cluster size min/mean/max:", "trapezoid", "MLR (sandwich)",
                 "Class proportions", "d=1,c=1", "Transition probabilities P(c | d)",
                 "Outcome probabilities / means by class of c",
                 "Outcome equations: class c=1", "Outcome equations: all classes",
                 "Class c: multinomial logits (reference c=2)",
                 "Random effects school: (co)variances", "Var(1|school)"):
        assert part in text, part
    # the numbers shown are the results' numbers
    assert f"{twolevel.llf:.3f}" in text
    assert f"{twolevel.abic:.3f}" in text
    assert f"{twolevel.entropy:.3f}" in text
    assert f"{twolevel.class_proportions['c=1']:.4f}" in text
    rules = {len(line) for line in lines if line and set(line) <= set("=-")}
    assert len(rules) == 1  # every table has the same width
    # probabilities by default for models with classes (poLCA / Mplus); logits only on request
    assert str(twolevel.summary()) == text
    assert "Outcome probabilities" not in str(twolevel.summary(probabilities=False))


def test_summary_with_many_classes_stays_within_100_columns():
    rng = np.random.default_rng(3)
    items = [f"item_with_a_long_name_{k}" for k in range(6)]
    df = pd.DataFrame((rng.random((300, 6)) < 0.5).astype(float), columns=items)
    spec = ml.ModelSpec()
    spec.add_class("c", 7)
    for it in items:
        spec.add_outcome(it, "binary")
        spec.add_term(it, by=["c"])
    spec.add_term("c")
    model = ml.MixtureModel(spec, df)
    start = rng.normal(size=len(model.param_names))
    res = quiet_fit(model, start_params=start, em_iter=2, maxiter=2, canonical=False)
    text = str(res.summary(probabilities=True))
    assert max(len(line) for line in text.split("\n")) <= 100
    assert "(continued)" in text and "c=7" in text


def test_summary_warns_when_best_loglike_not_replicated(lca):
    res = pickle.loads(pickle.dumps(lca))._results
    res.start_table = pd.DataFrame({
        "start": [0, 1, 2], "seed": [1, 2, 3], "stage": ["final", "final", "initial"],
        "loglike": [res.llf, res.llf - 3.0, np.nan], "converged": [True, True, False],
        "iterations": [20, 25, 10]})
    assert res.best_loglike_replicated == 1
    text = str(res.summary())
    assert "reached by only 1 of 2 final-stage starts" in text
    assert "1 of 2 (!)" in text
    res.start_table.loc[1, "loglike"] = res.llf
    assert res.best_loglike_replicated == 2
    assert "WARNING" not in str(res.summary())


def test_single_best_loglike_warns_at_fit(lca):
    from mixlevel.estimation import FitOutcome

    model = lca.model
    table = [{"start": 0, "seed": 1, "stage": "final", "loglike": lca.llf, "converged": True,
              "iterations": 10},
             {"start": 1, "seed": 2, "stage": "final", "loglike": lca.llf - 2.0,
              "converged": True, "iterations": 12}]
    outcome = FitOutcome(model._work(lca.params.to_numpy()), lca.llf, True, 0, 10)
    with pytest.warns(EstimationWarning, match="reached by only one of 2 final-stage"):
        MixtureResults.from_fit(model, lca.params.to_numpy(), outcome, table)


def test_fit_with_random_starts_fills_the_start_table():
    df = lca_data(n=300, seed=4)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", EstimationWarning)
        res = ml.MixtureModel(lca_spec(), df).fit(starts=(5, 2), progress=False)
    st = res.start_table
    assert len(st) == 5 and (st["stage"] == "final").sum() == 2
    for col in ("seed", "loglike", "converged", "iterations", "initial_loglike",
                "smallest_class"):
        assert col in st.columns
    fin = st[st["stage"] == "final"]
    assert fin["loglike"].max() == pytest.approx(res.llf, abs=1e-6)
    assert (fin["smallest_class"] > 0.05).all()
    assert res.best_loglike_replicated == int(
        (np.abs(fin["loglike"] - fin["loglike"].max()) < 1e-6 * (1 + abs(res.llf))).sum())
    assert "Best LL replicated:" in str(res.summary())


# ---------------------------------------------------------------------------------------
# persistence and exports
# ---------------------------------------------------------------------------------------
def test_pickle_and_save_reproduce_the_summary(twolevel, tmp_path):
    text = str(twolevel.summary(probabilities=True))
    again = pickle.loads(pickle.dumps(twolevel))
    assert str(again.summary(probabilities=True)) == text
    assert np.allclose(again.params, twolevel.params)
    fname = tmp_path / "res.pickle"
    twolevel.save(fname)
    loaded = MixtureResults.load(fname)
    assert str(loaded.summary(probabilities=True)) == text
    assert np.allclose(loaded.posterior(), twolevel.posterior())


def test_remove_data_keeps_the_summary(bw):
    res = pickle.loads(pickle.dumps(bw))
    text = str(res.summary(probabilities=True))
    d = res.to_dict()
    res.remove_data()
    assert res.model.design.y is None
    assert str(res.summary(probabilities=True)) == text
    assert res.to_dict() == d
    assert res.llf == bw.llf and res.entropy == bw.entropy
    with pytest.raises(RuntimeError, match="remove_data"):
        res.posterior()
    small = len(pickle.dumps(res))
    assert small < len(pickle.dumps(bw))
    # prediction for new data still works
    assert res.predict(pd.DataFrame(index=[0]), which="prob").shape == (1, 4)


def test_to_dict_json_frame(twolevel):
    d = twolevel.to_dict()
    for key in ("model", "fit", "params", "cov_params", "class_proportions",
                "joint_proportions", "classification_table", "transitions", "profiles",
                "start_table", "notes"):
        assert key in d
    back = json.loads(twolevel.to_json())
    assert back["fit"]["loglike"] == pytest.approx(twolevel.llf)
    est = {r["name"]: r["estimate"] for r in back["params"]}
    assert est == pytest.approx(twolevel.params.to_dict())
    se = {r["name"]: r["se"] for r in back["params"]}
    assert se == pytest.approx(twolevel.bse.to_dict())
    assert np.allclose(back["cov_params"]["matrix"], twolevel.cov_params().to_numpy())
    assert back["transitions"][0]["source"] == "d"
    frame = twolevel.to_frame()
    assert set(frame["section"]) == {"fit", "param", "proportion", "joint_proportion",
                                     "transition", "profile"}
    par = frame[frame["section"] == "param"].set_index("name")
    assert np.allclose(par["estimate"], twolevel.params)
    assert np.allclose(par["pvalue"], twolevel.pvalues)
    fit = frame[frame["section"] == "fit"].set_index("name")["estimate"]
    assert fit["abic"] == pytest.approx(twolevel.abic)
    prof = frame[frame["section"] == "profile"]
    assert np.allclose(prof["estimate"], twolevel.profiles["estimate"])


def test_parameter_info_groups_by_equation_and_class(twolevel):
    info = twolevel.parameter_info
    assert info.loc["u1~1[c=1]", "section"] == "outcome"
    assert info.loc["u1~1[c=1]", "classes"] == "c=1"
    assert info.loc["u1~1[c=1]", "label"] == "u1~1"
    assert info.loc["y~x", "classes"] == "all"
    assert info.loc["c#1~1[d=2]", "section"] == "class"
    assert info.loc["c#1~1[d=2]", "equation"] == "c"
    assert info.loc["Var(1|school)", "section"] == "covariance"
    assert info.loc["Var(y)", "kind"] == "variance"


def test_delta_method_generic(lca):
    out = lca.delta_method(lambda p: expit(p["c#1~1"]), names=["P(c=1)"])
    pi = expit(lca.params["c#1~1"])
    assert out.loc["P(c=1)", "estimate"] == pytest.approx(pi)
    assert out.loc["P(c=1)", "se"] == pytest.approx(pi * (1 - pi) * lca.bse["c#1~1"],
                                                   rel=1e-5)


# ---------------------------------------------------------------------------------------
# model comparison
# ---------------------------------------------------------------------------------------
def test_compare_and_lrt(lca):
    df = lca_data()
    eq = ml.MixtureModel(lca_spec(), df, equal=[("u4~1[c=1]", "u4~1[c=2]")])
    start = dict(zip(lca.model.param_names, lca.params, strict=True))
    small = quiet_fit(eq, start_params=[start[n] for n in eq.param_names])
    spec1 = ml.ModelSpec()
    for it in ITEMS:
        spec1.add_outcome(it, "binary")
        spec1.add_term(it)
    one = quiet_fit(ml.MixtureModel(spec1, df))
    tab = compare(one, small, lca, names=["1 class", "2 classes, u4 equal", "2 classes"])
    assert list(tab.index) == ["1 class", "2 classes, u4 equal", "2 classes"]
    assert tab.loc["2 classes", "abic"] == pytest.approx(lca.abic)
    assert tab.loc["2 classes", "entropy"] == pytest.approx(lca.entropy)
    lr = 2 * (lca.llf - small.llf)
    assert tab.loc["2 classes", "lr"] == pytest.approx(lr)
    assert tab.loc["2 classes", "df"] == 1
    assert tab.loc["2 classes", "pvalue"] == pytest.approx(stats.chi2.sf(lr, 1))
    assert np.isnan(tab.loc["2 classes, u4 equal", "pvalue"])
    assert "bootstrap" in tab.loc["2 classes, u4 equal", "note"]
    assert np.isnan(tab.loc["1 class", "entropy"])


def test_lrt_random_effect_variance_on_the_boundary(ri):
    full, _ = ri
    reduced, _ = make_random_intercept(with_re=False)
    test = lrt(reduced, full)
    lr = 2 * (full.llf - reduced.llf)
    assert test["lr"] == pytest.approx(lr) and test["df"] == 1
    assert test["pvalue"] == pytest.approx(stats.chi2.sf(lr, 1))
    assert test["pvalue_boundary"] == pytest.approx(0.5 * stats.chi2.sf(lr, 1))
    assert "boundary" in test["note"]
    tab = compare(reduced, full)
    assert tab.iloc[1]["pvalue_boundary"] == pytest.approx(test["pvalue_boundary"])


# ---------------------------------------------------------------------------------------
# progress bars
# ---------------------------------------------------------------------------------------
def test_progress_bar_silent_by_default_and_forced_on(monkeypatch):
    monkeypatch.delenv("MIXLEVEL_PROGRESS", raising=False)
    assert not progress_enabled()  # under pytest, and stderr captured
    buf = io.StringIO()
    with progress_bar(total=3, desc="starts", file=buf) as bar:
        bar.update(3)
    assert buf.getvalue() == "" and bar.n == 3
    buf = io.StringIO()
    with progress_bar(total=3, desc="starts", progress=True, file=buf, mininterval=0,
                      leave=True) as bar:
        for _ in range(3):
            bar.update(1)
    assert "starts" in buf.getvalue() and "3/3" in buf.getvalue()
    buf = io.StringIO()
    assert list(track(range(4), desc="reps", progress=True, file=buf, leave=True)) == \
        [0, 1, 2, 3]
    assert "4/4" in buf.getvalue()
    monkeypatch.setenv("MIXLEVEL_PROGRESS", "0")
    assert not progress_enabled()
    assert progress_enabled(True)


def test_fit_progress_bar_over_random_starts(capsys):
    df = lca_data(n=200, seed=6)
    quiet_fit(ml.MixtureModel(lca_spec(), df), starts=(3, 2), progress=True)
    err = capsys.readouterr().err
    assert "random starts" in err
    quiet_fit(ml.MixtureModel(lca_spec(), df), starts=(3, 2))  # default: silent here
    assert capsys.readouterr().err == ""
