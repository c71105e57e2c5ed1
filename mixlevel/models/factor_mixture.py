"""Factor mixture models (paper section 8, eq. 36-37) in one call.

For person i in latent class ``c = k`` and item j measuring factor ``f``::

    u*_ij = nu_jk + lambda_j f_i + e_ij,      f_i ~ N(0, 1)  in every class,
    P(c_i = k | x_i) = exp(a_k + g_k' x_i) / sum_l exp(a_l + g_l' x_i),

with ``u*`` the item itself for normal items (``e ~ N(0, theta_j)``) and the
logit (or probit) of a binary item or the latent response of an ordinal item
(class-specific thresholds ``tau_jsk`` in place of ``nu_jk``).  The class
changes the item intercepts (thresholds) and, with ``loadings="class"``, the
loadings ``lambda_jk`` too.

Identification (what is estimated and what is fixed):

* Item intercepts and thresholds are class-specific, so a class-specific
  factor mean would only shift them: the factor mean is 0 in every class (the
  class differences are in ``nu_jk``).  Mplus's default is the other way
  round (invariant intercepts, factor means free but one class's), which
  restricts ``nu_jk = nu_j + lambda_j alpha_k`` non-linearly; that model is
  not offered here.
* ``loadings="invariant"``: one loading per item, factor variance 1 in every
  class (equal variances).  ``loadings="class"``: loadings per class with the
  factor variance 1 in each class; a class-specific factor variance
  ``psi_k`` with invariant loadings is the special case ``lambda_jk =
  lambda_j sqrt(psi_k)`` of this model (same likelihood), so it is
  estimated as its class-specific loadings.
* Several factors (``factors={"f1": [...], "f2": [...]}``) are uncorrelated,
  each measured by its own items.

The nested models for :meth:`FactorMixtureResults.compare`: the latent class
model (all loadings 0: conditional independence within class, eq. 1-2) and
the one-class factor model (``classes=1``).
"""

from __future__ import annotations

import pandas as pd

from ..errors import SpecificationError
from ..model import MixtureModel
from ..spec import ModelSpec
from .factor_mixture_results import FactorMixtureResults

__all__ = ["FactorMixture", "FactorMixtureModel"]

LOADINGS = ("invariant", "class")
RESIDUALS = ("invariant", "class")


class FactorMixtureModel(MixtureModel):
    """A factor mixture model built by :func:`FactorMixture`.

    Attributes
    ----------
    items : list of str
    factors : dict
        Factor name -> the items it measures.
    n_fmm_classes : int
    loadings : {"invariant", "class"}
    """

    def fit(self, *args, **kwargs):
        """Fit as :meth:`MixtureModel.fit`; the results get ``res.factor_mixture``."""
        res = super().fit(*args, **kwargs)
        res._results.factor_mixture = FactorMixtureResults(res)
        return res

    def variant(self, classes, factors, covariates=()):
        """The same items, data, family and options with other classes, factors, covariates."""
        return FactorMixture(self.items, self.fmm_data, classes=classes, factors=factors,
                             family=self.family_arg, residuals=self.residuals,
                             covariates=list(covariates), **self.model_kwargs)


def _check_factors(items, factors):
    if isinstance(factors, (int,)) and not isinstance(factors, bool):
        if factors == 0:
            return {}
        if factors != 1:
            raise SpecificationError(
                f"factors={factors}: several factors need their items, e.g. "
                "factors={'f1': ['u1', 'u2', 'u3'], 'f2': ['u4', 'u5', 'u6']}")
        return {"f": list(items)}
    if not isinstance(factors, dict) or not factors:
        raise SpecificationError("factors= is 1 (one factor measured by all items), 0 (the "
                                 "latent class model) or a dict factor name -> items")
    seen = set()
    out = {}
    for name, its in factors.items():
        its = [its] if isinstance(its, str) else list(its)
        bad = [it for it in its if it not in items]
        if bad:
            raise SpecificationError(f"factor {name!r} is measured by {bad}, which are not in "
                                     "items=; list them in items= too")
        twice = seen & set(its)
        if twice:
            raise SpecificationError(f"items {sorted(twice)} load on two factors; factors here "
                                     "are uncorrelated with simple structure (one factor an item)")
        seen |= set(its)
        out[str(name)] = its
    return out


def _check_choice(value, allowed, arg):
    if value not in allowed:
        raise SpecificationError(f"{arg}={value!r}: use one of {', '.join(map(repr, allowed))}")
    return value


def _check_columns(data, items, covariates):
    if not isinstance(data, pd.DataFrame):
        raise SpecificationError("data must be a pandas DataFrame (one row per person)")
    if isinstance(items, str) or not isinstance(items, (list, tuple)) or len(items) < 2:
        raise SpecificationError("items= must list two or more item columns, e.g. "
                                 "items=['u1', 'u2', 'u3']")
    covariates = [covariates] if isinstance(covariates, str) else list(covariates or [])
    missing = [c for c in list(items) + covariates if c not in data.columns]
    if missing:
        raise SpecificationError(f"column(s) {missing} are not in the data")
    return list(items), covariates


def factor_mixture_spec(items, n_classes, factors, family="normal", loadings="invariant",
                        residuals="invariant", covariates=()):
    """The :class:`ModelSpec` of a factor mixture model (see :func:`FactorMixture`).

    ``factors``: dict factor name -> items (empty: the latent class model).
    Parameter names follow the formula language: ``u~1[c=k]`` intercepts,
    ``u|t1[c=k]`` thresholds, ``f=~u`` invariant loadings, ``u~f[c=k]``
    class-specific loadings, ``Var(u)`` residual variances, ``c#k~1`` and
    ``c#k~x`` class logits.
    """
    spec = ModelSpec()
    classes = n_classes > 1
    by = ["c"] if classes else []
    if classes:
        spec.add_class("c", n_classes)
    fams = family if isinstance(family, dict) else {it: family for it in items}
    factor_of = {it: f for f, its in factors.items() for it in its}
    for f in factors:
        spec.add_block(f, [f], level="row", covariance="identity")
    for it in items:
        spec.add_outcome(it, fams.get(it, "normal"),
                         residual_by=by if residuals == "class" else (), threshold_by=by)
        if spec.outcomes[-1].family.has_intercept:
            spec.add_term(it, by=by, name=f"{it}~1")
        f = factor_of.get(it)
        if f is None:
            continue
        if loadings == "class" and classes:
            spec.add_term(it, latent=f, by=by, name=f"{it}~{f}")
        else:
            spec.add_term(it, latent=f, name=f"{f}=~{it}")
    if classes:
        spec.add_term("c")
        for x in covariates:
            spec.add_term("c", x)
    return spec


def FactorMixture(items, data, classes=2, factors=1, loadings="invariant", family="normal",
                  covariates=None, residuals="invariant", **kwargs):
    """The factor mixture model of paper section 8 (eq. 36-37), one call.

    Parameters
    ----------
    items : list of str
        Item columns, one row per person (missing values are left out of the
        likelihood, missing at random).
    data : pandas.DataFrame
    classes : int
        Number of latent classes K (1: the one-class factor model).
    factors : int or dict
        1 (default): one factor measured by all items; 0: no factor (the
        latent class model with the same items, the nested model with all
        loadings 0); a dict factor name -> items for several uncorrelated
        factors.
    loadings : {"invariant", "class"}
        One loading per item, or one per class and item (``u~f[c=k]``; the
        factor variance then differs by class in effect, see the module notes).
    family : str, Family or dict
        The items' family ("normal", "binary", "probit", "ordinal", ...), or a
        dict item -> family.  Binary items are coded 0/1.
    covariates : list of str, optional
        Columns predicting the class (multinomial logit, eq. 2 with x).
    residuals : {"invariant", "class"}
        Residual variances of normal items equal across classes (default, as
        Mplus) or class-specific.
    **kwargs
        Passed to :class:`~mixlevel.model.MixtureModel` (``weights=``,
        ``integration=``, ``n_points=``, ``fix=``, ``equal=``, ...).

    Returns
    -------
    FactorMixtureModel
        ``.fit()`` gives results with ``res.factor_mixture``: class sizes,
        item parameters per class and ``compare()`` against the latent class
        model and the one-class factor model.

    Examples
    --------
    >>> m = ml.FactorMixture(["y1", "y2", "y3", "y4"], df, classes=2)   # doctest: +SKIP
    >>> res = m.fit()                                                   # doctest: +SKIP
    >>> res.factor_mixture.compare()                                    # doctest: +SKIP
    """
    items, covariates = _check_columns(data, items, covariates)
    if isinstance(classes, bool) or not isinstance(classes, int) or classes < 1:
        raise SpecificationError(f"classes={classes!r}: give the number of latent classes, "
                                 "a whole number >= 1")
    if covariates and classes == 1:
        raise SpecificationError("covariates= predict the latent class; with classes=1 there "
                                 "is none: drop covariates= or use classes >= 2")
    fac = _check_factors(items, factors)
    _check_choice(loadings, LOADINGS, "loadings")
    _check_choice(residuals, RESIDUALS, "residuals")
    clash = sorted(({"c"} | set(fac)) & set(items + covariates))
    if clash:
        raise SpecificationError(f"column(s) {clash} have the name of the class variable 'c' or "
                                 "of a factor; rename those columns (or name the factors "
                                 "otherwise with factors={name: items})")
    if not fac and classes == 1:
        raise SpecificationError("classes=1 with factors=0 has no latent variable: use "
                                 "classes >= 2 or factors=1")
    spec = factor_mixture_spec(items, classes, fac, family, loadings, residuals, covariates)
    m = FactorMixtureModel(spec, data, **kwargs)
    m.items, m.factors, m.n_fmm_classes = items, fac, classes
    m.loadings, m.residuals, m.covariates = loadings, residuals, covariates
    m.family_arg, m.model_kwargs, m.fmm_data = family, kwargs, data
    return m
