"""inner of bool tensors against PyTorch: its kernel refuses bools (dot's NotImplementedError for vectors, addmm's for
more dimensions), except for two vectors of which one is not contiguous (a step, a column, an expanded one), which
PyTorch's tensordot path computes (the result: any of the pairwise ands).  Found by the surface programs (seed
12215029: Tensor.inner of a bool vector and an expanded one ran in PyTorch, minigan refused)."""

import itertools

import numpy as np
import pytest

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

import minigan  # noqa: E402
from pytorch.exception_oracle import outcome  # noqa: E402

LAYOUTS = ["plain", "step", "column", "expanded"]


def _vector(lib, n, layout, seed, dtype):
    rng = np.random.default_rng(seed)
    if layout == "expanded":
        return lib.tensor(rng.integers(0, 2, (1,)).astype(dtype)).expand(n)
    base = rng.integers(0, 2, (n, 3) if layout == "column" else (2 * n,)).astype(dtype)
    t = lib.tensor(base)
    return t[:, 1] if layout == "column" else t[::2] if layout == "step" else t[:n]


def _cases():
    for n in (0, 1, 2, 5):
        for la, lb in itertools.product(LAYOUTS, repeat=2):
            for da, db in (("bool", "bool"), ("bool", "int64"), ("int64", "int64")):
                yield ("vectors", n, la, lb, da, db)
    for la, lb in itertools.product(LAYOUTS, repeat=2):  # a matrix with a vector, either side
        yield ("matrix-left", 5, la, lb, "bool", "bool")
        yield ("matrix-right", 5, la, lb, "bool", "bool")


def _call(lib, case):
    form, n, la, lb, da, db = case
    a, b = _vector(lib, n, la, 1, da), _vector(lib, n, lb, 2, db)
    if form == "matrix-left":
        a = a.reshape(1, n).expand(2, n) if la == "expanded" else lib.stack([a, a])
    if form == "matrix-right":
        b = b.reshape(1, n).expand(3, n) if lb == "expanded" else lib.stack([b, b, b])
    r = outcome(lambda: lib.inner(a, b))
    return type(r) if isinstance(r, Exception) else (str(r.dtype).split(".")[-1], tuple(r.shape), r.numpy().tolist())


@pytest.mark.parametrize("case", list(_cases()))
def test_inner_of_bools_as_pytorch(case):
    theirs, ours = _call(torch, case), _call(minigan, case)
    if isinstance(theirs, type):
        assert isinstance(ours, type), f"PyTorch raised {theirs.__name__}, minigan gave {ours}"
        return
    assert ours == theirs
