"""Which result dtypes ``out=`` takes, against PyTorch, over every free function with ``out=``.  Two rules: most
kernels (the elementwise ones, the reductions without indices, the concatenations) cast the result into out's dtype
by c10's canCast, which refuses only a floating result into an integer or bool ``out`` and a non-bool result into
a bool one (any integer result goes into any integer ``out``, signed into unsigned too: an int64 result into uint8
wraps, as the in-place ops write; NumPy's "same_kind", which refused that, is not the rule); the others (the unary
ops that keep an integer dtype, the products, sorts, selections, scans and reductions with indices) write only into
an ``out`` of the result's own dtype.  Inputs of each dtype by an ``out`` of each dtype: PyTorch's values, or its
exception class.  A few compute in out's dtype: sum, prod, cumsum and cumprod (out= is dtype=out's dtype), all and
any (a bool or uint8 out), bernoulli (its draw, into any dtype)."""

import itertools
import warnings

import numpy as np
import pytest

import minigan

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

from pytorch.exception_oracle import builtin_class as _builtin  # noqa: E402
from pytorch.exception_oracle import none_differ, outcome, refused_or_equal  # noqa: E402
from pytorch.test_out_overlap import ARGS, FAMILY  # noqa: E402

DTYPES = ["bool", "uint8", "int8", "int32", "int64", "float32", "float64"]
CALLS = {  # (the library, x a 2 x 3 tensor of the input dtype): the call without out=, kernels of PyTorch's rule
    "add": lambda L, x: (L.add, (x, x)),
    "mul": lambda L, x: (L.mul, (x, x)),
    "sub": lambda L, x: (L.sub, (x, x)),
    "maximum": lambda L, x: (L.maximum, (x, x)),
    "clamp": lambda L, x: (L.clamp, (x, x, x)),
    "clamp_min": lambda L, x: (L.clamp_min, (x, x)),
    "remainder": lambda L, x: (L.remainder, (x, 3)),
    "bitwise_and": lambda L, x: (L.bitwise_and, (x, x)),
    "cat": lambda L, x: (L.cat, ([x, x],)),
    "stack": lambda L, x: (L.stack, ([x, x],)),
}
RULED = ["exp", "sqrt", "sigmoid", "logical_not", "add", "mul", "div", "pow", "maximum", "max", "clamp", "eq",
         "logical_and", "floor_divide", "remainder", "fmod", "xlogy", "mean", "logsumexp", "std", "addcmul", "cat",
         "stack", "hstack", "bitwise_and", "bitwise_left_shift", "outer", "addr"]  # (of the canCast rule)


def _outcome(L, name, dtype, out_dtype):
    x = L.tensor(np.array([[3, 0, 250], [1, 2, 7]])).to(getattr(L, dtype))
    fn, args = CALLS[name](L, x)
    out = L.zeros(0, dtype=getattr(L, out_dtype))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        e = outcome(fn, *args, out=out)
    return e if isinstance(e, Exception) else (str(out.dtype).split(".")[-1], out.double().tolist())


@pytest.mark.parametrize("name", sorted(CALLS))
def test_out_takes_the_result_dtypes_pytorchs_takes(name):
    none_differ([(name, *dtypes) for dtypes in itertools.product(DTYPES, DTYPES)], _outcome, refused_or_equal, torch,
                minigan)


# Every free function with out= (test_out_overlap's family): the kernels whose out must have the result's dtype
# exactly (PyTorch's "Expected out tensor to have dtype ...", "Found dtype ... but expected ..."), and those of the
# canCast rule above; each input dtype by each out dtype.
EXACT = ["abs", "absolute", "sign", "floor", "ceil", "round", "trunc", "frac", "neg", "nan_to_num", "nonzero", "sort",
         "diag", "tril", "triu", "histc", "matmul", "mm", "inner", "cross", "topk", "kthvalue", "median",
         "logcumsumexp", "argmax", "argmin", "amax", "amin", "cummax", "cummin", "multinomial", "lerp", "addmm",
         "bitwise_not", "masked_select", "gather", "index_select", "index_add", "index_copy", "mv", "quantile"]
FAMILY_CASES = [(name, args) for args, names in FAMILY.items() for name in names]


def _family_outcome(L, name, args, dtype, out_dtype):
    """None where the call without out= is refused (nothing to write); else PyTorch's dtype and values or the error."""
    v = L.tensor(np.array([[3, 0, 5], [1, 2, 7], [4, 6, 1]]) / 8.0 + 0.1)
    x = (v > 0.5 if args in ("mask", "mask, mask") else v).to(getattr(L, dtype))
    fn = getattr(L, name)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            call = ARGS[args](L, x)
            result = fn(*call)
        except Exception:  # noqa: BLE001 (a call refused without out=: not this test's)
            return None
        results = result if isinstance(result, tuple) else (result,)
        outs = tuple(L.zeros(0, dtype=getattr(L, out_dtype) if k == 0 else r.dtype) for k, r in enumerate(results))
        if name in ("multinomial", "bernoulli"):
            L.manual_seed(0)
        e = outcome(fn, *call, out=outs if isinstance(result, tuple) else outs[0])
    if isinstance(e, Exception):
        return e
    drawn = name in ("multinomial", "bernoulli")  # (random values: the dtype is compared)
    return str(outs[0].dtype).split(".")[-1], None if drawn else outs[0].double().tolist()


COMPUTED_IN_OUT = ["sum", "prod", "cumsum", "cumprod", "all", "any", "bernoulli"]  # (in out's dtype)


@pytest.mark.parametrize("name, args", [c for c in FAMILY_CASES if c[0] in EXACT + RULED + COMPUTED_IN_OUT], ids=str)
def test_out_of_every_kernel_takes_the_dtypes_pytorchs_takes(name, args):
    # (PyTorch 2.13 writes 0 for all and any of floats into a uint8 out whatever the truth: [0.475, 0.1].all() into a
    # uint8 out is 0, into a bool one True)
    none_differ([(name, args, dtype, out_dtype) for dtype, out_dtype in itertools.product(DTYPES, DTYPES)
                 if not (name in ("all", "any") and dtype.startswith("float") and out_dtype == "uint8")],
                _family_outcome, lambda ours, theirs: _written_alike(ours, theirs, equal_nan=True), torch, minigan)


def _written_alike(ours, theirs, **close):
    """Alike, or not compared: a call either library refuses without out= (None); values None where drawn."""
    return theirs is None or ours is None or refused_or_equal(ours, theirs, one_line=True, equal=lambda o, t: o[0] == t[
        0] and (o[1] is None or np.allclose(o[1], t[1], **close)))


MORE = {  # free functions with out= beyond test_out_overlap's family (x a 3 x 3 tensor)
    "matrix_power": lambda L, x: (x, 2),
    "bmm": lambda L, x: (x[None], x[None]),
    "dot": lambda L, x: (x[0], x[1]),
    "vdot": lambda L, x: (x[0], x[1]),
    "addmv": lambda L, x: (x[0], x, x[1]),
    "addbmm": lambda L, x: (x, x[None], x[None]),
    "baddbmm": lambda L, x: (x[None], x[None], x[None]),
    "where": lambda L, x: (x > 0, x, x),
    "take_along_dim": lambda L, x: (x, L.tensor([[0, 1, 2]] * 3), 1),
    "scatter": lambda L, x: (x, 1, L.tensor([[0, 1, 2]] * 3), x),
    "aminmax": lambda L, x: (x,),
    "negative": lambda L, x: (x,),
    "fix": lambda L, x: (x,),
    "atan2": lambda L, x: (x, x + 1),
    "greater": lambda L, x: (x, x),
    "log1p": lambda L, x: (x,),
    "row_stack": lambda L, x: ([x, x],),
}


def _more_outcome(L, name, dtype, out_dtype):
    x = L.tensor(np.array([[3, 0, 5], [1, 2, 7], [4, 6, 1]]) / 8.0 + 0.1).to(getattr(L, dtype))
    fn = getattr(L, name)
    try:
        call = MORE[name](L, x)
        result = fn(*call)
    except Exception:  # noqa: BLE001 (a call refused without out=: not this test's)
        return None
    results = result if isinstance(result, tuple) else (result,)
    outs = tuple(L.zeros(0, dtype=getattr(L, out_dtype) if k == 0 else r.dtype) for k, r in enumerate(results))
    e = outcome(fn, *call, out=outs if isinstance(result, tuple) else outs[0])
    return e if isinstance(e, Exception) else (str(outs[0].dtype).split(".")[-1], outs[0].double().tolist())


@pytest.mark.parametrize("name", sorted(MORE))
def test_out_of_the_other_functions_takes_the_dtypes_pytorchs_takes(name):
    none_differ([(name, *dtypes) for dtypes in itertools.product(DTYPES, DTYPES)], _more_outcome, _written_alike,
                torch, minigan)


@pytest.mark.parametrize("keywords", [{}, {"stable": True}, {"stable": False, "dim": 0}, {"descending": True}],
                         ids=str)
def test_argsort_takes_out_in_its_form_with_stable_as_pytorch(keywords):
    """PyTorch's argsort has out= only in its form argsort(input, *, stable, dim, descending, out): without stable=
    an out is a TypeError; with it, out must be int64 (the other dtypes a RuntimeError); stable is never positional."""
    differ = []
    for dtype, out_dtype in itertools.product(["float64", "int64"], DTYPES):
        outcomes = []
        for L in (torch, minigan):
            x = L.tensor([[0.5, -1.0, 2.0], [3.0, 0.0, 1.0]]).to(getattr(L, dtype))
            out = L.zeros(0, dtype=getattr(L, out_dtype))
            try:
                outcomes.append(L.argsort(x, **keywords, out=out).tolist())
            except Exception as e:  # noqa: BLE001 (the class is compared)
                outcomes.append(e)
        theirs, ours = outcomes
        same = isinstance(ours, _builtin(theirs)) if isinstance(theirs, Exception) else ours == theirs
        if not same:
            differ.append(f"{dtype} into out {out_dtype}: PyTorch {theirs!r:.60}, minigan {ours!r:.60}")
    for L in (torch, minigan):  # (stable by position: no form takes it)
        with pytest.raises(TypeError):
            L.argsort(L.tensor([1.0, 0.0]), 0, False, True)
    assert not differ, f"{len(differ)} differ, e.g.\n" + "\n".join(differ[:8])
