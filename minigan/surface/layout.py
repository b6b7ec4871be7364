"""How PyTorch lays out the result of an image op (a convolution, a pool, interpolate, pad, pixel_shuffle), of cat
and of stack: row-major (N, C, H, W), or channels-last (N, H, W, C in memory; N, D, H, W, C for a volume) when the
input's strides already are (cat's and stack's: when every input's are).  The layout decides
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
layout (``InMemoryOrder``).  The engine's Cat is laid out by its row of the parity table (``cat_layout``: NumPy's
concatenate follows its inputs' strides, PyTorch's cat is channels-last or row-major), and a stack of
channels-last inputs is copied into its own order (``in_memory_order``).
"""

from __future__ import annotations

from minigan.engine.graph import Node
from minigan.surface.node_view import name, shown_as


def channels_last(x) -> bool:
    """Whether PyTorch keeps ``x`` (a 4-D image batch, a 5-D volume batch, or a 3-D one read as (N, C, 1, L))
    channels-last: its strides order C, W, H, (D,) N from the innermost out (c10's ``is_channels_last_strides_2d``
    and ``_3d``)."""
    return _channels_last(tuple(x.shape), tuple(x.stride()))


def _channels_last(sizes: tuple, strides: tuple) -> bool:  # (strides in elements)
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


def cat_layout(out, arrays, params):
    """The engine's Cat's result laid out as PyTorch's cat lays it out (its cat_compute_output_memory_format):
    channels-last where every input is a 4-D or 5-D channels-last one, else row-major (the Cat row's layout in
    minigan/surface/ops.py; NumPy's concatenate follows its inputs' strides instead)."""
    last = all(a.ndim in (4, 5) and _channels_last(a.shape, tuple(s // a.itemsize for s in a.strides)) for a in arrays)
    return _in_order(out, memory_order(out.ndim, last))


def _in_order(a, order):
    """The array ``a`` laid out with its axes in ``order`` (outermost first): ``a`` itself where they already lie so,
    else a copy (``a`` is new memory: an op's result)."""
    return a if a.transpose(order).flags.c_contiguous else a.transpose(order).copy().transpose(_inverse(order))


def laid_out(out, x, keeps_channels_last: bool = True):
    """``out``, an image op's result on ``x``, laid out as PyTorch's: channels-last where PyTorch keeps ``x`` so
    (``keeps_channels_last`` and ``channels_last(x)``), else row-major; and new memory, as PyTorch's."""
    return in_memory_order(out, memory_order(out.ndim, keeps_channels_last and channels_last(x)))


def in_memory_order(out, order):
    """``out`` in new memory whose axes lie in ``order`` (outermost first).  Copied (a node in the graph, shown under
    the op's own name) only where ``out`` is laid out otherwise or is a view."""
    if out._base is None and out.array.transpose(order).flags.c_contiguous:
        return out
    copy = InMemoryOrder.apply(out, order=order)
    return shown_as(copy, name(out.grad_fn)) if out.grad_fn is not None else copy
