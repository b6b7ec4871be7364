"""group_norm with weight=None and a bias that requires grad: PyTorch's backward refuses (its kernel reads the absent
weight), which docs/pytorch.md lists; minigan's runs, and its gradients are PyTorch's when the same group norm is
given a weight of ones (the bias's: the upstream summed over all but the channels; the input's: group norm's)."""

from __future__ import annotations

import numpy as np
import pytest

import minigan

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")


@pytest.mark.parametrize("shape,groups", [((2, 3, 2, 3), 3), ((4, 6, 5), 2), ((2, 4), 2), ((3, 6, 2, 2), 1)])
def test_pytorch_refuses_and_minigan_gives_the_weight_of_ones_gradient(shape, groups):
    rng = np.random.default_rng(sum(shape))
    x, b, up = rng.normal(size=shape), rng.normal(size=shape[1]), rng.normal(size=shape)

    tx, tb = torch.tensor(x, requires_grad=True), torch.tensor(b, requires_grad=True)
    with pytest.raises(RuntimeError):  # (PyTorch's bug; if it is fixed, this row of docs/pytorch.md goes)
        (torch.nn.functional.group_norm(tx, groups, None, tb) * torch.tensor(up)).sum().backward()
    tw = torch.ones(shape[1], dtype=torch.float64)
    want = torch.autograd.grad((torch.nn.functional.group_norm(tx, groups, tw, tb) * torch.tensor(up)).sum(),
                               (tx, tb))

    mx, mb = minigan.tensor(x, requires_grad=True), minigan.tensor(b, requires_grad=True)
    out = minigan.nn.functional.group_norm(mx, groups, None, mb)
    got = minigan.autograd.grad((out * minigan.tensor(up)).sum(), (mx, mb))
    for g, w in zip(got, want):
        np.testing.assert_allclose(g.numpy(), w.numpy(), rtol=1e-10, atol=1e-12)
