"""The formula language: statements, bars, term algebra and the spec it compiles to.

No model is fitted here (tests/test_formula_models.py fits).
"""

import warnings

import numpy as np
import pandas as pd
import pytest

from mixlevel.api import Between, mixture, parameter_table
from mixlevel.formula.compile import compile_formula
from mixlevel.formula.parse import (
    Factor,
    FixedTerm,
    FormulaError,
    Measurement,
    RandomTerm,
    Regression,
    parse_formula,
    split_statements,
)

X = Factor("x")
W = Factor("w")


# ---------------------------------------------------------------------------------------
# statements
# ---------------------------------------------------------------------------------------
def test_split_semicolons_newlines_comments_and_continuations():
    text = """
        y ~ x + w   # a comment; with a semicolon
        c ~ 1 +
            (1 | school); f =~ u1 + u2
        z ~ x
          + w
    """
    stmts = [t for t, _ in split_statements(text)]
    assert stmts == ["y ~ x + w", "c ~ 1 +             (1 | school)", "f =~ u1 + u2",
                     "z ~ x           + w"]


def test_newline_inside_parentheses_continues():
    stmts = [t for t, _ in split_statements("y ~ x + (1 +\n x | g)\nz ~ 1")]
    assert len(stmts) == 2 and stmts[1] == "z ~ 1"


def test_outcome_statement_terms():
    p = parse_formula("y ~ x + w")
    (st,) = p.statements
    assert isinstance(st, Regression) and st.kind == "outcome" and st.lhs == ("y",)
    assert st.terms == (FixedTerm(), FixedTerm((X,)), FixedTerm((W,)))


def test_several_outcomes_share_a_statement_and_ellipsis():
    (st,) = parse_formula("u1 + ... + u4 ~ 1").statements
    assert st.lhs == ("u1", "u2", "u3", "u4")
    (st,) = parse_formula("f =~ item01 + ... + item10").statements
    assert st.indicators[0] == "item01" and st.indicators[-1] == "item10"
    assert len(st.indicators) == 10
    (st,) = parse_formula("y ~ x1 + ... + x3").statements
    assert [t.data[0].expr for t in st.terms[1:]] == ["x1", "x2", "x3"]


@pytest.mark.parametrize("rhs, expected", [
    ("c", [((), ()), ((), ("c",))]),
    ("c * x", [((), ()), ((), ("c",)), (("x",), ()), (("x",), ("c",))]),
    ("c + x", [((), ()), ((), ("c",)), (("x",), ())]),
    ("0 + c:x", [(("x",), ("c",))]),
    ("c * d", [((), ()), ((), ("c",)), ((), ("d",)), ((), ("c", "d"))]),
])
def test_class_variables_on_the_right(rhs, expected):
    (st,) = parse_formula(f"y ~ {rhs}", classes=["c", "d"]).statements
    got = [(tuple(f.expr for f in t.data), t.classes) for t in st.terms]
    assert got == expected


def test_class_variable_on_the_left_is_its_logit():
    p = parse_formula("u1 + u2 ~ c2; c2 ~ c1 + w; c1 ~ 1", classes=["c1", "c2"])
    kinds = [s.kind for s in p.statements]
    assert kinds == ["outcome", "class", "class"]
    assert p.statements[1].terms == (FixedTerm(), FixedTerm((), ("c1",)), FixedTerm((W,)))


def test_bars_are_split_out_like_findbars_nobars():
    (st,) = parse_formula("y ~ x + (1 + x | school) + w + (0 + w || school)").statements
    assert st.terms == (FixedTerm(), FixedTerm((X,)), FixedTerm((W,)))
    assert st.random == (RandomTerm(((), (X,)), "school", True),
                         RandomTerm(((W,),), "school", False))
    assert st.random[0].text == "(1 + x | school)"


def test_bar_intercept_is_implicit_and_fixed_part_may_be_empty():
    (st,) = parse_formula("y ~ (x | g)").statements
    assert st.random[0].effects == ((), (X,))
    assert st.terms == (FixedTerm(),)            # lme4: y ~ (x | g) keeps the intercept
    (st,) = parse_formula("y ~ 0 + (1 | g)").statements
    assert st.terms == ()


def test_random_terms_in_class_equations():
    (st,) = parse_formula("c ~ w + (1 | school)", classes=["c"]).statements
    assert st.kind == "class" and st.random[0].group == "school"


def test_measurement_and_factor_on_the_right():
    p = parse_formula("f =~ u1 + u2 + u3\ny ~ c * f", classes=["c"])
    assert p.statements[0] == Measurement("f", ("u1", "u2", "u3"))
    assert p.factor_names == ("f",)
    terms = p.statements[1].terms
    assert FixedTerm((), ("c",), "f") in terms and FixedTerm((), (), "f") in terms


def test_variance_statement():
    p = parse_formula("var(y1 + y2) ~ c; y1 + y2 ~ c", classes=["c"])
    assert p.statements[0].kind == "variance" and p.statements[0].lhs == ("y1", "y2")


def test_transforms_and_backticks_are_data_factors():
    (st,) = parse_formula("y ~ np.log(x) + C(g) + {x + 1} + `odd name`").statements
    exprs = [(f.expr, f.kind) for t in st.terms for f in t.data]
    assert ("np.log(x)", "python") in exprs and ("C(g)", "python") in exprs
    assert ("x + 1", "python") in exprs and ("odd name", "lookup") in exprs


@pytest.mark.parametrize("text", [
    "u1 + u2 + u3 ~ c",
    "y ~ c * x + (1 + x | school); c ~ 1 + (1 | school)",
    "f1 + f2 ~ c1\ns1 + s2 ~ c2\nc1 ~ 1 + (1 | g)\nc2 ~ c1 + (1 | g)",
    "y ~ 0 + C(item):c; c ~ 1 + (1 | person)",
    "f =~ u1 + u2 + u3; y ~ f + np.log(x) + {x + 1} + `a b`",
    "var(y) ~ c; y ~ c + x + (x || g)",
])
def test_canonical_text_round_trips(text):
    p = parse_formula(text, classes=["c", "c1", "c2"])
    again = parse_formula(p.to_text(), classes=["c", "c1", "c2"])
    assert again == p
    assert again.to_text() == p.to_text()


# ---------------------------------------------------------------------------------------
# compiled specifications
# ---------------------------------------------------------------------------------------
def _data(n=60, seed=0):
    rng = np.random.default_rng(seed)
    df = pd.DataFrame({
        "y": rng.normal(size=n), "z": rng.normal(size=n), "x": rng.normal(size=n),
        "w": rng.normal(size=n), "g": rng.choice(list("abc"), n),
        "u1": rng.integers(0, 2, n).astype(float), "u2": rng.integers(0, 2, n).astype(float),
        "u3": rng.integers(0, 2, n).astype(float), "o": rng.integers(0, 3, n),
        "school": np.repeat(np.arange(n // 5), 5)})
    df["wb"] = df.groupby("school")["w"].transform("mean")
    return df


def names(formula, **kw):
    return mixture(formula, _data(), **kw).param_names


def test_slope_shared_or_class_specific():
    assert names("y ~ c + x", classes={"c": 2}) == [
        "y~1[c=1]", "y~1[c=2]", "y~x", "c#1~1", "Var(y)"]
    assert names("y ~ c * x", classes={"c": 2}) == [
        "y~1[c=1]", "y~1[c=2]", "y~x[c=1]", "y~x[c=2]", "c#1~1", "Var(y)"]
    assert names("y ~ x + c:x", classes={"c": 2})[:3] == ["y~1", "y~x[c=1]", "y~x[c=2]"]


def test_categorical_by_class_spans_formulaic_cells():
    # y ~ C(g):c spans the cells of g x c, as formulaic's algebra does
    got = names("y ~ C(g):c", classes={"c": 2})
    assert got[:6] == ["y~1[c=1]", "y~1[c=2]", "y~C(g)[T.b][c=1]", "y~C(g)[T.b][c=2]",
                       "y~C(g)[T.c][c=1]", "y~C(g)[T.c][c=2]"]
    got = names("y ~ 0 + C(g):c", classes={"c": 2})
    assert got[:6] == ["y~C(g)[a][c=1]", "y~C(g)[a][c=2]", "y~C(g)[b][c=1]",
                       "y~C(g)[b][c=2]", "y~C(g)[c][c=1]", "y~C(g)[c][c=2]"]


def test_additive_class_effects_use_a_reference_class():
    m = mixture("y ~ c1 + c2", _data(), classes={"c1": 2, "c2": 3})
    tab = parameter_table(m, start_values=False).set_index("name")
    assert tab.loc["y~1[c2=3]", "status"] == "fixed" and tab.loc["y~1[c2=3]", "value"] == 0
    free = [n for n in m.param_names if n.startswith("y~")]
    assert free == ["y~1[c1=1]", "y~1[c1=2]", "y~1[c2=1]", "y~1[c2=2]"]
    # the interaction is saturated
    free = [n for n in names("y ~ c1 * c2", classes={"c1": 2, "c2": 3}) if n.startswith("y~")]
    assert len(free) == 6


def test_binary_and_ordinal_class_specific_intercepts_and_thresholds():
    got = names("u1 + u2 ~ c; o ~ c", classes={"c": 2},
                family={"u*": "binary", "o": "ordinal"})
    assert got == ["u1~1[c=1]", "u1~1[c=2]", "u2~1[c=1]", "u2~1[c=2]", "c#1~1",
                   "o|t1[c=1]", "o|t2[c=1]", "o|t1[c=2]", "o|t2[c=2]"]
    got = names("o ~ x", family="ordinal")
    assert got == ["o~x", "o|t1", "o|t2"]


def test_nominal_outcome_logits():
    got = names("o ~ c", classes={"c": 2}, family="nominal")
    assert got[:4] == ["o#1~1[c=1]", "o#1~1[c=2]", "o#2~1[c=1]", "o#2~1[c=2]"]


def test_residual_variance_by_class():
    got = names("y ~ c; var(y) ~ c", classes={"c": 2})
    assert got[-2:] == ["Var(y)[c=1]", "Var(y)[c=2]"]


def test_random_effect_names_and_blocks():
    m = mixture("y ~ x + (1 + x | school) + (0 + w | school)", _data())
    assert m.param_names == ["y~1", "y~x", "Var(1|school)", "Cov(1|school,x|school)",
                             "Var(x|school)", "Var(w|school)", "Var(y)"]
    assert [b.effects for b in m.spec.blocks] == [["1|school", "x|school"], ["w|school"]]
    m = mixture("y ~ x + (1 + x || school)", _data())
    assert [b.effects for b in m.spec.blocks] == [["1|school"], ["x|school"]]


def test_random_effects_of_several_outcomes_and_re_cov():
    m = mixture("y + z ~ x + (1 | school)", _data())
    assert "Var(y|school)" in m.param_names and "Var(z|school)" in m.param_names
    assert len(m.spec.blocks) == 2
    m = mixture("y ~ (1 | school); z ~ (1 | school)", _data(), re_cov="full")
    assert len(m.spec.blocks) == 1
    assert "Cov(y|school,z|school)" in m.param_names


def test_random_logit_intercepts_for_k_classes_are_correlated():
    m = mixture("y ~ c; c ~ 1 + (1 | school)", _data(), classes={"c": 3})
    assert [b.effects for b in m.spec.blocks] == [["c#1|school", "c#2|school"]]
    assert "Cov(c#1|school,c#2|school)" in m.param_names
    assert m.cluster == "school"


def test_factor_loadings_and_class_specific_loadings():
    m = mixture("f =~ u1 + u2 + u3", _data(), family="binary")
    assert m.param_names == ["u1~1", "u2~1", "u3~1", "f=~u1", "f=~u2", "f=~u3"]
    m = mixture("f =~ u1 + u2; u3 ~ c * f", _data(), classes={"c": 2}, family="binary")
    assert "u3~f[c=1]" in m.param_names and "u3~f[c=2]" in m.param_names


def test_class_covariates_and_transitions():
    got = names("u1 + u2 ~ c1; u3 ~ c2; c2 ~ c1 + w; c1 ~ x",
                classes={"c2": 2, "c1": 2}, family="binary")
    # c1 is ordered before c2 (c2 depends on it) whatever the declaration order
    assert [n for n in got if n.startswith("c")] == [
        "c1#1~1", "c1#1~x", "c2#1~1[c1=1]", "c2#1~1[c1=2]", "c2#1~w"]


def test_between_and_within_classes():
    m = mixture("u1 + u2 + u3 ~ c; c ~ d; d ~ wb", _data(),
                classes={"c": 2, "d": Between(2)}, family="binary", cluster="school")
    assert [(c.name, c.level) for c in m.spec.classes] == [("d", "between"),
                                                          ("c", "within")]
    assert "d#1~wb" in m.param_names and "c#1~1[d=2]" in m.param_names


def test_cluster_inferred_from_bars_or_given():
    assert mixture("y ~ (1 | school)", _data()).cluster == "school"
    assert mixture("y ~ x", _data()).cluster is None
    assert mixture("y ~ x", _data(), cluster="school").n_clusters == 12


def test_caller_namespace_functions():
    def twice(v):
        return 2 * v

    m = mixture("y ~ twice(x) + np.log(np.abs(w))", _data())
    assert "y~twice(x)" in m.param_names
    cols = m.formula.columns
    assert np.allclose(cols["twice(x)"], 2 * _data()["x"])


def test_glob_patterns_with_literal_brackets_in_fix_and_equal():
    m = mixture("u1 + u2 + u3 ~ c", _data(), classes={"c": 2}, family="binary",
                fix={"u3~1[c=2]": 1.5}, equal=[("u1~1[c=*]", "u2~1[c=*]")])
    assert m.param_names == ["u1~1[c=1]", "u1~1[c=2]", "u3~1[c=1]", "c#1~1"]
    tab = parameter_table(m).set_index("name")
    assert tab.loc["u3~1[c=2]", "status"] == "fixed"
    assert tab.loc["u2~1[c=2]", "status"] == "= u1~1[c=2]"
    assert {"name", "kind", "status", "value", "start"} <= set(parameter_table(m).reset_index())


def test_compile_keeps_rows_and_formulaic_specs():
    df = _data()
    df.loc[0, "x"] = np.nan
    df.loc[1, "y"] = np.nan
    with pytest.warns(UserWarning, match="1 of 60 rows dropped: 1 with missing 'x'"):
        comp = compile_formula("y ~ center(x)", df, context={})
    assert len(comp.data) == 59 and np.isnan(comp.data["y"]).sum() == 1
    new = comp.design_columns(pd.DataFrame({"x": [0.0]}))
    assert np.isclose(new["center(x)"][0], -df["x"].iloc[1:].mean())


def test_class_variable_hiding_a_column_warns():
    df = _data()
    df["c"] = 1.0
    with pytest.warns(UserWarning, match="hides the data column"):
        mixture("y ~ c", df, classes={"c": 2})


def test_weights_array_follows_dropped_rows():
    df = _data()
    df.loc[0, "x"] = np.nan
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        m = mixture("y ~ x", df, weights=np.full(60, 2.0))
    assert m.nobs == 118


def test_formula_error_is_a_mixlevel_error():
    from mixlevel.errors import MixlevelError, SpecificationError

    with pytest.raises(MixlevelError):
        parse_formula("y ~ ")
    assert issubclass(FormulaError, SpecificationError)


def test_from_formula_captures_the_callers_namespace():
    from mixlevel.model import MixtureModel

    def thrice(v):
        return 3 * v

    m = MixtureModel.from_formula("y ~ thrice(x)", _data())
    assert "y~thrice(x)" in m.param_names
    assert np.allclose(m.formula.columns["thrice(x)"], 3 * _data()["x"])
