"""Write tests/results/results_lca_dentistry.py from $REFS_DIR/parts/randomlca_*.json (lca_dentistry_randomlca.R).

Run from the repository root. Generator helper only; tests never import it.
"""
import os
import sys

import numpy as np
import pandas as pd

sys.path.insert(0, os.path.dirname(__file__))
import reflib  # noqa: E402
from peer_checks import lcr_loglike  # noqa: E402

j = reflib.load_parts("randomlca_")
first = next(iter(j.values()))
j.update(randomLCA=first["randomLCA"], R=first["R"])
SW = f"R randomLCA {j['randomLCA']} (built from the CRAN GitHub mirror cran/randomLCA; {j['R']})"
PREP = 'd <- read.csv("tests/data/dentistry.csv"); '
dd = pd.read_csv("tests/data/dentistry.csv")
Y, freq = dd[[f"V{i}" for i in range(1, 6)]].to_numpy(float), dd["freq"].to_numpy(float)
V = [f"V{i}" for i in range(1, 6)]


def model(key, m):
    random = key.startswith("lcr2")
    probit = "probit" in key
    K = len(m["classp"])
    order = np.argsort(-np.asarray(m["classp"], float))          # largest class first
    cp = np.asarray(m["classp"], float)[order]
    op = np.asarray(m["outcomep"], float).reshape(K, 5)[order]
    est, se = m["estimate"], m["se"] or {}
    lin = np.array([[est[f"outcomex_c{c + 1}_{v}"] for v in V] for c in range(K)])[order]
    params = {f"prop_c{c + 1}": float(cp[c]) for c in range(K)}
    params.update({f"{v}_c{c + 1}": float(op[c, i]) for i, v in enumerate(V) for c in range(K)})
    out = {"software": SW, "loglike": float(m["loglike"]), "penalized_loglike": float(m["penloglike"]),
           "params": params, "nobs": int(m["nobs"]), "n_clusters": None, "n_params": int(m["np"]),
           "bic": float(m["bic"])}
    bse = {}
    if se:
        bse.update({f"lin_{v}_c{c + 1}": float(se[f"outcomex_c{order[c] + 1}_{v}"]) for v in V for c in range(K)})
        bse["class_logit"] = float(se["classx2"])
    if random:
        lam = np.atleast_1d(np.asarray(m["lambdacoef"], float))
        sign = 1.0 if lam.sum() >= 0 else -1.0                   # u and -u give the same model
        lam = sign * lam
        if len(lam) == 1:
            params["loading"] = float(lam[0])
            if se:
                bse["loading"] = float(se["lambda1"])
        else:
            params.update({f"loading_{v}": float(lam[i]) for i, v in enumerate(V)})
            if se:
                bse.update({f"loading_{v}": float(se[f"lambda{i + 1}"]) for i, v in enumerate(V)})
        mp = np.asarray(m["marginal_outcomep"], float).reshape(K, 5)[order]
        out["marginal_p"] = {f"{v}_c{c + 1}": float(mp[c, i]) for i, v in enumerate(V) for c in range(K)}
        lam_full = np.repeat(lam, 5) if len(lam) == 1 else lam
        out["loglike_own_gh201"] = lcr_loglike(Y, freq, cp, lin, lam_full, probit=probit)
    else:
        out["loglike_own_gh201"] = lcr_loglike(Y, freq, cp, lin, np.zeros(5), probit=False, nq=3)
    out["linear_predictor"] = {f"{v}_c{c + 1}": float(lin[c, i]) for i, v in enumerate(V) for c in range(K)}
    out["bse"] = bse or None
    out["seconds"] = reflib.secs(m)
    pen = 0.0 if "pen0" in key else 0.01
    q = 61 if "q61" in key else 21
    out["call"] = (PREP + f"randomLCA(d[, paste0('V', 1:5)], freq = d$freq, nclass = 2, random = {str(random).upper()}, "
                   f"constload = {str('itemload' not in key).upper()}, probit = {str(probit).upper()}, penalty = {pen}, "
                   f"quadpoints = {q}, seed = 20261203, cores = 1)")
    return out


M = {k: model(k, v) for k, v in j.items() if isinstance(v, dict) and "error" not in v}
ERR = {k: v["error"] for k, v in j.items() if isinstance(v, dict) and "error" in v}
def ren(k):
    return k.replace("_pen0", "") + ("_penalized" if "pen0" not in k else "")


M = {ren(k): v for k, v in M.items()}
ERR = {ren(k): e for k, e in ERR.items()}
lines = []
for k, m in M.items():
    if k.endswith("_q61") and k[:-4] in M:
        continue
    extra = ""
    if k.endswith("_q61"):
        lines.append(f"  {k:32s} LL {m['loglike']:.6f}; own GH(201) LL at the estimates {m['loglike_own_gh201'] - m['loglike']:+.1e}"
                     " (the 21-point fit failed, see below)")
        continue
    if k + "_q61" in M:
        q = M[k + "_q61"]
        extra = f"; 61 adaptive points {q['loglike'] - m['loglike']:+.1e}, params within {reflib.fmt(reflib.maxabs(q['params'], m['params']))}"
    lines.append(f"  {k:32s} LL {m['loglike']:.6f}; own GH(201) LL at the estimates {m['loglike_own_gh201'] - m['loglike']:+.1e}{extra}")
doc = f"""Reference results: latent class models for the dentistry data, with and without a random effect (randomLCA).

Generated {reflib.DATE}. Generator scripts: tests/results/scripts/lca_dentistry_randomlca.R (randomLCA)
and tests/results/scripts/write_lca_dentistry.py (this module; our own Gauss-Hermite LL as the second route).

Data: tests/data/dentistry.csv (randomLCA `dentistry`): 32 response patterns of five dentists' 0/1
caries diagnoses `V1`..`V5` with frequencies `freq` (3869 tooth surfaces).
Models (2 classes):
  lca2*   plain latent class model: P(V_j = 1 | class c) = p_cj, items independent within a class.
  lcr2_*  the random-effect latent class model ("2LCR", Qu, Tan & Kutner 1996, Biometrics 52:797):
          F^-1 P(V_j = 1 | class c, u) = alpha_cj + lambda_j u with u ~ N(0, 1) per surface,
          F = logistic ("logit") or standard normal ("probit"); "constload": one loading lambda for all
          items (lambda_j = lambda); "itemload": a loading per item (randomLCA constload = FALSE).
          The loadings are the same in both classes (randomLCA byclass = FALSE).
Penalty: randomLCA maximises by default a PENALISED likelihood, LL + (0.01 / (2 K)) sum log(p (1 - p))
over the outcome probabilities at u = 0. The dicts without a suffix use penalty = 0, i.e. plain ML:
these are the targets for an ML fit. `*_penalized` dicts use the default penalty 0.01; their loglike is
the unpenalised LL at the penalised optimum (penalized_loglike is the objective), so they are slightly
below the ML dicts. randomLCA integrates with 21 adaptive GH points by default; `*_q61` use 61.

Canonical class order: decreasing class proportion (class 1 = the larger, "sound" class). The loading
sign is not identified (u and -u give the same model): loadings are stored with a positive sum.
Keys of each model dict: loglike; penalized_loglike; params, a dict name -> value with
  "prop_c<k>"         class proportion
  "V<j>_c<k>"         P(V_j = 1 | class k) for lca2; for lcr2 the probability AT u = 0, F(alpha_kj)
  "loading"           lambda (constload) or "loading_V<j>" (itemload), on the logit/probit scale
linear_predictor ("V<j>_c<k>": alpha_kj on the logit/probit scale); marginal_p (lcr2: P(V_j = 1 | class k)
integrated over u, randomLCA's calcMargProb); bse (randomLCA's SEs from the optimiser's Hessian, on its
internal scale: "lin_V<j>_c<k>" for alpha_kj, "loading*", and "class_logit" for the class logit), None where
it gives none; n_params; bic; nobs = 3869 (surfaces); n_clusters = None; loglike_own_gh201 (our own
log-likelihood at these estimates with 201 fixed Gauss-Hermite points); seconds (wall median of 3 runs and
CPU time); software; call.

randomLCA was installed next to a stand-in "Rfast" package that provides only rowMaxs(x, value = TRUE),
the one Rfast function randomLCA imports (tests/results/README.md explains why; a row maximum is exact).
Which dict to match: an exact ML implementation should match the "*_q61" dicts (61 adaptive points)
where they exist: for the item-loading models randomLCA's default 21 points are not enough (see the
lines below: the 21-point LL is off by about 1e-3, our 201-point value agrees with the 61-point one), and
with 21 points the logit models stop with randomLCA's error "divergence - increase quadrature points".
Agreement:
""" + "\n".join(lines) + "\n" + ("".join(
    f"  {k} (randomLCA arguments as the name says) stopped with the error: {e!r}\n" for k, e in ERR.items()) if ERR else "")
reflib.write_module("tests/results/results_lca_dentistry.py", doc, [(k, v, None) for k, v in M.items()])
print("ok")
