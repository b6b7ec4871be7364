"""Learning-rate schedules, named and computed as ``torch.optim.lr_scheduler``'s::

    opt = optim.Adam(G.parameters(), lr=2e-4)
    scheduler = lr_scheduler.StepLR(opt, step_size=30, gamma=0.1)
    for epoch in range(100):
        train_one_epoch(...)        # opt.step() inside
        scheduler.step()            # then the schedule moves on: sets every group's lr

A scheduler remembers each group's starting rate (``initial_lr``, written into the group as PyTorch
does) and, on ``step()``, counts ``last_epoch`` up by one and writes the rate its formula gives into
``param_groups[i]["lr"]``, where ``optimizer.step()`` reads it.  Constructing it already applies the
rate for epoch 0.  Each formula is the closed form given in PyTorch's documentation, of ``last_epoch``
alone (PyTorch computes most of them recursively from the previous rate; the numbers are the same to
float64 rounding, checked against PyTorch in the tests), so a rate the loop sets by hand is replaced at
the next ``step()``.
"""

from __future__ import annotations

import math

from minigan.optim.optimizer import Optimizer


def _positive_int(who, name, value):
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"{who}: {name} must be a positive int, got {value!r}")
    return value


def _factor(who, name, value, lo, hi, lo_open=False):
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise TypeError(f"{who}: {name} must be a finite number, got {value!r}")
    if value < lo or value > hi or (lo_open and value == lo):
        raise ValueError(f"{who}: {name} must be in {'(' if lo_open else '['}{lo}, {hi}], got {value!r}")
    return float(value)


class LRScheduler:
    """Base class: ``step()``, ``get_last_lr()``, ``state_dict()``, ``load_state_dict()``; a subclass gives
    the rate of one group at epoch ``last_epoch`` in ``_lr(base_lr, group_index)``."""

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
        self.step()  # as PyTorch: the rate of epoch last_epoch + 1 (0 for a new schedule) applies now

    def _lr(self, base_lr, i) -> float:  # pragma: no cover - every schedule overrides it
        raise NotImplementedError

    def get_lr(self) -> list:
        """The rate of every group at epoch ``last_epoch``, by the schedule's formula."""
        return [self._lr(base_lr, i) for i, base_lr in enumerate(self.base_lrs)]

    def step(self) -> None:
        """Move on one epoch and set every group's lr to the schedule's value there."""
        self.last_epoch += 1
        self._last_lr = self.get_lr()
        for group, lr in zip(self.optimizer.param_groups, self._last_lr):
            group["lr"] = lr

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
        unknown = [k for k in state_dict if k not in self.__dict__]
        if unknown:
            raise ValueError(f"{type(self).__name__}.load_state_dict: unknown entries {unknown}; is it the state "
                             "of another kind of scheduler?")
        self.__dict__.update(state_dict)

    def __repr__(self):
        return f"{type(self).__name__}(last_epoch={self.last_epoch}, last_lr={self._last_lr})"


class StepLR(LRScheduler):
    """Decay by ``gamma`` every ``step_size`` epochs:  lr = initial_lr · γ^⌊epoch / step_size⌋  (PyTorch's StepLR)."""

    def __init__(self, optimizer, step_size, gamma=0.1, last_epoch=-1):
        self.step_size = _positive_int("StepLR", "step_size", step_size)
        self.gamma = _factor("StepLR", "gamma", gamma, 0.0, math.inf)
        super().__init__(optimizer, last_epoch)

    def _lr(self, base_lr, i):
        return base_lr * self.gamma ** (self.last_epoch // self.step_size)  # η_0 · γ^⌊t / step_size⌋


class ExponentialLR(LRScheduler):
    """Decay by ``gamma`` every epoch:  lr = initial_lr · γ^epoch  (PyTorch's ExponentialLR)."""

    def __init__(self, optimizer, gamma, last_epoch=-1):
        self.gamma = _factor("ExponentialLR", "gamma", gamma, 0.0, math.inf)
        super().__init__(optimizer, last_epoch)

    def _lr(self, base_lr, i):
        return base_lr * self.gamma**self.last_epoch  # η_0 · γ^t


class LambdaLR(LRScheduler):
    """lr = initial_lr · lr_lambda(epoch), with one function for all groups or one per group (PyTorch's
    LambdaLR).  The functions are not part of ``state_dict()`` (code is never saved): give them again."""

    def __init__(self, optimizer, lr_lambda, last_epoch=-1):
        n = len(optimizer.param_groups) if isinstance(optimizer, Optimizer) else 0
        lambdas = list(lr_lambda) if isinstance(lr_lambda, (list, tuple)) else [lr_lambda] * n
        if len(lambdas) != n or not all(callable(f) for f in lambdas):
            raise TypeError(f"LambdaLR: lr_lambda must be a function or a list of {n} functions (one per "
                            f"param group), got {lr_lambda!r}")
        self.lr_lambdas = lambdas
        super().__init__(optimizer, last_epoch)

    def _lr(self, base_lr, i):
        return base_lr * self.lr_lambdas[i](self.last_epoch)  # η_0 · λ(t)


class LinearLR(LRScheduler):
    """Scale the rate linearly from ``start_factor`` to ``end_factor`` over ``total_iters`` epochs, then hold:
    lr = initial_lr · (start + (end − start) · min(epoch, total_iters) / total_iters)  (PyTorch's LinearLR)."""

    def __init__(self, optimizer, start_factor=1.0 / 3, end_factor=1.0, total_iters=5, last_epoch=-1):
        self.start_factor = _factor("LinearLR", "start_factor", start_factor, 0.0, 1.0, lo_open=True)
        self.end_factor = _factor("LinearLR", "end_factor", end_factor, 0.0, 1.0)
        self.total_iters = _positive_int("LinearLR", "total_iters", total_iters)
        super().__init__(optimizer, last_epoch)

    def _lr(self, base_lr, i):
        progress = min(self.last_epoch, self.total_iters) / self.total_iters
        return base_lr * (self.start_factor + (self.end_factor - self.start_factor) * progress)


__all__ = ["LRScheduler", "StepLR", "ExponentialLR", "LambdaLR", "LinearLR"]
