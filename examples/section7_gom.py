"""Section 7 of the paper: grade of membership against the latent class model.

Five dentists' caries diagnoses of 3,869 tooth surfaces (the dentistry data of
randomLCA, 32 response patterns with counts).  The 2-class GoM gives each
surface its own class probability p_i (eq. 27-34); the 2-class LCA is its
limit as Var(alpha) -> infinity.  The output is the Table 5 layout (LCA
against GoM), the GoM estimates, and the membership scores of a few patterns.

Run ``python examples/section7_gom.py`` from the repository root.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd

import mixlevel as ml

DATA = Path(__file__).resolve().parents[1] / "tests" / "data" / "dentistry.csv"


def main():
    dentistry = pd.read_csv(DATA)
    items = [f"V{i}" for i in range(1, 6)]
    model = ml.GoM(items, dentistry, classes=2, weights="freq")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the LCA's boundary estimates (probabilities 0/1)
        res = model.fit()
    pd.set_option("display.width", 120)
    table = res.gom.compare_lca()
    print(table[["loglike", "n_params", "aic", "bic", "abic", "entropy"]])
    print("note:", table.loc["GoM", "note"])
    print()
    print(res.summary())
    print()
    print(res.gom.pattern_membership().sort_values("n", ascending=False).head(8))


if __name__ == "__main__":
    main()
