"""Bad arguments that reach NumPy: minigan raises an instance of PyTorch's exception class on every NumPy version.

NumPy's own exception for a bad index, shape or conversion is not PyTorch's, and its class can change between NumPy
versions (an index whose arrays cannot be broadcast), so each of these is checked at minigan's door and refused with
PyTorch's class.  The cases are generated over families of calls (indexing and
index-taking functions, shapes, dims, out=, empty reductions, number conversions), each over several dtypes and
index forms; every case is one call written once for both libraries (``lib`` is minigan or torch), and PyTorch
refuses each.  Run under the oldest NumPy minigan supports as well as the newest (noxfile.py, ``lowest_numpy``).
"""

import itertools

import pytest

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

from conftest import default_slice  # noqa: E402

import minigan  # noqa: E402
from pytorch.exception_oracle import same_class  # noqa: E402

DTYPES = ["float32", "float64", "int64", "bool"]


def _x(lib, dtype="float32", shape=(3, 4)):
    n = 1
    for s in shape:
        n *= s
    return lib.arange(n).reshape(shape).to(getattr(lib, dtype))


def _t(lib, values, dtype="int64"):
    return lib.tensor(values, dtype=getattr(lib, dtype))


CASES = {}

# ----------------------------------------------------------------------------- indexing: x[index], x[index] = v
# Each index is (name, shape of x, fn(lib) -> the index); PyTorch raises IndexError for every one.
BAD_INDICES = [
    ("arrays of shapes (2,) and (3,)", (3, 4), lambda lib: (_t(lib, [0, 1]), _t(lib, [0, 1, 2]))),
    ("lists of lengths 2 and 3", (3, 4), lambda lib: ([0, 1], [0, 1, 2])),
    ("a list and an array that cannot broadcast", (3, 4), lambda lib: ([0, 1], _t(lib, [0, 1, 2]))),
    ("arrays of shapes (2, 1) and (3, 2)", (3, 4), lambda lib: (_t(lib, [[0], [1]]), _t(lib, [[0, 1]] * 3))),
    ("arrays around a slice that cannot broadcast", (2, 3, 4),
     lambda lib: (_t(lib, [0, 1]), slice(None), _t(lib, [0, 1, 2]))),
    ("an array and a mask that cannot broadcast", (3, 4),
     lambda lib: (_t(lib, [0, 1]), _t(lib, [True, False, True, True], "bool"))),
    ("two masks that cannot broadcast", (3, 4),
     lambda lib: (_t(lib, [True, True, False], "bool"), _t(lib, [True, False, True, True], "bool"))),
    ("the int 5 on a size 3", (3, 4), lambda lib: 5),
    ("the int -4 on a size 3", (3, 4), lambda lib: -4),
    ("an array holding 5", (3, 4), lambda lib: _t(lib, [0, 5])),
    ("an array holding -4", (3, 4), lambda lib: _t(lib, [-4])),
    ("a list holding 3", (3, 4), lambda lib: [0, 3]),
    ("a 0-d array holding 3", (3, 4), lambda lib: _t(lib, 3)),
    ("an array out of range on the second dim", (3, 4), lambda lib: (_t(lib, [0]), _t(lib, [4]))),
    ("an int out of range after a slice", (3, 4), lambda lib: (slice(None), 4)),
    ("an int out of range after an ellipsis", (2, 3, 4), lambda lib: (Ellipsis, -5)),
    ("an array out of range after an ellipsis", (2, 3, 4), lambda lib: (Ellipsis, _t(lib, [4]))),
    ("three ints on a matrix", (3, 4), lambda lib: (0, 0, 0)),
    ("a slice and two ints on a matrix", (3, 4), lambda lib: (slice(None), 0, 0)),
    ("a mask of length 2 on a size 3", (3, 4), lambda lib: _t(lib, [True, False], "bool")),
    ("a mask of shape (3, 3) on (3, 4)", (3, 4), lambda lib: _t(lib, [[True] * 3] * 3, "bool")),
    ("a float", (3, 4), lambda lib: 1.5),
    ("a float array", (3, 4), lambda lib: _t(lib, [0.0, 1.0], "float32")),
    ("a float array among int arrays", (3, 4), lambda lib: (_t(lib, [0]), _t(lib, [1.0], "float32"))),
    # a list PyTorch reads as one tensor: a Python int past int64 (NumPy: an object, OverflowError or a float), a
    # float past it or NaN (a float index list is truncated), a str or a complex
    ("a list holding 2**63", (3, 4), lambda lib: [0, 2**63]),
    ("a list holding -1 and 2**63", (3, 4), lambda lib: [-1, 2**63]),
    ("a list holding 2**64 - 1", (3, 4), lambda lib: [0, 2**64 - 1]),
    ("a list holding 2**70", (3, 4), lambda lib: [0, 2**70]),
    ("a list holding -2**63 - 1", (3, 4), lambda lib: [0, -2**63 - 1]),
    ("a list holding True and 2**63", (3, 4), lambda lib: [True, 2**63]),
    ("nested lists holding 2**64", (3, 4), lambda lib: [[0, 1], [1, 2**64]]),
    ("a list holding 1e30", (3, 4), lambda lib: [[0, 1e30]]),
    ("a list holding NaN", (3, 4), lambda lib: [0, float("nan")]),
    ("a list holding inf", (3, 4), lambda lib: [0, float("inf")]),
    ("a list holding 2.0**63", (3, 4), lambda lib: [0, 2.0**63]),
    ("a list holding a str", (3, 4), lambda lib: ["a", 1]),
    ("a list holding a complex", (3, 4), lambda lib: [0, 1 + 2j]),
    ("a list and a list holding 2**63", (3, 4), lambda lib: ([0], [2**63])),
]


def _setitem(x, index, value):
    x[index] = value
    return x


def _index_cases():
    for (name, shape, index), dtype in itertools.product(BAD_INDICES, DTYPES):
        CASES[f"x[{name}], {dtype}"] = lambda lib, s=shape, i=index, d=dtype: _x(lib, d, s)[i(lib)]
        CASES[f"x[{name}] = 1, {dtype}"] = lambda lib, s=shape, i=index, d=dtype: _setitem(_x(lib, d, s), i(lib), 1)
    for name, shape, index in BAD_INDICES:
        CASES[f"x[{name}] = a tensor"] = lambda lib, s=shape, i=index: _setitem(_x(lib, "float32", s), i(lib),
                                                                              lib.tensor(2.0))


_index_cases()

# Index tensors that index_put takes (tuples of tensors only).
BAD_INDEX_PUTS = [
    ("arrays of shapes (2,) and (3,)", lambda lib: (_t(lib, [0, 1]), _t(lib, [0, 1, 2]))),
    ("an array holding 3", lambda lib: (_t(lib, [3]),)),
    ("an array holding -4", lambda lib: (_t(lib, [-4]),)),
    ("an array out of range on the second dim", lambda lib: (_t(lib, [0]), _t(lib, [4]))),
    ("three arrays on a matrix", lambda lib: (_t(lib, [0]),) * 3),
    ("a mask of length 2", lambda lib: (_t(lib, [True, False], "bool"),)),
]
for (_name, _index), _accumulate, _dtype in itertools.product(BAD_INDEX_PUTS, (False, True), ("float32", "int64")):
    CASES[f"index_put({_name}, accumulate={_accumulate}), {_dtype}"] = \
        lambda lib, i=_index, a=_accumulate, d=_dtype: _x(lib, d).index_put(i(lib), _t(lib, 1, d), accumulate=a)
    CASES[f"index_put_({_name}, accumulate={_accumulate}), {_dtype}"] = \
        lambda lib, i=_index, a=_accumulate, d=_dtype: _x(lib, d).index_put_(i(lib), _t(lib, 1, d), accumulate=a)

# ----------------------------------------------------------------------------- functions that take an index tensor
for _dtype in ("float32", "int64"):
    CASES.update({
        f"index_select past the end, {_dtype}": lambda lib, d=_dtype: lib.index_select(_x(lib, d), 0, _t(lib, [3])),
        f"index_select below -size, {_dtype}": lambda lib, d=_dtype: lib.index_select(_x(lib, d), 1, _t(lib, [-5])),
        f"index_select by a matrix, {_dtype}": lambda lib, d=_dtype: lib.index_select(_x(lib, d), 0,
                                                                                       _t(lib, [[0]])),
        f"index_select by floats, {_dtype}": lambda lib, d=_dtype: lib.index_select(_x(lib, d), 0,
                                                                                     _t(lib, [0.0], "float32")),
        f"gather past the end, {_dtype}": lambda lib, d=_dtype: lib.gather(_x(lib, d), 1, _t(lib, [[4]])),
        f"gather below zero, {_dtype}": lambda lib, d=_dtype: lib.gather(_x(lib, d), 1, _t(lib, [[-5]])),
        f"gather of another rank, {_dtype}": lambda lib, d=_dtype: lib.gather(_x(lib, d), 1, _t(lib, [0])),
        f"gather larger than the input, {_dtype}": lambda lib, d=_dtype: lib.gather(_x(lib, d), 1,
                                                                                     _t(lib, [[0]] * 4)),
        f"take past the end, {_dtype}": lambda lib, d=_dtype: lib.take(_x(lib, d), _t(lib, [12])),
        f"take below -numel, {_dtype}": lambda lib, d=_dtype: lib.take(_x(lib, d), _t(lib, [-13])),
        f"take_along_dim unbroadcastable, {_dtype}": lambda lib, d=_dtype: lib.take_along_dim(
            _x(lib, d), _t(lib, [[0]] * 2), 1),
        f"scatter past the end, {_dtype}": lambda lib, d=_dtype: _x(lib, d).scatter(1, _t(lib, [[4]]),
                                                                                     _x(lib, d)),
        f"scatter_ below zero, {_dtype}": lambda lib, d=_dtype: _x(lib, d).scatter_(1, _t(lib, [[-5]]), 1),
        f"scatter_add past the end, {_dtype}": lambda lib, d=_dtype: _x(lib, d).scatter_add(
            0, _t(lib, [[3]]), _x(lib, d)),
        f"index_add past the end, {_dtype}": lambda lib, d=_dtype: _x(lib, d).index_add(
            0, _t(lib, [3]), _x(lib, d)[:1]),
        f"index_add_ of a source of another shape, {_dtype}": lambda lib, d=_dtype: _x(lib, d).index_add_(
            0, _t(lib, [0]), _x(lib, d)),
        f"index_copy past the end, {_dtype}": lambda lib, d=_dtype: _x(lib, d).index_copy(
            0, _t(lib, [3]), _x(lib, d)[:1]),
        f"index_copy_ of a source of another shape, {_dtype}": lambda lib, d=_dtype: _x(lib, d).index_copy_(
            1, _t(lib, [0, 1]), _x(lib, d)),
        f"index_fill past the end, {_dtype}": lambda lib, d=_dtype: _x(lib, d).index_fill(1, _t(lib, [4]), 0),
        f"index_fill_ below -size, {_dtype}": lambda lib, d=_dtype: _x(lib, d).index_fill_(0, _t(lib, [-4]), 0),
        f"masked_fill by a mask that cannot broadcast, {_dtype}": lambda lib, d=_dtype: _x(lib, d).masked_fill(
            _t(lib, [True, False, True], "bool"), 0),
        f"masked_fill_ by a larger mask, {_dtype}": lambda lib, d=_dtype: _x(lib, d).masked_fill_(
            _t(lib, [[[True] * 4] * 3] * 2, "bool"), 0),
        f"masked_select by a mask that cannot broadcast, {_dtype}": lambda lib, d=_dtype: lib.masked_select(
            _x(lib, d), _t(lib, [True, False, True], "bool")),
    })
CASES.update({
    "embedding past the end": lambda lib: lib.nn.functional.embedding(_t(lib, [0, 5]), lib.ones(5, 2)),
    "embedding below zero": lambda lib: lib.nn.functional.embedding(_t(lib, [-1]), lib.ones(5, 2)),
    "Embedding past the end": lambda lib: lib.nn.Embedding(3, 2)(_t(lib, [3])),
    "one_hot past num_classes": lambda lib: lib.nn.functional.one_hot(_t(lib, [0, 3]), 3),
    "one_hot of a negative label": lambda lib: lib.nn.functional.one_hot(_t(lib, [-1, 1])),
    "nll_loss of a target past the classes": lambda lib: lib.nn.functional.nll_loss(lib.ones(2, 3),
                                                                                    _t(lib, [0, 3])),
    "cross_entropy of a negative target": lambda lib: lib.nn.functional.cross_entropy(lib.ones(2, 3),
                                                                                      _t(lib, [0, -2])),
    "cross_entropy of a target past the classes, 4-d": lambda lib: lib.nn.functional.cross_entropy(
        lib.ones(1, 3, 2, 2), _t(lib, [[[0, 3], [1, 1]]])),
    "bincount with weights of another length": lambda lib: lib.bincount(_t(lib, [0, 1]), lib.ones(3)),
    "bincount of a negative count": lambda lib: lib.bincount(_t(lib, [0, -1])),
    "narrow past the end": lambda lib: _x(lib).narrow(1, 3, 2),
    "narrow from past the size": lambda lib: _x(lib).narrow(0, 4, 0),
    "unbind of a dim past the rank": lambda lib: _x(lib).unbind(2),
    "tensor_split by a matrix of indices": lambda lib: lib.tensor_split(_x(lib), _t(lib, [[1]])),
})

# ----------------------------------------------------------------------------- shapes
for _dtype in DTYPES:
    CASES.update({
        f"cat of unequal sizes, {_dtype}": lambda lib, d=_dtype: lib.cat([_x(lib, d), _x(lib, d, (3, 3))], 0),
        f"cat of different ranks, {_dtype}": lambda lib, d=_dtype: lib.cat([_x(lib, d), _x(lib, d, (12,))]),
        f"cat at a dim past the rank, {_dtype}": lambda lib, d=_dtype: lib.cat([_x(lib, d), _x(lib, d)], 2),
        f"cat of 0-d tensors, {_dtype}": lambda lib, d=_dtype: lib.cat([_t(lib, 1, d), _t(lib, 2, d)]),
        f"cat of no tensors, {_dtype}": lambda lib, d=_dtype: lib.cat([]),
        f"stack of unequal shapes, {_dtype}": lambda lib, d=_dtype: lib.stack([_x(lib, d), _x(lib, d, (4, 3))]),
        f"stack at a dim past the rank, {_dtype}": lambda lib, d=_dtype: lib.stack([_x(lib, d)] * 2, 4),
        f"hstack of unequal sizes, {_dtype}": lambda lib, d=_dtype: lib.hstack([_x(lib, d), _x(lib, d, (2, 4))]),
        f"vstack of unequal sizes, {_dtype}": lambda lib, d=_dtype: lib.vstack([_x(lib, d), _x(lib, d, (3, 3))]),
        f"dstack of unequal sizes, {_dtype}": lambda lib, d=_dtype: lib.dstack([_x(lib, d), _x(lib, d, (3, 3))]),
        f"column_stack of unequal lengths, {_dtype}": lambda lib, d=_dtype: lib.column_stack(
            [_x(lib, d, (3,)), _x(lib, d, (4,))]),
        f"reshape to a wrong count, {_dtype}": lambda lib, d=_dtype: _x(lib, d).reshape(5, 3),
        f"reshape with two -1, {_dtype}": lambda lib, d=_dtype: _x(lib, d).reshape(-1, -1),
        f"reshape with -1 that cannot divide, {_dtype}": lambda lib, d=_dtype: _x(lib, d).reshape(-1, 5),
        f"reshape to a negative size, {_dtype}": lambda lib, d=_dtype: _x(lib, d).reshape(-2, 6),
        f"view to a wrong count, {_dtype}": lambda lib, d=_dtype: _x(lib, d).view(13),
        f"view of a transpose, {_dtype}": lambda lib, d=_dtype: _x(lib, d).t().view(12),
        f"view_as of another count, {_dtype}": lambda lib, d=_dtype: _x(lib, d).view_as(_x(lib, d, (5,))),
        f"expand to a smaller size, {_dtype}": lambda lib, d=_dtype: _x(lib, d).expand(3, 2),
        f"expand to fewer dims, {_dtype}": lambda lib, d=_dtype: _x(lib, d).expand(4),
        f"expand with -1 for a new dim, {_dtype}": lambda lib, d=_dtype: _x(lib, d).expand(-1, 3, 4),
        f"expand_as of an unbroadcastable shape, {_dtype}": lambda lib, d=_dtype: _x(lib, d).expand_as(
            _x(lib, d, (4, 3))),
        f"broadcast_to an unbroadcastable shape, {_dtype}": lambda lib, d=_dtype: lib.broadcast_to(
            _x(lib, d), (2, 3)),
        f"broadcast_tensors of unbroadcastable shapes, {_dtype}": lambda lib, d=_dtype: lib.broadcast_tensors(
            _x(lib, d), _x(lib, d, (3,))),
        f"where of unbroadcastable shapes, {_dtype}": lambda lib, d=_dtype: lib.where(
            _t(lib, [True, False, True], "bool"), _x(lib, d), _x(lib, d)),
        f"add of unbroadcastable shapes, {_dtype}": lambda lib, d=_dtype: _x(lib, d) + _x(lib, d, (3,)),
        f"mul of unbroadcastable shapes, {_dtype}": lambda lib, d=_dtype: lib.mul(_x(lib, d), _x(lib, d, (2, 4))),
        f"eq of unbroadcastable shapes, {_dtype}": lambda lib, d=_dtype: _x(lib, d) == _x(lib, d, (3,)),
        f"maximum of unbroadcastable shapes, {_dtype}": lambda lib, d=_dtype: lib.maximum(
            _x(lib, d), _x(lib, d, (3,))),
        f"add_ that would grow the tensor, {_dtype}": lambda lib, d=_dtype: _x(lib, d, (4,)).add_(_x(lib, d)),
        f"copy_ of an unbroadcastable source, {_dtype}": lambda lib, d=_dtype: _x(lib, d).copy_(_x(lib, d, (3,))),
        f"permute with a repeated dim, {_dtype}": lambda lib, d=_dtype: _x(lib, d).permute(0, 0),
        f"permute with too few dims, {_dtype}": lambda lib, d=_dtype: _x(lib, d).permute(0),
        f"movedim with a repeated dim, {_dtype}": lambda lib, d=_dtype: lib.movedim(_x(lib, d), (0, 0), (0, 1)),
        f"transpose past the rank, {_dtype}": lambda lib, d=_dtype: _x(lib, d).transpose(0, 2),
        f"squeeze past the rank, {_dtype}": lambda lib, d=_dtype: _x(lib, d).squeeze(2),
        f"unsqueeze past the rank, {_dtype}": lambda lib, d=_dtype: _x(lib, d).unsqueeze(3),
        f"flatten with start after end, {_dtype}": lambda lib, d=_dtype: _x(lib, d, (2, 3, 4)).flatten(2, 1),
        f"unflatten into a wrong count, {_dtype}": lambda lib, d=_dtype: _x(lib, d).unflatten(1, (3, 2)),
        f"split by a wrong list, {_dtype}": lambda lib, d=_dtype: _x(lib, d).split([1, 1], 0),
        f"chunk into 0, {_dtype}": lambda lib, d=_dtype: _x(lib, d).chunk(0),
        f"repeat with fewer sizes than dims, {_dtype}": lambda lib, d=_dtype: _x(lib, d).repeat(2),
        f"flip with a repeated dim, {_dtype}": lambda lib, d=_dtype: _x(lib, d).flip(0, 0),
        f"flip past the rank, {_dtype}": lambda lib, d=_dtype: _x(lib, d).flip(2),
        f"roll past the rank, {_dtype}": lambda lib, d=_dtype: _x(lib, d).roll(1, 2),
        f"diag of a 3-d tensor, {_dtype}": lambda lib, d=_dtype: lib.diag(_x(lib, d, (2, 2, 2))),
        f"trace of a vector, {_dtype}": lambda lib, d=_dtype: lib.trace(_x(lib, d, (3,))),
    })
for _dtype in ("float32", "float64"):
    CASES.update({
        f"matmul of (3, 4) and (3, 4), {_dtype}": lambda lib, d=_dtype: _x(lib, d) @ _x(lib, d),
        f"matmul of vectors of unequal length, {_dtype}": lambda lib, d=_dtype: lib.matmul(
            _x(lib, d, (3,)), _x(lib, d, (4,))),
        f"matmul of a 0-d tensor, {_dtype}": lambda lib, d=_dtype: lib.matmul(_t(lib, 1.0, d), _x(lib, d)),
        f"matmul of unbroadcastable batches, {_dtype}": lambda lib, d=_dtype: lib.matmul(
            _x(lib, d, (2, 3, 4)), _x(lib, d, (3, 4, 2))),
        f"mm of a vector, {_dtype}": lambda lib, d=_dtype: lib.mm(_x(lib, d, (3,)), _x(lib, d)),
        f"mm of (3, 4) and (3, 4), {_dtype}": lambda lib, d=_dtype: lib.mm(_x(lib, d), _x(lib, d)),
        f"bmm of unequal batches, {_dtype}": lambda lib, d=_dtype: lib.bmm(_x(lib, d, (2, 3, 4)),
                                                                            _x(lib, d, (3, 4, 2))),
        f"mv of a matrix and a wrong length, {_dtype}": lambda lib, d=_dtype: lib.mv(_x(lib, d),
                                                                                      _x(lib, d, (3,))),
        f"dot of unequal lengths, {_dtype}": lambda lib, d=_dtype: lib.dot(_x(lib, d, (3,)), _x(lib, d, (4,))),
        f"dot of matrices, {_dtype}": lambda lib, d=_dtype: lib.dot(_x(lib, d), _x(lib, d)),
        f"outer of matrices, {_dtype}": lambda lib, d=_dtype: lib.outer(_x(lib, d), _x(lib, d)),
        f"addmm of a wrong bias, {_dtype}": lambda lib, d=_dtype: lib.addmm(_x(lib, d, (2, 2)), _x(lib, d),
                                                                             _x(lib, d, (4, 5))),
        f"linear of a wrong bias, {_dtype}": lambda lib, d=_dtype: lib.nn.functional.linear(
            _x(lib, d), _x(lib, d, (2, 4)), _x(lib, d, (3,))),
        f"tensordot of unequal sizes, {_dtype}": lambda lib, d=_dtype: lib.tensordot(_x(lib, d), _x(lib, d),
                                                                                      dims=([0], [1])),
        f"einsum of unequal sizes, {_dtype}": lambda lib, d=_dtype: lib.einsum("ij,ij->i", _x(lib, d),
                                                                               _x(lib, d, (4, 3))),
        f"cross over a dim of size 4, {_dtype}": lambda lib, d=_dtype: lib.cross(_x(lib, d), _x(lib, d), dim=1),
        f"conv2d of a wrong channel count, {_dtype}": lambda lib, d=_dtype: lib.nn.functional.conv2d(
            _x(lib, d, (1, 2, 4, 4)), _x(lib, d, (1, 3, 2, 2))),
        f"conv2d of a kernel larger than the input, {_dtype}": lambda lib, d=_dtype: lib.nn.functional.conv2d(
            _x(lib, d, (1, 1, 2, 2)), _x(lib, d, (1, 1, 3, 3))),
        f"conv1d of a 4-d input, {_dtype}": lambda lib, d=_dtype: lib.nn.functional.conv1d(
            _x(lib, d, (1, 1, 2, 2)), _x(lib, d, (1, 1, 1))),
        f"batch_norm of a wrong running mean, {_dtype}": lambda lib, d=_dtype: lib.nn.functional.batch_norm(
            _x(lib, d), _x(lib, d, (3,)), _x(lib, d, (3,)) + 1),
        f"layer_norm of a wrong shape, {_dtype}": lambda lib, d=_dtype: lib.nn.functional.layer_norm(
            _x(lib, d), (3,)),
        f"mse_loss of a wrong target (no broadcast), {_dtype}": lambda lib, d=_dtype: lib.nn.functional.mse_loss(
            _x(lib, d), _x(lib, d, (3,))),
        f"binary_cross_entropy of a wrong target, {_dtype}": lambda lib, d=_dtype: lib.nn.functional
        .binary_cross_entropy(_x(lib, d) / 12, _x(lib, d, (3,))),
        f"cross_entropy of a wrong target count, {_dtype}": lambda lib, d=_dtype: lib.nn.functional.cross_entropy(
            _x(lib, d), _t(lib, [0, 1])),
        f"max_pool2d of a 2-d input, {_dtype}": lambda lib, d=_dtype: lib.nn.functional.max_pool2d(_x(lib, d), 2),
        f"avg_pool2d with a kernel past the input, {_dtype}": lambda lib, d=_dtype: lib.nn.functional.avg_pool2d(
            _x(lib, d, (1, 1, 2, 2)), 3),
        f"interpolate to a wrong number of sizes, {_dtype}": lambda lib, d=_dtype: lib.nn.functional.interpolate(
            _x(lib, d, (1, 1, 2, 2)), size=(2, 2, 2)),
        f"pad of an odd list, {_dtype}": lambda lib, d=_dtype: lib.nn.functional.pad(_x(lib, d), (1,)),
        f"pad reflect past the size, {_dtype}": lambda lib, d=_dtype: lib.nn.functional.pad(
            _x(lib, d, (1, 3, 4)), (4, 4), "reflect"),
    })

# ----------------------------------------------------------------------------- an argument beside the input, misshapen
def _f(lib):
    return lib.nn.functional


def _p(lib, shape, dtype="float32"):
    """Values in (0, 1) of ``shape`` (probabilities, targets)."""
    return (_x(lib, dtype, shape) + 1) / (_x(lib, dtype, shape).numel() + 2)


for _dtype in ("float32", "float64"):
    CASES.update({
        f"scaled_dot_product_attention of an unbroadcastable attn_mask, {_dtype}": lambda lib, d=_dtype: _f(lib)
        .scaled_dot_product_attention(_p(lib, (1, 2, 3), d), _p(lib, (1, 2, 3), d), _p(lib, (1, 2, 3), d),
                                      attn_mask=_p(lib, (3, 3), d)),
        f"scaled_dot_product_attention of an unbroadcastable bool attn_mask, {_dtype}": lambda lib, d=_dtype: _f(lib)
        .scaled_dot_product_attention(_p(lib, (2, 4, 3), d), _p(lib, (2, 5, 3), d), _p(lib, (2, 5, 3), d),
                                      attn_mask=lib.ones(3, 4, 5, dtype=lib.bool)),
        f"scaled_dot_product_attention of keys of another width, {_dtype}": lambda lib, d=_dtype: _f(lib)
        .scaled_dot_product_attention(_p(lib, (1, 2, 3), d), _p(lib, (1, 2, 4), d), _p(lib, (1, 2, 3), d)),
        f"scaled_dot_product_attention of values of another length, {_dtype}": lambda lib, d=_dtype: _f(lib)
        .scaled_dot_product_attention(_p(lib, (1, 2, 3), d), _p(lib, (1, 2, 3), d), _p(lib, (1, 4, 3), d)),
        f"cross_entropy of a weight of another length, {_dtype}": lambda lib, d=_dtype: _f(lib).cross_entropy(
            _p(lib, (2, 3), d), _t(lib, [0, 1]), weight=_p(lib, (4,), d)),
        f"nll_loss of a weight of another length, {_dtype}": lambda lib, d=_dtype: _f(lib).nll_loss(
            _p(lib, (2, 3), d), _t(lib, [0, 1]), weight=_p(lib, (2,), d)),
        f"nll_loss of a target of another batch, {_dtype}": lambda lib, d=_dtype: _f(lib).nll_loss(
            _p(lib, (2, 3, 4), d), _t(lib, [[0, 1, 2, 0]] * 3)),
        f"binary_cross_entropy of an unbroadcastable weight, {_dtype}": lambda lib, d=_dtype: _f(lib)
        .binary_cross_entropy(_p(lib, (3, 4), d), _p(lib, (3, 4), d), weight=_p(lib, (3,), d)),
        f"binary_cross_entropy_with_logits of an unbroadcastable pos_weight, {_dtype}": lambda lib, d=_dtype:
        _f(lib).binary_cross_entropy_with_logits(_p(lib, (3, 4), d), _p(lib, (3, 4), d),
                                                  pos_weight=_p(lib, (3,), d)),
        f"binary_cross_entropy_with_logits of an unbroadcastable weight, {_dtype}": lambda lib, d=_dtype:
        _f(lib).binary_cross_entropy_with_logits(_p(lib, (3, 4), d), _p(lib, (3, 4), d), weight=_p(lib, (2, 1), d)),
        f"binary_cross_entropy_with_logits of a target of another shape, {_dtype}": lambda lib, d=_dtype:
        _f(lib).binary_cross_entropy_with_logits(_p(lib, (3, 4), d), _p(lib, (4, 3), d)),
        f"l1_loss of unbroadcastable shapes, {_dtype}": lambda lib, d=_dtype: _f(lib).l1_loss(
            _p(lib, (3, 4), d), _p(lib, (2, 4), d)),
        f"smooth_l1_loss of unbroadcastable shapes, {_dtype}": lambda lib, d=_dtype: _f(lib).smooth_l1_loss(
            _p(lib, (3, 4), d), _p(lib, (2, 4), d)),
        f"huber_loss of unbroadcastable shapes, {_dtype}": lambda lib, d=_dtype: _f(lib).huber_loss(
            _p(lib, (3, 4), d), _p(lib, (3,), d)),
        f"kl_div of unbroadcastable shapes, {_dtype}": lambda lib, d=_dtype: _f(lib).kl_div(
            _p(lib, (3, 4), d), _p(lib, (3,), d), reduction="batchmean"),
        f"poisson_nll_loss of unbroadcastable shapes, {_dtype}": lambda lib, d=_dtype: _f(lib).poisson_nll_loss(
            _p(lib, (3, 4), d), _p(lib, (2, 4), d)),
        f"gaussian_nll_loss of a var of another shape, {_dtype}": lambda lib, d=_dtype: _f(lib).gaussian_nll_loss(
            _p(lib, (3, 4), d), _p(lib, (3, 4), d), _p(lib, (2, 4), d)),
        f"soft_margin_loss of unbroadcastable shapes, {_dtype}": lambda lib, d=_dtype: _f(lib).soft_margin_loss(
            _p(lib, (3, 4), d), _p(lib, (2, 4), d)),
        f"multilabel_soft_margin_loss of another shape, {_dtype}": lambda lib, d=_dtype: _f(lib)
        .multilabel_soft_margin_loss(_p(lib, (3, 4), d), _p(lib, (3, 5), d)),
        f"hinge_embedding_loss of unbroadcastable shapes, {_dtype}": lambda lib, d=_dtype: _f(lib)
        .hinge_embedding_loss(_p(lib, (3, 4), d), _p(lib, (2, 4), d)),
        f"margin_ranking_loss of unbroadcastable shapes, {_dtype}": lambda lib, d=_dtype: _f(lib)
        .margin_ranking_loss(_p(lib, (3,), d), _p(lib, (4,), d), _p(lib, (3,), d)),
        f"cosine_embedding_loss of unequal shapes, {_dtype}": lambda lib, d=_dtype: _f(lib).cosine_embedding_loss(
            _p(lib, (3, 4), d), _p(lib, (3, 5), d), _p(lib, (3,), d)),
        f"triplet_margin_loss of unequal widths, {_dtype}": lambda lib, d=_dtype: _f(lib).triplet_margin_loss(
            _p(lib, (3, 4), d), _p(lib, (3, 4), d), _p(lib, (3, 5), d)),
        f"cosine_similarity of unbroadcastable shapes, {_dtype}": lambda lib, d=_dtype: _f(lib).cosine_similarity(
            _p(lib, (3, 4), d), _p(lib, (2, 4), d)),
        f"pairwise_distance of unbroadcastable shapes, {_dtype}": lambda lib, d=_dtype: _f(lib).pairwise_distance(
            _p(lib, (3, 4), d), _p(lib, (2, 4), d)),
        f"cdist of unequal widths, {_dtype}": lambda lib, d=_dtype: lib.cdist(_p(lib, (3, 4), d),
                                                                             _p(lib, (2, 5), d)),
        f"cdist of unbroadcastable batches, {_dtype}": lambda lib, d=_dtype: lib.cdist(_p(lib, (2, 3, 4), d),
                                                                                      _p(lib, (3, 2, 4), d)),
        f"conv2d of a bias of another length, {_dtype}": lambda lib, d=_dtype: _f(lib).conv2d(
            _p(lib, (1, 2, 4, 4), d), _p(lib, (3, 2, 2, 2), d), _p(lib, (2,), d)),
        f"conv1d of groups not dividing the channels, {_dtype}": lambda lib, d=_dtype: _f(lib).conv1d(
            _p(lib, (1, 3, 4), d), _p(lib, (2, 1, 2), d), groups=2),
        f"conv_transpose2d of a wrong channel count, {_dtype}": lambda lib, d=_dtype: _f(lib).conv_transpose2d(
            _p(lib, (1, 2, 3, 3), d), _p(lib, (3, 1, 2, 2), d)),
        f"conv_transpose1d of an output_padding past the stride, {_dtype}": lambda lib, d=_dtype: _f(lib)
        .conv_transpose1d(_p(lib, (1, 1, 3), d), _p(lib, (1, 1, 2), d), output_padding=2),
        f"batch_norm of a weight of another length, {_dtype}": lambda lib, d=_dtype: _f(lib).batch_norm(
            _p(lib, (2, 3), d), None, None, weight=_p(lib, (2,), d), training=True),
        f"group_norm of a weight of another length, {_dtype}": lambda lib, d=_dtype: _f(lib).group_norm(
            _p(lib, (2, 4, 3), d), 2, weight=_p(lib, (3,), d)),
        f"layer_norm of a weight of another shape, {_dtype}": lambda lib, d=_dtype: _f(lib).layer_norm(
            _p(lib, (2, 4), d), (4,), weight=_p(lib, (3,), d)),
        f"rms_norm of a wrong normalized shape, {_dtype}": lambda lib, d=_dtype: _f(lib).rms_norm(
            _p(lib, (2, 4), d), (3,)),
        f"instance_norm of a running mean of another length, {_dtype}": lambda lib, d=_dtype: _f(lib)
        .instance_norm(_p(lib, (2, 3, 4), d), running_mean=_p(lib, (2,), d), running_var=_p(lib, (2,), d),
                       use_input_stats=True),
        f"prelu of a weight of another length, {_dtype}": lambda lib, d=_dtype: _f(lib).prelu(
            _p(lib, (2, 3, 4), d), _p(lib, (2,), d)),
        f"glu over an odd dim, {_dtype}": lambda lib, d=_dtype: _f(lib).glu(_p(lib, (2, 3), d)),
        f"embedding with padding_idx past the rows, {_dtype}": lambda lib, d=_dtype: _f(lib).embedding(
            _t(lib, [0]), _p(lib, (3, 2), d), padding_idx=3),
        f"embedding of a 1-d weight, {_dtype}": lambda lib, d=_dtype: _f(lib).embedding(_t(lib, [0]),
                                                                                       _p(lib, (3,), d)),
        f"unfold of a 2-d input, {_dtype}": lambda lib, d=_dtype: _f(lib).unfold(_p(lib, (3, 4), d), 2),
        f"unfold with a kernel past the input, {_dtype}": lambda lib, d=_dtype: _f(lib).unfold(
            _p(lib, (1, 1, 3, 3), d), 4),
        f"fold of a count that is not whole blocks, {_dtype}": lambda lib, d=_dtype: _f(lib).fold(
            _p(lib, (1, 5, 4), d), (3, 3), 2),
        f"fold of a block count that does not fit, {_dtype}": lambda lib, d=_dtype: _f(lib).fold(
            _p(lib, (1, 4, 5), d), (3, 3), 2),
        f"pixel_shuffle of channels not divisible, {_dtype}": lambda lib, d=_dtype: _f(lib).pixel_shuffle(
            _p(lib, (1, 3, 2, 2), d), 2),
        f"pixel_unshuffle of a size not divisible, {_dtype}": lambda lib, d=_dtype: _f(lib).pixel_unshuffle(
            _p(lib, (1, 1, 3, 4), d), 2),
        f"adaptive_avg_pool2d of a 2-d input, {_dtype}": lambda lib, d=_dtype: _f(lib).adaptive_avg_pool2d(
            _p(lib, (3, 4), d), 2),
        f"interpolate of a 2-d input, {_dtype}": lambda lib, d=_dtype: _f(lib).interpolate(_p(lib, (3, 4), d),
                                                                                          size=2),
        f"interpolate bilinear of a 3-d input, {_dtype}": lambda lib, d=_dtype: _f(lib).interpolate(
            _p(lib, (1, 3, 4), d), size=2, mode="bilinear"),
        f"normalize over a dim past the rank, {_dtype}": lambda lib, d=_dtype: _f(lib).normalize(
            _p(lib, (3, 4), d), dim=3),
        f"Linear of a wrong width, {_dtype}": lambda lib, d=_dtype: lib.nn.Linear(3, 2).to(getattr(lib, d))(
            _p(lib, (3, 4), d)),
        f"Conv2d of a wrong channel count, {_dtype}": lambda lib, d=_dtype: lib.nn.Conv2d(3, 2, 1).to(
            getattr(lib, d))(_p(lib, (1, 2, 4, 4), d)),
        f"BatchNorm1d of a wrong channel count, {_dtype}": lambda lib, d=_dtype: lib.nn.BatchNorm1d(3).to(
            getattr(lib, d))(_p(lib, (2, 4), d)),
        f"LayerNorm of a wrong width, {_dtype}": lambda lib, d=_dtype: lib.nn.LayerNorm(3).to(getattr(lib, d))(
            _p(lib, (2, 4), d)),
        f"MultiheadAttention of a wrong width, {_dtype}": lambda lib, d=_dtype: lib.nn.MultiheadAttention(
            4, 2, batch_first=True).to(getattr(lib, d))(*[_p(lib, (1, 2, 3), d)] * 3),
        f"MultiheadAttention of an unbroadcastable attn_mask, {_dtype}": lambda lib, d=_dtype: lib.nn
        .MultiheadAttention(4, 2, batch_first=True).to(getattr(lib, d))(
            *[_p(lib, (1, 2, 4), d)] * 3, attn_mask=lib.zeros(3, 3, dtype=getattr(lib, d))),
        f"MultiheadAttention of a key_padding_mask of another length, {_dtype}": lambda lib, d=_dtype: lib.nn
        .MultiheadAttention(4, 2, batch_first=True).to(getattr(lib, d))(
            *[_p(lib, (1, 2, 4), d)] * 3, key_padding_mask=lib.zeros(1, 3, dtype=lib.bool)),
        f"MultiheadAttention of a 1-d attn_mask, {_dtype}": lambda lib, d=_dtype: lib.nn.MultiheadAttention(
            4, 2, batch_first=True).to(getattr(lib, d))(*[_p(lib, (1, 2, 4), d)] * 3, attn_mask=lib.zeros(2)),
        f"MultiheadAttention of a 3-d key_padding_mask, {_dtype}": lambda lib, d=_dtype: lib.nn.MultiheadAttention(
            4, 2, batch_first=True).to(getattr(lib, d))(*[_p(lib, (1, 2, 4), d)] * 3,
                                                        key_padding_mask=lib.zeros(1, 1, 2, dtype=lib.bool)),
        f"MultiheadAttention of a key_padding_mask of another batch, {_dtype}": lambda lib, d=_dtype: lib.nn
        .MultiheadAttention(4, 2).to(getattr(lib, d))(*[_p(lib, (2, 1, 4), d)] * 3,
                                                      key_padding_mask=lib.zeros(2, 2, dtype=lib.bool)),
        f"MultiheadAttention of an unbatched key_padding_mask of another length, {_dtype}": lambda lib, d=_dtype:
        lib.nn.MultiheadAttention(4, 2).to(getattr(lib, d))(*[_p(lib, (2, 4), d)] * 3,
                                                            key_padding_mask=lib.zeros(3, dtype=lib.bool)),
        f"MultiheadAttention of keys and values of unequal lengths, {_dtype}": lambda lib, d=_dtype: lib.nn
        .MultiheadAttention(4, 2).to(getattr(lib, d))(_p(lib, (2, 1, 4), d), _p(lib, (3, 1, 4), d),
                                                      _p(lib, (2, 1, 4), d)),
        f"MultiheadAttention of a 4-d query, {_dtype}": lambda lib, d=_dtype: lib.nn.MultiheadAttention(4, 2).to(
            getattr(lib, d))(*[_p(lib, (1, 2, 1, 4), d)] * 3),
        f"MultiheadAttention of keys of another width, {_dtype}": lambda lib, d=_dtype: lib.nn.MultiheadAttention(
            4, 2, kdim=3).to(getattr(lib, d))(_p(lib, (2, 1, 4), d), _p(lib, (2, 1, 4), d), _p(lib, (2, 1, 4), d)),
        f"GRU of a wrong width, {_dtype}": lambda lib, d=_dtype: lib.nn.GRU(3, 2).to(getattr(lib, d))(
            _p(lib, (2, 1, 4), d)),
        f"LSTM of a wrong initial state, {_dtype}": lambda lib, d=_dtype: lib.nn.LSTM(3, 2).to(getattr(lib, d))(
            _p(lib, (2, 1, 3), d), (_p(lib, (1, 2, 2), d), _p(lib, (1, 2, 2), d))),
    })
CASES.update({
    "load_state_dict of a weight of another shape": lambda lib: lib.nn.Linear(3, 2).load_state_dict(
        {"weight": lib.ones(3, 2), "bias": lib.ones(2)}),
    "parameters_to_vector of a number": lambda lib: lib.nn.utils.parameters_to_vector([lib.ones(2), 3]),
    "vector_to_parameters of too few values": lambda lib: lib.nn.utils.vector_to_parameters(
        lib.ones(3), [lib.ones(2, 2)]),
    "backward of a gradient of another shape": lambda lib: (lib.ones(3, requires_grad=True) * 2).backward(
        lib.ones(4)),
    "autograd.grad of a grad_outputs of another shape": lambda lib: lib.autograd.grad(
        [(lambda a: a * 2)(lib.ones(3, requires_grad=True))], [lib.ones(3, requires_grad=True)],
        grad_outputs=[lib.ones(2)]),
    "grad of a tensor set to another shape": lambda lib: setattr(lib.ones(3, requires_grad=True), "grad",
                                                                 lib.ones(4)),
    "data of a tensor set to another dtype via copy_": lambda lib: lib.ones(3).copy_(lib.ones(3, 1, 2)),
})

# ----------------------------------------------------------------------------- dims
DIM_CALLS = {
    "sum": lambda lib, x, d: x.sum(d), "mean": lambda lib, x, d: x.mean(d), "prod": lambda lib, x, d: x.prod(d),
    "amax": lambda lib, x, d: x.amax(d), "amin": lambda lib, x, d: lib.amin(x, d),
    "max": lambda lib, x, d: x.max(d), "min": lambda lib, x, d: lib.min(x, d),
    "argmax": lambda lib, x, d: x.argmax(d), "argmin": lambda lib, x, d: lib.argmin(x, d),
    "cumsum": lambda lib, x, d: x.cumsum(d), "cumprod": lambda lib, x, d: lib.cumprod(x, d),
    "softmax": lambda lib, x, d: lib.softmax(x, d), "log_softmax": lambda lib, x, d: x.log_softmax(d),
    "logsumexp": lambda lib, x, d: x.logsumexp(d), "var": lambda lib, x, d: x.var(d),
    "std": lambda lib, x, d: lib.std(x, d), "norm": lambda lib, x, d: x.norm(dim=d),
    "sort": lambda lib, x, d: x.sort(d), "argsort": lambda lib, x, d: lib.argsort(x, d),
    "topk": lambda lib, x, d: x.topk(1, d), "kthvalue": lambda lib, x, d: x.kthvalue(1, d),
    "median": lambda lib, x, d: x.median(d),
    "all": lambda lib, x, d: x.all(d), "any": lambda lib, x, d: lib.any(x, d),
    "count_nonzero": lambda lib, x, d: lib.count_nonzero(x, d), "unbind": lambda lib, x, d: x.unbind(d),
    "split": lambda lib, x, d: x.split(1, d), "chunk": lambda lib, x, d: x.chunk(2, d),
    "flip": lambda lib, x, d: x.flip(d), "size": lambda lib, x, d: x.size(d),
    "stride": lambda lib, x, d: x.stride(d), "squeeze": lambda lib, x, d: x.squeeze(d),
    "unsqueeze": lambda lib, x, d: x.unsqueeze(d + 1 if d > 0 else d - 1),
    "cummax": lambda lib, x, d: lib.cummax(x, d), "logcumsumexp": lambda lib, x, d: lib.logcumsumexp(x, d),
    "diff": lambda lib, x, d: lib.diff(x, dim=d), "narrow": lambda lib, x, d: x.narrow(d, 0, 1),
    "index_select": lambda lib, x, d: x.index_select(
        d, _t(lib, [0])),
    "repeat_interleave": lambda lib, x, d: x.repeat_interleave(2, d),
    "nansum": lambda lib, x, d: x.nansum(d), "aminmax": lambda lib, x, d: lib.aminmax(x, dim=d),
    "nn.Softmax": lambda lib, x, d: lib.nn.Softmax(d)(x), "normalize": lambda lib, x, d: lib.nn.functional
    .normalize(x, dim=d),
}
for (_name, _call), _dim, _dtype in itertools.product(DIM_CALLS.items(), (2, -3), ("float32", "float64")):
    CASES[f"{_name} over dim {_dim}, {_dtype}"] = lambda lib, c=_call, d=_dim, t=_dtype: c(lib, _x(lib, t), d)
for _name in ("sum", "mean", "amax", "flip", "logsumexp", "var", "std", "count_nonzero", "norm", "nansum"):
    CASES[f"{_name} over a repeated dim"] = lambda lib, c=DIM_CALLS[_name]: c(lib, _x(lib), (0, 0))
    CASES[f"{_name} over (0, 5)"] = lambda lib, c=DIM_CALLS[_name]: c(lib, _x(lib), (0, 5))

# ----------------------------------------------------------------------------- out= of a dtype the result cannot be
OUT_CALLS = {
    "add": lambda lib, out: lib.add(_x(lib), _x(lib), out=out),
    "mul": lambda lib, out: lib.mul(_x(lib), 1.5, out=out),
    "div": lambda lib, out: lib.div(_x(lib, "int64"), 2, out=out),
    "exp": lambda lib, out: lib.exp(_x(lib), out=out),
    "sqrt": lambda lib, out: lib.sqrt(_x(lib), out=out),
        "mean": lambda lib, out: lib.mean(_x(lib), 0, out=out),
    "matmul": lambda lib, out: lib.matmul(_x(lib), _x(lib).t(), out=out),
    "cat": lambda lib, out: lib.cat([_x(lib), _x(lib)], out=out),
    "clamp": lambda lib, out: lib.clamp(_x(lib), 0.5, 2.5, out=out),
    "where": lambda lib, out: lib.where(_x(lib) > 2, _x(lib), 0.5, out=out),
    "sigmoid": lambda lib, out: lib.sigmoid(_x(lib), out=out),
    "maximum": lambda lib, out: lib.maximum(_x(lib), _x(lib), out=out),
}
for (_name, _call), _out in itertools.product(OUT_CALLS.items(), ("int64", "bool", "int32")):
    CASES[f"{_name}(out= {_out})"] = lambda lib, c=_call, o=_out: c(lib, lib.empty(0, dtype=getattr(lib, o)))

# ----------------------------------------------------------------------------- empty reductions without identity
EMPTY_CALLS = {
    "max": lambda lib, x: x.max(), "min": lambda lib, x: lib.min(x), "amax": lambda lib, x: x.amax(),
    "amin": lambda lib, x: lib.amin(x), "argmax": lambda lib, x: x.argmax(), "argmin": lambda lib, x: lib.argmin(x),
    "max over dim 1": lambda lib, x: x.max(1), "argmax over dim 1": lambda lib, x: x.argmax(1),
    "amax over dim 1": lambda lib, x: x.amax(1), "aminmax": lambda lib, x: lib.aminmax(x),
    "kthvalue": lambda lib, x: x.kthvalue(1, 1), "topk": lambda lib, x: x.topk(1, 1),
    "median over dim 1": lambda lib, x: x.median(1),
    "cummax over dim 1": lambda lib, x: x.cummax(1) if x.shape[1] else x.max(1),
    "item": lambda lib, x: x.item(),
    "quantile": lambda lib, x: lib.quantile(x, 0.5) if x.is_floating_point() else x.max(),
}
for (_name, _call), _dtype, _shape in itertools.product(EMPTY_CALLS.items(), ("float32", "int64"), ((0,), (2, 0))):
    if "dim 1" in _name or _name in ("kthvalue", "topk"):
        _shape = (2, 0)
    CASES[f"{_name} of an empty {_shape}, {_dtype}"] = lambda lib, c=_call, s=_shape, d=_dtype: c(
        lib, lib.zeros(s, dtype=getattr(lib, d)))

# ----------------------------------------------------------------------------- sizes past int64 or memory
# PyTorch's argument parser refuses a size past int64 (TypeError); a count of entries past int64 or memory is a
# RuntimeError (NumPy: ValueError "Maximum allowed dimension exceeded", "iterator is too large", MemoryError)
CASES.update({
    "expand to a size past int64": lambda lib: lib.ones(1, 4).expand(2**70, 4),
    "expand to 2**63": lambda lib: lib.ones(1, 4).expand(2**63, 4),
    "expand to more entries than int64 counts": lambda lib: lib.ones(1, 4).expand(2**62, 4),
    "expand of a 3-d tensor past int64": lambda lib: lib.ones(1, 1, 2).expand(2**40, 2**40, 2),
    "expand_as past int64": lambda lib: lib.ones(1, 4).expand(2**40, 4).unsqueeze(0).expand(2**30, 2**40, 4),
    "repeat past int64": lambda lib: lib.ones(1, 4).repeat(2**62, 2**62),
    # (2**59 bytes: past any CPU's address space, so no host's overcommit lets it through, where 32 TiB went through
    # with vm.overcommit_memory=1 and the copy was killed for memory)
    "repeat past memory": lambda lib: lib.ones(1, 4).repeat(2**54, 2),
    "tile past int64": lambda lib: lib.tile(lib.ones(2), (2**63,)),
    "Linear of a width past int64": lambda lib: lib.nn.Linear(2**70, 2),
    "Linear past int64 entries": lambda lib: lib.nn.Linear(2**40, 2**40),
    "Embedding past int64 bytes": lambda lib: lib.nn.Embedding(2**40, 2**30),
    "BatchNorm1d of a count past int64": lambda lib: lib.nn.BatchNorm1d(2**70),
    "Conv2d of a channel count past int64": lambda lib: lib.nn.Conv2d(2**64, 2, 1),
})

# ----------------------------------------------------------------------------- numbers converted
CASES.update({
    "int of a NaN tensor": lambda lib: int(lib.tensor(float("nan"))),
    "int of an inf tensor": lambda lib: int(lib.tensor(float("inf"))),
    "int of a float32 NaN tensor": lambda lib: int(lib.tensor([float("nan")], dtype=lib.float32)),
    "index of a float tensor": lambda lib: [1, 2, 3][lib.tensor(1.0)],
    "range over a float tensor": lambda lib: range(lib.tensor(2.5)),
    "operator.index of a 2-element tensor": lambda lib: [1, 2, 3][lib.tensor([1, 1])],
    "int of a 2-element tensor": lambda lib: int(lib.tensor([1, 2])),
    "float of an empty tensor": lambda lib: float(lib.tensor([])),
    "bool of a 2-element tensor": lambda lib: bool(lib.tensor([1, 2])),
    "tensor of an int past int64": lambda lib: lib.tensor([1, 2**64]),
    "tensor of an int below int64": lambda lib: lib.tensor(-2**63 - 1),
    "tensor of 2**63 as int64": lambda lib: lib.tensor(2**63, dtype=lib.int64),
    "tensor of 300 as int8": lambda lib: lib.tensor(300, dtype=lib.int8),
    "tensor of NaN as int64": lambda lib: lib.tensor([float("nan")], dtype=lib.int64),
    "tensor of inf as int32": lambda lib: lib.tensor([float("inf")], dtype=lib.int32),
    "tensor of -1 as uint8 list": lambda lib: lib.tensor([1, -300], dtype=lib.uint8),
    "as_tensor of an int past int64": lambda lib: lib.as_tensor([2**65]),
    "arange past int64": lambda lib: lib.arange(2**63, 2**63 + 2),
    "arange of NaN end": lambda lib: lib.arange(0, float("nan")),
    "arange of inf end": lambda lib: lib.arange(0, float("inf")),
    "arange of a zero step": lambda lib: lib.arange(0, 3, 0),
    "arange of a wrong-signed step": lambda lib: lib.arange(0, 3, -1),
    "linspace of negative steps": lambda lib: lib.linspace(0, 1, -1),
    "zeros of a negative size": lambda lib: lib.zeros(2, -1),
    "ones of a size past memory": lambda lib: lib.ones(2**62, 2**62),
    "empty of a negative size": lambda lib: lib.empty(-3),
    "full of a negative size": lambda lib: lib.full((-1,), 1.0),
    "randn of a negative size": lambda lib: lib.randn(-2),
    "randint of a bound past int64": lambda lib: lib.randint(0, 2**64, (2,)),
    "randperm of a negative n": lambda lib: lib.randperm(-1),
    "eye of a negative n": lambda lib: lib.eye(-1),
    "add of an int past int64 to an int tensor": lambda lib: _x(lib, "int64") + 2**64,
    "mul of an int past int64 with an int tensor": lambda lib: lib.mul(_x(lib, "int64"), -2**64),
    "clamp of an int tensor by an int past int64": lambda lib: _x(lib, "int64").clamp(max=2**64),
    "pow of an int tensor by a negative int": lambda lib: _x(lib, "int64") ** -1,
    "div floor of ints by zero": lambda lib: _x(lib, "int64") // 0,
    "remainder of ints by zero": lambda lib: lib.remainder(_x(lib, "int64"), 0),
    "fmod of ints by a zero tensor": lambda lib: lib.fmod(_x(lib, "int64"), lib.zeros(4, dtype=lib.int64)),
    "lshift of a float": lambda lib: _x(lib) << 1,
    "bitwise_and of floats": lambda lib: lib.bitwise_and(_x(lib), _x(lib)),
    "bitwise_not of a float": lambda lib: ~_x(lib),
    "neg of a bool": lambda lib: -_x(lib, "bool"),
    "sub of bools": lambda lib: _x(lib, "bool") - _x(lib, "bool"),
    "add_ of a float into an int tensor": lambda lib: _x(lib, "int64").add_(1.5),
    "mul_ of a float tensor into a bool tensor": lambda lib: _x(lib, "bool").mul_(_x(lib)),
    "div_ of an int tensor": lambda lib: _x(lib, "int64").div_(2),
    "full of an int past int64": lambda lib: lib.full((2,), 2**64),
    "scalar_tensor of an int past int64": lambda lib: lib.scalar_tensor(2**64),
})


def _call(case):
    """A case's call without its dtype: the default slice runs each call (and each dtype) at least once."""
    name, _, dtype = case.rpartition(", ")
    return name if dtype in DTYPES else case


# Every 7th case by default (and each call, each dtype), the rest under -m parity
@pytest.mark.parametrize("case", default_slice(list(CASES), 7, cover=(_call, lambda case: case.rpartition(", ")[2]
                                                                         if case.rpartition(", ")[2] in DTYPES
                                                                         else None)))
def test_minigan_refuses_as_pytorch_does(case):
    same_class(CASES[case], torch, minigan, one_line=False)
