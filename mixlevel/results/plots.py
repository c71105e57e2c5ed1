"""``res.plot_*``: the plots of :mod:`mixlevel.graphics.plotting` as result methods.

As statsmodels' results do, each method imports the plotting module (and so
matplotlib) only when it is called, and passes the result to the function of
the same name, which can also be called directly.
"""

from __future__ import annotations

__all__ = ["PlotMixin"]


def _plotting():
    from ..graphics import plotting

    return plotting


class PlotMixin:
    """Plot methods delegated to :mod:`mixlevel.graphics.plotting`."""

    def plot_profiles(self, outcomes=None, ci=True, alpha=0.05, figsize=None, title=None):
        """Outcome probabilities or means by class, with confidence intervals.

        See :func:`mixlevel.graphics.plotting.plot_profiles` for the arguments.

        Returns
        -------
        matplotlib.figure.Figure
        """
        return _plotting().plot_profiles(self, outcomes=outcomes, ci=ci, alpha=alpha,
                                         figsize=figsize, title=title)

    def plot_class_proportions(self, joint=False, ax=None, figsize=None):
        """Model-implied (with CI), posterior and modal class proportions.

        See :func:`mixlevel.graphics.plotting.plot_class_proportions` for the
        arguments.

        Returns
        -------
        matplotlib.figure.Figure
        """
        return _plotting().plot_class_proportions(self, joint=joint, ax=ax, figsize=figsize)

    def plot_posterior(self, variable=None, level=None, bins=20, figsize=None):
        """Histograms of the posterior class probabilities, one panel per class.

        See :func:`mixlevel.graphics.plotting.plot_posterior` for the arguments.

        Returns
        -------
        matplotlib.figure.Figure
        """
        return _plotting().plot_posterior(self, variable=variable, level=level, bins=bins,
                                          figsize=figsize)

    def plot_transitions(self, source=None, target=None, kind="model", ax=None,
                         figsize=(6, 4)):
        """Diagram of the transition probabilities ``P(target class | source class)``.

        See :func:`mixlevel.graphics.plotting.plot_transitions` for the arguments.

        Returns
        -------
        matplotlib.figure.Figure
        """
        return _plotting().plot_transitions(self, source=source, target=target, kind=kind,
                                            ax=ax, figsize=figsize)

    def plot_caterpillar(self, effect=None, level=0.95, ax=None, figsize=None,
                         max_clusters=None):
        """Empirical Bayes random effects per cluster, sorted, with intervals.

        See :func:`mixlevel.graphics.plotting.plot_caterpillar` for the arguments.

        Returns
        -------
        matplotlib.figure.Figure
        """
        return _plotting().plot_caterpillar(self, effect=effect, level=level, ax=ax,
                                            figsize=figsize, max_clusters=max_clusters)
