"""The peer-comparison models written with the hand-built specification API.

Shared by the peer, inference and results tests so each model is spelled once.
Integration settings are passed through to :class:`MixtureModel`.
"""

from pathlib import Path

import pandas as pd

from mixlevel.model import MixtureModel
from mixlevel.spec import ModelSpec

DATA = Path(__file__).parent / "data"


def lca_spec(items, k, family="binary"):
    """Latent class analysis: class-specific item intercepts and class logits."""
    spec = ModelSpec()
    spec.add_class("c", k)
    for it in items:
        spec.add_outcome(it, family)
        spec.add_term(it, by=["c"])
    spec.add_term("c")
    return spec


def cbpp_model(**kw):
    """cbind(incidence, size - incidence) ~ period + (1 | herd), binomial."""
    df = pd.read_csv(DATA / "cbpp.csv")
    spec = ModelSpec()
    spec.add_outcome("incidence", "binomial", trials="size")
    spec.add_term("incidence")
    for k in (2, 3, 4):
        df[f"period{k}"] = (df["period"] == k).astype(float)
        spec.add_term("incidence", f"period{k}")
    spec.add_block("herd", ["1|herd"])
    spec.add_term("incidence", latent="1|herd")
    return MixtureModel(spec, df, cluster="herd", **kw)


def sleepstudy_model(**kw):
    """Reaction ~ Days + (Days | Subject), normal."""
    df = pd.read_csv(DATA / "sleepstudy.csv")
    spec = ModelSpec()
    spec.add_outcome("Reaction", "normal")
    spec.add_term("Reaction")
    spec.add_term("Reaction", "Days")
    spec.add_block("Subject", ["1|Subject", "Days|Subject"])
    spec.add_term("Reaction", latent="1|Subject")
    spec.add_term("Reaction", "Days", latent="Days|Subject")
    return MixtureModel(spec, df, cluster="Subject", **kw)


def lsat7_model(data=None, **kw):
    """2PL IRT on LSAT7: one standard-normal factor, free loadings and intercepts.

    ``data`` replaces the raw rows (e.g. by response patterns with counts).
    """
    df = pd.read_csv(DATA / "lsat7.csv") if data is None else data
    spec = ModelSpec()
    spec.add_block("theta", ["theta"], covariance="identity")
    for it in [c for c in df.columns if c.startswith("item")]:
        spec.add_outcome(it, "binary")
        spec.add_term(it)
        spec.add_term(it, latent="theta")
    return MixtureModel(spec, df, **kw)
