"""Refusals in PyTorch's exception classes, by class of rule, found by the surface programs
(tests/pytorch/surface_programs.py): each call is written once for both libraries (``lib`` is minigan or torch); PyTorch
refuses it, and minigan must refuse it too, with an instance of PyTorch's exception class and a message.

- operands of one dtype where PyTorch's kernel takes only one (isclose, scatter's src, index_copy's source, inner,
  cross, prelu): PyTorch raises a RuntimeError, minigan ran with a promoted or cast value;
- a value tensor of more than 0 dimensions where one number is filled in (masked_fill, index_fill, fill_);
- sections that do not divide a dimension (hsplit, vsplit, dsplit), indices of a float tensor (tensor_split);
- a tolerance, bound or width PyTorch refuses (negative rtol/atol, uniform_'s from > to, normal_'s NaN std);
- an integer or bool tensor given to a kernel that takes only floating point (frac, hypot, lerp, softplus) or only
  numbers (topk, kthvalue, argmax of bool, nanmean of bool);
- too few dimensions for the batched products and pools (addbmm, baddbmm, mv, avg_pool2d), a narrow or an
  index_copy out of range: PyTorch's IndexError ("Dimension out of range"), where minigan's ShapeError (a
  RuntimeError, but no IndexError) came out; minigan's DimensionError is both;
- the checks PyTorch runs first (the losses' sizes before their dtypes, vector_to_parameters' sizes), and
  arguments Python's own IndexError or NumPy's ValueError reached first (group_norm, take_along_dim, histogram).

Classes of refusals the whole-surface random programs (tests/pytorch/surface_programs.py) found where minigan and
PyTorch part: one runs where the other raises, or both raise with different exception classes.  Each class is checked
against PyTorch float64 on every function that shares its rule."""

import math
import warnings

import numpy as np
import pytest

import minigan
from pytorch.exception_oracle import raised, same_class
from pytorch.oracle import TRUNC_NORMAL_ANYWHERE, pytorch_since

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")


def _same_class(fn):
    same_class(fn, torch, minigan)


def _f(lib, *shape):
    return lib.ones(shape, dtype=lib.float64)


def _i(lib, *shape):
    return lib.ones(shape, dtype=lib.int64)


def _b(lib, *shape):
    return lib.ones(shape, dtype=lib.bool)


SAME_DTYPE = {
    "isclose of float64 and int64": lambda lib: lib.isclose(_f(lib, 3), _i(lib, 3)),
    "isclose of float32 and float64": lambda lib: _f(lib, 3).float().isclose(_f(lib, 3)),
    "allclose of int64 and float64": lambda lib: lib.allclose(_i(lib, 3), _f(lib, 3)),
    "allclose of bool and float64": lambda lib: _b(lib, 3).allclose(_f(lib, 3)),
    "scatter with an int src into float": lambda lib: _f(lib, 3).scatter(0, lib.tensor([0, 1]), _i(lib, 2)),
    "scatter_add with a float32 src": lambda lib: lib.scatter_add(_f(lib, 3), 0, lib.tensor([0, 1]),
                                                                  _f(lib, 2).float()),
    "scatter_add_ with an int src": lambda lib: _f(lib, 3).scatter_add_(0, lib.tensor([0, 1]), _i(lib, 2)),
    "index_copy with a float source into int": lambda lib: _i(lib, 3).index_copy(0, lib.tensor([0]), _f(lib, 1)),
    "inner of float and int": lambda lib: lib.inner(_f(lib, 3), _i(lib, 3)),
    "cross of float and int": lambda lib: lib.cross(_f(lib, 3), _i(lib, 3), dim=0),
    "prelu with a float32 weight": lambda lib: lib.nn.functional.prelu(_f(lib, 2, 3), _f(lib, 1).float()),
}

ZERO_D_VALUE = {
    "masked_fill with a 1-d value": lambda lib: _f(lib, 3).masked_fill(lib.tensor([True, False, True]), _f(lib, 3)),
    "masked_fill_ with a 1-d value": lambda lib: _f(lib, 3).masked_fill_(lib.tensor([True, False, True]),
                                                                         _f(lib, 3)),
    "index_fill with a 1-d value": lambda lib: _f(lib, 3).index_fill(0, lib.tensor([0]), _f(lib, 1)),
    "index_fill_ with a 2-d value": lambda lib: _f(lib, 3, 2).index_fill_(0, lib.tensor([0]), _f(lib, 1, 2)),
    "fill_ with a 1-d value": lambda lib: _f(lib, 3).fill_(_f(lib, 1)),
    "torch.fill_ with a 1-d value": lambda lib: lib.fill_(_f(lib, 3), _f(lib, 3)),
}

SPLITS = {
    "hsplit into sections that do not divide": lambda lib: lib.hsplit(_f(lib, 3, 4), 3),
    "vsplit into sections that do not divide": lambda lib: _f(lib, 3, 4).vsplit(2),
    "dsplit into sections that do not divide": lambda lib: lib.dsplit(_f(lib, 2, 3, 4), 3),
    "vsplit of a vector": lambda lib: _f(lib, 4).vsplit(2),
    "hsplit of a 0-d tensor": lambda lib: lib.hsplit(_f(lib), 1),
    "tensor_split at float indices": lambda lib: lib.tensor_split(_f(lib, 4), lib.tensor([1.0, 2.0])),
    "split of a 0-d tensor": lambda lib: lib.split(_f(lib), 1),
    "chunk of a 0-d tensor": lambda lib: _f(lib).chunk(1),
    "chunk into 0 pieces": lambda lib: _f(lib, 3).chunk(0),
    "split by a negative size": lambda lib: lib.split(_f(lib, 3), -1),
    "split along a dim out of range": lambda lib: lib.split(_f(lib, 3), 1, dim=2),
    "tensor_split into 0 sections": lambda lib: lib.tensor_split(_f(lib, 3), 0),
    "tensor_split at a matrix of indices": lambda lib: lib.tensor_split(_f(lib, 4), lib.tensor([[1]])),
    "hsplit into 0 sections": lambda lib: lib.hsplit(_f(lib, 4), 0),
}

BOUNDS = {
    "isclose with rtol < 0": lambda lib: lib.isclose(_f(lib, 3), _f(lib, 3), rtol=-1.5),
    "allclose with atol = -inf": lambda lib: lib.allclose(_f(lib, 3), _f(lib, 3), atol=-float("inf")),
    "isclose with atol < 0": lambda lib: _f(lib, 3).isclose(_f(lib, 3), atol=-1.0),
    "uniform_ from > to": lambda lib: _f(lib, 3).uniform_(1000.0, -1.5),
    "uniform_ from -inf": lambda lib: _f(lib, 3).uniform_(-float("inf"), 1.0),
    "uniform_ to nan": lambda lib: _f(lib, 3).uniform_(0.0, float("nan")),
    "normal_ with a NaN std": lambda lib: _f(lib, 3).normal_(0.0, float("nan")),
    "normal_ with std -inf": lambda lib: _f(lib, 3).normal_(0.0, -float("inf")),
    "normal with a NaN std": lambda lib: lib.normal(_f(lib, 3), float("nan")),
    "huber_loss with delta NaN": lambda lib: lib.nn.functional.huber_loss(_f(lib, 3), _f(lib, 3), delta=float("nan")),
    "smooth_l1_loss with beta NaN": lambda lib: lib.nn.functional.smooth_l1_loss(_f(lib, 3), _f(lib, 3),
                                                                                 beta=float("nan")),
    "uniform_ wider than float64": lambda lib: _f(lib, 3).uniform_(-1e308, 1e308),
    "init.uniform_ to inf": lambda lib: lib.nn.init.uniform_(_f(lib, 3), 0.0, float("inf")),
    "normal with a NaN std in a tensor": lambda lib: lib.normal(_f(lib, 3), lib.tensor([float("nan"), 1.0, 1.0])),
    "normal of numbers with a NaN std": lambda lib: lib.normal(0.0, float("nan"), (2,)),
}

FLOAT_KERNELS = {
    "frac of int64": lambda lib: lib.frac(_i(lib, 3)),
    "frac of bool": lambda lib: _b(lib, 3).frac(),
    "hypot of int64": lambda lib: lib.hypot(_i(lib, 3), _i(lib, 3)),
    "lerp of int64": lambda lib: lib.lerp(_i(lib, 3), _i(lib, 3), 0.5),
    "softplus of int64 with beta": lambda lib: lib.nn.functional.softplus(_i(lib, 3), 2.0),
    "softplus of bool with threshold": lambda lib: lib.nn.functional.softplus(_b(lib, 3), threshold=0.1),
    "nanmean of bool with dtype=float32": lambda lib: lib.nanmean(_b(lib, 3), dtype=lib.float32),
    "topk of bool": lambda lib: _b(lib, 3).topk(1),
    "kthvalue of bool": lambda lib: lib.kthvalue(_b(lib, 3), 1),
    "argmax of bool": lambda lib: _b(lib, 3).argmax(),
    "argmin of bool": lambda lib: lib.argmin(_b(lib, 3)),
    "vecdot of int64": lambda lib: lib.linalg.vecdot(_i(lib, 3), _i(lib, 3)),
    "bitwise_or of a number and a float tensor": lambda lib: lib.bitwise_or(1.5, _f(lib, 3)),
    "bitwise_and of an int and a float tensor": lambda lib: lib.bitwise_and(0, _f(lib, 3)),
}

DIMENSIONS = {
    "addbmm of matrices": lambda lib: lib.addbmm(_f(lib, 3, 4), _f(lib, 3, 4), _f(lib, 4, 5)),
    "baddbmm of vectors": lambda lib: _f(lib, 4).baddbmm(_f(lib, 4), _f(lib, 4)),
    "mv of 0-d tensors": lambda lib: lib.mv(_f(lib), _f(lib)),
    "avg_pool2d of a vector": lambda lib: lib.nn.functional.avg_pool2d(_f(lib, 4), 1),
    "avg_pool2d of a matrix": lambda lib: lib.nn.functional.avg_pool2d(_f(lib, 3, 1), 1),
    "avg_pool2d of a 0-d tensor": lambda lib: lib.nn.functional.avg_pool2d(_f(lib), 1),
    "avg_pool2d of an int vector: dims before dtype": lambda lib: lib.nn.functional.avg_pool2d(_i(lib, 4), 1),
    "narrow past an empty dimension": lambda lib: lib.narrow(_f(lib, 0, 3), 0, 2, 2),
    "index_copy of fewer indices than source rows": lambda lib: _f(lib, 4, 3).index_copy(
        0, lib.tensor([0, 1]), _f(lib, 4, 3)),
    "index_copy_ of a source of other dims": lambda lib: _f(lib, 4, 3).index_copy_(
        0, lib.tensor([0, 1]), _f(lib, 2)),
}

ORDER = {
    "binary_cross_entropy_with_logits: sizes before dtypes": lambda lib: lib.nn.functional.
    binary_cross_entropy_with_logits(_i(lib, 3, 4), _f(lib, 3)),
    "binary_cross_entropy: sizes before dtypes": lambda lib: lib.nn.functional.binary_cross_entropy(
        _f(lib, 3, 4) * 0.5, _i(lib, 3)),
    "gaussian_nll_loss: var's size before dtypes": lambda lib: lib.nn.functional.gaussian_nll_loss(
        _i(lib, 3, 4), _f(lib, 3, 4), _f(lib, 2)),
    "gaussian_nll_loss: negative var before dtypes": lambda lib: lib.nn.functional.gaussian_nll_loss(
        _i(lib, 3), _f(lib, 3), -_f(lib, 3)),
    "vector_to_parameters of too few entries": lambda lib: lib.nn.utils.vector_to_parameters(
        _f(lib, 3), lib.nn.Linear(2, 2).parameters()),
    "vector_to_parameters of a matrix": lambda lib: lib.nn.utils.vector_to_parameters(
        _f(lib, 2, 3), [lib.nn.Parameter(_f(lib, 4))]),
    "vector_to_parameters of a 0-d tensor": lambda lib: lib.nn.utils.vector_to_parameters(
        _f(lib), [lib.nn.Parameter(_f(lib, 4))]),
    "gaussian_nll_loss: var of another size": lambda lib: lib.nn.functional.gaussian_nll_loss(
        _f(lib, 3, 4), _f(lib, 3, 4), _f(lib, 4)),
}

ARGUMENTS = {
    "max_pool1d with a kernel of two sizes": lambda lib: lib.nn.functional.max_pool1d(_f(lib, 1, 2, 6), [1, 2]),
    "avg_pool1d with a padding of two sizes": lambda lib: lib.nn.functional.avg_pool1d(_f(lib, 1, 2, 6), 2,
                                                                                        padding=[0, 1]),
    "conv1d with a stride of two sizes": lambda lib: lib.nn.functional.conv1d(_f(lib, 1, 2, 6), _f(lib, 3, 2, 2),
                                                                              stride=[1, 2]),
    "unfold of a vector with no kernel size": lambda lib: lib.nn.functional.unfold(_f(lib, 4), None),
    "typename's obj by name": lambda lib: lib.typename(obj=_f(lib, 2)),
    "histogram at a matrix of edges": lambda lib: lib.histogram(_f(lib, 4), _f(lib, 2, 2)),
    "group_norm of a vector": lambda lib: lib.nn.functional.group_norm(_f(lib, 4), 2),
    "take_along_dim with indices of fewer dims": lambda lib: lib.take_along_dim(_f(lib, 2, 3), _i(lib, 2) * 0, 1),
}

CASES = {**SAME_DTYPE, **FLOAT_KERNELS, **ZERO_D_VALUE, **SPLITS, **DIMENSIONS, **ORDER, **BOUNDS, **ARGUMENTS}


@pytest.mark.parametrize("case", list(CASES))
def test_refused_in_pytorchs_class(case):
    _same_class(CASES[case])


def test_vector_to_parameters_replaces_each_parameters_data_as_pytorchs():
    """PyTorch sets each parameter's ``.data`` to its slice of vec: a Linear's weights read vec's values, and a view
    given as a parameter (the rows of a tensor) is rebound, not written through into the tensor it views."""
    import numpy as np

    for lib in (minigan, torch):
        rows = lib.zeros(2, 3, dtype=lib.float64)
        lib.nn.utils.vector_to_parameters(lib.arange(6, dtype=lib.float64), rows)
        np.testing.assert_array_equal(rows.numpy(), np.zeros((2, 3)))
        layer = lib.nn.Linear(2, 2)
        lib.nn.utils.vector_to_parameters(lib.arange(6, dtype=lib.float32), layer.parameters())
        np.testing.assert_array_equal(layer.weight.detach().numpy(), [[0, 1], [2, 3]])
        np.testing.assert_array_equal(layer.bias.detach().numpy(), [4, 5])


# (TRUNC_NORMAL_ANYWHERE: nn.init.trunc_normal_ samples with normal_ and draws within [a, b] from any mean and std,
# a mean far outside [a, b], a negative, infinite or NaN std or mean; 2.11 inverted a uniform draw, which fails or
# gives NaN there)
INF, NAN = math.inf, math.nan


def _both_run(fn):
    """PyTorch runs ``fn`` and so does minigan; the results' shapes and dtypes agree."""
    theirs, ours = raised(fn, torch), raised(fn, minigan)
    assert theirs is None, f"PyTorch raised {type(theirs).__name__}: {theirs}"
    assert ours is None, f"minigan raised {type(ours).__name__}: {ours}"


# ----------------------------------------------------------------------------- clip_grad_value_ with no gradient
# PyTorch groups the gradients by device before clipping and refuses an empty group: clip_grad_value_ of parameters
# none of which has a gradient raises RuntimeError (clip_grad_norm_ returns a zero norm instead).
@pytest.mark.parametrize("params", [lambda lib: [], lambda lib: [lib.ones(2, requires_grad=True)],
                                    lambda lib: lib.ones(2, requires_grad=True), lambda lib: [lib.ones(3)]])
def test_clip_grad_value_without_gradients_is_refused_as_pytorch(params):
    same_class(lambda lib: lib.nn.utils.clip_grad_value_(params(lib), 1.0), torch, minigan)


def test_clip_grad_value_with_gradients_still_clips():
    for lib in (torch, minigan):
        p = lib.ones(3, requires_grad=True)
        (p * lib.tensor([3.0, -4.0, 0.5])).sum().backward()
        lib.nn.utils.clip_grad_value_([p, lib.zeros(2, requires_grad=True)], 1.0)
        assert p.grad.tolist() == [1.0, -1.0, 0.5]


# ----------------------------------------------------------------------------- a module argument that is not one
# PyTorch's spectral_norm, remove_spectral_norm and register_parametrization read the module's attributes first:
# anything else is refused with AttributeError; is_parametrized of it is False, and remove_parametrizations of it a
# ValueError.  A module without the named parameter: KeyError from spectral_norm.
NOT_MODULES = [None, 3, "weight"]


@pytest.mark.parametrize("call", [
    lambda lib, m: lib.nn.utils.spectral_norm(m),
    lambda lib, m: lib.nn.utils.remove_spectral_norm(m),
    lambda lib, m: lib.nn.utils.parametrize.register_parametrization(m, "weight", lib.nn.Identity()),
    lambda lib, m: lib.nn.utils.parametrize.remove_parametrizations(m, "weight"),
])
@pytest.mark.parametrize("module", NOT_MODULES + [lambda lib: lib.ones(2)])
def test_a_module_argument_that_is_not_a_module_as_pytorch(call, module):
    same_class(lambda lib: call(lib, module(lib) if callable(module) else module), torch, minigan)


@pytest.mark.parametrize("module", NOT_MODULES)
def test_is_parametrized_of_a_non_module_is_false(module):
    assert minigan.nn.utils.parametrize.is_parametrized(module) is torch.nn.utils.parametrize.is_parametrized(module)


def test_spectral_norm_of_a_missing_parameter_as_pytorch():
    same_class(lambda lib: lib.nn.utils.spectral_norm(lib.nn.ReLU()), torch, minigan)
    same_class(lambda lib: lib.nn.utils.spectral_norm(lib.nn.Linear(2, 3), name="bias2"), torch, minigan)


# ----------------------------------------------------------------------------- nn.init: PyTorch's order and ranges
# PyTorch's initialisers check the number of dimensions first (ValueError), then draw or fill, so a wrong dtype is
# refused only by a draw (dirac_ fills: any dtype); orthogonal_ of a zero-element tensor is a no-op; sparse_ takes
# any sparsity (ceil(sparsity · rows) zeros per column, as a Python slice of a permutation reads it), and trunc_normal_
# any mean, std and bounds its sampler can draw from (uniform proposals where [a, b] holds little of the mass).
@pytest.mark.parametrize("call", [
    lambda lib: lib.nn.init.sparse_(lib.zeros(3, dtype=lib.int64), 0.5),
    lambda lib: lib.nn.init.sparse_(lib.zeros(3, 4, dtype=lib.int64), 0.5),
    lambda lib: lib.nn.init.sparse_(lib.zeros(3, 4), INF),
    lambda lib: lib.nn.init.sparse_(lib.zeros(3, 4), -INF),
    lambda lib: lib.nn.init.sparse_(lib.zeros(3, 4), NAN),
    lambda lib: lib.nn.init.sparse_(lib.zeros(3, 4), 0.5, std=-1.0),
    lambda lib: lib.nn.init.sparse_(lib.zeros(3, 4), 0.5, std=NAN),
    lambda lib: lib.nn.init.orthogonal_(lib.zeros(3, dtype=lib.int64)),
    lambda lib: lib.nn.init.orthogonal_(lib.zeros(3, 4, dtype=lib.int64)),
    lambda lib: lib.nn.init.dirac_(lib.zeros(2, 2, dtype=lib.int64)),
    lambda lib: lib.nn.init.dirac_(lib.zeros(2, 2, 3), groups=0),
    lambda lib: lib.nn.init.dirac_(lib.zeros(2, 2, 3), groups=3),
    lambda lib: lib.nn.init.trunc_normal_(lib.zeros(3), std=0.0),
    lambda lib: lib.nn.init.trunc_normal_(lib.zeros(3), a=2.0, b=-2.0),
    lambda lib: lib.nn.init.trunc_normal_(lib.zeros(3, dtype=lib.int64)),
])
def test_init_refusals_as_pytorch(call):
    same_class(call, torch, minigan)


@pytest.mark.parametrize("dtype", ["int64", "bool", "float64"])
@pytest.mark.parametrize("shape, groups", [((2, 2, 3), 1), ((4, 2, 3, 3), 2), ((3, 5, 2, 2, 2), 1), ((0, 2, 3), 1)])
def test_dirac_fills_any_dtype_as_pytorch(dtype, shape, groups):
    ours = minigan.nn.init.dirac_(minigan.full(shape, 7, dtype=getattr(minigan, dtype)), groups)
    theirs = torch.nn.init.dirac_(torch.full(shape, 7, dtype=getattr(torch, dtype)), groups)
    assert str(ours.dtype).split(".")[-1] == str(theirs.dtype).split(".")[-1]
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())


@pytest.mark.parametrize("dtype", ["int64", "float64"])
@pytest.mark.parametrize("shape", [(0, 3), (3, 0), (2, 0, 4)])
def test_orthogonal_of_a_zero_element_tensor_is_a_no_op(dtype, shape):
    for lib in (minigan, torch):
        t = lib.zeros(shape, dtype=getattr(lib, dtype))
        assert lib.nn.init.orthogonal_(t) is t and tuple(t.shape) == shape


@pytest.mark.parametrize("sparsity", [2.0, 1.25, -0.5, -1.5, -0.1, 0.0, 1.0, 0.3])
@pytest.mark.parametrize("rows", [3, 5])
def test_sparse_takes_any_sparsity_as_pytorch(sparsity, rows):
    counts = []
    for lib in (minigan, torch):
        t = lib.nn.init.sparse_(lib.ones(rows, 4, dtype=lib.float64), sparsity, std=1.0)
        counts.append((t == 0).sum(0).tolist())
    assert counts[0] == counts[1]


@pytest.mark.parametrize("kwargs", [dict(mean=10.0), *(pytest.param(k, marks=TRUNC_NORMAL_ANYWHERE) for k in (
    dict(mean=-7.0, std=0.5), dict(std=-1.0), dict(std=-INF), dict(mean=INF))), dict(a=0.5, b=0.5), dict(a=3.0, b=9.0),
    pytest.param(dict(mean=NAN), marks=TRUNC_NORMAL_ANYWHERE)])
def test_trunc_normal_draws_wherever_pytorch_does(kwargs):
    a, b = kwargs.get("a", -2.0), kwargs.get("b", 2.0)
    for lib in (minigan, torch):
        t = lib.zeros(2000, dtype=lib.float64)
        with np.errstate(all="ignore"), warnings.catch_warnings():  # (a mean 2 std outside [a, b] warns)
            warnings.simplefilter("ignore")
            lib.nn.init.trunc_normal_(t, **kwargs)
        values = t.numpy()
        assert np.isfinite(values).all() and (values >= a).all() and (values <= b).all()
    if "mean" in kwargs and math.isfinite(kwargs["mean"]):  # (far outside [a, b]: most draws near the nearer bound)
        near = b if kwargs["mean"] > b else a
        assert np.median(np.abs(values - near)) < 0.5


# ----------------------------------------------------------------------------- bernoulli's p
# PyTorch's bernoulli(input, p) and x.bernoulli(p) take a number p and draw in input's dtype, whatever it is (input
# itself is read as probabilities only without p: then it must be floating); a tensor p is refused with TypeError
# there, and is bernoulli_'s: a floating tensor of probabilities broadcast to the tensor written.
@pytest.mark.parametrize("dtype", ["int64", "bool", "float64", "float32"])
@pytest.mark.parametrize("call", [
    lambda lib, x: lib.bernoulli(x, 1.0), lambda lib, x: lib.bernoulli(x, p=0.0), lambda lib, x: x.bernoulli(1.0),
    lambda lib, x: x.bernoulli_(1.0), lambda lib, x: x.bernoulli_(lib.tensor([1.0, 0.0, 1.0], dtype=lib.float32)),
    lambda lib, x: x.bernoulli_(lib.tensor([[0.0], [1.0]], dtype=lib.float64)),
])
def test_bernoulli_with_p_draws_in_any_dtype_as_pytorch(dtype, call):
    made = [lib.zeros(2, 3, dtype=getattr(lib, dtype)) for lib in (minigan, torch)]
    ours, theirs = call(minigan, made[0]), call(torch, made[1])  # (p of 0 or 1: the draw is certain)
    assert str(ours.dtype).split(".")[-1] == str(theirs.dtype).split(".")[-1]
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())
    np.testing.assert_array_equal(made[0].numpy(), made[1].numpy())


@pytest.mark.parametrize("call", [
    lambda lib: lib.bernoulli(lib.tensor([0.5, 0.1]), lib.tensor([0.5, 0.1])),
    lambda lib: lib.bernoulli(lib.tensor([0.5, 0.1]), p=lib.tensor([0.5, 0.1])),
    lambda lib: lib.tensor([0.5, 0.1]).bernoulli(lib.tensor([0.5, 0.1])),
    lambda lib: lib.bernoulli(lib.tensor([1, 0])),
    lambda lib: lib.bernoulli(lib.tensor([0.5, 1.5])),
    lambda lib: lib.bernoulli(lib.tensor([0.5, 0.1]), 2.0),
    lambda lib: lib.tensor([1, 0]).bernoulli_(NAN),
    lambda lib: lib.zeros(2, 3).bernoulli_(lib.tensor([True, False, True])),
    lambda lib: lib.zeros(2, 3).bernoulli_(lib.tensor([1, 0, 1])),
    lambda lib: lib.zeros(2, 3).bernoulli_(lib.tensor([0.5, 0.1])),
    lambda lib: lib.zeros(3).bernoulli_(lib.zeros(2, 3)),
    lambda lib: lib.zeros(3).bernoulli_(lib.tensor([0.5, 1.5, 0.0])),
    lambda lib: lib.zeros(3).bernoulli_(lib.tensor([0.5, NAN, 0.0])),
])
def test_bernoulli_refusals_as_pytorch(call):
    same_class(call, torch, minigan)


# ----------------------------------------------------------------------------- einsum and tensordot
# PyTorch's einsum takes the equation or the sublist form (operand, its subscripts as ints in [0, 52) or ..., ...,
# and the output's last); fewer than two arguments are a ValueError; the operands are counted before their dtypes
# are compared, and a bad subscript, a dtype mismatch or a count mismatch is a RuntimeError.  tensordot refuses
# dims out of [0, min(ndims)] and dims lists of different lengths with RuntimeError, bool operands with
# NotImplementedError (PyTorch's addmm has no bool kernel), and a pair of dims whose parts are not lists with TypeError.
def _ones(lib, *shape, dtype="float64"):
    return lib.arange(int(np.prod(shape)), dtype=getattr(lib, dtype)).reshape(shape) * 1 if dtype != "bool" else \
        lib.ones(*shape, dtype=lib.bool)


@pytest.mark.parametrize("call", [
    lambda lib: lib.einsum(_ones(lib, 3, 4), [0, 1]),
    lambda lib: lib.einsum(_ones(lib, 3, 4), [0, 1], [1]),
    lambda lib: lib.einsum(_ones(lib, 3, 4), [0, 1], _ones(lib, 4, 5), [1, 2], [0, 2]),
    lambda lib: lib.einsum(_ones(lib, 3, 4), [0, 1], _ones(lib, 4, 5), [1, 2]),
    lambda lib: lib.einsum(_ones(lib, 2, 3, 4), [Ellipsis, 30], [30, Ellipsis]),
    lambda lib: lib.einsum(_ones(lib, 3, 3), [51, 51]),
])
def test_einsum_sublist_form_as_pytorch(call):
    ours, theirs = call(minigan, ), call(torch)
    assert tuple(ours.shape) == tuple(theirs.shape)
    np.testing.assert_allclose(ours.numpy(), theirs.numpy())


@pytest.mark.parametrize("call", [
    lambda lib: lib.einsum(_ones(lib, 3, 4)),
    lambda lib: lib.einsum("ij->ij"),
    lambda lib: lib.einsum(_ones(lib, 3, 4), [0, 52]),
    lambda lib: lib.einsum(_ones(lib, 3, 4), [0, -1]),
    lambda lib: lib.einsum("ij->ij", _ones(lib, 3, 4), _ones(lib, 3, 4, dtype="float32")),
    lambda lib: lib.einsum("ij,jk->ik", _ones(lib, 3, 4), _ones(lib, 4, 5, dtype="float32")),
    lambda lib: lib.einsum("ij,jk->ik", _ones(lib, 3, 4), _ones(lib, 4, 5, dtype="bool")),
    lambda lib: lib.einsum("i1->i", _ones(lib, 3, 4)),
    lambda lib: lib.einsum("ij->ii", _ones(lib, 3, 4)),
    lambda lib: lib.einsum("ij->k", _ones(lib, 3, 4)),
    lambda lib: lib.einsum("i->i->i", _ones(lib, 3)),
    lambda lib: lib.tensordot(_ones(lib, 3, 4), _ones(lib, 4, 5), dims=3),
    lambda lib: lib.tensordot(_ones(lib, 3, 4), _ones(lib, 4, 5), dims=-1),
    lambda lib: lib.tensordot(_ones(lib, 3, 4), _ones(lib, 4, 5, dtype="bool"), dims=1),
    lambda lib: lib.tensordot(_ones(lib, 3, 4), _ones(lib, 4, 5, dtype="float32"), dims=1),
    lambda lib: lib.tensordot(_ones(lib, 3, 4, dtype="bool"), _ones(lib, 4, 5, dtype="bool"), dims=1),
    lambda lib: lib.tensordot(_ones(lib, 3, 4), _ones(lib, 4, 5), dims=([1], [0, 1])),
    lambda lib: lib.tensordot(_ones(lib, 3, 4), _ones(lib, 4, 5), dims=[1, 0]),
    lambda lib: lib.tensordot(_ones(lib, 3, 4), _ones(lib, 4, 5), dims="1"),
])
def test_einsum_and_tensordot_refusals_as_pytorch(call):
    same_class(call, torch, minigan)


# ----------------------------------------------------------------------------- the adaptive pools' output_size
# PyTorch reads output_size first: an int, or one size per pooled axis where None keeps the input's (len() of
# anything else is a TypeError; more sizes than the input has axes, a ValueError; another count, a RuntimeError); the
# 1-D pools take ints only (TypeError).  Then the input's axes (RuntimeError), then its dtype.  A batch of none
# gives an empty result.
ADAPTIVE = ["adaptive_avg_pool2d", "adaptive_max_pool2d", "adaptive_avg_pool1d", "adaptive_max_pool1d"]


@pytest.mark.parametrize("name", ADAPTIVE)
@pytest.mark.parametrize("shape, size", [((4,), None), ((0, 3), None), ((), None), ((1, 2, 4, 4), [1]),
                                         ((1, 2, 4, 4), [1, 2, 3]), ((1, 2, 4, 4), [None]), ((1, 2, 4), 2.0),
                                         ((1, 2, 4), None), ((1, 2, 4), [None]), ((1, 2, 4, 4), [None, 2]),
                                         ((4,), [1, 2, 3, 4]), ((5,), 2)])
def test_adaptive_pool_output_size_refused_as_pytorch(name, shape, size):
    fn = lambda lib: getattr(lib.nn.functional, name)(lib.ones(shape, dtype=lib.float64), size)
    if raised(fn, torch) is None:
        _both_run(fn)
    else:
        same_class(fn, torch, minigan)


@pytest.mark.parametrize("name", ADAPTIVE)
@pytest.mark.parametrize("dtype", ["int64", "bool"])
def test_adaptive_pool_checks_the_axes_before_the_dtype(name, dtype):
    same_class(lambda lib: getattr(lib.nn.functional, name)(lib.ones(4, dtype=getattr(lib, dtype)), [1, 2, 3, 4, 5]),
               torch, minigan)
    same_class(lambda lib: getattr(lib.nn.functional, name)(lib.ones(1, 1, 1, 1, 4, dtype=getattr(lib, dtype)), 2),
               torch, minigan)


@pytest.mark.parametrize("name", ["adaptive_max_pool2d", "adaptive_max_pool1d", "adaptive_avg_pool2d"])
def test_adaptive_pool_of_an_empty_batch_as_pytorch(name):
    shape = (0, 2, 4, 4) if "2d" in name else (0, 2, 4)
    ours = getattr(minigan.nn.functional, name)(minigan.ones(shape, dtype=minigan.float64, requires_grad=True), 2)
    theirs = getattr(torch.nn.functional, name)(torch.ones(shape, dtype=torch.float64, requires_grad=True), 2)
    assert tuple(ours.shape) == tuple(theirs.shape) and ours.requires_grad == theirs.requires_grad


# ----------------------------------------------------------------------------- memory_format: by keyword, a format
# PyTorch's Tensor methods take memory_format by keyword only; contiguous() and is_contiguous() default it to
# contiguous_format and refuse None (TypeError), where the casts and clone take None.
@pytest.mark.parametrize("call", [
    lambda lib, x: x.is_contiguous(lib.contiguous_format), lambda lib, x: x.is_contiguous(memory_format=None),
    lambda lib, x: x.contiguous(lib.contiguous_format), lambda lib, x: x.contiguous(memory_format=None),
    lambda lib, x: x.clone(lib.contiguous_format), lambda lib, x: x.float(lib.contiguous_format),
])
def test_memory_format_refused_as_pytorch(call):
    same_class(lambda lib: call(lib, lib.ones(2, 3).t()), torch, minigan)


@pytest.mark.parametrize("call", [
    lambda lib, x: x.is_contiguous(), lambda lib, x: x.is_contiguous(memory_format=lib.contiguous_format),
    lambda lib, x: x.contiguous(memory_format=lib.contiguous_format).is_contiguous(),
    lambda lib, x: x.clone(memory_format=None).is_contiguous(), lambda lib, x: x.float(memory_format=None).shape[0],
])
def test_memory_format_taken_as_pytorch(call):
    assert call(minigan, minigan.ones(2, 3).t()) == call(torch, torch.ones(2, 3).t())


# ----------------------------------------------------------------------------- the normalisations' shapes
# PyTorch's layer_norm and rms_norm take normalized_shape as a tuple of ints (an int or a float in it: TypeError),
# not empty, the input's last axes, and a weight and bias of exactly that shape (RuntimeError); layer_norm and
# group_norm refuse a weight or bias of another dtype (RuntimeError).  group_norm and instance_norm refuse, with
# ValueError, a batch whose groups or planes hold one value each; batch_norm reads axis 1 (IndexError without it)
# and refuses evaluation without running statistics (RuntimeError).
def _t0(lib, *shape, dtype="float64"):
    return lib.ones(shape, dtype=getattr(lib, dtype))


@pytest.mark.parametrize("call", [
    lambda lib, F: F.rms_norm(_t0(lib, 3, 4), []), lambda lib, F: F.layer_norm(_t0(lib, 3, 4), []),
    lambda lib, F: F.rms_norm(_t0(lib, 3, 1), [2, 2]), lambda lib, F: F.rms_norm(_t0(lib), [1]),
    lambda lib, F: F.rms_norm(_t0(lib, 3, 4), [-1]), lambda lib, F: F.rms_norm(_t0(lib, 3, 4), 4),
    lambda lib, F: F.layer_norm(_t0(lib, 3, 4), 4), lambda lib, F: F.rms_norm(_t0(lib, 3, 4), [4.0]),
    lambda lib, F: F.layer_norm(_t0(lib, 3, 4), [4.0]), lambda lib, F: F.layer_norm(_t0(lib), [1]),
    lambda lib, F: F.rms_norm(_t0(lib, 3, 4), [4], _t0(lib, 1)),
    lambda lib, F: F.rms_norm(_t0(lib, 3, 4), [4], _t0(lib, 3, 4)),
    lambda lib, F: F.rms_norm(_t0(lib, 3, 4), [4], _t0(lib, 3)),
    lambda lib, F: F.layer_norm(_t0(lib, 3, 4), [4], _t0(lib, 1)),
    lambda lib, F: F.layer_norm(_t0(lib, 3, 4), [4], None, _t0(lib, 3, 4)),
    lambda lib, F: F.layer_norm(_t0(lib, 3, 4), [4], _t0(lib, 4, dtype="int64")),
    lambda lib, F: F.layer_norm(_t0(lib, 3, 4), [4], _t0(lib, 4, dtype="float32")),
    lambda lib, F: F.layer_norm(_t0(lib, 3, 4), [4], None, _t0(lib, 4, dtype="int64")),
    lambda lib, F: F.group_norm(_t0(lib, 2, 4, 3), 2, _t0(lib, 4, dtype="int64")),
    lambda lib, F: F.group_norm(_t0(lib, 1, 3), 3), lambda lib, F: F.group_norm(_t0(lib, 1, 4, 1), 4),
    lambda lib, F: F.instance_norm(_t0(lib, 4, 4)), lambda lib, F: F.instance_norm(_t0(lib, 4, 4, dtype="bool")),
    lambda lib, F: F.instance_norm(_t0(lib, 4)), lambda lib, F: F.instance_norm(_t0(lib)),
    lambda lib, F: F.instance_norm(_t0(lib, 2, 3, 1)),
    lambda lib, F: F.batch_norm(_t0(lib, 4), None, None, training=True),
    lambda lib, F: F.batch_norm(_t0(lib, 2, 4), None, None),
])
def test_normalisation_shapes_refused_as_pytorch(call):
    same_class(lambda lib: call(lib, lib.nn.functional), torch, minigan)


@pytest.mark.parametrize("call", [
    lambda lib, F: F.rms_norm(_t0(lib, 3, 4), (4,), _t0(lib, 4, dtype="float32")),
    lambda lib, F: F.rms_norm(_t0(lib, 2, 3, 4), [3, 4], _t0(lib, 3, 4)),
    lambda lib, F: F.layer_norm(_t0(lib, 2, 3, 4), lib.Size([3, 4]), _t0(lib, 3, 4), _t0(lib, 3, 4)),
    lambda lib, F: F.layer_norm(_t0(lib, 0, 4), [4]), lambda lib, F: F.group_norm(_t0(lib, 2, 4), 2),
    lambda lib, F: F.instance_norm(_t0(lib, 2, 3, 2)),
])
def test_normalisation_shapes_taken_as_pytorch(call):
    _both_run(lambda lib: call(lib, lib.nn.functional))


# ----------------------------------------------------------------------------- a size given as a list of one
# PyTorch's 2-D convolutions and pools take each size as an int, a pair, or a list of one int (for both axes); a
# pool's empty stride is its default (the kernel).  fold and unfold take an int or exactly two (RuntimeError).
@pytest.mark.parametrize("call", [
    lambda F, lib: F.conv2d(_t0(lib, 1, 1, 5, 5), _t0(lib, 1, 1, 3, 3), stride=[2]),
    lambda F, lib: F.conv2d(_t0(lib, 1, 1, 5, 5), _t0(lib, 1, 1, 3, 3), padding=[1], dilation=(2,)),
    lambda F, lib: F.conv_transpose2d(_t0(lib, 1, 1, 5, 5), _t0(lib, 1, 1, 3, 3), stride=[2], output_padding=[1]),
    lambda F, lib: F.max_pool2d(_t0(lib, 1, 1, 5, 5), [2], padding=[1], stride=[1]),
    lambda F, lib: F.avg_pool2d(_t0(lib, 1, 1, 5, 5), [2], stride=[]),
    lambda F, lib: F.max_pool2d(_t0(lib, 1, 1, 5, 5), 2, stride=[]),
])
def test_a_size_as_a_list_of_one_as_pytorch(call):
    ours = call(minigan.nn.functional, minigan)
    theirs = call(torch.nn.functional, torch)
    assert tuple(ours.shape) == tuple(theirs.shape)
    np.testing.assert_allclose(ours.numpy(), theirs.numpy())


@pytest.mark.parametrize("call", [
    lambda F, lib: F.unfold(_t0(lib, 1, 1, 5, 5), [2]),
    lambda F, lib: F.fold(_t0(lib, 1, 4, 16), (5, 5), [2]),
    lambda F, lib: F.fold(_t0(lib, 1, 4, 16), [5], 2),
])
def test_fold_and_unfold_take_two_sizes_as_pytorch(call):
    same_class(lambda lib: call(lib.nn.functional, lib), torch, minigan)


# ----------------------------------------------------------------------------- cat's dim
# PyTorch's cat, concat and concatenate refuse a dim out of range with IndexError, and each takes dim and axis.
@pytest.mark.parametrize("name", ["cat", "concat", "concatenate"])
@pytest.mark.parametrize("dim", [1, -2, 3])
def test_cat_dim_out_of_range_as_pytorch(name, dim):
    same_class(lambda lib: getattr(lib, name)([_t0(lib, 3), _t0(lib, 2)], dim), torch, minigan)


@pytest.mark.parametrize("name", ["cat", "concat", "concatenate"])
@pytest.mark.parametrize("key", ["dim", "axis"])
def test_cat_takes_dim_and_axis_as_pytorch(name, key):
    ours = getattr(minigan, name)([_t0(minigan, 2, 3), _t0(minigan, 2, 3)], **{key: 1})
    theirs = getattr(torch, name)([_t0(torch, 2, 3), _t0(torch, 2, 3)], **{key: 1})
    assert tuple(ours.shape) == tuple(theirs.shape) == (2, 6)


# ----------------------------------------------------------------------------- interpolate's order
# PyTorch's interpolate (and the upsample forms, which call it) reads its arguments first: align_corners with a
# mode that picks or averages pixels, both or neither of size and scale_factor, a size or scale per axis of another
# count (ValueError); then the input's number of axes and the mode for it (NotImplementedError); then the dtype.
@pytest.mark.parametrize("call", [
    lambda F, x: F.interpolate(x, size=None, scale_factor=None),
    lambda F, x: F.interpolate(x, size=4, scale_factor=2.0),
    lambda F, x: F.interpolate(x, scale_factor=2.0, mode="nearest", align_corners=True),
    lambda F, x: F.interpolate(x, scale_factor=2.0, mode="area", align_corners=False),
    lambda F, x: F.interpolate(x, size=[4, 4, 4]),
    lambda F, x: F.interpolate(x, scale_factor=[2.0, 2.0, 2.0]),
    lambda F, x: F.interpolate(x, scale_factor=2.0),
    lambda F, x: F.interpolate(x, scale_factor=2.0, mode="bilinear"),
    lambda F, x: F.upsample(x), lambda F, x: F.upsample_bilinear(x), lambda F, x: F.upsample_nearest(x),
    lambda F, x: F.upsample_bilinear(x, scale_factor=2),
])
@pytest.mark.parametrize("shape", [(5,), (3, 1), (1, 2, 3), (1, 1, 2, 2), ()])
@pytest.mark.parametrize("dtype", ["float64", "bool", "int64"])
def test_interpolate_refusals_in_pytorchs_order(call, shape, dtype):
    fn = lambda lib: call(lib.nn.functional, lib.ones(shape, dtype=getattr(lib, dtype)))
    if raised(fn, torch) is not None:
        same_class(fn, torch, minigan, one_line=False)


# ----------------------------------------------------------------------------- arange, range, linspace
# PyTorch's ranges have no bool kernel (NotImplementedError, before the bounds are read); arange refuses a step of 0
# and bounds on the wrong side of the step's sign (RuntimeError) and takes end alone by name; linspace refuses a
# negative count of steps with RuntimeError.
@pytest.mark.parametrize("call", [
    lambda lib: lib.arange(3, dtype=lib.bool), lambda lib: lib.arange(0, NAN, dtype=lib.bool),
    lambda lib: lib.arange(0, 5, -1), lambda lib: lib.arange(5, 0), lambda lib: lib.arange(0, 5, 0),
    lambda lib: lib.arange(0.5, -2.5, 0.5), lambda lib: lib.range(0, 3, dtype=lib.bool),
    lambda lib: lib.range(0, INF, dtype=lib.bool), lambda lib: lib.linspace(0, 1, 3, dtype=lib.bool),
    lambda lib: lib.linspace(0, 1, -1),
])
def test_range_refusals_as_pytorch(call):
    same_class(call, torch, minigan)


@pytest.mark.parametrize("call", [lambda lib: lib.arange(end=5), lambda lib: lib.arange(5, 5),
                                  lambda lib: lib.arange(5, 2, -1), lambda lib: lib.arange(0.5, 2.5, 0.5)])
def test_arange_as_pytorch(call):
    np.testing.assert_array_equal(call(minigan).numpy(), call(torch).numpy())


# ----------------------------------------------------------------------------- repeat_interleave's counts
# PyTorch's repeat_interleave takes counts as an int or an integer tensor of 0 or 1 dimensions (another dtype:
# NotImplementedError; 2-D: RuntimeError), one count per entry along dim (or one for all), none negative
# (RuntimeError); the counts-only form reads an integer 1-D tensor the same way.
@pytest.mark.parametrize("call", [
    lambda lib, x: lib.repeat_interleave(x, x), lambda lib, x: x.repeat_interleave(x),
    lambda lib, x: lib.repeat_interleave(x, lib.ones(3, dtype=lib.bool)),
    lambda lib, x: lib.repeat_interleave(x, lib.ones(3, 1, dtype=lib.int64)),
    lambda lib, x: lib.repeat_interleave(x, lib.tensor([1, 2])),
    lambda lib, x: lib.repeat_interleave(x, lib.tensor([1, -2, 1])),
    lambda lib, x: lib.repeat_interleave(x, -1),
    lambda lib, x: lib.repeat_interleave(x), lambda lib, x: lib.repeat_interleave(lib.tensor([True])),
    lambda lib, x: lib.repeat_interleave(lib.ones(2, 2, dtype=lib.int64)),
    lambda lib, x: lib.repeat_interleave(lib.tensor([1, -1])),
    lambda lib, x: x.repeat_interleave(2, dim=2),
])
def test_repeat_interleave_refusals_as_pytorch(call):
    same_class(lambda lib: call(lib, lib.ones(3, dtype=lib.float64)), torch, minigan)


@pytest.mark.parametrize("call", [
    lambda lib, x: x.repeat_interleave(lib.tensor(2)), lambda lib, x: x.repeat_interleave(lib.tensor([2]), dim=1),
    lambda lib, x: x.repeat_interleave(lib.tensor([1, 0, 2]), dim=1), lambda lib, x: lib.repeat_interleave(
        lib.tensor([1, 0, 3])), lambda lib, x: x.repeat_interleave(2, dim=0, output_size=4),
])
def test_repeat_interleave_as_pytorch(call):
    ours = call(minigan, minigan.arange(6.0).reshape(2, 3))
    theirs = call(torch, torch.arange(6.0).reshape(2, 3))
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())


# ----------------------------------------------------------------------------- too few dimensions
# PyTorch's tensor_split needs a tensor of at least 1 dimension, flipud of at least 1 and fliplr of at least 2
# (RuntimeError, with a message naming it; Python's IndexError leaked from tensor_split).
@pytest.mark.parametrize("call", [
    lambda lib: lib.tensor_split(lib.ones(()), 2), lambda lib: lib.ones(()).tensor_split([1]),
    lambda lib: lib.flipud(lib.ones(())), lambda lib: lib.ones(()).flipud(), lambda lib: lib.fliplr(lib.ones(3)),
])
def test_too_few_dimensions_refused_as_pytorch(call):
    same_class(call, torch, minigan)
    assert "tuple index" not in str(raised(call, minigan))


# ----------------------------------------------------------------------------- cross's dim, histc's range
# PyTorch's cross finds its dim before it compares dtypes: none of size 3 (dim not given) or a 0-d input is a
# RuntimeError (linalg.cross's dim -1 of a 0-d input an IndexError); histc refuses an infinite or NaN range and a
# count of bins below 1 with RuntimeError.
@pytest.mark.parametrize("call", [
    lambda lib: lib.cross(lib.ones(()), lib.ones(())), lambda lib: lib.cross(lib.ones(2, 4), lib.ones(2, 4)),
    lambda lib: lib.cross(lib.ones(2, 4), lib.ones(2, 4), dim=1), lambda lib: lib.linalg.cross(lib.ones(()),
                                                                                                lib.ones(())),
    lambda lib: lib.linalg.cross(lib.ones((), dtype=lib.int64), lib.ones(())),
    lambda lib: lib.histc(lib.ones(3), 5, -INF, 1), lambda lib: lib.histc(lib.ones(3), 5, 0, NAN),
    lambda lib: lib.histc(lib.ones(3), 5, 0, INF), lambda lib: lib.histc(lib.ones(3), 5, 2, 1),
    lambda lib: lib.histc(lib.ones(3), -1), lambda lib: lib.histc(lib.ones(3), 0),
])
def test_cross_and_histc_refusals_as_pytorch(call):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # (cross without dim warns, as PyTorch's)
        same_class(call, torch, minigan)


# ----------------------------------------------------------------------------- a reduction's integer dtype=
# PyTorch's prod, nansum, cumsum and cumprod refuse an integer or bool dtype= for an input that records a gradient
# (RuntimeError: autograd has no integer gradients), and a running sum or product has no bool kernel
# (NotImplementedError); without grad mode, or on a tensor that does not require grad, the dtype is taken.
@pytest.mark.parametrize("name", ["prod", pytest.param("nansum", marks=pytorch_since(
    "2.13", "nansum sums into an integer or bool dtype=")), "cumsum", "cumprod"])
@pytest.mark.parametrize("dtype", ["int64", "bool"])
def test_reduction_integer_dtype_of_a_tensor_recording_a_gradient_as_pytorch(name, dtype):
    def call(lib, rg=True):
        x = lib.tensor([1.5, -2.0, 3.0], dtype=lib.float64, requires_grad=rg)
        args = (0,) if name.startswith("cum") else ()
        return getattr(lib, name)(x, *args, dtype=getattr(lib, dtype))

    if raised(call, torch) is None:
        _both_run(call)
    else:
        same_class(call, torch, minigan)
    plain = lambda lib: call(lib, rg=False)
    if raised(plain, torch) is None:
        assert call(minigan, rg=False).tolist() == call(torch, rg=False).tolist()
        with minigan.no_grad(), torch.no_grad():
            assert call(minigan).tolist() == call(torch).tolist()
    else:
        same_class(plain, torch, minigan)


# PyTorch's interpolate also reads recompute_scale_factor with an explicit size, and antialias outside the bilinear and
# bicubic modes of a 4-D input (ValueError), before the axes and the mode; an output size below 1 is a RuntimeError.
@pytest.mark.parametrize("mode", ["nearest", "linear", "bilinear", "bicubic", "area"])
@pytest.mark.parametrize("shape", [(1, 2, 3), (1, 1, 2, 2)])
@pytest.mark.parametrize("kwargs", [dict(size=4, recompute_scale_factor=True), dict(scale_factor=2, antialias=True),
                                    dict(scale_factor=-1.0), dict(size=0)])
def test_interpolate_arguments_read_first_as_pytorch(mode, shape, kwargs):
    fn = lambda lib: lib.nn.functional.interpolate(lib.ones(shape, dtype=lib.float64), mode=mode, **kwargs)
    if raised(fn, torch) is not None:
        same_class(fn, torch, minigan, one_line=False)
