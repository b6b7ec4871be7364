"""fill_, masked_fill_ and index_fill_ of an integer or bool tensor with a value that requires grad, against PyTorch.

PyTorch records these three writes whatever the tensor's dtype: the integer tensor comes to require grad, with the
fill's node (FillBackward3, MaskedFillBackward1, IndexFillBackward1), and a backward that reaches it raises a
RuntimeError (no gradient flows into an integer tensor).  copy_ of such a value, and any write under no_grad or of a
detached value, records nothing.  minigan must do the same.
"""

import pytest

import minigan

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

CALLS = {
    "fill_": lambda lib, x, v: x.fill_(v),
    "torch.fill_": lambda lib, x, v: lib.fill_(x, v),
    "masked_fill_": lambda lib, x, v: x.masked_fill_(lib.ones(x.shape, dtype=lib.bool), v),
    "masked_fill_ by keyword": lambda lib, x, v: x.masked_fill_(mask=lib.tensor(True), value=v),
    "index_fill_": lambda lib, x, v: x.index_fill_(0, lib.tensor([0]), v) if x.ndim else x.index_fill_(0, lib.tensor(
        0), v),
    "copy_": lambda lib, x, v: x.copy_(v),
}


def _run(lib, name, dtype, shape, mode):
    v = lib.tensor(1.5, dtype=lib.float64, requires_grad=True)
    x = lib.zeros(shape, dtype=getattr(lib, dtype))
    value = v.detach() if mode == "detached" else v
    if mode == "no_grad":
        with lib.no_grad():
            r = CALLS[name](lib, x, value)
    else:
        r = CALLS[name](lib, x, value)
    try:
        lib.autograd.grad(r.double().sum(), v)
        backward = None
    except Exception as e:  # noqa: BLE001  (the class is the comparison)
        backward = e
    return r is x, r.requires_grad, r.grad_fn.name() if r.grad_fn is not None else None, r.tolist(), backward


@pytest.mark.parametrize("mode", ["grad", "no_grad", "detached"])
@pytest.mark.parametrize("shape", [(), (2,)])
@pytest.mark.parametrize("dtype", ["int64", "int32", "bool"])
@pytest.mark.parametrize("name", list(CALLS))
def test_a_fill_of_an_integer_tensor_with_a_value_that_requires_grad_is_recorded_as_pytorch(name, dtype, shape, mode):
    t = _run(torch, name, dtype, shape, mode)
    m = _run(minigan, name, dtype, shape, mode)
    assert m[:4] == t[:4]
    assert isinstance(m[4], RuntimeError) and isinstance(t[4], RuntimeError)
