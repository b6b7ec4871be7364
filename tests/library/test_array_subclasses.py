"""An array of an ndarray subclass (a memmap, as ``np.load(..., mmap_mode="r")`` gives) is a plain array once inside a
tensor: ops ask an input's exact type (backend.ARRAY_TYPES), so the doors hand them plain arrays on the same memory."""

import numpy as np
import pytest

import minigan


@pytest.fixture()
def memmap(tmp_path):
    m = np.memmap(tmp_path / "x.dat", dtype=np.float32, mode="w+", shape=(2, 3))
    m[:] = np.arange(-3, 3, dtype=np.float32).reshape(2, 3)
    return m


def _grad_of_relu_sum(x):
    (x.relu() * x + x.reshape(3, 2).T.sigmoid()).sum().backward()
    return x.grad.array


def test_memmap_data_trains_like_plain_data_at_every_door(memmap):
    plain = minigan.tensor(np.array(memmap), requires_grad=True)
    expected = _grad_of_relu_sum(plain)
    shared = minigan.from_numpy(memmap).requires_grad_()
    assert type(shared.array) is np.ndarray and np.shares_memory(shared.array, memmap)
    for x in (shared, minigan.tensor(memmap, requires_grad=True), minigan.as_tensor(memmap).requires_grad_()):
        np.testing.assert_allclose(_grad_of_relu_sum(x), expected)
    y = minigan.zeros(2, 3, requires_grad=True)
    y.data = memmap
    np.testing.assert_allclose(_grad_of_relu_sum(y), expected)


def test_a_memmap_operand_is_a_constant(memmap):
    x = minigan.ones(2, 3, requires_grad=True)
    (x * memmap).sum().backward()
    np.testing.assert_allclose(x.grad.array, np.array(memmap))
