"""addmm, addmv, addr, baddbmm and addbmm (functions and methods) with operands of several dtypes, against PyTorch.

PyTorch's kernels of these products do not promote: an input of another dtype than the product's operands is
refused (a RuntimeError).  Found by the surface programs' shape-coherent draws (tests/pytorch/surface_programs.py,
seeds 11624094 and 11626280): minigan's baddbmm and addbmm promoted the input and ran."""

import itertools

import numpy as np
import pytest
from conftest import default_slice

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

import minigan  # noqa: E402
from pytorch.exception_oracle import outcome, same_tensor_outcome  # noqa: E402
from pytorch.oracle import ADDMV_ONE_DTYPE  # noqa: E402

SHAPES = {"addmm": ((2, 2), (2, 3), (3, 2)), "addmv": ((2,), (2, 3), (3,)), "addr": ((2, 3), (2,), (3,)),
          "baddbmm": ((2, 2, 2), (2, 2, 3), (2, 3, 2)), "addbmm": ((2, 2), (2, 2, 3), (2, 3, 2))}
DTYPES = ["float64", "float32", "int64", "bool"]
# addmv whose matrix and vector share a dtype and whose input has another: PyTorch 2.11 promoted it and ran
CASES = [pytest.param(name, form, dtypes, marks=[ADDMV_ONE_DTYPE] if name == "addmv" and dtypes[1] == dtypes[2] !=
                      dtypes[0] else [])
         for name in SHAPES for form in ("function", "method")
         for dtypes in itertools.product(DTYPES, repeat=3) if len(set(dtypes)) > 1 or dtypes[0] == "float64"]


def _call(lib, name, form, dtypes):
    made = [lib.tensor(np.arange(int(np.prod(s))).reshape(s) % 3, dtype=getattr(lib, d))
            for s, d in zip(SHAPES[name], dtypes)]
    return outcome(lambda: getattr(lib, name)(*made) if form == "function" else getattr(made[0], name)(*made[1:]))


# Every 5th case by default (and each value of each argument, each op in each form), the rest under -m parity
@pytest.mark.parametrize("name, form, dtypes", default_slice(
    CASES, 5, cover=["each", lambda name, form, dtypes: (name, form)]))
def test_operands_of_several_dtypes_as_pytorch(name, form, dtypes):
    theirs, ours = _call(torch, name, form, dtypes), _call(minigan, name, form, dtypes)
    same_tensor_outcome(ours, theirs)
