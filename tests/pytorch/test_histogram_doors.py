"""histogram's door against PyTorch: the range it refuses (not two numbers, not finite, min > max, and the data's own
range when it holds ±inf or NaN) with PyTorch's class (RuntimeError; NumPy's ValueError came out), and the values
where it runs (a range of one point is widened by ½ each side, as both do)."""

import numpy as np
import pytest

import minigan
from pytorch.exception_oracle import outcome

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

DATA = [0.5, 1.0, 3.0, -1.0, 2.25]
CASES = {
    "range of one number": (DATA, {"range": [1.0]}), "range of three": (DATA, {"range": (0.0, 1.0, 2.0)}),
    "min > max": (DATA, {"range": (1.0, 0.5)}), "infinite max": (DATA, {"range": (-1.0, float("inf"))}),
    "NaN min": (DATA, {"range": (float("nan"), 1.0)}), "data with inf": (DATA + [float("inf")], {}),
    "data with NaN": (DATA + [float("nan")], {}), "data with -inf, range given": (DATA + [-float("inf")],
                                                                                   {"range": (0.0, 2.0)}),
    "min = max": (DATA, {"range": (1.0, 1.0)}), "one value": ([2.0, 2.0], {}), "density": (DATA, {"density": True}),
}


def _call(lib, name):
    data, kw = CASES[name]
    return outcome(lambda: lib.histogram(lib.tensor(data, dtype=lib.float64), 4, **kw))


@pytest.mark.parametrize("name", list(CASES))
def test_histogram_refuses_and_counts_as_pytorch(name):
    ours, theirs = _call(minigan, name), _call(torch, name)
    if isinstance(theirs, Exception):
        assert isinstance(ours, RuntimeError) and isinstance(theirs, RuntimeError), (ours, theirs)
        return
    assert not isinstance(ours, Exception), ours
    for m, t in zip(ours, theirs):
        np.testing.assert_allclose(m.numpy(), t.numpy(), rtol=1e-12)


EDGES = [[0.0, 2.0, 1.0, 4.0], [0.0, 1.0, 1.0, 2.0], [3.0, 1.0, 2.0, 0.0], [0.0, 1.0, 2.0, 4.0], [1.0, 1.0],
         [0.0, 5.0, 3.0, 3.0, 1.0, 4.0, 2.0]]


@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("density", [False, True])
@pytest.mark.parametrize("edges", EDGES, ids=[str(e) for e in EDGES])
def test_bin_edges_in_any_order_count_as_pytorchs_binary_search(edges, density, weighted):
    data = [0.5, 1.0, 3.0, -1.0, 4.0, 2.0, float("nan"), 0.0]  # (NumPy's histogram refused edges out of order)
    out = []
    for lib in (minigan, torch):
        kw = {"weight": lib.tensor(np.arange(8.0))} if weighted else {}
        out.append(lib.histogram(lib.tensor(data, dtype=lib.float64), lib.tensor(edges, dtype=lib.float64),
                                 density=density, **kw))
    (ours_hist, ours_edges), (hist, bin_edges) = out
    np.testing.assert_allclose(ours_hist.numpy(), hist.numpy(), rtol=1e-12, equal_nan=True)
    np.testing.assert_array_equal(ours_edges.numpy(), bin_edges.numpy())
