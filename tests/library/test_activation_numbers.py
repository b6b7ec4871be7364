"""The elu kernel's special values and the forms a number argument takes, stated without PyTorch (its comparisons:
tests/pytorch/test_elu_family_bits.py and test_activation_scalar_forms.py).

- elu_(x, α, scale, input_scale) gives ±0 at ±0 whatever α and input_scale are (0·∞ is never formed: x ≥ 0 takes
  scale·x), and α or input_scale NaN or infinite leaves the entries x > 0 alone;
- its in-place forms' gradient, computed from the result, is the derivative's closed form scale·α·input_scale·
  e^(x·input_scale) (finite differences agree with it);
- celu's backward reads α as a float32: an α beyond float32's range runs forward and refuses at backward;
- a NumPy scalar is the Python number it holds, to the bit; a 0-d tensor that does not require grad is read as its
  value, one that does is refused (TypeError);
- nn.Softplus is F.softplus with its β and threshold; nn.Hardtanh refuses max_val <= min_val (AssertionError).
"""

import math
import warnings

import numpy as np
import pytest

import minigan
import minigan.functional as F

NAN, INF = float("nan"), float("inf")
SPECIAL = [NAN, INF, -INF, 0.0, -0.0, -2.0, 3.5]


@pytest.mark.parametrize("input_scale", SPECIAL)
@pytest.mark.parametrize("alpha", SPECIAL)
def test_elu_keeps_signed_zeros_and_positive_entries_whatever_its_coefficients(alpha, input_scale):
    x = minigan.tensor([0.0, -0.0, 2.0, 1e300], dtype=minigan.float64)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        y = F.elu_(x, alpha, 1.5, input_scale).numpy()
    assert y[0] == 0 and not np.signbit(y[0]) and y[1] == 0 and np.signbit(y[1])
    assert y[2] == 3.0 and y[3] == 1.5e300


@pytest.mark.parametrize("door", ["elu_", "celu_", "selu_", "elu"])
def test_the_elu_gradient_is_its_closed_form(door):
    """d/dx = scale·α·input_scale·e^(x·input_scale) for x ≤ 0, scale above, read from the result in place."""
    alpha, scale, input_scale = {"elu_": (0.7, 1.3, 2.0), "celu_": (0.5, 1.0, 2.0), "elu": (1.7, 1.0, 1.0),
                                 "selu_": (1.6732632423543772, 1.0507009873554805, 1.0)}[door]
    call = {"elu_": lambda t: F.elu_(t, alpha, scale, input_scale), "celu_": lambda t: F.celu_(t, alpha),
            "selu_": F.selu_, "elu": lambda t: F.elu(t, alpha)}[door]
    values = np.array([-3.0, -1.0, -0.25, -1e-3, 0.5, 2.0])
    x = minigan.tensor(values, dtype=minigan.float64, requires_grad=True)
    (g,) = minigan.autograd.grad(call(x * 1).sum(), x)
    closed = np.where(values > 0, scale, scale * alpha * input_scale * np.exp(values * input_scale))
    assert np.allclose(g.numpy(), closed, rtol=1e-12, atol=0)  # (from the result: result + α·scale cancels a little)
    h = 1e-6  # (and finite differences of the value agree with it)
    with minigan.no_grad():
        up, down = (call(minigan.tensor(values + d, dtype=minigan.float64)).numpy() for d in (h, -h))
    assert np.allclose((up - down) / (2 * h), closed, rtol=1e-7)


def test_celus_backward_refuses_an_alpha_beyond_float32_and_its_forward_runs():
    x = minigan.tensor([-1.0, 0.5], dtype=minigan.float64, requires_grad=True)
    y = F.celu(x, 1e300)
    assert y.requires_grad and np.allclose(y.detach().numpy(), [-1.0, 0.5])
    with pytest.raises(RuntimeError, match="float32"):
        y.sum().backward()
    with pytest.raises(RuntimeError):  # (a float32 input reads α as a float32 in its forward already)
        F.celu(x.detach().float(), 1e300)


CALLS = {
    "hardtanh": lambda x, v: F.hardtanh(x, v, 2.0), "leaky_relu": lambda x, v: F.leaky_relu(x, v),
    "threshold": lambda x, v: F.threshold(x, v, -2.0), "softplus": lambda x, v: F.softplus(x, 2.0, v),
    "elu": lambda x, v: F.elu(x, v), "celu": lambda x, v: F.celu(x, v), "elu_": lambda x, v: F.elu_(x * 1, 1.0, v),
    "hardshrink": lambda x, v: F.hardshrink(x, v), "clamp": lambda x, v: minigan.clamp(x, v, 2.0),
}


def _bits(call, v):
    x = minigan.tensor([-30.0, -2.5, -0.0, 0.0, 0.3, 30.0, NAN], dtype=minigan.float64, requires_grad=True)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            y = call(x, v)
            (g,) = minigan.autograd.grad(y.sum(), x, allow_unused=True)
    except Exception as e:  # noqa: BLE001 - a refusal is compared by its class
        return type(e)
    return [a.view(np.int64).tolist() for a in (y.detach().numpy(), np.zeros(7) if g is None else g.numpy())]


@pytest.mark.parametrize("name", sorted(CALLS))
def test_a_numpy_scalar_or_a_0d_tensor_is_the_number_it_holds(name):
    for number in [0.5, -1.5, 3, INF, -INF, 0.0]:
        expected = _bits(CALLS[name], number)
        forms = [np.float64(number), minigan.tensor(float(number), dtype=minigan.float64)]
        forms += [np.float32(number)] if float(np.float32(number)) == number else []
        forms += [np.int64(number), minigan.tensor(number)] if isinstance(number, int) else []
        for form in forms:
            assert _bits(CALLS[name], form) == expected, (name, number, form)
    with pytest.raises(TypeError):  # (a bound that requires grad is no number: PyTorch refuses it too)
        CALLS[name](minigan.tensor([1.0, -1.0]), minigan.tensor(0.5, requires_grad=True))


def test_softplus_the_module_is_the_function_with_its_beta_and_threshold():
    x = minigan.tensor([-3.0, -0.5, 0.0, 0.4, 1.5, 9.0], dtype=minigan.float64)
    for beta, threshold in [(2.0, 1.0), (0.5, 20.0), (-1.0, 5.0), (INF, 20.0)]:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            a = minigan.nn.Softplus(beta, threshold)(x).numpy()
            b = F.softplus(x, beta, threshold).numpy()
        assert np.array_equal(a, b, equal_nan=True)
    expected = [math.log1p(math.exp(2 * v)) / 2 if 2 * v <= 1.0 else v for v in x.numpy()]
    assert np.allclose(minigan.nn.Softplus(2.0, 1.0)(x).numpy(), expected, rtol=1e-15)


@pytest.mark.parametrize("bounds", [(1.0, 1.0), (2.0, -1.0), (INF, 2.0), (np.float32(0.1), 0.1)])
def test_hardtanh_the_module_refuses_bounds_not_in_order(bounds):
    with pytest.raises(AssertionError, match="max_val"):
        minigan.nn.Hardtanh(*bounds)
    minigan.nn.Hardtanh(NAN, 1.0)  # (a NaN bound passes the check, as PyTorch's)
