"""A tensor asked for past what memory holds, without PyTorch: every creation door raises RuntimeError (PyTorch's
allocator's class) in one line naming the shape, never NumPy's ValueError ("array is too big") or MemoryError.
The sizes are past any address space (2**57 entries and more), so nothing is allocated.

(Its comparisons with PyTorch: tests/pytorch/test_creation.py.)"""

import pytest

import minigan

SIZES = [(2**57,), (2**62,), (2**63 - 1,), (2**60, 2**30), (0, 2**62, 2**62)]
DOORS = {
    "zeros": lambda s: minigan.zeros(s), "ones": lambda s: minigan.ones(*s), "empty": lambda s: minigan.empty(s),
    "full": lambda s: minigan.full(s, 2.0), "rand": lambda s: minigan.rand(s), "randn": lambda s: minigan.randn(*s),
    "randint": lambda s: minigan.randint(0, 3, s), "normal": lambda s: minigan.normal(0.0, 1.0, s),
    "new_zeros": lambda s: minigan.zeros(1).new_zeros(s), "new_full": lambda s: minigan.zeros(1).new_full(s, 1.0),
    "eye": lambda s: minigan.eye(s[-1]), "randperm": lambda s: minigan.randperm(max(s)),
    "Tensor": lambda s: minigan.Tensor(*s), "new": lambda s: minigan.zeros(1).new(*s),
}


@pytest.mark.parametrize("door", list(DOORS))
@pytest.mark.parametrize("size", SIZES, ids=lambda s: "x".join(map(str, s)))
def test_a_size_past_memory_is_a_runtime_error_in_one_line(door, size):
    with pytest.raises(RuntimeError) as e:
        DOORS[door](size)
    assert len(str(e.value).splitlines()) == 1 and ("memory" in str(e.value) or "int64" in str(e.value))


@pytest.mark.parametrize("door", ["zeros_like", "ones_like", "empty_like", "full_like", "rand_like", "randn_like"])
def test_a_like_door_over_an_expanded_tensor_past_memory_is_a_runtime_error(door):
    big = minigan.zeros(1, dtype=minigan.uint8).expand(2**60)  # (a view: no memory)
    fn = getattr(minigan, door)
    with pytest.raises(RuntimeError, match="memory|int64"):
        fn(big, 1) if door == "full_like" else fn(big, dtype=minigan.float64) if "rand" in door else fn(big)
