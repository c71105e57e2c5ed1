"""Large adaptive fits converge first with a coarse rule, then with the full one.

``estimation.optimize.maximize`` runs its BFGS rounds with 3 adaptive points
per dimension when a sweep has more than ``COARSE_ABOVE_CELLS`` cells, then
finishes with the full rule.  The optimum must be the full rule's: here the
threshold is lowered so a small model takes that path, and its estimates and
log-likelihood must equal a fit without the coarse stage.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from mixlevel.estimation import optimize
from mixlevel.model import MixtureModel
from mixlevel.spec import ModelSpec


def _data(seed=3, J=60, n=12):
    rng = np.random.default_rng(seed)
    g = np.repeat(np.arange(J), n)
    x = rng.normal(size=J * n)
    u = rng.multivariate_normal([0, 0], [[1.0, 0.2], [0.2, 0.3]], size=J)[g]
    eta = -0.3 + 0.7 * x + u[:, 0] + u[:, 1] * x
    y = (rng.random(J * n) < 1 / (1 + np.exp(-eta))).astype(float)
    return pd.DataFrame(dict(y=y, x=x, g=g))


def _fit():
    s = ModelSpec()
    s.add_outcome("y", "binary")
    s.add_term("y")
    s.add_term("y", "x")
    s.add_block("g", ["1|g", "x|g"])
    s.add_term("y", latent="1|g")
    s.add_term("y", "x", latent="x|g")
    model = MixtureModel(s, _data(), cluster="g")
    return model, model.fit()


def test_coarse_stage_reaches_the_full_rules_optimum(monkeypatch):
    model, full = _fit()
    assert optimize.coarse_engine(model.engine) is None  # small: no coarse stage
    monkeypatch.setattr(optimize, "COARSE_ABOVE_CELLS", 0)
    model2, staged = _fit()
    coarse = optimize.coarse_engine(model2.engine)
    assert coarse is not None and coarse.rule_b.size == 9 and model2.engine.rule_b.size == 121
    assert staged.converged
    assert staged.llf == pytest.approx(full.llf, abs=1e-6)
    np.testing.assert_allclose(staged.params, full.params, atol=2e-4)
    np.testing.assert_allclose(staged.bse, full.bse, rtol=1e-3)


def test_grid_check_counts_cluster_cells_for_random_effect_models(monkeypatch):
    """Adaptive random-effect models keep clusters x nodes, not rows x nodes, arrays:
    the grid-size check counts those (a 1M-row, 3-effect fit's integration check
    was refused for 16 GB it would never allocate); non-adaptive rules still count rows."""
    from mixlevel.engine import engine as engine_module
    from mixlevel.errors import SpecificationError

    df = _data()  # 720 rows, 60 clusters; 11 x 11 nodes: 87,120 row cells, 7,260 cluster cells
    monkeypatch.setattr(engine_module, "MAX_CELL_BYTES", 8 * 20_000)
    s = ModelSpec()
    s.add_outcome("y", "binary")
    s.add_term("y")
    s.add_block("g", ["1|g", "x|g"])
    s.add_term("y", latent="1|g")
    s.add_term("y", "x", latent="x|g")
    model = MixtureModel(s, df, cluster="g")
    assert model.engine.adaptive and model.engine.rule_b.size == 121
    with pytest.raises(SpecificationError, match="87,120 posterior cells for 720 rows"):
        MixtureModel(s, df, cluster="g", integration="gauss-hermite", n_points=11,
                     adaptive=False)
