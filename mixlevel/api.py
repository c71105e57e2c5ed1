"""Public entry points: :func:`mixture` and the class declarations.

::

    import mixlevel as ml
    model = ml.mixture("u1 + u2 + u3 + u4 ~ c", data=df, classes={"c": 2},
                       family="binary")
    res = model.fit()

``MixtureModel.from_formula`` does the same.  See docs/formula.rst for the
formula language.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .data.checks import check_unique_columns
from .errors import SpecificationError
from .formula.compile import Between, CompiledFormula, Within
from .formula.parse import FormulaError
from .pipeline import build_model

__all__ = ["mixture", "Between", "Within", "parameter_table", "response_patterns",
           "FormulaError"]


def _capture(context, depth):
    """The caller's namespace for formulaic (user functions and transforms).

    :func:`~mixlevel.formula.compile.compile_formula` keeps only the names the
    formula uses (:mod:`mixlevel.formula.context`), so models pickle.
    """
    from formulaic.utils.context import capture_context

    if context is None:
        return capture_context(depth + 1)
    if isinstance(context, int):
        return capture_context(context + depth + 1)
    return context


def mixture(formula, data, classes=None, family="normal", cluster=None, weights=None,
            fix=None, equal=None, trials=None, re_cov="statement", context=None,
            cluster_weights=None, **kwargs):
    """A multilevel mixture model from a formula.

    Parameters
    ----------
    formula : str
        Statements, one per line or separated by ``;`` (docs: "The formula
        language"): ``y ~ c * x + (1 | school)``, ``u1 + u2 ~ c``,
        ``f =~ u1 + u2 + u3``, ``c ~ w + (1 | school)``, ``var(y) ~ c``.
    data : pandas.DataFrame
    classes : dict, optional
        Class variables: ``{"c": 2}`` (within), ``{"d": Between(2)}``.
    family : str, Family or dict
        "normal" (default), "binary", "probit", "binomial", "ordinal",
        "nominal", "poisson", "truncated_poisson", a :mod:`mixlevel.families`
        object, or a dict ``{outcome or glob pattern: family}`` (unlisted
        outcomes are normal).
    cluster : str, optional
        Cluster id column; inferred from the random terms' grouping column.
        Needed only for a two-level model without random terms (e.g. a between
        class in a latent class analysis).
    weights : str or array, optional
        Frequency weights of rows: a row weight replicates the row inside its
        cluster.
    fix : dict, optional
        ``{parameter name or glob: value}`` (natural scale); ``*`` and ``?``
        are wildcards, brackets are literal.
    equal : list of tuples, optional
        Names or globs set equal; globs are paired in order of the parameters.
    trials : str or dict, optional
        Trials column of binomial outcomes (``"n"`` or ``{"y": "n"}``).
    re_cov : {"statement", "full"}
        "statement" (default): the effects of one random term are correlated,
        different random terms independent (lme4).  "full": all random effects
        (all statements) correlated.
    context : int or mapping, optional
        Namespace for functions in the formula; default: the caller's.
    cluster_weights : str or array, optional
        Frequency weights of clusters, constant within each cluster: a cluster
        weight replicates the whole cluster, so a two-level model can be
        fitted on its distinct clusters (e.g. persons' response patterns in
        long form, :func:`cluster_patterns`) with their counts.
    **kwargs
        Passed to :class:`~mixlevel.model.MixtureModel` (``integration``,
        ``n_points``, ``adaptive``, ``seed``, ``num_threads``, ...).

    Returns
    -------
    MixtureModel
        With ``.formula``, the :class:`~mixlevel.formula.compile.CompiledFormula`
        (its ``design_columns(new_data)`` reuses the training transforms).
    """
    from .model import MixtureModel

    ctx = _capture(context, 1)
    return build_model(MixtureModel, formula, data, classes=classes, family=family,
                       cluster=cluster, weights=weights, fix=fix, equal=equal,
                       trials=trials, re_cov=re_cov, context=ctx,
                       cluster_weights=cluster_weights, **kwargs)


def parameter_table(model, start_values=True):
    """The parameter table of a model: name, kind, status, value, start.

    ``status`` is "free", "fixed" or "= other name" (equality constraints);
    ``value`` the fixed value (or the default for free parameters); ``start``
    the start value the fit would use (when ``start_values``).
    """
    table = model.parameter_table()
    if not isinstance(table, pd.DataFrame):
        table = pd.DataFrame(table)
    if start_values:
        start = dict(zip(model.param_names, np.asarray(model.start_params, float),
                         strict=True))
        col = []
        for name, status, value in zip(table["name"], table["status"], table["value"],
                                       strict=True):
            if name in start:
                col.append(start[name])
            elif status.startswith("= "):
                col.append(start.get(status[2:], np.nan))
            else:
                col.append(value)
        table = table.assign(start=col)
    return table


__all__ += ["CompiledFormula", "SpecificationError"]


def response_patterns(data, columns=None, weights=None, name="n"):
    """Distinct response patterns with their counts, for fitting with ``weights=name``.

    A latent class or IRT model without covariates depends on a row only through
    its responses, so the patterns with frequency weights give the same
    estimates, log-likelihood and (MLR) standard errors as the raw rows, much
    faster: the 83,060 students of the ICCS items have 2,906 patterns (a 4-class
    LCA with 10 starts: 10 s on the rows, 0.4 s on the patterns).  Missing
    responses form patterns of their own.

    Parameters
    ----------
    data : DataFrame
    columns : list of str, optional
        The response columns (default: all).
    weights : str, optional
        A column of frequency weights already in ``data`` to add up.
    name : str
        Name of the count column of the result.

    Returns
    -------
    DataFrame
        One row per pattern: the response columns and the count ``name``.

    Examples
    --------
    >>> patterns = ml.response_patterns(df, items)
    >>> ml.mixture(" + ".join(items) + " ~ c", data=patterns, classes={"c": 4},
    ...            family="binary", weights="n").fit()
    """
    check_unique_columns(data)
    columns = list(data.columns if columns is None else columns)
    missing = [c for c in columns + ([weights] if weights else []) if c not in data.columns]
    if missing:
        raise SpecificationError(f"column(s) {missing} are not in the data")
    if name in columns:
        raise SpecificationError(f"the count column {name!r} is also a response column; "
                                 "choose another name=")
    counts = (data[weights] if weights else pd.Series(1.0, index=data.index)).astype(float)
    frame = data[columns].assign(**{name: counts.to_numpy()})
    return frame.groupby(columns, dropna=False, sort=True)[name].sum().reset_index()
