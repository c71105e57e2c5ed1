"""Generator: linear mixed models by ML and REML with statsmodels MixedLM (prints JSON).

For tests/results/results_lmm_exam.py, results_lmm_hsb82.py and the REML part of
results_glmm_sleepstudy.py.  Run from the repository root:
    python tests/results/scripts/lmm_statsmodels.py exam > /tmp/refs/lmm_exam_sm.json
(likewise hsb82 and sleepstudy).  Each model is fitted twice: with the defaults users get
(``fit(reml=...)``) and tightly (``method="bfgs"``, gradient tolerance 1e-10, started at the
default fit), which is the statsmodels optimum the tests compare with.  ``bse`` is
statsmodels' ``bse``: the fixed effects' entries come from the inverse of its Hessian of the
log-likelihood profiled over the residual variance, in its (fixed effects, random-effect
covariance / scale) parameterisation, cross terms included.
"""
import json
import sys
import warnings

import numpy as np
import pandas as pd
import statsmodels
import statsmodels.formula.api as smf

what = sys.argv[1]
if what == "exam":
    df = pd.read_csv("tests/data/exam.csv")
    models = {"ri": ("normexam ~ standLRT", "school", None),
              "rs": ("normexam ~ standLRT", "school", "~standLRT")}
elif what == "hsb82":
    df = pd.read_csv("tests/data/hsb82.csv")
    models = {"anova": ("mAch ~ 1", "school", None),
              "slopes": ("mAch ~ meanses * cses", "school", "~cses")}
else:
    df = pd.read_csv("tests/data/sleepstudy.csv")
    models = {"rs": ("Reaction ~ Days", "Subject", "~Days")}


def summary(md, res):
    G = np.atleast_2d(res.cov_re.values)
    return {"converged": bool(res.converged), "loglike": float(res.llf),
            "fixef": {k: float(v) for k, v in res.fe_params.items()},
            "bse_fe": {k: float(v) for k, v in res.bse_fe.items()},
            "bse": {k: float(v) for k, v in res.bse.items()},
            "params": {k: float(v) for k, v in res.params.items()},
            "cov_params": np.asarray(res.cov_params()).tolist(),
            "cov_re": G.tolist(), "resid_var": float(res.scale),
            "nobs": int(res.nobs), "n_clusters": len(md.group_labels)}


out = {"statsmodels": statsmodels.__version__, "python": sys.version.split()[0]}
for name, (formula, group, re) in models.items():
    for reml in (False, True):
        md = smf.mixedlm(formula, df, groups=df[group], re_formula=re)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            default = md.fit(reml=reml)
            tight = md.fit(reml=reml, start_params=default.params_object, method="bfgs",
                           gtol=1e-10, maxiter=2000)
        key = f"{name}_{'reml' if reml else 'ml'}"
        out[key] = {"formula": formula, "groups": group, "re_formula": re,
                    "default": summary(md, default), "tight": summary(md, tight)}
print(json.dumps(out, indent=1))
