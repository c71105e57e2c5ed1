"""The latent Markov chain engine: forward-backward instead of K^T joint class patterns.

A latent transition model (the paper's eq. 6-9) whose within class variables
form a chain (:mod:`mixlevel.spec.chain`) has, per row,

    L_i = sum_{c_0..c_{T-1}} P(c_0 | x_i) prod_{t>=1} P(c_t | c_{t-1}[, c_{t-2}], x_i)
          prod_t f_t(y_it | c_t),

which the forward-backward kernel (:mod:`mixlevel._kernels._chain`) sums in
O(T K^2) per row.  :class:`ChainEngine` gives the estimation code
(:mod:`mixlevel.estimation`) what :class:`~mixlevel.engine.Engine` gives it --
E-step, log-likelihood, its exact gradient by Fisher's identity, per-row
scores and the EM Q-function at other parameters -- from compact arrays:

* per outcome, its linear predictor and family parameters for each class k of
  its own wave (the outcome tables of :mod:`mixlevel.engine.tabulate` with K
  cells instead of K^T), so the emission of wave t and class k is one matrix
  product of the row statistics with that wave's tables;
* per wave, its class logits for each class of the parent(s) and each row
  (covariates), giving log P0 (N or 1, K), log P (N or 1, T-1, K, K) and, for
  second order, log P2 (N or 1, T-2, K, K, K).

The scores follow from the posteriors (the ``_chain`` docstring):
outcomes by the gamma-weighted expected statistics, class logits by
``post - post.sum(-1) P`` with post = gamma_0, xi or xi2.

Scope: single-level data (a row is a person), no latent variables and no
between class variables (two-level models: :mod:`.chain_cluster`), outcomes
whose predictors do not vary over rows and whose family has tables
(:func:`chain_reason` says why a model is left to the enumerating engine).
Memory is linear in the rows and in T.
"""

from __future__ import annotations

import contextlib
import copy

import numpy as np

from .._kernels import _chain
from ..estimation.chain_mstep import ChainMStep
from ..integrate.defaults import IntegrationRule
from .chain_estep import ChainEStep, ChainInputs
from .chain_scaled import scaled_forward_backward
from .inputs import free_gradient, parameter_values
from .nodes import zero_nodes
from .numeric import logsumexp
from .tabulate import OutcomeTables, has_tables, stat_derivatives
from .threads import ThreadPlan

__all__ = ["ChainEngine", "ChainEStep", "chain_reason", "is_two_level"]


def _patterns(layout, n, values):
    """(n, V) class patterns with the given {class name: classes (n,)}, others 0."""
    pats = np.zeros((n, len(layout.class_order)), dtype=np.int64)
    for name, vals in values.items():
        pats[:, layout.class_positions[name]] = vals
    return pats


def chain_reason(layout, design):
    """Why ``layout`` on ``design`` cannot use a chain engine ("" when it can).

    :class:`ChainEngine` takes single-level models;
    :class:`~mixlevel.engine.chain_cluster.ChainClusterEngine` the two-level
    ones (:func:`is_two_level`): random class-logit intercepts and between
    class variables.  Random effects on item parameters stay enumerated.
    """
    spec = layout.spec
    chain = layout.chain
    if chain is None:
        return layout.chain_reason
    for o in spec.outcomes:
        if not has_tables(o.family, layout.n_categories[o.name]):
            return f"the {o.family.name} outcome {o.name!r} has no tabulated statistics"
        by = set(spec.residual_by.get(o.name, ())) | set(spec.threshold_by.get(o.name, ()))
        if by & set(chain.between):
            return f"the parameters of the outcome {o.name!r} depend on a between class variable"
    for t in spec.terms:
        if t.target in spec.outcome_names and t.latent is not None:
            return (f"the outcome {t.target!r} has a random effect ({t.latent}): random "
                    "effects on item parameters are integrated with the enumerated patterns")
        if t.target in spec.outcome_names and t.column != "1":
            return f"the outcome {t.target!r} has a covariate ({t.column})"
        if t.target in spec.outcome_names and set(t.by) & set(chain.between):
            return f"the outcome {t.target!r} depends on a between class variable"
        if t.target in chain.between and t.latent is not None:
            return f"the between class variable {t.target!r} has a random effect"
    return ""


def is_two_level(layout, design):
    """True for models on the two-level chain path: clusters, cluster random effects
    or between class variables (:mod:`mixlevel.engine.chain_cluster`)."""
    return not design.single_level or bool(layout.spec.blocks) or bool(layout.chain.between)


class _ChainPlan:
    """The model's compact coefficient slots (data-free; shared by every engine)."""

    def __init__(self, layout):
        spec = layout.spec
        chain = self.chain = layout.chain
        K, T = chain.k, chain.n_waves
        self.K, self.T, self.order = K, T, chain.order
        self.n_full = len(layout.names)
        # outcomes: channels, terms per class of the outcome's wave
        och, nch, self.n_fp = [], [], []
        ch = 0
        for o in spec.outcomes:
            och.append(ch)
            nch.append(layout.n_channels(o))
            self.n_fp.append(layout.n_family_params(o))
            ch += nch[-1]
        self.och, self.nch, self.CH = och, nch, max(ch, 1)
        self.kf = max(self.n_fp + [1])
        self.wave = np.array([chain.wave_of[o.name] for o in spec.outcomes], np.int64)
        pos = {o.name: p for p, o in enumerate(spec.outcomes)}
        own = [_patterns(layout, K, {chain.classes[w]: np.arange(K)}) for w in range(T)]
        self.outcome_terms = []  # (channel, index (K,), value (K,))
        for ts in layout.terms:
            if ts.term.target in pos:
                p = pos[ts.term.target]
                idx, val = ts.over(own[self.wave[p]], layout.class_positions)
                self.outcome_terms.append((och[p] + ts.channel, idx, val))
        self.family_slots = []  # (outcome, first index (K,), n_params, thresholds)
        self.is_threshold = np.zeros(self.n_full, bool)
        for p, o in enumerate(spec.outcomes):
            fs = layout.family.get(o.name)
            if fs is None:
                continue
            first = fs.over(own[self.wave[p]], layout.class_positions)
            self.family_slots.append((p, first, fs.n_params, fs.thresholds))
            if fs.thresholds:
                for f in first:
                    self.is_threshold[f:f + fs.n_params] = True
        # class logits of each wave per parent pattern (1, K or K*K parents)
        wave_of_class = {n: t for t, n in enumerate(chain.classes)}
        grids = {}
        for t in range(T):
            parents = chain.parents(t)
            n_par = K ** len(parents)
            codes = np.arange(n_par)
            values = {name: (codes // K ** (len(parents) - 1 - j)) % K
                      for j, name in enumerate(parents)}
            grids[t] = _patterns(layout, n_par, values)
        self.logit_terms = [[] for _ in range(T)]  # per wave: (class l, column, idx, val)
        for ts in layout.terms:
            t = wave_of_class.get(ts.term.target)
            if t is not None:
                idx, val = ts.over(grids[t], layout.class_positions)
                self.logit_terms[t].append((ts.channel, ts.term.column, idx, val))
        self.columns = sorted({c for terms in self.logit_terms for _, c, _, _ in terms} - {"1"})
        self.wave_has_x = [any(c != "1" for _, c, _, _ in terms) for terms in self.logit_terms]

    def wave_arity(self, t):
        return len(self.chain.parents(t))


class ChainEngine:
    """Likelihood, gradient and E-step of a latent Markov chain model (module docstring).

    Parameters
    ----------
    layout : ParamLayout
        Of a model for which :func:`chain_reason` is empty.
    design : Design
    table : ParamTable
    num_threads : int, optional
        Threads of the forward-backward kernel (default: 1 for small data, else 2).
    """

    #: rows with the same statistics share one forward-backward pass (single level only)
    share_rows = True

    is_chain = True
    integration = "none"
    exact = None
    adaptive = False
    D = 1

    def __init__(self, layout, design, table, num_threads=None, plan=None):
        reason = chain_reason(layout, design) or (
            is_two_level(layout, design) and "two-level data (use ChainClusterEngine)")
        if reason:
            raise ValueError(f"not a latent Markov chain the chain engine handles: {reason}")
        self.layout, self.table = layout, table
        self.plan = plan or _ChainPlan(layout)
        self.kl = self  # qb, qw, is_threshold: what the estimation code reads of a layout
        self.qb = self.qw = 0
        self.rule = IntegrationRule("none", 1, False, 1, default=True)
        self.nodes = zero_nodes(0, 0)
        self._num_threads = num_threads
        self._bind_design(design)

    def _bind_design(self, design):
        self.design = d = design
        p = self.plan
        fams = [o.family for o in self.spec.outcomes]
        ncat = [self.layout.n_categories[o.name] for o in self.spec.outcomes]
        key = ("chain tables", tuple(fams), tuple(ncat))
        if key not in d.cache:
            d.cache[key] = OutcomeTables(list(range(len(fams))), fams, ncat, p.och, p.nch,
                                         p.n_fp, d.y, d.trials)
        self.tables = d.cache[key]
        wave_of_stat = np.zeros(self.tables.stats.shape[1], np.int64)
        for q, sl in self.tables.stat_slice.items():
            wave_of_stat[sl] = p.wave[q]
        self.stat_waves = [np.flatnonzero(wave_of_stat == t) for t in range(p.T)]
        self.weight = d.row_weight * d.cluster_weight[d.cluster_of_row]
        # rows with the same statistics (and no covariates) share their forward-backward
        self.rows, self.stats, self.weight_u = None, self.tables.stats, self.weight
        if self.share_rows and not any(p.wave_has_x) and d.n_rows > 1:
            uniq, inv = np.unique(self.tables.stats, axis=0, return_inverse=True)
            if len(uniq) < 0.9 * d.n_rows:
                self.rows, self.stats = inv.ravel(), uniq
                self.weight_u = np.bincount(self.rows, weights=self.weight,
                                            minlength=len(uniq))
        # each wave's statistics as one contiguous block (no gather per E-step)
        self.wave_stats = [np.ascontiguousarray(self.stats[:, r]) for r in self.stat_waves]
        self.cluster_of_row = d.cluster_of_row
        self.num_threads = self._num_threads or (1 if d.n_rows < 2000 else 2)
        self.threads = ThreadPlan(self.num_threads, measured=False)

    # -- the model's shape and engines sharing it --------------------------------------
    @property
    def spec(self):
        return self.layout.spec

    @property
    def is_threshold(self):
        return self.plan.is_threshold

    @property
    def C(self):
        return self.plan.K

    @property
    def adapted(self):
        return False

    def spawn(self):
        """An engine of the same model and data (random starts use one each)."""
        return copy.copy(self)

    def on_rows(self, design):
        """The engine of the same model on other rows."""
        return ChainEngine(self.layout, design, self.table, self._num_threads, self.plan)

    def enumerating(self):
        """The enumerating :class:`~mixlevel.engine.Engine` of the same model and data
        (for code that indexes joint class patterns; refused when they cannot fit)."""
        from .engine import Engine

        return Engine(self.layout, self.design, self.table, num_threads=self._num_threads)

    def with_rule(self, rule):
        """The same engine: a chain needs no integration rule."""
        return self

    def reset_nodes(self):
        """Nothing to reset: no latent variables."""

    def at_zero_nodes(self):
        """No latent variables: nothing to place at zero."""
        return contextlib.nullcontext()

    def adapt_nodes(self, estep):
        return True

    def adapt_nodes_at_mode(self, free_work):
        return True

    def has_closed_form_m_step(self):
        """True when the EM M-step has a closed form (:mod:`~mixlevel.estimation.chain_mstep`)."""
        if "_closed_form" not in self.__dict__:
            self._closed_form = ChainMStep.plan(self)
        return self._closed_form is not None

    def closed_form_m_step(self, free_work, estep):
        """The free working vector maximising the Q-function of ``estep`` (None: no
        closed form; the EM then maximises Q numerically)."""
        if not self.has_closed_form_m_step():
            return None
        return self._closed_form.update(self, free_work, estep)

    def has_tabulated_q(self):
        return False

    # -- parameters -> arrays ------------------------------------------------------------
    def _logit_x(self, col):
        return None if col == "1" else self.design.columns[col]

    def outcome_parameters(self, inputs):
        """(A0 (channels, 1, K, 1), FP (outcomes, K, kf)): each outcome's linear predictor
        and family parameters for every class of its own wave."""
        p, work, nat = self.plan, inputs.work, inputs.nat
        K = p.K
        A0 = np.zeros((p.CH, 1, K, 1))
        for ch, idx, val in p.outcome_terms:
            A0[ch, 0, :, 0] += np.where(idx >= 0, work[idx], val)
        FP = np.zeros((max(len(self.spec.outcomes), 1), K, p.kf))
        for q, first, n_par, thresholds in p.family_slots:
            src = nat if thresholds else work
            for k in range(K):
                FP[q, k, :n_par] = src[first[k]:first[k] + n_par]
        return A0, FP

    def inputs(self, free_work):
        p, d = self.plan, self.design
        work, nat, signs = parameter_values(self.table, free_work)
        K = p.K
        inputs = ChainInputs(work, nat, signs, np.array(free_work, float, copy=True), None,
                             None, None)
        A0, FP = self.outcome_parameters(inputs)
        table, cache = self.tables.tables(A0, np.ones((1, 1, 1)), FP, (1, 1, K, 1))
        logp = []
        rows = d.n_rows if any(self.plan.columns) else 1
        for t in range(p.T):
            n_par = K ** p.wave_arity(t)
            has_x = p.wave_has_x[t]
            eta = np.zeros((rows if has_x else 1, n_par, K))
            for cls, col, idx, val in p.logit_terms[t]:
                coef = np.where(idx >= 0, work[idx], val)
                x = self._logit_x(col)
                eta[:, :, cls] += coef[None, :] if x is None else x[:, None] * coef[None, :]
            lp = eta - logsumexp(eta, axis=2, keepdims=True)
            logp.append(lp.reshape((lp.shape[0],) + (K,) * p.wave_arity(t) + (K,)))
        inputs.table, inputs.cache, inputs.logp = table, cache, logp
        return inputs

    def emissions(self, inputs):
        """log f(y_it | C_t = k) without constants: (distinct rows, T, K)."""
        E = np.zeros((self.stats.shape[0], self.plan.T, self.plan.K))
        for t, rows in enumerate(self.stat_waves):
            if len(rows):
                tab = inputs.table[rows]
                E[:, t] = self.wave_stats[t] @ np.where(np.isfinite(tab), tab, -1e300)
        return E

    # -- E-step, log-likelihood, scores ---------------------------------------------------
    def _kernel_arrays(self, inputs):
        p = self.plan
        lp = inputs.logp
        P0 = lp[0][:, None, :]
        P = P2 = None
        if p.T > 1:
            if p.order == 1:
                P = np.stack(np.broadcast_arrays(*lp[1:]), axis=1)[:, None] \
                    if p.T > 2 else lp[1][:, None, None]
            else:
                P = lp[1][:, None, None]
                if p.T > 2:
                    P2 = np.stack(np.broadcast_arrays(*lp[2:]), axis=1)[:, None]
        return P0, P, P2

    def estep(self, free_work):
        inputs = self.inputs(free_work)
        E = self.emissions(inputs)[:, None]
        P0, P, P2 = self._kernel_arrays(inputs)

        def log_kernel():
            out = _chain.forward_backward(E, P0, P, P2, reduce="row",
                                          num_threads=self.num_threads)
            return out["ll"][:, 0], out["gamma"], out.get("xi"), out.get("xi2")

        fast = None
        if self.plan.order == 1 and not any(self.plan.wave_has_x):
            fast = scaled_forward_backward(E[:, 0], inputs.logp, self.weight_u)
        if fast is None:
            ll, gamma, xi, xi2 = log_kernel()
            totals = fill = None
        else:  # pairwise posteriors per row only when asked for
            (ll, gamma, totals), xi, xi2 = fast, None, None
            fill = lambda: log_kernel()[1:]  # noqa: E731
        d = self.design
        ll_cluster = self.weight * ((ll if self.rows is None else ll[self.rows]) + d.const)
        return ChainEStep(ll_cluster, gamma, xi, xi2, inputs, self.nodes, self.rows,
                          totals=totals, fill=fill)

    def loglike(self, free_work):
        return self.estep(free_work).loglike

    def expected(self, free_work, estep, per_cluster=False, kernel_out=None):
        """Q-function and its gradient on the free working vector at fixed posteriors.

        At the E-step's own parameters the gradient is the log-likelihood's
        (Fisher's identity); ``per_cluster`` gives the (rows, n_free) scores.
        """
        p, d = self.plan, self.design
        same = np.array_equal(free_work, estep.inputs.free_work)
        inputs = estep.inputs if same else self.inputs(free_work)
        N, K = d.n_rows, p.K
        w = self.weight
        g = np.zeros((N, p.n_full)) if per_cluster else np.zeros(p.n_full)
        q_rows = np.zeros(N) if per_cluster else None
        _, post_sums = self.expected_sums(estep)
        q = self._outcome_part(inputs, estep, g, q_rows)
        # class logits: post - post.sum(-1) P, per wave and parent pattern
        for t in range(p.T):
            lp = inputs.logp[t]
            n_par = K ** p.wave_arity(t)
            lp = lp.reshape(-1, n_par, K)
            prob = np.exp(lp)
            if t in post_sums and not per_cluster:  # no covariates: sums over rows first
                ps = post_sums[t]                                   # (n_par, K)
                q += float(np.where(ps > 0, ps * lp[0], 0.0).sum())
                resid = ps - ps.sum(axis=1, keepdims=True) * prob[0]
                for cls, _, idx, _ in p.logit_terms[t]:
                    ok = idx >= 0
                    np.add.at(g, idx[ok], resid[ok, cls])
                continue
            post = estep.posterior(t).reshape(N, n_par, K)
            resid = (post - post.sum(axis=2, keepdims=True) * prob) * w[:, None, None]
            wl = np.where(post > 0, post * lp, 0.0).sum(axis=(1, 2))
            if per_cluster:
                q_rows += w * wl
            else:
                q += float(w @ wl)
            for cls, col, idx, _ in p.logit_terms[t]:
                x = self._logit_x(col)
                ok = np.flatnonzero(idx >= 0)
                if per_cluster:
                    r = resid[:, :, cls] if x is None else resid[:, :, cls] * x[:, None]
                    for j in ok:
                        g[:, idx[j]] += r[:, j]
                else:
                    r = resid[:, :, cls].sum(axis=0) if x is None else x @ resid[:, :, cls]
                    np.add.at(g, idx[ok], r[ok])
        return (q_rows if per_cluster else q), free_gradient(self.table, p.is_threshold, g,
                                                              inputs)

    def _outcome_part(self, inputs, estep, g, q_rows):
        """The outcomes' Q (constants left out, as Engine) and scores added into g:
        per row into g (N, n_full) and q_rows (N,) when q_rows is given (returns 0),
        else summed (returns Q)."""
        p, K = self.plan, self.plan.K
        if q_rows is not None:
            self._outcome_row_scores(inputs, estep, g)
            E = self.emissions(inputs)
            q_rows += self.weight * np.einsum("ntk,ntk->n", estep.gamma,
                                              E if self.rows is None else E[self.rows])
            return 0.0
        Ew, _ = self.expected_sums(estep)
        q = float(np.where(Ew != 0, Ew * inputs.table, 0.0).sum())
        dA = np.zeros((p.CH, 1, K, 1))
        fam = self.tables.gradient(Ew, inputs.cache, np.ones((1, 1, 1)), (1, 1, K, 1), dA)
        for ch, idx, _ in p.outcome_terms:
            ok = idx >= 0
            np.add.at(g, idx[ok], dA[ch, 0, ok, 0])
        for qo, first, n_par, _ in p.family_slots:
            if qo in fam:
                for k in range(K):
                    if first[k] >= 0:
                        g[first[k]:first[k] + n_par] += fam[qo][:, 0, k]
        return q

    def expected_sums(self, estep):
        """Weighted sums over rows of an E-step (cached on it): the expected outcome
        statistics (statistics, K) and, for waves whose logits have no covariates,
        the posteriors of (parents, class)."""
        cached = estep.__dict__.get("_sums")
        if cached is not None:
            return cached
        p, w = self.plan, self.weight_u
        st = self.stats
        gamma = estep.unique_gamma
        Ew = np.zeros((st.shape[1], p.K))
        for t, rows in enumerate(self.stat_waves):
            if len(rows):
                Ew[rows] = self.wave_stats[t].T @ (w[:, None] * gamma[:, t])
        post_sums = estep.totals or {
            t: np.tensordot(w, estep.posterior(t, unique=True), axes=(0, 0)).reshape(-1, p.K)
            for t in range(p.T) if not p.wave_has_x[t]}
        estep._sums = (Ew, post_sums)
        return estep._sums

    def _outcome_row_scores(self, inputs, estep, g):
        """Add each row's weighted outcome scores into g (N, n_full).

        Row i's score in channel c of outcome p for class k of p's wave is
        ``w_i gamma[i, t, k] sum_s stats[i, s] dT[s, k] / d eta_c`` (and alike
        for the family parameters).
        """
        p = self.plan
        K = p.K
        st = self.tables.stats
        wg = self.weight[:, None, None] * estep.gamma               # (N, T, K)
        terms = {}
        for ch, idx, _ in p.outcome_terms:
            terms.setdefault(ch, []).append(idx)
        slots = {q: (first, n_par) for q, first, n_par, _ in p.family_slots}
        for grp, (eta, fp) in zip(self.tables.groups, inputs.cache, strict=True):
            d_eta, d_fp = stat_derivatives(grp.family, eta, fp, grp.n_cat)
            for i, q in enumerate(grp.outcomes):
                q = int(q)
                cells = slice(i * K, (i + 1) * K)
                stats = st[:, self.tables.stat_slice[q]]
                weight = wg[:, p.wave[q]]                           # (N, K)
                score = np.einsum("is,sck->ick", stats, d_eta[:, :, cells]) * weight[:, None]
                for c in range(grp.n_channels):
                    for idx in terms.get(p.och[q] + c, ()):
                        for k in np.flatnonzero(idx >= 0):
                            g[:, idx[k]] += score[:, c, k]
                if q in slots and grp.n_fp:
                    first, n_par = slots[q]
                    score = np.einsum("is,sjk->ijk", stats, d_fp[:, :n_par, cells]) \
                        * weight[:, None]
                    for k in range(K):
                        g[:, first[k]:first[k] + n_par] += score[:, :, k]

    def loglike_and_score(self, free_work, per_cluster=False):
        """Log-likelihood, its exact gradient (Fisher's identity) and the E-step."""
        es = self.estep(free_work)
        _, g = self.expected(free_work, es, per_cluster=per_cluster)
        return es.loglike, g, es

    def score_obs(self, free_work, estep=None):
        es = estep or self.estep(free_work)
        return self.expected(free_work, es, per_cluster=True)[1]
