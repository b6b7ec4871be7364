"""The functions of torch.nn.functional composed from minigan's ops, by their own properties (without PyTorch;
tests/pytorch/test_functional_surface.py compares them with PyTorch): every one's first derivatives against finite
differences in float64 (gradcheck), and second derivatives for the compositions that have one worth checking."""

import minigan.nn.functional as F
import numpy as np
import pytest

import minigan

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



# Cases built where finite differences cannot follow the derivative, each with the reason
ON_A_KINK = {"adaptive_max_pool2d_ties": "x.relu().round(): ties and zeros in every window",
             "gaussian_nll_loss": "variances of 0, clamped to eps = 1e-6: a curvature of 1/eps in the input"}


# Cases whose input keeps its size: the shapes it must have (normalized or shuffled dimensions, even halves for
# glu), or a constant of the full size inside the function (a target, a variance)
FULL_SIZE = {"group_norm", "layer_norm", "layer_norm_affine", "rms_norm", "pixel_shuffle", "pixel_unshuffle", "glu",
             "gaussian_nll_loss", "hinge_embedding_loss", "margin_ranking_loss", "poisson_nll_loss",
             "poisson_nll_loss_rates"}


def _small(name, array):
    """A smaller input where the shapes allow it (gradcheck differentiates by every element)."""
    return array[..., :3].copy() if array.ndim == 4 and name not in FULL_SIZE else array.copy()


@pytest.mark.parametrize("name", sorted(set(CASES) - set(ON_A_KINK)))
def test_gradcheck(name):
    fn, arrays = CASES[name]
    ts = [minigan.tensor(_small(name, a), requires_grad=True, dtype=minigan.float64) for a in arrays]
    assert minigan.gradcheck(lambda *t: fn(F, minigan, *t), ts)


@pytest.mark.parametrize("name", ["mish", "gelu_tanh", "gelu", "layer_norm", "group_norm", "huber_loss",
                                  "kl_div_batchmean", "cosine_similarity", "selu"])
def test_second_order_gradients(name):
    fn, arrays = CASES[name]
    small = name not in ("group_norm", "layer_norm")  # a smaller input, where the shapes allow it
    ts = [minigan.tensor(a[..., :3].copy() if a.ndim == 4 and small else a.copy(), requires_grad=True,
                         dtype=minigan.float64) for a in arrays]
    assert minigan.gradgradcheck(lambda *t: fn(F, minigan, *t), ts)


