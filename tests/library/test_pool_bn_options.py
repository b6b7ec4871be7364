"""PyTorch's pooling and batch-norm options on their own terms: second derivatives of the pools (gradgradcheck),
ceil_mode fitting a kernel a little larger than the input, max pool's indices in float32, BatchNorm's momentum=None
as the mean of all batches, and track_running_stats=False using the batch in eval.

(Its comparisons with PyTorch: tests/pytorch/test_pool_bn_options.py.)"""

import numpy as np
import pytest

import minigan
import minigan.functional as F
from library.helpers_pool_bn_options import SECOND_ORDER, _distinct
from minigan import nn
from minigan.engine import backend


@pytest.mark.parametrize("name,call", SECOND_ORDER, ids=[c[0] for c in SECOND_ORDER])
def test_pools_gradgradcheck(xp_backend, name, call):
    x = minigan.tensor(_distinct((2, 3, 5, 6)), dtype=np.float64, requires_grad=True)
    assert minigan.gradgradcheck(lambda a: call(F, a), (x,))
    assert minigan.gradgradcheck(lambda a: call(F, a) ** 3, (x,))  # the gradient into the pool depends on x


def test_ceil_mode_can_fit_a_kernel_a_little_larger_than_the_input():
    # PyTorch: ⌈(5 − 6)/2⌉ + 1 = 1 window, which starts inside the input (and runs past it)
    x = minigan.tensor(np.arange(25.0).reshape(1, 1, 5, 5), dtype=np.float64)
    y, idx = F.max_pool2d(x, 6, 2, ceil_mode=True, return_indices=True)
    assert y.item() == 24 and idx.item() == 24
    assert F.avg_pool2d(x, 6, 2, ceil_mode=True).item() == 12  # divided by the 25 pixels it covers


def test_max_pool_indices_and_float32(xp_backend):
    x = minigan.randn(2, 3, 7, 6, requires_grad=True)
    y, idx = F.max_pool2d(x, 3, 2, 1, 2, True, True)
    assert y.dtype == np.float32 and idx.dtype == np.int64 and idx.shape == y.shape and not idx.requires_grad
    flat = backend.asnumpy(x.array).reshape(2, 3, -1)
    picked = np.take_along_axis(flat, backend.asnumpy(idx.array).reshape(2, 3, -1), axis=2)
    np.testing.assert_array_equal(picked.reshape(y.shape), backend.asnumpy(y.array))


def test_batch_norm_momentum_none_is_the_mean_of_all_batches():
    bn = nn.BatchNorm1d(2, momentum=None)
    batches = [np.random.default_rng(i).standard_normal((8, 2)).astype(np.float32) + i for i in range(4)]
    for b in batches:
        bn(minigan.tensor(b))
    np.testing.assert_allclose(bn.running_mean.detach().numpy(), np.mean([b.mean(0) for b in batches], axis=0),
                               rtol=1e-5)
    assert int(bn.num_batches_tracked.item()) == 4


def test_batch_norm_without_running_stats_uses_the_batch_in_eval():
    bn = nn.BatchNorm2d(3, affine=False, track_running_stats=False).eval()
    assert bn.weight is None and bn.running_mean is None and list(bn.state_dict()) == [] and not list(bn.parameters())
    x = np.random.default_rng(0).standard_normal((4, 3, 2, 2)) * 3 + 1
    y = bn(minigan.tensor(x, dtype=np.float64)).detach().numpy()
    expected = (x - x.mean((0, 2, 3), keepdims=True)) / np.sqrt(x.var((0, 2, 3), keepdims=True) + 1e-5)
    np.testing.assert_allclose(y, expected, rtol=1e-10)
    with pytest.raises(ValueError, match=r"BatchNorm2d: need eps > 0 and 0 <= momentum <= 1 \(or momentum=None\)"):
        nn.BatchNorm2d(3, momentum=1.5)
