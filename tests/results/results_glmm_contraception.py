"""Reference results: random-intercept logistic GLMM for the Bangladesh contraception data.

Generated 2026-11-25. Generator scripts: tests/results/scripts/glmm_contraception_lme4.R (lme4,
glmmTMB) and tests/results/scripts/glmm_contraception_agq.py with glmm_agq.py (our own adaptive
Gauss-Hermite code).

Data: tests/data/contraception.csv (mlmRev `Contraception`; the R script checks that the rows are
identical), 1934 women in 60 districts.
Model: use ~ urban + age + livch + (1 | district), Bernoulli with logit link. urban is 0/1 and age
is centred, both as in the CSV. livch is a factor with levels "0" (reference), "1", "2" and "3+"
(statsmodels/patsy: C(livch)).

Keys of each model dict: loglike; params, a dict name -> value with
  "Intercept", "urban", "age", "livch1", "livch2", "livch3+"   fixed effects (logit scale;
                                 livch<k> is the contrast of livch == k against livch == "0")
  "re_var_Intercept"             variance of the district random intercept
bse (fixed-effect SEs; the own fits also give an SE for the variance); n_params = 7; nobs = 1934;
n_clusters = 60; software; call.
For 0/1 data lme4's nAGQ > 1 logLik is on the full likelihood scale and directly comparable. (lme4
reports LL minus the saturated log-likelihood, see results_glmm_cbpp, and for Bernoulli data that is 0.)

Target LL -1206.674 (GLMMadaptive, adaptive GH with 25 points). GLMMadaptive is not available here
(no Debian package, no CRAN access). lme4 nAGQ = 25 gives -1206.6742337139. Our own AGQ(25) code gives
-1206.674233713896 at lme4's estimates and -1206.6742337138805 at its own maximum.
Own versus lme4 (nAGQ = 25): parameters within 8e-07, fixed-effect SEs within 5e-07.

Models:
  agq25               lme4 glmer nAGQ = 25 with a tight bobyqa. This is the primary reference.
  agq25_lme4_default  the same with default control.
  laplace_lme4        lme4 glmer nAGQ = 1 (Laplace), tight bobyqa: LL -1206.807890.
  laplace_glmmTMB     glmmTMB (Laplace): LL -1206.807845, parameters within
                      7e-05 of lme4's Laplace fit. This is the true Laplace maximum: our own Laplace fit
                      agrees with glmmTMB. lme4's Laplace value is lower by
                      4.6e-05, as for cbpp.
  agq25_own, laplace_own   our own maximisation (independent check, not peer software).

--- Added 2026-12-03 (generator: tests/results/scripts/write_glmm_peers.py) ---
GLMMadaptive 0.9.1 (built from source), lme4 and glmmTMB, 2026-12-03
(generator tests/results/scripts/glmm_contraception_peers.R). Dicts (those present; see "Not run" below):
  agq25_glmmadaptive(_tight)   random intercept, GLMMadaptive mixed_model(..., nAGQ = 25), default control
                               (and tight tolerances). Same keys as agq25. GLMMadaptive's logLik is on the full
                               scale (it equals our own AGQ LL), like lme4's for 0/1 data. Target -1206.674.
  rs_*                         random intercept and random urban slope, `(urban | district)`, unstructured
                               2 x 2 covariance; params as above plus "re_var_Intercept", "re_cov_Intercept_urban",
                               "re_var_urban". rs_agq15_glmmadaptive: GLMMadaptive nAGQ = 15 (15 x 15 adaptive
                               grid), tight control (primary); _default: default control; rs_agq25_glmmadaptive:
                               25 points (quadrature check); rs_laplace_lme4 (tight bobyqa) / _default and
                               rs_laplace_glmmTMB: Laplace (lme4 allows nAGQ > 1 only for one scalar random effect).
  confint_profile_laplace, confint_profile_agq25   lme4 confint(method = "profile") of the random-intercept
                               fits laplace_lme4 and agq25 (95%); "intervals" maps name -> [lower, upper], with
                               "re_sd_Intercept" the district SD (lme4's .sig01: profile CIs are for the SD).
  varcorr                      VarCorr of the same two fits (SD and variance of the district intercept).
  predict_agq25                predictions of lme4 agq25 (type = "response") for the women in data rows `rows`
                               (1-based rows of tests/data/contraception.csv): "conditional" uses the district's
                               conditional mode (lme4's ranef, in "ranef"); "marginal_re_form_NA" sets the random
                               effect to 0 (re.form = NA: expit(x'beta), NOT the population-averaged probability);
                               "link_conditional" is the conditional linear predictor; "new_district_response": a
                               woman of an unseen district (urban = 1, age = 0, livch = "2") with allow.new.levels =
                               TRUE, for which lme4 uses u = 0 (so it equals "new_district_re_form_NA").
                               "own_conditional": expit(x'beta + mode) with the modes from our own Newton
                               iteration at the agq25 estimates (second route).
  lme4_fit_seconds             timings of the lme4 random-intercept fits.
Agreement:
  agq25_glmmadaptive         LL -1206.6742435998; minus lme4 agq25: LL -9.89e-06, params within 2.99e-04,
                             fixed-effect SEs within 2.76e-05; own AGQ(25) LL at its estimates minus its LL +3.4e-12.
Each dict's "seconds" holds wall (median of up to 3 runs) and CPU seconds; the machine was shared while
they were measured, so quote CPU time (see benchmarks/peers.md).
Not run (too slow on the shared machine this time): agq25_glmmadaptive_tight, rs_agq15_glmmadaptive, rs_agq15_glmmadaptive_default, rs_agq25_glmmadaptive, rs_laplace_glmmTMB, rs_laplace_lme4, rs_laplace_lme4_default
(and the nAGQ = 25 profile CIs).
"""

# ruff: noqa: E501

# primary reference: lme4 nAGQ = 25, tight
agq25 = {
    'software': 'R lme4 1.1.31 (Debian r-cran-lme4 1.1-31-1; R version 4.2.2 Patched (2022-11-10 r83330))',
    'call': 'd <- read.csv("tests/data/contraception.csv"); d$district <- factor(d$district); d$livch <- factor(d$livch, levels = c("0", "1", "2", "3+")); glmer(use ~ urban + age + livch + (1 | district), data = d, family = binomial, nAGQ = 25, control = glmerControl(optimizer = "bobyqa", optCtrl = list(rhoend = 1e-12, maxfun = 1e5)))',
    'loglike': -1206.6742337139,
    'params': {
        'Intercept': -1.69015162353157,
        'urban': 0.73241357841528,
        'age': -0.026599976537961,
        'livch1': 1.10932826175755,
        'livch2': 1.37652714591678,
        'livch3+': 1.34560032049449,
        're_var_Intercept': 0.215497544317795,
    },
    'bse': {
        'Intercept': 0.147725410351601,
        'urban': 0.119481502328479,
        'age': 0.00788700694792812,
        'livch1': 0.158011520336268,
        'livch2': 0.174798825496492,
        'livch3+': 0.179602947437873,
    },
    'n_params': 7,
    'nobs': 1934,
    'n_clusters': 60,
    'loglike_agq25_own_at_these_estimates': -1206.674233713896,
    'target_loglike': -1206.674,
    'target_source': 'GLMMadaptive, adaptive GH with 25 points (given in the task brief)',
}

# lme4 nAGQ = 25, default control
agq25_lme4_default = {
    'software': 'R lme4 1.1.31 (Debian r-cran-lme4 1.1-31-1; R version 4.2.2 Patched (2022-11-10 r83330))',
    'call': 'd <- read.csv("tests/data/contraception.csv"); d$district <- factor(d$district); d$livch <- factor(d$livch, levels = c("0", "1", "2", "3+")); glmer(use ~ urban + age + livch + (1 | district), data = d, family = binomial, nAGQ = 25)',
    'loglike': -1206.67423372053,
    'params': {
        'Intercept': -1.69015082429671,
        'urban': 0.73242354248262,
        'age': -0.0265997839402384,
        'livch1': 1.10932138411637,
        'livch2': 1.3765241755704,
        'livch3+': 1.3455917280091,
        're_var_Intercept': 0.215499281085416,
    },
    'bse': {
        'Intercept': 0.147725623564682,
        'urban': 0.11948160097896,
        'age': 0.00788700928846424,
        'livch1': 0.158011739134516,
        'livch2': 0.174798912805581,
        'livch3+': 0.179603029800113,
    },
    'n_params': 7,
    'nobs': 1934,
    'n_clusters': 60,
}

# lme4 Laplace (nAGQ = 1), tight
laplace_lme4 = {
    'software': 'R lme4 1.1.31 (Debian r-cran-lme4 1.1-31-1; R version 4.2.2 Patched (2022-11-10 r83330))',
    'call': 'd <- read.csv("tests/data/contraception.csv"); d$district <- factor(d$district); d$livch <- factor(d$livch, levels = c("0", "1", "2", "3+")); glmer(use ~ urban + age + livch + (1 | district), data = d, family = binomial, nAGQ = 1, control = glmerControl(optimizer = "bobyqa", optCtrl = list(rhoend = 1e-12, maxfun = 1e5)))',
    'loglike': -1206.8078903645,
    'params': {
        'Intercept': -1.68963984809689,
        'urban': 0.732974003218774,
        'age': -0.0265938941356326,
        'livch1': 1.10913525479217,
        'livch2': 1.37633478527773,
        'livch3+': 1.34517250185872,
        're_var_Intercept': 0.212367126904369,
    },
    'bse': {
        'Intercept': 0.147326013240719,
        'urban': 0.119385490893119,
        'age': 0.00787921554379199,
        'livch1': 0.157845684051522,
        'livch2': 0.174633375752161,
        'livch3+': 0.179401615715975,
    },
    'n_params': 7,
    'nobs': 1934,
    'n_clusters': 60,
}

# glmmTMB Laplace
laplace_glmmTMB = {
    'software': 'R glmmTMB 1.1.5 (Debian r-cran-glmmtmb 1.1.5+dfsg-4; R version 4.2.2 Patched (2022-11-10 r83330))',
    'call': 'd <- read.csv("tests/data/contraception.csv"); d$district <- factor(d$district); d$livch <- factor(d$livch, levels = c("0", "1", "2", "3+")); glmmTMB(use ~ urban + age + livch + (1 | district), data = d, family = binomial)',
    'loglike': -1206.80784485038,
    'params': {
        'Intercept': -1.68971465680219,
        'urban': 0.732994860161847,
        'age': -0.0265949498637293,
        'livch1': 1.10918919288046,
        'livch2': 1.3764003577096,
        'livch3+': 1.34523602901186,
        're_var_Intercept': 0.212388889468781,
    },
    'bse': {
        'Intercept': 0.14751406063924,
        'urban': 0.11942478839235,
        'age': 0.00788602284076435,
        'livch1': 0.157989879101627,
        'livch2': 0.1747808495056,
        'livch3+': 0.179578806955546,
    },
    'n_params': 7,
    'nobs': 1934,
    'n_clusters': 60,
}

# own independent AGQ(25) maximisation
agq25_own = {
    'software': 'own independent check (numpy/scipy), not peer software',
    'call': 'python tests/results/scripts/glmm_contraception_agq.py (adaptive GH with 25 point(s), per-district Newton mode and curvature; BFGS then Newton polish; SEs from the finite-difference Hessian in (beta, variance))',
    'loglike': -1206.6742337138805,
    'params': {
        'Intercept': -1.69015208939232,
        'urban': 0.732413421612434,
        'age': -0.026599995192095036,
        'livch1': 1.109329025976268,
        'livch2': 1.3765277584146751,
        'livch3+': 1.3456011052169508,
        're_var_Intercept': 0.2154976607599087,
    },
    'bse': {
        'Intercept': 0.14772579182828624,
        'urban': 0.1194816189892056,
        'age': 0.007887016260104055,
        'livch1': 0.15801177000081237,
        'livch2': 0.1747992320160452,
        'livch3+': 0.17960340787320442,
        're_var_Intercept': 0.07329165671499858,
    },
    'n_params': 7,
    'nobs': 1934,
    'n_clusters': 60,
}

# own independent Laplace maximisation
laplace_own = {
    'software': 'own independent check (numpy/scipy), not peer software',
    'call': 'python tests/results/scripts/glmm_contraception_agq.py (adaptive GH with 1 point(s), per-district Newton mode and curvature; BFGS then Newton polish; SEs from the finite-difference Hessian in (beta, variance))',
    'loglike': -1206.8078448490646,
    'params': {
        'Intercept': -1.689710586049822,
        'urban': 0.7329914622652195,
        'age': -0.026594984430473513,
        'livch1': 1.109184198000859,
        'livch2': 1.3763954193083379,
        'livch3+': 1.345234385431312,
        're_var_Intercept': 0.2123880169868795,
    },
    'bse': {
        'Intercept': 0.14751393828849732,
        'urban': 0.11942475026859926,
        'age': 0.00788598182248964,
        'livch1': 0.1579898258377539,
        'livch2': 0.17478080743377375,
        'livch3+': 0.17957878359503462,
        're_var_Intercept': 0.07215698038866038,
    },
    'n_params': 7,
    'nobs': 1934,
    'n_clusters': 60,
}

# --- Added 2026-12-03 ---

agq25_glmmadaptive = {
    'software': 'R GLMMadaptive 0.9.1 (built from the CRAN GitHub mirror cran/GLMMadaptive; R version 4.2.2 Patched (2022-11-10 r83330))',
    'call': 'd <- read.csv("tests/data/contraception.csv"); d$district <- factor(d$district); d$livch <- factor(d$livch, levels = c("0", "1", "2", "3+")); mixed_model(use ~ urban + age + livch, random = ~ 1 | district, data = d, family = binomial(), nAGQ = 25)',
    'loglike': -1206.67424359983,
    'params': {
        'Intercept': -1.69039038254434,
        'urban': 0.732353284297426,
        'age': -0.026601767290528,
        'livch1': 1.1093815331136,
        'livch2': 1.37659596288476,
        'livch3+': 1.34569643382488,
        're_var_Intercept': 0.215796409341857,
    },
    'bse': {
        'Intercept': 0.147753001285364,
        'urban': 0.119488661270364,
        'age': 0.00788733198956533,
        'livch1': 0.158017006413273,
        'livch2': 0.174805030609875,
        'livch3+': 0.179609782633031,
    },
    'n_params': 7,
    'nobs': 1934,
    'n_clusters': 60,
    'seconds': {
        'wall_median': 46.033,
        'wall': [50.259, 39.153, 46.033],
        'cpu_median': 1.159,
    },
    'loglike_own_agq25_at_these_estimates': -1206.6742435998267,
}
