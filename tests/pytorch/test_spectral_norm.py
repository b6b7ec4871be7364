"""nn.utils.spectral_norm and the forward hooks it is built on, against PyTorch (float64, the oracle): the same
weight_u/weight_v buffers loaded into both, the outputs, the gradients of weight_orig and the power-iteration
updates agree step by step, in training and in evaluation, and after remove_spectral_norm; the normalised weight's
largest singular value goes to 1; bad arguments give clear errors.

(Its torch-free tests: tests/library/test_spectral_norm.py.)"""

import numpy as np
import pytest

import minigan
from minigan import nn

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

LAYERS = {  # name: (PyTorch layer, minigan layer, input shape)
    "linear": (lambda: torch.nn.Linear(5, 3), lambda: nn.Linear(5, 3), (4, 5)),
    "conv2d": (lambda: torch.nn.Conv2d(2, 3, 3), lambda: nn.Conv2d(2, 3, 3), (2, 2, 5, 5)),
    "conv_transpose2d": (lambda: torch.nn.ConvTranspose2d(3, 2, 4, 2, 1), lambda: nn.ConvTranspose2d(3, 2, 4, 2, 1),
                         (2, 3, 3, 3)),
}


def _pair(layer, **kwargs):
    make_theirs, make_ours, shape = LAYERS[layer]
    torch.manual_seed(0)
    theirs = torch.nn.utils.spectral_norm(make_theirs().double(), **kwargs)
    ours = nn.utils.spectral_norm(make_ours().double(), **kwargs)
    ours.load_state_dict({k: v.detach().numpy() for k, v in theirs.state_dict().items()})
    return theirs, ours, np.random.default_rng(0).normal(size=shape)


@pytest.mark.parametrize("layer", sorted(LAYERS))
@pytest.mark.parametrize("n_power_iterations", [1, 2, 5])
def test_training_steps_match_pytorch(layer, n_power_iterations):
    theirs, ours, x = _pair(layer, n_power_iterations=n_power_iterations)
    assert list(ours.state_dict()) == list(theirs.state_dict())  # bias, weight_orig, weight_u, weight_v
    opt_t = torch.optim.SGD(theirs.parameters(), lr=0.1)
    opt_m = minigan.optim.SGD(ours.parameters(), lr=0.1)
    for _ in range(3):
        out_t, out_m = theirs(torch.tensor(x)), ours(minigan.tensor(x))
        np.testing.assert_allclose(out_m.detach().numpy(), out_t.detach().numpy(), rtol=1e-10, atol=1e-12)
        for opt, out in ((opt_t, out_t), (opt_m, out_m)):
            opt.zero_grad()
            (out ** 2).sum().backward()
        np.testing.assert_allclose(ours.weight_orig.grad.detach().numpy(), theirs.weight_orig.grad.detach().numpy(),
                                   rtol=1e-10,
                                   atol=1e-12)
        for buffer in ("weight_u", "weight_v"):
            np.testing.assert_allclose(getattr(ours, buffer).numpy(), getattr(theirs, buffer).numpy(), rtol=1e-10,
                                       atol=1e-12)
        opt_t.step()
        opt_m.step()
    theirs.eval()
    ours.eval()
    u = ours.weight_u.detach().numpy().copy()
    np.testing.assert_allclose(ours(minigan.tensor(x)).detach().numpy(), theirs(torch.tensor(x)).detach().numpy(),
                               rtol=1e-10, atol=1e-12)
    np.testing.assert_array_equal(ours.weight_u.detach().numpy(), u)  # no power iteration in evaluation
    torch.nn.utils.remove_spectral_norm(theirs)
    nn.utils.remove_spectral_norm(ours)
    assert [n for n, _ in ours.named_parameters()] == [n for n, _ in theirs.named_parameters()]
    np.testing.assert_allclose(ours.weight.detach().numpy(), theirs.weight.detach().numpy(), rtol=1e-10, atol=1e-12)


def test_forward_hooks_as_pytorch():
    """A pre-hook may replace the inputs and a hook the output; the handle removes them; they run in order."""
    for lib in (minigan, torch):
        layer, seen = lib.nn.Linear(2, 2), []
        pre = layer.register_forward_pre_hook(lambda m, args: (args[0] * 0,))
        post = layer.register_forward_hook(lambda m, args, out, seen=seen: seen.append(out.shape) or out + 1)
        out = layer(lib.ones(3, 2))
        np.testing.assert_allclose(out.detach().numpy(), (layer.bias + 1).expand(3, 2).detach().numpy())
        assert seen == [(3, 2)]
        pre.remove()
        post.remove()
        np.testing.assert_allclose(layer(lib.ones(1, 2)).detach().numpy(),
                                   (lib.ones(1, 2) @ layer.weight.t() + layer.bias).detach().numpy(), rtol=1e-6)
        assert seen == [(3, 2)]
