"""Matrix product with NumPy's ``@`` semantics (2-D, batched with broadcasting, and 1-D)."""

from minigan.errors import ShapeError
from minigan.function import Function, unbroadcast


class MatMul(Function):
    def forward(self, a, b):
        if a.ndim == 0 or b.ndim == 0:
            raise ShapeError(f"matmul: operands must be at least 1-D, got shapes {a.shape} and {b.shape}")
        if a.shape[-1] != b.shape[-2 if b.ndim > 1 else 0]:
            raise ShapeError(
                f"matmul: shapes {a.shape} and {b.shape} do not fit: the last axis of the first "
                f"({a.shape[-1]}) must equal the {'second-to-last' if b.ndim > 1 else 'only'} axis of the second"
            )
        self.saved = (a, b)
        return a @ b

    def backward(self, grad):  # d(AB)/dA = G Bᵀ, d(AB)/dB = Aᵀ G  (summed over broadcast batch axes)
        a, b = self.saved
        ga, gb = self.needs_input_grad
        if a.ndim == 1 and b.ndim == 1:  # inner product: d(a·b)/da = b, d(a·b)/db = a
            return (grad * b if ga else None, grad * a if gb else None)
        # Treat a 1-D operand as a matrix (a row for a, a column for b), as NumPy does.
        a2 = a[None, :] if a.ndim == 1 else a
        b2 = b[:, None] if b.ndim == 1 else b
        g = grad
        if a.ndim == 1:
            g = g[..., None, :]
        if b.ndim == 1:
            g = g[..., None]
        da = unbroadcast(g @ b2.swapaxes(-1, -2), a2.shape).reshape(a.shape) if ga else None
        db = unbroadcast(a2.swapaxes(-1, -2) @ g, b2.shape).reshape(b.shape) if gb else None
        return da, db


class Linear(Function):
    """y = x Wᵀ + b with W of shape (out, in), as in PyTorch; one fused op instead of three."""

    def forward(self, x, weight, bias=None):
        if weight.ndim != 2 or x.ndim < 1 or x.shape[-1] != weight.shape[1]:
            raise ShapeError(
                f"linear: input of shape {x.shape} does not fit weight of shape {weight.shape}; "
                f"expected input (..., {weight.shape[1] if weight.ndim == 2 else 'in'}) and weight (out, in)"
            )
        if bias is not None and bias.shape != (weight.shape[0],):
            raise ShapeError(f"linear: bias has shape {bias.shape}, expected ({weight.shape[0]},)")
        self.saved = (x, weight)
        out = x @ weight.T
        if bias is not None:
            out += bias  # in place on a fresh array: saves a copy
        return out

    def backward(self, grad):  # dy/dx = W, dy/dW = xᵀ (per row, summed), dy/db = 1 (summed over rows)
        x, weight = self.saved
        need = self.needs_input_grad
        g2 = grad.reshape(-1, grad.shape[-1])
        dx = grad @ weight if need[0] else None
        dw = g2.T @ x.reshape(-1, x.shape[-1]) if need[1] else None
        db = g2.sum(axis=0) if len(need) > 2 and need[2] else None
        return (dx, dw, db) if len(need) > 2 else (dx, dw)
