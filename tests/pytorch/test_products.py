"""The matrix products (bmm, baddbmm, addbmm, addmm, addmv, addr, matmul, mm, mv, dot, inner, outer, vdot, ger,
multi_dot, matrix_power, trace, cross, tensordot) against PyTorch (tests/pytorch/sweep.py):

* each product's door (mm, addmm and addmm_, addmv, addr, inner, multi_dot, matrix_power, trace, cross, tensordot,
  matmul) called with operands of every rank it refuses and every dtype pair, to the second order
  (sweep.to_second_order), so that the order of PyTorch's checks (the ranks first, then the dtypes, at mm's and
  trace's doors; the dim first at cross's) and its promotion rules (inner with a 0-d operand is a product, and
  promotes) show up as differences; bool operands refused only where a product is computed; matmul's empty products
  of two dtypes along PyTorch's paths; matrix_power laid out row-major whatever its input's layout;

* of an empty result or an empty inner size, whose operands have several dtypes: PyTorch's bmm and baddbmm check the
  operands' dtypes in the kernel that computes the product; where the result has no entries or the inner size is 0
  that kernel never runs, so they give the result in batch2's (mat2's) dtype: zeros, or baddbmm's input converted
  and scaled by beta as an in-place ``mul_`` would (an integer result refuses beta=2.5, a bool one beta=1).  baddbmm
  still wants input and batch1 of one dtype; matmul's batched path is bmm's, its folded path mm's, which always
  checks.  addmm and addbmm with an inner size of 0 (or no batches) scale their input the same way.  addr promotes
  its three operands (its kernel is pointwise).  Where the product is computed, addmm, addmv, addr, baddbmm and
  addbmm do not promote: an input of another dtype than the product's operands is refused (a RuntimeError; surface
  seeds 11624094 and 11626280: minigan's baddbmm and addbmm promoted the input and ran);
* where nothing is multiplied (an inner size of 0, no batches) or alpha is 0, float64: PyTorch records the node
  whenever an operand requires grad, so the result requires grad and each operand gets PyTorch's gradient (alpha
  times an empty sum: NaN for alpha = ±inf or NaN, else zeros; the input's beta·grad) (surface seeds 12209982,
  12211325, 12205266);
* that compute nothing and whose result is an integer or bool tensor (bmm's and baddbmm's in mat2's dtype, addbmm's
  in input's) while a float operand requires grad: PyTorch records the node and refuses it ("Autograd not support
  dtype": a RuntimeError) under grad mode, and runs under no_grad (surface seeds 12212538, 12202201); addbmm's result
  is in input's dtype: a float input with no batches runs whatever batch2's dtype, and requires grad when batch1
  does, under grad mode (seed 12211325);
* with an infinite, NaN or zero alpha (or beta), float64: PyTorch's backward contracts first and scales by alpha
  after (``maybe_multiply(grad.mm(mat2ᵀ), alpha)``): with alpha = ±∞ an empty contraction (0 terms), or one whose
  terms sum to 0, gives NaN; scaling the upstream first and then contracting gives 0 for the empty sum, and NaN where
  a zero upstream entry meets ∞.  Its forward is BLAS's where the kernel is (addmv, addmm: alpha = 0 or an inner size
  of 0 ignores the product, so an ∞ in a matrix does not reach the result) (surface seed 12178394);
* inner of bool tensors: its kernel refuses bools (dot's NotImplementedError for vectors, addmm's for more
  dimensions), except for two vectors of which one is not contiguous (a step, a column, an expanded one), which
  PyTorch's tensordot path computes (surface seed 12215029);
* a second operand that is not a tensor (None, a number) is refused with PyTorch's exception class, whatever the first
  operand's shape: the operand's type is checked before either's shape is read (mv and bmm read the second's shape
  for their message when the first had the wrong number of dimensions: AttributeError);
* the layout of the result: PyTorch's matrix products (matmul and @, mm, bmm, matrix_power, the addmm family, mv,
  F.linear) allocate it row-major whatever their operands' layouts (a permuted batch, a transposed matrix, an
  expanded or a strided operand), where NumPy's matmul keeps a permuted batch's order, which a later ``view`` or
  ``flatten`` (a copy where PyTorch's is a view) tells: the same values and the same strides (where a dimension has
  more than one entry);
* products whose result PyTorch gives as a view of the product it computed: inner, tensordot and linalg.multi_dot
  reshape an mm (or dot) result, and linear with a bias on an input that is not 2-D views the addmm of the
  flattened input.  The result's ``_base`` is that product and its node is ViewBackward0, so an in-place op on the
  result goes through CopySlices: the gradient reaching the product is the upstream with the written part
  replaced, which under create_graph requires grad when the upstream does, even where the op's own derivative is a
  constant (zero_, fill_, copy_).  minigan's result is such a view wherever PyTorch's is, and nowhere else (the
  controls: a number operand, a 2-D linear, a linear without a bias or with a bias of the output's shape, matmul,
  dot, mv); compared: the view-ness, the node's name, and, after ``r.zero_()`` / ``r.fill_(0.5)`` / ``r.copy_(c)``,
  the gradient of ``F.linear(r, r)`` with respect to the leaves under create_graph (its value and requires_grad).
"""

import itertools
import math

import numpy as np
import pytest

from pytorch.oracle import ADDMV_ONE_DTYPE, pytorch_since
from pytorch.sweep import close, sweep, to_second_order

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

INF, NAN = float("inf"), float("nan")


def _made(L, shapes, dtypes, offset):
    return [(L.arange(int(np.prod(s))).reshape(s) % 3 + offset).to(getattr(L, d)) for s, d in zip(shapes, dtypes)]


def _dtypes(L, name, shapes, dtypes, kw, form, offset=1):
    made = _made(L, shapes, dtypes, offset)
    return getattr(L, name)(*made, **kw) if form == "function" else getattr(made[0], name)(*made[1:], **kw)


EMPTY = {
    "bmm": [((0, 2, 3), (0, 3, 2)), ((2, 0, 3), (2, 3, 2)), ((2, 2, 0), (2, 0, 2)), ((2, 2, 3), (2, 3, 0)),
            ((2, 2, 3), (2, 3, 2))],
    "matmul": [((0, 2, 3), (0, 3, 2)), ((2, 2, 0), (2, 0, 2)), ((2, 2, 0), (0, 2)), ((2, 0), (2, 0, 2)),
               ((2, 3), (2, 3, 0)), ((0,), (2, 0, 3)), ((2, 2, 0), (0,)), ((1, 2, 0), (3, 0, 2)), ((2, 2, 3), (3, 2))],
    "baddbmm": [((0, 2, 2), (0, 2, 3), (0, 3, 2)), ((2, 2, 2), (2, 2, 0), (2, 0, 2)), ((1, 2), (2, 2, 0), (2, 0, 2)),
                ((2, 2, 2), (2, 2, 3), (2, 3, 2))],
    "addbmm": [((2, 2), (0, 2, 3), (0, 3, 2)), ((2, 2), (2, 2, 0), (2, 0, 2)), ((2,), (0, 2, 3), (0, 3, 2))],
    "addmm": [((2, 2), (2, 0), (0, 2)), ((2,), (2, 0), (0, 2)), ((0, 2), (0, 3), (3, 2))],
    "addmv": [((2,), (2, 0), (0,)), ((0,), (0, 3), (3,))],
    "addr": [((2, 3), (2,), (3,)), ((0, 3), (0,), (3,))],
}


def _addmv_of_several_dtypes(name, shapes, dtypes):
    """addmv, and matmul of a vector (PyTorch's matrix-vector path is addmv), with operands of several dtypes:
    PyTorch 2.12 refuses them ("addmv input tensors must have the same dtype"), where 2.11 promoted and ran."""
    return len(set(dtypes)) > 1 and (name == "addmv" or name == "matmul" and 1 in map(len, shapes))


def _empty_cases():
    for name, shapes in EMPTY.items():
        for sh in shapes:
            for dtypes in itertools.product(["bool", "int32", "float32", "float64"], repeat=len(sh)):
                same = len(set(dtypes)) == 1 or set(dtypes) == {"float32", "float64"}  # (beta on the mixes too)
                for kw in [{}, {"beta": 0}, {"beta": 2.5}, {"beta": True}, {"beta": 2, "alpha": 3}] \
                        if len(sh) == 3 and same else [{}]:
                    for form in ["function", "method"]:
                        yield pytest.param(name, sh, dtypes, kw, form, marks=[ADDMV_ONE_DTYPE] if
                                           _addmv_of_several_dtypes(name, sh, dtypes) else [])


test_empty_products_of_several_dtypes_as_pytorch = sweep(
    _dtypes, list(_empty_cases()), every=23, cover=[lambda name, shapes, *_: (name, shapes)])
COMPUTED = {"addmm": ((2, 2), (2, 3), (3, 2)), "addmv": ((2,), (2, 3), (3,)), "addr": ((2, 3), (2,), (3,)),
            "baddbmm": ((2, 2, 2), (2, 2, 3), (2, 3, 2)), "addbmm": ((2, 2), (2, 2, 3), (2, 3, 2))}


def _computed(L, name, form, dtypes):
    return _dtypes(L, name, COMPUTED[name], dtypes, {}, form, offset=0)


test_operands_of_several_dtypes_as_pytorch = sweep(_computed, [
    pytest.param(name, form, dtypes, marks=[ADDMV_ONE_DTYPE] if name == "addmv" and dtypes[1] == dtypes[2] !=
                 dtypes[0] else [])  # (addmv whose input alone has another dtype: PyTorch 2.11 promoted and ran)
    for name in COMPUTED for form in ("function", "method")
    for dtypes in itertools.product(["float64", "float32", "int64", "bool"], repeat=3)
    if len(set(dtypes)) > 1 or dtypes[0] == "float64"], every=5, cover=[lambda name, form, dtypes: (name, form)])
NOTHING = {
    "addmm": [((2, 3), (2, 0), (0, 3)), ((3,), (2, 0), (0, 3)), ((0, 3), (0, 2), (2, 3)), ((2, 3), (2, 2), (2, 3))],
    "addmv": [((2,), (2, 0), (0,)), ((0,), (0, 3), (3,)), ((2,), (2, 3), (3,))],
    "baddbmm": [((3, 2, 4), (3, 2, 0), (3, 0, 4)), ((3, 0, 1), (3, 0, 4), (3, 4, 1)), ((0, 2, 3), (0, 2, 4), (0, 4, 3)),
                ((2, 2, 3), (2, 2, 2), (2, 2, 3))],
    "addbmm": [((2, 3), (0, 2, 4), (0, 4, 3)), ((2, 3), (2, 2, 0), (2, 0, 3)), ((0, 3), (2, 0, 4), (2, 4, 3)),
               ((3,), (2, 2, 2), (2, 2, 3))],
}


def _nothing(L, name, shapes, alpha, beta, rg):
    """The result, whether it requires grad, and each operand's gradient (``rg``: which operands require grad)."""
    made = [L.tensor(np.linspace(-1, 2, int(np.prod(s))).reshape(s), dtype=L.float64, requires_grad=bool(rg >> i & 1))
            for i, s in enumerate(shapes)]
    r = getattr(L, name)(*made, beta=beta, alpha=alpha)
    if not r.requires_grad:  # (NaN equal to NaN; the non-empty products may round in another order)
        return close(r.detach(), 1e-12, 1e-12), False
    w = L.tensor(np.linspace(0.5, 1.5, r.numel()).reshape(tuple(r.shape)), dtype=L.float64)
    grads = L.autograd.grad((r * w).sum(), [t for t in made if t.requires_grad], allow_unused=True)
    return close(r.detach(), 1e-12, 1e-12), True, [None if g is None else close(g, 1e-12, 1e-12) for g in grads]


test_products_of_nothing_record_pytorchs_gradients = sweep(_nothing, [
    (name, sh, alpha, beta, rg) for name, shapes in NOTHING.items() for sh in shapes
    for alpha, beta, rg in itertools.product([1, 0, 2.5, -INF, NAN], [1, 0, 2.0], range(1, 8))], every=23,
    cover=[lambda name, shapes, *_: (name, shapes), lambda name, *rest: (name, rest[-1])])
INTEGER = {  # (input, batch1 or self, batch2 or mat2); bmm and matmul have no input
    "bmm": [(None, (3, 0, 4), (3, 4, 2)), (None, (3, 2, 0), (3, 0, 2)), (None, (0, 2, 3), (0, 3, 2)),
            (None, (3, 2, 4), (3, 4, 2))],
    "matmul": [(None, (3, 2, 0), (3, 0, 2)), (None, (0, 2, 3), (0, 3, 2)), (None, (2, 0), (3, 0, 2)),
               (None, (3, 0, 4), (3, 4, 2))],
    "baddbmm": [((3, 2, 2), (3, 2, 0), (3, 0, 2)), ((3, 0, 3), (3, 0, 0), (3, 0, 3)),
                ((0, 2, 2), (0, 2, 3), (0, 3, 2))],
    "addbmm": [((2, 2), (0, 2, 3), (0, 3, 2))],
}
DTYPES = ["int64", "int32", "bool", "float64"]


def _integer_cases():
    for name, shapes in INTEGER.items():
        for sh in shapes:
            for other, grad, form in itertools.product(DTYPES, (True, False), ("function", "method")):
                for which in ("input", "batch1") if sh[0] else ("batch1",):
                    for kw in ({}, {"alpha": NAN}) if sh[0] else ({},):
                        yield name, sh, other, which, grad, form, kw


def _integer(L, name, shapes, other, which, grad, form, kw):
    c, a, b = shapes
    int_input = other if name == "addbmm" else "float64"  # (addbmm's result is in its input's dtype)
    a = L.ones(a, dtype=L.float64, requires_grad=which == "batch1")
    b = L.ones(b, dtype=L.float64 if name == "addbmm" else getattr(L, other))
    args = [a, b] if c is None else [L.ones(c, dtype=getattr(L, int_input if which == "batch1" else "float64"),
                                            requires_grad=which == "input" and int_input == "float64"), a, b]
    if c is not None and name == "baddbmm" and which == "input":
        args[1] = args[1].detach()
    with L.set_grad_enabled(grad):
        r = getattr(L, name)(*args, **kw) if form == "function" else getattr(args[0], name)(*args[1:], **kw)
    return str(r.dtype).split(".")[-1], tuple(r.shape)


test_empty_integer_product_of_a_grad_operand_as_pytorch = sweep(_integer, list(_integer_cases()), every=1)


def _no_batches(L, other, grad):
    with L.set_grad_enabled(grad):
        r = L.addbmm(L.ones(2, 3, dtype=L.float64), L.ones(0, 2, 4, dtype=L.float64, requires_grad=True),
                     L.ones(0, 4, 3, dtype=getattr(L, other)), alpha=2)
    return r.detach(), r.requires_grad


test_addbmm_of_no_batches_keeps_a_float_result_of_any_batch_dtype = sweep(
    _no_batches, list(itertools.product(DTYPES, [True, False])))
SCALED = {"addmv": [((2,), (2, 3), (3,)), ((2,), (2, 0), (0,)), ((0,), (0, 2), (2,))],
          "addmm": [((2, 2), (2, 3), (3, 2)), ((2, 2), (2, 0), (0, 2)), ((2,), (2, 3), (3, 2))],
          "baddbmm": [((2, 2, 2), (2, 2, 3), (2, 3, 2)), ((2, 2, 2), (2, 2, 0), (2, 0, 2))],
          "addbmm": [((2, 2), (2, 2, 3), (2, 3, 2)), ((2, 2), (0, 2, 3), (0, 3, 2)), ((2, 2), (2, 2, 0), (2, 0, 2))],
          "addr": [((2, 3), (2,), (3,)), ((0, 3), (0,), (3,)), ((2, 0), (2,), (0,))]}


def _values(shape, fill, k):
    n = int(np.prod(shape))
    if fill == "an inf":
        v = np.arange(n, dtype=np.float64) % 3 - 1
        v[: min(n, 1)] = INF
    else:
        v = np.ones(n) if fill == "ones" else np.zeros(n) if fill == "zeros" else \
            np.array([0.0, 1.0, -2.0, 0.5])[(np.arange(n) + k) % 4]
    return v.reshape(shape)


def _scaled(L, name, shapes, kw, fills):  # (the upstream always has a 0 and a 1)
    leaves = [L.tensor(_values(s, f, k), dtype=L.float64, requires_grad=True)
              for k, (s, f) in enumerate(zip(shapes, ("mixed", *fills)))]
    out = getattr(L, name)(*leaves, **kw)
    up = L.tensor(np.array([0.0, 1.0, -1.5])[np.arange(out.numel()) % 3].reshape(tuple(out.shape)))
    grads = L.autograd.grad(out, leaves, up, allow_unused=True)
    return [close(t, 1e-12) for t in [out.detach()] + [L.zeros(s, dtype=L.float64) if g is None else g
                                                       for g, s in zip(grads, shapes)]]


test_scales_in_pytorchs_order = sweep(_scaled, [
    (name, shapes, kw, fills) for name in SCALED for shapes in SCALED[name]
    for kw in [{"alpha": INF}, {"alpha": -INF}, {"alpha": NAN}, {"alpha": 0}, {"beta": 0}, {"beta": INF},
               {"alpha": 2.5, "beta": 0}]
    for fills in [("ones", "ones"), ("zeros", "ones"), ("ones", "zeros"), ("an inf", "ones"), ("ones", "an inf"),
                  ("mixed", "mixed"), ("zeros", "an inf")]], every=5, cover=[lambda name, shapes, *_: (name, shapes)])
LAYOUTS = ["plain", "step", "column", "expanded"]


def _vector(L, n, layout, seed, dtype):
    rng = np.random.default_rng(seed)
    if layout == "expanded":
        return L.tensor(rng.integers(0, 2, (1,)).astype(dtype)).expand(n)
    t = L.tensor(rng.integers(0, 2, (n, 3) if layout == "column" else (2 * n,)).astype(dtype))
    return t[:, 1] if layout == "column" else t[::2] if layout == "step" else t[:n]


def _inner(L, form, n, la, lb, da, db):
    a, b = _vector(L, n, la, 1, da), _vector(L, n, lb, 2, db)
    if form == "matrix-left":
        a = a.reshape(1, n).expand(2, n) if la == "expanded" else L.stack([a, a])
    if form == "matrix-right":
        b = b.reshape(1, n).expand(3, n) if lb == "expanded" else L.stack([b, b, b])
    return L.inner(a, b)


test_inner_of_bools_as_pytorch = sweep(_inner, [
    ("vectors", n, la, lb, da, db) for n in (0, 1, 2, 5) for la, lb in itertools.product(LAYOUTS, repeat=2)
    for da, db in (("bool", "bool"), ("bool", "int64"), ("int64", "int64"))] + [
    (form, 5, la, lb, "bool", "bool") for la, lb in itertools.product(LAYOUTS, repeat=2)
    for form in ("matrix-left", "matrix-right")], every=1)  # (a matrix with a vector, either side; all: cheap)


def _non_tensor(L, name, shape, other):
    return getattr(L, name)(L.zeros(shape, dtype=L.float64), other)


test_product_refuses_a_non_tensor_operand_as_pytorch = sweep(_non_tensor, list(itertools.product(
    ["mv", "bmm", "mm", "dot", "outer", "inner", "vdot", "ger", "matmul"], [(), (3,), (2, 3), (2, 3, 4)],
    [None, 2.5])))



# ----------------------------------------------------------------------------- the layout of a product's result
_LAYOUT_RNG = np.random.default_rng(0)
A4 = _LAYOUT_RNG.standard_normal((3, 4, 2, 2))  # (batch, batch, n, n): permuted over the two batch dims
M3 = _LAYOUT_RNG.standard_normal((4, 3, 2))


def _layouts(lib, base):
    """The same values of shape (4, 3, 2, 2) (or (3, 4, 2) for M3) in several layouts."""
    t = lib.tensor(base, dtype=lib.float64)
    if base.ndim == 4:
        return {"contiguous": t.permute(1, 0, 2, 3).contiguous(), "permuted batch": t.permute(1, 0, 2, 3),
                "transposed matrices": t.permute(1, 0, 3, 2),
                "expanded": t[:1, :1].expand(4, 3, 2, 2), "strided": lib.cat([t, t], 3)[..., ::2].permute(1, 0, 2, 3)}
    return {"contiguous": t.permute(1, 0, 2).contiguous(), "permuted batch": t.permute(1, 0, 2),
            "transposed": t.permute(1, 2, 0).transpose(1, 2), "expanded": t[:1].permute(1, 0, 2).expand(3, 4, 2)}


def _doors(lib):
    F = lib.nn.functional
    return {
        "matmul": lambda x, y: lib.matmul(x, y), "@": lambda x, y: x @ y, "Tensor.matmul": lambda x, y: x.matmul(y),
        "linalg.matmul": lambda x, y: lib.linalg.matmul(x, y),
        "matmul batch @ matrix": lambda x, y: x @ y[0, 0], "matmul matrix @ batch": lambda x, y: x[0, 0] @ y,
        "matmul batch @ vector": lambda x, y: x @ y[0, 0, 0], "matmul vector @ batch": lambda x, y: x[0, 0, 0] @ y,
        "matmul batch @ batch (broadcast)": lambda x, y: x @ y[:1],
        "bmm": lambda x, y: lib.bmm(x[:, 0], y[:, 1]), "Tensor.bmm": lambda x, y: x[:, 0].bmm(y[:, 1]),
        "bmm (permuted)": lambda x, y: lib.bmm(x.flatten(0, 1).unflatten(0, (4, 3))[0], y[0]),
        "baddbmm": lambda x, y: lib.baddbmm(x[:, 0], x[:, 0], y[:, 1]),
        "matrix_power 0": lambda x, y: lib.matrix_power(x, 0), "matrix_power 1": lambda x, y: lib.matrix_power(x, 1),
        "matrix_power 2": lambda x, y: lib.matrix_power(x, 2), "matrix_power 3": lambda x, y: lib.matrix_power(x, 3),
        "matrix_power 4": lambda x, y: lib.linalg.matrix_power(x, 4),
        "matrix_power 7": lambda x, y: x.matrix_power(7),
        "mm": lambda x, y: lib.mm(x[0, 0], y[1, 2]), "addmm": lambda x, y: lib.addmm(x[0, 0], x[0, 0], y[1, 2]),
        "mv": lambda x, y: lib.mv(x[0, 0], y[0, 0, 0]), "F.linear": lambda x, y: F.linear(x, y[0, 0]),
        "F.linear (bias)": lambda x, y: F.linear(x, y[0, 0], y[0, 0, 0]),
    }


def _doors3(lib):
    F = lib.nn.functional
    return {"bmm": lambda x, y: lib.bmm(x, y.transpose(1, 2)), "@": lambda x, y: x @ y.transpose(1, 2),
            "batch @ matrix": lambda x, y: x @ y[0].t(), "matrix @ batch": lambda x, y: y[0] @ x.transpose(1, 2),
            "baddbmm": lambda x, y: lib.baddbmm(x[:, :1, :1], x, y.transpose(1, 2)),
            "addbmm": lambda x, y: lib.addbmm((x[0] @ x[1].t()).t(), x, y.transpose(1, 2)),
            "addmm": lambda x, y: lib.addmm((x[0] @ x[1].t()).t(), x[1], y[0].t()),
            "addr": lambda x, y: lib.addr((x[0] @ x[1].t()).t(), x[0, :, 0], y[0, :, 0]),
            "F.linear": lambda x, y: F.linear(x, y[0])}


def _laid_out(L, doors, base, layout_x, layout_y, door):
    """The product's values, shape and strides (of the dimensions with more than one entry)."""
    out = doors(L)[door](_layouts(L, base)[layout_x], _layouts(L, base)[layout_y])
    return close(out, 1e-12, 1e-12), tuple(out.shape), tuple(s for s, n in zip(out.stride(), out.shape) if n > 1)


test_a_batched_product_is_row_major_as_pytorchs = sweep(_laid_out, [(_doors, A4, *case) for case in itertools.product(
    ["contiguous", "permuted batch", "transposed matrices", "expanded", "strided"],
    ["contiguous", "permuted batch", "transposed matrices"], list(_doors(torch)))], every=1,
    ids=lambda doors, base, *case: "-".join(case))
test_a_product_of_three_dimensional_operands_is_row_major_as_pytorchs = sweep(_laid_out, [
    (_doors3, M3, *case) for case in itertools.product(["contiguous", "permuted batch", "transposed", "expanded"],
                                                       ["contiguous", "permuted batch", "transposed"],
                                                       list(_doors3(torch)))], every=1,
    ids=lambda doors, base, *case: "-".join(case))


def _written_through(L, door):
    """What the strides mean to a learner: PyTorch's result is row-major, so ``view(-1)`` runs and is a view."""
    out = _doors(L)[door](*[L.tensor(A4, dtype=L.float64).permute(1, 0, 2, 3)] * 2)
    out.view(-1)[0] = 100.0
    return out[0, 0, 0, 0].item()


test_a_view_of_the_product_of_a_permuted_batch_writes_through = sweep(_written_through, ["matmul", "matrix_power 3"])


# ----------------------------------------------------------------------------- products whose result is a view
M, V = (3, 4), (4,)
# (code over the leaves a, b, c; their shapes; whether PyTorch's result is a view)
CASES = {
    "inner 2-D": ("torch.inner(a, b)", [M, (2, 4)]),
    "inner 1-D": ("torch.inner(a, b)", [V, V]),
    "inner 2-D 1-D": ("torch.inner(a, b)", [M, V]),
    "inner 3-D 2-D": ("torch.inner(a, b)", [(2, 3, 4), (2, 4)]),
    "Tensor.inner": ("a.inner(b)", [M, (3, 4)]),
    "inner of a number": ("torch.inner(a, torch.tensor(2.0, dtype=torch.float64))", [M]),
    "tensordot 0": ("torch.tensordot(a, b, 0)", [V, (3,)]),
    "tensordot 1": ("torch.tensordot(a, b, 1)", [M, (4, 2)]),
    "tensordot 2": ("torch.tensordot(a, b, 2)", [M, M]),
    "tensordot to 0-d": ("torch.tensordot(a, b, 1)", [V, V]),
    "tensordot pairs": ("torch.tensordot(a, b, ([1, 0], [0, 2]))", [(3, 4, 2), (4, 2, 3)]),
    "multi_dot 2": ("torch.linalg.multi_dot([a, b])", [M, (4, 3)]),
    "multi_dot 3": ("torch.linalg.multi_dot([a, b, c])", [M, (4, 2), (2, 3)]),
    "multi_dot 1-D ends": ("torch.linalg.multi_dot([a, b, c])", [V, (4, 3), (3,)]),
    "linear 1-D bias": ("F.linear(a, b, c)", [V, (3, 4), (3,)]),
    "linear 3-D bias": ("F.linear(a, b, c)", [(2, 3, 4), (3, 4), (3,)]),
    "linear 4-D bias": ("F.linear(a, b, c)", [(1, 2, 3, 4), (3, 4), (3,)]),
    "nn.Linear 3-D": ("torch.nn.Linear(4, 3).double()(a)", [(2, 3, 4)]),
    "linear 2-D bias": ("F.linear(a, b, c)", [M, (3, 4), (3,)]),
    "linear 3-D": ("F.linear(a, b)", [(2, 3, 4), (3, 4)]),
    "linear 3-D, a bias of the output's shape": ("F.linear(a, b, c)", [(2, 3, 4), (3, 4), (3, 3)]),
    "matmul 1-D": ("a @ b", [V, V]),
    "dot": ("torch.dot(a, b)", [V, V]),
    "mv": ("torch.mv(a, b)", [M, V]),
}
WRITES = {"zero_": lambda L, r: r.zero_(), "fill_": lambda L, r: r.fill_(0.5),
          "copy_": lambda L, r: r.copy_(L.ones_like(r.detach()) * 0.25)}


def _viewed(L, case, write):
    code, shapes = CASES[case]
    rng = np.random.default_rng(len(code))
    leaves = {n: L.tensor(rng.normal(size=s), dtype=L.float64, requires_grad=True) for n, s in zip("abc", shapes)}
    L.manual_seed(0)
    r = eval(code, {"torch": L, "F": L.nn.functional, **leaves})  # noqa: S307  (the table's own code)
    is_view = bool(r._is_view()) if L is torch else r._base is not None
    name = r.grad_fn.name() if is_view else None  # (the node's name where the result is a view)
    WRITES[write](L, r)
    flat = r.reshape(1, -1) if r.ndim < 2 else r.reshape(-1, r.shape[-1])
    y = L.nn.functional.linear(flat, flat)
    gs = L.autograd.grad(y, list(leaves.values()), L.ones_like(y), create_graph=True, allow_unused=True)
    return is_view, name, [None if g is None else (bool(g.requires_grad), g.detach()) for g in gs]


test_a_product_is_a_view_where_pytorchs_is = sweep(_viewed, list(itertools.product(CASES, WRITES)), every=1)



def _door_values(shape, dtype):
    rng = np.random.default_rng([11, len(shape), *shape, len(dtype)])
    if dtype == "bool":
        return rng.random(shape) < 0.5
    if dtype == "int64":
        return rng.integers(-3, 5, size=shape)
    return np.round(rng.normal(size=shape), 3)


DOOR_SHAPES = {
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
DOOR_CALLS = {
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


def _door(L, name, k, dtypes):
    """Each product called with operands of every rank it refuses and every dtype pair, to the second order: the
    order of PyTorch's checks (the ranks first, then the dtypes, at mm's and trace's doors; the dim first at cross's)
    and its promotion rules (inner with a 0-d operand is a product, and promotes)."""
    shapes = DOOR_SHAPES[name][k]
    kinds = [dtypes[min(i, 1)] for i in range(len(shapes))]
    return to_second_order(L, DOOR_CALLS[name], [_door_values(s, d) for s, d in zip(shapes, kinds)], kinds)


# every 5th case by default (every door, rank and pair of dtypes among them), the rest under -m parity
test_every_rank_and_dtype_at_the_product_doors = sweep(_door, [
    pytest.param(n, k, d, marks=[ADDMV_ONE_DTYPE] if n == "addmv" and k in (0, 4) and d[0] != d[1] else [])
    for n in DOOR_SHAPES for k in range(len(DOOR_SHAPES[n]))
    for d in [("float64", "float64"), ("float64", "float32"), ("int64", "float64"), ("bool", "bool"),
              ("bool", "int64"), ("int64", "int64")]], every=5, cover=[lambda name, k, dtypes: (name, k)])


def _matrix_power(L, n, dtype, batched):
    fn = (lambda L, a: L.matrix_power(a, n)) if batched else (lambda L, a: L.linalg.matrix_power(a, n))
    return to_second_order(L, fn, [_door_values((2, 3, 3) if batched else (3, 3), dtype)], [dtype])


test_matrix_power_of_every_dtype = sweep(_matrix_power, list(itertools.product(
    [0, 1, 2, 3, 5], ["bool", "int64", "float64"], [False, True])), cover=[lambda n, dtype, batched: (dtype, batched)])


def _tensordot(L, shapes, dims, special):
    """Infinities and NaN in the sums: a sum of products meeting ∞ − ∞, and a size 1 against n summed over the n
    first, as PyTorch's."""
    a, b = (np.round(np.random.default_rng(len(s)).normal(size=s), 3) for s in shapes)
    if special == "inf and nan":
        a[0, 1], b[1, 2], a[2, 0] = math.inf, -math.inf, math.nan
    else:
        a.reshape(-1)[1], b.reshape(-1)[-3], a.reshape(-1)[2] = -math.inf, -math.inf, -math.inf
    return to_second_order(L, lambda L, x, y: L.tensordot(x, y, dims), [a, b], ["float64", "float64"])


test_tensordot_with_infinities_sums_as_pytorch = sweep(_tensordot, [
    *((((3, 3), (3, 3)), dims, "inf and nan") for dims in [1, 2, ([1], [0]), ([0, 1], [1, 0])]),
    *((shapes, dims, "a size 1 against n") for shapes, dims in [
        (((1, 3), (2, 3, 4)), 2), (((2, 3, 1), (2, 3, 4)), ([1, 2], [1, 0])), (((2, 3), (1, 3, 4)), 2)])],
    ids=lambda *case: repr(case))


def _matrix_power_layout(L, n, view):
    """Laid out row-major as PyTorch's, whatever the input's layout."""
    b = L.tensor(_door_values((3, 6, 6), "float64"), requires_grad=True)
    a = {"t": lambda b: b[0].t(), "permute": lambda b: b.permute(0, 2, 1), "stride": lambda b: b[:, ::2, ::2]}[view](b)
    out = L.linalg.matrix_power(a, n)
    return out.is_contiguous(), out.stride(), close(out.detach(), 1e-12)


test_matrix_power_is_laid_out_row_major_as_pytorchs = sweep(_matrix_power_layout, list(itertools.product(
    [0, 1, 2, 3, 4], ["t", "permute", "stride"])))
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
# a matrix-vector product (a 1-D operand against a 2-D or batched one) with an empty operand and two dtypes:
# refused, as with no empty operand.  2.11 ran it in one of the two dtypes: the promoted one for a matrix times a
# vector, the vector's for a vector times a batch, which refuses too where that is an integer or bool dtype (its
# float64 operand requires grad), so those cases answer alike
EMPTY_MV = [((3,), (0, 3, 4)), ((0, 3, 4), (4,)), ((0, 2), (2,))]
EMPTY_MV_DTYPES = pytorch_since("2.12", "an empty matrix-vector product checks its operands' dtypes")


def _matmul_door(L, door, shapes, dtypes):
    return to_second_order(L, MATMUL_DOORS[door], [_door_values(s, d) for s, d in zip(shapes, dtypes)], list(dtypes))


# every 5th case by default (every door, pair of shapes and pair of dtypes among them), the rest under -m parity
test_an_empty_product_of_two_dtypes_as_pytorchs_paths = sweep(_matmul_door, [
    pytest.param(door, shapes, d, marks=[EMPTY_MV_DTYPES] if shapes in EMPTY_MV and d[0] != d[1] and (
        len(shapes[0]) > 1 or d[0].startswith("float")) else [])
    for door in MATMUL_DOORS for shapes in EMPTY_BATCHED + EMPTY_FOLDED
    for d in [("int64", "float64"), ("float32", "float64"), ("int32", "float32"), ("bool", "float64"),
              ("bool", "bool"), ("int64", "int64")]], every=5)
test_matmul_refuses_bool_tensors_at_every_door = sweep(_matmul_door, [
    (door, shapes, ("bool", "bool")) for door in MATMUL_DOORS
    for shapes in [((3, 3), (3, 3)), ((3,), (3,)), ((2, 3), (3,)), ((3,), (3, 2)), ((2, 2, 3), (3, 2))]],
    every=1)  # (all: 20 refusals)
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


def _bool_empty(L, door):
    fn, shapes = BOOL_EMPTY[door]
    return to_second_order(L, fn, [_door_values(s, "bool") for s in shapes], ["bool"] * len(shapes))


test_bool_operands_are_refused_only_where_a_product_is_computed = sweep(_bool_empty, list(BOOL_EMPTY))
