"""Every op against central finite differences (minigan.gradcheck, float64) and, when PyTorch is
installed, against torch as an independent oracle (values and gradients to float64 precision).

Shapes are drawn by hypothesis, including broadcasting pairs and size-1 axes; values come from
each op's valid domain and keep away from its kinks (|x| = 0 for relu/abs, ties for max).


(Its torch-free tests: tests/engine/test_ops_grad.py.)"""

import numpy as np
import pytest
from engine.helpers_ops_grad import leaves, values
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import array_shapes, arrays, mutually_broadcastable_shapes

import minigan
import minigan.functional as F
from minigan.engine import backend
from pytorch.oracle import HAVE_TORCH

EXAMPLES = 30  # hypothesis examples per op
SHAPES = array_shapes(min_dims=0, max_dims=3, min_side=1, max_side=4)

if HAVE_TORCH:
    import torch
    import torch.nn.functional as TF


def distinct(shape, lo=-3.0, hi=3.0):
    """float64 arrays with distinct entries at least 1e-3 apart (so max has no ties)."""
    return arrays(np.float64, shape, elements=st.floats(lo, hi, width=64), unique=True).filter(
        lambda a: a.size < 2 or np.diff(np.sort(a.reshape(-1))).min() > 1e-3
    )


def check(fn, torch_fn, *arrays_, atol=1e-5, rtol=1e-3):
    """gradcheck ``fn`` at these float64 arrays, then compare value and gradient with torch."""
    inputs = leaves(*arrays_)
    assert minigan.gradcheck(fn, inputs, atol=atol, rtol=rtol)
    if not HAVE_TORCH or torch_fn is None:
        return
    out = fn(*inputs)
    tin = [torch.tensor(a, dtype=torch.float64, requires_grad=True) for a in arrays_]
    tout = torch_fn(*tin)
    np.testing.assert_allclose(out.detach().cpu().numpy(), tout.detach().cpu().numpy(), rtol=1e-10, atol=1e-12)
    seed = np.random.default_rng(1).standard_normal(tout.shape)
    out.backward(seed)
    tout.backward(torch.tensor(seed))
    for x, t in zip(inputs, tin):
        expected = t.grad.detach().cpu().numpy() if t.grad is not None else np.zeros(x.shape)
        np.testing.assert_allclose(backend.asnumpy(x.grad), expected, rtol=1e-9, atol=1e-11)


# ----------------------------------------------------------------------------- elementwise, binary
BINARY = {
    "add": (lambda a, b: a + b, lambda a, b: a + b, {}, {}),
    "sub": (lambda a, b: a - b, lambda a, b: a - b, {}, {}),
    "mul": (lambda a, b: a * b, lambda a, b: a * b, {}, {}),
    "div": (lambda a, b: a / b, lambda a, b: a / b, {}, {"lo": 0.5, "hi": 3.0}),
    "pow": (lambda a, b: a**b, lambda a, b: a**b, {"lo": 0.5, "hi": 2.0}, {"lo": -2.0, "hi": 2.0}),
}


@pytest.mark.parametrize("name", sorted(BINARY))
@settings(max_examples=EXAMPLES)
@given(data=st.data(), shapes=mutually_broadcastable_shapes(num_shapes=2, min_dims=0, max_dims=3, max_side=3))
def test_binary_broadcasting(xp_backend, name, data, shapes):
    fn, tfn, dom_a, dom_b = BINARY[name]
    sa, sb = shapes.input_shapes
    a = data.draw(values(sa, **dom_a))
    b = data.draw(values(sb, **dom_b))
    if name == "div":  # keep the denominator away from zero, either sign
        b = b * data.draw(st.sampled_from([1.0, -1.0]))
    check(fn, tfn, a, b)


# ----------------------------------------------------------------------------- elementwise, unary
UNARY = {
    "neg": (lambda x: -x, lambda x: -x, {}),
    "exp": (lambda x: x.exp(), torch.exp if HAVE_TORCH else None, {}),
    "log": (lambda x: x.log(), torch.log if HAVE_TORCH else None, {"lo": 0.1, "hi": 5.0}),
    "abs": (lambda x: x.abs(), torch.abs if HAVE_TORCH else None, {"away_from_zero": 0.01}),
    "sqrt": (lambda x: x.sqrt(), torch.sqrt if HAVE_TORCH else None, {"lo": 0.1, "hi": 5.0}),
    "pow_scalar": (lambda x: x**3, lambda x: x**3, {}),
    "pow_half": (lambda x: x**0.5, lambda x: x**0.5, {"lo": 0.1, "hi": 5.0}),
    "rsub_scalar": (lambda x: 2.0 - x, lambda x: 2.0 - x, {}),
    "rdiv_scalar": (lambda x: 1.0 / x, lambda x: 1.0 / x, {"lo": 0.2, "hi": 3.0}),
    "clamp": (lambda x: x.clamp(-1.0, 1.0), (lambda x: x.clamp(-1.0, 1.0)) if HAVE_TORCH else None,
              {"away_from_zero": 0.0}),
    "sigmoid": (F.sigmoid, torch.sigmoid if HAVE_TORCH else None, {"lo": -30.0, "hi": 30.0}),
    "tanh": (F.tanh, torch.tanh if HAVE_TORCH else None, {}),
    "relu": (F.relu, torch.relu if HAVE_TORCH else None, {"away_from_zero": 0.01}),
    "leaky_relu": (lambda x: F.leaky_relu(x, 0.2), (lambda x: TF.leaky_relu(x, 0.2)) if HAVE_TORCH else None,
                   {"away_from_zero": 0.01}),
    "softplus": (F.softplus, TF.softplus if HAVE_TORCH else None, {"lo": -15.0, "hi": 15.0}),
}


@pytest.mark.parametrize("name", sorted(UNARY))
@settings(max_examples=EXAMPLES)
@given(data=st.data(), shape=SHAPES)
def test_unary(xp_backend, name, data, shape):
    fn, tfn, dom = UNARY[name]
    x = data.draw(values(shape, **dom))
    if name == "clamp":  # keep away from the clip points, where the derivative jumps
        x = x[...] if x.ndim else x
        x = np.where(np.abs(np.abs(x) - 1.0) < 0.01, x * 0.9, x)
    check(fn, tfn, x)


# ----------------------------------------------------------------------------- reductions
@st.composite
def shape_and_axis(draw, min_dims=1):
    shape = draw(array_shapes(min_dims=min_dims, max_dims=3, min_side=1, max_side=4))
    axis = draw(st.one_of(st.none(), st.integers(-len(shape), len(shape) - 1),
                          st.lists(st.integers(0, len(shape) - 1), min_size=1, max_size=len(shape), unique=True)
                          .map(tuple)))
    return shape, axis, draw(st.booleans())


def _torch_axis(axis, ndim):
    return tuple(range(ndim)) if axis is None else axis


REDUCE = {
    "sum": (lambda x, a, k: x.sum(axis=a, keepdims=k), lambda x, a, k: x.sum(dim=_torch_axis(a, x.ndim), keepdim=k)),
    "mean": (lambda x, a, k: x.mean(axis=a, keepdims=k),
             lambda x, a, k: x.mean(dim=_torch_axis(a, x.ndim), keepdim=k)),
    "max": (lambda x, a, k: x.max(axis=a, keepdims=k), lambda x, a, k: x.amax(dim=_torch_axis(a, x.ndim), keepdim=k)),
    "logsumexp": (lambda x, a, k: x.logsumexp(axis=a, keepdims=k),
                  lambda x, a, k: torch.logsumexp(x, dim=_torch_axis(a, x.ndim), keepdim=k)),
}


@pytest.mark.parametrize("name", sorted(REDUCE))
@settings(max_examples=EXAMPLES)
@given(data=st.data(), sak=shape_and_axis())
def test_reductions(xp_backend, name, data, sak):
    shape, axis, keepdims = sak
    fn, tfn = REDUCE[name]
    x = data.draw(distinct(shape) if name == "max" else values(shape))
    check(lambda t: fn(t, axis, keepdims), lambda t: tfn(t, axis, keepdims), x)


@pytest.mark.parametrize("name", ["softmax", "log_softmax"])
@settings(max_examples=EXAMPLES)
@given(data=st.data(), shape=array_shapes(min_dims=1, max_dims=3, max_side=4))
def test_softmax_family(xp_backend, name, data, shape):
    axis = data.draw(st.integers(-len(shape), len(shape) - 1))
    x = data.draw(values(shape, -10.0, 10.0))
    fn = getattr(F, name)
    tfn = (lambda t: getattr(torch, name)(t, dim=axis)) if HAVE_TORCH else None
    check(lambda t: fn(t, axis=axis), tfn, x)


# ----------------------------------------------------------------------------- shape ops
@settings(max_examples=EXAMPLES)
@given(data=st.data(), shape=array_shapes(min_dims=1, max_dims=4, max_side=3))
def test_reshape(xp_backend, data, shape):
    x = data.draw(values(shape))
    perm = data.draw(st.permutations(list(shape)))
    new = tuple(perm)
    if data.draw(st.booleans()):
        new = new[:-1] + (-1,)
    check(lambda t: t.reshape(*new), lambda t: t.reshape(new), x)


@settings(max_examples=EXAMPLES)
@given(data=st.data(), shape=array_shapes(min_dims=1, max_dims=4, max_side=3))
def test_transpose(xp_backend, data, shape):
    x = data.draw(values(shape))
    axes = tuple(data.draw(st.permutations(range(len(shape)))))
    check(lambda t: t.transpose(axes), lambda t: t.permute(*axes), x)  # NumPy's meaning: a full permutation
    check(lambda t: t.T, lambda t: t.permute(*reversed(range(t.ndim))), x)
    check(lambda t: t.transpose(0, -1), lambda t: t.transpose(0, -1), x)  # PyTorch's: swap two dims


@settings(max_examples=EXAMPLES)
@given(data=st.data(), shape=array_shapes(min_dims=1, max_dims=3, max_side=5))
def test_getitem_basic(xp_backend, data, shape):
    x = data.draw(values(shape))
    index = []
    for n in shape:
        kind = data.draw(st.sampled_from(["int", "slice", "all"]))
        if kind == "int":
            index.append(data.draw(st.integers(-n, n - 1)))
        elif kind == "slice":
            start = data.draw(st.integers(0, n - 1))
            index.append(slice(start, data.draw(st.integers(start + 1, n)), data.draw(st.integers(1, 2))))
        else:
            index.append(slice(None))
    index = tuple(index)
    check(lambda t: t[index], lambda t: t[index], x)


@settings(max_examples=EXAMPLES)
@given(data=st.data(), shape=array_shapes(min_dims=1, max_dims=3, max_side=5))
def test_getitem_integer_array_accumulates_repeats(xp_backend, data, shape):
    x = data.draw(values(shape))
    idx = np.array(data.draw(st.lists(st.integers(-shape[0], shape[0] - 1), min_size=1, max_size=8)))
    tfn = (lambda t: t[torch.as_tensor(idx)]) if HAVE_TORCH else None
    check(lambda t: t[idx], tfn, x)


@settings(max_examples=EXAMPLES)
@given(data=st.data(), shape=array_shapes(min_dims=1, max_dims=3, max_side=3), n=st.integers(1, 3))
def test_cat(xp_backend, data, shape, n):
    axis = data.draw(st.integers(0, len(shape) - 1))
    arrs = []
    for _ in range(n):
        s = list(shape)
        s[axis] = data.draw(st.integers(1, 3))
        arrs.append(data.draw(values(tuple(s))))
    check(lambda *ts: minigan.cat(list(ts), axis=axis), lambda *ts: torch.cat(ts, dim=axis) if HAVE_TORCH else None,
          *arrs)


@settings(max_examples=EXAMPLES)
@given(data=st.data(), shape=array_shapes(min_dims=1, max_dims=3, max_side=3))
def test_pad(xp_backend, data, shape):
    x = data.draw(values(shape))
    pw = tuple((data.draw(st.integers(0, 2)), data.draw(st.integers(0, 2))) for _ in shape)
    flat = [v for p in reversed(pw) for v in p]  # torch lists pads from the last axis backwards
    check(lambda t: F.pad(t, pw, value=0.5), (lambda t: TF.pad(t, flat, value=0.5)) if HAVE_TORCH else None, x)
    check(lambda t: F.pad(t, flat, value=0.5), (lambda t: TF.pad(t, flat, value=0.5)) if HAVE_TORCH else None, x)


# ----------------------------------------------------------------------------- matmul and linear
@st.composite
def matmul_shapes(draw):
    n, k, m = draw(st.integers(1, 4)), draw(st.integers(1, 4)), draw(st.integers(1, 4))
    kind = draw(st.sampled_from(["2d", "batched", "broadcast", "vec-mat", "mat-vec", "vec-vec"]))
    if kind == "2d":
        return (n, k), (k, m)
    if kind == "batched":
        b = draw(st.integers(1, 3))
        return (b, n, k), (b, k, m)
    if kind == "broadcast":
        b, c = draw(st.integers(1, 3)), draw(st.integers(1, 2))
        return (b, 1, n, k), (c, k, m)
    if kind == "vec-mat":
        return (k,), (draw(st.integers(1, 2)), k, m)
    if kind == "mat-vec":
        return (draw(st.integers(1, 2)), n, k), (k,)
    return (k,), (k,)


@settings(max_examples=EXAMPLES)
@given(data=st.data(), shapes=matmul_shapes())
def test_matmul(xp_backend, data, shapes):
    a, b = data.draw(values(shapes[0])), data.draw(values(shapes[1]))
    check(lambda x, y: x @ y, lambda x, y: x @ y, a, b)


@settings(max_examples=EXAMPLES)
@given(data=st.data(), n=st.integers(1, 4), i=st.integers(1, 4), o=st.integers(1, 4), bias=st.booleans(),
       lead=st.sampled_from([(), (2,)]))
def test_linear(xp_backend, data, n, i, o, bias, lead):
    x, w, b = data.draw(values(lead + (n, i))), data.draw(values((o, i))), data.draw(values((o,)))
    if bias:
        check(F.linear, TF.linear if HAVE_TORCH else None, x, w, b)
    else:
        check(lambda x_, w_: F.linear(x_, w_), (lambda x_, w_: TF.linear(x_, w_)) if HAVE_TORCH else None, x, w)


# ----------------------------------------------------------------------------- losses
@settings(max_examples=EXAMPLES)
@given(data=st.data(), shape=array_shapes(min_dims=1, max_dims=3, max_side=4))
def test_bce_with_logits(xp_backend, data, shape):
    x, t = data.draw(values(shape, -20.0, 20.0)), data.draw(values(shape, 0.0, 1.0))
    check(F.binary_cross_entropy_with_logits, TF.binary_cross_entropy_with_logits if HAVE_TORCH else None, x, t)


@settings(max_examples=EXAMPLES)
@given(data=st.data(), shape=array_shapes(min_dims=1, max_dims=3, max_side=4))
def test_bce(xp_backend, data, shape):
    # (t inside [0, 1] by more than gradcheck's step: a target outside it is refused, as PyTorch refuses it)
    p, t = data.draw(values(shape, 0.05, 0.95)), data.draw(values(shape, 0.001, 0.999))
    check(F.binary_cross_entropy, TF.binary_cross_entropy if HAVE_TORCH else None, p, t)


@settings(max_examples=EXAMPLES)
@given(data=st.data(), n=st.integers(1, 5), c=st.integers(1, 5))
def test_cross_entropy(xp_backend, data, n, c):
    x = data.draw(values((n, c), -5.0, 5.0))
    y = np.array(data.draw(st.lists(st.integers(0, c - 1), min_size=n, max_size=n)))
    tfn = (lambda t: TF.cross_entropy(t, torch.as_tensor(y))) if HAVE_TORCH else None
    check(lambda t: F.cross_entropy(t, y), tfn, x)


@settings(max_examples=EXAMPLES)
@given(data=st.data(), shape=array_shapes(min_dims=0, max_dims=3, max_side=4))
def test_mse(xp_backend, data, shape):
    a, b = data.draw(values(shape)), data.draw(values(shape))
    check(F.mse_loss, TF.mse_loss if HAVE_TORCH else None, a, b)
