"""``ml.FactorMixture``: the factor mixture model of paper section 8 (eq. 36-37).

Independent routes: the one-class model with normal items equals R lavaan's
one-factor model (tests/results/results_factor_mixture.py), with binary items
mirt's 2PL on LSAT7 (results_irt_lsat7); with all loadings 0 it is the latent
class model of StepMix/poLCA (results_lca_carcinoma); the K-class likelihood
equals a closed-form mixture of multivariate normals (normal items) and
brute-force quadrature (binary and ordinal items) to 1e-8; the score equals
finite differences.
"""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import integrate
from scipy.special import expit, logit
from scipy.stats import multivariate_normal

import mixlevel as ml
from mixlevel.errors import SpecificationError
from tests.results import results_factor_mixture as ref
from tests.results import results_irt_lsat7 as ref_irt
from tests.results import results_lca_carcinoma as ref_lca

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def cfa():
    return pd.read_csv(DATA / "demo_cfa500.csv")


@pytest.fixture(scope="module")
def sim_normal():
    rng = np.random.default_rng(3)
    n = 400
    c = rng.random(n) < 0.35
    f = rng.normal(size=n)
    lam = np.array([0.8, 1.0, 0.7, 0.9, 0.6, 1.1])
    shift = np.array([1.5, -1.0, 1.2, 0.8, -1.3, 1.0])
    y = c[:, None] * shift + f[:, None] * lam + rng.normal(size=(n, 6)) * 0.6
    df = pd.DataFrame(y, columns=[f"y{j}" for j in range(1, 7)])
    df["x"] = rng.normal(size=n) + c
    return df


def test_one_class_normal_equals_lavaan(cfa):
    want = ref.cfa_lavaan_observed
    res = ml.FactorMixture(list(cfa.columns), cfa, classes=1).fit(cov_type="ML")
    assert res.k_params == want["n_params"] == 18
    assert res.llf == pytest.approx(want["loglike"], abs=1e-6)
    for name, value in want["params"].items():
        assert res.params[name] == pytest.approx(value, abs=2e-5)
        assert res.bse[name] == pytest.approx(want["bse"][name], rel=1e-4)
    tab = res.factor_mixture.item_params()
    assert tab.loc[(1, "y3"), "loading"] == pytest.approx(want["params"]["f=~y3"], abs=2e-5)
    assert tab.loc[(1, "y3"), "residual_var"] == pytest.approx(want["params"]["Var(y3)"], abs=2e-5)


def test_one_class_binary_equals_mirt_2pl():
    lsat7 = pd.read_csv(DATA / "lsat7.csv")
    want = ref_irt.twopl_mirt
    res = ml.FactorMixture(list(lsat7.columns), lsat7, classes=1, family="binary").fit()
    assert res.llf == pytest.approx(want["loglike"], abs=1e-4)
    lam = np.array([res.params[f"f=~item{j}"] for j in range(1, 6)])
    a = np.array([want["params"][f"a{j}"] for j in range(1, 6)])
    assert np.allclose(np.sign(lam.sum()) * lam, a, atol=2e-3)


def test_zero_loadings_are_the_latent_class_model():
    carc = pd.read_csv(DATA / "carcinoma.csv") - 1
    items = list(carc.columns)
    lca = ml.FactorMixture(items, carc, classes=2, factors=0, family="binary").fit()
    assert lca.llf == pytest.approx(ref_lca.lca2["loglike"], abs=1e-6)
    # the factor mixture with its loadings fixed at 0 is the same model
    fixed = ml.FactorMixture(items, carc, classes=2, family="binary",
                             fix={f"f=~{it}": 0.0 for it in items}).fit()
    assert fixed.llf == pytest.approx(ref_lca.lca2["loglike"], abs=1e-6)
    assert fixed.k_params == lca.k_params == 15


def _normal_mixture_ll(Y, pis, nu, lam, theta):
    dens = [pis[k] * multivariate_normal(nu[k], np.outer(lam[k], lam[k]) + np.diag(theta)).pdf(Y)
            for k in range(len(pis))]
    return float(np.log(np.sum(dens, axis=0)).sum())


@pytest.mark.parametrize("loadings", ["invariant", "class"])
def test_normal_likelihood_is_a_mixture_of_normals(sim_normal, loadings):
    items = [f"y{j}" for j in range(1, 7)]
    model = ml.FactorMixture(items, sim_normal, classes=2, loadings=loadings)
    rng = np.random.default_rng(7)
    nu = rng.normal(size=(2, 6))
    lam = rng.uniform(0.3, 1.2, (2, 6))
    if loadings == "invariant":
        lam[1] = lam[0]
    theta = rng.uniform(0.3, 0.9, 6)
    p = {"c#1~1": logit(0.6)}
    for j, it in enumerate(items):
        p[f"Var({it})"] = theta[j]
        for k in (1, 2):
            p[f"{it}~1[c={k}]"] = nu[k - 1, j]
            p[f"{it}~f[c={k}]"] = lam[k - 1, j]
        p[f"f=~{it}"] = lam[0, j]
    x = pd.Series(p)[model.param_names].to_numpy()
    want = _normal_mixture_ll(sim_normal[items].to_numpy(), [0.6, 0.4], nu, lam, theta)
    assert model.loglike(x) == pytest.approx(want, abs=1e-8)


def test_binary_and_ordinal_likelihood_equals_brute_force():
    Y = np.array([[1, 0, 2], [0, 0, 1], [1, 1, 0], [0, 1, 2], [1, 1, 1], [0, 0, 0], [1, 0, 0]])
    data = pd.DataFrame(Y, columns=["u1", "u2", "o3"]).assign(n=2.0)
    model = ml.FactorMixture(["u1", "u2", "o3"], data, classes=2, weights="n",
                             family={"u1": "binary", "u2": "binary", "o3": "ordinal"},
                             integration="gauss-hermite", n_points=61)
    lam = np.array([1.2, 0.6, 0.9])
    d = np.array([[0.4, -0.8], [-0.5, 1.0]])           # class x binary item intercepts
    tau = np.array([[-0.7, 0.9], [-1.5, 0.2]])         # class x ordinal thresholds
    pis = np.array([0.55, 0.45])
    p = {"c#1~1": logit(pis[0]), "f=~u1": lam[0], "f=~u2": lam[1], "f=~o3": lam[2]}
    for k in (1, 2):
        p[f"u1~1[c={k}]"], p[f"u2~1[c={k}]"] = d[k - 1]
        p[f"o3|t1[c={k}]"], p[f"o3|t2[c={k}]"] = tau[k - 1]
    x = pd.Series(p)[model.param_names].to_numpy()

    def like(y, k):
        def f(t):
            pb = expit(d[k] + lam[:2] * t)
            cum = np.concatenate([[0.0], expit(tau[k] - lam[2] * t), [1.0]])
            po = cum[y[2] + 1] - cum[y[2]]
            return (np.prod(np.where(y[:2] == 1, pb, 1 - pb)) * po
                    * np.exp(-t * t / 2) / np.sqrt(2 * np.pi))
        return integrate.quad(f, -12, 12, epsabs=1e-14, epsrel=1e-12)[0]

    want = 2 * sum(np.log(sum(pis[k] * like(y, k) for k in (0, 1))) for y in Y)
    assert model.loglike(x) == pytest.approx(want, abs=1e-8)


@pytest.mark.parametrize("family", ["normal", "ordinal"])
def test_score_equals_finite_differences(sim_normal, family):
    items = [f"y{j}" for j in range(1, 5)]
    data = sim_normal.copy()
    if family == "ordinal":
        data[items] = np.digitize(data[items], [-0.5, 0.7])
    model = ml.FactorMixture(items, data, classes=2, loadings="class", family=family,
                             covariates=["x"])
    rng = np.random.default_rng(1)
    x = pd.Series(model.start_params, index=model.param_names)
    x += rng.uniform(-0.1, 0.1, len(x))
    x = x.to_numpy()
    h = 1e-5
    fd = np.array([(model.loglike(x + h * e) - model.loglike(x - h * e)) / (2 * h)
                   for e in np.eye(len(x))])
    assert np.allclose(model.score(x), fd, atol=2e-5 * max(1.0, np.abs(fd).max()))


def test_fit_compare_and_tables(sim_normal):
    items = [f"y{j}" for j in range(1, 7)]
    res = ml.FactorMixture(items, sim_normal, classes=2).fit()
    fm = res.factor_mixture
    assert fm.class_sizes().sum() == pytest.approx(1.0)
    # generated with 35% in the shifted class and loadings 0.8 .. 1.1
    assert sorted(fm.class_sizes())[0] == pytest.approx(0.35, abs=0.06)
    tab = fm.item_params()
    assert list(tab.columns) == ["intercept", "factor", "loading", "residual_var"]
    assert (tab.xs("y1", level="item")["loading"].nunique()) == 1
    assert np.allclose(np.abs(tab.xs(1, level="class")["loading"]),
                       [0.8, 1.0, 0.7, 0.9, 0.6, 1.1], atol=0.15)
    assert (fm.factor_moments()["variance"] == 1.0).all()
    table = fm.compare()
    assert list(table.index) == ["factor (1 class)", "LCA (2 classes)",
                                 "factor mixture (2 classes)"]
    last = table.iloc[-1]
    assert last["df"] == 6 and last["pvalue"] < 1e-10
    assert last["lr"] == pytest.approx(2 * (res.llf - fm.nested["LCA"].llf))
    # the data have both a factor and classes: the factor mixture has the lowest BIC
    assert table["bic"].idxmin() == "factor mixture (2 classes)"


def test_class_loadings_and_covariates_in_names(sim_normal):
    items = [f"y{j}" for j in range(1, 4)]
    m = ml.FactorMixture(items, sim_normal, classes=3, loadings="class", covariates=["x"],
                         residuals="class")
    names = m.param_names
    assert "y1~f[c=3]" in names and not any(n.startswith("f=~") for n in names)
    assert "c#2~x" in names and "Var(y2)[c=3]" in names
    # 9 intercepts, 9 loadings, 9 residual variances, 2 x 2 class logits
    assert len(names) == 31


def test_errors_name_the_argument(sim_normal):
    items = [f"y{j}" for j in range(1, 4)]
    with pytest.raises(SpecificationError, match="loadings="):
        ml.FactorMixture(items, sim_normal, loadings="free")
    with pytest.raises(SpecificationError, match="not in the data"):
        ml.FactorMixture(items + ["zz"], sim_normal)
    with pytest.raises(SpecificationError, match="covariates="):
        ml.FactorMixture(items, sim_normal, classes=1, covariates=["x"])
    with pytest.raises(SpecificationError, match="two factors"):
        ml.FactorMixture(items, sim_normal, factors={"f1": items, "f2": items[:1]})
    with pytest.raises(SpecificationError, match="rename"):
        ml.FactorMixture(["c", "y1"], sim_normal.rename(columns={"y2": "c"}))
    two = ml.FactorMixture(items, sim_normal, factors={"g": items[:2], "h": items[2:]})
    assert {"g=~y1", "g=~y2", "h=~y3"} <= set(two.param_names)
