"""Every elementwise function at the special values (±0, ±1, ±∞, NaN, tiny and huge numbers) against PyTorch:
the value, and the gradient wherever the input is a number.

Not compared: the gradient at a NaN input (the loss is NaN already, and PyTorch's masks decide it one function
at a time: relu passes the gradient, leaky_relu multiplies it by the slope, hardsigmoid drops it), and the sign of
an infinite slope at −0. And one difference: d(a^b)/db at a = 0 with b < 0, where a^b is ∞ already, is NaN here
and −∞ in PyTorch."""

import math
import warnings

import numpy as np
import pytest
from conftest import ulps

import minigan

torch = pytest.importorskip("torch")

INF, NAN = math.inf, math.nan
VALUES = [0.0, -0.0, 1.0, -1.0, 0.5, -0.5, 2.0, -2.0, 3.0, -3.0, 6.0, INF, -INF, NAN, 1e-30, 1e30, 100.0, -100.0]

METHODS = ["abs", "neg", "exp", "exp2", "expm1", "log", "log2", "log10", "log1p", "sqrt", "rsqrt", "reciprocal",
           "sin", "cos", "tan", "asin", "acos", "atan", "sinh", "cosh", "tanh", "asinh", "acosh", "atanh",
           "sigmoid", "relu", "floor", "ceil", "round", "trunc", "frac", "sign", "square", "logit", "deg2rad",
           "rad2deg", "positive", "isnan", "isinf", "isfinite", "erf", "erfc", "erfinv"]
FUNCTIONAL = ["softplus", "elu", "selu", "celu", "silu", "mish", "logsigmoid", "hardtanh", "relu6", "hardsigmoid",
              "hardswish", "softsign", "tanhshrink", "softshrink", "hardshrink", "leaky_relu", "relu"]
BINARY = {
    "add": lambda lib, a, b: a + b, "mul": lambda lib, a, b: a * b, "div": lambda lib, a, b: a / b,
    "pow": lambda lib, a, b: a ** b, "maximum": lambda lib, a, b: lib.maximum(a, b),
    "minimum": lambda lib, a, b: lib.minimum(a, b), "atan2": lambda lib, a, b: lib.atan2(a, b),
    "hypot": lambda lib, a, b: lib.hypot(a, b), "xlogy": lambda lib, a, b: lib.xlogy(a, b),
    "fmod": lambda lib, a, b: lib.fmod(a, b), "remainder": lambda lib, a, b: lib.remainder(a, b),
    "%": lambda lib, a, b: a % b, "//": lambda lib, a, b: (a // b).detach(),
    "div(rounding_mode='trunc')": lambda lib, a, b: lib.div(a, b, rounding_mode="trunc"),
}


def _unary(lib, name):
    if name in FUNCTIONAL and name not in METHODS:
        return getattr(lib.nn.functional, name)
    return lambda t: getattr(t, name)()


# Where a formula builds its result from terms larger than the result, a few ulps of those terms is what two math
# libraries may differ by, not a few ulps of the (smaller) result: its condition there.  tanh's slope 1 − tanh²x
# is 1 minus a number near 1 at large |x| (2.5e-5 at x = 6, from terms of size 1: an ulp of tanh 6 moves it by
# 1e-7, 0.5% of it); tanhshrink is x − tanh x, x³/3 near 0 from two terms of size |x|, and its slope is
# 1 − (1 − tanh²x).  Everywhere else the result is its own scale (the relative tolerance alone).
TERMS = {  # name: (the size of the value's terms, of the slope's terms), functions of x in float64; None: itself
    "tanh": (None, np.ones_like),
    "tanhshrink": (np.abs, np.ones_like),
}


def _assert_close(got, want, rtol, atol, what):
    """|got − want| ≤ atol + rtol·|want| element by element (atol may be one per element); NaN where want's is."""
    assert got.shape == want.shape, f"{what}: shape {got.shape}, PyTorch's {want.shape}"
    atol = np.broadcast_to(atol, got.shape)  # (not np.isclose: NumPy 1.x's takes no atol per element)
    g, w = got.astype(np.float64), want.astype(np.float64)  # (exactly: float32 and bool values are float64 ones)
    with np.errstate(invalid="ignore"):  # ∞ − ∞
        close = (g == w) | (np.isnan(g) & np.isnan(w)) | (np.abs(g - w) <= atol + rtol * np.abs(w))
    bad = np.flatnonzero(~close)
    assert bad.size == 0, f"{what}: {bad.size} of {got.size} not within rtol={rtol:g} and atol: " + "; ".join(
        f"[{i}] {got.flat[i]!r} here, PyTorch's {want.flat[i]!r}, atol {atol.flat[i]:g}" for i in bad[:5])


def _atol(dtype, terms, inputs):
    """The absolute tolerance each element gets: ``dtype``'s smallest normal number (PyTorch's float32 kernels
    flush what falls below it to 0, NumPy does not), and where the result is built from larger terms, four ulps
    of them (an ulp or two of tanh in each of two libraries); ±∞ and NaN inputs have exact results (no terms)."""
    tiny = np.finfo(dtype).tiny
    if terms is None:
        return tiny
    size = np.abs(terms(np.asarray(inputs[0], dtype=np.float64)))
    return tiny + ulps(dtype, 4) * np.where(np.isfinite(size), size, 0.0)


def _compare(tf, mf, inputs, dtype, grad_atol=None, terms=(None, None)):
    """Values equal (NaN where PyTorch's is NaN), then gradients of the sum, at the inputs that are numbers."""
    ts = [torch.tensor(v, dtype=getattr(torch, dtype), requires_grad=True) for v in inputs]
    ms = [minigan.tensor(np.array(v, dtype=dtype), requires_grad=True) for v in inputs]
    with np.errstate(all="ignore"), warnings.catch_warnings():  # NumPy warns of the ∞ and NaN PyTorch gives silently
        warnings.simplefilter("ignore", RuntimeWarning)
        warnings.simplefilter("ignore", UserWarning)  # (PyTorch's: "degrees of freedom is <= 0" for var of one)
        t_out, m_out = tf(*ts), mf(*ms)
        want, got = t_out.detach().numpy(), m_out.detach().numpy()
        assert got.dtype == want.dtype, f"dtype {got.dtype}, PyTorch's {want.dtype}"
        _assert_close(got, want, 2e-6 if dtype == "float32" else 1e-12, _atol(dtype, terms[0], inputs), "value")
        if not t_out.requires_grad:
            return
        t_out.sum().backward()
        m_out.sum().backward()
    numbers = ~np.any([np.isnan(np.array(v)) | ((np.array(v) == 0) & np.signbit(v)) for v in inputs], axis=0)
    atol = np.broadcast_to(_atol(dtype, terms[1], inputs) if grad_atol is None else grad_atol, numbers.shape)
    for t, m in zip(ts, ms):
        want = t.grad.detach().numpy() if t.grad is not None else np.zeros(len(inputs[0]))
        got = m.grad.detach().numpy() if m.grad is not None else np.zeros(len(inputs[0]))
        # (float64 to 1e-7: PyTorch's float64 hardsigmoid slope is the float32 number 1/6)
        _assert_close(got[numbers], want[numbers], 1e-5 if dtype == "float32" else 1e-7, atol[numbers], "gradient")


@pytest.mark.parametrize("name", sorted(set(METHODS + FUNCTIONAL)))
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_unary_function_at_special_values_is_pytorchs(name, dtype):
    _compare(_unary(torch, name), _unary(minigan, name), [VALUES], dtype, terms=TERMS.get(name, (None, None)))


@pytest.mark.parametrize("name", sorted(BINARY))
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_binary_function_at_pairs_of_special_values_is_pytorchs(name, dtype):
    pairs = [(x, y) for x in VALUES for y in VALUES]
    if dtype == "float32" and name in ("fmod", "remainder", "%"):
        # PyTorch's float32 kernel gives NaN where the quotient 1e30/1e-30 overflows; NumPy the exact remainder
        pairs.remove((1e30, 1e-30))
    if name == "pow":
        pairs = [(x, y) for x, y in pairs if not (x == 0 and y < 0)]
    a, b = (list(v) for v in zip(*pairs))
    f = BINARY[name]
    _compare(lambda x, y: f(torch, x, y), lambda x, y: f(minigan, x, y), [a, b], dtype)


VECTORS = {"ties": [2.0, 2.0, -1.0], "+inf": [INF, 1.0, -1.0], "-inf": [-INF, 1.0, 2.0],
           "both infinities": [INF, -INF, 1.0], "all -inf": [-INF, -INF, -INF],
           "zeros": [0.0, 0.0, 0.0], "one element": [3.0], "tiny": [1e-30, 2e-30, 0.0]}
REDUCTIONS = {
    "sum": lambda lib, t: t.sum(), "mean": lambda lib, t: t.mean(), "max": lambda lib, t: t.max(),
    "min": lambda lib, t: t.min(), "amax": lambda lib, t: t.amax(), "max(dim)": lambda lib, t: t.max(dim=0).values,
    "logsumexp": lambda lib, t: t.logsumexp(0), "softmax": lambda lib, t: t.softmax(0),
    "log_softmax": lambda lib, t: t.log_softmax(0), "softmin": lambda lib, t: lib.nn.functional.softmin(t, dim=0),
    "var": lambda lib, t: t.var(), "std": lambda lib, t: t.std(), "norm": lambda lib, t: t.norm(),
    "norm(1)": lambda lib, t: t.norm(1), "norm(inf)": lambda lib, t: t.norm(INF),
    "normalize": lambda lib, t: lib.nn.functional.normalize(t, dim=0),
    "mse_loss": lambda lib, t: lib.nn.functional.mse_loss(t, t.detach() * 0),
    "l1_loss": lambda lib, t: lib.nn.functional.l1_loss(t, t.detach() * 0),
    "smooth_l1_loss": lambda lib, t: lib.nn.functional.smooth_l1_loss(t, t.detach() * 0),
    "bce_with_logits": lambda lib, t: lib.nn.functional.binary_cross_entropy_with_logits(t, lib.ones_like(t) / 2),
    "cross_entropy": lambda lib, t: lib.nn.functional.cross_entropy(t.reshape(1, -1), lib.tensor([0])),
    "cosine_similarity": lambda lib, t: lib.nn.functional.cosine_similarity(t, lib.ones_like(t), dim=0),
    "layer_norm": lambda lib, t: lib.nn.functional.layer_norm(t, (t.shape[0],)),
}
# Left out, each measured: var and std of a vector holding ±∞ (NaN everywhere here; PyTorch's slope is ∓∞ at the
# finite elements), and binary_cross_entropy_with_logits at a logit of ±∞, where PyTorch's form,
# (1 − t)·x + max(−x, 0) + ..., and this one, max(x, 0) − t·x + log1p(e^−|x|), each compute ∞ − ∞ = NaN on one side
# (for a target of ½: NaN here at +∞, where PyTorch has ∞, and ∞ here at −∞, where PyTorch has NaN).
LEFT_OUT = {(name, vector) for name in ("var", "std", "bce_with_logits")
        for vector in ("+inf", "-inf", "both infinities", "all -inf")}


@pytest.mark.parametrize("name,vector", [(name, vector) for name in sorted(REDUCTIONS) for vector in sorted(VECTORS)
                                         if (name, vector) not in LEFT_OUT])
def test_reductions_and_losses_at_ties_infinities_and_zeros_are_pytorchs(name, vector):
    f = REDUCTIONS[name]
    _compare(lambda t: f(torch, t), lambda m: f(minigan, m), [VECTORS[vector]], "float64", grad_atol=1e-15)
