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
