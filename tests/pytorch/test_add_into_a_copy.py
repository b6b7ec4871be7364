"""scatter_add, index_add and index_put(accumulate=True) add into a copy of the input, as PyTorch's kernels
(``self.clone()``, then ``out[index] += value`` for each value in turn), against PyTorch float64 and float32.

An entry nothing is added to keeps the input's value bit for bit (a −0 stays −0, where zeros with the values added,
plus the input, gave +0); an entry the index repeats takes its values in the index's order, starting from the
input's value (1 + 1e-16 + 1e-16 is 1, where (1e-16 + 1e-16) + 1 is not).  The family: the three ops as function,
method and in-place method (index_add with alpha 1 and 2), on inputs holding ±0, ±∞, NaN and ordinary values, with
values holding the same, and repeated indices; the result's bits, and the gradients at first and second order.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest

import minigan

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

OPS = {
    "scatter_add": "torch.scatter_add(x, 0, torch.tensor([[0, 1, 1, 2], [1, 1, 1, 2]]), s)",
    "scatter_add method dim 1": "x.scatter_add(1, torch.tensor([[0, 0, 3], [1, 1, 1]]), s[:, :3])",
    "scatter_add_": "x.clone().scatter_add_(0, torch.tensor([[0, 1, 1, 2], [1, 1, 1, 2]]), s)",
    "index_add": "x.index_add(0, torch.tensor([1]), s[:1])",
    "index_add repeated": "torch.index_add(x, 0, torch.tensor([1, 1]), s)",
    "index_add alpha": "x.index_add(1, torch.tensor([2, 0, 2]), torch.cat([s, s[:1]])[:, :3], alpha=2)",
    "index_add_": "x.clone().index_add_(0, torch.tensor([2, 2]), s)",
    "index_put": "x.index_put((torch.tensor([1, 2, 1]),), s[0], accumulate=True)",
    "index_put two indices": "torch.index_put(x, (torch.tensor([0, 0, 2]), torch.tensor([3, 3, 1])), s[1, :3], True)",
    "index_put_": "x.clone().index_put_((torch.tensor([1]),), s[0], accumulate=True)",
}
INPUTS = {  # (x of shape (3, 4), s of shape (2, 4))
    "zeros": ([[-0.0, -0.0, -0.0, -0.0], [-0.0, 0.0, -0.0, 0.0], [0.0, -0.0, -0.0, -0.0]],
              [[-0.0, 0.0, 1.0, -0.0], [0.0, -0.0, -1.0, -0.0]]),
    "special": ([[np.inf, -0.0, np.nan, 1.5], [-np.inf, -0.0, 2.0, -3.0], [0.25, np.nan, -0.0, 7.0]],
                [[-0.0, np.inf, 0.5, -0.0], [np.nan, -np.inf, -0.0, 1e300]]),
    "order": ([[1.0, 1.0, 1.0, -1.0], [1.0, 1.0, 1.0, 1.0], [3.0, 1.0, 1.0, 1.0]],
              [[1e-16, 1.1e-16, -1e-16, 2.2e-16], [1e-16, 1.2e-16, 1e-16, -1.5e-16]]),
}
CASES = list(itertools.product(OPS, INPUTS, ["float64", "float32"]))


def _run(lib, code, data, dtype, order):
    x0, s0 = (lib.tensor(v, dtype=getattr(lib, dtype), requires_grad=True) for v in data)
    x, s = x0 * 1, s0 * 1
    out = eval(code, {"torch": lib, "x": x, "s": s})
    value = out.detach().numpy().copy()
    if order == 0:
        return [value]
    w = lib.tensor(np.linspace(-1.0, 2.0, out.numel()).reshape(tuple(out.shape)), dtype=getattr(lib, dtype))
    grads = lib.autograd.grad((out * w * out).sum(), [x0, s0], create_graph=True)
    if order == 2:
        grads = lib.autograd.grad(sum((g * g).sum() for g in grads), [x0, s0])
    return [g.detach().numpy().copy() for g in grads]


def _same_bits(a, b):
    return a.shape == b.shape and np.array_equal(np.isnan(a), np.isnan(b)) and \
        np.array_equal(np.where(np.isnan(a), 0, a), np.where(np.isnan(b), 0, b)) and \
        np.array_equal(np.signbit(a) | np.isnan(a), np.signbit(b) | np.isnan(b))


@pytest.mark.parametrize("op, inputs, dtype", CASES)
def test_the_result_is_the_input_with_the_values_added_in_turn(op, inputs, dtype):
    with np.errstate(all="ignore"):
        want, got = (_run(lib, OPS[op], INPUTS[inputs], dtype, 0)[0] for lib in (torch, minigan))
    assert _same_bits(got, want), (got, want)


@pytest.mark.parametrize("op, inputs, dtype", [c for c in CASES if c[1] != "special"])
@pytest.mark.parametrize("order", [1, 2])
def test_gradients(op, inputs, dtype, order):
    with np.errstate(all="ignore"):
        want, got = (_run(lib, OPS[op], INPUTS[inputs], dtype, order) for lib in (torch, minigan))
    for g, w in zip(got, want):
        assert _same_bits(g, w) or np.allclose(g, w, rtol=1e-6 if dtype == "float32" else 1e-13, atol=0), (g, w)
