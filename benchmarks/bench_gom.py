"""Grade of membership fits (paper section 7): dentistry and the ICCS 2016 Bulgaria subset.

``ml.GoM`` compresses persons to response patterns (cluster weights), starts
from the nested LCA and integrates the random class logit with logit windows.
Aims (issue 13): the ICCS Bulgaria 2-class GoM with 30 random starts in under
30 s.  Every fit's log-likelihood is confirmed by its integration check (twice
the points on panels half as wide); a failed check raises.
"""

import time
import warnings
from pathlib import Path

import pandas as pd
from _harness import make_result

import mixlevel as ml

DATA = Path("/work/shared/data")
ICCS_ITEMS = ["obey", "rights", "local", "work", "envir", "vote", "history", "respect",
              "news", "protest", "discuss", "party"]


def _fit(model, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        t0 = time.perf_counter()
        res = model.fit(**kw)
        seconds = time.perf_counter() - t0
    if not res.integration_check.ok:
        raise AssertionError(f"integration check failed: {res.integration_check}")
    return seconds, res


def bench_gom_dentistry():
    d = pd.read_csv(DATA / "dentistry.csv")
    model = ml.GoM([f"V{i}" for i in range(1, 6)], d, classes=2, weights="freq")
    seconds, res = _fit(model)
    return [make_result(name="GoM K=2 dentistry (32 patterns, LCA + 4 starts)",
                        seconds=seconds, loglik=res.llf,
                        peer=f"LCA {res.lca.llf:.2f}", aim_seconds=5.0)]


def bench_gom_iccs_bulgaria():
    df = pd.read_csv(DATA / "iccs2016.csv")
    bg = df[df["COUNTRY"] == "BGR"].dropna(subset=ICCS_ITEMS)
    model = ml.GoM(ICCS_ITEMS, bg, classes=2)
    seconds, res = _fit(model, starts=(30, 6))
    return [make_result(name=f"GoM K=2 ICCS Bulgaria ({len(bg)} students, "
                        f"{len(model.patterns)} patterns, 30 starts)",
                        seconds=seconds, loglik=res.llf,
                        peer=f"LCA {res.lca.llf:.2f}", aim_seconds=30.0)]
