"""Write the mirt/girth IRT references (run from the repository root):
  * adds the mirt and girth fits to tests/results/results_irt_lsat7.py,
  * writes tests/results/results_irt_sim2pl.py (30-item simulated 2PL data),
  * writes tests/results/results_irt_mixture.py (mixture 2PL, mirt dentype = "mixture-2").
Reads $REFS_DIR/irt_mirt_lsat7.json and parts/mirt_sim2pl_*.json, parts/mirt_mix_*.json (irt_mirt.R) and
irt_girth.json (irt_girth.py). Generator helper only; tests never import it.
Arguments pick the sections (default all): `python write_irt_peers.py mixture` writes only the mixture module.
"""
import os
import sys

import numpy as np
import pandas as pd

sys.path.insert(0, os.path.dirname(__file__))
sys.path.insert(0, "tests/results")
import reflib  # noqa: E402
from peer_checks import irt_loglike  # noqa: E402

SECTIONS = sys.argv[1:] or ["lsat7", "sim2pl", "mixture"]


def num(x):
    return None if x in ("NA", None) else float(x)


def mirt_model(m, items, kind, software, call, nobs):
    """kind: 'rasch_var' (a = 1, free variance), 'onepl' (common slope), '2pl', '3pl'."""
    si, se, irt, irse = m["slope_intercept"], m["slope_intercept_se"], m["irt"], m["irt_se"]
    J = len(items)
    params, bse = {}, {}
    if kind == "onepl":
        params["a"] = float(si[items[0]]["a1"])
        bse["a"] = num(se[items[0]]["a1"])
    if kind in ("2pl", "3pl"):
        for j, it in enumerate(items, 1):
            params[f"a{j}"] = float(si[it]["a1"])
            bse[f"a{j}"] = num(se[it]["a1"])
    for j, it in enumerate(items, 1):
        params[f"d{j}"] = float(si[it]["d"])
        bse[f"d{j}"] = num(se[it]["d"])
    if kind == "3pl":
        for j, it in enumerate(items, 1):
            params[f"g{j}"] = float(irt[it]["g"])
            bse[f"g{j}"] = num(irse[it]["g"])
    if kind == "rasch_var":
        params["theta_var"] = float(m["group"]["COV_11"])
        bse["theta_var"] = num(m["group_se"]["COV_11"])
    out = {"software": software, "call": call, "loglike": float(m["loglike"]), "params": params,
           "bse": bse, "se_type": m["se_type"],
           "irt": {"a": [float(irt[it]["a"]) for it in items], "b": [float(irt[it]["b"]) for it in items]},
           "irt_se": {"a": [num(irse[it]["a"]) for it in items], "b": [num(irse[it]["b"]) for it in items]},
           "n_params": int(m["nest"]), "aic": float(m["aic"]), "bic": float(m["bic"]),
           "nobs": nobs, "n_clusters": None, "n_quad": int(m["quadpts"]),
           "converged": bool(m["converged"]), "em_iterations": int(m["iterations"]),
           "seconds": reflib.secs(m)}
    if kind == "3pl":
        out["irt"]["g"] = [float(irt[it]["g"]) for it in items]
        out["irt_se"]["g"] = [num(irse[it]["g"]) for it in items]
        out["logit_g"] = [float(si[it]["logit(g)"]) for it in items]
    if kind == "rasch_var":
        out["irt"]["a"] = [1.0] * J
    return out


def own_ll(Y, mod, kind):
    p = mod["params"]
    J = Y.shape[1]
    if kind == "rasch_var":
        return irt_loglike(Y, np.ones(J), [p[f"d{j}"] for j in range(1, J + 1)], var=p["theta_var"])
    a = [p["a"]] * J if kind == "onepl" else [p[f"a{j}"] for j in range(1, J + 1)]
    g = [p[f"g{j}"] for j in range(1, J + 1)] if kind == "3pl" else None
    return irt_loglike(Y, a, [p[f"d{j}"] for j in range(1, J + 1)], g)


def girth_model(g, J, nobs, name, call):
    params = {f"a{j}": g["a"][j - 1] for j in range(1, J + 1)}
    params.update({f"d{j}": g["d"][j - 1] for j in range(1, J + 1)})
    return {"software": f"girth {gi['girth']} (PyPI), {name}", "call": call,
            "loglike": g["loglike_own_at_estimates"],
            "loglike_note": "girth reports no log-likelihood: own 201-point GH LL at girth's estimates",
            "params": params, "bse": None, "difficulty_b": g["b"], "nobs": nobs, "n_clusters": None,
            "seconds": reflib.secs(g)}


# ------------------------------------------------------------------ lsat7
lj = reflib.load_parts("mirt_lsat7_")
_old = os.path.join(reflib.REFS, "irt_mirt_lsat7.json")
if os.path.exists(_old) and os.path.getsize(_old) > 0:          # an older single-output run
    lj = {**reflib.load("irt_mirt_lsat7"), **lj}
_any = next(iter({**lj, **reflib.load_parts("mirt_sim2pl_"), **reflib.load_parts("mirt_mix_")}.values()))
SW = f"R mirt {_any['mirt']} (built from the CRAN GitHub mirror cran/mirt; {_any['R']})"
MIRT_VERSION = _any["mirt"]
D7 = 'd <- read.csv("tests/data/lsat7.csv"); '
TIGHT = ", TOL = 1e-9, technical = list(NCYCLES = 100000)"
calls = {
    "rasch_var": 'mirt(d, 1, itemtype = "Rasch", SE = TRUE, SE.type = "Oakes"{t})',
    "onepl": 'mirt(d, mirt.model("F = 1-5\\nCONSTRAIN = (1-5, a1)"), itemtype = "2PL", SE = TRUE, SE.type = "Oakes"{t})',
    "2pl": 'mirt(d, 1, itemtype = "2PL", SE = TRUE, SE.type = "Oakes"{t})',
    "3pl": 'mirt(d, 1, itemtype = "3PL", SE = TRUE, SE.type = "Oakes"{t})'}
tail = "; coef(fit, printSE = TRUE) and coef(fit, printSE = TRUE, IRTpars = TRUE); extract.mirt(fit, \"logLik\")"
Y7 = pd.read_csv("tests/data/lsat7.csv")[[f"item{j}" for j in range(1, 6)]].to_numpy(int)
items7 = [f"item{j}" for j in range(1, 6)]
keys = {"rasch_var": "rasch_var", "onepl": "onepl_common", "2pl": "twopl", "3pl": "threepl"}
names = {"rasch_var": "rasch_var_mirt", "onepl": "onepl_mirt", "2pl": "twopl_mirt", "3pl": "threepl_mirt"}
if "lsat7" in SECTIONS:
    gi = reflib.load("irt_girth")
    L, own7, notes = {}, {}, []
    for kind, key in keys.items():
        if key + "_tight" in lj:
            L[names[kind]] = mirt_model(lj[key + "_tight"], items7, kind, SW, D7 + calls[kind].format(t=TIGHT) + tail, 1000)
        if key in lj:
            dname = names[kind] + "_default"
            L[dname] = mirt_model(lj[key], items7, kind, SW, D7 + calls[kind].format(t="") + tail, 1000)
        prim = L.get(names[kind]) or L.get(names[kind] + "_default")
        if prim is None:
            continue
        own7[kind] = own_ll(Y7, prim, kind)
        rich = lj.get(key + "_tight_richardson")
        if rich and names[kind] in L:
            L[names[kind]]["bse_richardson"] = mirt_model(rich, items7, kind, SW, "", 1000)["bse"]
        line = (f"  {names[kind]:16s} LL {prim['loglike']:.10f} ({'TOL 1e-9' if names[kind] in L else 'mirt defaults only: the tight fit did not finish'});"
                f" own GH(201) LL at the estimates minus mirt's {own7[kind] - prim['loglike']:+.1e}")
        if names[kind] in L and names[kind] + "_default" in L:
            line += f"; default TOL: LL {L[names[kind] + '_default']['loglike'] - prim['loglike']:+.1e}"
        notes.append(line + ".")
    if L:
        from results_irt_lsat7 import twopl as own2pl  # noqa: E402
        t2 = L.get("twopl_mirt") or L.get("twopl_mirt_default")
        if t2:
            d2 = max(abs(v - own2pl["params"][k]) for k, v in t2["params"].items())
            dse2 = max(abs(v - own2pl["bse"][k]) for k, v in t2["bse"].items())
            notes.append(f"  2PL versus our own fit `twopl` above: LL {t2['loglike'] - own2pl['loglike']:+.1e}, parameters within "
                         f"{reflib.fmt(d2)}, SEs (Oakes vs own observed information) within {reflib.fmt(dse2)}.")
        r1 = L.get("rasch_var_mirt") or L.get("rasch_var_mirt_default")
        o1 = L.get("onepl_mirt") or L.get("onepl_mirt_default")
        if r1 and o1:
            notes.append(f"  1PL parametrisations: common slope a^2 = {o1['params']['a'] ** 2:.8f} vs theta_var "
                         f"{r1['params']['theta_var']:.8f}; LLs differ by {o1['loglike'] - r1['loglike']:+.1e}.")
    g7 = gi["lsat7"]
    L["onepl_girth"] = girth_model(g7["onepl"], 5, 1000, "onepl_mml",
                                   'girth.onepl_mml(Y.T, options={"max_iteration": 5000, "quadrature_n": 121, "quadrature_bounds": (-8, 8), "use_LUT": False})')
    L["onepl_girth"]["params"] = {"a": g7["onepl"]["a"][0], **{f"d{j}": g7["onepl"]["d"][j - 1] for j in range(1, 6)}}
    L["rasch_fixed_var_girth"] = girth_model(g7["rasch_a1"], 5, 1000, "rasch_mml (a = 1, theta ~ N(0, 1))",
                                             'girth.rasch_mml(Y.T, discrimination=1, options={...as above})')
    L["rasch_fixed_var_girth"]["params"] = {f"d{j}": g7["rasch_a1"]["d"][j - 1] for j in range(1, 6)}
    o1 = L.get("onepl_mirt") or L.get("onepl_mirt_default")
    if o1:
        notes.append(f"  girth onepl_mml: own LL at its estimates minus mirt's onepl LL {L['onepl_girth']['loglike'] - o1['loglike']:+.1e}.")
    doc7 = f"""
    mirt and girth, {reflib.DATE} (generators tests/results/scripts/irt_mirt.R lsat7 and irt_girth.py).
    R mirt {MIRT_VERSION} was built from source. Every mirt model uses 61 quadrature points (mirt's default for one
    factor). Dicts named "<model>_mirt" use EM tightened to TOL = 1e-9; "<model>_mirt_default" use mirt's
    defaults (TOL 1e-4). If only the _default dict of a model is here, the tight fit did not finish on the
    shared machine (see the lines below).
    SEs: SE.type = "Oakes" (mirt's default: Oakes' identity, observed information by central differences of
    the EM score); for the tight 2PL and 3PL also `bse_richardson` (numerical Richardson Hessian) when present.
    The keys "a<j>", "d<j>" are slope and intercept, logit P = a_j theta + d_j; "irt" holds mirt's IRTpars = TRUE
    form (a, b = -d / a, and g for the 3PL) with delta-method SEs in "irt_se".
      rasch_var_mirt*    itemtype = "Rasch": all slopes fixed at 1, theta ~ N(0, theta_var), theta_var free;
                         params d1..d5, theta_var.
      onepl_mirt*        one common slope (CONSTRAIN = (1-5, a1)), theta ~ N(0, 1); params a (common), d1..d5.
                         The same model as rasch_var in another parametrisation (a^2 = theta_var).
      twopl_mirt*        2PL; params a1..a5, d1..d5.
      threepl_mirt*      3PL (itemtype = "3PL", no prior on g); params a1..a5, d1..d5, g1..g5 (g as a probability,
                         its SE by the delta method from mirt's IRTpars); logit_g holds mirt's logit-scale g. The
                         guessing parameters are weakly identified (several g near 0, logit(g) SEs in the
                         hundreds): compare LL and a/d tightly, g only loosely.
      onepl_girth, rasch_fixed_var_girth   girth {gi['girth']}: onepl_mml (common slope, N(0, 1)) and rasch_mml (a = 1
                         AND theta ~ N(0, 1): a more restricted model, no mirt match). girth's threepl_mml fails under
                         scipy 1.17 ("{gi['lsat7']['threepl']['error']}"): no girth 3PL.
    Agreement:
    """ + "\n".join(notes) + "\n"
    reflib.splice_module("tests/results/results_irt_lsat7.py", doc7, [(k, v, None) for k, v in L.items()], "write_irt_peers.py")
    print("lsat7 done")

# ------------------------------------------------------------------ sim2pl (30 items)
sj = reflib.load_parts("mirt_sim2pl_") if "sim2pl" in SECTIONS else {}
if sj:
    gi = reflib.load("irt_girth")
    items = [f"i{j:02d}" for j in range(1, 31)]
    full = pd.read_csv("tests/data/sim2pl_5k.csv").to_numpy(int)
    p20 = "../shared/data/sim2pl_20k.csv" if os.path.exists("../shared/data/sim2pl_20k.csv") else "/work/shared/data/sim2pl_20k.csv"
    Y20 = pd.read_csv(p20).to_numpy(int)
    rng = np.random.default_rng(1)                 # the generating values, drawn as shared/data/README.md says
    a_true, b_true = rng.uniform(0.5, 2.0, 30), rng.normal(0.0, 1.0, 30)
    S = {}
    D5 = 'd <- read.csv("tests/data/sim2pl_5k.csv"); '
    D20 = 'd <- read.csv("../shared/data/sim2pl_20k.csv"); '
    spec = [("twopl_5k", "twopl_5k_tight", "2pl", D5, TIGHT, 5000), ("twopl_5k_default", "twopl_5k", "2pl", D5, "", 5000),
            ("threepl_5k", "threepl_5k_tight", "3pl", D5, TIGHT, 5000), ("threepl_5k_default", "threepl_5k", "3pl", D5, "", 5000),
            ("twopl_20k", "twopl_20k_tight", "2pl", D20, TIGHT, 20000), ("twopl_20k_default", "twopl_20k", "2pl", D20, "", 20000),
            ("threepl_20k", "threepl_20k_tight", "3pl", D20, TIGHT, 20000), ("threepl_20k_default", "threepl_20k", "3pl", D20, "", 20000)]
    own = {}
    for name, key, kind, prep, t, n in spec:
        if key not in sj:
            continue
        c = calls[kind].format(t=t).replace("(d, 1,", "(d, 1,")
        S[name] = mirt_model(sj[key], items, kind, SW, prep + c + tail, n)
        own[name] = own_ll(full if n == 5000 else Y20, S[name], kind) - S[name]["loglike"]
    g2 = gi["sim2pl"]
    S["twopl_5k_girth"] = girth_model(g2["twopl_5k"], 30, 5000, "twopl_mml", 'girth.twopl_mml(Y.T, options={"max_iteration": 5000, "quadrature_n": 121, "quadrature_bounds": (-8, 8), "use_LUT": False}) with Y the first 5000 rows')
    S["twopl_20k_girth"] = girth_model(g2["twopl_20k"], 30, 20000, "twopl_mml", 'the same on all 20000 rows')
    lines = [f"  {k:22s} LL {v['loglike']:.6f}; own GH(201) LL at the estimates minus mirt's: {own[k]:+.1e}"
             + (f"; EM iterations {v['em_iterations']}, converged {v['converged']}" if 'em_iterations' in v else "")
             for k, v in S.items() if k in own]
    t2 = S.get("twopl_20k") or S.get("twopl_20k_default")
    rec = ""
    if t2:
        a_hat = np.array([t2["params"][f"a{j}"] for j in range(1, 31)])
        b_hat = -np.array([t2["params"][f"d{j}"] for j in range(1, 31)]) / a_hat
        rec = (f"Recovery (20000 persons, 2PL): max |a - a_true| {np.abs(a_hat - a_true).max():.3f}, max |b - b_true| "
               f"{np.abs(b_hat - b_true).max():.3f}. The generating values (true_a, true_b below) are redrawn with\n"
               "numpy default_rng(1) in the README's order; redrawing theta and the responses too reproduces the file exactly.")
    doc = f"""Reference results: 2PL and 3PL IRT models on the 30-item simulated 2PL data (mirt, girth).

Generated {reflib.DATE}. Generator scripts: tests/results/scripts/irt_mirt.R sim2pl (mirt),
tests/results/scripts/irt_girth.py (girth) and tests/results/scripts/write_irt_peers.py (this module;
our own 201-point Gauss-Hermite marginal LL at the estimates as the second route).

Data: shared/data/sim2pl_20k.csv (20000 persons x items i01..i30, 0/1; a ~ U(0.5, 2), b ~ N(0, 1),
theta ~ N(0, 1), numpy default_rng(1)); its first 5000 rows are tests/data/sim2pl_5k.csv. The *_5k dicts
are for tests, the *_20k dicts for benchmarks (the 20k file is not copied into tests/data).
Models: logit P(y_j = 1 | theta) = a_j theta + d_j (2PL); 3PL: P = g_j + (1 - g_j) expit(a_j theta + d_j);
theta ~ N(0, 1); 61 quadrature points (mirt's default).
Keys as in results_irt_lsat7 (params "a<j>", "d<j>" (and "g<j>" for the 3PL) with j = 1..30 for
i01..i30; bse: SE.type = "Oakes"; irt/irt_se: IRTpars form with b = -d / a; n_params; aic; bic; nobs;
n_clusters = None; seconds: wall median (3 runs when under a minute) and CPU time; converged,
em_iterations). Dicts without a suffix: EM tightened to TOL = 1e-9; `_default`: mirt's defaults (TOL 1e-4).
""" + "\n".join(lines) + f"""
girth {gi['girth']} twopl_mml (bse None): own LL at its estimates {S['twopl_5k_girth']['loglike']:.6f} (5k) and
{S['twopl_20k_girth']['loglike']:.6f} (20k); girth's threepl_mml fails under scipy 1.17.
{rec}
mirt integrates over its default grid (61 equally spaced points on [-6, 6], theta_lim) rather than by
Gauss-Hermite, so with 30 items its LL differs from the exact integral by about 1e-6 (see the lines
above); an exact implementation should match mirt's LL to ~1e-5 and its estimates to ~1e-4.
The 3PL is fitted to data without guessing: several g_j go to the boundary 0 and their SEs are huge or
missing; compare the 3PL by LL and a/d only.
"""
    ent = [(k, v, None) for k, v in S.items()]
    ent.append(("true_a", [float(x) for x in a_true], "generating values (2PL), items i01..i30"))
    ent.append(("true_b", [float(x) for x in b_true], None))
    reflib.write_module("tests/results/results_irt_sim2pl.py", doc, ent)
    print("sim2pl done")

# ------------------------------------------------------------------ mixture 2PL
mx = reflib.load_parts("mirt_mix_") if "mixture" in SECTIONS else {}
if mx:
    from scipy.special import log_expit, logsumexp

    def mix_ll(Y, pis, a, d):
        """Own marginal LL of a two-class mixture 2PL (theta ~ N(0, 1) in each class), 201 GH points."""
        x, w = np.polynomial.hermite_e.hermegauss(201)
        lw = np.log(w / w.sum())
        per = []
        for c in range(len(pis)):
            eta = np.outer(x, a[c]) + d[c]
            per.append(logsumexp(Y @ log_expit(eta).T + (1 - Y) @ log_expit(-eta).T + lw, axis=1) + np.log(pis[c]))
        return float(logsumexp(np.column_stack(per), axis=1).sum())

    data_of = {"sim": pd.read_csv("tests/data/sim_mix2pl.csv").filter(regex="^i").to_numpy(float),
               "lsat7": Y7.astype(float)}
    X = {}
    lines = []
    for label in ("sim", "lsat7"):
        tried = {k: v for k, v in mx.items() if k.startswith(label + "_s")}
        failed = {int(v["seed"]): v["error"] for v in tried.values() if "error" in v}
        runs = {k: v for k, v in tried.items() if "error" not in v}
        if not runs:
            continue
        Y = data_of[label]
        J = Y.shape[1]
        best = max(runs, key=lambda k: runs[k]["loglike"])
        m = runs[best]
        groups = sorted(g for g in m["coef"] if g.startswith("MIXTURE"))
        items = [k for k in m["coef"][groups[0]] if k != "GroupPars"]
        pis = np.asarray(m["pis"], float)
        a = np.array([[float(m["coef"][g][it]["par"]["a1"]) for it in items] for g in groups])
        d = np.array([[float(m["coef"][g][it]["par"]["d"]) for it in items] for g in groups])
        sa = [[num((m["coef"][g][it]["se"] or {}).get("a1")) for it in items] for g in groups]
        sd = [[num((m["coef"][g][it]["se"] or {}).get("d")) for it in items] for g in groups]
        order = np.argsort(-pis)
        params, bse = {}, {}
        for ci, c in enumerate(order):
            params[f"prop_c{ci + 1}"] = float(pis[c])
            for j in range(J):
                params[f"a{j + 1}_c{ci + 1}"] = float(a[c, j])
                params[f"d{j + 1}_c{ci + 1}"] = float(d[c, j])
                bse[f"a{j + 1}_c{ci + 1}"] = sa[c][j]
                bse[f"d{j + 1}_c{ci + 1}"] = sd[c][j]
        lls = {int(v["seed"]): float(v["loglike"]) for v in runs.values()}
        own = mix_ll(Y, pis[order], a[order], d[order])
        path = "tests/data/sim_mix2pl.csv" if label == "sim" else "tests/data/lsat7.csv"
        X[f"mix2pl_{label}"] = {
            "software": SW,
            "call": (f'd <- read.csv("{path}")' + ('[, paste0("i", sprintf("%02d", 1:10))]' if label == "sim" else "") +
                     f'; set.seed({m["seed"]}); multipleGroup(d, 1, dentype = "mixture-2", GenRandomPars = TRUE, '
                     f'SE = {"TRUE" if label == "sim" else "FALSE"}, '
                     'TOL = 1e-7, technical = list(NCYCLES = 20000)); best of the seeds in loglike_by_seed'),
            "loglike": float(m["loglike"]), "params": params, "bse": bse, "n_params": 4 * J + 1,
            "nobs": int(Y.shape[0]), "n_clusters": None, "converged": bool(m["converged"]),
            "em_iterations": int(m["iterations"]), "second_order_test": m.get("secondordertest"),
            "loglike_by_seed": lls, "failed_seeds": failed,
            "loglike_own_at_estimates": own, "seconds": reflib.secs(m)}
        lines.append(f"  mix2pl_{label:6s} best LL {m['loglike']:.6f} (seed {m['seed']}); LL by seed {lls};\n"
                     f"                 failed starts {sorted(failed) or 'none'};\n"
                     f"                 converged {m['converged']}, second-order test {m.get('secondordertest')}; own GH(201) LL at the\n"
                     f"                 estimates minus mirt's {own - m['loglike']:+.1e}.")
    doc = f"""Reference results: two-class mixture 2PL (mirt dentype = "mixture-2").

Generated {reflib.DATE}. Generator scripts: tests/results/scripts/sim_mix2pl_data.py (simulated data),
tests/results/scripts/irt_mirt.R mixture (mirt {MIRT_VERSION}) and write_irt_peers.py (this module; our own
Gauss-Hermite LL as the second route).

Model: two latent classes with class-specific item parameters, logit P(y_j = 1 | theta, class c) =
a_jc theta + d_jc, theta ~ N(0, 1) within each class, class proportions prop_c1 + prop_c2 = 1
(mirt's multipleGroup(dentype = "mixture-2") with GenRandomPars = TRUE random starts; 61 quadrature
points; SEs Oakes). mirt fixes the latent mean 0 and variance 1 in each class (GroupPars MEAN_1, COV_11)
and estimates the mixing logit PI of class 2 against class 1. mirt 1.45.1's mirt(..., dentype =
"mixture-2") fails at the first E-step on any data (every response pattern gets frequency 0); the
same model through multipleGroup() without a group runs. Failed starts are listed in failed_seeds.
Data: "sim": tests/data/sim_mix2pl.csv (2000 persons, items i01..i10, true parameters in the generator's
docstring; true class share of class 2 = 0.4015); "lsat7": tests/data/lsat7.csv (5 items; 21 parameters
for 31 free pattern frequencies, weakly identified: treat as a stress case, not a target; mirt's EM needs
~40 ms a cycle there, so only MIX_SEEDS = 3 starts, without SEs, and it may stop at NCYCLES = 20000 before
TOL 1e-7: then `converged` is False and the LL is a lower bound of the maximum).
Class order: decreasing class proportion. Keys: loglike; params "prop_c<k>", "a<j>_c<k>", "d<j>_c<k>";
bse (Oakes; None where mirt gives none); n_params = 4 J + 1; nobs; n_clusters = None; converged;
em_iterations; second_order_test (mirt: the information matrix is positive definite);
loglike_by_seed (every converged start's LL: how often the best is found); failed_seeds (seed: mirt's
error); loglike_own_at_estimates; seconds.
SEs: mirt's Oakes SEs of the mixture are smaller than the inverse observed information (mixlevel's ML SEs,
which equal a finite-difference Hessian of the LL to 1e-4) by up to 20% (d of i02 in class 1: 0.140 vs
0.174): compare estimates and LL tightly, mirt's SEs only loosely.
""" + "\n".join(lines) + "\n"
    reflib.write_module("tests/results/results_irt_mixture.py", doc, [(k, v, None) for k, v in X.items()])
    print("mixture done")
