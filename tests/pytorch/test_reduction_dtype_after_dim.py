"""A reduction's ``dtype=`` refused for an input that requires grad (an integer or bool result autograd cannot
differentiate) is refused after the dims are checked, as in PyTorch, whose kernel runs (and checks dim) before
autograd sees the integer result: ``x.sum(-3, dtype=int64)`` of a 2-d x is PyTorch's IndexError, not the RuntimeError
of the dtype (surface program 11566592: prod).  Each case against PyTorch: both run, or both raise and minigan's
exception is an instance of the built-in class of PyTorch's."""
import itertools
import warnings

import pytest

torch = pytest.importorskip("torch")
import minigan  # noqa: E402
from pytorch.exception_oracle import none_differ, outcome, refused_or_equal  # noqa: E402
from pytorch.oracle import NANMEAN_INT_DTYPE, NANSUM_INT  # noqa: E402

FNS = ["sum", pytest.param("nansum", marks=NANSUM_INT), "prod", "cumsum", "cumprod", "mean",
       pytest.param("nanmean", marks=NANMEAN_INT_DTYPE)]
DIMS = [-3, -1, 0, 2, [0, -1], [1, 1], "all"]
SHAPES = [(2, 3), (), (0, 3), (3,)]


def _outcome(L, fn, door, dtype, dim, shape, rg, keepdim):
    x = L.ones(shape, dtype=L.float64, requires_grad=rg)
    args = [] if dim == "all" else [dim]
    if keepdim is not None and dim != "all" and not fn.startswith("cum"):
        args.append(keepdim)
    call = getattr(x, fn) if door == "method" else (lambda *a, **k: getattr(L, fn)(x, *a, **k))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        r = outcome(call, *args, dtype=getattr(L, dtype))
    return r if isinstance(r, Exception) else (tuple(r.shape), str(r.dtype).split(".")[-1])


@pytest.mark.parametrize("door", ["method", "function"])
@pytest.mark.parametrize("fn", FNS)
def test_dims_are_checked_before_the_dtype_refusal(fn, door):
    none_differ([(fn, door, *case) for case in itertools.product(["int64", "bool", "int32", "float32"], DIMS, SHAPES,
                                                                  [True, False], [None, True])],
                _outcome, refused_or_equal, torch, minigan)
