"""dtype names as PyTorch spells them (``minigan.float32``, ``minigan.long``...): they are NumPy dtypes.

This module holds only names, so that ``float``, ``int`` and ``bool`` may be shadowed here without
changing what the builtins mean in code that runs (``minigan/__init__.py`` imports them the same way).
"""

from minigan.backend import np

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

__all__ = ["float16", "half", "float32", "float64", "double", "uint8", "int8", "int16", "short", "int32", "int64",
           "long", "bool_", "TYPE_NAMES"]
