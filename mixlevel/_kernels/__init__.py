"""Compiled likelihood kernels (``_estep``) and their numpy oracle (``_reference``).

OpenMP threads that wait between kernel calls sleep instead of spinning:
``OMP_WAIT_POLICY=PASSIVE`` is set here, before any compiled module loads the
OpenMP runtime (which reads it once, when it loads), unless the environment
already says otherwise.  GNU OpenMP otherwise spins each idle thread for about
3 ms after every parallel region, so a fit made of many short kernel calls
kept a second core busy for nothing, and beside other work (two busy
processes on two cores) ran 2-10 times slower on two threads than on one
(contraception GLMM 6.5 s against 1.0 s; with the passive policy 0.9 s).

To choose differently, set ``OMP_WAIT_POLICY`` (or ``GOMP_SPINCOUNT``,
``KMP_BLOCKTIME``) before importing mixlevel.  The setting is the process's:
it also holds for other libraries that load the same OpenMP runtime after
mixlevel.  If one of them loaded it first, its own policy stays in force;
:func:`wait_policy` tells which.
"""

import os

POLICY_VARIABLES = ("OMP_WAIT_POLICY", "GOMP_SPINCOUNT", "KMP_BLOCKTIME")


def _runtime_loaded():
    """Whether an OpenMP runtime is loaded already (Linux: /proc/self/maps; else False)."""
    try:
        with open("/proc/self/maps") as maps:
            return any("/libgomp.so" in line or "/libomp.so" in line for line in maps)
    except OSError:
        return False


def _set_policy(environ, runtime_loaded):
    """Set ``OMP_WAIT_POLICY=PASSIVE`` in ``environ`` unless a policy variable is set.

    Returns what :func:`wait_policy` reports.
    """
    for name in POLICY_VARIABLES:
        if name in environ:
            return f"user: {name}={environ[name]}"
    loaded = runtime_loaded()  # before this import: it has read its policy already
    environ["OMP_WAIT_POLICY"] = "PASSIVE"  # for runtimes loaded from now on, and children
    return "runtime loaded before mixlevel" if loaded else "passive (set by mixlevel)"


_POLICY = _set_policy(os.environ, _runtime_loaded)


def wait_policy():
    """How idle OpenMP threads wait, as set for this process.

    Returns
    -------
    str
        ``"passive (set by mixlevel)"``, ``"user: NAME=VALUE"`` when the
        environment chose, or ``"runtime loaded before mixlevel"`` when
        another library loaded the OpenMP runtime first (its policy, spinning
        by default, stays in force: set ``OMP_WAIT_POLICY=PASSIVE`` in the
        environment, or import mixlevel first).
    """
    return _POLICY
