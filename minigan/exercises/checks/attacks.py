"""The checks of set 5, the adversarial attacks: input gradients against the closed form of a linear
classifier, FGSM, projection, the sign step, BIM, PGD, adversarial training's losses and the adversarial patch's step.
"""

from __future__ import annotations

import numpy as np

import minigan
import minigan.functional as F
from minigan import nn

from . import base
from .base import (
    check,
    close,
    raises,
    rn,
    rng,
)


# ============================================================================= 5. attacks
def _classifier(seed=0, classes=3, features=4, dropout=False):
    minigan.manual_seed(seed)
    layers = ([nn.Dropout(0.5)] if dropout else []) + [nn.Linear(features, classes)]
    return nn.Sequential(*layers).double()


def _ce_input_gradient(model, x, y):
    """∇ₓ Σ_i CE(Wx_i + b, y_i) = (softmax − onehot)·W, the closed form for a linear classifier."""
    lin = model[-1]
    W, b = lin.weight.detach().numpy(), lin.bias.detach().numpy()
    z = x @ W.T + b
    s = np.exp(z - z.max(axis=1, keepdims=True))
    s /= s.sum(axis=1, keepdims=True)
    return (s - np.eye(W.shape[0])[y]) @ W


def check_input_gradient(ctx):
    from minigan.attacks.fgsm import input_gradient
    hint = "x as a new leaf that requires grad; the model in evaluation mode for the pass and each module's own mode " \
           "back after (on an error too); grad mode on for the pass even under no_grad; the gradient by " \
           "autograd.grad, so no parameter's .grad changes"
    model = _classifier(dropout=True)
    x, y = rng(1).uniform(size=(5, 4)), np.array([0, 1, 2, 1, 0])
    with minigan.no_grad():
        g = input_gradient(model, x, y)
    close("∇ₓJ for a linear classifier (dropout before it, in training mode), called inside no_grad()", g,
          _ce_input_gradient(model, x, y), hint + " (evaluation mode: dropout off)")
    check(model.training and model[0].training, "the model was left in evaluation mode", hint)
    check(all(p.grad is None for p in model.parameters()), "the attack filled a parameter's .grad", hint +
          " (autograd.grad, not backward)")
    g = input_gradient(model, x)
    close("∇ₓJ with y None (the model's own predictions)", g, _ce_input_gradient(model, x, _predictions(model, x)),
          hint)


def _predictions(model, x):
    """The classes a linear classifier predicts for ``x``."""
    return (x @ model[-1].weight.detach().numpy().T + model[-1].bias.detach().numpy()).argmax(axis=1)


def check_fgsm(ctx):
    from minigan.attacks import fgsm
    hint = "x' = clip(x + ε·sign(∇ₓJ)) with ∇ₓJ from input_gradient; a Tensor with no graph"
    model = _classifier()
    x, y = rng(1).uniform(size=(6, 4)), np.array([0, 1, 2, 1, 0, 2])
    for eps, clip in ((0.1, (0.0, 1.0)), (0.3, None), (0.0, (0.0, 1.0)), (0.5, (0.2, 0.8))):
        adv = fgsm(model, x, y, eps=eps, clip=clip)
        expected = None
        if base.ROLE != "student":  # (an expected value: never computed in the learner's process, split.py)
            expected = x + eps * np.sign(_ce_input_gradient(model, x, y))
            if clip is not None:
                expected = np.clip(expected, *clip)
        close(f"fgsm(x, eps={eps}, clip={clip}) for a linear classifier", adv, expected, hint)
        check(not adv.requires_grad, "fgsm returned a tensor that requires grad", hint)
    check(all(p.grad is None for p in model.parameters()), "fgsm filled a parameter's .grad", hint)
    raises("fgsm(eps=-0.1)", ValueError, lambda: fgsm(model, x, y, eps=-0.1), hint + " (check_eps at the door)")


def check_project(ctx):
    from minigan.attacks.iterative import project
    hint = "clip into the ε-box around x first, then (unless clip is None) into the clip range"
    x = rng(1).uniform(size=(4, 5))
    far = x + 0.5 * rn(4, 5)
    for eps, clip in ((0.1, (0.0, 1.0)), (0.2, None), (0.05, (0.3, 0.7))):
        expected = None
        if base.ROLE != "student":
            expected = np.clip(far, x - eps, x + eps)
            if clip is not None:
                expected = np.clip(expected, *clip)
        close(f"project(x_adv, x, eps={eps}, clip={clip})", project(far, x, eps, clip), expected, hint)
    x32 = x.astype(np.float32)
    check(project(far.astype(np.float32), x32, 0.1, (0.0, 1.0)).dtype == np.float32, "project changed float32 to "
          "another dtype", hint)


def check_sign_step(ctx):
    from minigan.attacks.iterative import _sign_step
    hint = "x_adv + α·sign(∇ₓJ(x_adv, y)), with −α when targeted"
    model = _classifier()
    x, y = rng(1).uniform(size=(5, 4)), np.array([0, 1, 2, 1, 0])
    for targeted in (False, True):
        got = _sign_step(model, x, y, 0.03, targeted, None, "sign_step")
        close(f"one sign step of α = 0.03, targeted={targeted}", got,
              x + (-0.03 if targeted else 0.03) * np.sign(_ce_input_gradient(model, x, y)), hint)


def _two_class(seed=0):
    return _classifier(seed, classes=2, features=6)


def _uphill(model, y):
    """Per example, the sign of the direction in which the loss of a linear 2-class model rises: towards the other
    class."""
    d = np.sign(model[-1].weight.detach().numpy()[1] - model[-1].weight.detach().numpy()[0])
    return np.where(np.asarray(y)[:, None] == 0, d, -d)


def check_bim(ctx):
    from minigan.attacks import bim
    hint = "start at x itself; each step is one sign step followed by the projection onto the ε-ball around x (and " \
           "the clip range); the labels, or the model's predictions on the clean x when none are given, are fixed " \
           "once before the first step"
    model = _two_class()
    x = rng(1).uniform(0.3, 0.7, size=(4, 6))
    y = np.array([0, 0, 1, 1])
    got = bim(model, x, y, eps=0.1, step_size=0.04, steps=5, clip=(0.0, 1.0))
    close("bim on a linear 2-class model (the loss rises along a fixed direction: x' = x + ε·sign)", got,
          np.clip(x + 0.1 * _uphill(model, y), 0, 1), hint + " (project after every step)")
    got = bim(model, x, y, eps=0.1, step_size=0.1, steps=1, clip=None)
    close("bim with one step of α = ε is FGSM", got, x + 0.1 * _uphill(model, y), hint)
    got = bim(model, x, eps=3.0, step_size=1.0, steps=6, clip=None)
    close("bim with y None and a large ε: the predictions on the CLEAN x stay the labels", got,
          x + 3.0 * _uphill(model, _predictions(model, x)), hint + " (predicted_labels once, before the first step)")


def check_pgd(ctx):
    from minigan.attacks import pgd
    hint = "with random_start, x plus uniform noise across the ε-box (random.rand), projected; then projected " \
           "sign steps"
    model = _two_class()
    x = rng(1).uniform(0.3, 0.7, size=(4, 6))
    y = np.array([0, 0, 1, 1])
    got = pgd(model, x, y, eps=0.1, step_size=0.05, steps=6, random_start=False, clip=(0.0, 1.0))
    close("pgd without random start on a linear 2-class model", got, np.clip(x + 0.1 * _uphill(model, y), 0, 1), hint)
    got = pgd(model, x, y, eps=0.1, step_size=0.05, steps=6, clip=(0.0, 1.0))
    close("pgd from a random start on a linear 2-class model (enough steps to reach the corner)", got,
          np.clip(x + 0.1 * _uphill(model, y), 0, 1), hint + " (project after every step)")
    big = np.full((400, 6), 0.5)
    minigan.manual_seed(4)
    start = pgd(model, big, np.zeros(400, dtype=np.int64), eps=0.2, step_size=0.0, steps=1,
                clip=None).detach().numpy() - big
    check(np.abs(start).max() <= 0.2 + 1e-9, f"pgd's random start left the ε-ball: max |δ| = {np.abs(start).max():.4g}"
          " > ε = 0.2", hint)
    check(abs(np.abs(start).mean() - 0.1) < 0.01 and abs(start.mean()) < 0.01, "pgd's random start with step_size 0: "
          f"expected δ uniform on [−ε, ε] (mean |δ| = ε/2 = 0.1, mean δ = 0), got mean |δ| = "
          f"{np.abs(start).mean():.4g}, mean δ = {start.mean():.4g}", hint)
    x3 = rng(2).uniform(size=(6, 4))
    model3 = _classifier(1)
    for kw in ({"restarts": 3}, {"restarts": 2, "targeted": True}):
        labels = np.array([0, 1, 2, 2, 1, 0])
        minigan.manual_seed(int(rng(9).integers(1 << 30)))
        got = pgd(model3, x3, labels, eps=0.2, step_size=0.05, steps=3, **kw)
        close(f"pgd(eps=0.2, steps=3, {kw}) from the same seed as the library's", got, got, hint + " (per example "
              "keep the restart with the highest loss, the lowest when targeted)")


def check_adversarial_loss(ctx):
    from minigan.attacks.adversarial_training import adversarial_loss
    hint = "the adversarial x' is FGSM's at ε on the current model, θ held fixed while it is made; the loss mixes " \
           "the clean and the adversarial cross-entropy: α on the clean one, 1 − α on the adversarial one"
    model = _classifier()
    x, y = rng(1).uniform(size=(6, 4)), np.array([0, 1, 2, 1, 0, 2])
    loss = adversarial_loss(model, x, y, eps=0.2, alpha=0.3)
    close("adversarial_loss(eps=0.2, alpha=0.3)", loss, _adversarial_loss(model, x, y, 0.2, 0.3)[0], hint)
    loss.backward()
    for name, p in model.named_parameters():
        close(f"d adversarial_loss / d {name} (x' a constant)", p.grad,
              _adversarial_loss(model, x, y, 0.2, 0.3)[1][name], hint)
    eps = np.array([0.0, 0.1, 0.2, 0.3, 0.0, 0.5])
    loss = adversarial_loss(model, x, y, eps=eps, alpha=0.5)
    close("adversarial_loss with one ε per example", loss, _adversarial_loss(model, x, y, eps, 0.5)[0], hint)


def _adversarial_loss(model, x, y, eps, alpha):
    """(α·CE(model(x), y) + (1 − α)·CE(model(x'), y), its gradients {name: array}) with x' FGSM's step from the
    closed-form input gradient of the linear classifier (its parameters as they are now, .grad left alone)."""
    lin = model[-1]
    held = [(p, p.grad) for p in model.parameters()]
    eps = np.asarray(eps, dtype=np.float64)
    eps = eps[:, None] if eps.ndim else eps
    adv = minigan.tensor(np.clip(x + eps * np.sign(_ce_input_gradient(model, x, y)), 0, 1))
    for p in model.parameters():
        p.grad = None
    loss = alpha * F.cross_entropy(lin(minigan.tensor(x)), y) + (1 - alpha) * F.cross_entropy(lin(adv), y)
    loss.backward()
    grads = {name: p.grad.detach().numpy().copy() for name, p in model.named_parameters()}
    for p, g in held:
        p.grad = g
    return loss.item(), grads


def check_pgd_adversarial_loss(ctx):
    from minigan.attacks.adversarial_training import pgd_adversarial_loss
    hint = "Madry et al.: the inner maximisation is a PGD attack at ε (θ fixed while it runs); the outer loss is the " \
           "cross-entropy on its examples, mixed with the clean one with weight α when α > 0"
    model = _classifier()
    x, y = rng(1).uniform(size=(6, 4)), np.array([0, 1, 2, 1, 0, 2])
    for alpha in (0.0, 0.4):
        minigan.manual_seed(5)
        loss = pgd_adversarial_loss(model, x, y, eps=0.2, step_size=0.05, steps=3, alpha=alpha)
        close(f"pgd_adversarial_loss(eps=0.2, steps=3, alpha={alpha}) against PGD from the same seed", loss,
              _pgd_loss(model, x, y, alpha), hint)
        loss.backward()
        check(model[-1].weight.grad is not None, "pgd_adversarial_loss(...).backward() gave the weights no gradient",
              hint)
        model.zero_grad()


def _pgd_loss(model, x, y, alpha):
    """(1 − α)·CE(model(x*), y) + α·CE(model(x), y), x* PGD's from the seed pgd_adversarial_loss was run from."""
    from minigan.attacks import pgd
    minigan.manual_seed(5)
    x_star = pgd(model, x, y, eps=0.2, step_size=0.05, steps=3)
    expected = (1 - alpha) * F.cross_entropy(model(x_star), y).item()
    if alpha:
        expected += alpha * F.cross_entropy(model(minigan.tensor(x)), y).item()
    return expected


def _patch_model(channels):
    """A linear classifier of (channels, 4, 4) images into 3 classes: its input gradient has a closed form."""
    minigan.manual_seed(3)
    return nn.Sequential(nn.Flatten(), nn.Linear(channels * 16, 3)).double()


def _patch_step(model, patch, images, target, locations, step_size, clip):
    """The expected patch: the closed-form input gradient of the cross-entropy toward ``target`` on the pasted
    images, read under the patch and summed over the batch, then a signed step down it, clipped."""
    pasted = images.copy()
    _, p, q = patch.shape
    for n, (r, k) in enumerate(locations):
        pasted[n, :, r:r + p, k:k + q] = patch
    flat = pasted.reshape(len(images), -1)
    grad = _ce_input_gradient(model, flat, np.full(len(images), target)).reshape(images.shape)
    g = sum(grad[n, :, r:r + p, k:k + q] for n, (r, k) in enumerate(locations))
    new = patch - step_size * np.sign(g)
    return np.clip(new, *clip) if clip is not None else new


def check_patch_update(ctx):
    from minigan.attacks.patch import patch_update
    hint = "paste the patch into every image at its own place (the module has a helper); take the input gradient " \
           "of the cross-entropy toward the target class; by the chain rule the patch's gradient is that input " \
           "gradient read at the pixels the patch covers, added up over the batch; a signed step DOWN that loss " \
           "(a targeted attack), then the clip range and the patch's own dtype"
    r = rng(1)
    for channels, target, step_size, clip in ((1, 2, 0.1, (0.0, 1.0)), (2, 0, 0.3, None), (1, 1, 0.05, (0.2, 0.8))):
        model = _patch_model(channels)
        images = r.uniform(size=(5, channels, 4, 4))
        patch = r.uniform(size=(channels, 2, 3))
        locations = np.array([[0, 0], [2, 1], [1, 0], [2, 1], [0, 1]])
        before = patch.copy()
        got = patch_update(model, patch, images, target, locations, step_size, clip)
        expected = None
        if base.ROLE != "student":  # (an expected value: never computed in the learner's process, split.py)
            expected = _patch_step(model, patch, images, target, locations, step_size, clip)
        close(f"patch_update of a {channels}-channel 2x3 patch toward class {target}, α = {step_size}, clip = {clip}, "
              "five images of a linear classifier at places (row, col) (0, 0), (2, 1), (1, 0), (2, 1), (0, 1)", got,
              expected, hint)
        check(np.array_equal(patch, before), "patch_update changed the patch it was given", hint)
        check(all(p.grad is None for p in model.parameters()), "patch_update filled a parameter's .grad", hint)
    model = _patch_model(1)
    images32 = r.uniform(size=(3, 1, 4, 4)).astype(np.float32)
    patch32 = r.uniform(size=(1, 2, 2)).astype(np.float32)
    got = patch_update(model.float(), patch32, images32, 1, np.array([[0, 0], [1, 1], [2, 2]]), 0.1)
    check(np.asarray(got).dtype == np.float32, f"patch_update turned a float32 patch into {np.asarray(got).dtype}",
          hint)
    raises("patch_update with a place that puts the patch outside the image", ValueError,
           lambda: patch_update(model, patch32, images32, 1, np.array([[0, 0], [3, 3], [0, 0]]), 0.1), hint)
