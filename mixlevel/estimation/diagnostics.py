"""What is degenerate about a fit: a singular information matrix explained, identical
classes, variances on their boundary.

The model and results call these after a fit; each returns plain sentences
(for a warning or the summary's notes) that name the parameters, items,
covariates and classes concerned.  Magnitudes are judged in the parameters'
own units (:mod:`.scales`), so the verdicts do not depend on the units of the
data.
"""

from __future__ import annotations

import re

import numpy as np

from .covariance import information_is_regular
from .scales import column_sd, parameter_scales

__all__ = ["information_is_singular", "explain_singular_information",
           "singular_information_message", "fit_problems", "identical_classes",
           "boundary_variances", "collapsed_classes", "LOGIT_EDGE",
           "CLASS_TOL", "COLLAPSE_TOL"]

#: |logit| (or |coefficient x sd(covariate)| on a logit scale) beyond which a
#: probability counts as 0 or 1 (expit(-10) = 4.5e-5).
LOGIT_EDGE = 10.0
#: Two classes are identical when every class-specific parameter agrees within this
#: fraction of its unit.
CLASS_TOL = 1e-3
#: A variance is on its boundary below this fraction of its unit.
BOUNDARY_TOL = 1e-4
#: A class-specific residual variance below this fraction of the outcome's variance
#: means the class has collapsed onto a few observations.
COLLAPSE_TOL = 1e-3
_LOGIT_FAMILIES = ("binary", "binomial", "ordinal", "nominal")


def _memo(model, key, compute):
    """``compute()`` once per model and key: the verdicts outlive the model's data
    (``res.remove_data()`` keeps the summary's notes)."""
    memo = model.__dict__.setdefault("_diagnostics", {})
    if key not in memo:
        memo[key] = compute()
    return memo[key]


def _has_data(model):
    return model.design.y is not None


def _units(model):
    """Natural-scale units of all (full) parameters of ``model``."""
    return _memo(model, "units", lambda: parameter_scales(model.layout, model.design)[0])


def _full(model, params):
    return model.table.expand_natural(np.asarray(params, float))


def _family(model, name):
    spec = model.spec
    if name not in spec.outcome_names:
        return None
    return spec.outcomes[spec.outcome_names.index(name)].family.name


def information_is_singular(model, H, keep=None):
    """True when the observed information -H is singular or not positive definite.

    Judged on the information in the parameters' units, so that the
    verdict does not depend on the units of the data.  ``keep`` (a boolean
    mask of the free parameters) judges only those, the others held fixed.
    """
    units = _units(model)[model.table.free_index]
    if keep is not None:
        if _too_few_patterns(model):  # not identified, whatever is held fixed
            return True
        keep = np.asarray(keep, bool)
        H, units = np.asarray(H)[np.ix_(keep, keep)], units[keep]
    return not information_is_regular(H, units)


# ------------------------------------------------------------------------------------------
# singular information
# ------------------------------------------------------------------------------------------
def explain_singular_information(model, params, H):
    """Sentences saying why the information matrix ``-H`` at ``params`` is singular.

    Checks, in order: identical classes, items with a probability of 0 or 1
    in a class, complete separation by a covariate, more free parameters than
    distinct response patterns, collinear covariates, variances on their
    boundary; and always names the parameters that carry the direction of the
    smallest eigenvalue of the information (in the parameters' units).
    """
    out = identical_classes(model, params)
    out += _extreme_items(model, params)
    out += _separation(model, params)
    out += _too_few_patterns(model)
    out += _collinear(model)
    out += [f"{n} is on its boundary (0)" for n in boundary_variances(model, params)]
    out += _null_direction(model, H)
    return out


def singular_information_message(model, params, H):
    """One message: the information is singular, why, and what it means."""
    if params is None:
        why = []
    else:
        key = ("singular", np.asarray(params, float).tobytes())
        why = _memo(model, key, lambda: explain_singular_information(model, params, H))
    return ("the information matrix is singular or not positive definite, so standard errors "
            "are unreliable" + (": " + "; ".join(why) if why else
                                " (a parameter may be on its boundary or not identified)"))


def _extreme_items(model, params):
    """Intercept-only logit items whose probability in a class is 0 or 1."""
    layout, full = model.layout, _full(model, params)
    out = []
    for o in model.spec.outcomes:
        if o.family.name not in ("binary", "binomial"):
            continue
        own = [t for t in model.spec.terms if t.target == o.name]
        if any(t.column != "1" or t.latent is not None for t in own):
            continue
        for i in layout.select(equation=o.name, role="coefficient"):
            v = full[i]
            if abs(v) >= LOGIT_EDGE:
                where = "in every class" if not layout.info[i].classes else \
                    f"in class {layout.info[i].class_label}"
                out.append(f"the item {o.name!r} has probability {int(v > 0)} {where} "
                           f"({layout.names[i]} = {v:.3g})")
    return out


def _separation(model, params):
    """Covariates that predict a logit outcome perfectly (complete separation)."""
    layout, design, full = model.layout, model.design, _full(model, params)
    found = {}
    for i, inf in enumerate(layout.info):
        if inf.section != "outcome" or inf.role != "coefficient" or inf.column in (None, "1"):
            continue
        if _family(model, inf.equation) not in _LOGIT_FAMILIES:
            continue
        if model.table.fixed[layout.group_of(i)]:
            continue  # a fixed coefficient is the user's choice, not an estimate
        if abs(full[i]) * column_sd(design, inf.column) >= LOGIT_EDGE:
            found.setdefault((inf.equation, inf.column), layout.names[i])
    spec = model.spec
    for p, o in enumerate(spec.outcomes if _has_data(model) else ()):
        # univariate (quasi-)separation in the data
        if o.family.name != "binary":
            continue
        y = design.y[:, p]
        obs = ~np.isnan(y)
        for t in spec.terms:
            if t.target != o.name or t.latent is not None or t.column == "1":
                continue
            x = design.columns[t.column][obs]
            x1, x0 = x[y[obs] == 1], x[y[obs] == 0]
            if len(x1) and len(x0) and (x1.min() >= x0.max() or x1.max() <= x0.min()) \
                    and np.ptp(x) > 0:
                found.setdefault((o.name, t.column), None)
    out = []
    for (outcome, column), name in found.items():
        cell = _class_cell(model, name, column, full[layout.index[name]]) if name else None
        if cell is not None:
            out.append(cell)
            continue
        detail = f" ({name} = {full[layout.index[name]]:.3g})" if name else ""
        out.append(f"complete separation: the covariate {column!r} predicts {outcome!r} "
                   f"perfectly{detail}, so its coefficient has no finite estimate; drop or "
                   "coarsen it")
    return out


_DUMMY = re.compile(r"^C\((?P<var>[^()]+)\)\[(?:T\.)?(?P<level>.+)\]$")


def _class_cell(model, name, column, value):
    """In the user's terms, a class-specific coefficient of a 0/1 indicator column (an item
    dummy of a long-form GoM, eq. 31-32) at the logit edge: the item's probability in that
    class is 0 or 1, a boundary estimate, not a covariate to drop.  None otherwise."""
    layout, design = model.layout, model.design
    inf = layout.info[layout.index[name]]
    if not inf.classes or not _has_data(model):
        return None
    x = design.columns.get(column)
    if x is None or not np.isin(x, (0.0, 1.0)).all():
        return None
    m = _DUMMY.match(str(column).split("@")[0])
    where = f"{m['var']} {m['level']!r}" if m else f"the rows with {column!r} = 1"
    prob = "1" if value > 0 else "0"
    cls = ", ".join(f"{k}={v + 1}" for k, v in inf.classes)
    return (f"the probability of {inf.equation!r} = 1 for {where} is {prob} in class {cls} "
            f"({name} = {value:.3g} on the logit scale): a boundary estimate (that class "
            f"{'always' if value > 0 else 'never'} gives the response), so its logit has no "
            "finite value or standard error; the other estimates and the log-likelihood are "
            "fine (fix it with fix={" + repr(name) + f": {'15' if value > 0 else '-15'}}} "
            "to report standard errors, or use fewer classes)")


def _too_few_patterns(model):
    """More free parameters than the distinct response patterns can identify (LCA)."""
    spec, design = model.spec, model.design
    if not _has_data(model) or not design.single_level or spec.columns() or spec.blocks:
        return []
    if any(o.family.name not in ("binary", "ordinal", "nominal") for o in spec.outcomes):
        return []
    y = np.where(np.isnan(design.y), -1.0, design.y)
    m = len(np.unique(y, axis=0))
    k = model.table.n_free
    if k <= m - 1:
        return []
    return [f"the model has {k} free parameters but the data have only {m} distinct "
            f"response patterns ({m - 1} degrees of freedom), so it is not identified; use "
            "fewer classes or more items"]


def _collinear(model, rcond=1e-8):
    """Sets of collinear design columns within one equation."""
    spec, design = model.spec, model.design
    if not _has_data(model):
        return []
    out = []
    targets = list(dict.fromkeys(t.target for t in spec.terms if t.latent is None))
    for target in targets:
        cols = list(dict.fromkeys(t.column for t in spec.terms
                                  if t.target == target and t.latent is None))
        if len(cols) < 2:
            continue
        rows = np.ones(design.n_rows, bool)
        if target in spec.outcome_names:
            rows = ~np.isnan(design.y[:, spec.outcome_names.index(target)])
        X = np.column_stack([design.columns[c][rows] for c in cols])
        norms = np.linalg.norm(X, axis=0)
        if not len(X) or (norms == 0).any():
            zero = [c for c, nv in zip(cols, norms, strict=True) if nv == 0]
            if zero:
                out.append(f"the covariate(s) {', '.join(map(repr, zero))} of {target!r} are "
                           "0 in every row; drop them")
            continue
        _, sv, vt = np.linalg.svd(X / norms, full_matrices=False)
        if sv[-1] > rcond * sv[0]:
            continue
        v = vt[-1]
        names = [("the intercept" if c == "1" else repr(c)) for c, w in
                 zip(cols, v, strict=True) if abs(w) > 0.05]
        out.append(f"the covariates of {target!r} are collinear: {', '.join(names)} (a "
                   "combination of them is constant); drop one of them")
    return out


def _null_direction(model, H, top=6):
    """The parameters with weight in the eigenvector of the smallest eigenvalue."""
    units = _units(model)[model.table.free_index]
    info = -0.5 * (H + H.T) * units[:, None] * units[None, :]
    if not len(info) or not np.all(np.isfinite(info)):
        return ["the information matrix has non-finite entries (a parameter may be at "
                "infinity)"]
    ev, V = np.linalg.eigh(info)
    v = V[:, 0]
    order = np.argsort(-np.abs(v))
    names = model.param_names
    picked = [names[k] for k in order[:top] if abs(v[k]) >= 0.2] or [names[order[0]]]
    return [f"the information is smallest (eigenvalue {ev[0]:.3g} against {ev[-1]:.3g}) in "
            f"the direction of {', '.join(picked)}: these parameters are not identified "
            "from the data separately"]


# ------------------------------------------------------------------------------------------
# classes and boundaries
# ------------------------------------------------------------------------------------------
def fit_problems(model, params):
    """Sentences on what makes a converged fit unusable: identical classes, collapsed
    classes, separation.

    For a warning at the end of the fit and the summary's notes.
    """
    key = ("fit", np.asarray(params, float).tobytes())
    return _memo(model, key, lambda: identical_classes(model, params)
                 + collapsed_classes(model, params) + _separation(model, params))


def identical_classes(model, params, tol=CLASS_TOL):
    """Sentences naming pairs of classes whose class-specific parameters are all equal.

    Two classes k, l of a class variable are identical when every parameter
    specific to class k equals its counterpart of class l within ``tol`` of
    its unit: a symmetric saddle point, or more classes than the data hold.
    """
    layout, full = model.layout, _full(model, params)
    units = _units(model)
    out = []
    for cv in model.spec.classes:
        by_class = {}
        for i, inf in enumerate(layout.info):
            own = dict(inf.classes)
            if cv.name in own:
                key = (inf.label, tuple((k, v) for k, v in inf.classes if k != cv.name))
                by_class.setdefault(own[cv.name], {})[key] = i
        for a in range(cv.n_classes):
            for b in range(a + 1, cv.n_classes):
                pa, pb = by_class.get(a, {}), by_class.get(b, {})
                if not pa or pa.keys() != pb.keys():
                    continue
                if all(abs(full[pa[k]] - full[pb[k]]) <= tol * units[pa[k]] for k in pa):
                    out.append(
                        f"classes {a + 1} and {b + 1} of {cv.name!r} are identical (every "
                        "class-specific parameter is equal): this is not a "
                        f"{cv.n_classes}-class solution but a saddle point or a model with "
                        "more classes than the data hold; use more random starts "
                        "(starts=...) or fewer classes")
    return out


def collapsed_classes(model, params, tol=COLLAPSE_TOL):
    """Sentences naming class-specific residual variances near zero.

    The likelihood of a normal mixture with class-specific variances is unbounded:
    a class can sit on one or a few observations with a variance shrinking to 0.
    Such a maximum is spurious (McLachlan & Peel 2000, sec. 3.10), however high
    its log-likelihood.
    """
    layout, full, units = model.layout, _full(model, params), _units(model)
    out = []
    for i, inf in enumerate(layout.info):
        if inf.role != "residual variance" or not inf.classes:
            continue
        if full[i] < tol * units[i]:
            where = ", ".join(f"class {k + 1} of {c!r}" for c, k in inf.classes)
            out.append(
                f"{inf.name} = {full[i]:.3g} is {full[i] / units[i]:.1e} of the variance of "
                f"{inf.equation!r}: {where} has collapsed onto a few observations, a "
                "spurious maximum of the normal mixture likelihood; use more random starts "
                "(starts=...), residual variances equal across classes, or fewer classes")
    return out


def boundary_variances(model, params, tol=BOUNDARY_TOL):
    """Names of the free variances (residual and random-effect) within ``tol`` of their
    unit from 0."""
    layout, tab = model.layout, model.table
    units = _units(model)
    values = np.asarray(params, float)
    out = []
    for k, i in enumerate(tab.free_index):
        inf = layout.info[i]
        if inf.kind == "variance" or (inf.kind == "covariance" and inf.name.startswith("Var(")):
            if abs(values[k]) < tol * units[i]:
                out.append(inf.name)
    return out
