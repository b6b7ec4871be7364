"""Adversarial examples: the fast gradient sign method and adversarial training.

Goodfellow, Shlens & Szegedy 2015, "Explaining and Harnessing Adversarial Examples"; taught in CS/DS 541
(Jacob Whitehill), Class 19, slide "Adversarial training examples", and in Introduction to Deep Learning IT3320E
(Hung Son Nguyen, HUST 2022), the GAN lecture, slide "Adversarial Examples".

    from minigan.attacks import fgsm, adversarial_loss, train_adversarially
    x_adv = fgsm(model, x, y, eps=0.25)          # x' = clip(x + ε·sign(∇ₓJ(θ, x, y)))
    x_adv = pgd(model, x, y, eps=0.1, steps=40)  # Π_{x+S}(xᵗ + α·sign(∇ₓL)), from a random start
    train_pgd(model, images, labels, eps=0.1)   # min_θ E[max_δ L(θ, x + δ, y)]  (Madry et al. 2018)
    patch = train_patch(model, images, target=3, size=3)   # one patch, any image, any place (Brown et al. 2017)

``recipes.py`` holds the clean classifier and its FGSM- and PGD-trained copies (cached), ``figures.py``
the pictures; ``python -m minigan fgsm ...`` and ``python -m minigan attack ...`` (the robustness
table) are the command line's (``minigan/cli/attack.py``).
"""

from minigan.attacks.adversarial_training import (
    adversarial_loss,
    pgd_adversarial_loss,
    train_adversarially,
    train_pgd,
)
from minigan.attacks.fgsm import fgsm, input_gradient
from minigan.attacks.iterative import bim, pgd, project
from minigan.attacks.patch import apply_patch, patch_success, patch_update, train_patch

__all__ = ["fgsm", "input_gradient", "adversarial_loss", "train_adversarially", "bim", "pgd", "project",
           "pgd_adversarial_loss", "train_pgd", "apply_patch", "patch_update", "train_patch", "patch_success"]
