"""keepdim=True with no dim: PyTorch's max, min, prod and median refuse it (a TypeError: their overloads
that take keepdim take a dim), where a silent reduction of every entry kept as size 1 would hide the missing dim;
the reductions whose every-entry overload takes keepdim (amax, amin, argmax, argmin, all, any, std, var, nansum,
nanmean, norm) reduce every entry and keep each dim as size 1, as PyTorch's."""

import numpy as np
import pytest

import minigan

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

NAMES = ["max", "min", "prod", "median", "amax", "amin", "argmax", "argmin", "all", "any", "std", "var",
         "nansum", "nanmean", "norm"]


def _outcome(lib, name, form, shape):
    x = lib.tensor(np.arange(1.0, 1.0 + np.prod(shape)).reshape(shape))
    try:
        out = getattr(x, name)(keepdim=True) if form == "method" else getattr(lib, name)(x, keepdim=True)
    except TypeError:
        return "TypeError"
    return tuple(out.shape), np.asarray(out.tolist(), dtype=float).tolist()


@pytest.mark.parametrize("form", ["method", "function"])
@pytest.mark.parametrize("name", NAMES)
def test_keepdim_without_dim_is_pytorchs(name, form, ):
    if form == "function" and not hasattr(torch, name):
        pytest.skip(f"torch.{name} is a method only")
    for shape in [(3,), (2, 3)]:
        assert _outcome(minigan, name, form, shape) == _outcome(torch, name, form, shape), shape
