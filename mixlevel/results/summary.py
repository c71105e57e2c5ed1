"""The text summary of a fitted model (statsmodels' Summary), and its tables."""

from __future__ import annotations

import numpy as np
import pandas as pd
from statsmodels.iolib.summary import Summary, summary_params
from statsmodels.iolib.table import SimpleTable
from statsmodels.iolib.tableformatting import fmt_params

from ..estimation import diagnostics
from .classes import _label

__all__ = ["MixtureSummary", "SummaryMixin", "SUMMARY_WIDTH"]

#: Width (characters) that the text summary never exceeds.
SUMMARY_WIDTH = 100


def _fmt(x, prec=3):
    if x is None or not np.isfinite(x):
        return "-"
    return f"{x:.{prec}f}"


def _latex_escape(text):
    """``text`` with LaTeX's special characters escaped (for table titles)."""
    for ch in "&%$#_{}":
        text = text.replace(ch, "\\" + ch)
    return text.replace("~", r"\textasciitilde{}").replace("^", r"\textasciicircum{}")


class MixtureSummary(Summary):
    """A statsmodels :class:`~statsmodels.iolib.summary.Summary` whose text form has
    tables of one common width (at most ``SUMMARY_WIDTH`` = 100 characters)."""

    def as_text(self):
        rendered = [(str(t).split("\n"), bool(getattr(t, "title", None)))
                    for t in self.tables]

        def is_rule(s):
            s = s.strip()
            return bool(s) and set(s) <= set("=-")

        width = max([len(ln.rstrip()) if not (i == 0 and titled) else len(ln.strip())
                     for lines, titled in rendered for i, ln in enumerate(lines)
                     if not is_rule(ln)] + [60])
        width = min(width, SUMMARY_WIDTH)
        out = []
        for k, (lines, titled) in enumerate(rendered):
            if k < len(rendered) - 1:
                lines = lines[:-1]  # as statsmodels: the next table's top rule follows
            for i, ln in enumerate(lines):
                s = ln.rstrip()
                if is_rule(s):
                    out.append(s.strip()[0] * width)
                elif i == 0 and titled:
                    out.append(s.strip().center(width).rstrip())
                else:
                    out.append(s)
        txt = "\n".join(out)
        if self.extra_txt is not None:
            txt = txt + "\n" + self.extra_txt
        return txt

    def as_latex(self):
        """The tables as LaTeX, one ``tabular`` each under its bold title, then the notes.

        (statsmodels merges all tables into one tabular, which fails when the
        tables have different numbers of columns, as here.)
        """
        parts = []
        for t in self.tables:
            title = getattr(t, "title", None)
            head = f"\\noindent\\textbf{{{_latex_escape(title)}}}\n" if title else ""
            parts.append(head + t.as_latex_tabular())
        latex = "\n\n".join(parts)
        if self.extra_txt is not None:
            latex = latex + "\n\n" + self.extra_txt.replace("\n", " \\newline\n ")
        return latex

    def __str__(self):
        return self.as_text()

    def __repr__(self):
        return self.as_text()


def _title_table(title, data, headers, stubs, stub_width=None):
    """A SimpleTable in the parameter-table style."""
    if stub_width is not None:
        stubs = [s.ljust(stub_width) for s in stubs]
    tab = SimpleTable(data, headers, stubs, title=title, txt_fmt=fmt_params)
    return tab


def _wide_tables(title, data, headers, stubs, stub_width, cell_width=15):
    """Tables of ``data`` split into blocks of columns that fit in SUMMARY_WIDTH."""
    per = max(1, (SUMMARY_WIDTH - stub_width - 4) // cell_width)
    out = []
    for k in range(0, len(headers), per):
        part = [row[k:k + per] for row in data]
        t = title if k == 0 else f"{title} (continued)"
        out.append(_title_table(t, part, headers[k:k + per], stubs, stub_width))
    return out


class SummaryMixin:
    """:meth:`summary` and the tables it is made of."""

    def _notes(self):
        notes = [self.cov_type_text()]
        params = np.asarray(self.params, float)
        if not self.converged:
            notes.append("The optimiser did not converge; raise maxiter or check the model.")
        if not self.hessian_ok:
            msg = diagnostics.singular_information_message(
                self.model, params, self._compute_information()["hessian"])
            notes.append(msg[0].upper() + msg[1:] + ".")
        notes.extend(m[0].upper() + m[1:] + "." for m in
                     diagnostics.fit_problems(self.model, params))
        rep = self.best_loglike_replicated
        nfin = self._final_starts().shape[0]
        if rep is not None and nfin > 1 and rep < 2:
            notes.append(f"WARNING: the best log-likelihood was reached by only 1 of {nfin} "
                         "final-stage starts; it may be a local maximum: use more starts.")
        if self.model.spec.classes:
            props = self.class_proportions_table(joint=self._joint_patterns_shown)
            small = props[props["model"] < 0.01]
            for lab, row in small.iterrows():
                notes.append(f"Class pattern {lab} has a model proportion of "
                             f"{row['model']:.4f}: the class may be empty.")
        info = self.parameter_info
        values = dict(zip(self.model.param_names, np.asarray(self.params), strict=True))
        boundary = set(self.boundary_params)  # reported by cov_type_text()
        extreme = [n for n in self.model.param_names if n not in boundary
                   and info.loc[n, "kind"] == "coef"
                   and info.loc[n, "section"] == "outcome" and abs(values[n]) >= 15
                   and self._logit_outcome(info.loc[n, "equation"])]
        if extreme:
            shown = ", ".join(extreme[:6]) + (", ..." if len(extreme) > 6 else "")
            notes.append(f"{len(extreme)} logit(s) at an extreme value (|x| >= 15: a "
                         f"probability of 0 or 1 within a class): {shown}; their standard "
                         "errors are not meaningful.")
        for n in diagnostics.boundary_variances(self.model, params):
            notes.append(f"{n} is near its boundary (0); its test is not standard.")
        check = getattr(self, "integration_check", None)
        if check is not None:
            if check.ok:
                notes.append(f"Integration check: re-evaluated with {check.rule}, the "
                             f"log-likelihood changes by {check.difference:+.2g} and no "
                             f"estimate moves by more than {check.shift:.2g} SE.")
            else:
                notes.append(f"WARNING: numerical integration may be inaccurate: "
                             f"{check.advice()}.")
        return notes

    def _integration_text(self):
        check = getattr(self, "integration_check", None)
        if check is None:
            return "-"
        flag = "" if check.ok else " (!)"
        return f"dLL {check.difference:+.2g}, {check.shift:.2g} SE{flag}"

    def _logit_outcome(self, name):
        spec = self.model.spec
        if name not in spec.outcome_names:
            return False
        return spec.outcomes[spec.outcome_names.index(name)].family.mean_scale == "probability"

    def _top_table(self, title):
        model = self.model
        spec = model.spec
        meta = self._meta
        outs = spec.outcome_names
        out_txt = ", ".join(outs)
        if len(out_txt) > 32:
            tail = f", ... ({len(outs)})"
            shown = []
            for o in outs:
                if len(", ".join(shown + [o])) + len(tail) > 32:
                    break
                shown.append(o)
            out_txt = ", ".join(shown) + tail if shown else f"{len(outs)} outcomes"
        fams = {}
        for o in spec.outcomes:
            key = o.family.name + ("" if o.family.link in ("identity", "logit", "log",
                                                           "mlogit") else f" {o.family.link}")
            fams[key] = fams.get(key, 0) + 1
        fam_txt = ", ".join(f"{k} ({v})" if len(fams) > 1 else k for k, v in fams.items())
        cls_txt = "; ".join(f"{c.name}: {c.n_classes} {c.level}" for c in
                            spec.between_classes + spec.within_classes) or "none"
        sizes = meta["cluster_sizes"]
        if model.cluster is None:
            size_txt = "-"
        else:
            size_txt = f"{sizes.min()} / {sizes.mean():.1f} / {sizes.max()}"
        rule = model.engine.rule
        kl = model.engine.kl
        dims = kl.qb + kl.qw
        if dims and rule.kind not in ("none", "exact"):
            # the fit's rule: after remove_data() the engine (on no rows) is not adaptive
            adaptive = rule.adaptive and kl.qb > 0
            integ = f"{rule.kind}{' (adaptive)' if adaptive else ''}"
            npts = f"{rule.n_points} per dim. ({dims} dim.)" if rule.kind in (
                "trapezoid", "gauss-hermite") else f"{rule.n_points} ({dims} dim.)"
        else:
            integ, npts = rule.describe(kl.qb, kl.qw), "-"
        left = [("Outcomes:", [out_txt]),
                ("Families:", [fam_txt[:32]]),
                ("Class variables:", [cls_txt if len(cls_txt) <= 32 else
                                      cls_txt[:30] + ".."]),
                ("Rows:", [f"{model.nobs:g}"]),
                ("Clusters:", [f"{model.n_clusters:g}" if model.cluster is not None
                               else "none (single level)"]),
                ("Cluster size min/mean/max:", [size_txt]),
                ("Integration:", [integ]),
                ("Points:", [npts]),
                ("Estimator:", [("REML" if self.__dict__.get("reml") else "ML")
                                + (" (EM + BFGS)" if self.em_iterations else " (BFGS)")]),
                ("Standard errors:", [{"MLR": "MLR (sandwich)", "ML": "ML (information)",
                                       "MLF": "MLF (outer product)",
                                       "cluster": "cluster-robust"}[self.cov_type]])]
        rep = self.best_loglike_replicated
        nfin = self._final_starts().shape[0]
        nall = len(self.start_table)
        right = [("Log-likelihood:", [f"{self.llf:.3f}"]),
                 ("Parameters:", [f"{self.k_params}"]),
                 ("AIC:", [f"{self.aic:.3f}"]),
                 ("BIC:", [f"{self.bic:.3f}"]),
                 ("aBIC:", [f"{self.abic:.3f}"]),
                 ("Entropy:", [_fmt(self.entropy)]),
                 ("Converged:", [f"{'yes' if self.converged else 'NO'} "
                                 f"({self.iterations} iter.)"]),
                 ("Random starts:", [f"{nall} initial, {nfin} final" if nall else "none"]),
                 ("Best LL replicated:", [f"{rep} of {nfin}" + (" (!)" if rep == 1 and
                                                                nfin > 1 else "")
                                          if rep is not None else "-"]),
                 ("Integration check:", [self._integration_text()])]
        smry = MixtureSummary()
        smry.add_table_2cols(self, gleft=left, gright=right,
                             title=title or "Multilevel mixture model results")
        return smry

    def _param_tables(self, alpha, stub_width):
        info = self.parameter_info
        params = np.asarray(self.params)
        bse = np.asarray(self.bse)
        tv = np.asarray(self.tvalues)
        pv = np.asarray(self.pvalues)
        ci = np.asarray(self.conf_int(alpha))
        names = list(self.model.param_names)
        pos = {n: i for i, n in enumerate(names)}
        order = self._class_order
        spec = self.model.spec

        def sort_key(assign):
            return (len(assign), [order.index(k) for k, _ in assign], [v for _, v in assign])

        sections = []
        outcome_assigns = sorted({a for a in info.loc[info["section"] == "outcome", "_assign"]},
                                 key=sort_key)
        for a in outcome_assigns:
            sel = [n for n in names if info.loc[n, "section"] == "outcome"
                   and info.loc[n, "_assign"] == a]
            if a:
                title = "Outcome equations: class " + _label(dict(a))
            elif spec.classes:
                title = "Outcome equations: all classes"
            else:
                title = "Outcome equations"
            sections.append((title, sel, [info.loc[n, "label"] for n in sel]))
        for cv in spec.between_classes + spec.within_classes:
            sel = [n for n in names if info.loc[n, "section"] == "class"
                   and info.loc[n, "equation"] == cv.name]
            if sel:
                title = (f"Class {cv.name}: multinomial logits "
                         f"(reference {cv.name}={cv.n_classes})")
                sections.append((title, sel, sel))
        for blk in spec.blocks:
            sel_all = [n for n in names if info.loc[n, "section"] == "covariance"
                       and info.loc[n, "equation"] == blk.name]
            for a in sorted({info.loc[n, "_assign"] for n in sel_all}, key=sort_key):
                sel = [n for n in sel_all if info.loc[n, "_assign"] == a]
                title = f"Random effects {blk.name}: (co)variances" + \
                    ("" if not a else ", class " + _label(dict(a)))
                sections.append((title, sel, [info.loc[n, "label"] for n in sel]))
        other = [n for n in names if info.loc[n, "section"] == "other"]
        if other:
            sections.append(("Other parameters", other, other))
        tables = []
        for title, sel, labels in sections:
            idx = [pos[n] for n in sel]
            labels = [lab if len(lab) <= stub_width else lab[:stub_width - 2] + ".."
                      for lab in labels]
            labels = [lab.ljust(stub_width) for lab in labels]
            tab = summary_params((self, params[idx], bse[idx], tv[idx], pv[idx], ci[idx]),
                                 yname="", xname=labels, alpha=alpha, use_t=False,
                                 title=title)
            tables.append(tab)
        return tables

    def _proportion_table(self, stub_width):
        tab = self.class_proportions_table()
        data, stubs = [], []
        for lab, row in tab.iterrows():
            stubs.append(lab)
            data.append([_fmt(row["model"], 4), _fmt(row["se"], 4), _fmt(row["posterior"], 4),
                         _fmt(row["modal"], 4), f"{row['n_modal']:.0f}"])
        if len(self._class_order) > 1 and self._joint_patterns_shown:
            jt = self.class_proportions_table(joint=True)
            for lab, row in jt.iterrows():
                stubs.append(lab)
                data.append([_fmt(row["model"], 4), _fmt(row["se"], 4),
                             _fmt(row["posterior"], 4), _fmt(row["modal"], 4),
                             f"{row['n_modal']:.0f}"])
        stubs = [s.ljust(stub_width) for s in stubs]
        headers = ["model", "std err", "posterior", "modal", "N modal"]
        title = ("Class proportions (between classes: clusters; others: rows)"
                 if self.model.spec.between_classes else "Class proportions")
        return _title_table(title, data, headers, stubs)

    def _profile_tables(self, stub_width):
        prof = self.profiles
        tables = []
        order = self._class_order
        if order:  # outcomes grouped by the class variables they depend on
            key = prof[order].notna().apply(lambda r: tuple(n for n in order if r[n]), axis=1)
        else:  # no class variables: one table
            key = pd.Series([()] * len(prof), index=prof.index)
        for classes_key, grp in prof.groupby(key, sort=False):
            labs = list(dict.fromkeys(grp["classes"]))
            rows = {}
            fam = {o.name: o for o in self.model.spec.outcomes}
            for _, r in grp.iterrows():
                stub = fam[r["outcome"]].family.value_label(r["outcome"], r["category"])
                rows.setdefault(stub, {})[r["classes"]] = f"{r['estimate']:.3f} ({r['se']:.3f})"
            data = [[rows[s].get(lab, "") for lab in labs] for s in rows]
            if not order:
                title = "Outcome probabilities / means, model-implied (std err)"
            else:
                what = ", ".join(classes_key) if classes_key else "(no class dependence)"
                title = f"Outcome probabilities / means by class of {what} (std err)"
            tables.extend(_wide_tables(title, data, labs, list(rows), stub_width))
        return tables

    def _transition_tables(self, stub_width):
        tables = []
        for src, tgt in self._dependencies():
            long = self._cached(("transition", src, tgt),
                                lambda s=src, t=tgt: self.transition_table(s, t, se=True))
            srcs = list(dict.fromkeys(k.split("->")[0] for k in long.index))
            tgts = list(dict.fromkeys(k.split("->")[1] for k in long.index))
            data = [[f"{long.loc[f'{a}->{b}', 'estimate']:.3f} "
                     f"({long.loc[f'{a}->{b}', 'se']:.3f})" for b in tgts] for a in srcs]
            title = f"Transition probabilities P({tgt} | {src}), model-implied (std err)"
            tables.extend(_wide_tables(title, data, tgts, srcs, stub_width))
        return tables

    def summary(self, alpha=0.05, probabilities=None, title=None):
        """Text summary in statsmodels' style, organised as mixture users read it.

        Sections: model and data, and fit (log-likelihood, parameters, AIC,
        BIC, aBIC, entropy, random starts and how many reached the best
        log-likelihood); class proportions (model-implied with SE, posterior,
        modal; per class variable and joint pattern); transition
        probabilities where a class variable depends on another; parameter
        tables by equation and class; warnings.

        Parameters
        ----------
        alpha : float
            Level of the confidence intervals.
        probabilities : bool, optional
            Add the outcome probabilities / means by class (:attr:`profiles`)
            with delta-method standard errors.  Default: for models with class
            variables (as poLCA, StepMix and Mplus users read them; the logits
            follow in the parameter tables).
        title : str, optional

        Returns
        -------
        MixtureSummary
            A :class:`statsmodels.iolib.summary.Summary`; ``print`` it, or
            ``.as_html()`` / ``.as_latex()``.
        """
        names = list(self.model.param_names)
        info = self.parameter_info
        stub_width = max([len(str(x)) for x in info["label"]] + [12])
        stub_width = min(stub_width, 34)
        smry = self._top_table(title)
        if self.model.spec.classes:
            smry.tables.append(self._proportion_table(stub_width))
            smry.tables.extend(self._transition_tables(stub_width))
        if probabilities is None:
            probabilities = bool(self.model.spec.classes)
        if probabilities:
            smry.tables.extend(self._profile_tables(stub_width))
        if names:
            smry.tables.extend(self._param_tables(alpha, stub_width))
            vc = self._var_component_table(stub_width)
            if vc is not None:
                smry.tables.append(vc)
        notes = self._notes()
        if notes:
            import textwrap

            smry.add_extra_txt(["\n".join(textwrap.wrap(n, SUMMARY_WIDTH,
                                                        subsequent_indent="  "))
                                for n in notes])
        return smry
