"""Every learning-rate scheduler's ``state_dict()`` against PyTorch's: the same public entries with the same values
after some steps (LambdaLR's and MultiplicativeLR's ``lr_lambdas``: None for a function, the attributes of a
callable object; ReduceLROnPlateau's ``default_min_lr`` and ``mode_worse``), and a round trip through
``load_state_dict`` into a fresh scheduler continues PyTorch's rates (a callable object's attributes restored)."""

import math

import pytest

import minigan

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")


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
IDS = [f"{name}-{i}" for i, (name, _) in enumerate(SCHEDULERS)]


def _make(lib, name, kwargs):
    p = lib.nn.Parameter(lib.ones(2))
    opt = lib.optim.SGD([p], lr=0.1, momentum=0.9)
    return getattr(lib.optim.lr_scheduler, name)(opt, **kwargs), opt


def _step(sched, i):
    if type(sched).__name__ == "ReduceLROnPlateau":
        sched.step(1.0 + (i % 2))
    else:
        sched.step()


def _plain(value):
    if isinstance(value, float) and math.isinf(value):
        return value
    return list(value) if isinstance(value, tuple) else value


@pytest.mark.parametrize("name, kwargs", SCHEDULERS, ids=IDS)
def test_state_dict_entries_are_pytorchs(name, kwargs):
    ours, _ = _make(minigan, name, kwargs())
    theirs, _ = _make(torch, name, kwargs())
    for i in range(3):
        _step(ours, i)
        _step(theirs, i)
    got = {k: _plain(v) for k, v in ours.state_dict().items() if not k.startswith("_")}
    want = {k: _plain(v) for k, v in theirs.state_dict().items() if not k.startswith("_")}
    assert sorted(got) == sorted(want)
    for k in want:
        assert got[k] == pytest.approx(want[k], rel=1e-12) if isinstance(want[k], (float, list)) and not any(
            isinstance(x, dict) or x is None for x in (want[k] if isinstance(want[k], list) else [])) \
            else got[k] == want[k], k


@pytest.mark.parametrize("name, kwargs", SCHEDULERS, ids=IDS)
def test_state_dict_keys_come_in_pytorchs_order(name, kwargs):
    """What print(scheduler.state_dict()) shows: PyTorch's entries, private ones too, in its order."""
    ours, _ = _make(minigan, name, kwargs())
    theirs, _ = _make(torch, name, kwargs())
    for i in range(2):
        _step(ours, i)
        _step(theirs, i)
    assert list(ours.state_dict()) == list(theirs.state_dict())


@pytest.mark.parametrize("name, kwargs", SCHEDULERS, ids=IDS)
def test_load_state_dict_continues_pytorchs_rates(name, kwargs):
    ours, opt = _make(minigan, name, kwargs())
    theirs, topt = _make(torch, name, kwargs())
    for i in range(3):
        _step(ours, i)
        _step(theirs, i)
    saved = ours.state_dict()
    fresh, fresh_opt = _make(minigan, name, kwargs())
    fresh_opt.load_state_dict(opt.state_dict())
    fresh.load_state_dict(saved)
    for i in range(3, 6):
        _step(fresh, i)
        _step(theirs, i)
        assert fresh_opt.param_groups[0]["lr"] == pytest.approx(topt.param_groups[0]["lr"], rel=1e-12), i


def _warnings(lib, name, kwargs, optimizer_first):
    """The warning classes a first scheduler.step() gives, with or without an optimizer.step() before it."""
    import warnings

    sched, opt = _make(lib, name, kwargs)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        if optimizer_first:
            opt.param_groups[0]["params"][0].grad = lib.ones(2)
            opt.step()
        _step(sched, 0)
    return sorted({w.category.__name__ for w in caught})


@pytest.mark.parametrize("optimizer_first", [False, True])
@pytest.mark.parametrize("name, kwargs", SCHEDULERS, ids=IDS)
def test_stepping_the_schedule_before_the_optimizer_warns(name, kwargs, optimizer_first):
    """PyTorch warns (UserWarning) when scheduler.step() comes before any optimizer.step(): the schedule's first
    rate is then skipped, the usual slip of a training loop."""
    assert _warnings(minigan, name, kwargs(), optimizer_first) == _warnings(torch, name, kwargs(), optimizer_first)
