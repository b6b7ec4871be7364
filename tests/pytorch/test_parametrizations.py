"""nn.utils.spectral_norm, nn.utils.parametrize and nn.utils.parametrizations against PyTorch (float64, the oracle;
tests/pytorch/sweep.py):

* ``spectral_norm`` (the forward-pre-hook kind and the parametrization): state-dict keys, parameter names and reprs;
  from the same weights and u, v, three SGD steps give the same outputs, gradients of the original weight and
  power-iteration updates, in training and in evaluation (no power iteration there), and after
  ``remove_spectral_norm``;
* ``register_parametrization`` and ``remove_parametrizations`` keep the tensor the module had: PyTorch stores
  ``original`` in the very Parameter (or buffer) the module held, setting its value to the right inverse's where the
  parametrization has one, and on removal registers that same object again, holding the parametrized value when
  ``leave_parametrized=True``; an optimizer made before either call so goes on updating the module's tensor;
* the forward hooks spectral_norm is built on: a pre-hook may replace the inputs and a hook the output, a handle
  removes them;
* parametrizations' names minigan lacks (weight_norm, orthogonal: HiFi-GAN's and MelGAN's discriminators wrap every
  convolution in weight_norm) answer with minigan's advice, as the other namespaces' do.

(Their torch-free tests: tests/library/test_spectral_norm.py, tests/library/test_parametrize.py.)
"""

import itertools

import numpy as np
import pytest

import minigan
import minigan.nn.utils.parametrizations as P
from pytorch.sweep import close, sweep

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

LAYERS = {"Linear": ((5, 3), (4, 5)), "Conv2d": ((2, 3, 3), (2, 2, 5, 5)),
          "ConvTranspose2d": ((3, 2, 4, 2, 1), (2, 3, 3, 3))}  # (arguments, input shape)


def _c(t, rtol=1e-10, atol=1e-12):
    return close(t.detach().clone(), rtol, atol)


def _trained(L, kind, layer, n_power_iterations):
    """The state dict's keys, the parameters' names, the repr; then from the same state, each of three SGD steps'
    output, the original weight's gradient and u, v; in evaluation the output and whether u moved; after the
    removal (the hook kind) the parameters' names and the weight, or (the parametrization) the state."""
    args, shape = LAYERS[layer]
    L.manual_seed(0)
    if kind == "hook":
        m = L.nn.utils.spectral_norm(getattr(L.nn, layer)(*args).double(), n_power_iterations=n_power_iterations)
        original, u = (lambda: m.weight_orig), (lambda: m.weight_u)
    else:
        m = L.nn.utils.parametrizations.spectral_norm(getattr(L.nn, layer)(*args)).double()  # (one iteration)
        original, u = (lambda: m.parametrizations.weight.original), (lambda: m.parametrizations.weight[0]._u)
    seen = [list(m.state_dict()), [n for n, _ in m.named_parameters()], repr(m).replace(L.__name__, "torch")]
    m.load_state_dict({k: L.tensor(np.random.default_rng(i).normal(size=tuple(v.shape)))
                       for i, (k, v) in enumerate(m.state_dict().items())})
    opt, rng = L.optim.SGD(m.parameters(), lr=0.1), np.random.default_rng(0)
    for _ in range(3):
        out = m(L.tensor(rng.normal(size=shape)))
        opt.zero_grad()
        (out ** 2).sum().backward()
        seen += [_c(out), _c(original().grad), *[_c(t) for t in m.state_dict().values()][-2:]]
        opt.step()
    m.eval()
    before = u().detach().clone()
    seen += [_c(m(L.tensor(rng.normal(size=shape)))), bool((u() == before).all()), _c(m.weight)]
    if kind == "hook":
        L.nn.utils.remove_spectral_norm(m)
        seen += [[n for n, _ in m.named_parameters()], _c(m.weight)]
    return seen + [_c(t, 1e-9) for t in m.state_dict().values()]


test_spectral_norm_trains_as_pytorchs = sweep(_trained, [
    *(("hook", layer, n) for layer in LAYERS for n in (1, 2, 5)), *(("parametrization", layer, 1) for layer in LAYERS)])


def _kept(L, where, inverse, leave):
    """What the module holds through registering and removing a parametrization, and an optimizer's steps."""
    nn = L.nn

    class Symmetric(nn.Module):
        def forward(self, X):
            return X.triu() + X.triu(1).transpose(-1, -2)

    class Double(nn.Module):  # one with a right inverse: what is stored is half the value
        def forward(self, X):
            return X * 2

        def right_inverse(self, Y):
            return Y / 2

    m = nn.Linear(2, 2).double()
    with L.no_grad():
        m.weight.copy_(L.tensor([[1.0, 2.0], [3.0, 4.0]], dtype=L.float64))
    if where == "buffer":
        w = m.weight.detach().clone()
        del m.weight
        m.register_buffer("weight", w)
    before = m.weight
    opt = L.optim.SGD(m.parameters(), lr=0.5)
    nn.utils.parametrize.register_parametrization(m, "weight", Double() if inverse else Symmetric())
    orig = m.parametrizations.weight.original
    seen = [orig is before, _c(orig, 1e-12), [n for n, _ in m.named_parameters()], [n for n, _ in m.named_buffers()],
            _c(m.weight, 1e-12), m.weight.requires_grad, list(m.state_dict())]
    m(L.ones(1, 2, dtype=L.float64)).sum().backward()
    opt.step()  # the optimizer made before the registration trains the stored tensor
    seen.append(_c(orig, 1e-12))
    nn.utils.parametrize.remove_parametrizations(m, "weight", leave_parametrized=leave)
    seen += [m.weight is before, _c(m.weight, 1e-12), m.weight.requires_grad, isinstance(m.weight, nn.Parameter),
             [n for n, _ in m.named_parameters()], [n for n, _ in m.named_buffers()]]
    opt.zero_grad()
    m(L.ones(1, 2, dtype=L.float64)).sum().backward()
    opt.step()  # and, after the removal, the module's tensor again
    return seen + [_c(m.weight, 1e-12)]


test_parametrization_keeps_the_module_tensor = sweep(_kept, itertools.product(
    ("parameter", "buffer"), (False, True), (True, False)))


def _forward_hooks(L):
    """A pre-hook that zeroes the input and a hook that adds 1 (and notes the output's shape), then both removed:
    the outputs, and what they are from the weights."""
    layer, seen = L.nn.Linear(2, 2), []
    with L.no_grad():
        layer.weight.copy_(L.tensor([[1.0, -2.0], [0.5, 3.0]]))
        layer.bias.copy_(L.tensor([0.25, -1.0]))
    pre = layer.register_forward_pre_hook(lambda m, args: (args[0] * 0,))
    post = layer.register_forward_hook(lambda m, args, out: seen.append(tuple(out.shape)) or out + 1)
    hooked = layer(L.ones(3, 2))
    pre.remove()
    post.remove()
    return [_c(t, 1e-6, 0) for t in (hooked, (layer.bias + 1).expand(3, 2), layer(L.ones(1, 2)),
                                     L.ones(1, 2) @ layer.weight.t() + layer.bias)], seen


test_forward_hooks_as_pytorch = sweep(_forward_hooks, [()], ids=lambda: "forward hooks")


@pytest.mark.parametrize("name", ["weight_norm", "orthogonal"])
def test_missing_parametrizations_give_advice(name):
    with pytest.raises(AttributeError) as caught:
        getattr(P, name)
    assert isinstance(caught.value, minigan.NotInMinigan), caught.value
    text = str(caught.value)
    assert text.startswith(f"minigan.nn.utils.parametrizations.{name}: "), text
    assert "spectral_norm" in text and "register_parametrization" in text, text
    assert callable(P.spectral_norm) and callable(minigan.nn.utils.parametrize.register_parametrization)


def test_every_name_pytorch_lists_is_there_or_advised():
    for name in torch.nn.utils.parametrizations.__all__:
        try:
            getattr(P, name)
        except minigan.NotInMinigan:
            pass
