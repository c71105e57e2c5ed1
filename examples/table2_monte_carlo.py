"""Table 2 of the paper: how well can a between-level class variable be recovered?

Asparouhov & Muthen, section 5.  Four two-class mixtures of a two-level
random-effect regression (eq. 19),

    Y_ij = mu_cj + beta_cj X_ij + eps_ij,

with class means of (mu, beta) of (1, 0.2) and (0, 0.8), residual variance 1,
X standard normal, equal classes (alpha_1 = 0), 50 clusters of 10 rows; mu_cj
and beta_cj vary over clusters with variance v (covariance 0):

    Model 1   C within    v = 0      (paper: MSE of alpha_1 = 0.31)
    Model 2   C between   v = 0      (0.10)
    Model 3   C between   v = 0.1    (0.26)
    Model 4   C between   v = 0.2    (0.44)

Each model generates 100 data sets and is fitted with the correct
specification; the table reports the mean squared error of alpha_1, the
class logit (eq. 4 for the within C of Model 1, eq. 17 for the between C).
Run with ``python examples/table2_monte_carlo.py [--reps 100] [--jobs 2]``.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

from mixlevel.api import Between
from mixlevel.simulation.montecarlo import montecarlo
from mixlevel.simulation.simulate import Population

PAPER_MSE = {"Model 1": 0.31, "Model 2": 0.10, "Model 3": 0.26, "Model 4": 0.44}
DESIGN = {"Model 1": ("within", 0.0), "Model 2": ("between", 0.0),
          "Model 3": ("between", 0.1), "Model 4": ("between", 0.2)}


def population(level, v, n_clusters=50, cluster_size=10):
    """The true model of one row of Table 2."""
    truth = {"y~1[c=1]": 1.0, "y~1[c=2]": 0.0, "y~x[c=1]": 0.2, "y~x[c=2]": 0.8,
             "c#1~1": 0.0, "Var(y)": 1.0}
    formula = "y ~ c * x"
    if v > 0:  # random intercept and slope, uncorrelated: (1 + x || cluster)
        formula += " + (1 + x || cluster)"
        truth.update({"Var(1|cluster)": v, "Var(x|cluster)": v})
    classes = {"c": Between(2) if level == "between" else 2}
    return Population(formula, truth, classes=classes, cluster="cluster",
                      n_clusters=n_clusters, cluster_size=cluster_size,
                      covariates={"x": "normal"})


def degenerate(alpha, n_clusters=50):
    """Replications whose smaller class holds fewer than 1.5 of the clusters.

    With a between C the class logit alpha_1 gives the class shares; a share
    of under 1.5 / 50 clusters (|alpha_1| > 3.48) is a solution in which one
    class is a single outlying cluster.
    """
    share = 1 / (1 + np.exp(-np.abs(alpha)))
    return (1 - share) * n_clusters < 1.5


def table2(n_reps=100, n_jobs=2, seed=2006, progress=None, models=None, starts=None):
    """Run the four studies; returns (table, {model: MonteCarloResults}).

    ``MSE`` is over all converged replications, as the paper's; ``MSE*``
    leaves out the replications with a one-cluster class (:func:`degenerate`,
    only meaningful for the between C of Models 2-4) and ``degenerate``
    counts them.
    """
    rows, studies = [], {}
    for k, (name, (level, v)) in enumerate(DESIGN.items()):
        if models is not None and name not in models:
            continue
        t0 = time.perf_counter()
        mc = montecarlo(population(level, v), n_reps=n_reps, seed=seed + k, n_jobs=n_jobs,
                        fit_kw={"em_iter": 10}, starts=starts, progress=progress)
        studies[name] = mc
        a = mc.table.loc["c#1~1"]
        est = mc.estimates.loc[mc.replications["status"].eq("ok"), "c#1~1"].dropna()
        bad = degenerate(est) if level == "between" else np.zeros(len(est), bool)
        rows.append({"Model": name, "C": level, "v": v, "MSE": a["mse"],
                     "paper MSE": PAPER_MSE[name], "MSE*": float((est[~bad] ** 2).mean()),
                     "degenerate": int(bad.sum()), "bias": a["bias"], "sd": a["sd"],
                     "coverage": a["coverage"], "converged": mc.converged,
                     "replications": int(a["n"]),
                     "minutes": (time.perf_counter() - t0) / 60})
    return pd.DataFrame(rows).set_index("Model"), studies


def print_table(table):
    """The paper's layout (Table 2), with the paper's values beside ours."""
    print("Table 2: Model specification and MSE of alpha_1")
    print(f"{'Model':<10}{'C':<10}{'v':>5}{'MSE':>9}{'paper':>9}{'ratio':>8}"
          f"{'MSE*':>8}{'degen.':>8}{'conv.':>8}")
    for name, r in table.iterrows():
        print(f"{name:<10}{r['C']:<10}{r['v']:>5.1f}{r['MSE']:>9.2f}"
              f"{r['paper MSE']:>9.2f}{r['MSE'] / r['paper MSE']:>8.2f}"
              f"{r['MSE*']:>8.2f}{r['degenerate']:>8d}{r['converged']:>8.0%}")
    print("MSE: all converged replications (as the paper); MSE*: without the "
          "replications\nwhose smaller class is a single cluster (degen.); "
          "conv.: share converged")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reps", type=int, default=100, help="replications per model")
    ap.add_argument("--jobs", type=int, default=2, help="parallel jobs (joblib)")
    ap.add_argument("--seed", type=int, default=2006)
    ap.add_argument("--starts", type=int, nargs=2, default=None, metavar=("INITIAL", "FINAL"),
                    help="random starts besides the true values (the paper's sec. 10: 20 4)")
    args = ap.parse_args()
    table, studies = table2(args.reps, args.jobs, args.seed,
                            starts=tuple(args.starts) if args.starts else None)
    print_table(table)
    print()
    print(table.round(3).to_string())
    for name, mc in studies.items():
        print(f"\n{name}\n" + mc.summary())


if __name__ == "__main__":
    main()
