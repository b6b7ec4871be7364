"""Pooling: max and average, 1-D and 2-D, and the adaptive ones (PyTorch's windows for any output size).
"""

from __future__ import annotations

import builtins

from minigan.engine import backend, checks
from minigan.engine.errors import DimensionError, DomainError, ShapeError
from minigan.engine.grad_mode import is_grad_enabled
from minigan.engine.graph import Node, namespace
from minigan.engine.ops import pool as P
from minigan.functional._common import _float, _one_sample, _single, _tensor, pair
from minigan.surface.layout import laid_out
from minigan.surface.no_derivative import no_derivative
from minigan.surface.reading import read_by_backward
from minigan.surface.tensor import Tensor

# The integer dtypes PyTorch's CPU kernels take besides the floating ones ("not implemented for 'Bool'" elsewhere).
MAX_INTEGERS, AVG_INTEGERS = ("int8", "int16", "int32", "int64", "uint8"), ("int64",)


def _pooled(x, op, layout, integers=()) -> Tensor:
    """A pool's input, batched (``layout``) or one sample: its number of dimensions is checked before its dtype, as
    PyTorch's pools do (a DimensionError, which is both of PyTorch's classes there: IndexError and RuntimeError);
    ``integers``: the integer dtypes the pool takes too."""
    x = _tensor(x, op)
    batched = layout.count(",") + 1
    if x.ndim not in (batched - 1, batched):
        raise DimensionError(f"{op}: input must be {batched}-D {layout}, got shape {tuple(x.shape)} (or "
                             f"{batched - 1}-D, one sample without the batch)")
    if 0 in tuple(x.shape)[x.ndim - batched + 1:]:  # (PyTorch's: only a batch may be empty)
        raise ShapeError(f"{op}: expected {layout} with no empty axis but the batch, got shape {tuple(x.shape)}")
    return x if x.dtype.name in integers else _float(x, op)


def _integer_mean(pool, x, *args):
    """An average pool of an int64 input, as PyTorch's: the window's sum divided by its divisor in integers, which
    truncates toward zero (computed in float64, exact for sums below 2⁵³); a view where the pool's result is one
    (avg_pool1d's, of its 2-D kernel's result), as PyTorch's."""
    out = pool(x.to(backend.np.dtype("float64")), *args)
    whole = out if out._base is None else out._base
    mean = Tensor._make(backend.get_array_module(whole.array).trunc(whole.array).astype(x.dtype))
    return mean if out._base is None else mean.reshape(*out.shape)


# ----------------------------------------------------------------------------- pooling, upsampling, more losses
def max_pool2d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False):
    """The maximum of each kh×kw window of x (N, C, H, W) (its elements d_h, d_w apart with ``dilation``);
    stride defaults to kernel_size, padding is −inf.

    H_out = ⌊(H + 2·padding − dilation·(kh − 1) − 1) / stride⌋ + 1, rounded up with ``ceil_mode`` (PyTorch's rule:
    a last window must start inside the input or its left padding).  The gradient goes to each window's FIRST
    maximum (row-major order), as in PyTorch; ``return_indices`` also gives where it is: an int64 index into
    the flattened H·W of its input plane (PyTorch's).
    """
    input = _pooled(input, "max_pool2d", "(N, C, H, W)", MAX_INTEGERS)
    if input.ndim == 3:  # one sample, no batch axis
        return _one_sample(max_pool2d, input, kernel_size, stride, padding, dilation, ceil_mode, return_indices,
                           new=True)
    params = check_pool2d("max_pool2d", input.array.shape, kernel_size, stride, padding, dilation, ceil_mode)
    if not return_indices:
        return laid_out(P.Pool2d.apply(read_by_backward(input), mode="max", **params), input)
    indices = max_positions(input.array, **params)  # (the values: the pool's own maxima, −∞ for no pixel)
    return (laid_out(P.Pool2d.apply(read_by_backward(input), mode="max", **params), input),
            laid_out(Tensor._make(indices), input))


def avg_pool2d(input, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True,
               divisor_override=None):
    """The mean of each kh×kw window of x (N, C, H, W), with PyTorch's divisor: the window's size, padding
    included (``count_include_pad``) but not a ``ceil_mode`` window's part past the padded input; only its
    pixels inside the input with count_include_pad=False; or ``divisor_override`` (a nonzero int) for all.
    """
    if divisor_override is not None:  # (PyTorch's binding reads an int, then its kernel refuses 0: both first)
        if not checks.is_integer(divisor_override):
            raise TypeError(f"avg_pool2d: divisor_override must be an int or None, got {divisor_override!r:.40}")
        if divisor_override == 0:
            raise DomainError("avg_pool2d: divisor_override must not be 0 (it divides every window's sum)")
        divisor_override = int(divisor_override)
    input = _pooled(input, "avg_pool2d", "(N, C, H, W)", AVG_INTEGERS)
    args = kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override
    if not backend.is_floating(input.dtype):
        return _integer_mean(avg_pool2d, input, *args)
    if input.ndim == 3:  # one sample, no batch axis
        return _one_sample(avg_pool2d, input, *args, new=True)
    params = check_pool2d("avg_pool2d", input.array.shape, kernel_size, stride, padding, 1, ceil_mode)
    return laid_out(P.Pool2d.apply(read_by_backward(input), mode="avg", count_include_pad=bool(count_include_pad),
                                   divisor=divisor_override, **params), input)


class _AdaptiveAvgPool2d(Node):
    """PyTorch's adaptive average of x (N, C, H, W): window (i, j) spans rows [⌊i·H/oh⌋, ⌈(i+1)·H/oh⌉) and the
    likewise columns; its values are summed one at a time, its rows in turn and each row left to right, and the sum
    divided by the window's height, then by its width, as PyTorch's kernel does (so float32 rounds as there).

    forward:   y = Σ_(p,q) x[rows_p, columns_q] / kh / kw   (offset (p, q) of every window at once; 0 past a short one)
    backward:  ∂x[r, c] = Σ over the windows holding row r and column c of G / kh / kw, gathered, as PyTorch's kernel
               adds them (not a product with 0/1 matrices, whose 0 · NaN or 0 · ∞ would spread a window's NaN or ∞
               gradient to every pixel)
    """

    def forward(self, x, oh, ow):
        xp = backend.get_array_module(x)
        (rows, row_in, kh), (columns, column_in, kw) = (_adaptive_windows(x.shape[2], oh, x, True),
                                                        _adaptive_windows(x.shape[3], ow, x, True))
        total = xp.zeros(x.shape[:2] + (oh, ow), dtype=x.dtype)
        for p in range(rows.shape[1]):
            by_row = x[:, :, rows[:, p]]  # (N, C, oh, W): row p of each window
            for q in range(columns.shape[1]):
                inside = row_in[:, p, None] & column_in[None, :, q]
                total += xp.where(inside, by_row[:, :, :, columns[:, q]], 0)  # (adding 0 leaves a sum as it was)
        self.kh, self.kw = kh.astype(x.dtype)[:, None], kw.astype(x.dtype)[None, :]
        self.holders = (_holders(x.shape[2], oh, x), _holders(x.shape[3], ow, x))
        return total / self.kh / self.kw

    def backward(self, grad):  # ∂x[r, c] = Σ over the windows holding (r, c) of G / kh / kw (linear in G: any order)
        kh, kw = (self.kh, self.kw) if backend.is_array(grad) else (Tensor._make(self.kh), Tensor._make(self.kw))
        g, xp = grad / kh / kw, namespace(grad)
        (rows, row_holds), (columns, column_holds) = self.holders
        total = None
        for a in range(rows.shape[1]):  # each pixel's windows in the kernel's order: by window row, then column
            for b in range(columns.shape[1]):
                term = g[:, :, rows[:, a, None], columns[None, :, b]]  # (N, C, H, W): the a-th, b-th window's
                holds = row_holds[:, a, None] & column_holds[None, :, b]
                term = term if holds.all() else xp.where(holds, term, 0)  # (a select: no 0 · NaN)
                total = term if total is None else total + term
        return (total,)


def _holders(size, out, like):
    """(windows, holds): for each of ``size`` pixels along an axis, the adaptive windows (of ``out``) holding it,
    in order, padded to the most any pixel has (pixel j's k-th is windows[j, k] where holds[j, k])."""
    xp = backend.get_array_module(like)
    i, j = xp.arange(out)[None, :], xp.arange(size)[:, None]
    member = (j >= (i * size) // out) & (j < -((-(i + 1) * size) // out))  # (size, out)
    most = int(member.sum(axis=1).max())
    windows = xp.argsort(~member, axis=1, kind="stable")[:, :most]  # (the windows holding j first, in order)
    return windows, xp.take_along_axis(member, windows, axis=1)


def _adaptive(op, input, output_size, axes):
    """(input, sizes) at an adaptive pool's door, in PyTorch's order: output_size first (an int, or one size per
    pooled axis, None keeping the input's; the 1-D pools take ints only), then the input's axes, then its dtype."""
    x = _tensor(input, op)
    if checks.is_integer(output_size):
        sizes = (int(output_size),) * axes
    elif axes == 1:  # (PyTorch's 1-D pools are C functions: an int or a tuple of one int)
        if not (isinstance(output_size, (tuple, list)) and builtins.all(checks.is_integer(v) for v in output_size)):
            raise TypeError(f"{op}: output_size must be an int or a tuple of one int, got {output_size!r}")
        sizes = tuple(int(v) for v in output_size)
    else:
        if not isinstance(output_size, (tuple, list)):  # (PyTorch's: len() of it, a TypeError)
            raise TypeError(f"{op}: output_size must be an int or a pair of ints (None keeping a size), got "
                            f"{output_size!r}")
        if x.ndim <= len(output_size):
            raise ValueError(f"{op}: output_size {output_size!r} names more sizes than the input's {x.ndim} axes hold")
        sizes = tuple(x.shape[x.ndim - len(output_size) + k] if v is None else v for k, v in enumerate(output_size))
    if len(sizes) != axes:
        raise DomainError(f"{op}: output_size must be {axes} size(s), got {output_size!r}")
    if x.ndim not in (axes + 1, axes + 2):
        sample = "(C, H, W)" if axes == 2 else "(C, L)"
        raise ShapeError(f"{op}: expected a {axes + 1}-D {sample} or {axes + 2}-D (a batch of them) input, got shape "
                         f"{tuple(x.shape)}")
    # PyTorch's: the max pools need every axis but the first non-empty, the average ones only the pooled axes
    kept = tuple(x.shape)[1:] if "max" in op else tuple(x.shape)[-axes:]
    if 0 in kept and not ("avg" in op and sizes == (1,) * axes):  # (an average to size 1 is a mean: NaN if empty)
        raise ShapeError(f"{op}: expected an input with no empty axis besides the first, got shape {tuple(x.shape)}"
                         if "max" in op else f"{op}: expected non-empty pooled axes, got shape {tuple(x.shape)}")
    if not builtins.all(checks.is_integer(v) and v >= 0 for v in sizes):
        raise DomainError(f"{op}: output_size must be non-negative ints (or None), got {output_size!r}")
    # (an empty input or result: no kernel runs, so any dtype passes the average pools -- but for an output of size
    # 1, which PyTorch computes as a mean, refusing integers -- and the max pools check the dtype even then)
    passes = (x.numel() == 0 or 0 in sizes) and "avg" in op and sizes != (1,) * axes
    return (x if passes else _float(x, op)), tuple(int(v) for v in sizes)


def _empty(input, sizes, op, return_indices=False):
    """An adaptive pool of an empty input or to a size of 0: the empty result of its shape and dtype (its first entry
    expanded, as a graph PyTorch's empty result has too), and int64 indices with return_indices.  PyTorch's backward
    reads the input here as with entries: under create_graph the gradient requires grad when the input does; it
    refuses an upstream gradient empty along any axis but the first (the channels, or a size of 0), as its forward
    refuses such an input (``_refused_if_empty``)."""
    first = read_by_backward(input)[(Ellipsis,) + (slice(0, 1),) * len(sizes)]
    out = _refused_if_empty(first.expand(*(tuple(input.shape)[:-len(sizes)] + tuple(sizes))).clone(), input, op)
    if not return_indices:
        return out
    return out, Tensor._make(backend.get_array_module(input.array).zeros(out.shape, dtype=backend.np.int64))


def _refused_if_empty(out, input, op):
    """``out``, whose backward refuses where it is empty along an axis but the first: PyTorch's adaptive pools'
    backward kernels check the upstream gradient as their forward checks the input (only the batch may be empty;
    a one-sample input's channels count as its batch)."""
    if 0 not in tuple(out.shape)[1:]:
        return out
    name = "AdaptiveMaxPool2DBackward0" if "max" in op else "AdaptiveAvgPool2DBackward0"
    return no_derivative(out, op, input, shown=name, why=f"an upstream gradient of shape {tuple(out.shape)}, empty "
                         f"along an axis but the first (PyTorch's backward kernel expects it non-empty there)")


def adaptive_avg_pool2d(input, output_size):
    """The mean over each of output_size regions of x (N, C, H, W), PyTorch's regions: window i of an axis spans
    [⌊i·H/out⌋, ⌈(i+1)·H/out⌉), so neighbouring windows overlap when out does not divide H.  Averaging is linear:
    each window's sum, divided by its height and then by its width, as PyTorch's kernel rounds it
    (``_AdaptiveAvgPool2d``)."""
    input, (oh, ow) = _adaptive("adaptive_avg_pool2d", input, output_size, 2)
    if input.ndim == 3 and input.numel() and 0 not in (oh, ow):  # one sample, no batch axis
        return _one_sample(adaptive_avg_pool2d, input, (oh, ow), new=True)
    if (oh, ow) == (1, 1):  # PyTorch's: a mean over the plane
        return input.mean((-2, -1), keepdim=True)
    if input.numel() == 0 or 0 in (oh, ow):
        return _empty(input, (oh, ow), "adaptive_avg_pool2d")
    return laid_out(_AdaptiveAvgPool2d.apply(read_by_backward(input), oh=oh, ow=ow), input)


def _adaptive_windows(size, out, like, lengths=False):
    """(out, longest) indices: row i lists adaptive window i, [⌊i·size/out⌋, ⌈(i+1)·size/out⌉), its last index
    repeated to the longest's length (a repeated element changes no maximum); with ``lengths`` also which entries are
    the window's own and each window's length.  ``like``: an array or a Tensor on the device wanted."""
    xp = backend.get_array_module(like if backend.is_array(like) else like.array)
    i = xp.arange(out)[:, None]
    start, end = (i * size) // out, -((-(i + 1) * size) // out)
    at = start + xp.arange(int((end - start).max()))[None, :]
    return (xp.minimum(at, end - 1), at < end, (end - start)[:, 0]) if lengths else xp.minimum(at, end - 1)


def _window_max(windows, dim):
    """(the maxima along ``dim``, where they are) as PyTorch's adaptive kernel takes them, walking each window in
    order and keeping an entry greater than the maximum so far, or NaN: the first maximum, or the window's LAST NaN
    (Tensor.max gives the first).  The values are a gather, so the gradient goes where the index says."""
    a = windows.array
    xp = backend.get_array_module(a)
    nan = a != a
    last_nan = a.shape[dim] - 1 - xp.flip(nan, axis=dim).argmax(axis=dim)
    at = xp.where(nan.any(axis=dim), last_nan, a.argmax(axis=dim))  # (NumPy's argmax: the first maximum)
    return windows.gather(dim, Tensor._make(xp.expand_dims(at, dim))).squeeze(dim), Tensor._make(at)


def adaptive_max_pool2d(input, output_size, return_indices=False):
    """The maximum over each of PyTorch's adaptive windows of x (N, C, H, W) (see ``adaptive_avg_pool2d``):
    over each row's window columns, then over the window's rows, so that the gradient goes to the first
    maximum in row-major order, as PyTorch's does."""
    input, (oh, ow) = _adaptive("adaptive_max_pool2d", input, output_size, 2)
    if input.numel() == 0 or 0 in (oh, ow):  # a batch of none, or a size of 0: an empty result (no maximum to take)
        return _empty(input, (oh, ow), "adaptive_max_pool2d", return_indices)
    if input.ndim == 3:  # one sample, no batch axis
        return _one_sample(adaptive_max_pool2d, input, (oh, ow), return_indices, new=True)
    columns, rows = _adaptive_windows(input.shape[3], ow, input), _adaptive_windows(input.shape[2], oh, input)
    by_row, at_column = _window_max(read_by_backward(input)[:, :, :, columns], 4)  # (N, C, H, ow), and where
    out, at_row = _window_max(by_row[:, :, rows], 3)  # (N, C, oh, ow)
    if not return_indices:
        return laid_out(out, input)
    xp = backend.get_array_module(input.array)
    column = columns[xp.arange(ow), at_column.array]  # (N, C, H, ow): the maximum's column in each row's window
    row = rows[xp.arange(oh)[:, None], at_row.array]  # (N, C, oh, ow)
    flat = row * input.shape[3] + xp.take_along_axis(column, row, axis=2)  # PyTorch's index into H·W
    return laid_out(out, input), laid_out(Tensor._make(flat.astype(backend.np.int64)), input)


def adaptive_avg_pool1d(input, output_size):
    """adaptive_avg_pool2d of x (N, C, L) as a height-1 image."""
    input, (size,) = _adaptive("adaptive_avg_pool1d", input, output_size, 1)
    if size == 1:  # PyTorch's: a mean along L, of the (N, C, 1, L) image (so a view of it, as PyTorch's)
        return input.unsqueeze(-2).mean((-2, -1), keepdim=True).squeeze(-2)
    if input.numel() == 0 or size == 0:
        return _empty(input, (size,), "adaptive_avg_pool1d")
    if input.ndim == 2:  # one sample, no batch axis
        return _one_sample(adaptive_avg_pool1d, input, size)
    return adaptive_avg_pool2d(input.unsqueeze(2), (1, size)).squeeze(2)  # (laid out there; a view, as PyTorch's)


def adaptive_max_pool1d(input, output_size, return_indices=False):
    """adaptive_max_pool2d of x (N, C, L) as a height-1 image."""
    input, (size,) = _adaptive("adaptive_max_pool1d", input, output_size, 1)
    if input.numel() == 0 or size == 0:
        return _empty(input, (size,), "adaptive_max_pool1d", return_indices)
    if input.ndim == 2:  # one sample, no batch axis
        return _one_sample(adaptive_max_pool1d, input, size, return_indices)
    out = adaptive_max_pool2d(input.unsqueeze(2), (1, size), return_indices)  # (indices into L: the height is 1)
    return tuple(o.squeeze(2) for o in out) if return_indices else out.squeeze(2)  # (laid out there; a view, as
    # PyTorch's)


def max_pool1d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False):
    """The maximum of each window of x (N, C, L), as max_pool2d on a height-1 image, with its options
    (sizes: an int or PyTorch's 1-tuple; indices index L)."""
    input = _pooled(input, "max_pool1d", "(N, C, L)", MAX_INTEGERS if return_indices else ())  # (PyTorch's)
    if input.ndim == 2:  # one sample, no batch axis
        return _one_sample(max_pool1d, input, kernel_size, stride, padding, dilation, ceil_mode, return_indices,
                           new=not (return_indices or input.requires_grad and is_grad_enabled()))  # (the 1-D kernel's)
    if input.ndim != 3:
        raise ShapeError(f"max_pool1d: input must be 3-D (N, C, L), got shape {tuple(input.shape)}")
    one = lambda v: _single("max_pool1d", v)  # an int, or PyTorch's 1-tuple
    params = check_pool2d("max_pool1d", input.array.shape[:2] + (1,) + input.array.shape[2:],
                          (1, one(kernel_size)),
                          None if stride is None else (1, one(stride)), (0, one(padding)), (1, one(dilation)),
                                 ceil_mode)
    # (PyTorch's own 1-D kernel, row-major, runs unless indices or a gradient are asked for; else its 2-D one)
    keeps = return_indices or (input.requires_grad and is_grad_enabled())
    if not return_indices:  # (the 2-D kernel's result is viewed as (N, C, L); the 1-D kernel's is new memory)
        out = P.Pool2d.apply(read_by_backward(input).unsqueeze(2), mode="max", **params)
        return laid_out(out, input).squeeze(2) if keeps else laid_out(out.squeeze(2), input, False)
    indices = max_positions(input.array[:, :, None], **params)
    out = P.Pool2d.apply(read_by_backward(input).unsqueeze(2), mode="max", **params)
    return laid_out(out, input).squeeze(2), laid_out(Tensor._make(indices), input).squeeze(2)


def avg_pool1d(input, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True):
    """The mean of each window of x (N, C, L), as avg_pool2d on a height-1 image, with its options
    (sizes: an int or PyTorch's 1-tuple)."""
    input = _pooled(input, "avg_pool1d", "(N, C, L)", AVG_INTEGERS)
    args = kernel_size, stride, padding, ceil_mode, count_include_pad
    if not backend.is_floating(input.dtype):
        return _integer_mean(avg_pool1d, input, *args)
    if input.ndim == 2:  # one sample, no batch axis
        return _one_sample(avg_pool1d, input, *args)
    if input.ndim != 3:
        raise ShapeError(f"avg_pool1d: input must be 3-D (N, C, L), got shape {tuple(input.shape)}")
    one = lambda v: _single("avg_pool1d", v)  # an int, or PyTorch's 1-tuple
    params = check_pool2d("avg_pool1d", input.array.shape[:2] + (1,) + input.array.shape[2:],
                          (1, one(kernel_size)),
                          None if stride is None else (1, one(stride)), (0, one(padding)), 1, ceil_mode)
    return laid_out(P.Pool2d.apply(read_by_backward(input).unsqueeze(2), mode="avg",
                                   count_include_pad=bool(count_include_pad), **params), input).squeeze(2)  # (a view
    # of the 2-D kernel's result, as PyTorch's)


# ----------------------------------------------------------------------------- the pools' geometry, at their doors
def check_pool2d(op, x_shape, kernel_size, stride, padding, dilation=1, ceil_mode=False) -> dict:
    """A pool's door: (N, C, H, W) input, kernel/stride/padding/dilation as (h, w) pairs (stride defaults to the
    kernel, as in PyTorch), padding at most half the kernel, and at least one window.  Adds PyTorch's output size
    out_hw: ⌊(H + 2·pad − d·(k − 1) − 1) / stride⌋ + 1, or with ceil_mode rounded up unless that last window
    would start past the input and its left padding."""
    if len(x_shape) != 4:
        raise ShapeError(f"{op}: input must be 4-D (N, C, H, W), got shape {x_shape}")
    kernel = pair(kernel_size, "kernel_size", op, 1)
    stride = kernel if stride is None or stride in ([], ()) else pair(stride, "stride", op, 1)  # ([]: default)
    padding, dilation = pair(padding, "padding", op, 0), pair(dilation, "dilation", op, 1)
    if padding[0] > kernel[0] // 2 or padding[1] > kernel[1] // 2:
        raise DomainError(f"{op}: padding {padding} must be at most half the kernel size {kernel} (as in PyTorch)")
    out, span = [], [d * (k - 1) + 1 for k, d in zip(kernel, dilation)]  # a dilated window's extent
    for n, e, s, p in zip(x_shape[2:], span, stride, padding):
        o = (n + 2 * p - e + (s - 1 if ceil_mode else 0)) // s + 1
        out.append(o - 1 if ceil_mode and (o - 1) * s >= n + p else o)
    if min(out) < 1:
        h, w = x_shape[2] + 2 * padding[0], x_shape[3] + 2 * padding[1]
        raise ShapeError(f"{op}: kernel {span[0]}×{span[1]} is larger than the padded input {h}×{w} "
                         f"(input {x_shape}, padding {padding}, dilation {dilation})")
    return {"kernel_size": kernel, "stride": stride, "padding": padding, "dilation": dilation, "out_hw": tuple(out)}


def max_positions(x, kernel_size, stride, padding, dilation, out_hw):
    """Where each window's first maximum is, for max_pool's return_indices: its index into the flattened H·W
    input plane (PyTorch's), offset k = i·kw + j of window (a, b) being row a·s_h − p_h + i·d_h, column
    b·s_w − p_w + j·d_w."""
    xp = backend.get_array_module(x)
    _, k = P._running_max(x, kernel_size, stride, padding, dilation, out_hw)
    (ho, wo), (sh, sw), (ph, pw), (dh, dw), kw = out_hw, stride, padding, dilation, kernel_size[1]
    rows, cols = xp.arange(ho)[:, None] * sh - ph + k // kw * dh, xp.arange(wo) * sw - pw + k % kw * dw
    # (a window with no pixel, k = 0: PyTorch's index is of its first row and column at or past 0)
    rows, cols = (v + xp.maximum(d - 1 - v, 0) // d * d for v, d in ((rows, dh), (cols, dw)))
    return rows * x.shape[3] + cols
