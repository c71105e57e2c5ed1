"""Helpers shared by the benchmark modules (benchmarks/bench_*.py).

Each ``bench_*`` function in those modules returns a list of result dicts with
the keys listed in ``RESULT_KEYS``; ``make_result`` builds one.
"""

import statistics
import time

RESULT_KEYS = ("name", "seconds", "loglik", "cells_per_second", "peer", "aim_seconds")


#: CPU seconds (all threads of the process) of the calls timed by the last ``timeit``
LAST_CPU = []


def timeit(fn, repeat=3):
    """Call ``fn()`` ``repeat`` times; return (median wall seconds, last return value).

    The CPU seconds of each call (``time.process_time``: every thread of the
    process) are kept in ``LAST_CPU``; :func:`median_cpu` gives their median.
    On a shared machine the wall time depends on the other jobs, the CPU time
    much less.
    """
    if repeat < 1:
        raise ValueError("repeat must be >= 1")
    times = []
    LAST_CPU.clear()
    value = None
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        value = fn()
        times.append(time.perf_counter() - t0)
        LAST_CPU.append(time.process_time() - c0)
    return statistics.median(times), value


def median_cpu():
    """Median CPU seconds of the calls of the last :func:`timeit`."""
    return statistics.median(LAST_CPU) if LAST_CPU else None


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
