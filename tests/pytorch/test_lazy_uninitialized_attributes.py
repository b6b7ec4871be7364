"""What a lazy layer's uninitialised parameters and buffers answer before the first call, against PyTorch: their
dtype (the default, or the one Module.to/double/half asked for) and what follows from it (is_floating_point), their
device, requires_grad, is_leaf and grad; their shape, numel and dim raise PyTorch's classes."""

import pytest
from conftest import default_slice

torch = pytest.importorskip("torch")

import minigan  # noqa: E402

LAYERS = {"LazyLinear": lambda nn: nn.LazyLinear(3), "LazyConv2d": lambda nn: nn.LazyConv2d(4, 3),
          "LazyConvTranspose2d": lambda nn: nn.LazyConvTranspose2d(4, 3),
          "LazyBatchNorm1d": lambda nn: nn.LazyBatchNorm1d(), "LazyBatchNorm2d": lambda nn: nn.LazyBatchNorm2d()}
CASTS = {"none": lambda m: m, "double": lambda m: m.double(), "half": lambda m: m.half(),
         "to64": lambda m: m.to(m_dtype(m, "float64")), "float_after_double": lambda m: m.double().float()}
ATTRIBUTES = {"dtype": lambda t: str(t.dtype).split(".")[-1], "is_floating_point": lambda t: t.is_floating_point(),
              "device": lambda t: t.device.type, "requires_grad": lambda t: t.requires_grad,
              "is_leaf": lambda t: t.is_leaf, "grad": lambda t: t.grad, "shape": lambda t: t.shape,
              "numel": lambda t: t.numel(), "dim": lambda t: t.dim()}


def m_dtype(module, name):
    return getattr(torch if isinstance(module, torch.nn.Module) else minigan, name)


def _seen(lib, layer, cast, attribute, default):
    before = lib.get_default_dtype()
    lib.set_default_dtype(getattr(lib, default))
    try:
        m = CASTS[cast](LAYERS[layer](lib.nn))
        out = []
        for name, t in list(m.named_parameters()) + list(m.named_buffers()):
            try:
                out.append((name, ATTRIBUTES[attribute](t)))
            except Exception as e:  # noqa: BLE001 - the exception is the outcome
                out.append((name, "raised", type(e)))
        return out
    finally:
        lib.set_default_dtype(before)


# Every 5th case by default (and each layer, cast, attribute and default dtype, each layer with each cast), the rest
# under -m parity
@pytest.mark.parametrize("layer, cast, attribute, default", default_slice(
    [pytest.param(layer, cast, attribute, default, id=f"{layer}-{cast}-{attribute}-{default}")
     for layer in sorted(LAYERS) for cast in sorted(CASTS) for attribute in sorted(ATTRIBUTES)
     for default in ["float32", "float64"]], 5, cover=["each", lambda layer, cast, *_: (layer, cast)]))
def test_uninitialised_attribute_as_pytorch(layer, cast, attribute, default):
    theirs = _seen(torch, layer, cast, attribute, default)
    ours = _seen(minigan, layer, cast, attribute, default)
    assert [name for name, *_ in ours] == [name for name, *_ in theirs]
    for (name, *t), (_, *o) in zip(theirs, ours):
        if t[0] == "raised":
            assert o[0] == "raised" and issubclass(o[1], t[1]), f"{name}: PyTorch raised {t[1]}, minigan gave {o}"
        else:
            assert o == t, f"{name}: PyTorch {t}, minigan {o}"


def test_the_data_is_made_in_the_dtype_it_showed():
    m = minigan.nn.LazyLinear(2).double()
    shown = m.weight.dtype
    m(minigan.zeros(1, 3, dtype=minigan.float64))
    assert m.weight.dtype == shown == minigan.float64
