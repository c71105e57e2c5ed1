"""Calls into the compiled kernel (:mod:`mixlevel._kernels._estep`) from typed objects.

The kernel takes flat arrays; these wrappers unpack a
:class:`~mixlevel.engine.layout.KernelLayout`, a
:class:`~mixlevel.engine.inputs.KernelInputs`, a
:class:`~mixlevel.engine.nodes.NodeState` and the design, so no caller builds
or patches argument tuples by position.  The threads of each call come from
the engine's :class:`~mixlevel.engine.threads.ThreadPlan` (or an int).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._kernels import _estep

__all__ = ["KernelSelection", "loglik_posterior", "loglik_and_scores", "expected_scores",
           "has_log_joint_gradient", "log_joint_and_gradient", "log_joint_gradient_fn"]


@dataclass(frozen=True, eq=False)
class KernelSelection:
    """What the kernel computes itself: family codes (negative: tabulated by the
    caller) and the within class variables (none when their prior is tabulated)."""

    fam: np.ndarray
    kv: np.ndarray
    chv: np.ndarray
    cpat: np.ndarray

    @classmethod
    def full(cls, kl):
        return cls(kl.fam, kl.kv, kl.chv, kl.cpat)


def _run(threads, name, kl, sel, design, G, H, fn, *args, **kwargs):
    """Call ``fn`` with the threads ``threads`` (a ThreadPlan or an int) chooses.

    A call of kind ``name`` computes rows x outcomes x patterns x G x H cells.
    """
    if isinstance(threads, (int, np.integer)):
        return fn(*args, num_threads=threads, **kwargs)
    n_act = int((sel.fam >= 0).sum())
    cells = design.n_rows * max(n_act, 1) * kl.DC * G * H
    return threads.run((name, n_act, G, H), cells, fn, *args, **kwargs)


def _args(kl, sel, design, inputs, nodes, zb=None, lwg=None):
    return (np.ascontiguousarray(inputs.A), design.y, design.trials, inputs.FP,
            design.row_weight, nodes.zb if zb is None else zb,
            nodes.lwg if lwg is None else lwg, nodes.zh, nodes.lwh, sel.fam, kl.och, kl.ncat,
            kl.mono, sel.kv, sel.chv, sel.cpat, design.indptr)


def _random_effects(kl, sel, nodes, inputs, extra):
    """True when the random-effect sweep (one cell per row and node) computes the call."""
    return _estep.random_effects_applies(sel.fam, inputs.logpd.shape[1], kl.DC, nodes.H,
                                         len(sel.kv), extra is not None)


def one_cell_per_node(kl, H):
    """True when the random-effect sweep computes every call of this model with H row
    nodes (adaptive rules: nothing tabulated): no rows x nodes array is made."""
    return _estep.random_effects_applies(np.asarray(kl.fam), kl.D, kl.DC, H, len(kl.kv),
                                         False)


_NO_SCORES = np.zeros((0, 1, 1, 1))


def loglik_posterior(kl, sel, design, inputs, nodes, ll, post_dg, rowpost, threads,
                     extra=None, zb=None, lwg=None):
    """Per-cluster log-likelihoods and posteriors into ``ll``, ``post_dg``, ``rowpost``.

    ``zb``/``lwg`` replace the nodes' cluster-level nodes (one point per
    cluster: the adaptive mode search).  ``rowpost`` may be empty when rows
    have one cell per node (C = H = 1).
    """
    with np.errstate(all="ignore"):
        name = "loglik_posterior" if zb is None else "log_joint"
        G = nodes.G if zb is None else zb.shape[1]
        args = _args(kl, sel, design, inputs, nodes, zb, lwg)
        if _random_effects(kl, sel, nodes, inputs, extra):
            _run(threads, name, kl, sel, design, G, nodes.H, _estep.re_loglik_and_scores,
                 *args, inputs.logpd, design.cluster_weight, ll, post_dg, rowpost, _NO_SCORES,
                 _NO_SCORES, _NO_SCORES[:, 0, 0, 0], want_scores=False)
            return
        _run(threads, name, kl, sel, design, G, nodes.H, _estep.loglik_posterior,
             *args, inputs.logpd, ll, post_dg, rowpost, EXTRA=extra)


def loglik_and_scores(kl, sel, design, inputs, nodes, ll, post_dg, rowpost, S, GF, q,
                      threads, extra=None):
    """Log-likelihoods, posteriors and expected complete-data scores in one sweep.

    ``rowpost`` may be empty when rows have one cell per node (C = H = 1).
    """
    with np.errstate(all="ignore"):
        fn = _estep.loglik_and_scores
        if _random_effects(kl, sel, nodes, inputs, extra):
            fn = _estep.re_loglik_and_scores
        elif rowpost.shape[0] == 0:
            rowpost = np.empty(design.n_rows * nodes.G * nodes.H * kl.DC)
        _run(threads, "loglik_and_scores", kl, sel, design, nodes.G, nodes.H,
             fn, *_args(kl, sel, design, inputs, nodes), inputs.logpd,
             design.cluster_weight, ll, post_dg, rowpost, S, GF, q, EXTRA=extra)


def expected_scores(kl, sel, design, inputs, nodes, post_dg, rowpost, S, GF, q, threads):
    """Expected complete-data scores and Q at ``inputs`` under fixed posteriors."""
    with np.errstate(all="ignore"):
        _run(threads, "expected_scores", kl, sel, design, nodes.G, nodes.H,
             _estep.expected_scores, *_args(kl, sel, design, inputs, nodes),
             design.cluster_weight, post_dg, rowpost, S, GF, q)


def has_log_joint_gradient(kl, sel, nodes, inputs):
    """True when :func:`log_joint_and_gradient` applies (one cell per row and node)."""
    return (not kl.qw and _random_effects(kl, sel, nodes, inputs, None)
            and int((np.asarray(kl.mono) == 0).all(axis=1).sum()) == 1)


def log_joint_gradient_fn(kl, sel, design, inputs, nodes, threads):
    """``Z -> log_joint_and_gradient(..., Z, ...)`` at these inputs, or None where it
    does not apply (the mode search then differentiates numerically)."""
    if not has_log_joint_gradient(kl, sel, nodes, inputs):
        return None
    return lambda Z: log_joint_and_gradient(kl, sel, design, inputs, nodes, Z, threads)


def log_joint_and_gradient(kl, sel, design, inputs, nodes, Z, threads):
    """``log p(Y_j, z_j)`` (up to constants) and its exact gradient in z at Z (J, q).

    One pass over the rows at one point per cluster (z_j with log-weight
    ``-|z_j|^2 / 2``; :func:`~mixlevel._kernels._estep.re_log_joint_grad`):
    ``RW_i dlog f / deta`` times ``deta / dz_q``, summed per cluster in the
    kernel.  Returns None when the model has classes, row-level nodes,
    tabulated parts or nominal outcomes (the caller differentiates numerically).
    """
    J, q = Z.shape
    if not has_log_joint_gradient(kl, sel, nodes, inputs):
        return None
    ll, grad = np.empty(J), np.empty((J, q))
    with np.errstate(all="ignore"):
        _run(threads, "log_joint_grad", kl, sel, design, 1, 1, _estep.re_log_joint_grad,
             *_args(kl, sel, design, inputs, nodes, np.ascontiguousarray(Z[:, None, :]),
                    np.ascontiguousarray(-0.5 * (Z * Z).sum(axis=1)[:, None])),
             inputs.logpd, ll, grad)
    return ll, grad - Z  # the standard normal density's part: -z
