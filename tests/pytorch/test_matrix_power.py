"""``A.matrix_power(n)``, ``torch.matrix_power`` and ``torch.linalg.matrix_power`` for n >= 0: products only (A⁰ the
identity), values and gradients against PyTorch in float64; a negative n needs the inverse, which minigan does not
provide, and says so in one line."""

import numpy as np
import pytest

import minigan
from pytorch.oracle import HAVE_TORCH

pytestmark = pytest.mark.skipif(not HAVE_TORCH, reason="needs torch (a test-only oracle)")
if HAVE_TORCH:
    import torch

DOORS = {"method": lambda lib, a, n: a.matrix_power(n), "free": lambda lib, a, n: lib.matrix_power(a, n),
         "linalg": lambda lib, a, n: lib.linalg.matrix_power(a, n)}


@pytest.mark.parametrize("door", DOORS)
@pytest.mark.parametrize("n", [0, 1, 2, 3, 4, 5, 8])
@pytest.mark.parametrize("shape", [(3, 3), (2, 4, 4), (1, 1)], ids=str)
def test_values_and_gradients_are_pytorchs(door, n, shape):
    a = np.random.default_rng(n).standard_normal(shape) * 0.7
    out = {}
    for lib in (minigan, torch):
        x = lib.tensor(a, requires_grad=True)
        y = DOORS[door](lib, x, n)
        assert tuple(y.shape) == shape
        if y.requires_grad:
            (y * lib.tensor(np.arange(y.numel(), dtype=np.float64).reshape(shape))).sum().backward()
        out[lib.__name__] = (y.detach().numpy(), None if x.grad is None else x.grad.numpy())
    np.testing.assert_allclose(out["minigan"][0], out["torch"][0], rtol=1e-12, atol=1e-12)
    if out["torch"][1] is not None:
        np.testing.assert_allclose(out["minigan"][1], out["torch"][1], rtol=1e-12, atol=1e-12)


def test_what_is_refused_is_refused_as_pytorch():
    for lib in (minigan, torch):
        with pytest.raises(RuntimeError):
            lib.ones(2, 3).matrix_power(2)  # not square
        with pytest.raises(TypeError):
            lib.ones(2, 2).matrix_power(1.5)
    with pytest.raises(minigan.NotInMinigan, match="inverse") as refused:
        minigan.ones(2, 2).matrix_power(-1)
    assert "\n" not in str(refused.value)
