"""Reference results: latent class models for the dentistry data, with and without a random effect (randomLCA).

Generated 2026-12-03. Generator scripts: tests/results/scripts/lca_dentistry_randomlca.R (randomLCA)
and tests/results/scripts/write_lca_dentistry.py (this module; our own Gauss-Hermite LL as the second route).

Data: tests/data/dentistry.csv (randomLCA `dentistry`): 32 response patterns of five dentists' 0/1
caries diagnoses `V1`..`V5` with frequencies `freq` (3869 tooth surfaces).
Models (2 classes):
  lca2*   plain latent class model: P(V_j = 1 | class c) = p_cj, items independent within a class.
  lcr2_*  the random-effect latent class model ("2LCR", Qu, Tan & Kutner 1996, Biometrics 52:797):
          F^-1 P(V_j = 1 | class c, u) = alpha_cj + lambda_j u with u ~ N(0, 1) per surface,
          F = logistic ("logit") or standard normal ("probit"); "constload": one loading lambda for all
          items (lambda_j = lambda); "itemload": a loading per item (randomLCA constload = FALSE).
          The loadings are the same in both classes (randomLCA byclass = FALSE).
Penalty: randomLCA maximises by default a PENALISED likelihood, LL + (0.01 / (2 K)) sum log(p (1 - p))
over the outcome probabilities at u = 0. The dicts without a suffix use penalty = 0, i.e. plain ML:
these are the targets for an ML fit. `*_penalized` dicts use the default penalty 0.01; their loglike is
the unpenalised LL at the penalised optimum (penalized_loglike is the objective), so they are slightly
below the ML dicts. randomLCA integrates with 21 adaptive GH points by default; `*_q61` use 61.

Canonical class order: decreasing class proportion (class 1 = the larger, "sound" class). The loading
sign is not identified (u and -u give the same model): loadings are stored with a positive sum.
Keys of each model dict: loglike; penalized_loglike; params, a dict name -> value with
  "prop_c<k>"         class proportion
  "V<j>_c<k>"         P(V_j = 1 | class k) for lca2; for lcr2 the probability AT u = 0, F(alpha_kj)
  "loading"           lambda (constload) or "loading_V<j>" (itemload), on the logit/probit scale
linear_predictor ("V<j>_c<k>": alpha_kj on the logit/probit scale); marginal_p (lcr2: P(V_j = 1 | class k)
integrated over u, randomLCA's calcMargProb); bse (randomLCA's SEs from the optimiser's Hessian, on its
internal scale: "lin_V<j>_c<k>" for alpha_kj, "loading*", and "class_logit" for the class logit), None where
it gives none; n_params; bic; nobs = 3869 (surfaces); n_clusters = None; loglike_own_gh201 (our own
log-likelihood at these estimates with 201 fixed Gauss-Hermite points); seconds (wall median of 3 runs and
CPU time); software; call.

Agreement:
  lca2_penalized                   LL -7465.384700; own GH(201) LL at the estimates -3.6e-12
  lca2                             LL -7465.384700; own GH(201) LL at the estimates +0.0e+00
  lcr2_probit_constload_penalized  LL -7422.781692; own GH(201) LL at the estimates +4.8e-10
  lcr2_probit_constload            LL -7422.781691; own GH(201) LL at the estimates +4.8e-10
  lcr2_probit_itemload             LL -7408.596212; own GH(201) LL at the estimates -1.4e-03
  lcr2_logit_constload_penalized (randomLCA arguments as the name says) stopped with the error: 'divergence - increase quadrature points'
  lcr2_logit_constload (randomLCA arguments as the name says) stopped with the error: 'divergence - increase quadrature points'
  lcr2_logit_itemload_penalized (randomLCA arguments as the name says) stopped with the error: 'divergence - increase quadrature points'
  lcr2_logit_itemload (randomLCA arguments as the name says) stopped with the error: 'divergence - increase quadrature points'
"""

# ruff: noqa: E501

lca2_penalized = {
    'software': 'R randomLCA 1.1.4 (built from the CRAN GitHub mirror cran/randomLCA; R version 4.2.2 Patched (2022-11-10 r83330))',
    'loglike': -7465.38469990366,
    'penalized_loglike': -7465.44639691462,
    'params': {
        'prop_c1': 0.803936272449245,
        'prop_c2': 0.196063727550755,
        'V1_c1': 0.0106190212437204,
        'V1_c2': 0.403352268945137,
        'V2_c1': 0.101988939361693,
        'V2_c2': 0.712880715436743,
        'V3_c1': 0.0135920544834755,
        'V3_c2': 0.598128740749164,
        'V4_c1': 0.0315645652649976,
        'V4_c2': 0.488843626539974,
        'V5_c1': 0.305278966313069,
        'V5_c2': 0.915472771200167,
    },
    'nobs': 3869,
    'n_clusters': None,
    'n_params': 11,
    'bic': 15021.637664709,
    'loglike_own_gh201': -7465.384699903663,
    'linear_predictor': {
        'V1_c1': -4.53443262362137,
        'V1_c2': -0.391516577382341,
        'V2_c1': -2.17531801542149,
        'V2_c2': 0.909416351823307,
        'V3_c1': -4.28458461402566,
        'V3_c2': 0.397674229605717,
        'V4_c1': -3.42364667637202,
        'V4_c2': -0.0446329017828413,
        'V5_c1': -0.822284372382398,
        'V5_c2': 2.38236690489918,
    },
    'bse': {
        'lin_V1_c1': 0.21895352844197,
        'lin_V1_c2': 0.0901655846192885,
        'lin_V2_c1': 0.0722247913285779,
        'lin_V2_c2': 0.104671180226768,
        'lin_V3_c1': 0.236482637584606,
        'lin_V3_c2': 0.101693100833644,
        'lin_V4_c1': 0.13914275983571,
        'lin_V4_c2': 0.0860253781917713,
        'lin_V5_c1': 0.0444552849313262,
        'lin_V5_c2': 0.171048368151191,
        'class_logit': 0.0596098832650321,
    },
    'seconds': {
        'wall_median': 1.118,
        'wall': [1.269, 1.118, 0.789],
        'cpu_median': 0.057,
    },
    'call': 'd <- read.csv("tests/data/dentistry.csv"); randomLCA(d[, paste0(\'V\', 1:5)], freq = d$freq, nclass = 2, random = FALSE, constload = TRUE, probit = FALSE, penalty = 0.01, quadpoints = 21, seed = 20261203, cores = 1)',
}

lca2 = {
    'software': 'R randomLCA 1.1.4 (built from the CRAN GitHub mirror cran/randomLCA; R version 4.2.2 Patched (2022-11-10 r83330))',
    'loglike': -7465.38469987391,
    'penalized_loglike': -7465.38469987391,
    'params': {
        'prop_c1': 0.803933062435698,
        'prop_c2': 0.196066937564302,
        'V1_c1': 0.0106177307355362,
        'V1_c2': 0.403347276862849,
        'V2_c1': 0.101987264783166,
        'V2_c2': 0.712876363905351,
        'V3_c1': 0.0135901946808566,
        'V3_c2': 0.598124245660469,
        'V4_c1': 0.0315628402469066,
        'V4_c2': 0.488840056874331,
        'V5_c1': 0.305276658056785,
        'V5_c2': 0.915473710586552,
    },
    'nobs': 3869,
    'n_clusters': None,
    'n_params': 11,
    'bic': 15021.6376646495,
    'loglike_own_gh201': -7465.38469987391,
    'linear_predictor': {
        'V1_c1': -4.53455546334323,
        'V1_c2': -0.391537320790292,
        'V2_c1': -2.17533629953535,
        'V2_c2': 0.909395091937588,
        'V3_c1': -4.28472333894818,
        'V3_c2': 0.397655528992425,
        'V4_c1': -3.42370310956857,
        'V4_c2': -0.0446471875599897,
        'V5_c1': -0.822295256108815,
        'V5_c2': 2.38237904449953,
    },
    'bse': {
        'lin_V1_c1': 0.218973157747884,
        'lin_V1_c2': 0.0901657839332851,
        'lin_V2_c1': 0.0722260465306393,
        'lin_V2_c2': 0.104670307810049,
        'lin_V3_c1': 0.23650780593287,
        'lin_V3_c2': 0.101693123831423,
        'lin_V4_c1': 0.139149620314095,
        'lin_V4_c2': 0.0860252047607258,
        'lin_V5_c1': 0.0444556889002966,
        'lin_V5_c2': 0.171050891254841,
        'class_logit': 0.0596099998291251,
    },
    'seconds': {
        'wall_median': 0.39,
        'wall': [0.581, 0.38, 0.39],
        'cpu_median': 0.045,
    },
    'call': 'd <- read.csv("tests/data/dentistry.csv"); randomLCA(d[, paste0(\'V\', 1:5)], freq = d$freq, nclass = 2, random = FALSE, constload = TRUE, probit = FALSE, penalty = 0.0, quadpoints = 21, seed = 20261203, cores = 1)',
}

lcr2_probit_constload_penalized = {
    'software': 'R randomLCA 1.1.4 (built from the CRAN GitHub mirror cran/randomLCA; R version 4.2.2 Patched (2022-11-10 r83330))',
    'loglike': -7422.78169245493,
    'penalized_loglike': -7422.84779846213,
    'params': {
        'prop_c1': 0.821023470045488,
        'prop_c2': 0.178976529954512,
        'V1_c1': 0.00566780514813723,
        'V1_c2': 0.380361102163107,
        'V2_c1': 0.0835811597732695,
        'V2_c2': 0.677035226705417,
        'V3_c1': 0.00593671115645592,
        'V3_c2': 0.650822431365029,
        'V4_c1': 0.0258301414380088,
        'V4_c2': 0.399909380468231,
        'V5_c1': 0.296415727399522,
        'V5_c2': 0.903281102484822,
        'loading': 0.704419326188023,
    },
    'nobs': 3869,
    'n_clusters': None,
    'n_params': 12,
    'bic': 14944.6924011663,
    'marginal_p': {
        'V1_c1': 0.0192198619305939,
        'V1_c2': 0.401694009757065,
        'V2_c1': 0.129381328286174,
        'V2_c2': 0.646390455434453,
        'V3_c1': 0.0198520995409708,
        'V3_c2': 0.624312727864197,
        'V4_c1': 0.0558185666651729,
        'V4_c2': 0.417883543113756,
        'V5_c1': 0.330996065862872,
        'V5_c2': 0.856149747078252,
    },
    'loglike_own_gh201': -7422.781692454447,
    'linear_predictor': {
        'V1_c1': -2.53217901327945,
        'V1_c2': -0.304532542045932,
        'V2_c1': -1.38137945487453,
        'V2_c2': 0.459424237170588,
        'V3_c1': -2.51588409356944,
        'V3_c2': 0.387541811642642,
        'V4_c1': -1.94595385502716,
        'V4_c2': -0.253581667589251,
        'V5_c1': -0.534737401461381,
        'V5_c2': 1.3004762385618,
    },
    'bse': {
        'lin_V1_c1': 0.118456999227123,
        'lin_V1_c2': 0.12045584284156,
        'lin_V2_c1': 0.0526371116192044,
        'lin_V2_c2': 0.129894597289897,
        'lin_V3_c1': 0.221595053138142,
        'lin_V3_c2': 0.177976774748956,
        'lin_V4_c1': 0.0725290167595565,
        'lin_V4_c2': 0.115388933326226,
        'lin_V5_c1': 0.0406759009218349,
        'lin_V5_c2': 0.169364726321981,
        'class_logit': 0.154774375888425,
        'loading': 0.0823730348833968,
    },
    'seconds': {
        'wall_median': 35.928,
        'wall': [32.026, 35.947, 35.928],
        'cpu_median': 1.589,
    },
    'call': 'd <- read.csv("tests/data/dentistry.csv"); randomLCA(d[, paste0(\'V\', 1:5)], freq = d$freq, nclass = 2, random = TRUE, constload = TRUE, probit = TRUE, penalty = 0.01, quadpoints = 21, seed = 20261203, cores = 1)',
}

lcr2_probit_constload = {
    'software': 'R randomLCA 1.1.4 (built from the CRAN GitHub mirror cran/randomLCA; R version 4.2.2 Patched (2022-11-10 r83330))',
    'loglike': -7422.78169073698,
    'penalized_loglike': -7422.78169073698,
    'params': {
        'prop_c1': 0.820997066435568,
        'prop_c2': 0.179002933564432,
        'V1_c1': 0.00566535685737684,
        'V1_c2': 0.380308225818237,
        'V2_c1': 0.083572030670073,
        'V2_c2': 0.676978579701557,
        'V3_c1': 0.00593032010006607,
        'V3_c2': 0.650790130189236,
        'V4_c1': 0.0258250208936082,
        'V4_c2': 0.399863455112051,
        'V5_c1': 0.296401098186827,
        'V5_c2': 0.903251286933251,
        'loading': 0.704458008869779,
    },
    'nobs': 3869,
    'n_clusters': None,
    'n_params': 12,
    'bic': 14944.6923977304,
    'marginal_p': {
        'V1_c1': 0.0192158301071853,
        'V1_c2': 0.401651865895822,
        'V2_c1': 0.129375423423991,
        'V2_c2': 0.646339953471791,
        'V3_c1': 0.0198389737816413,
        'V3_c2': 0.624283466095952,
        'V4_c1': 0.0558139833797018,
        'V4_c2': 0.417847069896951,
        'V5_c1': 0.330986412193825,
        'V5_c2': 0.85611309282681,
    },
    'loglike_own_gh201': -7422.781690736504,
    'linear_predictor': {
        'V1_c1': -2.53233049814676,
        'V1_c2': -0.304671376991102,
        'V2_c1': -1.38143887016651,
        'V2_c2': 0.459266445329531,
        'V3_c1': -2.51626370645464,
        'V3_c2': 0.387454531796227,
        'V4_c1': -1.94603911034123,
        'V4_c2': -0.253700548569469,
        'V5_c1': -0.534779708026949,
        'V5_c2': 1.30030216557198,
    },
    'bse': {
        'lin_V1_c1': 0.118515793581865,
        'lin_V1_c2': 0.120510719037334,
        'lin_V2_c1': 0.0526547791819608,
        'lin_V2_c2': 0.129955699935804,
        'lin_V3_c1': 0.221925457357625,
        'lin_V3_c2': 0.178003124194661,
        'lin_V4_c1': 0.0725521475433275,
        'lin_V4_c2': 0.115443174383727,
        'lin_V5_c1': 0.040684579884553,
        'lin_V5_c2': 0.169429300626211,
        'class_logit': 0.154819685383807,
        'loading': 0.0823748467386433,
    },
    'seconds': {
        'wall_median': 14.965,
        'wall': [14.965, 14.914, 15.946],
        'cpu_median': 1.238,
    },
    'call': 'd <- read.csv("tests/data/dentistry.csv"); randomLCA(d[, paste0(\'V\', 1:5)], freq = d$freq, nclass = 2, random = TRUE, constload = TRUE, probit = TRUE, penalty = 0.0, quadpoints = 21, seed = 20261203, cores = 1)',
}

lcr2_probit_itemload = {
    'software': 'R randomLCA 1.1.4 (built from the CRAN GitHub mirror cran/randomLCA; R version 4.2.2 Patched (2022-11-10 r83330))',
    'loglike': -7408.59621203095,
    'penalized_loglike': -7408.59621203095,
    'params': {
        'prop_c1': 0.906945108007145,
        'prop_c2': 0.0930548919928554,
        'V1_c1': 0.00752697214883369,
        'V1_c2': 0.49278086659872,
        'V2_c1': 0.108023909752266,
        'V2_c2': 0.793601284353791,
        'V3_c1': 0.00670554494837869,
        'V3_c2': 0.92216389599833,
        'V4_c1': 0.00269371952582263,
        'V4_c2': 0.102398726117858,
        'V5_c1': 0.340969314917247,
        'V5_c2': 0.975946341215267,
        'loading_V1': 1.03469464735991,
        'loading_V2': 0.81538503949227,
        'loading_V3': 1.20538409351133,
        'loading_V4': 1.97727039651366,
        'loading_V5': 0.758203177819886,
    },
    'nobs': 3869,
    'n_clusters': None,
    'n_params': 16,
    'bic': 14949.3644457371,
    'marginal_p': {
        'V1_c1': 0.0455642654717865,
        'V1_c2': 0.494982932420869,
        'V2_c1': 0.168834821526815,
        'V2_c2': 0.737196174735909,
        'V3_c1': 0.0571937949851622,
        'V3_c2': 0.817668968866574,
        'V4_c1': 0.104565355413411,
        'V4_c2': 0.283571420642716,
        'V5_c1': 0.371998472591735,
        'V5_c2': 0.942361677506619,
    },
    'loglike_own_gh201': -7408.597627577561,
    'linear_predictor': {
        'V1_c1': -2.43107869957473,
        'V1_c2': -0.0180966715985189,
        'V2_c1': -1.23710576577745,
        'V2_c2': 0.818980689142842,
        'V3_c1': -2.47266204366197,
        'V3_c2': 1.41977839046459,
        'V4_c1': -2.78290613204703,
        'V4_c2': -1.26800139543785,
        'V5_c1': -0.40981913303654,
        'V5_c2': 1.97641921044779,
    },
    'bse': {
        'lin_V1_c1': 0.125228271329842,
        'lin_V1_c2': 0.269508605756551,
        'lin_V2_c1': 0.0539207129567487,
        'lin_V2_c2': 0.249704408843293,
        'lin_V3_c1': 0.194229203623625,
        'lin_V3_c2': 0.844797411468639,
        'lin_V4_c1': 0.603022167899799,
        'lin_V4_c2': 0.52676364381977,
        'lin_V5_c1': 0.0491384951237636,
        'lin_V5_c2': 0.432241005436143,
        'class_logit': 0.333545949968524,
        'loading_V1': 0.140494956522079,
        'loading_V2': 0.0953039864575135,
        'loading_V3': 0.208372878870314,
        'loading_V4': 0.517141463257781,
        'loading_V5': 0.0873420422605648,
    },
    'seconds': {
        'wall_median': 63.352,
        'wall': [63.352],
        'cpu_median': 5.135,
    },
    'call': 'd <- read.csv("tests/data/dentistry.csv"); randomLCA(d[, paste0(\'V\', 1:5)], freq = d$freq, nclass = 2, random = TRUE, constload = FALSE, probit = TRUE, penalty = 0.0, quadpoints = 21, seed = 20261203, cores = 1)',
}
