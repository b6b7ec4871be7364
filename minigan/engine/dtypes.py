"""dtype names as PyTorch spells them (``minigan.float32``, ``minigan.long``...), which are NumPy dtypes,
and PyTorch's type promotion (``result_type``).

This module holds only names, so that ``float``, ``int`` and ``bool`` may be shadowed here without
changing what the builtins mean in code that runs (``minigan/__init__.py`` imports them the same way).
"""

from minigan.engine import backend
from minigan.engine.backend import np

float16 = half = np.dtype("float16")
float32 = np.dtype("float32")
float64 = double = np.dtype("float64")
uint8 = np.dtype("uint8")
int8 = np.dtype("int8")
int16 = short = np.dtype("int16")
int32 = np.dtype("int32")
int64 = long = np.dtype("int64")
bool_ = np.dtype("bool")

# The legacy tensor type names (``x.type()``, ``minigan.FloatTensor``) and their dtypes.
TYPE_NAMES = {"FloatTensor": float32, "DoubleTensor": float64, "HalfTensor": float16, "ByteTensor": uint8,
              "CharTensor": int8, "ShortTensor": int16, "IntTensor": int32, "LongTensor": int64,
              "BoolTensor": bool_}

def _kind(dtype) -> int:
    """A dtype's category, in PyTorch's order: 0 bool, 1 integer, 2 floating."""
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
            dtype = bool_ if isinstance(x, bool) else int64 if isinstance(x, int) else np.dtype(backend.DEFAULT_DTYPE)
            operands.append((2, dtype))
        else:
            operands.append((0 if x.ndim else 1, np.dtype(x.dtype)))
    top = max(_kind(d) for _, d in operands)
    for group in (0, 1, 2):
        same = [d for g, d in operands if g == group and _kind(d) == top]
        if same:
            return np.result_type(*same) if group < 2 else same[0]
    raise AssertionError("unreachable: some operand has the top category")  # pragma: no cover


def common_dtype(tensors):
    """The dtype several tensors with dimensions promote to, as ``torch.cat``'s: the highest category among them
    (bool < integer < floating), then NumPy's promotion of the dtypes of that category (float32 and int64 give
    float32, float32 and float64 give float64)."""
    top = max(_kind(np.dtype(t.dtype)) for t in tensors)
    return np.result_type(*[np.dtype(t.dtype) for t in tensors if _kind(np.dtype(t.dtype)) == top])


__all__ = ["float16", "half", "float32", "float64", "double", "uint8", "int8", "int16", "short", "int32", "int64",
           "long", "bool_", "TYPE_NAMES", "result_type", "common_dtype"]
