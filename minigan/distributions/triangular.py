"""The Cholesky factor and triangular solves MultivariateNormal needs, composed of minigan's ops so that gradients
flow through them to any order (each is O(n) steps of batched ops: fine for the small event sizes of latent
variables; no LAPACK call, so the last bits may differ from PyTorch's).

    cholesky         A = L Lᵀ, L lower with a positive diagonal, column by column (Cholesky–Banachiewicz):
                     L_jj = √(A_jj − Σ_k<j L_jk²),  L_ij = (A_ij − Σ_k<j L_ik L_jk) / L_jj  for i > j
    solve_lower      L X = B by forward substitution: X_i = (B_i − Σ_k<i L_ik X_k) / L_ii
"""

from __future__ import annotations

from minigan import linalg
from minigan import toplevel as T
from minigan.engine import backend
from minigan.engine.grad_mode import no_grad
from minigan.linalg import LinAlgError


def cholesky(a):
    """The lower Cholesky factor of symmetric positive-definite ``a`` (..., n, n), or LinAlgError where a matrix is
    not positive definite, as ``torch.linalg.cholesky`` (LAPACK's rule: a pivot that is not > 0)."""
    lower = factor(a)
    failed = first_failed_pivot(lower)
    if failed is not None:
        element, order = failed
        batch = f"(Batch element {element}): " if a.dim() > 2 else ""
        raise LinAlgError(f"linalg.cholesky: {batch}The factorization could not be completed because the input is not "
                          f"positive-definite (the leading minor of order {order} is not positive-definite).")
    return lower


def first_failed_pivot(lower):
    """(the matrix's index in the flattened batch, the order of its leading minor) of the first pivot of ``factor``
    that is not > 0 (its diagonal entry then 0 or NaN), or None where every pivot is positive."""
    with no_grad():
        bad = ~(linalg.diagonal(lower) > 0).reshape(-1, lower.shape[-1])
    if not bool(bad.any()):
        return None
    element = int(bad.any(-1).int().argmax())
    return element, int(bad[element].int().argmax()) + 1


@backend.np.errstate(invalid="ignore", divide="ignore")  # (a pivot that is not > 0: NaN, silently, as LAPACK's)
def factor(a):
    """The lower Cholesky factor of ``a`` (..., n, n), NaN or 0 on the diagonal from a pivot that is not > 0 on.  It
    reads (a + aᵀ)/2, which is a itself: so each off-diagonal pair shares its gradient, as PyTorch's (symmetric)
    gradient of a Cholesky factor.  (A matrix that is not symmetric, with validation off: LAPACK reads only its
    lower triangle; here the gradient stays the finite differences' of the values.)"""
    a = (a + a.mT) / 2
    n, columns = a.shape[-1], []
    for j in range(n):
        rest = a[..., j:, j]  # (..., n − j): the column from the diagonal down
        if j:
            done = T.stack(columns, -1)  # (..., n, j): the columns so far
            rest = rest - (done[..., j:, :] * done[..., j:j + 1, :]).sum(-1)
        diagonal = rest[..., :1].sqrt()
        above = T.zeros(tuple(a.shape[:-2]) + (j,), dtype=a.dtype, device=a.device)
        columns.append(T.cat([above, diagonal, rest[..., 1:] / diagonal], -1))
    return T.stack(columns, -1)


def solve_lower(lower, b):
    """X with ``lower`` X = ``b``: ``lower`` (..., n, n) lower triangular, ``b`` (..., n, m); batch dims broadcast."""
    rows = []
    for i in range(lower.shape[-1]):
        row = b[..., i:i + 1, :]
        if i:
            row = row - lower[..., i:i + 1, :i] @ T.cat(rows, -2)
        rows.append(row / lower[..., i:i + 1, i:i + 1])
    return T.cat(rows, -2)


def inverse_lower(lower):
    """``lower``⁻¹ (lower triangular too)."""
    eye = T.eye(lower.shape[-1], dtype=lower.dtype, device=lower.device)
    return solve_lower(lower, eye.expand(lower.shape))


def is_positive_definite(a):
    """A boolean tensor: True for each matrix of ``a`` (..., n, n) whose Cholesky factor exists (PyTorch's test,
    ``cholesky_ex(a).info == 0``; an empty matrix has no pivot to fail)."""
    with no_grad():
        return (linalg.diagonal(factor(a)) > 0).all(-1)
