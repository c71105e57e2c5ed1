"""How many OpenMP threads each kernel call uses, decided by measurement.

The kernel runs its clusters in parallel (an OpenMP ``prange``).  Threads pay
only when a call is long enough to hide what a parallel region costs: waking
the worker threads, and on a busy machine (a notebook beside joblib workers,
parallel Monte Carlo replications, other users) waiting for a worker that the
operating system has not scheduled yet.  Measured on two shared cores, a
2-thread kernel call of 3,000 cells took 7 times as long as the 1-thread call
when other processes kept both cores busy, and even calls of 900,000 cells
gained nothing; on an idle machine the same calls run up to twice as fast on
two threads.  No fixed threshold serves both, so a :class:`ThreadPlan` times
the calls: each kind of call is run with one thread and with all of them, the
faster (median of its last few calls) is used, and the slower is tried again
after a gap that doubles each time it loses (8, 16, ..., 256 calls), so a
change in the machine's load is followed.  The kernel's results do not depend
on the number of threads (each cluster is computed by one thread, sums are
taken afterwards), so the choice changes the speed only, never a number.

Idle worker threads sleep instead of spinning: :mod:`mixlevel._kernels` sets
``OMP_WAIT_POLICY=PASSIVE`` before the OpenMP runtime loads (see there).
"""

from __future__ import annotations

import functools
import os
import threading
import time
from collections import deque

from threadpoolctl import ThreadpoolController

__all__ = ["ThreadPlan", "default_threads", "SERIAL_BELOW_CELLS"]

SERIAL_BELOW_CELLS = 20_000  # kernels smaller than this always run on one thread
MIN_GAP, MAX_GAP = 8, 256    # calls between retries of the slower thread count
WINDOW = 3                   # recent calls whose median times a thread count


def default_threads():
    """Kernel threads by default: ``OMP_NUM_THREADS`` if set, else the usable cores (at most 8)."""
    env = os.environ.get("OMP_NUM_THREADS", "").split(",")[0].strip()
    if env.isdigit():
        return max(1, int(env))
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    return max(1, min(cores, 8))


class _Timings:
    """Recent wall times of one kind of kernel call, per thread count."""

    def __init__(self, counts):
        self.times = {n: deque(maxlen=WINDOW) for n in counts}
        self.used = dict.fromkeys(counts, 0)  # calls per thread count
        self.calls = 0
        self.gap = MIN_GAP
        self.next_retry = None  # call number at which the slower count is tried again

    def median(self, n):
        t = sorted(self.times[n])
        return t[len(t) // 2]

    def best(self):
        return min(self.times, key=self.median)


class ThreadPlan:
    """Thread counts of an engine's kernel calls.

    Parameters
    ----------
    max_threads : int
        Threads of a parallel call.
    measured : bool
        Time calls with one and with ``max_threads`` threads and use the
        faster (see the module docstring); False: always ``max_threads``.

    Engines of one model on the same rows share their plan
    (:meth:`~mixlevel.engine.Engine.spawn`); it is safe to use from several
    Python threads.
    """

    def __init__(self, max_threads, measured=True):
        self.max_threads = max(1, int(max_threads))
        self.measured = bool(measured) and self.max_threads > 1
        self._timings = {}
        self._lock = threading.Lock()

    @classmethod
    def for_kernel(cls, cells, num_threads=None):
        """The plan of an engine whose kernel calls compute ``cells`` cells.

        ``num_threads`` given: always that many threads.  Otherwise one thread
        below ``SERIAL_BELOW_CELLS`` cells, and above it the measured choice
        between one thread and :func:`default_threads`.
        """
        if num_threads is not None:
            return cls(num_threads, measured=False)
        if cells < SERIAL_BELOW_CELLS:
            return cls(1, measured=False)
        return cls(default_threads())

    @classmethod
    def serial(cls):
        return cls(1, measured=False)

    def __getstate__(self):  # timings and the lock stay in this process
        return {"max_threads": self.max_threads, "measured": self.measured}

    def __setstate__(self, state):
        # a measured plan unpickled in another process (a joblib or Dask worker)
        # uses that process's cores (OMP_NUM_THREADS as the worker sets it)
        n = default_threads() if state["measured"] else state["max_threads"]
        self.__init__(n, state["measured"])

    def __repr__(self):
        how = "measured" if self.measured else "fixed"
        return f"ThreadPlan(max_threads={self.max_threads}, {how})"

    def choose(self, key):
        """Threads for the next call of kind ``key``."""
        if not self.measured:
            return self.max_threads
        with self._lock:
            t = self._timings.get(key)
            if t is None:
                t = self._timings[key] = _Timings((1, self.max_threads))
            short = [n for n, v in t.times.items() if len(v) < 2]
            if short:  # calibration: each count twice, alternating
                return min(short, key=lambda n: len(t.times[n]))
            best = t.best()
            if t.next_retry is not None and t.calls >= t.next_retry:
                return next(n for n in t.times if n != best)
            return best

    def record(self, key, n, seconds):
        """Account the wall time of a call of kind ``key`` on ``n`` threads."""
        if not self.measured:
            return
        with self._lock:
            t = self._timings[key]
            calibrated = all(len(v) >= 2 for v in t.times.values())
            before = t.best() if calibrated else None
            t.times[n].append(seconds)
            t.used[n] += 1
            t.calls += 1
            if before is None:
                if all(len(v) >= 2 for v in t.times.values()):
                    t.next_retry = t.calls + t.gap
            elif n != before:  # a retry of the slower count
                t.gap = MIN_GAP if t.best() == n else min(2 * t.gap, MAX_GAP)
                t.next_retry = t.calls + t.gap

    def run(self, key, cells, fn, *args, **kwargs):
        """``fn(*args, num_threads=n, **kwargs)`` with the chosen ``n``, timed.

        Calls of fewer than ``SERIAL_BELOW_CELLS`` cells run on one thread.
        """
        if cells < SERIAL_BELOW_CELLS:
            return fn(*args, num_threads=1, **kwargs)
        n = self.choose(key)
        t0 = time.perf_counter()
        out = fn(*args, num_threads=n, **kwargs)
        self.record(key, n, time.perf_counter() - t0)
        return out

    def summary(self):
        """{key: {threads: (calls, median seconds of the recent calls)}} (for benchmarks)."""
        with self._lock:
            return {k: {n: (t.used[n], t.median(n)) for n, v in t.times.items() if v}
                    for k, t in self._timings.items()}


@functools.lru_cache(maxsize=1)
def _blas_controller():
    """threadpoolctl's view of the loaded libraries, made once (a scan costs ~7 ms)."""
    return ThreadpoolController()


def one_blas_thread():
    """Context manager: BLAS on one thread (fits make many small BLAS calls, and
    OpenBLAS workers spinning between them starve the main thread; the kernel has
    its own OpenMP threads).  The library scan is made once per process."""
    return _blas_controller().limit(limits=1, user_api="blas")
