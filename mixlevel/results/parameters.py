"""Parameter metadata of a fitted model: section, equation, classes, label, kind.

One row per free parameter (:attr:`MixtureResults.parameter_info`), read by the
summary's parameter tables and by the exports.
"""

from __future__ import annotations

import pandas as pd

from ..families import Ordinal
from ..spec import class_suffix
from .classes import _label

__all__ = ["ParametersMixin"]


def _strip_suffix(name, assign):
    suffix = class_suffix(assign)
    if suffix and name.endswith(suffix):
        return name[: -len(suffix)]
    return name


class ParametersMixin:
    """Builds :attr:`parameter_info` from the model's specification and table."""

    @property
    def parameter_info(self):
        """One row per free parameter: section, equation, classes, label, kind.

        ``section`` is "outcome" (outcome equations), "class" (class logits) or
        "covariance" (random-effect variances and covariances); ``classes`` the
        class pattern the parameter belongs to ("all" when it is shared).
        """
        return self._cached("parameter_info", self._build_parameter_info)

    def _build_parameter_info(self):
        model = self.model
        spec, tab = model.spec, model.table
        pats = spec.patterns()
        order = self._class_order
        info = {}

        def ordered(assign):
            return {k: assign[k] for k in order if k in assign}

        for t, _ch, latent, slots in spec.term_slots:
            for pat, slot in zip(pats, slots, strict=True):
                if not isinstance(slot, tuple):
                    continue
                if slot[0] == "chol":
                    blk = latent[0]
                    assign = ordered({b: pat[b] for b in blk.by})
                    for n in tab.groups[slot[1]].names:
                        info.setdefault(n, ("covariance", blk.name, assign, "covariance"))
                else:
                    gi, kk = slot
                    n = tab.groups[gi].names[kk]
                    sec = "class" if t.target in spec.class_names else "outcome"
                    assign = ordered({b: pat[b] for b in t.by})
                    info.setdefault(n, (sec, t.target, assign, tab.groups[gi].kind))
        for o in spec.outcomes:
            by = (spec.threshold_by if isinstance(o.family, Ordinal) else spec.residual_by)
            by = by.get(o.name, [])
            for pat, slot in zip(pats, spec.family_slots.get(o.name, []), strict=False):
                gi = slot[0]
                assign = ordered({b: pat[b] for b in by})
                for n in tab.groups[gi].names:
                    info.setdefault(n, ("outcome", o.name, assign, tab.groups[gi].kind))
        rows = []
        for n in model.param_names:
            sec, eq, assign, kind = info.get(n, ("other", "", {}, "coef"))
            rows.append({"name": n, "section": sec, "equation": eq, "classes": _label(assign),
                         "label": _strip_suffix(n, assign), "kind": kind,
                         "_assign": tuple(assign.items())})
        return pd.DataFrame(rows).set_index("name")
