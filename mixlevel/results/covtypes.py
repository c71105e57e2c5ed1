"""The covariance of the estimates: ML, MLR, MLF and cluster-robust, and boundary logits.

Four covariance types, each named in the summary with a one-line explanation
(:meth:`CovarianceMixin.cov_type_text`):

=========  ==================================================================
"ML"       inverse of the observed information ``-H`` (model-based; lme4's
           ``vcov``, MixedLM, Mplus ESTIMATOR=ML).  For normal models fitted
           exactly without class variables the fixed effects get
           ``(X'V^-1X)^-1`` as lme4 (:meth:`MixtureModel.ml_covariance`).
"MLR"      the sandwich ``H^-1 (sum_j s_j s_j') H^-1`` with the scores ``s_j``
           of the model's clusters (White 1980; the Mplus default).  Robust to
           a misspecified distribution of the outcomes and random effects.
"MLF"      the inverse outer product of the cluster scores,
           ``(sum_j s_j s_j')^-1`` (Mplus ESTIMATOR=MLF; poLCA's standard
           errors).
"cluster"  the sandwich with the scores summed within the groups of a
           grouping column that nests the model's clusters (statsmodels'
           ``cov_type="cluster"``), with statsmodels' small-sample factor
           ``G / (G - 1) * (N - 1) / (N - k)`` unless ``use_correction=False``.
=========  ==================================================================

Boundary logits.  An item of a latent class model whose probability in a
class runs to 0 or 1 has a logit that grows without bound (131.3, say) and a
meaningless standard error.  As Mplus does, such parameters (the intercepts
and thresholds of outcomes with no covariates and no random effects, with
``|logit| >= 15``) are treated as fixed at the boundary: they get no
standard error, and the covariance of the other parameters is computed with
them fixed (their rows and columns are left out of the information).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import SpecificationError
from ..estimation.covariance import outer_product

__all__ = ["CovarianceMixin", "COV_TYPES", "BOUNDARY_LOGIT", "check_cov_type"]

#: The covariance types by name.
COV_TYPES = ("MLR", "ML", "MLF", "cluster")
#: |logit| of an intercept or threshold beyond which it counts as on the boundary (Mplus).
BOUNDARY_LOGIT = 15.0
#: Cached tables whose standard errors depend on the covariance type.
SE_KEYS = ("prior_delta", "profiles", "proportions", "proportions_joint", "transition",
           "var_components", "prediction_se", "probabilities")


def check_cov_type(cov_type, cov_kwds=None):
    """The canonical name of ``cov_type`` and its options, or an error that says what to use."""
    name = str(cov_type)
    canon = {c.lower(): c for c in COV_TYPES}.get(name.lower())
    if canon is None:
        raise SpecificationError(
            f"cov_type={cov_type!r}: use 'MLR' (robust sandwich over the clusters, the "
            "default), 'ML' (inverse observed information, as lme4 and MixedLM), 'MLF' "
            "(outer product of the cluster scores) or 'cluster' with "
            "cov_kwds={'groups': column} (robust over a higher grouping level)")
    kwds = dict(cov_kwds or {})
    unknown = set(kwds) - {"groups", "use_correction"}
    if unknown:
        raise SpecificationError(f"cov_kwds: unknown option(s) {sorted(unknown)}; use "
                                 "'groups' and 'use_correction'")
    if canon == "cluster" and kwds.get("groups") is None:
        raise SpecificationError("cov_type='cluster' needs the grouping column: "
                                 "cov_kwds={'groups': 'column name'} (or an array with one "
                                 "value per row of the data)")
    if canon != "cluster" and kwds.get("groups") is not None:
        raise SpecificationError(f"cov_kwds={{'groups': ...}} applies to cov_type='cluster', "
                                 f"not {canon!r}")
    return canon, kwds


def _group_values(model, groups):
    """The grouping column's value for each row of the design (cluster-sorted order)."""
    d = model.design
    if d.index is None:
        raise RuntimeError("cluster-robust standard errors need the data, which "
                           "remove_data() removed; choose the covariance type before")
    if isinstance(groups, str):
        frame = None
        compiled = getattr(model, "formula", None)
        for cand in (getattr(compiled, "data", None), getattr(model.data, "frame", None)):
            if cand is not None and groups in cand.columns:
                frame = cand
                break
        if frame is None:
            raise SpecificationError(
                f"cov_kwds={{'groups': {groups!r}}}: no column {groups!r} in the model's data; "
                "pass its values instead, e.g. cov_kwds={'groups': df['" + groups + "']}")
        values = frame[groups]
    else:
        values = groups
    if isinstance(values, pd.Series):
        if not values.index.is_unique:
            raise SpecificationError("the groups Series has a repeated index; give an "
                                     "array with one value per row instead")
        pos = values.index.get_indexer(d.index)
        if (pos < 0).any():
            raise SpecificationError("the groups Series does not have a value for every "
                                     "row of the model (index labels are missing)")
        return values.to_numpy()[pos]
    arr = np.asarray(values)
    n_data = len(model.data.frame) if getattr(model.data, "frame", None) is not None else None
    if arr.shape[0] == d.n_rows and n_data in (None, d.n_rows):
        return arr[d.order]
    raise SpecificationError(
        f"groups has {arr.shape[0]} values but the model has {d.n_rows} rows; give a "
        "pandas Series indexed like the data (rows dropped for missing values are then "
        "matched by their index)")


def group_codes(model, groups):
    """Integer group of every cluster of ``model``; error when a cluster spans groups."""
    d = model.design
    values = _group_values(model, groups)
    if pd.isna(values).any():
        raise SpecificationError("the grouping column has missing values in rows of the model")
    codes, labels = pd.factorize(values, sort=True)
    first = codes[d.indptr[:-1]]
    if (np.repeat(first, np.diff(d.indptr)) != codes).any():
        name = groups if isinstance(groups, str) else "groups"
        raise SpecificationError(
            f"{name!r} varies within the model's clusters ({model.cluster!r}): cluster-robust "
            "standard errors need groups that nest the clusters (e.g. regions of schools); "
            "for the clusters themselves use cov_type='MLR'")
    if not np.allclose(d.cluster_weight, 1.0) and not d.single_level:
        raise SpecificationError("cov_type='cluster' with frequency weights of whole clusters "
                                 "is not supported: a weight merges clusters that may belong "
                                 "to different groups")
    if d.single_level and not np.allclose(d.cluster_weight, 1.0):
        raise SpecificationError("cov_type='cluster' with frequency weights is not supported: "
                                 "a weighted row stands for rows that may belong to different "
                                 "groups; expand the weights to rows")
    return first, len(labels)


class CovarianceMixin:
    """The covariance of the estimates, computed on first use, by covariance type."""

    # -- the information and the scores ----------------------------------------------------
    def _compute_information(self):
        if self.__dict__.get("_information") is None:
            model = self.model
            params = np.asarray(self.__dict__["params"], float)
            with model.criterion(self.__dict__.get("reml", False)):  # the fit's ML or REML
                H = model.hessian(params)
                scores = model.score_obs(params)
            keep = ~self._boundary_mask()  # boundary logits are held fixed
            ok = model._check_information(H, params, None if keep.all() else keep)
            self.__dict__["_information"] = {"hessian": H, "scores": scores, "ok": ok,
                                             "cov": {}}
        return self.__dict__["_information"]

    def _boundary_mask(self):
        """Free parameters treated as fixed on the boundary (see the module docstring)."""
        if "_boundary" not in self.__dict__:
            model = self.model
            spec, layout = model.spec, model.layout
            names = list(model.param_names)
            values = np.asarray(self.__dict__["params"], float)
            plain = set()
            for o in spec.outcomes:
                own = [t for t in spec.terms if t.target == o.name]
                if o.family.mean_scale == "probability" and not any(
                        t.column != "1" or t.latent is not None for t in own):
                    plain.add(o.name)
            info = layout.info_frame(names)
            mask = np.array([info.loc[n, "equation"] in plain and info.loc[n, "section"] ==
                             "outcome" and info.loc[n, "role"] in ("coefficient", "threshold")
                             and abs(v) >= BOUNDARY_LOGIT
                             for n, v in zip(names, values, strict=True)], bool)
            self.__dict__["_boundary"] = mask
        return self.__dict__["_boundary"]

    @property
    def boundary_params(self):
        """Names of the parameters treated as fixed on the boundary (|logit| >= 15)."""
        mask = self._boundary_mask()
        return [n for n, b in zip(self.model.param_names, mask, strict=True) if b]

    def _covariance(self, cov_type, kwds=None):
        """The covariance of type ``cov_type`` (NaN rows and columns at boundary logits)."""
        info = self._compute_information()
        key = (cov_type, None if cov_type != "cluster" else
               bool((kwds or {}).get("use_correction", True)))
        if key in info["cov"]:
            return info["cov"][key]
        H, S = info["hessian"], info["scores"]
        w = self.__dict__["_cluster_weight"]
        k = H.shape[0]
        keep = ~self._boundary_mask()
        Hr, Sr = H[np.ix_(keep, keep)], S[:, keep]
        inv = _inverse(-Hr)
        if cov_type == "ML":  # exact normal models: the fixed effects as lme4
            cov = self.model.ml_covariance(H, inv) if keep.all() else inv
        elif cov_type == "MLR":
            cov = inv @ outer_product(Sr, w) @ inv
        elif cov_type == "MLF":
            cov = _inverse(outer_product(Sr, w))
        else:
            codes, n_groups = self.__dict__["_cov_groups"]
            G = np.zeros((n_groups, Sr.shape[1]))
            np.add.at(G, codes, Sr)
            cov = inv @ (G.T @ G) @ inv
            if key[1]:
                n, p = self.nobs, k
                cov = cov * n_groups / (n_groups - 1.0) * (n - 1.0) / (n - p)
        full = np.full((k, k), np.nan)
        full[np.ix_(keep, keep)] = 0.5 * (cov + cov.T)
        info["cov"][key] = full
        return full

    @property
    def normalized_cov_params(self):
        """The covariance of the estimates of :attr:`cov_type`; computed on first use."""
        return self._covariance(self.cov_type, self.cov_kwds)

    @normalized_cov_params.setter
    def normalized_cov_params(self, value):
        if value is not None:  # statsmodels' constructor passes None
            self.__dict__["_information"] = {"hessian": None, "scores": None, "ok": True,
                                             "cov": {(c, None): value for c in COV_TYPES}}

    def _delta_cov(self):
        """The covariance for the delta method: a boundary logit's variance is 0 (fixed)."""
        return np.nan_to_num(np.asarray(self.cov_params(), float), nan=0.0)

    @property
    def cov_params_ml(self):
        """Inverse observed information (ML standard errors)."""
        return self._covariance("ML")

    @property
    def cov_params_mlr(self):
        """Sandwich with per-cluster scores (MLR standard errors, White 1980)."""
        return self._covariance("MLR")

    @property
    def cov_params_mlf(self):
        """Inverse outer product of the cluster scores (MLF standard errors)."""
        return self._covariance("MLF")

    @property
    def hessian_ok(self):
        """False when the information matrix is singular or not positive definite."""
        return self._compute_information()["ok"]

    # -- choosing the covariance type ------------------------------------------------------
    def _set_cov_type(self, cov_type, cov_kwds=None):
        canon, kwds = check_cov_type(cov_type, cov_kwds)
        if canon == "cluster":
            kwds.setdefault("use_correction", True)
            groups = kwds["groups"]
            self.__dict__["_cov_groups"] = group_codes(self.model, groups)
            kwds["groups"] = groups if isinstance(groups, str) else "(array)"
        self.cov_type = canon
        self.cov_kwds = kwds

    def with_cov_type(self, cov_type, cov_kwds=None):
        """The same fit with another covariance of the estimates.

        Parameters
        ----------
        cov_type : {"MLR", "ML", "MLF", "cluster"}
            See :mod:`mixlevel.results.covtypes`.
        cov_kwds : dict, optional
            For "cluster": ``{"groups": column name or values, "use_correction":
            True}``.

        Returns
        -------
        MixtureResultsWrapper
            A copy sharing the estimates and the information matrix; standard
            errors, tests and delta-method tables use the new covariance.
        """
        import copy

        from .results import MixtureResultsWrapper

        new = copy.copy(self)
        new.__dict__["_cache"] = {}
        store = dict(self.__dict__.get("_store", {}))
        for key in list(store):
            head = key[0] if isinstance(key, tuple) else key
            if head in SE_KEYS:
                store.pop(key)
        new.__dict__["_store"] = store
        new._set_cov_type(cov_type, cov_kwds)
        return MixtureResultsWrapper(new)

    def cov_type_text(self):
        """One sentence: which covariance the standard errors use, and how it compares."""
        model = self.model
        J = int(round(self.n_clusters))
        units = (f"the {J} clusters of {model.cluster!r}" if model.cluster is not None
                 and not self._meta["single_level"] else f"the {J} rows")
        if self.cov_type == "ML":
            text = ("Standard errors: ML, the inverse of the observed information "
                    "(model-based, as lme4, MixedLM and Mplus ESTIMATOR=ML)")
            if model.engine.exact is not None and not model.spec.classes:
                text += "; the fixed effects get (X'V^-1X)^-1 as lme4"
        elif self.cov_type == "MLR":
            text = (f"Standard errors: MLR, the sandwich with the scores of {units} (robust, "
                    "the Mplus default); lme4 and MixedLM report model-based standard errors, "
                    "fit(cov_type='ML') gives those")
        elif self.cov_type == "MLF":
            text = (f"Standard errors: MLF, the inverse outer product of the scores of {units} "
                    "(Mplus ESTIMATOR=MLF; poLCA's standard errors)")
        else:
            codes, n_groups = self.__dict__["_cov_groups"]
            corr = " with the G/(G-1) (N-1)/(N-k) correction" if self.cov_kwds.get(
                "use_correction", True) else ""
            text = (f"Standard errors: cluster-robust sandwich over the {n_groups} groups of "
                    f"{self.cov_kwds.get('groups')!s}{corr} (statsmodels cov_type='cluster')")
        boundary = self.boundary_params
        if boundary:
            shown = ", ".join(boundary[:6]) + (", ..." if len(boundary) > 6 else "")
            text += (f".  {len(boundary)} logit(s) ran to the boundary (|logit| >= 15: a "
                     f"probability of 0 or 1 within a class) and are treated as fixed there, "
                     f"without standard errors, as Mplus does: {shown}")
        return text + "."


def _inverse(A):
    try:
        return np.linalg.inv(A)
    except np.linalg.LinAlgError:
        return np.linalg.pinv(A)
