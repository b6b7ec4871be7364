"""Creation doors asked for more than memory holds, against PyTorch.

PyTorch's allocator refuses a tensor whose bytes int64 cannot count ("Storage size calculation overflowed"), whose
entries int64 cannot count (eye: "numel: integer multiplication overflow") and one the machine cannot give ("can't
allocate memory"), all with RuntimeError.  NumPy raises ValueError ("array is too big") for the first two and
MemoryError for the third, which leaked out of minigan's doors.  Over the doors that make a tensor of a size they
are given (zeros, ones, empty, full, rand, randn, randint, normal, eye, randperm, the *_like doors of an expanded
input, new_* and the legacy constructors) and sizes from a few TiB to past int64, in several dtypes, minigan must
raise PyTorch's class (or, for a size of no entries, make the same empty tensor).
"""

import itertools
import math

import pytest
from conftest import default_slice

import minigan

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

# Every size is past what an address space maps (2**57 entries and more), so no door allocates anything, whatever
# the machine's overcommit policy; and sizes of no entries, which both make.
SIZES = [(2**57,), (2**57, 3), (2**62,), (2**63 - 1,), (2**58, 2**10), (2**60, 2**30), (0, 2**62, 2**62)]
DTYPES = ["float64", "float32", "bool", "int64", "uint8"]


def _doors(lib, size, dtype):
    dt = getattr(lib, dtype)
    t = lib.zeros(2, dtype=dt)
    def big():  # (an expanded tensor of that size takes no memory; expand itself may refuse a size past int64)
        return t[:1].reshape((1,) * len(size)).expand(*size)

    floating = dtype.startswith("float")
    doors = {
        "zeros": lambda: lib.zeros(size, dtype=dt), "zeros(*size)": lambda: lib.zeros(*size, dtype=dt),
        "ones": lambda: lib.ones(*size, dtype=dt), "empty": lambda: lib.empty(size, dtype=dt),
        "empty(size=)": lambda: lib.empty(size=size, dtype=dt), "full": lambda: lib.full(size, 1, dtype=dt),
        "new_zeros": lambda: t.new_zeros(size), "new_ones": lambda: t.new_ones(*size),
        "new_empty": lambda: t.new_empty(size), "new_full": lambda: t.new_full(size, 1),
        "zeros_like": lambda: lib.zeros_like(big()), "ones_like": lambda: lib.ones_like(big()),
        "empty_like": lambda: lib.empty_like(big()), "full_like": lambda: lib.full_like(big(), 1),
        "eye(n)": lambda: lib.eye(size[0], dtype=dt), "eye(n, m)": lambda: lib.eye(size[0], size[-1], dtype=dt),
        "randperm": lambda: lib.randperm(size[0]),
    }
    if floating:
        doors.update({"rand": lambda: lib.rand(size, dtype=dt), "randn": lambda: lib.randn(*size, dtype=dt),
                      "rand_like": lambda: lib.rand_like(big()), "randn_like": lambda: lib.randn_like(big()),
                      "normal": lambda: lib.normal(0.0, 1.0, size, dtype=dt)})
    if dtype == "int64":
        doors["randint"] = lambda: lib.randint(0, 3, size)
    if dtype == "float32":
        doors.update({"Tensor(*size)": lambda: lib.Tensor(*size), "FloatTensor(*size)": lambda: lib.FloatTensor(*size),
                      "new(*size)": lambda: t.new(*size)})
    if math.prod(max(n, 1) for n in size) * t.element_size() >= 2**63:  # (NumPy has no view, an expanded one, of
        # more bytes than int64 counts, the sizes other than 0 counted: expand itself refuses it)
        doors = {k: v for k, v in doors.items() if "_like" not in k}
    if size[0] == 0:  # (eye(0, 2**62): PyTorch's has no entries and a stride of 2**62; NumPy has no such array)
        doors.pop("eye(n, m)")
    return doors


CASES = [(door, size, dtype) for size, dtype in itertools.product(SIZES, DTYPES) for door in _doors(torch, size, dtype)]


# Every 5th case by default (and each door, size and dtype), the rest under -m parity
@pytest.mark.parametrize("door,size,dtype", default_slice(
    [pytest.param(d, s, t, id=f"{d}-{'x'.join(map(str, s))}-{t}") for d, s, t in CASES], 5, cover="each"))
def test_a_size_past_memory_is_refused_with_pytorchs_class(door, size, dtype):
    try:
        made = _doors(torch, size, dtype)[door]()
    except Exception as e:  # noqa: BLE001 (the class is compared)
        expected = e
    else:
        assert made.numel() == 0, f"{door} {size}: PyTorch allocated {made.numel()} entries"
        got = _doors(minigan, size, dtype)[door]()
        assert (tuple(got.shape), str(got.dtype)) == (tuple(made.shape), str(made.dtype).replace("torch", "minigan"))
        return
    builtin = next(c for c in type(expected).__mro__ if c.__module__ == "builtins")
    with pytest.raises(Exception) as got:  # noqa: PT011 (the class is compared below)
        _doors(minigan, size, dtype)[door]()
    assert isinstance(got.value, builtin), (f"{door} {size} {dtype}: PyTorch raises {type(expected).__name__} "
                                            f"({str(expected)[:80]}), minigan {type(got.value).__name__}: {got.value}")
    assert "\n" not in str(got.value) and "minigan" in type(got.value).__module__, (
        f"{door}: minigan's own one-line error expected, got {type(got.value).__module__}.{type(got.value).__name__}")
