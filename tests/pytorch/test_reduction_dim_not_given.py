"""A dim left out is not dim=None given: PyTorch's reductions tell them apart by their overloads.

- sum and mean: keepdim (True or False) without a dim is a TypeError (their every-entry overload takes only dtype);
  dim=None given, with keepdim or not, reduces every entry;
- prod, max, min and median: dim=None given is a TypeError (their overload with keepdim takes an int dim), and so
  is keepdim alone;
- the reductions whose every-entry overload takes keepdim (amax, amin, argmax, argmin, all, any, std, var, nansum,
  nanmean, norm, count_nonzero) take both;
- the ops along one dim (cumsum, cumprod, softmax, log_softmax, logcumsumexp, cummax, cummin, sort, argsort): dim=None
  is a TypeError.

Each form by method and by function, against PyTorch; NumPy's spellings (axis=None, keepdims) still reduce every
entry (tests/library/test_reduction_dim_not_given.py)."""

import numpy as np
import pytest

import minigan
from pytorch.exception_oracle import outcome
from pytorch.oracle import pytorch_since

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

NAMES = ["sum", "mean", "prod", "max", "min", "median", "amax", "amin", "argmax", "argmin", "all", "any", "std",
         "var", "nansum", "nanmean", "norm", "count_nonzero", "logsumexp", "cumsum", "cumprod", "softmax",
         "log_softmax", "logcumsumexp", "cummax", "cummin", "sort", "argsort"]
FORMS = {"keepdim=True": dict(keepdim=True), "keepdim=False": dict(keepdim=False), "dim=None": dict(dim=None),
         "dim=None, keepdim=True": dict(dim=None, keepdim=True),
         "dim=None, keepdim=False": dict(dim=None, keepdim=False)}


# dim=None given to an op whose overloads take an int dim (or a name) is a TypeError; before 2.13 it matched the
# overload of a named dim and was a RuntimeError ("Please look up dimensions by name, got: name = None")
DIM_NONE_TYPEERROR = pytorch_since("2.13", "dim=None is a TypeError where no overload takes it, not a dim name")
NO_DIM_NONE = {"prod", "max", "min", "median", "logsumexp"}  # (every form with dim=None)
ALONG_ONE_DIM = {"cumsum", "cumprod", "softmax", "log_softmax", "logcumsumexp", "cummax", "cummin", "sort", "argsort"}


def _cases():
    return [pytest.param(n, k, marks=[DIM_NONE_TYPEERROR] if k.startswith("dim=None") and (
        n in NO_DIM_NONE or n in ALONG_ONE_DIM and k == "dim=None") else []) for n in NAMES for k in sorted(FORMS)]


def _outcome(lib, name, form, kwargs, shape):
    x = lib.tensor(np.arange(1.0, 1.0 + np.prod(shape)).reshape(shape))
    out = outcome(lambda: getattr(x, name)(**kwargs) if form == "method" else getattr(lib, name)(x, **kwargs))
    if isinstance(out, Exception):
        return [c for c in type(out).__mro__ if c.__module__ == "builtins"][0].__name__
    out = out[0] if isinstance(out, tuple) else out
    return tuple(out.shape), np.asarray(out.tolist(), dtype=float).round(12).tolist()


@pytest.mark.parametrize("form", ["method", "function"])
@pytest.mark.parametrize("name, kwargs", _cases())
def test_a_dim_left_out_and_dim_none_are_pytorchs(name, kwargs, form):
    if form == "function" and not hasattr(torch, name) or form == "method" and not hasattr(torch.Tensor, name):
        pytest.skip(f"no {form} {name} in PyTorch")
    for shape in [(3,), (2, 3)]:
        theirs = _outcome(torch, name, form, FORMS[kwargs], shape)
        assert _outcome(minigan, name, form, FORMS[kwargs], shape) == theirs, shape


@DIM_NONE_TYPEERROR
@pytest.mark.parametrize("name", ["prod", "max", "min", "median", "cumsum", "softmax", "sort"])
def test_dim_none_by_position_is_pytorchs(name):
    def run(lib):
        try:
            getattr(lib.tensor(np.arange(1.0, 7.0).reshape(2, 3)), name)(None)
        except Exception as e:  # noqa: BLE001
            return [c for c in type(e).__mro__ if c.__module__ == "builtins"][0]
        return "ran"
    assert run(minigan) == run(torch)
