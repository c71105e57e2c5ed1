"""The integration check of large fits evaluates a random subset of clusters.

Above ``SUBSET_ABOVE_CELLS`` finer-rule cells, ``check_integration`` evaluates
the fitted and the finer rule on ``m`` random clusters and scales the
per-cluster differences up (estimation/integration_check.py).  Here the
threshold is lowered so a small model takes that path; the subset machinery
must reproduce the full check exactly when the subset is every cluster, and
estimate it within its stated error otherwise.
"""

from __future__ import annotations

import numpy as np
import pytest

from mixlevel.estimation import integration_check as ic
from mixlevel.integrate.defaults import finer_rule

from .test_coarse_stage import _fit


@pytest.fixture(scope="module")
def fitted():
    model, res = _fit()
    work = model.table.free_working_from_natural(np.asarray(res.params, float))
    return model, res, work


def test_engine_on_a_subset_of_clusters_gives_their_own_likelihoods(fitted):
    model, res, work = fitted
    eng = model.engine
    clusters = np.array([0, 5, 6, 31, 59])
    sub = ic._on_clusters(eng, eng.design.subset_clusters(clusters), clusters)
    assert sub.design.n_clusters == 5 and sub.design.n_rows == 5 * 12
    full = eng.estep(work).ll_cluster
    np.testing.assert_allclose(sub.estep(work).ll_cluster, full[clusters], rtol=0, atol=1e-10)
    assert abs(full.sum() - res.llf) < 1e-9


def test_subset_of_every_cluster_equals_the_full_check(fitted):
    model, res, work = fitted
    eng = model.engine
    full = ic.check_integration(eng, work, res.llf, model.param_names)
    assert full.n_checked is None and full.difference_se == 0.0
    fine_rule = finer_rule(eng.rule, eng.kl.qb, eng.kl.qw)
    every = ic._check_subset(eng, eng.with_rule(fine_rule), fine_rule, work, res.llf,
                             model.param_names, eng.design.n_clusters)
    assert every.n_checked == 60 and every.difference_se == 0.0
    assert every.difference == pytest.approx(full.difference, abs=1e-9)
    assert every.loglike == pytest.approx(full.loglike, abs=1e-9)
    assert every.parameter == full.parameter
    # the subset path takes the fitted rule's scores off the finer rule's (the fitted
    # gradient is zero at the estimates only to the optimiser's tolerance, ~1e-6 SE here)
    assert abs(every.shift - full.shift) < 1e-3 * ic.SHIFT_TOLERANCE


def test_subset_check_estimates_the_full_one(fitted, monkeypatch):
    model, res, work = fitted
    eng = model.engine
    full = ic.check_integration(eng, work, res.llf, model.param_names)
    monkeypatch.setattr(ic, "SUBSET_MIN_CLUSTERS", 30)
    part = ic.check_integration(eng, work, res.llf, model.param_names, subset_above=1.0)
    assert part.n_checked == 30 and part.difference_se > 0
    # within the stated error (plus what a few heavy-tailed clusters add), far inside
    # the tolerance the check applies
    assert abs(part.difference - full.difference) <= 5 * part.difference_se + \
        0.5 * abs(full.difference)
    assert abs(part.difference - full.difference) < 0.01 * ic.LL_TOLERANCE
    assert part.loglike == pytest.approx(res.llf + part.difference, abs=1e-9)
    assert part.ok == full.ok
    assert abs(part.shift - full.shift) < 0.1 * ic.SHIFT_TOLERANCE


def test_subset_check_is_flagged_by_its_error_bound():
    check = ic.IntegrationCheck("r", 21, -10.0, 0.004, 0.0, "b", n_checked=100,
                                difference_se=0.003)
    assert not check.ok  # 0.004 + 3 * 0.003 > 0.01
    assert ic.IntegrationCheck("r", 21, -10.0, 0.004, 0.0, "b").ok


def test_the_kept_final_e_step_is_the_likelihood_at_the_estimates(fitted):
    """The fit reuses its last E-step (no sweep after the last BFGS run when that run
    took no step from nodes settled at the estimates); it must be the adaptive rule's
    log-likelihood at the estimates, nodes settled there."""
    from mixlevel.estimation.optimize import settle_nodes

    model, res, work = fitted
    eng = model.engine
    assert res.llf == pytest.approx(eng.loglike(work), abs=1e-9)
    assert res.llf == pytest.approx(model.loglike(np.asarray(res.params)), abs=1e-8)
    settle_nodes(eng, work)
    assert res.llf == pytest.approx(eng.loglike(work), abs=1e-8)
