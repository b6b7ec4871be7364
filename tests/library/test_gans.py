"""GAN, WGAN and CGAN training steps (tiny networks, a few steps, every backend).

What Algorithm 1 (Goodfellow et al. 2014) and the WGAN algorithm (Arjovsky et al. 2017) promise,
and the pitfalls of design.md: fakes detached in the D step, D frozen in the G step, a fresh
forward through the updated D, clipping of every critic weight, labels reaching G and D.
"""

import copy
import math

import pytest

import minigan
import minigan.functional as F
from minigan import optim
from minigan.engine import backend
from minigan.gans import CGAN, GAN, WGAN
from minigan.gans.models import (
    DCGANDiscriminator,
    DCGANGenerator,
    MLPDiscriminator,
    MLPGenerator,
    PackedDiscriminator,
)
from minigan.surface import random
from minigan.surface.tensor import Tensor

LATENT = 4


def ring_sampler(xp):
    from minigan.data.toy2d import parse_dataset

    mix = parse_dataset("ring")
    return lambda m: Tensor(backend.asarray(mix.sample(m), xp=xp))


def make_gan(loss="non-saturating", k=1, lr=1e-3, pack=1, batch_size=32, r1=0.0):
    G = MLPGenerator(LATENT, (2,), hidden=(16, 16))
    D = MLPDiscriminator((2 * pack,), hidden=(16, 16))
    if pack > 1:
        D = PackedDiscriminator(D, pack)
    return GAN(G, D, optim.Adam(G.parameters(), lr=lr, betas=(0.5, 0.999)),
               optim.Adam(D.parameters(), lr=lr, betas=(0.5, 0.999)), LATENT, k=k, loss=loss, batch_size=batch_size,
               r1=r1)


def make_wgan(n_critic=5, clip=0.01, lr=5e-3):
    G = MLPGenerator(LATENT, (2,), hidden=(16, 16))
    C = MLPDiscriminator((2,), hidden=(16, 16))
    return WGAN(G, C, optim.RMSprop(G.parameters(), lr=lr), optim.RMSprop(C.parameters(), lr=lr), LATENT,
                n_critic=n_critic, clip=clip, batch_size=32)


def make_cgan(conv=False, num_classes=3):
    if conv:
        G = DCGANGenerator(LATENT, (1, 8, 8), channels=4, num_classes=num_classes)
        D = DCGANDiscriminator((1, 8, 8), channels=4, num_classes=num_classes)
    else:
        G = MLPGenerator(LATENT, (1, 8, 8), hidden=(16,), output="tanh", num_classes=num_classes)
        D = MLPDiscriminator((1, 8, 8), hidden=(16,), num_classes=num_classes)
    return CGAN(G, D, optim.Adam(G.parameters(), lr=1e-3), optim.Adam(D.parameters(), lr=1e-3), LATENT,
                num_classes, batch_size=12)


def image_sampler(xp, num_classes=3):
    def sample(m):
        y = random.randint(0, num_classes, (m,), xp=xp)
        x = xp.tanh(random.randn((m, 1, 8, 8), xp=xp)) * 0.5 + (y.reshape(-1, 1, 1, 1) - 1) * 0.3
        return Tensor(x.astype(backend.DEFAULT_DTYPE)), y
    return sample


def params(module):
    return [backend.asnumpy(p.array).copy() for p in module.parameters()]


def grads(module):
    return [None if p.grad is None else backend.asnumpy(p.grad).copy() for p in module.parameters()]


def same(a, b):
    return all((x is None and y is None) or (x is not None and y is not None and (x == y).all()) for x, y in zip(a, b))


def d_loss(trainer, x, z):
    with minigan.no_grad():
        real, fake = trainer.D(x), trainer.D(trainer.G(z))
        return (F.binary_cross_entropy_with_logits(real, minigan.ones(*real.shape))
                + F.binary_cross_entropy_with_logits(fake, minigan.zeros(*fake.shape))).item()


# ----------------------------------------------------------------------------- every algorithm runs
@pytest.mark.parametrize("algorithm", ["gan", "gan-minimax", "gan-pack", "gan-pack-r1", "wgan", "cgan-mlp",
                                       "cgan-conv"])
def test_steps_run_and_report_finite_floats(xp_backend, algorithm):
    if algorithm.startswith("cgan"):
        trainer, sample = make_cgan(conv=algorithm.endswith("conv")), image_sampler(xp_backend)
        keys = {"loss_d", "loss_g", "d_real", "d_fake"}
    elif algorithm == "wgan":
        trainer, sample, keys = make_wgan(), ring_sampler(xp_backend), {"loss_c", "loss_g", "wasserstein"}
    else:
        trainer = make_gan(loss="minimax" if algorithm.endswith("minimax") else "non-saturating",
                           pack=2 if "pack" in algorithm else 1, r1=0.1 if algorithm.endswith("r1") else 0.0)
        sample, keys = ring_sampler(xp_backend), {"loss_d", "loss_g", "d_real", "d_fake"}
    for _ in range(3):
        out = trainer.train_step(sample)
    assert set(out) == keys and all(isinstance(v, float) and math.isfinite(v) for v in out.values())
    assert trainer.step == 3
    x = trainer.sample(5)
    assert x.shape[0] == 5 and backend.get_array_module(x.array) is xp_backend
    assert x.dtype == backend.DEFAULT_DTYPE


# ----------------------------------------------------------------------------- losses move the right way
def test_discriminator_loss_falls_while_generator_is_fixed(xp_backend):
    trainer = make_gan(k=30, lr=3e-3)
    x_fixed = ring_sampler(xp_backend)(64)
    z = trainer.noise(64)
    before = d_loss(trainer, x_fixed, z)
    g_state = copy.deepcopy(trainer.G.state_dict())  # a snapshot: the values share the weights' memory
    trainer.train_step(lambda m: x_fixed[:m])       # 30 D steps on fixed real data, then one G step ...
    trainer.G.load_state_dict(g_state)                 # ... which we undo: G is the one D was trained against
    assert d_loss(trainer, x_fixed, z) < before - 0.05


def test_generator_loss_falls_while_discriminator_is_fixed(xp_backend):
    trainer = make_gan(lr=3e-3)
    sample = ring_sampler(xp_backend)
    z = trainer.noise(64)
    for _ in range(20):                                # give D something to say first
        trainer.train_step(sample)
    d_state = copy.deepcopy(trainer.D.state_dict())

    def g_loss():
        with minigan.no_grad():
            return trainer.generator_loss(trainer.D(trainer.G(z))).item()

    before = g_loss()
    for _ in range(30):
        trainer.train_step(sample)
        trainer.D.load_state_dict(d_state)             # undo D's steps: only G learns
    assert g_loss() < before - 0.05


# ----------------------------------------------------------------------------- the pitfalls
def test_d_step_detaches_fakes_and_leaves_g_alone(xp_backend):
    trainer = make_gan()
    sample = ring_sampler(xp_backend)
    trainer.train_step(sample)
    trainer.G.zero_grad()
    g_before = params(trainer.G)
    seen = {}
    d_step = trainer.opt_d.step

    def spy():
        seen["g_grads"] = grads(trainer.G)             # just after D's backward
        seen["g_params"] = params(trainer.G)
        d_step()

    trainer.opt_d.step = spy
    trainer.train_step(sample)
    assert all(g is None for g in seen["g_grads"]), "the D step sent gradients into G: fakes not detached"
    assert same(seen["g_params"], g_before)


def test_g_step_freezes_d_and_uses_a_fresh_forward(xp_backend):
    trainer = make_gan()
    sample = ring_sampler(xp_backend)
    trainer.train_step(sample)
    seen = {}
    d_step, g_step = trainer.opt_d.step, trainer.opt_g.step

    def spy_d():
        d_step()
        seen["d_params"], seen["d_grads"] = params(trainer.D), grads(trainer.D)   # D right after its update

    def spy_g():
        seen["frozen"] = all(not p.requires_grad for p in trainer.D.parameters())
        seen["g_has_grads"] = all(p.grad is not None for p in trainer.G.parameters())
        g_step()

    trainer.opt_d.step, trainer.opt_g.step = spy_d, spy_g
    trainer.train_step(sample)
    assert seen["frozen"], "D must be frozen (requires_grad False) during the G step"
    assert seen["g_has_grads"]
    assert same(params(trainer.D), seen["d_params"]), "the G step changed D's weights"
    assert same(grads(trainer.D), seen["d_grads"]), "the G step wrote D's gradients"
    assert all(p.requires_grad for p in trainer.D.parameters()), "D must be unfrozen after the G step"


def test_k_discriminator_steps_per_generator_step():
    trainer = make_gan(k=3)
    calls = {"d": 0, "g": 0}
    d_step, g_step = trainer.opt_d.step, trainer.opt_g.step
    trainer.opt_d.step = lambda: (calls.__setitem__("d", calls["d"] + 1), d_step())
    trainer.opt_g.step = lambda: (calls.__setitem__("g", calls["g"] + 1), g_step())
    trainer.train_step(ring_sampler(backend.np))
    assert calls == {"d": 3, "g": 1}


def test_non_saturating_gradient_is_much_larger_when_d_rejects_fakes():
    """CS/DS 541: at D(G(z)) ≈ 0, ∇ log(1 − D) ≈ 0 (minimax saturates), ∇ −log D is large."""
    norms = {}
    for loss in ("minimax", "non-saturating"):
        minigan.manual_seed(0)
        trainer = make_gan(loss=loss)
        trainer.D.net[-1].bias.array[...] = -12.0       # D confidently says "fake": D(G(z)) ≈ 6e-6
        fake = Tensor(trainer.sample(64).array, requires_grad=True)
        with minigan.no_grad():
            assert trainer.D(fake).sigmoid().max().item() < 1e-3
        trainer.generator_loss(trainer.D(fake)).backward()
        norms[loss] = float((fake.grad ** 2).sum()) ** 0.5
    assert norms["non-saturating"] > 1000 * norms["minimax"] > 0


def test_bad_arguments_raise_clearly():
    with pytest.raises(ValueError, match="loss"):
        make_gan(loss="hinge")
    with pytest.raises(ValueError, match="k"):
        make_gan(k=0)
    with pytest.raises(ValueError, match="clip"):
        make_wgan(clip=-1.0)


# ----------------------------------------------------------------------------- WGAN
def test_wgan_clips_every_critic_weight_and_runs_n_critic_updates(xp_backend):
    trainer = make_wgan(n_critic=4, clip=0.01, lr=0.05)
    calls = {"c": 0, "g": 0}
    c_step, g_step = trainer.opt_d.step, trainer.opt_g.step

    def spy_c():
        calls["c"] += 1
        c_step()

    def spy_g():
        calls["g"] += 1
        assert all(not p.requires_grad for p in trainer.critic.parameters())  # critic frozen in the G step
        g_step()

    trainer.opt_d.step, trainer.opt_g.step = spy_c, spy_g
    out = trainer.train_step(ring_sampler(xp_backend))
    assert calls == {"c": 4, "g": 1}
    big = 0
    for p in trainer.critic.parameters():
        a = backend.asnumpy(p.array)
        assert a.min() >= -0.01 and a.max() <= 0.01
        big += int((abs(a) == 0.01).sum())
    assert big > 0, "with lr=0.05 some weights must have hit the clip"
    assert out["loss_c"] == pytest.approx(-out["wasserstein"])


def test_wgan_critic_estimate_grows_while_generator_is_fixed():
    trainer = make_wgan(n_critic=20, clip=0.05, lr=5e-3)
    x, z = ring_sampler(backend.np)(512), trainer.noise(512)

    def estimate():  # mean f(x) − mean f(G(z)) on fixed batches
        with minigan.no_grad():
            return (trainer.critic(x).mean() - trainer.critic(trainer.G(z)).mean()).item()

    g_state, history = copy.deepcopy(trainer.G.state_dict()), []
    for _ in range(4):                                 # (the first step clips the initial weights: a smaller f)
        trainer.train_step(ring_sampler(backend.np))
        trainer.G.load_state_dict(g_state)             # undo the G step: only the critic learns
        history.append(estimate())
    assert history[-1] > history[0] + 1e-3, history


# ----------------------------------------------------------------------------- CGAN
@pytest.mark.parametrize("conv", [False, True])
def test_cgan_labels_reach_g_and_d(xp_backend, conv):
    trainer = make_cgan(conv=conv)
    trainer.train_step(image_sampler(xp_backend))
    trainer.G.eval()
    z = trainer.noise(6)
    y0, y1 = xp_backend.zeros(6, dtype="int64"), xp_backend.full(6, 2, dtype="int64")
    with minigan.no_grad():
        g0, g1 = trainer.G(z, y0).detach().cpu().numpy(), trainer.G(z, y1).detach().cpu().numpy()
        d0, d1 = trainer.D(Tensor(g0), y0).detach().cpu().numpy(), trainer.D(Tensor(g0), y1).detach().cpu().numpy()
    assert abs(g0 - g1).max() > 1e-4, "changing the label must change G's output"
    assert abs(d0 - d1).max() > 1e-6, "changing the label must change D's output"


def test_cgan_sample_shapes_and_grid(xp_backend):
    trainer = make_cgan()
    x = trainer.sample(7, labels=backend.np.array([0, 1, 2, 0, 1, 2, 0]))
    assert x.shape == (7, 1, 8, 8) and backend.get_array_module(x.array) is xp_backend
    assert trainer.sample(4).shape == (4, 1, 8, 8)
    grid, labels = trainer.sample_grid(5)
    assert grid.shape == (15, 1, 8, 8)
    assert backend.asnumpy(labels).tolist() == [0] * 5 + [1] * 5 + [2] * 5
    with pytest.raises(ValueError, match="labels"):
        trainer.sample(2, labels=backend.np.array([0, 3]))
    with pytest.raises(ValueError, match="labels"):
        trainer.sample(3, labels=backend.np.array([0, 1]))


# ----------------------------------------------------------------------------- state
@pytest.mark.parametrize("algorithm", ["gan", "wgan", "cgan"])
def test_state_dict_round_trip_continues_identically(algorithm, tmp_path):
    make = {"gan": make_gan, "wgan": make_wgan, "cgan": make_cgan}[algorithm]
    sample = image_sampler(backend.np) if algorithm == "cgan" else ring_sampler(backend.np)
    a = make()
    for _ in range(3):
        a.train_step(sample)
    minigan.save(a.state_dict(), tmp_path / "t.npz")
    rng = random.get_rng_state()
    out_a = [a.train_step(sample) for _ in range(3)]
    minigan.manual_seed(123)
    b = make()
    b.load_state_dict(minigan.load(tmp_path / "t.npz"))
    random.set_rng_state(rng)
    out_b = [b.train_step(sample) for _ in range(3)]
    assert out_a == out_b and b.step == 6
    assert same(params(a.G), params(b.G)) and same(params(a.D), params(b.D))
    with pytest.raises(ValueError, match="expected"):
        make_wgan().load_state_dict(make_gan().state_dict())


# ----------------------------------------------------------------------------- a real run
@pytest.mark.slow
def test_gan_on_the_ring_finds_at_least_7_of_8_modes():
    from minigan.gans.recipes import build_experiment

    # the results table's best ring row: PacGAN, pack=4, measured with z ~ N(0, I) and D at G's rate
    exp = build_experiment("gan", "ring", seed=0, pack=4, prior="normal", d_lr_ratio=1.0)
    for _ in range(exp.default_steps):
        exp.train_step()                                     # with the recipe's learning-rate decay
    metrics = exp.evaluate()
    assert metrics["modes_covered"] >= 7
    samples = exp.trainer.sample(2500).detach().cpu().numpy()
    assert samples.std(axis=0).min() > 0.3      # not collapsed to a point


@pytest.mark.slow
def test_best_grid_recipe_covers_all_25_modes_evenly():
    """The grid's best recipe (PacGAN pack=4, batch 512, 80k steps; demos/results.md), one seed (~8 min)."""
    from minigan.gans.recipes import build_experiment

    exp = build_experiment("gan", "grid", seed=3, pack=4, batch_size=512, steps=80_000, prior="normal", d_lr_ratio=1.0)
    for _ in range(exp.default_steps):
        exp.train_step()
    metrics = exp.evaluate()
    # seed 3 measured 25 modes, 97.2% high quality, reverse KL 0.009; with 60k steps the same seed leaves two
    # modes without a high-quality sample (23 modes, KL 0.13)
    assert metrics["modes_covered"] == 25
    assert metrics["high_quality"] >= 0.94
    assert metrics["reverse_kl"] <= 0.04


def test_sample_leaves_each_generator_part_in_its_own_mode():
    from minigan.gans.recipes import build_experiment

    exp = build_experiment("gan", "ring:4", seed=0, batch_size=16)
    G = exp.trainer.G
    G.train()
    parts = list(G.modules())
    parts[-1].eval()  # one part in eval mode, the rest training
    before = [m.training for m in parts]
    exp.trainer.sample(5)
    assert [m.training for m in G.modules()] == before
