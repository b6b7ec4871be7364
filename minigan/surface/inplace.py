"""The in-place forms of the Tensor methods, PyTorch's trailing underscore: ``x.exp_()`` is ``x.exp()`` written into
x's own memory.

Each is one line: the out-of-place method (so its checks and its derivative are the ones already there), handed to
``Tensor._in_place`` (minigan/engine/tensor.py), the one home of PyTorch's in-place rules: refused on a leaf that
requires grad while gradients are recorded, recorded on the tensor's history otherwise, the version bumped so that a
backward needing the old values raises, and a result of another kind (a float into an integer tensor) or of another
shape refused. Tensor operands are passed on as operands (a tensor that shares part of x's memory is refused, as
PyTorch refuses it; the ops that write where an index says refuse a source or index sharing any of it: read_whole).
The engine's own in-place ops (add_, mul_, copy_, x[i] = v, ...) live in engine/inplace.py.
"""

from __future__ import annotations

from minigan.engine import backend, checks
from minigan.engine.grad_mode import is_grad_enabled
from minigan.engine.tensor import Tensor
from minigan.surface import indexing, scaled
from minigan.surface.no_derivative import no_derivative, renamed
from minigan.surface.numpy_names import REQUIRED, numpy_names
from minigan.surface.overlap import refuse_overlap


class TensorInPlace:
    """Mixed into ``Tensor``: ``x.f_(...)`` for the methods ``x.f(...)`` of methods.py and engine/methods.py."""

    __slots__ = ()

    # Functions of one tensor.
    def abs_(self):
        return self._in_place("abs_", lambda x: x.abs())

    def absolute_(self):
        return self.abs_()

    def neg_(self):
        return self._in_place("neg_", lambda x: -x)

    def negative_(self):
        return self.neg_()

    def sign_(self):
        return self._in_place("sign_", lambda x: x.sign())

    def square_(self):
        return self._in_place("square_", lambda x: x.square())

    def relu_(self):
        return self._in_place("relu_", lambda x: x.relu())

    def sigmoid_(self):
        return self._in_place("sigmoid_", lambda x: x.sigmoid())

    def tanh_(self):
        return self._in_place("tanh_", lambda x: x.tanh())

    def exp_(self):
        return self._in_place("exp_", lambda x: x.exp())

    def exp2_(self):
        return self._in_place("exp2_", lambda x: x.exp2())

    def expm1_(self):
        return self._in_place("expm1_", lambda x: x.expm1())

    def erf_(self):
        return self._in_place("erf_", lambda x: x.erf())

    def erfc_(self):
        return self._in_place("erfc_", lambda x: x.erfc())

    def erfinv_(self):
        return self._in_place("erfinv_", lambda x: x.erfinv())

    def log_(self):
        return self._in_place("log_", lambda x: x.log())

    def log2_(self):
        return self._in_place("log2_", lambda x: x.log2())

    def log10_(self):
        return self._in_place("log10_", lambda x: x.log10())

    def log1p_(self):
        return self._in_place("log1p_", lambda x: x.log1p())

    def logit_(self, eps=None):
        return self._in_place("logit_", lambda x: x.logit(eps))

    def sqrt_(self):
        return self._in_place("sqrt_", lambda x: x.sqrt())

    def rsqrt_(self):
        return self._in_place("rsqrt_", lambda x: x.rsqrt())

    def reciprocal_(self):
        return self._in_place("reciprocal_", lambda x: x.reciprocal())

    def sin_(self):
        return self._in_place("sin_", lambda x: x.sin())

    def cos_(self):
        return self._in_place("cos_", lambda x: x.cos())

    def tan_(self):
        return self._in_place("tan_", lambda x: x.tan())

    def asin_(self):
        return self._in_place("asin_", lambda x: x.asin())

    def acos_(self):
        return self._in_place("acos_", lambda x: x.acos())

    def atan_(self):
        return self._in_place("atan_", lambda x: x.atan())

    def sinh_(self):
        return self._in_place("sinh_", lambda x: x.sinh())

    def cosh_(self):
        return self._in_place("cosh_", lambda x: x.cosh())

    # (PyTorch declares the derivative of these three in-place forms not implemented: recorded, they refuse at backward)
    def asinh_(self):
        return self._in_place("asinh_", lambda x: no_derivative(x.asinh().detach(), "inplace version of asinh", x,
                                                         declared=True, shown="AsinhBackward1"))

    def acosh_(self):
        return self._in_place("acosh_", lambda x: no_derivative(x.acosh().detach(), "inplace version of acosh", x,
                                                         declared=True, shown="AcoshBackward1"))

    def atanh_(self):
        return self._in_place("atanh_", lambda x: no_derivative(x.atanh().detach(), "inplace version of atanh", x,
                                                         declared=True, shown="AtanhBackward1"))

    def arcsin_(self):
        return self.asin_()

    def arccos_(self):
        return self.acos_()

    def arctan_(self):
        return self.atan_()

    def arcsinh_(self):
        return self.asinh_()

    def arccosh_(self):
        return self.acosh_()

    def arctanh_(self):
        return self.atanh_()

    def deg2rad_(self):
        return self._in_place("deg2rad_", lambda x: x.deg2rad())

    def rad2deg_(self):
        return self._in_place("rad2deg_", lambda x: x.rad2deg())

    def floor_(self):
        return self._in_place("floor_", lambda x: x.floor())

    def ceil_(self):
        return self._in_place("ceil_", lambda x: x.ceil())

    def round_(self, *, decimals=None):
        return self._in_place("round_", lambda x: x.round(decimals=decimals))

    def trunc_(self):
        return self._in_place("trunc_", lambda x: x.trunc())

    def fix_(self):
        return self.trunc_()

    def frac_(self):
        return self._in_place("frac_", lambda x: x.frac())

    def tril_(self, diagonal=0):
        return self._in_place("tril_", lambda x: x.tril(diagonal))

    def triu_(self, diagonal=0):
        return self._in_place("triu_", lambda x: x.triu(diagonal))

    def nan_to_num_(self, nan=0.0, posinf=None, neginf=None):
        if self.dtype.kind in "biu":  # nothing to replace: PyTorch writes nothing (an expanded x is no refusal)
            self.nan_to_num(nan, posinf, neginf)  # (its checks)
            self._version_counter()[0] += 1  # (and counts a version, as PyTorch's)
            return self
        return self._in_place("nan_to_num_", lambda x: x.nan_to_num(nan, posinf, neginf))

    def bernoulli_(self, p=0.5, *, generator=None):  # (a draw: nothing to differentiate, written as fill_ writes)
        if isinstance(p, Tensor):  # a tensor of probabilities, broadcast to this tensor (PyTorch's expand)
            if not self.numel():  # nothing to draw, and PyTorch checks no shape, but records the draw from p: an
                p = p.reshape(-1)[:0].reshape(self.shape)  # empty part of p (its gradient to p: zeros, as PyTorch's)
            drawn = self.copy_(p.expand(self.shape).bernoulli(generator=generator))  # (recorded: 0 to p, as PyTorch)
            return recorded_fill(drawn, "bernoulli_", p, "BernoulliBackward1")  # (an integer x too, as fill_'s)
        return self.copy_(self.detach().bernoulli(p, generator=generator))  # (detached: its draw has no derivative)

    # Bounds.
    def clamp_min_(self, min):
        return self._in_place("clamp_min_", lambda x, b: x.clamp_min(b), min)  # (a tensor bound: an operand)

    def clamp_max_(self, max):
        return self._in_place("clamp_max_", lambda x, b: x.clamp_max(b), max)

    def clip_(self, min=None, max=None):
        return self.clamp_(min, max)

    # Functions of two or three tensors: a tensor operand goes through _in_place, which checks its shape and memory.
    def pow_(self, exponent):
        return self._in_place("pow_", lambda x, e: x.pow(e), exponent)

    def bitwise_and_(self, other=REQUIRED, *, x2=None):
        if x2 is not None or other is REQUIRED:
            (other,) = numpy_names("bitwise_and_", other=(other, REQUIRED, x2))
        return self._in_place("bitwise_and_", lambda x, y: x.bitwise_and(y), other)

    def bitwise_or_(self, other=REQUIRED, *, x2=None):
        if x2 is not None or other is REQUIRED:
            (other,) = numpy_names("bitwise_or_", other=(other, REQUIRED, x2))
        return self._in_place("bitwise_or_", lambda x, y: x.bitwise_or(y), other)

    def bitwise_xor_(self, other=REQUIRED, *, x2=None):
        if x2 is not None or other is REQUIRED:
            (other,) = numpy_names("bitwise_xor_", other=(other, REQUIRED, x2))
        return self._in_place("bitwise_xor_", lambda x, y: x.bitwise_xor(y), other)

    def bitwise_not_(self):
        return self._in_place("bitwise_not_", lambda x: x.bitwise_not())

    def bitwise_left_shift_(self, other=REQUIRED, *, x2=None):
        if x2 is not None or other is REQUIRED:
            (other,) = numpy_names("bitwise_left_shift_", other=(other, REQUIRED, x2))
        return self._in_place("bitwise_left_shift_", lambda x, y: x.bitwise_left_shift(y), other)

    def bitwise_right_shift_(self, other=REQUIRED, *, x2=None):
        if x2 is not None or other is REQUIRED:
            (other,) = numpy_names("bitwise_right_shift_", other=(other, REQUIRED, x2))
        return self._in_place("bitwise_right_shift_", lambda x, y: x.bitwise_right_shift(y), other)


    def fmod_(self, other=REQUIRED, *, x2=None):
        if x2 is not None or other is REQUIRED:
            (other,) = numpy_names("fmod_", other=(other, REQUIRED, x2))
        return self._in_place("fmod_", lambda x, y: x.fmod(y), other)

    def remainder_(self, other=REQUIRED, *, x2=None):
        if x2 is not None or other is REQUIRED:
            (other,) = numpy_names("remainder_", other=(other, REQUIRED, x2))
        return self._in_place("remainder_", lambda x, y: x.remainder(y), other)

    def floor_divide_(self, other=REQUIRED, *, x2=None):
        if x2 is not None or other is REQUIRED:
            (other,) = numpy_names("floor_divide_", other=(other, REQUIRED, x2))
        return self._in_place("floor_divide_", lambda x, y: renamed(x.floor_divide(y), "floor_divide_"), other)

    # x &= y, x |= y, x ^= y, x <<= y, x >>= y, x //= y, x %= y, x **= y: in place; a list or tuple is not an operand
    # (NotImplemented, as PyTorch's operators answer it: Python's TypeError, or x *= [1, 2]'s rules)
    def __iand__(self, other):
        return NotImplemented if type(other) in checks.SEQUENCES else self.bitwise_and_(other)

    def __ior__(self, other):
        return NotImplemented if type(other) in checks.SEQUENCES else self.bitwise_or_(other)

    def __ixor__(self, other):
        return NotImplemented if type(other) in checks.SEQUENCES else self.bitwise_xor_(other)

    def __ilshift__(self, other):
        return NotImplemented if type(other) in checks.SEQUENCES else self.bitwise_left_shift_(other)

    def __irshift__(self, other):
        return NotImplemented if type(other) in checks.SEQUENCES else self.bitwise_right_shift_(other)

    def __ifloordiv__(self, other):
        return NotImplemented if type(other) in checks.SEQUENCES else self.floor_divide_(other)

    def __imod__(self, other):
        return NotImplemented if type(other) in checks.SEQUENCES else self.remainder_(other)

    def __ipow__(self, other):
        return NotImplemented if type(other) in checks.SEQUENCES else self.pow_(other)

    def atan2_(self, other=REQUIRED, *, x2=None):
        if x2 is not None or other is REQUIRED:
            (other,) = numpy_names("atan2_", other=(other, REQUIRED, x2))
        return self._in_place("atan2_", lambda x, y: x.atan2(y), other)

    def arctan2_(self, other):
        return self.atan2_(other)

    def hypot_(self, other=REQUIRED, *, x2=None):
        if x2 is not None or other is REQUIRED:
            (other,) = numpy_names("hypot_", other=(other, REQUIRED, x2))
        return self._in_place("hypot_", lambda x, y: x.hypot(y), other)

    def xlogy_(self, other=REQUIRED, *, x2=None):
        if x2 is not None or other is REQUIRED:
            (other,) = numpy_names("xlogy_", other=(other, REQUIRED, x2))
        return self._in_place("xlogy_", lambda x, y: x.xlogy(y), other)

    def multiply_(self, other=REQUIRED, *, x2=None):
        if x2 is not None or other is REQUIRED:
            (other,) = numpy_names("multiply_", other=(other, REQUIRED, x2))
        return self.mul_(other)

    def subtract_(self, other=REQUIRED, *rest, alpha=None, x2=None):
        if x2 is not None or other is REQUIRED:
            (other,) = numpy_names("subtract_", other=(other, REQUIRED, x2))
        other, alpha = scaled.numbers_pair("subtract_", other, rest, alpha)
        return self.sub_(other, alpha=alpha)

    def divide_(self, other=REQUIRED, *, rounding_mode=None, x2=None):
        if x2 is not None or other is REQUIRED:
            (other,) = numpy_names("divide_", other=(other, REQUIRED, x2))
        return self._in_place("divide_", lambda x, y: x.div(y, rounding_mode=rounding_mode), other)

    def true_divide_(self, other=REQUIRED, *, x2=None):
        if x2 is not None or other is REQUIRED:
            (other,) = numpy_names("true_divide_", other=(other, REQUIRED, x2))
        return self.div_(other)

    def lerp_(self, end, weight):
        return self._in_place("lerp_", lambda x, e, w: x.lerp(e, w), end, weight)

    def addcmul_(self, tensor1, tensor2, *rest, value=None):
        tensor1, tensor2, value = scaled.value_first("addcmul_", tensor1, tensor2, rest, value)
        return self._in_place("addcmul_", lambda x, a, b: x.addcmul(a, b, value=value), tensor1, tensor2)

    def addcdiv_(self, tensor1, tensor2, *rest, value=None):
        tensor1, tensor2, value = scaled.value_first("addcdiv_", tensor1, tensor2, rest, value)
        return self._in_place("addcdiv_", lambda x, a, b: x.addcdiv(a, b, value=value), tensor1, tensor2)

    def addmm_(self, mat1, mat2, *, beta=1, alpha=1):
        return self._in_place("addmm_", lambda x, a, b: x.addmm(a, b, beta=beta, alpha=alpha), mat1, mat2)

    def scatter_(self, dim=REQUIRED, index=REQUIRED, src=None, *, value=None, reduce=None, axis=None):  # (src a
        # number: scatter_(dim, index, 1.0))
        if axis is not None or dim is REQUIRED or index is REQUIRED:
            dim, index = numpy_names("scatter_", dim=(dim, REQUIRED, axis), index=(index, REQUIRED))
        value, src = (src, None) if checks.is_number(src) and value is None else (value, src)
        return self._in_place("scatter_", lambda x, s: read_whole(self, "scatter_", x.scatter(
            dim, index, s, value=value, reduce=reduce), s, index), src, cast=True)

    def scatter_add_(self, dim=REQUIRED, index=REQUIRED, src=REQUIRED, *, axis=None):
        if axis is not None or dim is REQUIRED or index is REQUIRED or src is REQUIRED:
            dim, index, src = numpy_names("scatter_add_", dim=(dim, REQUIRED, axis), index=(index, REQUIRED),
                                          src=(src, REQUIRED))
        return self._in_place("scatter_add_", lambda x, s: read_whole(self, "scatter_add_", x.scatter_add(
            dim, index, s), s, index), src)

    def index_put_(self, indices, values, accumulate=False):
        indexing.index_tensors(indices, "index_put_")  # (as PyTorch's binding: a tuple of tensors, first; then the
        if not (self.requires_grad and is_grad_enabled()):  # indices before the memory written, a leaf that requires
            indexing.put_index(self, indices, "index_put_")  # grad refused before both)
        shared = tuple(d for d, (s, n) in enumerate(zip(self.array.strides, self.shape)) if s == 0 and n > 1)
        if accumulate and self.numel() > 1 and shared:  # an expanded tensor: each element its entries share takes all
            # their values, added in turn as PyTorch's (not one entry's sum)
            return self._in_place("index_put_", lambda x, v: read_whole(self, "index_put_", x + x.new_zeros(
                x.shape).index_put(indices, v, True).sum(shared, keepdim=True), v, *indices), values)
        return self._in_place("index_put_", lambda x, v: read_whole(self, "index_put_", x.index_put(
            indices, v, accumulate), v, *indices), values)

    def index_add_(self, dim, index, source, *, alpha=1):
        return self._in_place("index_add_", lambda x, s: read_whole(self, "index_add_", x.index_add(
            dim, index, s, alpha=alpha), s, index), source)

    def index_copy_(self, dim, index, source):
        return self._in_place("index_copy_", lambda x, s: read_whole(self, "index_copy_", x.index_copy(
            dim, index, s), s, index), source, cast=True)

    def index_fill_(self, dim=REQUIRED, index=REQUIRED, value=REQUIRED, *, axis=None):  # (PyTorch's in-place form
        # takes a value that requires grad into an integer tensor, where its out-of-place form refuses it: the value is
        # read as a number there)
        if axis is not None or dim is REQUIRED or index is REQUIRED or value is REQUIRED:
            dim, index, value = numpy_names("index_fill_", dim=(dim, REQUIRED, axis), index=(index, REQUIRED),
                                            value=(value, REQUIRED))
        self._in_place("index_fill_", lambda x, v: read_whole(self, "index_fill_", x.index_fill(dim, index, v.detach(
            ) if isinstance(v, Tensor) and not x.is_floating_point() else v), index), value, cast=True)
        return recorded_fill(self, "index_fill_", value, "IndexFillBackward1")

    def masked_fill_(self, mask, value):
        self._in_place("masked_fill_", lambda x, m, v: x.masked_fill(m, v.detach() if isinstance(  # (recorded below)
            v, Tensor) and not x.is_floating_point() else v), mask, value, cast=True)
        return recorded_fill(self, "masked_fill_", value, "MaskedFillBackward1")


def read_whole(x, op, result, *read):
    """``result``, once no tensor it was computed from (a source, an index) shares any of the memory of ``x``, the
    tensor it goes into: PyTorch's assert_no_overlap of the ops that write where an index says (scatter_, index_add_,
    index_put_, ...), which refuses x itself too (``x.scatter_(0, i, x)``), where add_ refuses only a part of x.
    (Checked after the op's own checks, as PyTorch checks them first.)"""
    for t in read:
        if isinstance(t, Tensor):
            refuse_overlap(op, x.array, t.array, whole=True, what="a tensor read (a source or an index)")
    return result


def setitem_read_whole(x, items, value):
    """``x[items] = value`` with index tensors is PyTorch's index_put_ into x's basic part (its ints and slices
    applied; x itself where those are whole slices), which refuses a value or index sharing any of that memory
    (read_whole), unless one bool mask and a value of one element make it masked_fill_ (which reads the value as a
    number, and refuses a mask sharing part of the memory).  ``items``: pytorch_index's, index tensors as arrays."""
    arrays = [i for i in items if backend.is_array(i)]
    if not arrays:
        return
    basic = tuple(b for i in items for b in ([slice(None)] * (i.ndim if i.dtype == bool else 1)
                                             if backend.is_array(i) else [i]))
    place = x.array if all(b == slice(None) for b in basic) else x.array[basic]
    if len(arrays) == 1 and arrays[0].dtype == bool and (not isinstance(value, Tensor) or value.numel() == 1):
        return refuse_overlap("setitem", place, arrays[0], what="the mask")
    for a in arrays + ([value.array] if isinstance(value, Tensor) else []):
        refuse_overlap("setitem", place, a, whole=True, what="a tensor read (the value or an index)")


def recorded_fill(x, op, value, shown):
    """``x`` after ``op`` wrote ``value`` into it.  PyTorch records fill_, masked_fill_ and index_fill_ of a value that
    requires grad whatever x's dtype: an integer (or bool) x comes to require grad too, with the fill's node, and a
    backward that reaches it raises (no gradient flows into an integer tensor).  (A floating x the write recorded.)"""
    if is_grad_enabled() and isinstance(value, Tensor) and value.requires_grad and not x.is_floating_point():
        why = f"it wrote a value that requires grad into a {x.dtype} tensor, and no gradient flows into integers"
        node = no_derivative(x.array.astype("float64"), op, value, shown=shown, why=why)._ctx  # (the engine makes
        x._ctx, x._requires_grad = node, True  # no node of an integer result: this one is over x's values as floats)
    return x


# ----------------------------------------------------------------------------- the free in-place forms
# PyTorch's ``torch.relu_(x)`` is ``x.relu_()``: each hands on to the Tensor method (minigan/toplevel.py binds
# minigan.relu_ to it).
