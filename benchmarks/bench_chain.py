"""The forward-backward kernel of latent Markov chains (mixlevel._kernels._chain) alone.

One E-step of a latent Markov model the size of the self-rated-health data
(7,074 people, 8 waves, time-homogeneous transitions) for K = 2, 3, 4 classes:
log-likelihoods and the posteriors summed over rows (what a homogeneous model
without covariates needs), random inputs.  ``cells_per_second`` counts rows x
waves x K^2 transition cells.  The enumerating engine needs K^8 joint class
patterns for the same E-step.  The scaled recursions on probabilities
(``_chain_scaled.scaled_estep``, per-row marginals and summed transition counts, what
the closed-form EM of :mod:`mixlevel.estimation.chain_mstep` needs) run beside
the log-space kernel.  The peer column quotes LMest's CPU seconds for its
default fit (basic model, tol 1e-8; benchmarks/peers.md).
"""

import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
from _harness import make_result, median_cpu, timeit
from scipy.special import log_softmax

from mixlevel._kernels import _chain, _chain_scaled

N, T = 7074, 8
LMEST = {2: "LMest 3.2 s CPU (-71335.56)", 3: "LMest 4.8 s CPU (-66571.83)", 4: ""}


def bench_chain_estep():
    rows = []
    rng = np.random.default_rng(0)
    for K in (2, 3, 4):
        E = rng.normal(size=(N, 1, T, K)) - 1.0
        P0 = log_softmax(rng.normal(size=(1, 1, K)), axis=-1)
        P = log_softmax(rng.normal(size=(1, 1, 1, K, K)), axis=-1)
        w = np.ones((N, 1))
        seconds, out = timeit(lambda E=E, P0=P0, P=P, w=w: _chain.forward_backward(
            E, P0, P, weight=w, reduce="total", num_threads=2), repeat=5)
        rows.append(make_result(
            name=f"chain E-step srhs size, K={K}", seconds=seconds,
            loglik=float(out["ll"].sum()), cells_per_second=N * T * K * K / seconds,
            peer=LMEST[K], aim_seconds=0.05))
        # the scaled recursions on probabilities (engine/chain_scaled.py) used by EM fits
        ll, gamma = np.empty(N), np.empty((N, T, K))
        init, counts = np.empty(K), np.empty((T - 1, K, K))
        args = (np.ascontiguousarray(E[:, 0]), np.exp(P0[0, 0]), np.exp(P[0, 0]), w[:, 0],
                ll, gamma, init, counts)
        seconds, _ = timeit(lambda args=args: _chain_scaled.scaled_estep(*args), repeat=5)
        rows.append(make_result(
            name=f"chain E-step srhs size, scaled, 1 thread, K={K} "
                 f"(CPU {median_cpu() * 1e3:.1f} ms)", seconds=seconds,
            loglik=float(ll.sum()), cells_per_second=N * T * K * K / seconds,
            aim_seconds=0.05))
    return rows


# ------------------------------------------------------------------------------------------
# complete fits through the chain engine (mixlevel.engine.chain): ml.lta -> fit
# ------------------------------------------------------------------------------------------
def _cpu_timed(fn):
    """(wall seconds, CPU seconds of this process, value): the machine is shared."""
    t0, c0 = time.perf_counter(), time.process_time()
    value = fn()
    return time.perf_counter() - t0, time.process_time() - c0, value


def simulate_chain(N, T, K, J=3, seed=0):
    """Wide binary items of a homogeneous first-order latent Markov chain (numpy only:
    ``ml.simulate`` draws through the K^T joint class patterns)."""
    rng = np.random.default_rng(seed)
    init = np.full(K, 1.0 / K)
    trans = np.full((K, K), 0.1 / (K - 1)) + np.eye(K) * (0.9 - 0.1 / (K - 1))
    prob = np.linspace(0.1, 0.9, K)[:, None] * np.ones((K, J))
    prob[:, 1] = prob[::-1, 1]                          # items that separate the classes
    c = np.empty((N, T), np.int64)
    c[:, 0] = rng.choice(K, size=N, p=init)
    for t in range(1, T):
        u = rng.uniform(size=N)[:, None]
        c[:, t] = (u > np.cumsum(trans[c[:, t - 1]], axis=1)).sum(axis=1)
    data = {f"u{j + 1}_{t + 1}": (rng.uniform(size=N) < prob[c[:, t], j]).astype(float)
            for t in range(T) for j in range(J)}
    items = [[f"u{j + 1}_{t + 1}" for j in range(J)] for t in range(T)]
    return pd.DataFrame(data), items


def bench_chain_fits():
    """srhs K = 3 and 4 (10 random starts) and T = 20, K = 4 on 10,000 people.

    Issue 12's aims: srhs K = 3 under 2 s, K = 4 under 5 s, T = 20 under 30 s, on
    one thread (``num_threads=1``, BLAS limited to one thread by ``fit``).  The
    machine is shared, so each fit runs three times (model built anew: the
    per-wave start is counted) and the median CPU seconds are in the name; the
    wall seconds are the median too.  LMest's basic model (tol 1e-8, its default)
    took 4.8 s CPU for K = 3 (benchmarks/peers.md, ``lta_srhs k3_default``) and
    stops 3.6e-3 below the maximum; mixlevel's fits reach it (-66571.827895).
    """
    import mixlevel as ml

    rows = []
    df = pd.read_csv(Path(__file__).resolve().parents[1] / "tests" / "data" / "srhs_wide.csv")
    items = [[f"srhs{t}"] for t in range(1, 9)]

    def fit(data, items, K, starts, **kw):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model = ml.lta(data, items, k=K, homogeneous=True, num_threads=1, **kw)
            return model.fit(starts=starts, progress=False)

    for K, aim in ((3, 2.0), (4, 5.0)):
        wall, res = timeit(lambda K=K: fit(df, items, K, (10, 2), family="nominal"), repeat=3)
        rows.append(make_result(
            name=f"srhs LTA fit, K={K}, 10 starts (CPU {median_cpu():.2f} s, 1 thread)",
            seconds=wall, loglik=res.llf, peer=LMEST[K], aim_seconds=aim))
    data, items = simulate_chain(10_000, 20, 4)
    wall, res = timeit(lambda: fit(data, items, 4, (4, 1)), repeat=3)
    rows.append(make_result(
        name=f"LTA fit T=20, K=4, 10,000 people, 4 starts (CPU {median_cpu():.2f} s, 1 thread)",
        seconds=wall, loglik=res.llf, aim_seconds=30.0))
    return rows


def bench_chain_memory():
    """Peak memory (tracemalloc) of one E-step and gradient: linear in T."""
    import tracemalloc

    import mixlevel as ml

    rows = []
    for T in (5, 10, 20, 40):
        data, items = simulate_chain(10_000, T, 4, seed=T)
        model = ml.lta(data, items, k=4, homogeneous=True)
        w = np.zeros(len(model.param_names))
        tracemalloc.start()
        wall, cpu, (ll, _, _) = _cpu_timed(lambda m=model, w=w: m.engine.loglike_and_score(w))
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        rows.append(make_result(
            name=f"E-step + gradient T={T}, K=4, 10,000 people: peak {peak / 2**20:.1f} MB "
                 f"({peak / 2**20 / T:.2f} MB per wave; CPU {cpu:.2f} s)",
            seconds=wall, loglik=ll))
    return rows


# ------------------------------------------------------------------------------------------
# two-level LTA (random logit intercepts per wave, correlated): enumeration vs the chain path
# ------------------------------------------------------------------------------------------
def two_level_lta(n_clusters=50, size=20, T=4, K=3, J=3, seed=0):
    """A two-level LTA drawn by ``ml.simulate``: K classes per wave, J binary items per wave
    (invariant), first-order transitions and one random intercept per wave's class logit
    (T (K - 1) correlated dimensions)."""
    import mixlevel as ml

    rng = np.random.default_rng(seed)
    n = n_clusters * size
    items = [[f"u{j}_{t}" for j in range(1, J + 1)] for t in range(1, T + 1)]
    base = pd.DataFrame({c: rng.integers(0, 2, n).astype(float) for w in items for c in w})
    base["g"] = np.repeat(np.arange(n_clusters), size)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = ml.lta(base, items, k=K, cluster="g")
    truth = {}
    for name in model.param_names:
        if name.startswith("u"):
            k = int(name.split("=")[1][0])
            j = int(name[1])
            truth[name] = (2.0 if (k + j) % K == 0 else -1.5) + 0.3 * (k - j)
        elif name.startswith("Var("):
            truth[name] = 0.8
        elif name.startswith("Cov("):
            truth[name] = 0.3
        elif "[" in name:  # transition logits: stay in one's class
            own = int(name.split("=")[1][0]) == int(name.split("#")[1][0])
            truth[name] = 2.0 if own else -0.5
        else:
            truth[name] = 0.0
    df = ml.simulate(model, truth, seed=seed + 1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return ml.lta(df, items, k=K, cluster="g"), truth


def bench_chain_two_level():
    """One E-step + exact gradient of a two-level LTA, T = 4, K = 3 (81 joint patterns,
    8 random intercepts, the default rule: quasi-Monte Carlo, 1,000 points) on 50
    clusters x 20 persons, by the enumerating engine and the chain path: CPU seconds
    (the machine is shared) and peak memory (tracemalloc: numpy arrays)."""
    import tracemalloc

    model, truth = two_level_lta()
    w = model._work(np.array([truth[n] for n in model.param_names]))
    rows = []
    for label, eng in (("chain path", model.engine), ("enumeration", model.engine.enumerating())):
        eng.num_threads = 1
        tracemalloc.start()
        wall, cpu, (ll, _, _) = _cpu_timed(lambda e=eng: e.loglike_and_score(w))
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        rows.append(make_result(
            name=f"two-level LTA T=4, K=3, 1,000 rows, QMC 1,000: E-step + gradient, {label} "
                 f"(1 thread; CPU {cpu:.2f} s, peak {peak / 2**20:.0f} MB)",
            seconds=wall, loglik=ll))
    return rows
