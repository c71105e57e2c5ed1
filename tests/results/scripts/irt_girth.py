"""Generator: girth (PyPI) marginal-ML fits of the 1PL, 2PL and 3PL on lsat7 and on the 30-item simulated
2PL data (first 5,000 and all 20,000 persons), as a second route for the mirt references.

Run from the repository root with girth installed (the peers venv):
    /opt/peers/venv/bin/python tests/results/scripts/irt_girth.py > /tmp/refs/irt_girth.json
girth returns discrimination a, difficulty b (logit P = a (theta - b)) and guessing c; d = -a b. girth
reports no log-likelihood: it is our own 201-point Gauss-Hermite marginal LL at girth's estimates.
"""
import json
import os
import sys
import time

import numpy as np
import pandas as pd
from girth import onepl_mml, rasch_mml, threepl_mml, twopl_mml

sys.path.insert(0, os.path.dirname(__file__))
from peer_checks import irt_loglike  # noqa: E402

OPTS = {"max_iteration": 5000, "quadrature_n": 121, "quadrature_bounds": (-8, 8), "use_LUT": False}


def run(name, fn, Y, **kw):
    try:
        return _run(name, fn, Y, **kw)
    except Exception as exc:  # girth 0.8.0's threepl_mml fails under scipy 1.17 (fmin_slsqp)
        return {"model": name, "error": f"{type(exc).__name__}: {exc}"}


def _run(name, fn, Y, **kw):
    times = []
    for _ in range(3):
        t0 = time.perf_counter()
        res = fn(Y.T.astype(int), options=dict(OPTS), **kw)
        times.append(time.perf_counter() - t0)
        if times[0] > 60:
            break
    J = Y.shape[1]
    a = np.broadcast_to(np.asarray(res["Discrimination"], float), (J,)).copy()
    b = np.asarray(res["Difficulty"], float)
    g = np.asarray(res["Guessing"], float) if "Guessing" in res else None
    d = -a * b
    return {"model": name, "a": a.tolist(), "b": b.tolist(), "d": d.tolist(),
            "g": None if g is None else g.tolist(),
            "loglike_own_at_estimates": irt_loglike(Y, a, d, g), "times": times,
            "median": float(np.median(times))}


out = {"girth": __import__("importlib.metadata").metadata.version("girth"), "options": {k: str(v) for k, v in OPTS.items()}}
l7 = pd.read_csv("tests/data/lsat7.csv")[[f"item{j}" for j in range(1, 6)]].to_numpy(int)
out["lsat7"] = {"rasch_a1": run("rasch_mml(discrimination=1)", rasch_mml, l7),
                "onepl": run("onepl_mml", onepl_mml, l7),
                "twopl": run("twopl_mml", twopl_mml, l7),
                "threepl": run("threepl_mml", threepl_mml, l7)}
path = "../shared/data/sim2pl_20k.csv" if os.path.exists("../shared/data/sim2pl_20k.csv") else "/work/shared/data/sim2pl_20k.csv"
sim = pd.read_csv(path).to_numpy(int)
out["sim2pl"] = {"twopl_5k": run("twopl_mml", twopl_mml, sim[:5000]),
                 "threepl_5k": run("threepl_mml", threepl_mml, sim[:5000]),
                 "twopl_20k": run("twopl_mml", twopl_mml, sim)}
print(json.dumps(out, indent=1))
