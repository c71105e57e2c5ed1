"""Build information and a trivial kernel proving the compiled code runs.

``openmp_enabled()`` tells whether this extension was compiled with OpenMP;
when it was not, Cython ``prange`` loops in mixlevel run serially.
"""

cimport cython
from cython.parallel cimport prange

cdef extern from *:
    """
    #ifdef _OPENMP
    #include <omp.h>
    #define MIXLEVEL_OPENMP 1
    static int mixlevel_max_threads(void) { return omp_get_max_threads(); }
    #else
    #define MIXLEVEL_OPENMP 0
    static int mixlevel_max_threads(void) { return 1; }
    #endif
    """
    const int MIXLEVEL_OPENMP
    int mixlevel_max_threads() nogil


def is_compiled() -> bool:
    """Return True: this module is a compiled extension."""
    return bool(cython.compiled)


def openmp_enabled() -> bool:
    """Return True when the kernels were compiled with OpenMP."""
    return MIXLEVEL_OPENMP != 0


def n_threads() -> int:
    """Maximum number of OpenMP threads a parallel region may use (1 without OpenMP)."""
    return int(mixlevel_max_threads())


def compiled_sum(const double[::1] x) -> float:
    """Sum a contiguous float64 array in a ``nogil`` ``prange`` loop."""
    cdef Py_ssize_t i
    cdef Py_ssize_t n = x.shape[0]
    cdef double total = 0.0
    with nogil:
        for i in prange(n, schedule="static"):
            total += x[i]
    return total
