"""Build the worked example of docs/results.rst: a summary and the plots.

Run from the repository root (about half a minute)::

    python docs/make_results_example.py

It simulates a two-level data set (40 schools x 10 students) with a between
class ``d`` of schools, a within class ``c`` of students whose proportions
depend on ``d`` (paper sec. 6), four binary items measuring ``c``, and a normal
outcome ``y`` with a class-specific mean, a covariate ``x`` and a school random
intercept; fits it; and writes ``docs/_static/results/``: ``summary.txt``,
``compare.txt`` and one PNG per plot.
"""

from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

import mixlevel as ml  # noqa: E402
from mixlevel.inference.compare import compare  # noqa: E402

OUT = Path(__file__).resolve().parent / "_static" / "results"


def simulate(n_schools=40, n_students=10, seed=1):
    rng = np.random.default_rng(seed)
    d = rng.random(n_schools) < 0.5                       # between class of the school
    school = np.repeat(np.arange(n_schools), n_students)
    c = rng.random(school.size) < np.where(d[school], 0.8, 0.3)   # within class, P(c | d)
    p_item = np.array([[0.9, 0.8, 0.85, 0.2], [0.2, 0.1, 0.3, 0.7]])
    u = (rng.random((school.size, 4)) < p_item[np.where(c, 0, 1)]).astype(float)
    x = rng.normal(size=school.size)
    b = rng.normal(scale=0.7, size=n_schools)             # school random intercept
    y = np.where(c, 1.0, -1.0) + 0.5 * x + b[school] + rng.normal(scale=0.8, size=school.size)
    df = pd.DataFrame(u, columns=["u1", "u2", "u3", "u4"])
    df["y"], df["x"], df["school"] = y, x, school
    return df


def two_level_model(df, between=True, school_effect=True):
    spec = ml.ModelSpec()
    if between:
        spec.add_class("d", 2, level="between")
    spec.add_class("c", 2)
    for item in ["u1", "u2", "u3", "u4"]:
        spec.add_outcome(item, "binary")
        spec.add_term(item, by=["c"])                      # class-specific item logits
    spec.add_outcome("y", "normal")
    spec.add_term("y", by=["c"])                           # class-specific mean of y
    spec.add_term("y", "x")                                # common slope of x
    if school_effect:
        spec.add_block("school", ["1|school"])             # school random intercept
        spec.add_term("y", latent="1|school")
    if between:
        spec.add_term("c", by=["d"])                       # P(c | d), eq. 24
        spec.add_term("d")                                 # P(d), eq. 26
    else:
        spec.add_term("c")
    return ml.MixtureModel(spec, df, cluster="school")


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    df = simulate()
    res = two_level_model(df).fit(starts=(10, 3), seed=1)
    (OUT / "summary.txt").write_text(str(res.summary(probabilities=True)) + "\n")
    no_school = two_level_model(df, school_effect=False).fit(starts=(10, 3), seed=1)
    within_only = two_level_model(df, between=False).fit(starts=(10, 3), seed=1)
    table = compare(no_school, res, within_only,
                    names=["no school effect", "full model", "no between class"])
    shown = table.drop(columns=["note"]).round(3)
    for col in ("pvalue", "pvalue_boundary"):
        shown[col] = [f"{v:.2e}" if v == v else "NaN" for v in table[col]]
    text = shown.to_string(line_width=100) + "\n\n"
    text += "\n".join(f"{name}: {note}" for name, note in table["note"].items() if note)
    (OUT / "compare.txt").write_text(text + "\n")
    figures = {  # the functions of mixlevel.graphics.plotting, as result methods
        "profiles": res.plot_profiles(),
        "proportions": res.plot_class_proportions(joint=True),
        "posterior": res.plot_posterior(),
        "transitions": res.plot_transitions(),
        "caterpillar": res.plot_caterpillar(),
    }
    for name, fig in figures.items():
        fig.savefig(OUT / f"{name}.png", dpi=90)
    print(res.summary(probabilities=True))
    print(f"written to {OUT}")


if __name__ == "__main__":
    main()
