"""Checks of the data as they enter: duplicated columns, stray text in numbers, outcomes
that cannot be modelled.

Each check raises a :class:`~mixlevel.errors.SpecificationError` that names
the column and says how to fix it; none changes the data.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import SpecificationError

__all__ = ["check_unique_columns", "stray_text", "check_numeric_column", "check_outcome"]

#: A text column is read as numbers with a few typos when at least this share of its
#: values (and at least two of them) are numbers.
NUMERIC_SHARE = 0.8


def check_unique_columns(data, what="the data"):
    """Refuse a DataFrame with repeated column names (``pd.concat(..., axis=1)`` of frames
    that share columns, ``df.columns = [...]`` with repeats): a name would select
    several columns."""
    dup = data.columns[data.columns.duplicated()]
    if len(dup):
        names = ", ".join(map(repr, dict.fromkeys(dup)))
        raise SpecificationError(
            f"{what} have more than one column named {names}; a column name must select one "
            "column: rename or drop the repeats (e.g. df.loc[:, ~df.columns.duplicated()] "
            "keeps the first)")


def stray_text(values):
    """The non-numeric values of a text column that is otherwise numeric, else [].

    A column whose values are nearly all numbers (at least :data:`NUMERIC_SHARE`
    of the non-missing values, and two of them) with a few strings such as
    ``"n/a"``, ``"?"`` or a decimal comma ``"12,5"``: pandas stores it as text,
    and a formula would turn it into one dummy per distinct value.
    """
    s = pd.Series(values)
    if pd.api.types.is_numeric_dtype(s.dtype) or pd.api.types.is_bool_dtype(s.dtype) \
            or isinstance(s.dtype, pd.CategoricalDtype):
        return []
    s = s[s.notna()]
    if s.empty:
        return []
    num = pd.to_numeric(s, errors="coerce")
    ok = num.notna()
    if ok.all() or ok.sum() < 2 or ok.mean() < NUMERIC_SHARE:
        return []
    return list(dict.fromkeys(s[~ok].tolist()))


def check_numeric_column(data, name, role="covariate"):
    """Refuse a column of numbers with a few text values (see :func:`stray_text`)."""
    bad = stray_text(data[name])
    if bad:
        shown = ", ".join(repr(v) for v in bad[:5]) + (", ..." if len(bad) > 5 else "")
        count = int(data[name].isin(bad).sum())
        raise SpecificationError(
            f"the {role} column {name!r} holds numbers but also {count} text value(s): "
            f"{shown}; it would be read as categories (one dummy per value).  Fix the "
            f"values (a decimal comma?), or mark them missing, e.g. "
            f"df[{name!r}] = pd.to_numeric(df[{name!r}], errors='coerce')")


def check_outcome(name, family, codes, trials=None, trials_column=None):
    """Refuse an outcome that has nothing to model: no observed value, or no variation.

    Parameters
    ----------
    name : str
        The outcome column.
    family : str
        Its family's name.
    codes : ndarray
        Encoded values of the rows kept (NaN: missing).
    trials : ndarray, optional
        Binomial trials of the same rows.
    trials_column : str, optional
        Name of the trials column (for the message).
    """
    obs = ~np.isnan(codes)
    if not obs.any():
        raise SpecificationError(
            f"the outcome {name!r} is missing in every row: there is nothing to fit; drop it "
            "from the model or check the column")
    v = codes[obs]
    fix = f"drop {name!r} from the model (it carries no information about the classes " \
        "or effects)"
    if family == "normal" and np.ptp(v) <= 1e-12 * np.abs(v).max():
        raise SpecificationError(
            f"the normal outcome {name!r} is constant (every observed value is {v[0]:g}): "
            f"its variance is 0 and the likelihood has no maximum; {fix}")
    if family == "binary" and np.unique(v).size < 2:
        raise SpecificationError(
            f"the binary outcome {name!r} is {v[0]:g} in every observed row: its "
            f"probability is {v[0]:g} and its logit infinite; {fix}")
    if family == "binomial" and trials is not None and not (trials[obs] > 0).any():
        col = f" ({trials_column!r})" if trials_column else ""
        raise SpecificationError(
            f"the binomial outcome {name!r} has 0 trials{col} in every observed row: there "
            f"is nothing to fit; check the trials column or {fix}")
    if family == "poisson" and not (v > 0).any():
        raise SpecificationError(
            f"the poisson outcome {name!r} is 0 in every observed row: its log rate is minus "
            f"infinity; {fix}")
