"""A strict stand-in for CuPy on the CPU: the GPU code path, checked on machines without a GPU.

CuPy arrays live in device memory, so NumPy cannot read them: ``numpy.asarray(a)``, NumPy functions
called on them and arithmetic with NumPy arrays all raise, and only an explicit transfer (``cupy.asnumpy``,
``a.get()``, in minigan ``.to("cpu")`` / ``.detach().numpy()``) brings values back.  A library that slips a
NumPy-only call into an op, a metric or a trainer works on the CPU and breaks on the first GPU run.

This module behaves the same way with NumPy doing the arithmetic underneath:

* ``ndarray`` wraps a NumPy array.  ``__array__`` raises (so ``numpy.asarray``, ``numpy.array`` and every
  implicit conversion fail), ``__array_function__`` raises (``numpy.sum(a)``, ``numpy.concatenate([a])``),
  and ``__array_ufunc__ = None`` makes ``numpy.exp(a)`` raise while ``numpy.float32(2) * a`` still works
  (a NumPy scalar is a host number, as with CuPy).  Mixing with a NumPy array raises, in either order.
  ``float``/``int``/``bool`` work on one element only; ``.get()`` is the way back.
* Reductions and scalar indexing give 0-d arrays, not NumPy scalars (as CuPy's do).
* The namespace mirrors NumPy's (``xp.exp``, ``xp.zeros``, ``xp.linalg.norm`` ...): each function runs
  NumPy's on the unwrapped arrays and wraps what comes back; a NumPy array given to anything but
  ``asarray``/``array`` (the host-to-device copies) raises.
* ``random.default_rng(seed)`` draws from its own stream (PCG64DXSM, not NumPy's PCG64): the same seed
  gives other numbers than NumPy's, as CuPy's generator does, so nothing can rely on the two agreeing.

The tests put it in CuPy's place with ``backend.set_device_module`` (the ``xp_backend`` fixture's
"strict" run): it is then the "cuda" device, and every line that serves CuPy serves it.
What it cannot show: CUDA itself (kernels, streams, device memory, copies' cost), and CuPy's own gaps
where it implements less than NumPy.
"""

from __future__ import annotations

import collections
import contextlib
import operator
import types

import numpy

_HELP = "a device array cannot be used as a NumPy array: copy it to the host with .get() / asnumpy (.to('cpu'))"

# Kernel counting (``counting()`` below): what a GPU would launch for each call, by name.  A call counts as one
# kernel when it writes memory: it returns a new array (not a view), takes ``out=``, or changes an array in
# place; views (reshape, transpose, slices, as_strided) and ``empty`` count nothing, a fused function one.
_counts = {"on": False, "launches": collections.Counter()}


def _launch(name, result=None, inputs=(), out=False):
    """Count one launch of ``name`` if counting is on and the call wrote memory (see above)."""
    if not _counts["on"]:
        return
    if result is not None and not out:
        if isinstance(result, numpy.generic):  # a reduction to one number: a kernel too
            result = numpy.asarray(result)
        if not isinstance(result, numpy.ndarray):
            return
        if any(isinstance(a, numpy.ndarray) and numpy.may_share_memory(result, a) for a in inputs):
            return  # a view of an input: no kernel
    _counts["launches"][name] += 1


class ndarray:
    """A device array: a NumPy array that NumPy may not read."""

    __slots__ = ("_a",)
    __array_ufunc__ = None  # numpy.exp(a) raises; numpy scalars' and arrays' operators defer to ours

    def __init__(self, array):
        self._a = array

    # ---- what a device array refuses
    def __array__(self, dtype=None, copy=None):
        raise TypeError(f"implicit conversion to a NumPy array: {_HELP}")

    def __array_function__(self, func, types, args, kwargs):
        raise TypeError(f"numpy.{func.__name__} called on a device array: use xp = get_array_module(x); {_HELP}")

    def _one(self, kind):
        if self._a.size != 1:
            raise TypeError(f"{kind}() of a device array of {self._a.size} elements: only one element converts")
        return self._a.reshape(())

    def __float__(self):
        return float(self._one("float"))

    def __int__(self):
        return int(self._one("int"))

    def __bool__(self):
        return bool(self._one("bool"))

    def __index__(self):
        if self._a.dtype.kind not in "iu":
            raise TypeError(f"a device array of dtype {self._a.dtype} is not an index")
        return operator.index(self._one("index")[()])

    def __complex__(self):
        return complex(self._one("complex"))

    # the attributes read most, without __getattr__'s detour
    shape = property(lambda self: self._a.shape)
    dtype = property(lambda self: self._a.dtype)
    ndim = property(lambda self: self._a.ndim)
    size = property(lambda self: self._a.size)
    strides = property(lambda self: self._a.strides)
    T = property(lambda self: ndarray(self._a.T))

    @property
    def device(self):  # not NumPy 2's "cpu": code that asks an array where it lives must not be told the host
        return "strict:0"

    # ---- the explicit way back
    def get(self):
        """A host NumPy copy (CuPy's ``ndarray.get``)."""
        return self._a.copy()

    @property
    def __cuda_array_interface__(self):  # CuPy's: where the data lives (what minigan's overlap check reads)
        a = self._a
        return {"data": (a.__array_interface__["data"][0], False), "shape": a.shape, "typestr": a.dtype.str,
                "strides": a.strides, "version": 3}

    # ---- the array protocol minigan uses
    def __getattr__(self, name):  # shape, dtype, ndim, reshape, sum, astype, T ... (results wrapped)
        if name.startswith("__") or name == "_a":  # __array_interface__, __dlpack__ ...: NumPy may not look in
            raise AttributeError(name)
        value = getattr(self._a, name)
        return _wrap_function(value, self._a) if callable(value) else _wrap(value)

    def __len__(self):
        return len(self._a)

    def __iter__(self):
        return (_wrap(a) for a in self._a)

    def __getitem__(self, key):
        result = self._a[_unwrap_index(key)]
        _launch("getitem", result, (self._a,))
        return _wrap(result)

    def __setitem__(self, key, value):
        if isinstance(value, numpy.ndarray) and value.ndim:  # CuPy's refusal: a host array is copied explicitly
            raise ValueError("non-scalar numpy.ndarray cannot be used for fill")
        self._a[_unwrap_index(key)] = _unwrap(value, host_ok=True)
        _launch("setitem")

    def __repr__(self):
        return "strict." + repr(self._a)

    __str__ = __repr__

    def __copy__(self):
        return ndarray(self._a.copy())

    def __deepcopy__(self, memo):
        return ndarray(self._a.copy())

    def __reduce__(self):  # pickling (a checkpoint) copies to the host, as CuPy's does
        return (_from_host, (self._a,))


def _from_host(array):
    return ndarray(numpy.asarray(array))


def _binary(name):
    def op(self, other):
        if not isinstance(other, ndarray) and getattr(other, "__array_ufunc__", 0) is None:
            return NotImplemented  # (CuPy's rule, _should_use_rop: an object whose __array_ufunc__ is None answers)
        result = getattr(self._a, name)(_unwrap(other))
        if result is NotImplemented:
            return result
        _launch(name.strip("_"))
        return _wrap(result)

    op.__name__ = name
    return op


def _inplace(name):
    def op(self, other):
        getattr(self._a, name)(_unwrap(other))
        _launch(name.strip("_"))
        return self

    op.__name__ = name
    return op


_BINARY = ("add sub mul truediv floordiv mod pow matmul and or xor lshift rshift divmod").split()
for _n in _BINARY:
    setattr(ndarray, f"__{_n}__", _binary(f"__{_n}__"))
    setattr(ndarray, f"__r{_n}__", _binary(f"__r{_n}__"))
    if _n != "divmod":
        setattr(ndarray, f"__i{_n}__", _inplace(f"__i{_n}__"))
for _n in ("lt", "le", "gt", "ge", "eq", "ne"):
    setattr(ndarray, f"__{_n}__", _binary(f"__{_n}__"))
def _unary(name):
    def op(self):
        _launch(name)
        return _wrap(getattr(self._a, f"__{name}__")())

    op.__name__ = f"__{name}__"
    return op


for _n in ("neg", "pos", "abs", "invert"):
    setattr(ndarray, f"__{_n}__", _unary(_n))
ndarray.__hash__ = None


# ----------------------------------------------------------------------------- wrapping
def _wrap(x):
    if isinstance(x, numpy.ndarray):
        return ndarray(x)
    if isinstance(x, numpy.generic) and not isinstance(x, (numpy.str_, numpy.bytes_)):
        return ndarray(numpy.asarray(x))  # a reduction or a scalar index gives a 0-d device array
    if isinstance(x, tuple):
        return tuple(_wrap(v) for v in x)
    if isinstance(x, list):
        return [_wrap(v) for v in x]
    return x


def _unwrap(x, host_ok=False):
    if isinstance(x, ndarray):
        return x._a
    if isinstance(x, numpy.ndarray) and not host_ok:
        raise TypeError(f"a NumPy (host) array of shape {x.shape} given where a device array is needed: "
                        "copy it with xp.asarray first")
    if isinstance(x, (list, tuple)):
        return type(x)(_unwrap(v, host_ok) for v in x)
    return x


def _unwrap_index(key):  # CuPy takes host index arrays (it copies them over): so does this
    if isinstance(key, tuple):
        return tuple(_unwrap(k, host_ok=True) for k in key)
    return _unwrap(key, host_ok=True)


def _unwrap_kwargs(kwargs):
    return {k: _unwrap(v) for k, v in kwargs.items()}


def _wrap_function(fn, owner=None):
    def call(*args, **kwargs):
        args, kwargs = [_unwrap(a) for a in args], _unwrap_kwargs(kwargs)
        result = fn(*args, **kwargs)
        if _counts["on"] and call.__name__ not in _NO_KERNEL:
            inputs = args + list(kwargs.values()) + ([owner] if owner is not None else [])
            _launch(call.__name__, None if result is None or call.__name__ in _ALWAYS else result, inputs,
                    out=kwargs.get("out") is not None)
        return _wrap(result)

    call.__name__ = getattr(fn, "__name__", "function")
    call.__doc__ = getattr(fn, "__doc__", None)
    return call


_NO_KERNEL = {"empty", "empty_like", "get", "item", "tolist", "normal", "standard_normal", "random", "integers",
              "uniform"}  # allocation only; the random draws are made on the host (surface/random.py)
_ALWAYS = {"copy", "fill", "sort", "partition", "put", "matmul"}  # always write memory (also in place: no result)


# A GPU's math library is not the CPU's: CUDA's expf, logf, tanhf ... are within an ulp or two of the true value,
# as NumPy's are, but not always the same ulp (nor are Intel's and AMD's).  The stand-in's transcendental functions
# give NumPy's result two ulps up (0, ±1, ±∞ and NaN as they are, exact in every library; sqrt and division are
# correctly rounded everywhere): two, so that the difference is more than 1e-7 of any float32 value (one ulp is
# 6e-8 to 1.2e-7 of it), and a test that compares a device result with a host one exactly, or float32 at
# rtol=1e-7, fails here on every CPU, not first on a GPU host.  tests/conftest.py's ulps(dtype, n) is the tolerance.
ANOTHER_LIBM = frozenset("exp expm1 exp2 log log1p log2 log10 sin cos tan tanh sinh cosh arcsin arccos arctan "
                         "arctan2 arcsinh arccosh arctanh".split())


def _two_ulps_up(result):
    if isinstance(result, numpy.generic):
        result = numpy.asarray(result)
    if isinstance(result, numpy.ndarray) and result.dtype.kind == "f" and result.size:
        moved = numpy.isfinite(result) & (result != 0) & (abs(result) != 1)
        up = numpy.nextafter(numpy.nextafter(result, numpy.inf, dtype=result.dtype), numpy.inf, dtype=result.dtype)
        numpy.copyto(result, up, where=moved & numpy.isfinite(up))
    return result


class _Ufunc:
    """A NumPy ufunc on device arrays: call, ``.at``, ``.reduce``, ``.outer`` ... wrapped the same way."""

    def __init__(self, ufunc):
        self._u = ufunc
        self.__name__ = ufunc.__name__

    def __call__(self, *args, **kwargs):
        _launch(self.__name__)
        result = self._u(*(_unwrap(a) for a in args), **_unwrap_kwargs(kwargs))
        return _wrap(_two_ulps_up(result) if self.__name__ in ANOTHER_LIBM else result)

    def __getattr__(self, name):
        value = getattr(self._u, name)
        if callable(value):
            call = _wrap_function(value)
            call.__name__ = f"{self.__name__}.{name}"
            _ALWAYS.add(call.__name__)  # add.at, maximum.reduce ...: each a kernel
            return call
        return value


class _Namespace(types.ModuleType):
    """NumPy's names (or a submodule's), each function wrapped; types and constants as they are."""

    def __init__(self, name, source):
        super().__init__(name)
        self._source = source

    def __getattr__(self, name):
        value = getattr(self._source, name)
        if isinstance(value, types.ModuleType):  # xp.lib.stride_tricks ...
            wrapped = _Namespace(f"{self.__name__}.{name}", value)
        elif isinstance(value, type) or not callable(value):  # dtypes (float32 ...), constants (pi, newaxis)
            wrapped = value
        elif isinstance(value, numpy.ufunc):
            wrapped = _Ufunc(value)
        else:
            wrapped = _wrap_function(value)
        setattr(self, name, wrapped)  # look each name up once
        return wrapped


# ----------------------------------------------------------------------------- random numbers
class Generator:
    """``default_rng(seed)``: NumPy's Generator on another bit stream, returning device arrays."""

    def __init__(self, seed=None):
        self._g = numpy.random.Generator(numpy.random.PCG64DXSM(seed))
        # CuPy's bit generator keeps its state in device memory: .state() gives its address, nothing to save
        self.bit_generator = types.SimpleNamespace(state=lambda: id(self._g))

    def __getattr__(self, name):
        value = getattr(self._g, name)
        return _wrap_function(value) if callable(value) else value


# ----------------------------------------------------------------------------- the module
def _host_to_device(fn):
    def copy(obj, *args, **kwargs):  # a NumPy array or a list in, a device array out: a copy, as a transfer is
        if isinstance(obj, ndarray):
            result = fn(obj._a, *args, **_unwrap_kwargs(kwargs))
            _launch(fn.__name__, result, (obj._a,))
            return _wrap(result)
        _launch("host_to_device")
        return _wrap(numpy.array(fn(obj, *args, **_unwrap_kwargs(kwargs)), copy=True))

    return copy


def asnumpy(a):
    """A host NumPy array (CuPy's ``cupy.asnumpy``): the one way back, with ``ndarray.get``."""
    return a._a.copy() if isinstance(a, ndarray) else numpy.asarray(a)


def scatter_add(target, index, values):
    """``target[index] += values`` summing repeats (cupyx.scatter_add)."""
    numpy.add.at(target._a, _unwrap_index(index), _unwrap(values))
    _launch("scatter_add")


def fuse(kernel_name=None):
    """``cupy.fuse``: the function runs as it is (on device arrays) and counts as ONE kernel."""

    def wrap(fn):
        def kernel(*args):
            was, _counts["on"] = _counts["on"], False
            try:
                result = fn(*args)
            finally:
                _counts["on"] = was
            _launch(f"fused:{kernel_name}")
            return result

        return kernel

    return wrap


@contextlib.contextmanager
def counting():
    """Inside the block, count the kernels a GPU would launch (see ``_launch``); yields the Counter."""
    launches = collections.Counter()
    saved = dict(_counts)
    _counts.update(on=True, launches=launches)
    try:
        yield launches
    finally:
        _counts.update(saved)


def _memory_check(fn):
    def check(a, b, *args, **kwargs):  # CuPy's take two device arrays, and nothing else (not a NumPy scalar)
        for x in (a, b):
            if not isinstance(x, ndarray):
                raise TypeError(f"{fn.__name__}: expected a device array, got {type(x).__name__}")
        return fn(a._a, b._a, *args, **kwargs)

    return check


def _device_array_first(fn):
    """CuPy's functions whose first argument is typed as a device array (in its Cython): a number or a NumPy
    scalar there is a TypeError on a GPU (``cupy.broadcast_to(numpy.float64(1), shape)``), so here too."""

    def call(a, *args, **kwargs):
        if not isinstance(a, ndarray):
            raise TypeError(f"Argument 'array' has incorrect type (expected a device array, got {type(a).__name__}) "
                            f"in {fn.__name__}")
        return fn(a, *args, **kwargs)

    call.__name__ = fn.__name__
    return call


strict = _Namespace("strict", numpy)
strict.__doc__ = __doc__
strict.ndarray = ndarray
strict.asnumpy = asnumpy
strict.scatter_add = scatter_add
strict.fuse = fuse
for _name in ("asarray", "array", "asanyarray", "ascontiguousarray"):
    setattr(strict, _name, _host_to_device(getattr(numpy, _name)))
for _name in ("broadcast_to", "expand_dims", "squeeze", "moveaxis", "swapaxes"):
    setattr(strict, _name, _device_array_first(_wrap_function(getattr(numpy, _name))))
strict.may_share_memory = _memory_check(numpy.may_share_memory)
strict.shares_memory = _memory_check(numpy.shares_memory)
strict.random = _Namespace("strict.random", numpy.random)
strict.random.default_rng = Generator
strict.random.Generator = Generator
# What backend.py asks CuPy about the device: one, always ready.
strict.cuda = types.SimpleNamespace(
    runtime=types.SimpleNamespace(getDeviceCount=lambda: 1, getDeviceProperties=lambda i: {"name": b"strict stand-in"}),
    Stream=types.SimpleNamespace(null=types.SimpleNamespace(synchronize=lambda: None)),
)
strict.get_default_memory_pool = lambda: types.SimpleNamespace(used_bytes=lambda: 0)  # no pool: nothing to count
strict.__version__ = "strict-" + numpy.__version__


@contextlib.contextmanager
def installed():
    """Inside the block minigan's "cuda" device is this stand-in; what was there (CuPy or nothing) after it."""
    from minigan.engine import backend

    previous = backend.set_device_module(strict, scatter_add=scatter_add)
    try:
        yield strict
    finally:
        backend.set_device_module(previous)
