"""Outcome families: one module per family, everything about it in one place.

Every family works on a linear predictor ``eta`` (one channel, or ``K - 1``
channels for a nominal outcome) and optional family parameters:

================= ========= =====================================================
family            channels  family parameters (natural scale)
================= ========= =====================================================
normal            1         residual variance ``theta`` (optimised as log-variance)
binary            1         none; ``P(y = 1) = F(eta)``, F logistic or normal
binomial          1         none; ``y`` successes out of ``trials``
ordinal           1         thresholds ``tau_1 < ... < tau_{K-1}``: eq. (1),
                            ``P(y <= k) = F(tau_k - eta)``
nominal           K - 1     none; multinomial logit, last category the reference
poisson           1         none; log link
truncated_poisson 1         none; log link, ``y >= 1`` (zero-truncated Poisson)
================= ========= =====================================================

:class:`~mixlevel.families.base.Family` documents what a family provides; the
compiled kernel evaluates the log-density of its :attr:`~Family.code` (the
codes are :class:`FamilyCode`, declared once in ``_kernels/_families.pxd``).
``docs/contributing.rst`` says how to add a family.
"""

from __future__ import annotations

from ..errors import SpecificationError
from .base import Family, FamilyCode, NoTables
from .binary import Binary
from .binomial import Binomial
from .nominal import Nominal
from .normal import Normal
from .ordinal import Ordinal
from .poisson import Poisson
from .truncated_poisson import ZeroTruncatedPoisson

__all__ = [
    "Family",
    "Normal",
    "Binary",
    "Binomial",
    "Ordinal",
    "Nominal",
    "Poisson",
    "ZeroTruncatedPoisson",
    "NoTables",
    "FamilyCode",
    "get_family",
    "NORMAL",
    "LOGIT",
    "PROBIT",
    "BINOMIAL_LOGIT",
    "BINOMIAL_PROBIT",
    "POISSON",
    "ORDINAL_LOGIT",
    "ORDINAL_PROBIT",
    "NOMINAL",
    "TRUNCATED_POISSON",
]

# the kernel's codes by name: aliases of FamilyCode's members (defined in _families.pxd)
NORMAL = FamilyCode.NORMAL
LOGIT = FamilyCode.LOGIT
PROBIT = FamilyCode.PROBIT
BINOMIAL_LOGIT = FamilyCode.BINOMIAL_LOGIT
BINOMIAL_PROBIT = FamilyCode.BINOMIAL_PROBIT
POISSON = FamilyCode.POISSON
ORDINAL_LOGIT = FamilyCode.ORDINAL_LOGIT
ORDINAL_PROBIT = FamilyCode.ORDINAL_PROBIT
NOMINAL = FamilyCode.NOMINAL
TRUNCATED_POISSON = FamilyCode.TRUNCATED_POISSON

_BY_NAME = {
    "normal": Normal,
    "gaussian": Normal,
    "binary": Binary,
    "bernoulli": Binary,
    "logit": Binary,
    "probit": lambda: Binary("probit"),
    "binomial": Binomial,
    "ordinal": Ordinal,
    "ordered": Ordinal,
    "nominal": Nominal,
    "multinomial": Nominal,
    "poisson": Poisson,
    "count": Poisson,
    "truncated_poisson": ZeroTruncatedPoisson,
    "zero_truncated_poisson": ZeroTruncatedPoisson,
    "ztpoisson": ZeroTruncatedPoisson,
}


def get_family(family):
    """Turn a name ("binary", "probit", ...) or a Family into a Family."""
    if isinstance(family, Family):
        return family
    if isinstance(family, str) and family.lower() in _BY_NAME:
        return _BY_NAME[family.lower()]()
    raise SpecificationError(
        f"unknown family {family!r}; use one of {sorted(set(_BY_NAME))} or a "
        "mixlevel.families object"
    )
