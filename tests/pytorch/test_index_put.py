"""index_put against PyTorch (tests/pytorch/sweep.py):

* index_put and index_put_ check that the index tensors broadcast together (IndexError, 'shape mismatch') before the
  values' dtype, as PyTorch's make_info runs before its iterator's dtype check (held-out surface program 12298801:
  int64 indices of shapes (2, 3, 4) and (0, 3), float64 values into a bool tensor: PyTorch's IndexError, minigan's
  DtypeError). Drawn: index shapes that broadcast or not, integer or bool masks, values of the input's dtype or
  another, an input with a dimension of size 0; the exception's class (or the result) against PyTorch;
* index_put (function, method, index_put_; accumulate or not) with 0-d bool index tensors, as PyTorch documents it:
  ``x.index_put_(indices, values)`` is ``x[indices] = values``, where a 0-d True adds a dimension of one entry and a
  0-d False one of none (NumPy's rule, and PyTorch's indexing). The oracle is PyTorch's own index_put on x with that
  dimension made (unsqueeze) and indexed by [0] or by an empty index. minigan crashed on every 0-d mask (NumPy's
  ValueError, 'Calling nonzero on 0d arrays'); found by the surface programs (tests/pytorch/surface_programs.py, seed
  11701963). PyTorch's index_put itself drops a 0-d mask (a False one writes as if absent; only 0-d masks: an internal
  assert): docs/pytorch.md's row for it.
"""

import itertools

import numpy as np
import pytest

from pytorch.sweep import bits, sweep

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")


def _broadcast_first(L, index_shapes, input_spec, values, in_place):
    shape, dtype = input_spec
    x = L.zeros(shape, dtype=getattr(L, dtype))
    indices = tuple(L.tensor(np.zeros(s, dtype=np.int64)) for s in index_shapes)
    v = L.ones((1,), dtype=x.dtype if values == "same" else getattr(L, values))
    return x.index_put_(indices, v) if in_place else x.index_put(indices, v)


test_index_put_checks_the_broadcast_before_the_dtype = sweep(_broadcast_first, list(itertools.product(
    [((2,), (2,)), ((2, 3), (3,)), ((2, 3, 4), (0, 3)), ((2,), (3,)), ((0,), (2,)), ((1,), (0,))],
    [((3, 4), "float64"), ((3, 4), "bool"), ((0, 4), "float64"), ((3, 5), "int64")], ["same", "float64", "int64"],
    (False, True))))
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


def _zero_d_masks(L, indices, values, accumulate, form):
    if L is torch:  # (the oracle: the masks spelled as indexing spells them)
        return bits(_oracle(indices, VALUES[values], accumulate))
    x, index, v = L.tensor(X), tuple(L.tensor(INDICES[n]) for n in indices), L.tensor(VALUES[values])
    return bits(L.index_put(x, index, v, accumulate) if form == "function" else x.index_put(
        index, v, accumulate=accumulate) if form == "method" else x.index_put_(index, v, accumulate))


test_zero_d_masks_as_indexing = sweep(_zero_d_masks, [
    (indices, values, accumulate, form) for indices in [
        c for k in (1, 2) for c in itertools.product(INDICES, repeat=k) if any(isinstance(INDICES[n], bool) for n in c)
    ] + [("T", "i", "T"), ("i", "F", "k"), ("T", "T", "T"), ("m", "T", "i"), ("F", "F", "-i")]
    for values in VALUES for accumulate in [False, True] for form in ["function", "method", "index_put_"]],
    every=5, ids=lambda indices, *rest: "-".join([*indices, *map(str, rest)]))


def _gradients(L, indices):
    x = L.tensor(X[:, :, :1].copy() * 0 + 1.5, requires_grad=True)
    v = L.tensor(np.array([2.0]), requires_grad=True)
    if L is torch:  # (the oracle, as above)
        spelled, y, new = [], x, []
        for a, n in enumerate(indices):
            if n == "T":
                y, new = y.unsqueeze(a), new + [a]
                spelled.append(L.tensor([0]))
            else:
                spelled.append(L.tensor(INDICES[n]))
        out = y.index_put(tuple(spelled), v * 3, accumulate=True)
        for a in reversed(new):
            out = out.squeeze(a)
    else:
        out = x.index_put(tuple(L.tensor(INDICES[n]) for n in indices), v * 3, accumulate=True)
    return (out.detach(), *L.autograd.grad((out * out).sum(), (x, v)))


test_gradients_through_a_zero_d_mask = sweep(_gradients, [(("T",),), (("T", "i"),), (("i", "T"),), (("T", "k"),)],
                                             ids="-".join)
