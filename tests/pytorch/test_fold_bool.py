"""fold of bool columns against PyTorch: its col2im takes bool (overlapping windows add up as or), as unfold's im2col
does, and refuses the other integer dtypes (NotImplementedError).  Found by surface program 11798611 (minigan
refused a bool input where PyTorch ran)."""

import numpy as np
import pytest

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

import minigan  # noqa: E402
import minigan.functional as MF  # noqa: E402

CASES = [((1, 2, 4), (3, 2), (2, 1), {}), ((0, 2, 4), (3, 2), (2, 1), {}), ((2, 4), (3, 2), (2, 1), {}),
         ((2, 8, 6), (4, 4), (2, 2), {"dilation": (1, 2)}), ((1, 4, 25), (3, 3), (2, 2), {"padding": 1}),
         ((2, 4, 4), (4, 4), (2, 2), {"stride": 2})]


@pytest.mark.parametrize("dtype", ["bool", "int64", "uint8"])
@pytest.mark.parametrize("shape,size,kernel,kw", CASES)
def test_fold_dtypes_as_pytorch(shape, size, kernel, kw, dtype):
    rng = np.random.default_rng(3)
    for _ in range(4):
        a = (rng.random(shape) < 0.4).astype(dtype)
        try:
            theirs = torch.nn.functional.fold(torch.tensor(a), size, kernel, **kw).numpy()
        except RuntimeError as e:
            with pytest.raises(type(e)):
                MF.fold(minigan.tensor(a), size, kernel, **kw)
            continue
        ours = MF.fold(minigan.tensor(a), size, kernel, **kw).numpy()
        assert ours.dtype == theirs.dtype and np.array_equal(ours, theirs)
