"""The model specification: a plain Python description of a two-level mixture model.

It knows nothing of formula text (the formula layer compiles into it) and
nothing of estimation.  A hand-written specification can be fitted too::

    spec = ModelSpec()
    spec.add_class("c", 2)
    for item in ["u1", "u2", "u3"]:
        spec.add_outcome(item, Binary())
        spec.add_term(item, by=["c"])            # class-specific intercepts
    spec.add_term("c")                            # class logit intercepts

Latent variables (DESIGN.md section 2):

* class variables (:class:`ClassVariable`), within (one value per row) or
  between (one value per cluster); the logit of class k < K of a class
  variable is a linear predictor like any other (eq. 4, 8-9, 17, 24, 26),
  with the last class as reference;
* continuous latent variables in blocks (:class:`LatentBlock`): cluster
  random effects b = L_d z with a Cholesky factor L_d that may depend on
  between classes (eq. 5, 18, 25), or factors with unit variance (eq. 2-3, 36)
  at the cluster or the row level.

A linear predictor is a sum of :class:`Term` s, each ``coefficient x column x
latent value``; coefficients may depend on any class variables (``by``).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

import numpy as np

from ..errors import SpecificationError
from ..families import Family, get_family

__all__ = ["ClassVariable", "LatentBlock", "Outcome", "Term", "ParamGroup", "ModelSpec"]


@dataclass
class ClassVariable:
    """A latent class variable with ``n_classes`` classes at level within/between."""

    name: str
    n_classes: int
    level: str = "within"

    def __post_init__(self):
        if self.level not in ("within", "between"):
            raise SpecificationError(
                f"class variable {self.name!r}: level must be 'within' or 'between'"
            )
        if int(self.n_classes) != self.n_classes or self.n_classes < 1:
            raise SpecificationError(
                f"class variable {self.name!r} needs a whole number of classes >= 1"
            )


@dataclass
class Outcome:
    """An observed outcome column with its family (and trials column for binomial)."""

    name: str
    family: Family
    trials: str | None = None


@dataclass
class LatentBlock:
    """Correlated normal latent variables b = L z with z standard normal.

    ``covariance="free"``: L (lower triangular, Cholesky) is estimated; terms
    using these effects carry no coefficient of their own (random intercepts,
    slopes and random class-logit intercepts).  ``covariance="identity"``: the
    effects are standard normal factors, and terms using them carry a free
    loading.  ``level`` is "cluster" (one value per cluster) or "row".
    ``by`` lists between class variables whose classes get their own L.
    """

    name: str
    effects: list[str]
    level: str = "cluster"
    covariance: str = "free"
    by: list[str] = field(default_factory=list)

    @property
    def dim(self):
        return len(self.effects)


@dataclass
class Term:
    """``coefficient(by classes) x column x latent effect`` in the predictor of ``target``.

    ``target`` is an outcome or a class variable (its logits).  ``column`` is a
    design column name or "1".  ``latent`` names an effect of a latent block.
    ``name`` is the base of the parameter names.  For nominal outcomes and
    class logits the term gets one coefficient per logit, unless ``category``
    picks one.  ``fixed`` gives the coefficient a fixed value (e.g. 1 for a
    random effect's own term).
    """

    target: str
    column: str = "1"
    latent: str | None = None
    by: list[str] = field(default_factory=list)
    name: str | None = None
    category: int | None = None
    fixed: float | None = None


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


class ModelSpec:
    """Outcomes, class variables, latent blocks and terms of one model.

    After :meth:`finalize` the specification has a parameter table
    (:attr:`groups`) and, for every term, a map from class patterns to
    parameter slots.  See the module docstring for an example.
    """

    def __init__(self):
        self.outcomes: list[Outcome] = []
        self.classes: list[ClassVariable] = []
        self.blocks: list[LatentBlock] = []
        self.terms: list[Term] = []
        self.residual_by: dict[str, list[str]] = {}
        self.threshold_by: dict[str, list[str]] = {}
        self._final = False

    # -- building --------------------------------------------------------------------
    def add_class(self, name, n_classes, level="within"):
        if name in self.class_names:
            raise SpecificationError(f"class variable {name!r} is declared twice")
        self.classes.append(ClassVariable(name, int(n_classes), level))
        return self

    def add_outcome(self, name, family="normal", trials=None, residual_by=(),
                    threshold_by=()):
        if name in self.outcome_names:
            raise SpecificationError(f"outcome {name!r} is declared twice")
        fam = get_family(family)
        self.outcomes.append(Outcome(name, fam, trials))
        self.residual_by[name] = list(residual_by)
        self.threshold_by[name] = list(threshold_by)
        return self

    def add_block(self, name, effects, level="cluster", covariance="free", by=()):
        if any(b.name == name for b in self.blocks):
            raise SpecificationError(f"latent block {name!r} is declared twice")
        self.blocks.append(LatentBlock(name, list(effects), level, covariance, list(by)))
        return self

    def add_term(self, target, column="1", latent=None, by=(), name=None, category=None,
                 fixed=None):
        self.terms.append(Term(target, column, latent, list(by), name, category, fixed))
        return self

    # -- lookups ---------------------------------------------------------------------
    @property
    def outcome_names(self):
        return [o.name for o in self.outcomes]

    @property
    def class_names(self):
        return [c.name for c in self.classes]

    @property
    def within_classes(self):
        return [c for c in self.classes if c.level == "within"]

    @property
    def between_classes(self):
        return [c for c in self.classes if c.level == "between"]

    def class_var(self, name):
        for c in self.classes:
            if c.name == name:
                return c
        raise SpecificationError(
            f"class variable {name!r} is used but not declared; declare it in classes="
        )

    def effect_block(self, effect):
        for b in self.blocks:
            if effect in b.effects:
                return b, b.effects.index(effect)
        raise SpecificationError(f"latent variable {effect!r} is used but not defined")

    @property
    def n_between_patterns(self):
        return int(np.prod([c.n_classes for c in self.between_classes] or [1]))

    @property
    def n_within_patterns(self):
        return int(np.prod([c.n_classes for c in self.within_classes] or [1]))

    def patterns(self):
        """All joint class patterns in kernel order: index d*C + c.

        Returns a list of dicts {class name: 0-based class}.
        """
        order = self.between_classes + self.within_classes
        grids = itertools.product(*[range(c.n_classes) for c in order])
        return [dict(zip([c.name for c in order], g, strict=True)) for g in grids]

    def n_channels_of(self, outcome):
        n_cat = getattr(outcome, "n_categories", 2)
        return outcome.family.n_channels(n_cat)

    def columns(self):
        """Design columns the terms use (besides the constant)."""
        cols = []
        for t in self.terms:
            if t.column != "1" and t.column not in cols:
                cols.append(t.column)
        return cols

    # -- finalising -----------------------------------------------------------------
    def finalize(self, n_categories):
        """Check the specification and build the parameter table.

        ``n_categories`` maps each categorical outcome to its number of
        categories (the data decide it).  Sets :attr:`groups`,
        :attr:`term_slots` and the family parameter slots.
        """
        for o in self.outcomes:
            o.n_categories = int(n_categories.get(o.name, 2))
        self._check()
        self.groups: list[ParamGroup] = []
        self._group_index: dict[str, tuple[int, int]] = {}
        pats = self.patterns()
        self.term_slots = []  # list of (term, channel offset, monomial, slots[DC])
        for t in self.terms:
            self._expand_term(t, pats)
        self._family_slots(pats)
        self._final = True
        return self

    def _check(self):
        names = set(self.outcome_names) | set(self.class_names)
        for t in self.terms:
            if t.target not in names:
                raise SpecificationError(
                    f"term for {t.target!r}: no outcome or class variable of that name"
                )
            for b in t.by:
                self.class_var(b)
            if t.target in self.class_names:
                cv = self.class_var(t.target)
                if t.target in t.by:
                    raise SpecificationError(
                        f"class variable {t.target!r} cannot predict itself"
                    )
                for b in t.by:
                    if cv.level == "between" and self.class_var(b).level == "within":
                        raise SpecificationError(
                            f"between class variable {t.target!r} cannot depend on the "
                            f"within class variable {b!r}; regress {b!r} on "
                            f"{t.target!r} instead"
                        )
                if t.latent is not None:
                    blk, _ = self.effect_block(t.latent)
                    if cv.level == "between" or blk.level == "row":
                        raise SpecificationError(
                            f"random effects in the logit of {t.target!r} must be cluster "
                            "random effects of a within class variable"
                        )
            if t.latent is not None:
                self.effect_block(t.latent)
        for b in self.blocks:
            for v in b.by:
                if self.class_var(v).level != "between":
                    raise SpecificationError(
                        f"the covariance of {b.name!r} can depend only on between class "
                        f"variables, not on {v!r}"
                    )
        order = self.class_names
        for t in self.terms:  # recursive system: a class may depend on earlier ones only
            if t.target in self.class_names:
                for b in t.by:
                    if order.index(b) > order.index(t.target) and (
                        self.class_var(b).level == self.class_var(t.target).level
                    ):
                        raise SpecificationError(
                            f"class variable {t.target!r} depends on {b!r}, which is "
                            "declared after it; declare class variables in causal order"
                        )

    def _new_group(self, kind, names, values, free=True):
        for n in names:
            if n in self._group_index:
                return self._group_index[n]  # an existing parameter of that name
        self.groups.append(ParamGroup(kind, list(names), np.asarray(values, float), free))
        gi = len(self.groups) - 1
        for k, n in enumerate(names):
            self._group_index[n] = (gi, k)
        return gi, 0

    def _channels(self, target):
        """(first channel key, number of logit channels) of an outcome or class variable."""
        if target in self.class_names:
            return self.class_var(target).n_classes - 1
        o = self.outcomes[self.outcome_names.index(target)]
        return self.n_channels_of(o)

    def _expand_term(self, t, pats):
        n_ch = self._channels(t.target)
        chans = range(n_ch) if t.category is None else [t.category]
        is_class = t.target in self.class_names
        base = t.name or (f"{t.target}~{t.column}" if t.latent is None else
                          f"{t.target}~{t.column}*{t.latent}")
        blk = None
        if t.latent is not None:
            blk, k_eff = self.effect_block(t.latent)
        for ch in chans:
            if is_class:
                cname = f"{t.target}#{ch + 1}"
                label = base.replace(t.target, cname, 1) if base.startswith(t.target) else base
            elif n_ch > 1:
                label = base.replace(t.target, f"{t.target}#{ch + 1}", 1)
            else:
                label = base
            if blk is not None and blk.covariance == "free":
                # coef fixed at 1 times b_k = sum_l L_kl z_l
                for l_ in range(k_eff + 1):
                    slots = []
                    for pat in pats:
                        slots.append(self._chol_slot(blk, k_eff, l_, pat))
                    self.term_slots.append((t, ch, (blk, l_), list(slots)))
                continue
            slots = []
            for pat in pats:
                sub = {b: pat[b] for b in t.by}
                if t.fixed is not None:
                    slots.append(float(t.fixed))
                    continue
                name = label + class_suffix(sub)
                slots.append(self._new_group("coef", [name], [0.0]))
            latent = None if blk is None else (blk, k_eff)
            self.term_slots.append((t, ch, latent, list(slots)))

    def _chol_slot(self, blk, k, l_, pat):
        sub = {b: pat[b] for b in blk.by}
        names = []
        q = blk.dim
        for a in range(q):
            for b in range(a + 1):
                if a == b:
                    names.append(f"Var({blk.effects[a]})" + class_suffix(sub))
                else:
                    names.append(f"Cov({blk.effects[b]},{blk.effects[a]})" + class_suffix(sub))
        start = np.eye(q)[np.tril_indices(q)] * 1.0
        gi, _ = self._new_group("covariance", names, start)
        return ("chol", gi, k * (k + 1) // 2 + l_)

    def _family_slots(self, pats):
        self.family_slots = {}
        for o in self.outcomes:
            n_par = o.family.n_params(o.n_categories)
            if n_par == 0:
                continue
            slots = []
            kind = o.family.param_kind  # "thresholds" or "variance"
            by = (self.threshold_by if kind == "thresholds" else self.residual_by)[o.name]
            for pat in pats:
                sub = {b: pat[b] for b in by}
                names = o.family.param_names(o.name, n_par, class_suffix(sub))
                slots.append(self._new_group(kind, names, o.family.param_start(n_par)))
            self.family_slots[o.name] = slots

    # -- the parameter table --------------------------------------------------------
    @property
    def param_names(self):
        return [n for g in self.groups for n in g.names]

    def group_of(self, name):
        try:
            return self._group_index[name]
        except KeyError:
            raise SpecificationError(
                f"no parameter named {name!r}; see model.param_names"
            ) from None

    def __repr__(self):
        return (f"ModelSpec(outcomes={self.outcome_names}, classes="
                f"{[(c.name, c.n_classes, c.level) for c in self.classes]}, "
                f"blocks={[b.name for b in self.blocks]}, terms={len(self.terms)})")

