"""Stepwise auxiliary models: classes regressed on covariates, distal outcomes by class.

>>> res = ml.mixture("u1 + u2 + u3 + u4 ~ c", df, classes={"c": 3}, family="binary").fit()
>>> ml.three_step(res, covariates="age + C(sex)")                    # doctest: +SKIP
>>> ml.three_step(res, distal={"income": "normal"}, method="BCH")     # doctest: +SKIP

Step 1 is the fitted measurement model; step 2 assigns every unit to its
modal class ``W`` and computes the classification error probabilities
``D[k, s] = P(W = s | X = k) = sum_u f_u P(X_u = k | y_u) 1[W_u = s] /
sum_u f_u P(X_u = k | y_u)`` (Vermunt 2010, eq. 6); step 3 relates the classes
to the auxiliary variables without letting them move the classes (see
:mod:`mixlevel.inference.step3`):

* ``method="ML"``: 3-step ML (Vermunt 2010; Bakk, Tekle & Vermunt 2013; Mplus
  R3STEP and DU3STEP; Latent GOLD Step3 with ML);
* ``method="BCH"``: Bolck-Croon-Hagenaars weights ``(D^-1)[W_u, k]``
  (Vermunt 2010; Bakk & Vermunt 2016; Mplus BCH), which cannot shift the
  classes however the distal outcome is distributed;
* ``method="naive"``: the modal classes as if they were the true ones, which
  attenuates every effect (the reference the corrections are measured by).

For a **within** class the units are rows (in a two-level model the
standard errors are then cluster-robust); for a **between** class of a
two-level model the units are clusters, covariates must be cluster-level, and
a distal outcome measured on rows enters through the product of its rows'
densities.

Standard errors
---------------
All are sandwich (robust) estimates of the step-3 estimating equations,
cluster-robust for within classes of two-level models; for BCH they are
needed because the weights can be negative (Bakk & Vermunt 2016).  With
``correct_se=True`` (default) ML and BCH also account for the first step:
their estimates depend on the step-1 parameters through ``D``, and the
covariance gets the term ``J V_1 J'`` of Bakk, Oberski & Vermunt (2014), with
``V_1`` the step-1 covariance (MLR) and ``J = dtheta_3 / dtheta_1 = -H^-1
d score_3 / dtheta_1`` (by central differences of the posterior probabilities
at perturbed step-1 parameters, the modal classes held fixed).  The naive
method has no step-1 term.  ``se_step3`` gives the standard errors without it.

Entropy
-------
The corrections rest on ``D``; when the classes are poorly separated it is
far from the identity, BCH weights grow large and negative, and the published
simulations (Vermunt 2010; Asparouhov & Muthen 2014; Bakk & Vermunt 2016)
show bias and poor coverage below a relative entropy of about 0.6.  A
warning says so below :data:`ENTROPY_WARNING` = 0.6; the one-step model (the
covariate or distal outcome in the measurement model) is then preferable.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
from scipy import stats

from ..errors import EstimationWarning, SpecificationError
from ..utils.warn import warn_user
from .lmr import unit_weights
from .step3 import FAMILIES, Step3Problem

__all__ = ["three_step", "StepwiseResults", "classification_error", "ENTROPY_WARNING"]

ENTROPY_WARNING = 0.6
_ALIASES = {"gaussian": "normal", "continuous": "normal", "bernoulli": "binary",
            "count": "poisson"}


def _unwrap(res):
    return getattr(res, "_results", res)


def classification_error(post, modal, f):
    """``D[k, s] = P(W = s | X = k)`` from posteriors (n, K), modal classes and weights."""
    K = post.shape[1]
    onehot = np.eye(K)[modal]
    num = (post * f[:, None]).T @ onehot
    return num / num.sum(axis=1, keepdims=True)


def _entropy(post, f):
    K = post.shape[1]
    p = np.clip(post, 1e-300, 1.0)
    return float(1.0 - (f @ (-(post * np.log(p)).sum(axis=1))) / (f.sum() * np.log(K)))


# ---------------------------------------------------------------------------------------
# step 1: the classification and the auxiliary data, unit by unit
# ---------------------------------------------------------------------------------------
class _Units:
    """The step-1 classification of one class variable and the rows it covers."""

    def __init__(self, res, variable, data):
        r = _unwrap(res)
        spec = r.model.spec
        names = [c.name for c in spec.classes]
        if variable is None:
            if len(names) != 1:
                raise SpecificationError(
                    f"the model has the class variables {names}; say which one with "
                    "variable=")
            variable = names[0]
        if variable not in names:
            raise SpecificationError(f"no class variable {variable!r}; the model has {names}")
        self.res, self.variable = r, variable
        self.between = variable in {c.name for c in spec.between_classes}
        compiled = getattr(r.model, "formula", None)
        if data is None:
            if compiled is None:
                raise SpecificationError("give the auxiliary variables with data= (the model "
                                         "was not built from a formula)")
            data = compiled.data
        weights = getattr(compiled, "weights", None)
        if weights is not None and not isinstance(weights, str):
            raise SpecificationError("three_step needs the fit's weights= as a column name")
        self.level = "cluster" if self.between else "row"
        post = self.posterior(np.asarray(r.params, float), r)
        self.labels = list(r.posterior(level=self.level, variable=variable).columns)
        self.K = post.shape[1]
        if self.between:
            cl = r.model.cluster
            units = r.posterior(level="cluster", variable=variable).index
            self.rows = data[data[cl].isin(units)]
            self.row_unit = units.get_indexer(self.rows[cl])
            self.f = unit_weights(r)
            self.cluster = None
        else:
            index = r.posterior(level="row", variable=variable).index
            missing = index.difference(data.index)
            if len(missing):
                raise SpecificationError(
                    "data= must hold the rows the model was fitted to, with the same index "
                    f"(missing labels such as {list(missing[:3])})")
            self.rows = data.loc[index]
            self.row_unit = None
            self.f = (self.rows[weights].to_numpy(float) if weights is not None
                      else np.ones(len(index)))
            cl = r.model.cluster
            self.cluster = (pd.factorize(self.rows[cl])[0] if cl is not None else None)
        self.row_weight = (self.rows[weights].to_numpy(float) if weights is not None
                           else np.ones(len(self.rows)))
        self.post = post
        self.modal = post.argmax(axis=1)
        self.D = classification_error(post, self.modal, self.f)
        self.entropy = _entropy(post, self.f)

    def posterior(self, params, res=None):
        """Posterior class probabilities of the units at step-1 parameters ``params``."""
        if res is None:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                res = self.res.model.fit(start_params=params, em_iter=0, maxiter=0,
                                         canonical=False, progress=False)
        return res.posterior(level=self.level, variable=self.variable).to_numpy()

    def covariate_design(self, covariates):
        """(X with the intercept first, column names, valid-unit mask)."""
        from formulaic import model_matrix

        if isinstance(covariates, (list, tuple)):
            covariates = " + ".join(covariates)
        try:
            mm = model_matrix(f"1 + {covariates}", self.rows, na_action="ignore")
        except Exception as exc:
            raise SpecificationError(f"covariates={covariates!r}: {exc}") from None
        names = ["1" if c == "Intercept" else c for c in mm.columns]
        X = np.asarray(mm, float)
        if not self.between:
            return X, names, np.all(np.isfinite(X), axis=1)
        per_unit = pd.DataFrame(X).groupby(self.row_unit)
        first = np.full((len(self.f), X.shape[1]), np.nan)
        first[per_unit.first().index] = per_unit.first().to_numpy()
        spread = (per_unit.max() - per_unit.min()).max(axis=0).fillna(0).to_numpy()
        varies = [nm for nm, s in zip(names, spread, strict=True) if s > 1e-9]
        if varies:
            raise SpecificationError(
                f"the covariate column(s) {varies} vary within clusters; the between class "
                f"{self.variable!r} can only be predicted by cluster-level covariates")
        return first, names, np.all(np.isfinite(first), axis=1)

    def distal_rows(self, name, family, valid):
        """(z, unit, row weights) of the rows of valid units with ``name`` observed."""
        if name not in self.rows.columns:
            raise SpecificationError(f"the distal outcome {name!r} is not a column of the data")
        z = pd.to_numeric(self.rows[name], errors="coerce").to_numpy(float)
        unit = self.row_unit if self.between else np.arange(len(z))
        keep = np.isfinite(z) & valid[unit]
        z, unit, rw = z[keep], unit[keep], self.row_weight[keep]
        if family == "binary" and not np.isin(z, (0.0, 1.0)).all():
            raise SpecificationError(f"the binary distal outcome {name!r} must be coded 0/1")
        if family == "poisson" and (np.any(z < 0) or not np.allclose(z, np.round(z))):
            raise SpecificationError(f"the count distal outcome {name!r} must hold whole "
                                     "numbers >= 0")
        return z, unit, rw


# ---------------------------------------------------------------------------------------
# results
# ---------------------------------------------------------------------------------------
class StepwiseResults:
    """Estimates of a stepwise auxiliary model; built by :func:`three_step`.

    Attributes
    ----------
    method, variable, level : str
    table : pandas.DataFrame
        One row per parameter: ``estimate``, ``se``, ``z``, ``pvalue``,
        ``lower``, ``upper`` (``alpha`` interval) and ``se_step3`` (without
        the step-1 term).  Class-model coefficients are multinomial logits
        against the last class (``c#1~x``); distal parameters are on the
        outcome's scale: ``mean(z)[c=k]`` (mean, probability or rate) and
        ``Var(z)[c=k]``.
    params, bse : pandas.Series
    cov_params : pandas.DataFrame
    wald : pandas.DataFrame
        Wald tests: equal means of each distal outcome across classes, and
        each covariate's coefficients all zero (``chi2``, ``df``, ``pvalue``).
    proportions : pandas.DataFrame or None
        Class proportions of step 1 (posterior) and step 3 (estimate, se)
        when the class model has no covariates.
    D : pandas.DataFrame
        Classification error probabilities ``P(W = s | X = k)`` (rows: true
        class k, columns: modal class s).
    entropy : float
        Relative entropy of the step-1 classification of the units.
    n_units : float
        Units (rows or clusters, frequency-weighted) in step 3.
    loglike : float or None
        The step-3 log-likelihood (ML only).
    converged : bool
    """

    def __init__(self, **kw):
        self.__dict__.update(kw)

    @property
    def params(self):
        return self.table["estimate"]

    @property
    def bse(self):
        return self.table["se"]

    def summary(self, digits=4):
        head = (f"Stepwise auxiliary model: {self.method} ({self.variable}, {self.level} "
                f"level), {self.n_units:g} units, entropy {self.entropy:.3f}")
        parts = [head, self.table.round(digits).to_string()]
        if len(self.wald):
            parts += ["Wald tests:", self.wald.round(digits).to_string()]
        if self.proportions is not None:
            parts += ["Class proportions:", self.proportions.round(digits).to_string()]
        parts += ["Classification error P(modal | true):", self.D.round(digits).to_string()]
        return "\n".join(parts)

    def __repr__(self):
        return self.summary()


# ---------------------------------------------------------------------------------------
# the API
# ---------------------------------------------------------------------------------------
def _distal_spec(distal):
    if distal is None:
        return {}
    if isinstance(distal, str):
        distal = [distal]
    if not isinstance(distal, dict):
        distal = {d: "normal" for d in distal}
    out = {}
    for name, fam in distal.items():
        fam = _ALIASES.get(str(fam).lower(), str(fam).lower())
        if fam not in FAMILIES:
            raise SpecificationError(f"distal={{{name!r}: {fam!r}}}: the family must be one of "
                                     f"{FAMILIES}")
        out[name] = fam
    return out


def _aux(method, units, D):
    K = D.shape[0]
    if method == "ML":
        return np.log(np.clip(D, 1e-300, None))[:, units].T
    if method == "BCH":
        return np.linalg.inv(D)[units]
    return np.eye(K)[units]


def _names(problem, units, cov_names, distal):
    v, K = units.variable, units.K
    names, kinds = [], []
    if problem.X is not None:
        for j in range(1, K):
            for c in cov_names:
                names.append(f"{v}#{j}~{c}")
                kinds.append("logit")
    for name, fam in distal.items():
        kind = {"normal": "identity", "binary": "expit", "poisson": "exp"}[fam]
        names += [f"mean({name})[{v}={k}]" for k in range(1, K + 1)]
        kinds += [kind] * K
        if fam == "normal":
            var = [f"Var({name})"] if problem.equal_variance else \
                [f"Var({name})[{v}={k}]" for k in range(1, K + 1)]
            names += var
            kinds += ["exp"] * len(var)
    return names, kinds


def _natural(theta, kinds):
    from scipy.special import expit

    val, der = np.array(theta, float), np.ones(len(theta))
    for j, k in enumerate(kinds):
        if k == "expit":
            val[j] = expit(theta[j])
            der[j] = val[j] * (1 - val[j])
        elif k == "exp":
            val[j] = np.exp(theta[j])
            der[j] = val[j]
    return val, der


def _sandwich(problem, theta, aux, cluster):
    S = problem.unit_scores(theta, aux)
    A = -problem.hessian(theta, aux)
    Ainv = np.linalg.pinv(A, hermitian=True)
    if cluster is None:
        meat = (S * problem.f[:, None]).T @ S
    else:
        G = np.zeros((cluster.max() + 1, S.shape[1]))
        np.add.at(G, cluster, S * problem.f[:, None])
        meat = G.T @ G
    return Ainv @ meat @ Ainv, Ainv


def _step1_term(problem, units, theta, Ainv, method, valid):
    """J V1 J' (Bakk, Oberski & Vermunt 2014) by central differences in the step-1 parameters."""
    r = units.res
    params = np.asarray(r.params, float)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        V1 = np.asarray(r.cov_params(), float)
    ok = np.isfinite(np.diag(V1))
    dg = np.zeros((problem.n_params, len(params)))
    for j in np.flatnonzero(ok):
        h = 1e-4 * max(abs(params[j]), 1e-3)
        g = []
        for sign in (1.0, -1.0):
            p = params.copy()
            p[j] += sign * h
            D = classification_error(units.posterior(p), units.modal, units.f)
            g.append(problem.gradient(theta, _aux(method, units.modal, D)[valid]))
        dg[:, j] = (g[0] - g[1]) / (2 * h)
    J = Ainv @ dg
    V1 = np.where(np.outer(ok, ok), V1, 0.0)
    return J @ V1 @ J.T


def _wald(names, est, cov, units, distal, cov_names, has_class_model):
    rows = []
    K, v = units.K, units.variable
    pos = {n: i for i, n in enumerate(names)}
    for name in distal:
        idx = [pos[f"mean({name})[{v}={k}]"] for k in range(1, K + 1)]
        R = np.hstack([np.eye(K - 1), -np.ones((K - 1, 1))])
        rows.append((f"equal mean({name})", *_chi2(R @ est[idx], R @ cov[np.ix_(idx, idx)] @ R.T)))
    if has_class_model:
        for c in cov_names[1:]:
            idx = [pos[f"{v}#{j}~{c}"] for j in range(1, K)]
            rows.append((f"{c} = 0", *_chi2(est[idx], cov[np.ix_(idx, idx)])))
    return pd.DataFrame(rows, columns=["test", "chi2", "df", "pvalue"]).set_index("test")


def _chi2(b, V):
    chi2 = float(b @ np.linalg.pinv(V, hermitian=True) @ b)
    return chi2, len(b), float(stats.chi2.sf(chi2, len(b)))


def _check_bch(problem, aux, distal):
    """BCH estimates must be admissible: positive class totals, proportions in (0, 1)."""
    for d, name in enumerate(distal):
        fam, z, unit, rw = problem.distal[d]
        w = (aux if unit is None else aux[unit]) * rw[:, None]
        tot = w.sum(axis=0)
        mean = (w * z[:, None]).sum(axis=0) / np.where(tot > 0, tot, 1.0)
        bad = (tot <= 0) | ((fam == "binary") & ((mean <= 0) | (mean >= 1))) | \
            ((fam == "poisson") & (mean <= 0))
        if fam == "normal":
            var = (w * (z[:, None] - mean) ** 2).sum(axis=0) / np.where(tot > 0, tot, 1.0)
            bad |= var <= 0
        if bad.any():
            raise SpecificationError(
                f"BCH gives an inadmissible estimate for {name!r} in class(es) "
                f"{list(np.flatnonzero(bad) + 1)} (negative weights outweigh the data: the "
                "classes are poorly separated); use method='ML'")


def three_step(results, covariates=None, distal=None, method="ML", *, variable=None,
               data=None, proportions="estimate", correct_se=True, equal_variance=False,
               alpha=0.05):
    """Relate the classes of a fitted model to covariates or distal outcomes, stepwise.

    Parameters
    ----------
    results : MixtureResults
        The fitted measurement model (step 1).
    covariates : str or list of str, optional
        Predictors of the class: a formulaic right-hand side (``"age +
        C(sex)"``) or column names; the class model is a multinomial logit
        with the last class as the reference.
    distal : dict, str or list, optional
        Distal outcomes ``{column: family}`` with family "normal" (class
        means and variances), "binary" (class probabilities; 0/1 coded) or
        "poisson" (class rates of a count); a name or list means normal.
    method : {"ML", "BCH", "naive"}
        See the module docstring.
    variable : str, optional
        The class variable (needed when the model has several).
    data : pandas.DataFrame, optional
        Where the auxiliary variables are; default the data of the fit.  It
        must have the fitted rows' index (and the cluster column).
    proportions : {"estimate", "fixed"}
        Without covariates: estimate the class proportions in step 3
        (Vermunt 2010) or hold them at their step-1 values (StepMix's 3-step
        ML; it rules out a class shift of the proportions).
    correct_se : bool
        Add the step-1 uncertainty to the ML and BCH standard errors.
    equal_variance : bool
        One variance of each normal distal outcome for all classes (Mplus
        DE3STEP) instead of class-specific ones (DU3STEP).
    alpha : float
        Level of the confidence intervals.

    Returns
    -------
    StepwiseResults
    """
    method = {"ml": "ML", "bch": "BCH", "naive": "naive"}.get(str(method).lower())
    if method is None:
        raise ValueError("method must be 'ML', 'BCH' or 'naive'")
    if proportions not in ("estimate", "fixed"):
        raise ValueError("proportions must be 'estimate' or 'fixed'")
    distal = _distal_spec(distal)
    if covariates is None and not distal:
        raise SpecificationError("give covariates= (predictors of the class) or distal= "
                                 "(outcomes of the class)")
    if covariates is not None and proportions == "fixed":
        raise SpecificationError("proportions='fixed' applies only without covariates")
    units = _Units(results, variable, data)
    K = units.K
    if K < 2:
        raise SpecificationError(f"{units.variable!r} has one class: nothing to relate")
    notes = []
    if units.entropy < ENTROPY_WARNING and method != "naive":
        msg = (f"the classification of {units.variable!r} has relative entropy "
               f"{units.entropy:.2f} < {ENTROPY_WARNING}: the stepwise correction is "
               "unreliable at this class separation (biased estimates, too small standard "
               "errors); fit the covariate or distal outcome in the mixture model itself")
        warn_user(msg, EstimationWarning)
        notes.append(msg)
    n_all = len(units.f)
    if covariates is not None:
        X, cov_names, valid = units.covariate_design(covariates)
    else:
        X, cov_names, valid = np.ones((n_all, 1)), ["1"], np.ones(n_all, bool)
    shares = units.f @ units.post / units.f.sum()
    log_prior = None
    if covariates is None and proportions == "fixed":
        X, log_prior = None, np.log(shares)
    unit_map = np.full(n_all, -1)
    unit_map[valid] = np.arange(valid.sum())
    parts = []
    for name, fam in distal.items():
        z, unit, rw = units.distal_rows(name, fam, valid)
        mapped = unit_map[unit]
        parts.append((fam, z, None if np.array_equal(mapped, np.arange(n_all)) else mapped, rw))
    problem = Step3Problem(K, None if X is None else X[valid], units.modal[valid],
                           units.f[valid], parts, method, equal_variance, log_prior)
    aux = _aux(method, units.modal, units.D)[valid]
    if method == "BCH":
        _check_bch(problem, aux, distal)
    theta, converged, _ = problem.fit(problem.start(units.post[valid]), aux)
    cluster = units.cluster[valid] if units.cluster is not None else None
    V3, Ainv = _sandwich(problem, theta, aux, cluster)
    V = V3
    if correct_se and method != "naive":
        V = V3 + _step1_term(problem, units, theta, Ainv, method, valid)
    names, kinds = _names(problem, units, cov_names, distal)
    est, der = _natural(theta, kinds)
    cov = V * np.outer(der, der)
    se = np.sqrt(np.clip(np.diag(cov), 0, None))
    se3 = np.sqrt(np.clip(np.diag(V3), 0, None)) * np.abs(der)
    q = stats.norm.ppf(1 - alpha / 2)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = est / se
    table = pd.DataFrame({"estimate": est, "se": se, "z": z,
                          "pvalue": 2 * stats.norm.sf(np.abs(z)), "lower": est - q * se,
                          "upper": est + q * se, "se_step3": se3},
                         index=pd.Index(names, name="parameter"))
    props = None
    if problem.X is not None and covariates is None:
        idx = [names.index(f"{units.variable}#{j}~1") for j in range(1, K)]
        a = np.append(theta[idx], 0.0)
        pi = np.exp(a - a.max())
        pi /= pi.sum()
        G = (np.diag(pi) - np.outer(pi, pi))[:, :-1]
        pse = np.sqrt(np.clip(np.diag(G @ V[np.ix_(idx, idx)] @ G.T), 0, None))
        props = pd.DataFrame({"step1": shares, "step3": pi, "se": pse},
                             index=pd.Index(units.labels, name="class"))
        if method == "ML" and np.max(np.abs(pi - shares)) > 0.05:
            msg = (f"the class proportions moved from step 1 to step 3 by up to "
                   f"{np.max(np.abs(pi - shares)):.3f}: the distal outcome shifts the classes "
                   "(Asparouhov & Muthen 2014); use method='BCH'")
            warn_user(msg, EstimationWarning)
            notes.append(msg)
    if not converged:
        notes.append("the step-3 optimiser did not converge")
        warn_user("the step-3 optimiser did not converge", EstimationWarning)
    labels = units.labels
    return StepwiseResults(
        method=method, variable=units.variable, level="between" if units.between else "within",
        table=table, cov_params=pd.DataFrame(cov, index=names, columns=names),
        wald=_wald(names, est, cov, units, distal, cov_names, problem.X is not None
                   and covariates is not None),
        proportions=props,
        D=pd.DataFrame(units.D, index=pd.Index(labels, name="true"),
                       columns=pd.Index(labels, name="modal")),
        entropy=units.entropy, n_units=float(problem.f.sum()),
        loglike=problem.objective(theta, aux) if method == "ML" else None,
        converged=converged, notes=notes)
