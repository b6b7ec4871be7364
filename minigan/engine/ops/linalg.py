"""Matrix product with NumPy's ``@`` semantics (2-D, batched with broadcasting, and 1-D), scaled, and linear."""

from minigan.engine import backend
from minigan.engine.graph import KERNELS, Node, unbroadcast


class MatMul(Node):
    def forward(self, a, b):
        need = self.needs_input_grad or (False, False)
        self.save_for_backward(a if need[1] else None, b if need[0] else None)  # what each gradient needs
        self.shapes = (a.shape, b.shape)
        return backend.matmul(a, b)

    def backward(self, grad):  # d(AB)/dA = G Bᵀ, d(AB)/dB = Aᵀ G  (summed over broadcast batch axes)
        a, b = self.saved_tensors  # each None when only the other's gradient is needed
        (a_shape, b_shape), (need_a, need_b) = self.shapes, self.needs_input_grad
        if len(a_shape) == 1 and len(b_shape) == 1:  # inner product: d(a·b)/da = b, d(a·b)/db = a
            return (grad * b if need_a else None, grad * a if need_b else None)
        # Treat a 1-D operand as a matrix (a row for a, a column for b), as NumPy does.
        a2_shape = (1,) + a_shape if len(a_shape) == 1 else a_shape
        b2_shape = b_shape + (1,) if len(b_shape) == 1 else b_shape
        g = grad.reshape(grad.shape[:-1] + (1, grad.shape[-1])) if len(a_shape) == 1 else grad
        g = g.reshape(g.shape + (1,)) if len(b_shape) == 1 else g
        da = db = None
        if need_a:
            da = unbroadcast(backend.matmul(g, b.reshape(b2_shape).swapaxes(-1, -2)), a2_shape).reshape(a_shape)
        if need_b:
            db = unbroadcast(backend.matmul(a.reshape(a2_shape).swapaxes(-1, -2), g), b2_shape).reshape(b_shape)
        return da, db


class ScaledMatMul(MatMul):
    """alpha·(a @ b): BLAS's gemm without its β·C (addmm and its kin add β·input as an elementwise op)."""

    @staticmethod
    def scale(out, a, b, alpha, blas):  # α·(AB) from out = AB: the sum scaled (a library's kernels, its row of
        return out * alpha  # KERNELS, may scale each term instead, as BLAS's gemm does; blas names the routine)

    def forward(self, a, b, alpha, blas=None):
        self.alpha = alpha  # (a constant of the backward, as MatMul's shapes)
        return KERNELS.get(type(self), self).scale(super().forward(a, b), a, b, alpha, blas)

    def backward(self, grad):  # d(α·AB)/dA = (G Bᵀ)·α, d(α·AB)/dB = (Aᵀ G)·α: contracted, then scaled
        return tuple(None if g is None else g * self.alpha for g in super().backward(grad))


class Linear(Node):
    """y = x Wᵀ + b with W of shape (out, in); one fused op instead of three."""

    def forward(self, x, weight, bias=None):
        need = self.needs_input_grad or (False, False)
        self.save_for_backward(x if need[1] else None, weight if need[0] else None)  # what each gradient needs
        out = backend.matmul(x, weight.T)
        if bias is not None:
            out += bias  # in place on a fresh array: saves a copy
        return out

    def backward(self, grad):  # dy/dx = W, dy/dW = xᵀ (per row, summed), dy/db = 1 (summed over rows)
        (x, weight), need = self.saved_tensors, self.needs_input_grad
        g2 = grad.reshape(-1, grad.shape[-1])
        dx = backend.matmul(grad, weight) if need[0] else None
        dw = backend.matmul(g2.T, x.reshape(-1, x.shape[-1])) if need[1] else None
        db = g2.sum(axis=0) if len(need) > 2 and need[2] else None
        return (dx, dw, db) if len(need) > 2 else (dx, dw)
