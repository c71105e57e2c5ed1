"""Reference results: the 3PL IRT model on LSAT7 (tests/data/lsat7.csv), R mirt.

Generated 2026-12-03 17:59:11 UTC by tests/results/scripts/write_irt_3pl.py, which runs
tests/results/scripts/irt_3pl_mirt.R.  R mirt 1.45.1 (built from the CRAN GitHub mirror cran/mirt; R version 4.2.2 Patched (2022-11-10 r83330)).

Model: P(item_j = 1 | theta) = g_j + (1 - g_j) logistic(a_j theta + d_j), theta ~ N(0, 1)
(mirt's itemtype = "3PL", no prior on g, 61 quadrature points).  Keys: params "a<j>", "d<j>"
(slope-intercept form, mirt's SE.type "Oakes" SEs in bse) and "g<j>" (g as a probability, SE
by the delta method from coef(IRTpars = TRUE, printSE = TRUE)); "logit_g" and "logit_g_se"
are mirt's logit-scale g; "irt"/"irt_se" hold the IRTpars = TRUE form (a, b = -d / a, g).

  threepl_mirt_default  mirt's defaults (EM TOL 1e-4).
  threepl_mirt          EM tightened to TOL 1e-6 (the reference of the tests).

The likelihood is flat in the guessing parameters of items 1, 3, 4, 5: their logit(g) run to
about -9 with SEs near 100, and EM creeps along the flat direction (the tighter fit gains
2.3e-4 in LL by moving the g's closer to 0).  The maximum has g_j = 0 for those items;
compare the LL tightly (1e-3) and a, d, b and the one interior g (item 2) within their SEs.
"""

# ruff: noqa: E501

threepl_mirt_default = {'software': 'R mirt 1.45.1 (built from the CRAN GitHub mirror cran/mirt; R version 4.2.2 Patched '
             '(2022-11-10 r83330))',
 'call': 'd <- read.csv("tests/data/lsat7.csv"); m <- mirt(d, 1, itemtype = "3PL", SE = TRUE); '
         'coef(m, printSE = TRUE); coef(m, printSE = TRUE, IRTpars = TRUE); extract.mirt(m, '
         '"logLik")',
 'loglike': -2658.054913338,
 'converged': True,
 'em_iterations': 133,
 'params': {'a1': 1.006854925,
            'd1': 1.865620469,
            'g1': 7.03415041e-05,
            'a2': 1.928241194,
            'd2': 0.09404113429,
            'g2': 0.2950544904,
            'a3': 1.666526922,
            'd3': 1.780517633,
            'g3': 0.0002577203898,
            'a4': 0.7361308917,
            'd4': 0.4818902083,
            'g4': 5.063394127e-05,
            'a5': 0.7671687953,
            'd5': 1.868452821,
            'g5': 0.0001552194588},
 'bse': {'a1': 0.1818053737,
         'd1': 0.1345817604,
         'g1': 0.009304049147,
         'a2': 1.077231246,
         'd2': 0.598518228,
         'g2': 0.1398565509,
         'a3': 0.3169466126,
         'd3': 0.2021559071,
         'g3': 0.02784507983,
         'a4': 0.1324241309,
         'd4': 0.07459678325,
         'g4': 0.004346505244,
         'a5': 0.1549958525,
         'd5': 0.1197313943,
         'g5': 0.02087196682},
 'logit_g': [-9.562078204, -0.8709604558, -8.263377568, -9.890837795, -8.770515348],
 'logit_g_se': [132.2789976, 0.6723958689, 108.0716118, 85.84607927, 134.4883381],
 'irt': {'a': [1.006854925, 1.928241194, 1.666526922, 0.7361308917, 0.7671687953],
         'b': [-1.852918849, -0.04877042072, -1.068400162, -0.6546257109, -2.435517233],
         'g': [7.03415041e-05, 0.2950544904, 0.0002577203898, 5.063394127e-05, 0.0001552194588]},
 'irt_se': {'a': [0.1818053737, 1.077231246, 0.3169466126, 0.1324241309, 0.1549958525],
            'b': [0.2600572831, 0.3342709677, 0.1260776543, 0.1373369862, 0.42131309],
            'g': [0.009304049147, 0.1398565509, 0.02784507983, 0.004346505244, 0.02087196682]},
 'n_params': 15,
 'nobs': 1000,
 'n_clusters': None,
 'n_quad': 61}

threepl_mirt = {'software': 'R mirt 1.45.1 (built from the CRAN GitHub mirror cran/mirt; R version 4.2.2 Patched '
             '(2022-11-10 r83330))',
 'call': 'd <- read.csv("tests/data/lsat7.csv"); m <- mirt(d, 1, itemtype = "3PL", SE = TRUE, TOL '
         '= 1e-6, technical = list(NCYCLES = 20000)); coef(m, printSE = TRUE); coef(m, printSE = '
         'TRUE, IRTpars = TRUE); extract.mirt(m, "logLik")',
 'loglike': -2658.0546812332,
 'converged': True,
 'em_iterations': 637,
 'params': {'a1': 1.007096184,
            'd1': 1.865730163,
            'g1': 7.030626644e-05,
            'a2': 1.951058675,
            'd2': 0.08192829568,
            'g2': 0.297884596,
            'a3': 1.665564936,
            'd3': 1.779948216,
            'g3': 0.0002575328515,
            'a4': 0.7355057427,
            'd4': 0.4817701112,
            'g4': 5.057436148e-05,
            'a5': 0.7675847526,
            'd5': 1.868632166,
            'g5': 0.0001551437536},
 'bse': {'a1': 0.1819068301,
         'd1': 0.1346251958,
         'g1': 0.009260581247,
         'a2': 1.10138029,
         'd2': 0.6030366506,
         'g2': 0.1381661756,
         'a3': 0.3169340068,
         'd3': 0.2021566681,
         'g3': 0.0282332889,
         'a4': 0.1324064373,
         'd4': 0.0745821167,
         'g4': 0.004349108171,
         'a5': 0.1550310382,
         'd5': 0.1197166325,
         'g5': 0.02069029298},
 'logit_g': [-9.562579316, -0.857391634, -8.264105701, -9.892015225, -8.771003273],
 'logit_g_se': [131.7269831, 0.6606100698, 109.6580945, 85.99867617, 133.3827691],
 'irt': {'a': [1.007096184, 1.951058675, 1.665564936, 0.7355057427, 0.7675847526],
         'b': [-1.852583887, -0.04199171287, -1.068675365, -0.6550188303, -2.434431064],
         'g': [7.030626644e-05, 0.297884596, 0.0002575328515, 5.057436148e-05, 0.0001551437536]},
 'irt_se': {'a': [0.1819068301, 1.10138029, 0.3169340068, 0.1324064373, 0.1550310382],
            'b': [0.2600519461, 0.329842124, 0.1263722229, 0.1374949422, 0.4208952573],
            'g': [0.009260581247, 0.1381661756, 0.0282332889, 0.004349108171, 0.02069029298]},
 'n_params': 15,
 'nobs': 1000,
 'n_clusters': None,
 'n_quad': 61}
