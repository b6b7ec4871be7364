"""minigan's dtypes, as PyTorch's: ``minigan.float32`` is one object, ``x.dtype`` gives it (``x.dtype is
minigan.float32``), ``isinstance(x.dtype, minigan.dtype)`` holds, and it prints as ``minigan.float32``.

The rule: a minigan dtype prints as PyTorch's does with the library's name, ``minigan.float32`` where PyTorch
prints ``torch.float32``, so a program renamed from torch to minigan prints the same text.  Underneath it is a
NumPy dtype (``.dtype``): NumPy and CuPy take it wherever they take a dtype (they read ``.dtype``, the array
protocol), it compares and hashes equal to NumPy's (``x.dtype == numpy.float32`` is True, and it finds NumPy's keys
in a dict), and it answers NumPy's questions (``kind``, ``itemsize``, ``name``, ``type``) as well as PyTorch's
(``is_floating_point``, ``is_complex``, ``is_signed``).
"""

from __future__ import annotations

from minigan.engine import backend


class dtype:  # noqa: N801 - PyTorch's name
    """A tensor's element type: ``minigan.float32``, ``minigan.int64``, ``minigan.bool``, ..."""

    # NumPy's attributes read most (``x.dtype.kind`` in every op's dtype check) are fields of their own: through
    # __getattr__, which Python calls only after the normal lookup has failed, each read made and dropped an
    # AttributeError (with the field below, 0.21 M of the 24.3 M instructions of an iteration of mlp-ring, in
    # benchmarks/paired_trees.py: docs/performance.md)
    __slots__ = ("dtype", "__numpy_dtype__", "kind", "itemsize", "name", "type")

    def __init__(self, numpy_dtype):
        self.dtype = backend.np.dtype(numpy_dtype)  # what NumPy and CuPy read
        # numpy.dtype(x.dtype) asks for __numpy_dtype__ first since NumPy 2.4 (earlier ones read .dtype): a field, not
        # a property, so that the conversion calls no Python function
        self.__numpy_dtype__ = self.dtype
        self.kind, self.itemsize, self.name, self.type = (self.dtype.kind, self.dtype.itemsize, self.dtype.name,
                                                          self.dtype.type)

    def __repr__(self):
        return f"minigan.{self.dtype.name}"

    __str__ = __repr__

    def __eq__(self, other):
        if isinstance(other, dtype):
            return self.dtype == other.dtype
        if other is None:  # (numpy.dtype(None) is float64)
            return False
        try:
            return self.dtype == backend.np.dtype(other)
        except TypeError:  # not a dtype at all (PyTorch's, a number...)
            return False

    def __ne__(self, other):
        return not self == other

    def __hash__(self):
        return hash(self.dtype)

    def __getattr__(self, name):  # NumPy's other attributes: char, str, alignment, ...
        return getattr(self.dtype, name)

    def __reduce__(self):  # copies and pickles are the one object
        return of, (self.dtype.str,)

    @property
    def is_floating_point(self) -> bool:
        return self.dtype.kind == "f"

    @property
    def is_complex(self) -> bool:
        return self.dtype.kind == "c"

    @property
    def is_signed(self) -> bool:
        return self.dtype.kind in "fic"


class _Table(dict):
    """NumPy dtype -> the one minigan dtype for it, made when first asked for.  Subscripting it with a dtype already
    made calls no Python function: x.dtype reads it each time (about 110 times an mlp-ring iteration, where a call of
    a function was 0.03 M of its 24 M instructions: benchmarks/paired_trees.py, docs/performance.md)."""

    def __missing__(self, numpy_dtype):  # a dtype not seen yet, or another name of one (a str, a NumPy type)
        key = backend.np.dtype(numpy_dtype)
        if key not in self:
            self[key] = dtype(key)
        return dict.__getitem__(self, key)


OF = _Table()


def of(numpy_dtype) -> dtype:
    """The minigan dtype for a NumPy dtype (or anything ``numpy.dtype`` takes)."""
    return OF[numpy_dtype]


float16 = half = of("float16")
float32 = float = of("float32")  # noqa: A001 - PyTorch's names
float64 = double = of("float64")
uint8 = of("uint8")
int8 = of("int8")
int16 = short = of("int16")
int32 = int = of("int32")  # noqa: A001
int64 = long = of("int64")
bool = of("bool")  # noqa: A001


# The legacy tensor type names (``x.type()``, ``minigan.FloatTensor``) and their NumPy dtypes.
TYPE_NAMES = {name: backend.np.dtype(numpy_name) for name, numpy_name in (
    ("FloatTensor", "float32"), ("DoubleTensor", "float64"), ("HalfTensor", "float16"), ("ByteTensor", "uint8"),
    ("CharTensor", "int8"), ("ShortTensor", "int16"), ("IntTensor", "int32"), ("LongTensor", "int64"),
    ("BoolTensor", "bool"))}


def common_dtype(tensors):
    """The dtype several tensors with dimensions promote to, as ``torch.cat``'s: the highest category among them
    (bool < integer < floating), then NumPy's promotion of the dtypes of that category (float32 and int64 give
    float32, float32 and float64 give float64)."""
    dtypes = [backend.np.dtype(t.dtype) for t in tensors]
    top = max(_category(d) for d in dtypes)
    return backend.np.result_type(*[d for d in dtypes if _category(d) == top])


def _category(numpy_dtype) -> int:
    """A dtype's category, in PyTorch's order: 0 bool, 1 integer, 2 floating."""
    return {"b": 0, "i": 1, "u": 1}.get(numpy_dtype.kind, 2)
