"""The forward-backward kernel of latent Markov chains (mixlevel._kernels._chain) alone.

One E-step of a latent Markov model the size of the self-rated-health data
(7,074 people, 8 waves, time-homogeneous transitions) for K = 2, 3, 4 classes:
log-likelihoods and the posteriors summed over rows (what a homogeneous model
without covariates needs), random inputs.  ``cells_per_second`` counts rows x
waves x K^2 transition cells.  The enumerating engine needs K^8 joint class
patterns for the same E-step; the peer column quotes LMest's complete fits
(basic model, start = 0, tol = 1e-10) on this machine while it was shared by
other jobs (load about 20), so they are rough: benchmarks/peers.md, where
present, has the proper peer timings.
"""

import numpy as np
from _harness import make_result, timeit
from scipy.special import log_softmax

from mixlevel._kernels import _chain

N, T = 7074, 8
LMEST = {2: "LMest fit 51 s (-71335.56)", 3: "LMest fit 111 s (-66571.83)", 4: ""}


def bench_chain_estep():
    rows = []
    rng = np.random.default_rng(0)
    for K in (2, 3, 4):
        E = rng.normal(size=(N, 1, T, K)) - 1.0
        P0 = log_softmax(rng.normal(size=(1, 1, K)), axis=-1)
        P = log_softmax(rng.normal(size=(1, 1, 1, K, K)), axis=-1)
        w = np.ones((N, 1))
        seconds, out = timeit(lambda E=E, P0=P0, P=P, w=w: _chain.forward_backward(
            E, P0, P, weight=w, reduce="total", num_threads=2), repeat=5)
        rows.append(make_result(
            name=f"chain E-step srhs size, K={K}", seconds=seconds,
            loglik=float(out["ll"].sum()), cells_per_second=N * T * K * K / seconds,
            peer=LMEST[K], aim_seconds=0.05))
    return rows
