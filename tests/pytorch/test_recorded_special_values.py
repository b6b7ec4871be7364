"""Every elementwise function at the special values (±0, ±1, ±∞, NaN, tiny and huge numbers) gives what PyTorch
gave: the value, and the gradient wherever the input is a number; and reductions and losses at ties, infinities
and zeros.  PyTorch's answers are read from tests/pytorch/pytorch_records/special_values.json
(tests/pytorch/record_pytorch.py runs the same programs on PyTorch), so this runs without PyTorch; where PyTorch is
installed, tests/pytorch/test_records_are_pytorchs.py checks that the record is what PyTorch gives (within the same
tolerances).

Not compared: the gradient at a NaN input (the loss is NaN already, and PyTorch's masks decide it one function
at a time: relu passes the gradient, leaky_relu multiplies it by the slope, hardsigmoid drops it), and the sign of
an infinite slope at −0. And one difference: d(a^b)/db at a = 0 with b < 0, where a^b is ∞ already, is NaN here
and −∞ in PyTorch."""

import math
import warnings

import numpy as np
import pytest
from conftest import ulps

from pytorch import record_pytorch

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




def _program(f, inputs, dtype):
    """f's value at the inputs and, where it requires grad, the gradients of its sum (zeros where none flows)."""
    def program(torch):
        ts = [torch.tensor(np.array(v, dtype=dtype), requires_grad=True) for v in inputs]
        with np.errstate(all="ignore"), warnings.catch_warnings():  # NumPy warns of the ∞ and NaN PyTorch gives
            warnings.simplefilter("ignore", RuntimeWarning)
            warnings.simplefilter("ignore", UserWarning)  # (PyTorch's: "degrees of freedom is <= 0" for var of one)
            out = f(torch, *ts)
            value = out.detach().numpy().copy()
            if not out.requires_grad:
                return dict(value=value, grads=None)
            out.sum().backward()
        return dict(value=value, grads=[t.grad.detach().numpy().copy() if t.grad is not None
                                        else np.zeros(len(inputs[0])) for t in ts])
    return program


def _unary(name):
    if name in FUNCTIONAL and name not in METHODS:
        return lambda lib, t: getattr(lib.nn.functional, name)(t)
    return lambda lib, t: getattr(t, name)()


def _pairs(name, dtype):
    pairs = [(x, y) for x in VALUES for y in VALUES]
    if dtype == "float32" and name in ("fmod", "remainder", "%"):
        # PyTorch's float32 kernel gives NaN where the quotient 1e30/1e-30 overflows; NumPy the exact remainder
        pairs.remove((1e30, 1e-30))
    if name == "pow":
        pairs = [(x, y) for x, y in pairs if not (x == 0 and y < 0)]
    return [list(v) for v in zip(*pairs)]


# case: (the function of (library, *tensors), its inputs, dtype, gradient atol or None, TERMS' entry)
CASES = {}
for _dtype in ["float32", "float64"]:
    for _name in sorted(set(METHODS + FUNCTIONAL)):
        CASES[f"{_name} {_dtype}"] = (_unary(_name), [VALUES], _dtype, None, TERMS.get(_name, (None, None)))
    for _name in sorted(BINARY):
        CASES[f"{_name} {_dtype} pairs"] = (BINARY[_name], _pairs(_name, _dtype), _dtype, None, (None, None))
for _name in sorted(REDUCTIONS):
    for _vector in sorted(VECTORS):
        if (_name, _vector) not in LEFT_OUT:
            CASES[f"{_name} of {_vector}"] = (REDUCTIONS[_name], [VECTORS[_vector]], "float64", 1e-15, (None, None))
PROGRAMS = {case: _program(f, inputs, dtype) for case, (f, inputs, dtype, _, _) in CASES.items()}
RECORD = record_pytorch.load("special_values")


def _atol(dtype, terms, inputs):
    """The absolute tolerance each element gets: ``dtype``'s smallest normal number (PyTorch's float32 kernels
    flush what falls below it to 0, NumPy does not), and where the result is built from larger terms, four ulps
    of them (an ulp or two of tanh in each of two libraries); ±∞ and NaN inputs have exact results (no terms)."""
    tiny = np.finfo(dtype).tiny
    if terms is None:
        return tiny
    size = np.abs(terms(np.asarray(inputs[0], dtype=np.float64)))
    return tiny + ulps(dtype, 4) * np.where(np.isfinite(size), size, 0.0)


def COMPARE(case, pytorchs, minigans):
    """Values equal (NaN where PyTorch's is NaN) and of PyTorch's dtype, then the gradients of the sum at the inputs
    that are numbers; both answers in the harness's plain form."""
    _, inputs, dtype, grad_atol, terms = CASES[case]
    if minigans[0] != "dict":
        return [f"minigan: {str(minigans)[:300]}"]
    want, got = pytorchs[1], minigans[1]
    try:
        assert got["value"][2] == want["value"][2], f"dtype {got['value'][2]}, PyTorch's {want['value'][2]}"
        _assert_close(got["value"][3], want["value"][3], 2e-6 if dtype == "float32" else 1e-12,
                      _atol(dtype, terms[0], inputs), "value")
        if want["grads"][0] != "list":  # (PyTorch's result requires no grad)
            return []
        assert got["grads"][0] == "list", "minigan's result requires no grad, PyTorch's does"
        numbers = ~np.any([np.isnan(np.array(v)) | ((np.array(v) == 0) & np.signbit(v)) for v in inputs], axis=0)
        atol = np.broadcast_to(_atol(dtype, terms[1], inputs) if grad_atol is None else grad_atol, numbers.shape)
        for g, w in zip(got["grads"][1], want["grads"][1], strict=True):
            # (float64 to 1e-7: PyTorch's float64 hardsigmoid slope is the float32 number 1/6)
            _assert_close(g[3][numbers], w[3][numbers], 1e-5 if dtype == "float32" else 1e-7, atol[numbers],
                          "gradient")
    except AssertionError as e:
        return [str(e)]
    return []


@pytest.mark.parametrize("case", list(PROGRAMS))
def test_gives_what_pytorch_gave(case):
    assert case in RECORD["records"], "no record: run python tests/pytorch/record_pytorch.py special_values"
    differences = record_pytorch.program_differences(PROGRAMS[case], RECORD["records"][case],
                                                     lambda pytorchs, minigans: COMPARE(case, pytorchs, minigans))
    assert not differences, "\n".join(differences)


def test_every_program_is_recorded_and_every_record_is_a_program():
    assert set(RECORD["records"]) == set(PROGRAMS)
