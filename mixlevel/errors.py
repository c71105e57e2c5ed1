"""mixlevel's own exception and warning types."""


class MixlevelError(Exception):
    """Base class of mixlevel's errors: the message says what is wrong and how to fix it."""


class SpecificationError(MixlevelError, ValueError):
    """The model, its formula or its data do not fit together."""


class EstimationWarning(UserWarning):
    """Estimation problem: no convergence, boundary estimate, singular information."""


class ConvergenceWarning(EstimationWarning):
    """The optimiser stopped before its convergence criteria were met."""
