"""The likelihood engine: from parameters to kernel arrays and back to scores.

One :class:`Engine` serves every model of the paper (DESIGN.md section 2): it
turns the parameter vector into linear-predictor arrays for the compiled
kernel, calls the kernel for the per-cluster log-likelihood and posterior
weights (the E-step), and maps the kernel's expected complete-data scores back
to parameters: the exact gradient by Fisher's identity, per-cluster scores for
the MLR sandwich, and the EM Q-function.

Optimisation runs on the free *working* vector (see :mod:`mixlevel.params`).
"""

from __future__ import annotations

import contextlib
import os

import numpy as np

from .._kernels import _estep
from ..errors import SpecificationError
from ..estimation.closed_form import ClosedFormMStep
from ..families import Ordinal
from ..integrate import quadrature
from ..spec.transforms import working_jacobian
from . import gaussian, tabulate

__all__ = ["Engine", "EStep"]


def logsumexp(x, axis, keepdims=False):
    """Log-sum-exp with the max trick (numpy only: scipy's adds overhead on small arrays)."""
    mx = np.max(x, axis=axis, keepdims=True)
    mx = np.where(np.isfinite(mx), mx, 0.0)
    out = np.log(np.sum(np.exp(x - mx), axis=axis, keepdims=True)) + mx
    return out if keepdims else np.squeeze(out, axis=axis)


SERIAL_BELOW_CELLS = 20_000  # smaller kernels run on one thread
MAX_CELL_BYTES = 4 * 2**30  # posterior arrays (rows x classes x nodes) beyond 4 GB


def default_threads():
    env = os.environ.get("OMP_NUM_THREADS")
    if env and env.isdigit():
        return max(1, int(env))
    return max(1, min(os.cpu_count() or 1, 8))


def _add_columns(g, cols, values):
    """g[:, cols] += values, adding up repeated columns (np.add.at is slow on 2-D)."""
    uniq, inverse = np.unique(cols, return_inverse=True)
    if len(uniq) == len(cols):
        g[:, cols] += values
    else:
        onehot = np.zeros((len(cols), len(uniq)))
        onehot[np.arange(len(cols)), inverse] = 1.0
        g[:, uniq] += values @ onehot


class EStep:
    """Result of one E-step at given parameters.

    ``rowpost`` (N, D, G, C, H), P(c, h | d, g, y_i), is all ones when rows
    have no classes or nodes of their own (C = H = 1: single-level IRT, random
    effect models); then the kernel does not write it and it is made only if
    asked for.
    """

    def __init__(self, ll_cluster, post_dg, rowpost, logpd, arrays, n_rowpost=0):
        self.ll_cluster = ll_cluster  # (J,) weighted log-likelihood per cluster
        self.post_dg = post_dg        # (J, D, G) P(d, g | Y_j)
        self._rowpost = rowpost       # None: all ones, n_rowpost of them
        self._n_rowpost = n_rowpost
        self.logpd = logpd            # (J, D) log P(d | x_j)
        self.arrays = arrays          # kernel inputs at these parameters
        self.tab_stats = None         # expected statistics of tabulated outcomes (cached)

    @property
    def rowpost(self):
        if self._rowpost is None:
            self._rowpost = np.ones(self._n_rowpost)
        return self._rowpost

    @property
    def loglike(self):
        return float(self.ll_cluster.sum())


class Engine:
    """Likelihood, gradient and E-step of a finalised spec on its design.

    Parameters
    ----------
    spec : ModelSpec (finalised)
    design : Design
    table : ParamTable
    integration : str
        "trapezoid" (default, as Mplus), "gauss-hermite", "monte-carlo" or
        "quasi-monte-carlo".
    n_points : int
        Points per dimension (product rules) or draws (Monte Carlo).
    adaptive : bool
        Shift and scale the cluster-level nodes per cluster to the posterior.
    """

    def __init__(self, spec, design, table, integration=None, n_points=None,
                 adaptive=False, n_points_within=None, seed=0, num_threads=None):
        self.spec, self.design, self.table = spec, design, table
        self.num_threads = num_threads or default_threads()
        pats = spec.patterns()
        self.patterns = pats
        self.D, self.C = spec.n_between_patterns, spec.n_within_patterns
        self.DC = self.D * self.C
        self._layout_channels()
        self._layout_latent(design.single_level)
        self._layout_terms()
        # exact normal likelihood (gaussian.py, one node at 0) unless a rule was asked for
        self.exact, integration, n_points = gaussian.select(self, integration, n_points,
                                                            adaptive, n_points_within)
        self.integration, self.n_points, self.adaptive = integration, n_points, adaptive
        if self.exact is not None:
            integration, n_points = "gauss-hermite", 1
        self._check_grid_size(integration, n_points, n_points_within, design.n_rows)
        self.rule_b = quadrature.make_rule(integration, n_points, len(self.dims_b), seed=seed)
        self.rule_w = quadrature.make_rule(integration, n_points_within or n_points,
                                           len(self.dims_w), seed=seed)
        self.reset_nodes()
        d = design
        cells = d.n_rows * max(len(spec.outcomes), 1) * self.DC * self.rule_b.size \
            * self.rule_w.size
        if num_threads is None and cells < SERIAL_BELOW_CELLS:
            self.num_threads = 1  # thread start-up costs more than it saves
        self.const_cluster = np.add.reduceat(d.row_weight * d.const, d.indptr[:-1]) \
            if d.n_rows else np.zeros(0)
        self.cluster_of_row = d.cluster_of_row
        self._unit_weights = bool(np.all(d.row_weight == 1) and np.all(d.cluster_weight == 1))
        self._layout_tabulation()

    def _check_grid_size(self, integration, n_points, n_points_within, n_rows):
        """Refuse integration grids whose posterior arrays would not fit in memory."""
        product = quadrature.canonical_kind(integration) in ("trapezoid", "gauss-hermite")
        qb, qw = len(self.dims_b), len(self.dims_w)
        G = n_points ** qb if product else (n_points if qb else 1)
        nw = n_points_within or n_points
        H = nw ** qw if product else (nw if qw else 1)
        cells = float(n_rows) * self.DC * G * H
        if cells * 8 > MAX_CELL_BYTES:
            dims = f"{qb} cluster-level and {qw} row-level" if qw else f"{qb}"
            raise SpecificationError(
                f"the integration grid is too large: {dims} random effects with "
                f"{integration} rules of {n_points} points per dimension give "
                f"{G * H:,.0f} nodes, {cells:,.0f} posterior cells for {n_rows:,} rows "
                f"({cells * 8 / 2**30:.1f} GB).  Use fewer points per dimension "
                "(n_points=...), or integration='quasi-monte-carlo' (or 'monte-carlo') "
                "with a total number of points (n_points=500), or fewer random effects.")

    # -- layout -----------------------------------------------------------------------
    def _layout_channels(self):
        spec = self.spec
        self.och, self.fam, self.ncat = [], [], []
        ch = 0
        self.channel_of = {}
        for o in spec.outcomes:
            self.och.append(ch)
            self.channel_of[o.name] = ch
            self.fam.append(o.family.kernel_code())
            self.ncat.append(o.n_categories)
            ch += spec.n_channels_of(o)
        self.n_outcome_channels = ch
        self.kv, self.chv = [], []
        for cv in spec.within_classes:
            self.chv.append(ch)
            self.channel_of[cv.name] = ch
            self.kv.append(cv.n_classes)
            ch += cv.n_classes - 1
        self.CH = max(ch, 1)
        wnames = [c.name for c in spec.within_classes]
        self.cpat = np.array([[p[n] for n in wnames] for p in self.patterns[:self.C]],
                             dtype=np.int64).reshape(self.C, len(wnames))
        bnames = [c.name for c in spec.between_classes]
        self.dpat = np.array([[self.patterns[d * self.C][n] for n in bnames]
                              for d in range(self.D)], dtype=np.int64).reshape(self.D, -1)
        self.kf = max([o.family.n_params(o.n_categories) for o in spec.outcomes] + [1])

    def _layout_latent(self, single_level):
        self.dims_b, self.dims_w = [], []
        for blk in self.spec.blocks:
            target = self.dims_w if (blk.level == "row" and not single_level) else self.dims_b
            for k in range(blk.dim):
                target.append((blk.name, k))
        qb = len(self.dims_b)
        self.lv_pos = {key: 1 + i for i, key in enumerate(self.dims_b)}
        self.lv_pos.update({key: 1 + qb + i for i, key in enumerate(self.dims_w)})
        self.mono = np.array([[0, 0]] + [[self.lv_pos[k], 0] for k in self.dims_b + self.dims_w],
                             dtype=np.int64)
        self.M = len(self.mono)

    def _slot_index(self, slots):
        offs = self.table.offsets
        idx = np.full(len(slots), -1, dtype=np.int64)
        val = np.zeros(len(slots))
        for k, s in enumerate(slots):
            if isinstance(s, tuple) and s and s[0] == "chol":
                idx[k] = offs[s[1]] + s[2]
            elif isinstance(s, tuple):
                idx[k] = offs[s[0]] + s[1]
            else:
                val[k] = float(s)
        return idx, val

    def _layout_terms(self):
        spec = self.spec
        between = {c.name: i for i, c in enumerate(spec.between_classes)}
        self.entries, self.between_entries = [], []
        for t, chan, latent, slots in spec.term_slots:
            idx, val = self._slot_index(slots)
            if t.target in between:
                sub = idx.reshape(self.D, self.C)[:, 0], val.reshape(self.D, self.C)[:, 0]
                self.between_entries.append((between[t.target], chan, t.column, *sub))
                continue
            m = 0 if latent is None else self.lv_pos[(latent[0].name, latent[1])]
            self.entries.append((self.channel_of[t.target] + chan, m, t.column, idx, val))
        self.row_varying = any(e[2] != "1" for e in self.entries)
        # constant-column coefficients as one scatter: flat (ch, dc, m) position, slot
        pos, idx, val = [], [], []
        for ch, m, col, ix, vl in self.entries:
            if col == "1":
                pos.extend((ch * self.DC + np.arange(self.DC)) * self.M + m)
                idx.extend(ix)
                val.extend(vl)
        self._const_entries = (np.asarray(pos, np.int64), np.asarray(idx, np.int64),
                               np.asarray(val, float))
        self.family_entries = []
        for p, o in enumerate(spec.outcomes):
            for dc, slot in enumerate(spec.family_slots.get(o.name, [])):
                idx, _ = self._slot_index([slot])
                n_par = o.family.n_params(o.n_categories)
                self.family_entries.append((p, dc, int(idx[0]), n_par,
                                            isinstance(o.family, Ordinal)))
        if self.between_entries:
            self.cluster_cols = {
                e[2]: self.design.cluster_values(e[2]) for e in self.between_entries}
        self.is_threshold = np.zeros(len(self.table.names), bool)
        for _, _, off, n_par, ordinal in self.family_entries:
            if ordinal:
                self.is_threshold[off:off + n_par] = True

    # -- tabulated outcomes (mixlevel.tabulate) -----------------------------------------------
    def _layout_tabulation(self):
        """Which outcomes and class priors are computed by matrix products.

        An outcome is tabulated when all its terms use the constant column; the
        within class prior when all class-logit terms do.  Needs nodes shared by
        all clusters, so adaptive rules switch it off.
        """
        const_channels = {}
        for ch, _, col, _, _ in self.entries:
            const_channels[ch] = const_channels.get(ch, True) and col == "1"
        spec = self.spec
        self.tab_outcomes = []
        for p, o in enumerate(spec.outcomes):
            chans = range(self.och[p], self.och[p] + spec.n_channels_of(o))
            if all(const_channels.get(ch, True) for ch in chans):
                self.tab_outcomes.append(p)
        class_chans = [ch for v in range(len(self.kv))
                       for ch in range(self.chv[v], self.chv[v] + self.kv[v] - 1)]
        self.tab_classes = bool(class_chans) and all(
            const_channels.get(ch, True) for ch in class_chans)
        self.fast = not self.adaptive and self.exact is None and (
            bool(self.tab_outcomes) or self.tab_classes)
        self.remaining_outcomes = len(self.tab_outcomes) < len(spec.outcomes)
        if not self.fast:
            return
        d, spec = self.design, self.spec
        n_ch = [spec.n_channels_of(o) for o in spec.outcomes]
        n_fp = [o.family.n_params(o.n_categories) for o in spec.outcomes]
        key = ("outcome tables", tuple(self.tab_outcomes), tuple(self.fam), tuple(self.ncat),
               tuple(self.och), tuple(n_ch), tuple(n_fp))
        if key not in d.cache:  # every start's engine shares them
            d.cache[key] = tabulate.OutcomeTables(self.tab_outcomes, self.fam, self.ncat,
                                                  self.och, n_ch, n_fp, d.y, d.trials)
        self.tables = d.cache[key]
        self.stats = self.tables.stats
        self.fam_fast = np.asarray(self.fam, np.int64).copy()
        self.fam_fast[self.tab_outcomes] = -1

    def _node_monomials(self):
        """U[g, h, m] at the shared nodes (cached while the nodes stay)."""
        cached = getattr(self, "_monomials", None)  # holds the node arrays it was made of
        if cached is not None and cached[0] is self.zb and cached[1] is self.zh:
            return cached[2]
        U = self._compute_monomials()
        self._monomials = (self.zb, self.zh, U)
        return U

    def _compute_monomials(self):
        """Products of pairs of latent values (the kernel's MONO) at every shared node."""
        G, H = self.zb.shape[1], self.zh.shape[0]
        lv = np.concatenate([np.ones((G, H, 1)),
                             np.broadcast_to(self.zb[0][:, None, :], (G, H, self.zb.shape[2])),
                             np.broadcast_to(self.zh[None, :, :], (G, H, self.zh.shape[1]))],
                            axis=2)
        return lv[:, :, self.mono[:, 0]] * lv[:, :, self.mono[:, 1]]

    def _tabulate(self, arr):
        """Tables T of the tabulated outcomes and the class log-prior at ``arr``."""
        D, C, G, H = self.D, self.C, self.zb.shape[1], self.zh.shape[0]
        U = self._node_monomials()
        A0 = arr["A"][0].reshape(self.CH, D, C, self.M)
        T, cache = self.tables.tables(A0, U, arr["FP"], (D, G, C, H))
        logprior = None
        if self.tab_classes:
            logprior, probs = self._class_logprior(A0, U)
            arr["class_probs"] = probs
        arr["tab"] = {"T": T, "cache": cache, "U": U, "logprior": logprior}

    def _extra(self, arr):
        """Cell log-densities of the tabulated parts per row: stats @ T + log prior."""
        D, C, G, H = self.D, self.C, self.zb.shape[1], self.zh.shape[0]
        tab = arr["tab"]
        extra = self.stats @ tab["T"] if len(tab["T"]) else \
            np.zeros((self.design.n_rows, D * G * C * H))
        if tab["logprior"] is not None:
            extra = extra + np.broadcast_to(tab["logprior"][:, :, :, None],
                                            (D, G, C, H)).reshape(1, -1)
        return np.ascontiguousarray(extra.reshape(-1))

    def _class_logprior(self, A0, U):
        """log P(c | d, g) (D, G, C) and per variable the class probabilities."""
        D, C, G = self.D, self.C, self.zb.shape[1]
        logprior = np.zeros((D, G, C))
        probs = []
        for v, (K, ch0) in enumerate(zip(self.kv, self.chv, strict=True)):
            eta = np.zeros((K, D, G, C))
            eta[:K - 1] = np.einsum("kdcm,gm->kdgc", A0[ch0:ch0 + K - 1], U[:, 0, :])
            lp = eta - logsumexp(eta, axis=0, keepdims=True)
            cv = self.cpat[:, v]
            logprior += np.take_along_axis(lp, cv[None, None, None, :].repeat(D, 1)
                                           .repeat(G, 2), axis=0)[0]
            probs.append(np.exp(lp))
        return logprior, probs

    def _row_posterior(self, estep):
        """Weighted posterior of every row over the cells (N, D*G*C*H)."""
        D, C, G, H = self.D, self.C, self.zb.shape[1], self.zh.shape[0]
        d = self.design
        N = d.n_rows
        w = d.row_weight * d.cluster_weight[self.cluster_of_row]
        post = estep.post_dg if d.single_level else estep.post_dg[self.cluster_of_row]
        if C * H == 1:  # P(c, h | d, g, y_i) = 1 wherever P(d, g | Y_j) > 0
            return post.reshape(N, -1) if self._unit_weights else post.reshape(N, -1) * w[:, None]
        P = post[:, :, :, None, None] * estep.rowpost.reshape(N, D, G, C, H) \
            * w[:, None, None, None, None]
        return P.reshape(N, -1)

    def expected_statistics(self, estep):
        """Expected statistics E (S, cells) and pattern counts (D, G, C), cached."""
        if estep.tab_stats is None:
            D, C, G, H = self.D, self.C, self.zb.shape[1], self.zh.shape[0]
            P = self._row_posterior(estep)
            E = (P.T @ self.stats).T  # this order: OpenBLAS is 50x slower on stats.T @ P
            counts = P.sum(axis=0).reshape(D, G, C, H).sum(axis=3)
            estep.tab_stats = (E, counts)
        return estep.tab_stats

    def _tab_expected(self, arr, estep, g):
        """Q and gradient of the tabulated parts from the expected statistics."""
        D, C, G, H = self.D, self.C, self.zb.shape[1], self.zh.shape[0]
        E, counts = self.expected_statistics(estep)
        tab = arr["tab"]
        U = tab["U"]
        q = float((E * tab["T"]).sum()) if len(E) else 0.0
        dA = np.zeros((self.CH, D, C, self.M))
        fam_grad = self.tables.gradient(E, tab["cache"], U, (D, G, C, H), dA)
        if self.tab_classes:
            q += float((counts * tab["logprior"]).sum())
            for v, (K, ch0) in enumerate(zip(self.kv, self.chv, strict=True)):
                prob = arr["class_probs"][v]  # (K, D, G, C)
                ind = (self.cpat[:, v][None, :] == np.arange(K)[:, None])  # (K, C)
                resid = ind[:, None, None, :] - prob
                dA[ch0:ch0 + K - 1] = np.einsum("kdgc,gm->kdcm",
                                                (counts[None] * resid)[:K - 1], U[:, 0, :])
        # dA is zero outside the tabulated channels
        g += dA.reshape(-1) @ self._coefficient_map(skip_tabulated=False)
        for p, dc, off, n_par, _ in self.family_entries:
            if p in fam_grad:
                g[off:off + n_par] += fam_grad[p][:n_par, dc // C, dc % C]
        return q

    def _tab_row_scores(self, arr, estep):
        """Per-row scores of the tabulated parts, in the kernel's layout.

        Returns S (N, CH, DC, M) and GF (N, outcomes, DC, kf), the expected
        complete-data scores of each row in the linear-predictor coefficients and
        family parameters, and q (N,), each row's share of the Q-function.  Row
        i's score in a coefficient of channel k is
        sum_s stats[i, s] sum_cell P[i, cell] dT[s, cell]/deta_k U[cell, m],
        one matrix product of the row posteriors P with the table derivatives.
        """
        D, C, G, H = self.D, self.C, self.zb.shape[1], self.zh.shape[0]
        N = self.design.n_rows
        tab = arr["tab"]
        U = tab["U"]  # (G, H, M)
        P = self._row_posterior(estep)
        S = np.zeros((N, self.CH, D, C, self.M))
        GF = np.zeros((N, max(len(self.spec.outcomes), 1), D, C, self.kf))
        self.tables.row_scores(P, tab["cache"], U, (D, G, C, H), S, GF)
        eye_d, eye_c = np.eye(D), np.eye(C)
        cell_ll = self.stats @ tab["T"] if len(tab["T"]) else np.zeros_like(P)
        if self.tab_classes:
            cell_ll = cell_ll + np.broadcast_to(tab["logprior"][:, :, :, None],
                                                (D, G, C, H)).reshape(1, -1)
            for v_, (K, ch0) in enumerate(zip(self.kv, self.chv, strict=True)):
                prob = arr["class_probs"][v_]  # (K, D, G, C)
                ind = (self.cpat[:, v_][None, :] == np.arange(K)[:, None])  # (K, C)
                resid = (ind[:, None, None, :] - prob)[:K - 1]
                v = np.einsum("kdgc,gm,h,de,cf->dgchkefm", resid, U[:, 0, :], np.ones(H),
                              eye_d, eye_c)
                S[:, ch0:ch0 + K - 1] = (P @ v.reshape(P.shape[1], -1)).reshape(
                    N, K - 1, D, C, self.M)
        q = np.einsum("ij,ij->i", P, cell_ll)
        return (S.reshape(N, self.CH, self.DC, self.M),
                GF.reshape(N, GF.shape[1], self.DC, self.kf), q)

    # -- closed-form M-step (latent class models: mixlevel.closed_form) -----------------------
    def has_closed_form_m_step(self):
        if not hasattr(self, "_closed_form"):
            self._closed_form = ClosedFormMStep.plan(self)
        return self._closed_form is not None

    def closed_form_m_step(self, free_work, estep):
        """EM update of a latent class model in closed form (None if not applicable)."""
        return self._closed_form.update(estep) if self.has_closed_form_m_step() else None

    def tab_channels(self):
        chans = []
        for p in self.tab_outcomes:
            chans.extend(range(self.och[p], self.och[p] + self.spec.n_channels_of(
                self.spec.outcomes[p])))
        if self.tab_classes:
            for K, ch0 in zip(self.kv, self.chv, strict=True):
                chans.extend(range(ch0, ch0 + K - 1))
        return chans

    # -- nodes ------------------------------------------------------------------------
    def reset_nodes(self):
        """Non-adaptive nodes (also the fallback when adaptation fails)."""
        rb, rw = self.rule_b, self.rule_w
        self.zb = np.ascontiguousarray(rb.nodes[None, :, :], float)
        self.lwg = np.ascontiguousarray(rb.logw[None, :], float)
        self.zh = np.ascontiguousarray(rw.nodes, float).reshape(rw.size, len(self.dims_w))
        self.lwh = np.ascontiguousarray(rw.logw, float)
        self.adapted = False

    @contextlib.contextmanager
    def at_zero_nodes(self):
        """Temporarily one node at z = 0 for every latent variable (start values)."""
        saved = (self.zb, self.lwg, self.zh, self.lwh, self.adapted, self.exact)
        self.exact = None  # the kernel at z = 0: a GLM per equation
        self.zb = np.zeros((1, 1, len(self.dims_b)))
        self.lwg = np.zeros((1, 1))
        self.zh = np.zeros((1, len(self.dims_w)))
        self.lwh = np.zeros(1)
        self.adapted = False
        try:
            yield
        finally:
            self.zb, self.lwg, self.zh, self.lwh, self.adapted, self.exact = saved

    def adapt_nodes(self, estep):
        """Centre and scale the cluster nodes at each cluster's posterior of z.

        Returns False (and keeps the previous nodes) when the posterior moments
        are unusable.
        """
        if not self.dims_b:
            return True
        post_g = estep.post_dg.sum(axis=1)  # (J, G)
        nodes = self.zb if self.zb.shape[0] > 1 else self.zb[0]
        try:
            mean, chol = quadrature.posterior_moments(nodes, post_g)
            zb, lwg = quadrature.adapt(self.rule_b, mean, chol)
        except (ValueError, np.linalg.LinAlgError, FloatingPointError):
            return False
        if not (np.isfinite(zb).all() and np.isfinite(lwg).all()):
            return False
        self.zb, self.lwg = np.ascontiguousarray(zb), np.ascontiguousarray(lwg)
        self.adapted = True
        return True

    def _log_joint_at(self, arr, Z):
        """log p(Y_j, z_j) (up to constants) at one point per cluster, Z (J, q)."""
        d = self.design
        J = d.n_clusters
        zb = np.ascontiguousarray(Z[:, None, :])
        lwg = np.ascontiguousarray(-0.5 * (Z * Z).sum(axis=1)[:, None])
        ll = np.empty(J)
        post = np.empty((J, self.D, 1))
        rp = np.empty(d.n_rows * self.D * self.C * self.zh.shape[0])
        args = list(self._kernel_args(arr, full=True))
        args[5], args[6] = zb, lwg
        with np.errstate(all="ignore"):
            _estep.loglik_posterior(*args, arr["logpd"], ll, post, rp, self.num_threads)
        return ll

    def adapt_nodes_at_mode(self, free_work, max_iter=30, tol=1e-7):
        """Centre and scale every cluster's nodes at its posterior mode and curvature.

        Newton's method per cluster on log p(y_j, z), with derivatives by central
        differences of the kernel at one point per cluster (as GLMMadaptive and
        lme4 centre their rules).  Returns False when a cluster's curvature is
        not negative definite (the caller falls back).
        """
        q = len(self.dims_b)
        if q == 0:
            return True
        arr = self.arrays(free_work)
        J = self.design.n_clusters
        z = getattr(self, "_modes", None)
        if z is None or z.shape != (J, q):
            z = np.zeros((J, q))
        h = 1e-3
        eye = np.eye(q) * h

        def derivatives(z):
            f0 = self._log_joint_at(arr, z)
            grad = np.empty((J, q))
            hess = np.empty((J, q, q))
            fp = [self._log_joint_at(arr, z + eye[a]) for a in range(q)]
            fm = [self._log_joint_at(arr, z - eye[a]) for a in range(q)]
            for a in range(q):
                grad[:, a] = (fp[a] - fm[a]) / (2 * h)
                hess[:, a, a] = (fp[a] - 2 * f0 + fm[a]) / h ** 2
                for b in range(a):
                    fpp = self._log_joint_at(arr, z + eye[a] + eye[b])
                    fmm = self._log_joint_at(arr, z - eye[a] - eye[b])
                    hess[:, a, b] = hess[:, b, a] = (
                        fpp - fp[a] - fp[b] + 2 * f0 - fm[a] - fm[b] + fmm) / (2 * h ** 2)
            return f0, grad, hess

        for _ in range(max_iter):
            f0, grad, hess = derivatives(z)
            try:
                step = -np.linalg.solve(hess, grad[:, :, None])[:, :, 0]
            except np.linalg.LinAlgError:
                return False
            ok = np.linalg.eigvalsh(hess).max(axis=1) < 0
            step = np.where(ok[:, None], step, 0.1 * grad)
            for _half in range(20):  # step halving per cluster
                f1 = self._log_joint_at(arr, z + step)
                worse = ~(f1 >= f0 - 1e-12)
                if not worse.any():
                    break
                step[worse] *= 0.5
            z = z + step
            if np.abs(step).max() < tol:
                break
        _, _, hess = derivatives(z)
        try:
            cov = np.linalg.inv(-hess)
            chol = np.linalg.cholesky(cov)
        except np.linalg.LinAlgError:
            return False
        try:
            zb, lwg = quadrature.adapt(self.rule_b, z, chol)
        except ValueError:
            return False
        if not (np.isfinite(zb).all() and np.isfinite(lwg).all()):
            return False
        self._modes = z
        self.zb, self.lwg = np.ascontiguousarray(zb), np.ascontiguousarray(lwg)
        self.adapted = True
        return True

    # -- parameters -> arrays -----------------------------------------------------------
    def arrays(self, free_work):
        """Kernel inputs (A, FP, logpd) at the free working vector."""
        tab = self.table
        nat = tab.expand_natural(tab.free_natural_from_working(free_work))
        work = tab.working_full(nat)
        d = self.design
        n_a = d.n_rows if self.row_varying else 1
        pos, idx, val = self._const_entries
        coef = np.where(idx >= 0, work[idx], val)
        A = np.bincount(pos, weights=coef, minlength=self.CH * self.DC * self.M).astype(float)
        A = A.reshape(1, self.CH, self.DC, self.M)
        if n_a > 1:
            A = np.repeat(A, n_a, axis=0)
        for ch, m, col, idx, val in self.entries:
            if col != "1":
                A[:, ch, :, m] += d.columns[col][:, None] * np.where(idx >= 0, work[idx], val)
        FP = np.zeros((max(len(self.spec.outcomes), 1), self.DC, self.kf))
        for p, dc, off, n_par, ordinal in self.family_entries:
            FP[p, dc, :n_par] = nat[off:off + n_par] if ordinal else work[off:off + n_par]
        logpd, pd_prob = self._between_logprior(work)
        arr = {"A": A, "FP": FP, "logpd": logpd, "pd_prob": pd_prob, "work": work, "nat": nat,
               "signs": tab.working_signs(free_work)}
        if self.fast and not self.adapted:
            self._tabulate(arr)
        return arr

    def _between_logprior(self, work):
        J = self.design.n_clusters
        bcs = self.spec.between_classes
        logpd = np.zeros((J, self.D))
        probs = []
        for w, cv in enumerate(bcs):
            eta = np.zeros((J, cv.n_classes, self.D))
            for ww, k, col, idx, val in self.between_entries:
                if ww != w:
                    continue
                coef = np.where(idx >= 0, work[idx], val)
                x = np.ones(J) if col == "1" else self.cluster_cols[col]
                eta[:, k, :] += x[:, None] * coef[None, :]
            lp = eta - logsumexp(eta, axis=1, keepdims=True)
            probs.append(np.exp(lp))
            logpd += lp[:, self.dpat[:, w], np.arange(self.D)]
        return np.ascontiguousarray(logpd), probs

    def _kernel_args(self, arr, full=False):
        """Kernel inputs; unless ``full``, tabulated outcomes and classes are left out."""
        d = self.design
        fast = "tab" in arr and not full
        fam = self.fam_fast if fast else np.asarray(self.fam, np.int64)
        no_cls = fast and self.tab_classes
        kv = np.zeros(0, np.int64) if no_cls else np.asarray(self.kv, np.int64)
        chv = np.zeros(0, np.int64) if no_cls else np.asarray(self.chv, np.int64)
        cpat = np.zeros((self.C, 0), np.int64) if no_cls else self.cpat
        return (np.ascontiguousarray(arr["A"]), d.y, d.trials, arr["FP"], d.row_weight,
                self.zb, self.lwg, self.zh, self.lwh, fam, np.asarray(self.och, np.int64),
                np.asarray(self.ncat, np.int64), self.mono, kv, chv, cpat, d.indptr)

    # -- E-step, likelihood, scores --------------------------------------------------------
    def estep(self, free_work):
        arr = self.arrays(free_work)
        d = self.design
        J, G = d.n_clusters, self.zb.shape[1]
        ll = np.empty(J)
        post_dg = np.empty((J, self.D, G))
        n_rowpost = d.n_rows * self.D * G * self.C * self.zh.shape[0]
        trivial = self.C * self.zh.shape[0] == 1
        rowpost = np.empty(0 if trivial else n_rowpost)
        with np.errstate(all="ignore"):
            if self.exact is not None:  # exact normal likelihood (gaussian.py)
                arr["moments"] = self.exact.loglik_posterior(arr["A"], arr["FP"],
                                                             arr["logpd"], ll, post_dg, rowpost)
            else:
                _estep.loglik_posterior(*self._kernel_args(arr), arr["logpd"], ll, post_dg,
                                        rowpost, self.num_threads,
                                        EXTRA=self._extra(arr) if "tab" in arr else None)
        ll_cluster = d.cluster_weight * (ll + self.const_cluster)
        arr["free_work"] = np.array(free_work, float, copy=True)
        return EStep(ll_cluster, post_dg, None if trivial else rowpost, arr["logpd"], arr,
                     n_rowpost)

    def loglike(self, free_work):
        return self.estep(free_work).loglike

    def expected(self, free_work, estep, per_cluster=False, kernel_out=None):
        """Q-function value and its gradient on the free working vector.

        With ``estep`` computed at ``free_work`` this is the log-likelihood's
        exact gradient (Fisher's identity).  ``per_cluster=True`` returns the
        (J, n_free) matrix of cluster scores instead of the sum.  ``kernel_out``
        passes the kernel's (S, GFP, q) when a fused sweep computed them.
        """
        same = np.array_equal(free_work, estep.arrays["free_work"])
        arr = estep.arrays if same else self.arrays(free_work)
        d = self.design
        N = d.n_rows
        n_full = len(self.table.names)
        J = d.n_clusters
        g = np.zeros((J, n_full)) if per_cluster else np.zeros(n_full)
        fast = "tab" in arr
        summed = fast and not per_cluster  # tabulated parts from expected statistics
        q_tab = self._tab_expected(arr, estep, g) if summed else 0.0
        need_kernel = self.remaining_outcomes or (len(self.kv) > 0 and not self.tab_classes)
        if summed and not need_kernel:
            qb, gb = self._between_scores(arr, estep, per_cluster)
            return float(q_tab + qb), self._to_free(g + gb, arr)
        if kernel_out is not None:  # from the fused sweep at these parameters
            S, GF, q = kernel_out
        else:
            S = np.zeros((N, self.CH, self.DC, self.M))
            GF = np.zeros((N, max(len(self.spec.outcomes), 1), self.DC, self.kf))
            q = np.zeros(J)
            if self.exact is not None:  # exact normal likelihood (gaussian.py)
                self.exact.expected_scores(arr["A"], arr["FP"], d.cluster_weight,
                                           estep.post_dg, estep.rowpost,
                                           estep.arrays["moments"], S, GF, q)
            elif need_kernel or not fast:
                with np.errstate(all="ignore"):
                    _estep.expected_scores(*self._kernel_args(arr, full=not fast),
                                           d.cluster_weight, estep.post_dg, estep.rowpost,
                                           S, GF, q, self.num_threads)
        if fast and per_cluster:  # tabulated parts row by row
            S_tab, GF_tab, q_rows = self._tab_row_scores(arr, estep)
            S, GF = (S + S_tab, GF + GF_tab) if need_kernel or kernel_out else (S_tab, GF_tab)
            if N:
                q = q + self._by_cluster(q_rows)
        # constant-column coefficients: one product with the (channel, dc, m) -> parameter map
        coef_map = self._coefficient_map(skip_tabulated=summed)
        flat = S.reshape(N, -1)
        g += (self._by_cluster(flat) if per_cluster else flat.sum(axis=0)) @ coef_map
        skip = set(self.tab_channels()) if summed else set()
        for ch, m, col, idx, _ in self.entries:
            ok = idx >= 0
            if col == "1" or ch in skip or not ok.any():
                continue
            contrib = S[:, ch, :, m] * d.columns[col][:, None]
            if per_cluster:
                _add_columns(g, idx[ok], self._by_cluster(contrib)[:, ok])
            else:
                np.add.at(g, idx[ok], contrib.sum(axis=0)[ok])
        for p, dc, off, n_par, _ in self.family_entries:
            if summed and p in self.tab_outcomes:
                continue
            contrib = GF[:, p, dc, :n_par]
            if per_cluster:
                g[:, off:off + n_par] += self._by_cluster(contrib)
            else:
                g[off:off + n_par] += contrib.sum(axis=0)
        qb, gb = self._between_scores(arr, estep, per_cluster)
        g = g + gb
        q_total = q if per_cluster else float(q.sum() + qb + q_tab)
        return q_total, self._to_free(g, arr)

    def _coefficient_map(self, skip_tabulated):
        """(CH * DC * M, parameters) 0/1 map of the constant-column coefficients.

        Scores on the kernel's (channel, dc, monomial) layout times this map are
        scores on the parameters.  ``skip_tabulated`` leaves out the tabulated
        channels (their gradient comes from the expected statistics).
        """
        key = "_coef_map_skip" if skip_tabulated else "_coef_map_all"
        if not hasattr(self, key):  # the transpose of the scatter that builds A
            pos, idx, _ = self._const_entries
            keep = idx >= 0
            if skip_tabulated:
                keep &= ~np.isin(pos // (self.DC * self.M), self.tab_channels())
            cmap = np.zeros((self.CH * self.DC * self.M, len(self.table.names)))
            np.add.at(cmap, (pos[keep], idx[keep]), 1.0)
            setattr(self, key, cmap)
        return getattr(self, key)

    def _by_cluster(self, rows):
        """Sums of row contributions per cluster (rows are cluster-sorted)."""
        if self.design.single_level:
            return rows
        return np.add.reduceat(rows, self.design.indptr[:-1], axis=0)

    def _between_scores(self, arr, estep, per_cluster):
        d = self.design
        J = d.n_clusters
        n_full = len(self.table.names)
        g = np.zeros((J, n_full))
        if not self.spec.between_classes:
            return 0.0, (g if per_cluster else np.zeros(n_full))
        post_d = estep.post_dg.sum(axis=2) * d.cluster_weight[:, None]  # (J, D)
        q = float((post_d * arr["logpd"]).sum())
        for w, _cv in enumerate(self.spec.between_classes):
            prob = arr["pd_prob"][w]  # (J, K, D)
            for ww, k, col, idx, _ in self.between_entries:
                if ww != w:
                    continue
                x = np.ones(J) if col == "1" else self.cluster_cols[col]
                resid = (self.dpat[:, w] == k)[None, :] - prob[:, k, :]  # (J, D)
                contrib = post_d * resid * x[:, None]
                ok = idx >= 0
                np.add.at(g, (slice(None), idx[ok]), contrib[:, ok])
        return q, (g if per_cluster else g.sum(axis=0))

    def _to_free(self, g_kernel, arr):
        """Kernel-value gradient -> free working gradient (thresholds chained)."""
        g = g_kernel.copy()
        tab = self.table
        work = arr["work"]
        if self.is_threshold.any():
            for gi, grp in enumerate(tab.groups):
                if grp.kind != "thresholds":
                    continue
                s = slice(tab.offsets[gi], tab.offsets[gi + 1])
                jac = working_jacobian("thresholds", work[s])
                g[..., s] = g[..., s] @ jac
        return tab.reduce_gradient(g) * arr["signs"]

    def has_tabulated_q(self):
        """True when the EM Q-function and its gradient need no kernel sweep."""
        return not self._needs_kernel_scores()

    def _needs_kernel_scores(self):
        return not self.fast or self.adapted or self.remaining_outcomes or (
            len(self.kv) > 0 and not self.tab_classes)

    def loglike_and_score(self, free_work, per_cluster=False):
        """Log-likelihood, its exact gradient and the E-step, in one kernel sweep.

        ``per_cluster=True`` gives the (J, n_free) cluster scores instead of
        their sum (Fisher's identity per cluster).
        """
        if not self._needs_kernel_scores():
            es = self.estep(free_work)
            _, g = self.expected(free_work, es, per_cluster=per_cluster)
            return es.loglike, g, es
        arr = self.arrays(free_work)
        d = self.design
        J, G, N = d.n_clusters, self.zb.shape[1], d.n_rows
        ll = np.empty(J)
        post_dg = np.empty((J, self.D, G))
        rowpost = np.empty(N * self.D * G * self.C * self.zh.shape[0])
        S = np.zeros((N, self.CH, self.DC, self.M))
        GF = np.zeros((N, max(len(self.spec.outcomes), 1), self.DC, self.kf))
        q = np.zeros(J)
        with np.errstate(all="ignore"):
            if self.exact is not None:  # exact normal likelihood (gaussian.py)
                arr["moments"] = self.exact.loglik_and_scores(
                    arr["A"], arr["FP"], arr["logpd"], d.cluster_weight, ll, post_dg,
                    rowpost, S, GF, q)
            else:
                _estep.loglik_and_scores(*self._kernel_args(arr), arr["logpd"],
                                         d.cluster_weight, ll, post_dg, rowpost, S, GF, q,
                                         self.num_threads,
                                         EXTRA=self._extra(arr) if "tab" in arr else None)
        arr["free_work"] = np.array(free_work, float, copy=True)
        es = EStep(d.cluster_weight * (ll + self.const_cluster), post_dg, rowpost,
                   arr["logpd"], arr)
        _, g = self.expected(free_work, es, per_cluster=per_cluster, kernel_out=(S, GF, q))
        return es.loglike, g, es

    def score_obs(self, free_work, estep=None):
        es = estep or self.estep(free_work)
        _, g = self.expected(free_work, es, per_cluster=True)
        return g
