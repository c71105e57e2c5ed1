"""Class enumeration: the VLMR/LMR test, the bootstrap LRT and enumerate_classes."""

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import mixlevel as ml
from mixlevel.errors import SpecificationError
from mixlevel.inference.blrt import ModelBuilder, _collapse, bootstrap_lrt, stopping_point
from mixlevel.inference.enumeration import enumerate_classes, scaled_starts
from mixlevel.inference.lmr import lmr_test, weighted_chi2_sf

from .results import results_lca_carcinoma

DATA = Path(__file__).parent / "data"
CARC = " + ".join("ABCDEFG") + " ~ c"
NYTS_ITEMS = ["ECIGT", "ECIGAR", "ESLT", "EELCIGT", "EHOOKAH"]


def quiet(fn, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return fn(*args, **kwargs)


@pytest.fixture(scope="module")
def carcinoma():
    return pd.read_csv(DATA / "carcinoma.csv") - 1


@pytest.fixture(scope="module")
def carc_fits(carcinoma):
    return {k: quiet(ml.mixture(CARC, carcinoma, classes={"c": k}, family="binary").fit,
                     starts=(40, 8), progress=False)
            for k in (1, 2, 3)}


@pytest.fixture(scope="module")
def nyts():
    df = pd.read_csv(DATA / "nyts18.csv")
    for c in NYTS_ITEMS:
        df[c] = 2 - df[c]  # 1 = yes, 2 = no -> 1/0
    return df


# ---------------------------------------------------------------------------------------
# the weighted chi-square and the VLMR statistic
# ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("df", [1, 3, 8])
def test_weighted_chi2_equal_weights_is_chi2(df):
    for x in (0.3, 2.0, 7.5, 25.0):
        assert weighted_chi2_sf(x, np.ones(df)) == pytest.approx(stats.chi2.sf(x, df),
                                                                 abs=1e-9)


def test_weighted_chi2_mixed_signs_against_simulation():
    rng = np.random.default_rng(7)
    lam = np.array([2.5, 1.0, 1.0, 0.4, -0.8, -0.3, 0.05])
    draws = rng.standard_normal((400_000, lam.size)) ** 2 @ lam
    for x in (-1.0, 1.0, 4.0, 9.0):
        mc = (draws > x).mean()
        assert abs(weighted_chi2_sf(x, lam) - mc) < 4 * np.sqrt(mc * (1 - mc) / draws.size)
    # far tails (an LR of 78,564 once gave 0.04 when the oscillating integral failed)
    assert 0 < weighted_chi2_sf(100.0, lam) < stats.chi2.sf(100 / 2.5, 4)
    assert weighted_chi2_sf(78564.0, lam) < 1e-300
    assert weighted_chi2_sf(300.0, np.ones(3)) == pytest.approx(stats.chi2.sf(300, 3),
                                                                 rel=1e-9)


def test_vlmr_statistic_is_the_loglikeobs_difference(carc_fits):
    """LR = 2 sum_i (l_3i - l_2i) from the models' per-observation log-likelihoods."""
    r2, r3 = carc_fits[2], carc_fits[3]
    direct = 2 * (np.sum(r3.model.loglikeobs(np.asarray(r3.params)))
                  - np.sum(r2.model.loglikeobs(np.asarray(r2.params))))
    out = lmr_test(r2, r3)
    assert out["lr"] == pytest.approx(direct, rel=1e-12)
    assert out["lr"] == pytest.approx(2 * (results_lca_carcinoma.lca3["loglike"]
                                           - results_lca_carcinoma.lca2["loglike"]), abs=1e-4)
    assert out["df"] == 8 and out["n_units"] == 118
    # adjusted LMR: LR / (1 + 1 / (df ln n)), Lo, Mendell & Rubin (2001) eq. 15
    assert out["lr_adjusted"] == pytest.approx(direct / (1 + 1 / (8 * np.log(118))))
    assert out["pvalue"] < 1e-6 and out["pvalue_adjusted"] < 1e-6


def test_vlmr_on_weighted_patterns_equals_raw_rows(carc_fits, carcinoma):
    """A pattern with count w counts as w units: the test is the raw rows' test."""
    patterns = ml.response_patterns(carcinoma, list("ABCDEFG"))
    fits = [quiet(ml.mixture(CARC, patterns, classes={"c": k}, family="binary",
                             weights="n").fit, starts=(40, 8), progress=False) for k in (1, 2)]
    raw, pat = lmr_test(carc_fits[1], carc_fits[2]), lmr_test(*fits)
    assert pat["n_units"] == 118
    for key in ("lr", "mean", "sd", "lr_adjusted"):
        assert pat[key] == pytest.approx(raw[key], rel=1e-5), key
    np.testing.assert_allclose(np.sort(pat.attrs["eigenvalues"]),
                               np.sort(raw.attrs["eigenvalues"]), atol=1e-5)


def test_vlmr_weights_are_vuongs_eigenvalues(carc_fits):
    """The weights equal the eigenvalues of Vuong's (1989) W built from the two models."""
    g, f = carc_fits[1], carc_fits[2]
    n = 118.0
    parts = []
    for res in (f, g):
        p = np.asarray(res.params)
        s = res.model.score_obs(p)
        parts.append((s, res.model.hessian(p) / n))
    (sf, Af), (sg, Ag) = parts
    Bf, Bg, Bfg = sf.T @ sf / n, sg.T @ sg / n, sf.T @ sg / n
    Afi = np.linalg.pinv(Af, rcond=1e-8, hermitian=True)
    Agi = np.linalg.pinv(Ag, rcond=1e-8, hermitian=True)
    W = np.block([[-Bf @ Afi, -Bfg @ Agi], [Bfg.T @ Afi, Bg @ Agi]])
    expected = np.sort(np.linalg.eigvals(W).real)
    got = np.sort(lmr_test(g, f).attrs["eigenvalues"])
    np.testing.assert_allclose(got, expected, atol=1e-6 * np.abs(expected).max())


def test_vlmr_of_nested_regular_models_is_chi_square():
    """Two equality constraints in a 2-class LCA: a regular nested pair, so the weights
    are about (1, 1, 0, ...) and the p-value the chi-square(2) one (Vuong 1989, 3.3)."""
    df = pd.read_csv(DATA / "values.csv") - 1
    f = "A + B + C + D ~ c"
    full = quiet(ml.mixture(f, df, classes={"c": 2}, family="binary").fit, progress=False)
    restricted = quiet(ml.mixture(f, df, classes={"c": 2}, family="binary",
                                  equal=[("A~1[c=1]", "B~1[c=1]"),
                                         ("C~1[c=1]", "D~1[c=1]")]).fit, progress=False)
    out = lmr_test(restricted, full)
    lam = np.sort(out.attrs["eigenvalues"])[::-1]
    assert lam[:2] == pytest.approx([1, 1], abs=0.1)
    assert np.abs(lam[2:]).max() < 0.2
    assert out["pvalue"] == pytest.approx(stats.chi2.sf(out["lr"], 2), abs=0.01)


# ---------------------------------------------------------------------------------------
# enumerate_classes
# ---------------------------------------------------------------------------------------
def test_enumerate_carcinoma(carcinoma):
    enum = quiet(enumerate_classes, CARC, carcinoma, classes="c", k=range(1, 4),
                 family="binary")
    tab = enum.table
    assert list(tab.index) == [1, 2, 3]
    ref = {2: results_lca_carcinoma.lca2, 3: results_lca_carcinoma.lca3}
    for k, r in ref.items():
        assert tab.loc[k, "loglike"] == pytest.approx(r["loglike"], abs=1e-5)
        assert tab.loc[k, "bic"] == pytest.approx(r["bic"], abs=1e-4)
        assert tab.loc[k, "smallest_share"] == pytest.approx(min(r["class_proportions"]),
                                                             abs=1e-5)
        assert tab.loc[k, "smallest_n"] == pytest.approx(118 * min(r["class_proportions"]),
                                                         abs=1e-3)
        assert tab.loc[k, "n_final"] == scaled_starts(k)[1]
    # one class: the independence model, LL = sum over items of the binomial LL
    p = carcinoma.mean()
    indep = float((118 * (p * np.log(p) + (1 - p) * np.log(1 - p))).sum())
    assert tab.loc[1, "loglike"] == pytest.approx(indep, abs=1e-6)
    assert tab.loc[1, "n_params"] == 7 and np.isnan(tab.loc[1, "lmr_pvalue"])
    assert tab.loc[3, "lr"] == pytest.approx(2 * (ref[3]["loglike"] - ref[2]["loglike"]),
                                             abs=1e-4)
    assert enum.best("bic") == 3
    assert tab.loc[3, "lmr_pvalue"] == pytest.approx(enum.lmr[3]["pvalue"])
    assert tab.loc[2, "lmr_pvalue"] < 1e-6
    assert "best BIC at K=3" in enum.summary()


def test_enumerate_between_classes_counts_clusters(nyts):
    f = " + ".join(NYTS_ITEMS) + " ~ d"
    enum = quiet(enumerate_classes, f, nyts, classes="d", k=[1, 2], level="between",
                 family="binary", cluster="SCH_ID", starts=(10, 3))
    assert enum.lmr[2]["n_units"] == 45  # schools, not students
    assert enum.table.loc[2, "smallest_n"] < 45  # a count of schools
    assert enum.table.loc[2, "lmr_pvalue"] < 0.01
    assert enum[2].n_clusters == 45


def test_enumerate_within_classes_of_a_two_level_model():
    """Within classes c with the between classes d fixed (multilevel LCA): the LMR
    units are the 12 clusters, fewer than the 19 parameters, which the note says."""
    df = pd.read_csv(DATA / "datatoy.csv").query("id_high <= 12")
    f = " + ".join(f"Y_{k}" for k in range(1, 6)) + " ~ c\nc ~ d"
    enum = quiet(enumerate_classes, f, df, classes="c", k=[1, 2],
                 other_classes={"d": ml.Between(2)}, family="binary", cluster="id_high",
                 starts=(6, 2))
    test = enum.lmr[2]
    assert test["n_units"] == 12
    assert test["lr"] == pytest.approx(2 * (enum[2].llf - enum[1].llf))
    assert "fewer independent units (12) than parameters of the two models (19)" in \
        test["note"]
    assert enum.table.loc[2, "smallest_n"] < 1200


def test_enumerate_rejects_bad_arguments(carcinoma):
    with pytest.raises(SpecificationError, match="names the class variable"):
        enumerate_classes(CARC, carcinoma, classes={"c": 2})
    with pytest.raises(ValueError, match="level"):
        enumerate_classes(CARC, carcinoma, level="cluster")


def test_plot_enumeration(carc_fits, carcinoma):
    import matplotlib

    matplotlib.use("Agg")
    enum = quiet(enumerate_classes, CARC, carcinoma, classes="c", k=[1, 2],
                 family="binary", starts=(6, 2))
    fig = enum.plot()
    left, right = fig.axes[:2]
    np.testing.assert_allclose(right.lines[0].get_ydata(), enum.table["loglike"])
    assert len(left.lines) == 6  # three criteria, each with its minimum marked


# ---------------------------------------------------------------------------------------
# the bootstrap LRT
# ---------------------------------------------------------------------------------------
def test_stopping_rule():
    assert stopping_point([True, True]) == 2        # 2 of 2: p clearly above 0.05
    assert stopping_point([False, True, False]) is None
    assert stopping_point([False] * 89) is None
    assert stopping_point([False] * 90) == 90       # 0 of 90: p clearly below 0.05
    # the first n at which the one-sided 99% Clopper-Pearson bound excludes 0.05
    seq = [False] * 3 + [True] * 4
    n = stopping_point(seq)
    k = sum(seq[:n])
    assert stats.beta.ppf(0.01, k, n - k + 1) > 0.05
    assert stopping_point(seq[:n - 1]) is None


def test_bootstrap_collapse_keeps_counts():
    frame = pd.DataFrame({"a": [0, 1, 0, 0, np.nan, np.nan], "b": [1, 1, 1, 0, 1, 1],
                          "n": 1.0})
    out = _collapse(frame, "n").sort_values(["a", "b"]).reset_index(drop=True)
    assert out["n"].sum() == 6 and len(out) == 4
    assert out.loc[out["a"].isna(), "n"].item() == 2


def test_blrt_on_patterns_draws_whole_rows(carcinoma):
    """With frequency weights the generating model has one row per respondent."""
    from mixlevel.inference.blrt import _generator, _Task

    patterns = ml.response_patterns(carcinoma, list("ABCDEFG"))
    r1, r2 = (quiet(ml.mixture(CARC, patterns, classes={"c": k}, family="binary",
                               weights="n").fit, starts=(6, 2), progress=False)
              for k in (1, 2))
    out = quiet(bootstrap_lrt, r1, r2, max_draws=3, sequential=False, starts=(4, 2))
    assert out.n_draws == 3 and out.pvalue == 0.0
    assert (out.draws["lr"] > 0).all() and (out.draws["lr"] < 60).all()
    task = _Task(ModelBuilder.of_results(r1), ModelBuilder.of_results(r2),
                 r1.model.formula.data, "n", r1.params, r2.params, None, None, {}, "t")
    assert _generator(task).nobs == 118 and len(_generator(task).formula.data) == 118
    bad = patterns.assign(n=patterns["n"] + 0.5)
    r1b, r2b = (quiet(ml.mixture(CARC, bad, classes={"c": k}, family="binary",
                                 weights="n").fit, starts=(4, 2), progress=False)
                for k in (1, 2))
    with pytest.raises(SpecificationError, match="whole"):
        bootstrap_lrt(r1b, r2b, max_draws=2)


def test_blrt_two_level_between_classes(nyts):
    """1 against 2 between classes of schools: draws of whole schools from the fitted
    one-class model; the observed LR (~680) is far beyond every draw."""
    f = " + ".join(NYTS_ITEMS) + " ~ d"
    fits = {k: quiet(ml.mixture(f, nyts, classes={"d": ml.Between(k)}, family="binary",
                                cluster="SCH_ID").fit, starts=(10, 3), progress=False)
            for k in (1, 2)}
    out = quiet(bootstrap_lrt, fits[1], fits[2], max_draws=6, sequential=False,
                starts=(6, 2), seed=3)
    assert out.lr == pytest.approx(2 * (fits[2].llf - fits[1].llf))
    assert out.lr > 500
    assert out.n_draws == 6 and out.n_failed == 0 and out.pvalue == 0.0
    # under one class the LR of a second class of 45 schools is small (mean ~ 10)
    assert 0 < out.draws["lr"].mean() < 40
    assert not out.stopped_early


def test_blrt_stops_early_when_clearly_not_significant():
    """Data from a 2-class model: 2 against 3 classes is not significant, and the
    sequential rule stops long before 100 draws."""
    rng = np.random.default_rng(11)
    n = 300
    cls = rng.random(n) < 0.6
    p = np.where(cls[:, None], [0.85, 0.8, 0.9, 0.75, 0.8], [0.2, 0.15, 0.3, 0.2, 0.1])
    df = pd.DataFrame((rng.random((n, 5)) < p).astype(float),
                      columns=[f"u{i}" for i in range(1, 6)])
    f = "u1 + u2 + u3 + u4 + u5 ~ c"
    r2, r3 = (quiet(ml.mixture(f, df, classes={"c": k}, family="binary").fit,
                    starts=(20, 4), progress=False) for k in (2, 3))
    out = quiet(bootstrap_lrt, r2, r3, max_draws=100, starts=(8, 2), seed=5)
    assert out.stopped_early and out.n_draws < 30
    assert out.pvalue > 0.05
    assert stopping_point(out.draws.loc[out.draws["used"], "lr"] >= out.lr) == out.n_draws


@pytest.mark.slow
def test_blrt_rejection_rates_monte_carlo():
    """Data with K = 2 classes: the BLRT rejects K = 1 every time and K = 2 (against 3)
    at about the nominal 5% (40 data sets; at most 6 rejections: P(X >= 7) = 0.003)."""
    rejects_1, rejects_2 = 0, 0
    n_sets = 40
    for s in range(n_sets):
        rng = np.random.default_rng(1000 + s)
        n = 200
        cls = rng.random(n) < 0.5
        p = np.where(cls[:, None], [0.8, 0.8, 0.7, 0.8, 0.75], [0.2, 0.3, 0.2, 0.25, 0.3])
        df = pd.DataFrame((rng.random((n, 5)) < p).astype(float),
                          columns=[f"u{i}" for i in range(1, 6)])
        f = "u1 + u2 + u3 + u4 + u5 ~ c"
        fits = {k: quiet(ml.mixture(f, df, classes={"c": k}, family="binary").fit,
                         starts=(20, 4), progress=False) for k in (1, 2, 3)}
        b1 = quiet(bootstrap_lrt, fits[1], fits[2], max_draws=19, sequential=False,
                   starts=(6, 2), seed=s)
        rejects_1 += b1.pvalue < 0.05
        b2 = quiet(bootstrap_lrt, fits[2], fits[3], seed=s, starts=(10, 3), n_jobs=2)
        rejects_2 += b2.pvalue < 0.05
    assert rejects_1 == n_sets
    assert rejects_2 <= 6


def test_blrt_same_draws_in_processes(carc_fits):
    """Each draw has its own seed: one process and two processes give the same draws."""
    kw = dict(max_draws=3, sequential=False, starts=(4, 2), seed=9)
    one = quiet(bootstrap_lrt, carc_fits[1], carc_fits[2], n_jobs=1, **kw)
    two = quiet(bootstrap_lrt, carc_fits[1], carc_fits[2], n_jobs=2, **kw)
    np.testing.assert_allclose(two.draws["lr"], one.draws["lr"], rtol=1e-9)


@pytest.mark.slow
def test_blrt_same_draws_on_dask(carc_fits):
    """The same call under joblib's Dask backend (a local cluster) gives the same draws."""
    from joblib import parallel_config

    distributed = pytest.importorskip("distributed")
    kw = dict(max_draws=4, sequential=False, starts=(4, 2), seed=9)
    one = quiet(bootstrap_lrt, carc_fits[1], carc_fits[2], n_jobs=1, **kw)
    with distributed.Client(processes=False, n_workers=1, threads_per_worker=2,
                            dashboard_address=":0"), parallel_config(backend="dask"):
        dask = quiet(bootstrap_lrt, carc_fits[1], carc_fits[2], n_jobs=-1, **kw)
    np.testing.assert_allclose(dask.draws["lr"], one.draws["lr"], rtol=1e-9)
