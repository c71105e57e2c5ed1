"""Class labels: the joint class posterior per row and the canonical class order."""

from __future__ import annotations

import numpy as np

from .bfgs import quasi_newton
from .em_algorithm import m_step

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
    posterior weights are permuted and one M-step plus BFGS carries the
    parameters to the relabelled optimum (class logits change their reference
    class, so they are re-estimated rather than permuted).  Returns the input
    when the relabelled solution does not reach the same log-likelihood.
    """
    if getattr(engine, "is_chain", False):
        raise ValueError("relabelling the classes of a latent Markov chain fitted by the chain "
                         "engine is not available (its posteriors are per wave)")
    es = engine.estep(work) if es is None else es
    d = engine.design
    pats = engine.patterns
    perm = {cv.name: np.asarray(perm.get(cv.name, np.arange(cv.n_classes)))
            for cv in engine.spec.classes}
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
    ll_old = engine.loglike(work)
    if ll_new >= ll_old - 1e-6 * (1 + abs(ll_old)):
        return new
    return work
