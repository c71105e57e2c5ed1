"""Kernel threads on a shared machine: default threads against one thread, alone and busy.

Run by hand (it starts busy processes, so ``run.py`` does not collect it)::

    PYTHONPATH=. python benchmarks/bench_threads.py               # 3 fits per cell
    PYTHONPATH=. python benchmarks/bench_threads.py --repeat 5 --busy 2
    OMP_WAIT_POLICY=ACTIVE PYTHONPATH=. python benchmarks/bench_threads.py   # spinning threads

Three fits, each timed with the default threads (``num_threads`` not given:
the engine's :class:`~mixlevel.engine.threads.ThreadPlan` decides per call)
and with ``num_threads=1``, first alone, then beside ``--busy`` processes that
keep a core each busy with numpy (as parallel Monte Carlo replications, joblib
workers or another user's job would):

* carcinoma: 2-class LCA of 7 binary raters (118 rows), starts (10, 3);
* contraception: logistic GLMM (1 | district), adaptive Gauss-Hermite 25 points;
* ICCS: 4-class LCA of 12 binary items on the 2,906 response patterns of
  83,060 students (frequency weights), starts (10, 3); simulated with the same
  size when ``../shared/data/iccs2016.csv`` is absent.

The two thread settings alternate (default, one, default, one, ...) so that a
change in the machine's load falls on both; the table gives the median wall
seconds and the ratio default / one thread.  The aim: no ratio above 1 when
the machine is busy.
"""

import argparse
import multiprocessing as mp
import os
import statistics
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from bench_engine import (  # noqa: E402
    ICCS_ITEMS,
    _lca_spec,
    _load,
    _random_intercept_logit_spec,
)

import mixlevel as ml  # noqa: E402
from mixlevel._kernels import wait_policy  # noqa: E402
from mixlevel.model import MixtureModel  # noqa: E402


def _spin(stop):
    """A busy process: element-wise numpy work (one core, no BLAS threads) until ``stop``."""
    x = np.random.default_rng(0).random(1_000_000)
    while not stop.is_set():
        np.sqrt(x * x + 1.0, out=x)


class Busy:
    """``n`` processes spinning on numpy while the ``with`` block runs."""

    def __init__(self, n):
        self.n = n

    def __enter__(self):
        ctx = mp.get_context("spawn")
        self.stop = ctx.Event()
        self.procs = [ctx.Process(target=_spin, args=(self.stop,), daemon=True)
                      for _ in range(self.n)]
        for p in self.procs:
            p.start()
        time.sleep(1.0 if self.n else 0.0)  # let them start
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for p in self.procs:
            p.join(10)
            if p.is_alive():
                p.terminate()


# -- the fits ---------------------------------------------------------------------------
def carcinoma():
    df = _load("carcinoma.csv")
    items = list("ABCDEFG")
    df = df[items] - 1
    return lambda nt: MixtureModel(_lca_spec(items, 2), df, num_threads=nt).fit(
        starts=(10, 3))


def contraception():
    d = _load("contraception.csv", shared_first=True).copy()
    level = d["livch"].astype(str)
    for lv in ("1", "2", "3+"):
        d[f"livch{lv}"] = (level == lv).astype(float)
    spec = _random_intercept_logit_spec(
        "use", ["urban", "age", "livch1", "livch2", "livch3+"], "district")
    return lambda nt: MixtureModel(spec, d, cluster="district", integration="gauss-hermite",
                                   n_points=25, adaptive=True, num_threads=nt).fit()


def _iccs_like(rng, n=83_060):
    """Simulated ICCS-size data: 12 binary items, 4 classes."""
    cls = rng.choice(4, size=n, p=[0.4, 0.3, 0.2, 0.1])
    prob = rng.uniform(0.15, 0.95, size=(4, len(ICCS_ITEMS)))
    y = (rng.random((n, len(ICCS_ITEMS))) < prob[cls]).astype(float)
    return pd.DataFrame(y, columns=ICCS_ITEMS)


def iccs():
    df = _load("iccs2016.csv", shared_first=True)
    df = df[ICCS_ITEMS].dropna() if df is not None else _iccs_like(np.random.default_rng(1))
    pat = ml.response_patterns(df, ICCS_ITEMS)
    return lambda nt: MixtureModel(_lca_spec(ICCS_ITEMS, 4), pat, weights="n",
                                   num_threads=nt).fit(starts=(10, 3))


FITS = {"carcinoma LCA, starts (10, 3)": carcinoma,
        "contraception GLMM, AGQ 25": contraception,
        "ICCS LCA on patterns, starts (10, 3)": iccs}


def measure(fit, repeat):
    """Median seconds with the default threads and with one, alternating."""
    times = {None: [], 1: []}
    llf = {}
    for _ in range(repeat):
        for nt in (None, 1):
            t0 = time.perf_counter()
            res = fit(nt)
            times[nt].append(time.perf_counter() - t0)
            llf[nt] = res.llf
    if abs(llf[None] - llf[1]) > 1e-6 * (1 + abs(llf[1])):
        raise AssertionError(f"threads changed the log-likelihood: {llf}")
    return statistics.median(times[None]), statistics.median(times[1])


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeat", type=int, default=3, help="fits per cell (median)")
    ap.add_argument("--busy", type=int, default=2, help="busy processes in the busy runs")
    ap.add_argument("-k", default="", help="only fits whose name contains this")
    args = ap.parse_args(argv)
    warnings.simplefilter("ignore")
    print(f"cores {os.cpu_count()}, wait policy: {wait_policy()}, "
          f"load average {os.getloadavg()[0]:.1f}" if hasattr(os, "getloadavg") else "")
    fits = {name: make() for name, make in FITS.items() if args.k.lower() in name.lower()}
    rows = []
    for label, n_busy in (("alone", 0), (f"beside {args.busy} busy", args.busy)):
        with Busy(n_busy):
            for name, fit in fits.items():
                fit(None)  # warm-up (imports, caches)
                default, one = measure(fit, args.repeat)
                rows.append((name, label, default, one))
                print(f"  {name:38s} {label:16s} default {default:7.3f} s   "
                      f"1 thread {one:7.3f} s   ratio {default / one:5.2f}", flush=True)
    print()
    print(f"{'fit':38s} {'machine':16s} {'default s':>9s} {'1 thread s':>10s} {'ratio':>6s}")
    for name, label, default, one in rows:
        print(f"{name:38s} {label:16s} {default:9.3f} {one:10.3f} {default / one:6.2f}")
    return rows


if __name__ == "__main__":
    main()
