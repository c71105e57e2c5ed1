"""Section 5 of the paper: between-level class variables (Table 3, eq. 16-21, Figs. 2-3).

One data set of 100 clusters of 10 rows is drawn from Model 5: a two-level
regression (eq. 19) whose intercept and slope depend on a *between* class
variable C (one class per cluster; intercepts 1 and 0, slopes 0.2 and 0.8,
residual variance 1, random intercept variance 0.2, X standard normal, equal
classes).  It is analysed twice:

* Model 5, the true model: C between (``classes={"c": Between(2)}``);
* Model 6: C within with a random logit intercept alpha_1 (within-between,
  Table 4) -- the model to use when it is unknown whether C lives at the
  individual or the cluster level.

The data answer the question: Model 6 estimates Var(alpha_1) huge, its ICC
(eq. 20) near 1, and both models give the same estimates and log-likelihood
(Table 3).  Run ``python examples/section5_between_classes.py``; add
``--table2 20`` for a short run of the Table 2 simulation study (20
replications per model; the full study is examples/table2_monte_carlo.py) and
``--figures fig.png`` to draw Figures 2 and 3.
"""

from __future__ import annotations

import argparse
import time
import warnings

import numpy as np
import pandas as pd
from scipy.stats import norm

from mixlevel.api import Between, mixture
from mixlevel.errors import EstimationWarning
from mixlevel.inference.derived import icc, lrt_class_level
from mixlevel.simulation.simulate import simulate

TRUTH = {"y~1[c=1]": 1.0, "y~1[c=2]": 0.0, "y~x[c=1]": 0.2, "y~x[c=2]": 0.8,
         "c#1~1": 0.0, "Var(1|school)": 0.2, "Var(y)": 1.0}
MODEL5 = "y ~ c * x + (1 | school)"                          # C between
MODEL6 = "y ~ c * x + (1 | school); c ~ 1 + (1 | school)"    # C within-between
# Model 6 integrates alpha_1 and the random intercept with 512 scrambled Sobol
# points: see integration_check() and docs/section5.rst.
MODEL6_INTEGRATION = {"integration": "quasi-monte-carlo", "n_points": 512}


def draw_data(seed=1):
    """One data set from Model 5: 100 schools of 10 students."""
    return simulate(MODEL5, TRUTH, classes={"c": Between(2)}, n_clusters=100,
                    cluster_size=10, covariates={"x": "normal"}, seed=seed)


def swap_classes(params):
    """The same two-class solution with the labels of c exchanged."""
    out = {}
    for name, value in params.items():
        new = name.replace("c=1", "c=#").replace("c=2", "c=1").replace("c=#", "c=2")
        out[new] = -value if name == "c#1~1" else value
    return out


def fit_model5(df):
    """Model 5 with random starts (20 initial sets, 5 completed, as in the paper)."""
    model = mixture(MODEL5, df, classes={"c": Between(2)})
    res = model.fit(starts=(20, 5), seed=5)
    if res.params["y~1[c=1]"] < res.params["y~1[c=2]"]:  # labels as in the paper
        start = swap_classes(dict(res.params))
        res = model.fit(start_params=[start[n] for n in model.param_names],
                        canonical=False)
    return res


def fit_model6(df, res5, var_alpha=100.0):
    """Model 6 started from Model 5 (the paper, sec. 10: build models up gradually).

    Var(alpha_1) starts at 100 with the logit mean that reproduces Model 5's
    class proportion: P(C = 1) = Phi(mean / SD(alpha_1)) when the variance is
    large.
    """
    start = dict(res5.params)
    p1 = 1 / (1 + np.exp(-start["c#1~1"]))
    start["Var(c#1|school)"] = var_alpha
    start["c#1~1"] = np.sqrt(var_alpha + np.pi ** 2 / 3) * norm.ppf(p1)
    model = mixture(MODEL6, df, classes={"c": 2}, **MODEL6_INTEGRATION)
    return model.fit(start_params=[start[n] for n in model.param_names], canonical=False,
                     em_iter=3)


def table3(res5, res6):
    """Table 3 of the paper: estimates (standard errors) and log-likelihoods."""
    rows = [("mu_1", "y~1[c=1]"), ("mu_2", "y~1[c=2]"), ("beta_1", "y~x[c=1]"),
            ("beta_2", "y~x[c=2]"), ("theta", "Var(y)"), ("v", "Var(1|school)")]

    def cell(res, name):
        return f"{res.params[name]:.2f}({res.bse[name]:.2f})"

    out = [{"Parameter": label, "True Value": f"{TRUTH[name]:g}",
            "Model 5": cell(res5, name), "Model 6": cell(res6, name)}
           for label, name in rows]
    out.append({"Parameter": "Var(alpha_1)", "True Value": "", "Model 5": "",
                "Model 6": f"{res6.params['Var(c#1|school)']:.4g}"})
    out.append({"Parameter": "LL", "True Value": "", "Model 5": f"{res5.llf:.1f}",
                "Model 6": f"{res6.llf:.1f}"})
    return pd.DataFrame(out).set_index("Parameter")


def integration_check(df, res5, var_alpha=600.0):
    """Log-likelihood of Model 6 at Var(alpha_1) = 600 under several rules.

    The other parameters are Model 5's estimates, the logit mean the one that
    reproduces Model 5's class proportion.  The reference is a 201 x 201
    trapezoid grid.
    """
    start = dict(res5.params)
    start["Var(c#1|school)"] = var_alpha
    start["c#1~1"] = np.sqrt(var_alpha) * norm.ppf(1 / (1 + np.exp(-start["c#1~1"])))
    rules = {"trapezoid 15 (Mplus default)": {"integration": "trapezoid", "n_points": 15},
             "trapezoid 30": {"integration": "trapezoid", "n_points": 30},
             "adaptive Gauss-Hermite 15": {"integration": "gauss-hermite", "n_points": 15,
                                           "adaptive": True},
             "quasi-Monte Carlo 512 (used)": {"integration": "quasi-monte-carlo",
                                              "n_points": 512},
             "quasi-Monte Carlo 4096": {"integration": "quasi-monte-carlo",
                                        "n_points": 4096},
             "trapezoid 201 (reference)": {"integration": "trapezoid", "n_points": 201}}
    rows = []
    for label, kw in rules.items():
        model = mixture(MODEL6, df, classes={"c": 2}, **kw)
        x = np.array([start[n] for n in model.param_names])
        t0 = time.perf_counter()
        if kw.get("adaptive"):
            model.engine.adapt_nodes_at_mode(model._work(x))
        ll = model.loglike(x)
        rows.append({"rule": label, "nodes": model.engine.rule_b.size, "loglike": ll,
                     "seconds": time.perf_counter() - t0})
    out = pd.DataFrame(rows).set_index("rule")
    out["error"] = out["loglike"] - out.loc["trapezoid 201 (reference)", "loglike"]
    return out


def figures(path):
    """Figures 2 and 3: P(C = 1 | alpha_1) for Var(alpha_1) = 100 and 10000."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from mixlevel.graphics.plotting import conditional_class_probability

    fig, axes = plt.subplots(1, 2, figsize=(9, 3.4), layout="constrained")
    conditional_class_probability(100, ax=axes[0], title="Figure 2: Var(alpha_1) = 100")
    conditional_class_probability(10000, ax=axes[1],
                                  title="Figure 3: Var(alpha_1) = 10000")
    fig.savefig(path, dpi=90)
    plt.close(fig)


def main(argv=None):
    ap = argparse.ArgumentParser(description="Section 5: between-level classes")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--table2", type=int, default=0, metavar="REPS",
                    help="also run the Table 2 study with REPS replications per model")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--figures", metavar="PNG", help="save Figures 2 and 3 here")
    ap.add_argument("--no-check", action="store_true", help="skip the integration check")
    args = ap.parse_args(argv)
    warnings.simplefilter("ignore", EstimationWarning)
    pd.set_option("display.width", 100)

    df = draw_data(args.seed)
    res5 = fit_model5(df)
    res6 = fit_model6(df, res5)
    print("Table 3: Parameter Estimates (Standard Errors) and Log-Likelihood Value")
    print(table3(res5, res6).to_string())
    print("\nICC of C in Model 6 (eq. 20), delta method; interval on the log-odds scale")
    print(icc(res6)[["variance", "icc", "se", "lower", "upper"]].to_string(
        formatters={"variance": "{:.4g}".format, "icc": "{:.7f}".format,
                    "se": "{:.2g}".format, "lower": "{:.7f}".format,
                    "upper": "{:.7f}".format}))
    print("\nLikelihood ratio test, Model 5 within Model 6")
    test = lrt_class_level(res5, res6)
    print(f"  LR = {test['lr']:.3f}, df = {test['df']}, p = {test['pvalue']:.3f}")
    print(f"  note: {test['note']}")
    if not args.no_check:
        print("\nIntegration check: Model 6 log-likelihood at Var(alpha_1) = 600")
        print(integration_check(df, res5).to_string(float_format=lambda v: f"{v:.3f}"))
    if args.figures:
        figures(args.figures)
        print(f"\nFigures 2 and 3 saved to {args.figures}")
    if args.table2:
        import importlib.util
        from pathlib import Path

        path = Path(__file__).with_name("table2_monte_carlo.py")
        spec = importlib.util.spec_from_file_location("table2_monte_carlo", path)
        t2 = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(t2)
        table, _ = t2.table2(n_reps=args.table2, n_jobs=args.jobs)
        print()
        t2.print_table(table)


if __name__ == "__main__":
    main()
