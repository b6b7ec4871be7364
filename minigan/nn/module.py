"""Module and Sequential: the containers that networks are built from (their weights, Parameter: nn/parameter.py).

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

import numbers
import warnings
from collections import OrderedDict, namedtuple
from collections.abc import Iterable
from contextlib import contextmanager

from minigan.engine import backend
from minigan.engine.errors import IndexOutOfRange, ShapeError, StateDictError
from minigan.engine.grad_mode import no_grad
from minigan.engine.graph import RemovableHandle
from minigan.nn.backward_hooks import call_with_backward_hooks
from minigan.nn.parameter import (  # noqa: F401 - Parameter's family, where it lived (nn.module's names)
    Parameter,
    UninitializedBuffer,
    UninitializedParameter,
    UninitializedTensorMixin,
)
from minigan.surface import missing as _missing
from minigan.surface import tensor as surface_tensor
from minigan.surface.forms import device_and_dtype
from minigan.surface.missing_class_names import ModuleNamesNotProvided
from minigan.surface.tensor import Tensor


# What load_state_dict returns, as PyTorch's: the keys the module has and the state dict lacks, and the reverse.
class _IncompatibleKeys(namedtuple("_IncompatibleKeys", ["missing_keys", "unexpected_keys"])):
    __slots__ = ()

    def __repr__(self):  # PyTorch's text, which tutorials print
        if not self.missing_keys and not self.unexpected_keys:
            return "<All keys matched successfully>"
        return super().__repr__()

    __str__ = __repr__


IncompatibleKeys = _IncompatibleKeys  # (PyTorch's class name, which its repr shows)

# A buffer an older checkpoint may lack; PyTorch then keeps the module's value, and so do we.
OPTIONAL_BUFFERS = ("num_batches_tracked",)
EXTRA_STATE = "_extra_state"  # the key of a module's get_extra_state() in its state_dict (PyTorch's suffix)


class _HookHandle(RemovableHandle):
    """A module hook's handle: ``remove()`` also forgets the hook's flags (registered with_kwargs, always_call)."""

    def __init__(self, hooks, hook, flags):
        super().__init__(hooks, hook)
        self.flags = flags

    def remove(self) -> None:
        super().remove()
        for flag in self.flags:
            flag.discard(self.id)


class Module(ModuleNamesNotProvided):
    """Base class of every layer and network: override ``forward``; call the module to run it."""

    _version = 1  # the version of its state_dict's layout, which state_dict() records (a BatchNorm's is 2)

    def __init__(self):
        # object.__setattr__ skips our own __setattr__ below, which needs these dicts to exist.
        object.__setattr__(self, "_parameters", OrderedDict())
        object.__setattr__(self, "_modules", OrderedDict())
        object.__setattr__(self, "_buffers", OrderedDict())
        object.__setattr__(self, "_non_persistent_buffers_set", set())  # buffers left out of state_dict()
        object.__setattr__(self, "_forward_pre_hooks", OrderedDict())
        object.__setattr__(self, "_forward_hooks", OrderedDict())
        # The ids of the hooks registered with_kwargs / always_call (the hooks themselves stay plain callables).
        object.__setattr__(self, "_forward_pre_hooks_with_kwargs", set())
        object.__setattr__(self, "_forward_hooks_with_kwargs", set())
        object.__setattr__(self, "_forward_hooks_always_called", set())
        object.__setattr__(self, "_backward_hooks", OrderedDict())
        object.__setattr__(self, "_backward_pre_hooks", OrderedDict())
        object.__setattr__(self, "training", True)

    # ------------------------------------------------------------------ registration
    def __setattr__(self, name, value):
        """``self.fc = Linear(...)`` registers a submodule; ``self.w = Parameter(...)`` a parameter.

        Re-assigning a name keeps its place (so ``children()`` and ``state_dict()`` keep their order); a name
        that changes kind moves, since one name lives in one place.
        """
        if "_parameters" not in self.__dict__:  # before Module.__init__: only what needs no registration, as PyTorch
            if isinstance(value, (Parameter, Module)):
                raise AttributeError(f"{type(self).__name__}: call super().__init__() before assigning a "
                                     f"{'parameter' if isinstance(value, Parameter) else 'submodule'} such as {name!r}")
            object.__setattr__(self, name, value)
            return
        chains = self._modules.get("parametrizations")
        if chains is not None and name in chains._modules:  # a parametrized tensor: store the original that gives it
            chains._modules[name].right_inverse(value)
        elif isinstance(value, Parameter):
            if name not in self._parameters:
                self._forget(name)
            self._parameters[name] = value
        elif name in self._parameters:  # `self.bias = None`: no bias
            if value is not None:
                raise TypeError(f"{type(self).__name__}: cannot assign a {type(value).__name__} to parameter "
                                f"{name!r}; give an nn.Parameter (or None)")
            self._parameters[name] = None
        elif isinstance(value, Module):
            if name not in self._modules:
                self._forget(name)
            self._modules[name] = value
        elif name in self._modules:
            if value is not None:
                raise TypeError(f"{type(self).__name__}: cannot assign a {type(value).__name__} to submodule "
                                f"{name!r}; give an nn.Module (or None)")
            self._modules[name] = None
        elif name in self._buffers:  # re-assigning a buffer (e.g. running_mean) keeps it a buffer
            self._buffers[name] = value if isinstance(value, Tensor) or value is None else Tensor(value)
        else:
            object.__setattr__(self, name, value)

    def _forget(self, name):
        """Remove ``name`` from wherever it was, so one name lives in one place."""
        for registry in (self._parameters, self._modules, self._buffers):
            registry.pop(name, None)
        self._non_persistent_buffers_set.discard(name)
        self.__dict__.pop(name, None)

    def __getattr__(self, name):
        """Called only when normal lookup fails: look in the three registries, then compute a parametrized
        tensor (``nn.utils.parametrize``) from its original."""
        for registry in ("_parameters", "_modules", "_buffers"):  # (.get: before Module.__init__ has made them)
            if name in self.__dict__.get(registry, ()):
                return self.__dict__[registry][name]
        chains = self.__dict__.get("_modules", {}).get("parametrizations")
        if chains is not None and name in chains._modules:
            return chains._modules[name]()
        if _missing.advice("torch.nn.Module", name):  # a name of PyTorch's Module minigan lacks: what to use instead
            raise _missing.attribute_error("torch.nn.Module", name)
        raise AttributeError(f"{type(self).__name__} has no attribute {name!r}")

    def __dir__(self):  # the registered names too, so that tab completion offers model.weight, as PyTorch's (which
        # leaves out a name that starts with a digit: a Sequential's "0" is reached by indexing)
        names = {*super().__dir__(), *self._parameters, *self._modules, *self._buffers}
        return sorted(n for n in names if not n[0].isdigit())

    def __delattr__(self, name):
        for registry in (self._parameters, self._modules, self._buffers):
            if name in registry:
                del registry[name]
                self._non_persistent_buffers_set.discard(name)
                return
        object.__delattr__(self, name)

    def _check_name(self, who, name, registry) -> None:
        """PyTorch's rules for a registered name: a non-empty string without "." (the dots of a state_dict
        key separate modules), not already an attribute of another kind (a method, or a parameter)."""
        if not isinstance(name, str):
            raise TypeError(f"{who}: the name must be a string, got {type(name).__name__}")
        if "." in name:
            raise KeyError(f"{who}: name {name!r} must not contain '.' (the dots of a state_dict key separate "
                           "submodules); register it on the submodule itself")
        if name == "":
            raise KeyError(f"{who}: the name must not be empty")
        if name not in registry and hasattr(self, name):
            raise KeyError(f"{who}: {type(self).__name__} already has an attribute {name!r}; choose another name")

    def add_module(self, name: str, module) -> None:
        """Register ``module`` (or None) as the submodule ``name``, as ``self.<name> = module`` does, for names
        that are not Python identifiers ("0", "conv-1"); re-adding a name replaces it in place."""
        if module is not None and not isinstance(module, Module):
            raise TypeError(f"add_module: {name!r} must be a Module (or None), got {type(module).__name__}")
        self._check_name("add_module", name, self._modules)
        self._modules[name] = module

    def register_module(self, name: str, module) -> None:
        """The same as ``add_module`` (PyTorch's alias)."""
        self.add_module(name, module)

    def register_buffer(self, name: str, tensor, persistent: bool = True) -> None:
        """A non-learnable state moved by ``to`` (e.g. BatchNorm's running mean), saved in ``state_dict``
        unless ``persistent=False`` (a cache that can be recomputed)."""
        self._check_name("register_buffer", name, self._buffers)
        if tensor is not None and not isinstance(tensor, Tensor):
            raise TypeError(f"register_buffer: {name!r} must be a Tensor or None, got {type(tensor).__name__}; "
                            "wrap the values in minigan.tensor(...)")
        self._buffers[name] = tensor
        if persistent:
            self._non_persistent_buffers_set.discard(name)
        else:
            self._non_persistent_buffers_set.add(name)

    def register_parameter(self, name: str, param) -> None:
        """Register ``param`` (a Parameter, or None for "no such weight") as ``name``, as ``self.<name> = param``."""
        self._check_name("register_parameter", name, self._parameters)
        if param is not None and not isinstance(param, Parameter):
            raise TypeError(f"register_parameter: {name!r} must be a Parameter or None, got {type(param).__name__}")
        self._parameters[name] = param

    # ------------------------------------------------------------------ running
    def forward(self, *args, **kwargs):
        raise NotImplementedError(f"{type(self).__name__} must define forward()")

    def __call__(self, *args, **kwargs):
        """forward(), between the hooks registered on this module (if any), as PyTorch's ``module(x)``."""
        if not (self._forward_pre_hooks or self._forward_hooks or self._backward_hooks or self._backward_pre_hooks):
            return self.forward(*args, **kwargs)  # (the usual case)
        return self._call_with_hooks(args, kwargs)

    def _call_with_hooks(self, args, kwargs):
        """The pre-hooks, forward (inside the backward hooks, if any), then the forward hooks, in PyTorch's order."""
        output, ran = None, set()  # ran: the forward hooks already called (an error calls the other always_call ones)
        try:
            for hook_id, hook in tuple(self._forward_pre_hooks.items()):
                if hook_id in self._forward_pre_hooks_with_kwargs:
                    changed = hook(self, args, kwargs)
                    if changed is not None:  # it replaces both the inputs and the keyword arguments
                        if not (isinstance(changed, tuple) and len(changed) == 2):
                            raise RuntimeError("forward pre-hook must return None or a tuple of (new_args, "
                                               f"new_kwargs), but got {changed!r:.80}")
                        args, kwargs = changed
                else:
                    changed = hook(self, args)
                    if changed is not None:  # a pre-hook may replace the inputs
                        args = changed if isinstance(changed, tuple) else (changed,)
            if self._backward_hooks or self._backward_pre_hooks:
                output = call_with_backward_hooks(self, args, kwargs)
            else:
                output = self.forward(*args, **kwargs)
            for hook_id, hook in tuple(self._forward_hooks.items()):
                ran.add(hook_id)
                changed = self._call_forward_hook(hook_id, hook, args, kwargs, output)
                if changed is not None:  # a hook may replace the output
                    output = changed
            return output
        except Exception:
            for hook_id, hook in tuple(self._forward_hooks.items()):
                if hook_id in self._forward_hooks_always_called and hook_id not in ran:
                    try:  # as PyTorch's: the output so far (None if forward raised); the first error goes on
                        changed = self._call_forward_hook(hook_id, hook, args, kwargs, output)
                        output = output if changed is None else changed
                    except Exception as e:  # only reported: the error raised first is the one to see
                        warnings.warn(f"forward hook with always_call=True raised {type(e).__name__}: {e}; "
                                      "silenced, as another error was raised in forward", stacklevel=3)
            raise

    def _call_forward_hook(self, hook_id, hook, args, kwargs, output):
        """``hook``'s result, called with the forward's kwargs if it was registered with_kwargs."""
        if hook_id in self._forward_hooks_with_kwargs:
            return hook(self, args, kwargs, output)
        return hook(self, args, output)

    @staticmethod
    def _register(hooks, hook, prepend, flags=()):
        """Add ``hook`` to ``hooks`` (first if ``prepend``), its id to each set in ``flags`` (with_kwargs,
        always_call); the handle's ``remove()`` takes it off both."""
        handle = _HookHandle(hooks, hook, flags)
        if prepend:
            hooks.move_to_end(handle.id, last=False)
        for flag in flags:
            flag.add(handle.id)
        return handle

    def register_forward_pre_hook(self, hook, *, prepend: bool = False, with_kwargs: bool = False) -> RemovableHandle:
        """Call ``hook(module, args)`` before each forward; if it returns something, that replaces the inputs
        (spectral_norm sets the weight this way).  ``.remove()`` on the returned handle takes it off.

        ``with_kwargs=True``: ``hook(module, args, kwargs)``, which returns None or ``(new_args, new_kwargs)``.
        ``prepend=True``: called before the pre-hooks already registered (else after them).
        """
        flags = [self._forward_pre_hooks_with_kwargs] if with_kwargs else []
        return self._register(self._forward_pre_hooks, hook, prepend, flags)

    def register_full_backward_hook(self, hook, prepend: bool = False) -> RemovableHandle:
        """Call ``hook(module, grad_input, grad_output)`` once the gradients reach this module's inputs (one per
        tensor argument of forward, None where none flows); if it returns gradients, they replace grad_input.
        ``prepend=True``: called before the hooks already registered."""
        return self._register(self._backward_hooks, hook, prepend)

    def register_full_backward_pre_hook(self, hook, prepend: bool = False) -> RemovableHandle:
        """Call ``hook(module, grad_output)`` once the gradients reach this module's outputs; if it returns
        gradients, they replace grad_output.  ``prepend=True``: called before the hooks already registered."""
        return self._register(self._backward_pre_hooks, hook, prepend)

    def register_forward_hook(self, hook, *, prepend: bool = False, with_kwargs: bool = False,
                              always_call: bool = False) -> RemovableHandle:
        """Call ``hook(module, args, output)`` after each forward (to watch activations, say); if it returns
        something, that replaces the output.  ``.remove()`` on the returned handle takes it off.

        ``with_kwargs=True``: ``hook(module, args, kwargs, output)``.  ``prepend=True``: called before the hooks
        already registered.  ``always_call=True``: also called when a pre-hook, forward or another forward hook
        raises, with the output so far (None if forward raised); then that error goes on, and an error of this
        hook itself is only a warning.
        """
        flags = ([self._forward_hooks_with_kwargs] if with_kwargs else []) + (
            [self._forward_hooks_always_called] if always_call else [])
        return self._register(self._forward_hooks, hook, prepend, flags)

    # ------------------------------------------------------------------ walking the tree
    def named_modules(self, memo=None, prefix: str = "", remove_duplicate: bool = True):
        """(dotted name, module) for this module and every descendant, depth first.

        A module reached twice (shared) is listed once, unless ``remove_duplicate=False``; ``memo`` is the
        set of modules already listed (PyTorch's signature).
        """
        if memo is None:
            memo = set()
        if self in memo:
            return
        if remove_duplicate:
            memo.add(self)
        yield prefix, self
        for name, module in self._modules.items():
            if module is not None:
                yield from module.named_modules(memo, f"{prefix}.{name}" if prefix else name, remove_duplicate)

    def modules(self, remove_duplicate: bool = True):
        for _, module in self.named_modules(remove_duplicate=remove_duplicate):
            yield module

    def named_children(self):
        """(name, module) for each direct submodule; one registered under two names is listed once."""
        seen = set()
        for name, module in self._modules.items():
            if module is not None and module not in seen:
                seen.add(module)
                yield name, module

    def children(self):
        for _, module in self.named_children():
            yield module

    def get_submodule(self, target: str) -> Module:
        """The submodule at a dotted path, e.g. ``net.get_submodule("features.0")``; "" is the module itself."""
        module = self
        for name in target.split(".") if target else []:
            if name not in module._modules or module._modules[name] is None:
                raise AttributeError(f"get_submodule: {type(module).__name__} has no submodule {name!r} "
                                     f"(looking for {target!r}); see named_modules() for the names")
            module = module._modules[name]
        return module

    def get_parameter(self, target: str) -> Parameter:
        """The parameter at a dotted path, e.g. ``net.get_parameter("features.0.weight")``."""
        module_path, _, name = target.rpartition(".")
        module = self.get_submodule(module_path)
        if module._parameters.get(name) is None:
            raise AttributeError(f"get_parameter: {type(module).__name__} has no parameter {name!r} "
                                 f"(looking for {target!r}); see named_parameters() for the names")
        return module._parameters[name]

    def get_buffer(self, target: str):
        """The buffer at a dotted path, e.g. ``net.get_buffer("features.1.running_mean")``."""
        module_path, _, name = target.rpartition(".")
        module = self.get_submodule(module_path)
        if name not in module._buffers:
            raise AttributeError(f"get_buffer: {type(module).__name__} has no buffer {name!r} "
                                 f"(looking for {target!r}); see named_buffers() for the names")
        return module._buffers[name]

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

    def _named_tensors(self, registry, prefix, recurse, remove_duplicate):
        """(dotted name, tensor) for the entries of ``registry`` ("_parameters" or "_buffers") of this module
        and, with ``recurse``, of every descendant; a tensor shared by two modules is listed once, unless
        ``remove_duplicate=False``."""
        seen = set()
        modules = self.named_modules(prefix=prefix, remove_duplicate=remove_duplicate) if recurse else [(prefix, self)]
        for module_prefix, module in modules:
            for name, t in getattr(module, registry).items():
                if t is None or id(t) in seen:
                    continue
                if remove_duplicate:
                    seen.add(id(t))
                yield (f"{module_prefix}.{name}" if module_prefix else name), t

    def named_parameters(self, prefix: str = "", recurse: bool = True, remove_duplicate: bool = True):
        """(dotted name, Parameter) pairs, e.g. ('net.0.weight', ...); a shared Parameter appears once."""
        return self._named_tensors("_parameters", prefix, recurse, remove_duplicate)

    def parameters(self, recurse: bool = True):
        for _, p in self.named_parameters(recurse=recurse):
            yield p

    def named_buffers(self, prefix: str = "", recurse: bool = True, remove_duplicate: bool = True):
        """(dotted name, buffer) pairs, the non-persistent buffers included."""
        return self._named_tensors("_buffers", prefix, recurse, remove_duplicate)

    def buffers(self, recurse: bool = True):
        for _, b in self.named_buffers(recurse=recurse):
            yield b

    # ------------------------------------------------------------------ training switches
    def zero_grad(self, set_to_none: bool = True) -> None:
        """Forget every parameter's gradient: ``.grad = None`` (PyTorch's default), or zeros in place."""
        for p in self.parameters():
            if set_to_none or p.grad is None:
                p.grad = None
            else:  # zeros in the same tensor, cut from any graph first (a gradient made with create_graph), as PyTorch
                with no_grad():
                    p.grad.detach_().zero_()

    def train(self, mode: bool = True) -> Module:
        """Training mode (dropout drops, batch norm uses batch statistics) for this module and all below."""
        if not isinstance(mode, bool):  # train(0) or train("eval") is a slip PyTorch names too
            raise ValueError(f"train: training mode is expected to be boolean (True or False), got {mode!r} "
                             f"of type {type(mode).__name__}; use model.train() or model.eval()")
        for module in self.modules():
            object.__setattr__(module, "training", mode)
        return self

    def eval(self) -> Module:
        """Evaluation mode: dropout is the identity, batch norm uses its running statistics."""
        return self.train(False)

    def requires_grad_(self, requires_grad: bool = True) -> Module:
        """Freeze (False) or unfreeze (True) every parameter.

        As GAN training does (CS/DS 541, Jacob Whitehill): while training G, D is frozen — gradients
        still flow *through* D to G's
        output, but D's own weights get no ``.grad`` and so do not move.
        """
        if not isinstance(requires_grad, bool):
            raise TypeError(f"requires_grad_: requires_grad must be True or False, got {requires_grad!r} of type "
                            f"{type(requires_grad).__name__}")
        for p in self.parameters():
            p.requires_grad = requires_grad
        return self

    # ------------------------------------------------------------------ state
    def _named_state(self, prefix: str = "", extra: bool = False) -> OrderedDict:
        """Dotted name → Tensor, in PyTorch's order: this module's parameters, its persistent buffers (``extra``: its
        extra state), then each child's.  A tensor shared by two modules is listed under both names, as PyTorch's."""
        state = OrderedDict()
        for name, p in self._parameters.items():
            if p is not None:
                state[prefix + name] = p
        for name, b in self._buffers.items():
            if b is not None and name not in self._non_persistent_buffers_set:
                state[prefix + name] = b
        if extra and type(self).get_extra_state is not Module.get_extra_state:  # (PyTorch's place for it)
            state[prefix + EXTRA_STATE] = self.get_extra_state()
        for name, module in self._modules.items():
            if module is not None:
                state.update(module._named_state(prefix + name + ".", extra))
        return state

    def get_extra_state(self):
        """What a module keeps beside its tensors (a count, a vocabulary), saved in ``state_dict()`` under
        ``"_extra_state"`` by a module that overrides this and ``set_extra_state``, as PyTorch's."""
        raise RuntimeError(f"{type(self).__name__}.get_extra_state: not overridden; a module with extra state "
                           "overrides get_extra_state and set_extra_state (state_dict calls only an override)")

    def set_extra_state(self, state) -> None:
        """Restore what ``get_extra_state`` returned (``load_state_dict`` calls an override)."""
        raise RuntimeError(f"{type(self).__name__}.set_extra_state: not overridden; a module with extra state "
                           "overrides get_extra_state and set_extra_state (load_state_dict calls only an override)")

    def state_dict(self, *args, destination=None, prefix: str = "", keep_vars: bool = False):
        """Dotted name → Tensor, for every parameter and persistent buffer, as PyTorch's: each value shares the
        memory of the module's own tensor (``detach()``: no graph, no gradient), so it follows the training;
        ``copy.deepcopy(model.state_dict())`` is a snapshot.  ``minigan.save`` writes it as NumPy arrays.

        ``keep_vars=True`` gives the Tensors themselves; ``prefix`` starts every key; the entries are added to
        ``destination`` (a dict) when it is given, and that dict is returned.
        """
        if args:  # PyTorch's deprecated positional form: (destination, prefix, keep_vars), with its warning
            warnings.warn("Positional args are being deprecated, use kwargs instead. Refer to "
                          "https://pytorch.org/docs/main/generated/torch.nn.Module.html#torch.nn.Module.state_dict"
                          " for details.", FutureWarning, stacklevel=2)
            destination = args[0] if destination is None else destination
            prefix = args[1] if len(args) > 1 and prefix == "" else prefix
            keep_vars = args[2] if len(args) > 2 and keep_vars is False else keep_vars
        if destination is None:
            destination = OrderedDict()
            destination._metadata = OrderedDict()  # each module's version, as PyTorch's (load_state_dict reads it)
        if hasattr(destination, "_metadata"):
            for name, m in self.named_modules(prefix=prefix[:-1], remove_duplicate=False):
                destination._metadata[name] = {"version": m._version}
        for name, t in self._named_state(prefix, extra=True).items():
            as_is = keep_vars or isinstance(t, UninitializedTensorMixin) or name.endswith(EXTRA_STATE)  # (a lazy
            destination[name] = t if as_is else t.detach()  # layer's before its first call; extra state as given)
        return destination

    def load_state_dict(self, state_dict, strict: bool = True, assign: bool = False) -> IncompatibleKeys:
        """Copy values into the parameters and buffers in place (they stay on their device).

        Returns PyTorch's named tuple ``(missing_keys, unexpected_keys)`` (both empty when ``strict``).
        With ``assign=True`` the state dict's tensors become the module's own instead (no copy, their dtype kept).
        A state dict saved by PyTorch loads as is (values may be torch tensors or arrays); one that lacks
        a BatchNorm's ``num_batches_tracked`` keeps the module's count where it does not say it is of BatchNorm's
        version 2 (an older checkpoint, a plain dict: no ``_metadata``), as PyTorch's; from a version 2 it is missing.
        Buffers registered with ``persistent=False`` are neither expected nor loaded.

        Raises ValueError naming the first key that is missing, unexpected (when ``strict``), of another
        shape, or whose values do not fit (a float weight given integers, complex numbers, NaN or inf: a
        damaged or crafted checkpoint must not load as a working model).  As PyTorch's, it raises only
        after copying every key that fits: code that catches the error to fine-tune a model with a new
        head (``try: net.load_state_dict(sd) except RuntimeError: ...``) keeps the weights that loaded.
        """
        if not isinstance(state_dict, dict):
            raise TypeError(f"load_state_dict: expected a dict of name -> array (from state_dict()), "
                            f"got {type(state_dict).__name__}")
        own = self._named_state()
        extra = {(name + "." if name else "") + EXTRA_STATE: m for name, m in self.named_modules()
                 if type(m).set_extra_state is not Module.set_extra_state}  # (PyTorch's: where set_extra_state is)
        versions = getattr(state_dict, "_metadata", None) or {}  # each module's (PyTorch's state_dict() has them)

        def kept(key):  # a BatchNorm count absent from a state dict that does not say it is of BatchNorm's version 2
            path, _, leaf = key.rpartition(".")
            return leaf in OPTIONAL_BUFFERS and (versions.get(path, {}).get("version") or 1) < 2

        missing = [k for k in own if k not in state_dict and not kept(k)]
        missing += [k for k in extra if k not in state_dict]
        unexpected = [k for k in state_dict if k not in own and k not in extra]
        refused = []  # the errors of the keys that cannot be copied, raised once the others are
        with no_grad():  # copy_ bumps each tensor's version: a graph that saved the old weights will refuse
            for name, t in own.items():
                if name not in state_dict:
                    continue
                value = given = state_dict[name]
                if isinstance(value, UninitializedTensorMixin):  # a lazy layer's state before its first call
                    if isinstance(t, UninitializedTensorMixin):
                        continue  # nothing to load into nothing, as PyTorch
                    value.shape  # noqa: B018  (PyTorch's RuntimeError: an uninitialized value has no shape)
                value = value.array if isinstance(value, Tensor) else value
                if not backend.is_array(value):
                    value = backend.np.asarray(value)
                if isinstance(t, UninitializedTensorMixin):  # a lazy layer takes the shape it is given, as PyTorch's
                    t.materialize(value.shape)
                try:
                    if tuple(value.shape) != tuple(t.shape):
                        raise ShapeError(f"load_state_dict: {name!r} has shape {tuple(value.shape)} in the state "
                                         f"dict, but the module's has shape {tuple(t.shape)}")
                    _check_values(name, value, t.dtype)
                except (ShapeError, StateDictError) as e:
                    refused.append(e)
                    continue
                if assign:  # the state dict's tensor becomes the module's own, as it is (PyTorch's assign=True)
                    self._assign(name, t, given if isinstance(given, Tensor) else surface_tensor.tensor(value))
                    continue
                xp = backend.get_array_module(t.array)
                t.copy_(xp.asarray(backend.to_device(value, t.device), dtype=t.dtype))
        for key, module in extra.items():
            if key in state_dict:
                module.set_extra_state(state_dict[key])
        if strict and (missing or unexpected):
            raise StateDictError(
                f"load_state_dict: {type(self).__name__} key sets differ: first missing key "
                f"{missing[0] if missing else None!r} ({len(missing)} missing), first unexpected key "
                f"{unexpected[0] if unexpected else None!r} ({len(unexpected)} unexpected); the keys that "
                "fit were loaded (strict=False loads them without this error)"
            )
        if refused:
            raise refused[0]
        return IncompatibleKeys(missing, unexpected)

    def _assign(self, name, own, given) -> None:
        """``load_state_dict(assign=True)``: ``given`` replaces the tensor ``name``; in place of a parameter it is a
        Parameter (itself when it is one) with the parameter's requires_grad, as PyTorch's."""
        path, _, attr = name.rpartition(".")
        owner = self.get_submodule(path)
        if isinstance(own, Parameter):
            given = given if isinstance(given, Parameter) else Parameter(given, requires_grad=own.requires_grad)
            given.requires_grad_(own.requires_grad)
            owner._parameters[attr] = given
        else:
            owner._buffers[attr] = given

    def to(self, *args, device=None, dtype=None, non_blocking=False) -> Module:
        """Move every parameter and buffer (and gradient) to a device and/or cast the floating ones to a
        dtype, in place, as PyTorch: ``to("cuda")``, ``to(minigan.device(...))``, ``to(minigan.float64)``, or
        ``to(other_tensor)`` (its device and dtype); ``non_blocking`` changes nothing (a copy ends as it returns)."""
        device, dtype = device_and_dtype(args, device, dtype)
        dtype = None if dtype is None else backend.np.dtype(dtype)
        if dtype is not None and not backend.is_floating(dtype):
            raise TypeError(f"Module.to: only floating dtypes can be given to a module, got {dtype}")
        for t in list(self.parameters()) + list(self.buffers()):
            if isinstance(t, UninitializedTensorMixin):  # no data yet: remember where and in what dtype to make it
                asked = t.array
                asked.asked_device = device if device is not None else asked.asked_device
                asked.asked_dtype = dtype if dtype is not None else asked.asked_dtype
                continue
            for holder in (t, t.grad):
                if holder is None:
                    continue
                if device is not None:
                    holder.array = backend.to_device(holder.array, device)
                if dtype is not None and backend.is_floating(holder.dtype):  # integer buffers keep their dtype
                    holder.array = holder.array.astype(dtype)
        return self

    def float(self) -> Module:
        return self.to(backend.np.float32)

    def double(self) -> Module:
        return self.to(backend.np.float64)

    def half(self) -> Module:
        return self.to(backend.np.float16)

    def cpu(self) -> Module:
        return self.to("cpu")

    def cuda(self, device=None) -> Module:
        """To the GPU; ``device`` (an index or a cuda device) is accepted as PyTorch's: minigan runs on one GPU."""
        return self.to("cuda" if device is None else backend.Device("cuda", device) if isinstance(device, int)
                       else device)

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
        raise StateDictError(f"load_state_dict: {name!r} holds {value.dtype} values in the state dict, "
                         f"but the module's is {backend.np.dtype(dtype)}")
    if kind == "f" and not bool(backend.get_array_module(value).isfinite(value).all()):
        raise StateDictError(f"load_state_dict: {name!r} holds NaN or inf values in the state dict; "
                         "a model's weights must be finite")


class _LayerSequence(Module):
    """What ModuleList and Sequential share: layers kept in order under the keys "0", "1", ... (a Sequential's
    may be names), read and changed by position like a Python list's items."""

    def __len__(self):
        return len(self._modules)

    def __iter__(self):
        return iter(self._modules.values())

    def _key(self, index) -> str:
        """The key of the layer at position ``index`` (negative counts from the end)."""
        if isinstance(index, bool) or not isinstance(index, numbers.Integral):
            raise TypeError(f"{type(self).__name__}: index must be an int (a slice reads or deletes several), "
                            f"got {type(index).__name__}")
        keys = list(self._modules)
        if not -len(keys) <= index < len(keys):
            raise IndexOutOfRange(f"{type(self).__name__}: index {index} is out of range for {len(keys)} layers")
        return keys[index]

    def __getitem__(self, index):
        if isinstance(index, slice):
            return self._slice(index)
        return self._modules[self._key(index)]

    def __setitem__(self, index, module):
        """``seq[2] = nn.Linear(...)``: replaces the layer in place (its key is kept)."""
        setattr(self, self._key(index), module)

    def __delitem__(self, index):
        """``del seq[1]`` or ``del seq[1:3]``; the layers left (named too) are renumbered "0", "1", ... (PyTorch's)."""
        doomed = list(self._modules)[index] if isinstance(index, slice) else [self._key(index)]
        for key in doomed:
            del self._modules[key]
        self._renumber(list(self._modules.values()))

    def _renumber(self, layers) -> None:
        self._modules.clear()
        for i, module in enumerate(layers):
            self._modules[str(i)] = module

    def pop(self, key):
        """Remove the layer (or the slice of layers) at position ``key`` and return it."""
        layer = self[key]
        del self[key]
        return layer

    def append(self, module):
        if not isinstance(module, Module):
            hint = " (named layers come in an OrderedDict)" if isinstance(module, dict) else ""
            raise TypeError(f"{type(self).__name__}: argument {len(self)} must be a Module, "
                            f"got {type(module).__name__}{hint}")
        self.add_module(str(len(self)), module)
        return self

    def extend(self, modules):
        if not isinstance(modules, Iterable):
            raise TypeError(f"{type(self).__name__}.extend: expected an iterable of Modules, "
                            f"got {type(modules).__name__}")
        for module in list(modules):  # (a list first: `layers.extend(layers)` must not grow what it reads)
            self.append(module)
        return self

    def insert(self, index: int, module) -> None:
        """Put ``module`` before position ``index`` (``len(self)`` appends, negative counts from the end)."""
        if not isinstance(module, Module):
            raise TypeError(f"{type(self).__name__}.insert: expected a Module, got {type(module).__name__}")
        n = len(self)
        if not -n <= index <= n:
            raise IndexOutOfRange(f"{type(self).__name__}.insert: index {index} is out of range for {n} layers")
        layers = list(self._modules.values())
        layers.insert(index, module)
        self._renumber(layers)


class ModuleList(_LayerSequence):
    """A list of modules that registers them (a plain Python list would hide their parameters).

    Indexable (``layers[0]``, ``layers[-1]``, ``layers[1:]``), assignable (``layers[0] = ...``), ``len(layers)``,
    iterable, and it has a list's ``append``, ``extend``, ``insert``, ``pop`` and ``del``; ``+`` joins two.
    """

    def __init__(self, modules=None):
        super().__init__()
        if modules is not None:
            self.extend(modules)

    def _slice(self, index):
        return type(self)(list(self._modules.values())[index])

    def __add__(self, other):
        return ModuleList(list(self) + list(other))

    def __iadd__(self, modules):
        return self.extend(modules)

    def __repr__(self):
        """PyTorch's: a run of equal layers is printed once, as ``(0-2): 3 x Linear(...)``."""
        if not self._modules:
            return f"{type(self).__name__}()"
        runs = []  # [first index, last index, repr] for each run of layers that print the same
        for i, module in enumerate(self):
            text = repr(module)
            if runs and runs[-1][2] == text:
                runs[-1][1] = i
            else:
                runs.append([i, i, text])
        lines = [(f"({a}): " if a == b else f"({a}-{b}): {b - a + 1} x ") + text.replace("\n", "\n  ")
                 for a, b, text in runs]
        return f"{type(self).__name__}(\n  " + "\n  ".join(lines) + "\n)"


class Sequential(_LayerSequence):
    """Layers applied one after another: ``Sequential(Linear(2, 8), ReLU(), Linear(8, 1))``.

    Named layers come in an OrderedDict: ``Sequential(OrderedDict([("fc", Linear(2, 1)), ("act", Sigmoid())]))``
    makes ``model.fc`` and the state_dict keys "fc.weight", ...  Indexing, assigning, ``del``, ``append``,
    ``insert``, ``extend`` and ``pop`` work by position, as a list's; a slice is a Sequential keeping the keys.
    """

    def __init__(self, *modules):
        super().__init__()
        if len(modules) == 1 and isinstance(modules[0], OrderedDict):  # PyTorch takes names from an OrderedDict only
            for name, module in modules[0].items():
                self.add_module(name, module)
        else:
            for module in modules:
                self.append(module)

    def forward(self, input):
        for module in self:
            input = module(input)
        return input

    def _slice(self, index):
        return type(self)(OrderedDict(list(self._modules.items())[index]))

    def extend(self, sequential) -> Sequential:  # (PyTorch's name for the argument here)
        return super().extend(sequential)

    def insert(self, index: int, module) -> Sequential:
        super().insert(index, module)
        return self

    def __add__(self, other):
        if not isinstance(other, Sequential):
            raise ValueError(f"Sequential + {type(other).__name__}: only a Sequential can be added to a Sequential")
        return Sequential(*self, *other)

    def __iadd__(self, other):
        if not isinstance(other, Sequential):
            raise ValueError(f"Sequential += {type(other).__name__}: only a Sequential can be added to a Sequential")
        return self.extend(other)

    def _repeated(self, times, op) -> list:
        """The layers ``times`` over, the same module objects (PyTorch's ``Sequential * n``: shared weights)."""
        if not isinstance(times, int):
            raise TypeError(f"unsupported operand type(s) for {op}: 'Sequential' and '{type(times).__name__}'")
        if times <= 0:
            raise ValueError(f"Sequential {op} {times}: the factor must be a positive int, as in PyTorch")
        return list(self) * times

    def __mul__(self, times):
        return Sequential(*self._repeated(times, "*"))

    __rmul__ = __mul__

    def __imul__(self, times):
        return self.extend(self._repeated(times, "*=")[len(self):])


# Not methods of Module: PyTorch's Module has neither, and a subclass may set an attribute of either name (a model's
# ``self.device = device``), which must stay its own.
@contextmanager
def evaluating(module):
    """``with evaluating(model):`` the block runs in evaluation mode; afterwards every submodule has its own mode
    back (a model half in train mode stays so), whatever the block raised.

    What an attack or a sampler does to a model it was handed: use it as deployed, change nothing.
    """
    modes = [(m, m.training) for m in module.modules()]
    module.eval()
    try:
        yield module
    finally:
        for m, mode in modes:
            object.__setattr__(m, "training", mode)


def module_device(module) -> backend.Device:
    """Where the module's first parameter (or buffer) lives (cpu or cuda:0); cpu for a module without any.  (PyTorch
    code writes ``next(m.parameters()).device``.)"""
    for t in module.parameters():
        return t.device
    for t in module.buffers():
        return t.device
    return backend.Device("cpu")
