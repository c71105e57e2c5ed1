"""Small numeric helpers of the engine's numpy parts."""

from __future__ import annotations

import numpy as np

__all__ = ["logsumexp"]


def logsumexp(x, axis, keepdims=False):
    """Log-sum-exp with the max trick (numpy only: scipy's adds overhead on small arrays)."""
    mx = np.max(x, axis=axis, keepdims=True)
    mx = np.where(np.isfinite(mx), mx, 0.0)
    out = np.log(np.sum(np.exp(x - mx), axis=axis, keepdims=True)) + mx
    return out if keepdims else np.squeeze(out, axis=axis)
