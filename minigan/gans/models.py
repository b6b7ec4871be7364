"""The networks the GANs train: small MLPs for 2-D mixtures, DCGAN-style convnets for images.

Every discriminator (but BEGAN's auto-encoder) returns LOGITS of shape (N, 1) — no sigmoid: the GAN's
loss applies it inside a stable BCE-with-logits, and the WGAN critic must not have one at all.

Conditional variants (``num_classes > 0``, Mirza & Osindero 2014; CS/DS 552: the label goes to G and
to D) take ``(input, labels)``:
  * MLPs concatenate the one-hot label to z (in G) and to x (in D);
  * the conv generator concatenates the one-hot label to z; the conv discriminator embeds the label
    (``nn.Embedding``) into an extra H×W image channel.

``AutoEncoderDiscriminator`` is BEGAN's and EBGAN's: it returns a reconstruction of its input, not a logit.

``PackedDiscriminator`` is PacGAN's packing (Lin et al. 2018): D judges ``pack`` samples at once,
concatenated, which makes a collapsed generator easy to spot.

``JointDiscriminator`` is ALI's and BiGAN's: it judges a pair (x, z), not x alone.

``MLPEncoder`` and ``MLPDecoder`` are the two halves of the VAE (Q(z|x) and P(x|z), ``minigan.gans.vae``) and of
the adversarial autoencoder (``minigan.gans.aae``), whose D is an ``MLPDiscriminator`` over z.
"""

from __future__ import annotations

import math

import minigan.functional as F
from minigan import nn
from minigan.distributions import Normal
from minigan.engine import backend

ACTIVATIONS = {"relu": lambda: nn.ReLU(), "leaky_relu": lambda: nn.LeakyReLU(0.2), "tanh": lambda: nn.Tanh()}


def dcgan_normal_(module):
    """Radford et al. 2016 (DCGAN), Section 4: every Conv/ConvTranspose/Linear weight ~ N(0, 0.02²), bias = 0;
    every BatchNorm γ ~ N(1, 0.02²), β = 0.  Applied to ``module`` and all its submodules.

    In PyTorch's DCGAN example this is the ``weights_init`` passed to ``model.apply``.
    """
    for m in module.modules():
        if isinstance(m, (nn.Conv2d, nn.ConvTranspose2d, nn.Linear)):
            nn.init.normal_(m.weight, 0.0, 0.02)
            if m.bias is not None:
                nn.init.zeros_(m.bias)
        elif isinstance(m, (nn.BatchNorm1d, nn.BatchNorm2d)):
            nn.init.normal_(m.weight, 1.0, 0.02)
            nn.init.zeros_(m.bias)
    return module


def _activation(name):
    if name not in ACTIVATIONS:
        raise ValueError(f"models: got activation={name!r}, expected one of {tuple(ACTIVATIONS)}")
    return ACTIVATIONS[name]()


def _prod(shape):
    n = 1
    for s in shape:
        n *= int(s)
    return n


def _with_label(x, labels, num_classes):
    """[x, one_hot(labels)] along features (conditional), or x itself."""
    if not num_classes:
        return x
    if labels is None:
        raise ValueError("a conditional network needs labels: call it as net(x, labels)")
    return F.cat([x, F.one_hot(labels, num_classes)], axis=1)


def mlp(sizes, activation="relu", dropout_input=0.0):
    """Linear layers sizes[0] → ... → sizes[-1] with ``activation`` between them (none after the last)."""
    layers = [nn.Dropout(dropout_input)] if dropout_input > 0 else []
    for i in range(len(sizes) - 1):
        layers.append(nn.Linear(sizes[i], sizes[i + 1]))
        if i < len(sizes) - 2:
            layers.append(_activation(activation))
    return nn.Sequential(*layers)


class MLPGenerator(nn.Module):
    """z (N, latent_dim) [+ one-hot label] → hidden layers → a sample of ``out_shape``.

    output: "linear" (2-D points) or "tanh" (images in [−1, 1]). ``scale`` multiplies the output: the
    network works in units of the data's spread, so its first samples are as wide as the data.
    """

    def __init__(self, latent_dim, out_shape=(2,), hidden=(128, 128, 128), activation="relu", output="linear",
                 num_classes=0, scale=1.0):
        super().__init__()
        self.out_shape, self.num_classes, self.scale = tuple(out_shape), int(num_classes), float(scale)
        self.net = mlp([latent_dim + self.num_classes, *hidden, _prod(self.out_shape)], activation)
        if output not in ("linear", "tanh"):
            raise ValueError(f"MLPGenerator: got output={output!r}, expected 'linear' or 'tanh'")
        self.output = output

    def forward(self, z, labels=None):
        x = self.net(_with_label(z, labels, self.num_classes))
        if self.output == "tanh":
            x = x.tanh()
        if self.scale != 1.0:
            x = x * self.scale
        return x.reshape(x.shape[0], *self.out_shape)


class MLPDiscriminator(nn.Module):
    """x (N, *in_shape) [+ one-hot label] → hidden layers → one logit (N, 1).

    ``dropout_input`` > 0 drops input features (CS/DS 541 and 552: against neuron co-adaptation). The input
    is divided by ``scale`` (the data's spread), so the layers see numbers of order 1.
    """

    def __init__(self, in_shape=(2,), hidden=(128, 128, 128), activation="leaky_relu", dropout_input=0.0,
                 num_classes=0, scale=1.0):
        super().__init__()
        self.in_features, self.num_classes, self.scale = _prod(in_shape), int(num_classes), float(scale)
        self.dropout = nn.Dropout(dropout_input) if dropout_input > 0 else nn.Identity()
        self.net = mlp([self.in_features + self.num_classes, *hidden, 1], activation)

    def forward(self, x, labels=None):
        x = self.dropout(x.reshape(x.shape[0], self.in_features))
        if self.scale != 1.0:
            x = x / self.scale
        return self.net(_with_label(x, labels, self.num_classes))


class JointDiscriminator(nn.Module):
    """ALI's and BiGAN's discriminator on joint pairs: (x (N, *in_shape), z (N, latent_dim)) → one logit (N, 1).

    x (divided by ``scale``, the data's spread) and z are concatenated and read by one MLP: it can only tell the
    data's pairs (x, E(x)) from the generated pairs (G(z), z) by how x and z go together, not by x or z alone, once
    each marginal is matched.
    """

    def __init__(self, in_shape, latent_dim, hidden=(128, 128, 128), activation="leaky_relu", scale=1.0):
        super().__init__()
        self.in_features, self.latent_dim, self.scale = _prod(in_shape), int(latent_dim), float(scale)
        self.net = mlp([self.in_features + self.latent_dim, *hidden, 1], activation)

    def forward(self, x, z):
        x = x.reshape(x.shape[0], self.in_features)
        if self.scale != 1.0:
            x = x / self.scale
        return self.net(F.cat([x, z.reshape(z.shape[0], self.latent_dim)], axis=1))


class PackedDiscriminator(nn.Module):
    """PacGAN (Lin, Khetan, Fanti & Oh 2018): D sees ``pack`` samples concatenated into one input.

    A batch (N, d) becomes (N/pack, pack·d): wrap an ``MLPDiscriminator(in_shape=(pack·d,))``.
    The batch size must be a multiple of ``pack``.
    """

    def __init__(self, discriminator, pack):
        super().__init__()
        self.inner, self.pack = discriminator, int(pack)

    def forward(self, x, labels=None):
        n = x.shape[0]
        if n % self.pack:
            raise ValueError(f"PackedDiscriminator: batch of {n} is not a multiple of pack={self.pack}")
        return self.inner(x.reshape(n // self.pack, -1))


class DCGANGenerator(nn.Module):
    """DCGAN-style (Radford et al. 2016): z → Linear → (4c, H/4, W/4) → ConvT ×2 (each doubles H, W) → tanh.

    BatchNorm + ReLU inside G; works for 8×8 digits (H/4 = 2) and 28×28 MNIST (H/4 = 7). At 28×28 with
    ``dcgan_normal_`` and D's ``batch_norm=True`` it is Radford et al.'s DCGAN, scaled down: two
    fractionally-strided convolutions instead of four (28 = 7·2·2), ``channels`` 32 by default.
    """

    def __init__(self, latent_dim, image_shape=(1, 8, 8), channels=32, num_classes=0):
        super().__init__()
        c_out, h, w = image_shape
        if h % 4 or w % 4:
            raise ValueError(f"DCGANGenerator: image height and width must be multiples of 4, got {image_shape}")
        self.num_classes, self.start = int(num_classes), (4 * channels, h // 4, w // 4)
        self.project = nn.Sequential(nn.Linear(latent_dim + self.num_classes, _prod(self.start)),
                                     nn.BatchNorm1d(_prod(self.start)), nn.ReLU())
        self.up = nn.Sequential(
            nn.ConvTranspose2d(4 * channels, 2 * channels, 4, stride=2, padding=1),  # H/4 → H/2
            nn.BatchNorm2d(2 * channels), nn.ReLU(),
            nn.ConvTranspose2d(2 * channels, c_out, 4, stride=2, padding=1),        # H/2 → H
            nn.Tanh(),
        )

    def forward(self, z, labels=None):
        h = self.project(_with_label(z, labels, self.num_classes))
        return self.up(h.reshape(h.shape[0], *self.start))


class DCGANDiscriminator(nn.Module):
    """Conv(4, stride 2) ×2 with LeakyReLU(0.2) (each halves H, W) → Linear → one logit.

    Conditional: the label's embedding (num_classes → H·W) is reshaped to one extra input channel.
    ``batch_norm=True`` is Radford et al.'s D (2016, Section 3): batch norm after every convolution but the
    first ("not applying batchnorm to ... the discriminator input layer"). Off by default: a WGAN-GP critic
    must not have it (its penalty is per example), and the 8×8 digits recipe trains without it.
    """

    def __init__(self, image_shape=(1, 8, 8), channels=32, num_classes=0, dropout_input=0.0, batch_norm=False):
        super().__init__()
        c_in, h, w = image_shape
        self.image_shape, self.num_classes = tuple(image_shape), int(num_classes)
        if self.num_classes:
            self.embed = nn.Embedding(self.num_classes, h * w)
        self.dropout = nn.Dropout(dropout_input) if dropout_input > 0 else nn.Identity()
        norm = [nn.BatchNorm2d(2 * channels)] if batch_norm else []  # without it, layer indices (and checkpoints) stay
        self.net = nn.Sequential(
            nn.Conv2d(c_in + (1 if self.num_classes else 0), channels, 4, stride=2, padding=1), nn.LeakyReLU(0.2),
            nn.Conv2d(channels, 2 * channels, 4, stride=2, padding=1), *norm, nn.LeakyReLU(0.2),
            nn.Flatten(), nn.Linear(2 * channels * (h // 4) * (w // 4), 1),
        )

    def forward(self, x, labels=None):
        x = self.dropout(x)
        if self.num_classes:
            if labels is None:
                raise ValueError("DCGANDiscriminator: a conditional network needs labels: call it as D(x, labels)")
            _, h, w = self.image_shape
            x = F.cat([x, self.embed(labels).reshape(x.shape[0], 1, h, w)], axis=1)
        return self.net(x)


class AutoEncoderDiscriminator(nn.Module):
    """BEGAN's discriminator (Berthelot et al. 2017, Section 3.5): x → encoder → embedding h → decoder → x̂.

    It returns a RECONSTRUCTION of the input's shape, not a logit: BEGAN scores a sample by |x − D(x)|.
    Both halves are MLPs on the flattened input (``hidden`` in the encoder, reversed in the decoder) with
    a linear output; the narrow embedding (``embedding`` units) is what makes reconstruction selective.
    """

    def __init__(self, in_shape=(2,), hidden=(128, 128), embedding=8, activation="leaky_relu"):
        super().__init__()
        self.in_shape, self.in_features = tuple(in_shape), _prod(in_shape)
        self.encoder = mlp([self.in_features, *hidden, embedding], activation)
        self.decoder = mlp([embedding, *reversed(tuple(hidden)), self.in_features], activation)

    def forward(self, x):
        h = self.encoder(x.reshape(x.shape[0], self.in_features))
        return self.decoder(h).reshape(x.shape[0], *self.in_shape)


# ----------------------------------------------------------------------------- BEGAN's convolutional networks
def _began_decoder(embedding, image_shape, channels, convs_per_scale):
    """BEGAN's decoder (Berthelot et al. 2017, Figure 1): Linear(h → n·H/4·W/4); at H/4 and at H/2,
    ``convs_per_scale`` × (3×3 conv, ELU) then a nearest-neighbour upsampling ×2; a 3×3 conv to the image's
    channels at H. The generator has the same shape with z in place of h."""
    c_out, h, w = image_shape
    n = channels
    layers = [nn.Linear(embedding, n * (h // 4) * (w // 4)), nn.Unflatten(1, (n, h // 4, w // 4))]
    for _ in range(2):                                                      # H/4 → H/2 → H
        for _ in range(convs_per_scale):
            layers += [nn.Conv2d(n, n, 3, padding=1), nn.ELU()]
        layers.append(nn.Upsample(scale_factor=2))                          # nearest neighbour, no weights
    layers.append(nn.Conv2d(n, c_out, 3, padding=1))
    return nn.Sequential(*layers)


def _began_encoder(image_shape, channels, embedding, convs_per_scale):
    """BEGAN's encoder (Figure 1): a 3×3 conv to n channels at H; then twice a stride-2 3×3 conv that
    subsamples and adds n channels (n → 2n at H/2, 2n → 3n at H/4), each followed by ``convs_per_scale`` ×
    (3×3 conv, ELU); then Linear → h."""
    c_in, h, w = image_shape
    n = channels
    layers = [nn.Conv2d(c_in, n, 3, padding=1), nn.ELU()]
    for width in (2 * n, 3 * n):                                            # H → H/2 → H/4
        layers += [nn.Conv2d(width - n, width, 3, stride=2, padding=1), nn.ELU()]
        for _ in range(convs_per_scale):
            layers += [nn.Conv2d(width, width, 3, padding=1), nn.ELU()]
    layers += [nn.Flatten(), nn.Linear(3 * n * (h // 4) * (w // 4), embedding)]
    return nn.Sequential(*layers)


def _check_began_shape(who, image_shape):
    if len(image_shape) != 3 or image_shape[1] % 4 or image_shape[2] % 4:
        raise ValueError(f"{who}: image_shape must be (C, H, W) with H and W multiples of 4, got {image_shape}")
    return tuple(int(s) for s in image_shape)


class ConvAutoEncoderDiscriminator(nn.Module):
    """BEGAN's own discriminator (Berthelot et al. 2017, Section 3.5, Figure 1): a convolutional auto-encoder.

    x (N, C, H, W) → encoder (3×3 convs, ELU, stride-2 subsampling, n → 2n → 3n channels) → embedding h
    → decoder (3×3 convs, ELU, nearest-neighbour upsampling) → x̂ of x's shape. No batch norm, as in the
    paper, and no output activation: D(x) is scored by |x − D(x)|. ``convs_per_scale`` is the paper's 2
    ("each layer is repeated a number of times, typically 2") or 1. Scaled down for a CPU: the paper also
    repeats the convolutions at full resolution; here the full-resolution layers are only the first and the
    last conv (with 16 channels this takes the step from 0.54 to 0.23 CPU-s at batch 64, one thread).
    """

    def __init__(self, image_shape=(1, 28, 28), channels=32, embedding=64, convs_per_scale=1):
        super().__init__()
        self.image_shape = _check_began_shape("ConvAutoEncoderDiscriminator", image_shape)
        self.encoder = _began_encoder(self.image_shape, channels, embedding, convs_per_scale)
        self.decoder = _began_decoder(embedding, self.image_shape, channels, convs_per_scale)

    def forward(self, x):
        return self.decoder(self.encoder(x))


class BEGANGenerator(nn.Module):
    """BEGAN's generator (Figure 1): the discriminator's decoder with z in place of h, and tanh on the output
    so that samples lie in the data's range [−1, 1] (the paper's G has a linear output)."""

    def __init__(self, latent_dim, image_shape=(1, 28, 28), channels=32, convs_per_scale=1):
        super().__init__()
        self.image_shape = _check_began_shape("BEGANGenerator", image_shape)
        self.net = _began_decoder(latent_dim, self.image_shape, channels, convs_per_scale)

    def forward(self, z, labels=None):
        return self.net(z).tanh()


class MLPEncoder(nn.Module):
    """x (N, *in_shape) → hidden layers → a code of size ``latent_dim``.

    ``gaussian=True`` (the VAE's Q(z|x), Kingma & Welling 2014, Appendix C.2): two heads, μ(x) and log σ(x), the
    parameters of a diagonal Normal over z; ``forward`` returns ``(mu, log_sigma)``. ``gaussian=False`` (the
    adversarial autoencoder's deterministic q(z|x), Makhzani et al. 2016, Section 2): ``forward`` returns z itself.
    ``noise_dim > 0`` (with ``gaussian=False``: the same paper's "universal approximator posterior"): the network
    also takes η, ``noise_dim`` draws of a fixed noise, beside x, and ``forward(x, eta)`` returns z = f(x, η), so
    q(z|x) can take any shape. The input is divided by ``scale`` (the data's spread), as in MLPDiscriminator.
    """

    def __init__(self, in_shape, latent_dim, hidden=(128, 128), activation="relu", gaussian=True, scale=1.0,
                 noise_dim=0):
        super().__init__()
        self.in_features, self.latent_dim, self.scale = _prod(in_shape), int(latent_dim), float(scale)
        self.gaussian, self.noise_dim = bool(gaussian), int(noise_dim)
        if self.noise_dim < 0 or (self.noise_dim and self.gaussian):
            raise ValueError(f"MLPEncoder: got noise_dim={noise_dim!r} with gaussian={gaussian!r}; a noise input "
                             "takes noise_dim > 0 and gaussian=False (0: none)")
        self.net = mlp([self.in_features + self.noise_dim, *hidden, (2 if self.gaussian else 1) * self.latent_dim],
                       activation)

    def forward(self, x, eta=None):
        x = x.reshape(x.shape[0], self.in_features)
        x = x / self.scale if self.scale != 1.0 else x
        if self.noise_dim:  # η enters as an input as x does: z = f(x, η)
            if eta is None or tuple(eta.shape) != (x.shape[0], self.noise_dim):
                raise ValueError(f"MLPEncoder: this encoder takes eta of shape ({x.shape[0]}, {self.noise_dim}) "
                                 f"beside x, got {None if eta is None else tuple(eta.shape)}")
            x = F.cat([x, eta], axis=1)
        h = self.net(x)
        if not self.gaussian:
            return h
        return h[:, :self.latent_dim], h[:, self.latent_dim:]  # μ(x), log σ(x)


class MLPDecoder(nn.Module):
    """z (N, latent_dim) → hidden layers → the parameters of P(x|z) over ``out_shape``.

    ``likelihood="bernoulli"`` (images in [−1, 1], read as pixel intensities t = (x + 1)/2 in [0, 1]): the network
    gives one logit per pixel, and log P(x|z) = Σ [t log σ(v) + (1 − t) log(1 − σ(v))] = −BCE-with-logits, summed
    (Kingma & Welling 2014, Appendix C.1). ``likelihood="normal"`` (2-D points): the network gives the mean,
    ``scale`` times its output (in units of the data's spread), and P(x|z) = N(mean, σ²I) with one learned log σ
    per coordinate, ``log_sigma`` (Appendix C.2), or a fixed σ = ``sigma`` (in units of the spread; then
    −log P(x|z) is the squared error up to a constant). ``mean(z)`` is E[x|z] in the data's units, what a VAE's
    samples show.
    """

    LIKELIHOODS = ("bernoulli", "normal")

    def __init__(self, latent_dim, out_shape, hidden=(128, 128), activation="relu", likelihood="normal", scale=1.0,
                 sigma=None):
        super().__init__()
        if likelihood not in self.LIKELIHOODS:
            raise ValueError(f"MLPDecoder: got likelihood={likelihood!r}, expected one of {self.LIKELIHOODS}")
        self.out_shape, self.likelihood, self.scale = tuple(out_shape), likelihood, float(scale)
        self.net = mlp([int(latent_dim), *hidden, _prod(self.out_shape)], activation)
        self.sigma = None if sigma is None else float(sigma)
        if likelihood == "normal" and sigma is None:  # a learned σ starts at a tenth of the data's spread
            xp = backend.active_module()  # on the device the layers are built on
            self.log_sigma = nn.Parameter(xp.full(self.out_shape, math.log(0.1), dtype=backend.DEFAULT_DTYPE))

    def forward(self, z):
        """The logits (bernoulli) or the mean (normal) of P(x|z), shaped (N, *out_shape)."""
        v = self.net(z)
        if self.likelihood == "normal" and self.scale != 1.0:
            v = v * self.scale
        return v.reshape(v.shape[0], *self.out_shape)

    def mean(self, z):
        """E[x|z] in the data's units: 2σ(v) − 1 for bernoulli (back to [−1, 1]), the mean itself for normal."""
        v = self(z)
        return 2 * v.sigmoid() - 1 if self.likelihood == "bernoulli" else v

    def log_prob(self, x, z):
        """log P(x|z), one number per example (summed over x's coordinates): shape (N,)."""
        v = self(z)
        n = v.shape[0]
        if self.likelihood == "bernoulli":
            target = (x.reshape(v.shape) + 1) / 2  # [−1, 1] → intensities in [0, 1]
            bce = F.binary_cross_entropy_with_logits(v, target, reduction="none")
            return -bce.reshape(n, -1).sum(1)
        if self.sigma is None:
            sigma = (self.log_sigma + math.log(self.scale)).exp()  # in the data's units
        else:
            sigma = v.new_full(v.shape, self.sigma * self.scale)
        return Normal(v, sigma).log_prob(x.reshape(v.shape)).reshape(n, -1).sum(1)

