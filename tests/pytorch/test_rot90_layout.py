"""rot90's result layout, against PyTorch.

PyTorch's rot90 with k a multiple of 4 is ``clone(memory_format=torch.contiguous_format)``: a row-major copy
whatever the input's layout, so a later ``flatten()`` is a view; minigan's copy kept a transposed or permuted
input's order.  Over k (negative too), dims and input layouts, minigan must give PyTorch's values, strides and
gradient.
"""

import itertools

import numpy as np
import pytest

import minigan

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

LAYOUTS = ["contiguous", "t", "permute", "expand", "strided"]


def _input(lib, layout):
    base = lib.tensor(np.arange(24.0).reshape(2, 3, 4), dtype=lib.float64, requires_grad=True)
    x = {"contiguous": lambda: base * 1, "t": lambda: (base * 1).transpose(0, 2),
         "permute": lambda: (base * 1).permute(1, 2, 0), "expand": lambda: (base * 1)[:1].expand(3, 3, 4),
         "strided": lambda: (base * 1)[:, ::2, ::3]}[layout]()
    return base, x


def _run(lib, k, dims, layout):
    base, x = _input(lib, layout)
    out = x.rot90(k, dims)
    grad, = lib.autograd.grad((out * lib.arange(1.0, 1.0 + out.numel(), dtype=lib.float64).reshape(out.shape)).sum(),
                              base)
    strides = tuple(s for s, n in zip(out.stride(), out.shape) if n > 1)
    return out.tolist(), tuple(out.shape), strides, grad.tolist()


@pytest.mark.parametrize("k,dims,layout", list(itertools.product([0, 4, -4, 8], [(0, 1), (1, 2), (2, 0)], LAYOUTS)))
def test_rot90_by_whole_turns_is_a_row_major_copy_as_pytorchs(k, dims, layout):
    expected, got = _run(torch, k, dims, layout), _run(minigan, k, dims, layout)
    assert got == expected, f"rot90(k={k}, dims={dims}) of a {layout} input: {got[1:3]} vs PyTorch's {expected[1:3]}"


# Every k (not only whole turns): PyTorch's rot90 is flip(dims[1]) then an in-place transpose for k = 1, flip(dims)
# for k = 2, flip(dims[0]) then the transpose for k = 3; for an expanded input (a zero stride) the flip's result is
# row-major, so the order of the flip and the transpose shows in the strides.
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
