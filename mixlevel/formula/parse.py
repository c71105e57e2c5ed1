"""Parsing the formula language into statements (no data, no estimation).

A formula is a few statements, one per line or separated by ``;``::

    u1 + u2 + u3 ~ c                  outcome equations (several outcomes share one)
    y ~ c * x + (1 + x | school)      lme4 random terms, ``||`` for uncorrelated
    f =~ u1 + u2 + u3                 a factor (lavaan)
    eta =~ (c + u1 | person)          a cluster-level factor (class logits, outcomes)
    c ~ w + (1 | school)              a class variable's multinomial logit
    var(y) ~ c                        class-specific residual variance

The steps mirror lme4's ``findbars`` / ``nobars``: the statement is split at
its ``~``; the random terms (parenthesised groups holding ``|`` or ``||``) are
cut out of the right-hand side on formulaic's tokens; the rest is a plain
formulaic formula whose term algebra (``c * x`` -> ``1, c, x, c:x``) is read
term by term.  Factors of a term that name a declared class variable make the
term's coefficients class-specific; a factor naming a latent factor (``=~``)
makes it a loading; the remaining factors are data (the *remainder*, built
into design columns later by :mod:`mixlevel.formula.compile`).

The result, :class:`ParsedFormula`, is plain data (strings and tuples):
equal formulas give equal objects, and :meth:`ParsedFormula.to_text` writes a
canonical formula that parses back to the same object.

This module holds the statement grammars (outcome, class and ``var()``
regressions, ``=~`` measurements, the checks across statements); the steps
they use live by topic: :mod:`~mixlevel.formula.scan` (statements, brackets,
name lists), :mod:`~mixlevel.formula.terms` (right-hand side terms),
:mod:`~mixlevel.formula.bars` (random terms), :mod:`~mixlevel.formula.parsed`
(the result classes) and :mod:`~mixlevel.formula.messages` (FormulaError).
"""

from __future__ import annotations

import re

from .bars import _split_bars
from .messages import FormulaError, _error
from .parsed import Factor, FixedTerm, Measurement, ParsedFormula, RandomTerm, Regression
from .scan import _find_tilde, _name_list, _Stmt, split_statements
from .terms import _expand_rhs_ellipsis, _read_terms

__all__ = [
    "FormulaError",
    "Factor",
    "FixedTerm",
    "RandomTerm",
    "Regression",
    "Measurement",
    "ParsedFormula",
    "parse_formula",
    "split_statements",
]


def _parse_regression(stmt, tilde, classes, factors):
    """One ``lhs ~ rhs`` statement as a :class:`Regression`.

    Parameters
    ----------
    stmt : _Stmt
    tilde : int
        Position of the statement's ``~``.
    classes, factors : sequence of str
        The declared class variables and the factors of the ``=~`` statements.
    """
    lhs_text = stmt.text[:tilde]
    rhs_text = stmt.text[tilde + 1:]
    rhs_off = tilde + 1
    m = re.match(r"^\s*var\s*\((.*)\)\s*$", lhs_text, re.S)
    kind = "outcome"
    if m:
        kind = "variance"
        inner_off = lhs_text.index("(") + 1
        lhs = _name_list(m.group(1), inner_off, stmt, "var(...)")
    else:
        lhs = _name_list(lhs_text, 0, stmt, "the left-hand side")
    if not rhs_text.strip():
        raise _error(stmt, "nothing after '~'", tilde, "write 1 for an intercept only")
    lhs_classes = [n for n in lhs if n in classes]
    if kind == "outcome" and lhs_classes:
        if len(lhs) > 1:
            raise _error(stmt, f"the class variable {lhs_classes[0]!r} shares the "
                         "left-hand side with other names", 0,
                         f"write its logit in a statement of its own: {lhs_classes[0]} ~ ...")
        kind = "class"
    for n in lhs:
        if n in factors:
            raise _error(stmt, f"the factor {n!r} is on the left of '~'", 0,
                         "regressions of factors are not supported; factors are "
                         "standard normal")
        if kind == "variance" and n in classes:
            raise _error(stmt, f"var({n}): {n!r} is a class variable", 0,
                         "var(...) takes outcomes")
    if len(set(lhs)) != len(lhs):
        dup = next(n for n in lhs if lhs.count(n) > 1)
        raise _error(stmt, f"{dup!r} appears twice on the left-hand side", 0)
    rhs_text = _expand_rhs_ellipsis(rhs_text, stmt, rhs_off)
    fixed_text, bars, to_rhs = _split_bars(rhs_text, stmt, rhs_off)
    if not fixed_text.strip():
        fixed_text, to_rhs = "1", (lambda k: 0)
    terms = _read_terms(fixed_text, stmt, rhs_off, classes, factors,
                        "the right-hand side", to_rhs)
    random = []
    for eff_text, eff_off, group, correlated, term_text in bars:
        if not eff_text.strip():
            raise _error(stmt, f"the random term {term_text} has no effects", eff_off)
        eff_terms = _read_terms(eff_text, stmt, eff_off, classes, factors,
                                f"the random term {term_text}")
        for t in eff_terms:
            if t.classes or t.latent:
                what = t.classes[0] if t.classes else t.latent
                raise _error(stmt, f"{what!r} in the random term {term_text}", eff_off,
                             "class variables and factors cannot have random effects; "
                             "random terms take columns")
        if not eff_terms:
            raise _error(stmt, f"the random term {term_text} has no effects", eff_off)
        if group in classes or group in factors:
            raise _error(stmt, f"the grouping {group!r} of {term_text} is a latent "
                         "variable", eff_off, "group by a column of the data")
        random.append(RandomTerm(tuple(t.data for t in eff_terms), group, correlated,
                                 text=term_text))
    if kind == "class":
        target = lhs[0]
        for t in terms:
            if target in t.classes:
                raise _error(stmt, f"the class variable {target!r} cannot predict itself",
                             rhs_off + max(rhs_text.find(target), 0))
            if t.latent:
                raise _error(stmt, f"the factor {t.latent!r} predicts a class variable",
                             rhs_off + max(rhs_text.find(t.latent), 0),
                             "factors cannot predict class variables")
    if kind == "variance":
        if random:
            raise _error(stmt, "random terms in var(...)", rhs_off,
                         "var(y) ~ c takes class variables only")
        for t in terms:
            if t.data or t.latent:
                raise _error(stmt, f"var(...) ~ {t.render()}: residual variances can "
                             "depend on class variables only", rhs_off,
                             "write var(y) ~ c")
    if kind == "outcome" and not terms and not random:
        raise _error(stmt, "the right-hand side has no terms", rhs_off,
                     "write 1 for an intercept-only equation")
    return Regression(tuple(lhs), tuple(terms), tuple(random), kind, stmt.text,
                      stmt.number)


def parse_formula(text, classes=()):
    """Parse formula text into a :class:`ParsedFormula`.

    Parameters
    ----------
    text : str
        The statements, one per line or separated by ``;``.
    classes : iterable of str
        Declared class variable names (their factors make coefficients
        class-specific; on the left they make a class logit).

    Raises
    ------
    FormulaError
        With the statement, position and a fix.
    """
    classes = tuple(classes)
    raw = split_statements(text)
    if not raw:
        raise FormulaError("the formula is empty; write statements such as 'y ~ x'")
    stmts = [_Stmt(t, k + 1) for k, (t, _offset) in enumerate(raw)]
    tildes = []
    factors = []
    for st in stmts:
        pos = _find_tilde(st)
        is_meas = pos > 0 and st.text[pos - 1] == "="
        tildes.append((pos, is_meas))
        if is_meas:
            names = _name_list(st.text[:pos - 1], 0, st, "the left of '=~'")
            if len(names) != 1:
                raise _error(st, "'=~' needs one factor name on its left", 0,
                             "write f =~ u1 + u2 + u3")
            f = names[0]
            if f in classes:
                raise _error(st, f"{f!r} is a class variable, not a factor", 0,
                             "class variables are measured with u1 + u2 ~ c")
            if f in factors:
                raise _error(st, f"the factor {f!r} is defined twice", 0,
                             "list all its indicators in one statement")
            factors.append(f)
    out = []
    for st, (pos, is_meas) in zip(stmts, tildes, strict=True):
        if is_meas:
            out.append(_parse_measurement(st, pos, classes, factors))
        else:
            out.append(_parse_regression(st, pos, classes, factors))
    _check_statements(out)
    return ParsedFormula(tuple(out), classes)


def _parse_measurement(stmt, tilde, classes, factors):
    """``f =~ u1 + u2`` (a row-level factor) or ``f =~ (c + u1 | group)`` (cluster level).

    A cluster-level factor takes one value per level of ``group`` (lme4's
    spelling of a random term); its indicators are outcomes (one loading each,
    unless the outcome's equation gives the loadings, ``y ~ C(item):f``) and
    class variables (a loading per logit: the restricted GoM, eq. 35).
    """
    rhs = stmt.text[tilde + 1:]
    group = None
    ind_text, ind_off = rhs, tilde + 1
    if "|" in rhs:
        fixed, bars, _ = _split_bars(rhs, stmt, tilde + 1)
        if len(bars) != 1 or fixed.strip():
            raise _error(stmt, "a cluster-level factor is measured by one group "
                         "(indicators | group), nothing else", tilde + 1,
                         "write f =~ (c + u1 | person); a row-level factor has no '|': "
                         "f =~ u1 + u2")
        ind_text, ind_off, group, correlated, term_text = bars[0]
        if not correlated:
            raise _error(stmt, f"'||' in {term_text}", ind_off,
                         "a factor has one value per group: write (indicators | group)")
        if group in classes or group in factors:
            raise _error(stmt, f"the grouping {group!r} of {term_text} is a latent "
                         "variable", ind_off, "group by a column of the data")
    inds = _name_list(ind_text, ind_off, stmt, "the right of '=~'")
    if not inds:
        raise _error(stmt, "no indicators after '=~'", tilde)
    for u in inds:
        if u in factors or (u in classes and group is None):
            raise _error(stmt, f"{u!r} cannot be an indicator of a row-level factor"
                         if u in classes else f"{u!r} cannot be an indicator", ind_off,
                         "a factor measured by class logits is a cluster-level factor: "
                         f"write f =~ ({u} | person)" if u in classes else
                         "indicators are observed outcomes or class variables (no "
                         "higher-order factors)")
    if len(set(inds)) != len(inds):
        raise _error(stmt, "an indicator is listed twice", ind_off)
    return Measurement(stmt.text[:tilde - 1].strip().strip("`"), tuple(inds), stmt.text,
                       stmt.number, group)


def _check_statements(statements):
    """The same outcome, class or var() in two statements is a conflict; a factor needs
    two outcomes that load on it."""
    for m in statements:
        if not isinstance(m, Measurement) or len(m.indicators) > 1 or m.group is not None:
            continue  # a cluster factor's one loading is identified by the cluster's rows
        if not any(isinstance(s, Regression) and s.kind == "outcome" and
                   any(t.latent == m.factor for t in s.terms) for s in statements):
            u = m.indicators[0]
            raise FormulaError(
                f"statement {m.number} ({m.text!r}): the factor {m.factor!r} has a single "
                f"indicator, {u!r}, so its loading is not identified (one outcome cannot tell "
                "a factor from its own residual); give the factor two or more indicators, "
                f"or use {u!r} itself instead of the factor")
    seen = {}
    for s in statements:
        if not isinstance(s, Regression):
            continue
        for n in s.lhs:
            key = (s.kind, n)
            if key in seen:
                first = seen[key]
                what = {"outcome": "outcome", "class": "class variable",
                        "variance": "var()"}[s.kind]
                raise FormulaError(
                    f"the {what} {n!r} is on the left of statement {first.number} "
                    f"({first.text!r}) and of statement {s.number} ({s.text!r}); put all "
                    f"of its terms in one statement"
                    + (f", e.g. {n} ~ x + w" if s.kind == "outcome" else ""))
            seen[key] = s
    for s in statements:
        if isinstance(s, Regression) and s.kind == "variance":
            for n in s.lhs:
                if ("outcome", n) not in seen and not any(
                        isinstance(m, Measurement) and n in m.indicators for m in statements):
                    raise FormulaError(
                        f"statement {s.number} ({s.text!r}): var({n}) names no outcome of "
                        "the formula; add an equation for it, e.g. " f"{n} ~ c")
