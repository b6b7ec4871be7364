"""Every in-place Tensor method (``x.exp_()``, ``x.addcmul_(a, b, value=v)``, ...) gives what PyTorch (float64, the
oracle) gave: its values, the gradients through it when it is recorded on a non-leaf or on a view of one, its
refusal on a leaf that requires grad, the version check that refuses a backward needing the old values, and its
result on an integer tensor (the same values, or a refusal where PyTorch refuses: an integer tensor cannot hold a
float).  PyTorch's answers are read from tests/pytorch/pytorch_records/inplace_methods.json
(tests/pytorch/record_pytorch.py runs
the same programs on PyTorch), so this runs without PyTorch; where PyTorch is installed,
tests/pytorch/test_inplace_methods.py checks that the record is what PyTorch gives.
"""

import numpy as np
import pytest

import minigan
from pytorch import record_pytorch

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
ELSEWHERE = {"normal_", "uniform_", "bernoulli_", "requires_grad_",  # (the samplers: tests/pytorch/test_same_stream.py)
             "random_", "exponential_", "geometric_", "cauchy_", "log_normal_",  # (and the bitwise ones, which take
             "bitwise_and_", "bitwise_or_", "bitwise_xor_", "bitwise_not_",  # integers and bools only: tests/
             "bitwise_left_shift_", "bitwise_right_shift_",  # test_recorded_bitwise.py compares them with a record)
             "index_put_",  # (tests/pytorch/test_pytorch_idioms.py)
             "floor_divide_", "detach_",  # (below: floor_divide_ has no derivative; detach_ cuts the graph)
             "resize_", "resize_as_",  # (tests/pytorch/test_creation.py: shapes and memory, no derivative)
             "t_", "transpose_", "swapdims_", "swapaxes_", "squeeze_", "unsqueeze_"}  # (tests/pytorch/
# test_shapes.py: a shape changed in place, outside a graph)
# PyTorch 2.13 has no derivative for these in-place forms ("the derivative for 'inplace version of acosh' is not
# implemented"), and minigan none either: recorded, they refuse at backward (tests/pytorch/test_no_derivative.py).
TORCH_HAS_NO_DERIVATIVE = {"acosh_": "acosh", "arccosh_": "acosh", "asinh_": "asinh", "arcsinh_": "asinh",
                           "atanh_": "atanh", "arctanh_": "atanh"}
# Integer and bool tensors where minigan differs from PyTorch, each listed in docs/pytorch.md: a float scalar of
# addcmul_/addmm_ (PyTorch truncates it to the integer; minigan's result is a float, refused in place), an integer
# power with negative exponents (NumPy refuses it), a bool squared (PyTorch: an int64 result, refused), bool add_
# and index_add_ with alpha.
DIFFERENT_ON_INTEGERS = {
    ("int64", "addcmul_"), ("int32", "addcmul_"), ("int64", "addmm_"), ("int32", "addmm_"),
    ("int64", "pow_tensor"), ("int32", "pow_tensor"), ("bool", "square_"), ("bool", "add_"), ("bool", "index_add_"),
}


def _kind(error):
    """The first of these classes the exception is: NotImplementedError is a RuntimeError, and minigan's ShapeError
    a RuntimeError (as PyTorch's shape errors) and a ValueError."""
    kinds = (NotImplementedError, RuntimeError, ValueError, TypeError)
    return next(kind.__name__ for kind in kinds if isinstance(error, kind))


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
        return ("raised", _kind(e))
    weights = lib.tensor(np.arange(9.0).reshape(3, 3) - 4)
    try:
        ((x * weights).sum() + before.sum()).backward()
    except ERRORS as e:
        return ("raised in backward", _kind(e))
    return ("ok", x.detach().numpy().copy(),
            *[None if t.grad is None else t.grad.detach().numpy().copy() for t in (leaf, a, b)])


def _recorded_program(name, view):
    @record_pytorch.tolerance(rtol=1e-12, atol=1e-12)
    def program(torch):
        return _recorded(torch, name, view)
    return program


def _leaf_program(name):
    @record_pytorch.tolerance(rtol=1e-12, atol=1e-12)
    def program(torch):
        """Changed in place under no_grad, then refused outside it: the values, the flag, the grad, the refusal."""
        domain, call = METHODS[name]
        leaf, a, b = (torch.tensor(v, requires_grad=True) for v in _data(domain, seed=1))
        with torch.no_grad():
            call(leaf, a, b)
        try:
            call(leaf, a, b)
            refused = False
        except ERRORS:
            refused = True
        return leaf.detach().numpy().copy(), leaf.requires_grad, leaf.grad, refused
    return program


def _old_values_program(name):
    def program(torch):
        """A backward that needs x's values from before the change."""
        domain, call = METHODS[name]
        leaf, a, b = (torch.tensor(v, requires_grad=True) for v in _data(domain, seed=2))
        x = leaf * 1.0
        kept = x * x  # saves x for its backward
        call(x, a, b)
        try:
            kept.sum().backward()
        except RuntimeError:
            return "raised"
        return "ran"
    return program


def _integer_program(name, dtype):
    def program(torch):
        domain, call = METHODS[name]
        values = [np.round(v * 2) for v in _data(domain, seed=3)]
        x, a, b = (torch.tensor(v).to(getattr(torch, dtype) if dtype != "bool" else torch.bool) for v in values)
        try:
            with np.errstate(all="ignore"):  # atanh(1), logit(1): infinities, as PyTorch's
                call(x, a, b)
        except ERRORS:
            return ("raised",)
        return ("ok", str(x.dtype), x.detach().numpy().tolist())
    return program


PROGRAMS = {}
for _name in sorted(METHODS):
    for _view in (False, True):
        PROGRAMS[f"recorded {'view' if _view else 'tensor'} {_name}"] = _recorded_program(_name, _view)
    PROGRAMS[f"leaf {_name}"] = _leaf_program(_name)
    PROGRAMS[f"old values {_name}"] = _old_values_program(_name)
    for _dtype in ("int64", "int32", "bool"):
        if (_dtype, _name) not in DIFFERENT_ON_INTEGERS:
            PROGRAMS[f"{_dtype} {_name}"] = _integer_program(_name, _dtype)
RECORD = record_pytorch.load("inplace_methods")


@pytest.mark.parametrize("case", list(PROGRAMS))
def test_gives_what_pytorch_gave(case):
    assert case in RECORD["records"], "no record: run python tests/pytorch/record_pytorch.py inplace_methods"
    differences = record_pytorch.program_differences(PROGRAMS[case], RECORD["records"][case])
    assert not differences, "\n".join(differences)


def test_every_program_is_recorded_and_every_record_is_a_program():
    assert set(RECORD["records"]) == set(PROGRAMS)


def test_on_a_leaf_in_place_runs_under_no_grad_only_and_the_old_values_are_refused_to_a_backward():
    """What the record says of every method, which PyTorch's answers must also say."""
    for case, answer in RECORD["records"].items():
        kind = case.split(" ")[0]
        if kind == "leaf":
            assert [part[1] for part in answer[1][1:]] == [True, None, True], case  # requires_grad, grad, refused
        elif kind == "old":
            assert answer[1] == "raised", case


def test_every_in_place_method_is_compared_here():
    names = {n for n in dir(minigan.Tensor) if n.endswith("_") and not n.startswith("_") and hasattr(minigan.Tensor, n)}
    covered = {METHODS_NAME for METHODS_NAME in METHODS if METHODS_NAME.endswith("_")}
    assert names - covered - ELSEWHERE == set()
