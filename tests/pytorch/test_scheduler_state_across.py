"""A scheduler's whole ``state_dict()`` (its private entries too) is PyTorch's, so a checkpoint crosses between the
two libraries: PyTorch's scheduler and optimizer state loaded into minigan's continue PyTorch's rates, and minigan's
loaded into PyTorch's continue them too.  The private entries are PyTorch's ``_step_count`` (the step() calls, the
constructor's first) and OneCycleLR's ``_schedule_phases`` (a dict per phase)."""

import copy
import warnings

import pytest

import minigan
from pytorch.test_scheduler_state_dict import IDS, SCHEDULERS, _make, _step

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")


def _to(lib, value):
    """A state dict's values in ``lib``: tensors rebuilt there, containers walked, anything else as it is."""
    if isinstance(value, (torch.Tensor, minigan.Tensor)):
        return lib.tensor(value.detach().numpy().copy())
    if isinstance(value, dict):
        return {k: _to(lib, v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_to(lib, v) for v in value)
    return value


def _stepped(lib, name, kwargs, steps):
    sched, opt = _make(lib, name, kwargs)
    for i in range(steps):
        opt.step()
        _step(sched, i)
    return sched, opt


def _rates(sched, opt, start):
    rates = []
    for i in range(start, start + 4):
        opt.step()
        _step(sched, i)
        rates.append(opt.param_groups[0]["lr"])
    return rates


@pytest.mark.parametrize("name, kwargs", SCHEDULERS, ids=IDS)
def test_every_entry_is_pytorchs(name, kwargs):
    ours, _ = _stepped(minigan, name, kwargs(), 3)
    theirs, _ = _stepped(torch, name, kwargs(), 3)
    got, want = ours.state_dict(), theirs.state_dict()
    assert sorted(got) == sorted(want)
    for k in ("_step_count", "_schedule_phases", "last_epoch"):
        assert got.get(k) == want.get(k), k


@pytest.mark.parametrize("name, kwargs", SCHEDULERS, ids=IDS)
def test_pytorchs_checkpoint_resumes_in_minigan_and_back(name, kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # (any warning is PyTorch's own, compared elsewhere)
        theirs, their_opt = _stepped(torch, name, kwargs(), 3)
        ours, our_opt = _make(minigan, name, kwargs())
        our_opt.load_state_dict(_to(minigan, their_opt.state_dict()))
        ours.load_state_dict(_to(minigan, copy.deepcopy(theirs.state_dict())))
        assert _rates(ours, our_opt, 3) == pytest.approx(_rates(theirs, their_opt, 3), rel=1e-12)

        ours, our_opt = _stepped(minigan, name, kwargs(), 3)
        theirs, their_opt = _make(torch, name, kwargs())
        their_opt.load_state_dict(_to(torch, our_opt.state_dict()))
        theirs.load_state_dict(_to(torch, copy.deepcopy(ours.state_dict())))
        assert _rates(theirs, their_opt, 3) == pytest.approx(_rates(ours, our_opt, 3), rel=1e-12)
