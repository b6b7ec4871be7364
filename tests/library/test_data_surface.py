"""``minigan.utils.data`` without PyTorch: RandomSampler draws from the generator given (or minigan's), and examples
of uneven sizes are a ShapeError in collation.

(Its comparisons with PyTorch: tests/pytorch/test_data_surface.py.)"""

import pytest

import minigan
import minigan.utils.data as mdata

# ----------------------------------------------------------------------------- RandomSampler


@pytest.mark.parametrize("replacement", [False, True])
@pytest.mark.parametrize("num_samples", [None, 7, 33])
def test_random_sampler_draws_from_the_given_generator_or_minigans(replacement, num_samples):
    def draw(seed=None):
        generator = None if seed is None else minigan.Generator().manual_seed(seed)
        return list(mdata.RandomSampler(list(range(20)), replacement, num_samples, generator=generator))

    assert draw(1) == draw(1) != draw(2)
    minigan.manual_seed(4)
    first = draw()
    minigan.manual_seed(4)
    assert draw() == first != draw()


# ----------------------------------------------------------------------------- datasets


# ----------------------------------------------------------------------------- collation


def test_uneven_examples_are_a_shape_error():
    with pytest.raises(minigan.ShapeError, match="different numbers of fields"):
        mdata.default_collate([[1, 2], [3]])


# ----------------------------------------------------------------------------- DataLoader
