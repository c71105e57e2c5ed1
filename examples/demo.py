"""mixlevel demo (run by `make demo`): the paper's model types on bundled data.

1. Latent class analysis (single level) of Agresti's carcinoma ratings.
2. Section 6 of the paper: a within class variable C regressed on a between
   class variable D (eq. 22-26), the nonparametric multilevel LCA of
   Vermunt (2003), on multilevLCA's toy data (30 clusters x 100 rows).
3. Section 2: a two-level regression with a cluster random intercept integrated
   by adaptive Gauss-Hermite quadrature (cbpp, binomial counts).
4. Section 5, Table 3: the same data analysed with a between-level class
   variable (Model 5) and a within-between one (Model 6).
"""

from pathlib import Path

import pandas as pd

import mixlevel as ml
from mixlevel._kernels import _build_info

DATA = Path(__file__).resolve().parent.parent / "tests" / "data"


def banner(text):
    print("\n" + "=" * 100 + f"\n{text}\n" + "=" * 100)


def lca_carcinoma():
    df = pd.read_csv(DATA / "carcinoma.csv") - 1  # items coded 1/2 -> 0/1
    model = ml.mixture("A + B + C + D + E + F + G ~ c", data=df, classes={"c": 2},
                       family="binary")
    return model.fit(starts=(10, 3))


def multilevel_lca():
    df = pd.read_csv(DATA / "datatoy.csv")
    model = ml.mixture("Y_1 + ... + Y_10 ~ c\nc ~ d", data=df,
                       classes={"d": ml.Between(2), "c": 3}, family="binary",
                       cluster="id_high")  # eq. 24: P(C | D); eq. 26: P(D)
    return model.fit(starts=(6, 2))


def random_intercept_binomial():
    df = pd.read_csv(DATA / "cbpp.csv")
    model = ml.mixture("incidence ~ C(period) + (1 | herd)", data=df, family="binomial",
                       trials="size", integration="gauss-hermite", n_points=11,
                       adaptive=True)
    return model.fit()


def main():
    print(f"mixlevel {ml.__version__}; compiled kernels: "
          f"{'yes' if _build_info.is_compiled() else 'no'}, OpenMP: "
          f"{'yes' if _build_info.openmp_enabled() else 'no'}")
    banner("1. Latent class analysis, 2 classes (carcinoma; poLCA/StepMix LL -317.2568)")
    res = lca_carcinoma()
    print(res.summary())
    banner("2. Within classes C on between classes D (paper sec. 6; datatoy, LL -17019.8016)")
    res = multilevel_lca()
    print(res.summary())
    banner("3. Random-intercept binomial regression, adaptive GH 11 (cbpp; LL -91.98337)")
    print(random_intercept_binomial().summary())
    banner("4. Between (Model 5) vs within-between (Model 6) classes: the paper's Table 3")
    import section5_between_classes  # examples/ is on sys.path when run as a script

    section5_between_classes.main(["--no-check"])


if __name__ == "__main__":
    main()
