"""What PyTorch's node saves, where minigan computes an op with several nodes of its own (``amin`` as ``-amax(-x)``,
``dist`` as a norm of a difference, ...) or keeps constants (masks) made in forward instead of the tensors.

PyTorch's node saves some of its op's tensors (its inputs ``self``/``other``, or its ``result``: what its formula in
derivatives.yaml reads), and refuses its backward when one of them was changed in place since ("one of the
variables needed for gradient computation has been modified by an inplace operation").  A learner sees that
refusal, so minigan gives it too: ``saves(result, x, ...)`` adds a record of each tensor (its array, its version
counter and its version now) to the node that made ``result``, whose backward is refused, as every node's, when one
of them changed (minigan/engine/graph.py: ``Node.check_saved``).  The records are only checked: the backward
computes from what its own forward kept.

    out = -Max.apply(-x)          # amin: the node of out is a Neg, which saves nothing
    return saves(out, x, out)     # PyTorch's amin saves its input and its result
"""

from __future__ import annotations


def saves(result, *tensors):
    """``result``, its node now also checking that each of ``tensors`` (a Tensor, or None: skipped) is unchanged
    when its backward runs (``result`` itself among them: PyTorch's node saved its result).  Nothing is recorded
    where ``result`` has no node (no gradient is needed)."""
    node = result._ctx
    if node is None or node.freed:
        return result
    records = []
    for t in tensors:
        if t is not None and hasattr(t, "_version_counter"):  # (a number or an array: a constant, never changed)
            counter = t._version_counter()
            records.append((t.array, counter, counter[0], None if t is result else t))
    node.saved = tuple(node.saved) + tuple(records)
    return result
