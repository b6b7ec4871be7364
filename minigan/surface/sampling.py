"""Random draws from a tensor's probabilities: ``bernoulli``, ``multinomial``.
"""

from __future__ import annotations

import builtins

from minigan.engine import backend, checks
from minigan.engine.errors import DomainError, DtypeError
from minigan.engine.ops import elementwise as E
from minigan.engine.tensor import Tensor
from minigan.surface import random
from minigan.surface.no_derivative import no_derivative
from minigan.surface.operands import _t


def uniform_range(fn, a, b, dtype) -> None:
    """The bounds of a uniform draw into a tensor of ``dtype``, as PyTorch refuses them: first the dtype (a kernel
    of floats only, even with no entries to fill), then each bound finite, a <= b, and b − a within the dtype's
    range (NaN or ±inf would fill with NaN)."""
    if backend.np.dtype(dtype).kind != "f":
        raise DtypeError(f"{fn}: uniform samples are floating-point: not implemented for dtype {dtype}")
    a, b = float(a), float(b)
    largest = float(backend.np.finfo(dtype).max)
    if not (abs(a) <= largest and abs(b) <= largest):
        raise DomainError(f"{fn}: from and to must be finite numbers in the tensor's dtype, got {a} and {b}")
    if a > b or b - a > largest:
        raise DomainError(f"{fn}: expects from <= to, with to − from within the tensor's dtype, got from={a}, to={b}")


def bernoulli(input, p=None, *, generator=None) -> Tensor:
    """1 with probability ``input`` (or ``p``) elementwise, else 0, in input's dtype; no gradient.  Without ``p`` the
    input holds the probabilities (floating, in [0, 1]); with a number ``p`` it gives only the shape and the dtype,
    any dtype, as PyTorch's; PyTorch has no derivative for that form, so where input requires grad the draw does too,
    and a backward that reaches it raises (no_derivative.py).  A tensor of probabilities as ``p`` is ``bernoulli_``'s.
    """
    x = _t(input, "bernoulli")
    if isinstance(p, Tensor) and p.ndim == 0 and not p.requires_grad:  # a number, as PyTorch's argument parser reads
        p = p.item()  # a 0-d tensor that does not require grad for a float argument
    if isinstance(p, Tensor):  # (TypeError, as PyTorch's: no overload of bernoulli takes a tensor p)
        raise TypeError("bernoulli: p must be a number; for a tensor of probabilities call bernoulli(probabilities) "
                        "or x.bernoulli_(probabilities)")
    if p is None:
        if not backend.is_floating(x.dtype) and x.numel():  # (an empty one: PyTorch draws nothing, and refuses nothing)
            raise DtypeError(f"bernoulli: input must be a floating-point tensor of probabilities, got dtype {x.dtype}"
                             " (or give p)")
        probability = x.array
        if not builtins.bool(((probability >= 0) & (probability <= 1)).all()):  # (NaN fails both)
            raise DomainError("bernoulli: probabilities must lie in [0, 1]")
    elif not (checks.is_number(p) or isinstance(p, bool)):  # (a bool is a number here: PyTorch's p=True is 1)
        raise TypeError(f"bernoulli: p must be a number, got {type(p).__name__}")
    elif not 0 <= p <= 1:
        raise DomainError(f"bernoulli: p must be a number in [0, 1], got {p!r}")
    else:
        probability = float(p)
    xp = backend.get_array_module(x.array)  # (a double uniform per entry for a number p or float64 probabilities,
    draw = Tensor._make(random.bernoulli(probability, x.shape, x.dtype, xp, generator))  # a float one for others)
    if p is None and x.requires_grad:  # PyTorch records the draw, its gradient 0 (BernoulliBackward0), as normal's:
        return E.Where.apply(draw, x, cond=xp.ones(draw.shape, dtype=bool))  # where(True, draw, x) is the draw
    return draw if p is None else no_derivative(draw, "bernoulli", x)


def multinomial(input, num_samples, replacement=False, *, generator=None) -> Tensor:
    """``num_samples`` category indices (int64) drawn from each row of non-negative weights ``input`` (1-D or 2-D).
    As PyTorch's: with replacement, the inverse of each row's cumulative distribution at double uniforms; without
    (or one sample), the largest w / q for q ~ Exp(1) (the Gumbel top-k trick, exp'd), which draws as sequential
    sampling without replacement does."""
    x = _t(input, "multinomial")
    if x.ndim not in (1, 2) or not backend.is_floating(x.dtype):
        raise DomainError(f"multinomial: input must be a 1-D or 2-D float tensor of weights, got {x.dtype} of shape "
                         f"{tuple(x.shape)}")
    w = x.array.reshape(-1, x.shape[-1]).astype(backend.np.float64)
    xp = backend.get_array_module(w)
    rows, k = w.shape
    if builtins.bool(((w < 0) | ~xp.isfinite(w)).any()) or builtins.bool((w.sum(axis=1) <= 0).any()):
        raise DomainError("multinomial: weights must be finite, non-negative, and sum to more than 0 in each row")
    if not checks.is_integer(num_samples):  # (TypeError, as PyTorch's argument parser; a count < 1 RuntimeError)
        raise TypeError(f"multinomial: num_samples must be an int, got {type(num_samples).__name__} {num_samples!r}")
    if num_samples < 1:
        raise DomainError(f"multinomial: cannot draw {num_samples} samples; num_samples must be at least 1")
    num_samples = int(num_samples)
    if not replacement and num_samples > k:
        raise DomainError(f"multinomial: cannot draw {num_samples} different categories from {k} without replacement")
    if not replacement or num_samples == 1:  # PyTorch's: the largest w / q for q ~ Exp(1), in the input's dtype
        q = random.exponential((rows, k), x.dtype, 1.0, xp, generator)  # (argmax for one, topk for more)
        with backend.np.errstate(divide="ignore", invalid="ignore"):
            keys = x.array.reshape(rows, k) / q
        picks = keys.argmax(axis=1)[:, None] if num_samples == 1 else xp.argsort(-keys, axis=1, kind="stable")[
            :, :num_samples]
    else:  # the row's cumulative weights (summed in order, float16's in float32), normalised; one double per draw
        cdf = xp.cumsum(x.array.reshape(rows, k), axis=1, dtype=backend.np.promote_types(x.dtype, "float32"))
        cdf = cdf / cdf[:, -1:]
        u = random.doubles(rows * num_samples, random.stream(generator, xp)).reshape(rows, num_samples)
        picks = (xp.asarray(u)[:, :, None] > cdf[:, None, :]).sum(axis=2)  # how many cumulative weights lie below
        picks = xp.minimum(picks, k - 1)  # (a draw above a rounded cdf's last value)
    return Tensor._make(picks.reshape(x.shape[:-1] + (num_samples,)).astype(xp.int64))
