"""Parsed statements + data -> :class:`~mixlevel.spec.ModelSpec` + design columns.

The design columns are built by formulaic from each statement's *remainder
formula* (its terms with the class variables and factors taken out); the
fitted formulaic model specs are kept (:class:`CompiledFormula`), so new data
get the training transforms (``center(x)`` keeps the training mean, ``C(g)``
the training levels).

The steps live by topic, as mixins of the compiler :class:`_Builder`:
:mod:`~mixlevel.formula.names` (outcomes, families, class order, cluster),
:mod:`~mixlevel.formula.pieces` (formulaic formulas and design columns),
:mod:`~mixlevel.formula.rows` (numeric columns, missing rows, clusters) and
:mod:`~mixlevel.formula.coefficients` (the spec: how terms become
coefficients); :mod:`~mixlevel.formula.arguments` reads ``classes=`` and
``family=``, and :mod:`~mixlevel.formula.compiled` holds the result.
"""

from __future__ import annotations

import pandas as pd

from ..data.checks import check_unique_columns
from .arguments import Between, Within, _declare_classes
from .coefficients import CoefficientsMixin
from .compiled import CompiledFormula
from .context import formula_context
from .messages import FormulaError
from .names import NamesMixin
from .parse import parse_formula
from .pieces import Piece, PiecesMixin
from .rows import RowsMixin

# Piece stays importable from here: results pickled before the split name it here
__all__ = ["Between", "Within", "CompiledFormula", "compile_formula", "Piece"]


class _Builder(NamesMixin, PiecesMixin, RowsMixin, CoefficientsMixin):
    """The state of one compilation, filled step by step by :func:`compile_formula`."""

    def __init__(self, parsed, data, classes, family, cluster, weights, trials, re_cov,
                 context, cluster_weights=None):
        self.parsed, self.data = parsed, data
        self.classes = {n: (k, lev) for n, k, lev in classes}
        self.class_order = [n for n, _, _ in classes]
        self.family_arg, self.cluster_arg = family, cluster
        self.weights, self.trials_arg, self.re_cov = weights, trials, re_cov
        self.cluster_weights = cluster_weights
        self.context = context
        self.fix = {}
        self.pieces = []


def compile_formula(formula, data, classes=None, family="normal", cluster=None,
                    weights=None, trials=None, re_cov="statement", context=None,
                    cluster_weights=None):
    """Compile formula text and data into a :class:`CompiledFormula`.

    Parameters
    ----------
    formula : str
        The statements (see docs/formula.rst).
    data : pandas.DataFrame
    classes : dict, optional
        ``{"c": 2}`` (within) or ``{"d": Between(2)}``.
    family : str, Family or dict
        One family for all outcomes or a dict ``{outcome or glob: family}``
        (outcomes not listed are normal).
    cluster : str, optional
        Cluster id column; inferred from the random terms' grouping column.
    weights : str or array, optional
        Frequency weights of rows.
    cluster_weights : str or array, optional
        Frequency weights of clusters (constant within each cluster).
    trials : str or dict, optional
        Trials column of binomial outcomes.
    re_cov : {"statement", "full"}
        "statement": random effects of one random term are correlated, other
        random effects are independent (lme4); "full": all random effects of
        the grouping column are correlated.
    context : mapping, optional
        Names for formulaic to evaluate (captured at the public entry point);
        only those the formula's expressions use are kept.
    """
    if not isinstance(data, pd.DataFrame):
        raise FormulaError("data must be a pandas DataFrame")
    check_unique_columns(data)
    if re_cov not in ("statement", "full"):
        raise FormulaError(f"re_cov must be 'statement' or 'full', not {re_cov!r}")
    declared = _declare_classes(classes)
    parsed = parse_formula(formula, [n for n, _, _ in declared])
    b = _Builder(parsed, data, declared, family, cluster, weights, trials, re_cov, context,
                 cluster_weights)
    b.check_names()
    b.order_classes()
    b.find_cluster()
    b.make_pieces()
    # keep only the names the expressions use: a captured namespace does not pickle
    b.context = formula_context(context, [n for p in b.pieces for n, _ in p.variables],
                                data.columns)
    b.check_numeric()
    b.row_mask()
    b.materialise()
    b.build_spec()
    b.check_clusters()
    return CompiledFormula(text=formula, parsed=parsed, spec=b.spec, data=b.kept,
                           columns=b.columns, cluster=b.cluster, weights=b.weights,
                           fix=b.fix, pieces=b.pieces, context=b.context,
                           n_dropped=b.n_dropped, cluster_weights=b.cluster_weights)
