"""How a tensor's memory is laid out, against PyTorch (tests/pytorch/sweep.py): the strides, contiguity and new
memory a program can see (a later flatten() is a view or a copy, a write into the input reaches a result or not):

* ``x.is_contiguous()`` and ``x.stride()`` over the views and copies learners make (``x.t().is_contiguous()`` is
  False, and ``view`` then needs ``contiguous()``), a memory format minigan lacks refused;
* resize_ and resize_as_ to a tensor's own shape change nothing (a transposed copy stays transposed, where minigan
  laid the memory out anew); a shape of the same count lays it out row-major over the memory;
* memory_format=contiguous_format asked of a copy is row-major whatever the source's layout: clone (function and
  method), the *_like makers and the conversions (to(dtype), to(copy=True), float(), double(), long(), cpu()), with
  clone's gradient and node; preserve_format (or none) keeps the layout; a conversion that converts nothing is the
  tensor itself;
* new memory: stack and cat are never views (a stack made under no_grad may change in place under grad), with
  PyTorch's strides for row-major, channels-last (4-D and 5-D), transposed and stepped inputs at every dim;
  embedding's result is row-major whatever its indices' layout, interpolate's a new tensor even where nothing is
  resized (surface program 12162378).
"""

import itertools

import numpy as np
import pytest

import minigan
from pytorch.sweep import close, sweep

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

MADE = {
    "fresh": lambda L: L.arange(12.0).reshape(3, 4), "t": lambda L: L.arange(12.0).reshape(3, 4).t(),
    "t_contiguous": lambda L: L.arange(12.0).reshape(3, 4).t().contiguous(),
    "transpose": lambda L: L.arange(24.0).reshape(2, 3, 4).transpose(0, 2),
    "permute": lambda L: L.arange(24.0).reshape(2, 3, 4).permute(1, 2, 0),
    "slice_rows": lambda L: L.arange(12.0).reshape(3, 4)[1:],
    "slice_cols": lambda L: L.arange(12.0).reshape(3, 4)[:, 1:3],
    "step": lambda L: L.arange(12.0)[::2], "narrow": lambda L: L.arange(12.0).reshape(3, 4).narrow(1, 1, 2),
    "select": lambda L: L.arange(12.0).reshape(3, 4)[:, 1], "row": lambda L: L.arange(12.0).reshape(3, 4)[1],
    "expand": lambda L: L.arange(4.0).reshape(1, 4).expand(3, 4), "view": lambda L: L.arange(12.0).view(2, 6),
    "unsqueeze": lambda L: L.arange(4.0).unsqueeze(0), "clone_t": lambda L: L.arange(12.0).reshape(3, 4).t().clone(),
    "zeros": lambda L: L.zeros(2, 3, 4), "scalar": lambda L: L.tensor(3.0), "empty": lambda L: L.zeros(0, 3),
    "mT": lambda L: L.arange(24.0).reshape(2, 3, 4).mT, "sum": lambda L: L.arange(12.0).reshape(3, 4).sum(0),
}
test_is_contiguous_and_stride_are_pytorchs = sweep(
    lambda L, made: (lambda x: (x.is_contiguous(), x.stride(), [x.stride(d) for d in range(x.ndim)]))(MADE[made](L)),
    list(MADE))


def test_a_memory_format_minigan_lacks_is_refused():
    assert minigan.ones(2, 2).is_contiguous(memory_format=minigan.contiguous_format)
    with pytest.raises(NotImplementedError, match="memory_format"):
        minigan.ones(1, 2, 2, 2).is_contiguous(memory_format="channels_last")


def _resized(L, layout, shape):
    base = L.tensor(np.arange(24.0).reshape(2, 3, 4), dtype=L.float64)
    x = {"contiguous": base.clone, "transposed": lambda: base.transpose(0, 2).clone(),
         "permuted": lambda: base.permute(1, 2, 0).clone()}[layout]()
    {"own": lambda: x.resize_(*x.shape), "own as Size": lambda: x.resize_(x.shape),
     "flat": lambda: x.resize_(x.numel()), "as template": lambda: x.resize_as_(L.zeros(x.shape))}[shape]()
    return tuple(x.shape), tuple(x.stride()), x.tolist()


test_resize_to_its_own_shape_changes_nothing_as_pytorchs = sweep(_resized, list(itertools.product(
    ["contiguous", "transposed", "permuted"], ["own", "own as Size", "flat", "as template"])))


def _source(L, how, dtype):
    base = L.arange(24, dtype=getattr(L, dtype))
    return {"row-major": lambda: base.reshape(2, 3, 4), "transposed": lambda: base[:12].reshape(3, 4).t(),
            "permuted": lambda: base.reshape(2, 3, 4).permute(2, 0, 1), "sliced": lambda: base.reshape(4, 6)[:, ::2],
            "expanded": lambda: base[:4].reshape(4, 1).expand(4, 3), "0-d": lambda: base[5]}[how]()


MAKERS = {
    "clone": lambda L, x, mf: L.clone(x, **mf), "Tensor.clone": lambda L, x, mf: x.clone(**mf),
    "zeros_like": lambda L, x, mf: L.zeros_like(x, **mf), "ones_like": lambda L, x, mf: L.ones_like(x, **mf),
    "empty_like": lambda L, x, mf: L.empty_like(x, **mf), "full_like": lambda L, x, mf: L.full_like(x, 7, **mf),
    "rand_like": lambda L, x, mf: L.rand_like(x.double(), **mf),
    "randn_like": lambda L, x, mf: L.randn_like(x.double(), **mf),
}


def _made_like(L, maker, how, fmt, dtype):
    """Shape, strides, contiguity, dtype, requires_grad, the values where they are defined, clone's node and
    gradient."""
    x = _source(L, how, dtype)
    if dtype != "int64":
        x = x.detach().requires_grad_()
    r = MAKERS[maker](L, x, {} if fmt is None else {"memory_format": getattr(L, fmt)})
    record = [tuple(r.shape), r.stride(), r.is_contiguous(), str(r.dtype).split(".")[-1], r.requires_grad]
    if maker in ("clone", "Tensor.clone", "zeros_like", "ones_like", "full_like"):
        record.append(r.tolist())
    if r.requires_grad:
        record.append(r.grad_fn.name())
        (r * L.arange(r.numel(), dtype=r.dtype).reshape(r.shape)).sum().backward()
        record.append(x.grad.tolist())
    return record


test_a_copy_in_contiguous_format_is_row_major_as_pytorch = sweep(_made_like, list(itertools.product(
    MAKERS, ("row-major", "transposed", "permuted", "sliced", "expanded", "0-d"),
    ("contiguous_format", "preserve_format", None), ("float64", "float32", "int64"))))
SOURCES = {
    "row-major": lambda L: L.arange(24.0, dtype=L.float64).reshape(2, 3, 4),
    "transposed": lambda L: L.arange(6.0, dtype=L.float64).reshape(2, 3).t(),
    "permuted": lambda L: L.arange(24.0, dtype=L.float64).reshape(2, 3, 4).permute(2, 0, 1),
    "channels-last": lambda L: L.arange(24.0, dtype=L.float64).reshape(1, 2, 3, 4).permute(0, 2, 3, 1),
    "sliced": lambda L: L.arange(24.0, dtype=L.float64).reshape(4, 6)[:, ::2],
    "expanded": lambda L: L.arange(3.0, dtype=L.float64).expand(2, 3),
}
CONVERSIONS = {
    "to(float64)": lambda L, x, f: x.to(L.float64, memory_format=f),
    "to(float32)": lambda L, x, f: x.to(L.float32, memory_format=f),
    "to(int64)": lambda L, x, f: x.to(L.int64, memory_format=f),
    "to(dtype=, copy=True)": lambda L, x, f: x.to(dtype=L.float64, copy=True, memory_format=f),
    "to(memory_format= only)": lambda L, x, f: x.to(memory_format=f),
    "float()": lambda L, x, f: x.float(memory_format=f), "double()": lambda L, x, f: x.double(memory_format=f),
    "long()": lambda L, x, f: x.long(memory_format=f), "cpu()": lambda L, x, f: x.cpu(memory_format=f),
}


def _converted(L, source, call, fmt):
    x = SOURCES[source](L).requires_grad_(True)
    y = CONVERSIONS[call](L, x, getattr(L, fmt))
    if y.is_floating_point():
        y.sum().backward()
    return (y.is_contiguous(), tuple(y.stride()), y.data_ptr() == x.data_ptr(), y.detach(),
            x.grad if y.is_floating_point() else None)


test_a_conversion_lays_its_copy_out_as_pytorch = sweep(_converted, list(itertools.product(
    SOURCES, CONVERSIONS, ["contiguous_format", "preserve_format"])), every=1)  # (108 cheap cases: all by default)
JOINED = {"row-major": lambda x: x, "channels-last": lambda x: x.permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2),
          "transposed": lambda x: x.transpose(1, 3), "stepped": lambda x: x[:, ::2],
          "channels-last-3d": lambda x: x.permute(0, 2, 3, 4, 1).contiguous().permute(0, 4, 1, 2, 3)}


def _joined(L, join, layout, shape, dim, beside_row_major):
    """(strides, a view, contiguous, the values)."""
    x = JOINED[layout](L.tensor(np.random.default_rng(10 * len(shape) + dim + 10).standard_normal(shape),
                                requires_grad=True))
    with L.no_grad():
        out = getattr(L, join)([x, L.zeros(tuple(x.shape), dtype=L.float64) if beside_row_major else x], dim=dim)
    return tuple(out.stride()), out._base is not None, out.is_contiguous(), out


test_join_is_new_memory_laid_out_as_pytorch = sweep(_joined, [
    (join, layout, shape, dim, beside) for (layout, shape), beside, join in itertools.product(
        [("row-major", (2, 3, 4, 5)), ("channels-last", (2, 3, 4, 5)), ("transposed", (2, 3, 4, 5)),
         ("channels-last-3d", (2, 3, 2, 4, 5)), ("row-major", (2, 3, 2, 4, 5)), ("stepped", (2, 4, 3)),
         ("channels-last", (2, 1, 4, 5)), ("channels-last", (1, 3, 1, 1))], (False, True), ("stack", "cat"))
    for dim in range(-len(shape) - (join == "stack"), len(shape) + (join == "stack"))])


def test_a_stack_made_under_no_grad_can_change_in_place_under_grad():
    """PyTorch's stack is not a view, so the in-place rule for views made under no_grad does not apply."""
    x = minigan.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    with minigan.no_grad():
        y = minigan.stack([x, x], dim=-2)
    y.mul_(2)
    assert y[0, 0, 1].item() == 4.0 and y._base is None


INDICES = {"row-major": lambda t: t, "transposed": lambda t: t.t(), "stepped": lambda t: t[:, ::2],
           "expanded": lambda t: t[:1].expand(3, 4)}


def _embedding(L, layout, options, requires_grad):
    weight = L.tensor(np.array([[0.5, -2.0], [1.5, 0.25], [-3.0, 1.0], [0.0, 4.0]]), dtype=L.float64,
                      requires_grad=requires_grad)
    idx = INDICES[layout](L.tensor(np.arange(12).reshape(3, 4) % 4 if layout != "transposed" else
                                   np.arange(12).reshape(4, 3) % 4))
    out = L.nn.functional.embedding(idx, weight, **options)
    return tuple(out.shape), tuple(out.stride()), out.flatten()._base is not None, close(out.detach(), 1e-12)


test_embedding_is_row_major_as_pytorch = sweep(_embedding, list(itertools.product(
    INDICES, [{}, {"padding_idx": 1}, {"scale_grad_by_freq": True}, {"max_norm": 1.0},
              {"padding_idx": 0, "max_norm": 2.0, "scale_grad_by_freq": True}], (True, False))), every=1)  # (40)


def _interpolated(L, shape, kw, mode):
    """The shape, whether a write into the input leaves the result alone, whether its flatten() is a view."""
    x = L.arange(float(np.prod(shape))).reshape(shape)
    out = L.nn.functional.interpolate(x, mode=mode, **kw)
    before = out.clone()
    x.add_(100)
    return tuple(out.shape), bool((out == before).all()), out.flatten()._base is not None


test_interpolate_gives_a_new_tensor_as_pytorch = sweep(_interpolated, [
    (*resize, mode) for resize in [((1, 2, 3, 4), {"scale_factor": 1}), ((1, 2, 3, 4), {"size": (3, 4)}),
                                   ((1, 2, 3, 4), {"scale_factor": 2}), ((1, 2, 3, 4), {"scale_factor": (1, 2)}),
                                   ((1, 2, 5), {"scale_factor": 1}), ((1, 2, 5), {"size": 5}),
                                   ((2, 3, 4, 4), {"size": (4, 4)})] for mode in ["nearest", "nearest-exact"]])
