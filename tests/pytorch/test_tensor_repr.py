"""repr(tensor) against PyTorch where a record cannot say it (tests/pytorch/test_recorded_tensor_prints.py compares the
prints of values of every dtype and style with PyTorch's recorded text, without PyTorch; that the record is PyTorch's:
tests/pytorch/test_records_are_pytorchs.py): the style of a summarized tensor comes from the shown values only, a
grad_fn PyTorch names otherwise leaves the values' print alike, and a user Function names its node as PyTorch's. The one
dtype prints with the library's name (``dtype=minigan.float64`` for ``dtype=torch.float64``)."""

import re

import numpy as np
import pytest

import minigan

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")


def _theirs(t) -> str:
    return repr(t).replace("torch.", "minigan.")


def _both(array, **kwargs):
    """The same values as a minigan and a torch tensor (torch.tensor copies, so the dtype is the array's)."""
    return minigan.tensor(array, **kwargs), torch.tensor(array, **kwargs)


def test_summarized_style_is_picked_from_the_shown_values_only():
    values = np.arange(100, 1200, dtype=np.float32)
    values[500] = 0.5  # a hidden fraction (and a hidden small value) change neither the style nor the width
    ours, theirs = _both(values)
    assert repr(ours) == _theirs(theirs) == "tensor([ 100.,  101.,  102.,  ..., 1197., 1198., 1199.])"


@pytest.mark.parametrize("op", [lambda L, x: x.relu(), lambda L, x: x @ x.T, lambda L, x: x.reshape(3, 2),
                                lambda L, x: x[0], lambda L, x: x.max(), lambda L, x: x.float() ** 2])
def test_a_result_whose_op_pytorch_names_otherwise_prints_the_same_values(op):
    rng = np.random.default_rng(6)
    values = rng.standard_normal((2, 3))
    ours, theirs = (repr(op(L, L.tensor(values, requires_grad=True))) for L in (minigan, torch))
    pattern = r"grad_fn=<\w+Backward\d*>"
    assert re.search(pattern, ours)
    assert re.sub(pattern, "grad_fn", ours) == re.sub(pattern, "grad_fn", theirs.replace("torch.", "minigan."))


def test_a_user_function_names_its_node_as_pytorch():
    def make(L):
        class Square(L.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                ctx.save_for_backward(x)
                return x * x

            @staticmethod
            def backward(ctx, grad):
                (x,) = ctx.saved_tensors
                return 2 * x * grad
        return Square

    ours = make(minigan).apply(minigan.tensor([1.0, 2.0], requires_grad=True))
    theirs = make(torch).apply(torch.tensor([1.0, 2.0], requires_grad=True))
    assert repr(ours) == _theirs(theirs) == "tensor([1., 4.], grad_fn=<SquareBackward>)"
