"""Silently wrong results, on minigan alone: relu of sqrt's infinite slope at 0 (the issue's example), reductions and
rearrangements that are not views of a temporary, and an in-place change of an expanded array refused whatever its
writeable flag.

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


def test_an_in_place_change_of_an_expanded_array_is_decided_by_its_strides_whatever_its_writeable_flag():
    """CuPy's broadcast_to gives a writable array (NumPy's is read-only): minigan decides by the zero stride, as
    PyTorch decides by the memory: an op that computes (add_) is refused, since entries share one element (found by
    random programs on an H200); fill_ writes through, and x[0] = v writes the row x[0], which shares nothing."""
    import minigan
    from minigan.engine.errors import GraphError

    base = np.arange(3.0)
    shared = np.lib.stride_tricks.as_strided(base, shape=(4, 3), strides=(0, base.strides[0]))  # writable, as CuPy's
    assert shared.flags.writeable
    t = minigan.from_numpy(shared)
    for change in (lambda: t.add_(1), lambda: t[:, 0].fill_(minigan.tensor(2.0)), lambda: t.__setitem__(..., 1.0)):
        with pytest.raises(GraphError, match="refers to one memory location"):
            change()
    assert (base == np.arange(3.0)).all()
    t.fill_(7.0)
    assert (base == 7.0).all()
    t[0] = 5.0
    assert (base == 5.0).all()
    frozen = np.arange(3.0)
    frozen.flags.writeable = False  # an array NumPy marks read-only stays refused, expanded or not
    for x in (minigan.from_numpy(frozen), minigan.from_numpy(frozen).expand(2, 3)):
        with pytest.raises(GraphError, match="read-only"):
            x.fill_(1.0)
    assert (frozen == np.arange(3.0)).all()
