"""Latent transition analysis (latent Markov models): the constructor :func:`lta`.

A class variable ``C_t`` per wave t = 1..T measured by that wave's items
(eq. 6), a multinomial logit for ``C_1`` (eq. 8) and for each ``C_t`` on
``C_{t-1}`` (eq. 9, a first-order Markov chain; ``order=2`` lets ``C_t`` depend
on ``C_{t-2}`` as well), optionally with covariates and, in two-level data,
random logit intercepts per wave that are correlated (the paper's section 4
model, eq. 10-15)::

    model = ml.lta(df, items=[["u1_1", "u2_1"], ["u1_2", "u2_2"]], k=2)
    model = ml.lta(long_df, items="srhs", id="id", time="t", k=3,
                   family="nominal", homogeneous=True)
    res = model.fit()
    res.lta.transitions()

The constructor writes the formula for :func:`mixlevel.mixture` (shown by
``model.formula.text``) and the ``equal=`` constraints of measurement
invariance and time-homogeneous transitions, so the model is an ordinary
:class:`~mixlevel.model.MixtureModel`.  Its fit starts from per-wave latent
class fits matched across waves (:mod:`.lta_starts`) and its results carry the
section 3-4 quantities in ``res.lta`` (:mod:`.lta_results`).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..engine.threads import one_blas_thread
from ..errors import SpecificationError
from ..estimation.starts import base_start
from ..families import get_family
from ..model import MixtureModel

__all__ = ["lta", "LatentMarkov", "LTALayout"]

_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_.]*$")


@dataclass
class LTALayout:
    """Where the parts of a latent transition model are.

    Attributes
    ----------
    classes : list of str
        Class variable of each wave (``c1``, ``c2``, ...).
    items : list of list of str
        Item columns of each wave (wide data), in the same order every wave.
    item_names : list of str
        A name per item position: the long data's item, or the wave columns'
        common stem (``stubborn_1``, ``stubborn_2`` -> ``stubborn``).
    families : dict
        Family name of each item column.
    k, order : int
    invariant, homogeneous : bool
    covariates_initial : str
        Right-hand side added to the logit of ``C_1`` ("" for none).
    covariates_transition : list of str
        Right-hand side added to the logit of each ``C_t``, t >= 2.
    cluster : str or None
        Cluster column of the random logit intercepts (None: none).
    time_values : list
        The time value of each wave (long data) or 1..T.
    """

    classes: list
    items: list
    item_names: list
    families: dict
    k: int
    order: int = 1
    invariant: bool = True
    homogeneous: bool = False
    covariates_initial: str = ""
    covariates_transition: list = field(default_factory=list)
    cluster: str | None = None
    time_values: list = field(default_factory=list)

    @property
    def n_waves(self):
        return len(self.classes)


def _common_stem(cols):
    """The name an item has at every wave: the columns' common prefix without a trailing
    separator (``stubborn_1``, ``stubborn_2`` -> ``stubborn``), else the first column."""
    stem = os.path.commonprefix(list(cols)).rstrip("_.- ")
    return stem if stem and len(cols) > 1 else cols[0]


def _quote(col):
    return col if _IDENT.match(col) else f"`{col}`"


def _as_list(x):
    if x is None:
        return []
    if isinstance(x, str):
        return [x]
    return list(x)


# ------------------------------------------------------------------------------------
# long data -> wide data
# ------------------------------------------------------------------------------------
def _wave_column(name, w):
    return f"{name}_{w}"


def _to_wide(data, id, time, items, covariates, cluster, weights):
    """One row per ``id``; items (and time-varying covariates) one column per wave.

    Returns (wide frame, item columns per wave, time values, {covariate: list of
    wave columns or the column}).
    """
    for col in [id, time, *items, *covariates] + ([cluster] if cluster else []) + \
            ([weights] if isinstance(weights, str) else []):
        if col not in data.columns:
            raise SpecificationError(f"column {col!r} is not in the data")
    if data[time].isna().any() or data[id].isna().any():
        raise SpecificationError(f"the id column {id!r} and the time column {time!r} must "
                                 "not have missing values")
    dup = data.duplicated([id, time])
    if dup.any():
        first = data.loc[dup, [id, time]].iloc[0].tolist()
        raise SpecificationError(
            f"{int(dup.sum())} rows repeat an ({id!r}, {time!r}) pair, e.g. {first}; give "
            "one row per person and wave")
    times = sorted(data[time].unique())
    wave = {t: w + 1 for w, t in enumerate(times)}
    keyed = data.assign(_wave=data[time].map(wave)).set_index([id, "_wave"])
    ids = pd.Index(sorted(data[id].unique()), name=id)
    wide = pd.DataFrame(index=ids)
    T = len(times)
    for it in items:
        tab = keyed[it].unstack("_wave").reindex(index=ids, columns=range(1, T + 1))
        for w in range(1, T + 1):
            wide[_wave_column(it, w)] = tab[w].to_numpy()
    constant = [c for c in ([cluster] if cluster else []) +
                ([weights] if isinstance(weights, str) else [])]
    cov_cols = {}
    grouped = data.groupby(id, sort=True)
    for col in covariates + constant:
        varies = (grouped[col].nunique(dropna=False) > 1).any()
        if not varies:
            wide[col] = grouped[col].first().reindex(ids).to_numpy()
            cov_cols[col] = col
        elif col in constant:
            raise SpecificationError(f"{col!r} varies within an {id!r}; the cluster and the "
                                     "weights must be constant for a person")
        else:  # time-varying: one column per wave
            tab = keyed[col].unstack("_wave").reindex(index=ids, columns=range(1, T + 1))
            cov_cols[col] = []
            for w in range(1, T + 1):
                wide[_wave_column(col, w)] = tab[w].to_numpy()
                cov_cols[col].append(_wave_column(col, w))
    wide = wide.reset_index()
    return wide, [[_wave_column(it, w) for it in items] for w in range(1, T + 1)], \
        times, cov_cols


def _covariate_rhs(spec, wave, cov_cols, long_data):
    """Right-hand side text of covariates for the logit of wave ``wave`` (1-based)."""
    if spec is None:
        return ""
    if isinstance(spec, str) and not _IDENT.match(spec.strip()):
        return spec.strip()                       # a formula, used as written
    cols = []
    for c in _as_list(spec):
        col = cov_cols.get(c, c) if long_data else c
        if isinstance(col, list):                 # time-varying in long data
            col = col[wave - 1]
        cols.append(_quote(col))
    return " + ".join(cols)


# ------------------------------------------------------------------------------------
# formula and constraints
# ------------------------------------------------------------------------------------
def _statements(layout):
    """The formula text of a latent transition model."""
    lines = []
    for c, cols in zip(layout.classes, layout.items, strict=True):
        lines.append(" + ".join(_quote(x) for x in cols) + f" ~ {c}")
    re_term = f" + (1 | {_quote(layout.cluster)})" if layout.cluster else ""
    cov = layout.covariates_initial
    lines.append(f"{layout.classes[0]} ~ 1" + (f" + {cov}" if cov else "") + re_term)
    for t in range(1, layout.n_waves):
        c = layout.classes
        rhs = c[t - 1] if layout.order == 1 or t == 1 else f"{c[t - 2]} * {c[t - 1]}"
        cov = layout.covariates_transition[t - 1]
        lines.append(f"{c[t]} ~ {rhs}" + (f" + {cov}" if cov else "") + re_term)
    return "\n".join(lines)


_ITEM_PATTERNS = {  # the parameters of an item, by family: globs relative to its column
    "normal": ("{col}~*", "Var({col})"),
    "ordinal": ("{col}|*",),
    "nominal": ("{col}#*",),
}


def _constraints(layout):
    """``equal=`` tuples: invariant item parameters, time-homogeneous transitions."""
    equal = []
    if layout.invariant and layout.n_waves > 1:
        for p in range(len(layout.items[0])):
            cols = [w[p] for w in layout.items]
            fam = layout.families[cols[0]]
            for pat in _ITEM_PATTERNS.get(fam, ("{col}~*",)):
                equal.append(tuple(pat.format(col=c) for c in cols))
    if layout.homogeneous:
        c, K = layout.classes, layout.k
        first = 1 if layout.order == 1 else 2     # first wave whose transition repeats
        waves = list(range(first, layout.n_waves))
        if len(waves) > 1:
            for j in range(1, K):
                equal.append(tuple(f"{c[t]}#{j}~*" for t in waves))
    return equal


def _families(family, items, item_names):
    """Family name per item column from a family or a dict (item name or column)."""
    out = {}
    for wave in items:
        for p, col in enumerate(wave):
            if isinstance(family, dict):
                fam = family.get(col, family.get(item_names[p], "normal"))
            else:
                fam = family
            out[col] = fam
    names = {col: get_family(f).name for col, f in out.items()}
    for p in range(len(items[0])):
        kinds = {names[w[p]] for w in items}
        if len(kinds) > 1:
            raise SpecificationError(
                f"item {item_names[p]!r} has different families across waves ({kinds}); "
                "give one family per item")
    return out, names


# ------------------------------------------------------------------------------------
# the model class and the constructor
# ------------------------------------------------------------------------------------
class LatentMarkov(MixtureModel):
    """A latent transition (latent Markov) model; built by :func:`lta`.

    A :class:`~mixlevel.model.MixtureModel` whose start values come from
    per-wave latent class fits matched across waves (see
    :func:`mixlevel.models.lta_starts.lta_start`) and whose results carry the
    section 3-4 quantities as ``res.lta``.  ``waves`` (:class:`LTALayout`) says
    which columns and class variables belong to which wave.
    """

    waves: LTALayout
    wide_data: pd.DataFrame
    keep_base_start = True  # the per-wave start always reaches the final stage

    def _start_work(self):
        """The per-wave start (cached): matched latent class fits, cross-tabulated transitions."""
        cached = self.__dict__.get("_lta_start")
        if cached is None:
            from .lta_starts import lta_start

            with one_blas_thread():  # as MixtureModel.fit
                cached = lta_start(self)
            self.__dict__["_lta_start"] = cached
        return cached.copy()

    def _generic_start(self):
        """The start every MixtureModel uses (one M-step from uniform posteriors)."""
        return base_start(self.engine)

    def fit(self, start_params=None, starts=None, canonical=False, **kwargs):
        """Maximum likelihood from the per-wave start and its random perturbations.

        Parameters are those of :meth:`MixtureModel.fit`; ``starts`` (initial,
        final) counts the unperturbed per-wave start as one of the initial
        sets, the others perturb it; the per-wave start is always among the
        final-stage starts.  ``canonical`` is off: classes keep the
        labels of the start (wave 1's classes by decreasing size, the other
        waves' matched to them), so class k means the same at every wave.

        Returns
        -------
        MixtureResultsWrapper
            With ``res.lta``, the section 3-4 quantities (:class:`LTAResults`).
        """
        from .lta_results import LTAResults

        res = super().fit(start_params=start_params, starts=starts, canonical=canonical,
                          **kwargs)
        res._results.lta = LTAResults(res)
        return res


def lta(data, items, k, *, id=None, time=None, family="binary", invariant=True,
        homogeneous=False, order=1, covariates_initial=None, covariates_transition=None,
        cluster=None, random_intercepts=True, name="c", weights=None, fix=None, equal=None,
        **kwargs):
    """A latent transition / latent Markov model (the paper's sections 3-4).

    Parameters
    ----------
    data : pandas.DataFrame
        Wide (one row per person, ``items`` one list of columns per wave) or
        long (``id=`` and ``time=`` given: one row per person and wave).
    items : list
        Wide data: one list of item columns per wave, in the same item order
        every wave (a flat list of columns: one item per wave).  Long data:
        the item column(s), one name or a list.
    k : int
        Number of latent classes (states) at every wave.
    id, time : str, optional
        Person and time columns of long data.  Waves are the sorted distinct
        times; a person without a row (or with missing items) at a wave has
        that wave's items missing (full-information ML under MAR).
    family : str, Family or dict
        Item family ("binary", "probit", "ordinal", "nominal", "normal",
        "poisson", ...), or ``{item or column: family}``.
    invariant : bool
        Measurement invariance: every wave's items have wave 1's class-specific
        parameters (``equal=`` constraints).
    homogeneous : bool
        Time-homogeneous transitions: the logits of ``C_t`` on ``C_{t-1}``
        (and their covariate effects) equal at every wave.
    order : {1, 2}
        Markov order: 2 lets ``C_t`` depend on ``C_{t-2}`` and ``C_{t-1}``
        (one intercept per pair of classes) from wave 3 on.
    covariates_initial, covariates_transition : str or list of str, optional
        Covariates of the logits of ``C_1`` and of the transitions (a column,
        a list of columns, or a formula right-hand side such as ``"x * w"``).
        In long data a covariate that varies within a person is taken at wave
        t for the transition into wave t (at wave 1 for the initial logits).
        Covariates must be observed: rows missing one are dropped.
    cluster : str, optional
        Cluster column (e.g. classroom).  With ``random_intercepts`` every
        class logit gets a random intercept per cluster and all of them are
        correlated (``re_cov="full"``): the two-level LTA of eq. 10-15.
        Without, the cluster only makes the standard errors cluster-robust.
    name : str
        Stem of the class variables: ``c1, ..., cT``.
    weights, fix, equal
        As :func:`mixlevel.mixture`; ``equal`` is added to the generated
        constraints.
    **kwargs
        Passed to :class:`~mixlevel.model.MixtureModel` (``n_points``, ...).

    Returns
    -------
    LatentMarkov
        ``model.waves`` describes the waves; ``model.formula.text`` is the
        generated formula.

    Notes
    -----
    Chains (each wave's classes depending on the previous one or two, items
    on their own wave's classes) run by forward-backward recursion
    (:class:`~mixlevel.engine.chain.ChainEngine`; with ``cluster=``,
    :class:`~mixlevel.engine.chain_cluster.ChainClusterEngine`), linear in T.
    Structures that are not chains, random effects on the items, and small
    two-level models (fewer than 27 joint patterns, where it is faster)
    enumerate the K^T joint class patterns instead.
    """
    from ..api import _capture
    from ..pipeline import build_model

    if order not in (1, 2):
        raise SpecificationError("order must be 1 or 2")
    if not isinstance(k, (int, np.integer)) or k < 1:
        raise SpecificationError(f"k must be a positive number of classes, not {k!r}")
    long_data = id is not None or time is not None
    cov_init, cov_trans = covariates_initial, covariates_transition
    if long_data:
        if id is None or time is None:
            raise SpecificationError("long data need both id= and time=")
        item_names = _as_list(items)
        for spec in (cov_init, cov_trans):
            if isinstance(spec, str) and not _IDENT.match(spec.strip()):
                raise SpecificationError(
                    f"in long data give covariates as column names, not a formula ({spec!r}): "
                    "time-varying ones are then taken at the right wave")
        if weights is not None and not isinstance(weights, str):
            raise SpecificationError("in long data weights= must be a column (constant "
                                     "within a person)")
        covs = [c for spec in (cov_init, cov_trans) for c in _as_list(spec)]
        wide, wave_items, times, cov_cols = _to_wide(data, id, time, item_names, covs,
                                                     cluster, weights)
    else:
        if not isinstance(items, (list, tuple)) or not items:
            raise SpecificationError("items= must list the item columns of each wave")
        wave_items = [[w] if isinstance(w, str) else list(w) for w in items]
        sizes = {len(w) for w in wave_items}
        if len(sizes) > 1:
            raise SpecificationError(
                f"the waves have different numbers of items ({[len(w) for w in wave_items]}); "
                "give the same items, in the same order, at every wave")
        missing = [c for w in wave_items for c in w if c not in data.columns]
        if missing:
            raise SpecificationError(f"item column(s) {missing} are not in the data")
        item_names = [_common_stem([w[p] for w in wave_items])
                      for p in range(len(wave_items[0]))]
        wide, times, cov_cols = data, list(range(1, len(wave_items) + 1)), {}
    T = len(wave_items)
    if order == 2 and T < 3:
        order = 1
    classes = [f"{name}{t}" for t in range(1, T + 1)]
    clash = [c for c in classes if c in wide.columns]
    if clash:
        raise SpecificationError(f"class variable name(s) {clash} are columns of the data; "
                                 "choose another name=")
    fam_objs, fam_names = _families(family, wave_items, item_names)
    layout = LTALayout(
        classes=classes, items=wave_items, item_names=item_names, families=fam_names,
        k=int(k), order=order, invariant=bool(invariant) and T > 1,
        homogeneous=bool(homogeneous),
        covariates_initial=_covariate_rhs(cov_init, 1, cov_cols, long_data),
        covariates_transition=[_covariate_rhs(cov_trans, t, cov_cols, long_data)
                               for t in range(2, T + 1)],
        cluster=cluster if (cluster and random_intercepts) else None,
        time_values=list(times))
    text = _statements(layout)
    constraints = _constraints(layout) + list(equal or [])
    if isinstance(weights, str) or weights is None:
        w_arg = weights
    else:
        w_arg = np.asarray(weights, float)
    model = build_model(
        LatentMarkov, text, wide, classes={c: int(k) for c in classes}, family=fam_objs,
        cluster=cluster, weights=w_arg, fix=fix, equal=constraints or None,
        re_cov="full" if layout.cluster else "statement", context=_capture(None, 1),
        **kwargs)
    model.waves = layout
    model.wide_data = model.formula.data
    return model
