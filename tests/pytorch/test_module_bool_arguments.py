"""nn.Module's flags take a bool, as PyTorch's: ``model.train(0)``, ``model.train("eval")``, ``model.train(None)``
and ``model.requires_grad_(1)`` are mistakes PyTorch names (ValueError and TypeError), and the modules' flags stay
as they were."""

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import minigan  # noqa: E402

VALUES = [True, False, 1, 0, None, "eval", 1.0, np.True_]


def _model(lib):
    nn = lib.nn
    return nn.Sequential(nn.Linear(2, 3), nn.BatchNorm1d(3), nn.Sequential(nn.Dropout(0.5), nn.Linear(3, 1)))


def _outcome(lib, method, value):
    model = _model(lib)
    model[2].eval()  # a mixed state, so a refused call that changed anything shows
    try:
        result = getattr(model, method)(value)
        outcome = "returns the model" if result is model else result
    except Exception as e:  # noqa: BLE001 - the exception is the outcome
        outcome = e
    return outcome, [m.training for m in model.modules()], [p.requires_grad for p in model.parameters()]


@pytest.mark.parametrize("method", ["train", "requires_grad_"])
@pytest.mark.parametrize("value", VALUES, ids=repr)
def test_a_flag_takes_a_bool(method, value):
    theirs, ours = _outcome(torch, method, value), _outcome(minigan, method, value)
    if isinstance(theirs[0], Exception):
        assert isinstance(ours[0], type(theirs[0])), f"PyTorch: {theirs[0]!r}; minigan: {ours[0]!r}"
        assert str(value) in str(ours[0]) or type(value).__name__ in str(ours[0]), ours[0]
    else:
        assert ours[0] == theirs[0]
    assert ours[1:] == theirs[1:]
