"""All the parameters as one flat vector and back, as ``torch.nn.utils.parameters_to_vector``."""

from __future__ import annotations

from minigan._tensor_surface import Tensor
from minigan.engine.errors import DimensionError, ShapeError
from minigan.engine.grad_mode import no_grad
from minigan.functional import cat


def parameters_to_vector(parameters) -> Tensor:
    """The parameters flattened and concatenated, in order (in the graph: a gradient flows back to them)."""
    return cat([p.reshape(-1) for p in parameters])


def vector_to_parameters(vec: Tensor, parameters) -> None:
    """Copy consecutive slices of ``vec`` into the parameters (in place, no graph), as PyTorch: slice k of vec
    (along its first dimension) holds parameter k's entries; entries past the last parameter's are left unread."""
    if not isinstance(vec, Tensor):
        raise TypeError(f"vector_to_parameters: vec must be a Tensor, got {type(vec).__name__}")
    if vec.ndim == 0:
        raise DimensionError("vector_to_parameters: vec must be 1-d (parameters_to_vector's), got a 0-d tensor")
    start = 0
    with no_grad():
        for p in parameters:
            n = p.numel()
            piece = vec[start:start + n]
            if piece.numel() != n:
                raise ShapeError(f"vector_to_parameters: the slice {start}:{start + n} of vec (shape "
                                 f"{tuple(vec.shape)}) has {piece.numel()} entries, parameter of shape "
                                 f"{tuple(p.shape)} needs {n}")
            p.data = piece.reshape(p.shape).data  # (PyTorch's: the parameter's data replaced, not written into)
            start += n
