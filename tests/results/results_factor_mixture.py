"""Reference results: the one-class factor mixture model (a one-factor model) with normal items, R lavaan.

Generated 2026-12-03. Generator scripts: tests/results/scripts/fmm_cfa_lavaan.R (lavaan) and
tests/results/scripts/write_factor_mixture.py (this module; our own exact normal LL at lavaan's estimates,
scipy multivariate_normal, as the second route).
Data: tests/data/demo_cfa500.csv (y1..y6 of the first 500 rows of shared/data/demo_twolevel.csv, lavaan's
Demo.twolevel, rounded to 6 decimals; the clustering is ignored here).
Model: y_j = nu_j + lambda_j f + e_j, f ~ N(0, 1) (std.lv = TRUE), e_j ~ N(0, theta_j); ML with free
intercepts (meanstructure = TRUE). Keys: params "f=~y<j>" (lambda), "y<j>~1" (nu), "Var(y<j>)" (theta);
bse: lavaan's SEs from the expected information (cfa_lavaan, lavaan's default) or the observed
information (cfa_lavaan_observed); the estimates are the same fit. n_params = 18.
  cfa_lavaan           LL -5071.57005738; own exact normal LL at the estimates minus lavaan's +3.6e-12.
  cfa_lavaan_observed  LL -5071.57005738; own exact normal LL at the estimates minus lavaan's +3.6e-12.
"""

# ruff: noqa: E501

cfa_lavaan = {
    'software': 'R lavaan 0.6.14 (Debian r-cran-lavaan; R version 4.2.2 Patched (2022-11-10 r83330))',
    'call': 'd <- read.csv("tests/data/demo_cfa500.csv"); cfa("f =~ y1 + y2 + y3 + y4 + y5 + y6", data = d, std.lv = TRUE, meanstructure = TRUE, estimator = "ML", information = "expected")',
    'loglike': -5071.57005737908,
    'params': {
        'f=~y1': 1.40340645607361,
        'f=~y2': 1.03472243249144,
        'f=~y3': 0.901436337051808,
        'f=~y4': 0.294614924605583,
        'f=~y5': 0.359143528656833,
        'f=~y6': 0.303068028191994,
        'Var(y1)': 0.849331649157401,
        'Var(y2)': 1.20733988535698,
        'Var(y3)': 1.0931923064794,
        'Var(y4)': 1.85263293594909,
        'Var(y5)': 1.52315457518348,
        'Var(y6)': 1.60120953860446,
        'y1~1': -0.052267294,
        'y2~1': -0.103550828,
        'y3~1': -0.163249952,
        'y4~1': 0.161693878,
        'y5~1': 0.174965924,
        'y6~1': 0.206920858,
    },
    'bse': {
        'f=~y1': 0.0750912386510694,
        'f=~y2': 0.068096124362124,
        'f=~y3': 0.0624689293500654,
        'f=~y4': 0.0686430154842186,
        'f=~y5': 0.0628369359116192,
        'f=~y6': 0.0639853170915946,
        'Var(y1)': 0.135680871998254,
        'Var(y2)': 0.10374571467909,
        'Var(y3)': 0.0878443377338888,
        'Var(y4)': 0.118525702385407,
        'Var(y5)': 0.098381476034787,
        'Var(y6)': 0.102710048781938,
        'y1~1': 0.0750850361937249,
        'y2~1': 0.0674980058617732,
        'y3~1': 0.0617378291849783,
        'y4~1': 0.0622805088249837,
        'y5~1': 0.0574828435162973,
        'y6~1': 0.0581903732298848,
    },
    'n_params': 18,
    'nobs': 500,
    'n_clusters': None,
    'converged': True,
    'loglike_own_at_estimates': -5071.570057379076,
    'seconds': {
        'wall_median': 0.182,
        'wall': [0.537, 0.182, 0.16],
        'cpu_median': 0.055,
    },
}

cfa_lavaan_observed = {
    'software': 'R lavaan 0.6.14 (Debian r-cran-lavaan; R version 4.2.2 Patched (2022-11-10 r83330))',
    'call': 'd <- read.csv("tests/data/demo_cfa500.csv"); cfa("f =~ y1 + y2 + y3 + y4 + y5 + y6", data = d, std.lv = TRUE, meanstructure = TRUE, estimator = "ML", information = "observed")',
    'loglike': -5071.57005737908,
    'params': {
        'f=~y1': 1.40340645607361,
        'f=~y2': 1.03472243249144,
        'f=~y3': 0.901436337051808,
        'f=~y4': 0.294614924605583,
        'f=~y5': 0.359143528656833,
        'f=~y6': 0.303068028191994,
        'Var(y1)': 0.849331649157401,
        'Var(y2)': 1.20733988535698,
        'Var(y3)': 1.0931923064794,
        'Var(y4)': 1.85263293594909,
        'Var(y5)': 1.52315457518348,
        'Var(y6)': 1.60120953860446,
        'y1~1': -0.052267294,
        'y2~1': -0.103550828,
        'y3~1': -0.163249952,
        'y4~1': 0.161693878,
        'y5~1': 0.174965924,
        'y6~1': 0.206920858,
    },
    'bse': {
        'f=~y1': 0.0746345647664185,
        'f=~y2': 0.0677740955676757,
        'f=~y3': 0.0619434130449577,
        'f=~y4': 0.0700982270902467,
        'f=~y5': 0.0638035749264301,
        'f=~y6': 0.0648402287804564,
        'Var(y1)': 0.13368068216465,
        'Var(y2)': 0.102838394426443,
        'Var(y3)': 0.0866262276446764,
        'Var(y4)': 0.11882107183454,
        'Var(y5)': 0.0987019333279156,
        'Var(y6)': 0.102906728292898,
        'y1~1': 0.0750850361936873,
        'y2~1': 0.0674980058617395,
        'y3~1': 0.0617378291849475,
        'y4~1': 0.0622805088249526,
        'y5~1': 0.0574828435162685,
        'y6~1': 0.0581903732298557,
    },
    'n_params': 18,
    'nobs': 500,
    'n_clusters': None,
    'converged': True,
    'loglike_own_at_estimates': -5071.570057379076,
    'seconds': {
        'wall_median': 0.192,
        'wall': [0.166, 0.192, 0.197],
        'cpu_median': 0.055,
    },
}
