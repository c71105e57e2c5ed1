"""The parameter layout of a model: every parameter typed, every term mapped to its slots.

:func:`build_layout` checks a :class:`~mixlevel.spec.ModelSpec` against the
number of categories of its outcomes (which the data decide) and returns a
:class:`ParamLayout`; the specification itself is never changed, so one spec
can serve several models.

The layout answers the questions every later layer asks:

* which parameters are there, in which groups (one transform per group, see
  :mod:`mixlevel.spec.transforms`), with which start values;
* what each parameter is (:class:`ParamInfo`: section, equation, class
  pattern, role), so that summaries, constraints and results select
  parameters by purpose and class (:meth:`ParamLayout.select`, in the spirit
  of statsmodels' ``MarkovSwitchingParams``) instead of parsing names;
* which parameter each term's coefficient takes under each assignment of the
  class variables it depends on (:class:`TermSlots`), compactly: a term that
  depends on one class variable has one slot per class of that variable, not
  one per joint class pattern.

Parameter names follow the formula language: ``u1~1[c=1]``, ``y~x[c=2]``,
``c#1~1[d=1]`` (logit of class 1 of ``c``), ``y~1*f`` (a loading),
``Var(y)``, ``y|t1`` (a threshold), ``Var(b)`` and ``Cov(a,b)`` (random
effects).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from ..errors import SpecificationError
from .chain import chain_structure

__all__ = ["ParamGroup", "ParamInfo", "TermSlots", "FamilySlots", "ParamLayout",
           "build_layout", "class_suffix"]


@dataclass
class ParamGroup:
    """A block of parameters sharing one transform, named on the natural scale.

    kind: "coef" (identity), "variance" (log), "thresholds" (first, then log
    increments), "covariance" (vech of a covariance matrix; Cholesky working
    scale).
    """

    kind: str
    names: list[str]
    values: np.ndarray
    free: bool = True

    @property
    def size(self):
        return len(self.names)


def class_suffix(assignment):
    """``[c=1,d=2]`` from a dict of 0-based classes (shown 1-based)."""
    if not assignment:
        return ""
    return "[" + ",".join(f"{k}={v + 1}" for k, v in assignment.items()) + "]"


@dataclass(frozen=True)
class ParamInfo:
    """What one parameter is.

    Attributes
    ----------
    name : str
        The parameter's name.
    kind : str
        The transform of its group: "coef", "variance", "thresholds" or
        "covariance".
    section : str
        "outcome" (outcome equations, thresholds, residual variances),
        "class" (class logits) or "covariance" (random-effect covariances).
    equation : str
        The outcome or class variable of its equation, or the latent block.
    classes : tuple of (str, int)
        The class pattern it belongs to, ``(("c", 0),)`` for class 1 of c;
        empty when shared by all classes.  Between classes first, then within
        classes, in declaration order.
    role : str
        "coefficient", "loading", "logit", "threshold", "residual variance" or
        "covariance".
    column : str or None
        The design column it multiplies ("1": intercept); None for thresholds,
        variances and covariances.
    label : str
        The name without its class suffix.
    """

    name: str
    kind: str
    section: str
    equation: str
    classes: tuple
    role: str
    column: str | None
    label: str

    @property
    def class_label(self):
        """``"d=1,c=2"``, or ``"all"`` for a parameter shared by all classes."""
        if not self.classes:
            return "all"
        return ",".join(f"{k}={v + 1}" for k, v in self.classes)


@dataclass(frozen=True, eq=False)
class TermSlots:
    """The coefficient of one channel of a term, per assignment of its class variables.

    ``index[a1, a2, ...]`` is the position in the full parameter vector of the
    coefficient when the class variables ``by`` take classes ``a1, a2, ...``,
    or -1 where the coefficient is fixed at ``value[a1, a2, ...]`` (a random
    effect's own term, fixed at 1).  ``channel`` is the logit channel of the
    target (category of a nominal outcome, class of a class variable), 0
    otherwise.  ``latent`` is ``(block name, k)`` when the coefficient
    multiplies the k-th standard normal of a latent block (a loading, or an
    element of a Cholesky factor), None otherwise.
    """

    term: object
    channel: int
    latent: tuple | None
    by: tuple
    index: np.ndarray
    value: np.ndarray

    def over(self, patterns, positions):
        """(index, value) per joint class pattern: ``patterns`` (n, V) class values,
        ``positions`` {class name: column of ``patterns``}."""
        key = tuple(patterns[:, positions[b]] for b in self.by)
        n = patterns.shape[0]
        return (np.broadcast_to(self.index[key], (n,)).astype(np.int64),
                np.broadcast_to(self.value[key], (n,)).astype(float))


@dataclass(frozen=True, eq=False)
class FamilySlots:
    """Family parameters of an outcome (residual variance, thresholds) per class assignment.

    ``index[a1, ...]`` is the position of the first of the outcome's
    ``n_params`` parameters (they are consecutive) when the class variables
    ``by`` take classes ``a1, ...``.
    """

    outcome: str
    by: tuple
    index: np.ndarray
    n_params: int
    thresholds: bool

    def over(self, patterns, positions):
        key = tuple(patterns[:, positions[b]] for b in self.by)
        return np.broadcast_to(self.index[key], (patterns.shape[0],)).astype(np.int64)


class ParamLayout:
    """Every parameter of a finalised model, typed, and the slots of every term.

    Built by :func:`build_layout`; read-only afterwards.

    Attributes
    ----------
    spec : ModelSpec
        The specification it was built from (not changed).
    groups : tuple of ParamGroup
        Parameter groups in order, with their start values.
    offsets : ndarray
        Position of each group's first parameter in the full vector.
    names : list of str
        All parameter names, in order.
    info : list of ParamInfo
        One per parameter.
    terms : list of TermSlots
        One per term and channel (and per Cholesky column of a random effect).
    family : dict
        {outcome name: FamilySlots} for outcomes with family parameters.
    n_categories : dict
        {outcome name: number of categories} (2 for non-categorical outcomes).
    """

    def __init__(self, spec, groups, info, terms, family, n_categories):
        self.spec = spec
        self.groups = tuple(groups)
        self.offsets = np.cumsum([0] + [g.size for g in self.groups])
        self.names = [n for g in self.groups for n in g.names]
        self.index = {n: i for i, n in enumerate(self.names)}
        self.info = list(info)
        self.terms = list(terms)
        self.family = dict(family)
        self.n_categories = dict(n_categories)

    # -- class patterns ------------------------------------------------------------------
    @cached_property
    def class_order(self):
        """Class variable names in kernel order: between first, then within."""
        return [c.name for c in self.spec.between_classes + self.spec.within_classes]

    @cached_property
    def pattern_array(self):
        """(D*C, V) classes of every joint pattern in kernel order (index d*C + c)."""
        spec = self.spec
        order = spec.between_classes + spec.within_classes
        grids = list(itertools.product(*[range(c.n_classes) for c in order]))
        return np.array(grids, dtype=np.int64).reshape(len(grids), len(order))

    @cached_property
    def class_positions(self):
        return {n: k for k, n in enumerate(self.class_order)}

    @cached_property
    def _chain_info(self):
        return chain_structure(self.spec)

    @property
    def chain(self):
        """The :class:`~mixlevel.spec.chain.ChainStructure` of a latent Markov chain, or None."""
        return self._chain_info[0]

    @property
    def chain_reason(self):
        """Why the model is not a latent Markov chain ("" when it is one)."""
        return self._chain_info[1]

    def between_patterns(self):
        """(D, V) class values of the between patterns in kernel order; within classes 0.

        The rows of :attr:`pattern_array` at within pattern 0, made without
        enumerating the within patterns.
        """
        spec = self.spec
        grids = list(itertools.product(*[range(c.n_classes) for c in spec.between_classes]))
        out = np.zeros((len(grids), len(self.class_order)), dtype=np.int64)
        for w, c in enumerate(spec.between_classes):
            out[:, self.class_positions[c.name]] = [g[w] for g in grids]
        return out

    def patterns(self):
        """All joint class patterns in kernel order, as dicts {class name: 0-based class}."""
        return [dict(zip(self.class_order, map(int, row), strict=True))
                for row in self.pattern_array]

    # -- lookups -------------------------------------------------------------------------
    def n_channels(self, outcome):
        """Linear predictors (logit channels) of an outcome."""
        return outcome.family.n_channels(self.n_categories[outcome.name])

    def n_family_params(self, outcome):
        return outcome.family.n_params(self.n_categories[outcome.name])

    def group_of(self, i):
        """Index of the group holding full parameter ``i``."""
        return int(np.searchsorted(self.offsets, i, side="right") - 1)

    def select(self, section=None, equation=None, role=None, kind=None, classes=None):
        """Full-vector positions of the parameters matching every given criterion.

        ``classes`` is a dict {class name: 0-based class}; a parameter matches
        when its class pattern agrees on every class it names (parameters
        shared by all classes match any ``classes``).
        """
        out = []
        for i, inf in enumerate(self.info):
            if section is not None and inf.section != section:
                continue
            if equation is not None and inf.equation != equation:
                continue
            if role is not None and inf.role != role:
                continue
            if kind is not None and inf.kind != kind:
                continue
            if classes is not None:
                own = dict(inf.classes)
                if any(k in own and own[k] != v for k, v in classes.items()):
                    continue
            out.append(i)
        return np.asarray(out, dtype=np.int64)

    def info_frame(self, names=None):
        """The parameter information as a DataFrame indexed by name (``names``: a subset)."""
        import pandas as pd

        rows = [{"name": f.name, "section": f.section, "equation": f.equation,
                 "classes": f.class_label, "label": f.label, "kind": f.kind, "role": f.role,
                 "_assign": f.classes} for f in self.info]
        frame = pd.DataFrame(rows).set_index("name")
        return frame if names is None else frame.loc[list(names)]

    def block_covariance(self, block):
        """First full position of a free-covariance block's group, per between pattern (D,)."""
        for ts in self.terms:
            if ts.latent is not None and ts.latent[0] == block.name and ts.latent[1] == 0 \
                    and ts.term.latent == block.effects[0]:
                idx, _ = ts.over(self.between_patterns(), self.class_positions)
                return idx
        raise SpecificationError(f"latent block {block.name!r} has no covariance parameters")

    def __repr__(self):
        return f"ParamLayout({len(self.names)} parameters in {len(self.groups)} groups)"


# ------------------------------------------------------------------------------------------
# building
# ------------------------------------------------------------------------------------------
class _Builder:
    """Expands the terms of a checked spec into groups, slots and parameter information."""

    def __init__(self, spec, n_categories):
        self.spec = spec
        self.n_categories = n_categories
        self.groups, self.info, self.terms = [], [], []
        self.family = {}
        self.position = {}   # name -> full position
        self.owner = {}      # coefficient name -> the term that made it
        self.size = 0
        self.order = [c.name for c in spec.between_classes + spec.within_classes]

    def ordered(self, assign):
        return tuple((k, assign[k]) for k in self.order if k in assign)

    def new_group(self, kind, names, values, infos):
        """Position of the group's first parameter (an existing group of the same names)."""
        if names[0] in self.position:
            return self.position[names[0]]
        self.groups.append(ParamGroup(kind, list(names), np.asarray(values, float)))
        first = self.size
        for k, n in enumerate(names):
            self.position[n] = first + k
        self.info.extend(infos)
        self.size += len(names)
        return first

    def assignments(self, by):
        """Every assignment of the class variables ``by``, as (grid index, dict).

        In the order of the joint class patterns (between classes first, then
        within, in declaration order), so parameters are numbered as the kernel
        visits them; the dict keeps the order of ``by`` (it names parameters).
        """
        ordered = sorted(by, key=self.order.index)
        sizes = [self.spec.class_var(b).n_classes for b in ordered]
        for combo in itertools.product(*[range(s) for s in sizes]):
            sub = dict(zip(ordered, combo, strict=True))
            yield tuple(sub[b] for b in by), {b: sub[b] for b in by}

    def shape(self, by):
        return tuple(self.spec.class_var(b).n_classes for b in by)

    # -- terms -----------------------------------------------------------------------
    def term(self, t):
        spec = self.spec
        is_class = t.target in spec.class_names
        if is_class:
            n_ch = spec.class_var(t.target).n_classes - 1
        else:
            o = spec.outcomes[spec.outcome_names.index(t.target)]
            n_ch = o.family.n_channels(self.n_categories[o.name])
        chans = range(n_ch) if t.category is None else [t.category]
        base = t.name or (f"{t.target}~{t.column}" if t.latent is None else
                          f"{t.target}~{t.column}*{t.latent}")
        blk = None
        if t.latent is not None:
            blk, k_eff = spec.effect_block(t.latent)
        for ch in chans:
            if is_class:
                cname = f"{t.target}#{ch + 1}"
                label = base.replace(t.target, cname, 1) if base.startswith(t.target) else base
            elif n_ch > 1:
                label = base.replace(t.target, f"{t.target}#{ch + 1}", 1)
            else:
                label = base
            if blk is not None and blk.covariance == "free":
                # coefficient fixed at 1 times b_k = sum_l L_kl z_l: slots are elements of L
                for l_ in range(k_eff + 1):
                    self.terms.append(self.cholesky_slots(t, ch, blk, k_eff, l_))
                continue
            by = tuple(t.by)
            index = np.full(self.shape(by), -1, dtype=np.int64)
            value = np.zeros(self.shape(by))
            for combo, sub in self.assignments(by):
                if t.fixed is not None:
                    value[combo] = float(t.fixed)
                    continue
                name = label + class_suffix(sub)
                owner = self.owner.setdefault(name, t)
                if owner is not t:
                    raise SpecificationError(
                        f"two terms define the parameter {name!r}; give them different "
                        "names (name=...), and constrain them with equal= if they are to "
                        "be equal")
                role = "logit" if is_class else ("loading" if blk is not None else "coefficient")
                section = "class" if is_class else "outcome"
                info = ParamInfo(name, "coef", section, t.target, self.ordered(sub), role,
                                 t.column, label)
                index[combo] = self.new_group("coef", [name], [0.0], [info])
            latent = None if blk is None else (blk.name, k_eff)
            self.terms.append(TermSlots(t, ch, latent, by, index, value))

    def cholesky_slots(self, t, ch, blk, k, l_):
        """Slots of element (k, l) of the Cholesky factor of ``blk``'s covariance."""
        by = tuple(blk.by)
        index = np.full(self.shape(by), -1, dtype=np.int64)
        q = blk.dim
        pairs = [(a, b) for a in range(q) for b in range(a + 1)]
        for combo, sub in self.assignments(by):
            suffix = class_suffix(sub)
            names = [f"Var({blk.effects[a]})" + suffix if a == b else
                     f"Cov({blk.effects[b]},{blk.effects[a]})" + suffix for a, b in pairs]
            classes = self.ordered(sub)
            infos = [ParamInfo(n, "covariance", "covariance", blk.name, classes, "covariance",
                               None, n[: len(n) - len(suffix)] if suffix else n)
                     for n in names]
            start = np.eye(q)[np.tril_indices(q)]
            first = self.new_group("covariance", names, start, infos)
            index[combo] = first + k * (k + 1) // 2 + l_
        return TermSlots(t, ch, (blk.name, l_), by, index, np.zeros(index.shape))

    # -- family parameters -------------------------------------------------------------
    def family_params(self, o):
        n_par = o.family.n_params(self.n_categories[o.name])
        if n_par == 0:
            return
        kind = o.family.param_kind  # "thresholds" or "variance"
        thresholds = kind == "thresholds"
        by = tuple((self.spec.threshold_by if thresholds else self.spec.residual_by)[o.name])
        role = "threshold" if thresholds else "residual variance"
        plain = o.family.param_names(o.name, n_par)
        index = np.zeros(self.shape(by), dtype=np.int64)
        for combo, sub in self.assignments(by):
            suffix = class_suffix(sub)
            names = o.family.param_names(o.name, n_par, suffix)
            infos = [ParamInfo(n, kind, "outcome", o.name, self.ordered(sub), role, None, lab)
                     for n, lab in zip(names, plain, strict=True)]
            index[combo] = self.new_group(kind, names, o.family.param_start(n_par), infos)
        self.family[o.name] = FamilySlots(o.name, by, index, n_par, thresholds)


def build_layout(spec, n_categories):
    """Check ``spec`` and lay out its parameters.

    Parameters
    ----------
    spec : ModelSpec
        Not changed.
    n_categories : dict
        {outcome name: number of categories} for categorical outcomes (the
        data decide it); 2 for outcomes not listed.

    Returns
    -------
    ParamLayout
    """
    spec.check()
    n_cat = {o.name: int(n_categories.get(o.name, 2)) for o in spec.outcomes}
    b = _Builder(spec, n_cat)
    for t in spec.terms:
        b.term(t)
    for o in spec.outcomes:
        b.family_params(o)
    return ParamLayout(spec, b.groups, b.info, b.terms, b.family, n_cat)
