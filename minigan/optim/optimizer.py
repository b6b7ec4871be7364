"""The base class every optimizer shares.

An optimizer holds a list of parameters (tensors that require grad) and, for each one, a small
dictionary of *state* (momentum buffers, moment estimates, a step count). ``step()`` reads each
parameter's ``.grad`` (a Tensor of the parameter's shape and dtype, or None for a parameter that
got no gradient) and, under ``no_grad()``, moves the parameter **in place** with ``p -= ...``, the
paper's θ ← θ − step (``torch.optim`` writes ``p.add_(...)``: the same in-place write). It never writes
into ``p.grad`` (the caller may still hold it).

Each in-place update bumps the parameter's version counter, so a graph recorded *before* the
step, which saved the old values, refuses to backward (a ``GraphError``) instead of giving
gradients of values that no longer exist: run a fresh forward after ``step()``.

The update rule itself lives in each subclass's ``_update(p, g, state, group)``, written to mirror the
equations of the paper it cites, one line per equation. ``g`` is the gradient's array
(``p.grad.array``) and, through ``@state_as_arrays``, ``state`` holds arrays and the step count as a number, so each
equation is plain NumPy/CuPy arithmetic; only the final move of ``p`` goes through the Tensor's in-place ops.
``opt.state[p]`` itself holds what PyTorch's holds: Tensors that never require grad (the step count a 0-d float
Tensor), the same Tensor from step to step, so a learner can print one, take its ``norm()`` or save it.

Checkpoints: ``state_dict()`` returns PyTorch's layout, each parameter's state as Tensors (copies; the step
count a 0-d Tensor of the default floating dtype, as PyTorch's), so ``minigan.save`` can write it;
``load_state_dict()`` checks that it fits these parameters and restores it (Tensors or NumPy arrays), so a resumed
run follows exactly the same trajectory as an uninterrupted one.
"""

from __future__ import annotations

import difflib
import functools
import warnings
from collections import defaultdict

from minigan.engine import backend
from minigan.engine.grad_mode import enable_grad, no_grad
from minigan.surface import missing as _missing
from minigan.surface.missing_class_names import OptimizerNamesNotProvided
from minigan.surface.tensor import Tensor

# What a learning-rate scheduler writes into a group (OneCycleLR: its bounds), kept beside the hyperparameters.
_SCHEDULE_KEYS = ("initial_lr", "max_lr", "min_lr", "max_momentum", "base_momentum")


# ----------------------------------------------------------------------------- argument checks
def _number(who, name, value):
    """``value`` as a Python int or float (never a NumPy float64 scalar, which would promote float32).

    An int stays an int, as PyTorch keeps it (its repr prints ``momentum: 0``), True and False are the ints 1 and 0
    (as PyTorch's checks read them); a 1-element Tensor becomes the float it holds (what step() reads; ``check_lr``
    keeps a Tensor lr itself in the group, as PyTorch does).  What is no number is PyTorch's TypeError."""
    if isinstance(value, Tensor):
        if value.numel() != 1:
            raise ValueError(f"{who}: {name} must be a number or a 1-element Tensor, got a Tensor of shape "
                             f"{tuple(value.shape)}")
        return float(value.item())
    if not isinstance(value, (int, float)) and not backend.is_numpy_scalar(value):
        raise TypeError(f"{who}: {name} must be a number, got {type(value).__name__} {value!r}")
    return int(value) if isinstance(value, int) else float(value)


# PyTorch's rules differ by optimizer (torch/optim/*.py); each is one of these.  None refuses ∞: a learner sees an
# infinite rate as PyTorch's does, as ∞ and NaN weights.
def check_nonnegative(who, name, value):
    """PyTorch's ``0 <= x`` (most optimizers' lr, eps, weight_decay, ...): ∞ taken; a negative value and NaN
    refused.  lr = 0 is an optimizer made only to load a saved state into, as tutorials do."""
    value = _number(who, name, value)
    if not value >= 0:  # also True for NaN
        raise ValueError(f"{who}: {name} must be a number >= 0, got {value!r}")
    return value


def check_not_below_zero(who, name, value):
    """SGD's ``x < 0`` refused (its lr, momentum, weight_decay): NaN is taken, as there (NaN weights follow)."""
    value = _number(who, name, value)
    if value < 0:
        raise ValueError(f"{who}: {name} must be a number >= 0, got {value!r}")
    return value


def check_unit(who, name, value):
    """A decay rate in [0, 1) (betas): 1 would freeze the average forever."""
    value = _number(who, name, value)
    if not 0.0 <= value < 1.0:  # also True for NaN
        raise ValueError(f"{who}: {name} must be in [0, 1), got {value!r}")
    return value


def check_closed_unit(who, name, value):
    """A decay rate in [0, 1] (Adadelta's rho, as PyTorch's check)."""
    value = _number(who, name, value)
    if not 0.0 <= value <= 1.0:  # also True for NaN
        raise ValueError(f"{who}: {name} must be in [0, 1], got {value!r}")
    return value


def lr_check(rule):
    """lr's check by ``rule``; a 1-element Tensor (``lr=torch.tensor(0.01)``) is checked by the number it holds and
    kept as it is, the same Tensor, as PyTorch keeps it in the group (``step()`` reads its number afresh)."""

    def check_lr(who, name, value):
        if isinstance(value, Tensor):
            rule(who, name, _number(who, name, value))
            return value
        return rule(who, name, value)

    return check_lr


check_lr = lr_check(check_nonnegative)


def _scheduled_lr(who, lr):
    """A learning rate set by a training loop or a scheduler, read as PyTorch's step reads it: any number (a negative
    one ascends, ∞ and NaN give ∞ and NaN weights); what is no number is its TypeError."""
    return _number(f"{who}.step", "param_groups[i]['lr']", lr)


def check_betas(who, name, betas):
    if not isinstance(betas, (tuple, list)) or len(betas) != 2:
        raise TypeError(f"{who}: {name} must be a pair (beta1, beta2), got {betas!r}")
    return (check_unit(who, f"{name}[0]", betas[0]), check_unit(who, f"{name}[1]", betas[1]))


def check_flag(who, name, value):
    """A True/False switch (maximize, amsgrad, capturable, differentiable, ...)."""
    if not isinstance(value, bool):
        raise TypeError(f"{who}: {name} must be True or False, got {value!r}")
    return value


def check_optional_flag(who, name, value):
    """True, False or None (PyTorch's ``foreach`` and ``fused``: None lets it pick)."""
    return value if value is None else check_flag(who, name, value)


# How each hyperparameter is checked, by its name: PyTorch's rule for that name in the optimizers that take it, which
# ``Optimizer._check_hyperparameters`` reads; an optimizer whose PyTorch rule differs (SGD) names its own in its
# ``hyperparameter_checks``.  SGD's dampening is any number (PyTorch checks it not at all).  ``foreach``, ``fused``,
# ``capturable`` and ``differentiable`` are PyTorch's implementation switches: they pick how PyTorch runs the same
# update (one kernel per parameter list, CUDA graphs, autograd through step), so minigan, with one NumPy
# implementation, checks them, keeps them in the group and computes the same numbers whatever they are.
HYPERPARAMETER_CHECKS = {
    "lr": check_lr, "eps": check_nonnegative, "weight_decay": check_nonnegative,
    "momentum": check_nonnegative, "dampening": _number, "lr_decay": check_nonnegative,
    "initial_accumulator_value": check_nonnegative, "momentum_decay": check_nonnegative,
    "betas": check_betas, "rho": check_closed_unit, "alpha": check_nonnegative,
    "amsgrad": check_flag, "nesterov": check_flag, "centered": check_flag, "decoupled_weight_decay": check_flag,
    "maximize": check_flag, "capturable": check_flag, "differentiable": check_flag,
    "foreach": check_optional_flag, "fused": check_optional_flag,
}


def _check_params(who, params, empty=False):
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
    if not params and not empty:
        raise ValueError(f"{who}: got an empty parameter list, expected at least one parameter to optimize")
    seen = set()
    for i, p in enumerate(params):
        if not isinstance(p, Tensor):
            raise TypeError(
                f"{who}: parameter {i} is a {type(p).__name__}, expected a minigan Parameter "
                "(or a Tensor with requires_grad=True)"
            )
        # (a tensor that requires no grad is taken, as PyTorch: step() moves it when a .grad is set by hand)
        if not p.is_leaf:
            raise ValueError(f"{who}: parameter {i} (shape {tuple(p.shape)}) is the result of an op, "
                             "expected a leaf tensor (a Parameter)")
        seen.add(id(p))
    if len(seen) < len(params):  # PyTorch warns (a later release of it refuses) and moves p once per appearance
        warnings.warn(f"{who}: optimizer contains a parameter group with duplicate parameters; each step moves such "
                      "a parameter once per appearance, and PyTorch will refuse it in future: give each parameter "
                      "once", UserWarning, stacklevel=4)
    return params


def _named(who, params, groups):
    """PyTorch's (name, parameter) pairs (``model.named_parameters()``): the parameters and their names, or None
    for a group of bare parameters.  Every parameter of a group, and every group, has a name or none has."""
    try:
        params = list(params)
    except TypeError:
        return params, None  # (_check_params refuses it in one line)
    pairs = [p for p in params if isinstance(p, tuple) and len(p) == 2 and isinstance(p[0], str)]
    if pairs and len(pairs) != len(params):
        raise ValueError(f"{who}: all optimizer params should be with/without names; some param names are missing "
                         "(give every parameter as a (name, parameter) pair, or none)")
    if groups and ("param_names" in groups[0]) != bool(pairs):
        raise ValueError(f"{who}: all optimizer param groups should be with/without names; this group "
                         f"{'has' if pairs else 'lacks'} them and the optimizer's {'lack' if pairs else 'have'} them")
    return ([p for _, p in pairs], [n for n, _ in pairs]) if pairs else (params, None)


# ----------------------------------------------------------------------------- the state: Tensors, read as arrays
def state_as_arrays(update):
    """``@state_as_arrays`` on an optimizer's ``_update(p, g, state, group)``: the update reads and writes ``state``
    as arrays, and the step count as a Python float (PyTorch's steps read ``step_t.item()`` too), so each line of it
    is plain arithmetic; ``opt.state[p]`` keeps them as PyTorch's optimizers keep them, as Tensors
    (``keep_as_tensors``)."""

    @functools.wraps(update)
    def update_on_arrays(self, p, g, state, group):
        arrays = {key: (float(v.array) if key == "step" else v.array) if isinstance(v, Tensor) else v
                  for key, v in state.items()}
        update(self, p, g, arrays, group)
        if _PROMOTES_0D_BY_VALUE and p.array.ndim == 0 and p.array.dtype.kind == "f" and p.array.dtype.itemsize < 8:
            _keep_dtype(arrays, p.array.dtype)
        keep_as_tensors(state, arrays)

    return update_on_arrays


_PROMOTES_0D_BY_VALUE = backend.np.__version__.startswith("1.")  # NumPy 1.x: a 0-d float32 and 0.5 give a float64


def _keep_dtype(arrays: dict, dtype) -> None:
    """A 0-d parameter's state in its own dtype, as on NumPy 2 (and PyTorch): NumPy 1.x promotes by value where every
    operand is 0-d, so ``0.9 * b`` of a 0-d float32 ``b`` gave a float64, which became a float64 state entry.  The
    step count and NAdam's mu_product are PyTorch's default-dtype scalars, not the parameter's."""
    for key, value in arrays.items():
        if key not in ("step", "mu_product") and getattr(value, "dtype", dtype) == "float64":
            arrays[key] = value.astype(dtype)


def keep_as_tensors(state: dict, arrays: dict) -> None:
    """Write ``arrays`` (an update's state: arrays, and numbers for the step count) into ``state`` as Tensors that
    never require grad.  An entry already held keeps its Tensor, as PyTorch's updates change theirs in place (a
    Tensor a learner holds shows the new values): an array the update rebound becomes that Tensor's array; a number
    (or a 0-d result) is written into its 0-d array, in its dtype, as PyTorch's ``step_t += 1``.  A new number becomes
    a 0-d Tensor of the default floating dtype on the host, PyTorch's ``_get_scalar_dtype()`` (its step count lives on
    the CPU whatever the parameter's device)."""
    for key, value in arrays.items():
        held = state.get(key)
        if not isinstance(held, Tensor):
            state[key] = Tensor._make(backend.np.asarray(value, dtype=backend.DEFAULT_DTYPE)
                                      if type(value) in (int, float) else value)
        elif held.array is not value:
            if held.array.ndim == 0:
                held.array[()] = value
            else:
                held.array = value


# ----------------------------------------------------------------------------- the base class
# Checkpoints written before the optimizers took PyTorch's state names (exp_avg, exp_avg_sq, ...) load through each
# class's ``renamed_state`` up to this release, which removes it (docs/guarantees.md, "Checkpoints of earlier
# versions"; tests/library/test_checkpoint_shims.py fails once minigan's version reaches it). Saving such a checkpoint
# again writes today's names.
RENAMED_STATE_REMOVED_IN = "0.3.0"


class Optimizer(OptimizerNamesNotProvided):
    """Base class: ``param_groups``, ``step()``, ``zero_grad()``, ``add_param_group()``, ``state_dict()``,
    ``load_state_dict()``, as ``torch.optim.Optimizer``.

    ``param_groups`` is a list of dicts, one per group of parameters: ``{"params": [...], "lr": ..., <the
    other hyperparameters>}``.  ``step()`` reads each group's values afresh (and checks them), so a training
    loop or an ``lr_scheduler`` changes the learning rate with ``group["lr"] = ...``.  ``params`` may be an
    iterable of tensors (one group) or of dicts (one group each; a value a dict leaves out is the default
    given to the constructor)::

        opt = optim.SGD([{"params": net.body.parameters()}, {"params": net.head.parameters(), "lr": 1e-2}],
                        lr=1e-3, momentum=0.9)

    A group's ``maximize=True`` (PyTorch's flag) makes ``step()`` hand ``_update`` the gradient of −f, i.e. −g, so
    every update rule ascends f unchanged.  ``repr(opt)`` is PyTorch's: each group's entries, sorted, one a line.

    A subclass lists its hyperparameter names in ``hyperparameter_names``, checks them in
    ``_check_hyperparameters(**values) -> dict`` and implements one parameter's update in
    ``_update(p, g, state, group)``.
    """

    hyperparameter_names: tuple = ()
    hyperparameter_checks: dict = {}  # name -> this optimizer's rule, where PyTorch's differs from the table's
    renamed_state: dict = {}  # a state name of earlier checkpoints -> today's (PyTorch's), so those still load

    def __init__(self, params, defaults=None, **hyperparameters):
        who = type(self).__name__
        if defaults is not None and not isinstance(defaults, dict):
            raise TypeError(f"{who}: defaults must be a dict of hyperparameters (PyTorch's "
                            f"super().__init__(params, defaults)), got {type(defaults).__name__}")
        defaults = {**(defaults or {}), **hyperparameters}
        if not type(self).hyperparameter_names:  # a subclass written PyTorch's way: its defaults name them
            self.hyperparameter_names = tuple(defaults)
        defaults = {**{k: defaults[k] for k in self.hyperparameter_names if k in defaults}, **defaults}  # (its order)
        self.defaults = self._check_hyperparameters(**defaults)
        self.params, self.param_groups = [], []  # every parameter (in group order), and the groups
        self.state = defaultdict(dict)  # per parameter (``self.state[p]``, as PyTorch): filled on its first step
        if isinstance(params, Tensor):
            _check_params(who, params)  # raises: a single Tensor is not a list of parameters
        try:
            params = list(params)
        except TypeError:
            raise TypeError(f"{who}: params must be an iterable of parameters, got {type(params).__name__}") from None
        if params and all(isinstance(g, dict) for g in params):
            for group in params:
                self.add_param_group(group)
        else:
            self.add_param_group({"params": params})

    def __getattr__(self, name):  # (only where normal lookup fails) a name of PyTorch's minigan lacks: its advice
        if _missing.advice("torch.optim.Optimizer", name):
            raise _missing.attribute_error("torch.optim.Optimizer", name)
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    # -- what subclasses provide
    def _check_hyperparameters(self, **hyperparameters) -> dict:
        """Every hyperparameter checked by its name's rule (``HYPERPARAMETER_CHECKS``, ``hyperparameter_checks``; a
        clear error naming the optimizer), as a dict name -> value.  A name with no rule (a subclass's own) is taken
        as it is, and so is everything a subclass written PyTorch's way (no ``hyperparameter_names``) gives: it
        checks its own."""
        if not type(self).hyperparameter_names:
            return hyperparameters
        who, rules = type(self).__name__, {**HYPERPARAMETER_CHECKS, **type(self).hyperparameter_checks}
        checked = {name: rules[name](who, name, value) if name in rules else value
                   for name, value in hyperparameters.items()}
        if checked.get("foreach") and checked.get("fused"):
            raise RuntimeError(f"{who}: foreach=True and fused=True cannot be used together (as in PyTorch); pick one")
        return checked

    def _update(self, p: Tensor, g, state: dict, group: dict) -> None:
        """Move ``p`` in place (``p -= ...``; ``step`` runs this under ``no_grad()``) from the
        gradient array ``g`` (never modify ``g``: it is ``p.grad``'s own array), with ``group``'s
        checked hyperparameters."""
        raise NotImplementedError(f"{type(self).__name__}: an optimizer overrides step() (PyTorch's way: "
                                  "for group in self.param_groups: for p in group['params']: ...) or _update()")

    # -- the public interface
    def add_param_group(self, param_group: dict) -> None:
        """Add a group of parameters, with its own hyperparameters (the defaults fill what it leaves out)."""
        who = f"{type(self).__name__}.add_param_group"
        if not isinstance(param_group, dict):
            raise TypeError(f"{who}: expected a dict with a 'params' entry, got {type(param_group).__name__}")
        if "params" not in param_group:  # (PyTorch's param_group["params"]: a KeyError)
            raise KeyError(f"{who}: the group has no 'params' entry; give {{'params': [...], ...}}")
        for key in param_group:  # another key (a group's "name") is kept, as PyTorch; one like a hyperparameter warns
            if key in ("params", "param_names", *_SCHEDULE_KEYS, *self.hyperparameter_names):
                continue
            close = difflib.get_close_matches(key, self.hyperparameter_names, n=1, cutoff=0.75)
            if close or key in HYPERPARAMETER_CHECKS:  # a typo, or another optimizer's (SGD given betas)
                hint = f"did you mean {close[0]!r}?" if close else "it is another optimizer's"
                warnings.warn(f"{who}: the group's key {key!r} is not a hyperparameter of {type(self).__name__} and "
                              f"changes nothing ({hint})", UserWarning, stacklevel=2)
        params = param_group["params"]
        if isinstance(params, Tensor):  # one tensor is a group of one, as PyTorch
            params = [params]
        elif isinstance(params, set):  # PyTorch's refusal and message
            raise TypeError("optimizer parameters need to be organized in ordered collections, but the ordering of "
                            "tensors in sets will change between runs. Please use a list instead.")
        params, names = _named(who, params, self.param_groups)
        params = _check_params(type(self).__name__, params, empty=bool(self.param_groups))  # (a later group may be)
        if any(id(p) == id(q) for p in params for q in self.params):
            raise ValueError(f"{who}: some parameters appear in more than one parameter group")
        group = {**param_group, "params": params}  # PyTorch's order: the group's keys, then the defaults it lacks
        if names is not None:
            group["param_names"] = names
        group.update({k: v for k, v in self.defaults.items() if k not in group})
        group.update(self._check_hyperparameters(**self._hyperparameters_of(group)))
        self.param_groups.append(group)
        self.params.extend(params)

    def _hyperparameters_of(self, group: dict) -> dict:
        return {name: group[name] for name in self.hyperparameter_names}

    @property
    def hyperparameters(self) -> dict:
        """The first group's hyperparameters (all of them, when there is one group)."""
        return self._hyperparameters_of(self.param_groups[0])

    @property
    def lr(self) -> float:
        """The learning rate, when every group has the same one (else read ``param_groups``)."""
        rates = {group["lr"] for group in self.param_groups}
        if len(rates) != 1:
            raise ValueError(f"{type(self).__name__}.lr: the groups have different learning rates {sorted(rates)}; "
                             "read param_groups[i]['lr']")
        return rates.pop()

    @lr.setter
    def lr(self, value) -> None:
        """``opt.lr = v`` sets every group's learning rate: PyTorch's ``for g in opt.param_groups: g['lr'] = v``."""
        value = self._check_hyperparameters(**dict(self.hyperparameters, lr=value))["lr"]
        for group in self.param_groups:
            group["lr"] = value

    def step(self, closure=None):
        """One update of every parameter that has a gradient (parameters with ``grad=None`` are skipped).

        The updates run under ``no_grad()``: they change each parameter's array in place (its
        version goes up by one per ``sub_``/``add_``) and are never recorded in a graph.
        ``closure`` (optional, as in PyTorch) recomputes the loss and its gradients; its value is returned.
        """
        loss = None
        self._opt_called = True  # (PyTorch's flag, which a scheduler's first step() reads)
        if closure is not None:
            with enable_grad():
                loss = closure()
        self._read_state()
        i = 0  # the index of each parameter in self.params (and self.state)
        # The updates change leaves in place, which only no_grad() allows; an ∞ or NaN gradient gives NaN updates,
        # as PyTorch's, without NumPy's warnings ("invalid value encountered in divide"), which PyTorch does not give.
        with no_grad(), backend.np.errstate(all="ignore"):
            for group in self.param_groups:
                hyper = dict(group, lr=_scheduled_lr(type(self).__name__, group["lr"]))  # a loop may have set it
                for p in group["params"]:
                    if p.grad is not None:
                        g = self._gradient(i, p)
                        if hyper.get("maximize", False):
                            g = -g  # maximize: minimise −f, whose gradient is −g (a new array: p.grad is untouched)
                        self._update(p, g, self.state[p], hyper)
                    i += 1
        return loss

    def _read_state(self) -> None:
        """What a step reads of the state before it updates any parameter (SGD: which have momentum buffers), as
        PyTorch's steps read it first; nothing here."""

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Forget the gradients: every parameter's ``.grad`` becomes None (PyTorch's default), or, with
        ``set_to_none=False``, zeros written into the same ``.grad`` tensor, as ``Module.zero_grad`` (the step then
        still sees a gradient, and moves a parameter whose update does not vanish at g = 0, e.g. through momentum
        or weight decay, as in PyTorch)."""
        for p in self.params:
            if set_to_none or p.grad is None:
                p.grad = None
            else:  # zeros in the same tensor, cut from any graph first (a gradient made with create_graph), as PyTorch
                with no_grad():
                    p.grad.detach_().zero_()

    def _gradient(self, i, p):
        """The array of ``p.grad`` (assigning ``.grad`` already checked it is a Tensor of p's shape
        and dtype; checked again here in case ``p`` was given another array since)."""
        g = p.grad.array
        who = f"{type(self).__name__}.step"
        if g.shape != p.array.shape:  # (array with array: no Size or minigan dtype made on every step)
            raise ValueError(f"{who}: parameter {i} has shape {tuple(p.shape)} but its .grad has shape "
                             f"{tuple(g.shape)}")
        if g.dtype != p.array.dtype:
            raise TypeError(f"{who}: parameter {i} has dtype {p.dtype} but its .grad has dtype {g.dtype}")
        return g

    # -- checkpoints
    def state_dict(self) -> dict:
        """Shaped as PyTorch's: ``state`` maps a parameter's index (in group order) to its state as Tensors
        (copies: a snapshot), for the parameters that have state; ``param_groups`` lists each group's
        hyperparameters with its parameters' indices.  Those two keys only, as PyTorch's (no class name: PyTorch's
        load_state_dict takes another optimizer's state, whose entries the loading optimizer then ignores)."""
        index = {id(p): i for i, p in enumerate(self.params)}  # a repeated parameter is named by its last place, as
        state = {}
        for i, p in enumerate(self.params):
            s = self.state.get(p)
            if s and index[id(p)] == i:  # in PyTorch's state_dict
                state[i] = {k: _state_tensor(v, p) for k, v in s.items()}
        groups = []
        for group in self.param_groups:
            values = {k: v for k, v in group.items() if k != "params"}  # (betas stays a tuple, as PyTorch's)
            groups.append({**values, "params": [index[id(p)] for p in group["params"]]})
        return {"state": state, "param_groups": groups}

    def load_state_dict(self, state_dict: dict) -> None:
        """Restore ``state_dict()`` output; raises a clear error if it belongs to other parameters.
        (The format of earlier versions, one ``hyperparameters`` dict and a ``state`` list, loads too.)"""
        who = f"{type(self).__name__}.load_state_dict"
        if not isinstance(state_dict, dict):
            raise TypeError(f"{who}: expected a dict from state_dict(), got {type(state_dict).__name__}")
        if "hyperparameters" in state_dict and "param_groups" not in state_dict:
            state_dict = _from_format_1(state_dict, len(self.params), who)
        missing = [k for k in ("param_groups", "state") if k not in state_dict]
        if missing:
            raise ValueError(f"{who}: the state_dict lacks the entries {missing}; expected the output of "
                             "an optimizer's state_dict()")
        if state_dict.get("optimizer", type(self).__name__) != type(self).__name__:  # (an older minigan checkpoint's)
            raise ValueError(f"{who}: got the state of a {state_dict['optimizer']!r} optimizer, "
                             f"expected {type(self).__name__!r}")
        saved, groups = state_dict["state"], state_dict["param_groups"]
        if not isinstance(saved, dict) or not isinstance(groups, (list, tuple)):
            raise TypeError(f"{who}: 'state' must be a dict and 'param_groups' a list, got "
                            f"{type(saved).__name__} and {type(groups).__name__}")
        sizes = [len(g["params"]) if isinstance(g, dict) and isinstance(g.get("params"), (list, tuple)) else None
                 for g in groups]
        if sizes != [len(g["params"]) for g in self.param_groups]:
            raise ValueError(f"{who}: the state_dict holds state for {sum(s or 0 for s in sizes)} parameters, "
                             f"this optimizer has {len(self.params)} (groups of {sizes} and of "
                             f"{[len(g['params']) for g in self.param_groups]} parameters)")
        if any(not isinstance(i, int) or not 0 <= i < len(self.params) for i in saved):
            raise ValueError(f"{who}: the state_dict has state for parameters {sorted(map(str, saved))}, "
                             f"expected indices 0..{len(self.params) - 1}")

        new_state = defaultdict(dict)  # build everything first, so a bad entry leaves the optimizer untouched
        for i, p in enumerate(self.params):
            s = saved.get(i, {})
            if not isinstance(s, dict):
                raise TypeError(f"{who}: the state of parameter {i} is a {type(s).__name__}, expected a dict")
            if s:  # as Tensors, as the optimizer holds them (an earlier checkpoint's arrays and int step too)
                keep_as_tensors(new_state[p], _restore_state(who, i, p, {self.renamed_state.get(k, k): v
                                                                         for k, v in s.items()}))
        new_groups = []
        for own, group in zip(self.param_groups, groups):
            # a checkpoint written before a hyperparameter existed (maximize, foreach, ...) keeps this group's value
            values = {**self._hyperparameters_of(own), **{k: v for k, v in group.items() if k != "params"}}
            saved = {k: values[k] for k in self.hyperparameter_names}
            # a group's lr is what a loop or a schedule left there (any number): read as step() reads it
            hyper = self._check_hyperparameters(**dict(saved, lr=self.defaults["lr"]) if "lr" in saved else saved)
            if "lr" in saved:
                hyper["lr"] = saved["lr"] if isinstance(saved["lr"], Tensor) else _number(who, "lr", saved["lr"])
            new = {**{k: hyper.get(k, v) for k, v in group.items()}, **hyper}  # the saved group's keys in its order
            new["params"] = own["params"]  # (its other keys, a "name", kept, as PyTorch's)
            if "param_names" in own and "param_names" not in new:  # (the saved names, else its own, as PyTorch)
                new["param_names"] = own["param_names"]
            new_groups.append(new)
        self.param_groups, self.state = new_groups, new_state

    # -- display
    def __repr__(self):
        """PyTorch's layout: each group's entries (a scheduler's too) sorted by name, one a line."""
        text = type(self).__name__ + " ("
        for i, group in enumerate(self.param_groups):
            text += f"\nParameter Group {i}\n"
            for key in sorted(group):
                if key != "params":
                    text += f"    {key}: {group[key]}\n"
        return text + ")"


def _state_tensor(value, p):
    """One entry of a parameter's state as PyTorch's state_dict holds it: a Tensor (a copy).  The step count and a
    running scalar (NAdam's Π μ) are 0-d Tensors of the default floating dtype, PyTorch's ``_get_scalar_dtype()``;
    a buffer keeps the parameter's dtype."""
    if isinstance(value, Tensor):
        return value.detach().clone()
    xp = backend.get_array_module(p.array)
    if type(value) in (int, float) or backend.is_array(value) and value.ndim == 0 and p.ndim != 0:
        return Tensor._make(xp.asarray(float(value), dtype=backend.DEFAULT_DTYPE))
    return Tensor._make(xp.array(value, copy=True))  # (a 0-d parameter's buffer may be a NumPy scalar: its dtype kept)


def _restore_state(who, i, p, s) -> dict:
    """One parameter's saved state, checked against the parameter, as arrays on its device (a Tensor of a
    state_dict is read as its array, the step count as the number it holds)."""
    xp = backend.get_array_module(p.array)
    restored = {}
    for key, value in s.items():
        if isinstance(value, Tensor):
            value = backend.asnumpy(value.detach().array)
        elif hasattr(value, "__array__") and not backend.is_array(value):  # a PyTorch optimizer's state: torch Tensors
            value = backend.np.asarray(value)
        if key == "step" and (isinstance(value, float) or backend.is_array(value) and value.ndim == 0):
            value = int(value) if float(value).is_integer() else value  # PyTorch's step is a float Tensor
        if key == "step":
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ValueError(f"{who}: parameter {i} has step={value!r}, expected an int >= 0")
            restored[key] = int(value)
        elif isinstance(value, float) or backend.is_array(value) and value.ndim == 0 and p.ndim != 0:
            value = float(value)  # a running scalar (NAdam's Π μ; a checkpoint holds it as a 0-d array)
            if not backend.np.isfinite(value):
                raise ValueError(f"{who}: state {key!r} of parameter {i} is {value!r}, expected a finite number")
            # (on the host, in a floating parameter's dtype: PyTorch's load_state_dict casts every entry but step)
            restored[key] = backend.np.asarray(value, dtype=p.dtype if p.dtype.kind == "f" else backend.DEFAULT_DTYPE)
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
                            "expected an array, a float or the int 'step'")
    return restored


def _from_format_1(state_dict, n, who) -> dict:
    """A checkpoint of format 1 (one group: a ``hyperparameters`` dict and a ``state`` list) in today's form."""
    saved, hyper = state_dict.get("state"), state_dict["hyperparameters"]
    if not isinstance(saved, (list, tuple)) or len(saved) != n:
        count = len(saved) if isinstance(saved, (list, tuple)) else type(saved).__name__
        raise ValueError(f"{who}: the state_dict holds state for {count} parameters, this optimizer has {n}")
    if not isinstance(hyper, dict):
        raise TypeError(f"{who}: hyperparameters must be a dict, got {type(hyper).__name__}")
    return {"optimizer": state_dict.get("optimizer"), "state": {i: s for i, s in enumerate(saved) if s != {}},
            "param_groups": [{**hyper, "params": list(range(n))}]}
