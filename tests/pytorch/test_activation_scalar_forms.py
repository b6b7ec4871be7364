"""Every activation and op with a number argument (a bound, a slope, a threshold, α, β, λ), each number given in every
form PyTorch takes for it: a Python float or int, a NumPy float64, float32 or int64 scalar, a 0-d tensor that does not
require grad (PyTorch's Scalar reads its value); and in the forms it refuses: a 0-d tensor that requires grad, a tensor
of one entry (a TypeError).  Values NaN, ±∞, ±0, negative, beyond float32, an integer.  On float64, float32 and int64
inputs, through the function, its in-place form and its module: the outcome (PyTorch's exception class), the dtype,
the value, and for float64 the gradients to second order, against PyTorch.  Then, within minigan, a NumPy scalar
gives the very bits its Python number gives ("NumPy scalars are numbers everywhere").

Each tensor has 6 entries, so PyTorch's CPU kernels take their element-by-element path on every entry (docs/pytorch.md:
a NaN bound's gradient differs by position in longer tensors).
"""

import warnings

import numpy as np
import pytest

import minigan
import minigan.functional as MF
from pytorch.exception_oracle import builtin_class as _builtin
from pytorch.oracle import CLAMP_NAN_BOUND

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")
TF = torch.nn.functional
NAN, INF = float("nan"), float("inf")
X = [-INF, -2.5, -1.0, -0.0, 0.0, 0.3, 1.0, 6.0, 30.0, INF, NAN, -30.0]
NUMBERS = [NAN, INF, -INF, 0.0, -0.0, -1.5, 0.5, 2.0, 1e300, 3]


def _f(lib):
    return MF if lib is minigan else TF


# name -> call(lib, x, v): v in one argument's place, the others at ordinary values
CALLS = {
    "F.hardtanh(min_val)": lambda lib, x, v: _f(lib).hardtanh(x, v, 2.0),
    "F.hardtanh(max_val)": lambda lib, x, v: _f(lib).hardtanh(x, -2.0, v),
    "F.hardtanh_(min_val)": lambda lib, x, v: _f(lib).hardtanh_(x.clone(), v, 2.0),
    "nn.Hardtanh(min_val)": lambda lib, x, v: lib.nn.Hardtanh(v, 2.0)(x),
    "nn.Hardtanh(max_val)": lambda lib, x, v: lib.nn.Hardtanh(-2.0, v)(x),
    "clamp(min)": lambda lib, x, v: lib.clamp(x, v),
    "clamp(max)": lambda lib, x, v: lib.clamp(x, None, v),
    "clip(min, max)": lambda lib, x, v: lib.clip(x, v, 2.0),
    "Tensor.clamp_(max)": lambda lib, x, v: x.clone().clamp_(max=v),
    "clamp_min": lambda lib, x, v: lib.clamp_min(x, v),
    "Tensor.clamp_max": lambda lib, x, v: x.clamp_max(v),
    "F.threshold(threshold)": lambda lib, x, v: _f(lib).threshold(x, v, -2.0),
    "F.threshold(value)": lambda lib, x, v: _f(lib).threshold(x, 0.5, v),
    "F.threshold_(threshold)": lambda lib, x, v: _f(lib).threshold_(x.clone(), v, -2.0),
    "nn.Threshold(value)": lambda lib, x, v: lib.nn.Threshold(0.5, v)(x),
    "F.leaky_relu": lambda lib, x, v: _f(lib).leaky_relu(x, v),
    "F.leaky_relu_": lambda lib, x, v: _f(lib).leaky_relu_(x.clone(), v),
    "nn.LeakyReLU": lambda lib, x, v: lib.nn.LeakyReLU(v)(x),
    "F.softplus(beta)": lambda lib, x, v: _f(lib).softplus(x, v),
    "F.softplus(threshold)": lambda lib, x, v: _f(lib).softplus(x, 1.0, v),
    "nn.Softplus(beta)": lambda lib, x, v: lib.nn.Softplus(v)(x),
    "nn.Softplus(threshold)": lambda lib, x, v: lib.nn.Softplus(2.0, v)(x),
    "F.celu": lambda lib, x, v: _f(lib).celu(x, v),
    "nn.CELU": lambda lib, x, v: lib.nn.CELU(v)(x),
    "F.elu": lambda lib, x, v: _f(lib).elu(x, v),
    "F.elu_(scale)": lambda lib, x, v: _f(lib).elu_(x.clone(), 1.0, v),
    "nn.ELU": lambda lib, x, v: lib.nn.ELU(v)(x),
    "F.hardshrink": lambda lib, x, v: _f(lib).hardshrink(x, v),
    "nn.Hardshrink": lambda lib, x, v: lib.nn.Hardshrink(v)(x),
    "F.softshrink": lambda lib, x, v: _f(lib).softshrink(x, v),
    "nn.Softshrink": lambda lib, x, v: lib.nn.Softshrink(v)(x),
}


def _forms(number):
    """(form name, make(lib)) for each way of giving ``number``."""
    forms = [("Python", lambda lib: number), ("NumPy float64", lambda lib: np.float64(number)),
             ("0-d float64 tensor", lambda lib: lib.tensor(float(number), dtype=lib.float64))]
    if number != number or float(np.float32(number)) == number:
        forms.append(("NumPy float32", lambda lib: np.float32(number)))
    if isinstance(number, int):
        forms += [("NumPy int64", lambda lib: np.int64(number)), ("0-d int64 tensor", lambda lib: lib.tensor(number))]
    return forms


REFUSED_FORMS = [("0-d tensor requiring grad", lambda lib: lib.tensor(0.5, dtype=lib.float64, requires_grad=True)),
                 ("tensor of one entry", lambda lib: lib.tensor([0.5], dtype=lib.float64))]


def _run(lib, call, make, dtype):
    values = X if dtype != "int64" else [-3, -1, 0, 1, 2, 7]
    records = []
    for start in range(0, len(values), 6):
        chunk = values[start:start + 6]
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                leaf = lib.tensor(np.array(chunk, dtype=dtype), requires_grad=dtype == "float64")
                x = leaf * 1 if dtype == "float64" else leaf  # (not a leaf: the in-place forms may write it)
                y = call(lib, x, make(lib))
                record = ["ran", str(y.dtype).split(".")[-1], y.detach().numpy().astype(float)]
                if dtype == "float64" and y.requires_grad:
                    w = lib.tensor(np.linspace(0.5, 1.5, len(chunk)))
                    (g,) = lib.autograd.grad((y * w).sum(), leaf, create_graph=True)
                    gg = lib.autograd.grad((g * w).sum(), leaf, allow_unused=True)[0] if g.requires_grad else None
                    record += [g.detach().numpy().copy(), None if gg is None else gg.numpy().copy()]
        except Exception as e:  # noqa: BLE001 - a refusal is compared by its class
            record = ["raised", type(e), f"{type(e).__name__}: {str(e)[:120]}"]
        records.append(record)
    return records


def _differ(ours, theirs):
    if ours[0] != theirs[0]:
        return f"minigan {ours[0]} {ours[2] if ours[0] == 'raised' else ''} | PyTorch {theirs[0]} " \
               f"{theirs[2] if theirs[0] == 'raised' else ''}"
    if ours[0] == "raised":
        return None if issubclass(ours[1], _builtin(theirs[1])) else f"{ours[2]} | {theirs[2]}"
    if ours[1] != theirs[1]:
        return f"dtype {ours[1]} vs {theirs[1]}"
    rtol = 1e-5 if ours[1] == "float32" else 1e-12  # (float32: its last digits are NumPy's exp, log1p...)
    for what, a, b in zip(("value", "first-order gradient", "second-order gradient"), ours[2:], theirs[2:]):
        a = np.zeros_like(b) if a is None and b is not None else a
        b = np.zeros_like(a) if b is None and a is not None else b
        if a is not None and not np.allclose(a, b, rtol=rtol, atol=0, equal_nan=True):
            return f"{what} {a} vs {b}"
    return None


# clamp with one bound: a NaN bound gives NaN from PyTorch 2.12 on (2.11 ignores it), so NaN is a case of its own
ONE_BOUND = {"clamp(min)", "clamp(max)", "Tensor.clamp_(max)"}


def _cases():
    for name in sorted(CALLS):
        if name in ONE_BOUND:
            yield pytest.param(name, [n for n in NUMBERS if n == n], id=name)
            yield pytest.param(name, [NAN], id=f"{name}-nan", marks=CLAMP_NAN_BOUND)
        else:
            yield pytest.param(name, NUMBERS, id=name)


@pytest.mark.parametrize("name, numbers", list(_cases()))
def test_every_form_of_a_number_argument_does_what_pytorchs_does(name, numbers):
    found = []
    for number in numbers:
        for form, make in _forms(number) + REFUSED_FORMS * (number == 0.5):
            for dtype in ("float64", "float32", "int64"):
                for ours, theirs in zip(_run(minigan, CALLS[name], make, dtype),
                                        _run(torch, CALLS[name], make, dtype)):
                    what = _differ(ours, theirs)
                    if what:
                        found.append(f"{name} {form} {number!r} on {dtype}: {what}")
                        break
    assert not found, "\n".join(found[:10]) + f"\n({len(found)} differ)"


@pytest.mark.parametrize("name", sorted(CALLS))
def test_a_numpy_scalar_is_the_python_number_bit_for_bit(name):
    """Values and gradients equal to the last bit, ±0 included; a NaN's sign bit is no part of its value (NumPy
    1.24's SIMD loops give the same call's NaNs either sign, by the arrays' alignment: softplus's second-order
    gradient with a NaN beta, Python's NaN twice)."""
    found = []
    for number in NUMBERS:
        python = _run(minigan, CALLS[name], _forms(number)[0][1], "float64")
        for form, make in [f for f in _forms(number) if f[0].startswith("NumPy")]:
            other = _run(minigan, CALLS[name], make, "float64")
            for a, b in zip(python, other):
                same = a[0] == b[0] and (a[1] is b[1] if a[0] == "raised" else a[1] == b[1] and all(
                    (p is None and q is None) or (p is not None and q is not None and np.array_equal(p, q, True)
                                                  and np.array_equal(np.signbit(p) | np.isnan(p),
                                                                     np.signbit(q) | np.isnan(q)))
                    for p, q in zip(a[2:], b[2:])))
                if not same:
                    found.append(f"{name} {form} {number!r}: {a[:3]} vs {b[:3]}")
                    break
    assert not found, "\n".join(found[:10])


@pytest.mark.parametrize("door", ["F.hardtanh", "F.hardtanh(inplace=True)", "nn.Hardtanh"])
def test_hardtanhs_bounds_are_compared_as_given(door):
    """F.hardtanh refuses min_val > max_val, and nn.Hardtanh max_val <= min_val, comparing the arguments as given:
    NumPy compares np.float32(0.1) with the Python 0.1 in float32 (equal), so PyTorch runs, and its kernel then reads
    the bounds as numbers (0.10000000149 > 0.1: every value 0.1, gradient 0)."""
    calls = {"F.hardtanh": lambda lib, x, lo, hi: _f(lib).hardtanh(x, lo, hi),
             "F.hardtanh(inplace=True)": lambda lib, x, lo, hi: _f(lib).hardtanh(x.clone(), lo, hi, True),
             "nn.Hardtanh": lambda lib, x, lo, hi: lib.nn.Hardtanh(lo, hi)(x)}
    pairs = [(np.float32(0.1), 0.1), (0.1, np.float32(0.1)), (np.float32(0.1), np.float64(0.1)),
             (np.float32(0.3), 0.30000001), (np.float16(0.1), 0.1), (np.float32(-0.7), np.float32(-0.7))]
    found = []
    for lo, hi in pairs:
        def call(lib, x, _, lo=lo, hi=hi):
            return calls[door](lib, x, lo, hi)

        for dtype in ("float64", "float32"):
            ours, theirs = (_run(lib, call, lambda lib: None, dtype) for lib in (minigan, torch))
            for a, b in zip(ours, theirs):
                what = _differ(a, b)
                if what:
                    found.append(f"{door}({lo!r}, {hi!r}) on {dtype}: {what}")
                    break
    assert not found, "\n".join(found)
