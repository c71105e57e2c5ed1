"""The adaptive mode search with the exact gradient of log p(y_j, z) in z.

``kernel.log_joint_and_gradient`` gives the gradient from one random-effect
sweep; here it must match central differences of the kernel's own log p (an
independent route: no scores involved), and the Newton search that uses it
must find the same modes and curvatures as the search by differences of log p,
with the gradient zero at the modes.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from mixlevel.engine import kernel
from mixlevel.integrate import adaptive
from mixlevel.model import MixtureModel
from mixlevel.spec import ModelSpec

FAMILIES = ["binary", "poisson", "normal", "ordinal"]


def _model(q, family, seed=5, J=40, n=8):
    rng = np.random.default_rng(seed)
    g = np.repeat(np.arange(J), n)
    x1, x2 = rng.normal(size=(2, J * n))
    u = rng.normal(size=(J, 3))[g] * [0.9, 0.5, 0.4]
    eta = 0.2 + 0.5 * x1 - 0.3 * x2 + u[:, 0] + (q > 1) * u[:, 1] * x1 + (q > 2) * u[:, 2] * x2
    if family == "binary":
        y = (rng.random(J * n) < 1 / (1 + np.exp(-eta))).astype(float)
    elif family == "poisson":
        y = rng.poisson(np.exp(eta)).astype(float)
    elif family == "normal":
        y = eta + rng.normal(size=J * n)
    else:
        y = np.digitize(eta + rng.logistic(size=J * n), [-1.0, 0.3, 1.5]).astype(float)
    df = pd.DataFrame(dict(y=y, x1=x1, x2=x2, g=g))
    spec = ModelSpec()
    spec.add_outcome("y", family)
    if family != "ordinal":
        spec.add_term("y")
    spec.add_term("y", "x1")
    spec.add_term("y", "x2")
    spec.add_block("g", ["1|g", "x1|g", "x2|g"][:q])
    spec.add_term("y", latent="1|g")
    if q > 1:
        spec.add_term("y", "x1", latent="x1|g")
    if q > 2:
        spec.add_term("y", "x2", latent="x2|g")
    # the exact normal likelihood is not wanted here: the kernel's integration is tested
    kw = dict(integration="gauss-hermite", n_points=3, adaptive=True)
    return MixtureModel(spec, df, cluster="g", **kw)


def eng_start_work(model):
    return np.asarray(model._start_work(), float)


@pytest.mark.parametrize("q", [1, 2, 3])
@pytest.mark.parametrize("family", FAMILIES)
def test_gradient_and_mode(q, family):
    model = _model(q, family)
    eng = model.engine
    inputs = eng.inputs(eng_start_work(model), tabulate=False)
    if not kernel.has_log_joint_gradient(eng.kl, eng.selection_full, eng.nodes, inputs):
        pytest.fail("the random-effect gradient should apply to this model")
    J = eng.design.n_clusters
    Z = np.random.default_rng(1).normal(size=(J, q))

    def grad_fn(z):
        return kernel.log_joint_and_gradient(eng.kl, eng.selection_full, eng.design, inputs,
                                             eng.nodes, z, 1)

    def log_p(z):
        return eng._log_joint_at(inputs, z)

    f, g = grad_fn(Z)
    np.testing.assert_allclose(f, log_p(Z), rtol=1e-12)
    h = 1e-5
    num = np.stack([(log_p(Z + h * e) - log_p(Z - h * e)) / (2 * h) for e in np.eye(q)], axis=1)
    np.testing.assert_allclose(g, num, rtol=1e-6, atol=1e-6)

    a = adaptive.centre_at_mode(eng.rule_b, log_p, np.zeros((J, q)))
    b = adaptive.centre_at_mode(eng.rule_b, log_p, np.zeros((J, q)), log_joint_grad=grad_fn)
    # the exact gradient vanishes at the new modes, more closely than at the modes
    # found by differences of log p (step 1e-3, error of order h^2 times f''')
    g_new, g_old = np.abs(grad_fn(b[2])[1]).max(), np.abs(grad_fn(a[2])[1]).max()
    assert g_new < 1e-6 and g_new <= g_old + 1e-9
    np.testing.assert_allclose(b[2], a[2], atol=1e-4)             # modes
    np.testing.assert_allclose(b[3], a[3], rtol=1e-3, atol=1e-3)  # curvatures
    # from the previous mode and curvature the search converges at once
    c = adaptive.centre_at_mode(eng.rule_b, log_p, b[2], log_joint_grad=grad_fn, curvature=b[3])
    np.testing.assert_allclose(c[2], b[2], atol=1e-8)
