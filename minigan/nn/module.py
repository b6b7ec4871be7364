"""Module, Parameter and Sequential: the containers that networks are built from.

A network is a ``Module`` whose attributes are its layers (other Modules) and its learnable
``Parameter``s; assigning one registers it, so ``parameters()`` can find every weight::

    class Discriminator(nn.Module):
        def __init__(self):
            super().__init__()                 # must come first: it creates the registries
            self.hidden = nn.Linear(784, 128)  # registered in self._modules
            self.out = nn.Linear(128, 1)

        def forward(self, x):
            return self.out(F.leaky_relu(self.hidden(x), 0.2))

    D = Discriminator()
    [name for name, _ in D.named_parameters()]   # ['hidden.weight', 'hidden.bias', 'out.weight', 'out.bias']
"""

from __future__ import annotations

from collections import OrderedDict, namedtuple
from contextlib import contextmanager

from minigan import backend
from minigan._tensor import Tensor
from minigan.autograd.grad_mode import no_grad
from minigan.autograd.graph import RemovableHandle
from minigan.errors import ShapeError

# What load_state_dict returns, as PyTorch's: the keys the module has and the state dict lacks, and the reverse.
IncompatibleKeys = namedtuple("IncompatibleKeys", ["missing_keys", "unexpected_keys"])

# A buffer an older checkpoint may lack; PyTorch then keeps the module's value, and so do we.
OPTIONAL_BUFFERS = ("num_batches_tracked",)


class Parameter(Tensor):
    """A Tensor that is a learnable weight: it always requires grad and a Module registers it.

    ``Parameter(data)`` takes a floating array or Tensor (the data is shared, not copied);
    integer data raises, since an integer cannot be nudged by a gradient.  ``requires_grad=False`` makes a
    frozen one (a Module still registers it), as PyTorch's.
    """

    def __init__(self, data, requires_grad=True):
        if isinstance(data, Tensor):
            data = data.array
        if not backend.is_array(data):
            raise TypeError(f"Parameter: expected a floating-point array or Tensor, got {type(data).__name__}")
        if not backend.is_floating(data.dtype):
            raise TypeError(f"Parameter: data must be floating-point, got dtype {data.dtype}")
        if not getattr(data.flags, "writeable", True):  # np.broadcast_to, frombuffer: an optimizer must write it
            data = data.copy()
        self._setup(data, requires_grad=bool(requires_grad))  # shares the array, as torch.nn.Parameter does

    def __repr__(self):
        return "Parameter containing:\n" + super().__repr__()


class Module:
    """Base class of every layer and network: override ``forward``; call the module to run it."""

    def __init__(self):
        # object.__setattr__ skips our own __setattr__ below, which needs these dicts to exist.
        object.__setattr__(self, "_parameters", OrderedDict())
        object.__setattr__(self, "_modules", OrderedDict())
        object.__setattr__(self, "_buffers", OrderedDict())
        object.__setattr__(self, "_forward_pre_hooks", OrderedDict())
        object.__setattr__(self, "_forward_hooks", OrderedDict())
        object.__setattr__(self, "training", True)

    # ------------------------------------------------------------------ registration
    def __setattr__(self, name, value):
        """``self.fc = Linear(...)`` registers a submodule; ``self.w = Parameter(...)`` a parameter."""
        if "_parameters" not in self.__dict__:
            raise RuntimeError(
                f"{type(self).__name__}: call super().__init__() before assigning attributes such as {name!r}"
            )
        chains = self._modules.get("parametrizations")
        if chains is not None and name in chains._modules:  # a parametrized tensor: store the original that gives it
            chains._modules[name].right_inverse(value)
        elif isinstance(value, Parameter):
            self._forget(name)
            self._parameters[name] = value
        elif isinstance(value, Module):
            self._forget(name)
            self._modules[name] = value
        elif name in self._buffers:  # re-assigning a buffer (e.g. running_mean) keeps it a buffer
            self._buffers[name] = value if isinstance(value, Tensor) or value is None else Tensor(value)
        elif name in self._parameters and value is None:  # `self.bias = None`: no bias
            self._parameters[name] = None
        else:
            self._forget(name)
            object.__setattr__(self, name, value)

    def _forget(self, name):
        """Remove ``name`` from wherever it was, so one name lives in one place."""
        self._parameters.pop(name, None)
        self._modules.pop(name, None)
        self._buffers.pop(name, None)
        self.__dict__.pop(name, None)

    def __getattr__(self, name):
        """Called only when normal lookup fails: look in the three registries, then compute a parametrized
        tensor (``nn.utils.parametrize``) from its original."""
        for registry in ("_parameters", "_modules", "_buffers"):
            entries = self.__dict__.get(registry)
            if entries is not None and name in entries:
                return entries[name]
        chains = self.__dict__.get("_modules", {}).get("parametrizations")
        if chains is not None and name in chains._modules:
            return chains._modules[name]()
        raise AttributeError(f"{type(self).__name__} has no attribute {name!r}")

    def __delattr__(self, name):
        for registry in (self._parameters, self._modules, self._buffers):
            if name in registry:
                del registry[name]
                return
        object.__delattr__(self, name)

    def register_buffer(self, name: str, tensor) -> None:
        """A non-learnable state saved in ``state_dict`` and moved by ``to`` (e.g. BatchNorm's running mean)."""
        if tensor is not None and not isinstance(tensor, Tensor):
            tensor = Tensor(tensor)
        self.__dict__.pop(name, None)
        self._buffers[name] = tensor

    def register_parameter(self, name: str, param) -> None:
        if param is not None and not isinstance(param, Parameter):
            raise TypeError(f"register_parameter: {name!r} must be a Parameter or None, got {type(param).__name__}")
        self._parameters[name] = param

    # ------------------------------------------------------------------ running
    def forward(self, *args, **kwargs):
        raise NotImplementedError(f"{type(self).__name__} must define forward()")

    def __call__(self, *args, **kwargs):
        """forward(), between the hooks registered on this module (if any), as PyTorch's ``module(x)``."""
        if not (self._forward_pre_hooks or self._forward_hooks):  # (the usual case)
            return self.forward(*args, **kwargs)
        for hook in tuple(self._forward_pre_hooks.values()):
            changed = hook(self, args)
            if changed is not None:  # a pre-hook may replace the inputs
                args = changed if isinstance(changed, tuple) else (changed,)
        output = self.forward(*args, **kwargs)
        for hook in tuple(self._forward_hooks.values()):
            changed = hook(self, args, output)
            if changed is not None:  # a hook may replace the output
                output = changed
        return output

    def register_forward_pre_hook(self, hook) -> RemovableHandle:
        """Call ``hook(module, args)`` before each forward; if it returns something, that replaces the inputs
        (spectral_norm sets the weight this way).  ``.remove()`` on the returned handle takes it off."""
        return RemovableHandle(self._forward_pre_hooks, hook)

    def register_forward_hook(self, hook) -> RemovableHandle:
        """Call ``hook(module, args, output)`` after each forward (to watch activations, say); if it returns
        something, that replaces the output.  ``.remove()`` on the returned handle takes it off."""
        return RemovableHandle(self._forward_hooks, hook)

    # ------------------------------------------------------------------ walking the tree
    def named_modules(self, prefix: str = ""):
        """(dotted name, module) for this module and every descendant, depth first."""
        seen = set()
        stack = [(prefix, self)]
        while stack:
            name, module = stack.pop()
            if id(module) in seen:
                continue
            seen.add(id(module))
            yield name, module
            children = [(f"{name}.{n}" if name else n, m) for n, m in module._modules.items() if m is not None]
            stack.extend(reversed(children))

    def modules(self):
        for _, module in self.named_modules():
            yield module

    def named_children(self):
        for name, module in self._modules.items():
            if module is not None:
                yield name, module

    def children(self):
        for _, module in self.named_children():
            yield module

    def apply(self, fn) -> Module:
        """Call ``fn(module)`` on every submodule, children first, then on self (PyTorch's order); returns self.

        The usual use is weight initialisation::

            def weights_init(m):
                if isinstance(m, nn.Conv2d):
                    nn.init.normal_(m.weight, 0.0, 0.02)
            net.apply(weights_init)
        """
        for module in self.children():
            module.apply(fn)
        fn(self)
        return self

    def named_parameters(self, prefix: str = ""):
        """(dotted name, Parameter) pairs, e.g. ('net.0.weight', ...); a shared Parameter appears once."""
        seen = set()
        for mod_name, module in self.named_modules(prefix):
            for name, p in module._parameters.items():
                if p is not None and id(p) not in seen:
                    seen.add(id(p))
                    yield (f"{mod_name}.{name}" if mod_name else name), p

    def parameters(self):
        for _, p in self.named_parameters():
            yield p

    def named_buffers(self, prefix: str = ""):
        for mod_name, module in self.named_modules(prefix):
            for name, b in module._buffers.items():
                if b is not None:
                    yield (f"{mod_name}.{name}" if mod_name else name), b

    def buffers(self):
        for _, b in self.named_buffers():
            yield b

    # ------------------------------------------------------------------ training switches
    def zero_grad(self, set_to_none: bool = True) -> None:
        """Forget every parameter's gradient: ``.grad = None`` (PyTorch's default), or zeros in place."""
        for p in self.parameters():
            if set_to_none or p.grad is None:
                p.grad = None
            else:
                with no_grad():
                    p.grad.zero_()

    def train(self, mode: bool = True) -> Module:
        """Training mode (dropout drops, batch norm uses batch statistics) for this module and all below."""
        for module in self.modules():
            object.__setattr__(module, "training", bool(mode))
        return self

    def eval(self) -> Module:
        """Evaluation mode: dropout is the identity, batch norm uses its running statistics."""
        return self.train(False)

    @contextmanager
    def evaluating(self):
        """``with model.evaluating():`` the block runs in evaluation mode; afterwards every submodule has
        its own mode back (a model half in train mode stays so), whatever the block raised.

        What an attack or a sampler does to a model it was handed: use it as deployed, change nothing.
        """
        modes = [(m, m.training) for m in self.modules()]
        self.eval()
        try:
            yield self
        finally:
            for m, mode in modes:
                object.__setattr__(m, "training", mode)

    @property
    def device(self) -> str:
        """Where the first parameter (or buffer) lives: "cpu" or "cuda"; "cpu" for a module without any.

        Not a PyTorch ``nn.Module`` attribute; PyTorch code writes ``next(m.parameters()).device``.
        """
        for t in self.parameters():
            return t.device
        for t in self.buffers():
            return t.device
        return "cpu"

    def requires_grad_(self, flag: bool = True) -> Module:
        """Freeze (False) or unfreeze (True) every parameter.

        As GAN training does (CS/DS 541, Jacob Whitehill): while training G, D is frozen — gradients
        still flow *through* D to G's
        output, but D's own weights get no ``.grad`` and so do not move.
        """
        for p in self.parameters():
            p.requires_grad = bool(flag)
        return self

    # ------------------------------------------------------------------ state
    def _named_state(self) -> OrderedDict:
        """Dotted name → Tensor: each module's parameters, then its buffers (PyTorch's order)."""
        state, seen = OrderedDict(), set()
        for mod_name, module in self.named_modules():
            for name, t in list(module._parameters.items()) + list(module._buffers.items()):
                if t is not None and id(t) not in seen:
                    seen.add(id(t))
                    state[f"{mod_name}.{name}" if mod_name else name] = t
        return state

    def state_dict(self) -> OrderedDict:
        """Dotted name → host NumPy copy, for every parameter and buffer."""
        return OrderedDict((name, backend.asnumpy(t.array).copy()) for name, t in self._named_state().items())

    def load_state_dict(self, state_dict, strict: bool = True) -> IncompatibleKeys:
        """Copy values into the parameters and buffers in place (they stay on their device).

        Returns PyTorch's named tuple ``(missing_keys, unexpected_keys)`` (both empty when ``strict``).
        A state dict saved by PyTorch loads as is (values may be torch tensors or arrays); one that lacks
        a BatchNorm's ``num_batches_tracked`` (older checkpoints) keeps the module's count, as PyTorch does.
        Raises ValueError naming the first key that is missing, unexpected (when ``strict``),
        of another shape, or whose values do not fit (a float weight given integers, complex
        numbers, NaN or inf: a damaged or crafted checkpoint must not load as a working model).
        """
        if not isinstance(state_dict, dict):
            raise TypeError(f"load_state_dict: expected a dict of name -> array (from state_dict()), "
                            f"got {type(state_dict).__name__}")
        own = self._named_state()
        missing = [k for k in own if k not in state_dict and k.rpartition(".")[2] not in OPTIONAL_BUFFERS]
        unexpected = [k for k in state_dict if k not in own]
        if strict:
            if missing or unexpected:
                raise ValueError(
                    f"load_state_dict: {type(self).__name__} key sets differ: first missing key "
                    f"{missing[0] if missing else None!r} ({len(missing)} missing), first unexpected key "
                    f"{unexpected[0] if unexpected else None!r} ({len(unexpected)} unexpected)"
                )
        arrays = {}
        for name, t in own.items():  # check every shape before changing anything
            if name not in state_dict:
                continue
            value = state_dict[name]
            value = value.array if isinstance(value, Tensor) else value
            if not backend.is_array(value):
                value = backend.np.asarray(value)
            if tuple(value.shape) != tuple(t.shape):
                raise ShapeError(
                    f"load_state_dict: {name!r} has shape {tuple(value.shape)} in the state dict, "
                    f"but the module's has shape {tuple(t.shape)}"
                )
            _check_values(name, value, t.dtype)
            arrays[name] = value
        with no_grad():  # copy_ bumps each tensor's version: a graph that saved the old weights will refuse
            for name, value in arrays.items():
                t = own[name]
                xp = backend.get_array_module(t.array)
                t.copy_(xp.asarray(backend.to_device(value, t.device), dtype=t.dtype))
        return IncompatibleKeys(missing, unexpected)

    def to(self, *args, device=None, dtype=None) -> Module:
        """Move every parameter and buffer (and gradient) to a device and/or cast the floating ones to a
        dtype, in place, as PyTorch: ``to("cuda")``, ``to(minigan.device(...))``, ``to(minigan.float64)``."""
        for a in args:
            if isinstance(a, (str, backend.Device)):
                device = a
            else:
                dtype = a
        dtype = None if dtype is None else backend.np.dtype(dtype)
        if dtype is not None and not backend.is_floating(dtype):
            raise TypeError(f"Module.to: only floating dtypes can be given to a module, got {dtype}")
        for t in list(self.parameters()) + list(self.buffers()):
            for holder in (t, t.grad):
                if holder is None:
                    continue
                if device is not None:
                    holder.array = backend.to_device(holder.array, backend.Device(device).type)
                if dtype is not None and backend.is_floating(holder.dtype):  # integer buffers keep their dtype
                    holder.array = holder.array.astype(dtype)
        return self

    def float(self) -> Module:
        return self.to(backend.np.float32)

    def double(self) -> Module:
        return self.to(backend.np.float64)

    def cpu(self) -> Module:
        return self.to("cpu")

    def cuda(self) -> Module:
        return self.to("cuda")

    # ------------------------------------------------------------------ printing
    def extra_repr(self) -> str:
        """The arguments shown between the parentheses, e.g. 'in_features=2, out_features=3'."""
        return ""

    def __repr__(self):
        """PyTorch's layout: the arguments on the first line, or, with children, each on a line of its own."""
        extra = self.extra_repr().split("\n") if self.extra_repr() else []
        children = [f"({name}): " + repr(module).replace("\n", "\n  ") for name, module in self._modules.items()]
        kind = ("Parametrized" if "parametrizations" in self._modules else "") + type(self).__name__  # (PyTorch's)
        if len(extra) == 1 and not children:
            return f"{kind}({extra[0]})"
        lines = extra + children
        return f"{kind}(" + ("\n  " + "\n  ".join(lines) + "\n" if lines else "") + ")"


def _check_values(name, value, dtype) -> None:
    """A float weight takes finite floats only; an integer buffer takes integers (ValueError naming the key)."""
    kind, want = value.dtype.kind, backend.np.dtype(dtype).kind
    family = {"f": "f", "i": "iu", "u": "iu", "b": "b"}.get(want, want)
    if kind not in family:
        raise ValueError(f"load_state_dict: {name!r} holds {value.dtype} values in the state dict, "
                         f"but the module's is {backend.np.dtype(dtype)}")
    if kind == "f" and not bool(backend.get_array_module(value).isfinite(value).all()):
        raise ValueError(f"load_state_dict: {name!r} holds NaN or inf values in the state dict; "
                         "a model's weights must be finite")


class ModuleList(Module):
    """A list of modules that registers them (a plain Python list would hide their parameters).

    Indexable (``layers[0]``, ``layers[-1]``, ``layers[1:]``), ``len(layers)``, and iterable.
    """

    def __init__(self, modules=()):
        super().__init__()
        for module in modules:
            self.append(module)

    def append(self, module: Module):
        if not isinstance(module, Module):
            raise TypeError(f"{type(self).__name__}: argument {len(self._modules)} must be a Module, "
                            f"got {type(module).__name__}")
        self._modules[str(len(self._modules))] = module
        return self

    def __len__(self):
        return len(self._modules)

    def __iter__(self):
        return iter(self._modules.values())

    def __getitem__(self, index):
        layers = list(self._modules.values())
        if isinstance(index, slice):
            return ModuleList(layers[index])
        if isinstance(index, bool) or not isinstance(index, int):
            raise TypeError(f"{type(self).__name__}: index must be an int or a slice, got {type(index).__name__}")
        if not -len(layers) <= index < len(layers):
            raise ValueError(f"{type(self).__name__}: index {index} is out of range for {len(layers)} layers")
        return layers[index]


class Sequential(ModuleList):
    """Layers applied one after another: ``Sequential(Linear(2, 8), ReLU(), Linear(8, 1))``.

    A ``ModuleList`` whose forward feeds each layer's output to the next.
    """

    def __init__(self, *modules):
        super().__init__(modules)

    def forward(self, x):
        for module in self._modules.values():
            x = module(x)
        return x

    def __getitem__(self, index):
        if isinstance(index, slice):  # a slice of a Sequential is a (shorter) Sequential
            return Sequential(*list(self)[index])
        return super().__getitem__(index)
