"""softmax, log_softmax and softmin over the grid of input dtype x dim x dtype= x emptiness, at every door
(F.softmax, minigan.softmax, Tensor.softmax, ...), against PyTorch: the dim is checked first (IndexError), an
integer or bool input is refused ("not implemented for 'Long'": NotImplementedError) unless dtype= names a floating
dtype (then converted first), and an empty input of any dtype is given back (PyTorch runs no kernel on it).
"""

import itertools
import warnings

import numpy as np
import pytest

import minigan
import minigan.functional as MF
from pytorch.exception_oracle import none_differ, outcome, refused_or_equal

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

DOORS = {  # name: (PyTorch's, minigan's)
    "F.softmax": (torch.nn.functional.softmax, MF.softmax),
    "F.log_softmax": (torch.nn.functional.log_softmax, MF.log_softmax),
    "F.softmin": (torch.nn.functional.softmin, MF.softmin),
    "softmax": (torch.softmax, minigan.softmax),
    "log_softmax": (torch.log_softmax, minigan.log_softmax),
    "Tensor.softmax": (lambda x, *a, **k: x.softmax(*a, **k), lambda x, *a, **k: x.softmax(*a, **k)),
    "Tensor.log_softmax": (lambda x, *a, **k: x.log_softmax(*a, **k), lambda x, *a, **k: x.log_softmax(*a, **k)),
}
SHAPES = [(), (4,), (2, 3), (0, 3), (3, 0)]


def _outcome(lib, door, shape, dtype, dim, out_dtype):
    x = lib.tensor(np.linspace(-2, 2, int(np.prod(shape))).reshape(shape).astype(dtype))
    kwargs = {} if out_dtype is None else {"dtype": getattr(lib, out_dtype)}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        y = outcome(DOORS[door][lib is minigan], x, dim, **kwargs)
    return y if isinstance(y, Exception) else (
        str(y.dtype).split(".")[-1], tuple(y.shape), np.asarray(y.numpy(), dtype=float).round(12).tolist())


def _same(ours, theirs):
    return ours[:2] == theirs[:2] and np.allclose(ours[2], theirs[2], rtol=1e-5, atol=1e-7, equal_nan=True)


@pytest.mark.parametrize("door", sorted(DOORS))
def test_softmax_family_over_dtypes_dims_and_empty_inputs(door):
    none_differ([(door, *case) for case in itertools.product(SHAPES, ("float64", "float32", "int64", "uint8", "bool"),
                                                             (0, -1, 1, 2, -3),
                                                             (None, "float64", "float32", "int64", "bool"))],
                _outcome, lambda ours, theirs: refused_or_equal(ours, theirs, equal=_same), torch, minigan)
