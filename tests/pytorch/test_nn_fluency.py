"""PyTorch's nn vocabulary on minigan: loss modules, pooling and upsampling, Dropout2d, ELU, Softmax,
``inplace=``, ``Module.apply/children/modules``, ``load_state_dict`` (its return value, a PyTorch BatchNorm
state), ``minigan.load(map_location=...)`` and ``viz.save_image``.

Each is compared with PyTorch (same inputs, same outputs and gradients) when it is installed, and checked
against a closed form otherwise.  Second derivatives of the new ops are in test_higher_order.py.


(Its torch-free tests: tests/library/test_nn_fluency.py.)"""

import numpy as np
import pytest
from library.helpers_nn_fluency import LABELS, LOGITS, RNG, Net, X, Y, leaf

import minigan
import minigan.functional as F
from minigan import nn
from pytorch.oracle import HAVE_TORCH

if HAVE_TORCH:
    import torch
    import torch.nn.functional as TF

needs_torch = pytest.mark.skipif(not HAVE_TORCH, reason="needs torch (a test-only oracle)")


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


@pytest.mark.skipif(not HAVE_TORCH, reason="needs torch (a test-only oracle)")
def test_module_has_no_public_attribute_pytorchs_lacks():
    """What minigan's Module adds to PyTorch's is private: a subclass may set any other name as it would there."""
    import torch.nn

    extra = {n for n in dir(minigan.nn.Module) if not n.startswith("_")} - set(dir(torch.nn.Module))
    assert not extra, sorted(extra)
