"""What a formula compiles to, and its design columns for new data."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..data.checks import check_unique_columns
from ..spec import ModelSpec
from .messages import FormulaError, _clean
from .parsed import ParsedFormula

__all__ = ["CompiledFormula"]


@dataclass
class CompiledFormula:
    """What the formula compiled to: spec, kept rows, design columns, formulaic specs.

    Attributes
    ----------
    spec : ModelSpec
    data : DataFrame
        The rows kept (rows with missing covariates, cluster, trials or
        weights dropped; missing outcomes kept).
    columns : dict
        Design columns by key (the keys the spec's terms use).
    cluster : str or None
    weights, cluster_weights : str, array or None
        Row and cluster frequency weights (arrays cut to the kept rows).
    fix : dict
        Fixed values the formula itself implies (reference cells of additive
        class effects).
    pieces : list of Piece
        The formulaic formulas and their fitted model specs.
    context : FormulaContext
        The names the formulaic expressions use (user functions, modules)
        with their values, taken from the namespace where the model was
        built; picklable (:mod:`mixlevel.formula.context`).
    """

    text: str
    parsed: ParsedFormula
    spec: ModelSpec
    data: pd.DataFrame
    columns: dict
    cluster: str | None
    weights: object
    fix: dict
    pieces: list
    context: object = None
    n_dropped: int = 0
    cluster_weights: object = None

    def design_columns(self, data):
        """The design columns of new data with the training transforms and levels.

        Returns a dict keyed like :attr:`columns` (the model's terms), one
        array per column, in the rows of ``data``.
        """
        if not isinstance(data, pd.DataFrame):
            raise FormulaError("new data must be a pandas DataFrame")
        check_unique_columns(data, "the new data")
        out = {}
        for p in self.pieces:
            try:
                mm = p.model_spec.get_model_matrix(data, context=self.context,
                                                   na_action="ignore")
            except Exception as exc:
                raise FormulaError(
                    f"statement {p.statement.number} ({p.statement.text!r}): cannot build "
                    f"the columns of {p.what} for new data: {_clean(exc)}") from None
            for name, key in p.keys.items():
                if key != "1":
                    out[key] = np.asarray(mm[name], float)
        return out

    transform = design_columns
