"""Exports: the parameter table, fit statistics, and the whole result as a
dictionary, JSON or one long DataFrame."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
from scipy import stats

__all__ = ["ExportMixin"]


def _jsonable(obj):
    """Plain Python (NaN -> None) for json."""
    if isinstance(obj, dict):
        return {str(k): _jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_jsonable(v) for v in obj]
    if isinstance(obj, np.ndarray):
        return _jsonable(obj.tolist())
    if isinstance(obj, (np.bool_, bool)):
        return bool(obj)
    if isinstance(obj, (np.integer,)):
        return int(obj)
    if isinstance(obj, (float, np.floating)):
        v = float(obj)
        return None if not np.isfinite(v) else v
    if obj is pd.NA or obj is None:
        return None
    return obj


def _records(frame):
    return _jsonable(frame.reset_index().to_dict(orient="records"))


class ExportMixin:
    """:meth:`params_frame`, :meth:`fit_statistics`, :meth:`to_dict`, :meth:`to_json`,
    :meth:`to_frame`."""

    def params_frame(self, alpha=0.05):
        """Parameters with their equation, class and inference, one row each."""
        info = self.parameter_info.drop(columns=["_assign"])
        ci = self.conf_int(alpha)
        frame = info.copy()
        frame["estimate"] = np.asarray(self.params)
        frame["se"] = np.asarray(self.bse)
        frame["z"] = np.asarray(self.tvalues)
        frame["pvalue"] = np.asarray(self.pvalues)
        frame["lower"] = np.asarray(ci)[:, 0]
        frame["upper"] = np.asarray(ci)[:, 1]
        return frame

    def fit_statistics(self):
        """Fit statistics as a Series."""
        return pd.Series({
            "loglike": self.llf, "n_params": self.k_params, "aic": self.aic, "bic": self.bic,
            "abic": self.abic, "entropy": self.entropy, "nobs": self.nobs,
            "n_clusters": self.n_clusters, "converged": self.converged,
            "iterations": self.iterations,
            "best_loglike_replicated": self.best_loglike_replicated,
            "n_final_starts": int(self._final_starts().shape[0]),
        }, dtype=object)

    def to_dict(self):
        """The whole result as plain Python objects (JSON-ready; NaN as None)."""
        model = self.model
        spec = model.spec
        # as fitted: after remove_data() the engine (on no rows) is not adaptive
        adaptive = model.engine.rule.adaptive and model.engine.kl.qb > 0
        out = {
            "model": {
                "outcomes": [{"name": o.name, "family": o.family.name, "link": o.family.link}
                             for o in spec.outcomes],
                "classes": [{"name": c.name, "n_classes": c.n_classes, "level": c.level}
                            for c in spec.classes],
                "blocks": [{"name": b.name, "effects": list(b.effects), "level": b.level,
                            "covariance": b.covariance, "by": list(b.by)}
                           for b in spec.blocks],
                "nobs": self.nobs, "n_clusters": self.n_clusters,
                "cluster": model.cluster,
                "integration": {"integration": model.engine.rule.kind,
                                "n_points": model.engine.rule.n_points,
                                "adaptive": adaptive,
                                "n_points_within": model.engine.rule.n_points_within,
                                "default": model.engine.rule.default},
                "cov_type": self.cov_type,
            },
            "fit": _jsonable(self.fit_statistics().to_dict()),
            "params": _records(self.params_frame()),
            "cov_params": {"names": list(model.param_names),
                           "matrix": _jsonable(np.asarray(self.cov_params()))},
            "start_table": _records(self.start_table) if not self.start_table.empty else [],
            "notes": self._notes(),
        }
        if spec.classes and self._joint_patterns_shown:  # not for latent Markov chains
            out["joint_proportions"] = _records(self.class_proportions_table(joint=True))
            ct = self.classification_table
            out["classification_table"] = {"classes": list(ct.columns),
                                           "matrix": _jsonable(ct.to_numpy())}
        if spec.classes:
            out["class_proportions"] = _records(self.class_proportions_table())
            out["transitions"] = [
                {"source": s, "target": t, "table": _records(self._cached(
                    ("transition", s, t), lambda s=s, t=t: self.transition_table(s, t, se=True)))}
                for s, t in self._dependencies()]
        out["profiles"] = _records(self.profiles.astype(object))
        return _jsonable(out)

    def to_json(self, path=None, **kwargs):
        """:meth:`to_dict` as JSON text; written to ``path`` when given."""
        kwargs.setdefault("indent", 1)
        text = json.dumps(self.to_dict(), **kwargs)
        if path is not None:
            with open(path, "w", encoding="utf-8") as fh:
                fh.write(text)
        return text

    def to_frame(self):
        """The whole result as one long DataFrame.

        Columns: section ("fit", "param", "proportion", "joint_proportion",
        "transition", "profile"), name, classes, estimate, se, z, pvalue,
        lower, upper.
        """
        parts = []
        fit = self.fit_statistics()
        parts.append(pd.DataFrame({"section": "fit", "name": fit.index, "classes": "",
                                   "estimate": pd.to_numeric(fit.values, errors="coerce")}))
        pf = self.params_frame()
        parts.append(pd.DataFrame({"section": "param", "name": pf.index,
                                   "classes": pf["classes"].to_numpy(),
                                   **{c: pf[c].to_numpy() for c in
                                      ["estimate", "se", "z", "pvalue", "lower", "upper"]}}))
        q = stats.norm.ppf(0.975)
        if self.model.spec.classes:
            sections = [("proportion", self.class_proportions_table())]
            if self._joint_patterns_shown:  # not for latent Markov chains
                sections.append(("joint_proportion", self.class_proportions_table(joint=True)))
            for sec, tab in sections:
                parts.append(pd.DataFrame({
                    "section": sec, "name": tab["variable"].to_numpy(), "classes": tab.index,
                    "estimate": tab["model"].to_numpy(), "se": tab["se"].to_numpy(),
                    "lower": (tab["model"] - q * tab["se"]).to_numpy(),
                    "upper": (tab["model"] + q * tab["se"]).to_numpy()}))
            for s, t in self._dependencies():
                tr = self._cached(("transition", s, t),
                                  lambda s=s, t=t: self.transition_table(s, t, se=True))
                parts.append(pd.DataFrame({
                    "section": "transition", "name": f"{t}|{s}", "classes": tr.index,
                    **{c: tr[c].to_numpy() for c in
                       ["estimate", "se", "z", "pvalue", "lower", "upper"]}}))
        pr = self.profiles
        parts.append(pd.DataFrame({
            "section": "profile",
            "name": [self.model.spec.outcomes[self.model.spec.outcome_names.index(
                o)].family.value_label(o, c)
                for o, c in zip(pr["outcome"], pr["category"], strict=True)],
            "classes": pr["classes"].to_numpy(),
            **{c: pr[c].to_numpy() for c in ["estimate", "se", "lower", "upper"]}}))
        frame = pd.concat(parts, ignore_index=True)
        cols = ["section", "name", "classes", "estimate", "se", "z", "pvalue", "lower", "upper"]
        return frame.reindex(columns=cols)
