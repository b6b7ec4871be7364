"""``minigan.utils.data`` on its own terms: an epoch visits every example once in batches, the shuffled order changes
each epoch and is reproducible from the seed, a custom dataset is collated into tensors, bad arguments are refused,
and a standard training loop learns through the loader.

(Its comparisons with PyTorch: tests/pytorch/test_data_loader.py.)"""

import numpy as np
import pytest

import minigan
from library.helpers_data_loader import N, Squares
from minigan import nn, optim
from minigan.utils.data import DataLoader, TensorDataset, default_collate


def dataset():
    x = np.arange(N * 2, dtype=np.float32).reshape(N, 2)
    return TensorDataset(minigan.from_numpy(x), np.arange(N))


def indices(loader):
    return [yb.detach().numpy().tolist() for _, yb in loader]


@pytest.mark.parametrize("drop_last", [False, True])
@pytest.mark.parametrize("shuffle", [False, True])
def test_an_epoch_visits_every_example_once_in_batches(shuffle, drop_last):
    loader = DataLoader(dataset(), batch_size=5, shuffle=shuffle, drop_last=drop_last)
    batches = indices(loader)
    assert len(batches) == len(loader) == (4 if drop_last else 5)
    assert [len(b) for b in batches] == [5] * 4 + ([] if drop_last else [3])
    seen = [i for b in batches for i in b]
    assert len(set(seen)) == len(seen) and set(seen) <= set(range(N))  # no example twice
    assert sorted(seen) == list(range(20 if drop_last else N)) or shuffle  # in order: the first 20, or all
    assert (seen == sorted(seen)) != shuffle or len(seen) < 2
    for xb, yb in loader:  # each example keeps its own label, as Tensors of the stored dtypes
        assert isinstance(xb, minigan.Tensor) and xb.dtype == np.float32 and yb.dtype == np.int64
        np.testing.assert_array_equal(xb.detach().numpy()[:, 0], 2 * yb.detach().numpy())


def test_shuffled_order_changes_each_epoch_and_is_reproducible():
    loader = DataLoader(dataset(), batch_size=4, shuffle=True)
    minigan.manual_seed(5)
    first, second = indices(loader), indices(loader)
    assert first != second  # a fresh order each epoch
    minigan.manual_seed(5)
    assert indices(loader) == first  # manual_seed repeats the run
    a = DataLoader(dataset(), batch_size=4, shuffle=True, generator=np.random.default_rng(7))
    b = DataLoader(dataset(), batch_size=4, shuffle=True, generator=np.random.default_rng(7))
    minigan.manual_seed(1)
    order = indices(a)
    minigan.manual_seed(2)  # a generator alone decides the order
    assert indices(b) == order


def test_a_custom_dataset_is_collated_into_tensors():
    batches = list(DataLoader(Squares(), batch_size=3))
    xb, yb = batches[0]
    np.testing.assert_array_equal(xb.detach().numpy(), [[0, 0], [1, 1], [2, 4]])
    assert yb.dtype == np.int64 and yb.detach().numpy().tolist() == [0, 1, 2]
    assert [len(y.detach().numpy()) for _, y in batches] == [3, 3, 1]
    collated = default_collate([{"x": np.ones(2, np.float32), "w": 0.5}, {"x": np.zeros(2, np.float32), "w": 1.5}])
    assert collated["x"].shape == (2, 2) and collated["x"].dtype == np.float32
    assert collated["w"].dtype == np.float64  # Python floats collate to float64, as in PyTorch
    assert default_collate(["a", "b"]) == ["a", "b"]  # strings stay strings, as PyTorch's
    assert default_collate([(1, "a.png", True), (2, "b.png", False)])[1:][0] == ("a.png", "b.png")
    assert default_collate([True, False]).dtype == np.bool_
    with pytest.raises(TypeError, match="cannot batch examples of type object"):
        default_collate([object(), object()])


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError, match="batch_size must be a positive int, got 0"):
        DataLoader(dataset(), batch_size=0)
    with pytest.raises(TypeError, match="shuffle must be True or False"):
        DataLoader(dataset(), shuffle=1)
    with pytest.raises(TypeError, match=r"generator must be a minigan.Generator \(or a numpy.random.Generator\)"):
        DataLoader(dataset(), shuffle=True, generator=7)
    with pytest.raises(TypeError, match="dataset must define __getitem__ and __len__"):
        DataLoader(5)
    with pytest.raises(ValueError, match=r"tensor 1 has shape \(4,\), but tensor 0 has shape \(3, 2\)"):
        TensorDataset(minigan.zeros(3, 2), minigan.zeros(4))


def test_a_training_loop_learns_through_the_loader():
    """The tutorial loop: for epoch: for x, y in loader: zero_grad, forward, loss, backward, step."""
    rng = np.random.default_rng(0)
    x = rng.standard_normal((256, 2)).astype(np.float32)
    y = (x[:, 0] + x[:, 1] > 0).astype(np.int64)  # two linearly separable classes
    loader = DataLoader(TensorDataset(minigan.from_numpy(x), minigan.from_numpy(y)), batch_size=32, shuffle=True,
                        num_workers=2, pin_memory=True)  # accepted, loaded in this process
    model = nn.Linear(2, 2)
    criterion = nn.CrossEntropyLoss()
    opt = optim.SGD(model.parameters(), lr=0.5)

    def accuracy():
        with minigan.no_grad():
            return float((model(minigan.from_numpy(x)).detach().numpy().argmax(1) == y).mean())

    before = accuracy()
    for _ in range(5):
        for xb, yb in loader:
            opt.zero_grad()
            loss = criterion(model(xb), yb)
            loss.backward()
            opt.step()
    assert accuracy() > max(0.95, before + 0.2)
