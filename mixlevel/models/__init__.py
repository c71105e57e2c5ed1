"""Ready-made model constructors over the one engine (LCA, LTA, GoM, factor mixture, IRT).

Each constructor builds a formula or :class:`~mixlevel.spec.ModelSpec` with the
defaults of its model family and returns a :class:`~mixlevel.model.MixtureModel`;
derived quantities specific to the family live beside it.
"""

from .factor_mixture import FactorMixture, FactorMixtureModel
from .gom import GoM, GradeOfMembership
from .irt import IRT, ItemResponseModel
from .lta import LatentMarkov, lta

__all__ = ["lta", "LatentMarkov", "GoM", "GradeOfMembership", "IRT", "ItemResponseModel",
           "FactorMixture", "FactorMixtureModel"]
