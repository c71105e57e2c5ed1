"""Grade of membership models (paper sections 7-8, eq. 27-41) from wide item data.

A person belongs partly to every class: the class of each of their responses
is drawn from the person's own class probabilities ``p_ik = softmax_k(alpha_ik)``
(eq. 27-30), with normal person effects ``alpha_i`` on the K - 1 class logits
(eq. 31-34).  In long form, one row per person and item::

    y ~ 0 + C(item):c
    c ~ 1 + (1 | person)                  # unrestricted: K - 1 correlated effects

The restricted GoM (eq. 35) puts one person factor on all class logits,
``alpha_ik = a_k + lambda_k eta_i``, and the FMA-GoM (eq. 38-41) adds a person
factor measured by the items with class-invariant loadings (the paper's
restricted FMA, ``lambda_ic = lambda_i``)::

    alpha =~ (c | person)                 # restricted (K > 2; K = 2 is the same model)
    y ~ 0 + C(item):c + C(item):eta       # FMA-GoM: item loadings on eta
    eta =~ (y | person)

:func:`GoM` reshapes wide data internally, compresses identical persons
(same responses and covariates) into patterns with cluster frequency weights,
and starts the fit from the nested latent class model's estimates (the paper's
advice).  ``res.gom.membership()`` gives each person's expected class
probabilities and their posterior SDs; ``res.gom.compare_lca()`` the LCA versus
GoM comparison (Table 5 layout).
"""

from __future__ import annotations

import re
import warnings

import numpy as np
import pandas as pd
from scipy.stats import norm

from ..errors import SpecificationError
from ..model import MixtureModel
from ..utils.warn import warn_user
from .items import check_binary_items

__all__ = ["GoM", "GradeOfMembership"]

_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_.]*$")
_LINKS = {"logit": "binary", "probit": "probit"}
#: The person factor on the class logits (restricted GoM) and on the items (FMA-GoM).
_CLASS_FACTOR, _ITEM_FACTOR = "alpha", "eta"


class GradeOfMembership(MixtureModel):
    """A GoM model built by :func:`GoM` (a :class:`MixtureModel` with LCA starts).

    Attributes
    ----------
    items : list of str
    n_classes : int
    patterns : DataFrame
        The distinct persons (items, covariates) with their count ``n``.
    person_pattern : ndarray
        Each person's (row of the user's data) pattern number.
    lca_model : MixtureModel
        The nested latent class model on the same patterns (with ``factor=True``
        the nested FMA, eq. 36-37: the same classes and item factor).
    restricted, factor : bool
        The restricted GoM (eq. 35; K > 2 only) and the FMA-GoM (eq. 38-41).
    """

    def fit(self, start_params=None, starts=(4, 2), lca_starts=(10, 3), **kwargs):
        """Fit from the nested LCA's estimates, and from ``starts`` random starts.

        Parameters
        ----------
        start_params : array, optional
            Start here instead (no LCA, no random starts).
        starts : (int, int) or None
            Random starts ``(initial, final)`` of the GoM itself, besides the
            LCA start; None for the LCA start only.
        lca_starts : (int, int)
            Random starts of the nested LCA.
        **kwargs
            As :meth:`MixtureModel.fit`.

        Returns
        -------
        MixtureResults
            With ``res.gom`` (:class:`GoMResults`) and ``res.lca`` (the nested
            LCA fit, when it was fitted here).
        """
        progress = kwargs.pop("progress", False)
        lca = None
        if start_params is None:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                lca = self.lca_model.fit(starts=lca_starts, progress=False,
                                         seed=kwargs.get("seed", 0))
            from_lca = super().fit(start_params=self.lca_start(lca.params),
                                   progress=progress, **kwargs)
            res = from_lca
            if starts:
                random = super().fit(starts=starts, progress=progress, **kwargs)
                if random.llf > from_lca.llf + 1e-6:
                    res = random
        else:
            res = super().fit(start_params=start_params, progress=progress, **kwargs)
        from .gom_results import GoMResults

        res._results.gom = GoMResults(res, lca)
        res._results.lca = lca
        return res

    def lca_start(self, lca_params, var=1.0):
        """GoM start values from LCA (or FMA) estimates: the same item, class and
        item-factor parameters, random-logit variances ``var``, covariances 0; the
        restricted GoM's logits near the LCA's classes (:func:`_envelope_start`,
        slopes ``2 sqrt(var)`` apart)."""
        start = pd.Series(self.start_params, index=self.param_names)
        lca_params = pd.Series(lca_params)
        for name in self.param_names:
            m = re.match(r"^y~C\(item\)\[(.+)\](\[.*\])$", name)
            if m and f"{m.group(1)}~1{m.group(2)}" in lca_params.index:
                start[name] = lca_params[f"{m.group(1)}~1{m.group(2)}"]
            elif name in lca_params.index:
                start[name] = lca_params[name]
            elif name.startswith("Var("):
                start[name] = var
            elif name.startswith("Cov("):
                start[name] = 0.0
        if getattr(self, "restricted", False):
            a, lam = _envelope_start(lca_params, self.class_name, self.n_classes,
                                     2.0 * np.sqrt(var))
            for k in range(self.n_classes - 1):
                start[f"{self.class_name}#{k + 1}~1"] = a[k]
                start[f"{_CLASS_FACTOR}=~{self.class_name}#{k + 1}"] = lam[k]
        for name in self.param_names:
            if name.endswith(f":{_ITEM_FACTOR}"):  # FMA-GoM: the FMA's loading, else
                m = re.match(r"^y~C\(item\)\[(.+)\]:", name)  # away from the symmetric 0
                start[name] = lca_params.get(f"{_ITEM_FACTOR}=~{m.group(1)}", 0.5)
        return start.to_numpy()


def _envelope_start(lca_params, name, K, scale):
    """Restricted-GoM logits near the LCA: lines ``a_k + lambda_k z`` with slopes
    ``scale * (0, 1, ..., K - 1)`` whose upper envelope switches class at the normal
    quantiles of the LCA's cumulative class shares (eq. 35; the LCA is its limit as
    the scale grows).  Returns the K - 1 intercepts and loadings (last class the
    reference).  Class covariates keep their LCA values."""
    logits = np.array([float(lca_params.get(f"{name}#{k + 1}~1", 0.0)) for k in range(K - 1)]
                      + [0.0])
    share = np.exp(logits - logits.max())
    share /= share.sum()
    cuts = norm.ppf(np.clip(np.cumsum(share)[:-1], 1e-6, 1 - 1e-6))
    slope = scale * np.arange(K, dtype=float)   # left to right: class 1, 2, ..., K
    icpt = np.zeros(K)
    for j in range(K - 1):  # continuity of the envelope at the cut between j and j + 1
        icpt[j + 1] = icpt[j] + (slope[j] - slope[j + 1]) * cuts[j]
    return icpt[:-1] - icpt[-1], slope[:-1] - slope[-1]


def _covariate_list(covariates, data):
    if covariates is None:
        return []
    covs = [covariates] if isinstance(covariates, str) else list(covariates)
    for c in covs:
        if not isinstance(c, str) or not _IDENT.match(c) or c not in data.columns:
            raise SpecificationError(
                f"covariates= names {c!r}, which is not a column of the data; give person-"
                "level columns (their effects are on the class logits)")
    return covs


def GoM(items, data, classes=2, *, restricted=True, factor=False, link="logit",
        covariates=None, weights=None, name="c", **kwargs):
    """A grade of membership model (paper sections 7-8) on wide binary item data.

    Parameters
    ----------
    items : list of str
        Binary (0/1) item columns, one row per person.  Missing responses are
        left out (full-information ML).
    data : pandas.DataFrame
    classes : int
        Number of pure types K.
    restricted : bool
        For K > 2, the restricted GoM of eq. 35 (one person factor ``alpha`` on
        all class logits, loadings ``alpha=~c#k``: one dimension of
        integration); ``False`` gives the unrestricted model of eq. 34 (K - 1
        correlated person effects).  With K = 2 both are the same model
        (parameterised by ``Var(c#1|person)``).  The LCA is nested in the
        unrestricted GoM only.
    factor : bool
        The FMA-GoM (eq. 38-41): a person factor ``eta`` measured by the
        items, with class-invariant loadings ``y~C(item)[<item>]:eta`` (the
        paper's ``lambda_ic = lambda_i``).  The FMA is nested in it (the class
        logits' variance to infinity).
    link : {"logit", "probit"}
        Link of the item probabilities within a class.
    covariates : str or list of str, optional
        Person-level predictors of the class logits (eq. 33).
    weights : str, optional
        A column of frequency weights (counts of identical persons).
    name : str
        Name of the class variable.
    **kwargs
        Passed to :class:`~mixlevel.model.MixtureModel` (``integration=``,
        ``n_points=``, ...).

    Returns
    -------
    GradeOfMembership
        Fitted with ``.fit()``: LCA starts first.
    """
    from ..api import _capture
    from ..pipeline import build_model

    if not isinstance(data, pd.DataFrame):
        raise SpecificationError("data must be a pandas DataFrame (one row per person)")
    items = check_binary_items(data, items, "GoM")
    if isinstance(classes, bool) or not isinstance(classes, (int, np.integer)) or classes < 2:
        raise SpecificationError(f"classes={classes!r}: give a whole number >= 2")
    K = int(classes)
    for arg, value in (("restricted", restricted), ("factor", factor)):
        if not isinstance(value, (bool, np.bool_)):
            raise SpecificationError(f"{arg}={value!r}: give True or False")
    if link not in _LINKS:
        raise SpecificationError(f"link={link!r}: use 'logit' or 'probit'")
    covs = _covariate_list(covariates, data)
    if weights is not None and (not isinstance(weights, str) or weights not in data.columns):
        raise SpecificationError(f"weights={weights!r} must be a column of the data")
    for reserved in (name, "person", "item", "y", "n", _CLASS_FACTOR, _ITEM_FACTOR):
        if reserved in items + covs:
            raise SpecificationError(f"{reserved!r} is used by the long form of the model; "
                                     "rename that column")
    keep = data[covs].notna().all(axis=1) if covs else pd.Series(True, index=data.index)
    if weights is not None:
        keep &= data[weights].notna()
    if not keep.all():
        warn_user(f"{int((~keep).sum())} of {len(data)} persons dropped: missing "
                  "covariates or weights", UserWarning)
    frame = data.loc[keep, items + covs].copy()
    frame[items] = frame[items].apply(pd.to_numeric, errors="coerce")
    counts = data.loc[keep, weights].astype(float) if weights else \
        pd.Series(1.0, index=frame.index)
    key = frame.astype(object).where(frame.notna(), "NA").astype(str).agg("|".join, axis=1)
    codes, uniq = pd.factorize(key)
    patterns = frame.groupby(codes, sort=False).first().reset_index(drop=True)
    patterns["n"] = np.bincount(codes, weights=counts.to_numpy(), minlength=len(uniq))
    patterns["person"] = np.arange(len(patterns))
    long = patterns.melt(id_vars=["person", "n"] + covs, value_vars=items, var_name="item",
                         value_name="y").dropna(subset=["y"])
    long["item"] = pd.Categorical(long["item"], categories=items)
    rhs = " + ".join(["1"] + covs)
    y_rhs = f"0 + C(item):{name}" + (f" + C(item):{_ITEM_FACTOR}" if factor else "")
    if restricted and K > 2:
        text = f"y ~ {y_rhs}\n{name} ~ {rhs}\n{_CLASS_FACTOR} =~ ({name} | person)"
    else:
        text = f"y ~ {y_rhs}\n{name} ~ {rhs} + (1 | person)"
    if factor:
        text += f"\n{_ITEM_FACTOR} =~ (y | person)"
    family = _LINKS[link]
    model = build_model(GradeOfMembership, text, long, classes={name: K}, family=family,
                        cluster_weights="n", context=_capture(None, 1), **kwargs)
    lca_text = " + ".join(items) + f" ~ {name}" + (f"\n{name} ~ {' + '.join(covs)}"
                                                    if covs else "")
    if factor:  # the nested model is the FMA (eq. 36-37), its factor on the same items
        lca_text += f"\n{_ITEM_FACTOR} =~ " + " + ".join(items)
    model.lca_model = build_model(MixtureModel, lca_text, patterns, classes={name: K},
                                  family=family, weights="n", context=_capture(None, 1))
    model.items, model.n_classes, model.class_name = items, K, name
    model.restricted, model.factor = bool(restricted and K > 2), bool(factor)
    model.patterns = patterns
    # the GoM is a model of persons (section 7): BIC's n is the persons, as for the
    # nested LCA, not the person-item rows of the long form
    model.nobs = float(patterns["n"].sum())
    model.df_resid = model.nobs - model.table.n_free
    model.person_pattern = pd.Series(codes, index=frame.index)
    return model
