"""The namespace a compiled formula keeps: only the names its expressions use.

formulaic evaluates a formula's expressions (``center(x)``, ``np.log(y)``,
user functions) in the data first, then in a *context*: by default the
caller's whole namespace (its locals and globals), captured where the model
was built.  Kept whole, that namespace holds modules and everything else the
caller's script defined, so a model or a result could not be pickled, saved
or sent to a worker process (``cannot pickle 'module' object``), and new data
lacking a column could silently pick up a caller's variable of that name.
:func:`formula_context` keeps the names the expressions use that are not data
columns, resolved to their values; modules among them are pickled by name and
imported again when loaded.
"""

from __future__ import annotations

import importlib
import types

__all__ = ["FormulaContext", "formula_context"]


class _ModuleRef:
    """A module in a pickled context, by name."""

    def __init__(self, name):
        self.name = name


def _restore(items):
    return FormulaContext({k: importlib.import_module(v.name) if isinstance(v, _ModuleRef)
                           else v for k, v in items.items()})


class FormulaContext(dict):
    """Names used by a formula's expressions and their values (a plain mapping).

    Pickles (and deep-copies) where a captured namespace cannot: modules are
    stored by name.  Functions pickle by reference as usual, so a function
    used in a formula must be importable where the pickle is loaded (defined
    at the top level of a module, not a lambda or a nested function).
    """

    def __reduce__(self):
        items = {k: _ModuleRef(v.__name__) if isinstance(v, types.ModuleType) else v
                 for k, v in self.items()}
        return _restore, (items,)


def formula_context(context, names, columns):
    """The entries of ``context`` that a formula's expressions need.

    Parameters
    ----------
    context : mapping or None
        The namespace captured where the model was built.
    names : iterable of str
        Variables the expressions use, as formulaic reads them (``"x"``,
        ``"np.log"``, ``"center"``).
    columns : iterable of str
        Columns of the data: formulaic looks names up in the data first, so
        those are never taken from the context.

    Returns
    -------
    FormulaContext
        For each name (and the module or object before its first dot) found
        in ``context``, its value.
    """
    out = FormulaContext()
    if context is None:
        return out
    columns = set(columns)
    for name in names:
        root = name.split(".")[0]
        if name in columns or root in columns:
            continue
        for key in (root, name):
            if key not in out and key in context:
                out[key] = context[key]
    return out
