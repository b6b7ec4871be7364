"""A tensor's memory, pickled, copied and saved, against PyTorch (tests/pytorch/sweep.py; torch-free tests:
tests/engine/test_storage.py):

* ``x.storage()`` / ``x.untyped_storage()`` as PyTorch's TypedStorage and UntypedStorage show them to a program
  (size, nbytes, element_size, data_ptr, tolist, len, indexing, dtype, device, printing); views share one storage;
  TypedStorage's deprecation warning once a process;
* pickle and copy.copy rebuild a new leaf from the values and requires_grad alone (PyTorch's __reduce_ex__): no
  .grad, grad_fn or hooks, not retaining its gradient, whatever the original had; a Parameter stays one; copy.copy
  shares the memory, pickle copies it; a backward through the copy reaches the copy only; a model pickled after
  training has no gradients;
* a view pickled, copied or deep-copied keeps its whole storage, its offset in it and its strides (PyTorch pickles
  the storage and the layout, not the view's values): drawn views (steps, a row, a transpose, an expand, narrow,
  unsqueeze, a permutation) in four dtypes, alone and with a second view of the same tensor, whether a write
  through one shows in the other (shared in a deep copy of both and in copy.copy, not in pickle, whose storages are
  pickled one by one); views saved together, in a dict or as a module's buffers, share their storage after load.
"""

from __future__ import annotations

import copy
import pathlib
import pickle
import tempfile
import warnings

import numpy as np
import pytest
from engine.helpers_storage import quiet

import minigan
from pytorch.sweep import sweep

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

MADE = {"float32 2-d": lambda L: L.arange(6, dtype=L.float32).reshape(2, 3), "int64": lambda L: L.tensor([1, 2, 3]),
        "float64": lambda L: L.tensor([[0.1, -2.5], [3.0, 1e-8]], dtype=L.float64),
        "bool": lambda L: L.tensor([True, False]), "empty": lambda L: L.zeros(0),
        "a row": lambda L: L.arange(6, dtype=L.float32).reshape(2, 3)[1]}


def _storage(L, made):
    """What a program reads from a storage, and what it prints (the library's name read as one)."""
    x = MADE[made](L)
    s, u = quiet(x.storage), x.untyped_storage()
    items = [s[i] for i in range(len(s))] + ([s[-1]] if len(s) else [])
    named = [str(s.dtype), quiet(lambda: str(s)), quiet(lambda: repr(s)), repr(u), quiet(s.type)]
    return (s.size(), len(s), s.nbytes(), s.element_size(), s.tolist(), items, [type(v) for v in items],
            str(s.device), u.size(), len(u), u.nbytes(), u.element_size(), u.tolist(), str(u.device),
            x.storage_offset(), u.data_ptr() == quiet(s.data_ptr), s.is_cuda,
            [text.replace(L.__name__, "LIB") for text in named])


test_storage_as_pytorchs = sweep(_storage, list(MADE))


def test_storage_warns_as_pytorch_once_a_process():
    """PyTorch warns that TypedStorage is deprecated, once a process; so does minigan, with its text."""
    def warned(L):
        with warnings.catch_warnings(record=True) as seen:
            warnings.simplefilter("always")
            L.ones(2).storage()
            L.ones(2).storage()
        return [(w.category, str(w.message)) for w in seen]

    mine, theirs = warned(minigan), warned(torch)
    assert len(mine) <= 1 and len(theirs) <= 1 and (not (mine and theirs) or mine == theirs)


def _kinds(L):
    """name -> a tensor in one of the states a program pickles or copies."""
    w = L.tensor([1.0, -2.0, 3.0], requires_grad=True)
    y = w * 3
    y.retain_grad()
    y.sum().backward()
    hooked = L.tensor([0.5, 1.5], requires_grad=True)
    hooked.register_hook(lambda g: g * 10)
    p = L.nn.Parameter(L.tensor([[1.0, 2.0], [3.0, 4.0]]))
    (p * p).sum().backward()
    base = L.arange(6.0).reshape(2, 3).requires_grad_()
    return {"leaf with a grad": w, "leaf without grad": L.tensor([4.0, 5.0]), "non-leaf retaining its grad": y,
            "non-leaf": w * w + 1, "detached": y.detach(), "leaf with a hook": hooked, "parameter with a grad": p,
            "frozen parameter": L.nn.Parameter(L.tensor([1.0, 2.0]), requires_grad=False),
            "int64": L.tensor([1, -2, 3]), "bool": L.tensor([True, False]),
            "float64 0-d": L.tensor(2.5, dtype=L.float64, requires_grad=True), "empty": L.zeros(0, 3),
            "transposed view": base.t(), "row view": base[1]}


WAYS = {f"pickle protocol {p}": (lambda x, p=p: pickle.loads(pickle.dumps(x, protocol=p))) for p in (2, 3, 4, 5)}
WAYS["copy.copy"] = copy.copy


def _rebuilt(L, kind, way):
    """What a program sees of the copy, then of both after a backward through the copy."""
    original = _kinds(L)[kind]
    c = WAYS[way](original)
    out = {"type": type(c).__name__, "dtype": str(c.dtype).split(".")[-1], "shape": tuple(c.shape),
           "values": c.detach().tolist(), "requires_grad": c.requires_grad, "is_leaf": c.is_leaf,
           "grad is None": c.grad is None, "grad_fn is None": c.grad_fn is None, "retains_grad": c.retains_grad}
    before = None if original.grad is None else original.grad.clone()
    if c.requires_grad:
        (c * 2).sum().backward()
        out["grad after backward"] = c.grad.tolist()
        out["original's grad unchanged"] = (original.grad is None and before is None) or (
            before is not None and original.grad is not None and bool((original.grad == before).all()))
    return out


test_pickle_and_copy_rebuild_a_new_leaf_as_pytorch = sweep(_rebuilt, [(k, w) for k in _kinds(minigan) for w in WAYS])


@pytest.mark.parametrize("kind", list(_kinds(minigan)))
def test_copy_shares_memory_and_pickle_does_not(kind):
    x = _kinds(minigan)[kind]
    if x.numel() == 0:
        return
    c, p = copy.copy(x), pickle.loads(pickle.dumps(x))
    first = (0,) * x.dim()
    with minigan.no_grad():
        x[first] = 7 if x.dtype == minigan.int64 else (not bool(x[first]) if x.dtype == minigan.bool else 7.5)
    assert c[first].item() == x[first].item() and p[first].item() != x[first].item()


def _pickled_model(L):
    net = L.nn.Sequential(L.nn.Linear(2, 3), L.nn.ReLU(), L.nn.Linear(3, 1))
    net(L.ones(4, 2)).sum().backward()
    return [(p.grad is None, p.is_leaf, p.requires_grad, type(p).__name__) for p in
            pickle.loads(pickle.dumps(net)).parameters()]


test_a_model_pickled_after_training_has_no_gradients_as_pytorchs = sweep(_pickled_model, [()], ids=lambda: "MLP")
VIEWS = {
    "step slice": lambda x: x[:, ::2], "row": lambda x: x[1], "tail rows": lambda x: x[1:],
    "transpose": lambda x: x.t(), "column": lambda x: x[:, 2], "expand": lambda x: x[0:1].expand(3, 4),
    "narrow": lambda x: x.narrow(1, 1, 2), "unsqueeze": lambda x: x[2].unsqueeze(0),
    "permuted rows": lambda x: x.permute(1, 0)[1:],
    "whole": lambda x: x, "inner block": lambda x: x[1:3, 1:3], "reversed step": lambda x: x[::2, 1::2],
}
HOW = {"pickle": lambda o: pickle.loads(pickle.dumps(o)), "copy": copy.copy, "deepcopy": copy.deepcopy}
DTYPES = ["float64", "float32", "int64", "bool"]


def _base(L, dtype):
    return L.tensor(np.arange(12).reshape(3, 4) % (2 if dtype == "bool" else 12), dtype=getattr(L, dtype))


def _seen(*tensors, storage=True):
    return [(t.stride(), t.storage_offset(), t.untyped_storage().size()) + ((t.tolist(),) if storage else ())
            for t in tensors]


def _copied_view(L, view, second, how, dtype):
    base = _base(L, dtype)
    a, b = VIEWS[view](base), VIEWS[second](base)
    got_a = HOW[how](a)
    got_a2, got_b = HOW[how]((a, b))
    out = _seen(got_a, got_a2, got_b)
    got_a2.view(-1)[0:1].fill_(1) if got_a2.is_contiguous() else got_a2.__setitem__((0,) * got_a2.dim(), 1)
    return out, got_b.tolist()


def _second(view, after, written=True):
    """A second view of the same tensor (a write into an expanded view is refused in both: written through the
    second only)."""
    second = list(VIEWS)[(list(VIEWS).index(view) + after) % len(VIEWS)]
    return (second, view) if view == "expand" and written else (view, second)


test_a_view_keeps_pytorchs_layout = sweep(_copied_view, [
    (*_second(view, 1 + DTYPES.index(dtype)), how, dtype) for view in VIEWS for how in HOW for dtype in DTYPES])


def _saved(L, view, second, dtype):
    base = _base(L, dtype)
    a, b = VIEWS[view](base), VIEWS[second](base)
    with tempfile.TemporaryDirectory() as folder:
        path = pathlib.Path(folder) / "views.pt"
        L.save({"a": a, "pair": [a, b], "base": base}, path)
        got = L.load(path)
    out = _seen(got["a"], *got["pair"], got["base"])
    got["base"].view(-1)[5:6].fill_(1)  # (an element every view but the row, the column and the expand holds)
    return out, [t.tolist() for t in (got["a"], *got["pair"])]


test_views_saved_together_share_their_storage_after_load = sweep(_saved, [
    (*_second(view, 3, written=False), dtype) for view in VIEWS for dtype in DTYPES])


def _module_buffers(L, view):
    """save(model) pickles the model (minigan's tensors as entries beside the pickle): its view buffers come back
    views of one storage, as torch.save's."""
    second = list(VIEWS)[(list(VIEWS).index(view) + 5) % len(VIEWS)]
    base = L.arange(12, dtype=L.float64).reshape(3, 4)
    model = L.nn.Module()
    for name, buffer in [("a", VIEWS[view](base)), ("b", VIEWS[second](base)), ("base", base)]:
        model.register_buffer(name, buffer)
    with tempfile.TemporaryDirectory() as folder:
        L.save({"model": model}, pathlib.Path(folder) / "model.pt")
        got = L.load(pathlib.Path(folder) / "model.pt", weights_only=False)["model"]
    out = _seen(got.a, got.b, got.base, storage=False)
    got.base.view(-1)[5:6].fill_(-1)
    return out, got.a.tolist(), got.b.tolist()


test_views_in_a_pickled_module_keep_their_layout = sweep(_module_buffers, list(VIEWS))
