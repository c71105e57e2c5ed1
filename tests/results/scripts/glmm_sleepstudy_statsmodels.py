"""Generator: sleepstudy LMM by ML with statsmodels MixedLM (prints JSON).

Run from the repository root:  python tests/results/scripts/glmm_sleepstudy_statsmodels.py
"""
import json
import numpy as np
import pandas as pd
import statsmodels
import statsmodels.formula.api as smf

df = pd.read_csv("tests/data/sleepstudy.csv")
md = smf.mixedlm("Reaction ~ Days", df, groups=df["Subject"], re_formula="~Days")
res = md.fit(reml=False)
G = res.cov_re.values
print(json.dumps({
    "statsmodels": statsmodels.__version__, "converged": bool(res.converged),
    "loglike": float(res.llf),
    "fixef": {k: float(v) for k, v in res.fe_params.items()},
    "bse": {k: float(v) for k, v in res.bse_fe.items()},
    "re_var_Intercept": float(G[0, 0]), "re_cov_Intercept_Days": float(G[0, 1]),
    "re_var_Days": float(G[1, 1]), "resid_var": float(res.scale),
    "nobs": int(res.nobs), "n_clusters": len(md.group_labels)}, indent=1))
