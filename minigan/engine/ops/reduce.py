"""Reductions: sum, mean, max, the 2-norm, and the softmax pair.

``axis`` follows NumPy: None (all axes), an int, or a tuple of ints; ``keepdims`` too.
Backward first restores the reduced axes as size 1 (``_keep``) and then broadcasts.
"""

from minigan.engine import backend
from minigan.engine.graph import Node, namespace, select, value


def _keep(grad, in_shape, axis, keepdims):
    """Reshape a reduced gradient so it broadcasts against the input (size-1 reduced axes)."""
    if axis is None and grad.ndim == 0 or not in_shape:  # every entry reduced (or a 0-d input, NumPy taking axis 0
        return grad.reshape(())  # or -1 for it): a scalar, which broadcasts as it is
    if keepdims:
        return grad if grad.ndim == len(in_shape) else grad.reshape((1,) * len(in_shape))
    axes = range(len(in_shape)) if axis is None else (axis if isinstance(axis, tuple) else (axis,))
    shape = list(in_shape)
    for a in axes:
        shape[a] = 1
    return grad.reshape(shape)


class Sum(Node):
    def forward(self, x, axis=None, keepdims=False):
        self.in_shape, self.axis, self.keepdims = x.shape, axis, keepdims
        return x.sum(axis=axis, keepdims=keepdims, dtype=x.dtype)  # (x's dtype: NumPy would widen an int32 sum)

    def backward(self, grad):  # d(Σx)/dx_i = 1
        return (namespace(grad).broadcast_to(_keep(grad, self.in_shape, self.axis, self.keepdims), self.in_shape),)


class Mean(Node):
    def forward(self, x, axis=None, keepdims=False):
        self.in_shape, self.axis, self.keepdims = x.shape, axis, keepdims
        # the mean of nothing is NaN, without NumPy's "mean of empty slice" warning; a NaN of x's
        # floating dtype, since NumPy 1.x made a 0-d float32 sum plus a Python NaN a float64
        nan = x.dtype.type("nan") if x.dtype.kind in "fc" else float("nan")
        out = x.mean(axis=axis, keepdims=keepdims) if x.size else x.sum(axis=axis, keepdims=keepdims) + nan
        self.count = max(x.size // max(out.size, 1), 1) if x.size else 1
        return out

    def backward(self, grad):  # d(mean x)/dx_i = 1/n
        g = _keep(grad, self.in_shape, self.axis, self.keepdims) / grad.dtype.type(self.count)
        return (namespace(grad).broadcast_to(g, self.in_shape),)


class Max(Node):
    """The largest element over ``axis`` (the smallest with ``smallest``); ties share its gradient equally.  The
    gradient is SELECTED at the maxima (0 elsewhere, even for an ∞ gradient), as PyTorch's max(); ``amax=True``
    multiplies by the mask instead, as its amax does (an ∞ gradient gives NaN off the maxima there too).  The
    maxima are found in backward from the saved input and result (a write through
    .data since is seen)."""

    def forward(self, x, axis=None, keepdims=False, amax=False, smallest=False):
        self.in_shape, self.axis, self.keepdims, self.amax = x.shape, axis, keepdims, amax
        out = (x.min if smallest else x.max)(axis=axis, keepdims=keepdims)
        self.save_for_backward(x, out)
        return out

    def backward(self, grad):  # d max/dx_i = 1 at the maximum (shared equally between ties), else 0
        x, out = (value(t) for t in self.saved_tensors)
        # the maxima, a constant (max() counts a NaN as a maximum; amax's mask is x == out, which no NaN
        # meets): 1/(number of ties) there, 0 elsewhere (0/0 = NaN in a slice with none)
        mask = (x == _keep(out, self.in_shape, self.axis, self.keepdims)) | ((x != x) & (not self.amax))
        share = (mask / mask.sum(self.axis, keepdims=True)).astype(x.dtype)
        g = _keep(grad, self.in_shape, self.axis, self.keepdims) * share
        return (g if self.amax else select(mask, g),)


class Norm2(Node):
    def forward(self, x, axis=None, keepdims=False):
        self.in_shape, self.axis, self.keepdims = x.shape, axis, keepdims
        out = backend.get_array_module(x).sqrt((x * x).sum(axis=axis, keepdims=keepdims))
        self.save_for_backward(x, out)
        self.zero = _keep(out == 0, x.shape, axis, keepdims)  # a constant mask: where ‖x‖ = 0
        return out

    def backward(self, grad):  # d‖x‖/dx_i = x_i / ‖x‖, taken as 0 where ‖x‖ = 0 (a subgradient)
        x, out = self.saved_tensors
        grad, out = (_keep(v, self.in_shape, self.axis, self.keepdims) for v in (grad, out))
        return (grad * namespace(grad).where(self.zero, 0, x / out),)  # (x / 0, masked: a second order there is
        # 0 / 0 = NaN: the masked branch is still differentiated)


def _shift(x, axis):
    """The max over ``axis`` (kept as size 1), subtracted before exp so that it cannot overflow;
    an empty tensor has no max and needs no shift (its softmax is empty)."""
    return x.max(axis=axis, keepdims=True) if x.size else x.dtype.type(0)


class Softmax(Node):
    def forward(self, x, axis=-1):
        xp = backend.get_array_module(x)
        e = xp.exp(x - _shift(x, axis))
        s = e / e.sum(axis=axis, keepdims=True)
        self.save_for_backward(s)
        self.axis = axis
        return s

    def backward(self, grad):  # ds_i/dx_j = s_i(δ_ij − s_j)  ⇒  dx = s ⊙ (g − Σ g⊙s)
        (s,) = self.saved_tensors
        return (s * (grad - (grad * s).sum(axis=self.axis, keepdims=True)),)


class LogSoftmax(Node):
    def forward(self, x, axis=-1):
        xp = backend.get_array_module(x)
        shifted = x - _shift(x, axis)
        with backend.np.errstate(divide="ignore"):
            out = shifted - xp.log(xp.exp(shifted).sum(axis=axis, keepdims=True))
        self.save_for_backward(out)
        self.axis = axis
        return out

    def backward(self, grad):  # d(x_i − lse)/dx_j = δ_ij − softmax_j  ⇒  dx = g − softmax · Σg
        (out,) = self.saved_tensors
        return (grad - namespace(grad).exp(out) * grad.sum(axis=self.axis, keepdims=True),)
