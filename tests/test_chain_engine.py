"""The latent Markov chain engine against full enumeration of the joint class patterns.

:class:`~mixlevel.engine.chain.ChainEngine` (forward-backward over compact
per-wave arrays) is compared with the enumerating
:class:`~mixlevel.engine.Engine` (K^T joint patterns) on tiny data: the
log-likelihood, its gradient, the per-row scores and the EM Q-function at other
parameters agree to 1e-10, with weights, missing waves, covariates on the
initial and transition logits, heterogeneous and homogeneous transitions and
second order.  EM with the chain engine never lowers the log-likelihood.  The
detection of chains is data-free (spec layer) and a model that is not a chain
and cannot be enumerated in memory is refused before any allocation.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

import mixlevel as ml
from mixlevel.engine.chain import ChainEngine, chain_reason
from mixlevel.errors import SpecificationError
from mixlevel.estimation.em_algorithm import em


def items_of(J, T, stem="u"):
    return [[f"{stem}{j}_{t}" for j in range(1, J + 1)] for t in range(1, T + 1)]


def tiny_lta(seed, J=2, T=4, K=3, n=60, levels=2, **kw):
    """Random items (``levels`` categories, or normal when 0) with whole waves missing,
    frequency weights and a covariate."""
    rng = np.random.default_rng(seed)
    df = pd.DataFrame({c: rng.integers(0, levels, n).astype(float) if levels
                       else rng.normal(size=n) for wave in items_of(J, T) for c in wave})
    df["x"] = rng.normal(size=n)
    for wave in items_of(J, T)[1:]:
        df.loc[rng.uniform(size=n) < 0.2, wave] = np.nan
    df["wt"] = rng.integers(1, 4, n).astype(float)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return ml.lta(df, items_of(J, T), k=K, weights="wt", **kw)


CASES = {
    "invariant": dict(),
    "free": dict(invariant=False),
    "homogeneous": dict(homogeneous=True),
    "order2": dict(order=2, invariant=False, K=2),
    "covariates": dict(covariates_initial="x", covariates_transition="x"),
    "order2-covariates": dict(order=2, K=2, T=5, covariates_transition="x"),
    "ordinal": dict(family="ordinal", levels=3, K=2, T=3),
    "normal": dict(family="normal", levels=0, K=2, T=3),
    "repeated-rows": dict(J=1, T=3, K=2),
}


@pytest.mark.parametrize("case", list(CASES))
def test_chain_engine_equals_enumeration(case):
    model = tiny_lta(3, **CASES[case])
    assert chain_reason(model.layout, model.design) == ""
    chain = ChainEngine(model.layout, model.design, model.table)
    full = model.engine.enumerating()
    # rows with equal responses share one forward-backward (no covariates on the logits)
    assert (chain.rows is not None) == (case == "repeated-rows")
    rng = np.random.default_rng(5)
    for _ in range(2):
        w = rng.normal(size=len(model.param_names))
        ll_f, g_f, es_f = full.loglike_and_score(w)
        ll_c, g_c, es_c = chain.loglike_and_score(w)
        assert ll_c == pytest.approx(ll_f, rel=1e-12, abs=1e-10)
        np.testing.assert_allclose(g_c, g_f, rtol=1e-10, atol=1e-10)
        np.testing.assert_allclose(chain.score_obs(w), full.score_obs(w), atol=1e-10)
        # Q at other parameters with the posteriors fixed (the EM M-step's objective)
        w2 = w + 0.3 * rng.normal(size=len(w))
        q_f, gq_f = full.expected(w2, es_f)
        q_c, gq_c = chain.expected(w2, es_c)
        assert q_c == pytest.approx(q_f, rel=1e-12, abs=1e-10)
        np.testing.assert_allclose(gq_c, gq_f, rtol=1e-10, atol=1e-10)


def test_chain_gradient_equals_finite_differences():
    model = tiny_lta(4, **CASES["order2-covariates"])
    chain = ChainEngine(model.layout, model.design, model.table)
    w = np.random.default_rng(1).normal(size=len(model.param_names))
    _, g, _ = chain.loglike_and_score(w)
    h = 1e-6
    fd = np.array([(chain.loglike(w + h * e) - chain.loglike(w - h * e)) / (2 * h)
                   for e in np.eye(len(w))])
    np.testing.assert_allclose(g, fd, rtol=1e-6, atol=1e-5)


def test_em_with_the_chain_engine_never_lowers_the_loglikelihood():
    model = tiny_lta(6, **CASES["covariates"])
    chain = ChainEngine(model.layout, model.design, model.table)
    w0 = np.random.default_rng(2).normal(scale=0.5, size=len(model.param_names))
    history = [chain.loglike(w0)]
    em(chain, w0, maxiter=25, tol=0.0, history=history)
    assert len(history) == 26
    assert np.all(np.diff(history) >= -1e-9 * abs(history[0]))
    assert history[-1] > history[0] + 1.0


# ------------------------------------------------------------------------------------
# detection (data-free) and the refusal of enumerations that cannot fit
# ------------------------------------------------------------------------------------
def test_chain_structure_is_found_from_the_specification():
    model = tiny_lta(1, **CASES["order2-covariates"])
    ch = model.layout.chain
    assert ch.classes == ("c1", "c2", "c3", "c4", "c5")
    assert (ch.k, ch.order) == (2, 2)
    assert ch.wave_of == {c: t for t, wave in enumerate(items_of(2, 5)) for c in wave}
    assert ch.parents(0) == () and ch.parents(1) == ("c1",) and ch.parents(3) == ("c2", "c3")


def _mixture(text, classes, n=40, seed=0):
    rng = np.random.default_rng(seed)
    cols = {c for c in text.replace("~", " ").replace("+", " ").replace("*", " ").split()
            if c.startswith("y")}
    df = pd.DataFrame({c: rng.integers(0, 2, n).astype(float) for c in sorted(cols)})
    return ml.mixture(text, data=df, classes=classes, family="binary")


@pytest.mark.parametrize("text, classes, reason", [
    ("y1 ~ c1 + c2\ny2 ~ c2\nc2 ~ c1", {"c1": 2, "c2": 2}, "several within class"),
    ("y1 ~ c1\ny2 ~ c2\ny3 ~ c3\nc2 ~ c1\nc3 ~ c1", {"c1": 2, "c2": 2, "c3": 2}, None),
    ("y1 ~ c1\ny2 ~ c2\ny3 ~ c3\ny4 ~ c4\nc4 ~ c1", {"c1": 2, "c2": 2, "c3": 2, "c4": 2},
     "not only on the one or two"),
    ("y1 ~ c1\ny2 ~ c2\nc2 ~ c1", {"c1": 2, "c2": 3}, "different numbers of classes"),
    ("y1 ~ c1", {"c1": 3}, "fewer than two"),
])
def test_structures_that_are_not_chains_say_why(text, classes, reason):
    model = _mixture(text, classes)
    if reason is None:  # c3 on c1: a lag of two is an (incomplete) second-order chain
        assert model.layout.chain is not None and model.layout.chain.order == 2
    else:
        assert model.layout.chain is None
        assert reason in model.layout.chain_reason


def test_enumeration_that_cannot_fit_is_refused_before_allocation():
    """Twelve 3-class variables all on one outcome: 531,441 joint patterns."""
    names = [f"c{v}" for v in range(1, 13)]
    text = "y1 ~ " + " + ".join(names) + "\n" + "\n".join(
        f"y{v + 1} ~ {n}" for v, n in enumerate(names, start=1))
    with pytest.raises(SpecificationError) as err:
        _mixture(text, {n: 3 for n in names}, n=2000)
    msg = str(err.value)
    assert "531,441 joint class patterns" in msg and "c1, c2" in msg and "GB" in msg
    assert "several within class variables" in msg


# ------------------------------------------------------------------------------------
# established software: LMest on the self-rated-health data (tests/results/results_lta_srhs.py)
# ------------------------------------------------------------------------------------
def srhs_model(K):
    from pathlib import Path

    df = pd.read_csv(Path(__file__).parent / "data" / "srhs_wide.csv")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return ml.lta(df, [[f"srhs{t}"] for t in range(1, 9)], k=K, family="nominal",
                      homogeneous=True)


def lmest_start(model, ref, K):
    """LMest's estimates as our free parameters (category and class logits vs the last)."""
    p = ref["params"]
    v = {}
    for a in range(1, K + 1):
        for j in range(1, 5):
            v[f"srhs1#{j}~1[c1={a}]"] = np.log(p[f"p_s{a}_cat{j}"] / p[f"p_s{a}_cat5"])
        for b in range(1, K):
            v[f"c2#{b}~1[c1={a}]"] = np.log(p[f"trans_s{a}_s{b}"] / p[f"trans_s{a}_s{K}"])
    for k in range(1, K):
        v[f"c1#{k}~1"] = np.log(p[f"init_s{k}"] / p[f"init_s{K}"])
    return pd.Series(v)[model.param_names]


@pytest.mark.parametrize("K", [2, 3])
def test_srhs_latent_markov_model_equals_lmest(K):
    """LMest (tol 1e-12): the log-likelihood at its estimates, and its maximum."""
    from tests.results import results_lta_srhs as ref

    r = getattr(ref, f"k{K}")
    model = srhs_model(K)
    assert isinstance(model.engine, ChainEngine)
    start = lmest_start(model, r, K)
    assert model.loglike(start.to_numpy()) == pytest.approx(r["loglike"], abs=1e-6)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = model.fit(start_params=start)
    assert res.llf == pytest.approx(r["loglike"], abs=1e-6)
    trans = res.lta.transition_matrix(wave=2).to_numpy()
    np.testing.assert_allclose(trans, np.array(r["transition"]), atol=1e-4)
    sizes = res.lta.initial()["estimate"].to_numpy()
    np.testing.assert_allclose(sizes, r["initial"], atol=1e-4)


@pytest.mark.parametrize("invariant", [True, False], ids=["invariant", "noninvariant"])
def test_addhealth_lta_equals_slca(invariant):
    """slca's two-wave, five-status LTA: the log-likelihood at its estimates and its maximum."""
    from pathlib import Path

    from scipy.special import logit

    from tests.results import results_lta_addhealth as ref

    r = ref.invariant if invariant else ref.noninvariant
    p = r["params"]
    items = ["S1", "S2", "S3", "S4", "D1", "D2", "F1", "F2"]
    K = 5
    df = pd.read_csv(Path(__file__).parent / "data" / "addhealth.csv")
    waves = [[f"{i}w{t}" for i in items] for t in (1, 2)]
    for col in waves[0] + waves[1]:
        df[col] = 2 - df[col]                            # 1 = yes, 0 = no
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = ml.lta(df, waves, k=K, invariant=invariant)
    assert isinstance(model.engine, ChainEngine)
    v = {}
    for a in range(1, K + 1):
        for t, wave in enumerate(waves, start=1):
            for i, col in zip(items, wave, strict=True):
                key = f"{i}_s{a}" if invariant else f"{i}_w{t}_s{a}"
                v[f"{col}~1[c{t}={a}]"] = logit(p[key])
        for b in range(1, K):
            v[f"c2#{b}~1[c1={a}]"] = np.log(p[f"trans_s{a}_s{b}"] / p[f"trans_s{a}_s{K}"])
    for k in range(1, K):
        v[f"c1#{k}~1"] = np.log(p[f"prev_w1_s{k}"] / p[f"prev_w1_s{K}"])
    start = pd.Series(v)[model.param_names]
    assert model.loglike(start.to_numpy()) == pytest.approx(r["loglike"], abs=1e-5)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = model.fit(start_params=start)
    assert res.llf == pytest.approx(r["loglike"], abs=1e-4)
    sizes = res.lta.initial()["estimate"].to_numpy()
    np.testing.assert_allclose(sizes, [p[f"prev_w1_s{k}"] for k in range(1, K + 1)], atol=2e-3)


# ------------------------------------------------------------------------------------
# results without joint patterns = results from the joint patterns
# ------------------------------------------------------------------------------------
def test_chain_results_equal_the_enumerated_results():
    """Per-wave posteriors, proportions (with SEs), transitions and profiles of the chain
    results equal the generic results computed over the K^T joint patterns."""
    from mixlevel.results.chain import ChainMixtureResults

    model = tiny_lta(8, T=3, K=2, n=150, covariates_transition="x")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = model.fit(starts=(2, 1), progress=False)
        assert isinstance(res._results, ChainMixtureResults)
        other = tiny_lta(8, T=3, K=2, n=150, covariates_transition="x")
        other.engine = other.engine.enumerating()
        full = other.fit(start_params=res.params, maxiter=0)
    assert not isinstance(full._results, ChainMixtureResults)
    assert full.llf == pytest.approx(res.llf, abs=1e-9)
    for c in ("c1", "c2", "c3"):
        np.testing.assert_allclose(res.posterior(variable=c), full.posterior(variable=c),
                                   atol=1e-10)
    cols = ["model", "se", "posterior", "modal", "n_posterior", "n_modal"]
    np.testing.assert_allclose(res.class_proportions_table()[cols],
                               full.class_proportions_table()[cols], rtol=1e-6, atol=1e-8)
    for kind in ("model", "posterior"):
        np.testing.assert_allclose(res.transition_table("c1", "c2", kind=kind),
                                   full.transition_table("c1", "c2", kind=kind), atol=1e-10)
    np.testing.assert_allclose(res.transition_table("c2", "c3", se=True)[["estimate", "se"]],
                               full.transition_table("c2", "c3", se=True)[["estimate", "se"]],
                               rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(res.profiles[["estimate", "se"]],
                               full.profiles[["estimate", "se"]], rtol=1e-6, atol=1e-8)
    with pytest.raises(ValueError, match="joint class patterns"):
        res.posterior(joint=True)


@pytest.mark.slow
def test_srhs_three_state_model_from_default_starts_reaches_the_lmest_maximum():
    """3^8 = 6,561 joint patterns (out of reach of the enumerating engine): the default
    fit (per-wave start, 20 initial and 4 final starts) reaches LMest's maximum."""
    from tests.results import results_lta_srhs as ref

    model = srhs_model(3)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = model.fit(progress=False)
    assert res.llf == pytest.approx(ref.k3["loglike"], abs=1e-5)


def test_random_starts_in_parallel_give_the_same_fit():
    model = tiny_lta(2, K=2, T=3, n=80)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        one = model.fit(starts=(4, 2), progress=False)
        two = model.fit(starts=(4, 2), n_jobs=2, progress=False)
    assert isinstance(model.engine, ChainEngine)
    assert two.llf == pytest.approx(one.llf, abs=1e-9)
    np.testing.assert_allclose(two.params, one.params, atol=1e-6)
