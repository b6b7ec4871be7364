"""2-D convolution and its adjoint, the transposed convolution, with im2col + one GEMM.

Shapes (as PyTorch):  x (N, C, H, W),  Conv2d weight (O, C, kh, kw),
ConvTranspose2d weight (C_in, C_out, kh, kw).

    conv2d output:            H_out = ⌊(H + 2·pad_h − kh) / stride_h⌋ + 1
    conv_transpose2d output:  H_out = (H − 1)·stride_h − 2·pad_h + kh + output_padding_h

How it works (read ``im2col`` and ``col2im`` first):

* ``im2col`` lays every kh×kw window of the padded input out as one column of a matrix
  ``cols`` of shape (C·kh·kw, H_out·W_out·N).  It reads the windows through a *strided view*
  (no Python loop, no copy until the one ``ascontiguousarray``), so a convolution is ONE
  matrix product:  out = W.reshape(O, C·kh·kw) @ cols.
* ``col2im`` is the adjoint of ``im2col``: every column entry is *added* back to the input
  pixel it was read from.  Windows overlap, so a pixel receives several contributions; we
  add them with one slice ``+=`` per kernel offset (kh·kw slices, each covering every
  window at once).  A scatter with repeated indices would be simpler to write but is
  undefined on CuPy, so we never use one.

Memory layout — why "batch-last".  Inside this file an image batch is stored (C, H, W, N):
the batch index varies fastest.  Then every strided window read (im2col) and every strided
slice ``+=`` (col2im) moves N contiguous numbers at a time; in (N, C, H, W) the innermost run
would be one output row (7 strided numbers for a 14→7 stride-2 layer) and both cost more than
the GEMM beside them.  The ops *return* (N, C, H, W) as a transposed view of the (C, H, W, N)
buffer (``x.shape``, indexing and every elementwise op are unaffected; NumPy keeps the layout
through elementwise ops), so when one convolution feeds another through an activation, no
transposing copy is ever made; ``to_batch_last`` copies only when it gets a plain NCHW array.

The transposed convolution is conv2d's input-gradient run forwards (``col2im`` of W·x), and
its backward runs conv2d's forward (``im2col`` of the gradient): the two ops are an adjoint
pair, ⟨conv2d(x, w), y⟩ = ⟨x, conv_transpose2d(y, w)⟩, which the tests check.
"""

from __future__ import annotations

from minigan import backend
from minigan.errors import ShapeError
from minigan.function import Function

# ----------------------------------------------------------------------------- argument checks


def pair(value, name: str, op: str, minimum: int) -> tuple:
    """An int or an (h, w) pair of ints, each at least ``minimum``, as an (h, w) tuple."""
    if isinstance(value, (tuple, list)) and len(value) == 2:
        pair_ = tuple(value)
    else:
        pair_ = (value, value)
    for v in pair_:
        if isinstance(v, bool) or not isinstance(v, int) and not backend.is_numpy_scalar(v):
            raise TypeError(f"{op}: {name} must be an int or an (h, w) pair of ints, got {value!r}")
        if v < minimum:
            raise ValueError(f"{op}: {name} must be >= {minimum}, got {value!r}")
    return (int(pair_[0]), int(pair_[1]))


def _check_4d(x, weight, op: str, weight_layout: str) -> None:
    if x.ndim != 4:
        raise ShapeError(f"{op}: input must be 4-D (N, C, H, W), got shape {x.shape}")
    if weight.ndim != 4:
        raise ShapeError(f"{op}: weight must be 4-D {weight_layout}, got shape {weight.shape}")


def _check_bias(bias, channels: int, op: str) -> None:
    if bias is not None and bias.shape != (channels,):
        raise ShapeError(f"{op}: bias has shape {bias.shape}, expected ({channels},)")


# ----------------------------------------------------------------------------- layouts, im2col / col2im


def to_batch_last(x, ph: int = 0, pw: int = 0):
    """(N, C, H, W) (any strides) → contiguous (C, H + 2·ph, W + 2·pw, N), zero-padded.

    A no-copy reshape when ``x`` is already a transposed view of a (C, H, W, N) buffer and
    no padding is asked for; otherwise one copy.
    """
    xp = backend.get_array_module(x)
    n, c, h, w = x.shape
    x_t = x.transpose(1, 2, 3, 0)
    if ph == 0 and pw == 0:
        return xp.ascontiguousarray(x_t)
    out = xp.zeros((c, h + 2 * ph, w + 2 * pw, n), dtype=x.dtype)
    out[:, ph : ph + h, pw : pw + w] = x_t
    return out


def from_batch_last(a, ph: int = 0, pw: int = 0):
    """(C, Hp, Wp, N) → an (N, C, H, W) *view* of it (no copy), cropping ph/pw from each side."""
    hp, wp = a.shape[1], a.shape[2]
    return a[:, ph : hp - ph, pw : wp - pw].transpose(3, 0, 1, 2)


def im2col(x_padded, kh: int, kw: int, sh: int, sw: int):
    """(C, Hp, Wp, N) → cols (C·kh·kw, Ho·Wo·N): column (i, j, n) is the window under output (i, j) of image n.

    cols[c, p, q, i, j, n] = x_padded[c, i·sh + p, j·sw + q, n], read through a strided view.
    """
    xp = backend.get_array_module(x_padded)
    c, hp, wp, n = x_padded.shape
    ho, wo = (hp - kh) // sh + 1, (wp - kw) // sw + 1
    s_c, s_h, s_w, s_n = x_padded.strides
    windows = xp.lib.stride_tricks.as_strided(
        x_padded, shape=(c, kh, kw, ho, wo, n), strides=(s_c, s_h, s_w, s_h * sh, s_w * sw, s_n)
    )
    return xp.ascontiguousarray(windows).reshape(c * kh * kw, ho * wo * n)


def col2im(cols, padded_shape, kh: int, kw: int, sh: int, sw: int):
    """The adjoint of ``im2col``: add every column entry back onto the pixel it came from.

    ``cols`` is (C·kh·kw, Ho·Wo·N) and ``padded_shape`` (C, Hp, Wp, N); returns (C, Hp, Wp, N).
    """
    xp = backend.get_array_module(cols)
    c, hp, wp, n = padded_shape
    ho, wo = (hp - kh) // sh + 1, (wp - kw) // sw + 1
    cols = cols.reshape(c, kh, kw, ho, wo, n)
    out = xp.zeros((c, hp, wp, n), dtype=cols.dtype)
    for p in range(kh):  # one slice += per kernel offset: all windows at once, overlaps add up
        for q in range(kw):
            out[:, p : p + sh * (ho - 1) + 1 : sh, q : q + sw * (wo - 1) + 1 : sw] += cols[:, p, q]
    return out


# ----------------------------------------------------------------------------- the ops


class Conv2d(Function):
    """out[n, o] = Σ_c W[o, c] ⋆ x_pad[n, c] (cross-correlation, as in PyTorch) + b[o].

    H_out = ⌊(H + 2·pad_h − kh) / stride_h⌋ + 1,   W_out = ⌊(W + 2·pad_w − kw) / stride_w⌋ + 1
    """

    def forward(self, x, weight, bias=None, stride=1, padding=0):
        _check_4d(x, weight, "conv2d", "(out_channels, in_channels, kh, kw)")
        (sh, sw), (ph, pw) = pair(stride, "stride", "conv2d", 1), pair(padding, "padding", "conv2d", 0)
        n, c, h, w = x.shape
        o, wc, kh, kw = weight.shape
        if wc != c:
            raise ShapeError(
                f"conv2d: input of shape {x.shape} has {c} channels but weight of shape {weight.shape} "
                f"expects {wc} (weight is (out_channels, in_channels, kh, kw))"
            )
        if kh > h + 2 * ph or kw > w + 2 * pw:
            raise ShapeError(
                f"conv2d: kernel {kh}×{kw} (weight {weight.shape}) is larger than the padded input "
                f"{h + 2 * ph}×{w + 2 * pw} (input {x.shape}, padding {(ph, pw)})"
            )
        _check_bias(bias, o, "conv2d")
        ho, wo = (h + 2 * ph - kh) // sh + 1, (w + 2 * pw - kw) // sw + 1

        x_pad = to_batch_last(x, ph, pw)  # (C, Hp, Wp, N)
        cols = im2col(x_pad, kh, kw, sh, sw)  # (C·kh·kw, Ho·Wo·N)
        out = (weight.reshape(o, c * kh * kw) @ cols).reshape(o, ho, wo, n)  # the one GEMM
        if bias is not None:
            out += bias.reshape(o, 1, 1, 1)
        need = self.needs_input_grad  # None when no gradient will be asked for: save nothing
        self.geometry = (x_pad.shape, (kh, kw), (sh, sw), (ph, pw))
        if need:
            self.saved = (cols if need[1] else None, weight if need[0] else None)
        return from_batch_last(out)  # (N, O, Ho, Wo), a view of the (O, Ho, Wo, N) product

    def backward(self, grad):  # dL/dW = G·colsᵀ, dL/dcols = Wᵀ·G → col2im, dL/db = Σ G
        cols, weight = self.saved
        padded_shape, (kh, kw), (sh, sw), (ph, pw) = self.geometry
        need = self.needs_input_grad
        o = grad.shape[1]
        g2 = to_batch_last(grad).reshape(o, -1)  # (O, Ho·Wo·N): no copy when grad came from conv ops
        dx = dw = db = None
        if need[0]:
            dcols = weight.reshape(o, -1).T @ g2  # (C·kh·kw, Ho·Wo·N)
            dx = from_batch_last(col2im(dcols, padded_shape, kh, kw, sh, sw), ph, pw)
        if need[1]:
            dw = (g2 @ cols.T).reshape(o, padded_shape[0], kh, kw)
        if len(need) > 2 and need[2]:
            db = g2.sum(axis=1)
        return (dx, dw, db) if len(need) > 2 else (dx, dw)


class ConvTranspose2d(Function):
    """The adjoint of Conv2d: out = col2im(Wᵀ·x) (+ b).  Weight (C_in, C_out, kh, kw).

    H_out = (H − 1)·stride_h − 2·pad_h + kh + output_padding_h   (likewise W)

    conv2d maps several input sizes to one output size (its floor drops up to stride−1 rows);
    ``output_padding`` (< stride, default 0) picks which one, exactly as in PyTorch.
    """

    def forward(self, x, weight, bias=None, stride=1, padding=0, output_padding=0):
        _check_4d(x, weight, "conv_transpose2d", "(in_channels, out_channels, kh, kw)")
        (sh, sw), (ph, pw) = pair(stride, "stride", "conv_transpose2d", 1), pair(
            padding, "padding", "conv_transpose2d", 0
        )
        oph, opw = pair(output_padding, "output_padding", "conv_transpose2d", 0)
        if oph >= sh or opw >= sw:
            raise ShapeError(
                f"conv_transpose2d: output_padding {(oph, opw)} must be smaller than stride {(sh, sw)}"
            )
        n, c_in, h, w = x.shape
        wc, c_out, kh, kw = weight.shape
        if wc != c_in:
            raise ShapeError(
                f"conv_transpose2d: input of shape {x.shape} has {c_in} channels but weight of shape "
                f"{weight.shape} expects {wc} (weight is (in_channels, out_channels, kh, kw))"
            )
        ho, wo = (h - 1) * sh - 2 * ph + kh + oph, (w - 1) * sw - 2 * pw + kw + opw
        if ho < 1 or wo < 1:
            raise ShapeError(
                f"conv_transpose2d: output would be {ho}×{wo} for input {x.shape}, weight {weight.shape}, "
                f"stride {(sh, sw)}, padding {(ph, pw)}; expected at least 1×1 (padding too large)"
            )
        _check_bias(bias, c_out, "conv_transpose2d")
        padded_shape = (c_out, ho + 2 * ph, wo + 2 * pw, n)

        x2 = to_batch_last(x).reshape(c_in, h * w * n)  # (C_in, H·W·N)
        cols = weight.reshape(c_in, c_out * kh * kw).T @ x2  # the one GEMM: (C_out·kh·kw, H·W·N)
        out = col2im(cols, padded_shape, kh, kw, sh, sw)  # (C_out, Hp, Wp, N)
        if bias is not None:
            out += bias.reshape(c_out, 1, 1, 1)  # the padding border is cropped away below
        need = self.needs_input_grad
        self.geometry = ((kh, kw), (sh, sw), (ph, pw))
        if need:
            self.saved = (x2 if need[1] else None, weight if need[0] else None)
        return from_batch_last(out, ph, pw)

    def backward(self, grad):  # dL/dx = conv2d(G, W),  dL/dW = x·im2col(G)ᵀ,  dL/db = Σ G
        x2, weight = self.saved
        (kh, kw), (sh, sw), (ph, pw) = self.geometry
        need = self.needs_input_grad
        n, c_out = grad.shape[0], grad.shape[1]
        c_in = weight.shape[0] if weight is not None else x2.shape[0]
        cols = im2col(to_batch_last(grad, ph, pw), kh, kw, sh, sw)  # (C_out·kh·kw, H·W·N)
        dx = dw = db = None
        if need[0]:
            h, w = (grad.shape[2] + 2 * ph - kh) // sh + 1, (grad.shape[3] + 2 * pw - kw) // sw + 1
            dx = from_batch_last((weight.reshape(c_in, -1) @ cols).reshape(c_in, h, w, n))  # (C_in, H, W, N)
        if need[1]:
            dw = (x2 @ cols.T).reshape(c_in, c_out, kh, kw)
        if len(need) > 2 and need[2]:
            db = grad.sum(axis=(0, 2, 3))
        return (dx, dw, db) if len(need) > 2 else (dx, dw)
