"""The parameter table: free, fixed and equal parameters over the spec's groups.

The transforms between the natural and the working scale are in
:mod:`mixlevel.spec.transforms`.
"""

from __future__ import annotations

import fnmatch

import numpy as np

from ..errors import SpecificationError
from .transforms import to_natural, to_working, tril_indices, vech_dim, working_jacobian

__all__ = ["ParamTable"]


class ParamTable:
    """Free / fixed / equal bookkeeping over a spec's parameter groups.

    Parameters
    ----------
    groups : sequence of ParamGroup
        The groups of a :class:`~mixlevel.spec.layout.ParamLayout`; their start
        values are read, never changed (fixed values live in :attr:`values`).
    fix : dict, optional
        ``{name or glob pattern: value}`` on the natural scale.
    equal : list of tuples, optional
        Tuples of names (or patterns) whose parameters are set equal.  Whole
        groups (thresholds, covariance blocks) are equal when their first
        names are given.
    """

    def __init__(self, groups, fix=None, equal=None):
        self.groups = tuple(groups)
        self.offsets = np.cumsum([0] + [g.size for g in groups])
        self.names = [n for g in groups for n in g.names]
        self.values = np.concatenate([g.values for g in groups] or [np.zeros(0)]).astype(float)
        self.index = {n: i for i, n in enumerate(self.names)}
        self.alias = list(range(len(groups)))  # group -> group whose values it takes
        self.fixed = np.array([not g.free for g in groups])
        for first, *rest in equal or []:
            a = self._groups_matching(first)
            for other in rest:
                for gb, ga in zip(self._groups_matching(other), a, strict=False):
                    self._make_equal(ga, gb)
        for pattern, value in (fix or {}).items():
            for gi in self._groups_matching(pattern):
                g = groups[gi]
                val = np.broadcast_to(np.asarray(value, float), (g.size,)).copy()
                if not np.isfinite(val).all():
                    raise SpecificationError(f"fix={{{pattern!r}: {value!r}}}: a fixed value "
                                             "must be a finite number")
                if g.kind == "variance" and (val <= 0).any() or g.kind == "covariance" and (
                        val[[k * (k + 3) // 2 for k in range(self._q(g))]] < 0).any():
                    raise SpecificationError(f"{pattern!r}: a variance cannot be negative")
                self.values[self.offsets[gi]:self.offsets[gi + 1]] = val
                self.fixed[gi] = True
        self.free_groups = [gi for gi in range(len(groups))
                            if self.alias[gi] == gi and not self.fixed[gi]]
        self.free_index = np.concatenate(
            [np.arange(self.offsets[gi], self.offsets[gi + 1]) for gi in self.free_groups]
            or [np.zeros(0, int)]).astype(int)
        self.free_names = [self.names[i] for i in self.free_index]
        # where each full working element takes its value from
        self.source = np.concatenate([
            np.arange(self.offsets[self.alias[gi]], self.offsets[self.alias[gi] + 1])
            for gi in range(len(groups))] or [np.zeros(0, int)]).astype(int)

        self._transformed = [gi for gi, g in enumerate(groups) if g.kind != "coef"]
        self._free_transformed, pos = [], 0
        for gi in self.free_groups:
            n = groups[gi].size
            if groups[gi].kind != "coef":
                self._free_transformed.append((gi, slice(pos, pos + n)))
            pos += n
        self._aggregate = np.zeros((len(self.names), len(self.free_index)))
        pos = {full: k for k, full in enumerate(self.free_index)}
        for k, src in enumerate(self.source):
            if src in pos:
                self._aggregate[k, pos[src]] = 1.0

    @staticmethod
    def _q(g):
        return vech_dim(g.size)

    def _groups_matching(self, pattern):
        hits = [i for i, n in enumerate(self.names) if n == pattern]
        if not hits:
            hits = [i for i, n in enumerate(self.names) if fnmatch.fnmatchcase(n, pattern)]
        if not hits:
            raise SpecificationError(
                f"no parameter matches {pattern!r}; see model.param_names for the names"
            )
        groups = []
        for i in hits:
            gi = int(np.searchsorted(self.offsets, i, side="right") - 1)
            if gi not in groups:
                groups.append(gi)
        return groups

    def _make_equal(self, ga, gb):
        A, B = self.groups[ga], self.groups[gb]
        if A.kind != B.kind or A.size != B.size:
            raise SpecificationError(
                f"cannot set {B.names[0]!r} equal to {A.names[0]!r}: they are "
                "different kinds of parameters"
            )
        root = ga
        while self.alias[root] != root:
            root = self.alias[root]
        for gi, al in enumerate(self.alias):
            if al == gb:
                self.alias[gi] = root
        self.alias[gb] = root

    # -- vectors ---------------------------------------------------------------------
    @property
    def n_free(self):
        return len(self.free_index)

    def natural_full(self):
        """Natural values of all parameters: fixed values, start values elsewhere."""
        return self.values.copy()

    def expand_natural(self, free_nat):
        """All groups' natural values from the free natural vector."""
        full = self.natural_full()
        full[self.free_index] = free_nat
        return full[self.source]

    def working_full(self, full_nat):
        """All groups' working values from their natural values."""
        out = np.array(full_nat, float, copy=True)  # coefficients: identity
        for gi in self._transformed:
            s = slice(self.offsets[gi], self.offsets[gi + 1])
            out[s] = to_working(self.groups[gi].kind, full_nat[s])
        return out

    def _map_free(self, vec, transform):
        out = np.array(vec, float, copy=True)  # coefficients: identity
        for gi, s in self._free_transformed:
            out[s] = transform(self.groups[gi].kind, vec[s])
        return out

    def free_natural_from_working(self, free_work):
        return self._map_free(free_work, to_natural)

    def free_working_from_natural(self, free_nat):
        return self._map_free(free_nat, to_working)

    def full_working_from_free_working(self, free_work):
        return self.working_full(self.expand_natural(self.free_natural_from_working(free_work)))

    def working_signs(self, free_work):
        """Signs that carry a gradient on the canonical working scale to ``free_work``.

        The natural values, and from them the kernel's working values, do not
        depend on the sign of a column of a Cholesky factor; the kernel's L has
        a positive diagonal.  Where the optimiser's L has a negative diagonal
        element, the gradient in that column changes sign.
        """
        signs = np.ones(len(free_work))
        for gi, s in self._free_transformed:
            if self.groups[gi].kind != "covariance":
                continue
            q = self._q(self.groups[gi])
            rows, cols = tril_indices(q)
            diag = np.asarray(free_work[s], float)[rows == cols]
            signs[s] = np.where(diag[cols] < 0, -1.0, 1.0)
        return signs

    def reduce_gradient(self, g_full):
        """Gradient on the full working vector -> gradient on the free working vector.

        Equal groups add up; fixed groups drop out.  Works on (..., n_full).
        """
        return g_full @ self._aggregate

    def natural_gradient(self, g_free_work, free_work):
        """Chain rule: gradient on the free working vector -> on the free natural vector."""
        out = np.empty_like(g_free_work)
        pos = 0
        for gi in self.free_groups:
            g = self.groups[gi]
            s = slice(pos, pos + g.size)
            pos += g.size
            if g.kind == "coef":  # identity
                out[..., s] = g_free_work[..., s]
                continue
            if g.kind == "variance":  # d nat / d work = nat: a division, no solve
                out[..., s] = g_free_work[..., s] / np.exp(free_work[s])
                continue
            jac = working_jacobian(g.kind, free_work[s])  # d nat / d work
            # g_work = jac' g_nat  =>  g_nat = jac'^-1 g_work; at a variance of zero the
            # Cholesky Jacobian is singular: the least-squares solution is used there
            rhs = g_free_work[..., s].T
            try:
                sol = np.linalg.solve(jac.T, rhs)
            except np.linalg.LinAlgError:
                sol = np.linalg.lstsq(jac.T, rhs, rcond=None)[0]
            out[..., s] = sol.T
        return out

    def table(self):
        """One row per parameter: name, kind, status (free / fixed / equal to ...)."""
        import pandas as pd

        rows = []
        for gi, g in enumerate(self.groups):
            for k, n in enumerate(g.names):
                if self.alias[gi] != gi:
                    status = f"= {self.groups[self.alias[gi]].names[k]}"
                elif self.fixed[gi]:
                    status = "fixed"
                else:
                    status = "free"
                rows.append({"name": n, "kind": g.kind, "status": status,
                             "value": self.values[self.offsets[gi] + k]})
        return pd.DataFrame(rows)
