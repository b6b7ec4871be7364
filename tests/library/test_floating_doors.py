"""The doors that take a floating array as a Tensor or an array (a Parameter's data, an attack's input batch) check
it in one place (``minigan.arguments.floating_array``) and say the same thing: what they got, what they take."""

import re

import numpy as np
import pytest

import minigan
from minigan import nn
from minigan.attacks import fgsm


def _doors():
    model = nn.Sequential(nn.Flatten(), nn.Linear(4, 2))
    y = np.array([0, 1])
    return [("Parameter", "data", lambda v: nn.Parameter(v)),
            ("fgsm", "x", lambda v: fgsm(model, v, y, eps=0.1))]


@pytest.mark.parametrize("value,message", [
    ([[1.0, 2.0, 3.0, 4.0]] * 2, "must be a Tensor or an array, got list"),
    ("abc", "must be a Tensor or an array, got str"),
    (np.ones((2, 4), np.int64), "must be floating-point, got dtype int64"),
    (minigan.tensor(np.ones((2, 4), bool)), "must be floating-point, got dtype bool"),
])
def test_each_door_refuses_what_is_no_floating_array_in_one_way(value, message):
    for who, name, door in _doors():
        with pytest.raises(TypeError, match="^" + re.escape(f"{who}: {name} {message}") + "$"):
            door(value)


def test_a_floating_tensor_or_array_goes_through_every_door():
    for _, _, door in _doors():
        door(np.ones((2, 4), np.float32))
        door(minigan.tensor(np.ones((2, 4), np.float32)))
