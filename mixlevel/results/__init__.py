"""Results of a fitted model (statsmodels style)."""

from .results import MixtureResults, MixtureResultsWrapper, MixtureSummary

__all__ = ["MixtureResults", "MixtureResultsWrapper", "MixtureSummary"]
