"""Parameter transforms: natural <-> working scales and the chain rule."""

import numpy as np
import pytest

from mixlevel.spec import ParamGroup, ParamTable, to_natural, to_working, working_jacobian


@pytest.mark.parametrize("kind, nat", [
    ("coef", [0.3]),
    ("variance", [2.5]),
    ("thresholds", [-1.0, 0.2, 1.7]),
    ("covariance", [2.0, 0.3, 1.5]),            # vech of a 2 x 2 covariance
    ("covariance", [1.0, 0.2, 0.8, -0.1, 0.3, 0.9]),
])
def test_round_trip_and_jacobian(kind, nat):
    nat = np.asarray(nat)
    work = to_working(kind, nat)
    assert np.allclose(to_natural(kind, work), nat, atol=1e-12)
    jac = working_jacobian(kind, work)
    eps = 1e-6
    num = np.column_stack([(to_natural(kind, work + eps * e) - to_natural(kind, work - eps * e))
                           / (2 * eps) for e in np.eye(len(work))])
    assert np.allclose(jac, num, atol=1e-7)


def test_natural_gradient_at_zero_variance():
    """A random-effect variance estimated at 0 makes the Cholesky Jacobian singular."""
    groups = [ParamGroup("coef", ["b"], np.array([0.5])),
              ParamGroup("covariance", ["Var(u)"], np.array([0.0]))]
    tab = ParamTable(groups)
    work = tab.free_working_from_natural(np.array([0.5, 0.0]))
    g = tab.natural_gradient(np.array([1.0, 0.0]), work)
    assert np.all(np.isfinite(g)) and g[0] == 1.0
    g2 = tab.natural_gradient(np.array([[1.0, 0.0], [2.0, 0.0]]), work)
    assert np.allclose(g2[:, 0], [1.0, 2.0])
