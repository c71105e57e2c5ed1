"""Numerical integration over normal latent variables."""

from . import quadrature
from .quadrature import KINDS, Rule, adapt, canonical_kind, make_rule, posterior_moments

__all__ = ["quadrature", "KINDS", "Rule", "adapt", "canonical_kind", "make_rule",
           "posterior_moments"]
