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

REML fits, lme4's profile intervals, predictions and conditional modes, and a tight MixedLM
ML fit are in the section at the end of this module (written by write_lmm_modules.py).
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


# ---- REML, profile intervals and predictions (write_lmm_modules.py) ----
# Generated 2026-12-03 by lmm_lme4.R / lmm_statsmodels.py (argument "sleepstudy") and
# write_lmm_modules.py.  Keys as in results_lmm_exam.py.
#   reml                      lme4 REML fit, tight bobyqa (rhoend 1e-12): loglike is the REML
#                             criterion; params, bse (vcov at the REML estimates), sd_cor,
#                             confint_profile
#   reml_nlopt                the same fit by nloptwrap at machine-precision tolerances
#   reml_statsmodels(_default) MixedLM fit(reml=True), tight / default
#   ml_statsmodels_tight      MixedLM fit(reml=False) tightened (the `ml_statsmodels` above is
#                             the default fit)
#   ml_profile                the ML fit of `ml` again with vcov, sd_cor, confint_profile,
#                             predict(...) and ranef(condVar = TRUE)
# Agreement (relative):
#   rs_ml: LL -875.969672; nlopt |dLL| 0.0e+00, max rel. param diff 1.1e-06; statsmodels tight |dLL| 2.3e-13, 8.8e-07; statsmodels default 2.4e-05
#   rs_reml: LL -871.814136; nlopt |dLL| 1.0e-12, max rel. param diff 6.0e-07; statsmodels tight |dLL| 6.8e-13, 3.1e-07; statsmodels default 2.7e-05

reml = {
    'software': 'R lme4 1.1.31 (Debian r-cran-lme4 1.1-31-1; R version 4.2.2 Patched (2022-11-10 r83330))',
    'call': 'lmer(Reaction ~ Days + (Days | Subject), sleepstudy, REML = TRUE, control = lmerControl(optimizer = "bobyqa", optCtrl = list(rhobeg = 0.2, rhoend = 1e-12)))',
    'loglike': -871.814135979246,
    'params': {
        'Intercept': 251.405104848486,
        'Days': 10.467285959596,
        're_var_Intercept': 612.089748274669,
        're_cov_Intercept_Days': 9.60433547475486,
        're_var_Days': 35.0716623442135,
        'resid_var': 654.941040681969,
    },
    'bse': {
        'Intercept': 6.82455577627583,
        'Days': 1.54578893242985,
    },
    'vcov': [
        [46.5745615434997, -1.45109562720643],
        [-1.45109562720643, 2.38946342362262],
    ],
    'sd_cor': {
        're_sd_Intercept': 24.7404476166998,
        're_cor_Intercept_Days': 0.0655513428534642,
        're_sd_Days': 5.92213325957914,
        'sigma': 25.5918158926241,
    },
    'theta': [0.966732791471446, 0.0151690598803683, 0.230909598085307],
    'aic': 1755.62827195849,
    'bic': 1774.78601306383,
    'n_params': 6,
    'nobs': 180,
    'n_clusters': 18,
    'confint_profile': {
        'sd_(Intercept)|Subject': [14.3814416527205, 37.7159963230986],
        'cor_Days.(Intercept)|Subject': [-0.481500739929643, 0.68498597858607],
        'sd_Days|Subject': [3.8011640712329, 8.7533831194899],
        'sigma': [22.8982668812827, 28.8579965348915],
        'Intercept': [237.680695489358, 265.129514618669],
        'Days': [7.35865326004064, 13.575918752244],
    },
}

reml_nlopt = {
    'software': 'R lme4 1.1.31 (Debian r-cran-lme4 1.1-31-1; R version 4.2.2 Patched (2022-11-10 r83330))',
    'call': 'lmer(Reaction ~ Days + (Days | Subject), sleepstudy, REML = TRUE, control = lmerControl(optimizer = "nloptwrap", optCtrl = list(xtol_abs = 1e-14, ftol_abs = 1e-16, xtol_rel = 1e-14, ftol_rel = 1e-16, maxeval = 1e5)))',
    'loglike': -871.814135979245,
    'params': {
        'Intercept': 251.405104848484,
        'Days': 10.4672859595964,
        're_var_Intercept': 612.089870222393,
        're_cov_Intercept_Days': 9.60434122725561,
        're_var_Days': 35.0716602393396,
        'resid_var': 654.941032799968,
    },
    'bse': {
        'Intercept': 6.82455626155296,
        'Days': 1.54578889288849,
    },
}

reml_statsmodels = {
    'software': 'statsmodels 0.15.0 MixedLM (Python 3.11.7)',
    'call': 'df = pd.read_csv("tests/data/sleepstudy.csv"); smf.mixedlm("Reaction ~ Days", df, groups=df["Subject"], re_formula="~Days").fit(reml=True, start_params=<the default fit>, method="bfgs", gtol=1e-10, maxiter=2000)',
    'loglike': -871.8141359792453,
    'params': {
        'Intercept': 251.4051048484847,
        'Days': 10.467285959595948,
        're_var_Intercept': 612.0899381059556,
        're_cov_Intercept_Days': 9.604333343065859,
        're_var_Days': 35.07166042579773,
        'resid_var': 654.9410272460766,
    },
    'bse': {
        'Intercept': 6.824556530048031,
        'Days': 1.5457888950294028,
    },
    'relative': {
        're_var_Intercept': 0.9345725991234616,
        're_cov_Intercept_Days': 0.014664424648201627,
        're_var_Days': 0.053549341034976106,
    },
    'bse_relative': {
        're_var_Intercept': 0.46423877156308424,
        're_cov_Intercept_Days': 0.07113620774993601,
        're_var_Days': 0.02381732061103587,
    },
    'statsmodels_names': {
        're_var_Intercept': 'Group Var',
        're_cov_Intercept_Days': 'Group x Days Cov',
        're_var_Days': 'Days Var',
    },
    'converged': False,
    'nobs': 180,
    'n_clusters': 18,
}

reml_statsmodels_default = {
    'software': 'statsmodels 0.15.0 MixedLM (Python 3.11.7)',
    'call': 'df = pd.read_csv("tests/data/sleepstudy.csv"); smf.mixedlm("Reaction ~ Days", df, groups=df["Subject"], re_formula="~Days").fit(reml=True)',
    'loglike': -871.8141359795748,
    'params': {
        'Intercept': 251.40510484848485,
        'Days': 10.46728595959601,
        're_var_Intercept': 612.0964868880523,
        're_cov_Intercept_Days': 9.604599386497974,
        're_var_Days': 35.07162272805253,
        'resid_var': 654.9404769803164,
    },
    'bse': {
        'Intercept': 6.824582411576025,
        'Days': 1.5457880977442258,
    },
    'relative': {
        're_var_Intercept': 0.9345833833788963,
        're_cov_Intercept_Days': 0.01466484317900332,
        're_var_Days': 0.05354932846684719,
    },
    'bse_relative': {
        're_var_Intercept': 0.46424620400838057,
        're_cov_Intercept_Days': 0.07113668618464705,
        're_var_Days': 0.02381729148399174,
    },
    'statsmodels_names': {
        're_var_Intercept': 'Group Var',
        're_cov_Intercept_Days': 'Group x Days Cov',
        're_var_Days': 'Days Var',
    },
    'converged': True,
    'nobs': 180,
    'n_clusters': 18,
}

ml_statsmodels_tight = {
    'software': 'statsmodels 0.15.0 MixedLM (Python 3.11.7)',
    'call': 'df = pd.read_csv("tests/data/sleepstudy.csv"); smf.mixedlm("Reaction ~ Days", df, groups=df["Subject"], re_formula="~Days").fit(reml=False, start_params=<the default fit>, method="bfgs", gtol=1e-10, maxiter=2000)',
    'loglike': -875.9696722315988,
    'params': {
        'Intercept': 251.40510484848488,
        'Days': 10.467285959595952,
        're_var_Intercept': 565.5153604992039,
        're_cov_Intercept_Days': 11.055424224743104,
        're_var_Days': 32.68219792367567,
        'resid_var': 654.9410268484592,
    },
    'bse': {
        'Intercept': 6.632276780298131,
        'Days': 1.50223679589601,
    },
    'relative': {
        're_var_Intercept': 0.8634599716869673,
        're_cov_Intercept_Days': 0.01688003006612856,
        're_var_Days': 0.04990097823149153,
    },
    'bse_relative': {
        're_var_Intercept': 0.4274158230280607,
        're_cov_Intercept_Days': 0.06529968648615761,
        're_var_Days': 0.021928156087749794,
    },
    'statsmodels_names': {
        're_var_Intercept': 'Group Var',
        're_cov_Intercept_Days': 'Group x Days Cov',
        're_var_Days': 'Days Var',
    },
    'converged': False,
    'nobs': 180,
    'n_clusters': 18,
}

ml_profile = {
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
    'vcov': [
        [43.987090526638, -1.37048011870663],
        [-1.37048011870663, 2.25671538095668],
    ],
    'sd_cor': {
        're_sd_Intercept': 23.7805649857756,
        're_cor_Intercept_Days': 0.0813199745870965,
        're_sd_Days': 5.71683457988983,
        'sigma': 25.5918158320228,
    },
    'theta': [0.929225387595172, 0.0181656841314699, 0.222645424073262],
    'confint_profile': {
        'sd_(Intercept)|Subject': [14.3814367831127, 37.7159962563154],
        'cor_Days.(Intercept)|Subject': [-0.48150073878606, 0.684985970746666],
        'sd_Days|Subject': [3.80116410218406, 8.75338315989923],
        'sigma': [22.8982668765588, 28.8579965399866],
        'Intercept': [237.680695489443, 265.12951461867],
        'Days': [7.35865326004694, 13.5759187522512],
    },
    'predict': [254.220787070762, 273.763607150686, 293.306427230611, 312.849247310535, 332.39206739046, 351.934887470384, 371.477707550308, 391.020527630233, 410.563347710157, 430.106167790082, 211.356619564439, 213.179837782107, 215.003055999776, 216.826274217445, 218.649492435113, 220.472710652782, 222.295928870451, 224.119147088119, 225.942365305788, 227.765583523457, 212.971953392501, 217.925860204043, 222.879767015585, 227.833673827128, 232.78758063867, 237.741487450212, 242.695394261755, 247.649301073297, 252.603207884839, 257.557114696381, 274.237400044048, 280.045935661223, 285.854471278399, 291.663006895574, 297.47154251275, 303.280078129926, 309.088613747101, 314.897149364277, 320.705684981452, 326.514220598628, 272.955094097035, 280.477860032995, 288.000625968954, 295.523391904914, 303.046157840873, 310.568923776833, 318.091689712792, 325.614455648752, 333.137221584711, 340.65998752067, 260.220691109566, 270.452767925439, 280.684844741312, 290.916921557185, 301.148998373058, 311.381075188931, 321.613152004804, 331.845228820678, 342.077305636551, 352.309382452424, 267.847091780541, 278.155554061184, 288.464016341827, 298.77247862247, 309.080940903113, 319.389403183755, 329.697865464398, 340.006327745041, 350.314790025684, 360.623252306327, 244.408384570928, 255.908406747832, 267.408428924737, 278.908451101641, 290.408473278545, 301.908495455449, 313.408517632354, 324.908539809258, 336.408561986162, 347.908584163067, 250.367687630131, 250.235529666482, 250.103371702833, 249.971213739183, 249.839055775534, 249.706897811885, 249.574739848235, 249.442581884586, 249.310423920937, 249.178265957288, 286.071417293476, 305.171080843963, 324.27074439445, 343.370407944936, 362.470071495423, 381.56973504591, 400.669398596397, 419.769062146884, 438.868725697371, 457.968389247858, 226.846947027399, 238.378633847074, 249.910320666749, 261.442007486424, 272.973694306099, 284.505381125774, 296.037067945448, 307.568754765123, 319.100441584798, 330.632128404473, 239.070472767575, 256.009462435678, 272.948452103782, 289.887441771886, 306.82643143999, 323.765421108093, 340.704410776197, 357.643400444301, 374.582390112405, 391.521379780508, 255.679171756777, 263.19111403599, 270.703056315203, 278.214998594416, 285.726940873629, 293.238883152842, 300.750825432055, 308.262767711268, 315.774709990481, 323.286652269694, 272.027323370311, 286.05631366034, 300.08530395037, 314.114294240399, 328.143284530428, 342.172274820457, 356.201265110486, 370.230255400515, 384.259245690544, 398.288235980573, 254.663640837834, 266.002637109203, 277.341633380572, 288.680629651941, 300.019625923311, 311.35862219468, 322.697618466049, 334.036614737418, 345.375611008787, 356.714607280156, 226.694771245508, 241.821792739997, 256.948814234485, 272.075835728974, 287.202857223462, 302.32987871795, 317.456900212439, 332.583921706927, 347.710943201415, 362.837964695904, 252.128386305556, 261.624616327656, 271.120846349756, 280.617076371856, 290.113306393956, 299.609536416057, 309.105766438157, 318.601996460257, 328.098226482357, 337.594456504458, 263.524047408345, 275.302024313565, 287.080001218784, 298.857978124003, 310.635955029222, 322.413931934441, 334.19190883966, 345.96988574488, 357.747862650099, 369.525839555318],
    'predict_population': [251.405104848484, 261.87239080808, 272.339676767675, 282.806962727271, 293.274248686866, 303.741534646462, 314.208820606057, 324.676106565653, 335.143392525248, 345.610678484844, 251.405104848484, 261.87239080808, 272.339676767675, 282.806962727271, 293.274248686866, 303.741534646462, 314.208820606057, 324.676106565653, 335.143392525248, 345.610678484844, 251.405104848484, 261.87239080808, 272.339676767675, 282.806962727271, 293.274248686866, 303.741534646462, 314.208820606057, 324.676106565653, 335.143392525248, 345.610678484844, 251.405104848484, 261.87239080808, 272.339676767675, 282.806962727271, 293.274248686866, 303.741534646462, 314.208820606057, 324.676106565653, 335.143392525248, 345.610678484844, 251.405104848484, 261.87239080808, 272.339676767675, 282.806962727271, 293.274248686866, 303.741534646462, 314.208820606057, 324.676106565653, 335.143392525248, 345.610678484844, 251.405104848484, 261.87239080808, 272.339676767675, 282.806962727271, 293.274248686866, 303.741534646462, 314.208820606057, 324.676106565653, 335.143392525248, 345.610678484844, 251.405104848484, 261.87239080808, 272.339676767675, 282.806962727271, 293.274248686866, 303.741534646462, 314.208820606057, 324.676106565653, 335.143392525248, 345.610678484844, 251.405104848484, 261.87239080808, 272.339676767675, 282.806962727271, 293.274248686866, 303.741534646462, 314.208820606057, 324.676106565653, 335.143392525248, 345.610678484844, 251.405104848484, 261.87239080808, 272.339676767675, 282.806962727271, 293.274248686866, 303.741534646462, 314.208820606057, 324.676106565653, 335.143392525248, 345.610678484844, 251.405104848484, 261.87239080808, 272.339676767675, 282.806962727271, 293.274248686866, 303.741534646462, 314.208820606057, 324.676106565653, 335.143392525248, 345.610678484844, 251.405104848484, 261.87239080808, 272.339676767675, 282.806962727271, 293.274248686866, 303.741534646462, 314.208820606057, 324.676106565653, 335.143392525248, 345.610678484844, 251.405104848484, 261.87239080808, 272.339676767675, 282.806962727271, 293.274248686866, 303.741534646462, 314.208820606057, 324.676106565653, 335.143392525248, 345.610678484844, 251.405104848484, 261.87239080808, 272.339676767675, 282.806962727271, 293.274248686866, 303.741534646462, 314.208820606057, 324.676106565653, 335.143392525248, 345.610678484844, 251.405104848484, 261.87239080808, 272.339676767675, 282.806962727271, 293.274248686866, 303.741534646462, 314.208820606057, 324.676106565653, 335.143392525248, 345.610678484844, 251.405104848484, 261.87239080808, 272.339676767675, 282.806962727271, 293.274248686866, 303.741534646462, 314.208820606057, 324.676106565653, 335.143392525248, 345.610678484844, 251.405104848484, 261.87239080808, 272.339676767675, 282.806962727271, 293.274248686866, 303.741534646462, 314.208820606057, 324.676106565653, 335.143392525248, 345.610678484844, 251.405104848484, 261.87239080808, 272.339676767675, 282.806962727271, 293.274248686866, 303.741534646462, 314.208820606057, 324.676106565653, 335.143392525248, 345.610678484844, 251.405104848484, 261.87239080808, 272.339676767675, 282.806962727271, 293.274248686866, 303.741534646462, 314.208820606057, 324.676106565653, 335.143392525248, 345.610678484844],
    'newdata': {
        'Subject': ['308', '309', '372', '999'],
        'Days': [0.5, 3, 10, 2],
    },
    'predict_newdata': [263.992197110724, 216.826274217445, 381.303816460537, 272.339676767675],
    'predict_newdata_population': [256.638747828282, 282.806962727271, 356.077964444439, 272.339676767675],
    'ranef': {
        'effects': ['Intercept', 'Days'],
        'clusters': ['308', '309', '310', '330', '331', '332', '333', '334', '335', '337', '349', '350', '351', '352', '369', '370', '371', '372'],
        'mean': [
            [2.81568222227788, 9.0755341203289],
            [-40.0484852840453, -8.64406774192686],
            [-38.4331514559832, -5.51337914805325],
            [22.8322951955638, -4.65875034241998],
            [21.5499892485512, -2.94452002363606],
            [8.81558626108159, -0.235209143722402],
            [16.4419869320571, -0.158823678952666],
            [-6.99672027755602, 1.03273621730876],
            [-1.03741721835301, -10.5994439232448],
            [34.6663124449917, 8.63237759089139],
            [-24.5581578210853, 1.06440086007944],
            [-12.3346320809094, 6.47170370850822],
            [4.27406690829276, -2.9553436803825],
            [20.6222185218274, 3.56170433043356],
            [3.25853598935024, 0.871710311773529],
            [-24.7103336029756, 4.65973553489283],
            [0.723281457071563, -0.971055937495312],
            [12.1189425598613, 1.31069094562365],
        ],
        'condvar': [
            [
                [140.96703060063, -20.60444869756],
                [-20.60444869756, 5.15777934344804],
            ],
            [
                [140.96703060063, -20.60444869756],
                [-20.60444869756, 5.15777934344804],
            ],
            [
                [140.96703060063, -20.60444869756],
                [-20.60444869756, 5.15777934344804],
            ],
            [
                [140.96703060063, -20.60444869756],
                [-20.60444869756, 5.15777934344804],
            ],
            [
                [140.96703060063, -20.60444869756],
                [-20.60444869756, 5.15777934344804],
            ],
            [
                [140.96703060063, -20.60444869756],
                [-20.60444869756, 5.15777934344804],
            ],
            [
                [140.96703060063, -20.60444869756],
                [-20.60444869756, 5.15777934344804],
            ],
            [
                [140.96703060063, -20.60444869756],
                [-20.60444869756, 5.15777934344804],
            ],
            [
                [140.96703060063, -20.60444869756],
                [-20.60444869756, 5.15777934344804],
            ],
            [
                [140.96703060063, -20.60444869756],
                [-20.60444869756, 5.15777934344804],
            ],
            [
                [140.96703060063, -20.60444869756],
                [-20.60444869756, 5.15777934344804],
            ],
            [
                [140.96703060063, -20.60444869756],
                [-20.60444869756, 5.15777934344804],
            ],
            [
                [140.96703060063, -20.60444869756],
                [-20.60444869756, 5.15777934344804],
            ],
            [
                [140.96703060063, -20.60444869756],
                [-20.60444869756, 5.15777934344804],
            ],
            [
                [140.96703060063, -20.60444869756],
                [-20.60444869756, 5.15777934344804],
            ],
            [
                [140.96703060063, -20.60444869756],
                [-20.60444869756, 5.15777934344804],
            ],
            [
                [140.96703060063, -20.60444869756],
                [-20.60444869756, 5.15777934344804],
            ],
            [
                [140.96703060063, -20.60444869756],
                [-20.60444869756, 5.15777934344804],
            ],
        ],
    },
}
