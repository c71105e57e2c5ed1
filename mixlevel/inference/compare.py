"""Comparing fitted models: information criteria and likelihood ratio tests.

>>> table = mixlevel.compare(res_1class, res_2class, res_3class)   # doctest: +SKIP

The likelihood ratio test needs nested models fitted to the same data.  Two
standard reference distributions fail here, and the table says so instead
of printing a misleading p-value:

* different numbers of classes: the smaller model sits on the boundary of the
  larger one (a class proportion of zero) and its parameters are not
  identified there, so ``2 * dLL`` is not chi-square (McLachlan & Peel 2000,
  sec. 6.4); use a bootstrap LRT.  The p-value is left missing.
* a random-effect variance tested at zero: the null value is on the boundary
  of the parameter space, so the chi-square p-value is conservative.  When
  the larger model adds exactly one random effect (its variance and its
  covariances with q others), ``pvalue_boundary`` gives the 50:50 mixture of
  chi-square(q) and chi-square(q + 1) (Self & Liang 1987; Stram & Lee 1994).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from ..errors import EstimationWarning
from ..utils.warn import warn_user

__all__ = ["compare", "lrt"]


def _unwrap(res):
    return getattr(res, "_results", res)


def _class_structure(res):
    return tuple((c.name, c.n_classes, c.level) for c in res.model.spec.classes)


def _kinds(res):
    tab = res.model.table
    out = {}
    for gi in tab.free_groups:
        g = tab.groups[gi]
        for n in g.names:
            out[n] = g.kind
    return out


def _same_data(a, b):
    return (a.nobs == b.nobs and a.n_clusters == b.n_clusters
            and list(a.model.spec.outcome_names) == list(b.model.spec.outcome_names))


def _fit_warnings(r, f):
    """Reasons not to trust a likelihood ratio: a full model below the restricted one,
    a best log-likelihood that only one final-stage start reached."""
    notes = []
    if r.llf > f.llf + 1e-6 * (1 + abs(f.llf)):
        notes.append(f"the restricted model's log-likelihood exceeds the full model's by "
                     f"{r.llf - f.llf:.4g}: the full fit is not at its maximum (a local "
                     "maximum or a stopped fit); refit it with more starts or from the "
                     "restricted estimates")
    for label, res in (("restricted", r), ("full", f)):
        st = res.start_table
        n_final = int((st["stage"] == "final").sum()) if "stage" in getattr(
            st, "columns", ()) else len(st)
        if n_final > 1 and res.best_loglike_replicated == 1:
            notes.append(f"the {label} model's best log-likelihood was reached by only one "
                         f"of {n_final} final-stage starts: it may be a local maximum; refit "
                         "with more starts")
    for n in notes:
        warn_user(n, EstimationWarning)
    return notes


def _reml_mismatch(a, b):
    """REML fits are comparable only with REML fits of the same fixed effects."""
    reml = (bool(getattr(a, "reml", False)), bool(getattr(b, "reml", False)))
    if not any(reml):
        return False
    if not all(reml):
        return True
    fixed = [{res.model.param_names[k] for k in res.model.engine.exact.mean_free}
             for res in (a, b)]
    return fixed[0] != fixed[1]


def lrt(restricted, full):
    """Likelihood ratio test of a restricted model against a larger one.

    Parameters
    ----------
    restricted, full : MixtureResults
        The restricted model must be nested in ``full`` (its free parameter
        names a subset of ``full``'s: fixed or equal parameters, dropped
        terms) and fitted to the same data.

    Returns
    -------
    pandas.Series
        ``lr`` (2 x difference in log-likelihood), ``df``, ``pvalue`` (chi-square;
        missing when it does not apply), ``pvalue_boundary`` (mixture
        chi-square when one random effect is tested, else missing) and
        ``note``.

    Warns
    -----
    EstimationWarning
        When the restricted model's log-likelihood exceeds the full one's (the
        full fit missed its maximum), or when either fit's best log-likelihood
        was reached by only one of its final-stage random starts; the reasons
        are added to ``note`` too.
    """
    r, f = _unwrap(restricted), _unwrap(full)
    out = {"lr": np.nan, "df": np.nan, "pvalue": np.nan, "pvalue_boundary": np.nan,
           "note": ""}
    if not _same_data(r, f):
        out["note"] = "not comparable: different data or outcomes"
        return pd.Series(out, dtype=object)
    doubts = _fit_warnings(r, f)
    series = _lrt(r, f, out)
    if doubts:
        series["note"] = "; ".join(n for n in [series["note"], *doubts] if n)
    return series


def _lrt(r, f, out):
    names_r, names_f = set(r.model.param_names), set(f.model.param_names)
    if _reml_mismatch(r, f):
        out["note"] = ("not comparable: REML criteria of models with different fixed effects "
                       "(or a REML against an ML fit); refit both with fit(reml=False)")
        return pd.Series(out, dtype=object)
    if _class_structure(r) != _class_structure(f):
        out["lr"] = 2 * (f.llf - r.llf)
        out["df"] = len(names_f) - len(names_r)
        out["note"] = ("different numbers of classes: the chi-square reference does not "
                       "apply; use a bootstrap LRT")
        return pd.Series(out, dtype=object)
    if not names_r < names_f:
        out["note"] = "not nested (the parameters are not a subset)"
        return pd.Series(out, dtype=object)
    lr = 2 * (f.llf - r.llf)
    df = len(names_f) - len(names_r)
    out["lr"], out["df"] = lr, df
    out["pvalue"] = float(stats.chi2.sf(max(lr, 0.0), df))
    kinds = _kinds(f)
    extra = names_f - names_r
    variances = [n for n in extra if kinds.get(n) == "covariance" and n.startswith("Var(")]
    if variances:
        notes = ["a variance is tested on its boundary (0): the chi-square p-value is "
                 "conservative"]
        others = extra - set(variances)
        effect = variances[0][len("Var("):].split(")")[0]
        own_covs = [n for n in others if kinds.get(n) == "covariance"
                    and effect in n[len("Cov("):].split(")")[0].split(",")]
        if len(variances) == 1 and len(own_covs) == len(others):
            q = len(others)
            p_q = stats.chi2.sf(lr, q) if q > 0 else float(lr <= 0)
            out["pvalue_boundary"] = float(0.5 * p_q + 0.5 * stats.chi2.sf(max(lr, 0.0), q + 1))
            notes.append(f"pvalue_boundary: 50:50 mixture of chi-square({q}) and "
                         f"chi-square({q + 1}) (Self & Liang 1987; Stram & Lee 1994)")
        out["note"] = "; ".join(notes)
    return pd.Series(out, dtype=object)


def compare(*results, names=None):
    """Fit statistics of several models side by side, with sequential LRTs.

    Parameters
    ----------
    *results : MixtureResults
        Fitted models, in the order to compare them (as R's ``anova``): each
        model after the first is tested against the one before it when one
        is nested in the other (see :func:`lrt` for when the test applies).
    names : list of str, optional
        Row labels (default "model 1", "model 2", ...).

    Returns
    -------
    pandas.DataFrame
        One row per model: loglike, n_params, aic, bic, abic, entropy,
        classes, replicated (starts reaching the best LL), then lr, df, pvalue,
        pvalue_boundary and note of the test against the previous model.
    """
    if not results:
        raise ValueError("give at least one fitted model")
    res = [_unwrap(r) for r in results]
    names = list(names) if names is not None else [f"model {k + 1}" for k in range(len(res))]
    if len(names) != len(res):
        raise ValueError("names must have one entry per model")
    rows = []
    for k, r in enumerate(res):
        row = {"loglike": r.llf, "n_params": r.k_params, "aic": r.aic, "bic": r.bic,
               "abic": r.abic, "entropy": r.entropy,
               "classes": ", ".join(f"{c.name}:{c.n_classes}" for c in r.model.spec.classes)
               or "-",
               "replicated": r.best_loglike_replicated,
               "lr": np.nan, "df": np.nan, "pvalue": np.nan, "pvalue_boundary": np.nan,
               "note": ""}
        if k > 0:
            prev = res[k - 1]
            small, big = (prev, r) if prev.k_params <= r.k_params else (r, prev)
            test = lrt(small, big)
            for key in ("lr", "df", "pvalue", "pvalue_boundary", "note"):
                row[key] = test[key]
        rows.append(row)
    frame = pd.DataFrame(rows, index=pd.Index(names, name="model"))
    for c in ("loglike", "aic", "bic", "abic", "entropy", "lr", "df", "pvalue",
              "pvalue_boundary"):
        frame[c] = pd.to_numeric(frame[c], errors="coerce")
    return frame
