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


def _x(lib):
    return lib.arange(1., 10., dtype=lib.float64).reshape(3, 3) / 10


# the arguments each function is called with (after them: out=, a tensor like the result but expanded from one row)
ARGS = {
    "x": lambda lib: (_x(lib),),
    "x, y": lambda lib: (_x(lib), _x(lib) + 1),
    "x, dim": lambda lib: (_x(lib), 1),
    "x, y, z": lambda lib: (_x(lib), _x(lib) + 1, _x(lib) + 2),
    "[x, x]": lambda lib: ([_x(lib), _x(lib)],),
    "mask": lambda lib: (_x(lib) > 0.4,),
    "mask, mask": lambda lib: (_x(lib) > 0.4, _x(lib) > 0.2),
    "ints, ints": lambda lib: ((_x(lib) * 10).long(), (_x(lib) * 10).long()),
    "x, dim, index": lambda lib: (_x(lib), 1, lib.tensor([[0, 1], [1, 2], [2, 0]])),
    "x, 0, index": lambda lib: (_x(lib), 0, lib.tensor([0, 2])),
    "x, 0, index, source": lambda lib: (_x(lib), 0, lib.tensor([0, 2]), _x(lib)[:2]),
    "row, row": lambda lib: (_x(lib)[0], _x(lib)[1]),
    "x, row": lambda lib: (_x(lib), _x(lib)[0]),
    "x, row, row": lambda lib: (_x(lib), _x(lib)[0], _x(lib)[1]),
    "x, 0.5": lambda lib: (_x(lib), lib.tensor([0.25, 0.5], dtype=lib.float64)),
    "weights, 2": lambda lib: (_x(lib), 2),
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
        out = _expanded_like(lib, fn(*ARGS[args](lib)))
        bases = [o._base for o in (out if isinstance(out, tuple) else (out,))]  # (the one row each was expanded from)
        try:
            fn(*ARGS[args](lib), out=out)
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
