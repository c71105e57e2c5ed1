"""Section 6 of the paper: a within and a between class variable in one model (eq. 22-26).

Students (rows) in schools (clusters) answer six yes/no items.  A *within*
class variable C (two classes of students) shapes the answers (eq. 22); a
*between* class variable D (two kinds of schools) shapes the class
composition of a school: C is regressed on D (eq. 24, gamma_cd) and on a
student covariate x; D is regressed on a school covariate w (eq. 26).  The
data are simulated from known values and the model is fitted with random
starts; the output shows P(C | D) with standard errors, the R^2 of D as a
predictor of C (eq. 14) and how well the schools are classified.

Run ``python examples/section6_within_on_between.py``.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from mixlevel.api import Between, mixture
from mixlevel.errors import EstimationWarning
from mixlevel.inference.derived import r_squared
from mixlevel.simulation.simulate import Covariate, simulate

FORMULA = "u1 + ... + u6 ~ c; c ~ d + x; d ~ w"
CLASSES = {"c": 2, "d": Between(2)}
PROFILE = {1: [1.5, 1.0, 2.0, 0.5, 1.2, 0.8], 2: [-1.5, -1.0, -0.5, -2.0, -1.0, -1.2]}
TRUTH = {f"u{k + 1}~1[c={c}]": v[k] for c, v in PROFILE.items() for k in range(6)}
TRUTH.update({"d#1~1": -0.3, "d#1~w": 0.8,                # eq. 26
              "c#1~1[d=1]": 1.5, "c#1~1[d=2]": -1.5,      # eq. 24: gamma_cd
              "c#1~x": 0.6})


def draw_data(seed=6):
    """120 schools of 25 students; x a student and w a school covariate."""
    return simulate(FORMULA, TRUTH, classes=CLASSES, family="binary", cluster="school",
                    n_clusters=120, cluster_size=25,
                    covariates={"x": "normal", "w": Covariate("normal", level="cluster")},
                    seed=seed, return_latent=True)


def fit(df):
    model = mixture(FORMULA, df, classes=CLASSES, family="binary", cluster="school")
    return model.fit(starts=(20, 5), seed=3)


def main():
    warnings.simplefilter("ignore", EstimationWarning)
    pd.set_option("display.width", 100)
    df, latent = draw_data()
    res = fit(df)
    print(res.summary(probabilities=True))
    print("\nP(C | D), model-implied, with delta-method standard errors")
    print(res.transition_table(source="d", target="c", se=True).round(3).to_string())
    print("\nR^2 of D as a predictor of C (eq. 14)")
    print(r_squared(res, "c", "d").round(3).to_string())
    est = pd.DataFrame({"true": pd.Series(TRUTH), "estimate": res.params, "se": res.bse})
    est["z"] = (est["estimate"] - est["true"]) / est["se"]
    print("\nEstimates against the truth (labels as in the truth when |z| is small)")
    print(est.round(3).to_string())
    school_true = latent.groupby(df["school"].to_numpy())["d"].first().to_numpy()
    school_modal = res.modal_class(level="cluster")["d"].to_numpy()
    agree = np.mean(school_true == school_modal)
    print(f"\nSchools classified into their true class D: {max(agree, 1 - agree):.1%}")


if __name__ == "__main__":
    main()
