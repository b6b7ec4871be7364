"""Every in-place Tensor method that has an out-of-place twin (``x.exp_()`` and ``x.exp()``, ``x.add_(a)`` and
``x.add(a)``) gives its twin's values, dtype and gradients: on a non-leaf and on a view of one, a weighted loss
through the changed tensor has the gradient (to the tensor and to the operands) that the same loss through the
twin's result has.  The methods are read from minigan.Tensor itself, so a new in-place form is compared here or
named below with the reason it is not.  (Runs without PyTorch: the property is minigan's own.)"""

import numpy as np
import pytest

import minigan

# The domain of x's values where the function is defined and smooth (REALS where not named)
REALS, POSITIVE, UNIT, ABOVE_ONE, OPEN_UNIT = (-2.0, 2.0), (0.2, 3.0), (-0.9, 0.9), (1.1, 3.0), (0.05, 0.95)
DOMAINS = {**dict.fromkeys(["log_", "log2_", "log10_", "log1p_", "sqrt_", "rsqrt_", "reciprocal_", "pow_"], POSITIVE),
           **dict.fromkeys(["asin_", "acos_", "arcsin_", "arccos_", "atanh_", "arctanh_", "erfinv_", "tan_"], UNIT),
           **dict.fromkeys(["acosh_", "arccosh_"], ABOVE_ONE), "logit_": OPEN_UNIT}
# The operands of the methods that take some, given two tensors a and b shaped as x (3 x 4)
ARGUMENTS = {
    "add_": lambda a, b: (a,), "sub_": lambda a, b: (b,), "subtract_": lambda a, b: (a,), "mul_": lambda a, b: (a,),
    "multiply_": lambda a, b: (b,), "div_": lambda a, b: (b * b + 1,), "divide_": lambda a, b: (a * a + 0.5,),
    "true_divide_": lambda a, b: (a * a + 0.5,), "pow_": lambda a, b: (a,), "fmod_": lambda a, b: (1.5,),
    "remainder_": lambda a, b: (a * a + 0.5,), "atan2_": lambda a, b: (a,), "arctan2_": lambda a, b: (b,),
    "hypot_": lambda a, b: (a,), "xlogy_": lambda a, b: (a * a + 0.5,), "lerp_": lambda a, b: (a, b.sigmoid()),
    "addcmul_": lambda a, b: (a, b), "addcdiv_": lambda a, b: (a, b * b + 0.5),
    "addmm_": lambda a, b: (a, b.t() @ b),
    "clamp_": lambda a, b: (-0.5, 0.5), "clip_": lambda a, b: (None, 0.5), "clamp_min_": lambda a, b: (0.3,),
    "clamp_max_": lambda a, b: (0.3,), "masked_fill_": lambda a, b: (a > 0, 0.75),
    "index_add_": lambda a, b: (0, a[:, 0].argsort(), b), "index_copy_": lambda a, b: (1, a.argsort(1)[0], b),
    "index_fill_": lambda a, b: (1, minigan.tensor([3, 1]), 0.5), "scatter_": lambda a, b: (1, a.argsort(1), b),
    "scatter_add_": lambda a, b: (1, a.argsort(1)[:, :2], b[:, :2]),
    "index_put_": lambda a, b: ((minigan.tensor([0, 1]), minigan.tensor([1, 3])), b[0, :2]),
    "floor_divide_": lambda a, b: (0.7,),
}
# In-place methods not compared with a twin here, each with the reason
NOT_HERE = {
    "bernoulli_": "draws random numbers (its twin draws others)", "detach_": "cuts the graph (no values change)",
    "requires_grad_": "sets a flag", "bitwise_and_": "integers and bools only (tests/pytorch/test_recorded_bitwise.py)",
    "bitwise_or_": "integers and bools only", "bitwise_xor_": "integers and bools only",
    "bitwise_not_": "integers and bools only", "bitwise_left_shift_": "integers and bools only",
    "bitwise_right_shift_": "integers and bools only",
    **dict.fromkeys(["t_", "transpose_", "swapdims_", "swapaxes_", "squeeze_", "unsqueeze_"],
                    "changes the shape: refused in a graph, as docs/pytorch.md says (PyTorch records it); compared "
                    "with PyTorch outside one in tests/pytorch/test_shapes.py"),
}
# The in-place forms without a derivative: values and dtypes only (floor_divide_'s twin has none either; acosh_,
# asinh_ and atanh_ have none where their twins have one, as PyTorch's: tests/pytorch/test_no_derivative.py)
NO_DERIVATIVE = {"floor_divide_", "acosh_", "arccosh_", "asinh_", "arcsinh_", "atanh_", "arctanh_"}


def _twins():
    """Every in-place method of minigan.Tensor whose name without the final _ is also a method."""
    return sorted(name for name in dir(minigan.Tensor) if name.endswith("_") and not name.startswith("_")
                  and hasattr(minigan.Tensor, name) and hasattr(minigan.Tensor, name[:-1]) and name not in NOT_HERE)


def _run(name, in_place, view):
    """The changed tensor's values and the gradients of a weighted loss through it, to x and to the operands."""
    rng = np.random.default_rng(0)
    lo, hi = DOMAINS.get(name, REALS)
    leaf = minigan.tensor(rng.uniform(lo, hi, (3, 4)), requires_grad=name not in NO_DERIVATIVE)
    a, b = (minigan.tensor(rng.normal(size=(3, 4)), requires_grad=name not in NO_DERIVATIVE) for _ in range(2))
    x = leaf * 1.0  # a non-leaf: an in-place change on it is recorded
    place = x[1:] if view else x
    args = ARGUMENTS.get(name, lambda a, b: ())(a[1:] if view else a, b[1:] if view else b)
    if in_place:
        assert getattr(place, name)(*args) is place
        result = x
    else:  # the twin's result written where the in-place form would have written it, out of place
        changed = getattr(place, name[:-1])(*args)
        result = minigan.cat([x[:1], changed]) if view else changed
    if name in NO_DERIVATIVE:
        return result.detach().numpy().copy(), str(result.dtype), []
    weights = minigan.tensor(np.arange(12.0).reshape(3, 4) - 5)
    (result * weights).sum().backward()
    return (result.detach().numpy().copy(), str(result.dtype),
            [t.grad.numpy().copy() if t.grad is not None else None for t in (leaf, a, b)])


@pytest.mark.parametrize("view", [False, True], ids=["tensor", "view"])
@pytest.mark.parametrize("name", _twins())
def test_in_place_gives_its_twins_values_and_gradients(name, view):
    values, dtype, grads = _run(name, True, view)
    twin_values, twin_dtype, twin_grads = _run(name, False, view)
    assert dtype == twin_dtype
    np.testing.assert_allclose(values, twin_values, rtol=1e-12, atol=0, equal_nan=True)
    assert [g is None for g in grads] == [g is None for g in twin_grads], "a gradient reaches one and not the other"
    for g, twin_g in zip(grads, twin_grads):
        if g is not None:
            np.testing.assert_allclose(g, twin_g, rtol=1e-12, atol=1e-15)


def test_every_in_place_method_is_compared_or_named():
    in_place = {name for name in dir(minigan.Tensor) if name.endswith("_") and not name.startswith("_")
                and hasattr(minigan.Tensor, name)}  # (dir() lists PyTorch's names minigan lacks too: they raise)
    without_twin = {name for name in in_place if not hasattr(minigan.Tensor, name[:-1])}
    assert without_twin <= {"copy_", "fill_", "zero_", "normal_", "uniform_", "random_", "exponential_", "geometric_",
                            "cauchy_", "log_normal_", "resize_", "resize_as_"}, without_twin
    assert set(NOT_HERE) <= in_place and set(ARGUMENTS) <= in_place
