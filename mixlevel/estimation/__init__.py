"""Estimation: EM, quasi-Newton on the marginal log-likelihood, random starts.

The paper's section 10: random starting values with partial optimisation of
all initial sets and complete optimisation of the best few; EM (monotone with
non-adaptive rules thanks to the Cholesky parameterisation) followed by a
quasi-Newton method with the exact gradient (Fisher's identity).

Everything here works on the free *working* vector of an engine.
"""

from .bfgs import quasi_newton
from .covariance import outer_product
from .em_algorithm import em, m_step
from .labels import canonical_order, pattern_posterior
from .optimize import FitOutcome, check_fit_options, default_em_iter, maximize, settle_nodes
from .starts import random_posterior_start, run_starts

__all__ = ["FitOutcome", "check_fit_options", "default_em_iter", "em", "m_step",
           "quasi_newton", "maximize", "settle_nodes", "random_posterior_start", "run_starts",
           "pattern_posterior", "canonical_order", "outer_product"]
