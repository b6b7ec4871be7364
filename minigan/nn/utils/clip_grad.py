"""Gradient clipping, as ``torch.nn.utils``: rescale (``clip_grad_norm_``) or cut (``clip_grad_value_``) the
gradients in place, between ``loss.backward()`` and ``optimizer.step()``.

Clipping by the global norm is the remedy for exploding gradients of Pascanu, Mikolov & Bengio 2013 ("On the
difficulty of training recurrent neural networks", ICML, Algorithm 1):

    ĝ ← ∂E/∂θ
    if ‖ĝ‖ ≥ threshold then  ĝ ← (threshold / ‖ĝ‖) · ĝ

with ‖ĝ‖ the norm of all the parameters' gradients together, as if concatenated into one vector.  PyTorch
(and this module) multiply by min(1, max_norm / (‖ĝ‖ + 1e-6)), which is the same up to the 1e-6 that keeps a
zero gradient finite.
"""

from __future__ import annotations

import math
import warnings

from minigan.engine import backend, checks
from minigan.engine.errors import DtypeError, ShapeError
from minigan.engine.grad_mode import no_grad
from minigan.surface.tensor import Tensor


def _grads(parameters, who):
    if isinstance(parameters, Tensor):
        parameters = [parameters]
    try:
        parameters = list(parameters)
    except TypeError:
        raise TypeError(f"{who}: parameters must be a Tensor or an iterable of Tensors (e.g. model.parameters()), "
                        f"got {type(parameters).__name__}") from None
    if not all(isinstance(p, Tensor) for p in parameters):
        raise TypeError(f"{who}: every parameter must be a Tensor")
    return [p.grad for p in parameters if p.grad is not None]


def _norm_type(who, norm_type):
    norm_type = float(norm_type) if not isinstance(norm_type, str) else {"inf": math.inf}.get(norm_type, norm_type)
    if isinstance(norm_type, str):
        raise ValueError(f"{who}: norm_type must be a number or 'inf', got {norm_type!r}")
    return norm_type


def _vector_norm(a, p):
    """PyTorch's vector_norm of all of ``a``'s entries, for any p (as PyTorch's, none is refused)."""
    a = abs(a)
    if a.size == 0:
        return a.sum()                                                            # a sum of nothing: 0 (NaN too)
    if p in (math.inf, -math.inf):
        return a.max() if p > 0 else a.min()                                      # max |g_i| (min |g_i| for −∞)
    if p == 0:
        return (a != 0).sum().astype(a.dtype)                                     # how many g_i are not 0
    if a.size == 1:
        return a.sum()                                                            # |g| for every p (NaN too)
    return (a**p).sum() ** (1.0 / p)                                              # (Σ |g_i|ᵖ)^(1/p)


def get_total_norm(tensors, norm_type=2.0, error_if_nonfinite=False, foreach=None) -> Tensor:
    """The ``norm_type``-norm of all the tensors together, as if concatenated into one vector (a 0-d Tensor)."""
    tensors = [tensors] if isinstance(tensors, Tensor) else list(tensors)
    norm_type = _norm_type("get_total_norm", norm_type)
    for t in tensors:  # (PyTorch's vector_norm refuses an integer or bool tensor)
        if not backend.is_floating(t.dtype):
            raise DtypeError(f"get_total_norm: expected floating-point tensors, got dtype {t.dtype}")
    for t in tensors if norm_type < 0 or math.isinf(norm_type) else ():  # (a max, a min, Σ|g|^p with p < 0)
        if t.numel() == 0:
            raise ShapeError(f"get_total_norm: cannot compute the {norm_type:g} norm of an empty tensor (shape "
                             f"{tuple(t.shape)}): that order has no value over no entries; use norm_type >= 0")
    if not tensors:
        return Tensor._make(backend.active_module().asarray(0.0, dtype=backend.DEFAULT_DTYPE))
    arrays = [t.array for t in tensors]
    xp = backend.get_array_module(*arrays)
    with backend.np.errstate(divide="ignore", invalid="ignore", over="ignore"):  # (0 to a negative p: ∞, as PyTorch's)
        total = _vector_norm(xp.stack([_vector_norm(a, norm_type) for a in arrays]), norm_type)  # ‖(‖g_1‖, …)‖_p
    if error_if_nonfinite and not bool(xp.isfinite(total)):
        raise RuntimeError(f"clip_grad_norm_: the total norm of the gradients is non-finite ({float(total)}), "
                           "so they cannot be clipped; set error_if_nonfinite=False to let it through")
    return Tensor._make(xp.asarray(total, dtype=arrays[0].dtype))


def clip_grad_norm_(parameters, max_norm, norm_type=2.0, error_if_nonfinite=False, foreach=None) -> Tensor:
    """Rescale the gradients so that their total norm is at most ``max_norm``; returns the norm before.

    ``parameters``: a Tensor or an iterable of them (those without a gradient are skipped). ``foreach`` is
    PyTorch's choice of a faster kernel, accepted and ignored."""
    who = "clip_grad_norm_"
    if not checks.is_number(max_norm):  # (any number, as PyTorch's: a negative one flips the gradients, NaN gives NaN)
        raise ValueError(f"{who}: max_norm must be a number, got {max_norm!r}")
    grads = _grads(parameters, who)
    total = get_total_norm(grads, _norm_type(who, norm_type), error_if_nonfinite)
    if not grads:
        return total
    coef = float(max_norm) / (float(total.array) + 1e-6)
    coef = coef if math.isnan(coef) else min(coef, 1.0)                           # min(1, max_norm / (‖ĝ‖ + 1e-6))
    with no_grad(), backend.np.errstate(invalid="ignore"):  # (0 · ∞: NaN, as PyTorch's)
        for g in grads:
            g.mul_(coef)                                                            # ĝ ← coef · ĝ   (in place)
    return total


def clip_grad_value_(parameters, clip_value, foreach=None) -> None:
    """Clip every gradient element to [−clip_value, clip_value], in place."""
    who = "clip_grad_value_"
    if not checks.is_number(clip_value):  # (any number, as PyTorch's: clamp's rules where −c > c, or c is NaN)
        raise ValueError(f"{who}: clip_value must be a number, got {clip_value!r}")
    grads = _grads(parameters, who)
    if not grads:  # (PyTorch's groups the gradients by device first, and an empty group is refused)
        raise RuntimeError(f"{who}: no parameter has a gradient to clip; call backward() first")
    with no_grad():
        for g in grads:
            g.clamp_(-float(clip_value), float(clip_value))


def clip_grad_norm(parameters, max_norm, norm_type=2.0, error_if_nonfinite=False, foreach=None) -> Tensor:
    """PyTorch's deprecated name of ``clip_grad_norm_``, with its warning."""
    warnings.warn("`minigan.nn.utils.clip_grad_norm` is now deprecated in favor of `minigan.nn.utils.clip_grad_norm_`.",
                  FutureWarning, stacklevel=2)
    return clip_grad_norm_(parameters, max_norm, norm_type, error_if_nonfinite, foreach)
