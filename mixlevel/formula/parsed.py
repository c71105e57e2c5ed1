"""What parsing returns: plain data (strings and tuples), no data and no estimation.

A :class:`ParsedFormula` holds its statements (:class:`Regression`,
:class:`Measurement`); a regression holds :class:`FixedTerm` and
:class:`RandomTerm` objects, whose data parts are :class:`Factor` tuples.
Equal formulas give equal objects, and ``render`` writes each piece back as
canonical formula text (:meth:`ParsedFormula.to_text`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .scan import _NAME, _is_call

__all__ = ["Factor", "FixedTerm", "RandomTerm", "Regression", "Measurement", "ParsedFormula"]


@dataclass(frozen=True)
class Factor:
    """One factor of a formulaic term: ``expr`` evaluated by ``kind``.

    kind: "lookup" (a column name), "python" (an expression such as
    ``np.log(x)`` or ``C(g)``) or "literal".
    """

    expr: str
    kind: str = "lookup"

    def render(self):
        if self.kind == "python":
            return self.expr if _is_call(self.expr) else "{" + self.expr + "}"
        if self.kind == "lookup" and not _NAME.match(self.expr):
            return "`" + self.expr + "`"
        return self.expr


@dataclass(frozen=True)
class FixedTerm:
    """A term of a fixed part: class variables x latent factor x data factors.

    ``data == ()`` is the constant (intercept) part.  ``classes`` are the
    class variables the term was multiplied by (sorted), ``latent`` a factor
    name from an ``=~`` statement or None.
    """

    data: tuple = ()
    classes: tuple = ()
    latent: str | None = None

    def render(self):
        parts = list(self.classes) + ([self.latent] if self.latent else []) + [
            f.render() for f in self.data]
        return ":".join(parts) if parts else "1"


@dataclass(frozen=True)
class RandomTerm:
    """``(effects | group)`` (correlated) or ``(effects || group)`` (uncorrelated).

    ``effects`` is a tuple of data-factor tuples, ``()`` the random intercept.
    """

    effects: tuple
    group: str
    correlated: bool = True
    text: str = field(default="", compare=False)

    def render(self):
        has_one = () in self.effects
        others = [":".join(f.render() for f in t) for t in self.effects if t != ()]
        lhs = " + ".join((["1"] if has_one else ["0"]) + others)
        group = self.group if _NAME.match(self.group) else f"`{self.group}`"
        return f"({lhs} {'|' if self.correlated else '||'} {group})"


@dataclass(frozen=True)
class Regression:
    """``lhs ~ rhs``: outcome equations, a class logit or class-specific variances.

    kind: "outcome" (lhs are outcomes), "class" (lhs is one class variable:
    its multinomial logit) or "variance" (``var(y) ~ c``).
    """

    lhs: tuple
    terms: tuple
    random: tuple = ()
    kind: str = "outcome"
    text: str = field(default="", compare=False)
    number: int = field(default=0, compare=False)

    @property
    def has_intercept(self):
        """Whether the fixed part has the constant term ``1``."""
        return FixedTerm() in self.terms

    def render(self):
        lhs = " + ".join(self.lhs)
        if self.kind == "variance":
            lhs = f"var({lhs})"
        parts = ["1" if self.has_intercept else "0"]
        parts += [t.render() for t in self.terms
                  if not (t.data == () and t.latent is None and not t.classes)]
        parts += [r.render() for r in self.random]
        return f"{lhs} ~ {' + '.join(parts)}"


@dataclass(frozen=True)
class Measurement:
    """``factor =~ indicator + ...`` (variance 1, loadings free).

    ``group`` is None for a row-level factor (one value per row), or the
    grouping column of a cluster-level factor, ``factor =~ (c + u | person)``
    (one value per cluster: the person factor of the restricted GoM, eq. 35,
    and of the FMA-GoM, eq. 38-41), whose indicators may be class variables
    (their K - 1 logits load on it).
    """

    factor: str
    indicators: tuple
    text: str = field(default="", compare=False)
    number: int = field(default=0, compare=False)
    group: str | None = None

    def render(self):
        inds = " + ".join(self.indicators)
        if self.group is None:
            return f"{self.factor} =~ {inds}"
        group = self.group if _NAME.match(self.group) else f"`{self.group}`"
        return f"{self.factor} =~ ({inds} | {group})"


@dataclass(frozen=True)
class ParsedFormula:
    """The statements of a formula, with the class variables it was parsed against."""

    statements: tuple
    class_names: tuple = ()

    @property
    def factor_names(self):
        """The factors of the ``=~`` statements, in order."""
        return tuple(s.factor for s in self.statements if isinstance(s, Measurement))

    def regressions(self, kind=None):
        """The ``~`` statements, or those of one kind ("outcome", "class", "variance")."""
        return [s for s in self.statements if isinstance(s, Regression)
                and (kind is None or s.kind == kind)]

    def measurements(self):
        """The ``=~`` statements."""
        return [s for s in self.statements if isinstance(s, Measurement)]

    def cluster_factors(self):
        """The cluster-level ``=~`` statements (``f =~ (... | group)``)."""
        return [s for s in self.measurements() if s.group is not None]

    def to_text(self):
        """A canonical formula that parses back to an equal object."""
        return "\n".join(s.render() for s in self.statements)

    def __str__(self):
        return self.to_text()
