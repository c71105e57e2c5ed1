"""Simulation from a model and Monte Carlo studies."""

from .montecarlo import montecarlo
from .simulate import simulate

__all__ = ["montecarlo", "simulate"]
