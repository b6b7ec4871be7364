"""``x.storage()`` / ``x.untyped_storage()``: the memory under a tensor, as PyTorch's TypedStorage and UntypedStorage
show it to a program (size, nbytes, element_size, data_ptr, tolist, len, indexing, dtype, device, printing); views
share one storage, a copy has its own; ``data_ptr`` and ``storage_offset`` of the tensor itself.

(Its torch-free tests: tests/engine/test_storage.py.)"""

import warnings

import pytest
from engine.helpers_storage import quiet

import minigan

try:
    import torch
except ImportError:
    torch = None

needs_torch = pytest.mark.skipif(torch is None, reason="needs torch (a test-only oracle)")


@needs_torch
@pytest.mark.parametrize("make", [
    lambda lib: lib.arange(6, dtype=lib.float32).reshape(2, 3),
    lambda lib: lib.tensor([1, 2, 3]),
    lambda lib: lib.tensor([[0.1, -2.5], [3.0, 1e-8]], dtype=lib.float64),
    lambda lib: lib.tensor([True, False]),
    lambda lib: lib.zeros(0),
    lambda lib: lib.arange(6, dtype=lib.float32).reshape(2, 3)[1],
])
def test_as_pytorchs(make):
    """What a program reads from a storage, and what it prints (PyTorch's with "torch" read as "minigan")."""
    def read(lib):
        x = make(lib)
        s = quiet(x.storage)
        u = x.untyped_storage()
        items = [s[i] for i in range(len(s))] + ([s[-1]] if len(s) else [])
        return (s.size(), len(s), s.nbytes(), s.element_size(), s.tolist(), items, [type(v) for v in items],
                str(s.dtype).replace("torch", "minigan"), str(s.device),
                quiet(lambda: str(s)).replace("torch", "minigan"), quiet(lambda: repr(s)).replace("torch", "minigan"),
                u.size(), len(u), u.nbytes(), u.element_size(), u.tolist(), str(u.device),
                repr(u).replace("torch", "minigan"), x.storage_offset(),
                u.data_ptr() == quiet(s.data_ptr), s.is_cuda, quiet(s.type).replace("torch", "minigan"))

    mine, theirs = read(minigan), read(torch)
    for a, b in zip(mine, theirs):
        assert a == b


@needs_torch
def test_storage_warns_as_pytorch_once_a_process():
    """PyTorch warns that TypedStorage is deprecated, once a process; so does minigan, with its text."""
    def warned(lib):
        with warnings.catch_warnings(record=True) as seen:
            warnings.simplefilter("always")
            lib.ones(2).storage()
            lib.ones(2).storage()
        return [(w.category, str(w.message)) for w in seen]

    mine, theirs = warned(minigan), warned(torch)
    assert len(mine) <= 1 and len(theirs) <= 1
    if mine and theirs:
        assert mine == theirs
