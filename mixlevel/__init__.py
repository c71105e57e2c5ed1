"""mixlevel: multilevel mixture models (Asparouhov & Muthen) for Python.

The model is described by a :class:`ModelSpec` (outcomes, class variables,
latent blocks, terms) and fitted by :class:`MixtureModel`, a statsmodels
likelihood model.  See the README for an example.
"""

__version__ = "0.1.0.dev0"

from . import families
from .compare import compare, lrt
from .errors import EstimationWarning, MixlevelError, SpecificationError
from .model import MixtureModel
from .results import MixtureResults
from .spec import ModelSpec

__all__ = [
    "__version__",
    "families",
    "ModelSpec",
    "MixtureModel",
    "MixtureResults",
    "compare",
    "lrt",
    "MixlevelError",
    "SpecificationError",
    "EstimationWarning",
]
