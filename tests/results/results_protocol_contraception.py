"""Reference results: lme4 profile-likelihood intervals of the contraception random-intercept GLMM.

Generated 2026-12-03 by tests/results/scripts/glmm_contraception_profile.R (R version 4.2.2 Patched (2022-11-10 r83330), lme4 1.1.31).
Call: glmer(use ~ urban + age + livch + (1 | district), family = binomial, nAGQ = 25, control = glmerControl(optimizer = 'bobyqa', optCtrl = list(rhoend = 1e-12, maxfun = 1e5))); confint(f, method = 'profile')
Data: tests/data/contraception.csv (mlmRev `Contraception`, livch levels 0, 1, 2, 3+).
`confint_profile`: name -> (lower, upper), 95%; ".sig01" is the district SD (lme4 profiles SDs).
`loglike`: the fit's log-likelihood.  lme4 took 1241 s wall for the profile on a shared machine.
"""

# ruff: noqa: E501

agq25_profile = {
    'software': 'R lme4 1.1.31 (R version 4.2.2 Patched (2022-11-10 r83330))',
    'call': "glmer(use ~ urban + age + livch + (1 | district), family = binomial, nAGQ = 25, control = glmerControl(optimizer = 'bobyqa', optCtrl = list(rhoend = 1e-12, maxfun = 1e5))); confint(f, method = 'profile')",
    'loglike': -1206.67423371393,
    'confint_profile': {
        '.sig01': (0.325526234481781, 0.641069621717039),
        '(Intercept)': (-1.98637730243984, -1.40575954371859),
        'urban': (0.498285252232334, 0.966989080778786),
        'age': (-0.0421863804320374, -0.0112520621445212),
        'livch1': (0.801206243632202, 1.42094860407521),
        'livch2': (1.03598319890351, 1.72156883935805),
        'livch3+': (0.996734056055959, 1.70111881867214),
    },
}
