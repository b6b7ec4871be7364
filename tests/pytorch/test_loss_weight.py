"""The regression losses' ``weight=`` (l1_loss, mse_loss, huber_loss; PyTorch 2.13's signatures): each element's
loss times its weight; 'mean' is Σ w·ℓ / Σ w for l1 and mse and the plain mean of w·ℓ for huber, as PyTorch's; a
weight of another size than the input is refused (ValueError).  Values and gradients (input and weight) against
PyTorch in float64."""

import minigan.nn.functional as F
import numpy as np
import pytest

import minigan

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")
TF = torch.nn.functional

LOSSES = ["l1_loss", "mse_loss", "huber_loss"]


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("name", LOSSES)
def test_a_weighted_loss_and_its_gradients_are_pytorchs(name, reduction):
    rng = np.random.default_rng(7)
    x, y, w = rng.standard_normal((3, 4)) * 2, rng.standard_normal((3, 4)), rng.uniform(0.1, 2, (3, 4))
    m = [minigan.tensor(a, dtype=minigan.float64, requires_grad=True) for a in (x, y, w)]
    t = [torch.tensor(a, dtype=torch.float64, requires_grad=True) for a in (x, y, w)]
    ours = getattr(F, name)(m[0], m[1], reduction=reduction, weight=m[2])
    theirs = getattr(TF, name)(t[0], t[1], reduction=reduction, weight=t[2])
    np.testing.assert_allclose(ours.detach().numpy(), theirs.detach().numpy(), rtol=1e-12)
    ours.sum().backward()
    theirs.sum().backward()
    for a, b in zip(m, t):
        np.testing.assert_allclose(a.grad.numpy(), b.grad.numpy(), rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("name", LOSSES)
def test_a_weight_of_another_size_is_refused_as_pytorch_refuses_it(name):
    x, w = np.ones((3, 4)), np.ones((4,))
    with pytest.raises(ValueError) as theirs:
        getattr(TF, name)(torch.tensor(x), torch.tensor(x), weight=torch.tensor(w))
    with pytest.raises(ValueError, match="weight"):
        getattr(F, name)(minigan.tensor(x), minigan.tensor(x), weight=minigan.tensor(w))
    assert "same size" in str(theirs.value)
