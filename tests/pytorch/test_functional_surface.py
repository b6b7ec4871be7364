"""The functions and layers of torch.nn.functional / torch.nn composed from minigan's ops: values and
gradients equal to PyTorch's (float64).  Their gradcheck and gradgradcheck, which need no PyTorch, are in
tests/test_torchfree_functional.py.

(Its torch-free tests: tests/library/test_functional_surface.py.)"""

import warnings

import minigan.nn.functional as F
import numpy as np
import pytest
from library.test_torchfree_functional import CASES, X, Y

import minigan

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")
TF = torch.nn.functional

def _run(name, lib, f):
    fn, arrays = CASES[name]
    ts = [lib.tensor(a.copy(), requires_grad=True, dtype=lib.float64) for a in arrays]
    out = fn(f, lib, *ts)
    w = lib.tensor(np.random.default_rng(7).standard_normal(tuple(out.shape)), dtype=lib.float64)
    (out * w).sum().backward()
    return out.detach().numpy(), [np.zeros(t.shape) if t.grad is None else t.grad.detach().numpy() for t in ts]


@pytest.mark.parametrize("name", sorted(CASES))
def test_equal_to_pytorch_with_gradients(name):
    mv, mg = _run(name, minigan, F)
    tv, tg = _run(name, torch, TF)
    np.testing.assert_allclose(mv, tv, rtol=1e-6, atol=1e-12)
    for a, b in zip(mg, tg):  # rtol 1e-6: some of PyTorch's float64 kernels use float32 constants (1/6 in hardsigmoid)
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-9)


LAYERS = [
    ("SiLU", (), {}), ("Mish", (), {}), ("ReLU6", (), {}), ("Hardsigmoid", (), {}), ("Hardswish", (), {}),
    ("SELU", (), {}), ("Softsign", (), {}), ("LogSigmoid", (), {}), ("Tanhshrink", (), {}),
    ("Softplus", (), {"beta": 2.0}), ("GELU", (), {"approximate": "tanh"}), ("GELU", (), {}),
    ("Hardtanh", (-0.5, 0.5), {}),
    ("CELU", (0.5,), {}), ("Threshold", (0.1, 20.0), {}), ("LogSoftmax", (1,), {}), ("Softmin", (1,), {}),
    ("PReLU", (), {}), ("LayerNorm", ((4, 4, 6),), {}), ("GroupNorm", (2, 4), {}), ("InstanceNorm2d", (4,), {}),
    ("ZeroPad2d", ((1, 2, 0, 1),), {}), ("ConstantPad2d", (1, 3.5), {}), ("PixelShuffle", (2,), {}),
    ("PixelUnshuffle", (2,), {}), ("AdaptiveAvgPool2d", ((1, 1),), {}),
    ("AdaptiveAvgPool2d", ((3, None),), {}), ("AdaptiveMaxPool2d", (3,), {}), ("AdaptiveMaxPool1d", (2,), {}),
    ("AdaptiveAvgPool1d", (5,), {}),
    ("UpsamplingNearest2d", (), {"scale_factor": 2}), ("GLU", (1,), {}), ("Hardshrink", (0.3,), {}),
    ("Softshrink", (), {}), ("Softmax2d", (), {}), ("RMSNorm", (6,), {}), ("ZeroPad1d", ((2, 1),), {}),
    ("ConstantPad1d", (2, -1.0), {}),
]


@pytest.mark.parametrize("name, args, kwargs", LAYERS,
                         ids=[n + "".join(f"-{v}" for v in kw.values()) for n, _, kw in LAYERS])
def test_layers_equal_pytorch(name, args, kwargs):
    ours = getattr(minigan.nn, name)(*args, **kwargs).double()
    theirs = getattr(torch.nn, name)(*args, **kwargs).double()
    for k, v in theirs.state_dict().items():  # the same parameters (PReLU's 0.25, LayerNorm's 1 and 0, ...)
        np.testing.assert_array_equal(np.asarray(ours.state_dict()[k]), v.detach().numpy())
    data = X[:, :, 0] if name.startswith("Adaptive") and name.endswith("1d") else X  # (N, C, L) for those
    x = minigan.tensor(data, dtype=minigan.float64, requires_grad=True)
    tx = torch.tensor(data, requires_grad=True)
    y, ty = ours(x), theirs(tx)
    assert repr(ours) == repr(theirs) or not name.startswith("Adaptive")
    np.testing.assert_allclose(y.detach().numpy(), ty.detach().numpy(), rtol=1e-6, atol=1e-12)
    y.sum().backward()
    ty.sum().backward()
    np.testing.assert_allclose(x.grad.detach().numpy(), tx.grad.detach().numpy(), rtol=1e-6, atol=1e-9)


def test_loss_layers_and_conv1d_equal_pytorch():
    x, y = minigan.tensor(X, dtype=minigan.float64), minigan.tensor(Y, dtype=minigan.float64)
    tx, ty = torch.tensor(X), torch.tensor(Y)
    for name, kwargs in [("SmoothL1Loss", {"beta": 0.3}), ("HuberLoss", {"delta": 0.7}), ("SoftMarginLoss", {}),
                         ("HingeEmbeddingLoss", {"margin": 0.5}), ("PoissonNLLLoss", {}),
                         ("MultiLabelSoftMarginLoss", {})]:
        signed = name in ("SoftMarginLoss", "HingeEmbeddingLoss")
        target, ttarget = (y.sign(), ty.sign()) if signed else (y.abs(), ty.abs())
        np.testing.assert_allclose(getattr(minigan.nn, name)(**kwargs)(x, target).item(),
                                   getattr(torch.nn, name)(**kwargs)(tx, ttarget).item(), rtol=1e-12)
    conv = minigan.nn.Conv1d(4, 3, 3, padding=1).double()
    tconv = torch.nn.Conv1d(4, 3, 3, padding=1).double()
    assert conv.weight.shape == tuple(tconv.weight.shape) and conv.bias.shape == tuple(tconv.bias.shape)
    with torch.no_grad():
        tconv.weight.copy_(torch.tensor(conv.weight.detach().numpy()))
        tconv.bias.copy_(torch.tensor(conv.bias.detach().numpy()))
    np.testing.assert_allclose(conv(x[:, :, 0]).detach().numpy(), tconv(tx[:, :, 0]).detach().numpy(), rtol=1e-10)
    bound = 1 / np.sqrt(4 * 3)  # PyTorch's default init bound for Conv1d(4, ., 3)
    assert np.abs(conv.weight.detach().numpy()).max() <= bound


@pytest.mark.parametrize("legacy", [dict(size_average=False), dict(reduce=False), dict(size_average=True),
                                    dict(size_average=False, reduce=True)])
@pytest.mark.parametrize("name", ["mse_loss", "l1_loss", "nll_loss", "cross_entropy", "binary_cross_entropy",
                                  "binary_cross_entropy_with_logits"])
def test_pytorchs_legacy_reduction_arguments(name, legacy):
    x = np.random.default_rng(3).uniform(0.1, 0.9, (4, 3))
    target = np.array([0, 2, 1, 2]) if name in ("nll_loss", "cross_entropy") else np.round(x[::-1].copy())

    def call(lib, f):
        t = lib.tensor(target) if target.dtype.kind == "i" else lib.tensor(target, dtype=lib.float64)
        return getattr(f, name)(lib.tensor(x, dtype=lib.float64), t, **legacy).detach().numpy()

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # PyTorch warns that the arguments are deprecated
        np.testing.assert_allclose(call(minigan, F), call(torch, TF), rtol=1e-12)
