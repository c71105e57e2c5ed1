"""Build the output shown in docs/results.rst, "The statsmodels and lme4 protocol".

Run from the repository root (about ten seconds)::

    python docs/make_protocol_example.py

The page's ``.. code-block:: python`` examples are the single source: this
script runs them in order (as tests/test_docs_examples.py does) and writes
what they print to ``docs/_static/results/protocol.txt``, one section per
block.
"""

import contextlib
import io
import sys
import warnings
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.test_docs_examples import rst_blocks  # noqa: E402

OUT = ROOT / "docs" / "_static" / "results" / "protocol.txt"


def main():
    pd.set_option("display.width", 100)
    pd.set_option("display.max_columns", 12)
    namespace = {"__name__": "__docs__"}
    parts = []
    for k, code in enumerate(rst_blocks(ROOT / "docs" / "results.rst")):
        buf = io.StringIO()
        with contextlib.redirect_stdout(buf), warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            exec(compile(code, f"results.rst[block {k}]", "exec"), namespace)
        if buf.getvalue().strip():
            parts.append(f"# --- example {k + 1} ---\n{buf.getvalue().rstrip()}\n")
    OUT.write_text("\n".join(parts))
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
