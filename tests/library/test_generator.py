"""minigan.Generator as torch.Generator: seeded streams of their own for the samplers and the data utilities,
independent of minigan.manual_seed, repeatable, with PyTorch's argument names (generator=) and its DataLoader
arguments in PyTorch's order."""

import numpy as np
import pytest

import minigan
from minigan.utils.data import DataLoader, RandomSampler, TensorDataset, random_split


def _draws(g):
    return [minigan.randn(3, generator=g).detach().numpy(), minigan.rand(2, generator=g).detach().numpy(),
            minigan.randint(0, 10, (4,), generator=g).detach().numpy(), minigan.randperm(5,
                                                                                         generator=g).detach().numpy(),
            minigan.normal(0.0, 1.0, size=(2,), generator=g).detach().numpy(),
            minigan.bernoulli(minigan.full((6,), 0.5), generator=g).detach().numpy(),
            minigan.multinomial(minigan.ones(5), 3, generator=g).detach().numpy(),
            minigan.zeros(3).normal_(generator=g).detach().numpy(),
                minigan.zeros(3).uniform_(generator=g).detach().numpy(),
            minigan.zeros(4).bernoulli_(0.5, generator=g).detach().numpy()]


def test_a_seeded_generator_repeats_and_ignores_the_global_seed():
    minigan.manual_seed(1)
    first = _draws(minigan.Generator().manual_seed(7))
    minigan.manual_seed(2)  # the global stream changes; the generator's does not
    second = _draws(minigan.Generator().manual_seed(7))
    for a, b in zip(first, second):
        np.testing.assert_array_equal(a, b)
    other = _draws(minigan.Generator().manual_seed(8))
    assert not np.array_equal(first[0], other[0])


def test_generator_api():
    g = minigan.Generator()
    assert g.initial_seed() == 67280421310721 and g.device == "cpu"  # PyTorch's default seed
    assert g.manual_seed(3) is g and g.initial_seed() == 3
    state = g.get_state()
    a = minigan.randn(4, generator=g).detach().numpy()
    g.set_state(state)
    np.testing.assert_array_equal(minigan.randn(4, generator=g).detach().numpy(), a)
    assert isinstance(g.seed(), int)
    assert g.manual_seed(-1).initial_seed() == 2**64 - 1  # (a negative seed: its 64 bits, as PyTorch's)
    with pytest.raises(ValueError, match="out of range"):
        g.manual_seed(2**64)
    with pytest.raises(TypeError, match="generator must be a minigan.Generator"):
        minigan.randn(2, generator=3)


def test_data_utilities_take_a_generator():
    data = TensorDataset(minigan.arange(10))
    halves = [random_split(data, [0.5, 0.5], generator=minigan.Generator().manual_seed(42)) for _ in range(2)]
    assert list(halves[0][0].indices) == list(halves[1][0].indices)
    orders = [[int(b[0][0]) for b in DataLoader(data, batch_size=1, shuffle=True,
                                                 generator=minigan.Generator().manual_seed(0))] for _ in range(2)]
    assert orders[0] == orders[1] and sorted(orders[0]) == list(range(10))
    sampled = [list(RandomSampler(data, generator=minigan.Generator().manual_seed(5))) for _ in range(2)]
    assert sampled[0] == sampled[1]


def test_dataloader_takes_pytorchs_arguments_in_order():
    data = TensorDataset(minigan.arange(10.0), minigan.arange(10))
    # (dataset, batch_size, shuffle, sampler, batch_sampler, num_workers, collate_fn, pin_memory, drop_last)
    loader = DataLoader(data, 4, False, None, None, 0, None, False, True)
    assert len(loader) == 2 and [b[1].tolist() for b in loader] == [[0, 1, 2, 3], [4, 5, 6, 7]]
    batches = DataLoader(data, batch_sampler=[[0, 9], [3, 4, 5]])
    assert [b[1].tolist() for b in batches] == [[0, 9], [3, 4, 5]] and len(batches) == 2
    single = list(DataLoader(data, batch_size=None))
    assert len(single) == 10 and single[3][1].item() == 3 and single[3][1].shape == ()
    with pytest.raises(ValueError, match="batch_sampler gives the batches itself"):
        DataLoader(data, batch_size=4, batch_sampler=[[0]])


@pytest.mark.parametrize("name", ["uniform_", "normal_", "xavier_uniform_", "xavier_normal_", "kaiming_uniform_",
                                  "kaiming_normal_", "trunc_normal_", "orthogonal_", "sparse_"])
def test_initialisers_take_a_generator(name):
    fn = getattr(minigan.nn.init, name)
    args = (0.5,) if name == "sparse_" else ()
    if name == "sparse_":  # (PyTorch's sparse_ draws which rows are zero from the default stream, not the generator)
        minigan.manual_seed(9)
    first = fn(minigan.zeros(4, 5), *args, generator=minigan.Generator().manual_seed(1)).detach().numpy()
    minigan.manual_seed(9)
    again = fn(minigan.zeros(4, 5), *args, generator=minigan.Generator().manual_seed(1)).detach().numpy()
    np.testing.assert_array_equal(first, again)


def test_manual_seed_returns_the_default_generator():
    g = minigan.manual_seed(0)
    assert g is minigan.default_generator and isinstance(g, minigan.Generator) and g.initial_seed() == 0
    first = minigan.randn(3, generator=g).detach().numpy()  # the default stream, as torch.default_generator is
    minigan.manual_seed(0)
    np.testing.assert_array_equal(first, minigan.randn(3).detach().numpy())
    state = g.get_state()
    a = minigan.rand(2).detach().numpy()
    g.set_state(state)
    np.testing.assert_array_equal(minigan.rand(2).detach().numpy(), a)
