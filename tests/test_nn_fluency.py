"""PyTorch's nn vocabulary on minigan: loss modules, pooling and upsampling, Dropout2d, ELU, Softmax,
``inplace=``, ``Module.apply/children/modules``, ``load_state_dict`` (its return value, a PyTorch BatchNorm
state), ``minigan.load(map_location=...)`` and ``viz.save_image``.

Each is compared with PyTorch (same inputs, same outputs and gradients) when it is installed, and checked
against a closed form otherwise.  Second derivatives of the new ops are in test_higher_order.py.
"""

import matplotlib.image as mpimg
import numpy as np
import pytest
from conftest import HAVE_TORCH

import minigan
import minigan.functional as F
from minigan import nn, viz
from minigan.engine import backend

if HAVE_TORCH:
    import torch
    import torch.nn.functional as TF

needs_torch = pytest.mark.skipif(not HAVE_TORCH, reason="needs torch (a test-only oracle)")


def leaf(a):
    return minigan.tensor(np.asarray(a, dtype=np.float64), requires_grad=True)


def tleaf(a):
    return torch.tensor(np.asarray(a, dtype=np.float64), requires_grad=True)


def value_and_grads(fn, arrays, weight, torch_side=False):
    """fn(*inputs), and the gradients of ⟨fn(*inputs), weight⟩ with respect to every input."""
    xs = [tleaf(a) for a in arrays] if torch_side else [leaf(a) for a in arrays]
    y = fn(*xs)
    if torch_side:
        (y * torch.tensor(weight)).sum().backward()
        return y.detach().cpu().numpy(), [x.grad.detach().cpu().numpy() for x in xs]
    (y * minigan.tensor(weight, dtype=np.float64)).sum().backward()
    return y.detach().cpu().numpy(), [x.grad.detach().cpu().numpy() for x in xs]


def assert_same_as_torch(fn, tfn, arrays, rtol=1e-12, atol=1e-12, seed=0):
    with minigan.no_grad():
        shape = fn(*[minigan.tensor(np.asarray(a, np.float64)) for a in arrays]).shape
    weight = np.random.default_rng(seed).standard_normal(shape)
    y, g = value_and_grads(fn, arrays, weight)
    ty, tg = value_and_grads(tfn, arrays, weight, torch_side=True)
    np.testing.assert_allclose(y, ty, rtol=rtol, atol=atol)
    for a, b in zip(g, tg):
        np.testing.assert_allclose(a, b, rtol=rtol, atol=atol)


# ----------------------------------------------------------------------------- loss modules
RNG = np.random.default_rng(0)
LOGITS, LABELS = RNG.standard_normal((5, 4)), np.array([0, 3, 3, 1, 2])
X, Y = RNG.standard_normal((3, 4)), RNG.standard_normal((3, 4))
P, T = RNG.uniform(0.05, 0.95, (3, 4)), RNG.uniform(0, 1, (3, 4))

LOSSES = {  # name: (inputs, labels or None); the target is the second input unless labels are given
    "BCELoss": ((P, T), None),
    "BCEWithLogitsLoss": ((X, T), None),
    "MSELoss": ((X, Y), None),
    "L1Loss": ((X, Y), None),
    "CrossEntropyLoss": ((LOGITS,), LABELS),
    "NLLLoss": ((np.log(np.exp(LOGITS) / np.exp(LOGITS).sum(1, keepdims=True)),), LABELS),
}


@needs_torch
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("name", sorted(LOSSES))
def test_loss_modules_match_torch(name, reduction):
    arrays, labels = LOSSES[name]
    ours, theirs = getattr(nn, name)(reduction=reduction), getattr(torch.nn, name)(reduction=reduction)
    if labels is None:
        assert_same_as_torch(ours, theirs, arrays)
    else:
        assert_same_as_torch(lambda x: ours(x, labels), lambda x: theirs(x, torch.as_tensor(labels)), arrays)


def test_nll_of_log_softmax_is_cross_entropy_and_l1_is_mean_abs():
    x = minigan.tensor(LOGITS)
    np.testing.assert_allclose(F.nll_loss(F.log_softmax(x, 1), LABELS).item(), F.cross_entropy(x, LABELS).item(),
                               rtol=1e-12)
    np.testing.assert_allclose(F.l1_loss(minigan.tensor(X), minigan.tensor(Y)).item(), np.abs(X - Y).mean(),
                               rtol=1e-12)
    with pytest.raises(ValueError, match="label 4 is out of range for 4 classes"):
        F.nll_loss(x, np.array([0, 1, 2, 3, 4]))
    with pytest.raises(minigan.ShapeError, match=r"nll_loss: the scores of one sample, shape \(4,\), take one label"):
        F.nll_loss(minigan.tensor(X[0]), np.array([0]))  # (one sample's (C,) scores take a 0-d label, as PyTorch)
    with pytest.raises(ValueError, match="reduction must be"):
        nn.MSELoss(reduction="avg")


# ----------------------------------------------------------------------------- pooling, upsampling
POOLS = [  # kernel, stride, padding: non-overlapping, overlapping with padding, rectangular, 1x1
    (2, None, 0), (3, 2, 1), (3, 1, 1), ((2, 3), (1, 2), (1, 1)), (1, 1, 0),
]


@needs_torch
@pytest.mark.parametrize("geometry", POOLS, ids=str)
@pytest.mark.parametrize("name", ["max_pool2d", "avg_pool2d"])
def test_pools_match_torch_including_ties(xp_backend, name, geometry):
    k, s, p = geometry
    # small integers: many ties inside every window, so the max must pick PyTorch's element (the first)
    x = np.random.default_rng(1).integers(0, 3, (2, 3, 7, 8)).astype(np.float64)
    assert_same_as_torch(lambda a: getattr(F, name)(a, k, s, p), lambda a: getattr(TF, name)(a, k, s, p), [x])
    module = nn.MaxPool2d(k, s, p) if name == "max_pool2d" else nn.AvgPool2d(k, s, p)
    reference = torch.nn.MaxPool2d(k, s, p) if name == "max_pool2d" else torch.nn.AvgPool2d(k, s, p)
    assert_same_as_torch(module, reference, [x])


def test_max_pool_sends_the_gradient_to_the_first_maximum(xp_backend):
    x = leaf(np.ones((1, 1, 4, 4)))  # every window is one big tie
    F.max_pool2d(x, 2).sum().backward()
    expected = np.zeros((4, 4))
    expected[::2, ::2] = 1  # the top-left element of each window, and only it
    np.testing.assert_array_equal(x.grad.detach().cpu().numpy()[0, 0], expected)
    x = leaf(np.ones((1, 1, 3, 3)))
    F.max_pool2d(x, 2, stride=1).sum().backward()  # overlapping windows: each sends 1 to its own first element
    np.testing.assert_array_equal(x.grad.detach().cpu().numpy()[0, 0], [[1, 1, 0], [1, 1, 0], [0, 0, 0]])


def test_avg_pool_is_the_window_mean_and_pools_check_their_arguments():
    x = np.arange(16.0).reshape(1, 1, 4, 4)
    np.testing.assert_allclose(F.avg_pool2d(minigan.tensor(x), 2).detach().numpy()[0, 0], [[2.5, 4.5], [10.5, 12.5]])
    np.testing.assert_allclose(F.max_pool2d(minigan.tensor(x), 2).detach().cpu().numpy()[0, 0], [[5, 7], [13, 15]])
    with pytest.raises(ValueError, match=r"max_pool2d: padding \(2, 2\) must be at most half the kernel"):
        F.max_pool2d(minigan.tensor(x), 3, padding=2)
    with pytest.raises(minigan.ShapeError, match=r"avg_pool2d: input must be 4-D \(N, C, H, W\), got shape"):
        F.avg_pool2d(minigan.tensor(x[0, 0]), 2)  # ((C, H, W) is one image, as PyTorch)
    with pytest.raises(minigan.ShapeError, match="kernel 5×5 is larger than the padded input 4×4"):
        nn.MaxPool2d(5)(minigan.tensor(x))
    with pytest.raises(TypeError, match="must be a floating-point tensor"):
        F.max_pool2d(minigan.tensor(x.astype(np.int64)), 2)


def test_pools_keep_float32_and_do_not_alias_the_input(xp_backend):
    x = minigan.randn(2, 3, 4, 4, requires_grad=True)
    for y in (F.max_pool2d(x, 2), F.avg_pool2d(x, 2), F.max_pool2d(x, 1), F.interpolate(x, scale_factor=2)):
        assert y.dtype == np.float32 and y.array is not x.array
    F.max_pool2d(x, 1).sum().backward()
    np.testing.assert_array_equal(backend.asnumpy(x.grad.array), np.ones((2, 3, 4, 4)))


@needs_torch
def test_upsample_and_interpolate_match_torch():
    x = np.random.default_rng(2).standard_normal((2, 3, 3, 4))
    assert_same_as_torch(nn.Upsample(scale_factor=2), torch.nn.Upsample(scale_factor=2), [x])
    assert_same_as_torch(lambda a: F.interpolate(a, size=(9, 8)), lambda a: TF.interpolate(a, size=(9, 8)), [x])
    assert_same_as_torch(lambda a: F.interpolate(a, scale_factor=(1, 3)),
                         lambda a: TF.interpolate(a, scale_factor=(1, 3)), [x])


@needs_torch
@pytest.mark.parametrize("kwargs", [dict(scale_factor=2), dict(scale_factor=2, align_corners=True), dict(size=(9, 4)),
                                    dict(size=(7, 11), align_corners=True), dict(scale_factor=1.7),
                                    dict(scale_factor=(0.5, 2.5)), dict(size=(1, 1)),
                                    dict(scale_factor=1.7, recompute_scale_factor=True)])
def test_bilinear_interpolation_matches_torch(kwargs):
    x = np.random.default_rng(3).standard_normal((2, 3, 5, 7))
    assert_same_as_torch(lambda a: F.interpolate(a, mode="bilinear", **kwargs),
                         lambda a: TF.interpolate(a, mode="bilinear", **kwargs), [x])
    if "size" in kwargs or "scale_factor" in kwargs and isinstance(kwargs["scale_factor"], int):
        align = kwargs.get("align_corners")
        ours = nn.Upsample(kwargs.get("size"), kwargs.get("scale_factor"), mode="bilinear", align_corners=align)
        theirs = torch.nn.Upsample(kwargs.get("size"), kwargs.get("scale_factor"), mode="bilinear", align_corners=align)
        assert_same_as_torch(ours, theirs, [x])
    if kwargs.get("align_corners"):
        assert_same_as_torch(nn.UpsamplingBilinear2d(kwargs.get("size"), kwargs.get("scale_factor")),
                             torch.nn.UpsamplingBilinear2d(kwargs.get("size"), kwargs.get("scale_factor")), [x])


def test_upsample_copies_each_pixel_into_a_block_and_refuses_what_it_does_not_do():
    x = minigan.tensor(np.array([[[[1.0, 2.0], [3.0, 4.0]]]]), requires_grad=True)
    y = nn.Upsample(scale_factor=2)(x)
    np.testing.assert_array_equal(y.detach().numpy()[0, 0], [[1, 1, 2, 2], [1, 1, 2, 2], [3, 3, 4, 4], [3, 3, 4, 4]])
    y.sum().backward()
    np.testing.assert_array_equal(x.grad.detach().cpu().numpy(), np.full((1, 1, 2, 2), 4.0))  # four copies each
    with pytest.raises(ValueError, match="mode must be one of"):
        nn.Upsample(scale_factor=2, mode="trilinear")
    with pytest.raises(NotImplementedError, match="mode for a 4-D input must be one of"):  # (PyTorch's class)
        F.interpolate(x, size=(3, 3), mode="linear")
    with pytest.raises(ValueError, match="align_corners is for the linear and cubic modes only"):
        F.interpolate(x, scale_factor=2, align_corners=True)
    with pytest.raises(ValueError, match="exactly one of size and scale_factor"):
        F.interpolate(x)


# ----------------------------------------------------------------------------- Dropout2d, ELU, Softmax, inplace
def test_dropout2d_drops_whole_channels_and_keeps_the_mean():
    x = minigan.ones(200, 8, 3, 3, requires_grad=True)
    out = nn.Dropout2d(0.25)(x)
    out.sum().backward()
    y = out.detach().cpu().numpy()
    np.testing.assert_array_equal(x.grad.detach().cpu().numpy(), y)  # d(mask·x)/dx = mask, and x = 1
    per_channel = y.reshape(200, 8, 9)
    assert np.all(per_channel.min(axis=2) == per_channel.max(axis=2))  # a channel is kept or dropped whole
    assert set(np.unique(y)) == {0.0, np.float32(1) / np.float32(0.75)}
    assert abs((y == 0).mean() - 0.25) < 0.04  # 1,600 channels: 4 standard deviations is 0.043
    layer = nn.Dropout2d(0.25).eval()
    np.testing.assert_array_equal(layer(x).detach().cpu().numpy(), x.detach().cpu().numpy())
    # other ranks as PyTorch takes them, with its warnings: (N, C, ...) loses whole (sample, channel) slices
    with pytest.raises(minigan.ShapeError, match="at least 2 dimensions"):
        F.dropout2d(minigan.ones(6), 0.5)
    with pytest.warns(UserWarning, match="Received a 2-D input to dropout2d"):
        y2 = F.dropout2d(minigan.ones(200, 50), 0.5).numpy()  # (N, C): element by element
    assert abs((y2 == 0).mean() - 0.5) < 0.02 and len({tuple(row) for row in y2}) > 1
    with pytest.warns(UserWarning, match="Received a 3D input to dropout2d"):
        y3 = F.dropout2d(minigan.ones(100, 8, 5), 0.5).numpy()  # read as (N, C, L): a row of L kept or dropped whole
    assert np.all(y3.min(axis=2) == y3.max(axis=2)) and abs((y3 == 0).mean() - 0.5) < 0.06


@needs_torch
@pytest.mark.parametrize("alpha", [1.0, 0.3])
def test_elu_and_softmax_match_torch(alpha):
    x = np.array([[-2.0, -0.5, 0.0, 0.7], [1.5, -1.0, 2.0, -3.0]])
    assert_same_as_torch(nn.ELU(alpha), torch.nn.ELU(alpha), [x])
    for dim in (0, 1, -1):
        assert_same_as_torch(nn.Softmax(dim=dim), torch.nn.Softmax(dim=dim), [x])


INPLACE_LAYERS = [("ReLU", ()), ("LeakyReLU", (0.2,)), ("ELU", (1.0,)), ("ReLU6", ()), ("Hardtanh", (-0.5, 0.5)),
                  ("CELU", (0.7,)), ("SELU", ()), ("SiLU", ()), ("Mish", ()), ("Hardsigmoid", ()), ("Hardswish", ()),
                  ("Threshold", (0.1, -1.0))]


@needs_torch
@pytest.mark.parametrize("name, args", INPLACE_LAYERS)
def test_inplace_activations_write_into_their_input_as_pytorch(name, args):
    """inplace=True writes into the input tensor (a non-leaf here) and returns it; the gradient flows as PyTorch's."""
    x = np.array([[-1.5, 0.5], [2.0, -0.25]])
    results, reprs = [], []
    for lib in (minigan, torch):
        layer = getattr(lib.nn, name)(*args, inplace=True)
        reprs.append(repr(layer))
        leaf = lib.tensor(x, requires_grad=True)
        h = leaf * 2  # a non-leaf, as in a network (an in-place op on a leaf that requires grad is refused)
        y = layer(h)
        assert y is h
        (y * y).sum().backward()
        results.append((h.detach().cpu().numpy(), leaf.grad.detach().cpu().numpy()))
    assert reprs[0] == reprs[1]
    for u, t in zip(*results):  # (CELU: PyTorch's derivative, from its output, is 5e-8 off the exact exp(x/α))
        np.testing.assert_allclose(u, t, rtol=1e-7)


@needs_torch
@pytest.mark.parametrize("call", [lambda lib, h: lib.nn.functional.leaky_relu(h, 0.2, inplace=True),
                                  lambda lib, h: lib.nn.functional.relu(h, inplace=True),
                                  lambda lib, h: lib.nn.functional.dropout(h, 0.5, inplace=True),
                                  lambda lib, h: lib.nn.Dropout(0.5, inplace=True)(h),
                                  lambda lib, h: lib.nn.functional.relu_(h),
                                  lambda lib, h: lib.nn.functional.threshold_(h, 0.0, 1.0)])
def test_functional_inplace_as_pytorch_and_refused_on_a_leaf(call):
    for lib in (minigan, torch):
        leaf = lib.tensor([[-1.0, 2.0]], requires_grad=True)
        with pytest.raises(RuntimeError):
            call(lib, leaf)
        h = leaf * 1
        assert call(lib, h) is h
        kept = leaf.sigmoid()
        kept_input = kept * 1
        call(lib, kept)  # sigmoid saved its output, now changed: its backward raises, as PyTorch's
        with pytest.raises(RuntimeError):
            kept_input.sum().backward(retain_graph=True)
            kept.sum().backward()


# ----------------------------------------------------------------------------- Module tree
class Net(nn.Module):
    def __init__(self, lib):
        super().__init__()
        self.features = lib.Sequential(lib.Conv2d(1, 2, 3), lib.BatchNorm2d(2), lib.ReLU(), lib.MaxPool2d(2))
        self.head = lib.Sequential(lib.Flatten(), lib.Linear(2, 3))

    def forward(self, x):
        return self.head(self.features(x))


if HAVE_TORCH:
    class TorchNet(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.features = torch.nn.Sequential(torch.nn.Conv2d(1, 2, 3), torch.nn.BatchNorm2d(2), torch.nn.ReLU(),
                                                torch.nn.MaxPool2d(2))
            self.head = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(2, 3))

        def forward(self, x):
            return self.head(self.features(x))


@needs_torch
def test_apply_children_modules_and_state_dict_keys_follow_torch():
    ours, theirs = Net(nn), TorchNet()
    names = [type(m).__name__ for m in ours.modules()]
    assert names == [type(m).__name__.replace("TorchNet", "Net") for m in theirs.modules()]
    assert [type(m).__name__ for m in ours.children()] == [type(m).__name__ for m in theirs.children()]
    visited, tvisited = [], []
    assert ours.apply(lambda m: visited.append(type(m).__name__)) is ours
    theirs.apply(lambda m: tvisited.append(type(m).__name__))
    assert visited == [n.replace("TorchNet", "Net") for n in tvisited]  # children first, the root last
    assert list(ours.state_dict()) == list(theirs.state_dict())  # num_batches_tracked included


def test_apply_initialises_weights_the_tutorial_way():
    def weights_init(m):
        if isinstance(m, nn.Conv2d):
            nn.init.normal_(m.weight, 0.0, 0.02)
        elif isinstance(m, nn.BatchNorm2d):
            nn.init.constant_(m.weight, 1.0)
            nn.init.constant_(m.bias, 0.0)

    minigan.manual_seed(0)
    net = Net(nn).apply(weights_init)
    w = net.features[0].weight.detach().cpu().numpy()
    assert abs(w.std() - 0.02) < 0.015 and abs(w.mean()) < 0.02
    np.testing.assert_array_equal(net.features[1].weight.detach().cpu().numpy(), [1, 1])


@needs_torch
def test_a_torch_batchnorm_state_loads_and_gives_the_same_outputs():
    torch.manual_seed(0)
    theirs = TorchNet()
    with torch.no_grad():
        for _ in range(3):  # training batches move the running statistics and count num_batches_tracked
            theirs(torch.randn(4, 1, 4, 4))
    ours = Net(nn)
    result = ours.load_state_dict(theirs.state_dict())
    assert result == ([], []) and result.missing_keys == [] and result.unexpected_keys == []
    assert int(ours.features[1].num_batches_tracked.item()) == 3
    ours.eval(), theirs.eval()
    x = np.random.default_rng(0).standard_normal((2, 1, 4, 4)).astype(np.float32)
    np.testing.assert_allclose(ours(minigan.tensor(x)).detach().numpy(), theirs(torch.tensor(x)).detach().numpy(),
                               rtol=1e-5, atol=1e-6)
    ours.train()
    ours(minigan.tensor(x))
    theirs.train()
    theirs(torch.tensor(x))
    assert int(ours.features[1].num_batches_tracked.item()) == int(theirs.features[1].num_batches_tracked) == 4
    np.testing.assert_allclose(ours.state_dict()["features.1.running_var"],
                               theirs.state_dict()["features.1.running_var"].detach().cpu().numpy(), rtol=1e-5)


def test_load_state_dict_reports_missing_and_unexpected_keys():
    net = Net(nn)
    state = net.state_dict()
    del state["head.1.bias"]
    state["head.2.weight"] = np.zeros(1, np.float32)
    missing, unexpected = net.load_state_dict(state, strict=False)
    assert (missing, unexpected) == (["head.1.bias"], ["head.2.weight"])
    with pytest.raises(ValueError, match="first missing key 'head.1.bias'"):
        net.load_state_dict(state)
    older = net.state_dict()
    del older["features.1.num_batches_tracked"]  # a checkpoint from before the counter: still loads (as PyTorch)
    assert net.load_state_dict(older) == ([], [])
    older["features.1.num_batches_tracked"] = np.array(2.5)
    with pytest.raises(ValueError, match="holds float64 values in the state dict, but the module's is int64"):
        net.load_state_dict(older)


# ----------------------------------------------------------------------------- I/O
class Device:
    """What a device object offers load (``type``, as torch.device and minigan.device)."""

    def __init__(self, kind):
        self.type = kind


def test_load_accepts_map_location(tmp_path):
    path = tmp_path / "ckpt.npz"
    minigan.save({"w": np.arange(3.0), "n": 2}, path)
    devices = [minigan.device("cpu")] if hasattr(minigan, "device") else []
    for where in (None, "cpu", "cpu:0", Device("cpu"), *devices):
        state = minigan.load(path, map_location=where)
        assert isinstance(state["w"], np.ndarray) and state["n"] == 2
    with pytest.raises(TypeError, match="map_location as a function or a dict"):
        minigan.load(path, map_location=lambda storage, location: storage)
    with pytest.raises(ValueError, match="map_location must be None, 'cpu' or 'cuda'"):
        minigan.load(path, map_location="tpu")
    if backend.cupy_available():
        state = minigan.load(path, map_location="cuda:0")
        assert backend.device_of(state["w"]) == "cuda"
    else:
        with pytest.raises(minigan.BackendError):
            minigan.load(path, map_location="cuda")


def read_png(path):
    return np.round(mpimg.imread(str(path))[..., :3] * 255).astype(int)  # RGB, 0..255


def test_save_image_writes_torchvisions_grid(tmp_path):
    rng = np.random.default_rng(0)
    images = rng.uniform(-1, 1, (10, 1, 5, 4)).astype(np.float32)
    path = viz.save_image(minigan.tensor(images), tmp_path / "grid.png", nrow=4, padding=2, normalize=True,
                          value_range=(-1, 1))
    pixels = read_png(path)
    assert pixels.shape == (3 * (5 + 2) + 2, 4 * (4 + 2) + 2, 3)  # 3 rows of 4, 2-pixel gaps and border
    for k in range(10):
        y, x = divmod(k, 4)
        top, left = 2 + y * 7, 2 + x * 6
        expected = np.floor((images[k, 0] + 1) / 2 * 255 + 0.5)  # value_range → [0, 1] → 8 bits, rounded
        for c in range(3):  # grey: the one channel repeated
            np.testing.assert_array_equal(pixels[top : top + 5, left : left + 4, c], expected)
    assert pixels[0].max() == 0 and pixels[:, 1].max() == 0  # the padding is pad_value 0
    assert pixels[-8:, -8:].max() == 0  # the two empty cells of the last row stay padding


def test_save_image_normalizes_by_min_max_and_a_single_image_is_unpadded(tmp_path):
    image = np.arange(12.0).reshape(3, 2, 2) * 3 + 5  # one RGB image (C, H, W), values 5..38
    path = viz.save_image(image, tmp_path / "one.png", normalize=True)
    pixels = read_png(path)
    assert pixels.shape == (2, 2, 3)
    np.testing.assert_array_equal(pixels, np.floor((image - 5) / 33 * 255 + 0.5).transpose(1, 2, 0))
    clipped = read_png(viz.save_image(np.full((2, 1, 2, 2), 1.7), tmp_path / "clip.png"))
    assert clipped.max() == 255  # without normalize, values above 1 saturate as in torchvision
    with pytest.raises(ValueError, match="expected images"):
        viz.save_image(np.zeros((2, 2, 4, 4)), tmp_path / "bad.png")


# ----------------------------------------------------------------------------- all together, from shared weights
def tutorial_models(lib):
    """A DCGAN-style pair in the tutorials' vocabulary: Upsample + Conv2d + BatchNorm2d + inplace activations
    for G, Conv2d + AvgPool2d/MaxPool2d + Dropout2d(0) + LeakyReLU for D, a Sigmoid head for BCELoss."""
    G = lib.Sequential(lib.Linear(4, 8 * 2 * 2), lib.Unflatten(1, (8, 2, 2)), lib.Upsample(scale_factor=2),
                       lib.Conv2d(8, 4, 3, padding=1), lib.BatchNorm2d(4), lib.ReLU(inplace=True),
                       lib.Upsample(scale_factor=2), lib.Conv2d(4, 1, 3, padding=1), lib.Tanh())
    D = lib.Sequential(lib.Conv2d(1, 4, 3, padding=1), lib.LeakyReLU(0.2, inplace=True), lib.MaxPool2d(2),
                       lib.Dropout2d(0.0), lib.Conv2d(4, 8, 3, padding=1), lib.ELU(inplace=True), lib.AvgPool2d(2),
                       lib.Flatten(), lib.Linear(8 * 2 * 2, 1), lib.Sigmoid())
    return G, D


def gan_losses(lib, G, D, real, noise, steps=4):
    """The tutorial loop: BCELoss, Adam in two param groups, a StepLR, zero_grad/backward/step."""
    criterion = lib.nn.BCELoss()
    opt_d = lib.optim.Adam(D.parameters(), lr=2e-3, betas=(0.5, 0.999))
    opt_g = lib.optim.Adam([{"params": G[0].parameters(), "lr": 1e-3}, {"params": G[3:].parameters()}],
                           lr=2e-3, betas=(0.5, 0.999))
    schedulers = [lib.optim.lr_scheduler.StepLR(opt, step_size=2, gamma=0.5) for opt in (opt_d, opt_g)]
    ones, zeros = lib.ones(real.shape[0], 1), lib.zeros(real.shape[0], 1)
    losses = []
    for _ in range(steps):
        opt_d.zero_grad()
        loss_d = criterion(D(real), ones) + criterion(D(G(noise).detach()), zeros)
        loss_d.backward()
        opt_d.step()
        opt_g.zero_grad()
        loss_g = criterion(D(G(noise)), ones)
        loss_g.backward()
        opt_g.step()
        for scheduler in schedulers:
            scheduler.step()
        losses.append((loss_d.item(), loss_g.item()))
    return losses


@needs_torch
def test_a_dcgan_style_script_matches_torch_from_shared_weights():
    torch.manual_seed(0)
    tG, tD = tutorial_models(torch.nn)
    G, D = tutorial_models(nn)
    for ours, theirs in ((G, tG), (D, tD)):
        assert ours.load_state_dict(theirs.state_dict()) == ([], [])
    rng = np.random.default_rng(0)
    real = rng.uniform(-1, 1, (8, 1, 8, 8)).astype(np.float32)
    noise = rng.standard_normal((8, 4)).astype(np.float32)
    ours = gan_losses(minigan, G, D, minigan.tensor(real), minigan.tensor(noise))
    theirs = gan_losses(torch, tG, tD, torch.tensor(real), torch.tensor(noise))
    np.testing.assert_allclose(ours, theirs, rtol=2e-4, atol=1e-5)
    theirs = {**{f"G.{k}": v for k, v in tG.state_dict().items()}, **{f"D.{k}": v for k, v in tD.state_dict().items()}}
    for name, value in {**{f"G.{k}": v for k, v in G.state_dict().items()},
                        **{f"D.{k}": v for k, v in D.state_dict().items()}}.items():
        if name in ("G.3.bias", "G.4.running_mean"):
            # a conv bias just before BatchNorm has a gradient of exactly 0, so in float32 it is rounding noise
            # and Adam's step (≈ ±lr·sign(g)) follows that noise's sign: it (and the mean it shifts) may differ
            continue
        np.testing.assert_allclose(value, theirs[name].detach().cpu().numpy(), rtol=1e-5, atol=1e-6, err_msg=name)
