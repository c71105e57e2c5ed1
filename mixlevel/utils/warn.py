"""Warnings that point at the caller's line, however deep in mixlevel they are raised.

A fixed ``stacklevel`` is right for one call path only: the same warning
raised from ``fit()``, from ``summary()`` (standard errors are computed on
first use) or from a pipeline sits at different depths.  :func:`warn_user`
walks out of mixlevel (and of statsmodels, whose results wrappers and
likelihood classes call into mixlevel) and reports the first line of the
user's code.
"""

from __future__ import annotations

import os
import sys
import warnings

__all__ = ["warn_user", "user_stacklevel"]

_PACKAGE = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep


def _internal_prefixes():
    prefixes = [_PACKAGE]
    sm = sys.modules.get("statsmodels")
    if sm is not None and getattr(sm, "__file__", None):
        prefixes.append(os.path.dirname(os.path.abspath(sm.__file__)) + os.sep)
    return tuple(prefixes)


def user_stacklevel():
    """The ``stacklevel`` of the first frame outside mixlevel and statsmodels.

    For a :func:`warnings.warn` call in the function that calls this one
    (stacklevel 1 names that function, 2 its caller, ...).
    """
    prefixes = _internal_prefixes()
    frame, level = sys._getframe(1), 1
    while frame is not None:
        name = frame.f_code.co_filename
        if not (os.path.abspath(name).startswith(prefixes) or name.startswith("<frozen")):
            return level
        frame = frame.f_back
        level += 1
    return 1


def warn_user(message, category=UserWarning):
    """``warnings.warn(message, category)`` reported at the user's line of code."""
    warnings.warn(message, category, stacklevel=user_stacklevel())
