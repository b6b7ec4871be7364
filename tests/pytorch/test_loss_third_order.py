"""Every differentiable loss and distance with each of its tensor arguments requiring grad, to third order, against
PyTorch float64: the gradient of every argument, then of their weighted sum again, twice (create_graph), each
compared by value and requires_grad.  A loss whose second derivative is written as a node of its own must keep
every operand it reads differentiable there, so that the third order sees it (binary_cross_entropy's target
derivative was once computed from the probabilities' raw array: d³/dp²dt was lost)."""

import numpy as np
import pytest

import minigan

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

# name: (call(F, *tensors), what each tensor holds: real, prob (in (0, 1)), pos (> 0), sign (±1, no gradient))
LOSSES = {
    "binary_cross_entropy": (lambda F, p, t: F.binary_cross_entropy(p, t), ["prob", "prob"]),
    "binary_cross_entropy sum": (lambda F, p, t: F.binary_cross_entropy(p, t, reduction="sum"), ["prob", "prob"]),
    "binary_cross_entropy none": (lambda F, p, t: F.binary_cross_entropy(p, t, reduction="none"), ["prob", "prob"]),
    "binary_cross_entropy weight": (lambda F, p, t, w: F.binary_cross_entropy(p, t, weight=w),
                                    ["prob", "prob", "pos"]),
    "binary_cross_entropy_with_logits": (lambda F, x, t: F.binary_cross_entropy_with_logits(x, t), ["real", "prob"]),
    "binary_cross_entropy_with_logits pos_weight": (
        lambda F, x, t, w: F.binary_cross_entropy_with_logits(x, t, pos_weight=w), ["real", "prob", "pos"]),
    "mse_loss": (lambda F, a, b: F.mse_loss(a, b), ["real", "real"]),
    "l1_loss": (lambda F, a, b: F.l1_loss(a, b), ["real", "real"]),
    "smooth_l1_loss": (lambda F, a, b: F.smooth_l1_loss(a, b, beta=0.7), ["real", "real"]),
    "huber_loss": (lambda F, a, b: F.huber_loss(a, b, delta=0.7, reduction="sum"), ["real", "real"]),
    "kl_div": (lambda F, a, b: F.kl_div(a, b, reduction="batchmean"), ["real", "prob"]),
    "kl_div log_target": (lambda F, a, b: F.kl_div(a, b, log_target=True), ["real", "real"]),
    "cross_entropy probabilities": (lambda F, a, b: F.cross_entropy(a, b), ["real", "prob"]),
    "poisson_nll_loss": (lambda F, a, b: F.poisson_nll_loss(a, b), ["real", "pos"]),
    "poisson_nll_loss not log": (lambda F, a, b: F.poisson_nll_loss(a, b, log_input=False), ["pos", "pos"]),
    "gaussian_nll_loss": (lambda F, a, b, v: F.gaussian_nll_loss(a, b, v), ["real", "real", "pos"]),
    "soft_margin_loss": (lambda F, a, b: F.soft_margin_loss(a, b), ["real", "sign"]),
    "multilabel_soft_margin_loss": (lambda F, a, b: F.multilabel_soft_margin_loss(a, b), ["real", "prob"]),
    "margin_ranking_loss": (lambda F, a, b, s: F.margin_ranking_loss(a, b, s, margin=0.1), ["real", "real", "sign"]),
    "hinge_embedding_loss": (lambda F, a, s: F.hinge_embedding_loss(a, s), ["real", "sign"]),
    "cosine_embedding_loss": (lambda F, a, b: F.cosine_embedding_loss(a, b, torch_sign(F, a)), ["real", "real"]),
    "triplet_margin_loss": (lambda F, a, b, c: F.triplet_margin_loss(a, b, c), ["real", "real", "real"]),
    "cosine_similarity": (lambda F, a, b: F.cosine_similarity(a, b), ["real", "real"]),
    "pairwise_distance": (lambda F, a, b: F.pairwise_distance(a, b), ["real", "real"]),
    "dist": (lambda F, a, b: (torch if F is torch.nn.functional else minigan).dist(a, b), ["real", "real"]),
}


def torch_sign(F, a):
    lib = torch if F is torch.nn.functional else minigan
    return lib.tensor([1.0, -1.0, 1.0], dtype=lib.float64)


def _arrays(kinds, seed):
    rng = np.random.default_rng(seed)
    out = []
    for kind in kinds:
        a = rng.normal(size=(3, 4))
        out.append({"real": a, "prob": 1 / (1 + np.exp(-a)), "pos": np.abs(a) + 0.2,
                    "sign": np.where(a > 0, 1.0, -1.0)}[kind])
    return out


def _orders(lib, call, arrays, kinds, seed):
    """Value and requires_grad of each argument's gradient at orders 1, 2 and 3 (None where unused)."""
    F = lib.nn.functional
    xs = [lib.tensor(a, dtype=lib.float64, requires_grad=k != "sign") for a, k in zip(arrays, kinds)]
    wrt = [x for x, k in zip(xs, kinds) if k != "sign"]
    try:
        out = call(F, *xs)
    except RuntimeError as e:  # (PyTorch refuses some arguments that require grad: minigan must too)
        return ("refused", RuntimeError.__name__, str(e)[:80])
    rng = np.random.default_rng(seed + 1)
    ys, seen = [out], []
    for _ in range(3):
        ws = [lib.tensor(rng.normal(size=tuple(y.shape)), dtype=lib.float64) for y in ys]
        gs = lib.autograd.grad(ys, wrt, grad_outputs=ws, create_graph=True, allow_unused=True)
        seen.append([None if g is None else (np.array(_numpy(g)), g.requires_grad) for g in gs])
        ys = [g for g in gs if g is not None and g.requires_grad]
        if not ys:
            break
    return seen


def _numpy(g):
    return g.detach().numpy(force=True) if isinstance(g, torch.Tensor) else g.detach().numpy()


@pytest.mark.parametrize("name", sorted(LOSSES))
def test_loss_to_third_order_matches_pytorch(name):
    call, kinds = LOSSES[name]
    arrays = _arrays(kinds, 7)
    want = _orders(torch, call, arrays, kinds, 7)
    got = _orders(minigan, call, arrays, kinds, 7)
    if want[0] == "refused" or got[0] == "refused":
        assert got[:2] == want[:2], (got, want)
        return
    assert len(got) == len(want), (got, want)
    for order, (g_order, w_order) in enumerate(zip(got, want), 1):
        for i, (g, w) in enumerate(zip(g_order, w_order)):
            assert (g is None) == (w is None), (order, i)
            if w is not None:
                np.testing.assert_allclose(g[0], w[0], rtol=1e-7, atol=1e-9, err_msg=f"order {order}, argument {i}")
                assert g[1] == w[1], f"order {order}, argument {i}: requires_grad {g[1]}, PyTorch's {w[1]}"
