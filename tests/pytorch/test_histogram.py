"""histogram and histc against PyTorch (tests/pytorch/sweep.py):

* bin edges given as a tensor must have the input's dtype (PyTorch's RuntimeError otherwise), and with it the counts
  are PyTorch's;
* the range it refuses (not two numbers, not finite, min > max, and the data's own range when it holds ±inf or NaN)
  with PyTorch's class (RuntimeError; NumPy's ValueError came out), and the values where it runs (a range of one
  point is widened by ½ each side, as both do); bin edges in any order count as PyTorch's binary search (NumPy's
  histogram refused edges out of order);
* the weight by its shape: the input is read flattened, so a weight of any shape with as many entries is taken
  (weight (3,) for an input (1, 3), (3, 2) for (2, 3), () for a 0-d input), and a weight with another number of
  entries is refused (RuntimeError); with bins as a count or as edges, density or not;
* with a number of bins: the edges are PyTorch's linspace over the range (the data's own, widened by ½ on each side
  when it is one value), counted in the input's dtype with the second half counted down from the right edge, and
  every value is binned by those edges (a value equal to an edge in the bin to its right, the right edge in the last
  bin), so a value on an inner edge lands where PyTorch's does; density divides by the total, then by each bin's
  width.  Bit for bit: float32 and float64, 0-d, empty and repeated values, ranges given or not, weights (added in
  the input's dtype, one after another: float32's sum rounds at each step) and density (the total, then each width,
  divided out in turn) (surface seed 11922325: one value 0.967 in two bins, on the middle edge);
* histc's range: the given [min, max], or the data's own when min equals max, must be finite (a ±inf or NaN among
  the data refuses with PyTorch's RuntimeError, where NumPy's ValueError leaked out of its bincount).
"""

import itertools
import math

import numpy as np
import pytest

from pytorch.sweep import bits, close, sweep

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

INF, NAN = math.inf, math.nan


def _bins_dtype(L, input_dtype, bins_dtype):
    x = L.tensor([0.5, 1.0, 2.5, 3.0, 4.75, 6.0], dtype=getattr(L, input_dtype))
    return L.histogram(x, L.tensor([0, 2, 5, 7], dtype=getattr(L, bins_dtype)))


test_histogram_bin_edges_take_the_input_dtype_as_pytorchs = sweep(
    _bins_dtype, list(itertools.product(["float32", "float64"], ["int64", "int32", "float32", "float64"])))

DATA = [0.5, 1.0, 3.0, -1.0, 2.25]
RANGES = {
    "range of one number": (DATA, {"range": [1.0]}), "range of three": (DATA, {"range": (0.0, 1.0, 2.0)}),
    "min > max": (DATA, {"range": (1.0, 0.5)}), "infinite max": (DATA, {"range": (-1.0, INF)}),
    "NaN min": (DATA, {"range": (NAN, 1.0)}), "data with inf": (DATA + [INF], {}), "data with NaN": (DATA + [NAN], {}),
    "data with -inf, range given": (DATA + [-INF], {"range": (0.0, 2.0)}), "min = max": (DATA, {"range": (1.0, 1.0)}),
    "one value": ([2.0, 2.0], {}), "density": (DATA, {"density": True}),
}


def _ranges(L, name):
    data, kw = RANGES[name]
    return [close(t, 1e-12) for t in L.histogram(L.tensor(data, dtype=L.float64), 4, **kw)]


test_histogram_refuses_and_counts_as_pytorch = sweep(_ranges, list(RANGES))
EDGES = [[0.0, 2.0, 1.0, 4.0], [0.0, 1.0, 1.0, 2.0], [3.0, 1.0, 2.0, 0.0], [0.0, 1.0, 2.0, 4.0], [1.0, 1.0],
         [0.0, 5.0, 3.0, 3.0, 1.0, 4.0, 2.0]]


def _edges(L, edges, density, weighted):
    data = [0.5, 1.0, 3.0, -1.0, 4.0, 2.0, NAN, 0.0]
    kw = {"weight": L.tensor(np.arange(8.0))} if weighted else {}
    hist, edges = L.histogram(L.tensor(data, dtype=L.float64), L.tensor(edges, dtype=L.float64), density=density, **kw)
    return close(hist, 1e-12), edges


test_bin_edges_in_any_order_count_as_pytorchs_binary_search = sweep(
    _edges, list(itertools.product(EDGES, [False, True], [False, True])))
INPUTS = [(1, 3), (2, 3), (6,), (), (3, 1, 2)]
WEIGHTS = [(3,), (1, 3), (3, 1), (6,), (3, 2), (2, 3, 1), (1,), (), (4,), (2, 3)]


def _weights(L, bins, density, x_shape, w_shape):
    x = L.tensor(np.linspace(-2.0, 2.5, int(np.prod(x_shape))).reshape(x_shape))
    w = L.tensor(np.linspace(0.5, 3.0, int(np.prod(w_shape))).reshape(w_shape))
    b = bins if isinstance(bins, int) else L.tensor(bins)
    return [close(t, 1e-5, 1e-8) for t in L.histogram(x, b, weight=w, density=density)]


test_histogram_takes_a_weight_with_the_inputs_number_of_entries = sweep(
    _weights, [(b, d, x, w) for b in [3, [-2.0, 0.0, 1.0, 2.5]] for d in [False, True] for x in INPUTS
               for w in WEIGHTS], group=lambda b, d, x, w: f"{b}-{d}")
rng = np.random.default_rng(11922325)
VALUES = {
    "one value": np.array(0.967), "repeated": np.array([0.967, 0.967, 0.967]), "zeros": np.array([0.0, -0.0]),
    "thirds": np.array([0.1, 0.2, 0.3, 0.4, 0.7, 0.9, 1.0]), "random": rng.normal(size=(4, 5)).round(3),
    "integers": np.arange(-6, 7, dtype=np.float64), "on edges": np.linspace(-1.7, 2.3, 31),
    "with inf": np.array([np.inf, -np.inf, 0.25, 0.5]), "with nan": np.array([np.nan, 0.25, 0.5, 1.0]),
    "empty": np.zeros((0, 3)),
}


def _count(L, weighted, density, dtype, name, bins, range_):
    values = VALUES[name]
    x = L.tensor(values.astype(dtype))
    w = L.tensor((np.arange(values.size, dtype=dtype).reshape(values.shape) * 0.37 - 1.097).astype(dtype)) \
        if weighted else None
    hist, edges = L.histogram(x, bins, weight=w, density=density, **({} if range_ is None else {"range": range_}))
    # weighted densities: divided by a total whose rounding follows PyTorch's vectorised sum (where the weights
    # cancel, float64's are 1e-15 apart; float32's order of additions, 1e-7); the rest bit for bit
    return close(hist, 1e-12 if dtype == "float64" else 1e-6) if weighted and density else hist, edges


test_histogram_bins_as_pytorchs = sweep(
    _count, [(w, d, dtype, name, bins, r) for w, d in [(False, False), (True, False), (False, True), (True, True)]
             for dtype in ["float64", "float32"] for name, bins, r in itertools.product(
                 VALUES, [1, 2, 3, 5, 7, 10], [None, (0.0, 1.0), (-1.3, 0.7), (0.967, 0.967), (-2.0, 3.0)])
             if not (r is None and name in ("with inf", "with nan"))],  # (refused by both: above)
    group=lambda w, d, dtype, *case: f"{w}-{d}-{dtype}")


def _histc(L, data, low, high):
    return L.histc(L.tensor(data, dtype=L.float64), bins=4, min=low, max=high)


test_histc_range_as_pytorchs = sweep(
    _histc, [(data, low, high) for data in [[1.0, 2.0, INF], [-INF, 0.0], [NAN, 1.0], [1.0, 2.0, 3.0], [0.5], []]
             for low, high in [(0, 0), (0, INF), (-INF, 1), (1, 1), (NAN, 1), (0, NAN), (2, 1), (0, 3)]],
    group=lambda data, low, high: str(data))


def _drawn(L, case):  # (its edges are linspace's, bit for bit: tests/pytorch/test_creation.py)
    rng = np.random.default_rng(1000 + case)
    values = rng.normal(size=int(rng.integers(1, 60))) * 10.0 ** rng.integers(-2, 3)
    if case % 4 == 0:  # (one value: PyTorch's range widens to ± 0.5 around it)
        values = np.full(values.shape, float(np.round(values[0], 2)))
    bins = int(rng.choice([1, 2, 7, 10, 33, 100, 101]))
    kwargs = {"range": [float(np.round(values.min(), 1)), float(np.round(values.max(), 1) + 1.0)]} \
        if case % 3 == 0 else {}
    hist, edges = L.histogram(L.tensor(values, dtype=getattr(L, ["float64", "float32"][case % 2])), bins, **kwargs)
    return hist, bits(edges)


test_histogram_edges_and_counts = sweep(_drawn, range(120))
