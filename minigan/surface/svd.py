"""The singular value decomposition A = U·diag(σ)·Vᴴ (thin: U (..., m, k), σ (..., k), Vᴴ (..., k, n), k = min(m, n),
σ descending), as three ops, one per factor, so that every order of gradient is the SVD's own: the op under the
matrix norms "nuc", 2 and -2.

Each factor's backward is the one formula (Townsend, "Differentiating the singular value decomposition", 2016; the
real case of PyTorch's svd_backward), with the cotangents of the other two factors absent:

    Ā = U·[ (F ∘ (UᵀŪ − ŪᵀU))·Σ + diag(σ̄) + Σ·(F ∘ (VᵀV̄ − V̄ᵀV)) ]·Vᵀ
        + (I − UUᵀ)·Ū·Σ⁻¹·Vᵀ + U·Σ⁻¹·V̄ᵀ·(I − VVᵀ),        F_ij = 1/(σ_j² − σ_i²) (0 for i = j)

It is written with @, *, / and swapaxes on the factors, which run on arrays (first order) and on Tensors, the factors
then being these ops applied to the saved A: a backward of a backward is differentiated by the same lines.  It is
defined where the singular values are distinct and nonzero (F and Σ⁻¹ are infinite otherwise), as PyTorch's.
"""

from __future__ import annotations

from minigan.engine import backend
from minigan.engine.errors import DomainError
from minigan.engine.graph import Node


def _mT(x):  # the matrices' transpose
    return x.swapaxes(-1, -2)


class _Factor(Node):
    """One factor of the SVD of A (which one: ``part``, 0 for U, 1 for σ, 2 for Vᴴ)."""

    part = None

    def forward(self, A):
        self.save_for_backward(A)
        return _decompose(A)[self.part]

    def backward(self, grad):  # Ā from this factor's cotangent (the formula in the module's docstring)
        (A,) = self.saved_tensors
        cotangents = [None, None, None]
        cotangents[self.part] = grad
        with backend.np.errstate(divide="ignore", invalid="ignore"):  # (a repeated or zero σ: ∞ and NaN, as PyTorch's)
            return (svd_backward(A, *cotangents),)


class SvdU(_Factor):
    part = 0


class SvdVals(_Factor):
    part = 1


class SvdVh(_Factor):
    part = 2


def _decompose(A):
    """(U, σ, Vᴴ) of the array A; a matrix holding ±∞ has none: NaN, as PyTorch's (NaN was refused at the door)."""
    xp = backend.get_array_module(A)
    infinite = ~xp.isfinite(A).all(axis=(-2, -1))
    U, sigma, Vh = xp.linalg.svd(xp.where(infinite[..., None, None], 0, A), full_matrices=False)
    if infinite.any():
        U, Vh = (xp.where(infinite[..., None, None], xp.nan, M) for M in (U, Vh))
        sigma = xp.where(infinite[..., None], xp.nan, sigma)
    return U, sigma, Vh


def svd_backward(A, gU, gS, gVh):
    """Ā for the cotangents gU, gσ, gVᴴ (None where absent) of the SVD of A: an array, or a Tensor (then the factors
    are the ops' results, and Ā is recorded)."""
    U, S, Vh = _decompose(A) if backend.is_array(A) else (SvdU.apply(A), SvdVals.apply(A), SvdVh.apply(A))
    m, n = A.shape[-2:]
    k = min(m, n)
    eye = backend.get_array_module(A if backend.is_array(A) else A.array).eye(k, dtype=A.dtype)
    S2 = S * S
    F = (1 - eye) / (S2[..., None, :] - S2[..., :, None] + eye)  # F_ij = 1/(σ_j² − σ_i²), 0 on the diagonal
    inner = 0
    if gS is not None:
        inner = inner + gS[..., None, :] * eye  # diag(σ̄)
    if gU is not None:
        J = _mT(U) @ gU
        inner = inner + F * (J - _mT(J)) * S[..., None, :]
    if gVh is not None:
        gV = _mT(gVh)
        K = Vh @ gV
        inner = inner + S[..., :, None] * (F * (K - _mT(K)))
    gA = U @ inner @ Vh
    if gU is not None and m > k:  # the part of Ū outside U's columns
        gA = gA + ((gU - U @ (_mT(U) @ gU)) / S[..., None, :]) @ Vh
    if gVh is not None and n > k:  # the part of V̄ outside V's columns
        V = _mT(Vh)
        gA = gA + U @ _mT((gV - V @ (Vh @ gV)) / S[..., None, :])
    return gA


def svdvals(A):
    """The singular values of A (..., m, n), largest first, differentiable to every order (the module's docstring)."""
    if backend.get_array_module(A.array).isnan(A.array).any():  # (PyTorch's LAPACK call fails: a RuntimeError)
        raise DomainError("linalg.svd: the input contains NaN, for which the SVD does not converge (as in PyTorch); "
                          "replace the NaN entries first (minigan.nan_to_num)")
    return SvdVals.apply(A)
