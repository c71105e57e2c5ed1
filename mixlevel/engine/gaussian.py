"""The exact likelihood of normal outcomes with normal latent variables (no nodes).

When every outcome is normal (eq. 2 with identity links) and the latent
variables are normal (random effects, eq. 5; factors, eq. 2-3), the integral
over the latent variables has a closed form and no quadrature is needed.  Two
layouts qualify:

(a) cluster random effects, any between classes D, no within classes
    (C = 1), optional row-level factors.  Given D_j = d the cluster's outcomes
    are jointly normal,

        y_j ~ N(a_jd, Z_jd Z_jd' + blockdiag_i(W_id W_id' + Sigma_id)),

    with a the fixed part, Z the loadings of the standard normal cluster
    effects z_b (the Cholesky factor of their covariance is inside Z), W those
    of the row factors z_w and Sigma the residual variances (observed outcomes
    only: FIML).  The density is evaluated by the Woodbury identity over the
    small q x q block, in information form:

        log L_jd = sum_i rw_i log N(y_i; a_i, R_i) - 0.5 log|P_jd| + 0.5 b' P_jd^-1 b,
        P_jd = I + sum_i rw_i B_i' R_i^-1 B_i,   b = sum_i rw_i B_i' R_i^-1 (y_i - a_i),

    where R_i = W_i W_i' + Sigma_i is inverted by Woodbury again, so the cost
    is linear in the rows.  z_b | y_j, d ~ N(P^-1 b, P^-1); z_w given z_b is
    normal, so the joint posterior of (z_b, z_w) per row is normal.
(b) no cluster random effects, any within classes C and between classes D,
    optional row-level factors: each row's cell (d, c) has the closed-form
    density N(y_i; a_idc, W W' + Sigma) (a factor mixture with normal
    indicators, a mixture regression); the classes are summed as in the
    quadrature kernel.

In a single-level model every cluster is one row, so its latent variables are
row-level here whatever their block says.  Within classes together with
cluster random effects (the within sum sits inside the cluster integral),
non-normal outcomes and random class-logit intercepts keep the quadrature
kernel.

:class:`ExactNormal` has the contract of :mod:`mixlevel._kernels._estep` with
one node (G = H = 1): the same output arrays, so the engine's maps from scores
to parameters, its between-class and class-logit scores work unchanged.  The
latent values enter the linear predictors linearly (U_m = z_m), so the
expected complete-data scores need the posterior means and covariances of z
per row and cell, kept in :class:`Moments`; the Q-function and its gradient at
other parameters (EM) use them with the posterior held fixed.

REML (Patterson & Thompson 1971) for one normal outcome without class
variables adds -0.5 log|X' V^-1 X| + (p / 2) log(2 pi) to the log-likelihood,
with its exact gradient in the same score arrays (:mod:`.gaussian_fixed`).
"""

from __future__ import annotations

import numpy as np

from ..errors import SpecificationError
from ..families import NORMAL
from .gaussian_fixed import FixedEffects

__all__ = ["ExactNormal", "Moments", "ineligible_reason"]

# ----------------------------------------------------------------------------------------
# small batched helpers
# ----------------------------------------------------------------------------------------
def _inv_logdet(M):
    """Inverse and log-determinant of a stack of symmetric positive definite matrices."""
    q = M.shape[-1]
    if q == 0:
        return M.copy(), np.zeros(M.shape[:-2])
    if q == 1:
        return 1.0 / M, np.log(M[..., 0, 0])
    if q == 2:  # closed form: LAPACK's per-call overhead dominates for 2 x 2 blocks
        a, b, d = M[..., 0, 0], M[..., 0, 1], M[..., 1, 1]
        det = a * d - b * b
        inv = np.stack([np.stack([d, -b], -1), np.stack([-b, a], -1)], -2) / det[..., None, None]
        with np.errstate(invalid="ignore", divide="ignore"):
            return inv, np.where((a > 0) & (det > 0), np.log(det), np.nan)
    chol = np.linalg.cholesky(M)
    logdet = 2.0 * np.log(np.diagonal(chol, axis1=-2, axis2=-1)).sum(-1)
    inv = np.linalg.inv(M)
    return 0.5 * (inv + np.swapaxes(inv, -1, -2)), logdet


def _lse(x, axis):
    if x.shape[axis] == 1:
        return np.take(x, 0, axis=axis)
    mx = np.max(x, axis=axis, keepdims=True)
    mx = np.where(np.isfinite(mx), mx, 0.0)
    return np.log(np.sum(np.exp(x - mx), axis=axis)) + np.squeeze(mx, axis=axis)


class Moments:
    """Posterior means and covariances of the latent values per row and cell.

    ``mean`` (N, DC, Q) and ``cov`` (N, DC, Q, Q) of u = (z_b, z_w) given the
    cluster's data and the row's pattern (d, c), with z_b the cluster-level
    and z_w the row-level latent values in the engine's order.
    """

    def __init__(self, mean, cov, D, C):
        self.mean, self.cov, self.D, self.C = mean, cov, D, C

    def permute(self, d_map, c_map):
        """Relabel the classes: new pattern (d, c) takes old (d_map[d], c_map[c])."""
        N, Q = self.mean.shape[0], self.mean.shape[2]
        m = self.mean.reshape(N, self.D, self.C, Q)[:, d_map][:, :, c_map]
        v = self.cov.reshape(N, self.D, self.C, Q, Q)[:, d_map][:, :, c_map]
        DC = self.D * self.C
        self.mean = m.reshape(N, DC, Q)
        self.cov = v.reshape(N, DC, Q, Q)


def ineligible_reason(families, mono, n_within_patterns, n_cluster_dims,
                      latent_in_class_logits):
    """Why the exact normal likelihood does not apply to a layout (None if it does).

    Parameters
    ----------
    families : sequence of int
        Kernel family codes of the outcomes.
    mono : ndarray (M, 2)
        The kernel's monomials (the exact path needs U_m linear in z).
    n_within_patterns : int
        C, joint patterns of the within class variables.
    n_cluster_dims : int
        Cluster-level latent dimensions (0 in single-level models).
    latent_in_class_logits : bool
        Whether a class logit has a random effect.
    """
    fam = np.asarray(families)
    if len(fam) == 0 or (fam != NORMAL).any():
        return "not all outcomes are normal"
    if (np.asarray(mono)[:, 1] != 0).any():
        return "a linear predictor has a product of latent variables"
    if latent_in_class_logits:
        return "a class logit has a random effect"
    if n_within_patterns > 1 and n_cluster_dims > 0:
        return ("within class variables together with cluster random effects need "
                "numerical integration")
    return None


class ExactNormal:
    """Exact E-step, scores and REML correction of one model's layout.

    Parameters
    ----------
    y : ndarray (N, P)
        Outcomes, NaN where missing; rows sorted by cluster.
    row_weight, cluster_weight : ndarray (N,), (J,)
        Frequency weights.
    indptr : ndarray (J + 1,)
        Rows of cluster j are ``indptr[j]:indptr[j + 1]``.
    och : ndarray (P,)
        Channel of each outcome in the kernel arrays A.
    kv, chv, cpat : within class variables (classes, first logit channel) and
        the joint within patterns (C, V), as the kernel takes them.
    D, C : int
        Between and within patterns.
    n_cluster_dims, n_row_dims : int
        Latent dimensions shared by a cluster's rows (z_b) and per row (z_w);
        the monomials are 1, z_b, z_w in that order.
    """

    def __init__(self, y, row_weight, cluster_weight, indptr, och, kv, chv, cpat, D, C,
                 n_cluster_dims, n_row_dims):
        self.obs = ~np.isnan(y)
        self.y0 = np.where(self.obs, y, 0.0)
        self.obsf = self.obs.astype(float)
        self.rw = np.asarray(row_weight, float)
        self.cw = np.asarray(cluster_weight, float)
        self.indptr = np.asarray(indptr, np.int64)
        self.sizes = np.diff(self.indptr)
        self.cor = np.repeat(np.arange(len(self.sizes)), self.sizes)
        self._no_empty = bool(len(self.sizes)) and bool((self.sizes > 0).all())
        self.och = np.asarray(och, np.int64)
        if (self.och != np.arange(len(self.och))).any():
            raise ValueError("normal outcomes have one channel each, first in A")
        self.osl = slice(0, len(self.och))  # their channels
        self.kv, self.chv, self.cpat = list(kv), list(chv), np.asarray(cpat, np.int64)
        self.D, self.C = int(D), int(C)
        self.Qc, self.Qr = int(n_cluster_dims), int(n_row_dims)
        if self.C > 1 and self.Qc > 0:
            raise ValueError("within classes with cluster random effects are not exact")
        self.reml = False
        self.fixed = None  # FixedEffects, made by for_engine

    # -- construction from an engine ------------------------------------------------------
    @classmethod
    def for_engine(cls, engine):
        """The exact path of an engine's model, or (None, reason) when it does not apply."""
        d, kl = engine.design, engine.kl
        qb, qw = kl.qb, kl.qw
        n_cluster = 0 if d.single_level else qb
        n_outcome_channels = int(kl.n_channels.sum())
        in_logits = any(ch >= n_outcome_channels and m > 0 for ch, m, *_ in kl.entries)
        reason = ineligible_reason(kl.fam, kl.mono, kl.C, n_cluster, in_logits)
        if reason is not None:
            return None, reason
        obj = cls(d.y, d.row_weight, d.cluster_weight, d.indptr, kl.och, kl.kv, kl.chv,
                  kl.cpat, kl.D, kl.C, n_cluster, qb + qw - n_cluster)
        obj.fixed = FixedEffects(obj, engine)
        return obj, None

    @property
    def mean_free(self):
        """Free positions of the fixed-effect coefficients (see gaussian_fixed)."""
        return self.fixed.mean_free

    @property
    def separable(self):
        return self.fixed.separable

    def least_squares_start(self, engine, work):
        """The base start's regression step in closed form (None with classes)."""
        return self.fixed.least_squares_start(engine, work)

    def set_reml(self, reml):
        """Switch the REML correction on or off (error where REML is not defined)."""
        if reml:
            reason = self.fixed.reml_unavailable()
            if reason is not None:
                raise SpecificationError(reason)
        self.reml = bool(reml)

    # -- the cluster's normal density -----------------------------------------------------
    def _rows(self, A, FP):
        """Per row and cell: fixed part, loadings, precisions and the row factors.

        Returns a dict with a (n_a, DC, P), Lat (N, DC, P, Q), s (N, DC, P)
        residual precisions (0 where missing), r = y - a (0 where missing),
        logvar (DC, P), logdet (N, DC) = log|R_i| over the observed outcomes,
        and for row factors Vw = (I + W's W)^-1 (N, DC, Qr, Qr) and Vtr = Vw W's r
        (the factors' posterior mean at z_b = 0); for cluster effects BRB and
        BRr (B' R^-1 B, B' R^-1 r) and GwB = Vw W's B.
        """
        N = self.obs.shape[0]
        P = len(self.och)
        Ao = A[:, self.osl].transpose(0, 2, 1, 3)  # (n_a, DC, P, M)
        a = Ao[..., 0]
        Lat = np.broadcast_to(Ao[..., 1:], (N,) + Ao.shape[1:3] + (Ao.shape[3] - 1,))
        logvar = np.ascontiguousarray(FP[:P, :, 0].T)  # (DC, P)
        s = self.obsf[:, None, :] * np.exp(-logvar)[None]
        r = (self.y0[:, None, :] - a) * self.obsf[:, None, :]
        t = {"a": a, "Lat": Lat, "s": s, "r": r, "logvar": logvar,
             "logdet": self.obsf @ logvar.T}
        Qc, Qr = self.Qc, self.Qr
        if Qr:
            W = Lat[..., Qc:]
            sW = s[..., None] * W
            Vw, ldw = _inv_logdet(np.einsum("ndpk,ndpl->ndkl", W, sW) + np.eye(Qr))
            t.update(sW=sW, Vw=Vw, Vtr=np.einsum("ndkl,ndpl,ndp->ndk", Vw, sW, r))
            t["logdet"] = t["logdet"] + ldw
        if Qc:
            B = Lat[..., :Qc]
            sB = s[..., None] * B
            BRB = np.einsum("ndpk,ndpl->ndkl", B, sB)
            BRr = np.einsum("ndpk,ndp->ndk", sB, r)
            if Qr:
                tB = np.einsum("ndpk,ndpl->ndkl", t["sW"], B)  # W' s B (Qr, Qc)
                GwB = np.einsum("ndkl,ndlm->ndkm", Vw, tB)
                BRB = BRB - np.einsum("ndkl,ndkm->ndlm", tB, GwB)
                BRr = BRr - np.einsum("ndkl,ndk->ndl", tB, t["Vtr"])
                t["GwB"] = GwB
            t.update(BRB=BRB, BRr=BRr)
        return t

    def _quad(self, t, mb=None):
        """r_i' R_i^-1 r_i - (cluster part) as a penalised residual sum of squares (N, DC).

        At the posterior means (z_b = ``mb`` per row, or 0; z_w their mean given
        it) the quadratic form is sum_p s_p e_p^2 + |z_w|^2 with e the residual
        at those means: a sum of non-negative terms, where the Woodbury
        difference r's r - t'V t would lose all digits when a residual variance
        is tiny (lme4's penalised least squares, for the same reason).
        """
        e = t["r"]
        if mb is not None:
            e = e - np.einsum("ndpk,ndk->ndp", t["Lat"][..., :self.Qc], mb) * self.obsf[:, None]
        quad = 0.0
        if self.Qr:
            mw = t["Vtr"] if mb is None else t["Vtr"] - np.einsum("ndkl,ndl->ndk", t["GwB"], mb)
            e = e - np.einsum("ndpk,ndk->ndp", t["Lat"][..., self.Qc:], mw) * self.obsf[:, None]
            quad = np.einsum("ndk,ndk->nd", mw, mw)
        return quad + np.einsum("ndp,ndp->nd", t["s"], e * e)

    def csum(self, x):
        """Sums over each cluster's rows (axis 0)."""
        if self._no_empty:
            return np.add.reduceat(x, self.indptr[:-1], axis=0)
        out = np.zeros((len(self.sizes),) + x.shape[1:])
        nz = self.sizes > 0
        if len(x):
            out[nz] = np.add.reduceat(x, self.indptr[:-1][nz], axis=0)
        return out

    def _clusters(self, t):
        """Case (a): log of the cluster integral per (j, d) and the posterior of z_b.

        log L_jd = -0.5 [sum_i rw_i (log|R_i| + pwrss_i) + log|P_jd| + |mu_jd|^2]
        with mu = P^-1 b the posterior mean of z_b and pwrss_i the row's
        penalised residual sum of squares at it (:meth:`_quad`).
        """
        w = self.rw
        prec = self.csum(w[:, None, None, None] * t["BRB"]) + np.eye(self.Qc)
        b = self.csum(w[:, None, None] * t["BRr"])
        Vb, ldp = _inv_logdet(prec)
        mub = np.einsum("jdkl,jdl->jdk", Vb, b)
        rows = w[:, None] * (t["logdet"] + self._quad(t, mub[self.cor]))
        loglik = -0.5 * (self.csum(rows) + ldp + np.einsum("jdk,jdk->jd", mub, mub))
        return loglik, Vb, mub

    def _class_logprior(self, A):
        """log P(c | d, x_i) (n_a, D*C) and per class variable (first channel, K, resid).

        ``resid`` (n_a, K - 1, DC) holds 1[c_v = k] - P_v(k | d, x_i), the
        logit scores of the pattern's class.
        """
        n_a, DC = A.shape[0], A.shape[2]
        lpc = np.zeros((n_a, DC))
        scores = []
        c_of = np.arange(DC) % self.C
        for v, (K, ch0) in enumerate(zip(self.kv, self.chv, strict=True)):
            eta = np.concatenate([A[:, ch0:ch0 + K - 1, :, 0], np.zeros((n_a, 1, DC))], axis=1)
            lp = eta - _lse(eta, 1)[:, None, :]
            cv = self.cpat[c_of, v]  # (DC,) class of variable v in each pattern
            lpc += lp[:, cv, np.arange(DC)]
            resid = (cv[None, None, :] == np.arange(K - 1)[None, :, None]) - np.exp(lp[:, :K - 1])
            scores.append((ch0, K, resid))
        return lpc, scores

    def _posterior(self, A, FP, logpd, ll_out, post_dg_out, rowpost_out):
        """E-step pieces shared by the public functions; returns (t, Moments, lpc, scores)."""
        t = self._rows(A, FP)
        N, D, C = self.obs.shape[0], self.D, self.C
        lpc, cls_scores = self._class_logprior(A)
        Q = self.Qc + self.Qr
        if self.Qc:  # case (a), C = 1
            lj, Vb, mub = self._clusters(t)
            rp = None
            mb, Vbr = mub[self.cor], Vb[self.cor]  # (N, D, Qc), (N, D, Qc, Qc)
            if self.Qr:
                G = t["GwB"]
                mw = t["Vtr"] - np.einsum("ndkl,ndl->ndk", G, mb)
                cwb = -np.einsum("ndkl,ndlm->ndkm", G, Vbr)
                cww = t["Vw"] + np.einsum("ndkm,ndlm->ndkl", -cwb, G)
                mean = np.concatenate([mb, mw], axis=2)
                cov = np.concatenate([np.concatenate([Vbr, np.swapaxes(cwb, 2, 3)], axis=3),
                                      np.concatenate([cwb, cww], axis=3)], axis=2)
            else:
                mean, cov = mb, Vbr
            t["Vb"] = Vb
        else:  # case (b): rows independent given d
            ell = -0.5 * (t["logdet"] + self._quad(t))  # log N(y_i; a_i, R_i)
            cell = (ell + lpc).reshape(N, D, C)
            row_ll = _lse(cell, 2)
            with np.errstate(invalid="ignore"):
                rp = np.exp(cell - row_ll[:, :, None])
            rp = np.where(np.isfinite(rp), rp, 0.0)
            lj = self.csum(self.rw[:, None] * row_ll)
            if self.Qr:
                mean, cov = t["Vtr"], np.broadcast_to(t["Vw"], (N, D * C, Q, Q))
            else:
                mean, cov = np.zeros((N, D * C, 0)), np.zeros((N, D * C, 0, 0))
        lj = lj + logpd
        ll = _lse(lj, 1)
        ll_out[:] = ll
        with np.errstate(invalid="ignore"):
            post = np.exp(lj - ll[:, None])
        post_dg_out[:, :, 0] = np.where(np.isfinite(post), post, 0.0)
        if rowpost_out.shape[0]:
            rowpost_out[:] = 1.0 if rp is None else rp.reshape(-1)
        return t, Moments(mean, cov, D, C), lpc, cls_scores

    # -- the kernel's contract --------------------------------------------------------------
    def loglik_posterior(self, A, FP, logpd, ll_out, post_dg_out, rowpost_out):
        """Per-cluster log-likelihoods and posteriors, as ``_estep.loglik_posterior``.

        Writes ``ll_out[j]`` (without data constants; with REML the correction
        spread over the clusters by their weights), ``post_dg_out[j, d, 0]`` =
        P(d | Y_j) and, unless empty, ``rowpost_out`` [i, d, 0, c, 0] =
        P(c | d, y_i).  Returns the :class:`Moments` of the latent values.
        """
        t, mom, _, _ = self._posterior(A, FP, logpd, ll_out, post_dg_out, rowpost_out)
        if self.reml:
            value, _ = self.fixed.correction(t, want_grad=False)
            ll_out += value / max(self.cw.sum(), 1e-300)
        return mom

    def expected_scores(self, A, FP, CW, post_dg, rowpost, moments, S_out, GF_out, q_out):
        """Q-function and expected complete-data scores at A, FP, posterior held fixed.

        As ``_estep.expected_scores`` with G = H = 1: ``S_out[i, ch, dc, m]``
        (m = 0: the constant, m > 0: the latent value z_m), ``GF_out[i, p, dc, 0]``
        (log residual variance) and ``q_out[j]``.  The posterior is
        P(d | Y_j) (post_dg), P(c | d, y_i) (rowpost) and ``moments``, all
        from an E-step at other parameters.  With REML the correction and its
        gradient at A, FP are added.
        """
        t = self._rows(A, FP)
        lpc, cls_scores = self._class_logprior(A)
        self._scores(t, A, CW, post_dg, rowpost, moments, lpc, cls_scores, S_out, GF_out, q_out)
        if self.reml:
            if self.Qc:
                _, t["Vb"], _ = self._clusters(t)
            self.fixed.add_correction(t, S_out, GF_out, q_out)

    def loglik_and_scores(self, A, FP, logpd, CW, ll_out, post_dg_out, rowpost_out, S_out,
                          GF_out, q_out):
        """:meth:`loglik_posterior` and :meth:`expected_scores` at the same parameters.

        At these parameters the sums over rows of S and GF are the exact
        gradient (Fisher's identity).  Returns the :class:`Moments`.
        """
        t, mom, lpc, cls_scores = self._posterior(A, FP, logpd, ll_out, post_dg_out,
                                                  rowpost_out)
        rp = rowpost_out if rowpost_out.shape[0] else np.ones(0)
        self._scores(t, A, CW, post_dg_out, rp, mom, lpc, cls_scores, S_out, GF_out, q_out)
        if self.reml:
            value = self.fixed.add_correction(t, S_out, GF_out, q_out)
            ll_out += value / max(self.cw.sum(), 1e-300)
        return mom

    def _scores(self, t, A, CW, post_dg, rowpost, mom, lpc, cls_scores, S, GF, q):
        N, D, C = self.obs.shape[0], self.D, self.C
        P = len(self.och)
        w = CW[self.cor][:, None] * self.rw[:, None] * post_dg[self.cor][:, :, 0]  # (N, D)
        if C > 1:
            w = (w[:, :, None] * rowpost.reshape(N, D, C)).reshape(N, D * C)
        mean, cov, Lat, s = mom.mean, mom.cov, t["Lat"], t["s"]
        e = t["r"] - np.einsum("ndpq,ndq->ndp", Lat, mean) * self.obsf[:, None, :]
        LS = np.einsum("ndpq,ndqk->ndpk", Lat, cov)
        er2 = e * e + np.einsum("ndpk,ndpk->ndp", LS, Lat) * self.obsf[:, None, :]
        ws = w[:, :, None] * s
        S[:, self.osl, :, 0] = (ws * e).transpose(0, 2, 1)
        if Lat.shape[3]:
            S[:, self.osl, :, 1:] = (ws[..., None] * (e[..., None] * mean[:, :, None, :] - LS)
                                     ).transpose(0, 2, 1, 3)
        GF[:, :P, :, 0] = (w[:, :, None] * self.obsf[:, None, :]
                           * (-0.5 + 0.5 * s * er2)).transpose(0, 2, 1)
        lf = -0.5 * np.einsum("np,dp->nd", self.obsf, t["logvar"]) - 0.5 * (s * er2).sum(2)
        q[:] = self.csum((w * (lf + lpc)).sum(1))
        for ch0, K, resid in cls_scores:
            wr = w[:, None, :] * resid  # (N, K - 1, DC)
            S[:, ch0:ch0 + K - 1, :, 0] = wr
            S[:, ch0:ch0 + K - 1, :, 1:] = wr[..., None] * mean[:, None, :, :]

    # -- what results need from the posterior --------------------------------------------------
    def cell_means(self, A, moments):
        """E[y_i | Y_j, pattern] (N, DC, P): the fixed part plus loadings times posterior means."""
        Ao = A[:, self.osl].transpose(0, 2, 1, 3)  # (n_a, DC, P, M)
        lat = np.broadcast_to(Ao[..., 1:], moments.mean.shape[:2] + Ao.shape[2:3]
                              + (Ao.shape[3] - 1,))
        return Ao[..., 0] + np.einsum("ndpq,ndq->ndp", lat, moments.mean)

    def cluster_moments(self, estep, first, q, d):
        """P(d | Y_j)-weighted posterior moments of latent values first:first+q, per cluster.

        The values are cluster-level ones of the engine (in a single-level
        model each cluster is one row, and they are row-level here).  Returns
        P(d | Y_j) E[z | Y_j, d] (J, q) and P(d | Y_j) E[z z' | Y_j, d]
        (J, q, q), mixed over the within patterns; summed over d they are the
        posterior moments.
        """
        mom = estep.inputs.moments
        rows = self.indptr[:-1]  # a cluster's effects are on each of its rows
        C, sl = self.C, slice(first, first + q)
        mean = mom.mean[rows][:, d * C:(d + 1) * C, sl]  # (J, C, q)
        cov = mom.cov[rows][:, d * C:(d + 1) * C, sl, sl]
        w = estep.post_dg[:, d, 0][:, None] * (
            estep.rowpost.reshape(-1, self.D, C)[rows, d] if C > 1 else 1.0)  # (J, C)
        m1 = np.einsum("jc,jck->jk", w, mean)
        m2 = np.einsum("jc,jckl->jkl", w, cov + mean[..., :, None] * mean[..., None, :])
        return m1, m2
