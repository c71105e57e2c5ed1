"""Generator: own adaptive-GH(25) fit of the contraception GLMM (independent check, not peer software).

Run from the repository root:  python tests/results/scripts/glmm_contraception_agq.py
"""
import json, os, sys
import numpy as np
import pandas as pd
sys.path.insert(0, os.path.dirname(__file__))
from glmm_agq import make_data, loglike, fit

d = pd.read_csv("tests/data/contraception.csv", dtype={"livch": str})
X = np.column_stack([np.ones(len(d)), d["urban"], d["age"]] +
                    [(d["livch"] == k).astype(float) for k in ("1", "2", "3+")])
data = make_data(X, d["use"], np.ones(len(d)), d["district"])
# lme4 glmer nAGQ = 25 (bobyqa rhoend 1e-12)
b25 = np.array([-1.690151623531569, 0.732413578415280, -0.026599976537961, 1.109328261757548,
                1.376527145916778, 1.345600320494488])
s25 = 0.215497544317795
out = {"at_lme4_agq25": {q: loglike(b25, s25, data, q) for q in (1, 25, 51)}}
names = ["Intercept", "urban", "age", "livch1", "livch2", "livch3+"]
for q in (1, 25):
    ll, b, s2, se, se_s2, gr = fit(data, b25, s25, q)
    out[f"own_max_agq{q}"] = {"loglike": ll, "fixef": dict(zip(names, b.tolist())), "bse": dict(zip(names, se.tolist())),
                              "re_var_Intercept": s2, "se_re_var_Intercept": se_s2, "max_abs_grad": float(np.abs(gr).max())}
print(json.dumps(out, indent=1, default=float))
