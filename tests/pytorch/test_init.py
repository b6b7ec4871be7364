"""nn.init against PyTorch, at every door (tests/pytorch/sweep.py):

* every nn.init function (and its deprecated name without the ``_``, which warns naming its twin) on the weights
  PyTorch's corner cases come from: floating, integer and bool tensors, empty ones, 0-d to 4-d, a non-contiguous
  slice, a leaf that requires grad; with the values PyTorch's checks meet (a fill that does not fit an integer dtype,
  std=0, a gain given as a NumPy scalar or a bool).  A fill's values are compared; a draw's shape, dtype and
  requires_grad; a refusal by PyTorch's class.  ``Tensor.fill_`` refuses what ``constant_`` refuses;
* normal_ and trunc_normal_ over std and bounds: a negative std is PyTorch's RuntimeError (-0.0 is taken), so
  trunc_normal_ never draws forever where no draw could be kept (a > b); otherwise every value lies in [a, b] with
  NaN where PyTorch's has it;
* calculate_gain: PyTorch's numbers with PyTorch's Python types (the int 1 for the linear family and sigmoid, a
  float elsewhere), for each nonlinearity and leaky_relu's slopes given as int, float or None;
* the structured fills on each backend: orthogonal_'s WᵀW = gain²·I, eye_'s and dirac_'s values, trunc_normal_'s
  mean and spread, sparse_'s zeros per column.
"""

import itertools
import math
import warnings

import numpy as np
import pytest

from minigan import nn
from minigan.engine import backend
from minigan.nn import init
from pytorch.oracle import TRUNC_NORMAL_ANYWHERE
from pytorch.sweep import sweep

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

INF, NAN = math.inf, math.nan

WEIGHTS = {
    "f64_3x4": lambda L: L.zeros(3, 4, dtype=L.float64),
    "f32_2x3x2": lambda L: L.zeros(2, 3, 2, dtype=L.float32),
    "f32_5": lambda L: L.zeros(5, dtype=L.float32),
    "f64_conv": lambda L: L.zeros(4, 2, 3, 3, dtype=L.float64),
    "f64_1d": lambda L: L.zeros(5, dtype=L.float64),
    "f64_0d": lambda L: L.zeros((), dtype=L.float64),
    "f64_leaf": lambda L: L.zeros(3, 4, dtype=L.float64, requires_grad=True),
    "f64_strided": lambda L: L.zeros(3, 6, 4, dtype=L.float64)[:, ::2],
    "f64_sliced": lambda L: L.zeros(4, 6, 5, dtype=L.float64)[:, 1:4],
    "f64_empty": lambda L: L.zeros(0, 3, dtype=L.float64),
    "i64_3x4": lambda L: L.zeros(3, 4, dtype=L.int64),
    "i32_3x4": lambda L: L.zeros(3, 4, dtype=L.int32),
    "i64_empty": lambda L: L.zeros(0, 3, dtype=L.int64),
    "u8_3x4": lambda L: L.zeros(3, 4, dtype=L.uint8),
    "b_3x4": lambda L: L.zeros(3, 4, dtype=L.bool),
    "b_empty": lambda L: L.zeros(3, 0, dtype=L.bool),
}
FILLS = ["constant", "zeros", "ones", "eye", "dirac", "fill"]  # (deterministic: their values are compared)
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
CALLS["fill_"] = CALLS["constant_"]  # (Tensor.fill_, the method constant_ is written on)
DEPRECATED = ["uniform", "normal", "constant", "eye", "dirac", "xavier_uniform", "xavier_normal", "kaiming_uniform",
              "kaiming_normal", "orthogonal", "sparse"]

# normal_ and trunc_normal_ over std, mean and bounds (a > b, infinite bounds, NaN)
STDS = [1.0, 0.5, -0.0, -1.5, -INF, NAN]
MEANS_AND_BOUNDS = [(0.0, -2.0, 2.0), (1000.0, 1000.0, -INF), (0.0, 2.0, -2.0), (0.0, -INF, INF), (5.0, -1.0, 1.0),
                    (0.0, 1.0, INF)]
STD_WEIGHTS = ["f64_3x4", "f32_5", "f64_empty", "i64_3x4"]


def _init(L, name, args, weight):
    """A fill's tensor; a draw's shape, dtype and requires_grad (trunc_normal_'s: its NaN and whether every other
    value lies in [a, b]); whether a warning named the underscored twin."""
    w = WEIGHTS[weight](L)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = w.detach().fill_(*args) if name == "fill_" else getattr(L.nn.init, name)(w, *args)
    named = [c.category.__name__ for c in caught if f"nn.init.{name}_" in str(c.message)]
    if name.rstrip("_") in FILLS:
        return out, named
    seen = [tuple(out.shape), str(out.dtype).split(".")[-1], out.requires_grad, named]
    if name == "trunc_normal_":
        _, _, a, b = (*args, *(0.0, 1.0, -2.0, 2.0)[len(args):])
        values = np.asarray(out.detach().tolist(), dtype=float)
        seen += [int(np.isnan(values).sum()), bool(np.all((values >= a) & (values <= b) | np.isnan(values)))]
    return seen


def _case(name, args, weight):  # (trunc_normal_ draws with normal_ from PyTorch 2.12: docs/pytorch.md)
    return pytest.param(name, args, weight, marks=[TRUNC_NORMAL_ANYWHERE] if name == "trunc_normal_" else [])


CASES = [_case(name, args, weight) for name in CALLS for args in CALLS[name] for weight in WEIGHTS] + \
    [_case(name[:-1], args, weight) for name in CALLS if name[:-1] in DEPRECATED for args in CALLS[name]
     for weight in WEIGHTS] + \
    [_case("normal_", (mean, std), weight) for std in STDS for mean in (0.0, 2.5) for weight in STD_WEIGHTS] + \
    [_case("trunc_normal_", (mean, std, a, b), weight)
     for std, (mean, a, b), weight in itertools.product(STDS, MEANS_AND_BOUNDS, STD_WEIGHTS)]

# one group a function, each in the default run (a call costs microseconds)
test_each_init_on_each_kind_of_weight_is_pytorchs = sweep(_init, CASES, group=lambda name, args, weight: name,
                                                          every=1)


def _gain(L, nonlinearity, param):
    g = L.nn.init.calculate_gain(nonlinearity, param)
    return type(g).__name__, g


test_calculate_gain_as_pytorch = sweep(_gain, [
    *((name, None) for name in ("linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d",
                                "conv_transpose3d", "sigmoid", "tanh", "relu", "selu", "leaky_relu")),
    *(("leaky_relu", slope) for slope in (0, 1, 2, 0.2, -0.5))], group=lambda *_: "calculate_gain")


def test_init_structured_fills_as_pytorch(xp_backend):
    """orthogonal_ (WᵀW = gain²·I on the flattened weight, tall or wide), eye_ and dirac_ (PyTorch's exact values),
    trunc_normal_ (inside [a, b], with the truncated normal's mean and spread), sparse_ (the zeros per column)."""
    for shape in [(64, 32, 3, 3), (300, 20), (20, 300)]:
        w = nn.Parameter(xp_backend.zeros(shape, dtype=np.float32))
        init.orthogonal_(w, gain=2.0)
        m = backend.asnumpy(w.array).reshape(shape[0], -1).astype(np.float64)
        small = m @ m.T if m.shape[0] <= m.shape[1] else m.T @ m
        np.testing.assert_allclose(small, 4 * np.eye(len(small)), atol=1e-4)
    for shape, groups in [((4, 2, 3, 3), 2), ((6, 4, 3), 1), ((4, 4, 3, 3, 3), 1), ((6, 3, 3, 3), 3), ((3, 5), None)]:
        ours, theirs = nn.Parameter(xp_backend.zeros(shape, dtype=np.float32)), torch.zeros(shape)
        if groups is None:
            init.eye_(ours), torch.nn.init.eye_(theirs)
        else:
            init.dirac_(ours, groups), torch.nn.init.dirac_(theirs, groups)
        np.testing.assert_array_equal(backend.asnumpy(ours.array), theirs.detach().cpu().numpy())
    t = nn.Parameter(xp_backend.zeros((200000,), dtype=np.float32))
    init.trunc_normal_(t, mean=1.0, std=2.0, a=-1.0, b=2.0)
    v = backend.asnumpy(t.array).astype(np.float64)
    reference = torch.nn.init.trunc_normal_(torch.zeros(200000, dtype=torch.float64), 1.0, 2.0, -1.0,
                                            2.0).detach().cpu().numpy()
    assert -1.0 <= v.min() and v.max() <= 2.0
    assert v.mean() == pytest.approx(reference.mean(), abs=0.01) and v.std() == pytest.approx(reference.std(), rel=0.01)
    s = nn.Parameter(xp_backend.zeros((10, 7), dtype=np.float32))
    init.sparse_(s, 0.35, std=0.5)
    assert ((backend.asnumpy(s.array) == 0).sum(axis=0) == 4).all()  # ceil(0.35 · 10) zeros in each column
    assert init.calculate_gain("selu") == torch.nn.init.calculate_gain("selu") == 0.75
    assert init.calculate_gain("conv3d") == 1.0
    with pytest.raises(ValueError, match="dirac_: needs a 3-, 4- or 5-D weight"):
        init.dirac_(nn.Parameter(np.zeros((4, 3), np.float32)))
    with pytest.warns(UserWarning, match="more than 2 std"):  # (PyTorch's uniform proposals: far bounds still end)
        init.trunc_normal_(t, a=8.0, b=9.0)
    assert ((backend.asnumpy(t.array) >= 8.0) & (backend.asnumpy(t.array) <= 9.0)).all()
    with pytest.warns(FutureWarning, match="in favor of `nn.init.xavier_uniform_`"):  # PyTorch's deprecated spelling
        init.xavier_uniform(nn.Parameter(np.zeros((4, 3), np.float32)))
