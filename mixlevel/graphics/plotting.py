"""Plots of fitted mixture models (matplotlib; imported only here).

Every function takes a fitted result (or two) and returns the
:class:`matplotlib.figure.Figure` it drew, so it can be saved or shown:

* :func:`plot_profiles` -- outcome probabilities or means by item and class
  with confidence intervals (the paper's probability profiles);
* :func:`plot_profile_comparison` -- one class's profile in one model against
  another's, item by item (the paper's Figure 4: GoM against LCA);
* :func:`plot_class_proportions` -- model-implied, posterior and modal
  class proportions;
* :func:`plot_posterior` -- histograms of the posterior class probabilities;
* :func:`plot_transitions` -- a diagram of the transition probabilities
  between the classes of two class variables;
* :func:`plot_caterpillar` -- empirical Bayes random effects per cluster,
  sorted, with intervals;
* :func:`conditional_class_probability` -- ``P(C_ij = 1 | alpha_1)`` of a
  within-between class variable against the standardised random logit
  intercept (the paper's Figures 2 and 3).

Install matplotlib with ``pip install mixlevel[plot]``.
"""

from __future__ import annotations

import numpy as np

try:
    import matplotlib.pyplot as plt
    from matplotlib.patches import FancyArrowPatch
except ImportError as exc:  # pragma: no cover - depends on the environment
    raise ImportError("mixlevel.plotting needs matplotlib: pip install 'mixlevel[plot]'") \
        from exc

__all__ = [
    "plot_profiles",
    "plot_profile_comparison",
    "plot_class_proportions",
    "plot_posterior",
    "plot_transitions",
    "plot_caterpillar",
    "conditional_class_probability",
]


def _res(res):
    return getattr(res, "_results", res)


def _new_figure(figsize, nrows=1, ncols=1, **kw):
    """A pyplot figure (so ``fig.show()`` and ``plt.show()`` work); close it when done."""
    fig, axes = plt.subplots(nrows, ncols, squeeze=False, figsize=figsize,
                             layout="constrained", **kw)
    return fig, axes


def _figure_of(ax, figsize):
    if ax is None:
        fig, axes = _new_figure(figsize)
        return fig, axes[0, 0]
    return ax.figure, ax


def plot_profiles(res, outcomes=None, ci=True, alpha=0.05, figsize=None, title=None):
    """Outcome probabilities or means by class: one line per class over the items.

    Parameters
    ----------
    res : MixtureResults
    outcomes : list of str, optional
        Outcomes to show (default: all).
    ci : bool
        Draw confidence intervals from the delta-method standard errors.
    alpha : float
        Level of the intervals.
    figsize : tuple, optional
    title : str, optional

    Returns
    -------
    matplotlib.figure.Figure
        One panel per group of outcomes that share a scale (probabilities,
        means) and the class variables they depend on.
    """
    from scipy import stats

    r = _res(res)
    prof = r.profiles.copy()
    fams = {o.name: o.family for o in r.model.spec.outcomes}
    if outcomes is not None:
        prof = prof[prof["outcome"].isin(list(outcomes))]
    if prof.empty:
        raise ValueError("no outcome to plot")
    order = r._class_order
    prof["_vars"] = prof[order].notna().apply(
        lambda row: tuple(n for n in order if row[n]), axis=1) if order else [()] * len(prof)
    prof["_item"] = [fams[o].value_label(o, c) for o, c in
                     zip(prof["outcome"], prof["category"], strict=True)]
    panels = list(dict.fromkeys(zip(prof["scale"], prof["_vars"], strict=True)))
    n = len(panels)
    width = max(6.0, 0.55 * prof["_item"].nunique() + 2.5)
    fig, axes = _new_figure(figsize or (min(width, 14), 3.6 * n), nrows=n)
    q = stats.norm.ppf(1 - alpha / 2)
    markers = "osD^vP*X"
    for ax, (scale, cvars) in zip(axes[:, 0], panels, strict=True):
        sub = prof[(prof["scale"] == scale) & (prof["_vars"] == cvars)]
        items = list(dict.fromkeys(sub["_item"]))
        x = np.arange(len(items))
        classes = list(dict.fromkeys(sub["classes"]))
        offsets = np.linspace(-0.12, 0.12, len(classes)) if len(classes) > 1 else [0.0]
        for k, (cls, off) in enumerate(zip(classes, offsets, strict=True)):
            s = sub[sub["classes"] == cls].set_index("_item").reindex(items)
            est = s["estimate"].to_numpy(float)
            lab = "all rows" if cls == "all" else cls
            line = ax.plot(x + off, est, marker=markers[k % len(markers)], label=lab, lw=1.5)
            if ci:
                err = q * s["se"].to_numpy(float)
                ax.errorbar(x + off, est, yerr=err, fmt="none", ecolor=line[0].get_color(),
                            capsize=3, lw=1)
        ax.set_xticks(x)
        ax.set_xticklabels(items, rotation=45 if len(items) > 8 else 0,
                           ha="right" if len(items) > 8 else "center")
        ax.set_xlim(-0.5, len(items) - 0.5)
        if scale == "probability":
            ax.set_ylim(-0.02, 1.02)
            ax.set_ylabel("probability")
        else:
            ax.set_ylabel("mean")
        what = "Probabilities" if scale == "probability" else "Means"
        ax.set_title(f"{what} by class of {', '.join(cvars)}" if cvars
                     else f"{what} (not class-specific)", fontsize=10)
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8, frameon=False, ncols=min(len(classes), 4))
    if title:
        fig.suptitle(title)
    return fig


def plot_profile_comparison(res_x, res_y, class_x, class_y, outcomes=None, labels=None,
                            ax=None, figsize=(5, 5)):
    """One class's profile in two models, item by item (the paper's Figure 4).

    Each point is an outcome value (a binary item's probability); X is its
    value in class ``class_x`` of ``res_x``, Y in class ``class_y`` of
    ``res_y``.  The diagonal and the correlation are shown.

    Parameters
    ----------
    res_x, res_y : MixtureResults
    class_x, class_y : str
        Class labels as in :attr:`MixtureResults.profiles` (e.g. ``"c=1"``).
    outcomes : list of str, optional
    labels : (str, str), optional
        Axis labels (default "model 1", "model 2").
    ax : matplotlib Axes, optional
    figsize : tuple

    Returns
    -------
    matplotlib.figure.Figure
    """
    px = _res(res_x).profiles
    py = _res(res_y).profiles
    px = px[px["classes"] == class_x]
    py = py[py["classes"] == class_y]
    if px.empty or py.empty:
        raise ValueError(f"no profile for class {class_x!r} / {class_y!r}; see .profiles")
    key = ["outcome", "category"]
    both = px.merge(py, on=key, suffixes=("_x", "_y"))
    if outcomes is not None:
        both = both[both["outcome"].isin(list(outcomes))]
    fig, ax = _figure_of(ax, figsize)
    xv, yv = both["estimate_x"].to_numpy(float), both["estimate_y"].to_numpy(float)
    ax.scatter(xv, yv, zorder=3)
    for (o, c), xx, yy in zip(both[key].itertuples(index=False), xv, yv, strict=True):
        ax.annotate(o if c in ("", "1") else f"{o}[{c}]", (xx, yy), fontsize=7,
                    xytext=(3, 3), textcoords="offset points")
    lo = min(xv.min(), yv.min(), 0.0)
    hi = max(xv.max(), yv.max(), 1.0 if both["scale_x"].eq("probability").all() else 0.0)
    ax.plot([lo, hi], [lo, hi], color="0.6", lw=1, ls="--", zorder=1)
    lx, ly = labels or ("model 1", "model 2")
    ax.set_xlabel(f"{lx}, class {class_x}")
    ax.set_ylabel(f"{ly}, class {class_y}")
    if len(xv) > 2:
        r = np.corrcoef(xv, yv)[0, 1]
        ax.set_title(f"Profiles compared (r = {r:.2f})", fontsize=10)
    ax.grid(alpha=0.3)
    return fig


def plot_class_proportions(res, joint=False, ax=None, figsize=None):
    """Class proportions: model-implied (with CI), posterior and modal, side by side.

    Parameters
    ----------
    res : MixtureResults
    joint : bool
        Joint class patterns instead of each class variable.
    ax : matplotlib Axes, optional
    figsize : tuple, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    r = _res(res)
    tab = r.class_proportions_table(joint=joint)
    if tab.empty:
        raise ValueError("the model has no class variables")
    fig, ax = _figure_of(ax, figsize or (max(5.0, 0.8 * len(tab) + 2), 3.6))
    x = np.arange(len(tab))
    w = 0.27
    ax.bar(x - w, tab["model"], w, yerr=1.96 * tab["se"].fillna(0), capsize=3,
           label="model")
    ax.bar(x, tab["posterior"], w, label="posterior")
    ax.bar(x + w, tab["modal"], w, label="modal")
    ax.set_xticks(x)
    ax.set_xticklabels(tab.index, rotation=30 if len(tab) > 6 else 0)
    ax.set_ylabel("proportion")
    ax.set_ylim(0, 1)
    ax.legend(fontsize=8, frameon=False)
    ax.set_title("Class proportions", fontsize=10)
    ax.grid(axis="y", alpha=0.3)
    return fig


def plot_posterior(res, variable=None, level=None, bins=20, figsize=None):
    """Histograms of the posterior class probabilities, one panel per class.

    Parameters
    ----------
    res : MixtureResults
    variable : str, optional
        A class variable (default: every class variable, one row of panels each).
    level : {"row", "cluster"}, optional
        Count rows or clusters; default: clusters for between class variables,
        rows for within ones.
    bins : int
    figsize : tuple, optional

    Returns
    -------
    matplotlib.figure.Figure
        Each panel shows, for the rows (clusters) whose modal class it is, the
        posterior probability of that class (a well separated class piles up
        near 1), and in grey the probability of that class for all others.
    """
    r = _res(res)
    between = {c.name for c in r.model.spec.between_classes}
    names = [n for n in r._class_order if variable is None or n == variable]
    if not names:
        raise ValueError("the model has no class variables" if variable is None
                         else f"no class variable {variable!r}")
    ncol = max(r._class_var(n).n_classes for n in names)
    fig, axes = _new_figure(figsize or (3.0 * ncol, 2.6 * len(names)), nrows=len(names),
                            ncols=ncol, sharex=True)
    edges = np.linspace(0, 1, bins + 1)
    for i, name in enumerate(names):
        lev = level or ("cluster" if name in between else "row")
        post = r.posterior(level=lev, variable=name)
        cs = list(post.columns)
        p = post.to_numpy()
        modal = p.argmax(axis=1)
        for j in range(ncol):
            ax = axes[i, j]
            if j >= len(cs):
                ax.set_visible(False)
                continue
            ax.hist(p[modal != j, j], bins=edges, color="0.75", label="others")
            ax.hist(p[modal == j, j], bins=edges, color=f"C{j}", alpha=0.85,
                    label="modal class")
            ax.set_title(cs[j], fontsize=9)
            ax.set_xlim(0, 1)
            if j == 0:
                ax.set_ylabel("clusters" if lev == "cluster" else "rows")
    axes[0, 0].legend(fontsize=7, frameon=False)
    for ax in axes[-1]:
        if ax.get_visible():
            ax.set_xlabel("posterior probability")
    return fig


def plot_transitions(res, source=None, target=None, kind="model", ax=None, figsize=(6, 4)):
    """Diagram of P(target class | source class): classes as boxes, arrows as transitions.

    Source classes on the left and target classes on the right, each box
    sized by its class proportion; arrow widths are proportional to the
    transition probabilities, which label the arrows.

    Parameters
    ----------
    res : MixtureResults
    source, target : str, optional
        Class variables (default the model's first dependency).
    kind : {"model", "posterior"}
        See :meth:`MixtureResults.transition_table`.
    ax : matplotlib Axes, optional
    figsize : tuple

    Returns
    -------
    matplotlib.figure.Figure
    """
    r = _res(res)
    tab = r.transition_table(source, target, kind=kind)
    src_name, tgt_name = tab.index.name, tab.columns.name
    props = r.class_proportions
    fig, ax = _figure_of(ax, figsize)
    ns, nt = tab.shape
    ys = np.linspace(0.85, 0.15, ns) if ns > 1 else [0.5]
    yt = np.linspace(0.85, 0.15, nt) if nt > 1 else [0.5]
    xs, xt = 0.15, 0.85

    def box(x, y, label, share, color):
        h = 0.05 + 0.12 * share
        ax.add_patch(plt.Rectangle((x - 0.09, y - h / 2), 0.18, h, color=color, alpha=0.35,
                                   zorder=2))
        ax.text(x, y, f"{label}\n{share:.2f}", ha="center", va="center", fontsize=8, zorder=3)

    for i, lab in enumerate(tab.index):
        box(xs, ys[i], lab, float(props.get(lab, np.nan)), f"C{i}")
    for j, lab in enumerate(tab.columns):
        box(xt, yt[j], lab, float(props.get(lab, np.nan)), f"C{j}")
    for i in range(ns):
        for j in range(nt):
            p = float(tab.iloc[i, j])
            if p < 0.005:
                continue
            arrow = FancyArrowPatch((xs + 0.1, ys[i]), (xt - 0.1, yt[j]),
                                    arrowstyle="-|>", mutation_scale=10 + 10 * p,
                                    lw=0.5 + 6 * p, color=f"C{i}", alpha=0.7, zorder=1,
                                    connectionstyle="arc3,rad=0.0")
            ax.add_patch(arrow)
            t = 0.2
            ax.text(xs + 0.1 + t * (xt - xs - 0.2), ys[i] + t * (yt[j] - ys[i]) + 0.03,
                    f"{p:.2f}", fontsize=8, ha="center", color=f"C{i}",
                    bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.5})
    ax.text(xs, 0.98, src_name, ha="center", va="top", fontsize=10, weight="bold")
    ax.text(xt, 0.98, tgt_name, ha="center", va="top", fontsize=10, weight="bold")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.axis("off")
    ax.set_title(f"P({tgt_name} | {src_name}), {kind}", fontsize=10)
    return fig


def plot_caterpillar(res, effect=None, level=0.95, ax=None, figsize=None, max_clusters=None):
    """Empirical Bayes random effects per cluster, sorted, with intervals.

    Parameters
    ----------
    res : MixtureResults
    effect : str, optional
        A random effect name (default: the first).
    level : float
        Interval: posterior mean +- z * posterior SD.
    ax : matplotlib Axes, optional
    figsize : tuple, optional
    max_clusters : int, optional
        Show at most this many clusters (evenly spaced over the sorted order).

    Returns
    -------
    matplotlib.figure.Figure
    """
    from scipy import stats

    r = _res(res)
    re = r.random_effects()
    effects = list(re["mean"].columns)
    effect = effect or effects[0]
    if effect not in effects:
        raise ValueError(f"no random effect {effect!r}; the model has {effects}")
    m = re[("mean", effect)].to_numpy(float)
    s = re[("sd", effect)].to_numpy(float)
    labels = np.asarray(re.index).astype(str)
    order = np.argsort(m)
    if max_clusters is not None and len(order) > max_clusters:
        order = order[np.linspace(0, len(order) - 1, max_clusters).round().astype(int)]
    z = stats.norm.ppf(0.5 + level / 2)
    n = len(order)
    fig, ax = _figure_of(ax, figsize or (6, max(3.0, min(0.12 * n + 1.5, 12))))
    y = np.arange(n)
    ax.errorbar(m[order], y, xerr=z * s[order], fmt="o", ms=3, lw=0.8, capsize=0)
    ax.axvline(0, color="0.5", lw=1, ls="--")
    if n <= 60:
        ax.set_yticks(y)
        ax.set_yticklabels(labels[order], fontsize=6 if n > 30 else 8)
    else:
        ax.set_yticks([])
    ax.set_xlabel(f"{effect} (posterior mean, {level:.0%} interval)")
    ax.set_ylabel(re.index.name or "cluster")
    ax.set_title(f"Random effect {effect} by cluster", fontsize=10)
    ax.grid(axis="x", alpha=0.3)
    return fig


def conditional_class_probability(var_alpha, mean=0.0, z_range=(-3.0, 3.0), n=601, ax=None,
                                  figsize=(6, 4), title=None):
    """``P(C_ij = 1 | alpha_1)`` against standardised ``alpha_1`` (Figures 2 and 3).

    A within-between class variable has the random logit intercept
    ``alpha_1j ~ N(mean, Var(alpha_1))`` (Table 4): given it, the class
    probability is ``1 / (1 + exp(-alpha_1j))``.  Plotted against
    ``(alpha_1j - mean) / SD(alpha_1)``, a large variance makes the curve a
    step: the class is then fixed by the cluster, so the variable is a between
    class variable (eq. 21).

    Parameters
    ----------
    var_alpha : float, sequence of float, or fitted results
        Var(alpha_1), one curve per value (the paper: 100 in Figure 2, 10000
        in Figure 3).  A fitted result with random class-logit intercepts
        gives its estimated variance(s) and mean(s).
    mean : float
        Mean of alpha_1 (the class logit intercept; 0 in the paper).
    z_range : (float, float)
        Range of standardised alpha_1.
    n : int
        Points per curve.
    ax : matplotlib Axes, optional
    figsize : tuple
    title : str, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    curves = []
    if hasattr(var_alpha, "params") and hasattr(var_alpha, "model"):
        from ..inference.derived import random_logit_variances

        r = _res(var_alpha)
        params = dict(zip(r.model.param_names, np.asarray(r.params, float), strict=True))
        for variable, logit, name in random_logit_variances(r):
            m = params.get(f"{variable}#{logit}~1", 0.0)
            curves.append((params[name], m, f"{name} = {params[name]:.4g}"))
        if not curves:
            raise ValueError("the model has no random class-logit intercepts")
    else:
        for v in np.atleast_1d(np.asarray(var_alpha, float)):
            if not np.isfinite(v) or v <= 0:
                raise ValueError(f"Var(alpha_1) must be positive, got {v}")
            curves.append((float(v), float(mean), f"Var(alpha_1) = {v:g}"))
    fig, ax = _figure_of(ax, figsize)
    z = np.linspace(z_range[0], z_range[1], n)
    for v, m, label in curves:
        p = 1.0 / (1.0 + np.exp(-(m + np.sqrt(v) * z)))
        ax.plot(z, p, lw=1.8, label=label)
    ax.set_xlabel("standardised alpha_1")
    ax.set_ylabel("P(C = 1 | alpha_1)")
    ax.set_ylim(-0.02, 1.02)
    ax.grid(alpha=0.3)
    if len(curves) > 1 or title is None:
        ax.legend(frameon=False, fontsize=9)
    ax.set_title(title or "Conditional latent class probability", fontsize=10)
    return fig
