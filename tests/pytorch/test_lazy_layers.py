"""Lazy layers (nn.LazyLinear, LazyConv*, LazyBatchNorm*) against PyTorch (tests/pytorch/sweep.py):

* sized and initialised at the first call, then the plain layer: the same repr before and after, the same type,
  parameter and buffer shapes, and the same output once the weights are the same; an initialisation applied before
  the first call is discarded (in PyTorch too); an optimizer made before it keeps working; what prints through the
  life cycle (the module, its state dict, a deep copy, the parameters, load_state_dict's result);
* what the uninitialised parameters and buffers answer before the first call: their dtype (the default, or the one
  Module.to/double/half asked for) and what follows from it (is_floating_point), their device, requires_grad,
  is_leaf and grad; their shape, numel and dim raise PyTorch's classes; their data prints as PyTorch's.

(Their torch-free tests: tests/library/test_lazy_layers.py.)
"""

import copy
import itertools

import numpy as np
import pytest
from library.helpers_lazy_layers import CASES, KWARGS

import minigan
from pytorch.oracle import NORM_BIAS
from pytorch.sweep import close, outcome, sweep

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")


def _first_call(L, name, args, shape):
    """The repr before and after the first call, the parameters' count, the type, the state's shapes, and the output
    in evaluation once the state is the same."""
    m = getattr(L.nn, name)(*args, **KWARGS.get(name, {}))
    seen = [repr(m), len(list(m.parameters()))]
    x = L.tensor(np.random.default_rng(0).standard_normal(shape).astype(np.float32))
    m(x)
    state = m.state_dict()
    m.load_state_dict({k: L.tensor(np.random.default_rng(i).uniform(0.5, 1.5, tuple(v.shape)).astype(
        str(v.dtype).split(".")[-1])) for i, (k, v) in enumerate(state.items())})
    m.eval()
    return seen + [type(m).__name__, repr(m), {k: tuple(v.shape) for k, v in state.items()},
                   close(m(x).detach(), 1e-5, 1e-5)]


test_as_pytorchs = sweep(_first_call, [pytest.param(*case, marks=[NORM_BIAS] if "BatchNorm" in case[0] else [])
                                       for case in CASES])  # (a batch norm's repr shows bias=: 2.12's)


def _printed(L, what):
    """What prints, the names made alike."""
    if what == "an initialisation before the first call":  # (discarded)
        net = L.nn.Sequential(L.nn.LazyLinear(4), L.nn.ReLU(), L.nn.Linear(4, 1))
        net.apply(lambda m: L.nn.init.constant_(m.weight, 0.5) if type(m) is L.nn.Linear else None)
        net(L.randn(3, 5))
        return [bool(L.allclose(net[0].weight, L.tensor(0.5)))]
    if what == "data before the first call":
        m = L.nn.LazyLinear(3)
        out = [(tuple(t.data.shape), repr(t.data), str(t.data.normal_(0, 0.01))) for t in (m.weight, m.bias)]
    elif what == "load_state_dict's result":
        m = L.nn.Linear(2, 3)
        out = [repr(m.load_state_dict(m.state_dict())), str(m.load_state_dict({"weight": m.weight.detach()},
                                                                              strict=False)),
               repr(L.nn.LazyLinear(2).load_state_dict(L.nn.LazyLinear(2).state_dict()))]
    else:  # the life cycle: before the first call, an optimizer over the lazy parameters, the call, a step, after
        net = L.nn.Sequential(L.nn.LazyLinear(4), L.nn.ReLU(), L.nn.LazyLinear(1))
        out = [str(net), str(list(net.state_dict().items())), str(copy.deepcopy(net))]
        out += [repr(p) for p in net.parameters()]
        opt = L.optim.SGD(net.parameters(), lr=0.1)
        L.manual_seed(0)
        net(L.ones(2, 3)).sum().backward()
        opt.step()
        out += [str(net), str(copy.deepcopy(net)), str([tuple(v.shape) for v in net.state_dict().values()])]
        fresh = L.nn.Sequential(L.nn.LazyLinear(4), L.nn.ReLU(), L.nn.LazyLinear(1))
        out += [str(fresh.load_state_dict(net.state_dict())), str(fresh), type(fresh[0].weight).__name__]
    return [str(s).replace(L.__name__, "torch") for s in out]


test_a_lazy_layer_prints_as_pytorchs = sweep(_printed, [
    "an initialisation before the first call", "data before the first call", "load_state_dict's result",
    "the life cycle"])

LAYERS = {"LazyLinear": lambda nn: nn.LazyLinear(3), "LazyConv2d": lambda nn: nn.LazyConv2d(4, 3),
          "LazyConvTranspose2d": lambda nn: nn.LazyConvTranspose2d(4, 3),
          "LazyBatchNorm1d": lambda nn: nn.LazyBatchNorm1d(), "LazyBatchNorm2d": lambda nn: nn.LazyBatchNorm2d()}
CASTS = {"none": lambda L, m: m, "double": lambda L, m: m.double(), "half": lambda L, m: m.half(),
         "to64": lambda L, m: m.to(L.float64), "float_after_double": lambda L, m: m.double().float()}
ATTRIBUTES = {"dtype": lambda t: str(t.dtype).split(".")[-1], "is_floating_point": lambda t: t.is_floating_point(),
              "device": lambda t: t.device.type, "requires_grad": lambda t: t.requires_grad,
              "is_leaf": lambda t: t.is_leaf, "grad": lambda t: t.grad, "shape": lambda t: t.shape,
              "numel": lambda t: t.numel(), "dim": lambda t: t.dim()}


def _uninitialised(L, layer, cast, attribute, default):
    """Each parameter's and buffer's name and what the attribute answers (or its refusal), under a default dtype."""
    before = L.get_default_dtype()
    L.set_default_dtype(getattr(L, default))
    try:
        m = CASTS[cast](L, LAYERS[layer](L.nn))
        return [(name, outcome(ATTRIBUTES[attribute], t)) for name, t in [*m.named_parameters(), *m.named_buffers()]]
    finally:
        L.set_default_dtype(before)


# Every 5th case by default (and each layer, cast, attribute and default dtype, each layer with each cast), the rest
# under -m parity
test_uninitialised_attribute_as_pytorch = sweep(_uninitialised, itertools.product(
    sorted(LAYERS), sorted(CASTS), sorted(ATTRIBUTES), ["float32", "float64"]), every=5,
    cover=[lambda layer, cast, *_: (layer, cast)])


def test_the_data_is_made_in_the_dtype_it_showed():
    m = minigan.nn.LazyLinear(2).double()
    shown = m.weight.dtype
    m(minigan.zeros(1, 3, dtype=minigan.float64))
    assert m.weight.dtype == shown == minigan.float64
