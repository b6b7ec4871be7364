"""Lazy layers (nn.LazyLinear, LazyConv*, LazyBatchNorm*) behave as PyTorch's: sized and
initialised at the first call, then the plain layer; every use of a weight before that raises; an initialisation
applied before the first call is discarded; an optimizer made before it keeps working.

(Its torch-free tests: tests/library/test_lazy_layers.py.)"""

import copy

import numpy as np
import pytest
from library.helpers_lazy_layers import CASES, KWARGS, ours

import minigan
from minigan import nn
from pytorch.oracle import NORM_BIAS

try:
    import torch
except ImportError:  # the properties below still run; only the side-by-side comparisons skip
    torch = None

needs_torch = pytest.mark.skipif(torch is None, reason="needs torch (a test-only oracle)")


@needs_torch
@pytest.mark.parametrize("name,args,shape", [pytest.param(*case, marks=[NORM_BIAS] if "BatchNorm" in case[0] else [])
                                             for case in CASES])  # (a batch norm's repr shows bias=: 2.12's)
def test_as_pytorchs(name, args, shape):
    """Same repr before and after, same type, same parameter and buffer shapes, and the same output once the
    weights are the same."""
    mine, theirs = ours(name, args), getattr(torch.nn, name)(*args, **KWARGS.get(name, {}))
    assert repr(mine) == repr(theirs)
    assert len(list(mine.parameters())) == len(list(theirs.parameters()))
    x = np.random.default_rng(0).standard_normal(shape).astype(np.float32)
    mine(minigan.tensor(x))
    theirs(torch.tensor(x))
    assert type(mine).__name__ == type(theirs).__name__
    assert repr(mine) == repr(theirs)
    theirs_state = {k: v.detach().numpy() for k, v in theirs.state_dict().items()}
    assert {k: tuple(v.shape) for k, v in mine.state_dict().items()} == {k: v.shape for k, v in theirs_state.items()}
    mine.load_state_dict(theirs_state)
    mine.eval(), theirs.eval()
    np.testing.assert_allclose(mine(minigan.tensor(x)).detach().numpy(), theirs(torch.tensor(x)).detach().numpy(),
                               rtol=1e-5, atol=1e-5)


@needs_torch
def test_an_initialisation_before_the_first_call_is_discarded_in_pytorch_too():
    def init(module):
        if type(module) == torch.nn.Linear:  # noqa: E721
            torch.nn.init.constant_(module.weight, 0.5)

    net = torch.nn.Sequential(torch.nn.LazyLinear(4), torch.nn.ReLU(), torch.nn.Linear(4, 1))
    net.apply(init)
    net(torch.randn(3, 5))
    assert not torch.allclose(net[0].weight, torch.tensor(0.5))


@needs_torch
def test_data_before_the_first_call_as_pytorchs():
    ours_, theirs = nn.LazyLinear(3), torch.nn.LazyLinear(3)
    for a, b in ((ours_.weight.data, theirs.weight.data), (ours_.bias.data, theirs.bias.data)):
        assert tuple(a.shape) == tuple(b.shape) and repr(a) == repr(b)
        assert str(a.normal_(0, 0.01)) == str(b.normal_(0, 0.01))


@needs_torch
def test_load_state_dict_prints_as_pytorchs():
    mine, theirs = nn.Linear(2, 3), torch.nn.Linear(2, 3)
    assert repr(mine.load_state_dict(mine.state_dict())) == repr(theirs.load_state_dict(theirs.state_dict()))
    assert str(mine.load_state_dict({"weight": mine.weight.detach()}, strict=False)) == str(
        theirs.load_state_dict({"weight": theirs.weight.detach()}, strict=False))
    # a lazy state dict into a lazy layer: nothing to load, every key matched
    assert repr(nn.LazyLinear(2).load_state_dict(nn.LazyLinear(2).state_dict())) == "<All keys matched successfully>"


@needs_torch
def test_lazy_layer_life_cycle_prints_as_pytorchs():
    """print the module, its state dict and a deep copy before the first call, an optimizer over the lazy
    parameters, the first call, a step, and the same prints after."""
    def story(lib):
        out = []
        net = lib.nn.Sequential(lib.nn.LazyLinear(4), lib.nn.ReLU(), lib.nn.LazyLinear(1))
        out += [str(net), str(list(net.state_dict().items())), str(copy.deepcopy(net))]
        out += [repr(p) for p in net.parameters()]
        opt = lib.optim.SGD(net.parameters(), lr=0.1)
        lib.manual_seed(0)
        x = lib.ones(2, 3)
        net(x).sum().backward()
        opt.step()
        out += [str(net), str(copy.deepcopy(net)), str([tuple(v.shape) for v in net.state_dict().values()])]
        fresh = lib.nn.Sequential(lib.nn.LazyLinear(4), lib.nn.ReLU(), lib.nn.LazyLinear(1))
        out += [str(fresh.load_state_dict(net.state_dict())), str(fresh), type(fresh[0].weight).__name__]
        return [s.replace("torch", "minigan") for s in out]

    assert story(minigan) == story(torch)
