"""Independent tasks through joblib, with any backend, and checkpoints.

Random starts, Monte Carlo replications and bootstrap draws are independent
tasks, each with its own seed (from :class:`numpy.random.SeedSequence`, never
from a worker's state), so they may run anywhere and in any order: in this
process, in joblib's threads or processes, or on a Dask cluster
(``joblib.parallel_config(backend="dask")`` with a ``dask.distributed``
client).  :func:`run_tasks` runs them, collects the results on the client as
they finish and, with a :class:`~mixlevel.utils.checkpoint.Checkpoint`, writes
each one to the file at once and skips those an earlier run finished.
"""

from __future__ import annotations

from joblib import Parallel, delayed, effective_n_jobs

__all__ = ["run_tasks", "concurrent_tasks"]


def concurrent_tasks(n_jobs):
    """How many tasks joblib runs at once with ``n_jobs`` under the active backend."""
    try:
        return max(1, int(effective_n_jobs(n_jobs)))
    except Exception:  # a backend that cannot tell (e.g. a cluster still starting)
        return 1


def _keyed(fn, key, *args):
    return key, fn(*args)


def run_tasks(fn, keys, args_of, n_jobs=1, prefer=None, checkpoint=None, encode=None,
              decode=None, on_result=None):
    """``fn(*args_of(key))`` for every key, through joblib; {key: result}.

    Parameters
    ----------
    fn : callable
        A module-level function (picklable for process and Dask backends).
    keys : iterable of int
        The tasks.
    args_of : callable
        ``key -> tuple`` of ``fn``'s arguments.
    n_jobs : int
        joblib's ``n_jobs`` (the backend is joblib's default for ``prefer``, or
        the one a ``joblib.parallel_config`` around the call chose).
    prefer : {"threads", "processes", None}
        joblib's soft hint, used when no backend is configured.
    checkpoint : Checkpoint, optional
        Finished tasks are read from it (through ``decode``) and new ones
        written to it (through ``encode``) as soon as they arrive.
    on_result : callable, optional
        ``on_result(key, result)`` on the client after every task, those read
        from the checkpoint included (progress bars; raising stops the run,
        the finished tasks stay in the checkpoint).
    """
    keys = list(keys)
    results = {}
    todo = []
    for k in keys:
        if checkpoint is not None and k in checkpoint:
            results[k] = decode(checkpoint.done[int(k)])
            if on_result is not None:
                on_result(k, results[k])
        else:
            todo.append(k)
    if not todo:
        return results
    # the arguments go one by one: joblib's Dask backend sends a large one (an engine)
    # to the cluster once for all tasks
    jobs = (delayed(_keyed)(fn, k, *args_of(k)) for k in todo)
    parallel = Parallel(n_jobs=n_jobs, prefer=prefer, return_as="generator_unordered")
    for k, res in parallel(jobs):
        if k in results:  # a task run twice (a lost worker's): the first result counts
            continue
        results[k] = res
        if checkpoint is not None:
            checkpoint.write(k, encode(res))
        if on_result is not None:
            on_result(k, res)
    return results
