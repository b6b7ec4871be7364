"""``minigan.linalg``, named as ``torch.linalg``: the norms and products, composed from minigan's ops (so their
gradients, of any order, are the compositions').  Decompositions and solvers (svd, eig, inv, solve, det...) are not
provided: ``numpy.linalg`` on ``x.detach().numpy()`` gives their values, without a gradient.
"""

from __future__ import annotations

import math
import sys

from minigan import toplevel
from minigan._tensor_surface import Tensor
from minigan.engine.errors import DomainError, ShapeError
from minigan.surface import missing as _missing
from minigan.surface import operands, products, reductions
from minigan.surface.out import with_out


def _t(x, fn) -> Tensor:
    if not isinstance(x, Tensor):
        raise TypeError(f"linalg.{fn}: expected a Tensor, got {type(x).__name__}")
    return x


@with_out
def vector_norm(input, ord=2, dim=None, keepdim=False, *, dtype=None):
    """(Σ|x|^ord)^(1/ord) over ``dim`` (every element when None); ord inf is the largest |x|, -inf the smallest,
    0 the number of non-zero entries."""
    x = _t(input, "vector_norm")
    x = reductions.widened(x, dtype, "linalg.vector_norm")
    if isinstance(ord, bool) or not isinstance(ord, (int, float)):
        raise TypeError(f"linalg.vector_norm: ord must be a number, got {ord!r}")
    if ord == -math.inf:
        return x.abs().amin(dim if dim is not None else (), keepdim)
    if ord == 0:  # not a norm, but PyTorch's: how many entries are not 0 (no gradient)
        return (x != 0).to(x.dtype).sum(dim, keepdim=keepdim).detach()
    if ord < 0:
        raise ValueError(f"linalg.vector_norm: ord must be >= 0, inf or -inf, got {ord}")
    return x.norm(ord, dim, keepdim)


@with_out
def matrix_norm(input, ord="fro", dim=(-2, -1), keepdim=False, *, dtype=None):
    """A matrix norm over the two axes ``dim``: "fro" (√Σa²), 1 / -1 (the largest / smallest column sum of |a|),
    inf / -inf (the same over rows).  The spectral and nuclear norms need an SVD, which minigan does not have."""
    A = _t(input, "matrix_norm")
    A = reductions.widened(A, dtype, "linalg.matrix_norm")
    if not (isinstance(dim, (tuple, list)) and len(dim) == 2) or A.ndim < 2:
        raise ShapeError(f"linalg.matrix_norm: needs a matrix (or a batch of them) and two dims, got shape "
                         f"{tuple(A.shape)} and dim={dim!r}")
    rows, cols = (d % A.ndim for d in dim)
    if ord == "fro":
        return A.norm(2, (rows, cols), keepdim)
    if ord not in (1, -1, math.inf, -math.inf):
        raise DomainError(f"linalg.matrix_norm: ord must be 'fro', 1, -1, inf or -inf (no SVD for 2, -2 or 'nuc'), "
                         f"got {ord!r}")
    summed, other = (rows, cols) if ord in (1, -1) else (cols, rows)  # 1: down each column; inf: along each row
    sums = A.abs().sum(summed, keepdim=True)
    out = sums.amax(other, keepdim=True) if ord > 0 else sums.amin(other, keepdim=True)
    return out if keepdim else out.squeeze(max(rows, cols)).squeeze(min(rows, cols))


@with_out
def norm(input, ord=None, dim=None, keepdim=False, *, dtype=None):
    """vector_norm for a vector or an int dim, matrix_norm for a matrix or a pair of dims; with neither ord nor dim,
    the 2-norm of every entry."""
    A = _t(input, "norm")
    if dim is None and ord is not None and A.ndim not in (1, 2):
        raise ShapeError(f"linalg.norm: with ord and no dim the input must be 1-D or 2-D, got shape {tuple(A.shape)}")
    if isinstance(dim, int) or (dim is None and (A.ndim == 1 or ord is None)):
        return vector_norm(A, 2 if ord is None else ord, dim, keepdim, dtype=dtype)
    return matrix_norm(A, "fro" if ord is None else ord, (-2, -1) if dim is None else dim, keepdim, dtype=dtype)


@with_out
def vecdot(x, y, *, dim=-1):
    """Σ x·y along ``dim`` (the operands broadcast)."""
    operands.same_dtype("vecdot", operands.floating(x, "vecdot"), operands.floating(y, "vecdot"), "y")
    return (x * y).sum(dim)


def matmul(input, other, *, out=None):
    return toplevel.matmul(input, other, out=out)


@with_out
def multi_dot(tensors):
    """The product of a chain of matrices, left to right (a first 1-D operand is a row, a last one a column)."""
    tensors = list(tensors)
    if len(tensors) < 2:
        raise DomainError(f"linalg.multi_dot: expected at least two tensors, got {len(tensors)}")
    out = tensors[0]
    for t in tensors[1:]:
        out = out @ t
    return out


@with_out
def matrix_power(input, n):
    """A multiplied by itself n times (A⁰ is the identity), for square matrices (…, k, k): the Tensor's own method's
    body (minigan/surface/products.py), by repeated squaring as PyTorch's."""
    return products.matrix_power(input, n)


def diagonal(A, *, offset=0, dim1=-2, dim2=-1):
    """The ``offset``-th diagonal of the matrices on axes dim1 and dim2, as the last axis: a view of A, as PyTorch's
    (the square block the diagonal crosses, read by einsum's diagonal)."""
    A = _t(A, "diagonal")
    moved = A.movedim((dim1, dim2), (-2, -1))  # (dims checked there: in range, not the same one twice)
    rows, columns = moved.shape[-2:]
    n = max(0, min(rows + min(offset, 0), columns - max(offset, 0)))
    top, left = max(-offset, 0), max(offset, 0)
    return toplevel.einsum("...ii->...i", moved[..., top:top + n, left:left + n])


def cross(input, other, *, dim=-1, out=None):
    """The cross product of 3-vectors along ``dim`` (the last, unless dim says another)."""
    return toplevel.cross(input, other, dim, out=out)


def __getattr__(name):
    """A PyTorch name minigan does not have: one line saying what to use instead (minigan/surface/missing.py)."""
    raise _missing.attribute_error("torch.linalg", name, sys.modules[__name__])
