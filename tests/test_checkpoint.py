"""Checkpoints: interrupted Monte Carlo studies and random starts resume to the same result."""

import json
import os
import signal
import subprocess
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from mixlevel.engine.threads import ThreadPlan
from mixlevel.errors import SpecificationError
from mixlevel.estimation import run_starts
from mixlevel.estimation.starts import base_start, perturbation_scale
from mixlevel.model import MixtureModel
from mixlevel.simulation.montecarlo import montecarlo
from mixlevel.simulation.simulate import Population
from mixlevel.spec import ModelSpec
from mixlevel.utils.checkpoint import Checkpoint

ROOT = Path(__file__).resolve().parent.parent
MIX = {"y~1[c=1]": 2.0, "y~1[c=2]": -1.0, "y~x": 0.5, "c#1~1": 0.4, "Var(y)": 1.0}


def _population():
    spec = ModelSpec()
    spec.add_class("c", 2)
    spec.add_outcome("y", "normal")
    spec.add_term("y", by=["c"])
    spec.add_term("y", "x")
    spec.add_term("c")
    return Population(spec, MIX, n_clusters=100, cluster_size=1, covariates={"x": "normal"})


class Stop(Exception):
    pass


@pytest.fixture(scope="module")
def uninterrupted():
    return montecarlo(_population(), n_reps=4, seed=7, fit_kw={"em_iter": 3},
                      extract=lambda res: ("llf", np.float64(res.llf)))


def _same_study(a, b):
    pd.testing.assert_frame_equal(a.table, b.table, check_exact=True)
    pd.testing.assert_frame_equal(a.estimates, b.estimates, check_exact=True)
    pd.testing.assert_frame_equal(a.bse, b.bse, check_exact=True)
    cols = ["status", "converged", "llf", "aligned", "se_ok", "warnings", "error"]
    pd.testing.assert_frame_equal(a.replications[cols], b.replications[cols],
                                  check_exact=True)
    assert a.extra == b.extra


def test_monte_carlo_stopped_halfway_resumes_to_the_same_table(tmp_path, uninterrupted):
    path = tmp_path / "study.jsonl"
    fitted = []

    def extract(res):
        fitted.append(1)
        return ("llf", np.float64(res.llf))

    def stop_after_two(r, record):
        if r == 1:
            raise Stop

    with pytest.raises(Stop):
        montecarlo(_population(), n_reps=4, seed=7, fit_kw={"em_iter": 3}, extract=extract,
                   checkpoint=path, callback=stop_after_two)
    lines = path.read_text().splitlines()
    assert len(lines) == 1 + 2 and json.loads(lines[0])["header"]["seed"] == 7
    fitted.clear()
    seen = []
    resumed = montecarlo(_population(), n_reps=4, seed=7, fit_kw={"em_iter": 3},
                         extract=extract, checkpoint=path,
                         callback=lambda r, rec: seen.append(r))
    assert len(fitted) == 2  # only the replications not in the file were run
    assert sorted(seen) == [0, 1, 2, 3]
    _same_study(resumed, uninterrupted)
    assert len(path.read_text().splitlines()) == 1 + 4  # none recorded twice
    # the same file again: nothing to run, same table
    fitted.clear()
    again = montecarlo(_population(), n_reps=4, seed=7, fit_kw={"em_iter": 3},
                       extract=extract, checkpoint=path)
    assert fitted == []
    _same_study(again, uninterrupted)


def test_a_checkpoint_of_another_study_is_refused(tmp_path):
    path = tmp_path / "study.jsonl"
    montecarlo(_population(), n_reps=1, seed=7, fit_kw={"em_iter": 3}, checkpoint=path)
    with pytest.raises(SpecificationError, match=r"another job .*seed"):
        montecarlo(_population(), n_reps=1, seed=8, fit_kw={"em_iter": 3}, checkpoint=path)
    with pytest.raises(SpecificationError, match=r"another job .*fit_kw"):
        montecarlo(_population(), n_reps=1, seed=7, fit_kw={"em_iter": 4}, checkpoint=path)
    other = tmp_path / "notes.txt"
    other.write_text("my notes\n")
    with pytest.raises(SpecificationError, match="not a mixlevel checkpoint"):
        montecarlo(_population(), n_reps=1, seed=7, checkpoint=other)


def test_checkpoint_drops_a_line_cut_short_and_keeps_first_records(tmp_path):
    path = tmp_path / "c.jsonl"
    ck = Checkpoint(path, {"job": "x", "seed": 1})
    ck.write(0, {"v": 0.1 + 0.2})
    ck.write(0, {"v": 5.0})  # a task recorded twice: the first counts
    with open(path, "a") as f:
        f.write('{"key": 1, "value": {"v": 0.3')  # killed while writing
    again = Checkpoint(path, {"job": "x", "seed": 1})
    assert again.done == {0: {"v": 0.1 + 0.2}} and 1 not in again
    assert path.read_text().endswith("}\n")
    again.write(1, {"v": np.float64(np.nan)})
    third = Checkpoint(path, {"job": "x", "seed": 1})
    assert third.done[0]["v"] == 0.30000000000000004 and np.isnan(third.done[1]["v"])
    # a description with NaN (a parameter without a true value) matches itself
    nan_path = tmp_path / "nan.jsonl"
    Checkpoint(nan_path, {"truth": {"a": float("nan")}}).write(0, {"v": 1.0})
    assert Checkpoint(nan_path, {"truth": {"a": float("nan")}}).done == {0: {"v": 1.0}}


def _lca():
    df = pd.read_csv(ROOT / "tests" / "data" / "carcinoma.csv")
    items = list("ABCDEFG")
    spec = ModelSpec()
    spec.add_class("c", 3)
    for it in items:
        spec.add_outcome(it, "binary")
        spec.add_term(it, by=["c"])
    spec.add_term("c")
    return MixtureModel(spec, df[items] - 1)


def test_random_starts_stopped_in_the_final_stage_resume_to_the_same_fit(tmp_path):
    model = _lca()
    eng = model.engine
    args = (eng, base_start(eng), 6, 3, 5)
    kw = dict(perturb_scale=perturbation_scale(eng), em_iter=50, maxiter=500, gtol=1e-8)
    best, table = run_starts(*args, **kw)
    path = tmp_path / "starts.jsonl"
    calls = []

    def stop_in_final(stage, k, ll):
        calls.append(stage)
        if stage == "final":
            raise Stop

    with pytest.raises(Stop):
        run_starts(*args, checkpoint=path, callback=stop_in_final, **kw)
    assert calls == ["initial"] * 6 + ["final"]
    assert len(path.read_text().splitlines()) == 1 + 6 + 1
    best2, table2 = run_starts(*args, checkpoint=path, **kw)
    assert best2.loglike == best.loglike
    np.testing.assert_array_equal(best2.work, best.work)
    assert pd.DataFrame(table2).equals(pd.DataFrame(table))
    # through fit(): a second call reads every start from the file
    fit_path = tmp_path / "fit.jsonl"
    r1 = model.fit(starts=(6, 3), seed=5, checkpoint=fit_path)
    text = fit_path.read_text()
    r2 = model.fit(starts=(6, 3), seed=5, checkpoint=fit_path)
    assert fit_path.read_text() == text
    np.testing.assert_array_equal(r1.params, r2.params)
    with pytest.raises(SpecificationError, match="checkpoint=.*start_params is given"):
        model.fit(start_params=r1.params, checkpoint=fit_path)


def test_parallel_starts_share_the_cores():
    eng = _lca().engine
    from mixlevel.estimation.starts import _spawn

    eng.threads = ThreadPlan(4)
    assert _spawn(eng, 2).threads.max_threads == 2 and _spawn(eng, 4).threads.max_threads == 1
    assert _spawn(eng, 1).threads is eng.threads  # alone: the model's plan, shared


SCRIPT = """
import sys, warnings
sys.path.insert(0, {root!r})
warnings.simplefilter("ignore")
from tests.test_checkpoint import _population
from mixlevel.simulation.montecarlo import montecarlo
montecarlo(_population(), n_reps=4, seed=7, fit_kw={{"em_iter": 3}},
           extract=lambda res: ("llf", __import__("numpy").float64(res.llf)),
           checkpoint={path!r})
"""


@pytest.mark.slow
def test_monte_carlo_killed_by_a_signal_resumes_to_the_same_table(tmp_path, uninterrupted):
    path = tmp_path / "killed.jsonl"
    proc = subprocess.Popen([sys.executable, "-c", SCRIPT.format(root=str(ROOT),
                                                                 path=str(path))],
                            cwd=ROOT)
    deadline = time.time() + 300
    while time.time() < deadline and proc.poll() is None:
        if path.exists() and len(path.read_text().splitlines()) >= 3:
            break
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    done = len(path.read_text().splitlines()) - 1
    assert 1 <= done < 4
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        resumed = montecarlo(_population(), n_reps=4, seed=7, fit_kw={"em_iter": 3},
                             extract=lambda res: ("llf", np.float64(res.llf)),
                             checkpoint=path)
    _same_study(resumed, uninterrupted)
