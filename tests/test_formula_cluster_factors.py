"""Cluster-level factors in the formula language: ``f =~ (c + u | person)``.

A factor with one value per cluster is spelled like an lme4 random term on
the right of ``=~``: its indicators, a bar and the grouping column.  Class
variables among the indicators load with one loading per logit (the
restricted GoM, eq. 35); outcomes with one loading each, or per item when
their equation multiplies the factor by item dummies (the FMA-GoM, eq.
38-41).  The formulas must compile to the models written by hand with
:class:`~mixlevel.spec.ModelSpec` (equal likelihoods at the same values).
"""

import numpy as np
import pandas as pd
import pytest

import mixlevel as ml
from mixlevel.formula.parse import FormulaError, parse_formula
from mixlevel.model import MixtureModel
from mixlevel.spec import ModelSpec

RESTRICTED = "y ~ 0 + C(item):c; eta =~ (c | person)"
FMA_GOM = "y ~ 0 + C(item):c + C(item):eta; c ~ 1 + (1 | person); eta =~ (y | person)"


def _long(n_persons=8, n_items=4, seed=3):
    rng = np.random.default_rng(seed)
    y = (rng.random((n_persons, n_items)) < 0.5).astype(float)
    wide = pd.DataFrame(y, columns=[f"u{i + 1}" for i in range(n_items)])
    wide["person"] = np.arange(n_persons)
    return wide.melt(id_vars="person", var_name="item", value_name="y")


@pytest.mark.parametrize("text", [RESTRICTED, FMA_GOM,
                                  "y ~ 0 + C(item):c; f =~ (c + y | person)"])
def test_cluster_factor_round_trips(text):
    parsed = parse_formula(text, ["c"])
    again = parse_formula(parsed.to_text(), ["c"])
    assert again == parsed
    (m,) = parsed.measurements()
    assert m.group == "person" and parsed.cluster_factors() == [m]


def test_row_and_cluster_factors_differ():
    row = parse_formula("u1 + u2 ~ c; f =~ u1 + u2", ["c"]).measurements()[0]
    clu = parse_formula("u1 + u2 ~ c; f =~ (u1 + u2 | g)", ["c"]).measurements()[0]
    assert row.group is None and clu.group == "g" and row != clu


@pytest.mark.parametrize("text, match", [
    ("y ~ c; eta =~ c", r"'c' cannot be an indicator of a row-level factor.*"
                        r"f =~ \(c \| person\)"),
    ("y ~ c; eta =~ (c || person)", r"'\|\|' in \(c \|\| person\).*\(indicators \| group\)"),
    ("y ~ c; eta =~ (c | person) + y", "measured by one group"),
    ("y ~ c; eta =~ (c | c)", "the grouping 'c' of .* is a latent variable"),
    ("y ~ c; eta =~ (c + c | g)", "listed twice"),
    ("y ~ c; eta =~ (c | g); f =~ (eta | g)", "'eta' cannot be an indicator"),
])
def test_cluster_factor_parse_errors_name_the_term(text, match):
    with pytest.raises(FormulaError, match=match):
        parse_formula(text, ["c"])


def test_random_intercepts_and_a_factor_on_one_logit_are_refused():
    with pytest.raises(FormulaError, match=r"random intercepts \(1 \| person\) and load on "
                       r"the cluster-level factor 'eta'.*keep one"):
        ml.mixture("y ~ 0 + C(item):c; c ~ 1 + (1 | person); eta =~ (c | person)",
                   _long(), classes={"c": 3}, family="binary")


def test_cluster_factor_and_random_terms_need_one_grouping():
    df = _long().assign(school=lambda d: d["person"] // 2)
    with pytest.raises(FormulaError, match="group by 'person' and by 'school'"):
        ml.mixture("y ~ 0 + C(item):c; c ~ 1 + (1 | person); eta =~ (y | school)", df,
                   classes={"c": 2}, family="binary")
    with pytest.raises(FormulaError, match="'pupil' of the random term of the factor 'eta'"):
        ml.mixture(RESTRICTED.replace("person", "pupil"), df, classes={"c": 2},
                   family="binary")


def _hand(long, K, fma):
    spec = ModelSpec()
    spec.add_class("c", K)
    spec.add_outcome("y", "binary")
    cols = {}
    items = sorted(long["item"].unique())
    for it in items:
        cols[it] = (long["item"] == it).to_numpy(float)
        spec.add_term("y", it, by=["c"], name=f"y~C(item)[{it}]")
    if fma:
        spec.add_block("eta", ["eta"], level="cluster", covariance="identity")
        for it in items:
            spec.add_term("y", it, latent="eta", name=f"y~C(item)[{it}]:eta")
    spec.add_term("c")
    if fma:
        spec.add_block("a", ["c#1|person"])
        spec.add_term("c", latent="c#1|person")
    else:
        spec.add_block("eta", ["eta"], level="cluster", covariance="identity")
        for k in range(K - 1):
            spec.add_term("c", latent="eta", category=k, name=f"eta=~c#{k + 1}")
    return MixtureModel(spec, long, cluster="person", columns=cols,
                        integration="gauss-hermite", n_points=12)


@pytest.mark.parametrize("K, text", [(3, RESTRICTED), (2, FMA_GOM)])
def test_cluster_factor_formulas_are_the_hand_built_models(K, text):
    long = _long()
    model = ml.mixture(text, long, classes={"c": K}, family="binary",
                       integration="gauss-hermite", n_points=12)
    hand = _hand(long, K, fma=text == FMA_GOM)
    assert model.param_names == hand.param_names
    p = np.random.default_rng(1).normal(scale=0.8, size=len(model.param_names))
    var = [i for i, n in enumerate(model.param_names) if n.startswith("Var(")]
    p[var] = 1.5
    assert model.loglike(p) == pytest.approx(hand.loglike(p), abs=1e-10)


def test_restricted_names_one_loading_per_logit():
    model = ml.mixture(RESTRICTED, _long(), classes={"c": 4}, family="binary")
    assert [n for n in model.param_names if "eta" in n] == ["eta=~c#1", "eta=~c#2",
                                                            "eta=~c#3"]
    assert model.engine.rule.kind == "logit-window"


def test_outcome_indicator_without_item_loadings_is_one_loading():
    """``f =~ (y | person)`` alone: one loading of y (a person random intercept)."""
    model = ml.mixture("y ~ 0 + C(item):c; f =~ (y | person)", _long(), classes={"c": 2},
                       family="binary")
    assert "f=~y" in model.param_names and model.engine.kl.qb == 1


def test_long_form_3pl_is_a_constrained_fma_gom_formula():
    """Section 9 (eq. 43-50): class 1 answers correctly (tau_i1 = 15, no loading), class 2
    by a 2PL; the class logit is item-specific, gamma_i.  The likelihood equals the 3PL
    g_i + (1 - g_i) expit(a_i (eta - b_i)) integrated by numpy Gauss-Hermite."""
    from numpy.polynomial.hermite_e import hermegauss
    from scipy.special import expit, logsumexp

    long = _long(n_persons=9, n_items=4, seed=11)
    items = [f"u{i + 1}" for i in range(4)]
    fix = {f"y~C(item)[{u}][c=1]": 15.0 for u in items}
    fix.update({f"y~C(item)[{u}]:eta[c=1]": 0.0 for u in items})
    model = ml.mixture("y ~ 0 + C(item):c + C(item):c:eta; c ~ 0 + C(item); "
                       "eta =~ (y | person)", long, classes={"c": 2}, family="binary",
                       fix=fix, integration="gauss-hermite", n_points=40)
    g = np.array([0.15, 0.25, 0.2, 0.1])
    a = np.array([1.2, 0.8, 1.5, 1.0])
    b = np.array([-0.5, 0.3, 1.0, 0.0])
    p = pd.Series(np.nan, index=model.param_names)
    for i, u in enumerate(items):
        p[f"y~C(item)[{u}][c=2]"] = -a[i] * b[i]             # tau_i2 = -a_i b_i (eq. 50)
        p[f"y~C(item)[{u}]:eta[c=2]"] = a[i]                 # lambda_i2 = a_i (eq. 49)
        p[f"c#1~C(item)[{u}]"] = np.log(g[i] / (1 - g[i]))   # gamma_i (eq. 48)
    assert not p.isna().any(), p[p.isna()].index.tolist()
    x, w = hermegauss(40)
    w = w / w.sum()
    reference = 0.0
    for _, person in long.groupby("person"):
        yy = person["y"].to_numpy()
        idx = person["item"].map({u: i for i, u in enumerate(items)}).to_numpy()
        prob = g[idx, None] + (1 - g[idx, None]) * expit(a[idx, None] * (x[None] - b[idx, None]))
        reference += logsumexp(np.log(np.where(yy[:, None] == 1, prob, 1 - prob)).sum(0),
                               b=w)
    # Psi(15) = 1 - 3e-7, not 1: the reference uses the exact 3PL, so allow that much
    assert model.loglike(p.to_numpy()) == pytest.approx(reference, abs=1e-5)
