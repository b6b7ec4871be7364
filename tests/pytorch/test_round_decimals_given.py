"""round with ``decimals`` given, 0 included, against PyTorch.

PyTorch's round has two overloads: ``round(x)``, which takes integer tensors (they are whole already), and
``round(x, decimals=d)``, which has no integer or bool kernel, so ``decimals=0`` written out refuses an int64 tensor
(NotImplementedError) where leaving it out does not.  Over the doors (torch.round, Tensor.round, torch.round_,
Tensor.round_), decimals left out, 0, 1 and -1, and floating, integer and bool tensors, minigan must give PyTorch's
values and dtype or raise its class.
"""

import itertools

import numpy as np
import pytest

import minigan
from pytorch.exception_oracle import same_outcome

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

DTYPES = ["float64", "float32", "int64", "int32", "uint8", "bool"]
DECIMALS = [None, 0, 1, -1]
DOORS = ["round", "Tensor.round", "round_", "Tensor.round_"]


def _run(lib, dtype, decimals, door):
    x = lib.tensor(np.array([4.25, 25.5, 0.0, 3.75]) if dtype.startswith("float") else [4, 25, 0, 3],
                   dtype=getattr(lib, dtype)) if dtype != "bool" else lib.tensor([True, False, True, True])
    kw = {} if decimals is None else {"decimals": decimals}
    try:
        out = {"round": lambda: lib.round(x, **kw), "Tensor.round": lambda: x.round(**kw),
               "round_": lambda: lib.round_(x, **kw), "Tensor.round_": lambda: x.round_(**kw)}[door]()
    except Exception as e:  # noqa: BLE001 (the class is compared)
        return "raised", e
    return "ran", (str(out.dtype).split(".")[-1], out.tolist())


@pytest.mark.parametrize("dtype,decimals,door", list(itertools.product(DTYPES, DECIMALS, DOORS)))
def test_round_with_decimals_given_is_pytorchs_overload(dtype, decimals, door):
    expected, got = _run(torch, dtype, decimals, door), _run(minigan, dtype, decimals, door)
    where = f"{door}({dtype}, decimals={decimals})"
    same_outcome(got, expected, where)
