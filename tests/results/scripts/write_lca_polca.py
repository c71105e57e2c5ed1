"""Add the poLCA fits to tests/results/results_lca_carcinoma.py (run from the repository root).

Reads $REFS_DIR/carc_polca.json (lca_carcinoma_polca.R). Generator helper only; tests never import it.
"""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
sys.path.insert(0, "tests/results")
import reflib  # noqa: E402
import results_lca_carcinoma as stepmix  # noqa: E402

ITEMS = "ABCDEFG"
j = reflib.load("carc_polca")
SW = f"R poLCA {j['poLCA']} (built from the CRAN GitHub mirror cran/poLCA; {j['R']})"
CALL = ('d <- read.csv("tests/data/carcinoma.csv"); set.seed({seed}); '
        'poLCA(cbind(A, B, C, D, E, F, G) ~ 1, d, nclass = {k}, nrep = 200, maxiter = 100000, tol = 1e-12, '
        'calc.se = TRUE); classes then sorted by decreasing P')


def clean01(x, tol=1e-10):
    return 0.0 if x < tol else 1.0 if x > 1 - tol else float(x)


def model(k):
    m = j[f"k{k}"]
    p = np.asarray(m["p_item2"], float)            # classes x items, P(item = 2 | class)
    s = np.asarray(m["p_item2_se"], float)
    params = {f"prop_c{c + 1}": float(m["P"][c]) for c in range(k)}
    bse = {f"prop_c{c + 1}": float(m["P_se"][c]) for c in range(k)}
    for i, it in enumerate(ITEMS):
        for c in range(k):
            params[f"{it}_c{c + 1}"] = clean01(p[c, i])
            bse[f"{it}_c{c + 1}"] = float(s[c, i]) if s[c, i] > 1e-10 else 0.0
    att = np.asarray(m["attempts"], float)
    return {"software": SW, "call": CALL.format(seed=m["seed"], k=k), "loglike": float(m["loglike"]),
            "params": params, "bse": bse, "class_proportions": [float(x) for x in m["P"]],
            "p_item1": {it: [clean01(p[c, i]) for c in range(k)] for i, it in enumerate(ITEMS)},
            "n_params": int(m["npar"]), "aic": float(m["aic"]), "bic": float(m["bic"]),
            "nobs": 118, "n_clusters": None, "n_classes": k,
            "starts_reaching_best": int((att > m["loglike"] - 1e-6).sum()), "starts": len(att),
            "seconds": reflib.secs(m, "all 200 starts")}


mods = {k: model(k) for k in (2, 3)}
chk = {k: j[f"k{k}_check"]["loglike"] - mods[k]["loglike"] for k in (2, 3)}
dll = {k: mods[k]["loglike"] - getattr(stepmix, f"lca{k}")["loglike"] for k in (2, 3)}
dpar = {k: reflib.maxabs(mods[k]["params"], getattr(stepmix, f"lca{k}")["params"]) for k in (2, 3)}
doc = f"""
poLCA (generator tests/results/scripts/lca_carcinoma_polca.R), {reflib.DATE}:
  lca2_polca, lca3_polca   R poLCA {j['poLCA']}, nrep = 200 random starts, maxiter 1e5, tol 1e-12.
    Same keys and class order as above, plus bse (poLCA's probs.se and P.se, keyed like params) and
    starts_reaching_best (starts within 1e-6 of the best LL: {mods[2]['starts_reaching_best']}/200 for K = 2,
    {mods[3]['starts_reaching_best']}/200 for K = 3). A second run with another seed gives the same LL
    (differences {reflib.fmt(chk[2])} and {reflib.fmt(chk[3])}).
    poLCA minus StepMix (lca2/lca3): LL {reflib.fmt(dll[2])} (K = 2) and {reflib.fmt(dll[3])} (K = 3);
    largest parameter difference {reflib.fmt(dpar[2])} and {reflib.fmt(dpar[3])}.
  poLCA's SE convention (poLCA.se): the information matrix is the outer product of the per-observation
  scores (cross-product of gradients, not the Hessian) in the multinomial-logit parametrisation of the
  item probabilities (first category as base) and of the class-proportion logits, inverted with a
  Moore-Penrose generalised inverse (MASS::ginv); the SEs of probabilities and proportions follow by the
  delta method. Estimates on the boundary (0 or 1) have zero scores, so their SEs are ~0 (about 1e-20 and
  below) and the generalised inverse simply drops them; treat those SEs as "not estimable", not as zero.
  Such SEs are stored as 0.0 (below 1e-10). Compare the other SEs with rtol ~1e-6 when the same OPG
  convention is used. poLCA was built from source after the note above was written, so it has now run.
"""
reflib.splice_module("tests/results/results_lca_carcinoma.py", doc, [
    ("lca2_polca", mods[2], "2 classes, poLCA"), ("lca3_polca", mods[3], "3 classes, poLCA")],
    "write_lca_polca.py")
