"""The class enumeration plot: information criteria and log-likelihood against K.

:func:`plot_enumeration` draws what :class:`~mixlevel.inference.enumeration.ClassEnumeration`
tabulates: AIC, BIC and the sample-size adjusted BIC against the number of
classes (the "elbow" plot; the minimum of each criterion is marked) and the
log-likelihood with its number of parameters.
"""

from __future__ import annotations

import numpy as np

try:
    import matplotlib.pyplot as plt
except ImportError as exc:  # pragma: no cover - depends on the environment
    raise ImportError("mixlevel plots need matplotlib: pip install 'mixlevel[plot]'") \
        from exc

__all__ = ["plot_enumeration"]

_LABELS = {"aic": "AIC", "bic": "BIC", "abic": "adjusted BIC"}


def plot_enumeration(enumeration, criteria=("aic", "bic", "abic"), figsize=(9.0, 3.6),
                     title=None):
    """Information criteria and log-likelihood against the number of classes.

    Parameters
    ----------
    enumeration : ClassEnumeration or pandas.DataFrame
        The result of :func:`mixlevel.enumerate_classes` (or its ``table``).
    criteria : sequence of str
        Columns of the table to draw in the left panel.
    figsize : (float, float)
    title : str, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    table = getattr(enumeration, "table", enumeration)
    missing = [c for c in criteria if c not in table.columns]
    if missing:
        raise ValueError(f"the table has no column(s) {missing}; choose from aic, bic, abic")
    ks = np.asarray(table.index, float)
    fig, (ax_ic, ax_ll) = plt.subplots(1, 2, figsize=figsize, layout="constrained")
    for c in criteria:
        vals = table[c].to_numpy(float)
        (line,) = ax_ic.plot(ks, vals, marker="o", label=_LABELS.get(c, c))
        best = int(np.nanargmin(vals))
        ax_ic.plot(ks[best], vals[best], marker="o", markersize=12, fillstyle="none",
                   color=line.get_color())
    ax_ic.set_xlabel("number of classes K")
    ax_ic.set_ylabel("information criterion (smaller is better)")
    ax_ic.set_xticks(ks)
    ax_ic.legend(frameon=False)
    ll = table["loglike"].to_numpy(float)
    ax_ll.plot(ks, ll, marker="o", color="0.3")
    for x, y, p in zip(ks, ll, table["n_params"], strict=True):
        ax_ll.annotate(f"{int(p)}", (x, y), textcoords="offset points", xytext=(0, -12),
                       ha="center", fontsize=8, color="0.4")
    ax_ll.set_xlabel("number of classes K")
    ax_ll.set_ylabel("log-likelihood (labels: parameters)")
    ax_ll.set_xticks(ks)
    if title:
        fig.suptitle(title)
    return fig
