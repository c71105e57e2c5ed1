"""Item response theory: the Rasch, 1PL, 2PL and 3PL models on wide binary items.

One standard normal person factor ``theta`` and, for item j, the slope-intercept
form of the 2PL (paper eq. 36 with one class and a logit link)::

    logit P(u_j = 1 | theta) = a_j theta + d_j,     theta ~ N(0, 1),

with the IRT difficulty ``b_j = -d_j / a_j``.  The 1PL sets all slopes equal;
the Rasch model fixes them at 1 and frees the factor variance (mirt's
``itemtype = "Rasch"``): it is the 1PL in another parametrisation
(``Var(theta) = a^2``, the same intercepts and likelihood), so it is fitted as
the 1PL and reported in its own terms.

The 3PL (paper section 9, eq. 42) adds a guessing floor ``g_j``::

    P(u_j = 1 | theta) = g_j + (1 - g_j) logistic(a_j theta + d_j).

It is a mixture at the level of each response: a latent class "guess" answers
correctly with probability 1 and the class "know" follows the 2PL; ``g_j`` is
the probability of the class "guess" for item j (eq. 45-47; g, a, b follow by
eq. 48-50).  :func:`IRT` fits it in long form, one row per person and item, the
person as cluster::

    y ~ 0 + C(item):c           class 1 (guess): intercepts fixed at +40, no loading
    theta -> y in class 2       item-specific loadings (a_j), intercepts d_j
    c ~ 0 + C(item)             logit(g_j)

(``logistic(40) = 1 - 4e-18``, one in double precision; the paper's 15 would
leave 3e-7 per response.)  The 3PL's default rule is fixed Gauss-Hermite with
61 nodes, the wide 2PL's default (and mirt's).  Identical persons
are compressed to response patterns with frequency weights, as
:func:`mixlevel.response_patterns` does.  ``res.irt.coef()`` gives a, d, b (and
g) per item with delta-method standard errors.

Mixture IRT (paper section 8, eq. 36 with K classes): ``IRT(..., classes=K)``
fits the mixture 2PL with class-specific slopes and intercepts and
``theta ~ N(0, 1)`` within every class::

    logit P(u_j = 1 | theta, c = k) = a_jk theta + d_jk,    P(c = k) = pi_k.

This is mirt's ``dentype = "mixture-2"`` parametrisation (each class's latent
mean 0 and variance 1 fixed, item parameters free per class, one mixing
logit): with free slopes and intercepts per class, a class-specific factor
mean or variance would only rescale them, so the two models are the same
(same likelihood).  Classes are ordered by decreasing size.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from ..errors import EstimationWarning, SpecificationError
from ..model import MixtureModel
from ..spec import ModelSpec
from .items import check_binary_items

__all__ = ["IRT", "ItemResponseModel"]

MODELS = ("Rasch", "1PL", "2PL", "3PL")
GUESS_LOGIT = 40.0   # the class "guess" answers correctly: logistic(40) = 1 in doubles
STEEP_SLOPE = 20.0   # |a| beyond this: the item is a step in theta, no rule integrates it well


class ItemResponseModel(MixtureModel):
    """An IRT model built by :func:`IRT` (a :class:`MixtureModel` with IRT output).

    Attributes
    ----------
    items : list of str
    irt_model : {"Rasch", "1PL", "2PL", "3PL"}
    patterns : DataFrame
        The distinct response patterns with their count ``n``.
    person_pattern : Series
        Each person's (row of the user's data) pattern number.
    """

    def fit(self, start_params=None, cov_type="ML", **kwargs):
        """Fit; the 3PL starts from the 2PL's estimates.

        Parameters
        ----------
        start_params : array, optional
        cov_type : {"ML", "MLR"}
            ``"ML"`` (default here, as mirt and ltm): the inverse observed
            information.  ``"MLR"``: the sandwich, mixlevel's general default.
        **kwargs
            As :meth:`MixtureModel.fit`.

        Returns
        -------
        MixtureResults
            With ``res.irt`` (:class:`~mixlevel.models.irt_results.IRTResults`).
        """
        if start_params is None and self.irt_model == "3PL":
            start_params = self._start_from_2pl(kwargs)
        with warnings.catch_warnings():
            if self.irt_model == "3PL":
                # g_j -> 0 is the usual 3PL boundary; res.irt.coef() notes it per item
                warnings.filterwarnings("ignore", message=".*not identified.*")
                warnings.filterwarnings("ignore", message=".*information matrix is singular.*")
            res = super().fit(start_params=start_params, cov_type=cov_type, **kwargs)
        from .irt_results import IRTResults

        res._results.irt = IRTResults(res)
        _warn_steep_slopes(res.params)
        return res

    def _start_from_2pl(self, kwargs):
        two = IRT(self.items, self.patterns, model="2PL", weights="n")
        opts = {k: v for k, v in kwargs.items() if k in ("gtol", "maxiter", "seed")}
        res2 = MixtureModel.fit(two, progress=False, **opts)
        start = pd.Series(self.start_params, index=self.param_names)
        sign = np.sign(sum(res2.params[f"theta=~{it}"] for it in self.items)) or 1.0
        for it in self.items:
            start[f"{it}~1[c=2]"] = res2.params[f"{it}~1"]
            start[f"theta=~{it}[c=2]"] = sign * res2.params[f"theta=~{it}"]
            start[f"guess~{it}"] = -2.0
        return start.to_numpy()


def _warn_steep_slopes(params):
    """Warn when slopes ran off toward infinity (a class answering an item as a step in theta)."""
    steep = params[[n.startswith("theta=~") for n in params.index]].abs()
    steep = steep[steep > STEEP_SLOPE]
    if len(steep):
        listed = ", ".join(f"{n} = {v:.3g}" for n, v in steep.items())
        warnings.warn(
            f"slopes ran toward infinity ({listed}): the item is a step in theta there, which "
            "no quadrature rule integrates well, so the log-likelihood is approximate and "
            "the maximum may lie at the boundary (a weakly identified model); use fewer "
            "classes or items with more information, or set slopes equal (equal=...)",
            EstimationWarning, stacklevel=3)


def _patterns(data, items, weights):
    if weights is not None and (not isinstance(weights, str) or weights not in data.columns):
        raise SpecificationError(f"weights={weights!r} must be a column of the data "
                                 "(frequency weights: counts of identical persons)")
    frame = data[items].apply(pd.to_numeric, errors="coerce")
    counts = data[weights].astype(float) if weights else pd.Series(1.0, index=data.index)
    if counts.isna().any() or (counts < 0).any():
        raise SpecificationError(f"the weights column {weights!r} has missing or negative "
                                 "values; frequency weights are counts >= 0")
    empty = frame.isna().all(axis=1)
    if empty.any():
        warnings.warn(f"{int(empty.sum())} of {len(data)} persons answered no item and are "
                      "left out", UserWarning, stacklevel=3)
    frame, counts = frame[~empty], counts[~empty]
    key = frame.astype(object).where(frame.notna(), "NA").astype(str).agg("|".join, axis=1)
    codes, uniq = pd.factorize(key)
    patterns = frame.groupby(codes, sort=False).first().reset_index(drop=True)
    patterns["n"] = np.bincount(codes, weights=counts.to_numpy(), minlength=len(uniq))
    return patterns, pd.Series(codes, index=frame.index)


def _wide_spec(items):
    spec = ModelSpec()
    spec.add_block("theta", ["theta"], level="row", covariance="identity")
    for it in items:
        spec.add_outcome(it, "binary")
        spec.add_term(it, name=f"{it}~1")
        spec.add_term(it, latent="theta", name=f"theta=~{it}")
    return spec


def _long_3pl(patterns, items):
    """One row per person and observed item, with an indicator column per item."""
    wide = patterns.assign(person=np.arange(len(patterns)))
    long = wide.melt(id_vars=["person", "n"], value_vars=items, var_name="item",
                     value_name="y").dropna(subset=["y"])
    order = {it: k for k, it in enumerate(items)}
    long = long.assign(k=long["item"].map(order)).sort_values(["person", "k"])
    cols = {f"_item{k}": (long["k"] == k).astype(float).to_numpy() for k in range(len(items))}
    return pd.concat([long[["person", "n", "y"]].reset_index(drop=True),
                      pd.DataFrame(cols)], axis=1)


def _spec_3pl(items):
    spec = ModelSpec()
    spec.add_class("c", 2)                      # class 1: guess, class 2: know
    spec.add_block("theta", ["theta"], level="cluster", covariance="identity")
    spec.add_outcome("y", "binary")
    for k, it in enumerate(items):
        col = f"_item{k}"
        spec.add_term("y", col, by=["c"], name=f"{it}~1")
        spec.add_term("y", col, latent="theta", by=["c"], name=f"theta=~{it}")
        spec.add_term("c", col, name=f"guess~{it}")
    return spec


def _mixture_spec(items, n_classes):
    spec = ModelSpec()
    spec.add_class("c", n_classes)
    spec.add_block("theta", ["theta"], level="row", covariance="identity")
    for it in items:
        spec.add_outcome(it, "binary")
        spec.add_term(it, by=["c"], name=f"{it}~1")
        spec.add_term(it, latent="theta", by=["c"], name=f"theta=~{it}")
    spec.add_term("c")
    return spec


def _check_classes(classes, model):
    if classes is None:
        return 1
    if isinstance(classes, bool) or not isinstance(classes, (int, np.integer)) or classes < 1:
        raise SpecificationError(f"classes={classes!r}: give the number of latent classes, "
                                 "a whole number >= 1 (e.g. classes=2)")
    if classes > 1 and model != "2PL":
        raise SpecificationError(f"classes={classes} is the mixture 2PL (class-specific slopes "
                                 f"and intercepts); model={model!r} has no mixture version here: "
                                 "use model='2PL'")
    return int(classes)


def IRT(items, data, model="2PL", weights=None, classes=None, **kwargs):
    """A unidimensional IRT model (Rasch, 1PL, 2PL or 3PL) on wide binary items.

    Parameters
    ----------
    items : list of str
        Binary (0/1) item columns, one row per person.  Missing responses are
        left out (full-information ML, missing at random).
    data : pandas.DataFrame
    model : {"2PL", "1PL", "Rasch", "3PL"}
        ``"2PL"``: free slopes and intercepts, ``theta ~ N(0, 1)``.  ``"1PL"``:
        one common slope.  ``"Rasch"``: slopes 1 and ``Var(theta)`` free (the
        1PL reparametrised; ``res.irt.theta_var()``).  ``"3PL"``: the 2PL with
        a guessing floor g_j per item (paper section 9, eq. 42-50).
    weights : str, optional
        A column of frequency weights (counts of identical persons, as in the
        output of :func:`mixlevel.response_patterns`).
    classes : int, optional
        ``K >= 2``: the mixture 2PL with K latent classes, each with its own
        slopes and intercepts and ``theta ~ N(0, 1)`` (mirt's ``dentype =
        "mixture-K"``); ``res.irt.coef()`` then has one row per class and item.
    **kwargs
        Passed to :class:`~mixlevel.model.MixtureModel` (``integration=``,
        ``n_points=``, ...).

    Returns
    -------
    ItemResponseModel
        Fitted with ``.fit()``; ``res.irt.coef()`` gives a, d, b (and g) per
        item with delta-method standard errors.

    Examples
    --------
    >>> res = ml.IRT(["item1", "item2", "item3", "item4", "item5"], lsat7).fit()
    >>> res.irt.coef()    # doctest: +SKIP
    """
    if not isinstance(data, pd.DataFrame):
        raise SpecificationError("data must be a pandas DataFrame (one row per person)")
    if model not in MODELS:
        raise SpecificationError(f"model={model!r}: use one of {', '.join(MODELS)}")
    items = check_binary_items(data, items, "IRT")
    if "n" in items:
        raise SpecificationError("an item is named 'n', the name of the pattern counts; "
                                 "rename that column")
    n_classes = _check_classes(classes, model)
    clash = sorted({"c", "theta"} & set(items)) if n_classes > 1 else []
    if clash:
        raise SpecificationError(f"item(s) {clash} have the name of the mixture's class variable "
                                 "'c' or factor 'theta'; rename those columns")
    patterns, person_pattern = _patterns(data, items, weights)
    if n_classes > 1:
        m = ItemResponseModel(_mixture_spec(items, n_classes), patterns, weights="n", **kwargs)
    elif model == "3PL":
        if not {"integration", "n_points", "adaptive"} & set(kwargs):
            # theta is the cluster's (the person's) here, so the engine would centre 25
            # adaptive nodes; the floor g_j gives the posterior a flat tail they miss by
            # ~1e-6 in LL (LSAT7).  Fixed Gauss-Hermite with 61 nodes, the wide 2PL's
            # rule, is within 1e-8 of 121 nodes there, and faster.
            kwargs.update(integration="gauss-hermite", n_points=61)
        m = ItemResponseModel(_spec_3pl(items), _long_3pl(patterns, items), cluster="person",
                              cluster_weights="n", fix=_fix_3pl(items), **kwargs)
    else:
        equal = None
        if model in ("1PL", "Rasch"):
            equal = [(f"theta=~{items[0]}", f"theta=~{it}") for it in items[1:]]
        m = ItemResponseModel(_wide_spec(items), patterns, weights="n", equal=equal,
                              **kwargs)
    m.items, m.irt_model, m.n_irt_classes = items, model, n_classes
    if model == "3PL":
        # the units are persons, not person x item rows: BIC with n = persons (as mirt)
        m.nobs = float(patterns["n"].sum())
        m.df_resid = m.nobs - m.table.n_free
    m.patterns, m.person_pattern = patterns, person_pattern
    return m


def _fix_3pl(items):
    fix = {}
    for it in items:
        fix[f"{it}~1[c=1]"] = GUESS_LOGIT
        fix[f"theta=~{it}[c=1]"] = 0.0
    return fix
