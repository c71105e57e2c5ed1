"""Derived quantities with delta-method standard errors, and the class-level LRT.

* :func:`icc` -- the intraclass correlation of a within-between class
  variable (paper eq. 20): ``ICC = Var(alpha) / (Var(alpha) + pi^2 / 3)``,
  the share of the variance of the latent logit that lies between clusters.
  0 is a within class variable, 1 a between class variable (Table 4).
* :func:`r_squared` -- the share of the variance of a class variable's latent
  logit explained by another class variable (eq. 14).
* :func:`lrt_class_level` -- the likelihood ratio test of a between class
  variable (Model 5) against the same class variable as within-between
  (Model 6).  Model 5 is Model 6 at ``Var(alpha) = infinity`` (ICC = 1,
  eq. 21): the tested value sits on the boundary, so the chi-square reference
  is only approximate, and the output says so.  Other pairs of nested
  models go to :func:`mixlevel.compare.lrt`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from .compare import lrt as _lrt

__all__ = ["icc", "r_squared", "lrt_class_level", "random_logit_variances"]

LOGISTIC_VARIANCE = np.pi ** 2 / 3


def _unwrap(res):
    return getattr(res, "_results", res)


def random_logit_variances(res):
    """Variances of the random class-logit intercepts: ``[(variable, logit, name)]``.

    ``name`` is the variance's parameter name (one per between class when the
    covariance is class-specific).
    """
    r = _unwrap(res)
    spec = r.model.spec
    names = list(r.model.param_names)
    out = []
    for t in spec.terms:
        if t.target not in spec.class_names or t.latent is None:
            continue
        blk, _ = spec.effect_block(t.latent)
        if blk.covariance != "free":
            continue
        logit = (t.category or 0) + 1
        for n in names:
            if n == f"Var({t.latent})" or n.startswith(f"Var({t.latent})["):
                item = (t.target, logit, n)
                if item not in out:
                    out.append(item)
    return out


def icc(res, variable=None, alpha=0.05):
    """ICC of within-between class variables (eq. 20), with delta-method inference.

    Parameters
    ----------
    res : MixtureResults
        A model with random class-logit intercepts (``c ~ 1 + (1 | school)``).
    variable : str, optional
        One class variable (default: all with random logit intercepts).
    alpha : float
        Level of the confidence interval.

    Returns
    -------
    pandas.DataFrame
        One row per random logit intercept: ``variance`` (Var(alpha) and its
        ``variance_se``), ``icc``, ``se`` (delta method), ``lower``,
        ``upper`` and ``note``.  The interval is computed on the log-odds
        scale, ``log(Var(alpha) / (pi^2/3))``, and transformed back, so it
        stays inside (0, 1); near 1 the delta method is only an
        approximation (the paper, sec. 5: the ICC is then near its boundary),
        which ``note`` says.

    Examples
    --------
    >>> icc(res6)      # doctest: +SKIP
                           variable  logit  variance  ...   icc     se  lower  upper
    Var(c#1|school)           c      1     609.0      ... 0.995  ...
    """
    r = _unwrap(res)
    items = random_logit_variances(r)
    if variable is not None:
        items = [it for it in items if it[0] == variable]
    if not items:
        raise ValueError(
            "the model has no random class-logit intercepts"
            + (f" for {variable!r}" if variable else "")
            + "; a within-between class variable needs a statement such as "
              "'c ~ 1 + (1 | cluster)'")
    names = [n for _, _, n in items]
    v = r.delta_method(lambda p: np.array([p[n] for n in names]), names=names, alpha=alpha)
    i_frame = r.delta_method(
        lambda p: np.array([p[n] / (p[n] + LOGISTIC_VARIANCE) for n in names]),
        names=names, alpha=alpha)
    lo_frame = r.delta_method(
        lambda p: np.array([np.log(max(p[n], 1e-300) / LOGISTIC_VARIANCE) for n in names]),
        names=names, alpha=alpha)
    q = stats.norm.ppf(1 - alpha / 2)
    rows = []
    for (var, logit, n) in items:
        lo = lo_frame.loc[n]
        value = float(i_frame.loc[n, "estimate"])
        note = ""
        if value > 0.8:
            note = ("ICC near 1: the class variable behaves as a between variable (Table 4); "
                    "delta-method inference near the boundary is approximate")
        elif value < 0.05:
            note = ("ICC near 0: the class variable behaves as a within variable; "
                    "delta-method inference near the boundary is approximate")
        rows.append({"variable": var, "logit": logit,
                     "variance": float(v.loc[n, "estimate"]),
                     "variance_se": float(v.loc[n, "se"]),
                     "icc": value, "se": float(i_frame.loc[n, "se"]),
                     "lower": float(1 / (1 + np.exp(-(lo["estimate"] - q * lo["se"])))),
                     "upper": float(1 / (1 + np.exp(-(lo["estimate"] + q * lo["se"])))),
                     "note": note})
    frame = pd.DataFrame(rows, index=pd.Index(names, name="parameter"))
    return frame


def r_squared(res, target, source, alpha=0.05):
    """R^2 of a two-class variable ``source`` as predictor of ``target`` (eq. 14).

    ``R^2 = g^2 p (1 - p) / (g^2 p (1 - p) + pi^2 / 3)`` with ``g`` the effect
    of ``source`` = 1 (vs. its last class) on the first logit of ``target``
    and ``p`` the model-implied proportion of ``source`` = 1.

    Parameters
    ----------
    res : MixtureResults
        A model with ``target ~ source`` (two classes each, e.g. the LTA's
        ``c2 ~ c1``).
    target, source : str
        Class variable names.

    Returns
    -------
    pandas.DataFrame
        One row: estimate, se, z, pvalue, lower, upper (delta method).
    """
    r = _unwrap(res)
    spec = r.model.spec
    for name in (target, source):
        if spec.class_var(name).n_classes != 2:
            raise ValueError(f"eq. 14 needs two classes; {name!r} has "
                             f"{spec.class_var(name).n_classes}")
    names = list(r.model.param_names)
    a1, a2 = f"{target}#1~1[{source}=1]", f"{target}#1~1[{source}=2]"
    if a1 in names and a2 in names:
        def gamma(p):
            return p[a1] - p[a2]
    else:
        cand = [n for n in names if n.startswith(f"{target}#1~") and f"{source}" in n]
        if len(cand) != 1:
            raise ValueError(f"cannot find the effect of {source!r} on {target!r} among "
                             f"the parameters; the model needs '{target} ~ {source}'")
        eff = cand[0]

        def gamma(p):
            return p[eff]
    order = r._class_order
    pos = 0
    for n in order:
        if n == source:
            break
        pos += spec.class_var(n).n_classes
    tab = r.model.table

    def func(p):
        w = tab.free_working_from_natural(np.asarray(p, float))
        prop = r._prior_eval(w, "classes")["marginal"][pos]
        g2 = gamma(p) ** 2 * prop * (1 - prop)
        return g2 / (g2 + LOGISTIC_VARIANCE)

    return r.delta_method(func, names=[f"R2({target}|{source})"], alpha=alpha)


def lrt_class_level(restricted, full):
    """LRT of a between class variable against it as within-between (Model 5 in 6).

    Parameters
    ----------
    restricted : MixtureResults
        The model with the between class variable (Model 5).
    full : MixtureResults
        The same model with that class variable within and random logit
        intercepts (Model 6).  Any other pair of nested models is passed to
        :func:`mixlevel.compare.lrt`.

    Returns
    -------
    pandas.Series
        ``lr``, ``df``, ``pvalue`` (chi-square with df = the number of
        random-logit variance parameters), ``pvalue_boundary`` (left missing:
        no standard reference applies) and ``note``.

    Notes
    -----
    Model 5 is the limit of Model 6 as Var(alpha) grows without bound (eq.
    21): the restriction puts the variance at infinity (ICC = 1), on the
    boundary of the parameter space, so ``2 dLL`` does not follow the
    chi-square distribution (the paper, sec. 5) and the p-value is a rough
    guide only.  Use :func:`icc` and its interval as well, or a parametric
    bootstrap of the LRT (:func:`mixlevel.montecarlo.montecarlo` on the
    fitted Model 5 with ``extract``).
    """
    r, f = _unwrap(restricted), _unwrap(full)
    cr = {c.name: c for c in r.model.spec.classes}
    cf = {c.name: c for c in f.model.spec.classes}
    switched = [n for n in cr if n in cf and cr[n].level == "between"
                and cf[n].level == "within" and cr[n].n_classes == cf[n].n_classes]
    same_rest = set(cr) == set(cf) and all(
        (cr[n].level, cr[n].n_classes) == (cf[n].level, cf[n].n_classes)
        for n in cr if n not in switched)
    if not switched or not same_rest:
        return _lrt(restricted, full)
    out = {"lr": np.nan, "df": np.nan, "pvalue": np.nan, "pvalue_boundary": np.nan,
           "note": ""}
    if not (r.nobs == f.nobs and r.n_clusters == f.n_clusters and
            list(r.model.spec.outcome_names) == list(f.model.spec.outcome_names)):
        out["note"] = "not comparable: different data or outcomes"
        return pd.Series(out, dtype=object)
    names_r, names_f = set(r.model.param_names), set(f.model.param_names)
    extra = names_f - names_r
    variances = {n for v, _, n in random_logit_variances(f) if v in switched}
    if not names_r < names_f or not extra <= variances | {
            n for n in extra if n.startswith("Cov(")}:
        out["note"] = ("not nested: the within-between model must add only the random "
                       "logit intercepts of the class variable that is between in the "
                       "restricted model")
        return pd.Series(out, dtype=object)
    lr = 2 * (f.llf - r.llf)
    df = len(extra)
    out["lr"], out["df"] = lr, df
    out["pvalue"] = float(stats.chi2.sf(max(lr, 0.0), df))
    which = ", ".join(sorted(extra))
    out["note"] = (f"{', '.join(switched)}: between (restricted) vs within-between (full); "
                   f"the restricted model is the full one at {which} = infinity (ICC = 1), "
                   "on the boundary of the parameter space, so the chi-square p-value is "
                   "approximate only (paper sec. 5); see icc() or a bootstrap LRT")
    if lr < 0:
        est = dict(zip(f.model.param_names, np.asarray(f.params, float), strict=True))
        big = {n: est[n] for n in sorted(extra & variances) if est[n] > 1e4}
        if big:  # ICC above 0.9997: the full fit is walking toward the restricted model
            vals = ", ".join(f"{n} = {v:.3g}" for n, v in big.items())
            out["note"] += (f"; the full model's log-likelihood is {-lr / 2:.3g} below the "
                            f"restricted one's because its variance ran toward infinity "
                            f"({vals}): its likelihood rises toward the restricted model's "
                            "as the variance grows, and the optimiser stopped short of that "
                            "limit; the data favour the restricted (between) model")
        else:
            out["note"] += (f"; the full model's log-likelihood is {-lr / 2:.3g} below the "
                            "restricted one's: numerical integration error in the full "
                            "model or a local maximum")
    return pd.Series(out, dtype=object)
