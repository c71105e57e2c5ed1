"""Simulating data from a two-level mixture model.

:func:`simulate` draws one data set from a model and parameter values and
returns a :class:`pandas.DataFrame` that :func:`mixlevel.api.mixture` (or
:class:`~mixlevel.model.MixtureModel`) reads as it is::

    import mixlevel as ml
    truth = {"y~1[c=1]": 1.0, "y~1[c=2]": 0.0, "y~x[c=1]": 0.2, "y~x[c=2]": 0.8,
             "c#1~1": 0.0, "Var(1|school)": 0.2, "Var(y)": 1.0}
    df = ml.simulate("y ~ c * x + (1 | school)", truth, classes={"c": ml.Between(2)},
                     n_clusters=100, cluster_size=10, covariates={"x": "normal"}, seed=1)
    res = ml.mixture("y ~ c * x + (1 | school)", df, classes={"c": ml.Between(2)}).fit()

The model is a formula (with ``classes=``, ``family=``, ... as for
``mixture``), a hand-built :class:`~mixlevel.spec.ModelSpec`, a
:class:`~mixlevel.model.MixtureModel` (its own rows are reused) or a fitted
result (a *parametric bootstrap* sample: the fitted model's rows with new
outcomes drawn at the estimates).  :class:`Population` holds all of it for
repeated draws (Monte Carlo studies, :mod:`mixlevel.montecarlo`).

How the draws follow the likelihood
-----------------------------------
The generating model is built exactly as the fitting model is, and the draws
use the engine's own linear-predictor arrays (:meth:`Engine.inputs
<mixlevel.engine.Engine.inputs>`), so every convention is the engine's:

1. between class patterns ``d`` per cluster from ``P(d | x_j)`` (the
   engine's ``logpd``; multinomial logits, last class the reference);
2. standard normal ``z`` per cluster (cluster random effects and factors)
   and per row (row-level factors); a random effect is ``b = L_d z`` with
   the Cholesky factor ``L_d`` of its (possibly class-specific) covariance,
   which the arrays hold as coefficients of ``z``;
3. within class variables one after another in declaration (causal) order,
   each from its multinomial logit given the classes drawn before it, the
   between pattern and the cluster random effects (random logit intercepts,
   Table 4); row-level factors do not enter class logits, as in the kernel;
4. every outcome from its family at its linear predictor and family
   parameters (:meth:`Family.draw <mixlevel.families.Family.draw>`): normal
   (the engine's log residual variance), binary / binomial (logit or probit),
   Poisson (log link), ordinal (``P(y <= k) = F(tau_k - eta)``, eq. 1),
   nominal (multinomial logit, last category the reference), ...
"""

from __future__ import annotations

import copy
import re
import warnings

import numpy as np
import pandas as pd

from ..errors import SpecificationError
from ..spec import ModelSpec
from .draw import draw, working_vector

__all__ = ["Covariate", "Population", "simulate", "draw", "working_vector"]


# ---------------------------------------------------------------------------------------
# covariates and cluster sizes
# ---------------------------------------------------------------------------------------
class Covariate:
    """How to draw one covariate column.

    Parameters
    ----------
    dist : str, callable or scipy.stats frozen distribution
        ``"normal"`` (``loc``, ``scale``; default standard normal),
        ``"uniform"`` (``low``, ``high``; default 0, 1), ``"binary"`` (``p``,
        default 0.5), ``"poisson"`` (``lam``), a frozen scipy distribution
        (``scipy.stats.norm(2, 3)``) or a callable ``f(rng, size) -> array``.
    level : {"within", "cluster"}
        ``"within"``: one value per row; ``"cluster"``: one value per cluster,
        repeated on its rows (a cluster covariate x_j, eq. 5, 17, 26).
    **kwargs
        Parameters of a named distribution.

    Examples
    --------
    >>> Covariate("normal")                      # doctest: +SKIP
    >>> Covariate("binary", level="cluster", p=0.3)  # doctest: +SKIP
    """

    _NAMED = ("normal", "uniform", "binary", "poisson")

    def __init__(self, dist="normal", level="within", **kwargs):
        if level not in ("within", "cluster", "between"):
            raise SpecificationError(
                f"Covariate level must be 'within' or 'cluster', not {level!r}")
        if isinstance(dist, str) and dist not in self._NAMED:
            raise SpecificationError(
                f"unknown covariate distribution {dist!r}; use one of {self._NAMED}, a "
                "scipy.stats frozen distribution or a callable f(rng, size)")
        self.dist, self.level, self.kwargs = dist, "cluster" if level == "between" else \
            level, kwargs

    def draw(self, rng, size):
        d, kw = self.dist, self.kwargs
        if d == "normal":
            return rng.normal(kw.get("loc", 0.0), kw.get("scale", 1.0), size)
        if d == "uniform":
            return rng.uniform(kw.get("low", 0.0), kw.get("high", 1.0), size)
        if d == "binary":
            return (rng.uniform(size=size) < kw.get("p", 0.5)).astype(float)
        if d == "poisson":
            return rng.poisson(kw.get("lam", 1.0), size).astype(float)
        if hasattr(d, "rvs"):
            return np.asarray(d.rvs(size=size, random_state=rng), float)
        out = np.asarray(d(rng, size), float)
        if out.shape != (size,):
            raise SpecificationError(
                f"a covariate callable returned shape {out.shape} for size {size}")
        return out

    def __repr__(self):
        kw = "".join(f", {k}={v!r}" for k, v in self.kwargs.items())
        return f"Covariate({self.dist!r}, level={self.level!r}{kw})"


def _as_covariate(spec, name):
    if isinstance(spec, Covariate):
        return spec
    if isinstance(spec, str) or callable(spec) or hasattr(spec, "rvs"):
        return Covariate(spec)
    raise SpecificationError(
        f"covariate {name!r}: give a distribution name ('normal', 'uniform', 'binary', "
        "'poisson'), a scipy.stats frozen distribution, a callable f(rng, size) or "
        "mixlevel.simulate.Covariate(..., level='cluster')")


def _cluster_sizes(cluster_size, n_clusters, rng):
    if callable(cluster_size):
        sizes = np.asarray(cluster_size(rng, n_clusters))
    elif np.ndim(cluster_size) == 0:
        sizes = np.full(n_clusters, cluster_size)
    else:
        sizes = np.asarray(cluster_size)
    if sizes.shape != (n_clusters,) or (sizes < 1).any() or \
            (sizes != np.round(sizes)).any():
        raise SpecificationError(
            f"cluster_size must be a whole number >= 1, {n_clusters} of them, or a "
            "callable f(rng, n_clusters) returning them")
    return sizes.astype(int)


# ---------------------------------------------------------------------------------------
# the population: model, parameters, design
# ---------------------------------------------------------------------------------------
def _outcome_families(formula, classes, family):
    """(outcome names, {outcome: Family}) of a formula, as the compiler will see them."""
    from ..formula.arguments import _declare_classes, _families
    from ..formula.parse import Measurement, parse_formula

    names = [n for n, _, _ in _declare_classes(classes)]
    parsed = parse_formula(formula, names)
    outs = []
    for st in parsed.statements:
        if isinstance(st, Measurement):
            lhs = st.indicators
        elif st.kind == "outcome":
            lhs = st.lhs
        else:
            continue
        for n in lhs:
            if n not in outs:
                outs.append(n)
    groups = [r.group for st in parsed.regressions() for r in st.random]
    return outs, _families(family, outs), (groups[0] if groups else None)


def slim_context(context, formula):
    """The entries of a captured namespace that the formula's text names (a plain dict).

    Captured frames do not pickle; the few names a formula uses (``np``,
    user functions) usually do, so parallel workers get them too.
    """
    if context is None or isinstance(context, dict):
        return context
    names = set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", formula))
    out = {}
    for n in names:
        try:
            out[n] = context[n]
        except (KeyError, TypeError):
            continue
    return out


class Population:
    """A model with parameter values and a design to draw data sets from.

    Parameters
    ----------
    model : str, ModelSpec, MixtureModel or fitted results
        A formula (with ``classes``, ``family``, ... as for ``mixture()``), a
        hand-built specification, a model (its own rows and covariates are
        reused; only outcomes are drawn) or a fitted result (parametric
        bootstrap: the model's rows, the estimates as parameters).
    params : dict or pandas.Series, optional
        Parameter values by name on the natural scale (coefficients, logits,
        variances, covariances, thresholds).  Every free parameter of the
        model needs a value; names of fixed parameters may be given with
        their fixed value.  Default for a fitted result: its estimates.
    n_clusters, cluster_size : int; int, sequence or callable
        The design when no ``data`` are given: ``n_clusters`` clusters of
        ``cluster_size`` rows (one size for all, one per cluster, or
        ``f(rng, n_clusters)``).  ``cluster_size=1`` gives single-level data.
    covariates : dict, optional
        ``{column: distribution}`` for the design columns the model uses;
        see :class:`Covariate` (a string such as ``"normal"`` is a within
        covariate).  Drawn anew for every data set, as Mplus MONTECARLO does.
    data : pandas.DataFrame, optional
        A fixed design instead: the cluster column and covariates (outcome
        columns, if present, are replaced).
    classes, family, trials, re_cov : optional
        As for :func:`mixlevel.api.mixture` (formula models only).
    context : dict, optional
        Names the formula uses (functions, modules); default: those of the
        caller's namespace that the formula names.
    cluster : str, optional
        Name of the cluster id column.  Default: the grouping column of the
        formula's random terms, else ``"cluster"``.
    n_categories : dict, optional
        ``{outcome: K}`` for ordinal and nominal outcomes; by default read
        off the parameter names (thresholds ``y|t1..``, logits ``y#1~..``).
    **model_kw
        Passed to the model (``fix``, ``equal``, ``columns``, ...).
    """

    def __init__(self, model, params=None, *, n_clusters=None, cluster_size=None,
                 covariates=None, data=None, classes=None, family="normal", cluster=None,
                 trials=None, re_cov="statement", context=None, n_categories=None,
                 **model_kw):
        from ..model import MixtureModel

        self.classes, self.family, self.trials, self.re_cov = classes, family, trials, re_cov
        self.context = context
        self.model_kw = model_kw
        self.n_categories = dict(n_categories or {})
        self._fixed_model = None
        res = getattr(model, "_results", model)
        if hasattr(res, "model") and isinstance(getattr(res, "model", None), MixtureModel) \
                and hasattr(res, "params"):
            if params is None:
                params = pd.Series(np.asarray(res.params, float), index=res.model.param_names)
            model = res.model
        if isinstance(model, str):
            self.kind = "formula"
            self.formula = model
            if context is None:
                from formulaic.utils.context import capture_context

                context = capture_context(1)
            self.context = slim_context(context, model)
            self.outcomes, self.families, group = _outcome_families(model, classes, family)
            self.cluster = cluster or group or "cluster"
        elif isinstance(model, ModelSpec):
            self.kind = "spec"
            self.spec = copy.deepcopy(model)
            self.outcomes = list(self.spec.outcome_names)
            self.families = {o.name: o.family for o in self.spec.outcomes}
            self.cluster = cluster or "cluster"
        elif isinstance(model, MixtureModel):
            self.kind = "model"
            d = model.design
            if not (np.all(d.row_weight == 1) and np.all(d.cluster_weight == 1)):
                # a weighted row stands for w rows whose outcomes are independent draws;
                # one draw kept with its weight is not a sample from the model
                raise SpecificationError(
                    "the model has frequency weights: each weighted row stands for that "
                    "many independent rows, so drawing once per row is not a sample from "
                    "the model; expand the rows (data.loc[data.index.repeat(data[w])]) "
                    "and simulate from a model built on them")
            self._fixed_model = model
            self.outcomes = list(model.spec.outcome_names)
            self.families = {o.name: o.family for o in model.spec.outcomes}
            self.cluster = model.cluster
        else:
            raise SpecificationError(
                "model must be a formula string, a ModelSpec, a MixtureModel or a fitted "
                f"result, not {type(model).__name__}")
        if params is None:
            raise SpecificationError("give the parameter values: params={name: value}")
        self.params = {str(k): float(v) for k, v in dict(params).items()}
        for o in self.outcomes:
            fam = self.families[o]
            if fam.categorical and o not in self.n_categories:
                k = fam.n_categories_from(self.params, o)
                if k is None:
                    raise SpecificationError(
                        f"cannot tell how many categories the {fam.name} outcome {o!r} "
                        f"has; give n_categories={{{o!r}: K}}")
                self.n_categories[o] = k
        if self.kind == "model":
            if any(v is not None for v in (n_clusters, cluster_size, covariates, data)):
                raise SpecificationError(
                    "a model or fitted result brings its own rows; to draw a new design "
                    "simulate from its formula or specification instead")
            self.data = None
        elif data is not None:
            if not isinstance(data, pd.DataFrame):
                raise SpecificationError("data must be a pandas DataFrame")
            self.data = data
        else:
            if n_clusters is None or cluster_size is None:
                raise SpecificationError(
                    "give the design: n_clusters and cluster_size (and covariates), or "
                    "data=DataFrame with the cluster and covariate columns")
            self.data = None
        self.n_clusters, self.cluster_size = n_clusters, cluster_size
        self.covariates = {k: _as_covariate(v, k) for k, v in (covariates or {}).items()}
        self._check_covariates()

    def __getstate__(self):
        state = self.__dict__.copy()
        if self.context is not None and not isinstance(self.context, dict):
            state["context"] = None  # captured namespaces do not pickle
        return state

    def _check_covariates(self):
        clash = set(self.covariates) & (set(self.outcomes) | {self.cluster})
        if clash:
            raise SpecificationError(
                f"covariates= names {sorted(clash)[0]!r}, which is an outcome or the "
                "cluster column")
        if self.kind == "spec":
            missing = [c for c in self.spec.columns() if c not in self.covariates and
                       (self.data is None or c not in self.data.columns)
                       and c not in self.model_kw.get("columns", {})]
            if missing:
                raise SpecificationError(
                    f"the model uses the column {missing[0]!r}; say how to draw it: "
                    f"covariates={{{missing[0]!r}: 'normal'}}")

    # -- the design -----------------------------------------------------------------------
    def design(self, rng):
        """A design frame (cluster id, covariates, placeholder outcomes) for one draw."""
        rng = np.random.default_rng(rng)
        if self.data is not None:
            frame = self.data.copy()
            n = len(frame)
            for name, cov in self.covariates.items():
                if cov.level == "cluster":
                    codes, uniq = pd.factorize(frame[self.cluster])
                    frame[name] = cov.draw(rng, len(uniq))[codes]
                else:
                    frame[name] = cov.draw(rng, n)
        else:
            sizes = _cluster_sizes(self.cluster_size, int(self.n_clusters), rng)
            cl = np.repeat(np.arange(1, len(sizes) + 1), sizes)
            frame = pd.DataFrame({self.cluster: cl})
            for name, cov in self.covariates.items():
                if cov.level == "cluster":
                    frame[name] = cov.draw(rng, len(sizes))[cl - 1]
                else:
                    frame[name] = cov.draw(rng, len(cl))
        n = len(frame)
        for o in self.outcomes:  # placeholders (replaced by the draws)
            frame[o] = self.families[o].placeholder(n, self.n_categories.get(o, 2))
        return frame

    def build(self, frame):
        """The generating model on a design frame."""
        if self.kind == "model":
            return self._fixed_model
        from ..model import MixtureModel

        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            if self.kind == "formula":
                from ..pipeline import build_model

                ctx = self.context if self.context is not None else {}
                try:
                    return build_model(MixtureModel, self.formula, frame,
                                       classes=self.classes, family=self.family,
                                       cluster=self.cluster, trials=self.trials,
                                       re_cov=self.re_cov, context=ctx, **self.model_kw)
                except SpecificationError as exc:
                    if "neither a column of the data" not in str(exc):
                        raise
                    raise SpecificationError(
                        f"{exc}\nto simulate, say how to draw each covariate the formula "
                        "uses, e.g. covariates={'x': 'normal'}") from None
            cluster = self.cluster if self.cluster in frame.columns else None
            model = MixtureModel(self.spec, frame, cluster=cluster,
                                 **self.model_kw)
            model._simulate_frame = frame
            return model

    def working(self, model):
        """The free working vector of ``model`` at :attr:`params` (checked)."""
        return working_vector(model, self.params)

    # -- drawing --------------------------------------------------------------------------
    def simulate(self, seed=None, return_latent=False):
        """One data set.

        Parameters
        ----------
        seed : int, SeedSequence or Generator, optional
        return_latent : bool
            Also return the drawn latent variables (see :func:`draw`).

        Returns
        -------
        pandas.DataFrame, or (DataFrame, DataFrame) with ``return_latent``
        """
        rng = np.random.default_rng(seed)
        frame = self.design(rng) if self.kind != "model" else None
        model = self.build(frame)
        return draw(model, self.params, rng, return_latent=return_latent)

    def __repr__(self):
        what = self.formula if self.kind == "formula" else self.kind
        return (f"Population({what!r}, {len(self.params)} parameters, "
                f"n_clusters={self.n_clusters}, cluster_size={self.cluster_size})")


def simulate(model, params=None, *, n_clusters=None, cluster_size=None, covariates=None,
             data=None, seed=None, return_latent=False, classes=None, family="normal",
             cluster=None, trials=None, re_cov="statement", context=None,
             n_categories=None, **model_kw):
    """Draw one data set from a model at given parameter values.

    Parameters
    ----------
    model : str, ModelSpec, MixtureModel or fitted results
        A formula, a hand-built specification, a model (its rows are kept,
        outcomes drawn) or a fitted result (a parametric bootstrap sample at
        the estimates).
    params : dict or pandas.Series, optional
        Natural-scale values by parameter name (default for a result: its
        estimates).  Use ``mixture(...).param_names`` to see the names.
    n_clusters, cluster_size, covariates, data :
        The design; see :class:`Population`.
    seed : int, SeedSequence or Generator, optional
    return_latent : bool
        Also return the drawn classes and random effects (see :func:`draw`).
    classes, family, cluster, trials, re_cov, context, n_categories, **model_kw :
        As for :class:`Population` and :func:`mixlevel.api.mixture`.

    Returns
    -------
    pandas.DataFrame
        Cluster id, covariates and outcomes, ready for ``mixture()``; with
        ``return_latent`` also a frame of the latent draws.

    Examples
    --------
    >>> df = simulate("y ~ c * x + (1 | school)",            # doctest: +SKIP
    ...               {"y~1[c=1]": 1, "y~1[c=2]": 0, "y~x[c=1]": 0.2, "y~x[c=2]": 0.8,
    ...                "c#1~1": 0, "Var(1|school)": 0.2, "Var(y)": 1},
    ...               classes={"c": Between(2)}, n_clusters=100, cluster_size=10,
    ...               covariates={"x": "normal"}, seed=1)
    """
    if isinstance(model, str) and context is None:
        from formulaic.utils.context import capture_context

        context = slim_context(capture_context(1), model)
    pop = Population(model, params, n_clusters=n_clusters, cluster_size=cluster_size,
                     covariates=covariates, data=data, classes=classes, family=family,
                     cluster=cluster, trials=trials, re_cov=re_cov, context=context,
                     n_categories=n_categories, **model_kw)
    return pop.simulate(seed, return_latent=return_latent)
