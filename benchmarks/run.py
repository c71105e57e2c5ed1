"""Run the mixlevel benchmarks and print a table.

Discovers every function named ``bench_*`` in the modules ``benchmarks/bench_*.py``,
runs it, prints one row per result and writes them to ``benchmarks/results.json``.

    python benchmarks/run.py            # everything
    python benchmarks/run.py -k sum     # only benchmarks whose function name contains "sum"
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
import platform  # noqa: E402
import sys  # noqa: E402
import traceback  # noqa: E402
from pathlib import Path  # noqa: E402

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results.json"

COLUMNS = [
    # (header, key, formatter)
    ("benchmark", "name", str),
    ("seconds", "seconds", lambda v: f"{v:.4f}"),
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


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-k", dest="keyword", help="only run benchmarks matching this text")
    parser.add_argument("-o", dest="output", default=str(RESULTS), help="JSON output file")
    args = parser.parse_args(argv)

    env = environment()
    print(
        f"mixlevel {env['mixlevel']}  numpy {env['numpy']}  python {env['python']}  "
        f"OpenMP {'on' if env['openmp'] else 'off'} ({env['n_threads']} threads)"
    )

    rows, failures = [], []
    for mod, fname, fn in discover(args.keyword):
        print(f"running {mod}.{fname} ...", flush=True)
        try:
            results = fn()
        except Exception:
            traceback.print_exc()
            failures.append(f"{mod}.{fname}")
            continue
        for r in results:
            rows.append({"module": mod, "function": fname, **r})

    print()
    print(format_table(rows))
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
