"""The classification losses' arguments of each kind, refused or taken as PyTorch's are (exception class and value):
class labels of int64 or uint8 only (uint8 not per position), ``ignore_index`` an int (a NumPy integer or a 0-d
integer tensor too; a float or a bool is a TypeError), ``label_smoothing`` a float (a bool, a NumPy number or a 0-d
tensor that does not require grad too); binary_cross_entropy's target in [0, 1]; gaussian_nll_loss's var a Tensor
or a float; quantile's interpolation one of its five names.  Against PyTorch float64."""

import minigan.nn.functional as F
import numpy as np
import pytest

import minigan

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")
TF = torch.nn.functional

X = np.random.default_rng(5).standard_normal((4, 3))
Y = np.array([0, 2, 1, 2])


def _outcome(fn):
    try:
        return "value", float(fn())
    except Exception as e:  # noqa: BLE001  (the class is the comparison)
        return "raises", e


def _same(ours, theirs):
    if theirs[0] == "raises":
        assert ours[0] == "raises", f"minigan runs ({ours[1]}) where PyTorch raises {theirs[1]!r}"
        assert isinstance(ours[1], type(theirs[1])), f"{ours[1]!r} is not PyTorch's {type(theirs[1]).__name__}"
        assert "\n" not in str(ours[1])
    else:
        assert ours[0] == "value", f"minigan raises {ours[1]!r} where PyTorch gives {theirs[1]}"
        np.testing.assert_allclose(ours[1], theirs[1], rtol=1e-12)


CALLS = {  # (name, fn(F, x, y)) over both scores' shapes: the rows (N, C), per position (N, C, d), one sample (C,)
    "cross_entropy": lambda f, x, y: f.cross_entropy(x, y),
    "cross_entropy(label_smoothing)": lambda f, x, y: f.cross_entropy(x, y, label_smoothing=0.2),
    "nll_loss": lambda f, x, y: f.nll_loss(x, y),
    "cross_entropy per position": lambda f, x, y: f.cross_entropy(x.reshape(2, 3, 2), y.reshape(2, 2)),
    "nll_loss per position": lambda f, x, y: f.nll_loss(x.reshape(2, 3, 2), y.reshape(2, 2)),
    "cross_entropy of one sample": lambda f, x, y: f.cross_entropy(x[0], y[1]),
}


@pytest.mark.parametrize("dtype", ["int8", "int16", "int32", "int64", "uint8"])
@pytest.mark.parametrize("call", CALLS)
def test_class_labels_are_int64_or_uint8_as_pytorchs(call, dtype):
    theirs = _outcome(lambda: CALLS[call](TF, torch.tensor(X), torch.tensor(Y.astype(dtype))))
    ours = _outcome(lambda: CALLS[call](F, minigan.tensor(X), minigan.tensor(Y.astype(dtype))))
    _same(ours, theirs)


@pytest.mark.parametrize("value", [1, np.int64(1), np.int32(2), "tensor(1)", 1.0, 1.5, np.float64(1.0), True, None])
@pytest.mark.parametrize("fn", ["cross_entropy", "nll_loss"])
def test_ignore_index_is_an_int(fn, value):
    def call(lib, f):
        v = lib.tensor(1) if isinstance(value, str) else value
        return getattr(f, fn)(lib.tensor(X), lib.tensor(Y), ignore_index=v)

    _same(_outcome(lambda: call(minigan, F)), _outcome(lambda: call(torch, TF)))


@pytest.mark.parametrize("value", [0.1, np.float32(0.25), np.float64(0.5), True, 1, "tensor(0.1)", "tensor(1)",
                                   "tensor(0.1, requires_grad)", "tensor([0.1])", "0.1", None])
def test_label_smoothing_is_a_float(value):
    def call(lib, f):
        v = value
        if isinstance(value, str) and value.startswith("tensor"):
            v = lib.tensor([0.1] if "[" in value else (1 if value == "tensor(1)" else 0.1),
                           requires_grad="requires_grad" in value)
        return f.cross_entropy(lib.tensor(X), lib.tensor(Y), label_smoothing=v)

    _same(_outcome(lambda: call(minigan, F)), _outcome(lambda: call(torch, TF)))


@pytest.mark.parametrize("target", [[0.0, 1.0], [1.5, 0.0], [-0.5, 1.0], [np.nan, 0.5], [np.inf, 0.0]])
def test_binary_cross_entropys_target_must_lie_in_0_1(target):
    p = np.array([0.3, 0.6])
    theirs = _outcome(lambda: TF.binary_cross_entropy(torch.tensor(p), torch.tensor(target)))
    ours = _outcome(lambda: F.binary_cross_entropy(minigan.tensor(p), minigan.tensor(target)))
    _same(ours, theirs)


@pytest.mark.parametrize("var", [1, np.float32(1.0), np.float64(2.0), 2.0, "tensor(1.)", "ones"])
def test_gaussian_nll_loss_var_is_a_tensor_or_a_float(var):
    def call(lib, f):
        v = lib.tensor(1.0) if var == "tensor(1.)" else lib.ones(4, 3, dtype=lib.float64) if var == "ones" else var
        return f.gaussian_nll_loss(lib.tensor(X), lib.tensor(X + 1), v)

    _same(_outcome(lambda: call(minigan, F)), _outcome(lambda: call(torch, TF)))


@pytest.mark.parametrize("fn", ["quantile", "nanquantile"])
@pytest.mark.parametrize("interpolation", ["linear", "midpoint", "cubic", "Linear"])
def test_quantiles_interpolation_is_one_of_five_names(fn, interpolation):
    if fn == "nanquantile" and not hasattr(minigan, "nanquantile"):
        pytest.skip("minigan has no nanquantile")
    theirs = _outcome(lambda: getattr(torch, fn)(torch.tensor(X), 0.3, interpolation=interpolation).sum())
    ours = _outcome(lambda: getattr(minigan, fn)(minigan.tensor(X), 0.3, interpolation=interpolation).sum())
    _same(ours, theirs)
