"""NumPy's names for PyTorch's arguments (``axis`` for ``dim``, ``keepdims`` for ``keepdim``, ``x``/``a``/``x1`` for
``input``, ``x2`` for ``other``): minigan takes one exactly where PyTorch's parser does, for every function and method
both have that PyTorch writes in C, overload by overload as PyTorch's recorded signatures list them (the torch-free
half, that each gives what PyTorch's own names give, is tests/pytorch/test_door_table.py)."""

import pytest

from minigan.surface.numpy_names import ALIASES
from pytorch import test_door_table as doors

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")


def _torch_door(prefix, name, given):
    minigan_fn, kwargs = doors._door(prefix, name, given)
    as_torch = {k: torch.from_numpy(v.numpy().copy()) if hasattr(v, "numpy") else v for k, v in kwargs.items()}
    if prefix == "Tensor":
        return getattr(torch.from_numpy(minigan_fn.__self__.numpy().copy()), name), as_torch
    return getattr(torch, name), as_torch


def _accepts(fn, kwargs) -> bool:
    try:
        fn(**kwargs)
    except TypeError:
        return False
    except Exception:  # noqa: BLE001 - a refusal of the values, not of the names
        return True
    return True


@pytest.mark.parity
@pytest.mark.parametrize("prefix", ["torch", "Tensor"])
def test_minigan_takes_numpy_names_where_pytorch_does(prefix):
    differ, drawn = {}, 0
    for name, pos, arg in doors._cases(prefix):
        if not all(n in doors._values() for n in pos):
            continue
        if not _accepts(*_torch_door(prefix, name, pos)) or not _accepts(*doors._door(prefix, name, pos)):
            continue  # (these values are not a call of this overload in one of the two)
        drawn += 1
        for alias in ALIASES[arg]:
            calls = []
            for door in (_torch_door, doors._door):
                fn, kwargs = door(prefix, name, pos)
                kwargs[alias] = kwargs.pop(arg)
                calls.append(_accepts(fn, kwargs))
            if calls[0] != calls[1]:
                differ[f"{prefix}.{name}({', '.join(pos)}) {alias}="] = f"PyTorch {calls[0]}, minigan {calls[1]}"
    assert drawn >= (100 if prefix == "torch" else 20), drawn
    assert not differ, differ
