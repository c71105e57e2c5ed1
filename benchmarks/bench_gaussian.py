"""Linear mixed models on the exact normal likelihood, timed against statsmodels MixedLM.

Each ``bench_*`` function times, in the same run, ``ml.mixture(formula).fit(cov_type="ML")``
with its standard errors (formula parsing and model building included) and statsmodels'
``smf.mixedlm(...).fit(reml=False)`` on the same data (which also computes its standard
errors).  ``seconds`` is mixlevel's median wall time; ``peer`` gives MixedLM's median and
the ratio; ``aim_seconds`` is a third of MixedLM's time (the project's aim).  Reading the
CSV is not timed.  Data: ``tests/data`` (exam, sleepstudy).
"""

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
from _harness import make_result, timeit

import mixlevel as ml

TEST_DATA = Path(__file__).resolve().parent.parent / "tests" / "data"


def _repeat():
    import os

    env = os.environ.get("MIXLEVEL_BENCH_REPEAT", "").strip()
    return max(1, int(env)) if env.isdigit() else 5


def _compare(name, data_file, formula, sm_formula, groups, re_formula):
    path = TEST_DATA / data_file
    if not path.is_file():
        print(f"  skipped {name}: {path} not found")
        return []
    df = pd.read_csv(path)
    import statsmodels.formula.api as smf

    def ours():
        res = ml.mixture(formula, data=df).fit(cov_type="ML")
        np.asarray(res.bse)  # standard errors are computed on first use: include them
        return res

    def theirs():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return smf.mixedlm(sm_formula, df, groups=df[groups],
                               re_formula=re_formula).fit(reml=False)

    ours(), theirs()  # warm-up: imports and first-call caches
    t_ours, res = timeit(ours, repeat=_repeat())
    t_sm, sm = timeit(theirs, repeat=_repeat())
    peer = (f"MixedLM {t_sm:.3f} s (LL {sm.llf:.3f}); mixlevel/MixedLM "
            f"{t_ours / t_sm:.2f}")
    cps = res.model.design.n_rows / max(t_ours, 1e-12)
    return [make_result(name, t_ours, loglik=res.llf, cells_per_second=cps, peer=peer,
                        aim_seconds=t_sm / 3)]


def bench_exam_random_slope_exact():
    """mlmRev Exam: normexam ~ standLRT + (standLRT | school), ML, exact likelihood."""
    return _compare("exam (standLRT | school), exact", "exam.csv",
                    "normexam ~ standLRT + (standLRT | school)", "normexam ~ standLRT",
                    "school", "~standLRT")


def bench_sleepstudy_exact():
    """lme4 sleepstudy: Reaction ~ Days + (Days | Subject), ML, exact likelihood."""
    return _compare("sleepstudy (Days | Subject), exact", "sleepstudy.csv",
                    "Reaction ~ Days + (Days | Subject)", "Reaction ~ Days", "Subject", "~Days")
