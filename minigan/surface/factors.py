"""The product of a tensor's entries (``prod``), the running sum (``cumsum``) and log Σ exp (``logsumexp``): ops built
as the engine builds its own (minigan/engine/ops/reduce.py, whose ``_keep`` and ``_shift`` they share), which only the
surface's doors call (minigan/surface/reductions.py, methods.py).
"""

from minigan.engine import backend
from minigan.engine.graph import Node, namespace
from minigan.engine.ops.reduce import _keep, _shift


class Prod(Node):
    """The product of the elements (along one ``axis``, or all).  Its backward is PyTorch's: where no entry of the
    input is 0, the others' product is out / a (so a NaN or ∞ factor's own gradient is NaN, as there); otherwise
    the exclusive products (``_others``), exact at the zeros, and 0 for a whole product with two zeros."""

    def forward(self, a, axis=None, keepdims=False):
        self.axis, self.keepdims = axis, keepdims
        # in a's own dtype (the door chose it): NumPy would widen an int32 product to int64
        out = a.prod(axis=axis, keepdims=keepdims, dtype=a.dtype)
        if self.needs_input_grad:
            self.zeros = int((a == 0).sum())  # (PyTorch chooses its formula by the whole input, too)
            self.save_for_backward(a, out)
        return out

    def backward(self, grad):  # d(Π a)/da_i = Π_{j≠i} a_j
        a, out = self.saved_tensors
        grad, out = (_keep(v, a.shape, self.axis, self.keepdims) for v in (grad, out))
        if not self.zeros:
            return (grad * (out / a),)
        if self.axis is None and self.zeros > 1 and isinstance(a, backend.PLAIN_TYPES):
            return (namespace(a).zeros_like(a),)  # PyTorch's first-order shortcut: every product has a 0 factor
        flat = self.axis is None
        return (grad * _others(a.reshape(-1) if flat else a, 0 if flat else self.axis).reshape(a.shape),)


def _others(a, axis):
    """Π_{j≠i} a_j along ``axis`` for each i: the running products from the left times those from the right; under
    create_graph, the product of each row of a with a_i set to 1 (n² values, which Prod differentiates again)."""
    if isinstance(a, backend.PLAIN_TYPES):
        xp, b = backend.get_array_module(a), backend.get_array_module(a).moveaxis(a, axis, -1)
        left, right = xp.ones_like(b), xp.ones_like(b)
        left[..., 1:] = xp.cumprod(b[..., :-1], axis=-1)  # a_0 · … · a_{i−1}
        right[..., :-1] = xp.cumprod(b[..., :0:-1], axis=-1)[..., ::-1]  # a_{i+1} · … · a_{n−1}
        return xp.moveaxis(left * right, -1, axis)
    n, shape = a.shape[axis], a.shape
    if n == 1:  # a lone factor's others: none (a constant 1, as PyTorch's, whose gradient of it then has no graph)
        return backend.get_array_module(a.array).ones_like(a.array)
    eye = backend.get_array_module(a.array).eye(n, dtype=bool).reshape((n, n) + (1,) * (len(shape) - axis - 1))
    rows = namespace(a).where(eye, 1, a.reshape(shape[:axis] + (1,) + shape[axis:]))  # row i: a, a_i set to 1
    return Prod.apply(rows, axis=axis + 1)


class CumSum(Node):
    """Running sums along ``axis``; with ``reverse``, from the end (the adjoint: each is the other's backward)."""

    def forward(self, x, axis, reverse=False):
        self.axis, self.reverse = axis, reverse
        xp = backend.get_array_module(x)
        total = xp.cumsum(x if not reverse else xp.flip(x, axis), axis=axis, dtype=x.dtype)  # (x's dtype, as sum's)
        return backend.c_order(total if not reverse else xp.flip(total, axis))

    def backward(self, grad):  # out_i = Σ_{k≤i} x_k, so dL/dx_k = Σ_{i≥k} dL/dout_i: the running sum from the end
        return (CumSum.apply(grad, axis=self.axis, reverse=not self.reverse),)


def _squeezed(shape, axis):
    axes = range(len(shape)) if axis is None else axis if isinstance(axis, tuple) else (axis,)
    return tuple(n for i, n in enumerate(shape) if i not in axes)


class LogSumExp(Node):
    def forward(self, x, axis=None, keepdims=False):
        xp = backend.get_array_module(x)
        self.in_shape, self.axis, self.keepdims = x.shape, axis, keepdims
        m = _shift(x, axis)
        m = xp.where(xp.isfinite(m), m, 0)  # all −inf rows: shift by 0, the result is −inf
        with backend.np.errstate(divide="ignore"):  # log 0 = −inf: the sum of nothing, or of e^(−inf)
            out = m + xp.log(xp.exp(x - m).sum(axis=axis, keepdims=True))
        out = out if keepdims else out.reshape(_squeezed(x.shape, axis))
        self.save_for_backward(x, out)
        return out

    def backward(self, grad):  # d logΣe^x / dx_i = e^(x_i − lse) = softmax(x)_i
        x, out = self.saved_tensors
        keep = (grad, out)
        grad, out = (_keep(v, self.in_shape, self.axis, self.keepdims) for v in keep)
        return (grad * namespace(grad).exp(x - out),)
