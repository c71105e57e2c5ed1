"""Reference results: 2PL IRT model for LSAT section 7 (lsat7).

Generated 2026-11-25. Generator scripts: tests/results/scripts/irt_lsat7_own.py (own fit) and
tests/results/scripts/irt_lsat7_girth.py (girth).

Data: tests/data/lsat7.csv (mirt `LSAT7`, expanded to 1000 rows), items item1..item5 (0/1).
Model: logit P(item_j = 1 | theta) = a_j * theta + d_j, with theta ~ N(0, 1). This is one factor,
with free slopes and intercepts (mirt's slope-intercept parametrisation). The IRT difficulty is
b_j = -d_j / a_j (`difficulty_b`).

Keys of each model dict: loglike (marginal); params, a dict with "a1".."a5" (slopes) and "d1".."d5"
(intercepts); bse (SEs from the observed information, own fit only); n_params = 10; nobs = 1000;
n_clusters = None; software; call.

Neither R mirt nor R ltm is available here (no Debian package). So the primary reference `twopl` is
OUR OWN INDEPENDENT FIT, not peer software: marginal ML with 61-point Gauss-Hermite quadrature
(mirt's default for one factor), minimised with scipy BFGS to gradient norm < 1e-8 and polished by
Newton steps. LL = -2658.8051135525166. The target -2658.805 (mirt) is reproduced to 1e-3, and
in fact to 2e-4. With 101 or more GH points the LL at these estimates is
-2658.805113552018, so 61 points is exact to 1e-9.
mirt's documented example output (`mirt(expand.table(LSAT7), 1)`, mirt 1.45.x) prints
LL -2658.805, AIC 5337.61, BIC 5386.688, a = 0.988, 1.081, 1.706, 0.765, 0.736 and
d = 1.856, 0.808, 1.804, 0.486, 1.855. Ours agree to within 1.5e-3. The last-digit differences
(a3 1.7075 vs 1.706, d3 1.8052 vs 1.804, d5 1.8545 vs 1.855) come from mirt's EM stopping rule
(TOL 1e-4). So compare slopes/intercepts with mirt at atol 2e-3, and with this fit much tighter.

Cross-check `twopl_girth`: girth 0.8.0 (PyPI) twopl_mml, a peer Python package (EM marginal ML on a
fixed quadrature grid). Its estimates are within 2e-04 of ours. Our LL at girth's estimates is
-2658.8051167047906, which is 3.2e-06 below the maximum (girth stops early).

--- Added 2026-12-03 (generator: tests/results/scripts/write_irt_peers.py) ---
mirt and girth, 2026-12-03 (generators tests/results/scripts/irt_mirt.R lsat7 and irt_girth.py).
R mirt 1.45.1 was built from source. Every mirt model uses 61 quadrature points (mirt's default for one
factor). Dicts named "<model>_mirt" use EM tightened to TOL = 1e-9; "<model>_mirt_default" use mirt's
defaults (TOL 1e-4). If only the _default dict of a model is here, the tight fit did not finish on the
shared machine (see the lines below).
SEs: SE.type = "Oakes" (mirt's default: Oakes' identity, observed information by central differences of
the EM score); for the tight 2PL and 3PL also `bse_richardson` (numerical Richardson Hessian) when present.
The keys "a<j>", "d<j>" are slope and intercept, logit P = a_j theta + d_j; "irt" holds mirt's IRTpars = TRUE
form (a, b = -d / a, and g for the 3PL) with delta-method SEs in "irt_se".
  rasch_var_mirt*    itemtype = "Rasch": all slopes fixed at 1, theta ~ N(0, theta_var), theta_var free;
                     params d1..d5, theta_var.
  onepl_mirt*        one common slope (CONSTRAIN = (1-5, a1)), theta ~ N(0, 1); params a (common), d1..d5.
                     The same model as rasch_var in another parametrisation (a^2 = theta_var).
  twopl_mirt*        2PL; params a1..a5, d1..d5.
  threepl_mirt*      3PL (itemtype = "3PL", no prior on g); params a1..a5, d1..d5, g1..g5 (g as a probability,
                     its SE by the delta method from mirt's IRTpars); logit_g holds mirt's logit-scale g. The
                     guessing parameters are weakly identified (several g near 0, logit(g) SEs in the
                     hundreds): compare LL and a/d tightly, g only loosely.
  onepl_girth, rasch_fixed_var_girth   girth 0.8.0: onepl_mml (common slope, N(0, 1)) and rasch_mml (a = 1
                     AND theta ~ N(0, 1): a more restricted model, no mirt match). girth's threepl_mml fails under
                     scipy 1.17 ("ValueError: setting an array element with a sequence."): no girth 3PL.
Agreement:
  rasch_var_mirt   LL -2664.9008909547 (TOL 1e-9); own GH(201) LL at the estimates minus mirt's +9.4e-08; default TOL: LL -1.5e-05.
  onepl_mirt       LL -2664.9008909159 (TOL 1e-9); own GH(201) LL at the estimates minus mirt's +6.2e-08; default TOL: LL -2.7e-06.
  twopl_mirt       LL -2658.8051136323 (TOL 1e-9); own GH(201) LL at the estimates minus mirt's +8.0e-08; default TOL: LL -1.4e-05.
  threepl_mirt     LL -2658.0549133380 (mirt defaults only: the tight fit did not finish); own GH(201) LL at the estimates minus mirt's +2.2e-07.
  2PL versus our own fit `twopl` above: LL -8.0e-08, parameters within 9.68e-09, SEs (Oakes vs own observed information) within 5.49e-10.
  1PL parametrisations: common slope a^2 = 1.02266202 vs theta_var 1.02264709; LLs differ by +3.9e-08.
  girth onepl_mml: own LL at its estimates minus mirt's onepl LL -9.7e-06.
"""

# ruff: noqa: E501

# primary reference: own independent marginal-ML fit (61-point GH)
twopl = {
    'software': 'own independent check (Python 3.11.7, numpy 2.4.6, scipy 1.17.1), not peer software',
    'call': 'python tests/results/scripts/irt_lsat7_own.py (marginal ML, 61-point Gauss-Hermite for theta ~ N(0, 1), scipy BFGS with analytic gradient, gtol 1e-8, then Newton polish; final gradient norm 1.5e-13)',
    'loglike': -2658.8051135525166,
    'params': {
        'a1': 0.9875458892021186,
        'a2': 1.0808371384779494,
        'a3': 1.7074776573313364,
        'a4': 0.7649898728295208,
        'a5': 0.7356727116774896,
        'd1': 1.8558556418360626,
        'd2': 0.8079695918753264,
        'd3': 1.8052062036571088,
        'd4': 0.48599980233981127,
        'd5': 1.8544575894922775,
    },
    'bse': {
        'a1': 0.1771948291325346,
        'a2': 0.16876390019539628,
        'a3': 0.32107697474010655,
        'a4': 0.13412029672263054,
        'a5': 0.15113394925320833,
        'd1': 0.131450127353047,
        'd2': 0.09124698949328472,
        'd3': 0.20482512445050685,
        'd4': 0.07491343643543555,
        'd5': 0.11440871729286974,
    },
    'difficulty_b': [
        -1.879260156037396,
        -0.7475405526989208,
        -1.0572356223263941,
        -0.6353022694826146,
        -2.5207644106626184,
    ],
    'n_params': 10,
    'aic': 5337.610227105033,
    'bic': 5386.687779894854,
    'nobs': 1000,
    'n_clusters': None,
    'n_quad': 61,
    'loglike_other_quad': {
        21: -2658.8051712301176,
        41: -2658.8051134661273,
        101: -2658.805113552018,
        201: -2658.805113552018,
    },
    'target_loglike': -2658.805,
    'target_source': 'mirt (given in the task brief)',
}

# cross-check: girth twopl_mml
twopl_girth = {
    'software': 'girth 0.8.0 (PyPI), twopl_mml',
    'call': 'Y = pd.read_csv("tests/data/lsat7.csv")[[f"item{j}" for j in range(1, 6)]].to_numpy(int); res = girth.twopl_mml(Y.T, options={"max_iteration": 5000, "quadrature_n": 121, "quadrature_bounds": (-8, 8), "use_LUT": False}); a = res["Discrimination"]; d = -a * res["Difficulty"]',
    'loglike': -2658.8051167047906,
    'loglike_note': "girth reports no log-likelihood; this is our own 201-point GH LL at girth's estimates",
    'params': {
        'a1': 0.9875647376793923,
        'a2': 1.0808354969318585,
        'a3': 1.7074214461010433,
        'a4': 0.7649874197240362,
        'a5': 0.7356651204265335,
        'd1': 1.8559436006611882,
        'd2': 0.8080298654878095,
        'd3': 1.8054408417524632,
        'd4': 0.4860373277577652,
        'd5': 1.854480880711048,
    },
    'bse': None,
    'difficulty_b': [
        -1.8793133552159196,
        -0.7475974538045284,
        -1.0574078508122589,
        -0.6353533603638865,
        -2.5208220822482827,
    ],
    'n_params': 10,
    'nobs': 1000,
    'n_clusters': None,
}

# --- Added 2026-12-03 ---

rasch_var_mirt = {
    'software': 'R mirt 1.45.1 (built from the CRAN GitHub mirror cran/mirt; R version 4.2.2 Patched (2022-11-10 r83330))',
    'call': 'd <- read.csv("tests/data/lsat7.csv"); mirt(d, 1, itemtype = "Rasch", SE = TRUE, SE.type = "Oakes", TOL = 1e-9, technical = list(NCYCLES = 100000)); coef(fit, printSE = TRUE) and coef(fit, printSE = TRUE, IRTpars = TRUE); extract.mirt(fit, "logLik")',
    'loglike': -2664.90089095471,
    'params': {
        'd1': 1.86826049791608,
        'd2': 0.791004321800645,
        'd3': 1.46097621428879,
        'd4': 0.521504677004222,
        'd5': 1.99297041474678,
        'theta_var': 1.02264708530869,
    },
    'bse': {
        'd1': 0.100429064477381,
        'd2': 0.081156419845332,
        'd3': 0.0913102098720179,
        'd4': 0.0787249817010906,
        'd5': 0.103704583340319,
        'theta_var': 0.13134761865939,
    },
    'se_type': 'Oakes',
    'irt': {
        'a': [1.0, 1.0, 1.0, 1.0, 1.0],
        'b': [-1.86826049791608, -0.791004321800645, -1.46097621428879, -0.521504677004222, -1.99297041474678],
    },
    'irt_se': {
        'a': [
            None,
            None,
            None,
            None,
            None,
        ],
        'b': [0.10042906447716, 0.0811564198449773, 0.091310209871817, 0.0787249817007465, 0.103704583340091],
    },
    'n_params': 6,
    'aic': 5341.80178190943,
    'bic': 5371.24831358332,
    'nobs': 1000,
    'n_clusters': None,
    'n_quad': 61,
    'converged': True,
    'em_iterations': 59,
    'seconds': {
        'wall_median': 35.554,
        'wall': [35.554],
        'cpu_median': 1.723,
    },
}

rasch_var_mirt_default = {
    'software': 'R mirt 1.45.1 (built from the CRAN GitHub mirror cran/mirt; R version 4.2.2 Patched (2022-11-10 r83330))',
    'call': 'd <- read.csv("tests/data/lsat7.csv"); mirt(d, 1, itemtype = "Rasch", SE = TRUE, SE.type = "Oakes"); coef(fit, printSE = TRUE) and coef(fit, printSE = TRUE, IRTpars = TRUE); extract.mirt(fit, "logLik")',
    'loglike': -2664.90090602264,
    'params': {
        'd1': 1.86807183858757,
        'd2': 0.790913444074602,
        'd3': 1.46082334126285,
        'd4': 0.521439937514076,
        'd5': 1.99277100527809,
        'theta_var': 1.02194373501744,
    },
    'bse': {
        'd1': 0.100417899662637,
        'd2': 0.0811471001594813,
        'd3': 0.0912996885919446,
        'd4': 0.0787161132598091,
        'd5': 0.103693242455192,
        'theta_var': 0.13125720118676,
    },
    'se_type': 'Oakes',
    'irt': {
        'a': [1.0, 1.0, 1.0, 1.0, 1.0],
        'b': [-1.86807183858757, -0.790913444074602, -1.46082334126285, -0.521439937514076, -1.99277100527809],
    },
    'irt_se': {
        'a': [
            None,
            None,
            None,
            None,
            None,
        ],
        'b': [0.100417899662416, 0.0811471001591266, 0.0912996885917438, 0.078716113259465, 0.103693242454964],
    },
    'n_params': 6,
    'aic': 5341.80181204527,
    'bic': 5371.24834371916,
    'nobs': 1000,
    'n_clusters': None,
    'n_quad': 61,
    'converged': True,
    'em_iterations': 27,
    'seconds': {
        'wall_median': 11.014,
        'wall': [11.766, 9.192, 11.014],
        'cpu_median': 0.6,
    },
}

onepl_mirt = {
    'software': 'R mirt 1.45.1 (built from the CRAN GitHub mirror cran/mirt; R version 4.2.2 Patched (2022-11-10 r83330))',
    'call': 'd <- read.csv("tests/data/lsat7.csv"); mirt(d, mirt.model("F = 1-5\\nCONSTRAIN = (1-5, a1)"), itemtype = "2PL", SE = TRUE, SE.type = "Oakes", TOL = 1e-9, technical = list(NCYCLES = 100000)); coef(fit, printSE = TRUE) and coef(fit, printSE = TRUE, IRTpars = TRUE); extract.mirt(fit, "logLik")',
    'loglike': -2664.90089091593,
    'params': {
        'a': 1.01126753075242,
        'd1': 1.86826476149063,
        'd2': 0.791006236816273,
        'd3': 1.46097958743778,
        'd4': 0.521506046358973,
        'd5': 1.99297493948818,
    },
    'bse': {
        'a': 0.064943010953783,
        'd1': 0.100429310093817,
        'd2': 0.0811566077081891,
        'd3': 0.0913104318123319,
        'd4': 0.0787251588371009,
        'd5': 0.103704836319324,
    },
    'se_type': 'Oakes',
    'irt': {
        'a': [1.01126753075242, 1.01126753075242, 1.01126753075242, 1.01126753075242, 1.01126753075242],
        'b': [-1.84744857782646, -0.782192854770821, -1.44470137031964, -0.51569543221758, -1.97076923650988],
    },
    'irt_se': {
        'a': [0.064943010953783, 0.064943010953783, 0.064943010953783, 0.064943010953783, 0.064943010953783],
        'b': [0.130134626141609, 0.087053579261532, 0.110973323741512, 0.0808281293131526, 0.136602728518375],
    },
    'n_params': 6,
    'aic': 5341.80178183186,
    'bic': 5371.24831350576,
    'nobs': 1000,
    'n_clusters': None,
    'n_quad': 61,
    'converged': True,
    'em_iterations': 212,
    'seconds': {
        'wall_median': 32.711,
        'wall': [32.711],
        'cpu_median': 1.564,
    },
}

onepl_mirt_default = {
    'software': 'R mirt 1.45.1 (built from the CRAN GitHub mirror cran/mirt; R version 4.2.2 Patched (2022-11-10 r83330))',
    'call': 'd <- read.csv("tests/data/lsat7.csv"); mirt(d, mirt.model("F = 1-5\\nCONSTRAIN = (1-5, a1)"), itemtype = "2PL", SE = TRUE, SE.type = "Oakes"); coef(fit, printSE = TRUE) and coef(fit, printSE = TRUE, IRTpars = TRUE); extract.mirt(fit, "logLik")',
    'loglike': -2664.90089357805,
    'params': {
        'a': 1.01114033334704,
        'd1': 1.86813047881828,
        'd2': 0.790939198299838,
        'd3': 1.46087809506458,
        'd4': 0.521469538952279,
        'd5': 1.99282665538307,
    },
    'bse': {
        'a': 0.0649373189524414,
        'd1': 0.100423786077373,
        'd2': 0.081153038371973,
        'd3': 0.0913058998869897,
        'd4': 0.0787220394178984,
        'd5': 0.10369884740139,
    },
    'se_type': 'Oakes',
    'irt': {
        'a': [1.01114033334704, 1.01114033334704, 1.01114033334704, 1.01114033334704, 1.01114033334704],
        'b': [-1.84754817626002, -0.782224951586786, -1.44478273379604, -0.51572419945521, -1.97087050101788],
    },
    'irt_se': {
        'a': [0.0649373189524414, 0.0649373189524414, 0.0649373189524414, 0.0649373189524414, 0.0649373189524414],
        'b': [0.130149121590652, 0.0870626335164354, 0.110985945993457, 0.0808363986343707, 0.136617579655621],
    },
    'n_params': 6,
    'aic': 5341.8017871561,
    'bic': 5371.24831883,
    'nobs': 1000,
    'n_clusters': None,
    'n_quad': 61,
    'converged': True,
    'em_iterations': 12,
    'seconds': {
        'wall_median': 2.146,
        'wall': [2.618, 2.146, 1.936],
        'cpu_median': 0.116,
    },
}

twopl_mirt = {
    'software': 'R mirt 1.45.1 (built from the CRAN GitHub mirror cran/mirt; R version 4.2.2 Patched (2022-11-10 r83330))',
    'call': 'd <- read.csv("tests/data/lsat7.csv"); mirt(d, 1, itemtype = "2PL", SE = TRUE, SE.type = "Oakes", TOL = 1e-9, technical = list(NCYCLES = 100000)); coef(fit, printSE = TRUE) and coef(fit, printSE = TRUE, IRTpars = TRUE); extract.mirt(fit, "logLik")',
    'loglike': -2658.80511363233,
    'params': {
        'a1': 0.987545898883712,
        'a2': 1.08083714186593,
        'a3': 1.70747766065995,
        'a4': 0.764989878019266,
        'a5': 0.735672721319496,
        'd1': 1.85585564409438,
        'd2': 0.807969592818523,
        'd3': 1.80520620311606,
        'd4': 0.485999798597669,
        'd5': 1.854457590896,
    },
    'bse': {
        'a1': 0.17719482928598,
        'a2': 0.168763899780266,
        'a3': 0.321076974325239,
        'a4': 0.13412029670209,
        'a5': 0.151133949634376,
        'd1': 0.131450127902111,
        'd2': 0.0912469894978208,
        'd3': 0.204825124369392,
        'd4': 0.0749134363727509,
        'd5': 0.114408717732269,
    },
    'se_type': 'Oakes',
    'irt': {
        'a': [0.987545898883712, 1.08083714186593, 1.70747766065995, 0.764989878019266, 0.735672721319496],
        'b': [-1.87926013990051, -0.747540551228341, -1.05723561994851, -0.635302260280925, -2.5207643795326],
    },
    'irt_se': {
        'a': [0.17719482928598, 0.168763899780266, 0.321076974325239, 0.13412029670209, 0.151133949634376],
        'b': [0.2639673840551, 0.109250576865112, 0.115358799621236, 0.13011980187039, 0.446253834631496],
    },
    'n_params': 10,
    'aic': 5337.61022726466,
    'bic': 5386.68778005448,
    'nobs': 1000,
    'n_clusters': None,
    'n_quad': 61,
    'converged': True,
    'em_iterations': 578,
    'seconds': {
        'wall_median': 74.832,
        'wall': [74.832],
        'cpu_median': 3.505,
    },
}

twopl_mirt_default = {
    'software': 'R mirt 1.45.1 (built from the CRAN GitHub mirror cran/mirt; R version 4.2.2 Patched (2022-11-10 r83330))',
    'call': 'd <- read.csv("tests/data/lsat7.csv"); mirt(d, 1, itemtype = "2PL", SE = TRUE, SE.type = "Oakes"); coef(fit, printSE = TRUE) and coef(fit, printSE = TRUE, IRTpars = TRUE); extract.mirt(fit, "logLik")',
    'loglike': -2658.80512782027,
    'params': {
        'a1': 0.987925399745112,
        'a2': 1.08088470444055,
        'a3': 1.70580060870275,
        'a4': 0.765185299281648,
        'a5': 0.735797967264795,
        'd1': 1.85606045856675,
        'd2': 0.807978642147462,
        'd3': 1.80421874718711,
        'd4': 0.485996602637005,
        'd5': 1.8545127300244,
    },
    'bse': {
        'a1': 0.177244827688724,
        'a2': 0.168804808714884,
        'a3': 0.320403689819101,
        'a4': 0.134143905183954,
        'a5': 0.151155534850791,
        'd1': 0.131489905929454,
        'd2': 0.0912528330658192,
        'd3': 0.204416795506981,
        'd4': 0.0749179558046149,
        'd5': 0.114421063060169,
    },
    'se_type': 'Oakes',
    'irt': {
        'a': [0.987925399745112, 1.08088470444055, 1.70580060870275, 0.765185299281648, 0.735797967264795],
        'b': [-1.87874556018665, -0.747516029071445, -1.05769615626952, -0.635135833233148, -2.52041023831343],
    },
    'irt_se': {
        'a': [0.177244827688724, 0.168804808714884, 0.320403689819101, 0.134143905183954, 0.151155534850791],
        'b': [0.263826534914488, 0.109257391879918, 0.115397558445759, 0.130080281539001, 0.446156510456095],
    },
    'n_params': 10,
    'aic': 5337.61025564054,
    'bic': 5386.68780843037,
    'nobs': 1000,
    'n_clusters': None,
    'n_quad': 61,
    'converged': True,
    'em_iterations': 28,
    'seconds': {
        'wall_median': 5.171,
        'wall': [5.171, 5.862, 5.104],
        'cpu_median': 0.265,
    },
}

threepl_mirt_default = {
    'software': 'R mirt 1.45.1 (built from the CRAN GitHub mirror cran/mirt; R version 4.2.2 Patched (2022-11-10 r83330))',
    'call': 'd <- read.csv("tests/data/lsat7.csv"); mirt(d, 1, itemtype = "3PL", SE = TRUE, SE.type = "Oakes"); coef(fit, printSE = TRUE) and coef(fit, printSE = TRUE, IRTpars = TRUE); extract.mirt(fit, "logLik")',
    'loglike': -2658.05491333796,
    'params': {
        'a1': 1.00685492541779,
        'a2': 1.92824119429514,
        'a3': 1.66652692170707,
        'a4': 0.736130891705616,
        'a5': 0.767168795328562,
        'd1': 1.86562046904509,
        'd2': 0.0940411342862687,
        'd3': 1.78051763341315,
        'd4': 0.4818902083204,
        'd5': 1.86845282128246,
        'g1': 7.03415041003204e-05,
        'g2': 0.295054490427074,
        'g3': 0.000257720389786074,
        'g4': 5.06339412746846e-05,
        'g5': 0.000155219458764089,
    },
    'bse': {
        'a1': 0.181805373724962,
        'a2': 1.07723124624774,
        'a3': 0.316946612634128,
        'a4': 0.132424130890768,
        'a5': 0.154995852471124,
        'd1': 0.1345817604146,
        'd2': 0.598518228039421,
        'd3': 0.202155907119566,
        'd4': 0.0745967832454136,
        'd5': 0.119731394316381,
        'g1': 0.00930404914690945,
        'g2': 0.139856550881218,
        'g3': 0.027845079827378,
        'g4': 0.00434650524446637,
        'g5': 0.0208719668188466,
    },
    'se_type': 'Oakes',
    'irt': {
        'a': [1.00685492541779, 1.92824119429514, 1.66652692170707, 0.736130891705616, 0.767168795328562],
        'b': [-1.85291884853316, -0.0487704207152595, -1.06840016217039, -0.654625710930103, -2.4355172325306],
        'g': [7.03415041003204e-05, 0.295054490427074, 0.000257720389786074, 5.06339412746846e-05, 0.000155219458764089],
    },
    'irt_se': {
        'a': [0.181805373724962, 1.07723124624774, 0.316946612634128, 0.132424130890768, 0.154995852471124],
        'b': [0.260057283102288, 0.334270967660198, 0.126077654300836, 0.137336986193999, 0.421313089983982],
        'g': [0.00930404914690945, 0.139856550881218, 0.027845079827378, 0.00434650524446637, 0.0208719668188466],
    },
    'n_params': 15,
    'aic': 5346.10982667593,
    'bic': 5419.72615586066,
    'nobs': 1000,
    'n_clusters': None,
    'n_quad': 61,
    'converged': True,
    'em_iterations': 133,
    'seconds': {
        'wall_median': 14.064,
        'wall': [14.064, 10.708, 15.037],
        'cpu_median': 0.659,
    },
    'logit_g': [-9.56207820388312, -0.870960455844683, -8.26337756764944, -9.89083779513789, -8.77051534793325],
}

onepl_girth = {
    'software': 'girth 0.8.0 (PyPI), onepl_mml',
    'call': 'girth.onepl_mml(Y.T, options={"max_iteration": 5000, "quadrature_n": 121, "quadrature_bounds": (-8, 8), "use_LUT": False})',
    'loglike': -2664.9009006524066,
    'loglike_note': "girth reports no log-likelihood: own 201-point GH LL at girth's estimates",
    'params': {
        'a': 1.0112616135911787,
        'd1': 1.868330417545512,
        'd2': 0.791243738713677,
        'd3': 1.461158622213376,
        'd4': 0.5217747346949781,
        'd5': 1.993017547954986,
    },
    'bse': None,
    'difficulty_b': [-1.847524312636294, -0.7824322886179995, -1.4448868646605986, -0.5159641458574292, -1.9708229019762837],
    'nobs': 1000,
    'n_clusters': None,
    'seconds': {
        'wall_median': 0.145,
        'wall': [0.106, 0.148, 0.145],
        'cpu_median': None,
    },
}

rasch_fixed_var_girth = {
    'software': 'girth 0.8.0 (PyPI), rasch_mml (a = 1, theta ~ N(0, 1))',
    'call': 'girth.rasch_mml(Y.T, discrimination=1, options={...as above})',
    'loglike': -2664.9160604821345,
    'loglike_note': "girth reports no log-likelihood: own 201-point GH LL at girth's estimates",
    'params': {
        'd1': 1.8624225409818111,
        'd2': 0.7885893999109593,
        'd3': 1.4563887528846602,
        'd4': 0.5200102926262373,
        'd5': 1.9867780386002156,
    },
    'bse': None,
    'difficulty_b': [-1.8624225409818111, -0.7885893999109593, -1.4563887528846602, -0.5200102926262373, -1.9867780386002156],
    'nobs': 1000,
    'n_clusters': None,
    'seconds': {
        'wall_median': 0.033,
        'wall': [0.037, 0.033, 0.03],
        'cpu_median': None,
    },
}
