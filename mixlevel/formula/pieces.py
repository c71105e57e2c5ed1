"""The formulaic formulas of a formula: one per fixed part and per random term.

Each statement's fixed part and each of its random terms is a *piece*: the
remainder terms (class variables and factors taken out) as a formulaic
formula.  :class:`PiecesMixin` checks the names the pieces use, then builds
their design columns on the kept rows and keeps formulaic's fitted model
specs, so new data get the training transforms.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .messages import _clean, _error, _unknown
from .parsed import Regression

__all__ = ["Piece", "PiecesMixin"]


def _formulaic_formula(data_terms):
    """A formulaic Formula of remainder tuples (``()`` is the intercept)."""
    from formulaic import Formula
    from formulaic.parser.types import Factor as FFactor
    from formulaic.parser.types import Term as FTerm

    terms = []
    for dt in data_terms:
        if dt == ():
            terms.append(FTerm([FFactor("1", eval_method="literal")]))
        else:
            terms.append(FTerm([FFactor(f.expr, eval_method=f.kind) for f in dt]))
    return Formula(terms)


def _variables(data_terms):
    """(name, roles) of the variables the data factors use.

    formulaic's ``required_variables`` misses the arguments of stateful
    transforms (``center(x)`` gives nothing in 1.2.2), so each expression is
    read here.
    """
    from formulaic.utils.variables import get_expression_variables

    out = []
    for dt in data_terms:
        for f in dt:
            if f.kind == "lookup":
                out.append((f.expr, {"value"}))
            elif f.kind == "python":
                for v in get_expression_variables(f.expr, {}):
                    out.append((str(v), {getattr(r, "value", str(r)) for r in v.roles}))
    return out


def _term_key(factors):
    """Key of one of our remainder tuples (matches :func:`_fterm_key`)."""
    if not factors:
        return frozenset({("1", "literal")})
    return frozenset((f.expr, f.kind) for f in factors)


def _fterm_key(term):
    """Key of a formulaic term."""
    return frozenset((str(f.expr), getattr(f.eval_method, "value", str(f.eval_method)))
                     for f in term.factors)


@dataclass
class Piece:
    """One materialised formulaic formula: a fixed part or a random term's effects."""

    statement: Regression
    what: str                      # "the right-hand side" or the random term's text
    data_terms: list               # remainder tuples in order
    formula: object = None         # formulaic Formula
    model_spec: object = None      # fitted formulaic ModelSpec (for new data)
    columns: dict = field(default_factory=dict)   # remainder -> [(label, key)]
    categorical: set = field(default_factory=set)  # factor exprs coded as categories
    variables: list = field(default_factory=list)   # (name, roles) used by the factors
    keys: dict = field(default_factory=dict)      # formulaic column name -> design key


class PiecesMixin:
    """Pieces of the compiler (:class:`~mixlevel.formula.compile._Builder`).

    Reads ``parsed``, ``data``, ``context``, ``class_order`` and (for
    :meth:`materialise`) the kept rows ``kept``; fills ``pieces`` and sets
    ``columns``, the design columns by key.
    """

    def make_pieces(self):
        """One piece per fixed part and random term; every name they use must exist."""
        from formulaic.transforms import TRANSFORMS

        ctx = self.context or {}
        cols = set(self.data.columns)

        def known(name):
            root = name.split(".")[0]
            return (name in cols or name in ctx or name in TRANSFORMS or root in ctx
                    or root in TRANSFORMS or root in cols)

        for st in self.parsed.regressions():
            if st.kind == "variance":
                continue
            seen = []
            for t in st.terms:
                if t.data not in seen:
                    seen.append(t.data)
            st_pieces = [Piece(st, "the right-hand side", seen)]
            for r in st.random:
                st_pieces.append(Piece(st, f"the random term {r.text}", list(r.effects)))
            for p in st_pieces:
                try:
                    p.formula = _formulaic_formula(p.data_terms)
                    p.variables = _variables(p.data_terms)
                except Exception as exc:
                    raise _error(st, f"cannot read {p.what}: {_clean(exc)}") from None
                for name, roles in p.variables:
                    if st.kind == "outcome" and name in st.lhs:
                        where = "" if p.what == "the right-hand side" else f" (in {p.what})"
                        raise _error(st, f"the outcome {name!r} is also on the right-hand "
                                     f"side{where}: an outcome cannot predict itself",
                                     hint=f"remove {name!r} from the right-hand side (for a "
                                     "lagged or baseline value, make a column of it)")
                    if known(name):
                        continue
                    if "callable" in roles:
                        raise _error(st, f"the function {name!r} in {p.what} is not "
                                     "defined", hint="define or import it where you call "
                                     "mixture(), or pass context={...}")
                    raise _unknown(st, name, self.data, self.class_order)
                self.pieces.append(p)

    def materialise(self):
        """Design columns of every piece on the kept rows, keyed for the spec's terms."""
        self.columns = {}
        for p in self.pieces:
            st = p.statement
            try:
                mm = p.formula.get_model_matrix(self.kept, context=self.context,
                                                na_action="raise")
            except Exception as exc:
                raise _error(st, f"cannot build the columns of {p.what}: {_clean(exc)}",
                             hint="check the columns and functions it uses") from None
            ms = mm.model_spec
            p.model_spec = ms
            for expr, (kind, _state) in ms.encoder_state.items():
                if getattr(kind, "value", str(kind)) == "categorical":
                    p.categorical.add(expr)
            by_key = {_fterm_key(t): sl for t, sl in ms.term_slices.items()}
            names = list(ms.column_names)
            for dt in p.data_terms:
                sl = by_key.get(_term_key(dt))
                cols = []
                for name in (names[sl] if sl is not None else []):
                    if name == "Intercept":
                        p.keys[name] = "1"
                        cols.append(("1", "1"))
                        continue
                    values = np.asarray(mm[name], float)
                    k = name
                    n = 1
                    while k in self.columns and not np.array_equal(
                            self.columns[k], values, equal_nan=True):
                        n += 1
                        k = f"{name}@{st.number}" + (f".{n}" if n > 2 else "")
                    self.columns[k] = values
                    p.keys[name] = k
                    cols.append((name, k))
                p.columns[dt] = cols
