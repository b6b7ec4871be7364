"""Products whose result PyTorch gives as a view of the product it computed: inner, tensordot and linalg.multi_dot
reshape an mm (or dot) result, and linear with a bias on an input that is not 2-D views the addmm of the flattened
input.  The result's ``_base`` is that product and its node is ViewBackward0, so an in-place op on the result goes
through CopySlices: the gradient reaching the product is the upstream with the written part replaced, which under
create_graph requires grad when the upstream does, even where the op's own derivative is a constant (zero_, fill_,
copy_).  minigan's result is such a view wherever PyTorch's is, and nowhere else (the controls: a number operand,
a 2-D linear, a linear without a bias or with a bias of the output's shape, matmul, dot, mv).  Each case compares
the view-ness, the node's name, and, after ``r.zero_()`` / ``r.fill_(0.5)`` / ``r.copy_(c)``, the gradient of
``F.linear(r, r)`` with respect to the leaves under create_graph (its value and requires_grad) with PyTorch's."""

import numpy as np
import pytest

import minigan

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

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


def _run(lib, code, shapes, write):
    rng = np.random.default_rng(len(code))
    leaves = {n: lib.tensor(rng.normal(size=s), dtype=lib.float64, requires_grad=True) for n, s in zip("abc", shapes)}
    lib.manual_seed(0)
    r = eval(code, {"torch": lib, "F": lib.nn.functional, **leaves})  # noqa: S307  (the table's own code)
    is_view = bool(r._is_view()) if lib is torch else r._base is not None
    name = r.grad_fn.name()
    WRITES[write](lib, r)
    flat = r.reshape(1, -1) if r.ndim < 2 else r.reshape(-1, r.shape[-1])
    y = lib.nn.functional.linear(flat, flat)
    gs = lib.autograd.grad(y, list(leaves.values()), lib.ones_like(y), create_graph=True, allow_unused=True)
    return is_view, name, [None if g is None else (bool(g.requires_grad), g.detach().numpy().tolist()) for g in gs]


@pytest.mark.parametrize("write", list(WRITES))
@pytest.mark.parametrize("case", list(CASES))
def test_a_product_is_a_view_where_pytorchs_is(case, write):
    code, shapes = CASES[case]
    mine, theirs = _run(minigan, code, shapes, write), _run(torch, code, shapes, write)
    assert mine[0] == theirs[0], f"{case}: a view {mine[0]}, PyTorch's {theirs[0]}"
    assert mine[1] == theirs[1] or not theirs[0], f"{case}: node {mine[1]}, PyTorch's {theirs[1]}"
    assert mine[2] == theirs[2], f"{case} then {write}: gradients {mine[2]}, PyTorch's {theirs[2]}"
