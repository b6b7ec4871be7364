"""The PyTorch twin harness (benchmarks/torch_twin.py) builds the same networks as minigan's recipes and,
fed the same noise and batches, takes the same first training steps: so a difference between minigan's
results and the twin's after thousands of steps is not the harness's.

After training steps the weights are compared as far as the steps let rounding move them, not to the rounding
of one host. Adam scales each gradient entry by its own size (WGAN-GP's betas (0, 0.9): every step moves every
weight by about ±lr, whatever the gradient's size), so an entry whose gradient is near zero, or whose sign a
last-bit difference three networks deep decides, lands up to a few lr from where another kernel's sum order puts
it. Measured on WGAN-GP's digits G after three steps: minigan on OpenBLAS's Haswell kernels (any AVX2 host) and
on its SkylakeX kernels are 2.6e-3 apart in G's output, and PyTorch lands with the SkylakeX run; 0.47% of G's
weights (Haswell; 0.05% SkylakeX) are apart by more than a twentieth of the median move, none by more than 0.75 of
the largest.
So ``assert_same_steps`` asks what rounding cannot change: each weight within twice the largest move (two runs
whose updates differ only in the sign of some entries are at most that far apart), and all but 1% of the
entries (4x the 0.47%) within a twentieth of the median move, while training moved most entries further (a
twin that skipped the steps, or took them with a tenth more lr, differs in 87% of WGAN's G).
"""

import sys
from pathlib import Path

import numpy as np
import pytest

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

import torch_twin  # noqa: E402

from minigan import from_numpy  # noqa: E402
from minigan.gans.recipes import build_experiment  # noqa: E402

# The share of the weights the steps may leave apart by more than a twentieth of the median move (measured: at
# most 0.47%, WGAN-GP's G on OpenBLAS's Haswell kernels; 0.05% on its SkylakeX kernels).
ROUNDING_SHARE = 0.02


def _weights(net):
    return {n: p.detach().numpy().copy() for n, p in net.named_parameters()}


def assert_same_steps(start: dict, mine: dict, twin: dict, who: str):
    """``mine`` and ``twin`` (name -> weights after the steps, from the same ``start``) took the same steps, as far
    as rounding lets: see the module's docstring."""
    assert set(mine) == set(twin) == set(start), f"{who}: the parameters differ: {set(mine) ^ set(twin)}"
    moved = np.concatenate([np.abs(mine[n] - start[n]).ravel() for n in mine])
    apart = np.concatenate([np.abs(mine[n] - twin[n]).ravel() for n in mine])
    small = np.median(moved) / 20
    assert np.mean(moved > small) > 0.5, f"{who}: the steps moved too little to compare"
    assert apart.max() <= 2 * moved.max(), f"{who}: a weight {apart.max():.2e} apart, beyond 2 x {moved.max():.2e}"
    share = float(np.mean(apart > small))
    assert share <= ROUNDING_SHARE, (f"{who}: {100 * share:.2f}% of the weights are more than {small:.1e} apart "
                                     f"(rounding moves at most {100 * ROUNDING_SHARE:g}%)")


CASES = [("gan", "ring", {}), ("gan", "grid:4", {"pack": 2}), ("began", "digits", {}), ("cgan", "digits", {}),
         ("wgan-gp", "digits", {}), ("wgan", "digits", {})]


@pytest.mark.parametrize("algorithm, data, overrides", CASES)
def test_twin_takes_the_same_first_steps(algorithm, data, overrides):
    torch.set_num_threads(1)
    # minigan's run, then the twin's from a fresh build: both draw the same noise and batches from the
    # same seeded generator (one run at a time: they share it)
    exp = build_experiment(algorithm, data, seed=0, batch_size=32, **overrides)
    start = {"G": _weights(exp.trainer.G), "D": _weights(exp.trainer.D)}
    for _ in range(3):
        exp.train_step()
    twin = torch_twin.Twin(build_experiment(algorithm, data, seed=0, batch_size=32, **overrides))
    z = np.random.default_rng(0).standard_normal((8, exp.config["latent_dim"])).astype(np.float32)
    labels = np.arange(8) % 10
    fresh = build_experiment(algorithm, data, seed=0, batch_size=32, **overrides).trainer.G
    fresh.eval(), twin.G.eval()
    args = (labels,) if algorithm == "cgan" else ()
    want = fresh(from_numpy(z), *args).detach().numpy()
    got = twin.G(torch.from_numpy(z), *[torch.from_numpy(a) for a in args]).detach().numpy()
    np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-5)  # the same weights: the same outputs
    twin.G.train()
    for _ in range(3):
        twin.train_step(exp.default_steps)
    # G and D after three steps, weight by weight (a bias right before a batch norm gets a zero gradient up to
    # rounding, which Adam scales up to ±lr: these are among the entries rounding moves)
    for net in ("G", "D"):
        assert_same_steps(start[net], _weights(getattr(exp.trainer, net)), _weights(getattr(twin, net)),
                          f"{algorithm} on {data}, {net}")


def test_began_conv_networks_equal_pytorch():
    """BEGAN's convolutional auto-encoder and generator (minigan.gans.models) and their twins: the same
    reconstruction, the same L1 reconstruction loss, and the same gradients in the input and every weight."""
    from minigan import tensor
    from minigan.gans.began import reconstruction_loss
    from minigan.gans.models import BEGANGenerator, ConvAutoEncoderDiscriminator

    torch.set_num_threads(1)
    for shape, cps in (((1, 28, 28), 1), ((1, 8, 8), 2)):
        D = ConvAutoEncoderDiscriminator(shape, channels=4, embedding=8, convs_per_scale=cps)
        twin = torch_twin.to_torch(D)
        x = np.random.default_rng(0).uniform(-1, 1, (5, *shape)).astype(np.float32)
        xm, xt = tensor(x, requires_grad=True), torch.from_numpy(x).requires_grad_(True)
        loss_m = reconstruction_loss(D, xm)
        loss_t = (xt - twin(xt)).abs().mean()
        np.testing.assert_allclose(loss_m.item(), loss_t.item(), rtol=1e-5)
        loss_m.backward()
        loss_t.backward()
        np.testing.assert_allclose(xm.grad.detach().numpy(), xt.grad.detach().numpy(), rtol=1e-3, atol=1e-7)
        grads_t = dict(twin.named_parameters())
        for name, p in D.named_parameters():
            np.testing.assert_allclose(p.grad.detach().numpy(), grads_t[name].grad.detach().numpy(), rtol=1e-3,
                                       atol=1e-6,
                                       err_msg=name)
        G = BEGANGenerator(6, shape, channels=4, convs_per_scale=cps)
        z = np.random.default_rng(1).standard_normal((5, 6)).astype(np.float32)
        np.testing.assert_allclose(torch_twin.to_torch(G)(torch.from_numpy(z)).detach().numpy(),
                                   G(from_numpy(z)).detach().numpy(), rtol=1e-4, atol=1e-6)


@pytest.mark.parametrize("generator", ["dcgan", "began"])
def test_twin_takes_the_same_first_steps_with_began_s_own_networks(monkeypatch, tmp_path, generator):
    """The ("began", "images28") recipe (conv auto-encoder D; DCGAN's G, the recipe's, or the paper's
    decoder-shaped G) on a small synthetic Fashion-MNIST folder: three steps of minigan and of the twin give the
    same generator and the same k."""
    from minigan.data import write_idx

    rng = np.random.default_rng(0)
    folder = tmp_path / "fashion-mnist"
    folder.mkdir()
    for prefix, n in (("train", 64), ("t10k", 8)):
        write_idx(folder / f"{prefix}-images-idx3-ubyte.gz", rng.integers(0, 256, (n, 28, 28)).astype(np.uint8))
        write_idx(folder / f"{prefix}-labels-idx1-ubyte.gz", (np.arange(n) % 10).astype(np.uint8))
    monkeypatch.setenv("MINIGAN_DATA", str(tmp_path))
    torch.set_num_threads(1)
    settings = dict(seed=0, batch_size=16, channels=4, g_channels=4, generator=generator, lambda_k=0.5,
                    gamma=1.0)  # a large gain: k moves at once
    exp = build_experiment("began", "fashion-mnist", **settings)
    start = {"G": _weights(exp.trainer.G), "D": _weights(exp.trainer.D)}
    ks = [exp.train_step()["k"] for _ in range(3)]
    twin = torch_twin.Twin(build_experiment("began", "fashion-mnist", **settings))
    ks_twin = []
    for _ in range(3):
        twin.train_step(exp.default_steps)
        ks_twin.append(twin.k)
    assert ks[-1] > 0.0  # the controller moved, so the k comparison means something
    np.testing.assert_allclose(ks_twin, ks, rtol=1e-3, atol=1e-6)
    for net in ("G", "D"):
        assert_same_steps(start[net], _weights(getattr(exp.trainer, net)), _weights(getattr(twin, net)),
                          f"began ({generator}'s G) on fashion-mnist, {net}")
