"""Reference results: linear mixed models for High School and Beyond 1982, ML and REML.

Generated 2026-12-03. Generator scripts: tests/results/scripts/lmm_lme4.R and lmm_statsmodels.py
(argument "hsb82"), module written by write_lmm_modules.py.

Data: tests/data/hsb82.csv (mlmRev `Hsb82`, identical rows: checked by the R script), 7185
students in 160 schools.  Models (school as factor):
  anova_ml, anova_reml     mAch ~ 1 + (1 | school)   (one-way random-effects ANOVA)
  slopes_ml, slopes_reml   mAch ~ meanses * cses + (cses | school)
                           (intercepts and slopes as outcomes; correlated random effects)

Keys of each lme4 dict: loglike (the REML criterion for *_reml fits, as logLik() reports
it), params (fixed effects by lme4's names with "(Intercept)" -> "Intercept"; re_var_<effect>,
re_cov_<effect>_<effect>, resid_var: the VarCorr variances, covariances and sigma^2), bse
(sqrt(diag(vcov())), the fixed effects' SEs sigma^2 (X'V^-1X)^-1 given the covariance
parameters), vcov (that matrix), sd_cor (VarCorr's SDs and correlations, sigma),
theta, aic, bic, n_params, nobs, n_clusters, confint_profile (confint(fit, method =
"profile", oldNames = FALSE), 95 %, keyed by lme4's row names: sd_<effect>|<group>,
cor_<effect>.<effect>|<group>, sigma and the fixed effects, "(Intercept)" as "Intercept"),
software, call.
The random-slope ML fits also have predict (predict(fit), every row in the data's order),
predict_population (predict(fit, re.form = NA)), newdata (three rows of known clusters and one
of a new cluster), predict_newdata (predict(fit, newdata, allow.new.levels = TRUE): known
clusters get their conditional modes, the new one the population value) and
predict_newdata_population (re.form = NA), and ranef (ranef(fit, condVar = TRUE): the
conditional modes = posterior means of the random effects per cluster, in lme4's sorted
cluster order, and their conditional covariance matrices).
Dicts *_<optimizer> hold the same fit by the other tight optimiser (loglike, params, bse).
statsmodels dicts (*_statsmodels: tight, started at the default fit; *_statsmodels_default:
fit(reml=...) as users get it): loglike, params (as lme4's; cov_re and scale), bse (bse_fe:
from the inverse of statsmodels' Hessian with the cross terms between fixed effects and
covariance parameters, i.e. the full inverse observed information), relative (statsmodels'
own covariance parameters cov_re / scale) and bse_relative (their SEs as statsmodels'
res.bse reports them: the delta-method SEs of cov_re / scale from the full inverse
information), statsmodels_names, converged, nobs, n_clusters.

Primary: lme4 1.1-31 with nloptwrap at machine-precision tolerances: bobyqa with rhoend 1e-12
stops up to 2e-6 (relative to max(|estimate|, SE)) from the optimum of slopes_reml, whose REML
surface is flat in the random-effect covariances.  Agreement (relative):
  anova_ml: LL -23557.905112; bobyqa |dLL| 0.0e+00, max rel. param diff 3.4e-08; statsmodels tight |dLL| 5.5e-11, 1.2e-08; statsmodels default 1.8e-04
  anova_reml: LL -23558.396742; bobyqa |dLL| 0.0e+00, max rel. param diff 2.0e-07; statsmodels tight |dLL| 2.5e-11, 1.5e-07; statsmodels default 8.8e-05
  slopes_ml: LL -23276.186501; bobyqa |dLL| 0.0e+00, max rel. param diff 4.2e-07; statsmodels tight |dLL| 1.8e-11, 3.0e-07; statsmodels default 3.0e-04
  slopes_reml: LL -23278.650839; bobyqa |dLL| 0.0e+00, max rel. param diff 2.3e-06; statsmodels tight |dLL| 1.5e-11, 4.0e-07; statsmodels default 3.3e-04
"""

# ruff: noqa: E501

anova_ml = {
    'software': 'R lme4 1.1.31 (Debian r-cran-lme4 1.1-31-1; R version 4.2.2 Patched (2022-11-10 r83330))',
    'call': 'lmer(mAch ~ 1 + (1 | school), hsb82, REML = FALSE, control = lmerControl(optimizer = "nloptwrap", optCtrl = list(xtol_abs = 1e-14, ftol_abs = 1e-16, xtol_rel = 1e-14, ftol_rel = 1e-16, maxeval = 1e5)))',
    'loglike': -23557.9051122588,
    'params': {
        'Intercept': 12.6370697820601,
        're_var_Intercept': 8.5534643192886,
        'resid_var': 39.1483996187924,
    },
    'bse': {
        'Intercept': 0.243617135338882,
    },
    'vcov': [
        [0.0593493086307229],
    ],
    'sd_cor': {
        're_sd_Intercept': 2.9246306295477,
        'sigma': 6.25686819573438,
    },
    'theta': 0.46742723964388,
    'aic': 47121.8102245177,
    'bic': 47142.4494769132,
    'n_params': 3,
    'nobs': 7185,
    'n_clusters': 160,
    'confint_profile': {
        'sd_(Intercept)|school': [2.59472858218205, 3.31587998043952],
        'sigma': [6.15480321548489, 6.36178564610479],
        'Intercept': [12.1562894345352, 13.1171210600934],
    },
}

anova_ml_bobyqa = {
    'software': 'R lme4 1.1.31 (Debian r-cran-lme4 1.1-31-1; R version 4.2.2 Patched (2022-11-10 r83330))',
    'call': 'lmer(mAch ~ 1 + (1 | school), hsb82, REML = FALSE, control = lmerControl(optimizer = "bobyqa", optCtrl = list(rhobeg = 0.2, rhoend = 1e-12)))',
    'loglike': -23557.9051122588,
    'params': {
        'Intercept': 12.6370697825301,
        're_var_Intercept': 8.55346403027584,
        'resid_var': 39.1483996458685,
    },
    'bse': {
        'Intercept': 0.243617131635785,
    },
}

anova_ml_statsmodels = {
    'software': 'statsmodels 0.15.0 MixedLM (Python 3.11.7)',
    'call': 'df = pd.read_csv("tests/data/hsb82.csv"); smf.mixedlm("mAch ~ 1", df, groups=df["school"]).fit(reml=False, start_params=<the default fit>, method="bfgs", gtol=1e-10, maxiter=2000)',
    'loglike': -23557.905112258853,
    'params': {
        'Intercept': 12.637069782224215,
        're_var_Intercept': 8.553464218574849,
        'resid_var': 39.14839962822791,
    },
    'bse': {
        'Intercept': 0.2436232226647252,
    },
    'relative': {
        're_var_Intercept': 0.21848822173582247,
    },
    'bse_relative': {
        're_var_Intercept': 0.027606224287382894,
    },
    'statsmodels_names': {
        're_var_Intercept': 'Group Var',
    },
    'converged': True,
    'nobs': 7185,
    'n_clusters': 160,
}

anova_ml_statsmodels_default = {
    'software': 'statsmodels 0.15.0 MixedLM (Python 3.11.7)',
    'call': 'df = pd.read_csv("tests/data/hsb82.csv"); smf.mixedlm("mAch ~ 1", df, groups=df["school"]).fit(reml=False)',
    'loglike': -23557.905113281126,
    'params': {
        'Intercept': 12.637067319541533,
        're_var_Intercept': 8.554978702372344,
        'resid_var': 39.14825776625774,
    },
    'bse': {
        'Intercept': 0.2436426265652846,
    },
    'relative': {
        're_var_Intercept': 0.21852769932832009,
    },
    'bse_relative': {
        're_var_Intercept': 0.027615075231641244,
    },
    'statsmodels_names': {
        're_var_Intercept': 'Group Var',
    },
    'converged': True,
    'nobs': 7185,
    'n_clusters': 160,
}

anova_reml = {
    'software': 'R lme4 1.1.31 (Debian r-cran-lme4 1.1-31-1; R version 4.2.2 Patched (2022-11-10 r83330))',
    'call': 'lmer(mAch ~ 1 + (1 | school), hsb82, REML = TRUE, control = lmerControl(optimizer = "nloptwrap", optCtrl = list(xtol_abs = 1e-14, ftol_abs = 1e-16, xtol_rel = 1e-14, ftol_rel = 1e-16, maxeval = 1e5)))',
    'loglike': -23558.3967417747,
    'params': {
        'Intercept': 12.6369738137143,
        're_var_Intercept': 8.61402342635364,
        'resid_var': 39.1483220215125,
    },
    'bse': {
        'Intercept': 0.244393542794702,
    },
    'vcov': [
        [0.0597282037597459],
    ],
    'sd_cor': {
        're_sd_Intercept': 2.934965660166,
        'sigma': 6.25686199476323,
    },
    'theta': 0.469079494261255,
    'aic': 47122.7934835494,
    'bic': 47143.432735945,
    'n_params': 3,
    'nobs': 7185,
    'n_clusters': 160,
    'confint_profile': {
        'sd_(Intercept)|school': [2.59472858234436, 3.31587998026016],
        'sigma': [6.15480321548091, 6.36178564609734],
        'Intercept': [12.1562894345319, 13.1171210600947],
    },
}

anova_reml_bobyqa = {
    'software': 'R lme4 1.1.31 (Debian r-cran-lme4 1.1-31-1; R version 4.2.2 Patched (2022-11-10 r83330))',
    'call': 'lmer(mAch ~ 1 + (1 | school), hsb82, REML = TRUE, control = lmerControl(optimizer = "bobyqa", optCtrl = list(rhobeg = 0.2, rhoend = 1e-12)))',
    'loglike': -23558.3967417747,
    'params': {
        'Intercept': 12.6369738109011,
        're_var_Intercept': 8.61402517694057,
        'resid_var': 39.148321859564,
    },
    'bse': {
        'Intercept': 0.2443935651539,
    },
}

anova_reml_statsmodels = {
    'software': 'statsmodels 0.15.0 MixedLM (Python 3.11.7)',
    'call': 'df = pd.read_csv("tests/data/hsb82.csv"); smf.mixedlm("mAch ~ 1", df, groups=df["school"]).fit(reml=True, start_params=<the default fit>, method="bfgs", gtol=1e-10, maxiter=2000)',
    'loglike': -23558.396741774726,
    'params': {
        'Intercept': 12.636973811602102,
        're_var_Intercept': 8.614024740876227,
        'resid_var': 39.14832189990488,
    },
    'bse': {
        'Intercept': 0.24439959867341188,
    },
    'relative': {
        're_var_Intercept': 0.22003560619790338,
    },
    'bse_relative': {
        're_var_Intercept': 0.02786710873035385,
    },
    'statsmodels_names': {
        're_var_Intercept': 'Group Var',
    },
    'converged': True,
    'nobs': 7185,
    'n_clusters': 160,
}

anova_reml_statsmodels_default = {
    'software': 'statsmodels 0.15.0 MixedLM (Python 3.11.7)',
    'call': 'df = pd.read_csv("tests/data/hsb82.csv"); smf.mixedlm("mAch ~ 1", df, groups=df["school"]).fit(reml=True)',
    'loglike': -23558.39674202475,
    'params': {
        'Intercept': 12.63697259668749,
        're_var_Intercept': 8.614780848611236,
        'resid_var': 39.148251957268236,
    },
    'bse': {
        'Intercept': 0.24440925565157232,
    },
    'relative': {
        're_var_Intercept': 0.2200553132746409,
    },
    'bse_relative': {
        're_var_Intercept': 0.027871540574792266,
    },
    'statsmodels_names': {
        're_var_Intercept': 'Group Var',
    },
    'converged': True,
    'nobs': 7185,
    'n_clusters': 160,
}

slopes_ml = {
    'software': 'R lme4 1.1.31 (Debian r-cran-lme4 1.1-31-1; R version 4.2.2 Patched (2022-11-10 r83330))',
    'call': 'lmer(mAch ~ meanses * cses + (cses | school), hsb82, REML = FALSE, control = lmerControl(optimizer = "nloptwrap", optCtrl = list(xtol_abs = 1e-14, ftol_abs = 1e-16, xtol_rel = 1e-14, ftol_rel = 1e-16, maxeval = 1e5)))',
    'loglike': -23276.1865013785,
    'params': {
        'Intercept': 12.6808962530744,
        'meanses': 5.86821854749378,
        'cses': 2.19771655628213,
        'meanses:cses': 0.286622986118282,
        're_var_Intercept': 2.64754465216556,
        're_cov_Intercept_cses': -0.261576583143714,
        're_var_cses': 0.649564451146136,
        'resid_var': 36.7156198889242,
    },
    'bse': {
        'Intercept': 0.14827896509055,
        'meanses': 0.359032619060113,
        'cses': 0.127290608687697,
        'meanses:cses': 0.316875174571419,
    },
    'vcov': [
        [0.0219866514883246, 0.000552414943326973, -0.00165713490956911, -5.8105165047716e-05],
        [0.000552414943326973, 0.128904421549164, -5.76334672733016e-05, -0.00973771005778841],
        [-0.00165713490956911, -5.76334672733016e-05, 0.0162028990600844, 0.00230937958940954],
        [-5.8105165047716e-05, -0.00973771005778841, 0.00230937958940954, 0.100409876259668],
    ],
    'sd_cor': {
        're_sd_Intercept': 1.6271277307469,
        're_cor_Intercept_cses': -0.199464719774998,
        're_sd_cses': 0.805955613632746,
        'sigma': 6.0593415392206,
    },
    'theta': [0.268532103730234, -0.0265308878173948, 0.130337584911966],
    'aic': 46568.373002757,
    'bic': 46623.4110091451,
    'n_params': 8,
    'nobs': 7185,
    'n_clusters': 160,
    'confint_profile': {
        'sd_(Intercept)|school': [1.40457908070561, 1.8855206034142],
        'cor_cses.(Intercept)|school': [-0.574262350602579, 0.155590667534145],
        'sd_cses|school': [0.430069219663994, 1.13331130813096],
        'sigma': [5.95946967569409, 6.16202841954037],
        'Intercept': [12.3878620046979, 12.9728515414404],
        'meanses': [5.16117267385844, 6.57744972160313],
        'cses': [1.94672810807234, 2.44879587465163],
        'meanses:cses': [-0.340494179846043, 0.909331862089987],
    },
}

slopes_ml_bobyqa = {
    'software': 'R lme4 1.1.31 (Debian r-cran-lme4 1.1-31-1; R version 4.2.2 Patched (2022-11-10 r83330))',
    'call': 'lmer(mAch ~ meanses * cses + (cses | school), hsb82, REML = FALSE, control = lmerControl(optimizer = "bobyqa", optCtrl = list(rhobeg = 0.2, rhoend = 1e-12)))',
    'loglike': -23276.1865013785,
    'params': {
        'Intercept': 12.6808962461066,
        'meanses': 5.86821856185991,
        'cses': 2.19771655657851,
        'meanses:cses': 0.286622985430571,
        're_var_Intercept': 2.64754576729959,
        're_cov_Intercept_cses': -0.261576635730069,
        're_var_cses': 0.649564469164179,
        'resid_var': 36.7156196184832,
    },
    'bse': {
        'Intercept': 0.148278988606793,
        'meanses': 0.359032676054685,
        'cses': 0.127290608814892,
        'meanses:cses': 0.316875174823039,
    },
}

slopes_ml_statsmodels = {
    'software': 'statsmodels 0.15.0 MixedLM (Python 3.11.7)',
    'call': 'df = pd.read_csv("tests/data/hsb82.csv"); smf.mixedlm("mAch ~ meanses * cses", df, groups=df["school"], re_formula="~cses").fit(reml=False, start_params=<the default fit>, method="bfgs", gtol=1e-10, maxiter=2000)',
    'loglike': -23276.186501378517,
    'params': {
        'Intercept': 12.680896251492738,
        'meanses': 5.868218549835262,
        'cses': 2.197716555779086,
        'meanses:cses': 0.2866229910004774,
        're_var_Intercept': 2.647544782170176,
        're_cov_Intercept_cses': -0.26157666034771254,
        're_var_cses': 0.6495643219627084,
        'resid_var': 36.715619903703306,
    },
    'bse': {
        'Intercept': 0.14831689986287028,
        'meanses': 0.35907420398493606,
        'cses': 0.1272973725245932,
        'meanses:cses': 0.3170640567396233,
    },
    'relative': {
        're_var_Intercept': 0.07210949424561214,
        're_cov_Intercept_cses': -0.007124397219324322,
        're_var_cses': 0.017691770523454796,
    },
    'bse_relative': {
        're_var_Intercept': 0.0109208915912051,
        're_cov_Intercept_cses': 0.0064879178758033085,
        're_var_cses': 0.007535079607913771,
    },
    'statsmodels_names': {
        're_var_Intercept': 'Group Var',
        're_cov_Intercept_cses': 'Group x cses Cov',
        're_var_cses': 'cses Var',
    },
    'converged': False,
    'nobs': 7185,
    'n_clusters': 160,
}

slopes_ml_statsmodels_default = {
    'software': 'statsmodels 0.15.0 MixedLM (Python 3.11.7)',
    'call': 'df = pd.read_csv("tests/data/hsb82.csv"); smf.mixedlm("mAch ~ meanses * cses", df, groups=df["school"], re_formula="~cses").fit(reml=False)',
    'loglike': -23276.186501436885,
    'params': {
        'Intercept': 12.680895287081997,
        'meanses': 5.868219698814078,
        'cses': 2.1977161765356894,
        'meanses:cses': 0.2866217501505943,
        're_var_Intercept': 2.647588959411712,
        're_cov_Intercept_cses': -0.2616546214522278,
        're_var_cses': 0.6495899970508876,
        'resid_var': 36.71560477980909,
    },
    'bse': {
        'Intercept': 0.14831782799761076,
        'meanses': 0.35907645340871186,
        'cses': 0.1272980090795619,
        'meanses:cses': 0.31706556635637084,
    },
    'relative': {
        're_var_Intercept': 0.07211072717690035,
        're_cov_Intercept_cses': -0.0071265235319266425,
        're_var_cses': 0.017692477107393714,
    },
    'bse_relative': {
        're_var_Intercept': 0.010921168228737132,
        're_cov_Intercept_cses': 0.006488093540824949,
        're_var_cses': 0.007535243475913377,
    },
    'statsmodels_names': {
        're_var_Intercept': 'Group Var',
        're_cov_Intercept_cses': 'Group x cses Cov',
        're_var_cses': 'cses Var',
    },
    'converged': True,
    'nobs': 7185,
    'n_clusters': 160,
}

slopes_reml = {
    'software': 'R lme4 1.1.31 (Debian r-cran-lme4 1.1-31-1; R version 4.2.2 Patched (2022-11-10 r83330))',
    'call': 'lmer(mAch ~ meanses * cses + (cses | school), hsb82, REML = TRUE, control = lmerControl(optimizer = "nloptwrap", optCtrl = list(xtol_abs = 1e-14, ftol_abs = 1e-16, xtol_rel = 1e-14, ftol_rel = 1e-16, maxeval = 1e5)))',
    'loglike': -23278.650838987,
    'params': {
        'Intercept': 12.6806476620741,
        'meanses': 5.86875591252351,
        'cses': 2.19776244148629,
        'meanses:cses': 0.285440675280623,
        're_var_Intercept': 2.69315384703255,
        're_cov_Intercept_cses': -0.263775351288091,
        're_var_cses': 0.680401577002599,
        'resid_var': 36.7159164959394,
    },
    'bse': {
        'Intercept': 0.149243175013234,
        'meanses': 0.361369440645029,
        'cses': 0.128098164866996,
        'meanses:cses': 0.318799253371177,
    },
    'vcov': [
        [0.0222735252880307, 0.000562521948221904, -0.00167060681185039, -5.86383553255852e-05],
        [0.000562521948221904, 0.130587872632101, -5.81708166646315e-05, -0.00981680226737175],
        [-0.00167060681185039, -5.81708166646315e-05, 0.0164091398422921, 0.00231426747849519],
        [-5.86383553255852e-05, -0.00981680226737175, 0.00231426747849519, 0.10163296395002],
    ],
    'sd_cor': {
        're_sd_Intercept': 1.64108313227348,
        're_cor_Intercept_cses': -0.194859225785504,
        're_sd_cses': 0.824864581008664,
        'sigma': 6.05936601435657,
    },
    'theta': [0.270834131555221, -0.0265262856299498, 0.133521053425134],
    'aic': 46573.3016779739,
    'bic': 46628.339684362,
    'n_params': 8,
    'nobs': 7185,
    'n_clusters': 160,
    'confint_profile': {
        'sd_(Intercept)|school': [1.40457908027038, 1.885520603882],
        'cor_cses.(Intercept)|school': [-0.574262350638115, 0.155590668249908],
        'sd_cses|school': [0.430069210147453, 1.13331132292925],
        'sigma': [5.95946967584873, 6.16202841915816],
        'Intercept': [12.3878619844294, 12.9728515416551],
        'meanses': [5.16117268184617, 6.57744971834982],
        'cses': [1.94672809327194, 2.4487958716624],
        'meanses:cses': [-0.340494181669304, 0.909331855568869],
    },
}

slopes_reml_bobyqa = {
    'software': 'R lme4 1.1.31 (Debian r-cran-lme4 1.1-31-1; R version 4.2.2 Patched (2022-11-10 r83330))',
    'call': 'lmer(mAch ~ meanses * cses + (cses | school), hsb82, REML = TRUE, control = lmerControl(optimizer = "bobyqa", optCtrl = list(rhobeg = 0.2, rhoend = 1e-12)))',
    'loglike': -23278.650838987,
    'params': {
        'Intercept': 12.6806476589484,
        'meanses': 5.86875591258472,
        'cses': 2.19776243876611,
        'meanses:cses': 0.285440652301542,
        're_var_Intercept': 2.69315350601099,
        're_cov_Intercept_cses': -0.263775954005787,
        're_var_cses': 0.680402126256858,
        'resid_var': 36.7159164297089,
    },
    'bse': {
        'Intercept': 0.149243167784884,
        'meanses': 0.361369423130597,
        'cses': 0.128098178959517,
        'meanses:cses': 0.318799286888813,
    },
}

slopes_reml_statsmodels = {
    'software': 'statsmodels 0.15.0 MixedLM (Python 3.11.7)',
    'call': 'df = pd.read_csv("tests/data/hsb82.csv"); smf.mixedlm("mAch ~ meanses * cses", df, groups=df["school"], re_formula="~cses").fit(reml=True, start_params=<the default fit>, method="bfgs", gtol=1e-10, maxiter=2000)',
    'loglike': -23278.650838986985,
    'params': {
        'Intercept': 12.680647661192497,
        'meanses': 5.868755913086011,
        'cses': 2.1977624408024554,
        'meanses:cses': 0.2854406786105378,
        're_var_Intercept': 2.6931538209386927,
        're_cov_Intercept_cses': -0.26377545597330704,
        're_var_cses': 0.6804014811689172,
        'resid_var': 36.715916537496135,
    },
    'bse': {
        'Intercept': 0.14928055663679973,
        'meanses': 0.3614101675299382,
        'cses': 0.12810471678498334,
        'meanses:cses': 0.31898340371112854,
    },
    'relative': {
        're_var_Intercept': 0.07335112602155278,
        're_cov_Intercept_cses': -0.007184226375063422,
        're_var_cses': 0.018531512905964286,
    },
    'bse_relative': {
        're_var_Intercept': 0.011133082991734876,
        're_cov_Intercept_cses': 0.006614613711191537,
        're_var_cses': 0.007687374294848699,
    },
    'statsmodels_names': {
        're_var_Intercept': 'Group Var',
        're_cov_Intercept_cses': 'Group x cses Cov',
        're_var_cses': 'cses Var',
    },
    'converged': False,
    'nobs': 7185,
    'n_clusters': 160,
}

slopes_reml_statsmodels_default = {
    'software': 'statsmodels 0.15.0 MixedLM (Python 3.11.7)',
    'call': 'df = pd.read_csv("tests/data/hsb82.csv"); smf.mixedlm("mAch ~ meanses * cses", df, groups=df["school"], re_formula="~cses").fit(reml=True)',
    'loglike': -23278.650839059337,
    'params': {
        'Intercept': 12.680646580915337,
        'meanses': 5.868757210875968,
        'cses': 2.197762031553287,
        'meanses:cses': 0.28543931205330214,
        're_var_Intercept': 2.693206358691677,
        're_cov_Intercept_cses': -0.26386360182440183,
        're_var_cses': 0.6804301415323856,
        'resid_var': 36.71589935494642,
    },
    'bse': {
        'Intercept': 0.14928165363160503,
        'meanses': 0.3614128262074802,
        'cses': 0.12810542174317352,
        'meanses:cses': 0.3189850757283803,
    },
    'relative': {
        're_var_Intercept': 0.07335259127538828,
        're_cov_Intercept_cses': -0.007186630491426426,
        're_var_cses': 0.018532302176624115,
    },
    'bse_relative': {
        're_var_Intercept': 0.011133414037020825,
        're_cov_Intercept_cses': 0.006614817177167838,
        're_var_cses': 0.0076875581217798715,
    },
    'statsmodels_names': {
        're_var_Intercept': 'Group Var',
        're_cov_Intercept_cses': 'Group x cses Cov',
        're_var_cses': 'cses Var',
    },
    'converged': True,
    'nobs': 7185,
    'n_clusters': 160,
}
