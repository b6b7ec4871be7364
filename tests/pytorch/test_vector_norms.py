"""The vector norms and the normalizations' numbers against PyTorch (tests/pytorch/sweep.py):

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

from pytorch.sweep import close, sweep

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
