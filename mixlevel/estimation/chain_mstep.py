"""Closed-form EM M-step of latent Markov chain models (the chain engine's EM).

At fixed posteriors (gamma_t, xi_t and, for second order, xi2_t of the
forward-backward E-step) the expected complete-data log-likelihood of a chain
separates into multinomial log-likelihoods of expected counts (Baum et al.
1970; the EM of LMest and of hidden Markov model software):

* initial logits (eq. 8): the expected class counts at wave 1,
  ``logit_k = log(n_k / n_K)``;
* transition logits (eq. 9): the expected transition counts ``sum_i xi_it[a, b]``
  of each parent class a (pair of parent classes for second order), summed over
  the waves whose logits are equal (time-homogeneous transitions pool the
  counts of waves 2..T);
* outcome intercepts per class: the family's closed form of the pooled expected
  statistics (:meth:`~mixlevel.families.base.Family.closed_form_eta`: logs of
  category counts for binary and nominal items, means of normal outcomes) and
  its family parameters (the pooled residual variance of normal outcomes);
  measurement invariance pools the cells of the tied waves.

Which parameter is pooled with which comes from the layout (the engine's
compact slots of every term and family parameter) and the parameter table's
equality constraints (``ParamTable.source``), never from names.  A model with
something outside this (covariates on class logits, ordinal thresholds,
fixed parameters inside a pooled group, several terms in one equation) gets no
plan, and the EM falls back to the numerical M-step of
:func:`~mixlevel.estimation.em_algorithm.m_step`.
"""

from __future__ import annotations

import numpy as np

from ..families.base import Family

__all__ = ["ChainMStep"]


class _NoClosedForm(Exception):
    """The model has a parameter the closed form cannot update."""


class _Groups:
    """Cells sharing one tuple of free parameters (their counts are pooled)."""

    def __init__(self):
        self.cells = {}

    def add(self, key, cell):
        if any(k is None for k in key):
            raise _NoClosedForm
        self.cells.setdefault(key, []).append(cell)

    def check_disjoint(self, used):
        """Every free parameter in one key only, at one position (else no closed form)."""
        for key in self.cells:
            for k in key:
                if k in used:
                    raise _NoClosedForm
                used.add(k)


class ChainMStep:
    """The closed-form M-step of one chain engine's model (module docstring).

    Build it with :meth:`plan` (None when the model has no closed form);
    :meth:`update` maps the expected statistics of an E-step to the free
    working vector that maximises the Q-function.
    """

    def __init__(self, logits, etas, params):
        self.logits = logits      # [(free indices (K-1,), [(wave, parent code)])]
        self.etas = etas          # [(free indices (channels,), family, [(outcome, class)])]
        self.params = params      # [(free indices (n,), family, [(outcome, class, eta key)])]

    @classmethod
    def plan(cls, engine):
        """A ChainMStep for ``engine`` (a ChainEngine), or None if there is no closed form."""
        try:
            return cls(*_plan(engine))
        except _NoClosedForm:
            return None

    def update(self, engine, free_work, estep):
        """The free working vector maximising the Q-function of ``estep``.

        ``engine`` gives the weighted sums of the E-step (the expected outcome
        statistics per class and the expected class counts per parent pattern);
        parameters whose cells hold no observation keep their values in
        ``free_work``.
        """
        Ew, post_sums = engine.expected_sums(estep)
        out = np.array(free_work, float, copy=True)
        K = engine.plan.K
        for key, cells in self.logits:  # eq. 8-9: logs of pooled expected counts
            n = sum(post_sums[t][code] for t, code in cells)
            total = n.sum()
            if total > 0:
                lp = np.log(np.clip(n / total, 1e-13, None))
                out[list(key)] = lp[:K - 1] - lp[K - 1]
        stat = engine.tables.stat_slice
        eta_of = {}
        for key, fam, cells in self.etas:
            E = sum(Ew[stat[q], k] for q, k in cells)
            eta = fam.closed_form_eta(E)
            if eta is None:  # no observation: keep the value (a constant of Q)
                eta = out[list(key)]
            else:
                out[list(key)] = eta
            eta_of[key] = eta
        for key, fam, cells in self.params:
            E = np.stack([Ew[stat[q], k] for q, k, _ in cells], axis=1)
            eta = np.stack([eta_of[ek] for _, _, ek in cells], axis=1)
            fp = fam.closed_form_params(E, eta)
            if fp is not None:
                out[list(key)] = fp
        return out


def _plan(engine):
    """(logit groups, eta groups, family parameter groups) of ``engine``'s model."""
    tab, p = engine.table, engine.plan
    spec = engine.spec
    free_pos = {int(full): k for k, full in enumerate(tab.free_index)}
    source = np.asarray(tab.source)

    def free(i):
        return free_pos.get(int(source[i])) if i >= 0 else None

    K = p.K
    logits = _Groups()
    for t in range(p.T):  # class logits: one intercept per class (the last the reference)
        if p.wave_has_x[t]:
            raise _NoClosedForm
        by_cls = {}
        for cls, col, idx, _ in p.logit_terms[t]:
            if col != "1" or cls in by_cls or cls >= K - 1:
                raise _NoClosedForm
            by_cls[cls] = idx
        if sorted(by_cls) != list(range(K - 1)):
            raise _NoClosedForm
        for code in range(K ** p.wave_arity(t)):
            logits.add(tuple(free(by_cls[c][code]) for c in range(K - 1)), (t, code))
    etas, params = _Groups(), _Groups()
    families = {}
    terms = {}
    for ch, idx, _ in p.outcome_terms:
        if ch in terms:  # several terms in one equation: no closed form here
            raise _NoClosedForm
        terms[ch] = idx
    slots = {q: (first, n_par, thr) for q, first, n_par, thr in p.family_slots}
    for q, o in enumerate(spec.outcomes):
        chans = [p.och[q] + c for c in range(p.nch[q])]
        if any(ch not in terms for ch in chans):
            raise _NoClosedForm
        first, n_par, thresholds = slots.get(q, (None, 0, False))
        if thresholds:
            raise _NoClosedForm
        for k in range(K):
            key = tuple(free(terms[ch][k]) for ch in chans)
            etas.add(key, (q, k))
            families.setdefault(key, set()).add(o.family)
            if n_par:
                pkey = tuple(free(first[k] + j) for j in range(n_par))
                params.add(pkey, (q, k, key))
                families.setdefault(pkey, set()).add(o.family)
    used = set()
    for g in (logits, etas, params):
        g.check_disjoint(used)
    if used != set(range(tab.n_free)):
        raise _NoClosedForm  # a free parameter the closed form does not update
    if any(len(f) > 1 for f in families.values()):
        raise _NoClosedForm
    # the eta of a cell must not depend on family parameters it does not share with
    # the other cells of its group (a mean shared by classes with their own variances)
    pkey_of = {(q, k): key for key, cells in params.cells.items() for q, k, _ in cells}
    for cells in etas.cells.values():
        if len({pkey_of.get(c) for c in cells}) > 1:
            raise _NoClosedForm

    def fam(key):
        return next(iter(families[key]))

    for key in list(etas.cells) + list(params.cells):
        probe = fam(key)
        if key in etas.cells and _has_no_eta_form(probe):
            raise _NoClosedForm
        if key in params.cells and _has_no_param_form(probe):
            raise _NoClosedForm
    return (list(logits.cells.items()),
            [(key, fam(key), cells) for key, cells in etas.cells.items()],
            [(key, fam(key), cells) for key, cells in params.cells.items()])


def _has_no_eta_form(family):
    """True when the family gives no closed-form intercept."""
    return type(family).closed_form_eta is Family.closed_form_eta


def _has_no_param_form(family):
    """True when the family gives no closed-form family parameters."""
    return type(family).closed_form_params is Family.closed_form_params
