"""The learning-rate schedulers against PyTorch (tests/pytorch/sweep.py):

* the per-group arguments (lr_lambda, max_lr, min_lr, milestones) of the wrong length or kind raise PyTorch's class:
  a list of the wrong length is a ValueError, a function that is not one a TypeError (minigan's message one line);
* a schedule's factors (StepLR's, MultiStepLR's and ExponentialLR's gamma, PolynomialLR's power, the cosine
  schedules' eta_min, OneCycleLR's max_lr) are any number: a negative γ alternates the rate's sign, ∞ and NaN carry
  on; what is no number is PyTorch's TypeError (minigan refused every value outside [0, ∞)).  minigan reads a NumPy
  scalar as the Python number it holds (docs/pytorch.md), where PyTorch computes in its float32 (and
  CosineAnnealingWarmRestarts refuses it): compared with PyTorch given that number;
* ``state_dict()``: the same public entries with the same values after some steps (LambdaLR's and
  MultiplicativeLR's ``lr_lambdas``: None for a function, the attributes of a callable object; ReduceLROnPlateau's
  ``default_min_lr`` and ``mode_worse``), PyTorch's private ones (``_step_count``, OneCycleLR's
  ``_schedule_phases``), all in PyTorch's order (what print(scheduler.state_dict()) shows); a round trip through
  ``load_state_dict`` continues the rates, and a checkpoint crosses between the two libraries both ways;
* PyTorch warns (UserWarning) when scheduler.step() comes before any optimizer.step(): the schedule's first rate is
  then skipped, the usual slip of a training loop;
* ``scheduler.step(epoch)`` (deprecated, with its warning) to any epoch: PyTorch sets ``last_epoch`` to it and takes
  the rate from the schedule's closed form where it has one (``_get_closed_form_lr``), else from ``get_lr()`` at
  that epoch.  Drawn sequences of ``step()`` and ``step(epoch)`` (forward, back, the same epoch again, a jump): the
  rates after every call, ``last_epoch``, and the deprecation warning (class and text) exactly where PyTorch gives
  it; an epoch past OneCycleLR's total_steps is PyTorch's ValueError.
"""

import copy
import math
import warnings

import numpy as np
import pytest

import minigan
from pytorch.sweep import close, outcome, sweep

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")


def _grouped(L, groups):
    return L.optim.SGD([{"params": [L.nn.Parameter(L.zeros(1))], "lr": 0.1 / (i + 1)} for i in range(groups)],
                       lr=0.1, momentum=0.9)


def _one(e):
    return 1.0


def _argument_cases(groups):
    yield "LambdaLR", lambda S, o: S.LambdaLR(o, _one)
    yield "MultiplicativeLR", lambda S, o: S.MultiplicativeLR(o, _one)
    for n in sorted({0, 1, groups - 1, groups + 1} - {groups}):
        for kind in (list, tuple):
            yield f"LambdaLR-{kind.__name__}{n}", lambda S, o, n=n, kind=kind: S.LambdaLR(o, kind([_one] * n))
            yield f"MultiplicativeLR-{kind.__name__}{n}", (lambda S, o, n=n, kind=kind:
                                                           S.MultiplicativeLR(o, kind([_one] * n)))
        yield f"OneCycleLR-{n}", lambda S, o, n=n: S.OneCycleLR(o, max_lr=[1.0] * n, total_steps=5)
        yield f"ReduceLROnPlateau-{n}", lambda S, o, n=n: S.ReduceLROnPlateau(o, min_lr=[0.0] * n)
    for bad in (0.5, None, "f"):
        yield f"LambdaLR-{bad!r}", lambda S, o, bad=bad: S.LambdaLR(o, bad)
        yield f"LambdaLR-[{bad!r}]", lambda S, o, bad=bad: S.LambdaLR(o, [bad] * groups)
        yield f"MultiplicativeLR-{bad!r}", lambda S, o, bad=bad: S.MultiplicativeLR(o, bad)
    yield "SequentialLR-milestones", lambda S, o: S.SequentialLR(o, [S.StepLR(o, 1), S.StepLR(o, 1)], [1, 2])


ARGUMENT_CASES = {(groups, name): make for groups in (1, 2, 3) for name, make in _argument_cases(groups)}


def _arguments(L, groups, name):
    made = outcome(lambda: ARGUMENT_CASES[groups, name](L.optim.lr_scheduler, _grouped(L, groups)))
    if not isinstance(made, Exception):
        return None
    if L is minigan and "\n" in str(made):
        return f"a refusal of more than one line: {made!r}"
    raise made


test_scheduler_argument_error_class = sweep(_arguments, list(ARGUMENT_CASES), every=1)  # (all: cheap constructors)
FACTORS = {
    "StepLR gamma": lambda S, o, v: S.StepLR(o, 2, gamma=v),
    "MultiStepLR gamma": lambda S, o, v: S.MultiStepLR(o, [1, 3], gamma=v),
    "ExponentialLR gamma": lambda S, o, v: S.ExponentialLR(o, gamma=v),
    "PolynomialLR power": lambda S, o, v: S.PolynomialLR(o, total_iters=4, power=v),
    "CosineAnnealingLR eta_min": lambda S, o, v: S.CosineAnnealingLR(o, T_max=4, eta_min=v),
    "CosineAnnealingWarmRestarts eta_min": lambda S, o, v: S.CosineAnnealingWarmRestarts(o, T_0=3, eta_min=v),
    "OneCycleLR max_lr": lambda S, o, v: S.OneCycleLR(o, max_lr=v, total_steps=8),
}


def _factor(L, schedule, value):
    value = float(value) if L is torch and isinstance(value, np.floating) else value
    o = L.optim.SGD([L.nn.Parameter(L.ones(2))], lr=0.1, momentum=0.9)
    s = FACTORS[schedule](L.optim.lr_scheduler, o, value)
    rates = []
    for _ in range(6):
        o.step()
        s.step()
        rates.append(s.get_last_lr()[0])
    return close(np.array(rates, dtype=np.float64), 1e-12)


test_a_schedules_factor_is_any_number_as_pytorch = sweep(_factor, [
    (schedule, value) for schedule in FACTORS
    for value in [-0.5, -2.0, 0.0, 1.5, math.inf, -math.inf, math.nan, True, np.float32(-0.25), "0.5", None]])


class Halving:
    """A schedule with state of its own, as PyTorch's docs show for lr_lambdas that are objects."""

    def __init__(self):
        self.factor = 1.0

    def __call__(self, epoch):
        self.factor *= 0.5
        return self.factor


SCHEDULERS = [
    ("StepLR", lambda: dict(step_size=2, gamma=0.5)),
    ("MultiStepLR", lambda: dict(milestones=[1, 3], gamma=0.3)),
    ("ExponentialLR", lambda: dict(gamma=0.8)),
    ("CosineAnnealingLR", lambda: dict(T_max=4, eta_min=1e-3)),
    ("CosineAnnealingWarmRestarts", lambda: dict(T_0=2, T_mult=2)),
    ("LinearLR", lambda: dict(start_factor=0.25, total_iters=3)),
    ("ConstantLR", lambda: dict(factor=0.5, total_iters=2)),
    ("PolynomialLR", lambda: dict(total_iters=4, power=2.0)),
    ("LambdaLR", lambda: dict(lr_lambda=lambda e: 1.0 / (1 + e))),
    ("LambdaLR", lambda: dict(lr_lambda=Halving())),
    ("MultiplicativeLR", lambda: dict(lr_lambda=lambda e: 0.9)),
    ("MultiplicativeLR", lambda: dict(lr_lambda=Halving())),
    ("OneCycleLR", lambda: dict(max_lr=0.5, total_steps=10)),
    ("OneCycleLR", lambda: dict(max_lr=0.5, total_steps=10, anneal_strategy="linear", cycle_momentum=False)),
    ("OneCycleLR", lambda: dict(max_lr=0.5, total_steps=10, three_phase=True)),
    ("ReduceLROnPlateau", lambda: dict(patience=0, factor=0.5)),
    ("ReduceLROnPlateau", lambda: dict(mode="max", patience=0, min_lr=[0.01])),
]
KINDS = [f"{name}-{i}" for i, (name, _) in enumerate(SCHEDULERS)]


def _made(L, kind):
    name, kwargs = SCHEDULERS[KINDS.index(kind)]
    opt = L.optim.SGD([L.nn.Parameter(L.ones(2))], lr=0.1, momentum=0.9)
    return getattr(L.optim.lr_scheduler, name)(opt, **kwargs()), opt


def _step(sched, i):
    sched.step(1.0 + (i % 2)) if type(sched).__name__ == "ReduceLROnPlateau" else sched.step()


def _stepped(L, kind, steps, optimizer_too=False):
    sched, opt = _made(L, kind)
    for i in range(steps):
        if optimizer_too:
            opt.step()
        _step(sched, i)
    return sched, opt


def _compared(value):
    """A state dict's value as compared: numbers within 1e-12 (a list of them too), anything else by ==."""
    numbers = value if isinstance(value, (list, tuple)) else [value]
    if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in numbers) and numbers:
        return close(np.array(numbers, dtype=np.float64), 1e-12)
    return value


def _entries(L, kind):
    """The public entries after three steps, their values; every entry in PyTorch's order after two."""
    entries = _stepped(L, kind, 3)[0].state_dict()
    return ([(k, _compared(v)) for k, v in sorted(entries.items()) if not k.startswith("_")],
            list(_stepped(L, kind, 2)[0].state_dict()))


test_state_dict_entries_are_pytorchs = sweep(_entries, KINDS)


def _private_entries(L, kind):
    entries = _stepped(L, kind, 3, optimizer_too=True)[0].state_dict()
    return [entries.get(k) for k in ("_step_count", "_schedule_phases", "last_epoch")]


test_every_private_entry_is_pytorchs = sweep(_private_entries, KINDS)


def _rates(sched, opt, start):
    rates = []
    for i in range(start, start + 3):
        opt.step()
        _step(sched, i)
        rates.append(opt.param_groups[0]["lr"])
    return close(np.array(rates, dtype=np.float64), 1e-12)


def _to(L, value):
    """A state dict's values in ``L``: tensors rebuilt there, containers walked, anything else as it is."""
    if isinstance(value, (torch.Tensor, minigan.Tensor)):
        return L.tensor(value.detach().numpy().copy())
    if isinstance(value, dict):
        return {k: _to(L, v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_to(L, v) for v in value)
    return value


def _loaded(L, kind, source):
    """The rates after loading, into a fresh scheduler and optimizer of ``L``, the state of three steps taken by
    ``L`` itself or by the other library (a checkpoint crossing between the two)."""
    other = L if source == "the same library" else torch if L is minigan else minigan
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # (any warning is PyTorch's own, compared below)
        sched, opt = _stepped(other, kind, 3, optimizer_too=True)
        fresh, fresh_opt = _made(L, kind)
        fresh_opt.load_state_dict(_to(L, opt.state_dict()))
        fresh.load_state_dict(_to(L, copy.deepcopy(sched.state_dict())))
        return _rates(fresh, fresh_opt, 3)


test_load_state_dict_continues_pytorchs_rates = sweep(_loaded, [
    (kind, source) for kind in KINDS for source in ["the same library", "the other library"]])


def _early_step(L, kind, optimizer_first):
    """The warning classes a first scheduler.step() gives, with or without an optimizer.step() before it."""
    sched, opt = _made(L, kind)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        if optimizer_first:
            opt.param_groups[0]["params"][0].grad = L.ones(2)
            opt.step()
        _step(sched, 0)
    return sorted({w.category.__name__ for w in caught})


test_stepping_the_schedule_before_the_optimizer_warns = sweep(_early_step, [
    (kind, first) for kind in KINDS for first in (False, True)])
TO_EPOCH = {
    "StepLR": lambda S, opt: S.StepLR(opt, step_size=3, gamma=0.5),
    "MultiStepLR": lambda S, opt: S.MultiStepLR(opt, milestones=[2, 5, 5, 9], gamma=0.3),
    "ExponentialLR": lambda S, opt: S.ExponentialLR(opt, gamma=0.8),
    "LinearLR": lambda S, opt: S.LinearLR(opt, start_factor=0.25, end_factor=0.9, total_iters=6),
    "ConstantLR": lambda S, opt: S.ConstantLR(opt, factor=0.5, total_iters=4),
    "CosineAnnealingLR": lambda S, opt: S.CosineAnnealingLR(opt, T_max=7, eta_min=0.01),
    "PolynomialLR": lambda S, opt: S.PolynomialLR(opt, total_iters=8, power=2.0),
    "LambdaLR": lambda S, opt: S.LambdaLR(opt, lambda e: 1.0 / (1 + e)),
    "MultiplicativeLR": lambda S, opt: S.MultiplicativeLR(opt, lambda e: 0.9),
    "OneCycleLR": lambda S, opt: S.OneCycleLR(opt, max_lr=1.0, total_steps=12),
}


def _calls(seed):
    rng = np.random.default_rng(seed)
    calls, epoch = [], 0
    for _ in range(8):
        kind = rng.integers(4)
        if kind == 0:
            calls.append(None)
            epoch += 1
        else:
            epoch = [epoch, epoch + 1, int(rng.integers(0, 15))][kind - 1]
            calls.append(epoch)
    return calls


def _to_epoch(L, name, seed):
    """After each call: the rates and last_epoch (or the refusal), and the warnings about the epoch."""
    p = L.nn.Parameter(L.zeros(2, dtype=L.float64))
    q = L.nn.Parameter(L.zeros(1, dtype=L.float64))
    opt = L.optim.SGD([{"params": [p]}, {"params": [q], "lr": 0.3}], lr=0.1, momentum=0.9)
    sched = TO_EPOCH[name](L.optim.lr_scheduler, opt)
    seen = []
    for epoch in _calls(seed * 31 + len(name)):
        opt.step()
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:  # (not sweep.outcome, which silences the warnings compared here)
                step = sched.step() if epoch is None else sched.step(epoch)
            except Exception as e:  # noqa: BLE001 - the class is compared
                step = e
        seen.append((step if isinstance(step, Exception) else
                     (close(np.array(sched.get_last_lr()), 1e-9, 1e-12), sched.last_epoch),
                     [(w.category, str(w.message)) for w in caught if "epoch" in str(w.message)]))
    return seen


test_step_to_an_epoch_is_pytorchs = sweep(_to_epoch, [(name, seed) for name in TO_EPOCH for seed in range(6)])
