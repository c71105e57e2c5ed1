"""Generator: StepMix 3-step ML and BCH on the GSS 2008 abortion items (3-class LCA).

Run from the repository root with a Python that has stepmix 3.0.0:
    /opt/peers/venv/bin/python tests/results/scripts/stepwise_gss08_stepmix.py > /tmp/refs/stepwise.json
    /opt/peers/venv/bin/python tests/results/scripts/stepwise_gss08_stepmix.py \
        --module /tmp/refs/stepwise.json > tests/results/results_stepwise_stepmix.py
The first fits and prints JSON (a few minutes), the second writes the results module the tests
import from that JSON.

Data: tests/data/gss08.csv, the 299 rows observed on all six items (DEFECT, HLTH, RAPE,
POOR, SINGLE, NOMORE), recoded 1 = yes -> 1 and 2 = no -> 0; FEMALE = (SEX == "FEMALE").
Step 1: a 3-class binary LCA (StepMix measurement="binary", 300 random starts).
Step 3, with modal assignment:
  covariate: structural="covariate" on [AGE, FEMALE], correction "ML" and "BCH";
  distal:    AGE as structural="continuous" (class-specific mean and variance) and FEMALE
             as structural="binary", each fitted on its own, corrections "ML" and "BCH".
Classes are put in canonical order (decreasing step-1 proportion, as mixlevel's canonical
order). Covariate coefficients are reported as contrasts with the last class (StepMix
estimates one coefficient vector per class; only the differences are identified).
StepMix's ML distal model keeps the class proportions at their step-1 values (its EM
freezes the measurement model, class weights included).
"""
import json
import pprint
import sys
import warnings

import numpy as np
import pandas as pd
import stepmix
from stepmix import StepMix

ITEMS = ["DEFECT", "HLTH", "RAPE", "POOR", "SINGLE", "NOMORE"]
df = pd.read_csv("tests/data/gss08.csv").dropna(subset=ITEMS).reset_index(drop=True)
X = (2 - df[ITEMS]).astype(float)
df["FEMALE"] = (df["SEX"] == "FEMALE").astype(float)
COMMON = dict(n_components=3, n_steps=3, measurement="binary", assignment="modal",
              n_init=300, abs_tol=1e-14, rel_tol=0.0, max_iter=100000, random_state=2008,
              verbose=0, progress_bar=0)


def fit(structural, Y, correction, sp=None):
    model = StepMix(structural=structural, correction=correction, structural_params=sp,
                    **COMMON)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model.fit(X, Y)
    return model


def order_of(model):
    return np.argsort(-np.asarray(model.get_parameters()["weights"]), kind="stable")


def covariate_params(correction):
    """One Newton step per EM iteration (ML); Newton to convergence in the one M-step (BCH)."""
    return ({"method": "newton-raphson", "max_iter": 1} if correction == "ML" else
            {"method": "newton-raphson", "max_iter": 500, "tol": 1e-12})


def call_strings():
    calls = {}
    for correction in ("ML", "BCH"):
        calls[f"covariate_{correction}"] = (
            f"StepMix(structural='covariate', correction={correction!r}, "
            f"structural_params={covariate_params(correction)!r}, **{COMMON!r})"
            ".fit(X, df[['AGE', 'FEMALE']])")
        for name, structural in (("AGE", "continuous"), ("FEMALE", "binary")):
            calls[f"distal_{name}_{correction}"] = (
                f"StepMix(structural={structural!r}, correction={correction!r}, **{COMMON!r})"
                f".fit(X, df[[{name!r}]])")
    return calls


def compute():
    out = {"stepmix_version": stepmix.__version__, "nobs": int(len(X))}
    for correction in ("ML", "BCH"):
        sp = covariate_params(correction)
        Y = df[["AGE", "FEMALE"]].to_numpy(float)
        m = fit("covariate", Y, correction, sp)
        o = order_of(m)
        beta = np.asarray(m.get_parameters()["structural"]["beta"])[o]  # (K, 3): 1, AGE, FEMALE
        contrast = beta[:-1] - beta[-1]
        params = {}
        for j in range(2):
            for c, name in enumerate(["1", "AGE", "FEMALE"]):
                params[f"c#{j + 1}~{name}"] = float(contrast[j, c])
        n = len(X)
        out[f"covariate_{correction}"] = {
            "params": params, "measurement_loglike": float(m.score(X) * n),
            "class_proportions": np.asarray(m.get_parameters()["weights"])[o].tolist()}
        for name, structural in (("AGE", "continuous"), ("FEMALE", "binary")):
            m = fit(structural, df[[name]].to_numpy(float), correction)
            o = order_of(m)
            p = m.get_parameters()["structural"]
            params = {}
            if structural == "continuous":
                means = np.asarray(p["means"])[o, 0]
                var = np.asarray(p["covariances"])[o, 0]
                for k in range(3):
                    params[f"mean({name})[c={k + 1}]"] = float(means[k])
                    params[f"Var({name})[c={k + 1}]"] = float(var[k])
            else:
                pis = np.asarray(p["pis"])[o, 0]
                for k in range(3):
                    params[f"mean({name})[c={k + 1}]"] = float(pis[k])
            out[f"distal_{name}_{correction}"] = {
                "params": params, "measurement_loglike": float(m.score(X) * n),
                "class_proportions": np.asarray(m.get_parameters()["weights"])[o].tolist()}
    return out


if "--module" not in sys.argv:
    print(json.dumps(compute(), indent=1))
    sys.exit()
out = json.load(open(sys.argv[sys.argv.index("--module") + 1]))
calls = call_strings()

DOC = '''"""Reference results: StepMix 3-step ML and BCH (modal assignment), GSS 2008 abortion items.

Generated 2026-12-03 by tests/results/scripts/stepwise_gss08_stepmix.py (StepMix {version},
Python 3.11.7, numpy 2.4.6, scikit-learn 1.9.1).

Data: tests/data/gss08.csv (glca `gss08`), the {nobs} rows observed on all six items DEFECT, HLTH,
RAPE, POOR, SINGLE, NOMORE, recoded yes = 1, no = 0; FEMALE = 1 for SEX == "FEMALE"; AGE in years.
Step 1: 3-class binary LCA (300 random starts); classes in canonical order (decreasing step-1
proportion). measurement_loglike: StepMix's step-1 log-likelihood (score() x n).
Step 3 (modal assignment, D[k, s] = P(modal = s | class = k) from the posteriors):
  covariate_ML / covariate_BCH: multinomial logit of the class on 1, AGE, FEMALE; params are the
    contrasts with the last class ("c#j~x" = beta_j,x - beta_3,x), as mixlevel names them.
  distal_AGE_*: class-specific mean and (ML, divide-by-n) variance of AGE ("continuous"); StepMix adds
    reg_covar = 1e-6 to every variance.
  distal_FEMALE_*: class-specific P(FEMALE = 1) ("binary").
StepMix's ML distal model keeps the class proportions at their step-1 values (its EM freezes the
measurement model including the class weights): compare with mixlevel's proportions="fixed".
bse: None (StepMix gives bootstrap standard errors only).
"""

# ruff: noqa: E501
'''
print(DOC.format(version=out["stepmix_version"], nobs=out["nobs"]))
for key, val in out.items():
    if not isinstance(val, dict):
        continue
    val = dict(val, software=f"StepMix {out['stepmix_version']}", call=calls[key], bse=None,
               nobs=out["nobs"], n_clusters=None)
    print(f"{key} = {pprint.pformat(val, sort_dicts=False, width=100)}\n")
