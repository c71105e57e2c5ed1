"""Parsed statements + data -> :class:`~mixlevel.spec.ModelSpec` + design columns.

The design columns are built by formulaic from each statement's *remainder
formula* (its terms with the class variables and factors taken out); the
fitted formulaic model specs are kept (:class:`CompiledFormula`), so new data
get the training transforms (``center(x)`` keeps the training mean, ``C(g)``
the training levels).

How terms become coefficients (see docs/formula.rst):

* the terms of an equation are grouped by their remainder (and factor); a
  remainder's coefficients are specific to the union of the class variables
  it was multiplied by: ``y ~ c * x`` has the terms ``1, c, x, c:x``, so the
  intercept and the slope of ``x`` are specific to ``c``;
* a remainder whose columns formulaic coded as contrasts against a smaller
  remainder (``C(g)`` against the intercept) passes its class variables on to
  that remainder, so the model spans exactly what formulaic's term algebra
  spans (``y ~ C(g):c`` = cell means of g by c);
* class-specific coefficients are cell means (one per class), never
  contrasts.  Two separate class sets (``y ~ c1 + c2``) are additive: cell
  means of the first plus deviations of the second, whose last class is the
  reference (fixed at 0).
"""

from __future__ import annotations

import difflib
import fnmatch
import itertools
import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..data.checks import check_numeric_column, check_unique_columns
from ..families import get_family
from ..spec import ModelSpec, class_suffix
from .context import formula_context
from .messages import FormulaError, _clean
from .parse import parse_formula
from .parsed import Measurement, ParsedFormula, Regression

__all__ = ["Between", "Within", "CompiledFormula", "compile_formula"]


class Within:
    """Declare a within-level class variable with ``n_classes`` classes (the default)."""

    level = "within"

    def __init__(self, n_classes):
        self.n_classes = n_classes

    def __repr__(self):
        return f"{type(self).__name__}({self.n_classes})"

    def __eq__(self, other):
        return type(self) is type(other) and self.n_classes == other.n_classes

    def __hash__(self):
        return hash((type(self).__name__, self.n_classes))


class Between(Within):
    """Declare a between-level class variable: one class per cluster.

    ``classes={"d": mixlevel.Between(2)}``.
    """

    level = "between"


def _declare_classes(classes):
    """{name: int | Within | Between} -> [(name, k, level)]."""
    if classes is None:
        return []
    if not isinstance(classes, dict):
        raise FormulaError("classes= must be a dict such as {'c': 2} or "
                           "{'d': mixlevel.Between(2)}")
    out = []
    for name, val in classes.items():
        if not isinstance(name, str) or not name.isidentifier():
            raise FormulaError(f"class variable name {name!r} must be a plain name "
                               "(letters, digits, underscores)")
        if isinstance(val, Within):
            k, level = val.n_classes, val.level
        else:
            k, level = val, "within"
        if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 1:
            raise FormulaError(f"classes={{{name!r}: {val!r}}}: the number of classes must "
                               "be a whole number >= 1, e.g. {'c': 2} or "
                               "{'d': mixlevel.Between(2)}")
        out.append((name, int(k), level))
    return out


# ---------------------------------------------------------------------------------------
# formulaic pieces
# ---------------------------------------------------------------------------------------
def _formulaic_formula(data_terms):
    from formulaic import Formula
    from formulaic.parser.types import Factor as FFactor
    from formulaic.parser.types import Term as FTerm

    terms = []
    for dt in data_terms:
        if dt == ():
            terms.append(FTerm([FFactor("1", eval_method="literal")]))
        else:
            terms.append(FTerm([FFactor(f.expr, eval_method=f.kind) for f in dt]))
    return Formula(terms)


def _variables(data_terms):
    """(name, roles) of the variables the data factors use.

    formulaic's ``required_variables`` misses the arguments of stateful
    transforms (``center(x)`` gives nothing in 1.2.2), so each expression is
    read here.
    """
    from formulaic.utils.variables import get_expression_variables

    out = []
    for dt in data_terms:
        for f in dt:
            if f.kind == "lookup":
                out.append((f.expr, {"value"}))
            elif f.kind == "python":
                for v in get_expression_variables(f.expr, {}):
                    out.append((str(v), {getattr(r, "value", str(r)) for r in v.roles}))
    return out


def _term_key(factors):
    """Key of one of our remainder tuples (matches :func:`_fterm_key`)."""
    if not factors:
        return frozenset({("1", "literal")})
    return frozenset((f.expr, f.kind) for f in factors)


def _fterm_key(term):
    """Key of a formulaic term."""
    return frozenset((str(f.expr), getattr(f.eval_method, "value", str(f.eval_method)))
                     for f in term.factors)


@dataclass
class Piece:
    """One materialised formulaic formula: a fixed part or a random term's effects."""

    statement: Regression
    what: str                      # "the right-hand side" or the random term's text
    data_terms: list               # remainder tuples in order
    formula: object = None         # formulaic Formula
    model_spec: object = None      # fitted formulaic ModelSpec (for new data)
    columns: dict = field(default_factory=dict)   # remainder -> [(label, key)]
    categorical: set = field(default_factory=set)  # factor exprs coded as categories
    variables: list = field(default_factory=list)   # (name, roles) used by the factors
    keys: dict = field(default_factory=dict)      # formulaic column name -> design key


@dataclass
class CompiledFormula:
    """What the formula compiled to: spec, kept rows, design columns, formulaic specs.

    Attributes
    ----------
    spec : ModelSpec
    data : DataFrame
        The rows kept (rows with missing covariates, cluster, trials or
        weights dropped; missing outcomes kept).
    columns : dict
        Design columns by key (the keys the spec's terms use).
    cluster : str or None
    weights : str, array or None
    fix : dict
        Fixed values the formula itself implies (reference cells of additive
        class effects).
    pieces : list of Piece
        The formulaic formulas and their fitted model specs.
    context : FormulaContext
        The names the formulaic expressions use (user functions, modules)
        with their values, taken from the namespace where the model was
        built; picklable (:mod:`mixlevel.formula.context`).
    """

    text: str
    parsed: ParsedFormula
    spec: ModelSpec
    data: pd.DataFrame
    columns: dict
    cluster: str | None
    weights: object
    fix: dict
    pieces: list
    context: object = None
    n_dropped: int = 0

    def design_columns(self, data):
        """The design columns of new data with the training transforms and levels.

        Returns a dict keyed like :attr:`columns` (the model's terms), one
        array per column, in the rows of ``data``.
        """
        if not isinstance(data, pd.DataFrame):
            raise FormulaError("new data must be a pandas DataFrame")
        check_unique_columns(data, "the new data")
        out = {}
        for p in self.pieces:
            try:
                mm = p.model_spec.get_model_matrix(data, context=self.context,
                                                   na_action="ignore")
            except Exception as exc:
                raise FormulaError(
                    f"statement {p.statement.number} ({p.statement.text!r}): cannot build "
                    f"the columns of {p.what} for new data: {_clean(exc)}") from None
            for name, key in p.keys.items():
                if key != "1":
                    out[key] = np.asarray(mm[name], float)
        return out

    transform = design_columns


# ---------------------------------------------------------------------------------------
# compile
# ---------------------------------------------------------------------------------------
def _stmt_err(st, msg, hint=None):
    text = f"statement {st.number} ({st.text!r}): {msg}"
    return FormulaError(text + (f"; {hint}" if hint else ""))


def _suggest(name, options):
    close = difflib.get_close_matches(str(name), [str(o) for o in options], n=3)
    return f"did you mean {' or '.join(map(repr, close))}?" if close else ""


def _unknown(st, name, data, class_names, where="on the right-hand side"):
    cols = list(map(str, data.columns))
    sug = _suggest(name, cols + list(class_names))
    shown = ", ".join(cols[:15]) + (", ..." if len(cols) > 15 else "")
    if where != "on the right-hand side" and len(st.lhs) > 1:
        return _stmt_err(st, f"the outcome {name!r} is not a column of the data",
                         (sug + " " if sug else "") + f"the data have {shown}")
    return _stmt_err(
        st, f"{name!r} {where} is neither a column of the data nor a declared class "
        "variable",
        (sug + " " if sug else "") + f"declare class variables with classes={{{name!r}: 2}} "
        f"or fix the name (the data have {shown})")


def _families(family, outcomes):
    """family= (one for all, or a dict of names / glob patterns) -> {outcome: Family}."""
    if isinstance(family, dict):
        out = {}
        for key in family:
            if not isinstance(key, str):
                raise FormulaError(f"family= keys must be outcome names, not {key!r}")
            hits = [o for o in outcomes if o == key] or \
                [o for o in outcomes if fnmatch.fnmatchcase(o, key)]
            if not hits:
                raise FormulaError(f"family= names {key!r}, which is not an outcome of the "
                                   f"formula (outcomes: {', '.join(outcomes)})")
            fam = get_family(family[key])
            for o in hits:
                out.setdefault(o, fam)
        return {o: out.get(o, get_family("normal")) for o in outcomes}
    fam = get_family(family)
    return {o: fam for o in outcomes}


def _maximal(sets):
    """Maximal class sets (by inclusion), largest first, then by first appearance."""
    uniq = []
    for s in sets:
        if s not in uniq:
            uniq.append(s)
    maxi = [s for s in uniq if not any(set(s) < set(o) for o in uniq)]
    return sorted(maxi, key=lambda s: (-len(s), uniq.index(s)))


class _Builder:
    def __init__(self, text, parsed, data, classes, family, cluster, weights, trials,
                 re_cov, context):
        self.text, self.parsed, self.data = text, parsed, data
        self.classes = {n: (k, lev) for n, k, lev in classes}
        self.class_order = [n for n, _, _ in classes]
        self.family_arg, self.cluster_arg = family, cluster
        self.weights, self.trials_arg, self.re_cov = weights, trials, re_cov
        self.context = context
        self.fix = {}
        self.pieces = []

    # -- checks without data ---------------------------------------------------------
    def check_names(self):
        data, parsed = self.data, self.parsed
        cols = set(data.columns)
        for name in self.class_order:
            if name in cols:
                warnings.warn(f"the class variable {name!r} hides the data column of the "
                              "same name in the formula", UserWarning, stacklevel=5)
        for f in parsed.factor_names:
            if f in cols:
                raise FormulaError(f"the factor {f!r} has the name of a data column; "
                                   "rename the factor")
        used = set()
        for st in parsed.statements:
            if isinstance(st, Regression):
                for t in st.terms:
                    used.update(t.classes)
                if st.kind == "outcome":
                    for n in st.lhs:
                        if n not in cols:
                            raise _unknown(st, n, data, self.class_order,
                                           where="on the left-hand side")
            else:
                for u in st.indicators:
                    if u not in cols:
                        raise _stmt_err(st, f"the indicator {u!r} is not a column of the "
                                        "data", _suggest(u, list(map(str, cols))) or None)
        unused = [c for c in self.class_order if c not in used]
        if unused:
            c = unused[0]
            raise FormulaError(
                f"the class variable {c!r} is declared in classes= but no statement uses it; "
                f"put it on the right-hand side of the equations it shapes (e.g. "
                f"'u1 + u2 + u3 ~ {c}') or remove it from classes=")
        # outcomes in order of appearance
        outs = []
        for st in parsed.statements:
            names = st.lhs if isinstance(st, Regression) and st.kind == "outcome" else \
                st.indicators if isinstance(st, Measurement) else ()
            for n in names:
                if n not in outs:
                    outs.append(n)
        self.outcomes = outs
        self.families = _families(self.family_arg, outs)
        for st in parsed.regressions("variance"):
            for n in st.lhs:
                if self.families[n].param_kind != "variance":
                    raise _stmt_err(st, f"var({n}): {n!r} is {self.families[n].name}",
                                    "only normal outcomes have a residual variance")

    def order_classes(self):
        deps = {c: [] for c in self.class_order}
        stmt_of = {}
        for st in self.parsed.regressions("class"):
            c = st.lhs[0]
            stmt_of[c] = st
            for t in st.terms:
                for b in t.classes:
                    if b not in deps[c]:
                        deps[c].append(b)
            lev = self.classes[c][1]
            for b in deps[c]:
                if lev == "between" and self.classes[b][1] == "within":
                    raise _stmt_err(st, f"the between class variable {c!r} is predicted by "
                                    f"the within class variable {b!r}",
                                    f"a between class varies only across clusters; write "
                                    f"{b} ~ {c} instead")
            if st.random and lev == "between":
                raise _stmt_err(st, f"the between class variable {c!r} has a random term",
                                "a between class is constant in a cluster; for a "
                                "within-between class declare it within: "
                                f"classes={{{c!r}: 2}}")
        order, state = [], {}

        def visit(c, path):
            if state.get(c) == "done":
                return
            if state.get(c) == "active":
                cyc = " -> ".join(path + [c])
                raise FormulaError(f"the class variables depend on each other in a circle "
                                   f"({cyc}); drop one of these statements")
            state[c] = "active"
            for b in deps[c]:
                visit(b, path + [c])
            state[c] = "done"
            order.append(c)

        for c in self.class_order:
            visit(c, [])
        self.sorted_classes = order

    def find_cluster(self):
        groups = {}
        for st in self.parsed.regressions():
            for r in st.random:
                groups.setdefault(r.group, (st, r))
        if len(groups) > 1:
            names = list(groups)
            raise FormulaError(
                f"random terms group by {names[0]!r} and by {names[1]!r}; mixlevel models "
                "have two levels, so every random term must use the same grouping column")
        cluster = self.cluster_arg
        if groups:
            g, (st, r) = next(iter(groups.items()))
            if g not in self.data.columns:
                raise _stmt_err(st, f"the grouping column {g!r} of the random term "
                                f"{r.text} is not in the data",
                                _suggest(g, list(map(str, self.data.columns))) or
                                "add the cluster id column to the data")
            if cluster is not None and cluster != g:
                raise _stmt_err(st, f"the random term {r.text} groups by {g!r} but "
                                f"cluster={cluster!r}", "use one cluster column")
            cluster = g
        if cluster is not None and cluster not in self.data.columns:
            raise FormulaError(f"cluster={cluster!r} is not a column of the data"
                               + (f"; {_suggest(cluster, list(map(str, self.data.columns)))}"
                                  if _suggest(cluster, list(map(str, self.data.columns)))
                                  else ""))
        for c in self.class_order:
            if self.classes[c][1] == "between" and cluster is None:
                raise FormulaError(
                    f"the between class variable {c!r} needs clusters: give "
                    "cluster='<cluster id column>' (or a random term such as "
                    "(1 | school), whose grouping column becomes the cluster)")
        self.cluster = cluster

    # -- pieces and rows --------------------------------------------------------------
    def make_pieces(self):
        from formulaic.transforms import TRANSFORMS

        ctx = self.context or {}
        cols = set(self.data.columns)

        def known(name):
            root = name.split(".")[0]
            return (name in cols or name in ctx or name in TRANSFORMS or root in ctx
                    or root in TRANSFORMS or root in cols)

        for st in self.parsed.regressions():
            if st.kind == "variance":
                continue
            seen = []
            for t in st.terms:
                if t.data not in seen:
                    seen.append(t.data)
            st_pieces = [Piece(st, "the right-hand side", seen)]
            for r in st.random:
                st_pieces.append(Piece(st, f"the random term {r.text}", list(r.effects)))
            for p in st_pieces:
                try:
                    p.formula = _formulaic_formula(p.data_terms)
                    p.variables = _variables(p.data_terms)
                except Exception as exc:
                    raise _stmt_err(st, f"cannot read {p.what}: {_clean(exc)}") from None
                for name, roles in p.variables:
                    if st.kind == "outcome" and name in st.lhs:
                        where = "" if p.what == "the right-hand side" else f" (in {p.what})"
                        raise _stmt_err(st, f"the outcome {name!r} is also on the right-hand "
                                        f"side{where}: an outcome cannot predict itself",
                                        f"remove {name!r} from the right-hand side (for a "
                                        "lagged or baseline value, make a column of it)")
                    if known(name):
                        continue
                    if "callable" in roles:
                        raise _stmt_err(st, f"the function {name!r} in {p.what} is not "
                                        "defined", "define or import it where you call "
                                        "mixture(), or pass context={...}")
                    raise _unknown(st, name, self.data, self.class_order)
                self.pieces.append(p)

    def check_numeric(self):
        """Numbers with stray text (``"n/a"``, ``"12,5"``) in covariates and outcomes.

        formulaic would read such a column as categories; a column used only
        inside ``C(...)`` is meant as categories and is left alone.
        """
        cols = set(self.data.columns)
        for p in self.pieces:
            for dt in p.data_terms:
                for f in dt:
                    if f.kind == "lookup" and f.expr in cols:
                        check_numeric_column(self.data, f.expr)
                    elif f.kind == "python" and not f.expr.startswith("C("):
                        for name, _roles in _variables([(f,)]):
                            if name in cols:
                                check_numeric_column(self.data, name)
        for o in self.outcomes:
            if self.families[o].name not in ("ordinal", "nominal"):
                check_numeric_column(self.data, o, "outcome")

    def row_mask(self):
        data = self.data
        n = len(data)
        drop = np.zeros(n, bool)
        reasons = []
        variables = []
        for p in self.pieces:
            for name, _roles in p.variables:
                if name in data.columns and name not in variables:
                    variables.append(name)

        def add(mask, why):
            nonlocal drop
            mask = np.asarray(mask, bool)
            if mask.any():
                reasons.append(f"{int(mask.sum())} with missing {why}")
                drop |= mask

        for v in sorted(variables):
            add(data[v].isna().to_numpy(), repr(v))
        if self.cluster is not None:
            add(data[self.cluster].isna().to_numpy(), f"cluster {self.cluster!r}")
        self.trials = {}
        for o in self.outcomes:
            if not self.families[o].needs_trials:
                continue
            tr = self.trials_arg.get(o) if isinstance(self.trials_arg, dict) else \
                self.trials_arg
            if tr is None:
                raise FormulaError(f"the binomial outcome {o!r} needs a trials column: "
                                   f"trials={{{o!r}: 'n'}} (or trials='n' for all)")
            if tr not in data.columns:
                raise FormulaError(f"the trials column {tr!r} of {o!r} is not in the data")
            self.trials[o] = tr
            add(pd.to_numeric(data[tr], errors="coerce").isna().to_numpy(),
                f"trials {tr!r}")
        if isinstance(self.trials_arg, dict):
            for o in self.trials_arg:
                if o not in self.trials:
                    raise FormulaError(f"trials= names {o!r}, which is not a binomial outcome "
                                       "of the formula")
        w = self.weights
        if w is not None:
            if isinstance(w, str):
                if w not in data.columns:
                    raise FormulaError(f"weights={w!r} is not a column of the data")
                add(pd.to_numeric(data[w], errors="coerce").isna().to_numpy(),
                    f"weights {w!r}")
            else:
                w = np.asarray(w, float)
                if w.shape != (n,):
                    raise FormulaError(f"weights= has {w.size} values for {n} rows")
                add(~np.isfinite(w), "weights")
                self.weights = w
        if drop.all():
            raise FormulaError("no rows are left after dropping rows with missing "
                               "covariates: " + "; ".join(reasons))
        if drop.any():
            warnings.warn(
                f"{int(drop.sum())} of {n} rows dropped: " + "; ".join(reasons)
                + " (missing outcomes are kept (FIML); covariates, cluster, trials and "
                "weights must be complete)", UserWarning, stacklevel=5)
        self.n_dropped = int(drop.sum())
        self.kept = data.loc[~drop]
        if self.weights is not None and not isinstance(self.weights, str):
            self.weights = self.weights[~drop]

    def materialise(self):
        self.columns = {}
        for p in self.pieces:
            st = p.statement
            try:
                mm = p.formula.get_model_matrix(self.kept, context=self.context,
                                                na_action="raise")
            except Exception as exc:
                raise _stmt_err(st, f"cannot build the columns of {p.what}: {_clean(exc)}",
                                "check the columns and functions it uses") from None
            ms = mm.model_spec
            p.model_spec = ms
            for expr, (kind, _state) in ms.encoder_state.items():
                if getattr(kind, "value", str(kind)) == "categorical":
                    p.categorical.add(expr)
            by_key = {_fterm_key(t): sl for t, sl in ms.term_slices.items()}
            names = list(ms.column_names)
            for dt in p.data_terms:
                sl = by_key.get(_term_key(dt))
                cols = []
                for name in (names[sl] if sl is not None else []):
                    if name == "Intercept":
                        p.keys[name] = "1"
                        cols.append(("1", "1"))
                        continue
                    values = np.asarray(mm[name], float)
                    k = name
                    n = 1
                    while k in self.columns and not np.array_equal(
                            self.columns[k], values, equal_nan=True):
                        n += 1
                        k = f"{name}@{st.number}" + (f".{n}" if n > 2 else "")
                    self.columns[k] = values
                    p.keys[name] = k
                    cols.append((name, k))
                p.columns[dt] = cols

    # -- the spec ---------------------------------------------------------------------
    def n_channels(self, target):
        if target in self.classes:
            return self.classes[target][0] - 1
        fam = self.families[target]
        n_cat = 2
        if fam.categorical:  # the data decide the number of categories
            with warnings.catch_warnings():  # the design warns about unused categories
                warnings.simplefilter("ignore", UserWarning)
                _, lev = fam.encode(self.kept[target], target)
            n_cat = len(lev)
        return fam.n_channels(n_cat)

    def channel_labels(self, target, base):
        """Parameter base names per logit channel, as the spec labels them."""
        n_ch = self.n_channels(target)
        if target in self.classes or n_ch > 1:
            return [base.replace(target, f"{target}#{ch + 1}", 1) for ch in range(n_ch)]
        return [base]

    def sort_classes(self, cls):
        return sorted(cls, key=self.class_order.index)

    def coefficient_terms(self, spec, st, target):
        """Spec terms of one equation's fixed part (outcome or class target)."""
        piece = next(p for p in self.pieces if p.statement is st and
                     p.what == "the right-hand side")
        groups = {}
        order = []
        for t in st.terms:
            key = (t.latent, t.data)
            if key not in groups:
                groups[key] = []
                order.append(key)
            groups[key].append(tuple(t.classes))
        # pass class sets down to remainders coded as contrasts against them
        changed = True
        while changed:
            changed = False
            for (lat, big), sets in list(groups.items()):
                for (lat2, small), sets2 in groups.items():
                    if lat2 != lat or small == big or not set(small) < set(big):
                        continue
                    extra = set(big) - set(small)
                    if all(f.expr in piece.categorical for f in extra):
                        for s in sets:
                            if s not in sets2:
                                sets2.append(s)
                                changed = True
        ordinal = target in self.families and \
            self.families[target].param_kind == "thresholds"
        threshold_by = []
        for key in order:
            lat, data = key
            maxi = _maximal(groups[key])
            if ordinal and lat is None and data == ():
                if len(maxi) > 1:
                    raise _stmt_err(st, f"the thresholds of the ordinal outcome {target!r} "
                                    "depend on separate class variables "
                                    f"({' and '.join(':'.join(m) for m in maxi)})",
                                    "write their interaction, e.g. "
                                    f"{target} ~ {'*'.join(self.sort_classes(set().union(*maxi)))}")
                threshold_by = self.sort_classes(maxi[0])
                continue
            done = set()
            for i, m in enumerate(maxi):
                m = self.sort_classes(m)
                new = [c for c in m if c not in done]
                if i > 0:
                    inter = set(m) & done
                    if not new or not any(inter <= set(o) for o in maxi[:i]):
                        raise _stmt_err(
                            st, f"the class effects on {target!r} "
                            f"({' + '.join(':'.join(x) or '1' for x in maxi)}) cannot be "
                            "coded", "write the interaction of the class variables, e.g. "
                            f"{'*'.join(self.sort_classes(set().union(*maxi)))}")
                for label, colkey in piece.columns.get(data, []):
                    if lat is None:
                        base = f"{target}~{label}"
                    else:
                        base = f"{target}~{lat}" if label == "1" else \
                            f"{target}~{label}:{lat}"
                    spec.add_term(target, colkey, latent=lat, by=m, name=base)
                    if i > 0:
                        self._reference_fixes(target, base, m, new)
                done |= set(m)
        return threshold_by

    def _reference_fixes(self, target, base, by, new):
        ranges = [range(self.classes[c][0]) for c in by]
        for cells in itertools.product(*ranges):
            pat = dict(zip(by, cells, strict=True))
            if all(pat[c] == self.classes[c][0] - 1 for c in new):
                for lab in self.channel_labels(target, base):
                    self.fix[lab + class_suffix(pat)] = 0.0

    def random_effects(self, spec):
        """Blocks and terms of the random terms (lme4 semantics)."""
        outcome_targets = {}
        for st in self.parsed.regressions():
            if st.kind == "outcome" and st.random:
                for t in st.lhs:
                    for r in st.random:
                        outcome_targets.setdefault(r.group, set()).add(t)
        blocks = {}   # key -> [effect names]
        terms = []    # (target, colkey, effect, category)
        seen = {}
        for st in self.parsed.regressions():
            if st.kind == "variance":
                continue
            for t in st.lhs:
                n_ch = self.n_channels(t)
                multi = t in self.classes or n_ch > 1
                for ri, r in enumerate(st.random):
                    piece = next(p for p in self.pieces if p.statement is st and
                                 p.what == f"the random term {r.text}")
                    cols = [c for dt in r.effects for c in piece.columns.get(dt, [])]
                    only = not multi and outcome_targets.get(r.group) == {t}
                    for ch in range(n_ch):
                        q = f"{t}#{ch + 1}" if multi else t
                        for label, colkey in cols:
                            if only:
                                eff = f"{label}|{r.group}"
                            else:
                                eff = (q if label == "1" else f"{q}:{label}") + f"|{r.group}"
                            if eff in seen:
                                raise _stmt_err(st, f"the random effect {eff} is given twice "
                                                f"(also in statement {seen[eff].number})",
                                                "list each random effect once")
                            seen[eff] = st
                            if self.re_cov == "full":
                                key = ("full", r.group)
                            elif r.correlated:
                                key = (st.number, t, ri)
                            else:
                                key = (st.number, t, ri, eff)
                            blocks.setdefault(key, []).append(eff)
                            terms.append((t, colkey, eff, ch if multi else None))
        for k, effects in enumerate(blocks.values()):
            spec.add_block(f"re{k + 1}", effects, level="cluster", covariance="free")
        for t, colkey, eff, cat in terms:
            spec.add_term(t, colkey, latent=eff, category=cat)
        self.n_random = sum(len(e) for e in blocks.values())
        self.block_sizes = [len(e) for e in blocks.values()]

    def build_spec(self):
        spec = ModelSpec()
        for c in self.sorted_classes:
            spec.add_class(c, self.classes[c][0], self.classes[c][1])
        stmt_of = {}
        for st in self.parsed.regressions():
            for n in st.lhs:
                stmt_of[(st.kind, n)] = st
        residual_by = {}
        for st in self.parsed.regressions("variance"):
            cls = set()
            for t in st.terms:
                cls.update(t.classes)
            for n in st.lhs:
                residual_by[n] = self.sort_classes(cls)
        # outcome terms first (thresholds need to be known when the outcome is added)
        threshold_by = {}
        tmp = ModelSpec()  # collect terms, then copy after the outcomes are declared
        for o in self.outcomes:
            st = stmt_of.get(("outcome", o))
            if st is not None:
                threshold_by[o] = self.coefficient_terms(tmp, st, o)
            elif self.families[o].has_intercept:
                tmp.add_term(o, "1", name=f"{o}~1")
        for o in self.outcomes:
            spec.add_outcome(o, self.families[o], trials=self.trials.get(o),
                             residual_by=residual_by.get(o, ()),
                             threshold_by=threshold_by.get(o, ()))
        spec.terms.extend(tmp.terms)
        for c in self.sorted_classes:
            st = stmt_of.get(("class", c))
            if st is None:
                spec.add_term(c, "1", name=f"{c}~1")
            else:
                self.coefficient_terms(spec, st, c)
        for m in self.parsed.measurements():
            spec.add_block(m.factor, [m.factor], level="row", covariance="identity")
            for u in m.indicators:
                spec.add_term(u, "1", latent=m.factor, name=f"{m.factor}=~{u}")
        self.random_effects(spec)
        self.spec = spec

    # -- checks with data -------------------------------------------------------------
    def check_clusters(self):
        if self.cluster is None:
            return
        codes, labels = pd.factorize(self.kept[self.cluster], sort=True)
        counts = np.bincount(codes, minlength=len(labels))
        n_clusters = len(labels)
        between = {c for c, (k, lev) in self.classes.items() if lev == "between"}
        for st in self.parsed.regressions("class"):
            if st.lhs[0] not in between:
                continue
            piece = next(p for p in self.pieces if p.statement is st and
                         p.what == "the right-hand side")
            for cols in piece.columns.values():
                for label, key in cols:
                    if key == "1":
                        continue
                    x = self.columns[key]
                    lo = pd.Series(x).groupby(codes).transform("min").to_numpy()
                    hi = pd.Series(x).groupby(codes).transform("max").to_numpy()
                    if np.any(hi - lo > 1e-12 * (1 + np.abs(hi))):
                        raise _stmt_err(st, f"{label!r} varies within clusters of "
                                        f"{self.cluster!r}, so it cannot predict the between "
                                        f"class variable {st.lhs[0]!r}",
                                        "use a cluster-level covariate such as its cluster "
                                        "mean")
        if self.n_random and (counts <= 1).all():
            raise FormulaError(
                f"every cluster of {self.cluster!r} has a single row, so random effects "
                "cannot be told apart from the residual; is "
                f"{self.cluster!r} the right grouping column?")
        n_between = sum(q * (q + 1) // 2 for q in self.block_sizes)
        for c in between:
            n_between += self.classes[c][0] - 1
        if n_between and n_clusters <= n_between:
            raise FormulaError(
                f"the data have {n_clusters} clusters of {self.cluster!r} but the model has "
                f"{n_between} cluster-level parameters (random-effect variances and "
                "covariances, between class logits); simplify the between level or add "
                "clusters")


def compile_formula(formula, data, classes=None, family="normal", cluster=None,
                    weights=None, trials=None, re_cov="statement", context=None):
    """Compile formula text and data into a :class:`CompiledFormula`.

    Parameters
    ----------
    formula : str
        The statements (see docs/formula.rst).
    data : pandas.DataFrame
    classes : dict, optional
        ``{"c": 2}`` (within) or ``{"d": Between(2)}``.
    family : str, Family or dict
        One family for all outcomes or a dict ``{outcome or glob: family}``
        (outcomes not listed are normal).
    cluster : str, optional
        Cluster id column; inferred from the random terms' grouping column.
    weights : str or array, optional
        Frequency weights.
    trials : str or dict, optional
        Trials column of binomial outcomes.
    re_cov : {"statement", "full"}
        "statement": random effects of one random term are correlated, other
        random effects are independent (lme4); "full": all random effects of
        the grouping column are correlated.
    context : mapping, optional
        Names for formulaic to evaluate (captured at the public entry point);
        only those the formula's expressions use are kept.
    """
    if not isinstance(data, pd.DataFrame):
        raise FormulaError("data must be a pandas DataFrame")
    check_unique_columns(data)
    if re_cov not in ("statement", "full"):
        raise FormulaError(f"re_cov must be 'statement' or 'full', not {re_cov!r}")
    declared = _declare_classes(classes)
    parsed = parse_formula(formula, [n for n, _, _ in declared])
    b = _Builder(formula, parsed, data, declared, family, cluster, weights, trials, re_cov,
                 context)
    b.check_names()
    b.order_classes()
    b.find_cluster()
    b.make_pieces()
    # keep only the names the expressions use: a captured namespace does not pickle
    b.context = formula_context(context, [n for p in b.pieces for n, _ in p.variables],
                                data.columns)
    b.check_numeric()
    b.row_mask()
    b.materialise()
    b.build_spec()
    b.check_clusters()
    return CompiledFormula(text=formula, parsed=parsed, spec=b.spec, data=b.kept,
                           columns=b.columns, cluster=b.cluster, weights=b.weights,
                           fix=b.fix, pieces=b.pieces, context=b.context,
                           n_dropped=b.n_dropped)
