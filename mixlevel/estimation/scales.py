"""Typical magnitudes of the parameters, from the units of the data.

A fit must not depend on the units of the outcomes and covariates: with
``y`` in metres or in nanometres the estimates differ by the factor of the
units (variances by its square) and the log-likelihood by the Jacobian
``N log c``, nothing else.  Every absolute number in the optimiser (a
gradient tolerance, a first step, the step of a finite difference, a
floor on a start value) breaks that unless it is measured in the
parameter's own units.  This module gives those units: the size a
parameter has when the effect it describes is of the order of one standard
deviation of the data,

============================ ===========================================
parameter                    typical magnitude
============================ ===========================================
coefficient, loading         sd(outcome) / sd(column) (normal outcomes);
                             1 / sd(column) on logit, probit, log scales
residual variance            var(outcome) (working scale, log: 1)
threshold                    1
random-effect covariance     s_a s_b, with s_a the magnitude of effect a
                             (working scale, Cholesky element L_ab: s_a)
============================ ===========================================

The optimiser (:mod:`.bfgs`, :mod:`.em_algorithm`) moves ``w / s`` instead
of the working vector ``w``, and the numerical Hessian
(:mod:`.covariance`) steps in units of ``s``.
"""

from __future__ import annotations

import numpy as np

__all__ = ["column_sd", "outcome_sd", "parameter_scales", "working_scales",
           "natural_scales"]


def column_sd(design, column):
    """SD of a design column ("1", constant and unknown columns: 1).

    A design whose rows live elsewhere (on Dask workers) answers with its own
    ``column_sd``.
    """
    if column is None or column == "1":
        return 1.0
    if hasattr(design, "column_sd"):
        sd = design.column_sd(column)
    elif column in design.columns:
        sd = float(np.nanstd(design.columns[column]))
    else:
        return 1.0
    return sd if np.isfinite(sd) and sd > 0 else 1.0


def outcome_sd(design, spec, name):
    """SD of a normal outcome's observed values; 1 for other families and class logits."""
    if name not in spec.outcome_names:
        return 1.0
    p = spec.outcome_names.index(name)
    if spec.outcomes[p].family.name != "normal":
        return 1.0
    if hasattr(design, "outcome_sd"):  # rows on Dask workers
        sd = design.outcome_sd(p)
    elif design.y is None or not design.y.shape[0]:
        return 1.0
    else:
        y = design.y[:, p]
        y = y[np.isfinite(y)]
        sd = float(np.std(y)) if y.size else 0.0
    return sd if np.isfinite(sd) and sd > 0 else 1.0


def _effect_scales(layout, design):
    """Typical magnitude of every random effect, from the terms it enters."""
    spec = layout.spec
    out = {}
    for t in spec.terms:
        if t.latent is None:
            continue
        s = outcome_sd(design, spec, t.target) / column_sd(design, t.column)
        out[t.latent] = max(out.get(t.latent, 0.0), s)
    return out


def parameter_scales(layout, design):
    """(natural, working) typical magnitudes of every parameter of ``layout``.

    Both are arrays over the full parameter vector; see the module docstring.
    """
    spec = layout.spec
    n = len(layout.names)
    nat, work = np.ones(n), np.ones(n)
    effects = _effect_scales(layout, design)
    blocks = {b.name: b for b in spec.blocks}
    for gi, g in enumerate(layout.groups):
        first = int(layout.offsets[gi])
        info = layout.info[first]
        if g.kind == "coef":
            s = outcome_sd(design, spec, info.equation) / column_sd(design, info.column)
            nat[first] = work[first] = s
        elif g.kind == "variance":
            nat[first] = outcome_sd(design, spec, info.equation) ** 2
        elif g.kind == "covariance":
            blk = blocks[info.equation]
            s = np.array([effects.get(e, 1.0) for e in blk.effects])
            rows, cols = np.tril_indices(blk.dim)
            nat[first:first + g.size] = s[rows] * s[cols]
            work[first:first + g.size] = s[rows]
    return nat, work


def _cached(engine):
    cache = engine.design.cache
    key = ("parameter_scales", id(engine.layout))
    if key not in cache:
        cache[key] = parameter_scales(engine.layout, engine.design)
    return cache[key]


def working_scales(engine):
    """Typical magnitudes of the free working parameters of ``engine``'s model."""
    return _cached(engine)[1][engine.table.free_index]


def natural_scales(engine):
    """Typical magnitudes of the free natural parameters of ``engine``'s model."""
    return _cached(engine)[0][engine.table.free_index]
