# The outcome family codes shared by the compiled kernel and Python.
#
# The one definition of the codes: ``cpdef`` makes Cython export the enum to
# Python as ``mixlevel._kernels._families.FamilyCode`` (an IntEnum), which
# mixlevel.families and the numpy oracle (_reference.py) use; the kernel
# cimports the names.  Each code has one inline log-density in _families.pxi.

cpdef enum FamilyCode:
    NORMAL = 0
    LOGIT = 1
    PROBIT = 2
    BINOMIAL_LOGIT = 3
    BINOMIAL_PROBIT = 4
    POISSON = 5
    ORDINAL_LOGIT = 6
    ORDINAL_PROBIT = 7
    NOMINAL = 8
    TRUNCATED_POISSON = 9
