"""The elementwise math of ops/unary.py: gradcheck and gradgradcheck in float64, values and gradients
equal to PyTorch's (rtol 1e-6), and the door checks of the free functions."""

import numpy as np
import pytest

import minigan

torch = pytest.importorskip("torch")

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


def _torch_value_and_grads(fn, arrays):
    ts = [torch.tensor(a, requires_grad=True) for a in arrays]
    y = fn(*ts)
    w = torch.tensor(np.random.default_rng(5).standard_normal(tuple(y.shape)))
    (g,) = torch.autograd.grad((y * w).sum(), ts[0], create_graph=True)
    gg = torch.autograd.grad(g.sum(), ts[0], allow_unused=True)[0] if g.requires_grad else None
    return y.detach().numpy(), g.detach().numpy(), None if gg is None else gg.detach().numpy(), w.detach().numpy()


def _minigan_value_and_grads(fn, arrays, w):
    ts = [minigan.tensor(a, requires_grad=True, dtype=minigan.float64) for a in arrays]
    y = fn(*ts)
    (g,) = minigan.autograd.grad((y * minigan.tensor(w)).sum(), ts[0], create_graph=True)
    gg = minigan.autograd.grad(g.sum(), ts[0], allow_unused=True)[0] if g.requires_grad else None
    return y.detach().numpy(), g.detach().numpy(), None if gg is None else gg.detach().numpy()


@pytest.mark.parametrize("name", sorted(DOMAINS) + sorted(BINARY))
def test_equal_to_pytorch_first_and_second_order(name):
    if name in BINARY:
        arrays = [_sample(*BINARY[name][0], seed=3), _sample(*BINARY[name][1], seed=4)]
    else:
        arrays = [_sample(*DOMAINS[name], seed=3)]
    ty, tg, tgg, w = _torch_value_and_grads(getattr(torch, name), arrays)
    my, mg, mgg = _minigan_value_and_grads(getattr(minigan, name), arrays, w)
    np.testing.assert_allclose(my, ty, rtol=1e-6, atol=1e-12)
    np.testing.assert_allclose(mg, tg, rtol=1e-6, atol=1e-12)
    if tgg is None or mgg is None:  # a constant first derivative (frac): both zero, or absent
        for gg in (tgg, mgg):
            assert gg is None or not np.any(gg)
    else:
        np.testing.assert_allclose(mgg, tgg, rtol=1e-6, atol=1e-12)


@pytest.mark.parametrize("name", STEPS)
def test_steps_match_pytorch_and_pass_a_zero_gradient(name):
    values = np.array([-2.5, -1.5, -0.4, 0.0, 0.5, 1.5, 2.5, 2.7])  # halves: round goes to even, as PyTorch
    x = minigan.tensor(values, requires_grad=True, dtype=minigan.float64)
    y = getattr(minigan, name)(x)
    np.testing.assert_array_equal(y.detach().numpy(), getattr(torch, name)(torch.tensor(values)).detach().numpy())
    assert y.requires_grad  # still in the graph, as PyTorch: the gradient that flows back is 0
    (y * 3).sum().backward()
    np.testing.assert_array_equal(x.grad.detach().numpy(), np.zeros_like(values))
    ints = minigan.tensor(np.array([1, -2, 3]))
    np.testing.assert_array_equal(getattr(minigan, name)(ints).detach().numpy(), [1, -2, 3])


def test_round_decimals_matches_pytorch():
    values = np.array([1.2345, -0.0051, 12.5])
    got = minigan.round(minigan.tensor(values, dtype=minigan.float64), decimals=2).detach().numpy()
    np.testing.assert_allclose(got, torch.round(torch.tensor(values), decimals=2).detach().numpy())


def test_float32_stays_float32_and_scalar_operands():
    x = minigan.randn(5)
    assert minigan.sin(x).dtype == minigan.float32
    assert minigan.atan2(x, 1.0).dtype == minigan.float32
    assert minigan.atan2(2.0, x + 3).dtype == minigan.float32
    np.testing.assert_allclose(minigan.hypot(3.0, minigan.tensor([4.0])).detach().numpy(), [5.0])


def test_outside_the_domain_is_nan_as_in_pytorch():
    with np.errstate(invalid="ignore", divide="ignore"):
        got = minigan.asin(minigan.tensor([2.0])).detach().numpy()
    assert np.isnan(got).all() and torch.asin(torch.tensor([2.0])).isnan().all()


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


# ----------------------------------------------------------------------------- free forms of operators and methods
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


@pytest.mark.parametrize("name,fn", FREE_FORMS, ids=[n for n, _ in FREE_FORMS])
def test_free_forms_equal_pytorch_with_gradients(name, fn):
    ta, tb = (torch.tensor(v, requires_grad=True) for v in (A, B))
    ma, mb = (minigan.tensor(v, requires_grad=True, dtype=minigan.float64) for v in (A, B))
    ty, my = fn(torch, ta, tb), fn(minigan, ma, mb)
    np.testing.assert_allclose(my.detach().numpy(), ty.detach().numpy(), rtol=1e-12)
    if ty.requires_grad:
        ty.sum().backward()
        my.sum().backward()
        for t, m in ((ta, ma), (tb, mb)):
            if t.grad is not None:
                np.testing.assert_allclose(m.grad.detach().numpy(), t.grad.detach().numpy(), rtol=1e-12)


COMPARISONS = ["eq", "ne", "gt", "ge", "lt", "le", "logical_and", "logical_or", "logical_xor", "isclose"]


@pytest.mark.parametrize("name", COMPARISONS)
def test_comparisons_equal_pytorch(name):
    a, b = np.array([0.0, 1.0, 2.0, 3.0]), np.array([0.0, 2.0, 1.0, 3.0 + 1e-9])
    got = getattr(minigan, name)(minigan.tensor(a, dtype=minigan.float64), minigan.tensor(b, dtype=minigan.float64))
    np.testing.assert_array_equal(got.detach().numpy(), getattr(torch, name)(torch.tensor(a),
                                                                             torch.tensor(b)).detach().numpy())


def test_tests_and_reductions_to_bool():
    a = np.array([0.0, np.nan, np.inf, -1.0])
    for name in ("isnan", "isinf", "isfinite", "logical_not"):
        np.testing.assert_array_equal(getattr(minigan, name)(minigan.tensor(a)).detach().numpy(),
                                      getattr(torch, name)(torch.tensor(a)).detach().numpy())
    x = minigan.tensor([0.0, 1.0])
    assert not minigan.all(x).item() and minigan.any(x).item() and minigan.count_nonzero(x).item() == 1
    assert minigan.allclose(x, x + 1e-9) and not minigan.equal(x, x + 1e-9) and minigan.equal(x, x.clone())


def test_constants_and_predicates_match_pytorch():
    for name in ("e", "pi", "inf"):
        assert getattr(minigan, name) == getattr(torch, name)
    assert np.isnan(minigan.nan) and minigan.newaxis is None
    x = minigan.tensor([[1.0, 2.0]])
    assert minigan.is_floating_point(x) and minigan.is_same_size(x, x * 2) and not minigan.is_same_size(x, x.t())
    assert minigan.is_nonzero(minigan.tensor([3.0])) and minigan.typename(x) == "minigan.FloatTensor"
    array = np.zeros(3, np.float32)
    assert minigan.as_tensor(array).numpy().base is not None or np.shares_memory(minigan.as_tensor(array).array, array)
    assert minigan.scalar_tensor(2).dtype == minigan.float32 and minigan.scalar_tensor(2).shape == ()
