"""The base class every optimizer shares.

An optimizer holds a list of parameters (tensors that require grad) and, for each one, a small
dictionary of *state* (momentum buffers, moment estimates, a step count). ``step()`` reads each
parameter's ``.grad`` (a Tensor of the parameter's shape and dtype, or None for a parameter that
got no gradient) and, under ``no_grad()``, moves the parameter **in place** with ``p.sub_(...)`` /
``p.add_(...)``, as ``torch.optim`` does. It never writes into ``p.grad`` (the caller may still
hold it).

Each in-place update bumps the parameter's version counter, so a graph recorded *before* the
step, which saved the old values, refuses to backward (a ``GraphError``) instead of giving
gradients of values that no longer exist: run a fresh forward after ``step()``.

The update rule itself lives in each subclass's ``_update(p, g, state)``, written to mirror the
equations of the paper it cites, one line per equation. ``g`` is the gradient's array
(``p.grad.array``) and the state holds arrays, so each equation is plain NumPy/CuPy arithmetic;
only the final move of ``p`` goes through the Tensor's in-place ops.

Checkpoints: ``state_dict()`` returns plain Python (host NumPy arrays, ints, floats, strings), so
``minigan.save`` can write it; ``load_state_dict()`` checks that it fits these parameters and
restores it, so a resumed run follows exactly the same trajectory as an uninterrupted one.
"""

from __future__ import annotations

import math

from minigan import backend
from minigan.function import enable_grad, no_grad
from minigan.tensor import Tensor

STATE_DICT_FORMAT = 1


# ----------------------------------------------------------------------------- argument checks
def _number(who, name, value):
    """``value`` as a Python float (never a NumPy float64 scalar, which would promote float32)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) and not backend.is_numpy_scalar(value):
        raise TypeError(f"{who}: {name} must be a number, got {type(value).__name__} {value!r}")
    return float(value)


def check_lr(who, lr):
    lr = _number(who, "lr", lr)
    if not (lr > 0 and math.isfinite(lr)):  # also False for NaN
        raise ValueError(f"{who}: lr must be a finite number > 0, got {lr!r}")
    return lr


def check_eps(who, eps):
    eps = _number(who, "eps", eps)
    if not (eps >= 0 and math.isfinite(eps)):
        raise ValueError(f"{who}: eps must be a finite number >= 0, got {eps!r}")
    return eps


def check_unit(who, name, value):
    """A decay rate in [0, 1): 1 would freeze the average forever."""
    value = _number(who, name, value)
    if not 0.0 <= value < 1.0:  # also False for NaN
        raise ValueError(f"{who}: {name} must be in [0, 1), got {value!r}")
    return value


def check_betas(who, betas):
    if not isinstance(betas, (tuple, list)) or len(betas) != 2:
        raise TypeError(f"{who}: betas must be a pair (beta1, beta2), got {betas!r}")
    return (check_unit(who, "betas[0]", betas[0]), check_unit(who, "betas[1]", betas[1]))


def check_nonnegative(who, name, value):
    value = _number(who, name, value)
    if not (value >= 0 and math.isfinite(value)):
        raise ValueError(f"{who}: {name} must be a finite number >= 0, got {value!r}")
    return value


def _is_parameter(p) -> bool:
    try:
        from minigan.nn.module import Parameter
    except ImportError:  # minigan.nn not importable: plain Tensors only
        return False
    return isinstance(p, Parameter)


def _check_params(who, params):
    if isinstance(params, Tensor):
        raise TypeError(
            f"{who}: params must be an iterable of parameters (e.g. model.parameters()), "
            "got a single Tensor; wrap it in a list: [t]"
        )
    try:
        params = list(params)
    except TypeError:
        raise TypeError(
            f"{who}: params must be an iterable of parameters, got {type(params).__name__}"
        ) from None
    if not params:
        raise ValueError(f"{who}: got an empty parameter list, expected at least one parameter to optimize")
    seen = set()
    for i, p in enumerate(params):
        if not isinstance(p, Tensor):
            raise TypeError(
                f"{who}: parameter {i} is a {type(p).__name__}, expected a minigan Parameter "
                "(or a Tensor with requires_grad=True)"
            )
        if not p.requires_grad and not _is_parameter(p):  # a frozen Parameter may be unfrozen later
            raise ValueError(f"{who}: parameter {i} (shape {p.shape}) has requires_grad=False; "
                             "expected a tensor that requires grad")
        if not p.is_leaf:
            raise ValueError(f"{who}: parameter {i} (shape {p.shape}) is the result of an op, "
                             "expected a leaf tensor (a Parameter)")
        if id(p) in seen:
            raise ValueError(f"{who}: parameter {i} (shape {p.shape}) appears twice in the list")
        seen.add(id(p))
    return params


# ----------------------------------------------------------------------------- the base class
class Optimizer:
    """Base class: ``step()``, ``zero_grad()``, ``state_dict()``, ``load_state_dict()``.

    A subclass lists its hyperparameter names in ``hyperparameter_names``, checks and sets them
    (``self.lr = ...``) in ``_set_hyperparameters`` (called on construction *and* when a state_dict
    is loaded), and implements one parameter's update in ``_update(p, g, state)``.
    """

    hyperparameter_names: tuple = ()

    def __init__(self, params, **hyperparameters):
        who = type(self).__name__
        self.params = _check_params(who, params)
        self._set_hyperparameters(**hyperparameters)
        self.state = [{} for _ in self.params]  # one dict per parameter, filled on its first step

    # -- what subclasses provide
    def _set_hyperparameters(self, **hyperparameters) -> None:
        """Check every hyperparameter, then set them all (``self.lr`` is what ``step()`` reads)."""
        raise NotImplementedError

    def _update(self, p: Tensor, g, state: dict) -> None:
        """Move ``p`` in place (``p.sub_``/``p.add_``; ``step`` runs this under ``no_grad()``) from the
        gradient array ``g`` (never modify ``g``: it is ``p.grad``'s own array)."""
        raise NotImplementedError

    # -- the public interface
    @property
    def hyperparameters(self) -> dict:
        return {name: getattr(self, name) for name in self.hyperparameter_names}

    def step(self, closure=None):
        """One update of every parameter that has a gradient (parameters with ``grad=None`` are skipped).

        The updates run under ``no_grad()``: they change each parameter's array in place (its
        version goes up by one per ``sub_``/``add_``) and are never recorded in a graph.
        ``closure`` (optional, as in PyTorch) recomputes the loss and its gradients; its value is returned.
        """
        loss = None
        if closure is not None:
            with enable_grad():
                loss = closure()
        with no_grad():  # the updates change leaves in place, which only no_grad() allows
            for i, p in enumerate(self.params):
                if p.grad is None:
                    continue
                self._update(p, self._gradient(i, p), self.state[i])
        return loss

    def zero_grad(self) -> None:
        """Forget the gradients: every parameter's ``.grad`` becomes None (PyTorch's set_to_none)."""
        for p in self.params:
            p.grad = None

    def _gradient(self, i, p):
        """The array of ``p.grad`` (assigning ``.grad`` already checked it is a Tensor of p's shape
        and dtype; checked again here in case ``p`` was given another array since)."""
        g = p.grad.array
        who = f"{type(self).__name__}.step"
        if g.shape != p.shape:
            raise ValueError(f"{who}: parameter {i} has shape {p.shape} but its .grad has shape {g.shape}")
        if g.dtype != p.dtype:
            raise TypeError(f"{who}: parameter {i} has dtype {p.dtype} but its .grad has dtype {g.dtype}")
        return g

    # -- checkpoints
    def state_dict(self) -> dict:
        """Plain data: the optimizer's name, its hyperparameters, and per-parameter state
        (host NumPy copies of the buffers, and the step count), in parameter order."""
        state = []
        for s in self.state:
            # (a 0-d buffer may have become a NumPy scalar through arithmetic: store it as a 0-d array)
            state.append({k: (v if isinstance(v, int) else backend.asnumpy(v).copy()) for k, v in s.items()})
        hyper = {k: (list(v) if isinstance(v, tuple) else v) for k, v in self.hyperparameters.items()}
        return {"optimizer": type(self).__name__, "format": STATE_DICT_FORMAT,
                "hyperparameters": hyper, "state": state}

    def load_state_dict(self, state_dict: dict) -> None:
        """Restore ``state_dict()`` output; raises a clear error if it belongs to other parameters."""
        who = f"{type(self).__name__}.load_state_dict"
        if not isinstance(state_dict, dict):
            raise TypeError(f"{who}: expected a dict from state_dict(), got {type(state_dict).__name__}")
        missing = [k for k in ("optimizer", "hyperparameters", "state") if k not in state_dict]
        if missing:
            raise ValueError(f"{who}: the state_dict lacks the entries {missing}; expected the output of "
                             "an optimizer's state_dict()")
        if state_dict["optimizer"] != type(self).__name__:
            raise ValueError(f"{who}: got the state of a {state_dict['optimizer']!r} optimizer, "
                             f"expected {type(self).__name__!r}")
        saved = state_dict["state"]
        if not isinstance(saved, (list, tuple)) or len(saved) != len(self.params):
            n = len(saved) if isinstance(saved, (list, tuple)) else type(saved).__name__
            raise ValueError(f"{who}: the state_dict holds state for {n} parameters, "
                             f"this optimizer has {len(self.params)}")
        hyper = state_dict["hyperparameters"]
        if not isinstance(hyper, dict):
            raise TypeError(f"{who}: hyperparameters must be a dict, got {type(hyper).__name__}")

        new_state = []  # build everything first, so a bad entry leaves the optimizer untouched
        for i, (p, s) in enumerate(zip(self.params, saved)):
            if not isinstance(s, dict):
                raise TypeError(f"{who}: the state of parameter {i} is a {type(s).__name__}, expected a dict")
            xp = backend.get_array_module(p.array)
            restored = {}
            for key, value in s.items():
                if key == "step":
                    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                        raise ValueError(f"{who}: parameter {i} has step={value!r}, expected an int >= 0")
                    restored[key] = int(value)
                elif backend.is_array(value):
                    if tuple(value.shape) != tuple(p.shape):
                        raise ValueError(f"{who}: state {key!r} of parameter {i} has shape {tuple(value.shape)}, "
                                         f"but the parameter has shape {tuple(p.shape)}")
                    if value.dtype.kind not in "fiu" or not backend.np.isfinite(backend.asnumpy(value)).all():
                        raise ValueError(f"{who}: state {key!r} of parameter {i} holds non-finite or non-real "
                                         f"values (dtype {value.dtype}); expected finite real numbers")
                    restored[key] = xp.asarray(backend.asnumpy(value), dtype=p.dtype).copy()
                else:
                    raise TypeError(f"{who}: state {key!r} of parameter {i} is a {type(value).__name__}, "
                                    "expected an array or the int 'step'")
            new_state.append(restored)
        self._set_hyperparameters(**hyper)  # checks all before setting any: a bad value changes nothing
        self.state = new_state

    # -- display
    def __repr__(self):
        hyper = ", ".join(f"{k}={v!r}" for k, v in self.hyperparameters.items())
        n = sum(int(p.size) for p in self.params)
        return f"{type(self).__name__}({hyper}; {len(self.params)} parameters, {n:,} elements)"
