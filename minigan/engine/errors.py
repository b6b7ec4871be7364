"""minigan's own exceptions. Each subclasses the built-in a user would expect to catch: Python's, and the one
PyTorch raises in the same place, so an ``except`` written for either catches it here too."""


class MiniganError(Exception):
    """Base of minigan's own errors (each also subclasses the built-in a user would catch)."""


class ShapeError(MiniganError, ValueError, RuntimeError):
    """Operands whose shapes do not fit the operation (the message names both shapes).  Also a RuntimeError,
    so ``except RuntimeError`` catches a shape mismatch."""


class DimensionError(ShapeError, IndexError):
    """A dimension (axis) outside a tensor's range.  Also an IndexError."""


class DtypeError(MiniganError, TypeError, NotImplementedError):
    """Operands whose dtypes do not fit the operation (a float64 input to float32 weights, a gradient asked of
    integers).  Also a NotImplementedError (so a RuntimeError), PyTorch's class for a
    kernel that does not take the dtype ("not implemented for 'Long'")."""


class DivisionByZero(MiniganError, ZeroDivisionError, RuntimeError):
    """An integer divided by zero (``//``, ``%``): no integer result exists.  A RuntimeError, and
    Python's ZeroDivisionError.  (Floating-point division by zero gives inf or NaN, as IEEE 754 defines it.)"""


class DomainError(MiniganError, ValueError, RuntimeError):
    """A value outside what the function accepts: a label out of range, a probability outside
    [0, 1], an unknown option. Raised as is, never rewritten as a shape problem.  Also a RuntimeError
    (see the module docstring)."""


class GraphError(MiniganError, RuntimeError):
    """Misuse of the autodiff graph: a second backward through a freed graph, backward without grad."""


class StateDictError(MiniganError, ValueError, RuntimeError):
    """A state dict whose keys do not match the module's (``load_state_dict(strict=True)``).  Also a
    RuntimeError."""


class AnomalyError(MiniganError, RuntimeError):
    """Raised inside ``minigan.detect_anomaly()`` by the first op that produces NaN or inf."""


class GradcheckError(MiniganError, RuntimeError):
    """An analytic gradient disagrees with central finite differences (see ``minigan.gradcheck``)."""


class IndexOutOfRange(DomainError, IndexError, RuntimeError):
    """An index (or a class label) outside its range: a DomainError (so a ValueError) for minigan, and an
    IndexError, as Python's own indexing raises (and a RuntimeError, which gather and scatter raise)."""


class DatasetError(MiniganError, ValueError, AssertionError):
    """Datasets that cannot be put together: a TensorDataset of tensors with different first sizes, a ConcatDataset
    of no datasets.  Also an AssertionError."""
