"""What a tensor's gradient hook may return, against PyTorch: None (the gradient goes on), a Tensor of the
gradient's shape and dtype (it goes on in the gradient's place), and otherwise a RuntimeError, for another shape
or another dtype, on a leaf and on an intermediate tensor, at first and second order."""

import pytest

import minigan

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

RETURNS = {
    "None": lambda lib, g: None,
    "scaled": lambda lib, g: g * 3,
    "float64": lambda lib, g: g.to(lib.float64),
    "float32": lambda lib, g: g.to(lib.float32),
    "float16": lambda lib, g: g.to(lib.float16),
    "int64": lambda lib, g: g.to(lib.int64),
    "another shape": lambda lib, g: g[:1],
    "broadcastable": lambda lib, g: g.unsqueeze(0),
}


def _outcome(lib, dtype, where, returned, second_order):
    x = lib.tensor([1.0, -2.0, 0.5], dtype=getattr(lib, dtype), requires_grad=True)
    h = x * 2
    (x if where == "leaf" else h).register_hook(lambda g: RETURNS[returned](lib, g))
    try:
        y = (h ** 2).sum()
        if second_order:
            (g,) = lib.autograd.grad(y, x, create_graph=True)
            return [v for v in g.tolist()]
        y.backward()
    except Exception as e:  # noqa: BLE001 - the class is compared
        return type(e)
    return x.grad.tolist(), str(x.grad.dtype).split(".")[-1]


@pytest.mark.parametrize("second_order", [False, True], ids=["backward", "grad(create_graph=True)"])
@pytest.mark.parametrize("where", ["leaf", "intermediate"])
@pytest.mark.parametrize("returned", list(RETURNS))
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_hook_return_as_pytorchs(dtype, returned, where, second_order):
    theirs = _outcome(torch, dtype, where, returned, second_order)
    ours = _outcome(minigan, dtype, where, returned, second_order)
    if isinstance(theirs, type):
        assert isinstance(ours, type) and issubclass(ours, theirs), (ours, theirs)
    else:
        assert ours == theirs
