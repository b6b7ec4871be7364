"""scaled_dot_product_attention with a NaN dropout_p, against PyTorch: NaN passes the CPU dispatch's dropout_p > 0
test, so 4-D inputs the flash kernel takes meet its own check and are refused at the call (RuntimeError); the math
path (3-D inputs, a mask the flash kernel does not take) skips dropout and runs, as with dropout_p 0."""

from __future__ import annotations

import numpy as np
import pytest

import minigan

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")


def _outcome(lib, shape, p, requires_grad, mask):
    rng = np.random.default_rng(len(shape))
    q, k, v = (lib.tensor(rng.normal(size=shape), requires_grad=requires_grad) for _ in range(3))
    attn_mask = None if mask is None else lib.tensor(rng.normal(size=mask), requires_grad=True)
    try:
        out = lib.nn.functional.scaled_dot_product_attention(q, k, v, attn_mask=attn_mask, dropout_p=p)
    except RuntimeError:
        return "RuntimeError"
    return np.round(out.detach().numpy(), 10).tolist()


@pytest.mark.parametrize("mask", [None, (3, 3)], ids=["no mask", "a mask requiring grad"])
@pytest.mark.parametrize("requires_grad", [False, True])
@pytest.mark.parametrize("p", [float("nan"), 0.0, 0])
@pytest.mark.parametrize("shape", [(2, 2, 3, 4), (2, 3, 4)], ids=str)
def test_nan_dropout_as_pytorch(shape, p, requires_grad, mask):
    assert _outcome(minigan, shape, p, requires_grad, mask) == _outcome(torch, shape, p, requires_grad, mask)
