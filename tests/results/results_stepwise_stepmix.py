"""Reference results: StepMix 3-step ML and BCH (modal assignment), GSS 2008 abortion items.

Generated 2026-12-03 by tests/results/scripts/stepwise_gss08_stepmix.py (StepMix 3.0.0,
Python 3.11.7, numpy 2.4.6, scikit-learn 1.9.1).

Data: tests/data/gss08.csv (glca `gss08`), the 299 rows observed on all six items DEFECT, HLTH,
RAPE, POOR, SINGLE, NOMORE, recoded yes = 1, no = 0; FEMALE = 1 for SEX == "FEMALE"; AGE in years.
Step 1: 3-class binary LCA (300 random starts); classes in canonical order (decreasing step-1
proportion). measurement_loglike: StepMix's step-1 log-likelihood (score() x n).
Step 3 (modal assignment, D[k, s] = P(modal = s | class = k) from the posteriors):
  covariate_ML / covariate_BCH: multinomial logit of the class on 1, AGE, FEMALE; params are the
    contrasts with the last class ("c#j~x" = beta_j,x - beta_3,x), as mixlevel names them.
  distal_AGE_*: class-specific mean and (ML, divide-by-n) variance of AGE ("continuous"); StepMix adds
    reg_covar = 1e-6 to every variance.
  distal_FEMALE_*: class-specific P(FEMALE = 1) ("binary").
StepMix's ML distal model keeps the class proportions at their step-1 values (its EM freezes the
measurement model including the class weights): compare with mixlevel's proportions="fixed".
bse: None (StepMix gives bootstrap standard errors only).
"""

# ruff: noqa: E501

covariate_ML = {'params': {'c#1~1': 1.4929834486186229,
            'c#1~AGE': 0.006643281558488716,
            'c#1~FEMALE': -1.09095452903071,
            'c#2~1': 0.9313538242305396,
            'c#2~AGE': 0.0061161069523028595,
            'c#2~FEMALE': -0.9304556464672112},
 'measurement_loglike': -591.1230584006623,
 'class_proportions': [0.5196205682555033, 0.31350687691297185, 0.16687255483152486],
 'software': 'StepMix 3.0.0',
 'call': "StepMix(structural='covariate', correction='ML', structural_params={'method': "
         "'newton-raphson', 'max_iter': 1}, **{'n_components': 3, 'n_steps': 3, 'measurement': "
         "'binary', 'assignment': 'modal', 'n_init': 300, 'abs_tol': 1e-14, 'rel_tol': 0.0, "
         "'max_iter': 100000, 'random_state': 2008, 'verbose': 0, 'progress_bar': 0}).fit(X, "
         "df[['AGE', 'FEMALE']])",
 'bse': None,
 'nobs': 299,
 'n_clusters': None}

distal_AGE_ML = {'params': {'mean(AGE)[c=1]': 47.29648354037413,
            'Var(AGE)[c=1]': 290.1031529889043,
            'mean(AGE)[c=2]': 47.29988474462035,
            'Var(AGE)[c=2]': 327.7181266202771,
            'mean(AGE)[c=3]': 45.272777686672,
            'Var(AGE)[c=3]': 299.16602567363554},
 'measurement_loglike': -591.1230584006623,
 'class_proportions': [0.5196205682555033, 0.31350687691297185, 0.16687255483152486],
 'software': 'StepMix 3.0.0',
 'call': "StepMix(structural='continuous', correction='ML', **{'n_components': 3, 'n_steps': 3, "
         "'measurement': 'binary', 'assignment': 'modal', 'n_init': 300, 'abs_tol': 1e-14, "
         "'rel_tol': 0.0, 'max_iter': 100000, 'random_state': 2008, 'verbose': 0, 'progress_bar': "
         "0}).fit(X, df[['AGE']])",
 'bse': None,
 'nobs': 299,
 'n_clusters': None}

distal_FEMALE_ML = {'params': {'mean(FEMALE)[c=1]': 0.48046622482661805,
            'mean(FEMALE)[c=2]': 0.5198486812943448,
            'mean(FEMALE)[c=3]': 0.7339780283047066},
 'measurement_loglike': -591.1230584006623,
 'class_proportions': [0.5196205682555033, 0.31350687691297185, 0.16687255483152486],
 'software': 'StepMix 3.0.0',
 'call': "StepMix(structural='binary', correction='ML', **{'n_components': 3, 'n_steps': 3, "
         "'measurement': 'binary', 'assignment': 'modal', 'n_init': 300, 'abs_tol': 1e-14, "
         "'rel_tol': 0.0, 'max_iter': 100000, 'random_state': 2008, 'verbose': 0, 'progress_bar': "
         "0}).fit(X, df[['FEMALE']])",
 'bse': None,
 'nobs': 299,
 'n_clusters': None}

covariate_BCH = {'params': {'c#1~1': 1.4793861284063028,
            'c#1~AGE': 0.007101728834644527,
            'c#1~FEMALE': -1.0984986330226527,
            'c#2~1': 0.9082616480506115,
            'c#2~AGE': 0.006824048311779962,
            'c#2~FEMALE': -0.940596889881701},
 'measurement_loglike': -591.1230584006623,
 'class_proportions': [0.5196205682555033, 0.31350687691297185, 0.16687255483152486],
 'software': 'StepMix 3.0.0',
 'call': "StepMix(structural='covariate', correction='BCH', structural_params={'method': "
         "'newton-raphson', 'max_iter': 500, 'tol': 1e-12}, **{'n_components': 3, 'n_steps': 3, "
         "'measurement': 'binary', 'assignment': 'modal', 'n_init': 300, 'abs_tol': 1e-14, "
         "'rel_tol': 0.0, 'max_iter': 100000, 'random_state': 2008, 'verbose': 0, 'progress_bar': "
         "0}).fit(X, df[['AGE', 'FEMALE']])",
 'bse': None,
 'nobs': 299,
 'n_clusters': None}

distal_AGE_BCH = {'params': {'mean(AGE)[c=1]': 47.30161263836807,
            'Var(AGE)[c=1]': 289.98734047873234,
            'mean(AGE)[c=2]': 47.25864537599301,
            'Var(AGE)[c=2]': 327.32329064277576,
            'mean(AGE)[c=3]': 45.33438741524338,
            'Var(AGE)[c=3]': 300.5122876820466},
 'measurement_loglike': -591.1230584006623,
 'class_proportions': [0.5196205682555033, 0.31350687691297185, 0.16687255483152486],
 'software': 'StepMix 3.0.0',
 'call': "StepMix(structural='continuous', correction='BCH', **{'n_components': 3, 'n_steps': 3, "
         "'measurement': 'binary', 'assignment': 'modal', 'n_init': 300, 'abs_tol': 1e-14, "
         "'rel_tol': 0.0, 'max_iter': 100000, 'random_state': 2008, 'verbose': 0, 'progress_bar': "
         "0}).fit(X, df[['AGE']])",
 'bse': None,
 'nobs': 299,
 'n_clusters': None}

distal_FEMALE_BCH = {'params': {'mean(FEMALE)[c=1]': 0.48046622494209623,
            'mean(FEMALE)[c=2]': 0.5198486794454409,
            'mean(FEMALE)[c=3]': 0.7339780331647867},
 'measurement_loglike': -591.1230584006623,
 'class_proportions': [0.5196205682555033, 0.31350687691297185, 0.16687255483152486],
 'software': 'StepMix 3.0.0',
 'call': "StepMix(structural='binary', correction='BCH', **{'n_components': 3, 'n_steps': 3, "
         "'measurement': 'binary', 'assignment': 'modal', 'n_init': 300, 'abs_tol': 1e-14, "
         "'rel_tol': 0.0, 'max_iter': 100000, 'random_state': 2008, 'verbose': 0, 'progress_bar': "
         "0}).fit(X, df[['FEMALE']])",
 'bse': None,
 'nobs': 299,
 'n_clusters': None}

