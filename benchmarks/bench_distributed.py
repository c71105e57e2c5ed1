"""A logistic GLMM on a Dask DataFrame of 10,000,000 rows that never leave the workers.

Run by hand (minutes; ``run.py`` does not collect it)::

    PYTHONPATH=. python benchmarks/bench_distributed.py                  # 10 M rows
    PYTHONPATH=. python benchmarks/bench_distributed.py --rows 200000 --compare

The data are drawn on the workers, partition by partition (each partition a
range of clusters, its own seed), so the client never holds them:
``y ~ x + (1 | g)``, logit link, intercept -0.5, slope 0.8, random-intercept
SD 1, ``--cluster-size`` rows per cluster.  The model is fitted by
:class:`~mixlevel.models.distributed.DistributedModel` with non-adaptive
Gauss-Hermite quadrature (``--points``) on a ``LocalCluster`` of ``--workers``
processes with one thread each.  Printed: the times of building the engines,
fitting and the MLR standard errors (wall, and the CPU seconds the workers
spent: on a shared machine the wall time depends on the load), the
estimates, and the peak memory (resident set) of the client and of each
worker.  ``--compare`` also fits the
same rows in-process and prints the largest difference of the estimates.
"""

import argparse
import resource
import sys
import threading
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from mixlevel.spec import ModelSpec  # noqa: E402


def glmm_spec():
    spec = ModelSpec()
    spec.add_outcome("y", "binary")
    spec.add_term("y")
    spec.add_term("y", "x")
    spec.add_block("g", ["1|g"])
    spec.add_term("y", latent="1|g")
    return spec


def draw_partition(i, first, n_clusters, size, seed):
    """Clusters first .. first + n_clusters - 1, drawn from their own seed."""
    rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(i,)))
    g = np.repeat(np.arange(first, first + n_clusters), size)
    x = rng.normal(size=g.size)
    u = rng.normal(size=n_clusters)
    eta = -0.5 + 0.8 * x + np.repeat(u, size)
    y = (rng.random(g.size) < 1.0 / (1.0 + np.exp(-eta))).astype(float)
    return pd.DataFrame({"y": y, "x": x, "g": g})


def _rss():
    import psutil

    return psutil.Process().memory_info().rss


def _cpu_seconds():
    import psutil

    t = psutil.Process().cpu_times()
    return t.user + t.system


class PeakMemory:
    """Samples the workers' resident memory every ``every`` seconds; keeps the peaks."""

    def __init__(self, client, every=0.5):
        self.client, self.every, self.peak = client, every, {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        while not self._stop.is_set():
            try:
                for w, rss in self.client.run(_rss).items():
                    self.peak[w] = max(self.peak.get(w, 0), rss)
            except Exception:
                pass
            self._stop.wait(self.every)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def main(argv=None):
    import dask
    import dask.dataframe as dd
    from distributed import Client, LocalCluster

    from mixlevel.model import MixtureModel
    from mixlevel.models.distributed import DistributedModel

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rows", type=int, default=10_000_000)
    ap.add_argument("--cluster-size", type=int, default=20)
    ap.add_argument("--partitions", type=int, default=40)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--points", type=int, default=15)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--compare", action="store_true", help="also fit in-process")
    args = ap.parse_args(argv)
    warnings.simplefilter("ignore")
    J = args.rows // args.cluster_size
    bounds = np.linspace(0, J, args.partitions + 1).astype(int)
    meta = pd.DataFrame({"y": pd.Series(dtype=float), "x": pd.Series(dtype=float),
                         "g": pd.Series(dtype=np.int64)})
    parts = [dask.delayed(draw_partition)(i, bounds[i], bounds[i + 1] - bounds[i],
                                          args.cluster_size, args.seed)
             for i in range(args.partitions)]
    ddf = dd.from_delayed(parts, meta=meta)
    spec = glmm_spec()
    print(f"{J * args.cluster_size:,} rows in {J:,} clusters, {args.partitions} partitions, "
          f"{args.workers} worker processes, GH {args.points}")
    with LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True,
                      dashboard_address=None, memory_limit=0) as cluster, \
            Client(cluster) as client, PeakMemory(client) as mem:
        t0 = time.perf_counter()
        model = DistributedModel(spec, ddf, client, cluster="g",
                                 integration="gauss-hermite", n_points=args.points)
        t_build = time.perf_counter() - t0
        cpu0 = client.run(_cpu_seconds)
        t0 = time.perf_counter()
        res = model.fit()
        t_fit = time.perf_counter() - t0
        cpu1 = client.run(_cpu_seconds)
        t0 = time.perf_counter()
        bse = res.bse
        t_se = time.perf_counter() - t0
        cpu2 = client.run(_cpu_seconds)
        out = res.outcome
        fit_cpu = sum(cpu1[w] - cpu0[w] for w in cpu0)
        se_cpu = sum(cpu2[w] - cpu1[w] for w in cpu1)
    print(f"engines built {t_build:8.1f} s (drawing the data included)")
    print(f"fit           {t_fit:8.1f} s ({out.n_qn} BFGS iterations, converged "
          f"{res.converged}), llf {res.llf:.4f}; workers' CPU {fit_cpu:.1f} s")
    print(f"MLR SEs       {t_se:8.1f} s; workers' CPU {se_cpu:.1f} s")
    print(pd.DataFrame({"estimate": res.params, "se": bse}).to_string(float_format="%.5f"))
    client_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory: client {client_mb:,.0f} MB; workers "
          + ", ".join(f"{v / 2**20:,.0f} MB" for v in mem.peak.values()))
    if args.compare:
        df = pd.concat([draw_partition(i, bounds[i], bounds[i + 1] - bounds[i],
                                       args.cluster_size, args.seed)
                        for i in range(args.partitions)])
        t0 = time.perf_counter()
        local = MixtureModel(spec, df, cluster="g", integration="gauss-hermite",
                             n_points=args.points).fit()
        print(f"in-process fit {time.perf_counter() - t0:.1f} s; largest difference of the "
              f"estimates {np.abs(np.asarray(local.params) - res.params.to_numpy()).max():.2e}")


if __name__ == "__main__":
    main()
