"""PyTorch's legacy constructors take a ``torch.Size`` as sizes: ``torch.FloatTensor(std.size()).normal_()`` (a VAE
tutorial's noise) is a tensor of std's shape, where a plain tuple or list is data.  Every typed constructor,
``Tensor`` and ``x.new``, against PyTorch (shapes and dtypes: the values are uninitialised there)."""

import pytest

import minigan
from pytorch.oracle import HAVE_TORCH

pytestmark = pytest.mark.skipif(not HAVE_TORCH, reason="needs torch (a test-only oracle)")
if HAVE_TORCH:
    import torch

NAMES = ["Tensor", "FloatTensor", "DoubleTensor", "LongTensor", "IntTensor", "ByteTensor", "BoolTensor"]
SHAPES = [(2, 3), (4,), (0,), (1, 2, 3)]


def _made(lib, name, shape, how):
    x = lib.zeros(*shape) if shape else lib.zeros(())
    size = x.size()
    make = getattr(lib, name)
    out = {"size": lambda: make(size), "tuple": lambda: make(tuple(size) or (1,)),
           "new": lambda: x.new(size)}[how]()
    return tuple(out.shape), str(out.dtype).replace("torch.", "").replace("minigan.", "")


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("shape", SHAPES, ids=str)
@pytest.mark.parametrize("how", ["size", "tuple", "new"])
def test_a_size_is_sizes_and_a_tuple_is_data_as_pytorch(name, shape, how):
    if how == "new" and name != "Tensor":
        pytest.skip("x.new is one method")
    assert _made(minigan, name, shape, how) == _made(torch, name, shape, how)


def test_the_vae_tutorials_noise():
    std = minigan.ones(128, 20) * 0.5
    eps = minigan.FloatTensor(std.size()).normal_()
    assert tuple(eps.mul(std).shape) == (128, 20)
