"""The likelihood engine: parameters to kernel arrays, E-step, exact gradient and scores."""

from .chain import ChainEngine, chain_reason
from .engine import Engine, EStep

__all__ = ["Engine", "EStep", "ChainEngine", "make_engine"]


def make_engine(layout, design, table, integration=None, n_points=None, adaptive=None,
                n_points_within=None, seed=0, num_threads=None):
    """The engine of a model: the chain engine for latent Markov chains, else :class:`Engine`.

    A latent Markov chain (:func:`~mixlevel.engine.chain.chain_reason` empty)
    has no latent variables to integrate, so the integration options do not
    apply to it; given anyway, they select the enumerating engine.
    """
    options = (integration, n_points, adaptive, n_points_within)
    if all(o is None for o in options) and not chain_reason(layout, design):
        return ChainEngine(layout, design, table, num_threads=num_threads)
    return Engine(layout, design, table, integration=integration, n_points=n_points,
                  adaptive=adaptive, n_points_within=n_points_within, seed=seed,
                  num_threads=num_threads)
