"""The names a formula uses: outcomes, class variables and the cluster column.

:class:`NamesMixin` checks every name against the data and the declared
classes (suggesting close names), orders the class variables so that a class
comes after the classes that predict it, and finds the cluster column from
the random terms or ``cluster=``.
"""

from __future__ import annotations

from ..utils.warn import warn_user
from .arguments import _families
from .messages import FormulaError, _error, _suggest, _unknown
from .parsed import Measurement, Regression

__all__ = ["NamesMixin"]


class _GroupOf:
    """A cluster-level factor seen as a random term (its ``text`` names it in errors)."""

    def __init__(self, m):
        self.text = f"of the factor {m.factor!r}"


class NamesMixin:
    """Name checks of the compiler (:class:`~mixlevel.formula.compile._Builder`).

    Reads ``parsed``, ``data``, ``classes``, ``class_order``, ``family_arg``
    and ``cluster_arg``; sets ``outcomes``, ``families``, ``sorted_classes``
    and ``cluster``.
    """

    def check_names(self):
        """Check every name against the data and the classes; find the outcomes and
        their families."""
        data, parsed = self.data, self.parsed
        cols = set(data.columns)
        for name in self.class_order:
            if name in cols:
                warn_user(f"the class variable {name!r} hides the data column of the "
                          "same name in the formula", UserWarning)
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
                    if u in self.classes:
                        used.add(u)  # its logits load on a cluster-level factor
                    elif u not in cols:
                        raise _error(st, f"the indicator {u!r} is not a column of the "
                                     "data", hint=_suggest(u, list(map(str, cols))) or None)
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
                if n not in outs and n not in self.classes:
                    outs.append(n)
        self.outcomes = outs
        self.families = _families(self.family_arg, outs)
        for st in parsed.regressions("variance"):
            for n in st.lhs:
                if self.families[n].param_kind != "variance":
                    raise _error(st, f"var({n}): {n!r} is {self.families[n].name}",
                                 hint="only normal outcomes have a residual variance")

    def order_classes(self):
        """Order the class variables so that each follows the classes predicting it."""
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
                    raise _error(st, f"the between class variable {c!r} is predicted by "
                                 f"the within class variable {b!r}",
                                 hint=f"a between class varies only across clusters; write "
                                 f"{b} ~ {c} instead")
            if st.random and lev == "between":
                raise _error(st, f"the between class variable {c!r} has a random term",
                             hint="a between class is constant in a cluster; for a "
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
        """The cluster column: the random terms' grouping column or ``cluster=``."""
        groups = {}
        for st in self.parsed.regressions():
            for r in st.random:
                groups.setdefault(r.group, (st, r))
        for m in self.parsed.cluster_factors():
            groups.setdefault(m.group, (m, _GroupOf(m)))
        if len(groups) > 1:
            names = list(groups)
            raise FormulaError(
                f"random terms or cluster-level factors group by {names[0]!r} and by "
                f"{names[1]!r}; mixlevel models have two levels, so every random term and "
                "cluster-level factor must use the same grouping column")
        cluster = self.cluster_arg
        if groups:
            g, (st, r) = next(iter(groups.items()))
            if g not in self.data.columns:
                raise _error(st, f"the grouping column {g!r} of the random term "
                             f"{r.text} is not in the data",
                             hint=_suggest(g, list(map(str, self.data.columns))) or
                             "add the cluster id column to the data")
            if cluster is not None and cluster != g:
                raise _error(st, f"the random term {r.text} groups by {g!r} but "
                             f"cluster={cluster!r}", hint="use one cluster column")
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
