"""The norms, behind every door that computes one: ``torch.norm`` and ``Tensor.norm``, ``linalg.norm``,
``linalg.vector_norm`` and ``linalg.matrix_norm``, ``dist``, ``F.normalize`` and ``F.pairwise_distance``.  Each door
hands its arguments here, so all take the orders PyTorch's take and refuse what PyTorch's refuse.

PyTorch's dispatch, which these functions follow:
- a vector norm takes every real order p: (Σ|x|^p)^(1/p) for p ≠ 0 (negative p too), the largest |x| for ∞, the
  smallest for −∞, and for p = 0 the number of entries that are not 0;
- a matrix norm takes "fro", "nuc" (the sum of the singular values), 2 / −2 (the largest / smallest singular value),
  1 / −1 (the largest / smallest column sum of |a|) and ∞ / −∞ (the same over rows);
- ``torch.norm``: a number (None is 2) is a vector norm over ``dim`` (every entry when None); "fro" over at most two
  dims is the vector 2-norm; "nuc", or "fro" over more dims, is a matrix norm over ``dim`` (all dims when None);
- ``linalg.norm``: a string order, or a number with two dims (or none, of a matrix), is a matrix norm; anything
  else a vector norm (the 2-norm when ord is None).
"""

from __future__ import annotations

import math

from minigan.engine import backend, checks
from minigan.engine.errors import DomainError, DtypeError, ShapeError
from minigan.engine.graph import Node, namespace, unbroadcast, value
from minigan.engine.ops.activation import Step
from minigan.engine.ops.reduce import Norm2
from minigan.surface.no_derivative import no_derivative
from minigan.surface.operands import _t
from minigan.surface.reductions import widened
from minigan.surface.saved import saves
from minigan.surface.svd import svdvals


def _floating(x, fn):
    """PyTorch's norms take floating (and complex) tensors only: an integer or bool one is refused, not converted."""
    if x.dtype.kind != "f":
        raise DtypeError(f"{fn}: expected a floating point tensor as input, got {x.dtype}; convert it with .double() "
                         "or .float()")


def _order(ord, fn):
    """A number as PyTorch's Scalar takes one (an int, a float, a bool, a NumPy scalar), as a float."""
    if isinstance(ord, str) or not (checks.is_number(ord) or isinstance(ord, (bool, backend.np.bool_))):
        raise TypeError(f"{fn}: ord must be a number (inf for the largest |x|), got {ord!r}")
    return float(ord)


def _dims(dim):
    """``dim`` as a list (an int is one dim), or None for every dim: PyTorch's norms read an empty list as None."""
    if dim is None or isinstance(dim, (tuple, list)) and not dim:
        return None
    return [dim] if checks.is_integer(dim) else list(dim)


def vector_norm(input, ord=2, dim=None, keepdim=False, *, dtype=None):
    """(Σ|x|^ord)^(1/ord) over ``dim`` (every entry when None), for every real ord: inf is the largest |x|, -inf the
    smallest, 0 the number of entries that are not 0."""
    fn = "linalg.vector_norm"
    x, ord = _t(input, fn), _order(ord, fn)
    _floating(x, fn)
    dims = _dims(dim)
    axes = None if dims is None else checks.normalize_axis(tuple(dims), x.ndim, fn)
    out = _vector_norm(widened(x, dtype, fn), ord, axes, keepdim, dim, fn)
    return saves(out, x, out)  # (PyTorch's node saves its input and its result, for every order)


def _vector_norm(x, ord, axes, keepdim, dim, fn):
    """The norm of ``x`` (in the dtype asked) by its order: which node computes it."""
    if ord < 0 or math.isinf(ord):  # a max, a min or a sum of |x|^p with p < 0 over nothing has no value
        sizes = x.shape if axes is None else [x.shape[a] for a in axes]
        if 0 in sizes:
            raise ShapeError(f"{fn}: cannot compute the {ord:g} norm over an empty dimension (shape "
                             f"{tuple(x.shape)}, dim={dim!r}): it has no identity; use ord >= 0")
    if ord == 0:
        return NonzeroCount.apply(x, axes=axes, keepdim=keepdim)
    if math.isinf(ord):
        return InfNorm.apply(x, largest=ord > 0, axes=axes, keepdim=keepdim)
    if ord == 2:  # the engine's 2-norm, an op of its own: its gradient at 0 is 0 (as PyTorch's), where √(Σx²) of
        return Norm2.apply(x, axis=axes, keepdims=keepdim)  # sqrt and sum would give 0·∞ = NaN
    if ord == 1:
        return x.abs().sum(axis=axes, keepdims=keepdim)
    return VectorNorm.apply(x, p=ord, axes=axes, keepdim=keepdim, summed=x.ndim == 0 and _dims(dim) is not None)


class InfNorm(Node):
    """The largest |x| over ``axes`` (the ∞-norm), or the smallest (−∞), NaN where an entry is NaN.  Its derivative
    is PyTorch's norm_backward for p = ±∞: sgn(x) times the gradient shared evenly among the entries that reach the
    norm or are NaN (a product), so a NaN entry, whose sgn is 0, gets 0, and so does every other.  As PyTorch's node,
    it reads x when backward runs (a write through .data is seen) and the norm forward found.  Under create_graph
    sgn(x) is read from x (a step of x, derivative 0), as PyTorch's formula reads it: the gradient requires grad."""

    def forward(self, x, largest, axes, keepdim, shared=True):
        xp, a = backend.get_array_module(x), backend.get_array_module(x).abs(x)
        out = a.max(axis=axes, keepdims=True) if largest else a.min(axis=axes, keepdims=True)
        self.norm, self.axes, self.shared = out, axes, shared  # (the norm: PyTorch's saved result)
        self.save_for_backward(x)
        return backend.c_order(out if keepdim else xp.squeeze(out, axis=axes))  # (row-major, as PyTorch's result)

    def backward(self, grad):  # d‖x‖_∞/dx = sgn(x)·[|x| = ‖x‖ or NaN] / (how many are)
        (x,) = self.saved_tensors
        v, out = value(x), self.norm
        xp, a = backend.get_array_module(v), backend.get_array_module(v).abs(v)
        with backend.np.errstate(invalid="ignore", divide="ignore"):  # (none left at the norm: 0/0, as PyTorch's)
            if self.shared:  # the entries at the norm, and the NaN ones (PyTorch's mask), sharing the gradient
                mask = (a == out) | (a != a)
                weight = mask / mask.sum(axis=self.axes, keepdims=True).astype(v.dtype)
            else:  # cdist's backward: each entry at the norm gets the whole gradient, NaN at an ∞ one (∞ − ∞)
                weight = 1 - xp.minimum(1, xp.ceil(xp.abs(a - out)))
            if backend.is_array(grad):  # sgn(x), 0 at NaN as PyTorch's
                return (grad.reshape(out.shape) * (((v > 0).astype(v.dtype) - (v < 0).astype(v.dtype)) * weight),)
            return (grad.reshape(out.shape) * (Step.apply(x) - Step.apply(-x)) * weight,)


class NonzeroCount(Node):
    """The "0-norm": how many entries are not 0, in x's dtype.  Not a norm, and a step function of x: PyTorch's
    result is in the graph (it requires grad) and its backward gives no gradient at all (x.grad stays None)."""

    def forward(self, x, axes, keepdim):
        return backend.c_order(backend.get_array_module(x).asarray((x != 0).sum(axis=axes, keepdims=keepdim),
                                                                    dtype=x.dtype))

    def backward(self, grad):  # no gradient (PyTorch's: an undefined one, not zeros)
        return (None,)


class VectorNorm(Node):
    """(Σ|x|^p)^(1/p) over ``axes`` for every other p (negative, fractional, NaN), with PyTorch's derivative
    (norm_backward) written out, so that where it is a convention (x = 0, a norm of 0) the gradients of every
    order agree too: ∂‖x‖/∂x = sgn(x)·|x|^(p−1)·‖x‖^(1−p), read as 0 at x = 0 for p < 1 (|x|^(p−1) = ∞ there)
    and as 0 where ‖x‖ = 0 for p ≥ 1.  For p < 0 an entry at 0 makes Σ|x|^p = ∞ and the norm 0."""

    def forward(self, x, p, axes, keepdim, summed=False):
        xp = backend.get_array_module(x)
        self.p, self.shape = p, tuple(1 if axes is None or i in axes else n for i, n in enumerate(x.shape))
        if x.size == math.prod(self.shape) and not summed:  # one entry per norm: |x|, for every p (NaN too), as
            # PyTorch's (but a 0-d x given a dim goes through its sum of powers: NaN for p NaN)
            out = xp.asarray(xp.abs(x).sum(axis=axes, keepdims=keepdim), dtype=x.dtype)
        else:
            with backend.np.errstate(divide="ignore", over="ignore", invalid="ignore"):  # (|0|^p = ∞ for p < 0)
                total = (xp.abs(x) ** p).sum(axis=axes, keepdims=keepdim)
                out = xp.asarray(xp.where(total == 0, 0, total ** (1 / p)), dtype=x.dtype)  # (a sum of nothing: 0)
        out = backend.c_order(out)  # PyTorch allocates the result row-major, whatever x's layout (NumPy keeps x's)
        self.save_for_backward(x, out)
        return out

    def backward(self, grad):  # d‖x‖_p/dx = sgn(x)·|x|^(p−1)·‖x‖^(1−p)
        return (norm_backward(grad, *self.saved_tensors, self.p, self.shape),)


def norm_backward(grad, x, out, p, shape):
    """PyTorch's norm_backward for a finite p other than 0 (VectorNorm's, Dist's): the gradient of the norm ``out``
    of ``x`` (kept over ``shape``), arrays at first order, Tensors under create_graph."""
    xp, v, n = namespace(grad), value(x), value(out).reshape(shape)
    sign = (v > 0).astype(v.dtype) - (v < 0).astype(v.dtype)  # sgn(x), 0 at NaN as PyTorch's: a step, constant
    grad, out = grad.reshape(shape), out.reshape(shape)
    # |x|^(p−1) is read at x = 0 too, as PyTorch's: ∞ there for p < 1 (the where below makes the term 0), and a
    # second derivative at x = 0 is 0·∞ = NaN for p < 2 (the power's own |x|^(p−2)), PyTorch's value
    with backend.np.errstate(divide="ignore", invalid="ignore"):
        term = sign * (x * sign) ** (p - 1)  # sgn(x)·|x|^(p−1)
        term = xp.where(v != 0, term, 0) if p < 1 else term  # (p < 1: 0·∞ at x = 0, read as 0)
        if p < 1:  # (‖x‖^(1−p) is 0 at a norm of 0, read as it is: its own derivative there is 0 to the power −p,
            return term * grad * out ** (1 - p)  # ∞ for 0 < p < 1, and 0·∞ = NaN at the next order, as PyTorch's)
        return term * xp.where(n != 0, grad / out ** (p - 1), 0)  # a norm of 0: 0 (PyTorch's masked_fill of
    # grad/0, read as it is: differentiated in the upstream gradient there it is 0/0 = NaN, as PyTorch's)


class Dist(Node):
    """‖x − y‖_p over every entry (x and y broadcast, one dtype), for a finite p > 1, as PyTorch's dist: one node
    that saves x, y and its result, whose backward is norm_backward of x − y taken when it runs (a write through
    .data is seen) and of the norm forward found; for p = 2 PyTorch's (x − y)/‖x − y‖, 0 (NaN at higher orders)
    where the norm is 0."""

    def forward(self, x, y, p):
        xp, d = backend.get_array_module(x), x - y
        self.p, self.shapes = p, (x.shape, y.shape)
        with backend.np.errstate(divide="ignore", over="ignore", invalid="ignore"):
            out = xp.sqrt((d * d).sum()) if p == 2 else (xp.abs(d) ** p).sum() ** (1 / p) if d.size else 0
            out = xp.asarray(out, dtype=d.dtype)
        self.save_for_backward(x, y, out)
        return out

    def backward(self, grad):  # d‖x − y‖/dx = norm_backward(x − y), d/dy = its negative
        x, y, out = self.saved_tensors
        with backend.np.errstate(invalid="ignore", over="ignore"):
            d = x - y
            g = grad * namespace(grad).where(value(out) != 0, d / out, 0) if self.p == 2 else \
                norm_backward(grad, d, out, self.p, (1,) * d.ndim)
        return unbroadcast(g, self.shapes[0]), unbroadcast(-g, self.shapes[1]) if self.needs_input_grad[1] else None


def matrix_norm(input, ord="fro", dim=(-2, -1), keepdim=False, *, dtype=None):
    """A norm of the matrices on the two axes ``dim``: "fro" (√Σa²), "nuc" (Σσ), 2 / -2 (the largest / smallest
    singular value σ), 1 / -1 (the largest / smallest column sum of |a|), inf / -inf (the same over rows)."""
    fn = "linalg.matrix_norm"
    A = _t(input, fn)
    if not isinstance(ord, str):  # (the order first, as PyTorch's)
        ord = _order(ord, fn)
    if ord not in ("fro", "nuc", 1, -1, 2, -2, math.inf, -math.inf):
        raise DomainError(f"{fn}: ord must be 'fro', 'nuc', 2, -2, 1, -1, inf or -inf, got {ord!r}")
    if A.ndim < 2:
        raise ShapeError(f"{fn}: the input must have at least 2 dimensions (a matrix or a batch of them), got shape "
                         f"{tuple(A.shape)}")
    _floating(A, fn)
    if not (isinstance(dim, (tuple, list)) and len(dim) == 2):
        raise ShapeError(f"{fn}: dim must be a pair of dims (the matrices' rows and columns), got {dim!r}")
    rows, cols = (checks.normalize_axis(d, A.ndim, fn) for d in dim)
    if rows == cols:
        raise ShapeError(f"{fn}: the two dims must be different, got {dim!r}")
    A = widened(A, dtype, fn)
    if ord == "fro":
        return vector_norm(A, 2, (rows, cols), keepdim)
    if ord in ("nuc", 2, -2):  # the singular values, of matrices moved to the last two axes
        sigma = svdvals(A.movedim((rows, cols), (-2, -1)))
        out = sigma.sum(-1) if ord == "nuc" else _largest(sigma, -1, False) if ord == 2 else sigma.amin(-1)
        return out.unsqueeze(-1).unsqueeze(-1).movedim((-2, -1), (rows, cols)) if keepdim else out
    summed, other = (rows, cols) if ord in (1, -1) else (cols, rows)  # 1: down each column; inf: along each row
    sums = A.abs().sum(summed, keepdim=True)
    out = _largest(sums, other, True) if ord > 0 else sums.amin(other, keepdim=True)
    return out if keepdim else out.squeeze(max(rows, cols)).squeeze(min(rows, cols))


def _largest(t, dim, keepdim):
    """The largest of values ≥ 0 along ``dim``, and over none a constant 0 (no gradient), as PyTorch's matrix norms
    give for an empty matrix (the smallest over none has no value: amin refuses it, IndexError, as PyTorch's)."""
    return t.amax(dim, keepdim) if t.shape[dim] else t.sum(dim, keepdim=keepdim).detach()


def linalg_norm(input, ord=None, dim=None, keepdim=False, *, dtype=None):
    """``linalg.norm``: a matrix norm for a string ord, or a number with two dims (or none, of a matrix); else a
    vector norm (the 2-norm when ord is None)."""
    A, dims = _t(input, "linalg.norm"), _dims(dim)
    if dim is not None and len(dims or ()) not in (1, 2):
        raise ShapeError(f"linalg.norm: dim must be one dim or two, got {dim!r}")
    if dim is None and ord is not None and A.ndim not in (1, 2):
        raise ShapeError(f"linalg.norm: with ord and no dim the input must be 1-D or 2-D, got shape {tuple(A.shape)}; "
                         "give dim")
    if isinstance(ord, str) or ord is not None and len(dims or range(A.ndim)) == 2:
        return matrix_norm(A, ord, (0, 1) if dims is None else dims, keepdim, dtype=dtype)
    return vector_norm(A, 2 if ord is None else ord, dims, keepdim, dtype=dtype)


def norm(input, p="fro", dim=None, keepdim=False, dtype=None):
    """``torch.norm`` and ``Tensor.norm``: a number (None is 2) is a vector norm; "fro" over at most two dims the
    vector 2-norm; "nuc", or "fro" over more dims, a matrix norm over ``dim`` (every dim when None)."""
    x, dims = _t(input, "norm"), _dims(dim)
    if not isinstance(p, str):
        return vector_norm(x, 2 if p is None else p, dims, keepdim, dtype=dtype)
    if p == "fro" and len(dims or ()) <= 2:
        return vector_norm(x, 2, dims, keepdim, dtype=dtype)
    return matrix_norm(x, p, list(range(x.ndim)) if dims is None else dims, keepdim, dtype=dtype)


def dist(input, other, p=2):
    """‖input − other‖_p (the operands broadcast): the vector norm of every order."""
    x, y = _t(input, "dist"), _t(other, "dist")
    if isinstance(p, str) or not (checks.is_number(p) or isinstance(p, bool)):
        raise TypeError(f"dist: p must be a number, got {p!r}")
    difference = x - y  # (in the promoted dtype, which must be floating: int64 - float64 is, int64 - int64 is not)
    _floating(difference, "dist")
    if p == 0 and y.requires_grad:  # PyTorch's backward for p = 0 gives input no gradient, and fails negating it
        return no_derivative(vector_norm(difference, 0).detach(), "dist", x, y, why="the 0-norm has no gradient, "
                             "and PyTorch's backward for other negates input's missing one; detach other")
    if math.isfinite(p) and p > 1 and x.dtype == y.dtype:  # (one node, as PyTorch's; p = 1 and the others: the
        return Dist.apply(x, y, p=float(p))  # norm of x − y, whose higher orders at 0 are PyTorch's)
    out = vector_norm(difference, p)
    return saves(out, x, y, out)  # (PyTorch's dist saves both operands and its result)
