"""The simulator draws from the distribution the likelihood engine evaluates.

The central check: for models with discrete outcomes and small clusters, the
frequencies of every possible cluster response pattern in a large simulated
sample match the probabilities the engine computes for those patterns
(``exp(loglikeobs)``), by a chi-square goodness-of-fit test.  It covers
between and within classes, C regressed on D, random class-logit intercepts,
outcome random effects, class-specific random-effect variances, ordinal,
nominal, binomial and Poisson outcomes.  The rest covers the design
(covariates, cluster sizes), the parametric bootstrap and the errors.
"""

import itertools
import warnings

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from mixlevel import families
from mixlevel.api import Between, mixture
from mixlevel.errors import EstimationWarning, SpecificationError
from mixlevel.model import MixtureModel
from mixlevel.simulation.simulate import Covariate, Population, draw, simulate, working_vector
from mixlevel.spec import ModelSpec


def pattern_test(sim, model_of, outcomes, values, size, params, min_p=1e-3):
    """Chi-square test of simulated cluster patterns against the engine's probabilities.

    ``sim`` is the simulated frame with a cluster column "g"; ``model_of(frame)``
    builds the model on a frame; ``values`` lists the possible values of each
    outcome; every cluster has ``size`` rows.
    """
    row_pats = list(itertools.product(*values))
    cl_pats = list(itertools.product(range(len(row_pats)), repeat=size))
    rows = []
    for rep in range(2):  # twice: the model needs more rows than parameters
        for k, cp in enumerate(cl_pats):
            for i in cp:
                rows.append({"g": k + rep * len(cl_pats),
                             **dict(zip(outcomes, row_pats[i], strict=True))})
    allpat = pd.DataFrame(rows)
    model = model_of(allpat)
    x = np.array([params[n] for n in model.param_names])
    prob = np.exp(model.loglikeobs(x))[:len(cl_pats)]
    assert prob.sum() == pytest.approx(1.0, abs=2e-6)
    index = {p: i for i, p in enumerate(row_pats)}
    row_code = [index[tuple(r)] for r in sim[outcomes].itertuples(index=False)]
    codes = pd.Series(row_code).groupby(sim["g"].to_numpy()).apply(tuple)
    pos = {cp: k for k, cp in enumerate(cl_pats)}
    obs = np.bincount([pos[c] for c in codes], minlength=len(cl_pats))
    n = obs.sum()
    expected = n * prob
    # pool cells with small expectation into one
    small = expected < 5
    o = np.append(obs[~small], obs[small].sum())
    e = np.append(expected[~small], expected[small].sum())
    if e[-1] == 0:
        o, e = o[:-1], e[:-1]
    chi2 = ((o - e) ** 2 / e).sum()
    p = stats.chi2.sf(chi2, len(o) - 1)
    assert p > min_p, f"chi-square {chi2:.1f} on {len(o) - 1} df, p = {p:.2g}"
    return p


def test_between_and_within_classes_c_on_d():
    params = {"u1~1[c=1]": 1.5, "u1~1[c=2]": -1.0, "u2~1[c=1]": 0.8, "u2~1[c=2]": -1.5,
              "d#1~1": 0.4, "c#1~1[d=1]": 1.5, "c#1~1[d=2]": -1.2}
    kw = dict(classes={"d": Between(2), "c": 2}, family="binary", cluster="g")
    sim = simulate("u1 + u2 ~ c; c ~ d", params, n_clusters=20000, cluster_size=2, seed=1,
                   **kw)
    assert sim.shape == (40000, 3) and set(sim.columns) == {"g", "u1", "u2"}
    pattern_test(sim, lambda f: mixture("u1 + u2 ~ c; c ~ d", f, **kw), ["u1", "u2"],
                 [(0, 1), (0, 1)], 2, params)


def test_within_between_random_logit_intercept():
    params = {"u1~1[c=1]": 2.0, "u1~1[c=2]": -1.5, "u2~1[c=1]": 1.0, "u2~1[c=2]": -2.0,
              "c#1~1": 0.3, "Var(c#1|g)": 2.5}
    kw = dict(classes={"c": 2}, family="binary", n_points=40)
    f = "u1 + u2 ~ c; c ~ 1 + (1 | g)"
    sim = simulate(f, params, n_clusters=20000, cluster_size=2, seed=2, **kw)
    pattern_test(sim, lambda d: mixture(f, d, **kw), ["u1", "u2"], [(0, 1), (0, 1)], 2,
                 params)


def test_outcome_random_intercept_with_between_class_probit():
    params = {"u1~1[d=1]": 0.8, "u1~1[d=2]": -0.6, "u2~1[d=1]": 1.0, "u2~1[d=2]": -0.4,
              "d#1~1": -0.3, "Var(1|g)": 1.2}
    kw = dict(classes={"d": Between(2)}, family=families.Binary("probit"), n_points=40)
    f = "u1 ~ d + (1 | g); u2 ~ d"
    sim = simulate(f, params, n_clusters=20000, cluster_size=2, seed=3, **kw)
    pattern_test(sim, lambda d: mixture(f, d, **kw), ["u1", "u2"], [(0, 1), (0, 1)], 2,
                 params)


def test_class_specific_random_effect_variance_hand_built_spec():
    """eq. 18: the between-level covariance depends on the between class (ModelSpec)."""
    spec = ModelSpec()
    spec.add_class("d", 2, level="between")
    spec.add_outcome("u", "binary")
    spec.add_term("u", by=["d"])
    spec.add_block("re", ["1|g"], by=["d"])
    spec.add_term("u", latent="1|g")
    spec.add_term("d")
    params = {"u~1[d=1]": 1.0, "u~1[d=2]": -0.5, "d#1~1": 0.2, "Var(1|g)[d=1]": 0.2,
              "Var(1|g)[d=2]": 3.0}
    sim, lat = simulate(spec, params, n_clusters=20000, cluster_size=3, cluster="g", seed=4,
                        return_latent=True)
    # the latent draws: one class and one random effect per cluster, class-specific SDs
    per = lat.groupby(sim["g"].to_numpy())
    assert (per["d"].nunique() == 1).all() and (per["1|g"].nunique() == 1).all()
    first = lat.groupby(sim["g"].to_numpy()).first()
    sd = first.groupby("d")["1|g"].std()
    assert sd[1] == pytest.approx(np.sqrt(0.2), rel=0.05)
    assert sd[2] == pytest.approx(np.sqrt(3.0), rel=0.05)

    def model_of(frame):
        s = ModelSpec()
        s.add_class("d", 2, level="between")
        s.add_outcome("u", "binary")
        s.add_term("u", by=["d"])
        s.add_block("re", ["1|g"], by=["d"])
        s.add_term("u", latent="1|g")
        s.add_term("d")
        return MixtureModel(s, frame, cluster="g", n_points=40)

    pattern_test(sim, model_of, ["u"], [(0, 1)], 3, params)


def test_ordinal_and_nominal_outcomes_by_class():
    params = {"n#1~1[c=1]": 1.0, "n#1~1[c=2]": -0.5, "n#2~1[c=1]": 0.2, "n#2~1[c=2]": 0.7,
              "c#1~1": 0.4, "o|t1[c=1]": -1.0, "o|t2[c=1]": 0.5, "o|t1[c=2]": 0.3,
              "o|t2[c=2]": 1.8}
    kw = dict(classes={"c": 2}, family={"o": "ordinal", "n": "nominal"}, cluster="g")
    sim = simulate("o + n ~ c", params, n_clusters=30000, cluster_size=1, seed=5, **kw)
    assert set(sim["o"]) == {0, 1, 2} and set(sim["n"]) == {0, 1, 2}
    pattern_test(sim, lambda d: mixture("o + n ~ c", d, **kw), ["o", "n"],
                 [(0, 1, 2), (0, 1, 2)], 1, params)


def test_binomial_with_trials_and_poisson_means():
    rng = np.random.default_rng(0)
    n = 20000
    data = pd.DataFrame({"g": np.arange(n), "m": rng.integers(1, 6, n),
                         "x": rng.normal(size=n)})
    params = {"k~1[c=1]": 1.0, "k~1[c=2]": -1.0, "k~x": 0.5, "c#1~1": 0.0, "cnt~1": 0.3,
              "cnt~x": 0.4}
    sim = simulate("k ~ c + x; cnt ~ x", params, data=data, classes={"c": 2},
                   family={"k": "binomial", "cnt": "poisson"}, trials="m", cluster="g",
                   seed=6)
    assert (sim["k"] <= sim["m"]).all() and (sim["x"] == data["x"]).all()
    # Poisson: E[cnt | x] = exp(0.3 + 0.4 x); binomial: E[k] = m * mean of two logistics
    eta = 0.3 + 0.4 * sim["x"]
    assert sim["cnt"].mean() == pytest.approx(np.exp(eta).mean(), rel=0.03)
    pk = 0.5 * (1 / (1 + np.exp(-(1 + 0.5 * sim["x"]))) + 1 / (1 + np.exp(1 - 0.5 * sim["x"])))
    assert sim["k"].sum() == pytest.approx((sim["m"] * pk).sum(), rel=0.02)


def test_normal_random_intercept_and_slope_moments():
    """Var(y | x) = Var(u0) + x^2 Var(u1) + theta; within-cluster covariance = Var(u0)."""
    params = {"y~1": 0.5, "y~x": 1.0, "Var(1|g)": 0.6, "Cov(1|g,x|g)": 0.0, "Var(x|g)": 0.3,
              "Var(y)": 1.0}
    data = pd.DataFrame({"g": np.repeat(np.arange(5000), 4), "x": np.tile([-1.0, 0, 0, 1],
                                                                             5000)})
    sim, lat = simulate("y ~ x + (1 + x | g)", params, data=data, seed=7, return_latent=True)
    wide = sim.assign(k=np.tile(range(4), 5000)).pivot(index="g", columns="k", values="y")
    cov = np.cov(wide.to_numpy().T)
    assert cov[1, 2] == pytest.approx(0.6, abs=0.05)           # x = 0 rows
    assert cov[1, 1] == pytest.approx(1.6, abs=0.08)
    assert cov[0, 0] == pytest.approx(0.6 + 0.3 + 1.0, abs=0.1)  # x = -1
    assert cov[0, 3] == pytest.approx(0.6 - 0.3, abs=0.06)       # x = -1 and x = 1
    assert list(lat.columns) == ["1|g", "x|g"]
    assert lat["1|g"].var() == pytest.approx(0.6, rel=0.06)


def test_design_covariates_cluster_sizes_and_seeds():
    params = {"y~1": 0.0, "y~x": 1.0, "y~w": -1.0, "Var(1|school)": 0.5, "Var(y)": 1.0}
    pop = Population("y ~ x + w + (1 | school)", params, n_clusters=30,
                     cluster_size=lambda rng, n: rng.integers(2, 9, n),
                     covariates={"x": "uniform", "w": Covariate("binary", level="cluster",
                                                                 p=0.3)})
    assert pop.cluster == "school"  # the random term's grouping column
    a, b = pop.simulate(seed=11), pop.simulate(seed=11)
    pd.testing.assert_frame_equal(a, b)
    assert not a.equals(pop.simulate(seed=12))
    sizes = a.groupby("school").size()
    assert len(sizes) == 30 and sizes.between(2, 8).all()
    assert (a.groupby("school")["w"].nunique() == 1).all()
    assert a["x"].between(0, 1).all()
    # a fixed design keeps its rows; a scipy distribution draws a covariate
    fixed = Population("y ~ x + w + (1 | school)", params, data=a[["school", "w"]],
                       covariates={"x": stats.norm(5, 0.1)}).simulate(seed=1)
    assert (fixed["w"] == a["w"]).all() and fixed["x"].mean() == pytest.approx(5, abs=0.1)


def test_parametric_bootstrap_from_fitted_result():
    params = {"y~1[c=1]": 2.0, "y~1[c=2]": -1.0, "c#1~1": 0.5, "Var(y)": 0.5}
    df = simulate("y ~ c", params, classes={"c": 2}, n_clusters=300, cluster_size=1, seed=8)
    df.index = df.index + 100  # user's index survives
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", EstimationWarning)
        res = mixture("y ~ c", df, classes={"c": 2}).fit(starts=(4, 2))
    boot = simulate(res, seed=3)
    assert list(boot.columns) == list(df.columns) and (boot.index == df.index).all()
    assert not np.allclose(boot["y"], df["y"])
    again = mixture("y ~ c", boot, classes={"c": 2})
    assert again.param_names == res.model.param_names
    # draw() on the model itself: same rows, outcomes at the given values
    out = draw(res.model, dict(res.params), seed=3)
    pd.testing.assert_frame_equal(out, boot)


def test_hand_built_spec_bootstrap_gives_design_columns():
    spec = ModelSpec()
    spec.add_class("c", 2)
    spec.add_outcome("y", "normal")
    spec.add_term("y", by=["c"])
    spec.add_term("y", "x")
    spec.add_term("c")
    params = {"y~1[c=1]": 1.0, "y~1[c=2]": -1.0, "y~x": 0.5, "c#1~1": 0.0, "Var(y)": 1.0}
    df = simulate(spec, params, n_clusters=50, cluster_size=4, covariates={"x": "normal"},
                  seed=1)
    model = MixtureModel(spec, df, cluster="cluster")
    out = draw(model, params, seed=2)
    assert set(out.columns) == {"x", "cluster", "y"}
    np.testing.assert_allclose(out["x"], df["x"])


def test_errors_name_the_problem():
    params = {"y~1": 0.0, "y~x": 1.0, "Var(y)": 1.0}
    with pytest.raises(SpecificationError, match="no value for the parameter"):
        simulate("y ~ x", {"y~1": 0.0}, n_clusters=5, cluster_size=2,
                 covariates={"x": "normal"})
    with pytest.raises(SpecificationError, match="did you mean 'y~x'"):
        simulate("y ~ x", {**params, "y~z": 1.0}, n_clusters=5, cluster_size=2,
                 covariates={"x": "normal"})
    with pytest.raises(SpecificationError, match="n_clusters and cluster_size"):
        simulate("y ~ x", params, covariates={"x": "normal"})
    with pytest.raises(SpecificationError, match="categories"):
        simulate("o ~ x", {"o~x": 1.0}, family="ordinal", n_clusters=5, cluster_size=2,
                 covariates={"x": "normal"})
    with pytest.raises(SpecificationError, match="unknown covariate distribution"):
        Covariate("gamma")
    with pytest.raises(SpecificationError, match="cluster_size"):
        simulate("y ~ x", params, n_clusters=5, cluster_size=[1, 2],
                 covariates={"x": "normal"})
    spec = ModelSpec()
    spec.add_outcome("y")
    spec.add_term("y", "x")
    with pytest.raises(SpecificationError, match="covariates=\\{'x'"):
        simulate(spec, {"y~x": 1.0, "Var(y)": 1.0}, n_clusters=5, cluster_size=2)


def test_working_vector_checks_fixed_values():
    df = pd.DataFrame({"y": np.arange(20.0), "x": np.arange(20.0) % 3})
    model = mixture("y ~ x", df, fix={"y~x": 0.5})
    w = working_vector(model, {"y~1": 1.0, "Var(y)": 2.0, "y~x": 0.5})
    assert np.allclose(w, [1.0, np.log(2.0)])
    with pytest.raises(SpecificationError, match="fixed at 0.5"):
        working_vector(model, {"y~1": 1.0, "Var(y)": 2.0, "y~x": 0.7})


def test_weighted_fit_is_not_resampled_once_per_row():
    """A frequency weight stands for that many rows with independent outcomes: drawing
    once per weighted row (the pattern of 34 slides drawn once, kept with weight 34) is
    not a sample from the model, so it is refused with the way out."""
    from pathlib import Path

    raw = pd.read_csv(Path(__file__).parent / "data" / "carcinoma.csv") - 1
    patterns = raw.groupby(list(raw.columns)).size().rename("n").reset_index()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = mixture(" + ".join(raw.columns) + " ~ c", patterns, classes={"c": 2},
                      family="binary", weights="n").fit(starts=(4, 2), progress=False)
    with pytest.raises(SpecificationError, match="frequency weights.*expand the rows"):
        simulate(res, seed=1)
