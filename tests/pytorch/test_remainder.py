"""remainder against PyTorch (tests/pytorch/sweep.py), through the function, the method, %, ``__rmod__`` and in place:

* of floats it is PyTorch's kernel: fmod, then the divisor added where the two signs differ, so an exact multiple
  keeps the dividend's zero (−3 % 1.5 is −0.0, 3 % −1.5 is +0.0, where NumPy's remainder gives the divisor's sign),
  values near 1e17 included; ±∞ and NaN divisors and dividends, float32 and float64, broadcasting: bit for bit;
* of a value whose unit in the last place exceeds the divisor: such an x is a multiple of a power of two above d, so
  x mod d is decided by x's last bits, and two libraries whose upstream arithmetic rounds one last bit apart (a
  matrix product's summation order) give results d apart.  minigan's remainder itself is PyTorch's there, bit for bit
  (drawn magnitudes up to 1e300, divisors of both signs), so a difference is the input's, which the deep-graph
  generator names (graph_programs.last_bit_remainder; held-out deep graph 1036616);
* with a number first (torch.remainder(2, x), 2 % x, x.__rmod__(2), a NumPy scalar too) it is PyTorch's
  remainder.Scalar_Tensor, which has no derivative: the result requires grad and a backward through it raises a
  RuntimeError ("derivative for aten::remainder is not implemented"); a tensor first (a 0-d one too) differentiates.
"""

import itertools

import numpy as np
import pytest

from pytorch.sweep import bits, outcome, sweep

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

VALUES = np.array([-3.0, 3.0, -0.0, 0.0, 1.5, -1.5, -1.2e17, -1e17, 1e17, -4.5, 7.25, np.inf, -np.inf, np.nan, 0.1])
DIVISORS = np.array([1.5, -1.5, 0.25, -2.0, np.inf, -np.inf, np.nan, 3.0])
DOORS = {"function": lambda L, x, y: L.remainder(x, y), "method": lambda L, x, y: x.remainder(y),
         "operator": lambda L, x, y: x % y, "inplace": lambda L, x, y: x.expand(-1, y.shape[1]).clone().remainder_(y),
         "scalar": lambda L, x, y: L.remainder(x, 1.5)}


def _kernel(L, door, dtype):
    x, y = L.tensor(VALUES[:, None].astype(dtype)), L.tensor(DIVISORS[None, :].astype(dtype))
    return bits(DOORS[door](L, x, y))


test_remainder_is_pytorchs_kernel = sweep(_kernel, list(itertools.product(DOORS, ["float64", "float32"])))


def _huge(L, d, dtype):
    rng = np.random.default_rng(1036616)
    x = (rng.choice([-1.0, 1.0], 400) * 10.0 ** rng.uniform(0, 300 if dtype == "float64" else 37, 400)).astype(dtype)
    x = np.concatenate([x, np.nextafter(x, np.inf), np.nextafter(x, -np.inf)])
    return bits(L.remainder(L.tensor(x), d))


test_remainder_of_huge_values_is_pytorchs_bit_for_bit = sweep(
    _huge, list(itertools.product([1.5, -1.5, 0.1, 3.0, -7.25], ["float64", "float32"])))


def test_one_last_bit_decides_the_result_where_the_ulp_exceeds_the_divisor():
    rng = np.random.default_rng(1)
    x = rng.choice([-1.0, 1.0], 2000) * 10.0 ** rng.uniform(1, 40, 2000)
    big = np.spacing(np.abs(x)) > 1.5
    moved = np.abs(torch.remainder(torch.from_numpy(x), 1.5).numpy()
                   - torch.remainder(torch.from_numpy(np.nextafter(x, np.inf)), 1.5).numpy())
    assert big.sum() > 500 and (moved[big] > 1e-7 * 1.5).mean() > 0.5


NUMBER_FIRST = {
    "remainder(2, x)": lambda L, x: L.remainder(2, x),
    "remainder(2.5, x)": lambda L, x: L.remainder(2.5, x),
    "remainder(np.int64(2), x)": lambda L, x: L.remainder(np.int64(2), x),
    "2 % x": lambda L, x: 2 % x,
    "x.__rmod__(3)": lambda L, x: x.__rmod__(3),
    "remainder(x, 2)": lambda L, x: L.remainder(x, 2),
    "x % x": lambda L, x: x % (x.detach() + 3),
    "remainder(0-d tensor, x)": lambda L, x: L.remainder(L.tensor(2.0, dtype=L.float64), x),
}


def _number_first(L, call):
    x = L.tensor([1.5, -2.5, 4.0], dtype=L.float64, requires_grad=True)
    y = NUMBER_FIRST[call](L, x)
    return y.detach(), y.requires_grad, outcome(lambda: L.autograd.grad(y.sum(), [x])[0])


test_remainder_of_a_number_has_no_derivative = sweep(_number_first, list(NUMBER_FIRST))
