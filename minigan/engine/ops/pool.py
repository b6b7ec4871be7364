"""Pooling and nearest upsampling of image batches (N, C, H, W), as ``torch.nn.functional``.

Window geometry is dilated conv2d's, with ceil_mode (the door, F.max_pool2d's ``check_pool2d``, works it out):
H_out = ⌊(H + 2·pad_h − d_h·(kh − 1) − 1) / stride_h⌋ + 1, rounded up instead with ceil_mode as long as the last
window still starts inside the input or its left padding (likewise W).

How a pool reads its windows: for one kernel offset (i, j), the strided slice
``x_pad[:, :, i·d_h::stride_h, j·d_w::stride_w]`` (H_out × W_out of it) holds element (i, j) of *every* window
at once.  So a pool is a loop over the kh·kw offsets, never over pixels or the batch.  A ceil_mode window may
run past the padded input: the input is padded that much more on the right (−inf or 0), and the divisor
below leaves that part out.

Both pools are linear in x once the maximum's position is fixed, so they come as an adjoint pair
(as conv2d and conv_transpose2d do):

    Pool2d    gathers:   y[n,c,a,b] = Σ_(i,j) w_ij[n,c,a,b] · x_pad[n,c, a·s_h + i·d_h, b·s_w + j·d_w]
    Unpool2d  scatters:  the adjoint: g[n,c,a,b]·w_ij is *added* back to the pixel it was read from

with w_ij = 1/divisor[a,b] for the average (the divisor: the window's size cut at the end of the padded
input, or only its pixels inside the input with count_include_pad=False, or divisor_override), and for the max
w_ij = 1 at the offset that held the window's FIRST maximum in row-major order (0 elsewhere): ties send the
whole gradient to one element, exactly as PyTorch does.  Pool2d's backward is Unpool2d with the same weights
and Unpool2d's backward is Pool2d, so the pair closes and gradients of any order work.  (The max's offsets
are a constant: its second derivative in x is zero, as for relu.)

Nearest upsampling by integer factors copies each pixel into an s_h × s_w block; its backward
adds the block's gradients back up (a reshape and a sum, which Tensors have too).
"""

from minigan.engine import backend
from minigan.engine.graph import Node


def _window(a, i, j, out_hw, stride):
    """Element (i, j) of every window: a strided (H_out, W_out) slice of the padded batch (a view)."""
    (ho, wo), (sh, sw) = out_hw, stride
    return a[:, :, i : i + sh * (ho - 1) + 1 : sh, j : j + sw * (wo - 1) + 1 : sw]


def _offsets(kernel_size, dilation):
    """Where kernel element k = i·kw + j sits in its window, row-major: (i·d_h, j·d_w)."""
    (kh, kw), (dh, dw) = kernel_size, dilation
    return [(i * dh, j * dw) for i in range(kh) for j in range(kw)]


def _pads(in_hw, kernel_size, stride, padding, dilation, out_hw):
    """Each axis's (before, after) padding: ``padding``, and after it more where a ceil_mode window runs past."""
    return tuple((p, max(p, s * (o - 1) + d * (k - 1) + 1 - n - p))
                 for n, k, s, p, d, o in zip(in_hw, kernel_size, stride, padding, dilation, out_hw))


def _padded(x, fill, kernel_size, stride, padding, dilation, out_hw):
    """x with its padding (and a ceil_mode window's overhang) filled with ``fill``; x itself when there is none."""
    pads = _pads(x.shape[2:], kernel_size, stride, padding, dilation, out_hw)
    xp = backend.get_array_module(x)
    return xp.pad(x, ((0, 0), (0, 0)) + pads, constant_values=fill) if pads != ((0, 0), (0, 0)) else x


def _divisors(xp, in_hw, kernel_size, stride, padding, out_hw, count_include_pad):
    """avg_pool's divisor of each window (H_out, W_out), a product of one count per axis: the window
    [start, start + k) cut at the end of the padded input, or (not count_include_pad) its part inside the input."""
    counts = []
    for n, k, s, p, o in zip(in_hw, kernel_size, stride, padding, out_hw):
        start = xp.arange(o) * s - p
        end = xp.minimum(start + k, n + p)
        counts.append(end - start if count_include_pad else xp.minimum(end, n) - xp.maximum(start, 0))
    return counts[0][:, None] * counts[1]


def _running_max(x, kernel_size, stride, padding, dilation, out_hw):
    """Each window's maximum and the index k of its offset, as a scan of the window finds them: the window's first pixel
    inside the input, then a later one only if strictly greater (or NaN), so a tie keeps the first maximum in
    row-major order.  Padding is never taken (``inside`` marks the input's pixels), even next to −inf."""
    xp, geometry = backend.get_array_module(x), (kernel_size, stride, padding, dilation, out_hw)
    x_pad, inside = _padded(x, 0, *geometry), _padded(xp.ones((1, 1) + x.shape[2:], dtype=bool), False, *geometry)
    out = xp.zeros(x.shape[:2] + out_hw, dtype=x.dtype)  # (each window's first pixel replaces it: integers too)
    argmax, found = xp.zeros(out.shape, dtype=xp.int64), xp.zeros((1, 1) + out_hw, dtype=bool)
    for k, (i, j) in enumerate(_offsets(kernel_size, dilation)):
        v, valid = _window(x_pad, i, j, out_hw, stride), _window(inside, i, j, out_hw, stride)
        better = valid & ((v > out) | xp.isnan(v) | ~found)
        out, argmax, found = xp.where(better, v, out), xp.where(better, k, argmax), found | valid
    lowest = -xp.inf if x.dtype.kind == "f" else xp.iinfo(x.dtype).min  # a window with no pixel: the start
    return xp.where(found, out, lowest), argmax


class Pool2d(Node):
    """mode "avg": each window's sum over its divisor; mode "max": the window maximum, or, given ``argmax`` (the
    offset index k = i·kw + j of each window's maximum), the values at those offsets (how a gradient is read back)."""

    def forward(self, x, mode, kernel_size, stride, padding, dilation, out_hw, count_include_pad=True, divisor=None,
                argmax=None):
        xp = backend.get_array_module(x)
        self.geometry = dict(kernel_size=kernel_size, stride=stride, padding=padding, dilation=dilation, out_hw=out_hw)
        if mode == "max" and argmax is None:
            out, argmax = _running_max(x, **self.geometry)
        else:
            x_pad, offsets = _padded(x, 0, **self.geometry), _offsets(kernel_size, dilation)  # padding reads 0
            if mode == "avg":  # divisor: divisor_override, or one per window (then kept for the gradient)
                if divisor is None:
                    divisor = _divisors(xp, x.shape[2:], kernel_size, stride, padding, out_hw, count_include_pad)
                divisor = xp.asarray(divisor, dtype=x.dtype)
                out = sum(_window(x_pad, i, j, out_hw, stride) for i, j in offsets) / divisor
            else:  # gather the values at the given offsets
                out = sum(xp.where(argmax == k, _window(x_pad, i, j, out_hw, stride), 0) for k, (i, j) in
                          enumerate(offsets))
        self.mode, self.divisor, self.argmax, self.in_hw = mode, divisor, argmax, x.shape[2:]
        return out

    def backward(self, grad):  # ∂x: each output's gradient goes back to the pixels it read (the adjoint)
        return (Unpool2d.apply(grad, mode=self.mode, in_hw=self.in_hw, divisor=self.divisor, argmax=self.argmax,
                               **self.geometry),)


class Unpool2d(Node):
    """Pool2d's adjoint: zeros of the input's size, with each g·w_ij added to the pixel it was read from."""

    def forward(self, g, mode, kernel_size, stride, padding, dilation, out_hw, in_hw, divisor=None, argmax=None):
        xp = backend.get_array_module(g)
        self.geometry = dict(kernel_size=kernel_size, stride=stride, padding=padding, dilation=dilation, out_hw=out_hw)
        (top, bottom), (left, right) = _pads(in_hw, **self.geometry)
        h, w = in_hw
        out = xp.zeros(g.shape[:2] + (top + h + bottom, left + w + right), dtype=g.dtype)
        share = g / divisor if mode == "avg" else None
        for k, (i, j) in enumerate(_offsets(kernel_size, dilation)):
            window = _window(out, i, j, out_hw, stride)  # a view: += writes into out (windows may overlap)
            window += share if mode == "avg" else xp.where(argmax == k, g, 0)
        self.mode, self.divisor, self.argmax = mode, divisor, argmax
        return out[:, :, top : top + h, left : left + w]

    def backward(self, grad):  # the adjoint of a scatter is the gather with the same weights
        return (Pool2d.apply(grad, mode=self.mode, divisor=self.divisor, argmax=self.argmax, **self.geometry),)


class UpsampleNearest2d(Node):
    """Each pixel copied into an s_h × s_w block: (N, C, H, W) → (N, C, H·s_h, W·s_w)."""

    def forward(self, x, scale):
        (sh, sw), (n, c, h, w) = scale, x.shape
        self.scale = scale
        blocks = backend.get_array_module(x).broadcast_to(x[:, :, :, None, :, None], (n, c, h, sh, w, sw))
        return blocks.reshape(n, c, h * sh, w * sw)

    def backward(self, grad):  # ∂x = the sum of the gradients of a pixel's s_h·s_w copies
        (sh, sw), (n, c, hs, ws) = self.scale, grad.shape
        return (grad.reshape(n, c, hs // sh, sh, ws // sw, sw).sum(axis=(3, 5)),)
