"""Checks on the data: numeric columns, the rows kept, and the clusters.

:class:`RowsMixin` drops rows with missing covariates, cluster, trials or
weights (missing outcomes are kept: FIML) with a warning that says how many
and why, and checks that the clusters can carry the model's cluster-level
parameters.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..data.checks import check_numeric_column
from ..utils.warn import warn_user
from .messages import FormulaError, _error
from .pieces import _variables

__all__ = ["RowsMixin"]


class RowsMixin:
    """Row and cluster checks of the compiler (:class:`~mixlevel.formula.compile._Builder`).

    :meth:`row_mask` reads ``pieces``, ``outcomes``, ``families``,
    ``cluster``, ``weights`` and ``trials_arg`` and sets ``kept``,
    ``n_dropped``, ``trials`` and (for arrays) ``weights`` and ``cluster_weights``;
    :meth:`check_clusters` runs last, on ``columns`` and the random-effect
    blocks.
    """

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
            if not self.families[o].categorical:  # categories may be text
                check_numeric_column(self.data, o, "outcome")

    def row_mask(self):
        """Drop rows with missing covariates, cluster, trials or weights (with a warning)."""
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
        for what in ("weights", "cluster_weights"):
            w = getattr(self, what)
            if w is None:
                continue
            if isinstance(w, str):
                if w not in data.columns:
                    raise FormulaError(f"{what}={w!r} is not a column of the data")
                add(pd.to_numeric(data[w], errors="coerce").isna().to_numpy(),
                    f"{what} {w!r}")
            else:
                w = np.asarray(w, float)
                if w.shape != (n,):
                    raise FormulaError(f"{what}= has {w.size} values for {n} rows")
                add(~np.isfinite(w), what)
                setattr(self, what, w)
        if drop.all():
            raise FormulaError("no rows are left after dropping rows with missing "
                               "covariates: " + "; ".join(reasons))
        if drop.any():
            warn_user(
                f"{int(drop.sum())} of {n} rows dropped: " + "; ".join(reasons)
                + " (missing outcomes are kept (FIML); covariates, cluster, trials and "
                "weights must be complete)", UserWarning)
        self.n_dropped = int(drop.sum())
        self.kept = data.loc[~drop]
        for what in ("weights", "cluster_weights"):
            w = getattr(self, what)
            if w is not None and not isinstance(w, str):
                setattr(self, what, w[~drop])

    def check_clusters(self):
        """Between-class predictors constant in clusters; enough clusters for the model."""
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
                        raise _error(st, f"{label!r} varies within clusters of "
                                     f"{self.cluster!r}, so it cannot predict the between "
                                     f"class variable {st.lhs[0]!r}",
                                     hint="use a cluster-level covariate such as its cluster "
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
