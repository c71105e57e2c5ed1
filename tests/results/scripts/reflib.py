"""Helpers for the peer-reference writers (write_*.py): read the generators' JSON, print Python literals.

Generator helper only; tests never import it. The writers are run from the repository root and read
the JSON files from $REFS_DIR (default /tmp/refs).
"""
import json
import os

REFS = os.environ.get("REFS_DIR", "/tmp/refs")
DATE = "2026-12-03"


def load(name):
    """The JSON a generator printed; progress lines printed before it (LMest prints a trace) are
    skipped: the JSON starts at the line that is exactly "{"."""
    with open(os.path.join(REFS, name + ".json")) as fh:
        lines = fh.read().split("\n")
    return json.loads("\n".join(lines[lines.index("{"):]))


def load_parts(prefix):
    """The per-fit JSON files $REFS_DIR/parts/<prefix>*.json (R emit_part), keyed by the rest of the name."""
    d = os.path.join(REFS, "parts")
    out = {}
    for f in sorted(os.listdir(d)) if os.path.isdir(d) else []:
        if f.startswith(prefix) and f.endswith(".json"):
            with open(os.path.join(d, f)) as fh:
                out[f[len(prefix):-5]] = json.load(fh)
    return out


def lit(o, ind=4, level=1):
    """A Python literal for nested dicts/lists/floats, one item a line, floats by repr."""
    pad, pad0 = " " * (ind * level), " " * (ind * (level - 1))
    if isinstance(o, dict):
        if not o:
            return "{}"
        items = [f"{pad}{k!r}: {lit(v, ind, level + 1)}," for k, v in o.items()]
        return "{\n" + "\n".join(items) + "\n" + pad0 + "}"
    if isinstance(o, (list, tuple)):
        if all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in o) and len(o) <= 5:
            return "[" + ", ".join(lit(x) for x in o) + "]"
        return "[\n" + "\n".join(f"{pad}{lit(x, ind, level + 1)}," for x in o) + "\n" + pad0 + "]"
    if isinstance(o, float):
        return repr(float(o))
    return repr(o)


def write_module(path, doc, entries):
    """entries: list of (name, value, comment-or-None)."""
    doc = "\n".join(line.rstrip() for line in doc.strip("\n").split("\n"))
    out = ['"""' + doc + '\n"""\n', "# ruff: noqa: E501\n"]
    for name, value, comment in entries:
        cm = "".join(f"# {c}\n" for c in comment.split("\n")) if comment else ""
        out.append(f"{cm}{name} = {lit(value)}\n")
    with open(path, "w") as fh:
        fh.write("\n".join(out))


def maxabs(a, b, keys=None):
    """Largest absolute difference between two dicts of numbers over `keys` (default: a's keys)."""
    keys = list(a) if keys is None else keys
    return max(abs(float(a[k]) - float(b[k])) for k in keys)


def fmt(x, digits=2):
    return f"{x:.{digits}e}"


ADDED = "--- Added 2026-12-03"


def splice_module(path, doc_addendum, entries, writer):
    """Add a dated section to an existing results module: the docstring gets `doc_addendum` after a
    line starting with ADDED, and the file gets `entries` after a comment line starting with
    "# " + ADDED. A section written earlier this way is replaced, so the writer can be re-run."""
    _, doc, body = open(path).read().split('"""', 2)
    doc = doc.split(ADDED)[0].rstrip("\n") + "\n"
    body = body.split("# " + ADDED)[0].rstrip("\n") + "\n"
    doc_addendum = "\n".join(line.rstrip() for line in doc_addendum.strip("\n").split("\n"))
    doc += f"\n{ADDED} (generator: tests/results/scripts/{writer}) ---\n" + doc_addendum + "\n"
    out = ['"""' + doc + '"""' + body, f"# {ADDED} ---\n"]
    for name, value, comment in entries:
        cm = "".join(f"# {c}\n" for c in comment.split("\n")) if comment else ""
        out.append(f"{cm}{name} = {lit(value)}\n")
    with open(path, "w") as fh:
        fh.write("\n".join(out))


def secs(m, note=None):
    """The timing entry of a generator's fit: wall times (median and all runs) and CPU median, in s."""
    times = m["times"] if isinstance(m["times"], list) else [m["times"]]      # R auto_unbox: one run -> scalar
    r = {"wall_median": round(float(m["median"]), 3), "wall": [round(float(t), 3) for t in times],
         "cpu_median": None if m.get("cpu_median") is None else round(float(m["cpu_median"]), 3)}
    if note:
        r["note"] = note
    return r
