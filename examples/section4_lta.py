"""Sections 3-4 of the paper: the two-level latent transition model (eq. 8-15, Table 1).

Students are rated on ten binary behaviour items in the fall (C_1) and the
spring (C_2) of first grade; two latent classes (1 = disruptive) with the same
item probabilities at both times (Table 1), a logit for C_2 on C_1 (eq. 13) and
classroom random logit intercepts alpha_1, alpha_2 that are correlated
(eq. 15).  The truth below is Table 1 plus class logits and classroom
(co)variances chosen so that the model reproduces the paper's figures: 46% of
students in class 1 in the fall and 52% in the spring, 7% switching from class 1
to 2 and 18% from 2 to 1, alpha_1 explaining 39% of the variance of C_1 and the
model explaining 65% of the variance of C_2, of which 30% is the residual of
C_1 and 5% the residual of alpha_2 (so 30% is alpha_1: the paper's 35%, 30% and 5%
add up to 70%, not its 65%).

A data set is simulated with ``ml.simulate``, fitted with ``ml.lta`` and the
figures are recovered with delta-method standard errors.  ``--srhs`` also fits
the K = 2 latent Markov model of self-rated health (7,074 people, 8 waves) and
compares its log-likelihood with LMest's.

Run ``python examples/section4_lta.py [--srhs]``.
"""

from __future__ import annotations

import sys
import time
import warnings

import numpy as np
import pandas as pd
from scipy.special import logit

import mixlevel as ml
from mixlevel.errors import EstimationWarning

#: Table 1: P(U = 2 | C = c), c = 1 (disruptive), 2
TABLE1 = {
    "stubborn": (0.92, 0.36), "break_rules": (0.96, 0.29), "harm_others": (0.73, 0.03),
    "break_things": (0.59, 0.03), "yells": (0.82, 0.18), "takes_property": (0.78, 0.07),
    "fights": (0.73, 0.08), "lies": (0.81, 0.10), "teases": (0.90, 0.24),
    "authority": (0.78, 0.12),
}
ITEMS = [[f"{item}_{t}" for item in TABLE1] for t in (1, 2)]   # fall, spring

#: class logits and classroom (co)variances solved for the paper's figures
TRUTH = {f"{item}_1~1[c1={k}]": float(logit(TABLE1[item][k - 1]))
         for item in TABLE1 for k in (1, 2)}
TRUTH.update({
    "c1#1~1": -0.2232,                 # alpha_1 mean: P(C_1 = 1) = 0.46 over classrooms
    "c2#1~1[c1=1]": 2.5389,            # alpha_2 + gamma: 7% leave class 1
    "c2#1~1[c1=2]": -1.4334,           # alpha_2: 18% join class 1
    "Var(c1#1|classroom)": 2.1034,     # R2(C_1 | alpha_1) = 0.39
    "Cov(c1#1|classroom,c2#1|classroom)": 0.9256,   # beta = 0.44 (eq. 15)
    "Var(c2#1|classroom)": 0.8773,     # residual variance of alpha_2: 0.47
})

#: the paper's figures (section 4)
PAPER = {"P(C_1 = 1)": 0.46, "P(C_2 = 1)": 0.52, "P(C_2 = 2 | C_1 = 1)": 0.07,
         "P(C_2 = 1 | C_1 = 2)": 0.18, "R2(c1 | alpha1)": 0.39, "R2(c2)": 0.65,
         "R2(c2): alpha1": 0.35, "R2(c2): residual c1": 0.30,
         "R2(c2): residual alpha2": 0.05, "R2(c2 | c1)": 0.41,
         "R2(c2): added by alpha2": 0.24}

#: LMest 3.2.5, basic latent Markov model (modBasic = 1, homogeneous transitions)
LMEST_SRHS = {2: -71335.558168, 3: -66571.827930}


def draw_data(n_classrooms=100, size=20, seed=4):
    """Students in classrooms, the ten items at two times, drawn from TRUTH.

    Returns the data and the drawn classes (``c1``, ``c2``) and random intercepts.
    """
    rng = np.random.default_rng(seed)
    n = n_classrooms * size
    base = pd.DataFrame({c: rng.integers(0, 2, n).astype(float) for w in ITEMS for c in w})
    base["classroom"] = np.repeat(np.arange(n_classrooms), size)
    model = ml.lta(base, ITEMS, k=2, cluster="classroom")
    return ml.simulate(model, TRUTH, seed=seed, return_latent=True)


def fit(df, starts=(10, 2)):
    """The two-level LTA: invariant items, random correlated logit intercepts."""
    model = ml.lta(df, ITEMS, k=2, cluster="classroom")
    return model.fit(starts=starts, seed=1, progress=False)


def sample_figures(latent):
    """Class shares and switching of the drawn (true) classes of this sample."""
    c1, c2 = latent["c1"].to_numpy(), latent["c2"].to_numpy()
    return pd.Series({"P(C_1 = 1)": (c1 == 1).mean(), "P(C_2 = 1)": (c2 == 1).mean(),
                      "P(C_2 = 2 | C_1 = 1)": (c2[c1 == 1] == 2).mean(),
                      "P(C_2 = 1 | C_1 = 2)": (c2[c1 == 2] == 1).mean()})


def figures(res):
    """The section-4 figures of a fit, class 1 = the disruptive class."""
    lta = res.lta
    prof = lta.profiles(se=True)
    flip = prof.iloc[:, 0].mean() < prof.iloc[:, 2].mean()  # estimate columns of classes
    a, b = (2, 1) if flip else (1, 2)
    sizes = lta.class_sizes()
    trans = lta.transitions(wave=2)
    rows = {
        "P(C_1 = 1)": sizes.loc[(1, a), ["model", "se"]].to_numpy(),
        "P(C_2 = 1)": sizes.loc[(2, a), ["model", "se"]].to_numpy(),
        "P(C_2 = 2 | C_1 = 1)": trans.loc[f"c1={a}->c2={b}", ["estimate", "se"]].to_numpy(),
        "P(C_2 = 1 | C_1 = 2)": trans.loc[f"c1={b}->c2={a}", ["estimate", "se"]].to_numpy(),
    }
    r2 = lta.r_squared()
    for name in r2.index:   # R^2 values do not depend on the labels
        rows[name] = r2.loc[name, ["estimate", "se"]].to_numpy()
    reg = lta.random_intercept_regression()
    rows["beta (eq. 15)"] = reg.loc["beta", ["estimate", "se"]].to_numpy()
    rows["Var(eps) (eq. 15)"] = reg.loc["residual variance", ["estimate", "se"]].to_numpy()
    out = pd.DataFrame(rows, index=["estimate", "se"]).T
    return out, flip


def true_figures(df):
    """The same figures at the true parameters (the model at TRUTH, same data)."""
    model = ml.lta(df, ITEMS, k=2, cluster="classroom")
    start = np.array([TRUTH[n] for n in model.param_names])
    res = model.fit(start_params=start, maxiter=0, em_iter=0)
    est, _ = figures(res)
    return est["estimate"]


def profiles_against_table1(res, flip):
    prof = res.lta.profiles()
    if flip:
        prof = prof.iloc[:, ::-1]
    prof.columns = ["C_t=1", "C_t=2"]
    prof.index = list(TABLE1)
    table = pd.DataFrame(TABLE1, index=["Table 1: C_t=1", "Table 1: C_t=2"]).T
    return pd.concat([table, prof], axis=1)


def srhs(k=2):
    """Self-rated health, 8 waves: the basic latent Markov model against LMest."""
    data = pd.read_csv("/work/shared/data/srhs.csv")
    model = ml.lta(data, "srhs", id="id", time="t", k=k, family="nominal",
                   homogeneous=True)
    t0 = time.perf_counter()
    res = model.fit(starts=(4, 2), progress=False)
    return res, time.perf_counter() - t0


def main():
    warnings.simplefilter("ignore", EstimationWarning)
    df, latent = draw_data()
    t0 = time.perf_counter()
    res = fit(df)
    print(f"Two-level LTA: {len(df)} students in {df['classroom'].nunique()} classrooms, "
          f"fitted in {time.perf_counter() - t0:.0f} s, log-likelihood {res.llf:.3f} "
          f"(start: {res.model.start_info['chosen']})\n")
    est, flip = figures(res)
    est.insert(0, "sample", sample_figures(latent))
    est.insert(0, "truth", true_figures(df))
    est.insert(0, "paper", pd.Series(PAPER))
    print("Section-4 figures: the paper, the truth of the simulation, the drawn classes of "
          "this sample, the estimates")
    print(est.round(3).to_string(), "\n")
    print("Table 1: item probabilities P(U = 2 | C), the truth and the estimates")
    print(profiles_against_table1(res, flip).round(2).to_string(), "\n")
    print(res.lta.summary())
    if "--srhs" in sys.argv:
        res2, secs = srhs(2)
        print(f"\nSelf-rated health, K = 2: log-likelihood {res2.llf:.6f} "
              f"(LMest {LMEST_SRHS[2]:.6f}), {secs:.0f} s")


if __name__ == "__main__":
    main()
