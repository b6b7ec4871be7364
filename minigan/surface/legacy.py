"""What PyTorch's legacy constructors share: ``Tensor(t)``, ``FloatTensor(t)``, ``Tensor(t.storage())`` and
``Tensor(array)`` of an array already in the constructor's dtype look into the memory they are given, as PyTorch's
do (a tutorial zeroes ``r = torch.Tensor(t)`` and shows ``t`` zeroed too); everything else they are given (a list,
an array of another dtype, sizes) is copied or made new, by the engine's constructor.

- a tensor: an alias of it (``t[...]``: a view of the same memory, with ``t``'s version counter and, where ``t``
  records gradients, ``AliasBackward0``), whatever its dtype for ``Tensor``; a typed constructor refuses a tensor
  of another dtype, as PyTorch's (TypeError), for it cannot share it;
- a storage (``t.storage()``, ``t.untyped_storage()``): a 1-D tensor over the whole of it; a typed storage must
  hold the constructor's dtype (PyTorch's RuntimeError otherwise), an untyped one is read as that dtype;
- a NumPy (or CuPy) array of the constructor's dtype, on the default device: a tensor on its memory, as
  ``from_numpy``.
"""

from __future__ import annotations

from minigan import _dtype
from minigan import storage as _storage
from minigan.engine import backend
from minigan.engine import tensor as engine
from minigan.engine.errors import DtypeError


def shares(data, dtype) -> bool:
    """Whether a legacy constructor of ``dtype`` (None: ``Tensor``'s, the default float dtype) given ``data`` alone
    shares its memory rather than copying it."""
    if isinstance(data, (engine.Tensor, _storage._Storage)):
        return True
    wanted = backend.np.dtype(dtype or backend.DEFAULT_DTYPE)
    return backend.is_array(data) and data.dtype == wanted and not any(s < 0 for s in data.strides) and \
        backend.get_array_module(data) is backend.active_module()  # (an array on another device than the
    # default one is copied there, as before)


def shared(name, data, dtype, from_numpy):
    """The tensor ``name(data)`` gives, sharing ``data``'s memory (see the module's docstring; ``from_numpy`` shares
    an array, warning for a read-only one): call only where ``shares(data, dtype)``."""
    wanted = backend.np.dtype(dtype or backend.DEFAULT_DTYPE)
    if isinstance(data, engine.Tensor):
        if dtype is not None and data.array.dtype != wanted:
            raise TypeError(f"{name}(t): t is a {data.dtype} tensor, and {name} shares the memory of a tensor it is "
                            f"given, so it takes one of its own dtype ({wanted}) only, as PyTorch's; for a copy in "
                            f"that dtype write t.to({_dtype_name(wanted)}) (or t.detach().clone() for the values)")
        return engine.Tensor.__getitem__(data, Ellipsis)  # (x[...]: an alias, AliasBackward0 where it records)
    if isinstance(data, _storage.UntypedStorage):  # (its bytes read as the dtype: whole elements only, PyTorch's)
        whole = data.array[:data.array.size - data.array.size % wanted.itemsize]
        return engine.Tensor._make(whole.view(wanted))
    if isinstance(data, _storage.TypedStorage):
        if data.array.dtype != wanted:
            raise DtypeError(f"{name}(storage): expected a storage of {wanted} (or an untyped storage), got one of "
                             f"{data.array.dtype}; make the tensor from the storage's own tensor, or cast a copy")
        return engine.Tensor._make(data.array)
    return from_numpy(data)


def _dtype_name(dtype) -> str:
    return str(_dtype.of(dtype))
