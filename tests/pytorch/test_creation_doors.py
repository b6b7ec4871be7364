"""The doors of the creation functions and of the methods that make or fill a tensor, against PyTorch float64: what
each does with the same arguments (the values, dtype and shape, or the class of the refusal), over the family.

- ``meshgrid``: its checks in PyTorch's order (a non-empty list, one dtype, the indexing, 0-D or 1-D tensors) and
  ``indexing=None`` as "ij".
"""

import functools
import itertools
import warnings

import numpy as np
import pytest

import minigan
from pytorch.oracle import CLAMP_NAN_BOUND

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")


def outcome(program, lib):
    """("ran", [(values as float64, dtype name, shape)...]) or ("raised", the exception's class, its message)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            out = program(lib)
    except Exception as e:  # noqa: BLE001 - the class is what is compared
        return "raised", type(e), str(e)
    outs = out if isinstance(out, (tuple, list)) else (out,)
    return "ran", [(np.asarray(o.detach().numpy(), dtype=np.float64), str(o.dtype).split(".")[-1], tuple(o.shape))
                   if hasattr(o, "detach") else (o, type(o).__name__, ()) for o in outs]


def agree(program):
    """The difference between the two libraries' outcomes of ``program``, or None where they agree."""
    ours, theirs = outcome(program, minigan), outcome(program, torch)
    if ours[0] != theirs[0]:
        return f"minigan {ours[0]} {ours[1:]} | PyTorch {theirs[0]} {theirs[1:]}"
    if ours[0] == "raised":
        builtin = next(c for c in theirs[1].__mro__ if c.__module__ == "builtins")
        return None if issubclass(ours[1], builtin) else f"minigan {ours[1].__name__}: {ours[2]} | PyTorch " \
                                                         f"{theirs[1].__name__}: {theirs[2]}"
    same = len(ours[1]) == len(theirs[1]) and all(
        a[1:] == b[1:] and np.allclose(a[0], b[0], equal_nan=True) for a, b in zip(ours[1], theirs[1]))
    return None if same else f"minigan {ours[1]} | PyTorch {theirs[1]}"


def none_differ(programs):
    """Every (label, program) agrees (agree); the ones that do not are listed."""
    differ = [f"{label}: {found}" for label, program in programs if (found := agree(program))]
    assert not differ, f"{len(differ)} differ, e.g.\n" + "\n".join(differ[:12])


MESH_TENSORS = {"f32 (2,)": ([1.0, 2.0], "float32"), "f64 (3,)": ([1.0, 2.0, 3.0], "float64"),
                "f64 ()": (4.0, "float64"), "f64 (1, 3)": ([[1.0, 2.0, 3.0]], "float64"),
                "i64 (2,)": ([1, 2], "int64"), "f64 (0,)": ([], "float64")}


@pytest.mark.parametrize("as_list", [False, True], ids=["varargs", "list"])
@pytest.mark.parametrize("indexing", [None, "ij", "xy", "ab", "absent"])
def test_meshgrid_checks_its_tensors_as_pytorch(indexing, as_list):
    """Every list of up to three of float32, float64 (0-D, 1-D, 2-D, empty) and int64 tensors, with each indexing:
    the same grids, or a refusal of PyTorch's class (checked in its order: dtype before indexing before dims)."""
    def program(lib, names):
        ts = [lib.tensor(v, dtype=getattr(lib, d)) for v, d in (MESH_TENSORS[k] for k in names)]
        kwargs = {} if indexing == "absent" else {"indexing": indexing}
        return lib.meshgrid(ts, **kwargs) if as_list else lib.meshgrid(*ts, **kwargs)
    none_differ((f"meshgrid{names} indexing={indexing}", functools.partial(program, names=names))
                for n in range(4) for names in itertools.product(sorted(MESH_TENSORS), repeat=n))


FILL_VALUES = [float("nan"), float("inf"), -float("inf"), 1e30, 2**63, 300, -1, 2.7, True, 1e39, -1e39, 3.5e38,
               np.float32("nan"), np.float64(1e300), np.int64(-5), "0-d nan", "0-d 300", "0-d int 7"]
FILL_DTYPES = ["int64", "int32", "uint8", "bool", "float32", "float64"]
FILLS = {  # name: the call, given the library, a tensor x of the dtype, a dtype and the value
    "full_like": lambda t, x, d, v: t.full_like(x, v), "new_full": lambda t, x, d, v: x.new_full((2,), v),
    "full": lambda t, x, d, v: t.full((2,), v, dtype=d), "fill_": lambda t, x, d, v: x.fill_(v),
    "torch.fill_": lambda t, x, d, v: t.fill_(x, v),
    "masked_fill": lambda t, x, d, v: x.masked_fill(t.tensor([True, False]), v),
    "masked_fill_": lambda t, x, d, v: x.masked_fill_(t.tensor([True, False]), v),
    "torch.masked_fill": lambda t, x, d, v: t.masked_fill(x, t.tensor([True, False]), v),
    "scalar_tensor": lambda t, x, d, v: t.scalar_tensor(v, dtype=d),
}


def _fill_value(lib, v):
    if not isinstance(v, str):
        return v
    return {"0-d nan": lib.tensor(float("nan"), dtype=lib.float64), "0-d 300": lib.tensor(300.0, dtype=lib.float64),
            "0-d int 7": lib.tensor(7)}[v]


@pytest.mark.parametrize("name", sorted(FILLS))
def test_a_fill_value_must_fit_the_dtype_as_in_pytorch(name):
    """Every fill of a number (Python's, NumPy's, a 0-d tensor) into each dtype: a value the dtype cannot hold (NaN
    or ±inf or one beyond the range into an integer, beyond float32's range into float32) is refused with PyTorch's
    RuntimeError; the rest give PyTorch's values."""
    def program(lib, dtype, value):
        d = getattr(lib, dtype)
        return FILLS[name](lib, lib.zeros(2, dtype=d), d, _fill_value(lib, value))
    none_differ((f"{name} {dtype} {value!r}", functools.partial(program, dtype=dtype, value=value))
                for dtype, value in itertools.product(FILL_DTYPES, FILL_VALUES))


CLAMP_BOUNDS = [0.5, 1, True, np.float64(1.0), np.int64(1), np.float32(2.0), 2**40, 1e30, -1, "0-d 0.5", "0-d 1"]
CLAMPS = {  # name: the in-place call, given the library, the tensor and a bound
    "clamp_(min)": lambda t, x, b: x.clamp_(b), "clamp_(max)": lambda t, x, b: x.clamp_(None, b),
    "clamp_(min, max)": lambda t, x, b: x.clamp_(b, b), "clip_(min=)": lambda t, x, b: x.clip_(min=b),
    "clamp_min_": lambda t, x, b: x.clamp_min_(b), "clamp_max_": lambda t, x, b: x.clamp_max_(b),
    "torch.clamp_": lambda t, x, b: t.clamp_(x, b), "torch.clip_": lambda t, x, b: t.clip_(x, max=b),
    "clamp": lambda t, x, b: x.clamp(b), "clip(max=)": lambda t, x, b: x.clip(max=b),
    "torch.clamp(min, max)": lambda t, x, b: t.clamp(x, b, b), "clamp_min": lambda t, x, b: x.clamp_min(b),
    "torch.clamp_max": lambda t, x, b: t.clamp_max(x, b),
}
# clamp's and clip's one bound given alone (min or max), a NaN number: NaN everywhere, as clamp_min(NaN) gives
ONE_BOUND_ALONE = {"clamp", "clamp_(min)", "clamp_(max)", "clip(max=)", "clip_(min=)", "torch.clamp_", "torch.clip_"}


def _clamps(name, bounds):
    def program(lib, dtype, bound):
        x = lib.tensor([-2, 0, 3], dtype=getattr(lib, dtype))
        b = lib.tensor(float(bound[4:]) if "." in bound else int(bound[4:])) if isinstance(bound, str) else bound
        return CLAMPS[name](lib, x, b)
    return ((f"{dtype}.{name} {bound!r}", functools.partial(program, dtype=dtype, bound=bound))
            for dtype, bound in itertools.product(["bool", "int64", "uint8", "float32"], bounds))


@pytest.mark.parametrize("name", sorted(CLAMPS))
def test_clamp_reads_number_bounds_as_pytorch(name):
    """x.clamp(bound), x.clamp_(bound) and their family on bool, int64, uint8 and float32 tensors with bounds of every
    kind: the result's dtype is the promotion of x and the numbers (a NumPy scalar is a number), an integer bound is
    read in an integer tensor's dtype (-1 is 255 for uint8) and must fit it; in place, a result of a higher kind (a
    float bound on an integer tensor) cannot be written into x, and PyTorch refuses it (RuntimeError) as every
    in-place op's; a bool tensor takes no bool bound (NotImplementedError)."""
    none_differ(_clamps(name, CLAMP_BOUNDS))


@pytest.mark.parametrize("name", [pytest.param(n, marks=[CLAMP_NAN_BOUND] if n in ONE_BOUND_ALONE else [])
                                  for n in sorted(CLAMPS)])
def test_clamp_reads_a_nan_number_bound_as_pytorch(name):
    """A NaN bound, the same family of calls: NaN wherever it bounds (a float result even for an integer tensor)."""
    none_differ(_clamps(name, [float("nan")]))


RANGE_NUMBERS = [0, 2, -2, 0.5, float("inf"), -float("inf"), float("nan"), np.int64(2), np.float32(0.5)]


@pytest.mark.parametrize("dtype", [None, "int64", "float64"])
def test_range_takes_its_numbers_as_pytorch(dtype):
    """The deprecated ``range(start, end, step)`` over every triple of finite, infinite and NaN numbers (Python's and
    NumPy's): PyTorch's values (an infinite step gives one element, start + 0·step, NaN), or its RuntimeError for a
    zero or NaN step, a start or end that is not finite, bounds the step's sign cannot reach, or a step an integer
    dtype cannot hold."""
    def program(lib, numbers):
        return lib.range(*numbers, **({} if dtype is None else {"dtype": getattr(lib, dtype)}))
    # (int64 and a step below 1: PyTorch 2.13's process dies, it divides by the step read as 0)
    none_differ((f"range{numbers!r}", functools.partial(program, numbers=numbers)) for numbers in
                itertools.product(RANGE_NUMBERS, repeat=3) if not (dtype == "int64" and abs(numbers[2]) < 1))


STRIDED = {  # a tensor made in the library t, a view or a new one
 "expand (1,1)->(3,1)": lambda t: t.ones(1, 1).expand(3, 1),
 "expand (1,4)->(3,4)": lambda t: t.ones(1, 4).expand(3, 4),
 "expand (1,1,3)->(2,1,3)": lambda t: t.ones(1, 1, 3).expand(2, 1, 3),
 "expand (3,)->(2,3)": lambda t: t.ones(3).expand(2, 3),
 "expand (1,)->(4,)": lambda t: t.ones(1).expand(4),
 "expand (2,1)->(2,1)": lambda t: t.ones(2, 1).expand(2, 1),
 "expand (2,1)->(2,5)": lambda t: t.ones(2, 1).expand(2, 5),
 "expand (1,3)->(1,3) of t()": lambda t: t.ones(3, 1).t().expand(2, 3),
 "unsqueeze(0)": lambda t: t.ones(2, 3).unsqueeze(0),
 "unsqueeze(1)": lambda t: t.ones(2, 3).unsqueeze(1),
 "unsqueeze(-1)": lambda t: t.ones(2, 3).unsqueeze(-1),
 "[None]": lambda t: t.ones(2, 3)[None],
 "[:, None]": lambda t: t.ones(2, 3)[:, None],
 "t() of (1,3)": lambda t: t.ones(1, 3).t(),
 "[:, :1]": lambda t: t.ones(2, 3)[:, :1],
 "[:1]": lambda t: t.ones(2, 3)[:1],
 "zeros(0,3)": lambda t: t.zeros(0, 3), "zeros(3,0)": lambda t: t.zeros(3, 0),
 "zeros(4,3)[:0]": lambda t: t.zeros(4, 3)[:0], "zeros(4,3)[:, :0]": lambda t: t.zeros(4, 3)[:, :0],
 "zeros(4,3)[:0, ::2]": lambda t: t.zeros(4, 3)[:0, ::2],
 "ones(1)": lambda t: t.ones(1), "ones(1,1)": lambda t: t.ones(1, 1),
 "reshape(1,6)": lambda t: t.ones(6).reshape(1, 6), "view(3,1,2)": lambda t: t.ones(6).view(3, 1, 2),
 "squeeze": lambda t: t.ones(2, 1, 3).squeeze(1),
 "permute of (2,1,3)": lambda t: t.ones(2, 1, 3).permute(1, 0, 2),
 "x.sum(1, keepdim)": lambda t: t.ones(2, 3).sum(1, keepdim=True),
 "x.mean(0, keepdim)": lambda t: t.ones(2, 3).mean(0, keepdim=True),
 "ones(2,3)*ones(1,3)": lambda t: t.ones(2, 1) * t.ones(1, 3),
}


@pytest.mark.parametrize("name", sorted(STRIDED))
def test_strides_are_pytorchs(name):
    """x.stride() for views and new tensors whose strides NumPy writes otherwise than PyTorch: a dimension of size 1
    (NumPy gives x[None], x[:, None] and an expand that keeps a size 1 stride 0; PyTorch the next stride times the
    next size), an empty tensor (NumPy's new ones have strides 0, PyTorch's are row-major; a view keeps its own).
    (An empty tensor made from an empty NumPy array, ``torch.tensor(np.zeros((0, 3)))``, has NumPy's zero strides in
    PyTorch; minigan cannot tell it from ``zeros(0, 3)``, whose strides are row-major.)"""
    assert tuple(STRIDED[name](minigan).stride()) == tuple(STRIDED[name](torch).stride())
    assert all(STRIDED[name](minigan).stride(d) == STRIDED[name](torch).stride(d)
               for d in range(STRIDED[name](torch).ndim))


LINSPACE_NUMBERS = [0, -1, 3, 0.5, 2.7, float("inf"), -float("inf"), float("nan"), 1e30, 300, 1e39,
                    np.float32(0.5), np.int64(-2)]


@pytest.mark.parametrize("dtype", [None, "int64", "uint8", "float64"])
def test_linspace_reads_start_and_end_in_its_dtype_as_pytorch(dtype):
    """linspace(start, end, steps) over every pair of thirteen numbers and 0 to 5 steps: start and end must fit the
    dtype when there is a value to make (RuntimeError otherwise: NaN or ±inf into an integer dtype, 1e39 into
    float32), an integer dtype reads them in it first (-1 is 255 for uint8); PyTorch's values otherwise."""
    def program(lib, arguments):
        return lib.linspace(*arguments, **({} if dtype is None else {"dtype": getattr(lib, dtype)}))
    none_differ((f"linspace{arguments!r}", functools.partial(program, arguments=arguments))
                for arguments in itertools.product(LINSPACE_NUMBERS, LINSPACE_NUMBERS, [0, 1, 2, 3, 5]))


@pytest.mark.parametrize("dtype", ["int64", "uint8", "bool", "float64"])
@pytest.mark.parametrize("layout", ["contiguous", "expanded"])
def test_nan_to_num_in_place_of_integers_writes_nothing(dtype, layout):
    """``x.nan_to_num_(...)`` of an integer or bool tensor has nothing to replace: PyTorch writes nothing (so an
    expanded x, whose entries share memory, is no refusal) and counts a version; a floating expanded x is refused."""
    def program(lib):
        x = lib.tensor([[1.0, -2.0, 3.0]], dtype=lib.float64).to(getattr(lib, dtype))
        x = x.expand(2, 3) if layout == "expanded" else x
        before = x._version
        out = x.nan_to_num_(1.0, 2.0, -3.0)
        assert out is x and x._version == before + 1
        return out
    assert agree(program) is None, agree(program)


NEGATIVE_SIZES = {
    "zeros": lambda lib: lib.zeros(2, -1), "zeros(size=)": lambda lib: lib.zeros(size=(-1,)),
    "ones": lambda lib: lib.ones((-1,)), "empty": lambda lib: lib.empty(-2), "full": lambda lib: lib.full((-1,), 1.0),
    "rand": lambda lib: lib.rand(-1), "randn": lambda lib: lib.randn(3, -1),
    "randint": lambda lib: lib.randint(0, 3, (-1,)), "randperm": lambda lib: lib.randperm(-1),
    "eye(n)": lambda lib: lib.eye(-1), "eye(n, m)": lambda lib: lib.eye(2, -1),
    "new_zeros": lambda lib: lib.ones(2).new_zeros(-1), "new_ones": lambda lib: lib.ones(2).new_ones((-1, 2)),
    "new_empty": lambda lib: lib.ones(2).new_empty(-1), "new_full": lambda lib: lib.ones(2).new_full((-1,), 2.0),
}


@pytest.mark.parametrize("name", sorted(NEGATIVE_SIZES))
def test_a_negative_size_is_refused_as_in_pytorch(name):
    """Every door that makes a tensor of given sizes refuses a negative one with PyTorch's class (RuntimeError)."""
    assert agree(NEGATIVE_SIZES[name]) is None


TENSOR_FILLS = {
    "full 1-d": lambda lib: lib.full((2,), lib.tensor([1.0])),
    "full 0-d requiring grad": lambda lib: lib.full((2,), lib.tensor(1.0, requires_grad=True)),
    "full 0-d": lambda lib: lib.full((2,), lib.tensor(1.5, dtype=lib.float64)),
    "new_full 1-d": lambda lib: lib.ones(2).new_full((2,), lib.tensor([1.0])),
    "new_full 0-d": lambda lib: lib.ones(2).new_full((2,), lib.tensor(2)),
    "full_like 1-d": lambda lib: lib.full_like(lib.ones(2), lib.tensor([1.0])),
    "full_like 0-d": lambda lib: lib.full_like(lib.ones(2), lib.tensor(2.5, dtype=lib.float64)),
    "fill_ 1-d": lambda lib: lib.ones(2).fill_(lib.tensor([1.0])),
    "scalar_tensor 1-d": lambda lib: lib.scalar_tensor(lib.tensor([1.0])),
    "scalar_tensor 0-d requiring grad": lambda lib: lib.scalar_tensor(lib.tensor(1.0, requires_grad=True)),
}


@pytest.mark.parametrize("name", sorted(TENSOR_FILLS))
def test_a_tensor_fill_value_is_a_number_as_in_pytorch(name):
    """A fill value given as a tensor is PyTorch's Number only where it has no dimensions and needs no gradient
    (full, new_full, full_like, scalar_tensor; fill_ takes one that requires grad): other tensors are refused."""
    assert agree(TENSOR_FILLS[name]) is None


LIKES = {
    "zeros_like": lambda lib, x: lib.zeros_like(x), "ones_like": lambda lib, x: lib.ones_like(x),
    "full_like": lambda lib, x: lib.full_like(x, 2.0), "empty_like": lambda lib, x: lib.empty_like(x),
    "rand_like": lambda lib, x: lib.rand_like(x), "randn_like": lambda lib, x: lib.randn_like(x),
    "zeros_like(dtype=float64)": lambda lib, x: lib.zeros_like(x, dtype=lib.float64),
}
LIKE_INPUTS = {
    "expand of t()": lambda lib: lib.ones(3, 2).t().expand(4, 2, 3),
    "expand then permute": lambda lib: lib.ones(3).expand(2, 3).permute(1, 0),
    "expand of (2,1,3)": lambda lib: lib.ones(2, 1, 3).expand(2, 4, 3),
    "expand of permute": lambda lib: lib.ones(2, 3, 1).permute(2, 1, 0).expand(5, 3, 2),
    "t() of expand": lambda lib: lib.ones(1, 3).expand(2, 3).t(),
    "permute": lambda lib: lib.ones(2, 3, 4).permute(2, 0, 1),
    "slice of t()": lambda lib: lib.ones(4, 3).t()[:, ::2],
}


@pytest.mark.parametrize("name", sorted(LIKES))
def test_the_like_factories_lay_out_as_pytorch(name):
    """``*_like`` (memory_format=preserve_format) of expanded, permuted and sliced tensors: PyTorch's strides (the
    dimensions ordered as TensorIterator orders them, a broadcast dimension telling nothing)."""
    differ = []
    for source, make in LIKE_INPUTS.items():
        ours, theirs = LIKES[name](minigan, make(minigan)), LIKES[name](torch, make(torch))
        if ours.stride() != theirs.stride():
            differ.append(f"{name} of {source}: minigan {ours.stride()} | PyTorch {theirs.stride()}")
    assert not differ, "\n".join(differ)
