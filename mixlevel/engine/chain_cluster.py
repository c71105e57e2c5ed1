"""Two-level latent Markov chains on the forward-backward path (the paper's section 4).

The two-level latent transition model (eq. 10-15) gives the class logits of
every wave cluster-level random intercepts alpha_tj (correlated over waves)
and, optionally, the effect of a between class variable D_j (eq. 24-26).
Given the cluster's random intercepts z and between pattern d, the rows of a
cluster are independent chains, so the cluster likelihood is

    L_j = sum_d P(d | x_j) int prod_{i in j} L_i(z, d) phi(z) dz,

where L_i(z, d) is the forward-backward likelihood of row i
(:mod:`mixlevel._kernels._chain`) with its initial and transition logits
shifted by the random intercepts and the effect of d.  The integral is a
quadrature over cluster nodes g, as in :class:`~mixlevel.engine.Engine`
(fixed Gauss-Hermite, quasi-Monte Carlo, adaptive centring), so the
kernel's cells are r = (d, g): O(T K^2) per row and cell instead of K^T
joint patterns.

The E-step gives P(d, g | Y_j) and each row's posteriors gamma / xi / xi2
mixed over the cells; the scores follow by Fisher's identity:

* outcomes: the gamma-weighted expected statistics, as in the one-level chain
  (the emissions do not depend on the cell);
* class logits: ``post_r - post_r.sum(-1) P_r`` per cell r, weighted by the
  cell posterior; a random intercept's loading (an element of the Cholesky
  factor of the random-effect covariance, as the enumerating engine
  parametrises it) gets that residual times the node value z_gk;
* between class logits: :class:`~mixlevel.engine.between.BetweenPrior`.

The per-cell posteriors are never stored: the scores recompute them by rows
in chunks (memory linear in the rows, bounded per chunk).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

import numpy as np

from .._kernels import _chain
from ..integrate import quadrature
from ..integrate.defaults import default_rule, rule_from_options
from ..integrate.logit_window import KIND as LOGIT_WINDOW
from .adapt import NodesMixin
from .between import BetweenPrior
from .chain import ChainEngine, ChainEStep, _ChainPlan, chain_reason, is_two_level
from .inputs import free_gradient, parameter_values
from .nodes import NodeState, nonadaptive_nodes
from .numeric import logsumexp
from .threads import ThreadPlan

__all__ = ["ChainClusterEngine", "cluster_rule"]

CHUNK_BYTES = 32 * 2**20   # per-cell posteriors of one chunk of rows
CACHE_BYTES = 256 * 2**20  # per-cell posteriors of all rows kept on an E-step
#: The chain path by default from this many joint patterns (between x K^T) on: one
#: E-step + gradient at 1,000 QMC nodes costs, per row and node, about 0.7 us (T = 2,
#: K = 2) and 2.3 us (T = 4, K = 3) on the chain path and 0.25 us and 4.6 us enumerated
#: (benchmarks/bench_chain.py), so enumeration is faster below about 27 patterns.
MIN_PATTERNS = 27
#: ... unless the enumerated posterior arrays (rows x patterns x nodes) exceed this
ENUMERATION_BYTES = 2**30


def cluster_rule(layout, integration=None, n_points=None, adaptive=None,
                 n_points_within=None, seed=0):
    """The integration rule of a two-level chain model (the enumerating engine's default
    for the same model class, or the user's options)."""
    q = sum(b.dim for b in layout.spec.blocks)
    default = default_rule(q, 0, random_logits=q > 0)
    return rule_from_options(default, integration, n_points, adaptive, n_points_within,
                             seed, q, 0)


class _ClusterPlan:
    """Class-logit slots per (between pattern d, parent classes) and the random-intercept
    loadings of each wave (data-free)."""

    def __init__(self, layout):
        spec, chain = layout.spec, layout.chain
        K, T = chain.k, chain.n_waves
        pos = layout.class_positions
        bpat = layout.between_patterns()                     # (D, V), within classes 0
        self.D = D = len(bpat)
        self.dims = [(b.name, k) for b in spec.blocks for k in range(b.dim)]
        self.q = len(self.dims)
        wave_of_class = {n: t for t, n in enumerate(chain.classes)}
        grids = []
        for t in range(T):
            parents = chain.parents(t)
            n_par = K ** len(parents)
            grid = np.repeat(bpat, n_par, axis=0)             # d major, then parents
            codes = np.tile(np.arange(n_par), D)
            for j, name in enumerate(parents):
                grid[:, pos[name]] = (codes // K ** (len(parents) - 1 - j)) % K
            grids.append(grid)
        self.fixed = [[] for _ in range(T)]   # (class, column, index (D, n_par), value)
        self.latent = [[] for _ in range(T)]  # (class, latent dim, index (D, n_par), value)
        between = {c.name: w for w, c in enumerate(spec.between_classes)}
        self.between_entries = []
        for ts in layout.terms:
            name = ts.term.target
            if name in between:
                idx, val = ts.over(bpat, pos)
                self.between_entries.append((between[name], ts.channel, ts.term.column,
                                             idx, val))
            t = wave_of_class.get(name)
            if t is None:
                continue
            idx, val = ts.over(grids[t], pos)
            idx, val = idx.reshape(D, -1), val.reshape(D, -1)
            if ts.latent is None:
                self.fixed[t].append((ts.channel, ts.term.column, idx, val))
            else:
                self.latent[t].append((ts.channel, self.dims.index(ts.latent), idx, val))
        self.dpat = bpat[:, [pos[c.name] for c in spec.between_classes]]
        self.wave_has_x = [any(c != "1" for _, c, _, _ in f) for f in self.fixed]


@dataclass(eq=False)
class ClusterChainInputs:
    """The two-level chain engine's arrays at one parameter vector."""

    work: np.ndarray
    nat: np.ndarray
    signs: np.ndarray
    free_work: np.ndarray
    table: np.ndarray = None   # (statistics, K) outcome tables
    cache: list = None         # per family group (eta, fp) of the tables
    eta: list = None           # per wave: fixed class logits (N or 1, D, parents, K)
    lam: list = None           # per wave: random-intercept loadings (D, parents, K, q)
    logpd: np.ndarray = None   # (J, D) log P(d | x_j)
    pd_prob: list = None


class ClusterChainEStep(ChainEStep):
    """A chain E-step of clustered rows: ``post_dg`` (J, D, G) = P(d, g | Y_j); the
    rows' gamma / xi / xi2 are mixed over the cells (d, g)."""

    def __init__(self, ll_cluster, post_dg, gamma, xi, xi2, inputs, nodes):
        super().__init__(ll_cluster, gamma, xi, xi2, inputs, nodes)
        self.post_dg = post_dg
        self.is_uniform = False
        self.cell_cache = {}  # {first row of a chunk: per-cell posteriors}

    def uniform(self):
        self.is_uniform = True
        self.cell_cache = {}
        return super().uniform()


class ChainClusterEngine(NodesMixin, ChainEngine):
    """Likelihood, gradient and E-step of a two-level latent Markov chain (module docstring).

    Parameters
    ----------
    layout : ParamLayout
        Of a model for which :func:`~mixlevel.engine.chain.chain_reason` is empty.
    design : Design
    table : ParamTable
    integration, n_points, adaptive, n_points_within, seed
        As :class:`~mixlevel.engine.Engine` (default: the same rule).
    num_threads : int, optional
        Threads of the forward-backward kernel.
    rule : IntegrationRule, optional
        The rule itself (overrides the integration options).
    """

    share_rows = False  # a row's cells differ by cluster: no sharing across clusters

    def __init__(self, layout, design, table, integration=None, n_points=None,
                 adaptive=None, n_points_within=None, seed=0, num_threads=None, rule=None,
                 plans=None):
        reason = chain_reason(layout, design)
        if reason:
            raise ValueError(f"not a latent Markov chain the chain engine handles: {reason}")
        self.layout, self.table = layout, table
        self.plan, self.cplan = plans or (_ChainPlan(layout), _ClusterPlan(layout))
        self.kl = self
        self.qb, self.qw = self.cplan.q, 0
        self.D = self.cplan.D
        self.exact = None
        quadrature.check_seed(seed)
        self.seed = seed
        self.rule = rule or cluster_rule(layout, integration, n_points, adaptive,
                                         n_points_within, seed)
        if self.rule.kind == LOGIT_WINDOW:
            raise ValueError("the logit-window rule needs the enumerating engine")
        kind = "gauss-hermite" if self.rule.kind in ("none", "exact") else self.rule.kind
        self.integration, self.n_points = self.rule.kind, self.rule.n_points
        self.adaptive = self.rule.adaptive and self.qb > 0
        self.rule_b = quadrature.make_rule(kind, self.rule.n_points if self.qb else 1,
                                           self.qb, seed=seed)
        self.rule_w = quadrature.make_rule("gauss-hermite", 1, 0, seed=seed)
        self.nodes = nonadaptive_nodes(self.rule_b, self.rule_w)
        self._num_threads = num_threads
        self._bind_design(design)

    def _bind_design(self, design):
        super()._bind_design(design)
        d = design
        self.const_cluster = np.add.reduceat(d.row_weight * d.const, d.indptr[:-1]) \
            if d.n_rows else np.zeros(0)
        cols = {e[2] for e in self.cplan.between_entries} - {"1"}
        self.between = BetweenPrior([c.n_classes for c in self.spec.between_classes],
                                    self.cplan.between_entries, self.cplan.dpat,
                                    {c: d.cluster_values(c) for c in cols})
        if self._num_threads is None:
            cells = d.n_rows * self.D * self.rule_b.size
            self.num_threads = 1 if cells < 20000 else 2
            self.threads = ThreadPlan(self.num_threads, measured=False)

    @property
    def DC(self):
        """Between patterns x classes of a wave (what a row costs per node, for sizing)."""
        return self.D * self.plan.K

    # -- engines sharing this one's model ------------------------------------------------
    def spawn(self):
        new = copy.copy(self)
        new.nodes = nonadaptive_nodes(self.rule_b, self.rule_w)
        return new

    def on_rows(self, design):
        return ChainClusterEngine(self.layout, design, self.table, seed=self.seed,
                                  num_threads=self._num_threads, rule=self.rule,
                                  plans=(self.plan, self.cplan))

    def with_rule(self, rule):
        """The same model and data integrated with ``rule``."""
        return ChainClusterEngine(self.layout, self.design, self.table, seed=self.seed,
                                  num_threads=self._num_threads, rule=rule,
                                  plans=(self.plan, self.cplan))

    def enumerating(self):
        """The enumerating :class:`~mixlevel.engine.Engine` at the same rule."""
        from .engine import Engine

        return Engine(self.layout, self.design, self.table, seed=self.seed,
                      num_threads=self._num_threads, rule=self.rule)

    # -- parameters -> arrays ------------------------------------------------------------
    def inputs(self, free_work, tabulate=True):
        p, cp, d = self.plan, self.cplan, self.design
        work, nat, signs = parameter_values(self.table, free_work)
        K = p.K
        inputs = ClusterChainInputs(work, nat, signs, np.array(free_work, float, copy=True))
        A0, FP = self.outcome_parameters(inputs)
        inputs.table, inputs.cache = self.tables.tables(A0, np.ones((1, 1, 1)), FP,
                                                        (1, 1, K, 1))
        inputs.eta, inputs.lam = [], []
        for t in range(p.T):
            n_par = K ** p.wave_arity(t)
            eta = np.zeros((d.n_rows if cp.wave_has_x[t] else 1, cp.D, n_par, K))
            for cls, col, idx, val in cp.fixed[t]:
                coef = np.where(idx >= 0, work[idx], val)
                eta[..., cls] += coef if col == "1" else \
                    d.columns[col][:, None, None] * coef
            lam = np.zeros((cp.D, n_par, K, cp.q))
            for cls, k, idx, val in cp.latent[t]:
                lam[:, :, cls, k] += np.where(idx >= 0, work[idx], val)
            inputs.eta.append(eta)
            inputs.lam.append(lam)
        inputs.logpd, inputs.pd_prob = self.between.logprior(work, d.n_clusters)
        return inputs

    def _cell_logp(self, inputs, nodes, rows):
        """log P of every wave for rows ``rows`` (a slice) in every cell r = (d, g):
        per wave (n or 1, D * G, parents..., K)."""
        p = self.plan
        z = nodes.zb if nodes.shared else nodes.zb[self.cluster_of_row[rows]]  # (n|1, G, q)
        G = nodes.G
        out = []
        for t in range(p.T):
            eta = inputs.eta[t]
            eta = (eta if eta.shape[0] == 1 else eta[rows])[:, :, None]  # (n|1, D, 1, P, K)
            lam = inputs.lam[t]
            if lam.any():
                eta = eta + np.einsum("dpkq,ngq->ndgpk", lam, z)
            n = max(eta.shape[0], 1)
            eta = np.broadcast_to(eta, (n, self.D, G) + eta.shape[3:])
            lp = eta - logsumexp(eta, axis=-1, keepdims=True)
            out.append(lp.reshape((n, self.D * G) + (p.K,) * p.wave_arity(t) + (p.K,)))
        return out

    def _kernel_arrays_cells(self, logp):
        p = self.plan
        P2 = None
        if p.order == 1 or p.T < 3:
            P = np.stack(np.broadcast_arrays(*logp[1:]), axis=2)
        else:
            P = logp[1][:, :, None]
            P2 = np.stack(np.broadcast_arrays(*logp[2:]), axis=2)
        return logp[0], P, P2

    def _chunks(self, nodes):
        d, p = self.design, self.plan
        per_row = 8 * self.D * nodes.G * p.T * p.K ** (p.order + 1) * 3
        size = max(1, int(CHUNK_BYTES // max(per_row, 1)))
        return [slice(a, min(a + size, d.n_rows)) for a in range(0, d.n_rows, size)]

    def _cacheable(self, nodes):
        """The per-cell posteriors of every row fit in ``CACHE_BYTES`` (kept on the E-step,
        so the EM M-step's Q-function calls need no forward-backward)."""
        p = self.plan
        per_row = 8 * self.D * nodes.G * sum(p.K ** (p.wave_arity(t) + 1) for t in range(p.T))
        return per_row * self.design.n_rows <= CACHE_BYTES

    def _row_loglik(self, inputs, nodes, E):
        """(J, D * G) sum over each cluster's rows of row_weight * log L_i(cell)."""
        d = self.design
        out = np.zeros((d.n_clusters, self.D * nodes.G))
        for rows in self._chunks(nodes):
            P0, P, P2 = self._kernel_arrays_cells(self._cell_logp(inputs, nodes, rows))
            res = _chain.forward_backward(E[rows][:, None], P0, P, P2, posteriors=False,
                                          num_threads=self.num_threads)
            ll = res["ll"] * d.row_weight[rows][:, None]
            np.add.at(out, self.cluster_of_row[rows], ll)
        return out

    def _log_joint(self, inputs, nodes, E):
        """(J, D, G) log p(Y_j, d, z_g) + log w_g, without the data constants."""
        J, G = self.design.n_clusters, nodes.G
        ll = self._row_loglik(inputs, nodes, E).reshape(J, self.D, G)
        return ll + inputs.logpd[:, :, None] + nodes.lwg[:, None, :]

    def _log_joint_at(self, inputs, Z):
        """log p(Y_j, z_j) (up to constants) at one point per cluster, Z (J, q)."""
        nodes = NodeState(Z[:, None, :], -0.5 * (Z * Z).sum(axis=1)[:, None],
                          self.nodes.zh, self.nodes.lwh)
        lj = self._log_joint(inputs, nodes, self.emissions(inputs))
        return logsumexp(lj.reshape(len(Z), -1), axis=1)

    # -- E-step, log-likelihood, scores ---------------------------------------------------
    def _cell_posteriors_of(self, inputs, nodes, E):
        """The cluster log-likelihoods and P(d, g | Y_j): (ll (J,), post_dg (J, D, G))."""
        lj = self._log_joint(inputs, nodes, E)
        ll = logsumexp(lj.reshape(len(lj), -1), axis=1)
        with np.errstate(invalid="ignore"):
            return ll, np.exp(lj - ll[:, None, None])

    def _mixed_arrays(self):
        p, N = self.plan, self.design.n_rows
        T, K = p.T, p.K
        xi2 = np.zeros((N, T - 2, K, K, K)) if p.order == 2 and T > 2 else None
        return np.zeros((N, T, K)), np.zeros((N, T - 1, K, K)), xi2

    def estep(self, free_work):
        d, nodes = self.design, self.nodes
        inputs = self.inputs(free_work)
        E = self.emissions(inputs)
        ll, post_dg = self._cell_posteriors_of(inputs, nodes, E)
        gamma, xi, xi2 = self._mixed_arrays()
        flat = post_dg.reshape(len(ll), -1)
        for rows in self._chunks(nodes):
            P0, P, P2 = self._kernel_arrays_cells(self._cell_logp(inputs, nodes, rows))
            _chain.chain_estep(E[rows][:, None], P0, P, np.empty((rows.stop - rows.start,
                                                                   flat.shape[1])),
                               gamma[rows], xi[rows], P2=P2,
                               xi2_out=None if xi2 is None else xi2[rows],
                               weight=flat[self.cluster_of_row[rows]],
                               num_threads=self.num_threads)
        ll_cluster = d.cluster_weight * (ll + self.const_cluster)
        return ClusterChainEStep(ll_cluster, post_dg, gamma, xi, xi2, inputs, nodes)

    def _cell_posteriors(self, estep, rows, logp, E):
        """Per wave the posteriors of (parents, class) of ``rows`` in every cell:
        (n, D * G, parents..., K), at the E-step's parameters (``logp``)."""
        p = self.plan
        n, R = rows.stop - rows.start, self.D * estep.nodes.G
        K, T = p.K, p.T
        if estep.is_uniform:
            return [np.full((n, R) + (K,) * (p.wave_arity(t) + 1),
                            1.0 / K ** (p.wave_arity(t) + 1)) for t in range(T)], None
        P0, P, P2 = self._kernel_arrays_cells(logp)
        out = _chain.forward_backward(E[rows][:, None], P0, P, P2, reduce="cell",
                                      num_threads=self.num_threads)
        post = [out["gamma"][:, :, 0]]
        for t in range(1, T):
            post.append(out["xi2"][:, :, t - 2] if p.order == 2 and t >= 2
                        else out["xi"][:, :, t - 1])
        return post, out

    def expected(self, free_work, estep, per_cluster=False, kernel_out=None):
        """Q-function and its gradient on the free working vector at fixed posteriors.

        At the E-step's own parameters the gradient is the log-likelihood's
        (Fisher's identity); ``per_cluster`` gives the (clusters, n_free) scores.
        """
        same = np.array_equal(free_work, estep.inputs.free_work)
        inputs = estep.inputs if same else self.inputs(free_work)
        return self._scores(inputs, estep, per_cluster)

    def loglike_and_score(self, free_work, per_cluster=False):
        """Log-likelihood, its exact gradient and the E-step: one sweep for the cluster
        posteriors, one per cell for the row posteriors and the class-logit scores."""
        d, nodes = self.design, self.nodes
        inputs = self.inputs(free_work)
        E = self.emissions(inputs)
        ll, post_dg = self._cell_posteriors_of(inputs, nodes, E)
        es = ClusterChainEStep(d.cluster_weight * (ll + self.const_cluster), post_dg,
                               *self._mixed_arrays(), inputs, nodes)
        _, g = self._scores(inputs, es, per_cluster, fill=True)
        return es.loglike, g, es

    def _scores(self, inputs, estep, per_cluster, fill=False):
        """Q and its gradient (module docstring); ``fill``: the E-step's row posteriors
        are still to be mixed over the cells (at the E-step's own parameters)."""
        p, d = self.plan, self.design
        N, J, n_full = d.n_rows, d.n_clusters, p.n_full
        nodes = estep.nodes
        g = np.zeros((N, n_full)) if per_cluster else np.zeros(n_full)
        q_rows = np.zeros(N) if per_cluster else None
        flat = estep.post_dg.reshape(J, -1)
        E = self.emissions(estep.inputs)
        q = 0.0
        summed = not per_cluster and nodes.shared and not any(self.cplan.wave_has_x) \
            and not estep.is_uniform
        if summed:
            # logits the same on every row of a cell: the kernel sums the cell posteriors
            # over the rows (kept on the E-step for the Q-function at other parameters)
            if "cell_sums" not in estep.__dict__:
                estep.cell_sums = self._cell_sums(estep, E, flat, fill)
            R = flat.shape[1]
            q = self._logit_scores(inputs, nodes, slice(0, 1), estep.cell_sums,
                                   self._cell_logp(inputs, nodes, slice(0, 1)),
                                   np.ones((1, R)), g, False)
        for rows in [] if summed else self._chunks(nodes):
            cl = self.cluster_of_row[rows]
            W = flat[cl] * self.weight[rows][:, None]                # (n, R)
            lp_new = self._cell_logp(inputs, nodes, rows)
            lp_old = lp_new if inputs is estep.inputs else \
                self._cell_logp(estep.inputs, nodes, rows)
            post = estep.cell_cache.get(rows.start)
            if post is None:
                post, out = self._cell_posteriors(estep, rows, lp_old, E)
                if fill:
                    self._mix(estep, rows, out, flat[cl])
                if self._cacheable(nodes):
                    estep.cell_cache[rows.start] = post
            gr = np.zeros((rows.stop - rows.start, n_full)) if per_cluster else g
            qr = self._logit_scores(inputs, nodes, rows, post, lp_new, W, gr, per_cluster)
            if per_cluster:
                g[rows] += gr
                q_rows[rows] += qr
            else:
                q += qr
        q += self._outcome_part(inputs, estep, g, q_rows)
        if per_cluster:
            g = np.add.reduceat(g, d.indptr[:-1], axis=0)
            q_rows = np.add.reduceat(q_rows, d.indptr[:-1])
        post_d = estep.post_dg.sum(axis=2) * d.cluster_weight[:, None]
        qb, gb = self.between.scores(inputs.logpd, inputs.pd_prob, post_d, n_full,
                                     per_cluster)
        g = g + gb
        out_q = q_rows + (post_d * inputs.logpd).sum(axis=1) if per_cluster else q + qb
        return out_q, free_gradient(self.table, p.is_threshold, g, inputs)

    def _cell_sums(self, estep, E, flat, fill):
        """Per wave the posteriors of (parents, class) in every cell summed over the rows
        with the cell weights: (1, D * G, parents..., K); ``fill`` mixes the rows'
        posteriors over the cells into the E-step too."""
        p, nodes = self.plan, estep.nodes
        R = flat.shape[1]
        gamma0 = np.zeros((R, p.K))
        xi = np.zeros((R, p.T - 1, p.K, p.K))
        xi2 = np.zeros((R, p.T - 2, p.K, p.K, p.K)) if p.order == 2 and p.T > 2 else None
        for rows in self._chunks(nodes):
            cl = self.cluster_of_row[rows]
            P0, P, P2 = self._kernel_arrays_cells(self._cell_logp(estep.inputs, nodes, rows))
            out = _chain.forward_backward(E[rows][:, None], P0, P, P2,
                                          weight=flat[cl] * self.weight[rows][:, None],
                                          reduce="cell-sum", num_threads=self.num_threads)
            gamma0 += out["gamma"][:, 0]
            xi += out["xi"]
            if xi2 is not None:
                xi2 += out["xi2"]
            if fill:
                gamma, xr, x2 = estep.unique
                _chain.chain_estep(E[rows][:, None], P0, P, np.empty((len(cl), R)),
                                   gamma[rows], xr[rows], P2=P2,
                                   xi2_out=None if x2 is None else x2[rows],
                                   weight=flat[cl], num_threads=self.num_threads)
        sums = [gamma0[None]]
        for t in range(1, p.T):
            sums.append((xi2[:, t - 2] if xi2 is not None and t >= 2 else xi[:, t - 1])[None])
        return sums

    @staticmethod
    def _mix(estep, rows, out, weight):
        """The rows' posteriors mixed over the cells with the cells' posterior weights."""
        gamma, xi, xi2 = estep.unique
        gamma[rows] = np.einsum("nr,nr...->n...", weight, out["gamma"])
        xi[rows] = np.einsum("nr,nr...->n...", weight, out["xi"])
        if xi2 is not None:
            xi2[rows] = np.einsum("nr,nr...->n...", weight, out["xi2"])

    def _logit_scores(self, inputs, nodes, rows, post, logp, W, g, per_row):
        """Add the class-logit scores of ``rows`` into g (per row: (n, n_full)); return
        their Q (per row: (n,)).  ``post``: per wave the cell posteriors, ``logp`` the
        log-probabilities at the parameters of ``inputs``, ``W`` (n, R) the cell weights."""
        p, cp, d = self.plan, self.cplan, self.design
        n, K, D, G = rows.stop - rows.start, p.K, self.D, nodes.G
        z = nodes.zb if nodes.shared else nodes.zb[self.cluster_of_row[rows]]  # (n|1, G, q)
        q = np.zeros(n) if per_row else 0.0
        for t in range(p.T):
            n_par = K ** p.wave_arity(t)
            pt = post[t].reshape(n, D, G, n_par, K)
            lp = logp[t].reshape(-1, D, G, n_par, K)
            Wp = pt * W.reshape(n, D, G, 1, 1)
            if lp.shape[0] == 1 and not per_row and not cp.wave_has_x[t]:
                # logits the same on every row: sums over the rows first
                Ws = Wp.sum(axis=0)[None]
                resid = Ws - Ws.sum(axis=4, keepdims=True) * np.exp(lp)
                q += float(np.where(Ws > 0, Ws * lp, 0.0).sum())
            else:
                resid = Wp - Wp.sum(axis=4, keepdims=True) * np.exp(lp)
                wl = np.where(Wp > 0, Wp * lp, 0.0)
                q += wl.sum(axis=(1, 2, 3, 4)) if per_row else float(wl.sum())
            for cls in range(K - 1):
                r = resid[..., cls]                                   # (n|1, D, G, P)
                fixed = [(col, idx) for c, col, idx, _ in cp.fixed[t] if c == cls]
                if fixed:
                    rg = r.sum(axis=2)                                # (n|1, D, P)
                    for col, idx in fixed:
                        self._scatter(g, idx, rg if col == "1" else
                                      rg * d.columns[col][rows][:, None, None], per_row)
                latent = [(k, idx) for c, k, idx, _ in cp.latent[t] if c == cls]
                if latent:
                    zz = z if r.shape[0] == z.shape[0] else np.broadcast_to(
                        z, (r.shape[0],) + z.shape[1:])
                    rz = np.einsum("ndgp,ngq->ndpq", r, zz)           # (n|1, D, P, q)
                    for k, idx in latent:
                        self._scatter(g, idx, rz[..., k], per_row)
        return q

    @staticmethod
    def _scatter(g, idx, r, per_row):
        """Add the residual sums r (n, D, P) into the parameters idx (D, P)."""
        ok = idx >= 0
        if per_row:
            np.add.at(g.T, idx[ok], r[:, ok].T)
        else:
            np.add.at(g, idx[ok], r.sum(axis=0)[ok])

    def has_tabulated_q(self):
        return False


def two_level_engine(layout, design, table, **options):
    """The two-level chain engine of a model, or None when the enumerating engine is the
    better choice: not a chain, single-level, a rule only the enumerating engine has
    (logit windows), or few joint patterns (fewer than ``MIN_PATTERNS``: the enumerating
    engine's tabulated sweep is faster) whose posterior arrays fit in ``ENUMERATION_BYTES``.
    """
    if chain_reason(layout, design) or not is_two_level(layout, design):
        return None
    opts = {k: options.get(k) for k in ("integration", "n_points", "adaptive",
                                        "n_points_within")}
    rule = cluster_rule(layout, seed=options.get("seed", 0), **opts)
    if rule.kind == LOGIT_WINDOW:
        return None
    chain, q = layout.chain, sum(b.dim for b in layout.spec.blocks)
    patterns = float(layout.spec.n_between_patterns) * chain.k ** chain.n_waves
    nodes = rule.n_points ** q if rule.kind in ("gauss-hermite", "trapezoid") else \
        (rule.n_points if q else 1)
    if patterns < MIN_PATTERNS and 8.0 * design.n_rows * patterns * nodes <= ENUMERATION_BYTES:
        return None
    return ChainClusterEngine(layout, design, table, rule=rule, seed=options.get("seed", 0),
                              num_threads=options.get("num_threads"))
