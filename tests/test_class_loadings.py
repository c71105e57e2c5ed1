"""Class-specific loadings have one spelling and are counted once.

``u ~ c * f`` with ``f =~ u`` used to add the measurement's loading ``f=~u``
to the class-specific ``u~f[c=k]`` in the linear predictor: 26 parameters for
the 21-parameter model, not identified.  The class-specific loadings now
replace the measurement's; with loadings set equal across classes the model
is the class-invariant one (same likelihood at mapped parameters).
"""

import numpy as np
import pandas as pd
import pytest

import mixlevel as ml

ITEMS = ["u1", "u2", "u3", "u4"]


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(5)
    n = 400
    eta = rng.normal(size=n)
    c = rng.random(n) < 0.4
    return pd.DataFrame({u: 0.3 * i * c + (0.6 + 0.2 * i) * eta + rng.normal(size=n)
                         for i, u in enumerate(ITEMS, 1)})


def test_class_specific_loadings_replace_the_measurement_loadings(data):
    model = ml.mixture("u1 + u2 + u3 + u4 ~ c * f; f =~ u1 + u2 + u3 + u4", data,
                       classes={"c": 2})
    names = model.param_names
    assert not any(n.startswith("f=~") for n in names)
    assert sum(n.startswith("u") and "~f[" in n for n in names) == 8
    # 8 intercepts, 8 loadings, 4 residual variances, 1 class logit
    assert len(names) == 21


def test_equal_class_loadings_are_the_invariant_model(data):
    specific = ml.mixture("u1 + u2 + u3 + u4 ~ c * f; f =~ u1 + u2 + u3 + u4", data,
                          classes={"c": 2})
    invariant = ml.mixture("u1 + u2 + u3 + u4 ~ c; f =~ u1 + u2 + u3 + u4", data,
                           classes={"c": 2})
    rng = np.random.default_rng(0)
    p_inv = pd.Series(invariant.start_params, index=invariant.param_names)
    p_inv[[f"f=~{u}" for u in ITEMS]] = rng.uniform(0.4, 1.2, 4)
    p_spec = pd.Series(0.0, index=specific.param_names)
    for name in specific.param_names:
        if "~f[" in name:
            p_spec[name] = p_inv[f"f=~{name.split('~')[0]}"]
        else:
            p_spec[name] = p_inv[name]
    assert specific.loglike(p_spec.to_numpy()) == pytest.approx(
        invariant.loglike(p_inv.to_numpy()), abs=1e-9)
