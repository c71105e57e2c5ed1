"""The kernel's inputs at one parameter vector (what :meth:`Engine.inputs` computes)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["KernelInputs", "TabulatedInputs"]


@dataclass(eq=False)
class TabulatedInputs:
    """Cell log-densities of the tabulated outcomes and the class prior at shared nodes.

    ``T`` (statistics, cells) are the tables, ``cache`` what
    :class:`~mixlevel.engine.tabulate.OutcomeTables` needs for gradients,
    ``U`` (G, H, M) the node monomials, ``logprior`` (D, G, C) the within
    class log-prior when it is tabulated (else None) and ``class_probs`` its
    per-variable class probabilities.
    """

    T: np.ndarray
    cache: list
    U: np.ndarray
    logprior: np.ndarray | None
    class_probs: list | None


@dataclass(eq=False)
class KernelInputs:
    """Linear-predictor coefficients and family parameters at one parameter vector.

    Attributes
    ----------
    A : ndarray (1 or N, CH, DC, M)
        Coefficients of the monomials in every channel and joint pattern.
    FP : ndarray (P, DC, kf)
        Family parameters (normal: log residual variance; ordinal: thresholds).
    logpd : ndarray (J, D)
        log P(between pattern d | cluster covariates).
    pd_prob : list of ndarray (J, K, D)
        Class probabilities of each between class variable.
    work, nat : ndarray
        All parameters on the working and natural scales.
    signs : ndarray
        Signs carrying kernel gradients to the optimiser's working vector.
    free_work : ndarray
        The free working vector these inputs were computed at.
    tab : TabulatedInputs or None
    moments : object or None
        Posterior moments of the latent values (exact normal likelihood only,
        :mod:`mixlevel.engine.gaussian`), set by the E-step.
    """

    A: np.ndarray
    FP: np.ndarray
    logpd: np.ndarray
    pd_prob: list
    work: np.ndarray
    nat: np.ndarray
    signs: np.ndarray
    free_work: np.ndarray
    tab: TabulatedInputs | None = None
    moments: object = None
