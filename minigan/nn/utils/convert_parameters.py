"""All the parameters as one flat vector and back, as ``torch.nn.utils.parameters_to_vector``."""

from __future__ import annotations

from minigan._tensor_surface import Tensor
from minigan.engine.grad_mode import no_grad
from minigan.functional import cat


def parameters_to_vector(parameters) -> Tensor:
    """The parameters flattened and concatenated, in order (in the graph: a gradient flows back to them)."""
    return cat([p.reshape(-1) for p in parameters])


def vector_to_parameters(vec: Tensor, parameters) -> None:
    """Copy consecutive slices of ``vec`` into the parameters (in place, no graph), as PyTorch."""
    if not isinstance(vec, Tensor) or vec.ndim != 1:
        raise TypeError(f"vector_to_parameters: vec must be a 1-d Tensor, got {type(vec).__name__}")
    parameters = list(parameters)
    total = sum(p.numel() for p in parameters)
    if vec.numel() != total:
        raise ValueError(f"vector_to_parameters: vec has {vec.numel()} elements, the parameters {total}")
    start = 0
    with no_grad():
        for p in parameters:
            n = p.numel()
            p.copy_(vec[start:start + n].reshape(p.shape))
            start += n
