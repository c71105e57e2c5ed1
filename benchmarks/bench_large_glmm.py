"""A logistic GLMM with 2 or 3 correlated random effects on 1,000,000 simulated rows.

``y ~ x1 + x2 + (1 + x1 | g)`` (and ``+ (x2 | g)`` for three effects) in 10,000
clusters of 100 rows, drawn here with a fixed seed (:func:`simulate`), fitted
with the default rule (adaptive Gauss-Hermite, 11 x 11 or 7 x 7 x 7 points,
the integration check included: above 5e7 finer-rule cells it evaluates a
random subset of clusters).  Each row reports wall and CPU seconds
(``time.process_time``: both cores count), the peak resident memory of the
process, the one-minute load average at the end (wall times on a shared
machine grow with it), the kernel's cells per second, and lme4 ``glmer`` (Laplace) on the
same data when R is there and ``MIXLEVEL_BENCH_PEERS=1`` (minutes).

Run with ``MIXLEVEL_BENCH_LARGE=1``; ``python benchmarks/bench_large_glmm.py
--rows 100000`` runs one size by hand, ``--write-csv PATH`` writes the data.
"""

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from mixlevel.errors import EstimationWarning
from mixlevel.model import MixtureModel
from mixlevel.spec import ModelSpec

LARGE = os.environ.get("MIXLEVEL_BENCH_LARGE", "").strip().lower() in {"1", "true", "yes"}
PEERS = os.environ.get("MIXLEVEL_BENCH_PEERS", "").strip().lower() in {"1", "true", "yes"}
SEED = 20261203
SD = np.array([1.0, 0.5, 0.4])
CORR = np.array([[1.0, 0.3, 0.2], [0.3, 1.0, -0.2], [0.2, -0.2, 1.0]])


def simulate(n_rows=1_000_000, n_clusters=10_000, q=2, seed=SEED):
    """Rows of y ~ Bernoulli(logit^-1(-0.5 + 0.8 x1 - 0.4 x2 + u0 + u1 x1 [+ u2 x2]))."""
    rng = np.random.default_rng(seed)
    g = np.repeat(np.arange(n_clusters), n_rows // n_clusters)
    x1, x2 = rng.normal(size=(2, len(g)))
    cov = (CORR * np.outer(SD, SD))[:q, :q]
    u = rng.multivariate_normal(np.zeros(q), cov, size=n_clusters)[g]
    eta = -0.5 + 0.8 * x1 - 0.4 * x2 + u[:, 0] + u[:, 1] * x1
    if q > 2:
        eta += u[:, 2] * x2
    y = (rng.random(len(g)) < 1.0 / (1.0 + np.exp(-eta))).astype(float)
    return pd.DataFrame({"y": y, "x1": x1, "x2": x2, "g": g})


def spec(q):
    s = ModelSpec()
    s.add_outcome("y", "binary")
    for col in ("1", "x1", "x2"):
        s.add_term("y", col)
    s.add_block("g", ["1|g", "x1|g", "x2|g"][:q])
    for col, eff in zip(("1", "x1", "x2")[:q], ("1|g", "x1|g", "x2|g")[:q], strict=True):
        s.add_term("y", col, latent=eff)
    return s


def peak_rss_mb():
    """Peak resident memory of this process so far (MB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def fit_once(df, q, **fit_kw):
    """(result, wall s, CPU s) of building and fitting the model on ``df``."""
    t0, c0 = time.perf_counter(), time.process_time()
    model = MixtureModel(spec(q), df, cluster="g")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", EstimationWarning)
        res = model.fit(**fit_kw)
    return model, res, time.perf_counter() - t0, time.process_time() - c0


def cells_per_second(model, res):
    """Cells per wall second of one E-step at the estimates (rows x nodes)."""
    eng = model.engine
    w = model.table.free_working_from_natural(np.asarray(res.params, float))
    eng.estep(w)
    t0 = time.perf_counter()
    eng.estep(w)
    return model.design.n_rows * eng.nodes.G * eng.nodes.H / (time.perf_counter() - t0)


LME4 = """
d <- read.csv("{csv}")
suppressMessages(library(lme4))
t <- proc.time()
f <- glmer({formula}, data = d, family = binomial)
t <- proc.time() - t
cat(sprintf("lme4 %s wall %.2f cpu %.2f loglik %.6f\\n", packageVersion("lme4"),
            t[["elapsed"]], t[["user.self"]] + t[["sys.self"]], as.numeric(logLik(f))))
"""


def lme4_glmer(df, q, timeout=3600):
    """lme4 glmer (Laplace) on ``df``: 'wall s / CPU s (LL)', or why it did not run."""
    if shutil.which("Rscript") is None:
        return "lme4: Rscript not found"
    formula = "y ~ x1 + x2 + " + ("(1 + x1 | g)" if q == 2 else "(1 + x1 + x2 | g)")
    with tempfile.TemporaryDirectory() as tmp:
        csv = Path(tmp) / "d.csv"
        df.to_csv(csv, index=False)
        script = Path(tmp) / "fit.R"
        script.write_text(LME4.format(csv=csv, formula=formula))
        try:
            out = subprocess.run(["Rscript", str(script)], capture_output=True, text=True,
                                 timeout=timeout)
        except subprocess.TimeoutExpired:
            return f"lme4 glmer: not done in {timeout} s"
    line = [x for x in out.stdout.splitlines() if x.startswith("lme4")]
    if not line:
        return "lme4 failed: " + out.stderr.strip()[-200:]
    _, version, _, wall, _, cpu, _, ll = line[0].split()
    return f"lme4 {version} glmer Laplace {float(wall):.0f} s wall, {float(cpu):.0f} s CPU " \
           f"(LL {float(ll):.3f})"


def _bench(q, n_rows=1_000_000, n_clusters=10_000):
    from _harness import make_result

    df = simulate(n_rows, n_clusters, q)
    model, res, wall, cpu = fit_once(df, q)
    row = make_result(f"sim GLMM {n_rows:,} rows, {q} random effects (default rule)", wall,
                      loglik=res.llf, cells_per_second=cells_per_second(model, res),
                      peer=lme4_glmer(df, q) if PEERS else "lme4: MIXLEVEL_BENCH_PEERS=1",
                      aim_seconds=15 if q == 2 else 40)
    row.update(cpu_seconds=cpu, peak_mb=peak_rss_mb(), load=os.getloadavg()[0],
               rule=res.integration_check.rule if res.integration_check else None)
    return [row]


def bench_sim_glmm_1m_q2():
    if not LARGE:
        print("  skipped sim GLMM 1M rows: large benchmark, set MIXLEVEL_BENCH_LARGE=1")
        return []
    return _bench(2)


def bench_sim_glmm_1m_q3():
    if not LARGE:
        print("  skipped sim GLMM 1M rows, 3 effects: set MIXLEVEL_BENCH_LARGE=1")
        return []
    return _bench(3)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--clusters", type=int, default=None)
    ap.add_argument("--q", type=int, default=2)
    ap.add_argument("--write-csv", default=None)
    ap.add_argument("--lme4", action="store_true")
    args = ap.parse_args(argv)
    J = args.clusters or args.rows // 100
    df = simulate(args.rows, J, args.q)
    if args.write_csv:
        df.to_csv(args.write_csv, index=False)
        return
    model, res, wall, cpu = fit_once(df, args.q)
    print(f"mixlevel: {wall:.2f} s wall, {cpu:.2f} s CPU, LL {res.llf:.4f}, "
          f"peak {peak_rss_mb():.0f} MB, {cells_per_second(model, res):.3g} cells/s, "
          f"load average {os.getloadavg()[0]:.1f} (the machine is shared: wall times "
          "grow with it)")
    print(res.integration_check)
    print(res.params.round(4).to_string())
    if args.lme4:
        print(lme4_glmer(df, args.q))


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    main()
