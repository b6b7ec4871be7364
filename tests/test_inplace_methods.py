"""Every in-place Tensor method (``x.exp_()``, ``x.addcmul_(a, b, value=v)``, ...) against PyTorch (float64, the
oracle): its values, the gradients through it when it is recorded on a non-leaf or on a view of one, its refusal on a
leaf that requires grad, the version check that refuses a backward needing the old values, and its result on an
integer tensor (the same values, or a refusal where PyTorch refuses: an integer tensor cannot hold a float).
"""

import numpy as np
import pytest

import minigan

torch = pytest.importorskip("torch")

ERRORS = (RuntimeError, ValueError, TypeError, NotImplementedError)

# name: (the domain of x's values, the call given the library and two operand tensors shaped like x)
REALS, POSITIVE, UNIT, ABOVE_ONE, OPEN_UNIT = (-2.0, 2.0), (0.2, 3.0), (-0.9, 0.9), (1.1, 3.0), (0.05, 0.95)
METHODS = {
    "abs_": (REALS, lambda x, a, b: x.abs_()), "absolute_": (REALS, lambda x, a, b: x.absolute_()),
    "neg_": (REALS, lambda x, a, b: x.neg_()), "negative_": (REALS, lambda x, a, b: x.negative_()),
    "sign_": (REALS, lambda x, a, b: x.sign_()), "square_": (REALS, lambda x, a, b: x.square_()),
    "relu_": (REALS, lambda x, a, b: x.relu_()), "sigmoid_": (REALS, lambda x, a, b: x.sigmoid_()),
    "tanh_": (REALS, lambda x, a, b: x.tanh_()), "exp_": (REALS, lambda x, a, b: x.exp_()),
    "exp2_": (REALS, lambda x, a, b: x.exp2_()), "expm1_": (REALS, lambda x, a, b: x.expm1_()),
    "erf_": (REALS, lambda x, a, b: x.erf_()), "erfc_": (REALS, lambda x, a, b: x.erfc_()),
    "erfinv_": (UNIT, lambda x, a, b: x.erfinv_()),
    "log_": (POSITIVE, lambda x, a, b: x.log_()), "log2_": (POSITIVE, lambda x, a, b: x.log2_()),
    "log10_": (POSITIVE, lambda x, a, b: x.log10_()), "log1p_": (POSITIVE, lambda x, a, b: x.log1p_()),
    "logit_": (OPEN_UNIT, lambda x, a, b: x.logit_()), "logit_eps": (OPEN_UNIT, lambda x, a, b: x.logit_(0.1)),
    "sqrt_": (POSITIVE, lambda x, a, b: x.sqrt_()), "rsqrt_": (POSITIVE, lambda x, a, b: x.rsqrt_()),
    "reciprocal_": (POSITIVE, lambda x, a, b: x.reciprocal_()),
    "sin_": (REALS, lambda x, a, b: x.sin_()), "cos_": (REALS, lambda x, a, b: x.cos_()),
    "tan_": (UNIT, lambda x, a, b: x.tan_()), "asin_": (UNIT, lambda x, a, b: x.asin_()),
    "acos_": (UNIT, lambda x, a, b: x.acos_()), "atan_": (REALS, lambda x, a, b: x.atan_()),
    "sinh_": (REALS, lambda x, a, b: x.sinh_()), "cosh_": (REALS, lambda x, a, b: x.cosh_()),
    "asinh_": (REALS, lambda x, a, b: x.asinh_()), "acosh_": (ABOVE_ONE, lambda x, a, b: x.acosh_()),
    "atanh_": (UNIT, lambda x, a, b: x.atanh_()), "arcsin_": (UNIT, lambda x, a, b: x.arcsin_()),
    "arccos_": (UNIT, lambda x, a, b: x.arccos_()), "arctan_": (REALS, lambda x, a, b: x.arctan_()),
    "arcsinh_": (REALS, lambda x, a, b: x.arcsinh_()), "arccosh_": (ABOVE_ONE, lambda x, a, b: x.arccosh_()),
    "arctanh_": (UNIT, lambda x, a, b: x.arctanh_()),
    "deg2rad_": (REALS, lambda x, a, b: x.deg2rad_()), "rad2deg_": (REALS, lambda x, a, b: x.rad2deg_()),
    "floor_": (REALS, lambda x, a, b: x.floor_()), "ceil_": (REALS, lambda x, a, b: x.ceil_()),
    "round_": (REALS, lambda x, a, b: x.round_()), "round_decimals": (REALS, lambda x, a, b: x.round_(decimals=1)),
    "trunc_": (REALS, lambda x, a, b: x.trunc_()), "fix_": (REALS, lambda x, a, b: x.fix_()),
    "frac_": (REALS, lambda x, a, b: x.frac_()), "nan_to_num_": (REALS, lambda x, a, b: x.nan_to_num_(0.0, 1.0, -1.0)),
    "tril_": (REALS, lambda x, a, b: x.tril_()), "triu_": (REALS, lambda x, a, b: x.triu_(1)),
    "clamp_min_": (REALS, lambda x, a, b: x.clamp_min_(0.3)), "clamp_max_": (REALS, lambda x, a, b: x.clamp_max_(0.3)),
    "clip_": (REALS, lambda x, a, b: x.clip_(-0.5, 0.5)), "clamp_": (REALS, lambda x, a, b: x.clamp_(max=0.5)),
    "pow_": (POSITIVE, lambda x, a, b: x.pow_(3)), "pow_half": (POSITIVE, lambda x, a, b: x.pow_(0.5)),
    "pow_tensor": (POSITIVE, lambda x, a, b: x.pow_(a)),
    "fmod_": (REALS, lambda x, a, b: x.fmod_(1.5)), "remainder_": (REALS, lambda x, a, b: x.remainder_(a * a + 0.5)),
    "atan2_": (REALS, lambda x, a, b: x.atan2_(a)), "arctan2_": (REALS, lambda x, a, b: x.arctan2_(b)),
    "hypot_": (REALS, lambda x, a, b: x.hypot_(a)), "xlogy_": (REALS, lambda x, a, b: x.xlogy_(a * a + 0.5)),
    "multiply_": (REALS, lambda x, a, b: x.multiply_(a)), "subtract_": (REALS, lambda x, a, b: x.subtract_(a, alpha=2)),
    "divide_": (REALS, lambda x, a, b: x.divide_(a * a + 0.5)),
    "divide_floor": (REALS, lambda x, a, b: x.divide_(a * a + 0.5, rounding_mode="floor")),
    "true_divide_": (REALS, lambda x, a, b: x.true_divide_(a * a + 0.5)),
    "lerp_": (REALS, lambda x, a, b: x.lerp_(a, 0.25)), "lerp_tensor": (REALS, lambda x, a, b: x.lerp_(a, b.sigmoid())),
    "addcmul_": (REALS, lambda x, a, b: x.addcmul_(a, b, value=0.5)),
    "addcdiv_": (REALS, lambda x, a, b: x.addcdiv_(a, b * b + 0.5, value=-2)),
    "addmm_": (REALS, lambda x, a, b: x.addmm_(a, b.t(), beta=0.5, alpha=2)),
    "scatter_": (REALS, lambda x, a, b: x.scatter_(1, a.argsort(1), b)),  # (a permutation: no repeated index)
    "scatter_value": (REALS, lambda x, a, b: x.scatter_(0, a.argsort(0)[:2], 0.5)),
    "scatter_add_": (REALS, lambda x, a, b: x.scatter_add_(1, a.argsort(1)[:, :2], b[:, :2])),
    "index_add_": (REALS, lambda x, a, b: x.index_add_(0, a.argsort(0)[:, 0], b, alpha=2)),
    "index_copy_": (REALS, lambda x, a, b: x.index_copy_(1, a.argsort(1)[0], b)),
    "index_fill_": (REALS, lambda x, a, b: x.index_fill_(1, a.argsort(1)[0, :2], 0.5)),
    "masked_fill_": (REALS, lambda x, a, b: x.masked_fill_(a > 0, 0.75)),
    "masked_fill_tensor": (REALS, lambda x, a, b: x.masked_fill_(a > 0, b[0, 0])),
    "add_": (REALS, lambda x, a, b: x.add_(a, alpha=3)), "mul_": (REALS, lambda x, a, b: x.mul_(a)),
    "sub_": (REALS, lambda x, a, b: x.sub_(b)), "div_": (REALS, lambda x, a, b: x.div_(b * b + 1)),
    "copy_": (REALS, lambda x, a, b: x.copy_(a)), "fill_": (REALS, lambda x, a, b: x.fill_(0.5)),
    "zero_": (REALS, lambda x, a, b: x.zero_()),
}
# Not value-changing in the sense above (they draw random numbers, or change the grad flag): tested elsewhere.
ELSEWHERE = {"normal_", "uniform_", "bernoulli_", "requires_grad_",  # (and the bitwise ones, which take
             "bitwise_and_", "bitwise_or_", "bitwise_xor_", "bitwise_not_",  # integers and bools only: tests/
             "bitwise_left_shift_", "bitwise_right_shift_",  # test_bitwise.py compares them with PyTorch)
             "index_put_",  # (tests/test_pytorch_idioms.py)
             "floor_divide_", "detach_",  # (below: floor_divide_ has no derivative; detach_ cuts the graph)
             "resize_", "resize_as_"}  # (tests/test_legacy_new_resize.py: shapes and memory, no derivative)
# PyTorch 2.13 has no derivative for these in-place forms ("the derivative for 'inplace version of acosh' is not
# implemented"); minigan has one, compared here with PyTorch's x.copy_(f(x.clone())), which has.
TORCH_HAS_NO_DERIVATIVE = {"acosh_": "acosh", "arccosh_": "acosh", "asinh_": "asinh", "arcsinh_": "asinh",
                           "atanh_": "atanh", "arctanh_": "atanh"}
# Integer and bool tensors where minigan differs from PyTorch, each listed in docs/pytorch.md: a float scalar of
# addcmul_/addmm_ (PyTorch truncates it to the integer; minigan's result is a float, refused in place), an integer
# power with negative exponents (NumPy refuses it), round_(decimals=) of integers and rounding bools (PyTorch
# refuses; minigan leaves the values), a bool squared (PyTorch: an int64 result, refused), bool add_ and
# index_add_ with alpha.
DIFFERENT_ON_INTEGERS = {
    ("int64", "addcmul_"), ("int32", "addcmul_"), ("int64", "addmm_"), ("int32", "addmm_"),
    ("int64", "pow_tensor"), ("int32", "pow_tensor"), ("int64", "round_decimals"), ("int32", "round_decimals"),
    ("bool", "abs_"), ("bool", "absolute_"), ("bool", "ceil_"), ("bool", "floor_"), ("bool", "round_"),
    ("bool", "round_decimals"), ("bool", "trunc_"), ("bool", "fix_"), ("bool", "square_"), ("bool", "add_"),
    ("bool", "index_add_"),
}


def _data(domain, seed=0):
    rng = np.random.default_rng(seed)
    lo, hi = domain
    return [rng.uniform(lo, hi, size=(3, 3)), rng.normal(size=(3, 3)), rng.normal(size=(3, 3))]


def _recorded(lib, name, view, call=None):
    """x = leaf * 1 (a non-leaf), the method applied to x (or to a view of it), then a loss over x and what read x."""
    domain, call = METHODS[name][0], call or METHODS[name][1]
    x0, a0, b0 = _data(domain)
    leaf, a, b = (lib.tensor(v, requires_grad=True) for v in (x0, a0, b0))
    x = leaf * 1.0
    before = x.exp()  # reads x's values before the change, and does not need them in backward (exp saves its output)
    try:
        if view:
            place = x[1:]
            returned = call(place, a[1:], b[1:])
            assert returned is place
        else:
            returned = call(x, a, b)
            assert returned is x
    except ERRORS as e:
        return ("raised", type(e).__name__)
    weights = lib.tensor(np.arange(9.0).reshape(3, 3) - 4)
    try:
        ((x * weights).sum() + before.sum()).backward()
    except ERRORS as e:
        return ("raised in backward", type(e).__name__)
    return ("ok", x.detach().numpy().copy(),
            *[None if t.grad is None else t.grad.detach().numpy().copy() for t in (leaf, a, b)])


def _same(ours, theirs):
    assert ours[0] == theirs[0], (ours, theirs)
    for u, t in zip(ours[1:], theirs[1:]):
        assert (u is None) == (t is None), (u, t)
        if u is not None and not isinstance(u, str):
            np.testing.assert_allclose(u, t, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("name", sorted(METHODS))
@pytest.mark.parametrize("view", [False, True], ids=["tensor", "view"])
def test_recorded_in_place_gives_pytorchs_values_and_gradients(name, view):
    theirs = _recorded(torch, name, view)
    if name in TORCH_HAS_NO_DERIVATIVE:
        assert theirs == ("raised in backward", "NotImplementedError")  # (once PyTorch has it, compare with it)
        base = TORCH_HAS_NO_DERIVATIVE[name]
        theirs = _recorded(torch, name, view, lambda x, a, b: x.copy_(getattr(x.clone(), base)()))
    _same(_recorded(minigan, name, view), theirs)


@pytest.mark.parametrize("name", sorted(METHODS))
def test_in_place_on_a_leaf_under_no_grad_and_refused_outside(name):
    def run(lib):
        domain, call = METHODS[name]
        leaf, a, b = (lib.tensor(v, requires_grad=True) for v in _data(domain, seed=1))
        with lib.no_grad():
            call(leaf, a, b)
        try:
            call(leaf, a, b)
            refused = False
        except ERRORS:
            refused = True
        return leaf.detach().numpy().copy(), leaf.requires_grad, leaf.grad, refused

    ours, theirs = run(minigan), run(torch)
    np.testing.assert_allclose(ours[0], theirs[0], rtol=1e-12, atol=1e-12)
    assert ours[1:] == theirs[1:] == (True, None, True)


@pytest.mark.parametrize("name", sorted(METHODS))
def test_a_backward_needing_the_old_values_raises(name):
    def run(lib):
        domain, call = METHODS[name]
        leaf, a, b = (lib.tensor(v, requires_grad=True) for v in _data(domain, seed=2))
        x = leaf * 1.0
        kept = x * x  # saves x for its backward
        call(x, a, b)
        try:
            kept.sum().backward()
        except RuntimeError:
            return "raised"
        return "ran"

    assert run(minigan) == run(torch) == "raised"


@pytest.mark.parametrize("name, dtype", [(n, d) for n in sorted(METHODS) for d in ("int64", "int32", "bool")
                                         if (d, n) not in DIFFERENT_ON_INTEGERS])
def test_integer_and_bool_tensors_as_pytorch(name, dtype):
    def run(lib):
        domain, call = METHODS[name]
        values = [np.round(v * 2) for v in _data(domain, seed=3)]
        x, a, b = (lib.tensor(v).to(getattr(lib, dtype) if dtype != "bool" else lib.bool) for v in values)
        try:
            with np.errstate(all="ignore"):  # atanh(1), logit(1): infinities, as PyTorch's
                call(x, a, b)
        except ERRORS:
            return ("raised",)
        return ("ok", str(x.dtype).replace("torch.", "minigan."), x.detach().numpy().tolist())

    assert run(minigan) == run(torch)


def test_every_in_place_method_is_compared_here():
    names = {n for n in dir(minigan.Tensor) if n.endswith("_") and not n.startswith("_")}
    covered = {METHODS_NAME for METHODS_NAME in METHODS if METHODS_NAME.endswith("_")}
    assert names - covered - ELSEWHERE == set()


def test_partly_overlapping_operand_is_refused_as_in_pytorch():
    for lib in (minigan, torch):
        x = lib.tensor(np.arange(6.0))
        with pytest.raises(RuntimeError):
            x[1:].lerp_(x[:-1], 0.5)
        x[1:].lerp_(x[:-1].clone(), 0.5)  # a copy is fine


def test_floor_divide_in_place_has_pytorchs_values_and_no_derivative():
    a = np.array([5.0, -7.0, 9.5])
    for lib in (minigan, torch):
        x = lib.tensor(a)
        x //= 2
        assert x.tolist() == [2.0, -4.0, 4.0]
    y = minigan.tensor(a, requires_grad=True) * 1
    with pytest.raises(RuntimeError, match="no derivative"):  # PyTorch raises at backward ("not implemented")
        y.floor_divide_(2)
    np.testing.assert_array_equal(y.detach().numpy(), a)  # unchanged
    with minigan.no_grad():
        y.floor_divide_(2)
    assert y.tolist() == [2.0, -4.0, 4.0]


def test_detach_in_place_and_zero_grad_of_a_gradient_with_a_graph():
    for lib in (minigan, torch):
        w = lib.ones(2, requires_grad=True)
        (w**3).sum().backward(create_graph=True)
        g = w.grad
        assert g.grad_fn is not None
        lib.optim.SGD([w], lr=0.1).zero_grad(set_to_none=False)
        assert g is w.grad and w.grad.grad_fn is None and not w.grad.requires_grad and w.grad.tolist() == [0, 0]
        y = lib.ones(3, requires_grad=True) * 2
        assert y.detach_() is y and not y.requires_grad and y.is_leaf
        with pytest.raises(RuntimeError):
            (lib.ones(3, requires_grad=True) * 2)[1:].detach_()  # a view
