"""Plots: each function draws on the Agg backend, returns its Figure and saves a PNG."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from mixlevel.graphics import plotting  # noqa: E402
from tests.models import make_lca  # noqa: E402

# fitted models: the session fixtures lca, bw, twolevel, ri of conftest.py


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def saved(fig, tmp_path, name):
    assert isinstance(fig, Figure)
    path = tmp_path / f"{name}.png"
    fig.savefig(path, dpi=60)
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 2000
    return path


def test_profile_plot(twolevel, tmp_path):
    fig = plotting.plot_profiles(twolevel, title="Profiles")
    saved(fig, tmp_path, "profiles")
    axes = fig.axes
    assert len(axes) == 2  # probabilities (binary items) and means (y), by c
    prob_ax = axes[0]
    assert prob_ax.get_ylabel() == "probability"
    lines = [ln for ln in prob_ax.get_lines() if ln.get_label() in ("c=1", "c=2")]
    assert len(lines) == 2
    prof = twolevel.profiles
    want = prof[(prof["classes"] == "c=1") & (prof["scale"] == "probability")]["estimate"]
    assert np.allclose(lines[0].get_ydata(), want.to_numpy())
    assert [t.get_text() for t in prob_ax.get_xticklabels()] == ["u1", "u2", "u3", "u4"]
    one = plotting.plot_profiles(twolevel, outcomes=["u1", "u2"], ci=False)
    assert len(one.axes) == 1


def test_profile_comparison_plot(lca, tmp_path):
    other = make_lca(n=600, seed=9)
    fig = plotting.plot_profile_comparison(lca, other, "c=1", "c=1",
                                           labels=("sample 1", "sample 2"))
    saved(fig, tmp_path, "compare")
    ax = fig.axes[0]
    assert "r = " in ax.get_title()
    assert ax.get_xlabel() == "sample 1, class c=1"
    with pytest.raises(ValueError, match="no profile"):
        plotting.plot_profile_comparison(lca, other, "c=9", "c=1")


def test_class_proportion_plot(twolevel, tmp_path):
    fig = plotting.plot_class_proportions(twolevel)
    saved(fig, tmp_path, "proportions")
    ax = fig.axes[0]
    heights = [p.get_height() for p in ax.patches]
    tab = twolevel.class_proportions_table()
    assert np.allclose(heights[:len(tab)], tab["model"])
    fig = plotting.plot_class_proportions(twolevel, joint=True)
    assert len(fig.axes[0].patches) == 3 * 4


def test_posterior_histograms(twolevel, tmp_path):
    fig = plotting.plot_posterior(twolevel)
    saved(fig, tmp_path, "posterior")
    visible = [ax for ax in fig.axes if ax.get_visible()]
    assert len(visible) == 4  # d=1, d=2, c=1, c=2
    assert sum(p.get_height() for p in visible[0].patches) == 40  # d: per cluster
    assert sum(p.get_height() for p in visible[2].patches) == 400  # c: per row
    fig = plotting.plot_posterior(twolevel, variable="d", level="row")
    assert sum(p.get_height() for p in fig.axes[0].patches) == 400


def test_transition_plot(bw, tmp_path):
    res = bw
    fig = plotting.plot_transitions(res)
    saved(fig, tmp_path, "transitions")
    texts = [t.get_text() for t in fig.axes[0].texts]
    tt = res.transition_table()
    assert f"{tt.iloc[0, 0]:.2f}" in texts
    assert "d" in texts and "c" in texts


def test_caterpillar_plot(ri, tmp_path):
    res, _ = ri
    fig = plotting.plot_caterpillar(res)
    saved(fig, tmp_path, "caterpillar")
    ax = fig.axes[0]
    re = res.random_effects()
    ys = ax.lines[0].get_xdata()
    assert np.allclose(np.sort(re[("mean", "1|g")]), ys)
    fig = plotting.plot_caterpillar(res, max_clusters=10)
    assert len(fig.axes[0].lines[0].get_xdata()) == 10
    with pytest.raises(ValueError, match="no random effect"):
        plotting.plot_caterpillar(res, effect="nope")


def patch_extent(patch):
    return type(patch).__name__, tuple(np.round(patch.get_extents().bounds, 6))


def test_result_methods_delegate_to_the_plotting_functions(twolevel, bw, ri):
    """``res.plot_*`` draw what the functions of mixlevel.graphics.plotting draw."""
    res, _ = ri
    pairs = [
        (twolevel.plot_profiles(ci=False), plotting.plot_profiles(twolevel, ci=False)),
        (twolevel.plot_class_proportions(joint=True),
         plotting.plot_class_proportions(twolevel, joint=True)),
        (twolevel.plot_posterior(variable="c"), plotting.plot_posterior(twolevel, variable="c")),
        (bw.plot_transitions(), plotting.plot_transitions(bw)),
        (res.plot_caterpillar(max_clusters=10), plotting.plot_caterpillar(res, max_clusters=10)),
    ]
    for method_fig, function_fig in pairs:
        assert isinstance(method_fig, Figure)
        assert len(method_fig.axes) == len(function_fig.axes)
        for a, b in zip(method_fig.axes, function_fig.axes, strict=True):
            assert a.get_title() == b.get_title()
            assert [patch_extent(p) for p in a.patches] == [patch_extent(p) for p in b.patches]
            for la, lb in zip(a.get_lines(), b.get_lines(), strict=True):
                np.testing.assert_array_equal(la.get_xydata(), lb.get_xydata())
            assert [t.get_text() for t in a.texts] == [t.get_text() for t in b.texts]
    heights = [p.get_height() for p in pairs[1][0].axes[0].patches]
    assert np.allclose(heights[:4], twolevel.class_proportions_table(joint=True)["model"])
