"""F.pad's result is laid out as PyTorch's, row-major, in every mode, so that a later view of it is a view there too
(``flatten()`` shares its memory) and its values are PyTorch's."""

import numpy as np
import pytest

import minigan
import minigan.functional as MF

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
