"""The package installs, its Cython kernels are compiled and importable."""

import importlib.machinery
import re
import subprocess
import sys

import numpy as np

import mixlevel
from mixlevel._kernels import _build_info

# PEP 440 public version, e.g. 0.1.0, 0.1.0.dev0, 1.2rc1, 1.0.post2
PEP440 = re.compile(r"^\d+(\.\d+)*((a|b|rc)\d+)?(\.post\d+)?(\.dev\d+)?(\+[a-zA-Z0-9.]+)?$")


def test_version_is_pep440_string():
    assert isinstance(mixlevel.__version__, str)
    assert PEP440.match(mixlevel.__version__), mixlevel.__version__


def test_kernels_are_compiled_extension():
    assert _build_info.is_compiled() is True
    suffixes = tuple(importlib.machinery.EXTENSION_SUFFIXES)
    assert _build_info.__file__.endswith(suffixes), _build_info.__file__


def test_compiled_sum():
    assert _build_info.compiled_sum(np.arange(1000.0)) == 499500.0
    assert _build_info.compiled_sum(np.empty(0)) == 0.0


def test_compiled_sum_accepts_read_only_array():
    x = np.ones(10)
    x.setflags(write=False)
    assert _build_info.compiled_sum(x) == 10.0


def test_compiled_sum_keeps_ieee_semantics():
    # built without -ffast-math: inf and nan must propagate
    assert _build_info.compiled_sum(np.array([1.0, np.inf])) == np.inf
    assert np.isnan(_build_info.compiled_sum(np.array([1.0, np.nan, 2.0])))


def test_import_does_not_load_matplotlib():
    code = "import mixlevel, sys; assert 'matplotlib' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_openmp_info():
    assert isinstance(_build_info.openmp_enabled(), bool)
    n = _build_info.n_threads()
    assert isinstance(n, int)
    assert n >= 1
    if not _build_info.openmp_enabled():
        assert n == 1
