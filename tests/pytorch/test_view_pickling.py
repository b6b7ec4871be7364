"""A view pickled, copied or deep-copied keeps what PyTorch keeps: its whole storage, its offset in it and its
strides (PyTorch pickles the storage and the view's layout, not the view's values).  Each drawn view of a tensor
(slices with steps, a row, a transpose, an expand, narrow, unsqueeze, a permutation), in four dtypes, through
``pickle``, ``copy.copy`` and ``copy.deepcopy``, alone and with a second view of the same tensor: ``stride()``,
``storage_offset()``, the storage's size, the values, and whether a write through the first view shows in the second
(shared in a deep copy of both, and in copy.copy; not in pickle, whose storages are pickled one by one), against
PyTorch's."""

from __future__ import annotations

import copy
import pickle

import numpy as np
import pytest

import minigan

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

VIEWS = {
    "step slice": lambda x: x[:, ::2], "row": lambda x: x[1], "tail rows": lambda x: x[1:],
    "transpose": lambda x: x.t(), "column": lambda x: x[:, 2], "expand": lambda x: x[0:1].expand(3, 4),
    "narrow": lambda x: x.narrow(1, 1, 2), "unsqueeze": lambda x: x[2].unsqueeze(0),
    "permuted rows": lambda x: x.permute(1, 0)[1:],
    "whole": lambda x: x, "inner block": lambda x: x[1:3, 1:3], "reversed step": lambda x: x[::2, 1::2],
}
HOW = {"pickle": lambda o: pickle.loads(pickle.dumps(o)), "copy": copy.copy, "deepcopy": copy.deepcopy}
DTYPES = ["float64", "float32", "int64", "bool"]


def _layout(lib, view, second, how, dtype):
    base = lib.tensor(np.arange(12).reshape(3, 4) % (2 if dtype == "bool" else 12), dtype=getattr(lib, dtype))
    a, b = VIEWS[view](base), VIEWS[second](base)
    got_a = HOW[how](a)
    got_a2, got_b = HOW[how]((a, b))
    out = [(t.stride(), t.storage_offset(), t.untyped_storage().size(), t.tolist()) for t in (got_a, got_a2, got_b)]
    got_a2.view(-1)[0:1].fill_(1) if got_a2.is_contiguous() else got_a2.__setitem__((0,) * got_a2.dim(), 1)
    out.append(got_b.tolist())
    return out


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("how", HOW)
@pytest.mark.parametrize("view", VIEWS)
def test_a_view_keeps_pytorchs_layout(view, how, dtype):
    second = list(VIEWS)[(list(VIEWS).index(view) + 1 + DTYPES.index(dtype)) % len(VIEWS)]
    if view == "expand":  # (a write into an expanded view is refused in both: write through the second only)
        view, second = second, view
    assert _layout(minigan, view, second, how, dtype) == _layout(torch, view, second, how, dtype)


def _saved(lib, view, second, dtype, tmp_path):
    base = lib.tensor(np.arange(12).reshape(3, 4) % (2 if dtype == "bool" else 12), dtype=getattr(lib, dtype))
    a, b = VIEWS[view](base), VIEWS[second](base)
    path = tmp_path / f"{lib.__name__}.pt"
    lib.save({"a": a, "pair": [a, b], "base": base}, path)
    got = lib.load(path)
    out = [(t.stride(), t.storage_offset(), t.untyped_storage().size(), t.tolist())
           for t in (got["a"], *got["pair"], got["base"])]
    got["base"].view(-1)[5:6].fill_(1)  # (an element every view but the row, the column and the expand holds)
    out.append([t.tolist() for t in (got["a"], *got["pair"])])
    return out


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("view", VIEWS)
def test_views_saved_together_share_their_storage_after_load(view, dtype, tmp_path):
    second = list(VIEWS)[(list(VIEWS).index(view) + 3) % len(VIEWS)]
    assert _saved(minigan, view, second, dtype, tmp_path) == _saved(torch, view, second, dtype, tmp_path)


@pytest.mark.parametrize("view", VIEWS)
def test_views_in_a_pickled_module_keep_their_layout(view, tmp_path):
    """``save(model)`` pickles the model (minigan's tensors as entries beside the pickle): its view buffers come back
    views of one storage, as torch.save's."""
    second = list(VIEWS)[(list(VIEWS).index(view) + 5) % len(VIEWS)]
    outs = []
    for lib in (torch, minigan):
        base = lib.arange(12, dtype=lib.float64).reshape(3, 4)
        model = lib.nn.Module()
        model.register_buffer("a", VIEWS[view](base))
        model.register_buffer("b", VIEWS[second](base))
        model.register_buffer("base", base)
        path = tmp_path / f"{lib.__name__}.pt"
        lib.save({"model": model}, path)
        got = lib.load(path, weights_only=False)["model"]
        out = [(t.stride(), t.storage_offset(), t.untyped_storage().size()) for t in (got.a, got.b, got.base)]
        got.base.view(-1)[5:6].fill_(-1)
        outs.append(out + [got.a.tolist(), got.b.tolist()])
    assert outs[1] == outs[0]
