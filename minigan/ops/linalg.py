"""Matrix product with NumPy's ``@`` semantics (2-D, batched with broadcasting, and 1-D), and linear."""

from minigan import backend
from minigan.errors import ShapeError
from minigan.function import Function, unbroadcast


def check_matmul(sa, sb) -> None:
    if len(sa) == 0 or len(sb) == 0:
        raise ShapeError(f"matmul: operands must be at least 1-D, got shapes {sa} and {sb}")
    if sa[-1] != sb[-2 if len(sb) > 1 else 0]:
        raise ShapeError(
            f"matmul: shapes {sa} and {sb} do not fit: the last axis of the first "
            f"({sa[-1]}) must equal the {'second-to-last' if len(sb) > 1 else 'only'} axis of the second"
        )
    batch_a, batch_b = sa[:-2], sb[:-2]  # the stacks of matrices broadcast against each other, as in NumPy
    for m, n in zip(reversed(batch_a), reversed(batch_b)):
        if m != n and m != 1 and n != 1:
            raise ShapeError(f"matmul: shapes {sa} and {sb} do not fit: their batch axes {batch_a} and {batch_b} "
                             "do not broadcast (expected equal sizes, or 1)")


def check_linear(sx, sw, sb) -> None:
    if len(sw) != 2 or len(sx) < 1 or sx[-1] != sw[1]:
        raise ShapeError(
            f"linear: input of shape {sx} does not fit weight of shape {sw}; "
            f"expected input (..., {sw[1] if len(sw) == 2 else 'in'}) and weight (out, in)"
        )
    if sb is not None and sb != (sw[0],):
        raise ShapeError(f"linear: bias has shape {sb}, expected ({sw[0]},)")


class MatMul(Function):
    def forward(self, a, b):
        self.save_for_backward(a, b)
        return backend.matmul(a, b)

    def backward(self, grad):  # d(AB)/dA = G Bᵀ, d(AB)/dB = Aᵀ G  (summed over broadcast batch axes)
        a, b = self.saved_tensors
        ga, gb = self.needs_input_grad
        if a.ndim == 1 and b.ndim == 1:  # inner product: d(a·b)/da = b, d(a·b)/db = a
            return (grad * b if ga else None, grad * a if gb else None)
        # Treat a 1-D operand as a matrix (a row for a, a column for b), as NumPy does.
        a2 = a.reshape(1, -1) if a.ndim == 1 else a
        b2 = b.reshape(-1, 1) if b.ndim == 1 else b
        g = grad
        if a.ndim == 1:
            g = g.reshape(g.shape[:-1] + (1, g.shape[-1]))
        if b.ndim == 1:
            g = g.reshape(g.shape + (1,))
        da = unbroadcast(backend.matmul(g, b2.swapaxes(-1, -2)), a2.shape).reshape(a.shape) if ga else None
        db = unbroadcast(backend.matmul(a2.swapaxes(-1, -2), g), b2.shape).reshape(b.shape) if gb else None
        return da, db


class Linear(Function):
    """y = x Wᵀ + b with W of shape (out, in), as in PyTorch; one fused op instead of three."""

    def forward(self, x, weight, bias=None):
        self.save_for_backward(x, weight)
        out = backend.matmul(x, weight.T)
        if bias is not None:
            out += bias  # in place on a fresh array: saves a copy
        return out

    def backward(self, grad):  # dy/dx = W, dy/dW = xᵀ (per row, summed), dy/db = 1 (summed over rows)
        x, weight = self.saved_tensors
        need = self.needs_input_grad
        g2 = grad.reshape(-1, grad.shape[-1])
        dx = backend.matmul(grad, weight) if need[0] else None
        dw = backend.matmul(g2.T, x.reshape(-1, x.shape[-1])) if need[1] else None
        db = g2.sum(axis=0) if len(need) > 2 and need[2] else None
        return (dx, dw, db) if len(need) > 2 else (dx, dw)
