"""unique against PyTorch at its edges: each NaN is a value of its own (sorted last; NumPy's unique had merged them),
with the inverse and the counts that follow; and with dim=, a dimension of size 0 other than dim is refused
(RuntimeError), the dim itself of size 0 gives empty results."""

import numpy as np
import pytest

import minigan

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

NAN = float("nan")


@pytest.mark.parametrize("values", [[1.0, NAN, 2.0, NAN, 1.0], [NAN, NAN], [[NAN, 0.5], [0.5, -1.0]], [3.0, 1.0]])
@pytest.mark.parametrize("sorted_", [True, False])
def test_each_nan_is_its_own_value(values, sorted_):
    out = [lib.unique(lib.tensor(values, dtype=lib.float64), sorted=sorted_, return_inverse=True, return_counts=True)
           for lib in (minigan, torch)]
    for m, t in zip(*out):
        np.testing.assert_array_equal(m.numpy(), t.numpy())


@pytest.mark.parametrize("shape, dim", [((0, 3), 0), ((0, 3), 1), ((2, 0), 0), ((2, 0), 1), ((0,), 0), ((2, 0, 3), 2)])
def test_a_dimension_of_size_0_other_than_dim_is_refused(shape, dim):
    def call(lib):
        try:
            return lib.unique(lib.zeros(shape, dtype=lib.float64), dim=dim, return_inverse=True, return_counts=True)
        except Exception as e:  # noqa: BLE001 - the refusal is compared
            return e
    ours, theirs = call(minigan), call(torch)
    if isinstance(theirs, Exception):
        assert isinstance(ours, RuntimeError) and isinstance(theirs, RuntimeError), (ours, theirs)
        return
    assert not isinstance(ours, Exception), ours
    assert [tuple(m.shape) for m in ours] == [tuple(t.shape) for t in theirs]
