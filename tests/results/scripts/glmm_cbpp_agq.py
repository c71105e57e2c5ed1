"""Generator: own adaptive-GH log-likelihood for cbpp (independent check, not peer software).

Run from the repository root:  python tests/results/scripts/glmm_cbpp_agq.py
"""
import json, os, sys
import numpy as np
import pandas as pd
sys.path.insert(0, os.path.dirname(__file__))
from glmm_agq import make_data, loglike, fit

d = pd.read_csv("tests/data/cbpp.csv")
X = np.column_stack([np.ones(len(d))] + [(d["period"] == k).astype(float) for k in (2, 3, 4)])
data = make_data(X, d["incidence"], d["size"], d["herd"])
# lme4 glmer nAGQ = 11 (bobyqa rhoend 1e-12) estimates
b11 = np.array([-1.399230406538887, -0.991403712162135, -1.127819486123411, -1.579470788450233])
s11 = 0.41927999239706
# lme4 glmer nAGQ = 11 with default control
b11d = np.array([-1.399219443863, -0.991408657432876, -1.12781283713846, -1.57948777358161]); s11d = 0.41927938042186
# lme4 glmer Laplace (bobyqa rhoend 1e-12) and glmmTMB estimates
b1 = np.array([-1.398331608986771, -0.991923791193305, -1.128214218590628, -1.579750200279400]); s1 = 0.412246534721186
bt = np.array([-1.398532466413987, -0.992332292860266, -1.128671297513956, -1.580313687092802]); st = 0.412500055621573
out = {"sum_lchoose": float(data["lc"].sum()), "at_lme4_agq11": {}, "at_lme4_laplace": {}, "at_glmmTMB": {}, "at_lme4_agq11_default": {}}
for q in (1, 11, 25, 51):
    out["at_lme4_agq11"][q] = loglike(b11, s11, data, q)
    out["at_lme4_laplace"][q] = loglike(b1, s1, data, q)
    out["at_glmmTMB"][q] = loglike(bt, st, data, q)
    out["at_lme4_agq11_default"][q] = loglike(b11d, s11d, data, q)
names = ["Intercept", "period2", "period3", "period4"]
for q in (1, 11):
    ll, b, s2, se, se_s2, gr = fit(data, b11, s11, q)
    out[f"own_max_agq{q}"] = {"loglike": ll, "fixef": dict(zip(names, b.tolist())), "bse": dict(zip(names, se.tolist())),
                              "re_var_Intercept": s2, "se_re_var_Intercept": se_s2, "max_abs_grad": float(np.abs(gr).max())}
print(json.dumps(out, indent=1, default=float))
