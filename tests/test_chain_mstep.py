"""The closed-form EM M-step of latent Markov chains (mixlevel.estimation.chain_mstep).

Its update equals the maximum of the Q-function found numerically from the
chain engine's own Q and exact gradient (L-BFGS, then Newton steps with a
finite-difference Hessian of that gradient) to 1e-7, for homogeneous and
wave-specific transitions, second order, binary, nominal and normal items,
invariant and wave-specific items, frequency weights and missing waves.  EM
with it never lowers the log-likelihood, models it cannot handle get no plan
(the numerical M-step then runs), and the self-rated-health model reaches
LMest's maximum from the default starts.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from scipy import optimize

from mixlevel.estimation.chain_mstep import ChainMStep
from mixlevel.estimation.em_algorithm import em
from tests.test_chain_engine import srhs_model, tiny_lta

CASES = {
    "invariant-binary": dict(),
    "wave-specific-binary": dict(invariant=False),
    "homogeneous": dict(homogeneous=True),
    "order2": dict(order=2, invariant=False, K=2),
    "order2-homogeneous": dict(order=2, K=2, T=5, homogeneous=True),
    "nominal": dict(family="nominal", levels=3, K=2, T=3, homogeneous=True),
    "nominal-wave-specific": dict(family="nominal", levels=4, K=3, T=3, invariant=False),
    "normal": dict(family="normal", levels=0, K=2, T=3),
    "normal-wave-specific": dict(family="normal", levels=0, K=3, T=3, invariant=False),
    "one-item": dict(J=1, T=3, K=2),
}


def numerical_q_maximum(engine, w0, estep):
    """argmax of the engine's Q-function at ``estep`` without the closed form."""
    def f(w):
        q, g = engine.expected(w, estep)
        return -q, -g

    w = optimize.minimize(f, w0, jac=True, method="L-BFGS-B",
                          options={"maxiter": 5000, "gtol": 1e-12, "ftol": 1e-15}).x
    for _ in range(4):  # Newton steps: Hessian by central differences of the exact gradient
        g = f(w)[1]
        h = 1e-5
        H = np.empty((len(w), len(w)))
        for j in range(len(w)):
            e = np.zeros(len(w))
            e[j] = h
            H[:, j] = (f(w + e)[1] - f(w - e)[1]) / (2 * h)
        w = w - np.linalg.solve(0.5 * (H + H.T), g)
    return w


@pytest.mark.parametrize("case", list(CASES))
def test_closed_form_m_step_equals_the_numerical_maximum_of_q(case):
    model = tiny_lta(4, **CASES[case])
    eng = model.engine
    assert eng.has_closed_form_m_step()
    rng = np.random.default_rng(2)
    w = 0.5 * rng.normal(size=len(model.param_names))
    es = eng.estep(w)
    closed = eng.closed_form_m_step(w, es)
    numeric = numerical_q_maximum(eng, w, es)
    np.testing.assert_allclose(closed, numeric, atol=1e-7)
    assert eng.expected(closed, es)[0] >= eng.expected(numeric, es)[0] - 1e-9


def test_invariance_pools_the_waves_and_homogeneity_the_transitions():
    """With tied items the update is the pooled share of successes over the waves and
    classes; with untied ones each wave's own share."""
    tied = tiny_lta(5, J=1, T=3, K=2, homogeneous=True)
    free = tiny_lta(5, J=1, T=3, K=2, invariant=False)
    for model in (tied, free):
        eng = model.engine
        w = np.zeros(len(model.param_names))
        es = eng.estep(w)
        new = dict(zip(model.param_names, eng.closed_form_m_step(w, es), strict=True))
        gamma, wt = es.gamma, eng.weight
        y = model.design.y
        for k in range(2):
            num = den = 0.0
            for t in range(3):
                col = model.spec.outcome_names.index(f"u1_{t + 1}")
                obs = ~np.isnan(y[:, col])
                share = wt * gamma[:, t, k] * obs
                num_t, den_t = share @ np.nan_to_num(y[:, col]), share.sum()
                if model is free:
                    name = f"u1_{t + 1}~1[c{t + 1}={k + 1}]"
                    assert new[name] == pytest.approx(np.log(num_t / (den_t - num_t)), abs=1e-10)
                num, den = num + num_t, den + den_t
            if model is tied:
                name = f"u1_1~1[c1={k + 1}]"
                assert new[name] == pytest.approx(np.log(num / (den - num)), abs=1e-10)


@pytest.mark.parametrize("case", ["homogeneous", "nominal", "normal", "order2"])
def test_em_with_the_closed_form_never_lowers_the_loglikelihood(case):
    model = tiny_lta(6, **CASES[case])
    eng = model.engine
    w0 = 0.5 * np.random.default_rng(1).normal(size=len(model.param_names))
    history = []
    em(eng, w0, maxiter=60, tol=0.0, history=history)
    assert len(history) == 60
    assert np.all(np.diff(history) >= -1e-9 * (1 + abs(history[-1])))
    assert history[-1] > history[0] + 1.0


@pytest.mark.parametrize("kw", [dict(family="ordinal", levels=3, K=2, T=3),
                                dict(covariates_transition="x"),
                                dict(covariates_initial="x")],
                         ids=["ordinal-thresholds", "transition-covariate",
                              "initial-covariate"])
def test_models_without_a_closed_form_use_the_numerical_m_step(kw):
    model = tiny_lta(3, **kw)
    eng = model.engine
    assert ChainMStep.plan(eng) is None
    assert not eng.has_closed_form_m_step()
    w = np.zeros(len(model.param_names))
    assert eng.closed_form_m_step(w, eng.estep(w)) is None


def test_a_fixed_parameter_leaves_the_m_step_to_the_numerical_optimiser():
    model = tiny_lta(3, K=2, T=3, fix={"c1#1~1": 0.5})
    assert not model.engine.has_closed_form_m_step()


@pytest.mark.slow
def test_srhs_three_states_from_the_default_starts_reach_lmest():
    """LMest's maximum (tol 1e-12) from the default starts, every final start replicating it."""
    from tests.results import results_lta_srhs as ref

    model = srhs_model(3)
    assert model.engine.has_closed_form_m_step()
    with warnings.catch_warnings():
        warnings.simplefilter("error", category=UserWarning)
        warnings.filterwarnings("ignore", message=".*information.*")
        res = model.fit(progress=False)
    assert res.llf == pytest.approx(ref.k3["loglike"], abs=1e-4)
    assert res.best_loglike_replicated >= 2


# ------------------------------------------------------------------------------------
# the scaled E-step (engine/chain_scaled.py) against the log-space kernel
# ------------------------------------------------------------------------------------
@pytest.mark.parametrize("homogeneous", [True, False], ids=["homogeneous", "wave-specific"])
def test_scaled_e_step_equals_the_log_kernel(homogeneous):
    """Log-likelihoods, marginal posteriors and summed transition counts of the scaled
    recursions equal the log-space kernel's (weights, missing waves, 25 waves)."""
    from scipy.special import log_softmax

    from mixlevel._kernels import _chain
    from mixlevel.engine.chain_scaled import scaled_forward_backward

    rng = np.random.default_rng(7)
    N, T, K = 40, 25, 3
    E = 3.0 * rng.normal(size=(N, T, K))
    E[rng.uniform(size=(N, T)) < 0.2] = 0.0                     # missing waves
    w = rng.integers(1, 4, N).astype(float)
    logp = [log_softmax(rng.normal(size=(1, K)), axis=-1)]
    trans = log_softmax(2.0 * rng.normal(size=(1, K, K)), axis=-1)
    logp += [trans if homogeneous else log_softmax(2.0 * rng.normal(size=(1, K, K)), axis=-1)
             for _ in range(T - 1)]
    ll, gamma, counts = scaled_forward_backward(E, logp, w)
    P = np.stack([lp[0] for lp in logp[1:]])[None, None]
    ref = _chain.forward_backward(E[:, None], logp[0][:, None], P, reduce="row")
    np.testing.assert_allclose(ll, ref["ll"][:, 0], rtol=1e-12)
    np.testing.assert_allclose(gamma, ref["gamma"], atol=1e-12)
    np.testing.assert_allclose(counts[0][0], w @ ref["gamma"][:, 0], rtol=1e-11)
    for t in range(1, T):
        np.testing.assert_allclose(counts[t], np.einsum("n,nkl->kl", w, ref["xi"][:, t - 1]),
                                   rtol=1e-11, atol=1e-12)


def test_scaled_e_step_leaves_impossible_rows_to_the_log_kernel():
    """A zero transition into the only class the data allow: the scaled recursions give
    up and the engine's E-step (log kernel) keeps the row's finite log-likelihood."""
    from mixlevel.engine.chain_scaled import scaled_forward_backward

    E = np.array([[[0.0, -1e4], [-1e4, 0.0]]])
    logp = [np.log([[0.5, 0.5]]), np.array([[[0.0, -800.0], [0.0, -800.0]]])]
    assert scaled_forward_backward(E, logp, np.ones(1)) is None


def test_chain_e_step_gives_per_row_pairwise_posteriors_on_demand():
    model = tiny_lta(3, homogeneous=True)
    eng = model.engine
    w = 0.5 * np.random.default_rng(3).normal(size=len(model.param_names))
    es = eng.estep(w)
    assert es.totals is not None
    from mixlevel._kernels import _chain

    inputs = eng.inputs(w)
    P0, P, P2 = eng._kernel_arrays(inputs)
    ref = _chain.forward_backward(eng.emissions(inputs)[:, None], P0, P, P2, reduce="row")
    np.testing.assert_allclose(es.xi, ref["xi"], atol=1e-12)
    np.testing.assert_allclose(es.gamma, ref["gamma"], atol=1e-12)
    sums = {t: np.tensordot(eng.weight_u, es.posterior(t, unique=True), axes=(0, 0)).reshape(
        -1, 3) for t in range(4)}
    for t in range(4):
        np.testing.assert_allclose(es.totals[t], sums[t], rtol=1e-11, atol=1e-12)


def test_a_best_loglikelihood_of_one_start_only_is_warned_about():
    """One nominal item per wave, 600 people: a likelihood with several maxima.  Of
    three final starts only one ends at the best; the fit says the best was not
    replicated."""
    import pandas as pd

    import mixlevel as ml
    from mixlevel.errors import EstimationWarning

    rng = np.random.default_rng(2)
    n, T = 600, 3
    state = np.zeros((n, T), int)
    state[:, 0] = rng.uniform(size=n) < 0.4
    trans = np.array([[0.9, 0.1], [0.2, 0.8]])
    for t in range(1, T):
        state[:, t] = rng.uniform(size=n) < trans[state[:, t - 1], 1]
    probs = np.array([[0.5, 0.3, 0.15, 0.05], [0.1, 0.2, 0.3, 0.4]])
    y = np.array([[rng.choice(4, p=probs[s]) + 1 for s in row] for row in state], float)
    long = pd.DataFrame({"id": np.repeat(np.arange(n), T), "t": np.tile(np.arange(T), n),
                         "y": y.ravel()})
    long = long.drop(index=long.index[rng.uniform(size=len(long)) < 0.1])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = ml.lta(long, "y", id="id", time="t", k=2, family="nominal",
                       homogeneous=True)
    with pytest.warns(EstimationWarning, match="reached by only one of 3 final-stage"):
        res = model.fit(starts=(3, 3), initial_iter=30, progress=False)
    final = res.start_table.query("stage == 'final'")["loglike"].to_numpy()
    assert len(np.unique(np.round(final, 4))) >= 2
    assert (np.round(final, 4) == np.round(final.max(), 4)).sum() == 1
    assert res.best_loglike_replicated == 1
