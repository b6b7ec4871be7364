"""Ops without a derivative (minigan/surface/no_derivative.py), without PyTorch: the forward runs and its result
requires grad where an input does; a backward that reaches the op raises a RuntimeError naming it
(NotImplementedError where PyTorch declares the derivative not implemented); a backward that does not reach it, or
reaches only its detached result, runs.  (Against PyTorch: tests/pytorch/test_no_derivative.py.)"""

import numpy as np
import pytest

import minigan
import minigan.functional as F

X = np.array([[1.5, -2.0, 3.25], [0.5, 4.0, -3.5]])

CALLS = [  # (the call, the op named, whether PyTorch declares it not implemented: NotImplementedError)
    (lambda x: x // 2, "floor_divide", False),
    (lambda x: minigan.floor_divide(7.0, x), "floor_divide", False),
    (lambda x: (x * 1).floor_divide_(2), "floor_divide_", False),
    (lambda x: minigan.bernoulli(x, 0.5), "bernoulli", False),
    (lambda x: minigan.histogram(x, 4)[0], "histogram", False),
    (lambda x: minigan.histogram(x, 4)[1], "histogram", False),
    (lambda x: x.unique(), "_unique2", True),
    (lambda x: minigan.unique(x, dim=1), "unique_dim", True),
    (lambda x: (x + 5).acosh_(), "inplace version of acosh", True),
    (lambda x: (x * 1).asinh_(), "inplace version of asinh", True),
    (lambda x: (x / 5).atanh_(), "inplace version of atanh", True),
]


@pytest.mark.parametrize("call, op, declared", CALLS, ids=[c[1] + str(k) for k, c in enumerate(CALLS)])
def test_the_backward_that_reaches_it_raises_naming_the_op(call, op, declared):
    x = minigan.tensor(X, requires_grad=True)
    y = call(x)
    assert y.requires_grad and y.grad_fn is not None
    with pytest.raises(NotImplementedError if declared else RuntimeError, match=op) as info:
        (y.sum() * x.sum()).backward()
    assert "\n" not in str(info.value)
    assert declared or not isinstance(info.value, NotImplementedError)  # (a RuntimeError, as PyTorch's)
    x.grad = None
    (y.detach().sum() * x.sum()).backward()  # the result taken as a constant: its gradient is its sum
    np.testing.assert_allclose(x.grad.numpy(), np.full(X.shape, y.detach().sum().item()))


@pytest.mark.parametrize("call, op, declared", CALLS, ids=[c[1] + str(k) for k, c in enumerate(CALLS)])
def test_without_an_input_that_requires_grad_nothing_is_recorded(call, op, declared):
    y = call(minigan.tensor(X))
    assert not y.requires_grad and y.grad_fn is None
    with minigan.no_grad():
        y = call(minigan.tensor(X, requires_grad=True))
    assert not y.requires_grad


def test_hardsigmoid_has_a_first_derivative_and_refuses_the_second():
    x = minigan.tensor([-4.0, -3.0, -1.0, 0.0, 2.5, 3.0, 5.0], dtype=minigan.float64, requires_grad=True)
    (g,) = minigan.autograd.grad(F.hardsigmoid(x).sum(), x, create_graph=True)
    sixth = float(np.float32(1 / 6))  # PyTorch's kernel multiplies by its float constant 1/6, in every dtype
    np.testing.assert_array_equal(g.detach().numpy(), [0, 0, sixth, sixth, sixth, 0, 0])  # 1/6 inside (−3, 3)
    assert g.requires_grad
    with pytest.raises(RuntimeError, match="hardsigmoid_backward"):
        minigan.autograd.grad((g * g).sum(), x)
    (g1,) = minigan.autograd.grad(F.hardsigmoid(x).sum(), x)  # at first order alone nothing is refused
    np.testing.assert_array_equal(g1.numpy(), g.detach().numpy())


@pytest.mark.parametrize("p, mode, rows, refused", [(2.0, "use_mm_for_euclid_dist_if_necessary", 3, True),
                                                    (1.0, "use_mm_for_euclid_dist_if_necessary", 30, True),
                                                    (2.0, "use_mm_for_euclid_dist_if_necessary", 30, False),
                                                    (2.0, "use_mm_for_euclid_dist", 3, False),
                                                    (2.0, "donot_use_mm_for_euclid_dist", 30, True)])
def test_cdist_is_differentiable_twice_only_by_pytorchs_mm_algorithm(p, mode, rows, refused):
    x = minigan.tensor(np.linspace(-1.0, 2.0, rows * 3).reshape(rows, 3) ** 2, requires_grad=True)
    d = minigan.cdist(x, minigan.tensor(X), p=p, compute_mode=mode)
    (g,) = minigan.autograd.grad(d.sum(), x, create_graph=True)  # (the first order: the same either way)
    (g1,) = minigan.autograd.grad(minigan.cdist(x, minigan.tensor(X), p=p).sum(), x)
    np.testing.assert_allclose(g.detach().numpy(), g1.numpy())
    if refused:
        with pytest.raises(NotImplementedError, match="_cdist_backward"):
            minigan.autograd.grad((g * g).sum(), x)
    else:
        assert np.isfinite(minigan.autograd.grad((g * g).sum(), x)[0].numpy()).all()
