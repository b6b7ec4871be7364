"""F.linear with nothing to multiply (an input or weight with a size 0) adds its bias as PyTorch's does with entries:
into the output without growing it, so a bias of shape (0, 3) on an output (0, 1) is PyTorch's RuntimeError, where
NumPy's broadcast made (0, 3) (surface program 11609065).  Each case against PyTorch: both refuse with one built-in
class, or both give the same shape, dtype and values, and the same gradients of every operand."""
import itertools

import numpy as np
import pytest

torch = pytest.importorskip("torch")
import minigan  # noqa: E402
from pytorch.exception_oracle import builtin_class as _builtin  # noqa: E402
from pytorch.exception_oracle import outcome  # noqa: E402

INPUTS = [(0, 3), (2, 0), (0, 0), (2, 3), (4, 0, 3), (3,), (0,)]
WEIGHTS = [(1, 3), (0, 3), (4, 0), (3,), (0,), (2, 3)]
BIASES = [None, (1,), (0,), (2,), (4,), (0, 3), (0, 1), (2, 1), (1, 1), (0, 4), (1, 0), (3,), ()]
# A 2-D bias where PyTorch takes another kernel path whose rules minigan does not follow, with entries as without
# them: a 1-D input takes a bias (1, out_features) (x (3,), weight (2, 3), bias (1, 2) gives (2,)); a contiguous 3-D
# input's product is addmm, which refuses a 1-D weight and expands the bias to the flattened output.
OTHER_PATHS = {((3,), (0, 3), (1, 0)), ((4, 0, 3), (3,), (1, 0))}


def _run(L, xs, ws, bs):
    def make(shape, k):
        n = int(np.prod(shape))
        return L.tensor(np.linspace(-1, 1, n).reshape(shape) + k, dtype=L.float64, requires_grad=True)

    x, w = make(xs, 0), make(ws, 0.5)
    b = None if bs is None else make(bs, -0.25)
    y = outcome(lambda: L.nn.functional.linear(x, w, b))
    if isinstance(y, Exception):
        return y
    leaves = [t for t in (x, w, b) if t is not None]
    grads = L.autograd.grad(y.sum(), leaves, allow_unused=True) if y.requires_grad else [None] * len(leaves)
    return [tuple(y.shape), y.detach().numpy().tolist()] + [None if g is None else g.numpy().tolist() for g in grads]


@pytest.mark.parametrize("xs", INPUTS, ids=str)
def test_linear_bias_shapes_with_nothing_to_multiply(xs):
    wrong = []
    for ws, bs in itertools.product(WEIGHTS, BIASES):
        if (xs, ws, bs) in OTHER_PATHS:
            continue
        ours, theirs = _run(minigan, xs, ws, bs), _run(torch, xs, ws, bs)
        if isinstance(theirs, Exception) or isinstance(ours, Exception):
            if not (isinstance(theirs, Exception) and isinstance(ours, _builtin(type(theirs)))):
                wrong.append(f"x {xs}, weight {ws}, bias {bs}: minigan {ours!r:.100} | PyTorch {theirs!r:.100}")
        elif ours != theirs:
            wrong.append(f"x {xs}, weight {ws}, bias {bs}: minigan {ours} | PyTorch {theirs}")
    assert not wrong, f"{len(wrong)} cases differ:\n" + "\n".join(wrong[:12])


@pytest.mark.xfail(strict=True, reason="PyTorch's kernel paths: a 1-D input, or a contiguous 3-D one, with a 2-D bias")
@pytest.mark.parametrize("case", sorted(OTHER_PATHS), ids=str)
def test_linear_bias_on_pytorchs_other_paths(case):
    ours, theirs = _run(minigan, *case), _run(torch, *case)
    assert isinstance(ours, Exception) == isinstance(theirs, Exception)
    assert isinstance(ours, Exception) or ours == theirs
