"""mixlevel: multilevel mixture models (Asparouhov & Muthen) for Python.

A model is written in the formula language (:func:`mixture`) or as a
:class:`ModelSpec` (outcomes, class variables, latent blocks, terms), and
fitted by :class:`MixtureModel`, a statsmodels likelihood model.  See the
README for an example.
"""

__version__ = "0.1.0.dev0"

from . import families
from .api import Between, Within, mixture, parameter_table, response_patterns
from .errors import EstimationWarning, MixlevelError, SpecificationError
from .formula import FormulaError
from .inference import compare, icc, lrt, r_squared
from .inference.enumeration import bootstrap_lrt, enumerate_classes, lmr_test
from .inference.stepwise import three_step
from .model import MixtureModel
from .models import IRT, FactorMixture, GoM, GradeOfMembership, LatentMarkov, lta
from .results import MixtureResults
from .simulation import montecarlo, simulate
from .spec import ModelSpec

__all__ = [
    "__version__",
    "families",
    "mixture",
    "Between",
    "Within",
    "parameter_table",
    "response_patterns",
    "FormulaError",
    "ModelSpec",
    "MixtureModel",
    "lta",
    "GoM",
    "IRT",
    "FactorMixture",
    "GradeOfMembership",
    "LatentMarkov",
    "MixtureResults",
    "compare",
    "lrt",
    "icc",
    "r_squared",
    "enumerate_classes", "lmr_test", "bootstrap_lrt", "three_step",
    "simulate",
    "montecarlo",
    "MixlevelError",
    "SpecificationError",
    "EstimationWarning",
]
