"""The formula's error and how its messages are written.

Every mistake in a formula raises :class:`FormulaError`, whose message names
the statement (``statement 2 ('y ~ x +* w')``), says what is wrong and how to
fix it, and for a syntax error shows the position with a caret.  formulaic's
own messages are passed on without their colours and markers; a name that is
not in the data comes with the close names that are.
"""

from __future__ import annotations

import difflib
import re

from ..errors import SpecificationError

__all__ = ["FormulaError"]

_ANSI = re.compile(r"\x1b\[[0-9;]*m|[\u29da\u29db]")


class FormulaError(SpecificationError):
    """The formula text does not parse or does not make a model.

    The message names the statement (and the term or column) and says how to
    fix it; a syntax error shows the position with a caret.
    """


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
    """The line of ``text`` holding ``pos``, with a caret under it."""
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


def _suggest(name, options):
    """The hint 'did you mean ...?' naming the options closest to ``name`` (empty if none)."""
    close = difflib.get_close_matches(str(name), [str(o) for o in options], n=3)
    return f"did you mean {' or '.join(map(repr, close))}?" if close else ""


def _unknown(st, name, data, class_names, where="on the right-hand side"):
    """The error for a name that is neither a data column nor a declared class variable."""
    cols = list(map(str, data.columns))
    sug = _suggest(name, cols + list(class_names))
    shown = ", ".join(cols[:15]) + (", ..." if len(cols) > 15 else "")
    if where != "on the right-hand side" and len(st.lhs) > 1:
        return _error(st, f"the outcome {name!r} is not a column of the data",
                      hint=(sug + " " if sug else "") + f"the data have {shown}")
    return _error(
        st, f"{name!r} {where} is neither a column of the data nor a declared class "
        "variable",
        hint=(sug + " " if sug else "") + f"declare class variables with classes={{{name!r}: 2}} "
        f"or fix the name (the data have {shown})")
