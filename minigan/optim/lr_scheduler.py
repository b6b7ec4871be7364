"""Learning-rate schedules, named and computed as ``torch.optim.lr_scheduler``'s::

    opt = optim.Adam(G.parameters(), lr=2e-4)
    scheduler = lr_scheduler.StepLR(opt, step_size=30, gamma=0.1)
    for epoch in range(100):
        train_one_epoch(...)        # opt.step() inside
        scheduler.step()            # then the schedule moves on: sets every group's lr

A scheduler remembers each group's starting rate (``initial_lr``, written into the group as PyTorch
does) and, on ``step()``, counts ``last_epoch`` up by one and writes the rate of the new epoch into
``param_groups[i]["lr"]``, where ``optimizer.step()`` reads it.  Constructing it already applies the
rate of epoch 0.

**Schedulers chain.**  As in PyTorch, most schedules are written as a *change of the current rate*
(StepLR multiplies ``group["lr"]`` by γ at each step_size-th epoch, and leaves it alone otherwise), not
as a formula of the base rate.  So two schedulers on one optimizer compose (a LinearLR warm-up times an
ExponentialLR decay), and a rate the training loop sets by hand (``group["lr"] = 1e-4``) is where the
next ``step()`` starts from.  The schedules that are a function of the epoch alone in PyTorch
(``LambdaLR``, ``OneCycleLR``) are here too, and set the rate outright, as there.  Each is compared
with PyTorch's sequence in the tests.
"""

from __future__ import annotations

import bisect
import collections
import math
import sys
import types
import warnings

from minigan.engine import checks
from minigan.optim.optimizer import Optimizer
from minigan.surface import missing as _missing


def _positive_int(who, name, value):
    if not checks.is_integer(value) or value < 1:  # (np.int64(10) too; not a bool)
        raise ValueError(f"{who}: {name} must be a positive int, got {value!r}")
    return int(value)


def _factor(who, name, value, lo, hi, lo_open=False):
    if not checks.is_number(value) or not math.isfinite(value):
        raise TypeError(f"{who}: {name} must be a finite number, got {value!r}")
    if value < lo or value > hi or (lo_open and value == lo):
        raise ValueError(f"{who}: {name} must be in {'(' if lo_open else '['}{lo}, {hi}], got {value!r}")
    return float(value)


def _number(who, name, value):
    """A factor PyTorch's schedule multiplies by as it is (a negative γ alternates the rate's sign, ∞ and NaN carry
    on): any number; only what is no number is refused (PyTorch's TypeError, at its first step)."""
    if not (checks.is_number(value) or isinstance(value, bool)):
        raise TypeError(f"{who}: {name} must be a number, got {value!r}")
    return float(value)


def _per_group(who, name, value, optimizer):
    """One value for every group, or a list of one per group (PyTorch's ``max_lr=[...]``)."""
    n = len(optimizer.param_groups)
    values = list(value) if isinstance(value, (list, tuple)) else [value] * n
    if len(values) != n:
        raise ValueError(f"{who}: {name} has {len(values)} values, expected one per param group ({n})")
    return [_number(who, name, v) for v in values]


# PyTorch's text, which its schedulers warn with when step() is given an epoch
EPOCH_DEPRECATION_WARNING = (
    "The epoch parameter in `scheduler.step()` was not necessary and is being deprecated where possible. Please use "
    "`scheduler.step()` to step the scheduler. During the deprecation, if epoch is different from None, the closed "
    "form is used instead of the new chainable form, where available. Please open an issue if you are unable to "
    "replicate your use case: https://github.com/pytorch/pytorch/issues/new/choose.")

GET_LR_OUTSIDE_STEP = "To get the last learning rate computed by the scheduler, please use `get_last_lr()`."


def _warn_get_lr_called_within_step(scheduler) -> None:
    """A schedule's get_lr() gives the rate of the *next* epoch from the current one: read by a user (outside
    step()) it is not the rate in use, so it warns, as PyTorch's does."""
    if not scheduler._get_lr_called_within_step:
        warnings.warn(GET_LR_OUTSIDE_STEP, UserWarning, stacklevel=3)


class _enable_get_lr_call:
    """``with _enable_get_lr_call(scheduler): scheduler.get_lr()``: step()'s own reading, which does not warn (PyTorch's
    name; minigan's GAN recipes read a LambdaLR's closed form so)."""

    def __init__(self, scheduler):
        self.scheduler = scheduler

    def __enter__(self):
        self.scheduler._get_lr_called_within_step = True
        return self

    def __exit__(self, *exc):
        self.scheduler._get_lr_called_within_step = False


class LRScheduler:
    """Base class: ``step()``, ``get_last_lr()``, ``state_dict()``, ``load_state_dict()``.  A subclass gives
    ``get_lr()``: the rate of every group at the new epoch ``last_epoch``, usually from the group's current
    rate ``group["lr"]`` (then schedulers chain), or from ``base_lrs`` (then it sets the rate outright)."""

    _get_lr_called_within_step = False  # True while step() reads get_lr() (else get_lr() warns, as PyTorch's)

    def __init__(self, optimizer, last_epoch=-1):
        who = type(self).__name__
        if not isinstance(optimizer, Optimizer):
            raise TypeError(f"{who}: expected a minigan optimizer, got {type(optimizer).__name__}")
        if isinstance(last_epoch, bool) or not isinstance(last_epoch, int) or last_epoch < -1:
            raise ValueError(f"{who}: last_epoch must be an int >= -1, got {last_epoch!r}")
        for i, group in enumerate(optimizer.param_groups):
            if last_epoch == -1:
                group.setdefault("initial_lr", group["lr"])
            elif "initial_lr" not in group:
                raise KeyError(f"{who}: param_groups[{i}] has no 'initial_lr'; resuming with last_epoch="
                               f"{last_epoch} needs the optimizer a scheduler was made with (or its state_dict)")
        self.optimizer = optimizer
        self.base_lrs = [group["initial_lr"] for group in optimizer.param_groups]
        self.last_epoch = last_epoch
        self._step_count = 0  # step()'s calls, the constructor's first (PyTorch's count: its state_dict holds it)
        self._is_initial = True  # the step that the constructor takes: the rates of epoch 0 apply now
        self.step()
        self._is_initial = False

    def get_lr(self) -> list:  # pragma: no cover - every schedule overrides it
        """The rate of every group at epoch ``last_epoch`` (just incremented by ``step``)."""
        raise NotImplementedError

    def _current(self) -> list:
        return [group["lr"] for group in self.optimizer.param_groups]

    def step(self, epoch=None) -> None:
        """Move on one epoch and set every group's lr to the schedule's value there.

        ``step(epoch)`` is PyTorch's deprecated form, with its warning: ``last_epoch`` becomes ``epoch`` and the
        rates are the schedule's closed form there (``_get_closed_form_lr``: a function of the epoch and the base
        rates) where it has one, else ``get_lr()`` at that epoch, as PyTorch's."""
        if self._step_count == 1 and not getattr(self.optimizer, "_opt_called", False) \
                and type(self.optimizer).step is Optimizer.step:  # (an optimizer with its own step() is not tracked)
            warnings.warn(f"{type(self).__name__}.step() was called before optimizer.step(): call optimizer.step() "
                          "first, else the schedule's first learning rate is skipped (as PyTorch warns)",
                          UserWarning, stacklevel=2)
        self._step_count += 1
        if epoch is not None:
            warnings.warn(EPOCH_DEPRECATION_WARNING, UserWarning, stacklevel=2)
        self.last_epoch = self.last_epoch + 1 if epoch is None else epoch
        with _enable_get_lr_call(self):
            closed = epoch is not None and hasattr(self, "_get_closed_form_lr")
            rates = self._get_closed_form_lr() if closed else self.get_lr()
        for group, lr in zip(self.optimizer.param_groups, rates):
            group["lr"] = lr
        self._last_lr = self._current()

    def get_last_lr(self) -> list:
        """The rates the last ``step()`` set, one per group."""
        return list(self._last_lr)

    def state_dict(self) -> dict:
        """Plain data (the epoch count, the base rates and the schedule's settings), for ``minigan.save``."""
        return {k: (list(v) if isinstance(v, (list, tuple)) else v) for k, v in self.__dict__.items()
                if k not in ("optimizer", "lr_lambdas")}

    def load_state_dict(self, state_dict: dict) -> None:
        """Restore ``state_dict()`` output (the optimizer's own state is restored by the optimizer)."""
        if not isinstance(state_dict, dict) or "last_epoch" not in state_dict or "base_lrs" not in state_dict:
            raise TypeError(f"{type(self).__name__}.load_state_dict: expected the dict of a scheduler's "
                            f"state_dict(), got {type(state_dict).__name__}")
        if "_loop_steps" in state_dict:  # (a state saved before the count took PyTorch's name and first step)
            state_dict = {**state_dict, "_step_count": state_dict["_loop_steps"] + 1}
            del state_dict["_loop_steps"]
        unknown = [k for k in state_dict if k not in self.__dict__]
        if unknown:
            raise ValueError(f"{type(self).__name__}.load_state_dict: unknown entries {unknown}; is it the state "
                             "of another kind of scheduler?")
        self.__dict__.update(state_dict)

    def __repr__(self):
        return f"{type(self).__name__}(last_epoch={self.last_epoch}, last_lr={self._last_lr})"


class StepLR(LRScheduler):
    """Decay by ``gamma`` every ``step_size`` epochs: lr ← lr·γ when epoch is a multiple of step_size
    (so, alone, lr = initial_lr · γ^⌊epoch / step_size⌋), as PyTorch's StepLR."""

    def __init__(self, optimizer, step_size, gamma=0.1, last_epoch=-1):
        self.step_size = _positive_int("StepLR", "step_size", step_size)
        self.gamma = _number("StepLR", "gamma", gamma)
        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        _warn_get_lr_called_within_step(self)
        if self.last_epoch == 0 or self.last_epoch % self.step_size != 0:
            return self._current()
        return [lr * self.gamma for lr in self._current()]  # η ← γ·η

    def _get_closed_form_lr(self):  # (what step(epoch) jumps to)
        return [base * self.gamma ** (self.last_epoch // self.step_size) for base in self.base_lrs]


class MultiStepLR(LRScheduler):
    """Decay by ``gamma`` at each epoch listed in ``milestones`` (a milestone listed twice decays twice):
    alone, lr = initial_lr · γ^(number of milestones ≤ epoch), as PyTorch's MultiStepLR."""

    def __init__(self, optimizer, milestones, gamma=0.1, last_epoch=-1):
        milestones = list(milestones)
        if not all(checks.is_integer(m) for m in milestones):
            raise TypeError(f"MultiStepLR: milestones must be a list of ints, got {milestones!r}")
        milestones = [int(m) for m in milestones]
        self.milestones = collections.Counter(milestones)  # epoch -> how many decays (PyTorch's Counter, as given)
        self.gamma = _number("MultiStepLR", "gamma", gamma)
        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        _warn_get_lr_called_within_step(self)
        if self.last_epoch not in self.milestones:
            return self._current()
        return [lr * self.gamma ** self.milestones[self.last_epoch] for lr in self._current()]  # η ← γᵏ·η

    def _get_closed_form_lr(self):
        passed = sum(k for m, k in self.milestones.items() if m <= self.last_epoch)
        return [base * self.gamma ** passed for base in self.base_lrs]


class ExponentialLR(LRScheduler):
    """Decay by ``gamma`` every epoch: lr ← lr·γ (alone, lr = initial_lr · γ^epoch), as PyTorch's ExponentialLR."""

    def __init__(self, optimizer, gamma, last_epoch=-1):
        self.gamma = _number("ExponentialLR", "gamma", gamma)
        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        _warn_get_lr_called_within_step(self)
        if self._is_initial:
            return self._current()
        return [lr * self.gamma for lr in self._current()]  # η ← γ·η

    def _get_closed_form_lr(self):
        return [base * self.gamma ** self.last_epoch for base in self.base_lrs]


class _LambdaSchedule(LRScheduler):
    """What LambdaLR and MultiplicativeLR share (two classes side by side, as PyTorch's): one function of the epoch
    for all groups or one per group.  The functions are not part of ``state_dict()`` (code is never saved): give
    them again."""

    def __init__(self, optimizer, lr_lambda, last_epoch=-1):
        n = len(optimizer.param_groups) if isinstance(optimizer, Optimizer) else 0
        lambdas = list(lr_lambda) if isinstance(lr_lambda, (list, tuple)) else [lr_lambda] * n
        if len(lambdas) != n:  # (a list of the wrong length: PyTorch's ValueError; a non-function: its TypeError)
            raise ValueError(f"{type(self).__name__}: expected {n} lr_lambdas (one per param group), got "
                             f"{len(lambdas)}")
        if not all(callable(f) for f in lambdas):
            raise TypeError(f"{type(self).__name__}: lr_lambda must be a function or a list of {n} functions (one "
                            f"per param group), got {lr_lambda!r}")
        self.lr_lambdas = lambdas
        super().__init__(optimizer, last_epoch)

    def state_dict(self) -> dict:
        """As PyTorch's: ``lr_lambdas`` holds None for a function (code is never saved) and, for a callable object,
        a copy of its attributes, which ``load_state_dict`` puts back into the object given again."""
        return {**super().state_dict(), "lr_lambdas": [None if isinstance(f, types.FunctionType) else dict(f.__dict__)
                                                       for f in self.lr_lambdas]}

    def load_state_dict(self, state_dict: dict) -> None:
        state_dict = dict(state_dict)
        saved = state_dict.pop("lr_lambdas", [None] * len(self.lr_lambdas))
        super().load_state_dict(state_dict)
        for f, attributes in zip(self.lr_lambdas, saved):
            if attributes is not None:
                f.__dict__.update(attributes)


class LambdaLR(_LambdaSchedule):
    """lr = initial_lr · lr_lambda(epoch) (PyTorch's LambdaLR).  It sets the rate outright (as in PyTorch, it
    does not chain)."""

    def get_lr(self):
        _warn_get_lr_called_within_step(self)
        return [base_lr * f(self.last_epoch) for f, base_lr in zip(self.lr_lambdas, self.base_lrs)]  # η_0·λ(t)


class MultiplicativeLR(_LambdaSchedule):
    """lr ← lr · lr_lambda(epoch) at every epoch after the first (PyTorch's MultiplicativeLR); chains."""

    def get_lr(self):
        _warn_get_lr_called_within_step(self)
        if self._is_initial:
            return self._current()
        return [lr * f(self.last_epoch) for f, lr in zip(self.lr_lambdas, self._current())]


class LinearLR(LRScheduler):
    """Scale the rate linearly from ``start_factor`` to ``end_factor`` over ``total_iters`` epochs, then hold.

    Alone: lr = initial_lr · (start + (end − start) · min(epoch, total_iters) / total_iters).  As in PyTorch
    it is applied as a ratio to the current rate (epoch 0: ×start; epoch t ≤ total_iters: × f(t)/f(t−1)),
    so it chains with other schedulers."""

    def __init__(self, optimizer, start_factor=1.0 / 3, end_factor=1.0, total_iters=5, last_epoch=-1):
        self.start_factor = _factor("LinearLR", "start_factor", start_factor, 0.0, 1.0, lo_open=True)
        self.end_factor = _factor("LinearLR", "end_factor", end_factor, 0.0, 1.0)
        self.total_iters = _positive_int("LinearLR", "total_iters", total_iters)
        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        _warn_get_lr_called_within_step(self)
        start, end, n, t = self.start_factor, self.end_factor, self.total_iters, self.last_epoch
        if t == 0:
            return [lr * start for lr in self._current()]
        if self._is_initial or t > n:
            return self._current()
        ratio = 1.0 + (end - start) / (n * start + (t - 1) * (end - start))  # f(t) / f(t − 1)
        return [lr * ratio for lr in self._current()]

    def _get_closed_form_lr(self):
        start, end, n = self.start_factor, self.end_factor, self.total_iters
        return [base * (start + (end - start) * min(n, self.last_epoch) / n) for base in self.base_lrs]


class ConstantLR(LRScheduler):
    """Multiply the rate by ``factor`` until epoch ``total_iters``, then restore it (PyTorch's ConstantLR)."""

    def __init__(self, optimizer, factor=1.0 / 3, total_iters=5, last_epoch=-1):
        self.factor = _factor("ConstantLR", "factor", factor, 0.0, 1.0)
        self.total_iters = _positive_int("ConstantLR", "total_iters", total_iters)
        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        _warn_get_lr_called_within_step(self)
        if self.last_epoch == 0:
            return [lr * self.factor for lr in self._current()]
        if self.last_epoch != self.total_iters:
            return self._current()
        return [lr / self.factor for lr in self._current()]

    def _get_closed_form_lr(self):
        return [base * (self.factor + (self.last_epoch >= self.total_iters) * (1 - self.factor))
                for base in self.base_lrs]


class CosineAnnealingLR(LRScheduler):
    """Cosine annealing (Loshchilov & Hutter 2017, "SGDR: Stochastic Gradient Descent with Warm Restarts",
    ICLR; eq. 5 without the restarts):

        η_t = η_min + ½ (η_max − η_min) (1 + cos(π · T_cur / T_max))

    with η_max the group's initial rate and T_cur the epoch.  As PyTorch, it is applied as a step from the
    current rate, η_t = η_min + (η_{t−1} − η_min) · (1 + cos(π t/T_max)) / (1 + cos(π (t−1)/T_max)), which
    equals the formula when it runs alone and chains with other schedulers; past T_max the cosine goes
    back up (a period of 2·T_max), as in PyTorch."""

    def __init__(self, optimizer, T_max, eta_min=0.0, last_epoch=-1):
        self.T_max = _positive_int("CosineAnnealingLR", "T_max", T_max)
        self.eta_min = _number("CosineAnnealingLR", "eta_min", eta_min)
        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        _warn_get_lr_called_within_step(self)
        t, T, eta_min = self.last_epoch, self.T_max, self.eta_min
        if self._is_initial:
            return self._current()
        if (t - 1 - T) % (2 * T) == 0:  # the bottom of the cosine, where the ratio below would be 0/0
            return [lr + (base - eta_min) * (1 - math.cos(math.pi / T)) / 2
                    for lr, base in zip(self._current(), self.base_lrs)]
        ratio = (1 + math.cos(math.pi * t / T)) / (1 + math.cos(math.pi * (t - 1) / T))
        return [eta_min + (lr - eta_min) * ratio for lr in self._current()]

    def _get_closed_form_lr(self):  # (the formula above, at the epoch)
        return [self.eta_min + (base - self.eta_min) * (1 + math.cos(math.pi * self.last_epoch / self.T_max)) / 2
                for base in self.base_lrs]


class CosineAnnealingWarmRestarts(LRScheduler):
    """Cosine annealing with warm restarts (Loshchilov & Hutter 2017, "SGDR", ICLR; eq. 5):

        η_t = η_min + ½ (η_max − η_min) (1 + cos(π · T_cur / T_i))

    T_cur counts the epochs since the last restart; at T_i the rate jumps back to η_max and the next period is
    T_mult times longer.  ``step(epoch)`` may be given a fractional epoch (a step per batch), as in PyTorch."""

    def __init__(self, optimizer, T_0, T_mult=1, eta_min=0.0, last_epoch=-1):
        self.T_0 = _positive_int("CosineAnnealingWarmRestarts", "T_0", T_0)
        self.T_i = self.T_0  # (the attributes in PyTorch's order: its state_dict lists them so)
        self.T_mult = _positive_int("CosineAnnealingWarmRestarts", "T_mult", T_mult)
        if not (checks.is_number(eta_min) or isinstance(eta_min, bool)):  # (PyTorch's class here: ValueError)
            raise ValueError(f"CosineAnnealingWarmRestarts: eta_min must be a float or an int, got {eta_min!r}")
        self.eta_min = float(eta_min)
        self.T_cur = last_epoch
        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        _warn_get_lr_called_within_step(self)
        return [self.eta_min + (base - self.eta_min) * (1 + math.cos(math.pi * self.T_cur / self.T_i)) / 2
                for base in self.base_lrs]

    def step(self, epoch=None) -> None:
        """One epoch on (a restart when the period ends), or to ``epoch`` (a float is allowed)."""
        if epoch is None and self.last_epoch < 0:
            epoch = 0
        if epoch is None:
            epoch, self.T_cur = self.last_epoch + 1, self.T_cur + 1
            if self.T_cur >= self.T_i:  # the end of a period: restart, with a period T_mult times longer
                self.T_cur, self.T_i = self.T_cur - self.T_i, self.T_i * self.T_mult
        elif epoch < 0:
            raise ValueError(f"CosineAnnealingWarmRestarts.step: epoch must be >= 0, got {epoch}")
        elif epoch < self.T_0:
            self.T_i, self.T_cur = self.T_0, epoch
        elif self.T_mult == 1:
            self.T_cur = epoch % self.T_0
        else:  # periods T_0, T_0·m, T_0·m², ...: the n-th restart is at T_0 (mⁿ − 1)/(m − 1)
            n = int(math.log(epoch / self.T_0 * (self.T_mult - 1) + 1, self.T_mult))
            self.T_cur = epoch - self.T_0 * (self.T_mult ** n - 1) / (self.T_mult - 1)
            self.T_i = self.T_0 * self.T_mult ** n
        self.last_epoch = math.floor(epoch)
        with _enable_get_lr_call(self):
            rates = self.get_lr()
        for group, lr in zip(self.optimizer.param_groups, rates):
            group["lr"] = lr
        self._last_lr = self._current()


class PolynomialLR(LRScheduler):
    """η_t = η_0 · (1 − t / total_iters)^power until total_iters, then constant (applied, as PyTorch, as a factor
    on the current rate each step, so that it chains)."""

    def __init__(self, optimizer, total_iters=5, power=1.0, last_epoch=-1):
        self.total_iters = _positive_int("PolynomialLR", "total_iters", total_iters)
        self.power = _number("PolynomialLR", "power", power)
        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        _warn_get_lr_called_within_step(self)
        t, n = self.last_epoch, self.total_iters
        if self._is_initial or t > n:
            return self._current()
        factor = ((1.0 - t / n) / (1.0 - (t - 1) / n)) ** self.power
        return [lr * factor for lr in self._current()]

    def _get_closed_form_lr(self):
        return [base * (1.0 - min(self.total_iters, self.last_epoch) / self.total_iters) ** self.power
                for base in self.base_lrs]


# A OneCycleLR phase: the step it ends at, and the param_groups keys of its rates and momenta (PyTorch's names)
PHASE_KEYS = ("end_step", "start_lr", "end_lr", "start_momentum", "end_momentum")


class OneCycleLR(LRScheduler):
    """The 1cycle policy (Smith & Topin 2019, "Super-Convergence: Very Fast Training of Neural Networks Using
    Large Learning Rates"), as PyTorch's OneCycleLR: per batch (call ``step()`` after each ``opt.step()``), the
    rate rises from max_lr/div_factor to ``max_lr`` over the first ``pct_start`` of ``total_steps``, then
    anneals to max_lr/(div_factor·final_div_factor); the momentum (or Adam's β1) moves the opposite way,
    between ``max_momentum`` and ``base_momentum``, when ``cycle_momentum``.  Cosine annealing between two
    values: end + (start − end)/2 · (1 + cos(π·pct)); linear: start + (end − start)·pct."""

    def __init__(self, optimizer, max_lr, total_steps=None, epochs=None, steps_per_epoch=None, pct_start=0.3,
                 anneal_strategy="cos", cycle_momentum=True, base_momentum=0.85, max_momentum=0.95,
                 div_factor=25.0, final_div_factor=1e4, three_phase=False, last_epoch=-1):
        who = "OneCycleLR"
        if not isinstance(optimizer, Optimizer):
            raise TypeError(f"{who}: expected a minigan optimizer, got {type(optimizer).__name__}")
        if total_steps is not None:
            self.total_steps = _positive_int(who, "total_steps", total_steps)
        elif epochs is not None and steps_per_epoch is not None:
            self.total_steps = _positive_int(who, "epochs", epochs) * _positive_int(who, "steps_per_epoch",
                                                                                     steps_per_epoch)
        else:
            raise ValueError(f"{who}: give total_steps, or epochs and steps_per_epoch")
        pct_start = _factor(who, "pct_start", pct_start, 0.0, 1.0)
        if anneal_strategy not in ("cos", "linear"):
            raise ValueError(f"{who}: anneal_strategy must be 'cos' or 'linear', got {anneal_strategy!r}")
        n = self.total_steps
        if three_phase:  # (end step, start key, end key, start momentum key, end momentum key)
            phases = [(pct_start * n - 1, "initial_lr", "max_lr", "max_momentum", "base_momentum"),
                      (2 * pct_start * n - 2, "max_lr", "initial_lr", "base_momentum", "max_momentum"),
                      (n - 1, "initial_lr", "min_lr", "max_momentum", "max_momentum")]
        else:
            phases = [(pct_start * n - 1, "initial_lr", "max_lr", "max_momentum", "base_momentum"),
                      (n - 1, "max_lr", "min_lr", "base_momentum", "max_momentum")]
        self._schedule_phases = [dict(zip(PHASE_KEYS, phase)) for phase in phases]  # (PyTorch's form, one dict each)
        self._anneal_func_type = anneal_strategy  # (PyTorch's private names, in its order: its state_dict shows them)
        max_lrs = _per_group(who, "max_lr", max_lr, optimizer)
        if last_epoch == -1:
            for group, top in zip(optimizer.param_groups, max_lrs):
                group["initial_lr"] = top / div_factor
                group["max_lr"] = top
                group["min_lr"] = group["initial_lr"] / final_div_factor
        self.cycle_momentum = bool(cycle_momentum)
        if self.cycle_momentum:
            if "momentum" not in optimizer.defaults and "betas" not in optimizer.defaults:
                raise ValueError(f"{who}: cycle_momentum=True needs an optimizer with momentum or betas "
                                 f"({type(optimizer).__name__} has neither); pass cycle_momentum=False")
            self.use_beta1 = "betas" in optimizer.defaults
            tops = _per_group(who, "max_momentum", max_momentum, optimizer)
            bases = _per_group(who, "base_momentum", base_momentum, optimizer)
            if last_epoch == -1:
                for group, top, base in zip(optimizer.param_groups, tops, bases):
                    self._set_momentum(group, top)
                    group["max_momentum"], group["base_momentum"] = top, base
        super().__init__(optimizer, last_epoch)

    def load_state_dict(self, state_dict: dict) -> None:
        """A state saved before these entries took PyTorch's names (``anneal_strategy``, ``phases``) loads too."""
        renamed = {"anneal_strategy": "_anneal_func_type", "phases": "_schedule_phases"}
        state_dict = {renamed.get(k, k): v for k, v in state_dict.items()}
        if "_schedule_phases" in state_dict:  # (a state saved before the phases took PyTorch's dicts: tuples)
            state_dict["_schedule_phases"] = [phase if isinstance(phase, dict) else dict(zip(PHASE_KEYS, phase))
                                              for phase in state_dict["_schedule_phases"]]
        super().load_state_dict(state_dict)

    def _set_momentum(self, group, value):
        if self.use_beta1:
            group["betas"] = (value, *group["betas"][1:])
        else:
            group["momentum"] = value

    def _anneal(self, start, end, pct):
        if self._anneal_func_type == "cos":
            return end + (start - end) / 2.0 * (math.cos(math.pi * pct) + 1)
        return (end - start) * pct + start

    def get_lr(self):
        _warn_get_lr_called_within_step(self)
        t = self.last_epoch
        if t > self.total_steps:
            raise ValueError(f"OneCycleLR: step() was called {t} times, more than total_steps={self.total_steps}")
        rates = []
        for group in self.optimizer.param_groups:
            start = 0.0
            for i, phase in enumerate(self._schedule_phases):
                end = phase["end_step"]
                if t <= end or i == len(self._schedule_phases) - 1:
                    pct = (t - start) / (end - start)
                    rates.append(self._anneal(group[phase["start_lr"]], group[phase["end_lr"]], pct))
                    if self.cycle_momentum:
                        self._set_momentum(group, self._anneal(group[phase["start_momentum"]],
                                                               group[phase["end_momentum"]], pct))
                    break
                start = end
        return rates


class ReduceLROnPlateau(LRScheduler):
    """Lower the rate when a metric stops improving, as PyTorch's ReduceLROnPlateau: call ``step(metric)`` after
    each evaluation.  When the metric has not improved (by more than ``threshold``, relative or absolute) for more
    than ``patience`` calls, every group's lr becomes max(lr · factor, min_lr); then ``cooldown`` calls pass
    before bad epochs count again.  It changes the current rate, so it composes with a rate set by hand."""

    def __init__(self, optimizer, mode="min", factor=0.1, patience=10, threshold=1e-4, threshold_mode="rel",
                 cooldown=0, min_lr=0, eps=1e-8):
        who = "ReduceLROnPlateau"
        if not isinstance(optimizer, Optimizer):
            raise TypeError(f"{who}: expected a minigan optimizer, got {type(optimizer).__name__}")
        if mode not in ("min", "max") or threshold_mode not in ("rel", "abs"):
            raise ValueError(f"{who}: mode must be 'min' or 'max' and threshold_mode 'rel' or 'abs', got "
                             f"{mode!r} and {threshold_mode!r}")
        if not 0 <= factor < 1:
            raise ValueError(f"{who}: factor must be in [0, 1), got {factor!r}")
        self.optimizer, self.factor = optimizer, float(factor)  # (the attributes in PyTorch's order: its
        n = len(optimizer.param_groups)  # state_dict lists them so)
        self.default_min_lr = None if isinstance(min_lr, (list, tuple)) else min_lr  # (PyTorch's state_dict entry)
        self.min_lrs = list(min_lr) if isinstance(min_lr, (list, tuple)) else [min_lr] * n
        if len(self.min_lrs) != n:
            raise ValueError(f"{who}: expected {n} min_lr values (one per param group), got {len(self.min_lrs)}")
        self.patience, self.cooldown, self.eps = int(patience), int(cooldown), float(eps)
        self.last_epoch, self._last_lr = 0, [group["lr"] for group in optimizer.param_groups]
        self.mode_worse = math.inf if mode == "min" else -math.inf  # the worst value (PyTorch's name)
        self.mode, self.threshold, self.threshold_mode = mode, float(threshold), threshold_mode
        self.best, self.cooldown_counter, self.num_bad_epochs = self.mode_worse, 0, 0

    def _is_better(self, a):
        rel = self.threshold_mode == "rel"
        if self.mode == "min":
            return a < self.best * (1 - self.threshold) if rel else a < self.best - self.threshold
        return a > self.best * (1 + self.threshold) if rel else a > self.best + self.threshold

    def step(self, metrics, epoch=None) -> None:
        current = float(metrics)  # a number or a one-element tensor (loss.item() not needed)
        if epoch is not None:  # PyTorch's deprecated form: the epoch count is set outright
            warnings.warn(EPOCH_DEPRECATION_WARNING, UserWarning, stacklevel=2)
        self.last_epoch = self.last_epoch + 1 if epoch is None else epoch
        if self._is_better(current):
            self.best, self.num_bad_epochs = current, 0
        else:
            self.num_bad_epochs += 1
        if self.cooldown_counter > 0:
            self.cooldown_counter -= 1
            self.num_bad_epochs = 0  # bad epochs in the cooldown do not count
        if self.num_bad_epochs > self.patience:
            for group, min_lr in zip(self.optimizer.param_groups, self.min_lrs):
                new_lr = max(group["lr"] * self.factor, min_lr)
                if group["lr"] - new_lr > self.eps:
                    group["lr"] = new_lr
            self.cooldown_counter, self.num_bad_epochs = self.cooldown, 0
        self._last_lr = [group["lr"] for group in self.optimizer.param_groups]

    def get_last_lr(self) -> list:
        return list(self._last_lr)

    def state_dict(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if k != "optimizer"}

    def load_state_dict(self, state_dict: dict) -> None:
        self.__dict__.update(state_dict)


class _OfSchedulers(LRScheduler):
    """A scheduler made of schedulers (ChainedScheduler, SequentialLR): its state holds theirs."""

    def state_dict(self) -> dict:
        """Each scheduler's own state_dict under ``_schedulers`` (plain data, as PyTorch's)."""
        state = {k: v for k, v in self.__dict__.items() if k not in ("optimizer", "_schedulers")}
        state["_schedulers"] = [scheduler.state_dict() for scheduler in self._schedulers]
        return state

    def load_state_dict(self, state_dict: dict) -> None:
        state = dict(state_dict)
        for scheduler, own in zip(self._schedulers, state.pop("_schedulers")):
            scheduler.load_state_dict(own)
        self.__dict__.update(state)


class ChainedScheduler(_OfSchedulers):
    """Step several schedulers together, each from the rate the one before left (PyTorch's ChainedScheduler).
    An LRScheduler, as PyTorch's, with no epoch count of its own: its schedulers keep theirs."""

    def __init__(self, schedulers, optimizer=None):
        self._schedulers = list(schedulers)
        if not self._schedulers:
            raise ValueError("ChainedScheduler: expected at least one scheduler")
        self.optimizer = optimizer or self._schedulers[0].optimizer
        self._last_lr = [group["lr"] for group in self.optimizer.param_groups]

    def step(self) -> None:
        for scheduler in self._schedulers:
            scheduler.step()
        self._last_lr = [group["lr"] for group in self.optimizer.param_groups]

    def get_last_lr(self) -> list:
        return list(self._last_lr)


    def __repr__(self):
        return f"ChainedScheduler(last_lr={self._last_lr})"


# The schedules PyTorch gives a closed form (_get_closed_form_lr): at a SequentialLR milestone its epoch 0 is computed
# from the initial rates, which is the step a constructor takes from them; the others go on from the current rates
_CLOSED_FORM = (StepLR, MultiStepLR, ConstantLR, LinearLR, ExponentialLR, CosineAnnealingLR, PolynomialLR)


class SequentialLR(_OfSchedulers):
    """One scheduler until each milestone, then the next (PyTorch's SequentialLR): e.g. a LinearLR warm-up for
    5 epochs, then CosineAnnealingLR.  At a milestone the next scheduler is set to its epoch 0 without counting a
    step, as PyTorch's ``_update_lr(0)``: a schedule with a closed form starts again from the initial rates, the
    others (MultiplicativeLR, ...) from the rate the one before left."""

    def __init__(self, optimizer, schedulers, milestones, last_epoch=-1):
        if len(milestones) != len(schedulers) - 1:
            raise ValueError(f"SequentialLR: expected {len(schedulers) - 1} milestones for {len(schedulers)} "
                             f"schedulers, got {len(milestones)}")
        if any(s.optimizer is not optimizer for s in schedulers):
            raise ValueError("SequentialLR: every scheduler must belong to the given optimizer")
        self._schedulers, self._milestones = list(schedulers), list(milestones)
        self.last_epoch = last_epoch + 1
        self.optimizer = optimizer
        for group in optimizer.param_groups:  # undo the schedulers' first steps (as PyTorch does)
            group["lr"] = group["initial_lr"]
        _undo_first_steps(self)
        first = self._schedulers[bisect.bisect_right(self._milestones, 0)]  # the one that runs at epoch 0
        first._step_count = 0  # its first step is taken afresh (PyTorch's _initial_step): a constructor's, not warned
        first._is_initial = True
        first.step()
        first._is_initial = False
        self._last_lr = first.get_last_lr()

    def step(self) -> None:
        self.last_epoch += 1
        i = bisect.bisect_right(self._milestones, self.last_epoch)
        scheduler = self._schedulers[i]
        if i > 0 and self._milestones[i - 1] == self.last_epoch:  # the next scheduler starts at its epoch 0
            _start_again(scheduler)
        else:
            scheduler.step()
        self._last_lr = scheduler.get_last_lr()



def _undo_first_steps(scheduler) -> None:
    """One epoch back for every scheduler inside, nested ones too (PyTorch's recursive_undo)."""
    for inner in getattr(scheduler, "_schedulers", ()):
        if hasattr(inner, "_schedulers"):
            _undo_first_steps(inner)
        elif hasattr(inner, "last_epoch"):
            inner.last_epoch -= 1


def _start_again(scheduler) -> None:
    """The scheduler at its epoch 0, no step counted (PyTorch's _update_lr(0)): a closed form's value there is the
    constructor's step from the initial rates; any other schedule's get_lr() reads the current rates."""
    closed = isinstance(scheduler, _CLOSED_FORM)
    if closed:
        for group, base in zip(scheduler.optimizer.param_groups, scheduler.base_lrs):
            group["lr"] = base
    scheduler.last_epoch, scheduler._is_initial = 0, closed
    with _enable_get_lr_call(scheduler):
        rates = scheduler.get_lr()
    scheduler._is_initial = False
    for group, lr in zip(scheduler.optimizer.param_groups, rates):
        group["lr"] = lr
    scheduler._last_lr = scheduler._current()


__all__ = ["LRScheduler", "StepLR", "MultiStepLR", "ExponentialLR", "LambdaLR", "MultiplicativeLR", "LinearLR",
           "ConstantLR", "CosineAnnealingLR", "CosineAnnealingWarmRestarts", "PolynomialLR", "OneCycleLR",
           "ReduceLROnPlateau", "ChainedScheduler", "SequentialLR"]


__path__ = []  # (no submodules: so that ``from ... import`` of a name it lacks asks surface/missing.py's finder, and
# the advice, not a bare "cannot import name", is the ImportError)

def __getattr__(name):
    """A PyTorch name minigan does not have: one line saying what to use instead (minigan/surface/missing.py)."""
    raise _missing.attribute_error('torch.optim.lr_scheduler', name, sys.modules[__name__])
