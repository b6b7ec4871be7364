"""Every door to a norm, a distance or a product against PyTorch float64: the same orders (p / ord of every real
value, None, NumPy scalars, "fro" and "nuc"), the same refusals (their built-in class: integer and bool inputs, an
empty reduction without an identity, a dim out of range, matrices of the wrong rank), and where both run the same
values and gradients to the second order.

A door is one public name (torch.norm, Tensor.norm, linalg.norm, linalg.vector_norm, linalg.matrix_norm, dist,
Tensor.dist, F.normalize, F.pairwise_distance, nn.utils.clip_grad_norm_'s norm_type); each is called with every
order on the same inputs, so an order one door takes and another refuses shows up as a difference here."""

import itertools
import math

import numpy as np
import pytest
from conftest import default_slice

import minigan  # noqa: F401

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")
from pytorch.doors_oracle import same_as_pytorch  # noqa: E402

RNG = np.random.default_rng(7)
X = np.round(RNG.normal(size=(3, 4)), 3)
AT_ZERO = X.copy()
AT_ZERO[1, 2] = 0.0  # an entry at 0: the kinks of |x|^p and of the negative orders
Y = np.round(RNG.normal(size=(3, 4)), 3)
A = np.round(RNG.normal(size=(2, 3, 4)), 3)

ORDERS = [None, 0, 1, 2, 3, 0.5, 1.5, -1, -1.5, -2, math.inf, -math.inf, math.nan, np.float32(-1.5), np.float64(3.0),
          np.int64(2), True, "fro", "nuc", "other"]


VECTOR_DOORS = {
    "torch.norm": lambda L, p, x, y: L.norm(x, p),
    "torch.norm dim": lambda L, p, x, y: L.norm(x, p, dim=1),
    "torch.norm dims keepdim": lambda L, p, x, y: L.norm(x, p, dim=(0, 1), keepdim=True),
    "Tensor.norm": lambda L, p, x, y: x.norm(p),
    "Tensor.norm dim": lambda L, p, x, y: x.norm(p, 0),
    "linalg.vector_norm": lambda L, p, x, y: L.linalg.vector_norm(x, p),
    "linalg.vector_norm dim": lambda L, p, x, y: L.linalg.vector_norm(x, p, dim=-1),
    "linalg.norm": lambda L, p, x, y: L.linalg.norm(x, p),
    "linalg.norm dim": lambda L, p, x, y: L.linalg.norm(x, p, dim=1),
    "linalg.norm row": lambda L, p, x, y: L.linalg.norm(x[0], p),
    "dist": lambda L, p, x, y: L.dist(x, y, p),
    "Tensor.dist": lambda L, p, x, y: x.dist(y, p),
    "F.normalize": lambda L, p, x, y: L.nn.functional.normalize(x, p),
    "F.pairwise_distance": lambda L, p, x, y: L.nn.functional.pairwise_distance(x, y, p),
}


# Each door by each order: 280 cases, every 7th by default (every door and every order among them); -m parity: the rest
DOOR_ORDERS = default_slice(itertools.product(VECTOR_DOORS, ORDERS), 7,
                            cover=(lambda door, order: door, lambda door, order: repr(order)))


@pytest.mark.parametrize("door, order", DOOR_ORDERS)
def test_every_order_at_every_vector_door(door, order):
    same_as_pytorch(lambda L, x, y: VECTOR_DOORS[door](L, order, x, y), [X, Y], ["float64", "float64"])


# An entry at 0: PyTorch's second derivative there is NaN for an order p < 2 with a kink there (its double backward
# multiplies a masked 0 by |0|^(p−2) = ∞), and minigan's too (the norm's backward reads |x|^(p−1) at 0, as PyTorch's).
@pytest.mark.parametrize("door, order", DOOR_ORDERS)
def test_every_order_at_an_entry_at_zero(door, order):
    same_as_pytorch(lambda L, x, y: VECTOR_DOORS[door](L, order, x, y), [AT_ZERO, Y], ["float64", "float64"])


ZERO_ROW = X.copy()
ZERO_ROW[1] = 0.0  # a norm of 0 (a row, and the column norms' kinks): a gradient penalty where ∇D(x̂) = 0


# A norm of 0: the first derivative is PyTorch's 0 (masked), and the second PyTorch's NaN for the 2-norm too (its
# backward is grad·(x/‖x‖) masked where ‖x‖ = 0, and x/0's own derivative there is 0/0), at every door and order.
@pytest.mark.parametrize("door, order", DOOR_ORDERS)
def test_every_order_at_a_norm_of_zero(door, order):
    same_as_pytorch(lambda L, x, y: VECTOR_DOORS[door](L, order, x, y), [ZERO_ROW, Y], ["float64", "float64"])


@pytest.mark.parametrize("door, dtype, order", default_slice(
    itertools.product(VECTOR_DOORS, ["int64", "bool", "float32"],
                      [None, 2, 0, -1, math.inf, -math.inf, np.float32(-1.5), "fro"]), 7,
    cover=(lambda door, dtype, order: door, lambda door, dtype, order: dtype,
           lambda door, dtype, order: repr(order))))
def test_integer_and_bool_inputs_are_refused_as_pytorch_refuses_them(door, dtype, order):
    same_as_pytorch(lambda L, x, y: VECTOR_DOORS[door](L, order, x, y), [X > 0, Y > 0] if dtype == "bool" else
                    [X, Y] if dtype == "float32" else [np.round(X * 3), np.round(Y * 3)], [dtype, dtype])


@pytest.mark.parametrize("order", [0, 1, 2, 0.5, -1, math.inf, -math.inf, math.nan], ids=repr)
@pytest.mark.parametrize("shape, dim", [((0,), None), ((0, 3), None), ((0, 3), 0), ((0, 3), 1), ((2, 0), (0, 1))])
def test_an_empty_reduction_without_an_identity_is_refused(order, shape, dim):
    same_as_pytorch(lambda L, x: L.linalg.vector_norm(x, order, dim=dim), [np.zeros(shape)], ["float64"])
    same_as_pytorch(lambda L, x: x.norm(order, dim=dim), [np.zeros(shape)], ["float64"])


@pytest.mark.parametrize("door", ["torch.norm dim", "Tensor.norm dim", "linalg.vector_norm dim", "F.normalize"])
def test_a_dim_out_of_range_is_an_index_error_before_the_order(door):
    same_as_pytorch(lambda L, x, y: VECTOR_DOORS[door](L, -math.inf, x[0], y), [X, Y], ["float64", "float64"])


MATRIX_ORDERS = ["fro", "nuc", 1, -1, 2, -2, math.inf, -math.inf, 3, "other", None]
MATRIX_DOORS = {
    "linalg.matrix_norm": lambda L, o, a: L.linalg.matrix_norm(a, "fro" if o is None else o),
    "linalg.matrix_norm dims keepdim": lambda L, o, a: L.linalg.matrix_norm(a, "fro" if o is None else o,
                                                                            dim=(2, 0), keepdim=True),
    "linalg.norm": lambda L, o, a: L.linalg.norm(a[1], o),
    "linalg.norm dims": lambda L, o, a: L.linalg.norm(a, o, dim=(-1, 1)),
    "linalg.norm 3-d": lambda L, o, a: L.linalg.norm(a, o),
    "linalg.norm vector": lambda L, o, a: L.linalg.norm(a[0, 0], o),
    "linalg.norm three dims": lambda L, o, a: L.linalg.norm(a, o, dim=(0, 1, 2)),
    "torch.norm 2-d": lambda L, o, a: L.norm(a[0], "fro" if o is None else o),
    "torch.norm dims": lambda L, o, a: L.norm(a, "fro" if o is None else o, dim=(0, 2)),
    "torch.norm 3-d": lambda L, o, a: L.norm(a, "fro" if o is None else o),
}


@pytest.mark.parametrize("door, order", default_slice(
    itertools.product(MATRIX_DOORS, MATRIX_ORDERS), 3,
    cover=(lambda door, order: door, lambda door, order: repr(order))))
def test_every_matrix_order_at_every_matrix_door(door, order):
    same_as_pytorch(lambda L, a: MATRIX_DOORS[door](L, order, a), [A], ["float64"])


@pytest.mark.parametrize("order", ["nuc", 2, -2])
@pytest.mark.parametrize("shape", [(3, 4), (4, 3), (2, 3, 3), (5, 2), (1, 4)])
def test_the_singular_value_norms_to_the_second_order(shape, order):
    same_as_pytorch(lambda L, a: L.linalg.matrix_norm(a, order), [np.round(RNG.normal(size=shape), 3)], ["float64"])


@pytest.mark.parametrize("order", ["fro", "nuc", 2, 1, math.inf])
@pytest.mark.parametrize("dim", [(0, 0), (0,), (0, 5)])
def test_matrix_norm_checks_its_dims_and_dtype_in_pytorchs_order(order, dim):
    same_as_pytorch(lambda L, a: L.linalg.matrix_norm(a, order, dim=dim), [A], ["float64"])
    same_as_pytorch(lambda L, a: L.linalg.matrix_norm(a, order), [np.round(A)], ["int64"])
    same_as_pytorch(lambda L, a: L.linalg.matrix_norm(a, order), [A[0, 0]], ["float64"])


@pytest.mark.parametrize("norm_type", [2, 1, 0.5, 3, -1, math.inf, -math.inf, np.float32(1.5)], ids=repr)
def test_clip_grad_norm_takes_every_order(norm_type):
    totals = []
    for lib in (minigan, torch):
        ps = [lib.nn.Parameter(lib.tensor(a)) for a in (X, Y[0])]
        for p, g in zip(ps, (Y, X[1])):
            p.grad = lib.tensor(g)
        total = lib.nn.utils.clip_grad_norm_(ps, 0.5, norm_type=norm_type)
        totals.append([float(total)] + [p.grad.numpy().copy() for p in ps])
    for mine, pytorch in zip(*totals):
        np.testing.assert_allclose(mine, pytorch, rtol=1e-10, atol=1e-12)


BATCH_NORM_CASES = {
    # training with one value per channel: PyTorch's ValueError comes first, whatever the dtype or the rank
    "one value, int input": ([(1, 3), (3,), (3,)], ["int64", "float64", "float64"], True),
    "one value, bool stats": ([(1, 3), (8,), (3,)], ["float64", "bool", "float64"], True),
    "one value, a vector": ([(1,), (3,), (3,)], ["float64", "float64", "float64"], True),
    "one value, spatial": ([(1, 3, 1, 1), (3,), (3,)], ["float64", "float64", "float64"], True),
    # an empty batch: no statistics to take, and PyTorch checks none (the input, times weight[0], plus bias[0])
    "empty, stats of another shape": ([(0, 3), (2, 3, 4), (5,)], ["float64", "float64", "float64"], True),
    "empty, eval": ([(0, 3), (5,), (3, 1)], ["float64", "float64", "float64"], False),
    "empty, weight and bias": ([(0, 3), (4,), (4,), (3,), (1, 3)], ["float64"] * 5, False),
    "empty, an empty weight": ([(0, 3), (4,), (4,), (0, 3)], ["float64"] * 4, False),
    # statistics, weight and bias are checked by their number of elements, as PyTorch's
    "stats of shape (1, 3)": ([(4, 3), (1, 3), (1, 3)], ["float64", "float64", "float64"], False),
    "weight of shape (1, 3)": ([(4, 3), (3,), (3,), (1, 3)], ["float64"] * 4, True),
    "stats of 4 elements": ([(4, 3), (4,), (3,)], ["float64", "float64", "float64"], True),
}


@pytest.mark.parametrize("case", list(BATCH_NORM_CASES))
def test_batch_norm_checks_in_pytorchs_order(case):
    shapes, dtypes, training = BATCH_NORM_CASES[case]
    rng = np.random.default_rng(3)
    arrays = [np.abs(rng.normal(size=s)) + 0.5 if d == "float64" else (rng.random(s) < 0.5 if d == "bool" else
              rng.integers(-3, 5, size=s)) for s, d in zip(shapes, dtypes)]

    def call(L, x, mean, var, *affine):
        return L.nn.functional.batch_norm(x, mean.detach(), var.detach(), *affine, training=training)
    same_as_pytorch(call, arrays, dtypes)


@pytest.mark.parametrize("dtypes", [("int64", "float64"), ("float32", "int64"), ("bool", "float64"), ("int64", "int64"),
                                    ("bool", "bool")], ids="-".join)
def test_dist_takes_the_promoted_dtype_of_the_difference(dtypes):
    arrays = [X > 0 if d == "bool" else np.round(X * 3) if d == "int64" else X for d in dtypes]
    same_as_pytorch(lambda L, x, y: L.dist(x, y, 1), arrays, list(dtypes))


@pytest.mark.parametrize("which", ["input", "other", "both"])
def test_dist_with_p_0_differentiates_as_pytorchs(which):
    def call(L, x, y):
        x, y = (x if which != "other" else x.detach()), (y if which != "input" else y.detach())
        return L.dist(x, y, 0)
    same_as_pytorch(call, [X, Y], ["float64", "float64"])


@pytest.mark.parametrize("order", ["nuc", 2, -2])
@pytest.mark.parametrize("special", [math.inf, -math.inf, math.nan])
def test_singular_value_norms_of_non_finite_matrices(order, special):
    a = A.copy()
    a[1, 2, 0] = special
    # (values only: PyTorch's gradient there is whatever its LAPACK call left in U and V, partly finite)
    same_as_pytorch(lambda L, x: L.linalg.matrix_norm(x.detach(), order), [a], ["float64"])


GROUP_NORM_CASES = {  # (input shape and dtype, num_groups, weight's shape, bias's shape)
    "no groups": (((3, 1), "bool"), 0, None, None),
    "bool input": (((3, 2), "bool"), 1, None, None),
    "bool input, weight (1, 2)": (((3, 2), "bool"), 1, (1, 2), None),
    "int input, weight (1, 3)": (((3, 3), "int64"), 1, (1, 3), None),
    "groups not dividing": (((3, 3), "float64"), 2, (1, 3), None),
    "weight (1, 3)": (((3, 3), "float64"), 1, (1, 3), None),
    "weight of 4": (((3, 3), "float64"), 1, (4,), None),
    "bias (1, 3)": (((3, 3), "float64"), 1, (3,), (1, 3)),
    "one value per group": (((1, 3), "float64"), 3, (3,), (3,)),
    "weight and bias": (((2, 4, 3), "float64"), 2, (4,), (4,)),
}


@pytest.mark.parametrize("case", list(GROUP_NORM_CASES))
def test_group_norm_checks_in_pytorchs_order(case):
    (shape, dtype), groups, weight, bias = GROUP_NORM_CASES[case]
    rng = np.random.default_rng(5)
    shapes = [shape] + [s for s in (weight, bias) if s is not None]
    dtypes = [dtype] + ["float64"] * (len(shapes) - 1)
    arrays = [rng.random(s) < 0.5 if d == "bool" else rng.integers(-3, 5, size=s) if d == "int64" else
              np.round(rng.normal(size=s), 3) for s, d in zip(shapes, dtypes)]

    def call(L, x, *affine):
        named = dict(zip([k for k, s in (("weight", weight), ("bias", bias)) if s is not None], affine))
        return L.nn.functional.group_norm(x, groups, **named)
    same_as_pytorch(call, arrays, dtypes)


@pytest.mark.parametrize("shapes", [((3, 3), (3, 3)), ((3,), (3,)), ((2, 3), (3,)), ((3,), (3, 2)),
                                    ((2, 2, 3), (3, 2))], ids=repr)
@pytest.mark.parametrize("door", ["matmul", "linalg.matmul", "Tensor.matmul", "@"])
def test_matmul_refuses_bool_tensors_at_every_door(door, shapes):
    call = {"matmul": lambda L, a, b: L.matmul(a, b), "linalg.matmul": lambda L, a, b: L.linalg.matmul(a, b),
            "Tensor.matmul": lambda L, a, b: a.matmul(b), "@": lambda L, a, b: a @ b}[door]
    same_as_pytorch(call, [np.ones(s, dtype=bool) for s in shapes], ["bool", "bool"])


@pytest.mark.parametrize("p", [2, 1, 0, 0.5, -1, math.inf, -math.inf, math.nan, np.float32(1.5), True, None, "fro"],
                         ids=repr)
@pytest.mark.parametrize("dtype", ["float64", "int64"])
def test_cdist_takes_the_orders_pytorchs_takes(p, dtype):
    rng = np.random.default_rng(2)
    a, b = np.round(rng.normal(size=(2, 3, 4)) * 3), np.round(rng.normal(size=(2, 5, 4)) * 3)
    # (the values and refusals of its p; cdist's own kernel and its gradients: its own tests)
    same_as_pytorch(lambda L, x, y: L.cdist(x.detach(), y.detach(), p=p), [a, b], [dtype, dtype])


@pytest.mark.parametrize("order", ["fro", "nuc", 2, -2, 1, -1, math.inf, -math.inf])
@pytest.mark.parametrize("shape", [(0, 3), (3, 0), (2, 0, 0)])
def test_matrix_norms_of_empty_matrices(shape, order):
    same_as_pytorch(lambda L, a: L.linalg.matrix_norm(a, order), [np.zeros(shape)], ["float64"])


@pytest.mark.parametrize("shape, groups", [((0, 3), 1), ((0, 4, 2), 2), ((2, 0), 1)])
def test_group_norm_of_an_empty_batch(shape, groups):
    same_as_pytorch(lambda L, x: L.nn.functional.group_norm(x, groups), [np.zeros(shape)], ["float64"])


@pytest.mark.parametrize("order", [math.nan, -1.5, 0.5, 3])
@pytest.mark.parametrize("shape, dim", [((1,), None), ((3, 1), 1), ((3, 1), 0), ((), None)], ids=repr)
def test_a_norm_of_one_entry_is_its_absolute_value(shape, dim, order):
    values = X[:, 1].ravel()[:math.prod(shape)].reshape(shape)
    same_as_pytorch(lambda L, x: L.linalg.vector_norm(x, order, dim=dim), [values], ["float64"])
    same_as_pytorch(lambda L, x: L.nn.utils.get_total_norm([x.detach()], order), [X[0, :1]], ["float64"])
