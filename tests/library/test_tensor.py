"""Tensor construction, dtype rules, conversion and the errors a student meets first, on their own terms (no
PyTorch): dtypes of Python data, requires_grad on integers, object arrays, numpy()/item()/repr, shapes, comparisons,
a NumPy array on the left, one clear error per bad input, CuPy without a GPU, mixing devices, one_hot, dropout's
statistics, and sigmoid and BCE at extremes.

(Its comparisons with PyTorch: tests/pytorch/test_tensor.py.)"""

import numpy as np
import pytest

import minigan
import minigan.functional as F
from minigan.engine import backend


def test_dtype_rules(xp_backend):
    assert minigan.tensor([1, 2, 3]).dtype == np.int64  # as torch.tensor: ints int64, bools bool, floats float32
    assert minigan.tensor([True, False]).dtype == np.bool_ and minigan.tensor([1, 2.5]).dtype == np.float32
    assert minigan.Tensor([1, 2, 3]).dtype == np.float32  # the legacy constructor: float32, as torch.Tensor
    assert minigan.tensor(2.5).dtype == np.float32
    assert minigan.tensor(np.zeros(3, np.float64)).dtype == np.float64  # a float array keeps its dtype
    assert minigan.tensor(np.arange(3)).dtype == np.int64  # integer arrays stay integer
    assert minigan.Tensor(np.zeros(2), dtype="float32").dtype == np.float32
    x64 = minigan.tensor(np.ones(2))
    assert (x64 * 3).dtype == np.float64 and (2.0 * x64).dtype == np.float64


def test_requires_grad_on_integers_raises():
    with pytest.raises(TypeError, match="floating-point"):
        minigan.tensor(np.arange(3), requires_grad=True)


def test_object_and_string_arrays_raise():
    with pytest.raises(TypeError, match="dtype object"):
        minigan.Tensor(np.array([1, "a", None], dtype=object))
    with pytest.raises(TypeError, match="cannot convert"):
        minigan.tensor(["a", "b"])
    with pytest.raises(ValueError, match="equal lengths"):  # ragged: a ValueError, as PyTorch's
        minigan.tensor([[1.0, 2.0], [3.0]])


def test_numpy_item_to_repr(xp_backend):
    x = minigan.tensor([[1.0, 2.0]], requires_grad=True)
    host = x.detach().cpu().numpy()
    assert isinstance(host, np.ndarray) and host.shape == (1, 2)
    host[0, 0] = 9  # on the CPU the same memory, as PyTorch's numpy(); a GPU tensor's is a host copy
    assert x.detach().cpu().numpy()[0, 0] == (9.0 if x.device == "cpu" else 1.0)
    host[0, 0] = 1
    assert x.sum().item() == 3.0
    assert "requires_grad=True" in repr(x)
    assert x.to("cpu").device == "cpu"
    with pytest.raises(ValueError, match="one-element"):
        x.item()


def test_shape_properties_and_methods(xp_backend):
    x = minigan.tensor(np.arange(24.0).reshape(2, 3, 4))
    assert x.shape == (2, 3, 4) and x.ndim == 3 and x.numel() == 24 and x.size() == (2, 3, 4) and len(x) == 2
    assert x.reshape(6, 4).shape == (6, 4) and x.reshape((4, -1)).shape == (4, 6)
    assert x.transpose().shape == (4, 3, 2) and x.transpose(1, 0, 2).shape == (3, 2, 4)
    assert x.T.shape == (4, 3, 2)
    assert x.sum(axis=(0, 2)).shape == (3,) and x.mean(axis=-1, keepdims=True).shape == (2, 3, 1)
    assert float(x.max()) == 23.0 and x.argmax(axis=0).shape == (3, 4)
    assert x.unsqueeze(0).shape == (1, 2, 3, 4) and x.unsqueeze(0).squeeze(0).shape == (2, 3, 4)
    assert minigan.stack([x, x], axis=1).shape == (2, 2, 3, 4)


def test_comparisons_give_bool_without_grad(xp_backend):
    x = minigan.tensor([1.0, 2.0, 3.0], requires_grad=True)
    m = x > 1.5
    assert m.dtype == np.bool_ and not m.requires_grad
    assert backend.asnumpy(x.eq(2.0).array).tolist() == [False, True, False]


def test_numpy_array_on_the_left_defers_to_tensor(xp_backend):
    x = minigan.tensor([1.0, 2.0], requires_grad=True)
    y = np.array([3.0, 4.0], dtype=np.float32) * x
    assert isinstance(y, minigan.Tensor) and y.requires_grad


@pytest.mark.parametrize(
    "make, exc, pattern",
    [
        (lambda: minigan.tensor(np.ones((2, 3))) + minigan.tensor(np.ones((4, 3))), ValueError, r"\(2, 3\).*\(4, 3\)"),
        (lambda: minigan.tensor(np.ones((2, 3))) @ minigan.tensor(np.ones((2, 3))), ValueError, r"matmul.*\(2, 3\)"),
        (lambda: minigan.tensor(np.ones(3)) @ minigan.tensor(2.0), ValueError, "at least 1-D"),
        (lambda: minigan.tensor(np.ones((2, 3))).reshape(4, 2), ValueError, r"reshape.*\(2, 3\).*\(4, 2\)"),
        (lambda: minigan.tensor(np.ones((2, 3))).transpose(0, 0, 1), ValueError, "permutation"),
        (lambda: minigan.tensor(np.ones((2, 3))).sum(axis=2), ValueError, "out of range"),
        (lambda: minigan.tensor(np.ones((2, 3)))[5], IndexError, "out of bounds"),
        (lambda: minigan.tensor(np.ones((2, 3)))[np.array([0, 7])], ValueError, "index 7"),
        (lambda: minigan.cat([minigan.tensor(np.ones((2, 3))), minigan.tensor(np.ones((2, 4)))]), ValueError,
         r"\(2, 4\).*\(2, 3\)"),
        (lambda: minigan.cat([]), ValueError, "non-empty"),
        (lambda: F.mse_loss(minigan.tensor(np.ones(3)), minigan.tensor(np.ones((2, 1, 2)))), ValueError,
         r"\(3,\).*\(2, 1, 2\)"),  # ((3,) against (3, 1) broadcasts, with PyTorch's warning)
        (lambda: F.binary_cross_entropy_with_logits(minigan.tensor(np.ones((4, 1))), minigan.tensor(np.ones(4))),
         ValueError, "must be equal"),
        (lambda: F.binary_cross_entropy(minigan.tensor([0.5, 1.5]), minigan.tensor([1.0, 0.0])), ValueError,
         r"\[0, 1\]"),
        (lambda: F.cross_entropy(minigan.tensor(np.ones((2, 3))), np.array([0, 3])), ValueError, "label 3"),
        (lambda: F.cross_entropy(minigan.tensor(np.ones((2, 3))), np.array([0.0, 1.0])), TypeError, "integer"),
        (lambda: F.cross_entropy(minigan.tensor(np.ones((2, 3))), np.array([0, 1, 2])), ValueError, r"\(2,\)"),
        (lambda: F.one_hot(np.array([0, 5]), 3), ValueError, "label 5"),
        (lambda: F.one_hot(np.array([-1]), 3), ValueError, "label -1"),
        (lambda: F.dropout(minigan.tensor(np.ones(3)), p=1.5), ValueError, r"\[0, 1\]"),
        (lambda: F.leaky_relu(minigan.tensor(np.arange(3))), TypeError, "floating"),  # (relu of ints: ints)
        (lambda: F.relu(minigan.tensor([True])), TypeError, "bool"),
        (lambda: minigan.tensor([1.0]) + "a", TypeError, "unsupported operand"),
        (lambda: F.linear(minigan.tensor(np.ones((2, 3))), minigan.tensor(np.ones((4, 2)))), ValueError,
         r"linear.*\(2, 3\).*\(4, 2\)"),
        (lambda: minigan.tensor([1.0]).to("tpu"), RuntimeError, "unknown device"),
        (lambda: minigan.use_backend("jax"), ValueError, "numpy' or 'cupy"),
        (lambda: minigan.manual_seed(2**64), ValueError, "out of range"),
    ],
)
def test_bad_input_gives_clear_errors(make, exc, pattern):
    with pytest.raises(exc, match=pattern):
        make()


@pytest.mark.skipif(backend.cupy_available(), reason="checks the message shown when there is no GPU")
def test_asking_for_cupy_without_gpu_explains_how_to_install():
    with pytest.raises(RuntimeError, match="pip install"):
        minigan.use_backend("cupy")
    with pytest.raises(RuntimeError, match="pip install"):
        minigan.tensor([1.0]).to("cuda")


def test_mixing_devices_raises(cuda_device):
    a = minigan.tensor([1.0]).to("cuda")
    b = minigan.Tensor(np.ones(1, np.float32), device="cpu")
    with pytest.raises(RuntimeError, match="cannot mix"):
        a + b


def test_one_hot_and_dropout_statistics(xp_backend):
    oh = F.one_hot(np.array([2, 0, 1]), 3)
    np.testing.assert_array_equal(oh.detach().cpu().numpy(), np.eye(3, dtype=np.int64)[[2, 0, 1]])
    assert oh.dtype == minigan.int64  # (PyTorch's)
    x = minigan.tensor(np.ones(100_000, np.float32))
    y = F.dropout(x, p=0.3).detach().cpu().numpy()
    assert abs((y == 0).mean() - 0.3) < 0.01
    assert abs(y.mean() - 1.0) < 0.02  # inverted dropout keeps the mean
    assert F.dropout(x, p=0.3, training=False) is x


def test_stable_sigmoid_and_bce_at_extremes(xp_backend):
    x = minigan.tensor(np.array([-1e4, -50.0, 0.0, 50.0, 1e4], dtype=np.float32), requires_grad=True)
    s = F.sigmoid(x).detach().cpu().numpy()
    assert np.all(np.isfinite(s)) and s[0] == 0.0 and s[-1] == 1.0 and s[2] == 0.5
    logits = minigan.tensor(np.array([1e4, -1e4], dtype=np.float64), requires_grad=True)
    loss = F.binary_cross_entropy_with_logits(logits, minigan.tensor(np.array([0.0, 1.0])), reduction="none")
    np.testing.assert_allclose(loss.detach().cpu().numpy(), [1e4, 1e4])  # exact: softplus(1e4) = 1e4
    loss.sum().backward()
    np.testing.assert_allclose(backend.asnumpy(logits.grad), [1.0, -1.0])
