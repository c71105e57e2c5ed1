"""Results of a fitted :class:`~mixlevel.model.MixtureModel` (statsmodels style).

``params``, ``bse``, ``pvalues``, ``conf_int()``, ``cov_params()``, ``t_test``,
``wald_test``, ``f_test``, ``save`` / ``load`` and ``remove_data`` come from
statsmodels' likelihood results (constraints may be written with mixlevel's
parameter names, brackets and all).  The covariance is MLR (White's sandwich
with per-cluster scores, the Mplus default) or ML (inverse observed
information).

What mixture users read besides the parameters:

* fit: log-likelihood, AIC, BIC, sample-size adjusted BIC, entropy, how many
  random starts reached the best log-likelihood (:attr:`start_table`);
* classes: proportions implied by the model, from the posterior probabilities
  and from the modal classes, per class variable and per joint pattern
  (:meth:`class_proportions_table`), posterior probabilities and modal classes
  per row and cluster, the classification table, transition tables;
* outcomes by class (:attr:`profiles`) and predictions for new data
  (:meth:`predict`), with delta-method standard errors;
* empirical Bayes random effects per cluster (:meth:`random_effects`);
* a statsmodels :meth:`summary` organised the way mixture users read, and the
  whole result as a dictionary, JSON or a long DataFrame.

Model-implied quantities ("model" proportions, profiles, transitions,
marginal predictions) average the model's probabilities over the rows' own
covariates and integrate the random effects over their distribution: for a
model without covariates and random effects they are plain functions of the
parameters (e.g. the inverse logit of an item's class intercept).  Proportions
of a *between* class variable are per cluster; all others are per row.
"""

from __future__ import annotations

import itertools
import json
import re
import warnings

import numpy as np
import pandas as pd
import statsmodels.base.wrapper as wrap
from scipy import special, stats
from statsmodels.base.model import (
    GenericLikelihoodModelResults,
    LikelihoodModelResults,
    LikelihoodResultsWrapper,
)
from statsmodels.iolib.summary import Summary, summary_params
from statsmodels.iolib.table import SimpleTable
from statsmodels.iolib.tableformatting import fmt_params

from ..errors import EstimationWarning
from ..estimation import diagnostics
from ..estimation.covariance import sandwich
from ..families import Ordinal
from ..spec import class_suffix
from ..spec.transforms import to_working, working_jacobian

__all__ = ["MixtureResults", "MixtureResultsWrapper", "MixtureSummary"]

#: Width (characters) that the text summary never exceeds.
SUMMARY_WIDTH = 100


# ------------------------------------------------------------------------------------
# small helpers
# ------------------------------------------------------------------------------------
def _label(assign):
    """``"d=1,c=2"`` from an ordered dict of 0-based classes; ``"all"`` when empty."""
    if not assign:
        return "all"
    return ",".join(f"{k}={v + 1}" for k, v in assign.items())


def _strip_suffix(name, assign):
    suffix = class_suffix(assign)
    if suffix and name.endswith(suffix):
        return name[: -len(suffix)]
    return name


def _jsonable(obj):
    """Plain Python (NaN -> None) for json."""
    if isinstance(obj, dict):
        return {str(k): _jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_jsonable(v) for v in obj]
    if isinstance(obj, np.ndarray):
        return _jsonable(obj.tolist())
    if isinstance(obj, (np.bool_, bool)):
        return bool(obj)
    if isinstance(obj, (np.integer,)):
        return int(obj)
    if isinstance(obj, (float, np.floating)):
        v = float(obj)
        return None if not np.isfinite(v) else v
    if obj is pd.NA or obj is None:
        return None
    return obj


def _records(frame):
    return _jsonable(frame.reset_index().to_dict(orient="records"))


def _fmt(x, prec=3):
    if x is None or not np.isfinite(x):
        return "-"
    return f"{x:.{prec}f}"


def _mean_values(family, link, eta, fp):
    """Expected outcome values from linear predictors.

    ``eta`` has the channels last; returns the values last (one for normal,
    binary, binomial and poisson; one per category for ordinal and nominal).
    """
    name = family.name
    if name == "normal":
        return eta[..., :1]
    cdf = special.ndtr if link == "probit" else special.expit
    if name in ("binary", "binomial"):
        return cdf(eta[..., :1])
    if name == "poisson":
        return np.exp(eta[..., :1])
    if name == "nominal":
        full = np.concatenate([eta, np.zeros(eta.shape[:-1] + (1,))], axis=-1)
        return special.softmax(full, axis=-1)
    # ordinal: P(y <= k) = F(tau_k - eta); fp holds the thresholds, shape (DC, K-1)
    e = eta[..., 0]
    tau = fp  # (DC, K-1)
    shape = [1] * e.ndim
    shape[1] = tau.shape[0]
    cum = [np.zeros_like(e)]
    for k in range(tau.shape[1]):
        cum.append(cdf(tau[:, k].reshape(shape) - e))
    cum.append(np.ones_like(e))
    cum = np.stack(cum, axis=-1)
    return np.diff(cum, axis=-1)


# ------------------------------------------------------------------------------------
# the summary object
# ------------------------------------------------------------------------------------
class MixtureSummary(Summary):
    """A statsmodels :class:`~statsmodels.iolib.summary.Summary` whose text form has
    tables of one common width (at most ``SUMMARY_WIDTH`` = 100 characters)."""

    def as_text(self):
        rendered = [(str(t).split("\n"), bool(getattr(t, "title", None)))
                    for t in self.tables]

        def is_rule(s):
            s = s.strip()
            return bool(s) and set(s) <= set("=-")

        width = max([len(ln.rstrip()) if not (i == 0 and titled) else len(ln.strip())
                     for lines, titled in rendered for i, ln in enumerate(lines)
                     if not is_rule(ln)] + [60])
        width = min(width, SUMMARY_WIDTH)
        out = []
        for k, (lines, titled) in enumerate(rendered):
            if k < len(rendered) - 1:
                lines = lines[:-1]  # as statsmodels: the next table's top rule follows
            for i, ln in enumerate(lines):
                s = ln.rstrip()
                if is_rule(s):
                    out.append(s.strip()[0] * width)
                elif i == 0 and titled:
                    out.append(s.strip().center(width).rstrip())
                else:
                    out.append(s)
        txt = "\n".join(out)
        if self.extra_txt is not None:
            txt = txt + "\n" + self.extra_txt
        return txt

    def __str__(self):
        return self.as_text()

    def __repr__(self):
        return self.as_text()


def _title_table(title, data, headers, stubs, stub_width=None):
    """A SimpleTable in the parameter-table style."""
    if stub_width is not None:
        stubs = [s.ljust(stub_width) for s in stubs]
    tab = SimpleTable(data, headers, stubs, title=title, txt_fmt=fmt_params)
    return tab


def _wide_tables(title, data, headers, stubs, stub_width, cell_width=15):
    """Tables of ``data`` split into blocks of columns that fit in SUMMARY_WIDTH."""
    per = max(1, (SUMMARY_WIDTH - stub_width - 4) // cell_width)
    out = []
    for k in range(0, len(headers), per):
        part = [row[k:k + per] for row in data]
        t = title if k == 0 else f"{title} (continued)"
        out.append(_title_table(t, part, headers[k:k + per], stubs, stub_width))
    return out


# ------------------------------------------------------------------------------------
# results
# ------------------------------------------------------------------------------------
class MixtureResults(GenericLikelihoodModelResults):
    """Fitted two-level mixture model.

    Built by :meth:`MixtureModel.fit`; see the module docstring for what it
    holds.  All tables are pandas objects; rows are in the order of the data
    given to the model (rows dropped for missing covariates are left out),
    clusters in sorted order of their labels.
    """

    # -- construction ------------------------------------------------------------------
    @classmethod
    def from_fit(cls, model, params, outcome, start_table, cov_type="MLR"):
        """Results at ``params`` (natural scale) after an optimisation ``outcome``.

        Parameters
        ----------
        model : MixtureModel
        params : ndarray
            Free parameters on the natural scale.
        outcome : FitOutcome
            The best run (convergence, iterations).
        start_table : list of dict or DataFrame
            One row per random start (empty without random starts).
        cov_type : {"MLR", "ML"}
            Sandwich or inverse observed information.

        Returns
        -------
        MixtureResults
        """
        if cov_type.upper() not in ("MLR", "ML"):
            raise ValueError("cov_type must be 'MLR' or 'ML'")
        # the covariance is computed on first use (see normalized_cov_params): the
        # observed information costs 2k score evaluations, more than many fits
        mlefit = LikelihoodModelResults(model, params, normalized_cov_params=None, scale=1.0)
        mlefit.mle_retvals = {"converged": outcome.converged, "iterations":
                              outcome.n_em + outcome.n_qn, "em_iterations": outcome.n_em}
        mlefit.mle_settings = {"optimizer": "EM + BFGS"}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            res = cls(model, mlefit)
        res.nobs = model.nobs
        res.n_clusters = model.n_clusters
        res.cov_type = cov_type.upper()
        res._information = None
        res.converged = bool(outcome.converged)
        res.iterations = int(outcome.n_em + outcome.n_qn)
        res.em_iterations = int(outcome.n_em)
        res.start_table = pd.DataFrame(start_table)
        eng = model.engine
        res._estep = eng.estep(model._work(params))
        res._llf = float(res._estep.loglike)
        res._nodes = eng.nodes  # immutable: the E-step's node state
        d = model.design
        res._meta = {
            "single_level": bool(d.single_level),
            "n_categories": dict(d.n_categories),
            "levels": {k: np.asarray(v) for k, v in d.levels.items()},
            "cluster": model.cluster,
            "cluster_sizes": np.diff(d.indptr),
            "n_rows": int(d.n_rows),
        }
        res._store = {}
        rep = res.best_loglike_replicated
        if rep == 1 and res._final_starts().shape[0] > 1:
            warnings.warn(
                "the best log-likelihood was reached by only one of "
                f"{res._final_starts().shape[0]} final-stage starts: it may be a local "
                "maximum; use more random starts (starts=(n_initial, n_final))",
                EstimationWarning, stacklevel=3)
        return res

    # -- covariance of the estimates (computed on first use) ------------------------------
    def _compute_information(self):
        if self.__dict__.get("_information") is None:
            model = self.model
            params = np.asarray(self.__dict__["params"], float)
            H = model.hessian(params)
            ok = model._check_information(H, params)
            cov_mlr, cov_ml = sandwich(H, model.score_obs(params),
                                       model.engine.design.cluster_weight)
            self.__dict__["_information"] = {"ml": cov_ml, "mlr": cov_mlr, "ok": ok,
                                             "hessian": H}
        return self.__dict__["_information"]

    @property
    def normalized_cov_params(self):
        """MLR (default) or ML covariance of the estimates; computed on first use."""
        info = self._compute_information()
        return info["mlr"] if self.cov_type == "MLR" else info["ml"]

    @normalized_cov_params.setter
    def normalized_cov_params(self, value):
        if value is not None:
            self.__dict__["_information"] = {"ml": value, "mlr": value, "ok": True}

    @property
    def cov_params_ml(self):
        """Inverse observed information (ML standard errors)."""
        return self._compute_information()["ml"]

    @property
    def cov_params_mlr(self):
        """Sandwich with per-cluster scores (MLR standard errors, White 1980)."""
        return self._compute_information()["mlr"]

    @property
    def hessian_ok(self):
        """False when the information matrix is singular or not positive definite."""
        return self._compute_information()["ok"]

    def __getstate__(self):
        state = self.__dict__.copy()
        state.pop("_prior_engine_obj", None)  # engines are rebuilt on demand
        return state

    # -- bookkeeping -------------------------------------------------------------------
    def _cached(self, key, fn):
        store = self.__dict__.setdefault("_store", {})
        if key not in store:
            store[key] = fn()
        return store[key]

    def _need_data(self, what):
        if getattr(self, "_estep", None) is None:
            raise RuntimeError(
                f"{what} needs the data, which remove_data() removed; compute it before "
                "calling remove_data(), or refit")

    @property
    def _patterns(self):
        """Joint class patterns in kernel order d*C + c: list of dicts (between first)."""
        return self.model.spec.patterns()

    @property
    def _class_order(self):
        spec = self.model.spec
        return [c.name for c in spec.between_classes + spec.within_classes]

    def _class_var(self, name):
        return self.model.spec.class_var(name)

    def _row_weights(self):
        d = self.model.design
        return d.row_weight * d.cluster_weight[d.cluster_of_row]

    def _inverse_order(self):
        order = self.model.design.order
        inv = np.empty_like(order)
        inv[order] = np.arange(len(order))
        return inv

    def _data_index(self):
        d = self.model.design
        inv = self._inverse_order()
        return d.index[inv] if d.index is not None else pd.RangeIndex(len(inv))

    def _cluster_index(self):
        d = self.model.design
        name = self.model.cluster if self.model.cluster is not None else None
        return pd.Index(d.cluster_labels, name=name)

    def _final_starts(self):
        st = self.start_table
        if st.empty:
            return st
        if "stage" in st.columns:
            return st[st["stage"] == "final"]
        return st

    # -- fit statistics ----------------------------------------------------------------
    @property
    def llf(self):
        """Log-likelihood at the estimates (frequency-weighted, data constants included)."""
        return self._llf

    @property
    def k_params(self):
        """Number of free parameters."""
        return len(self.params)

    @property
    def df_modelwc(self):
        return self.k_params

    @property
    def aic(self):
        """AIC = -2 LL + 2 k."""
        return -2 * self.llf + 2 * self.k_params

    @property
    def bic(self):
        """BIC with n = number of rows (as Mplus for two-level models)."""
        return -2 * self.llf + np.log(self.nobs) * self.k_params

    @property
    def abic(self):
        """Sample-size adjusted BIC, n* = (n + 2) / 24 (Sclove 1987)."""
        return -2 * self.llf + np.log((self.nobs + 2) / 24) * self.k_params

    @property
    def best_loglike_replicated(self):
        """How many final-stage starts reached the best log-likelihood (to 1e-6 rel.)."""
        st = self._final_starts()
        if st.empty:
            return None
        ll = st["loglike"].astype(float)
        best = ll.max()
        return int((np.abs(ll - best) <= 1e-6 * (1 + abs(best))).sum())

    @property
    def entropy(self):
        """Relative entropy of the classification (Mplus), over joint class patterns.

        ``1 - sum_i w_i sum_k -p_ik log p_ik / (n log K)`` with ``p_ik`` the
        posterior probability of joint pattern k for row i, ``w_i`` its
        frequency weight, ``n = sum_i w_i`` and K the number of joint patterns.
        1 is a perfect classification; NaN without classes.
        """
        def compute():
            joint = self._joint_sorted()
            K = joint.shape[1]
            if K < 2:
                return float("nan")
            w = self._row_weights()
            p = np.clip(joint, 1e-300, 1)
            ent = -(w[:, None] * joint * np.log(p)).sum()
            return float(1 - ent / (w.sum() * np.log(K)))
        return self._cached("entropy", compute)

    # -- parameter bookkeeping ---------------------------------------------------------
    @property
    def parameter_info(self):
        """One row per free parameter: section, equation, classes, label, kind.

        ``section`` is "outcome" (outcome equations), "class" (class logits) or
        "covariance" (random-effect variances and covariances); ``classes`` the
        class pattern the parameter belongs to ("all" when it is shared).
        """
        return self._cached("parameter_info", self._build_parameter_info)

    def _build_parameter_info(self):
        model = self.model
        return model.layout.info_frame(model.param_names).drop(columns="role")

    # -- tests on parameter names ------------------------------------------------------
    def _constraints(self, r_matrix):
        """Translate constraint text written with parameter names into (R, q)."""
        texts = None
        if isinstance(r_matrix, str):
            texts = r_matrix
        elif isinstance(r_matrix, (list, tuple)) and r_matrix and all(
                isinstance(s, str) for s in r_matrix):
            texts = ", ".join(r_matrix)
        if texts is None:
            return r_matrix
        from statsmodels.formula._manager import FormulaManager

        names = list(self.model.param_names)
        alias = {n: f"mlpar{i}x" for i, n in enumerate(names)}
        pattern = re.compile("|".join(re.escape(n) for n in sorted(names, key=len,
                                                                     reverse=True)))
        text = pattern.sub(lambda m: alias[m.group(0)], texts)
        lc = FormulaManager().get_linear_constraints(text, [alias[n] for n in names])
        return lc.constraint_matrix, lc.constraint_values

    def t_test(self, r_matrix, cov_p=None, use_t=None):
        """Wald t (z) tests of linear constraints.

        ``r_matrix`` may be text using the parameter names, e.g.
        ``"u1~1[c=1] - u1~1[c=2] = 0"``, a list of such strings, an array or a
        tuple ``(R, q)``; see :meth:`statsmodels.base.model.LikelihoodModelResults.t_test`.
        """
        return super().t_test(self._constraints(r_matrix), cov_p=cov_p, use_t=use_t)

    def wald_test(self, r_matrix, cov_p=None, invcov=None, use_f=None, df_constraints=None,
                  scalar=True):
        """Joint Wald test; constraints may use parameter names (see :meth:`t_test`)."""
        return super().wald_test(self._constraints(r_matrix), cov_p=cov_p, invcov=invcov,
                                 use_f=use_f, df_constraints=df_constraints, scalar=scalar)

    def f_test(self, r_matrix, cov_p=None, invcov=None):
        """F test of joint constraints; constraints may use parameter names."""
        return self.wald_test(r_matrix, cov_p=cov_p, invcov=invcov, use_f=True)

    # -- delta method ------------------------------------------------------------------
    def _jacobian_working(self, fw, rel_step=1e-5):
        """Central-difference Jacobian of ``fw(free working vector)`` at the estimates,
        mapped to the natural scale."""
        tab = self.model.table
        p = np.asarray(self.params, float)
        w0 = tab.free_working_from_natural(p)
        f0 = np.asarray(fw(w0), float)
        k = len(w0)
        jw = np.zeros((f0.size, k))
        for j in range(k):
            h = rel_step * max(1.0, abs(w0[j]))
            wp, wm = w0.copy(), w0.copy()
            wp[j] += h
            wm[j] -= h
            jw[:, j] = (np.ravel(fw(wp)) - np.ravel(fw(wm))) / (2 * h)
        dnat = np.zeros((k, k))  # d natural / d working, block diagonal
        pos = 0
        for gi in tab.free_groups:
            g = tab.groups[gi]
            s = slice(pos, pos + g.size)
            dnat[s, s] = working_jacobian(g.kind, w0[s])
            pos += g.size
        try:
            jn = np.linalg.solve(dnat.T, jw.T).T
        except np.linalg.LinAlgError:
            jn = jw @ np.linalg.pinv(dnat)
        return f0.ravel(), jn

    def delta_method(self, func, names=None, alpha=0.05):
        """Estimates and delta-method standard errors of ``func(params)``.

        Parameters
        ----------
        func : callable
            Takes the free parameters (natural scale, a pandas Series with the
            parameter names) and returns a scalar or 1-d array.
        names : list of str, optional
            Names of the outputs.
        alpha : float
            Level of the (normal) confidence intervals.

        Returns
        -------
        pandas.DataFrame
            estimate, se, z, pvalue, lower, upper.

        Notes
        -----
        The Jacobian is a central difference on the working scale (log
        variances, Cholesky factors), so no step leaves the parameter space,
        mapped to the natural scale by the chain rule; the covariance is the
        results' (MLR or ML).
        """
        tab = self.model.table
        pnames = list(self.model.param_names)

        def fw(w):
            return np.atleast_1d(np.asarray(func(pd.Series(tab.free_natural_from_working(w),
                                                               index=pnames)), float))
        est, jac = self._jacobian_working(fw)
        cov = jac @ np.asarray(self.cov_params()) @ jac.T
        return self._inference_frame(est, np.sqrt(np.clip(np.diag(cov), 0, None)), names,
                                     alpha)

    @staticmethod
    def _inference_frame(est, se, names, alpha=0.05, index_name=None):
        q = stats.norm.ppf(1 - alpha / 2)
        with np.errstate(divide="ignore", invalid="ignore"):
            z = est / se
        frame = pd.DataFrame({"estimate": est, "se": se, "z": z,
                              "pvalue": 2 * stats.norm.sf(np.abs(z)),
                              "lower": est - q * se, "upper": est + q * se},
                             index=names)
        if index_name:
            frame.index.name = index_name
        return frame

    # -- posterior probabilities -------------------------------------------------------
    def _joint_sorted(self):
        """P(joint pattern | data) per row in the design's (cluster-sorted) order, (N, DC)."""
        def compute():
            self._need_data("posterior probabilities")
            eng = self.model.engine
            es = self._estep
            N = self.model.design.n_rows
            G, H = es.nodes.G, es.nodes.H
            rp = es.rowpost.reshape(N, eng.D, G, eng.C, H).sum(axis=4)
            pdg = es.post_dg[self.model.design.cluster_of_row]
            return np.einsum("ndg,ndgc->ndc", pdg, rp).reshape(N, eng.D * eng.C)
        return self._cached("joint_sorted", compute)

    def _pattern_masks(self, names):
        """For each assignment of the class variables ``names``: mask over joint patterns."""
        pats = self._patterns
        out = []
        ranges = [range(self._class_var(n).n_classes) for n in names]
        for combo in itertools.product(*ranges):
            assign = dict(zip(names, combo, strict=True))
            mask = np.array([all(p[k] == v for k, v in assign.items()) for p in pats])
            out.append((assign, mask))
        return out

    def _marginal_masks(self, variable=None):
        res = []
        for name in self._class_order:
            if variable is not None and name != variable:
                continue
            res.extend(self._pattern_masks([name]))
        if variable is not None and not res:
            raise ValueError(f"no class variable {variable!r}; the model has "
                             f"{', '.join(self._class_order) or 'none'}")
        return res

    def posterior_patterns(self):
        """P(between pattern d, within pattern c | data) per row, shape (N, D, C), data order."""
        eng = self.model.engine
        joint = self._joint_sorted()[self._inverse_order()]
        return joint.reshape(-1, eng.D, eng.C)

    def posterior(self, level="row", variable=None, joint=False):
        """Posterior class probabilities.

        Parameters
        ----------
        level : {"row", "cluster"}
            "row": per row in data order, ``P(class | the data of the row's
            cluster)``.  "cluster": per cluster, the average over its rows
            (frequency-weighted) of the row probabilities, which for a between
            class variable is ``P(D_j = d | Y_j)`` and for a within class
            variable the cluster's expected class composition.
        variable : str, optional
            Only this class variable (marginal columns).
        joint : bool
            Columns for the joint class patterns (``"d=1,c=2"``) instead of one
            block of columns per class variable.

        Returns
        -------
        pandas.DataFrame
            Rows sum to one per class variable (per block of columns).
        """
        if level not in ("row", "cluster"):
            raise ValueError("level must be 'row' or 'cluster'")
        flat = self._joint_sorted()
        if joint:
            cols = {_label(p): flat[:, k] for k, p in enumerate(self._ordered_patterns())}
        else:
            cols = {_label(a): flat[:, m].sum(axis=1) for a, m in self._marginal_masks(variable)}
        frame = pd.DataFrame(cols)
        if level == "row":
            frame = frame.iloc[self._inverse_order()].reset_index(drop=True)
            frame.index = self._data_index()
            return frame
        d = self.model.design
        w = d.row_weight
        sums = np.add.reduceat(frame.to_numpy() * w[:, None], d.indptr[:-1], axis=0)
        tot = np.add.reduceat(w, d.indptr[:-1])
        return pd.DataFrame(sums / tot[:, None], columns=frame.columns,
                            index=self._cluster_index())

    def _ordered_patterns(self):
        order = self._class_order
        return [{k: p[k] for k in order} for p in self._patterns]

    def modal_class(self, level="row", joint=False):
        """Most likely class (1-based) per row or cluster.

        Parameters
        ----------
        level : {"row", "cluster"}
            At the cluster level only between class variables have a class.
        joint : bool
            The most likely joint pattern (a label such as ``"d=1,c=2"``)
            instead of one column per class variable.

        Returns
        -------
        pandas.DataFrame or pandas.Series
        """
        if joint:
            if level == "cluster" and self.model.spec.within_classes:
                raise ValueError("joint modal classes are per row; use level='row'")
            post = self.posterior(level=level, joint=True)
            return post.idxmax(axis=1).rename("modal")
        names = self._class_order
        if level == "cluster":
            names = [c.name for c in self.model.spec.between_classes]
            if not names:
                raise ValueError("the model has no between class variable: modal classes "
                                 "are per row (level='row')")
        out = {}
        for n in names:
            post = self.posterior(level=level, variable=n)
            out[n] = (post.to_numpy().argmax(axis=1) + 1).astype(int)
        return pd.DataFrame(out, index=post.index)

    # -- class proportions ----------------------------------------------------------------
    @property
    def class_proportions(self):
        """Model-implied class proportions per class variable (a Series, ``"c=1"`` ...).

        Per row for within class variables, per cluster for between ones; see
        :meth:`class_proportions_table` for the posterior and modal versions.
        """
        tab = self.class_proportions_table()
        return tab["model"].rename("proportion")

    def class_proportions_table(self, joint=False):
        """Class proportions three ways, as Mplus prints them.

        Parameters
        ----------
        joint : bool
            Joint class patterns instead of one block per class variable.

        Returns
        -------
        pandas.DataFrame
            Indexed by class label, with ``variable``; ``model`` (implied by
            the estimates, with its delta-method ``se``), ``posterior`` (mean
            posterior probability), ``modal`` (share of modal assignments), and
            the counts ``n_posterior`` and ``n_modal``.  Between class variables
            count clusters; everything else counts rows.
        """
        key = "proportions_joint" if joint else "proportions"
        return self._cached(key, lambda: self._build_proportions(joint))

    def _build_proportions(self, joint):
        prior = self._prior_delta()
        flat = self._joint_sorted()
        w = self._row_weights()
        d = self.model.design
        between = {c.name for c in self.model.spec.between_classes}
        rows = []
        if joint:
            est, se = prior["joint"]
            modal = flat.argmax(axis=1)
            for k, pat in enumerate(self._ordered_patterns()):
                npost = float(w @ flat[:, k])
                nmod = float(w[modal == k].sum())
                rows.append({"class": _label(pat), "variable": "joint", "model": est[k],
                             "se": se[k], "posterior": npost / w.sum(),
                             "modal": nmod / w.sum(), "n_posterior": npost, "n_modal": nmod})
            return pd.DataFrame(rows).set_index("class")
        est, se = prior["marginal"]
        k = 0
        wc = d.cluster_weight
        for name in self._class_order:
            masks = self._pattern_masks([name])
            if name in between:
                # cluster level: P(d | Y_j) is shared by the cluster's rows
                first = flat[d.indptr[:-1]]
                post = np.column_stack([first[:, m].sum(axis=1) for _, m in masks])
                ww = wc
            else:
                post = np.column_stack([flat[:, m].sum(axis=1) for _, m in masks])
                ww = w
            modal = post.argmax(axis=1)
            for j, (assign, _) in enumerate(masks):
                npost = float(ww @ post[:, j])
                nmod = float(ww[modal == j].sum())
                rows.append({"class": _label(assign), "variable": name, "model": est[k],
                             "se": se[k], "posterior": npost / ww.sum(),
                             "modal": nmod / ww.sum(), "n_posterior": npost, "n_modal": nmod})
                k += 1
        return pd.DataFrame(rows, columns=["class", "variable", "model", "se", "posterior",
                                           "modal", "n_posterior", "n_modal"]).set_index("class")

    @property
    def classification_table(self):
        """Average posterior probabilities by modal class (Mplus), joint patterns.

        Row r, column k: the mean posterior probability of pattern k among rows
        whose most likely pattern is r (frequency-weighted).  A good
        classification has a diagonal near one.  See :meth:`classification`.
        """
        return self.classification()

    def classification(self, variable=None):
        """Average posterior probability by modal class.

        Parameters
        ----------
        variable : str, optional
            One class variable (per cluster for a between variable); default
            the joint class patterns per row.

        Returns
        -------
        pandas.DataFrame
            Index: modal class; columns: class; NaN rows for empty modal classes.
        """
        def compute():
            if variable is None:
                post = self.posterior(joint=True)
                w = self._row_weights()[self._inverse_order()]
            else:
                is_between = variable in {c.name for c in self.model.spec.between_classes}
                post = self.posterior(level="cluster" if is_between else "row",
                                      variable=variable)
                w = (self.model.design.cluster_weight if is_between
                     else self._row_weights()[self._inverse_order()])
            p = post.to_numpy()
            modal = p.argmax(axis=1)
            out = np.full((p.shape[1], p.shape[1]), np.nan)
            for r in range(p.shape[1]):
                sel = modal == r
                if sel.any():
                    out[r] = (w[sel, None] * p[sel]).sum(axis=0) / w[sel].sum()
            frame = pd.DataFrame(out, index=pd.Index(post.columns, name="modal"),
                                 columns=pd.Index(post.columns, name="posterior"))
            return frame
        return self._cached(("classification", variable), compute)

    # -- model-implied quantities (prior engine) --------------------------------------------
    def _prior_engine(self, kind="all"):
        """An engine on the rows' distinct covariate values with every outcome missing.

        Its E-step gives the model's prior probabilities ``P(d, g, c, h | x)``:
        posterior weights without data.  Two frequency weights per distinct
        row: rows, and cluster shares (for between class variables).
        ``kind="classes"`` keeps only the covariates of the class equations
        (the others are set to 0: with every outcome missing they do not
        matter), so class quantities are cheap however many outcome
        covariates there are.
        """
        engines = self.__dict__.setdefault("_prior_engine_obj", {})
        if kind in engines:
            return engines[kind]
        self._need_data("model-implied quantities")
        model = self.model
        spec = model.spec
        d = model.design
        all_cols = list(spec.columns())
        if kind == "classes":
            cols = [c for c in all_cols if any(t.column == c and t.target in spec.class_names
                                               for t in spec.terms)]
        else:
            cols = all_cols
        w_row = self._row_weights()
        sizes = np.add.reduceat(d.row_weight, d.indptr[:-1])
        w_clu = d.cluster_weight[d.cluster_of_row] * d.row_weight / sizes[d.cluster_of_row]
        if cols:
            X = np.column_stack([d.columns[c] for c in cols])
            uniq, inv = np.unique(X, axis=0, return_inverse=True)
            inv = inv.ravel()
        else:
            uniq, inv = np.zeros((1, 0)), np.zeros(d.n_rows, int)
        n = uniq.shape[0]
        wr = np.bincount(inv, weights=w_row, minlength=n)
        wc = np.bincount(inv, weights=w_clu, minlength=n)
        columns = {c: np.zeros(n) for c in all_cols}
        columns.update({c: np.ascontiguousarray(uniq[:, k]) for k, c in enumerate(cols)})
        eng = self._design_engine(columns, n, weights=wr)
        engines[kind] = eng
        self.__dict__.setdefault("_prior_weights", {})[kind] = (wr, wc)
        return eng

    def _design_engine(self, columns, n, y=None, trials=None, indptr=None, weights=None,
                       labels=None):
        """An Engine of the model on new design columns (non-adaptive nodes)."""
        from ..data import Design

        model = self.model
        design = Design.for_rows(model.design, columns, n, len(model.spec.outcomes), y=y,
                                 trials=trials, indptr=indptr, cluster_weight=weights,
                                 labels=labels)
        return model.engine.on_rows(design)

    def _outcome_layout(self):
        """Value columns of the outcomes: list of (outcome index, outcome, category label)."""
        out = []
        for p, o in enumerate(self.model.spec.outcomes):
            if o.family.name in ("ordinal", "nominal"):
                levels = self._meta["levels"].get(o.name)
                K = self.model.layout.n_categories[o.name]
                labs = [str(v) for v in levels] if levels is not None else \
                    [str(k) for k in range(K)]
                for lab in labs:
                    out.append((p, o, _fmt_level(lab)))
            elif o.family.name in ("binary",):
                out.append((p, o, "1"))
            else:
                out.append((p, o, ""))
        return out

    def _means(self, eng, es):
        """Per row and joint pattern: sum over nodes of P(d,g,c,h | .) E[y | ...].

        Returns ``num`` (N, DC, V) and ``den`` (N, DC) = P(pattern | .), so
        that ``num.sum(1)`` is the expected outcome and ``num / den`` the
        expectation within a pattern.
        """
        d = eng.design
        N, D, C = d.n_rows, eng.D, eng.C
        DC = D * C
        zb, zh = es.nodes.zb, es.nodes.zh
        G, H = es.post_dg.shape[2], zh.shape[0]
        W = es.post_dg[d.cluster_of_row][:, :, :, None, None] * \
            es.rowpost.reshape(N, D, G, C, H)
        W = W.transpose(0, 1, 3, 2, 4).reshape(N, DC, G, H)
        den = W.sum(axis=(2, 3))
        Qb, Qw = zb.shape[2], zh.shape[1]
        Jz = zb.shape[0]
        lv = np.ones((Jz, G, H, 1 + Qb + Qw))
        lv[:, :, :, 1:1 + Qb] = zb[:, :, None, :]
        lv[:, :, :, 1 + Qb:] = zh[None, None, :, :]
        mono = eng.kl.mono
        U = lv[..., mono[:, 0]] * lv[..., mono[:, 1]]  # (Jz, G, H, M)
        A = es.inputs.A
        FP = es.inputs.FP
        layout = self._outcome_layout()
        V = len(layout)
        num = np.zeros((N, DC, V))
        v = 0
        for p, o in enumerate(eng.spec.outcomes):
            ch0 = eng.kl.och[p]
            nch = eng.kl.n_channels[p]
            Ap = A[:, ch0:ch0 + nch]  # (n_a, nch, DC, M)
            if Jz == 1:
                eta = np.einsum("iqdm,ghm->idghq", Ap, U[0])
            else:
                Ui = U[d.cluster_of_row]
                if Ap.shape[0] == 1:
                    eta = np.einsum("qdm,ighm->idghq", Ap[0], Ui)
                else:
                    eta = np.einsum("iqdm,ighm->idghq", Ap, Ui)
            n_cat = self.model.layout.n_categories[o.name]
            fp = FP[p, :, :max(n_cat - 1, 1)] if isinstance(o.family, Ordinal) \
                else None
            mu = _mean_values(o.family, o.family.link, eta, fp)  # (n_a|N, DC, G, H, nv)
            nv = mu.shape[-1]
            num[:, :, v:v + nv] = np.einsum("idgh,idghv->idv", W,
                                            np.broadcast_to(mu, (N,) + mu.shape[1:]))
            v += nv
        return num, den

    def _value_labels(self):
        """Column names of expected values: the outcome, or ``y[level]`` per category."""
        return [_value_label(o, cat) for _p, o, cat in self._outcome_layout()]

    def _outcome_class_vars(self):
        """Class variables each outcome's parameters depend on (between first)."""
        spec = self.model.spec
        out = {}
        for o in spec.outcomes:
            s = set(spec.residual_by.get(o.name, [])) | set(spec.threshold_by.get(o.name, []))
            for t in spec.terms:
                if t.target != o.name:
                    continue
                s |= set(t.by)
                if t.latent is not None:
                    blk, _ = spec.effect_block(t.latent)
                    s |= set(blk.by)
            out[o.name] = [n for n in self._class_order if n in s]
        return out

    def _dependencies(self):
        """(source, target) pairs where the logits of target depend on source."""
        spec = self.model.spec
        pairs = []
        for t in spec.terms:
            if t.target in spec.class_names:
                for b in t.by:
                    if (b, t.target) not in pairs:
                        pairs.append((b, t.target))
        return pairs

    def _prior_eval(self, work, kind="all"):
        """Model-implied quantities at the free working vector ``work``.

        ``kind="classes"``: joint and marginal class proportions and
        transitions; ``"all"`` adds the outcome profiles.
        """
        eng = self._prior_engine(kind)
        es = eng.estep(work)
        wr, wc = self.__dict__["_prior_weights"][kind]
        D, C = eng.D, eng.C
        den = self._joint_from(eng, es)
        DEN = wr @ den
        joint_rows = DEN / wr.sum()
        between_clu = (wc @ den).reshape(D, C).sum(axis=1) / wc.sum()
        between = {c.name for c in self.model.spec.between_classes}
        marg = []
        for name in self._class_order:
            for _assign, mask in self._pattern_masks([name]):
                if name in between:
                    marg.append(between_clu[mask.reshape(D, C)[:, 0]].sum())
                else:
                    marg.append(joint_rows[mask].sum())
        trans = []
        for src, tgt in self._dependencies():
            src_m, tgt_m = self._pattern_masks([src]), self._pattern_masks([tgt])
            trans.extend(self._trans_from_joint(joint_rows, src_m, tgt_m))
        out = {"joint": joint_rows, "marginal": np.array(marg), "transitions": np.array(trans)}
        if kind == "all":
            num, den2 = self._means(eng, es)
            NUM = np.einsum("i,idv->dv", wr, num)
            DEN2 = wr @ den2
            prof = []
            ocv = self._outcome_class_vars()
            for v, (_p, o, _cat) in enumerate(self._outcome_layout()):
                for _assign, mask in self._pattern_masks(ocv[o.name]):
                    prof.append(NUM[mask, v].sum() / DEN2[mask].sum())
            out["profiles"] = np.array(prof)
        return out

    def _prior_delta(self, kind="classes"):
        """Model-implied quantities and their delta-method SEs (cached per kind)."""
        def compute():
            keys = ["joint", "marginal", "transitions"] + (["profiles"] if kind == "all"
                                                          else [])
            sizes = {}

            def fw(w):
                out = self._prior_eval(w, kind)
                for k in keys:
                    sizes[k] = out[k].size
                return np.concatenate([out[k] for k in keys])
            est, jac = self._jacobian_working(fw)
            cov = np.asarray(self.cov_params())
            se = np.sqrt(np.clip(np.einsum("ij,jk,ik->i", jac, cov, jac), 0, None))
            res, pos = {}, 0
            for k in keys:
                n = sizes[k]
                res[k] = (est[pos:pos + n], se[pos:pos + n])
                pos += n
            return res
        return self._cached(("prior_delta", kind), compute)

    # -- profiles and transitions --------------------------------------------------------
    @property
    def profiles(self):
        """Outcome probabilities or means by class, long format, with delta-method SEs.

        One row per outcome value (the probability of 1 for a binary outcome,
        of each category for ordinal and nominal outcomes, the probability of
        success for binomial, the mean for normal and Poisson outcomes) and
        class of the class variables the outcome depends on (``classes`` =
        "all" for an outcome that depends on none).  Columns: outcome,
        category, scale, classes, one column per class variable (1-based,
        missing when not used), estimate, se, lower, upper (normal 95%).

        Values are model-implied: averaged over the rows' covariates with the
        rows' class probabilities as weights and integrated over the random
        effects, i.e. E[y | class].
        """
        return self._cached("profiles", self._build_profiles)

    def _build_profiles(self):
        est, se = self._prior_delta("all")["profiles"]
        rows = []
        ocv = self._outcome_class_vars()
        for _p, o, cat in self._outcome_layout():
            scale = "mean" if o.family.name in ("normal", "poisson") else "probability"
            for assign, _ in self._pattern_masks(ocv[o.name]):
                row = {"outcome": o.name, "category": cat, "scale": scale,
                       "classes": _label(assign)}
                for n in self._class_order:
                    row[n] = assign[n] + 1 if n in assign else pd.NA
                rows.append(row)
        frame = pd.DataFrame(rows)
        for n in self._class_order:
            frame[n] = frame[n].astype("Int64")
        q = stats.norm.ppf(0.975)
        frame["estimate"] = est
        frame["se"] = se
        frame["lower"] = est - q * se
        frame["upper"] = est + q * se
        return frame

    def transition_table(self, source=None, target=None, kind="model", se=False):
        """P(target class | source class) where one class variable depends on another.

        Parameters
        ----------
        source, target : str, optional
            Class variables; default the first dependency of the model (a
            ``target`` whose logits have ``by=[source]``).  Any two class
            variables may be given.
        kind : {"model", "posterior"}
            Implied by the estimates (averaged over the rows' covariates and
            random effects), or from the rows' posterior probabilities.
        se : bool
            Return a long table (one row per ``"source->target"`` transition)
            with delta-method SEs, z, p and confidence limits (``kind="model"``).

        Returns
        -------
        pandas.DataFrame
            Rows: source classes; columns: target classes; rows sum to one.
        """
        deps = self._dependencies()
        if source is None or target is None:
            if not deps:
                raise ValueError("no class variable depends on another; give source= and "
                                 "target= to tabulate any two class variables")
            source, target = deps[0]
        for n in (source, target):
            self._class_var(n)
        if kind not in ("model", "posterior"):
            raise ValueError("kind must be 'model' or 'posterior'")
        src_m = self._pattern_masks([source])
        tgt_m = self._pattern_masks([target])
        idx = pd.Index([_label(a) for a, _ in src_m], name=source)
        cols = pd.Index([_label(b) for b, _ in tgt_m], name=target)
        if se:
            if kind != "model":
                raise ValueError("standard errors are available for kind='model' only")
            names = [f"{a}->{b}" for a in idx for b in cols]
            if (source, target) in deps:
                est, sd = self._prior_delta()["transitions"]
                pos = 0
                for s_, t_ in deps:
                    if (s_, t_) == (source, target):
                        break
                    pos += len(self._pattern_masks([s_])) * len(self._pattern_masks([t_]))
                est, sd = est[pos:pos + len(names)], sd[pos:pos + len(names)]
            else:
                est, sd = self._delta_transitions(source, target)
            return self._inference_frame(est, sd, names, index_name="transition")
        if kind == "posterior":
            jp = self._row_weights() @ self._joint_sorted()
        else:
            jp = self._prior_delta()["joint"][0]
        out = self._trans_from_joint(jp, src_m, tgt_m).reshape(len(src_m), len(tgt_m))
        return pd.DataFrame(out, index=idx, columns=cols)

    def _delta_transitions(self, source, target):
        src_m = self._pattern_masks([source])
        tgt_m = self._pattern_masks([target])
        est, jac = self._jacobian_working(lambda w: self._trans_from_joint(
            self._prior_eval(w, "classes")["joint"], src_m, tgt_m))
        cov = np.asarray(self.cov_params())
        return est, np.sqrt(np.clip(np.einsum("ij,jk,ik->i", jac, cov, jac), 0, None))

    @staticmethod
    def _trans_from_joint(jp, src_m, tgt_m):
        out = np.array([[jp[ms & mt].sum() for _, mt in tgt_m] for _, ms in src_m])
        return (out / out.sum(axis=1, keepdims=True)).ravel()

    # -- random effects ------------------------------------------------------------------
    def _block_cholesky(self):
        """Per cluster-level latent dimension block and between pattern: L_d (q x q)."""
        model = self.model
        spec, tab = model.spec, model.table
        nat = tab.expand_natural(np.asarray(self.params, float))
        eng = model.engine
        out = {}
        names_b = [b for b, _ in eng.kl.dims_b]
        for blk in spec.blocks:
            if blk.name not in names_b:
                continue
            if blk.covariance != "free":
                out[blk.name] = [np.eye(blk.dim)] * eng.D
                continue
            mats = []
            size = blk.dim * (blk.dim + 1) // 2
            for first in model.layout.block_covariance(blk):
                vech = nat[first:first + size]
                L = np.zeros((blk.dim, blk.dim))
                L[np.tril_indices(blk.dim)] = to_working("covariance", vech)
                mats.append(L)
            out[blk.name] = mats
        return out

    def random_effects(self):
        """Empirical Bayes (posterior) means and SDs of the cluster random effects.

        Returns
        -------
        pandas.DataFrame
            One row per cluster; columns ``("mean", effect)`` and ``("sd",
            effect)`` for every cluster-level random effect or factor (row-level
            factors of a single-level model are per row).  The effects are the
            deviations ``b = L z`` (their class-specific fixed means are in
            the parameters); posterior moments mix over the between classes.
        """
        def compute():
            self._need_data("random_effects()")
            eng = self.model.engine
            if not eng.kl.qb:
                raise ValueError("the model has no cluster-level random effects")
            es = self._estep
            zb = es.nodes.zb  # (1 or J, G, Qb)
            chol = self._block_cholesky()
            J = es.post_dg.shape[0]
            names, means, sds = [], [], []
            pos = 0
            for blk in self.model.spec.blocks:
                if blk.name not in chol:
                    continue
                q = blk.dim
                z = zb[:, :, pos:pos + q]  # (Jz, G, q)
                m1 = np.zeros((J, q))
                m2 = np.zeros((J, q))
                for dd, L in enumerate(chol[blk.name]):
                    b = np.einsum("kl,jgl->jgk", L, z)  # (Jz, G, q)
                    wdg = es.post_dg[:, dd, :]  # (J, G)
                    m1 += np.einsum("jg,jgk->jk", wdg, np.broadcast_to(b, (J,) + b.shape[1:]))
                    m2 += np.einsum("jg,jgk->jk", wdg,
                                    np.broadcast_to(b ** 2, (J,) + b.shape[1:]))
                names.extend(blk.effects)
                means.append(m1)
                sds.append(np.sqrt(np.clip(m2 - m1 ** 2, 0, None)))
                pos += q
            cols = pd.MultiIndex.from_tuples([("mean", n) for n in names] +
                                             [("sd", n) for n in names],
                                             names=["statistic", "effect"])
            return pd.DataFrame(np.hstack(means + sds), index=self._cluster_index(),
                                columns=cols)
        return self._cached("random_effects", compute)

    # -- prediction ----------------------------------------------------------------------
    def _new_engine(self, newdata, conditional):
        """Engine on new data (see :meth:`predict`); returns (engine, kept row positions)."""
        model = self.model
        spec = model.spec
        if not isinstance(newdata, pd.DataFrame):
            raise TypeError("newdata must be a pandas DataFrame")
        cols = model.design_columns(newdata)
        n = len(newdata)
        keep = np.ones(n, bool)
        for c in spec.columns():
            keep &= np.isfinite(np.asarray(cols[c], float))
        pos = np.flatnonzero(keep)
        columns = {c: np.asarray(cols[c], float)[keep] for c in spec.columns()}
        nk = len(pos)
        if not conditional:
            return self._design_engine(columns, nk), pos, None
        P = len(spec.outcomes)
        y = np.full((nk, P), np.nan)
        trials = np.ones((nk, P))
        for p, o in enumerate(spec.outcomes):
            if o.name not in newdata.columns:
                continue
            vals = newdata[o.name].to_numpy()[keep]
            y[:, p] = _encode_like(o, vals, self._meta["levels"].get(o.name))
            if o.family.name == "binomial":
                if o.trials not in newdata.columns:
                    raise ValueError(f"binomial outcome {o.name!r} needs its trials column "
                                     f"{o.trials!r} in newdata")
                trials[:, p] = pd.to_numeric(newdata[o.trials], errors="coerce").to_numpy(
                    float)[keep]
        cl = self._meta["cluster"]
        if cl is not None and cl in newdata.columns:
            codes, labels = pd.factorize(newdata[cl].to_numpy()[keep], sort=True)
            order = np.argsort(codes, kind="stable")
            indptr = np.concatenate([[0], np.cumsum(np.bincount(codes,
                                                                minlength=len(labels)))])
        else:
            order = np.arange(nk)
            indptr = None
        columns = {c: np.ascontiguousarray(v[order]) for c, v in columns.items()}
        eng = self._design_engine(columns, nk, y=y[order], trials=trials[order], indptr=indptr)
        return eng, pos, order

    def predict(self, newdata=None, which="mean", conditional=False):
        """Expected outcomes or class probabilities.

        Parameters
        ----------
        newdata : pandas.DataFrame, optional
            Rows to predict; it needs the model's design columns (the formula
            layer recomputes them from the raw variables through
            ``model.design_columns``); outcome and cluster columns may be
            absent.  Default: the estimation data.
        which : {"mean", "class", "prob", "joint"}
            "mean": expected outcomes marginal over the classes (and random
            effects); "class": expected outcomes within each joint class
            pattern (columns ``(pattern, outcome)``); "prob": class
            probabilities per class variable; "joint": probabilities of the
            joint class patterns.
        conditional : bool
            False (default): the model's prior given the covariates only.
            True: also given the observed outcomes of the row's cluster
            (posterior; with ``newdata=None`` the fitted values), e.g. to
            predict missing items from observed ones.

        Returns
        -------
        pandas.DataFrame
            Indexed like ``newdata`` (rows with a missing covariate are NaN).
            Expected values: the probability of 1 for binary, of success for
            binomial, of each category (``y[level]``) for ordinal and nominal
            outcomes, the mean for normal and Poisson outcomes.
        """
        if which not in ("mean", "class", "prob", "joint"):
            raise ValueError("which must be 'mean', 'class', 'prob' or 'joint'")
        if newdata is None:
            self._need_data("predict() without newdata")
            if conditional:
                eng, es = self.model.engine, self._estep
            else:
                d = self.model.design
                eng = self._design_engine({c: d.columns[c] for c in self.model.spec.columns()},
                                          d.n_rows)
                es = eng.estep(self.model._work(self.params))
            num, den = self._means(eng, es) if which in ("mean", "class") else \
                (None, self._joint_from(eng, es))
            inv = self._inverse_order()
            index = self._data_index()
            return self._predict_frame(which, num, den, inv, index)
        eng, pos, order = self._new_engine(newdata, conditional)
        es = eng.estep(self.model._work(self.params))
        if which in ("mean", "class"):
            num, den = self._means(eng, es)
        else:
            num, den = None, self._joint_from(eng, es)
        if order is not None:
            inv = np.empty_like(order)
            inv[order] = np.arange(len(order))
        else:
            inv = np.arange(len(pos))
        frame = self._predict_frame(which, num, den, inv, pd.RangeIndex(len(pos)))
        out = pd.DataFrame(np.nan, index=newdata.index, columns=frame.columns)
        out.iloc[pos] = frame.to_numpy()
        return out

    @staticmethod
    def _joint_from(eng, es):
        N = eng.design.n_rows
        G, H = es.nodes.G, es.nodes.H
        rp = es.rowpost.reshape(N, eng.D, G, eng.C, H).sum(axis=4)
        pdg = es.post_dg[eng.design.cluster_of_row]
        return np.einsum("ndg,ndgc->ndc", pdg, rp).reshape(N, eng.D * eng.C)

    def _predict_frame(self, which, num, den, inv, index):
        pats = [_label(p) for p in self._ordered_patterns()]
        if which == "mean":
            vals = num.sum(axis=1)[inv]
            return pd.DataFrame(vals, index=index, columns=self._value_labels())
        if which == "class":
            with np.errstate(invalid="ignore", divide="ignore"):
                vals = (num / den[:, :, None])[inv]
            labs = self._value_labels()
            cols = pd.MultiIndex.from_tuples([(p, v) for p in pats for v in labs],
                                             names=["classes", "outcome"])
            return pd.DataFrame(vals.reshape(len(inv), -1), index=index, columns=cols)
        joint = den[inv]
        if which == "joint":
            return pd.DataFrame(joint, index=index, columns=pats)
        cols = {_label(a): joint[:, m].sum(axis=1) for a, m in self._marginal_masks()}
        return pd.DataFrame(cols, index=index)

    # -- persistence -------------------------------------------------------------------
    def _precompute(self):
        """Compute and keep everything the summary and the exports read."""
        self.summary(probabilities=True)
        self.to_dict()
        if self.model.engine is not None and self.model.engine.kl.qb:
            self.random_effects()

    def remove_data(self):
        """Drop the data (and data-sized arrays) from the results and the model.

        Everything the summary, :attr:`profiles`, the class tables and the
        exports need is computed first and kept, so those still work (and
        :meth:`predict` with ``newdata``); posterior probabilities per row, a
        new E-step or a refit are no longer possible.
        """
        from ..data import Design

        self._precompute()
        super().remove_data()
        self._estep = None
        self.__dict__.pop("_prior_engine_obj", None)
        store = self.__dict__.get("_store", {})
        store.pop("joint_sorted", None)
        m = self.model
        d = m.design
        empty = Design.for_rows(d, {c: np.zeros(0) for c in d.columns}, 0,
                                len(m.spec.outcomes))
        m.engine = m.engine.on_rows(empty)
        for att in ("y", "trials", "const", "row_weight", "order", "index"):
            setattr(d, att, None)
        d.columns = {}
        d.cache.clear()
        m.data.frame = None

    # -- summary -------------------------------------------------------------------------
    def _notes(self):
        notes = []
        if not self.converged:
            notes.append("The optimiser did not converge; raise maxiter or check the model.")
        params = np.asarray(self.params, float)
        if not self.hessian_ok:
            msg = diagnostics.singular_information_message(
                self.model, params, self._compute_information()["hessian"])
            notes.append(msg[0].upper() + msg[1:] + ".")
        notes.extend(m[0].upper() + m[1:] + "." for m in
                     diagnostics.fit_problems(self.model, params))
        rep = self.best_loglike_replicated
        nfin = self._final_starts().shape[0]
        if rep is not None and nfin > 1 and rep < 2:
            notes.append(f"WARNING: the best log-likelihood was reached by only 1 of {nfin} "
                         "final-stage starts; it may be a local maximum: use more starts.")
        if self.model.spec.classes:
            props = self.class_proportions_table(joint=True)
            small = props[props["model"] < 0.01]
            for lab, row in small.iterrows():
                notes.append(f"Class pattern {lab} has a model proportion of "
                             f"{row['model']:.4f}: the class may be empty.")
        info = self.parameter_info
        values = dict(zip(self.model.param_names, np.asarray(self.params), strict=True))
        extreme = [n for n in self.model.param_names if info.loc[n, "kind"] == "coef"
                   and info.loc[n, "section"] == "outcome" and abs(values[n]) >= 15
                   and self._logit_outcome(info.loc[n, "equation"])]
        if extreme:
            shown = ", ".join(extreme[:6]) + (", ..." if len(extreme) > 6 else "")
            notes.append(f"{len(extreme)} logit(s) at an extreme value (|x| >= 15: a "
                         f"probability of 0 or 1 within a class): {shown}; their standard "
                         "errors are not meaningful.")
        for n in diagnostics.boundary_variances(self.model, params):
            notes.append(f"{n} is near its boundary (0); its test is not standard.")
        return notes

    def _logit_outcome(self, name):
        spec = self.model.spec
        if name not in spec.outcome_names:
            return False
        return spec.outcomes[spec.outcome_names.index(name)].family.name in (
            "binary", "binomial", "ordinal", "nominal")

    def _top_table(self, title):
        model = self.model
        spec = model.spec
        eng = model.engine
        meta = self._meta
        outs = spec.outcome_names
        out_txt = ", ".join(outs)
        if len(out_txt) > 32:
            tail = f", ... ({len(outs)})"
            shown = []
            for o in outs:
                if len(", ".join(shown + [o])) + len(tail) > 32:
                    break
                shown.append(o)
            out_txt = ", ".join(shown) + tail if shown else f"{len(outs)} outcomes"
        fams = {}
        for o in spec.outcomes:
            key = o.family.name + ("" if o.family.link in ("identity", "logit", "log",
                                                           "mlogit") else f" {o.family.link}")
            fams[key] = fams.get(key, 0) + 1
        fam_txt = ", ".join(f"{k} ({v})" if len(fams) > 1 else k for k, v in fams.items())
        cls_txt = "; ".join(f"{c.name}: {c.n_classes} {c.level}" for c in
                            spec.between_classes + spec.within_classes) or "none"
        sizes = meta["cluster_sizes"]
        if model.cluster is None:
            size_txt = "-"
        else:
            size_txt = f"{sizes.min()} / {sizes.mean():.1f} / {sizes.max()}"
        kw = model._engine_kw
        dims = (eng.kl.qb + eng.kl.qw) if eng is not None else \
            self._store.get("n_dims", 0)
        self._store["n_dims"] = dims
        if dims:
            integ = f"{kw['integration']}{' (adaptive)' if kw['adaptive'] else ''}"
            npts = f"{kw['n_points']} per dim. ({dims} dim.)"
        else:
            integ, npts = "none needed", "-"
        left = [("Outcomes:", [out_txt]),
                ("Families:", [fam_txt[:32]]),
                ("Class variables:", [cls_txt if len(cls_txt) <= 32 else
                                      cls_txt[:30] + ".."]),
                ("Rows:", [f"{model.nobs:g}"]),
                ("Clusters:", [f"{model.n_clusters:g}" if model.cluster is not None
                               else "none (single level)"]),
                ("Cluster size min/mean/max:", [size_txt]),
                ("Integration:", [integ]),
                ("Points:", [npts]),
                ("Estimator:", ["ML (EM + BFGS)" if self.em_iterations else "ML (BFGS)"]),
                ("Standard errors:", [{"MLR": "MLR (sandwich)", "ML": "ML (information)"}
                                      .get(self.cov_type, self.cov_type)])]
        rep = self.best_loglike_replicated
        nfin = self._final_starts().shape[0]
        nall = len(self.start_table)
        right = [("Log-likelihood:", [f"{self.llf:.3f}"]),
                 ("Parameters:", [f"{self.k_params}"]),
                 ("AIC:", [f"{self.aic:.3f}"]),
                 ("BIC:", [f"{self.bic:.3f}"]),
                 ("aBIC:", [f"{self.abic:.3f}"]),
                 ("Entropy:", [_fmt(self.entropy)]),
                 ("Converged:", [f"{'yes' if self.converged else 'NO'} "
                                 f"({self.iterations} iter.)"]),
                 ("Random starts:", [f"{nall} initial, {nfin} final" if nall else "none"]),
                 ("Best LL replicated:", [f"{rep} of {nfin}" + (" (!)" if rep == 1 and
                                                                nfin > 1 else "")
                                          if rep is not None else "-"]),
                 ("", [""])]
        smry = MixtureSummary()
        smry.add_table_2cols(self, gleft=left, gright=right,
                             title=title or "Multilevel mixture model results")
        return smry

    def _param_tables(self, alpha, stub_width):
        info = self.parameter_info
        params = np.asarray(self.params)
        bse = np.asarray(self.bse)
        tv = np.asarray(self.tvalues)
        pv = np.asarray(self.pvalues)
        ci = np.asarray(self.conf_int(alpha))
        names = list(self.model.param_names)
        pos = {n: i for i, n in enumerate(names)}
        order = self._class_order
        spec = self.model.spec

        def sort_key(assign):
            return (len(assign), [order.index(k) for k, _ in assign], [v for _, v in assign])

        sections = []
        outcome_assigns = sorted({a for a in info.loc[info["section"] == "outcome", "_assign"]},
                                 key=sort_key)
        for a in outcome_assigns:
            sel = [n for n in names if info.loc[n, "section"] == "outcome"
                   and info.loc[n, "_assign"] == a]
            if a:
                title = "Outcome equations: class " + _label(dict(a))
            elif spec.classes:
                title = "Outcome equations: all classes"
            else:
                title = "Outcome equations"
            sections.append((title, sel, [info.loc[n, "label"] for n in sel]))
        for cv in spec.between_classes + spec.within_classes:
            sel = [n for n in names if info.loc[n, "section"] == "class"
                   and info.loc[n, "equation"] == cv.name]
            if sel:
                title = (f"Class {cv.name}: multinomial logits "
                         f"(reference {cv.name}={cv.n_classes})")
                sections.append((title, sel, sel))
        for blk in spec.blocks:
            sel_all = [n for n in names if info.loc[n, "section"] == "covariance"
                       and info.loc[n, "equation"] == blk.name]
            for a in sorted({info.loc[n, "_assign"] for n in sel_all}, key=sort_key):
                sel = [n for n in sel_all if info.loc[n, "_assign"] == a]
                title = f"Random effects {blk.name}: (co)variances" + \
                    ("" if not a else ", class " + _label(dict(a)))
                sections.append((title, sel, [info.loc[n, "label"] for n in sel]))
        other = [n for n in names if info.loc[n, "section"] == "other"]
        if other:
            sections.append(("Other parameters", other, other))
        tables = []
        for title, sel, labels in sections:
            idx = [pos[n] for n in sel]
            labels = [lab if len(lab) <= stub_width else lab[:stub_width - 2] + ".."
                      for lab in labels]
            labels = [lab.ljust(stub_width) for lab in labels]
            tab = summary_params((self, params[idx], bse[idx], tv[idx], pv[idx], ci[idx]),
                                 yname="", xname=labels, alpha=alpha, use_t=False,
                                 title=title)
            tables.append(tab)
        return tables

    def _proportion_table(self, stub_width):
        tab = self.class_proportions_table()
        data, stubs = [], []
        for lab, row in tab.iterrows():
            stubs.append(lab)
            data.append([_fmt(row["model"], 4), _fmt(row["se"], 4), _fmt(row["posterior"], 4),
                         _fmt(row["modal"], 4), f"{row['n_modal']:.0f}"])
        if len(self._class_order) > 1:
            jt = self.class_proportions_table(joint=True)
            for lab, row in jt.iterrows():
                stubs.append(lab)
                data.append([_fmt(row["model"], 4), _fmt(row["se"], 4),
                             _fmt(row["posterior"], 4), _fmt(row["modal"], 4),
                             f"{row['n_modal']:.0f}"])
        stubs = [s.ljust(stub_width) for s in stubs]
        headers = ["model", "std err", "posterior", "modal", "N modal"]
        title = ("Class proportions (between classes: clusters; others: rows)"
                 if self.model.spec.between_classes else "Class proportions")
        return _title_table(title, data, headers, stubs)

    def _profile_tables(self, stub_width):
        prof = self.profiles
        tables = []
        for classes_key, grp in prof.groupby(
                prof[self._class_order].notna().apply(
                    lambda r: tuple(n for n in self._class_order if r[n]), axis=1),
                sort=False):
            labs = list(dict.fromkeys(grp["classes"]))
            rows = {}
            fam = {o.name: o for o in self.model.spec.outcomes}
            for _, r in grp.iterrows():
                stub = _value_label(fam[r["outcome"]], r["category"])
                rows.setdefault(stub, {})[r["classes"]] = f"{r['estimate']:.3f} ({r['se']:.3f})"
            data = [[rows[s].get(lab, "") for lab in labs] for s in rows]
            what = ", ".join(classes_key) if classes_key else "(no class dependence)"
            title = f"Outcome probabilities / means by class of {what} (std err)"
            tables.extend(_wide_tables(title, data, labs, list(rows), stub_width))
        return tables

    def _transition_tables(self, stub_width):
        tables = []
        for src, tgt in self._dependencies():
            long = self._cached(("transition", src, tgt),
                                lambda s=src, t=tgt: self.transition_table(s, t, se=True))
            srcs = list(dict.fromkeys(k.split("->")[0] for k in long.index))
            tgts = list(dict.fromkeys(k.split("->")[1] for k in long.index))
            data = [[f"{long.loc[f'{a}->{b}', 'estimate']:.3f} "
                     f"({long.loc[f'{a}->{b}', 'se']:.3f})" for b in tgts] for a in srcs]
            title = f"Transition probabilities P({tgt} | {src}), model-implied (std err)"
            tables.extend(_wide_tables(title, data, tgts, srcs, stub_width))
        return tables

    def summary(self, alpha=0.05, probabilities=False, title=None):
        """Text summary in statsmodels' style, organised as mixture users read it.

        Sections: model and data, and fit (log-likelihood, parameters, AIC,
        BIC, aBIC, entropy, random starts and how many reached the best
        log-likelihood); class proportions (model-implied with SE, posterior,
        modal; per class variable and joint pattern); transition
        probabilities where a class variable depends on another; parameter
        tables by equation and class; warnings.

        Parameters
        ----------
        alpha : float
            Level of the confidence intervals.
        probabilities : bool
            Add the outcome probabilities / means by class (:attr:`profiles`)
            with delta-method standard errors.
        title : str, optional

        Returns
        -------
        MixtureSummary
            A :class:`statsmodels.iolib.summary.Summary`; ``print`` it, or
            ``.as_html()`` / ``.as_latex()``.
        """
        names = list(self.model.param_names)
        info = self.parameter_info
        stub_width = max([len(str(x)) for x in info["label"]] + [12])
        stub_width = min(stub_width, 34)
        smry = self._top_table(title)
        if self.model.spec.classes:
            smry.tables.append(self._proportion_table(stub_width))
            smry.tables.extend(self._transition_tables(stub_width))
        if probabilities:
            smry.tables.extend(self._profile_tables(stub_width))
        if names:
            smry.tables.extend(self._param_tables(alpha, stub_width))
        notes = self._notes()
        if notes:
            import textwrap

            smry.add_extra_txt(["\n".join(textwrap.wrap(n, SUMMARY_WIDTH,
                                                        subsequent_indent="  "))
                                for n in notes])
        return smry

    # -- exports ---------------------------------------------------------------------------
    def params_frame(self, alpha=0.05):
        """Parameters with their equation, class and inference, one row each."""
        info = self.parameter_info.drop(columns=["_assign"])
        ci = self.conf_int(alpha)
        frame = info.copy()
        frame["estimate"] = np.asarray(self.params)
        frame["se"] = np.asarray(self.bse)
        frame["z"] = np.asarray(self.tvalues)
        frame["pvalue"] = np.asarray(self.pvalues)
        frame["lower"] = np.asarray(ci)[:, 0]
        frame["upper"] = np.asarray(ci)[:, 1]
        return frame

    def fit_statistics(self):
        """Fit statistics as a Series."""
        return pd.Series({
            "loglike": self.llf, "n_params": self.k_params, "aic": self.aic, "bic": self.bic,
            "abic": self.abic, "entropy": self.entropy, "nobs": self.nobs,
            "n_clusters": self.n_clusters, "converged": self.converged,
            "iterations": self.iterations,
            "best_loglike_replicated": self.best_loglike_replicated,
            "n_final_starts": int(self._final_starts().shape[0]),
        }, dtype=object)

    def to_dict(self):
        """The whole result as plain Python objects (JSON-ready; NaN as None)."""
        model = self.model
        spec = model.spec
        out = {
            "model": {
                "outcomes": [{"name": o.name, "family": o.family.name, "link": o.family.link}
                             for o in spec.outcomes],
                "classes": [{"name": c.name, "n_classes": c.n_classes, "level": c.level}
                            for c in spec.classes],
                "blocks": [{"name": b.name, "effects": list(b.effects), "level": b.level,
                            "covariance": b.covariance, "by": list(b.by)}
                           for b in spec.blocks],
                "nobs": self.nobs, "n_clusters": self.n_clusters,
                "cluster": model.cluster,
                "integration": dict(model._engine_kw),
                "cov_type": self.cov_type,
            },
            "fit": _jsonable(self.fit_statistics().to_dict()),
            "params": _records(self.params_frame()),
            "cov_params": {"names": list(model.param_names),
                           "matrix": _jsonable(np.asarray(self.cov_params()))},
            "start_table": _records(self.start_table) if not self.start_table.empty else [],
            "notes": self._notes(),
        }
        if spec.classes:
            out["class_proportions"] = _records(self.class_proportions_table())
            out["joint_proportions"] = _records(self.class_proportions_table(joint=True))
            ct = self.classification_table
            out["classification_table"] = {"classes": list(ct.columns),
                                           "matrix": _jsonable(ct.to_numpy())}
            out["transitions"] = [
                {"source": s, "target": t, "table": _records(self._cached(
                    ("transition", s, t), lambda s=s, t=t: self.transition_table(s, t, se=True)))}
                for s, t in self._dependencies()]
        out["profiles"] = _records(self.profiles.astype(object))
        return _jsonable(out)

    def to_json(self, path=None, **kwargs):
        """:meth:`to_dict` as JSON text; written to ``path`` when given."""
        kwargs.setdefault("indent", 1)
        text = json.dumps(self.to_dict(), **kwargs)
        if path is not None:
            with open(path, "w", encoding="utf-8") as fh:
                fh.write(text)
        return text

    def to_frame(self):
        """The whole result as one long DataFrame.

        Columns: section ("fit", "param", "proportion", "joint_proportion",
        "transition", "profile"), name, classes, estimate, se, z, pvalue,
        lower, upper.
        """
        parts = []
        fit = self.fit_statistics()
        parts.append(pd.DataFrame({"section": "fit", "name": fit.index, "classes": "",
                                   "estimate": pd.to_numeric(fit.values, errors="coerce")}))
        pf = self.params_frame()
        parts.append(pd.DataFrame({"section": "param", "name": pf.index,
                                   "classes": pf["classes"].to_numpy(),
                                   **{c: pf[c].to_numpy() for c in
                                      ["estimate", "se", "z", "pvalue", "lower", "upper"]}}))
        q = stats.norm.ppf(0.975)
        if self.model.spec.classes:
            for sec, tab in (("proportion", self.class_proportions_table()),
                             ("joint_proportion", self.class_proportions_table(joint=True))):
                parts.append(pd.DataFrame({
                    "section": sec, "name": tab["variable"].to_numpy(), "classes": tab.index,
                    "estimate": tab["model"].to_numpy(), "se": tab["se"].to_numpy(),
                    "lower": (tab["model"] - q * tab["se"]).to_numpy(),
                    "upper": (tab["model"] + q * tab["se"]).to_numpy()}))
            for s, t in self._dependencies():
                tr = self._cached(("transition", s, t),
                                  lambda s=s, t=t: self.transition_table(s, t, se=True))
                parts.append(pd.DataFrame({
                    "section": "transition", "name": f"{t}|{s}", "classes": tr.index,
                    **{c: tr[c].to_numpy() for c in
                       ["estimate", "se", "z", "pvalue", "lower", "upper"]}}))
        pr = self.profiles
        parts.append(pd.DataFrame({
            "section": "profile",
            "name": [_value_label(self.model.spec.outcomes[
                self.model.spec.outcome_names.index(o)], c)
                for o, c in zip(pr["outcome"], pr["category"], strict=True)],
            "classes": pr["classes"].to_numpy(),
            **{c: pr[c].to_numpy() for c in ["estimate", "se", "lower", "upper"]}}))
        frame = pd.concat(parts, ignore_index=True)
        cols = ["section", "name", "classes", "estimate", "se", "z", "pvalue", "lower", "upper"]
        return frame.reindex(columns=cols)


def _value_label(outcome, category):
    if outcome.family.name in ("ordinal", "nominal"):
        return f"{outcome.name}[{category}]"
    return outcome.name


def _fmt_level(v):
    try:
        f = float(v)
        return f"{f:g}"
    except (TypeError, ValueError):
        return str(v)


def _encode_like(outcome, values, levels):
    """Encode new outcome values with the estimation data's categories."""
    fam = outcome.family
    if fam.name in ("ordinal", "nominal"):
        s = pd.Series(values, dtype=object)
        out = np.full(len(s), np.nan)
        lev = [_fmt_level(v) for v in levels]
        for i, v in enumerate(s):
            if v is None or (isinstance(v, float) and np.isnan(v)):
                continue
            key = _fmt_level(v)
            if key not in lev:
                raise ValueError(f"outcome {outcome.name!r}: category {v!r} was not in the "
                                 f"estimation data (categories {lev})")
            out[i] = lev.index(key)
        return out
    codes, _ = fam.encode(values, outcome.name)
    return codes


class MixtureResultsWrapper(LikelihoodResultsWrapper):
    pass


wrap.populate_wrapper(MixtureResultsWrapper, MixtureResults)
