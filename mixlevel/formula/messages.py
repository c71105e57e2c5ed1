"""The formula's error and how its messages are written.

Every mistake in a formula raises :class:`FormulaError`, whose message names
the statement (``statement 2 ('y ~ x +* w')``), says what is wrong and how to
fix it, and for a syntax error shows the position with a caret.  formulaic's
own messages are passed on without their colours and markers.
"""

from __future__ import annotations

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
