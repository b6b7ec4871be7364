"""PyTorch's nn vocabulary on minigan, against closed forms: nll of log_softmax is cross_entropy and l1 the mean
absolute error, max pool's gradient goes to the first maximum, avg pool is the window mean and pools check their
arguments, keep float32 and do not alias, Upsample copies each pixel into a block, Dropout2d drops whole channels,
``Module.apply`` initialises the tutorial's way, load_state_dict reports missing and unexpected keys,
``minigan.load(map_location=...)``, and ``viz.save_image`` writes torchvision's grid.

(Its comparisons with PyTorch: tests/pytorch/test_nn_fluency.py.)"""

import matplotlib.image as mpimg
import numpy as np
import pytest

import minigan
import minigan.functional as F
from library.helpers_nn_fluency import LABELS, LOGITS, Net, X, Y, leaf
from minigan import nn, viz
from minigan.engine import backend


def test_nll_of_log_softmax_is_cross_entropy_and_l1_is_mean_abs():
    x = minigan.tensor(LOGITS)
    np.testing.assert_allclose(F.nll_loss(F.log_softmax(x, 1), LABELS).item(), F.cross_entropy(x, LABELS).item(),
                               rtol=1e-12)
    np.testing.assert_allclose(F.l1_loss(minigan.tensor(X), minigan.tensor(Y)).item(), np.abs(X - Y).mean(),
                               rtol=1e-12)
    with pytest.raises(ValueError, match="label 4 is out of range for 4 classes"):
        F.nll_loss(x, np.array([0, 1, 2, 3, 4]))
    one = minigan.tensor(X[0])  # one sample's (C,) scores take a 0-d label or a (1,) one, as PyTorch's forward
    assert F.nll_loss(one, np.array([2])).item() == F.nll_loss(one, minigan.tensor(2)).item() == -X[0, 2]
    with pytest.raises(minigan.ShapeError, match=r"nll_loss: the scores of one sample, shape \(4,\), take one label"):
        F.nll_loss(one, np.array([0, 1]))
    with pytest.raises(ValueError, match="reduction must be"):
        nn.MSELoss(reduction="avg")


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
    with pytest.raises(TypeError, match="must be a floating-point tensor"):  # (PyTorch's max pool takes integers,
        F.max_pool2d(minigan.tensor(x.astype(bool)), 2)  # not bools: "not implemented for 'Bool'")
    pooled = F.max_pool2d(minigan.tensor(x.astype(np.int64)), 2)
    assert pooled.dtype == minigan.int64 and pooled.numpy()[0, 0].tolist() == [[5, 7], [13, 15]]


def test_pools_keep_float32_and_do_not_alias_the_input(xp_backend):
    x = minigan.randn(2, 3, 4, 4, requires_grad=True)
    for y in (F.max_pool2d(x, 2), F.avg_pool2d(x, 2), F.max_pool2d(x, 1), F.interpolate(x, scale_factor=2)):
        assert y.dtype == np.float32 and y.array is not x.array
    F.max_pool2d(x, 1).sum().backward()
    np.testing.assert_array_equal(backend.asnumpy(x.grad.array), np.ones((2, 3, 4, 4)))


def test_upsample_copies_each_pixel_into_a_block_and_refuses_what_it_does_not_do():
    x = minigan.tensor(np.array([[[[1.0, 2.0], [3.0, 4.0]]]]), requires_grad=True)
    y = nn.Upsample(scale_factor=2)(x)
    np.testing.assert_array_equal(y.detach().numpy()[0, 0], [[1, 1, 2, 2], [1, 1, 2, 2], [3, 3, 4, 4], [3, 3, 4, 4]])
    y.sum().backward()
    np.testing.assert_array_equal(x.grad.detach().cpu().numpy(), np.full((1, 1, 2, 2), 4.0))  # four copies each
    with pytest.raises(NotImplementedError, match="mode must be one of"):  # (PyTorch's class)
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


def test_load_state_dict_reports_missing_and_unexpected_keys():
    net = Net(nn)
    state = net.state_dict()
    del state["head.1.bias"]
    state["head.2.weight"] = np.zeros(1, np.float32)
    missing, unexpected = net.load_state_dict(state, strict=False)
    assert (missing, unexpected) == (["head.1.bias"], ["head.2.weight"])
    with pytest.raises(ValueError, match="first missing key 'head.1.bias'"):
        net.load_state_dict(state)
    older = {k: v for k, v in net.state_dict().items() if not k.endswith("num_batches_tracked")}  # a checkpoint
    assert net.load_state_dict(older) == ([], [])  # from before the counter (no versions in it): loads, as PyTorch
    newer = net.state_dict()  # (whose versions say the counter belongs in it: missing, as PyTorch's)
    del newer["features.1.num_batches_tracked"]
    assert net.load_state_dict(newer, strict=False) == (["features.1.num_batches_tracked"], [])
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
    with pytest.raises(RuntimeError, match="map_location must be None, 'cpu' or 'cuda'"):  # (PyTorch's class)
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
