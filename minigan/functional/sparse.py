"""``embedding`` (a lookup into a weight table, ``padding_idx``, ``max_norm``) and ``one_hot``.
"""

from __future__ import annotations

from minigan._tensor_surface import Tensor
from minigan.engine import backend, checks
from minigan.engine.checks import is_integer
from minigan.engine.errors import DomainError, DtypeError, IndexOutOfRange
from minigan.engine.grad_mode import no_grad
from minigan.engine.ops import loss as LS
from minigan.functional._common import _float, where
from minigan.surface.node_view import shown_as


def padding_index(padding_idx, num_embeddings: int, op: str):
    """An embedding's padding_idx: None, or a row index in [−n, n) (negative counts from the end), as an index ≥ 0."""
    if padding_idx is None:
        return None
    if not is_integer(padding_idx):
        raise TypeError(f"{op}: padding_idx must be an int or None, got {padding_idx!r}")
    if not -num_embeddings <= padding_idx < num_embeddings:
        raise ValueError(f"{op}: padding_idx={padding_idx} is outside the {num_embeddings} embeddings "
                         f"(expected -{num_embeddings} <= padding_idx < {num_embeddings})")
    return int(padding_idx) % num_embeddings


def one_hot(input, num_classes=-1):
    """int64 one-hot codes (*labels.shape, num_classes) of integer labels of any shape, as PyTorch's; no gradient.
    num_classes=-1 (the default) takes the largest label + 1.  (``one_hot(y, C).float()`` for a float code.)"""
    if not checks.is_integer(num_classes) or num_classes < 1 and num_classes != -1:
        raise ValueError(f"one_hot: num_classes must be a positive int (or -1: the largest label + 1), got "
                         f"{num_classes!r}")
    labels = input
    if isinstance(labels, Tensor):
        y = labels.array
    elif backend.is_array(labels):
        y = labels
    else:
        y = backend.active_module().asarray(backend.np.asarray(labels))
    if y.dtype.kind not in "iu":  # (before max(): a NaN label has no int)
        raise DtypeError(f"one_hot: labels must be an integer array, got dtype {y.dtype}")
    if num_classes == -1:
        if not y.size:
            raise DomainError("one_hot: cannot infer num_classes from no labels; pass num_classes")
        num_classes = int(y.max()) + 1
    LS.check_labels("one_hot", y, num_classes)
    xp = backend.get_array_module(y)
    return Tensor._make(xp.eye(num_classes, dtype=backend.np.int64)[y])


def embedding(input, weight, padding_idx=None, max_norm=None, norm_type=2.0, scale_grad_by_freq=False,
              sparse=False):
    """Rows of ``weight`` (num_embeddings, dim) picked by integer ``indices`` of any shape → (*indices.shape, dim).

    The gradient goes through getitem, which adds up the gradients of repeated indices.  As PyTorch's:
    ``padding_idx``: that row gets no gradient; ``max_norm``: the rows picked are first scaled down in place to
    that ``norm_type``-norm where they exceed it; ``scale_grad_by_freq``: each row's gradient is divided by how
    often it is picked in this call.
    """
    weight = _float(weight, "embedding", "weight")
    idx = input.array if isinstance(input, Tensor) else input
    if isinstance(idx, (list, tuple, int)) or backend.is_numpy_scalar(idx):
        idx = backend.np.asarray(idx)
    if not backend.is_array(idx):
        raise TypeError(f"embedding: indices must be an integer Tensor or array, got {type(input).__name__}")
    if not backend.is_integer(idx.dtype):
        raise DtypeError(f"embedding: indices must be integers, got dtype {idx.dtype}")
    if backend.device_of(idx) != weight.device.type:
        idx = backend.to_device(idx, weight.device)
    n = weight.shape[0]
    if idx.size and (int(idx.min()) < 0 or int(idx.max()) >= n):
        bad = int(idx.min()) if int(idx.min()) < 0 else int(idx.max())
        raise IndexOutOfRange(f"embedding: index {bad} is out of range for {n} embeddings (expected 0 <= index < {n})")
    if sparse:
        raise NotImplementedError("embedding: sparse=True is not provided (minigan's gradients are dense)")
    padding_idx = padding_index(padding_idx, n, "embedding")
    xp = backend.get_array_module(idx)
    if max_norm is not None:  # scale the picked rows down to max_norm, in place and outside the graph
        rows = xp.unique(idx)
        norms = (xp.abs(weight.array[rows]) ** norm_type).sum(1) ** (1 / norm_type)
        scale = xp.where(norms > max_norm, max_norm / (norms + 1e-7), 1.0).astype(weight.dtype)
        with no_grad():  # (a write into a leaf that requires grad: allowed, and counted, under no_grad)
            weight[rows] = weight.array[rows] * scale[:, None]
    picked = weight[idx]
    if scale_grad_by_freq:  # the same values, with each row's gradient divided by its count in idx
        rows, inverse, counts = xp.unique(idx, return_inverse=True, return_counts=True)
        share = Tensor._make((1.0 / counts[inverse.reshape(idx.shape)]).astype(weight.dtype)[..., None])
        picked = picked * share + picked.detach() * (1 - share)
    if padding_idx is not None:  # the padding row's value, with no gradient
        picked = where((idx == padding_idx)[..., None], picked.detach(), picked)
    return shown_as(picked, "EmbeddingBackward0")
