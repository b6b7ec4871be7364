"""The scales of the scaled sums and products (addcmul's and addcdiv's value=, addmm's, addmv's, addbmm's, baddbmm's
and addr's beta= and alpha=, add's and sub's alpha=), read as PyTorch reads them, against PyTorch over the dtypes a
result can have: a float scale of an integer result is truncated toward zero (addmm of int64 with beta=2.5 takes 2;
addr and add refuse it), NaN, ±∞ or too large a number is refused (RuntimeError, "cannot be converted ... without
overflow"), a NumPy scalar is the number it holds (a float32 result stays float32), a bool result takes the truth of
its scale.  Function, method and in-place forms; values, dtypes and exception classes."""

import itertools

import numpy as np
import pytest

import minigan

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

SHAPES = {"addcmul": [(3,), (3,), (3,)], "addcdiv": [(3,), (3,), (3,)], "addmm": [(2, 2), (2, 2), (2, 2)],
          "addmv": [(2,), (2, 2), (2,)], "addbmm": [(2, 2), (1, 2, 2), (1, 2, 2)],
          "baddbmm": [(1, 2, 2), (1, 2, 2), (1, 2, 2)], "addr": [(2, 2), (2,), (2,)], "add": [(3,), (3,)],
          "sub": [(3,), (3,)]}
SCALE_NAMES = {"addcmul": ["value"], "addcdiv": ["value"], "add": ["alpha"], "sub": ["alpha"]}
IN_PLACE = {"addcmul", "addcdiv", "addmm", "add", "sub"}  # (the others' in-place forms are not provided)
SCALES = {"2.5": 2.5, "-2.5": -2.5, "0.5": 0.5, "2": 2, "-1": -1, "True": True, "False": False, "nan": float("nan"),
          "inf": float("inf"), "1e30": 1e30, "np.float64(2.5)": np.float64(2.5), "np.int64(3)": np.int64(3),
          "tensor(2.5)": "tensor(2.5)"}
DTYPES = ["int64", "uint8", "bool", "float32", "float64"]


def _outcome(lib, name, form, key, scale, dtype):
    def operand(shape, k):
        if dtype == "bool":
            return lib.ones(*shape, dtype=lib.bool)
        return lib.ones(*shape, dtype=getattr(lib, dtype)) + k + 1  # (2, 3, 4: an addcdiv's quotient is not whole)
    args = [operand(s, k) for k, s in enumerate(SHAPES[name])]
    kwargs = {key: lib.tensor(2.5) if scale == "tensor(2.5)" else scale}
    try:
        with np.errstate(all="ignore"):
            out = getattr(lib, name)(*args, **kwargs) if form == "function" else \
                getattr(args[0], name + ("_" if form == "in place" else ""))(*args[1:], **kwargs)
    except Exception as e:  # noqa: BLE001 - the refusal is what is compared
        return e
    return out


CASES = [(name, form, key, scale, dtype)
         for name in SHAPES for form in ("function", "method", "in place") if form != "in place" or name in IN_PLACE
         for key, scale, dtype in itertools.product(SCALE_NAMES.get(name, ["beta", "alpha"]), SCALES, DTYPES)]


@pytest.mark.parametrize("name", list(SHAPES))
def test_a_scale_is_read_in_the_results_dtype_as_pytorchs(name):
    found = []
    for _, form, key, scale, dtype in (c for c in CASES if c[0] == name):
        theirs, ours = (_outcome(lib, name, form, key, SCALES[scale], dtype) for lib in (torch, minigan))
        where = f"{name} ({form}) of {dtype} with {key}={scale}"
        if isinstance(theirs, Exception):
            builtin = next(t for t in type(theirs).__mro__ if t.__module__ == "builtins")
            if not isinstance(ours, builtin):
                found.append(f"{where}: PyTorch {type(theirs).__name__} ({str(theirs)[:70]}), minigan {ours!r:.80}")
        elif isinstance(ours, Exception):
            found.append(f"{where}: PyTorch ran, minigan {type(ours).__name__}: {ours}")
        elif str(ours.dtype).split(".")[-1] != str(theirs.dtype).split(".")[-1] or not np.allclose(
                ours.numpy().astype(np.float64), theirs.numpy().astype(np.float64), rtol=1e-6, equal_nan=True):
            found.append(f"{where}: PyTorch {theirs.dtype} {theirs.flatten().tolist()}, minigan {ours.dtype} "
                         f"{ours.flatten().tolist()}")
    assert not found, f"{len(found)} calls differ from PyTorch:\n" + "\n".join(found[:12])


INDEX_ADD = {"index_add": lambda L, x, i, s, a: L.index_add(x, 0, i, s, alpha=a),
             "x.index_add": lambda L, x, i, s, a: x.index_add(0, i, s, alpha=a),
             "x.index_add_": lambda L, x, i, s, a: x.index_add_(0, i, s, alpha=a)}


@pytest.mark.parametrize("name", list(INDEX_ADD))
def test_index_adds_alpha_is_read_in_the_tensors_dtype_as_pytorchs(name):
    """index_add's alpha, as PyTorch's kernel reads it: in the tensor's dtype (a bool tensor takes its truth, an
    integer one the number truncated, NaN refused), the result keeping the tensor's dtype."""
    found = []
    for scale, dtype in itertools.product(SCALES, DTYPES):
        outcomes = []
        for lib in (torch, minigan):
            x = lib.tensor([0, 1, 0, 1], dtype=getattr(lib, dtype))
            source = lib.tensor([1, 1], dtype=getattr(lib, dtype))
            alpha = lib.tensor(2.5) if scale == "tensor(2.5)" else SCALES[scale]
            try:
                with np.errstate(all="ignore"):
                    outcomes.append(INDEX_ADD[name](lib, x, lib.tensor([0, 2]), source, alpha))
            except Exception as e:  # noqa: BLE001 - the refusal is what is compared
                outcomes.append(e)
        theirs, ours = outcomes
        where = f"{name} of {dtype} with alpha={scale}"
        if isinstance(theirs, Exception):
            builtin = next(t for t in type(theirs).__mro__ if t.__module__ == "builtins")
            if not isinstance(ours, builtin):
                found.append(f"{where}: PyTorch {type(theirs).__name__} ({str(theirs)[:70]}), minigan {ours!r:.80}")
        elif isinstance(ours, Exception):
            found.append(f"{where}: PyTorch ran, minigan {type(ours).__name__}: {ours}")
        elif str(ours.dtype).split(".")[-1] != str(theirs.dtype).split(".")[-1] or not np.array_equal(
                ours.numpy().astype(np.float64), theirs.numpy().astype(np.float64), equal_nan=True):
            found.append(f"{where}: PyTorch {theirs.dtype} {theirs.tolist()}, minigan {ours.dtype} {ours.tolist()}")
    assert not found, f"{len(found)} calls differ from PyTorch:\n" + "\n".join(found[:12])


@pytest.mark.parametrize("name", ["addmm", "addmv", "addbmm", "baddbmm", "addr"])
def test_beta_zero_ignores_the_input_as_pytorchs(name):
    """PyTorch's documentation: with beta=0 the input is ignored, and NaN and ∞ in it are not propagated; its gradient
    is 0 (grad·beta)."""
    outcomes = []
    for lib in (torch, minigan):
        shapes = SHAPES[name]
        c = lib.tensor(np.where(np.arange(np.prod(shapes[0])) % 2, np.nan, np.inf).reshape(shapes[0]),
                       dtype=lib.float64, requires_grad=True)
        others = [lib.ones(*s, dtype=lib.float64) for s in shapes[1:]]
        out = getattr(lib, name)(c, *others, beta=0, alpha=2)
        g, = lib.autograd.grad(out.sum(), c)
        outcomes.append((out.detach().numpy(), g.numpy()))
    (v1, g1), (v2, g2) = outcomes
    np.testing.assert_array_equal(v2, v1)
    np.testing.assert_array_equal(g2, g1)
