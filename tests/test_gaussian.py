"""The exact likelihood of normal models (mixlevel.engine.gaussian).

Oracles, none of them mixlevel's exact path: the quadrature kernel with a fine
Gauss-Hermite rule; dense multivariate normal densities of each cluster from
scipy, written from the natural parameters; finite differences; replicated
rows and clusters for frequency weights; lme4 and statsmodels MixedLM fits
(tests/results/results_lmm_*.py, results_glmm_sleepstudy.py).
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import special, stats

import mixlevel as ml
from mixlevel.errors import SpecificationError

from .results import results_glmm_sleepstudy as sleep_ref
from .results import results_lmm_exam as exam_ref
from .results import results_lmm_hsb82 as hsb_ref

DATA = Path(__file__).parent / "data"


# --------------------------------------------------------------------------------------
# tiny data and dense oracles
# --------------------------------------------------------------------------------------
def lmm_data(seed=7, sizes=(3, 1, 4, 2, 3, 2), missing=(4,)):
    rng = np.random.default_rng(seed)
    g = np.repeat(np.arange(len(sizes)) * 3 + 10, sizes)
    n = len(g)
    cl = np.repeat(np.arange(len(sizes)), sizes)
    x = rng.normal(size=n)
    y = (0.5 + 0.7 * x + rng.normal(scale=0.7, size=len(sizes))[cl]
         + rng.normal(scale=0.4, size=len(sizes))[cl] * x + rng.normal(scale=0.8, size=n))
    y[list(missing)] = np.nan
    w = rng.integers(1, 4, size=n)
    return pd.DataFrame({"y": y, "x": x, "g": g, "w": w}).sample(frac=1.0, random_state=1)


RS = {"y~1": 0.4, "y~x": 0.6, "Var(1|g)": 0.5, "Cov(1|g,x|g)": 0.1, "Var(x|g)": 0.2,
      "Var(y)": 0.6}


def vector(model, values):
    return np.array([values[n] for n in model.param_names])


def dense_lmm(df, p, weights=None):
    """Per cluster log N(y_j; X beta, Z G Z' + s2 I) of y ~ x + (x | g), rows replicated."""
    G = np.array([[p["Var(1|g)"], p.get("Cov(1|g,x|g)", 0.0)],
                  [p.get("Cov(1|g,x|g)", 0.0), p.get("Var(x|g)", 0.0)]])
    out = []
    for _, sub in df.groupby("g", sort=True):
        sub = sub[sub["y"].notna()]
        if weights is not None:
            sub = sub.loc[sub.index.repeat(sub[weights])]
        if not len(sub):
            out.append(0.0)
            continue
        Z = np.column_stack([np.ones(len(sub)), sub["x"]])
        V = Z @ G @ Z.T + p["Var(y)"] * np.eye(len(sub))
        mu = p["y~1"] + p["y~x"] * sub["x"].to_numpy()
        out.append(stats.multivariate_normal(mu, V).logpdf(sub["y"].to_numpy()))
    return np.array(out)


def fd_gradient(f, p, h=1e-6):
    return np.array([(f(p + h * e) - f(p - h * e)) / (2 * h) for e in np.eye(len(p))])


def factor_data(seed=3, n=40, clusters=10):
    rng = np.random.default_rng(seed)
    f = rng.normal(size=n)
    c = rng.integers(0, 2, size=n)
    Y = np.column_stack([1 + 1.5 * c * (k == 0) + lam * f + rng.normal(scale=s, size=n)
                         for k, (lam, s) in enumerate([(0.8, 0.5), (1.2, 0.7), (0.5, 0.4)])])
    Y[1, 0] = Y[5, 2] = np.nan
    df = pd.DataFrame(Y, columns=["y1", "y2", "y3"])
    df["g"] = np.repeat(np.arange(clusters), n // clusters)
    df["w"] = rng.integers(1, 3, size=n)
    return df


def factor_density(Y, mu, lam, theta):
    """log N(y_i; mu, lam lam' + Theta) per row over its observed outcomes."""
    out = np.empty(len(Y))
    for i, y in enumerate(Y):
        o = ~np.isnan(y)
        V = np.outer(lam[o], lam[o]) + np.diag(theta[o])
        out[i] = stats.multivariate_normal(mu[o], V).logpdf(y[o])
    return out


# --------------------------------------------------------------------------------------
# which path
# --------------------------------------------------------------------------------------
def test_default_is_exact_and_integration_options_keep_quadrature():
    df = lmm_data()
    assert ml.mixture("y ~ x + (x | g)", data=df).engine.integration == "exact"
    for kw in ({"integration": "trapezoid"}, {"n_points": 11}, {"adaptive": True},
               {"integration": "gauss-hermite", "n_points": 5}):
        m = ml.mixture("y ~ x + (x | g)", data=df, **kw)
        assert m.engine.exact is None and m.engine.integration != "exact"
    df["u"] = (df["y"] > 0.5).astype(float)
    assert ml.mixture("u ~ x + (1 | g)", data=df, family="binary").engine.exact is None
    within = ml.mixture("y ~ c + x + (1 | g)", data=df, classes={"c": 2})
    assert within.engine.exact is None  # within classes inside the cluster integral
    with pytest.raises(SpecificationError, match="not all outcomes are normal"):
        ml.mixture("u ~ x + (1 | g)", data=df, family="binary", integration="exact")
    with pytest.raises(SpecificationError, match="within class variables together"):
        ml.mixture("y ~ c + x + (1 | g)", data=df, classes={"c": 2}, integration="exact")


def test_equals_the_quadrature_kernel_with_a_fine_rule():
    df = lmm_data()
    for formula in ("y ~ x + (x | g)", "y ~ x + (1 | g)"):
        exact = ml.mixture(formula, data=df)
        quad = ml.mixture(formula, data=df, integration="gauss-hermite", n_points=60)
        p = vector(exact, RS)
        assert exact.loglike(p) == pytest.approx(quad.loglike(p), abs=1e-8)
        np.testing.assert_allclose(exact.score(p), quad.score(p), rtol=0, atol=1e-6)


def test_cluster_loglikelihoods_equal_dense_normal_densities():
    df = lmm_data(missing=(0, 4, 5))
    m = ml.mixture("y ~ x + (x | g)", data=df)
    p = vector(m, RS)
    np.testing.assert_allclose(m.loglikeobs(p), dense_lmm(df, RS), rtol=0, atol=1e-10)
    ri = ml.mixture("y ~ x + (1 | g)", data=df)
    pri = {k: v for k, v in RS.items() if "x|g" not in k}
    np.testing.assert_allclose(ri.loglikeobs(vector(ri, pri)), dense_lmm(df, pri), atol=1e-10)


def test_row_frequency_weights_replicate_rows():
    df = lmm_data()
    weighted = ml.mixture("y ~ x + (x | g)", data=df, weights="w")
    expanded = ml.mixture("y ~ x + (x | g)", data=df.loc[df.index.repeat(df["w"])])
    p = vector(weighted, RS)
    assert weighted.loglike(p) == pytest.approx(dense_lmm(df, RS, "w").sum(), abs=1e-10)
    assert weighted.loglike(p) == pytest.approx(expanded.loglike(p), abs=1e-10)
    np.testing.assert_allclose(weighted.score(p), expanded.score(p), atol=1e-9)


def test_cluster_frequency_weights_replicate_single_level_rows():
    df = factor_data()
    weighted = ml.mixture("f =~ y1 + y2 + y3", data=df, weights="w")
    expanded = ml.mixture("f =~ y1 + y2 + y3", data=df.loc[df.index.repeat(df["w"])])
    p = weighted.start_params + 0.1
    assert weighted.loglike(p) == pytest.approx(expanded.loglike(p), abs=1e-10)
    np.testing.assert_allclose(weighted.score(p), expanded.score(p), atol=1e-9)


MODELS = {  # formula, model keywords, data maker
    "random slope": ("y ~ x + (x | g)", {}, lmm_data),
    "between classes": ("y ~ d * x + (1 | g)", {"classes": {"d": ml.Between(2)}}, lmm_data),
    # without latent variables the default is the kernel (nothing to integrate); the exact
    # path must give the same there
    "mixture regression": ("y ~ c * x", {"classes": {"c": 2}, "integration": "exact"},
                           lmm_data),
    "one factor": ("f =~ y1 + y2 + y3", {}, factor_data),
    "factor and cluster effect": ("f =~ y1 + y2 + y3; y1 ~ 1 + (1 | g)", {}, factor_data),
    "factor mixture": ("f =~ y1 + y2 + y3; y1 + y2 ~ c", {"classes": {"c": 2}}, factor_data),
    "factor, between classes": ("f =~ y1 + y2 + y3; y1 + y2 + y3 ~ d",
                                {"classes": {"d": ml.Between(2)}, "cluster": "g"}, factor_data),
}


@pytest.mark.parametrize("name", list(MODELS))
def test_gradient_equals_finite_differences(name):
    formula, kw, data = MODELS[name]
    m = ml.mixture(formula, data=data(), **kw)
    assert m.engine.integration == "exact"
    rng = np.random.default_rng(len(name))
    p = np.asarray(m.start_params) + rng.normal(scale=0.1, size=len(m.param_names))
    np.testing.assert_allclose(m.score(p), fd_gradient(m.loglike, p), rtol=1e-6, atol=1e-6)
    # per-cluster scores add up to the gradient
    np.testing.assert_allclose(m.score_obs(p).sum(axis=0), m.score(p), atol=1e-10)


def test_between_classes_equal_a_mixture_of_normal_densities():
    df = lmm_data()
    m = ml.mixture("y ~ d * x + (1 | g)", data=df, classes={"d": ml.Between(2)})
    p = {"y~1[d=1]": 0.2, "y~1[d=2]": 1.1, "y~x[d=1]": 0.3, "y~x[d=2]": 0.9, "d#1~1": 0.4,
         "Var(1|g)": 0.5, "Var(y)": 0.6}
    prior = np.array([special.expit(0.4), 1 - special.expit(0.4)])
    per_class = [dense_lmm(df, {"y~1": p[f"y~1[d={k}]"], "y~x": p[f"y~x[d={k}]"],
                                "Var(1|g)": 0.5, "Var(y)": 0.6}) for k in (1, 2)]
    oracle = special.logsumexp(np.log(prior)[:, None] + np.array(per_class), axis=0)
    np.testing.assert_allclose(m.loglikeobs(vector(m, p)), oracle, atol=1e-10)


def test_one_factor_model_is_its_normal_density():
    df = factor_data()
    m = ml.mixture("f =~ y1 + y2 + y3", data=df)
    p = {"y1~1": 0.9, "y2~1": 1.1, "y3~1": 0.7, "f=~y1": 0.8, "f=~y2": -1.2, "f=~y3": 0.5,
         "Var(y1)": 0.3, "Var(y2)": 0.5, "Var(y3)": 0.2}
    mu, lam, theta = (np.array([p[f"{a}{k}{b}"] for k in (1, 2, 3)])
                      for a, b in (("y", "~1"), ("f=~y", ""), ("Var(y", ")")))
    oracle = factor_density(df[["y1", "y2", "y3"]].to_numpy(), mu, lam, theta)
    np.testing.assert_allclose(m.loglikeobs(vector(m, p)), oracle, atol=1e-10)


def test_row_factor_with_a_cluster_random_intercept_is_the_dense_density():
    df = factor_data()
    m = ml.mixture("f =~ y1 + y2 + y3; y1 ~ 1 + (1 | g)", data=df)
    assert m.engine.kl.qb == 1 and m.engine.kl.qw == 1
    p = {"y1~1": 0.9, "y2~1": 1.1, "y3~1": 0.7, "f=~y1": 0.8, "f=~y2": 1.2, "f=~y3": 0.5,
         "Var(1|g)": 0.4, "Var(y1)": 0.3, "Var(y2)": 0.5, "Var(y3)": 0.2}
    mu = np.array([0.9, 1.1, 0.7])
    lam = np.array([0.8, 1.2, 0.5])
    theta = np.array([0.3, 0.5, 0.2])
    oracle = []
    for _, sub in df.groupby("g", sort=True):
        Y = sub[["y1", "y2", "y3"]].to_numpy()
        o = ~np.isnan(Y).ravel()
        n = len(Y)
        V = np.kron(np.eye(n), np.outer(lam, lam) + np.diag(theta))
        z = np.kron(np.ones(n), [1.0, 0.0, 0.0])  # the random intercept loads y1 only
        V = (V + 0.4 * np.outer(z, z))[np.ix_(o, o)]
        oracle.append(stats.multivariate_normal(np.tile(mu, n)[o], V).logpdf(Y.ravel()[o]))
    np.testing.assert_allclose(m.loglikeobs(vector(m, p)), oracle, atol=1e-10)


def test_within_classes_without_cluster_effects_are_row_mixtures():
    df = lmm_data()
    m = ml.mixture("y ~ c * x", data=df, classes={"c": 2})
    p = {"y~1[c=1]": 0.1, "y~1[c=2]": 1.2, "y~x[c=1]": 0.4, "y~x[c=2]": 1.0, "c#1~1": -0.3,
         "Var(y)": 0.7}
    obs = df[df["y"].notna()]
    prior = np.log([special.expit(-0.3), 1 - special.expit(-0.3)])
    dens = [stats.norm(p[f"y~1[c={k}]"] + p[f"y~x[c={k}]"] * obs["x"], np.sqrt(0.7))
            .logpdf(obs["y"]) for k in (1, 2)]
    oracle = special.logsumexp(prior[:, None] + np.array(dens), axis=0).sum()
    assert m.loglike(vector(m, p)) == pytest.approx(oracle, abs=1e-10)
    # a factor mixture: a mixture of N(mu_c, lam lam' + Theta) per row
    fdf = factor_data()
    fm = ml.mixture("f =~ y1 + y2 + y3; y1 + y2 ~ c", data=fdf, classes={"c": 2})
    q = dict(zip(fm.param_names, np.asarray(fm.start_params) + 0.2, strict=True))
    lam = np.array([q["f=~y1"], q["f=~y2"], q["f=~y3"]])
    theta = np.array([q["Var(y1)"], q["Var(y2)"], q["Var(y3)"]])
    pc = special.expit(q["c#1~1"])
    Y = fdf[["y1", "y2", "y3"]].to_numpy()
    dens = [factor_density(Y, np.array([q[f"y1~1[c={k}]"], q[f"y2~1[c={k}]"], q["y3~1"]]),
                           lam, theta) for k in (1, 2)]
    oracle = special.logsumexp(np.log([pc, 1 - pc])[:, None] + np.array(dens), axis=0)
    assert fm.loglike(vector(fm, q)) == pytest.approx(oracle.sum(), abs=1e-10)


def test_q_function_gradient_and_monotone_em():
    from mixlevel.estimation import em

    for name in ("between classes", "factor mixture", "factor and cluster effect"):
        formula, kw, data = MODELS[name]
        m = ml.mixture(formula, data=data(), **kw)
        eng = m.engine
        rng = np.random.default_rng(5)
        w1 = m._work(m.start_params) + rng.normal(scale=0.2, size=len(m.param_names))
        w2 = w1 + rng.normal(scale=0.2, size=len(w1))
        es = eng.estep(w1)  # the posterior held fixed at w1, Q evaluated at w2
        _, grad = eng.expected(w2, es)
        q_of = lambda w, eng=eng, es=es: eng.expected(w, es)[0]  # noqa: E731
        np.testing.assert_allclose(grad, fd_gradient(q_of, w2), rtol=1e-6, atol=1e-6)
        history = []
        em(eng, w1, maxiter=4, history=history)
        assert np.all(np.diff([eng.loglike(w1)] + history) > -1e-10)


def test_posterior_moments_follow_relabelled_classes():
    # canonical_order permutes the posterior; the moments of each pattern must follow
    df = factor_data()
    m = ml.mixture("f =~ y1 + y2 + y3; y1 + y2 ~ c", data=df, classes={"c": 2})
    names = m.param_names
    p = dict(zip(names, np.asarray(m.start_params) + np.linspace(0.1, 0.5, len(names)),
                 strict=True))
    swapped = dict(p)
    for item in ("y1", "y2"):
        swapped[f"{item}~1[c=1]"], swapped[f"{item}~1[c=2]"] = \
            p[f"{item}~1[c=2]"], p[f"{item}~1[c=1]"]
    swapped["c#1~1"] = -p["c#1~1"]
    es = m.engine.estep(m._work(vector(m, p)))
    es_swapped = m.engine.estep(m._work(vector(m, swapped)))
    assert es.loglike == pytest.approx(es_swapped.loglike, abs=1e-10)
    mom = es.inputs.moments
    mom.permute(np.array([0]), np.array([1, 0]))
    np.testing.assert_allclose(mom.mean, es_swapped.inputs.moments.mean, atol=1e-12)
    np.testing.assert_allclose(mom.cov, es_swapped.inputs.moments.cov, atol=1e-12)
    # without latent variables (a mixture regression) the moments are empty
    reg = ml.mixture("y ~ c * x", data=lmm_data(), classes={"c": 2}, integration="exact")
    empty = reg.engine.estep(reg._work(reg.start_params)).inputs.moments
    empty.permute(np.array([0]), np.array([1, 0]))
    assert empty.mean.shape == (reg.design.n_rows, 2, 0)


# --------------------------------------------------------------------------------------
# REML
# --------------------------------------------------------------------------------------
def test_reml_criterion_is_the_dense_formula_and_its_gradient_is_exact():
    df = lmm_data()
    for weights in (None, "w"):
        m = ml.mixture("y ~ x + (x | g)", data=df, weights=weights)
        p = vector(m, RS)
        obs = df[df["y"].notna()]
        if weights:
            obs = obs.loc[obs.index.repeat(obs[weights])]
        X = np.column_stack([np.ones(len(obs)), obs["x"]])
        G = np.array([[0.5, 0.1], [0.1, 0.2]])
        same = obs["g"].to_numpy()[:, None] == obs["g"].to_numpy()[None, :]
        V = (X @ G @ X.T) * same + 0.6 * np.eye(len(obs))
        ll = stats.multivariate_normal(X @ [0.4, 0.6], V).logpdf(obs["y"])
        reml = ll - 0.5 * np.linalg.slogdet(X.T @ np.linalg.solve(V, X))[1] + np.log(2 * np.pi)
        with m.criterion(reml=True):
            assert m.loglike(p) == pytest.approx(reml, abs=1e-10)
            np.testing.assert_allclose(m.score(p), fd_gradient(m.loglike, p), rtol=1e-6,
                                       atol=1e-7)
            eng = m.engine  # the EM Q-function includes the correction at new parameters
            w1 = m._work(p)
            es = eng.estep(w1)
            _, grad = eng.expected(w1 + 0.05, es)
            np.testing.assert_allclose(
                grad, fd_gradient(lambda w, es=es, eng=eng: eng.expected(w, es)[0], w1 + 0.05),
                rtol=1e-6, atol=1e-7)
        assert m.loglike(p) == pytest.approx(ll, abs=1e-10)  # back to ML outside


def test_reml_where_it_is_not_defined_raises():
    df = lmm_data()
    with pytest.raises(SpecificationError, match="without class variables"):
        ml.mixture("y ~ d * x + (1 | g)", data=df, classes={"d": ml.Between(2)}).fit(
            reml=True, starts=(2, 1))
    fdf = factor_data()
    with pytest.raises(SpecificationError, match="one normal outcome"):
        ml.mixture("f =~ y1 + y2 + y3", data=fdf).fit(reml=True)
    with pytest.raises(SpecificationError, match="exact normal likelihood"):
        ml.mixture("y ~ x + (1 | g)", data=df, n_points=9).fit(reml=True)


# --------------------------------------------------------------------------------------
# lme4 and statsmodels MixedLM, with default options only
# --------------------------------------------------------------------------------------
PEER_CASES = {
    "exam_ri": ("exam.csv", "normexam ~ standLRT + (1 | school)", exam_ref, "ri"),
    "exam_rs": ("exam.csv", "normexam ~ standLRT + (standLRT | school)", exam_ref, "rs"),
    "hsb82_anova": ("hsb82.csv", "mAch ~ 1 + (1 | school)", hsb_ref, "anova"),
    "hsb82_slopes": ("hsb82.csv", "mAch ~ meanses * cses + (cses | school)", hsb_ref, "slopes"),
    "sleepstudy": ("sleepstudy.csv", "Reaction ~ Days + (Days | Subject)", sleep_ref, "rs"),
}
_FITS = {}


def peer_fit(case, reml):
    if (case, reml) not in _FITS:
        file, formula, _, _ = PEER_CASES[case]
        model = ml.mixture(formula, data=pd.read_csv(DATA / file))
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # no convergence or information warnings
            res = model.fit(reml=reml, cov_type="ML")
            res.bse  # noqa: B018 (computes the covariance inside the warning filter)
        _FITS[case, reml] = res
    return _FITS[case, reml]


def lme4_ref(case, reml):
    _, _, module, name = PEER_CASES[case]
    if module is sleep_ref:
        return sleep_ref.reml if reml else sleep_ref.ml
    return getattr(module, f"{name}_{'reml' if reml else 'ml'}")


def sm_ref(case, reml):
    _, _, module, name = PEER_CASES[case]
    if module is sleep_ref:
        return sleep_ref.reml_statsmodels if reml else sleep_ref.ml_statsmodels_tight
    return getattr(module, f"{name}_{'reml' if reml else 'ml'}_statsmodels")


def ref_key(name, outcome):
    """mixlevel's parameter name -> the references' key."""
    if name == f"Var({outcome})":
        return "resid_var"
    if name.startswith("Var("):
        return "re_var_" + name[4:].split("|")[0].replace("1", "Intercept", 1)
    if name.startswith("Cov("):
        a, b = (e.split("|")[0] for e in name[4:-1].split(","))
        return f"re_cov_{'Intercept' if a == '1' else a}_{'Intercept' if b == '1' else b}"
    term = name.split("~", 1)[1]
    return "Intercept" if term == "1" else term


def compare_estimates(res, ref, tol):
    outcome = res.model.spec.outcome_names[0]
    keys = [ref_key(n, outcome) for n in res.params.index]
    mine = res.params.to_numpy()
    theirs = np.array([ref["params"][k] for k in keys])
    scale = np.maximum(np.abs(theirs), np.asarray(res.bse))  # near-zero estimates: by SE
    assert np.abs(mine - theirs).max() / 1 <= tol * scale.max()
    np.testing.assert_array_less(np.abs(mine - theirs), tol * scale)
    return keys


@pytest.mark.parametrize("reml", [False, True], ids=["ML", "REML"])
@pytest.mark.parametrize("case", list(PEER_CASES))
def test_agrees_with_lme4(case, reml):
    res, ref = peer_fit(case, reml), lme4_ref(case, reml)
    assert res.model.engine.integration == "exact" and res.converged
    assert res.llf == pytest.approx(ref["loglike"], abs=1e-6)
    keys = compare_estimates(res, ref, 1e-6)
    fixed = [k for k in keys if k in ref["bse"]]
    np.testing.assert_allclose(res.bse.to_numpy()[:len(fixed)],
                               [ref["bse"][k] for k in fixed], rtol=1e-6)
    if "aic" in ref:
        assert res.aic == pytest.approx(ref["aic"], abs=1e-5)


@pytest.mark.parametrize("reml", [False, True], ids=["ML", "REML"])
@pytest.mark.parametrize("case", list(PEER_CASES))
def test_agrees_with_statsmodels_mixedlm(case, reml):
    res, ref = peer_fit(case, reml), sm_ref(case, reml)
    assert res.llf == pytest.approx(ref["loglike"], abs=1e-6)
    keys = compare_estimates(res, ref, 2e-6)
    # MixedLM's SEs come from the full inverse information (cross terms included)
    model, params = res.model, res.params.to_numpy()
    with model.criterion(reml):
        full = np.linalg.inv(-model.hessian(params))
    k = len(ref["bse"])
    np.testing.assert_allclose(np.sqrt(np.diag(full))[:k], list(ref["bse"].values()),
                               rtol=2e-6)
    # its covariance parameters are cov_re / scale; their SEs by the delta method
    s2 = params[-1]
    re = [j for j, key in enumerate(keys) if key.startswith("re_")]
    J = np.zeros((len(re), len(params)))
    J[np.arange(len(re)), re] = 1.0 / s2
    J[:, -1] = -params[re] / s2 ** 2
    se_rel = np.sqrt(np.diag(J @ full @ J.T))
    np.testing.assert_allclose(se_rel, [ref["bse_relative"][keys[j]] for j in re], rtol=2e-6)


def test_fixed_effect_covariance_convention():
    # lme4 (block) and MixedLM (full inverse) differ on unbalanced data (exam), agree on
    # balanced data (sleepstudy, where the cross information vanishes at the estimates)
    res = peer_fit("exam_rs", False)
    full = np.sqrt(np.diag(np.linalg.inv(-res.model.hessian(res.params.to_numpy()))))
    bse = res.bse.to_numpy()
    assert abs(full[1] / bse[1] - 1) > 1e-3  # the conventions are distinguishable here
    np.testing.assert_allclose(full[2:], bse[2:], rtol=1e-10)  # covariance parameters
    cov = np.asarray(res.cov_params())
    assert np.all(cov[:2, 2:] == 0)
    res = peer_fit("sleepstudy", False)
    full = np.sqrt(np.diag(np.linalg.inv(-res.model.hessian(res.params.to_numpy()))))
    np.testing.assert_allclose(full, res.bse.to_numpy(), rtol=1e-6)


@pytest.mark.parametrize("case", ["sleepstudy", "exam_rs"])
def test_random_effects_and_predictions_match_lme4(case):
    res = peer_fit(case, False)
    ref = sleep_ref.ml_profile if case == "sleepstudy" else exam_ref.rs_ml
    re = res.random_effects()
    labels = [str(c) for c in re.index]
    order = [labels.index(c) for c in ref["ranef"]["clusters"]]
    mean = re["mean"].to_numpy()[order]
    np.testing.assert_allclose(mean, ref["ranef"]["mean"], rtol=1e-5,
                               atol=1e-5 * np.abs(ref["ranef"]["mean"]).max())
    condvar = np.array(ref["ranef"]["condvar"])
    sd = re["sd"].to_numpy()[order]
    np.testing.assert_allclose(sd ** 2, np.diagonal(condvar, axis1=1, axis2=2), rtol=1e-5)
    outcome = res.model.spec.outcome_names[0]
    for mine, theirs in ((res.predict(conditional=True)[outcome], ref["predict"]),
                         (res.predict()[outcome], ref["predict_population"])):
        np.testing.assert_allclose(mine, theirs, rtol=1e-6, atol=1e-6 * np.abs(theirs).max())


def test_summary_and_likelihood_ratio_tests_of_reml_fits():
    res = peer_fit("exam_rs", True)
    text = str(res.summary())
    assert "exact (normal)" in text and "REML (BFGS)" in text
    assert "exact (normal)" in str(peer_fit("exam_rs", False).summary())
    ri = peer_fit("exam_ri", True)
    test = ml.lrt(ri, res)  # same fixed effects: a REML LRT
    assert test["lr"] == pytest.approx(2 * (res.llf - ri.llf)) and test["pvalue"] < 1e-6
    df = pd.read_csv(DATA / "exam.csv")
    fewer = ml.mixture("normexam ~ 1 + (standLRT | school)", data=df).fit(reml=True)
    test = ml.lrt(fewer, res)
    assert np.isnan(test["pvalue"]) and "reml=False" in test["note"]
    test = ml.lrt(peer_fit("exam_ri", False), res)
    assert np.isnan(test["pvalue"]) and "not comparable" in test["note"]


def test_reml_results_keep_their_criterion_after_a_later_ml_fit():
    df = lmm_data()
    m = ml.mixture("y ~ x + (x | g)", data=df)
    reml = m.fit(reml=True, cov_type="ML")
    m.fit(cov_type="ML")  # the model is back to ML ...
    assert not m.reml
    fresh = ml.mixture("y ~ x + (x | g)", data=df).fit(reml=True, cov_type="ML")
    np.testing.assert_allclose(reml.bse, fresh.bse, rtol=1e-8)  # ... its REML result is not
    assert reml.llf == pytest.approx(fresh.llf, abs=1e-9)


def test_canonical_order_relabels_the_posterior_moments_too():
    from mixlevel.estimation import canonical_order

    rng = np.random.default_rng(11)
    J, n = 60, 6
    g = np.repeat(np.arange(J), n)
    d = (rng.random(J) < 0.3).astype(int)[g]
    x = rng.normal(size=J * n)
    y = np.where(d == 1, 2 + 0.2 * x, 0.8 * x) + rng.normal(scale=0.5, size=J)[g] \
        + rng.normal(size=J * n)
    m = ml.mixture("y ~ d * x + (1 | g)", data=pd.DataFrame({"y": y, "x": x, "g": g}),
                   classes={"d": ml.Between(2)})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = m.fit(starts=(4, 2))
    p = dict(res.params)
    swapped = dict(p, **{"d#1~1": -p["d#1~1"]})
    for k in ("y~1", "y~x"):
        swapped[f"{k}[d=1]"], swapped[f"{k}[d=2]"] = p[f"{k}[d=2]"], p[f"{k}[d=1]"]
    work = canonical_order(m.engine, m._work(vector(m, swapped)))
    np.testing.assert_allclose(m.table.free_natural_from_working(work), res.params,
                               rtol=1e-5, atol=1e-6)
