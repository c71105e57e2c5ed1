"""Categories of ordinal and nominal outcomes: their order, codes and labels.

The order of the categories is the data's, never an accident of sorting:

* a ``pd.Categorical`` keeps its category order (an ordinal outcome needs an
  *ordered* one, or numeric categories, which are ordered by value);
* ``levels=[...]`` given to the family sets the order explicitly;
* numeric values are ordered by value;
* text values are sorted for a nominal outcome (the order only picks the
  reference, the last category) and refused for an ordinal one, whose order
  must be given.

Categories that do not occur in the data are left out with a warning: an
unobserved ordinal category has no finite thresholds, an unobserved nominal
one no finite logit.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import SpecificationError
from ..utils.warn import warn_user
from .base import Family, observed

__all__ = ["CategoricalFamily", "level_key"]


def level_key(value):
    """Comparable key of a category: numbers (also written as text) by value, others as text."""
    try:
        return float(value)
    except (TypeError, ValueError):
        return str(value)


def _as_series(values):
    if isinstance(values, pd.Series):
        return values.reset_index(drop=True)
    if isinstance(values, pd.Categorical):
        return pd.Series(values)
    return pd.Series(np.asarray(values, dtype=object))


def _numeric(values):
    return all(isinstance(level_key(v), float) for v in values)


def _shown(values, n=6):
    vals = list(values)
    return ", ".join(repr(v) for v in vals[:n]) + (", ..." if len(vals) > n else "")


class CategoricalFamily(Family):
    """Base of the families whose values are categories (ordinal, nominal).

    Parameters
    ----------
    levels : sequence, optional
        The categories in their order (for a nominal outcome the last one is
        the reference).  Default: the data's order (see the module docstring).
    """

    categorical = True
    mean_scale = "probability"
    ordered = False  # the order of the categories is part of the model

    # statistics: the one-hot category; tables T[k, cell] = log P(y = k)
    def n_statistics(self, n_categories):
        return n_categories

    def row_statistics(self, y, trials, n_categories, out):
        obs, yy = observed(y)
        out[:] = 0.0
        out[np.nonzero(obs)[0], yy[obs].astype(int)] = 1.0
        return out

    def __init__(self, levels=None):
        if levels is not None:
            levels = list(levels)
            if len(levels) < 2 or len({level_key(v) for v in levels}) < len(levels):
                raise SpecificationError(
                    f"{type(self).__name__}(levels=...) needs two or more distinct "
                    f"categories, got {levels!r}")
        self.levels = levels

    def _key(self):
        lev = None if self.levels is None else tuple(level_key(v) for v in self.levels)
        return (type(self).__name__, self.link, lev)

    def __repr__(self):
        extra = "" if self.levels is None else f", levels={self.levels!r}"
        return f"{type(self).__name__}(link={self.link!r}{extra})"

    # -- encoding ---------------------------------------------------------------------
    def _order_error(self, column, cats):
        return SpecificationError(
            f"{self.name} outcome {column!r} holds text categories ({_shown(cats)}) whose "
            "order mixlevel cannot know (sorting them alphabetically would silently "
            "flip the model); give the order: data[" f"{column!r}] = pd.Categorical("
            f"data[{column!r}], categories=[...], ordered=True), or "
            f"family={{{column!r}: ml.families.Ordinal(levels=[...])}}")

    def _candidate_levels(self, s, miss, column):
        """All categories in model order (observed or not)."""
        if self.levels is not None:
            return list(self.levels)
        if isinstance(s.dtype, pd.CategoricalDtype):
            cats = list(s.cat.categories)
            if s.cat.ordered or not self.ordered:
                return cats
            if _numeric(cats):
                return sorted(cats, key=level_key)
            raise self._order_error(column, cats)
        observed = s[~miss]
        if observed.dtype.kind in "biuf":
            return list(np.unique(observed.to_numpy(float)))
        if _numeric(observed.unique()):
            return sorted(set(observed.map(level_key)))
        if self.ordered:
            raise self._order_error(column, sorted(observed.astype(str).unique()))
        return sorted(observed.astype(str).unique())

    def encode(self, values, column):
        """Codes 0..K-1 (NaN for missing) in the categories' order, and the categories."""
        s = _as_series(values)
        miss = s.isna().to_numpy()
        levels = self._candidate_levels(s, miss, column)
        pos = _positions(s, levels)
        unknown = np.isnan(pos) & ~miss
        if unknown.any():
            raise SpecificationError(
                f"{self.name} outcome {column!r} has the value {s[unknown].iloc[0]!r}, which "
                f"is not among the levels {levels!r} given to {type(self).__name__}(levels="
                "...); add it to levels= or recode it")
        used = np.unique(pos[~miss]).astype(int)
        if len(used) < 2:
            raise SpecificationError(
                f"outcome {column!r} has fewer than two observed categories; drop it")
        if len(used) < len(levels):
            unused = [levels[k] for k in range(len(levels)) if k not in set(used)]
            warn_user(
                f"{self.name} outcome {column!r}: the categories {_shown(unused)} do not "
                f"occur in the data and are left out ({len(used)} categories remain)",
                UserWarning)
            remap = np.full(len(levels), np.nan)
            remap[used] = np.arange(len(used))
            pos = np.where(miss, np.nan, remap[np.nan_to_num(pos).astype(int)])
            levels = [levels[k] for k in used]
        return pos, _level_array(levels)

    def encode_like(self, values, levels, column):
        """Codes of new values with the fitted categories; an unseen category is an error."""
        s = _as_series(values)
        if isinstance(s.dtype, pd.CategoricalDtype):
            s = s.astype(object)
        miss = s.isna().to_numpy()
        pos = _positions(s, list(levels))
        unknown = np.isnan(pos) & ~miss
        if unknown.any():
            raise SpecificationError(
                f"outcome {column!r} has the category {s[unknown].iloc[0]!r} in the new data, "
                f"which the model was not fitted with (categories {_shown(levels, 12)}); "
                "drop those rows or recode them")
        return pos

    def decode(self, codes, levels):
        """Category values of codes: numbers when the categories are increasing numbers,
        else a ``pd.Categorical`` with the model's category order (ordered for ordinal)."""
        levels = np.asarray(levels)
        codes = np.asarray(codes, float)
        if levels.dtype.kind == "f" and np.all(np.diff(levels) > 0):
            out = np.full(len(codes), np.nan)
            ok = ~np.isnan(codes)
            out[ok] = levels[codes[ok].astype(int)]
            return out
        ints = np.where(np.isnan(codes), -1, np.nan_to_num(codes)).astype(int)
        return pd.Categorical.from_codes(ints, categories=list(levels), ordered=self.ordered)

    def placeholder(self, n, n_categories):
        if self.levels is not None:
            return np.asarray(self.levels, dtype=object)[np.arange(n) % len(self.levels)]
        return (np.arange(n) % n_categories).astype(float)

    def value_label(self, outcome, category):
        return f"{outcome}[{category}]"

    def value_categories(self, levels, n_categories):
        labels = list(levels) if levels is not None else list(range(n_categories))
        return [_shown_level(v) for v in labels]

    def observed_values(self, y, trials, n_categories):
        y = np.asarray(y, float)
        out = (y[:, None] == np.arange(n_categories)[None, :]).astype(float)
        out[np.isnan(y)] = np.nan  # indicators of the categories
        return out

    def variance(self, mu, trials):
        return mu * (1.0 - mu)

    def null_loglike(self, y, trials, weights, n_categories):
        ok = ~np.isnan(y)
        counts = np.bincount(y[ok].astype(int), weights=weights[ok], minlength=n_categories)
        with np.errstate(divide="ignore", invalid="ignore"):
            return float(np.sum(np.where(counts > 0, counts * np.log(counts / counts.sum()),
                                         0.0)))


def _shown_level(v):
    """A category as results tables show it: numbers without trailing zeros."""
    key = level_key(v)
    return f"{key:g}" if isinstance(key, float) else key


def _positions(s, levels):
    """Position of every value among ``levels`` (float, NaN when missing or not found)."""
    index = {level_key(v): k for k, v in enumerate(levels)}
    if isinstance(s.dtype, pd.CategoricalDtype):
        cat_pos = np.array([index.get(level_key(c), np.nan) for c in s.cat.categories]
                           + [np.nan], float)
        return cat_pos[s.cat.codes.to_numpy()]  # code -1 (missing) picks the last entry
    out = np.full(len(s), np.nan)
    ok = ~s.isna().to_numpy()
    sub = s[ok]
    keys = sub.astype(float) if sub.dtype.kind in "biuf" else sub.map(level_key)
    out[ok] = keys.map(index).to_numpy(dtype=float, na_value=np.nan)
    return out


def _level_array(levels):
    if _numeric(levels):
        return np.array([level_key(v) for v in levels], float)
    return np.array(levels, dtype=object)
