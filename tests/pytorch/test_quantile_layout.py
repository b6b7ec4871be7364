"""quantile's results are laid out as PyTorch's whatever the input's layout: rows × q row-major,
the q axis then moved first, so a later flatten() or view() is a view exactly where PyTorch's is (a permuted input
made the result follow the input's layout)."""

import itertools

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import minigan  # noqa: E402

CASES = list(itertools.product(["quantile"], [(0, 1, 2), (0, 2, 1), (2, 1, 0), (1, 2, 0)],
                               [0, 1, 2, -1, None], [False, True], ["number", "two", "one"]))


def _layout(t):
    """Strides of the dimensions longer than 1 (the others' strides are not used), and contiguity."""
    return t.is_contiguous(), tuple(s for s, n in zip(t.stride(), t.shape) if n > 1), tuple(t.shape)


@pytest.mark.parametrize("name, perm, dim, keepdim, q", CASES, ids=[str(c) for c in CASES])
def test_quantile_result_layout_is_pytorchs(name, perm, dim, keepdim, q):
    a = np.random.default_rng(0).normal(size=(2, 4, 3))
    layouts = []
    for lib in (torch, minigan):
        x = lib.tensor(a).permute(*perm)
        qq = 0.25 if q == "number" else lib.tensor([0.25, 0.5] if q == "two" else [0.3], dtype=lib.float64)
        layouts.append(_layout(getattr(lib, name)(x, qq, dim=dim, keepdim=keepdim)))
    assert layouts[1] == layouts[0]
