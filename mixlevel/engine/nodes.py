"""Integration nodes as a value: where the kernel evaluates the latent variables.

A :class:`NodeState` holds the cluster-level nodes (shared by all clusters,
or one set per cluster after adaptive centring) and the row-level nodes with
their log-weights.  It is immutable: adaptive quadrature makes a new state,
so results and start runs keep a reference instead of copying arrays.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["NodeState", "nonadaptive_nodes", "zero_nodes"]


def _frozen(a):
    a = np.ascontiguousarray(a, dtype=float)
    a.flags.writeable = False
    return a


@dataclass(frozen=True, eq=False)
class NodeState:
    """Nodes and log-weights of the cluster-level (``zb``, ``lwg``) and row-level
    (``zh``, ``lwh``) latent values.

    Attributes
    ----------
    zb : ndarray (1 or J, G, Qb)
        Cluster-level nodes: one set shared by all clusters, or one per cluster.
    lwg : ndarray (1 or J, G)
        Their log-weights (including the standard normal density when adapted).
    zh : ndarray (H, Qw), lwh : ndarray (H,)
        Row-level nodes and log-weights (shared).
    adapted : bool
        True when the cluster nodes are centred per cluster (adaptive rules).
    modes : ndarray (J, Qb) or None
        The posterior modes the nodes are centred at (start of the next search).
    curvature : ndarray (J, Qb, Qb) or None
        The Hessian of log p(y_j, z) at the modes (start of the next search).
    """

    zb: np.ndarray
    lwg: np.ndarray
    zh: np.ndarray
    lwh: np.ndarray
    adapted: bool = False
    modes: np.ndarray | None = None
    curvature: np.ndarray | None = None

    def __post_init__(self):
        for name in ("zb", "lwg", "zh", "lwh"):
            object.__setattr__(self, name, _frozen(getattr(self, name)))

    def for_clusters(self, clusters):
        """The node state of the clusters ``clusters`` (positions) alone."""
        def cut(a):
            return a if a is None or a.shape[0] == 1 else a[clusters]
        return NodeState(cut(self.zb), cut(self.lwg), self.zh, self.lwh, adapted=self.adapted,
                         modes=cut(self.modes), curvature=cut(self.curvature))

    @property
    def G(self):
        return self.zb.shape[1]

    @property
    def H(self):
        return self.zh.shape[0]

    @property
    def shared(self):
        """True when every cluster has the same nodes (tables can be shared)."""
        return self.zb.shape[0] == 1


def nonadaptive_nodes(rule_b, rule_w):
    """The rules' own nodes, shared by all clusters."""
    return NodeState(rule_b.nodes[None, :, :], rule_b.logw[None, :],
                     rule_w.nodes.reshape(rule_w.size, rule_w.dim), rule_w.logw)


def zero_nodes(qb, qw):
    """One node at z = 0 for every latent value (the latent variables at their mean)."""
    return NodeState(np.zeros((1, 1, qb)), np.zeros((1, 1)), np.zeros((1, qw)), np.zeros(1))


def window_logit_dims(kl, spec):
    """Cluster dimensions the within class logits load on, for the default rule; None
    when another cluster dimension is not a factor (logit windows take Gauss-Hermite
    only for factors such as an FMA-GoM's item factor, not for random effects whose
    posteriors narrow as clusters grow)."""
    chans = set(kl.class_channels())
    loaded = {m for ch, m, *_ in kl.entries if ch in chans and m > 0}
    covariance = {b.name: b.covariance for b in spec.blocks}
    others = [kl.dims_b[i] for i in range(kl.qb) if i + 1 not in loaded]
    if any(covariance[name] != "identity" for name, _ in others):
        return None
    return len(loaded)


def logit_window_nodes(kl, A, indptr, zh, lwh, n):
    """Cluster nodes of the logit-window rule at the kernel inputs ``A``.

    The within class logits load on one cluster-level latent value z_d,
    ``mu + lambda z_d`` (monomials 1 and z_d of ``A``); their crossings
    (:func:`mixlevel.integrate.logit_window.crossings`) decide where the nodes
    go.  Row-varying logits (covariates) give each cluster the crossings of
    all its rows.  Another cluster-level factor (an FMA-GoM's item factor)
    gets Gauss-Hermite points in a product with the windows.
    """
    from ..integrate.logit_window import cluster_windows, crossings

    mono = [tuple(sorted(map(int, m))) for m in kl.mono]
    m0 = mono.index((0, 0)) if (0, 0) in mono else None
    class_chans = set(kl.class_channels())
    loaded = sorted({m for ch, m, *_ in kl.entries if ch in class_chans and m > 0})
    m1 = loaded[0] if loaded else (mono.index((0, 1)) if (0, 1) in mono else None)
    d = int(kl.mono[m1, 0]) - 1 if m1 is not None else 0  # the logits' dimension
    R = A.shape[0]
    trans_rows = [[] for _ in range(R)]
    for K, ch0 in zip(kl.kv, kl.chv, strict=True):
        chs = np.arange(int(ch0), int(ch0 + K - 1))
        for dc in range(A.shape[2]):
            mu = A[:, chs, dc, m0] if m0 is not None else np.zeros((R, len(chs)))
            lam = A[:, chs, dc, m1] if m1 is not None else np.zeros((R, len(chs)))
            keys, inv = np.unique(np.round(np.concatenate([mu, lam], axis=1), 12), axis=0,
                                  return_inverse=True)
            per_key = [crossings(k[None, :len(chs)], k[None, len(chs):]) for k in keys]
            for r in range(R):
                trans_rows[r].extend(per_key[int(np.ravel(inv)[r])])
    if R == 1:
        per_cluster = [trans_rows[0]]
    else:
        per_cluster = [sorted(set().union(*trans_rows[a:b])) if b > a else []
                       for a, b in zip(indptr[:-1], indptr[1:], strict=True)]
    zb, lwg = cluster_windows([sorted(set(t)) for t in per_cluster], n, kl.qb, d)
    return NodeState(zb, lwg, zh, lwh, adapted=True)
