"""The warnings PyTorch gives where a tensor is built from another's memory, against PyTorch: ``x.new_tensor(t)`` of
a tensor (copy-construct: use ``t.detach().clone()``) and ``from_numpy``/``as_tensor``/``asarray`` of a read-only
NumPy array (the tensor shares memory it cannot write); none for a writable array, a list, or a copy.  minigan gave
the first only for ``tensor(t)`` and the second never.  Found by outsider round 5's warning survey.  (PyTorch's
``as_tensor`` of a read-only array warns even where a dtype makes it copy, its path through from_numpy; minigan's
copies without the warning, the memory not being shared.)"""

import warnings

import numpy as np
import pytest

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

import minigan  # noqa: E402


def _readonly(dtype):
    a = np.arange(6, dtype=dtype).reshape(2, 3)
    a.setflags(write=False)
    return a


BUILDS = {
    "new_tensor of a tensor": lambda T, d: T.ones(2).new_tensor(T.ones(3, dtype=getattr(T, d))),
    "new_tensor of a tensor requiring grad": lambda T, d: T.ones(2).new_tensor(T.ones(3, requires_grad=True)),
    "new_tensor of a list": lambda T, d: T.ones(2).new_tensor([1, 2]),
    "new_tensor of an array": lambda T, d: T.ones(2).new_tensor(np.ones(2, dtype=d)),
    "tensor of a tensor": lambda T, d: T.tensor(T.ones(3, dtype=getattr(T, d))),
    "from_numpy read-only": lambda T, d: T.from_numpy(_readonly(d)),
    "from_numpy read-only view": lambda T, d: T.from_numpy(_readonly(d)[:, 1:]),
    "from_numpy writable": lambda T, d: T.from_numpy(np.ones(3, dtype=d)),
    "as_tensor read-only": lambda T, d: T.as_tensor(_readonly(d)),
    "asarray read-only": lambda T, d: T.asarray(_readonly(d)),
    "tensor of read-only": lambda T, d: T.tensor(_readonly(d)),
}
CASES = [(b, d) for b in BUILDS for d in ("float32", "float64", "int64")]


def _told(lib, build, dtype):
    """The warnings ``lib`` gives for one build.  PyTorch warns of a shared read-only array once a process (a C++
    TORCH_WARN_ONCE, silent after any earlier test's call; minigan at every such call): the once is lifted
    (torch.set_warn_always) around PyTorch's call and the process's setting put back."""
    always = lib is torch and torch.is_warn_always_enabled()
    if lib is torch:
        torch.set_warn_always(True)
    try:
        with warnings.catch_warnings(record=True) as seen:
            warnings.simplefilter("always")
            BUILDS[build](lib, dtype)
    finally:
        if lib is torch:
            torch.set_warn_always(always)
    return sorted(w.category.__name__ for w in seen if issubclass(w.category, UserWarning))


@pytest.mark.parametrize("build, dtype", CASES, ids=[f"{b}-{d}" for b, d in CASES])
def test_construction_warns_as_pytorch(build, dtype):
    assert _told(minigan, build, dtype) == _told(torch, build, dtype)
