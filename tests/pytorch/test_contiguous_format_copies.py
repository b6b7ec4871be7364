"""memory_format=torch.contiguous_format asked of a copy is a row-major copy, as PyTorch's, whatever the source's
layout: clone (function and method) and the *_like makers (zeros_like, ones_like, empty_like, full_like, rand_like,
randn_like); preserve_format (and no memory_format) keeps the source's layout.  Drawn: sources row-major, transposed,
permuted, sliced, expanded and 0-d, in float64, float32 and int64: shape, strides, contiguity, dtype, values
(where they are defined) and clone's gradient and node, against PyTorch."""

from __future__ import annotations

import itertools

import pytest

import minigan

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")


def _source(lib, how, dtype):
    base = lib.arange(24, dtype=getattr(lib, dtype))
    return {"row-major": lambda: base.reshape(2, 3, 4),
            "transposed": lambda: base[:12].reshape(3, 4).t(),
            "permuted": lambda: base.reshape(2, 3, 4).permute(2, 0, 1),
            "sliced": lambda: base.reshape(4, 6)[:, ::2],
            "expanded": lambda: base[:4].reshape(4, 1).expand(4, 3),
            "0-d": lambda: base[5]}[how]()


MAKERS = {
    "clone": lambda lib, x, mf: lib.clone(x, **mf),
    "Tensor.clone": lambda lib, x, mf: x.clone(**mf),
    "zeros_like": lambda lib, x, mf: lib.zeros_like(x, **mf),
    "ones_like": lambda lib, x, mf: lib.ones_like(x, **mf),
    "empty_like": lambda lib, x, mf: lib.empty_like(x, **mf),
    "full_like": lambda lib, x, mf: lib.full_like(x, 7, **mf),
    "rand_like": lambda lib, x, mf: lib.rand_like(x.double(), **mf),
    "randn_like": lambda lib, x, mf: lib.randn_like(x.double(), **mf),
}
VALUES = ("clone", "Tensor.clone", "zeros_like", "ones_like", "full_like")
CASES = list(itertools.product(MAKERS, ("row-major", "transposed", "permuted", "sliced", "expanded", "0-d"),
                               ("contiguous_format", "preserve_format", None), ("float64", "float32", "int64")))


def _run(lib, maker, how, fmt, dtype):
    x = _source(lib, how, dtype)
    if dtype != "int64":
        x = x.detach().requires_grad_()
    mf = {} if fmt is None else {"memory_format": getattr(lib, fmt)}
    r = MAKERS[maker](lib, x, mf)
    record = [tuple(r.shape), r.stride(), r.is_contiguous(), str(r.dtype).split(".")[-1], r.requires_grad]
    if maker in VALUES:
        record.append(r.tolist())
    if r.requires_grad:
        record.append(r.grad_fn.name())
        (r * lib.arange(r.numel(), dtype=r.dtype).reshape(r.shape)).sum().backward()
        record.append(x.grad.tolist())
    return record


@pytest.mark.parametrize("maker,how,fmt,dtype", CASES, ids=str)
def test_a_copy_in_contiguous_format_is_row_major_as_pytorch(maker, how, fmt, dtype):
    assert _run(minigan, maker, how, fmt, dtype) == _run(torch, maker, how, fmt, dtype)
