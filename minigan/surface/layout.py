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
"""

from __future__ import annotations

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


def laid_out(out, x, keeps_channels_last: bool = True):
    """``out``, an image op's result on ``x``, laid out as PyTorch's: channels-last where PyTorch keeps ``x`` so
    (``keeps_channels_last`` and ``channels_last(x)``), else row-major.  Copied (a node in the graph, shown under the
    op's own name) only where ``out`` is laid out otherwise."""
    last = (0,) + tuple(range(2, out.ndim)) + (1,)  # the axes in channels-last memory order
    if keeps_channels_last and channels_last(x):
        if out.array.transpose(last).flags.c_contiguous:
            return out
        back = [last.index(d) for d in range(out.ndim)]
        copy = out.permute(*last).contiguous().permute(*back)
    elif out.array.flags.c_contiguous:
        return out
    else:
        copy = out.contiguous()
    return shown_as(copy, name(out.grad_fn)) if out.grad_fn is not None else copy
