"""GANs that mirror their papers' pseudocode line by line.

    GAN   Goodfellow et al. 2014, Algorithm 1 (minimax or non-saturating generator loss)
    WGAN  Arjovsky, Chintala & Bottou 2017, Algorithm 1 (critic, weight clipping, RMSProp)
    WGAN-GP Gulrajani et al. 2017, Algorithm 1 (critic with a gradient penalty, Adam)
    BEGAN Berthelot, Schumm & Metz 2017, eq. 1-4 (auto-encoder discriminator, equilibrium control k_t)
    CGAN  Mirza & Osindero 2014 (the label goes to G and to D)
    EBGAN Zhao, Mathieu & LeCun 2016, Section 2 (an auto-encoder D whose reconstruction error is an energy, a margin)
    ALI   Dumoulin et al. 2016, Algorithm 1, and BiGAN (Donahue et al. 2016): an encoder beside G, D on (x, z) pairs

and beside them, trained by the same loop on the same data:

    VAE   Kingma & Welling 2014, Algorithm 1 (one objective, the ELBO, climbed by encoder and decoder together)
    AAE   Makhzani et al. 2016, Section 2 (the VAE's KL term replaced by a discriminator on z)

``minigan.gans.recipes.build_experiment`` wires networks, optimizers and data together with tuned
defaults; ``minigan.gans.training.TrainingLoop`` runs one (evaluations, checkpoints, resuming), as
``python -m minigan train ...`` (``minigan/cli/train.py``) and the lab do.
``by_hand.py`` is the same GAN with every derivative written out by hand in NumPy, no autodiff.
"""

from minigan.gans.aae import AAE
from minigan.gans.ali import ALI
from minigan.gans.began import BEGAN
from minigan.gans.cgan import CGAN
from minigan.gans.ebgan import EBGAN
from minigan.gans.gan import GAN
from minigan.gans.vae import VAE
from minigan.gans.wgan import WGAN
from minigan.gans.wgan_gp import WGANGP

__all__ = ["GAN", "WGAN", "WGANGP", "BEGAN", "CGAN", "EBGAN", "ALI", "VAE", "AAE"]
