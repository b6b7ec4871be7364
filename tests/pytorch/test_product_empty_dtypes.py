"""The matrix products of an empty result or an empty inner size, whose operands have several dtypes, against PyTorch.

PyTorch's bmm and baddbmm check the operands' dtypes in the kernel that computes the product; where the result has
no entries or the inner size is 0 that kernel never runs, so they give the result in batch2's (mat2's) dtype:
zeros, or baddbmm's input converted and scaled by beta as an in-place ``mul_`` would (an integer result refuses
beta=2.5, a bool one beta=1).  baddbmm still wants input and batch1 of one dtype; matmul's batched path is bmm's,
its folded path mm's, which always checks.  addmm and addbmm with an inner size of 0 (or no batches) scale their
input the same way.  addr promotes its three operands (its kernel is pointwise).  Found by the surface programs
(Tensor.bmm and torch.bmm ran in PyTorch where minigan raised).

Where the product is computed, addmm, addmv, addr, baddbmm and addbmm do not promote: an input of another dtype than
the product's operands is refused (a RuntimeError).  Found by the surface programs' shape-coherent draws (seeds
11624094 and 11626280): minigan's baddbmm and addbmm promoted the input and ran."""

import itertools

import numpy as np
import pytest
from conftest import default_slice

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

import minigan  # noqa: E402
from pytorch.exception_oracle import refused_or_equal  # noqa: E402
from pytorch.oracle import ADDMV_ONE_DTYPE  # noqa: E402

DTYPES = ["bool", "int32", "float32", "float64"]
SHAPES = {
    "bmm": [((0, 2, 3), (0, 3, 2)), ((2, 0, 3), (2, 3, 2)), ((2, 2, 0), (2, 0, 2)), ((2, 2, 3), (2, 3, 0)),
            ((2, 2, 3), (2, 3, 2))],
    "matmul": [((0, 2, 3), (0, 3, 2)), ((2, 2, 0), (2, 0, 2)), ((2, 2, 0), (0, 2)), ((2, 0), (2, 0, 2)),
               ((2, 3), (2, 3, 0)), ((0,), (2, 0, 3)), ((2, 2, 0), (0,)), ((1, 2, 0), (3, 0, 2)), ((2, 2, 3), (3, 2))],
    "baddbmm": [((0, 2, 2), (0, 2, 3), (0, 3, 2)), ((2, 2, 2), (2, 2, 0), (2, 0, 2)), ((1, 2), (2, 2, 0), (2, 0, 2)),
                ((2, 2, 2), (2, 2, 3), (2, 3, 2))],
    "addbmm": [((2, 2), (0, 2, 3), (0, 3, 2)), ((2, 2), (2, 2, 0), (2, 0, 2)), ((2,), (0, 2, 3), (0, 3, 2))],
    "addmm": [((2, 2), (2, 0), (0, 2)), ((2,), (2, 0), (0, 2)), ((0, 2), (0, 3), (3, 2))],
    "addmv": [((2,), (2, 0), (0,)), ((0,), (0, 3), (3,))],
    "addr": [((2, 3), (2,), (3,)), ((0, 3), (0,), (3,))],
}
SCALES = [{}, {"beta": 0}, {"beta": 2.5}, {"beta": True}, {"beta": 2, "alpha": 3}]


def _cases():
    for name, shapes in SHAPES.items():
        for sh in shapes:
            for dtypes in itertools.product(DTYPES, repeat=len(sh)):
                same = len(set(dtypes)) == 1 or set(dtypes) == {"float32", "float64"}  # (beta on the mixes too)
                for kw in SCALES if len(sh) == 3 and same else [{}]:
                    yield name, sh, dtypes, kw


def _addmv_of_several_dtypes(name, shapes, dtypes):
    """addmv, and matmul of a vector (PyTorch's matrix-vector path is addmv), with operands of several dtypes:
    PyTorch 2.12 refuses them ("addmv input tensors must have the same dtype"), where 2.11 promoted and ran."""
    return len(set(dtypes)) > 1 and (name == "addmv" or name == "matmul" and 1 in map(len, shapes))


CASES = [pytest.param(*case, marks=[ADDMV_ONE_DTYPE] if _addmv_of_several_dtypes(*case[:3]) else [])
         for case in _cases()]


# the products computed, with operands of several dtypes (every triple but float64's own of one dtype)
COMPUTED = {"addmm": ((2, 2), (2, 3), (3, 2)), "addmv": ((2,), (2, 3), (3,)), "addr": ((2, 3), (2,), (3,)),
            "baddbmm": ((2, 2, 2), (2, 2, 3), (2, 3, 2)), "addbmm": ((2, 2), (2, 2, 3), (2, 3, 2))}
COMPUTED_CASES = [
    pytest.param(name, form, dtypes, marks=[ADDMV_ONE_DTYPE] if name == "addmv" and dtypes[1] == dtypes[2] !=
                 dtypes[0] else [])  # (addmv whose input alone has another dtype: PyTorch 2.11 promoted and ran)
    for name in COMPUTED for form in ("function", "method")
    for dtypes in itertools.product(["float64", "float32", "int64", "bool"], repeat=3)
    if len(set(dtypes)) > 1 or dtypes[0] == "float64"]


def _call(lib, name, shapes, dtypes, kw, form, offset=1):
    made = [(lib.arange(int(np.prod(s))).reshape(s) % 3 + offset).to(getattr(lib, d)) for s, d in zip(shapes, dtypes)]
    try:
        r = getattr(lib, name)(*made, **kw) if form == "function" else getattr(made[0], name)(*made[1:], **kw)
    except Exception as e:  # noqa: BLE001 - the outcome is compared
        return e
    return str(r.dtype).split(".")[-1], tuple(r.shape), r.numpy().astype(np.float64).tolist()


# Every 7th case by default (and each op with each of its shapes, each dtype triple, scale and form), rest -m parity
@pytest.mark.parametrize("name, shapes, dtypes, kw, form", default_slice(
    [pytest.param(*case.values, form, marks=case.marks) for case in CASES for form in ["function", "method"]], 23,
    cover=["each", lambda name, shapes, *_: (name, shapes)]))
def test_empty_products_of_several_dtypes_as_pytorch(name, shapes, dtypes, kw, form):
    _same(*(_call(lib, name, shapes, dtypes, kw, form) for lib in (minigan, torch)))


# Every 5th case by default (and each value of each argument, each op in each form), the rest under -m parity
@pytest.mark.parametrize("name, form, dtypes", default_slice(
    COMPUTED_CASES, 5, cover=["each", lambda name, form, dtypes: (name, form)]))
def test_operands_of_several_dtypes_as_pytorch(name, form, dtypes):
    _same(*(_call(lib, name, COMPUTED[name], dtypes, {}, form, offset=0) for lib in (minigan, torch)))


def _same(ours, theirs):
    assert refused_or_equal(ours, theirs), f"minigan {ours!r} | PyTorch {theirs!r}"
