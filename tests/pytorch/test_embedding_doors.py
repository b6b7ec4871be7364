"""F.embedding and nn.Embedding check their arguments in PyTorch's order and raise its classes: padding_idx first
(AssertionError "Padding_idx must be within num_embeddings", read against weight.size(0), so a 0-d weight is an
IndexError there), max_norm's renormalisation next (a weight of another rank, integer indices, a floating weight:
RuntimeError), then the lookup (a 2-D weight, int64 or int32 indices: RuntimeError; an index out of range:
IndexError).  A weight of any dtype is looked up (a bool or integer table gives its rows, as PyTorch's).  Drawn over a
grid against PyTorch float64: outcome, class, values, dtype and the weight's gradient."""

import math
import random
import warnings

import numpy as np
import pytest

import minigan
from pytorch.exception_oracle import builtin_class as _builtin

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

WEIGHTS = [(4, 3), (4, 3), (4, 3), (), (4,), (0, 3), (2, 3, 4), (1, 1)]
INDICES = [[1], [[0, 3], [2, 2]], 2, [], [-1], [4], [0, 0, 1], [[1]]]


def _cases(n, seed):
    draw = random.Random(seed)
    for k in range(n):
        weight = (draw.choice(WEIGHTS), draw.choice(["float64"] * 4 + ["float32", "int64", "bool"]))
        index = (draw.choice(INDICES), draw.choice(["int64"] * 5 + ["int32", "float64", "bool"]))
        options = {}
        if draw.random() < 0.5:
            options["padding_idx"] = draw.choice([0, 2, -1, 3, 4, -4, -5])
        if draw.random() < 0.3:
            options["max_norm"], options["norm_type"] = draw.choice([0.5, 1.0]), draw.choice([2.0, 1.0, math.inf])
        if draw.random() < 0.3:
            options["scale_grad_by_freq"] = True
        yield weight, index, options, k


def _outcome(lib, case):
    (shape, dtype), (index, index_dtype), options, k = case
    values = np.random.default_rng(k).normal(size=shape) * 2
    weight = lib.tensor(values, dtype=getattr(lib, dtype), requires_grad=dtype.startswith("float"))
    index = lib.tensor(np.asarray(index), dtype=getattr(lib, index_dtype))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            out = lib.nn.functional.embedding(index, weight, **options)
        except Exception as e:  # noqa: BLE001  (the class is what is compared)
            return "raised", type(e), f"{type(e).__name__}: {e}"
    grad = None
    if out.requires_grad:
        (out * lib.tensor(np.arange(out.numel()).reshape(tuple(out.shape)) % 3, dtype=out.dtype)).sum().backward()
        grad = weight.grad.numpy()
    return "ran", out.detach().numpy().astype(float), str(out.dtype).split(".")[-1], tuple(out.shape), \
        out.requires_grad, grad, weight.detach().numpy().astype(float)


def _disagreement(case):
    theirs, ours = _outcome(torch, case), _outcome(minigan, case)
    if theirs[0] != ours[0]:
        return f"{case}: PyTorch {theirs[-1] if theirs[0] == 'raised' else 'ran'}, minigan " \
               f"{ours[-1] if ours[0] == 'raised' else 'ran'}"
    if theirs[0] == "raised":
        return None if issubclass(ours[1], _builtin(theirs[1])) else f"{case}: PyTorch {theirs[2]}, minigan {ours[2]}"
    same = theirs[2:5] == ours[2:5] and np.allclose(theirs[1], ours[1], rtol=1e-6) and \
        np.allclose(theirs[6], ours[6], rtol=1e-6) and (theirs[5] is None) == (ours[5] is None) and \
        (theirs[5] is None or np.allclose(theirs[5], ours[5], rtol=1e-6))
    return None if same else f"{case}: PyTorch {theirs[1:]}, minigan {ours[1:]}"


def test_embedding_checks_values_and_gradients_as_pytorch():
    found = [d for d in (_disagreement(case) for case in _cases(500, 3)) if d]
    assert not found, f"{len(found)} of 500 calls of F.embedding differ from PyTorch, e.g.\n" + "\n".join(found[:8])


@pytest.mark.parametrize("padding_idx", [4, -5, 9])
def test_embedding_layer_refuses_a_padding_idx_outside_its_table_as_pytorch(padding_idx):
    with pytest.raises(AssertionError, match="Padding_idx must be within num_embeddings"):
        torch.nn.Embedding(4, 3, padding_idx=padding_idx)
    with pytest.raises(AssertionError, match="padding_idx"):
        minigan.nn.Embedding(4, 3, padding_idx=padding_idx)
