"""Python's built-in functions and operators on a tensor give what they give on PyTorch's: ``abs(x)`` (which minigan
refused: "bad operand type for abs(): 'Tensor'"), ``-x``, ``+x``, ``~x``, ``len``, ``iter``, ``reversed``, ``sum``,
``min``/``max``, ``sorted``, ``bool``/``int``/``float``/``complex``, ``operator.index``, ``math.floor``/``ceil``/
``trunc``, ``round``, ``divmod``, ``pow`` with a modulus, ``format``, ``in``, over dtypes and shapes; each the
same value, the same type of result, or the same kind of refusal."""
import math
import operator

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import minigan  # noqa: E402
from pytorch.exception_oracle import outcome  # noqa: E402

BUILTINS = {
    "abs": abs, "neg": operator.neg, "pos": operator.pos, "invert": operator.invert, "len": len,
    "iter": lambda x: list(iter(x)), "reversed": lambda x: list(reversed(x)), "sum": sum, "min": min, "max": max,
    "sorted": sorted, "bool": bool, "int": int, "float": float, "complex": complex, "index": operator.index,
    "floor": math.floor, "ceil": math.ceil, "trunc": math.trunc, "round": round, "round2": lambda x: round(x, 2),
    "divmod": lambda x: divmod(x, 2), "pow_mod": lambda x: pow(x, 2, 3), "format": lambda x: format(x, ".2f"),
    "contains": lambda x: 1 in x, "abs_grad": lambda x: abs(x).requires_grad,
}
VALUES = [("float32", [-1.5, 2.25]), ("float64", [[-1.5], [0.0]]), ("int64", [-3, 4]), ("bool", [True, False]),
          ("float32", -2.5), ("int64", 7), ("uint8", [3, 250]), ("float64", []), ("float32", [float("nan")])]


def _apply(lib, fn, dtype, data):
    x = lib.tensor(data, dtype=getattr(lib, dtype))
    out = outcome(lambda: fn(x))
    if isinstance(out, Exception):
        return ("error", isinstance(out, TypeError), isinstance(out, (RuntimeError, ValueError)))
    def seen(v):
        if isinstance(v, (torch.Tensor, minigan.Tensor)):
            return "tensor", str(v.dtype).split(".")[-1], repr(np.asarray(v.tolist(), dtype=float).round(12).tolist())
        if isinstance(v, (list, tuple)):
            return type(v).__name__, [seen(i) for i in v]
        return type(v).__name__, repr(v) if isinstance(v, (float, complex)) else v  # (NaN equal to itself)
    return "value", seen(out)


@pytest.mark.parametrize("name", BUILTINS)
@pytest.mark.parametrize("case", range(len(VALUES)))
def test_a_builtin_on_a_tensor_as_on_pytorchs(name, case):
    dtype, data = VALUES[case]
    theirs = _apply(torch, BUILTINS[name], dtype, data)
    ours = _apply(minigan, BUILTINS[name], dtype, data)
    if theirs[0] == "error":  # the same kind of refusal (minigan's may be of several kinds)
        assert ours[0] == "error" and (ours[1] or not theirs[1]) and (ours[2] or not theirs[2]), (theirs, ours)
    else:
        assert ours == theirs
