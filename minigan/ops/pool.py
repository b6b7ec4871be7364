"""Pooling and nearest upsampling of image batches (N, C, H, W), as ``torch.nn.functional``.

Window geometry is conv2d's:  H_out = ⌊(H + 2·pad_h − kh) / stride_h⌋ + 1  (likewise W).

How a pool reads its windows: for one kernel offset (i, j), the strided slice
``x_pad[:, :, i::stride_h, j::stride_w]`` (H_out × W_out of it) holds element (i, j) of *every*
window at once.  So a pool is a loop over the kh·kw offsets, never over pixels or the batch.

Both pools are linear in x once the maximum's position is fixed, so they come as an adjoint pair
(as conv2d and conv_transpose2d do):

    Pool2d    gathers:   y[n,c,a,b] = Σ_(i,j) w_ij[n,c,a,b] · x_pad[n,c, a·s_h + i, b·s_w + j]
    Unpool2d  scatters:  the adjoint: g[n,c,a,b]·w_ij is *added* back to the pixel it was read from

with w_ij = 1/(kh·kw) for the average (PyTorch's count_include_pad=True: padding counts as zeros),
and for the max w_ij = 1 at the offset that held the window's FIRST maximum in row-major order
(0 elsewhere): ties send the whole gradient to one element, exactly as PyTorch does.  Pool2d's
backward is Unpool2d with the same weights and Unpool2d's backward is Pool2d, so the pair closes
and gradients of any order work.  (The max's offsets are a constant: its second derivative in x
is zero, as for relu.)

Nearest upsampling by integer factors copies each pixel into an s_h × s_w block; its backward
adds the block's gradients back up (a reshape and a sum, which Tensors have too).
"""

from minigan import backend
from minigan.autograd.graph import Node


def _window(a, i, j, out_hw, stride):
    """Element (i, j) of every window: a strided (H_out, W_out) slice of the padded batch (a view)."""
    (ho, wo), (sh, sw) = out_hw, stride
    return a[:, :, i : i + sh * (ho - 1) + 1 : sh, j : j + sw * (wo - 1) + 1 : sw]


class Pool2d(Node):
    """mode "avg": the window mean; mode "max": the window maximum, or, given ``argmax`` (the offset
    index k = i·kw + j of each window's maximum), the values at those offsets (how a gradient is read back)."""

    def forward(self, x, mode, kernel_size, stride, padding, argmax=None):
        xp = backend.get_array_module(x)
        (kh, kw), (ph, pw) = kernel_size, padding
        n, c, h, w = x.shape
        out_hw = ((h + 2 * ph - kh) // stride[0] + 1, (w + 2 * pw - kw) // stride[1] + 1)
        fill = -xp.inf if mode == "max" and argmax is None else 0  # a padded pixel is never a maximum
        x_pad = xp.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)), constant_values=fill) if ph or pw else x
        offsets = [(i, j) for i in range(kh) for j in range(kw)]
        if mode == "avg":
            out = sum(_window(x_pad, i, j, out_hw, stride) for i, j in offsets) / x.dtype.type(kh * kw)
        elif argmax is None:  # running maximum; a later offset wins only if strictly greater (or NaN, as PyTorch)
            out = _window(x_pad, 0, 0, out_hw, stride).copy()  # a copy: never hand back a view of x
            argmax = xp.zeros(out.shape, dtype=xp.int64)
            for k, (i, j) in enumerate(offsets[1:], start=1):
                v = _window(x_pad, i, j, out_hw, stride)
                better = (v > out) | xp.isnan(v)
                out, argmax = xp.where(better, v, out), xp.where(better, k, argmax)
        else:  # gather the values at the given offsets
            out = sum(xp.where(argmax == k, _window(x_pad, i, j, out_hw, stride), 0) for k, (i, j) in
                      enumerate(offsets))
        self.mode, self.geometry, self.argmax, self.in_hw = mode, (kernel_size, stride, padding), argmax, (h, w)
        return out

    def backward(self, grad):  # ∂x: each output's gradient goes back to the pixels it read (the adjoint)
        (kernel_size, stride, padding) = self.geometry
        return (Unpool2d.apply(grad, mode=self.mode, kernel_size=kernel_size, stride=stride, padding=padding,
                               in_hw=self.in_hw, argmax=self.argmax),)


class Unpool2d(Node):
    """Pool2d's adjoint: zeros of the input's size, with each g·w_ij added to the pixel it was read from."""

    def forward(self, g, mode, kernel_size, stride, padding, in_hw, argmax=None):
        xp = backend.get_array_module(g)
        (kh, kw), (ph, pw), (h, w) = kernel_size, padding, in_hw
        n, c, ho, wo = g.shape
        out = xp.zeros((n, c, h + 2 * ph, w + 2 * pw), dtype=g.dtype)
        share = g / g.dtype.type(kh * kw) if mode == "avg" else None
        for k, (i, j) in enumerate((i, j) for i in range(kh) for j in range(kw)):
            window = _window(out, i, j, (ho, wo), stride)  # a view: += writes into out (windows may overlap)
            window += share if mode == "avg" else xp.where(argmax == k, g, 0)
        self.mode, self.geometry, self.argmax = mode, (kernel_size, stride, padding), argmax
        return out[:, :, ph : ph + h, pw : pw + w]

    def backward(self, grad):  # the adjoint of a scatter is the gather with the same weights
        (kernel_size, stride, padding) = self.geometry
        return (Pool2d.apply(grad, mode=self.mode, kernel_size=kernel_size, stride=stride, padding=padding,
                             argmax=self.argmax),)


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
