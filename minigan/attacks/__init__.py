"""Adversarial examples: the fast gradient sign method and adversarial training.

Goodfellow, Shlens & Szegedy 2015, "Explaining and Harnessing Adversarial Examples"; lecture notes
``000_86d72be7ddb4d79e.txt`` and ``004_ed65128b5e25202f.txt``.

    from minigan.attacks import fgsm, adversarial_loss, train_adversarially
    x_adv = fgsm(model, x, y, eps=0.25)          # x' = clip(x + ε·sign(∇ₓJ(θ, x, y)))

``python -m minigan fgsm ...`` is in ``minigan/attacks/cli.py``.
"""

from minigan.attacks.adversarial_training import adversarial_loss, train_adversarially
from minigan.attacks.fgsm import fgsm, input_gradient

__all__ = ["fgsm", "input_gradient", "adversarial_loss", "train_adversarially"]
