"""The functions and layers of torch.nn.functional / torch.nn composed from minigan's ops: values and
gradients equal to PyTorch's (float64), gradcheck and gradgradcheck of the composition."""

import warnings

import minigan.nn.functional as F
import numpy as np
import pytest

import minigan

torch = pytest.importorskip("torch")
TF = torch.nn.functional

rng = np.random.default_rng(0)
X = rng.standard_normal((3, 4, 4, 6)) * 2  # (N, C, H, W)
Y = rng.standard_normal((3, 4, 4, 6))
P = np.abs(rng.standard_normal((3, 5))) + 0.1
P = P / P.sum(1, keepdims=True)  # probabilities
W4 = rng.standard_normal(4)
B4 = rng.standard_normal(4)

CASES = {  # name: (function of (lib's functional, lib, *tensors), arrays)
    "silu": (lambda f, m, x: f.silu(x), [X]),
    "mish": (lambda f, m, x: f.mish(x), [X]),
    "gelu_tanh": (lambda f, m, x: f.gelu(x, approximate="tanh"), [X]),
    "gelu": (lambda f, m, x: f.gelu(x), [X * 4]),
    "softsign": (lambda f, m, x: f.softsign(x), [X]),
    "hardtanh": (lambda f, m, x: f.hardtanh(x, -1.5, 2.0), [X]),
    "relu6": (lambda f, m, x: f.relu6(x * 4), [X]),
    "hardsigmoid": (lambda f, m, x: f.hardsigmoid(x * 2), [X]),
    "hardswish": (lambda f, m, x: f.hardswish(x * 2), [X]),
    "logsigmoid": (lambda f, m, x: f.logsigmoid(x * 10), [X]),
    "tanhshrink": (lambda f, m, x: f.tanhshrink(x), [X]),
    "softmin": (lambda f, m, x: f.softmin(x, dim=1), [X]),
    "selu": (lambda f, m, x: f.selu(x), [X]),
    "celu": (lambda f, m, x: f.celu(x, alpha=0.7), [X]),
    "threshold": (lambda f, m, x: f.threshold(x, 0.3, -2.0), [X]),
    "prelu": (lambda f, m, x, w: f.prelu(x, w), [X, W4]),
    "normalize": (lambda f, m, x: f.normalize(x, dim=1), [X]),
    "cosine_similarity": (lambda f, m, x, y: f.cosine_similarity(x, y, dim=1), [X, Y]),
    "pairwise_distance": (lambda f, m, x, y: f.pairwise_distance(x, y), [X, Y]),
    "layer_norm": (lambda f, m, x: f.layer_norm(x, (4, 6)), [X]),
    "layer_norm_affine": (lambda f, m, x, w, b: f.layer_norm(x, (4,), w, b), [X.transpose(0, 2, 3, 1), W4, B4]),
    "group_norm": (lambda f, m, x, w, b: f.group_norm(x, 2, w, b), [X, W4, B4]),
    "instance_norm": (lambda f, m, x: f.instance_norm(x), [X]),
    "smooth_l1_loss": (lambda f, m, x, y: f.smooth_l1_loss(x, y, beta=0.5), [X, Y]),
    "smooth_l1_loss_sum": (lambda f, m, x, y: f.smooth_l1_loss(x, y, reduction="sum"), [X, Y]),
    "huber_loss": (lambda f, m, x, y: f.huber_loss(x, y, delta=1.5), [X, Y]),
    "huber_loss_none": (lambda f, m, x, y: f.huber_loss(x, y, reduction="none"), [X, Y]),
    "kl_div_batchmean": (lambda f, m, x, t: f.kl_div(f.log_softmax(x, 1), t, reduction="batchmean"), [P * 3, P]),
    "kl_div_log_target": (lambda f, m, x, t: f.kl_div(x, t.log(), reduction="sum", log_target=True),
                          [np.log(P[::-1].copy()), P]),
    "soft_margin_loss": (lambda f, m, x, y: f.soft_margin_loss(x, y.detach().sign()), [X, Y]),
    "pixel_shuffle": (lambda f, m, x: f.pixel_shuffle(x, 2), [X]),
    "pixel_unshuffle": (lambda f, m, x: f.pixel_unshuffle(x, 2), [X]),
    "adaptive_avg_pool2d": (lambda f, m, x: f.adaptive_avg_pool2d(x, (2, 3)), [X]),
    "adaptive_avg_pool2d_global": (lambda f, m, x: f.adaptive_avg_pool2d(x, 1), [X]),
    "adaptive_avg_pool2d_overlapping": (lambda f, m, x: f.adaptive_avg_pool2d(x, (3, 4)), [X]),
    "adaptive_avg_pool2d_larger": (lambda f, m, x: f.adaptive_avg_pool2d(x, (5, None)), [X]),
    "adaptive_max_pool2d": (lambda f, m, x: f.adaptive_max_pool2d(x, (3, 4)), [X]),
    "adaptive_max_pool2d_ties": (lambda f, m, x: f.adaptive_max_pool2d(x.relu().round(), (3, 5)), [X]),
    "adaptive_avg_pool1d": (lambda f, m, x: f.adaptive_avg_pool1d(x[:, :, 0], 4), [X]),
    "adaptive_max_pool1d": (lambda f, m, x: f.adaptive_max_pool1d(x[:, :, 0], 4), [X]),
    "conv1d": (lambda f, m, x, w: f.conv1d(x, w, stride=2, padding=1), [X[:, :, 0, :], rng.standard_normal((5, 4, 3))]),
    "max_pool1d": (lambda f, m, x: f.max_pool1d(x, 2), [X[:, :, 0, :]]),
    "avg_pool1d": (lambda f, m, x: f.avg_pool1d(x, 3, stride=1, padding=1), [X[:, :, 0, :]]),
    "glu": (lambda f, m, x: f.glu(x, dim=-1), [X]),
    "hardshrink": (lambda f, m, x: f.hardshrink(x, 0.7), [X]),
    "softshrink": (lambda f, m, x: f.softshrink(x, 0.7), [X]),
    "rms_norm": (lambda f, m, x, w: f.rms_norm(x, (4,), w), [X.transpose(0, 2, 3, 1), W4]),
    "margin_ranking_loss": (lambda f, m, x, y: f.margin_ranking_loss(x, y, m.tensor(np.sign(Y)), margin=0.3), [X, Y]),
    "hinge_embedding_loss": (lambda f, m, x: f.hinge_embedding_loss(x, m.tensor(np.sign(Y)), margin=0.8), [X]),
    "cosine_embedding_loss": (lambda f, m, x, y: f.cosine_embedding_loss(
        x, y, m.tensor(np.array([1.0, -1.0, 1.0, -1.0])), margin=0.1), [X[0, :, :, 0].T, Y[0, :, :, 0].T]),
    "triplet_margin_loss": (lambda f, m, a, p: f.triplet_margin_loss(a, p, a * 0.5 + 1.0, margin=2.0),
                            [X[0, 0], Y[0, 0]]),
    "triplet_margin_loss_swap": (lambda f, m, a, p: f.triplet_margin_loss(a, p, -a, swap=True), [X[0, 0], Y[0, 0]]),
    "gaussian_nll_loss": (lambda f, m, x, v: f.gaussian_nll_loss(x, m.tensor(Y), v, full=True),
                          [X, np.abs(Y) * (np.abs(Y) > 0.2)]),
    "poisson_nll_loss": (lambda f, m, x: f.poisson_nll_loss(x, m.tensor(np.round(np.abs(Y) * 3)), full=True), [X]),
    "poisson_nll_loss_rates": (lambda f, m, x: f.poisson_nll_loss(x, m.tensor(np.abs(Y)), log_input=False),
                               [np.abs(X) + 0.1]),
    "multilabel_soft_margin_loss": (lambda f, m, x: f.multilabel_soft_margin_loss(
        x, m.tensor((Y[:, 0, 0] > 0).astype(np.float64))), [X[:, 0, 0]]),
}


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


@pytest.mark.parametrize("name", ["mish", "gelu_tanh", "gelu", "layer_norm", "group_norm", "huber_loss",
                                  "kl_div_batchmean", "cosine_similarity", "selu"])
def test_second_order_gradients(name):
    fn, arrays = CASES[name]
    small = name not in ("group_norm", "layer_norm")  # a smaller input, where the shapes allow it
    ts = [minigan.tensor(a[..., :3].copy() if a.ndim == 4 and small else a.copy(), requires_grad=True,
                         dtype=minigan.float64) for a in arrays]
    assert minigan.gradgradcheck(lambda *t: fn(F, minigan, *t), ts)


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


def test_containers_register_their_members():
    d = minigan.nn.ModuleDict({"a": minigan.nn.Linear(2, 3), "b": minigan.nn.Linear(3, 1)})
    assert list(d) == ["a", "b"] and "a" in d and len(d) == 2 and len(list(d.parameters())) == 4
    assert [k for k in d.state_dict()] == ["a.weight", "a.bias", "b.weight", "b.bias"]
    pl = minigan.nn.ParameterList([minigan.zeros(2), minigan.ones(3)])
    assert len(pl) == 2 and pl[1].shape == (3,) and len(list(pl.parameters())) == 2


def test_unprovided_variants_say_what_to_use():
    with pytest.raises(ValueError, match="approximate must be 'none' or 'tanh'"):
        minigan.nn.GELU("erf")(minigan.zeros(2))
    with pytest.raises(ValueError, match="delta must be > 0"):
        F.huber_loss(minigan.zeros(2), minigan.zeros(2), delta=0)


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


def test_dropout1d_drops_whole_channels():
    minigan.manual_seed(0)
    x = minigan.ones(8, 16, 5)
    y = F.dropout1d(x, p=0.5).detach().numpy()
    per_channel = y.reshape(8, 16, 5)
    assert set(np.unique(per_channel)) <= {0.0, 2.0} and 0 < (per_channel == 0).mean() < 1
    assert (per_channel.min(axis=2) == per_channel.max(axis=2)).all()  # a channel is kept or dropped as a whole
    assert F.dropout1d(x, 0.5, training=False) is x and F.dropout1d(minigan.ones(16, 5), 0.5).shape == (16, 5)
