"""The likelihood engine: parameters to kernel arrays, E-step, exact gradient and scores."""

from .chain import ChainEngine, chain_reason, is_two_level
from .chain_cluster import ChainClusterEngine, two_level_engine
from .engine import Engine, EStep

__all__ = ["Engine", "EStep", "ChainEngine", "ChainClusterEngine", "make_engine"]


def make_engine(layout, design, table, integration=None, n_points=None, adaptive=None,
                n_points_within=None, seed=0, num_threads=None):
    """The engine of a model: a chain engine for latent Markov chains, else :class:`Engine`.

    A single-level latent Markov chain (:func:`~mixlevel.engine.chain.chain_reason`
    empty) has no latent variables to integrate, so the integration options do
    not apply to it; given anyway, they select the enumerating engine.  A
    two-level chain (clusters, random class-logit intercepts, between class
    variables) is integrated by :class:`ChainClusterEngine` with the rule the
    options give (the logit-window rule is the enumerating engine's alone).
    """
    options = (integration, n_points, adaptive, n_points_within)
    if not chain_reason(layout, design):
        if is_two_level(layout, design):
            eng = two_level_engine(layout, design, table, integration=integration,
                                   n_points=n_points, adaptive=adaptive,
                                   n_points_within=n_points_within, seed=seed,
                                   num_threads=num_threads)
            if eng is not None:
                return eng
        elif all(o is None for o in options):
            return ChainEngine(layout, design, table, num_threads=num_threads)
    return Engine(layout, design, table, integration=integration, n_points=n_points,
                  adaptive=adaptive, n_points_within=n_points_within, seed=seed,
                  num_threads=num_threads)
