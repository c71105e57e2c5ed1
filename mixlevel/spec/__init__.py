"""The model specification (data-free) and its parameter table."""

from .layout import ParamGroup, ParamLayout, class_suffix
from .model_spec import ClassVariable, LatentBlock, ModelSpec, Outcome, Term
from .table import ParamTable
from .transforms import to_natural, to_working, working_jacobian

__all__ = ["ClassVariable", "LatentBlock", "ModelSpec", "Outcome", "ParamGroup", "Term",
           "class_suffix", "ParamLayout", "ParamTable", "to_natural", "to_working", "working_jacobian"]
