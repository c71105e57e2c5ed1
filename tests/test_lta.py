"""Latent transition models: the constructor ml.lta, its starts and its derived quantities.

The constructor's model is checked against the latent Markov chain likelihood
computed independently (the numpy forward-backward oracle fed with the
parameters), in wide and long data, first and second order, with invariance
and homogeneity constraints.  Starts: the per-wave start matches classes across
waves and reaches the maximum that default starts reach; a single-item
(latent Markov) model starts from ordered groups.  Derived quantities are
compared with hand computations, the results' own tables and, for the
section-4 R^2 decomposition, a simulation of the latent responses.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from scipy.special import expit, log_expit, log_softmax

import mixlevel as ml
from mixlevel._kernels import _chain_reference as chain
from mixlevel.api import parameter_table
from mixlevel.errors import EstimationWarning, SpecificationError
from mixlevel.models.lta_starts import match_classes


def quiet(fn, *a, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return fn(*a, **kw)


def items_of(J, T, stem="u"):
    return [[f"{stem}{j}_{t}" for j in range(1, J + 1)] for t in range(1, T + 1)]


def simulate_lta(truth, n, J, T, K, seed, missing=0.0, **kw):
    """Data drawn from the model ml.lta builds (placeholder items, then ml.simulate)."""
    rng = np.random.default_rng(seed)
    base = pd.DataFrame({c: rng.integers(0, 2, n).astype(float)
                         for wave in items_of(J, T) for c in wave})
    for col in kw.pop("extra", {}):
        base[col] = rng.normal(size=n)
    model = ml.lta(base, items_of(J, T), k=K, **kw)
    df = ml.simulate(model, truth, seed=seed)
    if missing:
        for wave in items_of(J, T)[1:]:
            gone = rng.uniform(size=n) < missing     # whole waves missing
            df.loc[gone, wave] = np.nan
    return df


def full_values(model, params):
    """Every parameter value (free, equal, fixed) from the free ones."""
    table = parameter_table(model, start_values=False)
    p = dict(zip(model.param_names, params, strict=True))
    out = {}
    for name, status, value in zip(table["name"], table["status"], table["value"],
                                   strict=True):
        out[name] = p[name] if status == "free" else (
            p[status[2:]] if status.startswith("= ") else value)
    return out


def chain_loglike(model, params, order=1):
    """The latent Markov likelihood by the numpy forward-backward oracle."""
    v = full_values(model, params)
    lay = model.waves
    data = model.wide_data
    N, T, K = len(data), lay.n_waves, lay.k
    E = np.zeros((N, 1, T, K))
    for t, cols in enumerate(lay.items):
        for col in cols:
            y = data[col].to_numpy(float)
            for k in range(K):
                eta = v[f"{col}~1[{lay.classes[t]}={k + 1}]"]
                E[:, 0, t, k] += np.where(np.isnan(y), 0.0,
                                          y * log_expit(eta) + (1 - y) * log_expit(-eta))
    c = lay.classes

    def logits(target, given):
        return np.append([v[f"{target}#{j}~1{given}"] for j in range(1, K)], 0.0)

    P0 = log_softmax(logits(c[0], ""))[None, None]
    first_order = range(1, T) if order == 1 else range(1, 2)
    P = np.array([[log_softmax(logits(c[t], f"[{c[t - 1]}={k + 1}]")) for k in range(K)]
                  for t in first_order])[None, None]
    P2 = None
    if order == 2:
        P2 = np.array([[[log_softmax(logits(c[t], f"[{c[t - 2]}={j + 1},{c[t - 1]}={k + 1}]"))
                         for k in range(K)] for j in range(K)]
                       for t in range(2, T)])[None, None]
    out = chain.forward_backward(E, P0, P, P2, posteriors=False)
    return out["ll"].sum()


# ------------------------------------------------------------------------------------
# the constructor
# ------------------------------------------------------------------------------------
@pytest.mark.parametrize("kw", [dict(), dict(invariant=False), dict(homogeneous=True),
                                dict(order=2, homogeneous=True, invariant=False)],
                         ids=["invariant", "free", "homogeneous", "order2"])
def test_likelihood_is_the_latent_markov_likelihood(kw):
    rng = np.random.default_rng(5)
    n, J, T, K = 60, 3, 4, 2
    df = pd.DataFrame({c: rng.integers(0, 2, n).astype(float)
                       for wave in items_of(J, T) for c in wave})
    df.iloc[:10, :J] = np.nan                          # wave 1 missing
    df.iloc[5:15, J + 1] = np.nan                      # single items missing
    model = ml.lta(df, items_of(J, T), k=K, **kw)
    for seed in range(2):
        params = np.random.default_rng(seed).normal(size=len(model.param_names))
        assert model.loglike(params) == pytest.approx(
            chain_loglike(model, params, kw.get("order", 1)), rel=1e-10)


def test_constraints_of_invariance_and_homogeneity():
    df = pd.DataFrame({c: [0.0, 1.0, 1.0, 0.0] * 10 for wave in items_of(2, 3) for c in wave})
    model = ml.lta(df, items_of(2, 3), k=3, homogeneous=True)
    table = parameter_table(model, start_values=False).set_index("name")["status"]
    assert table["u1_2~1[c2=3]"] == "= u1_1~1[c1=3]"
    assert table["u2_3~1[c3=1]"] == "= u2_1~1[c1=1]"
    assert table["c3#2~1[c2=1]"] == "= c2#2~1[c1=1]"
    assert table["c3#1~1[c2=3]"] == "= c2#1~1[c1=3]"
    # items 2 x 3 classes, 2 initial logits, 3 x 2 transition logits
    assert len(model.param_names) == 6 + 2 + 6
    assert model.formula.text.splitlines()[-1] == "c3 ~ c2"
    free = ml.lta(df, items_of(2, 3), k=3, invariant=False)
    assert len(free.param_names) == 18 + 2 + 12


def test_long_data_become_wide_with_missing_waves_as_missing_items():
    rng = np.random.default_rng(2)
    wide = pd.DataFrame({"id": np.arange(40), "x": rng.normal(size=40)})
    for t in (1, 2, 3):
        wide[f"u_{t}"] = rng.integers(0, 2, 40).astype(float)
        wide[f"v_{t}"] = rng.integers(0, 2, 40).astype(float)
        wide[f"z_{t}"] = rng.normal(size=40)            # time-varying covariate
    long = pd.wide_to_long(wide, ["u", "v", "z"], i="id", j="t", sep="_").reset_index()
    long["t"] = long["t"] * 10                          # times 10, 20, 30
    gone = (long["id"] < 5) & (long["t"] == 20)         # no row at wave 2
    long.loc[(long["id"] >= 5) & (long["id"] < 10) & (long["t"] == 20), ["u", "v", "z"]] = \
        [np.nan, np.nan, 0.5]                           # a row without items
    long = long.drop(index=long.index[gone]).sample(frac=1.0, random_state=1)
    with pytest.warns(UserWarning, match="5 with missing 'z_2'"):  # the wave-2 covariate
        m_long = ml.lta(long, ["u", "v"], id="id", time="t", k=2, covariates_initial="x",
                        covariates_transition="z")
    assert m_long.waves.time_values == [10, 20, 30]
    assert m_long.wide_data["u_2"].isna().sum() == 5 and len(m_long.wide_data) == 35
    wide.loc[wide["id"] < 5, ["u_2", "v_2", "z_2"]] = np.nan
    wide.loc[(wide["id"] >= 5) & (wide["id"] < 10), ["u_2", "v_2", "z_2"]] = \
        [np.nan, np.nan, 0.5]
    # the model written by hand on the wide data: z at wave t in the transition into t
    by_hand = quiet(ml.mixture, """u_1 + v_1 ~ c1
                            u_2 + v_2 ~ c2
                            u_3 + v_3 ~ c3
                            c1 ~ 1 + x
                            c2 ~ c1 + z_2
                            c3 ~ c2 + z_3""", data=wide, classes={"c1": 2, "c2": 2, "c3": 2},
                         family="binary",
                         equal=[("u_1~*", "u_2~*", "u_3~*"), ("v_1~*", "v_2~*", "v_3~*")])
    assert by_hand.param_names == m_long.param_names
    for seed in range(2):
        p = np.random.default_rng(seed).normal(size=len(by_hand.param_names))
        assert m_long.loglike(p) == pytest.approx(by_hand.loglike(p), rel=1e-12)


def test_constructor_errors_name_the_problem():
    df = pd.DataFrame({"a1": [0.0, 1.0], "a2": [1.0, 0.0], "b2": [0.0, 0.0], "c1": [1, 2]})
    with pytest.raises(SpecificationError, match="different numbers of items"):
        ml.lta(df, [["a1"], ["a2", "b2"]], k=2)
    with pytest.raises(SpecificationError, match="choose another name"):
        ml.lta(df, [["a1"], ["a2"]], k=2)
    long = pd.DataFrame({"id": [1, 1, 2], "t": [1, 1, 1], "y": [0.0, 1.0, 1.0]})
    with pytest.raises(SpecificationError, match="repeat an"):
        ml.lta(long, "y", id="id", time="t", k=2)
    with pytest.raises(SpecificationError, match="column names, not a formula"):
        ml.lta(long, "y", id="id", time="t", k=2, covariates_initial="x * w")


# ------------------------------------------------------------------------------------
# starts
# ------------------------------------------------------------------------------------
def test_hungarian_matching_recovers_a_permutation():
    rng = np.random.default_rng(0)
    ref = rng.uniform(size=(5, 8))
    perm = np.array([3, 0, 4, 1, 2])
    other = ref[perm] + rng.normal(scale=0.02, size=(5, 8))
    lab = match_classes(ref, other)
    np.testing.assert_array_equal(lab, perm)


PROFILES = np.array([[2.0, 1.5, 1.8, 1.2], [0.0, 2.0, -1.5, 0.5], [-2.0, -1.5, -1.8, -1.8]])
TRANS = np.array([[0.8, 0.15, 0.05], [0.1, 0.8, 0.1], [0.05, 0.15, 0.8]])


def lta_truth(K=3, J=4, initial=(0.5, 0.2)):
    truth = {f"u{j}_1~1[c1={k}]": PROFILES[k - 1, j - 1] for j in range(1, J + 1)
             for k in range(1, K + 1)}
    truth.update({f"c1#{k}~1": v for k, v in enumerate(initial, start=1)})
    lt = np.log(TRANS)
    for k in range(1, K + 1):
        for m in range(1, K):
            truth[f"c2#{m}~1[c1={k}]"] = lt[k - 1, m - 1] - lt[k - 1, K - 1]
    return truth


@pytest.fixture(scope="module")
def fitted_lta():
    truth = lta_truth()
    df = simulate_lta(truth, 500, 4, 3, 3, seed=11, missing=0.1, homogeneous=True)
    model = ml.lta(df, items_of(4, 3), k=3, homogeneous=True)
    res = quiet(model.fit, starts=(4, 2), progress=False)
    return truth, model, res


def test_per_wave_start_reaches_the_maximum(fitted_lta):
    truth, model, res = fitted_lta
    start = model.start_params
    generic = model.table.free_natural_from_working(model._generic_start())
    assert model.loglike(start) > model.loglike(generic) + 100
    from_start = quiet(model.fit, start_params=start)
    assert from_start.llf == pytest.approx(res.llf, abs=1e-6)
    # the truth's classes, found at every wave with the same labels
    est = np.array([[res.params[f"u{j}_1~1[c1={k}]"] for j in range(1, 5)]
                    for k in range(1, 4)])
    lab = match_classes(PROFILES, est)
    assert (lab == np.arange(3)).all() or len(set(lab)) == 3
    for k in range(3):
        np.testing.assert_allclose(est[k], PROFILES[lab[k]], atol=0.6)
    trans = res.lta.transition_matrix(wave=2).to_numpy()
    inv = np.argsort(lab)
    np.testing.assert_allclose(trans[np.ix_(inv, inv)], TRANS, atol=0.08)


def test_single_item_latent_markov_model_starts_from_ordered_groups():
    """One nominal item per wave (long data): per-wave classes are not identified, the
    start comes from K ordered groups of the item and the fit recovers the chain."""
    rng = np.random.default_rng(4)
    n, T = 600, 3
    state = np.zeros((n, T), int)
    state[:, 0] = rng.uniform(size=n) < 0.4
    P = np.array([[0.9, 0.1], [0.2, 0.8]])
    for t in range(1, T):
        state[:, t] = rng.uniform(size=n) < P[state[:, t - 1], 1]
    probs = np.array([[0.5, 0.3, 0.15, 0.05], [0.1, 0.2, 0.3, 0.4]])
    y = np.array([[rng.choice(4, p=probs[s]) + 1 for s in row] for row in state], float)
    long = pd.DataFrame({"id": np.repeat(np.arange(n), T), "t": np.tile(np.arange(T), n),
                         "y": y.ravel()})
    long = long.drop(index=long.index[rng.uniform(size=len(long)) < 0.1])
    model = ml.lta(long, "y", id="id", time="t", k=2, family="nominal", homogeneous=True)
    start = model.start_params
    assert model.start_info["chosen"] in ("per-wave", "stacked")
    res = quiet(model.fit, starts=(3, 1), progress=False)
    from_start = quiet(model.fit, start_params=start)
    assert from_start.llf == pytest.approx(res.llf, abs=1e-5)
    prof = res.lta.profiles()
    low = 0 if prof.iloc[0, 0] > prof.iloc[0, 1] else 1    # the class of low categories
    order = [low, 1 - low]
    tr = res.lta.transitions(wave=2)
    est = tr["estimate"].to_numpy().reshape(2, 2)[np.ix_(order, order)]
    se = tr["se"].to_numpy().reshape(2, 2)[np.ix_(order, order)]
    assert np.all(np.abs(est - P) < 3 * se)
    # the maximum is at least as high as the truth under either labelling
    best_truth = -np.inf
    for lab in ([0, 1], [1, 0]):
        truth = {"c1#1~1": np.log(0.6 / 0.4) * (1 if lab[0] == 0 else -1)}
        for k in (1, 2):
            s = lab[k - 1]
            truth.update({f"y_1#{j}~1[c1={k}]": np.log(probs[s, j - 1] / probs[s, 3])
                          for j in (1, 2, 3)})
            for m in (1,):
                truth[f"c2#{m}~1[c1={k}]"] = np.log(P[s, lab[0]] / P[s, lab[1]])
        best_truth = max(best_truth, model.loglike(np.array([truth[n]
                                                             for n in model.param_names])))
    assert res.llf >= best_truth - 1e-6


# ------------------------------------------------------------------------------------
# derived quantities
# ------------------------------------------------------------------------------------
def test_probabilities_at_covariates_by_hand():
    truth = {**{f"u{j}_1~1[c1={k}]": PROFILES[k - 1, j - 1] for j in range(1, 4)
                for k in (1, 2)}, "c1#1~1": 0.3, "c1#1~x": 0.8, "c2#1~1[c1=1]": 2.0,
             "c2#1~1[c1=2]": -1.5, "c2#1~x": -0.5}
    df = simulate_lta(truth, 400, 3, 2, 2, seed=8, extra=["x"], covariates_initial="x",
                      covariates_transition="x")
    model = ml.lta(df, items_of(3, 2), k=2, covariates_initial="x",
                   covariates_transition="x")
    res = quiet(model.fit, start_params=np.array([truth[n] for n in model.param_names]))
    p = res.params
    init = res.lta.initial(at={"x": 0.7})
    want = expit(p["c1#1~1"] + 0.7 * p["c1#1~x"])
    assert init["estimate"].iloc[0] == pytest.approx(want, rel=1e-12)
    tr = res.lta.transitions(at={"x": -1.0})
    want = expit(p["c2#1~1[c1=2]"] - p["c2#1~x"])
    assert tr.loc["c1=2->c2=1", "estimate"] == pytest.approx(want, rel=1e-12)
    assert (tr["se"] > 0).all()
    with pytest.raises(ValueError, match="give a value for 'x'"):
        res.lta.initial(at={})
    with pytest.raises(ValueError, match="every covariate"):
        res.lta.initial(at={"w": 1.0})
    # the delta method of the initial probability by hand
    cov = res.cov_params().loc[["c1#1~1", "c1#1~x"], ["c1#1~1", "c1#1~x"]].to_numpy()
    pr = init["estimate"].iloc[0]
    g = pr * (1 - pr) * np.array([1.0, 0.7])
    assert init["se"].iloc[0] == pytest.approx(np.sqrt(g @ cov @ g), rel=1e-4)


def test_model_implied_tables_agree_with_the_results(fitted_lta):
    _, model, res = fitted_lta
    lt = res.lta
    tt = res.transition_table("c2", "c3")
    np.testing.assert_allclose(lt.transition_matrix(wave=3).to_numpy(), tt.to_numpy(),
                               atol=1e-12)
    # homogeneous, no covariates: the model-implied transitions are the logits' softmax
    np.testing.assert_allclose(lt.transitions(wave=3, at={})["estimate"],
                               lt.transitions(wave=3)["estimate"], atol=1e-10)
    np.testing.assert_allclose(lt.transitions(wave=2, at={})["estimate"],
                               lt.transitions(wave=3, at={})["estimate"], atol=1e-12)
    sizes = lt.class_sizes()
    props = res.class_proportions_table()
    assert sizes.loc[(2, 3), "model"] == pytest.approx(props.loc["c2=3", "model"])
    # sizes at wave 2 are wave 1's pushed through the transitions
    s1 = sizes.loc[1, "model"].to_numpy()
    np.testing.assert_allclose(s1 @ lt.transition_matrix(wave=2).to_numpy(),
                               sizes.loc[2, "model"].to_numpy(), atol=1e-10)
    prof = lt.profiles()
    assert prof.shape == (4, 3)
    assert prof.loc["u2", "C_t=2"] == pytest.approx(expit(res.params["u2_1~1[c1=2]"]))
    text = str(lt.summary())
    assert "Transitions P(c3 | c2)" in text and "Table 1 layout" in text
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig = lt.plot_transitions()
    titles = [ax.get_title() for ax in fig.axes]
    assert titles == ["P(c2 | c1), model", "P(c3 | c2), model"]
    plt.close(fig)


def test_eq14_r_squared_single_level():
    truth = {**{f"u{j}_1~1[c1={k}]": PROFILES[k - 1, j - 1] for j in range(1, 5)
                for k in (1, 2)}, "c1#1~1": 0.3, "c2#1~1[c1=1]": 2.0, "c2#1~1[c1=2]": -1.5}
    df = simulate_lta(truth, 300, 4, 2, 2, seed=3)
    model = ml.lta(df, items_of(4, 2), k=2)
    res = quiet(model.fit, start_params=np.array([truth[n] for n in model.param_names]))
    r2 = res.lta.r_squared()
    ref = ml.r_squared(res, "c2", "c1")
    assert r2.loc["R2(c2 | c1)", "estimate"] == pytest.approx(ref["estimate"].iloc[0],
                                                              rel=1e-8)
    assert r2.loc["R2(c2 | c1)", "se"] == pytest.approx(ref["se"].iloc[0], rel=1e-3)


@pytest.fixture(scope="module")
def two_level():
    """The section-4 model: two waves, random logit intercepts (eq. 15), from the truth."""
    truth = {**{f"u{j}_1~1[c1={k}]": PROFILES[k - 1, j - 1] for j in range(1, 5)
                for k in (1, 2)},
             "c1#1~1": -0.2, "c2#1~1[c1=1]": 2.2, "c2#1~1[c1=2]": -1.4,
             "Var(c1#1|g)": 1.5, "Cov(c1#1|g,c2#1|g)": 1.0, "Var(c2#1|g)": 1.2}
    rng = np.random.default_rng(2)
    n = 600
    base = pd.DataFrame({c: rng.integers(0, 2, n).astype(float)
                         for wave in items_of(4, 2) for c in wave})
    base["g"] = np.repeat(np.arange(40), 15)
    model = ml.lta(base, items_of(4, 2), k=2, cluster="g", n_points=7)
    df = ml.simulate(model, truth, seed=5)
    model = ml.lta(df, items_of(4, 2), k=2, cluster="g", n_points=7)
    start = np.array([truth[n] for n in model.param_names])
    res = quiet(model.fit, start_params=start, em_iter=2)
    return truth, res


def test_random_intercept_regression_is_cov_over_var(two_level):
    _, res = two_level
    p = res.params
    out = res.lta.random_intercept_regression()
    beta = p["Cov(c1#1|g,c2#1|g)"] / p["Var(c1#1|g)"]
    assert out.loc["beta", "estimate"] == pytest.approx(beta, rel=1e-10)
    resid = p["Var(c2#1|g)"] - beta * p["Cov(c1#1|g,c2#1|g)"]
    assert out.loc["residual variance", "estimate"] == pytest.approx(resid, rel=1e-10)
    mu = p["c2#1~1[c1=2]"] - beta * p["c1#1~1"]
    assert out.loc["mu", "estimate"] == pytest.approx(mu, rel=1e-10)
    assert (out["se"] > 0).all()


def test_r_squared_decomposition_by_simulating_latent_responses(two_level):
    """The section-4 decomposition against a simulation of (alpha_1, alpha_2, C_1, C_2*)."""
    _, res = two_level
    p = res.params
    r2 = res.lta.r_squared()
    est = r2["estimate"]
    parts = ["R2(c2): alpha1", "R2(c2): residual c1", "R2(c2): residual alpha2"]
    assert est[parts].sum() == pytest.approx(est["R2(c2)"], rel=1e-12)
    rng = np.random.default_rng(0)
    n = 1_000_000
    S = np.array([[p["Var(c1#1|g)"], p["Cov(c1#1|g,c2#1|g)"]],
                  [p["Cov(c1#1|g,c2#1|g)"], p["Var(c2#1|g)"]]])
    z = rng.multivariate_normal([0, 0], S, size=n)
    a1 = p["c1#1~1"] + z[:, 0]
    gamma = p["c2#1~1[c1=1]"] - p["c2#1~1[c1=2]"]
    a2 = p["c2#1~1[c1=2]"] + z[:, 1]
    c1 = rng.uniform(size=n) < expit(a1)                # I(C_1 = 1)
    pred = a2 + gamma * c1
    total = pred.var() + np.pi ** 2 / 3
    assert est["R2(c2)"] == pytest.approx(pred.var() / total, abs=3e-3)
    assert est["R2(c1 | alpha1)"] == pytest.approx(a1.var() / (a1.var() + np.pi ** 2 / 3),
                                                   abs=3e-3)
    beta = S[0, 1] / S[0, 0]
    m = expit(a1)
    assert est["R2(c2): alpha1"] == pytest.approx((beta * a1 + gamma * m).var() / total,
                                                  abs=3e-3)
    assert est["R2(c2): residual c1"] == pytest.approx(
        (gamma * (c1 - m)).var() / total, abs=3e-3)
    pc = c1.mean()
    eq14 = gamma ** 2 * pc * (1 - pc) / (gamma ** 2 * pc * (1 - pc) + np.pi ** 2 / 3)
    assert est["R2(c2 | c1)"] == pytest.approx(eq14, abs=3e-3)
    assert (r2["se"] > 0).all()


# ------------------------------------------------------------------------------------
# likelihood ratio tests of LTAs
# ------------------------------------------------------------------------------------
def test_lrt_warns_when_the_full_model_is_below_the_restricted_one(fitted_lta):
    _, model, res = fitted_lta
    df = model.wide_data
    full = ml.lta(df, items_of(4, 3), k=3)            # heterogeneous transitions
    generic = full.table.free_natural_from_working(full._generic_start())
    stopped = quiet(full.fit, start_params=generic, maxiter=1, em_iter=0)
    assert stopped.llf < res.llf
    with pytest.warns(EstimationWarning, match="exceeds the full model"):
        out = ml.lrt(res, stopped)
    assert "exceeds the full model" in out["note"]
    fake = stopped.start_table
    stopped._results.start_table = pd.DataFrame(
        {"stage": ["final", "final"], "loglike": [stopped.llf, stopped.llf - 3.0]})
    with pytest.warns(EstimationWarning, match="full model.s best log-likelihood was reached"):
        ml.lrt(res, stopped)
    stopped._results.start_table = fake


# ------------------------------------------------------------------------------------
# Add Health against slca
# ------------------------------------------------------------------------------------
@pytest.mark.slow
def test_addhealth_invariant_lta_reaches_the_slca_maximum():
    """Default starts reach the maximum of the per-wave start and slca's (2 minutes)."""
    from pathlib import Path

    from tests.results import results_lta_addhealth as ref

    par = ref.invariant["params"]
    items = ["S1", "S2", "S3", "S4", "D1", "D2", "F1", "F2"]
    K = 5
    initial = np.array([par[f"prev_w1_s{k}"] for k in range(1, K + 1)])
    transition = np.array([[par[f"trans_s{k}_s{m}"] for m in range(1, K + 1)]
                           for k in range(1, K + 1)])
    yes = np.array([[par[f"{i}_s{k}"] for k in range(1, K + 1)] for i in items])  # (item, class)
    df = pd.read_csv(Path(__file__).parent / "data" / "addhealth.csv")
    waves = [[f"{i}w{t}" for i in items] for t in (1, 2)]
    for col in waves[0] + waves[1]:
        df[col] = 2 - df[col]                            # 1 = yes, 0 = no
    model = ml.lta(df, waves, k=5)
    assert len(model.param_names) == 64
    res = quiet(model.fit, progress=False)
    from_start = quiet(model.fit, start_params=model.start_params)
    assert res.llf == pytest.approx(from_start.llf, abs=1e-6)
    assert res.llf == pytest.approx(ref.invariant["loglike"], abs=1e-4)
    # the same solution: classes matched by their item profiles
    ours = res.lta.profiles().to_numpy().T                # (class, item)
    theirs = yes.T
    lab = match_classes(theirs, ours)                     # lab[our class] = slca class
    np.testing.assert_allclose(ours, theirs[lab], atol=2e-3)
    init = res.lta.initial()["estimate"].to_numpy()
    np.testing.assert_allclose(init, initial[lab], atol=2e-3)
    trans = res.lta.transition_matrix(wave=2).to_numpy()
    want = transition[np.ix_(lab, lab)]
    np.testing.assert_allclose(trans, want, atol=2e-3)
