"""F.batch_norm's checks in PyTorch's order and its dtypes, against PyTorch.

PyTorch checks eps in Python, before its kernel (an int64 input with eps=0 in training is its ValueError); its kernel
then checks the running statistics (both or neither: ValueError; each of C entries: RuntimeError) before it dispatches
on the input's dtype (NotImplementedError), and refuses running statistics of another dtype than the input's (or than
float32 beside a float16 input): RuntimeError (surface program 11816583: a bool running_var).  minigan checked the
dtype first and ran with statistics of any dtype.  Over input dtypes, parameter dtypes, shapes (empty ones too),
statistics and weight given, of the right size or not, training or not, minigan must raise PyTorch's class or run
where it runs, with its result's dtype and shape.

Left: a float16 input with float32 weight and bias, which PyTorch's mixed-precision kernel takes and minigan refuses
(as it refuses them in group_norm and layer_norm).
"""

import itertools
import warnings

import numpy as np
import pytest
from conftest import default_slice

import minigan
from pytorch.exception_oracle import builtin_class as _builtin

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")


def _run(lib, case):
    xdt, pdt, shape, rm, rv, w, training, eps = case
    make = {0: None, 1: (3,), 2: (4,)}
    try:
        params = [None if make[k] is None else lib.tensor(np.full(make[k], 0.5), dtype=getattr(lib, pdt))
                  for k in (rm, rv, w)]
        x = lib.tensor(np.arange(float(np.prod(shape))).reshape(shape) % 3, dtype=getattr(lib, xdt))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            out = lib.nn.functional.batch_norm(x, params[0], params[1], params[2], training=training, eps=eps)
    except Exception as e:  # noqa: BLE001 (the class is compared)
        return "raised", e
    return "ran", str(out.dtype).split(".")[-1], tuple(out.shape)


CASES = [c for c in itertools.product(["float64", "float32", "float16", "int64", "bool"],
                                      ["float64", "float32", "float16", "bool"], [(2, 3, 4), (0, 3, 4), (2, 3), (3,)],
                                      [0, 1, 2], [0, 1, 2], [0, 1], [True, False], [1e-5, 0.0, -1.0])
         if not (c[1] == "float32" and c[0] == "float16" and c[5])]  # (left: the module's docstring)


# Every 47th case by default (and each value of each of the case's eight parts), the rest under -m parity (a stride of 3
# had left eps at 1e-5 in every case, its product's innermost size being 3)
@pytest.mark.parametrize("case", default_slice([pytest.param(c, id=str(i)) for i, c in enumerate(CASES)], 47,
                                               cover=[lambda case, i=i: repr(case[i]) for i in range(8)]))
def test_batch_norm_checks_in_pytorchs_order(case):
    expected, got = _run(torch, case), _run(minigan, case)
    where = f"batch_norm{case}"
    if expected[0] == "raised":
        assert got[0] == "raised" and isinstance(got[1], _builtin(expected[1])), \
            f"{where}: PyTorch raises {expected[1]!r}; minigan {got}"
        return
    assert got == expected, f"{where}: {got} vs PyTorch's {expected}"
