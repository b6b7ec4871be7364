"""Pointwise bodies shared by a method and the free function of the same name (``x.lerp`` and ``minigan.lerp``):
rounding, division and remainders, comparisons, logical and bitwise ops, ``where``, ``clamp_min``, ``addcmul``, ...
"""

from __future__ import annotations

import builtins
import math

from minigan.engine import backend, checks, dtypes
from minigan.engine import methods as engine_methods
from minigan.engine.errors import DivisionByZero, DomainError, DtypeError
from minigan.engine.graph import zeros
from minigan.engine.ops import elementwise as E
from minigan.engine.tensor import Tensor
from minigan.surface import parity
from minigan.surface import unary as U
from minigan.surface.indexing import no_grad_into_integers, nonzero
from minigan.surface.no_derivative import no_derivative
from minigan.surface.node_view import shown_as
from minigan.surface.operands import _operand, _t, fits, floating, one_value, same_dtype, wrapped_number


def choose(condition, a, b):
    """``a`` where the bool array ``condition`` holds, else ``b`` (either may be a number), in one dtype by PyTorch's
    promotion (``where(c, int8_x, 9)`` is int8): the math of ``minigan.where``, whose door checks the condition."""
    a, b = checks.number(a), checks.number(b)  # (np.float64(2.5) is the number 2.5: where(c, it, 1) is float32)
    if any(isinstance(t, Tensor) and t.requires_grad and not t.is_floating_point() for t in (a, b)):  # (an integer
        dtype = dtypes.result_type(a, b)  # tensor that requires grad, made so by a fill_: where casts each operand with
        a, b = (t.detach() if isinstance(t, Tensor) and t.dtype != dtype and not backend.is_floating(dtype) else t
                for t in (a, b))  # .to, PyTorch's, which records no cast to an integer dtype)
    if isinstance(a, Tensor):
        a, b = a._pair(b, "where")
    elif isinstance(b, Tensor):  # (a number or array a goes to b's device)
        a, b = b._pair(a, "where", reflected=True)
    else:
        a, b = _operand(a, "where")._pair(b, "where")
    return E.Where.apply(a, b, cond=condition)


_ONLY_CONDITION = object()  # where(condition) alone: PyTorch's nonzero(condition, as_tuple=True)


def where(condition, input=_ONLY_CONDITION, other=_ONLY_CONDITION):
    """``input`` where ``condition`` holds, else ``other`` (either may be a number); the gradient flows to both.
    ``where(condition)`` alone gives the indices where it holds, a tensor per dimension (nonzero(as_tuple=True))."""
    if input is _ONLY_CONDITION and other is _ONLY_CONDITION:
        return nonzero(_t(condition, "where"), as_tuple=True)
    if input is _ONLY_CONDITION or other is _ONLY_CONDITION:
        raise TypeError("where: give the condition and both values (where(c, a, b)), or the condition alone")
    cond = condition.array if isinstance(condition, Tensor) else condition
    if backend.is_numpy_scalar(cond):  # a 0-d comparison's result
        cond = backend.np.asarray(cond)
    if not backend.is_array(cond) or cond.dtype != backend.np.bool_:
        raise DtypeError("where: condition must be a bool Tensor or array (e.g. x > 0)")
    backend.broadcast_shapes(cond.shape, *[getattr(v, "shape", ()) for v in (input, other)])  # raises if they do not
    for value, tensor in ((other, input), (input, other)):  # an integer number beside an integer tensor takes its
        number = checks.number(value)  # dtype, which it must fit, as PyTorch's (uint8 takes no 300); beside any
        if isinstance(tensor, Tensor) and type(number) is int and (tensor.dtype.kind in "iu" or number >= 2**63 or  # a
                                                                   number < -2**63):  # Python int must fit 64 bits
            fits("where", number, tensor.dtype if tensor.dtype.kind in "iu" else backend.np.float64)
            if tensor.dtype.kind == "b" and number >= 2**63:  # (PyTorch's would be a uint64, which it cannot promote)
                raise DomainError(f"where: the integer {number} is past int64's range beside a bool tensor; give a "
                                  "float (float(value))")
        elif isinstance(tensor, Tensor) and isinstance(number, float) and tensor.dtype != backend.np.float16:  # a
            fits("where", number, tensor.dtype if tensor.dtype.kind == "f" else backend.DEFAULT_DTYPE)  # float must fit
            # the result's dtype (1e39 beside a float32 or an integer tensor: PyTorch's RuntimeError; a float16 ±inf)
    return choose(cond, input, other)


def _as_float(x, fn) -> Tensor:
    """The input of a function of real numbers: as in PyTorch, an integer or bool tensor is computed in float32."""
    if isinstance(x, Tensor) and x.array.dtype.kind == "f":  # (the common case without two more calls: x.sin() is
        return x  # sin(x), and its cost per call is the method's as much as the arithmetic's)
    return _t(x, fn)._as_float()


# The pointwise ops whose PyTorch CPU kernel does not take every dtype: op -> (the dtype kinds it refuses, the
# kernel's name in PyTorch's error).  One table, read by one door (``kernel``), so that a learner meets PyTorch's
# refusal (NotImplementedError: "floor_vml_cpu" not implemented for 'Bool') wherever PyTorch has no kernel.
NO_KERNEL = {
    "abs": ("b", "abs_cpu"),
    "floor": ("b", "floor_vml_cpu"), "ceil": ("b", "ceil_vml_cpu"), "trunc": ("b", "trunc_vml_cpu"),
    "round": ("b", "round_vml_cpu"), "round(decimals=)": ("biu", "round_cpu"),  # (integers round to themselves)
    "round(decimals=0)": ("biu", "round_vml_cpu"),  # (decimals given as 0: round's kernel, through the other overload)
    "logaddexp": ("biu", "logaddexp_cpu"),  # (of the promoted dtype: an integer with a float operand is fine)
    "bitwise_left_shift": ("b", "lshift_cpu"), "bitwise_right_shift": ("b", "rshift_cpu"),
    "div(rounding_mode='floor')": ("b", "div_floor_cpu"), "div(rounding_mode='trunc')": ("b", "div_trunc_cpu"),
    "remainder": ("b", "remainder_cpu"), "fmod": ("b", "fmod_cpu"),  # (floor_divide, //, % too: the same kernels)
}
_TORCH_NAMES = {"bool": "Bool", "uint8": "Byte", "int8": "Char", "int16": "Short", "int32": "Int", "int64": "Long"}


def kernel(op, x):
    """``x`` (a tensor or an array), if PyTorch has a kernel of ``op`` for its dtype (NO_KERNEL); else
    NotImplementedError (DtypeError), as PyTorch's, checked before the entries are read (an empty tensor too)."""
    (kinds, name), dtype = NO_KERNEL[op], backend.np.dtype(x.dtype).name
    if x.dtype.kind in kinds:
        raise DtypeError(f"{op}: not provided for {dtype} tensors, as in PyTorch (\"{name}\" not implemented for "
                         f"'{_TORCH_NAMES[dtype]}'); convert with .float()")
    return x


def _rounding(op, input, fn, **params):
    decimals = params.get("decimals")  # (given, 0 too: PyTorch's other overload of round, with no integer kernel)
    x = kernel(fn if decimals is None else f"round(decimals={'0' if decimals == 0 else ''})", _t(input, fn))
    return x.clone() if not backend.is_floating(x.dtype) else op.apply(x, **params)  # integers are already whole


def floor(input):
    return _rounding(U.Floor, input, "floor")


def ceil(input):
    return _rounding(U.Ceil, input, "ceil")


def round(input, *, decimals=None):
    """Round half to even (2.5 → 2), as PyTorch; ``decimals`` given (0 too) is PyTorch's ``round.decimals``, which
    refuses integer tensors where ``round(x)`` takes them."""
    return _rounding(U.Round, input, "round", **({} if decimals is None else {"decimals": decimals}))


def trunc(input):
    return _rounding(U.Trunc, input, "trunc")


def _pair(a, b, fn):
    """The two operands of a function of real numbers, at least one a Tensor (the other may be a number): in one
    dtype by PyTorch's promotion, as the operators take them, and integers or bools computed in float32."""
    a, b = _promoted(a, b, fn)
    return (a, b) if a.dtype.kind == "f" else (a._as_float(), b._as_float())


def _promoted(a, b, fn):
    """Two operands in one dtype by PyTorch's promotion, integers kept integers (as the operators take them)."""
    return a._pair(b, fn) if isinstance(a, Tensor) else _t(b, fn)._pair(a, fn, reflected=True)


def _integer_divisor(a, b, fn):
    """The operands of an integer division (//, %, fmod), refused where the divisor is 0, as PyTorch refuses it (an
    empty result divides nothing: PyTorch runs)."""
    kernel(fn, a)  # (the dtype first, as PyTorch: a bool division is refused, with or without a zero)
    if a.dtype.kind in "biu" and a.array.size and b.array.size and bool((b.array == 0).any()):
        raise DivisionByZero(f"{fn}: integer division by zero (ZeroDivisionError); divide floats for inf or NaN")
    return a, b


def _tensors(input, other, fn):
    """Both operands of an op whose only PyTorch overload takes two tensors (atan2, hypot, logaddexp, the logical
    ops, maximum, minimum): a number is a TypeError there, by PyTorch's argument parser, where promotion took it."""
    return _t(input, fn), _t(other, fn)


def atan2(input, other):
    """The angle of the point (other, input), i.e. atan(input/other) in the right quadrant, in (−π, π]."""
    out = U.Atan2.apply(*_pair(*_tensors(input, other, "atan2"), "atan2"))
    if _is_bool(input) and other.requires_grad:  # d/d other = −input/(x² + y²): PyTorch's
        return _bool_refused(out, "atan2", "negates", input, other)  # formula negates the bool input, and refuses
    return out


def _is_bool(x):
    return isinstance(x, Tensor) and x.dtype.kind == "b"


def _bool_refused(out, op, what, *operands):
    """``out``, whose backward refuses as PyTorch's does where its derivative formula computes with a bool operand
    (PyTorch's ``-`` refuses a bool tensor): the forward runs, the backward raises (no_derivative.py)."""
    if not out.requires_grad:
        return out
    return no_derivative(out.detach(), op, *operands, shown=out.grad_fn.name(), why=(
        f"PyTorch's derivative {what} the bool operand, and its `-` refuses a bool tensor; convert it with .float()"))


def hypot(input, other):
    """√(input² + other²)."""
    a, b = _promoted(*_tensors(input, other, "hypot"), "hypot")  # (the promoted dtype must be floating: PyTorch
    floating(a, "hypot")  # has no integer hypot)
    return U.Hypot.apply(a, b)


def div(input, other, *, rounding_mode=None):
    """input / other; ``rounding_mode="floor"`` or ``"trunc"`` rounds the quotient (its gradient is 0)."""
    if rounding_mode not in (None, "floor", "trunc"):
        raise RuntimeError(f"div: rounding_mode must be None, 'floor' or 'trunc', got {rounding_mode!r}")  # (PyTorch's)
    input = wrapped_number(input, other, "div")  # div(1, 2): two numbers, as PyTorch wraps them
    if rounding_mode is None:
        return E.Div.apply(*input._pair(other, "div")) if isinstance(input, Tensor) else input / _t(other, "div")
    fn = f"div(rounding_mode={rounding_mode!r})"
    return U.RoundedDiv.apply(*_integer_divisor(*_promoted(input, other, fn), fn), mode=rounding_mode)


def lerp(input, end, weight):
    """input + weight·(end − input) where |weight| < 0.5, else end − (end − input)·(1 − weight): PyTorch's two
    forms (exactly end at weight 1; ∞ ends give ∞, not ∞ − ∞ = NaN)."""
    if isinstance(weight, Tensor) and weight.ndim == 0 and weight.dtype.kind == "f" and isinstance(input, Tensor) \
            and isinstance(end, Tensor) and input.dtype.kind in "iub" and end.dtype == input.dtype:
        bools = input.dtype.kind == "b"  # (a 0-d float weight promotes integer ends to its dtype, as PyTorch's
        input, end = input.to(weight.dtype), end.to(weight.dtype)  # kernel computes them: a float64 of int64s)
        if bools:  # (the forward runs; PyTorch's weight gradient computes end − input, whose `-` refuses bools)
            return no_derivative(lerp(input, end, weight.detach()), "lerp", weight, shown="LerpBackward1",
                                 why="PyTorch's derivative for the weight computes end - input, and its `-` refuses "
                                     "two bool tensors; convert them with .float()")
    x, weight = floating(input, "lerp"), checks.number(weight)  # (np.uint8(3): 1 - 3 must not wrap to 254)
    for name, t in (("end", end), ("weight", weight)):  # (a 0-d weight may be of another dtype, as in PyTorch)
        if isinstance(t, (list, tuple)):
            raise TypeError(f"lerp: {name} must be a Tensor{' or a number' * (name == 'weight')}, got a "
                            f"{type(t).__name__}; make it a tensor first: minigan.tensor(...)")
        if isinstance(t, Tensor) and t.dtype != x.dtype and (name == "end" or t.ndim):
            raise DtypeError(f"lerp: expected dtype {x.dtype} for {name}, got {t.dtype} (as PyTorch); convert it "
                             "with .to(input.dtype)")
    if isinstance(weight, Tensor):
        for a, b in ((x, end), (x, weight), (end, weight)):  # (three shapes broadcast if each pair does)
            checks.check_broadcast("lerp", a, b)
        common = dtypes.result_type(x if x.ndim or not isinstance(end, Tensor) else end, weight)  # (all three 0-d:
        x, end = (x, end) if common == x.dtype else (x.to(common), end.to(common))  # a float64 weight promotes)
        if weight.dtype == backend.np.bool_:  # (PyTorch's input gradient computes 1 - weight; its `-` refuses bools)
            x = no_derivative(x.detach(), "lerp", x, why="PyTorch's derivative for the input computes 1 - weight, "
                              "and its `-` refuses a bool weight; convert it with .float()")
        return shown_as(U.Lerp.apply(x, end, weight.to(x.dtype)))  # (one node, as PyTorch's; its row's name)
    if not isinstance(end, Tensor) or not isinstance(weight, (bool, int, float)):
        raise TypeError(f"lerp: end must be a Tensor and weight a Tensor or a number, got a {type(end).__name__} "
                        f"and a {type(weight).__name__}")
    checks.check_broadcast("lerp", x, end)
    # a number weight: the same one node, the weight a constant of the ends' dtype (PyTorch's LerpBackward0, whose
    # gradients grad·(1 − weight) and grad·weight keep an ∞ upstream ∞, where grad − weight·grad would be NaN)
    return shown_as(U.Lerp.apply(x, end, x.dtype.type(weight)))


def _array_of(x, like):
    return like._operand(x, "compare").array[()]  # (a number's 0-d array: a NumPy scalar, which CuPy takes)


def _test(fn, input, name):
    x = _t(input, name)
    return Tensor._make(getattr(backend.get_array_module(x.array), fn)(x.array))


def isnan(input):
    return _test("isnan", input, "isnan")


def isinf(input):
    return _test("isinf", input, "isinf")


def isfinite(input):
    return _test("isfinite", input, "isfinite")


def logical_not(input):
    return _test("logical_not", input, "logical_not")


def _logical(fn, input, other, name):
    x, other = _tensors(input, other, name)
    a, b = x.array, _array_of(other, x)
    return Tensor._make(parity.pointwise_layout(getattr(backend.get_array_module(a), fn)(a, b), a, b))


def logical_and(input, other):
    return _logical("logical_and", input, other, "logical_and")


def logical_or(input, other):
    return _logical("logical_or", input, other, "logical_or")


def logical_xor(input, other):
    return _logical("logical_xor", input, other, "logical_xor")


def _bitwise(fn, input, other, name, reflected=False):
    """An op on the bits of integer or bool tensors, in PyTorch's promoted dtype (bool & bool is bool); not
    differentiable, so the result is a plain tensor."""
    if not isinstance(input, Tensor) and isinstance(other, Tensor):  # bitwise_and(3, x): PyTorch's number first
        return _bitwise(fn, other, input, name, not reflected)
    x, other = _t(input, name), checks.number(other)  # (np.True_ is the float 1.0 to PyTorch: refused here)
    kinds = [x.dtype, other.dtype if isinstance(other, Tensor) else backend.np.asarray(other).dtype]
    if builtins.any(k.kind not in "biu" for k in kinds):
        raise DtypeError(f"{name}: needs integer or bool operands, got {kinds[0]} and {kinds[1]} (PyTorch refuses "
                        "floating ones too)")
    a, b = (t.array for t in x._pair(other, name, reflected))
    if name in NO_KERNEL:  # (the shifts of bools)
        kernel(name, a)
    return Tensor._make(parity.pointwise_layout(getattr(backend.get_array_module(a), fn)(a, b), a, b))


def bitwise_and(input, other):
    return _bitwise("bitwise_and", input, other, "bitwise_and")


def bitwise_or(input, other):
    return _bitwise("bitwise_or", input, other, "bitwise_or")


def bitwise_xor(input, other):
    return _bitwise("bitwise_xor", input, other, "bitwise_xor")


def bitwise_left_shift(input, other):
    return _bitwise("left_shift", input, other, "bitwise_left_shift")


def bitwise_right_shift(input, other):
    return _bitwise("right_shift", input, other, "bitwise_right_shift")


def bitwise_not(input):
    """~x: every bit flipped (a bool tensor's logical not)."""
    x = _t(input, "bitwise_not")
    if x.dtype.kind not in "biu":
        raise DtypeError(f"bitwise_not: needs an integer or bool tensor, got {x.dtype} (PyTorch refuses floating "
                        "ones too)")
    return Tensor._make(backend.get_array_module(x.array).invert(x.array))


def isclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False):
    x = _t(input, "isclose")
    same_dtype("isclose", x, other)
    for name, tol in (("rtol", rtol), ("atol", atol)):
        if not tol >= 0:
            raise DomainError(f"isclose: {name} must be >= 0, got {tol}")
    xp = backend.get_array_module(x.array)
    a, b = x.array, _array_of(other, x)
    close = parity.pointwise_layout(a == b, a, b)  # (laid out as PyTorch's: the rest follows its layout)
    if equal_nan and x.dtype.kind in "fc":
        close |= xp.isnan(a) & xp.isnan(b)
    if rtol == 0 and atol == 0:
        return Tensor._make(close)
    # PyTorch's rule: otherwise close only where |a − b| is finite and <= atol + rtol·|b| (so an infinite tolerance
    # never makes inf close to a finite value or to −inf, where NumPy's isclose warns and says so).
    a, b = (a, b) if x.dtype.kind in "fc" else (a.astype(backend.np.float64), b.astype(backend.np.float64))
    with backend.np.errstate(invalid="ignore", over="ignore"):  # (inf − inf and 0·inf are NaN: not close)
        actual, allowed = builtins.abs(a - b), atol + builtins.abs(rtol * b)
        close |= xp.isfinite(actual) & (actual <= allowed)
        return Tensor._make(close)


def masked_fill(input, mask, value):
    """``value`` where ``mask`` holds, else input (the gradient flows to input elsewhere), in input's dtype: the
    value is cast to it, as in PyTorch (an integer tensor filled with 2.7 holds 2)."""
    x = _t(input, "masked_fill")
    kind = getattr(mask, "dtype", type(mask).__name__)
    if kind != backend.np.bool_:  # (named here: where, which does the work, would name itself)
        raise DtypeError(f"masked_fill: the mask must be a bool tensor (e.g. x > 0), got {kind}; convert it with "
                         "mask.bool()")
    one_value("masked_fill", value)
    fits("masked_fill", value.item() if isinstance(value, Tensor) else value, x.dtype)  # (NaN into int64: refused)
    no_grad_into_integers("masked_fill", x, value)
    if isinstance(value, Tensor):
        value = value.to(x.dtype)
    elif isinstance(value, (bool, int, float)) or backend.is_numpy_scalar(value):
        value = Tensor._make(backend.get_array_module(x.array).asarray(value).astype(x.dtype))
    return shown_as(where(mask, value, x).contiguous(), "MaskedFillBackward0")  # (row-major, as PyTorch's)


def clamp_min(input, min):
    return _t(input, "clamp_min").clamp(min=min)


def clamp_max(input, max):
    return _t(input, "clamp_max").clamp(max=max)


def floor_divide(input, other):
    """⌊input / other⌋ (rounding toward −∞, as PyTorch today).  PyTorch gives it no derivative (not even a step's
    0): the result requires grad as PyTorch's does, and a backward that reaches it raises (no_derivative.py)."""
    out = div(*(t.detach() if isinstance(t, Tensor) else t for t in (input, other)), rounding_mode="floor")
    return no_derivative(out, "floor_divide", input, other) if out.is_floating_point() else out  # (an integer
    # quotient records nothing, even of an integer tensor that requires grad, which div refuses: PyTorch's)


def remainder(input, other):
    """input − other·⌊input / other⌋: the sign of ``other``, as Python's %; d/d other = −⌊input / other⌋.  A number
    first (2 % x) is PyTorch's remainder.Scalar_Tensor, which has no derivative: recorded so that a backward refuses."""
    out = U.Remainder.apply(*_integer_divisor(*_promoted(input, other, "remainder"), "remainder"))
    return out if isinstance(input, Tensor) else no_derivative(out, "remainder", other)


def fmod(input, other):
    """input − other·trunc(input / other): the sign of ``input``, as C's fmod; d/d other = −trunc(input / other)."""
    input = _t(input, "fmod")  # (a number other is fine; a number input is not, as PyTorch's overloads)
    return U.Fmod.apply(*_integer_divisor(*_promoted(input, other, "fmod"), "fmod"))


def addcmul(input, tensor1, tensor2, *, value=1):
    """input + value·tensor1·tensor2 (the three in one dtype), one node as PyTorch's, differentiated by its formula
    to any order: each factor's gradient is the result's gradient times the other factor times value, summed to the
    factor's shape afterwards (over an empty result, 0 even where the other factor is ±∞ or NaN)."""
    x = _t(input, "addcmul")
    for a, b in ((tensor1, tensor2), (x, tensor1), (x, tensor2)):  # (three shapes broadcast if each pair does)
        checks.check_broadcast("addcmul", a, b)
    return U.Addcmul.apply(x, tensor1, tensor2, value=value)


def addcdiv(input, tensor1, tensor2, *, value=1):
    """input + value·tensor1/tensor2, its gradient by PyTorch's formula (to any order)."""
    t1, t2 = _t(tensor1, "addcdiv")._pair(tensor2, "div")  # (true division: a floating dtype)
    x, t1 = _t(input, "addcdiv")._pair(t1, "add")
    x, t1, t2 = (x, t1, t2) if x.dtype == t1.dtype == t2.dtype else (x.to(t1.dtype), t1, t2.to(t1.dtype))
    checks.check_broadcast("addcdiv", x, t2)
    return U.Addcdiv.apply(x, t1, t2, value=value)


def logaddexp(input, other):
    """log(eᵃ + eᵇ) without overflow; its gradient is PyTorch's formula 1/(1 + e^(b − a)), so a second order
    (and the NaN where an input is infinite) is PyTorch's too."""
    a, b = _promoted(*_tensors(input, other, "logaddexp"), "logaddexp")
    out = U.LogAddExp.apply(kernel("logaddexp", a), b)  # (floating: no kernel else)
    if _is_bool(input) or _is_bool(other):  # d/da = 1/(1 + e^(b − a)): PyTorch subtracts
        return _bool_refused(out, "logaddexp", "subtracts", input, other)  # the operands, a bool one refused
    return out


def xlogy(input, other):
    """input·log(other), and 0 where input = 0 unless other is NaN (as PyTorch); PyTorch's node for a number other,
    XlogyBackward2, gives input's gradient 0 where input = 0 even for a NaN other."""
    out = U.XLogY.apply(*_pair(input, other, "xlogy"), number_y=not isinstance(other, Tensor))
    return out if isinstance(other, Tensor) else shown_as(out, "XlogyBackward2")


def logit(input, eps=None):
    """log(p / (1 − p)), p clamped to [eps, 1 − eps] when eps is given (its derivative 0 where the clamp holds p)."""
    return U.Logit.apply(_as_float(input, "logit"), eps=checks.number(eps))  # (np.float64(eps): float32 stays)


def deg2rad(input):
    return _as_float(input, "deg2rad") * (math.pi / 180)


def rad2deg(input):
    return _as_float(input, "rad2deg") * (180 / math.pi)


def nan_to_num(input, nan=0.0, posinf=None, neginf=None):
    """NaN, +∞ and −∞ replaced by ``nan`` and by the dtype's largest and lowest finite values (or those given)."""
    x = _t(input, "nan_to_num")
    if not backend.is_floating(x.dtype):
        return x.clone()
    info = backend.np.finfo(x.dtype)
    return U.NanToNum.apply(x, nan=0.0 if nan is None else nan, posinf=info.max if posinf is None else posinf,
                            neginf=info.min if neginf is None else neginf)


def maximum(input, other):
    """The elementwise maximum, NaN where either is (``x.maximum(y)`` too): the engine's body."""
    return engine_methods.maximum(*_tensors(input, other, "maximum"))


def minimum(input, other):
    """The elementwise minimum, NaN where either is (``x.minimum(y)`` too): the engine's body."""
    return engine_methods.minimum(*_tensors(input, other, "minimum"))


def fmax(input, other):
    """The elementwise maximum that passes over NaN: where one of a pair is NaN, the other (NaN where both are).
    The gradient goes whole to input where input >= other or other is NaN, else whole to other: PyTorch's formula,
    which, unlike maximum's, does not split it at a tie (where input is taken)."""
    a, b = _tensors(input, other, "fmax")
    return shown_as(where((a >= b) | b.isnan(), a, b), "FmaxBackward0")


def fmin(input, other):
    """The elementwise minimum that passes over NaN, with fmax's rules (input where input <= other or other is NaN)."""
    a, b = _tensors(input, other, "fmin")
    return shown_as(where((a <= b) | b.isnan(), a, b), "FminBackward0")


# ------------------------------------ the free functions minigan.sin, minigan.add, ... (toplevel.py: behind out=)

def sin(input):
    return U.Sin.apply(_as_float(input, "sin"))


def cos(input):
    return U.Cos.apply(_as_float(input, "cos"))


def tan(input):
    return U.Tan.apply(_as_float(input, "tan"))


def asin(input):
    """The inverse sine, in [−π/2, π/2]; NaN outside [−1, 1] (as PyTorch)."""
    return U.Asin.apply(_as_float(input, "asin"))


def acos(input):
    return U.Acos.apply(_as_float(input, "acos"))


def atan(input):
    return U.Atan.apply(_as_float(input, "atan"))


def sinh(input):
    return U.Sinh.apply(_as_float(input, "sinh"))


def cosh(input):
    return U.Cosh.apply(_as_float(input, "cosh"))


def asinh(input):
    return U.Asinh.apply(_as_float(input, "asinh"))


def acosh(input):
    return U.Acosh.apply(_as_float(input, "acosh"))


def atanh(input):
    return U.Atanh.apply(_as_float(input, "atanh"))


def log1p(input):
    """log(1 + x), accurate for tiny x."""
    return U.Log1p.apply(_as_float(input, "log1p"))


def expm1(input):
    """eˣ − 1, accurate for tiny x."""
    return U.Expm1.apply(_as_float(input, "expm1"))


def exp2(input):
    return U.Exp2.apply(_as_float(input, "exp2"))


def erf(input):
    """The error function (2/√π) ∫₀ˣ e^(−t²) dt."""
    return U.Erf.apply(_as_float(input, "erf"))


def erfc(input):
    """1 − erf x, accurate where erf x is near 1."""
    return U.Erfc.apply(_as_float(input, "erfc"))


def erfinv(input):
    """The inverse of erf on [−1, 1] (±1 give ±inf, outside is NaN)."""
    return U.Erfinv.apply(_as_float(input, "erfinv"))


def log2(input):
    return U.Log2.apply(_as_float(input, "log2"))


def log10(input):
    return U.Log10.apply(_as_float(input, "log10"))


def reciprocal(input):
    return U.Reciprocal.apply(_as_float(input, "reciprocal"))


def rsqrt(input):
    """1/√x."""
    return U.Rsqrt.apply(_as_float(input, "rsqrt"))


def frac(input):
    return U.Frac.apply(floating(input, "frac"))


def add(input, other, *, alpha=1):
    """input + alpha·other."""
    input = wrapped_number(input, other, "add")
    if isinstance(input, Tensor):
        return input.add(other, alpha=alpha)
    return input + _t(other, "add") * alpha if alpha != 1 else input + _t(other, "add")


def sub(input, other, *, alpha=1):
    """input − alpha·other."""
    input = wrapped_number(input, other, "sub")
    if isinstance(input, Tensor):
        return input.sub(other, alpha=alpha)
    return input - _t(other, "sub") * alpha if alpha != 1 else input - _t(other, "sub")


def mul(input, other):
    input = wrapped_number(input, other, "mul")
    return input.mul(other) if isinstance(input, Tensor) else _t(other, "mul").mul(input)


def pow(input, exponent):
    """input ** exponent (either may be a number): every form's door (x ** y, x.pow(y), x.pow_(y) come here)."""
    if isinstance(input, Tensor) and input.array.dtype.kind == "f" and (type(exponent) in (int, float) or isinstance(
            exponent, Tensor) and exponent.array.dtype == input.array.dtype):  # the usual call, a floating tensor to
        return E.Pow.apply(*input._pair(exponent, "pow"))  # a number or a tensor of its dtype: no rule below applies
    input = checks.number(input)  # (a NumPy scalar base is the number PyTorch reads: np.int64(2) is 2, np.True_ 1.0)
    integer_base = input.dtype.kind in "biu" if isinstance(input, Tensor) else isinstance(input, int)  # (or a bool)
    if isinstance(input, Tensor) and input.dtype.kind in "iu" and checks.is_integer(exponent) and not isinstance(
            exponent, Tensor):  # (PyTorch converts an integer exponent to the base's dtype, checked: uint8 ** 300
        fits("pow", exponent, input.dtype)  # refuses, where NumPy's power wraps around)
    if integer_base and _negative_integers(exponent):
        return _integer_power(input, exponent)
    out = powered(input, exponent if isinstance(input, Tensor) else _t(exponent, "pow"))
    if _is_bool(exponent) and isinstance(input, Tensor) and input.requires_grad:  # d/da = b·a^(b−1): PyTorch's
        return _bool_refused(out, "pow", "subtracts 1 from", input, exponent)  # b − 1 refuses a bool tensor
    return out


class PowKernels:
    """a ** b as PyTorch's kernels compute it (the backward's b·a^(b−1) too), and its pow_backward's zeros (wider
    than the textbook's): the functions of the engine's Pow of the same names, in its row of KERNELS, which Pow asks
    only where ``rounds`` says they differ from its own."""

    @staticmethod
    def rounds(b, number):  # a tensor b, or a number whose power (3, −2, −0.5) or whose derivative's (b − 1 of 4, −1,
        return not number or b in (3, -2, -0.5, 4, -1, 0.5, 0)  # 0.5) the kernels below compute otherwise, or whose
    # pow_backward zeroes d/da everywhere (0); for every other number they are the textbook's a ** b

    @staticmethod
    def power(a, b, number):  # a ** b as PyTorch's kernels give it (number: b is a number, not a tensor's values)
        # A number b of -0.5 is 1/sqrt(a) (−∞ at −0, NaN at −∞, where C's pow gives +∞ and +0), 0.5 sqrt (NumPy's **
        # too); a tensor b is C's pow throughout, where NumPy's power takes sqrt for a broadcast 0.5 (NaN at −∞, −0 at
        # −0: C's pow gives +∞ and +0, |a| there)
        if not isinstance(a, backend.PLAIN_TYPES):
            return a**b  # (a Tensor, under create_graph: its own Pow node gives this)
        xp = backend.get_array_module(a)
        if number and b in (3, -2) and a.dtype.itemsize > 2:  # PyTorch's kernel multiplies for these, where C's pow
            return a * a * a if b == 3 else 1 / (a * a)  # rounds once (float16: pow of the float32 value, NumPy's too)
        out = 1 / xp.sqrt(a) if number and b == -0.5 else a**b
        return out if number or not (b == 0.5).any() else xp.where((b == 0.5) & ((a == -xp.inf) | (a == 0)),
                                                                   xp.abs(a), out)

    @staticmethod
    def zero_da(a, b):  # PyTorch's pow_backward: d/da is 0 wherever b = 0 (an ∞ upstream too, and at every order:
        return b == 0 if (b == 0).any() else None  # ∂/∂b of it is 0 there, the textbook's ∂²(a^b)/∂a∂b is 1/a)

    @staticmethod
    def zero_db(a, b):  # and d/db at a = 0 ≤ b, where the textbook's is 0 only at a = 0 < b
        return (a == 0) & (b >= 0) if (a == 0).any() else None


def pow_backward(node, grad, grads):
    """x ** 0 under create_graph (0 a number): PyTorch's gradient is a constant 0 that does not require grad, where
    the engine's 0 is recorded (b·x^(b−1) selected away; its own derivative 0 too)."""
    number = node.inputs[1]
    if grads[0] is None or not (isinstance(number, backend.np.generic) and number == 0):
        return grads
    return (zeros(grads[0]),) + tuple(grads[1:])


def powered(input, exponent):
    """input ** exponent (one of them a tensor) in one dtype, by the engine's Pow (PyTorch's kernels: its row)."""
    if isinstance(input, Tensor):
        return E.Pow.apply(*input._pair(checks.bool_power(input, checks.number(exponent)), "pow"))
    base, x = exponent._pair(checks.bool_power(exponent, input, reflected=True), "pow", reflected=True)
    return E.Pow.apply(base.array[()] if isinstance(base, Tensor) and base.ndim == 0 else base, x)  # (a number base
    # goes in as a NumPy scalar, a 0-d tensor's as a 0-d array: parity.pow_layout tells them apart)


def _negative_integers(exponent) -> bool:
    """Whether ``exponent`` is an integer tensor holding a number below 0 (an integer number below 0 is refused, as
    PyTorch refuses it: a RuntimeError)."""
    if isinstance(exponent, Tensor):
        return exponent.dtype.kind in "iu" and builtins.bool((exponent.array < 0).any())
    if checks.is_integer(exponent) and exponent < 0:
        raise DomainError(f"pow: integers to negative integer powers are not allowed (as in PyTorch), got {exponent}; "
                          "use a floating base (x.float() ** n) or a floating exponent")
    return False


def _integer_power(x, exponent):
    """An integer (or bool) ``x`` (a tensor or a number) to integer powers some of which are negative, as PyTorch's
    integer kernel computes them where NumPy refuses: 1 for a base of 1, ±1 for −1 (by the exponent's parity), 0
    for any other base (2 ** −1 is 0, the integer part of 1/2).  An integer result has no gradient: a plain tensor."""
    pair = x._pair(checks.bool_power(x, exponent), "pow") if isinstance(x, Tensor) else \
        exponent._pair(x, "pow", reflected=True)  # (a number base: 2 ** e)
    a, b = (t.array for t in pair)
    xp = backend.get_array_module(a)
    inverse = xp.where(xp.abs(a) == 1, a ** (b % 2), 0)  # a^b for b < 0: 1/a^|b|, truncated toward 0
    out = xp.where(b < 0, inverse, a ** xp.where(b < 0, 0, b))  # (a number base: row-major, PyTorch's pow(Scalar,
    return Tensor._make(parity.pointwise_layout(out, a, b) if isinstance(x, Tensor) else backend.c_order(out))  # x))


def neg(input):
    return -_t(input, "neg")


def gt(input, other):
    return _t(input, "gt")._compare(other, "gt")  # (not >: a list is refused here, naming gt)


def ge(input, other):
    return _t(input, "ge")._compare(other, "ge")  # (not >=: a list is refused here, naming ge)


def lt(input, other):
    return _t(input, "lt")._compare(other, "lt")  # (not <: a list is refused here, naming lt)


def le(input, other):
    return _t(input, "le")._compare(other, "le")  # (not <=: a list is refused here, naming le)


def absolute(input):
    return _t(input, "absolute").abs()


# ------------------------------------ the free forms of Tensor methods without out= (minigan.relu, minigan.clone, ...)

def softmax(input, dim, dtype=None):
    return _t(input, "softmax").softmax(dim, dtype)


def log_softmax(input, dim, dtype=None):
    return _t(input, "log_softmax").log_softmax(dim, dtype)


def rsub(input, other, *, alpha=1):
    """other − alpha·input."""
    return other - _t(input, "rsub") * alpha
