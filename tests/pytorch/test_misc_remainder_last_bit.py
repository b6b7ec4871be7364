"""remainder of a value whose unit in the last place exceeds the divisor: such an x is a multiple of a power of two
above d, so x mod d is decided by x's last bits, and two libraries whose upstream arithmetic rounds one last bit
apart (a matrix product's summation order) give results d apart.  minigan's remainder itself is PyTorch's there,
bit for bit (the same x gives the same result, the sign of a zero too), so a difference is the input's, which the
deep-graph generator names (graph_programs.last_bit_remainder; held-out deep graph 1036616).  Checked: the kernel's
agreement over drawn magnitudes up to 1e300 and divisors of both signs, and that one unit in the last place moves
the result by more than the generator's tolerance for most such x."""

import numpy as np
import pytest

import minigan

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("d", [1.5, -1.5, 0.1, 3.0, -7.25])
def test_remainder_of_huge_values_is_pytorchs_bit_for_bit(d, dtype):
    rng = np.random.default_rng(1036616)
    top = 300 if dtype == "float64" else 37
    x = (rng.choice([-1.0, 1.0], 400) * 10.0 ** rng.uniform(0, top, 400)).astype(dtype)
    x = np.concatenate([x, np.nextafter(x, np.inf), np.nextafter(x, -np.inf)])
    ours = minigan.remainder(minigan.tensor(x), d).numpy()
    theirs = torch.remainder(torch.from_numpy(x), d).numpy()
    bits = f"i{x.itemsize}"
    np.testing.assert_array_equal(ours.view(bits), theirs.view(bits))


def test_one_last_bit_decides_the_result_where_the_ulp_exceeds_the_divisor():
    rng = np.random.default_rng(1)
    x = rng.choice([-1.0, 1.0], 2000) * 10.0 ** rng.uniform(1, 40, 2000)
    big = np.spacing(np.abs(x)) > 1.5
    moved = np.abs(torch.remainder(torch.from_numpy(x), 1.5).numpy()
                   - torch.remainder(torch.from_numpy(np.nextafter(x, np.inf)), 1.5).numpy())
    assert big.sum() > 500 and (moved[big] > 1e-7 * 1.5).mean() > 0.5
