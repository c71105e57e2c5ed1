"""Write the linear mixed model references from the JSON of lmm_lme4.R and lmm_statsmodels.py.

Writes tests/results/results_lmm_exam.py and results_lmm_hsb82.py, and the REML / profile /
prediction section at the end of results_glmm_sleepstudy.py (everything after the marker
line; the ML part above it comes from write_modules.py, so run this one after it).
Run from the repository root after the generators have written into $REFS_DIR (default
/tmp/refs):
    Rscript tests/results/scripts/lmm_lme4.R exam > /tmp/refs/lmm_exam_lme4.json
    python tests/results/scripts/lmm_statsmodels.py exam > /tmp/refs/lmm_exam_sm.json
    (likewise hsb82 and sleepstudy), then
    python tests/results/scripts/write_lmm_modules.py
This is a generator helper only; tests never import it.
"""
import json
import os

REFS = os.environ.get("REFS_DIR", "/tmp/refs")
DATE = "2026-12-03"
MARKER = "# ---- REML, profile intervals and predictions (write_lmm_modules.py) ----"
NLOPT = ('lmerControl(optimizer = "nloptwrap", optCtrl = list(xtol_abs = 1e-14, '
         'ftol_abs = 1e-16, xtol_rel = 1e-14, ftol_rel = 1e-16, maxeval = 1e5))')
BOBYQA = 'lmerControl(optimizer = "bobyqa", optCtrl = list(rhobeg = 0.2, rhoend = 1e-12))'


def load(name):
    with open(os.path.join(REFS, name + ".json")) as fh:
        return json.load(fh)


def lit(o, ind=4, level=1):
    pad, pad0 = " " * (ind * level), " " * (ind * (level - 1))
    if isinstance(o, dict):
        if not o:
            return "{}"
        return "{\n" + "\n".join(f"{pad}{k!r}: {lit(v, ind, level + 1)}," for k, v in o.items()) \
            + "\n" + pad0 + "}"
    if isinstance(o, (list, tuple)):
        if all(isinstance(x, (int, float)) for x in o) and len(o) > 6:
            body = ", ".join(repr(float(x)) for x in o)
            return "[" + body + "]"  # long numeric vectors on one line (ruff E501 is off here)
        if all(isinstance(x, (int, float, str)) or x is None for x in o):
            return "[" + ", ".join(lit(x) for x in o) + "]"
        return "[\n" + "\n".join(f"{pad}{lit(x, ind, level + 1)}," for x in o) + "\n" + pad0 + "]"
    if isinstance(o, float):
        return repr(float(o))
    return repr(o)


def fe_name(n):
    return "Intercept" if n == "(Intercept)" else n


def lme4_params(src):
    """Our key names: fixed effects, re_var_<a>, re_cov_<a>_<b>, resid_var."""
    params = {fe_name(k): v for k, v in src["fixef"].items()}
    sdcor = {}
    for vc in src["varcorr"]:
        if vc["grp"] == "Residual":
            params["resid_var"] = vc["vcov"]
            sdcor["sigma"] = vc["sdcor"]
        elif vc["var2"] is None:
            params[f"re_var_{fe_name(vc['var1'])}"] = vc["vcov"]
            sdcor[f"re_sd_{fe_name(vc['var1'])}"] = vc["sdcor"]
        else:
            a, b = fe_name(vc["var1"]), fe_name(vc["var2"])
            params[f"re_cov_{a}_{b}"] = vc["vcov"]
            sdcor[f"re_cor_{a}_{b}"] = vc["sdcor"]
    order = [k for k in params if not k.startswith(("re_", "resid"))] + \
        [k for k in params if k.startswith("re_")] + ["resid_var"]
    return {k: params[k] for k in order}, sdcor


def lme4_model(src, data_call, control, R, version):
    params, sdcor = lme4_params(src)
    out = {
        "software": f"R lme4 {version} (Debian r-cran-lme4 1.1-31-1; {R})",
        "call": f"lmer({src['formula']}, {data_call}, REML = {'TRUE' if src['reml'] else 'FALSE'}, "
                f"control = {control})",
        "loglike": src["loglike"],
        "params": params,
        "bse": {fe_name(k): v for k, v in src["bse"].items()},
        "vcov": src["vcov"],
        "sd_cor": sdcor,
        "theta": src["theta"],
        "aic": src["aic"], "bic": src["bic"], "n_params": src["df"],
        "nobs": src["nobs"], "n_clusters": src["n_clusters"],
        "confint_profile": {fe_name(n): [lo, hi] for n, lo, hi in zip(
            src["confint_profile"]["names"], src["confint_profile"]["lower"],
            src["confint_profile"]["upper"], strict=True)},
    }
    if "predict" in src:
        out["predict"] = src["predict"]
        out["predict_population"] = src["predict_population"]
        out["newdata"] = {k: [row[k] for row in src["newdata"]] for k in src["newdata"][0]}
        out["predict_newdata"] = src["predict_newdata"]
        out["predict_newdata_population"] = src["predict_newdata_population"]
        re = src["ranef"]
        out["ranef"] = {"effects": [fe_name(n) for n in re["names"]], "clusters": re["clusters"],
                        "mean": re["mean"], "condvar": re["condvar"]}
    return out


def other_params(src, fixef_names, re_names):
    params = {fe_name(k): v for k, v in src["fixef"].items()}
    params.update(dict(zip(re_names, src["vcov_re"], strict=True)))
    return params


def sm_model(src, version, python, data_path, fit):
    s = src[fit]
    G = s["cov_re"]
    q = len(G)
    params = {fe_name(k): v for k, v in s["fixef"].items()}
    names_re = list(s["params"])[len(s["fixef"]):]
    rel = dict(zip(names_re, list(s["params"].values())[len(s["fixef"]):], strict=True))
    bse_rel = dict(zip(names_re, list(s["bse"].values())[len(s["fixef"]):], strict=True))
    re_keys = []
    labels = [fe_name(n) for n in src["re_labels"]]
    for a in range(q):
        for b in range(a + 1):
            key = f"re_var_{labels[a]}" if a == b else f"re_cov_{labels[b]}_{labels[a]}"
            params[key] = G[a][b]
            re_keys.append(key)
    params["resid_var"] = s["resid_var"]
    call = (f'df = pd.read_csv("{data_path}"); smf.mixedlm("{src["formula"]}", df, '
            f'groups=df["{src["groups"]}"]'
            + (f', re_formula="{src["re_formula"]}"' if src["re_formula"] else "")
            + ")" + (f".fit(reml={src['reml']})" if fit == "default" else
                     f".fit(reml={src['reml']}, start_params=<the default fit>, method=\"bfgs\", "
                     "gtol=1e-10, maxiter=2000)"))
    return {
        "software": f"statsmodels {version} MixedLM (Python {python})",
        "call": call, "loglike": s["loglike"], "params": params,
        "bse": {fe_name(k): v for k, v in s["bse_fe"].items()},
        "relative": {k: v for k, v in zip(re_keys, rel.values(), strict=True)},
        "bse_relative": {k: v for k, v in zip(re_keys, bse_rel.values(), strict=True)},
        "statsmodels_names": dict(zip(re_keys, names_re, strict=True)),
        "converged": s["converged"], "nobs": s["nobs"], "n_clusters": s["n_clusters"],
    }


def maxrel(a, b, keys):
    return max(abs(a[k] - b[k]) / max(abs(b[k]), 1e-300) for k in keys)


def build(dataset, data_call, data_path, models, re_labels):
    L, S = load(f"lmm_{dataset}_lme4"), load(f"lmm_{dataset}_sm")
    primary = BOBYQA if L["primary"] == "bobyqa" else NLOPT
    other_ctrl = NLOPT if L["primary"] == "bobyqa" else BOBYQA
    other_tag = "nlopt" if L["primary"] == "bobyqa" else "bobyqa"
    out, notes = {}, []
    for name in models:
        for method in ("ml", "reml"):
            key = f"{name}_{method}"
            src = L[key]
            m = lme4_model(src, data_call, primary, L["R"], L["lme4"])
            out[key] = m
            oth = L[key + "_other"]
            re_keys = [k for k in m["params"] if k.startswith("re_")] + ["resid_var"]
            o = {"software": m["software"],
                 "call": m["call"].replace(primary, other_ctrl),
                 "loglike": oth["loglike"],
                 "params": other_params(oth, list(src["fixef"]), re_keys),
                 "bse": {fe_name(k): v for k, v in oth["bse"].items()}}
            out[f"{key}_{other_tag}"] = o
            sm_src = dict(S[key], reml=method == "reml", re_labels=re_labels[name])
            for fit in ("tight", "default"):
                out[f"{key}_statsmodels" + ("" if fit == "tight" else "_default")] = sm_model(
                    sm_src, S["statsmodels"], S["python"], data_path, fit)
            keys = list(m["params"])
            notes.append(
                f"  {key}: LL {m['loglike']:.6f}; {other_tag} |dLL| "
                f"{abs(o['loglike'] - m['loglike']):.1e}, max rel. param diff "
                f"{maxrel(o['params'], m['params'], keys):.1e}; statsmodels tight |dLL| "
                f"{abs(out[key + '_statsmodels']['loglike'] - m['loglike']):.1e}, "
                f"{maxrel(out[key + '_statsmodels']['params'], m['params'], keys):.1e}; "
                f"statsmodels default "
                f"{maxrel(out[key + '_statsmodels_default']['params'], m['params'], keys):.1e}")
    return out, notes, L


KEYS_DOC = """Keys of each lme4 dict: loglike (the REML criterion for *_reml fits, as logLik() reports
it), params (fixed effects by lme4's names with "(Intercept)" -> "Intercept"; re_var_<effect>,
re_cov_<effect>_<effect>, resid_var: the VarCorr variances, covariances and sigma^2), bse
(sqrt(diag(vcov())), the fixed effects' SEs sigma^2 (X'V^-1X)^-1 given the covariance
parameters), vcov (that matrix), sd_cor (VarCorr's SDs and correlations, sigma),
theta, aic, bic, n_params, nobs, n_clusters, confint_profile (confint(fit, method =
"profile", oldNames = FALSE), 95 %, keyed by lme4's row names: sd_<effect>|<group>,
cor_<effect>.<effect>|<group>, sigma and the fixed effects, "(Intercept)" as "Intercept"),
software, call.
The random-slope ML fits also have predict (predict(fit), every row in the data's order),
predict_population (predict(fit, re.form = NA)), newdata (three rows of known clusters and one
of a new cluster), predict_newdata (predict(fit, newdata, allow.new.levels = TRUE): known
clusters get their conditional modes, the new one the population value) and
predict_newdata_population (re.form = NA), and ranef (ranef(fit, condVar = TRUE): the
conditional modes = posterior means of the random effects per cluster, in lme4's sorted
cluster order, and their conditional covariance matrices).
Dicts *_<optimizer> hold the same fit by the other tight optimiser (loglike, params, bse).
statsmodels dicts (*_statsmodels: tight, started at the default fit; *_statsmodels_default:
fit(reml=...) as users get it): loglike, params (as lme4's; cov_re and scale), bse (bse_fe:
from the inverse of statsmodels' Hessian with the cross terms between fixed effects and
covariance parameters, i.e. the full inverse observed information), relative (statsmodels'
own covariance parameters cov_re / scale) and bse_relative (their SEs as statsmodels'
res.bse reports them: the delta-method SEs of cov_re / scale from the full inverse
information), statsmodels_names, converged, nobs, n_clusters."""


def write_module(path, doc, models):
    body = "".join(f"{name} = {lit(m)}\n\n" for name, m in models.items())
    with open(path, "w") as fh:
        fh.write(f'"""{doc}\n"""\n\n# ruff: noqa: E501\n\n{body.rstrip()}\n')


def exam():
    models, notes, L = build("exam", "exam", "tests/data/exam.csv", ["ri", "rs"],
                             {"ri": ["(Intercept)"], "rs": ["(Intercept)", "standLRT"]})
    doc = f"""Reference results: linear mixed models for the inner-London exam data, ML and REML.

Generated {DATE}. Generator scripts: tests/results/scripts/lmm_lme4.R and lmm_statsmodels.py
(argument "exam"), module written by write_lmm_modules.py.

Data: tests/data/exam.csv (mlmRev `Exam`, identical rows: checked by the R script), 4059 students
in 65 schools.  Models (school as factor):
  ri_ml, ri_reml   normexam ~ standLRT + (1 | school)
  rs_ml, rs_reml   normexam ~ standLRT + (standLRT | school)   (correlated intercept and slope)

{KEYS_DOC}

Primary: lme4 1.1-31 with nloptwrap at machine-precision tolerances.  Agreement (relative):
{chr(10).join(notes)}"""
    write_module("tests/results/results_lmm_exam.py", doc, models)


def hsb82():
    models, notes, L = build("hsb82", "hsb82", "tests/data/hsb82.csv", ["anova", "slopes"],
                             {"anova": ["(Intercept)"], "slopes": ["(Intercept)", "cses"]})
    doc = f"""Reference results: linear mixed models for High School and Beyond 1982, ML and REML.

Generated {DATE}. Generator scripts: tests/results/scripts/lmm_lme4.R and lmm_statsmodels.py
(argument "hsb82"), module written by write_lmm_modules.py.

Data: tests/data/hsb82.csv (mlmRev `Hsb82`, identical rows: checked by the R script), 7185
students in 160 schools.  Models (school as factor):
  anova_ml, anova_reml     mAch ~ 1 + (1 | school)   (one-way random-effects ANOVA)
  slopes_ml, slopes_reml   mAch ~ meanses * cses + (cses | school)
                           (intercepts and slopes as outcomes; correlated random effects)

{KEYS_DOC}

Primary: lme4 1.1-31 with nloptwrap at machine-precision tolerances: bobyqa with rhoend 1e-12
stops up to 2e-6 (relative to max(|estimate|, SE)) from the optimum of slopes_reml, whose REML
surface is flat in the random-effect covariances.  Agreement (relative):
{chr(10).join(notes)}"""
    write_module("tests/results/results_lmm_hsb82.py", doc, models)


def sleepstudy():
    models, notes, L = build("sleepstudy", "sleepstudy", "tests/data/sleepstudy.csv", ["rs"],
                             {"rs": ["(Intercept)", "Days"]})
    keep = {"reml": models["rs_reml"], "reml_nlopt": models["rs_reml_nlopt"],
            "reml_statsmodels": models["rs_reml_statsmodels"],
            "reml_statsmodels_default": models["rs_reml_statsmodels_default"],
            "ml_statsmodels_tight": models["rs_ml_statsmodels"],
            "ml_profile": {k: models["rs_ml"][k] for k in (
                "software", "call", "loglike", "params", "bse", "vcov", "sd_cor", "theta",
                "confint_profile", "predict", "predict_population", "newdata",
                "predict_newdata", "predict_newdata_population", "ranef")}}
    path = "tests/results/results_glmm_sleepstudy.py"
    with open(path) as fh:
        text = fh.read()
    text = text.split(MARKER)[0].rstrip() + "\n\n\n"
    comment = f"""{MARKER}
# Generated {DATE} by lmm_lme4.R / lmm_statsmodels.py (argument "sleepstudy") and
# write_lmm_modules.py.  Keys as in results_lmm_exam.py.
#   reml                      lme4 REML fit, tight bobyqa (rhoend 1e-12): loglike is the REML
#                             criterion; params, bse (vcov at the REML estimates), sd_cor,
#                             confint_profile
#   reml_nlopt                the same fit by nloptwrap at machine-precision tolerances
#   reml_statsmodels(_default) MixedLM fit(reml=True), tight / default
#   ml_statsmodels_tight      MixedLM fit(reml=False) tightened (the `ml_statsmodels` above is
#                             the default fit)
#   ml_profile                the ML fit of `ml` again with vcov, sd_cor, confint_profile,
#                             predict(...) and ranef(condVar = TRUE)
# Agreement (relative):
""" + "\n".join("# " + n for n in notes) + "\n\n"
    body = "".join(f"{name} = {lit(m)}\n\n" for name, m in keep.items())
    with open(path, "w") as fh:
        fh.write(text + comment + body.rstrip() + "\n")


if __name__ == "__main__":
    exam()
    hsb82()
    sleepstudy()
