"""The random-effect sweep (``_estep.re_loglik_and_scores``) against the numpy oracle.

Models without classes and without row-level nodes have one cell per row and
cluster node; the kernel then runs a sweep of its own (``_random_effects.pxi``).
Its log-likelihoods, posteriors and scores must equal the oracle's
(``mixlevel._kernels._reference``: pass 1, then pass 2 at the same parameters)
for every family it takes, with shared or per-cluster nodes, row-varying or
shared design arrays, missing outcomes, weights and 1 or 2 threads.
"""

from __future__ import annotations

import numpy as np
import pytest

from mixlevel._kernels import _reference as ref
from mixlevel.families import FamilyCode as F
from tests.test_kernel_oracle import ALL_FAMILIES, FAMILY_IDS, NOMINAL, close, make_problem, pass1

try:
    from mixlevel._kernels import _estep
except ImportError:  # pragma: no cover - the extension must be built
    _estep = None

pytestmark = pytest.mark.skipif(_estep is None, reason="compiled kernel not built")

FAMILIES = [f for f in ALL_FAMILIES if f != NOMINAL]
IDS = [i for f, i in zip(ALL_FAMILIES, FAMILY_IDS, strict=True) if f != NOMINAL]
ARGS = ("A", "Y", "T", "FP", "RW", "ZB", "LWG", "ZH", "LWH", "FAM", "OCH", "NCAT", "MONO",
        "KV", "CHV", "CPAT", "INDPTR")


def plain(seed, fams, **kw):
    """A problem the random-effect sweep takes: D = C = H = 1, no row nodes."""
    opts = dict(D=1, KV=(), Qw=0, H=1, G=6, Qb=2)
    opts.update(kw)
    return make_problem(seed, fams=fams, **opts)


def sweep(prob, threads=1, want_scores=True, store_rowpost=True):
    N, J = prob["Y"].shape[0], len(prob["INDPTR"]) - 1
    G = prob["ZB"].shape[1]
    ll, post = np.full(J, np.nan), np.full((J, 1, G), np.nan)
    rp = np.full(N * G if store_rowpost else 0, np.nan)
    S = np.zeros((N,) + prob["A"].shape[1:])
    GF = np.zeros((N,) + prob["FP"].shape)
    q = np.full(J, np.nan)
    _estep.re_loglik_and_scores(*(prob[k] for k in ARGS), prob["LOGPD"], prob["CW"], ll, post,
                                rp, S, GF, q, num_threads=threads, want_scores=want_scores)
    return ll, post, rp, S, GF, q


def check(prob, threads=1):
    rll, rpost, rrp = pass1(ref, prob)
    assert np.isfinite(rll).all()
    N, J = prob["Y"].shape[0], len(prob["INDPTR"]) - 1
    rS = np.zeros((N,) + prob["A"].shape[1:])
    rG = np.zeros((N,) + prob["FP"].shape)
    rq = np.full(J, np.nan)
    ref.expected_scores(*(prob[k] for k in ARGS), prob["CW"], rpost, rrp, rS, rG, rq, 1)
    ll, post, rp, S, GF, q = sweep(prob, threads)
    close(ll, rll, "ll_out")
    close(post, rpost, "post_dg_out")
    close(rp, rrp, "rowpost_out")
    close(q, rq, "q_out")
    close(S, rS, "S_out")
    close(GF, rG, "GFP_out")
    # without scores or stored row posteriors: the same likelihood and posteriors
    ll2, post2, _, S2, _, _ = sweep(prob, threads, want_scores=False, store_rowpost=False)
    close(ll2, rll, "ll_out without scores")
    close(post2, rpost, "post_dg_out without scores")
    assert not S2.any()
    return S, GF


@pytest.mark.parametrize("fam", FAMILIES, ids=IDS)
def test_each_family(fam):
    S, GF = check(plain(800 + FAMILIES.index(fam), (fam,)))
    assert np.abs(S).max() > 0
    assert (np.abs(GF).max() > 0) == (fam[0] in (F.NORMAL, F.ORDINAL_LOGIT, F.ORDINAL_PROBIT))


CONFIGS = [
    dict(Qb=1),
    dict(Qb=2, zb_shared=True),
    dict(Qb=2, a_shared=True),
    dict(Qb=3, G=4, zb_shared=False, lwg_shared=True),
    dict(Qb=0, G=1),
    dict(Qb=2, missing=0.0, unit_weights=True),
    dict(Qb=2, missing=0.5, sizes=[1, 7, 3, 1, 5]),
]


@pytest.mark.parametrize("cfg", CONFIGS, ids=[str(i) for i in range(len(CONFIGS))])
@pytest.mark.parametrize("threads", [1, 2])
def test_all_families_configs(cfg, threads):
    check(plain(900 + CONFIGS.index(cfg), tuple(FAMILIES), **cfg), threads)


def test_refuses_what_it_does_not_compute():
    """Classes, row nodes or a nominal outcome: a clear error, never a wrong number."""
    assert not _estep.random_effects_applies(np.array([F.NOMINAL], np.int64), 1, 1, 1, 0,
                                             False)
    assert not _estep.random_effects_applies(np.array([F.LOGIT], np.int64), 2, 2, 1, 0, False)
    assert not _estep.random_effects_applies(np.array([F.LOGIT], np.int64), 1, 1, 3, 0, False)
    assert not _estep.random_effects_applies(np.array([F.LOGIT], np.int64), 1, 1, 1, 0, True)
    prob = make_problem(950, fams=(NOMINAL,), D=1, KV=(), Qw=0, H=1)
    with pytest.raises(ValueError, match="use loglik_and_scores"):
        sweep(prob)
