"""Adversarial training: learn from the attack that is made against you, at every step.

Goodfellow, Shlens & Szegedy 2015, Section 6 ("Adversarial training of deep networks"): train on
the objective

    J̃(θ, x, y) = α · J(θ, x, y) + (1 − α) · J(θ, x + ε·sign(∇ₓJ(θ, x, y)), y)

with α = 0.5, "continually updating our supply of adversarial examples, to make them resist the
current version of the model". CS/DS 541 (Jacob Whitehill), Class 19, slide "Adversarial training
examples", offers the same defence: since adversarial examples cost one gradient to make, make them
while training and train on them.

Two gradients, two roles, in every step of ``train_adversarially``:
  1. ∇ₓJ with θ held fixed (``fgsm``): where to push each pixel to hurt the CURRENT model most;
  2. ∇_θ J̃ with x' held fixed: how to change the weights so that push hurts less next time.
Holding x' fixed in step 2 loses nothing: x' depends on θ only through sign(·), whose derivative
is 0 almost everywhere.

Two additions to the paper's recipe, both optional (``train_adversarially``): a random ε for some
of the examples (Kurakin, Goodfellow & Bengio 2017), and a learning rate that decays to 0. On the
digits the first is what keeps the error monotone in ε; see ``cli.py`` for the measurements.

FGSM training is not robustness: the model can learn to make the ONE sign step miss while the
points a few steps further on still fool it (``demos/18_gradient_masking.py``). Madry, Makelov,
Schmidt, Tsipras & Vladu 2018, "Towards Deep Learning Models Resistant to Adversarial Attacks",
train on the saddle-point problem of their equation (2.1),

    min_θ ρ(θ),   ρ(θ) = E_{(x, y)} [ max_{δ ∈ S} L(θ, x + δ, y) ],   S = {δ : ‖δ‖_∞ ≤ ε},

approximating the inner max by PGD (``minigan.attacks.pgd``) on every minibatch and taking the
outer gradient at that point (Danskin's theorem, their Section 2.1): ``pgd_adversarial_loss`` and
``train_pgd`` below.
"""

from __future__ import annotations

import minigan.arguments as arguments
import minigan.functional as F
from minigan.attacks.fgsm import _as_input, check_clip, check_eps, fgsm, input_gradient
from minigan.attacks.iterative import pgd
from minigan.classifier import fit
from minigan.engine import backend
from minigan.engine.backend import np
from minigan.nn.module import module_device
from minigan.surface.tensor import Tensor, from_numpy


def _per_example_eps(eps, n, who):
    """``eps`` as a number (one ε for the whole batch) or an array of ``n`` values ≥ 0 (one per example)."""
    if isinstance(eps, Tensor):
        eps = eps.array
    if backend.is_array(eps) and getattr(eps, "ndim", 0) > 0:
        eps = backend.asnumpy(eps).astype(np.float64)
        if eps.shape != (n,):
            raise ValueError(f"{who}: per-example eps must have shape ({n},), one per example, got {tuple(eps.shape)}")
        if not np.isfinite(eps).all() or (eps < 0).any():
            raise ValueError(f"{who}: per-example eps must be finite numbers >= 0")
        return eps
    return check_eps(eps, who)


def adversarial_loss(model, x, y, eps, alpha=0.5, clip=(0.0, 1.0), attack_labels="true"):
    """J̃ = α·J(θ, x, y) + (1 − α)·J(θ, x', y) with x' = clip(x + ε·sign(∇ₓJ)): a scalar Tensor.

    J is the mean cross-entropy. ``eps`` is a number, or an array with one ε per example (the
    random-ε recipe of ``train_adversarially``). ``attack_labels`` is "true" (the paper: ∇ₓJ(θ, x, y))
    or "predicted" (∇ₓJ taken against the model's own prediction, as Kurakin et al. 2017 do to stop
    "label leaking"; the loss on x' is always against the true y). The graph reaches the model's
    parameters (through both terms) and not x': call ``.backward()`` and step an optimizer as
    usual. The two forward passes run in the model's current mode (training mode inside
    ``train_adversarially``, so dropout is on), while x' itself is made in evaluation mode (see
    ``fgsm``).
    """
    who = "adversarial_loss"
    clip = check_clip(clip, who)
    if isinstance(alpha, bool) or not isinstance(alpha, (int, float)) or not 0.0 <= alpha <= 1.0:
        raise ValueError(f"{who}: alpha must be a number in [0, 1] (the weight of the clean loss), got {alpha!r}")
    if attack_labels not in ("true", "predicted"):
        raise ValueError(f"{who}: attack_labels must be 'true' or 'predicted', got {attack_labels!r}")
    x = _as_input(model, x, who)
    eps = _per_example_eps(eps, len(x), who)
    y_attack = y if attack_labels == "true" else None  # None: fgsm attacks the model's own prediction
    if isinstance(eps, float):
        x_adv = fgsm(model, x, y_attack, eps, clip=clip)  # step 1: ∇ₓJ, θ fixed; x' is a constant from here on
    else:
        xp = backend.get_array_module(x)
        grad = input_gradient(model, x, y_attack, who=who).array
        step = backend.to_device(eps.astype(x.dtype), backend.device_of(x)).reshape((-1,) + (1,) * (x.ndim - 1))
        x_adv = x + step * xp.sign(grad).astype(x.dtype)
        if clip is not None:
            x_adv = xp.clip(x_adv, x.dtype.type(clip[0]), x.dtype.type(clip[1]))
        x_adv = from_numpy(x_adv)
    clean = F.cross_entropy(model(from_numpy(x)), y)  # J(θ, x, y)
    adversarial = F.cross_entropy(model(x_adv), y)  # J(θ, x', y)
    return alpha * clean + (1.0 - alpha) * adversarial


def train_adversarially(model, images, labels, eps, epochs=10, batch_size=64, lr=1e-3, alpha=0.5,
                        clip=(0.0, 1.0), seed=0, random_eps=False, attack_labels="true", lr_decay=False,
                        verbose=False, progress=None):
    """Minimise J̃ (``adversarial_loss``) with Adam over ``epochs`` passes of shuffled minibatches.

    images: float (N, ...) in the clip range; labels: int (N,). The minibatch order comes from a
    NumPy permutation seeded by ``seed`` (a new one each epoch, from the same generator), so the
    same seed and the same starting weights give the same run. The model may be fresh (training
    from scratch) or already trained (fine-tuning: the CLI and the demo do this, see ``cli.py``).
    Returns the mean J̃ of every epoch; the model is left in evaluation mode.

    random_eps    0/False (the paper): every x' uses ``eps``. A fraction p in (0, 1] (True = 1): at
                  every step each example draws, with probability p, its own ε uniformly from
                  [0, eps] (and uses ``eps`` otherwise), from the same seeded generator. A model
                  trained on one ε only can learn to resist that one step while staying fragile to
                  smaller ones (its error is then not monotone in ε: gradient masking, or the "label
                  leaking" of Kurakin, Goodfellow & Bengio 2017, "Adversarial Machine Learning at
                  Scale", who draw ε at random per example for this reason). The CLI uses p = 0.5:
                  half the batch is the paper's J̃ at ``eps``, half covers the smaller ε.
    attack_labels "true" or "predicted": see ``adversarial_loss``.
    progress      called as ``progress(batches done, batches in all)`` after every minibatch (a
                  ``minigan.progress.Report`` prints how far it got and an estimate of what is left).
    lr_decay      lower the learning rate linearly to 0 over the run (as ``classifier.train_classifier``).
    """
    who = "train_adversarially"
    eps = check_eps(eps, who)
    check_clip(clip, who)

    def batch_loss(x, y, rng):
        step = eps
        if random_eps:  # each example: ε ~ U(0, eps) with probability random_eps, else eps
            step = np.where(rng.random(len(x)) < float(random_eps), rng.uniform(0.0, eps, len(x)), eps)
        return adversarial_loss(model, x, y, step, alpha=alpha, clip=clip, attack_labels=attack_labels)  # J̃(θ, x, y)

    return _fine_tune(who, model, images, labels, batch_loss, epochs, batch_size, lr, seed, lr_decay,
                      "adversarial epoch" if verbose else None, progress)


def _fine_tune(who, model, images, labels, batch_loss, epochs, batch_size, lr, seed, lr_decay, say, progress=None):
    """``classifier.fit`` with ``batch_loss(x, y, rng)`` on the model's device (both trainings)."""
    images = images.array if isinstance(images, Tensor) else images
    labels = labels.array if isinstance(labels, Tensor) else labels
    images, labels = backend.asnumpy(images), backend.asnumpy(labels)
    if len(images) != len(labels) or len(images) == 0:
        raise ValueError(f"{who}: got {len(images)} images and {len(labels)} labels, expected the same count (> 0)")
    if not backend.is_integer(labels.dtype):
        raise TypeError(f"{who}: labels must be integers, got dtype {labels.dtype}")
    device = module_device(model)

    def on_device(x, y, rng):  # step 1: the attack, against the current weights; fit's backward is step 2
        return batch_loss(backend.to_device(x, device), backend.to_device(y, device), rng)

    return fit(model, images, labels, on_device, epochs=epochs, batch_size=batch_size, lr=lr, seed=seed,
               lr_decay=lr_decay, say=say, who=who, progress=progress)


# ----------------------------------------------------------------------------- PGD training (Madry et al. 2018)
def pgd_adversarial_loss(model, x, y, eps, step_size=None, steps=7, random_start=True, alpha=0.0,
                         clip=(0.0, 1.0)):
    """ρ on one minibatch: L(θ, x*, y) with x* = PGD's approximation of argmax_{δ∈S} L(θ, x + δ, y).

    Madry et al. 2018, equation (2.1): the loss at the worst case found by PGD, a scalar Tensor
    whose graph reaches the parameters and not x*. Danskin's theorem (their Section 2.1, Appendix A)
    is why holding x* fixed is right: the gradient of a max is the gradient at the maximiser.
    ``alpha`` > 0 mixes in the clean loss, α·L(θ, x, y) + (1 − α)·L(θ, x*, y); the paper uses
    α = 0 (only adversarial examples). x* is made in evaluation mode; the forward passes here run
    in the model's current mode.
    """
    who = "pgd_adversarial_loss"
    if isinstance(alpha, bool) or not isinstance(alpha, (int, float)) or not 0.0 <= alpha <= 1.0:
        raise ValueError(f"{who}: alpha must be a number in [0, 1] (the weight of the clean loss), got {alpha!r}")
    x = _as_input(model, x, who)
    x_star = pgd(model, x, y, eps, step_size=step_size, steps=steps, random_start=random_start, clip=clip)
    adversarial = F.cross_entropy(model(x_star), y)  # L(θ, x*, y): x* is a constant, θ the leaves
    if alpha == 0.0:
        return adversarial
    return alpha * F.cross_entropy(model(from_numpy(x)), y) + (1.0 - alpha) * adversarial


def train_pgd(model, images, labels, eps, steps=7, step_size=None, epochs=20, batch_size=64, lr=1e-3, alpha=0.0,
              clip=(0.0, 1.0), seed=0, lr_decay=True, verbose=False, progress=None):
    """Madry et al. 2018's adversarial training: Adam on ``pgd_adversarial_loss`` over shuffled minibatches.

    Every step: (1) the inner max — PGD with ``steps`` steps of size ``step_size`` (None: 2.5·ε/steps)
    from a random start, against the CURRENT weights; (2) the outer min — one Adam step on
    L(θ, x*, y). The paper's MNIST model takes 40 steps of 0.01 at ε = 0.3 (about 100,000 minibatch
    iterations); on the 8x8 digits 7 steps are enough for the inner max (more change little, see
    ``robustness.py``). Minibatch order from a NumPy generator seeded by ``seed``; the random starts
    from ``minigan.manual_seed``'s generator. The model may be fresh or already trained (fine-tuning).
    Returns the mean loss of every epoch; leaves the model in evaluation mode. ``progress``: as in
    ``train_adversarially``.
    """
    who = "train_pgd"
    eps = check_eps(eps, who)
    check_clip(clip, who)
    steps = arguments.positive_int(who, "steps", steps)

    def batch_loss(x, y, rng):  # (1) max over δ, θ fixed; then _fine_tune's step (2): min over θ, x* fixed
        return pgd_adversarial_loss(model, x, y, eps, step_size=step_size, steps=steps, alpha=alpha, clip=clip)

    return _fine_tune(who, model, images, labels, batch_loss, epochs, batch_size, lr, seed, lr_decay,
                      "PGD training epoch" if verbose else None, progress)
