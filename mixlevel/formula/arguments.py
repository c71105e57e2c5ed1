"""The class and family arguments of :func:`~mixlevel.formula.compile_formula`.

``classes={"c": 2, "d": Between(2)}`` declares the class variables (within
by default, :class:`Between` for one class per cluster); ``family=`` gives
one family for all outcomes or a dict of outcome names and glob patterns.
"""

from __future__ import annotations

import fnmatch

import numpy as np

from ..families import get_family
from .messages import FormulaError

__all__ = ["Between", "Within"]


class Within:
    """Declare a within-level class variable with ``n_classes`` classes (the default)."""

    level = "within"

    def __init__(self, n_classes):
        self.n_classes = n_classes

    def __repr__(self):
        return f"{type(self).__name__}({self.n_classes})"

    def __eq__(self, other):
        return type(self) is type(other) and self.n_classes == other.n_classes

    def __hash__(self):
        return hash((type(self).__name__, self.n_classes))


class Between(Within):
    """Declare a between-level class variable: one class per cluster.

    ``classes={"d": mixlevel.Between(2)}``.
    """

    level = "between"


def _declare_classes(classes):
    """{name: int | Within | Between} -> [(name, k, level)]."""
    if classes is None:
        return []
    if not isinstance(classes, dict):
        raise FormulaError("classes= must be a dict such as {'c': 2} or "
                           "{'d': mixlevel.Between(2)}")
    out = []
    for name, val in classes.items():
        if not isinstance(name, str) or not name.isidentifier():
            raise FormulaError(f"class variable name {name!r} must be a plain name "
                               "(letters, digits, underscores)")
        if isinstance(val, Within):
            k, level = val.n_classes, val.level
        else:
            k, level = val, "within"
        if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 1:
            raise FormulaError(f"classes={{{name!r}: {val!r}}}: the number of classes must "
                               "be a whole number >= 1, e.g. {'c': 2} or "
                               "{'d': mixlevel.Between(2)}")
        out.append((name, int(k), level))
    return out


def _families(family, outcomes):
    """family= (one for all, or a dict of names / glob patterns) -> {outcome: Family}."""
    if isinstance(family, dict):
        out = {}
        for key in family:
            if not isinstance(key, str):
                raise FormulaError(f"family= keys must be outcome names, not {key!r}")
            hits = [o for o in outcomes if o == key] or \
                [o for o in outcomes if fnmatch.fnmatchcase(o, key)]
            if not hits:
                raise FormulaError(f"family= names {key!r}, which is not an outcome of the "
                                   f"formula (outcomes: {', '.join(outcomes)})")
            fam = get_family(family[key])
            for o in hits:
                out.setdefault(o, fam)
        return {o: out.get(o, get_family("normal")) for o in outcomes}
    fam = get_family(family)
    return {o: fam for o in outcomes}
