"""``state_dict()`` values on their own terms: Tensors sharing the parameters' memory, ``copy.deepcopy`` a snapshot,
a saved state dict loads as Tensors, a checkpoint of NumPy arrays (older minigan files) still loads, and
``np.array(sd[k], copy=True)`` owns its memory.

(Its comparisons with PyTorch: tests/pytorch/test_save_load.py.)"""

import copy
import io

import numpy as np

import minigan
from library.helpers_state_dict_tensors import net
from minigan import nn


def test_values_are_tensors_sharing_the_memory():
    m = net(minigan)
    sd = m.state_dict()
    assert all(type(v) is minigan.Tensor and not v.requires_grad for v in sd.values())
    assert sd["0.weight"].size() == minigan.Size([2, 3]) and sd["1.running_mean"].shape == (2,)
    assert sd["0.weight"].data_ptr() == m[0].weight.data_ptr()
    assert sd["1.running_var"].data_ptr() == m[1].running_var.data_ptr()
    with minigan.no_grad():
        m[0].weight.add_(1.0)
    m.train()(minigan.randn(4, 3))  # updates the running statistics in place
    np.testing.assert_array_equal(sd["0.weight"].numpy(), m[0].weight.detach().numpy())
    np.testing.assert_array_equal(sd["1.running_mean"].numpy(), m[1].running_mean.numpy())
    assert int(sd["1.num_batches_tracked"]) == 1


def test_deepcopy_is_a_snapshot():
    m = net(minigan)
    best = copy.deepcopy(m.state_dict())
    before = best["0.weight"].numpy().copy()
    with minigan.no_grad():
        m[0].weight.mul_(0.0)
    np.testing.assert_array_equal(best["0.weight"].numpy(), before)
    m.load_state_dict(best)
    np.testing.assert_array_equal(m[0].weight.detach().numpy(), before)


def test_save_and_load_round_trip_as_tensors(tmp_path):
    m = net(minigan)
    minigan.save(m.state_dict(), tmp_path / "m.pt")
    back = minigan.load(tmp_path / "m.pt")
    assert all(type(v) is minigan.Tensor for v in back.values())
    assert back["1.num_batches_tracked"].dtype == minigan.int64
    fresh = nn.Sequential(nn.Linear(3, 2), nn.BatchNorm1d(2))
    fresh.load_state_dict(back)
    for k, v in m.state_dict().items():
        np.testing.assert_array_equal(fresh.state_dict()[k].numpy(), v.numpy())


def test_a_checkpoint_of_numpy_arrays_still_loads():
    m = net(minigan)
    arrays = {k: v.numpy().copy() for k, v in m.state_dict().items()}  # what state_dict() gave before
    buffer = io.BytesIO()
    minigan.save(arrays, buffer)
    buffer.seek(0)
    back = minigan.load(buffer)
    assert all(isinstance(v, np.ndarray) for v in back.values())
    fresh = nn.Sequential(nn.Linear(3, 2), nn.BatchNorm1d(2))
    fresh.load_state_dict(back)
    np.testing.assert_array_equal(fresh[0].weight.detach().numpy(), arrays["0.weight"])


def test_numpy_array_copy_true_is_a_snapshot():
    """``np.array(sd[k], copy=True)`` (a lesson's snapshot of the weights) owns its memory, as with PyTorch's
    tensors; ``np.asarray`` shares it."""
    m = nn.Linear(2, 2)
    sd = m.state_dict()
    snapshot, shared = np.array(sd["weight"], copy=True), np.asarray(sd["weight"])
    with minigan.no_grad():
        m.weight.add_(1.0)
    np.testing.assert_array_equal(shared, m.weight.detach().numpy())
    np.testing.assert_array_equal(snapshot + 1.0, m.weight.detach().numpy())
