"""Start values of latent transition models from per-wave latent class fits.

Random starts often miss the maximum of a latent transition model: with
invariant items a start must put the same class in the same place at every
wave, and a perturbation of the default start rarely does (on the Add Health
data random starts stopped 17 and 56 log-likelihood units below this start).
:func:`lta_start` builds a start the way an analyst would, two ways, and keeps
the one with the higher log-likelihood:

1. *per wave*: a latent class model with K classes for each wave's items on
   its own (random starts, on the response patterns); the classes of every wave
   matched to wave 1's by their item profiles (posterior-weighted item means,
   categories one-hot) with the Hungarian algorithm
   (:func:`scipy.optimize.linear_sum_assignment`);
2. *stacked* (items alike at every wave): one latent class model of all
   person-waves, whose classes are the same at every wave by construction
   (better when a wave alone identifies its classes only weakly).

A wave whose items cannot identify K classes at all (a single categorical item,
as in the self-rated-health latent Markov model) gets K ordered groups of a
score instead: the mean standardised item value, groups of equal weight, ties
shared.  Then item parameters come from the fits (their mean over the waves
under invariance, logits clipped to +-8 so that a degenerate class does not
dominate), initial logits from wave 1's class sizes (wave 1's classes ordered by
decreasing size), transition logits from the cross-tabulated posterior
probabilities of consecutive waves (of three waves for second order; pooled
over the waves when transitions are homogeneous), and other parameters
(covariate effects, random-effect covariances) as the generic start has them.

:meth:`LatentMarkov.fit <mixlevel.models.lta.LatentMarkov.fit>` uses it as the
first of the random starts and perturbs it for the others; the fit keeps the
best.
"""

from __future__ import annotations

import re
import warnings

import numpy as np
import pandas as pd
from scipy.optimize import linear_sum_assignment

from ..errors import EstimationWarning
from ..utils.warn import warn_user

__all__ = ["lta_start", "wave_fits", "pooled_fit", "latent_class_fit", "match_classes"]

_CONTINUOUS = ("normal", "poisson", "binomial")
_HOLE = "\x00"                      # where a name's class variable goes


def _patterns(data, cols, w):
    """Distinct response patterns of ``cols`` with summed weights, and each row's pattern."""
    gid = data[cols].groupby(cols, dropna=False, sort=False).ngroup().to_numpy()
    first = np.unique(gid, return_index=True)[1]
    pat = data[cols].iloc[first].reset_index(drop=True)
    return pat, np.bincount(gid, weights=w), gid


def _identified(model, data, cols, kinds):
    """False when K classes surely cannot be identified: more free parameters than
    cells of the items' cross-table (a single categorical item, say)."""
    if any(kinds[c] in _CONTINUOUS for c in cols):
        return True
    cells = np.prod([max(data[c].nunique(), 1) for c in cols], dtype=float)
    return len(model.param_names) <= cells - 1


def _score_groups(data, cols, K, weights, observed):
    """K ordered groups of equal weight by the mean standardised item value (soft ties)."""
    x = data[cols].apply(pd.to_numeric, errors="coerce").to_numpy(float)
    sd = np.nanstd(x, axis=0)
    z = (x - np.nanmean(x, axis=0)) / np.where(sd > 0, sd, 1.0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        score = np.nanmean(z, axis=1)
    post = np.full((len(score), K), 1.0 / K)
    idx = np.flatnonzero(observed)
    values, inv = np.unique(score[idx], return_inverse=True)
    mass = np.bincount(inv, weights=weights[idx], minlength=len(values))
    hi = np.cumsum(mass) / mass.sum()
    lo = hi - mass / mass.sum()
    edges = np.linspace(0, 1, K + 1)
    overlap = np.clip(np.minimum(hi[:, None], edges[None, 1:])
                      - np.maximum(lo[:, None], edges[None, :-1]), 0, None)
    post[idx] = (overlap / np.maximum(overlap.sum(axis=1, keepdims=True), 1e-300))[inv]
    return post


def latent_class_fit(data, cols, families, kinds, cls, K, w, starts=(20, 4), seed=0):
    """A K-class model of ``cols`` (fitted on the response patterns) or ordered groups.

    Returns the free parameters (names with class variable ``cls``) and the
    rows' class posteriors (N, K).  When K classes cannot be identified from the
    items (see :func:`_identified`) the posteriors are K ordered groups of a
    score and the parameters one M-step from them.
    """
    from ..api import mixture
    from ..estimation.starts import base_start, posterior_start

    pat, counts, gid = _patterns(data, cols, w)
    # patterns with every item missing say nothing of the classes (the model drops them)
    seen = pat[cols].notna().any(axis=1).to_numpy()
    pat, counts = pat[seen].reset_index(drop=True), counts[seen]
    text = " + ".join(f"`{x}`" for x in cols) + f" ~ {cls}"
    m = mixture(text, data=pat, classes={cls: K}, family={c: families[c] for c in cols},
                weights=counts, context={})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if _identified(m, pat, cols, kinds):
            res = m.fit(starts=starts, seed=seed, progress=False)
            params = pd.Series(np.asarray(res.params, float), index=m.param_names)
            post = res.posterior(level="row", variable=cls).to_numpy()
        else:
            post = _score_groups(pat, cols, K, counts, np.ones(len(pat), bool))
            work = posterior_start(m.engine, base_start(m.engine), post, m_iter=50)
            params = pd.Series(m.table.free_natural_from_working(work), index=m.param_names)
    full = np.full((len(seen), K), 1.0 / K)
    full[seen] = post
    return params, full[gid]


def _families_of(model, cols):
    return {c: model.spec.outcomes[model.spec.outcome_names.index(c)].family for c in cols}


def wave_fits(model, starts=(20, 4), seed=0):
    """Latent class fits of each wave alone.

    Returns
    -------
    list of (pandas.Series, ndarray)
        Per wave: the free parameters of its latent class model (names with
        that wave's class variable) and the rows' class posteriors (N, K) in
        the order of ``model.wide_data``.
    """
    lay = model.waves
    w = _row_weights(model)
    return [latent_class_fit(model.wide_data, cols, _families_of(model, cols), lay.families,
                             c, lay.k, w, starts, seed)
            for cols, c in zip(lay.items, lay.classes, strict=True)]


def pooled_fit(model, starts=(20, 4), seed=0):
    """One latent class model of the waves stacked (a person-wave per row).

    Its classes are the same at every wave by construction.  Returns the item
    values per wave ({(position, name template): value}, as :func:`_item_key`)
    and the posteriors (N, K) per wave.
    """
    lay = model.waves
    data, w = model.wide_data, _row_weights(model)
    J, N = len(lay.items[0]), len(data)
    generic = [f"item{p + 1}" for p in range(J)]
    stacked = pd.concat([data[cols].set_axis(generic, axis=1) for cols in lay.items],
                        ignore_index=True)
    fam1 = _families_of(model, lay.items[0])
    families = {g: fam1[c] for g, c in zip(generic, lay.items[0], strict=True)}
    kinds = {g: lay.families[c] for g, c in zip(generic, lay.items[0], strict=True)}
    params, post = latent_class_fit(stacked, generic, families, kinds, "c", lay.k,
                                    np.tile(w, lay.n_waves), starts, seed)
    values = {}
    for name, v in params.items():
        key = _item_key(name, generic, "c")
        if key is not None:
            values[key] = float(v)
    return values, [post[t * N:(t + 1) * N] for t in range(lay.n_waves)]


def _row_weights(model):
    wts = model.formula.weights
    data = model.wide_data
    if wts is None:
        return np.ones(len(data))
    if isinstance(wts, str):
        return pd.to_numeric(data[wts], errors="coerce").to_numpy(float)
    return np.asarray(wts, float)


def _profiles(data, cols, families, post, w):
    """Posterior-weighted item means per class (K, V); categories one-hot, normal z-scored."""
    blocks = []
    for col in cols:
        x = pd.to_numeric(data[col], errors="coerce").to_numpy(float)
        obs = ~np.isnan(x)
        if families[col] in _CONTINUOUS:
            sd = np.nanstd(x) or 1.0
            vals = ((np.where(obs, x, 0.0) - np.nanmean(x)) / sd)[:, None]
        else:
            levels = np.unique(x[obs])
            vals = (x[:, None] == levels[None, :]).astype(float)
        pw = post * (w * obs)[:, None]
        blocks.append(pw.T @ vals / np.maximum(pw.sum(axis=0), 1e-300)[:, None])
    return np.hstack(blocks)


def match_classes(reference, other):
    """Labels of ``other``'s classes in ``reference``'s numbering (Hungarian algorithm).

    ``reference`` and ``other`` are (K, V) profiles; returns ``lab`` with
    ``lab[l]`` the reference class of class l.
    """
    cost = ((reference[:, None, :] - other[None, :, :]) ** 2).sum(axis=2)
    rows, cols = linear_sum_assignment(cost)
    lab = np.empty(len(cols), int)
    lab[cols] = rows
    return lab


def _item_key(name, cols, cls):
    """(position, name template) of an item parameter of a per-wave fit, or None."""
    for p, col in enumerate(cols):
        if name.startswith(col) and name[len(col):len(col) + 1] in ("~", "|", "#"):
            rest = name[len(col):]
            return p, "{col}" + rest.replace(f"[{cls}=", f"[{_HOLE}=")
        if name.startswith(f"Var({col})"):
            rest = name[len(f"Var({col})"):]
            return p, "Var({col})" + rest.replace(f"[{cls}=", f"[{_HOLE}=")
    return None


def _relabel(template, lab):
    return re.sub(rf"\[{_HOLE}=(\d+)\]", lambda m: f"[{_HOLE}={lab[int(m.group(1)) - 1] + 1}]",
                  template)


def _logits(p):
    """Multinomial logits against the last class of probabilities along the last axis."""
    lp = np.log(np.clip(p, 1e-6, None))
    return np.clip(lp[..., :-1] - lp[..., -1:], -10, 10)


def lta_start(model, starts=(10, 2), seed=0):
    """The start of a :class:`~mixlevel.models.lta.LatentMarkov` model (working scale).

    Two candidates, see the module docstring: per-wave fits matched across
    waves, and (items alike at every wave) one fit of the stacked waves; the
    one with the higher log-likelihood is returned.  ``model.start_info``
    records both log-likelihoods.
    """
    lay = model.waves
    generic = model._generic_start()
    if lay.k < 2:
        return generic
    data, w = model.wide_data, _row_weights(model)
    observed = [data[cols].notna().any(axis=1).to_numpy() for cols in lay.items]
    candidates = {}
    # 1. per-wave fits; wave 1's classes by decreasing size, the others matched to them
    fits = wave_fits(model, starts=starts, seed=seed)
    size1 = (fits[0][1] * (w * observed[0])[:, None]).sum(axis=0)
    order1 = np.argsort(-size1, kind="stable")
    labs, posts = [np.argsort(order1)], [fits[0][1][:, order1]]
    ref = _profiles(data, lay.items[0], lay.families, posts[0], w)
    for t in range(1, lay.n_waves):
        lab = match_classes(ref, _profiles(data, lay.items[t], lay.families, fits[t][1], w))
        post = np.empty_like(fits[t][1])
        post[:, lab] = fits[t][1]
        labs.append(lab)
        posts.append(post)
    values = []
    for t, (params, _) in enumerate(fits):
        vt = {}
        for name, v in params.items():
            key = _item_key(name, lay.items[t], lay.classes[t])
            if key is not None:
                vt[(key[0], _relabel(key[1], labs[t]))] = float(v)
        values.append(vt)
    candidates["per-wave"] = _assemble(model, generic, values, posts, observed, w)
    # 2. the waves stacked
    if lay.n_waves > 1:
        pooled, pposts = pooled_fit(model, starts=starts, seed=seed)
        size1 = (pposts[0] * (w * observed[0])[:, None]).sum(axis=0)
        order1 = np.argsort(-size1, kind="stable")
        lab = np.argsort(order1)
        pooled = {(p, _relabel(tmpl, lab)): v for (p, tmpl), v in pooled.items()}
        candidates["stacked"] = _assemble(model, generic, [pooled] * lay.n_waves,
                                          [pp[:, order1] for pp in pposts], observed, w)
    lls = {k: model.engine.loglike(v) for k, v in candidates.items()}
    model.start_info = {"loglike": lls}
    best = max(lls, key=lambda k: lls[k] if np.isfinite(lls[k]) else -np.inf)
    if not np.isfinite(lls[best]):
        warn_user("the per-wave starts have no finite log-likelihood; using the generic "
                  "start", EstimationWarning)
        return generic
    model.start_info["chosen"] = best
    return candidates[best]


def _assemble(model, generic, values, posts, observed, w):
    """A working start vector from item values per wave and matched posteriors per wave."""
    lay = model.waves
    tab = model.table
    nat = pd.Series(tab.free_natural_from_working(generic), index=model.param_names)
    pooled = {}
    for t, vt in enumerate(values):
        for key, v in vt.items():
            if lay.families[lay.items[0][key[0]]] != "normal":
                v = float(np.clip(v, -8.0, 8.0))     # degenerate per-wave classes
            pooled.setdefault(key, {})[t] = v
    for (p, template), by_wave in pooled.items():
        for t, v in by_wave.items():
            name = template.format(col=lay.items[t][p]).replace(_HOLE, lay.classes[t])
            if lay.invariant:
                v = float(np.mean(list(by_wave.values())))
            if name in nat.index:
                nat[name] = v
    c = lay.classes
    m1 = observed[0] if observed[0].any() else np.ones(len(w), bool)
    p1 = (posts[0] * (w * m1)[:, None]).sum(axis=0)
    for j, v in enumerate(_logits(p1 / p1.sum()), start=1):
        if f"{c[0]}#{j}~1" in nat.index:
            nat[f"{c[0]}#{j}~1"] = v
    _transition_logits(nat, lay, posts, observed, w)
    return tab.free_working_from_natural(nat.to_numpy())


def _transition_logits(nat, lay, posts, observed, w):
    """Transition logits from cross-tabulated posteriors (pooled when homogeneous)."""
    c, T, K = lay.classes, lay.n_waves, lay.k
    counts = {}
    for t in range(1, T):
        second = lay.order == 2 and t >= 2
        lags = [t - 2, t - 1] if second else [t - 1]
        rows = observed[t].copy()
        for s in lags:
            rows &= observed[s]
        if not rows.any():
            rows = np.ones(len(w), bool)
        wt = (w * rows)[:, None]
        if second:
            n = np.einsum("ij,ik,il->jkl", posts[t - 2] * wt, posts[t - 1], posts[t])
        else:
            n = (posts[t - 1] * wt).T @ posts[t]
        counts[t] = n + 0.5 / K
    if lay.homogeneous:
        for second in (False, True):
            ts = [t for t in counts if (lay.order == 2 and t >= 2) == second]
            pooled = sum(counts[t] for t in ts) if ts else None
            for t in ts:
                counts[t] = pooled
    for t, n in counts.items():
        lg = _logits(n / n.sum(axis=-1, keepdims=True))
        for idx in np.ndindex(lg.shape[:-1]):
            given = ",".join(f"{c[t - len(idx) + m]}={i + 1}" for m, i in enumerate(idx))
            for j in range(1, K):
                name = f"{c[t]}#{j}~1[{given}]"
                if name in nat.index:
                    nat[name] = lg[idx + (j - 1,)]
