"""Experiments with tuned defaults: ``build_experiment("gan", "ring")`` → networks, optimizers, data, metrics.

    exp = build_experiment("gan", "ring", seed=0)
    for _ in range(exp.default_steps):
        exp.trainer.train_step(exp.sample_real)
    exp.evaluate()        # {"modes_covered": 8, "high_quality": 0.97, "reverse_kl": 0.01, ...}

Data: "ring" (8 Gaussians on a circle), "grid" (5×5), "ring:K", "grid:K", "digits" (the bundled 8×8
digits) and "idx:PATH" (an MNIST-format folder, e.g. 28×28 MNIST). Images are scaled to [−1, 1]
for a tanh generator.

The defaults (``DEFAULTS``) are the known-good recipes for 2-D mixtures (an MLP G and D with 3 hidden
layers, Adam with β1 = 0.5) and the papers' own settings for WGAN (RMSProp, α = 5e−5, c = 0.01,
n_critic = 5). Any default can be overridden by keyword: ``build_experiment("gan", "grid", lr=2e-4,
hidden=(256, 256, 256), pack=2)``.

Best 2-D recipes, PacGAN's packing and more steps on top of the defaults (README "Results" says what
they reach over 5 seeds):

* ring: ``build_experiment("gan", "ring", pack=4, steps=20_000)``
  (``python -m minigan train gan --data ring --pack 4 --steps 20000``);
* grid: ``build_experiment("gan", "grid", pack=4, batch_size=512, steps=80_000)``
  (``python -m minigan train gan --data grid --pack 4 --batch-size 512 --steps 80000``, ~8 minutes on
  a CPU). The packed generator first spreads over the whole square and settles onto the 25 centres only
  as the learning rate decays; the plain GAN is sharper sooner but leaves a row or column of modes
  nearly empty. Even this recipe misses one of the 25 modes on one seed in five.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from minigan import backend, optim
from minigan.backend import np
from minigan.data import MAX_CLASSES
from minigan.function import no_grad
from minigan.gans.cgan import CGAN
from minigan.gans.gan import GAN, LOSSES
from minigan.gans.models import (
    DCGANDiscriminator,
    DCGANGenerator,
    MLPDiscriminator,
    MLPGenerator,
    PackedDiscriminator,
)
from minigan.gans.wgan import WGAN
from minigan.gans.wgan_gp import WGANGP
from minigan.tensor import from_numpy

ALGORITHMS = ("gan", "wgan", "wgan-gp", "cgan")
OPTIMIZERS = ("adam", "optimistic-adam", "rmsprop", "sgd")
DATA_HELP = '"ring", "grid", "ring:K", "grid:K", "digits" or "idx:PATH"'

# Digits (c)GAN: the DCGAN-style convnets (arch "conv"), lr 1e-3 decayed linearly to 1e-5, batch 128, 5,000
# steps. Measured (cGAN Fréchet distance, floor 13.9): the earlier MLP recipe (lr 2e-3, 3,000 steps) gave
# 30 ± 1.5 over 5 seeds; conv at 3,000 steps 20.9 / 22.7 / 37.6 on seeds 0–2; this recipe 15.4 ± 0.87 over
# 5 seeds (README "Results"). MLPs at lr 2e-4 / batch 64 stay one label-blind blob for ~2,500 steps.
IMAGES_GAN = dict(optimizer="adam", lr=1e-3, betas=(0.5, 0.999), batch_size=128, steps=5_000, latent_dim=32,
                  hidden=(256, 256), k=1, dropout_input=0.0, arch="conv", channels=32, lr_decay=True)

# Tuned defaults per (algorithm, kind of data). "mixture" = 2-D rings and grids, "images" = digits / idx.
DEFAULTS = {
    # 2-D GAN: a 2-D latent and lr 1e-3 decayed linearly to 1e-5 (measured on the ring at 3,000 steps: with
    # a 16-D latent, at lr 2e-4 or 1e-3, almost no sample lies within 3σ = 0.03 of a centre; with a 2-D
    # latent 80% do). Best on the ring: --pack 4 --steps 20000; on the grid: --pack 4 --batch-size 512
    # --steps 80000.
    ("gan", "mixture"): dict(optimizer="adam", lr=1e-3, betas=(0.5, 0.999), batch_size=256, steps=10_000,
                             latent_dim=2, hidden=(128, 128, 128), k=1, pack=1, dropout_input=0.0, lr_decay=True),
    ("wgan", "mixture"): dict(optimizer="rmsprop", lr=5e-5, batch_size=64, steps=10_000, latent_dim=16,
                              hidden=(128, 128, 128), n_critic=5, clip=0.01),
    # WGAN-GP on 2-D data: n_critic = 5 and Adam β = (0, 0.9) as in the paper, but λ = 0.1, the value of the
    # toy script published with it (a smaller λ helps on toy tasks), with the 2-D GAN's latent, width and lr 1e-3
    # decayed linearly. Measured (batch 256): ring, 6,000 steps, seeds 0-4: 8/8 modes every time, 96.4 ± 0.14%
    # high quality, reverse KL 0.0014 ± 0.0002, about 4.5 minutes a run; the critic's estimate tracks quality
    # (Spearman ρ −0.81 to −0.98). Grid, 4,000 steps, seed 0: 25/25 modes but 28% high quality. With λ = 10
    # the ring reached 8/8 and 72% in 3,000 steps but collapsed to one mode over 8,000 (and at lr 3e-4).
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
}
DEFAULT_LOSS = "non-saturating"

# Bounds checked before anything is allocated, so a typo is a one-line error instead of an
# out-of-memory crash: one batch of 65,536 images of 28x28 already takes ~3 GB of activations.
MAX_BATCH_SIZE = 65_536
MAX_MODES = 10_000    # modes of a 2-D mixture: ring:K with K <= 10,000, grid:K with K*K <= 10,000


def parse_data(data: str):
    """("mixture", Mixture2D) or ("images", (spec, loader)) for a --data string; clear error otherwise."""
    from minigan.data import toy2d

    if not isinstance(data, str) or not data.strip():
        raise ValueError(f"unknown data {data!r}: expected {DATA_HELP}")
    name = data.strip().lower().partition(":")[0]
    if name in ("ring", "grid"):
        _check_modes(data, name)
        try:
            return "mixture", toy2d.parse_dataset(data)
        except ValueError:
            raise ValueError(f"unknown data {data!r}: expected {DATA_HELP} (K a positive integer)") from None
    if data.strip().lower() == "digits":
        return "images", "digits"
    if name == "idx":
        path = data.strip()[4:]
        if not path:
            raise ValueError(f"unknown data {data!r}: idx needs a folder, as in idx:/data/mnist")
        return "images", data.strip()
    raise ValueError(f"unknown data {data!r}: expected {DATA_HELP}")


def _check_modes(data: str, name: str) -> None:
    """ring:K and grid:K within MAX_MODES modes (a mixture stores every mode's centre)."""
    arg = data.strip().partition(":")[2]
    if arg.isdigit():
        modes = int(arg) if name == "ring" else int(arg) ** 2
        if modes > MAX_MODES:
            raise ValueError(f"data {data!r} has {modes} modes; at most {MAX_MODES} are supported")


def _check_sizes(cfg: dict) -> None:
    """The batch size and PacGAN packing within bounds, before any network or batch is built."""
    m, pack = cfg["batch_size"], cfg.get("pack", 1)
    if not 1 <= m <= MAX_BATCH_SIZE:
        raise ValueError(f"batch size {m} is out of range: expected 1 to {MAX_BATCH_SIZE}")
    if not 1 <= pack <= m:
        raise ValueError(f"pack={pack} is out of range: expected 1 to the batch size ({m})")
    if m % pack:
        raise ValueError(f"build_experiment: batch size {m} is not a multiple of pack={pack}")


def load_images(spec: str):
    """(images float32 (N, C, H, W) in [−1, 1], labels int64 (N,)) on the host, train split."""
    if spec == "digits":
        from minigan.data.digits import load_digits

        return load_digits("train", scale="pm1")
    from minigan.data.idx import load_idx_folder

    return load_idx_folder(spec[4:], "train", scale="pm1")


def make_optimizer(name, params, lr, betas=(0.5, 0.999), momentum=0.9):
    """One of OPTIMIZERS over ``params``. "sgd" is SGD with momentum (Goodfellow et al.: "We used momentum")."""
    params = list(params)
    if name == "adam":
        return optim.Adam(params, lr=lr, betas=betas)
    if name == "optimistic-adam":
        return optim.OptimisticAdam(params, lr=lr, betas=betas)
    if name == "rmsprop":
        return optim.RMSprop(params, lr=lr)
    if name == "sgd":
        return optim.SGD(params, lr=lr, momentum=momentum)
    raise ValueError(f"unknown optimizer {name!r}: expected one of {OPTIMIZERS}")


@dataclass
class Experiment:
    """Everything one run needs. ``evaluate()`` returns the metrics of the current generator."""

    algorithm: str
    data: str
    trainer: object
    sample_real: object
    kind: str                      # "mixture" or "images"
    batch_size: int
    default_steps: int
    config: dict = field(default_factory=dict)
    mixture: object = None         # Mixture2D (kind "mixture")
    image_shape: tuple = None      # (C, H, W) (kind "images")
    num_classes: int = 0
    images: object = None          # host training images in [−1, 1] (kind "images")
    labels: object = None

    def train_step(self, total_steps=None) -> dict:
        """One ``trainer.train_step``; with ``lr_decay`` the learning rate first falls linearly
        from lr (step 0) to lr/100 (step ``total_steps``), so the generator settles onto the modes."""
        if self.config.get("lr_decay"):
            frac = 1.0 - self.trainer.step / float(total_steps or self.default_steps)
            for opt in (self.trainer.opt_g, self.trainer.opt_d):
                opt.lr = self.config["lr"] * max(frac, 0.01)
        return self.trainer.train_step(self.sample_real)

    def evaluate(self, num_samples: int = 2500) -> dict:
        """Metrics of ``num_samples`` generated samples; never disturbs the training random stream."""
        rng_state = backend.get_rng_state()  # evaluation draws noise: put the generators back afterwards
        try:
            t0 = time.perf_counter()
            if self.kind == "mixture":
                from minigan.metrics.mixture import mixture_metrics

                samples = self.trainer.sample(num_samples)
                result = mixture_metrics(samples, self.mixture)
            else:
                result = self._image_metrics(num_samples)
            result["eval_seconds"] = time.perf_counter() - t0
            return result
        finally:
            backend.set_rng_state(rng_state)

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
        if self.data == "digits":
            result.update(digits_metrics(fake01, labels))
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
        idx = backend.randint(0, images.shape[0], (m,), xp=np)
        x = from_numpy(backend.asarray(images[idx], xp=xp))  # images[idx] is a fresh array: no copy
        return (x, backend.asarray(labels[idx], xp=xp)) if conditional else x
    return sample_real


def build_experiment(algorithm, data, optimizer=None, loss=None, seed=0, batch_size=None, **overrides) -> Experiment:
    """Seeded networks, optimizers, trainer and data sampler for ``algorithm`` on ``data`` (see module doc)."""
    if algorithm not in ALGORITHMS:
        raise ValueError(f"unknown algorithm {algorithm!r}: expected one of {ALGORITHMS}")
    kind, source = parse_data(data)
    cfg = dict(DEFAULTS[(algorithm, kind)])
    unknown = [k for k in overrides if k not in cfg]
    if unknown:
        raise ValueError(f"build_experiment: unknown setting(s) {unknown} for {algorithm} on {kind} data; "
                         f"expected some of {sorted(cfg)}")
    cfg.update({k: v for k, v in overrides.items() if v is not None})
    if optimizer is not None:
        if optimizer not in OPTIMIZERS:
            raise ValueError(f"unknown optimizer {optimizer!r}: expected one of {OPTIMIZERS}")
        cfg["optimizer"] = optimizer
    if batch_size is not None:
        cfg["batch_size"] = batch_size
    if algorithm in ("wgan", "wgan-gp"):
        if loss is not None:
            raise ValueError(f"--loss applies to gan and cgan; {algorithm}'s losses are fixed by its algorithm")
    else:
        loss = DEFAULT_LOSS if loss is None else loss
        if loss not in LOSSES:
            raise ValueError(f"unknown loss {loss!r}: expected one of {LOSSES}")
        cfg["loss"] = loss
    cfg.update(algorithm=algorithm, data=data, seed=int(seed), backend=backend.backend_name())

    _check_sizes(cfg)
    backend.manual_seed(int(seed))  # every initial weight, batch and noise sample follows from the seed
    xp = backend.active_module()
    conditional = algorithm == "cgan"
    num_classes, image_shape, mixture, images, labels = 0, None, None, None, None
    if kind == "mixture":
        mixture = source
        if conditional:
            raise ValueError("cgan needs labelled data: use --data digits or --data idx:PATH")
        G = MLPGenerator(cfg["latent_dim"], (2,), cfg["hidden"], "relu", "linear")
        pack = cfg.get("pack", 1)
        D = MLPDiscriminator((2 * pack,), cfg["hidden"], "leaky_relu", cfg.get("dropout_input", 0.0))
        if pack > 1:
            D = PackedDiscriminator(D, pack)
        sample_real = _sampler_mixture(mixture, xp)
    else:
        images, labels = load_images(source)
        image_shape, num_classes = tuple(images.shape[1:]), int(labels.max()) + 1 if conditional else 0
        if num_classes > MAX_CLASSES:
            raise ValueError(f"data {data!r} has labels up to {num_classes - 1}; at most {MAX_CLASSES} classes "
                             "are supported")
        if cfg["arch"] == "conv":
            G = DCGANGenerator(cfg["latent_dim"], image_shape, cfg["channels"], num_classes)
            D = DCGANDiscriminator(image_shape, cfg["channels"], num_classes, cfg.get("dropout_input", 0.0))
        elif cfg["arch"] == "mlp":
            G = MLPGenerator(cfg["latent_dim"], image_shape, cfg["hidden"], "relu", "tanh", num_classes)
            D = MLPDiscriminator(image_shape, cfg["hidden"], "leaky_relu", cfg.get("dropout_input", 0.0),
                                 num_classes)
        else:
            raise ValueError(f"build_experiment: got arch={cfg['arch']!r}, expected 'mlp' or 'conv'")
        if cfg.get("pack", 1) > 1:
            raise ValueError("build_experiment: pack applies to 2-D mixtures only")
        sample_real = _sampler_images(images, labels, xp, conditional)

    betas = tuple(cfg.get("betas", (0.5, 0.999)))
    opt_g = make_optimizer(cfg["optimizer"], G.parameters(), cfg["lr"], betas)
    opt_d = make_optimizer(cfg["optimizer"], D.parameters(), cfg["lr"], betas)
    m = cfg["batch_size"]
    if algorithm == "gan":
        trainer = GAN(G, D, opt_g, opt_d, cfg["latent_dim"], k=cfg["k"], loss=cfg["loss"], batch_size=m)
    elif algorithm == "wgan":
        trainer = WGAN(G, D, opt_g, opt_d, cfg["latent_dim"], n_critic=cfg["n_critic"], clip=cfg["clip"],
                       batch_size=m)
    elif algorithm == "wgan-gp":
        trainer = WGANGP(G, D, opt_g, opt_d, cfg["latent_dim"], n_critic=cfg["n_critic"], lam=cfg["lam"],
                         batch_size=m)
    else:
        trainer = CGAN(G, D, opt_g, opt_d, cfg["latent_dim"], num_classes, k=cfg["k"], loss=cfg["loss"],
                       batch_size=m)
    cfg = {k: (list(v) if isinstance(v, tuple) else v) for k, v in cfg.items()}
    return Experiment(algorithm, data, trainer, sample_real, kind, m, int(cfg["steps"]), cfg, mixture,
                      image_shape, num_classes, images, labels)


__all__ = ["build_experiment", "Experiment", "DEFAULTS", "ALGORITHMS", "OPTIMIZERS", "parse_data", "no_grad"]
