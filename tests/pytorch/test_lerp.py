"""lerp against PyTorch (tests/pytorch/sweep.py), through its doors (torch.lerp, Tensor.lerp, lerp_, out=):

* operands whose shapes do not broadcast, with every kind of weight (a Python or NumPy number, a 0-d tensor, a
  tensor of the input's shape): PyTorch's RuntimeError class ("The size of tensor a (5) must match ..."), never
  NumPy's ValueError (a number weight skipped the check a tensor weight has); where they broadcast, its values;
* a number weight, a Python number or a NumPy scalar of each dtype: PyTorch reads it as the number it holds; the two
  forms (input + w·(end − input) for |w| < 0.5, end − (end − input)·(1 − w) otherwise) must not compute 1 − w in the
  scalar's own dtype (np.uint8: 1 − 3 wraps to 254): values, result dtype and gradients;
* integer ends by a 0-d floating weight tensor run, as PyTorch's: the 0-d weight promotes ends of one integer dtype
  to its own dtype (lerp(int64, int64, tensor(0.25)) is a float64, its weight's gradient end − input); every other
  mix of dtypes and shapes refuses or runs exactly where PyTorch's does;
* a number weight makes one node, PyTorch's LerpBackward0, whose gradients are grad·(1 − weight) and grad·weight,
  so an infinite or NaN upstream gradient passes as PyTorch's does (a composite input + weight·(end − input) gave
  the input grad − weight·grad, NaN for an infinite grad), to the second order in the upstream gradient.
"""

import itertools

import numpy as np
import pytest

from pytorch.sweep import close, outcome, sweep

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

DOORS = {"lerp": lambda L, x, e, w: L.lerp(x, e, w), "Tensor.lerp": lambda L, x, e, w: x.lerp(e, w),
         "Tensor.lerp_": lambda L, x, e, w: x.clone().lerp_(e, w),
         "lerp out=": lambda L, x, e, w: L.lerp(x, e, w, out=L.empty(0, dtype=x.dtype))}

# ----------------------------------------------------------------------------------------------- shapes
SHAPES = [(5,), (4, 4), (2, 2, 5, 5), (1, 5), (3,), ()]
WEIGHTS = {"2": lambda L, s: 2, "np 0.25": lambda L, s: np.float64(0.25), "0-d": lambda L, s: L.tensor(0.75),
           "tensor": lambda L, s: L.full(s, 0.5, dtype=L.float64)}


def _shapes(L, door, weight, s, e):
    x = L.tensor(np.linspace(-1.0, 2.0, int(np.prod(s))).reshape(s))
    end = L.tensor(np.linspace(3.0, 0.5, int(np.prod(e))).reshape(e))
    return close(DOORS[door](L, x, end, WEIGHTS[weight](L, s)), 1e-5, 1e-8)


test_lerp_of_shapes_that_do_not_broadcast_raises_pytorchs_class = sweep(
    _shapes, [(d, w, s, e) for d in sorted(DOORS) for w in sorted(WEIGHTS) for s in SHAPES for e in SHAPES],
    group=lambda d, w, s, e: f"{d}-{w}")

# ----------------------------------------------------------------------------------------------- number weights
NUMBERS = [0.25, 3, -2, np.float16(0.75), np.float32(-0.5), np.float64(0.3), np.int8(-3), np.int64(2), np.uint8(3),
           np.uint16(7), np.True_, np.False_]


def _number_weight(L, w, door, dtype):
    x = L.tensor([[0.5, -1.5, 2.0], [3.0, -0.25, 1.0]], dtype=getattr(L, dtype), requires_grad=True)
    e = L.tensor([[1.0, 2.0, -4.0], [0.5, 0.5, 8.0]], dtype=getattr(L, dtype), requires_grad=True)
    out = DOORS[door](L, x * 1 if door == "Tensor.lerp_" else x, e, w)
    (out * L.arange(6.0, dtype=getattr(L, dtype)).reshape(2, 3)).sum().backward()
    rtol = 1e-6 if dtype == "float32" else 1e-12
    return [close(t, rtol, 1e-6) for t in (out.detach(), x.grad, e.grad)]


test_lerp_number_weight_as_pytorch = sweep(
    _number_weight, list(itertools.product(NUMBERS, ["lerp", "Tensor.lerp", "Tensor.lerp_"], ["float64", "float32"])),
    ids=lambda w, door, dtype: f"{type(w).__name__}({w})-{door}-{dtype}")

# ----------------------------------------------------------------------------------------------- integer ends
KINDS = ["int64_0", "int64_1", "int32_1", "uint8_1", "bool_1", "float64_0", "float64_1", "float32_0"]


def _integer_ends(L, a, b, w, door):
    def make(kind, value, requires_grad):
        dtype, dims = kind.split("_")
        dtype = getattr(L, dtype)
        return L.tensor(np.full((3,) * int(dims), value), dtype=dtype,
                        requires_grad=requires_grad and dtype.is_floating_point)
    a, b, w = make(a, 1, False), make(b, 3, False), make(w, 0.25, True)
    out = a.lerp_(b, w) if door == "Tensor.lerp_" else DOORS[door](L, a, b, w)
    # (PyTorch's weight gradient computes end − input: its `-` refuses two bool tensors)
    grad = outcome(lambda: L.autograd.grad(out.sum(), [w])[0]) if out.requires_grad else None
    return out.detach(), out.requires_grad, grad


test_lerp_of_integer_ends_as_pytorchs = sweep(
    _integer_ends, list(itertools.product(KINDS, KINDS, ["float64_0", "float32_0", "float64_1", "int64_0"],
                                          ["lerp", "Tensor.lerp", "Tensor.lerp_"])), every=17)

# ----------------------------------------------------------------------------------------------- the node
def _number_weights_node(L, weight, up, create_graph, dtype):
    dtype = getattr(L, dtype)
    s = L.tensor(np.array([1.0, -2.0, 0.5]), dtype=dtype, requires_grad=True)
    e = L.tensor(np.array([3.0, 4.0, -1.5]), dtype=dtype, requires_grad=True)
    out = L.lerp(s, e, weight)
    grad = L.tensor(np.array([up, 1.0, -2.0]), dtype=dtype, requires_grad=create_graph)
    gs, ge = L.autograd.grad(out, [s, e], grad, create_graph=create_graph)
    # the value to rounding (PyTorch's kernel rounds once, a fused a·b + c; |ends| ≤ 4), the gradients exactly
    seen = [close(out.detach(), 0, 8 * np.finfo(str(out.dtype).split(".")[-1]).eps), gs.detach(), ge.detach(),
            out.grad_fn.name()]
    if create_graph:  # second order: in the upstream gradient (its derivative is (1 − weight) and weight)
        seen.append(L.autograd.grad((gs * 2 + ge).sum(), [grad])[0])
    return seen


test_a_number_weights_gradients_are_pytorchs_lerp_backward = sweep(
    _number_weights_node, list(itertools.product([0.3, 0.7, 0.5, 0.0, 1.0, -0.25, 1.5, np.float64(0.2),
                                                  np.float32(0.8)], [np.inf, -np.inf, np.nan, 1.0], [False, True],
                                                 ["float64", "float32"])),
    ids=lambda w, up, cg, dtype: f"{w!r}-{up}-{cg}-{dtype}")
