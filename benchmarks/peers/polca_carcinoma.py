# polca (PyPI, pypolca) on carcinoma, 10 random starts, timed in Python:
# /opt/peers/venv/bin/python benchmarks/peers/polca_carcinoma.py tests/data/carcinoma.csv [repeat]
# (benchmarks/bench_engine.py runs it beside mixlevel's fit)
import sys
import time
from importlib.metadata import version

import polars as pl
import pypolca

df = pl.read_csv(sys.argv[1])
for _ in range(int(sys.argv[2]) if len(sys.argv) > 2 else 3):
    c0, t0 = time.process_time(), time.perf_counter()
    res = pypolca.fit("cbind(A, B, C, D, E, F, G) ~ 1", df, nclass=2, nrep=10, seed=1)
    c, w = time.process_time() - c0, time.perf_counter() - t0
    print(f"polca {version('polca')} nrep=10: cpu {c:.3f} wall {w:.3f} loglik {res.loglik}")
