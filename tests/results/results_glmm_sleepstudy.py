"""Reference results: linear mixed model for sleepstudy, fitted by ML.

Generated 2026-11-25. Generator scripts: tests/results/scripts/glmm_sleepstudy_lme4.R,
glmm_sleepstudy_statsmodels.py and glmm_sleepstudy_exact.py.

Data: tests/data/sleepstudy.csv (lme4 `sleepstudy`, identical rows), 180 rows, 18 subjects.
Model: Reaction ~ Days + (Days | Subject). The random intercept and slope are correlated and the
residuals are normal. Fitted by maximum likelihood (not REML).

Keys of each model dict: loglike; params, a dict name -> value with
  "Intercept", "Days"          fixed effects
  "re_var_Intercept"           variance of the random intercept
  "re_cov_Intercept_Days"      covariance of the random intercept and the random Days slope
  "re_var_Days"                variance of the random Days slope
  "resid_var"                  residual variance sigma^2
bse (the SEs of the fixed effects only, from the ML fit); n_params = 6; nobs = 180; n_clusters = 18;
software; call.

Models:
  ml                lme4 1.1.31 with a tight bobyqa (rhoend 1e-12). This is the primary reference.
                    It agrees with our own high-precision optimum (ml_own_exact): LL within
                    2e-13, parameters within a relative 1e-06.
  ml_lme4_default   lme4 with default control. The LL is the same to 2e-8, but the variance
                    parameters are only good to a relative 6.8e-05: the likelihood is very flat in them.
  ml_statsmodels    statsmodels MixedLM with the default fit(reml=False). Relative parameter difference
                    from `ml`: 2.4e-05.
  ml_own_exact      our own independent profiled-likelihood optimum (not peer software).

Target LL -875.969672 (lme4): reproduced by every fit above to 1e-6. For the variance parameters
use rtol of about 1e-4, because the likelihood is that flat.
"""

# ruff: noqa: E501

# primary reference: lme4, tight optimiser
ml = {
    'software': 'R lme4 1.1.31 (Debian r-cran-lme4 1.1-31-1; R version 4.2.2 Patched (2022-11-10 r83330))',
    'call': 'lmer(Reaction ~ Days + (Days | Subject), sleepstudy, REML = FALSE, control = lmerControl(optimizer = "bobyqa", optCtrl = list(rhobeg = 0.2, rhoend = 1e-12)))',
    'loglike': -875.969672231599,
    'params': {
        'Intercept': 251.405104848484,
        'Days': 10.4672859595955,
        're_var_Intercept': 565.515271042699,
        're_cov_Intercept_Days': 11.0554144585638,
        're_var_Days': 32.6821976138241,
        'resid_var': 654.941037580173,
    },
    'bse': {
        'Intercept': 6.63227642115722,
        'Days': 1.50223679257189,
    },
    'aic': 1763.9393444632,
    'bic': 1783.09708556854,
    'n_params': 6,
    'nobs': 180,
    'n_clusters': 18,
    'target_loglike': -875.969672,
    'target_source': 'lme4 (given in the task brief)',
}

# lme4, default control
ml_lme4_default = {
    'software': 'R lme4 1.1.31 (Debian r-cran-lme4 1.1-31-1; R version 4.2.2 Patched (2022-11-10 r83330))',
    'call': 'lmer(Reaction ~ Days + (Days | Subject), sleepstudy, REML = FALSE)',
    'loglike': -875.969672244495,
    'params': {
        'Intercept': 251.405104848486,
        'Days': 10.4672859595958,
        're_var_Intercept': 565.476966132419,
        're_cov_Intercept_Days': 11.0551223919533,
        're_var_Days': 32.6817852488527,
        'resid_var': 654.945705764191,
    },
    'bse': {
        'Intercept': 6.63212274219029,
        'Days': 1.50223021383204,
    },
    'aic': 1763.93934448899,
    'bic': 1783.09708559433,
    'n_params': 6,
    'nobs': 180,
    'n_clusters': 18,
}

# statsmodels MixedLM
ml_statsmodels = {
    'software': 'statsmodels 0.15.0 MixedLM (Python 3.11.7)',
    'call': 'df = pd.read_csv("tests/data/sleepstudy.csv"); smf.mixedlm("Reaction ~ Days", df, groups=df["Subject"], re_formula="~Days").fit(reml=False)',
    'loglike': -875.9696722321875,
    'params': {
        'Intercept': 251.40510484848454,
        'Days': 10.467285959595904,
        're_var_Intercept': 565.5185390640758,
        're_cov_Intercept_Days': 11.055676308557032,
        're_var_Days': 32.682561364485494,
        'resid_var': 654.9399703793334,
    },
    'bse': {
        'Intercept': 6.632288564420955,
        'Days': 1.5022432794567566,
    },
    'n_params': 6,
    'nobs': 180,
    'n_clusters': 18,
}

# own independent check
ml_own_exact = {
    'software': 'own independent check (numpy/scipy), not peer software',
    'call': 'python tests/results/scripts/glmm_sleepstudy_exact.py (profiled ML in the relative Cholesky factor; BFGS then Newton polish, max |gradient| 1.1e-08)',
    'loglike': -875.9696722315988,
    'params': {
        'Intercept': 251.40510484848474,
        'Days': 10.467285959595968,
        're_var_Intercept': 565.5153669863009,
        're_cov_Intercept_Days': 11.055428993789764,
        're_var_Days': 32.68219725259469,
        'resid_var': 654.941026928528,
    },
    'bse': {
        'Intercept': 6.632276807583707,
        'Days': 1.502236783505034,
    },
    'n_params': 6,
    'nobs': 180,
    'n_clusters': 18,
}

