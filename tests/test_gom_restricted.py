"""The restricted GoM (eq. 35) and the FMA-GoM (eq. 38-41): likelihood, gradient, fits.

Restricted K-class GoM: ``alpha_ik = a_k + lambda_k eta_i`` with one standard
normal person factor, ``alpha =~ (c | person)``; FMA-GoM: the GoM with a
person factor measured by the items, ``P(y_ij = 1 | C_ij = c) = F(tau_jc +
lambda_j eta_i)`` (class-invariant loadings, the paper's choice).  The
references are written here from the equations, not from the engine:
``scipy.integrate.quad`` per person for one dimension, and for two dimensions
a numpy product of Gauss-Legendre panels (class logits) and Gauss-Hermite
(item factor).
"""

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from numpy.polynomial.hermite_e import hermegauss
from numpy.polynomial.legendre import leggauss
from scipy import integrate
from scipy.special import expit, log_softmax, logsumexp

import mixlevel as ml

DATA = Path(__file__).parent / "data"
RESTRICTED = "y ~ 0 + C(item):c; alpha =~ (c | person)"
FMA_GOM = "y ~ 0 + C(item):c + C(item):eta; c ~ 1 + (1 | person); eta =~ (y | person)"


def _tiny(n_persons=7, n_items=4, seed=0):
    rng = np.random.default_rng(seed)
    y = (rng.random((n_persons, n_items)) < rng.uniform(0.2, 0.8, n_items)).astype(int)
    y[0], y[1] = 0, 1  # all-0 and all-1 persons: one-sided posteriors
    wide = pd.DataFrame(y, columns=[f"u{i + 1}" for i in range(n_items)])
    wide["person"] = np.arange(n_persons)
    return y, wide.melt(id_vars="person", var_name="item", value_name="y")


def _class_probs(a, lam, z):
    """softmax over K classes of (a_k + lam_k z, 0) at the points z (eq. 34-35)."""
    z = np.atleast_1d(z)
    logits = np.column_stack([a[k] + lam[k] * z for k in range(len(a))] + [np.zeros_like(z)])
    return np.exp(log_softmax(logits, axis=1))                     # (len(z), K)


def _quad_restricted(y, tau, a, lam):
    """int prod_j sum_k p_k(z) F(tau_kj)^y (1 - F)^(1 - y) phi(z) dz, by quad on panels
    split where two class logits cross (the integrand switches there)."""
    f = np.where(y[None, :] == 1, expit(tau), expit(-tau))          # (K, items)

    def h(z):
        return float(np.prod(_class_probs(a, lam, z) @ f)) * np.exp(-0.5 * z * z) \
            / np.sqrt(2 * np.pi)

    aa, ll = np.append(a, 0.0), np.append(lam, 0.0)
    cuts = {-12.0, 12.0}
    for k in range(len(aa)):
        for m in range(k + 1, len(aa)):
            if abs(ll[k] - ll[m]) > 1e-12:
                c = -(aa[k] - aa[m]) / (ll[k] - ll[m])
                s = abs(ll[k] - ll[m])
                cuts |= {float(np.clip(c + d / s, -12, 12)) for d in (-40, -10, -3, 0, 3, 10, 40)}
    cuts = sorted(cuts)
    return sum(integrate.quad(h, lo, hi, epsabs=0, epsrel=1e-13, limit=400)[0]
               for lo, hi in zip(cuts[:-1], cuts[1:], strict=True) if hi > lo)


def _params(model, values):
    p = pd.Series(np.nan, index=model.param_names)
    for k, v in values.items():
        p[k] = v
    assert not p.isna().any(), p[p.isna()].index.tolist()
    return p.to_numpy()


def _restricted_values(tau, a, lam):
    K, n_items = tau.shape
    out = {f"y~C(item)[u{i + 1}][c={k + 1}]": tau[k, i] for k in range(K)
           for i in range(n_items)}
    out.update({f"c#{k + 1}~1": a[k] for k in range(K - 1)})
    out.update({f"alpha=~c#{k + 1}": lam[k] for k in range(K - 1)})
    return out


TAU3 = np.array([[1.0, -0.5, 1.8, 0.2], [-1.2, 0.4, -0.3, 1.1], [-2.0, -1.7, 0.5, -2.4]])


@pytest.fixture(scope="module")
def restricted3():
    y, long = _tiny(n_persons=6, seed=2)
    return y, ml.mixture(RESTRICTED, long, classes={"c": 3}, family="binary")


def test_restricted_default_rule_is_logit_windows(restricted3):
    assert restricted3[1].engine.rule.kind == "logit-window"


@pytest.mark.parametrize("a, lam", [
    ([0.4, -0.3], [0.7, -0.5]),
    ([0.4, -0.3], [6.0, -4.0]),        # steep: near the latent class limit
    ([-1.0, 0.5], [30.0, 25.0]),
    ([0.2, 0.1], [0.0, 1e-3]),         # almost no random effect
])
def test_restricted3_loglike_equals_quad(restricted3, a, lam):
    y, model = restricted3
    a, lam = np.asarray(a), np.asarray(lam)
    reference = sum(np.log(_quad_restricted(yy, TAU3, a, lam)) for yy in y)
    p = _params(model, _restricted_values(TAU3, a, lam))
    assert model.loglike(p) == pytest.approx(reference, abs=1e-8)


def test_restricted2_equals_quad_and_the_unrestricted_gom():
    """K = 2: alpha = a + lambda eta is the unrestricted GoM with Var = lambda^2."""
    y, long = _tiny()
    restricted = ml.mixture(RESTRICTED, long, classes={"c": 2}, family="binary")
    unrestricted = ml.mixture("y ~ 0 + C(item):c; c ~ 1 + (1 | person)", long,
                              classes={"c": 2}, family="binary")
    tau, a, lam = TAU3[:2], np.array([0.6]), np.array([-2.5])
    reference = sum(np.log(_quad_restricted(yy, tau, a, lam)) for yy in y)
    values = _restricted_values(tau, a, lam)
    ll = restricted.loglike(_params(restricted, values))
    assert ll == pytest.approx(reference, abs=1e-8)
    values.pop("alpha=~c#1")
    values["Var(c#1|person)"] = lam[0] ** 2
    assert unrestricted.loglike(_params(unrestricted, values)) == pytest.approx(ll, abs=1e-8)


def _fd_check(model, p):
    g = model.score(p)
    for k in range(len(p)):
        h = 1e-5 * max(1.0, abs(p[k]))
        e = np.zeros(len(p))
        e[k] = h
        fd = (model.loglike(p + e) - model.loglike(p - e)) / (2 * h)
        assert g[k] == pytest.approx(fd, rel=1e-5, abs=1e-6), model.param_names[k]


@pytest.mark.parametrize("lam", [[0.8, -0.6], [5.0, 3.0]])
def test_restricted3_gradient_equals_finite_differences(restricted3, lam):
    _, model = restricted3
    _fd_check(model, _params(model, _restricted_values(TAU3, np.array([0.3, -0.2]),
                                                       np.asarray(lam))))


# -- relabelling by moving parameters (no refit) --------------------------------------

def _moved(model, values, perm):
    from mixlevel.estimation import labels

    p = _params(model, values)
    work = model.table.free_working_from_natural(p)
    moved = labels.permuted_parameters(model.engine, work, {"c": perm})
    assert moved is not None
    new = pd.Series(model.table.free_natural_from_working(moved), index=model.param_names)
    return p, new


@pytest.mark.parametrize("perm", [[1, 0, 2], [2, 0, 1], [0, 2, 1]])
def test_unrestricted_gom3_relabels_by_moving_parameters(perm):
    """alpha'_k = alpha_perm[k] - alpha_perm[K]: mean M mu, covariance M Sigma M'."""
    y, long = _tiny(n_persons=6, seed=2)
    model = ml.mixture("y ~ 0 + C(item):c; c ~ 1 + (1 | person)", long, classes={"c": 3},
                       family="binary", integration="gauss-hermite", n_points=40)
    mu, S = np.array([0.4, -0.3]), np.array([[1.3, 0.4], [0.4, 0.8]])
    values = {f"y~C(item)[u{i + 1}][c={k + 1}]": TAU3[k, i] for k in range(3)
              for i in range(4)}
    values.update({"c#1~1": mu[0], "c#2~1": mu[1], "Var(c#1|person)": S[0, 0],
                   "Var(c#2|person)": S[1, 1], "Cov(c#1|person,c#2|person)": S[0, 1]})
    p, new = _moved(model, values, perm)
    M = np.array([[float(perm[k] == j) - float(perm[2] == j) for j in range(2)]
                  for k in range(2)])
    np.testing.assert_allclose(new[["c#1~1", "c#2~1"]], M @ mu, atol=1e-12)
    S2 = M @ S @ M.T
    np.testing.assert_allclose(new[["Var(c#1|person)", "Var(c#2|person)",
                                    "Cov(c#1|person,c#2|person)"]],
                               [S2[0, 0], S2[1, 1], S2[0, 1]], atol=1e-12)
    for k in range(3):
        assert new[f"y~C(item)[u1][c={k + 1}]"] == TAU3[perm[k], 0]
    assert model.loglike(new.to_numpy()) == pytest.approx(model.loglike(p), abs=1e-9)


@pytest.mark.parametrize("perm", [[1, 0, 2], [2, 1, 0]])
def test_restricted_gom3_relabels_by_moving_parameters(restricted3, perm):
    _, model = restricted3
    a, lam = np.array([0.4, -0.3]), np.array([2.0, -1.2])
    p, new = _moved(model, _restricted_values(TAU3, a, lam), perm)
    full_a, full_l = np.append(a, 0.0), np.append(lam, 0.0)
    for k in range(2):
        assert new[f"c#{k + 1}~1"] == pytest.approx(full_a[perm[k]] - full_a[perm[2]])
        assert new[f"alpha=~c#{k + 1}"] == pytest.approx(full_l[perm[k]] - full_l[perm[2]])
    assert model.loglike(new.to_numpy()) == pytest.approx(model.loglike(p), abs=1e-9)


# -- FMA-GoM (eq. 38-41): class logits with a random effect, items load on eta --------

def _fma_reference(y, tau, lam_items, mu, var, n_gh=120):
    """log L by a numpy product rule written here: Gauss-Legendre panels of width 0.05 on
    [-10, 10] for the class logit's z (fine enough where p switches) times Gauss-Hermite
    (n_gh points) for the item factor eta."""
    x, w = leggauss(20)
    edges = np.linspace(-10, 10, 401)
    a, b = edges[:-1, None], edges[1:, None]
    z1 = ((a + b) / 2 + (b - a) / 2 * x).ravel()
    w1 = ((b - a) / 2 * w).ravel() * np.exp(-0.5 * z1 ** 2) / np.sqrt(2 * np.pi)
    z2, w2 = hermegauss(n_gh)
    w2 = w2 / w2.sum()
    p1 = expit(mu + np.sqrt(var) * z1)                                   # (G1,)
    # item probabilities given class k and eta: (K, items, G2)
    eta = tau[:, :, None] + lam_items[None, :, None] * z2[None, None, :]
    out = 0.0
    for yy in y:
        f = np.where(yy[None, :, None] == 1, expit(eta), expit(-eta))    # (2, items, G2)
        # prod_j [p f1_j + (1 - p) f2_j] over (G1, G2)
        logs = np.log(p1[:, None, None] * f[0][None] + (1 - p1)[:, None, None] * f[1][None])
        lj = logs.sum(axis=1)                                            # (G1, G2)
        out += logsumexp(lj + np.log(w1)[:, None] + np.log(w2)[None, :])
    return out


def _fma_values(tau, lam_items, mu, var):
    K, n_items = tau.shape
    out = {f"y~C(item)[u{i + 1}][c={k + 1}]": tau[k, i] for k in range(K)
           for i in range(n_items)}
    out.update({f"y~C(item)[u{i + 1}]:eta": lam_items[i] for i in range(n_items)})
    out.update({"c#1~1": mu, "Var(c#1|person)": var})
    return out


@pytest.fixture(scope="module")
def fma_gom():
    y, long = _tiny(n_persons=7, n_items=4, seed=5)
    return y, ml.mixture(FMA_GOM, long, classes={"c": 2}, family="binary")


def test_fma_gom_default_rule_is_windows_times_gauss_hermite(fma_gom):
    rule = fma_gom[1].engine.rule
    assert rule.kind == "logit-window"
    assert "31 Gauss-Hermite" in rule.describe(2)


@pytest.mark.parametrize("mu, var", [(0.5, 0.8), (-0.7, 25.0), (0.3, 400.0)])
def test_fma_gom_loglike_equals_a_product_rule(fma_gom, mu, var):
    y, model = fma_gom
    lam_items = np.array([0.9, 1.4, 0.5, 1.1])
    reference = _fma_reference(y, TAU3[:2], lam_items, mu, var)
    p = _params(model, _fma_values(TAU3[:2], lam_items, mu, var))
    assert model.loglike(p) == pytest.approx(reference, abs=1e-8)


@pytest.mark.parametrize("var", [1.0, 60.0])
def test_fma_gom_gradient_equals_finite_differences(fma_gom, var):
    _, model = fma_gom
    _fd_check(model, _params(model, _fma_values(TAU3[:2], np.array([0.8, 1.2, 0.6, 1.0]),
                                                -0.4, var)))


def test_separation_of_an_item_in_a_class_is_said_in_the_users_terms(restricted3):
    """An item dummy's logit at the edge is an item probability of 0 in a class (a boundary
    estimate), not 'complete separation of C(item)[u3]'."""
    from mixlevel.estimation.diagnostics import fit_problems

    _, model = restricted3
    tau = TAU3.copy()
    tau[0, 2] = -40.0
    msgs = fit_problems(model, _params(model, _restricted_values(tau, np.array([0.4, -0.3]),
                                                                 np.array([1.0, -0.5]))))
    (msg,) = [m for m in msgs if "u3" in m]
    assert "the probability of 'y' = 1 for item 'u3' is 0 in class c=1" in msg
    assert "y~C(item)[u3][c=1] = -40" in msg and "fix={'y~C(item)[u3][c=1]': -15}" in msg
    assert "complete separation" not in msg


# -- real data: the reported log-likelihood against 2,000-point integration ---------------

def _panels(n_total=2000, lo=-10.0, hi=10.0, per=20):
    """n_total Gauss-Legendre points on [lo, hi] (panels of ``per`` points) with phi(z)."""
    x, w = leggauss(per)
    edges = np.linspace(lo, hi, n_total // per + 1)
    a, b = edges[:-1, None], edges[1:, None]
    z = ((a + b) / 2 + (b - a) / 2 * x).ravel()
    return z, np.log(((b - a) / 2 * w).ravel()) - 0.5 * z * z - 0.5 * np.log(2 * np.pi)


def _dentistry_loglike(d, probs_given_z, logw):
    """sum_patterns n log sum_g w_g prod_j sum_k p_k(z_g) f_kj(z_g)."""
    Y = d[[f"V{i}" for i in range(1, 6)]].to_numpy()
    total = 0.0
    for yy, n in zip(Y, d["freq"], strict=True):
        total += n * logsumexp(logw + probs_given_z(yy))
    return total


@pytest.fixture(scope="module")
def dentistry():
    return pd.read_csv(DATA / "dentistry.csv")


def _fit(model):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return model.fit(starts=None)


@pytest.mark.slow  # a full fit: about 2 CPU minutes
def test_dentistry_restricted_gom3_llf_equals_2000_point_integration(dentistry):
    d = dentistry
    res = _fit(ml.GoM([f"V{i}" for i in range(1, 6)], d, classes=3, weights="freq"))
    p = res.params
    tau = np.array([[p[f"y~C(item)[V{i}][c={k}]"] for i in range(1, 6)] for k in (1, 2, 3)])
    a = np.array([p["c#1~1"], p["c#2~1"]])
    lam = np.array([p["alpha=~c#1"], p["alpha=~c#2"]])
    z, logw = _panels()
    P = _class_probs(a, lam, z)                                     # (G, 3)

    def logf(yy):
        f = np.where(yy[None, :] == 1, expit(tau), expit(-tau))      # (3, items)
        return np.log(P @ f).sum(axis=1)

    reference = _dentistry_loglike(d, logf, logw)
    assert res.llf == pytest.approx(reference, abs=0.01)
    assert res.integration_check.ok
    # LCA is the limit of the restricted GoM: it comes close from the LCA-like start
    assert res.llf > res.lca.llf - 2.0


def test_gom_bic_counts_persons_as_the_nested_lca_does(dentistry):
    """BIC's n of a GoM is the 3,869 persons, not its 19,345 person-item rows, so that
    compare_lca() puts the two models on one scale."""
    for kw in ({}, {"classes": 3}, {"factor": True}):
        model = ml.GoM([f"V{i}" for i in range(1, 6)], dentistry, weights="freq", **kw)
        assert model.nobs == 3869 == model.lca_model.nobs
