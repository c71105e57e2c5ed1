"""Reference results: basic latent Markov (hidden Markov) models for self-rated health, k = 2, 3 states.

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
  k = 2: LL -71335.559657 (n_params 11, default tol 1e-8 only); own forward LL at the estimates +0.00e+00;
         LMest time (default call) 68.8 s wall, 3.2 s CPU (median of 1).
  k = 3: LL -66571.827895 (n_params 20, tol 1e-12); own forward LL at the estimates -1.46e-11;
         default tol -3.58e-03, params within 5.38e-04;
         random starts (ntry 3) -3.18e-03;
         modBasic = 0: LL -66494.710038 (56 params), LR = 154.24 on 36 df;
         LMest time (default call) 159.6 s wall, 4.8 s CPU (median of 1).
LMest's default convergence criterion (tol = 1e-8) stops early here: for k = 3 the default and the
random-start fits are about 3.6e-3 and 3.2e-3 below the maximum that tol = 1e-12 reaches (the quoted
-66571.827895). Match "k<k>" (tol 1e-12) where it exists; a "k<k>_default" alone is good to ~1e-2 in LL.
Every LL is the full multinomial log-likelihood of the 7074 response sequences (LMest sums over the
distinct sequences with their frequencies); our forward recursion over all persons gives the same.
"""

# ruff: noqa: E501

# k = 2, LMest defaults (start = 0, tol 1e-8) -- the tight fit did not finish in time: this is the only k = 2 fit
k2_default = {
    'software': 'R LMest 3.2.5 (built from the CRAN GitHub mirror cran/LMest; R version 4.2.2 Patched (2022-11-10 r83330))',
    'call': 'w <- read.csv("tests/data/srhs_wide.csv"); d <- data.frame(id = rep(w$id, each = 8), t = rep(1:8, nrow(w)), srhs = 5 - as.vector(t(as.matrix(w[, paste0("srhs", 1:8)])))); lmest(responsesFormula = srhs ~ NULL, index = c("id", "t"), data = d, k = 2, modBasic = 1, start = 0)',
    'loglike': -71335.559656753,
    'params': {
        'init_s1': 0.643817741592011,
        'init_s2': 0.356182258407989,
        'trans_s1_s1': 0.939779507773382,
        'trans_s1_s2': 0.0602204922266175,
        'trans_s2_s1': 0.0108581382382571,
        'trans_s2_s2': 0.989141861761743,
        'p_s1_cat1': 0.295136364900121,
        'p_s1_cat2': 0.523592147403152,
        'p_s1_cat3': 0.174457648367222,
        'p_s1_cat4': 0.00661307665628615,
        'p_s1_cat5': 0.00020076267321817,
        'p_s2_cat1': 0.00549084900957655,
        'p_s2_cat2': 0.0779026568963274,
        'p_s2_cat3': 0.454100455865165,
        'p_s2_cat4': 0.335325222796436,
        'p_s2_cat5': 0.127180815432495,
    },
    'bse': None,
    'initial': [0.643817741592011, 0.356182258407989],
    'transition': [
        [0.939779507773382, 0.0602204922266175],
        [0.0108581382382571, 0.989141861761743],
    ],
    'response': [
        [0.295136364900121, 0.523592147403152, 0.174457648367222, 0.00661307665628615, 0.00020076267321817],
        [0.00549084900957655, 0.0779026568963274, 0.454100455865165, 0.335325222796436, 0.127180815432495],
    ],
    'n_params': 11,
    'aic': 142693.119313506,
    'bic': 142768.625308573,
    'nobs': 7074,
    'n_occasions': 8,
    'n_clusters': None,
    'n_states': 2,
    'em_iterations': 28,
    'loglike_own_forward': -71335.559656753,
    'seconds': {
        'wall_median': 68.841,
        'wall': [68.841],
        'cpu_median': 3.192,
    },
}

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

# k = 3, start = 1, seed = 123, ntry = 3
k3_random_starts = {
    'software': 'R LMest 3.2.5 (built from the CRAN GitHub mirror cran/LMest; R version 4.2.2 Patched (2022-11-10 r83330))',
    'call': 'w <- read.csv("tests/data/srhs_wide.csv"); d <- data.frame(id = rep(w$id, each = 8), t = rep(1:8, nrow(w)), srhs = 5 - as.vector(t(as.matrix(w[, paste0("srhs", 1:8)])))); lmest(responsesFormula = srhs ~ NULL, index = c("id", "t"), data = d, k = 3, modBasic = 1, start = 1, seed = 123, ntry = 3)',
    'loglike': -66571.8310771821,
    'params': {
        'init_s1': 0.478193309235544,
        'init_s2': 0.372654208244042,
        'init_s3': 0.149152482520414,
        'trans_s1_s1': 0.908939040772918,
        'trans_s1_s2': 0.0876869070422759,
        'trans_s1_s3': 0.00337405218480609,
        'trans_s2_s1': 0.00971992607296559,
        'trans_s2_s2': 0.936800410207559,
        'trans_s2_s3': 0.0534796637194753,
        'trans_s3_s1': 0.00180828927955971,
        'trans_s3_s2': 0.0328633681179401,
        'trans_s3_s3': 0.9653283426025,
        'p_s1_cat1': 0.421002240185758,
        'p_s1_cat2': 0.517267119032431,
        'p_s1_cat3': 0.0582779838979335,
        'p_s1_cat4': 0.00267396183343896,
        'p_s1_cat5': 0.00077869505043857,
        'p_s2_cat1': 0.0167198236352145,
        'p_s2_cat2': 0.296175404582106,
        'p_s2_cat3': 0.591143212464689,
        'p_s2_cat4': 0.0936491731697319,
        'p_s2_cat5': 0.00231238614825907,
        'p_s3_cat1': 0.00602468970179842,
        'p_s3_cat2': 0.0122924206133723,
        'p_s3_cat3': 0.136409782604468,
        'p_s3_cat4': 0.566792047577216,
        'p_s3_cat5': 0.278481059503146,
    },
    'bse': None,
    'initial': [0.478193309235544, 0.372654208244042, 0.149152482520414],
    'transition': [
        [0.908939040772918, 0.0876869070422759, 0.00337405218480609],
        [0.00971992607296559, 0.936800410207559, 0.0534796637194753],
        [0.00180828927955971, 0.0328633681179401, 0.9653283426025],
    ],
    'response': [
        [0.421002240185758, 0.517267119032431, 0.0582779838979335, 0.00267396183343896, 0.00077869505043857],
        [0.0167198236352145, 0.296175404582106, 0.591143212464689, 0.0936491731697319, 0.00231238614825907],
        [0.00602468970179842, 0.0122924206133723, 0.136409782604468, 0.566792047577216, 0.278481059503146],
    ],
    'n_params': 20,
    'aic': 133183.662154364,
    'bic': 133320.945781759,
    'nobs': 7074,
    'n_occasions': 8,
    'n_clusters': None,
    'n_states': 3,
    'em_iterations': 133,
    'loglike_own_forward': -66571.83107718207,
    'seconds': {
        'wall_median': 803.323,
        'wall': [803.323],
        'cpu_median': None,
    },
}

# k = 3, modBasic = 0 (a transition matrix per occasion)
k3_heterogeneous = {
    'software': 'R LMest 3.2.5 (built from the CRAN GitHub mirror cran/LMest; R version 4.2.2 Patched (2022-11-10 r83330))',
    'call': 'w <- read.csv("tests/data/srhs_wide.csv"); d <- data.frame(id = rep(w$id, each = 8), t = rep(1:8, nrow(w)), srhs = 5 - as.vector(t(as.matrix(w[, paste0("srhs", 1:8)])))); lmest(responsesFormula = srhs ~ NULL, index = c("id", "t"), data = d, k = 3, modBasic = 0, start = 0)',
    'loglike': -66494.71003767,
    'params': {
        'init_s1': 0.483332883321195,
        'init_s2': 0.365991379097974,
        'init_s3': 0.150675737580831,
        'trans_t2_s1_s1': 0.905900463186232,
        'trans_t2_s1_s2': 0.0911167939759671,
        'trans_t2_s1_s3': 0.00298274283780131,
        'trans_t2_s2_s1': 0.00238186490790267,
        'trans_t2_s2_s2': 0.953118132833891,
        'trans_t2_s2_s3': 0.0445000022582065,
        'trans_t2_s3_s1': 0.0120455241731406,
        'trans_t2_s3_s2': 0.0130083680405253,
        'trans_t2_s3_s3': 0.974946107786334,
        'trans_t3_s1_s1': 0.924597302499376,
        'trans_t3_s1_s2': 0.0721053048302702,
        'trans_t3_s1_s3': 0.00329739267035342,
        'trans_t3_s2_s1': 0.0249639411303518,
        'trans_t3_s2_s2': 0.924505592417482,
        'trans_t3_s2_s3': 0.0505304664521666,
        'trans_t3_s3_s1': 0.00448040210731109,
        'trans_t3_s3_s2': 0.0708958851532116,
        'trans_t3_s3_s3': 0.924623712739477,
        'trans_t4_s1_s1': 0.845547206322566,
        'trans_t4_s1_s2': 0.151034343353389,
        'trans_t4_s1_s3': 0.0034184503240457,
        'trans_t4_s2_s1': 0.00209911707983835,
        'trans_t4_s2_s2': 0.917825108108154,
        'trans_t4_s2_s3': 0.0800757748120073,
        'trans_t4_s3_s1': 0.0027528404492937,
        'trans_t4_s3_s2': 0.00291755506308256,
        'trans_t4_s3_s3': 0.994329604487624,
        'trans_t5_s1_s1': 0.957579780781815,
        'trans_t5_s1_s2': 0.0393295894239364,
        'trans_t5_s1_s3': 0.00309062979424851,
        'trans_t5_s2_s1': 0.0312538563113482,
        'trans_t5_s2_s2': 0.94559639496786,
        'trans_t5_s2_s3': 0.0231497487207913,
        'trans_t5_s3_s1': 0.00201077547745995,
        'trans_t5_s3_s2': 0.0796655602502888,
        'trans_t5_s3_s3': 0.918323664272251,
        'trans_t6_s1_s1': 0.909904820529816,
        'trans_t6_s1_s2': 0.0874226472184939,
        'trans_t6_s1_s3': 0.00267253225169051,
        'trans_t6_s2_s1': 0.0121888787107443,
        'trans_t6_s2_s2': 0.931503697956087,
        'trans_t6_s2_s3': 0.0563074233331687,
        'trans_t6_s3_s1': 2.64823043026711e-48,
        'trans_t6_s3_s2': 0.0360467297887474,
        'trans_t6_s3_s3': 0.963953270211253,
        'trans_t7_s1_s1': 0.901645874586352,
        'trans_t7_s1_s2': 0.0926784295416748,
        'trans_t7_s1_s3': 0.00567569587197308,
        'trans_t7_s2_s1': 5.19378547528686e-09,
        'trans_t7_s2_s2': 0.924004059300831,
        'trans_t7_s2_s3': 0.0759959355053833,
        'trans_t7_s3_s1': 2.9499829275672e-38,
        'trans_t7_s3_s2': 0.0271306245100083,
        'trans_t7_s3_s3': 0.972869375489992,
        'trans_t8_s1_s1': 0.914255685242723,
        'trans_t8_s1_s2': 0.0808695449834937,
        'trans_t8_s1_s3': 0.00487476977378377,
        'trans_t8_s2_s1': 5.38915347825679e-10,
        'trans_t8_s2_s2': 0.949200868519377,
        'trans_t8_s2_s3': 0.0507991309417071,
        'trans_t8_s3_s1': 0.00208848886868842,
        'trans_t8_s3_s2': 0.00136502829158443,
        'trans_t8_s3_s3': 0.996546482839727,
        'p_s1_cat1': 0.416462808851393,
        'p_s1_cat2': 0.521745060155717,
        'p_s1_cat3': 0.0587425505282975,
        'p_s1_cat4': 0.0023871167000512,
        'p_s1_cat5': 0.000662463764541751,
        'p_s2_cat1': 0.0164363526960971,
        'p_s2_cat2': 0.288856083502902,
        'p_s2_cat3': 0.596847704834081,
        'p_s2_cat4': 0.095550909831297,
        'p_s2_cat5': 0.00230894913562291,
        'p_s3_cat1': 0.00597294340618318,
        'p_s3_cat2': 0.0126820576936241,
        'p_s3_cat3': 0.13188302271348,
        'p_s3_cat4': 0.568732488346562,
        'p_s3_cat5': 0.280729487840151,
    },
    'bse': None,
    'initial': [0.483332883321195, 0.365991379097974, 0.150675737580831],
    'transition': [
        [
            [0.905900463186232, 0.0911167939759671, 0.00298274283780131],
            [0.00238186490790267, 0.953118132833891, 0.0445000022582065],
            [0.0120455241731406, 0.0130083680405253, 0.974946107786334],
        ],
        [
            [0.924597302499376, 0.0721053048302702, 0.00329739267035342],
            [0.0249639411303518, 0.924505592417482, 0.0505304664521666],
            [0.00448040210731109, 0.0708958851532116, 0.924623712739477],
        ],
        [
            [0.845547206322566, 0.151034343353389, 0.0034184503240457],
            [0.00209911707983835, 0.917825108108154, 0.0800757748120073],
            [0.0027528404492937, 0.00291755506308256, 0.994329604487624],
        ],
        [
            [0.957579780781815, 0.0393295894239364, 0.00309062979424851],
            [0.0312538563113482, 0.94559639496786, 0.0231497487207913],
            [0.00201077547745995, 0.0796655602502888, 0.918323664272251],
        ],
        [
            [0.909904820529816, 0.0874226472184939, 0.00267253225169051],
            [0.0121888787107443, 0.931503697956087, 0.0563074233331687],
            [2.64823043026711e-48, 0.0360467297887474, 0.963953270211253],
        ],
        [
            [0.901645874586352, 0.0926784295416748, 0.00567569587197308],
            [5.19378547528686e-09, 0.924004059300831, 0.0759959355053833],
            [2.9499829275672e-38, 0.0271306245100083, 0.972869375489992],
        ],
        [
            [0.914255685242723, 0.0808695449834937, 0.00487476977378377],
            [5.38915347825679e-10, 0.949200868519377, 0.0507991309417071],
            [0.00208848886868842, 0.00136502829158443, 0.996546482839727],
        ],
    ],
    'response': [
        [0.416462808851393, 0.521745060155717, 0.0587425505282975, 0.0023871167000512, 0.000662463764541751],
        [0.0164363526960971, 0.288856083502902, 0.596847704834081, 0.095550909831297, 0.00230894913562291],
        [0.00597294340618318, 0.0126820576936241, 0.13188302271348, 0.568732488346562, 0.280729487840151],
    ],
    'n_params': 56,
    'aic': 133101.42007534,
    'bic': 133485.814232047,
    'nobs': 7074,
    'n_occasions': 8,
    'n_clusters': None,
    'n_states': 3,
    'em_iterations': 151,
    'loglike_own_forward': -66494.71003766997,
    'seconds': {
        'wall_median': 143.203,
        'wall': [143.203],
        'cpu_median': None,
    },
}
