"""nn.utils.spectral_norm on its own terms: the normalised weight's largest singular value goes to 1, weight_orig is
what the optimizer trains, and bad arguments give clear errors of PyTorch's classes.

(Its comparisons with PyTorch: tests/pytorch/test_parametrizations.py.)"""

import numpy as np
import pytest

import minigan
from minigan import nn


def test_the_normalised_weight_has_largest_singular_value_one():
    layer = nn.utils.spectral_norm(nn.Linear(20, 30))
    with minigan.no_grad():
        layer.weight_orig.mul_(7.0)
        for _ in range(50):  # each forward is one power iteration
            layer(minigan.zeros(1, 20))
    weight = layer.weight.detach().numpy().astype(np.float64)
    assert np.linalg.svd(weight, compute_uv=False)[0] == pytest.approx(1.0, abs=1e-4)
    x = minigan.randn(64, 20)  # so the layer is 1-Lipschitz: it never stretches a difference
    diffs = (layer(x[1:]) - layer(x[:-1]) - (layer.bias * 0)).norm(dim=1) / (x[1:] - x[:-1]).norm(dim=1)
    assert float(diffs.max()) <= 1.0 + 1e-4


def test_the_weight_orig_is_what_the_optimizer_trains():
    layer = nn.utils.spectral_norm(nn.Linear(3, 2))
    names = [n for n, _ in layer.named_parameters()]
    assert names == ["bias", "weight_orig"] and [n for n, _ in layer.named_buffers()] == ["weight_u", "weight_v"]
    (layer(minigan.randn(4, 3)) ** 2).sum().backward()
    assert layer.weight_orig.grad is not None and layer.weight.grad_fn is not None


def test_bad_arguments_raise_clear_errors():
    with pytest.raises(KeyError, match="has no parameter 'kernel'"):  # (PyTorch's classes: KeyError, AttributeError)
        nn.utils.spectral_norm(nn.Linear(2, 2), name="kernel")
    with pytest.raises(ValueError, match="n_power_iterations must be an integer >= 1"):
        nn.utils.spectral_norm(nn.Linear(2, 2), n_power_iterations=0)
    with pytest.raises(RuntimeError, match="already normalised"):
        nn.utils.spectral_norm(nn.utils.spectral_norm(nn.Linear(2, 2)))
    with pytest.raises(ValueError, match="is not spectrally normalised"):
        nn.utils.remove_spectral_norm(nn.Linear(2, 2))
    with pytest.raises(AttributeError, match="expected a Module"):
        nn.utils.spectral_norm(minigan.zeros(2, 2))
