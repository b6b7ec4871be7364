"""``embedding`` (a lookup into a weight table, ``padding_idx``, ``max_norm``) and ``one_hot``.
"""

from __future__ import annotations

from minigan.engine import backend, checks
from minigan.engine.checks import is_integer
from minigan.engine.errors import DimensionError, DomainError, DtypeError, GraphError, IndexOutOfRange, ShapeError
from minigan.engine.grad_mode import is_grad_enabled, no_grad
from minigan.functional import loss_doors
from minigan.functional._common import _tensor, where
from minigan.surface.node_view import shown_as
from minigan.surface.norms import vector_norm
from minigan.surface.tensor import Tensor


class PaddingIndexError(DomainError, AssertionError):
    """A padding_idx outside the embedding table: a DomainError (so a ValueError) for minigan, and the AssertionError
    PyTorch's embedding and Embedding raise for it."""


def padding_index(padding_idx, num_embeddings: int, op: str):
    """An embedding's padding_idx: None, or a row index in [−n, n) (negative counts from the end), as an index ≥ 0."""
    if padding_idx is None:
        return None
    if not is_integer(padding_idx):
        raise TypeError(f"{op}: padding_idx must be an int or None, got {padding_idx!r}")
    if padding_idx > 0 and padding_idx >= num_embeddings or padding_idx < 0 and padding_idx < -num_embeddings:
        raise PaddingIndexError(f"{op}: padding_idx={padding_idx} is outside the {num_embeddings} embeddings "
                                f"(expected -{num_embeddings} <= padding_idx < {num_embeddings})")
    return int(padding_idx) % num_embeddings if num_embeddings else 0  # (0: PyTorch checks it against no table)


def one_hot(input, num_classes=-1):
    """int64 one-hot codes (*labels.shape, num_classes) of integer labels of any shape, as PyTorch's; no gradient.
    num_classes=-1 (the default) takes the largest label + 1.  (``one_hot(y, C).float()`` for a float code.)
    Checked in PyTorch's order: num_classes an int (TypeError), a tensor's labels int64 (an array's any integers),
    a count to infer from no labels, then each label in [0, num_classes) (RuntimeError)."""
    if not checks.is_integer(num_classes):
        raise TypeError(f"one_hot: num_classes must be an int (-1: the largest label + 1), got {num_classes!r}")
    if isinstance(input, Tensor):
        if input.dtype != backend.np.int64:  # (PyTorch's kernel takes a LongTensor only)
            raise DtypeError(f"one_hot: labels must be an int64 tensor, got dtype {input.dtype}; convert them with "
                             ".long()")
        y = input.array
    elif backend.is_array(input):
        y = input
    else:
        y = backend.active_module().asarray(backend.np.asarray(input))
    if y.dtype.kind not in "iu":  # (before max(): a NaN label has no int)
        raise DtypeError(f"one_hot: labels must be an integer array, got dtype {y.dtype}")
    if not y.size:  # (no labels: a code of num_classes columns, which must then be given)
        if num_classes < 1:
            raise DomainError("one_hot: cannot infer num_classes from no labels; pass a positive num_classes")
        return Tensor._make(backend.get_array_module(y).zeros((*y.shape, int(num_classes)), dtype=backend.np.int64))
    if isinstance(input, Tensor) and input.requires_grad and is_grad_enabled():  # (made so by a fill_ of a value that
        raise GraphError("one_hot: autograd does not support these int64 labels that require grad, as PyTorch's (its "
                         "check of their smallest label refuses them); pass labels.detach()")  # requires grad)
    if num_classes < 1 and num_classes != -1:  # (PyTorch's "Class values must be smaller than num_classes")
        raise DomainError(f"one_hot: num_classes={num_classes} holds no class; pass a positive count (or -1: the "
                          "largest label + 1)")
    num_classes = int(y.max()) + 1 if num_classes == -1 else int(num_classes)
    loss_doors.check_labels("one_hot", y, num_classes)
    xp = backend.get_array_module(y)
    return Tensor._make(xp.eye(num_classes, dtype=backend.np.int64)[y])


def _table(weight, idx, what):
    """The checks of PyTorch's lookup (and of its renormalisation before it): a 2-D weight, int64 or int32 indices."""
    if weight.ndim != 2:  # (a 0-d one: also an IndexError, as PyTorch's reading of its size 0 raises)
        error = DimensionError if weight.ndim == 0 else ShapeError
        raise error(f"embedding: weight must be 2-D (num_embeddings, embedding_dim), got shape {tuple(weight.shape)}"
                    f"{what}")
    if idx.dtype.name not in ("int64", "int32"):
        raise DtypeError(f"embedding: indices must be integers (int64 or int32), got dtype {idx.dtype}")


def _renorm(weight, rows, max_norm, norm_type, xp):
    """The ``rows`` (distinct) of ``weight`` whose ``norm_type``-norm exceeds max_norm scaled to max_norm, in place
    and outside the graph (a write into a leaf that requires grad: allowed under no_grad), as PyTorch's renorm."""
    if rows.size and weight.shape[1] == 0 and (norm_type < 0 or norm_type == float("inf")):  # (vector_norm's refusal)
        raise ShapeError(f"embedding: max_norm cannot measure rows of no entries with the {norm_type:g} norm (it has "
                         "no identity); use norm_type >= 0, or a weight with entries in each row")
    with backend.np.errstate(all="ignore"):  # (a max_norm of −∞ scales by −∞: NaN rows, silently, as PyTorch's)
        norms = vector_norm(Tensor(weight.array[rows], dtype=weight.dtype), norm_type, dim=1).array if rows.size \
            else rows  # (vector_norm's: a row of one entry is |x| for every norm_type, PyTorch's too)
        scale = xp.where(norms > max_norm, max_norm / (norms + 1e-7), 1.0).astype(weight.dtype)
        with no_grad():
            weight[rows] = weight.array[rows] * scale[:, None]


def embedding(input, weight, padding_idx=None, max_norm=None, norm_type=2.0, scale_grad_by_freq=False,
              sparse=False):
    """Rows of ``weight`` (num_embeddings, dim) picked by integer ``indices`` of any shape → (*indices.shape, dim).

    The gradient goes through getitem, which adds up the gradients of repeated indices.  As PyTorch's:
    ``padding_idx``: that row gets no gradient; ``max_norm``: the rows picked are first scaled down in place to
    that ``norm_type``-norm where they exceed it; ``scale_grad_by_freq``: each row's gradient is divided by how
    often it is picked in this call.  A weight of any dtype is looked up (an integer or bool table gives its rows).
    Checked in PyTorch's order: padding_idx, then max_norm's renormalisation, then the lookup.
    """
    weight = _tensor(weight, "embedding", "weight")
    if padding_idx is not None:  # (PyTorch reads weight.size(0) for it first: a 0-d weight is an IndexError there)
        if weight.ndim == 0:
            raise DimensionError("embedding: weight must be 2-D (num_embeddings, embedding_dim), got a 0-d tensor")
        padding_idx = padding_index(padding_idx, weight.shape[0], "embedding")
    idx = input.array if isinstance(input, Tensor) else input
    if isinstance(idx, (list, tuple, int)) or backend.is_numpy_scalar(idx):
        idx = backend.np.asarray(idx)
    if not backend.is_array(idx):
        raise TypeError(f"embedding: indices must be an integer Tensor or array, got {type(input).__name__}")
    if backend.device_of(idx) != weight.device.type:
        idx = backend.to_device(idx, weight.device)
    n, xp = weight.shape[0] if weight.ndim else 0, backend.get_array_module(idx)
    if max_norm is not None:
        _table(weight, idx, " (max_norm renormalises its rows)")
        rows = xp.unique(idx)
        if rows.size and (int(rows[0]) < -n or int(rows[-1]) >= n):  # (PyTorch reads the row at an index from
            bad = int(rows[0]) if int(rows[0]) < -n else int(rows[-1])  # the end, as weight[i], before the lookup)
            raise IndexOutOfRange(f"embedding: index {bad} is out of range for {n} embeddings")
        if rows.size and weight.array.dtype.kind != "f":
            raise DtypeError(f"embedding: max_norm measures rows of floating point, got a {weight.dtype} weight")
        # PyTorch scales the picked rows one after another, each norm read after the writes before it: rows that
        # are one row in memory (an expanded table) are scaled again by each index; other rows at once
        for some in [rows[k:k + 1] for k in range(rows.size)] if weight.array.strides[0] == 0 else [rows]:
            _renorm(weight, some, max_norm, norm_type, xp)
    _table(weight, idx, "")
    if idx.size and (int(idx.min()) < 0 or int(idx.max()) >= n):
        bad = int(idx.min()) if int(idx.min()) < 0 else int(idx.max())
        raise IndexOutOfRange(f"embedding: index {bad} is out of range for {n} embeddings (expected 0 <= index < {n})")
    if sparse:
        raise NotImplementedError("embedding: sparse=True is not provided (minigan's gradients are dense)")
    # PyTorch looks the rows up by index_select, in the indices' row-major order: its result is a row-major copy
    # whatever their layout (a flatten() is a view, as there), a 0-d index's row too (weight[idx] would read it as a
    # number: a view of the row, which requires grad under no_grad where PyTorch's copy does not); the row-major
    # indices serve the masks below too, so that their results keep that layout
    idx = xp.ascontiguousarray(idx) if idx.ndim else idx
    picked = weight[idx] if idx.ndim else weight[idx.reshape(1)].reshape(weight.shape[1:])
    if scale_grad_by_freq and picked.requires_grad:  # the same values, each row's gradient divided by its count
        rows, inverse, counts = xp.unique(idx, return_inverse=True, return_counts=True)
        share = Tensor._make((1.0 / counts[inverse.reshape(idx.shape)]).astype(weight.dtype)[..., None])
        picked = picked * share + picked.detach() * (1 - share)
    if padding_idx is not None and picked.requires_grad:  # the padding row's value, with no gradient
        picked = where((idx == padding_idx)[..., None], picked.detach(), picked)
    return shown_as(picked, "EmbeddingBackward0")
