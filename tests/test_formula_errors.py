"""Every mistake gets a mixlevel error naming the statement, term or column and the fix."""

import re

import numpy as np
import pandas as pd
import pytest

from mixlevel.api import Between, mixture
from mixlevel.errors import MixlevelError
from mixlevel.formula.parse import FormulaError


@pytest.fixture
def df():
    rng = np.random.default_rng(0)
    n = 60
    out = pd.DataFrame({
        "y": rng.normal(size=n), "x": rng.normal(size=n), "w": rng.normal(size=n),
        "u1": rng.integers(0, 2, n).astype(float), "u2": rng.integers(0, 2, n).astype(float),
        "u3": rng.integers(0, 3, n).astype(float), "cnt": rng.poisson(2, n) + 0.5,
        "k": rng.integers(0, 4, n), "n": np.full(n, 2), "school": np.repeat(np.arange(12), 5),
        "row": np.arange(n)})
    out["wb"] = out.groupby("school")["x"].transform("mean")
    return out


def check(df, formula, *fragments, **kw):
    with pytest.raises(MixlevelError) as info:
        mixture(formula, df, **kw)
    msg = str(info.value)
    for frag in fragments:
        assert re.search(frag, msg), f"{frag!r} not in message:\n{msg}"
    return msg


# -- unknown columns ----------------------------------------------------------------------
def test_unknown_column_on_the_right(df):
    check(df, "y ~ x + xx", r"statement 1 \('y ~ x \+ xx'\)", "'xx'",
          "not .*column|neither a column", "did you mean 'x'")


def test_unknown_outcome_and_indicator(df):
    check(df, "y ~ x; yy + y2 ~ w", "statement 2", "outcome 'yy' is not a column")
    check(df, "f =~ u1 + u9", "statement 1", "indicator 'u9' is not a column")


def test_unknown_column_inside_a_transform_and_a_random_term(df):
    check(df, "y ~ np.log(xz)", "statement 1", "'xz'")
    check(df, "y ~ x + (1 + q | school)", "statement 1", "'q'")


def test_undefined_function(df):
    check(df, "y ~ nosuchfun(x)", "function 'nosuchfun'", "define or import it")


# -- class variables ----------------------------------------------------------------------
def test_class_variable_used_but_not_declared(df):
    check(df, "u1 + u2 ~ c", r"'c' on the right-hand side is neither a column of the data "
          "nor a declared class variable", r"classes=\{'c': 2\}")
    check(df, "y ~ x; c ~ w", "statement 2", "'c' on the left-hand side", r"classes=")


def test_class_variable_declared_but_unused(df):
    check(df, "y ~ x", "class variable .c. is declared in classes= but no statement uses it",
          classes={"c": 2})
    check(df, "y ~ c", "'d' is declared in classes= but no statement uses it",
          "remove it from classes=", classes={"c": 2, "d": 2})


def test_class_variable_inside_a_function(df):
    check(df, "y ~ C(c) + x", "statement 1", "class variable 'c' is used inside",
          "bare", classes={"c": 2})


def test_class_variable_cannot_predict_itself_or_go_in_circles(df):
    check(df, "y ~ c; c ~ c", "cannot predict itself", classes={"c": 2})
    check(df, "y ~ c1 + c2; c1 ~ c2; c2 ~ c1", "circle", classes={"c1": 2, "c2": 2})


def test_bad_class_declarations(df):
    check(df, "y ~ c", "whole number >= 1", classes={"c": 1.5})
    check(df, "y ~ c", "must be a dict", classes=["c"])


# -- between class variables ------------------------------------------------------------
def test_between_class_predicted_by_within_covariate(df):
    check(df, "y ~ d; d ~ x", r"statement 2 \('d ~ x'\)", "'x' varies within clusters",
          "cluster-level covariate", classes={"d": Between(2)}, cluster="school")
    mixture("y ~ d; d ~ wb", df, classes={"d": Between(2)}, cluster="school")  # fine


def test_between_class_predicted_by_within_class(df):
    check(df, "y ~ c + d; d ~ c", "between class variable 'd' is predicted by the within "
          "class variable 'c'", "c ~ d", classes={"c": 2, "d": Between(2)}, cluster="school")


def test_between_class_without_cluster(df):
    check(df, "u1 + u2 ~ d", "between class variable 'd' needs clusters", "cluster=",
          classes={"d": Between(2)}, family="binary")


def test_between_class_with_random_logit(df):
    check(df, "y ~ d; d ~ 1 + (1 | school)", "between class variable 'd' has a random term",
          "declare it within", classes={"d": Between(2)})


# -- random terms and clusters ----------------------------------------------------------
def test_random_term_grouping_column_missing(df):
    check(df, "y ~ x + (1 | klass)", r"statement 1", r"grouping column 'klass' of the random "
          r"term \(1 \| klass\) is not in the data")


def test_two_grouping_columns_or_conflicting_cluster(df):
    check(df, "y ~ (1 | school) + (1 | row)", "'school' and by 'row'", "two levels")
    check(df, "y ~ (1 | school)", "groups by 'school' but cluster='row'", cluster="row")
    check(df, "y ~ x", "cluster='klass' is not a column", cluster="klass")


def test_nested_or_crossed_grouping(df):
    check(df, "y ~ (1 | school/row)", "must be one column name", "nested or crossed")


def test_single_row_clusters(df):
    check(df, "y ~ x + (1 | row)", "every cluster of 'row' has a single row")


def test_too_few_clusters(df):
    small = df[df["school"] < 4]
    check(small, "y ~ x + w + (1 + x + w | school)", "4 clusters", "6 cluster-level "
          "parameters", "add clusters")


def test_too_few_rows(df):
    tiny = df.iloc[:6]
    check(tiny, "y ~ c * x * w", "free parameters but only 6 rows", classes={"c": 2})


# -- outcomes and families --------------------------------------------------------------
def test_binary_item_with_three_values(df):
    check(df, "u1 + u2 + u3 ~ c", "binary outcome 'u3' must be coded 0/1", "values 0, 1, 2",
          "ordinal", classes={"c": 2}, family="binary")


def test_non_integer_counts(df):
    check(df, "cnt ~ x", "poisson outcome 'cnt'", "whole counts", family="poisson")


def test_binomial_needs_trials_and_successes_within_trials(df):
    check(df, "k ~ x", "binomial outcome 'k' needs a trials column", "trials=",
          family="binomial")
    check(df, "k ~ x", "more successes than trials", family="binomial", trials="n")
    check(df, "k ~ x", "trials column 'nn'", family="binomial", trials="nn")


def test_family_for_unknown_outcome_and_unknown_family(df):
    check(df, "y ~ x", "family= names 'q'", "not an outcome", family={"q": "binary"})
    check(df, "y ~ x", "unknown family 'gamma'", family="gamma")


def test_variance_of_a_non_normal_outcome(df):
    check(df, "u1 ~ c; var(u1) ~ c", r"var\(u1\): 'u1' is binary", "only normal outcomes",
          classes={"c": 2}, family="binary")
    check(df, "y ~ c; var(y) ~ x", "residual variances can depend on class variables only",
          classes={"c": 2})


# -- conflicting statements -------------------------------------------------------------
def test_same_outcome_in_two_statements(df):
    check(df, "y ~ x\ny ~ w", r"outcome 'y' is on the left of statement 1 \('y ~ x'\) and "
          r"of statement 2 \('y ~ w'\)", "y ~ x \\+ w")
    check(df, "u1 + u2 ~ 1; u2 ~ x", "statement 1", "statement 2", "'u2'")


def test_same_class_equation_twice_and_factor_defined_twice(df):
    check(df, "y ~ c; c ~ x; c ~ w", "class variable 'c' is on the left of statement 2",
          classes={"c": 2})
    check(df, "f =~ u1 + u2; f =~ y", "factor 'f' is defined twice", family="binary")


def test_random_effect_given_twice(df):
    check(df, "y ~ (1 | school) + (1 | school)", "random effect 1\\|school is given twice")


def test_factor_on_the_left(df):
    check(df, "f =~ u1 + u2; f ~ x", "factor 'f' is on the left", "not supported",
          family="binary")


# -- syntax -------------------------------------------------------------------------------
@pytest.mark.parametrize("formula, fragments, caret_at", [
    ("y ~ x + (1 | school", ["unclosed '\\('"], "(1 | school"),
    ("y ~ x +* w", ["statement 1", "cannot parse", "\\+\\*"], "+* w"),
    ("y ~ x | school", ["'\\|' outside parentheses", "in parentheses"], "| school"),
    ("y ~ x:(1 | school)", ["must be added with '\\+'"], "(1 | school)"),
    ("y x", ["no '~'"], "y x"),
    ("y ~ x ~ w", ["more than one '~'"], "~ w"),
    ("y ~ x)", ["unmatched closing"], ")"),
    ("y ~ x + 'abc", ["unclosed quote"], "'abc"),
    ("np.log(y) ~ x", ["is not a name", "column names"], "np.log(y)"),
    ("y ~ (| school)", ["no effects"], "| school)"),
    ("u1 + ... ~ 1", ["'...'"], None),
])
def test_syntax_errors_show_the_position(df, formula, fragments, caret_at):
    msg = check(df, formula, *fragments)
    if caret_at is not None:
        lines = msg.split("\n")
        text, caret = lines[-2], lines[-1]
        assert text.strip() == formula.strip(), msg
        assert text[caret.index("^"):].startswith(caret_at), msg


def test_empty_and_non_string_formulas(df):
    check(df, "", "the formula is empty")
    check(df, "  \n ; \n", "the formula is empty")
    with pytest.raises(FormulaError, match="must be a string"):
        mixture(["y ~ x"], df)


def test_data_must_be_a_data_frame():
    with pytest.raises(MixlevelError, match="DataFrame"):
        mixture("y ~ x", {"y": [1.0, 2.0], "x": [0.0, 1.0]})


# -- constraints ----------------------------------------------------------------------------
def test_fix_and_equal_errors(df):
    check(df, "y ~ x", "no parameter matches 'nope'", fix={"nope": 1.0})
    check(df, "u1 + u2 ~ c", "match different numbers of parameters",
          classes={"c": 2}, family="binary", equal=[("u1~1[c=*]", "u2~1[c=1]")])
    check(df, "y ~ x", "re_cov must be", re_cov="some")


def test_missing_rows_warning_says_how_many_and_why(df):
    df = df.copy()
    df.loc[:3, "x"] = np.nan
    df.loc[10, "school"] = np.nan
    with pytest.warns(UserWarning) as rec:
        mixture("y ~ x + (1 | school)", df)
    msg = str(rec[0].message)
    assert "5 of 60 rows dropped" in msg and "4 with missing 'x'" in msg
    assert "1 with missing cluster 'school'" in msg
    allna = df.assign(x=np.nan)
    check(allna, "y ~ x", "no rows are left")
