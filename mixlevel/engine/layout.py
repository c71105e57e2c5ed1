"""The kernel layout of a model: channels, latent values, monomials and coefficient slots.

A :class:`KernelLayout` is built once per model from its
:class:`~mixlevel.spec.layout.ParamLayout` and never changes; every engine of
the model (random starts, results on other rows) shares it.  It fixes how the
kernel sees the model (the ``_estep`` module docstring has the notation):

* channels: one linear predictor per outcome channel (one per outcome, K - 1
  for a nominal outcome), then K_v - 1 logit channels per within class
  variable;
* joint class patterns ``dc = d * C + c`` (between patterns d, within c);
* latent values ``lv = (1, z_b, z_w)`` and monomials ``U_m = lv[a] lv[b]``;
* entries: which parameter (or fixed value) is the coefficient of monomial
  m in channel ch for every pattern, times which design column.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..errors import SpecificationError
from .tabulate import has_tables

__all__ = ["KernelLayout", "build_kernel_layout", "check_enumeration", "enumeration_bytes",
           "MAX_ENUMERATION_BYTES"]

#: Largest memory the arrays over joint class patterns may take (bytes).
MAX_ENUMERATION_BYTES = 4 * 2**30


@dataclass(frozen=True, eq=False)
class KernelLayout:
    """How the kernel sees a model (read-only; see the module docstring).

    Attributes
    ----------
    D, C, DC : int
        Between patterns, within patterns, joint patterns.
    CH, M, kf : int
        Channels, monomials, largest number of family parameters (>= 1).
    och, fam, ncat : ndarray (P,)
        First channel, family code and number of categories of each outcome.
    n_channels : ndarray (P,)
        Channels of each outcome.
    kv, chv : ndarray (V,)
        Classes and first channel of each within class variable.
    cpat : ndarray (C, V), dpat : ndarray (D, B)
        Classes of the within / between class variables in each pattern.
    dims_b, dims_w : tuple of (block name, k)
        Cluster-level and row-level standard normal latent values.
    mono : ndarray (M, 2)
        Monomials as pairs of positions in ``lv``.
    entries : tuple of (ch, m, column, index (DC,), value (DC,))
        Coefficients of the outcome and within-class channels.
    const_entries : (pos, index, value)
        The constant-column entries as one flat scatter over (ch, dc, m).
    between_entries : tuple of (w, k, column, index (D,), value (D,))
        Logit coefficients of the between class variables.
    family_entries : tuple of (p, dc, first parameter, n_params, thresholds)
    is_threshold : ndarray (n_full,) bool
    row_varying : bool
        Some coefficient multiplies a design column other than the constant.
    tabulable_outcomes : tuple of int
        Outcomes whose predictors do not vary over rows and whose family has
        tables (:mod:`mixlevel.engine.tabulate`).
    tabulable_classes : bool
        The within class logits do not vary over rows.
    """

    D: int
    C: int
    DC: int
    CH: int
    M: int
    kf: int
    och: np.ndarray
    fam: np.ndarray
    ncat: np.ndarray
    n_channels: np.ndarray
    kv: np.ndarray
    chv: np.ndarray
    cpat: np.ndarray
    dpat: np.ndarray
    dims_b: tuple
    dims_w: tuple
    mono: np.ndarray
    entries: tuple
    const_entries: tuple
    between_entries: tuple
    family_entries: tuple
    is_threshold: np.ndarray
    row_varying: bool
    tabulable_outcomes: tuple
    tabulable_classes: bool

    @property
    def qb(self):
        return len(self.dims_b)

    @property
    def qw(self):
        return len(self.dims_w)

    def outcome_channels(self, p):
        """Channels of outcome ``p``."""
        return range(int(self.och[p]), int(self.och[p] + self.n_channels[p]))

    def class_channels(self):
        """Channels of all within class logits."""
        return [ch for K, ch0 in zip(self.kv, self.chv, strict=True)
                for ch in range(int(ch0), int(ch0 + K - 1))]


def enumeration_bytes(layout, n_rows):
    """Bytes of the arrays over joint class patterns that an enumerating engine allocates.

    Per joint pattern (between x within): the pattern itself, every term's
    slot, and per row the coefficients, the fused sweep's scores and family
    scores and the row posteriors (one integration node: the grid is checked
    on its own).  Computed from the specification, before any allocation.
    """
    spec = layout.spec
    DC = float(spec.n_between_patterns) * float(spec.n_within_patterns)
    CH = sum(layout.n_channels(o) for o in spec.outcomes) + sum(
        c.n_classes - 1 for c in spec.within_classes)
    M = 1 + sum(b.dim for b in spec.blocks)
    kf = max([layout.n_family_params(o) for o in spec.outcomes] + [1])
    per_row = max(CH, 1) * M * 2 + max(len(spec.outcomes), 1) * kf + 1
    return DC * (8 * len(spec.classes) + 16 * len(layout.terms) + 8 * n_rows * per_row)


def check_enumeration(layout, design):
    """Refuse a model whose joint class patterns cannot be enumerated in memory.

    Raises :class:`~mixlevel.errors.SpecificationError` naming the class
    variables, the number of patterns and the bytes (and why the latent
    Markov chain path does not apply) before anything is allocated.
    """
    need = enumeration_bytes(layout, design.n_rows)
    if need <= MAX_ENUMERATION_BYTES:
        return
    spec = layout.spec
    names = [c.name for c in spec.classes]
    sizes = " x ".join(str(c.n_classes) for c in spec.classes)
    n_pat = float(spec.n_between_patterns) * float(spec.n_within_patterns)
    why = layout.chain_reason
    raise SpecificationError(
        f"the class variables {', '.join(names)} have {n_pat:,.0f} joint class patterns "
        f"({sizes}), and enumerating them for {design.n_rows:,} rows needs about "
        f"{need / 2**30:,.1f} GB (more than {MAX_ENUMERATION_BYTES / 2**30:.0f} GB)"
        + (f"; the latent Markov chain path (linear in the number of waves) does not "
           f"apply because {why}" if why else "")
        + ".  Use fewer classes or class variables, or make the within class variables a "
        "chain: each one's logits on at most the one or two declared before it, and each "
        "outcome on at most one of them")


def build_kernel_layout(layout, single_level):
    """The :class:`KernelLayout` of a :class:`~mixlevel.spec.layout.ParamLayout`.

    ``single_level``: rows are their own clusters, so row-level latent blocks
    are integrated with the cluster-level ones (one set of nodes).
    """
    spec = layout.spec
    D, C = spec.n_between_patterns, spec.n_within_patterns
    DC = D * C
    # channels
    och, fam, ncat, nch = [], [], [], []
    channel_of = {}
    ch = 0
    for o in spec.outcomes:
        och.append(ch)
        channel_of[o.name] = ch
        fam.append(int(o.family.code))
        ncat.append(layout.n_categories[o.name])
        nch.append(layout.n_channels(o))
        ch += nch[-1]
    kv, chv = [], []
    for cv in spec.within_classes:
        chv.append(ch)
        channel_of[cv.name] = ch
        kv.append(cv.n_classes)
        ch += cv.n_classes - 1
    pats = layout.pattern_array
    pos = layout.class_positions
    wnames = [c.name for c in spec.within_classes]
    bnames = [c.name for c in spec.between_classes]
    cpat = np.ascontiguousarray(pats[:C][:, [pos[n] for n in wnames]], dtype=np.int64)
    dpat = np.ascontiguousarray(pats[::C][:, [pos[n] for n in bnames]], dtype=np.int64)
    kf = max([layout.n_family_params(o) for o in spec.outcomes] + [1])
    # latent values and monomials
    dims_b, dims_w = [], []
    for blk in spec.blocks:
        target = dims_w if (blk.level == "row" and not single_level) else dims_b
        target.extend((blk.name, k) for k in range(blk.dim))
    lv_pos = {key: 1 + i for i, key in enumerate(dims_b + dims_w)}
    mono = np.array([[0, 0]] + [[lv_pos[k], 0] for k in dims_b + dims_w], dtype=np.int64)
    M = len(mono)
    CH = max(ch, 1)
    # coefficient entries
    between = {c.name: i for i, c in enumerate(spec.between_classes)}
    entries, between_entries = [], []
    for ts in layout.terms:
        idx, val = ts.over(pats, pos)
        t = ts.term
        if t.target in between:
            between_entries.append((between[t.target], ts.channel, t.column,
                                    idx.reshape(D, C)[:, 0], val.reshape(D, C)[:, 0]))
            continue
        m = 0 if ts.latent is None else lv_pos[ts.latent]
        entries.append((channel_of[t.target] + ts.channel, m, t.column, idx, val))
    flat_pos, flat_idx, flat_val = [], [], []
    for chan, m, col, ix, vl in entries:
        if col == "1":
            flat_pos.extend((chan * DC + np.arange(DC)) * M + m)
            flat_idx.extend(ix)
            flat_val.extend(vl)
    const_entries = (np.asarray(flat_pos, np.int64), np.asarray(flat_idx, np.int64),
                     np.asarray(flat_val, float))
    family_entries = []
    is_threshold = np.zeros(len(layout.names), bool)
    for p, o in enumerate(spec.outcomes):
        fs = layout.family.get(o.name)
        if fs is None:
            continue
        for dc, first in enumerate(fs.over(pats, pos)):
            family_entries.append((p, dc, int(first), fs.n_params, fs.thresholds))
            if fs.thresholds:
                is_threshold[first:first + fs.n_params] = True
    # which predictors are the same on every row (and whose family has tables)
    const_channel = {}
    for chan, _, col, _, _ in entries:
        const_channel[chan] = const_channel.get(chan, True) and col == "1"
    tab_out = tuple(p for p, o in enumerate(spec.outcomes)
                    if all(const_channel.get(c, True) for c in range(och[p], och[p] + nch[p]))
                    and has_tables(o.family, ncat[p]))
    class_chans = [c for K, c0 in zip(kv, chv, strict=True) for c in range(c0, c0 + K - 1)]
    tab_classes = bool(class_chans) and all(const_channel.get(c, True) for c in class_chans)
    return KernelLayout(
        D=D, C=C, DC=DC, CH=CH, M=M, kf=kf,
        och=np.asarray(och, np.int64), fam=np.asarray(fam, np.int64),
        ncat=np.asarray(ncat, np.int64), n_channels=np.asarray(nch, np.int64),
        kv=np.asarray(kv, np.int64), chv=np.asarray(chv, np.int64), cpat=cpat, dpat=dpat,
        dims_b=tuple(dims_b), dims_w=tuple(dims_w), mono=mono, entries=tuple(entries),
        const_entries=const_entries, between_entries=tuple(between_entries),
        family_entries=tuple(family_entries), is_threshold=is_threshold,
        row_varying=any(e[2] != "1" for e in entries), tabulable_outcomes=tab_out,
        tabulable_classes=tab_classes)
