"""Fitting a model to a Dask DataFrame whose rows never leave the workers.

::

    from distributed import Client
    import dask.dataframe as dd
    from mixlevel.models.distributed import DistributedModel

    client = Client("scheduler:8786")
    ddf = dd.read_parquet("visits/*.parquet").shuffle(on="hospital")
    model = DistributedModel(spec, ddf, client, cluster="hospital",
                             integration="gauss-hermite", n_points=15)
    res = model.fit()
    res.params, res.bse, res.llf

The engine is :class:`~mixlevel.engine.distributed.DistributedEngine` (one
engine per partition, on its worker); the optimiser
(:func:`mixlevel.estimation.maximize`: EM warm-up, then BFGS with the exact
gradient) runs on the client, from the same start values as an in-process
fit, so the estimates are those of :class:`~mixlevel.model.MixtureModel` on
the same rows.  Standard errors are the MLR sandwich (default) or the inverse
observed information, as in-process; the observed information costs 2k
distributed score evaluations.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..engine.distributed import DistributedEngine
from ..errors import ConvergenceWarning, SpecificationError
from ..estimation import maximize
from ..estimation.covariance import observed_hessian, sandwich
from ..estimation.starts import base_start
from ..utils.warn import warn_user

__all__ = ["DistributedModel", "DistributedResults"]


class DistributedResults:
    """Estimates of a :class:`DistributedModel`.

    Attributes
    ----------
    params, bse : pandas.Series
        Natural-scale estimates and standard errors (``cov_type``).
    llf : float
    converged : bool
    cov_params : pandas.DataFrame
    """

    def __init__(self, model, params, outcome, cov_type):
        self.model, self.cov_type = model, cov_type
        names = model.param_names
        self.params = pd.Series(params, index=names)
        self.llf, self.converged = float(outcome.loglike), bool(outcome.converged)
        self.outcome = outcome
        self._cov = None

    def _covariance(self):
        if self._cov is None:
            m = self.model
            p = self.params.to_numpy(float)
            H = observed_hessian(m.score, p, m._kinds())
            mlr, ml = sandwich(H, m.score_obs(p), m.engine.design.cluster_weight)
            self._cov = {"MLR": mlr, "ML": ml}
        return self._cov[self.cov_type]

    @property
    def cov_params(self):
        names = self.model.param_names
        return pd.DataFrame(self._covariance(), index=names, columns=names)

    @property
    def bse(self):
        return pd.Series(np.sqrt(np.diag(self._covariance())), index=self.model.param_names)

    def __repr__(self):
        return (f"<DistributedResults: {len(self.params)} parameters, llf {self.llf:.4f}, "
                f"{'converged' if self.converged else 'NOT converged'}>")


class DistributedModel:
    """A model whose data is a Dask DataFrame partitioned by cluster.

    Parameters
    ----------
    spec : ModelSpec
    data : dask.dataframe.DataFrame
        Every cluster's rows in one partition (``data.shuffle(on=cluster)``).
    client : distributed.Client
    cluster, weights, fix, equal :
        As for :class:`~mixlevel.model.MixtureModel`.
    **engine_kw
        ``integration``, ``n_points``, ``adaptive``, ``n_points_within``,
        ``seed``, ``num_threads`` (kernel threads per worker).
    """

    def __init__(self, spec, data, client, cluster=None, weights=None, fix=None, equal=None,
                 **engine_kw):
        self.spec, self.cluster = spec, cluster
        self.engine = DistributedEngine(spec, data, client, cluster=cluster, weights=weights,
                                        table_kw={"fix": fix, "equal": equal},
                                        engine_kw=engine_kw)
        self.table, self.layout = self.engine.table, self.engine.layout

    @property
    def param_names(self):
        return list(self.table.free_names)

    @property
    def start_params(self):
        return self.table.free_natural_from_working(base_start(self.engine))

    def _work(self, params):
        return self.table.free_working_from_natural(np.asarray(params, float))

    def loglike(self, params):
        return self.engine.loglike(self._work(params))

    def score(self, params):
        w = self._work(params)
        return self.table.natural_gradient(self.engine.loglike_and_score(w)[1], w)

    def score_obs(self, params):
        """Per-cluster scores (J x k), natural scale, partition by partition."""
        w = self._work(params)
        return self.table.natural_gradient(self.engine.score_obs(w), w)

    def _kinds(self):
        tab = self.table
        return [tab.groups[self.layout.group_of(i)].kind for i in tab.free_index]

    def fit(self, start_params=None, em_iter=0, maxiter=1000, gtol=1e-8, cov_type="MLR"):
        """Maximum likelihood: EM warm-up (``em_iter``), then BFGS, on the client.

        Models with latent classes need ``start_params`` (random starts are
        not distributed yet; a fit on a sample of clusters gives good ones).
        """
        if str(cov_type).upper() not in ("MLR", "ML"):
            raise SpecificationError(f"cov_type={cov_type!r}: use 'MLR' or 'ML'")
        has_classes = any(c.n_classes > 1 for c in self.spec.classes)
        if start_params is None and has_classes:
            raise SpecificationError(
                "a model with latent classes on Dask data needs start_params: random "
                "starts are not distributed yet; fit the model to a sample of clusters "
                "in-process and pass its params")
        work = base_start(self.engine) if start_params is None else self._work(start_params)
        best = maximize(self.engine, work, em_iter, maxiter, gtol)
        if not best.converged:
            warn_user("the fit did not converge; raise maxiter", ConvergenceWarning)
        params = self.table.free_natural_from_working(best.work)
        return DistributedResults(self, params, best, str(cov_type).upper())

    def close(self):
        """Release the partition engines on the workers."""
        self.engine.close()
