"""Reference results: two-level (multilevel) LCA and single-level LCA on datatoy.

Generated 2026-11-25. Generator scripts: tests/results/scripts/mlca_datatoy_own.py (own EM, both models)
and tests/results/scripts/lca_datatoy_stepmix.py (StepMix, single-level).

Data: tests/data/datatoy.csv (multilevLCA `dataTOY`): 3000 rows in 30 clusters (id_high, 100 rows
each) and binary items Y_1..Y_10. The covariates Z_low and Z_high are not used.

twolevel: the nonparametric multilevel latent class model (Vermunt 2003), with no covariates:
  cluster j has a between class D_j in 1..2 with P(D_j = d);
  unit i of cluster j has a within class C_ij in 1..3 with P(C_ij = c | D_j = d);
  the items are independent given C_ij, with P(Y_k = 1 | C_ij = c), the same for every d.
  params keys:
    "pD_d<d>"          P(D = d)
    "pC_c<c>_d<d>"     P(C = c | D = d)
    "Y_<k>_c<c>"       P(Y_k = 1 | C = c)
  also as arrays: p_between [d], p_within_given_between [d][c], marginal_within [c] =
  sum_d P(d) P(c | d), and p_item1 [c][k].
  n_params = (2 - 1) + 2 (3 - 1) + 3 * 10 = 35. aic = -2 LL + 2 n_params. bic_low uses log(3000),
  bic_high uses log(30) (software differs on which n goes into the BIC).
  Canonical order: between classes by decreasing P(D = d). Within classes by decreasing marginal
  proportion sum_d P(d) P(c | d).
  Source: OUR OWN INDEPENDENT EM, not peer software. multilevLCA is not available here. There is an
  upward-downward E-step in log space and 100 random starts, and all 100 reached the same maximum
  (so the clusters separate very well). LL = -17019.801569551248, which reproduces the multilevLCA target
  -17019.801570 to 1e-6. The between-class posteriors are essentially 0/1: P(D = 1) = 20/30 and
  P(D = 2) = 10/30.

single: single-level 3-class LCA on the same items (classes sorted by decreasing proportion). params keys are
  "prop_c<c>" and "Y_<k>_c<c>" (P(Y_k = 1 | class c)). n_params = 32.
  Source: StepMix 3.0.0 (primary). LL = -17607.689367563737, which reproduces the target
  -17607.689368 to 1e-6.
single_own: the same model from our own EM. LL = -17607.689367562474. Its parameters are within 4e-07 of
  StepMix's.
bse: None everywhere (no standard errors were computed).
"""

# ruff: noqa: E501

# two-level LCA (2 between x 3 within classes): own independent EM
twolevel = {
    'software': 'own independent EM (Python 3.11.7, numpy 2.4.6, scipy 1.17.1), not peer software',
    'call': 'python tests/results/scripts/mlca_datatoy_own.py (100 random starts with numpy default_rng(20240601), EM until the LL change < 1e-10, then the best start polished with 5000 more EM iterations)',
    'loglike': -17019.801569551248,
    'params': {
        'pD_d1': 0.6666666666666666,
        'pD_d2': 0.3333333333333333,
        'pC_c1_d1': 0.6231957227061229,
        'pC_c2_d1': 0.0853709778746836,
        'pC_c3_d1': 0.2914332994191935,
        'pC_c1_d2': 0.0995468337508636,
        'pC_c2_d2': 0.7195501894423793,
        'pC_c3_d2': 0.1809029768067572,
        'Y_1_c1': 0.1965877451457281,
        'Y_1_c2': 0.7926238821451638,
        'Y_1_c3': 0.2314025301145144,
        'Y_2_c1': 0.21467795558607997,
        'Y_2_c2': 0.8175092696024474,
        'Y_2_c3': 0.19146434369579873,
        'Y_3_c1': 0.2102380898003789,
        'Y_3_c2': 0.8077478890881034,
        'Y_3_c3': 0.18448090987411894,
        'Y_4_c1': 0.18021368956337677,
        'Y_4_c2': 0.7856729201404343,
        'Y_4_c3': 0.20813223302625944,
        'Y_5_c1': 0.208457659871459,
        'Y_5_c2': 0.7894277092744091,
        'Y_5_c3': 0.21944781852425155,
        'Y_6_c1': 0.22636652152502934,
        'Y_6_c2': 0.7947510997476219,
        'Y_6_c3': 0.8062169425255304,
        'Y_7_c1': 0.20945105424275798,
        'Y_7_c2': 0.8002893808535279,
        'Y_7_c3': 0.826951581955634,
        'Y_8_c1': 0.18835599990712731,
        'Y_8_c2': 0.8020038764280447,
        'Y_8_c3': 0.8320136311805331,
        'Y_9_c1': 0.20233768720353001,
        'Y_9_c2': 0.7839061963437991,
        'Y_9_c3': 0.8101401941557489,
        'Y_10_c1': 0.22353740697482036,
        'Y_10_c2': 0.8258518126031772,
        'Y_10_c3': 0.7998263936590345,
    },
    'bse': None,
    'p_between': [0.6666666666666666, 0.3333333333333333],
    'p_within_given_between': [
        [0.6231957227061229, 0.0853709778746836, 0.2914332994191935],
        [0.0995468337508636, 0.7195501894423793, 0.1809029768067572],
    ],
    'marginal_within': [0.44864609305436975, 0.2967640483972488, 0.2545898585483814],
    'p_item1': [
        [
            0.1965877451457281,
            0.21467795558607997,
            0.2102380898003789,
            0.18021368956337677,
            0.208457659871459,
            0.22636652152502934,
            0.20945105424275798,
            0.18835599990712731,
            0.20233768720353001,
            0.22353740697482036,
        ],
        [
            0.7926238821451638,
            0.8175092696024474,
            0.8077478890881034,
            0.7856729201404343,
            0.7894277092744091,
            0.7947510997476219,
            0.8002893808535279,
            0.8020038764280447,
            0.7839061963437991,
            0.8258518126031772,
        ],
        [
            0.2314025301145144,
            0.19146434369579873,
            0.18448090987411894,
            0.20813223302625944,
            0.21944781852425155,
            0.8062169425255304,
            0.826951581955634,
            0.8320136311805331,
            0.8101401941557489,
            0.7998263936590345,
        ],
    ],
    'n_params': 35,
    'aic': 34109.603139102495,
    'bic_low': 34319.82600397025,
    'bic_high': 34158.64504746067,
    'nobs': 3000,
    'n_clusters': 30,
    'n_between_classes': 2,
    'n_within_classes': 3,
    'n_starts': 100,
    'n_starts_at_best': 100,
    'target_loglike': -17019.80157,
    'target_source': 'multilevLCA (given in the task brief)',
}

# single-level 3-class LCA: StepMix (primary reference)
single = {
    'software': 'StepMix 3.0.0 (PyPI; Python 3.11.7, scikit-learn 1.9.1)',
    'call': 'X = pd.read_csv("tests/data/datatoy.csv")[[f"Y_{k}" for k in range(1, 11)]]; m = StepMix(n_components=3, measurement="binary", n_init=50, abs_tol=1e-12, rel_tol=1e-14, max_iter=100000, random_state=123, verbose=0, progress_bar=0).fit(X); loglike = m.score(X) * len(X)',
    'loglike': -17607.689367563737,
    'params': {
        'prop_c1': 0.4490857818596931,
        'prop_c2': 0.2986359471671055,
        'prop_c3': 0.2522782709731993,
        'Y_1_c1': 0.19624778179278546,
        'Y_1_c2': 0.7923557097233779,
        'Y_1_c3': 0.22822158531561038,
        'Y_2_c1': 0.21447361115972635,
        'Y_2_c2': 0.8219221932470937,
        'Y_2_c3': 0.18191857925645163,
        'Y_3_c1': 0.2100576891367053,
        'Y_3_c2': 0.8013176845306017,
        'Y_3_c3': 0.18774432119794346,
        'Y_4_c1': 0.1828174918466392,
        'Y_4_c2': 0.7834532887958788,
        'Y_4_c3': 0.20188797306722286,
        'Y_5_c1': 0.20809138897930712,
        'Y_5_c2': 0.7931131246492441,
        'Y_5_c3': 0.21152710914212822,
        'Y_6_c1': 0.22644533540420386,
        'Y_6_c2': 0.793058280965434,
        'Y_6_c3': 0.8091762104039746,
        'Y_7_c1': 0.21174502427054112,
        'Y_7_c2': 0.8013751899211567,
        'Y_7_c3': 0.8228567626590942,
        'Y_8_c1': 0.1892926280777709,
        'Y_8_c2': 0.802597742266203,
        'Y_8_c3': 0.8309878123398685,
        'Y_9_c1': 0.20138337915357787,
        'Y_9_c2': 0.7846741035095502,
        'Y_9_c3': 0.8121839406796485,
        'Y_10_c1': 0.2240659042783371,
        'Y_10_c2': 0.8254022317888469,
        'Y_10_c3': 0.8002290888001424,
    },
    'bse': None,
    'class_proportions': [0.4490857818596931, 0.2986359471671055, 0.2522782709731993],
    'p_item1': [
        [
            0.19624778179278546,
            0.21447361115972635,
            0.2100576891367053,
            0.1828174918466392,
            0.20809138897930712,
            0.22644533540420386,
            0.21174502427054112,
            0.1892926280777709,
            0.20138337915357787,
            0.2240659042783371,
        ],
        [
            0.7923557097233779,
            0.8219221932470937,
            0.8013176845306017,
            0.7834532887958788,
            0.7931131246492441,
            0.793058280965434,
            0.8013751899211567,
            0.802597742266203,
            0.7846741035095502,
            0.8254022317888469,
        ],
        [
            0.22822158531561038,
            0.18191857925645163,
            0.18774432119794346,
            0.20188797306722286,
            0.21152710914212822,
            0.8091762104039746,
            0.8228567626590942,
            0.8309878123398685,
            0.8121839406796485,
            0.8002290888001424,
        ],
    ],
    'n_params': 32,
    'aic': 35279.37873512747,
    'bic': 35471.58249729228,
    'nobs': 3000,
    'n_clusters': None,
    'target_loglike': -17607.689368,
    'target_source': 'multilevLCA / StepMix (given in the task brief)',
}

# single-level 3-class LCA: own EM (cross-check)
single_own = {
    'software': 'own independent EM (Python 3.11.7, numpy 2.4.6, scipy 1.17.1), not peer software',
    'call': 'python tests/results/scripts/mlca_datatoy_own.py (single-level EM, 50 random starts, then the best start polished with 5000 more EM iterations)',
    'loglike': -17607.689367562474,
    'params': {
        'prop_c1': 0.44908612925913743,
        'prop_c2': 0.29863600422856706,
        'prop_c3': 0.2522778665122944,
        'Y_1_c1': 0.1962478078183025,
        'Y_1_c2': 0.7923556611613263,
        'Y_1_c3': 0.22822151290355747,
        'Y_2_c1': 0.21447360691684167,
        'Y_2_c2': 0.8219221429971197,
        'Y_2_c3': 0.18191845670400553,
        'Y_3_c1': 0.21005765965242676,
        'Y_3_c2': 0.8013176027643926,
        'Y_3_c3': 0.18774430096735342,
        'Y_4_c1': 0.18281750034842262,
        'Y_4_c2': 0.7834532289501158,
        'Y_4_c3': 0.20188792349558987,
        'Y_5_c1': 0.20809139750860847,
        'Y_5_c2': 0.7931130706143777,
        'Y_5_c3': 0.2115270311082699,
        'Y_6_c1': 0.22644556153892165,
        'Y_6_c2': 0.7930582707064595,
        'Y_6_c3': 0.8091766260957283,
        'Y_7_c1': 0.21174529338572706,
        'Y_7_c2': 0.8013751716825436,
        'Y_7_c3': 0.8228571515812736,
        'Y_8_c1': 0.18929289225249468,
        'Y_8_c2': 0.8025977385696835,
        'Y_8_c3': 0.8309882365199179,
        'Y_9_c1': 0.2013836311841686,
        'Y_9_c2': 0.7846740903416807,
        'Y_9_c3': 0.8121843549470041,
        'Y_10_c1': 0.224066111710215,
        'Y_10_c2': 0.8254022220066954,
        'Y_10_c3': 0.8002295188373787,
    },
    'bse': None,
    'class_proportions': [0.44908612925913743, 0.29863600422856706, 0.2522778665122944],
    'p_item1': [
        [
            0.1962478078183025,
            0.21447360691684167,
            0.21005765965242676,
            0.18281750034842262,
            0.20809139750860847,
            0.22644556153892165,
            0.21174529338572706,
            0.18929289225249468,
            0.2013836311841686,
            0.224066111710215,
        ],
        [
            0.7923556611613263,
            0.8219221429971197,
            0.8013176027643926,
            0.7834532289501158,
            0.7931130706143777,
            0.7930582707064595,
            0.8013751716825436,
            0.8025977385696835,
            0.7846740903416807,
            0.8254022220066954,
        ],
        [
            0.22822151290355747,
            0.18191845670400553,
            0.18774430096735342,
            0.20188792349558987,
            0.2115270311082699,
            0.8091766260957283,
            0.8228571515812736,
            0.8309882365199179,
            0.8121843549470041,
            0.8002295188373787,
        ],
    ],
    'n_params': 32,
    'nobs': 3000,
    'n_clusters': None,
}

