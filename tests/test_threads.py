"""Kernel threads: the measured choice (ThreadPlan), the wait policy, and thread-free numbers."""

import os
import pickle
from pathlib import Path

import numpy as np
import pandas as pd

from mixlevel.engine.threads import MAX_GAP, MIN_GAP, SERIAL_BELOW_CELLS, ThreadPlan
from mixlevel.model import MixtureModel
from mixlevel.spec import ModelSpec

ROOT = Path(__file__).resolve().parent.parent


def drive(plan, cost, n_calls, key="k"):
    """Make ``n_calls`` choices, charging ``cost[n]`` seconds; the thread counts used."""
    used = []
    for _ in range(n_calls):
        n = plan.choose(key)
        plan.record(key, n, cost[n])
        used.append(n)
    return used


def test_plan_calibrates_then_keeps_the_faster_and_retries_rarely():
    plan = ThreadPlan(2)
    used = drive(plan, {1: 1.0, 2: 10.0}, 1000)  # threads lose (a busy machine)
    assert used[:4] == [1, 2, 1, 2]  # each count twice
    threaded = [i for i, n in enumerate(used) if n == 2][2:]  # the retries
    gaps = np.diff([3] + threaded)
    # retried after MIN_GAP calls, the gap doubling up to MAX_GAP
    assert gaps[0] == MIN_GAP + 1 and list(gaps[1:4]) == [2 * MIN_GAP + 1, 4 * MIN_GAP + 1,
                                                         8 * MIN_GAP + 1]
    assert max(gaps) == MAX_GAP + 1
    assert used.count(2) <= 2 + 5 + 1000 // MAX_GAP + 1
    # the machine becomes idle: threads win from the next retries on
    after = drive(plan, {1: 1.0, 2: 0.4}, 2 * MAX_GAP + 20)
    assert after[-10:] == [2] * 10


def test_plan_keeps_threads_when_they_win_and_fixed_plans_never_measure():
    plan = ThreadPlan(4)
    used = drive(plan, {1: 1.0, 4: 0.3}, 200)
    assert used.count(1) <= 2 + 200 // MIN_GAP and used[-5:] == [4] * 5
    fixed = ThreadPlan(3, measured=False)
    assert set(drive(fixed, {3: 1.0}, 20)) == {3}
    assert not ThreadPlan(1).measured  # one core: nothing to choose


def test_small_calls_run_serially_and_the_plan_passes_its_choice():
    plan = ThreadPlan(2)
    seen = []

    def fn(x, num_threads):
        seen.append(num_threads)
        return x + 1

    assert plan.run("k", SERIAL_BELOW_CELLS - 1, fn, 1) == 2
    assert seen == [1] and plan.summary() == {}  # not timed
    plan.run("k", SERIAL_BELOW_CELLS, fn, 1)
    plan.run("k", SERIAL_BELOW_CELLS, fn, 1)
    assert seen[1:] == [1, 2] and set(plan.summary()["k"]) == {1, 2}
    assert ThreadPlan.for_kernel(SERIAL_BELOW_CELLS - 1).max_threads == 1
    assert ThreadPlan.for_kernel(10, num_threads=3).max_threads == 3


def test_plan_pickles_without_its_timings(monkeypatch):
    plan = ThreadPlan(2)
    drive(plan, {1: 1.0, 2: 2.0}, 10)
    # unpickled in a worker: that process's cores (Dask workers set OMP_NUM_THREADS=1)
    monkeypatch.setenv("OMP_NUM_THREADS", "3")
    copy = pickle.loads(pickle.dumps(plan))
    assert copy.measured and copy.max_threads == 3 and copy.summary() == {}
    monkeypatch.setenv("OMP_NUM_THREADS", "1")
    assert not pickle.loads(pickle.dumps(plan)).measured
    fixed = pickle.loads(pickle.dumps(ThreadPlan(5, measured=False)))
    assert fixed.max_threads == 5 and not fixed.measured


def _glmm(n_clusters=300, size=8, seed=3):
    rng = np.random.default_rng(seed)
    g = np.repeat(np.arange(n_clusters), size)
    x = rng.normal(size=g.size)
    eta = -0.3 + 0.8 * x + rng.normal(size=n_clusters)[g]
    y = (rng.random(g.size) < 1 / (1 + np.exp(-eta))).astype(float)
    spec = ModelSpec()
    spec.add_outcome("y", "binary")
    spec.add_term("y")
    spec.add_term("y", "x")
    spec.add_block("g", ["1|g"])
    spec.add_term("y", latent="1|g")
    return spec, pd.DataFrame({"y": y, "x": x, "g": g})


def test_kernel_numbers_do_not_depend_on_threads():
    spec, df = _glmm()
    one = MixtureModel(spec, df, cluster="g", integration="gauss-hermite", n_points=15,
                       num_threads=1)
    two = MixtureModel(spec, df, cluster="g", integration="gauss-hermite", n_points=15,
                       num_threads=2)
    w = one.table.free_working_from_natural(np.array([-0.2, 0.7, 0.9]))
    ll1, g1, es1 = one.engine.loglike_and_score(w, per_cluster=True)
    ll2, g2, es2 = two.engine.loglike_and_score(w, per_cluster=True)
    assert ll1 == ll2  # bit for bit: each cluster is one thread's work
    np.testing.assert_array_equal(g1, g2)
    np.testing.assert_array_equal(es1.post_dg, es2.post_dg)
    np.testing.assert_array_equal(one.engine.estep(w).ll_cluster,
                                  two.engine.estep(w).ll_cluster)
    # the measured default gives the same fit as one thread
    auto = MixtureModel(spec, df, cluster="g", integration="gauss-hermite", n_points=15)
    assert auto.engine.threads.measured == (auto.engine.num_threads > 1)
    r1, ra = one.fit(), auto.fit()
    np.testing.assert_array_equal(r1.params, ra.params)


def test_threads_sleep_unless_the_user_says_otherwise():
    import mixlevel._kernels as k

    # mixlevel's own import set the policy before the runtime loaded
    assert k.wait_policy() != "runtime loaded before mixlevel"
    if not k.wait_policy().startswith("user"):
        assert os.environ["OMP_WAIT_POLICY"] == "PASSIVE"
    env = {}
    assert k._set_policy(env, lambda: False) == "passive (set by mixlevel)"
    assert env == {"OMP_WAIT_POLICY": "PASSIVE"}
    env = {"PATH": "/bin"}
    assert k._set_policy(env, lambda: True) == "runtime loaded before mixlevel"
    assert env["OMP_WAIT_POLICY"] == "PASSIVE"  # still, for processes it starts
    for name, value in (("OMP_WAIT_POLICY", "ACTIVE"), ("GOMP_SPINCOUNT", "1000"),
                        ("KMP_BLOCKTIME", "0")):
        env = {name: value}
        assert k._set_policy(env, lambda: False) == f"user: {name}={value}"
        assert env == {name: value}
    assert isinstance(k._runtime_loaded(), bool)
