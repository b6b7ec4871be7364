"""An error about a dtype mismatch names the dtype as code the user can paste: every ``minigan.<name>`` in the
message of each layer and function that compares an input's dtype with its weight's is a real name of minigan
(``minigan.float64``, never ``minigan.minigan.float64``)."""

import re

import pytest

import minigan
import minigan.functional as F
from minigan import nn

x32 = minigan.ones(2, 3, 4, 4)  # float32 input, float64 weights (and the other way round)
CASES = {
    "F.linear": lambda: F.linear(minigan.ones(2, 3), minigan.ones(4, 3, dtype=minigan.float64)),
    "nn.Linear": lambda: nn.Linear(3, 4).double()(minigan.ones(2, 3)),
    "F.conv2d": lambda: F.conv2d(x32, minigan.ones(2, 3, 3, 3, dtype=minigan.float64)),
    "nn.Conv2d": lambda: nn.Conv2d(3, 2, 3).double()(x32),
    "nn.Conv1d": lambda: nn.Conv1d(3, 2, 3).double()(minigan.ones(2, 3, 8)),
    "nn.ConvTranspose2d": lambda: nn.ConvTranspose2d(3, 2, 3).double()(x32),
    "nn.BatchNorm2d": lambda: nn.BatchNorm2d(3).double()(x32),
    "nn.LayerNorm": lambda: nn.LayerNorm(4).double()(x32),
    "nn.GroupNorm": lambda: nn.GroupNorm(1, 3).double()(x32),
    "nn.RNN": lambda: nn.RNN(4, 5).double()(minigan.ones(3, 2, 4)),
    "nn.LSTM": lambda: nn.LSTM(4, 5)(minigan.ones(3, 2, 4, dtype=minigan.float64)),
}


def _resolves(dotted):
    obj = minigan
    for part in dotted.split(".")[1:]:
        if not hasattr(obj, part):
            return False
        obj = getattr(obj, part)
    return True


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_dtype_mismatch_names_real_dtypes(case):
    with pytest.raises(Exception) as caught:
        CASES[case]()
    message = str(caught.value)
    assert "float" in message, message  # (the dtype error itself, not another one)
    named = re.findall(r"\bminigan(?:\.\w+)+", message)
    assert all(_resolves(name) for name in named), message
