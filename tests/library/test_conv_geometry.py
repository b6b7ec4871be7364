"""The convolutions' dilation and groups without PyTorch: gradcheck with both, a depthwise convolution is each channel
on its own, grouped layers draw their init from the groups' fan-in, and bad geometry is refused in one line.

(Its comparisons with PyTorch: tests/pytorch/test_conv.py.)"""

import re

import numpy as np
import pytest

import minigan
import minigan.functional as F
from library.helpers_conv_geometry import rng


def test_gradcheck_with_dilation_and_groups():
    x = minigan.tensor(rng.standard_normal((2, 4, 7, 6)), requires_grad=True)
    w = minigan.tensor(rng.standard_normal((6, 2, 2, 3)), requires_grad=True)
    conv = lambda x, w: F.conv2d(x, w, stride=(2, 1), padding=1, dilation=(2, 1), groups=2)
    assert minigan.gradcheck(conv, [x, w]) and minigan.gradgradcheck(conv, [x, w])
    w_t = minigan.tensor(rng.standard_normal((4, 3, 3, 2)), requires_grad=True)
    transposed = lambda x, w: F.conv_transpose2d(x, w, stride=2, padding=1, output_padding=1, groups=2, dilation=2)
    assert minigan.gradcheck(transposed, [x, w_t]) and minigan.gradgradcheck(transposed, [x, w_t])


def test_depthwise_is_each_channel_on_its_own():
    """groups = channels: channel c of the output is channel c of the input convolved with its own kernel."""
    x, w = rng.standard_normal((2, 3, 6, 6)), rng.standard_normal((3, 1, 3, 3))
    out = F.conv2d(minigan.tensor(x), minigan.tensor(w), padding=1, groups=3).detach().numpy()
    for c in range(3):
        alone = F.conv2d(minigan.tensor(x[:, c : c + 1]), minigan.tensor(w[c : c + 1]), padding=1).detach().numpy()
        np.testing.assert_allclose(out[:, c : c + 1], alone, rtol=1e-12)


def test_grouped_init_uses_the_groups_fan_in():
    minigan.manual_seed(0)
    w = minigan.nn.Conv2d(64, 64, 3, groups=64).weight.detach().numpy()  # fan_in = 1·3·3: U(−1/3, 1/3)
    assert w.shape == (64, 1, 3, 3) and 0.3 < np.abs(w).max() <= 1 / 3


@pytest.mark.parametrize("call, words", [
    (lambda: minigan.nn.Conv2d(4, 6, 3, groups=4), "out_channels=6 must be divisible by groups=4"),
    (lambda: minigan.nn.Conv2d(4, 8, 3, stride=2, padding="same"), "padding='same' needs stride 1"),
    (lambda: minigan.nn.Conv2d(4, 8, 3, padding="full"), "'same' or 'valid', got 'full'"),
    (lambda: minigan.nn.Conv2d(4, 8, 3, padding_mode="bad"), "padding_mode must be one of"),
    (lambda: minigan.nn.ConvTranspose2d(4, 8, 3, padding_mode="reflect"), r"one of \('zeros',\)"),
    (lambda: F.conv2d(minigan.zeros(1, 4, 5, 5), minigan.zeros(6, 2, 3, 3), groups=3), "groups=3 must divide the 4"),
    (lambda: F.conv2d(minigan.zeros(1, 4, 5, 5), minigan.zeros(6, 4, 3, 3), dilation=3), "it spans 7×7"),
    (lambda: F.conv2d(minigan.zeros(1, 4, 5, 5), minigan.zeros(6, 4, 3, 3), groups=0), "groups must be a positive"),
    (lambda: F.conv2d(minigan.zeros(1, 4, 5, 5), minigan.zeros(6, 4, 3, 3), dilation=0), "dilation must be >= 1"),
    (lambda: F.conv_transpose2d(minigan.zeros(1, 4, 5, 5), minigan.zeros(4, 2, 3, 3), stride=2, output_padding=2),
     "smaller than stride"),
])
def test_bad_geometry_is_refused_in_one_line(call, words):
    with pytest.raises((ValueError, TypeError)) as info:
        call()
    assert "\n" not in str(info.value)
    assert re.search(words, str(info.value)), str(info.value)
