"""Small fitted models shared by the tests (the session fixtures of conftest.py).

Simulated models fitted from near-true start values, so each fit takes a
fraction of a second, built with the specification API
(``make_*``) and with formulas (``formula_*``, which also exercise the
formula layer's new-data transforms and pickling); the peer-comparison models
on real data are in :mod:`tests.peer_models`.
"""

import warnings
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd
from scipy.special import expit, logit

import mixlevel as ml
from mixlevel.errors import EstimationWarning

ITEMS = ["u1", "u2", "u3", "u4"]
P_LCA = np.array([[0.9, 0.8, 0.85, 0.2], [0.2, 0.1, 0.3, 0.7]])


# ---------------------------------------------------------------------------------------
# specification API
# ---------------------------------------------------------------------------------------
def quiet_fit(model, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", EstimationWarning)
        return model.fit(**kw)


def lca_data(n=600, seed=1, pi=0.6):
    rng = np.random.default_rng(seed)
    c = np.where(rng.random(n) < pi, 0, 1)
    y = (rng.random((n, 4)) < P_LCA[c]).astype(float)
    return pd.DataFrame(y, columns=ITEMS)


def lca_spec(k=2):
    spec = ml.ModelSpec()
    spec.add_class("c", k)
    for it in ITEMS:
        spec.add_outcome(it, "binary")
        spec.add_term(it, by=["c"])
    spec.add_term("c")
    return spec


def lca_start(pi=0.6):
    return list(logit(P_LCA.T).ravel()) + [logit(pi)]


def make_lca(n=600, seed=1, cov_type="MLR"):
    return quiet_fit(ml.MixtureModel(lca_spec(), lca_data(n, seed)), start_params=lca_start(),
                     em_iter=0, cov_type=cov_type)


def bw_frame(J=30, m=6, seed=2):
    rng = np.random.default_rng(seed)
    d = np.where(rng.random(J) < 0.6, 0, 1)
    cl = np.repeat(np.arange(J), m)
    c = np.where(rng.random(J * m) < np.where(d[cl] == 0, 0.85, 0.2), 0, 1)
    y = (rng.random((J * m, 3)) < P_LCA[c][:, :3]).astype(float)
    df = pd.DataFrame(y, columns=ITEMS[:3])
    df["school"] = cl + 100
    return df


def make_between_within():
    """Between class d, within class c regressed on d (paper sec. 6), 3 binary items."""
    spec = ml.ModelSpec()
    spec.add_class("d", 2, level="between")
    spec.add_class("c", 2)
    for it in ITEMS[:3]:
        spec.add_outcome(it, "binary")
        spec.add_term(it, by=["c"])
    spec.add_term("c", by=["d"])
    spec.add_term("d")
    start = list(logit(P_LCA[:, :3].T).ravel()) + [logit(0.85), logit(0.2), logit(0.6)]
    return quiet_fit(ml.MixtureModel(spec, bw_frame(), cluster="school"), start_params=start,
                     em_iter=0)


def twolevel_data(J=40, m=10, seed=1):
    rng = np.random.default_rng(seed)
    d = rng.random(J) < 0.5
    cl = np.repeat(np.arange(J), m)
    cw = rng.random(J * m) < np.where(d[cl], 0.8, 0.3)
    yb = (rng.random((J * m, 4)) < P_LCA[np.where(cw, 0, 1)]).astype(float)
    b = rng.normal(scale=0.7, size=J)
    x = rng.normal(size=J * m)
    yn = np.where(cw, 1.0, -1.0) + 0.5 * x + b[cl] + rng.normal(scale=0.8, size=J * m)
    df = pd.DataFrame(yb, columns=ITEMS)
    df["y"], df["x"], df["school"] = yn, x, cl
    return df


def twolevel_spec():
    spec = ml.ModelSpec()
    spec.add_class("d", 2, level="between")
    spec.add_class("c", 2)
    for it in ITEMS:
        spec.add_outcome(it, "binary")
        spec.add_term(it, by=["c"])
    spec.add_outcome("y", "normal")
    spec.add_term("y", by=["c"])
    spec.add_term("y", "x")
    spec.add_block("school", ["1|school"])
    spec.add_term("y", latent="1|school")
    spec.add_term("c", by=["d"])
    spec.add_term("d")
    return spec


TWOLEVEL_START = [2.48, -1.65, 1.05, -1.89, 1.51, -0.66, -1.67, 0.56, 1.21, -0.84, 0.53, 0.41,
                  -0.62, 1.64, 0.04, 0.57]


def make_twolevel():
    """Within and between classes, a random intercept and a covariate (15-point trapezoid
    rule, spelled out: a test recomputes the posterior on its nodes)."""
    model = ml.MixtureModel(twolevel_spec(), twolevel_data(), cluster="school",
                            integration="trapezoid", n_points=15)
    return quiet_fit(model, start_params=TWOLEVEL_START, em_iter=0)


def make_random_intercept(with_re=True, J=25, m=4, seed=5):
    """Normal outcome, cluster random intercept, adaptive Gauss-Hermite (no classes)."""
    rng = np.random.default_rng(seed)
    cl = np.repeat(np.arange(J), m)
    y = 1.0 + rng.normal(scale=0.8, size=J)[cl] + rng.normal(scale=1.0, size=J * m)
    df = pd.DataFrame({"y": y, "g": cl})
    spec = ml.ModelSpec()
    spec.add_outcome("y", "normal")
    spec.add_term("y")
    if with_re:
        spec.add_block("g", ["1|g"])
        spec.add_term("y", latent="1|g")
        model = ml.MixtureModel(spec, df, cluster="g", integration="gauss-hermite",
                                n_points=15, adaptive=True)
    else:
        model = ml.MixtureModel(spec, df, cluster="g")
    return quiet_fit(model, gtol=1e-9), df


def make_covariate_lca(n=500, seed=7):
    """Class logit on a covariate x, two binary items."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=n)
    c = np.where(rng.random(n) < expit(0.3 + 1.0 * x), 0, 1)
    u = (rng.random((n, 2)) < P_LCA[c][:, :2]).astype(float)
    df = pd.DataFrame({"u1": u[:, 0], "u2": u[:, 1], "x": x})
    spec = ml.ModelSpec()
    spec.add_class("c", 2)
    for it in ("u1", "u2"):
        spec.add_outcome(it, "binary")
        spec.add_term(it, by=["c"])
    spec.add_term("c")
    spec.add_term("c", "x")
    model = ml.MixtureModel(spec, df)
    start = {"u1~1[c=1]": 2.2, "u1~1[c=2]": -1.4, "u2~1[c=1]": 1.4, "u2~1[c=2]": -2.2,
             "c#1~1": 0.3, "c#1~x": 1.0}
    return quiet_fit(model, start_params=[start[n] for n in model.param_names], em_iter=0), df


def make_ordinal_lca(n=500, seed=8):
    """Two binary items and an ordinal item with class-specific thresholds."""
    rng = np.random.default_rng(seed)
    c = np.where(rng.random(n) < 0.55, 0, 1)
    u = (rng.random((n, 2)) < P_LCA[c][:, :2]).astype(float)
    probs = np.array([[0.1, 0.3, 0.6], [0.6, 0.3, 0.1]])[c]
    o = 1 + (rng.random(n)[:, None] > probs.cumsum(axis=1)).sum(axis=1)
    df = pd.DataFrame({"u1": u[:, 0], "u2": u[:, 1], "o": o})
    spec = ml.ModelSpec()
    spec.add_class("c", 2)
    for it in ("u1", "u2"):
        spec.add_outcome(it, "binary")
        spec.add_term(it, by=["c"])
    spec.add_outcome("o", "ordinal", threshold_by=["c"])
    spec.add_term("c")
    model = ml.MixtureModel(spec, df)
    start = {"u1~1[c=1]": 2.2, "u1~1[c=2]": -1.4, "u2~1[c=1]": 1.4, "u2~1[c=2]": -2.2,
             "c#1~1": 0.2, "o|t1[c=1]": -2.2, "o|t2[c=1]": -0.4, "o|t1[c=2]": 0.4,
             "o|t2[c=2]": 2.2}
    return quiet_fit(model, start_params=[start[n] for n in model.param_names], em_iter=0)


# ---------------------------------------------------------------------------------------
# formulas: (result, training data, new data)
# ---------------------------------------------------------------------------------------
DATA = Path(__file__).parent / "data"


class Fitted(NamedTuple):
    """A formula model's result, the data it was fitted to, and new rows to predict."""

    res: object
    data: pd.DataFrame
    newdata: pd.DataFrame


def start_by_name(model, start):
    return [start[n] for n in model.param_names]


def formula_lca():
    """Single-level LCA, four binary items."""
    df = lca_data()
    model = ml.mixture("u1 + u2 + u3 + u4 ~ c", data=df, classes={"c": 2}, family="binary")
    start = dict(zip([f"{it}~1[c={k}]" for it in ITEMS for k in (1, 2)] + ["c#1~1"],
                     lca_start(), strict=True))
    res = quiet_fit(model, start_params=start_by_name(model, start), em_iter=0)
    newdata = pd.DataFrame({it: [1.0, 0.0, np.nan] for it in ITEMS})
    return Fitted(res, df, newdata)


def formula_between_within():
    """Between class d of schools, within class c regressed on d (paper sec. 6)."""
    df = bw_frame()
    model = ml.mixture("u1 + u2 + u3 ~ c\nc ~ d", data=df,
                       classes={"d": ml.Between(2), "c": 2}, family="binary",
                       cluster="school")
    start = {f"{it}~1[c={k + 1}]": logit(P_LCA[k, j]) for j, it in enumerate(ITEMS[:3])
             for k in (0, 1)}
    start.update({"c#1~1[d=1]": logit(0.85), "c#1~1[d=2]": logit(0.2), "d#1~1": logit(0.6)})
    res = quiet_fit(model, start_params=start_by_name(model, start), em_iter=0)
    return Fitted(res, df, df.iloc[[5, 0, 17]])


def mixreg_data(n=300, seed=3):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=n) + 2.0
    z = rng.normal(size=n)
    small = rng.random(n) < expit(-0.4 + z)
    y = np.where(small, 1.0 + 0.5 * x, -1.0 - 0.5 * x) + rng.normal(scale=0.6, size=n)
    return pd.DataFrame({"y": y, "x": x, "z": z})


def formula_mixture_regression():
    """Two-class regression of y on a centred covariate; class logit on z."""
    df = mixreg_data()
    model = ml.mixture("y ~ c * center(x)\nc ~ z", data=df, classes={"c": 2})
    start = {"y~1[c=1]": -2.0, "y~1[c=2]": 2.0, "y~center(x)[c=1]": -0.5,
             "y~center(x)[c=2]": 0.5, "c#1~1": 0.4, "c#1~z": -1.0, "Var(y)": 0.36}
    res = quiet_fit(model, start_params=start_by_name(model, start), em_iter=0)
    newdata = pd.DataFrame({"x": [0.0, 2.0, 5.0], "z": [-1.0, 0.0, 1.5]}, index=[7, 3, 1])
    return Fitted(res, df, newdata)


def formula_glmm():
    """cbpp: binomial counts with a herd random intercept (adaptive Gauss-Hermite)."""
    df = pd.read_csv(DATA / "cbpp.csv")
    model = ml.mixture("incidence ~ C(period) + (1 | herd)", data=df, family="binomial",
                       trials="size", integration="gauss-hermite", n_points=11,
                       adaptive=True)
    newdata = pd.DataFrame({"period": [4, 1, 2, 3]})
    return Fitted(quiet_fit(model), df, newdata)


def formula_lmm():
    """sleepstudy: Reaction ~ Days + (Days | Subject) (adaptive Gauss-Hermite)."""
    df = pd.read_csv(DATA / "sleepstudy.csv")
    model = ml.mixture("Reaction ~ Days + (Days | Subject)", data=df,
                       integration="gauss-hermite", n_points=5, adaptive=True)
    newdata = pd.DataFrame({"Days": [0.0, 4.5, 12.0]})
    return Fitted(quiet_fit(model, gtol=1e-8), df, newdata)
