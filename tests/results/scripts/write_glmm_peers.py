"""Write the GLMMadaptive/lme4 references (run from the repository root):
  * adds GLMMadaptive, the random-slope model, profile CIs, VarCorr and predictions to
    tests/results/results_glmm_contraception.py (contra_peers.json, glmm_contraception_peers.R),
  * adds GLMMadaptive and lme4 nAGQ = 25 to tests/results/results_glmm_cbpp.py (cbpp_peers.json),
  * writes tests/results/results_glmm_verbagg.py (verbagg_peers.json) and
    tests/results/results_glmm_sim_var16.py (var16_peers.json).
Our own adaptive Gauss-Hermite code (glmm_agq.py) evaluates the LL at the peers' estimates.
Generator helper only; tests never import it.
"""
import os
import sys

import numpy as np
import pandas as pd
from scipy.special import expit

sys.path.insert(0, os.path.dirname(__file__))
sys.path.insert(0, "tests/results")
import reflib  # noqa: E402
from glmm_agq import loglike as agq_ll  # noqa: E402
from glmm_agq import make_data  # noqa: E402

WHAT = sys.argv[1:] or ["contraception", "cbpp", "verbagg", "var16"]
GA_TIGHT = 'control = list(tol1 = 1e-8, tol2 = 1e-8, tol3 = 1e-12, numeric_deriv = "cd", iter_qN_outer = 50)'
LME_TIGHT = 'control = glmerControl(optimizer = "bobyqa", optCtrl = list(rhoend = 1e-12, maxfun = 1e5))'


def rn(name):
    """R coefficient names -> reference names."""
    return {"(Intercept)": "Intercept", "livch3+": "livch3+"}.get(name, name)


def fixed(m, nobs, ncl, software, call, D=None, re_names=("Intercept",), ll_key="loglike"):
    params = {rn(k): float(v) for k, v in m["fixef"].items()}
    if D is None:
        D = [[m["re_var_Intercept"]]] if "re_var_Intercept" in m else m["D"]
    D = np.atleast_2d(np.asarray(D, float))
    if len(re_names) == 1:
        params["re_var_Intercept"] = float(D.flat[0])
    else:
        a, b = re_names
        params[f"re_var_{a}"] = float(D[0, 0])
        params[f"re_cov_{a}_{b}"] = float(D[0, 1])
        params[f"re_var_{b}"] = float(D[1, 1])
    return {"software": software, "call": call, "loglike": float(m[ll_key]), "params": params,
            "bse": {rn(k): float(v) for k, v in m["bse"].items()}, "n_params": len(params),
            "nobs": nobs, "n_clusters": ncl, "seconds": reflib.secs(m)}


def beta_of(mod, names):
    return np.array([mod["params"][n] for n in names])


# ------------------------------------------------------------------ contraception
if "contraception" in WHAT:
    # results from parts/contra_*.json (the generator writes each fit when done), overlaid by a complete
    # contra_peers.json from an older single-output run when there is one
    j = reflib.load_parts("contra_")
    if "predict_agq25" in j:
        j["varcorr_agq25"] = j["predict_agq25"]["varcorr"]
        j["predict_agq25"] = j["predict_agq25"]["value"]
    if "lme4_ri_laplace" in j:
        j["varcorr_laplace"] = j["lme4_ri_laplace"]["varcorr"]
    full = os.path.join(reflib.REFS, "contra_peers.json")
    if os.path.exists(full) and os.path.getsize(full) > 0:
        j.update(reflib.load("contra_peers"))
    v = next(x for x in j.values() if isinstance(x, dict) and "GLMMadaptive" in x) if "GLMMadaptive" not in j else j
    R, V_GA, V_L, V_T = v["R"], v["GLMMadaptive"], v["lme4"], v["glmmTMB"]
    SW_GA = f"R GLMMadaptive {V_GA} (built from the CRAN GitHub mirror cran/GLMMadaptive; {R})"
    SW_L = f"R lme4 {V_L} (Debian r-cran-lme4 1.1-31-1; {R})"
    SW_T = f"R glmmTMB {V_T} (Debian r-cran-glmmtmb 1.1.5+dfsg-4; {R})"
    PREP = ('d <- read.csv("tests/data/contraception.csv"); d$district <- factor(d$district); '
            'd$livch <- factor(d$livch, levels = c("0", "1", "2", "3+")); ')
    GA = "mixed_model(use ~ urban + age + livch, random = ~ {re} | district, data = d, family = binomial(), nAGQ = {q}{c})"
    LM = "glmer(use ~ urban + age + livch + ({re} | district), data = d, family = binomial{c})"
    NAMES = ["Intercept", "urban", "age", "livch1", "livch2", "livch3+"]
    dd = pd.read_csv("tests/data/contraception.csv", dtype={"livch": str})
    X = np.column_stack([np.ones(len(dd)), dd["urban"], dd["age"]] +
                        [(dd["livch"] == k).astype(float) for k in ("1", "2", "3+")])
    data = make_data(X, dd["use"], np.ones(len(dd)), dd["district"])
    from results_glmm_contraception import agq25 as l25  # noqa: E402
    M, notes = {}, []
    rs = ("Intercept", "urban")
    spec = [("agq25_glmmadaptive", "ga_ri25", SW_GA, GA.format(re=1, q=25, c=""), ("Intercept",)),
            ("agq25_glmmadaptive_tight", "ga_ri25_tight", SW_GA, GA.format(re=1, q=25, c=", " + GA_TIGHT), ("Intercept",)),
            ("rs_agq15_glmmadaptive", "ga_rs15_tight", SW_GA, GA.format(re="urban", q=15, c=", " + GA_TIGHT), rs),
            ("rs_agq15_glmmadaptive_default", "ga_rs15", SW_GA, GA.format(re="urban", q=15, c=""), rs),
            ("rs_agq25_glmmadaptive", "ga_rs25_tight", SW_GA, GA.format(re="urban", q=25, c=", " + GA_TIGHT), rs),
            ("rs_laplace_lme4", "lme4_rs_laplace_tight", SW_L, LM.format(re="urban", c=", " + LME_TIGHT), rs),
            ("rs_laplace_lme4_default", "lme4_rs_laplace", SW_L, LM.format(re="urban", c=""), rs),
            ("rs_laplace_glmmTMB", "glmmTMB_rs", SW_T, "glmmTMB(use ~ urban + age + livch + (urban | district), data = d, family = binomial)", rs)]
    for name, key, sw, call, ren in spec:
        if key in j:
            M[name] = fixed(j[key], 1934, 60, sw, PREP + call, re_names=ren)
    for k in ("agq25_glmmadaptive", "agq25_glmmadaptive_tight"):
        if k in M:
            M[k]["loglike_own_agq25_at_these_estimates"] = agq_ll(beta_of(M[k], NAMES), M[k]["params"]["re_var_Intercept"], data, 25)
            notes.append(f"  {k:26s} LL {M[k]['loglike']:.10f}; minus lme4 agq25: LL {M[k]['loglike'] - l25['loglike']:+.2e}, params within "
                         f"{reflib.fmt(reflib.maxabs(M[k]['params'], l25['params']))},\n"
                         f"                             fixed-effect SEs within {reflib.fmt(reflib.maxabs(M[k]['bse'], l25['bse']))}; "
                         f"own AGQ(25) LL at its estimates minus its LL {M[k]['loglike_own_agq25_at_these_estimates'] - M[k]['loglike']:+.1e}.")
    ref_rs = M.get("rs_agq15_glmmadaptive") or M.get("rs_agq15_glmmadaptive_default")
    if ref_rs:
        notes.append(f"  {'rs_agq15_glmmadaptive':26s} LL {ref_rs['loglike']:.10f} (primary for the random-slope model).")
    for k in ("rs_agq15_glmmadaptive_default", "rs_agq25_glmmadaptive", "rs_laplace_lme4",
              "rs_laplace_lme4_default", "rs_laplace_glmmTMB"):
        if k in M:
            notes.append(f"  {k:26s} LL {M[k]['loglike']:.10f}; minus rs_agq15: LL {M[k]['loglike'] - ref_rs['loglike']:+.2e}, params within "
                         f"{reflib.fmt(reflib.maxabs(M[k]['params'], ref_rs['params']))}.")

    def ci(c):
        if "error" in c:
            return {"error": c["error"]}
        names = {".sig01": "re_sd_Intercept"}
        return {names.get(r, rn(r)): [float(lo), float(hi)] for r, lo, hi in zip(c["rows"], c["lower"], c["upper"])}
    for name, key, nagq in (("confint_profile_laplace", "confint_laplace", ""), ("confint_profile_agq25", "confint_agq25", ", nAGQ = 25")):
        if key in j:
            M[name] = {"call": PREP + "f <- " + LM.format(re=1, c=nagq + ", " + LME_TIGHT) + '; confint(f, method = "profile")',
                       "software": SW_L, "level": 0.95, "intervals": ci(j[key]), "seconds_wall": j[key].get("seconds")}
            iv = M[name]["intervals"]
            notes.append(f"  {name}: district SD interval {iv.get('re_sd_Intercept', iv)} ({M[name]['seconds_wall']:.0f} s wall).")
    vcs = {k: {"re_sd_Intercept": j[f"varcorr_{k}"]["sd"], "re_var_Intercept": j[f"varcorr_{k}"]["var"]}
           for k in ("laplace", "agq25") if f"varcorr_{k}" in j}
    if vcs:
        vcs["call"] = "VarCorr(f)$district: attr(, 'stddev') and [1, 1] for the lme4 fits laplace_lme4 and agq25 above"
        M["varcorr"] = vcs
    if "predict_agq25" in j:
        pr = j["predict_agq25"]
        nd = pr["newdata"]
        if isinstance(nd, list):                      # jsonlite writes a data frame as a list of rows
            nd = {c: [r[c] for r in nd] for c in nd[0]}
        rows = [int(r) for r in pr["rows"]]
        b = beta_of(l25, NAMES)
        _, modes, _ = agq_ll(b, l25["params"]["re_var_Intercept"], data, 25, return_modes=True)
        uniq = np.unique(dd["district"])
        own_cond = [float(expit(X[r - 1] @ b + modes[np.searchsorted(uniq, dd["district"][r - 1])])) for r in rows]
        newx = np.array([1.0, 1.0, 0.0, 0.0, 1.0, 0.0])
        M["predict_agq25"] = {
            "call": PREP + "f <- " + LM.format(re=1, c=", nAGQ = 25, " + LME_TIGHT) +
            '; nd <- d[rows, c("district", "urban", "age", "livch")]; predict(f, newdata = nd, type = "response"); '
            'predict(f, newdata = nd, type = "response", re.form = NA); '
            'predict(f, newdata = data.frame(district = "999", urban = 1, age = 0, livch = factor("2", levels(d$livch))), '
            'type = "response", allow.new.levels = TRUE)',
            "software": SW_L, "rows": rows,
            "newdata": {"district": [int(x) for x in nd["district"]], "urban": [int(x) for x in nd["urban"]],
                        "age": [float(x) for x in nd["age"]], "livch": [str(x) for x in nd["livch"]]},
            "conditional": [float(x) for x in pr["conditional"]],
            "re_form_NA": [float(x) for x in pr["marginal_re_form_NA"]],
            "link_conditional": [float(x) for x in pr["link_conditional"]],
            "ranef": {str(int(dist)): float(v) for dist, v in zip(nd["district"], pr["ranef"].values())},
            "new_district": {"district": "999 (not in the data)", "urban": 1, "age": 0.0, "livch": "2"},
            "new_district_response": float(np.ravel(pr["new_district_response"])[0]),
            "new_district_re_form_NA": float(np.ravel(pr["new_district_re_form_NA"])[0]),
            "own_conditional": own_cond, "own_new_district": float(expit(newx @ b))}
        P = M["predict_agq25"]
        notes.append(f"  predict_agq25: own expit(x'beta + mode) minus lme4's conditional predictions: within "
                     f"{reflib.fmt(max(abs(a - c) for a, c in zip(P['own_conditional'], P['conditional'])))}; new district "
                     f"{P['new_district_response']:.10f} (own {P['own_new_district']:.10f}).")
    lme = {k: j[v] for k, v in (("ri_laplace", "lme4_ri_laplace"), ("ri_agq25", "lme4_ri_agq25"),
                                ("ri_agq25_default", "lme4_ri_agq25_default")) if v in j}
    doc = f"""
GLMMadaptive {V_GA} (built from source), lme4 and glmmTMB, {reflib.DATE}
(generator tests/results/scripts/glmm_contraception_peers.R). Dicts (those present; see "Not run" below):
  agq25_glmmadaptive(_tight)   random intercept, GLMMadaptive mixed_model(..., nAGQ = 25), default control
                               (and tight tolerances). Same keys as agq25. GLMMadaptive's logLik is on the full
                               scale (it equals our own AGQ LL), like lme4's for 0/1 data. Target -1206.674.
  rs_*                         random intercept and random urban slope, `(urban | district)`, unstructured
                               2 x 2 covariance; params as above plus "re_var_Intercept", "re_cov_Intercept_urban",
                               "re_var_urban". rs_agq15_glmmadaptive: GLMMadaptive nAGQ = 15 (15 x 15 adaptive
                               grid), tight control (primary); _default: default control; rs_agq25_glmmadaptive:
                               25 points (quadrature check); rs_laplace_lme4 (tight bobyqa) / _default and
                               rs_laplace_glmmTMB: Laplace (lme4 allows nAGQ > 1 only for one scalar random effect).
  confint_profile_laplace, confint_profile_agq25   lme4 confint(method = "profile") of the random-intercept
                               fits laplace_lme4 and agq25 (95%); "intervals" maps name -> [lower, upper], with
                               "re_sd_Intercept" the district SD (lme4's .sig01: profile CIs are for the SD).
  varcorr                      VarCorr of the same two fits (SD and variance of the district intercept).
  predict_agq25                predictions of lme4 agq25 (type = "response") for the women in data rows `rows`
                               (1-based rows of tests/data/contraception.csv): "conditional" uses the district's
                               conditional mode (lme4's ranef, in "ranef", by district); "re_form_NA" sets the random
                               effect to 0 (re.form = NA: expit(x'beta), NOT the population-averaged probability);
                               "link_conditional" is the conditional linear predictor; "new_district_response": a
                               woman of an unseen district (urban = 1, age = 0, livch = "2") with allow.new.levels =
                               TRUE, for which lme4 uses u = 0 (so it equals "new_district_re_form_NA").
                               "own_conditional": expit(x'beta + mode) with the modes from our own Newton
                               iteration at the agq25 estimates (second route).
  lme4_fit_seconds             timings of the lme4 random-intercept fits.
Agreement:
""" + "\n".join(notes) + f"""
Each dict's "seconds" holds wall (median of up to 3 runs) and CPU seconds; the machine was shared while
they were measured, so quote CPU time (see benchmarks/peers.md).
Not run (too slow on the shared machine this time): {', '.join(sorted({n for n, *_ in spec} - set(M))) or 'nothing'}
{', '.join(n for n in ('confint_profile_laplace', 'confint_profile_agq25') if n not in M) or ''}; the generator
and writer handle them when rerun on a quieter machine.
"""
    entries = [(k, v, None) for k, v in M.items()]
    if lme:
        entries.append(("lme4_fit_seconds", {k: reflib.secs(v) for k, v in lme.items()},
                        "wall/CPU seconds of the lme4 random-intercept fits (agq25, laplace_lme4 and agq25_lme4_default above)"))
    reflib.splice_module("tests/results/results_glmm_contraception.py", doc, entries, "write_glmm_peers.py")
    print("contraception done")

# ------------------------------------------------------------------ cbpp
if "cbpp" in WHAT:
    j = reflib.load("cbpp_peers")
    SW_GA = f"R GLMMadaptive {j['GLMMadaptive']} (built from the CRAN GitHub mirror cran/GLMMadaptive; {j['R']})"
    SW_L = f"R lme4 {j['lme4']} (Debian r-cran-lme4 1.1-31-1; {j['R']})"
    PREP = 'd <- read.csv("tests/data/cbpp.csv"); d$herd <- factor(d$herd); d$period <- factor(d$period); '
    GA = "mixed_model(cbind(incidence, size - incidence) ~ period, random = ~ 1 | herd, data = d, family = binomial(), nAGQ = 25{c})"
    LM = "glmer(cbind(incidence, size - incidence) ~ period + (1 | herd), data = d, family = binomial, nAGQ = 25{c})"
    dd = pd.read_csv("tests/data/cbpp.csv")
    X = np.column_stack([np.ones(len(dd))] + [(dd["period"] == k).astype(float) for k in (2, 3, 4)])
    data = make_data(X, dd["incidence"], dd["size"], dd["herd"])
    NAMES = ["Intercept", "period2", "period3", "period4"]
    from results_glmm_cbpp import saturated_loglike  # noqa: E402
    M = {"agq25_glmmadaptive": fixed(j["ga_agq25"], 56, 15, SW_GA, PREP + GA.format(c="")),
         "agq25_glmmadaptive_tight": fixed(j["ga_agq25_tight"], 56, 15, SW_GA, PREP + GA.format(c=", " + GA_TIGHT))}
    for k, src, c in (("agq25_lme4", "lme4_agq25_tight", ", " + LME_TIGHT), ("agq25_lme4_default", "lme4_agq25", "")):
        m = dict(j[src])
        m["loglike"] = m["loglike_reported"] + saturated_loglike
        M[k] = fixed(m, 56, 15, SW_L, PREP + LM.format(c=c))
        M[k]["loglike_lme4_reported"] = j[src]["loglike_reported"]
    for k in M:
        M[k]["loglike_own_agq25_at_these_estimates"] = agq_ll(beta_of(M[k], NAMES), M[k]["params"]["re_var_Intercept"], data, 25)
    g, gt, lt, ld = M["agq25_glmmadaptive"], M["agq25_glmmadaptive_tight"], M["agq25_lme4"], M["agq25_lme4_default"]
    doc = f"""
GLMMadaptive {j['GLMMadaptive']} and lme4 with 25 adaptive points, {reflib.DATE}
(generator tests/results/scripts/glmm_cbpp_peers.R). Same keys as above.
  agq25_glmmadaptive        GLMMadaptive mixed_model(..., nAGQ = 25), default control: LL {g['loglike']:.10f}
                            (GLMMadaptive's logLik includes the log binomial coefficients: the full scale).
  agq25_glmmadaptive_tight  tight control: LL {gt['loglike']:.10f}; params within {reflib.fmt(reflib.maxabs(g['params'], gt['params']))} of the default.
  agq25_lme4                lme4 nAGQ = 25, tight bobyqa. loglike = lme4's logLik ({lt['loglike_lme4_reported']:.10f},
                            kept as loglike_lme4_reported) + saturated_loglike, i.e. on the full scale: {lt['loglike']:.10f}.
  agq25_lme4_default        the same with default control: LL {ld['loglike']:.10f}.
  GLMMadaptive (tight) minus lme4 (tight): LL {gt['loglike'] - lt['loglike']:+.2e}, params within
  {reflib.fmt(reflib.maxabs(gt['params'], lt['params']))}, SEs within {reflib.fmt(reflib.maxabs(gt['bse'], lt['bse']))}.
  Own AGQ(25) LL at each fit's estimates ("loglike_own_agq25_at_these_estimates") minus its loglike:
  {', '.join(f"{k} {M[k]['loglike_own_agq25_at_these_estimates'] - M[k]['loglike']:+.1e}" for k in M)}.
  AGQ(25) minus the AGQ(11) reference agq11 above: see loglike_agq_own_at_agq11 (25 vs 11 points differ
  by about 4e-7 at the same estimates).
"""
    reflib.splice_module("tests/results/results_glmm_cbpp.py", doc, [(k, v, None) for k, v in M.items()], "write_glmm_peers.py")
    print("cbpp done")

# ------------------------------------------------------------------ verbagg
if "verbagg" in WHAT and (reflib.load_parts("verbagg_") or os.path.getsize(os.path.join(reflib.REFS, "verbagg_peers.json")) > 0):
    j = reflib.load_parts("verbagg_")             # lme4_agq25, ga_agq25, lme4_laplace, lme4_agq25_tight
    _full = os.path.join(reflib.REFS, "verbagg_peers.json")
    if os.path.exists(_full) and os.path.getsize(_full) > 0:   # an older single-output run
        j = {**reflib.load("verbagg_peers"), **j}
    _i = next(v for v in j.values() if isinstance(v, dict))
    j.setdefault("items", _i["items"]); j.setdefault("R", _i["R"]); j.setdefault("lme4", _i["lme4"])
    j.setdefault("GLMMadaptive", _i["GLMMadaptive"])
    items = j["items"]
    SW_GA = f"R GLMMadaptive {j['GLMMadaptive']} (built from the CRAN GitHub mirror cran/GLMMadaptive; {j['R']})"
    SW_L = f"R lme4 {j['lme4']} (Debian r-cran-lme4 1.1-31-1; {j['R']})"
    PREP = ('d <- read.csv("tests/data/verbagg.csv"); d$item <- factor(d$item, levels = unique(d$item)); '
            'd$id <- factor(d$id); ')
    dd = pd.read_csv("tests/data/verbagg.csv")
    X = np.column_stack([(dd["item"] == it).astype(float) for it in items])
    data = make_data(X, dd["r2"], np.ones(len(dd)), dd["id"])

    def va(m, sw, call):
        out = fixed(m, 7584, 316, sw, call)
        out["params"] = {k[4:] if k.startswith("item") else k: v for k, v in out["params"].items()}
        out["bse"] = {k[4:] if k.startswith("item") else k: v for k, v in out["bse"].items()}
        out["loglike_own_agq25_at_these_estimates"] = agq_ll(np.array([out["params"][it] for it in items]),
                                                             out["params"]["re_var_Intercept"], data, 25)
        return out
    LMC = "glmer(r2 ~ 0 + item + (1 | id), data = d, family = binomial{c})"
    spec = [("agq25", "lme4_agq25_tight", SW_L, LMC.format(c=", nAGQ = 25, " + LME_TIGHT)),
            ("agq25_lme4_default", "lme4_agq25", SW_L, LMC.format(c=", nAGQ = 25")),
            ("laplace_lme4", "lme4_laplace", SW_L, LMC.format(c="")),
            ("agq25_glmmadaptive", "ga_agq25", SW_GA, "mixed_model(r2 ~ 0 + item, random = ~ 1 | id, data = d, family = binomial(), nAGQ = 25)")]
    M = {name: va(j[key], sw, PREP + call) for name, key, sw, call in spec if key in j}
    a = M.get("agq25") or M.get("agq25_lme4_default")
    aname = "agq25" if "agq25" in M else "agq25_lme4_default"
    own_q = {q: agq_ll(np.array([a["params"][it] for it in items]), a["params"]["re_var_Intercept"], data, q) for q in (11, 25, 51)}
    a["loglike_own_agq_at_these_estimates"] = own_q
    lines = []
    for name, m in M.items():
        t = m["seconds"]
        line = f"  {name:20s} LL {m['loglike']:.10f}, variance {m['params']['re_var_Intercept']:.6f}"
        if m is not a:
            line += f"; minus {aname}: LL {m['loglike'] - a['loglike']:+.2e}, params within {reflib.fmt(reflib.maxabs(m['params'], a['params']))}"
        lines.append(line + f"; time {t['wall_median']:.1f} s wall / {t['cpu_median']:.2f} s CPU.")
    missing = [name for name, key, *_ in spec if key not in j]
    doc = f"""Reference results: Rasch model for the verbal aggression data as a logistic GLMM.

Generated {reflib.DATE}. Generator scripts: tests/results/scripts/glmm_verbagg_peers.R (lme4, GLMMadaptive)
and tests/results/scripts/write_glmm_peers.py (this module; our own adaptive GH LL as the second route).

Data: tests/data/verbagg.csv (lme4 `VerbAgg`, long format), 7584 responses of 316 persons to 24 items.
Model: r2 ~ 0 + item + (1 | id), Bernoulli with logit link: logit P(r2 = 1) = beta_item + u_person,
u ~ N(0, sigma^2). This is the Rasch model with item easiness beta_item (difficulty = -beta_item) and a
normal person distribution with free variance.

Keys of each model dict: loglike (full Bernoulli log-likelihood; for 0/1 data lme4's nAGQ > 1 logLik is on
the full scale); params, a dict name -> value with
  "<item label>" (24 keys, e.g. "S1WantCurse", "S4wantCurse" (sic, lower-case w as in the data)):
                      the item's fixed effect (logit scale, no intercept)
  "re_var_Intercept"  variance of the person random intercept
bse (fixed-effect SEs); n_params = 25; nobs = 7584; n_clusters = 316; seconds (wall median of up to 3
runs and CPU time of the fit; the machine was shared, CPU time is the steadier number); software; call.

Models: agq25 = lme4 nAGQ = 25 with a tight bobyqa (primary when present); agq25_lme4_default = lme4
nAGQ = 25 with default control; laplace_lme4 = lme4 Laplace; agq25_glmmadaptive = GLMMadaptive nAGQ = 25,
default control. {('Not finished on the shared machine: ' + ', '.join(missing) + '.') if missing else ''}
""" + "\n".join(lines) + f"""
Second route: our own adaptive GH LL at {aname}'s estimates with 11/25/51 points: {own_q[11]:.10f} /
{own_q[25]:.10f} / {own_q[51]:.10f} (minus lme4's: {own_q[25] - a['loglike']:+.2e} at 25 points).
"""
    reflib.write_module("tests/results/results_glmm_verbagg.py", doc, [(k, v, None) for k, v in M.items()])
    print("verbagg done")

# ------------------------------------------------------------------ var16
if "var16" in WHAT:
    # var16_peers.json, or var16_peers_b.json from a second run of the same script (whichever finished)
    j = reflib.load("var16_peers" if os.path.getsize(os.path.join(reflib.REFS, "var16_peers.json")) > 200 else "var16_peers_b")
    SW_GA = f"R GLMMadaptive {j['GLMMadaptive']} (built from the CRAN GitHub mirror cran/GLMMadaptive; {j['R']})"
    SW_L = f"R lme4 {j['lme4']} (Debian r-cran-lme4 1.1-31-1; {j['R']})"
    PREP = 'd <- read.csv("tests/data/sim_glmm_var16.csv"); d$cluster <- factor(d$cluster); '
    GA = "mixed_model(y ~ x, random = ~ 1 | cluster, data = d, family = binomial(), nAGQ = {q}{c})"
    LM = "glmer(y ~ x + (1 | cluster), data = d, family = binomial{c})"
    dd = pd.read_csv("tests/data/sim_glmm_var16.csv")
    data = make_data(np.column_stack([np.ones(len(dd)), dd["x"]]), dd["y"], np.ones(len(dd)), dd["cluster"])
    M = {"agq25_glmmadaptive": fixed(j["ga_agq25"], 3000, 300, SW_GA, PREP + GA.format(q=25, c="")),
         "agq50_glmmadaptive": fixed(j["ga_agq50"], 3000, 300, SW_GA, PREP + GA.format(q=50, c="")),
         "agq25_glmmadaptive_tight": fixed(j["ga_agq25_tight"], 3000, 300, SW_GA, PREP + GA.format(q=25, c=", " + GA_TIGHT)),
         "agq50_glmmadaptive_tight": fixed(j["ga_agq50_tight"], 3000, 300, SW_GA, PREP + GA.format(q=50, c=", " + GA_TIGHT)),
         "agq25_lme4": fixed(j["lme4_agq25_tight"], 3000, 300, SW_L, PREP + LM.format(c=", nAGQ = 25, " + LME_TIGHT)),
         "agq25_lme4_default": fixed(j["lme4_agq25"], 3000, 300, SW_L, PREP + LM.format(c=", nAGQ = 25")),
         "laplace_lme4": fixed(j["lme4_laplace"], 3000, 300, SW_L, PREP + LM.format(c=", " + LME_TIGHT))}
    for k, m in M.items():
        b = beta_of(m, ["Intercept", "x"])
        m["loglike_own_agq_at_these_estimates"] = {q: agq_ll(b, m["params"]["re_var_Intercept"], data, q) for q in (25, 50, 100)}
    g25, g50, l25, lap = M["agq25_glmmadaptive_tight"], M["agq50_glmmadaptive_tight"], M["agq25_lme4"], M["laplace_lme4"]
    o = l25["loglike_own_agq_at_these_estimates"]
    doc = f"""Reference results: simulated logistic random-intercept GLMM with a large variance (16).

Generated {reflib.DATE}. Generator scripts: tests/results/scripts/sim_glmm_var16_data.py (the data),
tests/results/scripts/glmm_sim_var16_peers.R (GLMMadaptive, lme4) and write_glmm_peers.py (this module;
our own adaptive GH LL as the second route).

Data: tests/data/sim_glmm_var16.csv, simulated with numpy default_rng(20261203): 300 clusters of 10 rows,
x ~ N(0, 1), u_j ~ N(0, 16), logit P(y = 1) = -1 + 0.5 x + u_j (true values: Intercept -1, x 0.5,
re_var_Intercept 16). With SD 4, {int((pd.read_csv('tests/data/sim_glmm_var16.csv').groupby('cluster').y.mean().isin([0, 1])).sum())} of the 300 clusters are all 0 or all 1, so the
integrand is far from normal: quadrature with few points, and Laplace, are visibly off.
Model: y ~ x + (1 | cluster), Bernoulli, logit link.

Keys of each model dict: loglike; params "Intercept", "x", "re_var_Intercept"; bse (fixed effects);
n_params = 3; nobs = 3000; n_clusters = 300; seconds (wall median of 3 runs and CPU time of the fit);
loglike_own_agq_at_these_estimates (our own adaptive GH LL with 25/50/100 points at the dict's
estimates); software; call.

Models (all LLs on the full Bernoulli scale):
  agq25_lme4 (primary)        lme4 nAGQ = 25, tight bobyqa: LL {l25['loglike']:.10f}, variance {l25['params']['re_var_Intercept']:.6f}.
  agq25_glmmadaptive_tight    GLMMadaptive nAGQ = 25, tight: LL {g25['loglike']:.10f}; minus lme4 {g25['loglike'] - l25['loglike']:+.2e},
                              params within {reflib.fmt(reflib.maxabs(g25['params'], l25['params']))}.
  agq50_glmmadaptive_tight    nAGQ = 50, tight: LL {g50['loglike']:.10f}; minus the 25-point fit {g50['loglike'] - g25['loglike']:+.2e},
                              params within {reflib.fmt(reflib.maxabs(g50['params'], g25['params']))}.
  agq25_glmmadaptive, agq50_glmmadaptive   default control: LL {M['agq25_glmmadaptive']['loglike']:.10f} and {M['agq50_glmmadaptive']['loglike']:.10f}.
  agq25_lme4_default          lme4 nAGQ = 25, default control: LL {M['agq25_lme4_default']['loglike']:.10f}.
  laplace_lme4                lme4 Laplace: LL {lap['loglike']:.6f}, variance {lap['params']['re_var_Intercept']:.6f}: the Laplace
                              approximation is off by {lap['loglike'] - o[100]:+.3f} in LL here (use it only as a "what not to match").
Own adaptive GH at agq25_lme4's estimates: 25 points {o[25]:.10f}, 50 points {o[50]:.10f}, 100 points
{o[100]:.10f}. So the 25-point value is accurate to {abs(o[25] - o[100]):.1e}; 25 points are NOT converged here
in the 1e-4 sense. The closest to exact ML is agq50_glmmadaptive_tight: own 100-point LL at its estimates
{g50['loglike_own_agq_at_these_estimates'][100]:.10f} (its own 50-point LL {g50['loglike']:.10f}). Match exact ML to that within 1e-3,
and a 25-point AGQ to agq25_lme4 within 1e-6.
"""
    reflib.write_module("tests/results/results_glmm_sim_var16.py", doc, [(k, v, None) for k, v in M.items()])
    print("var16 done")
