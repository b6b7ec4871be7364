"""A 0-d tensor keeps its dtype through an op with a Python number, on every NumPy declared.

NumPy 1.x promotes by value where every operand is a scalar, and a 0-d array counts as one: ``float32 0-d + 0.5`` is
a float64 there (NumPy 2 and PyTorch: a Python number never widens a tensor).  An op whose forward or backward mixes
its 0-d input with a Python constant therefore gave float64 on NumPy 1.24 only.  Its clip also ignores a NaN bound
(NumPy 2's and PyTorch's give NaN).  These checks are closed forms of PyTorch's rules; they run on any NumPy, and the
lowest_numpy session of noxfile.py is where they can fail.
"""

import math

import minigan.nn.functional as F
import numpy as np
import pytest

import minigan

NUMPY_1 = int(np.__version__.split(".")[0]) < 2

# Each op applied to a 0-d floating tensor (requires grad): forward with Python numbers, as a learner writes it.
OPS = {
    "clamp": lambda t: t.clamp(0.5, 1.0),
    "clamp(min=)": lambda t: t.clamp(min=0.5),
    "clamp(max=)": lambda t: t.clamp(max=1.0),
    "clip": lambda t: minigan.clip(t, -1.0, 1.0),
    "mean": lambda t: t.mean(),
    "mul": lambda t: t * 2.5,
    "rsub": lambda t: 2.5 - t,
    "pow": lambda t: t ** 2.5,
    "leaky_relu": lambda t: F.leaky_relu(t, 0.1),
    "hardtanh": lambda t: F.hardtanh(t),
    "softplus": lambda t: F.softplus(t, beta=2.0),
    "elu": lambda t: F.elu(-t),
    "celu": lambda t: F.celu(-t, 0.5),
    "selu": lambda t: F.selu(-t),
    "gelu": lambda t: F.gelu(t),
    "logit": lambda t: minigan.logit(t / 2, eps=0.1),
    "xlogy": lambda t: minigan.xlogy(t, 2.5),
    # ops whose forward mixes the 0-d array with a constant of their own (1 / a, a select against 0, ...)
    "reciprocal": lambda t: t.reciprocal(),
    "number / tensor": lambda t: 2.5 / t,
    "rsqrt": lambda t: t.rsqrt(),
    "sigmoid": lambda t: t.sigmoid(),
    "relu": lambda t: F.relu(t),
    "sign": lambda t: t * t.sign(),
    "erfc": lambda t: minigan.erfc(t),
    "erfinv": lambda t: minigan.erfinv(t / 2),
    "silu": lambda t: F.silu(t),
    "mish": lambda t: F.mish(t),
    "logsigmoid": lambda t: F.logsigmoid(t),
    "hardsigmoid": lambda t: F.hardsigmoid(t),
    "softshrink": lambda t: F.softshrink(t, 0.5),
    "logsumexp": lambda t: t.logsumexp(0),
    "smooth_l1_loss": lambda t: F.smooth_l1_loss(t, t.detach() * 0.5),
    # a door that works on the array itself (the Gumbel noise, u + eps)
    "gumbel_softmax": lambda t: F.gumbel_softmax(t, dim=0),
}


@pytest.mark.parametrize("dtype", ["float32", "float16"])
@pytest.mark.parametrize("name", list(OPS))
def test_an_op_of_a_0d_tensor_and_a_python_number_keeps_the_tensors_dtype(name, dtype):
    x = minigan.tensor(1.5, dtype=getattr(minigan, dtype), requires_grad=True)
    y = OPS[name](x)
    y.backward()
    assert (y.dtype, x.grad.dtype) == (x.dtype, x.dtype), (name, y.dtype, x.grad.dtype)


@pytest.mark.parametrize("name", ["floor_divide", "div", "maximum", "xlogy", "atan2", "hypot"])
def test_a_0d_float32_with_a_0d_float64_gives_a_float64(name):
    # PyTorch's promotion of two 0-d tensors (and NumPy's of two 0-d arrays, 1.x and 2): the wider dtype, whichever
    # comes first; a result narrowed to the first operand's dtype would be wrong here on every NumPy
    a = minigan.tensor(1.5, dtype=minigan.float32, requires_grad=True)
    b = minigan.tensor(0.75, dtype=minigan.float64, requires_grad=True)
    for y in (getattr(minigan, name)(a, b), getattr(minigan, name)(b, a)):
        assert y.dtype == minigan.float64, (name, y.dtype)


@pytest.mark.parametrize("dtype", ["float32", "float16"])
def test_a_tensor_with_a_0d_operand_of_its_dtype_keeps_it(dtype):
    # NumPy 1.x: where(mask, 1, y) of a 0-d y is a float64 (every operand a scalar), and so was x * log of it
    x = minigan.tensor([0.0, 1.5, 2.0], dtype=getattr(minigan, dtype), requires_grad=True)
    y = minigan.tensor(1.25, dtype=x.dtype)
    for out in (minigan.xlogy(x, y), x.xlogy(np.float32(1.25)), minigan.xlogy(x, 1.25)):
        out.sum().backward()
        assert (out.dtype, x.grad.dtype) == (x.dtype, x.dtype), (out.dtype, x.grad.dtype)


@pytest.mark.parametrize("dtype", ["float32", "float16", "float64"])
@pytest.mark.parametrize("shape", [(0,), (2, 0)])
def test_the_mean_of_nothing_is_nan_of_the_tensors_dtype(shape, dtype):
    # PyTorch: torch.zeros(0).mean() is tensor(nan), a float32; over a dim of size 0, NaNs of the same dtype
    e = minigan.zeros(shape, dtype=getattr(minigan, dtype))
    for m in (e.mean(), e.mean(-1)):
        assert m.dtype == e.dtype and bool(minigan.isnan(m).all()), (m, m.dtype)


@pytest.mark.parametrize("bounds", [(math.nan, math.nan), (math.nan, None), (None, math.nan), (0.0, math.nan),
                                    (math.nan, 2.0)])
@pytest.mark.parametrize("shape", [(), (4,)])
def test_a_nan_bound_makes_every_clamped_value_nan(bounds, shape):
    # PyTorch's clamp (and NumPy 2's clip): min or max NaN gives NaN everywhere; NumPy 1.x's clip ignored the bound
    lo, hi = bounds
    data = np.array([3.0, -4.0, 0.25, 1.0], dtype=np.float32)[: 4 if shape else 1].reshape(shape)
    fs = [lambda t: t.clamp(lo, hi), lambda t: t.clone().clamp_(lo, hi), lambda t: minigan.clip(t, lo, hi)]
    if lo is not None and hi is not None:  # hardtanh is clamp with both bounds (its derivative aside)
        fs.append(lambda t: F.hardtanh(t, lo, hi))
    for f in fs:
        y = f(minigan.tensor(data))
        assert y.dtype == minigan.float32 and bool(minigan.isnan(y).all()), (bounds, y)


def test_clip_grad_value_at_a_nan_clip_value_gives_nan_gradients():
    # torch.nn.utils.clip_grad_value_(p, nan) clamps to [nan, nan]: every gradient becomes NaN
    p = minigan.tensor([3.0, -4.0, 0.25], dtype=minigan.float64, requires_grad=True)
    p.grad = p.detach().clone()
    minigan.nn.utils.clip_grad_value_(p, math.nan)
    assert bool(minigan.isnan(p.grad).all()), p.grad


@pytest.mark.parametrize("shape", [(), (3,)])
def test_clamp_of_an_integer_or_bool_tensor_by_an_int_has_pytorchs_dtype(shape):
    # PyTorch's promotion: a bool tensor and an int bound make int64; an int32 tensor and an int bound stay int32
    for dtype, expected in (("bool", minigan.int64), ("int32", minigan.int32), ("int64", minigan.int64)):
        x = minigan.zeros(shape, dtype=getattr(minigan, dtype))
        for y in (x.clamp_max(2), x.clamp(0, 2), x.clamp(min=1)):
            assert y.dtype == expected, (dtype, shape, y.dtype)
