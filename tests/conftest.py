"""Fitted models shared by the tests, each fitted once per session.

Tests must not change a shared result: work on a copy
(``pickle.loads(pickle.dumps(res))``) before ``remove_data()`` or setting
attributes.  The builders are in :mod:`tests.models` and
:mod:`tests.peer_models`.
"""

import pytest

from tests import models


# specification API ---------------------------------------------------------------------
@pytest.fixture(scope="session")
def lca():
    """Single-level LCA, 4 binary items, 600 rows."""
    return models.make_lca()


@pytest.fixture(scope="session")
def bw():
    """Between class d, within class c on d, 3 binary items (30 schools of 6)."""
    return models.make_between_within()


@pytest.fixture(scope="session")
def twolevel():
    """Between and within classes, a random intercept and a covariate."""
    return models.make_twolevel()


@pytest.fixture(scope="session")
def ri():
    """(result, data): normal outcome with a cluster random intercept, no classes."""
    return models.make_random_intercept()


@pytest.fixture(scope="session")
def covlca():
    """(result, data): class logit on a covariate, two binary items."""
    return models.make_covariate_lca()


# formulas: models.Fitted(res, data, newdata) ----------------------------------------------
@pytest.fixture(scope="session")
def lca_formula():
    return models.formula_lca()


@pytest.fixture(scope="session")
def between_within_formula():
    return models.formula_between_within()


@pytest.fixture(scope="session")
def mixreg_formula():
    return models.formula_mixture_regression()


@pytest.fixture(scope="session")
def glmm_formula():
    return models.formula_glmm()


@pytest.fixture(scope="session")
def lmm_formula():
    return models.formula_lmm()
