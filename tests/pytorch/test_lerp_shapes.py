"""lerp's operands whose shapes do not broadcast, against PyTorch, through every door (the function, the method,
the in-place method, out=) and every kind of weight (a Python or NumPy number, a 0-d tensor, a tensor of the
input's shape): PyTorch's RuntimeError class ("The size of tensor a (5) must match ..."), never NumPy's ValueError
(a number weight skipped the check a tensor weight has); where they broadcast, PyTorch's shape and values."""

import itertools

import numpy as np
import pytest

import minigan
from pytorch.exception_oracle import none_differ, outcome, refused_or_equal

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

SHAPES = [(5,), (4, 4), (2, 2, 5, 5), (1, 5), (3,), ()]
WEIGHTS = {"2": lambda L, s: 2, "np 0.25": lambda L, s: np.float64(0.25), "0-d": lambda L, s: L.tensor(0.75),
           "tensor": lambda L, s: L.full(s, 0.5, dtype=L.float64)}
DOORS = {"lerp": lambda L, x, e, w: L.lerp(x, e, w), "Tensor.lerp": lambda L, x, e, w: x.lerp(e, w),
         "Tensor.lerp_": lambda L, x, e, w: x.clone().lerp_(e, w),
         "lerp out=": lambda L, x, e, w: L.lerp(x, e, w, out=L.empty(0, dtype=L.float64))}


def _outcome(L, door, s, e, weight):
    x = L.tensor(np.linspace(-1.0, 2.0, int(np.prod(s))).reshape(s))
    end = L.tensor(np.linspace(3.0, 0.5, int(np.prod(e))).reshape(e))
    out = outcome(DOORS[door], L, x, end, WEIGHTS[weight](L, s))
    return out if isinstance(out, Exception) else out.tolist()


@pytest.mark.parametrize("weight", sorted(WEIGHTS))
@pytest.mark.parametrize("door", sorted(DOORS))
def test_lerp_of_shapes_that_do_not_broadcast_raises_pytorchs_class(door, weight):
    none_differ([(door, s, e, weight) for s, e in itertools.product(SHAPES, SHAPES)], _outcome,
                lambda ours, theirs: refused_or_equal(ours, theirs, equal=np.allclose), torch, minigan)
