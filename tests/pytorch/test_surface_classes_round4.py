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
"""


import pytest

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

import minigan  # noqa: E402
from pytorch.exception_oracle import same_class  # noqa: E402


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
