"""``minigan.linalg``, named as ``torch.linalg``: the norms and products, composed from minigan's ops (so their
gradients, of any order, are the compositions'; the norms of every order live in minigan/surface/norms.py, the
singular values under "nuc", 2 and -2 in minigan/surface/svd.py).  Decompositions and solvers (svd, eig, inv, solve,
det...) are not provided: ``numpy.linalg`` on ``x.detach().numpy()`` gives their values, without a gradient.
"""

from __future__ import annotations

import sys

from minigan import toplevel
from minigan.engine.errors import DomainError, ShapeError
from minigan.surface import missing as _missing
from minigan.surface import norms, operands, products
from minigan.surface.out import with_out
from minigan.surface.tensor import Tensor


class LinAlgError(RuntimeError):
    """A matrix a decomposition cannot take (a Cholesky factor of a matrix that is not positive definite): PyTorch's
    ``torch.linalg.LinAlgError``, a RuntimeError."""


def _t(x, fn) -> Tensor:
    if not isinstance(x, Tensor):
        raise TypeError(f"linalg.{fn}: expected a Tensor, got {type(x).__name__}")
    return x


@with_out
def vector_norm(input, ord=2, dim=None, keepdim=False, *, dtype=None):
    """(Σ|x|^ord)^(1/ord) over ``dim`` (every element when None), for every real ord: inf is the largest |x|, -inf
    the smallest, 0 the number of entries that are not 0 (minigan/surface/norms.py, shared by every norm's door)."""
    return norms.vector_norm(_t(input, "vector_norm"), ord, dim, keepdim, dtype=dtype)


@with_out
def matrix_norm(input, ord="fro", dim=(-2, -1), keepdim=False, *, dtype=None):
    """A matrix norm over the two axes ``dim``: "fro" (√Σa²), "nuc" (the sum of the singular values), 2 / -2 (the
    largest / smallest singular value), 1 / -1 (the largest / smallest column sum of |a|), inf / -inf (the same over
    rows)."""
    return norms.matrix_norm(_t(input, "matrix_norm"), ord, dim, keepdim, dtype=dtype)


@with_out
def norm(input, ord=None, dim=None, keepdim=False, *, dtype=None):
    """matrix_norm for a string ord, or a number with two dims (or none, of a matrix); vector_norm otherwise, the
    2-norm of every entry when ord is None."""
    return norms.linalg_norm(_t(input, "norm"), ord, dim, keepdim, dtype=dtype)


@with_out
def vecdot(x, y, *, dim=-1):
    """Σ x·y along ``dim`` (the operands broadcast); of two vectors, their vdot, whatever ``dim`` (PyTorch's)."""
    operands.same_dtype("vecdot", operands.floating(x, "vecdot"), operands.floating(y, "vecdot"), "y")
    if x.ndim == 1 and y.ndim == 1:  # (no broadcast: two lengths refuse, as vdot's)
        return toplevel.vdot(x, y)
    return (x * y).sum(dim)


def matmul(input, other, *, out=None):
    return toplevel.matmul(input, other, out=out)


@with_out
def multi_dot(tensors):
    """The product of a chain of matrices, left to right (a first 1-D operand is a row, a last one a column)."""
    tensors = [_t(t, "multi_dot") for t in tensors]
    if len(tensors) < 2:
        raise DomainError(f"linalg.multi_dot: expected at least two tensors, got {len(tensors)}")
    for k, t in enumerate(tensors):  # the first and the last may be vectors, the others are matrices
        if t.ndim != 2 and not (t.ndim == 1 and k in (0, len(tensors) - 1)):
            raise ShapeError(f"linalg.multi_dot: tensor {k} must be 2-D (the first and the last may be 1-D), got "
                             f"shape {tuple(t.shape)}")
    products.one_dtype("linalg.multi_dot", *tensors)
    out = tensors[0]
    for t in tensors[1:]:
        out = out @ t
    return products.view_of_product(out)  # (PyTorch's last mm, reshaped: a view of it)


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


__path__ = []  # (no submodules: so that ``from ... import`` of a name it lacks asks surface/missing.py's finder, and
# the advice, not a bare "cannot import name", is the ImportError)

def __getattr__(name):
    """A PyTorch name minigan does not have: one line saying what to use instead (minigan/surface/missing.py)."""
    raise _missing.attribute_error("torch.linalg", name, sys.modules[__name__])
