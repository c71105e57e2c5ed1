"""Run the mixlevel benchmarks and print a table.

Discovers every function named ``bench_*`` in the modules ``benchmarks/bench_*.py``,
runs it, prints one row per result and writes them to ``benchmarks/results.json``.

    python benchmarks/run.py            # everything
    python benchmarks/run.py -k sum     # only benchmarks whose function name contains "sum"
    python benchmarks/run.py --update-docs   # also rewrite the tables in README.md and docs

Each benchmark function runs in a process of its own (started by "spawn": a
fork of a process whose OpenMP runtime has threads can hang), so its row can
report that process's peak resident memory (``peak MB``: the interpreter and
libraries included) and one benchmark's memory does not count against the
next.  With ``--update-docs`` (``make bench``) and no ``-k``, the table between
the ``bench-table`` markers of README.md and
docs/scaling.rst is replaced by this run's.
"""

import os

# Two cores on the reference machine; set before numpy/BLAS/OpenMP load.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
    os.environ.setdefault(_var, "2")

import argparse  # noqa: E402
import datetime  # noqa: E402
import importlib  # noqa: E402
import inspect  # noqa: E402
import json  # noqa: E402
import multiprocessing  # noqa: E402
import platform  # noqa: E402
import resource  # noqa: E402
import sys  # noqa: E402
import traceback  # noqa: E402
from pathlib import Path  # noqa: E402

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results.json"
README = HERE.parent / "README.md"
DOCS_TABLE = HERE.parent / "docs" / "scaling.rst"

COLUMNS = [
    # (header, key, formatter)
    ("benchmark", "name", str),
    ("seconds", "seconds", lambda v: f"{v:.4f}"),
    ("CPU s", "cpu_seconds", lambda v: f"{v:.4f}"),
    ("peak MB", "peak_mb", lambda v: f"{v:.0f}"),
    ("loglik", "loglik", lambda v: f"{v:.3f}"),
    ("cells/s", "cells_per_second", lambda v: f"{v:.3g}"),
    ("peer", "peer", str),
    ("aim s", "aim_seconds", lambda v: f"{v:.4g}"),
]


def discover(keyword=None):
    """Yield (module_name, function_name, function) for every benchmark."""
    if str(HERE) not in sys.path:
        sys.path.insert(0, str(HERE))
    for path in sorted(HERE.glob("bench_*.py")):
        module = importlib.import_module(path.stem)
        for fname, fn in inspect.getmembers(module, inspect.isfunction):
            if not fname.startswith("bench_") or fn.__module__ != module.__name__:
                continue
            if keyword and keyword not in f"{path.stem}.{fname}":
                continue
            yield path.stem, fname, fn


def format_table(rows):
    """Aligned plain-text table: text columns left-aligned, numbers right-aligned."""
    cells = [[h for h, _, _ in COLUMNS]]
    for row in rows:
        line = []
        for _, key, fmt in COLUMNS:
            value = row.get(key)
            line.append("-" if value is None or value == "" else fmt(value))
        cells.append(line)
    widths = [max(len(r[i]) for r in cells) for i in range(len(COLUMNS))]
    left = {"name", "peer"}
    out = []
    for n, r in enumerate(cells):
        parts = [
            c.ljust(w) if key in left else c.rjust(w)
            for c, w, (_, key, _) in zip(r, widths, COLUMNS, strict=True)
        ]
        out.append("  ".join(parts).rstrip())
        if n == 0:
            out.append("  ".join("-" * w for w in widths))
    return "\n".join(out)


def environment():
    import numpy as np

    import mixlevel
    from mixlevel._kernels import _build_info

    return {
        "mixlevel": mixlevel.__version__,
        "numpy": np.__version__,
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cpu_count": os.cpu_count(),
        "openmp": _build_info.openmp_enabled(),
        "n_threads": _build_info.n_threads(),
        "OMP_NUM_THREADS": os.environ.get("OMP_NUM_THREADS"),
        "time": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
    }


def _peak_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def _child(fn, conn):
    try:
        results = fn()
        conn.send((results, _peak_mb(), None))
    except BaseException:  # the traceback goes back to the parent
        conn.send((None, _peak_mb(), traceback.format_exc()))
    finally:
        conn.close()


def run_isolated(fn):
    """(rows of ``fn()``, peak resident MB of the process that ran it).

    A new process runs it (``fn`` is found there by module and name).  Rows
    are None when the benchmark raised.
    """
    ctx = multiprocessing.get_context("spawn")
    recv, send = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(fn, send))
    proc.start()
    send.close()
    try:
        results, peak, err = recv.recv()
    except EOFError:
        results, peak, err = None, None, f"the benchmark process died (exit {proc.exitcode})"
    proc.join()
    if err:
        print(err, file=sys.stderr)
    return results, peak


def _doc_rows(rows):
    fmt = {k: f for _, k, f in COLUMNS}
    out = []
    for r in rows:
        cells = []
        for key in ("name", "seconds", "cpu_seconds", "peak_mb", "cells_per_second",
                    "loglik", "peer"):
            v = r.get(key)
            cells.append("-" if v is None or v == "" else fmt[key](v))
        out.append(cells)
    return out


DOC_HEADER = ("benchmark", "wall s", "CPU s", "peak MB", "cells/s", "loglik", "peer")


def markdown_table(rows):
    lines = ["| " + " | ".join(DOC_HEADER) + " |", "|" + "---|" * len(DOC_HEADER)]
    lines += ["| " + " | ".join(c.replace("|", "\\|") for c in r) + " |" for r in _doc_rows(rows)]
    return "\n".join(lines)


def rst_table(rows):
    lines = [".. list-table::", "   :header-rows: 1", ""]
    for r in [list(DOC_HEADER)] + _doc_rows(rows):
        r = ["\\-" if c == "-" else c for c in r]  # a lone "-" would start a list
        lines.append("   * - " + r[0])
        lines += ["     - " + c for c in r[1:]]
    return "\n".join(lines)


def replace_between_markers(path, table):
    """Put ``table`` between the lines containing ``bench-table:start`` and
    ``bench-table:end`` of ``path``; False when the file or a marker is missing."""
    if not path.is_file():
        return False
    lines = path.read_text().splitlines()
    try:
        a = next(i for i, x in enumerate(lines) if "bench-table:start" in x)
        b = next(i for i, x in enumerate(lines) if "bench-table:end" in x)
    except StopIteration:
        return False
    path.write_text("\n".join(lines[:a + 1] + ["", table, ""] + lines[b:]) + "\n")
    return True


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-k", dest="keyword", help="only run benchmarks matching this text")
    parser.add_argument("-o", dest="output", default=str(RESULTS), help="JSON output file")
    parser.add_argument("--update-docs", action="store_true",
                        help="rewrite the benchmark tables of README.md and docs/scaling.rst")
    args = parser.parse_args(argv)

    env = environment()
    print(
        f"mixlevel {env['mixlevel']}  numpy {env['numpy']}  python {env['python']}  "
        f"OpenMP {'on' if env['openmp'] else 'off'} ({env['n_threads']} threads)"
    )

    rows, failures = [], []
    for mod, fname, fn in discover(args.keyword):
        print(f"running {mod}.{fname} ...", flush=True)
        results, peak = run_isolated(fn)
        if results is None:
            failures.append(f"{mod}.{fname}")
            continue
        for r in results:
            r.setdefault("peak_mb", peak)
            rows.append({"module": mod, "function": fname, **r})

    print()
    print(format_table(rows))
    if args.update_docs and not args.keyword and not failures:
        for path, table in ((README, markdown_table(rows)), (DOCS_TABLE, rst_table(rows))):
            if replace_between_markers(path, table):
                print(f"updated the table in {path}")
    Path(args.output).write_text(
        json.dumps({"environment": env, "results": rows, "failures": failures}, indent=2) + "\n"
    )
    print(f"\nwrote {args.output}")
    if failures:
        print("failed: " + ", ".join(failures), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
