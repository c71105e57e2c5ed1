"""The kernel's inputs at one parameter vector (what :meth:`Engine.inputs` computes),
and the maps between the optimiser's free working vector and the kernel's values."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..spec.transforms import working_jacobian

__all__ = ["KernelInputs", "TabulatedInputs", "parameter_values", "free_gradient"]


def parameter_values(table, free_work):
    """(work, nat, signs): every parameter on the working and natural scales, and the
    signs that carry kernel gradients to the free working vector ``free_work``."""
    nat = table.expand_natural(table.free_natural_from_working(free_work))
    return table.working_full(nat), nat, table.working_signs(free_work)


def free_gradient(table, is_threshold, g_kernel, inputs):
    """Gradient in the kernel's values (..., n_full) -> on the free working vector.

    The kernel takes thresholds on the natural scale (``is_threshold``), every
    other parameter on the working scale; equal parameters add up, fixed ones
    drop out.
    """
    g = np.array(g_kernel, float, copy=True)
    if is_threshold.any():
        for gi, grp in enumerate(table.groups):
            if grp.kind != "thresholds":
                continue
            s = slice(table.offsets[gi], table.offsets[gi + 1])
            g[..., s] = g[..., s] @ working_jacobian("thresholds", inputs.work[s])
    return table.reduce_gradient(g) * inputs.signs


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
