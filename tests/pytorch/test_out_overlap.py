"""``out=`` into a tensor whose entries share memory (``base.expand(...)``), against PyTorch.

PyTorch refuses to write most results into such an ``out`` with a RuntimeError ("more than one element of the
written-to tensor refers to a single memory location"): the elementwise ops, matmul, the scans, cat and the
reductions with their own kernels.  A few kernels write without asking (sum, prod, std, var, amax, argmax, all,
tril, mv, ...; multinomial's too when it draws one sample, not asked here), so minigan runs there too.  Over every
free function with ``out=`` the surface has, minigan must refuse exactly where PyTorch refuses, with PyTorch's class,
and leave the base as it was.

(Its torch-free statement: tests/library/test_out_argument.py.)"""

import warnings

import pytest

import minigan

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")


def _memory(lib, args):
    """Memory for a case's first input (its first nine entries) and, in the second test, for out: floats, or the
    bools or integers the bitwise ops take."""
    values = lib.arange(1., 201., dtype=lib.float64) / 200
    bools, ints = values > 0.012, (values * 200).long() % 7
    return {"mask": bools, "mask, mask": bools, "ints, ints": ints}.get(args, values)


# the arguments each function is called with, x a 3 x 3 tensor (then out=)
ARGS = {
    "x": lambda lib, x: (x,),
    "x, y": lambda lib, x: (x, x + 1),
    "x, dim": lambda lib, x: (x, 1),
    "x, y, z": lambda lib, x: (x, x + 1, x + 2),
    "[x, x]": lambda lib, x: ([x, x],),
    "mask": lambda lib, x: (x,),
    "mask, mask": lambda lib, x: (x, x[0]),
    "ints, ints": lambda lib, x: (x, x[1]),
    "x, dim, index": lambda lib, x: (x, 1, lib.tensor([[0, 1], [1, 2], [2, 0]])),
    "x, 0, index": lambda lib, x: (x, 0, lib.tensor([0, 2])),
    "x, 0, index, source": lambda lib, x: (x, 0, lib.tensor([0, 2]), x[:2] + 1),
    "row, row": lambda lib, x: (x[0], x[1]),
    "x, row": lambda lib, x: (x, x[0]),
    "x, row, row": lambda lib, x: (x, x[0], x[1]),
    "x, 0.5": lambda lib, x: (x, lib.tensor([0.25, 0.5], dtype=lib.float64)),
    "weights, 2": lambda lib, x: (x, 2),
}
FAMILY = {
    "x": ["abs", "absolute", "exp", "log", "sqrt", "sign", "tanh", "sigmoid", "sin", "cos", "tan", "asin", "acos",
          "atan", "sinh", "cosh", "asinh", "atanh", "erf", "erfc", "erfinv", "reciprocal", "rsqrt", "floor", "ceil",
          "round", "trunc", "frac", "neg", "square", "logit", "nan_to_num", "logical_not", "nonzero", "sort", "diag",
          "bernoulli", "tril", "triu", "histc"],
    "x, y": ["add", "sub", "subtract", "mul", "div", "pow", "hypot", "maximum", "minimum", "max", "min", "clamp",
             "clamp_min", "clamp_max", "matmul", "mm", "inner", "eq", "ne", "gt", "ge", "lt", "le", "logical_and",
             "logical_or", "logical_xor", "floor_divide", "remainder", "fmod", "logaddexp", "xlogy", "cross"],
    "x, dim": ["mean", "logsumexp", "topk", "kthvalue", "median", "nanmean", "logcumsumexp", "cumsum", "cumprod",
               "sum", "argmax", "argmin", "std", "var", "amax", "amin", "cummax", "cummin", "prod", "all", "any"],
    "weights, 2": ["multinomial"],
    "x, y, z": ["lerp", "addmm", "addcmul", "addcdiv"],
    "[x, x]": ["cat", "stack", "concat", "concatenate", "hstack", "vstack", "column_stack", "dstack"],
    "mask": ["bitwise_not"],
    "mask, mask": ["bitwise_and", "bitwise_or", "bitwise_xor", "masked_select"],
    "ints, ints": ["bitwise_left_shift", "bitwise_right_shift"],
    "x, dim, index": ["gather"],
    "x, 0, index": ["index_select"],
    "x, 0, index, source": ["index_add", "index_copy"],
    "row, row": ["outer"],
    "x, row": ["mv"],
    "x, row, row": ["addr"],
    "x, 0.5": ["quantile"],
}
CASES = [(name, args) for args, names in FAMILY.items() for name in names]


def _expanded_like(lib, result):
    """A tensor of result's shape and dtype whose rows are one row of memory (a zero stride along dim 0)."""
    if isinstance(result, (tuple, list)):
        return tuple(_expanded_like(lib, r) for r in result)
    assert result.shape[0] >= 2, "the case must give a result with two rows or more"
    return lib.zeros((1,) + tuple(result.shape[1:]), dtype=result.dtype).expand(*result.shape)


def _call(lib, name, args):
    fn = getattr(lib, name)
    if name in ("bernoulli", "multinomial"):
        lib.manual_seed(0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # (cross without dim: the same deprecation in both)
        out = _expanded_like(lib, fn(*ARGS[args](lib, _memory(lib, args)[:9].reshape(3, 3))))
        bases = [o._base for o in (out if isinstance(out, tuple) else (out,))]  # (the one row each was expanded from)
        try:
            fn(*ARGS[args](lib, _memory(lib, args)[:9].reshape(3, 3)), out=out)
        except Exception as e:  # noqa: BLE001 - the class is what is compared
            return e, bases
    return None, bases


@pytest.mark.parametrize("name, args", CASES, ids=[n for n, _ in CASES])
def test_out_with_shared_entries_refused_where_pytorch_refuses(name, args):
    expected, _ = _call(torch, name, args)
    got, bases = _call(minigan, name, args)
    if expected is None:
        assert got is None, f"PyTorch writes {name}'s result into an expanded out; minigan raised {got!r}"
        return
    assert isinstance(expected, RuntimeError), expected  # (the case is built so that only the out is wrong)
    assert isinstance(got, RuntimeError), f"PyTorch refuses {name}(..., out=expanded) ({expected}); minigan: {got!r}"
    for base in bases:  # nothing was written before the refusal
        assert not base.numpy().any(), f"{name} wrote into the expanded out's base before refusing"


def _overlapping(lib, name, args, start):
    """Call ``name`` with x the first nine entries of a memory and out the entries from ``start`` on: the memory
    after it, or PyTorch's class and the memory as it was left.  None where the result's dtype is not x's."""
    fn, memory = getattr(lib, name), _memory(lib, args)
    x = memory[:9].reshape(3, 3)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        lib.manual_seed(0)
        result = fn(*ARGS[args](lib, x))
        results = result if isinstance(result, tuple) else (result,)
        if results[0].dtype != memory.dtype:
            return None
        written = memory[start:start + results[0].numel()].reshape(results[0].shape)
        out = written if len(results) == 1 else (written,) + tuple(lib.zeros_like(r) for r in results[1:])
        lib.manual_seed(0)
        try:
            fn(*ARGS[args](lib, x), out=out)
        except Exception as e:  # noqa: BLE001 - the class is what is compared
            return type(e), memory.tolist()
    return None, memory.tolist()


@pytest.mark.parametrize("start", [0, 3])
@pytest.mark.parametrize("name, args", CASES, ids=[n for n, _ in CASES])
def test_out_sharing_part_of_an_input_refused_where_pytorch_refuses(name, args, start):
    """PyTorch refuses an out that shares some, not all, of an input's memory ("some elements of the input tensor
    and the written-to tensor refer to a single memory location"), where its kernel asks; the very same memory
    (out=x) is allowed.  x's memory from entry ``start`` on is out here: the same first entry or a shifted one."""
    expected = _overlapping(torch, name, args, start)
    if expected is None:
        pytest.skip(f"{name}'s result has another dtype than its input: out cannot share the input's memory")
    got = _overlapping(minigan, name, args, start)
    if expected[0] is None:
        assert got[0] is None, f"PyTorch writes {name}'s result into out sharing x's memory; minigan raised {got[0]}"
        return  # (what lands in memory both read and written is each kernel's order: not compared)
    assert issubclass(expected[0], RuntimeError), expected[0]
    assert got[0] is not None and issubclass(got[0], RuntimeError), \
        f"PyTorch refuses {name}(x, out=part of x) with {expected[0].__name__}; minigan ran"
    assert got[1] == expected[1], f"{name} wrote into its input before refusing"
