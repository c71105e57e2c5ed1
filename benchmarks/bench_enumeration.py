"""Class enumeration benchmarks: an enumeration table on a large LCA and a bootstrap LRT.

* ``bench_enumeration_iccs``: ``enumerate_classes`` for K = 1..6 of the 12-item
  binary LCA of the ICCS 2016 citizenship norms (83,060 students complete on
  the items, fitted as their 2,906 response patterns with ``weights=``), with
  the starts scaled to K and the VLMR/LMR tests.  Aim: 20 s.  ``loglik`` is
  the 6-class log-likelihood.
* ``bench_blrt_carcinoma``: the bootstrap LRT of 3 against 4 classes on the
  carcinoma data (118 slides, 7 raters) with 100 draws (the sequential rule
  off), each draw fitting the 3-class model from the generating values and
  the 4-class model from 20 random starts (5 final) and from the 4-class
  estimates, on 2 processes.  Aim: 30 s.  ``cpu_seconds`` is the sum of the draws' CPU
  seconds in the worker processes.  ``loglik`` is the 4-class one;
  ``peer`` gives the p-value and the draws whose best log-likelihood was not
  replicated.

Reading the CSV and the response patterns are not timed; the fits are.  The
ICCS file lives in ``../shared/data``; without it that benchmark is skipped.
"""

import warnings
from pathlib import Path

import pandas as pd
from _harness import make_result, timeit

import mixlevel as ml

ROOT = Path(__file__).resolve().parent.parent
TEST_DATA = ROOT / "tests" / "data"
SHARED_DATA = ROOT.parent / "shared" / "data"
ICCS_ITEMS = ["obey", "rights", "local", "work", "envir", "vote", "history", "respect",
              "news", "protest", "discuss", "party"]


def bench_enumeration_iccs():
    path = SHARED_DATA / "iccs2016.csv"
    if not path.exists():
        print(f"  note: {path} not found; skipping the ICCS enumeration")
        return []
    df = pd.read_csv(path).dropna(subset=ICCS_ITEMS)
    patterns = ml.response_patterns(df, ICCS_ITEMS)
    formula = " + ".join(ICCS_ITEMS) + " ~ c"

    def run():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return ml.enumerate_classes(formula, patterns, classes="c", k=range(1, 7),
                                        family="binary", weights="n")

    seconds, enum = timeit(run, repeat=1)
    best = enum.best("bic")
    return [make_result("enumeration ICCS K=1..6 (2906 patterns, LMR)", seconds,
                        loglik=enum.table.loc[6, "loglike"],
                        peer=f"best BIC K={best}", aim_seconds=20)]


def bench_blrt_carcinoma():
    df = pd.read_csv(TEST_DATA / "carcinoma.csv") - 1
    formula = " + ".join("ABCDEFG") + " ~ c"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fits = {k: ml.mixture(formula, df, classes={"c": k}, family="binary")
                .fit(starts=(40, 8), progress=False) for k in (3, 4)}

    def run():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return ml.bootstrap_lrt(fits[3], fits[4], max_draws=100, sequential=False,
                                    n_jobs=2, seed=1)

    seconds, boot = timeit(run, repeat=1)
    row = make_result("BLRT carcinoma 3 vs 4 classes, 100 draws, 2 processes", seconds,
                      loglik=fits[4].llf,
                      peer=f"p={boot.pvalue:.2f}, {boot.n_not_replicated} not replicated",
                      aim_seconds=30)
    row["cpu_seconds"] = float(boot.draws["cpu_seconds"].sum())  # the workers' CPU
    return [row]
