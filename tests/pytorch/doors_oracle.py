"""One call at a public door, run in minigan and in PyTorch float64 on the same inputs, and compared: the same
outcome (ran, raised, or raised at backward) and built-in exception class, and where both ran the same value, dtype,
requires_grad and gradients to the second order (tests/pytorch/test_norm_doors.py, test_product_doors.py)."""

import numpy as np
import pytest

import minigan
from pytorch.exception_oracle import builtin_class as _builtin

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")


def _array(g):
    """A gradient's values (PyTorch's zero gradient of a kink may be its ZeroTensor, which .numpy() refuses)."""
    if getattr(g, "_is_zerotensor", lambda: False)():
        return np.zeros(tuple(g.shape))
    return g.detach().numpy().copy()


def _run(lib, fn, arrays, dtypes):
    """(outcome, value, first-order grads, second-order grads) of fn on tensors made from ``arrays``."""
    tensors = []
    for a, dtype in zip(arrays, dtypes):
        t = lib.tensor(a, dtype=getattr(lib, dtype))
        tensors.append(t.requires_grad_() if t.is_floating_point() else t)
    try:
        out = fn(lib, *tensors)
    except Exception as e:  # noqa: BLE001 - a refusal is compared by its built-in class
        return ("raised", e)
    value = out.detach().numpy().copy()
    leaves = [t for t in tensors if t.requires_grad]
    if not out.requires_grad:
        return ("ran", value, str(out.dtype).split(".")[-1], False, None, None)
    w = lib.tensor(np.arange(1, out.numel() + 1, dtype=np.float64).reshape(tuple(out.shape)) % 4 + 0.5,
                   dtype=out.dtype)
    try:
        grads = lib.autograd.grad((out * w).sum(), leaves, create_graph=True, allow_unused=True)
    except Exception as e:  # noqa: BLE001 - a backward PyTorch refuses (dist with p = 0)
        return ("backward raised", e)
    first = [None if g is None else _array(g) for g in grads]
    live = [g for g in grads if g is not None and g.requires_grad]
    second = None
    if live:
        s = sum((g * g.detach().abs().add(1.0)).sum() for g in live)
        try:
            second = [None if g is None else _array(g) for g in lib.autograd.grad(s, leaves, allow_unused=True)]
        except Exception as e:  # noqa: BLE001 - a second derivative PyTorch refuses (cdist's)
            second = e
    return ("ran", value, str(out.dtype).split(".")[-1], True, first, second)


def _close(a, b, rtol=1e-9, atol=1e-11):
    if a is None and b is None:
        return True
    if a is None or b is None:  # (no gradient: the same as a zero one)
        a, b = (np.zeros_like(b) if a is None else a), (np.zeros_like(a) if b is None else b)
    assert a.shape == b.shape
    fa, fb = np.isfinite(a), np.isfinite(b)
    return np.array_equal(fa, fb) and np.allclose(a[fa], b[fa], rtol=rtol, atol=atol)


def same_as_pytorch(fn, arrays, dtypes):
    ours, theirs = _run(minigan, fn, arrays, dtypes), _run(torch, fn, arrays, dtypes)
    if theirs[0] != "ran":
        assert ours[0] == theirs[0], f"minigan {ours[0]} where PyTorch {theirs[0]} {theirs[1]!r}"
        assert isinstance(ours[1], _builtin(theirs[1])), f"minigan {ours[1]!r} | PyTorch {theirs[1]!r}"
        assert "\n" not in str(ours[1])
        return
    assert ours[0] == "ran", f"minigan raised {ours[1]!r} where PyTorch ran"
    assert ours[1].shape == theirs[1].shape
    tol = (1e-4, 1e-5) if "float32" in dtypes else (1e-9, 1e-11)
    assert np.allclose(ours[1], theirs[1], *tol, equal_nan=True), (ours[1], theirs[1])
    assert ours[2:4] == theirs[2:4], "dtype or requires_grad"
    for mine, pytorch in zip(ours[4] or [None] * len(theirs[4] or ()), theirs[4] or [None] * len(ours[4] or ())):
        assert _close(mine, pytorch, *tol), ("first order", mine, pytorch)
    if isinstance(theirs[5], Exception) or isinstance(ours[5], Exception):
        assert isinstance(ours[5], _builtin(theirs[5]) if isinstance(theirs[5], Exception) else ()), \
            f"second order: minigan {ours[5]!r} | PyTorch {theirs[5]!r}"
        return
    for mine, pytorch in zip(ours[5] or [None] * len(theirs[5] or ()), theirs[5] or [None] * len(ours[5] or ())):
        # (float32: a second derivative of the negative orders sums terms of opposite signs, rounded apart)
        assert _close(mine, pytorch, *(5e-3, 1e-4) if "float32" in dtypes else tol), ("second order", mine, pytorch)
