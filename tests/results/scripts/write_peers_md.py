"""Write benchmarks/peers.md: the fit times of peer software recorded in the results modules.

Run from the repository root after the write_*.py scripts. Every dict with a "seconds" entry becomes a row.
Generator helper only; tests never import it.
"""
import importlib
import os
import sys

sys.path.insert(0, "tests/results")
sys.path.insert(0, os.path.dirname(__file__))
import reflib  # noqa: E402

MODULES = ["results_glmm_contraception", "results_glmm_cbpp", "results_glmm_verbagg", "results_glmm_sim_var16",
           "results_lca_carcinoma", "results_lca_dentistry", "results_irt_lsat7", "results_irt_sim2pl",
           "results_irt_mixture", "results_lta_srhs", "results_lta_addhealth"]


def fmt(x):
    return "" if x is None else (f"{x:.3g}" if x < 10 else f"{x:.0f}")


rows = []
for name in MODULES:
    try:
        mod = importlib.import_module(name)
    except ImportError:
        continue
    for key, val in vars(mod).items():
        if not isinstance(val, dict) or "seconds" not in val or not isinstance(val["seconds"], dict):
            continue
        s = val["seconds"]
        sw = str(val.get("software", "")).split(" (")[0]
        n = len(s.get("wall") or [])
        rows.append(f"| `{name[8:]}` | `{key}` | {sw} | {fmt(s.get('wall_median'))} | {n} | {fmt(s.get('cpu_median'))} | "
                    f"{val.get('loglike', ''):.6f} |" if isinstance(val.get("loglike"), float) else
                    f"| `{name[8:]}` | `{key}` | {sw} | {fmt(s.get('wall_median'))} | {n} | {fmt(s.get('cpu_median'))} | |")
    extra = getattr(mod, "lme4_fit_seconds", None)
    if extra:
        for key, s in extra.items():
            rows.append(f"| `{name[8:]}` | lme4 `{key}` | R lme4 | {fmt(s['wall_median'])} | {len(s['wall'])} | {fmt(s.get('cpu_median'))} | |")

text = f"""# Peer software fit times

Measured {reflib.DATE} on the project machine (2 cores, 24 GiB), by the generator scripts in
`tests/results/scripts/` (see tests/results/README.md). Each fit was timed in the program itself (R
`proc.time()` around the fitting call; Python `time.perf_counter()` for girth): the data were already
read, and nothing else (printing, SEs computed afterwards) is included unless the call computes it
(mirt with `SE = TRUE`, GLMMadaptive's Hessian, poLCA's `calc.se`).

**Read the CPU column.** The machine was shared with several developers' test runs while these were
measured (load average 10 to 25 on two cores), so the wall times are inflated, often 10-40x, and vary from
run to run. CPU time (user + system of the R process) is what the fit costs on an idle core: quote that,
or rerun the generator on an idle machine for wall times. `wall` is the median of `runs` runs (3 where
the first took under a minute of wall time and 10 s of CPU, else 1). Fits named `*_tight`, or without a
suffix where a `*_default` exists, use tightened convergence criteria for the reference numbers: time the
`*_default` (the software's own defaults) when comparing speed. All R peers are single-threaded here; girth's CPU time was not
recorded (its wall time is under the same load).

| module | fit | software | wall s (median) | runs | CPU s (median) | loglike |
| --- | --- | --- | --- | --- | --- | --- |
""" + "\n".join(rows) + "\n"
with open("benchmarks/peers.md", "w") as fh:
    fh.write(text)
print(len(rows), "rows")
