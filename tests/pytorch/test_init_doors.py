"""Every nn.init function (and its deprecated name without the ``_``) at its door, on the weights PyTorch's corner
cases come from: floating, integer and bool tensors, empty ones, 0-d to 4-d, a non-contiguous slice, a leaf that
requires grad; with the values that PyTorch's checks meet (a fill that does not fit an integer dtype, std=0, a
gain).  Each call runs in both libraries (the same shape, dtype and requires_grad, and for a fill the same values)
or is refused by both with PyTorch's exception class (PyTorch float64 the oracle)."""

import warnings

import numpy as np
import pytest

import minigan
from pytorch.oracle import pytorch_since

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

INF, NAN = float("inf"), float("nan")

WEIGHTS = {
    "f64_3x4": lambda lib: lib.zeros(3, 4, dtype=lib.float64),
    "f32_2x3x2": lambda lib: lib.zeros(2, 3, 2, dtype=lib.float32),
    "f64_conv": lambda lib: lib.zeros(4, 2, 3, 3, dtype=lib.float64),
    "f64_1d": lambda lib: lib.zeros(5, dtype=lib.float64),
    "f64_0d": lambda lib: lib.zeros((), dtype=lib.float64),
    "f64_leaf": lambda lib: lib.zeros(3, 4, dtype=lib.float64, requires_grad=True),
    "f64_strided": lambda lib: lib.zeros(3, 6, 4, dtype=lib.float64)[:, ::2],
    "f64_sliced": lambda lib: lib.zeros(4, 6, 5, dtype=lib.float64)[:, 1:4],
    "f64_empty": lambda lib: lib.zeros(0, 3, dtype=lib.float64),
    "i64_3x4": lambda lib: lib.zeros(3, 4, dtype=lib.int64),
    "i32_3x4": lambda lib: lib.zeros(3, 4, dtype=lib.int32),
    "i64_empty": lambda lib: lib.zeros(0, 3, dtype=lib.int64),
    "u8_3x4": lambda lib: lib.zeros(3, 4, dtype=lib.uint8),
    "b_3x4": lambda lib: lib.zeros(3, 4, dtype=lib.bool),
    "b_empty": lambda lib: lib.zeros(3, 0, dtype=lib.bool),
}

FILLS = ["constant_", "zeros_", "ones_", "eye_", "dirac_"]  # (deterministic: their values are compared too)

CALLS = {
    "uniform_": [(), (-1.0, 2.0), (2.0, -1.0), (0.0, INF)],
    "normal_": [(), (0.5, 2.0), (0.0, 0.0), (0.0, -1.0)],
    "constant_": [(0.5,), (-3,), (INF,), (-INF,), (NAN,), (1e30,), (3e9,), (300,), (-1,), (-300,), (True,)],
    "zeros_": [()],
    "ones_": [()],
    "eye_": [()],
    "dirac_": [(), (2,)],
    "xavier_uniform_": [(), (2.0,)],
    "xavier_normal_": [(), (0.5,)],
    "kaiming_uniform_": [(), (0.1, "fan_out", "relu"), (np.float32(0.1),), (np.int64(0),), (np.float64(0.1),),
                         (True,)],
    "kaiming_normal_": [(), (0.0, "fan_in", "tanh"), (np.float32(NAN), "fan_out"), (np.int64(2),), (False,)],
    "trunc_normal_": [(), (1.25, 0.0, 0.0), (0.0, 1.0, -2.0, 2.0), (0.0, 0.0), (0.0, 1.0, -2.0, INF),
                      (0.0, 1.0, -2.0, np.float32(INF)), (0.0, 1.0, -2.0, np.float32(2.0)),
                      (0.0, 1.0, np.float64(-2.5), 2.0), (0.0, 1.0, np.int64(-2), 2.0), (np.float64(NAN), 0, 0.5),
                      (0.0, np.float32(0.0)), (0.5, np.float64(0.0), -1.0, 1.0)],
    "orthogonal_": [(), (1.5,)],
    "sparse_": [(0.5,), (0.0, 0.1), (-INF,), (NAN,), (INF, 0.1)],
}
DEPRECATED = ["uniform", "normal", "constant", "eye", "dirac", "xavier_uniform", "xavier_normal", "kaiming_uniform",
              "kaiming_normal", "orthogonal", "sparse"]


def _run(name, args, weight, lib):
    w = WEIGHTS[weight](lib)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            out = getattr(lib.nn.init, name)(w, *args)
    except Exception as e:  # noqa: BLE001 - the class is what is compared
        return e, None
    return None, out


def difference(name, args, weight):
    (e1, t), (e2, m) = _run(name, args, weight, torch), _run(name, args, weight, minigan)
    if e1 is not None or e2 is not None:
        if e1 is None or e2 is None:
            return f"PyTorch raised {e1!r}" if e2 is None else f"minigan raised {e2!r}, PyTorch ran"
        return None if isinstance(e2, type(e1)) else f"minigan {e2!r}, PyTorch {e1!r}"
    for what, theirs, ours in (("shape", tuple(t.shape), tuple(m.shape)), ("dtype", str(t.dtype).split(".")[-1],
                               str(m.dtype).split(".")[-1]), ("requires_grad", t.requires_grad, m.requires_grad)):
        if theirs != ours:
            return f"{what}: {ours} vs PyTorch's {theirs}"
    if name.rstrip("_") in [f.rstrip("_") for f in FILLS]:
        theirs, ours = t.detach().numpy().astype(float), np.asarray(m.detach().numpy()).astype(float)
        if not np.array_equal(theirs, ours, equal_nan=True):
            return f"values {ours.ravel()[:6]} vs PyTorch's {theirs.ravel()[:6]}"
    return None


@pytest.mark.parametrize("name", [pytest.param(n, marks=[pytorch_since(
    "2.12", "trunc_normal_ samples with normal_, which sets the class an integer or bool weight is refused with")]
    if n == "trunc_normal_" else []) for n in CALLS])
def test_each_init_on_each_kind_of_weight_is_pytorchs(name):
    found = [f"{name}{args} on {weight}: {why}" for args in CALLS[name] for weight in WEIGHTS
             if (why := difference(name, args, weight))]
    assert not found, f"{len(found)} differ:\n" + "\n".join(found[:30])


@pytest.mark.parametrize("name", DEPRECATED)
def test_each_deprecated_name_is_its_underscored_twin_with_a_future_warning(name):
    found = [f"{name}{args} on {weight}: {why}" for args in CALLS[name + "_"] for weight in WEIGHTS
             if (why := difference(name, args, weight))]
    assert not found, f"{len(found)} differ:\n" + "\n".join(found[:30])
    with pytest.warns(FutureWarning, match=f"nn.init.{name}_"):
        getattr(minigan.nn.init, name)(minigan.zeros(4, 2, 3) if name == "dirac" else minigan.zeros(3, 4),
                                       *CALLS[name + "_"][0])


def test_fill_refuses_a_number_its_dtype_cannot_hold_as_constant_does():
    found = []
    for (value,) in CALLS["constant_"]:
        for weight in WEIGHTS:
            outcomes = []
            for lib in (torch, minigan):
                try:
                    outcomes.append(WEIGHTS[weight](lib).detach().fill_(value).numpy().astype(float))
                except Exception as e:  # noqa: BLE001 - the class is what is compared
                    outcomes.append(e)
            theirs, ours = outcomes
            if isinstance(theirs, Exception) or isinstance(ours, Exception):
                if not (isinstance(theirs, Exception) and isinstance(ours, type(theirs))):
                    found.append(f"fill_({value}) on {weight}: minigan {ours!r}, PyTorch {theirs!r}")
            elif not np.array_equal(theirs, ours, equal_nan=True):
                found.append(f"fill_({value}) on {weight}: {ours.ravel()[:4]} vs PyTorch's {theirs.ravel()[:4]}")
    assert not found, f"{len(found)} differ:\n" + "\n".join(found[:30])
