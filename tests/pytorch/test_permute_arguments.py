"""permute's dims, as PyTorch binds them: the dims are required (``x.permute()`` is a TypeError, a 0-d tensor's
included, where NumPy's transpose() would reverse them), given as ints, one sequence, or ``dims=``; the ops built on
a permutation (movedim, .T, einsum's output order) on 0-d and 1-d tensors run as PyTorch's."""

import numpy as np
import pytest

import minigan

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

CALLS = {
    "x.permute()": lambda lib, x: x.permute(),
    "x.permute(())": lambda lib, x: x.permute(()),
    "x.permute([])": lambda lib, x: x.permute([]),
    "x.permute(dims=())": lambda lib, x: x.permute(dims=()),
    "torch.permute(x, ())": lambda lib, x: lib.permute(x, ()),
    "x.permute(reversed)": lambda lib, x: x.permute(*reversed(range(x.ndim))),
    "x.permute(tuple reversed)": lambda lib, x: x.permute(tuple(reversed(range(x.ndim)))),
    "torch.permute(x, reversed)": lambda lib, x: lib.permute(x, tuple(reversed(range(x.ndim)))),
    "x.permute(0)": lambda lib, x: x.permute(0),
    "movedim(0, 0)": lambda lib, x: x.movedim(0, 0) if x.ndim else x.movedim(0, -1),
    "x.T": lambda lib, x: x.T if x.ndim != 1 else x,
    "einsum to scalar": lambda lib, x: lib.einsum("->", x) if x.ndim == 0 else lib.einsum("i->i", x.reshape(-1)),
}


def _outcome(lib, call, shape):
    x = lib.tensor(np.arange(float(np.prod(shape))).reshape(shape))
    try:
        out = CALLS[call](lib, x)
    except Exception as e:  # noqa: BLE001  (the class is compared)
        return "TypeError" if isinstance(e, TypeError) else "RuntimeError" if isinstance(e, RuntimeError) else repr(e)
    return tuple(out.shape), np.asarray(out.tolist()).tolist()


@pytest.mark.parametrize("shape", [(), (3,), (2, 3), (2, 1, 3)])
@pytest.mark.parametrize("call", list(CALLS))
def test_permute_binds_its_dims_as_pytorch(call, shape):
    ours, theirs = _outcome(minigan, call, shape), _outcome(torch, call, shape)
    if theirs in ("TypeError", "RuntimeError"):
        assert ours == theirs or (theirs == "RuntimeError" and ours in ("TypeError", "RuntimeError")) and \
            not isinstance(ours, tuple), (call, shape, ours, theirs)
    else:
        assert ours == theirs, (call, shape, ours, theirs)
