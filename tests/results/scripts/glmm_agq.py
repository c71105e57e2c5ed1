"""Own independent adaptive Gauss-Hermite log-likelihood for random-intercept
logistic/binomial GLMMs (used for the cbpp and contraception reference sets).

For cluster j with linear predictor eta_ij = x_ij' beta + u_j, u_j ~ N(0, s2):
  L_j = int prod_i Binom(y_ij | n_ij, expit(eta_ij)) N(u; 0, s2) du
The integrand's log h_j(u) is maximised by Newton (mode u_hat, curvature
h''), and L_j ~= sqrt(2) * sd_hat * sum_k w_k exp(x_k^2) exp(h_j(u_hat + sqrt(2) sd_hat x_k))
with (x_k, w_k) the n-point Gauss-Hermite rule (numpy hermgauss) and
sd_hat = 1 / sqrt(-h_j''(u_hat)).  The binomial log-likelihood includes log C(n, y).
Not imported by tests.
"""
import numpy as np
from scipy.special import gammaln, expit, log_expit


def make_data(X, y, n, groups):
    codes, uniq = None, None
    uniq, codes = np.unique(groups, return_inverse=True)
    lc = gammaln(n + 1) - gammaln(y + 1) - gammaln(n - y + 1)
    return dict(X=np.asarray(X, float), y=np.asarray(y, float), n=np.asarray(n, float),
                g=codes, G=len(uniq), lc=lc)


def loglike(beta, s2, data, nagq=11, return_modes=False):
    X, y, n, g, G, lc = data["X"], data["y"], data["n"], data["g"], data["G"], data["lc"]
    eta0 = X @ beta
    u = np.zeros(G)
    for _ in range(100):  # vectorised Newton for all clusters
        p = expit(eta0 + u[g])
        grad = np.bincount(g, y - n * p, G) - u / s2
        hess = -np.bincount(g, n * p * (1 - p), G) - 1.0 / s2
        step = grad / hess
        u = u - step
        if np.max(np.abs(step)) < 1e-14:
            break
    p = expit(eta0 + u[g])
    hess = -np.bincount(g, n * p * (1 - p), G) - 1.0 / s2
    sd = 1.0 / np.sqrt(-hess)
    xk, wk = np.polynomial.hermite.hermgauss(nagq)
    logterms = np.empty((G, nagq))
    for k in range(nagq):
        uk = u + np.sqrt(2.0) * sd * xk[k]
        eta = eta0 + uk[g]
        lik = lc + y * log_expit(eta) + (n - y) * log_expit(-eta)
        h = np.bincount(g, lik, G) - 0.5 * np.log(2 * np.pi * s2) - 0.5 * uk ** 2 / s2
        logterms[:, k] = np.log(wk[k]) + xk[k] ** 2 + h
    m = logterms.max(axis=1)
    Lj = m + np.log(np.exp(logterms - m[:, None]).sum(axis=1)) + np.log(np.sqrt(2.0) * sd)
    if return_modes:
        return Lj.sum(), u, sd
    return Lj.sum()


def fit(data, start_beta, start_s2, nagq=11):
    """Maximise the AGQ log-likelihood over (beta, log sd) with BFGS + Newton polish;
    returns (loglike, beta, s2, bse_beta, se_s2) with SEs from a finite-difference Hessian
    in the (beta, s2) parametrisation."""
    from scipy import optimize
    p = len(start_beta)

    def nll(th):
        return -loglike(th[:p], np.exp(2 * th[p]), data, nagq)

    th = np.r_[start_beta, 0.5 * np.log(start_s2)]
    th = optimize.minimize(nll, th, method="BFGS", options={"gtol": 1e-9}).x

    def nll2(par):  # (beta, s2)
        return -loglike(par[:p], par[p], data, nagq)

    par = np.r_[th[:p], np.exp(2 * th[p])]
    for _ in range(6):
        gr, H = num_grad_hess(nll2, par)
        par = par - np.linalg.solve(H, gr)
    gr, H = num_grad_hess(nll2, par)
    cov = np.linalg.inv(H)
    se = np.sqrt(np.diag(cov))
    return -nll2(par), par[:p], par[p], se[:p], se[p], gr


def num_grad_hess(f, x, h=1e-4):
    k = len(x)
    g = np.zeros(k); H = np.zeros((k, k))
    for i in range(k):
        e = np.zeros(k); e[i] = h
        g[i] = (f(x + e) - f(x - e)) / (2 * h)
        for j in range(i, k):
            d = np.zeros(k); d[j] = h
            H[i, j] = H[j, i] = (f(x + e + d) - f(x + e - d) - f(x - e + d) + f(x - e - d)) / (4 * h * h)
    return g, H
