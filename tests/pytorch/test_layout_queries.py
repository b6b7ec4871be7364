"""``x.is_contiguous()`` and ``x.stride()``, which tutorials print to explain views (``x.t().is_contiguous()`` is
False, and ``view`` then needs ``contiguous()``): a minigan tensor's NumPy array answers them, in elements, as
PyTorch's strides do.  Compared with PyTorch over the views and copies learners make."""

import pytest

import minigan
from pytorch.oracle import HAVE_TORCH

pytestmark = pytest.mark.skipif(not HAVE_TORCH, reason="needs torch (a test-only oracle)")
if HAVE_TORCH:
    import torch

MADE = {
    "fresh": lambda lib: lib.arange(12.0).reshape(3, 4), "t": lambda lib: lib.arange(12.0).reshape(3, 4).t(),
    "t_contiguous": lambda lib: lib.arange(12.0).reshape(3, 4).t().contiguous(),
    "transpose": lambda lib: lib.arange(24.0).reshape(2, 3, 4).transpose(0, 2),
    "permute": lambda lib: lib.arange(24.0).reshape(2, 3, 4).permute(1, 2, 0),
    "slice_rows": lambda lib: lib.arange(12.0).reshape(3, 4)[1:],
    "slice_cols": lambda lib: lib.arange(12.0).reshape(3, 4)[:, 1:3],
    "step": lambda lib: lib.arange(12.0)[::2], "narrow": lambda lib: lib.arange(12.0).reshape(3, 4).narrow(1, 1, 2),
    "select": lambda lib: lib.arange(12.0).reshape(3, 4)[:, 1], "row": lambda lib: lib.arange(12.0).reshape(3, 4)[1],
    "expand": lambda lib: lib.arange(4.0).reshape(1, 4).expand(3, 4),
    "view": lambda lib: lib.arange(12.0).view(2, 6), "unsqueeze": lambda lib: lib.arange(4.0).unsqueeze(0),
    "clone_t": lambda lib: lib.arange(12.0).reshape(3, 4).t().clone(), "zeros": lambda lib: lib.zeros(2, 3, 4),
    "scalar": lambda lib: lib.tensor(3.0), "empty": lambda lib: lib.zeros(0, 3),
    "mT": lambda lib: lib.arange(24.0).reshape(2, 3, 4).mT, "sum": lambda lib: lib.arange(12.0).reshape(3, 4).sum(0),
}


@pytest.mark.parametrize("made", MADE)
def test_is_contiguous_and_stride_are_pytorchs(made):
    ours, theirs = MADE[made](minigan), MADE[made](torch)
    assert ours.is_contiguous() == theirs.is_contiguous()
    assert ours.stride() == theirs.stride()
    assert [ours.stride(d) for d in range(ours.ndim)] == [theirs.stride(d) for d in range(theirs.ndim)]


def test_a_memory_format_minigan_lacks_is_refused():
    assert minigan.ones(2, 2).is_contiguous(memory_format=minigan.contiguous_format)
    with pytest.raises(NotImplementedError, match="memory_format"):
        minigan.ones(1, 2, 2, 2).is_contiguous(memory_format="channels_last")
