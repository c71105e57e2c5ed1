"""The README's and docs/results.rst's Python examples run as written.

Every fenced ```python block of README.md and every ``.. code-block:: python``
of docs/results.rst is executed, in order and in one namespace per file, from
the repository root (where their data paths point).  The other pages' code
blocks are fragments of longer scripts (examples/) and are not run here.
"""

import re
import textwrap
import warnings
from pathlib import Path

import matplotlib
import pytest

matplotlib.use("Agg")

ROOT = Path(__file__).resolve().parents[1]


def readme_blocks():
    text = (ROOT / "README.md").read_text()
    return re.findall(r"```python\n(.*?)```", text, flags=re.S)


def rst_blocks(path):
    """Bodies of ``.. code-block:: python`` directives (the indented lines after them)."""
    lines = path.read_text().splitlines()
    blocks, i = [], 0
    while i < len(lines):
        if lines[i].strip() == ".. code-block:: python":
            i += 1
            body = []
            while i < len(lines) and (not lines[i].strip() or lines[i].startswith("   ")):
                body.append(lines[i])
                i += 1
            blocks.append(textwrap.dedent("\n".join(body)))
        else:
            i += 1
    return blocks


@pytest.mark.parametrize("name, blocks", [("README.md", readme_blocks()),
                                          ("docs/results.rst",
                                           rst_blocks(ROOT / "docs" / "results.rst"))])
def test_examples_run(name, blocks, monkeypatch):
    assert blocks, f"{name} has no Python examples"
    monkeypatch.chdir(ROOT)
    namespace = {"__name__": "__docs__"}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        for k, code in enumerate(blocks):
            try:
                exec(compile(code, f"{name}[block {k}]", "exec"), namespace)
            except Exception as exc:  # name the block that failed
                raise AssertionError(f"{name}, Python block {k} failed: {exc!r}\n{code}") \
                    from exc
