"""logspace against PyTorch: drawn bounds (numbers, 0-d tensors, NaN and ±∞), steps 0 to 40, bases (fractional,
below 1, negative, ∞) and dtypes.  float64 and the integer dtypes bit for bit; float32 within a unit of its last
place (PyTorch's float32 kernel rounds its exponents and powers in float32 arithmetic, minigan rounds once from
float64), and float64 too where NumPy's power is not the C library's pow (on AVX-512, SVML's: oracle.py,
numpy_power_is_libms); the refusals (bool, negative steps, 1-d bounds, bounds past an integer dtype) with PyTorch's
classes.
"""

from __future__ import annotations

import numpy as np
import pytest

import minigan

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

from pytorch.oracle import numpy_power_is_libms  # noqa: E402

DTYPES = [None, "float32", "float64", "int64", "int32", "int16", "uint8"]


def _draw(case):
    rng = np.random.default_rng(case)
    dtype = DTYPES[case % len(DTYPES)]
    integer = dtype is not None and "int" in dtype
    choices = [rng.normal() * 3, float(rng.integers(-3, 5)), 0.5] + ([] if integer else [np.nan, np.inf, -np.inf])
    start, end = (float(rng.choice(choices)) for _ in range(2))
    if integer:
        start, end = round(start), round(end)
        start, end = (abs(v) if dtype == "uint8" else v for v in (start, end))
    base = float(rng.choice([10.0, 2.0, 2.5, np.e, 0.5, -2.0] + ([] if integer else [np.inf])))
    return start, end, int(rng.integers(0, 41)), base, dtype


@pytest.mark.parametrize("case", range(120))
def test_values_against_pytorch(case):
    start, end, steps, base, dtype = _draw(case)
    kwargs = {} if dtype is None else {"dtype": dtype}
    tensor_bounds = case % 3 == 0  # 0-d tensors as bounds, a third of the time
    results = []
    for lib in (torch, minigan):
        bounds = (lib.tensor(start), lib.tensor(end)) if tensor_bounds else (start, end)
        kw = {k: getattr(lib, v) for k, v in kwargs.items()}
        results.append(lib.logspace(*bounds, steps, base=base, **kw).numpy())
    want, got = results
    assert got.dtype == want.dtype and got.shape == want.shape
    if got.dtype == np.float32 or got.dtype == np.float64 and not numpy_power_is_libms():  # (AVX-512: SVML's)
        np.testing.assert_array_max_ulp(got, want, maxulp=1)
        np.testing.assert_array_equal(np.isnan(got), np.isnan(want))
        return
    with np.errstate(all="ignore"):
        exact = got.dtype.kind == "f" or np.all(np.isfinite(base ** np.linspace(start, end, steps)))
    if exact:  # (an integer dtype: not where a power is NaN or ∞, which C++ casts to an integer as it likes)
        np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize("seed", range(8))
def test_float64_exponents_as_pytorchs_loop(seed):
    """PyTorch's logspace loop makes its exponents as linspace's kernel does, start + step·i and end − step·(steps −
    1 − i), but not fused: the product and the sum are rounded apart (linspace's fused values moved 27 of 412 drawn
    float64 logspaces a unit).  50 draws a seed, bit for bit where NumPy's power is the C library's."""
    rng = np.random.default_rng(seed)
    for _ in range(50):
        start, end = (float(v) for v in rng.normal(0, 4, 2))
        steps, base = int(rng.integers(2, 60)), float(rng.choice([10.0, 2.0, 0.5, 2.5, np.e, -2.0]))
        want, got = (lib.logspace(start, end, steps, base=base, dtype=lib.float64).numpy() for lib in (torch, minigan))
        if numpy_power_is_libms():
            np.testing.assert_array_equal(got, want, err_msg=f"{start!r}, {end!r}, {steps}, base={base}")
        else:
            np.testing.assert_array_max_ulp(got, want, maxulp=1)


def test_requires_grad_and_out():
    x = minigan.logspace(0, 2, 3, requires_grad=True)
    assert x.requires_grad and x.is_leaf
    out = minigan.empty(3)
    assert minigan.logspace(0, 2, 3, base=2, out=out) is out
    np.testing.assert_array_equal(out.numpy(), torch.logspace(0, 2, 3, base=2).numpy())


@pytest.mark.parametrize("call", [
    "logspace(0, 1, 3, dtype=lib.bool)", "logspace(0, 1, 2, dtype=lib.bool)", "logspace(0, 1, -1)",
    "logspace(lib.tensor([0.0, 1.0]), 1, 3)",
    "logspace(0, 300, 3, dtype=lib.uint8)", "logspace(0, 1, 2.5)",
])
def test_refusals_are_pytorchs(call):
    kinds = []
    for lib in (torch, minigan):
        with pytest.raises(Exception) as caught:
            eval(call, {"logspace": lib.logspace, "lib": lib})
        kinds.append(caught.type)
    assert issubclass(kinds[1], kinds[0]), kinds


@pytest.mark.parametrize("steps", [0, 1])
@pytest.mark.parametrize("start", [0.0, 1000.0, -1e400, float("nan"), 3])
def test_bool_with_no_kernel_to_run(start, steps):
    """One step or none makes its values without PyTorch's kernel, so bool is taken there (base**start, nonzero)."""
    got, want = (lib.logspace(start, 2.0, steps, base=0.5, dtype=lib.bool) for lib in (minigan, torch))
    assert got.tolist() == want.tolist() and str(got.dtype).split(".")[1] == "bool"
