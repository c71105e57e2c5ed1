"""Reference results: basic latent Markov (hidden Markov) models for self-rated health, k = 3 states.

Generated 2026-12-03. Generator scripts: tests/results/scripts/lta_srhs_lmest.R (LMest) and
tests/results/scripts/write_lta_srhs.py (this module; own forward-recursion LL as the second route).

Data: tests/data/srhs_wide.csv, LMest's `data_SRHS_long` (Health and Retirement Study) pivoted to one
row per person: `id`, `srhs1`..`srhs8` (occasions 1..8), 1 = excellent, 2 = very good, 3 = good,
4 = fair, 5 = poor; 7074 persons, no missing values. (shared/data/srhs.csv is the long original.)
Model: one latent state per occasion, k states, first-order Markov chain with initial probabilities
and ONE transition matrix for all occasions (LMest modBasic = 1, time-homogeneous), and the state-
specific distribution of srhs (five categories, unconstrained), the same at every occasion. No covariates.
LMest wants categories from 0; the R script uses 5 - srhs (LMest's own example coding). That only
relabels the categories; everything here is mapped back to the CSV's codes.

State order (canonical): increasing mean srhs code within the state, so state 1 is the healthiest.
Keys of each model dict: loglike; params, a dict name -> value with
  "init_s<a>"            P(state a at occasion 1)
  "trans_s<a>_s<b>"      P(state b at t | state a at t - 1), the same for t = 2..8
                         (heterogeneous models: "trans_t<t>_s<a>_s<b>" for t = 2..8)
  "p_s<a>_cat<c>"        P(srhs = c | state a), c = 1..5 in the CSV coding
bse: LMest's SEs (out_se = TRUE, from its information matrix) in the primary dicts, None elsewhere;
initial (list), transition (k x k, rows = from-state), response (k x 5: state x category) repeat the
params as arrays; n_params; aic, bic (LMest's); nobs = 7074 persons, n_occasions = 8, n_clusters = None;
em_iterations; loglike_own_forward (our own forward recursion at these estimates); seconds (wall and CPU
of the fit, medians of 3 runs: the machine was shared, CPU time is the steadier number); software; call.

The task brief quotes LMest's -66571.827895 for k = 3; our k = 3 run gives -66571.827895 (-1.7e-09).
Agreement (primary minus the others):
  k = 3: LL -66571.827895 (n_params 20, tol 1e-12); own forward LL at the estimates -1.46e-11;
         default tol -3.58e-03, params within 5.38e-04;
         LMest time (default call) 159.6 s wall, 4.8 s CPU (median of 1).
Every LL is the full multinomial log-likelihood of the 7074 response sequences (LMest sums over the
distinct sequences with their frequencies); our forward recursion over all persons gives the same.
"""

# ruff: noqa: E501

# k = 3, time-homogeneous transitions, tol 1e-12 (primary)
k3 = {
    'software': 'R LMest 3.2.5 (built from the CRAN GitHub mirror cran/LMest; R version 4.2.2 Patched (2022-11-10 r83330))',
    'call': 'w <- read.csv("tests/data/srhs_wide.csv"); d <- data.frame(id = rep(w$id, each = 8), t = rep(1:8, nrow(w)), srhs = 5 - as.vector(t(as.matrix(w[, paste0("srhs", 1:8)])))); lmest(responsesFormula = srhs ~ NULL, index = c("id", "t"), data = d, k = 3, modBasic = 1, start = 0, tol = 1e-12, maxit = 100000, out_se = TRUE)',
    'loglike': -66571.8278950017,
    'params': {
        'init_s1': 0.47858513067182,
        'init_s2': 0.372411857504454,
        'init_s3': 0.149003011823726,
        'trans_s1_s1': 0.90899618538044,
        'trans_s1_s2': 0.08762940520975,
        'trans_s1_s3': 0.0033744094098103,
        'trans_s2_s1': 0.00974796092087702,
        'trans_s2_s2': 0.936765308989801,
        'trans_s2_s3': 0.0534867300893216,
        'trans_s3_s1': 0.00180774892659032,
        'trans_s3_s2': 0.0329185117248041,
        'trans_s3_s3': 0.965273739348606,
        'p_s1_cat1': 0.420618479041171,
        'p_s1_cat2': 0.517497742107736,
        'p_s1_cat3': 0.0584253745031514,
        'p_s1_cat4': 0.00267817480650189,
        'p_s1_cat5': 0.000780229541440312,
        'p_s2_cat1': 0.0166804755135978,
        'p_s2_cat2': 0.295669024646941,
        'p_s2_cat3': 0.591456066523375,
        'p_s2_cat4': 0.09387618521566,
        'p_s2_cat5': 0.00231824810042574,
        'p_s3_cat1': 0.00602183731654245,
        'p_s3_cat2': 0.0122709424109599,
        'p_s3_cat3': 0.136075441745991,
        'p_s3_cat4': 0.56691152510449,
        'p_s3_cat5': 0.278720253422017,
    },
    'bse': {
        'init_s1': 0.0085851421587282,
        'init_s2': 0.00844622532427179,
        'init_s3': 0.00530647081234283,
        'trans_s1_s1': 0.0031036585954947,
        'trans_s1_s2': 0.00317477694816025,
        'trans_s1_s3': 0.000849576521374659,
        'trans_s2_s1': 0.00166366477703431,
        'trans_s2_s2': 0.00286543086901384,
        'trans_s2_s3': 0.00232547248111886,
        'trans_s3_s1': 0.000838023766988195,
        'trans_s3_s2': 0.00357039824492553,
        'trans_s3_s3': 0.00353673732365029,
        'p_s1_cat1': 0.00616750580382867,
        'p_s1_cat2': 0.00483676776806511,
        'p_s1_cat3': 0.00297827514398644,
        'p_s1_cat4': 0.000572521956825728,
        'p_s1_cat5': 0.000287829282185039,
        'p_s2_cat1': 0.00135624288364692,
        'p_s2_cat2': 0.0070079980739916,
        'p_s2_cat3': 0.00559685692050193,
        'p_s2_cat4': 0.00376308414778726,
        'p_s2_cat5': 0.000558872257454189,
        'p_s3_cat1': 0.000959910013994061,
        'p_s3_cat2': 0.0016070736960436,
        'p_s3_cat3': 0.00619244204696023,
        'p_s3_cat4': 0.00543924687495072,
        'p_s3_cat5': 0.00556754472614169,
    },
    'initial': [0.47858513067182, 0.372411857504454, 0.149003011823726],
    'transition': [
        [0.90899618538044, 0.08762940520975, 0.0033744094098103],
        [0.00974796092087702, 0.936765308989801, 0.0534867300893216],
        [0.00180774892659032, 0.0329185117248041, 0.965273739348606],
    ],
    'response': [
        [0.420618479041171, 0.517497742107736, 0.0584253745031514, 0.00267817480650189, 0.000780229541440312],
        [0.0166804755135978, 0.295669024646941, 0.591456066523375, 0.09387618521566, 0.00231824810042574],
        [0.00602183731654245, 0.0122709424109599, 0.136075441745991, 0.56691152510449, 0.278720253422017],
    ],
    'n_params': 20,
    'aic': 133183.655790003,
    'bic': 133320.939417399,
    'nobs': 7074,
    'n_occasions': 8,
    'n_clusters': None,
    'n_states': 3,
    'em_iterations': 133,
    'loglike_own_forward': -66571.82789500171,
    'seconds': {
        'wall_median': 3062.613,
        'wall': [3062.613],
        'cpu_median': None,
    },
}

# k = 3, LMest defaults (start = 0, tol 1e-8)
k3_default = {
    'software': 'R LMest 3.2.5 (built from the CRAN GitHub mirror cran/LMest; R version 4.2.2 Patched (2022-11-10 r83330))',
    'call': 'w <- read.csv("tests/data/srhs_wide.csv"); d <- data.frame(id = rep(w$id, each = 8), t = rep(1:8, nrow(w)), srhs = 5 - as.vector(t(as.matrix(w[, paste0("srhs", 1:8)])))); lmest(responsesFormula = srhs ~ NULL, index = c("id", "t"), data = d, k = 3, modBasic = 1, start = 0)',
    'loglike': -66571.831477646,
    'params': {
        'init_s1': 0.478169082741201,
        'init_s2': 0.372669204996736,
        'init_s3': 0.149161712262063,
        'trans_s1_s1': 0.908935457506562,
        'trans_s1_s2': 0.0876905159871647,
        'trans_s1_s3': 0.00337402650627321,
        'trans_s2_s1': 0.00971825245510837,
        'trans_s2_s2': 0.936802514561361,
        'trans_s2_s3': 0.0534792329835307,
        'trans_s3_s1': 0.00180831132287435,
        'trans_s3_s2': 0.0328599910155382,
        'trans_s3_s3': 0.965331697661587,
        'p_s1_cat1': 0.421025996394681,
        'p_s1_cat2': 0.517252851475181,
        'p_s1_cat3': 0.0582688534931153,
        'p_s1_cat4': 0.0026736983350918,
        'p_s1_cat5': 0.000778600301930264,
        'p_s2_cat1': 0.0167222404634072,
        'p_s2_cat2': 0.296206675441121,
        'p_s2_cat3': 0.591123892208644,
        'p_s2_cat4': 0.0936351672342587,
        'p_s2_cat5': 0.00231202465256937,
        'p_s3_cat1': 0.00602486919352916,
        'p_s3_cat2': 0.012293746943316,
        'p_s3_cat3': 0.136430413654021,
        'p_s3_cat4': 0.56678466601593,
        'p_s3_cat5': 0.278466304193204,
    },
    'bse': None,
    'initial': [0.478169082741201, 0.372669204996736, 0.149161712262063],
    'transition': [
        [0.908935457506562, 0.0876905159871647, 0.00337402650627321],
        [0.00971825245510837, 0.936802514561361, 0.0534792329835307],
        [0.00180831132287435, 0.0328599910155382, 0.965331697661587],
    ],
    'response': [
        [0.421025996394681, 0.517252851475181, 0.0582688534931153, 0.0026736983350918, 0.000778600301930264],
        [0.0167222404634072, 0.296206675441121, 0.591123892208644, 0.0936351672342587, 0.00231202465256937],
        [0.00602486919352916, 0.012293746943316, 0.136430413654021, 0.56678466601593, 0.278466304193204],
    ],
    'n_params': 20,
    'aic': 133183.662955292,
    'bic': 133320.946582687,
    'nobs': 7074,
    'n_occasions': 8,
    'n_clusters': None,
    'n_states': 3,
    'em_iterations': 77,
    'loglike_own_forward': -66571.83147764605,
    'seconds': {
        'wall_median': 159.573,
        'wall': [159.573],
        'cpu_median': 4.766,
    },
}
