"""Build the Cython extensions of mixlevel.

All project metadata lives in pyproject.toml; this file only declares the
compiled kernels.  Every ``mixlevel/**/*.pyx`` becomes an extension module
named after its path (``mixlevel/_kernels/foo.pyx`` -> ``mixlevel._kernels.foo``).

OpenMP is used when the C compiler accepts ``-fopenmp`` (checked at build time
by compiling and linking a tiny program).  Otherwise, or when the environment
variable ``MIXLEVEL_NO_OPENMP=1`` is set, the kernels are built without it and
Cython ``prange`` loops run serially.

No ``-ffast-math``: the kernels rely on IEEE inf/nan semantics.
"""

import contextlib
import os
import sys
import tempfile
from pathlib import Path

import numpy as np
from Cython.Build import cythonize
from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

HERE = Path(__file__).resolve().parent

COMPILER_DIRECTIVES = {
    "language_level": 3,
    "boundscheck": False,
    "wraparound": False,
    "cdivision": True,
    "initializedcheck": False,
}

OPENMP_TEST_PROGRAM = r"""
#include <omp.h>
#include <stdio.h>
int main(void) {
    int n = 0;
    #pragma omp parallel reduction(+:n)
    n += 1;
    printf("%d %d\n", n, omp_get_max_threads());
    return 0;
}
"""


def _env_flag(name):
    return os.environ.get(name, "").strip().lower() in {"1", "true", "yes", "on"}


@contextlib.contextmanager
def _silenced_fds():
    """Silence fds 1 and 2 (compiler chatter of the probe), restoring them after."""
    sys.stdout.flush()
    sys.stderr.flush()
    saved = [os.dup(1), os.dup(2)]
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 1)
        os.dup2(devnull, 2)
        yield
    finally:
        os.dup2(saved[0], 1)
        os.dup2(saved[1], 2)
        for fd in (*saved, devnull):
            os.close(fd)


def _openmp_flags(compiler):
    """Return (compile_args, link_args) for OpenMP, or None if unusable."""
    if compiler.compiler_type == "msvc":
        flags = (["/openmp"], [])
    else:
        flags = (["-fopenmp"], ["-fopenmp"])
    old_cwd = os.getcwd()
    with tempfile.TemporaryDirectory(prefix="mixlevel-omp-") as tmp:
        try:
            os.chdir(tmp)
            Path("omp_test.c").write_text(OPENMP_TEST_PROGRAM)
            with _silenced_fds():
                objects = compiler.compile(["omp_test.c"], extra_postargs=flags[0])
                compiler.link_executable(objects, "omp_test", extra_postargs=flags[1])
        except Exception:
            return None
        finally:
            os.chdir(old_cwd)
    return flags


class BuildExt(build_ext):
    """build_ext that adds optimisation and (when available) OpenMP flags."""

    def finalize_options(self):
        super().finalize_options()
        if self.parallel is None:  # compile several extensions at once
            self.parallel = os.cpu_count() or 1

    def build_extensions(self):
        is_msvc = self.compiler.compiler_type == "msvc"
        compile_args = ["/O2"] if is_msvc else ["-O3"]
        link_args = []

        if _env_flag("MIXLEVEL_NO_OPENMP"):
            print(
                "mixlevel: MIXLEVEL_NO_OPENMP is set; building without OpenMP "
                "(prange loops run serially)"
            )
        else:
            omp = _openmp_flags(self.compiler)
            if omp is None:
                print(
                    "mixlevel: the C compiler does not accept OpenMP; building "
                    "without it (prange loops run serially)"
                )
            else:
                compile_args += omp[0]
                link_args += omp[1]

        for ext in self.extensions:
            ext.extra_compile_args = list(ext.extra_compile_args or []) + compile_args
            ext.extra_link_args = list(ext.extra_link_args or []) + link_args
        super().build_extensions()


def _extensions():
    exts = []
    for pyx in sorted(HERE.glob("mixlevel/**/*.pyx")):
        rel = pyx.relative_to(HERE)
        name = ".".join(rel.with_suffix("").parts)
        exts.append(
            Extension(
                name,
                sources=[rel.as_posix()],
                include_dirs=[np.get_include()],
                define_macros=[("NPY_NO_DEPRECATED_API", "NPY_1_7_API_VERSION")],
            )
        )
    return cythonize(exts, compiler_directives=COMPILER_DIRECTIVES)


setup(ext_modules=_extensions(), cmdclass={"build_ext": BuildExt})
