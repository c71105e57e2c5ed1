"""Inference on fitted models: comparisons, likelihood ratio tests, derived quantities."""

from .compare import compare, lrt
from .derived import icc, r_squared

__all__ = ["compare", "lrt", "icc", "r_squared"]
