"""A tensor meets NumPy's ufuncs on the host (np.exp(t), array * t: minigan/surface/numpy_protocol.py) and leaves a
device array's operators to its own on the GPU: CuPy asks the other operand's __array_ufunc__, and a GPU tensor
answers None, so ``device_array * t`` is ``t.__rmul__(device_array)``, a tensor, as before the host's ufuncs were
taken (the strict stand-in follows CuPy's rule)."""

import numpy as np

import minigan


def test_a_device_array_first_is_the_tensors_operator(xp_backend):
    device = "cpu" if xp_backend is np else "cuda"
    t = minigan.tensor([1.5, 2.0], device=device)
    a = xp_backend.ones(2, dtype=np.float32)
    assert (t.__array_ufunc__ is None) == (device == "cuda")
    for result, expected in ((a * t, [1.5, 2.0]), (a - t, [-0.5, -1.0]), (a + t, [2.5, 3.0])):
        assert isinstance(result, minigan.Tensor) and result.device.type == device
        assert result.cpu().tolist() == expected


def test_numpy_functions_on_a_host_tensor_give_tensors():
    t = minigan.tensor([0.0, 1.0])
    assert np.exp(t).tolist() == [1.0, float(np.exp(np.float32(1.0)))] and isinstance(np.exp(t), minigan.Tensor)
    assert np.isfinite(t).dtype == minigan.uint8
