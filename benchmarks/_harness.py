"""Helpers shared by the benchmark modules (benchmarks/bench_*.py).

Each ``bench_*`` function in those modules returns a list of result dicts with
the keys listed in ``RESULT_KEYS``; ``make_result`` builds one.
"""

import statistics
import time

RESULT_KEYS = ("name", "seconds", "loglik", "cells_per_second", "peer", "aim_seconds")


def timeit(fn, repeat=3):
    """Call ``fn()`` ``repeat`` times; return (median wall seconds, last return value)."""
    if repeat < 1:
        raise ValueError("repeat must be >= 1")
    times = []
    value = None
    for _ in range(repeat):
        t0 = time.perf_counter()
        value = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), value


def make_result(name, seconds, loglik=None, cells_per_second=None, peer="", aim_seconds=None):
    """Return one benchmark result dict."""
    return {
        "name": name,
        "seconds": float(seconds),
        "loglik": None if loglik is None else float(loglik),
        "cells_per_second": None if cells_per_second is None else float(cells_per_second),
        "peer": peer,
        "aim_seconds": None if aim_seconds is None else float(aim_seconds),
    }
