"""Fixed effects of exact normal models: their design, a least-squares start, REML.

:class:`FixedEffects` belongs to an :class:`~mixlevel.engine.gaussian.ExactNormal`
and knows which free parameters are fixed-effect coefficients (the constant
monomial's coefficients of the outcomes) and their design X.  It gives

* the base start's regression step in closed form (least squares),
* the REML correction of Patterson & Thompson (1971) for one normal outcome
  without class variables,

      -0.5 log|X' V^-1 X| + (p / 2) log(2 pi),

  whose sum with the log-likelihood is lme4's and statsmodels' REML
  log-likelihood, and its exact gradient 0.5 tr(M_j dV_j) per cluster with
  M_j = V_j^-1 X G X' V_j^-1 and G = (X' V^-1 X)^-1, in the layout of the
  kernel's scores (loadings and log residual variances),
* the split of the parameters into fixed effects and covariance parameters
  that the standard-error convention of linear mixed models uses.
"""

from __future__ import annotations

import numpy as np

__all__ = ["FixedEffects"]

_LOG_2PI = np.log(2.0 * np.pi)


class FixedEffects:
    """Fixed-effect coefficients of an exact normal model and their design.

    Attributes
    ----------
    mean_free : ndarray of int
        Free positions of the parameters that enter the outcomes' fixed parts.
    separable : bool
        False when one of them also enters a covariance (equality constraints):
        then neither REML nor the fixed-effect information block apply.
    X : ndarray (N, P, p)
        d a / d beta, the fixed-effect design (models without classes).
    var_pos : ndarray (P,)
        Free position of each outcome's residual variance (-1: none).
    """

    def __init__(self, exact, engine):
        self.exact = exact
        tab, d = engine.table, engine.design
        n_full, n_free = len(tab.names), tab.n_free
        agg = tab.reduce_gradient(np.eye(n_full)) if n_full else np.zeros((0, n_free))
        P = len(exact.och)
        one_cell = exact.D * exact.C == 1
        X = np.zeros((d.n_rows, P, n_free))
        mean_pos, other_pos = set(), set()
        p_of_channel = {int(ch): p for p, ch in enumerate(exact.och)}
        for ch, m, col, idx, _ in engine.kl.entries:
            ok = idx >= 0
            pos = set(np.flatnonzero(agg[idx[ok]].any(axis=0)).tolist()) if ok.any() else set()
            if ch in p_of_channel and m == 0:
                mean_pos |= pos
                if ok.any() and one_cell:
                    X[:, p_of_channel[ch], :] += d.columns[col][:, None] * agg[idx[0]][None, :]
            else:
                other_pos |= pos
        self.var_pos = np.full(P, -1, np.int64)
        for p, dc, off, n_par, _ in engine.kl.family_entries:
            pos = np.flatnonzero(agg[off:off + n_par].any(axis=0))
            other_pos |= set(pos.tolist())
            if dc == 0 and len(pos) and one_cell:
                self.var_pos[p] = pos[0]
        self.separable = not (mean_pos & other_pos)
        self.mean_free = np.array(sorted(mean_pos), np.int64)
        self.X = X[:, :, self.mean_free]

    # -- the start --------------------------------------------------------------------------
    def least_squares_start(self, engine, work):
        """The base start's regression step (latent values at 0) in closed form, or None.

        Without classes the M-step at z = 0 is weighted least squares of each
        outcome on its fixed-effect design, the residual variance its mean
        squared residual; returns ``work`` with those values (the rest
        unchanged), or None with classes.
        """
        ex = self.exact
        if ex.D * ex.C > 1 or not self.separable:
            return None
        w = np.array(work, float, copy=True)
        A = engine.inputs(w, tabulate=False).A
        X = self.X
        offset = A[:, ex.osl, 0, 0] - X @ w[self.mean_free]  # fixed coefficients' part
        wt = np.sqrt(ex.rw * ex.cw[ex.cor])[:, None] * ex.obsf
        if X.shape[2]:
            Xw = (X * wt[..., None]).reshape(-1, X.shape[2])
            w[self.mean_free] = np.linalg.lstsq(Xw, ((ex.y0 - offset) * wt).reshape(-1),
                                                rcond=None)[0]
        resid2 = (((ex.y0 - offset - X @ w[self.mean_free]) * wt) ** 2).sum(0)
        n_obs = (wt ** 2).sum(0)
        for pos in set(self.var_pos[self.var_pos >= 0].tolist()):
            on = self.var_pos == pos
            w[pos] = np.log(max(resid2[on].sum() / max(n_obs[on].sum(), 1e-300), 1e-8))
        return w

    # -- REML ---------------------------------------------------------------------------------
    def reml_unavailable(self):
        """Why REML is not defined for this model (None when it is)."""
        ex = self.exact
        if ex.D * ex.C > 1:
            return ("REML is defined here for models without class variables (with classes "
                    "the fixed effects are not separable from the mixture); fit by ML")
        if len(ex.och) != 1:
            return ("REML is defined here for one normal outcome (as lme4 and MixedLM); "
                    "this model has several, fit it by ML")
        if not self.separable:
            return ("a fixed-effect coefficient is tied to a covariance parameter, so the "
                    "fixed effects cannot be integrated out; fit by ML")
        return None

    def correction(self, t, want_grad=True):
        """REML correction and its gradient pieces from the exact path's row terms ``t``.

        ``t`` is :meth:`ExactNormal._rows`'s dict with the clusters' posterior
        covariances "Vb" (D = C = 1).  X'V^-1X is evaluated, like the
        likelihood, as a penalised sum of squares at the posterior means of the
        latent values for the columns of X: no cancellation.  Returns (value,
        None or (gB (N, P, Qc), gW (N, P, Qr), glv (N, P))), the gradient in
        the cluster loadings, row loadings and log residual variances per
        row, weighted by the row and cluster weights.
        """
        ex, X = self.exact, self.X
        p = X.shape[2]
        if p == 0:
            return 0.0, None
        Qc, Qr = ex.Qc, ex.Qr
        s = t["s"][:, 0]
        wt = ex.rw * ex.cw[ex.cor]
        W = t["Lat"][:, 0, :, Qc:]

        def row_means(Z):  # posterior means of the row factors for "data" Z, and Z - W zw
            if not Qr:
                return None, Z
            zw = np.einsum("nkl,npl,npj->nkj", t["Vw"][:, 0], t["sW"][:, 0], Z)
            return zw, Z - np.einsum("npk,nkj->npj", W, zw)

        VBX, Xt = None, X
        if Qc:
            B = t["Lat"][:, 0, :, :Qc]
            _, E0 = row_means(X)
            BRX = ex.csum(ex.rw[:, None, None] * np.einsum("npk,npj->nkj", B, s[..., None] * E0))
            VBX = np.einsum("jkl,jlm->jkm", t["Vb"][:, 0], BRX)  # (J, Qc, p)
            Xt = X - np.einsum("npk,nkj->npj", B, VBX[ex.cor])
        zw, E = row_means(Xt)
        U = s[..., None] * E  # rows of V^-1 X
        H = np.einsum("n,npj,npk->jk", wt, E, U)
        if Qr:
            H = H + np.einsum("n,nkj,nkl->jl", wt, zw, zw)
        if Qc:
            H = H + np.einsum("j,jka,jkb->ab", ex.cw, VBX, VBX)
        sign, logdet = np.linalg.slogdet(H)
        value = (-0.5 * logdet if sign > 0 else -np.inf) + 0.5 * p * _LOG_2PI
        if not want_grad or sign <= 0:
            return value, None
        UG = U @ np.linalg.inv(H)
        UGU = np.einsum("npj,nqj->npq", UG, U)
        gB = wt[:, None, None] * np.einsum("npj,nkj->npk", UG, VBX[ex.cor]) if Qc else None
        gW = wt[:, None, None] * np.einsum("npq,nqk->npk", UGU, W) if Qr else None
        glv = wt[:, None] * 0.5 * np.exp(t["logvar"][0])[None, :] * \
            np.diagonal(UGU, axis1=1, axis2=2) * ex.obsf
        return value, (gB, gW, glv)

    def add_correction(self, t, S, GF, q):
        """Add the correction (its value spread over the clusters by weight) and gradient."""
        ex = self.exact
        value, grads = self.correction(t)
        q += value * ex.cw / max(ex.cw.sum(), 1e-300)
        if grads is not None:
            gB, gW, glv = grads
            if gB is not None:
                S[:, ex.osl, 0, 1:1 + ex.Qc] += gB
            if gW is not None:
                S[:, ex.osl, 0, 1 + ex.Qc:] += gW
            GF[:, :len(ex.och), 0, 0] += glv
        return value
