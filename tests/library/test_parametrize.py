"""nn.utils.parametrize without PyTorch: assigning to a spectrally normalised weight, removing the parametrization,
and chaining two.

(Its comparisons with PyTorch: tests/pytorch/test_parametrizations.py.)"""

import numpy as np
import pytest

import minigan


def test_assign_remove_and_chain():
    layer = minigan.nn.utils.parametrizations.spectral_norm(minigan.nn.Linear(3, 2))
    value = minigan.randn(2, 3)
    layer.weight = value  # stores the original that gives it (spectral norm's right inverse is the identity)
    np.testing.assert_array_equal(layer.parametrizations.weight.original.detach().numpy(), value.detach().numpy())
    layer.eval()
    expected = layer.weight.detach().numpy()
    minigan.nn.utils.parametrize.remove_parametrizations(layer, "weight")
    assert not minigan.nn.utils.parametrize.is_parametrized(layer)
    assert [n for n, _ in layer.named_parameters()] == ["bias", "weight"]
    np.testing.assert_allclose(layer.weight.detach().numpy(), expected)

    class Double(minigan.nn.Module):
        def forward(self, x):
            return 2 * x

    chained = minigan.nn.Linear(3, 2)
    original = chained.weight.detach().numpy().copy()
    for _ in range(2):
        minigan.nn.utils.parametrize.register_parametrization(chained, "weight", Double())
    np.testing.assert_allclose(chained.weight.detach().numpy(), 4 * original)
    chained(minigan.randn(1, 3)).sum().backward()
    assert chained.parametrizations.weight.original.grad is not None
    with pytest.raises(ValueError, match="has no parameter or buffer 'scale'"):
        minigan.nn.utils.parametrize.register_parametrization(chained, "scale", Double())
