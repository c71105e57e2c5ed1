"""Draws of new outcomes for the rows of a fitted or specified model.

The low-level step behind :func:`mixlevel.simulate`: the model's covariates,
clusters and trials are kept; between patterns, latent normals, within
classes and outcomes are drawn from the engine's own linear-predictor arrays
(:meth:`Engine.inputs <mixlevel.engine.Engine.inputs>`), so every convention
is the engine's (see :mod:`mixlevel.simulation.simulate`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import SpecificationError
from ..families.base import draw_category

__all__ = ["draw", "working_vector"]


def working_vector(model, params):
    """Free working vector of ``model`` from ``{name: natural value}``.

    Every free parameter needs a value; fixed parameters may be named with
    their fixed value; unknown names are an error (they are usually typos).
    """
    tab = model.table
    params = {str(k): float(v) for k, v in dict(params).items()}
    free = list(tab.free_names)
    missing = [n for n in free if n not in params]
    if missing:
        raise SpecificationError(
            f"no value for the parameter(s) {', '.join(map(repr, missing[:6]))}"
            f"{' ...' if len(missing) > 6 else ''}; the model's free parameters are "
            f"{free}")
    full = tab.expand_natural(np.array([params[n] for n in free]))
    for n, v in params.items():
        if n in free:
            continue
        if n not in tab.index:
            import difflib

            close = difflib.get_close_matches(n, tab.names, n=2)
            raise SpecificationError(
                f"the model has no parameter {n!r}"
                + (f"; did you mean {' or '.join(map(repr, close))}?" if close else
                   f"; its parameters are {tab.names}"))
        if not np.isclose(full[tab.index[n]], v, rtol=1e-9, atol=1e-12):
            raise SpecificationError(
                f"{n!r} is fixed at {full[tab.index[n]]:g} (or set equal to another "
                f"parameter) in the model, but params gives {v:g}")
    return tab.free_working_from_natural(np.array([params[n] for n in free]))


def _within_index(engine):
    """Mixed-radix weights: within pattern index = cvals @ weights (itertools order)."""
    k = np.asarray(engine.kl.kv, np.int64)
    w = np.ones(len(k), np.int64)
    for v in range(len(k) - 2, -1, -1):
        w[v] = w[v + 1] * k[v + 1]
    assert (engine.kl.cpat @ w == np.arange(engine.C)).all()
    return w


def draw(model, params, seed=None, return_latent=False):
    """Draw new outcomes for the rows of ``model`` at ``params``.

    The low-level step behind :func:`simulate`: the model's covariates,
    clusters and (for binomial outcomes) trials are kept; classes, random
    effects and outcomes are drawn (see the module docstring).

    Parameters
    ----------
    model : MixtureModel
    params : dict or Series
        Natural-scale values of (at least) the free parameters.
    seed : int, SeedSequence or Generator, optional
    return_latent : bool
        Also return a frame, in the rows of the output, with the drawn class
        of every class variable (1-based, as in parameter names) and every
        latent variable (cluster random effects ``b = L z`` and factors).

    Returns
    -------
    pandas.DataFrame
        The model's data (a formula model's kept rows, else the design
        columns, the cluster column and the outcomes) with new outcomes.
    """
    rng = np.random.default_rng(seed)
    eng = model.engine
    if getattr(eng, "is_chain", False):  # draws index joint class patterns: enumerate them
        eng = eng.enumerating()
    spec, d = model.spec, model.design
    work = working_vector(model, params)
    kl = eng.kl
    inputs = eng.inputs(work, tabulate=False)  # reads the engine, never changes it
    A, FP, logpd = inputs.A, inputs.FP, inputs.logpd
    N, J = d.n_rows, d.n_clusters
    cl = d.cluster_of_row
    rows = np.arange(N)
    arow = rows if A.shape[0] == N else np.zeros(N, np.int64)
    # 1. between patterns
    dsel = draw_category(rng, logpd) if eng.D > 1 else np.zeros(J, np.int64)
    # 2. latent normals
    qb, qw = kl.qb, kl.qw
    zb = rng.standard_normal((J, qb))
    zw = rng.standard_normal((N, qw))
    lv = np.concatenate([np.ones((N, 1)), zb[cl], zw], axis=1)
    U = lv[:, kl.mono[:, 0]] * lv[:, kl.mono[:, 1]]
    lv0 = lv.copy()
    lv0[:, 1 + qb:] = 0.0  # class logits are evaluated at row node h = 0
    U0 = lv0[:, kl.mono[:, 0]] * lv0[:, kl.mono[:, 1]]

    def eta(ch, dc, Um):
        return np.einsum("nm,nm->n", A[arow, ch, dc, :], Um)

    # 3. within classes in order
    nw = len(kl.kv)
    cvals = np.zeros((N, nw), np.int64)
    if nw:
        wts = _within_index(eng)
        for v, (K, ch0) in enumerate(zip(kl.kv, kl.chv, strict=True)):
            dc = dsel[cl] * eng.C + cvals @ wts
            logits = np.zeros((N, K))
            for k in range(K - 1):
                logits[:, k] = eta(ch0 + k, dc, U0)
            cvals[:, v] = draw_category(rng, logits)
        cidx = cvals @ wts
    else:
        cidx = np.zeros(N, np.int64)
    dc = dsel[cl] * eng.C + cidx
    # 4. outcomes, each from its family
    y = np.full((N, len(spec.outcomes)), np.nan)
    for p, o in enumerate(spec.outcomes):
        ch, K = kl.och[p], kl.ncat[p]
        etas = np.stack([eta(ch + k, dc, U) for k in range(kl.n_channels[p])], axis=1)
        fp = FP[p, dc, :o.family.n_params(K)]
        y[:, p] = o.family.draw(rng, etas, fp, d.trials[:, p])
    out = _output_frame(model, y)
    if not return_latent:
        return out
    lat = {}
    bnames = [c.name for c in spec.between_classes]
    for w, name in enumerate(bnames):
        lat[name] = kl.dpat[dsel, w][cl] + 1
    for v, cv in enumerate(spec.within_classes):
        lat[cv.name] = cvals[:, v] + 1
    # latent variables: b = L_d z for free-covariance blocks, b = z for factors
    chol = _cluster_cholesky(model, work)
    pos = 0
    for blk in spec.blocks:
        if (blk.name, 0) in kl.dims_b:
            z = zb[:, pos:pos + blk.dim]
            Ls = chol.get(blk.name)
            b = z if Ls is None else np.einsum("jkl,jl->jk", Ls[dsel], z)
            for k, eff in enumerate(blk.effects):
                lat[eff] = b[cl, k]
            pos += blk.dim
    posw = 0
    for blk in spec.blocks:
        if (blk.name, 0) in kl.dims_w:
            for k, eff in enumerate(blk.effects):
                lat[eff] = zw[:, posw + k]
            posw += blk.dim
    latent = pd.DataFrame(lat)
    latent = latent.iloc[_inverse(d.order)].reset_index(drop=True)
    latent.index = out.index
    return out, latent


def _inverse(order):
    inv = np.empty_like(order)
    inv[order] = np.arange(len(order))
    return inv


def _cluster_cholesky(model, work):
    """{block name: (D, q, q) Cholesky factors} of free-covariance cluster blocks."""
    from ..spec.transforms import vech_to_mat

    full = model.table.full_working_from_free_working(work)
    out = {}
    for blk in model.spec.blocks:
        if blk.covariance != "free":
            continue
        size = blk.dim * (blk.dim + 1) // 2
        out[blk.name] = np.array([vech_to_mat(full[first:first + size], blk.dim)
                                  for first in model.layout.block_covariance(blk)])
    return out


def _output_frame(model, y):
    """The model's data with the outcome columns replaced (user's row order)."""
    d, spec = model.design, model.spec
    inv = _inverse(d.order)
    y = y[inv]  # design rows are cluster-sorted; back to the order of the kept data
    formula = getattr(model, "formula", None)
    base = getattr(formula, "data", None)
    if base is None:
        base = getattr(model, "_simulate_frame", None)
    if base is not None and len(base) == len(y):
        out = base.copy()
    else:
        cols = {k: v[inv] for k, v in d.columns.items() if k != "1"}
        out = pd.DataFrame(cols, index=d.index[inv] if d.index is not None else None)
        if model.cluster is not None:
            out[model.cluster] = d.cluster_labels[d.cluster_of_row[inv]]
        for o in spec.outcomes:
            if o.trials is not None:
                out[o.trials] = d.trials[inv, spec.outcome_names.index(o.name)]
    for p, o in enumerate(spec.outcomes):
        levels = d.levels.get(o.name)
        out[o.name] = y[:, p] if levels is None else o.family.decode(y[:, p], levels)
    return out
