"""Results of grade of membership models: membership scores and the LCA comparison.

A person's membership score is the expected class probability given their
responses, ``E[p_ik | Y_i]`` with ``p_ik = softmax_k(alpha_ik)`` (eq. 30), and
its uncertainty the posterior SD of ``p_ik``; both are sums over the
integration nodes with the person's posterior node weights.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.special import softmax

from ..inference.compare import compare

__all__ = ["GoMResults"]


class GoMResults:
    """GoM quantities of a fitted :class:`~mixlevel.models.gom.GradeOfMembership`."""

    def __init__(self, res, lca=None):
        self._res = res
        self._lca = lca

    def _pattern_scores(self):
        res = self._res
        model = res.model
        eng = model.engine
        work = model._work(np.asarray(res.params, float))
        es = eng.estep(work)
        A = eng.inputs(work, tabulate=False).A
        d, kl = eng.design, eng.kl
        rows = d.indptr[:-1] if A.shape[0] > 1 else np.zeros(d.n_clusters, int)
        K, ch0 = int(kl.kv[0]), int(kl.chv[0])
        chs = np.arange(ch0, ch0 + K - 1)
        A = A[rows][:, chs, 0, :]                           # (J, K - 1, M)
        zb = es.nodes.zb
        z = np.broadcast_to(zb, (d.n_clusters,) + zb.shape[1:])  # (J, G, qb)
        # alpha = mu + sum_d lambda_d z_d: monomial m >= 1 is the latent value m (eq. 35)
        logits = A[:, None, :, 0] + sum(
            A[:, None, :, m] * z[:, :, int(kl.mono[m, 0]) - 1, None]
            for m in range(1, kl.M) if int(kl.mono[m, 0]) <= kl.qb)
        p = softmax(np.concatenate([logits, np.zeros(logits.shape[:2] + (1,))], axis=2),
                    axis=2)                                  # (J, G, K)
        post = es.post_dg.sum(axis=1)                       # (J, G)
        post = post / post.sum(axis=1, keepdims=True)
        mean = np.einsum("jg,jgk->jk", post, p)
        sd = np.sqrt(np.clip(np.einsum("jg,jgk->jk", post, p * p) - mean ** 2, 0, None))
        labels = np.asarray(d.cluster_labels)
        order = np.argsort(labels)
        return mean[order], sd[order]

    def membership(self):
        """Each person's expected class probabilities and their posterior SDs.

        Returns
        -------
        DataFrame
            One row per person of the data (index as the data), columns
            ``p_<class>`` (``E[p_ik | Y_i]``, eq. 30) and ``sd_<class>``.
        """
        model = self._res.model
        mean, sd = self._pattern_scores()
        K = mean.shape[1]
        name = model.class_name
        cols = {f"p_{name}={k + 1}": mean[:, k] for k in range(K)}
        cols.update({f"sd_{name}={k + 1}": sd[:, k] for k in range(K)})
        per_pattern = pd.DataFrame(cols)
        idx = model.person_pattern
        out = per_pattern.iloc[idx.to_numpy()]
        out.index = idx.index
        return out

    def pattern_membership(self):
        """Membership scores per distinct pattern, with the pattern and its count."""
        mean, sd = self._pattern_scores()
        pats = self._res.model.patterns.drop(columns="person")
        name = self._res.model.class_name
        for k in range(mean.shape[1]):
            pats[f"p_{name}={k + 1}"] = mean[:, k]
            pats[f"sd_{name}={k + 1}"] = sd[:, k]
        return pats

    def compare_lca(self):
        """The nested LCA against the GoM (the paper's Table 5 layout).

        The LCA is the GoM's limit as the random-logit variances go to infinity,
        a boundary of the parameter space: the likelihood-ratio statistic has no
        chi-square reference, so the comparison rests on the information
        criteria (the ``note`` column says so).
        """
        if self._lca is None:
            raise ValueError("the nested LCA was not fitted (start_params were given); "
                             "fit the model with fit() to compare")
        model = self._res.model
        nested, name = ("FMA", "FMA-GoM") if getattr(model, "factor", False) else \
            ("LCA", "GoM")
        if getattr(model, "restricted", False):
            name = "restricted " + name
        table = compare(self._lca, self._res, names=[nested, name])
        table.loc[name, "note"] = (
            f"the {nested} is the {name}'s limit Var(alpha) -> infinity (a boundary): no "
            "chi-square LRT; compare AIC/BIC" if not getattr(model, "restricted", False)
            else f"the {nested} is not nested in the {name} (eq. 35): no LRT; compare AIC/BIC")
        for col in ("lr", "df", "pvalue", "pvalue_boundary"):
            if col in table.columns:
                table.loc[name, col] = np.nan
        return table
