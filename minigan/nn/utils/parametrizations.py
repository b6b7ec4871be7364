"""Parametrizations of a weight, as ``torch.nn.utils.parametrizations``: ``spectral_norm`` (Miyato et al. 2018),
registered with ``parametrize.register_parametrization``."""

from __future__ import annotations

import sys

from minigan import functional as F
from minigan.engine.grad_mode import no_grad
from minigan.nn.module import Module
from minigan.nn.utils import parametrize
from minigan.surface import missing as _missing
from minigan.toplevel import randn


class _SpectralNorm(Module):
    """W / σ(W), σ estimated by power iteration on the buffers ``_u`` and ``_v`` (15 iterations at the start, then
    ``n_power_iterations`` in every training-mode read), as PyTorch's parametrization."""

    def __init__(self, weight, n_power_iterations=1, dim=0, eps=1e-12):
        super().__init__()
        self.dim = dim if dim >= 0 else dim + weight.ndim
        self.eps = eps
        if weight.ndim > 1:
            if isinstance(n_power_iterations, bool) or not isinstance(n_power_iterations, int) or \
                    n_power_iterations < 1:
                raise ValueError(f"spectral_norm: n_power_iterations must be an integer >= 1, got "
                                 f"{n_power_iterations!r}")
            self.n_power_iterations = n_power_iterations
            rows, columns = self._matrix(weight).shape
            make = dict(dtype=weight.dtype, device=weight.device)
            self.register_buffer("_u", F.normalize(randn(rows, **make), dim=0, eps=eps))
            self.register_buffer("_v", F.normalize(randn(columns, **make), dim=0, eps=eps))
            self._power_method(self._matrix(weight), 15)

    def _matrix(self, weight):
        """W as a matrix: axis ``dim`` as rows, the rest flattened into columns."""
        if self.dim != 0:
            weight = weight.movedim(self.dim, 0)
        return weight.reshape(weight.shape[0], -1)

    def _power_method(self, matrix, iterations):
        with no_grad():  # ũ ← Wṽ / ‖Wṽ‖, ṽ ← Wᵀũ / ‖Wᵀũ‖ (PyTorch's order; the estimate is not differentiated)
            for _ in range(iterations):
                self._u.copy_(F.normalize(matrix @ self._v, dim=0, eps=self.eps))
                self._v.copy_(F.normalize(matrix.t() @ self._u, dim=0, eps=self.eps))

    def forward(self, weight):
        if weight.ndim == 1:
            return F.normalize(weight, dim=0, eps=self.eps)
        matrix = self._matrix(weight)
        if self.training:
            self._power_method(matrix, self.n_power_iterations)
        u, v = self._u.clone(), self._v.clone()  # so a later step's update does not change this backward's
        return weight / (u @ (matrix @ v))  # σ(W) ≈ ũᵀ W ṽ

    def right_inverse(self, value):
        return value  # any W is its own original: σ is recomputed from it


def spectral_norm(module: Module, name: str = "weight", n_power_iterations: int = 1, eps: float = 1e-12,
                  dim: int | None = None) -> Module:
    """Spectrally normalise ``module.<name>`` (a transposed convolution's output channels are axis 1)."""
    weight = getattr(module, name, None)
    if weight is None:
        raise ValueError(f"spectral_norm: {type(module).__name__} has no parameter {name!r}")
    if dim is None:
        dim = 1 if getattr(module, "transposed", False) else 0  # (ConvTranspose1d and 2d)
    return parametrize.register_parametrization(module, name, _SpectralNorm(weight, n_power_iterations, dim, eps))


__path__ = []  # (no submodules: so that ``from ... import`` of a name it lacks asks surface/missing.py's finder, and
# the advice, not a bare "cannot import name", is the ImportError)

def __getattr__(name):
    """A PyTorch name minigan does not have: one line saying what to use instead (minigan/surface/missing.py)."""
    raise _missing.attribute_error("torch.nn.utils.parametrizations", name, sys.modules[__name__])
