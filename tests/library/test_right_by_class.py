"""Four classes of silently wrong results, each checked as a class over every op a survey can call, against PyTorch
(float64) as the oracle:

1. an integer or bool result never requires grad and is never part of the graph (casts, argmax, comparisons...);
2. a result that shares memory with its input is a view of it (the same version counter, ``_base``), and shares it
   exactly when PyTorch's result does (a view there: a view here; a copy there: a copy here);
3. a backward that masks SELECTS (``where(mask, grad, 0)``): an ∞ or NaN gradient where the mask is off gives 0, as
   in PyTorch, to first and second order (and where PyTorch multiplies, as dropout and amax do, minigan does too);
4. the smaller ones: retain_grad after an in-place change through a view, detach_ on a used leaf, ``+x``,
   ``scatter(dim, index, 0.0)``, ``flatten`` of a 1-D tensor, in-place changes of split/unbind/chunk outputs.

The survey calls every public Tensor method and ``minigan.*`` function (in-place ones aside) on a few inputs with
each argument list of a small catalogue; what runs is checked, and PyTorch runs the same call beside it.


(Its comparisons with PyTorch: tests/pytorch/test_right_by_class.py.)"""

import numpy as np
import pytest

import minigan


def test_the_issue_relu_sqrt_example():
    x = minigan.tensor([0.5, -1.0, 2.0, 0.0, -3.0], dtype=minigan.float64, requires_grad=True)
    with np.errstate(divide="ignore"):
        x.relu().sqrt().sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [0.5 ** -0.5 / 2, 0, 2 ** -0.5 / 2, 0, 0])


@pytest.mark.parametrize("op", ["max_dim", "min_dim", "median", "kthvalue", "topk_0d", "quantile", "roll", "rot90"])
def test_reductions_and_rearrangements_are_not_views_of_a_temporary(op):
    x = minigan.tensor(np.arange(12.0).reshape(3, 4), requires_grad=True)
    r = {"max_dim": lambda: x.max(1).values, "min_dim": lambda: x.min(0)[0], "median": lambda: x.median(1).values,
         "kthvalue": lambda: x.kthvalue(2, 1).values, "topk_0d": lambda: x[0, 0].topk(1).values,
         "quantile": lambda: x.quantile(0.5, 1), "roll": lambda: x.roll(1), "rot90": lambda: x.rot90()}[op]()
    assert r._base is None
    y = r * 1.0
    r.detach_()  # a tensor of its own: PyTorch's detach_ takes it (a view it refuses)
    assert not r.requires_grad and y.requires_grad


def test_an_in_place_change_of_an_expanded_array_is_refused_whatever_its_writeable_flag():
    """CuPy's broadcast_to gives a writable array (NumPy's is read-only): minigan refuses the write by the zero
    stride, as PyTorch refuses writing into an expanded tensor (found by random programs on an H200)."""
    import minigan
    from minigan.engine.errors import GraphError

    base = np.arange(3.0)
    shared = np.lib.stride_tricks.as_strided(base, shape=(4, 3), strides=(0, base.strides[0]))  # writable, as CuPy's
    assert shared.flags.writeable
    t = minigan.from_numpy(shared)
    for change in (lambda: t.add_(1), lambda: t.fill_(0), lambda: t.__setitem__(0, 5.0)):
        with pytest.raises(GraphError, match="read-only"):
            change()
    assert (base == np.arange(3.0)).all()
