"""clamp's and clip's number bounds, read as PyTorch reads them before the engine's ``Clamp`` takes them.

PyTorch computes ``x.clamp(lo, hi)`` in the dtype x and the numbers promote to (a float bound makes an integer tensor
float32), and writes ``x.clamp_(...)`` back into x only where that dtype casts to x's, as every in-place op.  So:

    torch.tensor([1, -3]).clamp(0.5)        # float32 [1.0, 0.5]
    torch.tensor([1, -3]).clamp_(0.5)       # RuntimeError: result type Float can't be cast to ... long int
    torch.tensor([1], dtype=torch.uint8).clamp(-1)   # -1 read as a uint8 (255): [255]

A NumPy scalar is the number it holds (as everywhere in PyTorch), an integer bound must fit an integer tensor's
dtype (a RuntimeError otherwise) and is then read in it, and a bool tensor takes no bool bounds (PyTorch has no
kernel for it).  Tensor bounds are operands of the engine's ``ClampBy``; with two of them, the backward refuses
where PyTorch's does (``RefusingClampBy``).
"""

from __future__ import annotations

from minigan.engine import backend, checks
from minigan.engine.backend import np
from minigan.engine.errors import DtypeError, GraphError
from minigan.surface.operands import fits
from minigan.surface.pieces import ClampBy


def _kind(value) -> int:
    """A dtype's or a number's category, in PyTorch's order: 0 bool, 1 integer, 2 floating."""
    if isinstance(value, bool):
        return 0
    if isinstance(value, (int, float)):
        return 1 if isinstance(value, int) else 2
    return {"b": 0, "i": 1, "u": 1}.get(value.kind, 2)


def number_bounds(fn, x, lo, hi, in_place=False):
    """(lo, hi), numbers or None, as ``x.clamp(lo, hi)`` (``in_place``: ``x.clamp_``) reads them."""
    lo, hi = (checks.number(b) for b in (lo, hi))  # (NumPy's scalars: numbers, np.True_ the float 1.0)
    if any(isinstance(b, (bool, int, float)) for b in (lo, hi)):  # beside a number, a 0-d tensor is read as one
        lo, hi = (b.item() if hasattr(b, "_ctx") and b.ndim == 0 and not b.requires_grad else b  # (PyTorch's Scalar;
                  for b in (lo, hi))  # one that requires grad is refused, as there)
    given = [b for b in (lo, hi) if b is not None]
    if len(given) == 2 and all(hasattr(t, "_ctx") for t in given):  # (all three shapes at once, as PyTorch's; each
        backend.broadcast_shapes(x.shape, lo.shape, hi.shape, op=fn)  # pair broadcasting is not enough)
    if len(given) == 2 and all(hasattr(t, "_ctx") and _kind(t.dtype) == 0 for t in (x, lo, hi)):  # (one bound alone
        raise DtypeError(f"{fn}: a bool tensor takes no two bool tensor bounds (PyTorch has no such kernel: "  # has)
                         "\"clamp_cpu\" not implemented for 'Bool'); clamp x.int(), or give one bound")
    if not given or not all(isinstance(b, (bool, int, float)) for b in given):
        return lo, hi  # (none, or not numbers: the engine's check names what is wrong)
    kind = max([_kind(x.dtype)] + [_kind(b) for b in given])
    if kind == 0:
        raise DtypeError(f"{fn}: a bool tensor takes no bool bounds (PyTorch has no such kernel); clamp x.int()")
    if in_place and kind > _kind(x.dtype):
        raise DtypeError(f"{fn}: the result is {'floating' if kind == 2 else 'an integer'} (bounds {lo}, {hi}), "
                         f"which the tensor's dtype {x.dtype} cannot hold (PyTorch refuses this too); compute out "
                         "of place, or on x.float()")
    if kind == 2:  # a floating result (float32 for an integer x): a bound beyond its range is refused, as PyTorch's
        for b in given:
            fits(fn, b, x.dtype if _kind(x.dtype) == 2 else backend.DEFAULT_DTYPE)
    if kind == 1 and _kind(x.dtype) == 1:  # an integer bound, read in x's dtype (-1 into uint8 is 255)
        for b in given:
            fits(fn, b, x.dtype)
        lo, hi = (None if b is None else int(np.asarray(b).astype(x.dtype)) for b in (lo, hi))
    return lo, hi


class RefusingClampBy(ClampBy):
    """The engine's ``ClampBy`` with two tensor bounds, whose backward refuses a gradient it is asked for where
    PyTorch's formula cannot compute it (``refused``: per input, why, or None).  Only a gradient the backward needs
    can refuse, as in PyTorch: autograd.grad of the input alone runs where min's gradient would be refused."""

    def forward(self, a, b, c, bounds="both", fn="clamp", refused=(None, None, None)):
        self.fn, self.refused = fn, refused
        return super().forward(a, b, c, bounds=bounds)

    def backward(self, grad):  # ClampBy's, unless a gradient it must compute is one PyTorch refuses
        why = next((why for why, need in zip(self.refused, self.needs_input_grad) if why and need), None)
        if why:
            raise GraphError(f"{self.fn}: {why}")
        return super().backward(grad)


def backward_refused(fn, out, x, lo, hi):
    """``out``, clamp's result with two tensor bounds, recorded so that its backward refuses where PyTorch's does.
    PyTorch's backward (clamp_backward_min_max) combines two masks in place for each gradient it computes: for x's,
    (x >= lo) &= (x <= hi); for lo's, (x < lo) &= (lo < hi); for hi's, (x > hi) |= (hi < lo).  Where the first
    mask's shape cannot hold the broadcast of both (x (3, 1), lo (), hi (4,): lo's first mask is (3, 1), the
    broadcast (3, 4)), PyTorch raises "output with shape ... doesn't match the broadcast shape ..." when (and only
    when) that gradient is computed."""
    if not (isinstance(out.grad_fn, ClampBy) and hasattr(lo, "_ctx") and hasattr(hi, "_ctx")):
        return out
    s = {"x": x.shape, "lo": lo.shape, "hi": hi.shape}
    masks = {"x": ("x", "lo", "x", "hi"), "lo": ("x", "lo", "lo", "hi"), "hi": ("x", "hi", "hi", "lo")}
    refused = []
    for name in ("x", "lo", "hi"):
        first = np.broadcast_shapes(s[masks[name][0]], s[masks[name][1]])
        both = np.broadcast_shapes(first, s[masks[name][2]], s[masks[name][3]])
        of = {"x": "the input", "lo": "min", "hi": "max"}[name]
        refused.append(None if both == first else (
            f"the gradient of {of} is computed (as PyTorch's is) from a mask of shape {list(first)}, which cannot "
            f"hold the broadcast shape {list(both)}, so PyTorch refuses it (output with shape {list(first)} doesn't "
            f"match the broadcast shape {list(both)}); expand the bounds to the result's shape first"))
    if not any(refused):
        return out
    return RefusingClampBy.apply(*out.grad_fn.inputs, fn=fn, refused=tuple(refused))
