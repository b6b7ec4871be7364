"""Parameter, and the tensors with no data yet that lazy layers hold (UninitializedParameter, UninitializedBuffer):
the weights a Module registers (PyTorch keeps them in torch/nn/parameter.py too)."""

from __future__ import annotations

from minigan import arguments, engine
from minigan.engine import backend
from minigan.surface.tensor import Tensor


class Parameter(Tensor):
    """A Tensor that is a learnable weight: it always requires grad and a Module registers it.

    ``Parameter(data)`` takes a floating array or Tensor (the data is shared, not copied);
    integer data raises PyTorch's RuntimeError, since an integer cannot be nudged by a gradient.
    ``requires_grad=False`` makes a frozen one (a Module still registers it), which may hold integers, as
    PyTorch's.  ``Parameter()`` is an empty one of the default dtype, as PyTorch's.
    """

    def __init__(self, data=None, requires_grad=True):
        if data is None:
            data = backend.active_module().zeros(0, dtype=backend.DEFAULT_DTYPE)
        if requires_grad:
            data = arguments.floating_array("Parameter", "data", data)
        else:
            data = arguments.tensor_array("Parameter", "data", data)
        if not getattr(data.flags, "writeable", True):  # np.broadcast_to, frombuffer: an optimizer must write it
            data = data.copy()
        self._setup(data, requires_grad=bool(requires_grad))  # shares the array, as torch.nn.Parameter does

    # A Parameter is always a leaf (an op on it gives a plain Tensor), so reading its gradient never meets
    # minigan.Tensor's warning for a non-leaf's: it reads it as the engine does (the setter and deleter are the same)
    grad = property(engine.Tensor.grad.fget, Tensor.grad.fset, Tensor.grad.fdel, Tensor.grad.__doc__)

    def __repr__(self):
        return "Parameter containing:\n" + super().__repr__()

    def __reduce_ex__(self, protocol):  # pickle and copy.copy: a new Parameter of the values (PyTorch's, no .grad),
        return (type(self), (self.array, self.requires_grad)) + ((self.__dict__,) if self.__dict__ else ())
        # with its own attributes (p.g = ...), as PyTorch's keeps them

    def __deepcopy__(self, memo):
        """``copy.deepcopy``: a new Parameter holding a copy of the data, with the same requires_grad; as
        PyTorch's, its ``.grad`` is None (a deep-copied model starts with no gradients), and hooks, a name or
        other attributes are not copied.  ``memo`` keeps a Parameter shared by two modules shared in the copy."""
        if id(self) not in memo:
            memo[id(self)] = type(self)(self.array.copy(), self.requires_grad)
        return memo[id(self)]


class _NoData:
    """What an uninitialised parameter or buffer holds until a lazy layer's first call: any use raises, naming
    the fix, as PyTorch's.  It remembers the device and dtype the tensor was asked for (``Module.to`` before the
    first call), so that the data is made there; the dtype it shows already, as PyTorch's (a utility reading a
    model's dtype from its first parameter)."""

    __slots__ = ("asked_device", "asked_dtype", "persistent")

    def __init__(self, device=None, dtype=None):
        self.asked_device, self.asked_dtype, self.persistent = device, dtype, True

    @property
    def dtype(self):
        """The dtype the data will be made in (``materialize``'s): the one asked for, or the default."""
        return backend.np.dtype(backend.DEFAULT_DTYPE if self.asked_dtype is None else self.asked_dtype)

    def __getattr__(self, name):
        if name == "shape":  # PyTorch's RuntimeError for the shape, its ValueError for everything else
            raise RuntimeError("Can't access the shape of an uninitialized parameter or buffer. Call `forward` to "
                               "initialize the parameters before accessing their attributes.")
        raise ValueError("Attempted to use an uninitialized parameter. This happens with a lazy layer "
                         "(nn.LazyLinear, ...) before its first call: call the model on a dummy batch first")

    def __array__(self, *args, **kwargs):
        self.__getattr__("__array__")


class UninitializedTensorMixin:
    """What UninitializedParameter and UninitializedBuffer share: no data until ``materialize(shape)``, which
    gives the tensor its data in place (the same object: an optimizer made before the first call keeps it) and
    turns it into a plain ``cls_to_become`` (Parameter or Tensor), as PyTorch's."""

    __slots__ = ()
    cls_to_become = None

    def materialize(self, shape, device=None, dtype=None) -> None:
        """Make the data: zeros of ``shape`` (a lazy layer's ``reset_parameters`` then initialises them)."""
        asked = self.array
        device = device if device is not None else asked.asked_device
        dtype = dtype if dtype is not None else asked.asked_dtype
        dtype = backend.DEFAULT_DTYPE if dtype is None else backend.np.dtype(dtype)
        data = backend.active_module().zeros(tuple(int(n) for n in shape), dtype=dtype)
        self.array = data if device is None else backend.to_device(data, device)
        self.__class__ = self.cls_to_become

    def __repr__(self):
        return f"<{type(self).__name__}>"

    @property
    def data(self) -> Tensor:
        """PyTorch's: an empty tensor of the dtype asked for, not part of the parameter.  So an initialisation
        written before the first call (``net.weight.data.normal_(0, 0.01)``, d2l's concise linear regression)
        goes through and has no effect: the first call draws the layer's default initialisation."""
        asked = self.array
        dtype = backend.DEFAULT_DTYPE if asked.asked_dtype is None else backend.np.dtype(asked.asked_dtype)
        data = backend.active_module().zeros((0,), dtype=dtype)
        return Tensor._make(data if asked.asked_device is None else backend.to_device(data, asked.asked_device))

    @data.setter
    def data(self, value):  # as PyTorch's, no lasting effect: the first call makes the data afresh
        if not isinstance(value, Tensor) and not backend.is_array(value):
            raise TypeError(f"data: expected a Tensor or an array, got {type(value).__name__}")

    def __reduce_ex__(self, protocol):  # pickle and copy.copy: a new one asking for the same device and dtype
        return type(self), (self.requires_grad, self.array.asked_device, self.array.asked_dtype)

    def __deepcopy__(self, memo):
        if id(self) not in memo:
            asked = self.array
            memo[id(self)] = type(self)(self.requires_grad, asked.asked_device, asked.asked_dtype)
        return memo[id(self)]


class UninitializedParameter(UninitializedTensorMixin, Parameter):
    """A Parameter with no data yet: a lazy layer's weight before its first call (PyTorch's name)."""

    __slots__ = ()  # Parameter's own layout, so that materialize can make it a Parameter
    cls_to_become = Parameter

    def __init__(self, requires_grad=True, device=None, dtype=None):
        self._setup(_NoData(device, dtype), requires_grad=bool(requires_grad))


class UninitializedBuffer(UninitializedTensorMixin, Tensor):
    """A buffer with no data yet: a lazy BatchNorm's running statistics before its first call."""

    __slots__ = ()  # Tensor's own layout, so that materialize can make it a Tensor
    cls_to_become = Tensor

    def __init__(self, requires_grad=False, device=None, dtype=None, persistent=True):
        self._setup(_NoData(device, dtype), requires_grad=bool(requires_grad))
        self.array.persistent = bool(persistent)

    @property
    def persistent(self) -> bool:
        """PyTorch's flag, kept for whoever reads it (a lazy norm registers its running statistics itself)."""
        return self.array.persistent
