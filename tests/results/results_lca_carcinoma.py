"""Reference results: latent class analysis (LCA) of the carcinoma data, 2 and 3 classes.

Generated 2026-11-25. Generator scripts: tests/results/scripts/lca_carcinoma_stepmix.py (StepMix)
and tests/results/scripts/lca_carcinoma_flexmix.R (R flexmix).

Data: tests/data/carcinoma.csv (poLCA `carcinoma`), 118 slides, single level. The items A..G are
recoded to 0/1 as (value - 1), so 1 = "carcinoma". The model is an unrestricted LCA: K classes, and
the binary items are independent given the class.

Keys of each model dict:
  loglike      maximised log-likelihood
  params       dict name -> value:
                 "prop_c<k>"    class proportion of class k
                 "<item>_c<k>"  P(item = 1 | class k), item in A..G
  class_proportions, p_item1   the same numbers as a list / dict item -> list over classes
  bse          None (neither StepMix nor flexmix gives standard errors here)
  n_params     free parameters: (K - 1) + 7 K = 15 (K = 2) and 23 (K = 3). Boundary estimates
               count as free, as in poLCA and StepMix.
  aic, bic     -2 loglike + 2 n_params and -2 loglike + log(118) n_params
  nobs = 118, n_clusters = None (single level), software, call (the exact code that was run)

Canonical class order: decreasing class proportion (class 1 is the largest).
Boundary estimates: several P(item = 1 | class) lie on the boundary at the maximum. Values within
1e-10 of 0 or 1 are stored as exactly 0.0 or 1.0. StepMix clips them at 1e-15, and flexmix
reports numbers such as 1e-116. The log-likelihood is unaffected at the precision given.

Models:
  lca2, lca3                  StepMix 3.0.0 (PyPI). This is the primary reference.
  lca2_flexmix, lca3_flexmix  R flexmix 2.3.18, FLXMCmvbinary (a second, independent program).
R poLCA is not available on this machine (there is no Debian package), so poLCA itself was not run.

Agreement: the targets -317.256837 (2 classes) and -293.704979 (3 classes), from poLCA/StepMix, are
reproduced to 1e-6 by both programs. StepMix minus flexmix LL: 3.3e-11 (K = 2) and
8.0e-12 (K = 3). The largest absolute parameter difference between the programs is
1.6e-12 (K = 2) and 2.9e-07 (K = 3), so compare parameters with atol ~1e-5.

--- Added 2026-12-03 (generator: tests/results/scripts/write_lca_polca.py) ---
poLCA (generator tests/results/scripts/lca_carcinoma_polca.R), 2026-12-03:
  lca2_polca, lca3_polca   R poLCA 1.6.0.2, nrep = 200 random starts, maxiter 1e5, tol 1e-12.
    Same keys and class order as above, plus bse (poLCA's probs.se and P.se, keyed like params) and
    starts_reaching_best (starts within 1e-6 of the best LL: 200/200 for K = 2,
    195/200 for K = 3). A second run with another seed gives the same LL
    (differences 1.02e-12 and 0.00e+00).
    poLCA minus StepMix (lca2/lca3): LL 4.66e-12 (K = 2) and 6.03e-12 (K = 3);
    largest parameter difference 4.33e-14 and 8.15e-08.
  poLCA's SE convention (poLCA.se): the information matrix is the outer product of the per-observation
  scores (cross-product of gradients, not the Hessian) in the multinomial-logit parametrisation of the
  item probabilities (first category as base) and of the class-proportion logits, inverted with a
  Moore-Penrose generalised inverse (MASS::ginv); the SEs of probabilities and proportions follow by the
  delta method. Estimates on the boundary (0 or 1) have zero scores, so their SEs are ~0 (about 1e-20 and
  below) and the generalised inverse simply drops them; treat those SEs as "not estimable", not as zero.
  Such SEs are stored as 0.0 (below 1e-10). Compare the other SEs with rtol ~1e-6 when the same OPG
  convention is used. poLCA was built from source after the note above was written, so it has now run.
"""

# ruff: noqa: E501

# 2 classes, StepMix (primary reference)
lca2 = {
    'software': 'StepMix 3.0.0 (PyPI; Python 3.11.7, numpy 2.4.6, scikit-learn 1.9.1)',
    'call': 'X = pd.read_csv("tests/data/carcinoma.csv")[list("ABCDEFG")] - 1; m = StepMix(n_components=2, measurement="binary", n_init=200, abs_tol=1e-14, rel_tol=1e-14, max_iter=100000, random_state=123, verbose=0, progress_bar=0).fit(X); loglike = m.score(X) * len(X)',
    'loglike': -317.25683729949566,
    'params': {
        'prop_c1': 0.501212386547113,
        'prop_c2': 0.49878761345288686,
        'A_c1': 1.0,
        'A_c2': 0.11650178509641163,
        'B_c1': 0.9830918458947745,
        'B_c2': 0.35436668910884567,
        'C_c1': 0.7608669347351477,
        'C_c2': 0.0,
        'D_c1': 0.541060931367216,
        'D_c2': 0.0,
        'E_c1': 0.9786367822135656,
        'E_c2': 0.22292060804892305,
        'F_c1': 0.4227038526306376,
        'F_c2': 0.0,
        'G_c1': 1.0,
        'G_c2': 0.11650178509631526,
    },
    'class_proportions': [0.501212386547113, 0.49878761345288686],
    'p_item1': {
        'A': [1.0, 0.11650178509641163],
        'B': [0.9830918458947745, 0.35436668910884567],
        'C': [0.7608669347351477, 0.0],
        'D': [0.541060931367216, 0.0],
        'E': [0.9786367822135656, 0.22292060804892305],
        'F': [0.4227038526306376, 0.0],
        'G': [1.0, 0.11650178509631526],
    },
    'bse': None,
    'n_params': 15,
    'aic': 664.5136745989913,
    'bic': 706.0739439659762,
    'nobs': 118,
    'n_clusters': None,
    'n_classes': 2,
    'target_loglike': -317.256837,
    'target_source': 'poLCA 1.6.0.2 / StepMix (given in the task brief)',
}

# 2 classes, R flexmix (cross-check)
lca2_flexmix = {
    'software': 'R flexmix 2.3.18 (Debian r-cran-flexmix 2.3-18-1; R version 4.2.2 Patched (2022-11-10 r83330))',
    'call': 'Y <- as.matrix(read.csv("tests/data/carcinoma.csv")[, LETTERS[1:7]] - 1); set.seed(2024); best of 100 x flexmix(Y ~ 1, k = 2, model = FLXMCmvbinary(), control = list(iter.max = 100000, tolerance = 1e-13, minprior = 0))',
    'loglike': -317.256837299529,
    'params': {
        'prop_c1': 0.501212386547686,
        'prop_c2': 0.498787613452314,
        'A_c1': 1.0,
        'A_c2': 0.116501785096337,
        'B_c1': 0.983091845894806,
        'B_c2': 0.35436668910764,
        'C_c1': 0.760866934733734,
        'C_c2': 0.0,
        'D_c1': 0.541060931366211,
        'D_c2': 0.0,
        'E_c1': 0.978636782213424,
        'E_c2': 0.222920608047655,
        'F_c1': 0.422703852629852,
        'F_c2': 0.0,
        'G_c1': 1.0,
        'G_c2': 0.116501785094666,
    },
    'class_proportions': [0.501212386547686, 0.498787613452314],
    'p_item1': {
        'A': [1.0, 0.116501785096337],
        'B': [0.983091845894806, 0.35436668910764],
        'C': [0.760866934733734, 0.0],
        'D': [0.541060931366211, 0.0],
        'E': [0.978636782213424, 0.222920608047655],
        'F': [0.422703852629852, 0.0],
        'G': [1.0, 0.116501785094666],
    },
    'bse': None,
    'n_params': 15,
    'aic': 664.513674599058,
    'bic': 706.073943966043,
    'nobs': 118,
    'n_clusters': None,
    'n_classes': 2,
}

# 3 classes, StepMix (primary reference)
lca3 = {
    'software': 'StepMix 3.0.0 (PyPI; Python 3.11.7, numpy 2.4.6, scikit-learn 1.9.1)',
    'call': 'X = pd.read_csv("tests/data/carcinoma.csv")[list("ABCDEFG")] - 1; m = StepMix(n_components=3, measurement="binary", n_init=200, abs_tol=1e-14, rel_tol=1e-14, max_iter=100000, random_state=123, verbose=0, progress_bar=0).fit(X); loglike = m.score(X) * len(X)',
    'loglike': -293.70497878073,
    'params': {
        'prop_c1': 0.444727648867134,
        'prop_c2': 0.37356444473258715,
        'prop_c3': 0.18170790640027895,
        'A_c1': 1.0,
        'A_c2': 0.05730971721374548,
        'A_c3': 0.5128313576909589,
        'B_c1': 0.9809443458422835,
        'B_c2': 0.13794285605630907,
        'B_c3': 1.0,
        'C_c1': 0.857504437097238,
        'C_c2': 0.0,
        'C_c3': 0.0,
        'D_c1': 0.5862471032242057,
        'D_c2': 0.0,
        'D_c3': 0.057598730915107005,
        'E_c1': 1.0,
        'E_c2': 0.05508231633283171,
        'E_c3': 0.7506028448272031,
        'F_c1': 0.47639135394290993,
        'F_c2': 0.0,
        'F_c3': 0.0,
        'G_c1': 1.0,
        'G_c2': 0.0,
        'G_c3': 0.6306516172099553,
    },
    'class_proportions': [0.444727648867134, 0.37356444473258715, 0.18170790640027895],
    'p_item1': {
        'A': [1.0, 0.05730971721374548, 0.5128313576909589],
        'B': [0.9809443458422835, 0.13794285605630907, 1.0],
        'C': [0.857504437097238, 0.0, 0.0],
        'D': [0.5862471032242057, 0.0, 0.057598730915107005],
        'E': [1.0, 0.05508231633283171, 0.7506028448272031],
        'F': [0.47639135394290993, 0.0, 0.0],
        'G': [1.0, 0.0, 0.6306516172099553],
    },
    'bse': None,
    'n_params': 23,
    'aic': 633.40995756146,
    'bic': 697.1357039241703,
    'nobs': 118,
    'n_clusters': None,
    'n_classes': 3,
    'target_loglike': -293.704979,
    'target_source': 'poLCA 1.6.0.2 / StepMix (given in the task brief)',
}

# 3 classes, R flexmix (cross-check)
lca3_flexmix = {
    'software': 'R flexmix 2.3.18 (Debian r-cran-flexmix 2.3-18-1; R version 4.2.2 Patched (2022-11-10 r83330))',
    'call': 'Y <- as.matrix(read.csv("tests/data/carcinoma.csv")[, LETTERS[1:7]] - 1); set.seed(2024); best of 100 x flexmix(Y ~ 1, k = 3, model = FLXMCmvbinary(), control = list(iter.max = 100000, tolerance = 1e-13, minprior = 0))',
    'loglike': -293.704978780738,
    'params': {
        'prop_c1': 0.444727631478061,
        'prop_c2': 0.373564481549236,
        'prop_c3': 0.181707886972703,
        'A_c1': 1.0,
        'A_c2': 0.0573097561096666,
        'A_c3': 0.512831526472233,
        'B_c1': 0.980944344508127,
        'B_c2': 0.137943008187176,
        'B_c3': 1.0,
        'C_c1': 0.857504497134294,
        'C_c2': 0.0,
        'C_c3': 0.0,
        'D_c1': 0.586247130991472,
        'D_c2': 0.0,
        'D_c3': 0.0575987744401077,
        'E_c1': 1.0,
        'E_c2': 0.0550823443612894,
        'E_c3': 0.750603082279197,
        'F_c1': 0.47639138729683,
        'F_c2': 0.0,
        'F_c3': 0.0,
        'G_c1': 1.0,
        'G_c2': 0.0,
        'G_c3': 0.630651909304109,
    },
    'class_proportions': [0.444727631478061, 0.373564481549236, 0.181707886972703],
    'p_item1': {
        'A': [1.0, 0.0573097561096666, 0.512831526472233],
        'B': [0.980944344508127, 0.137943008187176, 1.0],
        'C': [0.857504497134294, 0.0, 0.0],
        'D': [0.586247130991472, 0.0, 0.0575987744401077],
        'E': [1.0, 0.0550823443612894, 0.750603082279197],
        'F': [0.47639138729683, 0.0, 0.0],
        'G': [1.0, 0.0, 0.630651909304109],
    },
    'bse': None,
    'n_params': 23,
    'aic': 633.409957561477,
    'bic': 697.135703924187,
    'nobs': 118,
    'n_clusters': None,
    'n_classes': 3,
}

# --- Added 2026-12-03 ---

# 2 classes, poLCA
lca2_polca = {
    'software': 'R poLCA 1.6.0.2 (built from the CRAN GitHub mirror cran/poLCA; R version 4.2.2 Patched (2022-11-10 r83330))',
    'call': 'd <- read.csv("tests/data/carcinoma.csv"); set.seed(2026); poLCA(cbind(A, B, C, D, E, F, G) ~ 1, d, nclass = 2, nrep = 200, maxiter = 100000, tol = 1e-12, calc.se = TRUE); classes then sorted by decreasing P',
    'loglike': -317.256837299491,
    'params': {
        'prop_c1': 0.501212386547137,
        'prop_c2': 0.498787613452863,
        'A_c1': 1.0,
        'A_c2': 0.11650178509641,
        'B_c1': 0.983091845894775,
        'B_c2': 0.354366689108814,
        'C_c1': 0.760866934735111,
        'C_c2': 0.0,
        'D_c1': 0.54106093136719,
        'D_c2': 0.0,
        'E_c1': 0.978636782213562,
        'E_c2': 0.22292060804889,
        'F_c1': 0.422703852630617,
        'F_c2': 0.0,
        'G_c1': 1.0,
        'G_c2': 0.116501785096272,
    },
    'bse': {
        'prop_c1': 0.0463357628466109,
        'prop_c2': 0.0463357628466109,
        'A_c1': 0.0,
        'A_c2': 0.0450921883119493,
        'B_c1': 0.0170644001827345,
        'B_c2': 0.0828346348335225,
        'C_c1': 0.058869918942719,
        'C_c2': 0.0,
        'D_c1': 0.072023973051761,
        'D_c2': 0.0,
        'E_c1': 0.0216337331199356,
        'E_c2': 0.0680930361610682,
        'F_c1': 0.0707814107520226,
        'F_c2': 0.0,
        'G_c1': 0.0,
        'G_c2': 0.0515167534257756,
    },
    'class_proportions': [0.501212386547137, 0.498787613452863],
    'p_item1': {
        'A': [1.0, 0.11650178509641],
        'B': [0.983091845894775, 0.354366689108814],
        'C': [0.760866934735111, 0.0],
        'D': [0.54106093136719, 0.0],
        'E': [0.978636782213562, 0.22292060804889],
        'F': [0.422703852630617, 0.0],
        'G': [1.0, 0.116501785096272],
    },
    'n_params': 15,
    'aic': 664.513674598982,
    'bic': 706.073943965967,
    'nobs': 118,
    'n_clusters': None,
    'n_classes': 2,
    'starts_reaching_best': 200,
    'starts': 200,
    'seconds': {
        'wall_median': 32.119,
        'wall': [14.268, 32.119, 40.197],
        'cpu_median': 2.517,
        'note': 'all 200 starts',
    },
}

# 3 classes, poLCA
lca3_polca = {
    'software': 'R poLCA 1.6.0.2 (built from the CRAN GitHub mirror cran/poLCA; R version 4.2.2 Patched (2022-11-10 r83330))',
    'call': 'd <- read.csv("tests/data/carcinoma.csv"); set.seed(2026); poLCA(cbind(A, B, C, D, E, F, G) ~ 1, d, nclass = 3, nrep = 200, maxiter = 100000, tol = 1e-12, calc.se = TRUE); classes then sorted by decreasing P',
    'loglike': -293.704978780724,
    'params': {
        'prop_c1': 0.444727657557983,
        'prop_c2': 0.373564426332562,
        'prop_c3': 0.181707916109456,
        'A_c1': 1.0,
        'A_c2': 0.0573097063576968,
        'A_c3': 0.512831310581921,
        'B_c1': 0.980944346214669,
        'B_c2': 0.137942813595432,
        'B_c3': 1.0,
        'C_c1': 0.857504420339923,
        'C_c2': 0.0,
        'C_c3': 0.0,
        'D_c1': 0.586247095473895,
        'D_c2': 0.0,
        'D_c3': 0.0575987187667988,
        'E_c1': 1.0,
        'E_c2': 0.0550823085099127,
        'E_c3': 0.750602778552169,
        'F_c1': 0.476391344633291,
        'F_c2': 0.0,
        'F_c3': 0.0,
        'G_c1': 1.0,
        'G_c2': 0.0,
        'G_c3': 0.630651535683751,
    },
    'bse': {
        'prop_c1': 0.0479308751505,
        'prop_c2': 0.0474635747940353,
        'prop_c3': 0.0406725936516283,
        'A_c1': 0.0,
        'A_c2': 0.038639438544065,
        'A_c3': 0.125894617393826,
        'B_c1': 0.019257647753319,
        'B_c2': 0.063807978933925,
        'B_c3': 0.0,
        'C_c1': 0.0560241833838886,
        'C_c2': 0.0,
        'C_c3': 0.0,
        'D_c1': 0.074524857215991,
        'D_c2': 0.0,
        'D_c3': 0.0632135163332436,
        'E_c1': 0.0,
        'E_c2': 0.0377643600921885,
        'E_c3': 0.12377482167067,
        'F_c1': 0.0748440137569858,
        'F_c2': 0.0,
        'F_c3': 0.0,
        'G_c1': 0.0,
        'G_c2': 0.0,
        'G_c3': 0.121065749634416,
    },
    'class_proportions': [0.444727657557983, 0.373564426332562, 0.181707916109456],
    'p_item1': {
        'A': [1.0, 0.0573097063576968, 0.512831310581921],
        'B': [0.980944346214669, 0.137942813595432, 1.0],
        'C': [0.857504420339923, 0.0, 0.0],
        'D': [0.586247095473895, 0.0, 0.0575987187667988],
        'E': [1.0, 0.0550823085099127, 0.750602778552169],
        'F': [0.476391344633291, 0.0, 0.0],
        'G': [1.0, 0.0, 0.630651535683751],
    },
    'n_params': 23,
    'aic': 633.409957561447,
    'bic': 697.135703924158,
    'nobs': 118,
    'n_clusters': None,
    'n_classes': 3,
    'starts_reaching_best': 195,
    'starts': 200,
    'seconds': {
        'wall_median': 22.607,
        'wall': [38.639, 22.607, 20.711],
        'cpu_median': 2.279,
        'note': 'all 200 starts',
    },
}
