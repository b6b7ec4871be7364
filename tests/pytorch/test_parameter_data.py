"""nn.Parameter's data, against PyTorch: no data (an empty Parameter of the default dtype), and each dtype with and
without requires_grad (integers and bools make a frozen Parameter only; one that is to require grad raises
PyTorch's RuntimeError)."""

import copy

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import minigan  # noqa: E402
from pytorch.exception_oracle import outcome  # noqa: E402

DTYPES = ["float16", "float32", "float64", "int8", "int16", "int32", "int64", "uint8", "bool"]


def _made(lib, how, dtype, requires_grad):
    if how == "none":
        return lib.nn.Parameter() if requires_grad is None else lib.nn.Parameter(requires_grad=requires_grad)
    if how == "None":
        return lib.nn.Parameter(None, *(() if requires_grad is None else (requires_grad,)))
    data = lib.tensor(np.arange(6).reshape(2, 3) % 2 if dtype == "bool" else np.arange(6).reshape(2, 3),
                      dtype=getattr(lib, dtype))
    return lib.nn.Parameter(data) if requires_grad is None else lib.nn.Parameter(data, requires_grad=requires_grad)


def _seen(p):
    return (type(p).__name__, str(p.dtype).split(".")[-1], tuple(p.shape), p.requires_grad, p.is_leaf, p.grad,
            tuple(p.detach().numpy().ravel().tolist()))


def _outcome(lib, *args):
    p = outcome(lambda: _made(lib, *args))
    return p if isinstance(p, Exception) else _seen(p) + _seen(copy.deepcopy(p))


CASES = ([("none", None, rg) for rg in (None, True, False)] + [("None", None, rg) for rg in (None, True, False)]
         + [("data", dtype, rg) for dtype in DTYPES for rg in (None, True, False)])


@pytest.mark.parametrize(("how", "dtype", "requires_grad"), CASES)
def test_parameter_data_as_pytorch(how, dtype, requires_grad):
    theirs = _outcome(torch, how, dtype, requires_grad)
    ours = _outcome(minigan, how, dtype, requires_grad)
    if isinstance(theirs, Exception):
        assert isinstance(ours, type(theirs)), f"PyTorch raised {theirs!r}, minigan gave {ours!r}"
        assert "\n" not in str(ours)
    else:
        assert ours == theirs


@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_no_data_follows_the_default_dtype(dtype):
    before = minigan.get_default_dtype()
    minigan.set_default_dtype(getattr(minigan, dtype))
    try:
        assert minigan.nn.Parameter().dtype == getattr(minigan, dtype)
    finally:
        minigan.set_default_dtype(before)


def test_a_frozen_integer_parameter_in_a_module():
    m = minigan.nn.Module()
    m.count = minigan.nn.Parameter(minigan.tensor([3]), requires_grad=False)
    m.lin = minigan.nn.Linear(2, 2)
    m.double()
    assert [p.dtype for p in m.parameters()] == [minigan.int64, minigan.float64, minigan.float64]
    with pytest.raises(RuntimeError):
        m.count.requires_grad_()
