"""The compiled EM of latent class models (estimation/fused_em.py, _kernels/_lca_em.pyx).

Its iterates must be the numpy closed-form EM's (ClosedFormMStep.update with the
generic E-step, ``em(..., fused=False)``), whatever the weights and the start,
and models outside its plan must take the generic loop.
"""

import warnings

import numpy as np
import pandas as pd
import pytest

import mixlevel as ml
from mixlevel.estimation.em_algorithm import em
from mixlevel.estimation.fused_em import FusedEM
from mixlevel.estimation.starts import random_posterior_start
from mixlevel.model import MixtureModel
from mixlevel.spec import ModelSpec
from tests.peer_models import DATA

from .results import results_lca_carcinoma

ITEMS = list("ABCDEFG")


def lca_spec(items, k, covariate=None):
    spec = ModelSpec()
    spec.add_class("c", k)
    for it in items:
        spec.add_outcome(it, "binary")
        spec.add_term(it, by=["c"])
    spec.add_term("c")
    if covariate is not None:
        spec.add_term("c", covariate)
    return spec


@pytest.fixture(scope="module")
def carcinoma():
    return pd.read_csv(DATA / "carcinoma.csv")[ITEMS] - 1


def _start(model, seed):
    return random_posterior_start(model.engine, model._start_work(),
                                  np.random.default_rng(seed))


def _same_iterates(model, w0, n):
    eng = model.engine
    fused = em(eng, w0, maxiter=n, tol=0.0)
    numpy = em(eng, w0, maxiter=n, tol=0.0, fused=False)
    assert fused[2] == numpy[2] == n
    np.testing.assert_allclose(fused[0], numpy[0], rtol=0, atol=1e-10)
    assert fused[1] == pytest.approx(numpy[1], rel=1e-12, abs=0)
    # the returned log-likelihood is that of the returned parameters
    assert fused[1] == pytest.approx(eng.loglike(fused[0]), rel=1e-12, abs=0)
    return fused


@pytest.mark.parametrize("k", [2, 3])
@pytest.mark.parametrize("n", [1, 7, 60])
def test_fused_iterates_equal_the_numpy_closed_form_em(carcinoma, k, n):
    model = MixtureModel(lca_spec(ITEMS, k), carcinoma)
    runner = FusedEM.of(model.engine)
    assert runner is not None
    runs = runner.runs
    _same_iterates(model, _start(model, k + n), n)
    assert runner.runs == runs + 1  # the compiled loop ran (once: the numpy one did not)


def test_fused_em_with_frequency_weights_and_clusters():
    """datatoy, 10 items and 3 classes: rows with weights 1-3, in clusters (no between
    classes: rows are independent given their class), on the distinct patterns."""
    df = pd.read_csv(DATA / "datatoy.csv")
    df["w"] = np.random.default_rng(1).integers(1, 4, len(df)).astype(float)
    items = [f"Y_{k}" for k in range(1, 11)]
    for kw in ({"weights": "w"}, {"weights": "w", "cluster": "id_high"}):
        model = MixtureModel(lca_spec(items, 3), df, **kw)
        assert FusedEM.of(model.engine) is not None
        _same_iterates(model, _start(model, 5), 25)


def test_weights_equal_repeated_rows(carcinoma):
    """The carcinoma data as its 20 response patterns with counts: the same fit."""
    patterns = carcinoma.groupby(ITEMS).size().rename("n").reset_index()
    patterns["n"] = patterns["n"].astype(float)
    w0 = None
    out = []
    for data, kw in ((carcinoma, {}), (patterns, {"weights": "n"})):
        model = MixtureModel(lca_spec(ITEMS, 2), data, **kw)
        w0 = _start(model, 11) if w0 is None else w0
        out.append(em(model.engine, w0, maxiter=40, tol=0.0))
    np.testing.assert_allclose(out[0][0], out[1][0], rtol=0, atol=1e-10)
    assert out[0][1] == pytest.approx(out[1][1], rel=1e-12)


def test_start_on_the_boundary(carcinoma):
    """Item probabilities of 0 and 1 (logits +-40) and a class share near 0 at the start:
    the share floors of the M-step are the numpy update's."""
    model = MixtureModel(lca_spec(ITEMS, 3), carcinoma)
    w0 = _start(model, 2)
    names = model.param_names
    w0[[names.index("A~1[c=1]"), names.index("C~1[c=2]")]] = [40.0, -40.0]
    w0[names.index("c#1~1")] = -30.0
    for n in (1, 3, 30):
        _same_iterates(model, w0, n)


def test_model_outside_the_plan_takes_the_generic_loop(carcinoma, monkeypatch):
    """A covariate of the class logits has no closed form: em() must not call the
    compiled loop, and must still run."""
    calls = []
    original = FusedEM.run
    monkeypatch.setattr(FusedEM, "run", lambda self, *a, **k: calls.append(1)
                        or original(self, *a, **k))
    df = carcinoma.assign(x=np.random.default_rng(0).normal(size=len(carcinoma)))
    model = MixtureModel(lca_spec(ITEMS, 2, covariate="x"), df)
    assert FusedEM.of(model.engine) is None
    w0 = model._start_work()
    w, ll, it, _ = em(model.engine, w0, maxiter=5)
    assert not calls and it >= 1 and ll > model.engine.loglike(w0)
    # between classes (two-level LCA) are outside it too
    df2 = pd.read_csv(DATA / "datatoy.csv")
    spec = ModelSpec()
    spec.add_class("d", 2, level="between")
    spec.add_class("c", 2)
    for it in ("Y_1", "Y_2", "Y_3"):
        spec.add_outcome(it, "binary")
        spec.add_term(it, by=["c"])
    spec.add_term("c", by=["d"])
    spec.add_term("d")
    two_level = MixtureModel(spec, df2, cluster="id_high")
    assert two_level.engine.has_closed_form_m_step() and FusedEM.of(two_level.engine) is None
    em(two_level.engine, two_level._start_work(), maxiter=3)
    assert not calls
    # and a plan model does call it
    plain = MixtureModel(lca_spec(ITEMS, 2), carcinoma)
    em(plain.engine, plain._start_work(), maxiter=3)
    assert calls


def test_fit_reaches_the_exact_maximum_and_polca(carcinoma):
    """A default fit (random starts, compiled EM, BFGS check): poLCA's log-likelihood,
    a converged gradient, and the estimates of the numpy EM run to its fixed point."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = ml.mixture(" + ".join(ITEMS) + " ~ c", carcinoma, classes={"c": 2},
                         family="binary").fit(starts=(10, 3))
    assert res.converged
    assert res.llf == pytest.approx(results_lca_carcinoma.lca2_polca["loglike"], abs=1e-8)
    model = res.model
    w = model.table.free_working_from_natural(np.asarray(res.params, float))
    exact, _, _, _ = em(model.engine, w, maxiter=3000, tol=0.0, fused=False)
    nat = model.table.free_natural_from_working(exact)
    interior = np.abs(nat) < 20  # logits at the boundary are not identified
    assert interior.sum() == 10
    np.testing.assert_allclose(np.asarray(res.params)[interior], nat[interior], rtol=0,
                               atol=1e-8)
    # BFGS only confirmed the EM's maximum
    assert res.iterations - res.em_iterations <= 2


def test_random_start_without_an_e_step_is_the_generic_one(monkeypatch):
    """The random soft-assignment start of a fused model (no E-step) equals the
    generic one (E-step, posteriors replaced, numpy M-step) from the same seed."""
    df = pd.read_csv(DATA / "datatoy.csv")
    df["w"] = np.random.default_rng(1).integers(1, 4, len(df)).astype(float)
    items = [f"Y_{k}" for k in range(1, 11)]
    model = MixtureModel(lca_spec(items, 3), df, weights="w", cluster="id_high")
    base = model._start_work()
    fused = random_posterior_start(model.engine, base, np.random.default_rng(7))
    monkeypatch.setattr(FusedEM, "of", classmethod(lambda cls, eng: None))
    generic = random_posterior_start(model.engine, base, np.random.default_rng(7))
    np.testing.assert_allclose(fused, generic, rtol=0, atol=1e-12)


# -- polytomous (nominal) items: gss82, 4 items with 3, 2, 2 and 3 categories ---------------
def gss82_spec(k, binary=()):
    spec = ModelSpec()
    spec.add_class("c", k)
    for it in ("PURPOSE", "ACCURACY", "UNDERSTA", "COOPERAT"):
        spec.add_outcome(it, "binary" if it in binary else "nominal")
        spec.add_term(it, by=["c"])
    spec.add_term("c")
    return spec


@pytest.fixture(scope="module")
def gss82():
    return pd.read_csv(DATA / "gss82.csv")


def test_nominal_closed_form_update_is_the_maximiser_of_q(gss82):
    """The numpy oracle itself: at the nominal items' update (log of the category
    shares of pooled expected counts) the Q-function's gradient is zero."""
    model = MixtureModel(gss82_spec(3), gss82)
    eng = model.engine
    assert eng.has_closed_form_m_step()
    w0 = _start(model, 3)
    es = eng.estep(w0)
    w1 = eng.closed_form_m_step(w0, es)
    q1, g1 = eng.expected(w1, es)
    assert np.abs(g1).max() < 1e-9 * eng.design.n_rows
    assert q1 > eng.expected(w0, es)[0]


@pytest.mark.parametrize("binary", [(), ("ACCURACY",)])
def test_fused_iterates_with_polytomous_items(gss82, binary):
    """Nominal items alone, and beside a binary one (its own share rule)."""
    df = gss82.assign(ACCURACY=gss82["ACCURACY"] - 1) if binary else gss82
    model = MixtureModel(gss82_spec(3, binary), df)
    assert FusedEM.of(model.engine) is not None
    w0 = _start(model, 8)
    for n in (1, 6, 50):
        _same_iterates(model, w0, n)


@pytest.mark.parametrize("k", [2, 3])
def test_polytomous_fit_reaches_polca(gss82, k):
    from .results import results_lca_gss82

    ref = getattr(results_lca_gss82, f"lca{k}_polca")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = ml.mixture("PURPOSE + ACCURACY + UNDERSTA + COOPERAT ~ c", gss82,
                         classes={"c": k}, family="nominal").fit()
    assert res.converged
    assert res.llf == pytest.approx(ref["loglike"], abs=1e-6)


def test_bootstrap_draws_use_the_compiled_em(carcinoma, monkeypatch):
    """The BLRT's per-draw fits (rebuilt models on drawn data) take the compiled loop."""
    calls = []
    original = FusedEM.run
    monkeypatch.setattr(FusedEM, "run", lambda self, *a, **k: calls.append(1)
                        or original(self, *a, **k))
    formula = " + ".join(ITEMS) + " ~ c"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fits = [ml.mixture(formula, carcinoma, classes={"c": k}, family="binary")
                .fit(starts=(4, 2), progress=False) for k in (1, 2)]
        before = len(calls)
        boot = ml.bootstrap_lrt(fits[0], fits[1], max_draws=2, sequential=False,
                                starts=(4, 2), n_jobs=1, seed=3, progress=False)
    assert boot.n_failed == 0 and boot.n_draws == 2
    # per draw: the 1-class fit, the 2-class fit from the estimates, 4 + 2 starts
    assert len(calls) - before >= 2 * 8
    assert (boot.draws["cpu_seconds"] > 0).all()


def test_fixed_item_parameters_keep_their_tables(carcinoma, gss82):
    """A fixed class-specific probability (fix=) stays in the compiled loop's tables and
    the iterates are the numpy EM's (a fixed parameter was once pooled and re-estimated
    inside the loop); a nominal item with only some of a class's category logits fixed,
    or a fixed class logit, has no closed form and takes the generic loop."""
    model = MixtureModel(lca_spec(ITEMS, 3), carcinoma, fix={"A~1[c=1]": 2.0,
                                                            "G~1[c=3]": -1.0})
    assert FusedEM.of(model.engine) is not None
    w0 = _start(model, 4)
    w, _, _, _ = _same_iterates(model, w0, 30)
    nat = model.table.expand_natural(model.table.free_natural_from_working(w))
    names = list(model.table.names)
    assert nat[names.index("A~1[c=1]")] == 2.0 and nat[names.index("G~1[c=3]")] == -1.0
    partial = MixtureModel(gss82_spec(2), gss82, fix={"PURPOSE#1~1[c=1]": 0.5})
    assert FusedEM.of(partial.engine) is None
    # a fixed class logit: the class shares of the counts are not the constrained
    # optimum, so no closed form (the generic M-step maximises Q)
    shares = MixtureModel(lca_spec(ITEMS, 3), carcinoma, fix={"c#1~1": 0.0})
    assert not shares.engine.has_closed_form_m_step()
