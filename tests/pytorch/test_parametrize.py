"""nn.utils.parametrize and parametrizations.spectral_norm against PyTorch: state-dict keys, parameter names,
reprs, and three SGD steps of a layer whose weight is spectrally normalised (outputs, u, v and the original all
equal); assigning to a parametrized weight, removing the parametrization, chaining two.

(Its torch-free tests: tests/library/test_parametrize.py.)"""

import numpy as np
import pytest

import minigan

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")
rng = np.random.default_rng(0)


@pytest.mark.parametrize("layer", ["Linear", "Conv2d", "ConvTranspose2d"])
def test_spectral_norm_parametrization_trains_as_pytorchs(layer):
    args = {"Linear": (5, 4), "Conv2d": (3, 6, 3), "ConvTranspose2d": (3, 6, 4, 2, 1)}[layer]
    theirs = torch.nn.utils.parametrizations.spectral_norm(getattr(torch.nn, layer)(*args)).double()
    ours = minigan.nn.utils.parametrizations.spectral_norm(getattr(minigan.nn, layer)(*args)).double()
    assert list(ours.state_dict()) == list(theirs.state_dict())
    assert [n for n, _ in ours.named_parameters()] == [n for n, _ in theirs.named_parameters()]
    assert repr(ours) == repr(theirs)
    ours.load_state_dict({k: minigan.tensor(v.detach().numpy()) for k, v in theirs.state_dict().items()})
    opt_t, opt_m = torch.optim.SGD(theirs.parameters(), lr=0.1), minigan.optim.SGD(ours.parameters(), lr=0.1)
    for _ in range(3):
        x = rng.standard_normal((2, 5) if layer == "Linear" else (2, 3, 7, 7))
        t_out, m_out = theirs(torch.tensor(x)), ours(minigan.tensor(x))
        np.testing.assert_allclose(m_out.detach().numpy(), t_out.detach().numpy(), rtol=1e-10, atol=1e-12)
        opt_t.zero_grad()
        opt_m.zero_grad()
        (t_out ** 2).sum().backward()
        (m_out ** 2).sum().backward()
        opt_t.step()
        opt_m.step()
    for key, value in theirs.state_dict().items():
        np.testing.assert_allclose(np.asarray(ours.state_dict()[key]), value.detach().numpy(), rtol=1e-9, atol=1e-12)
    theirs.eval()
    ours.eval()  # (evaluation: no power iteration on reading)
    np.testing.assert_allclose(ours.weight.detach().numpy(), theirs.weight.detach().numpy(), rtol=1e-10)
