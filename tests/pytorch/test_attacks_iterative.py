"""BIM and PGD (Kurakin et al. 2017; Madry et al. 2018) and PGD adversarial training.

(Its torch-free tests: tests/library/test_attacks_iterative.py.)"""

import pytest
from library.helpers_attacks_iterative import SmallConv

import minigan
from minigan.attacks import bim, pgd
from minigan.engine.backend import np


# ----------------------------------------------------------------------------- an independent reference
@pytest.mark.parametrize("targeted", [False, True])
def test_bim_and_pgd_equal_pytorch_on_a_small_conv_net(targeted):
    torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")  # (independent of minigan's)

    minigan.manual_seed(0)
    model = SmallConv((1, 6, 6), 4)
    model.double()  # float64 weights: no sign flips from rounding
    state = {k: np.asarray(v) for k, v in model.state_dict().items()}
    assert state["conv.weight"].dtype == np.float64
    x = np.random.default_rng(1).random((10, 1, 6, 6))  # float64
    y = np.arange(10) % 4
    eps, alpha, steps, restarts, seed = 0.15, 0.04, 6, 3, 11

    conv_w, conv_b = torch.tensor(state["conv.weight"]), torch.tensor(state["conv.bias"])
    fc_w, fc_b = torch.tensor(state["fc.weight"]), torch.tensor(state["fc.bias"])

    def net(t):
        h = torch.relu(torch.nn.functional.conv2d(t, conv_w, conv_b, padding=1))
        return h.flatten(1) @ fc_w.T + fc_b

    def losses(t):
        return torch.nn.functional.cross_entropy(net(t), torch.tensor(y), reduction="none")

    def attack(start):
        xt, xa = torch.tensor(x), start.clone()
        for _ in range(steps):
            xa.requires_grad_(True)
            (g,) = torch.autograd.grad(losses(xa).sum(), xa)
            xa = xa.detach() + (-alpha if targeted else alpha) * g.sign()
            xa = torch.clamp(torch.min(torch.max(xa, xt - eps), xt + eps), 0.0, 1.0)
        return xa.detach()

    want_bim = attack(torch.tensor(x)).detach().cpu().numpy()
    torch.manual_seed(seed)  # (minigan.manual_seed(seed) gives PyTorch's stream: the same random starts)
    best, best_j = None, None
    for _ in range(restarts):
        noise = torch.rand(x.shape, dtype=torch.float64).numpy() * (2 * eps) - eps
        start = torch.clamp(torch.min(torch.max(torch.tensor(x + noise), torch.tensor(x) - eps),
                                      torch.tensor(x) + eps), 0.0, 1.0)
        xa = attack(start)
        j = losses(xa).detach().cpu().numpy() * (-1 if targeted else 1)
        if best is None:
            best, best_j = xa.detach().cpu().numpy(), j
        else:
            best = np.where((j > best_j)[:, None, None, None], xa.detach().cpu().numpy(), best)
            best_j = np.maximum(j, best_j)

    got_bim = bim(model, x, y, eps, step_size=alpha, steps=steps, targeted=targeted).detach().cpu().numpy()
    minigan.manual_seed(seed)
    got_pgd = pgd(model, x, y, eps, step_size=alpha, steps=steps, restarts=restarts, targeted=targeted).detach().numpy()
    assert got_bim.dtype == np.float64
    np.testing.assert_allclose(got_bim, want_bim, rtol=0, atol=1e-12)
    np.testing.assert_allclose(got_pgd, best, rtol=0, atol=1e-12)
