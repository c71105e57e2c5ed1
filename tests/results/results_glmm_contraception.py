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
                               conditional mode (lme4's ranef, in "ranef", by district); "re_form_NA" sets the random
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
  rs_agq15_glmmadaptive      LL -1199.1790525245 (primary for the random-slope model).
  rs_agq15_glmmadaptive_default LL -1199.1817665693; minus rs_agq15: LL -2.71e-03, params within 1.63e-02.
  rs_laplace_lme4            LL -1199.5084175480; minus rs_agq15: LL -3.29e-01, params within 2.33e-02.
  rs_laplace_lme4_default    LL -1199.5084183394; minus rs_agq15: LL -3.29e-01, params within 2.33e-02.
  rs_laplace_glmmTMB         LL -1199.5082427446; minus rs_agq15: LL -3.29e-01, params within 2.31e-02.
  predict_agq25: own expit(x'beta + mode) minus lme4's conditional predictions: within 2.61e-07; new district 0.6031936306 (own 0.6031934560).
Each dict's "seconds" holds wall (median of up to 3 runs) and CPU seconds; the machine was shared while
they were measured, so quote CPU time (see benchmarks/peers.md).
Not run (too slow on the shared machine this time): agq25_glmmadaptive_tight, rs_agq25_glmmadaptive
confint_profile_laplace, confint_profile_agq25; the generator
and writer handle them when rerun on a quieter machine.
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

rs_agq15_glmmadaptive = {
    'software': 'R GLMMadaptive 0.9.1 (built from the CRAN GitHub mirror cran/GLMMadaptive; R version 4.2.2 Patched (2022-11-10 r83330))',
    'call': 'd <- read.csv("tests/data/contraception.csv"); d$district <- factor(d$district); d$livch <- factor(d$livch, levels = c("0", "1", "2", "3+")); mixed_model(use ~ urban + age + livch, random = ~ urban | district, data = d, family = binomial(), nAGQ = 15, control = list(tol1 = 1e-8, tol2 = 1e-8, tol3 = 1e-12, numeric_deriv = "cd", iter_qN_outer = 50))',
    'loglike': -1199.17905252452,
    'params': {
        'Intercept': -1.71253949013141,
        'urban': 0.815907551909062,
        'age': -0.0265236966043657,
        'livch1': 1.12591807532335,
        'livch2': 1.36816338223121,
        'livch3+': 1.35544085301999,
        're_var_Intercept': 0.389457571794937,
        're_cov_Intercept_urban': -0.405200771282019,
        're_var_urban': 0.665047843329258,
    },
    'bse': {
        'Intercept': 0.160519336580945,
        'urban': 0.171485048545463,
        'age': 0.00801865298181519,
        'livch1': 0.160245869047125,
        'livch2': 0.177187716445143,
        'livch3+': 0.182826402338973,
    },
    'n_params': 9,
    'nobs': 1934,
    'n_clusters': 60,
    'seconds': {
        'wall_median': 862.114,
        'wall': [862.114],
        'cpu_median': 25.545,
    },
}

rs_agq15_glmmadaptive_default = {
    'software': 'R GLMMadaptive 0.9.1 (built from the CRAN GitHub mirror cran/GLMMadaptive; R version 4.2.2 Patched (2022-11-10 r83330))',
    'call': 'd <- read.csv("tests/data/contraception.csv"); d$district <- factor(d$district); d$livch <- factor(d$livch, levels = c("0", "1", "2", "3+")); mixed_model(use ~ urban + age + livch, random = ~ urban | district, data = d, family = binomial(), nAGQ = 15)',
    'loglike': -1199.18176656927,
    'params': {
        'Intercept': -1.71291176673615,
        'urban': 0.816411393841818,
        'age': -0.0265290831576436,
        'livch1': 1.12651534744371,
        'livch2': 1.36845270866313,
        'livch3+': 1.35608402885409,
        're_var_Intercept': 0.389699316610832,
        're_cov_Intercept_urban': -0.40808617522004,
        're_var_urban': 0.681336682749304,
    },
    'bse': {
        'Intercept': 0.16056887024893,
        'urban': 0.172750058227926,
        'age': 0.00802142912729508,
        'livch1': 0.160311211587389,
        'livch2': 0.177240360734148,
        'livch3+': 0.182891713157901,
    },
    'n_params': 9,
    'nobs': 1934,
    'n_clusters': 60,
    'seconds': {
        'wall_median': 169.466,
        'wall': [169.466],
        'cpu_median': 12.045,
    },
}

rs_laplace_lme4 = {
    'software': 'R lme4 1.1.31 (Debian r-cran-lme4 1.1-31-1; R version 4.2.2 Patched (2022-11-10 r83330))',
    'call': 'd <- read.csv("tests/data/contraception.csv"); d$district <- factor(d$district); d$livch <- factor(d$livch, levels = c("0", "1", "2", "3+")); glmer(use ~ urban + age + livch + (urban | district), data = d, family = binomial, control = glmerControl(optimizer = "bobyqa", optCtrl = list(rhoend = 1e-12, maxfun = 1e5)))',
    'loglike': -1199.50841754795,
    'params': {
        'Intercept': -1.71164990512826,
        'urban': 0.815194009640024,
        'age': -0.0265173763593277,
        'livch1': 1.12556040865596,
        'livch2': 1.36817033001955,
        'livch3+': 1.35462945028668,
        're_var_Intercept': 0.381148982771527,
        're_cov_Intercept_urban': -0.394786571584622,
        're_var_urban': 0.641795950909667,
    },
    'bse': {
        'Intercept': 0.159612306774768,
        'urban': 0.16970980164493,
        'age': 0.00800054583175982,
        'livch1': 0.15989230669491,
        'livch2': 0.176839453657985,
        'livch3+': 0.182397985778813,
    },
    'n_params': 9,
    'nobs': 1934,
    'n_clusters': 60,
    'seconds': {
        'wall_median': 123.216,
        'wall': [123.216],
        'cpu_median': 5.444,
    },
}

rs_laplace_lme4_default = {
    'software': 'R lme4 1.1.31 (Debian r-cran-lme4 1.1-31-1; R version 4.2.2 Patched (2022-11-10 r83330))',
    'call': 'd <- read.csv("tests/data/contraception.csv"); d$district <- factor(d$district); d$livch <- factor(d$livch, levels = c("0", "1", "2", "3+")); glmer(use ~ urban + age + livch + (urban | district), data = d, family = binomial)',
    'loglike': -1199.50841833935,
    'params': {
        'Intercept': -1.71164658643445,
        'urban': 0.815053736400912,
        'age': -0.0265220432434525,
        'livch1': 1.12555099354115,
        'livch2': 1.36822696634133,
        'livch3+': 1.35467587715665,
        're_var_Intercept': 0.381157338877066,
        're_cov_Intercept_urban': -0.394796385376631,
        're_var_urban': 0.641748172821558,
    },
    'bse': {
        'Intercept': 0.159618351344709,
        'urban': 0.169705083765851,
        'age': 0.00800066958885725,
        'livch1': 0.15989639983753,
        'livch2': 0.176843783642569,
        'livch3+': 0.182403920757975,
    },
    'n_params': 9,
    'nobs': 1934,
    'n_clusters': 60,
    'seconds': {
        'wall_median': 62.724,
        'wall': [62.724],
        'cpu_median': 3.151,
    },
}

rs_laplace_glmmTMB = {
    'software': 'R glmmTMB 1.1.5 (Debian r-cran-glmmtmb 1.1.5+dfsg-4; R version 4.2.2 Patched (2022-11-10 r83330))',
    'call': 'd <- read.csv("tests/data/contraception.csv"); d$district <- factor(d$district); d$livch <- factor(d$livch, levels = c("0", "1", "2", "3+")); glmmTMB(use ~ urban + age + livch + (urban | district), data = d, family = binomial)',
    'loglike': -1199.50824274458,
    'params': {
        'Intercept': -1.71184887405987,
        'urban': 0.815284637010845,
        'age': -0.0265204712232462,
        'livch1': 1.12569690584032,
        'livch2': 1.36832907473297,
        'livch3+': 1.35479786241358,
        're_var_Intercept': 0.381251502482527,
        're_cov_Intercept_urban': -0.394895281448553,
        're_var_urban': 0.641936596994591,
    },
    'bse': {
        'Intercept': 0.159995996265464,
        'urban': 0.16984795716654,
        'age': 0.00801565306279647,
        'livch1': 0.160184849922108,
        'livch2': 0.177141948131013,
        'livch3+': 0.182758518245617,
    },
    'n_params': 9,
    'nobs': 1934,
    'n_clusters': 60,
    'seconds': {
        'wall_median': 13.131,
        'wall': [17.301, 13.131, 11.573],
        'cpu_median': 0.642,
    },
}

varcorr = {
    'laplace': {
        're_sd_Intercept': 0.460832916797562,
        're_var_Intercept': 0.212366977204149,
    },
    'agq25': {
        're_sd_Intercept': 0.464217413751053,
        're_var_Intercept': 0.215497807229716,
    },
    'call': "VarCorr(f)$district: attr(, 'stddev') and [1, 1] for the lme4 fits laplace_lme4 and agq25 above",
}

predict_agq25 = {
    'call': 'd <- read.csv("tests/data/contraception.csv"); d$district <- factor(d$district); d$livch <- factor(d$livch, levels = c("0", "1", "2", "3+")); f <- glmer(use ~ urban + age + livch + (1 | district), data = d, family = binomial, nAGQ = 25, control = glmerControl(optimizer = "bobyqa", optCtrl = list(rhoend = 1e-12, maxfun = 1e5))); nd <- d[rows, c("district", "urban", "age", "livch")]; predict(f, newdata = nd, type = "response"); predict(f, newdata = nd, type = "response", re.form = NA); predict(f, newdata = data.frame(district = "999", urban = 1, age = 0, livch = factor("2", levels(d$livch))), type = "response", allow.new.levels = TRUE)',
    'software': 'R lme4 1.1.31 (Debian r-cran-lme4 1.1-31-1; R version 4.2.2 Patched (2022-11-10 r83330))',
    'rows': [
        1,
        2,
        118,
        500,
        1000,
        1500,
        1934,
    ],
    'newdata': {
        'district': [
            1,
            1,
            2,
            14,
            30,
            46,
            61,
        ],
        'urban': [
            1,
            1,
            0,
            1,
            0,
            0,
            0,
        ],
        'age': [
            18.44,
            -5.5599,
            -1.5599,
            6.44,
            4.44,
            -7.5599,
            10.44,
        ],
        'livch': [
            '3+',
            '0',
            '3+',
            '1',
            '0',
            '0',
            '3+',
        ],
    },
    'conditional': [
        0.304493910935367,
        0.177526981834807,
        0.416062629834525,
        0.643046388906813,
        0.201468278764904,
        0.283910662926652,
        0.237920580960795,
    ],
    're_form_NA': [
        0.474362139577232,
        0.307923344398848,
        0.424810233827682,
        0.495071814367032,
        0.140848877873221,
        0.184062909983429,
        0.349268736734129,
    ],
    'link_conditional': [
        -0.825988676248903,
        -1.53319306973905,
        -0.338957932793748,
        0.588611033703786,
        -1.37714274938649,
        -0.925145310111118,
        -1.16411385017516,
    ],
    'ranef': {
        '1': -0.723347216441695,
        '2': -0.0359004788869327,
        '14': 0.608324414624397,
        '30': 0.431114557625539,
        '46': 0.563914345055403,
        '61': -0.541858744422837,
    },
    'new_district': {
        'district': '999 (not in the data)',
        'urban': 1,
        'age': 0.0,
        'livch': '2',
    },
    'new_district_response': 0.603193630584105,
    'new_district_re_form_NA': 0.603193630584105,
    'own_conditional': [
        0.30449403239010997,
        0.17752718966878245,
        0.41606252877054833,
        0.6430463072766999,
        0.20146853938488574,
        0.2839108828600467,
        0.2379206547472316,
    ],
    'own_new_district': 0.6031934560436025,
}

# wall/CPU seconds of the lme4 random-intercept fits (agq25, laplace_lme4 and agq25_lme4_default above)
lme4_fit_seconds = {
    'ri_laplace': {
        'wall_median': 26.557,
        'wall': [20.338, 26.557, 34.353],
        'cpu_median': 2.841,
    },
    'ri_agq25': {
        'wall_median': 335.333,
        'wall': [335.333],
        'cpu_median': 7.396,
    },
}
