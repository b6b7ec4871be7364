"""einsum: a letter repeated within one operand takes its diagonal, so its sizes there must be equal (PyTorch's
RuntimeError "subscript i is repeated for operand 0 but the sizes don't match"), where a size 1 against another
operand's size broadcasts.  Outcomes (shape and values, or the refusal's class) against PyTorch."""

import itertools

import numpy as np
import pytest

import minigan

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

EQUATIONS = ["ii->i", "ii", "iij->j", "ij,ii->j", "ii,i->i", "iji->j"]
SHAPES = [(1, 3), (3, 1), (3, 3), (2, 3), (1, 1), (3,), (3, 3, 3), (1, 3, 1), (3, 2, 3)]


def _outcome(lib, equation, shapes):
    xs = [lib.tensor(np.arange(float(np.prod(s))).reshape(s)) for s in shapes]
    try:
        out = lib.einsum(equation, *xs)
    except RuntimeError:
        return "RuntimeError"
    except ValueError:
        return "ValueError"
    return tuple(out.shape), np.asarray(out.tolist()).tolist()


@pytest.mark.parametrize("equation", EQUATIONS)
def test_a_repeated_letter_needs_equal_sizes_in_its_operand(equation):
    n = equation.split("->")[0].count(",") + 1
    for shapes in itertools.product(SHAPES, repeat=n):
        theirs = _outcome(torch, equation, shapes)
        ours = _outcome(minigan, equation, shapes)
        assert ours == theirs or theirs == "RuntimeError" and ours == "RuntimeError", (equation, shapes, ours, theirs)
