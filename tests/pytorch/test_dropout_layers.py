"""The dropout layers (Dropout, Dropout1d, Dropout2d) check p and inplace at their door and print as PyTorch's."""

import pytest

import minigan.nn as nn

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")  # (each test: PyTorch's layer)

LAYERS = ["Dropout", "Dropout1d", "Dropout2d"]


@pytest.mark.parametrize("name", LAYERS)
@pytest.mark.parametrize("p", [-0.1, 1.5])
def test_a_probability_outside_zero_one_is_refused_as_pytorchs(name, p):
    with pytest.raises(ValueError):
        getattr(torch.nn, name)(p=p)
    with pytest.raises(ValueError, match=name):
        getattr(nn, name)(p=p)


@pytest.mark.parametrize("name", LAYERS)
def test_inplace_must_be_a_bool_and_the_layer_prints_as_pytorchs(name):
    with pytest.raises(TypeError, match="inplace"):
        getattr(nn, name)(p=0.3, inplace=1)
    for p in (0, 0.3, 1.0):
        assert repr(getattr(nn, name)(p=p)) == repr(getattr(torch.nn, name)(p=p))
