"""Accuracy and time of integration rules by model class (run by hand).

The measurements behind the default rules of ``mixlevel.integrate.defaults``
(docs/estimation.rst, "Integration by default").  For every model the fit is
repeated with the old default (15-point trapezoid), the new default and a
reference rule (adaptive Gauss-Hermite with many points); each fit's
log-likelihood is re-evaluated at its own estimates with the reference rule.

    PYTHONPATH=. python benchmarks/integration_accuracy.py [-k name]

Columns: the rule, the fit's seconds, its LL, the reference LL at the same
estimates (so ``LL - ref`` is the integration error of the rule), and the
largest difference of an estimate from the reference fit's, in reference SEs.
"""

import argparse
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

import mixlevel as ml
from mixlevel.estimation.optimize import settle_nodes
from mixlevel.integrate.defaults import IntegrationRule

HERE = Path(__file__).resolve().parent
DATA = HERE.parent / "tests" / "data"
SHARED = HERE.parent.parent / "shared" / "data"


def glmm_var16(J=300, n=10, seed=16):
    rng = np.random.default_rng(seed)
    u = rng.normal(scale=4.0, size=J)
    x = rng.normal(size=J * n)
    g = np.repeat(np.arange(J), n)
    y = (rng.random(J * n) < 1 / (1 + np.exp(-(-1 + 0.5 * x + u[g])))).astype(float)
    return pd.DataFrame({"y": y, "x": x, "g": g})


def poisson_three(J=150, n=12, seed=3):
    rng = np.random.default_rng(seed)
    cov = np.array([[0.5, 0.1, 0.0], [0.1, 0.3, 0.05], [0.0, 0.05, 0.2]])
    b = rng.multivariate_normal(np.zeros(3), cov, size=J)
    x1, x2 = rng.normal(size=J * n), rng.normal(size=J * n)
    g = np.repeat(np.arange(J), n)
    eta = 0.5 + b[g, 0] + (0.3 + b[g, 1]) * x1 + (-0.2 + b[g, 2]) * x2
    return pd.DataFrame({"y": rng.poisson(np.exp(eta)), "x1": x1, "x2": x2, "g": g})


def cases():
    contra = pd.read_csv(DATA / "contraception.csv")
    contra["livch"] = contra["livch"].astype(str)
    cbpp = pd.read_csv(DATA / "cbpp.csv")
    cbpp["period"] = cbpp["period"].astype(str)
    yield ("contraception RI (q=1)", "use ~ urban + age + C(livch) + (1 | district)",
           contra, dict(family="binary"), 100)
    yield ("cbpp (q=1)", "incidence ~ C(period) + (1 | herd)", cbpp,
           dict(family="binomial", trials="size"), 100)
    yield ("logistic GLMM, variance 16 (q=1)", "y ~ x + (1 | g)", glmm_var16(),
           dict(family="binary"), 100)
    verb = SHARED / "verbagg.csv"
    if verb.exists():
        yield ("verbagg Rasch (q=1)", "r2 ~ 0 + C(item) + (1 | id)", pd.read_csv(verb),
               dict(family="binary"), 100)
    yield ("contraception random urban slope (q=2)",
           "use ~ urban + age + C(livch) + (urban | district)", contra,
           dict(family="binary"), 31)
    yield ("Poisson GLMM, 3 random effects (q=3)", "y ~ x1 + x2 + (x1 + x2 | g)",
           poisson_three(), dict(family="poisson"), 15)


def reference_ll(model, params, n_ref):
    eng = model.engine.with_rule(IntegrationRule("gauss-hermite", n_ref, True, 1))
    w = model._work(np.asarray(params))
    settle_nodes(eng, w)
    return eng.loglike(w)


def run(name, formula, data, kw, n_ref):
    rows = []
    rules = [("trapezoid 15 (old default)", dict(integration="trapezoid", n_points=15)),
             ("default", {}),
             (f"adaptive GH {n_ref} (reference)",
              dict(integration="gauss-hermite", n_points=n_ref, adaptive=True))]
    fits = []
    for label, opts in rules:
        model = ml.mixture(formula, data=data, **kw, **opts)
        t0 = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            res = model.fit(cov_type="ML")
        fits.append((label, time.perf_counter() - t0, model, res))
    ref = fits[-1][3]
    for label, secs, model, res in fits:
        rule = model.engine.rule
        if label == "default":
            label = f"default: {rule.describe(model.engine.kl.qb)}"
        ll_ref = reference_ll(model, res.params, n_ref)
        shift = np.max(np.abs(np.asarray(res.params) - np.asarray(ref.params))
                       / np.asarray(ref.bse))
        rows.append({"model": name, "rule": label, "seconds": round(secs, 2),
                     "LL": round(res.llf, 4), "LL - ref": round(res.llf - ll_ref, 4),
                     "max |est - ref| / SE": round(float(shift), 3),
                     "check dLL": None if res.integration_check is None else
                     round(res.integration_error, 4)})
    return rows


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("-k", default=None)
    args = parser.parse_args()
    out = []
    for name, formula, data, kw, n_ref in cases():
        if args.k and args.k not in name:
            continue
        out.extend(run(name, formula, data, kw, n_ref))
        print(pd.DataFrame(out[-3:]).to_string(index=False), flush=True)
    print()
    print(pd.DataFrame(out).to_markdown(index=False) if hasattr(pd.DataFrame, "to_markdown")
          else pd.DataFrame(out).to_string(index=False))


if __name__ == "__main__":
    main()
