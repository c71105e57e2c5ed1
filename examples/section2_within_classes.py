"""Section 2 of the paper: the basic two-level mixture model (eq. 2-5).

Students (rows) in schools (clusters).  A *within* class variable C splits the
students into two latent classes that differ in the regression of y on x
(eq. 2); the intercept and the slope of x also vary over schools (cluster
random effects, eq. 5); the class probability depends on a student covariate
w (eq. 4).  The data are simulated from known values, the model is fitted
with random starts, and the estimates are compared with the truth.

Run ``python examples/section2_within_classes.py``.
"""

from __future__ import annotations

import warnings

import pandas as pd

from mixlevel.api import mixture
from mixlevel.errors import EstimationWarning
from mixlevel.simulation.simulate import simulate

FORMULA = "y ~ c * x + (1 + x | school); c ~ w"
TRUTH = {"y~1[c=1]": 2.0, "y~1[c=2]": -1.0, "y~x[c=1]": 0.5, "y~x[c=2]": -0.5,
         "c#1~1": 0.3, "c#1~w": 0.8, "Var(1|school)": 0.5, "Cov(1|school,x|school)": 0.1,
         "Var(x|school)": 0.2, "Var(y)": 1.0}


def draw_data(seed=2):
    """80 schools of 15 students; x and w standard normal student covariates."""
    return simulate(FORMULA, TRUTH, classes={"c": 2}, n_clusters=80, cluster_size=15,
                    covariates={"x": "normal", "w": "normal"}, seed=seed,
                    return_latent=True)


def fit(df):
    """The model, 10 x 10 trapezoid nodes for the two random effects, random starts."""
    model = mixture(FORMULA, df, classes={"c": 2}, n_points=10)
    return model.fit(starts=(10, 3), seed=1)


def main():
    warnings.simplefilter("ignore", EstimationWarning)
    df, latent = draw_data()
    print(df.head().round(3).to_string(), "\n")
    res = fit(df)
    print(res.summary())
    # canonical labels: class 1 is the larger class; the truth's class 1 is the one
    # with intercept 2, so compare by matching the labels
    est = res.params.copy()
    if est["y~1[c=1]"] < est["y~1[c=2]"]:
        print("(classes relabelled to match the truth)")
        swap = {n: n.replace("c=1", "c=#").replace("c=2", "c=1").replace("c=#", "c=2")
                for n in est.index}
        est = est.rename(index=swap)
        bse = res.bse.rename(index=swap)
        est["c#1~1"], est["c#1~w"] = -est["c#1~1"], -est["c#1~w"]
    else:
        bse = res.bse
    table = pd.DataFrame({"true": pd.Series(TRUTH), "estimate": est, "se": bse})
    table["z"] = (table["estimate"] - table["true"]) / table["se"]
    print("\nEstimates against the truth")
    print(table.round(3).to_string())
    modal = res.modal_class()
    hit = (modal.iloc[:, 0].to_numpy() == latent["c"].to_numpy()).mean()
    print(f"\nModal class agrees with the true class for {max(hit, 1 - hit):.1%} of students")


if __name__ == "__main__":
    main()
