"""The dtype of a binary op's result (``result_type``): NumPy's dtypes, promoted by category and by how each operand
was given (a tensor with dimensions, a 0-d tensor, a Python number), so that a number never widens a tensor of its own
category.  (The dtypes' names, ``minigan.float32``..., and the legacy type names are minigan/_dtype.py's.)
"""

from minigan.engine import backend
from minigan.engine.backend import np


def _kind(dtype) -> int:
    """A dtype's category, in order: 0 bool, 1 integer, 2 floating."""
    return {"b": 0, "i": 1, "u": 1}.get(dtype.kind, 2)


def result_type(a, b):
    """The dtype of a binary op's result, by PyTorch's promotion rules (``torch.result_type``).

    The operands rank in three groups: tensors with dimensions, 0-d tensors, Python numbers.  The
    result's category (bool < integer < floating) is the highest among all operands; its dtype is
    the promotion of the operands of that category in the first group that has one, and for a
    Python number alone the default (bool, int64, float32).  So a Python number or a 0-d tensor
    never widens a tensor of its own category: float32 * 2.5 and float32 * int64 stay float32.
    """
    operands = []
    for x in (a, b):
        if isinstance(x, (bool, int, float)):  # bool first: it is also an int
            dtype = np.dtype(bool if isinstance(x, bool) else "int64" if isinstance(x, int) else backend.DEFAULT_DTYPE)
            operands.append((2, dtype))
        else:
            x = getattr(x, "array", x)  # (a Tensor's array: the engine reads its own arrays)
            operands.append((0 if x.ndim else 1, np.dtype(x.dtype)))
    top = max(_kind(d) for _, d in operands)
    for group in (0, 1, 2):
        same = [d for g, d in operands if g == group and _kind(d) == top]
        if same:
            return np.result_type(*same) if group < 2 else same[0]
    raise AssertionError("unreachable: some operand has the top category")  # pragma: no cover


__all__ = ["result_type"]
