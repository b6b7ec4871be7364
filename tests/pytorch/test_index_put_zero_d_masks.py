"""index_put (function, method, index_put_; accumulate or not) with 0-d bool index tensors, as PyTorch documents it:
``x.index_put_(indices, values)`` is ``x[indices] = values``, where a 0-d True adds a dimension of one entry and a
0-d False one of none (NumPy's rule, and PyTorch's indexing).  The oracle is PyTorch's own index_put on x with that
dimension made (unsqueeze) and indexed by [0] or by an empty index.  minigan crashed on every 0-d mask (NumPy's
ValueError, 'Calling nonzero on 0d arrays'); found by the surface programs (tests/pytorch/surface_programs.py, seed
11701963).  PyTorch's index_put itself drops a 0-d mask (a False one writes as if absent; only 0-d masks: an internal
assert): docs/pytorch.md's row for it."""

import itertools

import numpy as np
import pytest
from conftest import default_slice

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

import minigan  # noqa: E402
from pytorch.exception_oracle import outcome  # noqa: E402

X = np.arange(2 * 3 * 4, dtype=np.float64).reshape(2, 3, 4) - 7.5
X[0, 1, 2], X[1, 2, 3] = -0.0, np.nan
INDICES = {"T": True, "F": False, "i": [0, 1, 1], "-i": [-1], "m": [True, False], "k": 1, "f": [0.0]}
VALUES = {"one": np.array(2.5), "row": np.array([1.0, -2.0, 3.0, -4.0]), "inf": np.array([np.inf])}


def _oracle(indices, values, accumulate):
    """PyTorch's index_put of x with each 0-d mask spelled as a new dimension indexed by [0] (True) or [] (False)."""
    x, spelled, new = torch.tensor(X), [], []
    for name in indices:  # (each index here reads one dimension of x: the 1-D mask too)
        if isinstance(INDICES[name], bool):
            new.append(len(spelled))
            x = x.unsqueeze(len(spelled))
            spelled.append(torch.tensor([0] if INDICES[name] else [], dtype=torch.int64))
        else:
            spelled.append(torch.tensor(INDICES[name]))
    out = x.index_put(tuple(spelled), torch.tensor(values), accumulate)
    for a in reversed(new):
        out = out.squeeze(a)
    return out


def _ours(form, indices, values, accumulate):
    x = minigan.tensor(X)
    index = tuple(minigan.tensor(INDICES[n]) for n in indices)
    v = minigan.tensor(values)
    if form == "function":
        return minigan.index_put(x, index, v, accumulate)
    if form == "method":
        return x.index_put(index, v, accumulate=accumulate)
    return x.index_put_(index, v, accumulate)


def _outcome(call):
    return outcome(lambda: call())


CASES = [c for k in (1, 2) for c in itertools.product(INDICES, repeat=k)
         if any(isinstance(INDICES[n], bool) for n in c)]
CASES += [("T", "i", "T"), ("i", "F", "k"), ("T", "T", "T"), ("m", "T", "i"), ("F", "F", "-i")]


# Every 5th case by default (and each value of each argument), the rest under -m parity
@pytest.mark.parametrize("indices, values, accumulate, form", default_slice(
    [pytest.param(indices, values, accumulate, form, id=f"{'-'.join(indices)}-{values}-{accumulate}-{form}")
     for indices in CASES for values in VALUES for accumulate in [False, True]
     for form in ["function", "method", "index_put_"]], 5, cover="each"))
def test_zero_d_masks_as_indexing(indices, values, accumulate, form):
    theirs = _outcome(lambda: _oracle(indices, VALUES[values], accumulate))
    ours = _outcome(lambda: _ours(form, indices, VALUES[values], accumulate))
    if isinstance(theirs, Exception):
        builtin = next(t for t in type(theirs).__mro__ if t.__module__ == "builtins")
        assert isinstance(ours, builtin), f"minigan {ours!r} | PyTorch {theirs!r}"
        return
    assert not isinstance(ours, Exception), f"minigan {type(ours).__name__}: {ours}; PyTorch ran"
    assert tuple(ours.shape) == tuple(theirs.shape)
    np.testing.assert_array_equal(np.signbit(ours.numpy()), np.signbit(theirs.numpy()))
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())


@pytest.mark.parametrize("indices", [("T",), ("T", "i"), ("i", "T"), ("T", "k")], ids="-".join)
def test_gradients_through_a_zero_d_mask(indices):
    def run(lib, oracle):
        x = lib.tensor(X[:, :, :1].copy() * 0 + 1.5, requires_grad=True)
        v = lib.tensor(np.array([2.0]), requires_grad=True)
        if oracle:
            spelled, y, new = [], x, []
            for a, n in enumerate(indices):
                if n == "T":
                    y, new = y.unsqueeze(a), new + [a]
                    spelled.append(lib.tensor([0]))
                else:
                    spelled.append(lib.tensor(INDICES[n]))
            out = y.index_put(tuple(spelled), v * 3, accumulate=True)
            for a in reversed(new):
                out = out.squeeze(a)
        else:
            out = x.index_put(tuple(lib.tensor(INDICES[n]) for n in indices), v * 3, accumulate=True)
        gx, gv = (lib.autograd.grad((out * out).sum(), (x, v)))
        return out.detach().numpy(), gx.numpy(), gv.numpy()

    for ours, theirs in zip(run(minigan, False), run(torch, True)):
        np.testing.assert_array_equal(ours, theirs)
