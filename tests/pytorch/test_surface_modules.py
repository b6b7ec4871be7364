"""The modules and flags programs touch at their top: accelerator, backends, nn.parallel.DataParallel,
factory keywords (device=, dtype=), randint's forms, Size, inference_mode.

(Its torch-free tests: tests/library/test_surface_modules.py.)"""

import pickle

import pytest

import minigan


def test_shape_is_a_size_as_in_pytorch():
    x = minigan.zeros(2, 3)
    layer = minigan.nn.Linear(3, 4)
    for shape in (x.shape, x.size(), layer.weight.shape, layer(x).shape, x[0].shape):
        assert type(shape) is minigan.Size
    assert str(x.shape) == repr(x.shape) == "minigan.Size([2, 3])" and repr(type(x.shape)) == "<class 'minigan.Size'>"
    assert x.shape == (2, 3) and x.shape[1:].numel() == 3 and x.shape[0] == 2 and type(x.shape[0]) is int
    for made in (x.shape[1:], x.shape + (1,), (1,) + x.shape, x.shape * 2):
        assert type(made) is minigan.Size  # as torch.Size's
    assert x.shape + (1,) == (2, 3, 1) and (1,) + x.shape == (1, 2, 3)
    assert pickle.loads(pickle.dumps(x.shape)) == x.shape and type(pickle.loads(pickle.dumps(x.shape))) is minigan.Size
    assert minigan.zeros(x.shape).shape == x.shape and x.view(x.shape[::-1]).shape == (3, 2)
    assert x.new_zeros(x.shape).shape == x.expand(x.shape).shape == (2, 3) and hash(x.shape) == hash((2, 3))
    torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")
    assert minigan.ones(torch.Size([2, 3])).reshape(torch.Size([3, 2])).shape == (3, 2)  # a torch.Size is a shape
