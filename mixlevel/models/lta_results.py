"""Section 3-4 quantities of a fitted latent transition model, with delta-method SEs.

``res.lta`` of a :meth:`LatentMarkov.fit <mixlevel.models.lta.LatentMarkov.fit>`
result is an :class:`LTAResults`:

* :meth:`~LTAResults.initial` and :meth:`~LTAResults.transitions`: P(C_1 = k)
  and P(C_t = l | C_{t-1} = k) (eq. 8-9), model-implied (averaged over the
  rows' covariates and the random effects) or at given covariate values;
* :meth:`~LTAResults.class_sizes`: P(C_t = k) at every wave;
* :meth:`~LTAResults.profiles`: item probabilities (means) by class and wave,
  the layout of the paper's Table 1;
* :meth:`~LTAResults.random_intercept_regression`: the regression of the
  random logit intercepts of one wave on those of an earlier wave (eq. 10 and
  15), ``beta = Cov / Var`` and the residual variance;
* :meth:`~LTAResults.r_squared`: the R^2 of eq. 14 and the paper's
  decomposition of the explained variance of C_2 (section 4);
* :meth:`~LTAResults.summary` and :meth:`~LTAResults.plot_transitions`.

Standard errors come from the results' :meth:`delta_method` (so MLR by default).
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
from scipy import stats
from scipy.special import softmax

from ..errors import SpecificationError

__all__ = ["LTAResults"]

LOGISTIC_VARIANCE = np.pi ** 2 / 3


class _Values:
    """Every parameter (free, equal to another, fixed) as a function of the free ones."""

    def __init__(self, model):
        from ..api import parameter_table

        table = parameter_table(model, start_values=False)
        self.rule = {}
        for name, status, value in zip(table["name"], table["status"], table["value"],
                                       strict=True):
            if status == "free":
                self.rule[name] = ("free", name)
            elif status.startswith("= "):
                self.rule[name] = ("free", status[2:])
            else:
                self.rule[name] = ("fixed", float(value))
        self.names = list(table["name"])

    def __call__(self, p, name):
        kind, what = self.rule[name]
        return p[what] if kind == "free" else what


class LTAResults:
    """Derived quantities of a latent transition fit (see the module docstring).

    Parameters
    ----------
    res : MixtureResults
        A fit of a :class:`~mixlevel.models.lta.LatentMarkov` model.
    """

    def __init__(self, res):
        self._res = res
        self.model = res.model
        self.layout = res.model.waves
        self._values = _Values(self.model)
        self._logit_terms = self._parse_logits()

    # -- class logits as functions of the parameters ---------------------------------------
    def _parse_logits(self):
        """{(class variable, logit j): [(column, given classes dict, parameter name)]}."""
        cls = self.layout.classes
        alt = "|".join(re.escape(c) for c in cls)
        pat = re.compile(rf"^({alt})#(\d+)~(.*?)(?:\[((?:{alt})=\d+(?:,(?:{alt})=\d+)*)\])?$")
        out = {}
        for name in self._values.names:
            m = pat.match(name)
            if not m:
                continue
            given = {}
            if m.group(4):
                for part in m.group(4).split(","):
                    var, k = part.split("=")
                    given[var] = int(k)
            out.setdefault((m.group(1), int(m.group(2))), []).append(
                (m.group(3), given, name))
        return out

    def _columns_at(self, at):
        """Design columns of one row of covariate values (None or {}: no covariates)."""
        if not at:
            return {"1": 1.0}
        frame = pd.DataFrame([at]) if isinstance(at, dict) else pd.DataFrame(at).iloc[:1]
        data = self.model.wide_data
        for col in list(frame.columns):       # a time-varying covariate of long data
            waves = [f"{col}_{w}" for w in range(1, self.layout.n_waves + 1)]
            if col not in data.columns and all(w in data.columns for w in waves):
                for w in waves:
                    frame[w] = frame[col]
        try:
            cols = self.model.formula.design_columns(frame)
        except SpecificationError as exc:
            raise ValueError(f"at= must give every covariate of the class logits: {exc}") \
                from exc
        out = {k: float(np.asarray(v, float)[0]) for k, v in cols.items()}
        out["1"] = 1.0
        return out

    def _probabilities(self, p, target, given, cols):
        """P(target = . | given classes, covariates ``cols``), random effects at 0."""
        K = self.layout.k
        eta = np.zeros(K)
        for j in range(1, K):
            for col, g, name in self._logit_terms.get((target, j), []):
                if all(given.get(v) == k for v, k in g.items()):
                    if col not in cols:
                        raise ValueError(f"give a value for {col!r} in at=")
                    eta[j - 1] += self._values(p, name) * cols[col]
        return softmax(eta)

    def _parents(self, t):
        lay = self.layout
        if t == 0:
            return []
        if lay.order == 2 and t >= 2:
            return [lay.classes[t - 2], lay.classes[t - 1]]
        return [lay.classes[t - 1]]

    # -- probabilities -------------------------------------------------------------------
    def initial(self, at=None, alpha=0.05):
        """P(C_1 = k): model-implied, or at covariate values ``at`` (dict).

        At given covariate values the random logit intercepts (two-level
        models) are at 0, their mean.
        """
        c1 = self.layout.classes[0]
        if at is None:
            tab = self._res.class_proportions_table()
            tab = tab[tab["variable"] == c1]
            return self._frame(tab["model"].to_numpy(), tab["se"].to_numpy(),
                               list(tab.index), alpha)
        cols = self._columns_at(at)
        names = [f"{c1}={k}" for k in range(1, self.layout.k + 1)]
        return self._res.delta_method(lambda p: self._probabilities(p, c1, {}, cols),
                                      names=names, alpha=alpha)

    def transitions(self, wave=None, at=None, alpha=0.05):
        """P(C_t = l | earlier classes), long format with delta-method SEs.

        Parameters
        ----------
        wave : int, optional
            The wave t >= 2 (1-based) moved into; default every wave.
        at : dict, optional
            Covariate values; default model-implied (averaged over the rows'
            covariates and the random effects).

        Returns
        -------
        pandas.DataFrame
            Index ``"c1=k->c2=l"``; columns wave, estimate, se, z, pvalue,
            lower, upper.
        """
        lay = self.layout
        waves = range(2, lay.n_waves + 1) if wave is None else [wave]
        frames = []
        for w in waves:
            t = w - 1
            if not 1 <= t < lay.n_waves:
                raise ValueError(f"wave must be 2..{lay.n_waves}, not {wave}")
            parents, target = self._parents(t), lay.classes[t]
            if at is None and len(parents) == 1:
                fr = self._res.transition_table(parents[0], target, se=True)
            else:
                if at is None and lay.cluster is not None:
                    raise ValueError("model-implied second-order transitions of a two-level "
                                     "model are not tabulated; give at= (covariate values, "
                                     "random intercepts at 0)")
                cols = self._columns_at(at)
                combos = list(np.ndindex(*(lay.k,) * len(parents)))
                names = ["->".join([",".join(f"{v}={i + 1}" for v, i in
                                             zip(parents, combo, strict=True)),
                                    f"{target}={ll + 1}"])
                         for combo in combos for ll in range(lay.k)]

                def func(p, combos=combos, parents=parents, target=target, cols=cols):
                    return np.concatenate([self._probabilities(
                        p, target, {v: i + 1 for v, i in zip(parents, combo, strict=True)},
                        cols) for combo in combos])
                fr = self._res.delta_method(func, names=names, alpha=alpha)
            fr.insert(0, "wave", w)
            frames.append(fr)
        out = pd.concat(frames)
        out.index.name = "transition"
        return out

    def transition_matrix(self, wave=2, at=None):
        """P(C_t = l | C_{t-1} = k) as a K x K table (rows k); first-order models."""
        lay = self.layout
        if len(self._parents(wave - 1)) != 1:
            raise ValueError("transition_matrix is for first-order transitions; use "
                             "transitions()")
        K = lay.k
        src, tgt = lay.classes[wave - 2], lay.classes[wave - 1]
        est = self.transitions(wave=wave, at=at)["estimate"].to_numpy().reshape(K, K)
        return pd.DataFrame(est, index=pd.Index([f"{src}={k}" for k in range(1, K + 1)],
                                                name=src),
                            columns=pd.Index([f"{tgt}={k}" for k in range(1, K + 1)],
                                             name=tgt))

    def class_sizes(self):
        """P(C_t = k) at every wave: model-implied with SE, posterior and modal shares."""
        tab = self._res.class_proportions_table()
        rows = []
        for w, c in enumerate(self.layout.classes, start=1):
            part = tab[tab["variable"] == c]
            for k, (_, r) in enumerate(part.iterrows(), start=1):
                rows.append({"wave": w, "class": k, "model": r["model"], "se": r["se"],
                             "posterior": r["posterior"], "modal": r["modal"]})
        return pd.DataFrame(rows).set_index(["wave", "class"])

    def profiles(self, se=False):
        """Item probabilities (means) by class and wave: the paper's Table 1 layout.

        Rows are items (and categories); columns the classes (``C_t = k``),
        one block per wave unless the items are invariant.  With ``se`` the
        columns are (class, estimate / se).
        """
        lay = self.layout
        prof = self._res.profiles
        waves = [0] if lay.invariant else range(lay.n_waves)
        blocks = []
        for t in waves:
            c = lay.classes[t]
            for p, col in enumerate(lay.items[t]):
                part = prof[prof["outcome"] == col]
                for cat, grp in part.groupby("category", sort=False):
                    row = {"item": lay.item_names[p], "category": cat}
                    for _, r in grp.iterrows():
                        key = f"C_t={int(r[c])}" if lay.invariant else \
                            f"wave {t + 1}: {c}={int(r[c])}"
                        row[(key, "estimate")] = r["estimate"]
                        row[(key, "se")] = r["se"]
                    blocks.append(row)
        frame = pd.DataFrame(blocks)
        frame = frame.groupby(["item", "category"], sort=False).first()
        frame.columns = pd.MultiIndex.from_tuples(frame.columns)
        if frame.index.get_level_values("category").nunique() == 1:
            frame.index = frame.index.droplevel("category")
        return frame if se else frame.xs("estimate", axis=1, level=1)

    # -- two-level LTA: random logit intercepts ---------------------------------------------
    def _effects(self):
        if self.layout.cluster is None:
            raise ValueError("the model has no random logit intercepts (give cluster= to "
                             "ml.lta)")
        g = self.layout.cluster
        return [f"{c}#{j}|{g}" for c in self.layout.classes for j in range(1, self.layout.k)]

    def _re_cov(self, p):
        eff = self._effects()
        q = len(eff)
        S = np.zeros((q, q))
        for a in range(q):
            for b in range(a + 1):
                name = f"Var({eff[a]})" if a == b else f"Cov({eff[b]},{eff[a]})"
                S[a, b] = S[b, a] = self._values(p, name)
        return S

    def random_intercept_regression(self, source=None, target=None, alpha=0.05):
        """Eq. 10/15: regression of ``target``'s random logit intercepts on ``source``'s.

        ``alpha_target = mu + B alpha_source + eps`` with ``B = Cov(t, s)
        Var(s)^-1`` and residual covariance ``Var(t) - B Cov(s, t)``; for two
        classes ``beta = Cov / Var``.  ``mu`` is the target's intercept mean
        (at the last class of its parents) minus ``B`` times the source's.

        Returns
        -------
        pandas.DataFrame
            beta[j,l], mu[j], residual variance (covariance) with delta-method SEs.
        """
        lay = self.layout
        source = source or lay.classes[0]
        target = target or lay.classes[1]
        K = lay.k
        ci = {c: i for i, c in enumerate(lay.classes)}
        s = slice(ci[source] * (K - 1), (ci[source] + 1) * (K - 1))
        t = slice(ci[target] * (K - 1), (ci[target] + 1) * (K - 1))
        last = {v: K for v in self._parents(ci[target])}
        first = {v: K for v in self._parents(ci[source])}
        names = [f"beta[{j},{m}]" for j in range(1, K) for m in range(1, K)]
        names += [f"mu[{j}]" for j in range(1, K)]
        names += [f"residual cov[{j},{m}]" for j in range(1, K) for m in range(1, j + 1)]
        if K == 2:
            names = ["beta", "mu", "residual variance"]

        def mean_logits(p, var, given):
            return np.array([sum(self._values(p, name) for col, g, name in
                                 self._logit_terms.get((var, j), [])
                                 if col == "1" and all(given.get(v) == k
                                                       for v, k in g.items()))
                             for j in range(1, K)])

        def func(p):
            S = self._re_cov(p)
            B = np.linalg.solve(S[s, s], S[s, t]).T
            R = S[t, t] - B @ S[s, t]
            mu = mean_logits(p, target, last) - B @ mean_logits(p, source, first)
            low = R[np.tril_indices(K - 1)]
            return np.concatenate([B.ravel(), mu, low])
        out = self._res.delta_method(func, names=names, alpha=alpha)
        out.index.name = f"{target} on {source}"
        return out

    def r_squared(self, alpha=0.05, n_points=61):
        """Eq. 14 and the section-4 decomposition of the explained variance of C_2.

        For two classes and the first two waves, on the latent-response scale
        (logistic residual of variance pi^2/3), with ``alpha_1``, ``alpha_2`` the
        logit intercepts of C_1 and C_2 (random in two-level models, eq. 15:
        ``alpha_2 = mu + beta alpha_1 + eps``), ``gamma`` the effect of C_1 = 1
        (eq. 13), ``m(alpha_1) = P(C_1 = 1 | alpha_1)`` and ``p = E m``:

        * ``R2(c1 | alpha1)`` = Var(alpha_1) / (Var(alpha_1) + pi^2/3);
        * ``R2(c2 | c1)`` (eq. 14) = gamma^2 p (1-p) / (gamma^2 p (1-p) + pi^2/3);
        * ``R2(c2)`` = V / (V + pi^2/3), V = Var(alpha_2 + gamma I(C_1));
        * its parts (they add up to it): ``alpha1`` = Var(beta alpha_1 + gamma
          m(alpha_1)) / (V + pi^2/3), the classroom effect through both paths;
          ``residual c1`` = gamma^2 E[m (1-m)] / (V + pi^2/3), the part of C_1 not
          explained by alpha_1; ``residual alpha2`` = Var(eps) / (V + pi^2/3);
        * ``R2(c2) added by alpha2`` = R2(c2) - R2(c2 | c1).

        Expectations over alpha_1 use Gauss-Hermite quadrature (``n_points``).
        Covariates are not allowed (the decomposition is the paper's, without them).
        """
        lay = self.layout
        if lay.k != 2:
            raise ValueError("eq. 14 and its decomposition are for two classes; the model "
                             f"has {lay.k}")
        if lay.covariates_initial or any(lay.covariates_transition):
            raise ValueError("the section-4 R^2 decomposition has no covariates; fit the "
                             "model without them")
        c1, c2 = lay.classes[:2]
        x, wq = np.polynomial.hermite.hermgauss(n_points)
        wq = wq / np.sqrt(np.pi)
        two_level = lay.cluster is not None

        def func(p):
            a1 = self._values(p, f"{c1}#1~1")
            hi = self._values(p, f"{c2}#1~1[{c1}=1]")
            lo = self._values(p, f"{c2}#1~1[{c1}=2]")
            gamma = hi - lo
            if two_level:
                S = self._re_cov(p)
                v1, c12, v2 = S[0, 0], S[0, 1], S[1, 1]
            else:
                v1 = c12 = v2 = 0.0
            beta = c12 / v1 if v1 > 0 else 0.0
            veps = v2 - beta * c12
            a = a1 + np.sqrt(2 * v1) * x
            m = 1 / (1 + np.exp(-a))
            pm = wq @ m
            var_m = wq @ (m - pm) ** 2
            cov_am = wq @ ((a - a1) * (m - pm))
            part_a1 = beta ** 2 * v1 + gamma ** 2 * var_m + 2 * beta * gamma * cov_am
            part_c1 = gamma ** 2 * (wq @ (m * (1 - m)))
            V = part_a1 + part_c1 + veps
            tot = V + LOGISTIC_VARIANCE
            g2 = gamma ** 2 * pm * (1 - pm)
            eq14 = g2 / (g2 + LOGISTIC_VARIANCE)
            return np.array([v1 / (v1 + LOGISTIC_VARIANCE), eq14, V / tot, part_a1 / tot,
                             part_c1 / tot, veps / tot, V / tot - eq14])
        names = [f"R2({c1} | alpha1)", f"R2({c2} | {c1})", f"R2({c2})",
                 f"R2({c2}): alpha1", f"R2({c2}): residual {c1}",
                 f"R2({c2}): residual alpha2", f"R2({c2}): added by alpha2"]
        out = self._res.delta_method(func, names=names, alpha=alpha)
        if not two_level:
            out = out.loc[[names[1]]]
        out.index.name = "R2"
        return out

    # -- tables and plots ----------------------------------------------------------------
    @staticmethod
    def _frame(est, se, names, alpha):
        q = stats.norm.ppf(1 - alpha / 2)
        with np.errstate(divide="ignore", invalid="ignore"):
            z = est / se
        return pd.DataFrame({"estimate": est, "se": se, "z": z,
                             "pvalue": 2 * stats.norm.sf(np.abs(z)),
                             "lower": est - q * se, "upper": est + q * se}, index=names)

    def summary(self):
        """Initial and transition probabilities, class sizes and profiles, as text."""
        return LTASummary(self)

    def plot_transitions(self, kind="model", figsize=None):
        """One transition diagram per wave (:func:`mixlevel.graphics.plotting.plot_transitions`)."""
        from ..graphics.plotting import _new_figure, plot_transitions

        lay = self.layout
        n = lay.n_waves - 1
        fig, axes = _new_figure(figsize or (5 * max(n, 1), 4), 1, max(n, 1))
        for t in range(1, lay.n_waves):
            plot_transitions(self._res, lay.classes[t - 1], lay.classes[t], kind=kind,
                             ax=axes[0, t - 1])
        return fig


class LTASummary:
    """Text tables of an LTA fit (``str()`` or :meth:`as_text`); ``tables`` holds them."""

    def __init__(self, lta):
        lay = lta.layout
        r = lta._res
        self.title = (f"Latent transition model: {lay.n_waves} waves, {lay.k} classes, "
                      f"{'invariant' if lay.invariant else 'wave-specific'} items, "
                      f"{'homogeneous' if lay.homogeneous else 'wave-specific'} "
                      f"transitions (order {lay.order})")
        self.head = (f"log-likelihood {r.llf:.3f}, parameters {r.k_params}, "
                     f"BIC {r.bic:.3f}, rows {r.nobs:g}")
        self.tables = {"Initial probabilities P(C_1)": lta.initial()[["estimate", "se"]],
                       "Class sizes by wave": lta.class_sizes()[["model", "se"]]}
        if lay.order == 1:
            for w in range(2, lay.n_waves + 1):
                fr = lta.transitions(wave=w)
                K = lay.k
                src, tgt = lay.classes[w - 2], lay.classes[w - 1]
                cells = [f"{e:.3f} ({s:.3f})" for e, s in zip(fr["estimate"], fr["se"],
                                                              strict=True)]
                self.tables[f"Transitions P({tgt} | {src}), estimate (se)"] = pd.DataFrame(
                    np.array(cells).reshape(K, K),
                    index=[f"{src}={k}" for k in range(1, K + 1)],
                    columns=[f"{tgt}={k}" for k in range(1, K + 1)])
        self.tables["Item profiles by class (Table 1 layout)"] = lta.profiles()

    def as_text(self):
        parts = [self.title, self.head, ""]
        with pd.option_context("display.width", 120, "display.float_format",
                               "{:.3f}".format):
            for name, tab in self.tables.items():
                parts += [name, tab.to_string(), ""]
        return "\n".join(parts)

    def __str__(self):
        return self.as_text()

    __repr__ = __str__
