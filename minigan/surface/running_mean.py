"""The mean ``var_mean`` and ``std_mean`` give: PyTorch's one-pass running mean, where an ∞ is not the last entry.

PyTorch computes var_mean's two results in one pass over the entries (Welford's update, m += (x − m)/k), not as
``mean()`` does.  Over finite entries the two agree; an ∞ differs: once m is ∞, the next entry gives
m + (x − ∞)/k = ∞ − ∞ = NaN.  So the mean is NaN where an ∞ comes before the last entry of the reduction (in
row-major order over the reduced dims), and ±∞ where the one ∞ comes last::

    torch.var_mean(torch.tensor([1.0, inf, 2.0]))[1]   # nan      (mean(): inf)
    torch.var_mean(torch.tensor([1.0, 2.0, inf]))[1]   # inf

The gradient is the mean's, grad/n to each entry, as PyTorch's var_mean backward gives it.
"""

from __future__ import annotations

from minigan.engine import backend, checks
from minigan.engine.tensor import Tensor


def mean(x, dim, keepdim):
    """``x.mean(dim, keepdim=keepdim)`` with NaN where PyTorch's running mean meets ∞ before the last entry."""
    out = x.mean(dim, keepdim=keepdim)
    a = x.detach().array
    if a.dtype.kind != "f" or not a.size:
        return out
    xp = backend.get_array_module(a)
    axes = checks.normalize_axis(None if isinstance(dim, (list, tuple)) and not dim else dim, a.ndim, "var_mean")
    axes = tuple(range(a.ndim)) if axes is None else axes if isinstance(axes, tuple) else (axes,)
    axes = tuple(sorted(axes))
    kept = [n for i, n in enumerate(a.shape) if i not in axes]
    entries = xp.moveaxis(a, axes, range(a.ndim - len(axes), a.ndim)).reshape(kept + [-1])  # each mean's, in order
    early = xp.isinf(entries[..., :-1]).any(axis=-1)  # an ∞ the running mean goes on from: ∞ − ∞
    if not early.any():
        return out
    shift = xp.where(early, xp.nan, -0.0).astype(a.dtype).reshape(tuple(out.shape))  # (−0.0 keeps every value)
    return out + Tensor._make(shift)
