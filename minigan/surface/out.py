"""PyTorch's ``out=`` door of the free functions (``minigan.add(a, b, out=c)``, ``minigan.zeros(2, 3, out=y)``): the
result is written into the tensor ``out``, which is returned, with PyTorch's rules (a resize with a warning, a cast
within its kind, no gradient through it).  ``minigan/toplevel.py`` puts every free function behind it."""

from __future__ import annotations

import functools
import warnings

from minigan.engine import backend
from minigan.engine.errors import DtypeError, GraphError
from minigan.engine.grad_mode import is_grad_enabled
from minigan.engine.tensor import Tensor  # (minigan.Tensor is one: the check needs nothing of the surface)
from minigan.surface.overlap import refuse_overlap

# The functions whose PyTorch kernels write into an ``out`` whose entries share memory (an expanded tensor) without
# asking; every other function refuses such an ``out``, as PyTorch's do (tests/pytorch/test_out_overlap.py measures
# both).  What lands in the shared memory then is whichever entry was written last.
WRITE_SHARED_OUT = frozenset({"sum", "prod", "std", "var", "amax", "amin", "argmax", "argmin", "all", "any", "cummax",
                              "cummin", "mv", "tril", "triu", "histc"})
# The functions whose PyTorch kernels do not ask whether out shares memory with an input; every other refuses an out
# sharing some, but not all, of an input's memory (the very same memory, out=x, is allowed), as PyTorch's do.
READ_SHARED_OUT = WRITE_SHARED_OUT | {"mean", "nanmean", "logsumexp", "matmul", "mm", "inner", "diag", "quantile",
                                      "multinomial"}
NO_SHARED_INPUT = {"cross"}  # (its kernel refuses the very same memory too: PyTorch's assert_no_overlap)
# The functions whose PyTorch kernels write only into an ``out`` of the result's own dtype (the unary ops of integer
# results, the products, the sorts and selections, the scans and reductions with indices); every other casts the
# result into out's dtype by PyTorch's canCast (tests/pytorch/test_out_dtypes.py measures both).
SAME_DTYPE_OUT = frozenset({
    "abs", "absolute", "sign", "floor", "ceil", "round", "trunc", "frac", "neg", "nan_to_num", "bitwise_not", "lerp",
    "nonzero", "masked_select", "sort", "topk", "kthvalue", "median", "quantile", "histc", "argmax", "argmin", "amax",
    "amin", "cummax", "cummin", "logcumsumexp", "diag", "tril", "triu", "gather", "index_select", "index_add",
    "index_copy", "matmul", "mm", "mv", "inner", "addmm", "cross", "multinomial", "argsort", "aminmax", "where",
    "take_along_dim", "scatter", "bmm", "dot", "vdot", "addmv", "addbmm", "baddbmm", "matrix_power"})
# The functions whose PyTorch kernels compute in out's dtype (``sum(x, 1, out=o)`` is ``sum(x, 1, dtype=o.dtype)``,
# a float sum into an int64 out too), and those whose out holds a truth value: bool, or uint8 (PyTorch's kernel).
OUT_DTYPE_COMPUTES = frozenset({"sum", "prod", "cumsum", "cumprod"})
TRUTH_OUT = frozenset({"all", "any"})


def refuse_shared_out(name, out) -> None:
    """Refuse an ``out`` of which several entries are one memory location, as PyTorch refuses it (its outputs'
    internal-overlap check), before anything is written."""
    if name not in WRITE_SHARED_OUT and isinstance(out, Tensor) and backend.repeats(out.array):
        raise GraphError(f"{name}: more than one element of out refers to one memory location (an expanded "
                         "tensor), which PyTorch does not write a result into; pass a tensor of its own (a .clone())")


def refuse_input_overlap(name, out, inputs) -> None:
    """Refuse an ``out`` that shares some, but not all, of an input's memory, as PyTorch's kernels do (its
    assert_no_partial_overlap), before anything is written: what the result would be depends on the order of
    the writes."""
    if name in READ_SHARED_OUT or not isinstance(out, Tensor):
        return
    for given in inputs:
        for t in given if isinstance(given, (tuple, list)) else (given,):  # (cat's and stack's list of tensors)
            if isinstance(t, Tensor):
                refuse_overlap(name, out.array, t.array, whole=name in NO_SHARED_INPUT, what="an input")


def write_out(name, result, out):
    """``result`` written into the tensor ``out``, which is returned: PyTorch's ``out=`` (see ``with_out``)."""
    if not isinstance(out, Tensor):
        raise TypeError(f"{name}: out must be a Tensor, got {type(out).__name__}")
    if result.requires_grad or (out.requires_grad and is_grad_enabled()):
        raise GraphError(f"{name}(): functions with out=... arguments don't support automatic differentiation, "
                         "but one of the arguments requires grad; drop out= (or compute under minigan.no_grad())")
    if name in TRUTH_OUT:  # (either takes any truth value)
        if out.dtype not in (backend.np.bool_, backend.np.uint8):
            raise DtypeError(f"{name}: out must be a bool (or uint8) tensor, got {out.dtype}; pass "
                             "out=minigan.empty(0, dtype=minigan.bool)")
    elif name in SAME_DTYPE_OUT and out.dtype != result.dtype:
        raise DtypeError(f"{name}: expected out to have the result's dtype {result.dtype}, got {out.dtype} (PyTorch's "
                         f"kernel casts nothing); pass out=minigan.empty(0, dtype=minigan.{result.dtype})")
    elif name != "bernoulli" and not (  # (its 0s and 1s are drawn in out's dtype, any dtype)
            backend.np.can_cast(result.dtype, out.dtype, casting="same_kind")  # PyTorch's canCast: not a float into
            or result.dtype.kind + out.dtype.kind == "iu"):  # an integer, nor into a bool (int64 into uint8 wraps)
        raise DtypeError(f"{name}: result type {result.dtype} can't be cast to the desired output type {out.dtype}")
    if out.shape != result.shape:
        if out.numel():
            warnings.warn(f"An output with one or more elements was resized since it had shape {list(out.shape)}, "
                          f"which does not match the required output shape {list(result.shape)}.", UserWarning,
                          stacklevel=3)
        out.array = backend.get_array_module(out.array).empty(result.shape, dtype=out.dtype)
    out.array[...] = result.array
    out._version_counter()[0] += 1  # a change in place: graphs that saved out's old values refuse to backward
    return out


def factory_out(fn):
    """A factory's ``out=``: the new values are made in out's dtype (unless ``dtype=`` says another) and written
    into ``out``, which is returned, as PyTorch's ``zeros(2, 3, out=y)``."""
    @functools.wraps(fn)
    def with_out(*args, out=None, **kwargs):
        if out is None:
            return fn(*args, **kwargs)
        if isinstance(out, Tensor) and kwargs.get("dtype") is None:
            kwargs["dtype"] = out.dtype
        return write_out(fn.__name__, fn(*args, **kwargs), out)

    return with_out


def call_with_out(name, out, fn, *args, **kwargs):
    """``fn(*args, **kwargs)``, written into the tensor ``out`` where one is given (PyTorch's ``out=``), which is then
    returned: what ``with_out`` does, called by the generated doors (minigan/doors_*.py) only when out= is given, so
    that their common call, without it, takes no step through here."""
    if name in OUT_DTYPE_COMPUTES and isinstance(out, Tensor) and kwargs.get("dtype") is None:
        kwargs["dtype"] = out.dtype
    if out is not None and name == "argsort" and kwargs.get("stable") is None:  # (PyTorch's has out= only in its
        raise TypeError("argsort: out= goes with stable= (PyTorch's argsort(input, *, stable, dim, "  # form with
                        "descending, out)); add stable=True or stable=False")  # stable= by name)
    result = fn(*args, **kwargs)
    if out is None:
        return result
    for o in out if isinstance(out, (tuple, list)) else (out,):
        refuse_shared_out(name, o)
        refuse_input_overlap(name, o, (*args, *kwargs.values()))
    if not isinstance(result, tuple):
        return write_out(name, result, out)
    if not isinstance(out, (tuple, list)) or len(out) != len(result):  # (values, indices): a pair of tensors
        raise TypeError(f"{name}: out must be a tuple of {len(result)} Tensors, got {out!r}")
    written = [write_out(name, r, o) for r, o in zip(result, out)]
    return type(result)(*written) if hasattr(result, "_fields") else tuple(written)


def with_out(fn):
    """PyTorch's ``out=`` keyword for ``fn``: the result is written into the tensor ``out``, which is returned.

    As in PyTorch: ``out`` is resized to the result's shape (with a warning when it held values), the result
    must cast to out's dtype within its kind (float into int is refused), and it is not differentiated, so
    ``out=`` is refused where the result would need a gradient.
    """
    @functools.wraps(fn)
    def with_out(*args, out=None, **kwargs):
        if out is None:
            return fn(*args, **kwargs)
        return call_with_out(fn.__name__, out, fn, *args, **kwargs)

    return with_out
