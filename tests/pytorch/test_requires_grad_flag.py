"""A tensor's requires_grad takes a bool, as PyTorch's: ``x.requires_grad_(1)`` raises TypeError and
``x.requires_grad = None`` RuntimeError, and the flag stays as it was.  (NumPy's bool is taken, a difference
docs/pytorch.md lists.)"""

import pytest

torch = pytest.importorskip("torch")

import minigan  # noqa: E402

VALUES = [True, False, 1, 0, None, "yes", 1.0]


def _outcome(lib, way, value):
    x = lib.zeros(2, dtype=lib.float64)
    try:
        if way == "method":
            result = x.requires_grad_(value)
            outcome = "returns the tensor" if result is x else result
        else:
            x.requires_grad = value
            outcome = "set"
    except Exception as e:  # noqa: BLE001 - the exception is the outcome
        outcome = e
    return outcome, x.requires_grad


@pytest.mark.parametrize("way", ["method", "attribute"])
@pytest.mark.parametrize("value", VALUES, ids=repr)
def test_requires_grad_takes_a_bool(way, value):
    theirs, ours = _outcome(torch, way, value), _outcome(minigan, way, value)
    if isinstance(theirs[0], Exception):
        assert isinstance(ours[0], type(theirs[0])), f"PyTorch: {theirs[0]!r}; minigan: {ours[0]!r}"
    else:
        assert ours[0] == theirs[0]
    assert ours[1] == theirs[1]
