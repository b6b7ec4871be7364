"""All the parameters as one flat vector and back, as ``torch.nn.utils.parameters_to_vector``."""

from __future__ import annotations

from minigan.functional import cat
from minigan.surface.tensor import Tensor


def parameters_to_vector(parameters) -> Tensor:
    """The parameters flattened and concatenated, in order (in the graph: a gradient flows back to them).  Each is
    flattened by a view, as PyTorch's: a weight whose entries cannot be viewed as one row (a strided slice) is
    refused, where a copy would hide that the vector no longer shares its memory."""
    return cat([p.view(-1) for p in parameters])


def vector_to_parameters(vec: Tensor, parameters) -> None:
    """Copy consecutive slices of ``vec`` into the parameters (no graph), as PyTorch: slice k of vec (along its
    first dimension) holds parameter k's entries, viewed in its shape; entries past the last parameter's are left
    unread, and vec is read only for the parameters there are."""
    if not isinstance(vec, Tensor):
        raise TypeError(f"vector_to_parameters: vec must be a Tensor, got {type(vec).__name__}")
    start = 0
    for p in parameters:
        n = p.numel()
        p.data = vec[start:start + n].view_as(p).data  # (PyTorch's: the parameter's data replaced, not written into)
        start += n
