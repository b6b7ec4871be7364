"""addmv of an empty matrix (no rows or no columns) against PyTorch: its kernel then gives beta·input in the
input's own shape (a 0-d or one-entry input is not broadcast to mat's rows), and zeros of mat's rows when beta is 0;
PyTorch's warning that it resized its result; the result requires grad when an operand does, and a backward into
mat or vec through an unbroadcast result refuses, as PyTorch's does.  Inputs of every shape addmv takes, alpha and
beta 0, 1 and others, each operand requiring grad or not."""

from __future__ import annotations

import itertools
import warnings

import pytest

import minigan

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

GEOMETRY = [((), (0, 3), (3,)), ((1,), (0, 3), (3,)), ((0,), (0, 3), (3,)), ((), (2, 0), (0,)),
            ((1,), (2, 0), (0,)), ((2,), (2, 0), (0,)), ((), (0, 0), (0,)), ((), (2, 3), (3,))]
SCALES = [(1, 1), (0, 1), (1, 0), (2, 0.5), (-1, 3)]


def _run(lib, shapes, alpha, beta, grads):
    s, m, v = (lib.full(shape, 1.5 + i, dtype=lib.float64, requires_grad=g)
               for i, (shape, g) in enumerate(zip(shapes, grads)))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            r = lib.addmv(s, m, v, alpha=alpha, beta=beta)
        except RuntimeError as e:
            return ("forward refused", type(e).__mro__[-3].__name__)
    record = [tuple(r.shape), r.tolist(), r.requires_grad, [w.category.__name__ for w in caught]]
    if r.requires_grad:
        try:
            r.sum().backward()
            record.append([None if t.grad is None else t.grad.tolist() for t in (s, m, v)])
        except RuntimeError:
            record.append("backward refused")
    return record


@pytest.mark.parametrize("grads", list(itertools.product([False, True], repeat=3)), ids=str)
@pytest.mark.parametrize("alpha,beta", SCALES)
@pytest.mark.parametrize("shapes", GEOMETRY, ids=str)
def test_addmv_of_an_empty_matrix_as_pytorch(shapes, alpha, beta, grads):
    assert _run(minigan, shapes, alpha, beta, grads) == _run(torch, shapes, alpha, beta, grads)
