"""Progress bars for long work (random starts, Monte Carlo replications).

A thin wrapper around `tqdm <https://tqdm.github.io>`_.  A bar is shown only
when someone can see it: by default when standard error is a terminal, and
never under pytest or in a non-interactive run (a CI log, a notebook kernel's
captured stream, a redirected script).  ``progress=True`` or ``False`` forces it
either way; the environment variable ``MIXLEVEL_PROGRESS=0`` / ``1`` sets the
default for a whole session.

Example
-------
>>> from mixlevel.progress import progress_bar
>>> with progress_bar(total=10, desc="starts", progress=False) as bar:
...     for _ in range(10):
...         bar.update(1)
"""

from __future__ import annotations

import os
import sys
import threading

__all__ = ["progress_enabled", "progress_bar", "track"]


def progress_enabled(progress=None, file=None):
    """Whether a bar should be drawn.

    Parameters
    ----------
    progress : bool or None
        True or False force the answer; None decides from the environment.
    file : file-like, optional
        Where the bar would be written (default: standard error).

    Returns
    -------
    bool
    """
    if progress is not None:
        return bool(progress)
    env = os.environ.get("MIXLEVEL_PROGRESS", "").strip().lower()
    if env in ("0", "false", "no", "off"):
        return False
    if env in ("1", "true", "yes", "on"):
        return True
    if "PYTEST_CURRENT_TEST" in os.environ or os.environ.get("CI"):
        return False
    stream = file if file is not None else sys.stderr
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


class _SilentBar:
    """Stands in for a tqdm bar when nothing is shown; counts all the same."""

    def __init__(self, total=None):
        self.total = total
        self.n = 0

    def update(self, n=1):
        self.n += n

    def set_postfix_str(self, *args, **kwargs):
        pass

    def set_description(self, *args, **kwargs):
        pass

    def close(self):
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False


class _LockedBar:
    """A tqdm bar that worker threads (joblib's threading backend) may update."""

    def __init__(self, bar):
        self._bar = bar
        self._lock = threading.Lock()

    @property
    def n(self):
        return self._bar.n

    @property
    def total(self):
        return self._bar.total

    def update(self, n=1):
        with self._lock:
            self._bar.update(n)

    def set_postfix_str(self, s="", refresh=True):
        with self._lock:
            self._bar.set_postfix_str(s, refresh=refresh)

    def set_description(self, desc=None, refresh=True):
        with self._lock:
            self._bar.set_description(desc, refresh=refresh)

    def close(self):
        self._bar.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False


def progress_bar(total=None, desc=None, progress=None, file=None, **kwargs):
    """A progress bar, or a silent stand-in when no bar should be shown.

    Parameters
    ----------
    total : int, optional
        Number of steps.
    desc : str, optional
        Label shown before the bar.
    progress : bool or None
        Force the bar on or off; None shows it only on a terminal (see
        :func:`progress_enabled`).
    file : file-like, optional
        Stream of the bar (default: standard error).
    **kwargs
        Passed to :class:`tqdm.tqdm`.

    Returns
    -------
    object
        Has ``update(n)``, ``set_postfix_str(s)``, ``close()`` and works as a
        context manager; safe to update from several threads.
    """
    if not progress_enabled(progress, file):
        return _SilentBar(total)
    from tqdm.auto import tqdm

    kwargs.setdefault("dynamic_ncols", True)
    kwargs.setdefault("leave", False)
    return _LockedBar(tqdm(total=total, desc=desc, file=file or sys.stderr, **kwargs))


def track(iterable, total=None, desc=None, progress=None, file=None, **kwargs):
    """Iterate over ``iterable`` with a progress bar (see :func:`progress_bar`).

    Parameters
    ----------
    iterable : iterable
    total : int, optional
        Length when ``len(iterable)`` is not available.
    desc, progress, file, **kwargs
        As for :func:`progress_bar`.

    Yields
    ------
    object
        The items of ``iterable``.
    """
    if total is None:
        try:
            total = len(iterable)
        except TypeError:
            total = None
    with progress_bar(total=total, desc=desc, progress=progress, file=file, **kwargs) as bar:
        for item in iterable:
            yield item
            bar.update(1)
