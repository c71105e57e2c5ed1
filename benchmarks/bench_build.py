"""Trivial benchmark: the compiled prange sum over 10 million doubles."""

import numpy as np
from _harness import make_result, timeit

from mixlevel._kernels._build_info import compiled_sum, n_threads, openmp_enabled

N = 10_000_000


def bench_compiled_sum():
    x = np.random.default_rng(0).standard_normal(N)
    seconds, total = timeit(lambda: compiled_sum(x), repeat=5)
    np_seconds, np_total = timeit(lambda: float(np.sum(x)), repeat=5)
    if not np.isclose(total, np_total, rtol=0, atol=1e-6 * N):
        raise AssertionError(f"compiled_sum {total} differs from numpy.sum {np_total}")
    threads = n_threads() if openmp_enabled() else 1
    return [
        make_result(
            name=f"compiled_sum 1e7 doubles ({threads} thr)",
            seconds=seconds,
            loglik=None,
            cells_per_second=N / seconds,
            peer=f"numpy.sum {np_seconds * 1e3:.1f} ms",
            aim_seconds=0.02,
        )
    ]
