"""Parity with PyTorch: the same GAN (the 2-D recipe's MLP G and D, Adam) trained on the same
noise and the same real batches in minigan and in torch gives the same losses and weights.

This rules out a bug in the training step (loss signs, detach/freeze, a stale D graph, Adam) as the
reason for a poor result: whatever the recipe does, torch would do the same.
"""

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from minigan import nn  # noqa: E402
from minigan.gans.recipes import build_experiment  # noqa: E402
from minigan.tensor import Tensor  # noqa: E402

STEPS = 5


def to_torch(seq):
    """A torch.nn.Sequential with the layers and the (copied) weights of a minigan Sequential."""
    layers = []
    for layer in seq:
        if isinstance(layer, nn.Linear):
            t = torch.nn.Linear(layer.in_features, layer.out_features)
            with torch.no_grad():
                t.weight.copy_(torch.from_numpy(layer.weight.numpy()))
                t.bias.copy_(torch.from_numpy(layer.bias.numpy()))
            layers.append(t)
        elif isinstance(layer, nn.LeakyReLU):
            layers.append(torch.nn.LeakyReLU(layer.negative_slope))
        elif isinstance(layer, nn.ReLU):
            layers.append(torch.nn.ReLU())
        else:
            raise AssertionError(f"no torch twin for {type(layer).__name__}")
    return torch.nn.Sequential(*layers)


def torch_gan_step(G, D, opt_g, opt_d, z_d, x, z_g, loss, pack):
    """Algorithm 1 (k = 1) written the plain PyTorch way."""
    bce = torch.nn.functional.binary_cross_entropy_with_logits

    def d(v):
        return D(v.reshape(v.shape[0] // pack, -1))

    real, fake = d(x), d(G(z_d).detach())
    loss_d = bce(real, torch.ones_like(real)) + bce(fake, torch.zeros_like(fake))
    opt_d.zero_grad()
    loss_d.backward()
    opt_d.step()
    for p in D.parameters():
        p.requires_grad_(False)
    out = d(G(z_g))
    loss_g = -bce(out, torch.zeros_like(out)) if loss == "minimax" else bce(out, torch.ones_like(out))
    opt_g.zero_grad()
    loss_g.backward()
    opt_g.step()
    for p in D.parameters():
        p.requires_grad_(True)
    return loss_d.item(), loss_g.item()


def assert_close(a, b, what, rtol=1e-4, atol=1e-6):
    np.testing.assert_allclose(a, b, rtol=rtol, atol=atol, err_msg=what)


@pytest.mark.parametrize("loss,pack", [("non-saturating", 1), ("minimax", 1), ("non-saturating", 2)])
def test_gan_steps_match_torch(loss, pack):
    exp = build_experiment("gan", "ring", loss=loss, seed=0, pack=pack, batch_size=64)
    tr = exp.trainer
    inner_d = tr.D.inner if pack > 1 else tr.D
    G_t, D_t = to_torch(tr.G.net), to_torch(inner_d.net)
    betas = tuple(exp.config["betas"])
    opt_g = torch.optim.Adam(G_t.parameters(), lr=exp.config["lr"], betas=betas)
    opt_d = torch.optim.Adam(D_t.parameters(), lr=exp.config["lr"], betas=betas)

    rng = np.random.default_rng(123)
    m, latent = exp.batch_size, tr.latent_dim
    for step in range(STEPS):
        # the same batches for both: generated once on the host, handed to minigan's trainer
        z_d, z_g = (rng.standard_normal((m, latent)).astype(np.float32) for _ in range(2))
        x = exp.mixture.sample(m, rng=rng)
        noises = iter([z_d, z_g])
        tr.noise = lambda n, noises=noises: Tensor(next(noises))  # the trainer's noise source, injected
        out = tr.train_step(lambda n, x=x: Tensor(x))
        loss_d, loss_g = torch_gan_step(G_t, D_t, opt_g, opt_d, *(torch.from_numpy(a) for a in (z_d, x, z_g)),
                                        loss, pack)
        assert_close(out["loss_d"], loss_d, f"loss_d at step {step}")
        assert_close(out["loss_g"], loss_g, f"loss_g at step {step}")

    for net, twin, name in ((tr.G.net, G_t, "G"), (inner_d.net, D_t, "D")):
        mine = [p.numpy() for p in net.parameters()]
        theirs = [p.detach().numpy() for p in twin.parameters()]
        assert len(mine) == len(theirs)
        for i, (a, b) in enumerate(zip(mine, theirs)):
            assert a.shape == b.shape
            assert_close(a, b, f"{name} parameter {i} after {STEPS} steps")
