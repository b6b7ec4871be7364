"""histogram's weight by its shape, against PyTorch: the input is read flattened, so a weight of any shape with as
many entries is taken (weight (3,) for an input (1, 3), (3, 2) for (2, 3), () for a 0-d input), and a weight with
another number of entries is refused (RuntimeError); with bins as a count or as edges, density or not."""

import itertools

import numpy as np
import pytest

import minigan
from pytorch.exception_oracle import none_differ, outcome, refused_or_equal

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

INPUTS = [(1, 3), (2, 3), (6,), (), (3, 1, 2)]
WEIGHTS = [(3,), (1, 3), (3, 1), (6,), (3, 2), (2, 3, 1), (1,), (), (4,), (2, 3)]


def _outcome(L, x_shape, w_shape, bins, density):
    n, m = int(np.prod(x_shape)), int(np.prod(w_shape))
    x = L.tensor(np.linspace(-2.0, 2.5, n).reshape(x_shape))
    w = L.tensor(np.linspace(0.5, 3.0, m).reshape(w_shape))
    b = bins if isinstance(bins, int) else L.tensor(bins)
    out = outcome(L.histogram, x, b, weight=w, density=density)
    return out if isinstance(out, Exception) else (out[0].tolist(), out[1].tolist())


@pytest.mark.parametrize("bins", [3, [-2.0, 0.0, 1.0, 2.5]], ids=str)
@pytest.mark.parametrize("density", [False, True])
def test_histogram_takes_a_weight_with_the_inputs_number_of_entries(bins, density):
    none_differ([(x_shape, w_shape, bins, density) for x_shape, w_shape in itertools.product(INPUTS, WEIGHTS)],
                _outcome, lambda ours, theirs: refused_or_equal(
                    ours, theirs, equal=lambda o, t: all(np.allclose(a, b) for a, b in zip(o, t))), torch, minigan)
