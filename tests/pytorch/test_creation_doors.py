"""The doors of the creation functions and of the methods that make or fill a tensor, against PyTorch float64: what
each does with the same arguments (the values, dtype and shape, or the class of the refusal), over the family.

- ``meshgrid``: its checks in PyTorch's order (a non-empty list, one dtype, the indexing, 0-D or 1-D tensors) and
  ``indexing=None`` as "ij".
"""

import itertools
import warnings

import numpy as np
import pytest

import minigan

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


MESH_TENSORS = {"f32 (2,)": ([1.0, 2.0], "float32"), "f64 (3,)": ([1.0, 2.0, 3.0], "float64"),
                "f64 ()": (4.0, "float64"), "f64 (1, 3)": ([[1.0, 2.0, 3.0]], "float64"),
                "i64 (2,)": ([1, 2], "int64"), "f64 (0,)": ([], "float64")}


@pytest.mark.parametrize("as_list", [False, True], ids=["varargs", "list"])
@pytest.mark.parametrize("indexing", [None, "ij", "xy", "ab", "absent"])
def test_meshgrid_checks_its_tensors_as_pytorch(indexing, as_list):
    """Every list of up to three of float32, float64 (0-D, 1-D, 2-D, empty) and int64 tensors, with each indexing:
    the same grids, or a refusal of PyTorch's class (checked in its order: dtype before indexing before dims)."""
    differ = []
    for n in range(4):
        for names in itertools.product(sorted(MESH_TENSORS), repeat=n):
            def program(lib, names=names):
                ts = [lib.tensor(v, dtype=getattr(lib, d)) for v, d in (MESH_TENSORS[k] for k in names)]
                kwargs = {} if indexing == "absent" else {"indexing": indexing}
                return lib.meshgrid(ts, **kwargs) if as_list else lib.meshgrid(*ts, **kwargs)
            found = agree(program)
            if found:
                differ.append(f"meshgrid{names} indexing={indexing}: {found}")
    assert not differ, f"{len(differ)} differ, e.g.\n" + "\n".join(differ[:10])
