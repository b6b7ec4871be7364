"""Matrix product with NumPy's ``@`` semantics (2-D, batched with broadcasting, and 1-D), linear, and einsum."""

from minigan.engine import backend
from minigan.engine.graph import Node, namespace, select, unbroadcast, value


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
        g = grad
        if len(a_shape) == 1:
            g = g.reshape(g.shape[:-1] + (1, g.shape[-1]))
        if len(b_shape) == 1:
            g = g.reshape(g.shape + (1,))
        da = db = None
        if need_a:
            da = unbroadcast(backend.matmul(g, b.reshape(b2_shape).swapaxes(-1, -2)), a2_shape).reshape(a_shape)
        if need_b:
            db = unbroadcast(backend.matmul(a.reshape(a2_shape).swapaxes(-1, -2), g), b2_shape).reshape(b_shape)
        return da, db


class Linear(Node):
    """y = x Wᵀ + b with W of shape (out, in), as in PyTorch; one fused op instead of three."""

    def forward(self, x, weight, bias=None):
        need = self.needs_input_grad or (False, False)
        self.save_for_backward(x if need[1] else None, weight if need[0] else None)  # what each gradient needs
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


class Einsum(Node):
    """NumPy's einsum over subscripts of single letters (``subscripts``: one string per operand, ``output``; the door
    has written any ``...`` as letters).  The gradient to each operand is another einsum: the output's gradient
    and the other operands, contracted back to that operand's letters.  A result NumPy gives as a view of the one
    operand ('ij->ji', 'ii->i') is a view of it, as PyTorch's einsum returns (a permute or a diagonal)."""

    is_view = True

    def forward(self, *operands, subscripts, output):
        self.subscripts, self.output, self.shapes = subscripts, output, [a.shape for a in operands]
        need = self.needs_input_grad or (False,) * len(operands)  # operand j is read by the others' gradients only
        self.save_for_backward(*[a if True in need[:j] + need[j + 1:] else None for j, a in enumerate(operands)])
        return backend.get_array_module(*operands).einsum(",".join(subscripts) + "->" + output, *operands)

    def backward(self, grad):  # d(Σ Π A_k)/dA_k = the same sum over the other factors, with grad for the output
        saved, grads = self.saved_tensors, []
        for k, need in enumerate(self.needs_input_grad):
            if not need:
                grads.append(None)
                continue
            letters, shape = self.subscripts[k], self.shapes[k]
            others = [j for j in range(len(self.subscripts)) if j != k]
            unique = "".join(dict.fromkeys(letters))  # each letter once, in the order of first appearance
            reached = set(self.output).union(*(self.subscripts[j] for j in others))
            g = Einsum.apply(grad, *(saved[j] for j in others), output="".join(c for c in unique if c in reached),
                             subscripts=(self.output, *(self.subscripts[j] for j in others)))
            # A letter only this operand had was summed over: its gradient is the same all along it (a size-1
            # axis here, broadcast below, as is one the other operands had at size 1); where this operand's size-1
            # axis was broadcast against the others, its gradient sums over that axis.
            size, sizes = dict(zip(letters, shape)), iter(g.shape)
            kept = tuple(next(sizes) if c in reached else 1 for c in unique)
            g = unbroadcast(g.reshape(kept), tuple(min(k, size[c]) for k, c in zip(kept, unique)))
            summed = dict(zip(unique, g.shape))
            first = tuple(summed[c] if letters.index(c) == i else 1 for i, c in enumerate(letters))
            g = namespace(g).broadcast_to(g.reshape(first), shape)
            if len(unique) < len(letters):  # a repeated letter read a diagonal: the gradient goes there, 0 elsewhere
                g = select(_diagonal_mask(letters, shape, backend.get_array_module(value(grad))), g)
            grads.append(g)
        return tuple(grads)


def _diagonal_mask(letters, shape, xp):
    """True where every repeated letter's positions hold equal indices (the entries an einsum like 'ii' reads)."""
    mask = xp.ones(shape, dtype=bool)
    for i, c in enumerate(letters):
        j = letters.index(c)
        if j < i:  # a later appearance of c: its index must equal the first one's
            index = [xp.arange(n).reshape([n if a == axis else 1 for a in range(len(shape))])
                     for axis, n in ((j, shape[j]), (i, shape[i]))]
            mask &= index[0] == index[1]
    return mask
