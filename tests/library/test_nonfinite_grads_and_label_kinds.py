"""Torch-free statements of PyTorch's rules at non-finite entries and for the classification losses' argument kinds:
amax/amin share their gradient among the entries equal to the result, so a slice whose result is NaN gives NaN
throughout (0/0) while max() hands it to the NaN entries; binary_cross_entropy's target gradient is −logit(p) in
closed form (±∞ at p = 1 or 0); class labels are int64 or uint8, ignore_index an int, label_smoothing a float."""

import math

import minigan.nn.functional as F
import numpy as np
import pytest

import minigan


def test_amax_and_amin_give_a_slice_holding_nan_a_nan_gradient_and_leave_the_others_alone():
    a = np.array([[1.0, np.nan, 3.0], [4.0, 6.0, 6.0]])
    for name in ("amax", "amin"):
        x = minigan.tensor(a, requires_grad=True)
        getattr(x, name)(1).sum().backward()
        g = x.grad.numpy()
        assert np.isnan(g[0]).all()  # the NaN row: no entry equals the NaN result, 0/0
        expected = [0.0, 0.5, 0.5] if name == "amax" else [1.0, 0.0, 0.0]  # ties share evenly
        np.testing.assert_array_equal(g[1], expected)
    x = minigan.tensor(a, requires_grad=True)
    x.max().backward()  # (max() with no dim hands the gradient to the NaN it returns)
    np.testing.assert_array_equal(x.grad.numpy(), [[0.0, 1.0, 0.0], [0.0, 0.0, 0.0]])


def test_binary_cross_entropys_target_gradient_is_minus_logit_p():
    p = np.array([0.0, 0.2, 0.5, 0.9, 1.0])
    t = minigan.tensor(np.full(5, 0.3), requires_grad=True)
    F.binary_cross_entropy(minigan.tensor(p), t, reduction="sum").backward()
    with np.errstate(divide="ignore"):
        expected = -np.log(p / (1 - p))
    np.testing.assert_allclose(t.grad.numpy(), expected, rtol=1e-12)
    assert math.isinf(t.grad.numpy()[0]) and t.grad.numpy()[0] > 0 and t.grad.numpy()[-1] < 0


def test_class_labels_ignore_index_and_label_smoothing_are_of_pytorchs_kinds():
    x = minigan.tensor(np.random.default_rng(0).standard_normal((4, 3)))
    y = np.array([0, 2, 1, 2])
    for dtype in (np.int8, np.int16, np.int32):
        with pytest.raises(RuntimeError, match="labels.long()"):
            F.cross_entropy(x, minigan.tensor(y.astype(dtype)))
    assert math.isclose(float(F.cross_entropy(x, minigan.tensor(y.astype(np.uint8)))),
                        float(F.cross_entropy(x, minigan.tensor(y))))
    with pytest.raises(RuntimeError, match="per position must be int64"):
        F.cross_entropy(x.reshape(2, 3, 2), minigan.tensor(y.astype(np.uint8).reshape(2, 2)))
    for bad in (1.0, True, None):
        with pytest.raises(TypeError, match="ignore_index must be an int"):
            F.nll_loss(x, minigan.tensor(y), ignore_index=bad)
    assert math.isclose(float(F.cross_entropy(x, minigan.tensor(y), label_smoothing=minigan.tensor(0.25))),
                        float(F.cross_entropy(x, minigan.tensor(y), label_smoothing=0.25)))
    for bad in (None, "0.1", minigan.tensor([0.1]), minigan.tensor(0.1, requires_grad=True)):
        with pytest.raises(TypeError, match="label_smoothing must be a float"):
            F.cross_entropy(x, minigan.tensor(y), label_smoothing=bad)
