"""Reference results: two-class mixture 2PL (mirt dentype = "mixture-2").

Generated 2026-12-03. Generator scripts: tests/results/scripts/sim_mix2pl_data.py (simulated data),
tests/results/scripts/irt_mirt.R mixture (mirt 1.45.1) and write_irt_peers.py (this module; our own
Gauss-Hermite LL as the second route).

Model: two latent classes with class-specific item parameters, logit P(y_j = 1 | theta, class c) =
a_jc theta + d_jc, theta ~ N(0, 1) within each class, class proportions prop_c1 + prop_c2 = 1
(mirt's multipleGroup(dentype = "mixture-2") with GenRandomPars = TRUE random starts; 61 quadrature
points; SEs Oakes). mirt fixes the latent mean 0 and variance 1 in each class (GroupPars MEAN_1, COV_11)
and estimates the mixing logit PI of class 2 against class 1. mirt 1.45.1's mirt(..., dentype =
"mixture-2") fails at the first E-step on any data (every response pattern gets frequency 0); the
same model through multipleGroup() without a group runs. Failed starts are listed in failed_seeds.
Data: "sim": tests/data/sim_mix2pl.csv (2000 persons, items i01..i10, true parameters in the generator's
docstring; true class share of class 2 = 0.4015); "lsat7": tests/data/lsat7.csv (5 items; 21 parameters
for 31 free pattern frequencies, weakly identified: treat as a stress case, not a target; mirt's EM needs
~40 ms a cycle there, so only MIX_SEEDS = 3 starts, without SEs, and it may stop at NCYCLES = 20000 before
TOL 1e-7: then `converged` is False and the LL is a lower bound of the maximum).
Class order: decreasing class proportion. Keys: loglike; params "prop_c<k>", "a<j>_c<k>", "d<j>_c<k>";
bse (Oakes; None where mirt gives none); n_params = 4 J + 1; nobs; n_clusters = None; converged;
em_iterations; second_order_test (mirt: the information matrix is positive definite);
loglike_by_seed (every converged start's LL: how often the best is found); failed_seeds (seed: mirt's
error); loglike_own_at_estimates; seconds.
SEs: mirt's Oakes SEs of the mixture are smaller than the inverse observed information (mixlevel's ML SEs,
which equal a finite-difference Hessian of the LL to 1e-4) by up to 20% (d of i02 in class 1: 0.140 vs
0.174): compare estimates and LL tightly, mirt's SEs only loosely.
  mix2pl_sim    best LL -10323.344413 (seed 1); LL by seed {1: -10323.3444130659, 10: -10323.3444130659, 2: -10323.3444130659, 3: -10323.3444130659, 4: -10323.3444130659, 5: -10323.3444130659, 6: -10323.3444130659, 7: -10323.3444130659, 8: -10323.3444130659, 9: -10323.3444130659};
                 failed starts none;
                 converged True, second-order test True; own GH(201) LL at the
                 estimates minus mirt's -1.5e-07.
  mix2pl_lsat7  best LL -2648.168892 (seed 1); LL by seed {1: -2648.16889213671, 2: -2649.07441895323, 3: -2650.15185077682};
                 failed starts none;
                 converged False, second-order test None; own GH(201) LL at the
                 estimates minus mirt's +1.2e-03.
"""

# ruff: noqa: E501

mix2pl_sim = {
    'software': 'R mirt 1.45.1 (built from the CRAN GitHub mirror cran/mirt; R version 4.2.2 Patched (2022-11-10 r83330))',
    'call': 'd <- read.csv("tests/data/sim_mix2pl.csv")[, paste0("i", sprintf("%02d", 1:10))]; set.seed(1); multipleGroup(d, 1, dentype = "mixture-2", GenRandomPars = TRUE, SE = TRUE, TOL = 1e-7, technical = list(NCYCLES = 20000)); best of the seeds in loglike_by_seed',
    'loglike': -10323.3444130659,
    'params': {
        'prop_c1': 0.588073447253799,
        'a1_c1': 1.37594928802382,
        'd1_c1': -2.25536339042888,
        'a2_c1': 1.70459540348094,
        'd2_c1': 0.0185180851030603,
        'a3_c1': 1.02284438056965,
        'd3_c1': 0.611262960878011,
        'a4_c1': 1.09855129578084,
        'd4_c1': 1.27674476532186,
        'a5_c1': 1.33407407458215,
        'd5_c1': -0.358800283087182,
        'a6_c1': 1.96064955856285,
        'd6_c1': -0.519457766521063,
        'a7_c1': 2.24476676050458,
        'd7_c1': -3.12242775837817,
        'a8_c1': 1.73941482936365,
        'd8_c1': 0.219737784212439,
        'a9_c1': 2.18370032074454,
        'd9_c1': -0.651095689168781,
        'a10_c1': 0.930923039991793,
        'd10_c1': 0.529218984609646,
        'prop_c2': 0.411926552746201,
        'a1_c2': 1.44915844305525,
        'd1_c2': -3.20173609436315,
        'a2_c2': 2.10879564483612,
        'd2_c2': 2.41605496199434,
        'a3_c2': 1.16500243325534,
        'd3_c2': -0.26818211390673,
        'a4_c2': 1.84230904622828,
        'd4_c2': 3.61866045515358,
        'a5_c2': 2.31672206376346,
        'd5_c2': -1.81588494361253,
        'a6_c2': 0.682719059708952,
        'd6_c2': 1.31085260789697,
        'a7_c2': 1.16505058008289,
        'd7_c2': -3.57341782492647,
        'a8_c2': 0.495952360194419,
        'd8_c2': 1.34745740369593,
        'a9_c2': 1.64073827258087,
        'd9_c2': -1.88883183140298,
        'a10_c2': 1.77310037945048,
        'd10_c2': 2.4476300305707,
    },
    'bse': {
        'a1_c1': 0.171011481539064,
        'd1_c1': 0.172622610461628,
        'a2_c1': 0.17595198035626,
        'd2_c1': 0.140101235744635,
        'a3_c1': 0.125830384619719,
        'd3_c1': 0.115507210941199,
        'a4_c1': 0.127854299387258,
        'd4_c1': 0.121623279744811,
        'a5_c1': 0.146383120167379,
        'd5_c1': 0.131252051684362,
        'a6_c1': 0.25478187448632,
        'd6_c1': 0.148284082177249,
        'a7_c1': 0.335915789814453,
        'd7_c1': 0.32026197207248,
        'a8_c1': 0.222622039481514,
        'd8_c1': 0.123765238004654,
        'a9_c1': 0.26231408585666,
        'd9_c1': 0.171848920819512,
        'a10_c1': 0.114786689336463,
        'd10_c1': 0.106459677124299,
        'a1_c2': 0.396192615156129,
        'd1_c2': 0.381079996750699,
        'a2_c2': 0.55890303094542,
        'd2_c2': 0.477253520674042,
        'a3_c2': 0.243274149588086,
        'd3_c2': 0.148465965728333,
        'a4_c2': 0.539304141332508,
        'd4_c2': 0.612469081753721,
        'a5_c2': 0.64386261229807,
        'd5_c2': 0.431311127527035,
        'a6_c2': 0.29614082111873,
        'd6_c2': 0.164809031368214,
        'a7_c2': 0.538879775093614,
        'd7_c2': 0.424679050062651,
        'a8_c2': 0.215817914174656,
        'd8_c2': 0.148304266212413,
        'a9_c2': 0.396836574119522,
        'd9_c2': 0.27998277109575,
        'a10_c2': 0.44672221916992,
        'd10_c2': 0.424480322892595,
    },
    'n_params': 41,
    'nobs': 2000,
    'n_clusters': None,
    'converged': True,
    'em_iterations': 864,
    'second_order_test': True,
    'loglike_by_seed': {
        1: -10323.3444130659,
        10: -10323.3444130659,
        2: -10323.3444130659,
        3: -10323.3444130659,
        4: -10323.3444130659,
        5: -10323.3444130659,
        6: -10323.3444130659,
        7: -10323.3444130659,
        8: -10323.3444130659,
        9: -10323.3444130659,
    },
    'failed_seeds': {},
    'loglike_own_at_estimates': -10323.344413211704,
    'seconds': {
        'wall_median': 13.226,
        'wall': [13.226],
        'cpu_median': 7.432,
    },
}

mix2pl_lsat7 = {
    'software': 'R mirt 1.45.1 (built from the CRAN GitHub mirror cran/mirt; R version 4.2.2 Patched (2022-11-10 r83330))',
    'call': 'd <- read.csv("tests/data/lsat7.csv"); set.seed(1); multipleGroup(d, 1, dentype = "mixture-2", GenRandomPars = TRUE, SE = FALSE, TOL = 1e-7, technical = list(NCYCLES = 20000)); best of the seeds in loglike_by_seed',
    'loglike': -2648.16889213671,
    'params': {
        'prop_c1': 0.683316348647957,
        'a1_c1': 0.438121607881284,
        'd1_c1': 1.555478830709,
        'a2_c1': 10.363460458489,
        'd2_c1': 3.45741347479827,
        'a3_c1': 0.993617834449428,
        'd3_c1': 1.32027042051249,
        'a4_c1': 0.255553587196854,
        'd4_c1': -0.0933039969119954,
        'a5_c1': 0.236888410564537,
        'd5_c1': 1.91865103949902,
        'prop_c2': 0.316683651352043,
        'a1_c2': 3.03942331917557,
        'd1_c2': 3.66704116839395,
        'a2_c2': 0.428861547755509,
        'd2_c2': 0.989136470647349,
        'a3_c2': 2.22677898217629,
        'd3_c2': 2.55318447849577,
        'a4_c2': 11.4973616488332,
        'd4_c2': 13.875100886526,
        'a5_c2': 2.58392942708085,
        'd5_c2': 2.46573632467227,
    },
    'bse': {
        'a1_c1': None,
        'd1_c1': None,
        'a2_c1': None,
        'd2_c1': None,
        'a3_c1': None,
        'd3_c1': None,
        'a4_c1': None,
        'd4_c1': None,
        'a5_c1': None,
        'd5_c1': None,
        'a1_c2': None,
        'd1_c2': None,
        'a2_c2': None,
        'd2_c2': None,
        'a3_c2': None,
        'd3_c2': None,
        'a4_c2': None,
        'd4_c2': None,
        'a5_c2': None,
        'd5_c2': None,
    },
    'n_params': 21,
    'nobs': 1000,
    'n_clusters': None,
    'converged': False,
    'em_iterations': 20000,
    'second_order_test': None,
    'loglike_by_seed': {
        1: -2648.16889213671,
        2: -2649.07441895323,
        3: -2650.15185077682,
    },
    'failed_seeds': {},
    'loglike_own_at_estimates': -2648.16765559816,
    'seconds': {
        'wall_median': 1219.777,
        'wall': [1219.777],
        'cpu_median': 102.343,
    },
}
