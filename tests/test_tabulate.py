"""Tabulated outcomes (matrix products over row statistics) equal the kernel's cell loop."""

import numpy as np
import pandas as pd
import pytest

from mixlevel.data.design import build_design
from mixlevel.engine import Engine, tabulate
from mixlevel.families import (
    Binary,
    Binomial,
    Family,
    Nominal,
    Normal,
    NoTables,
    Ordinal,
    Poisson,
    ZeroTruncatedPoisson,
)
from mixlevel.model import MixtureModel
from mixlevel.spec import ModelSpec, ParamTable

FAMILIES = {
    "normal": (Normal(), lambda r, n: r.normal(size=n)),
    "logit": (Binary(), lambda r, n: r.integers(0, 2, n).astype(float)),
    "probit": (Binary("probit"), lambda r, n: r.integers(0, 2, n).astype(float)),
    "binomial": (Binomial(), lambda r, n: r.integers(0, 4, n).astype(float)),
    "binomial_probit": (Binomial("probit"), lambda r, n: r.integers(0, 4, n).astype(float)),
    "poisson": (Poisson(), lambda r, n: r.poisson(2.0, n).astype(float)),
    "ordinal": (Ordinal(), lambda r, n: r.integers(0, 4, n).astype(float)),
    "ordinal_probit": (Ordinal("probit"), lambda r, n: r.integers(0, 4, n).astype(float)),
    "nominal": (Nominal(), lambda r, n: r.integers(0, 3, n).astype(float)),
    "truncated_poisson": (ZeroTruncatedPoisson(), lambda r, n: 1.0 + r.poisson(1.5, n)),
}


def engines(family_key, cluster, between=False, family=None):
    rng = np.random.default_rng(7)
    n = 40
    fam, draw = FAMILIES[family_key]
    fam = family or fam
    y = draw(rng, n)
    y[[3, 11]] = np.nan
    df = pd.DataFrame({"y": y, "u": rng.integers(0, 2, n).astype(float),
                       "g": np.repeat(np.arange(10), 4), "n": 3.0,
                       "w": rng.integers(1, 3, n).astype(float)})
    spec = ModelSpec()
    spec.add_class("c", 2)
    spec.add_outcome("y", fam, trials="n", residual_by=["c"], threshold_by=["c"])
    if not isinstance(fam, Ordinal):
        spec.add_term("y", by=["c"])
    spec.add_outcome("u", "binary")
    spec.add_term("u", by=["c"])
    spec.add_block("f", ["f"], level="cluster", covariance="identity")
    spec.add_term("y", latent="f", by=["c"])
    spec.add_term("u", latent="f")
    if between:  # 2 cluster classes on which the row classes depend
        spec.add_class("d", 2, level="between")
        spec.add_term("c", by=["d"])
        spec.add_term("d")
    else:
        spec.add_term("c")
    design = build_design(spec, df, cluster="g" if cluster else None, weights="w")
    layout = spec.finalize(design.n_categories)
    table = ParamTable(layout.groups)
    fast = Engine(layout, design, table, integration="gauss-hermite", n_points=7)
    slow = Engine(layout, design, table, integration="gauss-hermite", n_points=7)
    slow.fast = False
    return fast, slow, table


@pytest.mark.parametrize("cluster", [False, True])
@pytest.mark.parametrize("family_key", list(FAMILIES))
def test_tabulated_equals_kernel(family_key, cluster):
    fast, slow, table = engines(family_key, cluster)
    assert fast.fast and 0 in fast.tab_outcomes
    w = np.random.default_rng(3).normal(scale=0.5, size=table.n_free)
    ll_f, g_f, es_f = fast.loglike_and_score(w)
    ll_s, g_s, es_s = slow.loglike_and_score(w)
    assert np.isfinite(ll_f)
    assert abs(ll_f - ll_s) < 1e-10 * max(1.0, abs(ll_s))
    assert np.allclose(g_f, g_s, rtol=1e-9, atol=1e-10)
    # the Q-function away from the E-step parameters too (the M-step's objective)
    w2 = w + 0.1
    q_f, gq_f = fast.expected(w2, es_f)
    q_s, gq_s = slow.expected(w2, es_s)
    assert abs(q_f - q_s) < 1e-9 * max(1.0, abs(q_s))
    assert np.allclose(gq_f, gq_s, rtol=1e-9, atol=1e-10)


@pytest.mark.parametrize("layout", ["rows", "clusters", "between"])
@pytest.mark.parametrize("family_key", list(FAMILIES))
def test_tabulated_cluster_scores_equal_kernel(family_key, layout):
    """Per-cluster scores (MLR sandwich, BHHH) from the tables equal the kernel's."""
    fast, slow, table = engines(family_key, layout != "rows", between=layout == "between")
    w = np.random.default_rng(5).normal(scale=0.5, size=table.n_free)
    es_f, es_s = fast.estep(w), slow.estep(w)
    S_f, S_s = fast.score_obs(w, es_f), slow.score_obs(w, es_s)
    assert S_f.shape == (fast.design.n_clusters, table.n_free)
    np.testing.assert_allclose(S_f, S_s, rtol=1e-9, atol=1e-10)
    np.testing.assert_allclose(S_f.sum(axis=0), fast.loglike_and_score(w)[1], rtol=1e-9,
                               atol=1e-10)
    # the per-cluster Q-function away from the E-step parameters
    q_f, _ = fast.expected(w + 0.1, es_f, per_cluster=True)
    q_s, _ = slow.expected(w + 0.1, es_s, per_cluster=True)
    np.testing.assert_allclose(q_f, q_s, rtol=1e-9, atol=1e-9)


def test_grouped_tables_with_interleaved_families():
    """Outcomes of one family are tabulated together; the order of the model's
    outcomes (families interleaved, different category counts) must not matter."""
    rng = np.random.default_rng(11)
    n = 60
    df = pd.DataFrame({
        "o1": rng.integers(0, 4, n).astype(float), "u1": rng.integers(0, 2, n).astype(float),
        "o2": rng.integers(0, 4, n).astype(float), "o3": rng.integers(0, 3, n).astype(float),
        "z1": rng.normal(size=n), "u2": rng.integers(0, 2, n).astype(float),
        "z2": rng.normal(size=n), "g": np.repeat(np.arange(12), 5)})
    df.loc[[4, 9], "o2"] = np.nan
    df.loc[[1], "z1"] = np.nan
    spec = ModelSpec()
    spec.add_class("c", 2)
    families = {"o1": Ordinal(), "u1": Binary(), "o2": Ordinal(), "o3": Ordinal("probit"),
                "z1": Normal(), "u2": Binary(), "z2": Normal()}
    for name, fam in families.items():
        spec.add_outcome(name, fam, residual_by=["c"] if name == "z2" else [],
                         threshold_by=["c"] if name == "o1" else [])
        if not isinstance(fam, Ordinal):
            spec.add_term(name, by=["c"])
        if name != "o3":
            spec.add_term(name, latent="f", by=["c"] if name in ("u1", "z1") else [])
    spec.add_block("f", ["f"], level="cluster", covariance="identity")
    spec.add_term("c")
    design = build_design(spec, df, cluster="g")
    layout = spec.finalize(design.n_categories)
    table = ParamTable(layout.groups)
    fast = Engine(layout, design, table, integration="gauss-hermite", n_points=5)
    slow = Engine(layout, design, table, integration="gauss-hermite", n_points=5)
    slow.fast = False
    assert len(fast.tables.groups) == 4  # ordinal (4), binary, ordinal probit (3), normal
    w = np.random.default_rng(2).normal(scale=0.4, size=table.n_free)
    ll_f, g_f, es_f = fast.loglike_and_score(w)
    ll_s, g_s, es_s = slow.loglike_and_score(w)
    assert abs(ll_f - ll_s) < 1e-10 * max(1.0, abs(ll_s))
    np.testing.assert_allclose(g_f, g_s, rtol=1e-9, atol=1e-10)
    np.testing.assert_allclose(fast.score_obs(w, es_f), slow.score_obs(w, es_s), rtol=1e-9,
                               atol=1e-10)
    q_f, gq_f = fast.expected(w + 0.05, es_f)
    q_s, gq_s = slow.expected(w + 0.05, es_s)
    assert abs(q_f - q_s) < 1e-9 * max(1.0, abs(q_s))
    np.testing.assert_allclose(gq_f, gq_s, rtol=1e-9, atol=1e-10)


class UntabulatedTruncatedPoisson(ZeroTruncatedPoisson):
    """A family without tables (as a new family may start out)."""

    def n_statistics(self, n_categories):
        return Family.n_statistics(self, n_categories)


def test_family_without_tables_is_left_to_the_kernel():
    """The engine computes an outcome whose family has no tables in the kernel (the other
    outcomes and the class prior stay tabulated) and gets the same numbers; tabulate
    refuses such a family outright instead of guessing its statistics."""
    with pytest.raises(NoTables, match="truncated_poisson family has no tabulated"):
        tabulate.OutcomeTables([0], [UntabulatedTruncatedPoisson()], [2], [0], [1], [0],
                               np.ones((3, 1)), np.ones((3, 1)))
    assert not tabulate.has_tables(UntabulatedTruncatedPoisson(), 2)
    tab_fast, slow, table = engines("truncated_poisson", cluster=True)
    fast, _, _ = engines("truncated_poisson", cluster=True,
                         family=UntabulatedTruncatedPoisson())
    assert fast.fast and fast.tab_outcomes == [1] and fast.tab_classes
    assert tab_fast.tab_outcomes == [0, 1]
    w = np.random.default_rng(3).normal(scale=0.5, size=table.n_free)
    ll_f, g_f, es_f = fast.loglike_and_score(w)
    ll_s, g_s, es_s = slow.loglike_and_score(w)
    assert abs(ll_f - ll_s) < 1e-10 * max(1.0, abs(ll_s))
    np.testing.assert_allclose(g_f, g_s, rtol=1e-9, atol=1e-10)
    np.testing.assert_allclose(fast.score_obs(w, es_f), slow.score_obs(w, es_s), rtol=1e-9,
                               atol=1e-10)
    q_f, gq_f = fast.expected(w + 0.1, es_f)
    q_s, gq_s = slow.expected(w + 0.1, es_s)
    assert abs(q_f - q_s) < 1e-9 * max(1.0, abs(q_s))
    np.testing.assert_allclose(gq_f, gq_s, rtol=1e-9, atol=1e-10)


def test_model_with_an_untabulated_family_fits():
    """A latent class model whose count item has no tables fits (EM, BFGS, standard errors)
    to the optimum of the same model with the item tabulated."""
    rng = np.random.default_rng(8)
    n = 300
    c = rng.uniform(size=n) < 0.5
    df = pd.DataFrame({f"u{k}": (rng.uniform(size=n) < np.where(c, 0.8, 0.25)).astype(float)
                       for k in range(3)})
    df["k"] = 1.0 + rng.poisson(np.where(c, 2.0, 0.5))

    def fit(family):
        spec = ModelSpec()
        spec.add_class("c", 2)
        for u in ("u0", "u1", "u2"):
            spec.add_outcome(u, "binary")
            spec.add_term(u, by=["c"])
        spec.add_outcome("k", family)
        spec.add_term("k", by=["c"])
        spec.add_term("c")
        model = MixtureModel(spec, df)
        return model, model.fit(starts=(4, 2))

    m_tab, r_tab = fit(ZeroTruncatedPoisson())
    m_kern, r_kern = fit(UntabulatedTruncatedPoisson())
    assert 3 in m_tab.engine.tab_outcomes and 3 not in m_kern.engine.tab_outcomes
    assert r_kern.llf == pytest.approx(r_tab.llf, abs=1e-6)
    np.testing.assert_allclose(r_kern.params.to_numpy(), r_tab.params.to_numpy(), atol=1e-4)
    np.testing.assert_allclose(r_kern.bse.to_numpy(), r_tab.bse.to_numpy(), rtol=1e-3)
