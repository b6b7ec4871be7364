"""embedding's result is a new tensor, never a view of its weight, for indices of every shape (0-d included), as
PyTorch's (an index_select).  Found by the surface programs' shape-coherent draws (tests/pytorch/surface_programs.py,
seed 11627023): with a 0-d index minigan's result was the row itself, a view, so a write into it changed weight."""

import numpy as np
import pytest

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

import minigan  # noqa: E402

INDICES = [np.int64(1), np.array(0), np.array([2]), np.array([1, 1, 0]), np.array([[0, 2], [1, 0]]),
           np.zeros((0,), np.int64), np.zeros((2, 0), np.int64)]
OPTIONS = [{}, {"padding_idx": 1}, {"max_norm": 1.0}, {"scale_grad_by_freq": True}]


def _run(lib, index, options, requires_grad):
    weight = lib.tensor(np.arange(12.0).reshape(3, 4) - 5, dtype=lib.float64, requires_grad=requires_grad)
    out = lib.nn.functional.embedding(lib.tensor(np.asarray(index)), weight, **options)
    with lib.no_grad():
        before = weight.detach().clone()
        out.add_(100.0) if out.numel() else None  # (a write into the result must leave weight as it was)
    return out.detach().numpy().copy(), weight.detach().numpy().copy(), before.numpy()


@pytest.mark.parametrize("requires_grad", [False, True])
@pytest.mark.parametrize("options", OPTIONS)
@pytest.mark.parametrize("index", INDICES, ids=lambda a: str(np.asarray(a).shape))
def test_a_write_into_the_result_leaves_weight(index, options, requires_grad):
    ours, theirs = _run(minigan, index, options, requires_grad), _run(torch, index, options, requires_grad)
    np.testing.assert_array_equal(ours[0], theirs[0])
    np.testing.assert_array_equal(ours[1], theirs[1])
    np.testing.assert_array_equal(ours[1], ours[2])
