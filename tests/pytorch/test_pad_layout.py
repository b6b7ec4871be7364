"""F.pad's result is laid out as PyTorch's, row-major, in every mode, so that a later view of it is a view there too
(``flatten()`` shares its memory) and its values are PyTorch's."""

import numpy as np
import pytest

import minigan
import minigan.functional as MF
from pytorch.exception_oracle import outcome

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")


@pytest.mark.parametrize("mode", ["constant", "reflect", "replicate", "circular"])
def test_pad_results_are_row_major_as_pytorchs(mode):
    found = []
    for shape, pads in [((4, 4), (2, 0)), ((2, 3, 4), (2, 0, 1, 0)), ((2, 3, 4, 5), (0, 2, 0, 2)),
                        ((2, 3, 4, 5), (1, 1, 2, 1)), ((2, 3, 4), (1, 2)), ((1, 2, 3, 4), (0, 0, 1, 1))]:
        x = np.arange(float(np.prod(shape))).reshape(shape)
        try:
            theirs = torch.nn.functional.pad(torch.tensor(x), pads, mode)
        except Exception:  # noqa: BLE001  (a mode PyTorch does not take for this rank: not compared here)
            continue
        ours = MF.pad(minigan.tensor(x), pads, mode)
        flat_view = np.shares_memory(ours.flatten().numpy(), ours.numpy())
        if not np.array_equal(ours.numpy(), theirs.numpy()) or flat_view != theirs.is_contiguous():
            found.append(f"pad({shape}, {pads}, {mode}): flatten() a view: {flat_view} vs {theirs.is_contiguous()}")
    assert not found, "\n".join(found)


def _outcome(lib, F, shape, pads, mode, value):
    y = outcome(lambda: F.pad(lib.tensor(np.arange(float(np.prod(shape))).reshape(shape)), pads, mode, value))
    return type(y) if isinstance(y, Exception) else (tuple(y.shape), y.numpy().tolist())


def test_pad_modes_take_the_ranks_and_values_pytorchs_take():
    """Non-constant modes: a value other than 0 refused (RuntimeError), then 2·k sizes need a (k + 1)- or (k + 2)-D
    input (NotImplementedError), as PyTorch's kernels pad one sample or a batch."""
    found = []
    for shape in [(4,), (3, 4), (2, 3, 4), (1, 2, 3, 4), (1, 1, 2, 3, 4)]:
        for pads in [(1, 1), (1, 1, 1, 1), (1, 1, 1, 1, 1, 1), (1, 1, 1, 1, 1, 1, 1, 1)]:
            for mode in ("reflect", "replicate", "circular"):
                for value in (None, 0, 1.5):
                    theirs = _outcome(torch, torch.nn.functional, shape, pads, mode, value)
                    ours = _outcome(minigan, MF, shape, pads, mode, value)
                    if isinstance(theirs, type) or isinstance(ours, type):
                        builtin = next(t for t in theirs.__mro__ if t.__module__ == "builtins") \
                            if isinstance(theirs, type) else None
                        same = builtin is not None and isinstance(ours, type) and issubclass(ours, builtin)
                    else:
                        same = ours == theirs
                    if not same:
                        found.append(f"pad({shape}, {pads}, {mode}, value={value}): {str(ours)[:80]} vs "
                                     f"{str(theirs)[:80]}")
    assert not found, "\n".join(found[:12]) + f"\n({len(found)} differ)"
