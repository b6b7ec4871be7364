"""PyTorch's deprecated functions that it still has are here too, with its warning (its text, the program's name for
the library in it) and its results: ``range``, ``set_default_tensor_type``, ``chain_matmul``, ``nn.init.normal``
and the other init functions without their ``_``, ``nn.utils.clip_grad_norm``, ``Variable(volatile=...)``.

(Its comparisons with PyTorch: tests/pytorch/test_pytorch_deprecated.py.)"""

import pytest

import minigan


def test_range_returns_eleven_floats_and_warns():
    with pytest.warns(UserWarning, match=r"minigan.range is deprecated .* use minigan.arange"):
        r = minigan.range(0, 10)
    assert r.tolist() == [float(i) for i in range(11)] and r.dtype == minigan.float32
