"""The parameter layout: typed parameters, compact term slots, a spec that is never changed,
and the natural <-> working transforms (round trips and Jacobians)."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mixlevel.errors import SpecificationError
from mixlevel.model import MixtureModel
from mixlevel.spec import ModelSpec
from mixlevel.spec.transforms import to_natural, to_working, working_jacobian


def two_level_spec():
    spec = ModelSpec()
    spec.add_class("d", 2, level="between")
    spec.add_class("c", 3)
    for item in ("u1", "u2"):
        spec.add_outcome(item, "binary")
        spec.add_term(item, by=["c"])
    spec.add_outcome("y", "normal", residual_by=["c"])
    spec.add_term("y", by=["c"])
    spec.add_term("y", "x")
    spec.add_block("re", ["b0"], covariance="free", by=["d"])
    spec.add_term("y", latent="b0", fixed=1.0)
    spec.add_term("c", by=["d"])
    spec.add_term("d")
    return spec


def two_level_data(seed, n_clusters=30, size=8):
    rng = np.random.default_rng(seed)
    n = n_clusters * size
    return pd.DataFrame({
        "u1": (rng.random(n) < 0.5).astype(float), "u2": (rng.random(n) < 0.4).astype(float),
        "y": rng.normal(size=n), "x": rng.normal(size=n),
        "g": np.repeat(np.arange(n_clusters), size)})


def test_layout_types_every_parameter():
    layout = two_level_spec().finalize({})
    info = {f.name: f for f in layout.info}
    assert info["u1~1[c=2]"].section == "outcome"
    assert info["u1~1[c=2]"].classes == (("c", 1),)
    assert info["u1~1[c=2]"].role == "coefficient"
    assert info["c#2~1[d=1]"].section == "class" and info["c#2~1[d=1]"].role == "logit"
    assert info["Var(y)[c=3]"].role == "residual variance"
    assert info["Var(b0)[d=2]"].section == "covariance" and info["Var(b0)[d=2]"].equation == "re"
    assert info["y~x"].classes == () and info["y~x"].column == "x"
    # selection by purpose and class, as statsmodels' MarkovSwitchingParams
    sel = [layout.names[i] for i in layout.select(section="outcome", classes={"c": 0})]
    assert "u1~1[c=1]" in sel and "y~x" in sel and "u1~1[c=2]" not in sel
    assert [layout.names[i] for i in layout.select(role="logit", classes={"d": 1})] == \
        ["c#1~1[d=2]", "c#2~1[d=2]", "d#1~1"]  # shared parameters match any classes
    assert [layout.names[i] for i in layout.select(equation="c", classes={"d": 1})] == \
        ["c#1~1[d=2]", "c#2~1[d=2]"]
    # names in the old order: pattern order d-major, then c
    assert layout.names[:3] == ["u1~1[c=1]", "u1~1[c=2]", "u1~1[c=3]"]


def test_term_slots_are_compact():
    """A term that depends on one class variable has one slot per class, not per joint
    pattern; expanding over the joint patterns gives the kernel's order d*C + c."""
    layout = two_level_spec().finalize({})
    ts = next(t for t in layout.terms if t.term.target == "u1")
    assert ts.index.shape == (3,)
    idx, _ = ts.over(layout.pattern_array, layout.class_positions)
    assert [layout.names[i] for i in idx] == ["u1~1[c=1]", "u1~1[c=2]", "u1~1[c=3]"] * 2
    first = layout.block_covariance(layout.spec.blocks[0])
    assert [layout.names[i] for i in first] == ["Var(b0)[d=1]", "Var(b0)[d=2]"]


def test_spec_is_not_changed_by_models():
    """Two models built from one ModelSpec on different data both fit (the spec used to
    be finalised in place, and the first model's fit then failed)."""
    spec = two_level_spec()
    before = repr(spec), [vars(t).copy() for t in spec.terms]
    a = MixtureModel(spec, two_level_data(1), cluster="g")
    b = MixtureModel(spec, two_level_data(2, n_clusters=20, size=5), cluster="g")
    assert (repr(spec), [vars(t) for t in spec.terms]) == before
    ra = a.fit(starts=(2, 1))
    rb = b.fit(starts=(2, 1))
    assert np.isfinite(ra.llf) and np.isfinite(rb.llf)
    assert abs(ra.llf - a.loglike(ra.params)) < 1e-8
    assert ra.model.nobs == 240 and rb.model.nobs == 100


def test_repeated_parameter_name_is_refused():
    spec = ModelSpec()
    spec.add_class("c", 2)
    spec.add_outcome("y", "normal")
    spec.add_term("y", "x", name="b")
    spec.add_term("c", "x", name="b")
    with pytest.raises(SpecificationError, match="two terms define the parameter 'b'"):
        spec.finalize({})


def test_fixed_values_must_be_finite():
    spec = ModelSpec()
    spec.add_outcome("y", "normal")
    spec.add_term("y")
    df = pd.DataFrame({"y": np.arange(5.0)})
    with pytest.raises(SpecificationError, match="finite"):
        MixtureModel(spec, df, fix={"y~1": np.nan})


# -- transforms ------------------------------------------------------------------------------
finite = st.floats(-3, 3, allow_nan=False)


def _fd_jacobian(kind, work, h=1e-6):
    cols = []
    for j in range(len(work)):
        e = np.zeros(len(work))
        e[j] = h
        cols.append((to_natural(kind, work + e) - to_natural(kind, work - e)) / (2 * h))
    return np.column_stack(cols)


@settings(max_examples=60, deadline=None)
@given(st.lists(finite, min_size=1, max_size=5))
def test_threshold_and_variance_transforms_round_trip(values):
    work = np.asarray(values, float)
    for kind in ("coef", "variance", "thresholds"):
        nat = to_natural(kind, work)
        assert np.allclose(to_working(kind, nat), work, atol=1e-10)
        assert np.allclose(working_jacobian(kind, work), _fd_jacobian(kind, work),
                           rtol=1e-6, atol=1e-8)
    assert np.all(np.diff(to_natural("thresholds", work)) > 0)


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 3).flatmap(lambda q: st.lists(finite, min_size=q * (q + 1) // 2,
                                                    max_size=q * (q + 1) // 2)))
def test_cholesky_transform_round_trip_and_jacobian(values):
    work = np.asarray(values, float)
    q = int(round((np.sqrt(8 * len(work) + 1) - 1) / 2))
    diag = [k * (k + 3) // 2 for k in range(q)]
    work[diag] = np.abs(work[diag]) + 0.1  # the canonical factor has a positive diagonal
    nat = to_natural("covariance", work)
    assert np.allclose(to_working("covariance", nat), work, atol=1e-8)
    assert np.allclose(working_jacobian("covariance", work), _fd_jacobian("covariance", work),
                       rtol=1e-6, atol=1e-7)
