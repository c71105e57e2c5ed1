"""The third step of stepwise auxiliary models: the objective, its scores and its maximum.

Units ``u`` (rows for a within class, clusters for a between class) have a
modal class ``W_u`` from step 1, a frequency weight ``f_u``, a design row
``x_u`` of the class model and rows ``i`` of distal outcomes.  Per unit and
class the model contributes

.. math::

    T_{uk} = \\log \\pi_k(x_u) + \\sum_{i \\in u} \\sum_d \\log f_d(z_{id} \\mid \\theta_{dk}),

with ``pi`` a multinomial logit (last class the reference) and ``f_d`` a
normal, Bernoulli or Poisson density.  The step-3 objective is

* 3-step ML (Vermunt 2010; Bakk, Tekle & Vermunt 2013):
  ``sum_u f_u log sum_k exp(T_uk) D[k, W_u]``, the likelihood of the modal
  class as an indicator with the classification error probabilities
  ``D[k, s] = P(W = s | X = k)`` of step 1;
* BCH (Bolck, Croon & Hagenaars 2004; Vermunt 2010; Bakk & Vermunt 2016):
  ``sum_u f_u sum_k w_uk T_uk`` with weights ``w_uk = (D^-1)[W_u, k]``, a
  weighted analysis of the data expanded to one record per class;
* naive: the same with ``w_uk = 1[W_u = k]`` (no correction).

This module knows nothing of fitted mixlevel models: it takes arrays.
"""

from __future__ import annotations

import numpy as np
from scipy import special

__all__ = ["Step3Problem", "FAMILIES"]

FAMILIES = ("normal", "binary", "poisson")


class Step3Problem:
    """One step-3 estimation problem (arrays in, estimates and scores out).

    Parameters
    ----------
    n_classes : int
    X : ndarray (n_units, m) or None
        Class-model design (first column the intercept); None keeps the class
        proportions fixed at ``log_prior``.
    W : ndarray of int (n_units,)
        Modal class of each unit (0-based).
    f : ndarray (n_units,)
        Frequency weight of each unit.
    distal : list of (family, z, unit, rw)
        Per distal outcome: its family, its row values, the unit of each row
        (None: the rows are the units) and the rows' frequency weights.
    method : {"ML", "BCH", "naive"}
    equal_variance : bool
        One residual variance of a normal distal outcome for all classes.
    log_prior : ndarray (n_classes,), optional
        Fixed log class proportions when ``X`` is None.
    """

    def __init__(self, n_classes, X, W, f, distal, method, equal_variance=False,
                 log_prior=None):
        self.K, self.X, self.W, self.f = n_classes, X, np.asarray(W), np.asarray(f, float)
        self.n = len(self.W)
        self.distal, self.method = list(distal), method
        self.equal_variance = equal_variance
        self.log_prior = log_prior
        sizes, self.slices = [], []
        m = 0 if X is None else X.shape[1]
        sizes.append(m * (self.K - 1))
        for fam, *_ in self.distal:
            nv = (1 if equal_variance else self.K) if fam == "normal" else 0
            sizes.append(self.K + nv)
        ends = np.cumsum([0] + sizes)
        self.slices = [slice(a, b) for a, b in zip(ends[:-1], ends[1:], strict=True)]
        self.n_params = int(ends[-1])

    # -- pieces ------------------------------------------------------------------------
    def _class_part(self, theta):
        """log pi (n, K) and the class probabilities pi."""
        if self.X is None:
            lp = np.broadcast_to(self.log_prior, (self.n, self.K))
            return lp, np.exp(lp)
        beta = theta[self.slices[0]].reshape(self.K - 1, -1)
        eta = np.zeros((self.n, self.K))
        eta[:, :-1] = self.X @ beta.T
        lp = eta - special.logsumexp(eta, axis=1, keepdims=True)
        return lp, np.exp(lp)

    def _distal_part(self, d, theta):
        """Per unit and class: sum of log densities, and the rows' score pieces."""
        fam, z, unit, rw = self.distal[d]
        th = theta[self.slices[d + 1]]
        K = self.K
        if fam == "normal":
            mu = th[:K]
            logv = np.repeat(th[K], K) if self.equal_variance else th[K:2 * K]
            v = np.exp(logv)
            r = z[:, None] - mu[None, :]
            logf = -0.5 * (np.log(2 * np.pi) + logv[None, :] + r ** 2 / v[None, :])
            pieces = [r / v[None, :], 0.5 * (r ** 2 / v[None, :] - 1.0)]
        elif fam == "binary":
            logf = z[:, None] * th[None, :] - np.logaddexp(0.0, th)[None, :]
            pieces = [z[:, None] - special.expit(th)[None, :]]
        else:  # poisson
            logf = (z[:, None] * th[None, :] - np.exp(th)[None, :]
                    - special.gammaln(z + 1.0)[:, None])
            pieces = [z[:, None] - np.exp(th)[None, :]]
        return self._per_unit(rw[:, None] * logf, unit), \
            [self._per_unit(rw[:, None] * p, unit) for p in pieces]

    def _per_unit(self, rows, unit):
        """Sum row values (rows, K) within units; rows are units when ``unit`` is None."""
        if unit is None:
            return rows
        out = np.zeros((self.n, rows.shape[1]))
        np.add.at(out, unit, rows)
        return out

    def terms(self, theta):
        lp, pi = self._class_part(theta)
        T = np.array(lp, copy=True)
        parts = []
        for d in range(len(self.distal)):
            L, sums = self._distal_part(d, theta)
            T += L
            parts.append(sums)
        return T, pi, parts

    def responsibilities(self, T, aux):
        """r_uk: posterior given the modal class (ML) or the fixed weights (BCH, naive)."""
        if self.method == "ML":
            a = T + aux
            return np.exp(a - special.logsumexp(a, axis=1, keepdims=True))
        return aux

    # -- objective ---------------------------------------------------------------------
    def objective(self, theta, aux):
        """Total objective (weighted by f)."""
        T, _, _ = self.terms(theta)
        if self.method == "ML":
            return float(self.f @ special.logsumexp(T + aux, axis=1))
        return float(self.f @ np.sum(aux * T, axis=1))

    def unit_scores(self, theta, aux):
        """Per-unit scores (n_units, n_params), unweighted."""
        T, pi, parts = self.terms(theta)
        r = self.responsibilities(T, aux)
        S = np.zeros((self.n, self.n_params))
        if self.X is not None:
            R = r.sum(axis=1, keepdims=True)
            g = (r - R * pi)[:, :-1]  # (n, K-1)
            S[:, self.slices[0]] = (g[:, :, None] * self.X[:, None, :]).reshape(self.n, -1)
        K = self.K
        for d, (fam, *_rest) in enumerate(self.distal):
            sl = self.slices[d + 1]
            sums = parts[d]
            block = np.zeros((self.n, sl.stop - sl.start))
            block[:, :K] = r * sums[0]
            if fam == "normal":
                if self.equal_variance:
                    block[:, K] = np.sum(r * sums[1], axis=1)
                else:
                    block[:, K:2 * K] = r * sums[1]
            S[:, sl] = block
        return S

    def gradient(self, theta, aux):
        return self.f @ self.unit_scores(theta, aux)

    def hessian(self, theta, aux):
        """Central differences of the analytic gradient, symmetrised."""
        p = self.n_params
        H = np.zeros((p, p))
        for j in range(p):
            h = 1e-5 * max(1.0, abs(theta[j]))
            e = np.zeros(p)
            e[j] = h
            H[:, j] = (self.gradient(theta + e, aux) - self.gradient(theta - e, aux)) / (2 * h)
        return 0.5 * (H + H.T)

    # -- estimation ------------------------------------------------------------------
    def start(self, soft):
        """Start values from soft class weights (posterior probabilities)."""
        theta = np.zeros(self.n_params)
        if self.X is not None:
            share = np.clip(self.f @ soft / self.f.sum(), 1e-6, None)
            beta = np.zeros((self.K - 1, self.X.shape[1]))
            beta[:, 0] = np.log(share[:-1] / share[-1])
            theta[self.slices[0]] = beta.ravel()
        for d, (fam, z, unit, rw) in enumerate(self.distal):
            w = (soft if unit is None else soft[unit]) * rw[:, None]
            tot = np.clip(w.sum(axis=0), 1e-12, None)
            mean = (w * z[:, None]).sum(axis=0) / tot
            sl = self.slices[d + 1]
            if fam == "normal":
                var = (w * (z[:, None] - mean) ** 2).sum(axis=0) / tot
                var = np.clip(var, 1e-8 * max(np.var(z), 1e-12), None)
                vals = [mean, [np.log(np.average(var, weights=tot))] if self.equal_variance
                        else np.log(var)]
                theta[sl] = np.concatenate(vals)
            elif fam == "binary":
                theta[sl] = special.logit(np.clip(mean, 1e-4, 1 - 1e-4))
            else:
                theta[sl] = np.log(np.clip(mean, 1e-4, None))
        return theta

    def fit(self, theta0, aux, tol=1e-12, maxiter=200):
        """Maximise the objective by Newton's method with step halving.

        The Hessian is the finite-difference one (made positive definite
        where it is not); iterations stop when the Newton decrement
        ``g' (-H)^-1 g`` (twice the predicted gain) is below ``tol``.
        Returns (theta, converged, iterations).
        """
        theta = np.array(theta0, float)
        value = self.objective(theta, aux)
        for it in range(1, maxiter + 1):
            g = self.gradient(theta, aux)
            A = -self.hessian(theta, aux)
            ev, V = np.linalg.eigh(A)
            floor = 1e-10 * max(abs(ev).max(), 1.0)
            step = V @ ((V.T @ g) / np.maximum(ev, floor))
            decrement = float(g @ step)
            if decrement < tol:
                return theta, True, it
            t = 1.0
            while t > 1e-12:
                trial = theta + t * step
                new = self.objective(trial, aux)
                if np.isfinite(new) and new >= value - 1e-13 * (1 + abs(value)):
                    break
                t *= 0.5
            else:
                return theta, False, it
            theta, value = trial, new
        return theta, False, maxiter
