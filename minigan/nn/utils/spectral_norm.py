"""Spectral normalisation (Miyato et al. 2018, "Spectral Normalization for Generative Adversarial Networks"): a
layer's weight divided by its largest singular value σ(W), so the layer is 1-Lipschitz, which keeps a GAN's
discriminator from sharpening without bound.  As ``torch.nn.utils.spectral_norm``: the learnable weight becomes
``weight_orig``; before each forward a pre-hook sets ``weight = weight_orig / σ``, with σ estimated by power
iteration (the paper's Algorithm 1) on the vectors ``weight_u`` and ``weight_v``, buffers that carry the estimate
from one step to the next (one iteration a step is enough, as the weight changes little between steps).
"""

from __future__ import annotations

from minigan import functional as F
from minigan.engine.grad_mode import no_grad
from minigan.nn.module import Module
from minigan.nn.parameter import Parameter
from minigan.surface.tensor import Tensor
from minigan.toplevel import randn


class SpectralNorm:
    """The forward pre-hook: ``module.<name> = <name>_orig / σ``, σ = uᵀ W v after power iteration (in training)."""

    def __init__(self, name="weight", n_power_iterations=1, dim=0, eps=1e-12):
        self.name, self.n_power_iterations, self.dim, self.eps = name, n_power_iterations, dim, eps

    def reshape_weight_to_matrix(self, weight: Tensor) -> Tensor:
        """W as a matrix: axis ``dim`` (the output channels) as rows, everything else flattened into columns."""
        if self.dim != 0:
            weight = weight.movedim(self.dim, 0)
        return weight.reshape(weight.shape[0], -1)

    def compute_weight(self, module: Module, do_power_iteration: bool) -> Tensor:
        weight = getattr(module, self.name + "_orig")
        u, v = getattr(module, self.name + "_u"), getattr(module, self.name + "_v")
        matrix = self.reshape_weight_to_matrix(weight)
        if do_power_iteration:
            with no_grad():  # Algorithm 1: ṽ ← Wᵀũ / ‖Wᵀũ‖, ũ ← Wṽ / ‖Wṽ‖ (the estimate is not differentiated)
                for _ in range(self.n_power_iterations):
                    v.copy_(F.normalize(matrix.t() @ u, dim=0, eps=self.eps))
                    u.copy_(F.normalize(matrix @ v, dim=0, eps=self.eps))
            u, v = u.clone(), v.clone()  # so the next step's update does not change what this backward reads
        sigma = u @ (matrix @ v)  # σ(W) ≈ ũᵀ W ṽ; its gradient reaches W with u, v held fixed, as in the paper
        return weight / sigma

    def __call__(self, module: Module, inputs) -> None:
        setattr(module, self.name, self.compute_weight(module, do_power_iteration=module.training))


def _check_module(who, module):
    """PyTorch's reads the module's hooks first: anything but a Module is refused with AttributeError."""
    if not isinstance(module, Module):
        raise AttributeError(f"{who}: expected a Module (such as nn.Linear), got {type(module).__name__}")


def spectral_norm(module: Module, name: str = "weight", n_power_iterations: int = 1, eps: float = 1e-12,
                  dim: int | None = None) -> Module:
    """Add spectral normalisation to ``module``'s parameter ``name``; returns the module."""
    _check_module("spectral_norm", module)
    if any(isinstance(h, SpectralNorm) and h.name == name for h in module._forward_pre_hooks.values()):
        raise RuntimeError(f"spectral_norm: {name!r} of this {type(module).__name__} is already normalised")
    weight = module._parameters.get(name)
    if weight is None:  # (KeyError, as PyTorch's, which looks the name up in the module's parameters)
        raise KeyError(f"spectral_norm: {type(module).__name__} has no parameter {name!r}")
    if isinstance(n_power_iterations, bool) or not isinstance(n_power_iterations, int) or n_power_iterations < 1:
        raise ValueError(f"spectral_norm: n_power_iterations must be an integer >= 1, got {n_power_iterations!r}")
    if dim is None:  # a transposed convolution keeps its output channels on axis 1
        dim = 1 if getattr(module, "transposed", False) else 0  # (ConvTranspose1d and 2d)
    fn = SpectralNorm(name, n_power_iterations, dim, eps)
    rows, columns = fn.reshape_weight_to_matrix(weight).shape
    make = dict(dtype=weight.dtype, device=weight.device)
    u = F.normalize(randn(rows, **make), dim=0, eps=eps)  # random starting vectors, each of norm 1
    v = F.normalize(randn(columns, **make), dim=0, eps=eps)
    del module._parameters[name]
    module.register_parameter(name + "_orig", weight)
    setattr(module, name, weight.detach())  # a plain attribute, set again before every forward
    module.register_buffer(name + "_u", u)
    module.register_buffer(name + "_v", v)
    module.register_forward_pre_hook(fn)
    return module


def remove_spectral_norm(module: Module, name: str = "weight") -> Module:
    """Undo ``spectral_norm``: ``name`` becomes a parameter again, holding the normalised weight."""
    _check_module("remove_spectral_norm", module)
    for key, hook in list(module._forward_pre_hooks.items()):
        if isinstance(hook, SpectralNorm) and hook.name == name:
            with no_grad():
                weight = hook.compute_weight(module, do_power_iteration=False)
            del module._forward_pre_hooks[key]
            for suffix in ("_u", "_v", "_orig"):
                delattr(module, name + suffix)
            delattr(module, name)
            module.register_parameter(name, Parameter(weight.detach()))
            return module
    raise ValueError(f"remove_spectral_norm: {name!r} of this {type(module).__name__} is not spectrally normalised")
