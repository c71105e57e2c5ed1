"""Two-level latent Markov chains on the forward-backward path (issue 12).

:class:`~mixlevel.engine.chain_cluster.ChainClusterEngine` (the chain kernel
in cells of between pattern x cluster node) against the enumerating
:class:`~mixlevel.engine.Engine` (K^T joint patterns in every cell) at the
same integration rule: log-likelihood, gradient and per-cluster scores agree
to 1e-10 with correlated random logit intercepts per wave (the paper's
section 4), covariates on the transition logits, frequency weights, a missing
wave, second order and a between class variable, for fixed, adaptive and quasi-Monte
Carlo rules.  An independent numpy brute force (every class pattern, product
Gauss-Hermite over the random intercepts) gives the same log-likelihood to
1e-8, and a fit through ``ml.lta(..., cluster=)`` reaches the enumerating
engine's maximum.
"""

from __future__ import annotations

import itertools
import warnings

import numpy as np
import pandas as pd
import pytest
from scipy import special

import mixlevel as ml
from mixlevel.engine import Engine
from mixlevel.engine.chain import chain_reason
from mixlevel.engine.chain_cluster import ChainClusterEngine
from mixlevel.integrate.defaults import IntegrationRule
from mixlevel.model import MixtureModel
from mixlevel.spec import ModelSpec


def items_of(J, T, stem="u"):
    return [[f"{stem}{j}_{t}" for j in range(1, J + 1)] for t in range(1, T + 1)]


def two_level_frame(seed, n_clusters=8, size=4, T=3, J=2):
    """Random binary items; wave 2 missing for about a quarter of the rows; a row
    covariate x, a cluster covariate w and frequency weights wt."""
    rng = np.random.default_rng(seed)
    n = n_clusters * size
    df = pd.DataFrame({c: rng.integers(0, 2, n).astype(float)
                       for wave in items_of(J, T) for c in wave})
    df["g"] = np.repeat(np.arange(n_clusters), size)
    df["x"] = rng.normal(size=n)
    df["w"] = np.repeat(rng.normal(size=n_clusters), size)
    df["wt"] = rng.integers(1, 4, n).astype(float)
    df.loc[rng.uniform(size=n) < 0.25, items_of(J, T)[1]] = np.nan
    return df


def quiet(f, *a, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return f(*a, **kw)


def lta_model(seed, **kw):
    return quiet(ml.lta, two_level_frame(seed), items_of(2, 3), k=2, cluster="g", **kw)


def between_model(seed):
    """c1 on a between class d; c2 on c1 and x; c3 on (c2, d); d on a cluster covariate;
    a random intercept on the logit of c1."""
    spec = ModelSpec()
    for t in (1, 2, 3):
        spec.add_class(f"c{t}", 2)
    spec.add_class("d", 2, level="between")
    for t in (1, 2, 3):
        for j in (1, 2):
            spec.add_outcome(f"u{j}_{t}", "binary")
            spec.add_term(f"u{j}_{t}", by=[f"c{t}"])
    spec.add_term("c1", by=["d"])
    spec.add_term("c2", by=["c1"])
    spec.add_term("c2", "x")
    spec.add_term("c3", by=["c2", "d"])
    spec.add_term("d")
    spec.add_term("d", "w")
    spec.add_block("re", ["a1"])
    spec.add_term("c1", "1", latent="a1")
    return quiet(MixtureModel, spec, two_level_frame(seed, n_clusters=10), cluster="g",
                 integration="gauss-hermite", n_points=5)


MODELS = {
    "correlated-covariates": lambda: lta_model(1, covariates_transition="x", weights="wt"),
    "order2": lambda: lta_model(2, order=2),
    "between": lambda: between_model(3),
}
RULES = {
    "gauss-hermite": IntegrationRule("gauss-hermite", 4, False, 1),
    "adaptive": IntegrationRule("gauss-hermite", 3, True, 1),
    "qmc": IntegrationRule("quasi-monte-carlo", 150, False, 1),
}


@pytest.mark.parametrize("rule", list(RULES))
@pytest.mark.parametrize("case", list(MODELS))
def test_chain_cluster_engine_equals_enumeration(case, rule):
    model = MODELS[case]()
    assert chain_reason(model.layout, model.design) == ""
    chain = ChainClusterEngine(model.layout, model.design, model.table, rule=RULES[rule])
    full = Engine(model.layout, model.design, model.table, rule=RULES[rule])
    rng = np.random.default_rng(7)
    for _ in range(2):
        w = rng.normal(scale=0.7, size=len(model.param_names))
        if RULES[rule].adaptive:  # both at the same (adapted) nodes
            assert chain.adapt_nodes_at_mode(w) and full.adapt_nodes_at_mode(w)
            np.testing.assert_allclose(chain.nodes.zb, full.nodes.zb, atol=1e-5)
            chain.nodes = full.nodes
        ll_f, g_f, es_f = full.loglike_and_score(w)
        ll_c, g_c, es_c = chain.loglike_and_score(w)
        assert ll_c == pytest.approx(ll_f, rel=1e-12, abs=1e-10)
        np.testing.assert_allclose(g_c, g_f, rtol=1e-10, atol=1e-10)
        np.testing.assert_allclose(chain.score_obs(w), full.score_obs(w), atol=1e-10)
        np.testing.assert_allclose(es_c.post_dg, es_f.post_dg, atol=1e-12)
        # cluster scores from the E-step of the summed gradient (posteriors kept on it)
        np.testing.assert_allclose(chain.expected(w, es_c, per_cluster=True)[1].sum(axis=0),
                                   g_f, rtol=1e-10, atol=1e-10)
        np.testing.assert_allclose(es_c.gamma, chain.estep(w).gamma, atol=1e-12)


def test_gradient_of_the_q_function_at_other_parameters_equals_finite_differences():
    """The EM objective at fixed posteriors (per-cell posteriors recomputed, not stored)."""
    model = MODELS["between"]()
    chain = ChainClusterEngine(model.layout, model.design, model.table, rule=RULES["qmc"])
    rng = np.random.default_rng(3)
    w = rng.normal(scale=0.5, size=len(model.param_names))
    es = chain.estep(w)
    w2 = w + 0.3 * rng.normal(size=len(w))
    _, g = chain.expected(w2, es)
    h = 1e-6
    fd = np.array([(chain.expected(w2 + h * e, es)[0] - chain.expected(w2 - h * e, es)[0])
                   / (2 * h) for e in np.eye(len(w))])
    np.testing.assert_allclose(g, fd, rtol=1e-6, atol=1e-6)
    # and at the E-step's own parameters the Q gradient is the log-likelihood's
    _, g_ll, _ = chain.loglike_and_score(w)
    np.testing.assert_allclose(chain.expected(w, es)[1], g_ll, atol=1e-12)


# ------------------------------------------------------------------------------------
# an independent brute force: every class pattern, product Gauss-Hermite
# ------------------------------------------------------------------------------------
def brute_force_loglike(model, nat, n_points, order=1, weights=None):
    """sum_j log sum_g w_g prod_i [sum_{c_1..c_T} P(c | alpha_g, x_i) prod f(y_it | c_t)]^f_i,
    alpha_g = chol(Sigma) u_g on a product Gauss-Hermite grid (numpy only; f_i the
    frequency weight in column ``weights``, else 1)."""
    df = model.formula.data if hasattr(model, "formula") else model.data
    T, K = 3, 2
    names = [f"c{t}#1|g" for t in range(1, T + 1)]
    S = np.empty((T, T))
    for a, b in itertools.product(range(T), repeat=2):
        S[a, b] = nat[f"Var({names[a]})"] if a == b else \
            nat.get(f"Cov({names[min(a, b)]},{names[max(a, b)]})")
    L = np.linalg.cholesky(S)
    x1, w1 = np.polynomial.hermite_e.hermegauss(n_points)
    w1 = w1 / np.sqrt(2 * np.pi)
    U = np.array(list(itertools.product(x1, repeat=T)))
    lw = np.log(np.prod(list(itertools.product(w1, repeat=T)), axis=1))
    alpha = U @ L.T                                           # (G, T)
    total = 0.0
    for _, sub in df.groupby("g"):
        lrows = np.zeros(len(U))
        for _, row in sub.iterrows():
            terms = []
            for c in itertools.product(range(K), repeat=T):
                lp = 0.0
                for t in range(T):
                    for j in (1, 2):
                        y = row[f"u{j}_{t + 1}"]
                        if not np.isnan(y):
                            a = nat[f"u{j}_1~1[c1={c[t] + 1}]"]  # invariant items
                            lp += np.log(special.expit(a if y == 1 else -a))
                eta = np.zeros((len(U), T))
                eta[:, 0] = nat["c1#1~1"] + alpha[:, 0]
                for t in range(1, T):
                    if order == 2 and t == 2:
                        key = f"c3#1~1[c1={c[0] + 1},c2={c[1] + 1}]"
                    else:
                        key = f"c{t + 1}#1~1[c{t}={c[t - 1] + 1}]"
                    eta[:, t] = nat[key] + nat.get(f"c{t + 1}#1~x", 0.0) * row["x"] \
                        + alpha[:, t]
                sign = np.where(np.array(c) == 0, 1.0, -1.0)     # class 1: logit eta
                terms.append(lp + np.log(special.expit(sign * eta)).sum(axis=1))
            f = row[weights] if weights else 1.0
            lrows += f * special.logsumexp(np.stack(terms), axis=0)
        total += special.logsumexp(lrows + lw)
    return total


@pytest.mark.parametrize("case, order, weights", [("correlated-covariates", 1, "wt"),
                                                   ("order2", 2, None)])
def test_chain_cluster_loglike_equals_brute_force(case, order, weights):
    model = MODELS[case]()
    rng = np.random.default_rng(11)
    nat = {}
    for name in model.param_names:
        nat[name] = rng.normal(scale=0.8)
    cov = np.array([[1.0, 0.4, 0.2], [0.4, 0.8, 0.3], [0.2, 0.3, 1.2]])
    for a, b in itertools.product(range(3), repeat=2):
        if a <= b:
            key = f"Var(c{a + 1}#1|g)" if a == b else f"Cov(c{a + 1}#1|g,c{b + 1}#1|g)"
            nat[key] = cov[a, b]
    params = np.array([nat[n] for n in model.param_names])
    n_points = 7
    chain = ChainClusterEngine(model.layout, model.design, model.table,
                               rule=IntegrationRule("gauss-hermite", n_points, False, 1))
    w = model.table.free_working_from_natural(params)
    ll = chain.loglike(w)
    assert ll == pytest.approx(brute_force_loglike(model, nat, n_points, order, weights),
                               abs=1e-8)
    # the exact gradient against central differences of the log-likelihood
    _, g, _ = chain.loglike_and_score(w)
    h = 1e-6
    fd = np.array([(chain.loglike(w + h * e) - chain.loglike(w - h * e)) / (2 * h)
                   for e in np.eye(len(w))])
    np.testing.assert_allclose(g, fd, rtol=1e-6, atol=1e-6)


# ------------------------------------------------------------------------------------
# the model front end
# ------------------------------------------------------------------------------------
def test_lta_with_clusters_takes_the_chain_path_from_27_joint_patterns():
    """T = 3, K = 3 (27 patterns) on the chain path, with the enumerating engine's default
    rule; T = 3, K = 2 (8 patterns) enumerated (its tabulated sweep is faster there)."""
    df = two_level_frame(4, n_clusters=30, size=3)
    model = quiet(ml.lta, df, items_of(2, 3), k=3, cluster="g")
    assert isinstance(model.engine, ChainClusterEngine)
    assert model.engine.rule == model.engine.enumerating().rule
    assert model.engine.rule.kind == "quasi-monte-carlo"
    assert type(lta_model(4).engine) is Engine


def test_random_effects_on_items_stay_enumerated_and_say_why():
    df = two_level_frame(5, n_clusters=12)
    model = quiet(ml.mixture, "u1_1 + u2_1 ~ c1 + (1 | g)\nu1_2 + u2_2 ~ c2\nc2 ~ c1",
                  df, classes={"c1": 2, "c2": 2}, family="binary", n_points=5)
    reason = chain_reason(model.layout, model.design)
    assert "random effect" in reason and "item" in reason
    assert isinstance(model.engine, Engine)


def test_fit_reaches_the_enumerating_maximum():
    rng = np.random.default_rng(8)
    n_clusters, size = 40, 10
    n = n_clusters * size
    base = pd.DataFrame({c: rng.integers(0, 2, n).astype(float)
                         for wave in items_of(3, 2) for c in wave})
    base["g"] = np.repeat(np.arange(n_clusters), size)
    truth = {**{f"u{j}_1~1[c1={k}]": v for j in (1, 2, 3) for k, v in ((1, 1.8), (2, -1.5))},
             "c1#1~1": -0.2, "c2#1~1[c1=1]": 2.2, "c2#1~1[c1=2]": -1.4,
             "Var(c1#1|g)": 1.5, "Cov(c1#1|g,c2#1|g)": 0.8, "Var(c2#1|g)": 1.0}
    model = quiet(ml.lta, base, items_of(3, 2), k=2, cluster="g")
    df = ml.simulate(model, truth, seed=3)
    model = quiet(ml.lta, df, items_of(3, 2), k=2, cluster="g",
                  integration="gauss-hermite", n_points=7, adaptive=True)
    assert type(model.engine) is Engine  # 4 patterns: enumerated by default
    model_c = quiet(ml.lta, df, items_of(3, 2), k=2, cluster="g")
    model_c.engine = ChainClusterEngine(model_c.layout, model_c.design, model_c.table,
                                        rule=model.engine.rule)
    start = np.array([truth[n] for n in model.param_names])
    res_c = quiet(model_c.fit, start_params=start)
    res_e = quiet(model.fit, start_params=start)
    assert res_c.llf == pytest.approx(res_e.llf, abs=1e-6)
    np.testing.assert_allclose(res_c.params, res_e.params, atol=2e-4)
    np.testing.assert_allclose(res_c.bse, res_e.bse, rtol=1e-3)


# ------------------------------------------------------------------------------------
# recovery in the paper's section 4 setting
# ------------------------------------------------------------------------------------
#: Table 1 of the paper: P(U_p = 2 | C_t = c) of the ten TOCA items, classes 1 and 2
TABLE1 = np.array([[0.92, 0.96, 0.73, 0.59, 0.82, 0.78, 0.73, 0.81, 0.90, 0.78],
                   [0.36, 0.29, 0.03, 0.03, 0.18, 0.07, 0.08, 0.10, 0.24, 0.12]])


def section4_truth(names):
    """The truth of the recovery study, from section 4 of the paper: the item profiles of
    Table 1 (invariant), P(C_1 = 1) = 0.46 (logit -0.16), switching 1 -> 2 7% and 2 -> 1
    18% (eq. 13: logits 2.59 and -1.52), Var(alpha_1) = 2.1 (alpha_1 explains 39% of the
    variance of C_1: V / (V + pi^2 / 3) = 0.39), and eq. 15 with beta = 0.5 and a residual
    variance 0.47 (Var(alpha_2) = 1.0, Cov = 1.05; the text gives no numbers for these)."""
    truth = {f"u{p + 1}_1~1[c1={c + 1}]": float(special.logit(TABLE1[c, p]))
             for p in range(10) for c in range(2)}
    truth.update({"c1#1~1": -0.16, "c2#1~1[c1=1]": 2.59, "c2#1~1[c1=2]": -1.52,
                  "Var(c1#1|g)": 2.1, "Cov(c1#1|g,c2#1|g)": 1.05, "Var(c2#1|g)": 1.0})
    assert set(truth) == set(names)
    return truth


@pytest.mark.slow
def test_section4_two_level_lta_recovers_the_truth():
    """100 classrooms x 20 students, two waves of the ten Table 1 items: every estimate
    within 3 standard errors of the truth (the default rule, quasi-Monte Carlo)."""
    rng = np.random.default_rng(12)
    n_clusters, size = 100, 20
    n = n_clusters * size
    items = items_of(10, 2)
    base = pd.DataFrame({c: rng.integers(0, 2, n).astype(float)
                         for wave in items for c in wave})
    base["g"] = np.repeat(np.arange(n_clusters), size)
    model = quiet(ml.lta, base, items, k=2, cluster="g")
    truth = section4_truth(model.param_names)
    df = ml.simulate(model, truth, seed=21)
    model = quiet(ml.lta, df, items, k=2, cluster="g")
    model.engine = ChainClusterEngine(model.layout, model.design, model.table)  # 4 patterns
    start = np.array([truth[n] for n in model.param_names])
    res = quiet(model.fit, start_params=start)
    z = (res.params - start) / res.bse
    assert np.all(np.abs(z) < 3), dict(zip(model.param_names, np.round(z, 2), strict=True))
    assert res.integration_error is not None


def test_kernel_sums_cell_posteriors_over_rows():
    """reduce='cell-sum' (what row-invariant cell logits need) equals the weighted sum
    over rows of the per-cell posteriors, with one thread or two."""
    from scipy.special import log_softmax

    from mixlevel._kernels import _chain

    rng = np.random.default_rng(0)
    N, R, T, K = 7, 5, 4, 3
    E = rng.normal(size=(N, 1, T, K))
    P0 = log_softmax(rng.normal(size=(1, R, K)), -1)
    P = log_softmax(rng.normal(size=(1, R, T - 1, K, K)), -1)
    P2 = log_softmax(rng.normal(size=(N, R, T - 2, K, K, K)), -1)
    W = rng.uniform(size=(N, R))
    for p2 in (None, P2):
        full = _chain.forward_backward(E, P0, P, p2, reduce="cell")
        for threads in (1, 2):
            out = _chain.forward_backward(E, P0, P, p2, weight=W, reduce="cell-sum",
                                          num_threads=threads)
            for key in full:
                if key != "ll":
                    np.testing.assert_allclose(
                        out[key], np.einsum("nr,nr...->r...", W, full[key]), atol=1e-13)
