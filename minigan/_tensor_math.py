"""The method forms of minigan's free functions and of the elementwise math of ``ops/unary.py``
(``x.sin()``, ``x.lerp(y, w)``, ``x.new_zeros(...)``, ...), which ``Tensor`` inherits.

They live here, beside _tensor_methods.py, so that _tensor.py stays the engine's value and its core API.  Each is one
line: an op's ``apply`` behind the door check, or the free function of the same name in ``toplevel.py`` (the
one home of its checks), reached through ``_toplevel()`` at call time because toplevel.py imports
_tensor.py.  ``__getattr__`` gives the one-line advice of ``minigan/_missing.py`` for a PyTorch name a Tensor does
not have.
"""

from __future__ import annotations

from minigan import _missing, backend
from minigan.ops import unary as U


def _toplevel():
    """minigan.toplevel, where each method form's free function and its door check live (imported at call time:
    toplevel.py imports _tensor.py)."""
    from minigan import toplevel

    return toplevel


class TensorMath:
    """Mixed into ``Tensor`` (which has the operators, ``ne``, ``sub``, ``expand``...)."""

    __slots__ = ()

    def _as_float(self, op=None):
        """The input of a function of real numbers: as in PyTorch, an integer or bool tensor is computed in float32."""
        return self if backend.is_floating(self.dtype) else self.float()

    def sin(self):
        return U.Sin.apply(self._as_float())

    def cos(self):
        return U.Cos.apply(self._as_float())

    def tan(self):
        return U.Tan.apply(self._as_float())

    def asin(self):
        return U.Asin.apply(self._as_float())

    def acos(self):
        return U.Acos.apply(self._as_float())

    def atan(self):
        return U.Atan.apply(self._as_float())

    def sinh(self):
        return U.Sinh.apply(self._as_float())

    def cosh(self):
        return U.Cosh.apply(self._as_float())

    def asinh(self):
        return U.Asinh.apply(self._as_float())

    def acosh(self):
        return U.Acosh.apply(self._as_float())

    def atanh(self):
        return U.Atanh.apply(self._as_float())

    def log1p(self):
        return U.Log1p.apply(self._as_float())

    def expm1(self):
        return U.Expm1.apply(self._as_float())

    def exp2(self):
        return U.Exp2.apply(self._as_float())

    def erf(self):
        return U.Erf.apply(self._as_float())

    def erfc(self):
        return U.Erfc.apply(self._as_float())

    def erfinv(self):
        return U.Erfinv.apply(self._as_float())

    def log2(self):
        return U.Log2.apply(self._as_float())

    def log10(self):
        return U.Log10.apply(self._as_float())

    def reciprocal(self):
        return U.Reciprocal.apply(self._as_float())

    def rsqrt(self):
        return U.Rsqrt.apply(self._as_float())

    def frac(self):
        return U.Frac.apply(self._as_float())

    arcsin, arccos, arctan, arcsinh, arccosh, arctanh = asin, acos, atan, asinh, acosh, atanh

    def floor(self):
        return _toplevel().floor(self)

    def ceil(self):
        return _toplevel().ceil(self)

    def round(self, *, decimals=0):
        return _toplevel().round(self, decimals=decimals)

    def trunc(self):
        return _toplevel().trunc(self)

    fix = trunc

    def atan2(self, other):
        return _toplevel().atan2(self, other)

    arctan2 = atan2

    def hypot(self, other):
        return _toplevel().hypot(self, other)

    def lerp(self, end, weight):
        return _toplevel().lerp(self, end, weight)

    def addmm(self, mat1, mat2, *, beta=1, alpha=1):
        return _toplevel().addmm(self, mat1, mat2, beta=beta, alpha=alpha)

    def baddbmm(self, batch1, batch2, *, beta=1, alpha=1):
        return _toplevel().baddbmm(self, batch1, batch2, beta=beta, alpha=alpha)

    def addbmm(self, batch1, batch2, *, beta=1, alpha=1):
        return _toplevel().addbmm(self, batch1, batch2, beta=beta, alpha=alpha)

    def addmv(self, mat, vec, *, beta=1, alpha=1):
        return _toplevel().addmv(self, mat, vec, beta=beta, alpha=alpha)

    def addr(self, vec1, vec2, *, beta=1, alpha=1):
        return _toplevel().addr(self, vec1, vec2, beta=beta, alpha=alpha)

    def dist(self, other, p=2):
        return _toplevel().dist(self, other, p)

    def element_size(self) -> int:
        """Bytes per element (4 for float32)."""
        return self.array.itemsize

    @property
    def itemsize(self) -> int:
        return self.array.itemsize

    @property
    def nbytes(self) -> int:
        """Bytes of all the elements."""
        return self.array.nbytes

    @property
    def mT(self):
        """The last two axes swapped (the matrix transpose of each matrix in a batch)."""
        return self.transpose(-2, -1)

    def addcmul(self, tensor1, tensor2, *, value=1):
        return _toplevel().addcmul(self, tensor1, tensor2, value=value)

    def addcdiv(self, tensor1, tensor2, *, value=1):
        return _toplevel().addcdiv(self, tensor1, tensor2, value=value)

    def outer(self, vec2):
        return _toplevel().outer(self, vec2)

    ger = outer

    def dot(self, other):
        return _toplevel().dot(self, other)

    vdot = dot

    def inner(self, other):
        return _toplevel().inner(self, other)

    def mv(self, vec):
        return _toplevel().mv(self, vec)

    def bmm(self, mat2):
        return _toplevel().bmm(self, mat2)

    def chunk(self, chunks, dim=0):
        return _toplevel().chunk(self, chunks, dim)

    def split(self, split_size, dim=0):
        return _toplevel().split(self, split_size, dim)

    def narrow(self, dim, start, length):
        return _toplevel().narrow(self, dim, start, length)

    def unbind(self, dim=0):
        return _toplevel().unbind(self, dim)

    def flip(self, *dims, **dims_keyword):  # x.flip(0, 1), x.flip((0, 1)) or x.flip(dims=[3])
        dims = dims_keyword.pop("dims") if "dims" in dims_keyword and not dims else dims
        if dims_keyword:
            raise TypeError(f"flip: unexpected keyword argument {next(iter(dims_keyword))!r} (flip takes dims)")
        return _toplevel().flip(self, dims[0] if len(dims) == 1 and isinstance(dims[0], (tuple, list)) else dims)

    def fliplr(self):
        return _toplevel().fliplr(self)

    def flipud(self):
        return _toplevel().flipud(self)

    def movedim(self, source, destination):
        return _toplevel().movedim(self, source, destination)

    moveaxis = movedim

    def ravel(self):
        return _toplevel().ravel(self)

    def repeat(self, *sizes):
        return _toplevel().tile(self, sizes[0] if len(sizes) == 1 and isinstance(sizes[0], (tuple, list)) else sizes)

    def tile(self, *dims):
        return _toplevel().tile(self, dims[0] if len(dims) == 1 and isinstance(dims[0], (tuple, list)) else dims)

    def tril(self, diagonal=0):
        return _toplevel().tril(self, diagonal)

    def triu(self, diagonal=0):
        return _toplevel().triu(self, diagonal)

    def amax(self, dim=(), keepdim=False):
        return _toplevel().amax(self, dim, keepdim)

    def amin(self, dim=(), keepdim=False):
        return _toplevel().amin(self, dim, keepdim)

    def clamp_min(self, min):
        return _toplevel().clamp_min(self, min)

    def clamp_max(self, max):
        return _toplevel().clamp_max(self, max)

    def gather(self, dim, index):
        return _toplevel().gather(self, dim, index)

    def index_select(self, dim, index):
        return _toplevel().index_select(self, dim, index)

    def sort(self, dim=-1, descending=False, stable=False):
        return _toplevel().sort(self, dim, descending, stable)

    def argsort(self, dim=-1, descending=False, stable=False):
        return _toplevel().argsort(self, dim, descending, stable)

    def topk(self, k, dim=-1, largest=True, sorted=True):
        return _toplevel().topk(self, k, dim, largest, sorted)

    def cumsum(self, dim, *, dtype=None):
        return _toplevel().cumsum(self, dim, dtype=dtype)

    def prod(self, dim=None, keepdim=False, *, dtype=None):
        return _toplevel().prod(self, dim, keepdim, dtype=dtype)

    def cumprod(self, dim, *, dtype=None):
        return _toplevel().cumprod(self, dim, dtype=dtype)

    def kthvalue(self, k, dim=-1, keepdim=False):
        return _toplevel().kthvalue(self, k, dim, keepdim)

    def median(self, dim=None, keepdim=False):
        return _toplevel().median(self, dim, keepdim)

    def quantile(self, q, dim=None, keepdim=False, *, interpolation="linear"):
        return _toplevel().quantile(self, q, dim, keepdim, interpolation=interpolation)

    def nansum(self, dim=None, keepdim=False, *, dtype=None):
        return _toplevel().nansum(self, dim, keepdim, dtype=dtype)

    def nanmean(self, dim=None, keepdim=False, *, dtype=None):
        return _toplevel().nanmean(self, dim, keepdim, dtype=dtype)

    def cummax(self, dim):
        return _toplevel().cummax(self, dim)

    def cummin(self, dim):
        return _toplevel().cummin(self, dim)

    def logcumsumexp(self, dim):
        return _toplevel().logcumsumexp(self, dim)

    def bincount(self, weights=None, minlength=0):
        return _toplevel().bincount(self, weights, minlength)

    def histc(self, bins=100, min=0, max=0):
        return _toplevel().histc(self, bins, min, max)

    def aminmax(self, *, dim=None, keepdim=False):
        return _toplevel().aminmax(self, dim=dim, keepdim=keepdim)

    def bernoulli(self, p=None, *, generator=None):
        return _toplevel().bernoulli(self, p, generator=generator)

    def multinomial(self, num_samples, replacement=False, *, generator=None):
        return _toplevel().multinomial(self, num_samples, replacement, generator=generator)

    def nan_to_num(self, nan=0.0, posinf=None, neginf=None):
        return _toplevel().nan_to_num(self, nan, posinf, neginf)

    def diff(self, n=1, dim=-1, prepend=None, append=None):
        return _toplevel().diff(self, n, dim, prepend, append)

    def roll(self, shifts, dims=None):
        return _toplevel().roll(self, shifts, dims)

    def diag(self, diagonal=0):
        return _toplevel().diag(self, diagonal)

    def trace(self):
        return _toplevel().trace(self)

    def scatter(self, dim, index, src=None, *, value=None):
        return _toplevel().scatter(self, dim, index, src, value=value)

    def scatter_add(self, dim, index, src):
        return _toplevel().scatter_add(self, dim, index, src)

    def nonzero(self, *, as_tuple=False):
        return _toplevel().nonzero(self, as_tuple=as_tuple)

    def argwhere(self):
        return _toplevel().argwhere(self)

    def masked_select(self, mask):
        return _toplevel().masked_select(self, mask)

    def unique(self, sorted=True, return_inverse=False, return_counts=False, dim=None):
        return _toplevel().unique(self, sorted, return_inverse, return_counts, dim)

    def repeat_interleave(self, repeats=None, dim=None):
        return _toplevel().repeat_interleave(self, repeats, dim)

    def unflatten(self, dim, sizes):
        """Axis ``dim`` split into ``sizes`` (one may be -1), as nn.Unflatten."""
        d = dim % self.ndim
        return self.reshape(*self.shape[:d], *sizes, *self.shape[d + 1:])

    def tensor_split(self, indices_or_sections, dim=0):
        return _toplevel().tensor_split(self, indices_or_sections, dim)

    def rot90(self, k=1, dims=(0, 1)):
        return _toplevel().rot90(self, k, dims)

    def hsplit(self, indices_or_sections):
        return _toplevel().hsplit(self, indices_or_sections)

    def vsplit(self, indices_or_sections):
        return _toplevel().vsplit(self, indices_or_sections)

    def dsplit(self, indices_or_sections):
        return _toplevel().dsplit(self, indices_or_sections)

    def index_put(self, indices, values, accumulate=False):
        return _toplevel().index_put(self, indices, values, accumulate)

    def take(self, index):
        return _toplevel().take(self, index)

    def take_along_dim(self, indices, dim=None):
        return _toplevel().take_along_dim(self, indices, dim)

    def index_add(self, dim, index, source, *, alpha=1):
        return _toplevel().index_add(self, dim, index, source, alpha=alpha)

    def index_copy(self, dim, index, source):
        return _toplevel().index_copy(self, dim, index, source)

    def index_fill(self, dim, index, value):
        return _toplevel().index_fill(self, dim, index, value)

    def maximum(self, other):
        return _toplevel().maximum(self, other)

    def minimum(self, other):
        return _toplevel().minimum(self, other)

    def remainder(self, other):
        return _toplevel().remainder(self, other)

    def fmod(self, other):
        return _toplevel().fmod(self, other)

    def __mod__(self, other):  # x % y: torch.remainder, the sign of y (Python's %)
        return _toplevel().remainder(self, other)

    def __rmod__(self, other):
        return _toplevel().remainder(other, self)

    def __floordiv__(self, other):  # x // y: torch.floor_divide, no gradient
        return _toplevel().floor_divide(self, other)

    def __rfloordiv__(self, other):
        return _toplevel().floor_divide(other, self)

    def floor_divide(self, other):
        return _toplevel().floor_divide(self, other)

    def xlogy(self, other):
        return _toplevel().xlogy(self, other)

    def logaddexp(self, other):
        return _toplevel().logaddexp(self, other)

    def logit(self, eps=None):
        return _toplevel().logit(self, eps)

    def deg2rad(self):
        return _toplevel().deg2rad(self)

    def rad2deg(self):
        return _toplevel().rad2deg(self)

    def masked_fill(self, mask, value):
        return _toplevel().masked_fill(self, mask, value)

    def where(self, condition, other):
        """``self`` where ``condition`` holds, else ``other`` (PyTorch's x.where(cond, y))."""
        return _toplevel().where(condition, self, other)

    def isnan(self):
        return _toplevel().isnan(self)

    def isinf(self):
        return _toplevel().isinf(self)

    def isfinite(self):
        return _toplevel().isfinite(self)

    def logical_not(self):
        return _toplevel().logical_not(self)

    def logical_and(self, other):
        return _toplevel().logical_and(self, other)

    def logical_or(self, other):
        return _toplevel().logical_or(self, other)

    # bits of integer and bool tensors: & | ^ ~ << >> (not differentiable)
    def bitwise_and(self, other):
        return _toplevel().bitwise_and(self, other)

    def bitwise_or(self, other):
        return _toplevel().bitwise_or(self, other)

    def bitwise_xor(self, other):
        return _toplevel().bitwise_xor(self, other)

    def bitwise_not(self):
        return _toplevel().bitwise_not(self)

    def bitwise_left_shift(self, other):
        return _toplevel().bitwise_left_shift(self, other)

    def bitwise_right_shift(self, other):
        return _toplevel().bitwise_right_shift(self, other)

    __and__, __or__, __xor__, __invert__ = bitwise_and, bitwise_or, bitwise_xor, bitwise_not
    __lshift__, __rshift__ = bitwise_left_shift, bitwise_right_shift

    def __rand__(self, other):
        return _toplevel()._bitwise("bitwise_and", self, other, "bitwise_and", reflected=True)

    def __ror__(self, other):
        return _toplevel()._bitwise("bitwise_or", self, other, "bitwise_or", reflected=True)

    def __rxor__(self, other):
        return _toplevel()._bitwise("bitwise_xor", self, other, "bitwise_xor", reflected=True)

    def __rlshift__(self, other):
        return _toplevel()._bitwise("left_shift", self, other, "bitwise_left_shift", reflected=True)

    def __rrshift__(self, other):
        return _toplevel()._bitwise("right_shift", self, other, "bitwise_right_shift", reflected=True)

    def logical_xor(self, other):
        return _toplevel().logical_xor(self, other)

    def all(self, dim=None, keepdim=False):
        return _toplevel().all(self, dim, keepdim)

    def any(self, dim=None, keepdim=False):
        return _toplevel().any(self, dim, keepdim)

    def isclose(self, other, rtol=1e-05, atol=1e-08, equal_nan=False):
        return _toplevel().isclose(self, other, rtol, atol, equal_nan)

    def allclose(self, other, rtol=1e-05, atol=1e-08, equal_nan=False):
        return _toplevel().allclose(self, other, rtol, atol, equal_nan)

    def equal(self, other):
        return _toplevel().equal(self, other)

    def count_nonzero(self, dim=None):
        return _toplevel().count_nonzero(self, dim)

    def gt(self, other):
        return self > other

    def ge(self, other):
        return self >= other

    def lt(self, other):
        return self < other

    def le(self, other):
        return self <= other

    greater, greater_equal, less, less_equal = gt, ge, lt, le

    def not_equal(self, other):
        return self.ne(other)

    def absolute(self):
        return self.abs()

    def positive(self):
        """The tensor itself (``+x``), as PyTorch's; a bool tensor is refused, as there."""
        if self.dtype.kind == "b":
            raise TypeError("positive: the + operator on a bool tensor is not supported (nor in PyTorch); "
                            "use x.logical_not() or x.int()")
        return self

    __pos__ = positive

    def negative(self):
        return -self

    def multiply(self, other):
        return self * other

    def subtract(self, other, *, alpha=1):
        return self.sub(other, alpha=alpha)

    def divide(self, other, *, rounding_mode=None):
        return _toplevel().div(self, other, rounding_mode=rounding_mode)

    true_divide = divide

    def broadcast_to(self, size):
        return self.expand(*size)

    def is_nonzero(self):
        return _toplevel().is_nonzero(self)

    def is_same_size(self, other):
        return self.shape == other.shape

    def ndimension(self):
        return self.ndim

    def new_zeros(self, *size, dtype=None, device=None, requires_grad=False):
        return _toplevel().zeros(*size, dtype=dtype or self.dtype, device=device or self.device,
                                 requires_grad=requires_grad)

    def new_ones(self, *size, dtype=None, device=None, requires_grad=False):
        return _toplevel().ones(*size, dtype=dtype or self.dtype, device=device or self.device,
                                requires_grad=requires_grad)

    def new_full(self, size, fill_value, dtype=None, device=None, requires_grad=False):
        return _toplevel().full(size, fill_value, dtype=dtype or self.dtype, device=device or self.device,
                                requires_grad=requires_grad)

    def new_tensor(self, data, dtype=None, device=None, requires_grad=False):
        return _toplevel().tensor(data, dtype=dtype or self.dtype, device=device or self.device,
                                  requires_grad=requires_grad)

    new_empty = new_zeros

    @property
    def is_cpu(self) -> bool:
        return self.device == "cpu"

    @property
    def is_xpu(self) -> bool:
        return False  # minigan's devices are the CPU and CUDA GPUs

    is_mps = is_xpu

    def __index__(self):
        """An integer one-element tensor as a Python int, where Python needs an index (``classes[pred.argmax()]``,
        ``range(n)``); a floating tensor is refused, as in PyTorch."""
        if self.dtype.kind not in "iub" or self.numel() != 1:
            raise TypeError(f"only integer tensors of a single element can be converted to an index, got dtype "
                            f"{self.dtype} and shape {self.shape}")
        return int(self.item())

    def __format__(self, format_spec):
        """``f"{loss:.3f}"``: a 0-d tensor formats as its number (as PyTorch); other tensors as their repr."""
        if self.array.ndim == 0:
            return self.item().__format__(format_spec)
        if format_spec:
            raise TypeError(f"format: a format spec ({format_spec!r}) applies to a 0-d tensor, got shape {self.shape};"
                            " format x.item() of a one-element tensor, or x.tolist()")
        return repr(self)

    def __getattr__(self, name):  # only called when the attribute does not exist
        raise _missing.attribute_error("torch.Tensor", name, self)
