"""The formula language: text -> statements -> model specification.

:mod:`~mixlevel.formula.parse` reads the text (no data involved);
:mod:`~mixlevel.formula.compile` turns the statements and the data into a
:class:`~mixlevel.spec.ModelSpec` plus design columns (built by formulaic,
whose fitted model specs are kept for new data).  Neither knows anything of
estimation; :func:`mixlevel.api.mixture` builds the model.

Modules by topic:

* parsing: ``parse`` (statement grammars), ``scan`` (statements, brackets,
  name lists), ``terms`` (right-hand side terms), ``bars`` (random terms),
  ``parsed`` (the result classes), ``messages`` (:class:`FormulaError`);
* compiling: ``compile`` (:func:`compile_formula`), ``arguments``
  (``classes=``, ``family=``), ``names`` (outcomes, class order, cluster),
  ``pieces`` (formulaic formulas, design columns), ``rows`` (missing rows,
  clusters), ``coefficients`` (the spec), ``compiled`` (the result),
  ``context`` (the names the expressions use).
"""

from .compile import Between, CompiledFormula, Within, compile_formula
from .parse import FormulaError, ParsedFormula, parse_formula

__all__ = ["Between", "Within", "CompiledFormula", "compile_formula", "FormulaError",
           "ParsedFormula", "parse_formula"]
