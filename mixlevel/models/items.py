"""Checks of the item columns that the wide-data constructors (GoM, IRT) take."""

from __future__ import annotations

import pandas as pd

from ..errors import SpecificationError

__all__ = ["check_binary_items"]


def check_binary_items(data, items, model):
    """The item columns as a list, after checking they exist and are coded 0/1.

    ``model`` names the model in the messages ("GoM", "IRT").  Missing values
    are allowed; values that are not numbers are not (they would otherwise be
    read as missing without a word).
    """
    if isinstance(items, str) or not isinstance(items, (list, tuple)) or len(items) < 2:
        raise SpecificationError("items= must list two or more item columns, e.g. "
                                 "items=['u1', 'u2', 'u3']")
    items = list(items)
    missing = [c for c in items if c not in data.columns]
    if missing:
        raise SpecificationError(f"item column(s) {missing} are not in the data")
    for c in items:
        vals = pd.to_numeric(data[c], errors="coerce")
        if vals.isna().sum() > data[c].isna().sum():
            raise SpecificationError(f"the item {c!r} has non-numeric values; code it 0/1")
        bad = sorted(set(vals.dropna().unique()) - {0, 1})
        if bad:
            raise SpecificationError(
                f"the item {c!r} has values {bad[:6]} besides 0/1; {model} items are binary: "
                "code them 0/1 (e.g. data[item] - 1 for 1/2 codes)")
    return items
