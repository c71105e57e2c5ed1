"""Persistence: pickling, :meth:`save`, and :meth:`remove_data`."""

from __future__ import annotations

import contextlib
import os
import pickle
import secrets
from pathlib import Path

import numpy as np

__all__ = ["PersistenceMixin", "save_pickle"]


def save_pickle(obj, fname):
    """Pickle ``obj`` to ``fname`` (a path or a binary file object) without ever
    leaving a truncated file.

    The pickle is made in memory first; a path is written through a temporary
    file in the same directory, renamed into place, so when pickling or
    writing fails an existing file is unchanged and no new one appears.
    """
    try:
        data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception as exc:
        exc.add_note(f"the result cannot be pickled; nothing was written to {fname!r}")
        raise
    if hasattr(fname, "write") and not isinstance(fname, (str, os.PathLike)):
        fname.write(data)
        return
    path = Path(fname)
    tmp = path.with_name(f".{path.name}.{os.getpid()}-{secrets.token_hex(4)}.tmp")
    try:
        with open(tmp, "xb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


class PersistenceMixin:
    """What a result keeps when pickled, saved or stripped of its data."""

    def __getstate__(self):
        state = self.__dict__.copy()
        state.pop("_prior_engine_obj", None)  # engines are rebuilt on demand
        return state

    def save(self, fname, remove_data=False):
        """Pickle the result to ``fname``.

        Parameters
        ----------
        fname : str, path or binary file object
        remove_data : bool
            Call :meth:`remove_data` first: a smaller file, with the summary,
            the exports and prediction on new data still working.

        Notes
        -----
        When pickling or writing fails, no truncated file is left and an
        existing file is unchanged (see :func:`save_pickle`).  Load with
        :meth:`load` (or :func:`pickle.load`); as with any pickle, only from a
        source you trust.
        """
        if remove_data:
            self.remove_data()
        save_pickle(self, fname)

    def _precompute(self):
        """Compute and keep everything the summary and the exports read."""
        self.summary(probabilities=True)
        self.to_dict()
        if self.model.engine is not None and self.model.engine.kl.qb:
            self.random_effects()

    def remove_data(self):
        """Drop the data (and data-sized arrays) from the results and the model.

        Everything the summary, :attr:`profiles`, the class tables and the
        exports need is computed first and kept, so those still work (and
        :meth:`predict` with ``newdata``); posterior probabilities per row, a
        new E-step or a refit are no longer possible.
        """
        from ..data import Design

        self._precompute()
        super().remove_data()
        self._estep = None
        self.__dict__.pop("_prior_engine_obj", None)
        store = self.__dict__.get("_store", {})
        store.pop("joint_sorted", None)
        m = self.model
        d = m.design
        empty = Design.for_rows(d, {c: np.zeros(0) for c in d.columns}, 0,
                                len(m.spec.outcomes))
        m.engine = m.engine.on_rows(empty)
        for att in ("y", "trials", "const", "row_weight", "order", "index"):
            setattr(d, att, None)
        d.columns = {}
        d.cache.clear()
        m.data.frame = None
