"""Right-hand sides read on formulaic's tokens and term algebra.

formulaic expands a right-hand side into terms (``c * x`` -> ``1, c, x,
c:x``); :func:`_read_terms` sorts each term's factors into the class
variables, the latent factor and the data factors of a :class:`FixedTerm`.
``x1 + ... + x5`` is expanded first (:func:`_expand_rhs_ellipsis`).
"""

from __future__ import annotations

import re

from .messages import _error, _formulaic_message
from .parsed import Factor, FixedTerm
from .scan import _NAME, _expand_ellipsis


def _tokenize(text, stmt, offset):
    """formulaic's tokens of ``text``; a syntax error names the statement and the position."""
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
    """A formulaic factor as a plain :class:`Factor`."""
    kind = getattr(fa.eval_method, "value", str(fa.eval_method))
    return Factor(str(fa.expr), str(kind))


def _mentions(expr, name):
    """Whether the expression ``expr`` uses the name ``name`` (not as part of a longer name)."""
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
