"""Independent brute-force checks of the likelihood engine.

Every model here is a tiny simulated data set.  Its marginal log-likelihood

    L_j = sum_d P(d) int phi(b) prod_i [ sum_c P(c | d, b, x_i) prod_p f(y_ip | c, d, b) ]^w_i db

is evaluated directly from the formula with numpy/scipy (scipy.stats densities;
a 200-point Gauss-Hermite rule from ``scipy.special.roots_hermitenorm`` for one
random effect, itself checked against adaptive ``scipy.integrate.quad``; an
80 x 80 product rule for two), without using any of mixlevel's engine, kernel
or quadrature code, and compared with ``Engine.loglike`` using a Gauss-Hermite
rule with enough points (checked: doubling them changes nothing above 1e-9).

For every model, at the chosen parameters and at a random second point, the
analytic gradient (Fisher's identity) is compared with a central finite
difference of ``Engine.loglike``, the per-cluster scores of
``Engine.score_obs`` must add up to the gradient, and the EM Q-function's
gradient must match its finite differences.  Further: tail densities against
60-digit mpmath, frequency weights against expanded data, EM monotonicity.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import integrate, special, stats

from mixlevel.data.design import build_design
from mixlevel.engine import Engine
from mixlevel.families import Binary, Binomial, Ordinal, ZeroTruncatedPoisson
from mixlevel.spec import ModelSpec, ParamTable

# --------------------------------------------------------------------------
# the brute-force oracle
# --------------------------------------------------------------------------

LOG_EXPIT = special.log_expit


def log_softmax_ref(eta_list):
    """log P(k) for logits [eta_1, ..., eta_{K-1}, 0] (last category reference).

    eta_list: list of K-1 arrays of a common shape; returns (K, *shape).
    """
    full = np.stack([np.asarray(e, float) for e in eta_list]
                    + [np.zeros(np.shape(eta_list[0]))])
    return full - special.logsumexp(full, axis=0, keepdims=True)


class Rows(dict):
    """The rows of one cluster: column name -> numpy array (fast column access)."""

    def __init__(self, sub):
        super().__init__({c: sub[c].to_numpy() for c in sub.columns})
        self.n = len(sub)

    def __len__(self):
        return self.n


def cluster_groups(df, cluster):
    """Row blocks of the data in the user's order: one per cluster (or per row)."""
    if cluster is None:
        return [Rows(df.iloc[[i]]) for i in range(len(df))]
    return [Rows(sub) for _, sub in df.groupby(cluster, sort=True)]


def _integrate_1d_quad(logf, sd):
    """log int phi(z) exp(logf(sd * z)) dz by adaptive quadrature (scipy.integrate.quad)."""
    grid = np.linspace(-10, 10, 401)
    vals = stats.norm.logpdf(grid) + logf(sd * grid[:, None])
    m = float(np.max(vals))  # scale so that the integral is O(1): epsabs is meaningful

    def integrand(z):
        return float(np.exp(stats.norm.logpdf(z) + logf(np.array([[sd * z]]))[0] - m))

    zmax = grid[int(np.argmax(vals))]
    val, err = integrate.quad(integrand, -14.0, 14.0, points=[zmax], epsabs=1e-13,
                              epsrel=1e-13, limit=400)
    assert err < 1e-11, f"oracle quadrature did not converge (error {err})"
    return m + np.log(val)


def _gh_product(q, n):
    """Dense product Gauss-Hermite rule for N(0, I_q), from scipy (not mixlevel)."""
    x, w = special.roots_hermitenorm(n)
    lw = np.log(w) - 0.5 * np.log(2 * np.pi)
    grids = np.meshgrid(*([x] * q), indexing="ij")
    lgrids = np.meshgrid(*([lw] * q), indexing="ij")
    z = np.stack([g.ravel() for g in grids], axis=1)
    return z, np.sum([g.ravel() for g in lgrids], axis=0)


#: oracle rules: 200-point Gauss-Hermite in 1-D (cross-checked against adaptive
#: quad in test_oracle_rules_are_converged), 80 x 80 product rule in 2-D.
ORACLE_POINTS = {1: 200, 2: 80}


def oracle_loglike(case, nat, df=None, method="gh", n_gh=None):
    """Brute-force marginal log-likelihood of a case at natural parameters ``nat``.

    sum_j log sum_d P(d | j) int N(b; 0, Sigma_d) prod_i rowlik_i(d, b)^w_i db, with
    case["row_logf"](rows, d, B, nat) -> (n_i, G) the log of
    sum_c P(c | d, b, x_i) prod_p f(y_ip | c, d, b) at random-effect values B (G, q),
    case["log_pd"](rows, d, nat) the between-class log prior and
    case["Sigma"](nat, d) the random-effect covariance (absent: no integral).

    method "gh": product Gauss-Hermite (ORACLE_POINTS or n_gh per dimension);
    "quad": scipy.integrate.quad (one random effect only).
    """
    if "oracle" in case:
        return case["oracle"](nat)
    df = case["df"] if df is None else df
    D = case.get("D", 1)
    wcol = case.get("weights")
    total = 0.0
    for sub in cluster_groups(df, case["cluster"]):
        rw = np.ones(len(sub)) if wcol is None else sub[wcol].astype(float)
        per_d = []
        for d in range(D):
            lpd = case["log_pd"](sub, d, nat) if D > 1 else 0.0

            def logf(B, sub=sub, rw=rw, d=d):
                return (rw[:, None] * case["row_logf"](sub, d, B, nat)).sum(axis=0)

            Sigma = None if case.get("Sigma") is None else np.atleast_2d(case["Sigma"](nat, d))
            if Sigma is None:
                per_d.append(lpd + float(logf(np.zeros((1, 0)))[0]))
            elif method == "quad":
                assert Sigma.shape == (1, 1)
                per_d.append(lpd + _integrate_1d_quad(logf, np.sqrt(Sigma[0, 0])))
            else:
                q = Sigma.shape[0]
                z, lw = _gh_product(q, n_gh or case.get("oracle_points") or ORACLE_POINTS[q])
                B = z @ np.linalg.cholesky(Sigma).T
                per_d.append(lpd + float(special.logsumexp(lw + logf(B))))
        total += float(special.logsumexp(per_d))
    return total


# --------------------------------------------------------------------------
# building engines
# --------------------------------------------------------------------------


def make_engine(spec, df, nat, cluster="g", weights=None, n_points=40,
                integration="gauss-hermite"):
    design = build_design(spec, df, cluster=cluster, weights=weights)
    layout = spec.finalize(design.n_categories)
    table = ParamTable(layout.groups)
    assert set(table.free_names) == set(nat), (
        f"parameter names differ from the test's: engine {table.free_names}, "
        f"test {sorted(nat)}")
    natv = np.array([nat[n] for n in table.free_names], float)
    w = table.free_working_from_natural(natv)
    np.testing.assert_allclose(table.free_natural_from_working(w), natv, rtol=1e-12,
                               atol=1e-12)
    eng = Engine(layout, design, table, integration=integration, n_points=n_points)
    return eng, w


def fd_gradient(f, w, h=1e-5):
    g = np.empty_like(w)
    for k in range(len(w)):
        e = np.zeros_like(w)
        e[k] = h
        g[k] = (f(w + e) - f(w - e)) / (2 * h)
    return g


def shuffled(df, seed):
    """Rows in a random order, so that clusters are not contiguous in the data."""
    return df.sample(frac=1.0, random_state=seed).reset_index(drop=True)


def cluster_ids(sizes):
    return np.repeat(np.arange(len(sizes)) * 7 + 3, sizes)  # non-consecutive labels


# --------------------------------------------------------------------------
# the models
# --------------------------------------------------------------------------

CASES = {}


def case(fn):
    CASES[fn.__name__] = fn
    return fn


def _ri_data(seed, sizes, outcome):
    rng = np.random.default_rng(seed)
    g = cluster_ids(sizes)
    n = len(g)
    x = rng.normal(size=n)
    u = rng.normal(scale=0.7, size=len(sizes))[np.searchsorted(np.unique(g), g)]
    eta = 0.3 + 0.6 * x + u
    if outcome == "normal":
        y = eta + rng.normal(scale=0.9, size=n)
    elif outcome == "binary":
        y = (rng.uniform(size=n) < special.expit(eta)).astype(float)
    return pd.DataFrame({"g": g, "x": x, "y": y})


def _ri_spec(family, intercept=True, **kw):
    spec = ModelSpec()
    spec.add_outcome("y", family, **kw)
    if intercept:
        spec.add_term("y")
    spec.add_term("y", "x")
    spec.add_block("re", ["u0"], level="cluster", covariance="free")
    spec.add_term("y", "1", latent="u0")
    return spec


def _sigma1(name):
    return lambda nat, d=0: np.array([[nat[name]]])


# --------------------------------------------------------------------------
# every family through the same checks: its oracle density from scipy.stats
# --------------------------------------------------------------------------


def _cdf(link):
    return special.expit if link == "logit" else stats.norm.cdf


def _dichotomous(link, binomial):
    """Binary (n = 1) or binomial outcome: scipy's binomial pmf."""
    def sample(rng, etas, n):
        return rng.binomial(n.astype(int), _cdf(link)(etas[0])).astype(float)

    def logf(y, etas, n, fp):
        return stats.binom.logpmf(y, n, _cdf(link)(etas[0]))

    return dict(family=(Binomial(link) if binomial else Binary(link)), sample=sample,
                logf=logf, trials=binomial, n_points=80 if binomial else 40)


def _ordinal(link):
    """Categories 1, 2, 3 (coded 0, 1, 2 in numeric order), thresholds t1 < t2."""
    def sample(rng, etas, n):
        z = etas[0] + (rng.logistic(size=etas[0].shape) if link == "logit"
                       else rng.normal(size=etas[0].shape))
        return 1.0 + (z > -0.5) + (z > 0.8)

    def logf(y, etas, n, fp):
        tau = np.array([-np.inf, fp["y|t1"], fp["y|t2"], np.inf])
        k = y.astype(int) - 1
        with np.errstate(divide="ignore"):  # far-out oracle nodes
            return np.log(_cdf(link)(tau[k + 1] - etas[0]) - _cdf(link)(tau[k] - etas[0]))

    return dict(family=Ordinal(link), sample=sample, logf=logf, intercept=False,
                fparams={"y|t1": -0.4, "y|t2": 0.9}, by_kind="threshold_by")


def _nominal():
    """Categories "a", "b", "c"; the logits of a and b against c."""
    labels = np.array(["a", "b", "c"])

    def sample(rng, etas, n):
        lp = log_softmax_ref(etas)                            # (3, n)
        u = rng.uniform(size=lp.shape[1])
        return labels[np.minimum((np.cumsum(np.exp(lp), axis=0) < u).sum(axis=0), 2)]

    def logf(y, etas, n, fp):
        lp = log_softmax_ref(etas)                            # (3, n, G)
        k = np.searchsorted(labels, y[:, 0])
        return np.take_along_axis(lp, k[None, :, None].repeat(lp.shape[2], 2), 0)[0]

    return dict(family="nominal", sample=sample, logf=logf, channels=2)


def _truncated_poisson_logpmf(y, mu):
    """Poisson pmf given y >= 1, from scipy: pmf(y) / P(Y > 0)."""
    return stats.poisson.logpmf(y, mu) - stats.poisson.logsf(0, mu)


def _truncated_poisson_sample(rng, etas, n):
    mu = np.exp(etas[0])
    y = rng.poisson(mu)
    while (y == 0).any():  # rejection: redraw the zeros
        y = np.where(y == 0, rng.poisson(mu), y)
    return y.astype(float)


#: family key -> family, data sampler, scipy log-density and layout
FAMILY_ORACLES = {
    "normal": dict(family="normal", fparams={"Var(y)": 0.8}, by_kind="residual_by",
                   sample=lambda rng, etas, n: etas[0] + rng.normal(scale=0.9,
                                                                    size=etas[0].shape),
                   logf=lambda y, etas, n, fp: stats.norm.logpdf(y, etas[0],
                                                                 np.sqrt(fp["Var(y)"]))),
    "binary_logit": _dichotomous("logit", binomial=False),
    "binary_probit": _dichotomous("probit", binomial=False),
    "binomial_logit": _dichotomous("logit", binomial=True),
    "binomial_probit": _dichotomous("probit", binomial=True),
    "ordinal_logit": _ordinal("logit"),
    "ordinal_probit": _ordinal("probit"),
    "nominal": _nominal(),
    # counts make the integrand peaked: 40 GH points leave ~1e-5, 80 about 2e-10; in the
    # mixture (larger counts) 80 leave 2e-7, 160 about 1e-11
    "poisson": dict(family="poisson", n_points=80, mixture_points=160,
                    sample=lambda rng, etas, n: rng.poisson(np.exp(etas[0] - 0.8)).astype(float),
                    logf=lambda y, etas, n, fp: stats.poisson.logpmf(y, np.exp(etas[0]))),
    "truncated_poisson": dict(family=ZeroTruncatedPoisson(), n_points=80, mixture_points=160,
                              sample=_truncated_poisson_sample,
                              logf=lambda y, etas, n, fp: _truncated_poisson_logpmf(
                                  y, np.exp(etas[0]))),
}


def _family_layout(key):
    f = dict(channels=1, intercept=True, fparams={}, by_kind=None, trials=False, n_points=40)
    f.update(FAMILY_ORACLES[key])
    f.setdefault("mixture_points", f["n_points"])
    f["prefix"] = ["y"] if f["channels"] == 1 else [f"y#{k + 1}" for k in range(f["channels"])]
    return f


def _family_data(f, seed, sizes, n_classes=1):
    """Cluster ids, a covariate x, a class covariate w, trials n and outcomes y."""
    rng = np.random.default_rng(seed)
    g = cluster_ids(sizes)
    size = len(g)
    x, w = rng.normal(size=size), rng.normal(size=size)
    u = rng.normal(scale=0.6, size=len(sizes))[np.searchsorted(np.unique(g), g)]
    n = rng.integers(1, 5, size=size).astype(float) if f["trials"] else np.ones(size)
    shift = np.where(rng.uniform(size=size) < 0.5, -0.8, 0.8) if n_classes > 1 else 0.0
    etas = [0.3 * k - 0.2 + 0.6 * x + u + shift for k in range(f["channels"])]
    df = pd.DataFrame({"g": g, "x": x, "w": w, "n": n, "y": f["sample"](rng, etas, n)})
    if f["trials"]:  # both boundary counts present
        df.loc[0, "y"], df.loc[1, "y"] = 0.0, df.loc[1, "n"]
    return shuffled(df, seed)


def family_ri(key):
    """A random-intercept regression of one outcome of the family: y ~ x + (1 | g)."""
    f = _family_layout(key)
    seed = 1 + list(FAMILY_ORACLES).index(key)
    df = _family_data(f, seed, [3, 4, 2, 4, 3, 4][: 4 + seed % 3])
    nat = dict(f["fparams"], **{"Var(u0)": 0.6})
    for k, pre in enumerate(f["prefix"]):
        if f["intercept"]:
            nat[f"{pre}~1"] = 0.2 - 0.5 * k
        nat[f"{pre}~x"] = 0.5 - 0.9 * k

    def row_logf(sub, d, B, nat):
        xx, u = sub["x"][:, None], B[None, :, 0]
        etas = [nat.get(f"{pre}~1", 0.0) + nat[f"{pre}~x"] * xx + u for pre in f["prefix"]]
        return f["logf"](sub["y"][:, None], etas, sub["n"][:, None], nat)

    spec = _ri_spec(f["family"], intercept=f["intercept"],
                    **({"trials": "n"} if f["trials"] else {}))
    return dict(spec=spec, df=df, cluster="g", nat=nat, n_points=f["n_points"],
                Sigma=_sigma1("Var(u0)"), row_logf=row_logf)


def family_mixture(key):
    """Two within classes with class-specific intercepts (thresholds) and family parameters,
    a common slope, a random intercept and class logits on a covariate w."""
    f = _family_layout(key)
    seed = 60 + list(FAMILY_ORACLES).index(key)
    df = _family_data(f, seed, [4, 3, 4, 3, 2], n_classes=2)
    nat = {"c#1~1": 0.3, "c#1~w": -0.6, "Var(u0)": 0.5}
    for c in (1, 2):
        for name, value in f["fparams"].items():
            nat[f"{name}[c={c}]"] = value + 0.3 * (c - 1)
        for k, pre in enumerate(f["prefix"]):
            if f["intercept"]:
                nat[f"{pre}~1[c={c}]"] = (-0.6 if c == 1 else 0.7) + 0.2 * k
    for k, pre in enumerate(f["prefix"]):
        nat[f"{pre}~x"] = 0.5 - 0.9 * k

    def row_logf(sub, d, B, nat):
        xx, u = sub["x"][:, None], B[None, :, 0]
        lpc = log_softmax_ref([nat["c#1~1"] + nat["c#1~w"] * sub["w"][:, None]])
        out = []
        for c in (1, 2):
            fp = {name: nat[f"{name}[c={c}]"] for name in f["fparams"]}
            etas = [nat.get(f"{pre}~1[c={c}]", 0.0) + nat[f"{pre}~x"] * xx + u
                    for pre in f["prefix"]]
            out.append(lpc[c - 1] + f["logf"](sub["y"][:, None], etas, sub["n"][:, None], fp))
        return special.logsumexp(np.stack(out), axis=0)

    spec = ModelSpec()
    spec.add_class("c", 2)
    kw = {"trials": "n"} if f["trials"] else {}
    if f["by_kind"]:
        kw[f["by_kind"]] = ["c"]
    spec.add_outcome("y", f["family"], **kw)
    if f["intercept"]:
        spec.add_term("y", by=["c"])
    spec.add_term("y", "x")
    spec.add_block("re", ["u0"])
    spec.add_term("y", "1", latent="u0")
    spec.add_term("c")
    spec.add_term("c", "w")
    return dict(spec=spec, df=df, cluster="g", nat=nat, n_points=f["mixture_points"],
                Sigma=_sigma1("Var(u0)"), row_logf=row_logf)


for _key in FAMILY_ORACLES:
    CASES[f"{_key}_ri"] = lambda key=_key: family_ri(key)
    CASES[f"{_key}_mixture"] = lambda key=_key: family_mixture(key)


def _two_re(outcome):
    df = shuffled(_ri_data(7, [4, 3, 4, 2, 3], outcome), 7)
    nat = {"y~1": 0.3, "y~x": 0.6, "Var(u0)": 0.6, "Cov(u0,u1)": 0.2, "Var(u1)": 0.4}
    if outcome == "normal":
        nat["Var(y)"] = 0.9

    def row_logf(sub, d, B, nat):
        xx = sub["x"][:, None]
        eta = nat["y~1"] + nat["y~x"] * xx + B[None, :, 0] + xx * B[None, :, 1]
        y = sub["y"][:, None]
        if outcome == "normal":
            return stats.norm.logpdf(y, eta, np.sqrt(nat["Var(y)"]))
        return np.where(y == 1, LOG_EXPIT(eta), LOG_EXPIT(-eta))

    spec = ModelSpec()
    spec.add_outcome("y", outcome)
    spec.add_term("y")
    spec.add_term("y", "x")
    spec.add_block("re", ["u0", "u1"], level="cluster", covariance="free")
    spec.add_term("y", "1", latent="u0")
    spec.add_term("y", "x", latent="u1")

    def Sigma(nat, d=0):
        return np.array([[nat["Var(u0)"], nat["Cov(u0,u1)"]],
                         [nat["Cov(u0,u1)"], nat["Var(u1)"]]])

    return dict(spec=spec, df=df, cluster="g", nat=nat, n_points=40, Sigma=Sigma,
                row_logf=row_logf)


@case
def normal_two_re():
    return _two_re("normal")


@case
def binary_two_re():
    return _two_re("binary")


@case
def within_class_ri():
    rng = np.random.default_rng(8)
    sizes = [3, 4, 2, 3, 4]
    g = cluster_ids(sizes)
    n = len(g)
    w = rng.normal(size=n)
    cls = rng.integers(0, 2, size=n)
    y = np.where(cls == 0, -1.0, 1.0) + rng.normal(scale=0.8, size=n)
    z = (rng.uniform(size=n) < np.where(cls == 0, 0.2, 0.8)).astype(float)
    z[2] = np.nan  # a missing outcome: its factor drops out (FIML)
    df = shuffled(pd.DataFrame({"g": g, "w": w, "y": y, "z": z}), 8)
    nat = {"y~1[c=1]": -0.8, "y~1[c=2]": 0.9, "Var(y)": 0.7, "z~1[c=1]": -1.2,
           "z~1[c=2]": 1.1, "c#1~1": 0.3, "c#1~w": -0.6, "Var(u0)": 0.5}

    def row_logf(sub, d, B, nat):
        ww = sub["w"][:, None]
        lpc = log_softmax_ref([nat["c#1~1"] + nat["c#1~w"] * ww])     # (2, n, 1)
        y = sub["y"][:, None]
        zz = sub["z"][:, None]
        out = []
        for c in range(2):
            mu = nat[f"y~1[c={c + 1}]"] + B[None, :, 0]
            a = nat[f"z~1[c={c + 1}]"]
            lz = np.where(np.isnan(zz), 0.0,
                          np.where(zz == 1, LOG_EXPIT(a), LOG_EXPIT(-a)))
            out.append(lpc[c] + stats.norm.logpdf(y, mu, np.sqrt(nat["Var(y)"])) + lz)
        return special.logsumexp(np.stack(out), axis=0)

    spec = ModelSpec()
    spec.add_class("c", 2)
    spec.add_outcome("y", "normal")
    spec.add_outcome("z", "binary")
    spec.add_term("y", by=["c"])
    spec.add_term("z", by=["c"])
    spec.add_block("re", ["u0"])
    spec.add_term("y", "1", latent="u0")
    spec.add_term("c")
    spec.add_term("c", "w")
    return dict(spec=spec, df=df, cluster="g", nat=nat, n_points=40,
                Sigma=_sigma1("Var(u0)"), row_logf=row_logf)


@case
def between_class_ri():
    rng = np.random.default_rng(9)
    sizes = [4, 3, 4, 2, 3, 4]
    g = cluster_ids(sizes)
    n = len(g)
    x = rng.normal(size=n)
    wb = np.repeat(rng.normal(size=len(sizes)), sizes)   # a cluster-level covariate
    y = (rng.uniform(size=n) < special.expit(0.4 * x)).astype(float)
    df = shuffled(pd.DataFrame({"g": g, "x": x, "wb": wb, "y": y}), 9)
    nat = {"y~1": 0.2, "y~x[d=1]": 1.1, "y~x[d=2]": -0.7, "d#1~1": 0.4, "d#1~wb": 0.8,
           "Var(u0)": 0.6}

    def log_pd(sub, d, nat):
        eta = nat["d#1~1"] + nat["d#1~wb"] * sub["wb"][0]
        return float(log_softmax_ref([eta])[d])

    def row_logf(sub, d, B, nat):
        eta = nat["y~1"] + nat[f"y~x[d={d + 1}]"] * sub["x"][:, None] + B[None, :, 0]
        y = sub["y"][:, None]
        return np.where(y == 1, LOG_EXPIT(eta), LOG_EXPIT(-eta))

    spec = ModelSpec()
    spec.add_class("d", 2, level="between")
    spec.add_outcome("y", "binary")
    spec.add_term("y")
    spec.add_term("y", "x", by=["d"])
    spec.add_block("re", ["u0"])
    spec.add_term("y", "1", latent="u0")
    spec.add_term("d")
    spec.add_term("d", "wb")
    return dict(spec=spec, df=df, cluster="g", nat=nat, n_points=40, D=2, log_pd=log_pd,
                Sigma=_sigma1("Var(u0)"), row_logf=row_logf)


@case
def within_and_between_classes():
    rng = np.random.default_rng(10)
    sizes = [3, 4, 3, 2, 4]
    g = cluster_ids(sizes)
    n = len(g)
    x = rng.normal(size=n)
    y = rng.normal(size=n) + np.where(rng.uniform(size=n) < 0.5, -1, 1)
    z = rng.integers(0, 2, size=n).astype(float)
    df = shuffled(pd.DataFrame({"g": g, "x": x, "y": y, "z": z}), 10)
    nat = {"y~1[c=1]": -0.9, "y~1[c=2]": 0.8, "y~x[d=1]": 0.5, "y~x[d=2]": -0.3,
           "Var(y)": 0.8, "z~1[c=1]": -0.7, "z~1[c=2]": 1.0,
           "c#1~1[d=1]": 1.2, "c#1~1[d=2]": -0.9, "d#1~1": 0.3, "Var(u0)": 0.45}

    def log_pd(sub, d, nat):
        return float(log_softmax_ref([nat["d#1~1"]])[d])

    def row_logf(sub, d, B, nat):
        xx = sub["x"][:, None]
        y = sub["y"][:, None]
        zz = sub["z"][:, None]
        lpc = log_softmax_ref([nat[f"c#1~1[d={d + 1}]"]])  # (2,)
        out = []
        for c in range(2):
            mu = nat[f"y~1[c={c + 1}]"] + nat[f"y~x[d={d + 1}]"] * xx + B[None, :, 0]
            a = nat[f"z~1[c={c + 1}]"]
            out.append(lpc[c] + stats.norm.logpdf(y, mu, np.sqrt(nat["Var(y)"]))
                       + np.where(zz == 1, LOG_EXPIT(a), LOG_EXPIT(-a)))
        return special.logsumexp(np.stack(out), axis=0)

    spec = ModelSpec()
    spec.add_class("c", 2)
    spec.add_class("d", 2, level="between")
    spec.add_outcome("y", "normal")
    spec.add_outcome("z", "binary")
    spec.add_term("y", by=["c"])
    spec.add_term("y", "x", by=["d"])
    spec.add_term("z", by=["c"])
    spec.add_block("re", ["u0"])
    spec.add_term("y", "1", latent="u0")
    spec.add_term("c", by=["d"])
    spec.add_term("d")
    return dict(spec=spec, df=df, cluster="g", nat=nat, n_points=40, D=2, log_pd=log_pd,
                Sigma=_sigma1("Var(u0)"), row_logf=row_logf)


def _lta(cluster):
    rng = np.random.default_rng(11)
    n = 12
    df = pd.DataFrame({f"{v}{k}": rng.integers(0, 2, size=n).astype(float)
                       for v in "ab" for k in (1, 2, 3)})
    df["g"] = np.repeat([5, 1, 9, 3], 3)
    df = shuffled(df, 11)
    nat = {"c1#1~1": 0.4, "c2#1~1[c1=1]": 1.3, "c2#1~1[c1=2]": -1.0}
    vals = rng.normal(scale=1.2, size=12)
    for k, (v, j) in enumerate([(v, j) for v in "ab" for j in (1, 2, 3)]):
        cv = "c1" if v == "a" else "c2"
        nat[f"{v}{j}~1[{cv}=1]"] = vals[2 * k]
        nat[f"{v}{j}~1[{cv}=2]"] = vals[2 * k + 1]

    def row_logf(sub, d, B, nat):
        lp1 = log_softmax_ref([nat["c1#1~1"]])
        out = []
        for c1 in range(2):
            lp2 = log_softmax_ref([nat[f"c2#1~1[c1={c1 + 1}]"]])
            for c2 in range(2):
                s = lp1[c1] + lp2[c2] + np.zeros(len(sub))
                for v, cv in (("a", c1), ("b", c2)):
                    for j in (1, 2, 3):
                        a = nat[f"{v}{j}~1[{'c1' if v == 'a' else 'c2'}={cv + 1}]"]
                        y = sub[f"{v}{j}"]
                        s = s + np.where(y == 1, LOG_EXPIT(a), LOG_EXPIT(-a))
                out.append(s)
        return special.logsumexp(np.stack(out), axis=0)[:, None] + np.zeros((1, len(B)))

    spec = ModelSpec()
    spec.add_class("c1", 2)
    spec.add_class("c2", 2)
    for v, cv in (("a", "c1"), ("b", "c2")):
        for j in (1, 2, 3):
            spec.add_outcome(f"{v}{j}", "binary")
            spec.add_term(f"{v}{j}", by=[cv])
    spec.add_term("c1")
    spec.add_term("c2", by=["c1"])
    return dict(spec=spec, df=df, cluster=cluster, nat=nat, n_points=1, row_logf=row_logf)


@case
def lta_single_level():
    return _lta(None)


@case
def lta_clustered_no_random_effect():
    return _lta("g")


@case
def within_between_random_logit():
    rng = np.random.default_rng(12)
    sizes = [4, 3, 4, 3, 2]
    g = cluster_ids(sizes)
    n = len(g)
    df = pd.DataFrame({"g": g})
    for k in (1, 2, 3):
        df[f"y{k}"] = rng.integers(0, 2, size=n).astype(float)
    df["x"] = rng.normal(size=n)
    df = shuffled(df, 12)
    nat = {"c#1~1": 0.3, "c#1~x": -0.5, "Var(a)": 1.3,
           "y1~1[c=1]": -1.0, "y1~1[c=2]": 1.2, "y2~1[c=1]": -0.6, "y2~1[c=2]": 0.8,
           "y3~1[c=1]": 0.4, "y3~1[c=2]": -0.9}

    def row_logf(sub, d, B, nat):
        lpc = log_softmax_ref([nat["c#1~1"] + nat["c#1~x"] * sub["x"][:, None]
                               + B[None, :, 0]])          # (2, n, G)
        out = []
        for c in range(2):
            s = lpc[c]
            for k in (1, 2, 3):
                a = nat[f"y{k}~1[c={c + 1}]"]
                y = sub[f"y{k}"][:, None]
                s = s + np.where(y == 1, LOG_EXPIT(a), LOG_EXPIT(-a))
            out.append(s)
        return special.logsumexp(np.stack(out), axis=0)

    spec = ModelSpec()
    spec.add_class("c", 2)
    for k in (1, 2, 3):
        spec.add_outcome(f"y{k}", "binary")
        spec.add_term(f"y{k}", by=["c"])
    spec.add_block("a", ["a"], level="cluster", covariance="free")
    spec.add_term("c")
    spec.add_term("c", "x")
    spec.add_term("c", latent="a")
    return dict(spec=spec, df=df, cluster="g", nat=nat, n_points=40,
                Sigma=_sigma1("Var(a)"), row_logf=row_logf)


@case
def irt_2pl_single_level():
    rng = np.random.default_rng(13)
    n, items = 10, ["u1", "u2", "u3", "u4"]
    theta = rng.normal(size=n)
    df = pd.DataFrame({u: (rng.uniform(size=n) < special.expit(theta + k - 1.5)).astype(float)
                       for k, u in enumerate(items)})
    nat = {}
    for k, u in enumerate(items):
        nat[f"{u}~1"] = -0.8 + 0.5 * k
        nat[f"{u}~1*f"] = 0.6 + 0.4 * k

    def row_logf(sub, d, B, nat):
        s = 0.0
        for u in items:
            eta = nat[f"{u}~1"] + nat[f"{u}~1*f"] * B[None, :, 0]
            y = sub[u][:, None]
            s = s + np.where(y == 1, LOG_EXPIT(eta), LOG_EXPIT(-eta))
        return s

    spec = ModelSpec()
    for u in items:
        spec.add_outcome(u, "binary")
        spec.add_term(u)
    spec.add_block("f", ["f"], level="cluster", covariance="identity")
    for u in items:
        spec.add_term(u, latent="f")
    return dict(spec=spec, df=df, cluster=None, nat=nat, n_points=60,
                Sigma=lambda nat, d=0: np.eye(1), row_logf=row_logf)


@case
def covariance_by_between_class():
    """Random-intercept variance that differs between the between classes."""
    rng = np.random.default_rng(30)
    sizes = [4, 3, 4, 2, 3, 4]
    g = cluster_ids(sizes)
    n = len(g)
    df = shuffled(pd.DataFrame({"g": g, "y": rng.normal(size=n)}), 30)
    nat = {"y~1[d=1]": -0.5, "y~1[d=2]": 0.6, "Var(y)": 1.0, "Var(u0)[d=1]": 0.3,
           "Var(u0)[d=2]": 0.8, "d#1~1": 0.2}

    def log_pd(sub, d, nat):
        return float(log_softmax_ref([nat["d#1~1"]])[d])

    def row_logf(sub, d, B, nat):
        return stats.norm.logpdf(sub["y"][:, None], nat[f"y~1[d={d + 1}]"] + B[None, :, 0],
                                 np.sqrt(nat["Var(y)"]))

    spec = ModelSpec()
    spec.add_class("d", 2, level="between")
    spec.add_outcome("y", "normal")
    spec.add_term("y", by=["d"])
    spec.add_block("re", ["u0"], by=["d"])
    spec.add_term("y", "1", latent="u0")
    spec.add_term("d")
    return dict(spec=spec, df=df, cluster="g", nat=nat, n_points=60, D=2, log_pd=log_pd,
                Sigma=lambda nat, d: np.array([[nat[f"Var(u0)[d={d + 1}]"]]]),
                row_logf=row_logf)


@case
def three_classes_mixed_families():
    """3 within classes; normal (residual variance by class), nominal (by class, with a
    missing value) and probit-ordinal (thresholds by class) items; a random intercept
    shared by the normal and the ordinal item; class logits on a covariate."""
    rng = np.random.default_rng(40)
    sizes = [3, 4, 3, 2]
    g = cluster_ids(sizes)
    n = len(g)
    df = pd.DataFrame({"g": g, "x": rng.normal(size=n), "y": rng.normal(size=n),
                       "m": rng.integers(0, 3, size=n).astype(float),
                       "o": rng.integers(0, 3, size=n).astype(float)})
    df.loc[0, "m"] = np.nan
    df = shuffled(df, 40)
    nat = {"c#1~1": 0.2, "c#2~1": -0.3, "c#1~x": 0.5, "c#2~x": -0.4, "o~x": 0.3,
           "Var(u0)": 0.4}
    for c in (1, 2, 3):
        nat[f"y~1[c={c}]"] = c - 2.0
        nat[f"Var(y)[c={c}]"] = 0.5 + 0.2 * c
        nat[f"m#1~1[c={c}]"] = 0.3 * c - 0.5
        nat[f"m#2~1[c={c}]"] = -0.2 * c + 0.4
        nat[f"o|t1[c={c}]"] = -0.6 + 0.1 * c
        nat[f"o|t2[c={c}]"] = 0.5 + 0.2 * c

    def row_logf(sub, d, B, nat):
        x = sub["x"][:, None]
        u = B[None, :, 0]
        lpc = log_softmax_ref([nat["c#1~1"] + nat["c#1~x"] * x,
                               nat["c#2~1"] + nat["c#2~x"] * x])
        mm = sub["m"]
        out = []
        for c in (1, 2, 3):
            s = lpc[c - 1] + stats.norm.logpdf(sub["y"][:, None], nat[f"y~1[c={c}]"] + u,
                                               np.sqrt(nat[f"Var(y)[c={c}]"]))
            lm = log_softmax_ref([nat[f"m#1~1[c={c}]"], nat[f"m#2~1[c={c}]"]])
            s = s + np.where(np.isnan(mm), 0.0, lm[np.nan_to_num(mm).astype(int)])[:, None]
            tau = np.array([-np.inf, nat[f"o|t1[c={c}]"], nat[f"o|t2[c={c}]"], np.inf])
            k = sub["o"].astype(int)
            eta = nat["o~x"] * x + u
            with np.errstate(divide="ignore"):
                s = s + np.log(stats.norm.cdf(tau[k + 1][:, None] - eta)
                               - stats.norm.cdf(tau[k][:, None] - eta))
            out.append(s)
        return special.logsumexp(np.stack(out), axis=0)

    spec = ModelSpec()
    spec.add_class("c", 3)
    spec.add_outcome("y", "normal", residual_by=["c"])
    spec.add_outcome("m", "nominal")
    spec.add_outcome("o", Ordinal("probit"), threshold_by=["c"])
    spec.add_term("y", by=["c"])
    spec.add_term("m", by=["c"])
    spec.add_term("o", "x")
    spec.add_block("re", ["u0"])
    spec.add_term("y", "1", latent="u0")
    spec.add_term("o", "1", latent="u0")
    spec.add_term("c")
    spec.add_term("c", "x")
    return dict(spec=spec, df=df, cluster="g", nat=nat, n_points=60,
                Sigma=_sigma1("Var(u0)"), row_logf=row_logf)


@case
def row_factor_and_cluster_intercept():
    """Two-level: a row-level factor (own loadings) inside a cluster random intercept,
    a nested integral int phi(b) prod_i int phi(f_i) prod_p f(y_ip | b, f_i) df_i db."""
    rng = np.random.default_rng(31)
    sizes = [3, 2, 3, 2]
    g = cluster_ids(sizes)
    n = len(g)
    items = ["u1", "u2", "u3"]
    df = shuffled(pd.DataFrame({"g": g, **{u: rng.integers(0, 2, size=n).astype(float)
                                            for u in items}}), 31)
    nat = {"Var(u0)": 0.5}
    for k, u in enumerate(items, 1):
        nat[f"{u}~1"] = -0.5 + 0.4 * k
        nat[f"{u}~1*fw"] = 0.5 + 0.3 * k

    def oracle(nat):
        zf, lwf = _gh_product(1, 100)
        zb, lwb = _gh_product(1, 100)
        b = np.sqrt(nat["Var(u0)"]) * zb[:, 0]
        total = 0.0
        for sub in cluster_groups(df, "g"):
            acc = lwb.copy()
            for i in range(len(sub)):
                s = 0.0
                for u in items:
                    eta = nat[f"{u}~1"] + nat[f"{u}~1*fw"] * zf[None, :, 0] + b[:, None]
                    s = s + (LOG_EXPIT(eta) if sub[u][i] == 1 else LOG_EXPIT(-eta))
                acc = acc + special.logsumexp(lwf[None, :] + s, axis=1)
            total += float(special.logsumexp(acc))
        return total

    spec = ModelSpec()
    for u in items:
        spec.add_outcome(u, "binary")
        spec.add_term(u)
    spec.add_block("fw", ["fw"], level="row", covariance="identity")
    spec.add_block("re", ["u0"], level="cluster")
    for u in items:
        spec.add_term(u, latent="fw")
        spec.add_term(u, "1", latent="u0")
    return dict(spec=spec, df=df, cluster="g", nat=nat, n_points=30, oracle=oracle)


@case
def kitchen_sink_same_rule():
    """Two between class variables (d2 depends on d1, d1 on a cluster covariate), a
    within class depending on d2, intercepts by (c, d2), three correlated random
    effects (intercept, slope, intercept of a second outcome) and row weights.

    The 3-D integral is not converged at an affordable rule, so here the oracle uses the
    same 7-point-per-dimension Gauss-Hermite rule (from scipy) as the engine: both then
    compute the same finite sum, and they must agree to rounding.
    """
    rng = np.random.default_rng(50)
    sizes = [3, 4, 2, 3]
    g = cluster_ids(sizes)
    n = len(g)
    df = shuffled(pd.DataFrame({
        "g": g, "x": rng.normal(size=n), "y": rng.normal(size=n),
        "z": rng.integers(0, 2, size=n).astype(float),
        "wb": np.repeat(rng.normal(size=len(sizes)), sizes),
        "fw": rng.integers(1, 4, size=n).astype(float)}), 50)
    nat = {"y~x": 0.4, "Var(y)": 0.8, "d1#1~1": 0.3, "d1#1~wb": -0.7,
           "d2#1~1[d1=1]": 0.5, "d2#1~1[d1=2]": -0.4, "d2#2~1[d1=1]": -0.2,
           "d2#2~1[d1=2]": 0.6, "z~1[d1=1]": -0.8, "z~1[d1=2]": 0.9,
           "c#1~1[d2=1]": 0.7, "c#1~1[d2=2]": -0.5, "c#1~1[d2=3]": 0.1}
    for c in (1, 2):
        for d2 in (1, 2, 3):
            nat[f"y~1[c={c},d2={d2}]"] = (-1) ** c * 0.6 + 0.2 * d2
    Sig = np.array([[0.5, 0.1, -0.1], [0.1, 0.3, 0.05], [-0.1, 0.05, 0.4]])
    for a in range(3):
        for b in range(a + 1):
            nat[f"Var(u{a})" if a == b else f"Cov(u{b},u{a})"] = Sig[a, b]
    pats = [(d1, d2) for d1 in range(2) for d2 in range(3)]

    def log_pd(sub, d, nat):
        d1, d2 = pats[d]
        l1 = log_softmax_ref([nat["d1#1~1"] + nat["d1#1~wb"] * sub["wb"][0]])[d1]
        l2 = log_softmax_ref([nat[f"d2#1~1[d1={d1 + 1}]"], nat[f"d2#2~1[d1={d1 + 1}]"]])[d2]
        return float(l1 + l2)

    def row_logf(sub, d, B, nat):
        d1, d2 = pats[d]
        x = sub["x"][:, None]
        zz = sub["z"][:, None]
        lpc = log_softmax_ref([nat[f"c#1~1[d2={d2 + 1}]"]])
        out = []
        for c in range(2):
            mu = (nat[f"y~1[c={c + 1},d2={d2 + 1}]"] + nat["y~x"] * x + B[None, :, 0]
                  + x * B[None, :, 1])
            a = nat[f"z~1[d1={d1 + 1}]"] + B[None, :, 2]
            out.append(lpc[c] + stats.norm.logpdf(sub["y"][:, None], mu, np.sqrt(nat["Var(y)"]))
                       + np.where(zz == 1, LOG_EXPIT(a), LOG_EXPIT(-a)))
        return special.logsumexp(np.stack(out), axis=0)

    def Sigma(nat, d):
        S = np.zeros((3, 3))
        for a in range(3):
            for b in range(a + 1):
                S[a, b] = S[b, a] = nat[f"Var(u{a})" if a == b else f"Cov(u{b},u{a})"]
        return S

    spec = ModelSpec()
    spec.add_class("c", 2)
    spec.add_class("d1", 2, level="between")
    spec.add_class("d2", 3, level="between")
    spec.add_outcome("y", "normal")
    spec.add_outcome("z", "binary")
    spec.add_term("y", by=["c", "d2"])
    spec.add_term("z", by=["d1"])
    spec.add_term("y", "x")
    spec.add_block("re", ["u0", "u1", "u2"])
    spec.add_term("y", "1", latent="u0")
    spec.add_term("y", "x", latent="u1")
    spec.add_term("z", "1", latent="u2")
    spec.add_term("c", by=["d2"])
    spec.add_term("d1")
    spec.add_term("d1", "wb")
    spec.add_term("d2", by=["d1"])
    return dict(spec=spec, df=df, cluster="g", weights="fw", nat=nat, n_points=7,
                oracle_points=7, D=6, log_pd=log_pd, Sigma=Sigma, row_logf=row_logf)


def _lca_data(seed, n):
    rng = np.random.default_rng(seed)
    return pd.DataFrame({f"y{k}": rng.integers(0, 2, size=n).astype(float) for k in (1, 2, 3)})


LCA_NAT = {"c#1~1": 0.35, "y1~1[c=1]": -1.1, "y1~1[c=2]": 0.9, "y2~1[c=1]": -0.4,
           "y2~1[c=2]": 1.3, "y3~1[c=1]": 0.7, "y3~1[c=2]": -1.5}


def _lca_spec():
    spec = ModelSpec()
    spec.add_class("c", 2)
    for k in (1, 2, 3):
        spec.add_outcome(f"y{k}", "binary")
        spec.add_term(f"y{k}", by=["c"])
    spec.add_term("c")
    return spec


def _lca_row_logf(sub, d, B, nat):
    lpc = log_softmax_ref([nat["c#1~1"]])
    out = []
    for c in range(2):
        s = lpc[c] + np.zeros(len(sub))
        for k in (1, 2, 3):
            a = nat[f"y{k}~1[c={c + 1}]"]
            s = s + np.where(sub[f"y{k}"] == 1, LOG_EXPIT(a), LOG_EXPIT(-a))
        out.append(s)
    return special.logsumexp(np.stack(out), axis=0)[:, None] + np.zeros((1, len(B)))


@case
def lca_frequency_weights():
    df = _lca_data(14, 8)
    df["fw"] = np.random.default_rng(14).integers(1, 5, size=len(df)).astype(float)
    return dict(spec=_lca_spec(), df=df, cluster=None, weights="fw", nat=dict(LCA_NAT),
                n_points=1, row_logf=_lca_row_logf)


def _rw_data():
    df = _ri_data(15, [3, 2, 4, 3], "binary")
    df["fw"] = np.random.default_rng(15).integers(1, 4, size=len(df)).astype(float)
    return shuffled(df, 15)


@case
def binary_ri_row_weights():
    c = family_ri("binary_logit")
    c["df"] = _rw_data().assign(n=1.0)
    c["weights"] = "fw"
    return c


# --------------------------------------------------------------------------
# tests: likelihood, gradient and cluster scores of every model
# --------------------------------------------------------------------------


def build(name):
    c = CASES[name]()
    eng, w = make_engine(c["spec"], c["df"], c["nat"], cluster=c["cluster"],
                         weights=c.get("weights"), n_points=c["n_points"])
    return c, eng, w


@pytest.mark.parametrize("name", list(CASES))
def test_loglike_matches_bruteforce(name):
    c, eng, w = build(name)
    ll = eng.loglike(w)
    ref = oracle_loglike(c, c["nat"])
    assert np.isfinite(ref)
    assert abs(ll - ref) < 1e-8 * max(1.0, abs(ref)), (
        f"{name}: engine loglike {ll!r} != brute force {ref!r} (diff {ll - ref:.3e})")


def perturbed(w, seed=99, scale=0.25):
    """A second parameter point: a random perturbation of the working vector."""
    return w + np.random.default_rng(seed).normal(scale=scale, size=len(w))


@pytest.mark.parametrize("point", ["start", "perturbed"])
@pytest.mark.parametrize("name", list(CASES))
def test_gradient_and_cluster_scores(name, point):
    c, eng, w = build(name)
    if point == "perturbed":
        w = perturbed(w)
    ll, grad, _ = eng.loglike_and_score(w)
    assert ll == pytest.approx(eng.loglike(w), abs=1e-12)
    fd = fd_gradient(eng.loglike, w)
    bad = ~np.isclose(grad, fd, rtol=1e-5, atol=1e-6 * max(1.0, abs(ll)))
    names = eng.table.free_names
    assert not bad.any(), (
        f"{name} ({point}): analytic gradient differs from finite differences for "
        + "; ".join(f"{names[k]}: analytic {grad[k]:.10g} vs FD {fd[k]:.10g}"
                    for k in np.flatnonzero(bad)))
    S = eng.score_obs(w)
    assert S.shape == (eng.design.n_clusters, eng.table.n_free)
    np.testing.assert_allclose(S.sum(axis=0), grad, rtol=1e-10, atol=1e-10,
                               err_msg=f"{name} ({point}): cluster scores do not add up "
                               "to the gradient")


@pytest.mark.parametrize("name", list(CASES))
def test_q_function_gradient(name):
    """The EM Q-function (posterior weights fixed at w) and its gradient at another point."""
    c, eng, w = build(name)
    es = eng.estep(w)
    w2 = perturbed(w, seed=5, scale=0.2)
    q, g = eng.expected(w2, es)
    fd = fd_gradient(lambda v: eng.expected(v, es)[0], w2)
    bad = ~np.isclose(g, fd, rtol=1e-5, atol=1e-6 * max(1.0, abs(q)))
    assert not bad.any(), (
        f"{name}: Q-function gradient differs from finite differences for "
        + "; ".join(f"{eng.table.free_names[k]}: analytic {g[k]:.10g} vs FD {fd[k]:.10g}"
                    for k in np.flatnonzero(bad)))


@pytest.mark.parametrize("name", [n for n in CASES if CASES[n]()["n_points"] > 1
                                  and "oracle_points" not in CASES[n]()])
def test_engine_rule_is_converged(name):
    """Guard the comparison: the engine's rule at n_points already equals 2 * n_points.

    If this passes and the brute-force comparison fails, the difference is not
    quadrature error.
    """
    c, eng, w = build(name)
    c2 = CASES[name]()
    eng2, w2 = make_engine(c2["spec"], c2["df"], c2["nat"], cluster=c2["cluster"],
                           weights=c2.get("weights"), n_points=2 * c2["n_points"])
    a, b = eng.loglike(w), eng2.loglike(w2)
    assert abs(a - b) < 1e-9 * max(1, abs(b)), (
        f"{name}: {c['n_points']} points give {a!r}, {2 * c['n_points']} give {b!r}")


@pytest.mark.parametrize("name", ["poisson_ri", "ordinal_probit_ri", "between_class_ri",
                                  "truncated_poisson_ri"])
def test_oracle_rules_are_converged_1d(name):
    """Guard the oracle itself: its 200-point GH sum equals adaptive scipy quad."""
    c = CASES[name]()
    gh = oracle_loglike(c, c["nat"])
    qd = oracle_loglike(c, c["nat"], method="quad")
    assert abs(gh - qd) < 1e-10 * max(1, abs(qd)), (gh, qd)


@pytest.mark.parametrize("name", ["normal_two_re", "binary_two_re"])
def test_oracle_rules_are_converged_2d(name):
    """Guard the oracle itself: 80 x 80 GH equals 120 x 120 GH."""
    c = CASES[name]()
    a = oracle_loglike(c, c["nat"])
    b = oracle_loglike(c, c["nat"], n_gh=120)
    assert abs(a - b) < 1e-11 * max(1, abs(b)), (a, b)


@pytest.mark.parametrize("name", list(CASES))
def test_loglike_matches_bruteforce_at_perturbed_point(name):
    """A second, random parameter point (working-scale perturbation) per model."""
    c, eng, w = build(name)
    w2 = perturbed(w)
    nat2 = dict(zip(eng.table.free_names, eng.table.free_natural_from_working(w2),
                    strict=True))
    ref = oracle_loglike(c, nat2)
    ll = eng.loglike(w2)
    assert abs(ll - ref) < 1e-8 * max(1.0, abs(ref)), (
        f"{name} at a perturbed point: engine {ll!r} != brute force {ref!r} "
        f"(diff {ll - ref:.3e})")


# --------------------------------------------------------------------------
# frequency weights against expanded data
# --------------------------------------------------------------------------


def _expand(df, wcol):
    return df.loc[df.index.repeat(df[wcol].astype(int))].drop(columns=wcol) \
        .reset_index(drop=True)


def test_lca_weights_equal_expanded_data():
    df = _lca_data(14, 8)
    df["fw"] = np.random.default_rng(14).integers(1, 5, size=len(df)).astype(float)
    eng_w, w = make_engine(_lca_spec(), df, LCA_NAT, cluster=None, weights="fw")
    eng_x, w_x = make_engine(_lca_spec(), _expand(df, "fw"), LCA_NAT, cluster=None)
    assert eng_w.table.free_names == eng_x.table.free_names
    ll_w, g_w, _ = eng_w.loglike_and_score(w)
    ll_x, g_x, _ = eng_x.loglike_and_score(w_x)
    assert abs(ll_w - ll_x) < 1e-10 * max(1, abs(ll_x)), (ll_w, ll_x)
    np.testing.assert_allclose(g_w, g_x, rtol=1e-10, atol=1e-10)


def test_two_level_row_weights_equal_replicated_rows():
    df = _rw_data()
    nat = {"y~1": 0.2, "y~x": 0.8, "Var(u0)": 0.9}
    eng_w, w = make_engine(_ri_spec("binary"), df, nat, weights="fw")
    eng_x, w_x = make_engine(_ri_spec("binary"), _expand(df, "fw"), nat)
    assert not eng_w.design.single_level
    ll_w, g_w, _ = eng_w.loglike_and_score(w)
    ll_x, g_x, _ = eng_x.loglike_and_score(w_x)
    assert abs(ll_w - ll_x) < 1e-10 * max(1, abs(ll_x)), (
        f"row-weighted LL {ll_w!r} != LL of replicated rows {ll_x!r}")
    np.testing.assert_allclose(g_w, g_x, rtol=1e-9, atol=1e-10)
    np.testing.assert_allclose(eng_w.score_obs(w), eng_x.score_obs(w_x), rtol=1e-9,
                               atol=1e-10)


# --------------------------------------------------------------------------
# EM is monotone with a non-adaptive rule
# --------------------------------------------------------------------------


def test_em_monotone_binary_ri_within_class():
    from mixlevel.estimation import em

    rng = np.random.default_rng(21)
    sizes = [4, 3, 5, 4, 3, 4, 5, 3]
    g = cluster_ids(sizes)
    n = len(g)
    u = rng.normal(size=len(sizes))[np.searchsorted(np.unique(g), g)]
    cls = rng.integers(0, 2, size=n)
    df = pd.DataFrame({"g": g})
    for k in (1, 2, 3):
        df[f"y{k}"] = (rng.uniform(size=n) < special.expit(2.0 * cls - 1 + u)).astype(float)
    spec = ModelSpec()
    spec.add_class("c", 2)
    spec.add_block("re", ["u0"])
    for k in (1, 2, 3):
        spec.add_outcome(f"y{k}", "binary")
        spec.add_term(f"y{k}", by=["c"])
        spec.add_term(f"y{k}", "1", latent="u0")
    spec.add_term("c")
    nat = {"c#1~1": 0.2, "Var(u0)": 0.5}
    for k in (1, 2, 3):
        nat[f"y{k}~1[c=1]"] = -0.5 + 0.1 * k
        nat[f"y{k}~1[c=2]"] = 0.6 - 0.1 * k
    eng, w = make_engine(spec, df, nat, integration="trapezoid", n_points=11)
    assert not eng.adaptive
    ll0 = eng.loglike(w)
    h = []
    em(eng, w, maxiter=15, history=h)
    seq = np.array([ll0] + h)
    assert len(h) >= 2
    assert np.all(np.diff(seq) >= -1e-9), f"EM decreased the log-likelihood: {seq}"
    assert seq[-1] > ll0


def test_em_monotone_normal_mixture_regression():
    from mixlevel.estimation import em

    rng = np.random.default_rng(22)
    n = 40
    x = rng.normal(size=n)
    cls = rng.integers(0, 2, size=n)
    y = np.where(cls == 0, 1.0 + 2.0 * x, -1.0 - x) + rng.normal(scale=0.5, size=n)
    df = pd.DataFrame({"x": x, "y": y})
    spec = ModelSpec()
    spec.add_class("c", 2)
    spec.add_outcome("y", "normal", residual_by=["c"])
    spec.add_term("y", by=["c"])
    spec.add_term("y", "x", by=["c"])
    spec.add_term("c")
    nat = {"y~1[c=1]": 0.5, "y~1[c=2]": -0.3, "y~x[c=1]": 0.4, "y~x[c=2]": -0.2,
           "Var(y)[c=1]": 1.5, "Var(y)[c=2]": 1.0, "c#1~1": 0.1}
    eng, w = make_engine(spec, df, nat, cluster=None, integration="trapezoid", n_points=1)
    ll0 = eng.loglike(w)
    h = []
    em(eng, w, maxiter=15, history=h)
    seq = np.array([ll0] + h)
    assert len(h) >= 2
    assert np.all(np.diff(seq) >= -1e-9), f"EM decreased the log-likelihood: {seq}"
    assert seq[-1] > ll0


# --------------------------------------------------------------------------
# densities far in the tails (no integral): against 60-digit mpmath
# --------------------------------------------------------------------------

EXTREME = {
    # family, coefficients, outcome values cycled over the rows, trials
    "logit": ("binary", {"y~1": 0.0, "y~x": 40.0}, [0, 1], None),
    "probit": (Binary("probit"), {"y~1": 0.0, "y~x": 45.0}, [0, 1, 1, 0], None),
    "binomial_logit": (Binomial("logit"), {"y~1": 0.0, "y~x": 40.0}, [0, 2, 5, 1], 5),
    "binomial_probit": (Binomial("probit"), {"y~1": 0.0, "y~x": 45.0}, [0, 2, 5, 1], 5),
    "ordinal_logit": ("ordinal", {"y~x": 40.0, "y|t1": -0.5, "y|t2": 0.9}, [0, 1, 2], None),
    "ordinal_probit": (Ordinal("probit"), {"y~x": 45.0, "y|t1": -0.5, "y|t2": 0.9},
                       [0, 1, 2], None),
    "nominal": ("nominal", {"y#1~1": 0.5, "y#2~1": -0.5, "y#1~x": 40.0, "y#2~x": -30.0},
                [0, 1, 2], None),
    "poisson": ("poisson", {"y~1": -12.0, "y~x": 18.0}, [0, 1, 3, 50], None),
    # eta from -30 (P(y >= 1) ~ 1e-13: the series branch) to 6
    "truncated_poisson": (ZeroTruncatedPoisson(), {"y~1": -12.0, "y~x": 18.0}, [1, 2, 3, 50],
                          None),
}


def _mp_row_loglike(kind, nat, x, y, n):
    import mpmath as mp

    mp.mp.dps = 60
    x, y = mp.mpf(x), int(y)

    def F(t, probit):
        return mp.ncdf(t) if probit else 1 / (1 + mp.exp(-t))

    if kind in ("logit", "probit", "binomial_logit", "binomial_probit"):
        eta = nat["y~1"] + nat["y~x"] * x
        p = F(eta, "probit" in kind)
        q = F(-eta, "probit" in kind)          # 1 - p without cancellation
        if kind in ("logit", "probit"):
            return mp.log(p if y == 1 else q)
        return mp.log(mp.binomial(n, y)) + y * mp.log(p) + (n - y) * mp.log(q)
    if kind.startswith("ordinal"):
        eta = nat["y~x"] * x
        tau = [None, mp.mpf(nat["y|t1"]), mp.mpf(nat["y|t2"]), None]
        probit = kind == "ordinal_probit"
        up = 1 if tau[y + 1] is None else F(tau[y + 1] - eta, probit)
        lo = 0 if tau[y] is None else F(tau[y] - eta, probit)
        return mp.log(up - lo)
    if kind == "nominal":
        eta = [nat["y#1~1"] + nat["y#1~x"] * x, nat["y#2~1"] + nat["y#2~x"] * x, mp.mpf(0)]
        return eta[y] - mp.log(mp.fsum(mp.exp(e) for e in eta))
    eta = nat["y~1"] + nat["y~x"] * x                     # poisson
    if kind == "truncated_poisson":  # given y >= 1: minus log P(y >= 1) = log(1 - e^-mu)
        return y * eta - mp.exp(eta) - mp.loggamma(y + 1) - mp.log(-mp.expm1(-mp.exp(eta)))
    return y * eta - mp.exp(eta) - mp.loggamma(y + 1)


@pytest.mark.parametrize("kind", list(EXTREME))
def test_tail_densities_match_mpmath(kind):
    family, nat, ys, trials = EXTREME[kind]
    x = np.linspace(-1.0, 1.0, 13)
    y = np.resize(np.asarray(ys, float), len(x))
    if kind.startswith("ordinal") or kind == "nominal":
        y[:3] = [0, 1, 2]
    df = pd.DataFrame({"x": x, "y": y})
    spec = ModelSpec()
    if trials is not None:
        df["n"] = float(trials)
        spec.add_outcome("y", family, trials="n")
    else:
        spec.add_outcome("y", family)
    if any(k.endswith("~1") for k in nat):
        spec.add_term("y")
    spec.add_term("y", "x")
    eng, w = make_engine(spec, df, nat, cluster=None, n_points=1)
    es = eng.estep(w)
    got = es.ll_cluster[np.argsort(eng.design.order)]   # back to the data's row order
    ref = np.array([float(_mp_row_loglike(kind, nat, xi, yi, trials))
                    for xi, yi in zip(x, y, strict=True)])
    bad = ~(np.abs(got - ref) <= 1e-9 * np.maximum(1.0, np.abs(ref)))
    assert not bad.any(), (
        f"{kind}: row log-likelihoods differ from mpmath at "
        + "; ".join(f"x={x[i]:.4g}, y={y[i]:g}: engine {got[i]!r} vs exact {ref[i]!r}"
                    for i in np.flatnonzero(bad)))
    ll, grad, _ = eng.loglike_and_score(w)
    fd = fd_gradient(eng.loglike, w, h=1e-6)
    np.testing.assert_allclose(grad, fd, rtol=1e-5, atol=1e-6 * max(1.0, abs(ll)),
                               err_msg=f"{kind}: gradient in the tails")
