"""Convolutions (1-D and 2-D, transposed too) and ``unfold``/``fold``: each checks its geometry at the door and hands
the arithmetic to the engine's ops.
"""

from __future__ import annotations

from minigan.engine import backend, dtypes, threads
from minigan.engine.checks import is_integer
from minigan.engine.errors import DimensionError, DomainError, DtypeError, ShapeError
from minigan.engine.ops import conv as C
from minigan.functional._common import _float, _one_sample, _same_dtype, _single, _tensor, pair
from minigan.functional.vision import pad
from minigan.surface.layout import laid_out
from minigan.surface.node_view import shown_as
from minigan.surface.tensor import Tensor


def _check_4d(x_shape, w_shape, op: str, weight_layout: str) -> None:
    if len(x_shape) != 4:
        raise ShapeError(f"{op}: input must be 4-D (N, C, H, W), got shape {x_shape}")
    if len(w_shape) != 4:
        raise ShapeError(f"{op}: weight must be 4-D {weight_layout}, got shape {w_shape}")


def _check_bias(b_shape, channels: int, op: str) -> None:
    if b_shape is not None and b_shape != (channels,):
        raise ShapeError(f"{op}: bias has shape {b_shape}, expected ({channels},)")


def _check_in_channels(op, x_shape, w_shape, axis, layout) -> None:
    """The input's channels (axis 1) must match the weight's in-channel axis (1 for conv2d, 0 transposed)."""
    if w_shape[axis] != x_shape[1]:
        raise ShapeError(f"{op}: input of shape {x_shape} has {x_shape[1]} channels but weight of shape {w_shape} "
                         f"expects {w_shape[axis]} (weight is {layout})")


def _check_groups(op, groups, layout, w_shape, **channels) -> int:
    """groups: a positive int dividing each channel count (each group convolves its own slice of channels), the
    weight's first axis at least one a group."""
    if not is_integer(groups) or groups < 1:
        raise DomainError(f"{op}: groups must be a positive int, got {groups!r}")
    for side, count in channels.items():
        if count % groups:
            raise ShapeError(f"{op}: groups={groups} must divide the {count} {side} channels (weight is {layout})")
    if w_shape[0] < groups:
        raise ShapeError(f"{op}: weight of shape {w_shape} needs at least groups={groups} along its first axis "
                         f"(weight is {layout})")
    return int(groups)


def _check_empty(op, x_shape) -> None:
    """An empty input may lack its batch or its channels (an empty result), not its pixels, as PyTorch's."""
    if x_shape[0] and x_shape[1] and 0 in x_shape[2:]:
        raise ShapeError(f"{op}: input of shape {x_shape} has no pixels; only an empty batch or channel axis is "
                         "allowed")


def _same_padding(op, stride, dilation, kernel):
    """padding='same' as PyTorch: stride 1, total padding d·(k − 1) per axis, the odd pixel at the end.
    Returns the symmetric part and what the end gets on top of it, each an (h, w) pair."""
    if stride != (1, 1):
        raise ShapeError(f"{op}: padding='same' needs stride 1 (the output keeps the input's size), got {stride}")
    total = [d * (k - 1) for d, k in zip(dilation, kernel)]
    return tuple(t // 2 for t in total), tuple(t % 2 for t in total)


def check_conv2d(x_shape, w_shape, b_shape, stride, padding, dilation=1, groups=1) -> dict:
    """conv2d's door: shapes and geometry checked once; returns ``stride``, ``padding`` and ``dilation`` as (h, w)
    pairs, ``groups``, and ``pad_end``: the extra (h, w) rows padding='same' adds at the bottom and right."""
    op, layout = "conv2d", "(out_channels, in_channels/groups, kh, kw)"
    _check_4d(x_shape, w_shape, op, layout)
    (sh, sw), (dh, dw) = pair(stride, "stride", op, 1), pair(dilation, "dilation", op, 1)
    n, c, h, w = x_shape
    o, wc, kh, kw = w_shape
    groups = _check_groups(op, groups, layout, w_shape, input=c, output=o)
    if wc * groups != c:
        grouped = f" with groups={groups}" if groups > 1 else ""
        raise ShapeError(f"{op}: input of shape {x_shape} has {c} channels but weight of shape {w_shape}{grouped} "
                         f"expects {wc * groups} (weight is {layout})")
    pad_end = (0, 0)
    if isinstance(padding, str):
        if padding not in ("same", "valid"):
            raise ValueError(f"{op}: padding must be an int, an (h, w) pair, 'same' or 'valid', got {padding!r}")
        (ph, pw), pad_end = ((0, 0), (0, 0)) if padding == "valid" else _same_padding(op, (sh, sw), (dh, dw),
                                                                                        (kh, kw))
    else:
        ph, pw = pair(padding, "padding", op, 0)
    span_h, span_w = dh * (kh - 1) + 1, dw * (kw - 1) + 1  # the pixels one window covers
    if span_h > h + 2 * ph + pad_end[0] or span_w > w + 2 * pw + pad_end[1]:
        raise ShapeError(
            f"{op}: kernel {kh}×{kw} (weight {w_shape}, dilation {(dh, dw)}: it spans {span_h}×{span_w}) is larger "
            f"than the padded input {h + 2 * ph + pad_end[0]}×{w + 2 * pw + pad_end[1]} (input {x_shape}, padding "
            f"{padding!r})"
        )
    _check_bias(b_shape, o, op)
    _check_empty(op, x_shape)
    return {"stride": (sh, sw), "padding": (ph, pw), "dilation": (dh, dw), "groups": groups, "pad_end": pad_end}


def check_conv_transpose2d(x_shape, w_shape, b_shape, stride, padding, output_padding, groups=1, dilation=1) -> dict:
    """conv_transpose2d's door; returns ``stride``, ``padding``, ``output_padding`` and ``dilation`` as (h, w)
    pairs, and ``groups``."""
    op, layout = "conv_transpose2d", "(in_channels, out_channels/groups, kh, kw)"
    _check_4d(x_shape, w_shape, op, layout)
    (sh, sw), (ph, pw) = pair(stride, "stride", op, 1), pair(padding, "padding", op, 0)
    (dh, dw), (oph, opw) = pair(dilation, "dilation", op, 1), pair(output_padding, "output_padding", op, 0)
    if oph >= max(sh, dh) or opw >= max(sw, dw):
        raise ShapeError(f"{op}: output_padding {(oph, opw)} must be smaller than stride {(sh, sw)} or dilation "
                         f"{(dh, dw)}")
    _check_in_channels(op, x_shape, w_shape, 0, layout)
    n, c_in, h, w = x_shape
    wc, c_group, kh, kw = w_shape
    groups = _check_groups(op, groups, layout, w_shape, input=c_in)
    if not c_group * kh * kw:
        raise ShapeError(f"{op}: weight of shape {w_shape} is empty; expected {layout}, each at least 1")
    c_out = c_group * groups
    ho, wo = (h - 1) * sh - 2 * ph + dh * (kh - 1) + 1 + oph, (w - 1) * sw - 2 * pw + dw * (kw - 1) + 1 + opw
    if ho < 1 or wo < 1:
        raise ShapeError(
            f"{op}: output would be {ho}×{wo} for input {x_shape}, weight {w_shape}, "
            f"stride {(sh, sw)}, padding {(ph, pw)}; expected at least 1×1 (padding too large)"
        )
    _check_bias(b_shape, c_out, op)
    _check_empty(op, x_shape)
    return {"stride": (sh, sw), "padding": (ph, pw), "output_padding": (oph, opw), "dilation": (dh, dw),
            "groups": groups}


# ----------------------------------------------------------------------------- dtypes, as PyTorch's CPU kernels
# PyTorch's CPU convolution takes the dtypes its kernels have (torch 2.13, measured by tests/pytorch/test_conv.py
# over every pair of input and weight dtypes and every bias dtype; int padding, string padding, dilated, transposed,
# empty and float32 runs): integers too, as long as the input and weight agree.  In its order:
#  1. conv1d/conv2d with numeric padding: the bias has the input's dtype (RuntimeError; not with 'same'/'valid').
#  2. An empty batch or channel axis runs no kernel: the result is in the dtype of input * weight[0] (a 0-d weight:
#     the weight's dtype only where its category is higher; all of it where it is empty), the bias added in place.
#  3. A kernel for the input's dtype: conv2d's takes every integer and float, the dilated and transposed ones the
#     floats and int64; none takes bool (NotImplementedError).
#  4. The weight has the input's dtype (RuntimeError).
#  5. The bias is cast to the input's dtype (a float bias truncated into integers), but oneDNN's float32 path takes
#     a float32 bias only, and a transposed one refuses to cast a float bias into integers (RuntimeError).
_KERNEL_DTYPES = {"conv2d": "fiu", "dilated": "f", "transposed": "f"}  # kinds, and int64 for each


def _onednn(x_shape, kernel, stride, dilation, groups, big_output_padding=False) -> bool:
    """Whether PyTorch runs a float32 convolution with oneDNN (its use_mkldnn): its own rule of thumb for which is
    faster, on the 4-d shapes (a 1-d convolution is a height-1 one), with minigan's thread count in for PyTorch's."""
    n, c, h, w = x_shape
    return not big_output_padding and (stride != (1, 1) or dilation != (1, 1) or n >= 16 or kernel != (1, 1)
                                       or threads.get_num_threads() > 1) and \
        (groups > 1 or min(kernel) > 3 or n > 1 or n * c * h * w > 20480)


def _castable(dtype, into) -> bool:
    """PyTorch's in-place cast: not a float into an integer or bool, nor an integer into a bool."""
    rank = {"b": 0, "i": 1, "u": 1, "f": 2}
    return rank[dtype.kind] <= rank[into.kind]


def _dtypes(op, x, weight, bias, kernel, onednn):
    """x, weight and bias in the one dtype the convolution runs in, or PyTorch's refusal (steps 2 to 5 above);
    ``kernel``: a key of _KERNEL_DTYPES; ``onednn``: a function, asked only of a float32 input with another bias."""
    xd, bd, (n, c) = x.array.dtype, None if bias is None else bias.array.dtype, x.array.shape[:2]
    if xd.kind == "f" and weight.array.dtype == xd and (bd is None or bd == xd) and n and c:
        return x, weight, bias  # (the usual case: nothing to check or cast)
    if not (n and c):  # empty: no kernel, no check but the bias's cast
        w = weight.array if weight.array.size == 0 else weight.array.reshape(-1)[:1].reshape(())
        xd = dtypes.result_type(x.array, w)
        if bd is not None and not _castable(bd, xd):
            raise DtypeError(f"{op}: result type {bd} can't be cast to the desired output type {xd}; pass a bias "
                             f"of dtype {xd}")
    elif xd.kind not in _KERNEL_DTYPES[kernel] and xd != backend.np.int64:
        raise DtypeError(f"{op}: not implemented for {x.dtype} input (PyTorch's CPU kernel takes floats and int64"
                         f"{', and the other integers' if kernel == 'conv2d' else ''}); convert it with .to()")
    else:
        if weight.array.dtype != xd and xd.kind != "f":  # (raw image data: the input is what to convert)
            raise DtypeError(f"{op}: input is {x.dtype} but the weight is {weight.dtype}; expected the same dtype "
                             f"(convert the input with x.to({weight.dtype}))")
        _same_dtype(op, x, weight)
        if bd is not None and bd != xd and (xd == backend.np.float32 and onednn() or
                                            kernel == "transposed" and not _castable(bd, xd)):
            raise DtypeError(f"{op}: input is {x.dtype} but the bias is {bias.dtype}; expected the same dtype here "
                             f"(PyTorch's oneDNN or transposed kernel); convert it with bias.to({x.dtype})")
    return tuple(t if t is None or t.array.dtype == xd else t.to(xd) for t in (x, weight, bias))


def _usual_conv2d(input, weight, bias, stride, padding, dilation, groups):
    """conv2d's usual call, a layer's: a batch (N, C, H, W) and a weight (O, C, kh, kw) of one floating dtype, a bias
    of (O,) in it or none, one group, stride, padding and dilation each an int or a pair of ints (stride and dilation
    at least 1, padding at least 0), a window that fits the padded input, nothing empty.  Its geometry, where none of
    check_conv2d's refusals and none of _dtypes' conversions can apply; else None."""
    if not (isinstance(input, Tensor) and isinstance(weight, Tensor) and (bias is None or isinstance(bias, Tensor))):
        return None
    sizes = [v if type(v) is tuple else (v, v) for v in (stride, padding, dilation)]
    if not all(len(g) == 2 and type(g[0]) is type(g[1]) is int for g in sizes):
        return None
    (sh, sw), (ph, pw), (dh, dw) = sizes
    x, w = input.array, weight.array
    fits = bias is None or bias.array.shape == w.shape[:1] and bias.array.dtype == x.dtype  # (a bias of (O,))
    if type(groups) is int and groups == 1 and fits and x.ndim == w.ndim == 4 and x.dtype.kind == "f" and \
            w.dtype == x.dtype and x.shape[1] == w.shape[1] and x.size and w.size and min(sh, sw, dh, dw) >= 1 and \
            min(ph, pw) >= 0 and dh * (w.shape[2] - 1) < x.shape[2] + 2 * ph and \
            dw * (w.shape[3] - 1) < x.shape[3] + 2 * pw:  # (the window fits the padded input)
        return {"stride": (sh, sw), "padding": (ph, pw), "dilation": (dh, dw), "groups": 1}
    return None


def conv2d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """2-D cross-correlation: x (N, C, H, W), weight (O, C/groups, kh, kw), bias (O,) → (N, O, H_out, W_out).

    H_out = ⌊(H + 2·padding − dilation·(kh − 1) − 1) / stride⌋ + 1 (likewise W); stride, padding and dilation
    are ints or (h, w) pairs; padding may also be 'valid' (0) or 'same' (stride 1: H_out = H).
    """
    # a layer's call: the engine's node at once
    if (params := _usual_conv2d(input, weight, bias, stride, padding, dilation, groups)) is not None:
        return C.Conv2d.apply(*((input, weight) if bias is None else (input, weight, bias)), **params)
    input, weight = _tensor(input, "conv2d"), _tensor(weight, "conv2d", "weight")
    if input.ndim == 3:  # one sample, no batch axis
        return _one_sample(conv2d, input, weight, bias, stride, padding, dilation, groups)
    bias = None if bias is None else _tensor(bias, "conv2d", "bias")
    if bias is not None and not isinstance(padding, str) and bias.array.dtype != input.array.dtype:
        raise DtypeError(f"conv2d: input is {input.dtype} but the bias is {bias.dtype}; expected the same dtype "
                         f"(convert it with bias.to({input.dtype}))")
    params = check_conv2d(input.array.shape, weight.array.shape, None if bias is None else bias.array.shape,
                                 stride, padding, dilation, groups)
    end_h, end_w = params.pop("pad_end")
    if end_h or end_w:  # 'same' with an odd total: the extra row and column go at the bottom and right
        input = pad(input, (0, end_w, 0, end_h))
    geometry = (params["stride"], params["dilation"], params["groups"])
    input, weight, bias = _dtypes("conv2d", input, weight, bias, "conv2d" if params["dilation"] == (1, 1) else
                                  "dilated", lambda: _onednn(input.shape, weight.shape[2:], *geometry))
    out = C.Conv2d.apply(input, weight, **params) if bias is None else C.Conv2d.apply(input, weight, bias, **params)
    return out if input.array.shape[1] else out[:, :0]  # (no input channels: no output channels either, as PyTorch's)


def conv_transpose2d(input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1, dilation=1):
    """The adjoint of conv2d: x (N, C_in, H, W), weight (C_in, C_out/groups, kh, kw), bias (C_out,).

    H_out = (H − 1)·stride − 2·padding + dilation·(kh − 1) + 1 + output_padding (likewise W): with kernel 4,
    stride 2, padding 1 it doubles H.  output_padding (< stride or dilation) adds rows/columns at the bottom/right.
    """
    op = "conv_transpose2d"
    input, weight = _tensor(input, op), _tensor(weight, op, "weight")
    if input.ndim == 3:  # one sample, no batch axis
        return _one_sample(conv_transpose2d, input, weight, bias, stride, padding, output_padding, groups, dilation)
    bias = None if bias is None else _tensor(bias, op, "bias")
    params = check_conv_transpose2d(input.array.shape, weight.array.shape,
                                           None if bias is None else bias.array.shape, stride, padding,
                                           output_padding, groups, dilation)
    (oph, opw), (sh, sw), (ph, pw) = params["output_padding"], params["stride"], params["padding"]
    input, weight, bias = _dtypes(op, input, weight, bias, "transposed", lambda: _onednn(
        input.shape, weight.shape[2:], params["stride"], params["dilation"], params["groups"], oph >= sh or opw >= sw))
    if oph >= sh or opw >= sw:  # (allowed below the dilation) rows no window reaches: build them as their definition
        y = C.ConvTranspose2d.apply(input, weight, **{**params, "padding": (0, 0), "output_padding": (0, 0)})
        y = pad(y, (0, opw, 0, oph))  # the uncropped output, then the output_padding's zero rows and columns,
        y = y[:, :, ph : y.shape[2] - ph, pw : y.shape[3] - pw]  # then padding cropped from each side
        return (y if bias is None else y + bias.reshape(1, -1, 1, 1)).contiguous()  # (the crop: row-major again)
    if bias is None:
        return C.ConvTranspose2d.apply(input, weight, **params)
    return C.ConvTranspose2d.apply(input, weight, bias, **params)


def _windows(like, size, kernel, stride, dilation, out):
    """The flat positions in a (padded) image of ``size`` that each window's entries read: (kh·kw·L,), kernel row
    by kernel row, then the L windows row-major, as im2col's columns list them."""
    xp = backend.get_array_module(like.array)
    (kh, kw), (sh, sw), (dh, dw), (ho, wo) = kernel, stride, dilation, out
    rows = (xp.arange(kh) * dh)[:, None, None, None] + (xp.arange(ho) * sh)[None, None, :, None]
    cols = (xp.arange(kw) * dw)[None, :, None, None] + (xp.arange(wo) * sw)[None, None, None, :]
    return Tensor._make((rows * size[1] + cols).reshape(-1).astype(xp.int64))


def _two(op, **size):
    """fold's and unfold's sizes: an int or exactly two (PyTorch's checks the count: RuntimeError), each >= 1."""
    (name, value), = size.items()
    if isinstance(value, (tuple, list)) and len(value) != 2:
        raise DomainError(f"{op}: {name} must be an int or a pair of ints, got {value!r}")
    return pair(value, name, op, 1)


def unfold(input, kernel_size, dilation=1, padding=0, stride=1):
    """im2col, as PyTorch shows it: each kh×kw window of x (N, C, H, W) as a column of (N, C·kh·kw, L), L the
    number of windows (an unbatched (C, H, W) gives (C·kh·kw, L)).  The entries are picked by index (a ±∞ or NaN
    stays where it goes, as in PyTorch's copy), so its gradient is ``fold`` (col2im, the picks added back) and every
    order comes from indexing's."""
    kh, kw = _two("unfold", kernel_size=kernel_size)  # (its type first, as PyTorch's)
    x = _tensor(input, "unfold", "input")  # (bools are picked too, as PyTorch's im2col; other integers are not)
    x = x if x.array.dtype.kind == "b" else _float(x, "unfold")
    if x.ndim == 3:  # one image (C, H, W), no batch axis
        return _one_sample(unfold, x, kernel_size, dilation, padding, stride, new=True)
    if x.ndim != 4:  # (fewer than 3 dims: PyTorch's IndexError, reading dim 2)
        raise (DimensionError if x.ndim < 3 else ShapeError)(
            f"unfold: input must be (N, C, H, W) or (C, H, W), got shape {tuple(x.shape)}")
    (sh, sw), (ph, pw) = pair(stride, "stride", "unfold", 1), pair(padding, "padding", "unfold", 0)
    dh, dw = pair(dilation, "dilation", "unfold", 1)
    if 0 in x.shape[1:]:  # (an empty batch is fine; empty channels or images are not: PyTorch's im2col check)
        raise ShapeError(f"unfold: input must have non-zero channels, height and width (the batch may be 0), got "
                         f"shape {tuple(x.shape)}")
    n, c, hp, wp = x.shape[0], x.shape[1], x.shape[2] + 2 * ph, x.shape[3] + 2 * pw
    ho, wo = (hp - dh * (kh - 1) - 1) // sh + 1, (wp - dw * (kw - 1) - 1) // sw + 1
    if ho < 1 or wo < 1:
        raise ShapeError(f"unfold: the kernel {(kh, kw)} (dilation {(dh, dw)}) does not fit the padded input "
                         f"{(hp, wp)}; give a smaller kernel or more padding")
    picked = pad(x, (pw, pw, ph, ph)).reshape(n, c, hp * wp).index_select(
        2, _windows(x, (hp, wp), (kh, kw), (sh, sw), (dh, dw), (ho, wo)))
    return shown_as(laid_out(picked.reshape(n, c * kh * kw, ho * wo), x, False), "Im2ColBackward0")  # (row-major)


def fold(input, output_size, kernel_size, dilation=1, padding=0, stride=1):
    """col2im, unfold's adjoint: the columns (N, C·kh·kw, L) added back onto an (N, C, H, W) image of
    ``output_size``, overlapping windows summing, as PyTorch's.  An unbatched (C·kh·kw, L) gives (C, H, W); a batch
    may be empty, not the columns (as PyTorch's check)."""
    cols = _tensor(input, "fold", "input")  # (bools are added too, as PyTorch's col2im: or; other integers are not)
    cols = cols if cols.array.dtype.kind == "b" else _float(cols, "fold")
    if cols.ndim == 2:  # one sample, no batch axis
        return _one_sample(fold, cols, output_size, kernel_size, dilation, padding, stride, new=True)
    (h, w), (kh, kw) = _two("fold", output_size=output_size), _two("fold", kernel_size=kernel_size)
    (sh, sw), (ph, pw) = pair(stride, "stride", "fold", 1), pair(padding, "padding", "fold", 0)
    dh, dw = pair(dilation, "dilation", "fold", 1)
    ho, wo = (h + 2 * ph - dh * (kh - 1) - 1) // sh + 1, (w + 2 * pw - dw * (kw - 1) - 1) // sw + 1
    if cols.ndim != 3 or not cols.shape[1] or cols.shape[1] % (kh * kw) or cols.shape[2] != ho * wo:
        raise ShapeError(f"fold: expected input (N, C·{kh}·{kw}, {ho * wo}) for output_size {(h, w)}, kernel "
                         f"{(kh, kw)}, stride {(sh, sw)}, padding {(ph, pw)}, dilation {(dh, dw)}; got "
                         f"{tuple(cols.shape)}")
    n, c, hp, wp = cols.shape[0], cols.shape[1] // (kh * kw), h + 2 * ph, w + 2 * pw
    where = _windows(cols, (hp, wp), (kh, kw), (sh, sw), (dh, dw), (ho, wo))  # (each column entry's pixel: added)
    columns = cols.reshape(n, c, kh * kw * ho * wo)  # (no -1: an empty batch has no size to infer)
    out = cols.new_zeros((n, c, hp * wp)).index_add(2, where, columns).reshape(n, c, hp, wp)
    return laid_out(out[:, :, ph : hp - ph, pw : wp - pw], cols, False)  # (row-major, as PyTorch's)


def conv1d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """1-D cross-correlation: x (N, C, L), weight (O, C/groups, k) → (N, O, L_out), as conv2d on a height-1 image.
    padding may be an int, 'same' or 'valid'."""
    input, weight = _tensor(input, "conv1d"), _tensor(weight, "conv1d", "weight")
    if input.ndim == 2:  # one sample, no batch axis
        return _one_sample(conv1d, input, weight, bias, stride, padding, dilation, groups)
    if input.ndim != 3 or weight.ndim != 3:
        raise ShapeError(f"conv1d: expected input (N, C, L) and weight (O, C/groups, k), got {tuple(input.shape)} and "
                         f"{tuple(weight.shape)}")
    one = lambda v: _single("conv1d", v)  # an int, or PyTorch's 1-tuple
    p = one(padding)
    out = conv2d(input.unsqueeze(2), weight.unsqueeze(2), bias, (1, one(stride)), p if isinstance(p, str) else (0, p),
                 (1, one(dilation)), groups)
    return shown_as(laid_out(out.squeeze(2), input, False), "ConvolutionBackward0")  # (row-major new memory, as
    # PyTorch's)


def conv_transpose1d(input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1, dilation=1):
    """The adjoint of conv1d: x (N, C_in, L), weight (C_in, C_out/groups, k), as conv_transpose2d on a height-1
    image."""
    input, weight = _tensor(input, "conv_transpose1d"), _tensor(weight, "conv_transpose1d", "weight")
    if input.ndim == 2:  # one sample, no batch axis
        return _one_sample(conv_transpose1d, input, weight, bias, stride, padding, output_padding, groups, dilation)
    if input.ndim != 3 or weight.ndim != 3:
        raise ShapeError(f"conv_transpose1d: expected input (N, C_in, L) and weight (C_in, C_out/groups, k), got "
                         f"{tuple(input.shape)} and {tuple(weight.shape)}")
    one = lambda v: _single("conv_transpose1d", v)  # an int, or PyTorch's 1-tuple
    out = conv_transpose2d(input.unsqueeze(2), weight.unsqueeze(2), bias, (1, one(stride)), (0, one(padding)),
                           (0, one(output_padding)), groups, (1, one(dilation)))
    return laid_out(out.squeeze(2), input, False)  # (row-major new memory, as PyTorch's)
