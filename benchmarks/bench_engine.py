"""Model-fit benchmarks: full fits of published models, timed against peer software.

Each ``bench_*`` function fits one model and returns one result row:

* ``seconds``: median wall time of ``repeat`` complete fits.  A fit is the
  data preparation that the model needs (factor dummies, collapsing identical
  response patterns into frequency weights), building the ``MixtureModel`` and
  ``.fit()``, standard errors included.  Reading the CSV is not timed.
* ``loglik``: the maximised log-likelihood of the last fit.
* ``cells_per_second``: kernel throughput, cells / wall seconds of one E-step
  (``model.engine.estep``) at the estimates, where cells = rows x outcomes x
  (between x within class patterns) x (cluster nodes x row nodes).
* ``peer``: the peer software's time (and its log-likelihood where known), as
  listed by the project; ``aim_seconds``: the project's target time.

Environment variables
---------------------
``MIXLEVEL_BENCH_LARGE=1``
    Also run the large benchmarks (ICCS 2016 with 83,060 students, the
    100,000-row GLMM, the 20,000-person 2PL).  They take minutes, so by default
    they are skipped with a printed note and ``make bench`` stays short.
``MIXLEVEL_BENCH_REPEAT=n``
    Fits per benchmark (the median is reported).  Default 3 for the quick
    benchmarks and 1 for the slow ones (datatoy and the large ones).
``MIXLEVEL_BENCH_TIMEOUT=s``
    Give up a benchmark after ``s`` seconds of fitting (its row then says
    "timed out"); unset or 0 means no limit.  Uses SIGALRM, so it works only
    on POSIX systems and is checked whenever the fit returns to Python.

Data come from ``tests/data`` and, for the large files, from ``../shared/data``
relative to the repository root.  A benchmark whose data file is absent is
skipped with a printed note; a benchmark whose fit fails still gives a row,
with the error text in the ``peer`` column (and under the key ``error``), so
one failure does not lose the rest of the table.
"""

import os
import re
import signal
import subprocess
import time
import traceback
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
from _harness import make_result, median_cpu, timeit

from mixlevel.errors import EstimationWarning
from mixlevel.model import MixtureModel
from mixlevel.spec import ModelSpec

ROOT = Path(__file__).resolve().parent.parent
TEST_DATA = ROOT / "tests" / "data"
SHARED_DATA = ROOT.parent / "shared" / "data"

LARGE = os.environ.get("MIXLEVEL_BENCH_LARGE", "").strip().lower() in {"1", "true", "yes"}

ICCS_ITEMS = ["obey", "rights", "local", "work", "envir", "vote", "history", "respect",
              "news", "protest", "discuss", "party"]


# -- helpers ----------------------------------------------------------------------------
def _repeat(default):
    """Fits per benchmark: MIXLEVEL_BENCH_REPEAT if set, else ``default``."""
    env = os.environ.get("MIXLEVEL_BENCH_REPEAT", "").strip()
    if env:
        try:
            return max(1, int(env))
        except ValueError:
            print(f"  note: ignoring MIXLEVEL_BENCH_REPEAT={env!r} (not an integer)")
    return default


def _timeout():
    """Seconds allowed per benchmark (MIXLEVEL_BENCH_TIMEOUT), 0 for no limit."""
    env = os.environ.get("MIXLEVEL_BENCH_TIMEOUT", "").strip()
    try:
        return max(0, int(float(env))) if env else 0
    except ValueError:
        print(f"  note: ignoring MIXLEVEL_BENCH_TIMEOUT={env!r} (not a number)")
        return 0


class BenchTimeout(Exception):
    """Raised inside a fit that ran longer than MIXLEVEL_BENCH_TIMEOUT."""


def _on_alarm(signum, frame):
    raise BenchTimeout(f"timed out after {_timeout()} s (MIXLEVEL_BENCH_TIMEOUT)")


def _data_file(name, shared_first=False):
    """Path of a data file in tests/data or ../shared/data, or None if absent."""
    places = [SHARED_DATA, TEST_DATA] if shared_first else [TEST_DATA, SHARED_DATA]
    for place in places:
        path = place / name
        if path.is_file():
            return path
    return None


def _skip_large(name):
    if LARGE:
        return False
    print(f"  skipped {name}: large benchmark, set MIXLEVEL_BENCH_LARGE=1 to run it")
    return True


def _load(name, shared_first=False):
    """The CSV as a DataFrame, or None (with a note) when the file is absent."""
    path = _data_file(name, shared_first)
    if path is None:
        print(f"  skipped: data file {name} not found in {TEST_DATA} or {SHARED_DATA}")
        return None
    return pd.read_csv(path)


def _cells(model):
    """Kernel cells of one E-step: rows x outcomes x patterns x cluster nodes x row nodes."""
    eng = model.engine
    return (model.design.n_rows * max(len(model.spec.outcomes), 1) * eng.DC
            * eng.nodes.G * eng.nodes.H)


def _estep_seconds(model, res, budget=0.5, max_calls=50):
    """Median wall seconds of one E-step at the estimates (repeated within ``budget``)."""
    eng = model.engine
    w = model.table.free_working_from_natural(np.asarray(res.params, float))
    times = []
    t_end = time.perf_counter() + budget
    while len(times) < max_calls and (len(times) < 3 or time.perf_counter() < t_end):
        t0 = time.perf_counter()
        eng.estep(w)
        times.append(time.perf_counter() - t0)
        if times[-1] > budget:  # a slow E-step: one call is enough
            break
    return float(np.median(times))


def _run(name, build, fit_kw, repeat, peer="", aim=None):
    """Time ``repeat`` fits of ``build()`` (which returns a MixtureModel); one result row."""
    state = {}

    def one_fit():
        model = build()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", EstimationWarning)
            state["res"] = model.fit(**fit_kw)
        state["model"] = model
        return state["res"]

    limit = _timeout() if hasattr(signal, "SIGALRM") else 0
    previous = signal.signal(signal.SIGALRM, _on_alarm) if limit else None
    try:
        if limit:
            signal.alarm(limit)
        seconds, res = timeit(one_fit, repeat=repeat)
        model = state["model"]
        cps = _cells(model) / _estep_seconds(model, res)
        if limit:
            signal.alarm(0)
        row = make_result(name, seconds, loglik=res.llf, cells_per_second=cps, peer=peer,
                          aim_seconds=aim)
        row["cpu_seconds"] = median_cpu()
        if not getattr(res, "converged", True):
            row["peer"] = f"NOT CONVERGED | {peer}"
            row["converged"] = False
        return [row]
    except Exception as exc:  # one failing fit must not lose the whole table
        if isinstance(exc, BenchTimeout):
            print(f"  {name}: {exc}")
        else:
            traceback.print_exc()
        err = f"{type(exc).__name__}: {exc}"
        row = make_result(name, 0.0, peer=f"FAILED ({err[:100]}) | {peer}", aim_seconds=aim)
        row["seconds"] = None
        row["error"] = err
        return [row]
    finally:
        if limit:
            signal.alarm(0)
            signal.signal(signal.SIGALRM, previous)


def _lca_spec(items, k):
    spec = ModelSpec()
    spec.add_class("c", k)
    for it in items:
        spec.add_outcome(it, "binary")
        spec.add_term(it, by=["c"])
    spec.add_term("c")
    return spec


def _twolevel_lca_spec(items, k_within, k_between):
    spec = ModelSpec()
    spec.add_class("d", k_between, level="between")
    spec.add_class("c", k_within)
    for it in items:
        spec.add_outcome(it, "binary")
        spec.add_term(it, by=["c"])
    spec.add_term("c", by=["d"])
    spec.add_term("d")
    return spec


def _twopl_spec(items):
    spec = ModelSpec()
    spec.add_block("theta", ["theta"], covariance="identity")
    for it in items:
        spec.add_outcome(it, "binary")
        spec.add_term(it)
        spec.add_term(it, latent="theta")
    return spec


def _random_intercept_logit_spec(outcome, covariates, cluster):
    spec = ModelSpec()
    spec.add_outcome(outcome, "binary")
    spec.add_term(outcome)
    for x in covariates:
        spec.add_term(outcome, x)
    spec.add_block(cluster, [f"1|{cluster}"])
    spec.add_term(outcome, latent=f"1|{cluster}")
    return spec


# -- small benchmarks (always run) --------------------------------------------------------
PEER_PYTHON = Path("/opt/peers/venv/bin/python")


def _polca_carcinoma_cpu(repeat):
    """Median CPU seconds of polca (PyPI) on carcinoma (peers/polca_carcinoma.py), run
    beside mixlevel in the same benchmark run; None without the peers' venv."""
    if not PEER_PYTHON.exists() or _data_file("carcinoma.csv") is None:
        return None
    script = Path(__file__).parent / "peers" / "polca_carcinoma.py"
    try:
        out = subprocess.run([str(PEER_PYTHON), str(script), str(_data_file("carcinoma.csv")),
                              str(repeat)], capture_output=True, text=True, timeout=300,
                             env={**os.environ, "OMP_NUM_THREADS": "1"}, check=True).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    cpu = [float(m) for m in re.findall(r"cpu ([0-9.]+)", out)]
    return float(np.median(cpu)) if cpu else None


def bench_carcinoma_lca2():
    """poLCA carcinoma, 7 binary raters, 2-class LCA, 10 random starts; polca (PyPI) is
    timed in the same run (CPU seconds, 1 thread)."""
    df = _load("carcinoma.csv")
    if df is None:
        return []
    items = list("ABCDEFG")
    df = df[items] - 1
    repeat = _repeat(7)
    polca = _polca_carcinoma_cpu(repeat)
    now = f"polca (PyPI) {polca:.3f} s in this run, " if polca is not None else ""
    return _run(
        "carcinoma LCA 2 classes, 10 starts",
        lambda: MixtureModel(_lca_spec(items, 2), df),
        dict(starts=(10, 3)), repeat,
        peer=f"CPU: {now}poLCA 2.5 s (LL -317.257)",
        aim=polca if polca is not None else 0.023)


def bench_sleepstudy_random_slope():
    """lme4 sleepstudy, Reaction ~ Days + (Days | Subject), adaptive GH 5 x 5 points."""
    df = _load("sleepstudy.csv")
    if df is None:
        return []

    def build():
        spec = ModelSpec()
        spec.add_outcome("Reaction", "normal")
        spec.add_term("Reaction")
        spec.add_term("Reaction", "Days")
        spec.add_block("Subject", ["1|Subject", "Days|Subject"])
        spec.add_term("Reaction", latent="1|Subject")
        spec.add_term("Reaction", "Days", latent="Days|Subject")
        return MixtureModel(spec, df, cluster="Subject", integration="gauss-hermite",
                            n_points=5, adaptive=True)

    return _run("sleepstudy (Days | Subject), AGQ 5", build, {}, _repeat(3),
                peer="lme4 (LL -875.970)", aim=None)


def bench_cbpp_binomial():
    """lme4 cbpp, binomial incidence/size ~ period + (1 | herd), the default rule (AGQ 25)."""
    df = _load("cbpp.csv")
    if df is None:
        return []

    def build():
        d = df.copy()
        spec = ModelSpec()
        spec.add_outcome("incidence", "binomial", trials="size")
        spec.add_term("incidence")
        for k in (2, 3, 4):
            d[f"period{k}"] = (d["period"] == k).astype(float)
            spec.add_term("incidence", f"period{k}")
        spec.add_block("herd", ["1|herd"])
        spec.add_term("incidence", latent="1|herd")
        return MixtureModel(spec, d, cluster="herd")

    return _run("cbpp binomial (1 | herd), default AGQ 25", build, {}, _repeat(3),
                peer="CPU: lme4 nAGQ=25 0.107 s, GLMMadaptive 0.155 s (LL -91.983)",
                aim=0.036)


def bench_probit_sleepstudy():
    """Probit random intercept on sleepstudy (180 rows, 18 subjects), the default rule.

    hi = Reaction above its median, hi ~ Days + (1 | Subject), probit link.
    """
    df = _load("sleepstudy.csv")
    if df is None:
        return []

    def build():
        d = df.copy()
        d["hi"] = (d["Reaction"] > d["Reaction"].median()).astype(float)
        spec = ModelSpec()
        spec.add_outcome("hi", "probit")
        spec.add_term("hi")
        spec.add_term("hi", "Days")
        spec.add_block("Subject", ["1|Subject"])
        spec.add_term("hi", latent="1|Subject")
        return MixtureModel(spec, d, cluster="Subject")

    return _run("sleepstudy probit (1 | Subject), default AGQ 25", build, {}, _repeat(3),
                peer="CPU: GLMMadaptive 0.45 s, lme4 nAGQ=25 0.22 s (LL -76.683)", aim=0.15)


def bench_contraception_agq25():
    """mlmRev Contraception, use ~ urban + age + C(livch) + (1 | district), adaptive GH 25."""
    df = _load("contraception.csv", shared_first=True)
    if df is None:
        return []
    livch = ["1", "2", "3+"]  # reference level "0"

    def build():
        d = df.copy()
        level = d["livch"].astype(str)
        for lv in livch:
            d[f"livch{lv}"] = (level == lv).astype(float)
        spec = _random_intercept_logit_spec(
            "use", ["urban", "age"] + [f"livch{lv}" for lv in livch], "district")
        return MixtureModel(spec, d, cluster="district", integration="gauss-hermite",
                            n_points=25, adaptive=True)

    return _run("contraception (1 | district), AGQ 25", build, {}, _repeat(3),
                peer="CPU: GLMMadaptive 1.16 s, lme4 nAGQ=25 7.4 s (LL -1206.674)", aim=0.39)


def bench_lsat7_2pl():
    """mirt LSAT7, one-factor 2PL, 61 Gauss-Hermite points."""
    df = _load("lsat7.csv")
    if df is None:
        return []
    items = list(df.columns)
    return _run(
        "LSAT7 2PL, GH 61",
        lambda: MixtureModel(_twopl_spec(items), df, integration="gauss-hermite",
                             n_points=61),
        {}, _repeat(3), peer="mirt (LL -2658.805)", aim=None)


def bench_datatoy_mlca():
    """multilevLCA dataTOY, two-level LCA 3 within x 2 between classes, starts (10, 3)."""
    df = _load("datatoy.csv")
    if df is None:
        return []
    items = [f"Y_{k}" for k in range(1, 11)]
    df = df[["id_high"] + items]
    return _run(
        "datatoy 2-level LCA 3w x 2b, starts (10,3)",
        lambda: MixtureModel(_twolevel_lca_spec(items, 3, 2), df, cluster="id_high"),
        dict(starts=(10, 3)), _repeat(1),
        peer="multilevLCA (LL -17019.802)", aim=None)


# -- large benchmarks (MIXLEVEL_BENCH_LARGE=1) ---------------------------------------------
def _iccs_complete():
    df = _load("iccs2016.csv", shared_first=True)
    if df is None:
        return None
    return df[["COUNTRY"] + ICCS_ITEMS].dropna(subset=ICCS_ITEMS)


def bench_iccs2016_lca4():
    """ICCS 2016, 12 binary items, 4-class LCA, 10 starts, on 83,060 complete rows.

    Identical response patterns are collapsed into a frequency weight first (timed).
    """
    name = "iccs2016 LCA 4 classes, 10 starts"
    if _skip_large(name):
        return []
    df = _iccs_complete()
    if df is None:
        return []

    def build():
        pat = df.groupby(ICCS_ITEMS).size().reset_index(name="freq")
        return MixtureModel(_lca_spec(ICCS_ITEMS, 4), pat, weights="freq")

    return _run(name, build, dict(starts=(10, 3)), _repeat(1),
                peer="poLCA 48.6 s, polca 52.3 s, StepMix 71.4 s (LL -438355.86)", aim=16)


def bench_iccs2016_mlca():
    """ICCS 2016, two-level LCA 4 within x 2 between classes (cluster COUNTRY), starts (10, 3).

    Identical response patterns within a country are collapsed into a frequency
    weight first (timed).
    """
    name = "iccs2016 2-level LCA 4w x 2b, starts (10,3)"
    if _skip_large(name):
        return []
    df = _iccs_complete()
    if df is None:
        return []

    def build():
        pat = df.groupby(["COUNTRY"] + ICCS_ITEMS).size().reset_index(name="freq")
        return MixtureModel(_twolevel_lca_spec(ICCS_ITEMS, 4, 2), pat, cluster="COUNTRY",
                            weights="freq")

    return _run(name, build, dict(starts=(10, 3)), _repeat(1),
                peer="multilevLCA 35.8 s (LL -436413.86), glca 134 s with 10 starts "
                     "(LL -436397.80)", aim=12)


def bench_sim_glmm_100k():
    """Simulated 100,000 rows in 2,000 clusters, y ~ x + (1 | cluster), adaptive GH 15."""
    name = "sim_glmm_100k (1 | cluster), AGQ 15"
    if _skip_large(name):
        return []
    df = _load("sim_glmm_100k.csv", shared_first=True)
    if df is None:
        return []
    return _run(
        name,
        lambda: MixtureModel(_random_intercept_logit_spec("y", ["x"], "cluster"), df,
                             cluster="cluster", integration="gauss-hermite", n_points=15,
                             adaptive=True),
        {}, _repeat(1), peer="lme4 14.8 s, GLMMadaptive 12.4 s", aim=2.3)


def bench_sim2pl_20k():
    """Simulated 20,000 persons x 30 items, one-factor 2PL, 61 Gauss-Hermite points."""
    name = "sim2pl_20k 2PL 30 items, GH 61"
    if _skip_large(name):
        return []
    df = _load("sim2pl_20k.csv", shared_first=True)
    if df is None:
        return []
    items = list(df.columns)
    return _run(
        name,
        lambda: MixtureModel(_twopl_spec(items), df, integration="gauss-hermite",
                             n_points=61),
        {}, _repeat(1), peer="mirt (Python) 1.59 s, mirt (R) 3.6 s", aim=0.53)
