"""Normal outcome: identity link and a residual variance."""

from __future__ import annotations

import numpy as np

from .base import Family, FamilyCode, as_float, observed

__all__ = ["Normal"]


class Normal(Family):
    """Normal outcome with identity link and residual variance ``theta``.

    The kernel holds ``log theta`` (the family parameter of :meth:`mean`,
    :meth:`draw` and the tables); log f = -log(2 pi theta)/2 - (y - eta)^2 / (2 theta).
    """

    name = "normal"
    code = FamilyCode.NORMAL
    param_kind = "variance"

    def n_params(self, n_categories):
        return 1

    def param_names(self, outcome, n_params, suffix=""):
        return [f"Var({outcome}){suffix}"]

    def param_start(self, n_params):
        return [1.0]

    def encode(self, values, column):
        return as_float(values, column), None

    def constant(self, y, trials):
        return np.where(np.isnan(y), 0.0, -0.5 * np.log(2 * np.pi))

    def placeholder(self, n, n_categories):
        return np.arange(n) % 7 - 3.0

    def mean(self, eta, fp):
        return eta[..., :1]

    def link_function(self, mu):
        return mu

    def null_loglike(self, y, trials, weights, n_categories):
        ok = ~np.isnan(y)
        w, yy = weights[ok], y[ok]
        W = w.sum()
        m = (w @ yy) / W
        s2 = (w @ (yy - m) ** 2) / W
        return float(-0.5 * W * (np.log(2 * np.pi * s2) + 1.0))

    def draw(self, rng, eta, fp, trials):
        return eta[:, 0] + np.exp(0.5 * fp[:, 0]) * rng.standard_normal(len(eta))

    def start_scale(self, sd_y, sd_x):
        """The outcome's SD per unit of the covariate."""
        return sd_y / sd_x

    def latent_start_scale(self, fparams, sd_x, sd_y):
        """Half the residual SD per unit of the covariate (at least 1e-4 of the outcome's SD)."""
        return 0.5 * np.sqrt(max(np.mean(fparams), 1e-8 * sd_y ** 2)) / sd_x

    # statistics (1, y, y^2): log f = -lv/2 - (y - eta)^2 e^-lv / 2 is quadratic in y
    def n_statistics(self, n_categories):
        return 3

    def row_statistics(self, y, trials, n_categories, out):
        obs, yy = observed(y)
        out[:, 0] = obs
        out[:, 1] = yy
        out[:, 2] = yy * yy
        return out

    def table(self, eta, fp, n_categories):
        e, lv = eta[0], fp[0]
        iv = np.exp(-lv)
        return np.stack([-0.5 * lv - 0.5 * e * e * iv, e * iv, -0.5 * iv])

    def table_gradient(self, eta, fp, n_categories, E):
        e, lv = eta[0], fp[0]
        iv = np.exp(-lv)
        g_eta = (-E[0] * e + E[1]) * iv
        g_lv = E[0] * (-0.5 + 0.5 * e * e * iv) - E[1] * e * iv + 0.5 * E[2] * iv
        return g_eta[None], g_lv[None]

    def closed_form_eta(self, E):
        """The pooled mean, sum y / n (statistics 1, y, y^2)."""
        if not E[0] > 0:
            return None
        return np.array([E[1] / E[0]])

    def closed_form_params(self, E, eta):
        """The log of the pooled residual variance about each cell's mean."""
        n = E[0].sum()
        if not n > 0:
            return None
        e = eta[0]
        rss = (E[2] - 2.0 * e * E[1] + e * e * E[0]).sum()
        return np.array([np.log(max(rss / n, 1e-300))])
