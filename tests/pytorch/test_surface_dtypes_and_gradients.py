"""Result dtypes and gradients of elementwise ops and reductions (bincount, linear of integers, repeat, lerp, addcmul,
nansum/nanmean, xlogy): classes of differences from PyTorch that the whole-surface random programs
(tests/pytorch/surface_programs.py) found in seeds 11,200,000 to 11,259,999, and the open ones noticed before them,
each checked as a class (the same door, the same kind of argument) against PyTorch float64."""

import math
import warnings

import numpy as np
import pytest
from conftest import default_slice

import minigan

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

INF, NAN = math.inf, math.nan


def _np(t):  # (force: PyTorch's zero gradient of a second order may be a "ZeroTensor", which numpy() refuses)
    return t.detach().cpu().numpy(force=True) if hasattr(t, "cpu") else np.asarray(t.numpy())


def _outcome(fn, lib):
    """fn(lib)'s result, or the class of the exception it raised (PyTorch's: the built-in class it is)."""
    try:
        return fn(lib)
    except Exception as e:
        return type(e) if lib is not torch else next(c for c in type(e).__mro__ if c.__module__ == "builtins")


def _agree(fn):
    """fn runs in both libraries with the same dtype, shape, values and requires_grad, or raises in both, minigan's
    exception an instance of PyTorch's built-in class."""
    ours, theirs = _outcome(fn, minigan), _outcome(fn, torch)
    if isinstance(theirs, type):
        assert isinstance(ours, type) and issubclass(ours, theirs), f"PyTorch raises {theirs.__name__}, minigan {ours}"
        return ours, theirs
    assert not isinstance(ours, type), f"PyTorch runs, minigan raises {ours.__name__}"
    assert str(ours.dtype).split(".")[-1] == str(theirs.dtype).split(".")[-1], (ours.dtype, theirs.dtype)
    assert tuple(ours.shape) == tuple(theirs.shape)
    assert ours.requires_grad == theirs.requires_grad
    rtol = {"float32": 1e-6, "float16": 1e-2}.get(str(theirs.dtype).split(".")[-1], 1e-12)  # (float16: PyTorch's
    # kernels compute in float32 and round once; NumPy rounds every step, a few units in the last place)
    np.testing.assert_allclose(_np(ours).astype(float), _np(theirs).astype(float), rtol=rtol, equal_nan=True)
    return ours, theirs


def _raises_in_both(ours, theirs):
    """Both calls (thunks) raise, minigan's exception an instance of PyTorch's built-in class."""
    mine, pytorch = _outcome(lambda _: ours(), minigan), _outcome(lambda _: theirs(), torch)
    assert isinstance(pytorch, type), "PyTorch ran"
    assert isinstance(mine, type) and issubclass(mine, pytorch), f"PyTorch raises {pytorch.__name__}, minigan {mine}"


# ----------------------------------------------------------------------------- bincount's refusals and dtypes
# PyTorch's kernel checks minlength >= 0, returns int64 zeros(minlength) for an empty 1-d input (weights unread),
# then refuses an input not 1-d and non-negative, then weights that are not 1-d of the input's length (RuntimeError
# each); weighted counts are float32 for float32 weights and float64 for every other dtype, and require grad with the
# weights (its backward refuses).
BIN_INPUTS = {"x": [0, 2, 2, 3], "empty": [], "negative": [0, -2, 1, 1], "x2d": [[0, 2], [2, 3]]}
BIN_WEIGHTS = {"none": None, "f64": ("float64", (4,)), "f32": ("float32", (4,)), "f16": ("float16", (4,)),
               "int": ("int64", (4,)), "bool": ("bool", (4,)), "2d": ("float64", (1, 4)), "0d": ("float64", ()),
               "short": ("float64", (3,)), "long": ("float64", (5,)), "rg": ("float64", (4,), True)}


@pytest.mark.parametrize("minlength", [0, 5, -1])
@pytest.mark.parametrize("weights", list(BIN_WEIGHTS))
@pytest.mark.parametrize("values", list(BIN_INPUTS))
def test_bincount_refusals_and_dtypes(values, weights, minlength):
    def call(lib):
        x = lib.tensor(BIN_INPUTS[values], dtype=lib.int64)
        spec = BIN_WEIGHTS[weights]
        w = None if spec is None else lib.tensor(np.linspace(0.5, 2.0, int(np.prod(spec[1]))).reshape(spec[1]),
                                                 dtype=getattr(lib, spec[0]), requires_grad=len(spec) > 2)
        return lib.bincount(x, w, minlength) if w is not None else lib.bincount(x, minlength=minlength)

    ours, theirs = _agree(call)
    if not isinstance(theirs, type) and theirs.requires_grad:  # (PyTorch's backward: derivative not implemented)
        _raises_in_both(lambda: ours.sum().backward(), lambda: theirs.sum().backward())


# ----------------------------------------------------------------------------- linear of integers
# PyTorch's CPU kernels multiply integer tensors (addmm for every integer dtype, not bool): F.linear of an integer
# input and weight of one dtype runs and gives that dtype; a bias of another dtype, or input and weight of two
# dtypes, is refused (RuntimeError), as for floats; bool is NotImplementedError.
LINEAR_DTYPES = ["int64", "int32", "int16", "int8", "uint8", "bool", "float64"]


# Every 11th case by default (and each value, each pair of dtypes with each bias), the rest under -m parity
@pytest.mark.parametrize("pair, shapes, bias", default_slice(
    [(pair, shapes, bias) for pair in [(d, d) for d in LINEAR_DTYPES] + [("int64", "int32"), ("int32", "float64"),
                                                                         ("float64", "int64")]
     for shapes in [((2, 3), (4, 3)), ((3,), (4, 3)), ((2, 2, 3), (4, 3)), ((2, 3), (3,)), ((0, 3), (4, 3))]
     for bias in ["none", "same", "float64", "int64", "broadcast"]], 11,
    cover=("each", lambda pair, shapes, bias: (pair, bias))))
def test_linear_of_integers(pair, shapes, bias):
    def call(lib):
        (dx, dw), (sx, sw) = pair, shapes
        x = lib.tensor(np.arange(-3, int(np.prod(sx)) - 3).reshape(sx) % 7, dtype=getattr(lib, dx))
        w = lib.tensor(np.arange(int(np.prod(sw))).reshape(sw) % 5 - 2, dtype=getattr(lib, dw))
        b = {"none": None, "same": lib.arange(sw[0] if len(sw) == 2 else 1).to(getattr(lib, dx)),
             "float64": lib.ones(sw[0] if len(sw) == 2 else 1, dtype=lib.float64),
             "int64": lib.ones(sw[0] if len(sw) == 2 else 1, dtype=lib.int64),
             "broadcast": lib.ones(1, dtype=getattr(lib, dx))}[bias]
        return lib.nn.functional.linear(x, w, b)

    _agree(call)


# ----------------------------------------------------------------------------- repeat and tile, a negative count
# PyTorch's repeat refuses a negative count only where it makes a negative size; times a size 0 it makes 0 and the
# forward runs, but RepeatBackward0 reshapes the gradient to the counts and refuses (RuntimeError), at first order,
# unless a count is 0 (its gradient is then zeros of the input's shape, with no reshape).
REPEAT_DOORS = {"tile": lambda lib, x, d: lib.tile(x, d), "Tensor.tile": lambda lib, x, d: x.tile(d),
                "Tensor.repeat": lambda lib, x, d: x.repeat(*d)}


@pytest.mark.parametrize("dims", [(-2, 1), (1, -2), (2, -1, 1), (-1, 1, 1), (0, 1), (1, 0, 2), (-3,), (2, 3),
                                  (3, 1, -1), (-1, 0), (2, -1, 0), (0, -2, 1)])
@pytest.mark.parametrize("shape", [(0, 3), (2, 0), (2, 3)])
@pytest.mark.parametrize("door", list(REPEAT_DOORS))
def test_repeat_negative_count_of_an_empty_dimension(door, shape, dims):
    def call(lib):
        x = lib.ones(shape, dtype=lib.float64, requires_grad=True)
        return REPEAT_DOORS[door](lib, x, dims)

    def gradient(lib):
        x = lib.ones(shape, dtype=lib.float64, requires_grad=True)
        return lib.autograd.grad(REPEAT_DOORS[door](lib, x, dims).sum(), x)[0]

    ours, theirs = _agree(call)
    if not isinstance(theirs, type):  # (the backward: both refuse with one class, or both give the same gradient)
        _agree(gradient)


# ----------------------------------------------------------------------------- lerp's result dtype
# PyTorch's lerp takes a 0-d weight of another dtype (its ends must share input's) and computes in the dtype the three
# promote to: where all three are 0-d, a float64 weight makes the float32 ends' result float64; a 0-d weight beside
# dimensioned ends takes their dtype.  lerp_ writes the promoted result back into input's dtype.
LERP_DTYPES = ["float32", "float64", "float16", "int64", "bool"]


# Every 11th case by default (and each value, each pair of dtypes, each door with each choice of dimensioned ends),
# the rest under -m parity
@pytest.mark.parametrize("door, dims, dtype, wdtype", default_slice(
    [(door, dims, dtype, wdtype) for door in ["torch.lerp", "Tensor.lerp", "Tensor.lerp_"]
     for dims in [(0, 0, 0), (1, 1, 0), (0, 1, 0), (1, 0, 0), (0, 0, 1)] for dtype in ["float32", "float16", "float64"]
     for wdtype in LERP_DTYPES], 11,
    cover=("each", lambda door, dims, dtype, wdtype: (dtype, wdtype), lambda door, dims, dtype, wdtype: (door, dims))))
def test_lerp_result_dtype(door, dims, dtype, wdtype):
    def call(lib):
        def make(value, ndim, dt, rg):
            t = lib.tensor(value if ndim == 0 else [value, -value], dtype=getattr(lib, dt))
            return t.requires_grad_() if rg and dt.startswith("float") else t
        rg = door != "Tensor.lerp_"
        x, end = make(0.75, dims[0], dtype, rg), make(-1.5, dims[1], dtype, rg)
        w = make(True if wdtype == "bool" else 1 if wdtype == "int64" else 0.3, dims[2], wdtype, rg)
        out = lib.lerp(x, end, w) if door == "torch.lerp" else x.lerp(end, w) if door == "Tensor.lerp" else \
            x.lerp_(end, w)
        return out, [t for t in (x, end, w) if t.requires_grad]

    ours, theirs = _agree(lambda lib: call(lib)[0])
    if isinstance(theirs, type) or not theirs.requires_grad:
        return
    def gradients(lib):
        out, leaves = call(lib)
        return lib.autograd.grad(out.sum(), leaves)

    mine, pytorch = _outcome(gradients, minigan), _outcome(gradients, torch)
    if isinstance(pytorch, type):  # (a bool weight: PyTorch's derivative computes 1 - weight, and `-` refuses it)
        assert isinstance(mine, type) and issubclass(mine, pytorch), f"PyTorch: {pytorch.__name__}, minigan: {mine}"
        return
    assert not isinstance(mine, type), f"PyTorch's backward runs, minigan's raises {mine.__name__}"
    for a, b in zip(mine, pytorch):  # (each leaf's gradient in the leaf's own dtype)
        assert str(a.dtype).split(".")[-1] == str(b.dtype).split(".")[-1]
        np.testing.assert_allclose(_np(a).astype(float), _np(b).astype(float), rtol=1e-3)


# ----------------------------------------------------------------------------- addcmul to second order
# PyTorch's addcmul is one node whose derivatives are grad·(tensor2·value) and grad·(tensor1·value), each summed to its
# factor's shape: a second order runs through the product t·value, so over a result empty by broadcasting its
# gradient is 0·value (NaN for an infinite value) where a composite of products gave 0.
ADDCMUL_SHAPES = {"empty": ((0, 3), (3,), (0, 3)), "empty_t1": ((0, 3), (0, 3), (3,)), "row": ((2, 3), (3,), (2, 1)),
                  "same": ((2, 3), (2, 3), (2, 3)), "input_small": ((3,), (2, 3), (2, 1))}


@pytest.mark.parametrize("value", [1.0, -INF, 0.5, NAN])
@pytest.mark.parametrize("shapes", list(ADDCMUL_SHAPES))
@pytest.mark.parametrize("door", ["torch.addcmul", "Tensor.addcmul", "Tensor.addcmul_"])
def test_addcmul_second_order(door, shapes, value):
    def call(lib):
        values = [np.array([0.25, NAN, 0.0, INF, -1.5, 2.0]), np.array([1.5, -INF, 0.0, 0.75, NAN, -2.0])]
        leaves = [lib.tensor(np.resize(v, s), dtype=lib.float64, requires_grad=True)
                  for v, s in zip([values[0]] + values, ADDCMUL_SHAPES[shapes])]
        x, t1, t2 = leaves
        if door == "torch.addcmul":
            out = lib.addcmul(x, t1, t2, value=value)
        elif door == "Tensor.addcmul":
            out = x.addcmul(t1, t2, value=value)
        else:
            out = x.clone().addcmul_(t1, t2, value=value)
        first = lib.autograd.grad(out.sum(), leaves, create_graph=True)
        second = lib.autograd.grad(sum(g.sum() for g in first if g.requires_grad), leaves, allow_unused=True)
        return [out, *first, *(lib.zeros(()) if g is None else g for g in second)]

    with warnings.catch_warnings():  # (NumPy's warnings on ∞·0 are another class: the values are compared here)
        warnings.simplefilter("ignore", RuntimeWarning)
        ours, theirs = _outcome(call, minigan), _outcome(call, torch)
    if isinstance(theirs, type):  # (addcmul_ into an input smaller than the result: refused by both)
        assert isinstance(ours, type) and issubclass(ours, theirs), f"PyTorch raises {theirs.__name__}, minigan {ours}"
        return
    for a, b in zip(ours, theirs):
        assert tuple(a.shape) == tuple(b.shape)
        np.testing.assert_allclose(_np(a), _np(b), rtol=1e-12, equal_nan=True)


# ----------------------------------------------------------------------------- nansum and nanmean's gradient at NaN
# PyTorch's nansum_backward is grad·(x is not NaN), a product: an ∞ or NaN gradient at a NaN entry gives NaN (∞·0),
# and nanmean (nansum / count) sends 1/0 = ∞ into it on a row of NaN only, so that row's gradient is NaN, not 0.
@pytest.mark.parametrize("upstream", ["ones", "inf", "nan"])
@pytest.mark.parametrize("dim", [None, 0, 1, (0, 1)])
@pytest.mark.parametrize("op", ["nansum", "nanmean", "Tensor.nansum", "Tensor.nanmean"])
def test_nan_reductions_gradient_at_nan(op, dim, upstream):
    def call(lib):
        x = lib.tensor([[NAN, NAN, NAN], [1.5, NAN, -2.0], [INF, 0.5, NAN]], dtype=lib.float64, requires_grad=True)
        name = op.split(".")[-1]
        out = getattr(x, name)(dim) if op.startswith("Tensor.") else getattr(lib, name)(x, dim)
        up = {"ones": lib.ones_like(out), "inf": lib.full_like(out, INF), "nan": lib.full_like(out, NAN)}[upstream]
        first, = lib.autograd.grad(out, x, up, create_graph=True)
        return [out, first]

    with warnings.catch_warnings():  # (NumPy's warnings on ∞·0 are another class: the values are compared here)
        warnings.simplefilter("ignore", RuntimeWarning)
        ours, theirs = _outcome(call, minigan), _outcome(call, torch)
    for a, b in zip(ours, theirs):
        np.testing.assert_allclose(_np(a), _np(b), rtol=1e-12, equal_nan=True)


# ----------------------------------------------------------------------------- xlogy's gradient with a number y
# PyTorch's xlogy(x, y) with y a number (XlogyBackward2) masks x's gradient where x = 0 and not y > 0, so a NaN y gives
# 0 there; with y a tensor (XlogyBackward0) the mask is x = 0 and y <= 0, and a NaN y gives NaN everywhere.
XLOGY_OTHERS = {"nan": NAN, "np_nan": np.float64(NAN), "zero": 0.0, "inf": INF, "-inf": -INF, "two": 2.0,
                "minus_one": -1.0, "t0d_nan": "t0d_nan", "t1d": "t1d"}


@pytest.mark.parametrize("upstream", ["ones", "special"])
@pytest.mark.parametrize("other", list(XLOGY_OTHERS))
@pytest.mark.parametrize("door", ["torch.xlogy", "Tensor.xlogy", "Tensor.xlogy_"])
def test_xlogy_gradient_with_a_number_other(door, other, upstream):
    def call(lib):
        x = lib.tensor([0.0, 1.0, 2.0, -1.0, NAN, 0.0], dtype=lib.float64, requires_grad=True)
        y = XLOGY_OTHERS[other]
        y = lib.tensor(NAN, dtype=lib.float64) if y == "t0d_nan" else lib.tensor(
            [NAN, 0.0, INF, -1.0, 2.0, NAN], dtype=lib.float64) if y == "t1d" else y
        out = lib.xlogy(x, y) if door == "torch.xlogy" else x.xlogy(y) if door == "Tensor.xlogy" else \
            x.clone().xlogy_(y)
        up = lib.ones(6, dtype=lib.float64) if upstream == "ones" else lib.tensor([0.0, INF, 0.0, NAN, 1.0, INF],
                                                                                  dtype=lib.float64)
        return [out, *lib.autograd.grad(out, x, up)]

    with warnings.catch_warnings():  # (NumPy's warnings on log 0 and ∞·0 are another class: values compared here)
        warnings.simplefilter("ignore", RuntimeWarning)
        ours, theirs = _outcome(call, minigan), _outcome(call, torch)
    for a, b in zip(ours, theirs):
        np.testing.assert_allclose(_np(a), _np(b), rtol=1e-12, equal_nan=True)


@pytest.mark.parametrize("shapes", [((5,), (4,), ()), ((0, 3), (4, 4), ()), ((5,), (0, 3), ()), ((3,), (3,), (4,)),
                                    ((2, 3), (3,), (2, 2)), ((5,), (5,), (0,))])
@pytest.mark.parametrize("door", ["torch.lerp", "Tensor.lerp", "Tensor.lerp_"])
def test_lerp_shapes_that_do_not_broadcast(door, shapes):
    def call(lib):
        x, end, w = (lib.zeros(s, dtype=lib.float64) + 0.5 for s in shapes)
        return lib.lerp(x, end, w) if door == "torch.lerp" else x.lerp(end, w) if door == "Tensor.lerp" else \
            x.lerp_(end, w)

    _agree(call)
