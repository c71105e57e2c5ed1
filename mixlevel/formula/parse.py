"""Parsing the formula language into statements (no data, no estimation).

A formula is a few statements, one per line or separated by ``;``::

    u1 + u2 + u3 ~ c                  outcome equations (several outcomes share one)
    y ~ c * x + (1 + x | school)      lme4 random terms, ``||`` for uncorrelated
    f =~ u1 + u2 + u3                 a factor (lavaan)
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
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..errors import SpecificationError

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

_NAME = re.compile(r"^[A-Za-z_.][A-Za-z0-9_.]*$")
_ANSI = re.compile(r"\x1b\[[0-9;]*m|[\u29da\u29db]")
_OPEN = {"(": ")", "[": "]", "{": "}"}
_CLOSE = {v: k for k, v in _OPEN.items()}
_QUOTES = "'\"`"
_CONTINUE_END = "+-*/:|^~=,&("
_CONTINUE_START = "+*/:|^~=&-"


class FormulaError(SpecificationError):
    """The formula text does not parse or does not make a model.

    The message names the statement (and the term or column) and says how to
    fix it; a syntax error shows the position with a caret.
    """


def _is_call(expr):
    """``name(...)`` whose first parenthesis closes at the end (formulaic reads it whole)."""
    m = re.match(r"^[A-Za-z_][A-Za-z0-9_.]*\(", expr)
    if not m or not expr.endswith(")") or any(q in expr for q in _QUOTES + "{}[]"):
        return False
    depth = 0
    for k, ch in enumerate(expr[m.end() - 1:], start=m.end() - 1):
        depth += ch == "("
        depth -= ch == ")"
        if depth == 0:
            return k == len(expr) - 1
    return False


def _clean(msg):
    """formulaic's messages carry ANSI colours and markers: strip them."""
    return " ".join(_ANSI.sub("", str(msg)).split())


def _formulaic_message(exc):
    """formulaic's message without the echoed formula, and the marked position."""
    raw = str(exc)
    head, _, shown = raw.partition("\n\n")
    shown = re.sub(r"\x1b\[[0-9;]*m", "", shown)
    pos = shown.find("\u29db")
    return _clean(head), (pos if pos >= 0 else None)


def _caret(text, pos):
    pos = max(0, min(int(pos), len(text)))
    line_start = text.rfind("\n", 0, pos) + 1
    line_end = text.find("\n", pos)
    line = text[line_start:] if line_end < 0 else text[line_start:line_end]
    return f"\n    {line}\n    {' ' * (pos - line_start)}^"


def _error(stmt, msg, pos=None, hint=None):
    """A FormulaError naming the statement, with a caret under ``pos``."""
    where = f"statement {stmt.number} ({stmt.text!r})" if stmt is not None else "formula"
    text = f"{where}: {msg}"
    if hint:
        text += f"; {hint}"
    if pos is not None and stmt is not None:
        text += _caret(stmt.text, pos)
    return FormulaError(text)


# ---------------------------------------------------------------------------------------
# plain-data results
# ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Factor:
    """One factor of a formulaic term: ``expr`` evaluated by ``kind``.

    kind: "lookup" (a column name), "python" (an expression such as
    ``np.log(x)`` or ``C(g)``) or "literal".
    """

    expr: str
    kind: str = "lookup"

    def render(self):
        if self.kind == "python":
            return self.expr if _is_call(self.expr) else "{" + self.expr + "}"
        if self.kind == "lookup" and not _NAME.match(self.expr):
            return "`" + self.expr + "`"
        return self.expr


@dataclass(frozen=True)
class FixedTerm:
    """A term of a fixed part: class variables x latent factor x data factors.

    ``data == ()`` is the constant (intercept) part.  ``classes`` are the
    class variables the term was multiplied by (sorted), ``latent`` a factor
    name from an ``=~`` statement or None.
    """

    data: tuple = ()
    classes: tuple = ()
    latent: str | None = None

    def render(self):
        parts = list(self.classes) + ([self.latent] if self.latent else []) + [
            f.render() for f in self.data]
        return ":".join(parts) if parts else "1"


@dataclass(frozen=True)
class RandomTerm:
    """``(effects | group)`` (correlated) or ``(effects || group)`` (uncorrelated).

    ``effects`` is a tuple of data-factor tuples, ``()`` the random intercept.
    """

    effects: tuple
    group: str
    correlated: bool = True
    text: str = field(default="", compare=False)

    def render(self):
        has_one = () in self.effects
        others = [":".join(f.render() for f in t) for t in self.effects if t != ()]
        lhs = " + ".join((["1"] if has_one else ["0"]) + others)
        group = self.group if _NAME.match(self.group) else f"`{self.group}`"
        return f"({lhs} {'|' if self.correlated else '||'} {group})"


@dataclass(frozen=True)
class Regression:
    """``lhs ~ rhs``: outcome equations, a class logit or class-specific variances.

    kind: "outcome" (lhs are outcomes), "class" (lhs is one class variable:
    its multinomial logit) or "variance" (``var(y) ~ c``).
    """

    lhs: tuple
    terms: tuple
    random: tuple = ()
    kind: str = "outcome"
    text: str = field(default="", compare=False)
    number: int = field(default=0, compare=False)

    @property
    def has_intercept(self):
        return FixedTerm() in self.terms

    def render(self):
        lhs = " + ".join(self.lhs)
        if self.kind == "variance":
            lhs = f"var({lhs})"
        parts = ["1" if self.has_intercept else "0"]
        parts += [t.render() for t in self.terms
                  if not (t.data == () and t.latent is None and not t.classes)]
        parts += [r.render() for r in self.random]
        return f"{lhs} ~ {' + '.join(parts)}"


@dataclass(frozen=True)
class Measurement:
    """``factor =~ indicator + ...`` (variance 1, loadings free)."""

    factor: str
    indicators: tuple
    text: str = field(default="", compare=False)
    number: int = field(default=0, compare=False)

    def render(self):
        return f"{self.factor} =~ {' + '.join(self.indicators)}"


@dataclass(frozen=True)
class ParsedFormula:
    """The statements of a formula, with the class variables it was parsed against."""

    statements: tuple
    class_names: tuple = ()

    @property
    def factor_names(self):
        return tuple(s.factor for s in self.statements if isinstance(s, Measurement))

    def regressions(self, kind=None):
        return [s for s in self.statements if isinstance(s, Regression)
                and (kind is None or s.kind == kind)]

    def measurements(self):
        return [s for s in self.statements if isinstance(s, Measurement)]

    def to_text(self):
        """A canonical formula that parses back to an equal object."""
        return "\n".join(s.render() for s in self.statements)

    def __str__(self):
        return self.to_text()


# ---------------------------------------------------------------------------------------
# statements
# ---------------------------------------------------------------------------------------
@dataclass
class _Stmt:
    text: str
    number: int
    offset: int  # position of the statement in the whole formula


def _scan(text, start=0):
    """Yield (position, char, depth) for characters outside quotes and comments.

    Raises FormulaError (with the position) for unbalanced brackets or quotes.
    """
    stack = []
    i = start
    n = len(text)
    while i < n:
        ch = text[i]
        if ch in _QUOTES:
            j = text.find(ch, i + 1)
            if j < 0:
                raise FormulaError(f"unclosed quote {ch} in the formula" + _caret(text, i))
            i = j + 1
            continue
        if ch == "#" and not stack:
            j = text.find("\n", i)
            i = n if j < 0 else j
            continue
        if ch in _OPEN:
            stack.append((ch, i))
            yield i, ch, len(stack) - 1
        elif ch in _CLOSE:
            if not stack or stack[-1][0] != _CLOSE[ch]:
                raise FormulaError(f"unmatched closing {ch!r} in the formula"
                                   + _caret(text, i))
            stack.pop()
            yield i, ch, len(stack)
        else:
            yield i, ch, len(stack)
        i += 1
    if stack:
        ch, pos = stack[-1]
        raise FormulaError(f"unclosed {ch!r} in the formula; close it with "
                           f"{_OPEN[ch]!r}" + _caret(text, pos))


def split_statements(text):
    """Split formula text into statements at ``;`` and line ends.

    A line break inside brackets, after a trailing operator (``+``, ``~``,
    ...) or before a line that starts with one continues the statement.  ``#``
    starts a comment.  Returns a list of (statement text, offset).
    """
    if not isinstance(text, str):
        raise FormulaError(f"the formula must be a string, not {type(text).__name__}")
    # blank out comments (outside quotes), keeping positions
    chars = list(text)
    quote = None
    k = 0
    while k < len(chars):
        ch = chars[k]
        if quote:
            if ch == quote:
                quote = None
        elif ch in _QUOTES:
            quote = ch
        elif ch == "#":
            while k < len(chars) and chars[k] != "\n":
                chars[k] = " "
                k += 1
            continue
        k += 1
    clean = "".join(chars)
    pieces = []  # (start, end, separator) ended by ';' or a line end at depth 0
    start = 0
    for pos, ch, depth in _scan(clean):
        if ch in ";\n" and depth == 0:
            pieces.append((start, pos, ch))
            start = pos + 1
    pieces.append((start, len(clean), ""))
    merged = []
    for s, e, sep in pieces:
        stripped = clean[s:e].strip()
        if merged and merged[-1][2] == "\n":
            prev = clean[merged[-1][0]:merged[-1][1]].rstrip()
            if stripped and (prev[-1:] in tuple(_CONTINUE_END)
                             or stripped[0] in _CONTINUE_START):
                merged[-1] = (merged[-1][0], e, sep)
                continue
        if stripped:
            merged.append((s, e, sep))
        elif merged and merged[-1][2] == "\n" and sep:
            # a blank line: keep a trailing operator waiting for its continuation
            merged[-1] = (merged[-1][0], merged[-1][1], "\n")
    result = []
    for s, e, _sep in merged:
        seg = clean[s:e]
        lead = len(seg) - len(seg.lstrip())
        result.append((seg.strip().replace("\n", " "), s + lead))
    return result


def _expand_ellipsis(names, stmt, where):
    """``u1 + ... + u10`` -> u1, u2, ..., u10 in a list of names."""
    out = []
    k = 0
    while k < len(names):
        nm = names[k]
        if nm != "...":
            out.append(nm)
            k += 1
            continue
        if not out or k + 1 >= len(names) or names[k + 1] == "...":
            raise _error(stmt, f"'...' in {where} must stand between two names",
                         stmt.text.find("..."), "e.g. u1 + ... + u10")
        a, b = out[-1], names[k + 1]
        ma, mb = re.match(r"^(.*?)(\d+)$", a), re.match(r"^(.*?)(\d+)$", b)
        if not ma or not mb or ma.group(1) != mb.group(1) or \
                int(mb.group(2)) <= int(ma.group(2)):
            raise _error(stmt, f"cannot expand {a} + ... + {b}", stmt.text.find("..."),
                         "'...' needs two names with the same prefix and increasing "
                         "numbers, e.g. u1 + ... + u10")
        lo, hi = int(ma.group(2)), int(mb.group(2))
        if hi - lo > 10000:
            raise _error(stmt, f"{a} + ... + {b} expands to too many names")
        width = len(ma.group(2)) if ma.group(2).startswith("0") else 0
        for j in range(lo + 1, hi):
            out.append(f"{ma.group(1)}{str(j).zfill(width)}")
        k += 1
    return out


def _split_top(text, sep="+"):
    """Split ``text`` at top-level ``sep`` characters; returns (piece, offset)."""
    out, start = [], 0
    for pos, ch, depth in _scan(text):
        if ch == sep and depth == 0:
            out.append((text[start:pos], start))
            start = pos + 1
    out.append((text[start:], start))
    return out


def _name_list(text, offset, stmt, where):
    """Names separated by ``+`` (backticks allowed, ``...`` expanded)."""
    names = []
    for piece, off in _split_top(text):
        raw = piece.strip()
        pos = offset + off + (len(piece) - len(piece.lstrip()))
        if not raw:
            raise _error(stmt, f"empty name in {where}", pos,
                         "write names separated by '+'")
        if raw.startswith("`") and raw.endswith("`") and len(raw) > 2 and \
                "`" not in raw[1:-1]:
            names.append(raw[1:-1])
        elif raw == "..." or _NAME.match(raw) and raw != ".":
            names.append(raw)
        else:
            raise _error(stmt, f"{raw!r} in {where} is not a name", pos,
                         "only plain column names may stand here (put transformed "
                         "outcomes in the data first; quote odd names with backticks)")
    return _expand_ellipsis(names, stmt, where)


def _find_tilde(stmt):
    """Position of the statement's single top-level ``~``."""
    hits = [pos for pos, ch, depth in _scan(stmt.text) if ch == "~" and depth == 0]
    if not hits:
        raise _error(stmt, "no '~' in the statement", 0,
                     "write 'y ~ x', 'c ~ w' or 'f =~ u1 + u2'")
    if len(hits) > 1:
        raise _error(stmt, "more than one '~' in the statement", hits[1],
                     "put each equation in its own statement (new line or ';')")
    return hits[0]


# ---------------------------------------------------------------------------------------
# right-hand sides
# ---------------------------------------------------------------------------------------
def _tokenize(text, stmt, offset):
    from formulaic.parser.algos.tokenize import tokenize

    try:
        return list(tokenize(text))
    except Exception as exc:  # formulaic: FormulaSyntaxError and friends
        msg, pos = _formulaic_message(exc)
        raise _error(stmt, f"cannot read the right-hand side: {msg}",
                     offset + (pos or 0)) from None


def _expand_rhs_ellipsis(text, stmt, offset):
    """Expand ``x1 + ... + x5`` on a right-hand side (token level)."""
    if "..." not in text:
        return text
    toks = _tokenize(text, stmt, offset)
    for k, tok in enumerate(toks):
        if str(tok) == "...":
            if 2 <= k <= len(toks) - 3 and str(toks[k - 1]) == "+" == str(toks[k + 1]) \
                    and toks[k - 2].kind.value == "name" and toks[k + 2].kind.value == "name":
                a, b = toks[k - 2], toks[k + 2]
                names = _expand_ellipsis([str(a), "...", str(b)], stmt, "the right-hand side")
                new = text[:a.source_start] + " + ".join(
                    n if _NAME.match(n) else f"`{n}`" for n in names) + \
                    text[b.source_end + 1:]
                return _expand_rhs_ellipsis(new, stmt, offset)
            raise _error(stmt, "'...' must stand between two names", offset + tok.source_start,
                         "e.g. x1 + ... + x5")
    return text


def _formulaic_terms(text, stmt, offset, what, to_pos=None):
    """The terms formulaic reads from ``text`` (a one-sided formula)."""
    to_pos = to_pos or (lambda k: k)
    from formulaic import Formula
    from formulaic.formula import SimpleFormula

    try:
        f = Formula(text)
    except Exception as exc:
        msg, pos = _formulaic_message(exc)
        raise _error(stmt, f"cannot parse {what} {text.strip()!r}: {msg}",
                     offset + to_pos(pos or 0)) from None
    if not isinstance(f, SimpleFormula):
        raise _error(stmt, f"{what} {text.strip()!r} is not a simple sum of terms", offset,
                     "random terms go in parentheses: (1 | group)")
    return list(f)


def _factor_of(fa):
    kind = getattr(fa.eval_method, "value", str(fa.eval_method))
    return Factor(str(fa.expr), str(kind))


def _mentions(expr, name):
    return re.search(rf"(?<![\w.]){re.escape(name)}(?![\w])", expr) is not None


def _read_terms(text, stmt, offset, classes, factors, what, to_pos=None):
    """Split formulaic terms into (data factors, class variables, latent factor)."""
    out = []
    to_pos = to_pos or (lambda k: k)
    for term in _formulaic_terms(text, stmt, offset, what, to_pos):
        data, cls, lat = [], [], []
        for fa in term.factors:
            f = _factor_of(fa)
            if f.kind == "literal" and f.expr == "1":
                continue
            if f.kind == "lookup" and f.expr in classes:
                cls.append(f.expr)
                continue
            if f.kind == "lookup" and f.expr in factors:
                lat.append(f.expr)
                continue
            if f.kind == "literal":
                raise _error(stmt, f"the value {f.expr} cannot be a term of {what}",
                             offset + to_pos(max(text.find(f.expr), 0)),
                             "write 1 (intercept), 0 (no intercept) or column names")
            if f.kind == "python":
                for name in list(classes) + list(factors):
                    if _mentions(f.expr, name):
                        kind = "class variable" if name in classes else "factor"
                        raise _error(
                            stmt, f"the {kind} {name!r} is used inside the expression "
                            f"{f.expr!r}", offset + to_pos(max(text.find(name), 0)),
                            f"a {kind} can only appear bare, e.g. y ~ {name} * x")
            data.append(f)
        if len(lat) > 1:
            raise _error(stmt, f"the term {':'.join(lat)} multiplies two factors",
                         offset, "products of factors are not supported")
        out.append(FixedTerm(tuple(data), tuple(sorted(set(cls), key=list(classes).index)),
                             lat[0] if lat else None))
    return out


def _split_bars(rhs, stmt, offset):
    """findbars / nobars on formulaic's tokens.

    Returns (fixed text, [(effects text, effects offset, group, correlated, term text)]).
    """
    toks = _tokenize(rhs, stmt, offset)
    depth = 0
    groups = []  # (open index, close index)
    opened = []
    for k, tok in enumerate(toks):
        s = str(tok)
        kind = tok.kind.value
        if kind == "context" and s == "(":
            opened.append(k)
            depth += 1
        elif kind == "context" and s == ")":
            if not opened:
                raise _error(stmt, "unmatched ')'", offset + tok.source_start)
            o = opened.pop()
            depth -= 1
            if depth == 0:
                groups.append((o, k))
        elif kind == "operator" and "|" in s:
            if s not in ("|", "||"):
                raise _error(stmt, f"unexpected operator {s!r}", offset + tok.source_start,
                             "a random term is written (effects | group) or "
                             "(effects || group)")
            if depth == 0:
                raise _error(stmt, f"'{s}' outside parentheses", offset + tok.source_start,
                             "put random terms in parentheses: y ~ x + (1 + x | school)")
            if depth > 1:
                raise _error(stmt, "a random term inside other parentheses",
                             offset + tok.source_start,
                             "write random terms at the top level: y ~ x + (1 | g)")
    if opened:
        raise _error(stmt, "unclosed '('", offset + toks[opened[-1]].source_start)
    bars = []
    remove = []  # token index ranges to cut
    for o, c in groups:
        inner = toks[o + 1:c]
        ops = [k for k, t in enumerate(inner) if t.kind.value == "operator"
               and str(t) in ("|", "||") ]
        if not ops:
            continue
        if len(ops) > 1:
            raise _error(stmt, "more than one '|' in a random term",
                         offset + inner[ops[1]].source_start, "write (effects | group)")
        start_tok, end_tok = toks[o], toks[c]
        term_text = rhs[start_tok.source_start:end_tok.source_end + 1]
        prev_tok = toks[o - 1] if o > 0 else None
        next_tok = toks[c + 1] if c + 1 < len(toks) else None
        if prev_tok is not None and str(prev_tok) != "+" or \
                next_tok is not None and str(next_tok) != "+":
            raise _error(stmt, f"the random term {term_text} must be added with '+'",
                         offset + start_tok.source_start,
                         "random terms cannot be multiplied, subtracted or nested: "
                         "y ~ x + (1 | g)")
        bar = inner[ops[0]]
        if ops[0] == 0:
            raise _error(stmt, f"the random term {term_text} has no effects before "
                         f"'{bar}'", offset + bar.source_start, "e.g. (1 | g) or (1 + x | g)")
        eff_start = inner[0].source_start
        eff_text = rhs[eff_start:bar.source_start]
        right = inner[ops[0] + 1:]
        if len(right) != 1 or right[0].kind.value != "name":
            pos = offset + (right[0].source_start if right else end_tok.source_start)
            raise _error(stmt, f"the grouping of the random term {term_text} must be one "
                         "column name", pos,
                         "nested or crossed groupings (g1/g2, g1:g2) are not supported: "
                         "mixlevel models have two levels")
        group = str(right[0])
        bars.append((eff_text, offset + eff_start, group, str(bar) == "|", term_text))
        # cut the term with one neighbouring '+'
        if prev_tok is not None:
            remove.append((prev_tok.source_start, end_tok.source_end + 1))
        elif next_tok is not None:
            remove.append((start_tok.source_start, next_tok.source_end + 1))
        else:
            remove.append((start_tok.source_start, end_tok.source_end + 1))
    fixed, segments = [], []  # segments: (start in fixed text, start in rhs)
    pos, flen = 0, 0
    for s, e in sorted(remove):
        fixed.append(rhs[pos:s])
        segments.append((flen, pos))
        flen += s - pos
        pos = e
    fixed.append(rhs[pos:])
    segments.append((flen, pos))

    def to_rhs(k):
        """Position in the fixed text -> position in the right-hand side."""
        start, orig = max((seg for seg in segments if seg[0] <= k), default=(0, 0))
        return orig + (k - start)

    return "".join(fixed), bars, to_rhs


def _parse_regression(stmt, tilde, classes, factors):
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
    try:
        raw = split_statements(text)
    except FormulaError:
        raise
    if not raw:
        raise FormulaError("the formula is empty; write statements such as 'y ~ x'")
    stmts = [_Stmt(t, k + 1, off) for k, (t, off) in enumerate(raw)]
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
            inds = _name_list(st.text[pos + 1:], pos + 1, st, "the right of '=~'")
            if not inds:
                raise _error(st, "no indicators after '=~'", pos)
            for u in inds:
                if u in classes or u in factors:
                    raise _error(st, f"{u!r} cannot be an indicator", pos + 1,
                                 "indicators are observed outcomes (no higher-order "
                                 "factors; class variables are measured with ~)")
            if len(set(inds)) != len(inds):
                raise _error(st, "an indicator is listed twice", pos + 1)
            out.append(Measurement(st.text[:pos - 1].strip().strip("`"), tuple(inds),
                                   st.text, st.number))
        else:
            out.append(_parse_regression(st, pos, classes, factors))
    _check_statements(out)
    return ParsedFormula(tuple(out), classes)


def _check_statements(statements):
    """The same outcome, class or var() in two statements is a conflict; a factor needs
    two outcomes that load on it."""
    for m in statements:
        if not isinstance(m, Measurement) or len(m.indicators) > 1:
            continue
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
