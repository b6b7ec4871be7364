"""The one module that imports NumPy and CuPy by name.

Everything else asks an array for its module (``xp = get_array_module(a)``), so the same
code runs on the CPU (NumPy) and on an NVIDIA GPU (CuPy) with no ``if gpu:`` branches.

This module also owns:
  * the default floating dtype (float32; gradient checks pass float64 arrays explicitly),
  * the *active* backend, used only where an array is created from nothing
    (``minigan.randn``, layer initialisation, data batches),
  * minigan's matrix products (``matmul``, run with the BLAS threads of ``threads.py``).

BLAS threads live in ``threads.py`` (whose old names here still work); random numbers, PyTorch's CPU generator, in
minigan/surface/random.py, above the engine (it draws with this module's NumPy).
"""

from __future__ import annotations

import functools
import os
import warnings

import numpy

from minigan.engine.errors import ShapeError
from minigan.engine.threads import _blas_threads, _threads, blas_threads, get_num_threads, set_num_threads  # noqa: F401

try:  # CuPy is optional: ``pip install "minigan[gpu]"``
    import cupy as _cupy
except Exception:  # ImportError, or a CuPy that cannot find its CUDA libraries
    _cupy = None

np = numpy  # host-side NumPy, for modules that do file I/O and plotting (data/, viz.py, ...)

DEFAULT_DTYPE = numpy.float32

_GPU_HELP = (
    "install the GPU extra that matches your CUDA toolkit, e.g. pip install 'minigan[gpu]' "
    "(CUDA 12) or pip install 'minigan[gpu13]' (CUDA 13), on a machine with an NVIDIA GPU"
)


class BackendError(RuntimeError):
    """The requested backend is not available, or arrays from two backends were mixed."""


# ----------------------------------------------------------------------------- modules
def cupy_available() -> bool:
    """True when CuPy imports and sees at least one GPU."""
    if _cupy is None:
        return False
    try:
        return _cupy.cuda.runtime.getDeviceCount() > 0
    except Exception:
        return False


def set_default_dtype(dtype) -> None:
    """Make ``dtype`` (float32 or float64) the dtype of new floating tensors (``minigan.set_default_dtype``)."""
    global DEFAULT_DTYPE
    DEFAULT_DTYPE = numpy.dtype(dtype).type


def _require_cupy():
    if _cupy is None:
        raise BackendError(f"the 'cupy' backend needs CuPy, which is not installed: {_GPU_HELP}")
    if not cupy_available():
        raise BackendError(f"the 'cupy' backend needs an NVIDIA GPU, and CuPy found none: {_GPU_HELP}")
    return _cupy


def get_array_module(*arrays):
    """The module (numpy or cupy) that owns these arrays; raises if they come from both."""
    if _cupy is None:
        return numpy
    found = None
    for a in arrays:
        if isinstance(a, numpy.generic):  # a NumPy scalar (e.g. a Python number given our dtype) mixes with both
            continue
        mod = _cupy if isinstance(a, _cupy.ndarray) else numpy
        if found is None:
            found = mod
        elif mod is not found:
            raise BackendError("cannot mix a NumPy (cpu) array and a CuPy (cuda) array in one operation: "
                               "move one of them with .to('cpu') or .to('cuda')")
    return found or numpy


def arrays_of(op: str, tensors) -> list:
    """The arrays an op computes on, all on one device: a BackendError naming ``op`` and the devices on a
    cpu/cuda mix.  A host scalar (a NumPy scalar or 0-d array, a constant such as the 2 of ``x ** 2``) mixes
    with any device, as CuPy takes NumPy scalars; it is handed over as a NumPy scalar."""
    arrays = [getattr(t, "array", t) for t in tensors]  # (tensors or their arrays)
    if _cupy is None or not any(isinstance(a, _cupy.ndarray) for a in arrays):  # all on the CPU: as they are
        return arrays
    arrays = [a[()] if isinstance(a, numpy.ndarray) and a.ndim == 0 else a for a in arrays]
    try:
        get_array_module(*[a for a in arrays if not isinstance(a, numpy.generic)])
    except BackendError as e:
        raise BackendError(f"{op}: inputs on {', '.join(device_of(a) for a in arrays)}: {e}") from None
    return arrays


# What an op computes on directly (not a Tensor): NumPy/CuPy arrays and NumPy scalars (0-d results).
PLAIN_TYPES = (numpy.ndarray, numpy.generic) + ((_cupy.ndarray,) if _cupy is not None else ())
# The same as a set of exact types, which Node.apply asks of each input: for a Tensor a set lookup costs a third of
# isinstance's two failed checks (2% of an op).  An array of a subclass (a memmap) becomes a plain one at the door.
_SCALAR_TYPES = frozenset(numpy.sctypeDict.values())  # every concrete NumPy scalar type
ARRAY_TYPES = _SCALAR_TYPES | {numpy.ndarray} | ({_cupy.ndarray} if _cupy is not None else set())
# The module of each of ARRAY_TYPES, looked up by an array's exact type (graph.namespace)
MODULE_OF = dict.fromkeys(_SCALAR_TYPES | {numpy.ndarray}, numpy) | ({_cupy.ndarray: _cupy} if _cupy else {})
GPU_ARRAYS = _cupy is not None  # can an array be a GPU's?  (If not, no op needs to ask where its inputs live.)


def plain_array(array):
    """``array`` itself, or, for an array of an ndarray subclass (a memmap), a plain ndarray on the same memory: what
    a tensor holds, so that every array an op meets has one of ARRAY_TYPES (the doors call this)."""
    return array if type(array) in ARRAY_TYPES else array.view(numpy.ndarray)


def keep_where(keep, a):
    """``a`` where the bool ``keep`` holds, +0 elsewhere: a select (an ∞ or NaN where keep is False gives 0, not
    a·keep's NaN), done on a CPU on the bits: each element's bits, read as an integer, times 1 or 0 (keep widened to a's
    width from its bytes: a bool widened directly goes through NumPy's slower cast).  NumPy's where() branches on each
    element, several times slower on a random mask (a relu's).  Three passes (the comparison that made keep, the
    widening, the product): a mask of what to zero needs a fourth to become words to AND with (mask − 1), 14% more
    instructions a call at mlp-ring's (256, 128) (benchmarks/relu_backward_paired.py; docs/performance.md).  (A 0-d
    keep is a NumPy scalar: asarray makes it an array.)"""
    if type(a) is not numpy.ndarray or a.dtype.kind != "f":
        return get_array_module(a).where(keep, a, a.dtype.type(0))
    words = numpy.asarray(keep).view(numpy.int8).astype(_WORDS[a.itemsize])  # 1 where kept, else 0
    return numpy.multiply(words, a.view(words.dtype), out=words).view(a.dtype)


_WORDS = {2: numpy.int16, 4: numpy.int32, 8: numpy.int64}  # the integers as wide as each float


def c_order(array):
    """``array`` laid out row-major (C-contiguous), copied only if it is not."""
    return array if array.flags.c_contiguous else array.copy()


def is_array(x) -> bool:
    """True for a NumPy or CuPy ndarray."""
    return isinstance(x, numpy.ndarray) or (_cupy is not None and isinstance(x, _cupy.ndarray))


def is_numpy_scalar(x) -> bool:
    return isinstance(x, numpy.generic)


def device_of(array) -> str:
    """'cuda' for a CuPy array, 'cpu' otherwise."""
    return "cuda" if (_cupy is not None and isinstance(array, _cupy.ndarray)) else "cpu"


# ----------------------------------------------------------------------------- the active backend
_active = {"xp": numpy}


def use_backend(name: str) -> None:
    """Choose where new arrays are created: 'numpy' (default, CPU) or 'cupy' (NVIDIA GPU)."""
    if not isinstance(name, str) or name.lower() not in ("numpy", "cupy", "cpu", "cuda"):
        raise ValueError(f"use_backend: got {name!r}, expected 'numpy' or 'cupy'")
    _active["xp"] = _require_cupy() if name.lower() in ("cupy", "cuda") else numpy


def active_module():
    """The module new arrays are created with (see ``use_backend``)."""
    return _active["xp"]


def backend_name() -> str:
    return "cupy" if _active["xp"] is not numpy else "numpy"


def device_type(device) -> str:
    """"cpu" or "cuda" for a device name or ``minigan.device`` ("cuda:0" too), asking nothing of CuPy; a second
    GPU and unknown names are refused."""
    if isinstance(device, str) and device in ("numpy", "gpu", "cupy"):  # (minigan's names of its backends)
        return "cpu" if device == "numpy" else "cuda"
    device = device if isinstance(device, Device) else Device(device)  # (an unknown name raises there)
    if device.type == "cuda" and device.index not in (None, 0):
        raise BackendError(f"to: minigan runs on one GPU, cuda:0; got {str(device)!r} (choose the GPU with the "
                           "CUDA_VISIBLE_DEVICES environment variable)")
    return device.type


def module_for_device(device):
    """numpy for the CPU, cupy for the GPU (which must be there)."""
    return numpy if device_type(device) == "cpu" else _require_cupy()


class Device:
    """``minigan.device("cuda")``: where arrays live, as ``torch.device`` (``.type`` is "cpu" or "cuda"), what
    ``Tensor.device`` gives (a GPU tensor's is ``cuda:0``, and, as in PyTorch, ``device("cuda:0") != device("cuda")``:
    compare ``.type`` to ask "on a GPU?").  It also compares (and hashes) equal to its string, "cpu" or "cuda:0",
    where PyTorch's ``torch.device("cpu") == "cpu"`` is False.
    """

    def __init__(self, type, index=None):
        if isinstance(type, Device):
            type, index = type.type, type.index
        kind, colon, number = str(type).partition(":")
        if not isinstance(type, (str, int)) or index is not None and not isinstance(index, int):  # a wrong type:
            raise TypeError(f"device: expected a name such as 'cpu' or 'cuda:0' (and an int index), got {type!r}")
        if kind not in ("cpu", "cuda") or colon and not number.isdigit() or (index or 0) < 0:
            raise RuntimeError(f"device: unknown device {type!r}, expected 'cpu', 'cuda' or 'cuda:N'")
        self.type, self.index = kind, int(number) if number else index

    def __str__(self):
        return self.type if self.index is None else f"{self.type}:{self.index}"

    def __repr__(self):
        return f"device(type={self.type!r}" + ("" if self.index is None else f", index={self.index}") + ")"

    def __eq__(self, other):
        if isinstance(other, str):
            other = Device(other)
        return isinstance(other, Device) and (self.type, self.index) == (other.type, other.index)

    def __hash__(self):
        return hash(str(self))

    def __enter__(self):  # `with device("cuda"):` the factories make new tensors there until the block ends
        xp = module_for_device(self)  # (refused without CuPy, or for a second GPU, as every door to a device)
        _active.setdefault("outer", []).append(_active["xp"])
        _active["xp"] = xp
        return self

    def __exit__(self, *exc):
        _active["xp"] = _active["outer"].pop()


def torch_device(array) -> Device:
    """An array's ``Tensor.device``: cpu, or cuda:0 (minigan runs on one GPU, the first)."""
    return Device("cuda", 0) if device_of(array) == "cuda" else Device("cpu")


def to_device(array, device: str):
    """Copy ``array`` to 'cpu' (NumPy) or 'cuda' (CuPy); no copy when it is already there."""
    xp = module_for_device(device)
    return asnumpy(array) if xp is numpy else xp.asarray(array)


def asnumpy(array):
    """A host NumPy array for any NumPy/CuPy array (or scalar, or Tensor): the explicit way to the host."""
    array = getattr(array, "array", array)  # a minigan Tensor: its array (NumPy will not convert a GPU one)
    return _cupy.asnumpy(array) if _cupy is not None and isinstance(array, _cupy.ndarray) else numpy.asarray(array)


def asarray(data, dtype=None, xp=None):
    """``xp.asarray`` on the given (default: active) module."""
    return (xp or _active["xp"]).asarray(data, dtype=dtype)


def repeats(a) -> bool:
    """Do entries of ``a`` share memory (a zero stride along an axis of 2 or more: an expand)?  NumPy marks a
    broadcast read-only, CuPy's is writable: the strides tell on both (an empty array shares nothing)."""
    return a.size > 1 and any(s == 0 and n > 1 for s, n in zip(a.strides, a.shape))


def broadcast_shapes(*shapes, op="broadcast"):
    """The shape the given shapes broadcast to (NumPy's rule: trailing sizes equal, or one of them 1)."""
    try:
        return numpy.broadcast_shapes(*shapes)
    except ValueError:
        listed = ", ".join(str(tuple(s)) for s in shapes)
        raise ShapeError(f"{op}: shapes {listed} do not broadcast: each trailing size must be equal, or 1") from None


def scatter_add(target, index, values):
    """target[index] += values, summing repeated indices (CuPy's plain ``+=`` keeps only one)."""
    if _cupy is not None and isinstance(target, _cupy.ndarray):
        _device_scatter_add(target, index, values)
    else:
        numpy.add.at(target, index, values)


def _cupy_scatter_add(target, index, values):
    _cupy.add.at(target, index, values)  # cupyx.scatter_add before CuPy 14, which deprecates it for this


_device_scatter_add = _cupy_scatter_add


# ----------------------------------------------------------------------------- fused elementwise chains
# On a GPU every NumPy-style call is a kernel launch, and at minigan's sizes the launches, not the arithmetic,
# take the time (docs/performance.md, "On a GPU"): ``grad * s * (1 - s)`` is three kernels and two temporary
# arrays.  ``@fused`` marks such a chain, written ONCE as a plain Python function of ``xp`` and arrays/numbers:
#
#     @backend.fused
#     def sigmoid_grad(xp, grad, s):  # dσ/dx = σ(1 − σ)
#         return grad * s * (1 - s)
#
#     sigmoid_grad(xp, grad, s)  # xp = the arrays' module (or namespace(grad) on Tensors)
#
# With NumPy (or minigan's Tensor namespace, under create_graph) the call is the function itself, line by line,
# so the CPU runs the same expression as before and a debugger steps into it.  With CuPy it is ``cupy.fuse``
# of the same function: the chain compiled into ONE elementwise kernel (once per dtypes and ndim; in-place
# updates such as ``m *= beta1`` write into the array given, as in NumPy).  Inside, use operators, ufuncs
# (``xp.exp``, ``xp.sqrt``, ``xp.maximum``, ``xp.abs``, not the builtin ``abs``) and ``xp.where``; no Python
# ``if`` on an array's values, no reductions, no indexing, no ``.dtype.type``: pass such numbers in.


class _Fused:
    """A function ``fn(xp, *args)`` that runs as one kernel on CuPy arrays and as itself on anything else."""

    def __init__(self, fn):
        self.fn, self.kernel, self.device = fn, None, None
        functools.update_wrapper(self, fn)

    def __call__(self, xp, *args):
        if xp is not _cupy or not hasattr(xp, "fuse"):  # NumPy, Tensors (create_graph), a stand-in without fuse
            return self.fn(xp, *args)
        if self.device is not xp:  # compiled per device module: the tests swap CuPy for a stand-in and back
            self.kernel = xp.fuse(kernel_name="minigan" + self.fn.__name__)(functools.partial(self.fn, xp))
            self.device = xp
        try:
            return self.kernel(*args)
        except Exception as e:  # CuPy could not fuse these arguments (it traces them before any kernel runs)
            warnings.warn(f"{self.fn.__name__}: runs op by op, not as one fused kernel ({type(e).__name__}: {e})",
                          RuntimeWarning, stacklevel=2)
            return self.fn(xp, *args)  # a real error (shapes, dtypes) is raised again here


def fused(fn):
    """``@fused``: ``fn(xp, *arrays_and_numbers)`` as one fused kernel on a GPU, the plain function on a CPU."""
    return _Fused(fn)


# ----------------------------------------------------------------------------- col2im's overlapping adds
_window_index: dict = {}  # per geometry and device: the flat index of every column entry's pixel (see add_windows)


def add_windows_by_slices(out, cols, stride, dilation):
    """``add_windows`` on a CPU: one slice ``+=`` per kernel offset, each adding every window at once."""
    (sh, sw), (dh, dw) = stride, dilation
    c, kh, kw, ho, wo, n = cols.shape
    for p in range(kh):
        for q in range(kw):
            i, j = p * dh, q * dw  # where the offset's windows start
            out[:, i : i + sh * (ho - 1) + 1 : sh, j : j + sw * (wo - 1) + 1 : sw] += cols[:, p, q]
    return out


def add_windows(out, cols, stride, dilation):
    """``out[c, p·dh + i·sh, q·dw + j·sw, n] += cols[c, p, q, i, j, n]`` for every entry: col2im's adds.

    ``out`` is (C, Hp, Wp, N), ``cols`` (C, kh, kw, Ho, Wo, N).  Windows overlap, so a pixel gets several
    entries; the sum is the same however it is split.  On a GPU it is ONE scatter-add of every entry onto the
    flat index of its pixel (an index array built once per geometry and kept on the device: ``cupy.add.at``,
    one kernel with atomic adds).  On a CPU NumPy's ``add.at`` is 1.4–3× slower than adding kh·kw strided
    slices (each moves every window at once, N contiguous numbers at a time: docs/performance.md), so there it
    adds the slices.  Both are the formula above; the tests check each against the other.
    """
    if type(out) is numpy.ndarray:  # the CPU
        return add_windows_by_slices(out, cols, stride, dilation)
    (sh, sw), (dh, dw) = stride, dilation
    n = cols.shape[-1]
    xp = get_array_module(out)
    key = (out.shape, cols.shape, stride, dilation, xp)
    index = _window_index.get(key)
    if index is None:  # built on the host with NumPy (once per geometry), then copied to the device
        if len(_window_index) >= 16:  # many geometries (a test sweep): start again rather than grow
            _window_index.clear()
        _, hp, wp, _ = out.shape
        c_, p, q, i, j, n_ = numpy.ix_(*(numpy.arange(s) for s in cols.shape))
        flat = ((c_ * hp + p * dh + i * sh) * wp + q * dw + j * sw) * n + n_  # the pixel of cols[c, p, q, i, j, n]
        kind = numpy.int32 if out.size < 2**31 else numpy.int64  # half the memory (and reads) of int64
        index = _window_index[key] = xp.asarray(numpy.broadcast_to(flat, cols.shape).astype(kind).reshape(-1))
    scatter_add(out.reshape(-1), index, cols.reshape(-1))
    return out


def set_device_module(module, scatter_add=None):
    """Put another device array library in CuPy's place; returns what was there (None without CuPy).

    For the tests: ``tests/strict_backend.py`` is a CPU stand-in whose arrays refuse to become NumPy arrays,
    as CuPy's do, so CuPy's code path runs on machines without a GPU.  ``scatter_add`` is its
    ``cupyx.scatter_add``.  Give back the returned module (with no ``scatter_add``) to undo.
    """
    global _cupy, PLAIN_TYPES, ARRAY_TYPES, MODULE_OF, GPU_ARRAYS, _device_scatter_add
    previous, _cupy = _cupy, module
    GPU_ARRAYS = module is not None
    PLAIN_TYPES = (numpy.ndarray, numpy.generic) + ((module.ndarray,) if module is not None else ())
    ARRAY_TYPES = _SCALAR_TYPES | {numpy.ndarray} | ({module.ndarray} if module is not None else set())
    MODULE_OF = dict.fromkeys(_SCALAR_TYPES | {numpy.ndarray}, numpy) | ({module.ndarray: module} if module else {})
    _device_scatter_add = scatter_add or _cupy_scatter_add
    return previous


# ----------------------------------------------------------------------------- matrix products
def matmul(a, b):
    """``a @ b`` for minigan's ops: on NumPy arrays, run with minigan's BLAS thread count (see above)."""
    if a.ndim >= 2 and b.ndim >= 2 and a.shape[-1] == b.shape[-2] == 1:  # one product a term: a·b broadcast is
        return a * b  # the same numbers, and BLAS is slow at it (a (64, 1) by (1, 6272) product: 0.5 ms, this 0.1)
    if type(a) is not numpy.ndarray or _threads["set"]:  # CuPy (no BLAS pool), or the count set process-wide
        return a @ b
    with _blas_threads:
        return a @ b


# ----------------------------------------------------------------------------- dtypes
def is_floating(dtype) -> bool:
    return numpy.dtype(dtype).kind == "f"


def is_integer(dtype) -> bool:
    return numpy.dtype(dtype).kind in "iu"


def is_bool(dtype) -> bool:
    return numpy.dtype(dtype) == numpy.bool_


def finfo(dtype):
    return numpy.finfo(dtype)


# The environment chooses the starting backend: MINIGAN_BACKEND=cupy python ...
_env = os.environ.get("MINIGAN_BACKEND", "").strip().lower()
if _env:
    use_backend(_env)
