"""Parametrizations, as ``torch.nn.utils.parametrize``: a module's parameter replaced by a function of a
learnable ``original``.  After ``register_parametrization(module, "weight", p)`` the learnable tensor is
``module.parametrizations.weight.original`` and reading ``module.weight`` computes ``p(original)`` (each time it
is read, so its gradient reaches ``original``); several parametrizations chain, the first applied first.
The state-dict keys are PyTorch's (``parametrizations.weight.original``, ``parametrizations.weight.0._u``, ...).
Reading goes through ``Module.__getattr__``, which looks in ``parametrizations`` last.
"""

from __future__ import annotations

import contextlib

from minigan.engine.grad_mode import no_grad
from minigan.nn.module import Module, ModuleList
from minigan.nn.parameter import Parameter


class ParametrizationList(ModuleList):
    """The parametrizations of one tensor, and ``original``, the learnable tensor they are applied to."""

    def __init__(self, modules, original):
        super().__init__(modules)
        first = modules[0]
        if hasattr(first, "right_inverse"):  # what is stored is right_inverse(value), in the module's own tensor
            with no_grad():
                original.data = first.right_inverse(original)
        _register(self, "original", original)  # the same object: an optimizer made before still trains it

    def right_inverse(self, value) -> None:
        """Store the original that gives ``value`` (``module.weight = value``), through the right_inverses."""
        with no_grad():
            for parametrization in reversed(list(self)):
                if hasattr(parametrization, "right_inverse"):
                    value = parametrization.right_inverse(value)
            self.original.copy_(value)

    def forward(self):
        x = self.original
        for parametrization in self:
            x = parametrization(x)
        return x


def register_parametrization(module: Module, tensor_name: str, parametrization: Module, *, unsafe: bool = False):
    """Make ``module.<tensor_name>`` the output of ``parametrization`` applied to a learnable original (the
    current value); a second call on the same name applies its parametrization after the first.  Returns module."""
    if not isinstance(module, Module):  # (AttributeError, as PyTorch's, which reads the module's fields first)
        raise AttributeError(f"register_parametrization: expected a Module (such as nn.Linear), got "
                             f"{type(module).__name__}")
    if not isinstance(parametrization, Module):
        raise TypeError(f"register_parametrization: the parametrization must be a Module, got "
                        f"{type(parametrization).__name__}")
    if is_parametrized(module, tensor_name):
        module.parametrizations[tensor_name].append(parametrization)
        return module
    original = module._parameters.get(tensor_name, module._buffers.get(tensor_name))
    if original is None:
        raise ValueError(f"register_parametrization: {type(module).__name__} has no parameter or buffer "
                         f"{tensor_name!r}")
    if "parametrizations" not in module._modules:
        from minigan.nn.more_layers import ModuleDict  # (ModuleDict lives with the other containers' helpers)

        module.parametrizations = ModuleDict()
    delattr(module, tensor_name)
    module.parametrizations[tensor_name] = ParametrizationList([parametrization], original)
    return module


def is_parametrized(module: Module, tensor_name: str | None = None) -> bool:
    """Whether ``module`` has parametrizations (on ``tensor_name``, when given)."""
    chains = getattr(module, "_modules", {}).get("parametrizations")  # (anything but a Module has none)
    if chains is None:
        return False
    return len(chains) > 0 if tensor_name is None else tensor_name in chains


def remove_parametrizations(module: Module, tensor_name: str, leave_parametrized: bool = True) -> Module:
    """Undo ``register_parametrization``: ``tensor_name`` is the module's own tensor again (the object that was
    ``original``, so an optimizer keeps it), holding the parametrized value (``leave_parametrized=True``) or the
    original."""
    if not is_parametrized(module, tensor_name):
        raise ValueError(f"remove_parametrizations: {type(module).__name__} has no parametrization on "
                         f"{tensor_name!r}")
    chain = module.parametrizations[tensor_name]
    original = chain.original
    if leave_parametrized:
        with no_grad():
            original.data = chain()
    del module.parametrizations[tensor_name]
    if not len(module.parametrizations):
        del module.parametrizations
    _register(module, tensor_name, original)
    return module


def _register(module: Module, name: str, tensor) -> None:
    """``tensor`` itself under ``name``: a parameter if it is a Parameter, else a buffer (as PyTorch keeps it)."""
    if isinstance(tensor, Parameter):
        module.register_parameter(name, tensor)
    else:
        module.register_buffer(name, tensor)


@contextlib.contextmanager
def cached():
    """PyTorch caches parametrized tensors inside this block; minigan computes them on each read (the same
    values: the cache only saves time), so the block changes nothing here."""
    yield
