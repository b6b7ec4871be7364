"""The base class of every distribution: shapes, argument validation with PyTorch's errors, ``sample`` as
``rsample`` without the graph.

Shapes: a distribution holds ``batch_shape`` independent distributions over values of ``event_shape``;
``sample(sample_shape)`` has shape ``sample_shape + batch_shape + event_shape``, and ``log_prob(value)`` one number
per distribution and sample (``value``'s shape without the event's).
"""

from __future__ import annotations

import warnings

from minigan.distributions import constraints
from minigan.engine.grad_mode import no_grad
from minigan.surface.tensor import Tensor
from minigan.toplevel import Size

__all__ = ["Distribution"]

NO_EVENT = Size()  # the event shape of a distribution over numbers (Normal's, Bernoulli's): one draw is one number


def holds(check) -> bool:
    """Whether a constraint's check is True everywhere: its array read at once (a yes or no needs no graph, nor
    PyTorch's rules for a reduction's dtype and layout)."""
    return bool(check.array.all())


def invalid_values(value, subject, requirement) -> ValueError:
    """PyTorch's error for a parameter or a value with entries outside its constraint: "Expected <subject> (<its
    type and shape>) <requirement>, but found invalid values:" and the tensor."""
    return ValueError(f"Expected {subject} ({type(value).__name__} of shape {tuple(value.shape)}) {requirement}, "
                      f"but found invalid values:\n{value}")


class Distribution:
    """Distribution(batch_shape=(), event_shape=(), validate_args=None): the abstract base class."""

    has_rsample = False
    has_enumerate_support = False
    arg_constraints: dict = {}  # parameter name -> the constraint it must satisfy
    _validate_args = __debug__  # on, as PyTorch's, unless Python runs with -O

    @staticmethod
    def set_default_validate_args(value: bool) -> None:
        """Turn argument validation on or off for every distribution made after."""
        if value not in (True, False):
            raise ValueError
        Distribution._validate_args = value

    def __init__(self, batch_shape=(), event_shape=(), validate_args=None):
        self._batch_shape, self._event_shape = Size(batch_shape), Size(event_shape)
        if validate_args is not None:
            self._validate_args = validate_args
        if not self._validate_args:
            return
        for param, constraint in self.arg_constraints.items():
            if constraints.is_dependent(constraint) or param not in self.__dict__:
                continue  # (a parameter not given, made from another on first use, was checked as the other)
            value = getattr(self, param)
            if not holds(constraint.check(value)):
                raise invalid_values(value, f"parameter {param}",
                                     f"of distribution {self!r} to satisfy the constraint {constraint!r}")

    def _usual_init(self, batch_shape, validate_args, valid) -> bool:
        """The usual call's __init__ (parameters that are already tensors of one shape, no event, no validate_args
        given): the shapes set, and True when it is done: validation off, or ``valid()``, the family's plain check of
        its parameters, says yes.  False sends the call on to the full path, which takes a validate_args given,
        checks each constraint and raises PyTorch's error."""
        self._batch_shape, self._event_shape = batch_shape, NO_EVENT
        return validate_args is None and (not self._validate_args or valid())

    @property
    def batch_shape(self):
        """The shape over which parameters are batched."""
        return self._batch_shape

    @property
    def event_shape(self):
        """The shape of one sample (without batching)."""
        return self._event_shape

    @property
    def support(self):
        raise NotImplementedError

    @property
    def mean(self):
        raise NotImplementedError

    @property
    def mode(self):
        raise NotImplementedError(f"{self.__class__} does not implement mode")

    @property
    def variance(self):
        raise NotImplementedError

    @property
    def stddev(self):
        return self.variance.sqrt()

    def expand(self, batch_shape, _instance=None):
        raise NotImplementedError

    def sample(self, sample_shape=()):
        """A sample of shape ``sample_shape + batch_shape + event_shape``, cut from the graph: no gradient reaches
        the parameters through it (the same numbers as ``rsample``, where there is one)."""
        with no_grad():
            return self.rsample(sample_shape)

    def rsample(self, sample_shape=()):
        """A reparameterized sample: the parameters' gradients flow through it."""
        raise NotImplementedError(f"{type(self).__name__} has no rsample: its samples cannot be written as a "
                                  "differentiable function of the parameters; use sample() (no gradient)")

    def sample_n(self, n):
        warnings.warn("`sample_n(n)` will be deprecated. Use `sample((n,))` instead.", FutureWarning, stacklevel=2)
        return self.sample((n,))

    def log_prob(self, value):
        raise NotImplementedError

    def cdf(self, value):
        raise NotImplementedError

    def icdf(self, value):
        raise NotImplementedError

    def enumerate_support(self, expand=True):
        raise NotImplementedError

    def entropy(self):
        raise NotImplementedError

    def perplexity(self):
        return self.entropy().exp()

    def _extended_shape(self, sample_shape=()):
        if sample_shape == () and not self._event_shape:  # (the usual call, one draw of numbers: the batch's shape)
            return self._batch_shape
        return Size(tuple(sample_shape)) + self._batch_shape + self._event_shape

    def _of_batch_shape(self, value) -> bool:
        """Whether ``value`` is the usual value of log_prob: a tensor of the batch shape, with no event (nothing to
        broadcast, so only the support is left to check)."""
        return isinstance(value, Tensor) and value.array.shape == self._batch_shape and not self._event_shape

    def _validate_sample(self, value) -> None:
        """``value`` (of log_prob, cdf, icdf) must broadcast with batch_shape + event_shape and lie in the support:
        else the ValueError PyTorch raises."""
        if not isinstance(value, Tensor):
            raise ValueError("The value argument to log_prob must be a Tensor")
        start = value.dim() - len(self._event_shape)
        if value.size()[start:] != self._event_shape:
            raise ValueError(f"The right-most size of value must match event_shape: {value.size()} vs "
                             f"{self._event_shape}.")
        actual, expected = value.size(), self._batch_shape + self._event_shape
        for i, j in zip(reversed(actual), reversed(expected)):
            if i != 1 and j != 1 and i != j:
                raise ValueError(f"Value is not broadcastable with batch_shape+event_shape: {actual} vs {expected}.")
        support = self.support
        if not holds(support.check(value)):
            raise invalid_values(value, "value argument",
                                 f"to be within the support ({support!r}) of the distribution {self!r}")

    def _get_checked_instance(self, cls, _instance=None):
        if _instance is None and type(self).__init__ != cls.__init__:
            raise NotImplementedError(f"Subclass {self.__class__.__name__} of {cls.__name__} that defines a custom "
                                      "__init__ method must also define a custom .expand() method.")
        return self.__new__(type(self)) if _instance is None else _instance

    def _expanded(self, cls, batch_shape, _instance, **params):
        """A new instance of ``cls`` with its parameters ``params`` and ``batch_shape``, not validated again (the
        parameters were checked once, at the first construction)."""
        new = self._get_checked_instance(cls, _instance)
        for name, value in params.items():
            setattr(new, name, value)
        Distribution.__init__(new, batch_shape, self._event_shape, validate_args=False)
        new._validate_args = self._validate_args
        return new

    def __repr__(self):
        params = [k for k in self.arg_constraints if k in self.__dict__]
        shown = (f"{p}: {self.__dict__[p] if self.__dict__[p].numel() == 1 else self.__dict__[p].size()}"
                 for p in params)
        return f"{type(self).__name__}({', '.join(shown)})"
