"""The door checks: every argument a user passes is checked once, here, where it comes in.

Each check raises a one-line error that names the door (an op, a layer, a function), what was wrong and
what was expected, and returns the argument in the form the code takes (a non-negative axis, an (h, w) pair,
a shape with its -1 filled in). Code below the door trusts it: the ops (minigan/engine/ops/) hold only math,
no forward or backward checks anything.  (The checks of minigan's own doors, its trainers, GANs, attacks and
commands, stand above the engine: minigan/arguments.py.)
"""

from __future__ import annotations

from minigan.engine import backend
from minigan.engine.backend import np
from minigan.engine.errors import DimensionError, DomainError, DtypeError, GraphError, IndexOutOfRange, ShapeError


# ----------------------------------------------------------------------------- shapes, axes, padding, indices, cat
def normalize_shape(shape, size, old_shape):
    """``reshape(2, 3)`` or ``reshape((2, 3))``, with at most one -1 (NumPy's rules)."""
    if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
        shape = tuple(shape[0])
    if not all(is_integer(n) for n in shape):
        raise TypeError(f"reshape: the new shape must be ints, got {shape!r}")
    shape = tuple(int(n) for n in shape)
    if shape.count(-1) > 1 or any(n < -1 for n in shape):
        raise ShapeError(f"reshape: invalid shape {shape}: sizes must be >= 0, with at most one -1")
    known = int(np.prod([n for n in shape if n != -1]))  # (the sizes given; 1 for none)
    if -1 in shape:
        if known == 0 or size % known:
            raise ShapeError(f"reshape: cannot reshape a tensor of shape {old_shape} ({size} elements) into {shape}")
        shape = tuple(size // known if n == -1 else n for n in shape)
    elif known != size:
        raise ShapeError(f"reshape: cannot reshape a tensor of shape {old_shape} ({size} elements) into {shape}")
    return shape


def normalize_axes(axes, ndim, op="transpose"):
    """``transpose()`` reverses; otherwise a full permutation of range(ndim) (``op``: the name an error gives)."""
    if len(axes) == 1 and isinstance(axes[0], (tuple, list)):
        axes = tuple(axes[0])
    if not axes:
        return tuple(reversed(range(ndim)))
    if not all(is_integer(a) for a in axes):
        raise TypeError(f"{op}: axes must be ints, got {axes!r}")
    axes = tuple(normalize_axis(a, ndim, op, single=True) for a in axes)  # (one out of range: IndexError)
    if sorted(axes) != list(range(ndim)):
        raise ShapeError(f"{op}: axes {axes} are not a permutation of the {ndim} axes of the tensor")
    return axes


def normalize_index(items, tensor):
    """Check the index items for array ``tensor``: ints and integer arrays against the bounds (CuPy would
    wrap around), bool masks against the shape, and no more axes than the tensor has."""
    used = sum(_axes_used(it) for it in items)
    if used > tensor.ndim:
        raise IndexOutOfRange(f"getitem: too many indices for a tensor of shape {tensor.shape}: "
                              f"{used} axes indexed, it has {tensor.ndim}")
    out, axis, advanced = [], 0, False
    for pos, it in enumerate(items):
        if not (isinstance(it, (int, slice, list)) or it is None or it is Ellipsis or backend.is_array(it)
                or (backend.is_numpy_scalar(it) and backend.is_integer(it.dtype))):
            raise TypeError(f"getitem: index {it!r} of type {type(it).__name__} is not valid; expected ints, slices, "
                            "None, ..., or integer/bool arrays")
        if backend.is_array(it) or isinstance(it, list):
            xp = backend.get_array_module(tensor)
            it = xp.asarray(it) if not backend.is_array(it) else it
            if backend.device_of(it) != backend.device_of(tensor):
                it = backend.to_device(it, backend.device_of(tensor))
            if backend.is_floating(it.dtype):
                raise TypeError(f"getitem: index arrays must be integer or bool, got dtype {it.dtype}")
            advanced = True
            if backend.is_integer(it.dtype) and it.size and axis < tensor.ndim:
                n = tensor.shape[axis]
                lo, hi = int(it.min()), int(it.max())
                if lo < -n or hi >= n:
                    raise IndexOutOfRange(
                        f"getitem: index {hi if hi >= n else lo} is out of bounds for axis {axis} with size {n}"
                    )
            if backend.is_bool(it.dtype) and tuple(it.shape) != tuple(tensor.shape[axis:axis + it.ndim]):
                raise IndexOutOfRange(f"getitem: a boolean mask of shape {tuple(it.shape)} does not fit axes "
                                      f"{axis}..{axis + it.ndim - 1} of a tensor of shape {tensor.shape}")
        elif isinstance(it, int) or backend.is_numpy_scalar(it):
            n = tensor.shape[axis]
            if not -n <= int(it) < n:
                raise IndexOutOfRange(f"getitem: index {int(it)} is out of bounds for axis {axis} with size {n}")
        elif isinstance(it, slice) and it.step is not None and it.step <= 0:
            raise ValueError(f"getitem: step must be greater than zero, got {it!r} (as in PyTorch; x.flip(dim) "
                             "reverses a tensor)")
        elif it is Ellipsis:  # the ellipsis spans every axis the items after it do not use
            axis = tensor.ndim - sum(_axes_used(j) for j in items[pos + 1 :])
            out.append(it)
            continue
        axis += _axes_used(it)
        out.append(it)
    arrays = [it for it in out if backend.is_array(it) and it.ndim]  # index arrays, which NumPy broadcasts together:
    if len(arrays) > 1:  # checked here, so that the error is one IndexError whatever NumPy's version raises
        shapes = [(int(a.sum()),) if backend.is_bool(a.dtype) else a.shape for a in arrays]  # (a mask: its count)
        try:
            backend.broadcast_shapes(*shapes)
        except ShapeError:
            raise DimensionError(f"getitem: the index arrays, of shapes {', '.join(map(str, shapes))}, cannot be "
                                 "broadcast together (as in PyTorch); give them shapes that broadcast") from None
    if not advanced and Ellipsis not in out:
        out.append(Ellipsis)  # NumPy's x[0, 1] is a copy, x[0, 1, ...] a (0-d) view; a tensor's x[0, 1] is a view
    return (tuple(out), advanced)


def moved_index_axes(items, ndim):
    """Where PyTorch's and NumPy's advanced indexing lay the result out differently: ``None``, or ``(b, p)``
    when the b broadcast axes of the index arrays, which NumPy puts first, go at position p in ours.

    PyTorch applies an int (or 0-d integer array) as a plain selection before the index arrays; NumPy counts it
    with them.  So in ``x[1, :, [0, 3]]`` NumPy sees two index items apart (its rule: the broadcast axes go
    first), we see one index array after a slice (its axes stay in place: position 0 of x[1][:, [0, 3]] is :).
    """
    def is_int(it):
        return isinstance(it, int) or backend.is_numpy_scalar(it) or backend.is_array(it) and it.ndim == 0 \
            and backend.is_integer(it.dtype)

    def is_array(it):
        return (isinstance(it, list) or backend.is_array(it)) and not is_int(it)

    arrays = [i for i, it in enumerate(items) if is_array(it)]
    if not arrays or not any(is_int(it) for it in items):
        return None
    joined = [i for i, it in enumerate(items) if is_array(it) or is_int(it)]  # NumPy's index items
    if all(is_array(it) or is_int(it) for it in items[joined[0] : joined[-1] + 1]):
        return None  # side by side for NumPy too: both put the broadcast axes where the first item is
    if not all(is_array(it) or is_int(it) for it in items[arrays[0] : arrays[-1] + 1]):
        return None  # apart for us too: both put them first
    used = sum(_axes_used(it) for it in items)
    before = items[: arrays[0]]  # the axes our result has before the index arrays' broadcast axes
    p = sum(1 for it in before if it is None or isinstance(it, slice)) + (ndim - used if Ellipsis in before else 0)
    shapes = [backend.np.shape(it) if isinstance(it, list) else (it.shape if not backend.is_bool(it.dtype)
              else (-1,)) for it in (items[i] for i in arrays)]
    b = max(len(s) for s in shapes)
    return (b, p)


def _axes_used(item):
    """How many axes of the indexed tensor one index item consumes."""
    if item is None or item is Ellipsis:
        return 0
    if backend.is_array(item) and backend.is_bool(item.dtype):
        return item.ndim
    return 1


# ----------------------------------------------------------------------------- reduction axes
def normalize_axis(axis, ndim, op, single=False):
    """Check ``axis`` against ``ndim`` and make it non-negative (a tuple, an int, or None)."""
    if axis is None:
        if single:
            raise TypeError(f"{op}: expected a single dim (an int), got None; give the dim to work along")
        return None
    many = isinstance(axis, (tuple, list))
    if many and single:
        raise TypeError(f"{op}: expected a single dim (an int), got {axis!r}; work along one dim at a time")
    axes = tuple(axis) if many else (axis,)
    out = []
    for a in axes:
        if not is_integer(a):
            raise TypeError(f"{op}: axis must be an int or a tuple of ints, got {axis!r}")
        a = int(a)
        if not -max(ndim, 1) <= a < max(ndim, 1):
            raise DimensionError(f"{op}: axis {a} is out of range for a tensor with {ndim} dimensions "
                                 f"(expected {-max(ndim, 1)} to {max(ndim, 1) - 1})")
        out.append(a % max(ndim, 1))
    if len(set(out)) != len(out):
        raise ShapeError(f"{op}: repeated axis in {axis!r}")  # (a RuntimeError and a ValueError)
    if ndim == 0 and not single:  # a 0-d tensor's axis 0 (or -1) is all of it
        return None
    return tuple(out) if many else out[0]


def not_bool(x, other):
    """``other``, the second operand of x − other (or x itself for −x), refused where either is a bool (a bool tensor
    or a Python bool; np.True_ is the number 1.0, which x − 1.0 takes): a difference of truth values is ^, not −."""
    if x.array.dtype.kind == "b" or isinstance(other, bool) or hasattr(other, "_ctx") and other.array.dtype == np.bool_:
        raise DtypeError("the `-` operator with a bool tensor or a bool is not supported; use `^` or logical_xor() "
                         "for a difference and `~` or logical_not() to invert a mask")
    return other


def bool_power(x, other, reflected=False):
    """``other``, the exponent of x ** other (the base of other ** x, reflected), refused where both are bool and the
    exponent is a tensor: a bool tensor is raised to a bool number only (x ** True is x).
    A NumPy scalar comes as the number it is (checks.number): x ** np.True_ is x ** 1.0."""
    exponent = getattr(getattr(other, "array", other), "dtype", None)  # (a Tensor's: its own array's)
    if x.array.dtype.kind == "b" and (isinstance(other, bool) if reflected else exponent == np.bool_):
        raise DtypeError("pow: not provided for a bool exponent tensor, as in PyTorch (\"pow\" not implemented for "
                         "'Bool'); convert it with .long() or .float()")
    return other


def check_nonempty(x, op, dims=None):  # (an empty tensor reduced along dims of sizes > 0 has an empty result: fine)
    if x.size == 0 and (dims is None or 0 in [x.shape[d] for d in (dims if isinstance(dims, tuple) else (dims,))]):
        raise DimensionError(f"{op}: cannot reduce an empty tensor of shape {tuple(x.shape)}; give a dim whose size "
                             "is not 0")


# ----------------------------------------------------------------------------- matmul, linear
def check_matmul(sa, sb) -> None:
    if len(sa) == 0 or len(sb) == 0:
        raise ShapeError(f"matmul: operands must be at least 1-D, got shapes {sa} and {sb}")
    if sa[-1] != sb[-2 if len(sb) > 1 else 0]:
        raise ShapeError(f"matmul: shapes {sa} and {sb} do not fit: the last axis of the first ({sa[-1]}) must "
                         f"equal the {'second-to-last' if len(sb) > 1 else 'only'} axis of the second")
    batch_a, batch_b = sa[:-2], sb[:-2]  # the stacks of matrices broadcast against each other, as in NumPy
    for m, n in zip(reversed(batch_a), reversed(batch_b)):
        if m != n and m != 1 and n != 1:
            raise ShapeError(f"matmul: shapes {sa} and {sb} do not fit: their batch axes {batch_a} and {batch_b} "
                             "do not broadcast (expected equal sizes, or 1)")


def check_matmul_dtypes(a, b, computed=True) -> None:
    """The Tensors a, b of a product: one dtype, and not bool where a product is computed (``computed``: a library
    may let an empty one through, as minigan.Tensor's @ does)."""
    if b.array.dtype != a.array.dtype or a.array.dtype.kind == "b" and computed:
        raise DtypeError(f"matmul: operands have dtypes {a.dtype} and {b.dtype}; expected one dtype, and not bool "
                         "(it has no bool kernel): convert them with .float(), .double() or .long()")


# ----------------------------------------------------------------------------- clamp
def check_clamp(lo, hi) -> dict:
    """clamp's bounds: numbers (or None, not both).  min > max is allowed: every value becomes max."""
    if lo is None and hi is None:
        raise DomainError("clamp: at least one of min and max must be given (not None)")
    for name, v in (("min", lo), ("max", hi)):
        if v is not None and not isinstance(v, (bool, int, float)) and not backend.is_numpy_scalar(v):
            raise TypeError(f"clamp: {name} must be a number or None, got {type(v).__name__} {v!r}")
    return {"lo": lo, "hi": hi}


# ----------------------------------------------------------------------------- conv2d, conv_transpose2d
# ----------------------------------------------------------------------------- tensor data, operands
def no_negative_strides(array):
    """No array with a negative stride (``a[::-1]``) is taken: a tensor's strides are never negative."""
    if any(s < 0 for s in getattr(array, "strides", ())):
        raise ValueError("an array with a negative stride (a[::-1]) is not taken, as in PyTorch; pass a.copy()")


def to_array(data, dtype=None, device=None, copy=True, infer=False):
    """Turn user data into a backend array.  An array keeps its dtype; Python numbers become float32
    (``Tensor(data)``), or with ``infer`` (``tensor(data)``) bool, int64 or float32 by what they are.  (Nested lists
    of tensors and NumPy scalars are read first by minigan.Tensor's doors: minigan/surface/data.py.)"""
    if backend.is_array(data) or backend.is_numpy_scalar(data):
        xp = backend.module_for_device(device) if device is not None else None
        if xp is None:
            # An explicit NumPy array follows the active backend (so code written for NumPy runs
            # unchanged with MINIGAN_BACKEND=cupy); a CuPy array stays where it is.
            xp = backend.get_array_module(data) if backend.device_of(data) == "cuda" else backend.active_module()
        no_negative_strides(data)
        same = backend.get_array_module(data) is xp and backend.is_array(data)
        arr = (data.copy(order="C" if backend.repeats(data) else "K") if copy else data) if same else xp.asarray(
            backend.asnumpy(data))  # (a copy in the array's own layout: tensor(a.T) is transposed; a
        # broadcast one is row-major)
        arr = backend.plain_array(arr)  # (a memmap: a plain array on the same memory)
        if arr.dtype.kind in "OUSVMmc":
            raise TypeError(f"Tensor: cannot hold an array of dtype {arr.dtype}; expected a float, int or bool array")
    else:
        xp = backend.module_for_device(device) if device is not None else backend.active_module()
        try:
            host = backend.np.asarray(data)
        except ValueError as e:  # nested lists of unequal lengths: a ValueError
            raise ShapeError(f"Tensor: cannot convert {type(data).__name__} to an array ({e}); nested lists must "
                             "have equal lengths") from None
        except TypeError as e:
            raise TypeError(f"Tensor: cannot convert {type(data).__name__} to an array ({e})") from None
        if host.dtype.kind not in "biuf":
            raise TypeError(f"Tensor: cannot convert {type(data).__name__} with dtype {host.dtype} to a tensor; "
                            "expected numbers, (nested) lists of numbers, or a NumPy/CuPy array")
        inferred = {"b": backend.np.bool_, "i": backend.np.int64, "u": backend.np.int64}.get(host.dtype.kind) if infer \
            else None
        arr = xp.asarray(host, dtype=dtype or inferred or backend.DEFAULT_DTYPE)
    if dtype is not None and arr.dtype != dtype:
        arr = arr.astype(dtype)
    return arr


def are_sizes(args) -> bool:
    """``Tensor(64, 1)``: every positional argument an integer, not a tensor or an array (sizes, not data)."""
    return len(args) > 0 and all(is_integer(n) and not backend.is_array(getattr(n, "array", n)) for n in args)


def legacy_sizes(sizes, dtype, device):
    if any(n < 0 for n in sizes):
        raise DomainError(f"Tensor: got sizes {sizes}, expected non-negative integers")
    xp = backend.module_for_device(device) if device is not None else backend.active_module()
    return xp.zeros(sizes, dtype=dtype or backend.DEFAULT_DTYPE)


def one_argument(args):
    if not args:  # Tensor(): the legacy constructor's empty tensor
        return []
    if len(args) != 1:
        raise TypeError(f"Tensor: expected Tensor(data) or Tensor(*sizes) with int sizes, got {len(args)} "
                        "positional arguments; pass requires_grad, dtype and device by keyword")
    return args[0]


def check_broadcast(op, a, b):
    """NumPy's broadcasting rule, checked at the door: trailing sizes equal, or one of them 1."""
    for m, n in zip(reversed(a.shape), reversed(b.shape)):
        if m != n and m != 1 and n != 1:
            raise ShapeError(f"{op}: cannot broadcast inputs of shapes {tuple(a.shape)} and {tuple(b.shape)}; "
                             "expected shapes that are equal, or 1, in each trailing axis (NumPy broadcasting)")


# ----------------------------------------------------------------------------- what is taken as an int or a number
def is_integer(value) -> bool:
    """Whether ``value`` is taken as an int (a size, a dim, a count): what has ``__index__`` (an int, a NumPy
    integer, a 0-d integer tensor or array), not a bool."""
    return hasattr(type(value), "__index__") and not isinstance(value, (bool, np.bool_)) and \
        getattr(value, "dtype", np.dtype(int)).kind in "iu" and getattr(value, "ndim", 0) == 0


# What an operator answers NotImplemented for: Python's sequences are not operands.  Asked
# as ``type(x) in SEQUENCES``, a third of isinstance's cost on every op (a subclass is refused by the op's door).
SEQUENCES = frozenset({list, tuple, range, str, bytes, bytearray})


def is_number(value) -> bool:
    """Whether ``value`` is taken as a number (a rate, a probability, a p): an int or a float, Python's or a NumPy
    scalar (np.float32(0.5), np.int64(2), and np.True_, read as 1.0); not a Python bool."""
    return isinstance(value, (int, float, np.integer, np.floating, np.bool_)) and not isinstance(value, bool)


def number(value):
    """A NumPy scalar as the Python number it holds: an integer one as an int, a floating or bool one as
    a float (np.True_ is 1.0, as ``torch.mul(x, np.True_)`` shows); anything else as it is."""
    return value if not isinstance(value, np.generic) else int(value) if value.dtype.kind in "iu" else float(value)


def differentiable(op, inputs) -> tuple:
    """``inputs`` of autograd.grad / backward(inputs=...): a Tensor or a non-empty sequence of Tensors, each
    requiring grad; returned as a tuple."""
    items = (inputs,) if hasattr(inputs, "_ctx") else tuple(inputs)
    if not items or not all(hasattr(t, "_ctx") for t in items):  # (a RuntimeError)
        raise RuntimeError(f"{op}: inputs must be a Tensor or a non-empty sequence of Tensors")
    for i, t in enumerate(items):
        if not t._input(t).requires_grad:  # (a view whose base changed in place: its current history first)
            raise GraphError(f"{op}: input {i} (shape {tuple(t.shape)}) does not require grad")
    return items
