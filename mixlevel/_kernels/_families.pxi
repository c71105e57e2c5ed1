# Outcome families of the compiled kernel: one inline log-density per family code.
#
# Included by _estep.pyx (``include "_families.pxi"``), so every function is
# inlined into the kernel's cell loop: no virtual calls in the hot loop, as
# scikit-learn's ``_loss`` does it.  Each ``logf_<family>`` returns
# log f(y | eta) without the data constants (those are in Design.const) and,
# when ``grad``, writes d log f / d eta to ``de`` (one entry per channel) and
# d log f / d(family parameter k) to ``dfp[k]``.  The codes are the enum of
# _families.pxd; outcome_logf in _estep.pyx calls these functions from one flat
# if-chain, and the two property functions at the end say how many channels and
# scored family parameters each code has.
#
# Adding a family: a code in _families.pxd, a logf_<name> function here, its
# branch in outcome_logf (and in the two property functions if it has more
# than one channel or family parameters); see docs/contributing.rst.

from libc.math cimport exp, log, log1p, expm1, erfc, sqrt, fabs, INFINITY, M_PI
from libc.stdint cimport int64_t

from mixlevel._kernels._families cimport (
    NORMAL, LOGIT, PROBIT, BINOMIAL_LOGIT, BINOMIAL_PROBIT, POISSON, ORDINAL_LOGIT,
    ORDINAL_PROBIT, NOMINAL, TRUNCATED_POISSON,
)

cdef double LOG_SQRT_2PI = 0.5 * log(2.0 * M_PI)
cdef double SQRT1_2 = sqrt(0.5)
cdef double LOG_2 = log(2.0)


# ----------------------------------------------------------------------------
# link helpers
# ----------------------------------------------------------------------------

cdef inline double softplus(double x) noexcept nogil:
    if x > 0.0:
        return x + log1p(exp(-x))
    return log1p(exp(x))


cdef inline double log_ndtr(double x) noexcept nogil:
    cdef double z2, s
    if x > 5.0:
        return log1p(-0.5 * erfc(x * SQRT1_2))
    if x > -37.0:
        return log(0.5 * erfc(-x * SQRT1_2))
    z2 = x * x
    s = 1.0 - 1.0 / z2 + 3.0 / (z2 * z2) - 15.0 / (z2 * z2 * z2)
    return -0.5 * z2 - log(-x) - LOG_SQRT_2PI + log(s)


cdef inline double log_cdf(double x, bint probit) noexcept nogil:
    if probit:
        return log_ndtr(x)
    return -softplus(-x)


cdef inline double log_pdf(double x, bint probit) noexcept nogil:
    if probit:
        return -0.5 * x * x - LOG_SQRT_2PI
    return -softplus(x) - softplus(-x)


cdef inline double log_diff_cdf(double a, double b, bint probit) noexcept nogil:
    """log(F(a) - F(b)) for a > b; a may be +inf and b -inf."""
    cdef double la, lb
    if b == -INFINITY:
        return log_cdf(a, probit)
    if a == INFINITY:
        return log_cdf(-b, probit)
    if b > 0.0:
        la = log_cdf(-b, probit)
        lb = log_cdf(-a, probit)
    else:
        la = log_cdf(a, probit)
        lb = log_cdf(b, probit)
    if lb >= la:
        return -INFINITY
    return la + log(-expm1(lb - la))


cdef inline double logsumexp(double* x, Py_ssize_t n) noexcept nogil:
    cdef Py_ssize_t k
    cdef double mx = -INFINITY, s = 0.0
    for k in range(n):
        if x[k] > mx:
            mx = x[k]
    if mx == -INFINITY:
        return -INFINITY
    for k in range(n):
        s += exp(x[k] - mx)
    return mx + log(s)


cdef inline double log1mexp(double x) noexcept nogil:
    """log(1 - exp(-x)) for x > 0, accurate at both ends (Maechler 2012)."""
    if x <= LOG_2:
        return log(-expm1(-x))
    return log1p(-exp(-x))


# ----------------------------------------------------------------------------
# one log-density per family code
# ----------------------------------------------------------------------------

cdef inline double logf_normal(double y, double e, const double* fp, double* de, double* dfp,
                               bint grad) noexcept nogil:
    """Normal, identity link; fp[0] = log residual variance lv: -lv/2 - (y - e)^2 e^-lv / 2."""
    cdef double lv = fp[0], iv = exp(-fp[0]), r = y - e
    if grad:
        de[0] = r * iv
        dfp[0] = -0.5 + 0.5 * r * r * iv
    return -0.5 * lv - 0.5 * r * r * iv


cdef inline double logf_logit(double y, double e, double* de, bint grad) noexcept nogil:
    """Binary logit: y e - log(1 + e^e); one exp serves the density and the derivative."""
    cdef double t = exp(-fabs(e))
    cdef double lf = log1p(t)  # softplus(e) = max(e, 0) + lf
    if grad:
        de[0] = y - (1.0 / (1.0 + t) if e >= 0.0 else t / (1.0 + t))
    if y > 0.5:
        return -(lf + (-e if e < 0.0 else 0.0))
    return -(lf + (e if e > 0.0 else 0.0))


cdef inline double logf_probit(double y, double e, double* de, bint grad) noexcept nogil:
    """Binary probit: log Phi(e) for y = 1, log Phi(-e) for y = 0."""
    cdef double lf
    if y > 0.5:
        lf = log_ndtr(e)
        if grad:
            de[0] = exp(-0.5 * e * e - LOG_SQRT_2PI - lf)
    else:
        lf = log_ndtr(-e)
        if grad:
            de[0] = -exp(-0.5 * e * e - LOG_SQRT_2PI - lf)
    return lf


cdef inline double logf_binomial_logit(double y, double n, double e, double* de,
                                       bint grad) noexcept nogil:
    """y successes of n trials, logit link: y e - n log(1 + e^e)."""
    cdef double t = exp(-fabs(e))
    if grad:
        de[0] = y - n * (1.0 / (1.0 + t) if e >= 0.0 else t / (1.0 + t))
    return y * e - n * (log1p(t) + (e if e > 0.0 else 0.0))


cdef inline double logf_binomial_probit(double y, double n, double e, double* de,
                                        bint grad) noexcept nogil:
    """y successes of n trials, probit link: y log Phi(e) + (n - y) log Phi(-e)."""
    cdef double lpa = log_ndtr(e), lpb = log_ndtr(-e), lf
    if grad:
        lf = -0.5 * e * e - LOG_SQRT_2PI
        de[0] = y * exp(lf - lpa) - (n - y) * exp(lf - lpb)
    return y * lpa + (n - y) * lpb


cdef inline double logf_poisson(double y, double e, double* de, bint grad) noexcept nogil:
    """Poisson, log link: y e - exp(e)."""
    cdef double mu = exp(e)
    if grad:
        de[0] = y - mu
    return y * e - mu


cdef inline double logf_truncated_poisson(double y, double e, double* de,
                                          bint grad) noexcept nogil:
    """Zero-truncated Poisson, log link, y >= 1: y e - mu - log(1 - exp(-mu)), mu = exp(e).

    d/de = y - mu - mu / expm1(mu).  Below e = -20 (mu < 2.1e-9) the series
    log(1 - exp(-mu)) = e - mu/2 + O(mu^2) keeps the cancellation of y e
    against it exact as mu underflows.
    """
    cdef double mu = exp(e), lz, r
    if e < -20.0:
        lz = e - 0.5 * mu
        r = 1.0 - 0.5 * mu
    else:
        lz = log1mexp(mu)
        r = mu / expm1(mu) if mu < 700.0 else 0.0
    if grad:
        de[0] = y - mu - r
    return y * e - mu - lz


cdef inline double logf_ordinal(Py_ssize_t k, Py_ssize_t K, double e, const double* tau,
                                bint probit, double* de, double* dtau,
                                bint grad) noexcept nogil:
    """Ordinal category k of K, eq. (1): P(y <= k) = F(tau_k - e), thresholds tau[0..K-2]."""
    cdef double a = tau[k] - e if k < K - 1 else INFINITY
    cdef double b = tau[k - 1] - e if k > 0 else -INFINITY
    cdef double lf = log_diff_cdf(a, b, probit), ra, rb
    cdef Py_ssize_t j
    if grad:
        ra = exp(log_pdf(a, probit) - lf) if k < K - 1 else 0.0
        rb = exp(log_pdf(b, probit) - lf) if k > 0 else 0.0
        de[0] = rb - ra
        for j in range(K - 1):
            dtau[j] = 0.0
        if k < K - 1:
            dtau[k] = ra
        if k > 0:
            dtau[k - 1] = -rb
    return lf


cdef inline double logf_nominal(Py_ssize_t k, Py_ssize_t K, double* eta, double* de,
                                bint grad) noexcept nogil:
    """Nominal category k of K: multinomial logit, eta[0..K-2] the logits, category K-1 the
    reference (eta[K-1] is set to 0 here)."""
    cdef Py_ssize_t j
    cdef double lse
    eta[K - 1] = 0.0
    lse = logsumexp(eta, K)
    if grad:
        for j in range(K - 1):
            de[j] = (1.0 if k == j else 0.0) - exp(eta[j] - lse)
    return eta[k] - lse


# ----------------------------------------------------------------------------
# properties of the codes
# ----------------------------------------------------------------------------

cdef inline Py_ssize_t family_channels(int64_t f, Py_ssize_t K) noexcept nogil:
    """Linear predictors (channels) of an outcome of code f with K categories."""
    return K - 1 if f == NOMINAL else 1


cdef inline Py_ssize_t family_scored_params(int64_t f, Py_ssize_t K) noexcept nogil:
    """Family parameters with scores (normal: log variance; ordinal: K - 1 thresholds)."""
    if f == NORMAL:
        return 1
    if f == ORDINAL_LOGIT or f == ORDINAL_PROBIT:
        return K - 1
    return 0
