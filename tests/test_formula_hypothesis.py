"""Property-based tests of the formula parser (hypothesis).

* Random token sequences (and random text) never make the parser raise anything but
  mixlevel's own error type, with a message.
* Random valid formulas round-trip: the canonical text parses to the same statements,
  and compiles to the same model specification.
"""

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as _settings
from hypothesis import strategies as st

from mixlevel.api import Between
from mixlevel.errors import MixlevelError
from mixlevel.formula.compile import compile_formula
from mixlevel.formula.parse import ParsedFormula, parse_formula

CLASSES = ["c", "d", "c2"]


def settings(**kw):
    """Deterministic runs, no example database written into the working tree."""
    return _settings(derandomize=True, database=None, **kw)

TOKENS = [
    "y", "x", "w", "c", "d", "u1", "u2", "f", "school", "`a b`", "np.log(x)", "C(g)",
    "var(", "center(", "{x + 1}", "~", "=~", "+", "-", "*", ":", "/", "^", "**", "%in%",
    "|", "||", "(", ")", "[", "]", "{", "}", "0", "1", "2.5", "...", ";", "\n", "#", "'",
    '"', "`", ",", ".", "=", "~-", "~~", " ", "  ", "\t", "\\", "@", "!", "$", "&",
]


def _assert_own_error(text):
    try:
        out = parse_formula(text, classes=CLASSES)
    except MixlevelError as exc:
        assert str(exc).strip(), "empty error message"
        return
    assert isinstance(out, ParsedFormula)
    # whatever parses also renders and parses back
    assert parse_formula(out.to_text(), classes=CLASSES) == out


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(TOKENS), min_size=0, max_size=25))
def test_random_token_sequences_raise_only_mixlevel_errors(tokens):
    _assert_own_error(" ".join(tokens))
    _assert_own_error("".join(tokens))


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40))
def test_random_text_raises_only_mixlevel_errors(text):
    _assert_own_error(text)


@settings(max_examples=100, deadline=None)
@given(st.one_of(st.integers(), st.none(), st.lists(st.text()), st.binary()))
def test_non_text_formulas_raise_mixlevel_errors(value):
    with pytest.raises(MixlevelError):
        parse_formula(value)


# ---------------------------------------------------------------------------------------
# random valid formulas
# ---------------------------------------------------------------------------------------
COVARIATES = ["x", "w", "np.log(z)", "C(g)", "center(x)", "x:w", "`odd col`"]
WITHIN = ["c", "c2"]


@st.composite
def valid_formulas(draw):
    """(formula text, declared classes) with every declared class used."""
    outcomes = [f"y{k}" for k in range(1, 9)]
    draw(st.randoms()).shuffle(outcomes)
    statements = []
    used = set()
    n_out = draw(st.integers(1, 3))
    factor = draw(st.booleans())
    for k in range(n_out):
        lhs = [outcomes.pop()] + ([outcomes.pop()] if draw(st.booleans()) else [])
        terms = []
        for _ in range(draw(st.integers(0, 3))):
            terms.append(draw(st.sampled_from(COVARIATES)))
        for _ in range(draw(st.integers(0, 2))):
            cls = draw(st.sampled_from(["c", "c2", "d"]))
            used.add(cls)
            form = draw(st.sampled_from(["{c}", "{c} * x", "{c}:w", "{c} + x"]))
            terms.append(form.format(c=cls))
        if factor and k == 0:
            terms.append("f")
        bars = []
        effects = draw(st.lists(st.sampled_from(["1", "0 + x", "0 + w"]), max_size=2,
                                unique=True))
        if effects and draw(st.booleans()):   # one correlated term with all of them
            effects = [" + ".join(effects).replace(" + 0 + ", " + ")]
        for eff in effects:
            bar = draw(st.sampled_from(["|", "||"]))
            bars.append(f"({eff} {bar} school)")
        first = draw(st.sampled_from(["", "1 + ", "0 + "]))
        rhs = first + " + ".join(terms + bars) if terms or bars else "1"
        if rhs.strip() in ("0 +", "1 +", "0 + ", "1 + "):
            rhs = "1"
        statements.append(f"{' + '.join(lhs)} ~ {rhs}")
    if factor:
        ind = [outcomes.pop(), outcomes.pop()]
        statements.append(f"f =~ {ind[0]} + {ind[1]}")
    if "c" in used and draw(st.booleans()):
        rhs = draw(st.sampled_from(["w", "1 + (1 | school)", "d" if "d" in used else "x"]))
        statements.append(f"c ~ {rhs}")
    if "d" in used and draw(st.booleans()):
        statements.append("d ~ wb")
    if used & {"c", "c2"} and draw(st.booleans()):
        cls = sorted(used & {"c", "c2"})[0]
        y = statements[0].split(" ~ ")[0].split(" + ")[0]
        statements.append(f"var({y}) ~ {cls}")
    sep = draw(st.sampled_from(["\n", "; ", " ;\n  "]))
    text = sep.join(statements)
    classes = {}
    for c in sorted(used):
        classes[c] = Between(2) if c == "d" else draw(st.integers(2, 3))
    return text, classes


def _data():
    rng = np.random.default_rng(3)
    n = 200
    df = pd.DataFrame({f"y{k}": rng.normal(size=n) for k in range(1, 9)})
    df["x"], df["w"] = rng.normal(size=n), rng.normal(size=n)
    df["z"] = rng.uniform(1, 2, size=n)
    df["g"] = rng.choice(list("abc"), n)
    df["odd col"] = rng.normal(size=n)
    df["school"] = np.repeat(np.arange(20), 10)
    df["wb"] = df.groupby("school")["w"].transform("mean")
    return df


DATA = _data()


def _spec_signature(comp):
    spec = comp.spec
    return (repr(spec.outcomes), repr(spec.classes), repr(spec.blocks), repr(spec.terms),
            repr(spec.residual_by), repr(spec.threshold_by), sorted(comp.columns),
            comp.cluster, comp.fix)


@settings(max_examples=150, deadline=None)
@given(valid_formulas())
def test_valid_formulas_round_trip(case):
    text, classes = case
    parsed = parse_formula(text, classes=list(classes))
    canonical = parsed.to_text()
    again = parse_formula(canonical, classes=list(classes))
    assert again == parsed
    assert again.to_text() == canonical


@settings(max_examples=40, deadline=None)
@given(valid_formulas())
def test_valid_formulas_compile_to_the_same_specification(case):
    text, classes = case
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        a = compile_formula(text, DATA, classes=classes, cluster="school", context={"np": np})
        b = compile_formula(parse_formula(text, list(classes)).to_text(), DATA,
                            classes=classes, cluster="school", context={"np": np})
    assert _spec_signature(a) == _spec_signature(b)
    for key in a.columns:
        assert np.array_equal(a.columns[key], b.columns[key])
