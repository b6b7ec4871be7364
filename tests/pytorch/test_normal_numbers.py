"""The normal draws' numbers against PyTorch, through every door (``Tensor.normal_``, ``Tensor.uniform_``,
``nn.init.normal_``, and ``torch.normal`` with numbers and a size, a tensor mean, a tensor std, or both), into
tensors of every dtype, with entries and empty, by means and stds that are ordinary, NaN, ±∞, negative, past
float32's range or NumPy scalars.  Values are random, so what is compared is the outcome: PyTorch's dtype and shape,
or its exception class.  As PyTorch: an empty tensor of any dtype takes ``normal_`` of any mean (there is nothing to
draw and nothing is converted), and ``normal(mean, std_tensor)`` fills a tensor of std's dtype with the mean first,
so a mean std's dtype cannot hold is refused (RuntimeError), with entries or not."""

import itertools
import math
import warnings

import numpy as np
import pytest

import minigan
from pytorch.exception_oracle import none_differ, outcome, refused_or_equal

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

NUMBERS = [0.0, 1.0, 2, -1.0, 300, 1e40, math.nan, math.inf, -math.inf, np.float32(0.5)]
DTYPES = ["bool", "uint8", "int8", "int64", "float16", "float32", "float64"]
DOORS = {
    "Tensor.normal_": lambda L, x, mean, std, dt: x.normal_(mean, std),
    "Tensor.uniform_": lambda L, x, mean, std, dt: x.uniform_(mean, std),
    "nn.init.normal_": lambda L, x, mean, std, dt: L.nn.init.normal_(x, mean, std),
    "normal(numbers, size)": lambda L, x, mean, std, dt: L.normal(mean, std, size=tuple(x.shape), dtype=dt),
    "normal(tensor, number)": lambda L, x, mean, std, dt: L.normal(x, std),
    "normal(number, tensor)": lambda L, x, mean, std, dt: L.normal(mean, x),
    "normal(tensor, tensor)": lambda L, x, mean, std, dt: L.normal(x, x.abs()),
}


def _outcome(L, door, dtype, shape, mean, std):
    dt = getattr(L, dtype)
    x = L.ones(shape, dtype=dt)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = outcome(DOORS[door], L, x, mean, std, dt)
    return out if isinstance(out, Exception) else (str(out.dtype).split(".")[-1], tuple(out.shape))


@pytest.mark.parametrize("shape", [(2, 3), (0, 3)], ids=str)
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("door", sorted(DOORS))
def test_normal_takes_the_numbers_pytorchs_takes(door, dtype, shape):
    none_differ([(door, dtype, shape, mean, std) for mean, std in itertools.product(NUMBERS, NUMBERS)], _outcome,
                lambda ours, theirs: refused_or_equal(ours, theirs, one_line=True), torch, minigan)
