"""The elementwise math of ops/unary.py and the free forms of operators and methods, by their own properties
(without PyTorch; tests/pytorch/test_unary_ops.py compares them with PyTorch): first and second derivatives against
finite differences in float64 (gradcheck, gradgradcheck) for every function and every free form, the rounding
steps against NumPy's with a zero gradient, the method form equal to the free function, float32 kept, integer
inputs computed in float32, and the door check of a non-tensor."""

import numpy as np
import pytest

import minigan

# name -> a sampler of valid inputs (inside the domain, away from the poles and the kinks)
DOMAINS = {
    "sin": (-3, 3), "cos": (-3, 3), "tan": (-1.2, 1.2), "asin": (-0.9, 0.9), "acos": (-0.9, 0.9),
    "atan": (-3, 3), "sinh": (-2, 2), "cosh": (-2, 2), "asinh": (-3, 3), "acosh": (1.2, 4), "atanh": (-0.9, 0.9),
    "log1p": (-0.9, 3), "expm1": (-2, 2), "exp2": (-2, 2), "log2": (0.2, 4), "log10": (0.2, 4),
    "reciprocal": (0.3, 3), "rsqrt": (0.3, 3), "frac": (0.1, 0.9), "erf": (-3, 3), "erfc": (-3, 3),
    "erfinv": (-0.99, 0.99),
}
BINARY = {"atan2": ((-2, 2), (0.3, 2)), "hypot": ((-2, 2), (0.3, 2))}
STEPS = ["floor", "ceil", "round", "trunc"]


def _sample(lo, hi, shape=(3, 4), seed=0):
    return np.random.default_rng(seed).uniform(lo, hi, shape)


@pytest.mark.parametrize("name", sorted(DOMAINS))
def test_unary_gradcheck_and_gradgradcheck(name):
    x = minigan.tensor(_sample(*DOMAINS[name]), requires_grad=True, dtype=minigan.float64)
    fn = getattr(minigan, name)
    assert minigan.gradcheck(fn, [x])
    if name != "frac":  # frac's second derivative is 0 and its first a constant: nothing recorded to check
        assert minigan.gradgradcheck(fn, [x])


@pytest.mark.parametrize("name", sorted(BINARY))
def test_binary_gradcheck_and_gradgradcheck(name):
    (lo_a, hi_a), (lo_b, hi_b) = BINARY[name]
    a = minigan.tensor(_sample(lo_a, hi_a, (3, 4), 1), requires_grad=True, dtype=minigan.float64)
    b = minigan.tensor(_sample(lo_b, hi_b, (1, 4), 2), requires_grad=True, dtype=minigan.float64)  # broadcast
    fn = getattr(minigan, name)
    assert minigan.gradcheck(fn, [a, b])
    assert minigan.gradgradcheck(fn, [a, b])



@pytest.mark.parametrize("name", STEPS)
def test_steps_are_numpys_and_pass_a_zero_gradient(name):
    values = np.array([-2.5, -1.5, -0.4, 0.0, 0.5, 1.5, 2.5, 2.7])  # halves: round goes to even, as NumPy's
    x = minigan.tensor(values, requires_grad=True, dtype=minigan.float64)
    y = getattr(minigan, name)(x)
    np.testing.assert_array_equal(y.detach().numpy(), getattr(np, name)(values))
    assert y.requires_grad  # still in the graph: the gradient that flows back is 0
    (y * 3).sum().backward()
    np.testing.assert_array_equal(x.grad.detach().numpy(), np.zeros_like(values))


def test_float32_stays_float32_and_tensor_operands():
    x = minigan.randn(5)
    assert minigan.sin(x).dtype == minigan.float32
    assert minigan.atan2(x, minigan.tensor(1.0, dtype=minigan.float64)).dtype == minigan.float32  # (a 0-d operand)
    np.testing.assert_allclose(minigan.hypot(minigan.tensor(3.0), minigan.tensor([4.0])).detach().numpy(), [5.0])


@pytest.mark.parametrize("op", ["atan2", "hypot", "logaddexp", "logical_and", "maximum", "minimum"])
def test_two_tensor_ops_refuse_a_number(op):
    """PyTorch documents these as (input: Tensor, other: Tensor): a number in either place is a TypeError."""
    x = minigan.randn(3)
    for args in ((x, 2.0), (2.0, x), (x, 1)):
        with pytest.raises(TypeError, match=op):
            getattr(minigan, op)(*args)
    with pytest.raises(TypeError, match=op):
        getattr(x, op)(2.0)


@pytest.mark.parametrize("name", ["sin", "log1p", "atanh", "rsqrt"])
def test_integer_input_is_computed_in_float32_as_in_pytorch(name):
    x = minigan.tensor([1, 2]) if name != "atanh" else minigan.tensor([0, 0])
    out = getattr(minigan, name)(x)
    assert out.dtype == minigan.float32
    expected = getattr(minigan, name)(x.float())
    np.testing.assert_array_equal(out.detach().numpy(), expected.detach().numpy())


def test_a_non_tensor_is_refused_with_a_clear_error():
    with pytest.raises(TypeError, match="sin: expected a Tensor, got list"):
        minigan.sin([1.0, 2.0])


@pytest.mark.skipif(not hasattr(minigan.Tensor, "sin"), reason="the Tensor methods are wired in tensor.py")
@pytest.mark.parametrize("name", sorted(DOMAINS))
def test_method_form_equals_the_free_function(name):
    x = minigan.tensor(_sample(*DOMAINS[name]))
    np.testing.assert_array_equal(getattr(x, name)().detach().numpy(), getattr(minigan, name)(x).detach().numpy())


A = np.array([[1.5, -2.0, 3.0], [0.5, 4.0, -1.0]])
B = np.array([[2.0, 0.5, -1.5], [1.0, -3.0, 2.5]])
FREE_FORMS = [
    ("add", lambda m, a, b: m.add(a, b, alpha=2)), ("sub", lambda m, a, b: m.sub(a, b, alpha=0.5)),
    ("mul", lambda m, a, b: m.mul(a, b)), ("div", lambda m, a, b: m.div(a, b)),
    ("div_floor", lambda m, a, b: m.div(a, b, rounding_mode="floor")),
    ("div_trunc", lambda m, a, b: m.div(a, b, rounding_mode="trunc")),
    ("pow", lambda m, a, b: m.pow(m.abs(a), b)), ("neg", lambda m, a, b: m.neg(a)),
    ("square", lambda m, a, b: m.square(a)), ("std", lambda m, a, b: m.std(a, 1)), ("var", lambda m, a, b: m.var(a)),
    ("lerp", lambda m, a, b: m.lerp(a, b, 0.25)),
    ("addmm", lambda m, a, b: m.addmm(m.narrow(a, 1, 0, 2), a, m.t(b), beta=0.5)),
    ("outer", lambda m, a, b: m.outer(a[0], b[1])), ("dot", lambda m, a, b: m.dot(a[0], b[1])),
    ("bmm", lambda m, a, b: m.bmm(a.reshape(2, 1, 3), b.reshape(2, 3, 1))),
    ("chunk", lambda m, a, b: m.chunk(a, 2, 1)[1]), ("split", lambda m, a, b: m.split(a, [1, 2], 1)[1]),
    ("narrow", lambda m, a, b: m.narrow(a, 1, 1, 2)), ("masked_fill", lambda m, a, b: m.masked_fill(a, b > 0, 0.0)),
    ("scalar_first", lambda m, a, b: m.sub(2.0, m.mul(3.0, a))),
    ("absolute", lambda m, a, b: m.absolute(a)), ("positive", lambda m, a, b: m.positive(a) * 2),
    ("amax", lambda m, a, b: m.amax(a, 1)), ("amin", lambda m, a, b: m.amin(a, dim=(0, 1), keepdim=True)),
    ("clamp_min", lambda m, a, b: m.clamp_min(a, 0.7)), ("clamp_max", lambda m, a, b: m.clamp_max(a, 0.7)),
    ("broadcast_to", lambda m, a, b: m.broadcast_to(a[0], (4, 3))),
    ("floor_divide", lambda m, a, b: m.floor_divide(a.detach(), b.detach())),  # no gradient in PyTorch
    ("remainder", lambda m, a, b: m.remainder(a, b)),
    ("fmod", lambda m, a, b: m.fmod(a, b)), ("rsub", lambda m, a, b: m.rsub(a, b, alpha=2)),
    ("mv", lambda m, a, b: m.mv(a, b[0])), ("inner", lambda m, a, b: m.inner(a, b)),
    ("vdot", lambda m, a, b: m.vdot(a[0], b[0])), ("addcmul", lambda m, a, b: m.addcmul(a, a, b, value=0.5)),
    ("addcdiv", lambda m, a, b: m.addcdiv(a, a, b, value=2)),
    ("logaddexp", lambda m, a, b: m.logaddexp(a * 300, b)), ("xlogy", lambda m, a, b: m.xlogy(a, m.abs(b))),
    ("logit", lambda m, a, b: m.logit(m.sigmoid(a), eps=0.1)), ("deg2rad", lambda m, a, b: m.deg2rad(a)),
    ("rad2deg", lambda m, a, b: m.rad2deg(a)), ("concat", lambda m, a, b: m.concat([a, b], dim=1)),
    ("hstack", lambda m, a, b: m.hstack([a, b])), ("vstack", lambda m, a, b: m.vstack([a[0], b[1]])),
    ("swapaxes", lambda m, a, b: m.swapaxes(a, 0, 1)), ("movedim", lambda m, a, b: m.movedim(a.reshape(1, 2, 3), 0, 2)),
    ("ravel", lambda m, a, b: m.ravel(a)), ("unbind", lambda m, a, b: m.unbind(a, 1)[2]),
    ("flip", lambda m, a, b: m.flip(a, (0, 1))), ("fliplr", lambda m, a, b: m.fliplr(a)),
    ("tril", lambda m, a, b: m.tril(a, 1)), ("triu", lambda m, a, b: m.triu(a, -1)),
    ("tile", lambda m, a, b: m.tile(a, (2, 1, 3))),
]



NOT_DIFFERENTIABLE = {"floor_divide"}  # (its operands are detached: PyTorch gives it no gradient)
FIRST_ORDER_ONLY = {  # name: why its second derivative is not checked by finite differences
    "div_floor": "piecewise constant: its derivative is 0, and nothing records it",
    "div_trunc": "piecewise constant: its derivative is 0, and nothing records it",
    "logaddexp": "at a·300 its second order is PyTorch's formula's NaN (e^(b − a) overflows: 0·∞), as PyTorch's",
}


@pytest.mark.parametrize("name,fn", [(n, f) for n, f in FREE_FORMS if n not in NOT_DIFFERENTIABLE],
                         ids=[n for n, _ in FREE_FORMS if n not in NOT_DIFFERENTIABLE])
def test_free_forms_gradcheck_and_gradgradcheck(name, fn):
    """At A and B moved off the whole quotients where floor division and remainders jump (-2 / 0.5 is -4), so that
    finite differences see the derivative."""
    a, b = (minigan.tensor(v, requires_grad=True, dtype=minigan.float64) for v in (A + 0.137, B + 0.071))
    assert minigan.gradcheck(lambda a, b: fn(minigan, a, b), [a, b])
    if name not in FIRST_ORDER_ONLY:
        assert minigan.gradgradcheck(lambda a, b: fn(minigan, a, b), [a, b])
