"""Build the worked example of docs/enumeration.rst: an enumeration table, its plot and
stepwise auxiliary models on the GSS 2008 abortion items.

Run from the repository root (a few minutes: the bootstrap LRTs fit many models)::

    python docs/make_enumeration_example.py

It reads tests/data/gss08.csv (glca ``gss08``: six yes/no items on legal abortion,
age and sex of 355 respondents), drops the 3 respondents with no item answered,
enumerates 1 to 5 latent classes (full-information ML over the missing items) with
the VLMR, adjusted LMR and bootstrap LRT, relates the 3 classes to age and sex by
3-step ML and BCH, and writes ``docs/_static/enumeration/``: ``table.txt``,
``information_criteria.png``, ``covariates.txt`` and ``distal.txt``.
"""

from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import pandas as pd  # noqa: E402

import mixlevel as ml  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "_static" / "enumeration"
ITEMS = ["DEFECT", "HLTH", "RAPE", "POOR", "SINGLE", "NOMORE"]


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    df = pd.read_csv(ROOT / "tests" / "data" / "gss08.csv")
    df = df.dropna(subset=ITEMS, how="all").reset_index(drop=True)
    df[ITEMS] = 2 - df[ITEMS]                   # 1 = yes, 0 = no
    df["FEMALE"] = (df["SEX"] == "FEMALE").astype(float)
    formula = " + ".join(ITEMS) + " ~ c"

    enum = ml.enumerate_classes(formula, df, classes="c", k=range(1, 6), family="binary",
                                bootstrap=True, n_jobs=2, seed=2008)
    cols = ["loglike", "n_params", "aic", "bic", "abic", "entropy", "smallest_share",
            "replicated", "n_final", "lmr_pvalue", "lmr_adj_pvalue", "blrt_pvalue",
            "blrt_draws"]
    text = enum.table[cols].to_string(float_format=lambda v: f"{v:.4g}")
    boots = "\n".join(
        f"{k - 1} against {k} classes: LR = {b.lr:.2f}, p = {b.pvalue:.3f} ({b.n_exceed} of "
        f"{b.n_draws} draws reached it); best LL not replicated in {b.n_not_replicated}"
        for k, b in enum.bootstrap.items())
    notes = "\n".join(f"K={k}: {n}" for k, n in enum.table["note"].items() if n)
    (OUT / "table.txt").write_text(f"{text}\n\nbootstrap LRT:\n{boots}\n\n{notes}\n")
    enum.plot(title="GSS 2008 abortion items").savefig(OUT / "information_criteria.png",
                                                       dpi=110)

    res = enum[3]
    parts = []
    for method in ("ML", "BCH", "naive"):
        out = ml.three_step(res, covariates="AGE + FEMALE", method=method)
        parts.append(f"method={method}\n{out.table.round(4).to_string()}\n"
                     f"{out.wald.round(4).to_string()}\n")
    parts.append(f"classification error P(modal | true):\n{out.D.round(4).to_string()}\n"
                 f"entropy {out.entropy:.3f}\n")
    (OUT / "covariates.txt").write_text("\n".join(parts))
    parts = []
    for method in ("BCH", "ML"):
        out = ml.three_step(res, distal={"AGE": "normal", "FEMALE": "binary"}, method=method)
        parts.append(f"method={method}\n{out.table.round(4).to_string()}\n"
                     f"{out.wald.round(4).to_string()}\n")
    (OUT / "distal.txt").write_text("\n".join(parts))
    print(enum)


if __name__ == "__main__":
    main()
