"""Experiments with tuned defaults: ``build_experiment("gan", "ring")`` → networks, optimizers, data, metrics.

    exp = build_experiment("gan", "ring", seed=0)
    for _ in range(exp.default_steps):
        exp.trainer.train_step(exp.sample_real)
    exp.evaluate()        # {"modes_covered": 8, "high_quality": 0.97, "reverse_kl": 0.01, ...}

Data: "ring" (8 Gaussians on a circle), "grid" (5×5), "ring:K", "grid:K", "digits" (the bundled 8×8
digits), "fashion-mnist" and "mnist" (28×28, ``minigan.data.fashion_mnist`` / ``mnist``) and "idx:PATH"
(any MNIST-format folder). Images are scaled to [−1, 1] for a tanh generator.

The defaults (``DEFAULTS``) are the known-good recipes for 2-D mixtures (an MLP G and D with 3 hidden
layers, Adam with β1 = 0.5) and the papers' own settings for WGAN (RMSProp, α = 5e−5, c = 0.01,
n_critic = 5). Any default can be overridden by keyword: ``build_experiment("gan", "grid", lr=2e-4,
hidden=(256, 256, 256), pack=2)``.

The 2-D GAN's recipe adapts to the mixture at hand (``mixture_settings``): PacGAN's pack 2, the uniform
prior, the R1 penalty on D, and a batch, steps and width that grow with the mode count. The results
table's rows for the ring and the 5×5 grid (``pack=4`` and more steps, ``pack=1`` for the plain GAN) were
measured with z ~ N(0, I) and no R1 penalty, and pin both (``PLAIN_GAN``, demos/results_table.py).
"""

from __future__ import annotations

import time
from collections import namedtuple
from dataclasses import dataclass, field

from minigan import optim
from minigan.arguments import non_negative_float
from minigan.data import MAX_CLASSES
from minigan.data.spec import DATA_HELP, load_images, parse_data  # noqa: F401  (DATA_HELP: the --data help)
from minigan.engine import backend
from minigan.engine.backend import np
from minigan.engine.grad_mode import no_grad
from minigan.gans.aae import AAE, categorical_classes
from minigan.gans.ali import ALI
from minigan.gans.began import BEGAN
from minigan.gans.cgan import CGAN
from minigan.gans.ebgan import EBGAN
from minigan.gans.gan import DEFAULT_LOSS, GAN, generator_loss_row
from minigan.gans.models import (
    AutoEncoderDiscriminator,
    BEGANGenerator,
    ConvAutoEncoderDiscriminator,
    DCGANDiscriminator,
    DCGANGenerator,
    JointDiscriminator,
    MLPDecoder,
    MLPDiscriminator,
    MLPEncoder,
    MLPGenerator,
    PackedDiscriminator,
    dcgan_normal_,
)
from minigan.gans.vae import VAE
from minigan.gans.wgan import WGAN
from minigan.gans.wgan_gp import WGANGP
from minigan.surface import random
from minigan.surface.tensor import from_numpy

ALGORITHMS = ("gan", "wgan", "wgan-gp", "began", "cgan", "ebgan", "ali")
# Beside the GANs, on the same data and in the same loop: the VAE (one objective, the ELBO, that an encoder and a
# decoder climb together) and the adversarial autoencoder (the VAE's KL term replaced by a GAN played on z).
AUTOENCODERS = ("vae", "aae")
# The optimizers a recipe, the command line's --optimizer and the lab's menu can name, one row each: its name -> the
# label a menu shows and how it is made over ``params`` (``make_optimizer`` calls it). "sgd" is SGD with momentum
# (Goodfellow et al.: "We used momentum").
OptimizerRow = namedtuple("OptimizerRow", "label make")
OPTIMIZERS = {
    "adam": OptimizerRow("Adam", lambda params, lr, betas, momentum: optim.Adam(params, lr=lr, betas=betas)),
    "optimistic-adam": OptimizerRow(
        "optimistic Adam", lambda params, lr, betas, momentum: optim.OptimisticAdam(params, lr=lr, betas=betas)),
    "rmsprop": OptimizerRow("RMSProp", lambda params, lr, betas, momentum: optim.RMSprop(params, lr=lr)),
    "sgd": OptimizerRow("SGD (momentum 0.9)",
                        lambda params, lr, betas, momentum: optim.SGD(params, lr=lr, momentum=momentum)),
}

# Digits (c)GAN: the DCGAN-style convnets (arch "conv"), lr 1e-3 decayed linearly to 1e-5, batch 128, 5,000
# steps. Measured (cGAN Fréchet distance, floor 13.9): the earlier MLP recipe (lr 2e-3, 3,000 steps) gave
# 30 ± 1.5 over 5 seeds; conv at 3,000 steps 20.9 / 22.7 / 37.6 on seeds 0–2; this recipe 15.4 ± 0.87 over
# 5 seeds (demos/results.md). MLPs at lr 2e-4 / batch 64 stay one label-blind blob for ~2,500 steps.
IMAGES_GAN = dict(optimizer="adam", lr=1e-3, betas=(0.5, 0.999), batch_size=128, steps=5_000, latent_dim=32,
                  hidden=(256, 256), k=1, dropout_input=0.0, arch="conv", channels=32, lr_decay=True)

# 28×28 (Fashion-MNIST, MNIST): Radford et al. 2016's DCGAN recipe (Section 4: Adam, lr 2e-4, β1 = 0.5, weights
# ~ N(0, 0.02), batch norm in G and in D but D's first layer, ReLU/tanh in G, LeakyReLU 0.2 in D, z ~ 100-D), with
# batch 64 and 32 base channels so that a run fits in minutes on a CPU.
DCGAN_28 = dict(optimizer="adam", lr=2e-4, betas=(0.5, 0.999), batch_size=64, steps=3_000, latent_dim=100,
                hidden=(256, 256), k=1, dropout_input=0.0, arch="conv", channels=32, lr_decay=False,
                d_batch_norm=True, init="dcgan")
# The long recipe, for the learner who can wait: the same DCGAN for the ~25 epochs the usual tutorials train
# (60,000 images / 64 = 937.5 steps an epoch), scored once an epoch and resumable (``train --resume``):
#     python -m minigan train gan --data fashion-mnist --steps 23440 --eval-every 938 --out runs/dcgan25
# Measured cost: 0.114 CPU-s a step at one BLAS thread, so ~107 CPU-s an epoch and ~45 CPU-minutes in all (plus an
# evaluation an epoch), against ~6 CPU-minutes for the 3,000-step recipe. Seed 0 took 81 minutes of wall time on
# a shared 2-core machine and ended at Fréchet 48, recall 0.73 (137 and 0.53 at 3,000 steps): the curve is in
# demos/results.md, "The long DCGAN".
DCGAN_28_EPOCH_STEPS = 938
DCGAN_28_LONG = dict(DCGAN_28, steps=25 * DCGAN_28_EPOCH_STEPS - 10)  # 23,440 steps: 25 epochs of 937.5

# Tuned defaults per (algorithm, kind of data). "mixture" = 2-D rings and grids, "images" = digits / idx.
DEFAULTS = {
    # 2-D GAN: a 2-D latent and lr 1e-3 decayed linearly to 1e-5 (measured on the ring at 3,000 steps: with
    # a 16-D latent, at lr 2e-4 or 1e-3, almost no sample lies within 3σ = 0.03 of a centre; with a 2-D
    # latent 80% do). The prior is uniform, z ~ U(−1, 1)² (the DCGAN paper's): on a grid G then maps a square
    # onto a square, where from N(0, I) it must also stretch the normal's tails out to the far lines of modes.
    # The plain GAN on the 6×6 grid, seed 1: 30/36 modes with N(0, I), 36/36 (97.0%) uniform (demos/results.md).
    # Its packing, batch size, steps and width are those of the 8-mode ring: ``mixture_settings`` scales them
    # to the mixture at hand (build_experiment applies it; explicit settings win: pack=1 is the plain GAN).
    # d_lr_ratio: D's learning rate over G's (Heusel et al. 2017's two time scales). It stays 1: a faster D (1.25,
    # 1.5, 2) lifts the 16-mode ring's quality but leaves modes empty more often (mixture_settings' docstring).
    # instance_noise: σ_0 of the noise added to D's inputs, in units of the data's spread, annealed linearly to 0 over
    # the first INSTANCE_NOISE_UNTIL of the run (Experiment.instance_noise_std); 0 = none (mixture_settings' docstring).
    # r1: γ of the R1 penalty γ/2·E‖∇x D(x)‖² on real x (Mescheder et al. 2018), in units of the data's spread. 0.1
    # passes every run measured, the runs every other setting missed among them (mixture_settings' docstring).
    ("gan", "mixture"): dict(optimizer="adam", lr=1e-3, betas=(0.5, 0.999), batch_size=256, steps=20_000,
                             latent_dim=2, hidden=(128, 128, 128), k=1, pack=2, dropout_input=0.0, lr_decay=True,
                             prior="uniform", d_lr_ratio=1.0, instance_noise=0.0, r1=0.1),
    ("wgan", "mixture"): dict(optimizer="rmsprop", lr=5e-5, batch_size=64, steps=10_000, latent_dim=16,
                              hidden=(128, 128, 128), n_critic=5, clip=0.01),
    # WGAN-GP on 2-D data: n_critic = 5 and Adam β = (0, 0.9) as in the paper, but λ = 0.1, the value of the
    # toy script published with it (a smaller λ helps on toy tasks), with the 2-D GAN's latent, width and lr 1e-3
    # decayed linearly; the batch and data scale of ``mixture_settings`` (ADAPTS_TO_MIXTURE). Measured, 6,000 steps,
    # seeds 0-2 (demos/results.md): ring 8/8 modes every time, 96.2 ± 0.5% high quality, about 4.5 CPU-minutes a
    # run; grid (batch 448) 25/25 every time, 87.3 ± 0.7%, about 8 CPU-minutes (without the batch and scale rules:
    # 57% and 68% on seeds 0-1). The critic's estimate tracks quality on the ring (Spearman ρ −0.81 to −0.98). With
    # λ = 10 the ring reached 8/8 and 72% in 3,000 steps but collapsed to one mode over 8,000 (and at lr 3e-4).
    # Across sizes (2 seeds each) it keeps every mode up to the 6×6 grid but misses on quality from 16 modes up at
    # 6,000 steps (ring:16 83-86%, grid:6 58-76%, grid:8 21-32%), so its steps grow with the mode count:
    # ``mixture_settings(mixture, "wgan-gp")``, 750 a mode, at least these 6,000.
    ("wgan-gp", "mixture"): dict(optimizer="adam", lr=1e-3, betas=(0.0, 0.9), batch_size=256, steps=6_000,
                                 latent_dim=2, hidden=(128, 128, 128), n_critic=5, lam=0.1, lr_decay=True),
    ("cgan", "mixture"): dict(optimizer="adam", lr=1e-3, betas=(0.5, 0.999), batch_size=256, steps=10_000,
                              latent_dim=16, hidden=(128, 128, 128), k=1, dropout_input=0.0),
    ("gan", "images"): dict(IMAGES_GAN, pack=1),  # the digits cGAN's settings, without the label
    ("wgan", "images"): dict(optimizer="rmsprop", lr=5e-5, batch_size=64, steps=5_000, latent_dim=32,
                             hidden=(256, 256), n_critic=5, clip=0.01, arch="mlp", channels=32,
                             lr_decay=False),
    # WGAN-GP on images: the paper's defaults (α = 1e-4, β = (0, 0.9), λ = 10, n_critic = 5) with the digits'
    # DCGAN-style convnets, whose critic has no batch norm (the penalty is per example).
    ("wgan-gp", "images"): dict(optimizer="adam", lr=1e-4, betas=(0.0, 0.9), batch_size=64, steps=5_000,
                                latent_dim=32, hidden=(256, 256), n_critic=5, lam=10.0, arch="conv", channels=32,
                                lr_decay=False),
    ("cgan", "images"): dict(IMAGES_GAN),
    # BEGAN (Berthelot et al. 2017): γ = 0.5, k_0 = 0, Adam; D an MLP auto-encoder with a narrow embedding.
    # On 2-D data the reconstruction losses are ~100× smaller than on images (σ = 0.01 to 0.05 against
    # pixel errors of ~0.1), so λ_k = 0.1 instead of the paper's 0.001 to let k move at the same pace. The
    # embedding (1) is narrower than the data (2-D), else the auto-encoder learns the identity and k stays 0.
    # Measured (seed 0, ring): BEGAN collapses onto one to four of the 8 modes here (demos/16_began.py).
    ("began", "mixture"): dict(optimizer="adam", lr=1e-3, betas=(0.5, 0.999), batch_size=256, steps=6_000,
                               latent_dim=2, hidden=(128, 128, 128), ae_hidden=(128, 128), embedding=1,
                               gamma=0.5, lambda_k=0.1, lr_decay=True),
    # On images: the paper's λ_k = 0.001 and Adam β1 = 0.5; the digits' conv generator. γ = 1.0, not the paper's
    # 0.5: at 0.5 minigan and its PyTorch twin both collapse onto one digit on every seed (Fréchet ~2,400); at 1.0
    # k climbs to about 0.2-0.25 by step 5,000, M_global falls from 0.5-0.6 to about 0.12, and all 10 digits appear
    # on 8 of 10 seeds (9 on one; on seed 6 k stays near 0.07 and 3 digits remain), as in the PyTorch twin
    # (demos/results.md, "Digits (8×8) BEGAN").
    ("began", "images"): dict(optimizer="adam", lr=1e-4, betas=(0.5, 0.999), batch_size=64, steps=5_000,
                              latent_dim=32, hidden=(256, 256), ae_hidden=(256, 256), embedding=16, gamma=1.0,
                              lambda_k=0.001, arch="conv", channels=32, lr_decay=False),
    # "images28": fashion-mnist and mnist (other algorithms fall back to their "images" recipe).
    # BEGAN on 28×28 (Berthelot et al. 2017): the paper's auto-encoder D (Figure 1, scaled down for a CPU: 3×3
    # convs with ELU, 16 → 32 → 48 channels, embedding h = 64, no batch norm) against the DCGAN generator of the
    # DCGAN recipe (128 → 64 channels, batch norm, N(0, 0.02) weights); generator="began" builds the paper's
    # decoder-shaped G instead: with this recipe's 6,000 steps it ends sharp but narrow (twin, seed 1: precision
    # 0.88, recall 0.11, 4 classes under 1%, Fréchet 475).
    # γ = 1.0 and λ_k = 0.01, not the paper's 0.5 and 0.001: at γ = 0.5 the equilibrium asks for samples
    # reconstructed twice as well as real images, k settles near 0.1 and G drops the classes hardest to reconstruct
    # (sandals, bags, ankle boots: 8-9 classes, Fréchet 370-500); at γ = 1.0 k settles near 0.35-0.4. lr 2e-4
    # decays linearly over the 6,000 steps (the paper decays it when M stalls); at a constant lr the mix drifted.
    # Measured (demos/results.md "BEGAN on Fashion-MNIST"): 10/10 classes on seeds 0, 1, 2 with NumPy and CuPy,
    # Fréchet 176-243, precision 0.79-0.86 (real 0.87), M_global falling all run; the PyTorch twin: 194-238.
    ("began", "images28"): dict(optimizer="adam", lr=2e-4, betas=(0.5, 0.999), batch_size=64, steps=6_000,
                                latent_dim=64, arch="began", channels=16, embedding=64, convs_per_scale=1,
                                generator="dcgan", g_channels=32, gamma=1.0, lambda_k=0.01, lr_decay=True),
    ("gan", "images28"): dict(DCGAN_28, pack=1),
    # The VAE (Kingma & Welling 2014): MLP encoder and decoder, Adam at lr 1e-3, P(z) = N(0, I). On 2-D points P(x|z)
    # is a Normal with a learned σ per coordinate and z is 2-D; on images a Bernoulli per pixel (Appendix C).
    # 20,000 steps on points, chosen by the GAN defaults' rule (a setting wins on every seed, ring and grid, or the
    # recipe stays) among a fixed σ of P(x|z) (``sigma``, in units of the spread; at the data's 0.01: 50% at 20,000
    # steps, seed 0), an 8-D z (ring 55.1% and 58.0%, grid 45.1% and 46.7%) and longer runs. Measured, these 20,000
    # steps (``train vae``): the ring 8/8 modes at 67.0% and 67.7% high quality on seeds 0-1, the 5×5 grid 25/25 at
    # 72.3% and 70.9% (5,000 steps: 54.1%, 52.3%; 49.8%, 54.9%), its reconstructions exact (100%). Short of the GANs'
    # 90%: 71% of N(0, I)'s draws fall where the data's codes put under a tenth of the prior's density, and there the
    # decoder, never trained there, sends about half of them between the modes (99% of the misses, seed 0). The
    # learning rate decayed to lr/100 (``lr_decay``) left 5,000 steps as they were (50.3%, 54.8%). The digits: 10/10
    # classes, Fréchet 117, 111, 132 on seeds 0-2 (floor 15.8), test ELBO −23.7 nats
    # (benchmarks/results/mixtures/vae_*.jsonl, benchmarks/results/latent/digits.jsonl;
    # demos/results.md, "The VAE and the AAE on the ring (and the grid)").
    ("vae", "mixture"): dict(optimizer="adam", lr=1e-3, betas=(0.9, 0.999), batch_size=256, steps=20_000,
                             latent_dim=2, hidden=(128, 128, 128), beta=1.0, prior="normal", lr_decay=False,
                             sigma=None),  # sigma None: a learned σ
    ("vae", "images"): dict(optimizer="adam", lr=1e-3, betas=(0.9, 0.999), batch_size=128, steps=5_000,
                            latent_dim=8, hidden=(256, 256), beta=1.0, prior="normal", arch="mlp"),
    ("vae", "images28"): dict(optimizer="adam", lr=1e-3, betas=(0.9, 0.999), batch_size=128, steps=5_000,
                              latent_dim=20, hidden=(400,), beta=1.0, prior="normal", arch="mlp"),
    # The adversarial autoencoder (Makhzani et al. 2016): the same encoder and decoder, P(x|z) with a fixed σ
    # (``sigma``, in units of the data's spread) on points, and D an MLP over z; Adam with β1 = 0.5 for the game on z,
    # as the GANs' recipes. q(z|x) is ``encoder``: "deterministic", "gaussian", or the paper's universal approximator
    # posterior "universal", z = f(x, η) with η ~ N(0, I) of ``noise_dim`` coordinates fed beside x. On points: the
    # universal q(z|x); the regularization phase at its own rate, ``reg_lr`` = 1e-4, a tenth of the reconstruction's (at
    # one rate the encoder's second step drowns the reconstruction: seed 0 reconstructed 33% of the ring within 3σ); D
    # at ten times that (``d_lr_ratio``: at the encoder's rate D stays near chance, loss 1.26-1.35 against 2 log 2,
    # while each mode's codes sit in a small clump that moves as a collapsed GAN's samples do; η lets the encoder spread
    # a clump); the rate decayed to lr/100 over 10,000 steps. Chosen by the GANs' rule, it won on every seed it ran: the
    # ring 8/8 and 7/8 modes at 7.2% and 2.2% high quality on seeds 0-1, the 5×5 grid 20/25 and 20/25 at 1.8% and 1.6%
    # (the recipe before, deterministic at 5,000 steps: 8/8, 7/8 at 1.6%, 0.5%; 18/25, 19/25 at 1.6%, 2.0%),
    # reconstructions 98-100% within 3σ. Still far from the GANs' 90%: the codes do not fill N(0, I) (D calls about 90%
    # of them codes) and prior draws outside them decode between the modes. Tried and not adopted: an 8-D z (6/8 modes
    # at 0.5%), the Gaussian q(z|x) (3/8 at 0.2%; with reg_lr 7/8 at 1.0%), the universal q(z|x) with one D rate (6/8 at
    # 1.4%) or at 5,000 steps (grid 17/25 on both seeds), and §6's categorical code (``categorical`` = K classes
    # beside the style z, a second D imposing Cat(K); 0: none): on the ring (K = 8, 16) and the grid (K = 25, 32) it
    # lost on every seed it ran (ring seeds 0-2: 2-7 of 8 modes at 0.2-0.8%; grid seeds 0-1: 12-16 of 25): the codes
    # turn one-hot but into a few classes (2-3 of 8 or of 16, 5 of 25, 5-6 of 32), the style carries the modes, and
    # the prior's other classes decode off the data; on the digits (K = 10, 16) the Fréchet distance rose to 131-412.
    # The digits (seeds 0-2, deterministic, one rate): 10/10 classes, Fréchet 93.7, 90.6, 79.3 (floor 15.8). Lesson 23
    # uses the digits.
    # (benchmarks/results/mixtures/aae_*.jsonl; demos/results.md, "The VAE and the AAE on the ring (and the grid)").
    ("aae", "mixture"): dict(optimizer="adam", lr=1e-3, betas=(0.5, 0.999), batch_size=256, steps=10_000,
                             latent_dim=2, hidden=(128, 128, 128), d_hidden=(128, 128), sigma=0.1, prior="normal",
                             lr_decay=True, reg_lr=1e-4, d_lr_ratio=10.0, encoder="universal", noise_dim=2,
                             categorical=0),
    ("aae", "images"): dict(optimizer="adam", lr=1e-3, betas=(0.5, 0.999), batch_size=128, steps=5_000,
                            latent_dim=8, hidden=(256, 256), d_hidden=(128, 128), prior="normal", arch="mlp",
                            encoder="deterministic", noise_dim=8, categorical=0),
    # EBGAN (Zhao et al. 2016): D an MLP auto-encoder whose mean squared reconstruction error is the energy, the
    # margin m in the energy's units (squared data units), Adam with β1 = 0.5. On the ring a 2-unit code and the
    # pulling-away term at the paper's 0.1: measured (seed 0, 3,000 steps) a 1-unit code (BEGAN's) 3/8 modes, a 2-unit
    # code 8/8 at 31% high quality, with the term 8/8 at 55%; these 4,000 steps, seeds 0-2: 7.67 modes, 78.6% high
    # quality (demos/results.md, "EBGAN and ALI/BiGAN on the ring"). The digits recipe is not tuned (seed 0, 1,500
    # steps: 10/10 classes, Fréchet 145).
    ("ebgan", "mixture"): dict(optimizer="adam", lr=1e-3, betas=(0.5, 0.999), batch_size=256, steps=4_000,
                               latent_dim=2, hidden=(128, 128, 128), ae_hidden=(128, 128), embedding=2, margin=0.1,
                               pt_weight=0.1, lr_decay=True),
    ("ebgan", "images"): dict(optimizer="adam", lr=1e-3, betas=(0.5, 0.999), batch_size=64, steps=5_000,
                              latent_dim=32, hidden=(256, 256), ae_hidden=(256, 256), embedding=16, margin=0.5,
                              pt_weight=0.0, arch="conv", channels=32, lr_decay=True),
    # ALI/BiGAN (Dumoulin et al. 2016; Donahue et al. 2016): G, an encoder and a discriminator on (x, z) pairs, all
    # MLPs in units of the data's spread on 2-D points; on the digits DCGAN's G beside them. On the ring BiGAN's
    # deterministic encoder: ALI's Gaussian one found no mode at 3,000 steps (seed 0), the deterministic one 7/8 but
    # at 0.8% high quality; these 4,000 steps, seeds 0-2: 3.3 modes, 1.0% high quality. The samples do not settle
    # on the modes: no default measured here meets the quality target (demos/results.md, "EBGAN
    # and ALI/BiGAN on the ring"). The digits keep ALI's Gaussian encoder, not tuned (seed 0, 1,500 steps: 10/10
    # classes, Fréchet 356).
    ("ali", "mixture"): dict(optimizer="adam", lr=1e-3, betas=(0.5, 0.999), batch_size=256, steps=4_000,
                             latent_dim=2, hidden=(128, 128, 128), encoder="deterministic", lr_decay=True),
    ("ali", "images"): dict(optimizer="adam", lr=1e-3, betas=(0.5, 0.999), batch_size=128, steps=5_000,
                            latent_dim=32, hidden=(256, 256), encoder="gaussian", arch="conv", channels=32,
                            lr_decay=True),
    ("cgan", "images28"): dict(DCGAN_28),
    # WGAN (Arjovsky et al. 2017, Algorithm 1 defaults) with the DCGAN critic, as in its experiments.
    ("wgan", "images28"): dict(optimizer="rmsprop", lr=5e-5, batch_size=64, steps=2_000, latent_dim=100,
                               hidden=(256, 256), n_critic=5, clip=0.01, arch="conv", channels=32, lr_decay=False,
                               d_batch_norm=True, init="dcgan"),
    # WGAN-GP (Gulrajani et al. 2017, Algorithm 1 defaults): no batch norm in the critic (the penalty is per example).
    ("wgan-gp", "images28"): dict(optimizer="adam", lr=1e-4, betas=(0.0, 0.9), batch_size=64, steps=2_000,
                                  latent_dim=100, hidden=(256, 256), n_critic=5, lam=10.0, arch="conv", channels=32,
                                  lr_decay=False, d_batch_norm=False, init="dcgan"),
}
# Instance noise (the 2-D GAN's ``instance_noise``) falls linearly from its σ_0 to 0 over this fraction of the run,
# then D sees the data itself while G sharpens: the modes are found while the blur lasts (ring:16, demos/results.md).
INSTANCE_NOISE_UNTIL = 0.3
IMAGES_28 = ("fashion-mnist", "mnist")  # the data sets whose recipes are the "images28" ones
DEFAULT_PRIOR = "normal"  # p_z of every recipe whose DEFAULTS entry names none: N(0, I)


def mixture_settings(mixture, algorithm="gan") -> dict:
    """The 2-D GAN's packing, batch size, steps and width for THIS mixture, from its mode count K (no table of
    cases), and its data scale from its spread; ``algorithm="wgan-gp"`` gives WGAN-GP's steps (below). The
    recipe's values are the 8-mode ring's; these rules scale them. With them goes the recipe's uniform prior,
    z ~ U(−1, 1)² (DEFAULTS says why); demos/results.md has the runs.

    * pack: PacGAN's (Lin et al. 2018) pack 2, D judging pairs of points, for every K. The plain GAN drops
      modes: with z ~ N(0, I) the 6-mode ring 5/6 on one seed in two, the 10-mode ring 8/10 on seed 1, the
      6×6 grid a whole line of 6 modes on both seeds (28/36, 30/36), and with z uniform still a line of the
      6×6 grid on seed 0 (30/36). A ReLU G that tore its 2-D latent the wrong way makes samples that each look
      real, so a D that judges one at a time has nothing to object to, while a pair from a G that lacks a mode
      is unlike a real pair. A packed G first spreads over the whole mixture and settles onto the centres
      late, so it needs the steps below.
    * batch: D must see every mode in every batch to notice one going missing. At m/K samples per mode a
      mode is absent from a batch with probability (1 − 1/K)^m ≈ e^(−m/K); 16 per mode makes that 1e-7,
      and the count per mode varies by ±1/√16 = 25%. So m = 16·K, at least 256, rounded up to 64.
    * steps: 2,500 per mode, rounded up to 1,000, and at least the 8-mode ring's 20,000 (the recipe's): with
      13,000 the 5-mode ring lost a mode on seed 0 (4/5), with 15,000 or 20,000 it had 5/5.
      G must carve its latent square into K pieces and sharpen every boundary between them, which the packed
      G does late, as the learning rate runs out: the 16-mode ring was at 89.0% high quality after 34,000
      steps and 95.4% after 44,000 (a scaling chosen from these runs and checked on every size measured, not
      derived).
      WGAN-GP (5 critic steps to each G step, so a step costs about 3 of the GAN's) keeps every mode up to the 6×6
      grid at its recipe's 6,000 steps but blurs them as K grows: its samples lie between the modes when G has had
      too few steps to sharpen K boundaries (ring:16 83-86% high quality, grid:6 58-76%, grid:8 21-32%). It takes
      750 steps a mode, at least its 6,000, scaled from pilots (12,000 took ring:16 to 92.4% on both seeds, 18,000
      took grid:6 to 94% and 96%). Under the rule every mode is filled and 95-97.5% of the samples are of high
      quality on ring:10 and the 4×4, 5×5 and 6×6 grids (2 seeds each), 96.0% and 96.2% on grid:8 and 92.4% on
      ring:16 (demos/results.md).
    * width: a ReLU MLP of width w on a 2-D input cuts it into O(w²) linear pieces per layer; 128 is ample
      for the 25-mode grid, then it grows as √(K/25) so the pieces per mode stay constant, rounded to 32.
    * data_scale: the data's spread s = √(mean of x² per coordinate) (modes and σ). G's output is s·MLP(z)
      and D sees x/s, so both networks work with numbers of order 1 on every mixture, and G's first
      samples, already about as wide as the data, overlap every mode: far modes (the corners of a big
      grid) are not left for G to find late, or never.

    The width σ of the modes needs no rule of its own: the decaying learning rate (lr to lr/100) lets G
    settle onto modes of any width. Measured on rings of 5 to 16 modes and grids of 3×3 to 8×8 (≥ 90% of the
    modes, ≥ 90% high quality): every size passes on every seed run except on three sizes. The 16-mode ring ends at
    87.6% to 96.0% high quality over 8 seeds (3 under 90%, each with a starved mode), the 15-mode ring at 85.2% and
    84.7% (both seeds run), and the 6×6 grid empties a whole row on 1 seed of 5 (31/36). 3,000 steps a mode, a
    batch of 32·K and pack 4 were each tried on those seeds: each mends some and breaks a seed that passed
    (demos/results.md, "The seeds that miss"), so the rule stays.
    Two D steps a G step (``k=2``, ``train gan --k 2``) feeds every thin mode of the 16-mode ring (8 seeds of 8 at
    94.8-97.3%) but leaves a row of the 5×5 grid thin on seed 0 (85.4%, against 97.4% with k = 1), so k stays 1.
    D at twice G's learning rate (``d_lr_ratio=2``) does the same for the ring at the cost of a k = 1 step (8 of 8 at
    95.0-97.2%) but empties a column of the 5×5 grid on seed 1 (20/25). At 1.5 every ring and every grid up to
    5×5 passes on every seed run (ring:16 on 8 seeds at 94.1-97.5%), and grid:6 seed 2 too, but grid:6 seed 3
    loses a row (30/36, where the rule fills all 36). At 1.25 ring:16 passes on 8 seeds (90.3-96.5%) and grid:6
    on 5, but the 5-mode ring's seed 1 loses a mode (4/5, where 1 and 1.5 fill all 5). Over the same 30 runs a
    mode is left empty in 6 at 1.25 and 5 at 1.5, against the rule's 3, so D's rate stays G's: no speed of D
    measured passes every seed of every size (demos/results.md, "D at 1.25 times G's learning rate").
    Instance noise on D's inputs (``instance_noise=0.1``: σ = 0.1 of the spread, falling to 0 at 30% of the run)
    mends every run that the rule or a faster D missed: ring:16 seeds 0, 3 and 5 (94.1-94.8%, the thinnest mode
    122-125 samples, against 10-28 under the rule), grid:6 seed 2 (36/36 at 98.3%), ring:5 seed 1 and the 5×5 grid's
    seeds 2 and 3, and it passes ring:15 on both seeds. But it starves a mode of ring:13 (seed 0: 89.4%, where the
    rule has 94.8%), loses a line of the 5×5 grid (seed 1: 22/25) and of the 6×6 grid (seed 4: 32/36), where the
    rule fills every mode, and empties 11 modes of grid:8 on seed 1 (53/64). With k = 2 beside it the rings of 13
    and 15 modes pass, but the 5×5 grid loses a row on seed 0 (20/25). So k stays 1, D learns at G's rate and the
    noise is off. Without more, the rule misses the target on ring:15 seeds 0 and 1 (85.2%, 84.7%), ring:16 seeds
    0, 3 and 5 and grid:6 seed 2 (demos/results.md, "Every size from 5 modes to 64").
    The R1 penalty on D (``r1=0.1`` in DEFAULTS: γ/2·E‖∇x D(x)‖² over real x, Mescheder et al. 2018, γ in units of
    the spread) is the recipe's: it mends those six and the four that instance noise missed (ring:13 seed 0, the
    5×5 grid's seed 1, grid:6 seed 4, grid:8 seed 1: 64/64 at 96.7%) and passes every other run measured, 46 runs on
    the rings of 5 to 16 modes and the grids of 3×3 to 8×8, with no mode left empty. The closest to the line
    is ring:16 seed 7 at 90.5% (the rule: 94.0%); its 8 seeds end at 90.5-95.8% with the thinnest mode at 109-128
    samples of 2,500. A step costs one double backward through D more: 12% (ring) to 24% (5×5 grid) more CPU time
    (demos/results.md, "The R1 penalty on D").
    """
    k = mixture.num_modes
    spread = float(np.sqrt((mixture.modes.astype(np.float64) ** 2).mean() + mixture.std ** 2))
    pack = 2
    batch = max(256, -(-16 * k // 64) * 64)
    least = DEFAULTS[(algorithm, "mixture")]["steps"]  # the recipe's own steps, measured on the 8-mode ring
    if algorithm == "wgan-gp":
        steps = max(least, 750 * k)
    else:
        steps = max(least, -(-2_500 * k // 1000) * 1000)
    width = max(128, -(-round(128 * (k / 25) ** 0.5) // 32) * 32)
    return {"pack": pack, "batch_size": batch, "steps": steps, "hidden": (width, width, width),
            "data_scale": round(spread, 4)}


# Goodfellow et al. 2014's GAN on 2-D data, which the lessons on its dynamics (07, 10, 11, 12) and their lab
# presets train: D judges one point at a time (the recipe packs pairs, PacGAN), z ~ N(0, I) (the recipe's is
# uniform), D learns at G's rate (Algorithm 1's) and sees the points themselves, with no instance noise, and D's
# loss is Algorithm 1's alone (the recipe adds the R1 penalty). ``build_experiment("gan", "ring", **PLAIN_GAN)``.
PLAIN_GAN = dict(pack=1, prior="normal", d_lr_ratio=1.0, instance_noise=0.0, r1=0.0)

# The 2-D recipes that take ``mixture_settings``' rules, and which of them. WGAN-GP keeps its own width and packs
# nothing, and takes the batch and data-scale rules, which it needs on the grid (seed 0, 6,000 steps, 25/25 modes at
# 57% high quality without them, 25/25 at 86% with them), and its own steps rule (demos/results.md).
ADAPTS_TO_MIXTURE = {"gan": ("pack", "batch_size", "steps", "hidden", "data_scale"),
                     "wgan-gp": ("batch_size", "steps", "data_scale"),
                     "vae": ("data_scale",), "aae": ("data_scale",), "ali": ("data_scale",)}

# Bounds checked before anything is allocated, so a typo is a one-line error instead of an
# out-of-memory crash: one batch of 65,536 images of 28x28 already takes ~3 GB of activations.
MAX_BATCH_SIZE = 65_536


def _check_sizes(cfg: dict) -> None:
    """The batch size and PacGAN packing within bounds, before any network or batch is built."""
    m, pack = cfg["batch_size"], cfg.get("pack", 1)
    if not 1 <= m <= MAX_BATCH_SIZE:
        raise ValueError(f"batch size {m} is out of range: expected 1 to {MAX_BATCH_SIZE}")
    if not 1 <= pack <= m:
        raise ValueError(f"pack={pack} is out of range: expected 1 to the batch size ({m})")
    if m % pack:
        raise ValueError(f"build_experiment: batch size {m} is not a multiple of pack={pack} (PacGAN: D judges packs "
                         f"of {pack} samples); give a multiple of {pack}, or pack=1 for the plain GAN")


def learning_rates(cfg: dict) -> tuple:
    """G's and D's learning rates: D's is ``d_lr_ratio`` times G's (Heusel et al. 2017's two time scales; 1 where
    the recipe has no such setting)."""
    return cfg["lr"], cfg["lr"] * cfg.get("d_lr_ratio", 1.0)


def make_optimizer(name, params, lr, betas=(0.5, 0.999), momentum=0.9):
    """One of OPTIMIZERS over ``params``, made as its row says."""
    return optimizer_row(name).make(list(params), lr, betas, momentum)


def optimizer_row(name) -> OptimizerRow:
    """The row of OPTIMIZERS for ``name``, or a one-line ValueError naming the optimizers there are."""
    if not isinstance(name, str) or name not in OPTIMIZERS:
        raise ValueError(f"unknown optimizer {name!r}: expected one of {', '.join(OPTIMIZERS)}")
    return OPTIMIZERS[name]


@dataclass
class Experiment:
    """Everything one run needs. ``evaluate()`` returns the metrics of the current generator."""

    algorithm: str
    data: str
    trainer: object
    sample_real: object
    kind: str                      # "mixture", "points" (csv:PATH) or "images"
    batch_size: int
    default_steps: int
    config: dict = field(default_factory=dict)
    mixture: object = None         # Mixture2D (kind "mixture") or Points2D (kind "points")
    image_shape: tuple = None      # (C, H, W) (kind "images")
    num_classes: int = 0
    images: object = None          # host training images in [−1, 1] (kind "images")
    labels: object = None
    schedulers: list = field(default_factory=list)  # with lr_decay: a LambdaLR per optimizer
    schedule_steps: float = 1.0                     # the total_steps the decay is laid over

    def lr_factor(self, t) -> float:
        """The learning-rate decay of ``lr_decay``: linear from 1 (step 0) to 0.01 (step 0.99·total), then
        held at 0.01, so the generator settles onto the modes (a ``LambdaLR`` multiplies lr by it)."""
        return max(1.0 - t / self.schedule_steps, 0.01)

    def set_lr(self, lr) -> None:
        """Steer the run: G's learning rate ``lr`` from the next step on, D's ``d_lr_ratio`` times it; with
        ``lr_decay`` the decay goes on from the new rates (step t's rate is lr · lr_factor(t))."""
        self.config["lr"] = lr
        for opt, base in zip((self.trainer.opt_g, self.trainer.opt_d), learning_rates(self.config)):
            for group in opt.param_groups:
                group["initial_lr"] = base  # the rate a scheduler starts from (PyTorch's key)
                group["lr"] = base * (self.lr_factor(self.trainer.step) if self.schedulers else 1.0)
        for scheduler in self.schedulers:
            scheduler.base_lrs = [group["initial_lr"] for group in scheduler.optimizer.param_groups]

    def instance_noise_std(self, t) -> float:
        """σ of the instance noise at step t: ``instance_noise`` · data_scale at step 0 (the setting is in units of
        the data's spread, as G and D are), falling linearly to 0 at INSTANCE_NOISE_UNTIL of the run."""
        sigma0 = self.config.get("instance_noise", 0.0) * self.config.get("data_scale", 1.0)
        return sigma0 * max(0.0, 1.0 - t / (INSTANCE_NOISE_UNTIL * self.schedule_steps))

    def train_step(self, total_steps=None) -> dict:
        """One ``trainer.train_step``, after the schedulers set the learning rate of this step.

        PyTorch's loop calls ``scheduler.step()`` after each ``opt.step()``; here each LambdaLR is instead placed
        at the trainer's step count (which checkpoints keep) before the step, so a resumed run continues it exactly
        (its closed form read directly: a step() before the optimizer's first would be PyTorch's warning)."""
        self.schedule_steps = float(total_steps or self.default_steps)
        for scheduler in self.schedulers:
            scheduler.last_epoch = self.trainer.step
            with optim.lr_scheduler._enable_get_lr_call(scheduler):  # (step()'s own reading: no warning)
                rates = scheduler.get_lr()
            for group, lr in zip(scheduler.optimizer.param_groups, rates):
                group["lr"] = lr  # lr = lr_0 · lr_factor(trainer.step)
        if self.config.get("instance_noise"):
            self.trainer.instance_noise = self.instance_noise_std(self.trainer.step)
        return self.trainer.train_step(self.sample_real)

    def evaluate(self, num_samples: int = 2500) -> dict:
        """Metrics of ``num_samples`` generated samples; never disturbs the training random stream."""
        rng_state = random.get_rng_state()  # evaluation draws noise: put the generators back afterwards
        try:
            t0 = time.perf_counter()
            if self.kind == "mixture":
                from minigan.metrics.mixture import mixture_metrics

                samples = self.trainer.sample(num_samples)
                result = mixture_metrics(samples, self.mixture)
            elif self.kind == "points":  # a learner's own points: no modes to count
                from minigan.metrics.points import points_metrics

                result = points_metrics(self.trainer.sample(num_samples), self.mixture.points)
            else:
                result = self._image_metrics(num_samples)
            if self.algorithm == "vae":  # the objective itself, on fresh data (nats per example)
                result["elbo"] = self.trainer.elbo(self.sample_real(min(num_samples, 1000)))
            if self.algorithm == "ali":  # G(E(x)) against x: what the encoder learned, on fresh data
                result["reconstruction_error"] = self.trainer.reconstruction_error(
                    self.sample_real(min(num_samples, 1000)))
            result["eval_seconds"] = time.perf_counter() - t0
            return result
        finally:
            random.set_rng_state(rng_state)

    def _image_metrics(self, num_samples):
        """Sample statistics (never blank), and the classifier-based digits metrics where they apply."""
        if self.algorithm == "cgan":
            per_class = max(1, num_samples // self.num_classes)
            fake, labels = self.trainer.sample_grid(per_class)
            labels = backend.asnumpy(labels)
        else:
            fake, labels = self.trainer.sample(num_samples), None
        fake01 = (backend.asnumpy(fake.array).astype(np.float32) + 1.0) / 2.0   # tanh range → [0, 1]
        result = {"num_samples": int(fake01.shape[0]), "pixel_mean": float(fake01.mean()),
                  "pixel_std": float(fake01.std()),
                  "sample_diversity": float(fake01.reshape(fake01.shape[0], -1).std(axis=0).mean())}
        if self.data in ("digits", "fashion-mnist", "mnist"):  # the data sets with a reference classifier
            from minigan.metrics.images import dataset_metrics

            result.update(dataset_metrics(fake01, self.data, labels))
        return result


def digits_metrics(fake01, labels=None) -> dict:
    """Reference-classifier metrics of generated 8×8 digits in [0, 1] (``minigan.metrics.images``):
    classes_covered, class_counts, kl_to_uniform, frechet_distance beside frechet_floor (two real
    halves of the same size, frechet_samples), and conditional_accuracy when ``labels`` (the
    intended classes) are given."""
    from minigan.metrics.images import digits_metrics as judge

    return judge(fake01, labels)


def _sampler_mixture(mixture, xp):
    def sample_real(m):
        """m points from the true mixture (drawn on the host, moved to the generator's device)."""
        return from_numpy(backend.asarray(mixture.sample(m), xp=xp))
    return sample_real


def _sampler_images(images, labels, xp, conditional):
    def sample_real(m):
        """m training images (with replacement), with their labels for a conditional GAN."""
        idx = random.randint(0, images.shape[0], (m,), xp=np)
        x = from_numpy(backend.asarray(images[idx], xp=xp))  # images[idx] is a fresh array: no copy
        return (x, backend.asarray(labels[idx], xp=xp)) if conditional else x
    return sample_real


def _mixture_networks(cfg, image_shape, num_classes):
    """An MLP G and D for 2-D points, in units of the data's spread (mixture_settings); D over ``pack`` points."""
    scale, pack = cfg.get("data_scale", 1.0), cfg.get("pack", 1)
    G = MLPGenerator(cfg["latent_dim"], (2,), cfg["hidden"], "relu", "linear", scale=scale)
    D = MLPDiscriminator((2 * pack,), cfg["hidden"], "leaky_relu", cfg.get("dropout_input", 0.0), scale=scale)
    return G, (PackedDiscriminator(D, pack) if pack > 1 else D)


def _mlp_networks(cfg, image_shape, num_classes):
    G = MLPGenerator(cfg["latent_dim"], image_shape, cfg["hidden"], "relu", "tanh", num_classes)
    D = MLPDiscriminator(image_shape, cfg["hidden"], "leaky_relu", cfg.get("dropout_input", 0.0), num_classes)
    return G, D


def _conv_networks(cfg, image_shape, num_classes):
    G = DCGANGenerator(cfg["latent_dim"], image_shape, cfg["channels"], num_classes)
    D = DCGANDiscriminator(image_shape, cfg["channels"], num_classes, cfg.get("dropout_input", 0.0),
                           batch_norm=cfg.get("d_batch_norm", False))
    return G, D


def _began_networks(cfg, image_shape, num_classes):
    """BEGAN's own networks (Berthelot et al. 2017, Figure 1), or DCGAN's G (with its N(0, 0.02) initialisation,
    Radford et al. 2016) before BEGAN's auto-encoder."""
    generator, convs = cfg.get("generator", "began"), cfg.get("convs_per_scale", 1)
    if generator not in ("began", "dcgan"):
        raise ValueError(f"build_experiment: got generator={generator!r}, expected 'began' (the "
                         "auto-encoder's decoder, the paper's) or 'dcgan' (DCGAN's generator)")
    if generator == "dcgan":
        G = DCGANGenerator(cfg["latent_dim"], image_shape, cfg.get("g_channels", cfg["channels"]))
        dcgan_normal_(G)
    else:
        G = BEGANGenerator(cfg["latent_dim"], image_shape, cfg["channels"], convs)
    return G, ConvAutoEncoderDiscriminator(image_shape, cfg["channels"], cfg["embedding"], convs)


# The networks of a run: G and D for its data (images: by the recipe's ``arch``), each a function of the recipe,
# the images' shape and the number of classes (0 unless conditional).
NETWORKS = {"mixture": _mixture_networks, "mlp": _mlp_networks, "conv": _conv_networks, "began": _began_networks}

# The trainer of each algorithm, and the settings of the recipe it takes by name beside G, D, their optimizers,
# latent_dim, batch_size and prior.
TRAINERS = {
    "gan": (GAN, ("k", "loss", "r1")),
    "wgan": (WGAN, ("n_critic", "clip")),
    "wgan-gp": (WGANGP, ("n_critic", "lam")),
    "began": (BEGAN, ("gamma", "lambda_k")),
    "cgan": (CGAN, ("num_classes", "k", "loss")),
    "ebgan": (EBGAN, ("margin", "pt_weight")),
    "ali": (ALI, ("encoder",)),  # (built by ``_ali_trainer``: three networks)
}


def recipe(algorithm, data, optimizer=None, loss=None, seed=0, batch_size=None, **overrides) -> tuple:
    """(kind, source, settings): the data ``parse_data`` reads and the recipe of ``algorithm`` on it, the defaults
    (DEFAULTS, adapted to the mixture at hand) with the caller's settings over them, each checked."""
    if algorithm not in ALGORITHMS + AUTOENCODERS:
        raise ValueError(f"unknown algorithm {algorithm!r}: expected one of {ALGORITHMS + AUTOENCODERS}")
    kind, source = parse_data(data)
    recipe_kind = "images28" if source in IMAGES_28 and (algorithm, "images28") in DEFAULTS else kind
    cfg = dict(DEFAULTS[(algorithm, "mixture" if kind == "points" else recipe_kind)])  # points: the ring's recipe
    if kind == "mixture" and algorithm in ADAPTS_TO_MIXTURE:  # the recipe adapts to the mixture at hand
        rules = mixture_settings(source, algorithm)
        cfg.update({k: rules[k] for k in ADAPTS_TO_MIXTURE[algorithm]})
    if kind == "points":  # refused now, not at the first evaluation many steps into the run
        from minigan.metrics.points import MIN_POINTS, NEIGHBOURS

        if len(source.points) < MIN_POINTS:
            raise ValueError(f"data {data!r} holds {len(source.points)} points; a run's evaluation (precision and "
                             f"recall over each point's k = {NEIGHBOURS} nearest neighbours) needs at least "
                             f"{MIN_POINTS}; give more rows")
        if "data_scale" in ADAPTS_TO_MIXTURE.get(algorithm, ()):  # the spread of the points
            cfg["data_scale"] = round(float(np.sqrt((source.points.astype(np.float64) ** 2).mean())), 4)
    cfg.setdefault("prior", DEFAULT_PRIOR)
    unknown = [k for k in overrides if k not in cfg]
    if unknown:
        raise ValueError(f"build_experiment: unknown setting(s) {unknown} for {algorithm} on {kind} data; "
                         f"expected some of {sorted(cfg)}")
    cfg.update({k: v for k, v in overrides.items() if v is not None})
    if optimizer is not None:
        optimizer_row(optimizer)
        cfg["optimizer"] = optimizer
    if batch_size is not None:
        cfg["batch_size"] = batch_size
    if algorithm in ("wgan", "wgan-gp", "began", "ebgan", "ali", *AUTOENCODERS):
        if loss is not None:
            raise ValueError(f"--loss applies to gan and cgan; {algorithm}'s losses are fixed by its algorithm")
    else:
        loss = DEFAULT_LOSS if loss is None else loss
        generator_loss_row(loss, "build_experiment")
        cfg["loss"] = loss
    cfg.update(algorithm=algorithm, data=data, seed=int(seed), backend=backend.backend_name())
    _check_sizes(cfg)
    if algorithm == "gan":
        non_negative_float("build_experiment", "instance_noise", cfg.get("instance_noise", 0.0))
        non_negative_float("build_experiment", "r1", cfg.get("r1", 0.0))
    return kind, source, cfg


def _image_data(algorithm, data, source, cfg) -> tuple:
    """(images, labels, image_shape, num_classes) of an image run, its recipe's image settings checked."""
    images, labels = load_images(source, "train", scale="pm1")
    image_shape, num_classes = tuple(images.shape[1:]), int(labels.max()) + 1 if algorithm == "cgan" else 0
    if num_classes > MAX_CLASSES:
        raise ValueError(f"data {data!r} has labels up to {num_classes - 1}; at most {MAX_CLASSES} classes "
                         "are supported")
    if algorithm in AUTOENCODERS and cfg["arch"] != "mlp":
        raise ValueError(f"build_experiment: {algorithm} takes arch='mlp' (an MLP encoder and decoder), got "
                         f"arch={cfg['arch']!r}")
    if cfg["arch"] == "began" and algorithm != "began":
        raise ValueError(f"build_experiment: arch='began' (an auto-encoder discriminator) is BEGAN's; "
                         f"{algorithm} takes arch='mlp' or 'conv'")
    if cfg["arch"] not in ("mlp", "conv", "began"):
        raise ValueError(f"build_experiment: got arch={cfg['arch']!r}, expected 'mlp' or 'conv'"
                         + (" or 'began'" if algorithm == "began" else ""))
    if cfg.get("pack", 1) > 1:
        raise ValueError("build_experiment: pack applies to 2-D mixtures only")
    return images, labels, image_shape, num_classes


def build_experiment(algorithm, data, optimizer=None, loss=None, seed=0, batch_size=None, **overrides) -> Experiment:
    """Seeded networks, optimizers, trainer and data sampler for ``algorithm`` on ``data`` (see module doc): the
    recipe (``recipe``), then G and D from ``NETWORKS``, their optimizers, and the trainer from ``TRAINERS``."""
    kind, source, cfg = recipe(algorithm, data, optimizer, loss, seed, batch_size, **overrides)
    random.manual_seed(int(seed))  # every initial weight, batch and noise sample follows from the seed
    xp = backend.active_module()
    points = kind in ("mixture", "points")
    if points and algorithm == "cgan":
        raise ValueError("cgan needs labelled data: use --data digits, fashion-mnist, mnist or idx:PATH")
    mixture, images, labels, image_shape, num_classes = (source, None, None, None, 0) if points else (
        None, *_image_data(algorithm, data, source, cfg))
    if algorithm in AUTOENCODERS:
        trainer, opts = _latent_trainer(algorithm, cfg, (2,) if points else image_shape)
    else:
        trainer, opts = _adversarial_trainer(algorithm, cfg, points, image_shape, num_classes)
    sample_real = _sampler_mixture(mixture, xp) if points else _sampler_images(images, labels, xp,
                                                                               algorithm == "cgan")
    cfg = {k: (list(v) if isinstance(v, tuple) else v) for k, v in cfg.items()}
    exp = Experiment(algorithm, data, trainer, sample_real, kind, cfg["batch_size"], int(cfg["steps"]), cfg, mixture,
                     image_shape, num_classes, images, labels)
    if cfg.get("lr_decay"):
        exp.schedule_steps = float(exp.default_steps)
        exp.schedulers = [optim.lr_scheduler.LambdaLR(opt, exp.lr_factor) for opt in opts]
    if cfg.get("instance_noise"):
        exp.trainer.instance_noise = exp.instance_noise_std(0)  # step 0's σ; train_step follows the schedule
    return exp


def _adversarial_trainer(algorithm, cfg, points, image_shape, num_classes) -> tuple:
    """(trainer, its optimizers) of a GAN: G and D from ``NETWORKS``, their optimizers, the trainer from
    ``TRAINERS``."""
    G, D = NETWORKS["mixture" if points else cfg["arch"]](cfg, image_shape, num_classes)
    if algorithm == "ali":
        return _ali_trainer(cfg, G, (2,) if points else image_shape)
    if not points and cfg.get("init", "default") == "dcgan":  # N(0, 0.02) weights, γ ~ N(1, 0.02) (Radford et al.)
        dcgan_normal_(G)
        dcgan_normal_(D)
    if algorithm in ("began", "ebgan") and cfg.get("arch") != "began":  # an MLP auto-encoder in place of that D
        D = AutoEncoderDiscriminator((2,) if points else image_shape, cfg["ae_hidden"], cfg["embedding"])
    betas = tuple(cfg.get("betas", (0.5, 0.999)))
    g_lr, d_lr = learning_rates(cfg)
    opt_g = make_optimizer(cfg["optimizer"], G.parameters(), g_lr, betas)
    opt_d = make_optimizer(cfg["optimizer"], D.parameters(), d_lr, betas)
    # r1 is in units of the spread, as G and D are: γ·s² on ‖∇x D‖² in the data's units
    given = {**cfg, "num_classes": num_classes, "r1": cfg.get("r1", 0.0) * cfg.get("data_scale", 1.0) ** 2}
    trainer_class, names = TRAINERS[algorithm]
    trainer = trainer_class(G, D, opt_g, opt_d, cfg["latent_dim"], batch_size=cfg["batch_size"], prior=cfg["prior"],
                            **{name: given[name] for name in names})
    return trainer, (opt_g, opt_d)


def _ali_trainer(cfg, G, data_shape) -> tuple:
    """(trainer, its optimizers) of ALI: ``G`` as built for the GAN, an MLP encoder q(z|x) and a discriminator on
    (x, z) pairs; one optimizer steps G and the encoder together (θ_g of Algorithm 1), one D."""
    scale, latent, hidden = cfg.get("data_scale", 1.0), cfg["latent_dim"], tuple(cfg["hidden"])
    encoder_kind = cfg["encoder"]
    E = MLPEncoder(data_shape, latent, hidden, "leaky_relu", gaussian=encoder_kind == "gaussian", scale=scale)
    D = JointDiscriminator(data_shape, latent, hidden, "leaky_relu", scale=scale)
    betas = tuple(cfg.get("betas", (0.5, 0.999)))
    g_lr, d_lr = learning_rates(cfg)
    opt_g = make_optimizer(cfg["optimizer"], [*G.parameters(), *E.parameters()], g_lr, betas)
    opt_d = make_optimizer(cfg["optimizer"], D.parameters(), d_lr, betas)
    trainer = ALI(G, E, D, opt_g, opt_d, latent, encoder_kind=encoder_kind, batch_size=cfg["batch_size"],
                  prior=cfg["prior"])
    return trainer, (opt_g, opt_d)


def _latent_trainer(algorithm, cfg, data_shape) -> tuple:
    """(trainer, its optimizers) of the VAE or the AAE: an MLP encoder and decoder (mirrored widths) for data of
    ``data_shape``, P(x|z) a Normal on 2-D points and a Bernoulli per pixel on images; the AAE's D an MLP over z."""
    points, scale, latent = data_shape == (2,), cfg.get("data_scale", 1.0), cfg["latent_dim"]
    hidden, betas = tuple(cfg["hidden"]), tuple(cfg.get("betas", (0.9, 0.999)))
    kind = "gaussian" if algorithm == "vae" else cfg.get("encoder", "deterministic")  # the AAE's q(z|x): any of 3
    noise_dim = cfg["noise_dim"] if kind == "universal" else 0  # η's size, beside x (the universal approximator)
    # the AAE's categorical code (Makhzani et al. 2016, §6): K class logits beside z out of the encoder, (y, z) into
    # the decoder; 0: none
    classes = categorical_classes(cfg.get("categorical", 0)) if algorithm == "aae" else 0  # (AAE refuses the rest)
    encoder = MLPEncoder(data_shape, classes + latent, hidden, gaussian=kind == "gaussian", scale=scale,
                         noise_dim=noise_dim)
    decoder = MLPDecoder(classes + latent, data_shape, hidden[::-1], likelihood="normal" if points else "bernoulli",
                         scale=scale, sigma=cfg.get("sigma"))
    opt = lambda params: make_optimizer(cfg["optimizer"], params, cfg["lr"], betas)  # noqa: E731
    if algorithm == "vae":
        opts = (opt(encoder.parameters()), opt(decoder.parameters()))
        return VAE(encoder, decoder, *opts, latent, batch_size=cfg["batch_size"], prior=cfg["prior"],
                   beta=cfg["beta"]), opts
    D = MLPDiscriminator((latent,), tuple(cfg["d_hidden"]), "leaky_relu")
    D_cat = MLPDiscriminator((classes,), tuple(cfg["d_hidden"]), "leaky_relu") if classes else None  # over y
    # the regularization phase's rate (D's and the encoder's step to fool it), set apart from the reconstruction's as
    # Makhzani et al. 2016 set the two phases' rates apart; None: the reconstruction's lr. D's own rate is d_lr_ratio
    # times it (the GANs' two time scales, Heusel et al. 2017: a D quick enough to keep up with the encoder's codes)
    reg_lr = cfg.get("reg_lr") or cfg["lr"]
    opt_reg = lambda params, lr: make_optimizer(cfg["optimizer"], params, lr, betas)  # noqa: E731
    opts = (opt([*encoder.parameters(), *decoder.parameters()]),
            opt_reg([*D.parameters(), *(D_cat.parameters() if classes else ())], reg_lr * cfg.get("d_lr_ratio", 1.0)),
            opt_reg(encoder.parameters(), reg_lr))
    return AAE(encoder, decoder, D, *opts, latent, batch_size=cfg["batch_size"], prior=cfg["prior"],
               encoder_kind=kind, categorical=classes, discriminator_cat=D_cat), opts


__all__ = ["build_experiment", "Experiment", "DEFAULTS", "PLAIN_GAN", "mixture_settings", "ALGORITHMS", "OPTIMIZERS",
           "parse_data", "no_grad"]
