"""The singular values of a matrix (or a batch of them), the op under the matrix norms "nuc", 2 and -2.

A = U·diag(σ)·Vᴴ (the thin SVD, σ descending).  A small change dA moves each singular value by
dσ_i = u_iᵀ·dA·v_i, so the gradient of Σ_i g_i·σ_i is U·diag(g)·Vᴴ: PyTorch's (svd_backward with gU and gVh
undefined), which is defined where the singular values are distinct.
"""

from __future__ import annotations

from minigan.engine import backend
from minigan.engine.errors import DomainError
from minigan.engine.graph import Node


class SvdVals(Node):
    """σ of the matrices on the last two axes: shape (..., min(m, n)), largest first."""

    def forward(self, A):
        xp = backend.get_array_module(A)
        infinite = ~xp.isfinite(A).all(axis=(-2, -1))  # per matrix: ±∞ (NaN was refused at the door)
        U, sigma, Vh = xp.linalg.svd(xp.where(infinite[..., None, None], 0, A), full_matrices=False)
        if infinite.any():  # no singular values for a matrix holding ±∞: NaN, as PyTorch's
            U, Vh = (xp.where(infinite[..., None, None], xp.nan, M) for M in (U, Vh))
            sigma = xp.where(infinite[..., None], xp.nan, sigma)
        self.U, self.Vh = U, Vh  # (the singular vectors: what the backward multiplies by)
        return sigma

    def backward(self, grad):  # dA = U·diag(g)·Vᴴ  (dσ_i/dA = u_i·v_iᵀ)
        return ((self.U * grad[..., None, :]) @ self.Vh,)


def svdvals(A):
    """The singular values of A (..., m, n), largest first, each differentiable (the op's docstring)."""
    if backend.get_array_module(A.array).isnan(A.array).any():  # (PyTorch's LAPACK call fails: a RuntimeError)
        raise DomainError("linalg.svd: the input contains NaN, for which the SVD does not converge (as in PyTorch); "
                          "replace the NaN entries first (minigan.nan_to_num)")
    return SvdVals.apply(A)
