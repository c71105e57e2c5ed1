"""The :class:`~mixlevel.spec.ModelSpec` of a formula: coefficients and random effects.

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

Random terms follow lme4: the effects of one term are correlated, those of
different terms independent (``re_cov="full"``: all correlated).
"""

from __future__ import annotations

import itertools
import warnings

from ..spec import ModelSpec, class_suffix
from .messages import _error

__all__ = ["CoefficientsMixin"]


def _maximal(sets):
    """Maximal class sets (by inclusion), largest first, then by first appearance."""
    uniq = []
    for s in sets:
        if s not in uniq:
            uniq.append(s)
    maxi = [s for s in uniq if not any(set(s) < set(o) for o in uniq)]
    return sorted(maxi, key=lambda s: (-len(s), uniq.index(s)))


class CoefficientsMixin:
    """Spec building of the compiler (:class:`~mixlevel.formula.compile._Builder`).

    Reads ``parsed``, ``pieces``, ``classes``, ``sorted_classes``,
    ``outcomes``, ``families``, ``trials``, ``re_cov`` and the kept rows;
    sets ``spec``, ``n_random`` and ``block_sizes`` and adds the reference
    cells of additive class effects to ``fix``.
    """

    def n_channels(self, target):
        """Number of linear predictors of an outcome or class logit (K - 1 for K classes)."""
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
        """Class variables in their declared order."""
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
                    raise _error(st, f"the thresholds of the ordinal outcome {target!r} "
                                 "depend on separate class variables "
                                 f"({' and '.join(':'.join(m) for m in maxi)})",
                                 hint="write their interaction, e.g. "
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
                        raise _error(
                            st, f"the class effects on {target!r} "
                            f"({' + '.join(':'.join(x) or '1' for x in maxi)}) cannot be "
                            "coded", hint="write the interaction of the class variables, e.g. "
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
        """Fix at 0 the cells where every class variable of ``new`` is at its last class
        (the reference of an additive class effect)."""
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
                                raise _error(st, f"the random effect {eff} is given twice "
                                             f"(also in statement {seen[eff].number})",
                                             hint="list each random effect once")
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
        """The ModelSpec: classes, outcomes, coefficients, loadings, random effects."""
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
        # a loading given in an outcome equation (u ~ c * f: class-specific) replaces the
        # measurement's f=~u; both would add two loadings of u on f (not identified)
        in_equations = {(u, t.latent) for st in self.parsed.regressions("outcome")
                        for t in st.terms if t.latent is not None for u in st.lhs}
        for m in self.parsed.measurements():
            level = "row" if m.group is None else "cluster"
            spec.add_block(m.factor, [m.factor], level=level, covariance="identity")
            for u in m.indicators:
                if u in self.classes:  # one loading per logit (restricted GoM, eq. 35)
                    self._check_one_logit_effect(u, m)
                    for ch in range(self.n_channels(u)):
                        spec.add_term(u, "1", latent=m.factor, category=ch,
                                      name=f"{m.factor}=~{u}#{ch + 1}")
                elif (u, m.factor) not in in_equations:
                    spec.add_term(u, "1", latent=m.factor, name=f"{m.factor}=~{u}")
        self.random_effects(spec)
        self.spec = spec

    def _check_one_logit_effect(self, c, m):
        """A class logit measured by a cluster factor cannot have random intercepts too."""
        st = next((s for s in self.parsed.regressions("class") if s.lhs[0] == c), None)
        for r in (st.random if st is not None else ()):
            if () in r.effects:
                raise _error(st, f"the logits of {c!r} have the random intercepts "
                             f"{r.text} and load on the cluster-level factor {m.factor!r} "
                             f"(statement {m.number}, {m.text!r}): their variances and "
                             "the loadings are not identified together",
                             hint=f"keep one: {r.text} (the unrestricted GoM, eq. 34) or "
                             f"{m.factor} =~ ({c} | {m.group}) (the restricted GoM, eq. 35)")
