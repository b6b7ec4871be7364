"""Lazy layers (nn.LazyLinear, LazyConv*, LazyBatchNorm*) on their own terms: sized and initialised at the first call,
then the plain layer; every use of a weight before that raises naming the fix; an initialisation applied before the
first call is discarded; an optimizer made before it keeps working; state dicts, deepcopy, .to and .data before it.

(Its comparisons with PyTorch: tests/pytorch/test_lazy_layers.py.)"""

import copy

import numpy as np
import pytest

import minigan
from library.helpers_lazy_layers import CASES, ours
from minigan import nn


@pytest.mark.parametrize("name,args,shape", CASES)
def test_sized_at_the_first_call_then_the_plain_layer(name, args, shape):
    m = ours(name, args)
    assert m.has_uninitialized_params()
    assert all(isinstance(p, nn.UninitializedParameter) for p in m.parameters())
    m(minigan.randn(*shape))
    assert type(m).__name__ == name[len("Lazy"):]
    assert not any(isinstance(p, nn.UninitializedParameter) for p in m.parameters())
    assert all(type(p) is nn.Parameter for p in m.parameters())


def test_default_initialisation_is_drawn_at_the_first_call():
    minigan.manual_seed(0)
    m = nn.LazyLinear(6)
    m(minigan.zeros(2, 25))
    w = m.weight.detach().numpy()
    assert np.abs(w).max() <= 1 / 5 + 1e-7  # U(-1/sqrt(in), 1/sqrt(in)), in = 25
    assert np.abs(w).max() > 0.1  # drawn, not left at zero


@pytest.mark.parametrize("use", [
    lambda w: w.sum(), lambda w: w * 2, lambda w: nn.init.normal_(w), lambda w: w.numel(), lambda w: w.dim(),
])  # (its dtype it shows, as PyTorch's: tests/pytorch/test_lazy_layers.py)
def test_every_use_before_the_first_call_raises_naming_the_fix(use):
    w = nn.LazyLinear(3).weight
    with pytest.raises((ValueError, RuntimeError), match="uninitialized parameter"):
        use(w)


def test_shape_before_the_first_call_raises_as_pytorch():
    with pytest.raises(RuntimeError, match="Call `forward` to initialize"):
        nn.LazyLinear(3).weight.shape  # noqa: B018


def init_to_half(module):  # the textbook pattern: initialise the layers of one type
    if type(module) == nn.Linear:  # noqa: E721  (the exact type, as the pattern is written)
        nn.init.constant_(module.weight, 0.5)


def test_an_initialisation_before_the_first_call_is_discarded():
    """``apply`` before the first call sees a LazyLinear, not a Linear: the init is skipped and the layer keeps the
    default drawn at the first call; after the first call the same init reaches it. A program's result depends on
    this, in PyTorch as here."""
    net = nn.Sequential(nn.LazyLinear(4), nn.ReLU(), nn.Linear(4, 1))
    net.apply(init_to_half)
    x = minigan.randn(3, 5)
    net(x)
    assert not np.allclose(net[0].weight.detach().numpy(), 0.5)
    assert np.allclose(net[2].weight.detach().numpy(), 0.5)
    net.apply(init_to_half)
    assert np.allclose(net[0].weight.detach().numpy(), 0.5)


def test_an_optimizer_made_before_the_first_call_updates_the_weights():
    m = nn.LazyLinear(2)
    weight = m.weight
    opt = minigan.optim.SGD(m.parameters(), lr=0.1)
    m(minigan.randn(4, 3)).sum().backward()
    assert m.weight is weight  # the same object, given its data in place
    before = weight.detach().numpy().copy()
    opt.step()
    assert not np.allclose(weight.detach().numpy(), before)


def test_load_state_dict_sizes_a_lazy_layer():
    m = nn.LazyLinear(3)
    m.load_state_dict(nn.Linear(5, 3).state_dict())
    assert tuple(m.weight.shape) == (3, 5) and type(m.weight) is nn.Parameter
    m(minigan.randn(2, 5))
    assert type(m) is nn.Linear and m.in_features == 5
    c = nn.LazyConv2d(3, 2)
    c.load_state_dict(nn.Conv2d(4, 3, 2).state_dict())
    c(minigan.randn(1, 4, 3, 3))
    assert repr(c) == "Conv2d(0, 3, kernel_size=(2, 2), stride=(1, 1))"  # PyTorch's repr here too


def test_to_before_the_first_call_gives_the_dtype_asked_for():
    m = nn.LazyConv2d(2, 3).to(minigan.float64)
    m(minigan.randn(1, 3, 5, 5, dtype=minigan.float64))
    assert m.weight.dtype == minigan.float64 and m.bias.dtype == minigan.float64


def test_lazy_batch_norm_buffers():
    b = nn.LazyBatchNorm2d()
    assert isinstance(b.running_mean, nn.UninitializedBuffer)
    b(minigan.randn(4, 3, 2, 2))
    assert type(b) is nn.BatchNorm2d and tuple(b.running_mean.shape) == (3,)
    assert int(b.num_batches_tracked.item()) == 1


def test_deepcopy_and_state_dict_before_the_first_call():
    m = nn.LazyLinear(2)
    c = copy.deepcopy(m)
    assert isinstance(c.weight, nn.UninitializedParameter) and c.weight is not m.weight
    assert all(isinstance(v, nn.UninitializedParameter) for v in m.state_dict().values())


def test_bad_input_at_the_first_call():
    with pytest.raises(RuntimeError, match="Expected 3D .unbatched. or 4D .batched. input to LazyConv2d"):
        nn.LazyConv2d(4, 3)(minigan.randn(3, 4))
    with pytest.raises(ValueError, match="divisible by groups=2"):
        nn.LazyConv2d(4, 3, groups=2)(minigan.randn(1, 3, 5, 5))
    with pytest.raises(ValueError, match="out_features must be a non-negative int"):  # (0: an empty layer)
        nn.LazyLinear(-1)


def test_the_lazy_layers_not_provided_are_refused_with_the_reason():
    with pytest.raises(AttributeError, match="3-d"):
        nn.LazyConv3d  # noqa: B018
    with pytest.raises(AttributeError, match="running statistics"):
        nn.LazyInstanceNorm2d  # noqa: B018


# ----------------------------------------------------------------------------- before the first call, as PyTorch's
def test_in_place_init_through_data_before_the_first_call_goes_through_with_no_effect():
    """d2l's concise linear regression: ``LazyLinear(1)`` then ``net.weight.data.normal_(0, 0.01)`` and
    ``net.bias.data.fill_(0)``. PyTorch lets the lines through: ``.data`` is an empty tensor, and the first call
    draws the default initialisation."""
    minigan.manual_seed(0)
    net = nn.LazyLinear(1)
    empty = net.weight.data.normal_(0, 0.01)
    assert type(empty) is minigan.Tensor and tuple(empty.shape) == (0,) and empty.dtype == minigan.float32
    assert not empty.requires_grad
    net.bias.data.fill_(0)
    net.weight.data.zero_()
    assert float(net.weight.data.sum()) == 0.0
    assert repr(net.weight.data) == "tensor([])"
    net(minigan.randn(8, 25))
    w = net.weight.detach().numpy()
    assert w.shape == (1, 25) and np.abs(w).max() > 0.01  # the default U(-1/5, 1/5), not N(0, 0.01)
    assert float(net.bias.detach().numpy()[0]) != 0.0


def test_data_before_the_first_call_keeps_the_dtype_asked_for():
    assert nn.LazyLinear(2, dtype=minigan.float64).weight.data.dtype == minigan.float64
    assert nn.LazyLinear(2).to(minigan.float64).bias.data.dtype == minigan.float64


def test_a_lazy_state_dict_into_a_sized_layer_raises_as_pytorch():
    m = nn.Linear(3, 2)
    with pytest.raises(RuntimeError, match="Can't access the shape of an uninitialized parameter"):
        m.load_state_dict(nn.LazyLinear(2).state_dict())
