"""Choosing the number of classes: fit K = 1, 2, ... and compare (class enumeration).

>>> enum = mixlevel.enumerate_classes("u1 + u2 + u3 + u4 ~ c", df, classes="c",
...                                   k=range(1, 6), family="binary")   # doctest: +SKIP
>>> enum.table                                                           # doctest: +SKIP
>>> enum.plot()                                                          # doctest: +SKIP

Every K is fitted with random starts that grow with K (``starts="scaled"``:
``(10 K, 2 K)``, at least Mplus's default ``(20, 4)``), and the table gives,
per K, what Mplus prints for a class enumeration (Nylund, Asparouhov & Muthen
2007): the log-likelihood, number of parameters, AIC, BIC, the sample-size
adjusted BIC (``n* = (n + 2) / 24``), the relative entropy, the smallest
class (share and count, from the posterior probabilities), how many
final-stage starts reached the best log-likelihood, and the tests of K - 1
against K classes: the Vuong-Lo-Mendell-Rubin and adjusted LMR tests
(:func:`~mixlevel.inference.lmr.lmr_test`, Mplus TECH11) and, on request, the
parametric bootstrap LRT (:func:`~mixlevel.inference.blrt.bootstrap_lrt`,
TECH14).

The enumerated class variable may be a within class (``level="within"``) or
a between class (``level="between"``: one class per cluster; the tests then
count clusters), and other class variables keep a fixed number of classes
(``other_classes={"c": 3}``, e.g. the within classes of a multilevel latent
class model while the between classes are enumerated).
"""

from __future__ import annotations

import time
import warnings

import numpy as np
import pandas as pd

from ..errors import EstimationWarning, SpecificationError
from ..utils.warn import warn_user
from .blrt import ModelBuilder, bootstrap_lrt
from .lmr import lmr_test, unit_weights

__all__ = ["enumerate_classes", "ClassEnumeration", "scaled_starts", "lmr_test",
           "bootstrap_lrt"]


def scaled_starts(k):
    """Random starts for K classes: ``(10 K, 2 K)``, at least ``(20, 4)``; none for K = 1."""
    if k <= 1:
        return None
    return (max(20, 10 * k), max(4, 2 * k))


def _starts_for(starts, k):
    if isinstance(starts, str):
        if starts != "scaled":
            raise ValueError("starts must be 'scaled', a tuple (n_initial, n_final) or a "
                             "function of K")
        return scaled_starts(k)
    if callable(starts):
        return starts(k)
    return None if k <= 1 else tuple(starts)


def _class_shares(res, name, level, weights):
    """Posterior class shares and counts of the class variable ``name``."""
    r = getattr(res, "_results", res)
    if level == "between":
        post = r.posterior(level="cluster", variable=name).to_numpy()
        w = unit_weights(r)
    else:
        post = r.posterior(level="row", variable=name).to_numpy()
        data = r.model.formula.data
        w = (data[weights].to_numpy(float) if isinstance(weights, str)
             else np.ones(len(post)) if weights is None else np.asarray(weights, float))
    counts = w @ post
    return counts / counts.sum(), counts


class ClassEnumeration:
    """Fits of K classes side by side; built by :func:`enumerate_classes`.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per K (index ``classes``): ``loglike``, ``n_params``,
        ``aic``, ``bic``, ``abic``, ``entropy``, ``smallest_share``,
        ``smallest_n`` (posterior count: rows, or clusters for a between
        class), ``replicated`` and ``n_final`` (final-stage starts reaching
        the best log-likelihood, of how many), ``lr`` (2 x the gain over
        K - 1), ``lmr_pvalue`` (VLMR), ``lmr_adj_pvalue`` (adjusted LMR),
        ``blrt_pvalue`` and ``blrt_draws`` (bootstrap LRT, when requested),
        ``seconds`` (fit time) and ``note`` (warnings of the fit and tests).
    results : dict
        ``{K: MixtureResults}``.
    lmr : dict
        ``{K: Series}`` from :func:`~mixlevel.inference.lmr.lmr_test` of K - 1 against K.
    bootstrap : dict
        ``{K: BootstrapLRT}`` of K - 1 against K (when requested).
    variable, level : str
        The enumerated class variable and its level.
    """

    def __init__(self, table, results, lmr, bootstrap, variable, level):
        self.table, self.results = table, results
        self.lmr, self.bootstrap = lmr, bootstrap
        self.variable, self.level = variable, level

    def __getitem__(self, k):
        return self.results[k]

    def best(self, criterion="bic"):
        """The K with the smallest ``criterion`` ("aic", "bic" or "abic")."""
        if criterion not in ("aic", "bic", "abic"):
            raise ValueError("criterion must be 'aic', 'bic' or 'abic'")
        return int(self.table[criterion].idxmin())

    def plot(self, **kwargs):
        """Information criteria and log-likelihood against K (see
        :func:`mixlevel.graphics.enumeration.plot_enumeration`)."""
        from ..graphics.enumeration import plot_enumeration

        return plot_enumeration(self, **kwargs)

    def summary(self, digits=3):
        """The table as text (numbers rounded, notes listed below)."""
        cols = [c for c in self.table.columns if c not in ("note", "seconds")]
        text = self.table[cols].round(digits).to_string()
        notes = [f"  K={k}: {n}" for k, n in self.table["note"].items() if n]
        head = (f"Class enumeration of {self.variable!r} ({self.level} level); "
                f"best BIC at K={self.best('bic')}")
        return "\n".join([head, text] + (["notes:"] + notes if notes else []))

    def __repr__(self):
        return self.summary()


def enumerate_classes(formula, data, classes="c", k=range(1, 7), *, level="within",
                      other_classes=None, starts="scaled", lmr=True, bootstrap=False,
                      bootstrap_kw=None, fit_kw=None, seed=0, n_jobs=1, progress=None,
                      context=None, **mixture_kw):
    """Fit the model with K = 1, 2, ... classes and tabulate what decides K.

    Parameters
    ----------
    formula : str
        The model, as for :func:`mixlevel.mixture`, with the class variable
        ``classes`` in it (``"u1 + u2 + u3 ~ c"``).
    data : pandas.DataFrame
    classes : str
        Name of the class variable whose number of classes is enumerated.
    k : iterable of int
        The numbers of classes to fit (default 1 to 6).
    level : {"within", "between"}
        Level of the enumerated class variable.
    other_classes : dict, optional
        Other class variables with their fixed number of classes, as
        ``classes=`` of :func:`mixlevel.mixture` (``{"c": 3}``).
    starts : "scaled", (int, int) or callable
        Random starts per K: ``"scaled"`` gives :func:`scaled_starts`; a
        tuple is used for every K > 1; a callable maps K to a tuple.
    lmr : bool
        Compute the VLMR and adjusted LMR tests of K - 1 against K.
    bootstrap : bool or int
        Run the bootstrap LRT of K - 1 against K (``True``: up to 100 draws
        with the sequential stopping rule; an int: that many draws at most).
        Costly: each draw fits both models.
    bootstrap_kw : dict, optional
        More options of :func:`~mixlevel.inference.blrt.bootstrap_lrt`
        (``starts``, ``sequential``, ``alpha``, ...).
    fit_kw : dict, optional
        Passed to ``fit`` (``maxiter``, ``gtol``, ``em_iter``, ``cov_type``, ...).
    seed : int
        Seed of the random starts and the bootstrap.
    n_jobs : int
        Parallel random starts and bootstrap draws (joblib).
    progress : bool, optional
        Progress bar of the bootstrap draws (default: on a terminal only).
    context : mapping, optional
        Namespace for functions in the formula; default: the caller's.
    **mixture_kw
        Options of :func:`mixlevel.mixture` (``family``, ``cluster``,
        ``weights``, ``fix``, ``n_points``, ...).

    Returns
    -------
    ClassEnumeration

    Examples
    --------
    >>> enum = ml.enumerate_classes("A + B + C + D + E + F + G ~ c", df, classes="c",
    ...                             k=range(1, 5), family="binary")    # doctest: +SKIP
    >>> enum.best("bic")                                              # doctest: +SKIP
    3
    """
    from ..api import _capture
    from ..formula.compile import Between
    from ..simulation.simulate import slim_context

    if level not in ("within", "between"):
        raise ValueError("level must be 'within' or 'between'")
    if not isinstance(classes, str):
        raise SpecificationError("classes= names the class variable to enumerate, e.g. "
                                 "classes='c'; give the others with other_classes={'d': 2}")
    ks = sorted({int(v) for v in k})
    if not ks or ks[0] < 1:
        raise ValueError("k must hold numbers of classes >= 1, e.g. range(1, 7)")
    others = dict(other_classes or {})
    if classes in others:
        raise SpecificationError(f"{classes!r} is both enumerated and in other_classes")
    ctx = slim_context(_capture(context, 1), formula)
    base = ModelBuilder(formula, {}, dict(mixture_kw, context=ctx))
    fit_kw = dict(fit_kw or {})

    def builder(n):
        return base.with_classes({**others, classes: Between(n) if level == "between" else n})

    results, lmr_out, boot_out, rows = {}, {}, {}, []
    for n in ks:
        t0 = time.perf_counter()
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", UserWarning)
            model = builder(n).build(data)
            res = model.fit(starts=_starts_for(starts, n), seed=seed, n_jobs=n_jobs,
                            progress=False, **fit_kw)
        results[n] = res
        notes = [str(w.message) for w in caught]
        share, count = _class_shares(res, classes, level, mixture_kw.get("weights"))
        st = res.start_table
        n_final = int((st["stage"] == "final").sum()) if "stage" in st.columns else 0
        row = {"classes": n, "loglike": res.llf, "n_params": res.k_params, "aic": res.aic,
               "bic": res.bic, "abic": res.abic, "entropy": res.entropy,
               "smallest_share": float(share.min()), "smallest_n": float(count.min()),
               "replicated": res.best_loglike_replicated if n_final else np.nan,
               "n_final": n_final if n_final else np.nan, "lr": np.nan,
               "lmr_pvalue": np.nan, "lmr_adj_pvalue": np.nan, "blrt_pvalue": np.nan,
               "blrt_draws": np.nan, "seconds": time.perf_counter() - t0}
        if n - 1 in results:
            prev = results[n - 1]
            row["lr"] = 2.0 * (res.llf - prev.llf)
            if lmr:
                with warnings.catch_warnings(record=True) as caught:
                    warnings.simplefilter("always", UserWarning)
                    test = lmr_test(prev, res)
                lmr_out[n] = test
                row["lmr_pvalue"] = test["pvalue"]
                row["lmr_adj_pvalue"] = test["pvalue_adjusted"]
                notes += [f"LMR: {test['note']}"] if test["note"] else []
                notes += [str(w.message) for w in caught]
            if bootstrap:
                kw = dict(bootstrap_kw or {})
                if not isinstance(bootstrap, bool):
                    kw.setdefault("max_draws", int(bootstrap))
                with warnings.catch_warnings(record=True) as caught:
                    warnings.simplefilter("always", UserWarning)
                    boot = bootstrap_lrt(prev, res, builders=(builder(n - 1), builder(n)),
                                         seed=[int(seed), n], n_jobs=n_jobs,
                                         progress=progress, fit_kw=fit_kw, **kw)
                boot_out[n] = boot
                row["blrt_pvalue"], row["blrt_draws"] = boot.pvalue, boot.n_draws
                notes += [f"BLRT: {w.message}" for w in caught]
        row["note"] = "; ".join(dict.fromkeys(notes))
        rows.append(row)
    table = pd.DataFrame(rows).set_index("classes")
    lonely = [n for n in ks if table.loc[n, "replicated"] == 1]
    if lonely:
        warn_user(
            f"the best log-likelihood of K = {', '.join(map(str, lonely))} was reached by "
            "one final-stage start only: it may be a local maximum, and the tests that use "
            "it are then wrong; use more random starts (starts=(n_initial, n_final))",
            EstimationWarning)
    return ClassEnumeration(table, results, lmr_out, boot_out, classes, level)
