"""The likelihood engine: parameters to kernel arrays, E-step, exact gradient and scores."""

from .engine import Engine, EStep

__all__ = ["Engine", "EStep"]
