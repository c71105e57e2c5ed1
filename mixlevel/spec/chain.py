"""Latent Markov chains among the within class variables, found from the specification.

The paper's latent transition models (sections 3-4, eq. 6-9) have one within
class variable per wave, ``C_1, ..., C_T``, each measured by its own outcomes
and each predicted by the one before it.  Their likelihood needs no sum over
the K^T joint class patterns: the forward-backward recursions
(:mod:`mixlevel._kernels._chain`) cost O(T K^2) per row.  :func:`chain_structure`
decides, from the specification alone (no data), whether a model is such a
chain:

* two or more within class variables, all with the same number of classes K;
* the logits of each within class variable depend on at most the one declared
  before it (order 1), or on the two before it (order 2, ``c3 ~ c1 * c2``);
* the parameters of every outcome (coefficients, residual variance,
  thresholds) depend on at most one within class variable (its wave);
  outcomes that depend on none are counted with the first wave;
* no row-level latent variables (factors per row): cluster random effects
  (random intercepts, loadings, random logit intercepts) and between class
  variables are allowed, because they enter every row of a cluster alike and
  become the integration cells (between pattern d, cluster node g) of the
  chain kernel.

Everything else is enumerated over joint class patterns as before.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["ChainStructure", "chain_structure"]


@dataclass(frozen=True)
class ChainStructure:
    """How the within class variables of a model form a latent Markov chain.

    Attributes
    ----------
    classes : tuple of str
        The within class variables in declaration order: wave t = 0..T-1.
    k : int
        Classes of every wave.
    order : int
        1: ``C_t`` depends on ``C_{t-1}``; 2: on ``C_{t-2}`` and ``C_{t-1}``
        from the third wave on (the second wave on the first only).
    wave_of : dict
        {outcome name: wave} (outcomes that depend on no within class
        variable are counted with wave 0).
    between : tuple of str
        The between class variables (the cells d of the kernel).
    """

    classes: tuple
    k: int
    order: int
    wave_of: dict
    between: tuple

    @property
    def n_waves(self):
        return len(self.classes)

    def parents(self, t):
        """Within class variables the logits of wave ``t`` may depend on, oldest first."""
        if t == 0:
            return ()
        if self.order == 2 and t >= 2:
            return self.classes[t - 2:t]
        return (self.classes[t - 1],)


def _outcome_classes(spec, name):
    """Class variables the parameters of outcome ``name`` depend on."""
    deps = set(spec.residual_by.get(name, ())) | set(spec.threshold_by.get(name, ()))
    for t in spec.terms:
        if t.target == name:
            deps |= set(t.by)
    return deps


def chain_structure(spec):
    """The :class:`ChainStructure` of ``spec``, or (None, the reason it is not a chain).

    Returns
    -------
    (ChainStructure or None, str)
        The reason is empty for a chain and one sentence otherwise (it goes
        into the error that refuses an enumeration too large for memory).
    """
    within = [c for c in spec.classes if c.level == "within"]
    names = tuple(c.name for c in within)
    if len(within) < 2:
        return None, "there are fewer than two within class variables"
    sizes = {c.n_classes for c in within}
    if len(sizes) > 1:
        return None, ("the within class variables have different numbers of classes "
                      f"({', '.join(f'{c.name}: {c.n_classes}' for c in within)})")
    row_blocks = [b.name for b in spec.blocks if b.level == "row"]
    if row_blocks:
        return None, f"the row-level latent variables {row_blocks} vary within a wave"
    pos = {n: t for t, n in enumerate(names)}
    order = 1
    for t in spec.terms:
        if t.target not in pos:
            continue
        lags = sorted(pos[t.target] - pos[b] for b in t.by if b in pos)
        if any(lag < 1 or lag > 2 for lag in lags):
            far = [b for b in t.by if b in pos and not 1 <= pos[t.target] - pos[b] <= 2]
            return None, (f"the logits of {t.target!r} depend on {far}, not only on the "
                          "one or two class variables declared just before it")
        if 2 in lags:
            order = 2
    wave_of = {}
    for o in spec.outcomes:
        own = sorted(_outcome_classes(spec, o.name) & set(names), key=pos.get)
        if len(own) > 1:
            return None, (f"the parameters of the outcome {o.name!r} depend on several "
                          f"within class variables ({', '.join(own)})")
        wave_of[o.name] = pos[own[0]] if own else 0
    between = tuple(c.name for c in spec.classes if c.level == "between")
    return ChainStructure(names, sizes.pop(), order, wave_of, between), ""
