"""Checkpoint files: long jobs that lose nothing when interrupted.

A checkpoint is a JSON-lines file that the user names.  Its first line
describes the job (what must be equal for a resumed run to continue it: the
seed, the model, the settings); every further line is one finished task
(a Monte Carlo replication, a random start, a bootstrap draw), keyed by its
index and written, flushed and synced as soon as the result reaches the
client.  A run that finds the file with the same description reads the
finished tasks back and runs only the others; a task that was running when
the job stopped was never written, so it runs again, and a task is never
counted twice (the first record of a key wins).  A line cut short by the
interruption is dropped.

Floats are written with ``repr`` (JSON), which reads back to the same double,
so a resumed job ends with the same numbers as an uninterrupted one.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from ..errors import SpecificationError

__all__ = ["Checkpoint", "jsonable"]


def jsonable(value):
    """``value`` with numpy scalars and arrays turned into Python floats, ints and lists."""
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if hasattr(value, "tolist"):  # numpy arrays and scalars
        return jsonable(value.tolist())
    return value


class Checkpoint:
    """A job's checkpoint file (see the module docstring).

    Parameters
    ----------
    path : str or path-like
        The file; created when missing, continued when it describes the same job.
    header : dict
        The job's description (JSON-able).  A file whose first line differs is
        refused with an error naming the differences.
    """

    def __init__(self, path, header):
        self.path = Path(path)
        self.header = jsonable(header)
        self.done = {}
        if self.path.exists() and self.path.stat().st_size:
            self._read()
        else:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with open(self.path, "w") as f:
                f.write(json.dumps({"header": self.header}) + "\n")
                _sync(f)

    def _read(self):
        raw = self.path.read_bytes()
        complete = raw[:raw.rfind(b"\n") + 1]  # a last line without its newline was cut short
        if len(complete) < len(raw):
            with open(self.path, "r+b") as f:
                f.truncate(len(complete))
        lines = complete.decode().splitlines()
        try:
            header = json.loads(lines[0])["header"] if lines else None
        except (ValueError, KeyError, TypeError):
            header = None
        if header is None:
            raise SpecificationError(
                f"checkpoint={str(self.path)!r} is not a mixlevel checkpoint file; give the "
                "name of a new file or of one an earlier run of this job wrote")
        def text(v):  # compared as JSON text: NaN equals NaN there
            return json.dumps(v, sort_keys=True)

        if text(header) != text(self.header):
            diff = sorted(k for k in set(header) | set(self.header)
                          if text(header.get(k)) != text(self.header.get(k)))
            raise SpecificationError(
                f"checkpoint={str(self.path)!r} belongs to another job (it differs in "
                f"{', '.join(diff)}); give another file name, or delete the file to start "
                "this job afresh")
        for line in lines[1:]:
            try:
                rec = json.loads(line)
            except ValueError:
                continue
            self.done.setdefault(int(rec["key"]), rec["value"])

    def __contains__(self, key):
        return int(key) in self.done

    def write(self, key, value):
        """Record the finished task ``key`` (its first record wins)."""
        key = int(key)
        if key in self.done:
            return
        value = jsonable(value)
        self.done[key] = value
        with open(self.path, "a") as f:
            f.write(json.dumps({"key": key, "value": value}) + "\n")
            _sync(f)


def _sync(f):
    f.flush()
    try:
        os.fsync(f.fileno())
    except OSError:  # e.g. a file system without fsync
        pass
