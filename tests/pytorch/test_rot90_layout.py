"""rot90's result laid out as PyTorch's (its strides, so whether a later flatten() or view() is a view), for every k
and pair of dims, of a row-major, permuted, strided or expanded input: PyTorch's rot90 is flip(dims[1]) then an
in-place transpose for k = 1, flip(dims) for k = 2, flip(dims[0]) then the transpose for k = 3, and a row-major
clone for k = 0; for an expanded input (a zero stride) the flip's result is row-major, so the order of the flip and
the transpose shows."""

import itertools

import numpy as np
import pytest

import minigan

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

VIEWS = {
    "row-major": lambda L, a: L.tensor(a),
    "expand": lambda L, a: L.tensor(a[:1]).expand(*a.shape),
    "permuted": lambda L, a: L.tensor(a.transpose(2, 0, 1).copy()).permute(1, 2, 0),
    "strided": lambda L, a: L.tensor(np.repeat(a, 2, axis=1))[:, ::2],
}


@pytest.mark.parametrize("view", sorted(VIEWS))
def test_rot90_is_laid_out_as_pytorchs(view):
    a = np.random.default_rng(5).standard_normal((3, 4, 2))
    differ = []
    for k, dims in itertools.product(range(-5, 6), [[0, 1], [1, 0], [0, -1], [2, 0], [1, 2]]):
        outs = [L.rot90(VIEWS[view](L, a), k, dims) for L in (torch, minigan)]
        if outs[0].stride() != outs[1].stride() or not np.array_equal(outs[0].numpy(), outs[1].numpy()):
            differ.append(f"k={k} dims={dims}: PyTorch strides {outs[0].stride()}, minigan {outs[1].stride()}")
    assert not differ, f"{len(differ)} differ, e.g.\n" + "\n".join(differ[:8])
