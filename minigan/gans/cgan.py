"""Conditional GAN: Mirza & Osindero 2014, "Conditional Generative Adversarial Nets"
(CS/DS 541 and 552, Jacob Whitehill).

    min_G max_D V(D, G) = E_x[log D(x | y)] + E_z[log(1 − D(G(z | y)))]          (Mirza & Osindero, eq. 2)

G also takes a label (a one-hot class) saying what to generate, and D takes it too, to judge a
particular kind of real against fake. Why both? G must know which class to draw, and D must be able to
call a realistic 3 a fake when the label says 7 (CS/DS 552, Jacob Whitehill). Our MLP networks
concatenate the one-hot label to z and to x; the conv discriminator adds an embedded label as an extra
image channel (``minigan.gans.models``).

Training is Goodfellow et al.'s Algorithm 1 (the GAN paper lecture) with every D and G conditioned on y:

    for k steps do
        Sample {z(i)} from p_g(z) and labels {y_fake(i)} from the label prior (uniform over classes).
        Sample {(x(i), y(i))} from p_data(x, y).
        Update D by ascending ∇θd 1/m Σ [log D(x(i) | y(i)) + log(1 − D(G(z(i) | y_fake(i)) | y_fake(i)))]
    end for
    Sample {z(i)} and labels {y_fake(i)}.
    Update G by descending ∇θg 1/m Σ log(1 − D(G(z(i) | y_fake(i)) | y_fake(i)))   (or −log D(·), non-saturating)
"""

from __future__ import annotations

import minigan.arguments as arguments
import minigan.functional as F
from minigan.arguments import positive_int
from minigan.engine.grad_mode import no_grad
from minigan.gans.gan import GAN, frozen, full_like
from minigan.nn.module import evaluating
from minigan.surface import random
from minigan.surface.tensor import Tensor


class CGAN(GAN):
    """``CGAN(generator, discriminator, opt_g, opt_d, latent_dim, num_classes, k=1, loss=..., batch_size=64,
    prior="normal")``.

    ``generator(z, labels)`` and ``discriminator(x, labels)`` take integer labels (N,) on their device.
    ``train_step(sample_real)`` with ``sample_real(m) -> (x, labels)``.
    """

    name = "cgan"

    def __init__(self, generator, discriminator, opt_g, opt_d, latent_dim, num_classes, k=1,
                 loss="non-saturating", batch_size=64, prior="normal"):
        super().__init__(generator, discriminator, opt_g, opt_d, latent_dim, k=k, loss=loss, batch_size=batch_size,
                         prior=prior)
        self.num_classes = positive_int("CGAN", "num_classes", num_classes)

    def random_labels(self, m: int):
        """m labels drawn uniformly from 0..num_classes−1 (the label prior), on the generator's device."""
        return random.randint(0, self.num_classes, (m,), xp=self.xp)

    def _labels(self, labels, n, who):
        """Integer labels on the generator's device, checked against num_classes."""
        return self.xp.asarray(arguments.labels(who, labels, n, self.num_classes))

    def train_step(self, sample_real) -> dict:
        """One iteration of Algorithm 1, conditioned on labels; returns floats {loss_d, loss_g, d_real, d_fake}."""
        m, G, D = self.batch_size, self.G, self.D
        for _ in range(self.k):                                             # for k steps do
            z, y_fake = self.noise(m), self.random_labels(m)                #   Sample {z(i)} and {y_fake(i)}
            x, y = sample_real(m)                                           #   Sample {(x(i), y(i))} from p_data
            # Ascend ∇θd 1/m Σ [log D(x|y) + log(1 − D(G(z|y_fake)|y_fake))]: descend the two BCEs.
            real_logits = D(x, y)
            fake_logits = D(G(z, y_fake).detach(), y_fake)                 # detach(): no gradient to G
            loss_d = (F.binary_cross_entropy_with_logits(real_logits, full_like(real_logits, 1.0))
                      + F.binary_cross_entropy_with_logits(fake_logits, full_like(fake_logits, 0.0)))
            self.opt_d.zero_grad()
            loss_d.backward()
            self.opt_d.step()
        z, y_fake = self.noise(m), self.random_labels(m)                    # Sample {z(i)} and {y_fake(i)}
        with frozen(D):                                                     # fresh forward through the updated D
            loss_g = self.generator_loss(D(G(z, y_fake), y_fake))
            self.opt_g.zero_grad()
            loss_g.backward()
            self.opt_g.step()
        self.step += 1
        return {"loss_d": loss_d.item(), "loss_g": loss_g.item(),
                "d_real": real_logits.detach().sigmoid().mean().item(),
                "d_fake": fake_logits.detach().sigmoid().mean().item()}

    def sample(self, n: int, labels=None) -> Tensor:
        """n samples G(z | y) in evaluation mode; labels (N,) ints, or None for uniformly random labels."""
        positive_int("CGAN.sample", "n", n)
        labels = self.random_labels(n) if labels is None else self._labels(labels, n, "CGAN.sample")
        with evaluating(self.G), no_grad():
            return self.G(self.noise(n), labels)

    def sample_grid(self, n_per_class: int):
        """(images, labels) with one row per class: num_classes·n_per_class samples, class-major order."""
        positive_int("CGAN.sample_grid", "n_per_class", n_per_class)
        labels = self.xp.repeat(self.xp.arange(self.num_classes), n_per_class)
        return self.sample(int(labels.shape[0]), labels), labels
