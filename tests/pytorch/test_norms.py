"""The vector and matrix norms, the distances and the normalizations' numbers against PyTorch
(tests/pytorch/sweep.py):

* every door to a norm or a distance (torch.norm, Tensor.norm, linalg.norm, linalg.vector_norm, linalg.matrix_norm,
  dist, Tensor.dist, F.normalize, F.pairwise_distance, nn.utils.clip_grad_norm_'s norm_type): the same orders (p /
  ord of every real value, None, NumPy scalars, "fro" and "nuc"), the same refusals (their built-in class: integer
  and bool inputs, an empty reduction without an identity, a dim out of range, matrices of the wrong rank), and
  where both run the same values and gradients to the second order (sweep.to_second_order).  Each door is called
  with every order on the same inputs, so an order one door takes and another refuses shows up here; at an entry at
  0 PyTorch's second derivative is NaN for an order p < 2 with a kink there (its double backward multiplies a masked
  0 by |0|^(p−2) = ∞), and at a norm of 0 the first derivative is PyTorch's masked 0 and the second its NaN, the
  2-norm's too (x/‖x‖ masked where ‖x‖ = 0, and x/0's own derivative there 0/0);

* the norms take a NumPy scalar eps (momentum, p) as the number it holds: np.float64(1e-3) leaves a float32 input
  float32.  Every functional and module door of the norms and the distances that take an eps, by np.float64,
  np.float32 and np.float16, on a float32 input: the result's dtype and values;
* a p-norm over one entry per norm is |x| for every order, NaN included, except for a 0-d input given a dim (0 or
  -1): that goes through PyTorch's sum of powers, (|x|^p)^(1/p), which is NaN for p = NaN (minigan gave |x|).  Over
  linalg.vector_norm, linalg.norm, norm and Tensor.norm, shapes with one entry per norm, dims given or not and orders
  NaN, fractional, negative and 3: value and gradient;
* the layout of a norm's result, through every door that computes a vector norm (linalg.vector_norm, linalg.norm,
  Tensor.norm, torch.norm, F.pairwise_distance), for every order p (0, 1, 2, fractional, negative, ±∞) of a
  permuted, transposed or strided input: PyTorch allocates a reduction's result row-major whatever its input's
  layout, so the result is contiguous and a later flatten() is a view of it (a write into that view reaches the
  result).  NumPy's reductions keep the input's memory order, which only the orders 1 and 2 undid;
* a p-norm's gradient at a norm of 0, differentiated again: PyTorch's norm_backward for 1 < p < ∞, p ≠ 2, is
  sgn(x)·|x|^(p−1) · (grad / ‖x‖^(p−1)).masked_fill_(‖x‖ = 0, 0): at a norm of 0 the first derivative is 0, and its
  derivative in the upstream gradient (a leaf: a gradient penalty's, a Hessian-vector product's) is the masked 0
  divided by 0, NaN.  Every door to the norm (vector_norm, linalg.norm, Tensor.norm, torch.norm, dist, normalize) at
  every order p, float64: the first, second and third gradients' values (NaN where NaN) and requires_grad;
* a norm over no entries, at the doors that gather tensors before taking one (nn.utils.get_total_norm and
  clip_grad_norm_) and at cdist, float64: an order without an identity (p < 0, ±∞) over an empty tensor is refused
  with PyTorch's class (RuntimeError, never NumPy's ValueError), and the other orders (0, 0.5, 1, 2, NaN) read the
  empty tensor's norm as 0, as PyTorch's; cdist over vectors of no entries is 0 at every order.
"""

import itertools
import math

import numpy as np
import pytest

from pytorch.sweep import close, sweep, to_second_order

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

CALLS = ["F.layer_norm(x, (3,), eps=E)", "F.layer_norm(x, (3,), w, b, eps=E)", "F.group_norm(x, 1, eps=E)",
         "F.group_norm(x, 2, w2, b2, eps=E)", "F.instance_norm(x, eps=E)", "F.instance_norm(x, weight=w2, eps=E)",
         "F.batch_norm(x, None, None, training=True, eps=E)",
         "F.batch_norm(x, None, None, w2, b2, training=True, eps=E, momentum=E)", "F.batch_norm(x, rm, rv, eps=E)",
         "F.rms_norm(x, (3,), eps=E)", "F.normalize(x, eps=E)", "F.normalize(x, p=E, dim=1)",
         "torch.nn.LayerNorm(3, eps=E)(x)", "torch.nn.GroupNorm(1, 2, eps=E)(x)", "torch.nn.BatchNorm1d(2, eps=E)(x)",
         "torch.nn.InstanceNorm1d(2, eps=E)(x)", "torch.nn.RMSNorm(3, eps=E)(x)", "F.cosine_similarity(x, x, eps=E)",
         "F.pairwise_distance(x, x, eps=E)"]


def _numpy_number(L, call, number):
    x = L.tensor(np.random.default_rng(0).normal(size=(2, 2, 3)), dtype=L.float32, requires_grad=True)
    names = dict(x=x, F=L.nn.functional, torch=L, E=number, w=L.ones(3), b=L.zeros(3), w2=L.ones(2), b2=L.zeros(2),
                 rm=L.zeros(2), rv=L.ones(2))
    return close(eval(call, names).detach(), 1e-4, 1e-5)  # noqa: S307  (the table's own expressions)


test_a_numpy_number_is_the_number_it_holds = sweep(_numpy_number, list(itertools.product(
    CALLS, [np.float64(0.001), np.float32(0.001), np.float16(0.5)])), ids=lambda call, n: f"{call}-{n!r}")
ONE_ENTRY_DOORS = {"linalg.vector_norm": lambda L, x, p, kw: L.linalg.vector_norm(x, p, **kw),
                   "linalg.norm": lambda L, x, p, kw: L.linalg.norm(x, p, **kw),
                   "norm": lambda L, x, p, kw: L.norm(x, p=p, **kw),
                   "Tensor.norm": lambda L, x, p, kw: x.norm(p=p, **kw)}


def _one_entry(L, shape, dim, p, door):
    x = L.tensor(np.full(shape, -1.5), dtype=L.float64, requires_grad=True)
    out = ONE_ENTRY_DOORS[door](L, x, p, {} if dim is None else {"dim": dim})
    return close(out.detach(), 0, 1e-12), close(L.autograd.grad(out.sum(), x)[0], 0, 1e-12)


test_a_norm_of_one_entry_is_pytorchs = sweep(_one_entry, [
    (*sd, p, door) for sd in [((), None), ((), 0), ((), -1), ((), [0]), ((), []), ((1,), 0), ((1,), None),
                              ((3, 1), 1), ((1, 3), 0)]
    for p in [math.nan, 0.5, -1.0, 3.0] for door in ONE_ENTRY_DOORS])
ORDERS = [0.0, 1.0, 2.0, 3.0, 0.5, -1.0, math.inf, -math.inf]
VIEWS = {  # an input that is not row-major, of a (2, 5, 2, 5) array
    "permute(3, 1, 2, 0)": lambda t: t.permute(3, 1, 2, 0), "permute(1, 0, 2, 3)": lambda t: t.permute(1, 0, 2, 3),
    "permute(2, 3, 0, 1)": lambda t: t.permute(2, 3, 0, 1), "transpose(-1, -2)": lambda t: t.transpose(-1, -2),
    "[:, ::2]": lambda t: t[:, ::2], "row-major": lambda t: t,
}
DOORS = {
    "linalg.vector_norm": lambda L, x, y, p, d, k: L.linalg.vector_norm(x, p, dim=d, keepdim=k),
    "linalg.norm": lambda L, x, y, p, d, k: L.linalg.norm(x, p, dim=d, keepdim=k),
    "Tensor.norm": lambda L, x, y, p, d, k: x.norm(p, dim=d, keepdim=k),
    "torch.norm": lambda L, x, y, p, d, k: L.norm(x, p, dim=d, keepdim=k),
    "F.pairwise_distance": lambda L, x, y, p, d, k: L.nn.functional.pairwise_distance(x, y, p, keepdim=k),
}


def _layout(L, door, view, p, d, keepdim):
    a = np.random.default_rng(3).standard_normal((2, 5, 2, 5))
    x, y = VIEWS[view](L.tensor(a)), VIEWS[view](L.tensor(a[..., ::-1].copy()))
    out = DOORS[door](L, x, y, p, d, keepdim)
    return tuple(out.shape), out.is_contiguous(), out.flatten().data_ptr() == out.data_ptr()


test_a_norms_result_is_laid_out_as_pytorchs = sweep(_layout, [
    (door, view, p, d, keep) for door in sorted(DOORS) for view in sorted(VIEWS)
    for p, d, keep in itertools.product(ORDERS, [-1, 0, 1, (1, 2), (0, 3)], [False, True])
    # (F.pairwise_distance's dim is the last one; two dims are a matrix norm for linalg.norm and torch.norm)
    if not (door == "F.pairwise_distance" and d != -1 or door in ("linalg.norm", "torch.norm") and
            isinstance(d, tuple))], group=lambda door, view, *case: f"{door}-{view}")


def _write_through(L, p):
    """What a learner can see: ``out.flatten()[0] = 5`` changes ``out`` when flatten() is a view."""
    x = L.tensor(np.random.default_rng(4).standard_normal((3, 4, 5))).permute(2, 0, 1)
    out = L.linalg.vector_norm(x, p, dim=-1)
    out.flatten()[0] = 5.0
    return float(out[0, 0])


test_a_write_through_the_flattened_norm_reaches_it = sweep(_write_through, ORDERS, ids=repr)


AT_ZERO = {
    "vector_norm": lambda L, x, p: L.linalg.vector_norm(x, ord=p, dim=1),
    "linalg.norm": lambda L, x, p: L.linalg.norm(x, ord=p, dim=1),
    "Tensor.norm": lambda L, x, p: x.norm(p=p, dim=1),
    "torch.norm": lambda L, x, p: L.norm(x, p=p, dim=1),
    "vector_norm_all": lambda L, x, p: L.linalg.vector_norm(x[0], ord=p),
    "dist": lambda L, x, p: L.dist(x[0], x[0] * 0.5, p=p),
    "normalize": lambda L, x, p: L.nn.functional.normalize(x, p=p, dim=1),
}


def _at_zero(L, door, p):
    """The first, second and third gradients in the input and in a leaf upstream (values and requires_grad), then
    the refusal that ended them, if one did."""
    x = L.tensor([[0.0, 0.0, 0.0], [1.0, -2.0, 0.5], [0.0, 1.5, -1.0]], dtype=L.float64, requires_grad=True)
    y = AT_ZERO[door](L, x, p)
    u = L.tensor(np.linspace(0.5, 1.5, y.numel()).reshape(tuple(y.shape)), dtype=L.float64, requires_grad=True)
    seen, ys, gos = [], [y], [u]
    try:
        for _ in range(3):
            gs = L.autograd.grad(ys, [x, u], gos, create_graph=True, allow_unused=True)
            seen.append([None if g is None else (close(g.detach().numpy(force=True) if L is torch else  # (ZeroTensor)
                                                       g.detach().numpy(), atol=1e-9), bool(g.requires_grad))
                         for g in gs])
            ys = [g for g in gs if g is not None and g.requires_grad]
            if not ys:
                break
            gos = [L.ones_like(g) for g in ys]
    except Exception as e:  # noqa: BLE001  (a refusal is a result to compare)
        seen.append(e)
    return seen


test_a_norms_gradient_at_zero_differentiated_again_is_pytorchs = sweep(
    _at_zero, list(itertools.product(AT_ZERO, [-1.0, 0.0, 0.5, 1.0, 1.5, 2.0, 3.0, 4.0, math.inf])))
EMPTY_ORDERS = [-math.inf, -2.0, -1.5, -1, -0.5, 0, 0.5, 1, 2, 3, math.inf, math.nan, "inf"]
EMPTY_SHAPES = [(0,), (0, 3), (3, 0), (2, 0, 2)]


def _total_norm(L, order, shape, with_others):
    tensors = [L.zeros(shape, dtype=L.float64)] + ([L.tensor([3.0, -4.0], dtype=L.float64)] if with_others else [])
    return close(np.float64(L.nn.utils.get_total_norm(tensors, order)), 1e-12)


def _clipped(L, order, shape, with_others):
    ps = [L.nn.Parameter(L.zeros(shape, dtype=L.float64))]
    ps += [L.nn.Parameter(L.tensor([3.0, -4.0], dtype=L.float64))] if with_others else []
    for p in ps:
        p.grad = L.ones_like(p)
    total = L.nn.utils.clip_grad_norm_(ps, 0.5, norm_type=order)
    return close(np.array([float(total)] + [float(v) for p in ps for v in p.grad.flatten().tolist()]), 1e-12)


def _cdist(L, order, sizes):
    return close(np.array(L.cdist(L.zeros((sizes[0], 0), dtype=L.float64), L.zeros((sizes[1], 0), dtype=L.float64),
                                  order).tolist(), dtype=float).reshape(sizes), 1e-12)


def _minigans_own(ours, theirs):
    """A refusal is minigan's own class (of PyTorch's built-in one), never a NumPy or Python error leaked."""
    if isinstance(ours, Exception) and not type(ours).__module__.startswith("minigan"):
        return f"a NumPy or Python error leaked: {ours!r}"


NOTHING = list(itertools.product(EMPTY_ORDERS, EMPTY_SHAPES, [False, True]))
test_get_total_norm_of_an_empty_tensor = sweep(_total_norm, NOTHING, also=_minigans_own)
test_clip_grad_norm_of_an_empty_gradient = sweep(_clipped, NOTHING, also=_minigans_own)
test_cdist_of_vectors_of_no_entries = sweep(_cdist, list(itertools.product(
    [0, 0.5, 1, 2, 3, math.inf, -1, math.nan], [(2, 3), (0, 3), (2, 0)])), also=_minigans_own)


RNG = np.random.default_rng(7)
X = np.round(RNG.normal(size=(3, 4)), 3)
X_AT_ZERO = X.copy()
X_AT_ZERO[1, 2] = 0.0  # an entry at 0: the kinks of |x|^p and of the negative orders
Y = np.round(RNG.normal(size=(3, 4)), 3)
A = np.round(RNG.normal(size=(2, 3, 4)), 3)
ZERO_ROW = X.copy()
ZERO_ROW[1] = 0.0  # a norm of 0 (a row, and the column norms' kinks): a gradient penalty where ∇D(x̂) = 0
P_ORDERS = [None, 0, 1, 2, 3, 0.5, 1.5, -1, -1.5, -2, math.inf, -math.inf, math.nan, np.float32(-1.5),
            np.float64(3.0), np.int64(2), True, "fro", "nuc", "other"]
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
INPUTS = {"drawn": [X, Y], "an entry at 0": [X_AT_ZERO, Y], "a norm of 0": [ZERO_ROW, Y]}


def _vector_door(L, door, order, inputs, dtype="float64"):
    x, y = INPUTS[inputs]
    if dtype in ("bool", "int64"):
        x, y = (x > 0, y > 0) if dtype == "bool" else (np.round(x * 3), np.round(y * 3))
    return to_second_order(L, lambda L, x, y: VECTOR_DOORS[door](L, order, x, y), [x, y], [dtype, dtype])


SINGULAR = pytest.mark.xfail(strict=True, reason="the second derivative of a singular value norm (nuc, -2) of a "
                             "singular matrix: ±inf where PyTorch's is NaN (the comparison before this one took any "
                             "non-finite value for any other)")
SINGULAR_CASES = {("torch.norm", "nuc"), ("torch.norm dims keepdim", "nuc"), ("Tensor.norm", "nuc"),
                  ("linalg.norm", "nuc"), ("linalg.norm", -2)}

# Each door by each order on each input: 840 cases, every 7th by default (every door, order and input among them)
test_every_order_at_every_vector_door = sweep(_vector_door, [
    pytest.param(door, order, inputs, marks=[SINGULAR] if (door, order) in SINGULAR_CASES and inputs == "a norm of 0"
                 else []) for door, order, inputs in itertools.product(VECTOR_DOORS, P_ORDERS, INPUTS)],
    every=7, cover=[lambda door, order, inputs: (door, repr(order))])
test_integer_and_bool_inputs_are_refused_as_pytorch_refuses_them = sweep(_vector_door, [
    (door, order, "drawn", dtype) for door, dtype, order in itertools.product(
        VECTOR_DOORS, ["int64", "bool", "float32"], [None, 2, 0, -1, math.inf, -math.inf, np.float32(-1.5), "fro"])],
    every=7)


def _empty_reduction(L, door, order, shape, dim):
    fn = (lambda L, x: L.linalg.vector_norm(x, order, dim=dim)) if door == "linalg.vector_norm" else \
        (lambda L, x: x.norm(order, dim=dim))
    return to_second_order(L, fn, [np.zeros(shape)], ["float64"])


test_an_empty_reduction_without_an_identity_is_refused = sweep(_empty_reduction, [
    (door, order, shape, dim) for door in ["linalg.vector_norm", "Tensor.norm"]
    for order in [0, 1, 2, 0.5, -1, math.inf, -math.inf, math.nan]
    for shape, dim in [((0,), None), ((0, 3), None), ((0, 3), 0), ((0, 3), 1), ((2, 0), (0, 1))]],
    cover=[lambda door, order, shape, dim: (door, shape, dim)])


def _dim_out_of_range(L, door):
    return to_second_order(L, lambda L, x, y: VECTOR_DOORS[door](L, -math.inf, x[0], y), [X, Y],
                           ["float64", "float64"])


test_a_dim_out_of_range_is_an_index_error_before_the_order = sweep(_dim_out_of_range, [
    "torch.norm dim", "Tensor.norm dim", "linalg.vector_norm dim", "F.normalize"])
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


def _matrix_door(L, door, order):
    return to_second_order(L, lambda L, a: MATRIX_DOORS[door](L, order, a), [A], ["float64"])


test_every_matrix_order_at_every_matrix_door = sweep(_matrix_door, list(itertools.product(MATRIX_DOORS,
                                                                                          MATRIX_ORDERS)), every=3)


def _matrix_norm(L, order, shape, dim=None, special=None, dtype="float64", detached=False):
    """linalg.matrix_norm of drawn matrices (the singular value norms to the second order), empty ones, with dims,
    of an integer or a vector input, with a non-finite entry (values only: PyTorch's gradient there is whatever its
    LAPACK call left in U and V, partly finite)."""
    a = A.copy() if shape == "A" else np.round(np.random.default_rng(sum(shape)).normal(size=shape), 3)
    if special is not None:
        a[1, 2, 0] = special
    a = np.round(a) if dtype == "int64" else a
    return to_second_order(L, lambda L, a: L.linalg.matrix_norm(a.detach() if detached else a, order,
                                                              **({} if dim is None else {"dim": dim})), [a], [dtype])


test_matrix_norms_as_pytorchs = sweep(_matrix_norm, [
    *((order, shape) for order in ["nuc", 2, -2] for shape in [(3, 4), (4, 3), (2, 3, 3), (5, 2), (1, 4)]),
    *((order, shape) for order in ["fro", "nuc", 2, -2, 1, -1, math.inf, -math.inf]
      for shape in [(0, 3), (3, 0), (2, 0, 0)]),
    *((order, "A", dim) for order in ["fro", "nuc", 2, 1, math.inf] for dim in [(0, 0), (0,), (0, 5)]),
    *((order, "A", None, None, "int64") for order in ["fro", "nuc", 2, 1, math.inf]),
    *((order, (4,)) for order in ["fro", "nuc", 2, 1, math.inf]),
    *((order, "A", None, special, "float64", True) for order in ["nuc", 2, -2]
      for special in [math.inf, -math.inf, math.nan])])


def _clip_grad_norm(L, norm_type):
    ps = [L.nn.Parameter(L.tensor(a)) for a in (X, Y[0])]
    for p, g in zip(ps, (Y, X[1])):
        p.grad = L.tensor(g)
    total = L.nn.utils.clip_grad_norm_(ps, 0.5, norm_type=norm_type)
    return [close(total, 1e-10, 1e-12)] + [close(p.grad, 1e-10, 1e-12) for p in ps]


test_clip_grad_norm_takes_every_order = sweep(_clip_grad_norm, [2, 1, 0.5, 3, -1, math.inf, -math.inf,
                                                                np.float32(1.5)], ids=repr)


def _dist(L, dtypes, which=None):
    """dist's dtype is the difference's promoted one; with p = 0 it differentiates as PyTorch's (refused at backward
    where PyTorch's is, for each operand that requires grad)."""
    arrays = [v > 0 if d == "bool" else np.round(v * 3) if d == "int64" else v for v, d in zip((X, Y), dtypes)]
    if which is None:
        return to_second_order(L, lambda L, x, y: L.dist(x, y, 1), arrays, list(dtypes))
    return to_second_order(L, lambda L, x, y: L.dist(x if which != "other" else x.detach(),
                                                       y if which != "input" else y.detach(), 0), arrays, list(dtypes))


test_dist_as_pytorchs = sweep(_dist, [
    *(((a, b),) for a, b in [("int64", "float64"), ("float32", "int64"), ("bool", "float64"), ("int64", "int64"),
                             ("bool", "bool")]),
    *((("float64", "float64"), which) for which in ["input", "other", "both"])])


def _one_entry_door(L, shape, dim, order, door):
    if door == "get_total_norm":
        return to_second_order(L, lambda L, x: L.nn.utils.get_total_norm([x.detach()], order), [X[0, :1]],
                               ["float64"])
    values = X[:, 1].ravel()[:math.prod(shape)].reshape(shape)
    return to_second_order(L, lambda L, x: L.linalg.vector_norm(x, order, dim=dim), [values], ["float64"])


test_a_norm_of_one_entry_is_its_absolute_value_at_every_door = sweep(_one_entry_door, [
    (shape, dim, order, door) for order in [math.nan, -1.5, 0.5, 3]
    for shape, dim in [((1,), None), ((3, 1), 1), ((3, 1), 0), ((), None)]
    for door in ["linalg.vector_norm", "get_total_norm"]])
