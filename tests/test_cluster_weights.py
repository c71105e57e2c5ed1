"""Cluster-level frequency weights: a two-level model fitted on its distinct clusters.

``cluster_weights=`` replicates whole clusters, so the persons of a long-form
item response table can be compressed to their response patterns.  The
reference is always the uncompressed data (every person written out), fitted or
evaluated by the same model: the two must agree to rounding.  A row weight
that is constant within every cluster is flagged (the user probably meant a
cluster weight), and a cluster weight that varies within a cluster is refused.
"""

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import mixlevel as ml
from mixlevel.errors import SpecificationError

DATA = Path(__file__).parent / "data"
ITEMS = [f"V{i}" for i in range(1, 6)]


def _long(wide, id_vars):
    return wide.melt(id_vars=id_vars, value_vars=ITEMS, var_name="item", value_name="y")


@pytest.fixture(scope="module")
def dentistry():
    d = pd.read_csv(DATA / "dentistry.csv")
    d["person"] = np.arange(len(d))
    rows = d.loc[d.index.repeat(d["freq"])].reset_index(drop=True)
    rows["person"] = np.arange(len(rows))
    return d, _long(d, ["person", "freq"]), _long(rows, ["person"])


def _quiet(fn, *a, **k):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return fn(*a, **k)


def test_long_form_lca_on_patterns_equals_the_persons(dentistry):
    """The dentistry LCA in long form: 32 patterns with counts = 3,869 persons = wide LCA."""
    wide, patterns, persons = dentistry
    f = "y ~ 0 + C(item):c"
    cls = {"c": ml.Between(2)}
    m_pat = ml.mixture(f, patterns, classes=cls, family="binary", cluster="person",
                       cluster_weights="freq")
    m_all = ml.mixture(f, persons, classes=cls, family="binary", cluster="person")
    assert m_pat.nobs == m_all.nobs == 5 * 3869
    assert m_pat.n_clusters == m_all.n_clusters == 3869
    rng = np.random.default_rng(0)
    for _ in range(3):
        p = m_all.start_params + rng.normal(scale=0.3, size=len(m_all.start_params))
        assert m_pat.loglike(p) == pytest.approx(m_all.loglike(p), abs=1e-7)
        np.testing.assert_allclose(m_pat.score(p), m_all.score(p), rtol=1e-8, atol=1e-6)
    res = _quiet(m_pat.fit, starts=(4, 2), progress=False)
    w = _quiet(ml.mixture(" + ".join(ITEMS) + " ~ c", wide, classes={"c": 2},
                          family="binary", weights="freq").fit, starts=(4, 2), progress=False)
    # the wide LCA is an independent route to the same maximum (-7465.38, randomLCA)
    assert res.llf == pytest.approx(w.llf, abs=1e-4)
    assert res.llf == pytest.approx(-7465.38, abs=0.01)


def test_random_intercept_cluster_weights_equal_replicated_clusters():
    """A random-intercept GLMM: weight 3 on a cluster = the cluster written out 3 times."""
    rng = np.random.default_rng(3)
    J, n = 30, 4
    df = pd.DataFrame({"g": np.repeat(np.arange(J), n), "x": rng.normal(size=J * n)})
    b = rng.normal(size=J)[df["g"]]
    df["u"] = (rng.random(J * n) < 1 / (1 + np.exp(-(0.3 + 0.8 * df["x"] + b)))).astype(float)
    df["w"] = (df["g"] % 3 + 1).astype(float)
    copies = []
    for j, part in df.groupby("g"):
        for r in range(int(part["w"].iloc[0])):
            copies.append(part.assign(g=f"{j}.{r}"))
    big = pd.concat(copies, ignore_index=True)
    f = "u ~ x + (1 | g)"
    m_w = ml.mixture(f, df, family="binary", cluster_weights="w")
    m_big = ml.mixture(f, big, family="binary")
    assert m_w.n_clusters == m_big.n_clusters == float(df.groupby("g")["w"].first().sum())
    assert m_w.nobs == m_big.nobs
    for p in (m_big.start_params, m_big.start_params + 0.2):
        assert m_w.loglike(p) == pytest.approx(m_big.loglike(p), abs=1e-8)
    # an array works like the column
    m_arr = ml.mixture(f, df, family="binary", cluster_weights=df["w"].to_numpy())
    p = m_big.start_params
    assert m_arr.loglike(p) == pytest.approx(m_big.loglike(p), abs=1e-8)


def test_row_weights_constant_within_clusters_are_flagged(dentistry):
    _, patterns, _ = dentistry
    with pytest.warns(UserWarning, match=r"weights='freq' is constant within every cluster "
                      r"of 'person'.*cluster_weights='freq'"):
        ml.mixture("y ~ 0 + C(item):c", patterns, classes={"c": ml.Between(2)},
                   family="binary", cluster="person", weights="freq")


def test_row_weights_that_vary_within_clusters_are_not_flagged():
    df = pd.DataFrame({"g": np.repeat(np.arange(10), 3), "y": np.arange(30.0) % 7,
                       "w": np.tile([1.0, 2.0, 1.0], 10)})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ml.mixture("y ~ 1 + (1 | g)", df, weights="w")


def test_cluster_weights_that_vary_within_a_cluster_are_refused(dentistry):
    _, patterns, _ = dentistry
    bad = patterns.copy()
    bad.loc[0, "freq"] += 1
    with pytest.raises(SpecificationError, match=r"cluster_weights='freq' varies within 1 "
                       r"cluster\(s\) of 'person'.*constant within each cluster"):
        ml.mixture("y ~ 0 + C(item):c", bad, classes={"c": ml.Between(2)},
                   family="binary", cluster="person", cluster_weights="freq")


def test_cluster_weights_need_clusters(dentistry):
    wide = dentistry[0]
    with pytest.raises(SpecificationError, match="cluster_weights= needs clusters"):
        ml.mixture(" + ".join(ITEMS) + " ~ c", wide, classes={"c": 2}, family="binary",
                   cluster_weights="freq")


def test_cluster_weights_column_must_exist(dentistry):
    _, patterns, _ = dentistry
    with pytest.raises(SpecificationError, match="cluster_weights='count' is not a column"):
        ml.mixture("y ~ 0 + C(item):c", patterns, classes={"c": ml.Between(2)},
                   family="binary", cluster="person", cluster_weights="count")
