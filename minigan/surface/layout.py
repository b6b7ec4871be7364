"""How PyTorch lays out the result of an image op (a convolution, a pool, interpolate, pad, pixel_shuffle) or of cat:
row-major (N, C, H, W), or channels-last (N, H, W, C in memory; N, D, H, W, C for a volume) when the input's
strides already are (cat's: when every input's are).  The layout decides
whether a later ``flatten()`` or ``view()`` of the result is a view, and so whether a write through it reaches the
result: a learner's program must find that where PyTorch's does.

PyTorch reads the input's layout from its strides alone (``suggest_memory_format``): channels-last when, from the
innermost axis out, the strides order C, W, H, N (C, W, H, D, N for a volume; an axis of length 1 may sit anywhere,
ties go to row-major).  Its
1-D pools run the 2-D ones on (N, C, 1, L), so an (N, C, L) input whose channels are innermost keeps them innermost;
its other 1-D ops (and the 2-D ops that never keep channels-last: unfold, fold, circular padding) are row-major.

Such a result is new memory in PyTorch, never a view (``_base`` is None), so an in-place change of it reaches
nothing else and its ``storage_offset()`` is 0.  minigan computes many of them through views (a 1-D pool is a 2-D
one's ``squeeze(2)``, a norm a reshape of its groups): ``laid_out`` copies those, once, straight into PyTorch's
layout (``InMemoryOrder``), and ``joined`` concatenates into that layout (cat and stack of channels-last inputs).
"""

from __future__ import annotations

from minigan.engine import backend
from minigan.engine.graph import Node
from minigan.engine.ops import shape as S
from minigan.surface.node_view import name, shown_as


def channels_last(x) -> bool:
    """Whether PyTorch keeps ``x`` (a 4-D image batch, a 5-D volume batch, or a 3-D one read as (N, C, 1, L))
    channels-last: its strides order C, W, H, (D,) N from the innermost out (c10's ``is_channels_last_strides_2d``
    and ``_3d``)."""
    sizes, strides = tuple(x.shape), tuple(x.stride())
    if len(sizes) == 3:  # (PyTorch's unsqueeze(2): the new axis's stride is the next axis's span)
        sizes, strides = sizes[:2] + (1,) + sizes[2:], strides[:2] + (strides[2] * sizes[2],) + strides[2:]
    if len(sizes) not in (4, 5) or strides[1] == 0:
        return False
    least = 0  # the smallest stride the next axis out may have
    for d in (1,) + tuple(range(len(sizes) - 1, 1, -1)) + (0,):  # C, then the spatial axes from the last, then N
        if sizes[d] == 0 or strides[d] < least or (d == 0 and least == strides[1]):  # (N111: row-major)
            return False
        least = strides[d] * sizes[d] if sizes[d] > 1 else strides[d]
    return True


def memory_order(ndim: int, last: bool) -> tuple:
    """The axes of an ``ndim``-d result from the outermost in memory to the innermost: channels-last's
    (N, H, W, C; N, D, H, W, C) where ``last``, else row-major's."""
    return (0, *range(2, ndim), 1) if last else tuple(range(ndim))


def _inverse(order) -> tuple:
    """The permutation that undoes ``order``."""
    return tuple(order.index(d) for d in range(len(order)))


class InMemoryOrder(Node):
    """A copy of ``a`` into new memory whose axes lie in ``order`` (outermost first): PyTorch's result of an image
    op, allocated in its layout.  Not a view: nothing else sees the copy."""

    def forward(self, a, order):
        return a.transpose(order).copy().transpose(_inverse(order))

    def backward(self, grad):  # d copy(a)/da = 1
        return (grad,)


class Joined(S.Cat):
    """cat of ``xs`` along ``axis``, written straight into new memory whose axes lie in ``order`` (one copy);
    the gradient as Cat's: each input's own slice of it."""

    def forward(self, *xs, axis=0, order=()):
        xp = backend.get_array_module(*xs)
        self.axis, self.sizes = axis, [x.shape[axis] for x in xs]
        shape = [sum(self.sizes) if d == axis else n for d, n in enumerate(xs[0].shape)]
        out = xp.empty([shape[d] for d in order], dtype=xs[0].dtype).transpose(_inverse(order))
        return xp.concatenate(xs, axis=axis, out=out)


def laid_out(out, x, keeps_channels_last: bool = True):
    """``out``, an image op's result on ``x``, laid out as PyTorch's: channels-last where PyTorch keeps ``x`` so
    (``keeps_channels_last`` and ``channels_last(x)``), else row-major; and new memory, as PyTorch's.  Copied (a node
    in the graph, shown under the op's own name) only where ``out`` is laid out otherwise or is a view."""
    order = memory_order(out.ndim, keeps_channels_last and channels_last(x))
    if out._base is None and out.array.transpose(order).flags.c_contiguous:
        return out
    copy = InMemoryOrder.apply(out, order=order)
    return shown_as(copy, name(out.grad_fn)) if out.grad_fn is not None else copy


def joined(tensors, axis: int, order: tuple):
    """cat of ``tensors`` (one dtype) along ``axis``, in new memory whose axes lie in ``order``: PyTorch's cat of
    channels-last inputs, and its stack (a cat of them viewed with a new axis)."""
    return shown_as(Joined.apply(*tensors, axis=axis, order=tuple(order)), "CatBackward0")
