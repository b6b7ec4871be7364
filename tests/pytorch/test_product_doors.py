"""The products' doors against PyTorch float64: each product (mm, addmm and addmm_, addmv, addr, inner, multi_dot,
matrix_power, trace, cross, tensordot) called with operands of every rank it refuses and every dtype pair, so that
the order of PyTorch's checks (the ranks first, then the dtypes, at mm's and trace's doors; the dim first at
cross's) and its promotion rules (inner with a 0-d operand is a product, and promotes) show up as differences."""

import math

import numpy as np
import pytest
from conftest import default_slice

import minigan

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")
from pytorch.doors_oracle import same_as_pytorch  # noqa: E402
from pytorch.oracle import ADDMV_ONE_DTYPE, pytorch_since  # noqa: E402

# a matrix-vector product (a 1-D operand against a 2-D or batched one) with an empty operand and two dtypes:
# refused, as with no empty operand.  2.11 ran it in one of the two dtypes: the promoted one for a matrix times a
# vector, the vector's for a vector times a batch, which refuses too where that is an integer or bool dtype (its
# float64 operand requires grad), so those cases answer alike
EMPTY_MV_DTYPES = pytorch_since("2.12", "an empty matrix-vector product checks its operands' dtypes")

RNG = np.random.default_rng(11)


def _values(shape, dtype):
    if dtype == "bool":
        return RNG.random(shape) < 0.5
    if dtype == "int64":
        return RNG.integers(-3, 5, size=shape)
    return np.round(RNG.normal(size=shape), 3)


SHAPES = {
    "mm": [((2, 3), (3, 4)), ((3,), (3, 4)), ((2, 3), (3,)), ((2, 2, 3), (3, 4)), ((2, 3), (4, 5))],
    "Tensor.mm": [((2, 3), (3, 4)), ((3,), (3, 4)), ((2, 3), (3,))],
    "addmm": [((2, 4), (2, 3), (3, 4)), ((4,), (2, 3), (3, 4)), ((2, 4), (3,), (3, 4)), ((2, 4), (2, 3), (3,)),
              ((2, 2, 4), (2, 3), (3, 4)), ((3, 4), (2, 3), (3, 4))],
    "Tensor.addmm_": [((2, 4), (2, 3), (3, 4)), ((2, 4), (2, 3), (3,)), ((2, 4), (2, 3, 1), (3, 4))],
    "addmv": [((2,), (2, 3), (3,)), ((3,), (2, 3), (3,)), ((2,), (2, 3, 1), (3,)), ((2,), (2, 3), (3, 1)),
              ((1,), (2, 3), (3,)), ((2, 2), (2, 3), (3,))],
    "addr": [((4, 5), (4,), (5,)), ((2, 3, 4, 5), (4,), (5,)), ((4, 5), (4, 1), (5,)), ((5,), (4,), (5,))],
    "inner": [((4,), ()), ((), (3,)), ((2, 3), (4, 3)), ((3,), (3,)), ((2, 3), (2,))],
    "multi_dot": [((2, 3), (3, 4), (4,)), ((3,), (3, 4), (4, 2)), ((2, 2, 2, 2), (2, 2), (2, 2)),
                  ((2, 2), (2,), (2, 2)), ((2, 2), (2, 2), (2, 2, 2))],
    "trace": [((3, 3),), ((2, 3, 4),), ((5,),), ((2, 4),)],
    "cross": [((2, 3), (2, 3)), ((3,), (2, 3)), ((1, 3), (1, 3))],
}
CALLS = {
    "mm": lambda L, a, b: L.mm(a, b),
    "Tensor.mm": lambda L, a, b: a.mm(b),
    "addmm": lambda L, c, a, b: L.addmm(c, a, b),
    "Tensor.addmm_": lambda L, c, a, b: c.detach().addmm_(a, b),
    "addmv": lambda L, c, a, b: L.addmv(c, a, b),
    "addr": lambda L, c, a, b: L.addr(c, a, b),
    "inner": lambda L, a, b: L.inner(a, b),
    "multi_dot": lambda L, *ts: L.linalg.multi_dot(list(ts)),
    "trace": lambda L, a: L.trace(a),
    "cross": lambda L, a, b: L.cross(a, b, dim=1),
}
DTYPE_PAIRS = [("float64", "float64"), ("float64", "float32"), ("int64", "float64"), ("bool", "bool"),
               ("bool", "int64"), ("int64", "int64")]


def _door_cases():
    """(name, k, dtypes); addmv of a well-shaped input vector (k 0 and 4) in two dtypes is marked."""
    return [pytest.param(n, k, d, marks=[ADDMV_ONE_DTYPE] if n == "addmv" and k in (0, 4) and d[0] != d[1] else [],
                         id=f"{n}-{k}-{'-'.join(d)}")
            for n in SHAPES for k in range(len(SHAPES[n])) for d in DTYPE_PAIRS]


# every 5th case by default (every door, rank and pair of dtypes among them), the rest under -m parity
@pytest.mark.parametrize("name, k, dtypes", default_slice(
    _door_cases(), 5, cover=(lambda name, k, dtypes: name, lambda name, k, dtypes: (name, k),
                             lambda name, k, dtypes: dtypes)))
def test_every_rank_and_dtype_at_the_product_doors(name, k, dtypes):
    shapes = SHAPES[name][k]
    kinds = [dtypes[min(i, 1)] for i in range(len(shapes))]
    same_as_pytorch(CALLS[name], [_values(s, d) for s, d in zip(shapes, kinds)], kinds)


@pytest.mark.parametrize("dtype", ["bool", "int64", "float64"])
@pytest.mark.parametrize("n", [0, 1, 2, 3, 5])
def test_matrix_power_of_every_dtype(n, dtype):
    same_as_pytorch(lambda L, a: L.linalg.matrix_power(a, n), [_values((3, 3), dtype)], [dtype])
    same_as_pytorch(lambda L, a: L.matrix_power(a, n), [_values((2, 3, 3), dtype)], [dtype])


@pytest.mark.parametrize("dims", [1, 2, ([1], [0]), ([0, 1], [1, 0])], ids=repr)
def test_tensordot_with_infinities_sums_as_pytorch(dims):
    a, b = np.round(RNG.normal(size=(3, 3)), 3), np.round(RNG.normal(size=(3, 3)), 3)
    a[0, 1], b[1, 2], a[2, 0] = math.inf, -math.inf, math.nan
    same_as_pytorch(lambda L, x, y: L.tensordot(x, y, dims), [a, b], ["float64", "float64"])


@pytest.mark.parametrize("shapes, dims", [(((1, 3), (2, 3, 4)), 2), (((2, 3, 1), (2, 3, 4)), ([1, 2], [1, 0])),
                                          (((2, 3), (1, 3, 4)), 2)], ids=repr)
def test_tensordot_of_a_size_1_against_n_sums_the_n_first(shapes, dims):
    a, b = (np.round(RNG.normal(size=s), 3) for s in shapes)
    a.reshape(-1)[1], b.reshape(-1)[-3] = -math.inf, -math.inf  # (a sum of products would meet ∞ − ∞)
    a.reshape(-1)[2] = -math.inf
    same_as_pytorch(lambda L, x, y: L.tensordot(x, y, dims), [a, b], ["float64", "float64"])


@pytest.mark.parametrize("n", [0, 1, 2, 3, 4])
@pytest.mark.parametrize("view", ["t", "permute", "stride"])
def test_matrix_power_is_laid_out_row_major_as_pytorchs(n, view):
    results, values = [], _values((3, 6, 6), "float64")
    views = {"t": lambda b: b[0].t(), "permute": lambda b: b.permute(0, 2, 1), "stride": lambda b: b[:, ::2, ::2]}
    for L in (minigan, torch):
        a = views[view](L.tensor(values, requires_grad=True))
        out = L.linalg.matrix_power(a, n)
        results.append((out.is_contiguous(), out.stride(), out.detach().numpy()))
    assert results[0][:2] == results[1][:2]
    np.testing.assert_allclose(results[0][2], results[1][2], rtol=1e-12)


MATMUL_DOORS = {
    "matmul": lambda L, a, b: L.matmul(a, b),
    "Tensor.matmul": lambda L, a, b: a.matmul(b),
    "@": lambda L, a, b: a @ b,
    "linalg.matmul": lambda L, a, b: L.linalg.matmul(a, b),
}
# PyTorch's matmul takes a batched path (bmm) when the second operand has 3 or more dims and the first 2 or more;
# there an empty operand gives the empty (or zero) product in the promoted dtype, with no check of the dtypes.
# The other paths (dot, mv, mm, and a batch folded into mm) check them whatever the sizes, and refuse bool tensors
# only where a product is computed: mv and mm of bools with an empty operand run (dot's never does).
EMPTY_BATCHED = [((0, 3), (2, 3, 4)), ((2, 3), (0, 3, 4)), ((2, 3, 0), (2, 0, 4)), ((2, 0), (3, 0, 4)),
                 ((0, 3, 4), (2, 0, 4, 5)), ((2, 0, 4), (2, 4, 3))]
EMPTY_FOLDED = [((3,), (0, 3, 4)), ((0, 3, 4), (4,)), ((2, 0, 4), (4, 2)), ((2, 3, 0), (0, 4)), ((0, 3), (3, 4)),
                ((2, 0), (0, 3)), ((0,), (0,)), ((0, 2), (2,))]


EMPTY_MV = [((3,), (0, 3, 4)), ((0, 3, 4), (4,)), ((0, 2), (2,))]
MATMUL_DTYPES = [("int64", "float64"), ("float32", "float64"), ("int32", "float32"), ("bool", "float64"),
                 ("bool", "bool"), ("int64", "int64")]


def _empty_cases():
    return [pytest.param(door, shapes, d, marks=[EMPTY_MV_DTYPES] if shapes in EMPTY_MV and d[0] != d[1] and (
                             len(shapes[0]) > 1 or d[0].startswith("float")) else [],
                         id=f"{door}-{shapes}-{'-'.join(d)}")
            for door in MATMUL_DOORS for shapes in EMPTY_BATCHED + EMPTY_FOLDED for d in MATMUL_DTYPES]


# every 5th case by default (every door, pair of shapes and pair of dtypes among them), the rest under -m parity
@pytest.mark.parametrize("door, shapes, dtypes", default_slice(
    _empty_cases(), 5, cover=(lambda door, shapes, dtypes: door, lambda door, shapes, dtypes: shapes,
                              lambda door, shapes, dtypes: dtypes)))
def test_an_empty_product_of_two_dtypes_as_pytorchs_paths(door, shapes, dtypes):
    same_as_pytorch(MATMUL_DOORS[door], [_values(s, d) for s, d in zip(shapes, dtypes)], list(dtypes))


BOOL_EMPTY = {  # an operand with no elements: no product is computed, and PyTorch's kernels take bools
    "mm": (lambda L, a, b: L.mm(a, b), [(2, 0), (0, 3)]),
    "Tensor.mm": (lambda L, a, b: a.mm(b), [(0, 2), (2, 3)]),
    "addmm": (lambda L, c, a, b: L.addmm(c, a, b), [(0, 3), (0, 2), (2, 3)]),
    "addmv": (lambda L, c, a, b: L.addmv(c, a, b), [(0,), (0, 2), (2,)]),
    "addmv k = 0": (lambda L, c, a, b: L.addmv(c, a, b), [(2,), (2, 0), (0,)]),
    "inner": (lambda L, a, b: L.inner(a, b), [(0, 2), (3, 2)]),
    "inner of vectors (a dot: refused)": (lambda L, a, b: L.inner(a, b), [(0,), (0,)]),
    "matrix_power": (lambda L, a: L.linalg.matrix_power(a, 3), [(0, 2, 2)]),
    "mm of filled matrices (refused)": (lambda L, a, b: L.mm(a, b), [(2, 1), (1, 3)]),
}


@pytest.mark.parametrize("door", list(BOOL_EMPTY))
def test_bool_operands_are_refused_only_where_a_product_is_computed(door):
    fn, shapes = BOOL_EMPTY[door]
    same_as_pytorch(fn, [_values(s, "bool") for s in shapes], ["bool"] * len(shapes))
