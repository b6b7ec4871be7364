"""The modules and flags programs touch at their top, on their own terms: cuda and accelerator queries without a GPU,
backend flags, DataParallel on one device, device= and dtype= on every layer and factory, randint's forms, Size,
inference_mode, the data utilities (Subset, ConcatDataset, random_split, samplers), load's weights_only, and
use_deterministic_algorithms.

(Its comparisons with PyTorch: tests/pytorch/test_surface_modules.py.)"""

import numpy as np
import pytest

import minigan
from minigan import nn


@pytest.mark.skipif(minigan.cuda.is_available(), reason="the answers without a GPU")
def test_cuda_queries_without_a_gpu():
    assert not minigan.cuda.is_available() and minigan.cuda.device_count() == 0 and minigan.cuda.memory_allocated() == 0
    with pytest.raises(minigan.BackendError, match="no GPU"):
        minigan.cuda.current_device()
    with pytest.raises(minigan.BackendError, match="CuPy"):
        minigan.cuda.get_device_name()


def test_accelerator_answers_as_cuda_does():
    assert minigan.accelerator.is_available() == minigan.cuda.is_available()
    acc = minigan.accelerator.current_accelerator()
    assert (acc is None) == (not minigan.cuda.is_available())
    device = acc if minigan.accelerator.is_available() else minigan.device("cpu")
    x = minigan.randn(2, 2, device=device)
    assert x.device.type == device.type and str(x.device) == ("cuda:0" if acc is not None else "cpu")
    with pytest.raises(ValueError, match="minigan runs on one GPU"):
        minigan.accelerator.set_device_index(1)


def test_backend_flags_are_settable_and_mps_is_absent():
    cudnn = minigan.backends.cudnn
    before = cudnn.benchmark, cudnn.deterministic
    try:
        cudnn.benchmark, cudnn.deterministic = True, True
        assert cudnn.benchmark and cudnn.deterministic
    finally:
        cudnn.benchmark, cudnn.deterministic = before
    minigan.backends.cuda.matmul.allow_tf32 = True
    assert not minigan.backends.mps.is_available() and not minigan.backends.mps.is_built()


def test_data_parallel_on_one_device_is_the_module_with_pytorchs_keys():
    minigan.manual_seed(0)
    net = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 1))
    wrapped = nn.DataParallel(net)
    x = minigan.randn(5, 3)
    np.testing.assert_array_equal(wrapped(x).detach().numpy(), net(x).detach().numpy())
    assert wrapped.module is net
    assert list(wrapped.state_dict()) == ["module." + k for k in net.state_dict()]
    assert len(list(wrapped.parameters())) == 4
    with pytest.raises(ValueError, match="minigan runs on one device"):
        nn.parallel.DataParallel(net, device_ids=[0, 1])


@pytest.mark.parametrize("make", [
    lambda **kw: nn.Linear(3, 2, **kw), lambda **kw: nn.Conv2d(1, 2, 3, **kw),
    lambda **kw: nn.ConvTranspose2d(2, 1, 4, stride=2, **kw), lambda **kw: nn.BatchNorm1d(3, **kw),
    lambda **kw: nn.BatchNorm2d(3, **kw), lambda **kw: nn.Embedding(5, 2, **kw),
])
def test_every_layer_with_parameters_takes_device_and_dtype(make):
    layer = make(device="cpu", dtype=minigan.float64)
    floating = [t for t in list(layer.parameters()) + list(layer.buffers()) if t.is_floating_point()]
    assert floating and all(t.dtype == minigan.float64 and t.device == "cpu" for t in floating)
    assert all(t.dtype == minigan.float32 for t in make().parameters())  # the default is unchanged


def test_factories_take_device_and_dtype():
    x = minigan.ones(2, 3)
    for fn in (minigan.zeros_like, minigan.ones_like, minigan.empty_like, minigan.randn_like, minigan.rand_like):
        y = fn(x, dtype=minigan.float64, device="cpu")
        assert y.shape == (2, 3) and y.dtype == minigan.float64 and y.device == "cpu"
    assert minigan.full_like(x, 7, device="cpu").detach().numpy().tolist() == [[7.0] * 3] * 2
    assert not minigan.empty_like(x).detach().numpy().any()


def test_randint_takes_pytorchs_forms():
    minigan.manual_seed(0)
    for t, lo, hi in [(minigan.randint(10, (50,)), 0, 10), (minigan.randint(10, size=(50,)), 0, 10),
                      (minigan.randint(3, 6, (50,)), 3, 6), (minigan.randint(low=3, high=6, size=(50,)), 3, 6),
                      (minigan.randint(high=4, size=(50,)), 0, 4)]:
        assert t.shape == (50,) and t.dtype == minigan.int64
        assert t.detach().numpy().min() >= lo and t.detach().numpy().max() < hi
    assert minigan.randint(5, size=(4,), dtype=minigan.int32).dtype == minigan.int32
    with pytest.raises(TypeError, match="randint: expected"):
        minigan.randint(5)


def test_size_is_a_tuple_with_numel():
    s = minigan.Size([2, 3, 4])
    assert s == (2, 3, 4) and isinstance(s, tuple) and s.numel() == 24 and minigan.Size().numel() == 1
    assert minigan.zeros(2, 3).shape == minigan.Size([2, 3])
    assert repr(s) == "minigan.Size([2, 3, 4])"
    with pytest.raises(TypeError, match="Size: expected a sequence of ints"):
        minigan.Size([2.5])


def test_inference_mode_is_no_grad_as_context_and_decorator():
    w = minigan.ones(2, requires_grad=True)
    with minigan.inference_mode():
        assert minigan.is_inference_mode_enabled()
        assert not (w * 2).requires_grad
    assert (w * 2).requires_grad and not minigan.is_inference_mode_enabled()
    with minigan.inference_mode(False):
        assert (w * 2).requires_grad

    @minigan.inference_mode()
    def predict(x):
        return x * 2

    assert not predict(w).requires_grad and minigan.is_grad_enabled()


def test_subset_concat_random_split_and_samplers():
    from minigan.utils.data import (
        ConcatDataset,
        DataLoader,
        RandomSampler,
        SequentialSampler,
        Subset,
        SubsetRandomSampler,
        TensorDataset,
        random_split,
    )

    data = TensorDataset(minigan.arange(10.0).reshape(10, 1))
    sub = Subset(data, [7, 2, 5])
    assert len(sub) == 3 and sub[0][0].item() == 7.0
    both = ConcatDataset([sub, data])
    assert len(both) == 13 and both[3][0].item() == 0.0 and both[-1][0].item() == 9.0
    minigan.manual_seed(0)
    parts = random_split(data, [0.7, 0.3])
    assert [len(p) for p in parts] == [7, 3]
    assert sorted(parts[0].indices + parts[1].indices) == list(range(10))
    parts = random_split(data, [4, 6], generator=np.random.default_rng(1))
    assert [len(p) for p in parts] == [4, 6]
    with pytest.raises(ValueError, match="add up to the dataset's 10"):
        random_split(data, [4, 5])
    assert list(SequentialSampler(data)) == list(range(10)) and sorted(RandomSampler(data)) == list(range(10))
    loader = DataLoader(data, batch_size=2, sampler=SubsetRandomSampler([1, 3, 5]))
    assert len(loader) == 2 and sorted(float(v) for x in loader for v in x[0].detach().numpy().ravel()) == [1.0, 3.0,
                                                                                                            5.0]
    with pytest.raises(ValueError, match="mutually exclusive"):
        DataLoader(data, sampler=SequentialSampler(data), shuffle=True)


def test_load_takes_weights_only_as_pytorch(tmp_path):
    path = tmp_path / "model.pth"
    minigan.save({"w": minigan.ones(2)}, path)
    for flag in (None, True, False):
        assert minigan.load(path, weights_only=flag)["w"].tolist() == [1.0, 1.0]
    with pytest.raises(TypeError, match="weights_only must be True, False or None"):
        minigan.load(path, weights_only="yes")


def test_use_deterministic_algorithms_is_a_settable_switch():
    try:
        minigan.use_deterministic_algorithms(True, warn_only=True)
        assert minigan.are_deterministic_algorithms_enabled()
        assert minigan.is_deterministic_algorithms_warn_only_enabled()
    finally:
        minigan.use_deterministic_algorithms(False)
    assert not minigan.are_deterministic_algorithms_enabled()
    with pytest.raises(TypeError, match="must be True or False"):
        minigan.use_deterministic_algorithms("yes")
