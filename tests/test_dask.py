"""Dask: random starts and Monte Carlo replications through joblib's Dask backend, and a
model fitted to a Dask DataFrame whose rows stay on the workers."""

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

dask = pytest.importorskip("dask")
distributed = pytest.importorskip("distributed")
dd = pytest.importorskip("dask.dataframe")

import joblib  # noqa: E402

from mixlevel.errors import SpecificationError  # noqa: E402
from mixlevel.model import MixtureModel  # noqa: E402
from mixlevel.models.distributed import DistributedModel  # noqa: E402
from mixlevel.simulation.montecarlo import montecarlo  # noqa: E402
from mixlevel.simulation.simulate import Population  # noqa: E402
from mixlevel.spec import ModelSpec  # noqa: E402

from .test_threads import _glmm  # noqa: E402

MIX = {"y~1[c=1]": 2.0, "y~1[c=2]": -1.0, "y~x": 0.5, "c#1~1": 0.4, "Var(y)": 1.0}


@pytest.fixture(scope="module")
def client():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                           dashboard_address=None)
        cl = distributed.Client(cluster)
    yield cl
    cl.close()
    cluster.close()


def _mixture_spec():
    spec = ModelSpec()
    spec.add_class("c", 2)
    spec.add_outcome("y", "normal")
    spec.add_term("y", by=["c"])
    spec.add_term("y", "x")
    spec.add_term("c")
    return spec


def test_monte_carlo_on_a_cluster_equals_the_serial_study(client):
    pop = Population(_mixture_spec(), MIX, n_clusters=100, cluster_size=1,
                     covariates={"x": "normal"})
    serial = montecarlo(pop, n_reps=3, seed=11, fit_kw={"em_iter": 3})
    with joblib.parallel_config(backend="dask"):
        spread = montecarlo(pop, n_reps=3, seed=11, fit_kw={"em_iter": 3}, n_jobs=-1)
    pd.testing.assert_frame_equal(spread.estimates, serial.estimates, check_exact=True)
    pd.testing.assert_frame_equal(spread.bse, serial.bse, check_exact=True)
    pd.testing.assert_frame_equal(spread.table, serial.table, check_exact=True)
    assert serial.replications["status"].eq("ok").all()


def test_random_starts_on_a_cluster_equal_the_serial_fit(client):
    df = pd.read_csv(Path(__file__).parent / "data" / "carcinoma.csv")
    items = list("ABCDEFG")
    spec = ModelSpec()
    spec.add_class("c", 3)
    for it in items:
        spec.add_outcome(it, "binary")
        spec.add_term(it, by=["c"])
    spec.add_term("c")
    data = df[items] - 1
    serial = MixtureModel(spec, data).fit(starts=(6, 3), seed=4)
    with joblib.parallel_config(backend="dask"):
        spread = MixtureModel(spec, data).fit(starts=(6, 3), seed=4, n_jobs=-1)
    assert spread.llf == serial.llf
    np.testing.assert_array_equal(spread.params, serial.params)
    cols = ["start", "seed", "stage", "initial_loglike", "loglike", "iterations"]
    pd.testing.assert_frame_equal(pd.DataFrame(spread.start_table)[cols],
                                  pd.DataFrame(serial.start_table)[cols], check_exact=True)
    assert serial.llf == pytest.approx(-293.705, abs=1e-3)  # poLCA's 3-class maximum


def test_glmm_on_a_dask_dataframe_equals_the_in_process_fit(client):
    spec, df = _glmm(n_clusters=150, size=6)
    local = MixtureModel(spec, df, cluster="g", integration="gauss-hermite", n_points=15).fit()
    ddf = dd.from_pandas(df.sample(frac=1.0, random_state=0), npartitions=4).shuffle(on="g")
    assert ddf.npartitions > 1
    model = DistributedModel(spec, ddf, client, cluster="g", integration="gauss-hermite",
                             n_points=15)
    assert model.engine.design.n_clusters == 150 and model.engine.design.n_rows == 900
    res = model.fit()
    assert res.converged
    np.testing.assert_allclose(res.params.to_numpy(), np.asarray(local.params),
                               rtol=0, atol=1e-8)
    assert res.llf == pytest.approx(local.llf, rel=1e-12)
    np.testing.assert_allclose(res.bse.to_numpy(), np.asarray(local.bse), rtol=1e-6)
    assert list(res.params.index) == list(local.model.param_names)
    model.close()


@pytest.mark.slow
def test_adaptive_quadrature_on_a_dask_dataframe_equals_the_in_process_fit(client):
    spec, df = _glmm(n_clusters=80, size=5, seed=8)
    kw = dict(cluster="g", integration="gauss-hermite", n_points=5, adaptive=True)
    local = MixtureModel(spec, df, **kw).fit()
    ddf = dd.from_pandas(df, npartitions=3).shuffle(on="g")
    model = DistributedModel(spec, ddf, client, **kw)
    res = model.fit()
    assert model.engine.adapted and res.converged
    np.testing.assert_allclose(res.params.to_numpy(), np.asarray(local.params),
                               rtol=0, atol=1e-8)
    assert res.llf == pytest.approx(local.llf, rel=1e-12)
    model.close()


def test_dask_data_must_be_partitioned_by_cluster(client):
    spec, df = _glmm(n_clusters=40, size=4)
    ddf = dd.from_pandas(df.sample(frac=1.0, random_state=1), npartitions=3)
    with pytest.raises(SpecificationError, match="not partitioned by cluster.*shuffle"):
        DistributedModel(spec, ddf, client, cluster="g", integration="gauss-hermite")
