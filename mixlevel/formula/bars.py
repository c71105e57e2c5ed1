"""Random terms: ``(effects | group)`` cut out of a right-hand side.

lme4's ``findbars`` / ``nobars`` on formulaic's tokens: the parenthesised
groups holding ``|`` (correlated) or ``||`` (uncorrelated) are found, checked
(added with ``+``, one grouping column, not nested) and cut out with a
neighbouring ``+``; the rest is the fixed part, a plain formulaic formula.
"""

from __future__ import annotations

from .messages import _error
from .terms import _tokenize


def _split_bars(rhs, stmt, offset):
    """findbars / nobars on formulaic's tokens.

    Returns (fixed text, [(effects text, effects offset, group, correlated, term text)]).
    """
    toks = _tokenize(rhs, stmt, offset)
    depth = 0
    groups = []  # (open index, close index)
    opened = []
    for k, tok in enumerate(toks):
        s = str(tok)
        kind = tok.kind.value
        if kind == "context" and s == "(":
            opened.append(k)
            depth += 1
        elif kind == "context" and s == ")":
            if not opened:
                raise _error(stmt, "unmatched ')'", offset + tok.source_start)
            o = opened.pop()
            depth -= 1
            if depth == 0:
                groups.append((o, k))
        elif kind == "operator" and "|" in s:
            if s not in ("|", "||"):
                raise _error(stmt, f"unexpected operator {s!r}", offset + tok.source_start,
                             "a random term is written (effects | group) or "
                             "(effects || group)")
            if depth == 0:
                raise _error(stmt, f"'{s}' outside parentheses", offset + tok.source_start,
                             "put random terms in parentheses: y ~ x + (1 + x | school)")
            if depth > 1:
                raise _error(stmt, "a random term inside other parentheses",
                             offset + tok.source_start,
                             "write random terms at the top level: y ~ x + (1 | g)")
    if opened:
        raise _error(stmt, "unclosed '('", offset + toks[opened[-1]].source_start)
    bars = []
    remove = []  # token index ranges to cut
    for o, c in groups:
        inner = toks[o + 1:c]
        ops = [k for k, t in enumerate(inner) if t.kind.value == "operator"
               and str(t) in ("|", "||") ]
        if not ops:
            continue
        if len(ops) > 1:
            raise _error(stmt, "more than one '|' in a random term",
                         offset + inner[ops[1]].source_start, "write (effects | group)")
        start_tok, end_tok = toks[o], toks[c]
        term_text = rhs[start_tok.source_start:end_tok.source_end + 1]
        prev_tok = toks[o - 1] if o > 0 else None
        next_tok = toks[c + 1] if c + 1 < len(toks) else None
        if prev_tok is not None and str(prev_tok) != "+" or \
                next_tok is not None and str(next_tok) != "+":
            raise _error(stmt, f"the random term {term_text} must be added with '+'",
                         offset + start_tok.source_start,
                         "random terms cannot be multiplied, subtracted or nested: "
                         "y ~ x + (1 | g)")
        bar = inner[ops[0]]
        if ops[0] == 0:
            raise _error(stmt, f"the random term {term_text} has no effects before "
                         f"'{bar}'", offset + bar.source_start, "e.g. (1 | g) or (1 + x | g)")
        eff_start = inner[0].source_start
        eff_text = rhs[eff_start:bar.source_start]
        right = inner[ops[0] + 1:]
        if len(right) != 1 or right[0].kind.value != "name":
            pos = offset + (right[0].source_start if right else end_tok.source_start)
            raise _error(stmt, f"the grouping of the random term {term_text} must be one "
                         "column name", pos,
                         "nested or crossed groupings (g1/g2, g1:g2) are not supported: "
                         "mixlevel models have two levels")
        group = str(right[0])
        bars.append((eff_text, offset + eff_start, group, str(bar) == "|", term_text))
        # cut the term with one neighbouring '+'
        if prev_tok is not None:
            remove.append((prev_tok.source_start, end_tok.source_end + 1))
        elif next_tok is not None:
            remove.append((start_tok.source_start, next_tok.source_end + 1))
        else:
            remove.append((start_tok.source_start, end_tok.source_end + 1))
    fixed, segments = [], []  # segments: (start in fixed text, start in rhs)
    pos, flen = 0, 0
    for s, e in sorted(remove):
        fixed.append(rhs[pos:s])
        segments.append((flen, pos))
        flen += s - pos
        pos = e
    fixed.append(rhs[pos:])
    segments.append((flen, pos))

    def to_rhs(k):
        """Position in the fixed text -> position in the right-hand side."""
        start, orig = max((seg for seg in segments if seg[0] <= k), default=(0, 0))
        return orig + (k - start)

    return "".join(fixed), bars, to_rhs
