"""2-D convolution and its adjoint, the transposed convolution, with im2col + one GEMM.

Shapes (as PyTorch):  x (N, C, H, W),  Conv2d weight (O, C, kh, kw),
ConvTranspose2d weight (C_in, C_out, kh, kw).

    conv2d output:            H_out = ⌊(H + 2·pad_h − dil_h·(kh − 1) − 1) / stride_h⌋ + 1
    conv_transpose2d output:  H_out = (H − 1)·stride_h − 2·pad_h + dil_h·(kh − 1) + 1 + output_padding_h

A dilation d spreads the kernel's taps d pixels apart (it covers d·(k − 1) + 1 pixels, reading k of them).
With ``groups`` = G the channels are split into G groups, each convolved with its own slice of the
weight (Conv2d weight (O, C/G, kh, kw)); the one GEMM becomes G products of a batched matmul.

How it works (read ``im2col`` and ``col2im`` first):

* ``im2col`` lays every kh×kw window of the padded input out as one column of a matrix
  ``cols`` of shape (C·kh·kw, H_out·W_out·N).  It reads the windows through a *strided view*
  (no Python loop, no copy until the one ``ascontiguousarray``), so a convolution is ONE
  matrix product:  out = W.reshape(O, C·kh·kw) @ cols.
* ``col2im`` is the adjoint of ``im2col``: every column entry is *added* back to the input
  pixel it was read from.  Windows overlap, so a pixel receives several contributions
  (``backend.add_windows``): on a CPU one slice ``+=`` per kernel offset (kh·kw slices, each
  covering every window at once), on a GPU one scatter-add of every entry onto its pixel's
  flat index (CuPy's ``add.at``, atomic adds, one kernel where the slices are kh·kw).

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

Gradients of every order — three bilinear maps that differentiate into each other.  With one
weight array W (conv2d's (O, C, kh, kw) is conv_transpose2d's (C_in, C_out, kh, kw)) write

    C(x, W)  = conv2d                 Ct(g, W) = conv_transpose2d
    Cw(x, g) = conv2d's weight gradient, G·im2col(x)ᵀ  (the op ``Conv2dWeight``)

All three are partial derivatives of one number, T(x, W, g) = ⟨C(x, W), g⟩, so the derivative
of each is made of the others (h is the gradient arriving at the op's output):

    y = C(x, W):    ∂x = Ct(h, W),   ∂W = Cw(x, h)
    y = Ct(g, W):   ∂g = C(h, W),    ∂W = Cw(h, g)
    y = Cw(x, g):   ∂x = Ct(g, h),   ∂g = C(x, h)

Each backward is therefore just calls of the other ops' ``apply``: on arrays (first order) they
only compute, on Tensors (``create_graph=True``) they record, and the family closes, so any
order works.  The geometry travels along: the stride and padding are the same in all three; Ct
is given the ``output_padding`` that gives back x's exact size (conv2d's floor may have dropped
rows), and Cw the kernel size.

The one expensive step that two of them would repeat is an ``im2col``, and it is shared within a
backward: ConvTranspose2d's backward builds ``im2col`` of the gradient once and hands it to both
C(h, W) and Cw(h, g).  Conv2d does *not* keep the ``cols`` of x from forward to backward, though
its weight gradient needs them again: they are kh·kw times the size of x (12.8 MB for a 64→128
layer at batch 64): keeping one per forward until the backward raised a GAN step's peak memory by
40% and its page faults (fresh memory costs one per 4 KB) by 60%, which took longer than building
``cols`` again.  ``cols`` is a plain
parameter, not an input: it is a copy of values of x (or h), the same at every order, and the
gradient flows through x itself.
Batch-last copies are shared the same way: a first-order backward lays the gradient out
batch-last once for both of its products.  ConvTranspose2d does not keep the batch-last copy of x
its forward made: its backward reads x itself, as it reads any saved input, so that a write
through ``.data`` between forward and backward is seen (a kept copy would hold the old values); x
coming from a convolution is batch-last already, and laying it out again costs no copy.
"""

from __future__ import annotations

from minigan.engine import backend
from minigan.engine.graph import Node, value

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


def im2col(x_padded, kh: int, kw: int, sh: int, sw: int, dh: int = 1, dw: int = 1):
    """(C, Hp, Wp, N) → cols (C·kh·kw, Ho·Wo·N): column (i, j, n) is the window under output (i, j) of image n.

    cols[c, p, q, i, j, n] = x_padded[c, i·sh + p·dh, j·sw + q·dw, n], read through a strided view
    (dh, dw: the dilation, 1 for a plain kernel).
    """
    xp = backend.get_array_module(x_padded)
    c, hp, wp, n = x_padded.shape
    ho, wo = (hp - dh * (kh - 1) - 1) // sh + 1, (wp - dw * (kw - 1) - 1) // sw + 1
    s_c, s_h, s_w, s_n = x_padded.strides
    windows = xp.lib.stride_tricks.as_strided(
        x_padded, shape=(c, kh, kw, ho, wo, n), strides=(s_c, s_h * dh, s_w * dw, s_h * sh, s_w * sw, s_n)
    )
    return xp.ascontiguousarray(windows).reshape(c * kh * kw, ho * wo * n)


def col2im(cols, padded_shape, kh: int, kw: int, sh: int, sw: int, dh: int = 1, dw: int = 1):
    """The adjoint of ``im2col``: add every column entry back onto the pixel it came from.

    ``cols`` is (C·kh·kw, Ho·Wo·N) and ``padded_shape`` (C, Hp, Wp, N); returns (C, Hp, Wp, N).
    """
    xp = backend.get_array_module(cols)
    c, hp, wp, n = padded_shape
    ho, wo = (hp - dh * (kh - 1) - 1) // sh + 1, (wp - dw * (kw - 1) - 1) // sw + 1
    out = xp.zeros((c, hp, wp, n), dtype=cols.dtype)
    # out[c, p·dh + i·sh, q·dw + j·sw, n] += cols[c, p, q, i, j, n]: all windows at once, overlaps add up
    return backend.add_windows(out, cols.reshape(c, kh, kw, ho, wo, n), (sh, sw), (dh, dw))


# ----------------------------------------------------------------------------- the ops
# Arguments are checked at the door (``minigan.functional.conv2d``...): here stride, padding, dilation and
# output_padding are (h, w) pairs and the shapes fit.


def _batch_last(v):
    """An array as an (N, C, H, W) view of a (C, H, W, N) buffer (copied at most once, so that the
    products that read it batch-last share one copy); a Tensor is left as it is."""
    return from_batch_last(to_batch_last(v)) if backend.is_array(v) else v


def _output_padding(size, out_size, k, s, p, d) -> int:
    """The rows conv2d's floor dropped: what Ct needs to give back ``size`` from ``out_size``."""
    return size + 2 * p - d * (k - 1) - 1 - (out_size - 1) * s


def _grouped_matmul(a, b):
    """The G products a[g] @ b[g] of two stacks, a (G, R, K) and b (G, K, M), one under the other: (G·R, M).
    One group is one plain GEMM (a[0] keeps a transposed view's layout, so BLAS reads it without a copy).
    (Sizes are spelled out, never -1, here and below: an empty batch or channel axis leaves nothing to infer from.)"""
    out = backend.matmul(a[0], b[0]) if a.shape[0] == 1 else backend.matmul(a, b)
    return out.reshape(a.shape[0] * a.shape[1], b.shape[2])


class Conv2d(Node):
    """out[n, o] = Σ_c W[o, c] ⋆ x_pad[n, c] (cross-correlation, kernel unflipped, as deep learning names it) + b[o].

    H_out = ⌊(H + 2·pad_h − dil_h·(kh − 1) − 1) / stride_h⌋ + 1   (likewise W)

    ``cols``: im2col of x for this geometry when the caller already has it (a backward does).
    """

    def forward(self, x, weight, bias=None, stride=(1, 1), padding=(0, 0), dilation=(1, 1), groups=1, cols=None):
        (sh, sw), (ph, pw), (dh, dw) = stride, padding, dilation
        n, c, h, w = x.shape
        o, _, kh, kw = weight.shape
        ho, wo = (h + 2 * ph - dh * (kh - 1) - 1) // sh + 1, (w + 2 * pw - dw * (kw - 1) - 1) // sw + 1
        if cols is None:
            cols = im2col(to_batch_last(x, ph, pw), kh, kw, sh, sw, dh, dw)  # (C·kh·kw, Ho·Wo·N)
        k = c // groups * kh * kw  # one group's rows of cols: its C/G·kh·kw
        out = _grouped_matmul(weight.reshape(groups, o // groups, k), cols.reshape(groups, k, ho * wo * n))
        out = out.reshape(o, ho, wo, n)  # the one GEMM (one per group)
        if bias is not None:
            out += bias.reshape(o, 1, 1, 1)
        if self.needs_input_grad:  # (None when no gradient will be asked for: keep nothing)
            self.save_for_backward(x, weight)  # both (one backward reads either)
            self.kernel, self.stride, self.padding, self.dilation, self.groups = (kh, kw), stride, padding, dilation, \
                groups
            self.output_padding = (_output_padding(h, ho, kh, sh, ph, dh), _output_padding(w, wo, kw, sw, pw, dw))
        return from_batch_last(out)  # (N, O, Ho, Wo), a view of the (O, Ho, Wo, N) product

    def backward(self, grad):  # ∂x = Ct(G, W) (col2im of Wᵀ·G),  ∂W = Cw(x, G) = G·colsᵀ,  ∂b = Σ G
        x, weight = self.saved_tensors
        need = self.needs_input_grad
        grad = _batch_last(grad)  # no copy when G came from conv ops
        geometry = {"dilation": self.dilation, "groups": self.groups}
        dx = dw = db = None
        if need[0]:
            dx = ConvTranspose2d.apply(grad, weight, stride=self.stride, padding=self.padding,
                                       output_padding=self.output_padding, **geometry)
        if need[1]:
            dw = Conv2dWeight.apply(x, grad, kernel_size=self.kernel, stride=self.stride, padding=self.padding,
                                    **geometry)
        if len(need) > 2 and need[2]:
            db = grad.sum(axis=(0, 2, 3))
        return (dx, dw, db) if len(need) > 2 else (dx, dw)


class ConvTranspose2d(Node):
    """The adjoint of Conv2d: out = col2im(Wᵀ·x) (+ b).  Weight (C_in, C_out, kh, kw).

    H_out = (H − 1)·stride_h − 2·pad_h + dil_h·(kh − 1) + 1 + output_padding_h   (likewise W)

    conv2d maps several input sizes to one output size (its floor drops up to stride−1 rows);
    ``output_padding`` (< stride, default 0) picks which one (it adds rows at the bottom and columns at the right).
    With groups, the weight is (C_in, C_out/G, kh, kw), conv2d's own weight read as its adjoint's.
    """

    def forward(self, x, weight, bias=None, stride=(1, 1), padding=(0, 0), output_padding=(0, 0), dilation=(1, 1),
                groups=1):
        (sh, sw), (ph, pw), (oph, opw), (dh, dw) = stride, padding, output_padding, dilation
        n, c_in, h, w = x.shape
        _, c_group, kh, kw = weight.shape
        c_out = c_group * groups
        ho, wo = (h - 1) * sh - 2 * ph + dh * (kh - 1) + 1 + oph, (w - 1) * sw - 2 * pw + dw * (kw - 1) + 1 + opw
        padded_shape = (c_out, ho + 2 * ph, wo + 2 * pw, n)

        x2 = to_batch_last(x).reshape(groups, c_in // groups, h * w * n)  # each group's (C_in/G, H·W·N)
        w_t = weight.reshape(groups, c_in // groups, c_group * kh * kw).transpose(0, 2, 1)  # each group's Wᵀ
        cols = _grouped_matmul(w_t, x2)  # the one GEMM: (C_out·kh·kw, H·W·N)
        out = col2im(cols, padded_shape, kh, kw, sh, sw, dh, dw)  # (C_out, Hp, Wp, N)
        if bias is not None:
            out += bias.reshape(c_out, 1, 1, 1)  # the padding border is cropped away below
        if self.needs_input_grad:
            self.save_for_backward(x, weight)  # both (one backward reads either)
            self.kernel, self.stride, self.padding, self.dilation, self.groups = (kh, kw), stride, padding, dilation, \
                groups
        return from_batch_last(out, ph, pw)

    def backward(self, grad):  # ∂x = C(G, W),  ∂W = Cw(G, x),  ∂b = Σ G: both read im2col(G), made once here
        (x, weight), need = self.saved_tensors, self.needs_input_grad  # (x as it is now: a .data write is read)
        (kh, kw), (sh, sw), (ph, pw) = self.kernel, self.stride, self.padding
        geometry = {"dilation": self.dilation, "groups": self.groups}
        dx = dw = db = None
        if need[0] or need[1]:
            cols = im2col(to_batch_last(value(grad), ph, pw), kh, kw, sh, sw, *self.dilation)  # (C_out·kh·kw, H·W·N)
        if need[0]:
            dx = Conv2d.apply(grad, weight, stride=self.stride, padding=self.padding, cols=cols, **geometry)
        if need[1]:
            dw = Conv2dWeight.apply(grad, x, kernel_size=self.kernel, stride=self.stride, padding=self.padding,
                                    cols=cols, **geometry)
        if len(need) > 2 and need[2]:
            db = grad.sum(axis=(0, 2, 3))
        return (dx, dw, db) if len(need) > 2 else (dx, dw)


class Conv2dWeight(Node):
    """Cw(x, G) = G·im2col(x)ᵀ: conv2d's weight gradient, of shape (O, C, kh, kw), as an op of its own.

    Cw(x, G)[o, c, p, q] = Σ_{n,i,j} G[n, o, i, j] · x_pad[n, c, i·stride_h + p·dil_h, j·stride_w + q·dil_w]

    (with groups, c runs over the C/G channels of o's group).  It is linear in x and in G, so its gradients
    are convolutions again (see the module docstring); ``cols`` is im2col of x when the caller already has it.
    """

    def forward(self, x, g, kernel_size, stride=(1, 1), padding=(0, 0), dilation=(1, 1), groups=1, cols=None):
        (kh, kw), (sh, sw), (ph, pw), (dh, dw) = kernel_size, stride, padding, dilation
        if cols is None:
            cols = im2col(to_batch_last(x, ph, pw), kh, kw, sh, sw, dh, dw)  # (C·kh·kw, Ho·Wo·N)
        o, (rows, m) = g.shape[1], cols.shape
        cols_t = cols.reshape(groups, rows // groups, m).transpose(0, 2, 1)  # each group's colsᵀ
        out = _grouped_matmul(to_batch_last(g).reshape(groups, o // groups, m), cols_t)  # the one GEMM
        need = self.needs_input_grad
        if need:
            self.save_for_backward(x, g)  # both (one backward reads either)
            self.cols = cols if need[1] else None  # reused by ∂G = C(x, H)
            self.stride, self.padding, self.dilation, self.groups = stride, padding, dilation, groups
            self.output_padding = tuple(_output_padding(x.shape[i], g.shape[i], k, s, p, d)
                                        for i, k, s, p, d in ((2, kh, sh, ph, dh), (3, kw, sw, pw, dw)))
        return out.reshape(o, x.shape[1] // groups, kh, kw)

    def backward(self, grad):  # ∂x = Ct(G, H),  ∂G = C(x, H)
        (x, g), need = self.saved_tensors, self.needs_input_grad
        geometry = {"dilation": self.dilation, "groups": self.groups}
        dx = dg = None
        if need[0]:
            dx = ConvTranspose2d.apply(g, grad, stride=self.stride, padding=self.padding,
                                       output_padding=self.output_padding, **geometry)
        if need[1]:
            dg = Conv2d.apply(x, grad, stride=self.stride, padding=self.padding, cols=self.cols, **geometry)
        return dx, dg
