"""The closed-form EM M-step of latent class models maximises the Q-function."""

import numpy as np
import pandas as pd
import pytest

from mixlevel.estimation.closed_form import ClosedFormMStep
from mixlevel.estimation.starts import base_start
from mixlevel.families import Binary
from mixlevel.model import MixtureModel
from mixlevel.spec import ModelSpec
from tests.peer_models import DATA


def datatoy_spec(items, probit=False):
    spec = ModelSpec()
    spec.add_class("c", 3)
    spec.add_class("d", 2, level="between")
    for k, it in enumerate(items):
        spec.add_outcome(it, Binary("probit" if probit and k % 2 else "logit"))
        spec.add_term(it, by=["c"])
    spec.add_term("c", by=["d"])
    spec.add_term("d")
    return spec


@pytest.mark.parametrize("probit", [False, True])
def test_closed_form_update_is_the_maximiser_of_q(probit):
    df = pd.read_csv(DATA / "datatoy.csv")
    items = [f"Y_{k}" for k in range(1, 11)]
    model = MixtureModel(datatoy_spec(items, probit), df, cluster="id_high")
    eng = model.engine
    assert isinstance(ClosedFormMStep.plan(eng), ClosedFormMStep)
    rng = np.random.default_rng(4)
    w0 = base_start(model.engine) + rng.normal(scale=0.5, size=model.table.n_free)
    es = eng.estep(w0)
    w1 = eng.closed_form_m_step(w0, es)
    q1, g1 = eng.expected(w1, es)
    # the exact maximiser: zero gradient of Q (parameters scaled per cluster)
    assert np.abs(g1).max() < 1e-6 * eng.design.n_rows
    # and no perturbation raises Q
    q0, _ = eng.expected(w0, es)
    assert q1 > q0
    for _ in range(5):
        q, _ = eng.expected(w1 + rng.normal(scale=1e-3, size=len(w1)), es)
        assert q <= q1 + 1e-9 * abs(q1)


def test_no_closed_form_with_a_covariate():
    df = pd.read_csv(DATA / "datatoy.csv")
    df["x"] = np.random.default_rng(0).normal(size=len(df))
    spec = datatoy_spec([f"Y_{k}" for k in range(1, 4)])
    spec.add_term("Y_1", "x")
    model = MixtureModel(spec, df, cluster="id_high")
    assert ClosedFormMStep.plan(model.engine) is None
    assert not model.engine.has_closed_form_m_step()


def test_one_class_model_is_the_independence_model():
    """classes={"c": 1} fits (the baseline of a class-enumeration table): its
    log-likelihood is the sum of the items' binomial log-likelihoods."""
    import mixlevel as ml

    df = pd.read_csv(DATA / "carcinoma.csv") - 1
    items = list("ABCDEFG")
    res = ml.mixture(" + ".join(items) + " ~ c", data=df, classes={"c": 1},
                     family="binary").fit()
    p = df[items].mean()
    n1 = df[items].sum()
    want = float((n1 * np.log(p) + (len(df) - n1) * np.log(1 - p)).sum())
    assert abs(res.llf - want) < 1e-8
    assert res.k_params == len(items)
    # it is the independence model: llnull is its log-likelihood, df_model counts nothing
    assert res.llnull == pytest.approx(want, abs=1e-8)
    assert res.df_model == 0
