"""PyTorch's keyword names and deprecated forms, as programs write them: ``torch.save(obj=..., f=path)``,
``torch.load(f=path)``, ``layer(input=x)``, ``Sequential.pop(key=0)``, ``state_dict`` by position,
``scheduler.step(epoch)``, ``Hardtanh(min_value=...)``; each side by side with PyTorch where it is installed.
(tests/pytorch/test_signature_survey.py checks the names of every signature; these check what the calls do.)

(Its torch-free tests: tests/library/test_pytorch_keywords.py.)"""

import warnings
from collections import OrderedDict

import numpy as np
import pytest

import minigan
from minigan import nn
from pytorch.oracle import pytorch_since

try:
    import torch
except ImportError:
    torch = None

needs_torch = pytest.mark.skipif(torch is None, reason="needs torch (a test-only oracle)")


@needs_torch
def test_the_same_calls_run_in_pytorch(tmp_path):
    for lib in (torch, minigan):
        path = tmp_path / f"{lib.__name__}.pt"
        lib.save(obj={"w": lib.ones(2)}, f=path)
        assert lib.load(f=path, weights_only=True)["w"].tolist() == [1.0, 1.0]


@needs_torch
@pytest.mark.parametrize("name,args", [("Linear", (3, 2)), ("ReLU", ()), ("Tanh", ()), ("BatchNorm1d", (3,)),
                                       ("Dropout", (0.0,)), ("Flatten", ()), ("LeakyReLU", (0.2,))])
def test_a_layer_called_with_input_by_name(name, args):
    x = np.random.default_rng(0).standard_normal((4, 3)).astype(np.float32)
    mine, theirs = getattr(nn, name)(*args), getattr(torch.nn, name)(*args)
    theirs.load_state_dict({k: torch.tensor(np.asarray(v)) for k, v in mine.state_dict().items()})
    np.testing.assert_allclose(mine(input=minigan.tensor(x)).detach().numpy(),
                               theirs(input=torch.tensor(x)).detach().numpy(), rtol=1e-6, atol=1e-6)
    seq = nn.Sequential(nn.Linear(3, 2))
    assert tuple(seq(input=minigan.tensor(x)).shape) == (4, 2)


def _caught(fn):
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        result = fn()
    return result, [(w.category, str(w.message)) for w in seen]


@needs_torch
def test_state_dict_by_position_warns_as_pytorch():
    mine, theirs = nn.Linear(2, 1), torch.nn.Linear(2, 1)
    got, warned = _caught(lambda: mine.state_dict(OrderedDict(), "net."))
    want, warned_torch = _caught(lambda: theirs.state_dict(OrderedDict(), "net."))
    assert list(got) == list(want) == ["net.weight", "net.bias"]
    assert warned == warned_torch and warned[0][0] is FutureWarning


@needs_torch
def test_hardtanh_deprecated_keywords_warn_as_pytorch():
    mine, warned = _caught(lambda: nn.Hardtanh(min_value=-2.0, max_value=3.0))
    theirs, warned_torch = _caught(lambda: torch.nn.Hardtanh(min_value=-2.0, max_value=3.0))
    assert repr(mine) == repr(theirs) and [w[0] for w in warned] == [w[0] for w in warned_torch] and len(warned) == 2


@needs_torch
@pytorch_since("2.13", "Hardtanh's deprecated keywords warn that they are 'renamed to' (2.11 and 2.12: 'rename to')")
def test_hardtanh_deprecated_keywords_warn_in_pytorchs_words():
    mine, warned = _caught(lambda: nn.Hardtanh(min_value=-2.0, max_value=3.0))
    theirs, warned_torch = _caught(lambda: torch.nn.Hardtanh(min_value=-2.0, max_value=3.0))
    assert warned == warned_torch


@needs_torch
@pytest.mark.parametrize("name,kwargs", [("StepLR", {"step_size": 2, "gamma": 0.5}), ("ExponentialLR", {"gamma": 0.9}),
                                         ("MultiStepLR", {"milestones": [1, 3]})])
def test_scheduler_step_with_the_epoch_as_old_tutorials_write_it(name, kwargs):
    """``for epoch in range(n): scheduler.step(epoch)`` at the top of the loop: PyTorch's warning, its rates."""
    def rates(lib):
        opt = lib.optim.SGD([lib.nn.Parameter(lib.zeros(1))], lr=1.0)
        sched = getattr(lib.optim.lr_scheduler, name)(opt, **kwargs)
        out, warned = [], []
        for epoch in range(6):
            opt.step()  # (PyTorch warns of a scheduler stepped before its optimizer)
            _, w = _caught(lambda: sched.step(epoch))  # noqa: B023
            warned += w
            out.append(opt.param_groups[0]["lr"])
        return out, warned

    (mine, warned), (theirs, warned_torch) = rates(minigan), rates(torch)
    np.testing.assert_allclose(mine, theirs)
    assert warned == warned_torch and warned[0][0] is UserWarning


@needs_torch
def test_reduce_on_plateau_step_with_the_epoch():
    def run(lib):
        opt = lib.optim.SGD([lib.nn.Parameter(lib.zeros(1))], lr=1.0)
        sched = lib.optim.lr_scheduler.ReduceLROnPlateau(opt, patience=0)
        _, warned = _caught(lambda: [sched.step(1.0, epoch) for epoch in (3, 4, 5)])
        return sched.last_epoch, opt.param_groups[0]["lr"], warned

    assert run(minigan) == run(torch)
