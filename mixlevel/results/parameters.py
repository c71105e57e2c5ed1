"""Parameter metadata of a fitted model: section, equation, classes, label, kind.

One row per free parameter (:attr:`MixtureResults.parameter_info`), read by the
summary's parameter tables and by the exports.
"""

from __future__ import annotations

__all__ = ["ParametersMixin"]


class ParametersMixin:
    """Builds :attr:`parameter_info` from the model's parameter layout."""

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
        return model.layout.info_frame(model.param_names).drop(columns="role")
