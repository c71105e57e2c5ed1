"""Profile-likelihood confidence intervals (lme4's ``confint(method = "profile")``).

For a parameter ``theta_j`` the profile log-likelihood ``lp(v)`` is the
maximum of the log-likelihood over the other parameters with ``theta_j = v``.
The interval is ``{v : 2 (llf - lp(v)) <= chi2_1(1 - alpha)}``; its ends are
found by bracketing from the Wald interval and Brent's method.  Each
``lp(v)`` is a constrained maximisation on the working scale (SLSQP with the
equality ``theta_j(w) = v``), so variances stay positive and a parameter of a
covariance block can be profiled although it is not a coordinate of the
block's Cholesky factor.  A variance whose profile stays below the cut-off
down to 0 gets the lower end 0 (the boundary).

Intervals are invariant to transformations: the interval of a variance gives
that of its SD by square roots (lme4 reports SDs).
"""

from __future__ import annotations

import numpy as np
from scipy import optimize, stats

__all__ = ["ProfileMixin"]


class ProfileMixin:
    """``conf_int(method="profile")``."""

    def conf_int(self, alpha=0.05, cols=None, method="wald"):
        """Confidence intervals of the parameters.

        Parameters
        ----------
        alpha : float
            1 - the coverage.
        cols : list of int or str, optional
            The parameters (positions or names); default all.
        method : {"wald", "profile"}
            "wald" (default): estimate +- z se with the covariance of
            :attr:`cov_type`.  "profile": profile-likelihood intervals (see
            :mod:`mixlevel.results.profile`).  Rows not in ``cols`` are NaN.

        Returns
        -------
        DataFrame (k, 2) with the parameter names (ndarray when unwrapped).
        """
        if method not in ("wald", "profile"):
            raise ValueError(f"method={method!r}: use 'wald' or 'profile'")
        names = list(self.model.param_names)
        if cols is None:
            idx = range(len(names))
        else:
            idx = [names.index(c) if isinstance(c, str) else int(c) for c in cols]
        if method == "wald":
            ci = np.asarray(super().conf_int(alpha=alpha), float)
            if cols is not None:  # rows not asked for are NaN (one row per parameter)
                keep = np.zeros(len(names), bool)
                keep[list(idx)] = True
                ci[~keep] = np.nan
            return ci
        out = np.full((len(names), 2), np.nan)
        for j in idx:
            out[j] = self.profile_interval(j, alpha)
        return out

    # -- the profile ---------------------------------------------------------------------
    def _profile_setup(self):
        if self.__dict__.get("reml"):
            raise NotImplementedError("profile intervals are for ML fits; refit with "
                                      "reml=False")
        self._need_data("profile-likelihood intervals")
        model = self.model
        eng = model.engine.spawn()
        work = model._work(self.params)
        if eng.adaptive and eng.kl.qb:
            eng.adapt_nodes_at_mode(work)  # nodes at the estimates' posterior modes
        return eng, work

    def profile_loglike(self, param, value, start=None):
        """The profile log-likelihood of ``param`` (name or position) at ``value``.

        Returns
        -------
        (float, ndarray)
            The maximum and the maximiser (free working vector).
        """
        names = list(self.model.param_names)
        j = names.index(param) if isinstance(param, str) else int(param)
        eng, work = self.__dict__.get("_profile_engine") or self._profile_setup()
        self.__dict__["_profile_engine"] = (eng, work)
        tab = self.model.table
        w0 = np.array(work if start is None else start, float)
        scale = max(abs(float(np.asarray(self.params)[j])), 1.0)

        def nat_j(w):
            return tab.free_natural_from_working(w)[j]

        def fun(w):
            ll, g, _ = eng.loglike_and_score(w)
            if not np.isfinite(ll):
                return 1e10, np.zeros_like(w)
            return -ll, -np.asarray(g, float)

        def cons_jac(w, h=1e-6):
            base = nat_j(w)
            grad = np.zeros_like(w)
            for i in range(len(w)):
                wp = w.copy()
                wp[i] += h
                grad[i] = (nat_j(wp) - base) / h
            return grad / scale

        con = {"type": "eq", "fun": lambda w: (nat_j(w) - value) / scale, "jac": cons_jac}
        sol = optimize.minimize(fun, w0, jac=True, method="SLSQP", constraints=[con],
                                options={"maxiter": 500, "ftol": 1e-12})
        return -float(sol.fun), sol.x

    def profile_interval(self, param, alpha=0.05):
        """Profile-likelihood interval of one parameter (name or position)."""
        names = list(self.model.param_names)
        j = names.index(param) if isinstance(param, str) else int(param)
        crit = stats.chi2.ppf(1 - alpha, 1)
        est = float(np.asarray(self.params)[j])
        se = float(np.asarray(self.bse)[j])
        if not np.isfinite(se) or se <= 0:
            se = max(abs(est), 1.0) * 0.1
        positive = self._is_variance(j)
        llf = self.llf
        starts = {}

        def dev(v):
            ll, w = self.profile_loglike(j, v, start=starts.get(np.sign(v - est)))
            starts[np.sign(v - est)] = w
            return 2.0 * (llf - ll) - crit

        ends = []
        for side in (-1.0, 1.0):
            starts.clear()
            step, lo = se, est
            hi = None
            for _ in range(30):
                cand = est + side * step
                if positive and cand <= 0:
                    cand = est * 1e-6
                    if dev(cand) < 0:  # the profile stays inside down to the boundary
                        hi = None
                        break
                    hi = cand
                    break
                if dev(cand) > 0:
                    hi = cand
                    break
                lo, step = cand, step * 2.0
            if hi is None:
                ends.append(0.0 if positive and side < 0 else np.nan)
                continue
            a, b = (hi, lo) if side < 0 else (lo, hi)
            ends.append(optimize.brentq(dev, a, b, xtol=1e-8 * max(abs(est), 1.0)))
        return np.array(ends)

    def _is_variance(self, j):
        info = self.parameter_info
        name = self.model.param_names[j]
        return info.loc[name, "kind"] == "variance" or (
            info.loc[name, "kind"] == "covariance" and str(info.loc[name, "label"]).startswith(
                "Var("))

    # -- a variance on its boundary -----------------------------------------------------------
    def test_variance(self, param):
        """Likelihood-ratio test of a random-effect variance against 0 (its boundary).

        The model with the variance at 0 (its covariances then vanish too) is
        the profile at a variance of ``1e-10`` times the estimate.  Under the
        null hypothesis the statistic is a 50:50 mixture of chi-squares with
        ``m - 1`` and ``m`` degrees of freedom, ``m`` the number of variance
        and covariance parameters that vanish (Self and Liang 1987; Stram and
        Lee 1994), not the chi-square(1) of the Wald test in the summary.

        Returns
        -------
        dict
            ``lr``, ``df`` (m), ``pvalue`` (the mixture), ``pvalue_naive``
            (chi-square with m degrees of freedom, for comparison).
        """
        names = list(self.model.param_names)
        j = names.index(param) if isinstance(param, str) else int(param)
        info = self.parameter_info
        name = names[j]
        if not (info.loc[name, "kind"] == "covariance" and
                str(info.loc[name, "label"]).startswith("Var(")):
            raise ValueError(f"{name!r} is not a random-effect variance")
        effect = str(info.loc[name, "label"])[4:-1]
        block = info.loc[name, "equation"]
        classes = info.loc[name, "classes"]
        same = info[(info["equation"] == block) & (info["classes"] == classes)]
        m = 1 + sum(1 for lab in same["label"] if str(lab).startswith("Cov(")
                    and effect in str(lab)[4:-1].split(","))
        est = float(np.asarray(self.params)[j])
        ll0, _ = self.profile_loglike(j, est * 1e-10)
        lr = max(2.0 * (self.llf - ll0), 0.0)
        p = 0.5 * stats.chi2.sf(lr, m) + (0.5 * stats.chi2.sf(lr, m - 1) if m > 1
                                          else 0.5 * float(lr <= 0))
        return {"lr": lr, "df": m, "pvalue": float(p),
                "pvalue_naive": float(stats.chi2.sf(lr, m))}
