"""Grade of membership (paper section 7, eq. 27-34): likelihood, gradient and fit.

The 2-class GoM ``y ~ 0 + C(item):c; c ~ 1 + (1 | person)`` integrates the class
probability ``p = expit(mu + sigma z)`` over ``z ~ N(0, 1)``.  Its default rule
(logit windows, :mod:`mixlevel.integrate.logit_window`) must be exact over the
whole range of Var(alpha), up to the latent class limit where fixed nodes fail.
The references are independent: adaptive ``scipy.integrate.quad`` per person
(one dimension) and a numpy Gauss-Hermite product (two dimensions), written
from eq. 27-34, not from the engine.
"""

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import integrate
from scipy.special import expit, log_softmax

import mixlevel as ml
from tests.results.results_lca_dentistry import lca2

DATA = Path(__file__).parent / "data"


def _quad_person(y, a1, a2, mu, sigma):
    """int prod_i [p f1_i + (1 - p) f2_i] phi(z) dz with p = expit(mu + sigma z)."""
    f1 = np.where(y == 1, expit(a1), expit(-a1))
    f2 = np.where(y == 1, expit(a2), expit(-a2))

    def h(z):
        p = expit(mu + sigma * z)
        return np.prod(p * f1 + (1 - p) * f2) * np.exp(-0.5 * z * z) / np.sqrt(2 * np.pi)

    centre = -mu / sigma
    cuts = sorted({-12.0, 12.0, *(float(np.clip(centre + k / sigma, -12, 12))
                                  for k in (-40, -10, -3, 0, 3, 10, 40))})
    return sum(integrate.quad(h, a, b, epsabs=0, epsrel=1e-13, limit=400)[0]
               for a, b in zip(cuts[:-1], cuts[1:], strict=True) if b > a)


def _tiny(n_persons=7, n_items=4, seed=0):
    rng = np.random.default_rng(seed)
    y = (rng.random((n_persons, n_items)) < rng.uniform(0.2, 0.8, n_items)).astype(int)
    y[0] = 0  # all-0 and all-1 persons: one-sided posteriors
    y[1] = 1
    wide = pd.DataFrame(y, columns=[f"u{i + 1}" for i in range(n_items)])
    wide["person"] = np.arange(n_persons)
    long = wide.melt(id_vars="person", var_name="item", value_name="y")
    return y, long


def _params(model, a1, a2, mu, var):
    p = pd.Series(0.0, index=model.param_names)
    for i in range(len(a1)):
        p[f"y~C(item)[u{i + 1}][c=1]"] = a1[i]
        p[f"y~C(item)[u{i + 1}][c=2]"] = a2[i]
    p["c#1~1"] = mu
    p["Var(c#1|person)"] = var
    return p.to_numpy()


@pytest.fixture(scope="module")
def gom2():
    y, long = _tiny()
    model = ml.mixture("y ~ 0 + C(item):c; c ~ 1 + (1 | person)", long, classes={"c": 2},
                       family="binary")
    return y, model


def test_gom2_default_rule_is_logit_windows(gom2):
    assert gom2[1].engine.rule.kind == "logit-window"


@pytest.mark.parametrize("var", [0.05, 1.0, 30.0, 1e3, 1e5])
@pytest.mark.parametrize("mu", [-2.0, 0.7])
def test_gom2_loglike_equals_quad_over_the_whole_range(gom2, var, mu):
    """Brute force to 1e-8 from almost no random effect up to the LCA limit."""
    y, model = gom2
    a1 = np.array([1.2, -0.4, 2.0, 0.3])
    a2 = np.array([-1.5, -2.2, 0.1, -3.0])
    reference = sum(np.log(_quad_person(yy, a1, a2, mu, np.sqrt(var))) for yy in y)
    assert model.loglike(_params(model, a1, a2, mu, var)) == pytest.approx(reference,
                                                                           abs=1e-8)


@pytest.mark.parametrize("var", [0.5, 20.0, 2e3])
def test_gom2_gradient_equals_finite_differences(gom2, var):
    _, model = gom2
    p = _params(model, [0.8, -0.2, 1.5, 0.0], [-1.0, -2.0, 0.4, -2.5], -0.5, var)
    g = model.score(p)
    for k in range(len(p)):
        h = 1e-5 * max(1.0, abs(p[k]))
        e = np.zeros(len(p))
        e[k] = h
        fd = (model.loglike(p + e) - model.loglike(p - e)) / (2 * h)
        assert g[k] == pytest.approx(fd, rel=1e-5, abs=1e-6)


def test_gom3_unrestricted_loglike_equals_a_product_rule():
    """K = 3, two correlated random logits (eq. 34): numpy Gauss-Hermite 80 x 80."""
    y, long = _tiny(n_persons=6, n_items=4, seed=2)
    model = ml.mixture("y ~ 0 + C(item):c; c ~ 1 + (1 | person)", long, classes={"c": 3},
                       family="binary", integration="gauss-hermite", n_points=60)
    a = np.array([[1.0, -0.5, 1.8, 0.2], [-1.2, 0.4, -0.3, 1.1], [-2.0, -1.7, 0.5, -2.4]])
    mu = np.array([0.4, -0.3])
    cov = np.array([[1.3, 0.4], [0.4, 0.8]])
    p = pd.Series(0.0, index=model.param_names)
    for k in range(3):
        for i in range(4):
            p[f"y~C(item)[u{i + 1}][c={k + 1}]"] = a[k, i]
    p["c#1~1"], p["c#2~1"] = mu
    p["Var(c#1|person)"], p["Var(c#2|person)"] = cov[0, 0], cov[1, 1]
    cov_name = next(n for n in model.param_names if n.startswith("Cov("))
    p[cov_name] = cov[0, 1]
    x, w = np.polynomial.hermite_e.hermegauss(80)
    w = w / w.sum()
    L = np.linalg.cholesky(cov)
    Z = np.stack(np.meshgrid(x, x, indexing="ij"), -1).reshape(-1, 2)
    W = np.outer(w, w).ravel()
    alpha = mu + Z @ L.T                                     # (G, 2)
    logp = log_softmax(np.column_stack([alpha, np.zeros(len(Z))]), axis=1)  # (G, 3)
    f = np.where(y[:, None, :] == 1, expit(a[None]), expit(-a[None]))  # (N, 3, items)
    like = np.exp(logp)[None, :, :, None] * f[:, None]       # (N, G, 3, items)
    per = np.prod(like.sum(axis=2), axis=-1)                 # (N, G)
    reference = np.log(per @ W).sum()
    assert model.loglike(p.to_numpy()) == pytest.approx(reference, abs=1e-8)


@pytest.fixture(scope="module")
def dentistry_gom():
    d = pd.read_csv(DATA / "dentistry.csv")
    d["person"] = np.arange(len(d))
    long = d.melt(id_vars=["person", "freq"], value_vars=[f"V{i}" for i in range(1, 6)],
                  var_name="item", value_name="y")
    model = ml.mixture("y ~ 0 + C(item):c; c ~ 1 + (1 | person)", long, classes={"c": 2},
                       family="binary", cluster_weights="freq")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = model.fit(starts=(4, 2), seed=1, progress=False)
    return d, res


def test_dentistry_gom_beats_lca_and_is_confirmed_by_quad(dentistry_gom):
    """Table 5 pattern: the GoM improves on the nested LCA (-7465.38, randomLCA/poLCA).

    The reported log-likelihood must equal an independent integration at the
    estimates (the fixed-node fits reported values 0.06 to 20 units off).
    """
    d, res = dentistry_gom
    assert res.llf > lca2["loglike"] + 10
    p = res.params
    a1 = np.array([p[f"y~C(item)[V{i}][c=1]"] for i in range(1, 6)])
    a2 = np.array([p[f"y~C(item)[V{i}][c=2]"] for i in range(1, 6)])
    mu, sigma = p["c#1~1"], np.sqrt(p["Var(c#1|person)"])
    Y = d[[f"V{i}" for i in range(1, 6)]].to_numpy()
    reference = sum(w * np.log(_quad_person(yy, a1, a2, mu, sigma))
                    for yy, w in zip(Y, d["freq"], strict=True))
    assert res.llf == pytest.approx(reference, abs=1e-6)
    assert res.integration_check.ok
    assert abs(res.integration_check.difference) < 1e-6


def _quad_moment(y, a1, a2, mu, sigma, power):
    """int p^power L(y | p) phi(z) dz (the numerator of membership moments)."""
    f1 = np.where(y == 1, expit(a1), expit(-a1))
    f2 = np.where(y == 1, expit(a2), expit(-a2))

    def h(z):
        p = expit(mu + sigma * z)
        return p ** power * np.prod(p * f1 + (1 - p) * f2) * np.exp(-0.5 * z * z) \
            / np.sqrt(2 * np.pi)

    return integrate.quad(h, -12, 12, points=[-mu / sigma], epsabs=0, epsrel=1e-12,
                          limit=400)[0]


@pytest.fixture(scope="module")
def gom_constructor():
    d = pd.read_csv(DATA / "dentistry.csv")
    persons = d.loc[d.index.repeat(d["freq"])].reset_index(drop=True).drop(columns="freq")
    model = ml.GoM([f"V{i}" for i in range(1, 6)], persons, classes=2)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = model.fit(starts=None)
    return d, persons, model, res


def test_gom_constructor_compresses_persons_to_patterns(gom_constructor, dentistry_gom):
    """3,869 persons -> 32 patterns; the likelihood is the long-form model's."""
    d, persons, model, _ = gom_constructor
    assert len(model.patterns) == 32 and model.patterns["n"].sum() == 3869
    formula_res = dentistry_gom[1]
    p = formula_res.params[model.param_names].to_numpy()
    assert model.loglike(p) == pytest.approx(formula_res.llf, abs=1e-8)


def test_gom_constructor_fit_beats_lca_and_compares(gom_constructor):
    _, _, _, res = gom_constructor
    assert res.lca.llf == pytest.approx(lca2["loglike"], abs=1e-3)
    assert res.llf > res.lca.llf + 10
    table = res.gom.compare_lca()
    assert list(table.index) == ["LCA", "GoM"]
    assert table.loc["GoM", "n_params"] == table.loc["LCA", "n_params"] + 1
    assert table.loc["GoM", "bic"] < table.loc["LCA", "bic"]
    assert "boundary" in table.loc["GoM", "note"] and np.isnan(table.loc["GoM", "pvalue"])


def test_gom_membership_scores_equal_quad(gom_constructor):
    """E[p_i | Y_i] and its SD against ratios of quad integrals (eq. 30)."""
    d, persons, model, res = gom_constructor
    p = res.params
    a1 = np.array([p[f"y~C(item)[V{i}][c=1]"] for i in range(1, 6)])
    a2 = np.array([p[f"y~C(item)[V{i}][c=2]"] for i in range(1, 6)])
    mu, sigma = p["c#1~1"], np.sqrt(p["Var(c#1|person)"])
    scores = res.gom.membership()
    assert len(scores) == len(persons)
    np.testing.assert_allclose(scores["p_c=1"] + scores["p_c=2"], 1.0, atol=1e-12)
    for row in (0, 1880, 3000, 3868):
        y = persons.iloc[row].to_numpy()
        m0, m1, m2 = (_quad_moment(y, a1, a2, mu, sigma, k) for k in range(3))
        assert scores["p_c=1"].iloc[row] == pytest.approx(m1 / m0, abs=1e-7)
        assert scores["sd_c=1"].iloc[row] == pytest.approx(np.sqrt(m2 / m0 - (m1 / m0) ** 2),
                                                           abs=1e-6)


def test_gom_refuses_what_it_cannot_fit():
    d = pd.read_csv(DATA / "dentistry.csv")
    items = [f"V{i}" for i in range(1, 6)]
    with pytest.raises(ml.SpecificationError, match="factor='yes': give True or False"):
        ml.GoM(items, d, classes=3, weights="freq", factor="yes")
    bad = d.assign(V1=d["V1"] + 1)
    with pytest.raises(ml.SpecificationError, match="the item 'V1' has values .* code them 0/1"):
        ml.GoM(items, bad, weights="freq")
    with pytest.raises(ml.SpecificationError, match="item column"):
        ml.GoM(items + ["V9"], d)
