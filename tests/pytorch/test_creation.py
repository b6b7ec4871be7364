"""The creation doors against PyTorch (tests/pytorch/sweep.py):

* arange and the deprecated range counted as PyTorch's kernels count: the sign and bounds checked on the numbers as
  given (a NumPy scalar is the number it holds), then start, end and step read in the kernel's accumulating type
  (int64 for every integer dtype, truncated: arange(0.5, 3.7, dtype=int64) is [0, 1, 2], a step below 1 in size is
  refused; a negative value wraps in uint8), range's count ⌊(end − start) / step + 1⌋ with the + 1 before the
  rounding down (range(0.1, 0.3, 0.1) has 3 values); refusals (a step of 0 or NaN, a bound not finite, an end on the
  wrong side, a length past int64 or memory, a number int64 cannot hold, no kernel for the dtype) of PyTorch's class,
  arange's as minigan's own one-line error, never NumPy's ValueError or OverflowError;
* linspace bit for bit: PyTorch's CPU kernel computes start + step·i (the first half) and end − step·(steps − 1 − i)
  (the second) each in one fused multiply-add in the dtype's own arithmetic (an integer dtype's in float64, then
  truncated), where NumPy's two roundings differ in the last place (torch.histogram's bin edges are that linspace:
  test_histogram.py); start and end read in its dtype (past float16's 65504 a RuntimeError from two steps on), more
  steps than int64 or memory holds refused, bool with no kernel to run for two steps or more;
* logspace: float64 and integer dtypes bit for bit (float32, and float64 where NumPy's power is not the C library's
  pow, within a unit in the last place: PyTorch's float32 kernel rounds in float32), its loop's exponents rounded
  apart (not fused as linspace's); an integer dtype checks the bounds it reads (two steps: both; one step: the power
  base**start it fills in, found by surface program 11733515); bool only where no kernel runs;
* every factory with PyTorch's documented keywords (dtype=, requires_grad=, device=, layout=, pin_memory=False), and
  every door that makes a tensor of a size it is given, asked for more than memory or int64 holds: PyTorch's class
  as minigan's own one-line error (NumPy's ValueError "array is too big" and MemoryError leaked);
* the legacy constructors: a torch.Size is sizes where a tuple or list is data (``torch.FloatTensor(std.size())``, a
  VAE tutorial's noise), ``x.new``, ``resize_`` and ``resize_as_``, and the pre-0.4 idiom that zeroes a gradient as
  ``Variable(p.grad.data.new().resize_as_(p.grad.data).zero_())`` (torch-free tests: tests/library/
  test_legacy_new_resize.py);
* the warnings of a tensor built from another's memory: ``x.new_tensor(t)`` of a tensor, ``from_numpy``/
  ``as_tensor``/``asarray`` of a read-only array; none for a writable array, a list or a copy.
"""

import itertools
import math
import warnings

import numpy as np
import pytest

from pytorch.oracle import numpy_power_is_libms, pytorch_since
from pytorch.sweep import bits, close, sweep

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

import minigan  # noqa: E402

inf, nan = math.inf, math.nan


def _dtyped(L, dtype):
    return {} if dtype is None else {"dtype": getattr(L, dtype)}


def _own_one_line(ours, theirs):
    """A refusal is minigan's own error, in one line."""
    if isinstance(ours, Exception) and ("\n" in str(ours) or not type(ours).__module__.startswith("minigan")):
        return f"not minigan's own one-line error: {type(ours).__module__}.{type(ours).__name__}: {ours}"


# ------------------------------------------------------------------------------------------------ arange and range
def _counted(L, fn, args, dtype):
    return close(getattr(L, fn)(*args, **_dtyped(L, dtype)), 1e-6, 1e-8)  # (np.allclose's atol)


def _too_long(args, integer=False):
    """A range PyTorch would allocate (10^6 values up to int64's limit: left out, for memory), or, counted in an
    integer dtype, with a step read as 0 (PyTorch before 2.13 dies of SIGFPE)."""
    if len(args) < 3:
        return False
    start, end, step = (float(v) for v in args)
    with np.errstate(all="ignore"):
        length = abs(np.float64(end) - np.float64(start)) / abs(np.float64(step)) if step else 0.0
    return 1e6 < length <= 2.0**63 or integer and 0 < abs(step) < 1


STEP_TRUNCATED_TO_0 = pytorch_since("2.13", "an int64 step that truncates to 0 is refused; 2.11 and 2.12 die of "
                                            "SIGFPE")
INTEGERS = ["int64", "int32", "int16", "int8", "uint8"]
# the refusals' numbers; PyTorch's int64 kernel's truncation; range's count (NumPy scalars too)
STARTS = [0, 1, -1, 2.5, nan, inf, 1e20, True]
ENDS = [0, 1, -1, 2.5, -2.5, nan, inf, -inf, 1e20, -1e20, 2**63, True, False]
STEPS = [1, -1, 0, 0.5, -0.5, nan, inf, -inf, 1e-300, 1e20, 2**62, 2**63, True, False]
DTYPES = [None, "int64", "int32", "int8", "uint8", "float32", "float64", "float16", "bool"]
TRUNCATED = [0, 0.5, 1.5, -0.5, -2.7, 3.7, 2, 5, -1], [1, 0.5, -1, 2.5, -0.7, 3]
COUNTED = ([0, 0.1, -0.5, 1, 2.5, np.float32(0.1), np.float16(0.1), np.int64(250), 250, 1e10],
           [0.3, 0.7, 1.0, 2.5, 3, -1, 260, 1e11, np.float32(0.3), np.float64(0.7), np.int32(3)],
           [0.1, 0.2, 1, -1, 3, -0.1, np.float32(0.1), np.float16(0.2), np.int64(1), 1e9, 1e10])
COUNT_DTYPES = [None, "float64", "float32", "float16", "int64", "int32", "int8", "uint8"]


def _integer(args, dtype):
    return dtype in INTEGERS or dtype is None and all(isinstance(v, (int, np.integer)) for v in args)


def _ranges(fn, products):
    cases = []
    for dtype, numbers in products:
        for args in numbers:
            if fn == "range" and _too_long(args, _integer(args, dtype)) or fn == "arange" and _too_long(args):
                continue
            truncated = dtype == "int64" and len(args) == 3 and isinstance(args[2], (float, np.floating)) \
                and 0 < abs(args[2]) < 1
            cases.append(pytest.param(fn, args, dtype, marks=[STEP_TRUNCATED_TO_0] if truncated else []))
    return cases


test_arange_as_pytorchs = sweep(_counted, _ranges("arange", [
    *((d, itertools.product(STARTS, ENDS, STEPS)) for d in DTYPES),
    *((d, [(e,) for e in ENDS] + list(itertools.product(STARTS, ENDS))) for d in DTYPES),
    *((d, [(0, 2.0**62), (0, 2**62), (-2**62, 2**62, 1), (0, 2**62, 1.0)]) for d in [None, "int8"]),  # past memory
    *((d, itertools.product(*COUNTED)) for d in COUNT_DTYPES if d != "float16")]),  # (float16: vector blocks)
    group=lambda fn, args, dtype: f"{dtype}-{len(args)}-{args[-1]!r}", also=_own_one_line,
    cover=[lambda fn, args, dtype: dtype, lambda fn, args, dtype: len(args)])
test_arange_truncates_as_pytorchs_kernel = sweep(_counted, _ranges("arange", [
    (d, itertools.product(TRUNCATED[0], TRUNCATED[0], TRUNCATED[1])) for d in INTEGERS + ["float32", "float64"]]),
    group=lambda fn, args, dtype: dtype)
test_range_counts_and_refuses_as_pytorchs = sweep(_counted, _ranges("range", [
    *((d, itertools.product(STARTS, ENDS, STEPS)) for d in [None, "float64", "float16"]),
    *((d, itertools.product(*COUNTED)) for d in COUNT_DTYPES)]),
    group=lambda fn, args, dtype: f"{dtype}-{args[-1]!r}", cover=[lambda fn, args, dtype: dtype])
test_an_int_argument_past_int64_is_pytorchs_value_error = sweep(lambda L, door: {
    "eye": lambda: L.eye(2**63), "eye m": lambda: L.eye(2, 2**63), "randperm": lambda: L.randperm(2**63),
    "randint high": lambda: L.randint(2**63, (2,)), "randint low": lambda: L.randint(-2**63 - 1, 0, (2,))}[door](),
    ["eye", "eye m", "randperm", "randint high", "randint low"])


# ------------------------------------------------------------------------------------------------------- linspace
LINSPACE_DTYPES = ["float64", "float32", None, "int64", "int32", "int16", "uint8"]


def _drawn_linspace(L, case):
    rng = np.random.default_rng(case)
    dtype = LINSPACE_DTYPES[case % len(LINSPACE_DTYPES)]
    scale = 10.0 ** rng.integers(-4, 5, size=2)
    start, end = (float(v) for v in rng.normal(size=2) * scale)
    if case % 11 == 0:
        start, end = float(rng.choice([np.nan, np.inf, -np.inf, 0.0, -0.0])), end
    if case % 13 == 0:
        start, end = start, float(rng.choice([np.inf, -np.inf, -0.0, start]))
    if dtype is not None and "int" in dtype:
        start, end = (float(np.round(v)) if np.isfinite(v) else 3.0 for v in (start, end))
        if dtype == "uint8":
            start, end = abs(start) % 200, abs(end) % 200
        if dtype == "int16":
            start, end = start % 30000, -(end % 30000)
    steps = int(rng.choice([0, 1, 2, 3, 5, 8, 9, 16, 17, 33, 100, 101, 257, int(rng.integers(2, 3000))]))
    bounds = (L.tensor(start, dtype=L.float64), L.tensor(end, dtype=L.float64)) if case % 3 == 0 else (start, end)
    return bits(L.linspace(*bounds, steps, **_dtyped(L, dtype)))


test_linspace_bit_for_bit = sweep(_drawn_linspace, range(400))
test_linspace_of_bools_as_pytorchs = sweep(
    lambda L, steps, start, end: L.linspace(start, end, steps, dtype=L.bool),
    [(steps, *c) for steps in [0, 1, 2, 3, -1] for c in itertools.product([0, 1, 2, -1, 0.5, inf, nan], [0, 1, 3])],
    group=lambda steps, start, end: steps)
test_linspace_reads_its_bounds_in_its_dtype_and_refuses_steps_past_memory = sweep(
    lambda L, args, dtype: close(L.linspace(*args, **_dtyped(L, dtype)), 1e-6, 1e-8), [
        *(((*bounds, steps), dtype) for dtype, steps in itertools.product(["float16", "float32", "float64"],
                                                                          [0, 1, 2, 5])
          for bounds in itertools.product([0, 65504.0, 65519.0, 1e5, -1e5, 1e39, inf, nan], [1, 1e5, -65520.0, 2.5])),
        *(((*bounds, steps), dtype) for steps in [2**63, -2**63 - 1, 2**62, 2**62 + 1]
          for dtype in [None, "int64", "int8", "float16"] for bounds in [(0, 1), (0.5, -2.5)])],
    group=lambda args, dtype: f"{dtype}-{args[2]}")


# ------------------------------------------------------------------------------------------------------- logspace
LOGSPACE_DTYPES = [None, "float32", "float64", "int64", "int32", "int16", "uint8"]


def _draw_logspace(case):
    rng = np.random.default_rng(case)
    dtype = LOGSPACE_DTYPES[case % len(LOGSPACE_DTYPES)]
    integer = dtype is not None and "int" in dtype
    choices = [rng.normal() * 3, float(rng.integers(-3, 5)), 0.5] + ([] if integer else [np.nan, np.inf, -np.inf])
    start, end = (float(rng.choice(choices)) for _ in range(2))
    if integer:
        start, end = round(start), round(end)
        start, end = (abs(v) if dtype == "uint8" else v for v in (start, end))
    base = float(rng.choice([10.0, 2.0, 2.5, np.e, 0.5, -2.0] + ([] if integer else [np.inf])))
    return start, end, int(rng.integers(0, 41)), base, dtype


@pytest.mark.parametrize("case", range(120))
def test_logspace_values_against_pytorch(case):
    start, end, steps, base, dtype = _draw_logspace(case)
    want, got = (L.logspace(*((L.tensor(start), L.tensor(end)) if case % 3 == 0 else (start, end)), steps,
                            base=base, **_dtyped(L, dtype)).numpy() for L in (torch, minigan))
    assert got.dtype == want.dtype and got.shape == want.shape
    if got.dtype == np.float32 or got.dtype == np.float64 and not numpy_power_is_libms():  # (AVX-512: SVML's)
        np.testing.assert_array_max_ulp(got, want, maxulp=1)
        np.testing.assert_array_equal(np.isnan(got), np.isnan(want))
        return
    with np.errstate(all="ignore"):  # (an integer dtype: not where a power is NaN or ∞, cast as C++ likes)
        if got.dtype.kind == "f" or np.all(np.isfinite(base ** np.linspace(start, end, steps))):
            np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize("seed", range(8))
def test_logspace_float64_exponents_as_pytorchs_loop(seed):
    """start + step·i and end − step·(steps − 1 − i), the product and the sum rounded apart (linspace's fused values
    moved 27 of 412 drawn float64 logspaces a unit): 50 draws a seed."""
    rng = np.random.default_rng(seed)
    for _ in range(50):
        start, end = (float(v) for v in rng.normal(0, 4, 2))
        steps, base = int(rng.integers(2, 60)), float(rng.choice([10.0, 2.0, 0.5, 2.5, np.e, -2.0]))
        want, got = (L.logspace(start, end, steps, base=base, dtype=L.float64).numpy() for L in (torch, minigan))
        np.testing.assert_array_max_ulp(got, want, maxulp=0 if numpy_power_is_libms() else 1)


def test_logspace_requires_grad_and_out():
    x = minigan.logspace(0, 2, 3, requires_grad=True)
    assert x.requires_grad and x.is_leaf
    out = minigan.empty(3)
    assert minigan.logspace(0, 2, 3, base=2, out=out) is out
    np.testing.assert_array_equal(out.numpy(), torch.logspace(0, 2, 3, base=2).numpy())


test_logspace_refuses_as_pytorch = sweep(lambda L, call: eval(call, {"L": L}), [  # noqa: S307 (the table's own)
    "L.logspace(0, 1, 3, dtype=L.bool)", "L.logspace(0, 1, 2, dtype=L.bool)", "L.logspace(0, 1, -1)",
    "L.logspace(L.tensor([0.0, 1.0]), 1, 3)", "L.logspace(0, 300, 3, dtype=L.uint8)", "L.logspace(0, 1, 2.5)"])
test_logspace_of_bools_with_no_kernel_to_run = sweep(
    lambda L, start, steps: L.logspace(start, 2.0, steps, base=0.5, dtype=L.bool),
    list(itertools.product([0.0, 1000.0, -1e400, nan, 3], [0, 1])))
LOG_BOUNDS = [1.25, nan, inf, -inf, 1e30, -1.0, 300.0, 2]
test_logspace_reads_the_bounds_it_makes = sweep(
    lambda L, start, end, steps, dtype: L.logspace(start, end, steps, dtype=getattr(L, dtype)),
    list(itertools.product(LOG_BOUNDS, LOG_BOUNDS, [0, 1, 2, 3], ["int64", "int32", "uint8", "float64"])), every=23)


# ------------------------------------------------------------------------------ factories' keywords, sizes past memory
FACTORIES = {
    "zeros": lambda T, **k: T.zeros(2, **k), "ones": lambda T, **k: T.ones(2, 1, **k),
    "empty": lambda T, **k: T.empty(2, **k), "full": lambda T, **k: T.full((2,), 1.0, **k),
    "eye": lambda T, **k: T.eye(2, 3, **k), "arange": lambda T, **k: T.arange(3.0, **k),
    "range": lambda T, **k: T.range(0, 3, **k), "linspace": lambda T, **k: T.linspace(0, 3, 4, **k),
    "logspace": lambda T, **k: T.logspace(0, 3, 4, **k), "randint low high": lambda T, **k: T.randint(0, 3, (2,), **k),
    "randint high": lambda T, **k: T.randint(3, (2, 2), **k), "randperm": lambda T, **k: T.randperm(3, **k),
    "rand": lambda T, **k: T.rand(2, **k), "randn": lambda T, **k: T.randn(2, **k),
    "normal": lambda T, **k: T.normal(0.0, 1.0, (2,), **k),
    "zeros_like": lambda T, **k: T.zeros_like(T.ones(2, 3), **k),
    "ones_like": lambda T, **k: T.ones_like(T.ones(2), **k), "empty_like": lambda T, **k: T.empty_like(T.ones(2), **k),
    "full_like": lambda T, **k: T.full_like(T.ones(2), 1, **k),
    "rand_like": lambda T, **k: T.rand_like(T.ones(2), **k),
    "randn_like": lambda T, **k: T.randn_like(T.ones(2), **k), "scalar_tensor": lambda T, **k: T.scalar_tensor(1, **k),
    "scalar_tensor float": lambda T, **k: T.scalar_tensor(2.5, **k),
    "new_zeros": lambda T, **k: T.ones(2).new_zeros(2, **k), "new_ones": lambda T, **k: T.ones(2).new_ones(2, **k),
    "new_full": lambda T, **k: T.ones(2).new_full((2,), 1, **k),
    "new_empty": lambda T, **k: T.ones(2).new_empty(2, **k),
}
NO_PIN = {"zeros_like", "ones_like", "empty_like", "full_like", "rand_like", "randn_like", "new_zeros", "new_ones",
          "new_full", "new_empty", "range", "arange", "linspace", "logspace"}
KEYWORDS = {
    "float64 requiring grad": lambda T: dict(dtype=T.float64, requires_grad=True),
    "float32 requiring grad": lambda T: dict(dtype=T.float32, requires_grad=True),
    "int64 requiring grad": lambda T: dict(dtype=T.int64, requires_grad=True),
    "int32 requiring grad": lambda T: dict(dtype=T.int32, requires_grad=True),
    "bool requiring grad": lambda T: dict(dtype=T.bool, requires_grad=True),
    "requires_grad=False": lambda T: dict(requires_grad=False), "device cpu": lambda T: dict(device="cpu"),
    "layout strided": lambda T: dict(layout=T.strided), "pin_memory False": lambda T: dict(pin_memory=False),
    "int32": lambda T: dict(dtype=T.int32),
}


def _made(L, factory, keywords):
    """(Found by a program of corpus_autograd.py: randint(..., dtype=float64, requires_grad=True) was refused,
    scalar_tensor took no requires_grad=, layout= or pin_memory=, range refused layout=strided, its default.)"""
    made = FACTORIES[factory](L, **KEYWORDS[keywords](L))
    return str(made.dtype).split(".")[-1], tuple(made.shape), made.requires_grad, made.is_leaf


test_factory_keywords_as_pytorch = sweep(_made, [(f, k) for f in FACTORIES for k in KEYWORDS
                                                 if not (k == "pin_memory False" and f in NO_PIN)])
# Every size past what an address space maps (2**57 entries and more: no door allocates, whatever the overcommit
# policy), and sizes of no entries, which both make
SIZES = [(2**57,), (2**57, 3), (2**62,), (2**63 - 1,), (2**58, 2**10), (2**60, 2**30), (0, 2**62, 2**62)]


def _doors(L, size, dtype):
    dt = getattr(L, dtype)
    t = L.zeros(2, dtype=dt)
    big = lambda: t[:1].reshape((1,) * len(size)).expand(*size)  # (an expanded tensor of that size takes no memory)
    doors = {
        "zeros": lambda: L.zeros(size, dtype=dt), "zeros(*size)": lambda: L.zeros(*size, dtype=dt),
        "ones": lambda: L.ones(*size, dtype=dt), "empty": lambda: L.empty(size, dtype=dt),
        "empty(size=)": lambda: L.empty(size=size, dtype=dt), "full": lambda: L.full(size, 1, dtype=dt),
        "new_zeros": lambda: t.new_zeros(size), "new_ones": lambda: t.new_ones(*size),
        "new_empty": lambda: t.new_empty(size), "new_full": lambda: t.new_full(size, 1),
        "zeros_like": lambda: L.zeros_like(big()), "ones_like": lambda: L.ones_like(big()),
        "empty_like": lambda: L.empty_like(big()), "full_like": lambda: L.full_like(big(), 1),
        "eye(n)": lambda: L.eye(size[0], dtype=dt), "eye(n, m)": lambda: L.eye(size[0], size[-1], dtype=dt),
        "randperm": lambda: L.randperm(size[0]),
    }
    if dtype.startswith("float"):
        doors.update({"rand": lambda: L.rand(size, dtype=dt), "randn": lambda: L.randn(*size, dtype=dt),
                      "rand_like": lambda: L.rand_like(big()), "randn_like": lambda: L.randn_like(big()),
                      "normal": lambda: L.normal(0.0, 1.0, size, dtype=dt)})
    if dtype == "int64":
        doors["randint"] = lambda: L.randint(0, 3, size)
    if dtype == "float32":
        doors.update({"Tensor(*size)": lambda: L.Tensor(*size), "FloatTensor(*size)": lambda: L.FloatTensor(*size),
                      "new(*size)": lambda: t.new(*size)})
    if math.prod(max(n, 1) for n in size) * t.element_size() >= 2**63:  # (NumPy has no view of more bytes than
        doors = {k: v for k, v in doors.items() if "_like" not in k}    # int64 counts: expand refuses it)
    if size[0] == 0:  # (eye(0, 2**62): PyTorch's has no entries and a stride of 2**62; NumPy has no such array)
        doors.pop("eye(n, m)")
    return doors


def _past_memory(L, door, size, dtype):
    made = _doors(L, size, dtype)[door]()
    return tuple(made.shape), str(made.dtype).split(".")[-1]


test_a_size_past_memory_is_refused_with_pytorchs_class = sweep(_past_memory,
    [(door, size, dtype) for size, dtype in itertools.product(SIZES, ["float64", "float32", "bool", "int64", "uint8"])
     for door in _doors(torch, size, dtype)], every=5, also=_own_one_line)


# --------------------------------------------------------------------------------------------- legacy constructors
def _legacy(L, call, dtype):
    x, r = L.ones(2, 3, dtype=getattr(L, dtype)), L.arange(6, dtype=getattr(L, dtype))
    made = {"new()": lambda: x.new(), "new(list)": lambda: x.new([1, 2]), "new(tuple)": lambda: x.new((2, 3)),
            "new(nested)": lambda: x.new([[1.5, 2], [3, 4]]), "new(number)": lambda: x.new(2.5),  # (a TypeError)
            "new(*sizes)": lambda: x.new(2, 3), "new(size)": lambda: x.new(L.Size([2, 5])), "new(0)": lambda: x.new(0),
            "resize_(3, 2)": lambda: r.resize_(3, 2), "resize_((3, 2))": lambda: r.resize_((3, 2)),
            "resize_ fewer": lambda: r.resize_(2, 2), "resize_as_": lambda: r.resize_as_(L.ones(2, 3)),
            "resize_(6)": lambda: r.resize_(6), "resize_(-1)": lambda: L.ones(2, 2).resize_(-1),
            "resize_ requiring grad": lambda: L.ones(2, requires_grad=True).resize_(3)}[call]()
    if call in ("new(*sizes)", "new(size)", "new(0)"):  # (the values are uninitialised)
        return tuple(made.shape), str(made.dtype).split(".")[-1], str(made.device), made.requires_grad
    return made


def _legacy_message(ours, theirs):
    if "require grad" in str(theirs) and "cannot resize variables that require grad" not in str(ours):
        return "not PyTorch's message"
    return _own_one_line(ours, theirs) if isinstance(ours, Exception) and "\n" in str(ours) else None


test_new_and_resize_as_pytorch = sweep(_legacy, list(itertools.product(
    ["new()", "new(list)", "new(tuple)", "new(nested)", "new(number)", "new(*sizes)", "new(size)", "new(0)",
     "resize_(3, 2)", "resize_((3, 2))", "resize_ fewer", "resize_as_", "resize_(6)", "resize_(-1)",
     "resize_ requiring grad"], ["float64", "float32", "int64"])), also=_legacy_message)


def _zeroed_by_the_old_idiom(L):
    """Three steps, the gradient reset between them as the old GAN and VAE programs did."""
    w, x = L.tensor(np.random.default_rng(0).standard_normal((3, 2)), requires_grad=True), \
        L.tensor(np.random.default_rng(1).standard_normal((4, 3)))
    zeroed = []
    for _ in range(3):
        (x @ w).pow(2).mean().backward()
        w.data -= 0.1 * w.grad.data
        data = w.grad.data
        w.grad = L.autograd.Variable(data.new().resize_as_(data).zero_())
        zeroed.append((w.grad.abs().sum().item(), tuple(w.grad.shape), w.grad.requires_grad))
    return close(w.detach(), 1e-12), zeroed


test_the_old_zero_grad_idiom_trains_as_in_pytorch = sweep(_zeroed_by_the_old_idiom, [()], ids=lambda: "3 steps")


def _sized(L, name, shape, how):
    x = L.zeros(*shape) if shape else L.zeros(())
    out = {"size": lambda: getattr(L, name)(x.size()), "tuple": lambda: getattr(L, name)(tuple(x.size()) or (1,)),
           "new": lambda: x.new(x.size())}[how]()
    return tuple(out.shape), str(out.dtype).split(".")[-1]


test_a_size_is_sizes_and_a_tuple_is_data_as_pytorch = sweep(_sized, [
    (name, shape, how) for name in ["Tensor", "FloatTensor", "DoubleTensor", "LongTensor", "IntTensor", "ByteTensor",
                                    "BoolTensor"] for shape in [(2, 3), (4,), (0,), (1, 2, 3)]
    for how in ["size", "tuple", "new"] if how != "new" or name == "Tensor"])


def test_the_vae_tutorials_noise():
    std = minigan.ones(128, 20) * 0.5
    assert tuple(minigan.FloatTensor(std.size()).normal_().mul(std).shape) == (128, 20)


# ---------------------------------------------------------------------------------- warnings of memory built upon
def _readonly(dtype):
    a = np.arange(6, dtype=dtype).reshape(2, 3)
    a.setflags(write=False)
    return a


BUILDS = {
    "new_tensor of a tensor": lambda T, d: T.ones(2).new_tensor(T.ones(3, dtype=getattr(T, d))),
    "new_tensor of a tensor requiring grad": lambda T, d: T.ones(2).new_tensor(T.ones(3, requires_grad=True)),
    "new_tensor of a list": lambda T, d: T.ones(2).new_tensor([1, 2]),
    "new_tensor of an array": lambda T, d: T.ones(2).new_tensor(np.ones(2, dtype=d)),
    "tensor of a tensor": lambda T, d: T.tensor(T.ones(3, dtype=getattr(T, d))),
    "from_numpy read-only": lambda T, d: T.from_numpy(_readonly(d)),
    "from_numpy read-only view": lambda T, d: T.from_numpy(_readonly(d)[:, 1:]),
    "from_numpy writable": lambda T, d: T.from_numpy(np.ones(3, dtype=d)),
    "as_tensor read-only": lambda T, d: T.as_tensor(_readonly(d)),
    "asarray read-only": lambda T, d: T.asarray(_readonly(d)),
    "tensor of read-only": lambda T, d: T.tensor(_readonly(d)),
}


def _told(L, build, dtype):
    """The warnings a build gives.  PyTorch warns of a shared read-only array once a process (TORCH_WARN_ONCE;
    minigan at every such call): the once is lifted around PyTorch's call.  (PyTorch's as_tensor of a read-only
    array warns even where a dtype makes it copy; minigan's copies without the warning, sharing no memory.)"""
    always = L is torch and torch.is_warn_always_enabled()
    if L is torch:
        torch.set_warn_always(True)
    try:
        with warnings.catch_warnings(record=True) as seen:
            warnings.simplefilter("always")
            BUILDS[build](L, dtype)
    finally:
        if L is torch:
            torch.set_warn_always(always)
    return sorted(w.category.__name__ for w in seen if issubclass(w.category, UserWarning))


test_construction_warns_as_pytorch = sweep(_told, list(itertools.product(BUILDS, ["float32", "float64", "int64"])))
