"""F.linear takes what PyTorch's kernel choice takes: addmm (a matrix weight, a bias of the input's dtype) for a 2-D
input, or a contiguous one with a 1-D bias; otherwise a matmul whose result takes the bias in place, in the result's
dtype (a 0-d or 2-D bias of another float dtype, a 1-D weight).  Each call against PyTorch float64/float32: the
refusal's class, or the result's shape, dtype and values and the gradients of input, weight and bias."""

import itertools

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import minigan  # noqa: E402

INPUTS = [(4,), (2, 4), (2, 2, 4), (2, 2, 2, 4)]
BIASES = [None, (), (3,), (1,), (2, 3), (5,)]
CASES = [(xs, contiguous, w2, bs, xd, bd)
         for xs, contiguous, w2, bs, (xd, bd) in itertools.product(
             INPUTS, [True, False], [True, False], BIASES,
             [("float64", "float64"), ("float64", "float32"), ("float32", "float64"), ("int64", "float64"),
              ("int64", "int32")])
         if not (bs is None and xd != bd)]


def _run(lib, xs, contiguous, w2, bs, xd, bd):
    rng = np.random.default_rng(len(xs) * 7 + (bs is None or len(bs)))
    floating = xd.startswith("float")
    x = rng.integers(-3, 4, size=xs + (2,)) if not floating else rng.normal(size=xs + (2,))
    w = rng.integers(-3, 4, size=(3, 4) if w2 else (4,)) if not floating else rng.normal(size=(3, 4) if w2 else (4,))
    b = None if bs is None else rng.normal(size=bs) if bd.startswith("float") else rng.integers(-3, 4, size=bs)
    leaves = [lib.tensor(np.ascontiguousarray(x[..., 0]) if contiguous else x, dtype=getattr(lib, xd),
                         requires_grad=floating)]
    x = leaves[0] if contiguous else leaves[0][..., 0]
    leaves.append(lib.tensor(w, dtype=getattr(lib, xd), requires_grad=floating))
    if b is not None:
        leaves.append(lib.tensor(b, dtype=getattr(lib, bd), requires_grad=floating and bd.startswith("float")))
    try:
        out = lib.nn.functional.linear(x, leaves[1], leaves[2] if b is not None else None)
    except RuntimeError:
        return "RuntimeError"
    result = (tuple(out.shape), str(out.dtype).split(".")[-1], out.detach().double().numpy())
    if not out.requires_grad:
        return result
    wanted = [t for t in leaves if t.requires_grad]
    grads = lib.autograd.grad((out * out.detach()).sum(), wanted)
    return result + tuple(g.double().numpy() for g in grads)


@pytest.mark.parametrize("xs, contiguous, w2, bs, xd, bd", CASES,
                         ids=[f"{c[0]}-{'c' if c[1] else 's'}-{'W' if c[2] else 'w'}-{c[3]}-{c[4]}-{c[5]}"
                              for c in CASES])
def test_linear_takes_what_pytorchs_kernel_takes(xs, contiguous, w2, bs, xd, bd):
    want, got = _run(torch, xs, contiguous, w2, bs, xd, bd), _run(minigan, xs, contiguous, w2, bs, xd, bd)
    if isinstance(want, str) or isinstance(got, str):
        assert got == want if isinstance(got, str) else False, f"minigan {got[:2]}, PyTorch {want}"
        return
    assert got[:2] == want[:2]
    rtol = 1e-6 if "float32" in (xd, bd) else 1e-12
    for g, w in zip(got[2:], want[2:]):
        np.testing.assert_allclose(g, w, rtol=rtol, atol=rtol)
