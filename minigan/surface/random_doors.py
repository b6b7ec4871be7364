"""The doors of the integer draws, ``randint`` and ``randperm``: the dtype of the result must hold every number
that can be drawn, as PyTorch's checks say (a bool holds 0 and 1, uint8 0 to 255, float16 the integers up to 2049
exactly).
"""

from __future__ import annotations

import warnings

from minigan.engine import backend
from minigan.engine.errors import DomainError, DtypeError
from minigan.surface import random
from minigan.surface.sampling import uniform_range


def integer_range(fn, low, high, dtype) -> None:
    """Integers drawn from [low, high) into ``dtype``: low < high, and low and high − 1 within the dtype's range
    (RuntimeError, as PyTorch's); a floating dtype past the integers it holds exactly (2²⁴ for float32) warns, as
    PyTorch's, since nearby integers are drawn as one."""
    if not low < high:
        raise DomainError(f"{fn}: expects low < high, got low={low}, high={high}")
    dtype, exact = backend.np.dtype(dtype), None
    if dtype.kind == "b":
        lowest, highest = 0, 1
    elif dtype.kind in "iu":
        lowest, highest = int(backend.np.iinfo(dtype).min), int(backend.np.iinfo(dtype).max)
    else:
        highest, exact = float(backend.np.finfo(dtype).max), 2 ** (backend.np.finfo(dtype).nmant + 1)
        lowest = -highest
    for name, value in (("low", low), ("high - 1", high - 1)):
        if not lowest <= value <= highest:
            raise DomainError(f"{fn}: {name} = {value} is out of bounds for {dtype}; give bounds the dtype holds, "
                              "or a wider dtype")
        if exact is not None and abs(value) > exact:
            warnings.warn(f"{fn}: {name} = {value} is out of bounds [-{exact}, {exact}]: {dtype} holds the integers "
                          "exactly only within it, so nearby integers are drawn as one", UserWarning, stacklevel=3)


def permutation_size(n, dtype) -> None:
    """A permutation of 0 … n − 1 in ``dtype``: n ≥ 0, no bools (PyTorch has no kernel: NotImplementedError), and
    n − 1 within an integer dtype, n within the integers a floating one holds exactly (+1, as PyTorch's)."""
    if n < 0:
        raise DomainError(f"randperm: n must be >= 0, got {n} (a tensor of negative size)")
    dtype = backend.np.dtype(dtype)
    if dtype.kind == "b":
        raise DtypeError("randperm: not implemented for dtype bool; draw an integer permutation and convert it")
    if dtype.kind == "f":
        most = 2 ** (backend.np.finfo(dtype).nmant + 1) + 1
        if n > most:
            raise DomainError(f"randperm: n cannot be greater than {most} for {dtype}, got {n}; use a wider dtype")
    elif n and n - 1 > backend.np.iinfo(dtype).max:
        raise DomainError(f"randperm: n − 1 = {n - 1} cannot be converted to {dtype} without overflow; use a "
                          "wider dtype")


def laid_out(array, draw, activations: bool = False):
    """``draw(shape)`` written into ``array``'s layout: PyTorch's kernels fill a tensor in the order of its memory
    (a transposed view's entries in the order its base holds them), so the draw is made in that order.

    ``activations`` (a dropout's mask): the array is a layer's output, and one layout of it is minigan's own, never
    PyTorch's: the batch axis innermost, which is how minigan lays out a convolution's result (a view of its
    batch-last GEMM product) and what follows it elementwise or as a view (relu, batch norm, flatten).  PyTorch's
    convolution's result is row-major, so that layout is drawn row-major: drawn in minigan's memory order, a dropout
    after a conv would keep other entries than PyTorch's after the same seed.  (A user's own transposed matrix has
    its first axis innermost too, which is why the in-place samplers, filling a user's tensor, keep memory order.)"""
    order = sorted(range(array.ndim), key=lambda d: -abs(array.strides[d]))  # outermost axis first
    if activations and array.ndim > 1 and order[-1] == 0 and array.shape[0] > 1:
        order = list(range(array.ndim))  # (batch-last: drawn row-major, as on PyTorch's layout)
    values = draw(tuple(array.shape[d] for d in order))
    return values.transpose(sorted(range(array.ndim), key=order.__getitem__))


class TensorSamplers:
    """The in-place samplers of ``torch.Tensor``, each drawing as PyTorch's CPU kernel (minigan/surface/random.py)."""

    __slots__ = ()

    def _drawn(self, draw):
        """Write ``draw(xp, shape)``, made in this tensor's memory order, into it (as fill_ writes: no gradient)."""
        xp = backend.get_array_module(self.array)
        return self.copy_(laid_out(self.array, lambda shape: draw(xp, shape)))

    def normal_(self, mean=0.0, std=1.0, *, generator=None):
        """Fill with N(mean, std²) samples (the legacy ``m.weight.data.normal_(0, 0.02)``)."""
        if not std >= 0:  # (NaN too, as PyTorch's)
            raise DomainError(f"normal_: std must be >= 0, got {std}")
        if self.numel() == 0:  # (an empty tensor, of any dtype: nothing drawn)
            return self.copy_(self.detach())
        whole = self.array.flags.c_contiguous
        return self._drawn(lambda xp, shape: random.normal(shape, self.dtype, mean, std, xp, generator, whole))

    def uniform_(self, a=0.0, b=1.0, *, generator=None, **bounds):
        """Fill with U(a, b) samples.  PyTorch names the bounds ``from`` and ``to`` (``from`` is a Python keyword,
        so they come by ``**{"from": 2.0, "to": 3.0}``)."""
        a, b = bounds.pop("from", a), bounds.pop("to", b)
        if bounds:
            raise TypeError(f"uniform_() got an unexpected keyword argument {next(iter(bounds))!r}")
        uniform_range("uniform_", a, b, self.dtype)
        return self._drawn(lambda xp, shape: random.uniform(shape, self.dtype, a, b, xp, generator))

    def random_(self, *bounds, generator=None, **names):
        """Integers: ``random_()`` from 0 to the dtype's largest (2**mantissa for floats), ``random_(to)`` from 0,
        ``random_(from, to)``, and ``random_(from, None)`` up to the dtype's largest (PyTorch's forms)."""
        low, high = _random_bounds(bounds, names, self.dtype)
        if low is None and high is None:
            return self._drawn(lambda xp, shape: random.random_bits(shape, self.dtype, xp, generator))
        if low is not None:
            integer_range("random_", low, high, self.dtype)
        return self._drawn(lambda xp, shape: random.integers(shape, self.dtype, low, high, xp, generator))

    def exponential_(self, lambd=1.0, *, generator=None):
        """Fill with Exp(λ) samples: −log(1 − u)/λ."""
        if not lambd > 0:
            raise DomainError(f"exponential_ expects lambda > 0.0, but found lambda={lambd}")
        return self._drawn(lambda xp, shape: random.exponential(shape, _floating("exponential_", self), lambd, xp,
                                                                 generator))

    def geometric_(self, p, *, generator=None):
        """Fill with the number of Bernoulli(p) trials up to the first success (1, 2, ...)."""
        if not 0 < p < 1:
            raise DomainError(f"geometric_ expects p to be in (0, 1), but got p={p}")
        if self.dtype == backend.np.bool_:
            raise DtypeError("geometric_: not implemented for dtype bool; draw into an integer or float tensor")
        return self._drawn(lambda xp, shape: random.geometric(shape, self.dtype, p, xp, generator))

    def cauchy_(self, median=0.0, sigma=1.0, *, generator=None):
        """Fill with Cauchy(median, σ) samples: median + σ·tan(π(u − ½))."""
        return self._drawn(lambda xp, shape: random.cauchy(shape, _floating("cauchy_", self), median, sigma, xp,
                                                            generator))

    def log_normal_(self, mean=1.0, std=2.0, *, generator=None):
        """Fill with exp(N(mean, std²)) samples."""
        if not std > 0:
            raise DomainError(f"log_normal_ expects std > 0.0, but found std={std}")
        return self._drawn(lambda xp, shape: random.log_normal(shape, _floating("log_normal_", self), mean, std, xp,
                                                                generator))


def _floating(fn, x):
    if x.dtype.kind != "f":
        raise DtypeError(f"{fn}: a continuous distribution needs a floating-point tensor, got dtype {x.dtype}")
    return x.dtype


def _random_bounds(bounds, names, dtype):
    """random_'s (from, to) from its forms: (None, None) for ``random_()``; (None, 0) for the whole int64 range
    (``random_(-2**63, None)``); ``to`` None is the dtype's largest (2**mantissa for floats), inclusive."""
    args = dict(zip(("from", "to") if len(bounds) == 2 else ("to",), bounds), **names)
    if len(bounds) > 2 or set(names) - {"from", "to"} or ("from" in args and "to" not in args):
        raise TypeError("random_: expected random_(), random_(to) or random_(from, to), with generator= by keyword")
    if not args:
        return None, None
    for name, v in args.items():
        if v is not None and (isinstance(v, bool) or not isinstance(v, int) and not hasattr(v, "__index__")):
            raise TypeError(f"random_: {name} must be an integer, got {type(v).__name__} {v!r}")
    low, high = int(args.get("from", 0)), args["to"]
    if high is not None:
        return low, int(high)
    if low == -2**63:
        return None, 0
    dtype = backend.np.dtype(dtype)
    top = 1 if dtype.kind == "b" else 2 ** (backend.np.finfo(dtype).nmant + 1) if dtype.kind == "f" else \
        int(backend.np.iinfo(dtype).max)
    if low > top:
        raise DomainError(f"random_ expects 'from' casted to dtype to be less than or equal to 'to_inc' casted to "
                          f"dtype, but got from={low} > to_inc={top}")
    return low, top + 1
