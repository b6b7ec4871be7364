"""The elementwise math of ops/unary.py and the free forms of operators and methods against PyTorch: values and
gradients equal to PyTorch's (rtol 1e-6; second order too).  Their own properties, which need no PyTorch
(gradcheck and gradgradcheck in float64, the method form, dtypes, the door checks), are in
tests/test_torchfree_unary_ops.py."""

import numpy as np
import pytest
from library.test_torchfree_unary_ops import BINARY, DOMAINS, FREE_FORMS, STEPS, A, B, _sample

import minigan

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

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


def test_outside_the_domain_is_nan_as_in_pytorch():
    with np.errstate(invalid="ignore", divide="ignore"):
        got = minigan.asin(minigan.tensor([2.0])).detach().numpy()
    assert np.isnan(got).all() and torch.asin(torch.tensor([2.0])).isnan().all()


# ----------------------------------------------------------------------------- free forms of operators and methods
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
