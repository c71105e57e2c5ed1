"""The between class variables: their prior per cluster and its scores.

Shared by the engines (:class:`~mixlevel.engine.Engine` and
:class:`~mixlevel.engine.chain.ChainEngine`): a between class variable w has
a multinomial logit on cluster covariates (eq. 16-17, 26; last class the
reference), and the between pattern d of a cluster is the joint assignment of
all of them, in kernel order (``dpat[d, w]`` the class of variable w).
"""

from __future__ import annotations

import numpy as np

from .numeric import logsumexp

__all__ = ["BetweenPrior"]


class BetweenPrior:
    """log P(d | x_j) of the between patterns and the gradient of its expectation.

    Parameters
    ----------
    n_classes : list of int
        Classes of each between class variable.
    entries : tuple of (w, k, column, index (D,), value (D,))
        Logit coefficients: variable w, logit k, design column, and the
        parameter (index >= 0) or fixed value per between pattern.
    dpat : ndarray (D, B)
        Classes of the between class variables in each pattern.
    cluster_cols : dict
        {column: value per cluster} of the columns the entries use.
    """

    def __init__(self, n_classes, entries, dpat, cluster_cols):
        self.n_classes = list(n_classes)
        self.entries = tuple(entries)
        self.dpat = dpat
        self.cluster_cols = cluster_cols

    def _x(self, col, J):
        return np.ones(J) if col == "1" else self.cluster_cols[col]

    def logprior(self, work, J):
        """(logpd (J, D), [class probabilities (J, K_w, D) per variable]) at ``work``."""
        D = self.dpat.shape[0]
        logpd = np.zeros((J, D))
        probs = []
        for w, K in enumerate(self.n_classes):
            eta = np.zeros((J, K, D))
            for ww, k, col, idx, val in self.entries:
                if ww == w:
                    eta[:, k, :] += self._x(col, J)[:, None] * np.where(idx >= 0, work[idx],
                                                                       val)[None, :]
            lp = eta - logsumexp(eta, axis=1, keepdims=True)
            probs.append(np.exp(lp))
            logpd += lp[:, self.dpat[:, w], np.arange(D)]
        return np.ascontiguousarray(logpd), probs

    def scores(self, logpd, probs, post_d, n_full, per_cluster):
        """Q and its gradient on the full parameter vector (per cluster: (J, n_full)).

        ``post_d`` (J, D) are the posterior pattern probabilities times the
        cluster weights.
        """
        J = post_d.shape[0]
        g = np.zeros((J, n_full))
        if not self.n_classes:
            return 0.0, (g if per_cluster else np.zeros(n_full))
        q = float((post_d * logpd).sum())
        for w in range(len(self.n_classes)):
            prob = probs[w]  # (J, K, D)
            for ww, k, col, idx, _ in self.entries:
                if ww != w:
                    continue
                resid = (self.dpat[:, w] == k)[None, :] - prob[:, k, :]  # (J, D)
                contrib = post_d * resid * self._x(col, J)[:, None]
                ok = idx >= 0
                np.add.at(g, (slice(None), idx[ok]), contrib[:, ok])
        return q, (g if per_cluster else g.sum(axis=0))
