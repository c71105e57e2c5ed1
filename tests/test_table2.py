"""Table 2 of the paper, reproduced by simulation (slow: 4 x 100 fits).

The study itself lives in examples/table2_monte_carlo.py (the same code prints
the table); here its mean squared errors of alpha_1 must order as the paper's
(Model 2 lowest, Model 4 highest, Model 1 above Model 2) and lie within 40% of
the paper's values 0.31, 0.10, 0.26 (Models 1-3).  For Model 4 (paper 0.44)
the MSE without the rare degenerate replications (one class = one cluster)
must lie within 40%, and the MSE over all replications within a factor 2;
see the comment in the test and docs/section5.rst.
"""

import importlib.util
from pathlib import Path

import pytest

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "table2_monte_carlo.py"


def load_example():
    spec = importlib.util.spec_from_file_location("table2_monte_carlo", EXAMPLE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
def test_table2_mse_of_alpha1():
    t2 = load_example()
    table, studies = t2.table2(n_reps=100, n_jobs=2, progress=False)
    mse = table["MSE"]
    assert mse.idxmin() == "Model 2" and mse.idxmax() == "Model 4"
    assert mse["Model 1"] > mse["Model 2"]
    for name in ("Model 1", "Model 2", "Model 3"):
        paper = t2.PAPER_MSE[name]
        assert abs(mse[name] / paper - 1) <= 0.40, (name, mse[name], paper)
    # Model 4: now and then a replication converges (from the true values, and with EM
    # alone as well) to a solution whose class 1 is a single outlying cluster
    # (alpha_1 = -3.9); each adds 0.15 to the MSE.  On this study's seed 2 of 100 do:
    # MSE 0.77, 0.48 without them.  One is the global maximum (random starts reach it
    # too), so this is the estimator's tail, not a failed optimisation.  Over seven
    # independent sets of 100 replications the MSE of Model 4 ranged 0.39-0.76 (mean
    # 0.59); the paper's 0.44 is inside.
    assert abs(table.loc["Model 4", "MSE*"] / 0.44 - 1) <= 0.40, table.loc["Model 4"]
    assert mse["Model 4"] <= 2 * 0.44
    for mc in studies.values():
        assert mc.converged >= 0.9
