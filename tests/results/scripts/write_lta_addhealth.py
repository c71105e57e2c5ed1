"""Write tests/results/results_lta_addhealth.py from $REFS_DIR/parts/slca_*.json (lta_addhealth_slca.R).

Run from the repository root. Generator helper only; tests never import it.
"""
import os
import sys

import numpy as np
import pandas as pd
from scipy.optimize import linear_sum_assignment

sys.path.insert(0, os.path.dirname(__file__))
import reflib  # noqa: E402
from peer_checks import lta2_loglike  # noqa: E402

j = reflib.load_parts("slca_")            # inv_s<seed>, free_s<seed>, inv_doc, free_doc
first = next(iter(j.values()))
j.update(slca=first["slca"], R=first["R"], n_all_w2_missing=first["n_all_w2_missing"])
SW = f"R slca {j['slca']} (built from the CRAN GitHub mirror cran/slca; {j['R']})"
ITEMS = ["S1", "S2", "S3", "S4", "D1", "D2", "F1", "F2"]
dd = pd.read_csv("tests/data/addhealth.csv")
Y1 = 2.0 - dd[[f"{i}w1" for i in ITEMS]].to_numpy(float)      # 1 = yes, 0 = no, NaN missing
Y2 = 2.0 - dd[[f"{i}w2" for i in ITEMS]].to_numpy(float)
PREP = ('d <- read.csv("tests/data/addhealth.csv"); for (v in names(d)[-(1:2)]) d[[v]] <- factor(d[[v]], levels = 1:2); ')
MODEL = ('slca(DEP1(5) ~ S1w1 + S2w1 + S3w1 + S4w1 + D1w1 + D2w1 + F1w1 + F2w1, '
         'DEP2(5) ~ S1w2 + S2w2 + S3w2 + S4w2 + D1w2 + D2w2 + F1w2 + F2w2, DEP1 ~ DEP2{c})')


def arrays(m):
    p = m["param"]
    pi = np.asarray(p["pi"]["DEP1"], float).ravel()
    tau = np.asarray(p["tau"]["A"], float)                 # rows: DEP2 status, columns: DEP1 status
    rho = {k: np.asarray(v, float)[0::2, :] for k, v in p["rho"].items()}   # P(yes): items x classes
    rw1 = rho["a"]
    rw2 = rho.get("b", rho["a"])
    se = m.get("se")
    return pi, tau.T, rw1, rw2, se                          # tau.T: rows = DEP1 status


def model(m, invariant, call):
    pi, tau, rw1, rw2, se = arrays(m)
    o1 = np.argsort(-pi)                                    # wave-1 statuses by decreasing prevalence
    if invariant:
        o2 = o1
    else:                                                   # match wave-2 statuses to wave-1 by item profile
        cost = np.abs(rw1[:, o1][:, :, None] - rw2[:, None, :]).sum(axis=0)
        _, o2 = linear_sum_assignment(cost)
    pi, tau, rw1, rw2 = pi[o1], tau[np.ix_(o1, o2)], rw1[:, o1], rw2[:, o2]
    prev2 = pi @ tau
    K = 5
    params = {f"prev_w1_s{a + 1}": float(pi[a]) for a in range(K)}
    params.update({f"trans_s{a + 1}_s{b + 1}": float(tau[a, b]) for a in range(K) for b in range(K)})
    for i, it in enumerate(ITEMS):
        for a in range(K):
            if invariant:
                params[f"{it}_s{a + 1}"] = float(rw1[i, a])
            else:
                params[f"{it}_w1_s{a + 1}"] = float(rw1[i, a])
                params[f"{it}_w2_s{a + 1}"] = float(rw2[i, a])
    out = {"software": SW, "call": call, "loglike": float(m["loglike"]), "params": params,
           "prevalence_w1": pi.tolist(), "prevalence_w2": prev2.tolist(), "transition": tau.tolist(),
           "p_yes_w1": {it: rw1[i].tolist() for i, it in enumerate(ITEMS)},
           "p_yes_w2": {it: rw2[i].tolist() for i, it in enumerate(ITEMS)},
           "n_params": int(m["df"]), "nobs": int(m["nobs"]), "n_clusters": None, "n_statuses": K,
           "loglike_own_at_estimates": lta2_loglike(Y1, Y2, pi, tau, rw1, rw2), "bse": None}
    if se:
        spi, stau, srw1, srw2, _ = arrays({"param": se})
        b = {f"prev_w1_s{a + 1}": float(spi[o1][a]) for a in range(K)}
        st = stau[np.ix_(o1, o2)]
        b.update({f"trans_s{a + 1}_s{c + 1}": float(st[a, c]) for a in range(K) for c in range(K)})
        for i, it in enumerate(ITEMS):
            for a in range(K):
                if invariant:
                    b[f"{it}_s{a + 1}"] = float(srw1[i, o1[a]])
                else:
                    b[f"{it}_w1_s{a + 1}"] = float(srw1[i, o1[a]])
                    b[f"{it}_w2_s{a + 1}"] = float(srw2[i, o2[a]])
        out["bse"] = b
    if m.get("median") is not None and m.get("times"):
        out["seconds"] = reflib.secs(m, f"nrep = {m['nrep']}")
    return out


runs = {k: v for k, v in j.items() if isinstance(v, dict)}
M, lines = {}, []
for kind, inv in (("inv", True), ("free", False)):
    seeds = {k: v for k, v in runs.items() if k.startswith(kind + "_s")}
    if not seeds:
        continue
    best = max(seeds, key=lambda k: seeds[k]["loglike"])
    lls = np.array([v["loglike"] for v in seeds.values()])
    c = ', constraints = c("DEP1", "DEP2")' if inv else ""
    name = "invariant" if inv else "noninvariant"
    b = seeds[best]
    M[name] = model(b, inv, PREP + f"set.seed({b['seed']}); estimate({MODEL.format(c=c)}, d, "
                    f"control = slcaControl(em.tol = 1e-10, em.iterlim = 100000, nrep = 20))")
    doc_run = runs.get(f"{kind}_doc")
    if doc_run:
        M[name + "_doc"] = model(doc_run, inv, PREP + f"set.seed(1); estimate({MODEL.format(c=c)}, d, control = list(em.tol = 1e-6))")
    lines.append(f"  {name:13s} LL {M[name]['loglike']:.6f} (best of {len(seeds)} seeds x 20 starts; the seeds' LLs: "
                 f"{', '.join(f'{x:.4f}' for x in lls)});\n"
                 f"                own LL at the estimates minus slca's: {M[name]['loglike_own_at_estimates'] - M[name]['loglike']:+.1e}; "
                 + (f"the documentation's call (one start, em.tol 1e-6): LL {M[name + '_doc']['loglike']:.4f}." if name + "_doc" in M else ""))
lrtext = "(the noninvariant fit did not finish in time)"
if "noninvariant" in M:
    lr = 2 * (M["noninvariant"]["loglike"] - M["invariant"]["loglike"])
    ddf = M["noninvariant"]["n_params"] - M["invariant"]["n_params"]
    lrtext = f"= {lr:.3f} on {ddf} df"
doc = f"""Reference results: latent transition analysis of adolescent depression (Add Health), 5 statuses, 2 waves (slca).

Generated {reflib.DATE}. Generator scripts: tests/results/scripts/lta_addhealth_slca.R (slca) and
tests/results/scripts/write_lta_addhealth.py (this module; our own likelihood at the estimates).

Data: tests/data/addhealth.csv (slca `addhealth`), 2061 adolescents; eight depression items (S1..S4,
D1, D2, F1, F2) at wave 1 (suffix w1) and wave 2 (w2), coded 1 = yes, 2 = no, empty = missing.
{j['n_all_w2_missing']} adolescents miss every wave-2 item; they stay in the fit (missing items are skipped:
FIML under MAR, as slca does), and nobs = {M['invariant']['nobs']} rows are used.
Model (the slca documentation's addhealth example, on all rows): status DEP1 at wave 1 with 5 classes, DEP2
at wave 2 with 5 classes, P(DEP2 | DEP1) unrestricted (first-order transition), items independent given
the status. "invariant": the same item probabilities at both waves (slca constraints = c("DEP1",
"DEP2")); "noninvariant": separate item probabilities per wave.

Canonical status order: decreasing wave-1 prevalence. For the noninvariant model the wave-2 statuses
are matched to the wave-1 statuses by their item profiles (Hungarian algorithm on the summed absolute
differences of P(yes)), so trans_s<a>_s<a> is "staying".
Keys of each model dict: loglike; params, a dict name -> value with
  "prev_w1_s<a>"               P(DEP1 = a)
  "trans_s<a>_s<b>"            P(DEP2 = b | DEP1 = a)
  "<item>_s<a>"                P(item = yes | status a)             (invariant)
  "<item>_w1_s<a>", "<item>_w2_s<a>"   the same per wave               (noninvariant)
bse: slca's SEs (param(fit, se = TRUE): outer product of the gradients, slca's default vcov) keyed
like params; prevalence_w1, prevalence_w2 (= prevalence_w1 @ transition), transition (5 x 5, rows =
wave-1 status), p_yes_w1, p_yes_w2 (item -> list over statuses): the same numbers as arrays;
n_params (slca's df); nobs; n_clusters = None; loglike_own_at_estimates (our own two-wave likelihood
at these estimates, rows missing everything dropped); seconds (the timed documentation-style fit);
software; call.

Models:
""" + "\n".join(lines) + f"""
LR test invariant vs noninvariant: 2 (LL_free - LL_inv) {lrtext}.
The `_doc` dicts are the documentation's one-start call (em.tol = 1e-6): do not use them as targets
unless their LL equals the best one.
"""
reflib.write_module("tests/results/results_lta_addhealth.py", doc, [(k, v, None) for k, v in M.items()])
print("ok")
