"""The compiled E-step kernel against its pure-numpy oracle.

``mixlevel._kernels._reference`` re-implements ``_estep.loglik_posterior`` and
``_estep.expected_scores`` directly from the model formulas.  Here both are
run on small random problems (3-5 clusters of 1-4 rows) covering every family
code, nominal and ordinal outcomes, within and between class patterns, random
effects shared or per cluster, row nodes, row-varying design arrays, missing
outcomes and non-unit row/cluster weights, and every output must agree to
rtol 1e-10 / atol 1e-12.

The oracle itself is checked against finite differences (Fisher's identity:
at the pass-1 posteriors the scores are the gradient of sum_j CW_j ll_j).
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from scipy.special import logsumexp

from mixlevel._kernels import _reference as ref
from mixlevel.families import FamilyCode as F

try:
    from mixlevel._kernels import _estep
except ImportError:  # pragma: no cover - the extension must be built
    _estep = None

pytestmark = pytest.mark.skipif(_estep is None, reason="compiled kernel not built")

RTOL, ATOL = 1e-10, 1e-12

# (family code, number of categories)
NORMAL = (F.NORMAL, 0)
LOGIT = (F.LOGIT, 2)
PROBIT = (F.PROBIT, 2)
BIN_LOGIT = (F.BINOMIAL_LOGIT, 0)
BIN_PROBIT = (F.BINOMIAL_PROBIT, 0)
POISSON = (F.POISSON, 0)
ORD_LOGIT = (F.ORDINAL_LOGIT, 4)
ORD_PROBIT = (F.ORDINAL_PROBIT, 4)
NOMINAL = (F.NOMINAL, 3)
TRUNC_POISSON = (F.TRUNCATED_POISSON, 0)
ORDINALS = (F.ORDINAL_LOGIT, F.ORDINAL_PROBIT)
ALL_FAMILIES = [NORMAL, LOGIT, PROBIT, BIN_LOGIT, BIN_PROBIT, POISSON, ORD_LOGIT,
                ORD_PROBIT, NOMINAL, TRUNC_POISSON]
FAMILY_IDS = ["normal", "logit", "probit", "binomial_logit", "binomial_probit",
              "poisson", "ordinal_logit", "ordinal_probit", "nominal", "truncated_poisson"]

ARG_NAMES = ("A", "Y", "T", "FP", "RW", "ZB", "LWG", "ZH", "LWH", "FAM", "OCH", "NCAT",
             "MONO", "KV", "CHV", "CPAT", "INDPTR")


def _log_normalise(x, axis=-1):
    return x - logsumexp(x, axis=axis, keepdims=True)


def make_problem(seed, fams=tuple(ALL_FAMILIES), D=2, KV=(2, 3), Qb=2, Qw=1, H=3, G=4,
                 zb_shared=False, lwg_shared=None, a_shared=False, missing=0.2,
                 unit_weights=False, sizes=None):
    """A random kernel problem; returns a dict of the kernel inputs."""
    rng = np.random.default_rng(seed)
    if lwg_shared is None:
        lwg_shared = zb_shared
    if sizes is None:
        J = int(rng.integers(3, 6))
        sizes = rng.integers(1, 5, size=J)
    sizes = np.asarray(sizes, np.int64)
    J = len(sizes)
    INDPTR = np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)
    N = int(INDPTR[-1])
    P = len(fams)

    # channels: outcomes first (nominal uses K - 1), then the class logits
    FAM = np.array([f for f, _ in fams], np.int64)
    NCAT = np.array([k for _, k in fams], np.int64)
    OCH = np.zeros(P, np.int64)
    ch = 0
    for p, (f, k) in enumerate(fams):
        OCH[p] = ch
        ch += k - 1 if f == F.NOMINAL else 1
    V = len(KV)
    KV = np.array(KV, np.int64).reshape(V)
    CHV = np.zeros(V, np.int64)
    for v in range(V):
        CHV[v] = ch
        ch += int(KV[v]) - 1
    CH = max(ch, 1)

    C = int(np.prod(KV)) if V else 1
    CPAT = np.array(list(itertools.product(*[range(int(k)) for k in KV])),
                    np.int64).reshape(C, V)
    DC = D * C

    # monomials over lv = (1, z_b, z_w): all products a <= b, plus one reversed pair
    nlv = 1 + Qb + Qw
    pairs = [(a, b) for a in range(nlv) for b in range(a, nlv)]
    if nlv > 2:
        pairs.append((2, 1))
    MONO = np.array(pairs, np.int64).reshape(-1, 2)
    M = len(MONO)
    within = (MONO >= 1 + Qb).any(axis=1)

    A = 0.3 * rng.standard_normal((1 if a_shared else N, CH, DC, M))
    for v in range(V):  # class logits may not depend on the row nodes
        A[:, CHV[v]:CHV[v] + KV[v] - 1, :, within] = 0.0
    A = np.ascontiguousarray(A)

    KF = max([k - 1 for f, k in fams if f in ORDINALS] + [1])
    FP = np.zeros((max(P, 1), DC, KF))
    for p, (f, k) in enumerate(fams):
        if f == F.NORMAL:
            FP[p, :, 0] = rng.uniform(-0.7, 0.7, DC)
        elif f in ORDINALS:
            steps = rng.uniform(0.3, 1.2, (DC, k - 1))
            FP[p, :, :k - 1] = np.cumsum(steps, axis=1) - 1.2

    Y = np.zeros((N, P))
    T = np.ones((N, P))
    for p, (f, k) in enumerate(fams):
        if f == F.NORMAL:
            Y[:, p] = rng.normal(0.0, 1.5, N)
        elif f in (F.LOGIT, F.PROBIT):
            Y[:, p] = rng.integers(0, 2, N)
        elif f in (F.BINOMIAL_LOGIT, F.BINOMIAL_PROBIT):
            T[:, p] = rng.integers(1, 7, N)
            Y[:, p] = rng.integers(0, T[:, p] + 1)
        elif f == F.POISSON:
            Y[:, p] = rng.integers(0, 5, N)
        elif f == F.TRUNCATED_POISSON:
            Y[:, p] = rng.integers(1, 6, N)
        else:
            Y[:, p] = rng.integers(0, k, N)
    if missing and N * P:
        Y[rng.random((N, P)) < missing] = np.nan
        Y[0, :] = np.nan  # one row with every outcome missing
        if N > 1 and P:
            Y[1, 0] = np.nan

    RW = np.ones(N) if unit_weights else rng.uniform(0.4, 2.5, N)
    CW = np.ones(J) if unit_weights else rng.uniform(0.4, 2.5, J)

    ZB = rng.standard_normal((1 if zb_shared else J, G, Qb))
    LWG = _log_normalise(rng.standard_normal((1 if lwg_shared else J, G)))
    ZH = rng.standard_normal((H, Qw))
    LWH = _log_normalise(rng.standard_normal(H))
    LOGPD = _log_normalise(rng.standard_normal((J, D)))

    prob = dict(A=A, Y=Y, T=T, FP=FP, RW=RW, ZB=ZB, LWG=LWG, ZH=ZH, LWH=LWH, FAM=FAM,
                OCH=OCH, NCAT=NCAT, MONO=MONO, KV=KV, CHV=CHV, CPAT=CPAT, INDPTR=INDPTR,
                LOGPD=LOGPD, CW=CW)
    for key, val in prob.items():
        dt = np.int64 if val.dtype.kind in "iu" else np.float64
        prob[key] = np.ascontiguousarray(val, dtype=dt)
    return prob


def args(prob, **override):
    p = dict(prob, **override)
    return tuple(p[k] for k in ARG_NAMES)


def pass1(mod, prob, **override):
    p = dict(prob, **override)
    N, J, D = p["Y"].shape[0], len(p["INDPTR"]) - 1, p["LOGPD"].shape[1]
    G, H, C = p["ZB"].shape[1], p["ZH"].shape[0], p["A"].shape[2] // D
    ll = np.full(J, np.nan)
    post = np.full((J, D, G), np.nan)
    rowpost = np.full(N * D * G * C * H, np.nan)
    mod.loglik_posterior(*args(p), p["LOGPD"], ll, post, rowpost, 1)
    return ll, post, rowpost


def pass2(mod, prob, post, rowpost, init=0.0, **override):
    p = dict(prob, **override)
    A, FP = p["A"], p["FP"]
    N, J = p["Y"].shape[0], len(p["INDPTR"]) - 1
    S = np.full((N,) + A.shape[1:], float(init))
    GF = np.full((N,) + FP.shape, float(init))
    q = np.full(J, np.nan)
    mod.expected_scores(*args(p), p["CW"], post, rowpost, S, GF, q, 1)
    return S, GF, q


def close(actual, desired, what):
    np.testing.assert_allclose(actual, desired, rtol=RTOL, atol=ATOL, err_msg=what)


def compare(prob, A2=None, FP2=None):
    """Both passes of kernel and oracle; pass 2 optionally at other parameters."""
    kll, kpost, krp = pass1(_estep, prob)
    rll, rpost, rrp = pass1(ref, prob)
    assert np.isfinite(rll).all()
    close(kll, rll, "ll_out")
    close(kpost, rpost, "post_dg_out")
    close(krp, rrp, "rowpost_out")
    over = {}
    if A2 is not None:
        over["A"] = A2
    if FP2 is not None:
        over["FP"] = FP2
    # the same (kernel) posteriors feed both pass-2 implementations
    kS, kG, kq = pass2(_estep, prob, kpost, krp, **over)
    rS, rG, rq = pass2(ref, prob, kpost, krp, **over)
    assert np.isfinite(rq).all()
    close(kq, rq, "q_out")
    close(kS, rS, "S_out")
    close(kG, rG, "GFP_out")
    return rS, rG


# --------------------------------------------------------------------------
# kernel == oracle
# --------------------------------------------------------------------------

@pytest.mark.parametrize("fam", ALL_FAMILIES, ids=FAMILY_IDS)
def test_each_family(fam):
    seed = 100 + ALL_FAMILIES.index(fam)
    prob = make_problem(seed, fams=(fam,))
    S, GF = compare(prob)
    # the family's own channel has nonzero scores
    assert np.abs(S[:, prob["OCH"][0]]).max() > 0
    if fam[0] in (F.NORMAL, *ORDINALS):
        assert np.abs(GF).max() > 0
    else:
        assert not GF.any()


@pytest.mark.parametrize("fam", ALL_FAMILIES, ids=FAMILY_IDS)
def test_each_family_plain(fam):
    """No classes, one between pattern, one random effect, unit weights."""
    seed = 200 + ALL_FAMILIES.index(fam)
    prob = make_problem(seed, fams=(fam,), D=1, KV=(), Qb=1, Qw=0, H=1, G=5,
                        missing=0.0, unit_weights=True)
    compare(prob)


CONFIGS = [
    dict(Qb=1, zb_shared=False, a_shared=False),
    dict(Qb=1, zb_shared=True, a_shared=False),
    dict(Qb=1, zb_shared=False, a_shared=True),
    dict(Qb=1, zb_shared=True, a_shared=True),
    dict(Qb=2, zb_shared=False, a_shared=False),
    dict(Qb=2, zb_shared=True, a_shared=False),
    dict(Qb=2, zb_shared=False, a_shared=True),
    dict(Qb=2, zb_shared=True, a_shared=True),
    dict(Qb=2, zb_shared=True, lwg_shared=False),
    dict(Qb=2, zb_shared=False, lwg_shared=True),
    dict(Qb=2, KV=(3,)),
    dict(Qb=2, KV=(), D=2),
    dict(Qb=1, KV=(2, 3), D=1),
    dict(Qb=2, KV=(2, 2, 2), D=3),
    dict(Qb=0, G=1, KV=(2, 3)),
    dict(Qb=2, Qw=0, H=1),
    dict(Qb=1, H=1),
    dict(Qb=2, G=1),
    dict(Qb=2, missing=0.0, unit_weights=True),
    dict(Qb=2, missing=0.5),
    dict(Qb=1, sizes=[1, 1, 1]),
    dict(Qb=2, sizes=[4, 4, 4, 4, 4]),
]


@pytest.mark.parametrize("cfg", CONFIGS, ids=[str(i) for i in range(len(CONFIGS))])
def test_all_families_configs(cfg):
    prob = make_problem(300 + CONFIGS.index(cfg), **cfg)
    compare(prob)


@pytest.mark.parametrize("a_shared", [False, True])
def test_pass2_at_other_parameters(a_shared):
    """Pass 2 recomputes everything from its own A and FP (posteriors fixed)."""
    prob = make_problem(400 + a_shared, a_shared=a_shared)
    rng = np.random.default_rng(7)
    A2 = np.ascontiguousarray(prob["A"] + 0.05 * rng.standard_normal(prob["A"].shape))
    V = len(prob["KV"])
    within = (prob["MONO"] >= 1 + prob["ZB"].shape[2]).any(axis=1)
    for v in range(V):
        ch0 = prob["CHV"][v]
        A2[:, ch0:ch0 + prob["KV"][v] - 1, :, within] = 0.0
    FP2 = prob["FP"].copy()
    FP2[FP2 != 0] += 0.03
    compare(prob, A2=A2, FP2=FP2)


def test_outputs_accumulate_like_kernel():
    """S_out and GFP_out are added to, q_out is overwritten, in both."""
    prob = make_problem(500)
    kll, kpost, krp = pass1(_estep, prob)
    kS, kG, kq = pass2(_estep, prob, kpost, krp, init=0.75)
    rS, rG, rq = pass2(ref, prob, kpost, krp, init=0.75)
    close(kS, rS, "S_out")
    close(kG, rG, "GFP_out")
    close(kq, rq, "q_out")
    zS, zG, _ = pass2(ref, prob, kpost, krp, init=0.0)
    close(rS, zS + 0.75, "S_out accumulates")


def test_threads_agree():
    prob = make_problem(600, sizes=[3, 1, 4, 2, 2])
    N, J = prob["Y"].shape[0], len(prob["INDPTR"]) - 1
    D, G = prob["LOGPD"].shape[1], prob["ZB"].shape[1]
    C, H = prob["A"].shape[2] // D, prob["ZH"].shape[0]
    ll, post, rp = np.empty(J), np.empty((J, D, G)), np.empty(N * D * G * C * H)
    _estep.loglik_posterior(*args(prob), prob["LOGPD"], ll, post, rp, 3)
    rll, rpost, rrp = pass1(ref, prob)
    close(ll, rll, "ll_out")
    close(post, rpost, "post_dg_out")
    close(rp, rrp, "rowpost_out")
    S = np.zeros((N,) + prob["A"].shape[1:])
    GF = np.zeros((N,) + prob["FP"].shape)
    q = np.empty(J)
    _estep.expected_scores(*args(prob), prob["CW"], post, rp, S, GF, q, 3)
    rS, rG, rq = pass2(ref, prob, rpost, rrp)
    close(q, rq, "q_out")
    close(S, rS, "S_out")
    close(GF, rG, "GFP_out")


# --------------------------------------------------------------------------
# the oracle on its own: posteriors normalised, Fisher's identity
# --------------------------------------------------------------------------

def test_oracle_posteriors_normalised():
    prob = make_problem(700)
    ll, post, rp = pass1(ref, prob)
    N, D = prob["Y"].shape[0], prob["LOGPD"].shape[1]
    G, H, C = prob["ZB"].shape[1], prob["ZH"].shape[0], prob["A"].shape[2] // D
    np.testing.assert_allclose(post.sum(axis=(1, 2)), 1.0, rtol=1e-13)
    np.testing.assert_allclose(rp.reshape(N, D, G, C * H).sum(-1), 1.0, rtol=1e-13)


@pytest.mark.parametrize("seed,cfg", [
    (800, dict(a_shared=False)),
    (801, dict(a_shared=True, Qb=1)),
    (802, dict(fams=(NOMINAL, ORD_PROBIT, NORMAL), KV=(3, 2), D=2)),
])
def test_oracle_fisher_identity(seed, cfg):
    """sum_i S . dA + sum_i GFP . dFP = d/dt sum_j CW_j ll_j(A + t dA, FP + t dFP)."""
    prob = make_problem(seed, **cfg)
    rng = np.random.default_rng(seed)
    _, post, rp = pass1(ref, prob)
    S, GF, _ = pass2(ref, prob, post, rp)
    CW = prob["CW"]

    def total(A, FP):
        ll, _, _ = pass1(ref, prob, A=A, FP=FP)
        return np.dot(CW, ll)

    for _ in range(2):
        dA = rng.standard_normal(prob["A"].shape)
        dFP = rng.standard_normal(prob["FP"].shape)
        if prob["A"].shape[0] == 1:
            analytic = np.sum(S.sum(axis=0) * dA[0])
        else:
            analytic = np.sum(S * dA)
        analytic += np.sum(GF.sum(axis=0) * dFP)
        eps = 1e-6
        fd = (total(prob["A"] + eps * dA, prob["FP"] + eps * dFP)
              - total(prob["A"] - eps * dA, prob["FP"] - eps * dFP)) / (2 * eps)
        np.testing.assert_allclose(analytic, fd, rtol=1e-6, atol=1e-6)


# --------------------------------------------------------------------------
# the fused sweep (loglik_and_scores) == pass 1 then pass 2
# --------------------------------------------------------------------------

@pytest.mark.parametrize("cfg", CONFIGS, ids=[str(i) for i in range(len(CONFIGS))])
def test_fused_sweep_equals_two_passes(cfg):
    prob = make_problem(500 + CONFIGS.index(cfg), **cfg)
    ll, post, rowpost = pass1(_estep, prob)
    S, GF, q = pass2(_estep, prob, post, rowpost)
    N, J, D = prob["Y"].shape[0], len(prob["INDPTR"]) - 1, prob["LOGPD"].shape[1]
    G, H, C = prob["ZB"].shape[1], prob["ZH"].shape[0], prob["A"].shape[2] // D
    fll, fpost = np.full(J, np.nan), np.full((J, D, G), np.nan)
    frp = np.full(N * D * G * C * H, np.nan)
    fS = np.zeros((N,) + prob["A"].shape[1:])
    fG = np.zeros((N,) + prob["FP"].shape)
    fq = np.full(J, np.nan)
    _estep.loglik_and_scores(*args(prob), prob["LOGPD"], prob["CW"], fll, fpost, frp, fS,
                             fG, fq, 2)
    close(fll, ll, "ll_out")
    close(fpost, post, "post_dg_out")
    close(frp, rowpost, "rowpost_out")
    close(fq, q, "q_out")
    close(fS, S, "S_out")
    close(fG, GF, "GFP_out")
