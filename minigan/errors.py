"""minigan's own exceptions. Each subclasses the built-in a user would expect to catch."""


class ShapeError(ValueError):
    """Operands whose shapes do not fit the operation (the message names both shapes)."""


class GraphError(RuntimeError):
    """Misuse of the autodiff graph: a second backward through a freed graph, backward without grad."""


class AnomalyError(RuntimeError):
    """Raised inside ``minigan.detect_anomaly()`` by the first op that produces NaN or inf."""


class GradcheckError(RuntimeError):
    """An analytic gradient disagrees with central finite differences (see ``minigan.gradcheck``)."""


class IndexOutOfRange(ValueError, IndexError):
    """An index outside a tensor's bounds (a ValueError for minigan, an IndexError for Python)."""
