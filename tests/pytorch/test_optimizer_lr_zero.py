"""An optimizer with ``lr=0``, which PyTorch takes (its check is ``0 <= lr``): tutorials make one only to load a saved
state into (``optimizer = SGD(model.parameters(), lr=0)``, then ``load_state_dict``), and a step with it changes
nothing.  Every optimizer PyTorch and minigan both have, against PyTorch; a negative lr is refused by both."""

import numpy as np
import pytest

import minigan
from pytorch.oracle import HAVE_TORCH

pytestmark = pytest.mark.skipif(not HAVE_TORCH, reason="needs torch (a test-only oracle)")
if HAVE_TORCH:
    import torch

NAMES = ["SGD", "Adam", "AdamW", "RMSprop", "Adagrad", "Adadelta", "Adamax", "NAdam", "RAdam"]


def _model(lib):
    lib.manual_seed(0)
    return lib.nn.Linear(3, 2).double()


@pytest.mark.parametrize("name", NAMES)
def test_lr_zero_is_taken_a_step_changes_nothing_and_a_saved_state_loads(name):
    if not hasattr(minigan.optim, name):
        pytest.skip(f"minigan has no {name}")
    after = {}
    for lib in (minigan, torch):
        model = _model(lib)
        trained = getattr(lib.optim, name)(model.parameters(), lr=0.1)
        model(lib.ones(4, 3, dtype=lib.float64)).sum().backward()
        trained.step()
        saved = trained.state_dict()
        before = [p.detach().numpy().copy() for p in model.parameters()]
        fresh = getattr(lib.optim, name)(model.parameters(), lr=0)
        assert fresh.param_groups[0]["lr"] == 0
        fresh.load_state_dict(saved)  # (the tutorial's use: the saved lr comes back)
        assert fresh.param_groups[0]["lr"] == 0.1
        zero = getattr(lib.optim, name)(model.parameters(), lr=0)
        model.zero_grad()
        model(lib.ones(4, 3, dtype=lib.float64)).sum().backward()
        zero.step()
        after[lib.__name__] = [np.array_equal(b, p.detach().numpy()) for b, p in zip(before, model.parameters())]
    assert after["minigan"] == after["torch"] == [True, True]


@pytest.mark.parametrize("name", NAMES)
def test_a_negative_lr_is_refused_by_both(name):
    if not hasattr(minigan.optim, name):
        pytest.skip(f"minigan has no {name}")
    for lib in (minigan, torch):
        with pytest.raises(ValueError, match="lr|learning rate"):
            getattr(lib.optim, name)(_model(lib).parameters(), lr=-0.1)
