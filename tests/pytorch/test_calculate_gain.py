"""nn.init.calculate_gain gives PyTorch's numbers with PyTorch's Python types (the int 1 for the linear family and
sigmoid, a float elsewhere), for every nonlinearity it names and leaky_relu's slopes given as int, float or None."""

import pytest

import minigan

torch = pytest.importorskip("torch")

CASES = [(name, None) for name in ("linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d",
                                   "conv_transpose3d", "sigmoid", "tanh", "relu", "selu", "leaky_relu")]
CASES += [("leaky_relu", slope) for slope in (0, 1, 2, 0.2, -0.5)]


@pytest.mark.parametrize("nonlinearity,param", CASES)
def test_calculate_gain_as_pytorch(nonlinearity, param):
    want = torch.nn.init.calculate_gain(nonlinearity, param)
    got = minigan.nn.init.calculate_gain(nonlinearity, param)
    assert (type(got), got) == (type(want), want)
