"""The matrix products that compute nothing (an empty result, an inner size of 0, no batches) whose result is an
integer or bool tensor (bmm's and baddbmm's in mat2's dtype, addbmm's in input's) while a float operand requires
grad: PyTorch records the node and refuses it ("Autograd not support dtype": a RuntimeError) under grad mode, and
runs under no_grad.  Found by the surface programs (seeds 12212538: Tensor.bmm, 12202201: baddbmm, alpha nan)."""

import itertools

import pytest

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

import minigan  # noqa: E402

SHAPES = {  # (input, batch1 or self, batch2 or mat2); bmm and matmul have no input
    "bmm": [(None, (3, 0, 4), (3, 4, 2)), (None, (3, 2, 0), (3, 0, 2)), (None, (0, 2, 3), (0, 3, 2)),
            (None, (3, 2, 4), (3, 4, 2))],
    "matmul": [(None, (3, 2, 0), (3, 0, 2)), (None, (0, 2, 3), (0, 3, 2)), (None, (2, 0), (3, 0, 2)),
               (None, (3, 0, 4), (3, 4, 2))],
    "baddbmm": [((3, 2, 2), (3, 2, 0), (3, 0, 2)), ((3, 0, 3), (3, 0, 0), (3, 0, 3)),
                ((0, 2, 2), (0, 2, 3), (0, 3, 2))],
    "addbmm": [((2, 2), (0, 2, 3), (0, 3, 2))],
}
DTYPES = ["int64", "int32", "bool", "float64"]


def _cases():
    for name, shapes in SHAPES.items():
        for sh in shapes:
            for other, grad, form in itertools.product(DTYPES, (True, False), ("function", "method")):
                for which in ("input", "batch1") if sh[0] else ("batch1",):
                    for kw in ({}, {"alpha": float("nan")}) if sh[0] else ({},):
                        yield name, sh, other, which, grad, form, kw


def _call(lib, name, shapes, other, which, grad, form, kw):
    c, a, b = shapes
    int_input = other if name == "addbmm" else "float64"  # (addbmm's result is in its input's dtype)
    a = lib.ones(a, dtype=lib.float64, requires_grad=which == "batch1")
    b = lib.ones(b, dtype=lib.float64 if name == "addbmm" else getattr(lib, other))
    args = [a, b] if c is None else [lib.ones(c, dtype=getattr(lib, int_input if which == "batch1" else "float64"),
                                              requires_grad=which == "input" and int_input == "float64"), a, b]
    if c is not None and name == "baddbmm" and which == "input":
        args[1] = args[1].detach()
    try:
        with torch.set_grad_enabled(grad), minigan.set_grad_enabled(grad):
            f = getattr(lib, name) if form == "function" else getattr(args[0], name)
            r = f(*args, **kw) if form == "function" else f(*args[1:], **kw)
    except Exception as e:  # noqa: BLE001 - the outcome is compared
        return e
    return str(r.dtype).split(".")[-1], tuple(r.shape)


@pytest.mark.parametrize("name, shapes, other, which, grad, form, kw", list(_cases()))
def test_empty_integer_product_of_a_grad_operand_as_pytorch(name, shapes, other, which, grad, form, kw):
    theirs = _call(torch, name, shapes, other, which, grad, form, kw)
    ours = _call(minigan, name, shapes, other, which, grad, form, kw)
    if isinstance(theirs, Exception):
        assert isinstance(ours, Exception), f"PyTorch raised {theirs!r}, minigan gave {ours}"
        assert isinstance(ours, type(theirs)), (ours, theirs)
        return
    assert not isinstance(ours, Exception), f"minigan raised {ours!r}, PyTorch gave {theirs}"
    assert ours == theirs


@pytest.mark.parametrize("other", DTYPES)
@pytest.mark.parametrize("grad", [True, False])
def test_addbmm_of_no_batches_keeps_a_float_result_of_any_batch_dtype(other, grad):
    """addbmm's result is in input's dtype: a float input with no batches runs whatever batch2's dtype (no product:
    no check of the batches' dtypes), and requires grad when batch1 does, under grad mode (seed 12211325)."""
    def call(lib):
        with torch.set_grad_enabled(grad), minigan.set_grad_enabled(grad):
            r = lib.addbmm(lib.ones(2, 3, dtype=lib.float64), lib.ones(0, 2, 4, dtype=lib.float64, requires_grad=True),
                           lib.ones(0, 4, 3, dtype=getattr(lib, other)), alpha=2)
        return str(r.dtype).split(".")[-1], tuple(r.shape), r.requires_grad, r.detach().numpy().tolist()

    assert call(minigan) == call(torch)
