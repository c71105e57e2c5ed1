"""The pipeline from a formula to a model: compile, then build the model.

As lme4's ``glmer`` composes ``glFormula`` -> ``mkGlmerDevfun`` ->
``optimizeGlmer`` -> ``mkMerMod``, :func:`build_model` composes
:func:`~mixlevel.formula.compile.compile_formula` (formula text and data ->
specification, design columns, constraints) and the model class (design,
parameter table and engine).  It imports downward only: the model class is
passed in, so :mod:`mixlevel.model` can call it without an import cycle.
"""

from __future__ import annotations

import re

from .formula.compile import compile_formula
from .formula.parse import FormulaError

__all__ = ["build_model"]


def _literal_brackets(pattern):
    """Glob pattern with ``[`` and ``]`` literal (parameter names contain them)."""
    return re.sub(r"[\[\]]", lambda m: f"[{m.group()}]", pattern)


def _translate_fix(fix):
    if fix is None:
        return {}
    if not isinstance(fix, dict):
        raise FormulaError("fix= must be a dict {parameter name or pattern: value}")
    out = {}
    for k, v in fix.items():
        if not isinstance(k, str):
            raise FormulaError(f"fix= keys must be parameter names, not {k!r}")
        out[_literal_brackets(k)] = v
    return out


def _translate_equal(equal):
    if equal is None:
        return None
    if isinstance(equal, tuple) and all(isinstance(e, str) for e in equal):
        equal = [equal]
    out = []
    for group in equal:
        if isinstance(group, str) or len(group) < 2:
            raise FormulaError("equal= takes tuples of two or more names or patterns, "
                               "e.g. equal=[('u1~1[c1=1]', 'u1~1[c2=1]')]")
        out.append(tuple(_literal_brackets(g) for g in group))
    return out


def _check_equal_lengths(model, equal):
    """Patterns set equal pairwise must match the same number of parameters."""
    for group in equal or []:
        sizes = [len(model.table._groups_matching(p)) for p in group]
        if len(set(sizes)) > 1:
            detail = ", ".join(f"{p!r}: {s}" for p, s in zip(group, sizes, strict=True))
            raise FormulaError(f"equal= patterns match different numbers of parameters "
                               f"({detail}); they are paired in order, so they must match "
                               "as many")


def build_model(model_class, formula, data, classes=None, family="normal", cluster=None,
                weights=None, fix=None, equal=None, trials=None, re_cov="statement",
                context=None, cluster_weights=None, **kwargs):
    """Compile ``formula`` and build a ``model_class`` (a MixtureModel) from it.

    ``context`` must already be captured (a mapping); the public entry points
    do that.  Remaining keyword arguments go to the model (integration,
    n_points, adaptive, seed, num_threads, ...).
    """
    compiled = compile_formula(formula, data, classes=classes, family=family,
                               cluster=cluster, weights=weights, trials=trials,
                               re_cov=re_cov, context=context,
                               cluster_weights=cluster_weights)
    user_fix = _translate_fix(fix)
    all_fix = dict(compiled.fix)
    all_fix.update(user_fix)
    eq = _translate_equal(equal)
    model = model_class(compiled.spec, compiled.data, cluster=compiled.cluster,
                        weights=compiled.weights, columns=compiled.columns,
                        cluster_weights=compiled.cluster_weights,
                        fix=all_fix or None, equal=eq, **kwargs)
    _check_equal_lengths(model, eq)
    model.formula = compiled
    return model
