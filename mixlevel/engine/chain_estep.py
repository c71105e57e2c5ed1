"""The chain engine's per-evaluation records: its arrays at one parameter
vector (:class:`ChainInputs`) and the posteriors of one E-step (:class:`ChainEStep`),
held per distinct response history and expanded to rows on access."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["ChainEStep", "ChainInputs"]


@dataclass(eq=False)
class ChainInputs:
    """The chain engine's arrays at one parameter vector."""

    work: np.ndarray
    nat: np.ndarray
    signs: np.ndarray
    free_work: np.ndarray
    table: np.ndarray          # (statistics, K) outcome tables
    cache: list                # per family group (eta, fp) of the tables
    logp: list                 # per wave: log P(c_t | parents) (1 or N, parents..., K)


class ChainEStep:
    """Posteriors of a chain E-step: per row gamma (N, T, K), xi (N, T-1, K, K), xi2.

    ``ll_cluster`` are the rows' weighted log-likelihoods (a row is a cluster).
    The posteriors are held per distinct row (``unique``; ``rows`` maps the
    rows to them, None when every row is its own) and expanded on access.
    The scaled E-step (:mod:`.chain_scaled`) gives ``totals``, the weighted
    expected class counts per wave, and ``fill``, which computes the per-row
    pairwise posteriors by the log kernel when something first asks for them.
    """

    def __init__(self, ll_cluster, gamma, xi, xi2, inputs, nodes, rows=None, totals=None,
                 fill=None):
        self.ll_cluster = ll_cluster
        self._unique = [gamma, xi, xi2]
        self.totals, self._fill = totals, fill
        self.rows = rows
        self.inputs, self.nodes = inputs, nodes
        self.post_dg = np.ones((len(ll_cluster), 1, 1))

    @property
    def unique(self):
        if self._fill is not None:
            self._unique = list(self._fill())
            self._fill = None
        return self._unique

    @property
    def unique_gamma(self):
        """The marginal posteriors per distinct row (N, T, K) (never needs ``fill``)."""
        return self._unique[0]

    def _rows(self, arr):
        return arr if arr is None or self.rows is None else arr[self.rows]

    @property
    def gamma(self):
        return self._rows(self.unique_gamma)

    @property
    def xi(self):
        return self._rows(self.unique[1])

    @property
    def xi2(self):
        return self._rows(self.unique[2])

    @property
    def loglike(self):
        return float(self.ll_cluster.sum())

    def uniform(self):
        """Every class pattern equally likely (the posteriors of the generic start), in place."""
        for arr in self.unique:
            if arr is not None:
                arr[...] = 1.0 / np.prod(arr.shape[2:])
        self.totals = None
        self.__dict__.pop("_sums", None)
        return self

    def class_shares(self, weight):
        """Weighted share of each class at each wave: (T, K)."""
        return np.einsum("n,ntk->tk", weight, self.gamma) / weight.sum()

    def posterior(self, t, unique=False):
        """Posterior weights of wave t's class given its parents: (N, parents..., K)
        (per distinct row with ``unique``)."""
        gamma, xi, xi2 = self.unique
        if t == 0:
            out = gamma[:, 0]
        elif xi2 is not None and t >= 2:
            out = xi2[:, t - 2]
        else:
            out = xi[:, t - 1]
        return out if unique else self._rows(out)
