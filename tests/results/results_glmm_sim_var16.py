"""Reference results: simulated logistic random-intercept GLMM with a large variance (16).

Generated 2026-12-03. Generator scripts: tests/results/scripts/sim_glmm_var16_data.py (the data),
tests/results/scripts/glmm_sim_var16_peers.R (GLMMadaptive, lme4) and write_glmm_peers.py (this module;
our own adaptive GH LL as the second route).

Data: tests/data/sim_glmm_var16.csv, simulated with numpy default_rng(20261203): 300 clusters of 10 rows,
x ~ N(0, 1), u_j ~ N(0, 16), logit P(y = 1) = -1 + 0.5 x + u_j (true values: Intercept -1, x 0.5,
re_var_Intercept 16). With SD 4, 146 of the 300 clusters are all 0 or all 1, so the
integrand is far from normal: quadrature with few points, and Laplace, are visibly off.
Model: y ~ x + (1 | cluster), Bernoulli, logit link.

Keys of each model dict: loglike; params "Intercept", "x", "re_var_Intercept"; bse (fixed effects);
n_params = 3; nobs = 3000; n_clusters = 300; seconds (wall median of 3 runs and CPU time of the fit);
loglike_own_agq_at_these_estimates (our own adaptive GH LL with 25/50/100 points at the dict's
estimates); software; call.

Models (all LLs on the full Bernoulli scale):
  agq25_lme4 (primary)        lme4 nAGQ = 25, tight bobyqa: LL -1224.6095279009, variance 14.612074.
  agq25_glmmadaptive_tight    GLMMadaptive nAGQ = 25, tight: LL -1224.6095525797; minus lme4 -2.47e-05,
                              params within 7.01e-03.
  agq50_glmmadaptive_tight    nAGQ = 50, tight: LL -1224.6090474989; minus the 25-point fit +5.05e-04,
                              params within 1.91e-03.
  agq25_glmmadaptive, agq50_glmmadaptive   default control: LL -1224.6096745147 and -1224.6092261867.
  agq25_lme4_default          lme4 nAGQ = 25, default control: LL -1224.6095279014.
  laplace_lme4                lme4 Laplace: LL -1237.020233, variance 12.928240: the Laplace
                              approximation is off by -12.411 in LL here (use it only as a "what not to match").
Own adaptive GH at agq25_lme4's estimates: 25 points -1224.6095291835, 50 points -1224.6090504922, 100 points
-1224.6090325552. So the 25-point value is accurate to 5.0e-04; 25 points are NOT converged here
in the 1e-4 sense. The closest to exact ML is agq50_glmmadaptive_tight: own 100-point LL at its estimates
-1224.6090295695 (its own 50-point LL -1224.6090474989). Match exact ML to that within 1e-3,
and a 25-point AGQ to agq25_lme4 within 1e-6.
"""

# ruff: noqa: E501

agq25_glmmadaptive = {
    'software': 'R GLMMadaptive 0.9.1 (built from the CRAN GitHub mirror cran/GLMMadaptive; R version 4.2.2 Patched (2022-11-10 r83330))',
    'call': 'd <- read.csv("tests/data/sim_glmm_var16.csv"); d$cluster <- factor(d$cluster); mixed_model(y ~ x, random = ~ 1 | cluster, data = d, family = binomial(), nAGQ = 25)',
    'loglike': -1224.60967451474,
    'params': {
        'Intercept': -1.00254364749111,
        'x': 0.515291795556206,
        're_var_Intercept': 14.5760349572513,
    },
    'bse': {
        'Intercept': 0.24767374588856,
        'x': 0.0653275736392286,
    },
    'n_params': 3,
    'nobs': 3000,
    'n_clusters': 300,
    'seconds': {
        'wall_median': 88.227,
        'wall': [88.227],
        'cpu_median': 3.436,
    },
    'loglike_own_agq_at_these_estimates': {
        25: -1224.6096739198133,
        50: -1224.609234145739,
        100: -1224.6092161523848,
    },
}

agq50_glmmadaptive = {
    'software': 'R GLMMadaptive 0.9.1 (built from the CRAN GitHub mirror cran/GLMMadaptive; R version 4.2.2 Patched (2022-11-10 r83330))',
    'call': 'd <- read.csv("tests/data/sim_glmm_var16.csv"); d$cluster <- factor(d$cluster); mixed_model(y ~ x, random = ~ 1 | cluster, data = d, family = binomial(), nAGQ = 50)',
    'loglike': -1224.60922618666,
    'params': {
        'Intercept': -1.00154668325527,
        'x': 0.515327816823886,
        're_var_Intercept': 14.5771766577842,
    },
    'bse': {
        'Intercept': 0.247725290114919,
        'x': 0.0653286404015957,
    },
    'n_params': 3,
    'nobs': 3000,
    'n_clusters': 300,
    'seconds': {
        'wall_median': 105.015,
        'wall': [105.015],
        'cpu_median': 4.367,
    },
    'loglike_own_agq_at_these_estimates': {
        25: -1224.6096650219888,
        50: -1224.6092261842973,
        100: -1224.6092081971867,
    },
}

agq25_glmmadaptive_tight = {
    'software': 'R GLMMadaptive 0.9.1 (built from the CRAN GitHub mirror cran/GLMMadaptive; R version 4.2.2 Patched (2022-11-10 r83330))',
    'call': 'd <- read.csv("tests/data/sim_glmm_var16.csv"); d$cluster <- factor(d$cluster); mixed_model(y ~ x, random = ~ 1 | cluster, data = d, family = binomial(), nAGQ = 25, control = list(tol1 = 1e-8, tol2 = 1e-8, tol3 = 1e-12, numeric_deriv = "cd", iter_qN_outer = 50))',
    'loglike': -1224.60955257974,
    'params': {
        'Intercept': -1.0044550818336,
        'x': 0.515506953010841,
        're_var_Intercept': 14.6190860362747,
    },
    'bse': {
        'Intercept': 0.248070632633095,
        'x': 0.0653419556198752,
    },
    'n_params': 3,
    'nobs': 3000,
    'n_clusters': 300,
    'seconds': {
        'wall_median': 78.042,
        'wall': [78.042],
        'cpu_median': 3.672,
    },
    'loglike_own_agq_at_these_estimates': {
        25: -1224.609552626904,
        50: -1224.609062886288,
        100: -1224.609044955057,
    },
}

agq50_glmmadaptive_tight = {
    'software': 'R GLMMadaptive 0.9.1 (built from the CRAN GitHub mirror cran/GLMMadaptive; R version 4.2.2 Patched (2022-11-10 r83330))',
    'call': 'd <- read.csv("tests/data/sim_glmm_var16.csv"); d$cluster <- factor(d$cluster); mixed_model(y ~ x, random = ~ 1 | cluster, data = d, family = binomial(), nAGQ = 50, control = list(tol1 = 1e-8, tol2 = 1e-8, tol3 = 1e-12, numeric_deriv = "cd", iter_qN_outer = 50))',
    'loglike': -1224.60904749892,
    'params': {
        'Intercept': -1.00305997922272,
        'x': 0.515530048857497,
        're_var_Intercept': 14.6171798632796,
    },
    'bse': {
        'Intercept': 0.248079244213188,
        'x': 0.0653419465681494,
    },
    'n_params': 3,
    'nobs': 3000,
    'n_clusters': 300,
    'seconds': {
        'wall_median': 120.971,
        'wall': [120.971],
        'cpu_median': 5.355,
    },
    'loglike_own_agq_at_these_estimates': {
        25: -1224.609532131964,
        50: -1224.6090474987338,
        100: -1224.6090295694662,
    },
}

agq25_lme4 = {
    'software': 'R lme4 1.1.31 (Debian r-cran-lme4 1.1-31-1; R version 4.2.2 Patched (2022-11-10 r83330))',
    'call': 'd <- read.csv("tests/data/sim_glmm_var16.csv"); d$cluster <- factor(d$cluster); glmer(y ~ x + (1 | cluster), data = d, family = binomial, nAGQ = 25, control = glmerControl(optimizer = "bobyqa", optCtrl = list(rhoend = 1e-12, maxfun = 1e5)))',
    'loglike': -1224.60952790091,
    'params': {
        'Intercept': -1.00284603772408,
        'x': 0.515509701863648,
        're_var_Intercept': 14.6120735934505,
    },
    'bse': {
        'Intercept': 0.247965067983712,
        'x': 0.0653404394080802,
    },
    'n_params': 3,
    'nobs': 3000,
    'n_clusters': 300,
    'seconds': {
        'wall_median': 39.892,
        'wall': [40.682, 39.892, 36.469],
        'cpu_median': 1.733,
    },
    'loglike_own_agq_at_these_estimates': {
        25: -1224.6095291835395,
        50: -1224.60905049222,
        100: -1224.6090325552118,
    },
}

agq25_lme4_default = {
    'software': 'R lme4 1.1.31 (Debian r-cran-lme4 1.1-31-1; R version 4.2.2 Patched (2022-11-10 r83330))',
    'call': 'd <- read.csv("tests/data/sim_glmm_var16.csv"); d$cluster <- factor(d$cluster); glmer(y ~ x + (1 | cluster), data = d, family = binomial, nAGQ = 25)',
    'loglike': -1224.60952790136,
    'params': {
        'Intercept': -1.00284409949496,
        'x': 0.515508171947294,
        're_var_Intercept': 14.6120991635923,
    },
    'bse': {
        'Intercept': 0.247966203092805,
        'x': 0.065340416960296,
    },
    'n_params': 3,
    'nobs': 3000,
    'n_clusters': 300,
    'seconds': {
        'wall_median': 42.408,
        'wall': [42.648, 42.408, 40.148],
        'cpu_median': 1.664,
    },
    'loglike_own_agq_at_these_estimates': {
        25: -1224.6095291840136,
        50: -1224.6090504675399,
        100: -1224.609032530522,
    },
}

laplace_lme4 = {
    'software': 'R lme4 1.1.31 (Debian r-cran-lme4 1.1-31-1; R version 4.2.2 Patched (2022-11-10 r83330))',
    'call': 'd <- read.csv("tests/data/sim_glmm_var16.csv"); d$cluster <- factor(d$cluster); glmer(y ~ x + (1 | cluster), data = d, family = binomial, control = glmerControl(optimizer = "bobyqa", optCtrl = list(rhoend = 1e-12, maxfun = 1e5)))',
    'loglike': -1237.02023345954,
    'params': {
        'Intercept': -1.02980009460412,
        'x': 0.507470921100945,
        're_var_Intercept': 12.9282402045766,
    },
    'bse': {
        'Intercept': 0.241039868948442,
        'x': 0.0647095679143528,
    },
    'n_params': 3,
    'nobs': 3000,
    'n_clusters': 300,
    'seconds': {
        'wall_median': 19.138,
        'wall': [17.148, 19.374, 19.138],
        'cpu_median': 0.851,
    },
    'loglike_own_agq_at_these_estimates': {
        25: -1225.0071379264102,
        50: -1225.0078890869886,
        100: -1225.007874004861,
    },
}
