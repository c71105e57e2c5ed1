# cython: language_level=3
"""Outcome family codes of the compiled kernel, exported to Python.

:class:`FamilyCode` (an ``IntEnum``) is declared once, in ``_families.pxd``;
Cython exports it here.  A family object (:mod:`mixlevel.families`) gives the
kernel its code; the kernel (``_estep.pyx``) evaluates the code's inline
log-density from ``_families.pxi``.
"""
