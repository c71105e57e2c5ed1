"""Reference results: Rasch model for the verbal aggression data as a logistic GLMM.

Generated 2026-12-03. Generator scripts: tests/results/scripts/glmm_verbagg_peers.R (lme4, GLMMadaptive)
and tests/results/scripts/write_glmm_peers.py (this module; our own adaptive GH LL as the second route).

Data: tests/data/verbagg.csv (lme4 `VerbAgg`, long format), 7584 responses of 316 persons to 24 items.
Model: r2 ~ 0 + item + (1 | id), Bernoulli with logit link: logit P(r2 = 1) = beta_item + u_person,
u ~ N(0, sigma^2). This is the Rasch model with item easiness beta_item (difficulty = -beta_item) and a
normal person distribution with free variance.

Keys of each model dict: loglike (full Bernoulli log-likelihood; for 0/1 data lme4's nAGQ > 1 logLik is on
the full scale); params, a dict name -> value with
  "<item label>" (24 keys, e.g. "S1WantCurse", "S4wantCurse" (sic, lower-case w as in the data)):
                      the item's fixed effect (logit scale, no intercept)
  "re_var_Intercept"  variance of the person random intercept
bse (fixed-effect SEs); n_params = 25; nobs = 7584; n_clusters = 316; seconds (wall median of up to 3
runs and CPU time of the fit; the machine was shared, CPU time is the steadier number); software; call.

Models: agq25 = lme4 nAGQ = 25 with a tight bobyqa (primary when present); agq25_lme4_default = lme4
nAGQ = 25 with default control; laplace_lme4 = lme4 Laplace; agq25_glmmadaptive = GLMMadaptive nAGQ = 25,
default control. Not finished on the shared machine: agq25, laplace_lme4.
  agq25_lme4_default   LL -4036.9077427272, variance 1.917153; time 1188.6 s wall / 253.26 s CPU.
  agq25_glmmadaptive   LL -4036.9049024022, variance 1.918395; minus agq25_lme4_default: LL +2.84e-03, params within 8.08e-03; time 35.3 s wall / 19.62 s CPU.
Second route: our own adaptive GH LL at agq25_lme4_default's estimates with 11/25/51 points: -4036.9078012396 /
-4036.9077427272 / -4036.9077427265 (minus lme4's: +4.55e-12 at 25 points).
"""

# ruff: noqa: E501

agq25_lme4_default = {
    'software': 'R lme4 1.1.31 (Debian r-cran-lme4 1.1-31-1; R version 4.2.2 Patched (2022-11-10 r83330))',
    'call': 'd <- read.csv("tests/data/verbagg.csv"); d$item <- factor(d$item, levels = unique(d$item)); d$id <- factor(d$id); glmer(r2 ~ 0 + item + (1 | id), data = d, family = binomial, nAGQ = 25)',
    'loglike': -4036.90774272721,
    'params': {
        'S1WantCurse': 1.22376560931344,
        'S1WantScold': 0.569257838918799,
        'S1WantShout': 0.0822346105902701,
        'S2WantCurse': 1.75529906087186,
        'S2WantScold': 0.712091456827805,
        'S2WantShout': 0.0154217972331983,
        'S3WantCurse': 0.53155999810334,
        'S3WantScold': -0.681015693250139,
        'S3WantShout': -1.52351831667746,
        'S4wantCurse': 1.08624074166547,
        'S4WantScold': -0.342895403046726,
        'S4WantShout': -1.03639354709653,
        'S1DoCurse': 1.22429678612319,
        'S1DoScold': 0.393354366339352,
        'S1DoShout': -0.86756770883101,
        'S2DoCurse': 0.876052781875024,
        'S2DoScold': -0.05159969152393,
        'S2DoShout': -1.47609095472766,
        'S3DoCurse': -0.205128357968463,
        'S3DoScold': -1.49821592778574,
        'S3DoShout': -2.97409122345529,
        'S4DoCurse': 0.709381771358595,
        'S4DoScold': -0.378991862922382,
        'S4DoShout': -1.9945985702718,
        're_var_Intercept': 1.91715280131457,
    },
    'bse': {
        'S1WantCurse': 0.163021377689629,
        'S1WantScold': 0.154612953273259,
        'S1WantShout': 0.152559926648028,
        'S2WantCurse': 0.175392309128829,
        'S2WantScold': 0.155874501779612,
        'S2WantShout': 0.152543349598413,
        'S3WantCurse': 0.154333037355869,
        'S3WantScold': 0.156161767352317,
        'S3WantShout': 0.170729077928882,
        'S4wantCurse': 0.160675718719861,
        'S4WantScold': 0.153526240244595,
        'S4WantShout': 0.160827969284535,
        'S1DoCurse': 0.163031611584477,
        'S1DoScold': 0.153477753637519,
        'S1DoShout': 0.158360119716732,
        'S2DoCurse': 0.157702687914325,
        'S2DoScold': 0.152586994792689,
        'S2DoShout': 0.169572448879536,
        'S3DoCurse': 0.152931786968161,
        'S3DoScold': 0.170105442265105,
        'S3DoShout': 0.232140835772764,
        'S4DoCurse': 0.155845413496628,
        'S4DoScold': 0.153726901251255,
        'S4DoShout': 0.184764682840598,
    },
    'n_params': 25,
    'nobs': 7584,
    'n_clusters': 316,
    'seconds': {
        'wall_median': 1188.615,
        'wall': [1188.615],
        'cpu_median': 253.258,
    },
    'loglike_own_agq25_at_these_estimates': -4036.9077427272055,
    'loglike_own_agq_at_these_estimates': {
        11: -4036.9078012396235,
        25: -4036.9077427272055,
        51: -4036.9077427264974,
    },
}

agq25_glmmadaptive = {
    'software': 'R GLMMadaptive 0.9.1 (built from the CRAN GitHub mirror cran/GLMMadaptive; R version 4.2.2 Patched (2022-11-10 r83330))',
    'call': 'd <- read.csv("tests/data/verbagg.csv"); d$item <- factor(d$item, levels = unique(d$item)); d$id <- factor(d$id); mixed_model(r2 ~ 0 + item, random = ~ 1 | id, data = d, family = binomial(), nAGQ = 25)',
    'loglike': -4036.90490240224,
    'params': {
        'S1WantCurse': 1.21994341478671,
        'S1WantScold': 0.563906318604344,
        'S1WantShout': 0.0793921250636392,
        'S2WantCurse': 1.74741566093629,
        'S2WantScold': 0.706802698197298,
        'S2WantShout': 0.0110386000973197,
        'S3WantCurse': 0.528614143861148,
        'S3WantScold': -0.686854111128132,
        'S3WantShout': -1.52746534505337,
        'S4wantCurse': 1.08097239537779,
        'S4WantScold': -0.349956146126828,
        'S4WantShout': -1.04447406613743,
        'S1DoCurse': 1.21994341478671,
        'S1DoScold': 0.38881861216727,
        'S1DoShout': -0.871679964463183,
        'S2DoCurse': 0.871658220343328,
        'S2DoScold': -0.057334783982978,
        'S2DoShout': -1.48237365704973,
        'S3DoCurse': -0.2116485453143,
        'S3DoScold': -1.50482979522896,
        'S3DoShout': -2.97604011148413,
        'S4DoCurse': 0.706802698197298,
        'S4DoScold': -0.38478187651954,
        'S4DoShout': -2.00018685935808,
        're_var_Intercept': 1.91839532751767,
    },
    'bse': {
        'S1WantCurse': 0.163025852048096,
        'S1WantScold': 0.154612040208788,
        'S1WantShout': 0.152575456315922,
        'S2WantCurse': 0.175277973878583,
        'S2WantScold': 0.15586715229378,
        'S2WantShout': 0.152557415978426,
        'S3WantCurse': 0.154348972911914,
        'S3WantScold': 0.156203022986424,
        'S3WantShout': 0.170753711628475,
        'S4wantCurse': 0.160658063788421,
        'S4WantScold': 0.153561286246147,
        'S4WantShout': 0.160919002565604,
        'S1DoCurse': 0.163025852048078,
        'S1DoScold': 0.153486260682623,
        'S1DoShout': 0.158384710924778,
        'S2DoCurse': 0.157702794647706,
        'S2DoScold': 0.152605430052548,
        'S2DoShout': 0.169652480006296,
        'S3DoCurse': 0.15295721356894,
        'S3DoScold': 0.170195939132833,
        'S3DoShout': 0.232023480708696,
        'S4DoCurse': 0.15586715229377,
        'S4DoScold': 0.15375684725992,
        'S4DoShout': 0.184844230841893,
    },
    'n_params': 25,
    'nobs': 7584,
    'n_clusters': 316,
    'seconds': {
        'wall_median': 35.346,
        'wall': [35.346],
        'cpu_median': 19.621,
    },
    'loglike_own_agq25_at_these_estimates': -4036.9049024022415,
}
