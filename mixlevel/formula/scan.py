"""Formula text at the character level: statements, brackets, quotes and names.

:func:`split_statements` cuts the text into statements (at ``;`` and line
ends, continuing over open brackets and dangling operators); :func:`_scan`
walks a text outside quotes and comments with its bracket depth, which the
other readers use to find top-level ``~`` and ``+``; :func:`_name_list` reads
the plain name lists of left-hand sides and of ``=~`` (``u1 + ... + u10``
expanded).  Right-hand sides are read on formulaic's tokens instead
(:mod:`mixlevel.formula.terms`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .messages import FormulaError, _caret, _error

__all__ = ["split_statements"]

_NAME = re.compile(r"^[A-Za-z_.][A-Za-z0-9_.]*$")
_OPEN = {"(": ")", "[": "]", "{": "}"}
_CLOSE = {v: k for k, v in _OPEN.items()}
_QUOTES = "'\"`"
_CONTINUE_END = "+-*/:|^~=,&("
_CONTINUE_START = "+*/:|^~=&-"


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


@dataclass
class _Stmt:
    """One statement's text and its number (from 1)."""

    text: str
    number: int


def _scan(text):
    """Yield (position, char, depth) for characters outside quotes and comments.

    Raises FormulaError (with the position) for unbalanced brackets or quotes.
    """
    stack = []
    i = 0
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
