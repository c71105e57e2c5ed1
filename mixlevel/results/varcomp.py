"""Variance components as standard deviations and correlations (lme4's ``VarCorr``).

The parameters of a random-effect block are variances and covariances
(``Var(1|g)``, ``Cov(1|g,x|g)``); lme4 and MixedLM users read them as
standard deviations and correlations, with the residual SD of each normal
outcome.  :meth:`VarCompMixin.var_components` gives that view with
delta-method standard errors (computed on the working scale, so that no step
leaves the parameter space) and Wald intervals; the summary prints it below the
parameter tables.  Wald tests of a variance are not valid on its boundary
(0): use :func:`mixlevel.inference.lrt`, whose p-value is the mixture
chi-square of Self and Liang (1987).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["VarCompMixin"]


def _split_effects(inner):
    """``"1|g,x|g"`` -> ``["1|g", "x|g"]`` (commas inside brackets kept)."""
    out, depth, cur = [], 0, ""
    for ch in inner:
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        if ch == "," and depth == 0:
            out.append(cur)
            cur = ""
        else:
            cur += ch
    return out + [cur]


class VarCompMixin:
    """:meth:`var_components`: standard deviations and correlations."""

    def _var_component_rows(self):
        """(group, classes, name, kind, variance-parameter names) per component."""
        info = self.parameter_info
        names = list(self.model.param_names)
        rows = []
        blocks = {}
        for n in names:
            if info.loc[n, "section"] == "covariance":
                blocks.setdefault((info.loc[n, "equation"], info.loc[n, "classes"]), []).append(n)
        for (group, classes), members in blocks.items():
            var = {}
            for n in members:
                label = info.loc[n, "label"]
                if label.startswith("Var("):
                    var[label[4:-1]] = n
            for n in members:
                label = info.loc[n, "label"]
                if label.startswith("Var("):
                    rows.append((group, classes, label[4:-1], "sd", (n,)))
                elif label.startswith("Cov("):
                    a, b = _split_effects(label[4:-1])
                    if a in var and b in var:
                        rows.append((group, classes, f"{a},{b}", "cor", (n, var[a], var[b])))
        for n in names:
            if info.loc[n, "kind"] == "variance" and info.loc[n, "section"] == "outcome":
                rows.append(("Residual", info.loc[n, "classes"], info.loc[n, "equation"], "sd",
                             (n,)))
        return rows

    def var_components(self, alpha=0.05):
        """Standard deviations and correlations of the random effects and residuals.

        Parameters
        ----------
        alpha : float
            Level of the Wald intervals (computed for the variance and mapped
            to the SD, so they stay positive; correlations on Fisher's z scale).

        Returns
        -------
        pandas.DataFrame
            One row per component: ``group`` (the random-effect block, or
            "Residual"), ``classes``, ``name`` (an effect, or two for a
            correlation), ``kind`` ("sd" or "cor"), ``variance`` (the variance
            or covariance parameter), ``estimate``, ``se`` (delta method),
            ``lower``, ``upper``.  As lme4's ``VarCorr`` for the estimates.
        """
        from scipy import stats

        def compute():
            rows = self._var_component_rows()
            if not rows:
                raise ValueError("the model has no variance components (random effects or "
                                 "normal outcomes)")

            def func(p):
                out = []
                for *_, kind, pn in rows:
                    if kind == "sd":
                        out.append(np.sqrt(max(p[pn[0]], 0.0)))
                    else:
                        out.append(p[pn[0]] / np.sqrt(p[pn[1]] * p[pn[2]]))
                return np.array(out)

            tab = self.delta_method(func, names=[f"{r[0]}:{r[2]}" for r in rows], alpha=alpha)
            est, se = tab["estimate"].to_numpy(), tab["se"].to_numpy()
            q = stats.norm.ppf(1 - alpha / 2)
            params = pd.Series(np.asarray(self.params, float), index=self.model.param_names)
            lower, upper = np.empty(len(rows)), np.empty(len(rows))
            for i, (*_, kind, pn) in enumerate(rows):
                if kind == "sd":  # Wald interval of the variance on the log scale, as SDs
                    v = params[pn[0]]
                    half = q * 2 * se[i] / est[i] if est[i] > 0 else np.inf
                    lower[i] = np.sqrt(v * np.exp(-half)) if est[i] > 0 else 0.0
                    upper[i] = np.sqrt(v * np.exp(half)) if est[i] > 0 else np.nan
                else:
                    z, sz = np.arctanh(est[i]), se[i] / (1 - est[i] ** 2)
                    lower[i], upper[i] = np.tanh(z - q * sz), np.tanh(z + q * sz)
            return pd.DataFrame({
                "group": [r[0] for r in rows], "classes": [r[1] for r in rows],
                "name": [r[2] for r in rows], "kind": [r[3] for r in rows],
                "variance": [float(params[r[4][0]]) for r in rows],
                "estimate": est, "se": se, "lower": lower, "upper": upper})
        return self._cached(("var_components", alpha), compute).copy()

    def _var_component_table(self, stub_width):
        """The summary's table of SDs and correlations (None without random effects)."""
        from .summary import _fmt, _title_table

        if not self.model.spec.blocks or not self._var_component_rows():
            return None    # e.g. factors (identity blocks) of binary items: no SDs to show
        tab = self.var_components()
        stubs, data = [], []
        for _, r in tab.iterrows():
            cls = "" if r["classes"] == "all" else f" [{r['classes']}]"
            label = (f"SD({r['name']})" if r["kind"] == "sd" else f"Corr({r['name']})")
            label = (label if r["group"] != "Residual" else f"SD(residual {r['name']})") + cls
            stubs.append(label[:stub_width].ljust(stub_width))
            data.append([_fmt(r["variance"], 4), _fmt(r["estimate"], 4), _fmt(r["se"], 4),
                         _fmt(r["lower"], 4), _fmt(r["upper"], 4)])
        headers = ["(co)var", "SD / corr", "std err", "[lower", "upper]"]
        return _title_table("Random effects: standard deviations and correlations "
                            "(lme4's VarCorr)", data, headers, stubs)
