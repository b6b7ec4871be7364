"""PyTorch's bit-for-bit rules for the engine's results: the parity layer.

The engine (minigan/engine/) computes the textbook's value: an op's forward is its array expression, and NumPy lays
the result out as it likes.  A PyTorch program can see more than the value: a result's strides decide whether a
later ``view()`` or ``flatten()`` is a view (and so whether a write through it reaches the result), and
``x.stride()`` prints them.  This module holds PyTorch's rule for them and hands it to the engine through the one
extension point the engine declares for results (``minigan.engine.graph.RESULT_ADJUSTMENTS``: op class -> a function
of the result, the op's arrays and its parameters), through the layout column of minigan/surface/ops.py's rows.  The
engine calls it for results of two or more dimensions (a result of fewer has one layout), so ``w * x`` on vectors runs
the engine alone.

The rules, as PyTorch's kernels apply them:

* an elementwise op (TensorIterator) lays its result out as its operands: the result's dimensions ordered by the
  operands' strides, the FIRST operand that tells two dimensions apart deciding (``pointwise_layout``);
* a reduction, a scan, a matrix product and a pad allocate a row-major result (``backend.c_order``), and a
  concatenation too unless every input is channels-last (minigan/surface/layout.py's ``cat_layout``);
* a loss with ``reduction="none"`` is laid out as the operand its kernel writes into.

And one rule of NumPy's, not PyTorch's, undone: NumPy 1.x promotes by value where every operand is 0-d, so an op's
own constant (``1 / a``, ``0.5 * a``) widens a 0-d float32 to float64 there (NumPy 2 and PyTorch keep float32).
``numpy_2_promotes`` gives such a result NumPy 2's dtype; minigan.Tensor's ``_make`` calls it on NumPy 1.x alone
(minigan/surface/tensor.py), so on NumPy 2 nothing of it runs.
"""

from __future__ import annotations

from minigan.engine import backend


def pointwise_layout(out, *operands):
    """``out``, the elementwise result of ``operands`` (arrays or numbers, in the op's order), laid out as PyTorch's
    TensorIterator lays it out: the result's dimensions ordered by the operands' strides, the FIRST operand that
    tells two dimensions apart deciding (NumPy lets row-major win where operands disagree), so ``a.T + b`` is laid
    out as a.T and ``b + a.T`` as b.  A broadcast dimension tells nothing, and an operand of another dtype is
    converted first (PyTorch's .to: packed in its own order).  Copied only where the two layouts differ; the common
    case, a contiguous first operand of the result's shape, costs three checks, and a row-major result of row-major
    operands in its dtype (broadcast along no size of 1 it keeps) two more."""
    if out.ndim < 2 or (type(operands[0]) is type(out) and operands[0].shape == out.shape and
                        operands[0].flags.c_contiguous and out.flags.c_contiguous):
        return out
    if min(out.shape) > 1 and out.flags.c_contiguous and all(  # (where every size is 2 or more, each operand's
            not backend.is_array(a) or a.flags.c_contiguous and a.dtype == out.dtype for a in operands):  # strides
        return out  # are 0 or row-major's: every pair of dimensions it tells apart keeps its order)
    return ordered_as_operands(out, *operands)


def ordered_as_operands(out, *operands):
    """``pointwise_layout``'s rule, walked in full: the result's dimensions ordered by the operands' strides."""
    shape_, nd = out.shape, out.ndim
    arrays = [a for a in operands if backend.is_array(a) and a.ndim]
    top = max((a.dtype for a in arrays), key=lambda d: ("buifc".find(d.kind), d.itemsize))  # (the promoted kind)
    strides = [(0,) * (nd - a.ndim) + tuple(0 if n < m else s for n, s, m in zip(  # (0: broadcast there)
        a.shape, a.strides if a.dtype == top else _packed(a.shape, [a.strides]), shape_[nd - a.ndim:])) for a in arrays]
    want = _packed(shape_, strides, out.itemsize)
    if all(n == 1 or s == w for n, s, w in zip(shape_, out.strides, want)):
        return out
    slowest = sorted(range(nd), key=lambda d: -want[d])  # (a copy in that order, its dimensions put back)
    return out.transpose(slowest).copy().transpose([slowest.index(d) for d in range(nd)])


PROMOTES_0D_BY_VALUE = backend.np.__version__.startswith("1.")  # NumPy 1.x: a 0-d float32 and 0.5 give a float64


def numpy_2_promotes(out, arrays, params):
    """An op's 0-d result ``out`` (computed from ``arrays``) in NumPy 2's (and PyTorch's) dtype.  NumPy 1.x promotes
    by value where every operand is 0-d, so an op's own constant widened a 0-d float32 or float16 to float64: when
    no floating input is a float64, a float64 result takes the widest floating input's dtype (a cast to float64
    names its dtype in ``params`` and is left as it is)."""
    if out.ndim or out.dtype != "float64" or "dtype" in params:
        return out
    widest = max((a.dtype for a in arrays if a.dtype.kind == "f"), key=lambda d: d.itemsize, default=out.dtype)
    return out if widest.itemsize == 8 else out.astype(widest)


def empty_like(x):
    """A new, unfilled array of ``x``'s shape and dtype laid out as PyTorch lays out an op's result of ``x`` alone
    (``pointwise_layout`` of one operand).  NumPy's ``empty_like`` (order "K") already follows ``x``'s strides where
    none is 0, so only a broadcast ``x`` takes the copy: an empty array re-laid out costs as much as the op."""
    xp = backend.get_array_module(x)
    return xp.empty_like(x) if 0 not in x.strides else pointwise_layout(xp.empty(x.shape, x.dtype), x)


def _packed(shape_, strides_list, itemsize=1):
    """The strides of an array of ``shape_`` packed in PyTorch's order of its dimensions (TensorIterator's
    reorder_dimensions; infer_dense_strides for one operand): an insertion sort, fastest first, where for two
    dimensions the first operand whose strides differ decides (equal strides: the smaller size goes first; a 0
    stride tells nothing), and where none tells the two keep their order."""
    perm = list(range(len(shape_) - 1, -1, -1))
    for i in range(1, len(shape_)):
        d1 = i
        for d0 in range(i - 1, -1, -1):
            a, b = perm[d0], perm[d1]
            told = [st for st in strides_list if st[a] and st[b] and (st[a] != st[b] or shape_[a] > shape_[b])]
            if told and told[0][a] < told[0][b]:  # the first operand that tells them apart says: keep
                break
            if told:  # it says: swap (where none tells, the sort goes on past them)
                perm[d0], perm[d1], d1 = b, a, d0
    strides, step = [0] * len(shape_), itemsize
    for d in perm:
        strides[d], step = step, step * max(shape_[d], 1)
    return strides


# ----------------------------------------------------------------------------- the adjustments (ops.py's layouts)
def as_operands(out, arrays, params):  # an elementwise op of its operands, in the op's order
    return pointwise_layout(out, *arrays)


def as_first(out, arrays, params):  # a result PyTorch's kernel writes into empty_like(the first operand)
    return pointwise_layout(out, arrays[0])


def row_major(out, arrays, params):  # a reduction, a scan, a product, a pad
    return backend.c_order(out)


def where_layout(out, arrays, params):  # where(cond, a, b): TensorIterator's operands are cond, a, b (forward's
    # a, b, cond)
    cond = arrays[2] if len(arrays) > 2 else params["cond"]
    return pointwise_layout(out, cond, arrays[0], arrays[1])


def pow_layout(out, arrays, params):  # number ** x (the number a NumPy scalar: minigan/surface/pointwise.py's powered):
    # row-major, as PyTorch's pow(Scalar, Tensor) allocates it; a 0-d tensor base follows the exponent's layout
    return backend.c_order(out) if isinstance(arrays[0], backend.np.generic) else pointwise_layout(out, *arrays[:2])


def clamped(out, arrays, params):  # clamp with a NaN bound: PyTorch fills empty_like(a) with NaN (a's layout, a
    # broadcast a packed); with number bounds the clip's own result already is
    bounds = (*arrays[1:], params.get("lo"), params.get("hi"))
    return pointwise_layout(out, arrays[0]) if any(b is not None and b != b for b in bounds) else out


def loss_as(*which):  # reduction="none": laid out as the operands its kernel writes after (BCE: p; with logits: t)
    def adjust(out, arrays, params):
        return pointwise_layout(out, *(arrays[i] for i in which))
    adjust.__name__ = f"loss_as{which}"  # (how the op table names it)
    return adjust
