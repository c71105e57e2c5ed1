"""The results battery: the same checks on every kind of fitted model.

In the manner of statsmodels' generic-methods tests: :class:`CheckResults`
holds checks that any result must pass, each comparing an accessor with an
independent route to the same number (the model's log-likelihood function,
the formulas of the information criteria, the covariance matrix, the matrix
form of a test, a pickle round trip); each ``Test*`` class runs them on one
kind of model (its ``fitted`` fixture: result, training data, new data) and
adds checks of its predictions against closed forms.  The models are built
from formulas, so the checks also cover the formula layer's transforms for
new data and the pickling of formula models.
"""

import pickle
import re
import subprocess
import sys
import textwrap
from collections import Counter
from pathlib import Path

import joblib
import numpy as np
import pandas as pd
import pytest
from scipy import integrate, stats
from scipy.special import expit
from statsmodels.iolib.table import default_latex_fmt

from mixlevel.results import MixtureResults
from tests.models import Fitted, twolevel_data

ROOT = Path(__file__).resolve().parents[1]
Z975 = stats.norm.ppf(0.975)


def copy_of(res):
    return pickle.loads(pickle.dumps(res))


def roundtrip(res, how, tmp_path):
    """``res`` saved and loaded again by pickle, ``save``/``load`` or joblib."""
    path = tmp_path / f"res.{how}"
    if how == "pickle":
        return pickle.loads(pickle.dumps(res))
    if how == "save":
        res.save(path)
        return MixtureResults.load(path)
    joblib.dump(res, path)
    return joblib.load(path)


def stubs_text(text):
    """Row labels of the text summary's tables (a row's text before two spaces)."""
    return Counter(re.split(r"\s{2,}", ln.strip())[0] for ln in text.splitlines())


def stubs_html(text):
    return Counter(m.strip() for m in re.findall(r"<th>([^<]*)</th>", text))


def stubs_latex(text):
    return Counter(m.strip() for m in re.findall(r"\\textbf\{([^}]*)\}\s*&", text))


def latex(label):
    """A label as statsmodels' LaTeX tables print it."""
    repl = default_latex_fmt["replacements"]
    for ch in sorted(repl):
        label = label.replace(ch, repl[ch])
    return label


def expected_stubs(res):
    """How the parameter tables label each parameter: class logits by their full
    name, the others without the class suffix (the table title names the class)."""
    info = res.parameter_info
    return Counter(n if info.loc[n, "section"] == "class" else info.loc[n, "label"]
                   for n in res.model.param_names)


class CheckResults:
    """Checks every fitted model must pass; subclasses provide ``fitted``."""

    def test_params_bse_pvalues_are_labelled_series(self, fitted):
        res = fitted.res
        names = res.model.param_names
        for s in (res.params, res.bse, res.pvalues, res.tvalues):
            assert isinstance(s, pd.Series)
            assert list(s.index) == names
        assert list(res.cov_params().index) == names

    def test_llf_is_the_models_loglike_at_the_estimates(self, fitted):
        res = fitted.res
        assert res.llf == pytest.approx(res.model.loglike(np.asarray(res.params)), rel=1e-10)
        assert res.llf < 0

    def test_information_criteria_equal_their_formulas(self, fitted):
        res = fitted.res
        k, n, ll = len(res.params), len(fitted.data), res.llf  # n = rows (no weights)
        assert res.k_params == k
        assert res.aic == pytest.approx(-2 * ll + 2 * k, rel=1e-12)
        assert res.bic == pytest.approx(-2 * ll + np.log(n) * k, rel=1e-12)
        assert res.abic == pytest.approx(-2 * ll + np.log((n + 2) / 24) * k, rel=1e-12)

    def test_bse_conf_int_pvalues_from_the_covariance(self, fitted):
        res = fitted.res
        cov = res.cov_params().to_numpy()
        assert np.all(np.linalg.eigvalsh(cov) > 0)
        se = np.sqrt(np.diag(cov))
        np.testing.assert_allclose(res.bse, se, rtol=1e-12)
        p = res.params.to_numpy()
        ci = res.conf_int().to_numpy()
        np.testing.assert_allclose(ci[:, 0], p - Z975 * se, rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(ci[:, 1], p + Z975 * se, rtol=1e-10, atol=1e-12)
        ci90 = res.conf_int(alpha=0.1).to_numpy()
        np.testing.assert_allclose(ci90[:, 1] - ci90[:, 0], 2 * stats.norm.ppf(0.95) * se,
                                   rtol=1e-10)
        np.testing.assert_allclose(res.pvalues, 2 * stats.norm.sf(np.abs(p / se)),
                                   rtol=1e-10)

    def test_tests_with_parameter_names_equal_the_matrix_form(self, fitted):
        res = fitted.res
        names = res.model.param_names
        k = len(names)
        p, cov = res.params.to_numpy(), res.cov_params().to_numpy()
        # every parameter, by name: the z tests of the summary
        tt = res.t_test(", ".join(f"{n} = 0" for n in names))
        tm = res.t_test(np.eye(k))
        np.testing.assert_allclose(np.ravel(tt.effect), p, rtol=1e-12)
        np.testing.assert_allclose(np.ravel(tt.sd), np.ravel(tm.sd), rtol=1e-12)
        np.testing.assert_allclose(np.ravel(tt.pvalue), res.pvalues, rtol=1e-8)
        # a difference, and a joint test of the first and last parameters
        a, b = names[0], names[-1]
        r = np.zeros(k)
        r[0], r[-1] = 1.0, -1.0
        td = res.t_test(f"{a} - {b} = 0.5")
        sd = np.sqrt(r @ cov @ r)
        assert float(np.squeeze(td.effect)) == pytest.approx(p[0] - p[-1], rel=1e-12)
        assert float(np.squeeze(td.sd)) == pytest.approx(sd, rel=1e-10)
        assert float(np.squeeze(td.tvalue)) == pytest.approx((p[0] - p[-1] - 0.5) / sd,
                                                             rel=1e-10)
        R = np.zeros((2, k))
        R[0, 0] = R[1, -1] = 1.0
        q = np.array([0.5, 1.0])
        w = res.wald_test(f"{a} = 0.5, {b} = 1")
        dev = R @ p - q
        chi2 = dev @ np.linalg.solve(R @ cov @ R.T, dev)
        assert float(np.squeeze(w.statistic)) == pytest.approx(chi2, rel=1e-10)
        assert float(np.squeeze(res.wald_test((R, q)).statistic)) == pytest.approx(chi2,
                                                                                   rel=1e-10)

    def test_summary_renders_and_names_every_parameter(self, fitted):
        res = fitted.res
        smry = res.summary()
        text, html, tex = smry.as_text(), smry.as_html(), smry.as_latex()
        assert max(len(ln) for ln in text.splitlines()) <= 100
        want = expected_stubs(res)
        got_text, got_html, got_tex = stubs_text(text), stubs_html(html), stubs_latex(tex)
        for label, count in want.items():
            assert got_text[label] >= count, (label, text)
            assert got_html[label] >= count, label
            assert got_tex[latex(label)] >= count, label
        assert tex.count(r"\begin{tabular}") == len(smry.tables)
        info = res.parameter_info
        for cls in set(info.loc[info["section"] != "class", "classes"]) - {"all"}:
            assert f"class {cls}" in text  # the title of that class's table
        assert f"{res.llf:.3f}" in text and f"{res.bic:.3f}" in text

    def test_summary_with_probabilities_shows_the_profiles(self, fitted):
        res = fitted.res
        text = str(res.summary(probabilities=True))
        assert "Outcome probabilities / means" in text
        for est, se in zip(res.profiles["estimate"], res.profiles["se"], strict=True):
            assert f"{est:.3f} ({se:.3f})" in text

    @pytest.mark.parametrize("which", ["mean", "joint"])
    def test_predict_on_the_training_data_equals_predict_newdata(self, fitted, which):
        res = fitted.res
        own = res.predict(which=which)
        new = res.predict(newdata=fitted.data, which=which)
        pd.testing.assert_index_equal(own.index, fitted.data.index)
        pd.testing.assert_index_equal(own.index, new.index)
        assert list(own.columns) == list(new.columns)
        np.testing.assert_allclose(own.to_numpy(), new.to_numpy(), rtol=1e-10, atol=1e-13)

    # -- the statsmodels / lme4 protocol (issue 15) ------------------------------------
    def test_fitted_values_and_residuals(self, fitted):
        res = fitted.res
        two_level = not res._meta["single_level"] and res.model.cluster is not None
        frame = res.predict(conditional=two_level)
        fv, resid = res.fittedvalues, res.resid
        fv_frame = fv.to_frame() if isinstance(fv, pd.Series) else fv
        np.testing.assert_allclose(fv_frame.to_numpy(), frame.to_numpy(), rtol=1e-12)
        pd.testing.assert_index_equal(fv_frame.index, fitted.data.index)
        r_frame = resid.to_frame() if isinstance(resid, pd.Series) else resid
        checked = 0
        for o in res.model.spec.outcomes:
            col = o.name
            if col in frame.columns:  # binary 0/1, normal; binomial: share of successes
                y = pd.to_numeric(fitted.data[col]).to_numpy(float)
                if o.family.needs_trials:
                    y = y / pd.to_numeric(fitted.data[o.trials]).to_numpy(float)
                np.testing.assert_allclose(r_frame[col].to_numpy(), y - frame[col].to_numpy(),
                                           rtol=1e-10, atol=1e-12)
                checked += 1
        assert checked >= 1

    def test_llnull_df_model_and_the_likelihood_ratio(self, fitted):
        res = fitted.res
        assert res.llnull < res.llf
        assert res.df_model == res.k_params - res.k_null > 0
        assert res.df_resid == res.nobs - res.k_params
        assert res.llr == pytest.approx(2 * (res.llf - res.llnull), rel=1e-12)
        assert res.llr_pvalue == pytest.approx(stats.chi2.sf(res.llr, res.df_model), rel=1e-10)

    def test_wald_test_terms_equal_the_matrix_form(self, fitted):
        res = fitted.res
        names = res.model.param_names
        table = res.wald_test_terms()
        assert len(table) >= 1
        cov, p = res.cov_params().to_numpy(), res.params.to_numpy()
        groups = res._term_groups()
        for (eq, term), idx in groups.items():
            row = table.loc[f"{eq}~{term}"]
            chi2 = p[idx] @ np.linalg.solve(cov[np.ix_(idx, idx)], p[idx])
            assert row["chi2"] == pytest.approx(chi2, rel=1e-8)
            assert row["df_constraint"] == len(idx)
        tested = {names[i] for idx in groups.values() for i in idx}
        info = res.parameter_info
        assert tested == {n for n in names if info.loc[n, "kind"] == "coef"}

    @pytest.mark.parametrize("which", ["mean", "prob"])
    def test_get_prediction_is_predict_with_delta_method_se(self, fitted, which):
        res = fitted.res
        if which == "prob" and not res.model.spec.classes:
            return
        pred = res.get_prediction(fitted.newdata, which=which)
        want = res.predict(fitted.newdata, which=which)
        np.testing.assert_allclose(pred.predicted.to_numpy(), want.to_numpy(), rtol=1e-12)
        frame = pred.summary_frame()
        se = pred.se.to_numpy()
        assert np.all(np.isfinite(se)) and np.all(se >= 0)
        assert np.any(se > 0)
        col = want.columns[0]  # (GLM and LMM values against statsmodels: test_results_protocol)
        lo, hi = (frame[col] if isinstance(frame.columns, pd.MultiIndex) else frame)[
            ["mean_ci_lower", "mean_ci_upper"]].to_numpy().T
        assert np.all(lo <= want[col].to_numpy() + 1e-12)
        assert np.all(want[col].to_numpy() <= hi + 1e-12)
        if pred.scales[0] == "logit":
            assert np.all(lo >= 0) and np.all(hi <= 1)

    def test_model_predict_and_exog(self, fitted):
        res = fitted.res
        model = res.model
        pd.testing.assert_frame_equal(model.predict(res.params, fitted.newdata),
                                      res.predict(fitted.newdata), rtol=1e-12)
        pd.testing.assert_frame_equal(model.predict(res.params.to_numpy()), res.predict(),
                                      rtol=1e-12)
        exog = model.exog
        pd.testing.assert_index_equal(exog.index, fitted.data.index)
        assert set(exog.columns) == set(model.spec.columns()) - {"1"}
        for col in set(exog.columns) & set(fitted.data.columns):  # raw covariates by name
            np.testing.assert_allclose(exog[col], fitted.data[col].astype(float), rtol=1e-12)
        with pytest.raises(ValueError, match="free parameters"):
            model.predict(res.params.to_numpy()[:-1])

    def test_summary2_names_every_parameter(self, fitted):
        res = fitted.res
        text = str(res.summary2())
        for name in res.model.param_names:
            assert name in text
        assert f"{res.llf:.4f}" in text

    def test_var_components_are_sds_and_correlations_of_the_parameters(self, fitted):
        res = fitted.res
        info = res.parameter_info
        has = (info["section"] == "covariance").any() or (info["kind"] == "variance").any()
        if not has:
            with pytest.raises(ValueError, match="no variance components"):
                res.var_components()
            return
        vc = res.var_components()
        p = res.params
        for _, row in vc.iterrows():
            if row["kind"] == "sd":
                assert row["estimate"] == pytest.approx(np.sqrt(row["variance"]), rel=1e-10)
            else:
                assert -1 <= row["estimate"] <= 1
        assert set(vc["variance"]).issubset(set(p))

    @pytest.mark.parametrize("how", ["pickle", "save", "joblib"])
    def test_round_trip_keeps_estimates_and_predictions(self, fitted, how, tmp_path):
        res = fitted.res
        pred = res.predict(fitted.newdata)
        bse = res.bse
        back = roundtrip(res, how, tmp_path)
        assert type(back) is type(res)
        pd.testing.assert_series_equal(back.params, res.params, rtol=0, atol=0)
        pd.testing.assert_series_equal(back.bse, bse, rtol=0, atol=0)
        assert back.llf == res.llf
        pd.testing.assert_frame_equal(back.predict(fitted.newdata), pred, rtol=1e-12)
        assert str(back.summary()) == str(res.summary())

    def test_remove_data_keeps_summary_params_and_prediction(self, fitted):
        res = fitted.res
        text = str(res.summary(probabilities=True))
        exported = res.to_dict()
        pred = res.predict(fitted.newdata, which="joint")
        small = copy_of(res)
        small.remove_data()
        assert small.to_dict() == exported
        assert small.model.design.y is None
        pd.testing.assert_series_equal(small.params, res.params, rtol=0, atol=0)
        pd.testing.assert_series_equal(small.bse, res.bse, rtol=0, atol=0)
        assert str(small.summary(probabilities=True)) == text
        pd.testing.assert_frame_equal(small.predict(fitted.newdata, which="joint"), pred,
                                      rtol=1e-12)
        assert len(pickle.dumps(small)) < len(pickle.dumps(res))
        with pytest.raises(RuntimeError, match="remove_data"):
            small.predict()


# ---------------------------------------------------------------------------------------
# the model kinds
# ---------------------------------------------------------------------------------------
class TestSingleLevelLCA(CheckResults):
    @pytest.fixture
    def fitted(self, lca_formula):
        return lca_formula

    def test_predictions_are_class_mixtures_of_item_probabilities(self, fitted):
        res, p = fitted.res, fitted.res.params
        pi = expit(p["c#1~1"])
        prob = res.predict(fitted.newdata, which="prob")
        np.testing.assert_allclose(prob.to_numpy(), [[pi, 1 - pi]] * 3, rtol=1e-10)
        mean = res.predict(fitted.newdata)
        for it in ("u1", "u4"):
            want = pi * expit(p[f"{it}~1[c=1]"]) + (1 - pi) * expit(p[f"{it}~1[c=2]"])
            np.testing.assert_allclose(mean[it], want, rtol=1e-10)


class TestBetweenWithinLCA(CheckResults):
    @pytest.fixture
    def fitted(self, between_within_formula):
        return between_within_formula

    def test_new_rows_get_the_model_class_proportions(self, fitted):
        res, p = fitted.res, fitted.res.params
        pd1 = expit(p["d#1~1"])
        pc1 = np.array([expit(p["c#1~1[d=1]"]), expit(p["c#1~1[d=2]"])])
        c1 = pd1 * pc1[0] + (1 - pd1) * pc1[1]
        prob = res.predict(fitted.newdata, which="prob")
        assert list(prob.columns) == ["d=1", "d=2", "c=1", "c=2"]
        np.testing.assert_allclose(prob.to_numpy(), [[pd1, 1 - pd1, c1, 1 - c1]] * 3,
                                   rtol=1e-10)


class TestMixtureRegression(CheckResults):
    @pytest.fixture
    def fitted(self, mixreg_formula):
        return mixreg_formula

    def test_new_data_use_the_training_mean_of_the_centred_covariate(self, fitted):
        res, p, new = fitted.res, fitted.res.params, fitted.newdata
        xc = new["x"] - fitted.data["x"].mean()
        pc1 = expit(p["c#1~1"] + p["c#1~z"] * new["z"])
        means = [p[f"y~1[c={k}]"] + p[f"y~center(x)[c={k}]"] * xc for k in (1, 2)]
        want = pc1 * means[0] + (1 - pc1) * means[1]
        np.testing.assert_allclose(res.predict(new)["y"], want, rtol=1e-10)
        assert list(res.predict(new).index) == list(new.index)


class TestRandomInterceptGLMM(CheckResults):
    @pytest.fixture
    def fitted(self, glmm_formula):
        return glmm_formula

    def test_marginal_predictions_integrate_the_random_intercept(self, fitted):
        res, p = fitted.res, fitted.res.params
        sd = np.sqrt(p["Var(1|herd)"])
        pred = res.predict(fitted.newdata)["incidence"]
        for period, got in zip(fitted.newdata["period"], pred, strict=True):
            eta = p["incidence~1"] + (p[f"incidence~C(period)[T.{period}]"]
                                      if period != 1 else 0.0)
            want, _ = integrate.quad(lambda u, e=eta: expit(e + sd * u) * stats.norm.pdf(u),
                                     -12, 12, epsabs=1e-12)
            assert got == pytest.approx(want, rel=1e-6)


class TestRandomSlopeLMM(CheckResults):
    @pytest.fixture
    def fitted(self, lmm_formula):
        return lmm_formula

    def test_marginal_predictions_are_the_fixed_part(self, fitted):
        p = fitted.res.params
        want = p["Reaction~1"] + p["Reaction~Days"] * fitted.newdata["Days"]
        np.testing.assert_allclose(fitted.res.predict(fitted.newdata)["Reaction"], want,
                                   rtol=1e-10)


class TestSpecificationAPITwoLevel(CheckResults):
    """Built without a formula: new data's columns are taken by name."""

    @pytest.fixture
    def fitted(self, twolevel):
        data = twolevel_data()
        return Fitted(twolevel, data, data.iloc[[3, 250, 7]].assign(x=[0.0, 1.0, -2.0]))


# ---------------------------------------------------------------------------------------
# persistence failures (reported by a user)
# ---------------------------------------------------------------------------------------
def test_failed_save_leaves_no_truncated_file(lca_formula, tmp_path):
    res = copy_of(lca_formula.res)
    res._results.model.unpicklable = lambda: None  # noqa: E731 - a lambda does not pickle
    old = tmp_path / "old.pickle"
    old.write_bytes(b"previous result")
    new = tmp_path / "new.pickle"
    for path in (old, new):
        with pytest.raises((pickle.PicklingError, AttributeError, TypeError),
                           match="pickle"):
            res.save(path)
    assert old.read_bytes() == b"previous result"
    assert not new.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["old.pickle"]


def test_formula_result_saved_here_loads_and_predicts_in_a_new_process(tmp_path):
    """The namespace a formula model is built in holds modules and objects that do
    not pickle (here an open file); the saved result and the pickled model load
    in a fresh interpreter, which predicts what this one does."""
    import mixlevel as ml

    log = open(__file__)  # an object that cannot be pickled, in this namespace
    rng = np.random.default_rng(1)
    df = pd.DataFrame({"x": rng.uniform(1, 5, 200)})
    df["y"] = 1.0 + 2.0 * np.log(df["x"]) + rng.normal(size=200)
    model = ml.mixture("y ~ center(np.log(x))", data=df)
    res = model.fit()
    log.close()
    res.save(tmp_path / "res.pickle")
    with open(tmp_path / "model.pickle", "wb") as fh:
        pickle.dump(model, fh)
    new = pd.DataFrame({"x": [1.0, 2.5, 9.0]})
    load = tmp_path / "load.py"
    load.write_text(textwrap.dedent("""
        import pickle, sys
        import pandas as pd
        from mixlevel.results import MixtureResults

        res = MixtureResults.load(sys.argv[1] + "/res.pickle")
        with open(sys.argv[1] + "/model.pickle", "rb") as fh:
            model = pickle.load(fh)
        assert model.param_names == res.model.param_names
        new = pd.DataFrame({"x": [1.0, 2.5, 9.0]})
        res.predict(new).to_csv(sys.argv[1] + "/after.csv")
    """))
    env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "OMP_NUM_THREADS": "1"}
    run = subprocess.run([sys.executable, str(load), str(tmp_path)], cwd=tmp_path, env=env,
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    after = pd.read_csv(tmp_path / "after.csv", index_col=0)
    pd.testing.assert_frame_equal(after, res.predict(new), rtol=1e-12)
    # the centring uses the training mean of log(x): the transform state travelled
    b = res.params.to_numpy()
    want = b[0] + b[1] * (np.log(new["x"]) - np.log(df["x"]).mean())
    np.testing.assert_allclose(after["y"], want, rtol=1e-10)
