"""Class labels: the joint class posterior per row and the canonical class order."""

from __future__ import annotations

import numpy as np

from .bfgs import quasi_newton
from .em_algorithm import m_step
from .optimize import settle_nodes

__all__ = ["pattern_posterior", "class_shares", "canonical_order", "relabel"]


def pattern_posterior(engine, estep):
    """P(d, c | data) per row, shape (N, D, C)."""
    N = engine.design.n_rows
    G, H = estep.nodes.G, estep.nodes.H
    rp = estep.rowpost.reshape(N, engine.D, G, engine.C, H).sum(axis=4)
    return np.einsum("ndg,ndgc->ndc", estep.post_dg[engine.cluster_of_row], rp)


def class_shares(engine, estep):
    """Estimated class shares (summing to 1 per set): joint class patterns, or for a
    latent Markov chain (:mod:`mixlevel.engine.chain`) the classes of each wave."""
    d = engine.design
    w_row = d.row_weight * d.cluster_weight[engine.cluster_of_row]
    if hasattr(estep, "class_shares"):
        return estep.class_shares(w_row)
    share = w_row @ pattern_posterior(engine, estep).reshape(len(w_row), -1)
    return share / max(share.sum(), 1e-300)


def canonical_order(engine, work, maxiter=1000, gtol=1e-6):
    """Relabel classes by decreasing estimated size (label switching).

    The posterior weights are permuted and one M-step plus BFGS carries the
    parameters to the relabelled optimum; the relabelled solution is kept only
    when it reaches the same log-likelihood.
    """
    if getattr(engine, "is_chain", False):
        return work  # chains keep the labels of their start (a relabelling per wave is not done)
    es = engine.estep(work)
    d = engine.design
    w = d.row_weight * d.cluster_weight[engine.cluster_of_row]
    mass = np.einsum("n,ndc->dc", w, pattern_posterior(engine, es)).reshape(-1)
    pats = engine.patterns
    perm = {}
    for cv in engine.spec.classes:
        size = [mass[[p[cv.name] == k for p in pats]].sum() for k in range(cv.n_classes)]
        perm[cv.name] = np.argsort(-np.asarray(size), kind="stable")
    if all((v == np.arange(len(v))).all() for v in perm.values()):
        return work
    return relabel(engine, work, perm, maxiter, gtol, es=es)


def relabel(engine, work, perm, maxiter=1000, gtol=1e-6, es=None):
    """The estimates with the classes relabelled: new class k is old class ``perm[v][k]``.

    ``perm`` maps each class variable to a permutation (0-based).  The
    parameters are permuted directly where that is exact (class-specific
    parameters move; class logits change their reference class, eta'_k =
    eta_perm[k] - eta_perm[K], and so do their random effects and loadings),
    confirmed by one likelihood evaluation (adaptive and logit-window nodes
    placed again at the relabelled estimates first).  Otherwise (fixed or
    equal parameters that do not permute) the posterior weights are permuted
    and one M-step plus BFGS carries the parameters to the relabelled optimum.
    Returns the input when the relabelled solution does not reach the same
    log-likelihood.
    """
    if getattr(engine, "is_chain", False):
        raise ValueError("relabelling the classes of a latent Markov chain fitted by the chain "
                         "engine is not available (its posteriors are per wave)")
    perm = {cv.name: np.asarray(perm.get(cv.name, np.arange(cv.n_classes)))
            for cv in engine.spec.classes}
    ll_old = engine.loglike(work)
    moved = permuted_parameters(engine, work, perm)
    if moved is not None:
        nodes = engine.nodes
        if engine.adaptive:  # nodes at the relabelled posteriors (logit windows: crossings)
            settle_nodes(engine, moved)
        if abs(engine.loglike(moved) - ll_old) <= 1e-9 * (1 + abs(ll_old)):
            return moved
        engine.nodes = nodes
    es = engine.estep(work) if es is None else es
    d = engine.design
    pats = engine.patterns
    index = {tuple(sorted(p.items())): i for i, p in enumerate(pats)}
    old_of_new = np.array([index[tuple(sorted({k: int(perm[k][v]) for k, v in p.items()}
                                              .items()))] for p in pats])
    d_map = old_of_new.reshape(engine.D, engine.C)[:, 0] // engine.C
    c_map = old_of_new.reshape(engine.D, engine.C)[0, :] % engine.C
    N, G, H = d.n_rows, es.nodes.G, es.nodes.H
    es.post_dg[:] = es.post_dg[:, d_map, :]
    rp = es.rowpost.reshape(N, engine.D, G, engine.C, H)
    es.rowpost[:] = rp[:, d_map][:, :, :, c_map].reshape(-1)
    if es.inputs.moments is not None:  # exact normal path: each pattern's moments
        es.inputs.moments.permute(d_map, c_map)
    new = m_step(engine, work, es, maxiter=500)
    new, ll_new, _, _, _ = quasi_newton(engine, new, maxiter, gtol)
    if ll_new >= ll_old - 1e-6 * (1 + abs(ll_old)):
        return new
    return work


def permuted_parameters(engine, work, perm):
    """The working parameters with the classes relabelled by ``perm``, or None when the
    relabelled model cannot be written by moving parameters.

    ``perm`` maps class variables to permutations (0-based; others keep their
    labels).  A class-specific parameter of new class k takes the value of old class
    ``perm[v][k]``.  The logits of a class variable ``v`` (last class the
    reference) become eta'_k = eta_perm[k] - eta_perm[K] term by term; so do
    their loadings on factors (the restricted GoM, eq. 35), and random logit
    effects b (the GoM, eq. 34) become b' = M b with covariance M Sigma M'.
    None when a fixed value would have to change, when parameters constrained
    equal would differ, or when the random effects of a class variable's logits
    are not all in one covariance block.
    """
    layout, table = engine.layout, engine.table
    perm = {cv.name: np.asarray(perm.get(cv.name, np.arange(cv.n_classes)))
            for cv in engine.spec.classes}
    full = table.expand_natural(table.free_natural_from_working(np.asarray(work, float)))
    where = {(inf.label, inf.equation, inf.section, inf.classes): i
             for i, inf in enumerate(layout.info)}

    def source(classes):
        return tuple((v, int(perm[v][k])) if v in perm else (v, k) for v, k in classes)

    new = full.copy()
    for i, inf in enumerate(layout.info):
        j = where.get((inf.label, inf.equation, inf.section, source(inf.classes)))
        if j is None:
            return None
        new[i] = full[j]
    for cv in engine.spec.classes:
        if not (perm[cv.name] == np.arange(cv.n_classes)).all() and not (
                _relabel_logits(layout, full, new, cv, perm)
                and _relabel_random_logits(layout, engine.spec, new, cv, perm)):
            return None
    free = new[table.free_index]
    if not np.allclose(table.expand_natural(free), new, rtol=1e-12, atol=1e-12):
        return None  # a fixed value or an equality does not survive the relabelling
    return table.free_working_from_natural(free)


def _relabel_logits(layout, full, new, cv, perm):
    """Write eta'_k = eta_perm[k] - eta_perm[K] of class variable ``cv`` into ``new``,
    term by term; False when a slot cannot take its value."""
    p, K = perm[cv.name], cv.n_classes
    groups = {}  # one coefficient per logit; a term per logit too (eta=~c#k, eq. 35)
    for ts in layout.terms:
        if ts.term.target == cv.name:
            groups.setdefault((ts.term.column, ts.latent, ts.by), []).append(ts)
    for slots in groups.values():
        if any(layout.info[i].kind == "covariance" for ts in slots for i in ts.index.ravel()
               if i >= 0):
            continue  # random logit effects: _relabel_random_logits
        by_channel = {ts.channel: ts for ts in slots}
        if len(by_channel) < len(slots):
            return False  # two terms of one column and latent value: no unique map
        by = slots[0].by
        for combo in np.ndindex(*slots[0].index.shape):
            old = tuple(int(perm[v][a]) if v in perm else a
                        for v, a in zip(by, combo, strict=True))
            eta = np.zeros(K)  # the reference class and absent channels: 0
            for k, ts in by_channel.items():
                i = ts.index[old]
                if i >= 0 and layout.info[i].kind != "coef":
                    return False  # a Cholesky element of a random class logit
                eta[k] = full[i] if i >= 0 else ts.value[old]
            for k in range(K - 1):
                val = eta[p[k]] - eta[p[K - 1]]
                ts = by_channel.get(k)
                i = -1 if ts is None else ts.index[combo]
                if i >= 0:
                    new[i] = val
                elif abs(val - (0.0 if ts is None else ts.value[combo])) > 1e-12:
                    return False
    return True


def _relabel_random_logits(layout, spec, new, cv, perm):
    """Random effects of the logits of ``cv``: b'_k = b_perm[k] - b_perm[K] (the GoM's
    alpha_ik, eq. 34), so their covariance becomes ``T Sigma T'``; written into
    ``new`` (already moved between classes).  False when a column's logit effects
    are not all in one block."""
    p, K = perm[cv.name], cv.n_classes
    M = np.zeros((K - 1, K - 1))
    for k in range(K - 1):
        for j in range(K - 1):
            M[k, j] = float(p[k] == j) - float(p[K - 1] == j)
    for blk in spec.blocks:
        if blk.covariance != "free":
            continue
        by_column = {}
        for t in spec.terms:
            if t.target == cv.name and t.latent in blk.effects:
                chans = range(K - 1) if t.category is None else [t.category]
                for ch in chans:
                    by_column.setdefault(t.column, {})[ch] = blk.effects.index(t.latent)
        if not by_column:
            continue
        T = np.eye(blk.dim)
        for chans in by_column.values():
            if sorted(chans) != list(range(K - 1)) or len(set(chans.values())) != K - 1:
                return False
            rows = [chans[k] for k in range(K - 1)]
            T[np.ix_(rows, rows)] = M
        tril = np.tril_indices(blk.dim)
        cells = {}
        for i, inf in enumerate(layout.info):
            if inf.section == "covariance" and inf.equation == blk.name:
                cells.setdefault(inf.classes, []).append(i)
        for idx in cells.values():
            S = np.zeros((blk.dim, blk.dim))
            S[tril] = new[idx]
            S = S + np.tril(S, -1).T
            new[idx] = (T @ S @ T.T)[tril]
    return True
